//! Prints the report figures of issue 6: a construction sample grown to 300 items with 20 photos of
//! about 300 KB, rendered natively. Not a timed test; run in release:
//!
//! ```sh
//! cargo run --release -p zicha-report --example bench
//! ```

use std::time::Instant;

use time::macros::{date, datetime};
use zicha_core::checklist::Checklist;
use zicha_core::inspection::{Answer, Response};
use zicha_report::{Fonts, Options};

const FONT: &[u8] = include_bytes!("../../../assets/fonts/wqy-microhei.ttc");

/// The construction checklist with copies of its sections appended until it has `items` items.
fn grown(items: usize) -> Checklist {
    let mut checklist = zicha_core::catalog::by_id("construction")
        .expect("built-in construction checklist")
        .clone();
    let originals = checklist.sections.clone();
    let mut round = 0;
    while checklist.item_count() < items {
        round += 1;
        for section in &originals {
            let missing = items - checklist.item_count();
            if missing == 0 {
                break;
            }
            let mut copy = section.clone();
            copy.id = format!("{}-x{round}", section.id);
            copy.title_zh = format!("{}（复查{round}）", section.title_zh);
            copy.sheet = None;
            copy.items.truncate(missing);
            for item in &mut copy.items {
                item.id = format!("{}-x{round}", item.id);
            }
            copy.max_points = copy.items.iter().map(|item| item.points).sum();
            checklist.sections.push(copy);
        }
    }
    checklist
}

/// A 1600 × 1200 phone-like JPEG (gradients, blocks and noise) of about 300 KB.
fn photo(seed: u64) -> Vec<u8> {
    const W: usize = 1600;
    const H: usize = 1200;
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut pixels = vec![0u8; W * H * 3];
    for y in 0..H {
        for x in 0..W {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let noise = (state % 21) as i32 - 10;
            let block = ((x / 160 + y / 120) % 5) as i32 * 18;
            let base = [
                90 + (y * 100 / H) as i32 + block,
                120 + (x * 60 / W) as i32,
                170 - block,
            ];
            for (channel, value) in base.iter().enumerate() {
                pixels[(y * W + x) * 3 + channel] = (value + noise).clamp(0, 255) as u8;
            }
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 80)
        .encode(&pixels, W as u16, H as u16, jpeg_encoder::ColorType::Rgb)
        .expect("encode");
    out
}

fn main() {
    let checklist = grown(300);
    let mut bundle = zicha_core::sample::sample(&checklist, None, 42, date!(2026 - 03 - 01));
    let item_ids: Vec<String> = checklist.items().map(|(_, item)| item.id.clone()).collect();
    for (_, item) in checklist.items() {
        bundle
            .data
            .inspection
            .answers
            .entry(item.id.clone())
            .or_insert_with(|| Answer::new(Response::Conform));
    }
    let mut input_photo_bytes = 0;
    for idx in 0..20u64 {
        let bytes = photo(idx + 1);
        input_photo_bytes += bytes.len();
        let sha256 = bundle.add_photo(bytes, "jpg", "");
        let hazards = bundle.data.hazards.len();
        if idx % 3 == 0 && hazards > 0 {
            bundle.data.hazards[idx as usize / 3 % hazards]
                .photos_before
                .push(sha256);
        } else {
            let item = &item_ids[(idx as usize * 17) % item_ids.len()];
            if let Some(answer) = bundle.data.inspection.answers.get_mut(item) {
                answer.photos.push(sha256);
            }
        }
    }

    let started = Instant::now();
    let fonts = Fonts::new(FONT, zicha_report::DEFAULT_FONT_FACE).expect("font");
    let font_parse = started.elapsed();
    let options = Options::new(
        &fonts,
        datetime!(2026-03-01 18:00 +08:00),
        "ZC-BENCH-0001",
        date!(2026 - 03 - 02),
    );
    let mut times = Vec::new();
    let mut rendered = None;
    for _ in 0..5 {
        let started = Instant::now();
        let result = zicha_report::render(&bundle, &checklist, &options).expect("render");
        times.push(started.elapsed());
        rendered = Some(result);
    }
    times.sort();
    let rendered = rendered.expect("rendered");
    let size = rendered.pdf.len();
    let stats = rendered.stats;
    let ratio = size as f64 / (stats.photo_bytes + stats.font_bytes) as f64;
    println!(
        "items: {}, photos: 20 ({} bytes, {} KB average)",
        checklist.item_count(),
        input_photo_bytes,
        input_photo_bytes / 20 / 1024
    );
    println!(
        "font parse (once, reusable): {:.3} s",
        font_parse.as_secs_f64()
    );
    println!(
        "render: median {:.3} s, min {:.3} s (5 runs, font parsed once)",
        times[2].as_secs_f64(),
        times[0].as_secs_f64()
    );
    println!("pages: {}", stats.pages);
    println!("pdf size: {size} bytes");
    println!(
        "photo bytes embedded: {} ({} passed through, {} converted)",
        stats.photo_bytes, stats.photos_passed_through, stats.photos_converted
    );
    println!("font subset bytes: {}", stats.font_bytes);
    println!("attachments (compressed): {}", stats.attachment_bytes);
    println!(
        "overhead: {} bytes; ratio size / (photos + font) = {ratio:.4}",
        size as i64 - (stats.photo_bytes + stats.font_bytes) as i64
    );
    for warning in &rendered.warnings {
        println!("warning: {warning}");
    }
}
