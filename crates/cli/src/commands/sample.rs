//! `zicha sample SECTOR [--seed N] [--date YYYY-MM-DD] [--photos N] -o FILE.zicha`.

use std::path::PathBuf;

use anyhow::Context;
use zicha_core::{catalog, checklist::Sector, sample};

use crate::{EXIT_OK, EXIT_USAGE, Io};

/// Arguments of `zicha sample`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Sector key (construction, coal-mine, ...), checklist id, or a checklist file (FILE.toml, e.g.
    /// one written by `zicha import`), which the bundle then carries.
    sector: String,
    /// Seed of the generator: the same seed, checklist and date give the same bundle.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Inspection date, YYYY-MM-DD (default: today, China Standard Time).
    #[arg(long, value_parser = super::parse_date)]
    date: Option<time::Date>,
    /// Attach N generated photos (real JPEGs, about 1280 × 960): before/after photos of the hazards,
    /// photo items and failed items, in turn.
    #[arg(long, default_value_t = 0)]
    photos: usize,
    /// Output bundle.
    #[arg(short, long)]
    output: PathBuf,
}

pub fn run(args: Args, io: &mut Io<'_>) -> anyhow::Result<u8> {
    // A checklist file (an imported checklist, say): the bundle carries its text.
    let from_file = if args.sector.ends_with(".toml") {
        match super::sheets::load_checklist(&args.sector)? {
            Ok(loaded) => Some(loaded),
            Err(message) => {
                writeln!(io.err, "zicha: {message}")?;
                return Ok(EXIT_USAGE);
            }
        }
    } else {
        None
    };
    let checklist = match &from_file {
        Some((checklist, _)) => Some(checklist),
        None => catalog::by_id(&args.sector).or_else(|| {
            Sector::parse(&args.sector)
                .and_then(|sector| catalog::builtin().iter().find(|c| c.sector == sector))
        }),
    };
    let Some(checklist) = checklist else {
        let known: Vec<&str> = catalog::builtin().iter().map(|c| c.id.as_str()).collect();
        writeln!(
            io.err,
            "zicha: unknown sector or checklist `{}`; known: {} (or a checklist file, FILE.toml)",
            args.sector,
            known.join(", ")
        )?;
        return Ok(EXIT_USAGE);
    };
    let date = args.date.unwrap_or_else(super::today);
    let source = match &from_file {
        Some((_, text)) => Some(text.as_str()),
        None => catalog::source_of(&checklist.reference()),
    };
    let mut bundle = sample::sample(checklist, source, args.seed, date);
    add_photos(&mut bundle, checklist, args.photos, args.seed);
    let bytes = bundle.to_zip()?;
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    writeln!(
        io.err,
        "wrote {} ({} bytes): {} answers, {} hazards",
        args.output.display(),
        bytes.len(),
        bundle.data.inspection.answers.len(),
        bundle.data.hazards.len()
    )?;
    Ok(EXIT_OK)
}

/// Attaches `count` generated photos, taking turns over the hazards (before, then after for closed
/// ones), photo items (answered 已拍照) and failed items.
fn add_photos(
    bundle: &mut zicha_core::bundle::Bundle,
    checklist: &zicha_core::checklist::Checklist,
    count: usize,
    seed: u64,
) {
    use zicha_core::checklist::ItemKind;
    use zicha_core::inspection::{Answer, Response};
    use zicha_core::ledger::Status;

    #[derive(Clone)]
    enum Target {
        Before(usize),
        After(usize),
        Item(String),
    }
    let mut targets = Vec::new();
    for (idx, hazard) in bundle.data.hazards.iter().enumerate() {
        targets.push(Target::Before(idx));
        if hazard.status == Status::Closed {
            targets.push(Target::After(idx));
        }
    }
    for (_, item) in checklist.items() {
        if matches!(item.kind, ItemKind::Photo) {
            targets.push(Target::Item(item.id.clone()));
        }
    }
    let failed = zicha_core::score::score(
        checklist,
        &bundle.data.inspection,
        &bundle.data.hazards,
        bundle.data.inspection.date,
    )
    .failed_items;
    targets.extend(failed.into_iter().map(Target::Item));
    if targets.is_empty() {
        return;
    }
    for idx in 0..count {
        let target = targets[idx % targets.len()].clone();
        let bytes = photo_jpeg(seed.wrapping_mul(1_000_003).wrapping_add(idx as u64));
        let caption = format!("现场照片 {}", idx + 1);
        let sha256 = bundle.add_photo(bytes, "jpg", &caption);
        match target {
            Target::Before(hazard) => bundle.data.hazards[hazard].photos_before.push(sha256),
            Target::After(hazard) => bundle.data.hazards[hazard].photos_after.push(sha256),
            Target::Item(item_id) => {
                let answer = bundle
                    .data
                    .inspection
                    .answers
                    .entry(item_id)
                    .or_insert_with(|| Answer::new(Response::Photographed));
                answer.photos.push(sha256);
            }
        }
    }
}

/// A 1280 × 960 JPEG of a made-up site (sky, ground, a few buildings, sensor noise) that
/// compresses like a phone photo: about 300 KB at quality 90.
fn photo_jpeg(seed: u64) -> Vec<u8> {
    const W: usize = 1280;
    const H: usize = 960;
    let mut state = seed ^ 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let horizon = H * 2 / 5 + (next() % (H as u64 / 5)) as usize;
    let boxes: Vec<[usize; 7]> = (0..6)
        .map(|_| {
            let x = (next() % W as u64) as usize;
            let w = 80 + (next() % 300) as usize;
            let h = 100 + (next() % (horizon as u64)) as usize;
            let c = next();
            [
                x,
                w,
                h.min(horizon),
                (c & 0xFF) as usize,
                (c >> 8 & 0xFF) as usize,
                (c >> 16 & 0xFF) as usize,
                0,
            ]
        })
        .collect();
    let mut pixels = vec![0u8; W * H * 3];
    for y in 0..H {
        for x in 0..W {
            let mut rgb = if y < horizon {
                let t = y * 120 / horizon;
                [110 + t / 2, 160 + t / 3, 235 - t / 4]
            } else {
                let t = (y - horizon) * 60 / (H - horizon);
                [120 + t, 105 + t / 2, 80]
            };
            for b in &boxes {
                if x >= b[0] && x < b[0] + b[1] && y < horizon && y >= horizon - b[2] {
                    // Windows every 40 pixels.
                    let window = (x - b[0]) % 40 < 18 && (y % 36) < 16;
                    rgb = if window {
                        [60, 70, 90]
                    } else {
                        [b[3], b[4], b[5]]
                    };
                }
            }
            let noise = (next() % 41) as i32 - 20;
            let at = (y * W + x) * 3;
            for (channel, value) in rgb.iter().enumerate() {
                pixels[at + channel] = (*value as i32 + noise).clamp(0, 255) as u8;
            }
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&pixels, W as u16, H as u16, jpeg_encoder::ColorType::Rgb)
        .expect("encoding to memory cannot fail");
    out
}
