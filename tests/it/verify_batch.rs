//! `zicha verify` on a month's folder: folders walked in a fixed order, every file a result (broken
//! and unreadable ones too), text / JSON / JSON Lines / CSV that agree, a CSV that is safe to open
//! in a spreadsheet (read back with Python's csv module), and no escape sequences where no terminal
//! is.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::signing::{Party, keygen, render_report, sign_with};
use crate::support::{have_tool, run_tool, temp_dir, zicha};

/// What a spreadsheet would take for a formula (OWASP's list).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

const HOSTILE_ORG: &str = "=HYPERLINK(\"http://x\",\"y\")";

/// A folder of 20 reports in subfolders, 3 of them broken, plus files that are not `*.pdf`; and
/// the 20 paths in the order `zicha verify FOLDER` must give them (sorted by name at every level).
struct Batch {
    folder: PathBuf,
    expected_order: Vec<PathBuf>,
}

/// The enterprise of the rendered sample, read back with `zicha verify --json`, so that the
/// genuine signer's certificate names the party the report is about.
pub(crate) fn enterprise_of(report: &Path) -> (String, String) {
    let run = zicha(&["verify", "--json", report.to_str().unwrap()]);
    let results: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let inspection = &results[0]["inspection"];
    (
        inspection["organisation"].as_str().unwrap().to_owned(),
        inspection["credit_code"].as_str().unwrap().to_owned(),
    )
}

/// `report` signed by `party` where `choice` says (`--party 1`: box 1, the first 检查人, chosen
/// explicitly since the test's signers are not the sample's people).
fn signed_copy(party: &Party, report: &Path, output: &Path, choice: &[&str]) -> Vec<u8> {
    let run = sign_with(party, report, output, choice, "2026-03-02T18:10:00+08:00");
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::read(output).unwrap()
}

fn batch(name: &str) -> Batch {
    let dir = temp_dir(name);
    let report = render_report(&dir);
    let (organisation, credit_code) = enterprise_of(&report);
    let genuine = keygen(&dir, "genuine", "周敏", &organisation, &credit_code);
    // A self-issued certificate whose O is a spreadsheet formula and whose CN moves the cursor.
    let hostile = keygen(&dir, "hostile", "周敏\u{1b}[2J", HOSTILE_ORG, &credit_code);
    let folder = dir.join("2026-03");
    std::fs::create_dir_all(folder.join("sub/deeper")).unwrap();
    let signed = signed_copy(
        &genuine,
        &report,
        &dir.join("genuine.pdf"),
        &["--party", "1"],
    );
    // `zicha sign` refuses a certificate of another unit for a box (tests/it/parties.rs): the
    // hostile one signs outside the boxes as 检查人, as another tool could.
    signed_copy(
        &hostile,
        &report,
        &folder.join("hostile.pdf"),
        &["--page", "1", "--role", "检查人"],
    );

    let mut valid_names: Vec<String> = (1..=12).map(|n| format!("{n:02}.pdf")).collect();
    valid_names.extend(["sub/13.PDF", "sub/14.pdf", "sub/deeper/15.pdf"].map(String::from));
    valid_names.push("evil\u{1b}]0;pwned\u{7}.pdf".to_owned());
    for name in &valid_names {
        std::fs::write(folder.join(name), &signed).unwrap();
    }
    let original_len = std::fs::metadata(&report).unwrap().len() as usize;
    let mut modified = signed.clone();
    modified[original_len / 2] ^= 0x01;
    std::fs::write(folder.join("modified.pdf"), &modified).unwrap();
    std::fs::write(folder.join("truncated.pdf"), &signed[..signed.len() - 200]).unwrap();
    std::fs::write(folder.join("not-a-pdf.pdf"), "这不是PDF").unwrap();
    std::fs::write(folder.join("notes.txt"), "not a report").unwrap();
    std::fs::write(folder.join("sub/readme.md"), "not a report").unwrap();

    // By name at every level, bytewise: digits < "evil" < "hostile" < "modified" < "not-a-pdf"
    // < "sub" < "truncated"; in sub/, "13.PDF" < "14.pdf" < "deeper".
    let expected_order = [
        "01.pdf",
        "02.pdf",
        "03.pdf",
        "04.pdf",
        "05.pdf",
        "06.pdf",
        "07.pdf",
        "08.pdf",
        "09.pdf",
        "10.pdf",
        "11.pdf",
        "12.pdf",
        "evil\u{1b}]0;pwned\u{7}.pdf",
        "hostile.pdf",
        "modified.pdf",
        "not-a-pdf.pdf",
        "sub/13.PDF",
        "sub/14.pdf",
        "sub/deeper/15.pdf",
        "truncated.pdf",
    ]
    .iter()
    .map(|name| folder.join(name))
    .collect();
    Batch {
        folder,
        expected_order,
    }
}

fn reasons(result: &Value) -> Vec<String> {
    result["findings"]
        .as_array()
        .unwrap()
        .iter()
        .chain(
            result["signatures"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|s| s["reasons"].as_array().unwrap()),
        )
        .map(|reason| reason["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_folder_of_20_with_3_broken_gives_20_results_in_every_format() {
    let batch = batch("verify-batch");
    let folder = batch.folder.to_str().unwrap();
    let expected_files: Vec<String> = batch
        .expected_order
        .iter()
        .map(|path| path.display().to_string())
        .collect();

    let json = zicha(&["verify", "--json", "--jobs", "3", folder]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    let results: Vec<Value> = serde_json::from_str(&json.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", json.stdout, json.stderr));
    let files: Vec<&str> = results
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, expected_files);
    // 16 genuine copies are valid, 3 broken files are not; the hostile certificate's verdict is
    // the identity checks' business (its file only supplies hostile cells).
    let n_valid = 16 + usize::from(results[13]["verdict"] == "valid");
    assert_eq!(
        json.stderr,
        format!(
            "zicha: 20 files: {n_valid} valid, {} not valid\n",
            20 - n_valid
        )
    );
    for (path, result) in batch.expected_order.iter().zip(&results) {
        let name = path.file_name().unwrap().to_str().unwrap();
        let verdict = result["verdict"].as_str().unwrap();
        match name {
            "modified.pdf" | "truncated.pdf" | "not-a-pdf.pdf" => {
                assert_eq!(verdict, "invalid", "{result:#}");
                assert!(!reasons(result).is_empty(), "{result:#}");
            }
            "hostile.pdf" => {}
            _ => assert_eq!(verdict, "valid", "{result:#}"),
        }
    }
    assert_eq!(reasons(&results[15]), ["unreadable"], "{:#}", results[15]);

    // The same results, one per line, and the same with one worker as with three.
    let lines = zicha(&["verify", "--jsonl", folder]);
    assert_eq!(lines.code, 1);
    let from_lines: Vec<Value> = lines
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(from_lines, results);
    let one_worker = zicha(&["verify", "--json", "--jobs", "1", folder]);
    assert_eq!(one_worker.stdout, json.stdout);

    // Text: one heading line per file, in the same order; nothing from a file moves the cursor.
    let text = zicha(&["verify", folder]);
    assert_eq!(text.code, 1);
    let headings: Vec<&str> = text
        .stdout
        .lines()
        .filter(|line| !line.starts_with(' '))
        .collect();
    assert_eq!(headings.len(), 20, "{}", text.stdout);
    assert_eq!(
        headings[12],
        format!(
            "{}: 有效 valid",
            batch.folder.join("evil]0;pwned.pdf").display()
        )
    );
    assert!(
        headings[14].ends_with("modified.pdf: 无效 invalid"),
        "{headings:#?}"
    );
    assert!(
        !text.stdout.contains(['\u{1b}', '\u{7}']),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains(&format!("周敏[2J · {HOSTILE_ORG} (")),
        "{}",
        text.stdout
    );
}

#[test]
fn the_csv_reads_back_in_python_with_bom_and_neutralised_cells() {
    if !have_tool("python3", "--version") {
        return;
    }
    let batch = batch("verify-batch-csv");
    let csv = batch.folder.parent().unwrap().join("verify.csv");
    let run = zicha(&[
        "verify",
        batch.folder.to_str().unwrap(),
        "--jsonl",
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let script = "import csv, json, sys\n\
                  raw = open(sys.argv[1], 'rb').read()\n\
                  rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))\n\
                  print(json.dumps({'bom': raw.startswith(b'\\xef\\xbb\\xbf'), 'rows': rows}))\n";
    let read_back: Value =
        serde_json::from_str(&run_tool("python3", &["-c", script, csv.to_str().unwrap()])).unwrap();
    assert_eq!(read_back["bom"], true);
    let rows: Vec<Vec<&str>> = read_back["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|cell| cell.as_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 21, "a header and 20 rows: {rows:#?}");
    let header = &rows[0];
    assert_eq!(&header[..3], ["file", "verdict", "signatures"]);
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let files: Vec<&str> = rows[1..].iter().map(|row| row[column("file")]).collect();
    let expected: Vec<String> = batch
        .expected_order
        .iter()
        .map(|path| path.display().to_string().replace(['\u{1b}', '\u{7}'], ""))
        .collect();
    assert_eq!(files, expected);
    let hostile = &rows[14];
    assert!(hostile[column("file")].ends_with("hostile.pdf"));
    assert_eq!(
        hostile[column("organisations")],
        "'=HYPERLINK(\"http://x\",\"y\")"
    );
    assert_eq!(hostile[column("signers")], "检查人 周敏[2J");
    for row in &rows {
        assert_eq!(row.len(), header.len(), "{row:?}");
        for cell in row {
            assert!(!cell.starts_with(FORMULA_STARTS), "{cell:?} in {row:?}");
            assert!(!cell.contains(char::is_control), "{cell:?} in {row:?}");
        }
    }
}

#[test]
fn paths_that_cannot_be_read_are_results_and_the_run_goes_on() {
    let dir = temp_dir("verify-unreadable");
    let folder = dir.join("in");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("a.pdf"), "not a pdf").unwrap();
    let mut expected = vec![
        (dir.join("missing.pdf"), "file-unreadable"),
        (folder.join("a.pdf"), "unreadable"),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.join("nowhere.pdf"), folder.join("b.pdf")).unwrap();
        expected.push((folder.join("b.pdf"), "file-unreadable"));
        // Root reads files whatever their mode: then this one is only "not a pdf".
        use std::os::unix::fs::PermissionsExt;
        let locked = folder.join("c.pdf");
        std::fs::write(&locked, "%PDF-1.7").unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let code = if std::fs::read(&locked).is_err() {
            "file-unreadable"
        } else {
            "unreadable"
        };
        expected.push((locked, code));
    }
    let missing = dir.join("missing.pdf");
    let run = zicha(&[
        "verify",
        "--json",
        missing.to_str().unwrap(),
        folder.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let results: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let got: Vec<(PathBuf, String)> = results
        .iter()
        .map(|r| {
            let codes = reasons(r);
            assert_eq!(codes.len(), 1, "{r:#}");
            (PathBuf::from(r["file"].as_str().unwrap()), codes[0].clone())
        })
        .collect();
    let expected: Vec<(PathBuf, String)> = expected
        .into_iter()
        .map(|(path, code)| (path, code.to_owned()))
        .collect();
    assert_eq!(got, expected);
    assert!(results.iter().all(|r| r["verdict"] == "invalid"));
    assert!(
        results[0]["findings"][0]["en"]
            .as_str()
            .unwrap()
            .starts_with("the file cannot be read: "),
        "{:#}",
        results[0]
    );

    // A folder without reports: valid JSON, nothing to fail.
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let run = zicha(&["verify", "--json", empty.to_str().unwrap()]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "[]\n"),
        "{}",
        run.stderr
    );
    let run = zicha(&["verify", "--jsonl", empty.to_str().unwrap()]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_2_and_nothing_else_does() {
    let dir = temp_dir("verify-usage");
    let file = dir.join("x.pdf");
    std::fs::write(&file, "x").unwrap();
    let file = file.to_str().unwrap();
    for args in [
        vec!["verify"],
        vec!["verify", "--jobs", "0", file],
        vec!["verify", "--json", "--jsonl", file],
        vec!["verify", "--trust", "/nonexistent/trust.txt", file],
    ] {
        let run = zicha(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
    }
    let csv_in_missing_folder = dir.join("no/such/folder/out.csv");
    let run = zicha(&[
        "verify",
        file,
        "--csv",
        csv_in_missing_folder.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("out.csv"), "{}", run.stderr);
}

#[test]
fn help_has_escape_codes_only_for_a_terminal() {
    for args in [
        vec!["zicha", "--help"],
        vec!["zicha", "verify", "--help"],
        vec!["zicha", "verify", "--no-such-flag"],
    ] {
        let plain = zicha(&args[1..]);
        let text = plain.stdout + &plain.stderr;
        assert!(!text.contains('\u{1b}'), "{args:?}: {text:?}");
        assert!(text.contains("Usage"), "{args:?}: {text}");

        let mut out = Vec::new();
        let mut err = Vec::new();
        let terminal = zicha_cli::Terminal {
            out_ansi: true,
            err_ansi: true,
        };
        zicha_cli::run_with(args.iter().copied(), &mut out, &mut err, terminal);
        let styled = String::from_utf8([out, err].concat()).unwrap();
        assert!(styled.contains("\u{1b}["), "{args:?}: {styled:?}");
    }
    let help = zicha(&["verify", "--help"]).stdout;
    assert!(help.contains("in input order"), "{help}");
    assert!(help.contains("--jsonl"), "{help}");
}

/// Stdout whose reader goes away after `left` bytes, as `zicha verify DIR | head -c 100` does.
pub(crate) struct ClosesAfter {
    pub(crate) left: usize,
}

impl std::io::Write for ClosesAfter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::ErrorKind::BrokenPipe.into());
        }
        let written = buf.len().min(self.left);
        self.left -= written;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_reader_that_goes_away_ends_the_run_quietly_as_unfinished() {
    let batch = batch("verify-batch-pipe");
    let mut out = ClosesAfter { left: 100 };
    let mut err = Vec::new();
    let code = zicha_cli::run(
        ["zicha", "verify", batch.folder.to_str().unwrap()],
        &mut out,
        &mut err,
    );
    let err = String::from_utf8(err).unwrap();
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("error"), "{err}");
}
