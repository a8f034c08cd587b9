//! The `zicha` binary; everything lives in the library so that tests can run it in-process.

use std::process::ExitCode;

fn main() -> ExitCode {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let code = zicha_cli::run_with(
        std::env::args_os(),
        &mut stdout.lock(),
        &mut stderr.lock(),
        zicha_cli::Terminal::detect(),
    );
    ExitCode::from(code)
}
