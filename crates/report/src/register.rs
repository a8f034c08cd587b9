//! A received report as the regulator's register keeps it: the row of the `reports` table and the
//! rows of the `signatures` table, made from [`crate::check::check`]'s result and the report's embedded
//! data. `zicha register` writes them as Parquet; the browser's report worker builds the same rows
//! for the verify page's inbox (IndexedDB) and writes them as CSV or xlsx. One function makes
//! each row, so both give the same fields with the same values.
//!
//! What a row cannot know from the file alone is given by the caller: when it was received, and
//! how it relates to the files registered before (a resubmission of the same inspection id:
//! [`Link`]). Pure: no I/O, no clock.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use zicha_core::bundle::{self, BundleData};
use zicha_core::checklist::Level;
use zicha_core::ledger::{Hazard, Status};
use zicha_core::score::ScoreReport;
use zicha_sign::{Finding, Trust, Verdict};

use crate::check::{FileResult, PartyStatus};

/// The columns of the `reports` table, in order: the issue's contract first (file_sha256 …
/// signer_count), then ours.
pub const REPORT_COLUMNS: [&str; 29] = [
    "file_sha256",
    "file_name",
    "received_at",
    "verdict",
    "reasons",
    "enterprise",
    "credit_code",
    "project",
    "sector",
    "checklist_id",
    "checklist_version",
    "inspection_id",
    "inspection_date",
    "grade",
    "total",
    "stop_work",
    "hazards_major_open",
    "hazards_total_open",
    "signer_count",
    "supersedes",
    "revision",
    "reasons_en",
    "reason_codes",
    "identity_checked",
    "signers_trusted",
    "matches_report",
    "proof",
    "stop_work_reasons",
    "hazards_overdue",
];

/// The columns of the `signatures` table, in order.
pub const SIGNATURE_COLUMNS: [&str; 13] = [
    "file_sha256",
    "signer",
    "organisation",
    "credit_code",
    "role",
    "signed_at",
    "cert_sha256",
    "trusted",
    "status",
    "field",
    "revision",
    "self_signed",
    "reasons",
];

/// One cell of a row, typed as the Parquet column that holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value (SQL NULL).
    Null,
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A number.
    Float(f64),
    /// A yes or no.
    Bool(bool),
    /// A day.
    Date(Date),
    /// A moment.
    Timestamp(OffsetDateTime),
}

impl Cell {
    /// The cell as CSV text: empty for no value, days as `YYYY-MM-DD`, moments in RFC 3339.
    pub fn text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Float(x) => x.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Date(date) => zicha_core::dates::format_date(*date),
            Cell::Timestamp(time) => zicha_core::dates::format_rfc3339(*time).unwrap_or_default(),
        }
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Self {
        value.map_or(Cell::Null, Into::into)
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_owned())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Int(n)
    }
}

impl From<f64> for Cell {
    fn from(x: f64) -> Self {
        Cell::Float(x)
    }
}

impl From<bool> for Cell {
    fn from(b: bool) -> Self {
        Cell::Bool(b)
    }
}

impl From<Date> for Cell {
    fn from(date: Date) -> Self {
        Cell::Date(date)
    }
}

impl From<OffsetDateTime> for Cell {
    fn from(time: OffsetDateTime) -> Self {
        Cell::Timestamp(time)
    }
}

/// How a file relates to the earlier files of its inspection id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Link {
    /// The SHA-256 of the latest earlier file with the same inspection id.
    pub supersedes: Option<String>,
    /// 1 for the first file of the inspection, 2 for its first resubmission, …
    pub revision: i64,
}

/// What the register reads of a report besides the check: its embedded data and the sector of
/// its checklist.
#[derive(Debug, Clone, Default)]
pub struct Embedded {
    /// The embedded `inspection.json`, when readable.
    pub data: Option<BundleData>,
    /// The checklist's sector key (`construction`, …): the known checklist's
    /// ([`zicha_core::catalog::resolve`]), else the report's own `checklist.toml` when it parses
    /// without problems and is the checklist the data names.
    pub sector: Option<String>,
}

/// Reads what [`ReportRow::new`] needs of `pdf` beyond `result` (which keeps only a summary).
pub fn embedded(pdf: &[u8], result: &FileResult) -> Embedded {
    let files = zicha_sign::embedded_files_with(pdf, &result.report).unwrap_or_default();
    let data = files
        .iter()
        .find(|file| file.name == "inspection.json")
        .and_then(|file| bundle::parse_data(&file.bytes).ok());
    let sector = data.as_ref().and_then(|data| {
        let reference = &data.inspection.checklist;
        if let Some(checklist) = zicha_core::catalog::resolve(reference) {
            return Some(checklist.sector.key().to_owned());
        }
        // In a browser worker no catalog is installed: the report's own checklist, as the
        // checker re-scores with it.
        let source = files.iter().find(|file| file.name == "checklist.toml")?;
        let source = std::str::from_utf8(&source.bytes).ok()?;
        let (checklist, problems) = zicha_core::checklist::parse_recorded(source);
        let checklist = checklist.filter(|_| problems.is_empty())?;
        (checklist.id == reference.id && checklist.version == reference.version)
            .then(|| checklist.sector.key().to_owned())
    });
    Embedded { data, sector }
}

/// The month partition of a report: its inspection date's `YYYY-MM`, or `unknown`.
pub fn month(data: Option<&BundleData>) -> String {
    data.map_or_else(
        || "unknown".to_owned(),
        |data| {
            let date = data.inspection.date;
            format!("{:04}-{:02}", date.year(), u8::from(date.month()))
        },
    )
}

/// The verdict as `zicha verify --json` writes it: valid, incomplete, unregistered, modified,
/// invalid.
pub fn verdict_key(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Valid => "valid",
        Verdict::Incomplete => "incomplete",
        Verdict::Unregistered => "unregistered",
        Verdict::Modified => "modified",
        Verdict::Invalid => "invalid",
    }
}

/// One row of the `reports` table ([`REPORT_COLUMNS`]; the fields in that order). As JSON, days
/// are `YYYY-MM-DD` and moments RFC 3339.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct ReportRow {
    pub file_sha256: Option<String>,
    pub file_name: String,
    #[serde(with = "zicha_core::dates::rfc3339")]
    pub received_at: OffsetDateTime,
    /// [`verdict_key`].
    pub verdict: String,
    /// Every reason in Chinese, joined with `; `.
    pub reasons: String,
    pub enterprise: Option<String>,
    pub credit_code: Option<String>,
    pub project: Option<String>,
    pub sector: Option<String>,
    pub checklist_id: Option<String>,
    pub checklist_version: Option<String>,
    pub inspection_id: Option<String>,
    #[serde(with = "zicha_core::dates::iso_date::option")]
    pub inspection_date: Option<Date>,
    /// The grade in Chinese (优良, 合格, 不合格).
    pub grade: Option<String>,
    pub total: Option<f64>,
    pub stop_work: Option<bool>,
    pub hazards_major_open: Option<i64>,
    pub hazards_total_open: Option<i64>,
    pub signer_count: i64,
    pub supersedes: Option<String>,
    pub revision: Option<i64>,
    pub reasons_en: String,
    /// The reasons' stable codes, joined with `,`.
    pub reason_codes: String,
    pub identity_checked: bool,
    /// Signatures on the trust list; `None` without one.
    pub signers_trusted: Option<i64>,
    pub matches_report: Option<bool>,
    /// The proof's status in English.
    pub proof: Option<String>,
    pub stop_work_reasons: Option<String>,
    /// Hazards past their deadline as the checker re-scored the report (as of its claimed
    /// signing day, else its inspection date).
    pub hazards_overdue: Option<i64>,
}

impl ReportRow {
    /// The row of a file: its SHA-256 (`None`: it could not be read), the checker's `result`, the
    /// `embedded` data, when it was received and its `link` (`None` without an inspection id).
    pub fn new(
        file_sha256: Option<String>,
        result: &FileResult,
        embedded: &Embedded,
        received_at: OffsetDateTime,
        link: Option<&Link>,
    ) -> ReportRow {
        let report = &result.report;
        let inspection = result.inspection.as_ref();
        let score = inspection.and_then(|inspection| inspection.score.as_ref());
        let data = embedded.data.as_ref();
        let reasons = reasons(result);
        let join = |text: &dyn Fn(&Finding) -> &str| {
            reasons
                .iter()
                .map(|f| text(f))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let hazards = data.map_or(&[][..], |data| data.hazards.as_slice());
        let open = |level: Option<Level>| {
            hazards
                .iter()
                .filter(|h| h.status != Status::Closed && level.is_none_or(|l| h.level == l))
                .count() as i64
        };
        let trusted = report
            .signatures
            .iter()
            .filter(|s| s.trust == Trust::Known)
            .count() as i64;
        ReportRow {
            file_sha256,
            file_name: result.file.clone(),
            received_at,
            verdict: verdict_key(report.verdict).to_owned(),
            reasons: join(&|f| &f.zh),
            enterprise: inspection.map(|i| i.organisation.clone()),
            credit_code: inspection.map(|i| i.credit_code.clone()),
            project: inspection.and_then(|i| i.project.clone()),
            sector: embedded.sector.clone(),
            checklist_id: inspection.map(|i| i.checklist.clone()),
            checklist_version: inspection.map(|i| i.checklist_version.clone()),
            inspection_id: data.map(|d| d.inspection.id.clone()),
            inspection_date: data.map(|d| d.inspection.date),
            grade: score.and_then(|s| s.grade).map(|g| g.zh().to_owned()),
            total: score.map(|s| s.total),
            stop_work: score.map(|s| s.stop_work),
            hazards_major_open: data.map(|_| open(Some(Level::Major))),
            hazards_total_open: data.map(|_| open(None)),
            signer_count: report.signatures.len() as i64,
            supersedes: link.and_then(|link| link.supersedes.clone()),
            revision: link.map(|link| link.revision),
            reasons_en: join(&|f| &f.en),
            reason_codes: reasons
                .iter()
                .map(|f| f.code.as_str())
                .collect::<Vec<_>>()
                .join(","),
            identity_checked: report.identity_checked,
            signers_trusted: report.identity_checked.then_some(trusted),
            matches_report: inspection.and_then(|i| i.matches_report),
            proof: result.proof.as_ref().map(|p| p.status_en.clone()),
            stop_work_reasons: score.map(|s| {
                s.stop_work_reasons
                    .iter()
                    .map(|r| r.text.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            }),
            hazards_overdue: score.map(|s| s.hazards.overdue as i64),
        }
    }

    /// The cells in the order of [`REPORT_COLUMNS`].
    pub fn cells(&self) -> Vec<Cell> {
        vec![
            self.file_sha256.clone().into(),
            self.file_name.clone().into(),
            self.received_at.into(),
            self.verdict.clone().into(),
            self.reasons.clone().into(),
            self.enterprise.clone().into(),
            self.credit_code.clone().into(),
            self.project.clone().into(),
            self.sector.clone().into(),
            self.checklist_id.clone().into(),
            self.checklist_version.clone().into(),
            self.inspection_id.clone().into(),
            self.inspection_date.into(),
            self.grade.clone().into(),
            self.total.into(),
            self.stop_work.into(),
            self.hazards_major_open.into(),
            self.hazards_total_open.into(),
            self.signer_count.into(),
            self.supersedes.clone().into(),
            self.revision.into(),
            self.reasons_en.clone().into(),
            self.reason_codes.clone().into(),
            self.identity_checked.into(),
            self.signers_trusted.into(),
            self.matches_report.into(),
            self.proof.clone().into(),
            self.stop_work_reasons.clone().into(),
            self.hazards_overdue.into(),
        ]
    }
}

/// One row of the `signatures` table ([`SIGNATURE_COLUMNS`]; the fields in that order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct SignatureRow {
    pub file_sha256: Option<String>,
    pub signer: Option<String>,
    pub organisation: Option<String>,
    pub credit_code: Option<String>,
    pub role: Option<String>,
    /// The claimed signing time, RFC 3339 (a moment in [`SignatureRow::cells`]; none when it
    /// is not RFC 3339).
    pub signed_at: Option<String>,
    pub cert_sha256: Option<String>,
    /// On the trust list; `None` without one.
    pub trusted: Option<bool>,
    /// This signature's [`verdict_key`].
    pub status: String,
    pub field: String,
    pub revision: Option<i64>,
    pub self_signed: bool,
    /// Why it is not valid, in Chinese, joined with `; `.
    pub reasons: String,
}

impl SignatureRow {
    /// The rows of every signature of `result`, in the file's order.
    pub fn all(file_sha256: Option<&str>, result: &FileResult) -> Vec<SignatureRow> {
        result
            .report
            .signatures
            .iter()
            .map(|signature| SignatureRow {
                file_sha256: file_sha256.map(str::to_owned),
                signer: signature.signer.clone(),
                organisation: signature.organisation.clone(),
                credit_code: signature.credit_code.clone(),
                role: signature.role.clone(),
                signed_at: signature.time.clone(),
                cert_sha256: signature.cert_sha256.clone(),
                trusted: match signature.trust {
                    Trust::Known => Some(true),
                    Trust::Unknown => Some(false),
                    Trust::NotChecked => None,
                },
                status: verdict_key(signature.verdict).to_owned(),
                field: signature.field.clone(),
                revision: signature.revision.map(|r| r as i64),
                self_signed: signature.self_signed,
                reasons: signature
                    .reasons
                    .iter()
                    .map(|f| f.zh.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            })
            .collect()
    }

    /// The cells in the order of [`SIGNATURE_COLUMNS`].
    pub fn cells(&self) -> Vec<Cell> {
        vec![
            self.file_sha256.clone().into(),
            self.signer.clone().into(),
            self.organisation.clone().into(),
            self.credit_code.clone().into(),
            self.role.clone().into(),
            self.signed_at
                .as_deref()
                .and_then(|time| zicha_core::dates::parse_rfc3339(time).ok())
                .into(),
            self.cert_sha256.clone().into(),
            self.trusted.into(),
            self.status.clone().into(),
            self.field.clone().into(),
            self.revision.into(),
            self.self_signed.into(),
            self.reasons.clone().into(),
        ]
    }
}

/// A received report as the browser's inbox keeps it (the verify page, IndexedDB): the
/// register's rows of it, and for its detail view the hazards (一患一档), the re-scored result
/// and the signature boxes. The link to earlier files is the inbox's to set (it knows them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Received {
    /// The `reports` row.
    pub report: ReportRow,
    /// The `signatures` rows.
    pub signatures: Vec<SignatureRow>,
    /// The embedded hazards.
    pub hazards: Vec<Hazard>,
    /// The embedded inspection re-scored by the checker.
    pub score: Option<ScoreReport>,
    /// The signature boxes, signed or not.
    pub parties: Vec<PartyStatus>,
}

impl Received {
    /// The entry of a file with SHA-256 `file_sha256`, checked as `result`.
    pub fn new(
        file_sha256: String,
        result: &FileResult,
        embedded: Embedded,
        received_at: OffsetDateTime,
    ) -> Received {
        let report = ReportRow::new(
            Some(file_sha256.clone()),
            result,
            &embedded,
            received_at,
            None,
        );
        Received {
            report,
            signatures: SignatureRow::all(Some(&file_sha256), result),
            hazards: embedded.data.map(|data| data.hazards).unwrap_or_default(),
            score: result
                .inspection
                .as_ref()
                .and_then(|inspection| inspection.score.clone()),
            parties: result.parties.clone(),
        }
    }
}

/// Every reason of a result: the document's, each signature's, the inspection's, the proof's.
fn reasons(result: &FileResult) -> Vec<&Finding> {
    let report = &result.report;
    report
        .findings
        .iter()
        .chain(report.signatures.iter().flat_map(|s| s.reasons.iter()))
        .chain(result.inspection.iter().flat_map(|i| i.findings.iter()))
        .chain(result.proof.iter().flat_map(|p| p.findings.iter()))
        .collect()
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn cells_are_written_as_csv_text() {
        for (cell, text) in [
            (Cell::Null, ""),
            (Cell::Int(-3), "-3"),
            (Cell::Float(87.5), "87.5"),
            (Cell::Bool(true), "true"),
            (Cell::Date(date!(2026 - 03 - 01)), "2026-03-01"),
            (
                Cell::Timestamp(datetime!(2026-03-02 19:00:00 +08:00)),
                "2026-03-02T19:00:00+08:00",
            ),
        ] {
            assert_eq!(cell.text(), text, "{cell:?}");
        }
    }

    #[test]
    fn a_file_that_is_not_a_report_is_a_row_with_its_verdict() {
        let result = crate::check::check(
            "junk.pdf",
            b"not a pdf",
            &zicha_sign::TrustList::new(),
            None,
        );
        let embedded = embedded(b"not a pdf", &result);
        let at = datetime!(2026-03-05 10:00:00 +08:00);
        let row = ReportRow::new(Some("ab".into()), &result, &embedded, at, None);
        assert_eq!(row.verdict, "invalid");
        assert_eq!(row.file_name, "junk.pdf");
        assert_eq!(
            (&row.enterprise, row.inspection_date, row.revision),
            (&None, None, None)
        );
        assert_eq!(row.signer_count, 0);
        assert!(!row.reason_codes.is_empty());
        assert_eq!(month(embedded.data.as_ref()), "unknown");
        let cells = row.cells();
        assert_eq!(cells.len(), REPORT_COLUMNS.len());
        assert_eq!(cells[2], Cell::Timestamp(at));
        // The JSON the browser stores reads back to the same row.
        let json = serde_json::to_string(&ReportRow::new(
            Some("ab".into()),
            &result,
            &embedded,
            at,
            Some(&Link {
                supersedes: Some("cd".into()),
                revision: 2,
            }),
        ))
        .unwrap();
        assert!(
            json.contains(r#""received_at":"2026-03-05T10:00:00+08:00""#),
            "{json}"
        );
        let back: ReportRow = serde_json::from_str(&json).unwrap();
        assert_eq!(
            (back.supersedes.as_deref(), back.revision),
            (Some("cd"), Some(2))
        );
    }
}
