//! The TOML text of a checklist, for an exported bundle, a report or a backup (the extra
//! module's): an imported checklist's from IndexedDB (services/imported.rs); a built-in one's
//! fetched from the `source` URL the index in index.html gives it (services/checklists.rs
//! describes the index; the service worker's cache answers when offline), and refused unless its
//! content hash is the one the inspection records.

use wasm_bindgen_futures::JsFuture;
use zicha_core::checklist::{self, ChecklistRef};

use crate::services::checklists::{self as checklist_files, fetch_text};
use crate::services::db::StorageError;

/// The TOML text of the checklist `reference` names.
pub async fn source(reference: &ChecklistRef) -> Result<String, StorageError> {
    if let Some(text) = crate::services::imported::source(reference)
        .await
        .map_err(StorageError)?
    {
        return Ok(text);
    }
    let window = web_sys::window().ok_or_else(|| StorageError("no window".into()))?;
    checklist_files::install_index()?;
    let href = checklist_files::files(&reference.id)
        .ok_or_else(|| StorageError(format!("index.html lists no checklist {}", reference.id)))?
        .source;
    let text = fetch_text(JsFuture::from(window.fetch_with_str(&href)))
        .await
        .map_err(|error| StorageError(format!("{href}: {}", error.0)))?;
    let hash = checklist::content_hash(&text);
    if hash != reference.hash {
        return Err(StorageError(format!(
            "{href}: the text has hash {}, but the inspection refers to {} {} with hash {}",
            hash.short(12),
            reference.id,
            reference.version,
            reference.hash.short(12)
        )));
    }
    Ok(text)
}
