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
    /// Verify signed PDF reports.
    Verify(commands::verify::Args),
}

/// Output streams of a command.
pub struct Io<'a> {
    /// Standard output: results.
    pub out: &'a mut dyn Write,
    /// Standard error: diagnostics.
    pub err: &'a mut dyn Write,
}

/// Runs the CLI with `args` (the first one is the program name) and returns the exit code.
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            };
            let text = error.render().ansi().to_string();
            let _ = if error.use_stderr() {
                write!(err, "{text}")
            } else {
                write!(out, "{text}")
            };
            return code;
        }
    };
    let mut io = Io { out, err };
    let result = match cli.command {
        Command::Checklists(args) => commands::checklists::run(args, &mut io),
        Command::Lint(args) => commands::lint::run(args, &mut io),
        Command::Sample(args) => commands::sample::run(args, &mut io),
        Command::Score(args) => commands::score::run(args, &mut io),
        Command::Render(args) => commands::render::run(args, &mut io),
        Command::Keygen(args) => commands::keygen::run(args, &mut io),
        Command::Sign(args) => commands::sign::run(args, &mut io),
        Command::Verify(args) => commands::verify::run(args, &mut io),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(io.err, "zicha: error: {error:#}");
            EXIT_USAGE
        }
    }
}
