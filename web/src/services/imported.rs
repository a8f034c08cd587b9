//! Imported checklists (state/imported.rs) for the extra module: the spreadsheet sent to the report
//! worker, the records it gives back stored in IndexedDB (services/db.rs, store `checklists`) and
//! added to this module's catalog, and the shell told to read them (`Up::ChecklistsImported`).
//!
//! This module writes the store, not the shell: a record is content-addressed (keyed by its hash)
//! and never changed, like a photo, so no write can overtake another, and the spreadsheet code and
//! the record's JSON stay out of the shell, which only reads the store.

use zicha_core::catalog;
use zicha_core::checklist::ChecklistRef;

use crate::extra;
use crate::services::{db, worker};
use crate::state::imported::{self, ImportedChecklist, ProblemRow};
use crate::state::jobs::{Job, Reply};
use crate::state::port::Up;

/// What an import gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Stored (or, `new` false, stored before with the same content).
    Imported {
        /// The record.
        record: ImportedChecklist,
        /// Not stored before.
        new: bool,
        /// Milliseconds the worker took.
        millis: f64,
    },
    /// Every problem of the file; nothing stored.
    Problems(Vec<ProblemRow>),
    /// The checklist has a built-in checklist's id; nothing stored.
    BuiltInId(String),
}

/// Imports the spreadsheet `bytes` named `name`.
pub async fn import(bytes: Vec<u8>, name: &str) -> Result<Outcome, String> {
    let job = Job::ImportSheet {
        name: name.to_owned(),
    };
    let done = worker::run(&job, vec![bytes], None, None).await?;
    match done.reply {
        Reply::SheetProblems { problems } => Ok(Outcome::Problems(problems)),
        Reply::SheetImported { checklist, millis } => {
            if catalog::index()
                .iter()
                .any(|entry| entry.id == checklist.id)
            {
                return Ok(Outcome::BuiltInId(checklist.id));
            }
            let new = store(vec![checklist.clone()]).await? > 0;
            Ok(Outcome::Imported {
                record: checklist,
                new,
                millis,
            })
        }
        _ => Err("the worker gave no checklist".into()),
    }
}

/// Stores `records` (those of built-in checklists left out), adds them to this module's catalog
/// and tells the shell; the number not stored before.
pub async fn store(records: Vec<ImportedChecklist>) -> Result<usize, String> {
    let records: Vec<ImportedChecklist> = records
        .into_iter()
        .filter(|record| !is_builtin(&reference_of(record)))
        .collect();
    if records.is_empty() {
        return Ok(0);
    }
    let new = records
        .iter()
        .filter(|record| catalog::resolve(&reference_of(record)).is_none())
        .count();
    db::put_imported_checklists(&records)
        .await
        .map_err(|e| e.0)?;
    for record in &records {
        catalog::add_imported(record.checklist()?);
    }
    extra::send(Up::ChecklistsImported);
    Ok(new)
}

/// Every stored record (those that cannot be read left out: the shell names them at start-up).
pub async fn all() -> Result<Vec<ImportedChecklist>, String> {
    let records = db::imported_checklists().await.map_err(|e| e.0)?;
    Ok(imported::read_all(&records).0)
}

/// The checklist file of the imported checklist `reference` names, if it is one.
pub async fn source(reference: &ChecklistRef) -> Result<Option<String>, String> {
    if is_builtin(reference) {
        return Ok(None);
    }
    Ok(all()
        .await?
        .into_iter()
        .find(|record| reference_of(record) == *reference)
        .map(|record| record.toml))
}

/// The template xlsx, filled with `source` when given: (file name, bytes).
pub async fn template(source: Option<String>) -> Result<(String, Vec<u8>), String> {
    let job = Job::Template {
        checklist_source: source,
    };
    file_of(worker::run(&job, Vec::new(), None, None).await?)
}

/// The file a job answered with: (name, bytes).
pub fn file_of(done: worker::Done) -> Result<(String, Vec<u8>), String> {
    match (done.reply, done.bytes.into_iter().next()) {
        (Reply::File { name }, Some(bytes)) => Ok((name, bytes)),
        _ => Err("the worker gave no file".into()),
    }
}

fn reference_of(record: &ImportedChecklist) -> ChecklistRef {
    ChecklistRef {
        id: record.id.clone(),
        version: record.version.clone(),
        hash: record.hash,
    }
}

/// Whether the index of this build lists the checklist (a built-in one).
fn is_builtin(reference: &ChecklistRef) -> bool {
    catalog::index().iter().any(|entry| entry.is(reference))
}
