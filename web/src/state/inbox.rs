//! The regulator's inbox on the verify page: every report verified in this browser, kept in
//! IndexedDB (services/inbox.rs) as the rows `zicha register` writes of it
//! (zicha_report::register: `reports` and `signatures`), with its hazards, re-scored result and
//! signature boxes for the detail view. Pure: which entries are new, how a resubmission links to
//! the earlier file, the filters, the counts and the charts' numbers, and the panel's reducer.
//!
//! The row types mirror zicha_report::register's field for field (tested against them, so a
//! renamed or added column fails a test): the extra module does not link zicha-report, and what
//! it stores it hands back to the worker unchanged for the CSV and xlsx export.

use std::collections::BTreeMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use yew::Reducible;
use zicha_core::checklist::Level;
use zicha_core::ledger::Hazard;
use zicha_core::score::ScoreReport;

/// A row of the register's `reports` table (zicha_report::register::ReportRow).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct ReportRow {
    pub file_sha256: Option<String>,
    pub file_name: String,
    /// RFC 3339.
    pub received_at: String,
    /// valid, incomplete, unregistered, modified, invalid.
    pub verdict: String,
    pub reasons: String,
    pub enterprise: Option<String>,
    pub credit_code: Option<String>,
    pub project: Option<String>,
    pub sector: Option<String>,
    pub checklist_id: Option<String>,
    pub checklist_version: Option<String>,
    pub inspection_id: Option<String>,
    /// `YYYY-MM-DD`.
    pub inspection_date: Option<String>,
    /// 优良, 合格, 不合格.
    pub grade: Option<String>,
    pub total: Option<f64>,
    pub stop_work: Option<bool>,
    pub hazards_major_open: Option<i64>,
    pub hazards_total_open: Option<i64>,
    pub signer_count: i64,
    pub supersedes: Option<String>,
    pub revision: Option<i64>,
    pub reasons_en: String,
    pub reason_codes: String,
    pub identity_checked: bool,
    pub signers_trusted: Option<i64>,
    pub matches_report: Option<bool>,
    pub proof: Option<String>,
    pub stop_work_reasons: Option<String>,
    pub hazards_overdue: Option<i64>,
}

/// A row of the register's `signatures` table (zicha_report::register::SignatureRow).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct SignatureRow {
    pub file_sha256: Option<String>,
    pub signer: Option<String>,
    pub organisation: Option<String>,
    pub credit_code: Option<String>,
    pub role: Option<String>,
    pub signed_at: Option<String>,
    pub cert_sha256: Option<String>,
    /// On the trust list; `None`: no list was given.
    pub trusted: Option<bool>,
    pub status: String,
    pub field: String,
    pub revision: Option<i64>,
    pub self_signed: bool,
    pub reasons: String,
}

/// A signature box of the report (zicha_report::check::PartyStatus).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct Party {
    pub number: usize,
    pub role: String,
    pub name: String,
    pub signed: bool,
}

/// One report of the inbox (zicha_report::register::Received, and whether its PDF is kept).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The `reports` row.
    pub report: ReportRow,
    /// The `signatures` rows.
    #[serde(default)]
    pub signatures: Vec<SignatureRow>,
    /// The embedded hazards.
    #[serde(default)]
    pub hazards: Vec<Hazard>,
    /// The re-scored result.
    #[serde(default)]
    pub score: Option<ScoreReport>,
    /// The signature boxes.
    #[serde(default)]
    pub parties: Vec<Party>,
    /// The PDF is kept too (the user asked to).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pdf_kept: bool,
}

impl Entry {
    /// The file's SHA-256 (the record's key).
    pub fn sha256(&self) -> &str {
        self.report.file_sha256.as_deref().unwrap_or_default()
    }

    /// The inspection date's `YYYY-MM`, or `unknown` (the register's month partition).
    pub fn month(&self) -> String {
        self.report
            .inspection_date
            .as_deref()
            .and_then(|date| date.get(..7))
            .unwrap_or("unknown")
            .to_owned()
    }

    /// Hazards open past their deadline on `today` (not as of the report: a deadline passes
    /// while the report lies in the inbox).
    pub fn overdue(&self, today: Date) -> usize {
        self.hazards
            .iter()
            .filter(|hazard| hazard.is_overdue(today))
            .count()
    }

    /// Open 重大 hazards.
    pub fn major_open(&self) -> i64 {
        self.report.hazards_major_open.unwrap_or(0)
    }

    fn received(&self) -> Option<OffsetDateTime> {
        zicha_core::dates::parse_rfc3339(&self.report.received_at).ok()
    }
}

/// The received `entries` that are new to an inbox holding `existing`, each linked to the
/// latest earlier file of its inspection id (`supersedes`, `revision`) as `zicha register`
/// links them; and how many were already there (the same SHA-256, also twice in one run).
pub fn admit(existing: &[Entry], received: Vec<Entry>) -> (Vec<Entry>, usize) {
    let mut fresh: Vec<Entry> = Vec::new();
    let mut duplicates = 0;
    for mut entry in received {
        let seen = existing
            .iter()
            .chain(fresh.iter())
            .any(|e| e.sha256() == entry.sha256());
        if seen {
            duplicates += 1;
            continue;
        }
        if let Some(id) = entry
            .report
            .inspection_id
            .clone()
            .filter(|id| !id.is_empty())
        {
            let earlier: Vec<&Entry> = existing
                .iter()
                .chain(fresh.iter())
                .filter(|e| e.report.inspection_id.as_deref() == Some(id.as_str()))
                .collect();
            // The latest file of the inspection is the one with the highest revision.
            let latest = earlier
                .iter()
                .max_by_key(|e| e.report.revision.unwrap_or(1))
                .map(|e| e.sha256().to_owned());
            entry.report.supersedes = latest;
            entry.report.revision = Some(earlier.len() as i64 + 1);
        }
        fresh.push(entry);
    }
    (fresh, duplicates)
}

/// The table's filters; `None` or `false`: not filtered by it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// The checklist's sector key.
    pub sector: Option<String>,
    /// The verdict key.
    pub verdict: Option<String>,
    /// The grade in Chinese, or [`NO_GRADE`].
    pub grade: Option<String>,
    /// With open 重大 hazards.
    pub major_open: bool,
    /// With hazards past their deadline today.
    pub overdue: bool,
    /// Told to stop work.
    pub stop_work: bool,
    /// The inspection month `YYYY-MM` (or `unknown`).
    pub month: Option<String>,
}

/// The grade filter's value for reports without a grade.
pub const NO_GRADE: &str = "-";

impl Filter {
    /// Whether `entry` passes every filter on `today`.
    pub fn matches(&self, entry: &Entry, today: Date) -> bool {
        let report = &entry.report;
        let is = |wanted: &Option<String>, value: Option<&str>| {
            wanted.as_deref().is_none_or(|wanted| Some(wanted) == value)
        };
        is(&self.sector, report.sector.as_deref())
            && is(&self.verdict, Some(report.verdict.as_str()))
            && is(
                &self.grade,
                Some(report.grade.as_deref().unwrap_or(NO_GRADE)),
            )
            && is(&self.month, Some(entry.month().as_str()))
            && (!self.major_open || entry.major_open() > 0)
            && (!self.overdue || entry.overdue(today) > 0)
            && (!self.stop_work || report.stop_work == Some(true))
    }

    /// No filter is set.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }
}

/// The counts above the table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Reports.
    pub total: usize,
    /// Valid ones.
    pub valid: usize,
    /// Not valid (any other verdict).
    pub not_valid: usize,
    /// With open 重大 hazards.
    pub major_open: usize,
    /// With hazards past their deadline today.
    pub overdue: usize,
    /// Told to stop work.
    pub stop_work: usize,
    /// Resubmissions (revision 2 or later).
    pub resubmissions: usize,
}

/// The counts of `entries` on `today`.
pub fn counts<'a>(entries: impl IntoIterator<Item = &'a Entry>, today: Date) -> Counts {
    let mut counts = Counts::default();
    for entry in entries {
        counts.total += 1;
        if entry.report.verdict == "valid" {
            counts.valid += 1;
        } else {
            counts.not_valid += 1;
        }
        counts.major_open += usize::from(entry.major_open() > 0);
        counts.overdue += usize::from(entry.overdue(today) > 0);
        counts.stop_work += usize::from(entry.report.stop_work == Some(true));
        counts.resubmissions += usize::from(entry.report.revision.unwrap_or(1) > 1);
    }
    counts
}

/// The verdict keys in the order the charts stack them.
pub const VERDICTS: [&str; 5] = ["valid", "incomplete", "unregistered", "modified", "invalid"];
/// The grades in the order the charts stack them, then [`NO_GRADE`].
pub const GRADES: [&str; 4] = ["优良", "合格", "不合格", NO_GRADE];

/// Per inspection month (ascending), the number of `entries` with each value of `key`, in the
/// order of `keys`.
pub fn by_month<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    keys: &[&str],
    key: impl Fn(&Entry) -> String,
) -> Vec<(String, Vec<usize>)> {
    let mut months: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for entry in entries {
        let counts = months
            .entry(entry.month())
            .or_insert_with(|| vec![0; keys.len()]);
        let value = key(entry);
        if let Some(index) = keys.iter().position(|k| *k == value) {
            counts[index] += 1;
        }
    }
    months.into_iter().collect()
}

/// A report's verdict key, for [`by_month`].
pub fn verdict_of(entry: &Entry) -> String {
    entry.report.verdict.clone()
}

/// A report's grade, or [`NO_GRADE`], for [`by_month`].
pub fn grade_of(entry: &Entry) -> String {
    entry
        .report
        .grade
        .clone()
        .unwrap_or_else(|| NO_GRADE.to_owned())
}

/// The distinct values of `value` over `entries`, sorted (the filters' choices).
pub fn choices<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    value: impl Fn(&Entry) -> Option<String>,
) -> Vec<String> {
    let mut values: Vec<String> = entries.into_iter().filter_map(value).collect();
    values.sort();
    values.dedup();
    values
}

/// Is a hazard 重大.
pub fn is_major(hazard: &Hazard) -> bool {
    hazard.level == Level::Major
}

/// A message of the panel.
#[derive(Debug, Clone, PartialEq)]
pub enum InboxMessage {
    /// `added` reports were kept, `duplicates` were there already.
    Added {
        /// New reports.
        added: usize,
        /// Reports already in the inbox.
        duplicates: usize,
    },
    /// Storing, reading or exporting failed (the browser's or the worker's words).
    Failed(String),
}

/// The inbox panel's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InboxState {
    /// Every report, newest received first; `None` until read.
    pub entries: Option<Rc<Vec<Entry>>>,
    /// The filters.
    pub filter: Filter,
    /// The report whose details are open (its SHA-256).
    pub open: Option<String>,
    /// An export is under way.
    pub exporting: bool,
    /// The last message.
    pub message: Option<InboxMessage>,
}

/// What happens to the inbox panel.
#[derive(Debug, Clone, PartialEq)]
pub enum InboxAction {
    /// The stored entries were read.
    Loaded(Vec<Entry>),
    /// New reports were kept.
    Added {
        /// How many.
        added: usize,
        /// How many were there already.
        duplicates: usize,
    },
    /// The filters changed.
    Filter(Filter),
    /// Open (or, the same again, close) a report's details.
    Toggle(String),
    /// A report was removed.
    Removed(String),
    /// An export started (`true`) or ended.
    Exporting(bool),
    /// Something failed.
    Failed(String),
}

/// Applies `action` to `state`.
pub fn apply(state: &InboxState, action: InboxAction) -> InboxState {
    let mut next = state.clone();
    match action {
        InboxAction::Loaded(mut entries) => {
            entries.sort_by(|a, b| {
                b.received()
                    .cmp(&a.received())
                    .then_with(|| a.report.file_name.cmp(&b.report.file_name))
            });
            if next
                .open
                .as_ref()
                .is_some_and(|open| !entries.iter().any(|e| e.sha256() == open))
            {
                next.open = None;
            }
            next.entries = Some(Rc::new(entries));
        }
        InboxAction::Added { added, duplicates } => {
            next.message = Some(InboxMessage::Added { added, duplicates });
        }
        InboxAction::Filter(filter) => next.filter = filter,
        InboxAction::Toggle(sha) => {
            next.open = if state.open.as_deref() == Some(sha.as_str()) {
                None
            } else {
                Some(sha)
            };
        }
        InboxAction::Removed(sha) => {
            if let Some(entries) = &state.entries {
                let kept: Vec<Entry> = entries
                    .iter()
                    .filter(|e| e.sha256() != sha)
                    .cloned()
                    .collect();
                next.entries = Some(Rc::new(kept));
            }
            if next.open.as_deref() == Some(sha.as_str()) {
                next.open = None;
            }
        }
        InboxAction::Exporting(exporting) => next.exporting = exporting,
        InboxAction::Failed(detail) => {
            next.exporting = false;
            next.message = Some(InboxMessage::Failed(detail));
        }
    }
    next
}

impl Reducible for InboxState {
    type Action = InboxAction;

    fn reduce(self: Rc<Self>, action: InboxAction) -> Rc<Self> {
        Rc::new(apply(&self, action))
    }
}

#[cfg(test)]
mod tests;
