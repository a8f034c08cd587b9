//! Who has signed and who is still missing (issue 17): `zicha verify` lists the parties of the
//! report's signature page in every output, `--require-all-parties` makes a valid report with an
//! empty box "incomplete" (exit 1), and `zicha sign --party ROLE` signs only into that party's own
//! free box, with a certificate of the unit the box stands for.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::signing::{Party, keygen, render_report, sign_with};
use crate::support::{temp_dir, zicha};

/// The people and units of the sample construction report (seed 3): two inspectors, the
/// enterprise's manager and the 监理, in the order of their boxes.
struct Report {
    dir: PathBuf,
    pdf: PathBuf,
    enterprise: String,
    enterprise_code: String,
    supervisor_unit: String,
    supervisor_code: String,
    /// Box 1 to 4: (role, name).
    boxes: [(&'static str, String); 4],
}

fn report(name: &str) -> Report {
    let dir = temp_dir(name);
    let pdf = render_report(&dir);
    let bundle =
        zicha_core::bundle::Bundle::from_zip(&std::fs::read(dir.join("s.zicha")).unwrap()).unwrap();
    let data = &bundle.data;
    let supervisor = data
        .project
        .as_ref()
        .unwrap()
        .parties
        .iter()
        .find(|party| party.role == zicha_core::org::PartyRole::Supervisor)
        .unwrap()
        .clone();
    Report {
        enterprise: data.organisation.name.clone(),
        enterprise_code: data.organisation.credit_code.clone(),
        supervisor_unit: supervisor.name.clone(),
        supervisor_code: supervisor.credit_code.clone().unwrap(),
        boxes: [
            ("检查人", data.inspection.inspectors[0].clone()),
            ("检查人", data.inspection.inspectors[1].clone()),
            ("企业负责人", data.organisation.safety_lead.clone()),
            ("监理", supervisor.safety_lead.clone()),
        ],
        dir,
        pdf,
    }
}

impl Report {
    /// A key for the person of box `number` (1-based), of the unit that box stands for.
    fn key(&self, number: usize) -> Party {
        let (role, name) = &self.boxes[number - 1];
        let (unit, code) = if *role == "监理" {
            (&self.supervisor_unit, &self.supervisor_code)
        } else {
            (&self.enterprise, &self.enterprise_code)
        };
        keygen(&self.dir, &format!("box-{number}"), name, unit, code)
    }

    /// `N ROLE NAME` of box `number`, as the outputs list it.
    fn shown(&self, number: usize) -> String {
        let (role, name) = &self.boxes[number - 1];
        format!("{number} {role} {name}")
    }
}

const TIME: &str = "2026-03-02T18:10:00+08:00";

/// `zicha verify FILE ARGS...`: exit code, stdout.
fn verify(file: &Path, args: &[&str]) -> (u8, String) {
    let mut all = vec!["verify", file.to_str().unwrap()];
    all.extend(args);
    let run = zicha(&all);
    (run.code, run.stdout)
}

/// `[number, signed]` of every party in one `--json` result.
fn parties(result: &Value) -> Vec<(u64, bool)> {
    result["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|party| {
            (
                party["number"].as_u64().unwrap(),
                party["signed"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn verify_says_who_has_signed_and_who_is_missing_in_every_output() {
    let report = report("parties-verify");
    let signed = report.dir.join("signed-1.pdf");
    let run = sign_with(&report.key(1), &report.pdf, &signed, &[], TIME);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // Text: one line of each, by box number, role and name.
    let (code, text) = verify(&signed, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains(": 有效 valid\n"), "{text}");
    assert!(
        text.contains(&format!("  已签署 signed: {}\n", report.shown(1))),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "  待签署 missing: {}, {}, {}\n",
            report.shown(2),
            report.shown(3),
            report.shown(4)
        )),
        "{text}"
    );

    // JSON: every box, in order, with its role, name and whether it is signed.
    let (code, json) = verify(&signed, &["--json"]);
    assert_eq!(code, 0);
    let results: Vec<Value> = serde_json::from_str(&json).unwrap();
    let result = &results[0];
    assert_eq!(result["verdict"], "valid");
    assert_eq!(
        parties(result),
        [(1, true), (2, false), (3, false), (4, false)]
    );
    assert_eq!(result["parties"][3]["role"], "监理");
    assert_eq!(result["parties"][3]["name"], report.boxes[3].1.as_str());

    // --require-all-parties: valid but incomplete, its own verdict, exit 1, the missing named.
    let (code, json) = verify(&signed, &["--jsonl", "--require-all-parties"]);
    assert_eq!(code, 1, "{json}");
    assert_eq!(json.lines().count(), 1);
    let result: Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(result["verdict"], "incomplete");
    assert_eq!(result["verdict_en"], "incomplete");
    assert_eq!(result["verdict_zh"], "有效但签署不全");
    let missing = format!(
        "{} {}, {} {}, {} {}",
        report.boxes[1].0,
        report.boxes[1].1,
        report.boxes[2].0,
        report.boxes[2].1,
        report.boxes[3].0,
        report.boxes[3].1
    );
    assert_eq!(
        result["findings"],
        serde_json::json!([{
            "code": "parties-missing",
            "en": format!("not yet signed by {missing}"),
            "zh": format!("尚未签署：{}", missing.replace(", ", "、")),
        }])
    );
    let (code, text) = verify(&signed, &["--require-all-parties"]);
    assert_eq!(code, 1);
    assert!(text.contains(": 有效但签署不全 incomplete\n"), "{text}");

    // CSV: two columns after the existing ones, none renamed or moved.
    let csv = report.dir.join("out.csv");
    let (code, _) = verify(&signed, &["--csv", csv.to_str().unwrap()]);
    assert_eq!(code, 0);
    let csv = std::fs::read_to_string(&csv).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}file,verdict,signatures,signers,organisations,credit_codes,times,trust,\
         cert_sha256,grade,total,stop_work,hazards_open,matches_report,reasons_zh,reasons_en,\
         parties_signed,parties_missing"
    );
    let row = lines.next().unwrap();
    let (role, name) = &report.boxes[0];
    assert!(
        row.ends_with(&format!(
            ",{role} {name},{} {}; {} {}; {} {}",
            report.boxes[1].0,
            report.boxes[1].1,
            report.boxes[2].0,
            report.boxes[2].1,
            report.boxes[3].0,
            report.boxes[3].1
        )),
        "{row}"
    );

    // Every party signs in turn (the 监理 with --party 监理): then nothing is missing and
    // --require-all-parties is satisfied.
    let mut input = signed;
    for number in 2..=4 {
        let output = report.dir.join(format!("signed-{number}.pdf"));
        let choice: &[&str] = if number == 4 {
            &["--party", "监理"]
        } else {
            &[]
        };
        let run = sign_with(&report.key(number), &input, &output, choice, TIME);
        assert_eq!(run.code, 0, "{number}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("placed in box {} (page ", report.shown(number))),
            "{}",
            run.stderr
        );
        input = output;
    }
    let (code, json) = verify(&input, &["--json", "--require-all-parties"]);
    assert_eq!(code, 0, "{json}");
    let results: Vec<Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(results[0]["verdict"], "valid");
    assert_eq!(
        parties(&results[0]),
        [(1, true), (2, true), (3, true), (4, true)]
    );
    let (_, text) = verify(&input, &[]);
    assert!(text.contains("  待签署 missing: — none\n"), "{text}");

    // A PDF that is not a Zicha report has no parties: nothing to list, nothing required.
    let other = report.dir.join("other.pdf");
    std::fs::write(&other, b"%PDF-1.7\n%%EOF\n").unwrap();
    let (_, json) = verify(&other, &["--json", "--require-all-parties"]);
    let results: Vec<Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(results[0]["parties"], serde_json::json!([]));
    assert_eq!(results[0]["verdict"], "invalid");
}

#[test]
fn sign_party_signs_only_into_that_partys_own_free_box() {
    let report = report("parties-sign");
    let supervisor = report.key(4);
    let out = report.dir.join("out.pdf");

    // The 监理 signs first, into box 4 only.
    let first = report.dir.join("supervised.pdf");
    let run = sign_with(&supervisor, &report.pdf, &first, &["--party", "监理"], TIME);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("placed in box {} (page ", report.shown(4))),
        "{}",
        run.stderr
    );
    let (_, json) = verify(&first, &["--json"]);
    let results: Vec<Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(results[0]["verdict"], "valid", "{json}");
    assert_eq!(results[0]["signatures"][0]["field"], "ZichaBox4");
    assert_eq!(results[0]["signatures"][0]["role"], "监理");
    assert_eq!(
        parties(&results[0]),
        [(1, false), (2, false), (3, false), (4, true)]
    );

    // The box is taken: refused, naming the free ones.
    let run = sign_with(&supervisor, &first, &out, &["--party", "监理"], TIME);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("box {} (page ", report.shown(4)))
            && run.stderr.contains(&format!(
                ") is already signed; free boxes: {} (page ",
                report.shown(1)
            )),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "nothing is written on refusal");

    // The enterprise's manager for the 监理 box: another unit, refused before signing.
    let manager = report.key(3);
    let run = sign_with(&manager, &report.pdf, &out, &["--party", "监理"], TIME);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "the certificate is issued to {} ({}), but box {} (page ",
            report.enterprise,
            report.enterprise_code,
            report.shown(4)
        )) && run.stderr.contains(&format!(
            ") is signed for {} ({})",
            report.supervisor_unit, report.supervisor_code
        )),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "nothing is written on refusal");

    // The 监理 for the enterprise's box, chosen by role or by role and name: refused the same way.
    for choice in ["企业负责人", &format!("企业负责人:{}", report.boxes[2].1)] {
        let run = sign_with(&supervisor, &report.pdf, &out, &["--party", choice], TIME);
        assert_eq!(run.code, 1, "{choice}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "the certificate is issued to {} ({}), but box {} (page ",
                report.supervisor_unit,
                report.supervisor_code,
                report.shown(3)
            )),
            "{choice}: {}",
            run.stderr
        );
    }

    // Another company's certificate with the inspector's own name finds the inspector's box,
    // and is refused there.
    let (_, inspector) = &report.boxes[0];
    // A valid credit code that is not the sample enterprise's.
    let other_code = ["91350100M000100Y43", "91110000100000000R"]
        .into_iter()
        .find(|code| *code != report.enterprise_code)
        .unwrap();
    let other = keygen(
        &report.dir,
        "other-company",
        inspector,
        "福州别家化工有限公司",
        other_code,
    );
    let run = sign_with(&other, &report.pdf, &out, &[], TIME);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "the certificate is issued to 福州别家化工有限公司 ({other_code}), but box {} (page ",
            report.shown(1)
        )),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "nothing is written on refusal");

    // Two free 检查人 boxes and a name on neither: which one is not guessed (usage error).
    let run = sign_with(&supervisor, &report.pdf, &out, &["--party", "检查人"], TIME);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "{} has several free boxes: {} (page ",
            report.boxes[3].1,
            report.shown(1)
        )),
        "{}",
        run.stderr
    );

    // A role the report has no box for is a usage error that lists the roles.
    let run = sign_with(&supervisor, &report.pdf, &out, &["--party", "安全员"], TIME);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("is neither a role (检查人, 企业负责人, 监理)"),
        "{}",
        run.stderr
    );
}
