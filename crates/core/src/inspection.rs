//! An inspection: which checklist, when, by whom, and the answer to each item.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::checklist::{Checklist, ChecklistRef, Item, ItemKind};
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
    /// The inspector who gave this answer (谁排查、谁签字、谁负责), one of the inspection's
    /// `inspectors`; empty in data written before it was recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
}

impl Answer {
    /// An answer without note or photos.
    pub fn new(response: Response) -> Self {
        Answer {
            response,
            note: String::new(),
            photos: Vec::new(),
            by: String::new(),
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

/// Checks that `answer` fits `item`; the error names the field `answers.<item id>`.
pub fn validate_answer(item: &Item, answer: &Answer) -> Result<()> {
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
                if !applied.points.is_finite()
                    || applied.points < rule.min
                    || applied.points > rule.max
                {
                    return Err(Error::invalid(
                        at,
                        format!(
                            "{} points is outside the rule's range {}–{}",
                            applied.points, rule.min, rule.max
                        ),
                    ));
                }
                if applied.count == 0 || (applied.count > 1 && rule.per.is_none()) {
                    return Err(Error::invalid(
                        at,
                        format!("count {} is not allowed for this rule", applied.count),
                    ));
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
        Inspection {
            id: id.into(),
            checklist: checklist.reference(),
            date,
            inspectors,
            answers: BTreeMap::new(),
            notes: String::new(),
        }
    }

    /// Records (or replaces) the answer to an item after checking that it fits.
    pub fn answer(&mut self, checklist: &Checklist, item_id: &str, answer: Answer) -> Result<()> {
        let item = checklist.item(item_id).ok_or_else(|| {
            Error::invalid(
                format!("answers.{item_id}"),
                "no such item in the checklist",
            )
        })?;
        validate_answer(item, &answer)?;
        self.answers.insert(item_id.to_owned(), answer);
        Ok(())
    }

    /// Checks the whole inspection against its checklist: the reference matches and every answer
    /// fits its item. Names the first bad field.
    pub fn validate(&self, checklist: &Checklist) -> Result<()> {
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
        for (item_id, answer) in &self.answers {
            let item = checklist.item(item_id).ok_or_else(|| {
                Error::invalid(
                    format!("answers.{item_id}"),
                    "no such item in the checklist",
                )
            })?;
            validate_answer(item, answer)?;
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
