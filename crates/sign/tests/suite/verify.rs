//! Legitimate files must verify as valid: the verifier must not cry wolf.

use zicha_sign::{Party, TimeSource, Trust, TrustList, Verdict, verify};

use crate::common::*;

#[test]
fn one_signature_is_valid_and_names_the_signer() {
    let (signed, _) = signed_once();
    let mut trust = TrustList::new();
    trust.add_certificate(&inspector().certificate);
    let report = verify(&signed, &trust);
    assert_eq!(report.verdict, Verdict::Valid, "{report:#?}");
    assert_eq!(report.signatures.len(), 1);
    let signature = &report.signatures[0];
    assert_eq!(signature.signer.as_deref(), Some("张三"));
    assert_eq!(
        signature.organisation.as_deref(),
        Some("福州示例化工有限公司")
    );
    assert_eq!(signature.credit_code.as_deref(), Some(CREDIT_CODE));
    assert_eq!(signature.role.as_deref(), Some("检查人"));
    assert_eq!(signature.time.as_deref(), Some("2025-06-01T10:30:00+08:00"));
    assert_eq!(
        signature.cert_sha256.as_deref(),
        Some(inspector().certificate.fingerprint_hex().as_str())
    );
    assert_eq!(signature.trust, Trust::Known);
    assert_eq!(signature.time_source, TimeSource::SignerClaim);
    assert!(report.identity_checked);
    assert!(signature.covers_whole_document);
    assert!(signature.self_signed);
    assert_eq!(signature.revision, Some(2));
}

#[test]
fn without_a_trust_list_the_signer_is_not_checked() {
    let (signed, _) = signed_once();
    let report = verify(&signed, &TrustList::new());
    assert_eq!(report.verdict, Verdict::Valid);
    assert!(!report.identity_checked);
    assert_eq!(report.signatures[0].trust, Trust::NotChecked);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["identity_checked"], false);
    assert_eq!(json["signatures"][0]["trust"], "not-checked");
    assert_eq!(json["signatures"][0]["time_source"], "signer-claim");
    assert_eq!(
        json["signatures"][0]["cert_sha256"],
        inspector().certificate.fingerprint_hex()
    );
}

#[test]
fn a_signer_missing_from_the_trust_list_is_unregistered() {
    let (signed, _) = signed_once();
    // The same names, another key: what an impostor's `zicha keygen` makes.
    let mut trust = TrustList::new();
    trust.add_certificate(&signer(8, "张三", "福州示例化工有限公司").certificate);
    let report = verify(&signed, &trust);
    assert_eq!(report.verdict, Verdict::Unregistered, "{report:#?}");
    assert_eq!(
        (report.verdict_en.as_str(), report.verdict_zh.as_str()),
        ("unregistered", "签名人证书未登记")
    );
    let signature = &report.signatures[0];
    assert_eq!(signature.trust, Trust::Unknown);
    assert_eq!(signature.verdict, Verdict::Unregistered);
    let fingerprint = inspector().certificate.fingerprint_hex();
    assert_eq!(signature.reasons.len(), 1);
    assert_eq!(signature.reasons[0].code, "unregistered");
    assert_eq!(
        signature.reasons[0].en,
        format!(
            "the signer's certificate (sha-256 {fingerprint}) is not on the trust list: who signed is not established"
        )
    );
    // Reports read back from JSON written before the rename keep their fingerprint.
    let mut json = serde_json::to_value(signature).unwrap();
    let object = json.as_object_mut().unwrap();
    let value = object.remove("cert_sha256").unwrap();
    object.insert("fingerprint".into(), value);
    object.remove("time_source");
    let read: zicha_sign::SignatureReport = serde_json::from_value(json).unwrap();
    assert_eq!(read.cert_sha256.as_deref(), Some(fingerprint.as_str()));
}

/// The certificate (张三 of 福州示例化工有限公司, CREDIT_CODE) against the parties a document
/// records for the role: the finding codes it gets.
#[track_caller]
fn check_party(parties: &[(&str, Option<&str>)], expected: &[&str]) {
    let (signed, _) = signed_once();
    let mut signature = verify(&signed, &TrustList::new()).signatures.remove(0);
    let parties: Vec<Party> = parties
        .iter()
        .map(|(organisation, credit_code)| Party {
            organisation: (*organisation).to_owned(),
            credit_code: credit_code.map(str::to_owned),
        })
        .collect();
    signature.check_party("检查人", &parties);
    let codes: Vec<&str> = signature.reasons.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, expected, "{parties:?}");
    let verdict = if expected.is_empty() {
        Verdict::Valid
    } else {
        Verdict::Invalid
    };
    assert_eq!(signature.verdict, verdict);
}

#[test]
fn the_signer_must_be_the_party_the_signature_stands_for() {
    let mismatch = ["signer-party-mismatch"];
    check_party(&[("福州示例化工有限公司", Some(CREDIT_CODE))], &[]);
    check_party(
        &[(" 福州示例化工有限公司 ", Some(&CREDIT_CODE.to_lowercase()))],
        &[],
    );
    check_party(&[("福州示例化工有限公司", None)], &[]);
    check_party(&[("别家公司", None), ("福州示例化工有限公司", None)], &[]);
    check_party(
        &[("福州示例化工有限公司", Some("91110000100000000R"))],
        &mismatch,
    );
    check_party(
        &[("福州示例化工（集团）有限公司", Some(CREDIT_CODE))],
        &mismatch,
    );
    check_party(&[("别家公司", Some(CREDIT_CODE))], &mismatch);
    check_party(&[], &mismatch);
}

#[test]
fn three_signers_in_sequence_are_all_valid() {
    let (signed, _) = signed_once();
    let twice = sign_as(
        &signed,
        &signer(8, "李四", "福州示例化工有限公司"),
        "企业负责人",
    );
    let thrice = sign_as(&twice, &signer(9, "王五", "福建监理有限公司"), "监理");
    let report = verify(&thrice, &TrustList::new());
    assert_eq!(report.verdict, Verdict::Valid, "{report:#?}");
    let roles: Vec<_> = report
        .signatures
        .iter()
        .map(|signature| signature.role.clone().unwrap())
        .collect();
    assert_eq!(roles, ["检查人", "企业负责人", "监理"]);
    let whole: Vec<_> = report
        .signatures
        .iter()
        .map(|signature| signature.covers_whole_document)
        .collect();
    assert_eq!(whole, [false, false, true]);
}

#[test]
fn unsigned_pdf_is_invalid() {
    let (pdf, _) = make_pdf(2);
    let report = verify(&pdf, &TrustList::new());
    assert_eq!(report.verdict, Verdict::Invalid);
    assert_eq!(report.findings[0].code, "no-signatures");
}

#[test]
fn report_serialises_with_both_languages() {
    let (signed, _) = signed_once();
    let mut broken = signed.clone();
    let at = find(&broken, b"NOT FIXED").unwrap();
    broken[at + 2] = b'W';
    let json = serde_json::to_string(&verify(&broken, &TrustList::new())).unwrap();
    assert!(json.contains("\"verdict\":\"invalid\""), "{json}");
    assert!(json.contains("文档已被篡改"), "{json}");
    assert!(json.contains("the document was altered"), "{json}");
}

#[test]
fn dss_only_revision_stays_valid() {
    // Long-term validation data (a DSS with the signer's certificate) appended after signing is
    // allowed by PAdES and must not be reported as a modification.
    let (signed, layout) = signed_once();
    let catalog = object_body(&signed, layout.catalog);
    let der = inspector().certificate.der().to_vec();
    let hex: String = der.iter().map(|byte| format!("{byte:02x}")).collect();
    let certificate = format!(
        "<< /Length {} /Filter /ASCIIHexDecode >>\nstream\n{hex}>\nendstream",
        hex.len() + 1
    );
    let dss = "<< /Certs [950 0 R] >>".to_string();
    let end = catalog.rfind(">>").unwrap();
    let catalog = format!("{}/DSS 951 0 R{}", &catalog[..end], &catalog[end..]);
    let with_dss = append_revision(
        &signed,
        layout.catalog,
        &[(950, certificate), (951, dss), (layout.catalog, catalog)],
        &[],
    );
    let report = verify(&with_dss, &TrustList::new());
    assert_eq!(report.verdict, Verdict::Valid, "{report:#?}");
    assert!(!report.signatures[0].covers_whole_document);
    // And a signature after the DSS revision leaves both valid.
    let signed_again = sign_as(
        &with_dss,
        &signer(8, "李四", "福州示例化工有限公司"),
        "企业负责人",
    );
    assert_eq!(
        verify(&signed_again, &TrustList::new()).verdict,
        Verdict::Valid
    );
}

#[test]
fn signing_a_chosen_page_and_an_xref_table_base_works() {
    let (pdf, layout) = make_pdf(3);
    // A classic-xref-table revision first, so the signature update must write a table too.
    let info = append_revision(
        &pdf,
        layout.catalog,
        &[(700, "<< /Title (Report) >>".into())],
        &[],
    );
    let mut options = zicha_sign::SignOptions::new("检查人", signing_time());
    options.page = Some(0);
    let signer = inspector();
    let signed = zicha_sign::sign(&info, &signer.key, &signer.certificate, &[], &options).unwrap();
    assert!(String::from_utf8_lossy(&signed[info.len()..]).contains("\nxref\n"));
    let report = verify(&signed, &TrustList::new());
    assert_eq!(report.verdict, Verdict::Valid, "{report:#?}");
    options.page = Some(3);
    let error =
        zicha_sign::sign(&info, &signer.key, &signer.certificate, &[], &options).unwrap_err();
    assert_eq!(
        error.to_string(),
        "page 4 is out of range: the document has 3 pages"
    );
}
