//! Files in and out: downloads through a Blob URL, and reading a chosen file.

use wasm_bindgen::JsCast;
use web_sys::{File, HtmlAnchorElement};

use crate::services::blobs;
use crate::services::db::{self, StorageError};

/// Offers `bytes` as a download named `name`.
pub fn download(bytes: &[u8], name: &str, mime: &str) -> Result<(), StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError("no window".into()))?;
    let document = window
        .document()
        .ok_or_else(|| StorageError("no document".into()))?;
    let blob = blobs::bytes_to_blob(bytes, mime)?;
    // gloo's ObjectUrl revokes the URL when it is dropped.
    let url = gloo_file::ObjectUrl::from(blob);
    let anchor: HtmlAnchorElement = document
        .create_element("a")?
        .dyn_into()
        .map_err(|_| StorageError("no anchor".into()))?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The browser reads the URL after this task: it is dropped, and so revoked, a minute later.
    gloo_timers::callback::Timeout::new(60_000, move || drop(url)).forget();
    Ok(())
}

/// The bytes of a file the user chose.
pub async fn read(file: &File) -> Result<Vec<u8>, StorageError> {
    db::blob_bytes(file).await
}
