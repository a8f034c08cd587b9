//! Signing rendered reports from the command line: keygen → render → sign (several parties) →
//! verify, trust lists, tampered copies, and interop with pdfsig and pyHanko on our real reports.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{have_tool, run_tool, temp_dir, zicha};

pub(crate) const TIME: &str = "2026-03-02T18:00:00+08:00";

pub(crate) struct Party {
    pub(crate) dir: PathBuf,
    pub(crate) fingerprint: String,
}

/// `zicha keygen` for one signer, with the passphrase in a file.
pub(crate) fn keygen(dir: &Path, name: &str, signer: &str, org: &str, code: &str) -> Party {
    let dir = dir.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("passphrase"), "安全第一 correct horse\n").unwrap();
    let run = zicha(&[
        "keygen",
        "--org",
        org,
        "--credit-code",
        code,
        "--signer",
        signer,
        "--not-before",
        "2026-01-01T00:00:00+08:00",
        "--passphrase-file",
        dir.join("passphrase").to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let fingerprint = run.stdout.trim().to_owned();
    assert_eq!(fingerprint.len(), 64, "{fingerprint}");
    Party { dir, fingerprint }
}

pub(crate) fn sign(
    party: &Party,
    input: &Path,
    output: &Path,
    role: &str,
    time: &str,
) -> crate::support::Run {
    zicha(&[
        "sign",
        input.to_str().unwrap(),
        "--key",
        party.dir.join("key.pem").to_str().unwrap(),
        "--cert",
        party.dir.join("cert.pem").to_str().unwrap(),
        "--role",
        role,
        "--time",
        time,
        "--passphrase-file",
        party.dir.join("passphrase").to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ])
}

/// A rendered construction report and the parties who sign it.
struct Fixture {
    dir: PathBuf,
    report: PathBuf,
    inspector: Party,
    manager: Party,
    supervisor: Party,
}

/// `dir/report.pdf`: a sample construction inspection with one photo, rendered.
pub(crate) fn render_report(dir: &Path) -> PathBuf {
    let bundle = dir.join("s.zicha");
    let report = dir.join("report.pdf");
    let run = zicha(&[
        "sample",
        "construction",
        "--seed",
        "3",
        "--date",
        "2026-03-01",
        "--photos",
        "1",
        "-o",
        bundle.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = zicha(&[
        "render",
        bundle.to_str().unwrap(),
        "--time",
        TIME,
        "-o",
        report.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    report
}

fn fixture(name: &str) -> Fixture {
    let dir = temp_dir(name);
    let report = render_report(&dir);
    Fixture {
        inspector: keygen(
            &dir,
            "inspector",
            "王建国",
            "闽江建设工程有限公司",
            "91350100M000100Y43",
        ),
        manager: keygen(
            &dir,
            "manager",
            "李海燕",
            "闽江建设工程有限公司",
            "91350100M000100Y43",
        ),
        supervisor: keygen(
            &dir,
            "supervisor",
            "陈志强",
            "工程监理咨询有限公司",
            "91110000100000000R",
        ),
        dir,
        report,
    }
}

/// Signs the fixture's report by 1 to 3 parties in sequence; returns each stage's file.
fn signed_in_sequence(fixture: &Fixture, parties: usize) -> Vec<PathBuf> {
    let steps = [
        (&fixture.inspector, "检查人", "2026-03-02T18:10:00+08:00"),
        (&fixture.manager, "企业负责人", "2026-03-02T18:20:00+08:00"),
        (&fixture.supervisor, "监理", "2026-03-03T09:00:00+08:00"),
    ];
    let mut input = fixture.report.clone();
    let mut outputs = Vec::new();
    for (idx, (party, role, time)) in steps.iter().take(parties).enumerate() {
        let output = fixture.dir.join(format!("signed-{}.pdf", idx + 1));
        let run = sign(party, &input, &output, role, time);
        assert_eq!(run.code, 0, "{}", run.stderr);
        // Each party's box is the one the report reserved for its role.
        assert!(
            run.stderr
                .contains(&format!("placed in the box reserved for {role}")),
            "{}",
            run.stderr
        );
        outputs.push(output.clone());
        input = output;
    }
    outputs
}

fn verify_json(files: &[&Path], extra: &[&str]) -> (u8, Vec<Value>) {
    let mut args = vec!["verify", "--json"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    args.extend(extra);
    let run = zicha(&args);
    let results: Vec<Value> = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", run.stdout, run.stderr));
    (run.code, results)
}

#[test]
fn three_parties_sign_and_every_stage_verifies() {
    let fixture = fixture("sign-three");
    let stages = signed_in_sequence(&fixture, 3);
    let (code, results) = verify_json(
        &stages.iter().map(PathBuf::as_path).collect::<Vec<_>>(),
        &[],
    );
    assert_eq!(code, 0, "{results:#?}");
    for (idx, result) in results.iter().enumerate() {
        assert_eq!(result["verdict"], "valid", "{result:#}");
        let signatures = result["signatures"].as_array().unwrap();
        assert_eq!(signatures.len(), idx + 1);
        assert!(signatures.iter().all(|s| s["verdict"] == "valid"));
    }
    let last = &results[2];
    let roles: Vec<&str> = last["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, vec!["检查人", "企业负责人", "监理"]);
    let first = &last["signatures"][0];
    assert_eq!(
        (first["signer"].as_str(), first["organisation"].as_str()),
        (Some("王建国"), Some("闽江建设工程有限公司"))
    );
    assert_eq!(first["credit_code"], "91350100M000100Y43");
    assert_eq!(first["fingerprint"], fixture.inspector.fingerprint.as_str());
    assert!(
        first["time"]
            .as_str()
            .unwrap()
            .starts_with("2026-03-02T18:10:00"),
        "{first}"
    );
    // The inspection travels inside the signed bytes and re-scores.
    let inspection = &last["inspection"];
    assert_eq!(inspection["signed"], true, "{inspection:#}");
    assert!(
        inspection["score"]["five_100"].as_array().unwrap().len() == 5,
        "{inspection:#}"
    );
    assert!(["优良", "合格", "不合格"].contains(&inspection["score"]["grade"].as_str().unwrap()));
    // The report's own summary.json equals the inspection re-scored by zicha-core.
    assert_eq!(inspection["matches_report"], true, "{inspection:#}");
}

#[test]
fn trust_list_and_csv() {
    let fixture = fixture("sign-trust");
    let stages = signed_in_sequence(&fixture, 2);
    let trust = fixture.dir.join("trust.txt");
    std::fs::write(
        &trust,
        format!("# 已登记的企业证书\n{}\n", fixture.inspector.fingerprint),
    )
    .unwrap();
    let csv = fixture.dir.join("out.csv");
    let (code, results) = verify_json(
        &[&stages[1]],
        &[
            "--trust",
            trust.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0);
    let trust_of: Vec<&str> = results[0]["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["trust"].as_str().unwrap())
        .collect();
    assert_eq!(trust_of, vec!["known", "unknown"]);
    let csv = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[0].starts_with("\u{feff}file,verdict,signatures,signers"),
        "{csv}"
    );
    assert!(
        lines[1].contains(",valid,2,检查人 王建国; 企业负责人 李海燕,"),
        "{csv}"
    );
    assert!(lines[1].contains("known; unknown"), "{csv}");
}

#[test]
fn tampered_copies_are_not_valid() {
    let fixture = fixture("sign-tamper");
    let signed = signed_in_sequence(&fixture, 1).remove(0);
    let bytes = std::fs::read(&signed).unwrap();
    let original_len = std::fs::metadata(&fixture.report).unwrap().len() as usize;

    // One flipped byte in the middle of the signed report (photo, font or page content).
    let mut flipped = bytes.clone();
    flipped[original_len / 2] ^= 0x01;
    let flipped_path = fixture.dir.join("flipped.pdf");
    std::fs::write(&flipped_path, &flipped).unwrap();

    // Bytes appended after the last %%EOF that are not a revision.
    let mut appended = bytes.clone();
    appended.extend_from_slice(b"\n% added later\n1 0 obj (x) endobj\n");
    let appended_path = fixture.dir.join("appended.pdf");
    std::fs::write(&appended_path, &appended).unwrap();

    // Cut off.
    let truncated_path = fixture.dir.join("truncated.pdf");
    std::fs::write(&truncated_path, &bytes[..bytes.len() - 200]).unwrap();

    let not_pdf = fixture.dir.join("not.pdf");
    std::fs::write(&not_pdf, "这不是PDF").unwrap();

    let (code, results) = verify_json(
        &[
            &signed,
            &flipped_path,
            &appended_path,
            &truncated_path,
            &not_pdf,
            &fixture.report,
        ],
        &[],
    );
    assert_eq!(code, 1, "exit 0 only when every file is valid");
    let verdicts: Vec<&str> = results
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts[0], "valid");
    assert_eq!(verdicts[1], "invalid", "{:#}", results[1]);
    assert_ne!(verdicts[2], "valid", "{:#}", results[2]);
    assert_eq!(verdicts[3], "invalid", "{:#}", results[3]);
    assert_eq!(verdicts[4], "invalid", "{:#}", results[4]);
    assert_eq!(
        verdicts[5], "invalid",
        "an unsigned report is not valid: {:#}",
        results[5]
    );
    // Every failure says why, in both languages.
    for result in &results[1..] {
        let reasons: Vec<&Value> = result["findings"]
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
            .collect();
        assert!(!reasons.is_empty(), "{result:#}");
        assert!(
            reasons
                .iter()
                .all(|r| r["zh"].is_string() && r["en"].is_string()),
            "{result:#}"
        );
    }
}

#[test]
fn wrong_passphrase_and_bad_inputs() {
    let fixture = fixture("sign-errors");
    std::fs::write(
        fixture.inspector.dir.join("passphrase"),
        "wrong passphrase\n",
    )
    .unwrap();
    let out = fixture.dir.join("x.pdf");
    let run = sign(&fixture.inspector, &fixture.report, &out, "检查人", TIME);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("key.pem"), "{}", run.stderr);
    assert!(!out.exists(), "nothing is written on failure");
    // A key is never overwritten by accident.
    let run = zicha(&[
        "keygen",
        "--org",
        "X",
        "--credit-code",
        "91350100M000100Y43",
        "--signer",
        "Y",
        "-o",
        fixture.manager.dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("refusing to overwrite"),
        "{}",
        run.stderr
    );
    // The credit code is checked, naming the expected character.
    let run = zicha(&[
        "keygen",
        "--org",
        "X",
        "--credit-code",
        "91350100M000100Y44",
        "--signer",
        "Y",
        "-o",
        fixture.dir.join("k").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("expected '3'"), "{}", run.stderr);
}

#[test]
fn pdfsig_and_pyhanko_accept_our_signed_reports() {
    if !have_tool("pdfsig", "-v") || !have_tool("pyhanko", "--version") {
        return;
    }
    let fixture = fixture("sign-interop");
    let stages = signed_in_sequence(&fixture, 3);
    for (idx, stage) in [&stages[0], &stages[2]].into_iter().enumerate() {
        let n = if idx == 0 { 1 } else { 3 };
        let output = std::process::Command::new("pdfsig")
            .arg(stage)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert_eq!(text.matches("Signature is Valid.").count(), n, "{text}");
        let last = text.rsplit("Signature #").next().unwrap();
        assert!(last.contains("Total document signed"), "{text}");
    }
    let mut args: Vec<String> = vec![
        "sign".into(),
        "validate".into(),
        "--pretty-print".into(),
        "--no-revocation-check".into(),
    ];
    for party in [&fixture.inspector, &fixture.manager, &fixture.supervisor] {
        args.push("--trust".into());
        args.push(party.dir.join("cert.pem").display().to_string());
    }
    args.push(stages[0].display().to_string());
    let text = run_tool(
        "pyhanko",
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert!(text.contains("judged VALID"), "{text}");

    // Both reject a flipped byte.
    let mut flipped = std::fs::read(&stages[0]).unwrap();
    let original_len = std::fs::metadata(&fixture.report).unwrap().len() as usize;
    flipped[original_len / 2] ^= 0x01;
    let flipped_path = fixture.dir.join("flipped.pdf");
    std::fs::write(&flipped_path, &flipped).unwrap();
    let output = std::process::Command::new("pdfsig")
        .arg(&flipped_path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(!text.contains("Signature is Valid."), "{text}");
    *args.last_mut().unwrap() = flipped_path.display().to_string();
    let output = std::process::Command::new("pyhanko")
        .args(&args)
        .output()
        .unwrap();
    assert!(
        !output.status.success(),
        "pyhanko accepted a flipped byte: {}",
        String::from_utf8_lossy(&output.stdout)
    );
}
