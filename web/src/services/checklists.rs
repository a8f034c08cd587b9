//! The sector checklists, fetched at start-up from the app's own origin. They are not compiled
//! into the wasm (zicha-core without `builtin-checklists`) so that the first download stays small,
//! and they arrive already parsed and linted: the build (crates/prebuild, run by Trunk.toml's
//! pre_build hook) writes each `checklists/<stem>.toml` as JSON, and web/sw/post-build.mjs copies
//! both under content-hashed names and lists each checklist in index.html as
//! `<link rel="preload" href="…/<stem>-<hash>.json" data-checklist="<stem>"
//! data-source="…/<stem>-<hash>.toml">`. The browser fetches the JSON next to the wasm, and the
//! app so links neither the TOML parser nor the lint. The TOML text goes into exported bundles and
//! backups; services/checklist_source.rs fetches it when an export needs it. The service worker precaches the JSON
//! with the app shell and the TOML with the lazily cached files, so both load offline.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, Response};

use crate::services::db::StorageError;

/// Fetches every checklist index.html lists (the JSON the build made of the linted TOML) and
/// installs them as zicha-core's catalog. The error names every file that could not be loaded or
/// read (with serde_json's line and column); the files that loaded are installed all the same.
pub async fn load() -> Result<(), StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError("no window".into()))?;
    // Start every request before waiting for any.
    let mut requests = Vec::new();
    for link in checklist_links()? {
        let request = JsFuture::from(window.fetch_with_str(&link.href));
        requests.push((link, request));
    }
    if requests.is_empty() {
        return Err(StorageError("index.html lists no checklist".into()));
    }
    let mut files = Vec::new();
    let mut hrefs = Vec::new();
    let mut failures = Vec::new();
    for (link, request) in requests {
        match fetch_text(request).await {
            Ok(text) => {
                files.push((link.stem.clone(), text));
                hrefs.push((link.stem, link.href));
            }
            Err(error) => failures.push(format!("{}: {}", link.href, error.0)),
        }
    }
    let (catalog, problems) = zicha_core::catalog::Catalog::from_json(files);
    for file in problems {
        let href = hrefs
            .iter()
            .find(|(stem, _)| *stem == file.stem)
            .map_or(file.stem.as_str(), |(_, href)| href.as_str());
        for problem in &file.problems {
            failures.push(problem.display_with(href).to_string());
        }
    }
    if zicha_core::catalog::install(catalog).is_err() {
        failures.push("the checklists were installed twice".into());
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(StorageError(failures.join("; ")))
    }
}

/// One `<link data-checklist>` of index.html.
struct ChecklistLink {
    /// The file stem, which is the checklist id.
    stem: String,
    /// The JSON of the parsed checklist.
    href: String,
}

/// Every `<link data-checklist href>` of index.html, in document order (construction first).
fn checklist_links() -> Result<Vec<ChecklistLink>, StorageError> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| StorageError("no document".into()))?;
    let nodes = document.query_selector_all("link[data-checklist]")?;
    let mut links = Vec::new();
    for idx in 0..nodes.length() {
        let Some(link) = nodes
            .item(idx)
            .and_then(|node| node.dyn_into::<Element>().ok())
        else {
            continue;
        };
        if let (Some(stem), Some(href)) = (
            link.get_attribute("data-checklist"),
            link.get_attribute("href"),
        ) {
            links.push(ChecklistLink { stem, href });
        }
    }
    Ok(links)
}

/// The text of a fetched response; an HTTP error names its status.
pub(crate) async fn fetch_text(request: JsFuture) -> Result<String, StorageError> {
    let response: Response = request.await?.dyn_into()?;
    if !response.ok() {
        return Err(StorageError(format!("HTTP {}", response.status())));
    }
    let text = JsFuture::from(response.text()?).await?;
    text.as_string()
        .ok_or_else(|| StorageError("not text".into()))
}
