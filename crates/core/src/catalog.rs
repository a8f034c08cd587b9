//! The checklists Zicha knows: by default the files of `checklists/`, compiled in so that the CLI
//! works anywhere, offline (a test checks that this list equals the folder's contents). Without the
//! `builtin-checklists` feature nothing is compiled in: the caller installs an index of the
//! checklists ([`IndexEntry`], [`install_index`]) and then [`add`]s each checklist when it first
//! needs it. The browser app does that: the build writes the index and each checklist as JSON
//! (crates/prebuild: [`index_to_json`], [`checklist::to_json`]), the app reads the index at
//! start-up and fetches a checklist from its own origin when a screen needs it, already parsed and
//! linted, so that its first screen waits for none of them and it links neither the TOML parser
//! nor the lint. Checklists the user imported (from a spreadsheet, in the browser) are added at run
//! time with [`add_imported`]; [`resolve`], [`by_id`], [`indexed`] and [`index_entry`] answer them
//! after the index's own.

use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use crate::checklist::{self, Checklist, ChecklistRef, Problem, Sector};
use crate::hash::Sha256;

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
    checklist_file!("oil-gas-pipeline"),
    checklist_file!("power"),
    checklist_file!("road-transport"),
    checklist_file!("school"),
    checklist_file!("special-equipment"),
    checklist_file!("tourism"),
    checklist_file!("water-conservancy"),
    checklist_file!("water-transport"),
];

/// A set of checklists parsed from their file texts ([`Catalog::from_sources`]), in the order they
/// were given.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// `(file stem, file text)` of every TOML file, with problems or not.
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

/// What is known of a checklist before it is loaded: what the 新建检查 form offers and an
/// inspection records. The build writes the index of every checklist ([`index_to_json`],
/// crates/prebuild) and the browser app reads it at start-up, so that its first screen needs no
/// checklist itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexEntry {
    /// Stable id, equal to the file name.
    pub id: String,
    /// The checklist's own version.
    pub version: String,
    /// SHA-256 of the file text, as [`Checklist::hash`].
    pub hash: Sha256,
    /// The sector.
    pub sector: Sector,
    /// Chinese title.
    pub title_zh: String,
    /// English title.
    pub title_en: String,
    /// The number of sections.
    pub sections: usize,
    /// The number of items.
    pub items: usize,
    /// The number of 重大 items (absent from indexes written before it: 0).
    #[serde(default)]
    pub major: usize,
    /// The number of items checked against the official text (absent before: 0).
    #[serde(default)]
    pub verified: usize,
}

impl IndexEntry {
    /// The entry of `checklist`.
    pub fn of(checklist: &Checklist) -> IndexEntry {
        IndexEntry {
            id: checklist.id.clone(),
            version: checklist.version.clone(),
            hash: checklist.hash,
            sector: checklist.sector,
            title_zh: checklist.title_zh.clone(),
            title_en: checklist.title_en.clone(),
            sections: checklist.sections.len(),
            items: checklist.item_count(),
            major: checklist.major_item_count(),
            verified: checklist.verified_item_count(),
        }
    }

    /// Whether an inspection that records `reference` is of this checklist (same id, version
    /// and hash).
    pub fn is(&self, reference: &ChecklistRef) -> bool {
        self.id == reference.id && self.version == reference.version && self.hash == reference.hash
    }

    /// What an inspection of this checklist records.
    pub fn reference(&self) -> ChecklistRef {
        ChecklistRef {
            id: self.id.clone(),
            version: self.version.clone(),
            hash: self.hash,
        }
    }
}

/// The index of `checklists` as compact JSON (an array of [`IndexEntry`], in the given order).
pub fn index_to_json(checklists: &[Checklist]) -> String {
    let entries: Vec<IndexEntry> = checklists.iter().map(IndexEntry::of).collect();
    // Strings, numbers, a sector name and a hash written as hex: nothing can fail to serialize.
    serde_json::to_string(&entries).unwrap_or_default()
}

/// Reads an index written by [`index_to_json`]. Fields of an entry that [`IndexEntry`] does not
/// know are ignored (the browser app's build adds the URLs of each checklist's files); the problem,
/// if any, has serde_json's line and column.
pub fn index_from_json(json: &str) -> Result<Vec<IndexEntry>, Problem> {
    serde_json::from_str(json).map_err(checklist::json_problem)
}

/// The catalog that answers [`index`], [`builtin`], [`by_id`], [`resolve`] and [`source_of`].
enum InUse {
    /// An index given to [`install_index`], with each checklist once it is [`add`]ed.
    Indexed(Index),
    /// The compiled-in files, parsed when first needed.
    #[cfg(feature = "builtin-checklists")]
    Builtin,
}

/// The checklists listed by an installed index and those of them loaded so far.
struct Index {
    /// The entries, in the order given.
    entries: Vec<IndexEntry>,
    /// One cell per entry: its checklist once it is added.
    loaded: Vec<OnceLock<Checklist>>,
}

impl Index {
    fn new(entries: Vec<IndexEntry>) -> Index {
        let loaded = entries.iter().map(|_| OnceLock::new()).collect();
        Index { entries, loaded }
    }

    /// See [`add`].
    fn add(&self, checklist: Checklist) -> Option<&Checklist> {
        let reference = checklist.reference();
        let position = self.entries.iter().position(|entry| entry.is(&reference))?;
        Some(self.loaded.get(position)?.get_or_init(|| checklist))
    }

    /// The loaded checklist of the first entry `matches`.
    fn loaded(&self, matches: impl Fn(&IndexEntry) -> bool) -> Option<&Checklist> {
        let position = self.entries.iter().position(matches)?;
        self.loaded.get(position)?.get()
    }
}

static IN_USE: OnceLock<InUse> = OnceLock::new();

/// A checklist added at run time with its entry.
struct Imported {
    entry: IndexEntry,
    checklist: Checklist,
}

/// The checklists added with [`add_imported`], in the order added. Leaked: a process adds a few
/// (each import of the user), and [`resolve`] hands out `&'static` references to them.
static IMPORTED: Mutex<Vec<&'static Imported>> = Mutex::new(Vec::new());

/// The imported checklists (a poisoned lock still holds a valid list: entries are only pushed).
fn imported_list() -> Vec<&'static Imported> {
    IMPORTED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
}

/// Adds a checklist the user imported: from now on [`resolve`], [`by_id`], [`indexed`] and
/// [`index_entry`] answer it (after the index's own checklists, and the latest added of an id). A
/// checklist with the same id, version and hash as one added before gives that one back. Works
/// with or without an installed index.
pub fn add_imported(checklist: Checklist) -> &'static Checklist {
    let reference = checklist.reference();
    let mut list = IMPORTED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(known) = list.iter().find(|known| known.entry.is(&reference)) {
        return &known.checklist;
    }
    let added: &'static Imported = Box::leak(Box::new(Imported {
        entry: IndexEntry::of(&checklist),
        checklist,
    }));
    list.push(added);
    &added.checklist
}

/// The entries of the imported checklists, the latest added of each id once, in the order their
/// ids were first added; not those whose id the index lists (an older version of a built-in
/// checklist, which a restored backup brings: the index's own version is the one offered).
pub fn imported() -> Vec<&'static IndexEntry> {
    let list = imported_list();
    let mut entries: Vec<&'static IndexEntry> = Vec::new();
    for added in &list {
        if index().iter().any(|entry| entry.id == added.entry.id) {
            continue;
        }
        match entries.iter_mut().find(|entry| entry.id == added.entry.id) {
            Some(entry) => *entry = &added.entry,
            None => entries.push(&added.entry),
        }
    }
    entries
}

/// Every imported checklist, each version, in the order added.
pub fn imported_versions() -> Vec<&'static Checklist> {
    imported_list()
        .into_iter()
        .map(|added| &added.checklist)
        .collect()
}

/// The latest imported checklist with this id.
fn imported_by_id(id: &str) -> Option<&'static Imported> {
    imported_list()
        .into_iter()
        .rev()
        .find(|added| added.entry.id == id)
}

/// The imported checklist an inspection refers to.
fn imported_resolve(reference: &ChecklistRef) -> Option<&'static Imported> {
    imported_list()
        .into_iter()
        .find(|added| added.entry.is(reference))
}

/// The compiled-in files, every one parsed: for [`builtin`], [`by_id`] and [`source_of`].
#[cfg(feature = "builtin-checklists")]
static BUILTIN_CATALOG: OnceLock<Catalog> = OnceLock::new();

/// The index of the compiled-in files, for [`index`].
#[cfg(feature = "builtin-checklists")]
static BUILTIN_INDEX: OnceLock<Vec<IndexEntry>> = OnceLock::new();

/// The compiled-in files parsed one by one, for [`resolve`]: a process that checks one report
/// (`zicha verify`) parses the one checklist it refers to, not all of them.
#[cfg(feature = "builtin-checklists")]
static BUILTIN_PARSED: [OnceLock<Option<Checklist>>; SOURCES.len()] =
    [const { OnceLock::new() }; SOURCES.len()];

/// Makes `entries` the checklists [`index`] lists; each is then loaded with [`add`]. Only once,
/// before any other function of this module is called: otherwise (or with the
/// `builtin-checklists` feature, once the compiled-in catalog is in use) the entries are given
/// back.
pub fn install_index(entries: Vec<IndexEntry>) -> std::result::Result<(), Vec<IndexEntry>> {
    let mut offered = Some(entries);
    // The closure runs at most once, and then `offered` still holds the entries.
    IN_USE.get_or_init(|| InUse::Indexed(Index::new(offered.take().unwrap_or_default())));
    match offered {
        None => Ok(()),
        Some(entries) => Err(entries),
    }
}

/// Loads `checklist` into the installed index: from now on [`by_id`] and [`resolve`] answer it.
/// None when no index is installed or none of its entries has the checklist's id, version and
/// hash (a file that does not belong to this build). Adding a checklist again keeps the first.
pub fn add(checklist: Checklist) -> Option<&'static Checklist> {
    match in_use()? {
        InUse::Indexed(index) => index.add(checklist),
        #[cfg(feature = "builtin-checklists")]
        InUse::Builtin => None,
    }
}

/// The catalog in use: the installed index, else the compiled-in files (with the
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

/// The compiled-in files, every one parsed.
#[cfg(feature = "builtin-checklists")]
fn builtin_catalog() -> &'static Catalog {
    BUILTIN_CATALOG.get_or_init(|| Catalog::from_sources(SOURCES.iter().copied()).0)
}

/// Every checklist known, loaded or not, in the order of the index (the compiled-in files:
/// construction first).
pub fn index() -> &'static [IndexEntry] {
    match in_use() {
        Some(InUse::Indexed(index)) => &index.entries,
        #[cfg(feature = "builtin-checklists")]
        Some(InUse::Builtin) => BUILTIN_INDEX.get_or_init(|| {
            builtin_catalog()
                .checklists()
                .iter()
                .map(IndexEntry::of)
                .collect()
        }),
        None => &[],
    }
}

/// The index entry with this id (any version), loaded or not.
pub fn index_entry(id: &str) -> Option<&'static IndexEntry> {
    index()
        .iter()
        .find(|entry| entry.id == id)
        .or_else(|| imported_by_id(id).map(|added| &added.entry))
}

/// The index entry of the checklist an inspection refers to (same id, version and content hash),
/// loaded or not.
pub fn indexed(reference: &ChecklistRef) -> Option<&'static IndexEntry> {
    index()
        .iter()
        .find(|entry| entry.is(reference))
        .or_else(|| imported_resolve(reference).map(|added| &added.entry))
}

/// The known checklists, parsed once. A file with problems is left out (the test suite lints
/// every built-in file, so this does not happen in a released build). None with an installed
/// index, whose checklists are loaded one by one: [`index`] lists them, [`by_id`] and [`resolve`]
/// give those loaded.
pub fn builtin() -> &'static [Checklist] {
    match in_use() {
        #[cfg(feature = "builtin-checklists")]
        Some(InUse::Builtin) => builtin_catalog().checklists(),
        _ => &[],
    }
}

/// The known checklist with this id (any version); with an installed index, once it is loaded.
pub fn by_id(id: &str) -> Option<&'static Checklist> {
    let known = match in_use() {
        Some(InUse::Indexed(index)) => index.loaded(|entry| entry.id == id),
        #[cfg(feature = "builtin-checklists")]
        Some(InUse::Builtin) => builtin_catalog().by_id(id),
        None => None,
    };
    known.or_else(|| imported_by_id(id).map(|added| &added.checklist))
}

/// The known checklist an inspection refers to: same id, version and content hash; with an
/// installed index, once it is loaded. With the compiled-in files only the one the reference
/// names is parsed (unless all are already).
pub fn resolve(reference: &ChecklistRef) -> Option<&'static Checklist> {
    let known = match in_use() {
        Some(InUse::Indexed(index)) => index.loaded(|entry| entry.is(reference)),
        #[cfg(feature = "builtin-checklists")]
        Some(InUse::Builtin) => match BUILTIN_CATALOG.get() {
            Some(catalog) => catalog.resolve(reference),
            None => resolve_one(SOURCES, &BUILTIN_PARSED, reference),
        },
        None => None,
    };
    known.or_else(|| imported_resolve(reference).map(|added| &added.checklist))
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

/// The text of the known checklist an inspection refers to. None with an installed index (the
/// browser app fetches the text on demand instead).
#[cfg_attr(not(feature = "builtin-checklists"), allow(unused_variables))]
pub fn source_of(reference: &ChecklistRef) -> Option<&'static str> {
    match in_use()? {
        InUse::Indexed(_) => None,
        #[cfg(feature = "builtin-checklists")]
        InUse::Builtin => builtin_catalog().source_of(reference),
    }
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
    fn the_index_lists_every_builtin_file_with_its_reference_and_counts() {
        assert_eq!(index().len(), SOURCES.len());
        for ((stem, source), entry) in SOURCES.iter().zip(index()) {
            // Counted on the file's text, not through the parser.
            let tables = |header: &str| source.lines().filter(|line| line.trim() == header).count();
            let checklist = by_id(stem).expect("built in");
            assert_eq!(entry.id, *stem);
            assert_eq!(entry.hash, checklist::content_hash(source), "{stem}");
            assert_eq!(entry.reference(), checklist.reference(), "{stem}");
            assert!(entry.is(&checklist.reference()), "{stem}");
            assert_eq!(entry.sections, tables("[[sections]]"), "{stem}");
            assert_eq!(entry.items, tables("[[sections.items]]"), "{stem}");
            assert_eq!(
                (
                    entry.sector,
                    entry.title_zh.as_str(),
                    entry.title_en.as_str()
                ),
                (
                    checklist.sector,
                    checklist.title_zh.as_str(),
                    checklist.title_en.as_str()
                )
            );
            assert_eq!(index_entry(stem), Some(entry));
            assert_eq!(indexed(&checklist.reference()), Some(entry));
        }
        assert_eq!(index()[0].sector, Sector::Construction);
        let json = index_to_json(builtin());
        assert_eq!(index_from_json(&json).as_deref(), Ok(index()));
    }

    #[test]
    fn an_index_entry_is_one_version_of_one_file() {
        let school = by_id("school").expect("built in");
        let entry = IndexEntry::of(school);
        let other = |change: fn(&mut ChecklistRef)| {
            let mut reference = school.reference();
            change(&mut reference);
            entry.is(&reference)
        };
        assert!(!other(|r| r.id = "campus".to_owned()));
        assert!(!other(|r| r.version = "1999.1".to_owned()));
        assert!(!other(|r| r.hash = crate::hash::Sha256::of(b"another text")));
        assert!(other(|_| {}));
        let old_version = ChecklistRef {
            version: "1999.1".to_owned(),
            ..school.reference()
        };
        assert_eq!(indexed(&old_version), None);
    }

    #[track_caller]
    fn check_index_error(json: &str, line: usize, column: usize, message: &str) {
        let problem = index_from_json(json).expect_err("must be refused");
        assert_eq!(
            (problem.line, problem.column, problem.message.as_str()),
            (line, column, message)
        );
    }

    #[test]
    fn an_index_is_read_with_the_fields_the_build_adds_and_refused_with_line_and_column() {
        let school = by_id("school").expect("built in");
        let json = index_to_json(std::slice::from_ref(school));
        // The app's build adds each checklist's file names.
        let with_files = json.replacen('{', r#"{"json":"./checklists/school-0123.json","#, 1);
        assert_eq!(
            index_from_json(&with_files),
            Ok(vec![IndexEntry::of(school)])
        );
        assert_eq!(index_from_json("[]"), Ok(vec![]));
        check_index_error("{}", 1, 1, "json: invalid type: map, expected a sequence");
        check_index_error(
            "[\n  {\"id\": 3}]",
            2,
            10,
            "json: invalid type: integer `3`, expected a string",
        );
        // A missing field is found at its entry's closing brace, the byte before the one-line
        // array's `]` (serde_json counts columns in bytes).
        let broken = json.replace("\"items\":", "\"things\":");
        check_index_error(&broken, 1, broken.len() - 1, "json: missing field `items`");
    }

    #[test]
    fn an_index_answers_each_checklist_once_it_is_added() {
        let school = by_id("school").expect("built in");
        let construction = by_id("construction").expect("built in");
        let index = Index::new(vec![IndexEntry::of(construction), IndexEntry::of(school)]);
        let is_school = |entry: &IndexEntry| entry.id == "school";
        assert_eq!(index.loaded(is_school), None, "listed, not loaded");

        assert_eq!(index.add(school.clone()), Some(school));
        assert_eq!(index.loaded(is_school), Some(school));
        assert_eq!(
            index.loaded(|entry| entry.is(&school.reference())),
            Some(school)
        );
        assert_eq!(index.loaded(|entry| entry.id == "construction"), None);

        // Another version of a listed file, or a file not listed, is refused.
        let mut edited = construction.clone();
        edited.version = "1999.1".to_owned();
        assert_eq!(index.add(edited), None);
        assert_eq!(index.add(by_id("medical").expect("built in").clone()), None);
        assert_eq!(index.loaded(|entry| entry.id == "construction"), None);

        // Added twice: the first stays.
        let first: *const Checklist = index.loaded(is_school).expect("loaded");
        let again: *const Checklist = index.add(school.clone()).expect("listed");
        assert_eq!(first, again);
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
    fn an_index_is_refused_once_the_builtin_files_answered() {
        let construction = &SOURCES[0];
        let (checklist, _) = checklist::parse(construction.1);
        assert!(resolve(&checklist.expect("parsed").reference()).is_some());
        let entries = vec![IndexEntry::of(by_id("school").expect("built in"))];
        assert_eq!(install_index(entries.clone()), Err(entries));
        assert_eq!(add(by_id("school").expect("built in").clone()), None);
    }

    #[test]
    fn imported_checklists_are_answered_after_the_builtin_ones_latest_first() {
        let school = by_id("school").expect("built in");
        let version = |version: &str, text: &str| Checklist {
            id: "own-list".to_owned(),
            version: version.to_owned(),
            hash: checklist::content_hash(text),
            ..school.clone()
        };
        let (first, second) = (version("1", "a"), version("2", "b"));
        assert_eq!(resolve(&first.reference()), None);
        assert_eq!(add_imported(first.clone()), &first);
        assert_eq!(add_imported(second.clone()), &second);
        // Again: the one added before.
        assert!(std::ptr::eq(
            add_imported(first.clone()),
            resolve(&first.reference()).expect("added")
        ));
        assert_eq!(resolve(&second.reference()), Some(&second));
        assert_eq!(by_id("own-list"), Some(&second));
        assert_eq!(
            index_entry("own-list").map(|entry| entry.version.as_str()),
            Some("2")
        );
        assert_eq!(indexed(&first.reference()), Some(&IndexEntry::of(&first)));
        assert_eq!(imported(), [&IndexEntry::of(&second)]);
        assert_eq!(imported_versions()[..2], [&first, &second]);
        // A built-in id is answered by the built-in checklist, and an older version of it is
        // resolved but not offered.
        let older = Checklist {
            version: "2020.1".to_owned(),
            hash: checklist::content_hash("older"),
            ..school.clone()
        };
        add_imported(older.clone());
        assert_eq!(by_id("school"), Some(school));
        assert_eq!(resolve(&older.reference()), Some(&older));
        assert_eq!(imported(), [&IndexEntry::of(&second)]);
    }
}
