//! The sector checklists, fetched at start-up from the app's own origin. They are not compiled
//! into the wasm (zicha-core without `builtin-checklists`) so that the first download stays small,
//! and they arrive already parsed and linted: the build (crates/prebuild, run by Trunk.toml's
//! pre_build hook) writes each `checklists/<stem>.toml` as JSON, and web/sw/post-build.mjs copies
//! both under content-hashed names and lists each checklist in index.html as
//! `<link rel="preload" href="…/<stem>-<hash>.json" data-checklist="<stem>"
//! data-source="…/<stem>-<hash>.toml">`. The browser fetches the JSON next to the wasm, and the
//! app so links neither the TOML parser nor the lint. The TOML text goes into exported bundles and
//! backups; [`source`] fetches it when an export needs it. The service worker precaches the JSON
//! with the app shell and the TOML with the lazily cached files, so both load offline.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, Response};
#[cfg(feature = "extra")]
use zicha_core::checklist::{self, ChecklistRef};

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

/// The TOML text of the checklist `reference` names, for an exported bundle or backup: fetched
/// from the `data-source` link of its checklist in index.html (the service worker's cache when
/// offline), and refused unless its content hash is the one the reference records. (Exports are
/// the extra module's.)
#[cfg(feature = "extra")]
pub async fn source(reference: &ChecklistRef) -> Result<String, StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError("no window".into()))?;
    let link = checklist_links()?
        .into_iter()
        .find(|link| link.stem == reference.id)
        .ok_or_else(|| StorageError(format!("index.html lists no checklist {}", reference.id)))?;
    let href = link.source.ok_or_else(|| {
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

/// One `<link data-checklist>` of index.html.
struct ChecklistLink {
    /// The file stem, which is the checklist id.
    stem: String,
    /// The JSON of the parsed checklist.
    href: String,
    /// The TOML text it was made from.
    #[cfg_attr(not(feature = "extra"), allow(dead_code))]
    source: Option<String>,
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
            links.push(ChecklistLink {
                stem,
                href,
                source: link.get_attribute("data-source"),
            });
        }
    }
    Ok(links)
}

async fn fetch_text(request: JsFuture) -> Result<String, StorageError> {
    let response: Response = request.await?.dyn_into()?;
    if !response.ok() {
        return Err(StorageError(format!("HTTP {}", response.status())));
    }
    let text = JsFuture::from(response.text()?).await?;
    text.as_string()
        .ok_or_else(|| StorageError("not text".into()))
}
