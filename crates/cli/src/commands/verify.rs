//! `zicha verify PATH... [--jobs N] [--trust FILE] [--require-all-parties] [--json | --jsonl]
//! [--csv OUT.csv]`: per file the verdict (valid / invalid / modified after signing), every
//! signer, the reasons in Chinese and English, the embedded inspection re-scored with zicha-core
//! and compared with what the report claims, the pages proven to be what that inspection renders
//! to with the built-in font, and which parties the report reserves a box for have signed and
//! which are still missing. With `--require-all-parties` a valid report with a party missing is
//! `incomplete` (valid but incomplete, exit 1).
//! Exit 0 only when every file is valid: with `--trust`, a signer whose certificate is not
//! on the list makes the file `unregistered` (exit 1); without it every file says that who signed
//! was not checked. The checking itself is [`zicha_report::check`],
//! shared with the browser; this file finds the files, runs the workers, prints and chooses the exit
//! code.
//!
//! A month's folder is thousands of files, so: folders are walked for `*.pdf`; `--jobs` workers
//! (std scoped threads: a shared index and a reorder window are all this needs, no pool crate)
//! each read and check one file at a time; results are printed in input order as soon as every
//! earlier one is known, and are not kept after printing, so memory does not grow with the number
//! of files (only the list of paths does, ~100 bytes a file). A file that cannot be read is a
//! result with its reason, never the end of the run.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, OnceLock, mpsc};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use zicha_report::Fonts;
use zicha_report::check::{self, CsvWriter, FileResult, terminal_text};
use zicha_sign::{Finding, TrustList, Verdict};

use crate::{EXIT_OK, EXIT_PROBLEMS, Io};

const AFTER_HELP: &str = "\
Files are verified by --jobs workers and printed in input order, each as soon as it and every \
file before it are done: the files named in the order given, a folder's *.pdf files (any case, \
subfolders included, symlinked folders not followed) sorted by name at every level. A file \
that cannot be read is a result with its reason (finding file-unreadable) and the run goes on.

A progress bar is drawn on stderr when stderr is a terminal (not with NO_COLOR or TERM=dumb).

Exit codes:
  0  every file is valid (or no file was found)
  1  a file is not valid, or cannot be read, or (with --require-all-parties) a party has not
     signed yet
  2  usage error: bad arguments, unreadable --trust, --csv not writable";

/// Arguments of `zicha verify`.
#[derive(clap::Args, Debug)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Signed PDF reports, and folders searched (with their subfolders) for *.pdf.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Files verified in parallel [default: the number of CPU cores].
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Trust list: SHA-256 certificate fingerprints registered with the regulator, one per line.
    /// A signature whose certificate is not on it makes the file not valid (unregistered, exit
    /// 1). Without a list, who signed is not checked (and every output says so).
    #[arg(long)]
    trust: Option<PathBuf>,
    /// A valid report whose signature page still has a party's box empty is not enough: its
    /// verdict becomes incomplete (valid but incomplete, exit 1). Without it such a report stays
    /// valid and the missing parties are only listed.
    #[arg(long)]
    require_all_parties: bool,
    /// Print JSON: an array with one result per file, written as the results come.
    #[arg(long, conflicts_with = "jsonl")]
    json: bool,
    /// Print JSON Lines: one result object per line.
    #[arg(long)]
    jsonl: bool,
    /// Also write the results as CSV: UTF-8 with BOM, one row per file; a cell a spreadsheet would
    /// take for a formula starts with '.
    #[arg(long, value_name = "OUT.csv")]
    csv: Option<PathBuf>,
}

/// Results a worker may be ahead of the oldest one not yet printed, per worker. Results waiting
/// behind a slow file are held in memory (a few KB each), so this bounds memory; 8 per worker
/// keeps every worker busy while one file takes 8 times longer than the others.
const WINDOW_PER_WORKER: usize = 8;

/// The largest file read: a report with its photos is a few MB, and every worker holds its file
/// in memory while checking it, so a huge file named *.pdf must not take the machine's memory.
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// SHA-256 of the built-in font (`super::BUILTIN_FONT`), which a report's proof record names the
/// font by: hashing the 5 MB file took about 3 ms of every `zicha verify` process
/// (`builtin_font_digest_is_the_fonts` checks it against the bytes).
const BUILTIN_FONT_SHA256: zicha_core::hash::Sha256 = zicha_core::hash::Sha256([
    0x24, 0x20, 0xe8, 0x07, 0x8a, 0xf7, 0x96, 0xb1, 0x9a, 0x3f, 0x6e, 0xf1, 0x3d, 0xe5, 0x27, 0xa1,
    0xa9, 0x1c, 0x1e, 0x71, 0x71, 0xee, 0xa1, 0x15, 0x92, 0x6c, 0x61, 0x4c, 0xed, 0x10, 0x09, 0xb3,
]);

/// The built-in font, parsed once per process (about 15 ms; its digest is a constant) for proving
/// every report's pages;
/// `None` only if the compiled-in font could not be parsed (then no report is proven).
pub(super) fn builtin_fonts() -> Option<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Fonts::with_digest(
                super::BUILTIN_FONT,
                zicha_report::DEFAULT_FONT_FACE,
                BUILTIN_FONT_SHA256,
            )
            .ok()
        })
        .as_ref()
}

pub fn run(args: Args, io: &mut Io<'_>) -> anyhow::Result<u8> {
    let trust = trust_list(args.trust.as_deref())?;
    let inputs = inputs(&args.paths);
    let mut csv = args.csv.as_deref().map(CsvFile::create).transpose()?;
    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        usize::from,
    );
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
    let format = match (args.json, args.jsonl) {
        (true, _) => Format::Json,
        (_, true) => Format::JsonLines,
        _ => Format::Text,
    };
    let mut printer = Printer::begin(&mut *io.out, format)?;
    let mut counts = Counts::default();
    let check = |idx: usize| {
        let mut result = check_input(&inputs[idx], &trust);
        if args.require_all_parties {
            result.require_all_parties();
        }
        result
    };
    let verified = verify_in_order(inputs.len(), jobs, &check, |result| {
        progress.suspend(|| printer.print(&result))?;
        if let Some(csv) = &mut csv {
            csv.write(&result)?;
        }
        counts.add(&result);
        progress.inc(1);
        Ok(())
    });
    progress.finish_and_clear();
    if let Err(error) = verified {
        if let Some(csv) = csv {
            csv.abandon();
        }
        return Err(error);
    }
    printer.finish()?;
    if let Some(csv) = csv {
        csv.finish()?;
    }
    counts.summarise(io.err)?;
    Ok(if counts.not_valid == 0 {
        EXIT_OK
    } else {
        EXIT_PROBLEMS
    })
}

/// The trust list of `--trust` (`zicha verify`, `zicha register`); empty without one.
pub(super) fn trust_list(path: Option<&Path>) -> anyhow::Result<TrustList> {
    let Some(path) = path else {
        return Ok(TrustList::new());
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let list =
        TrustList::parse(&text).with_context(|| format!("{}: not a trust list", path.display()))?;
    // An empty list would check nobody while looking like a check.
    anyhow::ensure!(
        !list.is_empty(),
        "{}: the trust list holds no fingerprint",
        path.display()
    );
    Ok(list)
}

/// One file to verify: a path given or found in a folder, or where walking a folder failed.
pub(super) struct Input {
    pub(super) path: PathBuf,
    /// Why the path cannot be read (a folder that cannot be listed), found while walking.
    pub(super) walk_error: Option<String>,
}

/// The files named in `paths`, in order, with each folder replaced by its `*.pdf` files (any case,
/// subfolders included) sorted by name at every level. Paths that do not exist stay: they become
/// results that say so.
pub(super) fn inputs(paths: &[PathBuf]) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in paths {
        if !path.is_dir() {
            inputs.push(Input {
                path: path.clone(),
                walk_error: None,
            });
            continue;
        }
        for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
            match entry {
                Ok(entry) => {
                    let is_pdf = entry
                        .path()
                        .extension()
                        .is_some_and(|ext| ext.eq_ignore_ascii_case("pdf"));
                    if is_pdf && !entry.file_type().is_dir() {
                        inputs.push(Input {
                            path: entry.into_path(),
                            walk_error: None,
                        });
                    }
                }
                Err(error) => inputs.push(Input {
                    path: error.path().unwrap_or(path).to_path_buf(),
                    walk_error: Some(
                        error
                            .io_error()
                            .map_or_else(|| error.to_string(), ToString::to_string),
                    ),
                }),
            }
        }
    }
    inputs
}

/// Runs `check` on the indices `0..total` in `jobs` worker threads and calls `emit` on the calling
/// thread with each result, in index order. Stops early only when `emit` fails (its error is
/// returned).
pub(super) fn verify_in_order<R: Send>(
    total: usize,
    jobs: usize,
    check: &(dyn Fn(usize) -> R + Sync),
    mut emit: impl FnMut(R) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let schedule = Schedule {
        state: Mutex::new(ScheduleState {
            next: 0,
            printed: 0,
            stopped: false,
        }),
        changed: Condvar::new(),
        total,
        window: jobs.max(1) * WINDOW_PER_WORKER,
    };
    let (sender, receiver) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, total.max(1)) {
            let sender = sender.clone();
            let schedule = &schedule;
            scope.spawn(move || {
                while let Some(idx) = schedule.claim() {
                    if sender.send((idx, check(idx))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut emit_in_order = || {
            let mut waiting = BTreeMap::new();
            let mut printed = 0;
            for (idx, result) in &receiver {
                waiting.insert(idx, result);
                while let Some(result) = waiting.remove(&printed) {
                    emit(result)?;
                    printed += 1;
                    schedule.printed(printed);
                }
            }
            Ok(())
        };
        let outcome = emit_in_order();
        // Workers waiting for the window must not wait for a printer that has given up.
        schedule.stop();
        outcome
    })
}

/// Which file is next, shared by the workers, and how far the printer has come.
struct Schedule {
    state: Mutex<ScheduleState>,
    changed: Condvar,
    total: usize,
    window: usize,
}

struct ScheduleState {
    /// The next file no worker has taken.
    next: usize,
    /// The number of results printed.
    printed: usize,
    /// The printer failed: take no more files.
    stopped: bool,
}

impl Schedule {
    /// The next file for a worker, waiting while it would be more than the window ahead of the
    /// printer; `None` when every file is taken or the run stopped.
    fn claim(&self) -> Option<usize> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if state.stopped || state.next >= self.total {
                return None;
            }
            if state.next < state.printed + self.window {
                state.next += 1;
                return Some(state.next - 1);
            }
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn printed(&self, printed: usize) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).printed = printed;
        self.changed.notify_all();
    }

    fn stop(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).stopped = true;
        self.changed.notify_all();
    }
}

/// Reads and checks one file. Never fails: a file that cannot be read gives an invalid result that
/// says why. The checker is written never to panic (zicha-sign's hostile-input tests); should it,
/// a build that unwinds (debug, tests) turns the panic into such a result too, while the release
/// profile's `panic = "abort"` (chosen for the wasm size) ends the process.
fn check_input(input: &Input, trust: &TrustList) -> FileResult {
    let name = input.path.display().to_string();
    if let Some(error) = &input.walk_error {
        return unreadable(&name, error);
    }
    let pdf = match read_pdf(&input.path) {
        Ok(pdf) => pdf,
        Err(error) => return unreadable(&name, &error),
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check::check(&name, &pdf, trust, builtin_fonts())
    }))
    .unwrap_or_else(|_| {
        unreadable(
            &name,
            "the verifier failed on this file (a bug in zicha: please report it)",
        )
    })
}

pub(super) fn read_pdf(path: &Path) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    let length = file.metadata().map_err(|e| e.to_string())?.len();
    if length > MAX_FILE_BYTES {
        return Err(format!(
            "{length} bytes is more than the {} MiB a report can have",
            MAX_FILE_BYTES / 1024 / 1024
        ));
    }
    let mut pdf = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut pdf)
        .map_err(|e| e.to_string())?;
    Ok(pdf)
}

/// The result of a file that cannot be read: invalid, with the finding `file-unreadable`.
pub(super) fn unreadable(name: &str, reason: &str) -> FileResult {
    // The checker's result for no bytes at all, with its "not a pdf" finding replaced by the
    // reason: the verification report's fields stay those zicha-sign fills in.
    let mut result = check::check(name, &[], &TrustList::new(), None);
    result.report.verdict = Verdict::Invalid;
    result.report.verdict_en = Verdict::Invalid.en().to_owned();
    result.report.verdict_zh = Verdict::Invalid.zh().to_owned();
    result.report.findings = vec![Finding {
        code: "file-unreadable".to_owned(),
        en: format!("the file cannot be read: {reason}"),
        zh: format!("无法读取该文件：{reason}"),
    }];
    result
}

/// How the results are printed on stdout.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    /// One JSON array, written element by element: exactly what `serde_json::to_writer_pretty`
    /// writes for the whole list.
    Json,
    /// JSON Lines: one compact object per line.
    JsonLines,
}

struct Printer<'a> {
    out: &'a mut dyn Write,
    format: Format,
    n_printed: usize,
}

impl<'a> Printer<'a> {
    fn begin(out: &'a mut dyn Write, format: Format) -> anyhow::Result<Self> {
        if format == Format::Json {
            write!(out, "[")?;
        }
        Ok(Printer {
            out,
            format,
            n_printed: 0,
        })
    }

    fn print(&mut self, result: &FileResult) -> anyhow::Result<()> {
        match self.format {
            Format::Text => print_text(result, self.out)?,
            Format::JsonLines => {
                serde_json::to_writer(&mut *self.out, result)?;
                writeln!(self.out)?;
            }
            Format::Json => {
                let json = serde_json::to_string_pretty(result)?;
                // serde_json escapes line breaks inside strings, so every '\n' is between tokens.
                let separator = if self.n_printed == 0 { "\n  " } else { ",\n  " };
                write!(self.out, "{separator}{}", json.replace('\n', "\n  "))?;
            }
        }
        self.n_printed += 1;
        self.out.flush()?;
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        if self.format == Format::Json {
            let end = if self.n_printed == 0 { "]" } else { "\n]" };
            writeln!(self.out, "{end}")?;
        }
        self.out.flush()?;
        Ok(())
    }
}

/// The `--csv` file, written row by row into a temporary file in the same folder and renamed into
/// place when complete, so that a crash never leaves a half-written CSV under the name asked for.
struct CsvFile {
    path: PathBuf,
    temp: PathBuf,
    writer: CsvWriter<BufWriter<File>>,
}

impl CsvFile {
    fn create(path: &Path) -> anyhow::Result<Self> {
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("out.csv");
        let temp = path.with_file_name(format!(".{name}.tmp"));
        let file =
            File::create(&temp).with_context(|| format!("cannot write {}", temp.display()))?;
        let writer = CsvWriter::new(BufWriter::new(file))
            .with_context(|| format!("cannot write {}", temp.display()))?;
        Ok(CsvFile {
            path: path.to_path_buf(),
            temp,
            writer,
        })
    }

    fn write(&mut self, result: &FileResult) -> anyhow::Result<()> {
        self.writer
            .write(result)
            .with_context(|| format!("cannot write {}", self.temp.display()))
    }

    fn finish(self) -> anyhow::Result<()> {
        self.writer
            .into_inner()
            .with_context(|| format!("cannot write {}", self.temp.display()))?;
        std::fs::rename(&self.temp, &self.path)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    fn abandon(self) {
        drop(self.writer);
        let _ = std::fs::remove_file(&self.temp);
    }
}

/// How many files were verified and how many are not valid.
#[derive(Default)]
struct Counts {
    total: usize,
    not_valid: usize,
}

impl Counts {
    fn add(&mut self, result: &FileResult) {
        self.total += 1;
        if result.report.verdict != Verdict::Valid {
            self.not_valid += 1;
        }
    }

    fn summarise(&self, err: &mut dyn Write) -> anyhow::Result<()> {
        if self.total == 0 {
            writeln!(err, "zicha: no PDF file found in the paths given")?;
        } else if self.total > 1 {
            writeln!(
                err,
                "zicha: {} files: {} valid, {} not valid",
                self.total,
                self.total - self.not_valid,
                self.not_valid
            )?;
        }
        Ok(())
    }
}

/// The result as text. Every field that comes from the file (certificate fields, names, the file
/// name itself, reasons that quote the file) goes through [`terminal_text`].
fn print_text(result: &FileResult, out: &mut dyn Write) -> anyhow::Result<()> {
    let report = &result.report;
    let text = |field: &str| terminal_text(field).into_owned();
    let optional = |field: &Option<String>, missing: &str| {
        field.as_deref().map_or_else(|| missing.to_owned(), text)
    };
    writeln!(
        out,
        "{}: {} {}",
        text(&result.file),
        report.verdict.zh(),
        report.verdict.en()
    )?;
    if !report.identity_checked && !report.signatures.is_empty() {
        writeln!(
            out,
            "  签名人身份未核验 signer identity NOT checked (no trust list, --trust)"
        )?;
    }
    for (idx, signature) in report.signatures.iter().enumerate() {
        writeln!(
            out,
            "  {}. {} {} · {} ({}) · {} ({} / {}) · {} · {} {}",
            idx + 1,
            optional(&signature.role, "-"),
            optional(&signature.signer, "?"),
            optional(&signature.organisation, "?"),
            optional(&signature.credit_code, "-"),
            optional(&signature.time, "-"),
            signature.time_source.zh(),
            signature.time_source.en(),
            match signature.trust {
                zicha_sign::Trust::Known => "已登记 registered",
                zicha_sign::Trust::Unknown => "未登记 NOT registered",
                zicha_sign::Trust::NotChecked => "身份未核验 identity not checked",
            },
            signature.verdict.zh(),
            signature.verdict.en(),
        )?;
        if let Some(cert_sha256) = &signature.cert_sha256 {
            writeln!(out, "     证书 SHA-256 certificate: {cert_sha256}")?;
        }
        for reason in &signature.reasons {
            writeln!(out, "     - {} / {}", text(&reason.zh), text(&reason.en))?;
        }
    }
    if !result.parties.is_empty() {
        let list = |signed: bool| {
            let parties: Vec<String> = result
                .parties
                .iter()
                .filter(|party| party.signed == signed)
                .map(|party| {
                    format!(
                        "{} {} {}",
                        party.number,
                        text(&party.role),
                        text(&party.name)
                    )
                })
                .collect();
            if parties.is_empty() {
                "— none".to_owned()
            } else {
                parties.join(", ")
            }
        };
        writeln!(out, "  已签署 signed: {}", list(true))?;
        writeln!(out, "  待签署 missing: {}", list(false))?;
    }
    for update in &report.updates {
        writeln!(
            out,
            "  修订 revision {}: {} {}",
            update.revision,
            update.kind.zh(),
            update.kind.en()
        )?;
    }
    for reason in &report.findings {
        writeln!(out, "  - {} / {}", text(&reason.zh), text(&reason.en))?;
    }
    if let Some(inspection) = &result.inspection {
        writeln!(
            out,
            "  检查数据 inspection: {} ({}) · {} {} · {}",
            text(&inspection.organisation),
            text(&inspection.credit_code),
            text(&inspection.checklist),
            text(&inspection.checklist_version),
            text(&inspection.date)
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
            // What the inspection found, in the checklist's words of a finding (issue 11 §1).
            for reason in &score.stop_work_reasons {
                writeln!(out, "    停工原因 stop-work: {}", text(&reason.text))?;
            }
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
            writeln!(out, "    - {} / {}", text(&reason.zh), text(&reason.en))?;
        }
    }
    if let Some(proof) = &result.proof {
        writeln!(out, "  页面 pages: {} {}", proof.status_zh, proof.status_en)?;
        for reason in &proof.findings {
            writeln!(out, "    - {} / {}", text(&reason.zh), text(&reason.en))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_font_digest_is_the_fonts() {
        assert_eq!(
            zicha_core::hash::Sha256::of(super::super::BUILTIN_FONT),
            BUILTIN_FONT_SHA256
        );
        assert_eq!(
            BUILTIN_FONT_SHA256.short(16),
            "2420e8078af796b1",
            "the digest of assets/fonts/wqy-microhei.ttc as sha256sum prints it"
        );
    }

    /// What `--json` prints for `results`, written one by one.
    fn streamed_json(results: &[FileResult]) -> String {
        let mut out = Vec::new();
        let mut printer = Printer::begin(&mut out, Format::Json).expect("begun");
        for result in results {
            printer.print(result).expect("printed");
        }
        printer.finish().expect("finished");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn streamed_json_is_the_pretty_json_of_the_whole_list() {
        let results: Vec<FileResult> = ["a.pdf", "b\n\"c\".pdf", "d.pdf"]
            .iter()
            .map(|name| unreadable(name, "no such file"))
            .collect();
        for n in 0..=results.len() {
            let whole = serde_json::to_string_pretty(&results[..n]).expect("json");
            assert_eq!(
                streamed_json(&results[..n]),
                format!("{whole}\n"),
                "{n} results"
            );
        }
    }

    #[test]
    fn results_come_in_order_and_workers_stay_within_the_window() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let (total, jobs) = (200, 4);
        let window = jobs * WINDOW_PER_WORKER;
        let started = AtomicUsize::new(0);
        let check = |idx: usize| {
            started.fetch_add(1, Ordering::SeqCst);
            // The first file is slow: without the window the others would all be done (and held
            // in memory) before it.
            if idx == 0 {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            unreadable(&idx.to_string(), "test")
        };
        let mut emitted = Vec::new();
        verify_in_order(total, jobs, &check, |result| {
            let n_started = started.load(Ordering::SeqCst);
            assert!(
                n_started <= emitted.len() + window,
                "{n_started} files started with {} printed",
                emitted.len()
            );
            emitted.push(result.file);
            Ok(())
        })
        .expect("verified");
        let expected: Vec<String> = (0..total).map(|idx| idx.to_string()).collect();
        assert_eq!(emitted, expected);
    }

    #[test]
    fn a_failing_printer_stops_the_workers() {
        let check = |idx: usize| unreadable(&idx.to_string(), "test");
        let mut n_emitted = 0;
        let outcome = verify_in_order(1000, 3, &check, |_| {
            n_emitted += 1;
            anyhow::ensure!(n_emitted < 5, "the reader went away");
            Ok(())
        });
        assert_eq!(
            outcome.map_err(|e| e.to_string()),
            Err("the reader went away".to_owned())
        );
        assert_eq!(n_emitted, 5);
    }

    #[test]
    fn an_unreadable_file_is_invalid_with_its_reason() {
        let result = unreadable("gone.pdf", "No such file or directory (os error 2)");
        assert_eq!(result.file, "gone.pdf");
        assert_eq!(result.report.verdict, Verdict::Invalid);
        assert_eq!(result.report.verdict_en, "invalid");
        assert!(result.report.signatures.is_empty() && result.inspection.is_none());
        let codes: Vec<&str> = result
            .report
            .findings
            .iter()
            .map(|f| f.code.as_str())
            .collect();
        assert_eq!(codes, ["file-unreadable"]);
        assert_eq!(
            result.report.findings[0].zh,
            "无法读取该文件：No such file or directory (os error 2)"
        );
    }
}
