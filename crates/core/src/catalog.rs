//! The checklists Zicha knows: by default the files of `checklists/`, compiled in so that the CLI
//! works anywhere, offline (a test checks that this list equals the folder's contents). Without the
//! `builtin-checklists` feature nothing is compiled in and the caller installs a [`Catalog`] built
//! from the same files at run time: the browser app fetches them from its own origin so that its
//! first download stays small.

use std::sync::OnceLock;

use crate::checklist::{self, Checklist, ChecklistRef, Problem};

/// `(file stem, file text)` of a file in `checklists/`.
#[cfg(feature = "builtin-checklists")]
macro_rules! checklist_file {
    ($stem:literal) => {
        (
            $stem,
            include_str!(concat!("../../../checklists/", $stem, ".toml")),
        )
    };
}

/// (file stem, file text) of every built-in checklist, construction first.
#[cfg(feature = "builtin-checklists")]
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

/// A set of checklists parsed from their file texts, in the order they were given.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// `(file stem, file text)` of every file, with problems or not.
    sources: Vec<(String, String)>,
    /// The files that parsed and linted without a problem.
    checklists: Vec<Checklist>,
}

/// The problems of one file given to [`Catalog::from_sources`].
#[derive(Debug, Clone, PartialEq)]
pub struct FileProblems {
    /// The file stem (the checklist id it must declare).
    pub stem: String,
    /// Every problem found, in source order.
    pub problems: Vec<Problem>,
}

impl Catalog {
    /// Parses and lints every `(file stem, file text)` exactly as the built-in checklists are. A
    /// file with problems is left out of the catalog, and its problems are returned.
    pub fn from_sources<S, T>(
        sources: impl IntoIterator<Item = (S, T)>,
    ) -> (Catalog, Vec<FileProblems>)
    where
        S: Into<String>,
        T: Into<String>,
    {
        let sources: Vec<(String, String)> = sources
            .into_iter()
            .map(|(stem, source)| (stem.into(), source.into()))
            .collect();
        let mut checklists = Vec::with_capacity(sources.len());
        let mut file_problems = Vec::new();
        for (stem, source) in &sources {
            match checklist::parse_file(stem, source) {
                (Some(checklist), problems) if problems.is_empty() => checklists.push(checklist),
                (_, problems) => file_problems.push(FileProblems {
                    stem: stem.clone(),
                    problems,
                }),
            }
        }
        (
            Catalog {
                sources,
                checklists,
            },
            file_problems,
        )
    }

    /// The checklists without problems, in the order of the sources.
    pub fn checklists(&self) -> &[Checklist] {
        &self.checklists
    }

    /// The checklist with this id (any version).
    pub fn by_id(&self, id: &str) -> Option<&Checklist> {
        self.checklists.iter().find(|checklist| checklist.id == id)
    }

    /// The checklist an inspection refers to: same id, version and content hash.
    pub fn resolve(&self, reference: &ChecklistRef) -> Option<&Checklist> {
        self.checklists
            .iter()
            .find(|checklist| checklist.reference() == *reference)
    }

    /// The text of the checklist an inspection refers to.
    pub fn source_of(&self, reference: &ChecklistRef) -> Option<&str> {
        self.sources
            .iter()
            .map(|(_, source)| source.as_str())
            .find(|source| checklist::content_hash(source) == reference.hash)
    }
}

static CATALOG: OnceLock<Catalog> = OnceLock::new();

/// Makes `catalog` the one [`builtin`], [`by_id`], [`resolve`] and [`source_of`] answer from.
/// Only once, before the first of them is called: otherwise (or with the `builtin-checklists`
/// feature, once the compiled-in catalog is in use) the catalog is given back.
pub fn install(catalog: Catalog) -> std::result::Result<(), Catalog> {
    CATALOG.set(catalog)
}

/// The catalog in use: the installed one, else the compiled-in files (with the
/// `builtin-checklists` feature) or none.
fn current() -> &'static Catalog {
    #[cfg(feature = "builtin-checklists")]
    {
        CATALOG.get_or_init(|| Catalog::from_sources(SOURCES.iter().copied()).0)
    }
    #[cfg(not(feature = "builtin-checklists"))]
    {
        static EMPTY: Catalog = Catalog {
            sources: Vec::new(),
            checklists: Vec::new(),
        };
        CATALOG.get().unwrap_or(&EMPTY)
    }
}

/// The known checklists, parsed once. A file with problems is left out (the test suite lints
/// every built-in file, so this does not happen in a released build).
pub fn builtin() -> &'static [Checklist] {
    current().checklists()
}

/// The known checklist with this id (any version).
pub fn by_id(id: &str) -> Option<&'static Checklist> {
    current().by_id(id)
}

/// The known checklist an inspection refers to: same id, version and content hash.
pub fn resolve(reference: &ChecklistRef) -> Option<&'static Checklist> {
    current().resolve(reference)
}

/// The text of the known checklist an inspection refers to.
pub fn source_of(reference: &ChecklistRef) -> Option<&'static str> {
    current().source_of(reference)
}

#[cfg(all(test, feature = "builtin-checklists"))]
mod tests {
    use super::*;

    #[test]
    fn run_time_sources_give_the_builtin_catalog() {
        let (catalog, problems) = Catalog::from_sources(SOURCES.iter().copied());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(catalog.checklists(), builtin());
        for checklist in builtin() {
            let reference = checklist.reference();
            assert_eq!(catalog.by_id(&checklist.id), Some(checklist));
            assert_eq!(catalog.resolve(&reference), Some(checklist));
            assert_eq!(catalog.source_of(&reference), source_of(&reference));
        }
    }

    #[test]
    fn a_file_with_problems_is_left_out_and_reported() {
        let (catalog, problems) =
            Catalog::from_sources([("construction", SOURCES[0].1), ("school", "id = 3")]);
        assert_eq!(catalog.checklists().len(), 1);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].stem, "school");
        assert!(!problems[0].problems.is_empty());
    }
}
