//! Interop with the reference validators: poppler's pdfsig and pyHanko must accept our signed
//! files (1 and 3 signatures) and reject a flipped byte. With ZICHA_REQUIRE_TOOLS=1 a missing
//! tool fails the test; otherwise the test prints "skipped: ... not installed" and returns.

use std::path::Path;
use std::process::Command;

use crate::attacks::cases;
use crate::common::*;

fn pdfsig(path: &Path) -> String {
    let output = Command::new("pdfsig")
        .arg(path)
        .output()
        .expect("pdfsig runs");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn pyhanko(path: &Path, trusted: &[&Path]) -> String {
    let mut command = Command::new("pyhanko");
    command.args([
        "sign",
        "validate",
        "--pretty-print",
        "--no-revocation-check",
    ]);
    for certificate in trusted {
        command.arg("--trust").arg(certificate);
    }
    let output = command.arg(path).output().expect("pyhanko runs");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

struct Fixture {
    one: std::path::PathBuf,
    three: std::path::PathBuf,
    flipped: std::path::PathBuf,
    certificates: Vec<std::path::PathBuf>,
}

fn fixture(prefix: &str) -> Fixture {
    let signers = [
        (inspector(), "检查人"),
        (signer(8, "李四", "福州示例化工有限公司"), "企业负责人"),
        (signer(9, "王五", "福建监理有限公司"), "监理"),
    ];
    let (pdf, _) = make_pdf(3);
    let one = sign_as(&pdf, &signers[0].0, signers[0].1);
    let two = sign_as(&one, &signers[1].0, signers[1].1);
    let three = sign_as(&two, &signers[2].0, signers[2].1);
    let mut flipped = one.clone();
    let at = find(&flipped, b"NOT FIXED").unwrap();
    flipped[at + 2] = b'W';
    let write = |name: &str, bytes: &[u8]| {
        let path = temp_path(&format!("{prefix}-{name}"));
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let certificates = signers
        .iter()
        .enumerate()
        .map(|(index, (signer, _))| {
            write(
                &format!("cert{index}.pem"),
                signer.certificate.to_pem().as_bytes(),
            )
        })
        .collect();
    Fixture {
        one: write("one.pdf", &one),
        three: write("three.pdf", &three),
        flipped: write("flipped.pdf", &flipped),
        certificates,
    }
}

#[test]
fn pdfsig_accepts_our_signatures_and_rejects_a_flipped_byte() {
    if !tool_available("pdfsig", "-v") {
        return;
    }
    let fixture = fixture("pdfsig");
    let one = pdfsig(&fixture.one);
    assert!(one.contains("Signature is Valid"), "{one}");
    assert!(one.contains("Total document signed"), "{one}");

    let three = pdfsig(&fixture.three);
    assert_eq!(three.matches("Signature is Valid").count(), 3, "{three}");
    let last = three.rsplit("Signature #3").next().unwrap();
    assert!(last.contains("Total document signed"), "{three}");

    let flipped = pdfsig(&fixture.flipped);
    assert!(!flipped.contains("Signature is Valid"), "{flipped}");
    assert!(flipped.contains("Digest Mismatch"), "{flipped}");
}

#[test]
fn pyhanko_judges_our_signatures_valid_and_rejects_a_flipped_byte() {
    if !tool_available("pyhanko", "--version") {
        return;
    }
    let fixture = fixture("pyhanko");
    let trusted: Vec<&Path> = fixture
        .certificates
        .iter()
        .map(|path| path.as_path())
        .collect();
    let one = pyhanko(&fixture.one, &trusted[..1]);
    assert!(one.contains("The signature is judged VALID"), "{one}");

    let three = pyhanko(&fixture.three, &trusted);
    assert_eq!(
        three.matches("The signature is judged VALID").count(),
        3,
        "{three}"
    );

    let flipped = pyhanko(&fixture.flipped, &trusted[..1]);
    assert!(!flipped.contains("judged VALID"), "{flipped}");
}

/// Prints what pdfsig and pyHanko say about every attack file (the table in the closing note).
/// Run with `--nocapture` to see it; it asserts nothing about the tools' verdicts.
#[test]
fn attack_table_against_reference_tools() {
    let have_pdfsig = tool_available("pdfsig", "-v");
    let have_pyhanko = tool_available("pyhanko", "--version");
    if !have_pdfsig && !have_pyhanko {
        return;
    }
    let certificate = temp_path("table-cert.pem");
    std::fs::write(&certificate, inspector().certificate.to_pem()).unwrap();
    println!("| case | zicha | pdfsig | pyHanko |");
    for case in cases() {
        let path = temp_path(&format!("attack-{}.pdf", case.name));
        std::fs::write(&path, &case.pdf).unwrap();
        let ours = zicha_sign::verify(&case.pdf, &zicha_sign::TrustList::new())
            .verdict
            .en();
        let pdfsig_says = if have_pdfsig {
            summarise_pdfsig(&pdfsig(&path))
        } else {
            "not run".into()
        };
        let pyhanko_says = if have_pyhanko {
            summarise_pyhanko(&pyhanko(&path, &[&certificate]))
        } else {
            "not run".into()
        };
        println!(
            "| {} | {ours} | {pdfsig_says} | {pyhanko_says} |",
            case.name
        );
    }
}

fn summarise_pdfsig(output: &str) -> String {
    let valid = output.matches("Signature is Valid").count();
    let total = output.matches("Total document signed").count();
    let signatures = output.matches("Signature #").count();
    if signatures == 0 {
        let line = output
            .lines()
            .find(|line| !line.trim().is_empty())
            .unwrap_or("");
        return format!("no signature ({})", line.trim());
    }
    let mut parts = vec![format!("{valid}/{signatures} valid")];
    if total == 0 {
        parts.push("not total document".into());
    }
    for marker in [
        "Digest Mismatch",
        "Invalid",
        "Signature has not yet been verified",
        "Unknown",
    ] {
        if output.contains(marker) {
            parts.push(marker.to_lowercase());
        }
    }
    parts.join(", ")
}

fn summarise_pyhanko(output: &str) -> String {
    if let Some(at) = output.find("The signature is judged") {
        let verdict: String = output[at + 24..]
            .chars()
            .take_while(|character| *character != '.')
            .collect();
        let mut summary = verdict;
        if output.contains("does not cover the entire file") && output.contains("not compatible") {
            summary.push_str(" (incompatible changes)");
        }
        return summary;
    }
    let Some(line) = output.lines().rev().find(|line| line.contains("rror")) else {
        return "no signature found".into();
    };
    let line = line.trim();
    format!("error: {}", &line[..line.len().min(70)])
}
