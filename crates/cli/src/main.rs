//! The `zicha` binary; everything lives in the library so that tests can run it in-process.

use std::process::ExitCode;

/// mimalloc instead of the system allocator: see its line in crates/cli/Cargo.toml (the proof's
/// re-render spent a quarter of its time in glibc's malloc and free).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
