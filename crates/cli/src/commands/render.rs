//! `zicha render FILE.zicha -o report.pdf [--time RFC3339] [--as-of YYYY-MM-DD] [--id ID]
//! [--font FILE [--font-index N]] [--fallback-font FILE] [--dump FILE]`.
//!
//! Without `--time` the report's timestamp is the latest moment the bundle records (the inspection
//! day, or the last hazard status change after it), so the same bundle always gives the same PDF.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, Time, UtcOffset};
use zicha_core::bundle::Bundle;
use zicha_core::hash::Sha256;
use zicha_report::{Fonts, Options};

use crate::{EXIT_OK, EXIT_PROBLEMS, Io};

/// Arguments of `zicha render`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Inspection bundle (.zicha).
    file: PathBuf,
    /// Output PDF.
    #[arg(short, long)]
    output: PathBuf,
    /// Report timestamp, RFC 3339 (default: the latest moment recorded in the bundle).
    #[arg(long, value_parser = parse_time)]
    time: Option<OffsetDateTime>,
    /// Day against which deadlines are judged (default: the timestamp's day, China Standard Time).
    #[arg(long, value_parser = super::parse_date)]
    as_of: Option<time::Date>,
    /// Report id printed on every page (default: the inspection id and a digest of its data).
    #[arg(long)]
    id: Option<String>,
    /// Font file instead of the built-in WenQuanYi Micro Hei (.ttf or .ttc, TrueType outlines).
    #[arg(long)]
    font: Option<PathBuf>,
    /// Face index within --font.
    #[arg(long, default_value_t = 0)]
    font_index: u32,
    /// A fallback font for characters the main font lacks (face 0).
    #[arg(long)]
    fallback_font: Option<PathBuf>,
    /// Also write a readable dump (pages' text, slots, warnings) for golden tests.
    #[arg(long)]
    dump: Option<PathBuf>,
}

fn parse_time(text: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(text.trim(), &Rfc3339)
        .map_err(|_| format!("`{text}` is not an RFC 3339 time like 2026-03-01T09:00:00+08:00"))
}

/// China Standard Time.
fn cst() -> UtcOffset {
    UtcOffset::from_hms(8, 0, 0).expect("valid offset")
}

/// The latest moment the bundle records: the start of the inspection day (CST) or a later hazard
/// status change.
fn bundle_time(bundle: &Bundle) -> OffsetDateTime {
    let day = bundle
        .data
        .inspection
        .date
        .with_time(Time::MIDNIGHT)
        .assume_offset(cst());
    bundle
        .data
        .hazards
        .iter()
        .flat_map(|hazard| hazard.history.iter().map(|step| step.at))
        .fold(day, |latest, at| {
            if at > latest {
                at.to_offset(cst())
            } else {
                latest
            }
        })
}

pub fn run(args: Args, io: &mut Io<'_>) -> anyhow::Result<u8> {
    let shown = args.file.display();
    let (bundle, checklist) = match super::load_bundle(&args.file)? {
        Ok(loaded) => loaded,
        Err(error) => {
            writeln!(io.err, "{shown}: {error}")?;
            return Ok(EXIT_PROBLEMS);
        }
    };
    let font_bytes = match &args.font {
        Some(path) => {
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?
        }
        None => super::BUILTIN_FONT.to_vec(),
    };
    let mut fonts = Fonts::new(&font_bytes, args.font_index)?;
    if let Some(path) = &args.fallback_font {
        let fallback =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        fonts = fonts.with_fallback(&fallback, 0)?;
    }
    let timestamp = args.time.unwrap_or_else(|| bundle_time(&bundle));
    let as_of = args
        .as_of
        .unwrap_or_else(|| timestamp.to_offset(cst()).date());
    let document_id = args.id.clone().unwrap_or_else(|| {
        let json = serde_json::to_vec(&bundle.data).unwrap_or_default();
        format!(
            "{}-{}",
            bundle.data.inspection.id,
            Sha256::of(&json).short(8).to_uppercase()
        )
    });
    let options = Options::new(&fonts, timestamp, document_id, as_of);
    // Written as it is made, photos straight from the bundle (zicha_report::render_to): memory
    // stays near the bundle's size instead of six times it. Into a temporary name first, so that
    // a failed render leaves no half-written report.
    let name = args
        .output
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("report.pdf");
    let temp = args.output.with_file_name(format!(".{name}.tmp"));
    let file =
        std::fs::File::create(&temp).with_context(|| format!("cannot write {}", temp.display()))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let written = zicha_report::render_to(&bundle, &checklist, &options, &mut out)
        .map_err(anyhow::Error::from)
        .and_then(|written| {
            out.flush()?;
            Ok(written)
        });
    drop(out);
    let rendered = match written {
        Ok(written) => written,
        Err(error) => {
            let _ = std::fs::remove_file(&temp);
            return Err(error.context(format!("cannot write {}", args.output.display())));
        }
    };
    std::fs::rename(&temp, &args.output)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    if let Some(path) = &args.dump {
        std::fs::write(path, rendered.dump())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    for warning in &rendered.warnings {
        writeln!(io.err, "{shown}: warning: {warning}")?;
    }
    writeln!(
        io.err,
        "wrote {} ({} pages, {} bytes; photos {} bytes, font {} bytes)",
        args.output.display(),
        rendered.stats.pages,
        rendered.length,
        rendered.stats.photo_bytes,
        rendered.stats.font_bytes
    )?;
    Ok(EXIT_OK)
}
