//! The checklists built into Zicha: the files of `checklists/`, compiled in so that the CLI and the
//! app work anywhere, offline. A test checks that this list equals the folder's contents.

use std::sync::OnceLock;

use crate::checklist::{self, Checklist, ChecklistRef};

/// `(file stem, file text)` of a file in `checklists/`.
macro_rules! checklist_file {
    ($stem:literal) => {
        (
            $stem,
            include_str!(concat!("../../../checklists/", $stem, ".toml")),
        )
    };
}

/// (file stem, file text) of every built-in checklist, construction first.
pub const SOURCES: &[(&str, &str)] = &[
    checklist_file!("construction"),
    checklist_file!("city-gas"),
    checklist_file!("coal-mine"),
    checklist_file!("fire-safety"),
    checklist_file!("fireworks-explosives"),
    checklist_file!("generic"),
    checklist_file!("geological-hazard"),
    checklist_file!("hazardous-chemicals"),
    checklist_file!("industry-trade"),
    checklist_file!("metal-mine"),
    checklist_file!("road-transport"),
    checklist_file!("school"),
    checklist_file!("special-equipment"),
    checklist_file!("water-transport"),
];

/// The built-in checklists, parsed once. A file with problems is left out (the test suite lints
/// every file, so this does not happen in a released build).
pub fn builtin() -> &'static [Checklist] {
    static PARSED: OnceLock<Vec<Checklist>> = OnceLock::new();
    PARSED.get_or_init(|| {
        SOURCES
            .iter()
            .filter_map(|(stem, source)| match checklist::parse_file(stem, source) {
                (Some(checklist), problems) if problems.is_empty() => Some(checklist),
                _ => None,
            })
            .collect()
    })
}

/// The built-in checklist with this id (any version).
pub fn by_id(id: &str) -> Option<&'static Checklist> {
    builtin().iter().find(|checklist| checklist.id == id)
}

/// The built-in checklist an inspection refers to: same id, version and content hash.
pub fn resolve(reference: &ChecklistRef) -> Option<&'static Checklist> {
    builtin()
        .iter()
        .find(|checklist| checklist.reference() == *reference)
}

/// The text of the built-in checklist an inspection refers to.
pub fn source_of(reference: &ChecklistRef) -> Option<&'static str> {
    SOURCES
        .iter()
        .map(|(_, source)| *source)
        .find(|source| checklist::content_hash(source) == reference.hash)
}
