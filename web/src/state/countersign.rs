//! The countersign panel's state (pages/countersign.rs renders it and runs the effects): a
//! received report opened and checked by the report worker, the box the chosen key may sign, the
//! handwritten signature, the signing run and its outcome, as a reducer. Every open has a number;
//! an answer for a file that is no longer the open one is dropped.
//!
//! Which box a key may sign is decided here for the page ([`key_boxes`]) by the worker's rule
//! (zicha_report::countersign): a free box bearing the certificate's signer name, of a unit the
//! certificate is issued to. The worker checks it again before it signs.

use std::rc::Rc;

use yew::Reducible;

use crate::state::jobs::{CertificateInfo, ReceivedBox, Refused};
use crate::state::signature::Strokes;
use crate::state::verify::FileView;

/// A received report, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// The file name.
    pub name: String,
    /// What `zicha verify` says of it.
    pub result: FileView,
    /// Its boxes.
    pub boxes: Vec<ReceivedBox>,
    /// Why it cannot be countersigned at all.
    pub refusal: Option<Refused>,
}

/// The countersigned report, downloaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The downloaded file's name.
    pub file_name: String,
    /// The box signed.
    pub number: usize,
    /// Milliseconds spent signing.
    pub millis: f64,
}

/// The panel's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CountersignState {
    /// The number of the file being opened or open.
    pub open: u32,
    /// The file is being read and checked.
    pub checking: bool,
    /// The open report.
    pub opened: Option<Rc<Opened>>,
    /// The key chosen (its id).
    pub key: Option<String>,
    /// Its passphrase, typed for this signature and never stored.
    pub passphrase: String,
    /// The box chosen among those the key may sign.
    pub number: Option<usize>,
    /// The handwritten signature.
    pub strokes: Strokes,
    /// A signing run is under way.
    pub signing: bool,
    /// The worker refused to countersign.
    pub refused: Option<Refused>,
    /// Something failed (the browser's or the worker's words).
    pub error: Option<String>,
    /// The last countersignature.
    pub outcome: Option<Outcome>,
}

/// What happens to the panel.
#[derive(Debug, Clone, PartialEq)]
pub enum CountersignAction {
    /// File `open` (a number) is being read and checked.
    Open(u32),
    /// The worker checked file `open`.
    Checked {
        /// Which open.
        open: u32,
        /// The worker's answer (an `Rc`: the state keeps it so).
        opened: Result<Rc<Opened>, String>,
    },
    /// A key was chosen, or none; `boxes` are the boxes it may sign ([`key_boxes`]).
    ChooseKey {
        /// The key's id.
        key: Option<String>,
        /// The boxes it may sign (the first is chosen).
        boxes: Vec<usize>,
    },
    /// A box was chosen among those the key may sign.
    ChooseBox(usize),
    /// The passphrase was typed.
    SetPassphrase(String),
    /// The pad was drawn on or cleared.
    Pad(Strokes),
    /// Signing started.
    Signing,
    /// Signing ended: the outcome, the worker's refusal, or a failure.
    Signed(Result<Outcome, SignFailure>),
}

/// Why a signing run produced nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum SignFailure {
    /// The worker refused (the report, the box or the key).
    Refused(Refused),
    /// The browser or the worker failed.
    Failed(String),
}

/// The boxes of `boxes` a key with `certificate` may countersign, or why it may sign none:
/// `other-signer` (no box bears its signer's name), `other-unit` (those that do stand for
/// another unit), `box-signed` (the signer's boxes are signed already). A box that names nobody
/// (a 监理 unit recorded without its person) is any person's of its unit.
pub fn key_boxes(
    boxes: &[ReceivedBox],
    certificate: &CertificateInfo,
) -> Result<Vec<usize>, &'static str> {
    let signer = certificate.signer.as_deref().unwrap_or_default().trim();
    let organisation = certificate.organisation.as_deref().unwrap_or_default();
    let named: Vec<&ReceivedBox> = boxes
        .iter()
        .filter(|signature_box| {
            let name = signature_box.party.name.trim();
            name.is_empty() || name == signer
        })
        .collect();
    if named.is_empty() {
        return Err("other-signer");
    }
    let of_unit: Vec<&ReceivedBox> = named
        .into_iter()
        .filter(|signature_box| {
            signature_box
                .units
                .iter()
                .any(|unit| zicha_sign::same_unit_name(unit, organisation))
        })
        .collect();
    if of_unit.is_empty() {
        return Err("other-unit");
    }
    let free: Vec<usize> = of_unit
        .into_iter()
        .filter(|signature_box| !signature_box.signed)
        .map(|signature_box| signature_box.number)
        .collect();
    if free.is_empty() {
        return Err("box-signed");
    }
    Ok(free)
}

impl CountersignState {
    /// The open report's box `number`.
    pub fn chosen_box(&self) -> Option<&ReceivedBox> {
        let number = self.number?;
        self.opened
            .as_ref()?
            .boxes
            .iter()
            .find(|signature_box| signature_box.number == number)
    }

    /// Whether the sign button does something: a countersignable report, a box, a key and a
    /// handwritten signature, and no run under way.
    pub fn can_sign(&self) -> bool {
        let countersignable = self
            .opened
            .as_ref()
            .is_some_and(|opened| opened.refusal.is_none());
        countersignable
            && self.chosen_box().is_some()
            && self.key.is_some()
            && !self.strokes.is_empty()
            && !self.signing
            && !self.checking
    }
}

/// Applies `action` to `state`.
pub fn apply(state: &CountersignState, action: CountersignAction) -> CountersignState {
    let mut next = state.clone();
    match action {
        CountersignAction::Open(open) => {
            // A new file: what was chosen for the last one does not carry over, except the
            // key and the handwriting (the same person countersigns the next report).
            next.open = open;
            next.checking = true;
            next.opened = None;
            next.number = None;
            next.refused = None;
            next.error = None;
            next.outcome = None;
        }
        CountersignAction::Checked { open, opened } if open == state.open => {
            next.checking = false;
            match opened {
                Ok(opened) => next.opened = Some(opened),
                Err(detail) => next.error = Some(detail),
            }
        }
        CountersignAction::Checked { .. } => {}
        CountersignAction::ChooseKey { key, boxes } => {
            next.key = key;
            // A passphrase belongs to the key it was typed for.
            next.passphrase.clear();
            next.number = boxes.first().copied();
            next.refused = None;
        }
        CountersignAction::ChooseBox(number) => next.number = Some(number),
        CountersignAction::SetPassphrase(passphrase) => next.passphrase = passphrase,
        CountersignAction::Pad(strokes) => next.strokes = strokes,
        CountersignAction::Signing => {
            next.signing = true;
            next.refused = None;
            next.error = None;
            next.outcome = None;
        }
        CountersignAction::Signed(result) => {
            next.signing = false;
            match result {
                Ok(outcome) => {
                    next.outcome = Some(outcome);
                    next.passphrase.clear();
                }
                Err(SignFailure::Refused(refused)) => next.refused = Some(refused),
                Err(SignFailure::Failed(detail)) => next.error = Some(detail),
            }
        }
    }
    next
}

impl Reducible for CountersignState {
    type Action = CountersignAction;

    fn reduce(self: Rc<Self>, action: CountersignAction) -> Rc<Self> {
        Rc::new(apply(&self, action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::jobs::Party;
    use crate::state::signature::{Point, Stroke};

    const ENTERPRISE: &str = "闽江建设工程有限公司";
    const SUPERVISOR: &str = "福州建设监理有限公司（集团）";

    fn signature_box(number: usize, role: &str, name: &str, signed: bool) -> ReceivedBox {
        ReceivedBox {
            number,
            party: Party {
                role: role.into(),
                name: name.into(),
            },
            signed,
            units: vec![
                if role == "监理" {
                    SUPERVISOR
                } else {
                    ENTERPRISE
                }
                .to_owned(),
            ],
        }
    }

    /// 检查人 周敏 (signed), 检查人 张三, 企业负责人 李四, 监理 王五.
    fn boxes() -> Vec<ReceivedBox> {
        vec![
            signature_box(1, "检查人", "周敏", true),
            signature_box(2, "检查人", "张三", false),
            signature_box(3, "企业负责人", "李四", false),
            signature_box(4, "监理", "王五", false),
        ]
    }

    fn certificate(signer: &str, organisation: &str) -> CertificateInfo {
        CertificateInfo {
            pem: String::new(),
            fingerprint: "ab".into(),
            signer: Some(signer.into()),
            organisation: Some(organisation.into()),
            credit_code: None,
            not_before: String::new(),
            not_after: String::new(),
            algorithm: "ECDSA P-256".into(),
        }
    }

    #[track_caller]
    fn check(signer: &str, organisation: &str, expected: Result<Vec<usize>, &str>) {
        assert_eq!(
            key_boxes(&boxes(), &certificate(signer, organisation)),
            expected,
            "{signer} {organisation}"
        );
    }

    #[test]
    fn a_key_may_sign_only_its_own_persons_free_box_of_its_unit() {
        check("王五", SUPERVISOR, Ok(vec![4]));
        // Brackets of either width and surrounding spaces do not count.
        check(" 王五", "福州建设监理有限公司(集团) ", Ok(vec![4]));
        check("李四", ENTERPRISE, Ok(vec![3]));
        // 王五 with a certificate of the enterprise: his box is the 监理 unit's.
        check("王五", ENTERPRISE, Err("other-unit"));
        // Nobody of that name has a box.
        check("赵六", SUPERVISOR, Err("other-signer"));
        check("", "", Err("other-signer"));
        // 周敏's box is signed.
        check("周敏", ENTERPRISE, Err("box-signed"));
        // One person in two roles: both boxes, the first chosen.
        let mut two = boxes();
        two[3].party.name = "张三".into();
        two[3].units.push(ENTERPRISE.into());
        assert_eq!(
            key_boxes(&two, &certificate("张三", ENTERPRISE)),
            Ok(vec![2, 4])
        );
        // A 监理 box naming nobody: any person of the 监理 unit, nobody of another unit.
        let mut unnamed = boxes();
        unnamed[3].party.name = String::new();
        assert_eq!(
            key_boxes(&unnamed, &certificate("赵六", SUPERVISOR)),
            Ok(vec![4])
        );
        assert_eq!(
            key_boxes(&unnamed, &certificate("赵六", ENTERPRISE)),
            Err("other-unit")
        );
        // The enterprise's 李四 finds his own box, not the unnamed 监理 one.
        assert_eq!(
            key_boxes(&unnamed, &certificate("李四", ENTERPRISE)),
            Ok(vec![3])
        );
    }

    fn opened(refusal: Option<Refused>) -> Opened {
        Opened {
            name: "report.pdf".into(),
            result: serde_json::from_value(serde_json::json!({
                "file": "report.pdf",
                "verdict": "valid",
                "verdict_zh": "有效",
                "verdict_en": "valid",
            }))
            .expect("a file view"),
            boxes: boxes(),
            refusal,
        }
    }

    fn strokes() -> Strokes {
        Strokes(vec![Stroke {
            points: vec![Point::new(0.1, 0.5, 0.5), Point::new(0.9, 0.5, 0.5)],
        }])
    }

    fn run(actions: Vec<CountersignAction>) -> CountersignState {
        actions
            .into_iter()
            .fold(CountersignState::default(), |state, action| {
                apply(&state, action)
            })
    }

    #[test]
    fn open_choose_draw_sign() {
        use CountersignAction as A;
        let state = run(vec![A::Open(1)]);
        assert!(state.checking && !state.can_sign());
        let state = apply(
            &state,
            A::Checked {
                open: 1,
                opened: Ok(Rc::new(opened(None))),
            },
        );
        assert!(!state.checking && state.opened.is_some());
        let state = apply(
            &state,
            A::ChooseKey {
                key: Some("K-1".into()),
                boxes: vec![4],
            },
        );
        assert_eq!(state.number, Some(4));
        assert_eq!(
            state.chosen_box().map(|b| b.party.name.as_str()),
            Some("王五")
        );
        // No handwriting yet: nothing to sign.
        assert!(!state.can_sign());
        let state = apply(&state, A::Pad(strokes()));
        assert!(state.can_sign());
        let state = apply(&state, A::SetPassphrase("pw".into()));
        let state = apply(&state, A::Signing);
        assert!(state.signing && !state.can_sign());
        let outcome = Outcome {
            file_name: "report-监理.pdf".into(),
            number: 4,
            millis: 12.0,
        };
        let state = apply(&state, A::Signed(Ok(outcome.clone())));
        assert_eq!(state.outcome, Some(outcome));
        assert!(!state.signing && state.passphrase.is_empty());
        // The next file keeps the key and the handwriting, nothing else.
        let state = apply(&state, A::Open(2));
        assert_eq!(state.key.as_deref(), Some("K-1"));
        assert!(!state.strokes.is_empty());
        assert_eq!((state.number, &state.outcome), (None, &None));
    }

    #[test]
    fn refusals_and_stale_answers() {
        use CountersignAction as A;
        let modified = Refused {
            code: "modified".into(),
            detail: "changed after signing".into(),
        };
        let state = run(vec![
            A::Open(1),
            A::Checked {
                open: 1,
                opened: Ok(Rc::new(opened(Some(modified.clone())))),
            },
            A::ChooseKey {
                key: Some("K-1".into()),
                boxes: vec![4],
            },
            A::Pad(strokes()),
        ]);
        // A report that cannot be countersigned cannot be signed, whatever is chosen.
        assert!(!state.can_sign());
        // An answer for an earlier file is dropped.
        let state = run(vec![
            A::Open(1),
            A::Open(2),
            A::Checked {
                open: 1,
                opened: Ok(Rc::new(opened(None))),
            },
        ]);
        assert!(state.checking && state.opened.is_none());
        let state = apply(
            &state,
            A::Checked {
                open: 2,
                opened: Err("not a pdf".into()),
            },
        );
        assert_eq!(state.error.as_deref(), Some("not a pdf"));
        // The worker's refusal is kept apart from failures, and cleared by the next attempt.
        let box_signed = Refused {
            code: "box-signed".into(),
            detail: "box 4".into(),
        };
        let state = run(vec![
            A::Signing,
            A::Signed(Err(SignFailure::Refused(box_signed.clone()))),
        ]);
        assert_eq!(state.refused, Some(box_signed));
        assert_eq!(state.error, None);
        let state = apply(&state, A::Signing);
        assert_eq!(state.refused, None);
        let state = apply(
            &state,
            A::Signed(Err(SignFailure::Failed("wrong passphrase".into()))),
        );
        assert_eq!(state.error.as_deref(), Some("wrong passphrase"));
    }
}
