//! `zicha verify FILE.pdf... [--trust FILE] [--json] [--csv OUT.csv]`: per file the verdict (valid /
//! invalid / modified after signing), every signer, the reasons in Chinese and English, and the
//! embedded inspection re-scored with zicha-core and compared with what the report claims. Exit 0
//! only when every file is valid.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;
use zicha_core::bundle::{self, BundleData};
use zicha_core::checklist::{self, Checklist};
use zicha_core::score::{self, ScoreReport};
use zicha_sign::{Finding, TrustList, Verdict, VerificationReport};

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

/// The result for one file (`--json`).
#[derive(Serialize)]
struct FileResult {
    file: String,
    #[serde(flatten)]
    report: VerificationReport,
    /// The inspection recovered from the report, when it carries one.
    inspection: Option<InspectionSummary>,
}

/// What the embedded inspection says, re-scored by zicha-core.
#[derive(Serialize)]
struct InspectionSummary {
    organisation: String,
    credit_code: String,
    project: Option<String>,
    checklist: String,
    checklist_version: String,
    date: String,
    /// The embedded inspection.json lies inside bytes covered by a valid signature.
    signed: bool,
    /// The report's own summary (summary.json) equals the re-scored one; `None` when the report
    /// carries no summary to compare with.
    matches_report: Option<bool>,
    /// The re-scored result.
    score: Option<ScoreReport>,
    /// Why the inspection could not be re-scored or does not match, in Chinese and English.
    findings: Vec<Finding>,
}

fn finding(code: &str, en: String, zh: String) -> Finding {
    Finding {
        code: code.to_owned(),
        en,
        zh,
    }
}

fn inspection_summary(pdf: &[u8], report: &VerificationReport) -> Option<InspectionSummary> {
    let files = zicha_sign::embedded_files_with(pdf, report).ok()?;
    let data_file = files.iter().find(|file| file.name == "inspection.json")?;
    let mut findings = Vec::new();
    let data: BundleData = match bundle::parse_data(&data_file.bytes) {
        Ok(data) => data,
        Err(error) => {
            return Some(InspectionSummary {
                organisation: String::new(),
                credit_code: String::new(),
                project: None,
                checklist: String::new(),
                checklist_version: String::new(),
                date: String::new(),
                signed: data_file.signed,
                matches_report: None,
                score: None,
                findings: vec![finding(
                    "inspection-unreadable",
                    format!("the embedded inspection.json cannot be read: {error}"),
                    format!("内嵌的检查数据无法读取：{error}"),
                )],
            });
        }
    };
    if !data_file.signed {
        findings.push(finding(
            "inspection-not-signed",
            "the embedded inspection data is not covered by a valid signature".to_owned(),
            "内嵌的检查数据不在有效签名覆盖范围内".to_owned(),
        ));
    }
    let reference = &data.inspection.checklist;
    // The built-in checklist with the same content hash is the same text, already parsed once; the
    // embedded checklist.toml is parsed only for checklists this build does not carry.
    let checklist: Option<Checklist> =
        zicha_core::catalog::resolve(reference)
            .cloned()
            .or_else(|| {
                files
                    .iter()
                    .find(|file| file.name == "checklist.toml")
                    .and_then(|file| std::str::from_utf8(&file.bytes).ok())
                    .and_then(|source| match checklist::parse(source) {
                        (Some(parsed), problems)
                            if problems.is_empty() && parsed.reference() == *reference =>
                        {
                            Some(parsed)
                        }
                        _ => None,
                    })
            });
    let claimed: Option<zicha_report::ReportSummary> = files
        .iter()
        .find(|file| file.name == zicha_report::SUMMARY_FILE)
        .and_then(|file| serde_json::from_slice(&file.bytes).ok());
    let mut matches_report = None;
    let score = match &checklist {
        None => {
            findings.push(finding(
                "checklist-unknown",
                format!(
                    "checklist {} {} ({}) is neither embedded nor built in",
                    reference.id,
                    reference.version,
                    reference.hash.short(12)
                ),
                format!(
                    "检查表 {} {}（{}）既未内嵌也非内置，无法重新评分",
                    reference.id,
                    reference.version,
                    reference.hash.short(12)
                ),
            ));
            None
        }
        Some(checklist) => {
            if let Err(error) = data.inspection.validate(checklist) {
                findings.push(finding(
                    "inspection-invalid",
                    format!("the embedded inspection does not fit its checklist: {error}"),
                    format!("内嵌检查数据与检查表不符：{error}"),
                ));
            }
            let as_of = claimed
                .as_ref()
                .map_or(data.inspection.date, |claimed| claimed.as_of);
            let rescored = score::score(checklist, &data.inspection, &data.hazards, as_of);
            if let Some(claimed) = &claimed {
                let same = claimed.score == rescored;
                matches_report = Some(same);
                if !same {
                    findings.push(finding(
                        "summary-mismatch",
                        "the report's summary differs from its own inspection data re-scored"
                            .to_owned(),
                        "报告中的汇总结果与其内嵌检查数据重新评分的结果不一致".to_owned(),
                    ));
                }
            }
            Some(rescored)
        }
    };
    Some(InspectionSummary {
        organisation: data.organisation.name.clone(),
        credit_code: data.organisation.credit_code.clone(),
        project: data.project.as_ref().map(|project| project.name.clone()),
        checklist: reference.id.clone(),
        checklist_version: reference.version.clone(),
        date: zicha_core::inspection::date_format::format(data.inspection.date),
        signed: data_file.signed,
        matches_report,
        score,
        findings,
    })
}

fn check_file(path: &Path, trust: &TrustList) -> anyhow::Result<FileResult> {
    let pdf = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut report = zicha_sign::verify(&pdf, trust);
    let inspection = inspection_summary(&pdf, &report);
    // A report whose printed summary disagrees with its own data, or whose data is unsigned, is not
    // a valid report even when its signatures are intact.
    if let Some(summary) = &inspection {
        let serious = summary
            .findings
            .iter()
            .any(|f| f.code == "summary-mismatch" || f.code == "inspection-not-signed");
        if serious && report.verdict == Verdict::Valid {
            report.verdict = Verdict::Invalid;
            report.verdict_en = Verdict::Invalid.en().to_owned();
            report.verdict_zh = Verdict::Invalid.zh().to_owned();
        }
    }
    Ok(FileResult {
        file: path.display().to_string(),
        report,
        inspection,
    })
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
        let csv = to_csv(&results)?;
        super::write_new(csv_path, &csv, true)?;
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
    Ok(())
}

fn to_csv(results: &[FileResult]) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "file",
        "verdict",
        "signatures",
        "signers",
        "organisations",
        "credit_codes",
        "times",
        "trust",
        "grade",
        "total",
        "stop_work",
        "hazards_open",
        "matches_report",
        "reasons_zh",
        "reasons_en",
    ])?;
    for result in results {
        let report = &result.report;
        let join = |field: fn(&zicha_sign::SignatureReport) -> String| {
            report
                .signatures
                .iter()
                .map(field)
                .collect::<Vec<_>>()
                .join("; ")
        };
        let score = result
            .inspection
            .as_ref()
            .and_then(|inspection| inspection.score.as_ref());
        let reasons: Vec<&Finding> = report
            .findings
            .iter()
            .chain(report.signatures.iter().flat_map(|s| s.reasons.iter()))
            .chain(result.inspection.iter().flat_map(|i| i.findings.iter()))
            .collect();
        writer.write_record([
            result.file.clone(),
            report.verdict.en().to_owned(),
            report.signatures.len().to_string(),
            join(|s| {
                format!(
                    "{} {}",
                    s.role.clone().unwrap_or_default(),
                    s.signer.clone().unwrap_or_default()
                )
                .trim()
                .to_owned()
            }),
            join(|s| s.organisation.clone().unwrap_or_default()),
            join(|s| s.credit_code.clone().unwrap_or_default()),
            join(|s| s.time.clone().unwrap_or_default()),
            join(|s| match s.trust {
                zicha_sign::Trust::Known => "known".to_owned(),
                zicha_sign::Trust::Unknown => "unknown".to_owned(),
            }),
            score
                .and_then(|s| s.grade)
                .map_or(String::new(), |g| g.zh().to_owned()),
            score.map_or(String::new(), |s| s.total.to_string()),
            score.map_or(String::new(), |s| s.stop_work.to_string()),
            score.map_or(String::new(), |s| s.hazards.open.to_string()),
            result
                .inspection
                .as_ref()
                .and_then(|i| i.matches_report)
                .map_or(String::new(), |m| m.to_string()),
            reasons
                .iter()
                .map(|r| r.zh.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            reasons
                .iter()
                .map(|r| r.en.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        ])?;
    }
    Ok(writer.into_inner()?)
}
