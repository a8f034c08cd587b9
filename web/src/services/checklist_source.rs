//! The TOML text of a checklist, for an exported bundle or backup (the extra module's): fetched
//! from the `data-source` of its `<link data-checklist>` in index.html (services/checklists.rs
//! describes those links; the service worker's cache answers when offline), and refused unless its
//! content hash is the one the inspection records.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Element;
use zicha_core::checklist::{self, ChecklistRef};

use crate::services::checklists::fetch_text;
use crate::services::db::StorageError;

/// The TOML text of the checklist `reference` names.
pub async fn source(reference: &ChecklistRef) -> Result<String, StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError("no window".into()))?;
    let document = window
        .document()
        .ok_or_else(|| StorageError("no document".into()))?;
    let nodes = document.query_selector_all("link[data-checklist]")?;
    let link = (0..nodes.length())
        .filter_map(|idx| nodes.item(idx)?.dyn_into::<Element>().ok())
        .find(|link| link.get_attribute("data-checklist").as_deref() == Some(&reference.id))
        .ok_or_else(|| StorageError(format!("index.html lists no checklist {}", reference.id)))?;
    let href = link.get_attribute("data-source").ok_or_else(|| {
        StorageError(format!(
            "index.html gives no data-source for checklist {}",
            reference.id
        ))
    })?;
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
