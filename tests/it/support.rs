//! Shared helpers: fresh temp dirs, running the CLI in-process, the repository root.

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// A fresh, empty directory under the target dir, removed and recreated per call.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// The output of one CLI run.
pub struct Run {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `zicha ARGS...` in-process from the repository root.
pub fn zicha(args: &[&str]) -> Run {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let argv = std::iter::once("zicha").chain(args.iter().copied());
    let code = zicha_cli::run(argv, &mut out, &mut err);
    Run {
        code,
        stdout: String::from_utf8(out).expect("utf-8 stdout"),
        stderr: String::from_utf8(err).expect("utf-8 stderr"),
    }
}

/// [`zicha`] that must succeed (exit 0); the failure message shows its output.
pub fn zicha_ok(args: &[&str]) -> Run {
    let run = zicha(args);
    assert_eq!(run.code, 0, "zicha {args:?}: {}{}", run.stdout, run.stderr);
    run
}

/// Whether an external checker (`tool` answering `version_arg`) is installed. Under
/// ZICHA_REQUIRE_TOOLS=1 (the test script) a missing tool fails the test; elsewhere the caller
/// returns and the skip is shown on the terminal ([`announce_skip`]).
pub fn have_tool(tool: &str, version_arg: &str) -> bool {
    let found = std::process::Command::new(tool)
        .arg(version_arg)
        .output()
        .is_ok();
    if !found {
        assert!(
            std::env::var("ZICHA_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "{tool} is required (ZICHA_REQUIRE_TOOLS=1) but not installed; scripts/setup.sh installs it"
        );
        announce_skip(tool);
    }
    found
}

/// Writes "SKIPPED <test>: <tool> not installed" straight to stderr, which the test harness does
/// not capture: a plain `cargo test` shows it next to the test's "ok".
pub fn announce_skip(tool: &str) {
    use std::io::Write;
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {tool} not installed (scripts/setup.sh installs it; ZICHA_REQUIRE_TOOLS=1 makes this a failure)"
    );
}

/// Runs an external tool that must succeed and returns its standard output.
pub fn run_tool(tool: &str, args: &[&str]) -> String {
    let output = std::process::Command::new(tool)
        .args(args)
        .output()
        .expect("tool runs");
    assert!(
        output.status.success(),
        "{tool} {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8 output")
}
