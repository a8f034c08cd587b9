//! Benchmarks that print figures (not a timed test):
//! 1. signing a 5 MB PDF vs SHA-256 of the same bytes (goal: at most 1.5×);
//! 2. verifying N signed reports with zicha-sign vs `pdfsig` on the same files (goal: ≥ 5×).
//!
//! Run: `cargo run --release -p zicha-sign --example bench [N]` (N defaults to 1000).

use std::process::Command;
use std::time::{Duration, Instant};

use lopdf::{Document, Object, Stream, dictionary};
use sha2::{Digest, Sha256};
use time::macros::datetime;
use zicha_sign::{
    CertificateSubject, SignOptions, SigningKey, TrustList, Verdict, self_issued_certificate, sign,
    verify,
};

fn make_pdf(pages: usize, payload_bytes: usize) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
    );
    // Incompressible filler standing in for photos.
    let mut state = 0x1234_5678_9abc_def0u64;
    let payload: Vec<u8> = (0..payload_bytes)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let side = ((payload_bytes / 3) as f64).sqrt() as i64;
    let image = doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => side, "Height" => side,
        "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8 },
        payload,
    ));
    let mut kids = Vec::new();
    for index in 0..pages {
        let content = doc.add_object(Stream::new(
            dictionary! {},
            format!("BT /F1 18 Tf 72 760 Td (Report page {}) Tj ET", index + 1).into_bytes(),
        ));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font }, "XObject" => dictionary! { "Im1" => image } },
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page.into());
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => pages as i64 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("save");
    bytes
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(1000);
    let key = SigningKey::p256_from_bytes(&[7; 32]).expect("key");
    let subject = CertificateSubject {
        organisation: "福州示例化工有限公司".into(),
        signer: "张三".into(),
        credit_code: "91350100M000100Y43".into(),
        not_before: datetime!(2025-01-01 00:00:00 UTC),
        not_after: datetime!(2045-01-01 00:00:00 UTC),
    };
    let certificate = self_issued_certificate(&subject, &key).expect("certificate");
    let options = SignOptions::new("检查人", datetime!(2025-06-01 10:30:00 +08:00));

    // 1. Signing a 5 MB PDF vs hashing it.
    let big = make_pdf(3, 5 * 1024 * 1024);
    let rounds = 15;
    let mut sign_times = Vec::new();
    let mut hash_times = Vec::new();
    let mut signed_big = Vec::new();
    for _ in 0..rounds {
        let start = Instant::now();
        let digest = Sha256::digest(&big);
        hash_times.push(start.elapsed());
        std::hint::black_box(digest);
        let start = Instant::now();
        signed_big = sign(&big, &key, &certificate, &[], &options).expect("sign");
        sign_times.push(start.elapsed());
    }
    let (sign_time, hash_time) = (median(sign_times), median(hash_times));
    println!(
        "sign {:.1} MB PDF: {:.2} ms (median of {rounds})",
        big.len() as f64 / 1e6,
        sign_time.as_secs_f64() * 1e3
    );
    println!(
        "SHA-256 of the same bytes: {:.2} ms",
        hash_time.as_secs_f64() * 1e3
    );
    println!(
        "ratio sign / sha-256: {:.2}x (goal <= 1.5x)",
        sign_time.as_secs_f64() / hash_time.as_secs_f64()
    );
    let start = Instant::now();
    let report = verify(&signed_big, &TrustList::new());
    println!(
        "verify the signed 5 MB PDF: {:.2} ms ({})",
        start.elapsed().as_secs_f64() * 1e3,
        report.verdict.en()
    );

    // 2. Verifying N signed reports: ours vs pdfsig, same files, same run.
    let dir = std::env::temp_dir().join(format!("zicha-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let report_pdf = make_pdf(3, 200 * 1024);
    let mut paths = Vec::new();
    for index in 0..count {
        let mut options = options.clone();
        options.time += time::Duration::seconds(index as i64);
        let signed = sign(&report_pdf, &key, &certificate, &[], &options).expect("sign");
        let path = dir.join(format!("report-{index}.pdf"));
        std::fs::write(&path, signed).expect("write");
        paths.push(path);
    }
    let start = Instant::now();
    let mut valid = 0;
    for path in &paths {
        let bytes = std::fs::read(path).expect("read");
        if verify(&bytes, &TrustList::new()).verdict == Verdict::Valid {
            valid += 1;
        }
    }
    let ours = start.elapsed();
    println!(
        "zicha verify {count} signed reports ({:.0} KB each): {:.2} s, {valid} valid",
        std::fs::metadata(&paths[0])
            .map(|meta| meta.len())
            .unwrap_or(0) as f64
            / 1024.0,
        ours.as_secs_f64()
    );
    let start = Instant::now();
    let mut pdfsig_valid = 0;
    let mut ran = true;
    for path in &paths {
        match Command::new("pdfsig").arg(path).output() {
            Ok(output) => {
                if String::from_utf8_lossy(&output.stdout).contains("Signature is Valid") {
                    pdfsig_valid += 1;
                }
            }
            Err(_) => {
                ran = false;
                break;
            }
        }
    }
    if ran {
        let theirs = start.elapsed();
        println!(
            "pdfsig on the same {count} files: {:.2} s, {pdfsig_valid} valid",
            theirs.as_secs_f64()
        );
        println!(
            "speed-up: {:.1}x (goal >= 5x)",
            theirs.as_secs_f64() / ours.as_secs_f64()
        );
    } else {
        println!("pdfsig not installed: comparison skipped");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
