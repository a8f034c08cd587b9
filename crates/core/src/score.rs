//! Scoring: section scores, JGJ 59-2011 (分项检查评分表, 保证项目 gate, 汇总表, grade), the five 100%
//! rates, the stop-work verdict and hazard counts, all in one [`ScoreReport`] that the CLI prints as
//! JSON and the app and report show.
//!
//! JGJ 59-2011 rules as implemented (Chapter 4 and 5):
//! - An item's deductions never exceed its points (done in [`crate::inspection::evaluate`]).
//! - 保证项目 are all checked (4.0.1): a 保证 item is 不适用 only where the checklist names the
//!   condition (`absent_if`) and the inspector gives a reason ([`Inspection::validate`] refuses any
//!   other; here such an answer counts as unanswered). A sheet the site does not have is declared
//!   absent once ([`Inspection::absent_sheets`], 本工程无此项): it is not scored and answers kept on
//!   its items are left out.
//! - While a 保证 item of a sheet not declared absent is unanswered, or such a sheet has no answer
//!   at all, there is no grade: [`ScoreReport::incomplete`] lists what is missing (评分未完成).
//! - A sheet scores D / E × 100 where D is the points obtained and E the full marks of the items
//!   actually checked (缺项: items answered 不适用 or not yet answered are left out).
//! - 保证项目 gate: if a checked 保证项目 item scores 0, or the 保证项目 subtotal is below 40, the
//!   sheet scores 0. When a 保证 item is allowed to be 不适用 the subtotal is scaled to 60 before
//!   the comparison (obtained × 60 / checked), so the sheet is held to the same proportion.
//! - 汇总表: a row scores weight × C / 100 where C is the sheet's score, or the mean of the checked
//!   sheets when several feed the row (脚手架: the scaffold types the site uses; 物料提升机与施工
//!   升降机; 塔式起重机与起重吊装).
//! - Rows with no checked sheet are 缺项: total = Σ row scores / Σ weights of checked rows × 100.
//! - Grade (5.0.1): 不合格 when any checked sheet scores 0 or the total is below 70; 优良 at 80 or
//!   more; 合格 otherwise.
//!
//! Exactness (§3 of issue 11): sheets, rows and the total are computed without intermediate
//! rounding (each quotient multiplies before it divides, so a value that is a whole or a
//! two-decimal number comes out exact when f64 can hold it), and the gate and the grade are decided
//! on those values: an exact total of 79.9993 is 合格, not 优良. A difference below [`NOISE`] points
//! is taken as floating-point error, not as a score. Only the numbers in the report are rounded to
//! two decimals, and never across a threshold the exact value does not reach (79.9993 prints as
//! 79.99, see [`display`]), so a printed number never contradicts the grade printed beside it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::checklist::{Checklist, Group, Item, Level, Scoring, Sector, Tag, Target};
use crate::inspection::{Evaluation, Inspection, evaluate, validate_answer};
use crate::ledger::{self, Hazard, HazardCounts, Status};
use crate::org::MajorSource;

/// The JGJ 59-2011 grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Grade {
    /// 优良.
    #[serde(rename = "优良")]
    Excellent,
    /// 合格.
    #[serde(rename = "合格")]
    Pass,
    /// 不合格.
    #[serde(rename = "不合格")]
    Fail,
}

impl Grade {
    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Grade::Excellent => "优良",
            Grade::Pass => "合格",
            Grade::Fail => "不合格",
        }
    }
}

/// Everything computed from an inspection. Field names are a contract of `zicha score --json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreReport {
    /// JGJ 59 grade; `None` for checklists without JGJ 59 scoring, with no sheet checked, or while
    /// [`ScoreReport::incomplete`] is not empty (评分未完成).
    pub grade: Option<Grade>,
    /// JGJ 59: what must still be checked before there is a grade, in checklist order: each
    /// unanswered 保证项目 item of a sheet not declared absent, and each such sheet with no answer at
    /// all (named once, without its items). Empty for other checklists and when the scoring is
    /// complete. JSON: `[{"sheet": "B.17", "item": "b17-05", "title": "多塔作业"}, {"sheet": "B.16",
    /// "title": "施工升降机检查评分表"}]`.
    #[serde(default)]
    pub incomplete: Vec<Missing>,
    /// JGJ 59: the 汇总表 total; otherwise the points obtained over the points of checked items, in
    /// %, kept for compatibility only: no standard defines it, and the result is [`Self::judgement`].
    pub total: f64,
    /// Per section: points obtained and points of the checked items.
    pub sections: Vec<SectionScore>,
    /// The five 100% rates (construction only; empty elsewhere).
    pub five_100: Vec<Rate>,
    /// Whether a stop-work trigger fired.
    pub stop_work: bool,
    /// Why work must stop.
    pub stop_work_reasons: Vec<StopReason>,
    /// Hazards by level and state.
    pub hazards: HazardCounts,
    /// JGJ 59 分项检查评分表 (empty for other checklists).
    pub sheets: Vec<SheetScore>,
    /// JGJ 59 汇总表 rows (empty for other checklists).
    pub summary: Vec<RowScore>,
    /// Answered items over all items.
    pub progress: Progress,
    /// Items that failed.
    pub failed_items: Vec<String>,
    /// For checklists without a scoring standard (every sector but construction): the result as
    /// the sector's 判定标准 states it. `total` is then only a points ratio no standard defines;
    /// the CLI, the app and the report show this instead. Absent for JGJ 59 checklists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judgement: Option<Judgement>,
}

/// Something JGJ 59 scoring needs before there is a grade (an entry of [`ScoreReport::incomplete`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missing {
    /// The sheet, e.g. `B.17`.
    pub sheet: String,
    /// The unanswered 保证项目 item; `None` when the sheet has no answer at all and is not declared
    /// absent (本工程无此项).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The item's title (检查项目, e.g. 多塔作业), or the sheet's title when `item` is `None`.
    pub title: String,
}

impl Missing {
    /// In Chinese, e.g. `B.17 保证项目「多塔作业」（b17-05）未检查` or `B.16 施工升降机检查评分表：未检查，
    /// 也未声明本工程无此项`.
    pub fn zh(&self) -> String {
        match &self.item {
            Some(item) => format!("{} 保证项目「{}」（{item}）未检查", self.sheet, self.title),
            None => format!(
                "{} {}：未检查，也未声明本工程无此项",
                self.sheet, self.title
            ),
        }
    }
}

impl ScoreReport {
    /// [`ScoreReport::incomplete`] in one Chinese sentence list, `；`-separated; empty when complete.
    pub fn incomplete_zh(&self) -> String {
        self.incomplete
            .iter()
            .map(Missing::zh)
            .collect::<Vec<_>>()
            .join("；")
    }
}

/// A section's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionScore {
    /// Section id.
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// Points obtained.
    pub score: f64,
    /// Full marks of the checked items.
    pub max: f64,
    /// Full marks of the whole section.
    pub full: f64,
    /// Items answered.
    pub answered: usize,
    /// Items in the section.
    pub items: usize,
    /// Items failed.
    pub failed: usize,
}

/// A JGJ 59 分项检查评分表 result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetScore {
    /// Sheet id, e.g. `B.1`.
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// The 汇总表 row.
    pub row: String,
    /// Any item checked.
    pub checked: bool,
    /// Declared absent from the site (本工程无此项): not scored.
    #[serde(default)]
    pub absent: bool,
    /// The sheet's score out of 100 after the 缺项 conversion and the 保证项目 gate.
    pub score: f64,
    /// The score before the gate.
    pub score_before_gate: f64,
    /// 保证项目 subtotal obtained (out of 60 when all checked; scaled to 60 when an item allowed to
    /// be absent is 不适用).
    pub guarantee_subtotal: Option<f64>,
    /// Why the 保证项目 gate set the sheet to 0.
    pub gate: Option<String>,
    /// Items not yet answered (a complete sheet has 0; 保证项目 must all be checked, 4.0.1); 0 on a
    /// sheet declared absent, whose items are not asked for.
    pub unanswered: usize,
}

/// A JGJ 59 汇总表 row result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowScore {
    /// Row id.
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// The row's weight (full marks).
    pub weight: f64,
    /// Sheets checked.
    pub sheets_checked: usize,
    /// Mean score of the checked sheets (C), when any.
    pub sheet_score: Option<f64>,
    /// The row's score in the 汇总表 (A1 = weight × C / 100), when checked.
    pub score: Option<f64>,
}

/// One five 100% rate as numerator / denominator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    /// Target key: responsibility, supervision, rules, hazards, major-sources.
    pub target: Target,
    /// Chinese name.
    pub title: String,
    /// Facts in order.
    pub numerator: usize,
    /// Facts checked.
    pub denominator: usize,
    /// What keeps it below 100%: failed item ids; open hazard ids for the hazard rate; for
    /// major-sources counted on the register ([`RateBasis::Register`]), the ids
    /// ([`MajorSource::id`]) of the register entries without an assessment in the inspection's
    /// month, in register order (the project's register gives their names).
    pub gaps: Vec<String>,
    /// What was counted. JSON `"basis": "register"` or `"items"`; reports made before the field
    /// existed read as `items`, which is what they counted.
    #[serde(default)]
    pub basis: RateBasis,
}

/// What a five 100% [`Rate`] counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateBasis {
    /// The checklist's items tagged with the target (for 隐患排查治理率, the hazards of the
    /// ledger), as every rate was counted before the register existed.
    #[default]
    Items,
    /// Target 5 (重大危险源监控管理和每月风险评估率) counted on the project's register of
    /// 重大危险源 / 危大工程: sources with a risk assessment dated in the calendar month of the
    /// inspection over the sources in the register. Used whenever the register has an entry.
    Register,
}

impl Rate {
    /// The rate in percent; `None` when nothing was checked.
    pub fn percent(&self) -> Option<f64> {
        (self.denominator > 0)
            .then(|| round2(self.numerator as f64 * 100.0 / self.denominator as f64))
    }
}

/// Why work must stop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopReason {
    /// The failed item, when the trigger is an item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The open hazard, when the trigger is a hazard.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hazard: Option<String>,
    /// What it is, in Chinese.
    pub text: String,
}

/// Answered items over all items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Items answered.
    pub answered: usize,
    /// Items in the checklist.
    pub items: usize,
}

/// Rounds to two decimals (half away from zero).
pub fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// Points: a difference smaller than this is floating-point error, not a score. The values compared
/// are quotients of sums of a few hundred points (each exact in f64), with an error near 1e-13; a
/// billionth of a point is far above that and far below anything an inspector can deduct.
pub const NOISE: f64 = 1e-9;

/// `value ≥ threshold`, decided on the unrounded value up to [`NOISE`].
fn at_least(value: f64, threshold: f64) -> bool {
    value >= threshold - NOISE
}

/// `value` rounded to two decimals for the report, except that it is cut (not rounded) when
/// rounding would reach one of `thresholds` that the exact value does not: 79.9993 shows as 79.99
/// beside 合格, not as 80.
pub fn display(value: f64, thresholds: &[f64]) -> f64 {
    let rounded = round2(value);
    let crosses = thresholds
        .iter()
        .any(|&threshold| at_least(rounded, threshold) && !at_least(value, threshold));
    if crosses {
        ((value + NOISE) * 100.0).floor() / 100.0
    } else {
        rounded
    }
}

/// The thresholds of the grade (5.0.1): 70 合格, 80 优良.
const GRADE_THRESHOLDS: [f64; 2] = [70.0, 80.0];
/// The 保证项目 subtotal a sheet needs (the gate).
const GATE_SUBTOTAL: f64 = 40.0;

/// Scores `inspection` against its `checklist`, with the hazard ledger of the inspection and the
/// day (`as_of`) against which deadlines are checked. The answers are taken as valid (see
/// [`Inspection::validate`]); an answer that does not fit its item counts as unanswered.
///
/// Without the project's register of 重大危险源, five 100% target 5 is counted on its items
/// ([`RateBasis::Items`]); [`score_with`] takes the register.
pub fn score(
    checklist: &Checklist,
    inspection: &Inspection,
    hazards: &[Hazard],
    as_of: Date,
) -> ScoreReport {
    score_with(checklist, inspection, hazards, &[], as_of)
}

/// [`score`] with the project's register of 重大危险源 / 危大工程 ([`crate::org::Project::major_sources`],
/// or [`crate::bundle::BundleData::major_sources`]): when it has an entry, five 100% target 5 is
/// the sources assessed in the inspection's calendar month over the sources in the register
/// ([`RateBasis::Register`]); when it is empty, the target's items as in [`score`].
pub fn score_with(
    checklist: &Checklist,
    inspection: &Inspection,
    hazards: &[Hazard],
    register: &[MajorSource],
    as_of: Date,
) -> ScoreReport {
    // Items of sheets declared absent are left out as if unanswered; so is an answer that does not
    // fit (a 保证 item 不适用 without leave, from a bundle made before the rule).
    let in_absent_sheet = |section: &crate::checklist::Section| {
        section
            .sheet
            .as_deref()
            .is_some_and(|sheet| inspection.sheet_absent(sheet))
    };
    let evaluations: HashMap<&str, Evaluation> = checklist
        .sections
        .iter()
        .filter(|section| !in_absent_sheet(section))
        .flat_map(|section| section.items.iter().map(move |item| (section.group, item)))
        .filter_map(|(group, item)| {
            let answer = inspection.answers.get(&item.id)?;
            validate_answer(item, group, answer).ok()?;
            Some((item.id.as_str(), evaluate(item, answer)))
        })
        .collect();
    let expected_items: usize = checklist
        .sections
        .iter()
        .filter(|section| !in_absent_sheet(section))
        .map(|section| section.items.len())
        .sum();

    let sections: Vec<SectionScore> = checklist
        .sections
        .iter()
        .map(|section| {
            let mut result = SectionScore {
                id: section.id.clone(),
                title: section.title_zh.clone(),
                score: 0.0,
                max: 0.0,
                full: section.max_points,
                answered: 0,
                items: section.items.len(),
                failed: 0,
            };
            for item in &section.items {
                if let Some(evaluation) = evaluations.get(item.id.as_str()) {
                    result.answered += 1;
                    if evaluation.checked {
                        result.score += evaluation.obtained;
                        result.max += item.points;
                    }
                    if evaluation.failed {
                        result.failed += 1;
                    }
                }
            }
            result.score = round2(result.score);
            result.max = round2(result.max);
            result
        })
        .collect();

    let failed_items: Vec<String> = checklist
        .items()
        .filter(|(_, item)| evaluations.get(item.id.as_str()).is_some_and(|e| e.failed))
        .map(|(_, item)| item.id.clone())
        .collect();

    let jgj59 = match checklist.scoring {
        Scoring::Jgj59 => jgj59(checklist, inspection, &evaluations),
        Scoring::Points => {
            let (obtained, max) = checklist
                .items()
                .filter_map(|(_, item)| Some((item, evaluations.get(item.id.as_str())?)))
                .filter(|(_, evaluation)| evaluation.checked)
                .fold((0.0, 0.0), |(o, m), (item, evaluation)| {
                    (o + evaluation.obtained, m + item.points)
                });
            let total = if max > 0.0 {
                round2(obtained * 100.0 / max)
            } else {
                0.0
            };
            Jgj59Result {
                total,
                ..Jgj59Result::default()
            }
        }
    };

    let five_100 = if checklist.sector == Sector::Construction {
        Target::ALL
            .into_iter()
            .map(|target| match target {
                Target::MajorSources if !register.is_empty() => {
                    register_rate(register, inspection.date)
                }
                _ => rate(checklist, &evaluations, hazards, target),
            })
            .collect()
    } else {
        Vec::new()
    };

    let stop_work_reasons = stop_reasons(checklist, inspection, &evaluations, hazards);
    let judgement =
        (checklist.scoring == Scoring::Points).then(|| judgement(checklist, &evaluations, hazards));
    ScoreReport {
        grade: jgj59.grade,
        incomplete: jgj59.incomplete,
        total: jgj59.total,
        sections,
        five_100,
        stop_work: !stop_work_reasons.is_empty(),
        stop_work_reasons,
        hazards: ledger::count(hazards, as_of),
        sheets: jgj59.sheets,
        summary: jgj59.summary,
        progress: Progress {
            answered: evaluations.len(),
            items: expected_items,
        },
        failed_items,
        judgement,
    }
}

#[derive(Default)]
struct Jgj59Result {
    grade: Option<Grade>,
    incomplete: Vec<Missing>,
    total: f64,
    sheets: Vec<SheetScore>,
    summary: Vec<RowScore>,
}

/// A sheet's values before rounding for the report.
struct ExactSheet {
    checked: bool,
    score: f64,
}

fn jgj59(
    checklist: &Checklist,
    inspection: &Inspection,
    evaluations: &HashMap<&str, Evaluation>,
) -> Jgj59Result {
    let mut incomplete = Vec::new();
    let mut exact = Vec::new();
    let sheets: Vec<SheetScore> = checklist
        .jgj59_sheets
        .iter()
        .map(|sheet| {
            let absent = inspection.sheet_absent(&sheet.id);
            let items: Vec<(Option<Group>, &Item)> = checklist
                .sections
                .iter()
                .filter(|section| section.sheet.as_deref() == Some(sheet.id.as_str()))
                .flat_map(|section| section.items.iter().map(move |item| (section.group, item)))
                .collect();
            let (mut obtained, mut checked_max) = (0.0, 0.0);
            let (mut g_obtained, mut g_checked_max, mut g_zero) = (0.0, 0.0, None::<&str>);
            let mut unanswered = Vec::new();
            for (group, item) in &items {
                let Some(evaluation) = evaluations.get(item.id.as_str()) else {
                    unanswered.push((*group, *item));
                    continue;
                };
                if !evaluation.checked {
                    continue;
                }
                obtained += evaluation.obtained;
                checked_max += item.points;
                if *group == Some(Group::Guarantee) {
                    g_obtained += evaluation.obtained;
                    g_checked_max += item.points;
                    if evaluation.obtained <= 0.0 && g_zero.is_none() {
                        g_zero = Some(item.id.as_str());
                    }
                }
            }
            if !absent {
                if unanswered.len() == items.len() {
                    incomplete.push(Missing {
                        sheet: sheet.id.clone(),
                        item: None,
                        title: sheet.title_zh.clone(),
                    });
                } else {
                    incomplete.extend(
                        unanswered
                            .iter()
                            .filter(|(group, _)| *group == Some(Group::Guarantee))
                            .map(|(_, item)| Missing {
                                sheet: sheet.id.clone(),
                                item: Some(item.id.clone()),
                                title: item.title_zh().trim().to_owned(),
                            }),
                    );
                }
            }
            let checked = !absent && checked_max > 0.0;
            let score_before_gate = if checked {
                obtained * 100.0 / checked_max
            } else {
                0.0
            };
            let has_guarantee = items
                .iter()
                .any(|(group, _)| *group == Some(Group::Guarantee));
            let guarantee_subtotal = (checked && has_guarantee && g_checked_max > 0.0)
                .then(|| g_obtained * 60.0 / g_checked_max);
            let gate = if !checked {
                None
            } else if let Some(item_id) = g_zero {
                Some(format!("保证项目 {item_id} 得0分，本表不得分"))
            } else {
                guarantee_subtotal
                    .filter(|subtotal| !at_least(*subtotal, GATE_SUBTOTAL))
                    .map(|subtotal| {
                        format!(
                            "保证项目小计 {} 分，不足40分，本表不得分",
                            display(subtotal, &[GATE_SUBTOTAL])
                        )
                    })
            };
            let score = if gate.is_some() {
                0.0
            } else {
                score_before_gate
            };
            exact.push(ExactSheet { checked, score });
            SheetScore {
                id: sheet.id.clone(),
                title: sheet.title_zh.clone(),
                row: sheet.row.clone(),
                checked,
                absent,
                score: display(score, &GRADE_THRESHOLDS),
                score_before_gate: display(score_before_gate, &GRADE_THRESHOLDS),
                guarantee_subtotal: guarantee_subtotal
                    .map(|subtotal| display(subtotal, &[GATE_SUBTOTAL])),
                gate,
                unanswered: if absent { 0 } else { unanswered.len() },
            }
        })
        .collect();

    let mut obtained = 0.0;
    let mut checked_weight = 0.0;
    let summary: Vec<RowScore> = checklist
        .jgj59_rows
        .iter()
        .map(|row| {
            let scores: Vec<f64> = sheets
                .iter()
                .zip(&exact)
                .filter(|(sheet, exact)| sheet.row == row.id && exact.checked)
                .map(|(_, exact)| exact.score)
                .collect();
            let sheet_score =
                (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64);
            let score = sheet_score.map(|c| row.weight * c / 100.0);
            if let Some(score) = score {
                obtained += score;
                checked_weight += row.weight;
            }
            RowScore {
                id: row.id.clone(),
                title: row.title_zh.clone(),
                weight: row.weight,
                sheets_checked: scores.len(),
                sheet_score: sheet_score.map(|c| display(c, &GRADE_THRESHOLDS)),
                score: score.map(round2),
            }
        })
        .collect();

    if checked_weight <= 0.0 {
        return Jgj59Result {
            grade: None,
            incomplete,
            total: 0.0,
            sheets,
            summary,
        };
    }
    let total = obtained * 100.0 / checked_weight;
    let any_zero = exact
        .iter()
        .any(|sheet| sheet.checked && sheet.score <= 0.0);
    let grade = if !incomplete.is_empty() {
        None
    } else if any_zero || !at_least(total, 70.0) {
        Some(Grade::Fail)
    } else if at_least(total, 80.0) {
        Some(Grade::Excellent)
    } else {
        Some(Grade::Pass)
    };
    Jgj59Result {
        grade,
        incomplete,
        total: display(total, &GRADE_THRESHOLDS),
        sheets,
        summary,
    }
}

fn rate(
    checklist: &Checklist,
    evaluations: &HashMap<&str, Evaluation>,
    hazards: &[Hazard],
    target: Target,
) -> Rate {
    let mut result = Rate {
        target,
        title: target.zh().to_owned(),
        numerator: 0,
        denominator: 0,
        gaps: Vec::new(),
        basis: RateBasis::Items,
    };
    if target == Target::Hazards {
        // 隐患排查治理率: hazards closed (销号) over hazards found.
        result.denominator = hazards.len();
        for hazard in hazards {
            if hazard.status == Status::Closed {
                result.numerator += 1;
            } else {
                result.gaps.push(hazard.id.clone());
            }
        }
        return result;
    }
    let tag = Tag::Five100(target);
    for (_, item) in checklist.items().filter(|(_, item)| item.has_tag(&tag)) {
        let Some(evaluation) = evaluations.get(item.id.as_str()) else {
            continue;
        };
        if evaluation.not_applicable {
            continue;
        }
        result.denominator += 1;
        if evaluation.failed {
            result.gaps.push(item.id.clone());
        } else {
            result.numerator += 1;
        }
    }
    result
}

/// 重大危险源监控管理和每月风险评估率 on the register: entries with an assessment dated in the
/// calendar month of `inspected` over the entries; the others are the gaps, by id.
fn register_rate(register: &[MajorSource], inspected: Date) -> Rate {
    let gaps: Vec<String> = register
        .iter()
        .filter(|source| !source.assessed_in_month_of(inspected))
        .map(|source| source.id.clone())
        .collect();
    Rate {
        target: Target::MajorSources,
        title: Target::MajorSources.zh().to_owned(),
        numerator: register.len() - gaps.len(),
        denominator: register.len(),
        gaps,
        basis: RateBasis::Register,
    }
}

fn stop_reasons(
    checklist: &Checklist,
    inspection: &Inspection,
    evaluations: &HashMap<&str, Evaluation>,
    hazards: &[Hazard],
) -> Vec<StopReason> {
    let mut reasons = Vec::new();
    for (_, item) in checklist.items() {
        let failed = evaluations.get(item.id.as_str()).is_some_and(|e| e.failed);
        let trigger = item.has_tag(&Tag::StopWork) || item.level == Level::Major;
        if !(failed && trigger) {
            continue;
        }
        // A failure whose hazard has been verified and closed no longer stops work.
        let closed = hazards
            .iter()
            .filter(|hazard| hazard.item.as_deref() == Some(item.id.as_str()))
            .any(|hazard| hazard.status == Status::Closed);
        if !closed {
            let what = if item.level == Level::Major {
                "重大事故隐患"
            } else {
                "停工条件"
            };
            let response = inspection
                .answers
                .get(&item.id)
                .map(|answer| &answer.response);
            reasons.push(StopReason {
                item: Some(item.id.clone()),
                hazard: None,
                text: format!("{what}：{}", ledger::hazard_description(item, response)),
            });
        }
    }
    for hazard in hazards {
        let from_item_already = hazard
            .item
            .as_ref()
            .is_some_and(|id| reasons.iter().any(|r| r.item.as_ref() == Some(id)));
        if hazard.level == Level::Major && hazard.status != Status::Closed && !from_item_already {
            reasons.push(StopReason {
                item: None,
                hazard: Some(hazard.id.clone()),
                text: format!("重大事故隐患未销号：{}", hazard.description),
            });
        }
    }
    reasons
}

/// The result of an inspection against a checklist without a scoring standard (issue 11 §6): the
/// 重大事故隐患判定标准 decides whether a 重大事故隐患 exists; there is no grade and no percentage.
/// Field names are a contract of `zicha score --json` (`judgement`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Judgement {
    /// Codes of the checklist's standards declared as 判定标准 (`judgement = true`), e.g.
    /// `GB 35181-2025`; empty when the checklist has none (then only the ledger speaks).
    pub standards: Vec<String>,
    /// The inspection found a 重大事故隐患: a 重大 item failed, the ledger holds a 重大 hazard
    /// (whatever its status), or a combined rule ([`CombinedJudgement`]) is reached.
    pub major_found: bool,
    /// A 重大事故隐患 is still there: a failed 重大 item whose hazard is not 已销号, a 重大 hazard not
    /// 已销号, or a combined rule reached. `major_found && !major_present`: all found were closed.
    pub major_present: bool,
    /// The 重大 items that failed, by id, in checklist order.
    pub major_items: Vec<String>,
    /// 重大 hazards in the ledger not 已销号.
    pub major_open: usize,
    /// 一般 hazards in the ledger not 已销号.
    pub general_open: usize,
    /// 重大 hazards in the ledger by status.
    pub major: StatusCounts,
    /// 一般 hazards in the ledger by status.
    pub general: StatusCounts,
    /// GB 35181's 综合判定, when the checklist cites GB 35181 and marks its 综合判定要素
    /// (items tagged `topic:combined-judgement`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combined: Option<CombinedJudgement>,
}

impl Judgement {
    /// The verdict in the 判定标准's words: 存在重大事故隐患, 发现的重大事故隐患已全部销号 or
    /// 未发现重大事故隐患.
    pub fn verdict_zh(&self) -> &'static str {
        if self.major_present {
            "存在重大事故隐患"
        } else if self.major_found {
            "发现的重大事故隐患已全部销号"
        } else {
            "未发现重大事故隐患"
        }
    }
}

/// Hazards of one level by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    /// 待整改.
    pub pending: usize,
    /// 整改中.
    pub in_progress: usize,
    /// 待验收.
    pub awaiting_verification: usize,
    /// 已销号.
    pub closed: usize,
}

impl StatusCounts {
    /// The count for `status`.
    pub fn get(&self, status: Status) -> usize {
        match status {
            Status::Pending => self.pending,
            Status::InProgress => self.in_progress,
            Status::AwaitingVerification => self.awaiting_verification,
            Status::Closed => self.closed,
        }
    }

    /// All statuses together.
    pub fn total(&self) -> usize {
        self.pending + self.in_progress + self.awaiting_verification + self.closed
    }
}

/// GB 35181's 综合判定: a place is judged to have a 重大火灾隐患 when the number of 综合判定要素
/// found reaches the standard's count for its kind of place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CombinedJudgement {
    /// The items tagged `topic:combined-judgement` that failed (the elements found), by id; the
    /// items that are themselves 判定标准 criteria (tagged `judgement`) are not elements.
    pub elements: Vec<String>,
    /// Elements that make a 重大火灾隐患 ([`GB35181_CROWDED_PLACE_ELEMENTS`]).
    pub threshold: usize,
    /// `elements.len() >= threshold`.
    pub reached: bool,
    /// Where the count comes from, in Chinese.
    pub basis: String,
}

/// GB 35181's count for 人员密集场所: 3 or more 综合判定要素 make a 重大火灾隐患. This is the
/// 2017 version's rule (as read at <https://docx.baby/p/21107789349091.html>; the fire-safety
/// checklist's guidance on `mh-09` says the same); the 2025 version revised the elements and its
/// count has not been checked against the official text, which the basis printed with it says.
pub const GB35181_CROWDED_PLACE_ELEMENTS: usize = 3;

/// The standard whose 综合判定 [`CombinedJudgement`] implements, as checklists cite it.
const GB35181: &str = "GB 35181";

fn judgement(
    checklist: &Checklist,
    evaluations: &HashMap<&str, Evaluation>,
    hazards: &[Hazard],
) -> Judgement {
    let failed = |item: &Item| evaluations.get(item.id.as_str()).is_some_and(|e| e.failed);
    let major_items: Vec<String> = checklist
        .items()
        .filter(|(_, item)| item.level == Level::Major && failed(item))
        .map(|(_, item)| item.id.clone())
        .collect();
    let (mut major, mut general) = (StatusCounts::default(), StatusCounts::default());
    for hazard in hazards {
        let counts = match hazard.level {
            Level::Major => &mut major,
            Level::General => &mut general,
        };
        match hazard.status {
            Status::Pending => counts.pending += 1,
            Status::InProgress => counts.in_progress += 1,
            Status::AwaitingVerification => counts.awaiting_verification += 1,
            Status::Closed => counts.closed += 1,
        }
    }
    let major_open = major.total() - major.closed;
    let general_open = general.total() - general.closed;
    // A failed 重大 item stays present until a hazard raised from it is closed (as for stop-work).
    let item_unresolved = major_items.iter().any(|id| {
        !hazards.iter().any(|hazard| {
            hazard.item.as_deref() == Some(id.as_str()) && hazard.status == Status::Closed
        })
    });

    let cites_gb35181 = checklist
        .standards
        .iter()
        .any(|standard| standard.code.starts_with(GB35181));
    let element_tag = Tag::Topic("combined-judgement".to_owned());
    let combined = cites_gb35181
        .then(|| {
            let tagged: Vec<&Item> = checklist
                .items()
                .map(|(_, item)| item)
                .filter(|item| item.has_tag(&element_tag) && !item.has_tag(&Tag::Judgement))
                .collect();
            (!tagged.is_empty()).then(|| {
                let elements: Vec<String> = tagged
                    .into_iter()
                    .filter(|item| failed(item))
                    .map(|item| item.id.clone())
                    .collect();
                CombinedJudgement {
                    reached: elements.len() >= GB35181_CROWDED_PLACE_ELEMENTS,
                    elements,
                    threshold: GB35181_CROWDED_PLACE_ELEMENTS,
                    basis: format!(
                        "GB 35181 综合判定：人员密集场所存在综合判定要素{GB35181_CROWDED_PLACE_ELEMENTS}项及以上的，\
                         判定为重大火灾隐患（按2017年版计数；2025年版的计数未核对原文）"
                    ),
                }
            })
        })
        .flatten();
    let reached = combined.as_ref().is_some_and(|combined| combined.reached);
    Judgement {
        standards: checklist
            .standards
            .iter()
            .filter(|standard| standard.judgement)
            .map(|standard| standard.code.clone())
            .collect(),
        major_found: !major_items.is_empty() || major.total() > 0 || reached,
        major_present: item_unresolved || major_open > 0 || reached,
        major_items,
        major_open,
        general_open,
        major,
        general,
        combined,
    }
}
