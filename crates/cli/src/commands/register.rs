//! `zicha register PATH... --to DIR [--trust FILE] [--jobs N] [--time T]`: the regulator's register.
//! Every report is verified exactly as `zicha verify` does it ([`zicha_report::check`], the same
//! workers and reorder window from `commands/verify.rs`) and becomes rows of a Hive-partitioned
//! Parquet dataset that DuckDB and Spark read as it is:
//!
//! - `DIR/reports/month=YYYY-MM/part-RUN.parquet`: one row per received file, a broken one too (its
//!   verdict and reasons, the rest empty);
//! - `DIR/signatures/…`: one row per signature; `DIR/hazards/…`: one row per hazard (一患一档);
//!   `DIR/scores/…`: one row per section and per JGJ 59 汇总表 row;
//! - `DIR/index.tsv`: every registered file's SHA-256 and inspection id, so that a run skips the
//!   files registered before (without verifying them again) and links a resubmission, a later file
//!   with the same inspection id, to the latest earlier one (`supersedes`, `revision`).
//!
//! The month is the inspection date's (`month=unknown` for a file without readable inspection
//! data). Memory stays bounded: results are turned into rows as they come and written per
//! partition in row groups (`register/table.rs`); only the index (~100 bytes a file) is held.
//! A run writes its Parquet files first and appends to the index last, so an interrupted run leaves
//! its files under temporary names no reader globs and registers nothing.

mod table;

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use zicha_core::hash::Sha256;
use zicha_core::ledger::{Hazard, Status};
use zicha_report::check::{self, FileResult};
use zicha_report::register::{self as rows, Cell, Embedded, Link, ReportRow, SignatureRow};
use zicha_sign::{TrustList, Verdict};

use self::table::{Kind, Schema, Table, Value};
use super::verify::{self, Input};
use crate::{EXIT_OK, Io};

const AFTER_HELP: &str = "\
The dataset (Hive-partitioned Parquet, Snappy; month = the inspection date's YYYY-MM, or unknown):
  DIR/reports/month=YYYY-MM/part-RUN.parquet     one row per file
  DIR/signatures/…  one row per signature        DIR/hazards/…  one row per hazard (一患一档)
  DIR/scores/…      one row per section and JGJ 59 汇总表 row
  DIR/index.tsv     the registered files' SHA-256 and inspection ids

file_name is the path as given or found. A file whose SHA-256 is in the index is skipped
without being verified again. A file with the
inspection id of one registered before is a resubmission: its `supersedes` names the latest
earlier file_sha256 and its `revision` counts the submissions (1 = the first). Files are found as
`zicha verify` finds them; a file that cannot be read or is not a report is a row with its verdict
and reasons, and the run goes on (a file that cannot be read at all is not indexed: it is tried
again next time). One run at a time writes a register (DIR/.register.lock). A progress bar is
drawn on stderr when stderr is a terminal.

DuckDB: SELECT * FROM read_parquet('DIR/reports/*/*.parquet', hive_partitioning = true)
Spark:  spark.read.parquet('DIR/reports')

Exit codes:
  0  the register was written (whatever the verdicts: they are rows)
  2  usage error, unreadable --trust, or DIR cannot be written";

/// Arguments of `zicha register`.
#[derive(clap::Args, Debug)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Signed PDF reports, and folders searched (with their subfolders) for *.pdf.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The register's folder (created when missing; appended to when it holds a register).
    #[arg(long, value_name = "DIR")]
    to: PathBuf,
    /// Files verified in parallel [default: the number of CPU cores].
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Trust list, as for `zicha verify`: SHA-256 certificate fingerprints, one per line. The
    /// signatures' `trusted` column is empty without one.
    #[arg(long)]
    trust: Option<PathBuf>,
    /// When the files were received (`received_at`), RFC 3339 [default: now].
    #[arg(long, value_parser = super::parse_time)]
    time: Option<OffsetDateTime>,
}

/// The index of registered files, `DIR/index.tsv`: a header line, then one line per file.
const INDEX_FILE: &str = "index.tsv";
const INDEX_HEADER: &str = "file_sha256\tinspection_id\treceived_at";
/// Held while a run writes ([`Lock`]); hidden from readers' globs like the temporary files.
const LOCK_FILE: &str = ".register.lock";

/// `reports`: the columns the issue names (a contract), then ours.
static REPORTS: Schema = Schema {
    name: "reports",
    columns: &[
        ("file_sha256", Kind::Text),
        ("file_name", Kind::Text),
        ("received_at", Kind::Timestamp),
        ("verdict", Kind::Text),
        ("reasons", Kind::Text),
        ("enterprise", Kind::Text),
        ("credit_code", Kind::Text),
        ("project", Kind::Text),
        ("sector", Kind::Text),
        ("checklist_id", Kind::Text),
        ("checklist_version", Kind::Text),
        ("inspection_id", Kind::Text),
        ("inspection_date", Kind::Date),
        ("grade", Kind::Text),
        ("total", Kind::Float),
        ("stop_work", Kind::Bool),
        ("hazards_major_open", Kind::Int),
        ("hazards_total_open", Kind::Int),
        ("signer_count", Kind::Int),
        // Ours, after the contract's.
        ("supersedes", Kind::Text),
        ("revision", Kind::Int),
        ("reasons_en", Kind::Text),
        ("reason_codes", Kind::Text),
        ("identity_checked", Kind::Bool),
        ("signers_trusted", Kind::Int),
        ("matches_report", Kind::Bool),
        ("proof", Kind::Text),
        ("stop_work_reasons", Kind::Text),
        ("hazards_overdue", Kind::Int),
    ],
};

static SIGNATURES: Schema = Schema {
    name: "signatures",
    columns: &[
        ("file_sha256", Kind::Text),
        ("signer", Kind::Text),
        ("organisation", Kind::Text),
        ("credit_code", Kind::Text),
        ("role", Kind::Text),
        ("signed_at", Kind::Timestamp),
        ("cert_sha256", Kind::Text),
        ("trusted", Kind::Bool),
        ("status", Kind::Text),
        ("field", Kind::Text),
        ("revision", Kind::Int),
        ("self_signed", Kind::Bool),
        ("reasons", Kind::Text),
    ],
};

static HAZARDS: Schema = Schema {
    name: "hazards",
    columns: &[
        ("file_sha256", Kind::Text),
        ("hazard_id", Kind::Text),
        ("description", Kind::Text),
        ("location", Kind::Text),
        ("level", Kind::Text),
        ("category", Kind::Text),
        ("item", Kind::Text),
        ("basis", Kind::Text),
        ("found_by", Kind::Text),
        ("found_at", Kind::Date),
        ("photos_before", Kind::Int),
        ("photos_after", Kind::Int),
        // 五定.
        ("measures", Kind::Text),
        ("acceptance_standard", Kind::Text),
        ("funds_yuan", Kind::Int),
        ("deadline", Kind::Date),
        ("responsible", Kind::Text),
        ("plan", Kind::Text),
        ("interim_measures", Kind::Text),
        // 治理方案 of a 重大 hazard.
        ("goals_and_tasks", Kind::Text),
        ("methods_and_measures", Kind::Text),
        ("funds_and_materials", Kind::Text),
        ("organisation_and_people", Kind::Text),
        ("schedule_and_requirements", Kind::Text),
        ("safety_and_emergency", Kind::Text),
        // 挂牌督办.
        ("supervision_authority", Kind::Text),
        ("supervision_level", Kind::Text),
        ("supervision_document_no", Kind::Text),
        ("supervision_deadline", Kind::Date),
        ("supervision_delisted_on", Kind::Date),
        ("supervision_delisted_by", Kind::Text),
        // 销号.
        ("closure_evaluation", Kind::Text),
        ("closure_reported_on", Kind::Date),
        ("closure_reported_to", Kind::Text),
        // Status and its dates.
        ("status", Kind::Text),
        ("rectification_started_at", Kind::Timestamp),
        ("submitted_for_verification_at", Kind::Timestamp),
        ("closed_at", Kind::Timestamp),
        ("status_changes", Kind::Int),
    ],
};

static SCORES: Schema = Schema {
    name: "scores",
    columns: &[
        ("file_sha256", Kind::Text),
        // `section`, or `summary_row` (JGJ 59 汇总表).
        ("kind", Kind::Text),
        ("id", Kind::Text),
        ("title", Kind::Text),
        // Section: points obtained; 汇总表 row: its score A1 (empty when no sheet was checked).
        ("score", Kind::Float),
        // Section: full marks of the checked items; 汇总表 row: empty.
        ("max", Kind::Float),
        // Section: full marks of the whole section; 汇总表 row: its weight.
        ("full", Kind::Float),
        ("answered", Kind::Int),
        ("items", Kind::Int),
        ("failed", Kind::Int),
        ("sheets_checked", Kind::Int),
        ("sheet_score", Kind::Float),
    ],
};

pub fn run(args: Args, io: &mut Io<'_>) -> anyhow::Result<u8> {
    let trust = verify::trust_list(args.trust.as_deref())?;
    let received_at = args.time.unwrap_or_else(super::now);
    std::fs::create_dir_all(&args.to)
        .with_context(|| format!("cannot create {}", args.to.display()))?;
    let _lock = Lock::take(&args.to)?;
    let Index {
        files: known,
        mut inspections,
    } = Index::read(&args.to)?;
    let inputs = verify::inputs(&args.paths);
    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        usize::from,
    );
    let run_id = run_id();
    let mut register = Register::new(&args.to, &run_id, received_at)?;
    let mut counts = Counts::default();
    let check = |idx: usize| register_input(&inputs[idx], &known, &trust);
    // As `zicha verify` draws it: a month's folder takes minutes.
    let progress = if io.terminal.err_ansi && inputs.len() > 1 {
        let bar =
            ProgressBar::with_draw_target(Some(inputs.len() as u64), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {pos}/{len} files · {elapsed} · {eta} left")
        {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut new_lines = Vec::new();
    let mut seen = HashSet::new();
    let emitted = verify::verify_in_order(inputs.len(), jobs, &check, |outcome| {
        progress.inc(1);
        let checked = match outcome {
            Outcome::Registered => {
                counts.skipped += 1;
                return Ok(());
            }
            Outcome::Checked(checked) => checked,
        };
        if let Some(sha) = &checked.sha256 {
            // The same bytes twice in one run (a copy in another folder): registered once.
            if !seen.insert(sha.clone()) {
                counts.skipped += 1;
                return Ok(());
            }
        }
        let link = checked
            .inspection_id()
            .map(|id| inspections.link(id, checked.sha256.as_deref()));
        if link.as_ref().is_some_and(|link| link.supersedes.is_some()) {
            counts.resubmissions += 1;
        }
        register.add(&checked, link.as_ref())?;
        counts.add(&checked.result);
        if let Some(sha) = &checked.sha256 {
            new_lines.push(format!(
                "{sha}\t{}\t{}",
                index_cell(checked.inspection_id().unwrap_or_default()),
                received_at.format(&Rfc3339).unwrap_or_default()
            ));
        }
        Ok(())
    });
    progress.finish_and_clear();
    if let Err(error) = emitted {
        register.abandon();
        return Err(error);
    }
    let written = register.finish()?;
    append_to_index(&args.to, &new_lines)?;
    writeln!(
        io.err,
        "registered {} files ({} valid, {} not valid), {} resubmissions linked, {} already registered; {} Parquet files written in {}",
        counts.registered,
        counts.valid,
        counts.registered - counts.valid,
        counts.resubmissions,
        counts.skipped,
        written.len(),
        args.to.display()
    )?;
    Ok(EXIT_OK)
}

/// One run at a time per register: two runs would both take a new file for unregistered, and
/// both write it. `DIR/.register.lock` exists while a run writes (removed at its end, also on an
/// error; a run that was killed leaves it, and the next one says so).
struct Lock(PathBuf);

impl Lock {
    fn take(dir: &Path) -> anyhow::Result<Self> {
        let path = dir.join(LOCK_FILE);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(_) => Ok(Lock(path)),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => anyhow::bail!(
                "{} exists: another zicha register is writing this register (if a run was killed, remove the file and register again)",
                path.display()
            ),
            Err(error) => Err(error).with_context(|| format!("cannot create {}", path.display())),
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// What a worker found for one file.
enum Outcome {
    /// Its SHA-256 is in the index: not verified again.
    Registered,
    Checked(Box<Checked>),
}

/// A verified file and what it carries.
struct Checked {
    /// The file's SHA-256; `None` when it cannot be read.
    sha256: Option<String>,
    result: FileResult,
    /// The embedded inspection data and its checklist's sector, when readable.
    embedded: Embedded,
}

impl Checked {
    fn inspection_id(&self) -> Option<&str> {
        self.embedded
            .data
            .as_ref()
            .map(|data| data.inspection.id.as_str())
            .filter(|id| !id.is_empty())
    }
}

/// Reads, hashes and (unless registered) checks one file, as `zicha verify` does. Never fails.
fn register_input(input: &Input, known: &HashSet<String>, trust: &TrustList) -> Outcome {
    let name = input.path.display().to_string();
    let unreadable = |reason: &str| {
        Outcome::Checked(Box::new(Checked {
            sha256: None,
            result: verify::unreadable(&name, reason),
            embedded: Embedded::default(),
        }))
    };
    if let Some(error) = &input.walk_error {
        return unreadable(error);
    }
    let pdf = match verify::read_pdf(&input.path) {
        Ok(pdf) => pdf,
        Err(error) => return unreadable(&error),
    };
    let sha256 = Sha256::of(&pdf).to_string();
    if known.contains(&sha256) {
        return Outcome::Registered;
    }
    let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let result = check::check(&name, &pdf, trust, verify::builtin_fonts());
        // The data the checker re-scored, read again for the hazards and the inspection id
        // (the checker's result keeps only its summary).
        let embedded = rows::embedded(&pdf, &result);
        (result, embedded)
    }));
    match checked {
        Ok((result, embedded)) => Outcome::Checked(Box::new(Checked {
            sha256: Some(sha256),
            result,
            embedded,
        })),
        Err(_) => Outcome::Checked(Box::new(Checked {
            sha256: Some(sha256),
            result: verify::unreadable(
                &name,
                "the verifier failed on this file (a bug in zicha: please report it)",
            ),
            embedded: Embedded::default(),
        })),
    }
}

/// The registered files: their SHA-256, and per inspection id the latest file and how many.
struct Index {
    files: HashSet<String>,
    inspections: Inspections,
}

/// Inspection id → (the latest file's SHA-256, the number of files registered with it).
#[derive(Default)]
struct Inspections(HashMap<String, (String, i64)>);

impl Index {
    fn read(dir: &Path) -> anyhow::Result<Self> {
        let path = dir.join(INDEX_FILE);
        let mut index = Index {
            files: HashSet::new(),
            inspections: Inspections::default(),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(index),
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read {}", path.display()));
            }
        };
        for (idx, line) in text.lines().enumerate().skip(1) {
            let mut cells = line.split('\t');
            let sha = cells.next().unwrap_or_default();
            anyhow::ensure!(
                Sha256::parse_hex(sha).is_some(),
                "{}:{}: not a SHA-256: {sha:?}",
                path.display(),
                idx + 1
            );
            let inspection_id = cells.next().unwrap_or_default();
            if !inspection_id.is_empty() {
                index.inspections.link(inspection_id, Some(sha));
            }
            index.files.insert(sha.to_owned());
        }
        Ok(index)
    }
}

impl Inspections {
    /// Records `sha` as the latest file of `inspection_id` and says what it follows.
    fn link(&mut self, inspection_id: &str, sha: Option<&str>) -> Link {
        let earlier = self.0.get(inspection_id).cloned();
        let revision = earlier.as_ref().map_or(1, |(_, n)| n + 1);
        if let Some(sha) = sha {
            self.0
                .insert(inspection_id.to_owned(), (sha.to_owned(), revision));
        }
        Link {
            supersedes: earlier.map(|(sha, _)| sha),
            revision,
        }
    }
}

/// Appends the files of a run to the index (with its header when the index is new).
fn append_to_index(dir: &Path, lines: &[String]) -> anyhow::Result<()> {
    let path = dir.join(INDEX_FILE);
    let new = !path.exists();
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    let mut text = String::new();
    if new {
        text.push_str(INDEX_HEADER);
        text.push('\n');
    }
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// An inspection id as an index cell: tabs and line breaks would break the line.
fn index_cell(text: &str) -> String {
    text.replace(['\t', '\n', '\r'], " ")
}

/// The name of a run's files: when it ran (UTC, to the microsecond) and the process.
fn run_id() -> String {
    let now = OffsetDateTime::now_utc();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}{:06}Z-{}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
        now.microsecond(),
        std::process::id(),
    )
}

/// The four tables of one run.
struct Register {
    received_at: OffsetDateTime,
    reports: Table,
    signatures: Table,
    hazards: Table,
    scores: Table,
}

impl Register {
    fn new(dir: &Path, run_id: &str, received_at: OffsetDateTime) -> anyhow::Result<Self> {
        Ok(Register {
            received_at,
            reports: Table::new(dir, &REPORTS, run_id)?,
            signatures: Table::new(dir, &SIGNATURES, run_id)?,
            hazards: Table::new(dir, &HAZARDS, run_id)?,
            scores: Table::new(dir, &SCORES, run_id)?,
        })
    }

    fn add(&mut self, checked: &Checked, link: Option<&Link>) -> anyhow::Result<()> {
        let result = &checked.result;
        let score = result
            .inspection
            .as_ref()
            .and_then(|inspection| inspection.score.as_ref());
        let data = checked.embedded.data.as_ref();
        let month = rows::month(data);
        let sha = Value::from(checked.sha256.clone());
        // The rows the browser's inbox keeps too (zicha_report::register).
        let row = ReportRow::new(
            checked.sha256.clone(),
            result,
            &checked.embedded,
            self.received_at,
            link,
        );
        self.reports
            .push(&month, row.cells().into_iter().map(value).collect())?;
        for signature in SignatureRow::all(checked.sha256.as_deref(), result) {
            self.signatures
                .push(&month, signature.cells().into_iter().map(value).collect())?;
        }
        let hazards = data.map_or(&[][..], |data| data.hazards.as_slice());
        for hazard in hazards {
            self.hazards.push(&month, hazard_row(&sha, hazard))?;
        }
        if let Some(score) = score {
            for section in &score.sections {
                self.scores.push(
                    &month,
                    vec![
                        sha.clone(),
                        Value::from("section"),
                        Value::from(section.id.clone()),
                        Value::from(section.title.clone()),
                        Value::Float(section.score),
                        Value::Float(section.max),
                        Value::Float(section.full),
                        Value::Int(section.answered as i64),
                        Value::Int(section.items as i64),
                        Value::Int(section.failed as i64),
                        Value::Null,
                        Value::Null,
                    ],
                )?;
            }
            for row in &score.summary {
                self.scores.push(
                    &month,
                    vec![
                        sha.clone(),
                        Value::from("summary_row"),
                        Value::from(row.id.clone()),
                        Value::from(row.title.clone()),
                        row.score.map_or(Value::Null, Value::Float),
                        Value::Null,
                        Value::Float(row.weight),
                        Value::Null,
                        Value::Null,
                        Value::Null,
                        Value::Int(row.sheets_checked as i64),
                        row.sheet_score.map_or(Value::Null, Value::Float),
                    ],
                )?;
            }
        }
        Ok(())
    }

    /// Closes the four tables, then names their files: a table that cannot be written leaves
    /// none of the run's files behind.
    fn finish(self) -> anyhow::Result<Vec<PathBuf>> {
        let mut closed = Vec::new();
        for table in [self.reports, self.signatures, self.hazards, self.scores] {
            match table.close() {
                Ok(files) => closed.extend(files),
                Err(error) => {
                    table::remove_temporaries(&closed);
                    return Err(error);
                }
            }
        }
        table::publish(&closed)
    }

    fn abandon(self) {
        for table in [self.reports, self.signatures, self.hazards, self.scores] {
            table.abandon();
        }
    }
}

fn hazard_row(sha: &Value, hazard: &Hazard) -> Vec<Value> {
    let text = |text: &str| {
        if text.is_empty() {
            Value::Null
        } else {
            Value::from(text)
        }
    };
    let date = |date: Option<time::Date>| date.map_or(Value::Null, date_value);
    let first_change_to = |status: Status| {
        hazard
            .history
            .iter()
            .find(|t| t.to == status)
            .map_or(Value::Null, |t| Value::Timestamp(micros(t.at)))
    };
    let last_change_to = |status: Status| {
        hazard
            .history
            .iter()
            .rev()
            .find(|t| t.to == status)
            .map_or(Value::Null, |t| Value::Timestamp(micros(t.at)))
    };
    let rectification = &hazard.rectification;
    let plan = &hazard.governance_plan;
    let supervision = hazard.supervision.as_ref();
    vec![
        sha.clone(),
        Value::from(hazard.id.clone()),
        Value::from(hazard.description.clone()),
        text(&hazard.location),
        Value::from(hazard.level.zh()),
        Value::from(hazard.category.map(|c| c.zh().to_owned())),
        Value::from(hazard.item.clone()),
        text(&hazard.basis),
        Value::from(hazard.found_by.clone()),
        date_value(hazard.found_at),
        Value::Int(hazard.photos_before.len() as i64),
        Value::Int(hazard.photos_after.len() as i64),
        text(&rectification.measures),
        text(&rectification.acceptance_standard),
        rectification
            .funds_yuan
            .map_or(Value::Null, |yuan| Value::Int(yuan as i64)),
        date(rectification.deadline),
        text(&rectification.responsible),
        text(&rectification.plan),
        text(&rectification.interim_measures),
        text(&plan.goals_and_tasks),
        text(&plan.methods_and_measures),
        text(&plan.funds_and_materials),
        text(&plan.organisation_and_people),
        text(&plan.schedule_and_requirements),
        text(&plan.safety_and_emergency),
        Value::from(supervision.map(|s| s.authority.clone())),
        Value::from(supervision.map(|s| s.level.zh().to_owned())),
        Value::from(supervision.map(|s| s.document_no.clone())),
        date(supervision.and_then(|s| s.deadline)),
        date(supervision.and_then(|s| s.delisted_on)),
        supervision.map_or(Value::Null, |s| text(&s.delisted_by)),
        text(&hazard.closure.evaluation),
        date(hazard.closure.reported_on),
        text(&hazard.closure.reported_to),
        Value::from(hazard.status.zh()),
        first_change_to(Status::InProgress),
        last_change_to(Status::AwaitingVerification),
        hazard
            .closed_at()
            .map_or(Value::Null, |at| Value::Timestamp(micros(at))),
        Value::Int(hazard.history.len() as i64),
    ]
}

/// A shared row's cell as a Parquet value.
fn value(cell: Cell) -> Value {
    match cell {
        Cell::Null => Value::Null,
        Cell::Text(text) => Value::Text(text),
        Cell::Int(n) => Value::Int(n),
        Cell::Float(x) => Value::Float(x),
        Cell::Bool(b) => Value::Bool(b),
        Cell::Date(date) => date_value(date),
        Cell::Timestamp(time) => Value::Timestamp(micros(time)),
    }
}

/// Parquet's DATE: days since 1970-01-01 (Julian day 2,440,588).
fn date_value(date: time::Date) -> Value {
    Value::Date(date.to_julian_day() - 2_440_588)
}

/// Parquet's TIMESTAMP(MICROS, UTC).
fn micros(time: OffsetDateTime) -> i64 {
    i64::try_from(time.unix_timestamp_nanos() / 1000).unwrap_or(i64::MAX)
}

#[derive(Default)]
struct Counts {
    registered: usize,
    valid: usize,
    skipped: usize,
    resubmissions: usize,
}

impl Counts {
    fn add(&mut self, result: &FileResult) {
        self.registered += 1;
        if result.report.verdict == Verdict::Valid {
            self.valid += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use zicha_report::register::{REPORT_COLUMNS, SIGNATURE_COLUMNS};

    use super::*;

    #[test]
    fn dates_are_days_since_1970() {
        let date = |y, m, d| {
            time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap()
        };
        assert_eq!(date_value(date(1970, 1, 1)), Value::Date(0));
        // 2026-03-01: 56 years of which 14 leap (1972..=2024), plus Jan and Feb 2026.
        assert_eq!(
            date_value(date(2026, 3, 1)),
            Value::Date(56 * 365 + 14 + 31 + 28)
        );
    }

    #[test]
    fn the_schemas_are_the_shared_rows_columns() {
        // The browser's inbox writes the same rows (zicha_report::register): a column added on
        // one side only would make the two disagree.
        let names = |schema: &Schema| {
            schema
                .columns
                .iter()
                .map(|(name, _)| *name)
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&REPORTS), REPORT_COLUMNS);
        assert_eq!(names(&SIGNATURES), SIGNATURE_COLUMNS);
    }

    #[test]
    fn a_resubmission_links_to_the_latest_earlier_file() {
        let mut index = Inspections::default();
        let first = index.link("insp-1", Some("a"));
        assert_eq!((first.supersedes, first.revision), (None, 1));
        let second = index.link("insp-1", Some("b"));
        assert_eq!(
            (second.supersedes.as_deref(), second.revision),
            (Some("a"), 2)
        );
        let third = index.link("insp-1", Some("c"));
        assert_eq!(
            (third.supersedes.as_deref(), third.revision),
            (Some("b"), 3)
        );
        let other = index.link("insp-2", Some("d"));
        assert_eq!((other.supersedes, other.revision), (None, 1));
    }
}
