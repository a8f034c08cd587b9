//! Benchmarks that print figures (not a timed test):
//! 1. signing a 5 MB PDF vs SHA-256 of the same bytes (goal: at most 1.5×);
//! 2. verifying N signed reports with zicha-sign vs `pdfsig` on the same files (goal: ≥ 5×).
//!
//! Run: `cargo run --release -p zicha-sign --example bench [N]` (N defaults to 1000; 0 runs only
//! the first).

use std::process::Command;
use std::time::{Duration, Instant};

use lopdf::{Document, Object, Stream, dictionary};
use sha2::{Digest, Sha256};
use time::macros::datetime;
use zicha_sign::{
    AppearanceFont, CertificateSubject, SignOptions, SigningKey, TrustList, Verdict,
    self_issued_certificate, sign, verify,
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

/// Median and best of the samples.
fn summary(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    (samples[samples.len() / 2], samples[0])
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
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
    // `zicha sign` always draws the appearance with the built-in font.
    let font_bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/fonts/wqy-microhei.ttc"
    ))
    .expect("assets/fonts/wqy-microhei.ttc");
    let font = AppearanceFont::new(font_bytes, 0).expect("font");
    let font_options = options.clone().with_appearance_font(font);

    // 1. Signing a 5 MB PDF vs hashing the same bytes once. Each round times SHA-256 of the
    // input, signing it with the Helvetica appearance and with the built-in font, in turn, so all
    // three see the same machine state; median and best of the warm rounds. Each signed copy is
    // dropped before the next one is made, as in a loop over files, so the allocator reuses its
    // pages: keeping the previous output alive made glibc hand the 5 MB back to the kernel and
    // page-fault it in again every other round (about 1,300 faults, 2 ms here), which measures
    // the allocator, not signing. The first, cold call (fresh output pages, cold caches) is
    // printed too: a one-shot `zicha sign` pays that.
    let big = make_pdf(3, 5 * 1024 * 1024);
    let start = Instant::now();
    std::hint::black_box(sign(&big, &key, &certificate, &[], &font_options).expect("sign"));
    let cold = start.elapsed();
    let (warm_up, rounds) = (3, 21);
    let (mut hash_times, mut sign_times, mut font_times) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..warm_up + rounds {
        let start = Instant::now();
        let digest = Sha256::digest(std::hint::black_box(&big));
        let hash_time = start.elapsed();
        std::hint::black_box(digest);
        let start = Instant::now();
        let signed = sign(
            std::hint::black_box(&big),
            &key,
            &certificate,
            &[],
            &options,
        );
        let sign_time = start.elapsed();
        drop(std::hint::black_box(signed.expect("sign")));
        let start = Instant::now();
        let signed = sign(
            std::hint::black_box(&big),
            &key,
            &certificate,
            &[],
            &font_options,
        );
        let font_time = start.elapsed();
        drop(std::hint::black_box(signed.expect("sign")));
        if round >= warm_up {
            hash_times.push(hash_time);
            sign_times.push(sign_time);
            font_times.push(font_time);
        }
    }
    let (hash_median, hash_best) = summary(hash_times);
    let (sign_median, sign_best) = summary(sign_times);
    let (font_median, font_best) = summary(font_times);
    println!(
        "sign a {:.1} MB PDF vs SHA-256 of the same bytes (median / best of {rounds} warm rounds):",
        big.len() as f64 / 1e6
    );
    println!(
        "  SHA-256 of the input:               {:.2} ms / {:.2} ms",
        ms(hash_median),
        ms(hash_best)
    );
    println!(
        "  sign, built-in font (as zicha sign): {:.2} ms / {:.2} ms   ratio {:.2}x / {:.2}x (goal <= 1.5x)",
        ms(font_median),
        ms(font_best),
        ms(font_median) / ms(hash_median),
        ms(font_best) / ms(hash_best)
    );
    println!(
        "  sign, Helvetica appearance:          {:.2} ms / {:.2} ms   ratio {:.2}x / {:.2}x",
        ms(sign_median),
        ms(sign_best),
        ms(sign_median) / ms(hash_median),
        ms(sign_best) / ms(hash_best)
    );
    println!("  first call, cold (built-in font):    {:.2} ms", ms(cold));
    let signed_big = sign(&big, &key, &certificate, &[], &font_options).expect("sign");
    let mut verify_times = Vec::new();
    let mut verdict = None;
    for _ in 0..5 {
        let start = Instant::now();
        let report = verify(std::hint::black_box(&signed_big), &TrustList::new());
        verify_times.push(start.elapsed());
        verdict = Some(report.verdict);
    }
    let (verify_median, verify_best) = summary(verify_times);
    println!(
        "verify the signed 5 MB PDF: {:.2} ms / {:.2} ms, median / best of 5 ({})",
        ms(verify_median),
        ms(verify_best),
        verdict.map_or("?", |verdict| verdict.en())
    );
    if count == 0 {
        return;
    }

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
