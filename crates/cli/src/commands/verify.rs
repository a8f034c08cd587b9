//! `zicha verify FILE.pdf... [--trust FILE] [--json] [--csv OUT.csv]`: per file the verdict (valid /
//! invalid / modified after signing), every signer, the reasons in Chinese and English, and the
//! embedded inspection re-scored with zicha-core and compared with what the report claims, and the
//! pages proven to be what that inspection renders to with the built-in font. Exit 0
//! only when every file is valid. The checking itself is [`zicha_report::check`], shared with the
//! browser; this file reads the files, prints and chooses the exit code.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::Context;
use zicha_report::Fonts;
use zicha_report::check::{self, FileResult};
use zicha_sign::{TrustList, Verdict};

use crate::{EXIT_OK, EXIT_PROBLEMS, Io};

/// Arguments of `zicha verify`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Signed PDF reports.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Trust list: SHA-256 certificate fingerprints registered with the regulator, one per line.
    #[arg(long)]
    trust: Option<PathBuf>,
    /// Print JSON: a list with one result per file.
    #[arg(long)]
    json: bool,
    /// Also write the results as CSV (one row per file).
    #[arg(long)]
    csv: Option<PathBuf>,
}

fn check_file(path: &Path, trust: &TrustList) -> anyhow::Result<FileResult> {
    let pdf = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(check::check(
        &path.display().to_string(),
        &pdf,
        trust,
        builtin_fonts(),
    ))
}

/// The built-in font, parsed once per process (about 15 ms) for proving every report's pages;
/// `None` only if the compiled-in font could not be parsed (then no report is proven).
fn builtin_fonts() -> Option<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| Fonts::new(super::BUILTIN_FONT, zicha_report::DEFAULT_FONT_FACE).ok())
        .as_ref()
}

pub fn run(args: Args, io: &mut Io<'_>) -> anyhow::Result<u8> {
    let trust = match &args.trust {
        None => TrustList::new(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            TrustList::parse(&text)
                .with_context(|| format!("{}: not a trust list", path.display()))?
        }
    };
    let mut results = Vec::new();
    for path in &args.files {
        results.push(check_file(path, &trust)?);
    }
    if args.json {
        serde_json::to_writer_pretty(&mut *io.out, &results)?;
        writeln!(io.out)?;
    } else {
        for result in &results {
            print_text(result, io)?;
        }
    }
    if let Some(csv_path) = &args.csv {
        super::write_new(csv_path, check::to_csv(&results).as_bytes(), true)?;
    }
    let all_valid = results
        .iter()
        .all(|result| result.report.verdict == Verdict::Valid);
    Ok(if all_valid { EXIT_OK } else { EXIT_PROBLEMS })
}

fn print_text(result: &FileResult, io: &mut Io<'_>) -> anyhow::Result<()> {
    let out = &mut *io.out;
    let report = &result.report;
    writeln!(
        out,
        "{}: {} {}",
        result.file,
        report.verdict.zh(),
        report.verdict.en()
    )?;
    for (idx, signature) in report.signatures.iter().enumerate() {
        writeln!(
            out,
            "  {}. {} {} · {} ({}) · {} · {} · {} {}",
            idx + 1,
            signature.role.as_deref().unwrap_or("-"),
            signature.signer.as_deref().unwrap_or("?"),
            signature.organisation.as_deref().unwrap_or("?"),
            signature.credit_code.as_deref().unwrap_or("-"),
            signature.time.as_deref().unwrap_or("-"),
            match signature.trust {
                zicha_sign::Trust::Known => "已登记 trusted",
                zicha_sign::Trust::Unknown => "未登记 unknown",
            },
            signature.verdict.zh(),
            signature.verdict.en(),
        )?;
        for reason in &signature.reasons {
            writeln!(out, "     - {} / {}", reason.zh, reason.en)?;
        }
    }
    for reason in &report.findings {
        writeln!(out, "  - {} / {}", reason.zh, reason.en)?;
    }
    if let Some(inspection) = &result.inspection {
        writeln!(
            out,
            "  检查数据 inspection: {} ({}) · {} {} · {}",
            inspection.organisation,
            inspection.credit_code,
            inspection.checklist,
            inspection.checklist_version,
            inspection.date
        )?;
        if let Some(score) = &inspection.score {
            let grade = score.grade.map_or("—", |grade| grade.zh());
            let rates: Vec<String> = score
                .five_100
                .iter()
                .map(|rate| format!("{}/{}", rate.numerator, rate.denominator))
                .collect();
            writeln!(
                out,
                "    重新评分 re-scored: 等级 {grade} · 总分 {} · 五个100% [{}] · 隐患 一般 {} 重大 {} 未销号 {} · 停工 {}",
                score.total,
                rates.join(" "),
                score.hazards.general,
                score.hazards.major,
                score.hazards.open,
                if score.stop_work { "是 yes" } else { "否 no" },
            )?;
        }
        match inspection.matches_report {
            Some(true) => writeln!(out, "    与报告汇总一致 matches the report's summary")?,
            Some(false) => writeln!(
                out,
                "    与报告汇总不一致 DIFFERS from the report's summary"
            )?,
            None => {}
        }
        for reason in &inspection.findings {
            writeln!(out, "    - {} / {}", reason.zh, reason.en)?;
        }
    }
    if let Some(proof) = &result.proof {
        writeln!(out, "  页面 pages: {} {}", proof.status_zh, proof.status_en)?;
        for reason in &proof.findings {
            writeln!(out, "    - {} / {}", reason.zh, reason.en)?;
        }
    }
    Ok(())
}
