//! Embedded files: listed with their bytes, and whether a valid signature covers them.

use zicha_sign::{Error, TrustList, Verdict, embedded_files, embedded_files_with, verify};

use crate::common::*;

/// The fixture with `inspection.json` attached (name tree and /AF), before signing.
fn with_attachment(json: &str) -> (Vec<u8>, Layout) {
    let (pdf, layout) = make_pdf(2);
    let catalog = object_body(&pdf, layout.catalog);
    let end = catalog.rfind(">>").unwrap();
    let catalog = format!(
        "{} /Names << /EmbeddedFiles 702 0 R >> /AF [701 0 R]{}",
        &catalog[..end],
        &catalog[end..]
    );
    let objects = [
        (700, format!("<< /Type /EmbeddedFile /Subtype /application#2Fjson /Length {} >>\nstream\n{json}\nendstream", json.len())),
        (701, "<< /Type /Filespec /F (inspection.json) /UF (inspection.json) /AFRelationship /Data /EF << /F 700 0 R >> >>".into()),
        (702, "<< /Names [(inspection.json) 701 0 R] >>".into()),
        (layout.catalog, catalog),
    ];
    (append_revision(&pdf, layout.catalog, &objects, &[]), layout)
}

#[test]
fn signed_attachment_is_returned_and_marked_signed() {
    let (pdf, _) = with_attachment("{\"score\": 87}");
    let signed = sign_as(&pdf, &inspector(), "检查人");
    let files = embedded_files(&signed).unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].name, "inspection.json");
    assert_eq!(files[0].bytes, b"{\"score\": 87}");
    assert_eq!(files[0].mime_type.as_deref(), Some("application/json"));
    assert_eq!(files[0].relationship.as_deref(), Some("Data"));
    assert!(files[0].signed);
    // Unsigned, the same file is listed but not signed.
    assert!(!embedded_files(&pdf).unwrap()[0].signed);
}

#[test]
fn attachment_replaced_after_signing_is_not_signed() {
    // The attacker swaps the inspection data in a later revision: the document is modified and
    // the attachment now read is outside the signed bytes.
    let (pdf, layout) = with_attachment("{\"score\": 87}");
    let signed = sign_as(&pdf, &inspector(), "检查人");
    let forged_json = "{\"score\": 99}";
    let forged = append_revision(
        &signed,
        layout.catalog,
        &[(
            700,
            format!(
                "<< /Type /EmbeddedFile /Length {} >>\nstream\n{forged_json}\nendstream",
                forged_json.len()
            ),
        )],
        &[],
    );
    assert_eq!(
        verify(&forged, &TrustList::new()).verdict,
        Verdict::Modified
    );
    let files = embedded_files(&forged).unwrap();
    assert_eq!(files[0].bytes, forged_json.as_bytes());
    assert!(!files[0].signed);
}

#[test]
fn a_verification_report_is_reused_and_one_for_other_bytes_refused() {
    let (pdf, _) = with_attachment("{\"score\": 87}");
    let signed = sign_as(&pdf, &inspector(), "检查人");
    // The caller verified already (with its trust list): listing the files reuses that report.
    let mut trust = TrustList::new();
    trust.add_certificate(&inspector().certificate);
    let report = verify(&signed, &trust);
    let files = embedded_files_with(&signed, &report).unwrap();
    assert_eq!(files.len(), 1);
    assert!(files[0].signed);
    assert_eq!(files[0].signed_by, [0]);
    assert_eq!(
        files[0].bytes,
        embedded_files(&signed).unwrap()[0].bytes,
        "the convenience function agrees"
    );
    // The unsigned file's report would mark nothing signed; the signed file's report must not be
    // applied to the unsigned bytes.
    let error = embedded_files_with(&pdf, &report).unwrap_err();
    assert!(matches!(error, Error::InvalidArgument(_)), "{error}");
    let unsigned_report = verify(&pdf, &TrustList::new());
    assert!(!embedded_files_with(&pdf, &unsigned_report).unwrap()[0].signed);
}
