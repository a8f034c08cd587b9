//! The hazard ledger (隐患排查治理台账, 一患一档一策): one record per hazard with its 类别, its
//! rectification plan (五定: 措施、标准、资金、期限、责任人, with 预案 and 临时管控措施), for a 重大
//! hazard the six-part 治理方案, its 挂牌督办 record and the 销号 record (治理效果评估, report to the
//! regulator), and every status change with who and when, through to verification and 销号.
//!
//! Status flow: 待整改 → 整改中 → 待验收 → 已销号; a failed verification returns the hazard to 整改中.
//! A 一般 hazard fixed on the spot (即查即改) takes the three steps at once ([`Hazard::fix_on_the_spot`]).
//! Nothing else is allowed, and time never runs backwards in a hazard's history.
//!
//! Two sets of rules. A live change ([`Hazard::transition`]) checks all of them: the whole 五定 and,
//! for a 重大 hazard, the complete 治理方案 before rectification starts; 验收 by someone other than
//! the person responsible and the person who submitted it; the 销号 record before a 重大 hazard
//! closes. A hazard read from a file ([`Hazard::validate`]) may have been recorded before these rules
//! existed (bundles of schema version 1 written before issue 11 §8, hazards kept in browsers), so its
//! history is replayed with the rules every version had, and the new rules are checked only where
//! the data claims them: a 治理方案 that is filled in must be complete, a 销号 record and a 挂牌督办
//! record that are present must be complete, and a 即查即改 path must be a 一般 hazard's three steps
//! with an after-photo.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::checklist::{Item, ItemKind, Level};
use crate::hash::Sha256;
use crate::inspection::Response;
use crate::{Error, Result};

mod records;

pub use records::{
    Category, Closure, GovernancePlan, Rectification, Supervision, SupervisionLevel,
};

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
    /// One of the three steps of a 即查即改 ([`Hazard::fix_on_the_spot`]).
    #[serde(default, skip_serializing_if = "is_false")]
    pub on_the_spot: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
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
    /// 隐患类别 (absent in hazards recorded before there was one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
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
    /// The 治理方案 of a 重大 hazard.
    #[serde(default, skip_serializing_if = "GovernancePlan::is_empty")]
    pub governance_plan: GovernancePlan,
    /// 挂牌督办, once an authority has listed the hazard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervision: Option<Supervision>,
    /// The 销号 record (治理效果评估, report to the regulator).
    #[serde(default, skip_serializing_if = "Closure::is_empty")]
    pub closure: Closure,
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
            category: None,
            item: None,
            basis: String::new(),
            found_by: found_by.into(),
            found_at,
            photos_before: Vec::new(),
            photos_after: Vec::new(),
            rectification: Rectification::default(),
            governance_plan: GovernancePlan::default(),
            supervision: None,
            closure: Closure::default(),
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

    /// A new hazard from the answer that failed `item` ([`Hazard::from_item`]): the photos taken
    /// when answering become its 整改前照片, so the ledger shows what was found.
    pub fn from_answer(
        id: impl Into<String>,
        item: &Item,
        answer: Option<&crate::inspection::Answer>,
        found_by: impl Into<String>,
        found_at: Date,
    ) -> Self {
        let mut hazard = Hazard::from_item(
            id,
            item,
            answer.map(|answer| &answer.response),
            found_by,
            found_at,
        );
        if let Some(answer) = answer {
            hazard.photos_before = answer.photos.clone();
        }
        hazard
    }

    /// 挂牌督办: every 重大 hazard is flagged for supervised rectification, and so is a hazard an
    /// authority has listed ([`Hazard::supervision`] says who supervises it).
    pub fn supervised(&self) -> bool {
        self.level == Level::Major || self.supervision.is_some()
    }

    /// Closed in one step on the spot (即查即改).
    pub fn fixed_on_the_spot(&self) -> bool {
        self.history.first().is_some_and(|step| step.on_the_spot)
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

    /// The fields still missing before rectification can start: the 五定 (measures, acceptance
    /// standard, deadline, responsible person) and the interim measures always; for a 重大 hazard
    /// also the funds and every part of the 治理方案 (whose 安全措施和应急预案 takes the place of
    /// `rectification.plan`, which a 重大 hazard needed before there was a 治理方案).
    pub fn missing_plan_fields(&self) -> Vec<&'static str> {
        let plan = &self.rectification;
        let mut missing = Vec::new();
        if plan.measures.trim().is_empty() {
            missing.push("rectification.measures");
        }
        if plan.acceptance_standard.trim().is_empty() {
            missing.push("rectification.acceptance_standard");
        }
        if plan.deadline.is_none() {
            missing.push("rectification.deadline");
        }
        if plan.responsible.trim().is_empty() {
            missing.push("rectification.responsible");
        }
        if plan.interim_measures.trim().is_empty() {
            missing.push("rectification.interim_measures");
        }
        if self.level == Level::Major {
            if plan.funds_yuan.is_none() {
                missing.push("rectification.funds_yuan");
            }
            missing.extend(self.governance_plan.missing());
        }
        missing
    }

    /// The plan fields every version of Zicha required before rectification started (measures,
    /// deadline, responsible person; for a 重大 hazard funds and an emergency plan: the old
    /// `rectification.plan`, or the 治理方案 once one is filled in, which must then be complete).
    fn recorded_missing_plan_fields(&self) -> Vec<&'static str> {
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
            if !self.governance_plan.is_empty() {
                missing.extend(self.governance_plan.missing());
            } else if plan.plan.trim().is_empty() {
                missing.push("rectification.plan");
            }
        }
        missing
    }

    /// Moves the hazard to `to`, recording who and when. `verification_passed` is required when
    /// leaving 待验收 and must agree with the target (passed → 已销号, failed → 整改中).
    ///
    /// Refused: rectification before the plan is complete ([`Hazard::missing_plan_fields`]); a
    /// verification (验收, passed or failed) by the person responsible for the rectification or by
    /// whoever submitted it for 验收; closing a 重大 hazard without its 销号 record ([`Closure`]).
    pub fn transition(
        &mut self,
        to: Status,
        by: &str,
        at: OffsetDateTime,
        note: &str,
        verification_passed: Option<bool>,
    ) -> Result<()> {
        let result = self
            .check_step(to, by, at, verification_passed)
            .and_then(|()| {
                match (self.status, to) {
                    (Status::Pending, Status::InProgress) => {
                        let missing = self.missing_plan_fields();
                        if !missing.is_empty() {
                            return Err(format!(
                                "rectification cannot start before the plan has {}",
                                missing.join(", ")
                            ));
                        }
                    }
                    (Status::AwaitingVerification, _) => {
                        self.check_verifier(by)?;
                        if to == Status::Closed && self.level == Level::Major {
                            let missing = self.closure.missing();
                            if !missing.is_empty() {
                                return Err(format!(
                                    "a 重大 hazard is closed (销号) only with {}",
                                    missing.join(", ")
                                ));
                            }
                        }
                        if to == Status::Closed {
                            self.check_closure_dates(at)?;
                        }
                    }
                    _ => {}
                }
                Ok(())
            });
        result.map_err(|message| Error::Transition {
            hazard: self.id.clone(),
            message,
        })?;
        self.push(to, by, at, note, verification_passed, false);
        Ok(())
    }

    /// 即查即改: a 一般 hazard in 待整改 fixed on the spot by `by` at `at` and closed at once, with
    /// `photo` as its after-photo (added to `photos_after` unless it is there already). The history
    /// records the whole path (整改中, 待验收, 已销号 with a passed verification), each step marked
    /// `on_the_spot`, `note` on the last. Refused for a 重大 hazard (it needs a 治理方案 and 验收 by
    /// someone else) and for a hazard no longer 待整改.
    pub fn fix_on_the_spot(
        &mut self,
        by: &str,
        at: OffsetDateTime,
        note: &str,
        photo: Sha256,
    ) -> Result<()> {
        let fail = |message: String| {
            Err(Error::Transition {
                hazard: self.id.clone(),
                message,
            })
        };
        if self.level == Level::Major {
            return fail(
                "即查即改 is for 一般 hazards: level is 重大, which needs a 治理方案 and 验收 by someone else"
                    .to_owned(),
            );
        }
        if self.status != Status::Pending {
            return fail(format!(
                "即查即改 starts from 待整改, but the hazard is {}",
                self.status.zh()
            ));
        }
        if let Err(message) = self.check_step(Status::InProgress, by, at, None) {
            return fail(message);
        }
        if !self.photos_after.contains(&photo) {
            self.photos_after.push(photo);
        }
        for (to, passed, note) in [
            (Status::InProgress, None, ""),
            (Status::AwaitingVerification, None, ""),
            (Status::Closed, Some(true), note),
        ] {
            self.push(to, by, at, note, passed, true);
        }
        Ok(())
    }

    /// The rules of every step: a legal target, who, time running forward, and a verification
    /// result exactly when leaving 待验收.
    fn check_step(
        &self,
        to: Status,
        by: &str,
        at: OffsetDateTime,
        verification_passed: Option<bool>,
    ) -> std::result::Result<(), String> {
        let from = self.status;
        if !from.next().contains(&to) {
            let allowed: Vec<&str> = from.next().iter().map(|s| s.zh()).collect();
            let allowed = if allowed.is_empty() {
                "none: the hazard is closed".to_owned()
            } else {
                allowed.join(", ")
            };
            return Err(format!(
                "cannot move from {} to {} (allowed: {allowed})",
                from.zh(),
                to.zh()
            ));
        }
        if by.trim().is_empty() {
            return Err("a status change needs the name of who made it".to_owned());
        }
        let earliest = self.history.last().map(|t| t.at);
        if at.date() < self.found_at || earliest.is_some_and(|earliest| at < earliest) {
            return Err(format!(
                "a status change at {at} would be earlier than the hazard's history"
            ));
        }
        match (from, to, verification_passed) {
            (Status::Pending, Status::InProgress, None)
            | (Status::InProgress, Status::AwaitingVerification, None)
            | (Status::AwaitingVerification, Status::Closed, Some(true))
            | (Status::AwaitingVerification, Status::InProgress, Some(false)) => Ok(()),
            (Status::AwaitingVerification, _, _) => Err("leaving 待验收 needs a verification result that matches: passed → 已销号, failed → 整改中".to_owned()),
            _ => Err("only a verification (out of 待验收) carries a verification result".to_owned()),
        }
    }

    /// Whether `by` may verify (验收) the hazard: someone other than the person responsible for the
    /// rectification and the person who submitted it for verification. [`Hazard::transition`]
    /// refuses the others with the reason.
    pub fn may_verify(&self, by: &str) -> bool {
        !by.trim().is_empty() && self.check_verifier(by).is_ok()
    }

    /// 验收 by someone other than the person responsible for the rectification and the person who
    /// submitted it for verification.
    fn check_verifier(&self, by: &str) -> std::result::Result<(), String> {
        let by = by.trim();
        if by == self.rectification.responsible.trim() {
            return Err(format!(
                "验收 by {by} refused: rectification.responsible is {by}; the person responsible for the rectification cannot verify it"
            ));
        }
        let submitted = self
            .history
            .iter()
            .enumerate()
            .rev()
            .find(|(_, step)| step.to == Status::AwaitingVerification);
        if let Some((idx, step)) = submitted
            && step.by.trim() == by
        {
            return Err(format!(
                "验收 by {by} refused: history[{idx}].by is {by}, who submitted it for 验收; someone else must verify it"
            ));
        }
        Ok(())
    }

    /// The report to the regulator falls between finding the hazard and closing it.
    fn check_closure_dates(&self, closed_at: OffsetDateTime) -> std::result::Result<(), String> {
        if let Some(reported_on) = self.closure.reported_on {
            if reported_on < self.found_at {
                return Err(format!(
                    "closure.reported_on {} is before the hazard was found ({})",
                    crate::dates::format_date(reported_on),
                    crate::dates::format_date(self.found_at)
                ));
            }
            if reported_on > closed_at.date() {
                return Err(format!(
                    "closure.reported_on {} is after the 销号 ({})",
                    crate::dates::format_date(reported_on),
                    crate::dates::format_date(closed_at.date())
                ));
            }
        }
        Ok(())
    }

    fn push(
        &mut self,
        to: Status,
        by: &str,
        at: OffsetDateTime,
        note: &str,
        verification_passed: Option<bool>,
        on_the_spot: bool,
    ) {
        self.history.push(Transition {
            from: self.status,
            to,
            by: by.trim().to_owned(),
            at,
            note: note.to_owned(),
            verification_passed,
            on_the_spot,
        });
        self.status = to;
    }

    /// Checks a hazard read from a file: the history is a legal path from 待整改 that ends in the
    /// current status, in time order, with the plan every version required before rectification
    /// started; a 即查即改 path is the first three steps of a 一般 hazard with an after-photo; a
    /// 挂牌督办 record names its authority and a 摘牌 both date and who; a closed 重大 hazard with a
    /// 销号 record has all of it. Rules that hazards recorded before them cannot meet (the whole
    /// 五定, the separate verifier) are checked by [`Hazard::transition`] only. Names the first bad
    /// field.
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
        self.validate_on_the_spot(field)?;
        let mut replay = Hazard {
            status: Status::Pending,
            history: Vec::new(),
            ..self.clone()
        };
        for (idx, step) in self.history.iter().enumerate() {
            let at_step = |message: String| {
                Error::invalid(
                    format!("{field}.history[{idx}]"),
                    format!("hazard {}: {message}", self.id),
                )
            };
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
                .check_step(step.to, &step.by, step.at, step.verification_passed)
                .map_err(at_step)?;
            if step.to == Status::InProgress && step.from == Status::Pending && !step.on_the_spot {
                let missing = self.recorded_missing_plan_fields();
                if !missing.is_empty() {
                    return Err(at_step(format!(
                        "rectification cannot start before the plan has {}",
                        missing.join(", ")
                    )));
                }
            }
            if step.to == Status::Closed && !self.closure.is_empty() {
                replay.check_closure_dates(step.at).map_err(at_step)?;
            }
            replay.push(
                step.to,
                &step.by,
                step.at,
                &step.note,
                step.verification_passed,
                step.on_the_spot,
            );
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
        if self.status == Status::Closed
            && self.level == Level::Major
            && !self.closure.is_empty()
            && let Some(missing) = self.closure.missing().first()
        {
            return Err(Error::invalid(
                format!("{field}.{missing}"),
                "must not be empty: a closed 重大 hazard's 销号 record is complete",
            ));
        }
        if let Some(supervision) = &self.supervision {
            let at = |name: &str| format!("{field}.supervision.{name}");
            if supervision.authority.trim().is_empty() {
                return Err(Error::invalid(
                    at("authority"),
                    "must not be empty: 挂牌督办 names the authority that supervises it",
                ));
            }
            match (
                supervision.delisted_on,
                supervision.delisted_by.trim().is_empty(),
            ) {
                (Some(_), true) => {
                    return Err(Error::invalid(
                        at("delisted_by"),
                        "must not be empty when supervision.delisted_on is set (摘牌: date and who)",
                    ));
                }
                (None, false) => {
                    return Err(Error::invalid(
                        at("delisted_on"),
                        "must be set when supervision.delisted_by is (摘牌: date and who)",
                    ));
                }
                (Some(delisted_on), false) if delisted_on < self.found_at => {
                    return Err(Error::invalid(
                        at("delisted_on"),
                        format!(
                            "{} is before the hazard was found ({})",
                            crate::dates::format_date(delisted_on),
                            crate::dates::format_date(self.found_at)
                        ),
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A 即查即改 path: the first three steps, all marked, of a 一般 hazard with an after-photo.
    fn validate_on_the_spot(&self, field: &str) -> Result<()> {
        let Some(last) = self.history.iter().rposition(|step| step.on_the_spot) else {
            return Ok(());
        };
        let expected = [
            Status::InProgress,
            Status::AwaitingVerification,
            Status::Closed,
        ];
        for idx in 0..=last.max(2) {
            let step = self.history.get(idx);
            if !step.is_some_and(|step| step.on_the_spot && expected.get(idx) == Some(&step.to)) {
                let idx = idx.min(self.history.len().saturating_sub(1));
                return Err(Error::invalid(
                    format!("{field}.history[{idx}].on_the_spot"),
                    "即查即改 is the first three steps together: 整改中, 待验收, 已销号",
                ));
            }
        }
        if self.level == Level::Major {
            return Err(Error::invalid(
                format!("{field}.level"),
                "is 重大, but 即查即改 is for 一般 hazards only",
            ));
        }
        if self.photos_after.is_empty() {
            return Err(Error::invalid(
                format!("{field}.photos_after"),
                "must not be empty: 即查即改 closes with an after-photo",
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
