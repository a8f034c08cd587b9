//! Shared fixtures: small multi-page PDFs made with lopdf, fixed keys and certificates, and a
//! helper that appends a hand-written incremental update (the attacker's tool).

use lopdf::{Document, Object, Stream, dictionary};
use time::OffsetDateTime;
use time::macros::datetime;
use zicha_sign::{
    AppearanceFont, Certificate, CertificateSubject, SignOptions, SigningKey,
    self_issued_certificate,
};

pub const CREDIT_CODE: &str = "91350100M000100Y43";

/// A signing time inside every test certificate's validity.
pub fn signing_time() -> OffsetDateTime {
    datetime!(2025-06-01 10:30:00 +08:00)
}

/// Object numbers of the fixture PDF, so attacks can redefine them.
pub struct Layout {
    pub catalog: u32,
    pub pages: u32,
    pub page_ids: Vec<u32>,
    pub content_ids: Vec<u32>,
}

/// A PDF with `page_count` pages of text, classic cross-reference table.
pub fn make_pdf(page_count: usize) -> (Vec<u8>, Layout) {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let hidden = doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()] },
        b"BT /F1 30 Tf 72 400 Td (ALL HAZARDS FIXED) Tj ET".to_vec(),
    ));
    let mut kids = Vec::new();
    let mut page_ids = Vec::new();
    let mut content_ids = Vec::new();
    for index in 0..page_count {
        let text = format!(
            "BT /F1 18 Tf 72 760 Td (Zicha inspection report, page {}) Tj ET\nBT /F1 12 Tf 72 730 Td (Hazard 3: fire exit blocked - NOT FIXED) Tj ET",
            index + 1
        );
        let content_id = doc.add_object(Stream::new(dictionary! {}, text.into_bytes()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => dictionary! {
                "Font" => dictionary! { "F1" => font_id },
                "XObject" => dictionary! { "X1" => hidden },
            },
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page_id.into());
        page_ids.push(page_id.0);
        content_ids.push(content_id.0);
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => page_count as i64 },
        ),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("lopdf saves to memory");
    (
        bytes,
        Layout {
            catalog: catalog_id.0,
            pages: pages_id.0,
            page_ids,
            content_ids,
        },
    )
}

pub struct Signer {
    pub key: SigningKey,
    pub certificate: Certificate,
}

/// A deterministic P-256 signer; `seed` picks the key.
pub fn signer(seed: u8, name: &str, organisation: &str) -> Signer {
    let key = SigningKey::p256_from_bytes(&[seed; 32]).expect("a valid scalar");
    let subject = CertificateSubject {
        organisation: organisation.into(),
        signer: name.into(),
        credit_code: CREDIT_CODE.into(),
        not_before: datetime!(2025-01-01 00:00:00 UTC),
        not_after: datetime!(2045-01-01 00:00:00 UTC),
    };
    let certificate = self_issued_certificate(&subject, &key).expect("certificate");
    Signer { key, certificate }
}

pub fn inspector() -> Signer {
    signer(7, "张三", "福州示例化工有限公司")
}

/// The report's font (WenQuanYi Micro Hei, face 0), read once per test binary.
pub fn report_font() -> AppearanceFont {
    static FONT: std::sync::OnceLock<AppearanceFont> = std::sync::OnceLock::new();
    FONT.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../assets/fonts/wqy-microhei.ttc"
        );
        let bytes = std::fs::read(path).expect("the report font is in assets/fonts");
        AppearanceFont::new(bytes, 0).expect("the report font is readable")
    })
    .clone()
}

/// Options as the app signs: the role, the fixed time and the report's font.
pub fn options(role: &str) -> SignOptions {
    SignOptions::new(role, signing_time()).with_appearance_font(report_font())
}

/// Signs as the app does, with the report's font in the appearance.
pub fn sign_as(pdf: &[u8], signer: &Signer, role: &str) -> Vec<u8> {
    zicha_sign::sign(pdf, &signer.key, &signer.certificate, &[], &options(role))
        .expect("signing works")
}

/// The fixture signed once by the inspector.
pub fn signed_once() -> (Vec<u8>, Layout) {
    let (pdf, layout) = make_pdf(3);
    (sign_as(&pdf, &inspector(), "检查人"), layout)
}

/// Value of the last `startxref` and the `/Size` of the last trailer or xref stream.
pub fn last_xref(pdf: &[u8]) -> (usize, u32) {
    let text = String::from_utf8_lossy(pdf);
    let at = text.rfind("startxref").expect("startxref");
    let startxref: usize = text[at + 9..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let size_at = text.rfind("/Size").expect("/Size");
    let size: u32 = text[size_at + 5..]
        .split(|c: char| !c.is_ascii_digit() && c != ' ')
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    (startxref, size)
}

/// Appends an incremental update with the given objects (number, body) and a classic xref table;
/// `root` is the catalog's number. `xref_only` adds entries pointing at given offsets without
/// writing objects (the shadow attack).
pub fn append_revision(
    pdf: &[u8],
    root: u32,
    objects: &[(u32, String)],
    xref_only: &[(u32, usize)],
) -> Vec<u8> {
    append_revision_with_prev(pdf, root, objects, xref_only, None)
}

/// [`append_revision`] with an explicit /Prev (for attackers who moved the previous section).
pub fn append_revision_with_prev(
    pdf: &[u8],
    root: u32,
    objects: &[(u32, String)],
    xref_only: &[(u32, usize)],
    prev: Option<usize>,
) -> Vec<u8> {
    let (last_prev, size) = last_xref(pdf);
    let prev = prev.unwrap_or(last_prev);
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut entries: Vec<(u32, usize)> = xref_only.to_vec();
    for (number, body) in objects {
        entries.push((*number, out.len()));
        out.extend_from_slice(format!("{number} 0 obj\n{body}\nendobj\n").as_bytes());
    }
    entries.sort();
    let new_size = entries
        .iter()
        .map(|entry| entry.0 + 1)
        .max()
        .unwrap_or(0)
        .max(size);
    let xref_at = out.len();
    out.extend_from_slice(b"xref\n");
    for (number, offset) in &entries {
        out.extend_from_slice(format!("{number} 1\n{offset:010} 00000 n\r\n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {new_size} /Root {root} 0 R /Prev {prev} >>\nstartxref\n{xref_at}\n%%EOF\n").as_bytes(),
    );
    out
}

/// The body of object `number` as the newest revision defines it (text between `obj` and
/// `endobj`), found by scanning: good enough for the files our fixtures make.
pub fn object_body(pdf: &[u8], number: u32) -> String {
    let text = String::from_utf8_lossy(pdf);
    let header = format!("\n{number} 0 obj");
    let at = text
        .rfind(&header)
        .unwrap_or_else(|| panic!("object {number} not found"));
    let start = at + header.len();
    let end = text[start..].find("endobj").unwrap() + start;
    text[start..end].trim().to_string()
}

/// A writable temp file path unique to this test.
pub fn temp_path(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("zicha-sign-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The first offset of `needle` in `haystack`.
pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The last offset of `needle` in `haystack`.
pub fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}

/// Whether an external tool runs. With ZICHA_REQUIRE_TOOLS=1 a missing tool fails the test;
/// otherwise the caller returns, and the skip is written to the terminal (straight to stderr,
/// which the test harness does not capture: a plain `cargo test` shows it next to "ok").
pub fn tool_available(program: &str, version_flag: &str) -> bool {
    let found = std::process::Command::new(program)
        .arg(version_flag)
        .output()
        .is_ok_and(|output| output.status.success());
    if !found {
        if std::env::var("ZICHA_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("{program} is required (ZICHA_REQUIRE_TOOLS=1) but not installed");
        }
        announce_skip(program);
    }
    found
}

/// Writes "SKIPPED <test>: <program> not installed" where a person running `cargo test` sees it.
pub fn announce_skip(program: &str) {
    use std::io::Write;
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {program} not installed (scripts/setup.sh installs it; ZICHA_REQUIRE_TOOLS=1 makes this a failure)"
    );
}
