//! Signing rendered reports from the command line: keygen → render → sign (several parties) →
//! verify, trust lists, tampered copies, and interop with pdfsig and pyHanko on our real reports.
//! Who signed: an impostor's look-alike certificate, another company's certificate, a signature
//! that would land in another party's box, an expired certificate.

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
    keygen_valid(
        dir,
        name,
        signer,
        org,
        code,
        "2026-01-01T00:00:00+08:00",
        "1095",
    )
}

/// [`keygen`] with a certificate valid for `days` from `not_before`.
fn keygen_valid(
    dir: &Path,
    name: &str,
    signer: &str,
    org: &str,
    code: &str,
    not_before: &str,
    days: &str,
) -> Party {
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
        not_before,
        "--days",
        days,
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
    sign_with(party, input, output, &["--role", role], time)
}

/// `zicha sign` with `choice` (`--role R`, `--party P` or nothing) at `time`.
pub(crate) fn sign_with(
    party: &Party,
    input: &Path,
    output: &Path,
    choice: &[&str],
    time: &str,
) -> crate::support::Run {
    let key = party.dir.join("key.pem");
    let cert = party.dir.join("cert.pem");
    let passphrase = party.dir.join("passphrase");
    let mut args = vec![
        "sign",
        input.to_str().unwrap(),
        "--key",
        key.to_str().unwrap(),
        "--cert",
        cert.to_str().unwrap(),
        "--time",
        time,
        "--passphrase-file",
        passphrase.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ];
    args.extend(choice);
    zicha(&args)
}

/// Who the sample report names: its enterprise and 监理单位 with their credit codes, and the
/// people whose boxes the signature page reserves.
struct Names {
    enterprise: String,
    enterprise_code: String,
    inspectors: Vec<String>,
    manager: String,
    supervisor_unit: String,
    supervisor_code: String,
    supervisor: String,
}

fn names(bundle: &Path) -> Names {
    let bundle = zicha_core::bundle::Bundle::from_zip(&std::fs::read(bundle).unwrap()).unwrap();
    let data = &bundle.data;
    let supervisor = data
        .project
        .as_ref()
        .unwrap()
        .parties
        .iter()
        .find(|party| party.role == zicha_core::org::PartyRole::Supervisor)
        .unwrap();
    Names {
        enterprise: data.organisation.name.clone(),
        enterprise_code: data.organisation.credit_code.clone(),
        inspectors: data.inspection.inspectors.clone(),
        manager: data.organisation.safety_lead.clone(),
        supervisor_unit: supervisor.name.clone(),
        supervisor_code: supervisor.credit_code.clone().unwrap(),
        supervisor: supervisor.safety_lead.clone(),
    }
}

/// A rendered construction report and the parties who sign it.
struct Fixture {
    dir: PathBuf,
    report: PathBuf,
    names: Names,
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
    let names = names(&dir.join("s.zicha"));
    Fixture {
        inspector: keygen(
            &dir,
            "inspector",
            &names.inspectors[0],
            &names.enterprise,
            &names.enterprise_code,
        ),
        manager: keygen(
            &dir,
            "manager",
            &names.manager,
            &names.enterprise,
            &names.enterprise_code,
        ),
        supervisor: keygen(
            &dir,
            "supervisor",
            &names.supervisor,
            &names.supervisor_unit,
            &names.supervisor_code,
        ),
        names,
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
        // Each party's box is the one the report reserved for it (two inspectors' boxes first).
        let (number, name) = match idx {
            0 => (1, &fixture.names.inspectors[0]),
            1 => (3, &fixture.names.manager),
            _ => (4, &fixture.names.supervisor),
        };
        assert!(
            run.stderr
                .contains(&format!("placed in box {number} {role} {name} (page ")),
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
        (
            Some(fixture.names.inspectors[0].as_str()),
            Some(fixture.names.enterprise.as_str())
        )
    );
    assert_eq!(first["credit_code"], fixture.names.enterprise_code.as_str());
    assert_eq!(first["cert_sha256"], fixture.inspector.fingerprint.as_str());
    // No trust list: said on the file and on every signature; the time is the signer's claim.
    assert_eq!(last["identity_checked"], false);
    assert_eq!(first["trust"], "not-checked");
    assert_eq!(first["time_source"], "signer-claim");
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
        format!(
            "# 已登记的企业证书\n{}\n{}  # 企业负责人\n",
            fixture.inspector.fingerprint,
            fixture.manager.fingerprint.to_uppercase()
        ),
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
    assert_eq!(code, 0, "{results:#?}");
    assert_eq!(results[0]["verdict"], "valid");
    assert_eq!(results[0]["identity_checked"], true);
    let of = |key: &str| -> Vec<String> {
        results[0]["signatures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s[key].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(of("trust"), ["known", "known"]);
    assert_eq!(
        of("cert_sha256"),
        [
            fixture.inspector.fingerprint.as_str(),
            fixture.manager.fingerprint.as_str()
        ]
    );
    let csv = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[0].starts_with(
            "\u{feff}file,verdict,signatures,signers,organisations,credit_codes,times,trust,cert_sha256,grade,"
        ),
        "{csv}"
    );
    assert!(
        lines[1].contains(&format!(
            ",valid,2,检查人 {}; 企业负责人 {},",
            fixture.names.inspectors[0], fixture.names.manager
        )),
        "{csv}"
    );
    assert!(
        lines[1].contains(&format!(
            ",known; known,{}; {},",
            fixture.inspector.fingerprint, fixture.manager.fingerprint
        )),
        "{csv}"
    );

    // An empty list would check nobody: refused.
    let empty = fixture.dir.join("empty.txt");
    std::fs::write(&empty, "# nobody registered yet\n").unwrap();
    let run = zicha(&[
        "verify",
        stages[1].to_str().unwrap(),
        "--trust",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("the trust list holds no fingerprint"),
        "{}",
        run.stderr
    );

    // Without a list the text says plainly that nobody's identity was checked, and that the
    // times are the signers' claims.
    let run = zicha(&["verify", stages[1].to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("签名人身份未核验 signer identity NOT checked"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "2026-03-02T18:10:00+08:00 (签名人自报时间，无时间戳机构证明 / claimed by the signer, no timestamp authority)"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!(
            "证书 SHA-256 certificate: {}",
            fixture.inspector.fingerprint
        )),
        "{}",
        run.stdout
    );
}

/// A credit code that is valid and is not the sample enterprise's.
fn other_credit_code(names: &Names) -> &'static str {
    ["91350100M000100Y43", "91110000100000000R"]
        .into_iter()
        .find(|code| *code != names.enterprise_code)
        .unwrap()
}

/// One signing as a regulator receives it: who signs with which key, in which box, and what
/// `zicha verify --trust registered.txt` must say (the finding code on the signature).
struct WhoCase<'a> {
    name: &'static str,
    party: &'a Party,
    choice: Vec<String>,
    verdict: &'static str,
    code: Option<&'static str>,
}

#[test]
fn who_signed_is_checked_against_the_trust_list_and_the_parties() {
    let fixture = fixture("sign-who");
    let names = &fixture.names;
    let inspector = &names.inspectors[0];
    // The impostor's own key, made with zicha keygen for the very same company, credit code and
    // signer name as the genuine inspector.
    let impostor = keygen(
        &fixture.dir,
        "impostor",
        inspector,
        &names.enterprise,
        &names.enterprise_code,
    );
    // A genuine, registered certificate of another company, with the inspector's name.
    let other_company = keygen(
        &fixture.dir,
        "other-company",
        inspector,
        "福州别家化工有限公司",
        other_credit_code(names),
    );
    let registered = fixture.dir.join("registered.txt");
    std::fs::write(
        &registered,
        [
            &fixture.inspector,
            &fixture.manager,
            &fixture.supervisor,
            &other_company,
        ]
        .map(|party| party.fingerprint.clone())
        .join("\n"),
    )
    .unwrap();
    let cases = [
        WhoCase {
            name: "the genuine inspector",
            party: &fixture.inspector,
            choice: vec![],
            verdict: "valid",
            code: None,
        },
        WhoCase {
            name: "an impostor's key for the same company, credit code and signer name",
            party: &impostor,
            choice: vec![],
            verdict: "unregistered",
            code: Some("unregistered"),
        },
        WhoCase {
            name: "another company's registered certificate as 检查人",
            party: &other_company,
            // `zicha sign` refuses it for the 检查人 box (tests/it/parties.rs); signed outside the
            // boxes by another tool's rules, the verifier still catches it.
            choice: vec!["--page".into(), "1".into()],
            verdict: "invalid",
            code: Some("signer-party-mismatch"),
        },
        WhoCase {
            name: "the enterprise's registered manager in the 监理 box",
            party: &fixture.manager,
            choice: vec!["--page".into(), "1".into(), "--role".into(), "监理".into()],
            verdict: "invalid",
            code: Some("signer-party-mismatch"),
        },
    ];
    let mut genuine_row = None;
    for (index, case) in cases.iter().enumerate() {
        let output = fixture.dir.join(format!("case-{index}.pdf"));
        let choice: Vec<&str> = case.choice.iter().map(String::as_str).collect();
        let run = sign_with(
            case.party,
            &fixture.report,
            &output,
            &choice,
            "2026-03-02T18:10:00+08:00",
        );
        assert_eq!(run.code, 0, "{}: {}", case.name, run.stderr);
        let csv = fixture.dir.join(format!("case-{index}.csv"));
        let (code, results) = verify_json(
            &[&output],
            &[
                "--trust",
                registered.to_str().unwrap(),
                "--csv",
                csv.to_str().unwrap(),
            ],
        );
        let result = &results[0];
        assert_eq!(result["verdict"], case.verdict, "{}: {result:#}", case.name);
        assert_eq!(
            code,
            u8::from(case.verdict != "valid"),
            "{}: exit 0 only when valid",
            case.name
        );
        let signature = &result["signatures"][0];
        let codes: Vec<&str> = signature["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|reason| reason["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            Vec::from_iter(case.code),
            "{}: {result:#}",
            case.name
        );
        // The certificate is named by its fingerprint in the JSON and the CSV.
        assert_eq!(
            signature["cert_sha256"],
            case.party.fingerprint.as_str(),
            "{}",
            case.name
        );
        let csv = std::fs::read_to_string(&csv).unwrap();
        let row = csv.lines().nth(1).unwrap().to_owned();
        assert!(
            row.contains(&case.party.fingerprint),
            "{}: {row}",
            case.name
        );
        match index {
            0 => genuine_row = Some(row),
            // The impostor's row differs from the genuine one in more than a trust column.
            1 => {
                let genuine = genuine_row.as_deref().unwrap();
                assert!(!row.contains(&fixture.inspector.fingerprint), "{row}");
                assert!(row.contains(",unregistered,1,"), "{row}");
                assert!(genuine.contains(",valid,1,"), "{genuine}");
            }
            _ => {}
        }
    }

    // The text names the verdict and the reason.
    let run = zicha(&[
        "verify",
        fixture.dir.join("case-1.pdf").to_str().unwrap(),
        "--trust",
        registered.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("签名人证书未登记 unregistered"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!(
            "the signer's certificate (sha-256 {}) is not on the trust list",
            impostor.fingerprint
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn a_signature_never_lands_in_another_partys_box() {
    let fixture = fixture("sign-boxes");
    let names = &fixture.names;
    let stranger = keygen(
        &fixture.dir,
        "stranger",
        "赵六",
        &names.enterprise,
        &names.enterprise_code,
    );
    let out = fixture.dir.join("out.pdf");
    let all = [
        format!("1 检查人 {}", names.inspectors[0]),
        format!("2 检查人 {}", names.inspectors[1]),
        format!("3 企业负责人 {}", names.manager),
        format!("4 监理 {}", names.supervisor),
    ];
    // The error lists exactly the boxes from number `from` on as free.
    let free_listed = |stderr: &str, from: usize| {
        let listed = stderr.split("free boxes: ").nth(1).unwrap_or_default();
        for (index, text) in all.iter().enumerate() {
            let shown = listed.contains(&format!("{text} (page "));
            assert_eq!(shown, index + 1 >= from, "{text}: {stderr}");
        }
    };

    // A certificate whose signer has no box: refused, naming the free boxes.
    let run = sign_with(&stranger, &fixture.report, &out, &[], TIME);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no free box for 赵六 (the certificate's signer)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--party"), "{}", run.stderr);
    free_listed(&run.stderr, 1);
    assert!(!out.exists(), "nothing is written on refusal");

    // --role only narrows the search: the stranger is no 检查人 either.
    let run = sign_with(
        &stranger,
        &fixture.report,
        &out,
        &["--role", "检查人"],
        TIME,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);

    // Boxes that do not exist are usage errors.
    for asked in ["9", "检查人:赵六"] {
        let run = sign_with(&stranger, &fixture.report, &out, &["--party", asked], TIME);
        assert_eq!(run.code, 2, "{asked}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("the report has no box {asked}; free boxes: ")),
            "{}",
            run.stderr
        );
    }

    // The inspector's own box, found by the certificate's name; the field is named after it.
    let first = fixture.dir.join("first.pdf");
    let run = sign_with(&fixture.inspector, &fixture.report, &first, &[], TIME);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (_, results) = verify_json(&[&first], &[]);
    assert_eq!(results[0]["signatures"][0]["field"], "ZichaBox1");

    // Box 1 is taken now: the same name finds no box, and naming it is refused.
    let impostor = keygen(
        &fixture.dir,
        "impostor",
        &names.inspectors[0],
        &names.enterprise,
        &names.enterprise_code,
    );
    let run = sign_with(&impostor, &first, &out, &[], TIME);
    assert_eq!(run.code, 1, "{}", run.stderr);
    free_listed(&run.stderr, 2);
    for asked in ["1", &format!("检查人:{}", names.inspectors[0])] {
        let run = sign_with(&impostor, &first, &out, &["--party", asked], TIME);
        assert_eq!(run.code, 1, "{asked}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("box 1 检查人 {} (page ", names.inspectors[0]))
                && run
                    .stderr
                    .contains(") is already signed; free boxes: 2 检查人"),
            "{}",
            run.stderr
        );
    }
    assert!(!out.exists(), "nothing is written on refusal");

    // An explicit choice of someone else's box is the operator's, and is said aloud.
    let run = sign_with(
        &stranger,
        &first,
        &out,
        &["--party", &format!("检查人:{}", names.inspectors[1])],
        TIME,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "warning: the certificate names 赵六, box 2 检查人 {} (page ",
            names.inspectors[1]
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn an_expired_or_not_yet_valid_certificate_cannot_sign() {
    let fixture = fixture("sign-expired");
    let names = &fixture.names;
    let out = fixture.dir.join("out.pdf");
    for (dir, not_before, days, valid) in [
        (
            "expired",
            "2025-01-01T00:00:00+08:00",
            "30",
            "valid from 2024-12-31T16:00:00Z to 2025-01-30T16:00:00Z",
        ),
        (
            "not-yet",
            "2026-06-01T00:00:00+08:00",
            "30",
            "valid from 2026-05-31T16:00:00Z to 2026-06-30T16:00:00Z",
        ),
    ] {
        let party = keygen_valid(
            &fixture.dir,
            dir,
            &names.inspectors[0],
            &names.enterprise,
            &names.enterprise_code,
            not_before,
            days,
        );
        let run = sign_with(&party, &fixture.report, &out, &[], TIME);
        assert_eq!(run.code, 1, "{dir}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "cannot sign as {}: the certificate is not valid at 2026-03-02T18:00:00+08:00: it is {valid}",
                names.inspectors[0]
            )),
            "{dir}: {}",
            run.stderr
        );
        assert!(!out.exists(), "{dir}: nothing is written");
    }
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

/// `pdf` with one more revision that redefines the catalog with `/PageLayout /TwoColumnLeft`
/// (the report's revisions end in classic xref tables).
fn with_catalog_changed(pdf: &[u8]) -> Vec<u8> {
    let text: String = pdf.iter().map(|&byte| char::from(byte)).collect();
    let number_after = |text: &str, key: &str| -> u64 {
        let at = text.rfind(key).unwrap() + key.len();
        text[at..]
            .split(|c: char| !c.is_ascii_digit())
            .find(|part| !part.is_empty())
            .unwrap()
            .parse()
            .unwrap()
    };
    let startxref = number_after(&text, "startxref");
    let trailer = &text[text.rfind("trailer").unwrap()..];
    let (root, size) = (
        number_after(trailer, "/Root"),
        number_after(trailer, "/Size"),
    );
    let header = format!("\n{root} 0 obj");
    let at = text.rfind(&header).unwrap() + header.len();
    let body = &text[at..at + text[at..].find("endobj").unwrap()];
    let close = body.rfind(">>").unwrap();
    let changed = format!("{} /PageLayout /TwoColumnLeft >>", &body[..close]);
    let mut out = pdf.to_vec();
    if out.last() != Some(&b'\n') {
        out.push(b'\n');
    }
    let offset = out.len();
    out.extend(format!("{root} 0 obj\n{changed}\nendobj\n").bytes());
    let xref = out.len();
    out.extend(
        format!(
            "xref\n{root} 1\n{offset:010} 00000 n\r\ntrailer\n<</Size {size}/Root {root} 0 R/Prev {startxref}>>\nstartxref\n{xref}\n%%EOF\n"
        )
        .bytes(),
    );
    out
}

#[test]
fn a_report_changed_after_signing_stays_modified() {
    let fixture = fixture("sign-modified");
    let signed = signed_in_sequence(&fixture, 1).remove(0);
    let changed = fixture.dir.join("changed.pdf");
    std::fs::write(
        &changed,
        with_catalog_changed(&std::fs::read(&signed).unwrap()),
    )
    .unwrap();
    let trust = fixture.dir.join("trust.txt");
    std::fs::write(&trust, &fixture.inspector.fingerprint).unwrap();
    for extra in [vec![], vec!["--trust", trust.to_str().unwrap()]] {
        let (code, results) = verify_json(&[&changed], &extra);
        assert_eq!(code, 1);
        // The change is what the verdict names; the data it left unsigned is a finding.
        assert_eq!(results[0]["verdict"], "modified", "{:#}", results[0]);
        let reasons: Vec<&str> = results[0]["signatures"][0]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|reason| reason["code"].as_str().unwrap())
            .collect();
        assert_eq!(reasons, ["catalog-changed"], "{:#}", results[0]);
        assert_eq!(
            results[0]["inspection"]["findings"][0]["code"],
            "inspection-not-signed"
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
