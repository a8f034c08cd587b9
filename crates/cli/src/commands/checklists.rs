//! `zicha checklists [--json]`.

use serde::Serialize;
use zicha_core::catalog;

use crate::{EXIT_OK, Io};

/// Arguments of `zicha checklists`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print JSON: a list of {id, version, sector, title_zh, title_en, items, major_items,
    /// verified_items, standards, hash}.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Entry<'a> {
    id: &'a str,
    version: &'a str,
    sector: &'a str,
    title_zh: &'a str,
    title_en: &'a str,
    items: usize,
    major_items: usize,
    verified_items: usize,
    /// The codes of the standards the checklist's items cite, in the file's order.
    standards: Vec<&'a str>,
    hash: String,
}

pub fn run(args: Args, io: &mut Io<'_>) -> anyhow::Result<u8> {
    let entries: Vec<Entry<'_>> = catalog::builtin()
        .iter()
        .map(|checklist| Entry {
            id: &checklist.id,
            version: &checklist.version,
            sector: checklist.sector.key(),
            title_zh: &checklist.title_zh,
            title_en: &checklist.title_en,
            items: checklist.item_count(),
            major_items: checklist.major_item_count(),
            verified_items: checklist.verified_item_count(),
            standards: checklist
                .standards
                .iter()
                .map(|standard| standard.code.as_str())
                .collect(),
            hash: checklist.hash.to_string(),
        })
        .collect();
    if args.json {
        serde_json::to_writer_pretty(&mut *io.out, &entries)?;
        writeln!(io.out)?;
    } else {
        writeln!(
            io.out,
            "{:<22} {:<8} {:>5} {:>5} {:>5}  title",
            "id", "version", "items", "重大", "verif"
        )?;
        for entry in &entries {
            writeln!(
                io.out,
                "{:<22} {:<8} {:>5} {:>5} {:>5}  {} / {}",
                entry.id,
                entry.version,
                entry.items,
                entry.major_items,
                entry.verified_items,
                entry.title_zh,
                entry.title_en
            )?;
        }
    }
    Ok(EXIT_OK)
}
