//! Checklist files: every file in checklists/ loads clean and is built in; the content meets the
//! product's minimums; loading errors carry line and column.

use std::collections::BTreeSet;

use zicha_core::catalog;
use zicha_core::checklist::{self, ItemKind, Level, Scoring, Sector, Tag, Target};

use crate::support::repo_root;

#[test]
fn every_file_in_checklists_lints_clean_and_is_built_in() {
    let dir = repo_root().join("checklists");
    let mut on_disk = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "toml") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let source = std::fs::read_to_string(&path).unwrap();
        let (parsed, problems) = checklist::parse_file(&stem, &source);
        let shown: Vec<String> = problems
            .iter()
            .map(|p| p.display_with(&path.display().to_string()).to_string())
            .collect();
        assert!(shown.is_empty(), "{}", shown.join("\n"));
        assert!(parsed.is_some(), "{stem}");
        on_disk.insert(stem);
    }
    let built_in: BTreeSet<String> = catalog::SOURCES
        .iter()
        .map(|(stem, _)| (*stem).to_owned())
        .collect();
    assert_eq!(
        built_in, on_disk,
        "crates/core/src/catalog.rs must list exactly the files of checklists/"
    );
    assert_eq!(
        catalog::builtin().len(),
        on_disk.len(),
        "every built-in checklist parses"
    );
}

/// Sectors named by the campaign whose checklist is still being written (issue 12): remove a sector
/// here in the commit that adds its file.
const SECTORS_WITHOUT_FILE: &[&str] = &[];

#[test]
fn content_minimums() {
    let all = catalog::builtin();
    assert!(
        all.len() >= 14,
        "construction plus at least 13 sectors, found {}",
        all.len()
    );
    let sectors: BTreeSet<Sector> = all.iter().map(|c| c.sector).collect();
    let missing: Vec<&str> = Sector::ALL
        .into_iter()
        .filter(|sector| !sectors.contains(sector))
        .map(Sector::key)
        .collect();
    assert_eq!(
        missing, SECTORS_WITHOUT_FILE,
        "the sectors without a checklist file"
    );
    for checklist in all {
        assert!(
            checklist.item_count() >= 20,
            "{}: {} items",
            checklist.id,
            checklist.item_count()
        );
        // 重大 exists only where a 判定标准 lists the situation: a checklist that follows one has
        // 重大 items; one whose sector has none (geological hazards) has no 重大 item at all.
        let has_judgement = checklist
            .standards
            .iter()
            .any(|standard| standard.judgement);
        assert_eq!(
            checklist.major_item_count() >= 1,
            has_judgement,
            "{}: {} 重大 items, judgement standard declared: {has_judgement}",
            checklist.id,
            checklist.major_item_count()
        );
        for (_, item) in checklist.items() {
            assert!(
                !item.clause.trim().is_empty(),
                "{}/{}: no clause",
                checklist.id,
                item.id
            );
        }
    }
    let construction = catalog::by_id("construction").unwrap();
    assert_eq!(construction.scoring, Scoring::Jgj59);
    let weights: Vec<f64> = construction
        .jgj59_rows
        .iter()
        .map(|row| row.weight)
        .collect();
    assert_eq!(
        weights,
        vec![10.0, 15.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 5.0],
        "JGJ 59-2011 汇总表 weights"
    );
    // All nineteen 分项检查评分表 of JGJ 59-2011 附录B, in the standard's order; the seven scaffold
    // sheets B.3–B.10 feed the 脚手架 row.
    let sheets: Vec<&str> = construction
        .jgj59_sheets
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    let expected: Vec<String> = (1..=19).map(|n| format!("B.{n}")).collect();
    assert_eq!(sheets, expected);
    let scaffold: Vec<&str> = construction
        .jgj59_sheets
        .iter()
        .filter(|s| s.row == "scaffolding")
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(
        scaffold,
        ["B.3", "B.4", "B.5", "B.6", "B.7", "B.8", "B.9", "B.10"]
    );
    for target in Target::ALL {
        let n = construction
            .items()
            .filter(|(_, item)| item.has_tag(&Tag::Five100(target)))
            .count();
        assert!(n >= 3, "five 100% target {target:?} has {n} items");
    }
    let judgement = construction
        .items()
        .filter(|(_, item)| item.has_tag(&Tag::Judgement))
        .count();
    assert!(
        judgement >= 20,
        "2022 major-hazard judgement items: {judgement}"
    );
    assert!(
        construction
            .items()
            .any(|(_, item)| item.has_tag(&Tag::StopWork))
    );
    let deduction_items = construction
        .items()
        .filter(|(_, item)| matches!(item.kind, ItemKind::Deduction(_)))
        .count();
    assert!(
        deduction_items >= 100,
        "JGJ 59 deduction items: {deduction_items}"
    );
    assert!(
        construction
            .items()
            .filter(|(_, i)| i.has_tag(&Tag::Judgement))
            .all(|(_, i)| i.level == Level::Major)
    );
}

/// Parses `source` and returns its problems as "line:col: message".
fn problems(source: &str) -> Vec<String> {
    let (_, problems) = checklist::parse(source);
    problems
        .into_iter()
        .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
        .collect()
}

const GOOD: &str = r#"format = 1
id = "t"
version = "1"
sector = "generic"
title_zh = "测试"
title_en = "Test"

[[standards]]
code = "GB/T 33000-2016"
title = "企业安全生产标准化基本规范"

[[sections]]
id = "s"
title_zh = "目标"
max_points = 10

[[sections.items]]
id = "i1"
text_zh = "制定目标"
kind = "deduction"
points = 10
clause = "GB/T 33000-2016 5.1"
verified = false
deductions = [{ text = "未制定", min = 10, max = 10 }]
"#;

#[track_caller]
fn check(edit: (&str, &str), expected: &[&str]) {
    assert!(GOOD.contains(edit.0), "the edit must apply: {:?}", edit.0);
    let source = GOOD.replacen(edit.0, edit.1, 1);
    assert_eq!(problems(&source), expected);
}

#[test]
fn good_file_has_no_problems() {
    assert_eq!(problems(GOOD), Vec::<String>::new());
}

#[test]
fn problems_carry_line_and_column() {
    check(
        ("id = \"t\"", "id = \"t"),
        &["2:8: toml syntax: invalid basic string, expected `\"`"],
    );
    check(
        ("title_en = \"Test\"\n", "title_en = \"Test\"\ncolour = 1\n"),
        &["7:1: unknown key `colour`"],
    );
    check(
        ("sector = \"generic\"", "sector = \"mining\""),
        &[
            "4:10: unknown sector `mining`; known: construction, coal-mine, metal-mine, hazardous-chemicals, fireworks-explosives, road-transport, water-transport, fire-safety, city-gas, special-equipment, school, industry-trade, geological-hazard, gas-station, highway-waterway, water-conservancy, power, elderly-care, medical, fishing-vessel, tourism, oil-gas-pipeline, generic",
        ],
    );
    check(
        ("max_points = 10", "max_points = 12"),
        &["15:14: section `s`: items' points add up to 10, but `max_points` is 12"],
    );
    // Only the root cause: no follow-up complaints about sums the unreadable points would break.
    check(
        (
            "kind = \"deduction\"\npoints = 10",
            "kind = \"deduction\"\npoints = \"10\"",
        ),
        &["21:10: `item[i1].points` must be a finite number, found a string"],
    );
    check(
        ("text_zh = \"制定目标\"", "text_zh = \"set goals\""),
        &["19:11: item `i1`: `text_zh` must contain Chinese text"],
    );
    check(
        (
            "clause = \"GB/T 33000-2016 5.1\"",
            "clause = \"GB 1-2000 5.1\"",
        ),
        &[
            "22:10: item `i1`: clause \"GB 1-2000 5.1\" does not start with the code of a declared standard",
        ],
    );
    check(
        (
            "verified = false\n",
            "verified = false\ntags = [\"topic:goals\", \"safety\"]\n",
        ),
        &[
            "24:24: `item[i1].tags`: unknown tag \"safety\"; known: five100:responsibility, five100:supervision, five100:rules, five100:hazards, five100:major-sources, stop-work, judgement, nine-small, topic:<slug>",
        ],
    );
    check(
        (
            "verified = false\n",
            "verified = false\ntags = [\"judgement\"]\n",
        ),
        &["24:9: item `i1`: a `judgement` item must have level \"重大\""],
    );
    check(
        ("min = 10, max = 10", "min = 10, max = 12"),
        &["24:15: item `i1`: deduction \"未制定\" takes up to 12 points, more than the item's 10"],
    );
    check(
        ("kind = \"deduction\"", "kind = \"score\""),
        &[
            "20:8: `item[i1].kind` must be check, deduction, measurement, text or photo, found \"score\"",
        ],
    );
    check(
        ("verified = false\n", ""),
        &["17:1: missing key `item[i1].verified`"],
    ); // Hazard wording: what was found, never the compliant text, and only where an item fails alone.
    check(
        (
            "text_zh = \"制定目标\"",
            "text_zh = \"制定目标\"\nhazard_zh = \"未制定目标\"",
        ),
        &[
            "20:13: item `i1`: `hazard_zh` is for check and measurement items; a deduction item's hazard is made of the deductions applied",
        ],
    );
}

#[test]
fn major_items_rest_on_a_judgement_standard() {
    let major = |tags: &str| {
        GOOD.replacen(
            "verified = false\n",
            &format!("verified = false\nlevel = \"重大\"\ntags = [{tags}]\n"),
            1,
        )
    };
    assert_eq!(
        problems(&major("")),
        [
            "18:6: item `i1`: a \"重大\" item must be a criterion of a 判定标准: tag it `judgement` and cite the 判定标准, or make it \"一般\"",
            "22:10: item `i1`: a \"重大\" item must cite a standard declared with `judgement = true`, found \"GB/T 33000-2016 5.1\"",
        ]
    );
    let declared = major("\"judgement\"").replacen(
        "title = \"企业安全生产标准化基本规范\"",
        "title = \"企业安全生产标准化基本规范\"\njudgement = true",
        1,
    );
    assert_eq!(problems(&declared), Vec::<String>::new());
    assert_eq!(
        problems(&GOOD.replacen(
            "verified = false\n",
            "verified = false\ntags = [\"five100:rules\"]\n",
            1
        )),
        [
            "24:9: item `i1`: `five100:rules` counts only in construction checklists (the five 100% targets are those of 在建工程项目)"
        ]
    );
}

#[test]
fn hazard_wording_of_check_items() {
    let check_item = |hazard: &str| {
        GOOD.replacen(
            "kind = \"deduction\"",
            &format!("{hazard}kind = \"check\""),
            1,
        )
        .replacen(
            "deductions = [{ text = \"未制定\", min = 10, max = 10 }]\n",
            "",
            1,
        )
    };
    assert_eq!(
        problems(&check_item("hazard_zh = \"未制定目标\"\n")),
        Vec::<String>::new()
    );
    assert_eq!(
        problems(&check_item("hazard_zh = \"制定目标。\"\n")),
        [
            "20:13: item `i1`: `hazard_zh` repeats `text_zh`; say what is found when the item fails, not the compliant state"
        ]
    );
    assert_eq!(
        problems(&check_item("")),
        [
            "18:6: item `i1`: `hazard_zh` is missing: say what is found when the item fails (\"…未…\", \"…不…\", \"…超过…\"), not the compliant state"
        ]
    );
    assert_eq!(
        problems(&check_item("hazard_zh = \"no goals\"\n")),
        ["20:13: item `i1`: `hazard_zh` must contain Chinese text"]
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let source = GOOD
        .replace("title_zh = \"测试\"", "title_zh = \"Test\"")
        .replace("max_points = 10", "max_points = 9")
        .replace("id = \"i1\"", "id = \"I 1\"");
    let found = problems(&source);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found[0].starts_with("2:6: `title_zh` must contain Chinese"),
        "{found:#?}"
    );
}

#[test]
fn duplicate_ids_and_file_names() {
    let source = GOOD.to_owned() + &GOOD[GOOD.find("[[sections.items]]").unwrap()..];
    let source = source.replace("max_points = 10", "max_points = 20");
    assert_eq!(problems(&source), vec!["26:6: item id `i1` is used twice"]);
    let (_, found) = checklist::parse_file("other-name", GOOD);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].line, found[0].column), (2, 6));
    assert_eq!(
        found[0].message,
        "`id` \"t\" must equal the file name \"other-name\""
    );
}

#[test]
fn jgj59_structure_is_linted() {
    let construction = catalog::SOURCES
        .iter()
        .find(|(id, _)| *id == "construction")
        .unwrap()
        .1;
    // Weights that no longer add up to 100.
    let broken = construction.replacen("weight = 15", "weight = 14", 1);
    let found = problems(&broken);
    assert!(
        found
            .iter()
            .any(|p| p.contains("汇总表 weights add up to 99, not 100")),
        "{found:#?}"
    );
    // A section pointing at a sheet that does not exist.
    let broken = construction.replacen("sheet = \"B.1\"", "sheet = \"B.99\"", 1);
    let found = problems(&broken);
    assert!(
        found.iter().any(|p| p.contains("unknown sheet `B.99`")),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|p| p.contains("保证项目 must total 60")),
        "{found:#?}"
    );
}

#[test]
fn absent_if_only_on_guarantee_items() {
    // GOOD has no 保证项目: the key has nothing to allow there.
    check(
        (
            "text_zh = \"制定目标\"\n",
            "text_zh = \"制定目标\"\nabsent_if = \"无此项\"\n",
        ),
        &[
            "20:13: item `i1`: `absent_if` is only for items of a 保证项目 section; other items may be answered 不适用 anyway",
        ],
    );
    check(
        (
            "text_zh = \"制定目标\"\n",
            "text_zh = \"制定目标\"\nabsent_if = 1\n",
        ),
        &["20:13: `item[i1].absent_if` must be a string, found an integer"],
    );
    let construction = catalog::SOURCES
        .iter()
        .find(|(id, _)| *id == "construction")
        .unwrap()
        .1;
    let broken = construction.replacen(
        "absent_if = \"施工现场只有一台塔式起重机，没有两台及以上塔机的群塔作业\"",
        "absent_if = \"one crane\"",
        1,
    );
    let found = problems(&broken);
    assert_eq!(
        found.iter().filter(|p| p.contains("absent_if")).count(),
        1,
        "{found:#?}"
    );
    assert!(
        found.iter().any(|p| p.ends_with(
            "item `b17-05`: `absent_if` must say in Chinese when the item does not exist"
        )),
        "{found:#?}"
    );
    // The shipped file lets only these 保证项目 be absent (JGJ 59-2011 4.0.1 has the rest checked).
    let (checklist, _) = zicha_core::checklist::parse(construction);
    let absent: Vec<&str> = checklist
        .as_ref()
        .unwrap()
        .items()
        .filter(|(_, item)| !item.absent_if.is_empty())
        .map(|(_, item)| item.id.as_str())
        .collect();
    assert_eq!(absent, ["b16-05", "b17-05"]);
}

/// The counts a file's header declares: `# 条目数: N` (items in the file) and `# 重大条目数: N`
/// (its 重大 items, one per situation of its 判定标准, as the header explains next to the line).
fn declared_counts(source: &str) -> (Option<usize>, Option<usize>) {
    let mut items = None;
    let mut major = None;
    for line in source.lines().take_while(|line| line.starts_with('#')) {
        let number = |rest: &str| {
            let digits: String = rest
                .trim()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse::<usize>().ok()
        };
        if let Some(rest) = line.strip_prefix("# 条目数:") {
            items = number(rest);
        } else if let Some(rest) = line.strip_prefix("# 重大条目数:") {
            major = number(rest);
        }
    }
    (items, major)
}

/// Every file written for issue 12 onwards declares in its header how many items and 重大 items it
/// has (the 重大 count being the article count of its 判定标准, or 0 where none exists); the file
/// must hold exactly that many. Older files may declare it too, and are then held to it.
#[test]
fn files_hold_the_counts_their_header_declares() {
    let must_declare: Vec<&str> = [
        "gas-station",
        "highway-waterway",
        "water-conservancy",
        "power",
        "elderly-care",
        "medical",
        "fishing-vessel",
        "tourism",
        "oil-gas-pipeline",
    ]
    .to_vec();
    for (stem, source) in catalog::SOURCES {
        let (items, major) = declared_counts(source);
        let checklist = catalog::builtin()
            .iter()
            .find(|c| c.id == *stem)
            .unwrap_or_else(|| panic!("{stem} is built in"));
        if must_declare.contains(&checklist.sector.key()) {
            assert!(
                items.is_some() && major.is_some(),
                "{stem}: the header must declare `# 条目数: N` and `# 重大条目数: N`"
            );
        }
        if let Some(items) = items {
            assert_eq!(checklist.item_count(), items, "{stem}: 条目数");
        }
        if let Some(major) = major {
            assert_eq!(checklist.major_item_count(), major, "{stem}: 重大条目数");
        }
    }
    let files_to_declare = catalog::builtin()
        .iter()
        .filter(|c| must_declare.contains(&c.sector.key()))
        .count();
    assert_eq!(
        files_to_declare,
        must_declare.len(),
        "every sector listed here has its file"
    );
}

#[test]
fn declared_counts_are_read_from_the_header_only() {
    let source =
        "# 加油站\n# 条目数: 40\n# 重大条目数: 12（第三条 12 种情形）\nformat = 1\n# 条目数: 3\n";
    assert_eq!(declared_counts(source), (Some(40), Some(12)));
    assert_eq!(declared_counts("format = 1\n"), (None, None));
}
