//! Every built-in checklist written by `template` and read back by `import` is the same checklist.

use zicha_core::catalog;
use zicha_core::checklist::Checklist;

/// A checklist without its content hash (the imported file's text differs: no comments).
fn without_hash(checklist: &Checklist) -> Checklist {
    let mut copy = checklist.clone();
    copy.hash = zicha_core::checklist::content_hash("");
    copy
}

#[test]
fn every_builtin_checklist_round_trips_through_xlsx() {
    let all = catalog::builtin();
    assert!(all.len() >= 14);
    for checklist in all {
        let text = catalog::SOURCES
            .iter()
            .find(|(stem, _)| *stem == checklist.id)
            .map(|(_, text)| *text);
        let bytes = zicha_sheet::template(Some(checklist), text).unwrap();
        let imported = zicha_sheet::import(&bytes, &format!("{}.xlsx", checklist.id))
            .unwrap_or_else(|problems| {
                panic!(
                    "{}: {}",
                    checklist.id,
                    problems
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            });
        assert_eq!(
            without_hash(&imported.checklist),
            without_hash(checklist),
            "{}",
            checklist.id
        );
        // The TOML written is a checklist file that lints clean under its id.
        let (again, problems) = zicha_core::checklist::parse_file(&checklist.id, &imported.toml);
        assert!(problems.is_empty(), "{}: {problems:?}", checklist.id);
        assert_eq!(again.unwrap().hash, imported.checklist.hash);
    }
}

#[test]
fn the_empty_template_has_the_layout_and_imports_as_no_items() {
    let bytes = zicha_sheet::template(None, None).unwrap();
    let problems = zicha_sheet::import(&bytes, "模板.xlsx").unwrap_err();
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(shown, ["检查表!1: no item rows below the header row"]);
}
