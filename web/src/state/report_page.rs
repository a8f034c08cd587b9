//! The sign & export page's state (pages/report.rs renders it and runs the effects): the parties
//! who sign, their handwritten pads, the key and passphrase each chose, and the run of render and
//! signatures with its progress and outcome, as a reducer.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::Reducible;

use crate::state::jobs::{Party, Stage};
use crate::state::signature::Strokes;

/// What a party chose to sign with.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Choice {
    /// The id of the key (none: no digital signature).
    pub key: Option<String>,
    /// Its passphrase, typed for this run and never stored.
    pub passphrase: String,
}

/// The outcome shown after a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The downloaded report's name.
    pub file_name: String,
    /// Its pages.
    pub pages: usize,
    /// The digital signatures applied.
    pub signatures: usize,
    /// Rendering time.
    pub render_ms: f64,
    /// Signing time, all signatures.
    pub sign_ms: f64,
    /// zicha-report's warnings.
    pub warnings: Vec<String>,
}

/// The page's state. Pads and choices are keyed by `signing::pad_key` (inspection, role, name).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportState {
    /// Who signs, in order.
    pub parties: Vec<Party>,
    /// The handwritten signatures drawn so far.
    pub pads: BTreeMap<String, Strokes>,
    /// Each party's key and passphrase.
    pub choices: BTreeMap<String, Choice>,
    /// Render and signatures are under way.
    pub running: bool,
    /// How far the run is: (stage, done, total).
    pub progress: Option<(Stage, u32, u32)>,
    /// Why the last step failed.
    pub error: Option<String>,
    /// The last run's outcome.
    pub outcome: Option<Outcome>,
}

/// What happens to the page.
#[derive(Debug, Clone, PartialEq)]
pub enum ReportAction {
    /// The parties (from the worker) and the pads stored for them.
    Loaded {
        /// Who signs.
        parties: Vec<Party>,
        /// Their stored pads.
        pads: BTreeMap<String, Strokes>,
    },
    /// A pad was drawn on or cleared (empty strokes).
    Pad {
        /// The pad's key.
        key: String,
        /// Its strokes.
        strokes: Strokes,
    },
    /// A party chose a key, or none.
    ChooseKey {
        /// The party's pad key.
        party: String,
        /// The key's id.
        key: Option<String>,
    },
    /// A party typed the passphrase of its key.
    SetPassphrase {
        /// The party's pad key.
        party: String,
        /// The passphrase.
        passphrase: String,
    },
    /// Render and sign started.
    Started,
    /// The worker's progress.
    Progress {
        /// The stage.
        stage: Stage,
        /// Done of this stage.
        done: u32,
        /// Total of this stage (0: unknown).
        total: u32,
    },
    /// The run ended.
    Finished(Result<Outcome, String>),
    /// Something outside a run failed (the parties, the bundle download).
    Failed(String),
}

impl ReportState {
    /// What `party` chose.
    pub fn choice(&self, party: &str) -> Choice {
        self.choices.get(party).cloned().unwrap_or_default()
    }

    /// Whether the key `party` chose is also chosen for another party (谁签字: each party signs
    /// with its own key; one key in two boxes is worth a warning).
    pub fn key_shared(&self, party: &str) -> bool {
        let Some(key) = self.choice(party).key else {
            return false;
        };
        self.choices
            .iter()
            .any(|(other, choice)| other != party && choice.key.as_ref() == Some(&key))
    }
}

/// Applies `action` to `state`.
pub fn apply(state: &ReportState, action: ReportAction) -> ReportState {
    let mut next = state.clone();
    match action {
        ReportAction::Loaded { parties, pads } => {
            next.parties = parties;
            next.pads = pads;
        }
        ReportAction::Pad { key, strokes } => {
            if strokes.is_empty() {
                next.pads.remove(&key);
            } else {
                next.pads.insert(key, strokes);
            }
        }
        ReportAction::ChooseKey { party, key } => {
            // A passphrase belongs to the key it was typed for.
            next.choices.insert(
                party,
                Choice {
                    key,
                    passphrase: String::new(),
                },
            );
        }
        ReportAction::SetPassphrase { party, passphrase } => {
            next.choices.entry(party).or_default().passphrase = passphrase;
        }
        ReportAction::Started => {
            next.running = true;
            next.progress = None;
            next.error = None;
            next.outcome = None;
        }
        ReportAction::Progress { stage, done, total } => {
            if next.running {
                next.progress = Some((stage, done, total));
            }
        }
        ReportAction::Finished(result) => {
            next.running = false;
            next.progress = None;
            match result {
                Ok(outcome) => next.outcome = Some(outcome),
                Err(detail) => next.error = Some(detail),
            }
        }
        ReportAction::Failed(detail) => next.error = Some(detail),
    }
    next
}

impl Reducible for ReportState {
    type Action = ReportAction;

    fn reduce(self: Rc<Self>, action: ReportAction) -> Rc<Self> {
        Rc::new(apply(&self, action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::signature::{Point, Stroke};

    #[test]
    fn one_key_for_two_parties_is_noticed() {
        let choose = |party: &str, key: Option<&str>| ReportAction::ChooseKey {
            party: party.into(),
            key: key.map(str::to_owned),
        };
        let state = after([
            choose("检查人/李海燕", Some("K1")),
            choose("企业负责人/王建国", Some("K2")),
        ]);
        assert!(!state.key_shared("检查人/李海燕") && !state.key_shared("企业负责人/王建国"));
        let state = apply(&state, choose("企业负责人/王建国", Some("K1")));
        assert!(state.key_shared("检查人/李海燕") && state.key_shared("企业负责人/王建国"));
        assert!(
            !state.key_shared("监理/陈立"),
            "a party with no key shares none"
        );
        let state = apply(&state, choose("企业负责人/王建国", None));
        assert!(!state.key_shared("检查人/李海燕"));
    }

    fn after(actions: impl IntoIterator<Item = ReportAction>) -> ReportState {
        actions
            .into_iter()
            .fold(ReportState::default(), |state, action| {
                apply(&state, action)
            })
    }

    fn strokes() -> Strokes {
        Strokes(vec![Stroke {
            points: vec![Point {
                x: 0.5,
                y: 0.5,
                p: 0.5,
            }],
        }])
    }

    fn outcome() -> Outcome {
        Outcome {
            file_name: "某建设公司-一号楼-2026-03-02.pdf".into(),
            pages: 12,
            signatures: 2,
            render_ms: 800.0,
            sign_ms: 90.0,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn pads_are_kept_until_cleared() {
        let state = after([ReportAction::Pad {
            key: "I-1/检查人/张三".into(),
            strokes: strokes(),
        }]);
        assert_eq!(state.pads["I-1/检查人/张三"], strokes());
        let cleared = apply(
            &state,
            ReportAction::Pad {
                key: "I-1/检查人/张三".into(),
                strokes: Strokes::default(),
            },
        );
        assert!(cleared.pads.is_empty());
    }

    #[test]
    fn another_key_forgets_the_passphrase() {
        let party = || "I-1/检查人/张三".to_owned();
        let state = after([
            ReportAction::ChooseKey {
                party: party(),
                key: Some("K-p12-00".into()),
            },
            ReportAction::SetPassphrase {
                party: party(),
                passphrase: "secret".into(),
            },
        ]);
        assert_eq!(
            state.choice(&party()),
            Choice {
                key: Some("K-p12-00".into()),
                passphrase: "secret".into()
            }
        );
        let state = apply(
            &state,
            ReportAction::ChooseKey {
                party: party(),
                key: Some("K-backup-11".into()),
            },
        );
        assert_eq!(state.choice(&party()).passphrase, "");
        assert_eq!(state.choice("I-1/监理/周敏"), Choice::default());
    }

    #[test]
    fn a_run_shows_progress_then_its_outcome_or_its_failure() {
        let state = after([
            ReportAction::Failed("the worker named no parties".into()),
            ReportAction::Started,
        ]);
        assert!(state.running && state.error.is_none());
        let state = apply(
            &state,
            ReportAction::Progress {
                stage: Stage::Pages,
                done: 3,
                total: 12,
            },
        );
        assert_eq!(state.progress, Some((Stage::Pages, 3, 12)));
        let done = apply(&state, ReportAction::Finished(Ok(outcome())));
        assert_eq!((done.running, done.progress), (false, None));
        assert_eq!(done.outcome, Some(outcome()));
        // Progress reported after the end (a late message of the worker) is not shown.
        let late = apply(
            &done,
            ReportAction::Progress {
                stage: Stage::Signing,
                done: 1,
                total: 2,
            },
        );
        assert_eq!(late, done);
        let cancelled = apply(&state, ReportAction::Finished(Err("已取消".into())));
        assert_eq!(
            (
                cancelled.running,
                cancelled.error.as_deref(),
                cancelled.outcome
            ),
            (false, Some("已取消"), None)
        );
        // The next run clears the last outcome.
        assert_eq!(apply(&done, ReportAction::Started).outcome, None);
    }
}
