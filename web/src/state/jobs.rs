//! What the page asks of the report worker and what it answers: plain serde types, so that both
//! sides (the app shell and the worker, two wasm modules built from this crate) agree and the
//! protocol is tested natively.
//!
//! The enums are externally tagged (`{"sign": {...}}`): serde's internally tagged form buffers
//! every message in a generic value first, which cost ~13 KB gzip of the app shell.
//!
//! A message is `{ json, bytes, key }`: `json` is a [`Job`] (page → worker) or a [`Reply`]
//! (worker → page); `bytes` is an array of byte buffers that the JSON refers to by position
//! (photos, PDFs, files: never inlined into JSON); `key` is a WebCrypto `CryptoKey` when the job
//! signs with a key kept in the browser (structured clone: the key stays non-extractable).

use std::rc::Rc;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use zicha_core::hash::Sha256;
use zicha_core::inspection::Inspection;
use zicha_core::org::Organisation;

use crate::i18n::Lang;
use crate::state::imported::{ImportedChecklist, ProblemRow};
use crate::state::signature::Strokes;
use crate::state::{Data, StoredHazard, StoredInspection, StoredProject};

/// [`Data`] as one serialisable value (`Data` holds `Rc`s so that the reducer can diff records).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The enterprise profile.
    #[serde(default)]
    pub profile: Option<Organisation>,
    /// Projects.
    #[serde(default)]
    pub projects: Vec<StoredProject>,
    /// Inspections.
    #[serde(default)]
    pub inspections: Vec<StoredInspection>,
    /// Hazards.
    #[serde(default)]
    pub hazards: Vec<StoredHazard>,
    /// The UI language.
    #[serde(default)]
    pub lang: Lang,
}

impl Snapshot {
    /// The part of `data` one inspection needs: the profile, its project, itself and its hazards.
    pub fn of_inspection(data: &Data, inspection_id: &str) -> Snapshot {
        let mut snapshot = Snapshot {
            profile: data.profile.as_deref().cloned(),
            lang: data.lang,
            ..Snapshot::default()
        };
        if let Some(stored) = data.inspections.get(inspection_id) {
            if let Some(project) = data.project_of(stored) {
                snapshot.projects.push(project.clone());
            }
            snapshot.inspections.push((**stored).clone());
        }
        snapshot.hazards = data
            .hazards
            .values()
            .filter(|stored| stored.inspection_id == inspection_id)
            .map(|stored| (**stored).clone())
            .collect();
        snapshot
    }

    /// The records of this snapshot as app data (by id; of two records with one id, the later).
    pub fn into_data(self) -> Data {
        // Inserted one by one: `collect` into a BTreeMap sorts the records first, and that stable
        // sort, made for each record type, cost ~5 KB gzip of the app shell (state/port.rs).
        let mut data = Data {
            profile: self.profile.map(Rc::new),
            lang: self.lang,
            ..Data::default()
        };
        for project in self.projects {
            data.projects.insert(project.id.clone(), Rc::new(project));
        }
        for inspection in self.inspections {
            data.inspections
                .insert(inspection.inspection.id.clone(), Rc::new(inspection));
        }
        for hazard in self.hazards {
            data.hazards
                .insert(hazard.hazard.id.clone(), Rc::new(hazard));
        }
        data
    }
}

impl From<&Data> for Snapshot {
    fn from(data: &Data) -> Snapshot {
        Snapshot {
            profile: data.profile.as_deref().cloned(),
            projects: data.projects.values().map(|p| (**p).clone()).collect(),
            inspections: data.inspections.values().map(|i| (**i).clone()).collect(),
            hazards: data.hazards.values().map(|h| (**h).clone()).collect(),
            lang: data.lang,
        }
    }
}

/// A photo carried by a message: its hash and extension here, its bytes at `bytes[index]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoRef {
    /// Content hash.
    pub sha256: Sha256,
    /// jpg, png or webp.
    pub ext: String,
    /// Position of the bytes in the message's `bytes`.
    pub index: usize,
}

/// A party of the report (as zicha-report's `Role`, by its Chinese name on the wire).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// 检查人, 企业负责人 or 监理.
    pub role: String,
    /// The person's name.
    pub name: String,
}

/// A handwritten signature image for the signature page: PNG at `bytes[index]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandwrittenRef {
    /// Whose signature.
    pub party: Party,
    /// Position of the PNG in the message's `bytes`.
    pub index: usize,
}

/// The certificate subject of a new key (zicha-sign's `CertificateSubject`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// The signer's name.
    pub signer: String,
    /// The enterprise.
    pub organisation: String,
    /// 统一社会信用代码.
    pub credit_code: String,
}

/// How a party's digital signature is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyUse {
    /// A non-extractable WebCrypto key, sent as the message's `key`; its certificate (DER) at
    /// `bytes[certificate]`.
    Browser {
        /// Position of the certificate in `bytes`.
        certificate: usize,
    },
    /// A PKCS#12 file (as imported, passphrase-encrypted) at `bytes[file]`.
    Pkcs12 {
        /// Position of the .p12 bytes in `bytes`.
        file: usize,
        /// Its passphrase, typed for this signature and never stored.
        passphrase: String,
    },
    /// A key backup (encrypted PKCS#8 PEM followed by its certificate PEM) at `bytes[file]`.
    Backup {
        /// Position of the backup in `bytes`.
        file: usize,
        /// Its passphrase, typed for this signature and never stored.
        passphrase: String,
    },
}

/// A job for the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Job {
    /// One inspection as a `.zicha` bundle.
    ExportBundle {
        /// The records.
        snapshot: Snapshot,
        /// Which inspection.
        inspection_id: String,
        /// The checklist's TOML source (embedded in the bundle).
        checklist_source: Option<String>,
        /// Its photos.
        photos: Vec<PhotoRef>,
    },
    /// The backup file of everything.
    Backup {
        /// The records.
        snapshot: Snapshot,
        /// The TOML source of every checklist an inspection uses.
        checklist_sources: Vec<String>,
        /// The TOML source of every imported checklist (state/imported.rs).
        #[serde(default)]
        imported: Vec<String>,
        /// Every photo.
        photos: Vec<PhotoRef>,
    },
    /// Read a backup or a `.zicha` file at `bytes[0]`.
    Restore,
    /// Render the PDF report of one inspection.
    Render {
        /// The records.
        snapshot: Snapshot,
        /// Which inspection.
        inspection_id: String,
        /// The checklist's TOML source.
        checklist_source: String,
        /// Its photos.
        photos: Vec<PhotoRef>,
        /// Handwritten signatures.
        handwritten: Vec<HandwrittenRef>,
        /// The report id.
        document_id: String,
        /// The report's timestamp.
        #[serde(with = "zicha_core::dates::rfc3339")]
        timestamp: OffsetDateTime,
        /// Deadlines are judged against this day.
        as_of: Date,
        /// Where the report font is (a gzip file of the build).
        font_url: String,
    },
    /// Sign the PDF at `bytes[0]` as one party (an incremental update).
    Sign {
        /// Who signs.
        party: Party,
        /// With what.
        key: KeyUse,
        /// The signing time.
        #[serde(with = "zicha_core::dates::rfc3339")]
        time: OffsetDateTime,
        /// Where the report font is (for the visible signature in Chinese).
        font_url: String,
    },
    /// Create a signing key in WebCrypto and its self-issued certificate.
    CreateKey {
        /// Who the certificate names.
        subject: Subject,
        /// Validity start.
        #[serde(with = "zicha_core::dates::rfc3339")]
        not_before: OffsetDateTime,
        /// Validity in days.
        days: u32,
        /// A passphrase for the one-time key backup.
        backup_passphrase: String,
    },
    /// Read a PKCS#12 file at `bytes[0]` (to show and store it; nothing is decrypted for good).
    ImportPkcs12 {
        /// Its passphrase.
        passphrase: String,
    },
    /// Read a key backup at `bytes[0]`.
    ImportBackup {
        /// Its passphrase.
        passphrase: String,
    },
    /// Who signs the report of an inspection (zicha-report's rule), in signing order.
    Parties {
        /// The records.
        snapshot: Snapshot,
        /// Which inspection.
        inspection_id: String,
    },
    /// Keep the report font at `bytes[0]` (the gzip file the build ships) for the jobs that
    /// follow: the page fetches it (through the service worker's cache) and hands it over once
    /// per worker.
    LoadFont {
        /// Where it came from (the key the render and sign jobs name it by).
        url: String,
    },
    /// A QR code of `text` as SVG.
    Qr {
        /// What to encode.
        text: String,
    },
    /// Check a received report at `bytes[0]` for countersigning: `zicha verify`'s check and its
    /// boxes, signed and free, with the units each stands for.
    CheckReceived {
        /// The file name.
        name: String,
        /// The report font's URL (proves the pages).
        font_url: String,
    },
    /// Countersign the received report at `bytes[0]` in `party`'s own free box, as an incremental
    /// update whose visible signature carries `strokes`; checked again first exactly as
    /// [`Job::CheckReceived`] checks. Answered [`Reply::Signed`] or [`Reply::Refused`].
    Countersign {
        /// The file name.
        name: String,
        /// The box's party (its role and the name it bears).
        party: Party,
        /// With what.
        key: KeyUse,
        /// The signing time.
        #[serde(with = "zicha_core::dates::rfc3339")]
        time: OffsetDateTime,
        /// The report font's URL (proves the pages; the visible signature in Chinese).
        font_url: String,
        /// The handwritten signature.
        strokes: Strokes,
    },
    /// Verify signed reports (`bytes[i]` is the file named `names[i]`).
    Verify {
        /// File names.
        names: Vec<String>,
        /// The trust list text (fingerprints, one per line), maybe empty.
        trust: String,
        /// The report font's URL: with it the worker proves each report's pages (empty: the
        /// pages are reported as not provable).
        #[serde(default)]
        font_url: String,
        /// When the files were received (RFC 3339): with it the worker also answers each file's
        /// inbox entry (`Reply::Verified::entries`, zicha_report::register::Received), the
        /// register's rows of it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        received_at: Option<String>,
    },
    /// The first verdict on signed reports (`bytes[i]` is the file named `names[i]`), for the light
    /// verifier (bin zicha-verify, which links no renderer): zicha_report::check::check_data, the
    /// signatures, who signed and the embedded data without the proof of the pages. Answered
    /// [`Reply::Verified`] without inbox entries; a `valid` there is not yet a verdict (the page
    /// says so), [`Job::Verify`] gives the final one.
    VerifyData {
        /// File names.
        names: Vec<String>,
        /// The trust list text (fingerprints, one per line), maybe empty.
        trust: String,
    },
    /// The inbox's (filtered) table as a file: `reports` are rows of the register's `reports`
    /// table and `signatures` of its `signatures` table (zicha_report::register, as JSON).
    /// Answered [`Reply::File`] with the bytes.
    ExportInbox {
        /// CSV (the reports, as `zicha verify --csv` writes cells) or xlsx (a sheet per table).
        format: InboxFormat,
        /// The reports' rows.
        reports: Vec<serde_json::Value>,
        /// Their signatures' rows (xlsx only).
        #[serde(default)]
        signatures: Vec<serde_json::Value>,
    },
    /// Read a checklist from the spreadsheet at `bytes[0]` (xlsx, xlsm, xls, ods or csv):
    /// [`Reply::SheetImported`] or [`Reply::SheetProblems`].
    ImportSheet {
        /// The file name (its extension picks CSV; its stem names a checklist without 信息).
        name: String,
    },
    /// The import template as an xlsx, filled with the checklist file `checklist_source` when
    /// given ([`Reply::File`]).
    Template {
        /// A checklist file's text.
        checklist_source: Option<String>,
    },
    /// One inspection's 隐患台账, 检查结果 and 汇总 as an xlsx ([`Reply::File`]).
    ExportResults {
        /// The records.
        snapshot: Snapshot,
        /// Which inspection.
        inspection_id: String,
        /// The checklist's TOML source.
        checklist_source: String,
        /// Deadlines (逾期) are judged against this day.
        as_of: Date,
    },
    /// The 隐患台账 of every hazard of `snapshot` as an xlsx ([`Reply::File`]).
    ExportLedger {
        /// The records.
        snapshot: Snapshot,
        /// Deadlines (逾期) are judged against this day.
        as_of: Date,
    },
}

/// The file format of an inbox export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InboxFormat {
    /// UTF-8 with a byte order mark, cells neutralised against formulas.
    Csv,
    /// An Excel workbook.
    Xlsx,
}

/// A stage of a long job, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Loading the report font.
    Font,
    /// Preparing photos (`done` of `total`).
    Photos,
    /// Laying out pages (`done` pages so far).
    Pages,
    /// Signing.
    Signing,
    /// Checking files (`done` of `total`).
    Checking,
    /// Writing the file.
    Writing,
}

/// What a certificate says, for the keys screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateInfo {
    /// The certificate in PEM.
    pub pem: String,
    /// SHA-256 fingerprint, lower-case hex.
    pub fingerprint: String,
    /// Subject common name.
    pub signer: Option<String>,
    /// Subject organisation.
    pub organisation: Option<String>,
    /// The credit code in the subject.
    pub credit_code: Option<String>,
    /// Validity start (RFC 3339).
    pub not_before: String,
    /// Validity end (RFC 3339).
    pub not_after: String,
    /// ECDSA P-256 or RSA.
    pub algorithm: String,
}

/// A reserved signature box of a rendered report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    /// Who signs there.
    pub party: Party,
    /// 1-based page.
    pub page: usize,
    /// [x1, y1, x2, y2] in PDF points.
    pub rect: [f32; 4],
}

/// Why a received report cannot be countersigned, or not by this key in this box
/// (zicha_report::countersign::Refusal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refused {
    /// `not-a-report`, `modified`, `not-valid`, `not-proven`, `all-signed`, `no-such-box`,
    /// `box-signed`, `other-unit`, `other-signer` or `certificate`: the page words it.
    pub code: String,
    /// The details in English (names, units, the verdict).
    pub detail: String,
}

/// A box of a received report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedBox {
    /// 1-based, the signing order.
    pub number: usize,
    /// Its party: role and the name it bears.
    pub party: Party,
    /// A signature fills it.
    pub signed: bool,
    /// The units that may sign in it (their registered names).
    pub units: Vec<String>,
}

/// The worker's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reply {
    /// Still working.
    Progress {
        /// What.
        stage: Stage,
        /// How far.
        done: u32,
        /// Of how much (0 when unknown).
        total: u32,
    },
    /// The job failed; nothing was changed.
    Failed {
        /// Why, in English (the page adds the Chinese frame).
        message: String,
    },
    /// A file at `bytes[0]` (bundle, backup).
    File {
        /// The suggested file name.
        name: String,
    },
    /// What a backup or bundle holds; photo bytes in `bytes`.
    Restored {
        /// The records.
        snapshot: Snapshot,
        /// The photos.
        photos: Vec<PhotoRef>,
        /// A full backup (replaces everything) rather than one bundle (added).
        full_backup: bool,
        /// The checklists the file carries (its imported ones and those its inspections were
        /// made with), each once; the page stores those that are not built in.
        #[serde(default)]
        checklists: Vec<ImportedChecklist>,
    },
    /// A checklist read from a spreadsheet.
    SheetImported {
        /// The record to store.
        checklist: ImportedChecklist,
        /// Milliseconds the import took in the worker.
        millis: f64,
    },
    /// The spreadsheet cannot be imported: every problem.
    SheetProblems {
        /// The problems, in the order found.
        problems: Vec<ProblemRow>,
    },
    /// The report PDF at `bytes[0]`.
    Rendered {
        /// Pages.
        pages: usize,
        /// Warnings in Chinese and English.
        warnings: Vec<String>,
        /// The reserved signature boxes.
        slots: Vec<Slot>,
        /// Milliseconds spent rendering (font loading excluded).
        millis: f64,
        /// Bytes of the worker's wasm memory after the job: its peak so far, as wasm memory never
        /// shrinks (0 from a worker before issue 18).
        #[serde(default)]
        wasm_memory: f64,
    },
    /// The signed PDF at `bytes[0]`.
    Signed {
        /// The signer's certificate.
        certificate: CertificateInfo,
        /// Characters the visible signature could not draw.
        missing_characters: String,
        /// Milliseconds spent signing.
        millis: f64,
        /// As in [`Reply::Rendered`].
        #[serde(default)]
        wasm_memory: f64,
    },
    /// A new key: the message's `key` is the non-extractable CryptoKey; `bytes[0]` is the
    /// certificate DER, `bytes[1]` the passphrase-encrypted backup (key PEM + certificate PEM).
    KeyCreated {
        /// The certificate.
        certificate: CertificateInfo,
    },
    /// A readable PKCS#12 or key backup; its certificate DER at `bytes[0]`.
    KeyRead {
        /// Its certificate.
        certificate: CertificateInfo,
    },
    /// The font is loaded.
    FontLoaded,
    /// The parties who sign.
    Parties {
        /// In signing order.
        parties: Vec<Party>,
    },
    /// A QR code.
    Qr {
        /// SVG markup.
        svg: String,
    },
    /// A received report, checked for countersigning.
    Received {
        /// `zicha verify --json`'s object for it.
        result: serde_json::Value,
        /// Its boxes.
        boxes: Vec<ReceivedBox>,
        /// Why it cannot be countersigned at all.
        refusal: Option<Refused>,
    },
    /// A countersignature was refused; nothing was signed.
    Refused(Refused),
    /// Verification results, one per file, and the same as CSV.
    Verified {
        /// `zicha verify --json`'s objects.
        results: Vec<serde_json::Value>,
        /// `zicha verify --csv`'s file.
        csv: String,
        /// Each file's inbox entry, when the job gave `received_at`.
        #[serde(default)]
        entries: Vec<serde_json::Value>,
    },
}

/// The light verifier's job (bin zicha-verify): [`Job::VerifyData`]'s JSON, read without the
/// deserialiser of every [`Job`] (snapshots, records, keys: about 60 KB of its wasm).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerifierJob {
    /// [`Job::VerifyData`].
    VerifyData {
        /// File names.
        names: Vec<String>,
        /// The trust list text, maybe empty.
        trust: String,
    },
}

/// The answers a worker writes without the serialiser of every [`Reply`] (the light verifier's,
/// and every worker's progress and failures): the same JSON as the [`Reply`] variants of the same
/// names, which the page reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerifierReply {
    /// [`Reply::Progress`].
    Progress {
        /// What.
        stage: Stage,
        /// How far.
        done: u32,
        /// Of how much (0 when unknown).
        total: u32,
    },
    /// [`Reply::Failed`].
    Failed {
        /// Why, in the browser's or the worker's words.
        message: String,
    },
    /// [`Reply::Verified`].
    Verified {
        /// `zicha verify --json`'s objects.
        results: Vec<serde_json::Value>,
        /// `zicha verify --csv`'s file.
        csv: String,
        /// Inbox entries (none from the light verifier).
        entries: Vec<serde_json::Value>,
    },
}

/// A file name part without characters that file systems refuse.
pub fn file_safe(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| {
            if "/\\:*?\"<>|".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// The report's file name: enterprise, project and date, e.g. `某公司-某项目-2026-11-29.pdf`.
pub fn report_file_name(
    organisation: &str,
    project: Option<&str>,
    inspection: &Inspection,
    suffix: &str,
) -> String {
    let date = zicha_core::inspection::date_format::format(inspection.date);
    let mut parts: Vec<String> = Vec::new();
    for part in [Some(organisation), project] {
        if let Some(part) = part.map(file_safe).filter(|p| !p.is_empty()) {
            parts.push(part);
        }
    }
    if parts.is_empty() {
        parts.push(inspection.checklist.id.clone());
    }
    parts.push(date);
    format!("{}{suffix}", parts.join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_name(organisation: &str, project: Option<&str>, expected: &str) {
        let inspection = Inspection::new(
            "I-1",
            zicha_core::catalog::by_id("construction").expect("built-in"),
            time::macros::date!(2026 - 11 - 29),
            vec!["张三".into()],
        );
        assert_eq!(
            report_file_name(organisation, project, &inspection, ".pdf"),
            expected
        );
    }

    #[test]
    fn the_light_verifier_reads_and_writes_the_json_of_job_and_reply() {
        let job = Job::VerifyData {
            names: vec!["a.pdf".into(), "报告.pdf".into()],
            trust: "ab\n".into(),
        };
        let json = serde_json::to_string(&job).expect("written");
        assert_eq!(
            serde_json::from_str::<VerifierJob>(&json).expect("read"),
            VerifierJob::VerifyData {
                names: vec!["a.pdf".into(), "报告.pdf".into()],
                trust: "ab\n".into(),
            }
        );
        // Any other job is not the light verifier's.
        let other = serde_json::to_string(&Job::Verify {
            names: Vec::new(),
            trust: String::new(),
            font_url: String::new(),
            received_at: None,
        })
        .expect("written");
        assert!(serde_json::from_str::<VerifierJob>(&other).is_err());

        let result = serde_json::json!({"file": "a.pdf", "verdict": "valid"});
        let pairs = [
            (
                VerifierReply::Progress {
                    stage: Stage::Checking,
                    done: 1,
                    total: 2,
                },
                Reply::Progress {
                    stage: Stage::Checking,
                    done: 1,
                    total: 2,
                },
            ),
            (
                VerifierReply::Failed {
                    message: "x".into(),
                },
                Reply::Failed {
                    message: "x".into(),
                },
            ),
            (
                VerifierReply::Verified {
                    results: vec![result.clone()],
                    csv: "c".into(),
                    entries: Vec::new(),
                },
                Reply::Verified {
                    results: vec![result],
                    csv: "c".into(),
                    entries: Vec::new(),
                },
            ),
        ];
        for (light, reply) in pairs {
            let json = serde_json::to_string(&light).expect("written");
            assert_eq!(json, serde_json::to_string(&reply).expect("written"));
            assert_eq!(serde_json::from_str::<Reply>(&json).expect("read"), reply);
        }
    }

    #[test]
    fn file_names() {
        check_name(
            "某建设公司",
            Some("一号楼"),
            "某建设公司-一号楼-2026-11-29.pdf",
        );
        check_name("A/B: 公司", None, "A_B_ 公司-2026-11-29.pdf");
        check_name("  ", None, "construction-2026-11-29.pdf");
    }

    #[test]
    fn jobs_round_trip_as_json() {
        let job = Job::Sign {
            party: Party {
                role: "检查人".into(),
                name: "张三".into(),
            },
            key: KeyUse::Browser { certificate: 1 },
            time: time::macros::datetime!(2026-11-29 10:00 +8),
            font_url: "./fonts/f.ttc.gz".into(),
        };
        let json = serde_json::to_string(&job).unwrap();
        assert!(json.starts_with(r#"{"sign":{"#), "{json}");
        assert!(
            json.contains(r#""key":{"browser":{"certificate":1}}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Job>(&json).unwrap(), job);
        let reply = Reply::Progress {
            stage: Stage::Photos,
            done: 3,
            total: 20,
        };
        let json = serde_json::to_string(&reply).unwrap();
        assert_eq!(
            json,
            r#"{"progress":{"stage":"photos","done":3,"total":20}}"#
        );
    }

    #[test]
    fn countersign_messages_round_trip_as_json() {
        let job = Job::Countersign {
            name: "report.pdf".into(),
            party: Party {
                role: "监理".into(),
                name: "王五".into(),
            },
            key: KeyUse::Pkcs12 {
                file: 1,
                passphrase: "pw".into(),
            },
            time: time::macros::datetime!(2026-11-29 10:00 +8),
            font_url: "./fonts/f.ttc.gz".into(),
            strokes: Strokes::default(),
        };
        let json = serde_json::to_string(&job).unwrap();
        assert!(
            json.starts_with(r#"{"countersign":{"name":"report.pdf","#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Job>(&json).unwrap(), job);
        let reply = Reply::Refused(Refused {
            code: "box-signed".into(),
            detail: "box 4 监理 王五 (page 7) is already signed".into(),
        });
        let json = serde_json::to_string(&reply).unwrap();
        assert_eq!(
            json,
            r#"{"refused":{"code":"box-signed","detail":"box 4 监理 王五 (page 7) is already signed"}}"#
        );
        assert_eq!(serde_json::from_str::<Reply>(&json).unwrap(), reply);
    }

    #[test]
    fn spreadsheet_messages_round_trip_as_json() {
        #[track_caller]
        fn check_job(job: Job, expected: &str) {
            let json = serde_json::to_string(&job).unwrap();
            assert!(json.starts_with(expected), "{json}");
            assert_eq!(serde_json::from_str::<Job>(&json).unwrap(), job);
        }
        check_job(
            Job::ImportSheet {
                name: "自查表.xlsx".into(),
            },
            r#"{"import-sheet":{"name":"自查表.xlsx"}}"#,
        );
        check_job(
            Job::Template {
                checklist_source: None,
            },
            r#"{"template":{"checklist_source":null}}"#,
        );
        check_job(
            Job::ExportLedger {
                snapshot: Snapshot::default(),
                as_of: time::macros::date!(2026 - 03 - 02),
            },
            r#"{"export-ledger":{"snapshot":{"#,
        );
        let reply = Reply::SheetProblems {
            problems: vec![ProblemRow {
                sheet: "检查表".into(),
                row: 12,
                column: "F".into(),
                message: "分值 \"十\" is not a number".into(),
                text: "检查表!F12: 分值 \"十\" is not a number".into(),
            }],
        };
        let json = serde_json::to_string(&reply).unwrap();
        assert!(
            json.starts_with(
                r#"{"sheet-problems":{"problems":[{"sheet":"检查表","row":12,"column":"F","#
            ),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Reply>(&json).unwrap(), reply);
        // A restore reply of a worker before imported checklists: none.
        let old = r#"{"restored":{"snapshot":{},"photos":[],"full_backup":true}}"#;
        assert!(matches!(
            serde_json::from_str::<Reply>(old).unwrap(),
            Reply::Restored { checklists, .. } if checklists.is_empty()
        ));
    }

    #[test]
    fn snapshot_round_trip() {
        let data = Data {
            profile: Some(Rc::new(Organisation {
                name: "某公司".into(),
                ..Organisation::default()
            })),
            ..Data::default()
        };
        let snapshot = Snapshot::from(&data);
        assert_eq!(snapshot.clone().into_data(), data);
        let json = serde_json::to_string(&snapshot).unwrap();
        assert_eq!(serde_json::from_str::<Snapshot>(&json).unwrap(), snapshot);
    }
}
