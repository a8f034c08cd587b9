//! zicha-prebuild is a build step of the browser app (run by the Trunk build, Trunk.toml): it lints
//! the sector checklists exactly as `zicha lint` does and writes each as the JSON of the parsed
//! [`Checklist`](zicha_core::checklist::Checklist) ([`zicha_core::checklist::to_json`]), which the
//! app reads with `checklist::from_json` when a screen first needs it, plus the index of them all
//! ([`INDEX_FILE`], [`zicha_core::catalog::index_to_json`]), which the app reads at start-up. So
//! the app's wasm links neither the TOML parser nor the lint, its first screen waits for no
//! checklist, and a checklist with a problem stops the build instead of reaching a user.
//!
//! It knows nothing of Trunk, hashed file names, index.html or the service worker
//! (web/sw/post-build.mjs does that); it reads one folder and writes another.

#![deny(missing_docs)]

use std::fmt;
use std::path::{Path, PathBuf};

use zicha_core::{catalog, checklist};

/// The name of the index [`run`] writes next to the checklists: `_` is no character of a
/// checklist id (the lint allows `a-z`, `0-9` and `-`), so no checklist's file can have it.
pub const INDEX_FILE: &str = "_index.json";

/// Why no JSON was written.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Checklist problems, each formatted `path:line:column: message`, in file order.
    Problems(Vec<String>),
    /// The folder holds no `.toml` file.
    NoChecklists(PathBuf),
    /// A file or folder could not be read or written.
    Io {
        /// What was read or written.
        path: PathBuf,
        /// The operating system's error.
        error: std::io::Error,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Problems(problems) => write!(f, "{}", problems.join("\n")),
            Error::NoChecklists(dir) => write!(f, "no .toml files in {}", dir.display()),
            Error::Io { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for Error {}

/// A `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |error| Error::Io {
        path: path.to_owned(),
        error,
    }
}

/// Lints every `checklists_dir/*.toml` and, when none has a problem, writes `out_dir/<stem>.json`
/// for each and `out_dir/`[`INDEX_FILE`] with the index of them all, in file-name order (creating
/// `out_dir`; any other `*.json` there, left from a checklist that is gone, is removed). Returns
/// the files written: the checklists in file-name order, then the index. With a problem nothing is
/// written.
pub fn run(checklists_dir: &Path, out_dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(checklists_dir)
        .map_err(io_error(checklists_dir))?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<std::io::Result<_>>()
        .map_err(io_error(checklists_dir))?;
    files.retain(|path| path.extension().is_some_and(|ext| ext == "toml"));
    files.sort();
    if files.is_empty() {
        return Err(Error::NoChecklists(checklists_dir.to_owned()));
    }

    let mut problems = Vec::new();
    let mut outputs = Vec::new();
    let mut checklists = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).map_err(io_error(file))?;
        let shown = file.display().to_string();
        let Ok(source) = String::from_utf8(bytes) else {
            problems.push(format!("{shown}:1:1: the file is not UTF-8 text"));
            continue;
        };
        let stem = file
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or_default();
        match checklist::parse_file(stem, &source) {
            (Some(checklist), file_problems) if file_problems.is_empty() => {
                outputs.push((stem.to_owned(), checklist::to_json(&checklist)));
                checklists.push(checklist);
            }
            (_, file_problems) => problems.extend(
                file_problems
                    .iter()
                    .map(|problem| problem.display_with(&shown).to_string()),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Problems(problems));
    }

    std::fs::create_dir_all(out_dir).map_err(io_error(out_dir))?;
    for entry in std::fs::read_dir(out_dir).map_err(io_error(out_dir))? {
        let path = entry.map_err(io_error(out_dir))?.path();
        let stale = path.extension().is_some_and(|ext| ext == "json")
            && path.file_name().is_some_and(|name| name != INDEX_FILE)
            && !outputs
                .iter()
                .any(|(stem, _)| path.file_stem().is_some_and(|name| name == stem.as_str()));
        if stale {
            std::fs::remove_file(&path).map_err(io_error(&path))?;
        }
    }
    let mut written = Vec::new();
    for (stem, json) in outputs {
        let path = out_dir.join(format!("{stem}.json"));
        std::fs::write(&path, json).map_err(io_error(&path))?;
        written.push(path);
    }
    let index = out_dir.join(INDEX_FILE);
    std::fs::write(&index, catalog::index_to_json(&checklists)).map_err(io_error(&index))?;
    written.push(index);
    Ok(written)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// A fresh, empty folder for one test.
    fn temp_dir(name: &str) -> PathBuf {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "zicha-prebuild-{}-{}-{name}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    fn builtin_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../checklists")
    }

    fn file_names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("read dir")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .into_string()
                    .expect("utf-8")
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_json_of_every_builtin_checklist_reads_back_as_parsing_its_toml() {
        let out = temp_dir("builtin");
        // A file of a checklist that no longer exists is removed; other files are kept.
        std::fs::write(out.join("gone.json"), "{}").expect("write");
        std::fs::write(out.join("notes.txt"), "kept").expect("write");
        let written = run(&builtin_dir(), &out).expect("the built-in checklists lint clean");

        let tomls: Vec<String> = file_names(&builtin_dir())
            .into_iter()
            .filter_map(|name| name.strip_suffix(".toml").map(str::to_owned))
            .collect();
        assert!(tomls.len() >= 14, "{tomls:?}");
        let mut expected: Vec<String> = tomls.iter().map(|stem| format!("{stem}.json")).collect();
        expected.push("notes.txt".to_owned());
        expected.push(INDEX_FILE.to_owned());
        expected.sort();
        assert_eq!(file_names(&out), expected);
        assert_eq!(written.len(), tomls.len() + 1);
        assert_eq!(written.last(), Some(&out.join(INDEX_FILE)));

        // The index lists every checklist in file-name order with the reference inspections record.
        let index = std::fs::read_to_string(out.join(INDEX_FILE)).expect("read index");
        let index = catalog::index_from_json(&index).expect("an index");
        let ids: Vec<&str> = index.iter().map(|entry| entry.id.as_str()).collect();
        assert_eq!(ids, tomls);

        for stem in &tomls {
            let source = std::fs::read_to_string(builtin_dir().join(format!("{stem}.toml")))
                .expect("read toml");
            let (parsed, problems) = checklist::parse_file(stem, &source);
            assert!(problems.is_empty(), "{stem}: {problems:?}");
            let parsed = parsed.expect("parsed");
            assert_eq!(parsed.hash, checklist::content_hash(&source));
            let json = std::fs::read_to_string(out.join(format!("{stem}.json"))).expect("read");
            let entry = index
                .iter()
                .find(|entry| entry.id == *stem)
                .expect("listed");
            assert_eq!(entry.reference(), parsed.reference(), "{stem}");
            assert_eq!(entry.items, parsed.item_count(), "{stem}");
            assert_eq!(checklist::from_json(stem, &json), Ok(parsed), "{stem}");
        }
        std::fs::remove_dir_all(&out).expect("clean up");
    }

    /// Runs the tool on one file `name` with `text` and returns the problems it reports; checks
    /// that nothing was written.
    #[track_caller]
    fn problems_of(name: &str, text: &[u8]) -> Vec<String> {
        let dir = temp_dir("bad");
        std::fs::copy(builtin_dir().join("school.toml"), dir.join("school.toml")).expect("copy");
        std::fs::write(dir.join(name), text).expect("write");
        let out = dir.join("out");
        let problems = match run(&dir, &out) {
            Err(Error::Problems(problems)) => problems,
            other => panic!("expected problems, got {other:?}"),
        };
        assert!(!out.exists(), "nothing is written when a file has problems");
        std::fs::remove_dir_all(&dir).expect("clean up");
        problems
            .into_iter()
            .map(|problem| {
                problem
                    .strip_prefix(&dir.display().to_string())
                    .expect("the problem names the file")
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn a_problem_stops_the_build_with_file_line_and_column() {
        assert_eq!(
            problems_of("broken.toml", b"id = \"broken\"\nversion = \n"),
            [
                "/broken.toml:2:11: toml syntax: string values must be quoted, expected literal string"
            ]
        );
        assert_eq!(
            problems_of("latin1.toml", b"title_zh = \"\xe9\"\n"),
            ["/latin1.toml:1:1: the file is not UTF-8 text"]
        );
        // The same file as the built-in school.toml, under another name: the id must equal it.
        let school = std::fs::read(builtin_dir().join("school.toml")).expect("read");
        let problems = problems_of("campus.toml", &school);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("/campus.toml:")
                && problems[0].ends_with(": `id` \"school\" must equal the file name \"campus\""),
            "{problems:?}"
        );
    }

    #[test]
    fn a_folder_without_checklists_is_an_error() {
        let dir = temp_dir("empty");
        assert!(matches!(
            run(&dir, &dir.join("out")),
            Err(Error::NoChecklists(_))
        ));
        assert!(matches!(
            run(&dir.join("missing"), &dir.join("out")),
            Err(Error::Io { .. })
        ));
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}
