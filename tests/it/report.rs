//! The PDF report through `zicha render`: text extraction, fonts, structure and the embedded data
//! checked with poppler (pdftotext, pdffonts, pdfdetach) and qpdf; golden dumps; determinism; edge
//! cases (empty inspection, 300 items with 20 photos, a 2,000-character note, rare characters).
//!
//! The external tools are required when ZICHA_REQUIRE_TOOLS=1 (the test script); elsewhere a test
//! that needs a missing tool returns, and says so on the terminal (`support::announce_skip`).

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
            // JGJ 59 prints its total; other checklists print the 判定标准's verdict instead.
            match score["judgement"]["major_present"].as_bool() {
                None => expect(&fmt(score["total"].as_f64().unwrap())),
                Some(true) => expect("判定结果：存在重大事故隐患"),
                Some(false) => expect("判定结果："),
            }
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

/// `zicha keygen` for the enterprise's own key in `dir` (the enterprise of `bundle`); the
/// passphrase file's path.
fn keygen(dir: &Path, bundle: &Path) -> PathBuf {
    let organisation = load(bundle).data.organisation;
    let passphrase = dir.join("passphrase");
    std::fs::write(&passphrase, "安全第一 correct horse\n").unwrap();
    let run = zicha(&[
        "keygen",
        "--org",
        &organisation.name,
        "--credit-code",
        &organisation.credit_code,
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
        // 李海燕 is not one of the sample's people: the first 检查人 box, by number.
        "--party",
        "1",
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
    let passphrase = keygen(&dir, &bundle);
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

/// Renders pages to PNG under tests/artifacts/ (git-ignored) to be looked at, and checks them:
/// one A4 image per page of the report (595.28 x 841.89 pt at 60 dpi, rounded up by pdftoppm:
/// 497 x 702 pixels), none of them blank.
#[test]
fn page_images_for_review() {
    let dir = temp_dir("report-png");
    let bundle = sample(&dir, "construction", 6);
    let (pdf, stderr) = render(&bundle, &[]);
    let pages: usize = stderr
        .split(" pages,")
        .next()
        .and_then(|head| head.rsplit('(').next())
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("no page count in {stderr}"));
    assert!(pages > 5, "{stderr}");
    if !have_tool("pdftoppm", "-v") {
        return;
    }
    let out = repo_root().join("tests/artifacts/report");
    let _ = std::fs::remove_dir_all(&out);
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
    let mut images: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    images.sort();
    assert_eq!(images.len(), pages, "one image per page: {images:?}");
    // An all-white RGB page of that size deflates to 1,923 bytes; the report's lightest page is
    // over 40 KB.
    let blank = 1_923;
    for image in &images {
        let bytes = std::fs::read(image).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", image.display());
        let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        assert_eq!((width, height), (497, 702), "{}", image.display());
        assert!(
            bytes.len() > 10 * blank,
            "{} looks blank ({} bytes)",
            image.display(),
            bytes.len()
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
                "\n[[sections.items]]\nid = \"s{s:02}-{i:02}\"\ntext_zh = \"检查第{i}号设备的安全防护装置是否齐全有效，安全警示标志是否设置在醒目位置，作业人员是否按规定佩戴劳动防护用品\"\nhazard_zh = \"第{i}号设备安全防护装置缺失或失效，或未设置安全警示标志，或作业人员未按规定佩戴劳动防护用品\"\ntext_en = \"Item\"\nkind = \"check\"\npoints = 1\nclause = \"GB/T 33000-2016 5.4\"\nguidance = \"现场查看\"\nverified = false\n"
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

/// The 判定标准's result, not a percentage, for checklists without a scoring standard (issue 11
/// §6), and what the JGJ 59 forms say next to the grade (§5).
mod judgement {
    use time::macros::{date, datetime};
    use zicha_core::checklist::Checklist;
    use zicha_core::inspection::{Answer, Inspection, Response};
    use zicha_core::ledger::{Hazard, Status};
    use zicha_core::score::{StatusCounts, score};

    use super::*;

    /// An answer written before answers recorded their inspector still loads, with `by` empty.
    #[test]
    fn old_answers_load_without_inspector() {
        let answer: Answer = serde_json::from_str(r#"{"result":"conform"}"#).unwrap();
        assert_eq!(answer, Answer::new(Response::Conform));
        assert_eq!(answer.by, "");
    }

    /// Every `check` item of `checklist` answered 符合, except `failed` (不符合), each answered by
    /// 张三.
    fn answered(checklist: &Checklist, failed: &[&str]) -> Inspection {
        let mut inspection = Inspection::new(
            "INS-J",
            checklist,
            date!(2026 - 03 - 01),
            vec!["张三".into()],
        );
        for (_, item) in checklist.items() {
            if !matches!(item.kind, zicha_core::checklist::ItemKind::Check) {
                continue;
            }
            let response = if failed.contains(&item.id.as_str()) {
                Response::NonConform
            } else {
                Response::Conform
            };
            let mut answer = Answer::new(response);
            answer.by = "张三".into();
            inspection.answers.insert(item.id.clone(), answer);
        }
        inspection
    }

    /// A hazard raised from `item_id`, moved along the legal path to `status`.
    fn hazard(checklist: &Checklist, id: &str, item_id: &str, status: Status) -> Hazard {
        let item = checklist.item(item_id).unwrap();
        let mut hazard = Hazard::from_item(
            id,
            item,
            Some(&Response::NonConform),
            "张三",
            date!(2026 - 03 - 01),
        );
        hazard.rectification.responsible = "王五".into();
        hazard.rectification.measures = "按条款要求整改".into();
        hazard.rectification.acceptance_standard = "符合所引条款的要求".into();
        hazard.rectification.interim_measures = "设置警示并停用相关设施".into();
        hazard.rectification.deadline = Some(date!(2026 - 03 - 20));
        let mut at = datetime!(2026-03-01 10:00 +08:00);
        for (to, passed) in status.path_from_pending() {
            at += time::Duration::hours(1);
            let by = if passed.is_some() { "张三" } else { "王五" };
            hazard.transition(*to, by, at, "处理", *passed).unwrap();
        }
        hazard
    }

    /// Road transport, one 重大 item failed (mh-02) and two 一般 (pax-03, dg-04); the ledger has
    /// mh-02 待整改, pax-03 整改中, dg-04 已销号. By hand: 重大 1 (open 1), 一般 2 (open 1), a
    /// 重大事故隐患 is present.
    #[test]
    fn road_transport_with_one_major() {
        let checklist = zicha_core::catalog::by_id("road-transport").unwrap();
        let inspection = answered(checklist, &["mh-02", "pax-03", "dg-04"]);
        let hazards = vec![
            hazard(checklist, "H-1", "mh-02", Status::Pending),
            hazard(checklist, "H-2", "pax-03", Status::InProgress),
            hazard(checklist, "H-3", "dg-04", Status::Closed),
        ];
        let report = score(checklist, &inspection, &hazards, date!(2026 - 03 - 02));
        assert_eq!(report.grade, None);
        let judgement = report.judgement.as_ref().unwrap();
        assert_eq!(judgement.standards, ["道路运输重大隐患判定标准(试行)"]);
        assert!(judgement.major_found && judgement.major_present);
        assert_eq!(judgement.verdict_zh(), "存在重大事故隐患");
        assert_eq!(judgement.major_items, ["mh-02"]);
        assert_eq!((judgement.major_open, judgement.general_open), (1, 1));
        assert_eq!(
            judgement.major,
            StatusCounts {
                pending: 1,
                ..StatusCounts::default()
            }
        );
        assert_eq!(
            judgement.general,
            StatusCounts {
                in_progress: 1,
                closed: 1,
                ..StatusCounts::default()
            }
        );
        assert_eq!(judgement.combined, None);

        // The JSON keeps `total` and carries the judgement; the report shows no percentage.
        let dir = temp_dir("report-judgement");
        let mut bundle = load(&sample(&dir, "road-transport", 0));
        bundle.data.inspection.answers = inspection.answers.clone();
        bundle.data.inspection.inspectors = inspection.inspectors.clone();
        bundle.data.hazards = hazards;
        let path = write_bundle(&dir, "road.zicha", &bundle);
        let json = score_json(&path);
        assert!(json["total"].as_f64().is_some());
        assert_eq!(json["judgement"]["major_found"], true);
        assert_eq!(json["judgement"]["major_open"], 1);
        assert_eq!(json["judgement"]["general"]["closed"], 1);
        let dump = dir.join("road.txt");
        render(&path, &["--dump", dump.to_str().unwrap()]);
        let dump = squeeze(&std::fs::read_to_string(dump).unwrap());
        for needle in [
            "判定结果：存在重大事故隐患",
            "按道路运输重大隐患判定标准(试行)判定：存在重大事故隐患",
            "重大事故隐患1项（未销号1项），一般事故隐患2项（未销号1项）",
            "不符合的重大隐患判定项：mh-02",
        ] {
            assert!(dump.contains(&squeeze(needle)), "{needle} not in {dump}");
        }
        assert!(!dump.contains('%'), "a percentage is printed: {dump}");
    }

    /// GB 35181 综合判定 on fire-safety: ev-01, ev-04 and fa-06 are 综合判定要素; mh-09 is the
    /// inspector's own summary criterion (tagged `judgement`), not an element. Three elements reach
    /// the count of 3, two do not.
    #[test]
    fn gb35181_combined_judgement() {
        let checklist = zicha_core::catalog::by_id("fire-safety").unwrap();
        let as_of = date!(2026 - 03 - 02);
        let three = answered(checklist, &["ev-01", "ev-04", "fa-06", "ev-02"]);
        let report = score(checklist, &three, &[], as_of);
        let judgement = report.judgement.unwrap();
        let combined = judgement.combined.as_ref().unwrap();
        assert_eq!(combined.elements, ["ev-01", "ev-04", "fa-06"]);
        assert_eq!(combined.threshold, 3);
        assert!(combined.reached);
        // No 重大 item failed and the ledger is empty: the combined rule alone makes it 重大.
        assert!(judgement.major_items.is_empty());
        assert!(judgement.major_found && judgement.major_present);

        let two = answered(checklist, &["ev-01", "fa-06", "mh-09"]);
        let judgement = score(checklist, &two, &[], as_of).judgement.unwrap();
        let combined = judgement.combined.as_ref().unwrap();
        assert_eq!(combined.elements, ["ev-01", "fa-06"]);
        assert!(!combined.reached);
        // mh-09 failed is a 重大 item in its own right.
        assert_eq!(judgement.major_items, ["mh-09"]);
        assert!(judgement.major_present);

        let none = answered(checklist, &["ev-02"]);
        let judgement = score(checklist, &none, &[], as_of).judgement.unwrap();
        assert_eq!(judgement.combined.as_ref().unwrap().elements.len(), 0);
        assert!(!judgement.major_found && !judgement.major_present);
        assert_eq!(judgement.verdict_zh(), "未发现重大事故隐患");

        // Construction has a scoring standard: no judgement.
        let construction = zicha_core::catalog::by_id("construction").unwrap();
        let report = score(construction, &answered(construction, &[]), &[], as_of);
        assert_eq!(report.judgement, None);
    }

    /// A 不合格 grade carries the 限期整改 statement (JGJ 59-2011 5.0.3) in 表A and on the cover;
    /// a 合格 or 优良 one does not. Target 4 without hazards reads 本次未发现隐患.
    #[test]
    fn fail_means_rectify_by_deadline_and_no_hazards_found() {
        let dir = temp_dir("report-fail");
        let mut bundle = load(&sample(&dir, "construction", 0));
        let checklist = bundle.checklist().unwrap();
        bundle.data.hazards.clear();
        // Every failed answer made good (符合, or 不适用 for a measurement): the site grades 优良.
        for (_, item) in checklist.items() {
            let Some(answer) = bundle.data.inspection.answers.get_mut(&item.id) else {
                continue;
            };
            if zicha_core::inspection::evaluate(item, answer).failed {
                answer.response = match item.kind {
                    zicha_core::checklist::ItemKind::Measurement { .. } => Response::NotApplicable,
                    _ => Response::Conform,
                };
            }
        }
        let path = write_bundle(&dir, "pass.zicha", &bundle);
        let dump = dir.join("pass.txt");
        render(&path, &["--dump", dump.to_str().unwrap()]);
        let pass = squeeze(&std::fs::read_to_string(dump).unwrap());
        let json = score_json(&path);
        assert_ne!(
            json["grade"], "不合格",
            "the sample must pass for this test"
        );
        // 表A's header from the project record, 表B's inspectors from the answers.
        let project = bundle.data.project.as_ref().unwrap();
        assert!(!project.floor_area_m2.is_empty() && !project.project_manager.is_empty());
        for needle in [
            format!("建筑面积{}m²", project.floor_area_m2),
            format!("结构类型{}", project.structure_type),
            format!("项目经理{}", project.project_manager),
            format!(
                "法定代表人{}",
                bundle.data.organisation.legal_representative
            ),
        ] {
            assert!(pass.contains(&squeeze(&needle)), "{needle} not in {pass}");
        }
        let b1_by = &bundle.data.inspection.answers["b1-01"].by;
        assert!(!b1_by.is_empty());
        assert!(pass.contains(&format!("检查人（谁排查、谁签字、谁负责）：{b1_by}")));
        assert!(!pass.contains("限期整改"), "{pass}");
        assert!(pass.contains("隐患排查治理率本次未发现隐患"), "{pass}");
        assert!(!pass.contains("0/0（未检查）"), "{pass}");

        // b1-01 is a 保证项目 of B.1: answering it 不符合 scores it 0 and the gate zeroes B.1,
        // so the grade is 不合格 (5.0.1).
        let item = checklist.item("b1-01").unwrap();
        assert!(matches!(
            item.kind,
            zicha_core::checklist::ItemKind::Deduction(_)
        ));
        let rules = match &item.kind {
            zicha_core::checklist::ItemKind::Deduction(rules) => rules,
            _ => unreachable!(),
        };
        let full = rules
            .iter()
            .position(|rule| rule.max >= item.points)
            .unwrap();
        bundle.data.inspection.answers.insert(
            "b1-01".into(),
            Answer::new(Response::Deducted {
                deductions: vec![zicha_core::inspection::AppliedDeduction {
                    rule: full,
                    points: item.points,
                    count: 1,
                }],
            }),
        );
        let path = write_bundle(&dir, "fail.zicha", &bundle);
        assert_eq!(score_json(&path)["grade"], "不合格");
        let dump = dir.join("fail.txt");
        render(&path, &["--dump", dump.to_str().unwrap()]);
        let fail = squeeze(&std::fs::read_to_string(dump).unwrap());
        let statement = squeeze(
            "按JGJ 59-2011第5.0.3条，评定为不合格的必须限期整改，整改后重新检查评定，直至达到合格。",
        );
        // Cover, 检查结论 and 表A's 评语.
        assert_eq!(fail.matches(&statement).count(), 3, "{fail}");
        assert!(fail.contains(&squeeze("评定等级：不合格")), "{fail}");
        assert!(fail.contains(&squeeze("本表不得分")), "{fail}");
    }
}
