//! Files in and out: downloads through a Blob URL, and reading a chosen file.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{File, HtmlAnchorElement, Url};

use crate::services::blobs;
use crate::services::db::{self, StorageError};

/// Offers `bytes` as a download named `name`.
pub fn download(bytes: &[u8], name: &str, mime: &str) -> Result<(), StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError("no window".into()))?;
    let document = window
        .document()
        .ok_or_else(|| StorageError("no document".into()))?;
    let blob = blobs::bytes_to_blob(bytes, mime)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let anchor: HtmlAnchorElement = document
        .create_element("a")?
        .dyn_into()
        .map_err(|_| StorageError("no anchor".into()))?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The browser reads the URL after this task; revoke it a little later.
    let revoke = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000)?;
    Ok(())
}

/// The bytes of a file the user chose.
pub async fn read(file: &File) -> Result<Vec<u8>, StorageError> {
    db::blob_bytes(file).await
}
