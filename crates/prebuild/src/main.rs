//! `zicha-prebuild CHECKLISTS_DIR OUT_DIR`: lints every `CHECKLISTS_DIR/*.toml` exactly as
//! `zicha lint` does and writes each as `OUT_DIR/<stem>.json` for the browser app, with their index
//! as `OUT_DIR/_index.json`.
//!
//! Exit codes: 0 written, 1 a checklist has problems (each printed `path:line:column: message`,
//! nothing written), 2 usage or I/O error.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [checklists_dir, out_dir] = args.as_slice() else {
        eprintln!("usage: zicha-prebuild CHECKLISTS_DIR OUT_DIR");
        return ExitCode::from(2);
    };
    match zicha_prebuild::run(checklists_dir, out_dir) {
        Ok(written) => {
            eprintln!(
                "zicha-prebuild: {} checklist(s) linted, JSON and index written to {}",
                written.len().saturating_sub(1),
                out_dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(zicha_prebuild::Error::Problems(problems)) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            eprintln!(
                "zicha-prebuild: {} problem(s); no JSON written",
                problems.len()
            );
            ExitCode::from(1)
        }
        Err(error) => {
            eprintln!("zicha-prebuild: {error}");
            ExitCode::from(2)
        }
    }
}
