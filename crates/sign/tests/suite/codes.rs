//! One case per reason code of the verifier that `attacks.rs` (whose cases pdfsig and pyHanko also
//! see) does not produce: each built from a freshly signed fixture, with the verdict and the code
//! it must give. `every_code_is_asserted` reads the codes out of `src/findings.rs` and fails when a
//! code is asserted by no test, so a new code comes with its case.

use der::{Decode, Encode};
use time::macros::datetime;
use x509_cert::TbsCertificate;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};
use zicha_sign::{
    CertificateSubject, SignOptions, SigningKey, TrustList, Verdict, assemble_certificate,
    self_issued_tbs, verify,
};

use crate::attacks;
use crate::common::*;

struct Case {
    name: &'static str,
    pdf: Vec<u8>,
    verdict: Verdict,
    code: &'static str,
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

/// Replaces the last occurrence of `from` by `to` (same length).
fn patch_last(pdf: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let at = rfind(pdf, from).unwrap_or_else(|| panic!("{}", String::from_utf8_lossy(from)));
    patch(pdf, at, to)
}

/// The span of the last signature's /Contents hex string: `<` to just after `>`.
fn contents_span(pdf: &[u8]) -> (usize, usize) {
    let start = rfind(pdf, b"/Contents <").unwrap() + b"/Contents ".len();
    let end = start + find(&pdf[start..], b">").unwrap() + 1;
    (start, end)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Rewrites the hex of the CMS in /Contents: the `occurrence`-th (0-based) match of `from` inside
/// the CMS becomes `to` (same length). The signed bytes of the file do not change.
fn patch_cms(pdf: &[u8], from: &[u8], to: &[u8], occurrence: usize) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let (start, end) = contents_span(pdf);
    let (from, to) = (hex(from), hex(to));
    let text = String::from_utf8_lossy(&pdf[start..end]).to_lowercase();
    let at = text
        .match_indices(&from)
        .map(|(at, _)| at)
        .filter(|at| at % 2 == 1) // on a byte boundary after the '<'
        .nth(occurrence)
        .unwrap_or_else(|| panic!("occurrence {occurrence} of {from} in the cms"));
    patch(pdf, start + at, to.as_bytes())
}

/// A dictionary body with extra entries added before its closing `>>`.
fn with_entries(body: &str, extra: &str) -> String {
    let end = body.rfind(">>").unwrap();
    format!("{}{extra}{}", &body[..end], &body[end..])
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

/// The AcroForm of a signed fixture with `field` added in front of its /Fields.
fn form_with_field(pdf: &[u8], acro_form: u32, field: u32) -> String {
    let body = object_body(pdf, acro_form);
    let at = body.find("/Fields").unwrap() + "/Fields".len();
    let bracket = body[at..].find('[').unwrap() + at + 1;
    format!("{}{field} 0 R {}", &body[..bracket], &body[bracket..])
}

/// Appends a revision whose cross-reference section marks `number` free (deleted).
fn append_deletion(pdf: &[u8], root: u32, number: u32) -> Vec<u8> {
    let (prev, size) = last_xref(pdf);
    let mut out = pdf.to_vec();
    let xref_at = out.len();
    out.extend_from_slice(
        format!(
            "xref\n0 1\n0000000000 65535 f\r\n{number} 1\n0000000000 00001 f\r\ntrailer\n<< /Size {size} /Root {root} 0 R /Prev {prev} >>\nstartxref\n{xref_at}\n%%EOF\n"
        )
        .as_bytes(),
    );
    out
}

/// A certificate for `key` like the app's, with its TBS changed by `edit` (then signed again).
fn edited_certificate(
    key: &SigningKey,
    edit: impl FnOnce(&mut TbsCertificate),
) -> zicha_sign::Certificate {
    let subject = CertificateSubject {
        organisation: "福州示例化工有限公司".into(),
        signer: "张三".into(),
        credit_code: CREDIT_CODE.into(),
        not_before: datetime!(2025-01-01 00:00:00 UTC),
        not_after: datetime!(2045-01-01 00:00:00 UTC),
    };
    let tbs = self_issued_tbs(&subject, &key.public_key_der().unwrap()).unwrap();
    let mut tbs = TbsCertificate::from_der(&tbs).unwrap();
    edit(&mut tbs);
    let tbs = tbs.to_der().unwrap();
    let signature = key.sign(&tbs).unwrap();
    assemble_certificate(&tbs, &signature).unwrap()
}

/// Sets the value of the extension `oid` in a TBS.
fn set_extension(tbs: &mut TbsCertificate, oid: const_oid::ObjectIdentifier, value: Vec<u8>) {
    let extension = tbs
        .extensions
        .as_mut()
        .unwrap()
        .iter_mut()
        .find(|extension| extension.extn_id == oid)
        .unwrap();
    extension.extn_value = der::asn1::OctetString::new(value).unwrap();
}

/// The 3-page fixture signed by `certificate` (with `key`) at `time`.
fn signed_with(
    key: &SigningKey,
    certificate: &zicha_sign::Certificate,
    time: time::OffsetDateTime,
) -> Vec<u8> {
    let (pdf, _) = make_pdf(3);
    let options = SignOptions::new("检查人", time).with_appearance_font(report_font());
    zicha_sign::sign(&pdf, key, certificate, &[], &options).expect("signing works")
}

// DER of the object identifiers the CMS patches look for.
const SHA_256: &[u8] = &[
    0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
];
const SHA_384: &[u8] = &[
    0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02,
];
const ID_DATA: &[u8] = &[
    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01,
];
const ID_SIGNED_DATA: &[u8] = &[
    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02,
];

fn cases() -> Vec<Case> {
    let (signed, layout) = signed_once();
    let catalog_body = object_body(&signed, layout.catalog);
    let acro_form = reference_in(&catalog_body, "AcroForm");
    let (_, contents_end) = contents_span(&signed);
    let mut cases = Vec::new();

    // The signature dictionary and its /Contents.
    cases.push(case(
        "subfilter-not-pades",
        patch_last(&signed, b"/ETSI.CAdES.detached", b"/ETSI.CAdES.detachex"),
        Verdict::Invalid,
        "unsupported-subfilter",
    ));
    // Two padding zeros become spaces: a viewer decodes the same hex, but the unsigned gap now
    // holds bytes that are not hex digits.
    cases.push(case(
        "contents-with-spaces",
        patch(&signed, contents_end - 3, b"  "),
        Verdict::Invalid,
        "contents-not-hex",
    ));
    // The ByteRange stops one byte short of the revision's end (the numbers keep their width).
    let range_at = rfind(&signed, b"/ByteRange [").unwrap();
    let range_end = range_at + find(&signed[range_at..], b"]").unwrap() + 1;
    let range_text = String::from_utf8_lossy(&signed[range_at..range_end]).into_owned();
    let numbers: Vec<u64> = range_text["/ByteRange [".len()..range_text.len() - 1]
        .split_whitespace()
        .map(|number| number.parse().unwrap())
        .collect();
    let mut shorter = format!(
        "/ByteRange [{} {} {} {}]",
        numbers[0],
        numbers[1],
        numbers[2],
        numbers[3] - 1
    )
    .into_bytes();
    shorter.resize(range_end - range_at, b' ');
    cases.push(case(
        "byte-range-short-of-revision",
        patch(&signed, range_at, &shorter),
        Verdict::Invalid,
        "byte-range-end",
    ));
    // A later revision adds a signature field whose value is a direct dictionary: a signature
    // dictionary must be an indirect object of its own (in a classic xref section) to be located.
    let (_, size) = last_xref(&signed);
    cases.push(case(
        "signature-value-direct",
        append_revision(
            &signed,
            layout.catalog,
            &[
                (
                    size,
                    "<< /FT /Sig /T (Forged) /V << /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached >> >>".into(),
                ),
                (acro_form, form_with_field(&signed, acro_form, size)),
            ],
            &[],
        ),
        Verdict::Invalid,
        "signature-in-object-stream",
    ));
    // ... or whose value is no dictionary at all.
    cases.push(case(
        "signature-value-not-a-dictionary",
        append_revision(
            &signed,
            layout.catalog,
            &[
                (size, "42".into()),
                (
                    size + 1,
                    format!("<< /FT /Sig /T (Forged) /V {size} 0 R >>"),
                ),
                (acro_form, form_with_field(&signed, acro_form, size + 1)),
            ],
            &[],
        ),
        Verdict::Invalid,
        "contents-missing",
    ));

    // The CMS (patched inside /Contents, outside the signed bytes).
    // The signer info's digest algorithm (the second SHA-256 identifier, after the SignedData's
    // list) says SHA-384.
    cases.push(case(
        "cms-digest-sha384",
        patch_cms(&signed, SHA_256, SHA_384, 1),
        Verdict::Invalid,
        "unsupported-algorithm",
    ));
    // The signed content-type attribute (the last id-data) names signed-data.
    let content_type = patch_cms(
        &signed,
        ID_DATA,
        ID_SIGNED_DATA,
        count_in_cms(&signed, ID_DATA) - 1,
    );
    cases.push(case(
        "cms-content-type-attribute",
        content_type,
        Verdict::Invalid,
        "attribute-missing",
    ));
    // The signer identifier's serial number no longer names the embedded certificate.
    let serial = inspector_serial();
    let mut other_serial = serial.clone();
    *other_serial.last_mut().unwrap() ^= 1;
    cases.push(case(
        "cms-signer-identifier",
        patch_cms(&signed, &serial, &other_serial, 1),
        Verdict::Invalid,
        "signer-certificate-missing",
    ));

    // The signed revision's field holds no /V (it is renamed /W before signing, so the signature
    // stays valid over those bytes); a later revision sets /V to the signature: the signature
    // was not the value of a field in the revision it signs.
    let field_value = rfind(&signed, b"/FT /Sig")
        .map(|at| at + find(&signed[at..], b"/V ").unwrap())
        .unwrap();
    let field_number = object_number_at(&signed, field_value);
    let field_body = object_body(&signed, field_number);
    let unfielded = resign(&patch(&signed, field_value, b"/W "), &inspector().key);
    cases.push(case(
        "signature-value-set-later",
        append_revision(
            &unfielded,
            layout.catalog,
            &[(field_number, field_body)],
            &[],
        ),
        Verdict::Invalid,
        "signature-not-in-field",
    ));

    // The certificate and the signing time.
    let key = SigningKey::p256_from_bytes(&[7; 32]).unwrap();
    let only_key_agreement = edited_certificate(&key, |tbs| {
        set_extension(
            tbs,
            const_oid::db::rfc5280::ID_CE_KEY_USAGE,
            KeyUsage(KeyUsages::KeyAgreement.into()).to_der().unwrap(),
        );
    });
    cases.push(case(
        "certificate-for-key-agreement",
        signed_with(&key, &only_key_agreement, signing_time()),
        Verdict::Invalid,
        "key-usage",
    ));
    let ca = edited_certificate(&key, |tbs| {
        set_extension(
            tbs,
            const_oid::db::rfc5280::ID_CE_BASIC_CONSTRAINTS,
            BasicConstraints {
                ca: true,
                path_len_constraint: None,
            }
            .to_der()
            .unwrap(),
        );
    });
    cases.push(case(
        "certificate-of-a-ca",
        signed_with(&key, &ca, signing_time()),
        Verdict::Invalid,
        "certificate-is-ca",
    ));
    // A year before 0 is written `D:-001...`, which is no PDF date: the signature has no time
    // to check the certificate against.
    cases.push(case(
        "signing-time-unreadable",
        signed_with(
            &inspector().key,
            &inspector().certificate,
            datetime!(-0001-06-01 10:30:00 +08:00),
        ),
        Verdict::Invalid,
        "signing-time-missing",
    ));

    // Changes after signing, one per kind the diff names.
    let page_body = object_body(&signed, layout.page_ids[0]);
    cases.push(case(
        "page-media-box",
        append_revision(
            &signed,
            layout.catalog,
            &[(layout.page_ids[0], with_entries(&page_body, "/Rotate 90"))],
            &[],
        ),
        Verdict::Modified,
        "page-changed",
    ));
    let pages_body = object_body(&signed, layout.pages);
    cases.push(case(
        "pages-node",
        append_revision(
            &signed,
            layout.catalog,
            &[(layout.pages, with_entries(&pages_body, "/Rotate 180"))],
            &[],
        ),
        Verdict::Modified,
        "page-tree-changed",
    ));
    cases.push(case(
        "catalog-layers",
        append_revision(
            &signed,
            layout.catalog,
            &[(
                layout.catalog,
                with_entries(
                    &catalog_body,
                    "/OCProperties << /OCGs [] /D << /ON [] /OFF [] >> >>",
                ),
            )],
            &[],
        ),
        Verdict::Modified,
        "optional-content-changed",
    ));
    cases.push(case(
        "catalog-names",
        append_revision(
            &signed,
            layout.catalog,
            &[(
                layout.catalog,
                with_entries(&catalog_body, "/Names << /EmbeddedFiles << /Names [] >> >>"),
            )],
            &[],
        ),
        Verdict::Modified,
        "attachments-changed",
    ));
    let form_body = object_body(&signed, acro_form);
    cases.push(case(
        "form-need-appearances",
        append_revision(
            &signed,
            layout.catalog,
            &[(acro_form, with_entries(&form_body, "/NeedAppearances true"))],
            &[],
        ),
        Verdict::Modified,
        "form-changed",
    ));
    cases.push(case(
        "form-text-field",
        append_revision(
            &signed,
            layout.catalog,
            &[
                (size, "<< /FT /Tx /T (Grade) /V (A) >>".into()),
                (acro_form, form_with_field(&signed, acro_form, size)),
            ],
            &[],
        ),
        Verdict::Modified,
        "form-field-added",
    ));
    // The last page holds the signature's widget; a later revision empties its /Annots.
    let last_page = *layout.page_ids.last().unwrap();
    let last_body = object_body(&signed, last_page);
    let annots_at = last_body.find("/Annots").unwrap();
    let annots_end = last_body[annots_at..].find(']').unwrap() + annots_at + 1;
    let without_annots = format!(
        "{}/Annots []{}",
        &last_body[..annots_at],
        &last_body[annots_end..]
    );
    cases.push(case(
        "annotations-emptied",
        append_revision(&signed, layout.catalog, &[(last_page, without_annots)], &[]),
        Verdict::Modified,
        "annotations-removed",
    ));
    // The page's font (signed, no role of its own) is redefined.
    let font = font_number(&signed);
    cases.push(case(
        "font-redefined",
        append_revision(
            &signed,
            layout.catalog,
            &[(
                font,
                "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>".into(),
            )],
            &[],
        ),
        Verdict::Modified,
        "object-redefined",
    ));
    cases.push(case(
        "font-deleted",
        append_deletion(&signed, layout.catalog, font),
        Verdict::Modified,
        "object-deleted",
    ));
    // The trailer of the last revision names a catalog that is no dictionary.
    cases.push(case(
        "root-not-a-dictionary",
        append_revision(&signed, size, &[(size, "[1 2 3]".into())], &[]),
        Verdict::Modified,
        "root-replaced",
    ));
    // The last revision's xref points page 1's content at the file header: that revision cannot
    // be read where it redefines a signed object.
    cases.push(case(
        "xref-into-the-header",
        append_revision(&signed, layout.catalog, &[], &[(layout.content_ids[0], 2)]),
        Verdict::Modified,
        "unreadable-revision",
    ));
    cases
}

/// How many times `needle` occurs (on byte boundaries) in the last signature's CMS.
fn count_in_cms(pdf: &[u8], needle: &[u8]) -> usize {
    let (start, end) = contents_span(pdf);
    let text = String::from_utf8_lossy(&pdf[start..end]).to_lowercase();
    text.match_indices(&hex(needle))
        .filter(|(at, _)| at % 2 == 1)
        .count()
}

/// The DER INTEGER (tag, length, value) of the inspector's certificate serial number.
fn inspector_serial() -> Vec<u8> {
    let certificate = x509_cert::Certificate::from_der(inspector().certificate.der()).unwrap();
    certificate.tbs_certificate.serial_number.to_der().unwrap()
}

/// The number of the object whose body holds offset `at` (classic `N 0 obj` headers).
fn object_number_at(pdf: &[u8], at: usize) -> u32 {
    let header = rfind(&pdf[..at], b" 0 obj").unwrap();
    let line = pdf[..header]
        .iter()
        .rposition(|&byte| byte == b'\n')
        .unwrap();
    std::str::from_utf8(&pdf[line + 1..header])
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Signs the last signature's ByteRange again after its bytes were patched: the CMS in /Contents
/// gets the new message digest and a new signature by `key` over its signed attributes, so the
/// signature verifies over the patched bytes (what a signer who wrote those bytes would get).
fn resign(pdf: &[u8], key: &SigningKey) -> Vec<u8> {
    use cms::content_info::ContentInfo;
    use cms::signed_data::{SignedData, SignerInfos};
    use der::asn1::{OctetString, SetOfVec};
    use der::{Any, SliceReader};
    use sha2::{Digest, Sha256};

    let (start, end) = contents_span(pdf);
    let range_at = rfind(pdf, b"/ByteRange [").unwrap() + b"/ByteRange [".len();
    let range_end = range_at + find(&pdf[range_at..], b"]").unwrap();
    let range: Vec<usize> = std::str::from_utf8(&pdf[range_at..range_end])
        .unwrap()
        .split_whitespace()
        .map(|number| number.parse().unwrap())
        .collect();
    let digest = Sha256::new()
        .chain_update(&pdf[range[0]..range[0] + range[1]])
        .chain_update(&pdf[range[2]..range[2] + range[3]])
        .finalize();
    let text = std::str::from_utf8(&pdf[start + 1..end - 1]).unwrap();
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&text[at..at + 2], 16).unwrap())
        .collect();
    let mut reader = SliceReader::new(&bytes).unwrap();
    let mut content_info = ContentInfo::decode(&mut reader).unwrap();
    let mut signed_data: SignedData = content_info.content.decode_as().unwrap();
    let mut signers = signed_data.signer_infos.0.into_vec();
    let signer = &mut signers[0];
    let attributes: Vec<_> = signer
        .signed_attrs
        .take()
        .unwrap()
        .into_vec()
        .into_iter()
        .map(|mut attribute| {
            if attribute.oid == const_oid::db::rfc5911::ID_MESSAGE_DIGEST {
                let value =
                    Any::encode_from(&OctetString::new(digest.as_slice()).unwrap()).unwrap();
                attribute.values = SetOfVec::try_from(vec![value]).unwrap();
            }
            attribute
        })
        .collect();
    let attributes = SetOfVec::try_from(attributes).unwrap();
    let signature = key.sign(&attributes.to_der().unwrap()).unwrap();
    signer.signed_attrs = Some(attributes);
    signer.signature = OctetString::new(signature).unwrap();
    signed_data.signer_infos = SignerInfos(SetOfVec::try_from(signers).unwrap());
    content_info.content = Any::encode_from(&signed_data).unwrap();
    let mut contents = hex(&content_info.to_der().unwrap()).into_bytes();
    assert!(
        contents.len() <= end - start - 2,
        "the new cms fits the reserved space"
    );
    contents.resize(end - start - 2, b'0');
    patch(pdf, start + 1, &contents)
}

/// The object number of the fixture's Helvetica font.
fn font_number(pdf: &[u8]) -> u32 {
    let at = find(pdf, b"/BaseFont /Helvetica")
        .or_else(|| find(pdf, b"/BaseFont/Helvetica"))
        .unwrap();
    let header = rfind(&pdf[..at], b" 0 obj").unwrap();
    let line = pdf[..header]
        .iter()
        .rposition(|&byte| byte == b'\n')
        .unwrap();
    std::str::from_utf8(&pdf[line + 1..header])
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Every code in the report for `pdf`, document findings and each signature's reasons.
fn codes_of(pdf: &[u8]) -> (Verdict, Vec<String>) {
    let report = verify(pdf, &TrustList::new());
    let codes = report
        .findings
        .iter()
        .chain(report.signatures.iter().flat_map(|s| s.reasons.iter()))
        .map(|finding| finding.code.clone())
        .collect();
    (report.verdict, codes)
}

#[test]
fn every_case_gives_its_code() {
    let mut failures = Vec::new();
    for case in cases() {
        let (verdict, codes) = codes_of(&case.pdf);
        if verdict != case.verdict || !codes.iter().any(|code| code == case.code) {
            failures.push(format!(
                "{}: expected {:?} with {}, got {verdict:?} with {codes:?}",
                case.name, case.verdict, case.code
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Codes asserted by tests outside the two case tables, with where.
const ASSERTED_ELSEWHERE: &[(&str, &str)] = &[
    (
        "unregistered",
        "verify.rs a_signer_missing_from_the_trust_list_is_unregistered",
    ),
    (
        "signer-party-mismatch",
        "verify.rs the_signer_must_be_the_party_the_signature_stands_for",
    ),
    (
        "certificate-not-valid",
        "keys.rs (a certificate outside its validity)",
    ),
    (
        "unreadable",
        "tests/it/verify_batch.rs (a file that is no pdf)",
    ),
];

#[test]
fn every_code_is_asserted() {
    let source = include_str!("../../src/findings.rs");
    // Every code is the first element of a `("code", en, zh)` tuple in `Problem::finding`.
    let mut codes: Vec<&str> = Vec::new();
    let body = &source[source.find("pub(crate) fn finding").unwrap()..];
    for line in body.lines() {
        let line = line.trim();
        let rest = line
            .split_once("=> (\"")
            .map(|(_, rest)| rest)
            .or_else(|| line.strip_prefix('"').filter(|_| line.ends_with("\",")));
        if let Some(rest) = rest
            && let Some(code) = rest.split('"').next()
            && !code.is_empty()
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
        {
            codes.push(code);
        }
    }
    codes.sort_unstable();
    codes.dedup();
    assert!(codes.len() >= 40, "codes read from findings.rs: {codes:?}");
    let mut asserted: Vec<String> = cases().iter().map(|case| case.code.to_string()).collect();
    asserted.extend(attacks::cases().iter().map(|case| case.code.to_string()));
    asserted.extend(ASSERTED_ELSEWHERE.iter().map(|(code, _)| code.to_string()));
    let missing: Vec<&&str> = codes
        .iter()
        .filter(|code| !asserted.iter().any(|asserted| asserted == *code))
        .collect();
    assert!(missing.is_empty(), "codes no test asserts: {missing:?}");
}

#[test]
fn resigning_an_unchanged_file_keeps_it_valid() {
    // Guards `resign`: the CMS it rebuilds is one the verifier accepts, so the case built with it
    // fails for its patch and nothing else.
    let (signed, _) = signed_once();
    let again = resign(&signed, &inspector().key);
    assert_eq!(codes_of(&again), (Verdict::Valid, vec![]));
    // And a patch inside the signed bytes, signed again, verifies (it fails without `resign`).
    let at = find(&signed, b"NOT FIXED").unwrap();
    let patched = patch(&signed, at, b"NOW FIXED");
    assert_eq!(codes_of(&patched).0, Verdict::Invalid);
    let resigned = resign(&patched, &inspector().key);
    assert_eq!(codes_of(&resigned), (Verdict::Valid, vec![]));
}
