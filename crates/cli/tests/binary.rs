//! The real `zicha` process: exit codes reach the shell (the in-process tests live in tests/).

use std::process::Command;

fn zicha() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zicha"))
}

#[test]
fn exit_codes_reach_the_shell() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("binary-exit-codes");
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.toml");
    std::fs::write(&broken, "format = 1\nid = \"broken\n").unwrap();
    let output = zicha().arg("lint").arg(&broken).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with(&format!("{}:2:", broken.display())),
        "{stdout}"
    );
    assert_eq!(
        zicha().arg("--version").output().unwrap().status.code(),
        Some(0)
    );
    assert_eq!(
        zicha()
            .arg("--no-such-flag")
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn help_in_a_pipe_has_no_escape_codes() {
    for args in [
        &["--help"][..],
        &["verify", "--help"],
        &["verify", "--no-such-flag"],
    ] {
        let piped = zicha()
            .args(args)
            .env_remove("CLICOLOR_FORCE")
            .output()
            .unwrap();
        let text = String::from_utf8([piped.stdout, piped.stderr].concat()).unwrap();
        assert!(text.contains("Usage"), "{args:?}: {text}");
        assert!(!text.contains('\u{1b}'), "{args:?}: {text:?}");
        // The same streams with colour forced: the detection, not clap, kept the escapes out.
        let forced = zicha()
            .args(args)
            .env("CLICOLOR_FORCE", "1")
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        let text = String::from_utf8([forced.stdout, forced.stderr].concat()).unwrap();
        assert!(text.contains("\u{1b}["), "{args:?}: {text:?}");
    }
}
