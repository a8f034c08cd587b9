//! The `zicha` command line: the same jobs as the app, from a terminal. Raw clap arguments are
//! validated into a command and handed to zicha-core; [`run`] returns the exit code so that tests can
//! drive the whole CLI in-process.
//!
//! Exit codes: 0 success (and, for checks, nothing found); 1 the input has problems (lint findings,
//! an invalid bundle); 2 usage or I/O error.

#![deny(missing_docs)]

mod commands;

use std::ffi::OsString;
use std::io::Write;

use clap::{Parser, Subcommand};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: the input has problems.
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit code: usage or I/O error.
pub const EXIT_USAGE: u8 = 2;

const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  the input has problems (lint findings, invalid bundle or data)
  2  usage error, or a file could not be read or written";

#[derive(Parser, Debug)]
#[command(name = "zicha", version, about = "Zicha (自查): workplace safety self-inspection", after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List the built-in sector checklists.
    Checklists(commands::checklists::Args),
    /// Check checklist files; prints `path:line:col: message` per problem.
    Lint(commands::lint::Args),
    /// Write a realistic filled inspection bundle for demos and tests.
    Sample(commands::sample::Args),
    /// Score an inspection bundle (JGJ 59 grade, sections, five 100% rates, stop-work, hazards).
    Score(commands::score::Args),
    /// Render an inspection bundle as a PDF report.
    Render(commands::render::Args),
    /// Create a signing key (encrypted PKCS#8) and a self-issued certificate.
    Keygen(commands::keygen::Args),
    /// Sign a PDF as an incremental update (PAdES B-B).
    Sign(commands::sign::Args),
    /// Verify signed PDF reports: files, and folders of them, in parallel.
    Verify(commands::verify::Args),
    /// Verify reports and append them to a register: a Parquet dataset for DuckDB and Spark.
    Register(commands::register::Args),
    /// Read a checklist from a spreadsheet (xlsx, xls, ods, csv) and write it as a checklist file.
    Import(commands::sheets::ImportArgs),
    /// Write the spreadsheet template of checklists, empty or filled with one.
    Template(commands::sheets::TemplateArgs),
    /// Export an inspection bundle's 隐患台账 and results as an xlsx workbook.
    Export(commands::sheets::ExportArgs),
}

/// Output streams of a command.
pub struct Io<'a> {
    /// Standard output: results.
    pub out: &'a mut dyn Write,
    /// Standard error: diagnostics.
    pub err: &'a mut dyn Write,
    /// What the process's real streams are: only a terminal gets escape sequences.
    pub terminal: Terminal,
}

/// Which of the process's streams are terminals that take ANSI escape sequences (colour, a
/// progress bar). The writers handed to [`run_with`] cannot say, so `main` asks once; the default,
/// no terminal at all, is what [`run`] uses: plain text, as in a pipe or a file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Terminal {
    /// Standard output is a terminal and colour is not turned off.
    pub out_ansi: bool,
    /// Standard error is a terminal and colour is not turned off (also: show progress bars).
    pub err_ansi: bool,
}

impl Terminal {
    /// The process's stdout and stderr, with anstream's rules (the ones clap follows for its own
    /// streams): a terminal, unless `NO_COLOR` is set, `CLICOLOR=0` or `TERM=dumb`;
    /// `CLICOLOR_FORCE` forces escapes.
    pub fn detect() -> Self {
        use anstream::{AutoStream, ColorChoice};
        Terminal {
            out_ansi: AutoStream::choice(&std::io::stdout()) != ColorChoice::Never,
            err_ansi: AutoStream::choice(&std::io::stderr()) != ColorChoice::Never,
        }
    }
}

/// Runs the CLI with `args` (the first one is the program name) and returns the exit code. The
/// output is plain text: no escape sequences, no progress bar (see [`run_with`]).
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_with(args, out, err, Terminal::default())
}

/// [`run`], writing escape sequences (coloured help, progress bars) only to the streams that
/// `terminal` says are terminals.
pub fn run_with<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write, terminal: Terminal) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let ansi = if error.use_stderr() {
                terminal.err_ansi
            } else {
                terminal.out_ansi
            };
            // clap styles its help and errors; `StyledStr`'s Display is the plain text.
            let styled = error.render();
            let text = if ansi {
                styled.ansi().to_string()
            } else {
                styled.to_string()
            };
            let (code, _) = if error.use_stderr() {
                (EXIT_USAGE, write!(err, "{text}"))
            } else {
                (EXIT_OK, write!(out, "{text}"))
            };
            return code;
        }
    };
    let mut io = Io { out, err, terminal };
    let result = match cli.command {
        Command::Checklists(args) => commands::checklists::run(args, &mut io),
        Command::Lint(args) => commands::lint::run(args, &mut io),
        Command::Sample(args) => commands::sample::run(args, &mut io),
        Command::Score(args) => commands::score::run(args, &mut io),
        Command::Render(args) => commands::render::run(args, &mut io),
        Command::Keygen(args) => commands::keygen::run(args, &mut io),
        Command::Sign(args) => commands::sign::run(args, &mut io),
        Command::Verify(args) => commands::verify::run(args, &mut io),
        Command::Register(args) => commands::register::run(args, &mut io),
        Command::Import(args) => commands::sheets::import(args, &mut io),
        Command::Template(args) => commands::sheets::template(args, &mut io),
        Command::Export(args) => commands::sheets::export(args, &mut io),
    };
    match result {
        Ok(code) => code,
        // The reader went away (`zicha verify DIR | head`): nothing to tell it, and what was not
        // printed was not judged, so the run ends as unfinished (2) without an error message.
        Err(error) if is_broken_pipe(&error) => EXIT_USAGE,
        Err(error) => {
            let _ = writeln!(io.err, "zicha: error: {error:#}");
            EXIT_USAGE
        }
    }
}

/// Whether `error` comes from writing to a pipe whose reader has closed it.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let kind = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            // serde_json's writer errors do not list the io::Error among their sources.
            .or_else(|| {
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            });
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}
