//! Spreadsheets (zicha-sheet): `zicha import FILE.xlsx|.csv -o OUT.toml`, `zicha template -o F.xlsx
//! [--from ID|FILE.toml]` and `zicha export F.zicha --xlsx OUT.xlsx`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use zicha_core::catalog;
use zicha_core::checklist::{self, Checklist};
use zicha_sheet::Place;

use crate::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, Io};

/// Arguments of `zicha import`.
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The spreadsheet: .xlsx, .xlsm, .xls, .ods or .csv (UTF-8, or GB18030 as Excel saves it).
    file: PathBuf,
    /// The checklist file to write (TOML, the format of checklists/).
    #[arg(short, long)]
    output: PathBuf,
    /// Replace OUTPUT when it exists.
    #[arg(long)]
    force: bool,
}

/// `zicha import`: every problem as `FILE:检查表!F12: message` (workbooks) or
/// `FILE:12:6: message` (CSV), exit 1; else the checklist file.
pub fn import(args: ImportArgs, io: &mut Io<'_>) -> anyhow::Result<u8> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let name = args
        .file
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("checklist.xlsx");
    let shown = args.file.display().to_string();
    match zicha_sheet::import(&bytes, name) {
        Err(problems) => {
            for problem in &problems {
                let separator = if matches!(problem.place, Place::File) {
                    " "
                } else {
                    ""
                };
                writeln!(io.out, "{shown}:{separator}{problem}")?;
            }
            writeln!(io.err, "{} problem(s) in {shown}", problems.len())?;
            Ok(EXIT_PROBLEMS)
        }
        Ok(imported) => {
            super::write_new(&args.output, imported.toml.as_bytes(), args.force)?;
            let checklist = &imported.checklist;
            writeln!(
                io.err,
                "wrote {}: {} {} · {} items ({} 重大) in {} sections · hash {}",
                args.output.display(),
                checklist.id,
                checklist.version,
                checklist.item_count(),
                checklist.major_item_count(),
                checklist.sections.len(),
                checklist.hash.short(12)
            )?;
            Ok(EXIT_OK)
        }
    }
}

/// Arguments of `zicha template`.
#[derive(clap::Args, Debug)]
pub struct TemplateArgs {
    /// The xlsx to write.
    #[arg(short, long)]
    output: PathBuf,
    /// Fill it with this checklist: a built-in id (see `zicha checklists`) or a checklist file.
    #[arg(long)]
    from: Option<String>,
    /// Replace OUTPUT when it exists.
    #[arg(long)]
    force: bool,
}

/// `zicha template`: the import layout as an xlsx, empty or filled with a checklist.
pub fn template(args: TemplateArgs, io: &mut Io<'_>) -> anyhow::Result<u8> {
    let loaded = match &args.from {
        None => None,
        Some(from) => match load_checklist(from)? {
            Ok(loaded) => Some(loaded),
            Err(message) => {
                writeln!(io.err, "zicha: {message}")?;
                return Ok(EXIT_USAGE);
            }
        },
    };
    let bytes = zicha_sheet::template(
        loaded.as_ref().map(|(checklist, _)| checklist),
        loaded.as_ref().map(|(_, text)| text.as_str()),
    )
    .context("cannot write the xlsx")?;
    super::write_new(&args.output, &bytes, args.force)?;
    match &loaded {
        Some((checklist, _)) => writeln!(
            io.err,
            "wrote {} ({} bytes): {} {}, {} items",
            args.output.display(),
            bytes.len(),
            checklist.id,
            checklist.version,
            checklist.item_count()
        )?,
        None => writeln!(
            io.err,
            "wrote {} ({} bytes): the empty template",
            args.output.display(),
            bytes.len()
        )?,
    }
    Ok(EXIT_OK)
}

/// A built-in checklist by id, or a checklist file by path, with its file text; `Ok(Err)` names
/// what is wrong.
pub(crate) fn load_checklist(from: &str) -> anyhow::Result<Result<(Checklist, String), String>> {
    let path = Path::new(from);
    if from.ends_with(".toml") || path.is_file() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let stem = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or_default();
        let (parsed, problems) = checklist::parse_file(stem, &text);
        return Ok(match parsed {
            Some(parsed) if problems.is_empty() => Ok((parsed, text)),
            _ => Err(format!(
                "{} has problems (run `zicha lint {}`): {}",
                path.display(),
                path.display(),
                problems
                    .first()
                    .map_or(String::new(), |p| p.display_with(from).to_string())
            )),
        });
    }
    Ok(match catalog::by_id(from) {
        Some(checklist) => {
            let text = catalog::source_of(&checklist.reference())
                .map(str::to_owned)
                .unwrap_or_default();
            Ok((checklist.clone(), text))
        }
        None => {
            let known: Vec<&str> = catalog::builtin().iter().map(|c| c.id.as_str()).collect();
            Err(format!(
                "unknown checklist `{from}`; built-in: {} (or give a .toml file)",
                known.join(", ")
            ))
        }
    })
}

/// Arguments of `zicha export`.
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Inspection bundle (.zicha).
    file: PathBuf,
    /// Write the 隐患台账, 检查结果 and 汇总 as an xlsx workbook.
    #[arg(long)]
    xlsx: PathBuf,
    /// Day against which rectification deadlines are checked (default: today, China Standard Time).
    #[arg(long, value_parser = super::parse_date)]
    as_of: Option<time::Date>,
    /// Replace the xlsx when it exists.
    #[arg(long)]
    force: bool,
}

/// `zicha export`: the inspection as an xlsx.
pub fn export(args: ExportArgs, io: &mut Io<'_>) -> anyhow::Result<u8> {
    let shown = args.file.display();
    let (bundle, checklist) = match super::load_bundle(&args.file)? {
        Ok(loaded) => loaded,
        Err(error) => {
            writeln!(io.err, "{shown}: {error}")?;
            return Ok(EXIT_PROBLEMS);
        }
    };
    let as_of = args.as_of.unwrap_or_else(super::today);
    let report = zicha_core::score::score_with(
        &checklist,
        &bundle.data.inspection,
        &bundle.data.hazards,
        bundle.data.major_sources(),
        as_of,
    );
    let bytes = zicha_sheet::export(&bundle.data, &checklist, &report, as_of)
        .context("cannot write the xlsx")?;
    super::write_new(&args.xlsx, &bytes, args.force)?;
    writeln!(
        io.err,
        "wrote {} ({} bytes): {} hazards, {} items",
        args.xlsx.display(),
        bytes.len(),
        bundle.data.hazards.len(),
        checklist.item_count()
    )?;
    Ok(EXIT_OK)
}
