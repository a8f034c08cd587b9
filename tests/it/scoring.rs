//! Scoring on worked examples computed by hand (JGJ 59-2011 Chapter 4 and 5), the five 100% rates
//! and the stop-work verdict.

use time::macros::{date, datetime};
use zicha_core::checklist::{self, Checklist, Target};
use zicha_core::inspection::{Answer, AppliedDeduction, Inspection, Response};
use zicha_core::ledger::{Hazard, Status};
use zicha_core::score::{Grade, ScoreReport, score};

/// A small JGJ 59 checklist: 汇总表 row r1 (weight 60) fed by sheet S1; row r2 (weight 40) fed by
/// sheets S2 and S3 (scored as their mean).
///
/// S1: 保证项目 g1 (30: A 5–10, B 30), g2 (30: C 2–10 per 人); 一般项目 y1 (20, check), y2 (20: D 5–20).
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

/// Answers in a compact notation: "ok" 符合, "no" 不符合, "na" 不适用, "d:RULE:POINTS[xCOUNT]" (several
/// joined by +), "m:VALUE".
fn answer(spec: &str) -> Answer {
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
    let mut inspection =
        Inspection::new("t", checklist, date!(2026 - 11 - 20), vec!["检查人".into()]);
    for (item, spec) in answers {
        inspection
            .answer(checklist, item, answer(spec))
            .unwrap_or_else(|e| panic!("{item}: {e}"));
    }
    score(checklist, &inspection, hazards, date!(2026 - 11 - 28))
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
    // A 保证 item 不适用: the subtotal is scaled to 60. g2 na, g1 = 20: 20 / 30 × 60 = 40 (passes);
    // D = 20 + 20 + 15 = 55 over E = 70 → 78.57.
    let report = run(
        &checklist,
        &example1_with(&[("g2", "na"), ("g1", "d:0:10")]),
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
    // S3 not checked: r2 = 40 × 85 / 100 = 34 (the mean of the checked sheets only); total 82.6.
    let report = run(&checklist, &example1_with(&[("c1", "-"), ("c2", "-")]), &[]);
    assert_eq!(report.summary[1].sheets_checked, 1);
    assert_eq!((report.summary[1].score, report.total), (Some(34.0), 82.6));
    // Row r2 not checked at all (缺项): total = 48.6 / 60 × 100 = 81.
    let report = run(
        &checklist,
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
