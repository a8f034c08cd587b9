//! The command line's contract (issue 19 §5): exit codes 1 (problems in the input) and 2 (usage
//! or I/O) of render, sign, verify, lint and keygen on bad input; the options --p12, --page,
//! --font, --fallback-font and --force, each doing what its help says; and `zicha verify` on a
//! validly signed report whose printed summary disagrees with its own data (the DIFFERS line and
//! `matches_report: false`).

use std::path::{Path, PathBuf};

use crate::signing::{TIME, keygen, render_report, sign_with};
use crate::support::{Run, repo_root, temp_dir, zicha};
use crate::verify_batch::enterprise_of;

const FONT: &str = "assets/fonts/wqy-microhei.ttc";

fn font() -> PathBuf {
    repo_root().join(FONT)
}

#[track_caller]
fn assert_code(run: &Run, code: u8, stderr_has: &str) {
    assert_eq!(
        run.code, code,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(
        run.stderr.contains(stderr_has) || run.stdout.contains(stderr_has),
        "expected {stderr_has:?} in\nstdout: {}\nstderr: {}",
        run.stdout,
        run.stderr
    );
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A sample bundle (construction, one photo) in `dir`.
fn sample(dir: &Path) -> PathBuf {
    let bundle = dir.join("s.zicha");
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
        s(&bundle),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    bundle
}

#[test]
fn render_exit_codes_and_font_options() {
    let dir = temp_dir("contract-render");
    let bundle = sample(&dir);
    let out = dir.join("r.pdf");
    // Usage: no output named.
    assert_code(&zicha(&["render", s(&bundle)]), 2, "--output");
    // I/O: the bundle is not there.
    let missing = dir.join("missing.zicha");
    assert_code(
        &zicha(&["render", s(&missing), "-o", s(&out)]),
        2,
        "cannot read",
    );
    // Problems in the input: a file that is no bundle.
    let not_a_zip = dir.join("not-a-zip.zicha");
    std::fs::write(&not_a_zip, "inspection").unwrap();
    assert_code(
        &zicha(&["render", s(&not_a_zip), "-o", s(&out)]),
        1,
        "not-a-zip.zicha",
    );
    assert!(!out.exists(), "nothing written for a bad bundle");

    // --font with face 1 of the collection (Micro Hei Mono): the report embeds that face.
    let run = zicha(&[
        "render",
        s(&bundle),
        "-o",
        s(&out),
        "--time",
        TIME,
        "--font",
        s(&font()),
        "--font-index",
        "1",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = std::fs::read(&out).unwrap();
    assert!(contains(&pdf, b"WenQuanYiMicroHeiMono"), "face 1 embedded");
    let run = zicha(&["render", s(&bundle), "-o", s(&out), "--time", TIME]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = std::fs::read(&out).unwrap();
    assert!(
        !contains(&pdf, b"WenQuanYiMicroHeiMono"),
        "face 0 by default"
    );
    assert!(contains(&pdf, b"WenQuanYiMicroHei"));
    // A --font that is not there, or is no font.
    assert_code(
        &zicha(&["render", s(&bundle), "-o", s(&out), "--font", s(&missing)]),
        2,
        "cannot read",
    );
    assert_code(
        &zicha(&["render", s(&bundle), "-o", s(&out), "--font", s(&not_a_zip)]),
        2,
        "font",
    );

    // --fallback-font: read and checked like --font; a valid one renders.
    assert_code(
        &zicha(&[
            "render",
            s(&bundle),
            "-o",
            s(&out),
            "--fallback-font",
            s(&missing),
        ]),
        2,
        "cannot read",
    );
    assert_code(
        &zicha(&[
            "render",
            s(&bundle),
            "-o",
            s(&out),
            "--fallback-font",
            s(&not_a_zip),
        ]),
        2,
        "font",
    );
    let run = zicha(&[
        "render",
        s(&bundle),
        "-o",
        s(&out),
        "--time",
        TIME,
        "--fallback-font",
        s(&font()),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[test]
fn sign_exit_codes_force_page_and_p12() {
    let dir = temp_dir("contract-sign");
    let report = render_report(&dir);
    // The enterprise of the sample (read from the report: it follows the checklist's version),
    // whose boxes this certificate may sign.
    let (organisation, credit_code) = enterprise_of(&report);
    let party = keygen(&dir, "p", "李海燕", &organisation, &credit_code);
    let out = dir.join("signed.pdf");
    let key = party.dir.join("key.pem");
    let cert = party.dir.join("cert.pem");
    let passphrase = party.dir.join("passphrase");
    let base = |input: &Path, output: &Path| -> Vec<String> {
        [
            "sign",
            s(input),
            "--key",
            s(&key),
            "--cert",
            s(&cert),
            "--passphrase-file",
            s(&passphrase),
            "--time",
            "2026-03-02T18:10:00+08:00",
            "-o",
            s(output),
        ]
        .map(str::to_owned)
        .to_vec()
    };
    let run_with = |args: Vec<String>, extra: &[&str]| -> Run {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.extend_from_slice(extra);
        zicha(&args)
    };
    // Usage: neither --key nor --p12.
    assert_code(&zicha(&["sign", s(&report), "-o", s(&out)]), 2, "--key");
    // I/O: the input is not there.
    assert_code(
        &run_with(base(&dir.join("missing.pdf"), &out), &[]),
        2,
        "cannot read",
    );
    // Problems in the input: a certificate file that holds no certificate.
    let bad_cert = dir.join("bad-cert.pem");
    std::fs::write(&bad_cert, "not a certificate").unwrap();
    let mut args = base(&report, &out);
    let at = args.iter().position(|arg| arg == "--cert").unwrap();
    args[at + 1] = s(&bad_cert).to_owned();
    assert_code(&run_with(args, &[]), 1, "bad-cert.pem");
    // A wrong passphrase is a problem in the input too.
    let wrong = dir.join("wrong");
    std::fs::write(&wrong, "not the passphrase\n").unwrap();
    let mut args = base(&report, &out);
    let at = args
        .iter()
        .position(|arg| arg == "--passphrase-file")
        .unwrap();
    args[at + 1] = s(&wrong).to_owned();
    assert_code(&run_with(args, &["--party", "1"]), 1, "key.pem");

    // --page: a visible signature on page 1, outside the reserved boxes.
    let run = run_with(base(&report, &out), &["--page", "1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let results = verify_json(&out);
    assert_eq!(results[0]["verdict"], "valid", "{results:#}");
    assert_eq!(results[0]["signatures"].as_array().unwrap().len(), 1);
    // A page the report does not have.
    let other = dir.join("other.pdf");
    let run = run_with(base(&report, &other), &["--page", "99"]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("99"), "{}", run.stderr);
    assert!(!other.exists());

    // --force: an existing output is refused without it (exit 2), replaced with it.
    let before = std::fs::read(&out).unwrap();
    let run = run_with(base(&report, &out), &["--party", "1"]);
    assert_code(&run, 2, "--force");
    assert_eq!(std::fs::read(&out).unwrap(), before, "left as it was");
    let run = run_with(base(&report, &out), &["--party", "1", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_ne!(std::fs::read(&out).unwrap(), before, "replaced");

    // --p12: a CA's PKCS#12 file (P-256, passphrase zicha-test) instead of --key/--cert.
    let p12 = repo_root().join("crates/sign/tests/fixtures/p256-aes.p12");
    let p12_pass = dir.join("p12-pass");
    std::fs::write(&p12_pass, "zicha-test\n").unwrap();
    let p12_out = dir.join("p12.pdf");
    let p12_args = |pass: &Path, output: &Path| {
        vec![
            "sign".to_owned(),
            s(&report).to_owned(),
            "--p12".into(),
            s(&p12).to_owned(),
            "--passphrase-file".into(),
            s(pass).to_owned(),
            // Inside the fixture's validity (from 2026-11-28).
            "--time".into(),
            "2026-12-01T10:00:00+08:00".into(),
            "--page".into(),
            "1".into(),
            "-o".into(),
            s(output).to_owned(),
        ]
    };
    let run = run_with(p12_args(&p12_pass, &p12_out), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let results = verify_json(&p12_out);
    let signature = &results[0]["signatures"][0];
    assert_eq!(signature["signer"], "钱七", "{results:#}");
    // The signature itself verifies; only who signed is wrong: the .p12's unit (福州示例化工) is
    // not the enterprise the report's 检查人 signs for.
    let reasons: Vec<&str> = signature["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|reason| reason["code"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["signer-party-mismatch"], "{results:#}");
    // The wrong passphrase for the .p12: a problem in the input.
    let run = run_with(p12_args(&wrong, &dir.join("p12-wrong.pdf")), &[]);
    assert_code(&run, 1, "p256-aes.p12");
    // --p12 with --key: usage.
    let run = run_with(
        p12_args(&p12_pass, &dir.join("p12-both.pdf")),
        &["--key", s(&key)],
    );
    assert_code(&run, 2, "--key");
}

fn verify_json(file: &Path) -> serde_json::Value {
    let run = zicha(&["verify", "--json", s(file)]);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", run.stdout, run.stderr))
}

#[test]
fn verify_lint_and_keygen_exit_codes() {
    let dir = temp_dir("contract-misc");
    // verify: 1 for a file that is no PDF, 2 for usage and for an unreadable --trust.
    let not_pdf = dir.join("not.pdf");
    std::fs::write(&not_pdf, "hello").unwrap();
    assert_code(&zicha(&["verify", s(&not_pdf)]), 1, "not.pdf");
    assert_code(&zicha(&["verify"]), 2, "PATH");
    assert_code(
        &zicha(&["verify", s(&not_pdf), "--trust", s(&dir.join("no-list"))]),
        2,
        "cannot read",
    );
    assert_code(
        &zicha(&["verify", s(&not_pdf), "--jobs", "many"]),
        2,
        "--jobs",
    );

    // lint: 1 for a checklist with a problem, 2 for a path that is not there.
    let broken = dir.join("broken.toml");
    std::fs::write(&broken, "id = \"x\"\n[[section]\n").unwrap();
    assert_code(&zicha(&["lint", s(&broken)]), 1, "broken.toml:");
    assert_code(&zicha(&["lint", s(&dir.join("none.toml"))]), 2, "none.toml");

    // keygen: 2 for a credit code that fails its check character, and for an existing key
    // without --force; --force replaces it with a new key.
    std::fs::write(dir.join("passphrase"), "安全第一 correct horse\n").unwrap();
    let keygen = |code: &str, extra: &[&str]| {
        let out = dir.join("keys");
        let pass = dir.join("passphrase");
        let mut args = vec![
            "keygen",
            "--org",
            "福州示例化工有限公司",
            "--credit-code",
            code,
            "--signer",
            "张三",
            "--not-before",
            "2026-01-01T00:00:00+08:00",
            "--passphrase-file",
            pass.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let args: Vec<String> = args.into_iter().map(str::to_owned).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        zicha(&args)
    };
    assert_code(&keygen("91350100M000100Y44", &[]), 2, "91350100M000100Y44");
    let first = keygen("91350100M000100Y43", &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_code(&keygen("91350100M000100Y43", &[]), 2, "--force");
    let cert = std::fs::read(dir.join("keys/cert.pem")).unwrap();
    let second = keygen("91350100M000100Y43", &["--force"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_ne!(second.stdout, first.stdout, "a new key, a new fingerprint");
    assert_ne!(std::fs::read(dir.join("keys/cert.pem")).unwrap(), cert);
}

/// `zicha verify` on a report whose embedded summary.json was changed before signing: the
/// signature is valid (it covers the doctored bytes), the data re-scored differs from what the
/// report prints, and both the text and the JSON say so.
#[test]
fn verify_says_when_the_printed_summary_differs_from_the_data() {
    let dir = temp_dir("contract-differs");
    let report = render_report(&dir);
    // The embedded summary.json, with one more 一般 hazard than the data has.
    let mut document = lopdf::Document::load(&report).unwrap();
    let mut doctored = false;
    for object in document.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        let content = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        let Ok(mut summary) = serde_json::from_slice::<serde_json::Value>(&content) else {
            continue;
        };
        if summary.get("signature_slots").is_none() {
            continue;
        }
        let general = &mut summary["score"]["hazards"]["general"];
        let count = general.as_u64().expect("hazards.general in summary.json");
        *general = (count + 1).into();
        stream.dict.remove(b"Filter");
        stream.set_content(serde_json::to_vec_pretty(&summary).unwrap());
        doctored = true;
    }
    assert!(doctored, "summary.json found among the report's streams");
    let doctored_pdf = dir.join("doctored.pdf");
    document.save(&doctored_pdf).unwrap();

    // The enterprise of the sample (read from the report: it follows the checklist's version),
    // whose boxes this certificate may sign.
    let (organisation, credit_code) = enterprise_of(&report);
    let party = keygen(&dir, "p", "李海燕", &organisation, &credit_code);
    let signed = dir.join("signed.pdf");
    let run = sign_with(
        &party,
        &doctored_pdf,
        &signed,
        &["--party", "1"],
        "2026-03-02T18:10:00+08:00",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);

    let results = verify_json(&signed);
    let result = &results[0];
    assert_eq!(result["signatures"][0]["verdict"], "valid", "{result:#}");
    assert_eq!(result["inspection"]["matches_report"], false, "{result:#}");
    let codes: Vec<&str> = result["inspection"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"summary-mismatch"), "{codes:?}");
    assert_eq!(result["verdict"], "invalid", "{result:#}");

    let run = zicha(&["verify", s(&signed)]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("与报告汇总不一致 DIFFERS from the report's summary"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("报告中的汇总结果与其内嵌检查数据重新评分的结果不一致"),
        "{}",
        run.stdout
    );
    // The same report undoctored matches.
    let clean = dir.join("clean.pdf");
    let run = sign_with(
        &party,
        &report,
        &clean,
        &["--party", "1"],
        "2026-03-02T18:10:00+08:00",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(verify_json(&clean)[0]["inspection"]["matches_report"], true);
}
