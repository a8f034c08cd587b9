//! An inspection: which checklist, when, by whom, and the answer to each item.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::checklist::{Checklist, ChecklistRef, DeductionProblem, Group, Item, ItemKind};
use crate::hash::Sha256;
use crate::{Error, Result};

/// Dates as `YYYY-MM-DD` in JSON, and their parsing from user input (kept for the app, the report
/// and the CLI; the implementation is [`crate::dates`]).
pub mod date_format {
    /// `#[serde(with = "crate::dates::iso_date")]` for `Date`, `iso_date::option` for `Option<Date>`.
    pub use crate::dates::iso_date;

    /// Parses `YYYY-MM-DD`, ignoring surrounding white space.
    pub fn parse(text: &str) -> Option<time::Date> {
        crate::dates::parse_date(text.trim()).ok()
    }

    /// Formats `YYYY-MM-DD`.
    pub fn format(date: time::Date) -> String {
        crate::dates::format_date(date)
    }
}

/// An inspection of one checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    /// Stable id of the inspection (chosen by the app or CLI).
    pub id: String,
    /// The checklist: id, version and content hash.
    pub checklist: ChecklistRef,
    /// The day of the inspection.
    #[serde(with = "crate::dates::iso_date")]
    pub date: Date,
    /// Who inspected (谁排查、谁签字、谁负责).
    pub inspectors: Vec<String>,
    /// Answers keyed by item id.
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
    /// General notes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// JGJ 59 sheets (ids such as `B.17`) the site does not have, declared once for the inspection
    /// (本工程无此项): no tower crane, no hoist, a scaffold type not used. They are not scored, and
    /// answers kept on their items are left out. Empty in bundles made before the field existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absent_sheets: Vec<String>,
}

/// The answer to one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// The result.
    #[serde(flatten)]
    pub response: Response,
    /// The inspector's note.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Photos by content hash.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<Sha256>,
    /// Why the item is 不适用, in the inspector's words. Required when a 保证项目 item that the
    /// checklist lets be absent (`absent_if`) is answered 不适用, so the report can say why one of
    /// the items JGJ 59-2011 4.0.1 has checked was not; allowed on any 不适用, ignored otherwise.
    /// Kept apart from [`Answer::note`], which is the inspector's free remark on any answer.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// The inspector who gave this answer (谁排查、谁签字、谁负责), one of the inspection's
    /// `inspectors`; empty in data written before it was recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
}

impl Answer {
    /// An answer without note, photos or reason.
    pub fn new(response: Response) -> Self {
        Answer {
            response,
            note: String::new(),
            photos: Vec::new(),
            reason: String::new(),
            by: String::new(),
        }
    }

    /// 不适用 with the inspector's reason.
    pub fn not_applicable(reason: impl Into<String>) -> Self {
        Answer {
            reason: reason.into(),
            ..Answer::new(Response::NotApplicable)
        }
    }
}

/// What the inspector found. JSON: `{"result": "conform"}`, `{"result": "deducted", "deductions":
/// [{"rule": 0, "points": 3}]}`, `{"result": "measured", "value": 1.9}`, ...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Response {
    /// 符合 (for a deduction item: nothing deducted).
    Conform,
    /// 不符合 (check items).
    NonConform,
    /// 不适用 (缺项).
    NotApplicable,
    /// Deductions taken (deduction items); an empty list means full marks.
    Deducted {
        /// The deductions applied.
        deductions: Vec<AppliedDeduction>,
    },
    /// A measured value (measurement items).
    Measured {
        /// The value in the item's unit.
        value: f64,
    },
    /// Free text (text items).
    Text {
        /// The text.
        text: String,
    },
    /// Photo evidence taken (photo items); the photos are in [`Answer::photos`].
    Photographed,
}

/// One deduction rule applied to a deduction item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedDeduction {
    /// Index of the rule in the item's `deductions`.
    pub rule: usize,
    /// Points off per instance, within the rule's range.
    pub points: f64,
    /// Instances (people, places) for a per-instance rule; 1 otherwise.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub count: u32,
}

fn one() -> u32 {
    1
}

fn is_one(count: &u32) -> bool {
    *count == 1
}

/// How an answered item scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// Counted in the score (answered and not 不适用, and the item has points).
    pub checked: bool,
    /// Points obtained (0 when not checked).
    pub obtained: f64,
    /// The item failed: a hazard of the item's level.
    pub failed: bool,
    /// Answered 不适用 (缺项).
    pub not_applicable: bool,
}

/// Whether 不适用 may be answered on `item`, an item of a section in `group`: on any item outside
/// the 保证项目, and on a 保证项目 item only when the checklist names the condition under which it
/// does not exist (`absent_if`), since JGJ 59-2011 4.0.1 has every 保证项目 checked.
pub fn not_applicable_allowed(group: Option<Group>, item: &Item) -> bool {
    group != Some(Group::Guarantee) || !item.absent_if.trim().is_empty()
}

/// Checks that `answer` fits `item`, an item of a section in `group` (see
/// [`crate::checklist::Checklist::item_with_group`]): the answer's kind, its deductions, and
/// 不适用 only where [`not_applicable_allowed`], with a reason on a 保证项目 item. The error names
/// the field `answers.<item id>`.
pub fn validate_answer(item: &Item, group: Option<Group>, answer: &Answer) -> Result<()> {
    let field = || format!("answers.{}", item.id);
    if answer.response == Response::NotApplicable && group == Some(Group::Guarantee) {
        if !not_applicable_allowed(group, item) {
            return Err(Error::invalid(
                field(),
                format!(
                    "保证项目「{}」cannot be 不适用: JGJ 59-2011 4.0.1 has every 保证项目 checked \
                     (a site without anything of this sheet declares the sheet absent, 本工程无此项)",
                    item.title_zh()
                ),
            ));
        }
        if answer.reason.trim().is_empty() {
            return Err(Error::invalid(
                field(),
                format!(
                    "保证项目「{}」may be 不适用 only with the inspector's reason (the checklist \
                     allows it when: {})",
                    item.title_zh(),
                    item.absent_if.trim()
                ),
            ));
        }
    }
    validate_kind(item, answer)
}

/// Checks that the answer's kind and values fit the item's kind.
fn validate_kind(item: &Item, answer: &Answer) -> Result<()> {
    let field = || format!("answers.{}", item.id);
    let wrong = |what: &str| {
        Err(Error::invalid(
            field(),
            format!("{what} does not fit a {} item", item.kind.name()),
        ))
    };
    match (&item.kind, &answer.response) {
        (_, Response::NotApplicable) => Ok(()),
        (ItemKind::Check, Response::Conform | Response::NonConform) => Ok(()),
        (ItemKind::Deduction(_), Response::Conform) => Ok(()),
        (ItemKind::Deduction(rules), Response::Deducted { deductions }) => {
            for (idx, applied) in deductions.iter().enumerate() {
                let at = format!("{}.deductions[{idx}]", field());
                let Some(rule) = rules.get(applied.rule) else {
                    return Err(Error::invalid(
                        at,
                        format!(
                            "rule {} does not exist (the item has {})",
                            applied.rule,
                            rules.len()
                        ),
                    ));
                };
                match rule.check(applied.points, applied.count) {
                    Ok(()) => {}
                    Err(DeductionProblem::PointsOutOfRange { min, max }) => {
                        return Err(Error::invalid(
                            at,
                            format!(
                                "{} points is outside the rule's range {min}–{max}",
                                applied.points
                            ),
                        ));
                    }
                    Err(DeductionProblem::CountNotAllowed) => {
                        return Err(Error::invalid(
                            at,
                            format!("count {} is not allowed for this rule", applied.count),
                        ));
                    }
                }
            }
            Ok(())
        }
        (ItemKind::Measurement { .. }, Response::Measured { value }) if value.is_finite() => Ok(()),
        (ItemKind::Measurement { .. }, Response::Measured { .. }) => Err(Error::invalid(
            field(),
            "the measured value must be a finite number",
        )),
        (ItemKind::Text, Response::Text { .. }) => Ok(()),
        (ItemKind::Photo, Response::Photographed) => {
            if answer.photos.is_empty() {
                Err(Error::invalid(
                    field(),
                    "a photo answer needs at least one photo",
                ))
            } else {
                Ok(())
            }
        }
        (_, Response::Conform) => wrong("符合 (conform)"),
        (_, Response::NonConform) => wrong("不符合 (non-conform)"),
        (_, Response::Deducted { .. }) => wrong("a deduction"),
        (_, Response::Measured { .. }) => wrong("a measured value"),
        (_, Response::Text { .. }) => wrong("a text answer"),
        (_, Response::Photographed) => wrong("a photo answer"),
    }
}

/// How `answer` (already validated) scores on `item`.
pub fn evaluate(item: &Item, answer: &Answer) -> Evaluation {
    let scored = item.points > 0.0;
    let (checked, obtained, failed) = match (&item.kind, &answer.response) {
        (_, Response::NotApplicable) => (false, 0.0, false),
        (ItemKind::Check, Response::Conform) | (ItemKind::Deduction(_), Response::Conform) => {
            (scored, item.points, false)
        }
        (ItemKind::Check, Response::NonConform) => (scored, 0.0, true),
        (ItemKind::Deduction(_), Response::Deducted { deductions }) => {
            let total: f64 = deductions
                .iter()
                .map(|d| d.points * f64::from(d.count))
                .sum();
            // JGJ 59-2011: the deductions of one item never exceed its full marks.
            (scored, (item.points - total).max(0.0), total > 0.0)
        }
        (ItemKind::Measurement { min, max, .. }, Response::Measured { value }) => {
            let inside = min.is_none_or(|min| *value >= min) && max.is_none_or(|max| *value <= max);
            (scored, if inside { item.points } else { 0.0 }, !inside)
        }
        _ => (false, 0.0, false),
    };
    Evaluation {
        checked,
        obtained: if checked { obtained } else { 0.0 },
        failed,
        not_applicable: answer.response == Response::NotApplicable,
    }
}

impl Inspection {
    /// A new, empty inspection of `checklist`.
    pub fn new(
        id: impl Into<String>,
        checklist: &Checklist,
        date: Date,
        inspectors: Vec<String>,
    ) -> Self {
        Inspection::of(id, checklist.reference(), date, inspectors)
    }

    /// A new, empty inspection of the checklist `checklist` names: the browser app starts one from
    /// the catalog's index entry (`catalog::IndexEntry::reference`), before the checklist itself is
    /// loaded.
    pub fn of(
        id: impl Into<String>,
        checklist: ChecklistRef,
        date: Date,
        inspectors: Vec<String>,
    ) -> Self {
        Inspection {
            id: id.into(),
            checklist,
            date,
            inspectors,
            answers: BTreeMap::new(),
            notes: String::new(),
            absent_sheets: Vec::new(),
        }
    }

    /// Records (or replaces) the answer to an item after checking that it fits.
    pub fn answer(&mut self, checklist: &Checklist, item_id: &str, answer: Answer) -> Result<()> {
        let (group, item) = checklist.item_with_group(item_id).ok_or_else(|| {
            Error::invalid(
                format!("answers.{item_id}"),
                "no such item in the checklist",
            )
        })?;
        validate_answer(item, group, &answer)?;
        self.answers.insert(item_id.to_owned(), answer);
        Ok(())
    }

    /// Whether the JGJ 59 sheet `sheet_id` is declared absent (本工程无此项).
    pub fn sheet_absent(&self, sheet_id: &str) -> bool {
        self.absent_sheets.iter().any(|id| id == sheet_id)
    }

    /// Declares the JGJ 59 sheet `sheet_id` absent from the site (本工程无此项), or present again.
    /// Answers already given on its items are kept (they count again once the sheet is present).
    pub fn set_sheet_absent(
        &mut self,
        checklist: &Checklist,
        sheet_id: &str,
        absent: bool,
    ) -> Result<()> {
        if checklist.sheet(sheet_id).is_none() {
            return Err(Error::invalid(
                "inspection.absent_sheets",
                format!("no sheet `{sheet_id}` in the checklist"),
            ));
        }
        self.absent_sheets.retain(|id| id != sheet_id);
        if absent {
            self.absent_sheets.push(sheet_id.to_owned());
            // Checklist order, so that the same declarations give the same bundle.
            self.absent_sheets.sort_by_key(|id| {
                checklist
                    .jgj59_sheets
                    .iter()
                    .position(|sheet| &sheet.id == id)
            });
        }
        Ok(())
    }

    /// Checks the whole inspection against its checklist: the reference matches, the sheets declared
    /// absent exist (once each) and every answer fits its item, 保证项目 rules included (see
    /// [`validate_answer`]). Names the first bad field. What `zicha score`, the report and the
    /// bundle require.
    pub fn validate(&self, checklist: &Checklist) -> Result<()> {
        self.check(checklist, true)
    }

    /// [`Inspection::validate`] without the 保证项目 rule (JGJ 59-2011 4.0.1: 不适用 only where the
    /// checklist allows, with a reason), which an inspection made before the rule may break: what
    /// the app needs to open or restore it. Scoring counts such an answer as unanswered, so the
    /// inspection has no grade until the item is answered again.
    pub fn validate_to_open(&self, checklist: &Checklist) -> Result<()> {
        self.check(checklist, false)
    }

    fn check(&self, checklist: &Checklist, guarantee_rule: bool) -> Result<()> {
        if self.checklist != checklist.reference() {
            return Err(Error::invalid(
                "inspection.checklist",
                format!(
                    "refers to {} {} ({}), but the checklist given is {} {} ({})",
                    self.checklist.id,
                    self.checklist.version,
                    self.checklist.hash.short(12),
                    checklist.id,
                    checklist.version,
                    checklist.hash.short(12)
                ),
            ));
        }
        for (idx, sheet_id) in self.absent_sheets.iter().enumerate() {
            let field = format!("inspection.absent_sheets[{idx}]");
            if checklist.sheet(sheet_id).is_none() {
                return Err(Error::invalid(
                    field,
                    format!("no sheet `{sheet_id}` in the checklist"),
                ));
            }
            if self.absent_sheets[..idx].contains(sheet_id) {
                return Err(Error::invalid(
                    field,
                    format!("sheet `{sheet_id}` is declared absent twice"),
                ));
            }
        }
        for (item_id, answer) in &self.answers {
            let (group, item) = checklist.item_with_group(item_id).ok_or_else(|| {
                Error::invalid(
                    format!("answers.{item_id}"),
                    "no such item in the checklist",
                )
            })?;
            if guarantee_rule {
                validate_answer(item, group, answer)?;
            } else {
                validate_kind(item, answer)?;
            }
        }
        Ok(())
    }

    /// Every photo hash the answers refer to.
    pub fn photo_hashes(&self) -> impl Iterator<Item = &Sha256> {
        self.answers
            .values()
            .flat_map(|answer| answer.photos.iter())
    }
}
