//! The `zicha` command line, run in-process: output formats and exit codes are contracts.

use crate::support::{repo_root, temp_dir, zicha};

#[test]
fn checklists_json_lists_every_checklist() {
    let run = zicha(&["checklists", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    assert!(list.len() >= 13, "{} checklists", list.len());
    for entry in &list {
        for field in [
            "id",
            "version",
            "sector",
            "title_zh",
            "title_en",
            "items",
            "major_items",
            "verified_items",
            "standards",
            "hash",
        ] {
            assert!(entry.get(field).is_some(), "{field} missing in {entry}");
        }
        assert!(entry["items"].as_u64().unwrap() >= 20, "{entry}");
        // The same counts and codes as the built-in checklist itself.
        let id = entry["id"].as_str().unwrap();
        let checklist = zicha_core::catalog::builtin()
            .iter()
            .find(|checklist| checklist.id == id)
            .unwrap();
        assert_eq!(
            entry["verified_items"].as_u64().unwrap() as usize,
            checklist.items().filter(|(_, item)| item.verified).count(),
            "{id}"
        );
        let codes: Vec<&str> = entry["standards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|code| code.as_str().unwrap())
            .collect();
        let declared: Vec<&str> = checklist
            .standards
            .iter()
            .map(|standard| standard.code.as_str())
            .collect();
        assert_eq!(codes, declared, "{id}");
    }
    assert_eq!(list[0]["id"], "construction");
    assert!(list[0]["major_items"].as_u64().unwrap() >= 1);
    assert!(
        list[0]["standards"]
            .as_array()
            .unwrap()
            .iter()
            .any(|code| code == "JGJ 59-2011"),
        "{}",
        list[0]
    );
    let text = zicha(&["checklists"]);
    assert_eq!(text.code, 0);
    assert!(text.stdout.contains("建筑施工"), "{}", text.stdout);
}

#[test]
fn lint_passes_on_the_shipped_checklists() {
    let dir = repo_root().join("checklists");
    let run = zicha(&["lint", dir.to_str().unwrap()]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    assert!(run.stderr.contains("no problems"), "{}", run.stderr);
}

#[test]
fn lint_rejects_denied_sources_and_verified_items_without_one() {
    let dir = temp_dir("cli-lint-sources");
    let source = std::fs::read_to_string(repo_root().join("checklists/school.toml")).unwrap();
    // The first verified item loses its source links; a gambling site appears in the header.
    let first_verified = source.find("\nverified = true").unwrap();
    let header = source[..first_verified]
        .rfind("[[sections.items]]")
        .unwrap();
    let comments_start = source[..header]
        .trim_end_matches(|c: char| c != '\n')
        .lines()
        .rev()
        .take_while(|line| line.starts_with('#'))
        .map(|line| line.len() + 1)
        .sum::<usize>();
    let block_start = header - comments_start;
    let item_id = source[header..]
        .lines()
        .find_map(|line| line.strip_prefix("id = \""))
        .unwrap()
        .trim_end_matches('"')
        .to_owned();
    let broken = format!(
        "# 另见 http://m.918178.cn/a.html\n{}# 来源已删除\n{}",
        &source[..block_start],
        &source[header..]
    );
    let file = dir.join("school.toml");
    std::fs::write(&file, &broken).unwrap();
    let run = zicha(&["lint", file.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    let shown = file.display().to_string();
    assert!(
        lines[0].starts_with(&format!(
            "{shown}:1:6: source `m.918178.cn` is a denied site"
        )),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains(&format!(
            "item `{item_id}`: `verified = true` needs the source it was read against"
        )),
        "{}",
        lines[1]
    );

    // --sources lists the links that are not official and counts them; notes alone exit 0.
    let original = dir.join("school-ok");
    std::fs::create_dir_all(&original).unwrap();
    std::fs::write(original.join("school.toml"), &source).unwrap();
    let run = zicha(&["lint", "--sources", original.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let links = zicha_core::checklist::sources::links(&source);
    let not_official = links
        .iter()
        .filter(|link| link.rank >= zicha_core::checklist::sources::SourceRank::Repost)
        .count();
    let notes: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(notes.len(), not_official + 1, "{notes:#?}");
    assert!(not_official > 0, "school.toml cites reposts");
    assert!(
        notes
            .last()
            .unwrap()
            .contains(&format!("{} source link(s)", links.len())),
        "{}",
        notes.last().unwrap()
    );
    assert!(
        notes[..not_official]
            .iter()
            .all(|note| note.contains(": note: repost source http")),
        "{notes:#?}"
    );
}

#[test]
fn a_reader_that_goes_away_ends_checklists_json_quietly() {
    let mut out = crate::verify_batch::ClosesAfter { left: 100 };
    let mut err = Vec::new();
    let code = zicha_cli::run(["zicha", "checklists", "--json"], &mut out, &mut err);
    let err = String::from_utf8(err).unwrap();
    assert_eq!((code, err.as_str()), (2, ""));
}

#[test]
fn lint_reports_file_line_col_and_exits_1() {
    let dir = temp_dir("cli-lint");
    let source = std::fs::read_to_string(repo_root().join("checklists/school.toml")).unwrap();
    let broken = source
        .replacen("\nverified = ", "\nverified = \"maybe\" # ", 1)
        .replacen("sector = \"school\"", "sector = \"schools\"", 1);
    let file = dir.join("school.toml");
    std::fs::write(&file, &broken).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a checklist").unwrap();
    let run = zicha(&["lint", dir.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    let shown = file.display().to_string();
    let sector_line = broken
        .lines()
        .position(|line| line.starts_with("sector ="))
        .unwrap()
        + 1;
    assert!(
        lines[0].starts_with(&format!(
            "{shown}:{sector_line}:10: unknown sector `schools`"
        )),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with(&shown) && lines[1].contains("must be true or false, found a string"),
        "{}",
        lines[1]
    );
    assert!(
        run.stderr.contains("2 problem(s) in 1 of 1 file(s)"),
        "{}",
        run.stderr
    );
    // Not UTF-8: a problem, not a crash.
    std::fs::write(&file, b"\xff\xfe").unwrap();
    let run = zicha(&["lint", file.to_str().unwrap()]);
    assert_eq!(
        (run.code, run.stdout.trim()),
        (
            1,
            format!("{shown}:1:1: the file is not UTF-8 text").as_str()
        )
    );
    // A missing file is an I/O error: exit 2, naming it.
    let run = zicha(&["lint", dir.join("nope.toml").to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("nope.toml"), "{}", run.stderr);
}

#[test]
fn sample_and_score_construction() {
    let dir = temp_dir("cli-sample");
    let file = dir.join("s.zicha");
    let file = file.to_str().unwrap();
    let run = zicha(&[
        "sample",
        "construction",
        "--seed",
        "5",
        "--date",
        "2026-11-20",
        "-o",
        file,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = zicha(&["score", file, "--json", "--as-of", "2026-11-28"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        ["优良", "合格", "不合格"].contains(&report["grade"].as_str().unwrap()),
        "{}",
        report["grade"]
    );
    assert!(report["total"].as_f64().unwrap() > 0.0);
    let rates = report["five_100"].as_array().unwrap();
    assert_eq!(rates.len(), 5);
    for rate in rates {
        assert!(
            rate["target"].is_string()
                && rate["numerator"].is_u64()
                && rate["denominator"].is_u64(),
            "{rate}"
        );
    }
    // Target 5 on the sample's register (issue 11 §7): 3 of 4 sources assessed in 2026-11, the
    // fourth named by id; the other targets on their items.
    let major = rates
        .iter()
        .find(|rate| rate["target"] == "major-sources")
        .unwrap();
    assert_eq!(
        (
            &major["numerator"],
            &major["denominator"],
            &major["gaps"],
            &major["basis"]
        ),
        (
            &serde_json::json!(3),
            &serde_json::json!(4),
            &serde_json::json!(["MS-04"]),
            &serde_json::json!("register")
        )
    );
    assert!(
        rates
            .iter()
            .filter(|rate| rate["target"] != "major-sources")
            .all(|rate| rate["basis"] == "items")
    );
    let run = zicha(&["score", file, "--as-of", "2026-11-28"]);
    assert!(
        run.stdout
            .contains("本月未评估 unassessed this month: MS-04 悬挑式外脚手架（5层至18层）"),
        "{}",
        run.stdout
    );
    let sections = report["sections"].as_array().unwrap();
    assert!(sections.iter().all(|s| s["id"].is_string()
        && s["title"].is_string()
        && s["score"].is_number()
        && s["max"].is_number()));
    assert!(report["stop_work"].is_boolean());
    for field in ["general", "major", "open", "closed", "overdue"] {
        assert!(report["hazards"][field].is_u64(), "hazards.{field}");
    }
    let hazards = &report["hazards"];
    let found = hazards["general"].as_u64().unwrap() + hazards["major"].as_u64().unwrap();
    assert!((3..=6).contains(&found), "{hazards}");
    assert_eq!(
        found,
        hazards["open"].as_u64().unwrap() + hazards["closed"].as_u64().unwrap()
    );
    // The same seed and date give the same bundle bytes.
    let again = dir.join("again.zicha");
    zicha(&[
        "sample",
        "construction",
        "--seed",
        "5",
        "--date",
        "2026-11-20",
        "-o",
        again.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(file).unwrap(), std::fs::read(&again).unwrap());
    // Text output for people.
    let run = zicha(&["score", file, "--as-of", "2026-11-28"]);
    assert!(
        run.stdout.contains("汇总表") && run.stdout.contains("五个100%"),
        "{}",
        run.stdout
    );
}

#[test]
fn score_of_other_sectors_has_no_grade_and_no_rates() {
    let dir = temp_dir("cli-score-other");
    let file = dir.join("coal.zicha");
    let file = file.to_str().unwrap();
    assert_eq!(
        zicha(&["sample", "coal-mine", "--date", "2026-11-20", "-o", file]).code,
        0
    );
    let run = zicha(&["score", file, "--json", "--as-of", "2026-11-20"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(report["grade"].is_null());
    assert_eq!(report["five_100"].as_array().unwrap().len(), 0);
}

#[test]
fn errors_name_the_file_and_use_the_documented_exit_codes() {
    let dir = temp_dir("cli-errors");
    let bad = dir.join("bad.zicha");
    std::fs::write(&bad, b"garbage").unwrap();
    let run = zicha(&["score", bad.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("bad.zicha") && run.stderr.contains("not a .zicha bundle"),
        "{}",
        run.stderr
    );
    let run = zicha(&["score", dir.join("missing.zicha").to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("missing.zicha"), "{}", run.stderr);
    assert_eq!(
        zicha(&["sample", "no-such-sector", "-o", "x.zicha"]).code,
        2
    );
    assert_eq!(zicha(&["score"]).code, 2, "missing argument");
    assert_eq!(zicha(&["frobnicate"]).code, 2);
    let run = zicha(&["sample", "school", "--date", "2026-13-01", "-o", "x.zicha"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not a date"), "{}", run.stderr);
    let help = zicha(&["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Exit codes"), "{}", help.stdout);
}
