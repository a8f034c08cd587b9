//! The verify page's state (pages/verify.rs renders it and runs the effects): what the report
//! worker answered, as the page shows it, and the state machine of a check — files read, checked
//! one by one, answered, cancelled — as a reducer. Every run has a number; an answer of a run that
//! is no longer the current one (cancelled, or followed by another) is dropped.
//!
//! A run can answer twice: first the light verifier's results (zicha_report::check::check_data:
//! signatures, identity and data checked, the pages not yet compared; [`VerifyAction::FirstVerdict`],
//! shown as a first verdict, never as "valid"), then the report worker's, which replace them.
//!
//! The view types are `zicha verify --json`'s objects (zicha_report::check::FileResult) as far as
//! the page shows them, tested against that type serialised, so that a renamed field fails a test.
//! Verdicts stay strings (`valid`, `unregistered`, `modified`, `invalid`) so that the extra module
//! does not link zicha-report.

use std::rc::Rc;

use serde::Deserialize;
use yew::Reducible;
use zicha_core::score::ScoreReport;

use crate::i18n::{self, Lang};

/// One element of `zicha verify --json` (zicha_report::check::FileResult).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FileView {
    /// The file name.
    pub file: String,
    /// `valid`, `unregistered`, `modified` or `invalid`.
    pub verdict: String,
    /// The verdict in Chinese.
    pub verdict_zh: String,
    /// The verdict in English.
    pub verdict_en: String,
    /// Every signature.
    #[serde(default)]
    pub signatures: Vec<SignatureView>,
    /// Findings about the document as a whole.
    #[serde(default)]
    pub findings: Vec<FindingView>,
    /// The embedded inspection, re-scored.
    #[serde(default)]
    pub inspection: Option<InspectionView>,
    /// A trust list was given: `false` means who signed was not checked.
    #[serde(default)]
    pub identity_checked: bool,
    /// Whether the pages are proven to show the data; its findings join the reasons.
    #[serde(default)]
    pub proof: Option<ProofView>,
}

/// The proof of the pages, as far as the page shows it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ProofView {
    /// Why the pages are not proven.
    #[serde(default)]
    pub findings: Vec<FindingView>,
}

/// One signature.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SignatureView {
    /// The certificate's common name.
    pub signer: Option<String>,
    /// The signature dictionary's /Name.
    pub name: Option<String>,
    /// The certificate's organisation.
    pub organisation: Option<String>,
    /// The certificate's 统一社会信用代码.
    pub credit_code: Option<String>,
    /// The role, e.g. 检查人.
    pub role: Option<String>,
    /// The claimed signing time, RFC 3339.
    pub time: Option<String>,
    /// The SHA-256 of the signer's certificate (`fingerprint` in results of older builds).
    #[serde(alias = "fingerprint")]
    pub cert_sha256: Option<String>,
    /// `known`, `unknown` or `not-checked`.
    pub trust: String,
    /// This signature's verdict.
    pub verdict: String,
    /// Why it is not valid.
    #[serde(default)]
    pub reasons: Vec<FindingView>,
    /// The certificate is self-issued.
    #[serde(default)]
    pub self_signed: bool,
}

/// A reason, with its stable code, in both languages.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FindingView {
    /// The stable code.
    pub code: String,
    /// In English.
    pub en: String,
    /// In Chinese.
    pub zh: String,
}

impl FindingView {
    /// The reason in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        i18n::pick(lang, &self.zh, &self.en)
    }
}

/// The embedded inspection, re-scored by zicha-core.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct InspectionView {
    /// The enterprise.
    pub organisation: String,
    /// Its 统一社会信用代码.
    pub credit_code: String,
    /// The project's name.
    pub project: Option<String>,
    /// The checklist id.
    pub checklist: String,
    /// The checklist version.
    pub checklist_version: String,
    /// The inspection date.
    pub date: String,
    /// The data is covered by a valid signature.
    pub signed: bool,
    /// The printed summary equals the re-scored one.
    pub matches_report: Option<bool>,
    /// The re-scored result.
    pub score: Option<ScoreReport>,
    /// Why it could not be re-scored or does not match.
    #[serde(default)]
    pub findings: Vec<FindingView>,
}

/// What the worker answered for one run.
#[derive(Debug, PartialEq)]
pub struct Outcome {
    /// One result per file, in the order given.
    pub results: Vec<FileView>,
    /// `zicha verify --csv`'s file.
    pub csv: String,
    /// The light verifier's first verdict: the pages are still being compared with the data, so
    /// a `valid` here is not yet a verdict (the report worker's results replace these).
    pub first: bool,
}

impl Outcome {
    /// The number of results with `verdict`; while [`Outcome::first`], none counts as `valid`
    /// (see [`Outcome::pending`]).
    pub fn count(&self, verdict: &str) -> usize {
        if self.first && verdict == "valid" {
            return 0;
        }
        self.results.iter().filter(|r| r.verdict == verdict).count()
    }

    /// First-verdict results that are valid so far: signatures, identity and data in order, the
    /// pages still being compared.
    pub fn pending(&self) -> usize {
        if !self.first {
            return 0;
        }
        self.results.iter().filter(|r| r.verdict == "valid").count()
    }
}

/// A loaded trust list.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustFile {
    /// The file name.
    pub name: String,
    /// Its text, as the worker reads it again.
    pub text: Rc<String>,
    /// Distinct fingerprints.
    pub count: usize,
}

/// Why a chosen trust list is not used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TrustProblem {
    /// This 1-based line is not a fingerprint.
    BadLine(usize),
    /// No line holds a fingerprint.
    Empty,
}

/// A message above the results.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// The user cancelled the run.
    Cancelled,
    /// A file could not be read, or the worker failed (the browser's or the worker's words).
    Failed(String),
    /// The worker's results could not be read (serde's words).
    BadResult(String),
}

/// The page's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VerifyState {
    /// The run under way, if any.
    pub run: Option<u32>,
    /// (checked, total); total 0 while the files are still being read.
    pub progress: (u32, u32),
    /// Shown above the results when no run is under way.
    pub message: Option<Message>,
    /// The last run's results.
    pub outcome: Option<Rc<Outcome>>,
    /// The trust list in use.
    pub trust: Option<TrustFile>,
    /// Why the last chosen trust list is not used.
    pub trust_problem: Option<TrustProblem>,
}

/// What happens to the page.
#[derive(Debug, Clone, PartialEq)]
pub enum VerifyAction {
    /// Run `run` starts: its files are being read.
    Start(u32),
    /// The files of `run` are read: `total` go to the worker.
    Read {
        /// The run.
        run: u32,
        /// How many files.
        total: u32,
    },
    /// The worker has checked `done` of `total`.
    Checked {
        /// The run.
        run: u32,
        /// Files checked.
        done: u32,
        /// Files in all.
        total: u32,
    },
    /// The light verifier's first answer (`check_data`): shown while the run goes on.
    FirstVerdict {
        /// The run.
        run: u32,
        /// The results as the verifier wrote them.
        results: Vec<serde_json::Value>,
        /// The CSV.
        csv: String,
    },
    /// The worker's answer: one `FileResult` as JSON per file, and the CSV.
    Verified {
        /// The run.
        run: u32,
        /// The results as the worker wrote them.
        results: Vec<serde_json::Value>,
        /// The CSV.
        csv: String,
    },
    /// Run `run` failed (a file could not be read, the worker failed); with `None`, something
    /// outside a run failed (a trust file could not be read, the CSV not saved).
    Failed {
        /// The run, if it was one.
        run: Option<u32>,
        /// The browser's or the worker's words.
        detail: String,
    },
    /// The user cancelled: whatever the run still answers is dropped.
    Cancel,
    /// A trust list was read ([`read_trust`]).
    Trust(Result<TrustFile, TrustProblem>),
    /// The trust list is no longer used.
    ClearTrust,
}

/// Reads a chosen trust list: the number of distinct fingerprints by zicha-sign's rules (the
/// worker parses the list again for the real check; this only tells the user at once). A list
/// without fingerprints would check nobody while looking like a check, so it is refused.
pub fn read_trust(name: String, text: String) -> Result<TrustFile, TrustProblem> {
    match trust_count(&text) {
        Ok(0) => Err(TrustProblem::Empty),
        Ok(count) => Ok(TrustFile {
            name,
            text: Rc::new(text),
            count,
        }),
        Err(line) => Err(TrustProblem::BadLine(line)),
    }
}

/// The number of distinct fingerprints in a trust list; `Err` carries the 1-based number of the
/// first line that is not a fingerprint.
pub fn trust_count(text: &str) -> Result<usize, usize> {
    zicha_sign::TrustList::parse_lines(text).map(|list| list.len())
}

impl VerifyState {
    /// A run is under way.
    pub fn busy(&self) -> bool {
        self.run.is_some()
    }

    /// The text of the trust list in use (empty: none).
    pub fn trust_text(&self) -> Rc<String> {
        self.trust
            .as_ref()
            .map(|trust| trust.text.clone())
            .unwrap_or_default()
    }

    fn is_current(&self, run: u32) -> bool {
        self.run == Some(run)
    }
}

/// Applies `action` to `state`.
pub fn apply(state: &VerifyState, action: VerifyAction) -> VerifyState {
    let mut next = state.clone();
    match action {
        VerifyAction::Start(run) => {
            next.run = Some(run);
            next.progress = (0, 0);
            next.message = None;
            next.outcome = None;
        }
        VerifyAction::Read { run, total } if state.is_current(run) => next.progress = (0, total),
        VerifyAction::Checked { run, done, total } if state.is_current(run) => {
            next.progress = (done, total);
        }
        VerifyAction::FirstVerdict { run, results, csv } if state.is_current(run) => {
            // The run goes on (the report worker proves the pages); a first verdict that cannot
            // be read is left out: the final one follows.
            if let Ok(outcome) = outcome(results, csv, true) {
                next.outcome = Some(Rc::new(outcome));
            }
        }
        VerifyAction::Verified { run, results, csv } if state.is_current(run) => {
            next.run = None;
            match outcome(results, csv, false) {
                Ok(outcome) => next.outcome = Some(Rc::new(outcome)),
                Err(error) => {
                    next.outcome = None;
                    next.message = Some(Message::BadResult(error.to_string()));
                }
            }
        }
        VerifyAction::Failed { run: None, detail } => {
            next.message = Some(Message::Failed(detail));
        }
        VerifyAction::Failed {
            run: Some(run),
            detail,
        } if state.is_current(run) => {
            next.run = None;
            next.message = Some(Message::Failed(detail));
        }
        VerifyAction::Cancel => {
            if state.busy() {
                next.run = None;
                next.message = Some(Message::Cancelled);
                // A first verdict belongs to the run: cancelled, nothing is shown.
                if next.outcome.as_ref().is_some_and(|outcome| outcome.first) {
                    next.outcome = None;
                }
            }
        }
        VerifyAction::Trust(Ok(trust)) => {
            next.trust = Some(trust);
            next.trust_problem = None;
        }
        VerifyAction::Trust(Err(problem)) => next.trust_problem = Some(problem),
        VerifyAction::ClearTrust => {
            next.trust = None;
            next.trust_problem = None;
        }
        // An answer of a run that is not the current one.
        VerifyAction::Read { .. }
        | VerifyAction::Checked { .. }
        | VerifyAction::FirstVerdict { .. }
        | VerifyAction::Verified { .. }
        | VerifyAction::Failed { .. } => {}
    }
    next
}

fn outcome(
    results: Vec<serde_json::Value>,
    csv: String,
    first: bool,
) -> Result<Outcome, serde_json::Error> {
    let results = results
        .into_iter()
        .map(serde_json::from_value)
        .collect::<Result<_, _>>()?;
    Ok(Outcome {
        results,
        csv,
        first,
    })
}

impl Reducible for VerifyState {
    type Action = VerifyAction;

    fn reduce(self: Rc<Self>, action: VerifyAction) -> Rc<Self> {
        Rc::new(apply(&self, action))
    }
}

#[cfg(test)]
mod tests;
