//! The visible signature. With the report's font: the Chinese text reads back with pdftotext (so
//! the /ToUnicode map is right), pdffonts shows the font embedded and subset, the text lies inside
//! the widget, characters the font lacks are a visible `?`, and the subset costs a few kilobytes.
//! Without a font: Helvetica with English labels, as before. Tools follow the interop pattern:
//! with ZICHA_REQUIRE_TOOLS=1 a missing tool fails the test, otherwise it is skipped.

use std::path::Path;
use std::process::Command;

use zicha_sign::{AppearanceFont, Error, SignOptions, TrustList, Verdict, verify};

use crate::common::*;

const MM: f64 = 72.0 / 25.4;
const PAGE_HEIGHT: f64 = 842.0;

fn run(program: &str, args: &[&str], path: &Path) -> String {
    let output = Command::new(program)
        .args(args)
        .arg(path)
        .args(if program == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|error| panic!("{program} runs: {error}"));
    assert!(
        output.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn write(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = temp_path(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn sign_with(pdf: &[u8], signer: &Signer, options: &SignOptions) -> Vec<u8> {
    let signed = zicha_sign::sign(pdf, &signer.key, &signer.certificate, &[], options).unwrap();
    let report = verify(&signed, &TrustList::new());
    assert_eq!(report.verdict, Verdict::Valid, "{report:#?}");
    signed
}

/// The text pdftotext finds inside `rect` on the last page (pdftotext crops from the top left).
fn text_in(path: &Path, page: usize, rect: [f64; 4]) -> String {
    let page = page.to_string();
    let x = format!("{}", rect[0].floor());
    let y = format!("{}", (PAGE_HEIGHT - rect[3]).floor());
    let width = format!("{}", (rect[2] - rect[0]).ceil() + 1.0);
    let height = format!("{}", (rect[3] - rect[1]).ceil() + 1.0);
    run(
        "pdftotext",
        &[
            "-f", &page, "-l", &page, "-x", &x, "-y", &y, "-W", &width, "-H", &height,
        ],
        path,
    )
}

/// Asserts every line of the Chinese appearance is in `text`.
#[track_caller]
fn assert_chinese_lines(text: &str, name: &str, organisation: &str, role: &str) {
    let fingerprint = inspector_like_fingerprint(name);
    for expected in [
        "签名人",
        name,
        "单位",
        organisation,
        "角色",
        role,
        "时间",
        "2025-06-01 10:30:00 +08:00",
        "证书",
        "SHA-256",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from {text:?}"
        );
    }
    // The fingerprint, in full (maybe over two rows) or shortened around a visible ellipsis.
    let compact: String = text.split_whitespace().collect();
    let shortened = format!("{}…", &fingerprint[..8]);
    assert!(
        compact.contains(&fingerprint)
            || compact.contains(&shortened) && compact.contains(&fingerprint[56..]),
        "fingerprint {fingerprint} missing from {text:?}"
    );
}

fn inspector_like_fingerprint(name: &str) -> String {
    match name {
        "张三" => inspector().certificate.fingerprint_hex(),
        "李四" => signer(8, "李四", "福州示例化工有限公司")
            .certificate
            .fingerprint_hex(),
        other => panic!("no fixture signer {other}"),
    }
}

#[test]
fn chinese_appearance_reads_back_and_the_font_is_an_embedded_subset() {
    if !tool_available("pdftotext", "-v") || !tool_available("pdffonts", "-v") {
        return;
    }
    let (pdf, _) = make_pdf(2);
    let signed = sign_with(&pdf, &inspector(), &options("检查人"));
    let path = write("appearance-chinese.pdf", &signed);

    let text = run("pdftotext", &[], &path);
    assert_chinese_lines(&text, "张三", "福州示例化工有限公司", "检查人");

    let fonts = run("pdffonts", &[], &path);
    let line = fonts
        .lines()
        .find(|line| line.contains("+WenQuanYiMicroHei"))
        .unwrap_or_else(|| panic!("no subset of the font in:\n{fonts}"));
    let columns: Vec<&str> = line.split_whitespace().collect();
    // name, type (CID TrueType), encoding, emb, sub, uni, object, id
    assert_eq!(columns[1..4], ["CID", "TrueType", "Identity-H"], "{line}");
    assert_eq!(columns[4..7], ["yes", "yes", "yes"], "emb sub uni: {line}");
    let tag = columns[0].split('+').next().unwrap();
    assert!(
        tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
        "{line}"
    );
    // No Helvetica fallback when every character is in the font: only the page's own Helvetica.
    assert_eq!(fonts.matches("Helvetica").count(), 1, "{fonts}");
}

#[test]
fn an_80_by_30_mm_widget_holds_every_line() {
    if !tool_available("pdftotext", "-v") {
        return;
    }
    let (pdf, _) = make_pdf(1);
    let rect = [300.0, 100.0, 300.0 + 80.0 * MM, 100.0 + 30.0 * MM];
    let mut options = options("企业负责人");
    options.rect = Some(rect);
    let signer = signer(8, "李四", "福州示例化工有限公司");
    let signed = sign_with(&pdf, &signer, &options);
    let path = write("appearance-80x30.pdf", &signed);
    let inside = text_in(&path, 1, rect);
    assert_chinese_lines(&inside, "李四", "福州示例化工有限公司", "企业负责人");
    assert!(!inside.contains("Zicha inspection report"), "{inside}");
}

#[test]
fn a_long_organisation_wraps_inside_a_small_widget() {
    if !tool_available("pdftotext", "-v") {
        return;
    }
    let organisation = "福建省福州市示例化学工业股份有限公司马尾经济技术开发区第二分公司";
    let signer = signer(10, "欧阳明月", organisation);
    let (pdf, _) = make_pdf(1);
    let rect = [100.0, 100.0, 100.0 + 60.0 * MM, 100.0 + 25.0 * MM];
    let mut options = options("监理");
    options.rect = Some(rect);
    let signed = sign_with(&pdf, &signer, &options);
    let path = write("appearance-small.pdf", &signed);
    let inside = text_in(&path, 1, rect);
    let compact: String = inside.split_whitespace().collect();
    for expected in [
        "签名人欧阳明月",
        organisation,
        "角色监理",
        "时间",
        "证书SHA-256",
    ] {
        assert!(
            compact.contains(expected),
            "{expected:?} missing from {inside:?}"
        );
    }
}

#[test]
fn characters_missing_from_the_font_are_a_visible_question_mark() {
    // 䶮 (CJK Extension A) and 𠀀 (Extension B) are not in WenQuanYi Micro Hei.
    let font = report_font();
    assert_eq!(font.missing_characters("张䶮 𠀀 A"), ['䶮', '𠀀']);
    let (pdf, _) = make_pdf(1);
    let signer = inspector();
    let mut options = options("检查人");
    options.signer_name = Some("张䶮".into());
    let prepared = zicha_sign::prepare(&pdf, &signer.certificate, &[], &options).unwrap();
    assert_eq!(prepared.missing_characters(), ['䶮']);
    let signature = signer.key.sign(prepared.signed_attributes()).unwrap();
    let signed = prepared.finish(&signature).unwrap();
    assert_eq!(verify(&signed, &TrustList::new()).verdict, Verdict::Valid);

    if !tool_available("pdftotext", "-v") || !tool_available("pdffonts", "-v") {
        return;
    }
    let path = write("appearance-missing.pdf", &signed);
    let text = run("pdftotext", &[], &path);
    assert!(text.contains("张?"), "{text}");
    let fonts = run("pdffonts", &[], &path);
    assert!(fonts.contains("+WenQuanYiMicroHei"), "{fonts}");
    assert!(fonts.contains("Helvetica"), "{fonts}");
}

#[test]
fn without_a_font_the_appearance_is_helvetica_in_english() {
    let (pdf, _) = make_pdf(1);
    let signer = inspector();
    let options = SignOptions::new("检查人", signing_time());
    let prepared = zicha_sign::prepare(&pdf, &signer.certificate, &[], &options).unwrap();
    assert!(prepared.missing_characters().is_empty());
    let signed = sign_with(&pdf, &signer, &options);
    if !tool_available("pdftotext", "-v") || !tool_available("pdffonts", "-v") {
        return;
    }
    let path = write("appearance-helvetica.pdf", &signed);
    let text = run("pdftotext", &[], &path);
    for expected in ["Signed by", "Role", "Inspector", "Certificate", "SHA-256"] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from {text:?}"
        );
    }
    let fonts = run("pdffonts", &[], &path);
    assert!(!fonts.contains("CID"), "{fonts}");
}

#[test]
fn the_font_subset_costs_a_few_kilobytes_per_signature() {
    let (pdf, _) = make_pdf(1);
    let signers = [
        (inspector(), "检查人"),
        (signer(8, "李四", "福州示例化工有限公司"), "企业负责人"),
        (signer(9, "王五", "福建监理有限公司"), "监理"),
    ];
    let mut with_font = pdf.clone();
    let mut without_font = pdf.clone();
    for (signer, role) in &signers {
        let before = (with_font.len(), without_font.len());
        with_font = sign_with(&with_font, signer, &options(role));
        without_font = sign_with(
            &without_font,
            signer,
            &SignOptions::new(*role, signing_time()),
        );
        let added_with = with_font.len() - before.0;
        let added_without = without_font.len() - before.1;
        let font_cost = added_with - added_without;
        println!(
            "appearance: {role} signature adds {added_with} bytes with the font subset, \
             {added_without} with Helvetica: the font costs {font_cost} bytes"
        );
        // The whole font is 5 MB; a subset of some thirty glyphs must stay small.
        assert!(font_cost < 24 * 1024, "{font_cost} bytes for the font");
    }
}

#[test]
fn signing_with_the_font_is_reproducible() {
    let (pdf, _) = make_pdf(1);
    let signer = inspector();
    let first = zicha_sign::prepare(&pdf, &signer.certificate, &[], &options("检查人")).unwrap();
    let second = zicha_sign::prepare(&pdf, &signer.certificate, &[], &options("检查人")).unwrap();
    assert_eq!(first.placeholder_pdf(), second.placeholder_pdf());
}

#[test]
fn unusable_fonts_are_errors() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/fonts/wqy-microhei.ttc"
    ))
    .unwrap();
    // Face 1 of the collection is the monospaced one; there is no face 2.
    assert!(AppearanceFont::new(bytes.clone(), 1).is_ok());
    assert!(matches!(AppearanceFont::new(bytes, 2), Err(Error::Font(_))));
    assert!(matches!(
        AppearanceFont::new(b"not a font".to_vec(), 0),
        Err(Error::Font(_))
    ));
}
