//! Signing keys and handwritten signatures in IndexedDB.
//!
//! A key record is a JS object `{ meta, key?, file?, certificate }`: `meta` is the JSON of
//! [`StoredKey`], `key` a non-extractable `CryptoKey` (browser keys; IndexedDB stores it by
//! structured clone, the secret never becomes readable), `file` the imported .p12 or key backup
//! exactly as chosen (passphrase-encrypted), `certificate` the DER certificate.
//! A pad record is the JSON of the strokes, keyed `<inspection>/<role>/<name>`.

use js_sys::{Object, Reflect, Uint8Array};
use rexie::TransactionMode;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::CryptoKey;

use crate::services::db::{self, KEYS, PADS, StorageError};
use crate::state::keys::StoredKey;

type Result<T> = std::result::Result<T, StorageError>;

/// A key record with its material.
#[derive(Clone)]
pub struct KeyEntry {
    /// What it is.
    pub meta: StoredKey,
    /// The WebCrypto key (browser keys).
    pub key: Option<CryptoKey>,
    /// The imported file (passphrase-encrypted).
    pub file: Option<Vec<u8>>,
    /// The certificate, DER.
    pub certificate: Vec<u8>,
}

impl PartialEq for KeyEntry {
    fn eq(&self, other: &Self) -> bool {
        self.meta == other.meta
    }
}

impl KeyEntry {
    /// The bytes a sign job needs for this key: the file (imported keys) or the certificate.
    pub fn job_bytes(&self) -> Vec<u8> {
        self.file
            .clone()
            .unwrap_or_else(|| self.certificate.clone())
    }
}

fn bytes_of(value: &JsValue, field: &str) -> Option<Vec<u8>> {
    let value = Reflect::get(value, &field.into()).ok()?;
    if value.is_undefined() || value.is_null() {
        return None;
    }
    Some(Uint8Array::new(&value).to_vec())
}

/// Every key, oldest first.
pub async fn keys() -> Result<Vec<KeyEntry>> {
    let db = db::db().await?;
    let transaction = db.transaction(&[KEYS], TransactionMode::ReadOnly)?;
    let records = transaction
        .store(KEYS)?
        .scan(None, None, None, None)
        .await?;
    db::finish(transaction).await?;
    let mut entries = Vec::new();
    for (id, value) in records {
        let meta = Reflect::get(&value, &"meta".into())
            .ok()
            .and_then(|m| m.as_string())
            .ok_or_else(|| StorageError(format!("key {id:?}: no meta")))?;
        let meta: StoredKey =
            serde_json::from_str(&meta).map_err(|e| StorageError(format!("key {id:?}: {e}")))?;
        let key = Reflect::get(&value, &"key".into())
            .ok()
            .filter(|k| !k.is_undefined() && !k.is_null())
            .map(|k| k.unchecked_into::<CryptoKey>());
        entries.push(KeyEntry {
            key,
            file: bytes_of(&value, "file"),
            certificate: bytes_of(&value, "certificate").unwrap_or_default(),
            meta,
        });
    }
    entries.sort_by(|a, b| a.meta.added.cmp(&b.meta.added));
    Ok(entries)
}

/// Stores a key.
pub async fn put_key(entry: &KeyEntry) -> Result<()> {
    let record = Object::new();
    let meta = serde_json::to_string(&entry.meta).map_err(|e| StorageError(e.to_string()))?;
    Reflect::set(&record, &"meta".into(), &meta.into())?;
    if let Some(key) = &entry.key {
        Reflect::set(&record, &"key".into(), key)?;
    }
    if let Some(file) = &entry.file {
        Reflect::set(&record, &"file".into(), &Uint8Array::from(file.as_slice()))?;
    }
    Reflect::set(
        &record,
        &"certificate".into(),
        &Uint8Array::from(entry.certificate.as_slice()),
    )?;
    let db = db::db().await?;
    let transaction = db.transaction(&[KEYS], TransactionMode::ReadWrite)?;
    transaction
        .store(KEYS)?
        .put(&record, Some(&JsValue::from_str(&entry.meta.id)))
        .await?;
    db::finish(transaction).await
}

/// Deletes a key for good.
pub async fn delete_key(id: &str) -> Result<()> {
    let db = db::db().await?;
    let transaction = db.transaction(&[KEYS], TransactionMode::ReadWrite)?;
    transaction
        .store(KEYS)?
        .delete(JsValue::from_str(id))
        .await?;
    db::finish(transaction).await
}

/// The record key of a pad.
pub fn pad_key(inspection_id: &str, role: &str, name: &str) -> String {
    format!("{inspection_id}/{role}/{name}")
}

/// The strokes stored for a pad (JSON), if any.
pub async fn pad(key: &str) -> Result<Option<String>> {
    let db = db::db().await?;
    let transaction = db.transaction(&[PADS], TransactionMode::ReadOnly)?;
    let value = transaction.store(PADS)?.get(JsValue::from_str(key)).await?;
    db::finish(transaction).await?;
    Ok(value.and_then(|v| v.as_string()))
}

/// Stores a pad's strokes (JSON); `None` deletes them.
pub async fn put_pad(key: &str, json: Option<&str>) -> Result<()> {
    let db = db::db().await?;
    let transaction = db.transaction(&[PADS], TransactionMode::ReadWrite)?;
    let store = transaction.store(PADS)?;
    match json {
        Some(json) => {
            store
                .put(&JsValue::from_str(json), Some(&JsValue::from_str(key)))
                .await?;
        }
        None => store.delete(JsValue::from_str(key)).await?,
    }
    db::finish(transaction).await
}

/// Now in RFC 3339 (UTC), for when a key was added.
pub fn now_rfc3339() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}
