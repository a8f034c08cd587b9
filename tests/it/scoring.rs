//! Scoring on worked examples computed by hand (JGJ 59-2011 Chapter 4 and 5), the five 100% rates
//! and the stop-work verdict; 保证项目 all checked (4.0.1), sheets declared absent (本工程无此项),
//! no grade while incomplete, and grades decided on exact values (issue 11 §2, §3).

use serde_json::json;
use time::macros::{date, datetime};
use zicha_core::bundle::Bundle;
use zicha_core::checklist::{self, Checklist, Target};
use zicha_core::inspection::{Answer, AppliedDeduction, Inspection, Response};
use zicha_core::ledger::{Hazard, Status};
use zicha_core::org::{MajorSource, RiskAssessment};
use zicha_core::score::{Grade, Missing, Rate, RateBasis, ScoreReport, score, score_with};

use crate::support::{temp_dir, zicha};

/// A small JGJ 59 checklist: 汇总表 row r1 (weight 60) fed by sheet S1; row r2 (weight 40) fed by
/// sheets S2 and S3 (scored as their mean).
///
/// S1: 保证项目 g1 (30: A 5–10, B 30), g2 (30: C 2–10 per 人; may be absent); 一般项目 y1 (20,
/// check), y2 (20: D 5–20).
/// S2: 保证项目 a1 (60: E 10–60); 一般项目 b1 (40, check).
/// S3: no groups: c1 (50, check), c2 (50, measurement ≥ 1.8 m).
const MINI: &str = r#"
format = 1
id = "mini"
version = "1"
sector = "construction"
title_zh = "小型评分表"
title_en = "Mini"
scoring = "jgj59"

[[standards]]
code = "JGJ 59-2011"
title = "建筑施工安全检查标准"

[[standards]]
code = "建质规〔2022〕2号"
title = "房屋市政工程生产安全重大事故隐患判定标准（2022版）"
judgement = true

[[jgj59_rows]]
id = "r1"
title_zh = "安全管理"
weight = 60

[[jgj59_rows]]
id = "r2"
title_zh = "脚手架"
weight = 40

[[jgj59_sheets]]
id = "S1"
title_zh = "表一"
row = "r1"

[[jgj59_sheets]]
id = "S2"
title_zh = "表二"
row = "r2"

[[jgj59_sheets]]
id = "S3"
title_zh = "表三"
row = "r2"

[[sections]]
id = "s1-g"
title_zh = "表一保证项目"
max_points = 60
group = "保证项目"
sheet = "S1"

[[sections.items]]
id = "g1"
text_zh = "保证一"
kind = "deduction"
points = 30
clause = "JGJ 59-2011 表1"
verified = false
deductions = [{ text = "甲", min = 5, max = 10 }, { text = "乙", min = 30, max = 30 }]

[[sections.items]]
id = "g2"
text_zh = "保证二"
kind = "deduction"
points = 30
clause = "JGJ 59-2011 表1"
verified = false
absent_if = "现场没有此项"
deductions = [{ text = "丙", min = 2, max = 10, per = "人" }]

[[sections]]
id = "s1-y"
title_zh = "表一一般项目"
max_points = 40
group = "一般项目"
sheet = "S1"

[[sections.items]]
id = "y1"
text_zh = "一般一"
hazard_zh = "一般一未落实"
kind = "check"
points = 20
clause = "JGJ 59-2011 表1"
verified = false
tags = ["five100:responsibility"]

[[sections.items]]
id = "y2"
text_zh = "一般二"
kind = "deduction"
points = 20
clause = "JGJ 59-2011 表1"
verified = false
deductions = [{ text = "丁", min = 5, max = 20 }]

[[sections]]
id = "s2-g"
title_zh = "表二保证项目"
max_points = 60
group = "保证项目"
sheet = "S2"

[[sections.items]]
id = "a1"
text_zh = "保证"
kind = "deduction"
points = 60
clause = "JGJ 59-2011 表2"
verified = false
deductions = [{ text = "戊", min = 10, max = 60 }]

[[sections]]
id = "s2-y"
title_zh = "表二一般项目"
max_points = 40
group = "一般项目"
sheet = "S2"

[[sections.items]]
id = "b1"
text_zh = "一般"
hazard_zh = "一般项未落实"
kind = "check"
points = 40
clause = "JGJ 59-2011 表2"
verified = false

[[sections]]
id = "s3"
title_zh = "表三"
max_points = 100
sheet = "S3"

[[sections.items]]
id = "c1"
text_zh = "检查"
hazard_zh = "检查不合格"
kind = "check"
points = 50
clause = "JGJ 59-2011 表3"
verified = false
tags = ["five100:responsibility", "stop-work"]

[[sections.items]]
id = "c2"
text_zh = "测量"
hazard_zh = "测量值不足"
kind = "measurement"
unit = "m"
min = 1.8
points = 50
clause = "JGJ 59-2011 表3"
verified = false

[[sections]]
id = "mh"
title_zh = "重大隐患"
max_points = 0

[[sections.items]]
id = "m1"
text_zh = "重大隐患判定"
hazard_zh = "存在重大隐患"
kind = "check"
points = 0
level = "重大"
clause = "建质规〔2022〕2号 第四条"
verified = false
tags = ["judgement", "five100:major-sources"]
"#;

fn mini() -> Checklist {
    let (checklist, problems) = checklist::parse(MINI);
    assert_eq!(problems, vec![], "the test checklist is clean");
    checklist.expect("parsed")
}

/// Answers in a compact notation: "ok" 符合, "no" 不符合, "na" 不适用, "na:REASON" 不适用 with a
/// reason, "d:RULE:POINTS[xCOUNT]" (several joined by +), "m:VALUE".
fn answer(spec: &str) -> Answer {
    if let Some(reason) = spec.strip_prefix("na:") {
        return Answer::not_applicable(reason);
    }
    let response = match spec {
        "ok" => Response::Conform,
        "no" => Response::NonConform,
        "na" => Response::NotApplicable,
        _ if spec.starts_with("m:") => Response::Measured {
            value: spec[2..].parse().unwrap(),
        },
        _ if spec.starts_with("d:") => Response::Deducted {
            deductions: spec[2..]
                .split('+')
                .map(|part| {
                    let (rule, rest) = part.split_once(':').unwrap();
                    let (points, count) = rest.split_once('x').unwrap_or((rest, "1"));
                    AppliedDeduction {
                        rule: rule.parse().unwrap(),
                        points: points.parse().unwrap(),
                        count: count.parse().unwrap(),
                    }
                })
                .collect(),
        },
        _ => panic!("bad spec {spec}"),
    };
    Answer::new(response)
}

fn run(checklist: &Checklist, answers: &[(&str, &str)], hazards: &[Hazard]) -> ScoreReport {
    run_absent(checklist, &[], answers, hazards)
}

/// [`run`] with the sheets `absent` declared absent (本工程无此项).
fn run_absent(
    checklist: &Checklist,
    absent: &[&str],
    answers: &[(&str, &str)],
    hazards: &[Hazard],
) -> ScoreReport {
    let inspection = inspect(checklist, absent, answers);
    score(checklist, &inspection, hazards, date!(2026 - 11 - 28))
}

fn inspect(checklist: &Checklist, absent: &[&str], answers: &[(&str, &str)]) -> Inspection {
    let mut inspection =
        Inspection::new("t", checklist, date!(2026 - 11 - 20), vec!["检查人".into()]);
    for sheet in absent {
        inspection
            .set_sheet_absent(checklist, sheet, true)
            .unwrap_or_else(|e| panic!("{sheet}: {e}"));
    }
    for (item, spec) in answers {
        inspection
            .answer(checklist, item, answer(spec))
            .unwrap_or_else(|e| panic!("{item}: {e}"));
    }
    inspection
}

fn sheet(report: &ScoreReport, id: &str) -> f64 {
    report.sheets.iter().find(|s| s.id == id).unwrap().score
}

/// All answers of example 1, with `overrides` replacing some.
fn example1_with(overrides: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut answers = vec![
        ("g1", "d:0:8"),   // 30 − 8 = 22
        ("g2", "d:0:3x2"), // 3 points × 2 people: 30 − 6 = 24
        ("y1", "ok"),      // 20
        ("y2", "d:0:5"),   // 20 − 5 = 15
        ("a1", "d:0:15"),  // 60 − 15 = 45
        ("b1", "ok"),      // 40
        ("c1", "ok"),      // 50
        ("c2", "m:2.0"),   // 2.0 ≥ 1.8: 50
        ("m1", "ok"),
    ];
    for (item, spec) in overrides {
        match answers.iter_mut().find(|(id, _)| id == item) {
            Some(slot) => slot.1 = spec,
            None => answers.push((item, spec)),
        }
    }
    answers.retain(|(_, spec)| *spec != "-");
    answers
}

#[test]
fn jgj59_worked_example() {
    let checklist = mini();
    let report = run(&checklist, &example1_with(&[]), &[]);
    // S1 = 22 + 24 + 20 + 15 = 81; S2 = 45 + 40 = 85; S3 = 50 + 50 = 100.
    assert_eq!(
        (
            sheet(&report, "S1"),
            sheet(&report, "S2"),
            sheet(&report, "S3")
        ),
        (81.0, 85.0, 100.0)
    );
    // r1 = 60 × 81 / 100 = 48.6; r2 = 40 × mean(85, 100) / 100 = 40 × 92.5 / 100 = 37.
    let rows: Vec<_> = report
        .summary
        .iter()
        .map(|row| (row.id.as_str(), row.score))
        .collect();
    assert_eq!(rows, vec![("r1", Some(48.6)), ("r2", Some(37.0))]);
    assert_eq!(report.summary[1].sheet_score, Some(92.5));
    // 48.6 + 37 = 85.6 ≥ 80 and no sheet at 0: 优良.
    assert_eq!((report.total, report.grade), (85.6, Some(Grade::Excellent)));
    assert_eq!(report.sheets[0].guarantee_subtotal, Some(46.0));
    assert!(report.sheets.iter().all(|sheet| sheet.gate.is_none()));
}

#[test]
fn guarantee_item_at_zero_gates_the_sheet() {
    let checklist = mini();
    // g1 takes rule B (30): g1 scores 0, so S1 scores 0 although its items add up to 0+24+20+15 = 59.
    let report = run(&checklist, &example1_with(&[("g1", "d:1:30")]), &[]);
    let s1 = &report.sheets[0];
    assert_eq!((s1.score_before_gate, s1.score), (59.0, 0.0));
    assert!(s1.gate.as_deref().unwrap().contains("g1"), "{:?}", s1.gate);
    // r1 = 0; total = 0 + 37 = 37; a sheet at 0 makes the grade 不合格 in any case.
    assert_eq!((report.total, report.grade), (37.0, Some(Grade::Fail)));
}

#[test]
fn guarantee_subtotal_under_40_gates_the_sheet() {
    let checklist = mini();
    // g1 = 30 − 10 = 20; g2 = 30 − 4 × 3 = 18; subtotal 38 < 40 → S1 = 0.
    let report = run(
        &checklist,
        &example1_with(&[("g1", "d:0:10"), ("g2", "d:0:4x3")]),
        &[],
    );
    let s1 = &report.sheets[0];
    assert_eq!(s1.guarantee_subtotal, Some(38.0));
    assert_eq!((s1.score_before_gate, s1.score), (73.0, 0.0));
    assert_eq!(report.grade, Some(Grade::Fail));
    // Exactly 40 passes the gate: g1 = 20, g2 = 30 − 2 × 5 = 20; S1 = 20 + 20 + 20 + 15 = 75.
    let report = run(
        &checklist,
        &example1_with(&[("g1", "d:0:10"), ("g2", "d:0:2x5")]),
        &[],
    );
    assert_eq!(
        (report.sheets[0].guarantee_subtotal, report.sheets[0].score),
        (Some(40.0), 75.0)
    );
}

#[test]
fn deductions_are_capped_at_the_item_points() {
    let checklist = mini();
    // y2: 20 + 15 = 35 off a 20-point item scores 0, not −15. S1 = 22 + 24 + 20 + 0 = 66.
    let report = run(&checklist, &example1_with(&[("y2", "d:0:20+0:15")]), &[]);
    assert_eq!(sheet(&report, "S1"), 66.0);
    // g2: 10 points × 5 people = 50 off a 30-point 保证 item: 0, which gates S1.
    let report = run(&checklist, &example1_with(&[("g2", "d:0:10x5")]), &[]);
    assert_eq!(
        (report.sheets[0].score_before_gate, sheet(&report, "S1")),
        (57.0, 0.0)
    );
}

#[test]
fn missing_items_within_a_sheet_rescale() {
    let checklist = mini();
    // y1 不适用: D = 22 + 24 + 15 = 61 over E = 80 → 61 / 80 × 100 = 76.25.
    let report = run(&checklist, &example1_with(&[("y1", "na")]), &[]);
    assert_eq!(sheet(&report, "S1"), 76.25);
    // A 保证 item the checklist lets be absent, 不适用 with a reason: the subtotal is scaled to 60.
    // g2 na, g1 = 20: 20 × 60 / 30 = 40 (passes); D = 20 + 20 + 15 = 55 over E = 70 → 78.57.
    let report = run(
        &checklist,
        &example1_with(&[("g2", "na:现场没有此项"), ("g1", "d:0:10")]),
        &[],
    );
    assert_eq!(
        (report.sheets[0].guarantee_subtotal, sheet(&report, "S1")),
        (Some(40.0), 78.57)
    );
}

#[test]
fn missing_sheets_and_rows_rescale_the_summary() {
    let checklist = mini();
    // S3 declared absent: r2 = 40 × 85 / 100 = 34 (the mean of the checked sheets only); total
    // 48.6 + 34 = 82.6.
    let report = run_absent(
        &checklist,
        &["S3"],
        &example1_with(&[("c1", "-"), ("c2", "-")]),
        &[],
    );
    assert_eq!(report.summary[1].sheets_checked, 1);
    assert_eq!((report.summary[1].score, report.total), (Some(34.0), 82.6));
    assert_eq!(report.grade, Some(Grade::Excellent));
    // Row r2 not checked at all (缺项: S2 absent, S3's items all 不适用): total = 48.6 / 60 × 100 = 81.
    let report = run_absent(
        &checklist,
        &["S2"],
        &example1_with(&[("a1", "-"), ("b1", "-"), ("c1", "na"), ("c2", "na")]),
        &[],
    );
    assert_eq!(report.summary[1].score, None);
    assert_eq!((report.total, report.grade), (81.0, Some(Grade::Excellent)));
}

#[test]
fn grade_thresholds() {
    let checklist = mini();
    // S1 = 22 + 24 + 20 + 15 = 81 → 48.6; S2 = 40 + 40 = 80, S3 = 50 + 0 = 50 → r2 = 40 × 65 / 100
    // = 26; total 74.6: 合格.
    let report = run(
        &checklist,
        &example1_with(&[("a1", "d:0:20"), ("c2", "m:1.5")]),
        &[],
    );
    assert_eq!((report.total, report.grade), (74.6, Some(Grade::Pass)));
    // y2 − 20: S1 = 22 + 24 + 20 + 0 = 66 → 39.6; c1 不符合: S3 = 50, r2 = 40 × mean(85, 50) / 100
    // = 27; total 66.6 < 70: 不合格.
    let report = run(
        &checklist,
        &example1_with(&[("c1", "no"), ("y2", "d:0:20")]),
        &[],
    );
    assert_eq!((report.total, report.grade), (66.6, Some(Grade::Fail)));
    // Exactly 80 is 优良: S1 = 30 + 30 + 20 + 0 = 80 → 48; S2 = 60 + 0 (b1 不符合) = 60, S3 = 100
    // → r2 = 40 × 80 / 100 = 32; total 80.
    let report = run(
        &checklist,
        &example1_with(&[
            ("g1", "ok"),
            ("g2", "ok"),
            ("y2", "d:0:20"),
            ("a1", "ok"),
            ("b1", "no"),
        ]),
        &[],
    );
    assert_eq!((report.total, report.grade), (80.0, Some(Grade::Excellent)));
}

#[test]
fn nothing_answered_has_no_grade() {
    let checklist = mini();
    let report = run(&checklist, &[], &[]);
    assert_eq!((report.total, report.grade), (0.0, None));
    assert_eq!(report.progress.answered, 0);
    assert!(!report.stop_work);
    // Every sheet is named once: nothing answered and none declared absent.
    assert_eq!(
        report.incomplete,
        vec![
            missing("S1", None, "表一"),
            missing("S2", None, "表二"),
            missing("S3", None, "表三")
        ]
    );
}

fn missing(sheet: &str, item: Option<&str>, title: &str) -> Missing {
    Missing {
        sheet: sheet.to_owned(),
        item: item.map(str::to_owned),
        title: title.to_owned(),
    }
}

/// Whether an answer is taken, both by `Inspection::answer` and, put in place directly as a bundle
/// would hold it, by `Inspection::validate`.
#[track_caller]
fn check_answer(item: &str, spec: &str, expected: Result<(), &str>) {
    let checklist = mini();
    let expected = expected.map_err(str::to_owned);
    let mut inspection = Inspection::new("t", &checklist, date!(2026 - 11 - 20), vec![]);
    let taken = inspection.answer(&checklist, item, answer(spec));
    assert_eq!(
        taken.map_err(|e| e.to_string()),
        expected,
        "answer {item} {spec}"
    );
    let mut stored = Inspection::new("t", &checklist, date!(2026 - 11 - 20), vec![]);
    stored.answers.insert(item.to_owned(), answer(spec));
    let valid = stored.validate(&checklist);
    assert_eq!(
        valid.map_err(|e| e.to_string()),
        expected,
        "validate {item} {spec}"
    );
}

#[test]
fn guarantee_items_are_not_applicable_only_where_the_checklist_allows() {
    const REFUSED: &str = "cannot be 不适用: JGJ 59-2011 4.0.1 has every 保证项目 checked (a site \
                           without anything of this sheet declares the sheet absent, 本工程无此项)";
    let refused_a1 = format!("answers.a1: 保证项目「保证」{REFUSED}");
    let refused_g1 = format!("answers.g1: 保证项目「保证一」{REFUSED}");
    let needs_reason = "answers.g2: 保证项目「保证二」may be 不适用 only with the inspector's reason \
                        (the checklist allows it when: 现场没有此项)";
    check_answer("a1", "na", Err(&refused_a1));
    check_answer("g1", "na", Err(&refused_g1));
    check_answer("g1", "na:有理由也不行", Err(&refused_g1));
    check_answer("g2", "na", Err(needs_reason));
    check_answer("g2", "na:   ", Err(needs_reason));
    check_answer("g2", "na:本工程无此情形", Ok(()));
    check_answer("g1", "d:0:10", Ok(()));
    // 一般项目, a sheet without groups, an item outside the sheets: 不适用 as before.
    check_answer("y1", "na", Ok(()));
    check_answer("c1", "na", Ok(()));
    check_answer("m1", "na", Ok(()));
}

#[test]
fn an_allowed_absent_guarantee_item_keeps_its_reason() {
    let checklist = mini();
    let inspection = inspect(
        &checklist,
        &[],
        &example1_with(&[("g2", "na:只有一名作业人员，无此项")]),
    );
    assert_eq!(inspection.answers["g2"].reason, "只有一名作业人员，无此项");
    let json = serde_json::to_value(&inspection).unwrap();
    assert_eq!(
        json["answers"]["g2"],
        json!({"result": "not_applicable", "reason": "只有一名作业人员，无此项"})
    );
    // S1 = (22 + 20 + 15) / 70 × 100 = 81.43; 保证 subtotal 22 × 60 / 30 = 44.
    let report = score(&checklist, &inspection, &[], date!(2026 - 11 - 28));
    assert_eq!(
        (report.sheets[0].score, report.sheets[0].guarantee_subtotal),
        (81.43, Some(44.0))
    );
    assert!(report.incomplete.is_empty());
}

#[test]
fn sheets_declared_absent() {
    let checklist = mini();
    #[track_caller]
    fn refused(absent: &[&str], expected: &str) {
        let checklist = mini();
        let mut inspection = Inspection::new("t", &checklist, date!(2026 - 11 - 20), vec![]);
        inspection.absent_sheets = absent.iter().map(|id| id.to_string()).collect();
        assert_eq!(
            inspection.validate(&checklist).unwrap_err().to_string(),
            expected
        );
    }
    refused(
        &["S9"],
        "inspection.absent_sheets[0]: no sheet `S9` in the checklist",
    );
    refused(
        &["S3", "S3"],
        "inspection.absent_sheets[1]: sheet `S3` is declared absent twice",
    );
    let mut inspection = Inspection::new("t", &checklist, date!(2026 - 11 - 20), vec![]);
    assert_eq!(
        inspection
            .set_sheet_absent(&checklist, "S9", true)
            .unwrap_err()
            .to_string(),
        "inspection.absent_sheets: no sheet `S9` in the checklist"
    );
    // Kept in checklist order, once each; declared present again, it is gone.
    for (sheet, absent) in [("S3", true), ("S1", true), ("S3", true), ("S1", false)] {
        inspection
            .set_sheet_absent(&checklist, sheet, absent)
            .unwrap();
    }
    assert_eq!(inspection.absent_sheets, ["S3"]);
    inspection.set_sheet_absent(&checklist, "S1", true).unwrap();
    assert_eq!(inspection.absent_sheets, ["S1", "S3"]);

    // S3 absent although c1 (a stop-work item) was answered 不符合 before: its answers are left
    // out. r2 = 40 × 85 / 100 = 34; total 48.6 + 34 = 82.6; nothing stops work.
    let report = run_absent(&checklist, &["S3"], &example1_with(&[("c1", "no")]), &[]);
    let s3 = &report.sheets[2];
    assert_eq!(
        (s3.absent, s3.checked, s3.score, s3.unanswered),
        (true, false, 0.0, 0)
    );
    assert_eq!(
        (report.summary[1].sheets_checked, report.summary[1].score),
        (1, Some(34.0))
    );
    assert_eq!((report.total, report.grade), (82.6, Some(Grade::Excellent)));
    assert!(!report.stop_work, "{:?}", report.stop_work_reasons);
    assert!(!report.failed_items.contains(&"c1".to_owned()));
    // 9 items, 2 of them on the absent sheet.
    assert_eq!((report.progress.answered, report.progress.items), (7, 7));
    // Every sheet of a row absent: the row is 缺项. S2 and S3 absent: total = 48.6 / 60 × 100 = 81.
    let report = run_absent(&checklist, &["S2", "S3"], &example1_with(&[]), &[]);
    assert_eq!(report.summary[1].score, None);
    assert_eq!((report.total, report.grade), (81.0, Some(Grade::Excellent)));
}

#[test]
fn no_grade_while_a_guarantee_item_or_a_sheet_is_unanswered() {
    let checklist = mini();
    // g1 (保证) unanswered: no grade, and it is named.
    let report = run(&checklist, &example1_with(&[("g1", "-")]), &[]);
    assert_eq!(report.grade, None);
    assert_eq!(report.incomplete, vec![missing("S1", Some("g1"), "保证一")]);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["grade"], serde_json::Value::Null);
    assert_eq!(
        json["incomplete"],
        json!([{"sheet": "S1", "item": "g1", "title": "保证一"}])
    );
    assert_eq!(
        report.incomplete[0].zh(),
        "S1 保证项目「保证一」（g1）未检查"
    );
    // Both 保证 items of S1 and all of S2's unanswered: S1's items, S2 once.
    let report = run(
        &checklist,
        &example1_with(&[("g1", "-"), ("g2", "-"), ("a1", "-"), ("b1", "-")]),
        &[],
    );
    assert_eq!(
        report.incomplete,
        vec![
            missing("S1", Some("g1"), "保证一"),
            missing("S1", Some("g2"), "保证二"),
            missing("S2", None, "表二"),
        ]
    );
    assert_eq!(
        report.incomplete_zh(),
        "S1 保证项目「保证一」（g1）未检查；S1 保证项目「保证二」（g2）未检查；S2 表二：未检查，也未声明本工程无此项"
    );
    // S3 (no groups) with nothing answered and not declared absent: no grade either.
    let report = run(&checklist, &example1_with(&[("c1", "-"), ("c2", "-")]), &[]);
    assert_eq!(
        (report.grade, report.incomplete.clone()),
        (None, vec![missing("S3", None, "表三")])
    );
    // An unanswered 一般 item is 缺项, not missing: S1 = 61 / 80 × 100 = 76.25 → r1 = 45.75;
    // total 45.75 + 37 = 82.75.
    let report = run(&checklist, &example1_with(&[("y1", "-")]), &[]);
    assert_eq!(
        (report.total, report.grade),
        (82.75, Some(Grade::Excellent))
    );
    assert!(report.incomplete.is_empty());
    // A 保证 item 不适用 from a bundle made before the rule counts as unanswered.
    let mut inspection = inspect(&checklist, &[], &example1_with(&[]));
    inspection.answers.insert("a1".to_owned(), answer("na"));
    let report = score(&checklist, &inspection, &[], date!(2026 - 11 - 28));
    assert_eq!(report.incomplete, vec![missing("S2", Some("a1"), "保证")]);
    assert_eq!(report.grade, None);
}

#[test]
fn grades_are_decided_on_exact_values() {
    let checklist = mini();
    // Only r1 scored (S2, S3 absent), so the total is S1. g1 = 30 − 10 = 20, g2 = 30, y1 = 20,
    // y2 = 20 − 10.0007 = 9.9993: S1 = total = 79.9993 < 80: 合格, shown as 79.99 (not 80).
    let report = run_absent(
        &checklist,
        &["S2", "S3"],
        &example1_with(&[("g1", "d:0:10"), ("g2", "ok"), ("y2", "d:0:10.0007")]),
        &[],
    );
    assert_eq!(report.grade, Some(Grade::Pass));
    assert_eq!((report.total, report.sheets[0].score), (79.99, 79.99));
    // g1 = 30, y1 不符合 = 0: S1 = 30 + 30 + 0 + 9.9993 = 69.9993 < 70: 不合格, shown as 69.99.
    let report = run_absent(
        &checklist,
        &["S2", "S3"],
        &example1_with(&[
            ("g1", "ok"),
            ("g2", "ok"),
            ("y1", "no"),
            ("y2", "d:0:10.0007"),
        ]),
        &[],
    );
    assert_eq!((report.total, report.grade), (69.99, Some(Grade::Fail)));
    // The gate on the exact subtotal: g1 = 20, g2 = 30 − 2 × 5.00035 = 19.9993; 39.9993 < 40.
    let report = run(
        &checklist,
        &example1_with(&[("g1", "d:0:10"), ("g2", "d:0:5.00035x2")]),
        &[],
    );
    let s1 = &report.sheets[0];
    assert_eq!((s1.guarantee_subtotal, s1.score), (Some(39.99), 0.0));
    assert_eq!(
        s1.gate.as_deref(),
        Some("保证项目小计 39.99 分，不足40分，本表不得分")
    );
    assert_eq!(report.grade, Some(Grade::Fail));
    // A third that is not a whole number: y1 不适用 and y2 = 20 − 5 = 15, g2 = 30 − 3 × 3 = 21 →
    // S1 = (22 + 21 + 15) / 80 × 100 = 72.5; S2 = 85, S3 (c1 不适用, c2 = 50) = 100 → r2 = 37;
    // r1 = 60 × 72.5 / 100 = 43.5; total 80.5, and exactly 80 elsewhere is 优良 (grade_thresholds).
    let report = run(
        &checklist,
        &example1_with(&[("y1", "na"), ("g2", "d:0:3x3"), ("c1", "na")]),
        &[],
    );
    assert_eq!((report.total, report.grade), (80.5, Some(Grade::Excellent)));
}

/// [`MINI`] with a third sheet S4 in row r2 (脚手架): the site chooses which of S2, S3, S4 it uses.
/// S4: 保证项目 e1 (60: F 10–60); 一般项目 f1 (40, check).
fn mini_with_s4() -> Checklist {
    let source = MINI.to_owned()
        + r#"
[[jgj59_sheets]]
id = "S4"
title_zh = "表四"
row = "r2"

[[sections]]
id = "s4-g"
title_zh = "表四保证项目"
max_points = 60
group = "保证项目"
sheet = "S4"

[[sections.items]]
id = "e1"
text_zh = "保证"
kind = "deduction"
points = 60
clause = "JGJ 59-2011 表4"
verified = false
deductions = [{ text = "己", min = 10, max = 60 }]

[[sections]]
id = "s4-y"
title_zh = "表四一般项目"
max_points = 40
group = "一般项目"
sheet = "S4"

[[sections.items]]
id = "f1"
text_zh = "一般"
hazard_zh = "一般项未落实"
kind = "check"
points = 40
clause = "JGJ 59-2011 表4"
verified = false
"#;
    let (checklist, problems) = checklist::parse(&source);
    assert_eq!(problems, vec![], "the test checklist is clean");
    checklist.expect("parsed")
}

#[test]
fn the_scaffold_row_is_the_mean_of_the_chosen_sheets() {
    let checklist = mini_with_s4();
    // The site uses S2 and S4 and declares S3 absent. S2 = 45 + 40 = 85; S4 = (60 − 10) + 0 = 50
    // (保证 subtotal 50 ≥ 40); C = (85 + 50) / 2 = 67.5; r2 = 40 × 67.5 / 100 = 27; total = 48.6
    // + 27 = 75.6: 合格.
    let answers = example1_with(&[("c1", "-"), ("c2", "-"), ("e1", "d:0:10"), ("f1", "no")]);
    let report = run_absent(&checklist, &["S3"], &answers, &[]);
    let r2 = &report.summary[1];
    assert_eq!(
        (r2.sheets_checked, r2.sheet_score, r2.score),
        (2, Some(67.5), Some(27.0))
    );
    assert_eq!((report.total, report.grade), (75.6, Some(Grade::Pass)));
    // S2 and S3 instead (S4 absent): C = (85 + 100) / 2 = 92.5; r2 = 37; total 85.6: 优良.
    let report = run_absent(&checklist, &["S4"], &example1_with(&[]), &[]);
    assert_eq!(report.summary[1].sheet_score, Some(92.5));
    assert_eq!((report.total, report.grade), (85.6, Some(Grade::Excellent)));
    // S4 neither answered nor declared absent: no grade until the inspector says which.
    let report = run(&checklist, &example1_with(&[]), &[]);
    assert_eq!(
        (report.grade, report.incomplete.clone()),
        (None, vec![missing("S4", None, "表四")])
    );
}

#[test]
fn an_inspection_from_before_the_new_fields_still_opens() {
    let checklist = mini();
    let old = json!({
        "id": "t",
        "checklist": checklist.reference(),
        "date": "2026-11-20",
        "inspectors": ["检查人"],
        "answers": {"y1": {"result": "not_applicable", "note": "旧备注"}, "g1": {"result": "conform"}},
    });
    let inspection: Inspection = serde_json::from_value(old.clone()).unwrap();
    assert!(inspection.absent_sheets.is_empty());
    assert_eq!(
        (
            inspection.answers["y1"].reason.as_str(),
            inspection.answers["y1"].note.as_str()
        ),
        ("", "旧备注")
    );
    assert_eq!(inspection.validate(&checklist), Ok(()));
    // Written back without the new fields while they are empty: byte-for-byte the old shape.
    assert_eq!(serde_json::to_value(&inspection).unwrap(), old);
    // One made before the 保证项目 rule, with g1 不适用: the app still opens it (the CLI refuses it).
    let mut before_rule = inspection.clone();
    before_rule.answers.insert("g1".to_owned(), answer("na"));
    assert_eq!(before_rule.validate_to_open(&checklist), Ok(()));
    assert!(before_rule.validate(&checklist).is_err());
    // Anything else wrong is still refused when opening.
    before_rule.answers.insert("c2".to_owned(), answer("ok"));
    assert_eq!(
        before_rule
            .validate_to_open(&checklist)
            .unwrap_err()
            .to_string(),
        "answers.c2: 符合 (conform) does not fit a measurement item"
    );
}

/// The construction sample with `edit` applied to its inspection, written to a fresh directory.
fn edited_sample(name: &str, edit: impl FnOnce(&mut Inspection)) -> std::path::PathBuf {
    let dir = temp_dir(name);
    let file = dir.join("s.zicha");
    let run = zicha(&[
        "sample",
        "construction",
        "--seed",
        "5",
        "--date",
        "2026-11-20",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut bundle = Bundle::from_zip(&std::fs::read(&file).unwrap()).unwrap();
    edit(&mut bundle.data.inspection);
    std::fs::write(&file, bundle.to_zip().unwrap()).unwrap();
    file
}

/// [`edited_sample`] scored by `zicha score --json`.
fn score_edited_sample(name: &str, edit: impl FnOnce(&mut Inspection)) -> crate::support::Run {
    let file = edited_sample(name, edit);
    zicha(&[
        "score",
        file.to_str().unwrap(),
        "--json",
        "--as-of",
        "2026-11-28",
    ])
}

#[test]
fn zicha_score_refuses_a_guarantee_item_not_applicable() {
    let run = score_edited_sample("score-na-b17-01", |inspection| {
        inspection
            .answers
            .insert("b17-01".to_owned(), Answer::new(Response::NotApplicable));
    });
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("answers.b17-01: 保证项目「载荷限制装置」cannot be 不适用"),
        "{}",
        run.stderr
    );
    // 多塔作业 may be absent (one crane), with a reason.
    let run = score_edited_sample("score-na-b17-05", |inspection| {
        inspection
            .answers
            .insert("b17-05".to_owned(), Answer::new(Response::NotApplicable));
    });
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "answers.b17-05: 保证项目「多塔作业」may be 不适用 only with the inspector's reason \
             (the checklist allows it when: 施工现场只有一台塔式起重机，没有两台及以上塔机的群塔作业)"
        ),
        "{}",
        run.stderr
    );
    let run = score_edited_sample("score-na-b17-05-reason", |inspection| {
        inspection.answers.insert(
            "b17-05".to_owned(),
            Answer::not_applicable("现场仅一台塔吊"),
        );
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(report["grade"].is_string(), "{}", report["grade"]);
    assert_eq!(report["incomplete"], json!([]));
}

#[test]
fn zicha_score_without_a_grade_names_what_is_missing() {
    let run = score_edited_sample("score-incomplete", |inspection| {
        inspection.answers.remove("b17-05");
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["grade"], serde_json::Value::Null);
    assert_eq!(
        report["incomplete"],
        json!([{"sheet": "B.17", "item": "b17-05", "title": "多塔作业"}])
    );
    // The site has no 物料提升机: B.15 declared absent, the hoist row is B.16 alone.
    let run = score_edited_sample("score-absent-b15", |inspection| {
        inspection.absent_sheets.push("B.15".to_owned());
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let b15 = report["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|sheet| sheet["id"] == "B.15")
        .unwrap();
    assert_eq!(
        (&b15["absent"], &b15["checked"]),
        (&json!(true), &json!(false))
    );
    let hoists = report["summary"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["id"] == "hoists")
        .unwrap();
    assert_eq!(hoists["sheets_checked"], 1);
    assert!(report["grade"].is_string(), "{}", report["grade"]);
}

fn hazard(
    id: &str,
    item: Option<&str>,
    major: bool,
    status: Status,
    deadline: time::Date,
) -> Hazard {
    let level = if major {
        checklist::Level::Major
    } else {
        checklist::Level::General
    };
    let mut hazard = Hazard::new(id, "隐患", level, "检查人", date!(2026 - 11 - 20));
    hazard.item = item.map(str::to_owned);
    hazard.rectification.measures = "整改".into();
    hazard.rectification.responsible = "责任人".into();
    hazard.rectification.deadline = Some(deadline);
    hazard.rectification.funds_yuan = Some(1000);
    hazard.rectification.plan = "预案".into();
    // What a live change needs since issue 11 §8: 定标准, interim measures, for 重大 the 治理方案 and
    // the 销号 record, and 验收 by someone other than the person who rectified.
    hazard.rectification.acceptance_standard = "标准".into();
    hazard.rectification.interim_measures = "临时管控".into();
    hazard.governance_plan = zicha_core::ledger::GovernancePlan {
        goals_and_tasks: "目标".into(),
        methods_and_measures: "措施".into(),
        funds_and_materials: "经费".into(),
        organisation_and_people: "人员".into(),
        schedule_and_requirements: "时限".into(),
        safety_and_emergency: "预案".into(),
    };
    hazard.closure = zicha_core::ledger::Closure {
        evaluation: "评估".into(),
        reported_on: Some(date!(2026 - 11 - 20)),
        reported_to: "监管部门".into(),
    };
    let mut at = datetime!(2026-11-20 10:00 UTC);
    let path = status.path_from_pending();
    for (to, passed) in path {
        at += time::Duration::hours(1);
        let by = if passed.is_some() {
            "验收人"
        } else {
            "整改人"
        };
        hazard.transition(*to, by, at, "", *passed).unwrap();
    }
    hazard
}

#[test]
fn five_100_rates_and_hazard_counts() {
    let checklist = mini();
    let hazards = vec![
        hazard(
            "H1",
            Some("y2"),
            false,
            Status::Closed,
            date!(2026 - 11 - 21),
        ),
        hazard("H2", None, false, Status::InProgress, date!(2026 - 11 - 27)), // overdue on 11-28
        hazard("H3", None, false, Status::Pending, date!(2026 - 11 - 28)), // due today: not overdue
    ];
    // y1 符合, c1 不符合 (both tagged responsibility); m1 (major-sources) 不适用.
    let report = run(
        &checklist,
        &example1_with(&[("c1", "no"), ("m1", "na")]),
        &hazards,
    );
    let rate = |target: Target| {
        report
            .five_100
            .iter()
            .find(|rate| rate.target == target)
            .unwrap()
            .clone()
    };
    let responsibility = rate(Target::Responsibility);
    assert_eq!(
        (
            responsibility.numerator,
            responsibility.denominator,
            responsibility.gaps.clone()
        ),
        (1, 2, vec!["c1".to_owned()])
    );
    assert_eq!(responsibility.percent(), Some(50.0));
    // 隐患排查治理率 = closed / found = 1 / 3, the open ones named as gaps.
    let hazards_rate = rate(Target::Hazards);
    assert_eq!((hazards_rate.numerator, hazards_rate.denominator), (1, 3));
    assert_eq!(hazards_rate.gaps, vec!["H2", "H3"]);
    assert_eq!(hazards_rate.percent(), Some(33.33));
    // Nothing answered for supervision, and m1 不适用: 0 / 0, shown without a percentage.
    assert_eq!(
        (
            rate(Target::MajorSources).denominator,
            rate(Target::MajorSources).percent()
        ),
        (0, None)
    );
    assert_eq!(report.five_100.len(), 5);
    let counts = report.hazards;
    assert_eq!(
        (
            counts.general,
            counts.major,
            counts.open,
            counts.closed,
            counts.overdue
        ),
        (3, 0, 2, 1, 1)
    );
}

/// A register entry assessed on `dates`.
fn source(id: &str, dates: &[time::Date]) -> MajorSource {
    MajorSource {
        id: id.to_owned(),
        name: format!("{id} 的名称"),
        kind: "深基坑".to_owned(),
        assessments: dates
            .iter()
            .map(|&date| RiskAssessment {
                date,
                by: "安全负责人".to_owned(),
                note: String::new(),
            })
            .collect(),
        ..MajorSource::default()
    }
}

#[test]
fn major_sources_rate_counts_the_register_in_the_inspections_month() {
    let checklist = mini();
    // The inspection is dated 2026-11-20; m1 (major-sources) 符合, so by items target 5 is 1 / 1.
    let inspection = inspect(&checklist, &[], &example1_with(&[]));
    let register = vec![
        // Assessed in October and on 11-05: counts.
        source("MS-01", &[date!(2026 - 10 - 06), date!(2026 - 11 - 05)]),
        // October, November of the year before, December: none in 2026-11, a gap.
        source(
            "MS-02",
            &[
                date!(2026 - 10 - 28),
                date!(2025 - 11 - 15),
                date!(2026 - 12 - 01),
            ],
        ),
        // The first day of the month counts.
        source("MS-03", &[date!(2026 - 11 - 01)]),
    ];
    let as_of = date!(2026 - 11 - 28);
    let with_register = score_with(&checklist, &inspection, &[], &register, as_of);
    let rate = |report: &ScoreReport, target: Target| {
        report
            .five_100
            .iter()
            .find(|rate| rate.target == target)
            .unwrap()
            .clone()
    };
    let major = rate(&with_register, Target::MajorSources);
    assert_eq!(
        (
            major.numerator,
            major.denominator,
            major.gaps.clone(),
            major.basis
        ),
        (2, 3, vec!["MS-02".to_owned()], RateBasis::Register)
    );
    assert_eq!(major.percent(), Some(66.67));
    let json = serde_json::to_value(&major).unwrap();
    assert_eq!(
        (&json["basis"], &json["gaps"]),
        (&json!("register"), &json!(["MS-02"]))
    );

    // No register: target 5 on its items as before (m1 符合: 1 / 1), and the same report as
    // `score`.
    let without = score_with(&checklist, &inspection, &[], &[], as_of);
    assert_eq!(without, score(&checklist, &inspection, &[], as_of));
    let major = rate(&without, Target::MajorSources);
    assert_eq!(
        (major.numerator, major.denominator, major.basis),
        (1, 1, RateBasis::Items)
    );
    assert_eq!(
        serde_json::to_value(&major).unwrap()["basis"],
        json!("items")
    );
    // The register changes target 5 only.
    for target in Target::ALL {
        if target != Target::MajorSources {
            assert_eq!(rate(&with_register, target), rate(&without, target));
        }
    }
    // A rate written before `basis` existed reads as counted on items.
    let mut old = serde_json::to_value(&major).unwrap();
    old.as_object_mut().unwrap().remove("basis");
    assert_eq!(serde_json::from_value::<Rate>(old).unwrap(), major);
}

#[test]
fn the_construction_sample_keeps_a_register_with_one_source_unassessed() {
    let checklist = zicha_core::catalog::by_id("construction").unwrap();
    let bundle = zicha_core::sample::sample(checklist, None, 7, date!(2026 - 11 - 20));
    let register = bundle.data.major_sources();
    assert_eq!(register.len(), 4);
    let report = score_with(
        checklist,
        &bundle.data.inspection,
        &bundle.data.hazards,
        register,
        date!(2026 - 11 - 20),
    );
    let major = report
        .five_100
        .iter()
        .find(|rate| rate.target == Target::MajorSources)
        .unwrap();
    assert_eq!(
        (major.numerator, major.denominator, &major.gaps, major.basis),
        (3, 4, &vec!["MS-04".to_owned()], RateBasis::Register)
    );
    // MS-04 was assessed in October only; the others on 11-01 too.
    assert_eq!(
        register[3]
            .assessments
            .iter()
            .map(|a| a.date)
            .collect::<Vec<_>>(),
        [date!(2026 - 10 - 29)]
    );
    assert!(bundle.data.project.as_ref().unwrap().validate().is_ok());
}

#[test]
fn stop_work_verdict() {
    let checklist = mini();
    // c1 is tagged stop-work: its failure stops work.
    let report = run(&checklist, &example1_with(&[("c1", "no")]), &[]);
    assert!(report.stop_work);
    assert_eq!(report.stop_work_reasons[0].item.as_deref(), Some("c1"));
    // m1 is a 重大 judgement item: its failure stops work until its hazard is closed (销号).
    let open = vec![hazard(
        "H1",
        Some("m1"),
        true,
        Status::AwaitingVerification,
        date!(2026 - 12 - 01),
    )];
    let report = run(&checklist, &example1_with(&[("m1", "no")]), &open);
    assert_eq!(
        report.stop_work_reasons.len(),
        1,
        "{:?}",
        report.stop_work_reasons
    );
    assert_eq!(report.stop_work_reasons[0].item.as_deref(), Some("m1"));
    let closed = vec![hazard(
        "H1",
        Some("m1"),
        true,
        Status::Closed,
        date!(2026 - 12 - 01),
    )];
    let report = run(&checklist, &example1_with(&[("m1", "no")]), &closed);
    assert!(!report.stop_work, "{:?}", report.stop_work_reasons);
    // An open 重大 hazard without an item stops work too; a closed one does not.
    let report = run(
        &checklist,
        &example1_with(&[]),
        &[hazard(
            "H9",
            None,
            true,
            Status::Pending,
            date!(2026 - 12 - 01),
        )],
    );
    assert_eq!(report.stop_work_reasons[0].hazard.as_deref(), Some("H9"));
    let report = run(&checklist, &example1_with(&[]), &[]);
    assert!(!report.stop_work);
}

#[test]
fn points_scoring_outside_construction() {
    // The same items without JGJ 59: drop the scoring key, the 汇总表, the sheet/group keys and the
    // five 100% tags.
    let head = &MINI[..MINI.find("[[jgj59_rows]]").unwrap()];
    let sections = &MINI[MINI.find("[[sections]]").unwrap()..];
    let source = (head.to_owned() + sections)
        .replace("sector = \"construction\"", "sector = \"generic\"")
        // The five 100% targets are construction's only.
        .replace("\"five100:", "\"topic:")
        .lines()
        .filter(|line| {
            !line.starts_with("scoring =")
                && !line.starts_with("absent_if =")
                && !line.starts_with("sheet =")
                && !line.starts_with("group =")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let (checklist, problems) = checklist::parse(&source);
    assert_eq!(problems, vec![]);
    let checklist = checklist.unwrap();
    // Obtained 22 + 24 + 20 + 15 + 45 + 40 + 50 + 50 = 266 of 300 → 88.67%; no grade, no rates.
    let report = run(&checklist, &example1_with(&[]), &[]);
    assert_eq!((report.total, report.grade), (88.67, None));
    assert!(report.five_100.is_empty() && report.sheets.is_empty() && report.summary.is_empty());
}

#[test]
fn a_deduction_is_checked_against_its_rule() {
    use zicha_core::checklist::{Deduction, DeductionProblem};
    let once = Deduction {
        text: "未编制专项方案".into(),
        min: 2.0,
        max: 8.0,
        per: None,
    };
    let range = Err(DeductionProblem::PointsOutOfRange { min: 2.0, max: 8.0 });
    assert_eq!(once.check(2.0, 1), Ok(()));
    assert_eq!(once.check(8.0, 1), Ok(()));
    assert_eq!(once.check(12.0, 1), range);
    assert_eq!(once.check(1.5, 1), range);
    assert_eq!(once.check(f64::NAN, 1), range);
    assert_eq!(once.check(4.0, 2), Err(DeductionProblem::CountNotAllowed));
    assert_eq!(once.check(4.0, 0), Err(DeductionProblem::CountNotAllowed));
    let per_person = Deduction {
        per: Some("人".into()),
        ..once
    };
    assert_eq!(per_person.check(4.0, 3), Ok(()));
    assert_eq!(
        per_person.check(4.0, 0),
        Err(DeductionProblem::CountNotAllowed)
    );
}

#[test]
fn answers_that_do_not_fit_are_refused() {
    let checklist = mini();
    let mut inspection = Inspection::new("t", &checklist, date!(2026 - 11 - 20), vec![]);
    #[track_caller]
    fn refused(
        inspection: &mut Inspection,
        checklist: &Checklist,
        item: &str,
        spec: &str,
        needle: &str,
    ) {
        let error = inspection
            .answer(checklist, item, answer(spec))
            .unwrap_err()
            .to_string();
        assert!(error.contains(needle), "{item} {spec}: {error}");
        assert!(error.starts_with(&format!("answers.{item}")), "{error}");
    }
    refused(
        &mut inspection,
        &checklist,
        "g1",
        "d:0:11",
        "outside the rule's range 5–10",
    );
    refused(
        &mut inspection,
        &checklist,
        "g1",
        "d:5:1",
        "rule 5 does not exist",
    );
    refused(
        &mut inspection,
        &checklist,
        "g1",
        "d:0:6x2",
        "count 2 is not allowed",
    );
    refused(
        &mut inspection,
        &checklist,
        "g1",
        "no",
        "does not fit a deduction item",
    );
    refused(
        &mut inspection,
        &checklist,
        "c2",
        "ok",
        "does not fit a measurement item",
    );
    refused(
        &mut inspection,
        &checklist,
        "c1",
        "m:3",
        "does not fit a check item",
    );
    let error = inspection
        .answer(&checklist, "zz", answer("ok"))
        .unwrap_err()
        .to_string();
    assert_eq!(error, "answers.zz: no such item in the checklist");
    assert!(inspection.answers.is_empty());
}

/// The text of `zicha render FILE`'s report (its `--dump`), white space removed so that line
/// breaks in the PDF do not split what a test looks for.
fn rendered_text(file: &std::path::Path) -> String {
    let dump = file.with_extension("txt");
    let run = zicha(&[
        "render",
        file.to_str().unwrap(),
        "-o",
        file.with_extension("pdf").to_str().unwrap(),
        "--time",
        "2026-11-21T18:00:00+08:00",
        "--dump",
        dump.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::read_to_string(&dump)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn the_report_says_scoring_is_incomplete_and_what_is_missing() {
    let file = edited_sample("report-incomplete", |inspection| {
        inspection.answers.remove("b17-05");
    });
    let text = rendered_text(&file);
    for needle in [
        "评分未完成：尚缺1项",
        "评分未完成，不评定等级",
        "尚缺：B.17保证项目「多塔作业」（b17-05）未检查。",
        "评语：评分未完成，不评定等级",
    ] {
        assert!(text.contains(needle), "{needle} not in the report");
    }
    assert!(!text.contains("评定等级：优良") && !text.contains("评定等级：合格"));
}

#[test]
fn the_report_prints_the_reason_of_an_absent_guarantee_item() {
    let file = edited_sample("report-na-reason", |inspection| {
        inspection.answers.insert(
            "b17-05".to_owned(),
            Answer::not_applicable("现场仅一台塔吊"),
        );
    });
    let text = rendered_text(&file);
    assert!(
        text.contains("不适用：现场仅一台塔吊"),
        "the reason is printed"
    );
}
