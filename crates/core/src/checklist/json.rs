//! A checklist as JSON: the build writes every checklist that parsed and linted without a problem
//! with [`to_json`] (crates/prebuild), and the browser app reads it with [`from_json`]. Reading JSON
//! needs only serde_json, which the app links anyway, where reading TOML needs the TOML parser and
//! the lint (~27 KB gzip of wasm). The JSON is not a file format of its own: it is the parsed
//! [`Checklist`], made and read by the same build, so it carries no version of its own.

use super::{Checklist, Problem};

/// The checklist as compact JSON. Only for a checklist that parsed and linted without a problem:
/// [`from_json`] does not lint again.
pub fn to_json(checklist: &Checklist) -> String {
    // The schema types are plain data (strings, numbers, enums, a hash written as hex): nothing
    // in them can fail to serialize.
    serde_json::to_string(checklist).unwrap_or_default()
}

/// Reads a checklist written by [`to_json`] from the file `<file_stem>.json`. The problem, if any,
/// has serde_json's line and column; a checklist whose `id` is not `file_stem` is refused, as
/// [`parse_file`](super::parse_file) refuses it.
pub fn from_json(file_stem: &str, json: &str) -> Result<Checklist, Problem> {
    let checklist: Checklist = serde_json::from_str(json).map_err(json_problem)?;
    if checklist.id != file_stem {
        return Err(Problem {
            line: 1,
            column: 1,
            message: format!(
                "`id` \"{}\" must equal the file name \"{file_stem}\"",
                checklist.id
            ),
        });
    }
    Ok(checklist)
}

/// A serde_json error as a [`Problem`] at its line and column (also for the catalog's index).
pub(crate) fn json_problem(error: serde_json::Error) -> Problem {
    // serde_json's message ends with " at line L column C": the position goes into the problem's
    // fields instead.
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    Problem {
        line: error.line().max(1),
        column: error.column().max(1),
        message: format!(
            "json: {}",
            message.strip_suffix(&suffix).unwrap_or(&message)
        ),
    }
}

#[cfg(all(test, feature = "builtin-checklists"))]
mod tests {
    use super::*;
    use crate::catalog::SOURCES;
    use crate::checklist::parse_file;

    fn parsed(stem: &str) -> Checklist {
        let (_, source) = SOURCES
            .iter()
            .find(|(name, _)| *name == stem)
            .expect("built in");
        let (checklist, problems) = parse_file(stem, source);
        assert!(problems.is_empty(), "{problems:?}");
        checklist.expect("parsed")
    }

    #[test]
    fn every_builtin_checklist_survives_the_round_trip() {
        for (stem, _) in SOURCES {
            let checklist = parsed(stem);
            let json = to_json(&checklist);
            assert_eq!(from_json(stem, &json), Ok(checklist.clone()), "{stem}");
            // The JSON keeps the reference inspections record, hash included.
            assert!(json.contains(&checklist.hash.to_string()), "{stem}");
        }
    }

    /// Reads `json` as `school.json` and checks the problem's line, column and message.
    #[track_caller]
    fn check_error(json: &str, line: usize, column: usize, message: &str) {
        let problem = from_json("school", json).expect_err("must be refused");
        assert_eq!(
            (problem.line, problem.column, problem.message.as_str()),
            (line, column, message)
        );
    }

    #[test]
    fn bad_json_is_refused_with_its_place() {
        check_error("", 1, 1, "json: EOF while parsing a value");
        check_error(
            "{\n  \"id\": 3",
            2,
            9,
            "json: invalid type: integer `3`, expected a string",
        );
        check_error(
            "[1, 2]",
            1,
            2,
            "json: invalid type: integer `1`, expected a string",
        );
        check_error(
            "{\"id\": \"school\"}",
            1,
            16,
            "json: missing field `version`",
        );
    }

    #[test]
    fn a_wrong_tag_or_hash_is_refused() {
        let json = to_json(&parsed("school"));
        let tag = parsed("school")
            .items()
            .flat_map(|(_, item)| item.tags.iter())
            .next()
            .expect("a tagged item")
            .to_string();
        // The first tag opens a `tags` array (a standard's `judgement` key has the same spelling).
        let bad_tag = json.replacen(&format!("[\"{tag}\""), "[\"no-such-tag\"", 1);
        let problem = from_json("school", &bad_tag).expect_err("unknown tag");
        assert!(
            problem
                .message
                .starts_with("json: unknown tag \"no-such-tag\""),
            "{problem:?}"
        );

        let hash = parsed("school").hash.to_string();
        let bad_hash = json.replacen(&hash, "abc", 1);
        let problem = from_json("school", &bad_hash).expect_err("short hash");
        assert!(
            problem.message.contains("expected 64 hex digits"),
            "{problem:?}"
        );
    }

    #[test]
    fn the_id_must_equal_the_file_name() {
        let json = to_json(&parsed("school"));
        let problem = from_json("construction", &json).expect_err("other file name");
        assert_eq!(
            problem.message,
            "`id` \"school\" must equal the file name \"construction\""
        );
    }
}
