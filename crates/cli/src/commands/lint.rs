//! `zicha lint [PATH...]`: every problem of every checklist file as `path:line:col: message`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use zicha_core::checklist::{
    self,
    sources::{self, SourceRank},
};

use crate::{EXIT_OK, EXIT_PROBLEMS, Io};

/// Arguments of `zicha lint`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Checklist files, or folders whose *.toml files are checked (default: checklists/).
    paths: Vec<PathBuf>,
    /// Also list every source link that is not an official (gov.cn) or press site, as
    /// `path:line:col: note: ...` lines, and count the links by rank per file. Notes are not
    /// problems: they do not change the exit code.
    #[arg(long)]
    sources: bool,
}

pub fn run(args: Args, io: &mut Io<'_>) -> anyhow::Result<u8> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("checklists")]
    } else {
        args.paths
    };
    let mut files = Vec::new();
    for path in &paths {
        if path.is_dir() {
            let mut in_dir: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot read folder {}", path.display()))?
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
                .collect();
            in_dir.sort();
            if in_dir.is_empty() {
                anyhow::bail!("no .toml files in {}", path.display());
            }
            files.extend(in_dir);
        } else {
            files.push(path.clone());
        }
    }
    let mut n_problems = 0;
    let mut n_bad_files = 0;
    for file in &files {
        if args.sources {
            for line in source_notes(file)? {
                writeln!(io.out, "{line}")?;
            }
        }
        let problems = lint_file(file)?;
        if !problems.is_empty() {
            n_bad_files += 1;
        }
        n_problems += problems.len();
        for line in problems {
            writeln!(io.out, "{line}")?;
        }
    }
    if n_problems == 0 {
        writeln!(
            io.err,
            "{} checklist file(s) checked, no problems",
            files.len()
        )?;
        Ok(EXIT_OK)
    } else {
        writeln!(
            io.err,
            "{n_problems} problem(s) in {n_bad_files} of {} file(s)",
            files.len()
        )?;
        Ok(EXIT_PROBLEMS)
    }
}

/// The problems of one file, formatted `path:line:col: message`.
fn lint_file(file: &Path) -> anyhow::Result<Vec<String>> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let shown = file.display().to_string();
    let Ok(source) = String::from_utf8(bytes) else {
        return Ok(vec![format!("{shown}:1:1: the file is not UTF-8 text")]);
    };
    let stem = file
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or_default();
    let (_, problems) = checklist::parse_file(stem, &source);
    Ok(problems
        .iter()
        .map(|problem| problem.display_with(&shown).to_string())
        .collect())
}

/// `--sources`: a note per link that is not official or press, then the counts by rank.
fn source_notes(file: &Path) -> anyhow::Result<Vec<String>> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let Ok(source) = String::from_utf8(bytes) else {
        return Ok(Vec::new());
    };
    let shown = file.display().to_string();
    let links = sources::links(&source);
    let mut notes = Vec::new();
    let mut counts = [0usize; 4];
    for link in &links {
        counts[link.rank as usize] += 1;
        if link.rank >= SourceRank::Repost {
            let line_start = source[..link.offset].rfind('\n').map_or(0, |at| at + 1);
            let line = source[..link.offset].matches('\n').count() + 1;
            let column = source[line_start..link.offset].chars().count() + 1;
            notes.push(format!(
                "{shown}:{line}:{column}: note: {} source {}",
                link.rank.label(),
                link.url
            ));
        }
    }
    notes.push(format!(
        "{shown}: note: {} source link(s): {} official, {} press, {} repost, {} denied",
        links.len(),
        counts[SourceRank::Official as usize],
        counts[SourceRank::Press as usize],
        counts[SourceRank::Repost as usize],
        counts[SourceRank::Denied as usize]
    ));
    Ok(notes)
}
