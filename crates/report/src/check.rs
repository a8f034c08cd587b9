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
    EmbeddedFile, Finding, Party, SignatureReport, TrustList, Verdict, VerificationReport,
};

#[cfg(feature = "render")]
use crate::Fonts;
use crate::proof::{self, Proof, ProofStatus};
use crate::{ReportSummary, Role, SUMMARY_FILE};

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
    /// The signature boxes the report reserves (its `summary.json`), in signing order, each
    /// with whether it is signed; empty for a PDF that is not a Zicha report.
    #[serde(default)]
    pub parties: Vec<PartyStatus>,
}

/// A party the report reserves a signature box for, and whether it has signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyStatus {
    /// The box's 1-based number on the signature page (the signing order).
    pub number: usize,
    /// 检查人, 企业负责人 or 监理.
    pub role: String,
    /// The person the box is for.
    pub name: String,
    /// Whether a signature fills the box ([`crate::place::boxes`]).
    pub signed: bool,
}

impl FileResult {
    /// The parties whose boxes are still empty.
    pub fn missing_parties(&self) -> impl Iterator<Item = &PartyStatus> {
        self.parties.iter().filter(|party| !party.signed)
    }

    /// `zicha verify --require-all-parties`: a valid report with a party still to sign becomes
    /// [`Verdict::Incomplete`] (valid but incomplete) with the finding `parties-missing` naming
    /// them. Any other verdict stays: it is worse.
    pub fn require_all_parties(&mut self) {
        let missing: Vec<String> = self
            .missing_parties()
            .map(|party| format!("{} {}", party.role, party.name))
            .collect();
        if missing.is_empty() || self.report.verdict != Verdict::Valid {
            return;
        }
        self.report.raise_verdict(Verdict::Incomplete);
        self.report.findings.push(finding(
            "parties-missing",
            format!("not yet signed by {}", missing.join(", ")),
            format!("尚未签署：{}", missing.join("、")),
        ));
    }
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
/// when its signatures are intact; so is one with a signature whose certificate is issued to
/// another unit than the party its role stands for (`signer-party-mismatch`, see
/// [`signing_parties`]). With a non-empty `trust` list, a certificate not on it makes the file
/// [`Verdict::Unregistered`]. Never fails: unreadable bytes give an invalid result.
///
/// `fonts` are the verifier's (the font Zicha ships): with them the pages are proven to be what
/// the embedded data renders to ([`crate::proof`]). A report whose pages differ, or cannot be
/// proven (an older layout, no `fonts`), is [`Verdict::Invalid`] too.
#[cfg(feature = "render")]
pub fn check(file: &str, pdf: &[u8], trust: &TrustList, fonts: Option<&Fonts>) -> FileResult {
    let prove = |pdf: &[u8], report: &VerificationReport, embedded: proof::Embedded<'_>| {
        proof::prove(pdf, report, embedded, fonts)
    };
    check_with(file, pdf, trust, Some(&prove))
}

/// [`check`] without the proof of the pages: the signatures, who signed them (the trust list and
/// the parties of the embedded data), and the embedded inspection re-scored and compared with the
/// summary — everything but rendering the report again, so it needs neither printpdf nor a font
/// (the browser's light verifier, which gives a first verdict while the report worker is still
/// downloading). Its `proof` is `None`, except for a report that cannot be proven at all
/// (unreadable data, an unknown checklist), where it is [`check`]'s and so is the verdict.
///
/// Not a verdict on its own: [`check`] makes the file [`Verdict::Invalid`] when the pages differ
/// from the data or cannot be proven, so a [`Verdict::Valid`] here only says that the signatures,
/// identity and data are in order while the pages are not yet compared. Every other verdict is
/// final: the proof can only make a verdict worse.
pub fn check_data(file: &str, pdf: &[u8], trust: &TrustList) -> FileResult {
    check_with(file, pdf, trust, None)
}

/// Renders the report again from its embedded data and compares it with the file ([`proof::prove`]
/// with the verifier's fonts).
type Prover<'a> = &'a dyn Fn(&[u8], &VerificationReport, proof::Embedded<'_>) -> Proof;

/// [`check`], proving the pages with `prove`, or [`check_data`] without it.
fn check_with(file: &str, pdf: &[u8], trust: &TrustList, prove: Option<Prover<'_>>) -> FileResult {
    let mut report = zicha_sign::verify(pdf, trust);
    // Read once: which bytes are signed is the signatures' cryptographic verdict, before the
    // party check below adds its own.
    let files = zicha_sign::embedded_files_with(pdf, &report).unwrap_or_default();
    let data_file = files.iter().find(|file| file.name == "inspection.json");
    let data = data_file.map(|file| bundle::parse_data(&file.bytes));
    if let Some(Ok(data)) = &data {
        check_parties(data, &mut report);
    }
    let (inspection, proof) = match data_file.zip(data) {
        Some((data_file, data)) => {
            let embedded = Embedded {
                pdf,
                report: &report,
                files: &files,
                data_file,
            };
            let (summary, proof) = inspection_summary(embedded, data, prove);
            (Some(summary), proof)
        }
        None => (None, None),
    };
    let unproven = proof
        .as_ref()
        .is_some_and(|proof| proof.status != ProofStatus::Proven);
    if let Some(summary) = &inspection {
        let serious = summary
            .findings
            .iter()
            .any(|f| f.code == "summary-mismatch" || f.code == "inspection-not-signed");
        // A file already modified after signing keeps that verdict (its data is unsigned
        // because of the modification, which the findings name).
        if (serious || unproven) && report.verdict <= Verdict::Unregistered {
            report.raise_verdict(Verdict::Invalid);
        }
    }
    let parties = parties(&files, &report);
    FileResult {
        file: file.to_owned(),
        report,
        inspection,
        proof,
        parties,
    }
}

/// The boxes of the report's `summary.json` and whether each is signed.
fn parties(files: &[EmbeddedFile], report: &VerificationReport) -> Vec<PartyStatus> {
    let Some(summary) = files
        .iter()
        .find(|file| file.name == SUMMARY_FILE)
        .and_then(|file| serde_json::from_slice::<ReportSummary>(&file.bytes).ok())
    else {
        return Vec::new();
    };
    crate::place::boxes_of(summary.signature_slots, report)
        .into_iter()
        .map(|signature_box| PartyStatus {
            number: signature_box.number,
            role: signature_box.slot.role,
            name: signature_box.slot.name,
            signed: signature_box.signed,
        })
        .collect()
}

/// The units that may sign a report of `data` in each role: the enterprise for 检查人 and
/// 企业负责人 (its name and credit code), every 监理单位 the project records for 监理 (its name, and
/// its credit code when recorded). The same parties [`crate::signers`] reserves boxes for.
pub fn signing_parties(data: &BundleData) -> Vec<(Role, Vec<Party>)> {
    let enterprise = Party {
        organisation: data.organisation.name.clone(),
        credit_code: Some(data.organisation.credit_code.clone()),
    };
    let supervisors = data
        .project
        .iter()
        .flat_map(|project| project.parties.iter())
        .filter(|party| party.role == zicha_core::org::PartyRole::Supervisor)
        .map(|party| Party {
            organisation: party.name.clone(),
            credit_code: party.credit_code.clone(),
        })
        .collect();
    vec![
        (Role::Inspector, vec![enterprise.clone()]),
        (Role::Enterprise, vec![enterprise]),
        (Role::Supervisor, supervisors),
    ]
}

/// Checks every signature made in a Zicha role (its /Reason: 检查人, 企业负责人, 监理) against the
/// party that role stands for in the embedded inspection data. Signatures in other roles (a
/// co-signature by another tool) stand for no recorded party and are left alone; a PDF without
/// readable inspection data has no parties to check.
fn check_parties(data: &BundleData, report: &mut VerificationReport) {
    let parties = signing_parties(data);
    let mut worst = Verdict::Valid;
    for signature in &mut report.signatures {
        let Some(role) = signature.role.clone() else {
            continue;
        };
        if let Some((_, units)) = parties.iter().find(|(known, _)| known.zh() == role) {
            signature.check_party(&role, units);
            worst = worst.max(signature.verdict);
        }
    }
    report.raise_verdict(worst);
}

fn finding(code: &str, en: String, zh: String) -> Finding {
    Finding {
        code: code.to_owned(),
        en,
        zh,
    }
}

/// What [`inspection_summary`] reads: the file, its verification and its attachments.
struct Embedded<'a> {
    pdf: &'a [u8],
    report: &'a VerificationReport,
    files: &'a [EmbeddedFile],
    data_file: &'a EmbeddedFile,
}

fn inspection_summary(
    embedded: Embedded<'_>,
    data: zicha_core::Result<BundleData>,
    prove: Option<Prover<'_>>,
) -> (InspectionSummary, Option<Proof>) {
    let Embedded {
        pdf,
        report,
        files,
        data_file,
    } = embedded;
    let mut findings = Vec::new();
    let data: BundleData = match data {
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
            return (summary, proof);
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
        .or_else(|| embedded_checklist(files, reference));
    let claimed: Option<ReportSummary> = files
        .iter()
        .find(|file| file.name == SUMMARY_FILE)
        .and_then(|file| serde_json::from_slice(&file.bytes).ok());
    let mut matches_report = None;
    // The pages rendered again from the data and compared with the signed file.
    let proof = checklist.as_ref().zip(prove).map(|(checklist, prove)| {
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
        prove(pdf, report, embedded)
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
            let rescored = score::score_with(
                checklist,
                &data.inspection,
                &data.hazards,
                data.major_sources(),
                as_of,
            );
            if let Some(claimed) = &claimed {
                let same = same_as_printed(claimed, &rescored);
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
    (summary, proof)
}

/// The first [`crate::SUMMARY_FORMAT`] whose score was made by today's scoring rules (exact
/// grades, `incomplete`, `judgement`, hazards worded as found): such a summary is compared whole.
const SUMMARY_FORMAT_OF_TODAYS_RULES: u32 = 2;

/// Whether the score a report prints equals its data re-scored. A summary written before
/// [`SUMMARY_FORMAT_OF_TODAYS_RULES`] was scored by the rules of its time (grades on rounded values, no
/// `incomplete`, a percentage outside construction, hazard texts worded from the item): only what
/// those rules and today's agree on is compared (progress, failed items, hazard counts, whether
/// work must stop), so an honest older report is not called inconsistent for a rule it predates.
fn same_as_printed(claimed: &ReportSummary, rescored: &ScoreReport) -> bool {
    if claimed.format >= SUMMARY_FORMAT_OF_TODAYS_RULES {
        return claimed.score == *rescored;
    }
    let printed = &claimed.score;
    printed.progress == rescored.progress
        && printed.failed_items == rescored.failed_items
        && printed.hazards == rescored.hazards
        && printed.stop_work == rescored.stop_work
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
    match checklist::parse_recorded(source) {
        (Some(parsed), problems) if problems.is_empty() && parsed.reference() == *reference => {
            Some(parsed)
        }
        _ => None,
    }
}

/// The columns of `zicha verify --csv`, one row per file (a contract with its users): file,
/// verdict, signatures, signers, organisations, credit_codes, times, trust, cert_sha256, grade,
/// total, stop_work, hazards_open, matches_report, reasons_zh, reasons_en, parties_signed,
/// parties_missing (each party as `ROLE NAME`; added last so that no earlier column moves).
/// Several signatures, reasons or parties in one cell are joined with `; `. `trust` is `known`, `unknown` or `not-checked` (no
/// trust list: who signed was not checked); `times` are the signers' claims.
pub const CSV_COLUMNS: &[&str] = &[
    "file",
    "verdict",
    "signatures",
    "signers",
    "organisations",
    "credit_codes",
    "times",
    "trust",
    "cert_sha256",
    "grade",
    "total",
    "stop_work",
    "hazards_open",
    "matches_report",
    "reasons_zh",
    "reasons_en",
    "parties_signed",
    "parties_missing",
];

/// The UTF-8 byte order mark every CSV starts with: without it Excel on zh-CN Windows reads the
/// file as GBK and garbles the Chinese columns.
pub const UTF8_BOM: &str = "\u{feff}";

/// The results as CSV: [`UTF8_BOM`], the header ([`CSV_COLUMNS`]) and one row per file, exactly
/// the bytes [`CsvWriter`] streams into `zicha verify --csv`'s file (the browser's verify page
/// exports this string).
pub fn to_csv(results: &[FileResult]) -> String {
    let mut bytes = Vec::new();
    let written = CsvWriter::new(&mut bytes)
        .and_then(|mut writer| results.iter().try_for_each(|result| writer.write(result)));
    written.unwrap_or_else(|error| unreachable!("writing CSV into memory failed: {error}"));
    // Every cell is a `&str`, so the bytes are UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|error| unreachable!("CSV is not UTF-8: {error}"))
}

/// A CSV file written one result at a time (the CLI streams thousands of rows without holding
/// them): [`UTF8_BOM`] and the header when made, then a row per [`CsvWriter::write`].
///
/// Control characters are removed from every cell ([`terminal_text`]: the file is also read with
/// `cat`). Cells are quoted as RFC 4180 says (commas, quotes, line breaks) and neutralised as the OWASP
/// CSV-injection rules say (<https://owasp.org/www-community/attacks/CSV_Injection>): a cell
/// starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` and is quoted, so
/// that a certificate with O = `=HYPERLINK(...)` shows as text instead of planting a formula in
/// the regulator's sheet. Written by hand because the csv crate chooses quoting per writer
/// (`csv::QuoteStyle`), not per cell; tested against the csv crate's reader and Python's.
pub struct CsvWriter<W: std::io::Write> {
    out: W,
    line: String,
}

impl<W: std::io::Write> CsvWriter<W> {
    /// Writes the byte order mark and the header into `out`.
    pub fn new(out: W) -> std::io::Result<Self> {
        Self::with_columns(out, CSV_COLUMNS)
    }

    /// Writes the byte order mark and `columns` as the header into `out`, for rows of another
    /// table written with [`CsvWriter::write_cells`] (the browser's inbox: the register's
    /// `reports` table, [`crate::register::REPORT_COLUMNS`]), quoted and neutralised alike.
    pub fn with_columns(mut out: W, columns: &[&str]) -> std::io::Result<Self> {
        out.write_all(UTF8_BOM.as_bytes())?;
        let mut writer = CsvWriter {
            out,
            line: String::new(),
        };
        writer.write_row(columns)?;
        Ok(writer)
    }

    /// Writes the row of one file.
    pub fn write(&mut self, result: &FileResult) -> std::io::Result<()> {
        self.write_row(&csv_row(result))
    }

    /// Writes one row of `cells`.
    pub fn write_cells<S: AsRef<str>>(&mut self, cells: &[S]) -> std::io::Result<()> {
        self.write_row(cells)
    }

    /// Flushes and returns the output.
    pub fn into_inner(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }

    fn write_row<S: AsRef<str>>(&mut self, cells: &[S]) -> std::io::Result<()> {
        self.line.clear();
        for (idx, cell) in cells.iter().enumerate() {
            if idx > 0 {
                self.line.push(',');
            }
            push_csv_cell(&mut self.line, &terminal_text(cell.as_ref()));
        }
        self.line.push('\n');
        self.out.write_all(self.line.as_bytes())
    }
}

/// Appends `cell` to a CSV line: neutralised when a spreadsheet would take it for a formula,
/// quoted when it holds a comma, a quote or a line break (quotes doubled).
fn push_csv_cell(line: &mut String, cell: &str) {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if !formula && !cell.contains([',', '"', '\n', '\r']) {
        line.push_str(cell);
        return;
    }
    line.push('"');
    if formula {
        line.push('\'');
    }
    line.push_str(&cell.replace('"', "\"\""));
    line.push('"');
}

/// `text` fit for a terminal: without control characters (C0, DEL, C1: escape sequences that
/// move the cursor, recolour or retitle the terminal, and line breaks that forge output lines)
/// and without the Unicode bidirectional controls that reorder what is shown ("Trojan Source",
/// CVE-2021-42574). Certificate fields and file names come from whoever made the file.
pub fn terminal_text(text: &str) -> std::borrow::Cow<'_, str> {
    fn hidden(c: char) -> bool {
        c.is_control()
            || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }
    if text.contains(hidden) {
        text.chars()
            .filter(|&c| !hidden(c))
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// The cells of one file's CSV row, in the order of [`CSV_COLUMNS`].
fn csv_row(result: &FileResult) -> Vec<String> {
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
    vec![
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
        join(|s| s.trust.key().to_owned()),
        join(|s| s.cert_sha256.clone().unwrap_or_default()),
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
        parties_cell(result.parties.iter().filter(|party| party.signed)),
        parties_cell(result.missing_parties()),
    ]
}

fn parties_cell<'a>(parties: impl Iterator<Item = &'a PartyStatus>) -> String {
    parties
        .map(|party| format!("{} {}", party.role, party.name))
        .collect::<Vec<_>>()
        .join("; ")
}

// The fixtures render reports.
#[cfg(all(test, feature = "render"))]
mod tests {
    use time::macros::{date, datetime};
    use zicha_core::bundle::Bundle;
    use zicha_sign::{CertificateSubject, SignOptions, SigningKey, Trust};

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

    /// The report of `bundle` signed by its inspector with a fresh self-issued certificate of the
    /// bundle's enterprise, and that certificate's trust list.
    fn sign(bundle: &Bundle) -> (Vec<u8>, TrustList) {
        let organisation = &bundle.data.organisation;
        sign_as(
            &render(bundle),
            &organisation.name,
            &organisation.credit_code,
        )
    }

    /// `pdf` signed as 检查人 张三 of `organisation` with a fresh self-issued certificate.
    fn sign_as(pdf: &[u8], organisation: &str, credit_code: &str) -> (Vec<u8>, TrustList) {
        let key = SigningKey::generate_p256();
        let subject = CertificateSubject {
            organisation: organisation.to_owned(),
            signer: "张三".to_owned(),
            credit_code: credit_code.to_owned(),
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
        let (signed, trust) = sign(&bundle("generic", None));
        let result = check("report.pdf", &signed, &trust, Some(fonts()));
        assert_eq!(result.report.verdict, Verdict::Valid, "{result:?}");
        assert_eq!(result.report.signatures[0].trust, Trust::Known);
        let inspection = result.inspection.as_ref().expect("an inspection");
        assert!(inspection.signed);
        assert_eq!(inspection.matches_report, Some(true));
        assert!(inspection.score.is_some());
        assert_eq!(codes(&inspection.findings), Vec::<&str>::new());

        // The JSON a worker sends and the page reads back is the JSON `zicha verify --json` prints.
        let json = serde_json::to_value(&result).expect("serialised");
        let proof = result.proof.as_ref().expect("a proof");
        assert_eq!(proof.status, ProofStatus::Proven, "{proof:?}");
        assert_eq!(proof.layout, Some(crate::LAYOUT_VERSION));
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

    /// `check_data`'s result is `check`'s without the proof of the pages: the same JSON but for
    /// `proof` (absent) and a verdict the proof did not raise.
    #[track_caller]
    fn check_data_agrees(
        pdf: &[u8],
        trust: &TrustList,
        verdict: Verdict,
        proof: Option<ProofStatus>,
    ) {
        let full = check("report.pdf", pdf, trust, Some(fonts()));
        let first = check_data("report.pdf", pdf, trust);
        assert_eq!(first.report.verdict, verdict, "{first:?}");
        assert_eq!(first.proof.as_ref().map(|proof| proof.status), proof);
        let mut full = serde_json::to_value(&full).expect("serialised");
        let mut first = serde_json::to_value(&first).expect("serialised");
        for json in [&mut full, &mut first] {
            let object = json.as_object_mut().expect("an object");
            for key in ["proof", "verdict", "verdict_en", "verdict_zh"] {
                object.remove(key);
            }
        }
        assert_eq!(first, full);
    }

    #[test]
    fn check_data_is_check_without_the_proof_of_the_pages() {
        let sample = bundle("generic", None);
        let (signed, trust) = sign(&sample);
        // Valid, pages not compared (check: valid, pages proven).
        check_data_agrees(&signed, &trust, Verdict::Valid, None);
        // Who signed is checked without the pages: another key of the same signer.
        let (impostor, _) = sign(&sample);
        check_data_agrees(&impostor, &trust, Verdict::Unregistered, None);
        // An unsigned report: its data is unsigned, invalid before any page is compared.
        let pdf = render(&sample);
        check_data_agrees(&pdf, &TrustList::new(), Verdict::Invalid, None);
        // Not a PDF.
        check_data_agrees(b"%PDF-1.7 broken", &trust, Verdict::Invalid, None);
    }

    #[test]
    fn a_checklist_that_is_not_known_is_read_from_the_report() {
        let builtin = zicha_core::catalog::by_id("generic").expect("built-in checklist");
        let source = zicha_core::catalog::source_of(&builtin.reference()).expect("source");
        // Same id and version, other text: other hash, so only the embedded copy matches.
        let local = format!("{source}\n# an enterprise's local copy\n");
        let (signed, trust) = sign(&bundle("generic", Some(&local)));
        let result = check("local.pdf", &signed, &trust, Some(fonts()));
        assert_eq!(result.report.verdict, Verdict::Valid, "{result:?}");
        let inspection = result.inspection.expect("an inspection");
        assert_eq!(inspection.matches_report, Some(true));
        assert_eq!(codes(&inspection.findings), Vec::<&str>::new());
    }

    #[test]
    fn who_signed_unregistered_and_other_company() {
        let sample = bundle("generic", None);
        let (signed, registered) = sign(&sample);
        // The same signer, enterprise and credit code, another key: not on the list.
        let (impostor, _) = sign(&sample);
        let result = check("impostor.pdf", &impostor, &registered, Some(fonts()));
        assert_eq!(result.report.verdict, Verdict::Unregistered, "{result:?}");
        assert!(result.report.identity_checked);
        let signature = &result.report.signatures[0];
        assert_eq!(signature.trust, Trust::Unknown);
        assert_eq!(codes(&signature.reasons), ["unregistered"]);
        // Its data is still signed (by someone): nothing but the identity is wrong.
        let inspection = result.inspection.as_ref().expect("an inspection");
        assert!(inspection.signed);
        assert_eq!(codes(&inspection.findings), Vec::<&str>::new());
        let row = to_csv(std::slice::from_ref(&result));
        let fingerprint = signature.cert_sha256.clone().expect("a fingerprint");
        assert!(
            row.contains(",unregistered,1,") && row.contains(&format!(",unknown,{fingerprint},")),
            "{row}"
        );

        // No list: valid, and said to be unchecked.
        let result = check("report.pdf", &signed, &TrustList::new(), Some(fonts()));
        assert_eq!(result.report.verdict, Verdict::Valid);
        assert!(!result.report.identity_checked);
        assert_eq!(result.report.signatures[0].trust, Trust::NotChecked);

        // Another company's certificate signing this enterprise's report, even registered.
        let (other, trust) = sign_as(&render(&sample), "别家化工有限公司", "91110000100000000R");
        let result = check("other.pdf", &other, &trust, Some(fonts()));
        assert_eq!(result.report.verdict, Verdict::Invalid, "{result:?}");
        let signature = &result.report.signatures[0];
        assert_eq!(codes(&signature.reasons), ["signer-party-mismatch"]);
        assert_eq!(
            signature.reasons[0].en,
            format!(
                "the certificate is issued to 别家化工有限公司 (91110000100000000R), but the 检查人 \
                 signs for {} ({})",
                sample.data.organisation.name, sample.data.organisation.credit_code
            )
        );
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
        let organisation = &bundle.data.organisation;
        let (signed, trust) = sign_as(&pdf, &organisation.name, &organisation.credit_code);
        // Known without rendering: the first verdict is already the final one.
        check_data_agrees(
            &signed,
            &trust,
            Verdict::Invalid,
            Some(ProofStatus::NotProvable),
        );
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
    fn an_older_summary_is_compared_on_what_both_rules_agree_on() {
        let sample = bundle("generic", None);
        let checklist = sample.checklist().expect("checklist");
        let data = &sample.data;
        let rescored = score::score(
            &checklist,
            &data.inspection,
            &data.hazards,
            date!(2026 - 03 - 02),
        );
        let summary = |format: u32, score: ScoreReport| ReportSummary {
            format,
            document_id: "ZC-1".to_owned(),
            as_of: date!(2026 - 03 - 02),
            score,
            signature_slots: Vec::new(),
            proof: None,
        };
        // Scored by older rules: another total and no judgement, same facts.
        let mut older = rescored.clone();
        older.total += 0.004;
        older.judgement = None;
        assert!(same_as_printed(&summary(1, older.clone()), &rescored));
        assert!(!same_as_printed(&summary(2, older), &rescored));
        // A fact both rules agree on differs: not the same, whatever the format.
        let mut doctored = rescored.clone();
        doctored.hazards.major += 1;
        assert!(!same_as_printed(&summary(1, doctored.clone()), &rescored));
        assert!(!same_as_printed(&summary(2, doctored), &rescored));
        assert!(same_as_printed(&summary(2, rescored.clone()), &rescored));
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
                "\u{feff}file,verdict,signatures,signers,organisations,credit_codes,times,trust,cert_sha256,\
                 grade,total,stop_work,hazards_open,matches_report,reasons_zh,reasons_en,\
                 parties_signed,parties_missing"
            )
        );
        let row = lines.next().expect("one row");
        assert!(row.starts_with("\"a, \"\"b\"\".pdf\",invalid,0,"), "{row}");
        assert_eq!(lines.next(), None);
    }

    /// One CSV cell as written, and as the csv crate's reader reads it back.
    #[track_caller]
    fn check_cell(cell: &str, written: &str, read_back: &str) {
        let mut line = String::new();
        push_csv_cell(&mut line, cell);
        assert_eq!(line, written);
        let row = format!("{line},x\n");
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(row.as_bytes());
        let record = reader
            .records()
            .next()
            .expect("a record")
            .expect("valid CSV");
        assert_eq!(record.iter().collect::<Vec<_>>(), [read_back, "x"]);
    }

    #[test]
    fn csv_cells_are_quoted_and_formulas_neutralised() {
        check_cell("plain 中文", "plain 中文", "plain 中文");
        check_cell("", "", "");
        check_cell("a, b", "\"a, b\"", "a, b");
        check_cell("say \"hi\"", "\"say \"\"hi\"\"\"", "say \"hi\"");
        check_cell("two\nlines", "\"two\nlines\"", "two\nlines");
        check_cell(
            "=HYPERLINK(\"http://x\",\"y\")",
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
            "'=HYPERLINK(\"http://x\",\"y\")",
        );
        check_cell("+1", "\"'+1\"", "'+1");
        check_cell("-2+3", "\"'-2+3\"", "'-2+3");
        check_cell("@SUM(A1)", "\"'@SUM(A1)\"", "'@SUM(A1)");
        check_cell("\t=1", "\"'\t=1\"", "'\t=1");
        check_cell("\r=1", "\"'\r=1\"", "'\r=1");
        // Only the first character makes a formula.
        check_cell("a=b", "a=b", "a=b");
        check_cell("检查人 =x", "检查人 =x", "检查人 =x");
    }

    #[test]
    fn terminal_text_drops_control_characters() {
        #[track_caller]
        fn check(text: &str, expected: &str) {
            assert_eq!(terminal_text(text), expected);
        }
        check("闽江建设工程有限公司", "闽江建设工程有限公司");
        check("\u{1b}[2J\u{1b}]0;title\u{7}evil", "[2J]0;titleevil");
        check("a\nb\rc\td\u{7f}e\u{9b}f", "abcdef");
        check("abc\u{202e}fdp.exe", "abcfdp.exe");
        check("\u{2066}x\u{2069}\u{200f}", "x");
    }

    #[test]
    fn the_csv_streams_the_rows_of_to_csv() {
        let results = [
            check("one.pdf", b"not a pdf", &TrustList::new(), Some(fonts())),
            check("\u{1b}=two.pdf", b"%PDF-1.7", &TrustList::new(), None),
        ];
        let mut writer = CsvWriter::new(Vec::new()).expect("header");
        for result in &results {
            writer.write(result).expect("row");
        }
        let streamed = writer.into_inner().expect("flushed");
        assert_eq!(
            String::from_utf8(streamed).expect("utf-8"),
            to_csv(&results)
        );
        let csv = to_csv(&results);
        assert!(csv.starts_with('\u{feff}'));
        assert_eq!(csv.lines().count(), 3);
        assert!(
            csv.lines()
                .nth(2)
                .expect("row 2")
                .starts_with("\"'=two.pdf\",invalid,0,")
        );
    }
}
