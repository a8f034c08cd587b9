//! Checking a received signed report: zicha-sign's verdict on the signatures, and the embedded
//! inspection re-scored with zicha-core and compared with the summary the report prints. This is
//! what `zicha verify` runs and what the browser's report worker runs, so both give the same answer
//! for the same bytes; reading files, printing and exit codes stay with the caller.
//!
//! The checklist for re-scoring is the known one with the same id, version and content hash
//! ([`zicha_core::catalog::resolve`]: the built-in copy in the CLI), else the report's own
//! `checklist.toml` when it parses without problems and has that reference (the only source in a
//! browser worker, where no catalog is installed).

use serde::{Deserialize, Serialize};
use zicha_core::bundle::{self, BundleData};
use zicha_core::checklist::{self, Checklist};
use zicha_core::score::{self, ScoreReport};
use zicha_sign::{
    EmbeddedFile, Finding, SignatureReport, Trust, TrustList, Verdict, VerificationReport,
};

use crate::proof::{self, Proof, ProofStatus};
use crate::{Fonts, ReportSummary, SUMMARY_FILE};

/// The result of checking one file (one element of `zicha verify --json`). The JSON field names
/// are a contract with the command's users.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileResult {
    /// The file name, as the caller gave it.
    pub file: String,
    /// The verification report; its verdict is made [`Verdict::Invalid`] when the embedded
    /// inspection is unsigned or the printed summary disagrees with it (see [`check`]).
    #[serde(flatten)]
    pub report: VerificationReport,
    /// The inspection recovered from the report, when it carries one.
    pub inspection: Option<InspectionSummary>,
    /// Whether the pages are proven to show the embedded inspection ([`crate::proof`]); `None`
    /// when the report carries no inspection to render.
    #[serde(default)]
    pub proof: Option<Proof>,
}

/// What the embedded inspection says, re-scored by zicha-core.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionSummary {
    /// The enterprise's name.
    pub organisation: String,
    /// The enterprise's 统一社会信用代码.
    pub credit_code: String,
    /// The project's name, if the inspection has a project.
    pub project: Option<String>,
    /// The checklist id.
    pub checklist: String,
    /// The checklist version.
    pub checklist_version: String,
    /// The inspection date, `YYYY-MM-DD`.
    pub date: String,
    /// The embedded inspection.json lies inside bytes covered by a valid signature.
    pub signed: bool,
    /// The report's own summary (summary.json) equals the re-scored one; `None` when the report
    /// carries no summary to compare with.
    pub matches_report: Option<bool>,
    /// The re-scored result.
    pub score: Option<ScoreReport>,
    /// Why the inspection could not be re-scored or does not match, in Chinese and English.
    pub findings: Vec<Finding>,
}

/// Checks the signed report `pdf`: verifies its signatures against `trust`, recovers the embedded
/// inspection and re-scores it. `file` is only copied into the result.
///
/// A report whose printed summary disagrees with its own data (`summary-mismatch`), or whose data
/// is not covered by a valid signature (`inspection-not-signed`), is [`Verdict::Invalid`] even
/// when its signatures are intact. Never fails: unreadable bytes give an invalid result.
///
/// `fonts` are the verifier's (the font Zicha ships): with them the pages are proven to be what
/// the embedded data renders to ([`crate::proof`]). A report whose pages differ, or cannot be
/// proven (an older layout, no `fonts`), is [`Verdict::Invalid`] too.
pub fn check(file: &str, pdf: &[u8], trust: &TrustList, fonts: Option<&Fonts>) -> FileResult {
    let mut report = zicha_sign::verify(pdf, trust);
    let (inspection, proof) = inspection_summary(pdf, &report, fonts);
    let unproven = proof
        .as_ref()
        .is_some_and(|proof| proof.status != ProofStatus::Proven);
    if let Some(summary) = &inspection {
        let serious = summary
            .findings
            .iter()
            .any(|f| f.code == "summary-mismatch" || f.code == "inspection-not-signed");
        if (serious || unproven) && report.verdict == Verdict::Valid {
            report.verdict = Verdict::Invalid;
            report.verdict_en = Verdict::Invalid.en().to_owned();
            report.verdict_zh = Verdict::Invalid.zh().to_owned();
        }
    }
    FileResult {
        file: file.to_owned(),
        report,
        inspection,
        proof,
    }
}

fn finding(code: &str, en: String, zh: String) -> Finding {
    Finding {
        code: code.to_owned(),
        en,
        zh,
    }
}

fn inspection_summary(
    pdf: &[u8],
    report: &VerificationReport,
    fonts: Option<&Fonts>,
) -> (Option<InspectionSummary>, Option<Proof>) {
    let Ok(files) = zicha_sign::embedded_files_with(pdf, report) else {
        return (None, None);
    };
    let Some(data_file) = files.iter().find(|file| file.name == "inspection.json") else {
        return (None, None);
    };
    let mut findings = Vec::new();
    let data: BundleData = match bundle::parse_data(&data_file.bytes) {
        Ok(data) => data,
        Err(error) => {
            let summary = InspectionSummary {
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
            };
            let proof = summary.findings.first().map(proof::not_provable);
            return (Some(summary), proof);
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
    // The known checklist with the same content hash is the same text, already parsed; the
    // embedded checklist.toml is parsed only for checklists this build does not know.
    let checklist: Option<Checklist> = zicha_core::catalog::resolve(reference)
        .cloned()
        .or_else(|| embedded_checklist(&files, reference));
    let claimed: Option<ReportSummary> = files
        .iter()
        .find(|file| file.name == SUMMARY_FILE)
        .and_then(|file| serde_json::from_slice(&file.bytes).ok());
    let mut matches_report = None;
    // The pages rendered again from the data and compared with the signed file.
    let proof = checklist.as_ref().map(|checklist| {
        let source = files
            .iter()
            .find(|file| file.name == "checklist.toml")
            .and_then(|file| std::str::from_utf8(&file.bytes).ok());
        let embedded = proof::Embedded {
            data: &data,
            checklist,
            checklist_source: source,
            summary: claimed.as_ref(),
        };
        proof::prove(pdf, report, embedded, fonts)
    });
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
    // No checklist, no render: the pages cannot be proven.
    let proof = proof.or_else(|| {
        findings
            .iter()
            .find(|f| f.code == "checklist-unknown")
            .map(proof::not_provable)
    });
    let summary = InspectionSummary {
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
    };
    (Some(summary), proof)
}

/// The report's own `checklist.toml`, when it parses without problems and is the checklist the
/// inspection refers to.
fn embedded_checklist(
    files: &[EmbeddedFile],
    reference: &checklist::ChecklistRef,
) -> Option<Checklist> {
    let source = files
        .iter()
        .find(|file| file.name == "checklist.toml")
        .and_then(|file| std::str::from_utf8(&file.bytes).ok())?;
    match checklist::parse(source) {
        (Some(parsed), problems) if problems.is_empty() && parsed.reference() == *reference => {
            Some(parsed)
        }
        _ => None,
    }
}

/// The results as CSV, one row per file: file, verdict, signatures, signers, organisations,
/// credit_codes, times, trust, grade, total, stop_work, hazards_open, matches_report, reasons_zh,
/// reasons_en (the columns are a contract with `zicha verify --csv` users). Several signatures or
/// reasons in one cell are joined with `; `; cells are quoted where needed.
pub fn to_csv(results: &[FileResult]) -> String {
    let bytes = write_csv(results)
        .unwrap_or_else(|error| unreachable!("writing CSV into memory failed: {error}"));
    // Every cell is a `&str`, so the bytes are UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|error| unreachable!("CSV is not UTF-8: {error}"))
}

/// The CSV writer into memory: it could only fail on I/O (there is none) or on rows of different
/// lengths (every row has the header's 15 cells).
fn write_csv(results: &[FileResult]) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
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
        let join = |field: fn(&SignatureReport) -> String| {
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
            .chain(result.proof.iter().flat_map(|p| p.findings.iter()))
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
                Trust::Known => "known".to_owned(),
                Trust::Unknown => "unknown".to_owned(),
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

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};
    use zicha_core::bundle::Bundle;
    use zicha_sign::{CertificateSubject, SignOptions, SigningKey};

    use super::*;
    use crate::{Fonts, Options};

    const FONT: &[u8] = include_bytes!("../../../assets/fonts/wqy-microhei.ttc");

    /// A sample inspection on the built-in checklist `id`, or on `source` when given.
    fn bundle(id: &str, source: Option<&str>) -> Bundle {
        let builtin = zicha_core::catalog::by_id(id).expect("built-in checklist");
        let builtin_source = zicha_core::catalog::source_of(&builtin.reference());
        let source = source.or(builtin_source).expect("built-in source");
        let (checklist, problems) = checklist::parse(source);
        assert!(problems.is_empty(), "{problems:?}");
        let checklist = checklist.expect("parsed");
        zicha_core::sample::sample(&checklist, Some(source), 7, date!(2026 - 03 - 01))
    }

    /// The font, parsed once for all tests.
    fn fonts() -> &'static Fonts {
        static FONTS: std::sync::OnceLock<Fonts> = std::sync::OnceLock::new();
        FONTS.get_or_init(|| Fonts::new(FONT, 0).expect("font"))
    }

    fn render(bundle: &Bundle) -> Vec<u8> {
        let checklist = bundle.checklist().expect("the bundle's checklist");
        let options = Options::new(
            fonts(),
            datetime!(2026-03-02 18:00 +08:00),
            "ZC-CHECK-0001",
            date!(2026 - 03 - 02),
        );
        crate::render(bundle, &checklist, &options)
            .expect("rendered")
            .pdf
    }

    /// `pdf` signed by the inspector with a fresh self-issued certificate, and that certificate's
    /// trust list.
    fn sign(pdf: &[u8]) -> (Vec<u8>, TrustList) {
        let key = SigningKey::generate_p256();
        let subject = CertificateSubject {
            organisation: "测试建设有限公司".to_owned(),
            signer: "张三".to_owned(),
            credit_code: "91350100M000100Y43".to_owned(),
            not_before: datetime!(2026-01-01 0:00 UTC),
            not_after: datetime!(2027-01-01 0:00 UTC),
        };
        let certificate = zicha_sign::self_issued_certificate(&subject, &key).expect("certificate");
        let options = SignOptions::new("检查人", datetime!(2026-03-02 19:00 +08:00));
        let signed =
            zicha_sign::sign(pdf, &key, &certificate, &[], &options).expect("signed report");
        let mut trust = TrustList::new();
        trust.add_certificate(&certificate);
        (signed, trust)
    }

    fn codes(findings: &[Finding]) -> Vec<&str> {
        findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn a_signed_report_is_valid_and_its_inspection_re_scored() {
        let (signed, trust) = sign(&render(&bundle("generic", None)));
        let result = check("report.pdf", &signed, &trust, Some(fonts()));
        assert_eq!(result.report.verdict, Verdict::Valid, "{result:?}");
        assert_eq!(result.report.signatures[0].trust, Trust::Known);
        let inspection = result.inspection.as_ref().expect("an inspection");
        assert!(inspection.signed);
        assert_eq!(inspection.matches_report, Some(true));
        assert!(inspection.score.is_some());
        assert_eq!(codes(&inspection.findings), Vec::<&str>::new());
        let proof = result.proof.as_ref().expect("a proof");
        assert_eq!(proof.status, ProofStatus::Proven, "{proof:?}");
        assert_eq!(proof.layout, Some(crate::LAYOUT_VERSION));

        // The JSON a worker sends and the page reads back is the JSON `zicha verify --json` prints.
        let json = serde_json::to_value(&result).expect("serialised");
        for key in [
            "file",
            "verdict",
            "verdict_en",
            "signatures",
            "inspection",
            "proof",
        ] {
            assert!(json.get(key).is_some(), "{key} missing: {json}");
        }
        assert!(json.get("report").is_none() && json.get("document_length").is_none());
        let read_back: FileResult = serde_json::from_value(json.clone()).expect("deserialised");
        assert_eq!(serde_json::to_value(&read_back).expect("serialised"), json);
    }

    #[test]
    fn a_checklist_that_is_not_known_is_read_from_the_report() {
        let builtin = zicha_core::catalog::by_id("generic").expect("built-in checklist");
        let source = zicha_core::catalog::source_of(&builtin.reference()).expect("source");
        // Same id and version, other text: other hash, so only the embedded copy matches.
        let local = format!("{source}\n# an enterprise's local copy\n");
        let (signed, trust) = sign(&render(&bundle("generic", Some(&local))));
        let result = check("local.pdf", &signed, &trust, Some(fonts()));
        assert_eq!(result.report.verdict, Verdict::Valid, "{result:?}");
        let inspection = result.inspection.expect("an inspection");
        assert_eq!(inspection.matches_report, Some(true));
        assert_eq!(codes(&inspection.findings), Vec::<&str>::new());
    }

    #[test]
    fn a_report_whose_checklist_cannot_be_found_is_not_provable() {
        let builtin = zicha_core::catalog::by_id("generic").expect("built-in checklist");
        let source = zicha_core::catalog::source_of(&builtin.reference()).expect("source");
        let local = format!("{source}\n# not built in and not embedded\n");
        let mut bundle = bundle("generic", Some(&local));
        let checklist = bundle.checklist().expect("the bundle's checklist");
        bundle.checklist_source = None;
        let options = Options::new(
            fonts(),
            datetime!(2026-03-02 18:00 +08:00),
            "ZC-CHECK-0002",
            date!(2026 - 03 - 02),
        );
        let pdf = crate::render(&bundle, &checklist, &options)
            .expect("rendered")
            .pdf;
        let (signed, trust) = sign(&pdf);
        let result = check("unknown.pdf", &signed, &trust, Some(fonts()));
        assert_eq!(result.report.verdict, Verdict::Invalid);
        let inspection = result.inspection.expect("an inspection");
        assert_eq!(codes(&inspection.findings), ["checklist-unknown"]);
        let proof = result.proof.expect("a proof");
        assert_eq!(proof.status, ProofStatus::NotProvable);
        assert_eq!(codes(&proof.findings), ["data-invalid"]);
        assert!(proof.findings[0].zh.starts_with("无法证明：检查表"));
    }

    #[test]
    fn an_unsigned_report_is_invalid_and_its_data_unsigned() {
        let result = check(
            "unsigned.pdf",
            &render(&bundle("generic", None)),
            &TrustList::new(),
            Some(fonts()),
        );
        assert_eq!(result.report.verdict, Verdict::Invalid);
        let inspection = result.inspection.expect("an inspection");
        assert!(!inspection.signed);
        assert_eq!(codes(&inspection.findings), ["inspection-not-signed"]);
        // Unsigned, the whole file is the original: its pages are proven all the same.
        assert_eq!(result.proof.expect("a proof").status, ProofStatus::Proven);
    }

    #[test]
    fn bytes_that_are_not_a_pdf_are_invalid_and_quoted_in_csv() {
        let result = check(
            "a, \"b\".pdf",
            b"not a pdf",
            &TrustList::new(),
            Some(fonts()),
        );
        assert_eq!(result.report.verdict, Verdict::Invalid);
        assert!(result.inspection.is_none());
        let csv = to_csv(&[result]);
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some(
                "file,verdict,signatures,signers,organisations,credit_codes,times,trust,grade,\
                 total,stop_work,hazards_open,matches_report,reasons_zh,reasons_en"
            )
        );
        let row = lines.next().expect("one row");
        assert!(row.starts_with("\"a, \"\"b\"\".pdf\",invalid,0,"), "{row}");
        assert_eq!(lines.next(), None);
    }
}
