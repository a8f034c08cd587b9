//! The hazard ledger (隐患排查治理台账, 一患一档一策): one record per hazard with its rectification
//! plan (五定: 措施、资金、期限、责任人、预案) and every status change with who and when, through to
//! verification and 销号.
//!
//! Status flow: 待整改 → 整改中 → 待验收 → 已销号; a failed verification returns the hazard to 整改中.
//! Nothing else is allowed, and time never runs backwards in a hazard's history.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::checklist::{Item, ItemKind, Level};
use crate::hash::Sha256;
use crate::inspection::Response;
use crate::{Error, Result};

/// Where a hazard is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Status {
    /// 待整改: found, not yet being fixed.
    #[serde(rename = "待整改")]
    Pending,
    /// 整改中: rectification under way.
    #[serde(rename = "整改中")]
    InProgress,
    /// 待验收: rectified, waiting for verification.
    #[serde(rename = "待验收")]
    AwaitingVerification,
    /// 已销号: verified and closed.
    #[serde(rename = "已销号")]
    Closed,
}

impl Status {
    /// Every status in order.
    pub const ALL: [Status; 4] = [
        Status::Pending,
        Status::InProgress,
        Status::AwaitingVerification,
        Status::Closed,
    ];

    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Status::Pending => "待整改",
            Status::InProgress => "整改中",
            Status::AwaitingVerification => "待验收",
            Status::Closed => "已销号",
        }
    }

    /// The English name.
    pub fn en(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::InProgress => "in progress",
            Status::AwaitingVerification => "awaiting verification",
            Status::Closed => "closed",
        }
    }

    /// The shortest legal path from 待整改 to this status: each step's target and, for the
    /// verification, its result (passed). Empty for 待整改 itself.
    pub fn path_from_pending(self) -> &'static [(Status, Option<bool>)] {
        const PATH: [(Status, Option<bool>); 3] = [
            (Status::InProgress, None),
            (Status::AwaitingVerification, None),
            (Status::Closed, Some(true)),
        ];
        match self {
            Status::Pending => &[],
            Status::InProgress => &PATH[..1],
            Status::AwaitingVerification => &PATH[..2],
            Status::Closed => &PATH,
        }
    }

    /// The statuses a hazard may move to from this one.
    pub fn next(self) -> &'static [Status] {
        match self {
            Status::Pending => &[Status::InProgress],
            Status::InProgress => &[Status::AwaitingVerification],
            Status::AwaitingVerification => &[Status::Closed, Status::InProgress],
            Status::Closed => &[],
        }
    }
}

/// The 五定 rectification plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Rectification {
    /// 整改措施.
    #[serde(default)]
    pub measures: String,
    /// 整改资金, in yuan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funds_yuan: Option<u64>,
    /// 整改期限.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::dates::iso_date::option"
    )]
    pub deadline: Option<Date>,
    /// 整改责任人.
    #[serde(default)]
    pub responsible: String,
    /// 应急预案 / 安全措施 while the hazard exists.
    #[serde(default)]
    pub plan: String,
}

/// One status change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    /// Status before.
    pub from: Status,
    /// Status after.
    pub to: Status,
    /// Who made the change.
    pub by: String,
    /// When.
    #[serde(with = "crate::dates::rfc3339")]
    pub at: OffsetDateTime,
    /// Remarks (for a verification: the result in words).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// For a verification (out of 待验收): whether it passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_passed: Option<bool>,
}

/// A hazard record (一患一档).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hazard {
    /// Stable id, e.g. `H-2026-001`.
    pub id: String,
    /// What is wrong.
    pub description: String,
    /// Where.
    #[serde(default)]
    pub location: String,
    /// 一般 or 重大.
    pub level: Level,
    /// The checklist item that found it, when any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The basis (standard and clause), usually the item's clause.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub basis: String,
    /// Who found it.
    pub found_by: String,
    /// When it was found.
    #[serde(with = "crate::dates::iso_date")]
    pub found_at: Date,
    /// Photos before rectification.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos_before: Vec<Sha256>,
    /// Photos after rectification.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos_after: Vec<Sha256>,
    /// The 五定 plan.
    #[serde(default)]
    pub rectification: Rectification,
    /// Current status.
    pub status: Status,
    /// Every status change, oldest first.
    #[serde(default)]
    pub history: Vec<Transition>,
}

impl Hazard {
    /// A new hazard in status 待整改.
    pub fn new(
        id: impl Into<String>,
        description: impl Into<String>,
        level: Level,
        found_by: impl Into<String>,
        found_at: Date,
    ) -> Self {
        Hazard {
            id: id.into(),
            description: description.into(),
            location: String::new(),
            level,
            item: None,
            basis: String::new(),
            found_by: found_by.into(),
            found_at,
            photos_before: Vec::new(),
            photos_after: Vec::new(),
            rectification: Rectification::default(),
            status: Status::Pending,
            history: Vec::new(),
        }
    }

    /// A new hazard from a failed checklist item: worded as found ([`hazard_description`]), with
    /// the item's level and clause.
    pub fn from_item(
        id: impl Into<String>,
        item: &Item,
        response: Option<&Response>,
        found_by: impl Into<String>,
        found_at: Date,
    ) -> Self {
        let mut hazard = Hazard::new(
            id,
            hazard_description(item, response),
            item.level,
            found_by,
            found_at,
        );
        hazard.item = Some(item.id.clone());
        hazard.basis = item.clause.clone();
        hazard
    }

    /// 重大 hazards are flagged for 挂牌督办 (supervised rectification).
    pub fn supervised(&self) -> bool {
        self.level == Level::Major
    }

    /// Open (not 已销号) and past its deadline on `as_of`.
    pub fn is_overdue(&self, as_of: Date) -> bool {
        self.status != Status::Closed
            && self
                .rectification
                .deadline
                .is_some_and(|deadline| deadline < as_of)
    }

    /// When the hazard was closed (销号), if it is.
    pub fn closed_at(&self) -> Option<OffsetDateTime> {
        if self.status != Status::Closed {
            return None;
        }
        self.history
            .iter()
            .rev()
            .find(|t| t.to == Status::Closed)
            .map(|t| t.at)
    }

    /// The 五定 fields still missing before rectification can start: measures, deadline and the
    /// responsible person always; for a 重大 hazard also funds and the emergency plan.
    pub fn missing_plan_fields(&self) -> Vec<&'static str> {
        let plan = &self.rectification;
        let mut missing = Vec::new();
        if plan.measures.trim().is_empty() {
            missing.push("rectification.measures");
        }
        if plan.deadline.is_none() {
            missing.push("rectification.deadline");
        }
        if plan.responsible.trim().is_empty() {
            missing.push("rectification.responsible");
        }
        if self.level == Level::Major {
            if plan.funds_yuan.is_none() {
                missing.push("rectification.funds_yuan");
            }
            if plan.plan.trim().is_empty() {
                missing.push("rectification.plan");
            }
        }
        missing
    }

    /// Moves the hazard to `to`, recording who and when. `verification_passed` is required when
    /// leaving 待验收 and must agree with the target (passed → 已销号, failed → 整改中).
    pub fn transition(
        &mut self,
        to: Status,
        by: &str,
        at: OffsetDateTime,
        note: &str,
        verification_passed: Option<bool>,
    ) -> Result<()> {
        let fail = |message: String| {
            Err(Error::Transition {
                hazard: self.id.clone(),
                message,
            })
        };
        let from = self.status;
        if !from.next().contains(&to) {
            let allowed: Vec<&str> = from.next().iter().map(|s| s.zh()).collect();
            let allowed = if allowed.is_empty() {
                "none: the hazard is closed".to_owned()
            } else {
                allowed.join(", ")
            };
            return fail(format!(
                "cannot move from {} to {} (allowed: {allowed})",
                from.zh(),
                to.zh()
            ));
        }
        if by.trim().is_empty() {
            return fail("a status change needs the name of who made it".to_owned());
        }
        let earliest = self.history.last().map(|t| t.at);
        if at.date() < self.found_at || earliest.is_some_and(|earliest| at < earliest) {
            return fail(format!(
                "a status change at {at} would be earlier than the hazard's history"
            ));
        }
        match (from, to, verification_passed) {
            (Status::Pending, Status::InProgress, None) => {
                let missing = self.missing_plan_fields();
                if !missing.is_empty() {
                    return fail(format!(
                        "rectification cannot start before the plan has {}",
                        missing.join(", ")
                    ));
                }
            }
            (Status::InProgress, Status::AwaitingVerification, None) => {}
            (Status::AwaitingVerification, Status::Closed, Some(true)) => {}
            (Status::AwaitingVerification, Status::InProgress, Some(false)) => {}
            (Status::AwaitingVerification, _, _) => {
                return fail("leaving 待验收 needs a verification result that matches: passed → 已销号, failed → 整改中".to_owned());
            }
            _ => {
                return fail(
                    "only a verification (out of 待验收) carries a verification result".to_owned(),
                );
            }
        }
        self.history.push(Transition {
            from,
            to,
            by: by.trim().to_owned(),
            at,
            note: note.to_owned(),
            verification_passed,
        });
        self.status = to;
        Ok(())
    }

    /// Checks a hazard read from a file: the history is a legal path from 待整改 that ends in the
    /// current status, in time order. Names the first bad field.
    pub fn validate(&self, field: &str) -> Result<()> {
        if self.id.trim().is_empty() {
            return Err(Error::invalid(format!("{field}.id"), "must not be empty"));
        }
        if self.description.trim().is_empty() {
            return Err(Error::invalid(
                format!("{field}.description"),
                "must not be empty",
            ));
        }
        let mut replay = Hazard {
            status: Status::Pending,
            history: Vec::new(),
            ..self.clone()
        };
        for (idx, step) in self.history.iter().enumerate() {
            if step.from != replay.status {
                return Err(Error::invalid(
                    format!("{field}.history[{idx}].from"),
                    format!(
                        "is {}, but the hazard was {} at that point",
                        step.from.zh(),
                        replay.status.zh()
                    ),
                ));
            }
            replay
                .transition(
                    step.to,
                    &step.by,
                    step.at,
                    &step.note,
                    step.verification_passed,
                )
                .map_err(|error| {
                    Error::invalid(format!("{field}.history[{idx}]"), error.to_string())
                })?;
        }
        if replay.status != self.status {
            return Err(Error::invalid(
                format!("{field}.status"),
                format!(
                    "is {}, but the history ends in {}",
                    self.status.zh(),
                    replay.status.zh()
                ),
            ));
        }
        Ok(())
    }
}

/// Counts over a set of hazards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardCounts {
    /// 一般 hazards.
    pub general: usize,
    /// 重大 hazards.
    pub major: usize,
    /// Not yet 已销号.
    pub open: usize,
    /// 已销号.
    pub closed: usize,
    /// Open and past the deadline.
    pub overdue: usize,
}

/// Counts `hazards` by level and state on `as_of`.
pub fn count(hazards: &[Hazard], as_of: Date) -> HazardCounts {
    let mut counts = HazardCounts::default();
    for hazard in hazards {
        match hazard.level {
            Level::General => counts.general += 1,
            Level::Major => counts.major += 1,
        }
        if hazard.status == Status::Closed {
            counts.closed += 1;
        } else {
            counts.open += 1;
        }
        if hazard.is_overdue(as_of) {
            counts.overdue += 1;
        }
    }
    counts
}

/// What was found when `item` failed with `response`, in Chinese: the words of a ledger entry, a
/// stop-work reason and the report (never the item's compliant `text_zh`, PROVENANCE.md).
///
/// - `check`: the item's `hazard_zh`;
/// - `measurement`: its `hazard_zh` with the value measured and the allowed range;
/// - `deduction`: the item's title (its `text_zh` up to the first `：`) and the deduction texts
///   applied, with their counts: `安全生产责任制：未建立安全生产责任制；专职安全员未按规定配足（2人）`.
///
/// An item without `hazard_zh` (unscored 一般 items, which the lint lets go without) reads
/// `未符合要求：<text_zh>`, which still says that the requirement was not met.
pub fn hazard_description(item: &Item, response: Option<&Response>) -> String {
    let stated = || {
        if item.hazard_zh.trim().is_empty() {
            format!("未符合要求：{}", item.text_zh.trim().trim_end_matches('。'))
        } else {
            item.hazard_zh.trim().trim_end_matches('。').to_owned()
        }
    };
    match (&item.kind, response) {
        (ItemKind::Deduction(rules), Some(Response::Deducted { deductions })) => {
            let title = item
                .text_zh
                .split_once('：')
                .map_or(item.text_zh.as_str(), |(title, _)| title)
                .trim();
            let applied: Vec<String> = deductions
                .iter()
                .filter_map(|applied| {
                    let rule = rules.get(applied.rule)?;
                    let text = rule.text.trim().trim_end_matches('。');
                    Some(match &rule.per {
                        Some(per) => format!("{text}（{}{per}）", applied.count),
                        None => text.to_owned(),
                    })
                })
                .collect();
            if applied.is_empty() {
                title.to_owned()
            } else {
                format!("{title}：{}", applied.join("；"))
            }
        }
        (ItemKind::Measurement { unit, min, max }, Some(Response::Measured { value })) => {
            let range = match (min, max) {
                (Some(min), Some(max)) => format!("应在{min}～{max}{unit}之间"),
                (Some(min), None) => format!("应不小于{min}{unit}"),
                (None, Some(max)) => format!("应不大于{max}{unit}"),
                (None, None) => String::new(),
            };
            let separator = if range.is_empty() { "" } else { "，" };
            format!("{}（实测{value}{unit}{separator}{range}）", stated())
        }
        _ => stated(),
    }
}
