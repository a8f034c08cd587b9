//! The checklists built into Zicha: the files of `checklists/`, compiled in so that the CLI and the
//! app work anywhere, offline. A test checks that this list equals the folder's contents.

use std::sync::OnceLock;

use crate::checklist::{self, Checklist, ChecklistRef};

/// (file stem, file text) of every built-in checklist.
pub const SOURCES: &[(&str, &str)] = &[
    // BEGIN CHECKLISTS
    (
        "construction",
        include_str!("../../../checklists/construction.toml"),
    ),
    (
        "city-gas",
        include_str!("../../../checklists/city-gas.toml"),
    ),
    (
        "coal-mine",
        include_str!("../../../checklists/coal-mine.toml"),
    ),
    (
        "fire-safety",
        include_str!("../../../checklists/fire-safety.toml"),
    ),
    (
        "fireworks-explosives",
        include_str!("../../../checklists/fireworks-explosives.toml"),
    ),
    (
        "geological-hazard",
        include_str!("../../../checklists/geological-hazard.toml"),
    ),
    (
        "hazardous-chemicals",
        include_str!("../../../checklists/hazardous-chemicals.toml"),
    ),
    (
        "industry-trade",
        include_str!("../../../checklists/industry-trade.toml"),
    ),
    (
        "metal-mine",
        include_str!("../../../checklists/metal-mine.toml"),
    ),
    (
        "road-transport",
        include_str!("../../../checklists/road-transport.toml"),
    ),
    ("school", include_str!("../../../checklists/school.toml")),
    (
        "special-equipment",
        include_str!("../../../checklists/special-equipment.toml"),
    ),
    (
        "water-transport",
        include_str!("../../../checklists/water-transport.toml"),
    ),
    // END CHECKLISTS
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
