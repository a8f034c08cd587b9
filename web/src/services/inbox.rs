//! The inbox's own IndexedDB database, `zicha-inbox` (the verify page's reports, state/inbox.rs),
//! written only by the extra module. A database of its own rather than stores in `zicha`: the
//! inbox is the regulator's data, not the enterprise's records that the shell's store writes in
//! order (ARCHITECTURE.md: one writer of records), so it neither joins the shell's write queue nor
//! raises `zicha`'s version (an upgrade there blocks while another tab holds the old version open,
//! and other stores are added to it in parallel). Deleting the inbox can never touch a record.
//!
//! Stores (version [`INBOX_VERSION`]; a later version only adds stores, never deletes data):
//!
//! - `reports`: the JSON of one [`Entry`] per file, keyed by the file's SHA-256;
//! - `pdfs`: the PDF itself as a Blob under the same key, only when the user asked to keep it.

use std::cell::RefCell;
use std::rc::Rc;

use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

use crate::services::db::{self, StorageError};
use crate::state::inbox::Entry;

/// The database name.
pub const INBOX_DB: &str = "zicha-inbox";
/// Its IndexedDB version: 1 = reports, pdfs.
pub const INBOX_VERSION: u32 = 1;
const REPORTS: &str = "reports";
const PDFS: &str = "pdfs";

type Result<T> = std::result::Result<T, StorageError>;

thread_local! {
    static INBOX: RefCell<Option<Rc<Rexie>>> = const { RefCell::new(None) };
}

async fn inbox_db() -> Result<Rc<Rexie>> {
    if let Some(db) = INBOX.with(|db| db.borrow().clone()) {
        return Ok(db);
    }
    let db = Rexie::builder(INBOX_DB)
        .version(INBOX_VERSION)
        .add_object_store(ObjectStore::new(REPORTS))
        .add_object_store(ObjectStore::new(PDFS))
        .build()
        .await?;
    let db = Rc::new(db);
    INBOX.with(|slot| *slot.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// Every stored report, and the keys of records that cannot be read (with serde's words): they
/// stay stored, and the others are shown.
pub async fn entries() -> Result<(Vec<Entry>, Vec<String>)> {
    let db = inbox_db().await?;
    let transaction = db.transaction(&[REPORTS], TransactionMode::ReadOnly)?;
    let records = transaction
        .store(REPORTS)?
        .scan(None, None, None, None)
        .await?;
    db::finish(transaction).await?;
    let mut entries = Vec::with_capacity(records.len());
    let mut problems = Vec::new();
    for (key, value) in records {
        let key = key.as_string().unwrap_or_default();
        match value
            .as_string()
            .map(|json| serde_json::from_str::<Entry>(&json))
        {
            Some(Ok(entry)) => entries.push(entry),
            Some(Err(error)) => problems.push(format!("{key}: {error}")),
            None => problems.push(format!("{key}: not JSON text")),
        }
    }
    Ok((entries, problems))
}

/// Stores `entries`, each with its PDF when `pdfs` holds it (the same index), in one
/// transaction: all or none.
pub async fn add(entries: &[Entry], pdfs: &[Option<Blob>]) -> Result<()> {
    let db = inbox_db().await?;
    let transaction = db.transaction(&[REPORTS, PDFS], TransactionMode::ReadWrite)?;
    let reports = transaction.store(REPORTS)?;
    let files = transaction.store(PDFS)?;
    for (index, entry) in entries.iter().enumerate() {
        let key = JsValue::from_str(entry.sha256());
        let json = serde_json::to_string(entry).map_err(|e| StorageError(e.to_string()))?;
        reports.put(&JsValue::from_str(&json), Some(&key)).await?;
        if let Some(Some(pdf)) = pdfs.get(index) {
            files.put(pdf, Some(&key)).await?;
        }
    }
    db::finish(transaction).await
}

/// Removes a report and its PDF.
pub async fn remove(sha256: &str) -> Result<()> {
    let db = inbox_db().await?;
    let transaction = db.transaction(&[REPORTS, PDFS], TransactionMode::ReadWrite)?;
    let key = JsValue::from_str(sha256);
    transaction.store(REPORTS)?.delete(key.clone()).await?;
    transaction.store(PDFS)?.delete(key).await?;
    db::finish(transaction).await
}

/// The kept PDF of a report.
pub async fn pdf(sha256: &str) -> Result<Option<Blob>> {
    let db = inbox_db().await?;
    let transaction = db.transaction(&[PDFS], TransactionMode::ReadOnly)?;
    let value = transaction
        .store(PDFS)?
        .get(JsValue::from_str(sha256))
        .await?;
    db::finish(transaction).await?;
    Ok(value.and_then(|value| value.dyn_into::<Blob>().ok()))
}
