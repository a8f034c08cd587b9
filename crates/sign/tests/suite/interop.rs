//! Interop with the reference validators: poppler's pdfsig and pyHanko must accept our signed
//! files (1 and 3 signatures) and reject a flipped byte. With ZICHA_REQUIRE_TOOLS=1 a missing
//! tool fails the test; otherwise the test says "SKIPPED" on the terminal and returns.

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

/// What pdfsig and pyHanko say about every attack file (the table in the closing note; run with
/// `--nocapture` to see it). Where the signed bytes or the CMS themselves are broken (the codes
/// of `BROKEN_SIGNATURE`), both reference tools must reject the file as we do: a case of ours that
/// they accept there would be a case that breaks nothing. Elsewhere they may accept what we
/// reject (changes after signing, which pdfsig does not judge): the table shows where.
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
    let mut rejected_by_all = 0;
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
        if BROKEN_SIGNATURE.contains(&case.code) {
            if have_pdfsig {
                assert!(
                    !pdfsig_says.starts_with("1/1 valid"),
                    "{}: pdfsig accepts it: {pdfsig_says}",
                    case.name
                );
            }
            if have_pyhanko {
                assert!(
                    !pyhanko_says.starts_with("VALID"),
                    "{}: pyHanko accepts it: {pyhanko_says}",
                    case.name
                );
            }
            rejected_by_all += 1;
        }
    }
    // The cases of the attack table whose signature itself is broken (9 when written).
    assert!(rejected_by_all >= 9, "{rejected_by_all}");
}

/// Finding codes of a signature broken in its signed bytes or its CMS.
const BROKEN_SIGNATURE: &[&str] = &[
    "digest-mismatch",
    "signature-does-not-verify",
    "cms-malformed",
    "byte-range-missing",
    "byte-range-malformed",
    "no-signatures",
];

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

/// Python that writes the unencrypted PKCS#8 PEM of the test key with seed `argv[1]` (the
/// scalar is 32 bytes of the seed, as `common::signer` makes it) to `argv[2]`.
const KEY_PEM_PY: &str = r#"
import sys
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import serialization
seed = int(sys.argv[1])
key = ec.derive_private_key(int.from_bytes(bytes([seed] * 32), "big"), ec.SECP256R1())
open(sys.argv[2], "wb").write(key.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
"#;

/// Python that appends a revision holding only validation data (/DSS with a /VRI entry for the
/// first signature and the certificate `argv[3]`), as pyHanko's `ltvfix` and Acrobat write it.
const ADD_DSS_PY: &str = r#"
import io, sys
from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.dss import DocumentSecurityStore
source, target, certificate = sys.argv[1:4]
data = open(source, "rb").read()
signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
der = open(certificate, "rb").read()
if pem.detect(der):
    _, _, der = pem.unarmor(der)
out = io.BytesIO(data)
DocumentSecurityStore.add_dss(
    out, signature.sig_object["/Contents"], certs=[x509.Certificate.load(der)], force_write=True)
open(target, "wb").write(out.getvalue())
"#;

fn run(command: &mut Command) {
    let output = command.output().expect("the tool runs");
    assert!(
        output.status.success(),
        "{command:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

const XMP: &[u8] = br#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:format>application/pdf</dc:format></rdf:Description>
</rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#;

/// A report with an XMP packet (as Zicha's reports carry one) signed once, written to a file.
fn signed_with_xmp(prefix: &str) -> std::path::PathBuf {
    let (pdf, _) = make_pdf(2);
    let mut document = lopdf::Document::load_mem(&pdf).unwrap();
    let xmp = document.add_object(lopdf::Stream::new(
        lopdf::dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        XMP.to_vec(),
    ));
    let root = document
        .trailer
        .get(b"Root")
        .unwrap()
        .as_reference()
        .unwrap();
    document
        .get_object_mut(root)
        .unwrap()
        .as_dict_mut()
        .unwrap()
        .set("Metadata", xmp);
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).unwrap();
    let path = temp_path(&format!("{prefix}-signed.pdf"));
    std::fs::write(&path, sign_as(&bytes, &inspector(), "检查人")).unwrap();
    path
}

/// Another PAdES tool co-signs a Zicha report (pyHanko `sign addsig`, which also rewrites the XMP
/// metadata stream and raises the catalog's /Version), then a revision adds only validation data
/// (/DSS with /VRI). Both are changes PAdES allows: the first signature stays valid, and each later
/// revision is described for what it is.
#[test]
fn a_pyhanko_cosignature_and_a_dss_revision_keep_the_report_valid() {
    if !tool_available("pyhanko", "--version") {
        return;
    }
    let signed = signed_with_xmp("cosign");
    let key = temp_path("cosign-key.pem");
    let certificate = temp_path("cosign-cert.pem");
    let cosigner = signer(9, "王五", "福建监理有限公司");
    std::fs::write(&certificate, cosigner.certificate.to_pem()).unwrap();
    run(Command::new("python3")
        .args(["-c", KEY_PEM_PY, "9"])
        .arg(&key));
    let cosigned = temp_path("cosign-two.pdf");
    run(Command::new("pyhanko")
        .args([
            "sign",
            "addsig",
            "--field",
            "1/300,60,500,140/Cosign",
            "pemder",
            "--no-pass",
        ])
        .arg("--key")
        .arg(&key)
        .arg("--cert")
        .arg(&certificate)
        .arg(&signed)
        .arg(&cosigned));
    let with_dss = temp_path("cosign-dss.pdf");
    run(Command::new("python3")
        .args(["-c", ADD_DSS_PY])
        .arg(&cosigned)
        .arg(&with_dss)
        .arg(&certificate));

    let bytes = std::fs::read(&with_dss).unwrap();
    // What pyHanko changed, so that this test keeps testing those changes: the XMP stream
    // (redefined in place) and the catalog's /Version.
    let xmp_and_version = |pdf: &[u8]| {
        let document = lopdf::Document::load_mem(pdf).unwrap();
        let root = document
            .trailer
            .get(b"Root")
            .unwrap()
            .as_reference()
            .unwrap();
        let catalog = document.get_object(root).unwrap().as_dict().unwrap();
        let xmp = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
        let content = document
            .get_object(xmp)
            .unwrap()
            .as_stream()
            .unwrap()
            .content
            .clone();
        let version = catalog
            .get(b"Version")
            .ok()
            .map(|version| version.as_name().unwrap().to_vec());
        (content, version, catalog.get(b"DSS").is_ok())
    };
    let (xmp_before, version_before, _) = xmp_and_version(&std::fs::read(&signed).unwrap());
    let (xmp_after, version_after, has_dss) = xmp_and_version(&bytes);
    assert_ne!(xmp_before, xmp_after, "pyHanko rewrote the XMP");
    assert_ne!(
        version_before, version_after,
        "pyHanko set the catalog's /Version"
    );
    assert!(has_dss);

    let report = zicha_sign::verify(&bytes, &zicha_sign::TrustList::new());
    assert_eq!(report.verdict, zicha_sign::Verdict::Valid, "{report:#?}");
    assert_eq!(report.signatures.len(), 2);
    assert!(
        report
            .signatures
            .iter()
            .all(|s| s.verdict == zicha_sign::Verdict::Valid)
    );
    let updates: Vec<_> = report
        .updates
        .iter()
        .map(|update| (update.revision, update.kind))
        .collect();
    assert_eq!(
        updates,
        [
            (2, zicha_sign::UpdateKind::SignatureAdded),
            (3, zicha_sign::UpdateKind::SignatureAdded),
            (4, zicha_sign::UpdateKind::ValidationDataAdded),
        ]
    );
}
