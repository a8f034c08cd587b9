//! The sector checklists, fetched at start-up from the app's own origin. They are not compiled
//! into the wasm (zicha-core without `builtin-checklists`) so that the first download stays small;
//! the build copies `checklists/*.toml` under content-hashed names, lists them in index.html as
//! `<link rel="preload" data-checklist …>` (so the browser fetches them next to the wasm) and the
//! service worker precaches them, so they load offline too.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, Response};

use crate::services::db::StorageError;

/// Fetches every checklist index.html lists, parses and lints them exactly as the built-in ones
/// are, and installs them as zicha-core's catalog. The error names every file that could not be
/// loaded or has problems; the files that loaded are installed all the same.
pub async fn load() -> Result<(), StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError("no window".into()))?;
    let document = window
        .document()
        .ok_or_else(|| StorageError("no document".into()))?;
    let links = document.query_selector_all("link[data-checklist]")?;
    // Start every request before waiting for any.
    let mut requests = Vec::new();
    for idx in 0..links.length() {
        let Some(link) = links
            .item(idx)
            .and_then(|node| node.dyn_into::<Element>().ok())
        else {
            continue;
        };
        let (Some(stem), Some(href)) = (
            link.get_attribute("data-checklist"),
            link.get_attribute("href"),
        ) else {
            continue;
        };
        let request = JsFuture::from(window.fetch_with_str(&href));
        requests.push((stem, href, request));
    }
    if requests.is_empty() {
        return Err(StorageError("index.html lists no checklist".into()));
    }
    let mut sources = Vec::new();
    let mut failures = Vec::new();
    for (stem, href, request) in requests {
        match fetch_text(request).await {
            Ok(text) => sources.push((stem, text)),
            Err(error) => failures.push(format!("{href}: {}", error.0)),
        }
    }
    let (catalog, problems) = zicha_core::catalog::Catalog::from_sources(sources);
    for file in problems {
        let first = file.problems.first().map_or(String::new(), |problem| {
            format!(":{}:{}: {}", problem.line, problem.column, problem.message)
        });
        failures.push(format!("{}.toml{first}", file.stem));
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

async fn fetch_text(request: JsFuture) -> Result<String, StorageError> {
    let response: Response = request.await?.dyn_into()?;
    if !response.ok() {
        return Err(StorageError(format!("HTTP {}", response.status())));
    }
    let text = JsFuture::from(response.text()?).await?;
    text.as_string()
        .ok_or_else(|| StorageError("not text".into()))
}
