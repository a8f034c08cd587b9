//! Checklists the user imported from a spreadsheet (the 检查表 screen, pages/checklists.rs): the
//! record IndexedDB keeps of each (store `checklists`, services/db.rs), keyed by its content hash,
//! and what the screen shows of an import's problems.
//!
//! A record is written once and never changed: a changed re-import has another hash and is a new
//! record (a new version of the checklist), and the inspections made with the older one keep
//! resolving it. Like photos, records are content-addressed, so the extra module writes them
//! (ARCHITECTURE.md, one writer of records), and the app shell only reads them at start-up and
//! when the extra module says one was added ([`crate::state::port::Up::ChecklistsImported`]).

use serde::{Deserialize, Serialize};
use zicha_core::checklist::{self, Checklist};
use zicha_core::hash::Sha256;

/// One imported checklist as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportedChecklist {
    /// The checklist's id.
    pub id: String,
    /// Its version.
    pub version: String,
    /// The content hash of `toml` (the checklist's hash, and the record's key).
    pub hash: Sha256,
    /// The checklist file (embedded in bundles and reports as checklist.toml).
    pub toml: String,
    /// The checklist as zicha-core's JSON (`checklist::to_json`), which the app shell reads
    /// without a TOML parser.
    pub json: String,
    /// The file it was imported from (empty for one restored from a backup).
    #[serde(default)]
    pub file_name: String,
}

impl ImportedChecklist {
    /// The record of `checklist`, read from the checklist file `toml`.
    pub fn new(checklist: &Checklist, toml: String, file_name: String) -> ImportedChecklist {
        ImportedChecklist {
            id: checklist.id.clone(),
            version: checklist.version.clone(),
            hash: checklist.hash,
            toml,
            json: checklist::to_json(checklist),
            file_name,
        }
    }

    /// The checklist, from its JSON; the error names the record.
    pub fn checklist(&self) -> Result<Checklist, String> {
        let checklist = checklist::from_json(&self.id, &self.json).map_err(|problem| {
            format!(
                "imported checklist {} {}: {}",
                self.id, self.version, problem.message
            )
        })?;
        if checklist.hash != self.hash {
            return Err(format!(
                "imported checklist {} {}: its JSON has hash {}, the record {}",
                self.id,
                self.version,
                checklist.hash.short(12),
                self.hash.short(12)
            ));
        }
        Ok(checklist)
    }
}

/// One problem of an import, as the screen's table shows it: the sheet (empty for CSV and for
/// the file as a whole), the row or CSV line, the column letter (or CSV field number) and the
/// message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemRow {
    /// Sheet name.
    pub sheet: String,
    /// 1-based row or line; 0 for the file as a whole.
    pub row: usize,
    /// Column letter (workbooks) or 1-based field number (CSV); empty when unknown.
    pub column: String,
    /// What is wrong.
    pub message: String,
    /// The whole place as the CLI prints it (`检查表!F12: …`).
    pub text: String,
}

/// The stored records, newest version of each id last; a record that cannot be read is left out
/// and named in the second list (the others still work).
pub fn read_all(records: &[(String, String)]) -> (Vec<ImportedChecklist>, Vec<String>) {
    let mut read = Vec::new();
    let mut problems = Vec::new();
    for (key, text) in records {
        match crate::state::migrate::decode::<ImportedChecklist>(text) {
            Ok(record) if record.hash.to_string() == *key => read.push(record),
            Ok(record) => problems.push(format!(
                "imported checklist {key}: the record holds hash {}",
                record.hash.short(12)
            )),
            Err(error) => problems.push(format!("imported checklist {key}: {error}")),
        }
    }
    (read, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::migrate::encode;

    fn school() -> ImportedChecklist {
        let school = zicha_core::catalog::by_id("school").expect("built in");
        let toml = zicha_core::catalog::source_of(&school.reference())
            .expect("built in")
            .to_owned();
        ImportedChecklist::new(school, toml, "学校.xlsx".into())
    }

    #[test]
    fn a_record_gives_its_checklist_back() {
        let record = school();
        let school = zicha_core::catalog::by_id("school").expect("built in");
        assert_eq!(record.checklist().as_ref(), Ok(school));
        assert_eq!(
            (record.id.as_str(), record.hash),
            ("school", checklist::content_hash(&record.toml))
        );
    }

    #[test]
    fn a_record_that_does_not_match_its_key_or_hash_is_named() {
        let record = school();
        let key = record.hash.to_string();
        let mut other_hash = record.clone();
        other_hash.hash = checklist::content_hash("x");
        let (read, problems) = read_all(&[
            (key.clone(), encode(&record)),
            ("00ff".into(), encode(&record)),
            (key.clone(), "not json".into()),
        ]);
        assert_eq!(read, std::slice::from_ref(&record));
        assert_eq!(problems.len(), 2);
        assert!(problems[0].starts_with("imported checklist 00ff: the record holds hash "));
        assert!(problems[1].starts_with(&format!("imported checklist {key}: damaged record")));
        let error = other_hash.checklist().expect_err("hash differs");
        assert!(error.contains("its JSON has hash"), "{error}");
        // A record written without a file name (restored from a backup) reads.
        let bare = encode(&record).replace(",\"file_name\":\"学校.xlsx\"", "");
        assert_eq!(read_all(&[(key, bare)]).0[0].file_name, "");
    }
}
