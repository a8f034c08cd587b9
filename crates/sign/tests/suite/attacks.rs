//! Forged and broken files, built here from a freshly signed fixture, each with the reason it must
//! not verify as valid. `cases()` is shared with the interop module, which feeds the same files to
//! pdfsig and pyHanko.

use zicha_sign::{TrustList, Verdict, verify};

use crate::common::*;

pub struct Case {
    pub name: &'static str,
    pub pdf: Vec<u8>,
    pub verdict: Verdict,
    /// A finding code the report must contain (on a signature or the document).
    pub code: &'static str,
}

fn case(name: &'static str, pdf: Vec<u8>, verdict: Verdict, code: &'static str) -> Case {
    Case {
        name,
        pdf,
        verdict,
        code,
    }
}

/// Overwrites bytes in place (offsets stay where they were).
fn patch(pdf: &[u8], at: usize, bytes: &[u8]) -> Vec<u8> {
    let mut out = pdf.to_vec();
    out[at..at + bytes.len()].copy_from_slice(bytes);
    out
}

/// An indirect stream body with the right /Length.
fn stream(extra: &str, data: &str) -> String {
    format!(
        "<< /Length {} {extra} >>\nstream\n{data}\nendstream",
        data.len()
    )
}

/// Changes one hex digit (so the hex string stays well-formed).
fn toggle_hex_digit(pdf: &[u8], at: usize) -> Vec<u8> {
    let mut out = pdf.to_vec();
    out[at] = if out[at] == b'a' { b'b' } else { b'a' };
    out
}

/// The span of the last signature's /Contents hex string: `<` to just after `>`.
fn contents_span(pdf: &[u8]) -> (usize, usize) {
    let start = rfind(pdf, b"/Contents <").unwrap() + b"/Contents ".len();
    let end = start + find(&pdf[start..], b">").unwrap() + 1;
    (start, end)
}

/// The span of the last signature's `/ByteRange [...]`.
fn byte_range_span(pdf: &[u8]) -> (usize, usize) {
    let start = rfind(pdf, b"/ByteRange [").unwrap();
    let end = start + find(&pdf[start..], b"]").unwrap() + 1;
    (start, end)
}

/// `text` padded with spaces to `length` bytes.
fn padded(text: &str, length: usize) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    assert!(bytes.len() <= length);
    bytes.resize(length, b' ');
    bytes
}

/// The number N in `/Key N 0 R` inside an object body.
fn reference_in(body: &str, key: &str) -> u32 {
    let at = body
        .find(&format!("/{key} "))
        .unwrap_or_else(|| panic!("{key} in {body}"))
        + key.len()
        + 2;
    body[at..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// A dictionary body with extra entries added before its closing `>>`.
fn with_entries(body: &str, extra: &str) -> String {
    let end = body.rfind(">>").unwrap();
    format!("{}{extra}{}", &body[..end], &body[end..])
}

pub fn cases() -> Vec<Case> {
    let (signed, layout) = signed_once();
    let catalog_body = object_body(&signed, layout.catalog);
    let acro_form = reference_in(&catalog_body, "AcroForm");
    let (contents_start, contents_end) = contents_span(&signed);
    let (range_start, range_end) = byte_range_span(&signed);
    // Where the CMS ends inside /Contents (the zero padding starts).
    let cms_end = contents_start
        + 1
        + signed[contents_start + 1..]
            .windows(64)
            .position(|window| window.iter().all(|&byte| byte == b'0'))
            .unwrap();
    let mut cases = Vec::new();

    // Byte flips.
    let at = find(&signed, b"NOT FIXED").unwrap();
    // The page says the hazard is fixed now: the signed bytes changed, the digest cannot match.
    cases.push(case(
        "flip-in-page-content",
        patch(&signed, at, b"NOW FIXED"),
        Verdict::Invalid,
        "digest-mismatch",
    ));
    // The signature value (at the end of the CMS) changed: it no longer verifies.
    let flipped_cms = toggle_hex_digit(&signed, cms_end - 10);
    cases.push(case(
        "flip-in-contents-cms",
        flipped_cms,
        Verdict::Invalid,
        "signature-does-not-verify",
    ));
    // A byte of the embedded certificate changed: it is no longer the certificate that was signed.
    cases.push(case(
        "flip-in-contents-certificate",
        toggle_hex_digit(&signed, contents_start + 200),
        Verdict::Invalid,
        "signing-certificate-mismatch",
    ));
    // Data smuggled into the zero padding after the CMS: not part of any signature.
    cases.push(case(
        "flip-in-contents-padding",
        patch(&signed, contents_end - 3, b"1"),
        Verdict::Invalid,
        "cms-trailing-data",
    ));
    // The signing time in the signature dictionary is inside the signed bytes.
    let time_at = rfind(&signed, b"/M (D:2025").unwrap() + 4;
    cases.push(case(
        "flip-in-signature-dictionary",
        patch(&signed, time_at, b"D:2024"),
        Verdict::Invalid,
        "digest-mismatch",
    ));

    // Truncation: the signed revision is no longer complete, so no signature is left; what
    // remains after the last complete revision is unsigned.
    cases.push(case(
        "truncated",
        signed[..signed.len() - 40].to_vec(),
        Verdict::Invalid,
        "no-signatures",
    ));
    // Appended bytes that are not a revision: unsigned, so the file cannot be "valid".
    let mut garbage = signed.clone();
    garbage.extend_from_slice(b"% not a revision\nBT (evil) Tj ET\n");
    cases.push(case(
        "appended-garbage",
        garbage,
        Verdict::Modified,
        "trailing-bytes",
    ));

    // Incremental saving attacks.
    // A later revision replaces page 1's content stream: what is seen changed after signing.
    let content = stream("", "BT /F1 18 Tf 72 760 Td (All hazards fixed.) Tj ET");
    cases.push(case(
        "isa-page-content",
        append_revision(
            &signed,
            layout.catalog,
            &[(layout.content_ids[0], content.clone())],
            &[],
        ),
        Verdict::Modified,
        "page-content-changed",
    ));
    // A later revision adds a FreeText annotation over the finding: visible change.
    let page_body = object_body(&signed, layout.page_ids[0]);
    let annotation = "<< /Type /Annot /Subtype /FreeText /Rect [60 720 400 745] /Contents (FIXED) /DA (/Helv 12 Tf 0 g) >>";
    cases.push(case(
        "isa-add-annotation",
        append_revision(
            &signed,
            layout.catalog,
            &[
                (900, annotation.into()),
                (
                    layout.page_ids[0],
                    with_entries(&page_body, "/Annots [900 0 R]"),
                ),
            ],
            &[],
        ),
        Verdict::Modified,
        "annotation-added",
    ));
    // A later revision rewrites the catalog with an OpenAction script.
    cases.push(case(
        "isa-rewrite-catalog",
        append_revision(
            &signed,
            layout.catalog,
            &[(
                layout.catalog,
                with_entries(
                    &catalog_body,
                    "/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
                ),
            )],
            &[],
        ),
        Verdict::Modified,
        "catalog-changed",
    ));
    // A later revision points the catalog's /Metadata at a stream that is not an XMP packet (an
    // XMP rewrite is allowed; anything else under that key is not).
    let (_, size) = last_xref(&signed);
    cases.push(case(
        "isa-metadata-not-xmp",
        append_revision(
            &signed,
            layout.catalog,
            &[
                (
                    size,
                    stream(
                        "/Type /XObject /Subtype /Form",
                        "BT (GRADE: EXCELLENT) Tj ET",
                    ),
                ),
                (
                    layout.catalog,
                    with_entries(&catalog_body, &format!("/Metadata {size} 0 R")),
                ),
            ],
            &[],
        ),
        Verdict::Modified,
        "catalog-changed",
    ));
    // A later revision drops the signature field from the form: viewers stop showing it.
    let form_body = object_body(&signed, acro_form);
    let fields_at = form_body.find("/Fields").unwrap();
    let fields_end = form_body[fields_at..].find(']').unwrap() + fields_at + 1;
    let without_fields = format!(
        "{}/Fields []{}",
        &form_body[..fields_at],
        &form_body[fields_end..]
    );
    cases.push(case(
        "isa-drop-signature-field",
        append_revision(&signed, layout.catalog, &[(acro_form, without_fields)], &[]),
        Verdict::Modified,
        "form-field-removed",
    ));
    // A later revision replaces the whole catalog with a new object that has no form.
    let new_catalog = format!("<< /Type /Catalog /Pages {} 0 R >>", layout.pages);
    cases.push(case(
        "isa-replace-root",
        append_revision(&signed, 901, &[(901, new_catalog)], &[]),
        Verdict::Modified,
        "form-field-removed",
    ));

    // Signature wrapping: the gap is widened to swallow injected objects and the second range
    // moved to a relocated copy of the original tail; a last xref-only revision re-points the
    // moved objects so the file reads cleanly. The gap is then not exactly /Contents.
    let tail = signed[contents_end..].to_vec();
    let injected = format!(
        ">>\nendobj\n{} 0 obj\n{}\nendobj\n",
        layout.content_ids[0], content
    );
    let mut wrapped = signed[..contents_end].to_vec();
    wrapped.extend_from_slice(injected.as_bytes());
    let relocated = wrapped.len();
    wrapped.extend_from_slice(&tail);
    let new_range = format!("/ByteRange [0 {contents_start} {relocated} {}]", tail.len());
    let wrapped = patch(
        &wrapped,
        range_start,
        &padded(&new_range, range_end - range_start),
    );
    let shift = relocated - contents_end;
    let mut moved = Vec::new();
    for position in 0..tail.len() {
        if !tail[position..].starts_with(b" 0 obj\n") {
            continue;
        }
        let line_start = tail[..position]
            .iter()
            .rposition(|&byte| byte == b'\n')
            .map_or(0, |at| at + 1);
        if let Ok(number) = std::str::from_utf8(&tail[line_start..position])
            .unwrap_or("")
            .parse::<u32>()
        {
            moved.push((number, contents_end + line_start + shift));
        }
    }
    moved.push((layout.content_ids[0], contents_end + 10));
    let old_xref = last_xref(&signed).0;
    let wrapped = append_revision_with_prev(
        &wrapped,
        layout.catalog,
        &[],
        &moved,
        Some(old_xref + shift),
    );
    cases.push(case(
        "signature-wrapping",
        wrapped,
        Verdict::Invalid,
        "byte-range-gap",
    ));
    // Wrapping inside the gap: /Contents is closed early and an object is hidden in its former
    // padding (inside a string, so the dictionary still parses); a later xref-only revision
    // points page 1's content there.
    let mut inside = signed.clone();
    let hidden = format!(
        ">/Pad (\n{} 0 obj\n{}\nendobj\n)/Pad2 <",
        layout.content_ids[0], content
    );
    let hidden_at = cms_end + 64;
    inside[hidden_at..hidden_at + hidden.len()].copy_from_slice(hidden.as_bytes());
    let inside = append_revision(
        &inside,
        layout.catalog,
        &[],
        &[(layout.content_ids[0], hidden_at + 8)],
    );
    cases.push(case(
        "signature-wrapping-in-gap",
        inside,
        Verdict::Invalid,
        "byte-range-gap",
    ));

    // Universal signature forgery.
    // No /ByteRange at all: nothing says what is signed.
    cases.push(case(
        "usf-missing-byte-range",
        patch(&signed, range_start, &padded("", range_end - range_start)),
        Verdict::Invalid,
        "byte-range-missing",
    ));
    // A zero ByteRange signs nothing.
    cases.push(case(
        "usf-zero-byte-range",
        patch(
            &signed,
            range_start,
            &padded("/ByteRange [0 0 0 0]", range_end - range_start),
        ),
        Verdict::Invalid,
        "byte-range-malformed",
    ));
    // An empty /Contents: no signature at all (padding keeps offsets; the gap no longer fits).
    let mut empty = b"<>".to_vec();
    empty.resize(contents_end - contents_start, b' ');
    cases.push(case(
        "usf-empty-contents",
        patch(&signed, contents_start, &empty),
        Verdict::Invalid,
        "byte-range-gap",
    ));
    // /Contents of zeros: no CMS to check.
    let mut zeros = vec![b'0'; contents_end - contents_start];
    zeros[0] = b'<';
    *zeros.last_mut().unwrap() = b'>';
    cases.push(case(
        "usf-zero-contents",
        patch(&signed, contents_start, &zeros),
        Verdict::Invalid,
        "cms-malformed",
    ));
    // The CMS cut in half: it does not parse.
    let half = (contents_start + 1 + cms_end) / 2;
    let truncated_cms = patch(&signed, half, &vec![b'0'; cms_end - half]);
    cases.push(case(
        "usf-truncated-cms",
        truncated_cms,
        Verdict::Invalid,
        "cms-malformed",
    ));
    // A valid CMS from another document signed by the same key: its digest is of other bytes.
    let (other, _) = make_pdf(1);
    let other_signed = sign_as(&other, &inspector(), "检查人");
    let (other_start, other_end) = contents_span(&other_signed);
    let other_cms = &other_signed[other_start..other_end];
    let mut transplanted = signed.clone();
    let length = other_cms.len().min(contents_end - contents_start);
    transplanted[contents_start..contents_start + length].copy_from_slice(&other_cms[..length]);
    cases.push(case(
        "usf-cms-from-other-document",
        transplanted,
        Verdict::Invalid,
        "digest-mismatch",
    ));

    // Shadow attacks.
    // Hide-and-show: page 1 already references a form XObject saying "ALL HAZARDS FIXED" that is
    // never drawn; after signing, the content is changed to draw it.
    let reveal = stream("", "/X1 Do");
    cases.push(case(
        "shadow-reveal-hidden-xobject",
        append_revision(
            &signed,
            layout.catalog,
            &[
                (902, reveal),
                (
                    layout.page_ids[0],
                    page_body.replace(
                        &format!("/Contents {} 0 R", layout.content_ids[0]),
                        "/Contents 902 0 R",
                    ),
                ),
            ],
            &[],
        ),
        Verdict::Modified,
        "page-content-changed",
    ));
    cases.push(shadow_xref_only());
    cases.push(shadow_dangling_reference());
    cases
}

/// Shadow attack with an xref-only revision: before signing, the author hides a second body for
/// page 1's content stream inside an unreferenced stream; after signing, a revision that holds
/// nothing but a cross-reference entry points page 1's content at the hidden body.
fn shadow_xref_only() -> Case {
    let (pdf, layout) = make_pdf(3);
    let content_number = layout.content_ids[0];
    let hidden = format!(
        "\n{content_number} 0 obj\n{}\nendobj\n",
        stream("", "BT /F1 18 Tf 72 760 Td (No hazards found.) Tj ET")
    );
    let carrier = stream("", &hidden);
    let prepared = append_revision(&pdf, layout.catalog, &[(800, carrier)], &[]);
    let signed = sign_as(&prepared, &inspector(), "检查人");
    let hidden_at = find(&signed, hidden.as_bytes()).unwrap() + 1;
    Case {
        name: "shadow-xref-only-revision",
        pdf: append_revision(&signed, layout.catalog, &[], &[(content_number, hidden_at)]),
        verdict: Verdict::Modified,
        code: "page-content-changed",
    }
}

/// Shadow attack through a dangling reference: when signed, page 1 draws /X2, which refers to an
/// object that does not exist (so nothing shows); a later revision defines that object.
fn shadow_dangling_reference() -> Case {
    let (pdf, layout) = make_pdf(2);
    let page_body = object_body(&pdf, layout.page_ids[0]);
    let content = stream("", "/X2 Do");
    let page = page_body
        .replace("/XObject<<", "/XObject<</X2 990 0 R ")
        .replace("/XObject <<", "/XObject << /X2 990 0 R ");
    assert!(page.contains("990 0 R"), "{page_body}");
    let page = page.replace(
        &format!("/Contents {} 0 R", layout.content_ids[0]),
        &format!("/Contents [{} 0 R 801 0 R]", layout.content_ids[0]),
    );
    let prepared = append_revision(
        &pdf,
        layout.catalog,
        &[(801, content), (layout.page_ids[0], page)],
        &[],
    );
    let signed = sign_as(&prepared, &inspector(), "检查人");
    let xobject = stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 595 842]",
        "BT /F1 30 Tf 72 400 Td (ALL HAZARDS FIXED) Tj ET",
    );
    Case {
        name: "shadow-dangling-reference",
        pdf: append_revision(&signed, layout.catalog, &[(990, xobject)], &[]),
        verdict: Verdict::Modified,
        code: "reference-filled-later",
    }
}

#[track_caller]
fn check(case: &Case) {
    let report = verify(&case.pdf, &TrustList::new());
    let codes: Vec<&str> = report
        .findings
        .iter()
        .chain(
            report
                .signatures
                .iter()
                .flat_map(|signature| signature.reasons.iter()),
        )
        .map(|finding| finding.code.as_str())
        .collect();
    assert_eq!(report.verdict, case.verdict, "{}: {codes:?}", case.name);
    assert!(
        codes.iter().any(|code| code.starts_with(case.code)),
        "{}: expected {} in {codes:?}",
        case.name,
        case.code
    );
    for finding in report.findings.iter().chain(
        report
            .signatures
            .iter()
            .flat_map(|signature| signature.reasons.iter()),
    ) {
        assert!(!finding.en.is_empty() && !finding.zh.is_empty());
    }
}

#[test]
fn every_attack_is_caught_with_its_reason() {
    let cases = cases();
    assert!(cases.len() >= 20);
    for case in &cases {
        check(case);
    }
}

#[test]
fn the_fixture_itself_is_valid() {
    // Guards the attack table: every case starts from a file that verifies.
    let (signed, _) = signed_once();
    assert_eq!(verify(&signed, &TrustList::new()).verdict, Verdict::Valid);
}
