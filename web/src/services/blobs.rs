//! Bytes in bulk to and from Blobs (the extra module's): the photos an export or backup needs, the
//! photos a restore brings, and Blobs made of bytes for downloads. Photos are content-addressed,
//! so both modules may write them (state/port.rs); records are the shell's alone.

use std::collections::BTreeMap;

use js_sys::{Array, Uint8Array};
use rexie::TransactionMode;
use wasm_bindgen::JsValue;
use web_sys::{Blob, BlobPropertyBag};
use zicha_core::hash::Sha256;

use crate::services::db::{self, PHOTOS, StorageError};
use crate::state::backup::{Photo, Photos};

/// The bytes of the photos with these hashes, for export and backup.
pub async fn photo_bytes(hashes: impl IntoIterator<Item = Sha256>) -> Result<Photos, StorageError> {
    let mut photos = BTreeMap::new();
    for hash in hashes {
        let Some(blob) = db::get_photo(&hash).await? else {
            continue;
        };
        let bytes = db::blob_bytes(&blob).await?;
        let ext = crate::state::photo::ext_for_mime(&blob.type_()).to_owned();
        photos.insert(hash, Photo { ext, bytes });
    }
    Ok(photos)
}

/// Replaces all photos (restore from a backup) or adds them (import of a bundle).
pub async fn store_photos(photos: &Photos, replace: bool) -> Result<(), StorageError> {
    let db = db::db().await?;
    let transaction = db.transaction(&[PHOTOS], TransactionMode::ReadWrite)?;
    let store = transaction.store(PHOTOS)?;
    if replace {
        store.clear().await?;
    }
    for (hash, photo) in photos {
        let blob = bytes_to_blob(&photo.bytes, crate::state::photo::mime_for_ext(&photo.ext))?;
        store
            .put(&blob, Some(&JsValue::from_str(&hash.to_string())))
            .await?;
    }
    db::finish(transaction).await
}

/// A Blob of `bytes` with a MIME type.
pub fn bytes_to_blob(bytes: &[u8], mime: &str) -> Result<Blob, StorageError> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    Ok(Blob::new_with_u8_array_sequence_and_options(
        &parts, &options,
    )?)
}
