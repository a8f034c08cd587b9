//! Scoring: section scores, JGJ 59-2011 (分项检查评分表, 保证项目 gate, 汇总表, grade), the five 100%
//! rates, the stop-work verdict and hazard counts, all in one [`ScoreReport`] that the CLI prints as
//! JSON and the app and report show.
//!
//! JGJ 59-2011 rules as implemented (Chapter 4 and 5):
//! - An item's deductions never exceed its points (done in [`crate::inspection::evaluate`]).
//! - A sheet scores D / E × 100 where D is the points obtained and E the full marks of the items
//!   actually checked (缺项: items answered 不适用 or not yet answered are left out).
//! - 保证项目 gate: if a checked 保证项目 item scores 0, or the 保证项目 subtotal is below 40, the
//!   sheet scores 0. When 保证 items are 不适用 the subtotal is scaled to 60 before the comparison
//!   (obtained / checked × 60), so a partly applicable sheet is held to the same proportion.
//! - 汇总表: a row scores weight × C / 100 where C is the sheet's score, or the mean of the checked
//!   sheets when several feed the row (脚手架, 物料提升机与施工升降机, 塔式起重机与起重吊装).
//! - Rows with no checked sheet are 缺项: total = Σ row scores / Σ weights of checked rows × 100.
//! - Grade (5.0.1): 不合格 when any checked sheet scores 0 or the total is below 70; 优良 at 80 or
//!   more; 合格 otherwise. The total is rounded to two decimals before grading.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::checklist::{Checklist, Group, Item, Level, Scoring, Sector, Tag, Target};
use crate::inspection::{Evaluation, Inspection, evaluate};
use crate::ledger::{self, Hazard, HazardCounts, Status};

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
    /// JGJ 59 grade; `None` for checklists without JGJ 59 scoring or with no sheet checked.
    pub grade: Option<Grade>,
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
    /// The sheet's score out of 100 after the 缺项 conversion and the 保证项目 gate.
    pub score: f64,
    /// The score before the gate.
    pub score_before_gate: f64,
    /// 保证项目 subtotal obtained (out of 60 when all checked).
    pub guarantee_subtotal: Option<f64>,
    /// Why the 保证项目 gate set the sheet to 0.
    pub gate: Option<String>,
    /// Items not yet answered (a complete sheet has 0; 保证项目 must all be checked, 4.0.1).
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
    /// What keeps it below 100%: failed item ids, or open hazard ids for the hazard rate.
    pub gaps: Vec<String>,
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

/// Scores `inspection` against its `checklist`, with the hazard ledger of the inspection and the
/// day (`as_of`) against which deadlines are checked. The answers are taken as valid (see
/// [`Inspection::validate`]); an answer that does not fit its item counts as unanswered.
pub fn score(
    checklist: &Checklist,
    inspection: &Inspection,
    hazards: &[Hazard],
    as_of: Date,
) -> ScoreReport {
    let evaluations: HashMap<&str, Evaluation> = checklist
        .items()
        .filter_map(|(_, item)| {
            let answer = inspection.answers.get(&item.id)?;
            crate::inspection::validate_answer(item, answer).ok()?;
            Some((item.id.as_str(), evaluate(item, answer)))
        })
        .collect();

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

    let (grade, total, sheets, summary) = match checklist.scoring {
        Scoring::Jgj59 => jgj59(checklist, &evaluations),
        Scoring::Points => {
            let (obtained, max) = sections
                .iter()
                .fold((0.0, 0.0), |(o, m), s| (o + s.score, m + s.max));
            let total = if max > 0.0 {
                round2(obtained / max * 100.0)
            } else {
                0.0
            };
            (None, total, Vec::new(), Vec::new())
        }
    };

    let five_100 = if checklist.sector == Sector::Construction {
        Target::ALL
            .into_iter()
            .map(|target| rate(checklist, &evaluations, hazards, target))
            .collect()
    } else {
        Vec::new()
    };

    let stop_work_reasons = stop_reasons(checklist, inspection, &evaluations, hazards);
    let judgement =
        (checklist.scoring == Scoring::Points).then(|| judgement(checklist, &evaluations, hazards));
    ScoreReport {
        grade,
        total,
        sections,
        five_100,
        stop_work: !stop_work_reasons.is_empty(),
        stop_work_reasons,
        hazards: ledger::count(hazards, as_of),
        sheets,
        summary,
        progress: Progress {
            answered: evaluations.len(),
            items: checklist.item_count(),
        },
        failed_items,
        judgement,
    }
}

fn jgj59(
    checklist: &Checklist,
    evaluations: &HashMap<&str, Evaluation>,
) -> (Option<Grade>, f64, Vec<SheetScore>, Vec<RowScore>) {
    let sheets: Vec<SheetScore> = checklist
        .jgj59_sheets
        .iter()
        .map(|sheet| {
            let items: Vec<(Option<Group>, &Item)> = checklist
                .sections
                .iter()
                .filter(|section| section.sheet.as_deref() == Some(sheet.id.as_str()))
                .flat_map(|section| section.items.iter().map(move |item| (section.group, item)))
                .collect();
            let (mut obtained, mut checked_max) = (0.0, 0.0);
            let (mut g_obtained, mut g_checked_max, mut g_zero) = (0.0, 0.0, None::<&str>);
            let mut unanswered = 0;
            for (group, item) in &items {
                let Some(evaluation) = evaluations.get(item.id.as_str()) else {
                    unanswered += 1;
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
            let checked = checked_max > 0.0;
            let score_before_gate = if checked {
                round2(obtained / checked_max * 100.0)
            } else {
                0.0
            };
            let has_guarantee = items
                .iter()
                .any(|(group, _)| *group == Some(Group::Guarantee));
            let guarantee_subtotal = (has_guarantee && g_checked_max > 0.0)
                .then(|| round2(g_obtained / g_checked_max * 60.0));
            let gate = if let Some(item_id) = g_zero {
                Some(format!("保证项目 {item_id} 得0分，本表不得分"))
            } else {
                guarantee_subtotal
                    .filter(|subtotal| *subtotal < 40.0)
                    .map(|subtotal| format!("保证项目小计 {subtotal} 分，不足40分，本表不得分"))
            };
            SheetScore {
                id: sheet.id.clone(),
                title: sheet.title_zh.clone(),
                row: sheet.row.clone(),
                checked,
                score: if gate.is_some() {
                    0.0
                } else {
                    score_before_gate
                },
                score_before_gate,
                guarantee_subtotal,
                gate,
                unanswered,
            }
        })
        .collect();

    let summary: Vec<RowScore> = checklist
        .jgj59_rows
        .iter()
        .map(|row| {
            let scores: Vec<f64> = sheets
                .iter()
                .filter(|sheet| sheet.row == row.id && sheet.checked)
                .map(|sheet| sheet.score)
                .collect();
            let sheet_score = (!scores.is_empty())
                .then(|| round2(scores.iter().sum::<f64>() / scores.len() as f64));
            RowScore {
                id: row.id.clone(),
                title: row.title_zh.clone(),
                weight: row.weight,
                sheets_checked: scores.len(),
                sheet_score,
                score: sheet_score.map(|c| round2(row.weight * c / 100.0)),
            }
        })
        .collect();

    let checked_weight: f64 = summary
        .iter()
        .filter(|row| row.score.is_some())
        .map(|row| row.weight)
        .sum();
    if checked_weight <= 0.0 {
        return (None, 0.0, sheets, summary);
    }
    let obtained: f64 = summary.iter().filter_map(|row| row.score).sum();
    let total = round2(obtained / checked_weight * 100.0);
    let any_zero = sheets
        .iter()
        .any(|sheet| sheet.checked && sheet.score <= 0.0);
    let grade = if any_zero || total < 70.0 {
        Grade::Fail
    } else if total >= 80.0 {
        Grade::Excellent
    } else {
        Grade::Pass
    };
    (Some(grade), total, sheets, summary)
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
