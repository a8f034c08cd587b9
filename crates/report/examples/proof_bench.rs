//! Prints the cost of proving a report's pages (issue 15 §2): for the sample report of every
//! sector, signed once, the time of `check` without the proof (verification and re-scoring: no
//! font given, so the proof stops at once), with it, and of a plain render (wall time, medians).
//! Not a timed test; run in release:
//!
//! ```sh
//! cargo run --release -p zicha-report --example proof_bench
//! ```
//!
//! On a shared machine wall times count other processes; CPU time per operation comes from
//! `perf stat -e task-clock` around `proof_bench SECTOR MODE N` (MODE `render`, `check` without
//! the proof, `prove`: check with it; N operations after the setup), minus the same with N = 0.

use std::time::{Duration, Instant};

use time::macros::{date, datetime};
use zicha_report::check::check;
use zicha_report::proof::ProofStatus;
use zicha_report::{Fonts, Options};
use zicha_sign::{CertificateSubject, SignOptions, SigningKey, TrustList};

const FONT: &[u8] = include_bytes!("../../../assets/fonts/wqy-microhei.ttc");
const RUNS: usize = 7;

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

/// `proof_bench SECTOR MODE N`: the setup, then N operations of one kind, nothing printed.
fn one_kind(sector: &str, mode: &str, n: usize) {
    let fonts = Fonts::new(FONT, zicha_report::DEFAULT_FONT_FACE).expect("font");
    let checklist = zicha_core::catalog::by_id(sector).expect("a built-in sector");
    let source = zicha_core::catalog::source_of(&checklist.reference());
    let bundle = zicha_core::sample::sample(checklist, source, 7, date!(2026 - 03 - 01));
    let options = Options::new(
        &fonts,
        datetime!(2026-03-02 18:00 +08:00),
        "ZC-BENCH-0001",
        date!(2026 - 03 - 02),
    );
    let pdf = zicha_report::render(&bundle, checklist, &options)
        .expect("render")
        .pdf;
    let key = SigningKey::generate_p256();
    let subject = CertificateSubject {
        organisation: "海湾实业有限公司".to_owned(),
        signer: "王五".to_owned(),
        credit_code: "91350100M000100Y43".to_owned(),
        not_before: datetime!(2026-01-01 0:00 UTC),
        not_after: datetime!(2027-01-01 0:00 UTC),
    };
    let certificate = zicha_sign::self_issued_certificate(&subject, &key).expect("certificate");
    let sign_options = SignOptions::new("检查人", datetime!(2026-03-02 19:00 +08:00));
    let signed = zicha_sign::sign(&pdf, &key, &certificate, &[], &sign_options).expect("signed");
    let trust = TrustList::new();
    for _ in 0..n {
        match mode {
            "render" => {
                zicha_report::render(&bundle, checklist, &options).expect("render");
            }
            "check" => {
                check("r.pdf", &signed, &trust, None);
            }
            _ => {
                let result = check("r.pdf", &signed, &trust, Some(&fonts));
                assert_eq!(result.proof.expect("a proof").status, ProofStatus::Proven);
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [sector, mode, n] = args.as_slice() {
        return one_kind(sector, mode, n.parse().expect("a count"));
    }
    let started = Instant::now();
    let fonts = Fonts::new(FONT, zicha_report::DEFAULT_FONT_FACE).expect("font");
    println!(
        "font parse and hash (once per process): {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let key = SigningKey::generate_p256();
    let subject = CertificateSubject {
        organisation: "海湾实业有限公司".to_owned(),
        signer: "王五".to_owned(),
        credit_code: "91350100M000100Y43".to_owned(),
        not_before: datetime!(2026-01-01 0:00 UTC),
        not_after: datetime!(2027-01-01 0:00 UTC),
    };
    let certificate = zicha_sign::self_issued_certificate(&subject, &key).expect("certificate");
    let trust = TrustList::new();
    println!(
        "sector                 pages    bytes  render  check w/o proof  check with proof  proof"
    );
    let (mut sum_plain, mut sum_proof) = (0.0, 0.0);
    let only = std::env::args().nth(1);
    let checklists = zicha_core::catalog::builtin();
    for checklist in checklists {
        if only.as_ref().is_some_and(|id| *id != checklist.id) {
            continue;
        }
        let source = zicha_core::catalog::source_of(&checklist.reference());
        let bundle = zicha_core::sample::sample(checklist, source, 7, date!(2026 - 03 - 01));
        let options = Options::new(
            &fonts,
            datetime!(2026-03-02 18:00 +08:00),
            "ZC-BENCH-0001",
            date!(2026 - 03 - 02),
        );
        let mut render_times = Vec::new();
        let mut rendered = None;
        for _ in 0..RUNS {
            let started = Instant::now();
            rendered = Some(zicha_report::render(&bundle, checklist, &options).expect("render"));
            render_times.push(started.elapsed());
        }
        let rendered = rendered.expect("rendered");
        let sign_options = SignOptions::new("检查人", datetime!(2026-03-02 19:00 +08:00));
        let signed = zicha_sign::sign(&rendered.pdf, &key, &certificate, &[], &sign_options)
            .expect("signed");
        let (mut plain, mut proven) = (Vec::new(), Vec::new());
        for _ in 0..RUNS {
            let started = Instant::now();
            let result = check("r.pdf", &signed, &trust, None);
            plain.push(started.elapsed());
            assert!(result.proof.is_some());
            let started = Instant::now();
            let result = check("r.pdf", &signed, &trust, Some(&fonts));
            proven.push(started.elapsed());
            assert_eq!(
                result.proof.expect("a proof").status,
                ProofStatus::Proven,
                "{}",
                checklist.id
            );
        }
        let (plain, proven) = (median(plain), median(proven));
        sum_plain += plain;
        sum_proof += proven;
        println!(
            "{:22} {:5} {:8} {:6.1}  {:15.1}  {:16.1}  {:5.1}",
            checklist.id,
            rendered.stats.pages,
            signed.len(),
            median(render_times),
            plain,
            proven,
            proven - plain
        );
    }
    let n = if only.is_some() {
        1.0
    } else {
        checklists.len() as f64
    };
    println!(
        "mean per report: check without proof {:.1} ms, with proof {:.1} ms, proof {:.1} ms",
        sum_plain / n,
        sum_proof / n,
        (sum_proof - sum_plain) / n
    );
}
