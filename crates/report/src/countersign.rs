//! Countersigning a received report: a party (the 监理 on site, the enterprise's responsible
//! person at the office) opens a report someone else rendered and signed, and adds a signature in
//! its own box. Used by the browser's report worker; `zicha sign --party` applies the same box
//! and unit rules ([`crate::place`]).
//!
//! Only a report that `zicha verify` would call valid can be countersigned ([`received`]): every
//! signature so far valid, nothing modified after signing, and its pages proven to be what its
//! embedded data renders to ([`crate::proof`]). Signing a modified or unprovable report would lend
//! the new signature to content nobody vouches for. Then the signature goes only into the free box
//! of the party chosen, with a certificate naming that box's person and issued to the unit the
//! box stands for, valid at the signing time ([`countersign_box`]).

use std::fmt;

use zicha_sign::{Certificate, TrustList, Verdict};

use crate::Fonts;
use crate::check::{self, FileResult};
use crate::place::{self, PartyChoice, PlaceError, SignatureBox};
use crate::proof::ProofStatus;

/// Why a report cannot be countersigned, or not in the box and with the key chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// Not a Zicha report (another app's PDF): it reserves no boxes to sign in.
    NotAReport,
    /// Changed after a signature (a modified revision, unsigned bytes appended).
    Modified,
    /// Not valid for another reason (a broken signature, a signer of another unit, data that
    /// disagrees with the printed summary, an unregistered signer): the verdict.
    NotValid(Verdict),
    /// The pages are not proven to be what the embedded data renders to.
    NotProven,
    /// Every box is signed already.
    AllSigned,
    /// The box chosen cannot be used ([`PlaceError`]: no such box, already signed, another
    /// unit's certificate).
    Place(PlaceError),
    /// The certificate names another person than the box.
    OtherSigner {
        /// The certificate's common name.
        signer: String,
        /// The box.
        signature_box: SignatureBox,
    },
    /// The certificate is not valid at the signing time (zicha-sign's words).
    Certificate(String),
}

impl Refusal {
    /// A stable code for the page, which words it in the user's language: `not-a-report`,
    /// `modified`, `not-valid`, `not-proven`, `all-signed`, `no-such-box`, `box-signed`,
    /// `other-unit`, `other-signer`, `certificate`.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NotAReport | Refusal::Place(PlaceError::NotAReport) => "not-a-report",
            Refusal::Modified => "modified",
            Refusal::NotValid(_) => "not-valid",
            Refusal::NotProven => "not-proven",
            Refusal::AllSigned => "all-signed",
            Refusal::Place(PlaceError::Signed { .. }) => "box-signed",
            Refusal::Place(PlaceError::NotTheParty { .. }) => "other-unit",
            Refusal::Place(_) => "no-such-box",
            Refusal::OtherSigner { .. } => "other-signer",
            Refusal::Certificate(_) => "certificate",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotAReport => write!(
                f,
                "not a zicha report: it reserves no signature boxes to countersign"
            ),
            Refusal::Modified => write!(
                f,
                "the report was changed after it was signed: it cannot be countersigned"
            ),
            Refusal::NotValid(verdict) => write!(
                f,
                "the report is not valid ({}): it cannot be countersigned",
                verdict.en()
            ),
            Refusal::NotProven => write!(
                f,
                "the report's pages are not proven to be what its data says: it cannot be \
                 countersigned"
            ),
            Refusal::AllSigned => write!(f, "every box of the report is signed already"),
            Refusal::Place(error) => error.fmt(f),
            Refusal::OtherSigner {
                signer,
                signature_box,
            } => write!(
                f,
                "the certificate names {signer}, not the person of box {signature_box}"
            ),
            Refusal::Certificate(error) => write!(f, "the certificate cannot sign: {error}"),
        }
    }
}

impl std::error::Error for Refusal {}

/// A received report as checked for countersigning.
#[derive(Debug, Clone)]
pub struct Received {
    /// What `zicha verify` says of it (no trust list: who signed so far is not checked).
    pub result: FileResult,
    /// Its boxes, signed and free.
    pub boxes: Vec<SignatureBox>,
    /// Why it cannot be countersigned at all; `None` when a free box awaits.
    pub refusal: Option<Refusal>,
}

/// Checks the received report `pdf` (named `file`) exactly as `zicha verify` does
/// ([`check::check`], with the verifier's `fonts`) and lists its boxes.
pub fn received(file: &str, pdf: &[u8], fonts: Option<&Fonts>) -> Received {
    let result = check::check(file, pdf, &TrustList::new(), fonts);
    // The same boxes as `result.parties`, with their places on the page.
    let boxes = place::boxes(pdf).unwrap_or_default();
    let refusal = refusal(&result, &boxes);
    Received {
        result,
        boxes,
        refusal,
    }
}

fn refusal(result: &FileResult, boxes: &[SignatureBox]) -> Option<Refusal> {
    if boxes.is_empty() {
        return Some(Refusal::NotAReport);
    }
    let verdict = result.report.verdict;
    if verdict == Verdict::Modified {
        return Some(Refusal::Modified);
    }
    let proven = result
        .proof
        .as_ref()
        .is_some_and(|proof| proof.status == ProofStatus::Proven);
    if !proven {
        return Some(Refusal::NotProven);
    }
    if verdict != Verdict::Valid {
        return Some(Refusal::NotValid(verdict));
    }
    if boxes.iter().all(|signature_box| signature_box.signed) {
        return Some(Refusal::AllSigned);
    }
    None
}

/// The box of `role` and `name` in `received` (the report `pdf`) that `certificate` may sign at
/// `time`, or why not: the report must be countersignable, the box free, the certificate naming
/// the box's person (when the box names one), issued to the box's unit and valid at `time`.
pub fn countersign_box(
    received: &Received,
    pdf: &[u8],
    role: &str,
    name: &str,
    certificate: &Certificate,
    time: time::OffsetDateTime,
) -> Result<SignatureBox, Refusal> {
    if let Some(refusal) = &received.refusal {
        return Err(refusal.clone());
    }
    let choice = PartyChoice::Named {
        role: role.to_owned(),
        name: name.to_owned(),
    };
    let signature_box = place::choose(&received.boxes, &choice).map_err(Refusal::Place)?;
    let units = place::units(pdf, &signature_box).unwrap_or_default();
    place::check_unit(
        &signature_box,
        &units,
        &certificate.organisation().unwrap_or_default(),
        &certificate.credit_code().unwrap_or_default(),
    )
    .map_err(Refusal::Place)?;
    // A box that names nobody (a 监理 unit recorded without its person) is any person's of
    // its unit.
    let signer = certificate.common_name().unwrap_or_default();
    let named = signature_box.slot.name.trim();
    if !named.is_empty() && signer.trim() != named {
        return Err(Refusal::OtherSigner {
            signer,
            signature_box,
        });
    }
    certificate
        .check_valid_at(time)
        .map_err(|error| Refusal::Certificate(error.to_string()))?;
    Ok(signature_box)
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};
    use zicha_core::bundle::Bundle;
    use zicha_core::checklist;
    use zicha_sign::{CertificateSubject, SignOptions, SigningKey};

    use super::*;
    use crate::Options;

    const FONT: &[u8] = include_bytes!("../../../assets/fonts/wqy-microhei.ttc");
    const TIME: time::OffsetDateTime = datetime!(2026-03-02 19:00 +08:00);

    fn fonts() -> &'static Fonts {
        static FONTS: std::sync::OnceLock<Fonts> = std::sync::OnceLock::new();
        FONTS.get_or_init(|| Fonts::new(FONT, 0).expect("font"))
    }

    /// The sample construction report (seed 3: two inspectors, the manager, a 监理 unit).
    fn report() -> (Bundle, Vec<u8>) {
        let builtin = zicha_core::catalog::by_id("construction").expect("built in");
        let source = zicha_core::catalog::source_of(&builtin.reference()).expect("source");
        let (checklist, problems) = checklist::parse(source);
        assert!(problems.is_empty(), "{problems:?}");
        let checklist = checklist.expect("parsed");
        let bundle = zicha_core::sample::sample(&checklist, Some(source), 3, date!(2026 - 03 - 01));
        let options = Options::new(
            fonts(),
            datetime!(2026-03-02 18:00 +08:00),
            "ZC-COUNTERSIGN-1",
            date!(2026 - 03 - 02),
        );
        let pdf = crate::render(&bundle, &checklist, &options)
            .expect("rendered")
            .pdf;
        (bundle, pdf)
    }

    /// A key and certificate of `signer` at `organisation`, valid in 2026.
    fn identity(signer: &str, organisation: &str, credit_code: &str) -> (SigningKey, Certificate) {
        let key = SigningKey::generate_p256();
        let subject = CertificateSubject {
            organisation: organisation.to_owned(),
            signer: signer.to_owned(),
            credit_code: credit_code.to_owned(),
            not_before: datetime!(2026-01-01 0:00 UTC),
            not_after: datetime!(2027-01-01 0:00 UTC),
        };
        let certificate = zicha_sign::self_issued_certificate(&subject, &key).expect("certificate");
        (key, certificate)
    }

    /// `pdf` signed into `signature_box`, as the worker signs.
    fn sign_into(
        pdf: &[u8],
        signature_box: &SignatureBox,
        (key, certificate): &(SigningKey, Certificate),
    ) -> Vec<u8> {
        let mut options = SignOptions::new(signature_box.slot.role.clone(), TIME);
        let (page, rect) = place::widget_place(&signature_box.slot);
        options.page = Some(page);
        options.rect = Some(rect);
        options.field_name = Some(place::field_name(signature_box.number));
        options.ink = Some(zicha_sign::Ink {
            aspect: 3.0,
            strokes: vec![vec![[0.1, 0.5, 0.5], [0.9, 0.4, 0.6]]],
        });
        zicha_sign::sign(pdf, key, certificate, &[], &options).expect("signed")
    }

    fn codes(result: Result<SignatureBox, Refusal>) -> Result<usize, &'static str> {
        result
            .map(|signature_box| signature_box.number)
            .map_err(|refusal| refusal.code())
    }

    #[test]
    fn only_a_valid_proven_report_is_countersigned_in_the_partys_own_box() {
        let (bundle, pdf) = report();
        let data = &bundle.data;
        let enterprise = (&data.organisation.name, &data.organisation.credit_code);
        let supervisor = data
            .project
            .as_ref()
            .and_then(|project| {
                project
                    .parties
                    .iter()
                    .find(|party| party.role == zicha_core::org::PartyRole::Supervisor)
            })
            .expect("a 监理 unit")
            .clone();
        let supervisor_code = supervisor.credit_code.clone().unwrap_or_default();
        let inspector = &data.inspection.inspectors[0];

        // An unsigned report is not valid: nothing to countersign.
        let received_unsigned = received("r.pdf", &pdf, Some(fonts()));
        assert_eq!(
            received_unsigned.refusal.as_ref().map(Refusal::code),
            Some("not-valid")
        );

        // The inspector signs box 1; the report is valid, proven, boxes 2 to 4 free.
        let boxes = place::boxes(&pdf).expect("a zicha report");
        let inspector_identity = identity(inspector, enterprise.0, enterprise.1);
        let signed = sign_into(&pdf, &boxes[0], &inspector_identity);
        let first = received("r.pdf", &signed, Some(fonts()));
        assert_eq!(first.refusal, None, "{:?}", first.result.report);
        let signed_boxes: Vec<bool> = first.boxes.iter().map(|b| b.signed).collect();
        assert_eq!(signed_boxes, [true, false, false, false]);
        let roles: Vec<&str> = first.boxes.iter().map(|b| b.slot.role.as_str()).collect();
        assert_eq!(roles, ["检查人", "检查人", "企业负责人", "监理"]);

        // The 监理 with a certificate of the 监理 unit: box 4.
        let supervisor_identity =
            identity(&supervisor.safety_lead, &supervisor.name, &supervisor_code);
        let choose =
            |received: &Received, pdf: &[u8], role: &str, name: &str, certificate: &Certificate| {
                codes(countersign_box(
                    received,
                    pdf,
                    role,
                    name,
                    certificate,
                    TIME,
                ))
            };
        assert_eq!(
            choose(
                &first,
                &signed,
                "监理",
                &supervisor.safety_lead,
                &supervisor_identity.1
            ),
            Ok(4)
        );
        // The same person with a certificate of the enterprise: another unit.
        let wrong_unit = identity(&supervisor.safety_lead, enterprise.0, enterprise.1);
        assert_eq!(
            choose(
                &first,
                &signed,
                "监理",
                &supervisor.safety_lead,
                &wrong_unit.1
            ),
            Err("other-unit")
        );
        // Another person of the 监理 unit for the 监理's named box.
        let colleague = identity("赵六", &supervisor.name, &supervisor_code);
        assert_eq!(
            choose(
                &first,
                &signed,
                "监理",
                &supervisor.safety_lead,
                &colleague.1
            ),
            Err("other-signer")
        );
        // The inspector's own box again: signed.
        assert_eq!(
            choose(&first, &signed, "检查人", inspector, &inspector_identity.1),
            Err("box-signed")
        );
        // Outside its validity the certificate cannot sign.
        let expired = {
            let key = SigningKey::generate_p256();
            let subject = CertificateSubject {
                organisation: supervisor.name.clone(),
                signer: supervisor.safety_lead.clone(),
                credit_code: supervisor_code.clone(),
                not_before: datetime!(2025-01-01 0:00 UTC),
                not_after: datetime!(2025-02-01 0:00 UTC),
            };
            zicha_sign::self_issued_certificate(&subject, &key).expect("certificate")
        };
        assert_eq!(
            choose(&first, &signed, "监理", &supervisor.safety_lead, &expired),
            Err("certificate")
        );

        // Countersigned: valid, both signatures, box 4 now taken.
        let countersigned = sign_into(&signed, &first.boxes[3], &supervisor_identity);
        let second = received("r.pdf", &countersigned, Some(fonts()));
        assert_eq!(second.refusal, None, "{:?}", second.result.report);
        assert_eq!(second.result.report.verdict, Verdict::Valid);
        assert_eq!(second.result.report.signatures.len(), 2);
        let signed_boxes: Vec<bool> = second.boxes.iter().map(|b| b.signed).collect();
        assert_eq!(signed_boxes, [true, false, false, true]);
        assert_eq!(
            choose(
                &second,
                &countersigned,
                "监理",
                &supervisor.safety_lead,
                &supervisor_identity.1
            ),
            Err("box-signed")
        );

        // Bytes appended after the last signature: modified, not countersigned.
        let mut appended = signed.clone();
        appended.extend_from_slice(b"\n% appended\n");
        let modified = received("r.pdf", &appended, Some(fonts()));
        assert_eq!(
            modified.refusal.as_ref().map(Refusal::code),
            Some("modified")
        );
        assert_eq!(
            choose(
                &modified,
                &appended,
                "监理",
                &supervisor.safety_lead,
                &supervisor_identity.1
            ),
            Err("modified")
        );

        // Without the verifier's font the pages are not proven.
        let unproven = received("r.pdf", &signed, None);
        assert_eq!(
            unproven.refusal.as_ref().map(Refusal::code),
            Some("not-proven")
        );

        // Another app's PDF reserves no boxes.
        let other = received("other.pdf", b"%PDF-1.7\n%%EOF\n", Some(fonts()));
        assert_eq!(
            other.refusal.as_ref().map(Refusal::code),
            Some("not-a-report")
        );
    }
}
