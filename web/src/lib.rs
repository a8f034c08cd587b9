//! zicha-web is the browser app. Until the app issue lands it only proves that zicha-core compiles
//! into the web crate; the Yew app, IndexedDB services and the service worker come with that issue.

/// The number of checklists the app will offer, taken from zicha-core's built-in catalogue.
pub fn checklist_count() -> usize {
    zicha_core::catalog::builtin().len()
}
