//! The proof that a signed report's pages are what its data renders to (issue 15 §2): reports
//! doctored before signing, each signed afterwards with the enterprise's own key, must not verify
//! as valid, and the finding must name the page and the kind of change; untouched reports of every
//! sector are proven; reports without a proof record (the older layout) say they cannot be proven.

use std::sync::OnceLock;

use lopdf::{Dictionary, Document, IncrementalDocument, Object, ObjectId, Stream, StringFormat};
use time::macros::{date, datetime};
use zicha_core::bundle::Bundle;
use zicha_report::check::{FileResult, check};
use zicha_report::proof::ProofStatus;
use zicha_report::{Fonts, Handwritten, Options, Role};
use zicha_sign::{CertificateSubject, SignOptions, SigningKey, TrustList, Verdict};

const FONT: &[u8] = include_bytes!("../../../assets/fonts/wqy-microhei.ttc");

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts::new(FONT, 0).expect("font"))
}

fn bundle(sector: &str) -> Bundle {
    let checklist = zicha_core::catalog::by_id(sector).expect("built-in checklist");
    let source = zicha_core::catalog::source_of(&checklist.reference());
    zicha_core::sample::sample(checklist, source, 11, date!(2026 - 03 - 01))
}

fn options(fonts: &Fonts) -> Options<'_> {
    Options::new(
        fonts,
        datetime!(2026-03-02 18:00 +08:00),
        "ZC-PROOF-0001",
        date!(2026 - 03 - 02),
    )
}

fn render(bundle: &Bundle, options: &Options<'_>) -> Vec<u8> {
    let checklist = bundle.checklist().expect("the bundle's checklist");
    zicha_report::render(bundle, &checklist, options)
        .expect("rendered")
        .pdf
}

/// `pdf` signed by the enterprise with its own (self-issued) key, and that key's trust list. The
/// enterprise is read from the report's own data (the verifier checks the certificate against it).
fn sign(pdf: &[u8]) -> (Vec<u8>, TrustList) {
    let key = SigningKey::generate_p256();
    let unsigned = check("unsigned.pdf", pdf, &TrustList::new(), None);
    let (organisation, credit_code) = unsigned
        .inspection
        .map(|inspection| (inspection.organisation, inspection.credit_code))
        .unwrap_or_else(|| {
            (
                "海湾实业有限公司".to_owned(),
                "91350100M000100Y43".to_owned(),
            )
        });
    let subject = CertificateSubject {
        organisation,
        signer: "王五".to_owned(),
        credit_code,
        not_before: datetime!(2026-01-01 0:00 UTC),
        not_after: datetime!(2027-01-01 0:00 UTC),
    };
    let certificate = zicha_sign::self_issued_certificate(&subject, &key).expect("certificate");
    let options = SignOptions::new("企业负责人", datetime!(2026-03-02 19:00 +08:00));
    let signed = zicha_sign::sign(pdf, &key, &certificate, &[], &options).expect("signed");
    let mut trust = TrustList::new();
    trust.add_certificate(&certificate);
    (signed, trust)
}

fn signed_check(pdf: &[u8]) -> FileResult {
    let (signed, trust) = sign(pdf);
    check("report.pdf", &signed, &trust, Some(fonts()))
}

fn codes(result: &FileResult) -> Vec<String> {
    result
        .proof
        .as_ref()
        .map(|proof| proof.findings.iter().map(|f| f.code.clone()).collect())
        .unwrap_or_default()
}

/// The unsigned render changed with lopdf (as a dishonest enterprise would, before signing).
fn doctor(pdf: &[u8], change: impl FnOnce(&mut Document)) -> Vec<u8> {
    let mut document = Document::load_mem(pdf).expect("lopdf reads the report");
    change(&mut document);
    let mut out = Vec::new();
    document.save_to(&mut out).expect("saved");
    out
}

fn page(document: &Document, number: u32) -> ObjectId {
    document.get_pages()[&number]
}

fn resolved_dict(document: &Document, object: &Object) -> Dictionary {
    match object {
        Object::Reference(id) => document.get_dictionary(*id).expect("a dictionary").clone(),
        Object::Dictionary(dict) => dict.clone(),
        other => panic!("not a dictionary: {other:?}"),
    }
}

/// The decoded content of the page's (single) content stream, and its object id.
fn page_content(document: &Document, page_id: ObjectId) -> (ObjectId, Vec<u8>) {
    let page = document.get_dictionary(page_id).expect("page");
    let id = page
        .get(b"Contents")
        .and_then(Object::as_reference)
        .expect("one content stream");
    let stream = document
        .get_object(id)
        .and_then(Object::as_stream)
        .expect("stream");
    let content = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    (id, content)
}

fn set_content(document: &mut Document, id: ObjectId, content: Vec<u8>) {
    let stream = document
        .get_object_mut(id)
        .and_then(Object::as_stream_mut)
        .expect("stream");
    stream.set_plain_content(content);
}

/// The white box and "GRADE: EXCELLENT" drawn over the cover in Helvetica with an extra content
/// stream: the attack of issue 15.
fn overlay(document: &mut Document) {
    let page_id = page(document, 1);
    let helvetica = document.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type1".to_vec())),
        ("BaseFont", Object::Name(b"Helvetica".to_vec())),
    ]));
    let over = document.add_object(Stream::new(
        Dictionary::new(),
        b"q 1 1 1 rg 60 560 480 120 re f Q BT /ZH 36 Tf 0 g 80 610 Td (GRADE: EXCELLENT) Tj ET"
            .to_vec(),
    ));
    let page = document.get_dictionary(page_id).expect("page").clone();
    let mut resources = resolved_dict(document, page.get(b"Resources").expect("resources"));
    let mut fonts = resolved_dict(document, resources.get(b"Font").expect("fonts"));
    fonts.set("ZH", Object::Reference(helvetica));
    resources.set("Font", Object::Dictionary(fonts));
    let contents = page.get(b"Contents").expect("contents").clone();
    let page = document
        .get_object_mut(page_id)
        .and_then(Object::as_dict_mut)
        .expect("page");
    page.set("Resources", Object::Dictionary(resources));
    page.set(
        "Contents",
        Object::Array(vec![contents, Object::Reference(over)]),
    );
}

/// The same overlay appended as an incremental update (the original bytes kept), before signing.
fn overlay_in_an_update(pdf: &[u8]) -> Vec<u8> {
    let previous = Document::load_mem(pdf).expect("lopdf reads the report");
    let page_id = page(&previous, 1);
    let mut page = previous.get_dictionary(page_id).expect("page").clone();
    let mut resources = resolved_dict(&previous, page.get(b"Resources").expect("resources"));
    let mut fonts = resolved_dict(&previous, resources.get(b"Font").expect("fonts"));
    let mut update = IncrementalDocument::create_from(pdf.to_vec(), previous);
    let document = &mut update.new_document;
    let helvetica = document.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type1".to_vec())),
        ("BaseFont", Object::Name(b"Helvetica".to_vec())),
    ]));
    let over = document.add_object(Stream::new(
        Dictionary::new(),
        b"q 1 1 1 rg 60 560 480 120 re f Q BT /ZH 36 Tf 0 g 80 610 Td (GRADE: EXCELLENT) Tj ET"
            .to_vec(),
    ));
    fonts.set("ZH", Object::Reference(helvetica));
    resources.set("Font", Object::Dictionary(fonts));
    let contents = page.get(b"Contents").expect("contents").clone();
    page.set("Resources", Object::Dictionary(resources));
    page.set(
        "Contents",
        Object::Array(vec![contents, Object::Reference(over)]),
    );
    document.set_object(page_id, page);
    let mut out = Vec::new();
    update.save_to(&mut out).expect("saved");
    assert!(
        out.starts_with(pdf),
        "an incremental update keeps the original bytes"
    );
    out
}

/// A free-text annotation saying 合格 on the cover.
fn annotation(document: &mut Document) {
    let page_id = page(document, 1);
    let mut text = vec![0xFE, 0xFF];
    text.extend("合格".encode_utf16().flat_map(u16::to_be_bytes));
    let annotation = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Annot".to_vec())),
        ("Subtype", Object::Name(b"FreeText".to_vec())),
        (
            "Rect",
            Object::Array(vec![60.into(), 560.into(), 540.into(), 680.into()]),
        ),
        ("Contents", Object::String(text, StringFormat::Hexadecimal)),
        ("DA", Object::string_literal("/Helv 36 Tf 0 g")),
    ]);
    let page = document
        .get_object_mut(page_id)
        .and_then(Object::as_dict_mut)
        .expect("page");
    page.set(
        "Annots",
        Object::Array(vec![Object::Dictionary(annotation)]),
    );
}

/// One glyph of the first text shown on page `number` replaced by another.
fn changed_glyph(number: u32) -> impl FnOnce(&mut Document) {
    move |document| {
        let (id, mut content) = page_content(document, page(document, number));
        let at = content
            .windows(2)
            .position(|w| w[0] == b'<' && w[1].is_ascii_hexdigit())
            .expect("a hex string");
        // The glyph id's last hex digit: 3 becomes 4 and anything else 3.
        let digit = at + 4;
        content[digit] = if content[digit] == b'3' { b'4' } else { b'3' };
        set_content(document, id, content);
    }
}

/// The first rectangle of page 1 drawn with another width (a number operand changed).
fn changed_number(document: &mut Document) {
    let (id, content) = page_content(document, page(document, 1));
    let text = String::from_utf8(content).expect("ascii content");
    let at = text.find(" re").expect("a rectangle");
    let start = text[..at].rfind(' ').expect("operands") + 1;
    let changed = format!("{}999{}", &text[..start], &text[at..]);
    set_content(document, id, changed.into_bytes());
}

/// A copy of the cover appended as another page.
fn extra_page(document: &mut Document) {
    let page_id = page(document, 1);
    let copy = document.get_dictionary(page_id).expect("page").clone();
    let parent = copy
        .get(b"Parent")
        .and_then(Object::as_reference)
        .expect("parent");
    let new_page = document.add_object(copy);
    let pages = document
        .get_object_mut(parent)
        .and_then(Object::as_dict_mut)
        .expect("pages");
    let count = pages.get(b"Count").and_then(Object::as_i64).expect("count");
    pages.set("Count", count + 1);
    pages
        .get_mut(b"Kids")
        .and_then(Object::as_array_mut)
        .expect("kids")
        .push(Object::Reference(new_page));
}

/// The embedded font program doctored so that 合 draws as 不 (the outline of 不 copied into 合's
/// glyph), so that 合格 reads 不格 wherever the report prints it: the content streams, widths and
/// ToUnicode stay as Zicha wrote them; only the glyph is another.
fn doctored_glyph(document: &mut Document) {
    let ids: Vec<ObjectId> = document.objects.keys().copied().collect();
    let program = ids
        .into_iter()
        .find_map(|id| {
            let dict = document.get_dictionary(id).ok()?;
            (dict.get(b"Type").ok()?.as_name().ok()? == b"FontDescriptor")
                .then(|| dict.get(b"FontFile2").ok()?.as_reference().ok())?
        })
        .expect("an embedded TrueType font program");
    let stream = document
        .get_object_mut(program)
        .and_then(Object::as_stream_mut)
        .expect("stream");
    let sfnt = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let face = ttf_parser::Face::parse(&sfnt, 0).expect("the embedded program parses");
    let gid = |c: char| face.glyph_index(c).expect("the report draws it").0 as usize;
    let (target, source) = (gid('合'), gid('不'));
    assert_ne!(target, source);
    let doctored = replace_glyph(&sfnt, target, source);
    // A well-formed font in which 合 has 不's outline.
    let changed = ttf_parser::Face::parse(&doctored, 0).expect("the doctored program parses");
    let bbox = |face: &ttf_parser::Face<'_>, gid: usize| {
        face.glyph_bounding_box(ttf_parser::GlyphId(gid as u16))
    };
    assert_eq!(bbox(&changed, target), bbox(&face, source));
    assert_ne!(bbox(&changed, target), bbox(&face, target));
    stream.dict.set("Length1", doctored.len() as i64);
    stream.set_plain_content(doctored);
}

/// `sfnt` with glyph `target`'s outline replaced by glyph `source`'s (glyf and loca rewritten,
/// every other table as it was).
fn replace_glyph(sfnt: &[u8], target: usize, source: usize) -> Vec<u8> {
    let u16_at = |at: usize| usize::from(u16::from_be_bytes([sfnt[at], sfnt[at + 1]]));
    let u32_at = |at: usize| u32::from_be_bytes(sfnt[at..at + 4].try_into().unwrap()) as usize;
    let count = u16_at(4);
    let mut tables: Vec<([u8; 4], Vec<u8>)> = (0..count)
        .map(|i| {
            let record = 12 + 16 * i;
            let (offset, length) = (u32_at(record + 8), u32_at(record + 12));
            let tag: [u8; 4] = sfnt[record..record + 4].try_into().unwrap();
            (tag, sfnt[offset..offset + length].to_vec())
        })
        .collect();
    let table = |tag: &[u8; 4]| tables.iter().position(|(t, _)| t == tag).expect("table");
    let (head, loca, glyf) = (table(b"head"), table(b"loca"), table(b"glyf"));
    let long = tables[head].1[51] == 1;
    let entry = |loca: &[u8], gid: usize| {
        if long {
            u32::from_be_bytes(loca[gid * 4..gid * 4 + 4].try_into().unwrap()) as usize
        } else {
            usize::from(u16::from_be_bytes([loca[gid * 2], loca[gid * 2 + 1]])) * 2
        }
    };
    let glyphs = tables[loca].1.len() / if long { 4 } else { 2 } - 1;
    let (mut new_glyf, mut new_loca) = (Vec::new(), Vec::new());
    for gid in 0..=glyphs {
        let offset = new_glyf.len();
        if long {
            new_loca.extend_from_slice(&(offset as u32).to_be_bytes());
        } else {
            new_loca.extend_from_slice(&((offset / 2) as u16).to_be_bytes());
        }
        if gid < glyphs {
            let from = if gid == target { source } else { gid };
            let (start, end) = (
                entry(&tables[loca].1, from),
                entry(&tables[loca].1, from + 1),
            );
            new_glyf.extend_from_slice(&tables[glyf].1[start..end]);
        }
    }
    tables[glyf].1 = new_glyf;
    tables[loca].1 = new_loca;
    let mut out = sfnt[..12].to_vec();
    let mut offset = 12 + 16 * count;
    for (tag, data) in &tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&0u32.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in &tables {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    out
}

/// summary.json rewritten by `change` (its proof record removed: a report of the older layout).
fn edit_summary(change: impl Fn(&mut serde_json::Value)) -> impl FnOnce(&mut Document) {
    move |document| {
        let ids: Vec<ObjectId> = document.objects.keys().copied().collect();
        for id in ids {
            let Ok(stream) = document.get_object_mut(id).and_then(Object::as_stream_mut) else {
                continue;
            };
            let Ok(bytes) = stream.decompressed_content() else {
                continue;
            };
            let Ok(mut json) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
                continue;
            };
            if json.get("signature_slots").is_none() {
                continue;
            }
            change(&mut json);
            let bytes = serde_json::to_vec_pretty(&json).expect("json");
            stream.set_plain_content(bytes);
            return;
        }
        panic!("no summary.json");
    }
}

struct Case {
    name: &'static str,
    pdf: Vec<u8>,
    status: ProofStatus,
    /// Finding codes the proof must contain, in this order (other findings may come between).
    codes: &'static [&'static str],
    /// A page the findings must name (in English and Chinese), if any.
    page: Option<usize>,
}

#[test]
fn reports_doctored_before_signing_are_not_valid_and_the_page_is_named() {
    let fonts = fonts();
    let unsigned = render(&bundle("generic"), &options(fonts));
    let cases = vec![
        Case {
            name: "overlay-content-stream-with-helvetica",
            pdf: doctor(&unsigned, overlay),
            status: ProofStatus::Differs,
            codes: &["pages-differ", "extra-font", "added-content"],
            page: Some(1),
        },
        Case {
            name: "overlay-in-an-incremental-update",
            pdf: overlay_in_an_update(&unsigned),
            status: ProofStatus::Differs,
            codes: &["pages-differ", "extra-font", "added-content"],
            page: Some(1),
        },
        Case {
            name: "added-annotation",
            pdf: doctor(&unsigned, annotation),
            status: ProofStatus::Differs,
            codes: &["pages-differ", "extra-annotation"],
            page: Some(1),
        },
        Case {
            name: "changed-glyph-on-the-summary-page",
            pdf: doctor(&unsigned, changed_glyph(2)),
            status: ProofStatus::Differs,
            codes: &["pages-differ", "changed-text"],
            page: Some(2),
        },
        Case {
            name: "changed-number-operand",
            pdf: doctor(&unsigned, changed_number),
            status: ProofStatus::Differs,
            codes: &["pages-differ", "changed-content"],
            page: Some(1),
        },
        Case {
            name: "doctored-glyph-in-the-embedded-font",
            pdf: doctor(&unsigned, doctored_glyph),
            status: ProofStatus::Differs,
            codes: &["pages-differ", "changed-font"],
            page: Some(1),
        },
        Case {
            name: "extra-page",
            pdf: doctor(&unsigned, extra_page),
            status: ProofStatus::Differs,
            codes: &["pages-differ", "extra-page"],
            page: None,
        },
        Case {
            name: "older-layout-without-record",
            pdf: doctor(
                &unsigned,
                edit_summary(|json| {
                    json.as_object_mut().expect("object").remove("proof");
                    json["format"] = 1.into();
                }),
            ),
            status: ProofStatus::NotProvable,
            codes: &["layout-not-provable"],
            page: None,
        },
        Case {
            name: "other-layout-version",
            pdf: doctor(
                &unsigned,
                edit_summary(|json| json["proof"]["layout"] = 99.into()),
            ),
            status: ProofStatus::NotProvable,
            codes: &["layout-not-provable"],
            page: None,
        },
        Case {
            name: "record-with-another-timestamp",
            pdf: doctor(
                &unsigned,
                edit_summary(|json| {
                    json["proof"]["timestamp"] = "2026-03-05T09:00:00+08:00".into()
                }),
            ),
            status: ProofStatus::Differs,
            codes: &["pages-differ"],
            page: None,
        },
    ];
    for case in cases {
        let result = signed_check(&case.pdf);
        let name = case.name;
        // The signature itself is intact: only the proof makes the file not valid.
        assert_eq!(
            result.report.signatures[0].verdict,
            Verdict::Valid,
            "{name}"
        );
        assert_eq!(
            result.report.verdict,
            Verdict::Invalid,
            "{name}: {result:?}"
        );
        let proof = result.proof.as_ref().expect("a proof");
        assert_eq!(proof.status, case.status, "{name}: {proof:?}");
        let found = codes(&result);
        let mut rest = found.iter();
        for code in case.codes {
            assert!(
                rest.any(|found| found == code),
                "{name}: {code} missing or out of order in {found:?}"
            );
        }
        if let Some(page) = case.page {
            let named = proof.findings.iter().any(|f| {
                f.en.starts_with(&format!("page {page}:"))
                    && f.zh.starts_with(&format!("第 {page} 页"))
            });
            assert!(
                named,
                "{name}: page {page} not named in {:?}",
                proof.findings
            );
        }
        if case.status == ProofStatus::NotProvable {
            let finding = &proof.findings[0];
            assert!(
                finding.en.starts_with("not provable (older layout)"),
                "{name}"
            );
            assert!(finding.zh.starts_with("无法证明（旧版版式）"), "{name}");
        }
        // The CSV carries the reasons.
        let csv = zicha_report::check::to_csv(std::slice::from_ref(&result));
        assert!(csv.contains(&proof.findings[0].zh), "{name}: {csv}");
    }
}

/// What the proof asks of the first signature's own update: zicha-sign's judgement of the changes
/// between two revisions (nothing for a signature alone; the overlay for an update that draws).
#[test]
fn changes_between_revisions_are_judged() {
    let unsigned = render(&bundle("generic"), &options(fonts()));
    let (signed, _) = sign(&unsigned);
    let ends = zicha_sign::revision_ends(&signed);
    assert_eq!(ends.len(), 2);
    assert_eq!(zicha_sign::changes_between(&signed, ends[0], ends[1]), []);
    let updated = overlay_in_an_update(&unsigned);
    let ends = zicha_sign::revision_ends(&updated);
    let changes = zicha_sign::changes_between(&updated, ends[0], ends[1]);
    assert!(
        changes.iter().any(|change| change.code == "page-content-changed" && change.en.starts_with("page 1:")),
        "{changes:?}"
    );
}

#[test]
fn the_extra_page_is_named() {
    let unsigned = render(&bundle("generic"), &options(fonts()));
    let pages = Document::load_mem(&unsigned)
        .expect("pdf")
        .get_pages()
        .len();
    let result = signed_check(&doctor(&unsigned, extra_page));
    let proof = result.proof.expect("a proof");
    let extra = proof
        .findings
        .iter()
        .find(|f| f.code == "extra-page")
        .expect("extra-page");
    assert_eq!(
        extra.en,
        format!(
            "page {} is not in the report Zicha renders from the data (an added page)",
            pages + 1
        )
    );
}

#[test]
fn untouched_reports_of_every_sector_are_proven() {
    let fonts = fonts();
    for checklist in zicha_core::catalog::builtin() {
        let bundle = bundle(&checklist.id);
        let result = signed_check(&render(&bundle, &options(fonts)));
        assert_eq!(
            result.report.verdict,
            Verdict::Valid,
            "{}: {result:?}",
            checklist.id
        );
        let proof = result.proof.expect("a proof");
        assert_eq!(
            proof.status,
            ProofStatus::Proven,
            "{}: {proof:?}",
            checklist.id
        );
        assert_eq!(proof.status_zh, "页面与内嵌数据一致（已证明）");
        assert!(proof.findings.is_empty());
    }
}

/// Reports made before layout 2 (which marks unverified items) are still proven: the verifier
/// draws the layout the report records; the two layouts differ in the pages, so each is proven by
/// its own drawing and not by the other.
#[test]
fn reports_of_the_previous_layout_are_still_proven() {
    let fonts = fonts();
    let bundle = bundle("gas-station");
    let checklist = bundle.checklist().unwrap();
    assert!(
        checklist.items().any(|(_, item)| !item.verified),
        "the tag is drawn"
    );
    let mut old = options(fonts);
    old.layout = 1;
    let old_pdf = render(&bundle, &old);
    let new_pdf = render(&bundle, &options(fonts));
    assert_ne!(old_pdf, new_pdf, "layout 2 draws 未核对原文");
    for (pdf, layout) in [(old_pdf, 1), (new_pdf, zicha_report::LAYOUT_VERSION)] {
        let result = signed_check(&pdf);
        let proof = result.proof.expect("a proof");
        assert_eq!(
            proof.status,
            ProofStatus::Proven,
            "layout {layout}: {proof:?}"
        );
        assert_eq!(proof.layout, Some(layout));
    }
    // A layout this verifier does not draw is not provable, and says which it draws.
    let summary = |layout: u32| {
        edit_summary(move |summary| summary["proof"]["layout"] = serde_json::json!(layout))
    };
    let future = doctor(&render(&bundle, &options(fonts)), summary(99));
    let result = signed_check(&future);
    let proof = result.proof.expect("a proof");
    assert_eq!(proof.status, ProofStatus::NotProvable, "{proof:?}");
    assert!(
        codes_of(&proof.findings).contains(&"layout-not-provable"),
        "{proof:?}"
    );
}

/// A 64 × 48 JPEG whose pixels depend on `seed`.
fn jpeg(seed: u8) -> Vec<u8> {
    let pixels: Vec<u8> = (0..64 * 48)
        .flat_map(|i: usize| [(i % 251) as u8 ^ seed, (i % 13 * 19) as u8, seed])
        .collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 80)
        .encode(&pixels, 64, 48, jpeg_encoder::ColorType::Rgb)
        .expect("jpeg");
    out
}

/// A 30 × 10 signature-pad PNG.
fn signature_png() -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, 30, 10);
    encoder.set_color(png::ColorType::GrayscaleAlpha);
    let mut writer = encoder.write_header().expect("png");
    let pixels: Vec<u8> = (0..300)
        .flat_map(|i| {
            if i % 30 == i / 30 * 3 {
                [0, 255]
            } else {
                [255, 0]
            }
        })
        .collect();
    writer.write_image_data(&pixels).expect("png");
    drop(writer);
    bytes
}

/// The generic sample with photo `a` on the first answer and photo `b` on the second.
fn with_photos(a: Vec<u8>, b: Vec<u8>) -> Bundle {
    let mut bundle = bundle("generic");
    let first = bundle.add_photo(a, "jpg", "");
    let second = bundle.add_photo(b, "jpg", "");
    let mut answers = bundle.data.inspection.answers.values_mut();
    answers.next().expect("an answer").photos.push(first);
    answers.next().expect("a second answer").photos.push(second);
    bundle
}

#[test]
fn photos_are_taken_back_out_of_the_report_and_a_swapped_photo_is_caught() {
    let fonts = fonts();
    let bundle = with_photos(jpeg(1), jpeg(2));
    let mut options = options(fonts);
    let lead = bundle.data.organisation.safety_lead.clone();
    options.handwritten.push(Handwritten {
        role: Role::Enterprise,
        name: lead,
        image: signature_png(),
    });
    let unsigned = render(&bundle, &options);
    let result = signed_check(&unsigned);
    let proof = result.proof.expect("a proof");
    assert_eq!(proof.status, ProofStatus::Proven, "{proof:?}");
    // The handwritten signature (a PNG, converted) is compared as stored; both photos passed
    // through and were matched with their hashes.
    assert_eq!(proof.images_as_stored, 1);

    // The second photo's bytes put in place of the first: not the photo the data names.
    let swapped = doctor(&unsigned, |document| {
        let streams: Vec<ObjectId> = document
            .objects
            .iter()
            .filter(|(_, object)| {
                object.as_stream().is_ok_and(|s| {
                    s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image")
                })
            })
            .map(|(id, _)| *id)
            .collect();
        let other = jpeg(3);
        for id in streams {
            let stream = document
                .get_object_mut(id)
                .and_then(Object::as_stream_mut)
                .expect("image");
            if stream.content.starts_with(&[0xFF, 0xD8]) {
                stream.set_content(other);
                return;
            }
        }
        panic!("no JPEG image");
    });
    let result = signed_check(&swapped);
    assert_eq!(result.report.verdict, Verdict::Invalid);
    let found = codes(&result);
    assert_eq!(found[..2], ["pages-differ", "changed-image"], "{found:?}");
}

#[test]
fn a_downscaled_photo_is_proven_as_stored() {
    let fonts = fonts();
    let bundle = with_photos(jpeg(1), jpeg(2));
    let mut options = options(fonts);
    // Both 64-pixel photos are downscaled (re-encoded): their originals are not in the report.
    options.max_photo_px = 32;
    let result = signed_check(&render(&bundle, &options));
    let proof = result.proof.expect("a proof");
    assert_eq!(proof.status, ProofStatus::Proven, "{proof:?}");
    assert_eq!(proof.images_as_stored, 2);
}

#[test]
fn without_the_font_the_pages_are_not_provable() {
    let (signed, trust) = sign(&render(&bundle("school"), &options(fonts())));
    let result = check("report.pdf", &signed, &trust, None);
    assert_eq!(result.report.verdict, Verdict::Invalid);
    let proof = result.proof.expect("a proof");
    assert_eq!(proof.status, ProofStatus::NotProvable);
    assert_eq!(codes_of(&proof.findings), ["font-not-available"]);
}

fn codes_of(findings: &[zicha_sign::Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}
