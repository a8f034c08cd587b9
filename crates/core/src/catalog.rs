//! The checklists Zicha knows: by default the files of `checklists/`, compiled in so that the CLI
//! works anywhere, offline (a test checks that this list equals the folder's contents). Without the
//! `builtin-checklists` feature nothing is compiled in and the caller installs a [`Catalog`] built
//! at run time: the browser app fetches the checklists from its own origin so that its first
//! download stays small, already parsed and linted at build time, as JSON
//! ([`Catalog::from_json`]), so that it links neither the TOML parser nor the lint.

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
    checklist_file!("elderly-care"),
    checklist_file!("fire-safety"),
    checklist_file!("fireworks-explosives"),
    checklist_file!("fishing-vessel"),
    checklist_file!("gas-station"),
    checklist_file!("generic"),
    checklist_file!("geological-hazard"),
    checklist_file!("hazardous-chemicals"),
    checklist_file!("highway-waterway"),
    checklist_file!("industry-trade"),
    checklist_file!("medical"),
    checklist_file!("metal-mine"),
    checklist_file!("power"),
    checklist_file!("road-transport"),
    checklist_file!("school"),
    checklist_file!("special-equipment"),
    checklist_file!("water-conservancy"),
    checklist_file!("water-transport"),
];

/// A set of checklists, in the order they were given: parsed from their file texts
/// ([`Catalog::from_sources`]) or read from the JSON the build made of them ([`Catalog::from_json`]).
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// `(file stem, file text)` of every TOML file, with problems or not; none when read from JSON.
    sources: Vec<(String, String)>,
    /// The files that parsed and linted without a problem.
    checklists: Vec<Checklist>,
}

/// The problems of one file given to [`Catalog::from_sources`] or [`Catalog::from_json`].
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

    /// Reads every `(file stem, JSON text)` written by [`checklist::to_json`] (at build time, from
    /// a file that parsed and linted without a problem). A file that cannot be read is left out of
    /// the catalog, and its problem (serde_json's line and column) is returned. The catalog holds
    /// no TOML text: its [`Catalog::source_of`] answers nothing.
    pub fn from_json<S, T>(files: impl IntoIterator<Item = (S, T)>) -> (Catalog, Vec<FileProblems>)
    where
        S: Into<String>,
        T: AsRef<str>,
    {
        let mut checklists = Vec::new();
        let mut file_problems = Vec::new();
        for (stem, json) in files {
            let stem = stem.into();
            match checklist::from_json(&stem, json.as_ref()) {
                Ok(checklist) => checklists.push(checklist),
                Err(problem) => file_problems.push(FileProblems {
                    stem,
                    problems: vec![problem],
                }),
            }
        }
        (
            Catalog {
                sources: Vec::new(),
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

    /// The text of the checklist an inspection refers to (none for a catalog read from JSON).
    pub fn source_of(&self, reference: &ChecklistRef) -> Option<&str> {
        self.sources
            .iter()
            .map(|(_, source)| source.as_str())
            .find(|source| checklist::content_hash(source) == reference.hash)
    }
}

/// The catalog that answers [`builtin`], [`by_id`], [`resolve`] and [`source_of`].
enum InUse {
    /// Given to [`install`].
    Installed(Catalog),
    /// The compiled-in files, parsed when first needed.
    #[cfg(feature = "builtin-checklists")]
    Builtin,
}

static IN_USE: OnceLock<InUse> = OnceLock::new();

/// The compiled-in files, every one parsed: for [`builtin`], [`by_id`] and [`source_of`].
#[cfg(feature = "builtin-checklists")]
static BUILTIN_CATALOG: OnceLock<Catalog> = OnceLock::new();

/// The compiled-in files parsed one by one, for [`resolve`]: a process that checks one report
/// (`zicha verify`) parses the one checklist it refers to, not all of them.
#[cfg(feature = "builtin-checklists")]
static BUILTIN_PARSED: [OnceLock<Option<Checklist>>; SOURCES.len()] =
    [const { OnceLock::new() }; SOURCES.len()];

static EMPTY: Catalog = Catalog {
    sources: Vec::new(),
    checklists: Vec::new(),
};

/// Makes `catalog` the one [`builtin`], [`by_id`], [`resolve`] and [`source_of`] answer from.
/// Only once, before the first of them is called: otherwise (or with the `builtin-checklists`
/// feature, once the compiled-in catalog is in use) the catalog is given back.
pub fn install(catalog: Catalog) -> std::result::Result<(), Catalog> {
    let mut offered = Some(catalog);
    // The closure runs at most once, and then `offered` still holds the catalog.
    IN_USE.get_or_init(|| InUse::Installed(offered.take().unwrap_or_default()));
    match offered {
        None => Ok(()),
        Some(catalog) => Err(catalog),
    }
}

/// The catalog in use: the installed one, else the compiled-in files (with the
/// `builtin-checklists` feature, which are then in use for good) or none.
fn in_use() -> Option<&'static InUse> {
    #[cfg(feature = "builtin-checklists")]
    {
        Some(IN_USE.get_or_init(|| InUse::Builtin))
    }
    #[cfg(not(feature = "builtin-checklists"))]
    {
        IN_USE.get()
    }
}

/// The catalog in use with every file parsed.
fn current() -> &'static Catalog {
    match in_use() {
        Some(InUse::Installed(catalog)) => catalog,
        #[cfg(feature = "builtin-checklists")]
        Some(InUse::Builtin) => {
            BUILTIN_CATALOG.get_or_init(|| Catalog::from_sources(SOURCES.iter().copied()).0)
        }
        None => &EMPTY,
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

/// The known checklist an inspection refers to: same id, version and content hash. With the
/// compiled-in files only the one the reference names is parsed (unless all are already).
pub fn resolve(reference: &ChecklistRef) -> Option<&'static Checklist> {
    match in_use()? {
        InUse::Installed(catalog) => catalog.resolve(reference),
        #[cfg(feature = "builtin-checklists")]
        InUse::Builtin => match BUILTIN_CATALOG.get() {
            Some(catalog) => catalog.resolve(reference),
            None => resolve_one(SOURCES, &BUILTIN_PARSED, reference),
        },
    }
}

/// [`Catalog::resolve`] over `sources` parsing at most one file, into its cell of `parsed` (one
/// per source, kept for the next call). A file that parses without problems declares the id of
/// its stem, and a checklist's hash is its text's, so only the file named after the reference's id
/// can match, and only when its text has the reference's hash: that is checked before parsing.
/// The stems must be unique (they are file names).
#[cfg(feature = "builtin-checklists")]
fn resolve_one<'a>(
    sources: &[(&str, &str)],
    parsed: &'a [OnceLock<Option<Checklist>>],
    reference: &ChecklistRef,
) -> Option<&'a Checklist> {
    let index = sources.iter().position(|(stem, _)| *stem == reference.id)?;
    let (stem, source) = sources[index];
    if checklist::content_hash(source) != reference.hash {
        return None;
    }
    parsed
        .get(index)?
        .get_or_init(|| match checklist::parse_file(stem, source) {
            (Some(checklist), problems) if problems.is_empty() => Some(checklist),
            _ => None,
        })
        .as_ref()
        .filter(|checklist| checklist.reference() == *reference)
}

/// The text of the known checklist an inspection refers to. None when the installed catalog was
/// read from JSON (the browser app fetches the text on demand instead).
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
            assert_eq!(resolve(&reference), Some(checklist));
            assert_eq!(catalog.source_of(&reference), source_of(&reference));
        }
    }

    #[test]
    fn json_of_the_builtin_files_gives_the_builtin_catalog_without_sources() {
        let json: Vec<(&str, String)> = builtin()
            .iter()
            .map(|checklist| (checklist.id.as_str(), checklist::to_json(checklist)))
            .collect();
        let (catalog, problems) = Catalog::from_json(json);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(catalog.checklists(), builtin());
        for checklist in builtin() {
            assert_eq!(catalog.resolve(&checklist.reference()), Some(checklist));
            assert_eq!(catalog.source_of(&checklist.reference()), None);
        }
    }

    #[test]
    fn a_json_file_that_cannot_be_read_is_left_out_and_reported() {
        let construction = checklist::to_json(by_id("construction").expect("built in"));
        let (catalog, problems) = Catalog::from_json([
            ("construction", construction.as_str()),
            ("school", "{\n  \"id\": 3}"),
        ]);
        assert_eq!(catalog.checklists().len(), 1);
        assert_eq!(
            problems,
            [FileProblems {
                stem: "school".to_owned(),
                problems: vec![Problem {
                    line: 2,
                    column: 9,
                    message: "json: invalid type: integer `3`, expected a string".to_owned(),
                }],
            }]
        );
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

    /// Resolves `reference` over `sources` with fresh cells; the answer and which files were
    /// parsed.
    fn resolve_fresh(
        sources: &[(&str, &str)],
        reference: &ChecklistRef,
    ) -> (Option<Checklist>, Vec<usize>) {
        let parsed: Vec<OnceLock<Option<Checklist>>> =
            sources.iter().map(|_| OnceLock::new()).collect();
        let found = resolve_one(sources, &parsed, reference).cloned();
        let parsed_files = (0..sources.len())
            .filter(|&index| parsed[index].get().is_some())
            .collect();
        (found, parsed_files)
    }

    #[test]
    fn resolve_parses_only_the_file_the_reference_names() {
        for (index, checklist) in builtin().iter().enumerate() {
            let reference = checklist.reference();
            let (found, parsed_files) = resolve_fresh(SOURCES, &reference);
            assert_eq!(found.as_ref(), Some(checklist));
            assert_eq!(parsed_files, [index], "{}", checklist.id);
        }
    }

    #[test]
    fn resolve_checks_the_hash_before_parsing_and_the_version_after() {
        let construction = by_id("construction").expect("built in");
        let other_hash = ChecklistRef {
            hash: by_id("school").expect("built in").hash,
            ..construction.reference()
        };
        assert_eq!(resolve_fresh(SOURCES, &other_hash), (None, vec![]));
        assert_eq!(resolve(&other_hash), None);

        let other_version = ChecklistRef {
            version: "1999.1".to_owned(),
            ..construction.reference()
        };
        assert_eq!(resolve_fresh(SOURCES, &other_version), (None, vec![0]));
        assert_eq!(resolve(&other_version), None);

        let unknown_id = ChecklistRef {
            id: "no-such-sector".to_owned(),
            ..construction.reference()
        };
        assert_eq!(resolve_fresh(SOURCES, &unknown_id), (None, vec![]));
        assert_eq!(resolve(&unknown_id), None);
    }

    #[test]
    fn resolve_gives_nothing_for_a_file_with_problems() {
        // The file's text has the hash, but it declares another id than its name.
        let source = SOURCES[0].1;
        let (misnamed, problems) = checklist::parse(source);
        assert!(problems.is_empty());
        let reference = ChecklistRef {
            id: "school".to_owned(),
            ..misnamed.expect("parsed").reference()
        };
        let sources = [("school", source), ("construction", source)];
        assert_eq!(resolve_fresh(&sources, &reference), (None, vec![0]));
    }

    #[test]
    fn install_is_refused_once_the_builtin_files_answered() {
        let construction = &SOURCES[0];
        let (checklist, _) = checklist::parse(construction.1);
        assert!(resolve(&checklist.expect("parsed").reference()).is_some());
        assert!(install(Catalog::default()).is_err());
    }
}
