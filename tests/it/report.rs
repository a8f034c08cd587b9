//! The PDF report through `zicha render`: text extraction, fonts, structure and the embedded data
//! checked with poppler (pdftotext, pdffonts, pdfdetach) and qpdf; golden dumps; determinism; edge
//! cases (empty inspection, 300 items with 20 photos, a 2,000-character note, rare characters).
//!
//! The external tools are required when ZICHA_REQUIRE_TOOLS=1 (the test script); elsewhere a test
//! that needs a missing tool prints "skipped" and returns.

use std::path::{Path, PathBuf};
use std::process::Command;

use zicha_core::bundle::Bundle;
use zicha_core::checklist::{self, Level};
use zicha_core::inspection::{Answer, Response};
use zicha_core::ledger::Hazard;

use crate::support::{have_tool, repo_root, run_tool, temp_dir, zicha};

const TIME: &str = "2026-03-02T18:00:00+08:00";
const DATE: &str = "2026-03-01";

fn sample(dir: &Path, sector: &str, photos: usize) -> PathBuf {
    let bundle = dir.join(format!("{sector}.zicha"));
    let photos = photos.to_string();
    let run = zicha(&[
        "sample",
        sector,
        "--seed",
        "7",
        "--date",
        DATE,
        "--photos",
        &photos,
        "-o",
        bundle.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    bundle
}

/// Renders `bundle` with the fixed time and id; returns the PDF path and stderr.
fn render(bundle: &Path, extra: &[&str]) -> (PathBuf, String) {
    let pdf = bundle.with_extension("pdf");
    let mut args = vec![
        "render",
        bundle.to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
        "--time",
        TIME,
        "--id",
        "ZC-TEST-0001",
    ];
    args.extend_from_slice(extra);
    let run = zicha(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (pdf, run.stderr)
}

/// Text without any whitespace, so that wrapped lines still match.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn load(bundle: &Path) -> Bundle {
    Bundle::from_zip(&std::fs::read(bundle).unwrap()).unwrap()
}

fn score_json(bundle: &Path) -> serde_json::Value {
    let run = zicha(&[
        "score",
        bundle.to_str().unwrap(),
        "--json",
        "--as-of",
        "2026-03-02",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

fn fmt(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[test]
fn three_sectors_extract_and_check() {
    let dir = temp_dir("report-sectors");
    for sector in ["construction", "school", "industry-trade"] {
        let bundle = sample(&dir, sector, 3);
        let (pdf, _) = render(&bundle, &[]);
        let pdf = pdf.to_str().unwrap();
        let data = load(&bundle);
        let checklist = data.checklist().unwrap();
        if have_tool("pdftotext", "-v") {
            let text = squeeze(&run_tool("pdftotext", &[pdf, "-"]));
            let expect = |needle: &str| {
                assert!(
                    text.contains(&squeeze(needle)),
                    "{sector}: {needle:?} not in the extracted text"
                );
            };
            expect(&data.data.organisation.name);
            expect(&data.data.organisation.credit_code);
            expect(&checklist.title_zh);
            expect("第 1 页 共");
            expect("ZC-TEST-0001");
            for section in checklist.sections.iter().take(3) {
                expect(&section.title_zh);
                // Item texts wrap inside their cells; their first words come out whole.
                let item: String = section.items[0].text_zh.chars().take(8).collect();
                expect(&item);
            }
            let score = score_json(&bundle);
            let total = fmt(score["total"].as_f64().unwrap());
            expect(&total);
            for rate in score["five_100"].as_array().unwrap() {
                let (n, m) = (
                    rate["numerator"].as_u64().unwrap(),
                    rate["denominator"].as_u64().unwrap(),
                );
                if m > 0 {
                    let percent = fmt((n as f64 * 100.0 / m as f64 * 100.0).round() / 100.0);
                    expect(&format!("{n} / {m} = {percent}%"));
                }
            }
            if let Some(grade) = score["grade"].as_str() {
                expect(&format!("评定等级：{grade}"));
            }
        }
        if have_tool("qpdf", "-v") {
            let output = Command::new("qpdf")
                .args(["--check", pdf])
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "{sector}: qpdf --check: {}",
                String::from_utf8_lossy(&output.stdout)
            );
        }
        if have_tool("pdffonts", "-v") {
            let fonts = run_tool("pdffonts", &[pdf]);
            let rows: Vec<&str> = fonts.lines().skip(2).collect();
            assert!(!rows.is_empty(), "{fonts}");
            for row in rows {
                let fields: Vec<&str> = row.split_whitespace().collect();
                // name type encoding emb sub uni object ID
                let n = fields.len();
                assert_eq!(
                    &fields[n - 5..n - 2],
                    ["yes", "yes", "yes"],
                    "{sector}: {row}"
                );
                assert!(fields[0].chars().nth(6) == Some('+'), "subset tag: {row}");
            }
        }
        if have_tool("pdfdetach", "-v") {
            let list = run_tool("pdfdetach", &["-list", pdf]);
            assert!(list.contains("inspection.json"), "{list}");
            let out = dir.join(format!("{sector}-inspection.json"));
            run_tool(
                "pdfdetach",
                &[
                    "-savefile",
                    "inspection.json",
                    "-o",
                    out.to_str().unwrap(),
                    pdf,
                ],
            );
            let extracted = std::fs::read(&out).unwrap();
            // Byte for byte the bundle's inspection.json, and it re-scores to the same numbers.
            assert_eq!(extracted, serde_json::to_vec_pretty(&data.data).unwrap());
            let recovered = zicha_core::bundle::parse_data(&extracted).unwrap();
            assert_eq!(recovered, data.data);
        }
    }
}

#[test]
fn two_renders_are_identical() {
    let dir = temp_dir("report-determinism");
    let bundle = sample(&dir, "construction", 2);
    let (pdf, _) = render(&bundle, &[]);
    let first = std::fs::read(&pdf).unwrap();
    let (pdf, _) = render(&bundle, &[]);
    assert!(first == std::fs::read(&pdf).unwrap(), "two renders differ");
    // Without --time the timestamp comes from the bundle: still identical.
    let out = dir.join("a.pdf");
    let out2 = dir.join("b.pdf");
    for out in [&out, &out2] {
        let run = zicha(&[
            "render",
            bundle.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert!(std::fs::read(&out).unwrap() == std::fs::read(&out2).unwrap());
}

/// `zicha keygen` for the enterprise's own key in `dir`; the passphrase file's path.
fn keygen(dir: &Path) -> PathBuf {
    let passphrase = dir.join("passphrase");
    std::fs::write(&passphrase, "安全第一 correct horse\n").unwrap();
    let run = zicha(&[
        "keygen",
        "--org",
        "闽江建设工程有限公司",
        "--credit-code",
        "91350100M000100Y43",
        "--signer",
        "李海燕",
        "--not-before",
        "2026-01-01T00:00:00+08:00",
        "--passphrase-file",
        passphrase.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    passphrase
}

/// `input` signed with the key in `dir` as 检查人; the signed file.
fn sign_as_inspector(dir: &Path, passphrase: &Path, input: &Path) -> PathBuf {
    let output = input.with_extension("signed.pdf");
    let run = zicha(&[
        "sign",
        input.to_str().unwrap(),
        "--key",
        dir.join("key.pem").to_str().unwrap(),
        "--cert",
        dir.join("cert.pem").to_str().unwrap(),
        "--role",
        "检查人",
        "--time",
        "2026-03-02T18:10:00+08:00",
        "--passphrase-file",
        passphrase.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    output
}

/// Issue 15 §2 through the CLI: `zicha verify` proves the pages of a report with a photo, and a
/// report whose photo was swapped before signing is not valid, with the page and image named.
#[test]
fn verify_proves_the_pages_and_names_a_swapped_photo() {
    let dir = temp_dir("report-proof");
    let bundle = sample(&dir, "construction", 1);
    let (pdf, _) = render(&bundle, &[]);
    let passphrase = keygen(&dir);
    let signed = sign_as_inspector(&dir, &passphrase, &pdf);
    let run = zicha(&["verify", signed.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "页面 pages: 页面与内嵌数据一致（已证明） pages proven to show the embedded data"
        ),
        "{}",
        run.stdout
    );

    // One byte in the middle of the photo changed in the unsigned report (same length, so the
    // file stays well-formed), then signed: the image is not the photo the data names.
    let photo = load(&bundle).photos.into_values().next().expect("a photo");
    let mut doctored = std::fs::read(&pdf).unwrap();
    let at = doctored
        .windows(photo.len())
        .position(|window| window == photo.as_slice())
        .expect("the photo is embedded as it is")
        + photo.len() / 2;
    doctored[at] ^= 0x55;
    let doctored_path = dir.join("doctored.pdf");
    std::fs::write(&doctored_path, &doctored).unwrap();
    let signed = sign_as_inspector(&dir, &passphrase, &doctored_path);
    let run = zicha(&["verify", signed.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .starts_with(&format!("{}: 无效 invalid", signed.display())),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("页面与内嵌数据不符"), "{}", run.stdout);
    let page = run
        .stdout
        .lines()
        .find(|line| line.contains("changed") || line.contains("图像 Im1"))
        .unwrap_or_else(|| panic!("the image is not named: {}", run.stdout));
    assert!(page.contains("页：图像 Im1 不是数据所指的图像"), "{page}");

    let run = zicha(&["verify", "--json", signed.to_str().unwrap()]);
    let results: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let proof = &results[0]["proof"];
    assert_eq!(proof["status"], "differs", "{proof}");
    assert_eq!(proof["findings"][0]["code"], "pages-differ");
    assert_eq!(proof["findings"][1]["code"], "changed-image");
}

/// Compares `actual` with tests/ref/NAME, or rewrites it with UPDATE_REFS=1.
#[track_caller]
fn golden(name: &str, actual: &str) {
    let path = repo_root().join("tests/ref").join(name);
    if std::env::var("UPDATE_REFS").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_REFS=1", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .map_or(expected.lines().count().min(actual.lines().count()), |n| n);
        panic!(
            "{name} differs from the golden dump at line {}:\n  expected: {:?}\n  actual:   {:?}\n(run with UPDATE_REFS=1 if the change is intended)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

#[test]
fn golden_dumps() {
    let dir = temp_dir("report-golden");
    for sector in ["construction", "school", "fire-safety"] {
        let bundle = sample(&dir, sector, 0);
        let dump = dir.join(format!("{sector}.txt"));
        render(&bundle, &["--dump", dump.to_str().unwrap()]);
        golden(
            &format!("report-{sector}.txt"),
            &std::fs::read_to_string(&dump).unwrap(),
        );
    }
}

/// Renders pages to PNG under tests/artifacts/ (git-ignored) to be looked at.
#[test]
fn page_images_for_review() {
    let dir = temp_dir("report-png");
    let bundle = sample(&dir, "construction", 6);
    let (pdf, _) = render(&bundle, &[]);
    if have_tool("pdftoppm", "-v") {
        let out = repo_root().join("tests/artifacts/report");
        std::fs::create_dir_all(&out).unwrap();
        run_tool(
            "pdftoppm",
            &[
                "-png",
                "-r",
                "60",
                pdf.to_str().unwrap(),
                out.join("construction").to_str().unwrap(),
            ],
        );
    }
}

/// A bundle with a checklist made up for the test (generic sector, `sections` × `per_section`
/// check items), every item answered, the given hazards.
fn synthetic(sections: usize, per_section: usize) -> Bundle {
    let mut toml = String::from(
        "format = 1\nid = \"synthetic\"\nversion = \"1\"\nsector = \"generic\"\ntitle_zh = \"合成检查表（测试用）\"\ntitle_en = \"Synthetic\"\n\n[[standards]]\ncode = \"GB/T 33000-2016\"\ntitle = \"企业安全生产标准化基本规范\"\n",
    );
    for s in 0..sections {
        toml.push_str(&format!(
            "\n[[sections]]\nid = \"s{s:02}\"\ntitle_zh = \"第{s}分项：设备设施与作业环境\"\ntitle_en = \"Section {s}\"\nmax_points = {per_section}\n"
        ));
        for i in 0..per_section {
            toml.push_str(&format!(
                "\n[[sections.items]]\nid = \"s{s:02}-{i:02}\"\ntext_zh = \"检查第{i}号设备的安全防护装置是否齐全有效，安全警示标志是否设置在醒目位置，作业人员是否按规定佩戴劳动防护用品\"\ntext_en = \"Item\"\nkind = \"check\"\npoints = 1\nclause = \"GB/T 33000-2016 5.4\"\nguidance = \"现场查看\"\nverified = false\n"
            ));
        }
    }
    let (parsed, problems) = checklist::parse(&toml);
    assert!(problems.is_empty(), "{problems:?}");
    let checklist = parsed.unwrap();
    let date = zicha_core::inspection::date_format::parse(DATE).unwrap();
    let mut bundle = zicha_core::sample::sample(&checklist, Some(&toml), 3, date);
    for (_, item) in checklist.items() {
        bundle
            .data
            .inspection
            .answers
            .entry(item.id.clone())
            .or_insert_with(|| Answer::new(Response::Conform));
    }
    bundle
}

/// The photos of a `zicha sample --photos N` bundle.
fn sample_photos(dir: &Path, n: usize) -> Vec<Vec<u8>> {
    let bundle = load(&sample(dir, "construction", n));
    bundle.photos.into_values().collect()
}

fn write_bundle(dir: &Path, name: &str, bundle: &Bundle) -> PathBuf {
    let checklist = bundle.checklist().unwrap();
    bundle.validate(&checklist).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bundle.to_zip().unwrap()).unwrap();
    path
}

fn pages(dump: &str) -> usize {
    dump.lines()
        .next()
        .and_then(|line| line.strip_prefix("pages: "))
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn empty_inspection() {
    let dir = temp_dir("report-empty");
    let mut bundle = load(&sample(&dir, "construction", 0));
    bundle.data.inspection.answers.clear();
    bundle.data.hazards.clear();
    let path = write_bundle(&dir, "empty.zicha", &bundle);
    let dump = dir.join("empty.txt");
    let (pdf, stderr) = render(&path, &["--dump", dump.to_str().unwrap()]);
    assert!(!stderr.contains("warning"), "{stderr}");
    let dump = std::fs::read_to_string(dump).unwrap();
    assert!(dump.contains("本次检查未登记隐患"), "{dump}");
    assert!(dump.contains("未检查"));
    if have_tool("qpdf", "-v") {
        run_tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    }
}

/// A synthetic item id alone on a line (an item table row), like `s04-17`.
fn is_item_id(line: &str) -> bool {
    let bytes = line.as_bytes();
    bytes.len() == 6 && bytes[0] == b's' && bytes[3] == b'-'
}

#[test]
fn three_hundred_items_and_twenty_photos() {
    let dir = temp_dir("report-large");
    let photos = sample_photos(&dir, 20);
    assert_eq!(photos.len(), 20);
    let mut bundle = synthetic(10, 30);
    assert_eq!(bundle.checklist().unwrap().item_count(), 300);
    let item_ids: Vec<String> = bundle.data.inspection.answers.keys().cloned().collect();
    for (idx, bytes) in photos.into_iter().enumerate() {
        let sha256 = bundle.add_photo(bytes, "jpg", "");
        if idx % 2 == 0 && !bundle.data.hazards.is_empty() {
            let n = bundle.data.hazards.len();
            bundle.data.hazards[idx / 2 % n].photos_before.push(sha256);
        } else {
            let item = &item_ids[idx * 13 % item_ids.len()];
            bundle
                .data
                .inspection
                .answers
                .get_mut(item)
                .unwrap()
                .photos
                .push(sha256);
        }
    }
    let path = write_bundle(&dir, "large.zicha", &bundle);
    let dump = dir.join("large.txt");
    let (pdf, stderr) = render(&path, &["--dump", dump.to_str().unwrap()]);
    assert!(!stderr.contains("warning"), "{stderr}");
    let dump = std::fs::read_to_string(dump).unwrap();
    assert!(pages(&dump) >= 10, "{}", pages(&dump));
    // Every item row is on some page, whole: its id appears exactly once.
    for id in ["s00-00", "s04-17", "s09-29"] {
        assert_eq!(dump.lines().filter(|line| *line == id).count(), 1, "{id}");
    }
    // The table header repeats on every page of the item tables.
    let item_pages = dump
        .split("=== page ")
        .filter(|page| page.lines().any(is_item_id))
        .collect::<Vec<_>>();
    for page in &item_pages {
        assert!(
            page.contains("\n检查内容\n"),
            "a page of items without the header"
        );
    }
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(size < 12_000_000, "{size}");
    if have_tool("qpdf", "-v") {
        run_tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    }
    if have_tool("pdfimages", "-v") {
        let list = run_tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
        // JPEGs pass through: every image is DCT-encoded.
        let images: Vec<&str> = list.lines().skip(2).collect();
        assert!(images.len() >= 20, "{list}");
        assert!(images.iter().all(|line| line.contains(" jpeg ")), "{list}");
    }
}

#[test]
fn long_note_and_rare_characters() {
    let dir = temp_dir("report-edge");
    let mut bundle = load(&sample(&dir, "school", 0));
    // 䶮 (U+4DAE, Extension A) and 𠀀 (U+20000, Extension B) are not in WenQuanYi Micro Hei.
    bundle.data.organisation.safety_lead = "李䶮".to_owned();
    bundle.data.inspection.inspectors[0] = "王𠀀".to_owned();
    let note: String =
        "现场检查发现消防通道被杂物堵塞，疏散指示标志损坏，应急照明不亮，灭火器过期未检，"
            .chars()
            .cycle()
            .take(2000)
            .collect();
    let item = bundle
        .data
        .inspection
        .answers
        .keys()
        .next()
        .unwrap()
        .clone();
    bundle.data.inspection.answers.get_mut(&item).unwrap().note = note.clone();
    bundle.data.inspection.notes =
        "总体说明：".to_owned() + &note.chars().take(500).collect::<String>();
    let mut hazard = Hazard::new(
        "H-2026-099",
        "疏散通道堵塞".repeat(40),
        Level::General,
        "王𠀀",
        bundle.data.inspection.date,
    );
    hazard.location = "教学楼一层（东）".to_owned();
    bundle.data.hazards.push(hazard);
    let path = write_bundle(&dir, "edge.zicha", &bundle);
    let dump = dir.join("edge.txt");
    let (pdf, stderr) = render(&path, &["--dump", dump.to_str().unwrap()]);
    assert!(
        stderr.contains("U+4DAE") && stderr.contains("U+20000"),
        "{stderr}"
    );
    let dump = std::fs::read_to_string(dump).unwrap();
    assert!(
        dump.contains("warning: the font has no glyph for 䶮 (U+4DAE), 𠀀 (U+20000)"),
        "{dump}"
    );
    // The note is cut in its cell and printed in full in 附注.
    assert!(dump.contains("全文见附注1"), "{dump}");
    let notes = dump.split("附注1").last().unwrap();
    assert!(
        squeeze(notes).contains(&squeeze(&note)[..600]),
        "the full note is not in 附注"
    );
    if have_tool("pdftotext", "-v") {
        let text = run_tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        // The replacement is visible and extractable.
        assert!(text.contains("U+4DAE") && text.contains("U+20000"));
    }
    if have_tool("qpdf", "-v") {
        run_tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    }
}
