//! IndexedDB through rexie. Stores:
//!
//! - `meta`: the profile (`profile`) and the language (`lang`);
//! - `projects`, `inspections`, `hazards`: one record per key, JSON text in the envelope of
//!   state/migrate.rs (record schema and migrations);
//! - `photos`: Blobs keyed by the SHA-256 hex of their bytes;
//! - `keys` (version 2): signing keys — a non-extractable WebCrypto `CryptoKey` or an imported,
//!   passphrase-encrypted file — with their certificates (services/signing.rs);
//! - `pads` (version 2): handwritten signature strokes per inspection and party;
//! - `checklists` (version 3): imported checklists (state/imported.rs), JSON text in the envelope
//!   of state/migrate.rs keyed by their content hash; written by the extra module (content
//!   addressed, like photos), read by the shell at start-up.
//!
//! [`DB_VERSION`] is the IndexedDB version (the set of stores); raising it runs the upgrade that
//! creates missing stores and never deletes data. A write that fails is reported with the browser's
//! error name, so a full quota is shown as such (see [`StorageError::is_quota`]): the records and
//! photos are written through a connection of web-sys's own ([`write_transaction`]), because a full
//! quota aborts a transaction at its commit, with no error event, and rexie's `done()` then says
//! only "aborted", not the `QuotaExceededError` that `IDBTransaction.error` holds.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Promise, Uint8Array};
use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, IdbDatabase, IdbTransaction, IdbTransactionMode};
use zicha_core::hash::Sha256;

use crate::i18n::Lang;
use crate::state::migrate::{decode, encode};
use crate::state::{Data, StoredHazard, StoredInspection, StoredProject, Write};

/// The database name.
pub const DB_NAME: &str = "zicha";
/// The IndexedDB version: 1 = meta, projects, inspections, hazards, photos; 2 adds keys, pads;
/// 3 adds checklists. The upgrade only creates the stores a database lacks (rexie's builder), so
/// the records of an older version stay as they are (tests/browser/e2e/sheets.test.mjs opens a
/// version-2 database with records).
pub const DB_VERSION: u32 = 3;

const META: &str = "meta";
const PROJECTS: &str = "projects";
const INSPECTIONS: &str = "inspections";
const HAZARDS: &str = "hazards";
/// Photo Blobs by hash (also services/blobs.rs).
pub(crate) const PHOTOS: &str = "photos";
/// Signing keys (services/signing.rs).
pub(crate) const KEYS: &str = "keys";
/// Handwritten signature strokes (services/signing.rs).
pub(crate) const PADS: &str = "pads";
/// Imported checklists by content hash (state/imported.rs).
const CHECKLISTS: &str = "checklists";
const RECORD_STORES: [&str; 4] = [META, PROJECTS, INSPECTIONS, HAZARDS];

/// A storage failure with the browser's words.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageError(pub String);

impl StorageError {
    /// The storage quota is exhausted.
    pub fn is_quota(&self) -> bool {
        self.0.contains("Quota") || self.0.contains("quota")
    }
}

impl From<rexie::Error> for StorageError {
    fn from(error: rexie::Error) -> Self {
        match error {
            rexie::Error::IdbError(inner) => StorageError(inner.to_string()),
            other => StorageError(other.to_string()),
        }
    }
}

impl From<JsValue> for StorageError {
    fn from(value: JsValue) -> Self {
        StorageError(browser_words(&value))
    }
}

/// The browser's words for a failure: a DOMException's name and message, an Error's message, a
/// thrown string, or else how the value prints.
pub fn browser_words(value: &JsValue) -> String {
    value
        .dyn_ref::<web_sys::DomException>()
        .map(|e| format!("{}: {}", e.name(), e.message()))
        .or_else(|| {
            value
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

type Result<T> = std::result::Result<T, StorageError>;

thread_local! {
    static DB: RefCell<Option<Rc<Rexie>>> = const { RefCell::new(None) };
    /// The connection the records and photos are written through ([`write_transaction`]).
    static WRITES: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

/// The open database (opened on first use).
pub async fn db() -> Result<Rc<Rexie>> {
    if let Some(db) = DB.with(|db| db.borrow().clone()) {
        return Ok(db);
    }
    let mut builder = Rexie::builder(DB_NAME).version(DB_VERSION);
    for store in RECORD_STORES
        .into_iter()
        .chain([PHOTOS, KEYS, PADS, CHECKLISTS])
    {
        builder = builder.add_object_store(ObjectStore::new(store));
    }
    let db = Rc::new(builder.build().await?);
    DB.with(|slot| *slot.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// The write connection: opened after rexie's (which creates or upgrades the stores), at the same
/// version; closed when another tab upgrades the database, and opened again by the next write.
async fn write_connection() -> Result<IdbDatabase> {
    if let Some(database) = WRITES.with(|slot| slot.borrow().clone()) {
        return Ok(database);
    }
    db().await?;
    let factory = web_sys::window()
        .and_then(|window| window.indexed_db().ok().flatten())
        .ok_or_else(|| StorageError("no IndexedDB".to_owned()))?;
    let request = factory.open_with_u32(DB_NAME, DB_VERSION)?;
    let opened = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    if JsFuture::from(opened).await.is_err() {
        return Err(request
            .error()
            .ok()
            .flatten()
            .map(|error| StorageError(format!("{}: {}", error.name(), error.message())))
            .unwrap_or_else(|| StorageError("the database did not open".to_owned())));
    }
    let database: IdbDatabase = request.result()?.unchecked_into();
    let closing = database.clone();
    let on_version_change = Closure::<dyn Fn()>::new(move || {
        closing.close();
        WRITES.with(|slot| *slot.borrow_mut() = None);
    });
    database.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
    on_version_change.forget();
    WRITES.with(|slot| *slot.borrow_mut() = Some(database.clone()));
    Ok(database)
}

/// Runs `fill` (puts and deletes) in one read-write transaction over `stores` and waits for its
/// commit; a transaction the browser aborts fails with its `error`, e.g.
/// "QuotaExceededError: …".
async fn write_transaction(
    stores: &[&str],
    fill: impl FnOnce(&IdbTransaction) -> Result<()>,
) -> Result<()> {
    let database = write_connection().await?;
    let names: Array = stores.iter().map(|name| JsValue::from_str(name)).collect();
    let transaction =
        database.transaction_with_str_sequence_and_mode(&names, IdbTransactionMode::Readwrite)?;
    let done = Promise::new(&mut |resolve, reject| {
        transaction.set_oncomplete(Some(&resolve));
        transaction.set_onabort(Some(&reject));
    });
    if let Err(error) = fill(&transaction) {
        let _ = transaction.abort();
        return Err(error);
    }
    match JsFuture::from(done).await {
        Ok(_) => Ok(()),
        Err(_) => Err(transaction
            .error()
            .map(|error| StorageError(format!("{}: {}", error.name(), error.message())))
            .unwrap_or_else(|| StorageError("the write was aborted by the browser".to_owned()))),
    }
}

pub(crate) async fn finish(transaction: rexie::Transaction) -> Result<()> {
    let result = transaction.done().await?;
    if result.is_committed() {
        Ok(())
    } else {
        Err(StorageError(
            "the write was aborted by the browser (often: storage full)".to_owned(),
        ))
    }
}

fn text_of(value: JsValue) -> Option<String> {
    value.as_string()
}

/// Reads every record. A record that cannot be read (damaged, or from a newer app) fails the load
/// with its key rather than being dropped silently.
pub async fn load() -> Result<Data> {
    let db = db().await?;
    let transaction = db.transaction(&RECORD_STORES, TransactionMode::ReadOnly)?;
    let meta = transaction.store(META)?;
    let mut data = Data::default();
    if let Some(text) = meta
        .get(JsValue::from_str("profile"))
        .await?
        .and_then(text_of)
    {
        data.profile = Some(Rc::new(
            decode(&text).map_err(|e| StorageError(format!("profile: {e}")))?,
        ));
    }
    if let Some(text) = meta.get(JsValue::from_str("lang")).await?.and_then(text_of) {
        data.lang = decode::<Lang>(&text).unwrap_or_default();
    }
    for (key, text) in all(&transaction, PROJECTS).await? {
        let project: StoredProject =
            decode(&text).map_err(|e| StorageError(format!("project {key}: {e}")))?;
        data.projects.insert(key, Rc::new(project));
    }
    for (key, text) in all(&transaction, INSPECTIONS).await? {
        let inspection: StoredInspection =
            decode(&text).map_err(|e| StorageError(format!("inspection {key}: {e}")))?;
        data.inspections.insert(key, Rc::new(inspection));
    }
    for (key, text) in all(&transaction, HAZARDS).await? {
        let hazard: StoredHazard =
            decode(&text).map_err(|e| StorageError(format!("hazard {key}: {e}")))?;
        data.hazards.insert(key, Rc::new(hazard));
    }
    finish(transaction).await?;
    Ok(data)
}

async fn all(transaction: &rexie::Transaction, store: &str) -> Result<Vec<(String, String)>> {
    let pairs = transaction
        .store(store)?
        .scan(None, None, None, None)
        .await?;
    Ok(pairs
        .into_iter()
        .filter_map(|(key, value)| Some((key.as_string()?, value.as_string()?)))
        .collect())
}

/// Writes a batch in one transaction: all of it is stored, or none.
pub async fn write(writes: &[Write]) -> Result<()> {
    write_transaction(&RECORD_STORES, |transaction| {
        for write in writes {
            let (store, key, value) = match write {
                Write::Profile(profile) => (META, "profile".to_owned(), Some(encode(&**profile))),
                Write::Lang(lang) => (META, "lang".to_owned(), Some(encode(lang))),
                Write::PutProject(p) => (PROJECTS, p.id.clone(), Some(encode(&**p))),
                Write::DeleteProject(id) => (PROJECTS, id.clone(), None),
                Write::PutInspection(i) => {
                    (INSPECTIONS, i.inspection.id.clone(), Some(encode(&**i)))
                }
                Write::DeleteInspection(id) => (INSPECTIONS, id.clone(), None),
                Write::PutHazard(h) => (HAZARDS, h.hazard.id.clone(), Some(encode(&**h))),
                Write::DeleteHazard(id) => (HAZARDS, id.clone(), None),
            };
            let store = transaction.object_store(store)?;
            let key = JsValue::from_str(&key);
            match value {
                Some(text) => store.put_with_key(&JsValue::from_str(&text), &key)?,
                None => store.delete(&key)?,
            };
        }
        Ok(())
    })
    .await
}

/// Every imported checklist as stored: (key, envelope JSON text), read by
/// `state::imported::read_all`.
pub async fn imported_checklists() -> Result<Vec<(String, String)>> {
    let db = db().await?;
    let transaction = db.transaction(&[CHECKLISTS], TransactionMode::ReadOnly)?;
    let records = all(&transaction, CHECKLISTS).await?;
    finish(transaction).await?;
    Ok(records)
}

/// Stores imported checklists under their hashes (the extra module: a record is never changed,
/// so writing one again writes the same text).
#[cfg(feature = "extra")]
pub async fn put_imported_checklists(
    records: &[crate::state::imported::ImportedChecklist],
) -> Result<()> {
    let db = db().await?;
    let transaction = db.transaction(&[CHECKLISTS], TransactionMode::ReadWrite)?;
    let store = transaction.store(CHECKLISTS)?;
    for record in records {
        let text = encode(record);
        store
            .put(
                &JsValue::from_str(&text),
                Some(&JsValue::from_str(&record.hash.to_string())),
            )
            .await?;
    }
    finish(transaction).await
}

/// Stores a photo Blob under its hash.
pub async fn put_photo(hash: &Sha256, blob: &Blob) -> Result<()> {
    write_transaction(&[PHOTOS], |transaction| {
        transaction
            .object_store(PHOTOS)?
            .put_with_key(blob, &JsValue::from_str(&hash.to_string()))?;
        Ok(())
    })
    .await
}

/// The photo Blob with this hash.
pub async fn get_photo(hash: &Sha256) -> Result<Option<Blob>> {
    let db = db().await?;
    let transaction = db.transaction(&[PHOTOS], TransactionMode::ReadOnly)?;
    let value = transaction
        .store(PHOTOS)?
        .get(JsValue::from_str(&hash.to_string()))
        .await?;
    Ok(value.and_then(|value| value.dyn_into::<Blob>().ok()))
}

/// The bytes of a Blob.
pub async fn blob_bytes(blob: &Blob) -> Result<Vec<u8>> {
    let buffer = JsFuture::from(blob.array_buffer()).await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
