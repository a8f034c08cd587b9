//! `zicha sample SECTOR [--seed N] [--date YYYY-MM-DD] -o FILE.zicha`.

use std::path::PathBuf;

use anyhow::Context;
use zicha_core::{catalog, checklist::Sector, sample};

use crate::{EXIT_OK, EXIT_USAGE, Io};

/// Arguments of `zicha sample`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Sector key (construction, coal-mine, ...) or checklist id.
    sector: String,
    /// Seed of the generator: the same seed, checklist and date give the same bundle.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Inspection date, YYYY-MM-DD (default: today, China Standard Time).
    #[arg(long, value_parser = super::parse_date)]
    date: Option<time::Date>,
    /// Output bundle.
    #[arg(short, long)]
    output: PathBuf,
}

pub fn run(args: Args, io: &mut Io<'_>) -> anyhow::Result<u8> {
    let checklist = catalog::by_id(&args.sector).or_else(|| {
        Sector::parse(&args.sector)
            .and_then(|sector| catalog::builtin().iter().find(|c| c.sector == sector))
    });
    let Some(checklist) = checklist else {
        let known: Vec<&str> = catalog::builtin().iter().map(|c| c.id.as_str()).collect();
        writeln!(
            io.err,
            "zicha: unknown sector or checklist `{}`; known: {}",
            args.sector,
            known.join(", ")
        )?;
        return Ok(EXIT_USAGE);
    };
    let date = args.date.unwrap_or_else(super::today);
    let source = catalog::source_of(&checklist.reference());
    let bundle = sample::sample(checklist, source, args.seed, date);
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
