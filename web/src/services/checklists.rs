//! The sector checklists, fetched from the app's own origin one by one when a screen first needs
//! them. They are not compiled into the wasm (zicha-core without `builtin-checklists`) so that the
//! first download stays small, and they arrive already parsed and linted: the build
//! (crates/prebuild, run by Trunk.toml's pre_build hook) writes each `checklists/<stem>.toml` as
//! JSON and an index of them all, and web/sw/post-build.mjs copies the files under content-hashed
//! names and writes the index into index.html as
//! `<script type="application/json" id="zicha-checklists">`: zicha-core's `IndexEntry` of each
//! checklist (id, version, hash, sector, titles, counts) plus `json` (the URL of its JSON) and
//! `source` (its TOML). [`install_index`] reads it at start-up without a request, so the first
//! screen waits for no checklist; [`fetch`] loads one when an inspection, the ledger or a report
//! needs it (app.rs asks for those of the screen shown). The app so links neither the TOML parser
//! nor the lint. The TOML text goes into exported bundles and backups; services/checklist_source.rs
//! fetches it when an export needs it. The service worker caches every checklist's JSON and TOML
//! right after the app shell, so that all of them open offline. Checklists the user imported
//! (state/imported.rs) are in IndexedDB instead: [`load_imported`] adds them to the catalog at
//! start-up, before the records are loaded, and again when the extra module says it stored one.

use std::cell::RefCell;

use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;
use zicha_core::catalog::{self, IndexEntry};
use zicha_core::checklist::{self, ChecklistRef, Sector};
use zicha_core::hash::Sha256;

use crate::services::db::StorageError;

/// The id of the index's element in index.html.
const INDEX_ELEMENT: &str = "zicha-checklists";

/// Where one checklist's files are.
#[derive(Debug, Clone)]
pub(crate) struct Files {
    /// The checklist id.
    pub id: String,
    /// The URL of the JSON the build made of it.
    pub json: String,
    /// The URL of its TOML text (read by the extra module's exports: services/checklist_source.rs).
    #[cfg_attr(not(feature = "extra"), allow(dead_code))]
    pub source: String,
}

/// Where a checklist's fetch stands (none: never asked for, or loaded).
#[derive(Clone, Copy, PartialEq)]
enum Fetch {
    /// Being fetched now.
    Running,
    /// The last fetch failed (tried again when a screen asks for it again).
    Failed,
}

thread_local! {
    /// The files of every checklist of the installed index.
    static FILES: RefCell<Vec<Files>> = const { RefCell::new(Vec::new()) };
    /// The checklists being fetched or whose last fetch failed, by id (a few at most: a `Vec`
    /// costs the shell less code than a set).
    static FETCHES: RefCell<Vec<(String, Fetch)>> = const { RefCell::new(Vec::new()) };
}

/// Where the fetch of checklist `id` stands.
fn fetch_state(id: &str) -> Option<Fetch> {
    FETCHES.with(|fetches| {
        fetches
            .borrow()
            .iter()
            .find(|(fetched, _)| fetched == id)
            .map(|(_, state)| *state)
    })
}

/// Records where the fetch of checklist `id` stands (none: done).
fn set_fetch_state(id: &str, state: Option<Fetch>) {
    FETCHES.with(|fetches| {
        let mut fetches = fetches.borrow_mut();
        fetches.retain(|(fetched, _)| fetched != id);
        if let Some(state) = state {
            fetches.push((id.to_owned(), state));
        }
    });
}

/// Reads the index of the checklists from index.html and installs it as zicha-core's catalog
/// (once per wasm module: a second call answers `Ok` without reading it again). No checklist is
/// fetched. The error names what is missing or where the index cannot be read.
pub fn install_index() -> Result<(), StorageError> {
    if FILES.with(|files| !files.borrow().is_empty()) {
        return Ok(());
    }
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| StorageError("no document".into()))?;
    let text = document
        .get_element_by_id(INDEX_ELEMENT)
        .and_then(|element| element.text_content())
        .ok_or_else(|| StorageError(format!("index.html has no #{INDEX_ELEMENT}")))?;
    let shown = format!("index.html#{INDEX_ELEMENT}");
    let (entries, files) =
        read_index(&text).map_err(|error| StorageError(format!("{shown}: {error}")))?;
    if catalog::install_index(entries).is_err() {
        return Err(StorageError(
            "the checklist index was installed twice".into(),
        ));
    }
    FILES.with(|cell| *cell.borrow_mut() = files);
    Ok(())
}

/// Reads the index post-build.mjs wrote: a JSON array of zicha-core's `IndexEntry`, each with the
/// URLs `json` and `source`. Read as a `serde_json::Value`, whose code the shell links anyway
/// (records are migrated as values: state/migrate.rs), not through a derived deserializer of its
/// own (about 4 KB of wasm). The error names the entry and the field.
fn read_index(text: &str) -> Result<(Vec<IndexEntry>, Vec<Files>), String> {
    let value: Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
    let listed = value.as_array().ok_or("not a JSON array")?;
    if listed.is_empty() {
        return Err("no checklist is listed".into());
    }
    let mut entries = Vec::with_capacity(listed.len());
    let mut files = Vec::with_capacity(listed.len());
    for (n, entry) in listed.iter().enumerate() {
        let missing = |key: &str| format!("entry {n}: no `{key}`");
        let text = |key: &str| {
            entry
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| missing(key))
        };
        let count = |key: &str| {
            entry
                .get(key)
                .and_then(Value::as_u64)
                .and_then(|count| usize::try_from(count).ok())
                .ok_or_else(|| missing(key))
        };
        let hash = Sha256::parse_hex(&text("hash")?).ok_or_else(|| missing("hash"))?;
        let sector_key = text("sector")?;
        let sector = Sector::ALL
            .into_iter()
            .find(|sector| sector.key() == sector_key)
            .ok_or_else(|| format!("entry {n}: no sector `{sector_key}`"))?;
        let id = text("id")?;
        files.push(Files {
            id: id.clone(),
            json: text("json")?,
            source: text("source")?,
        });
        entries.push(IndexEntry {
            id,
            version: text("version")?,
            hash,
            sector,
            title_zh: text("title_zh")?,
            title_en: text("title_en")?,
            sections: count("sections")?,
            items: count("items")?,
            // Counts the 检查表 screen shows; 0 from a build before them.
            major: count("major").unwrap_or(0),
            verified: count("verified").unwrap_or(0),
        });
    }
    Ok((entries, files))
}

/// Adds the imported checklists IndexedDB holds to zicha-core's catalog (those added before stay).
/// A record that cannot be read is named in the error; the others are added all the same.
pub async fn load_imported() -> Result<(), StorageError> {
    let records = crate::services::db::imported_checklists().await?;
    let (read, mut problems) = crate::state::imported::read_all(&records);
    for record in read {
        match record.checklist() {
            Ok(checklist) => {
                catalog::add_imported(checklist);
            }
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(StorageError(problems.join("; ")))
    }
}

/// The files of the checklist with this id, as the index lists them.
pub(crate) fn files(id: &str) -> Option<Files> {
    FILES.with(|files| files.borrow().iter().find(|files| files.id == id).cloned())
}

/// Whether the checklist an inspection refers to is listed in the index and not loaded yet, and
/// its last fetch has not failed: a screen shows that it is loading rather than missing.
pub fn is_pending(reference: &ChecklistRef) -> bool {
    catalog::indexed(reference).is_some()
        && catalog::resolve(reference).is_none()
        && fetch_state(&reference.id) != Some(Fetch::Failed)
}

/// Of `references`, those listed in the index, neither loaded nor being fetched, once each: what
/// [`fetch`] is to be called for. They count as being fetched from now on.
pub fn to_fetch(references: &[ChecklistRef]) -> Vec<ChecklistRef> {
    let mut wanted: Vec<ChecklistRef> = Vec::new();
    for reference in references {
        let listed = catalog::indexed(reference).is_some();
        let loaded = catalog::resolve(reference).is_some();
        let fetching = fetch_state(&reference.id) == Some(Fetch::Running);
        if listed && !loaded && !fetching && !wanted.contains(reference) {
            wanted.push(reference.clone());
        }
    }
    for reference in &wanted {
        set_fetch_state(&reference.id, Some(Fetch::Running));
    }
    wanted
}

/// Fetches the JSON of the checklist `reference` names (one [`to_fetch`] gave) and adds it to
/// zicha-core's catalog. The error names the file and, for one that cannot be read, serde_json's
/// line and column.
pub async fn fetch(reference: &ChecklistRef) -> Result<(), StorageError> {
    set_fetch_state(&reference.id, Some(Fetch::Running));
    let result = fetch_and_add(reference).await;
    set_fetch_state(&reference.id, result.is_err().then_some(Fetch::Failed));
    result
}

async fn fetch_and_add(reference: &ChecklistRef) -> Result<(), StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError("no window".into()))?;
    let href = files(&reference.id)
        .ok_or_else(|| StorageError(format!("index.html lists no checklist {}", reference.id)))?
        .json;
    let text = fetch_text(JsFuture::from(window.fetch_with_str(&href)))
        .await
        .map_err(|error| StorageError(format!("{href}: {}", error.0)))?;
    let checklist = checklist::from_json(&reference.id, &text)
        .map_err(|problem| StorageError(problem.display_with(&href).to_string()))?;
    let found = checklist.reference();
    match catalog::add(checklist) {
        Some(_) => Ok(()),
        None => Err(StorageError(format!(
            "{href}: {} {} with hash {} is not the checklist the index lists",
            found.id,
            found.version,
            found.hash.short(12)
        ))),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_the_build_writes_is_read_with_its_files() {
        let school = catalog::by_id("school").expect("built in");
        let json = catalog::index_to_json(std::slice::from_ref(school));
        let listed = json.replacen(
            '{',
            r#"{"json":"./checklists/school-01.json","source":"./checklists/school-02.toml","#,
            1,
        );
        let (entries, files) = read_index(&listed).expect("read");
        assert_eq!(entries, [IndexEntry::of(school)]);
        assert_eq!(
            (
                files[0].id.as_str(),
                files[0].json.as_str(),
                files[0].source.as_str()
            ),
            (
                "school",
                "./checklists/school-01.json",
                "./checklists/school-02.toml"
            )
        );
    }

    #[track_caller]
    fn check_error(listed: &str, expected: &str) {
        assert_eq!(read_index(listed).map(|_| ()), Err(expected.to_owned()));
    }

    #[test]
    fn an_index_that_cannot_be_read_names_the_entry_and_the_field() {
        let school = catalog::by_id("school").expect("built in");
        let json = catalog::index_to_json(std::slice::from_ref(school));
        let with_files =
            |json: &str| json.replacen('{', r#"{"json":"a.json","source":"a.toml","#, 1);
        check_error("{}", "not a JSON array");
        check_error("[]", "no checklist is listed");
        check_error("[", "EOF while parsing a list at line 1 column 1");
        check_error(&json, "entry 0: no `json`");
        check_error(
            &with_files(&json.replace("\"items\":", "\"things\":")),
            "entry 0: no `items`",
        );
        check_error(
            &with_files(&json.replace(&school.hash.to_string(), "00ff")),
            "entry 0: no `hash`",
        );
        check_error(
            &with_files(&json.replace("\"sector\":\"school\"", "\"sector\":\"campus\"")),
            "entry 0: no sector `campus`",
        );
    }
}
