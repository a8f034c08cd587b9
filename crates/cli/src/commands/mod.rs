//! One module per subcommand: `Args` (clap) and `run(args, io) -> anyhow::Result<exit code>`.

pub mod checklists;
pub mod keygen;
pub mod lint;
pub mod register;
pub mod render;
pub mod sample;
pub mod score;
pub mod sheets;
pub mod sign;
pub mod verify;

/// Parses a `YYYY-MM-DD` command-line date.
pub(crate) fn parse_date(text: &str) -> Result<time::Date, String> {
    zicha_core::inspection::date_format::parse(text)
        .ok_or_else(|| format!("`{text}` is not a date YYYY-MM-DD"))
}

/// Today in China Standard Time (UTC+8, no daylight saving): the CLI is the only place that reads
/// the clock; zicha-core takes the date as an argument.
pub(crate) fn today() -> time::Date {
    let offset = time::UtcOffset::from_hms(8, 0, 0).expect("valid offset");
    time::OffsetDateTime::now_utc().to_offset(offset).date()
}

/// Parses an RFC 3339 time from the command line.
pub(crate) fn parse_time(text: &str) -> Result<time::OffsetDateTime, String> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).map_err(
        |error| {
            format!("`{text}` is not an RFC 3339 time (e.g. 2026-11-28T09:30:00+08:00): {error}")
        },
    )
}

/// Now, in China Standard Time, to the second.
pub(crate) fn now() -> time::OffsetDateTime {
    let offset = time::UtcOffset::from_hms(8, 0, 0).expect("valid offset");
    let now = time::OffsetDateTime::now_utc().to_offset(offset);
    now.replace_nanosecond(0).unwrap_or(now)
}

/// The passphrase: the first line of `file` when given, else ZICHA_PASSPHRASE, else asked for on the
/// terminal (twice when `confirm`).
pub(crate) fn passphrase(
    prompt: &str,
    confirm: bool,
    file: Option<&std::path::Path>,
) -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if let Some(file) = file {
        use anyhow::Context;
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the passphrase file {}", file.display()))?;
        let passphrase = text.lines().next().unwrap_or_default().to_owned();
        anyhow::ensure!(
            !passphrase.is_empty(),
            "{} holds no passphrase",
            file.display()
        );
        return Ok(passphrase);
    }
    if let Ok(passphrase) = std::env::var("ZICHA_PASSPHRASE") {
        anyhow::ensure!(!passphrase.is_empty(), "ZICHA_PASSPHRASE is empty");
        return Ok(passphrase);
    }
    anyhow::ensure!(
        std::io::stdin().is_terminal(),
        "no passphrase: set ZICHA_PASSPHRASE or run the command in a terminal"
    );
    let passphrase = rpassword::prompt_password(format!("{prompt}: "))?;
    anyhow::ensure!(
        passphrase.chars().count() >= 8,
        "the passphrase must have at least 8 characters"
    );
    if confirm {
        let again = rpassword::prompt_password("Repeat the passphrase: ")?;
        anyhow::ensure!(again == passphrase, "the passphrases differ");
    }
    Ok(passphrase)
}

/// Writes `bytes` to `path` through a temporary file in the same folder, so that a crash never
/// leaves a half-written file; refuses to replace an existing file unless `replace`.
pub(crate) fn write_new(path: &std::path::Path, bytes: &[u8], replace: bool) -> anyhow::Result<()> {
    write_new_parts(path, &[bytes], replace)
}

/// [`write_new`] of `parts` one after the other (a signed report: the original and the update),
/// without joining them in memory first.
pub(crate) fn write_new_parts(
    path: &std::path::Path,
    parts: &[&[u8]],
    replace: bool,
) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::Write as _;
    anyhow::ensure!(replace || !path.exists(), "{} exists", path.display());
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("out");
    let temp = path.with_file_name(format!(".{name}.tmp"));
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temp)?;
        for part in parts {
            file.write_all(part)?;
        }
        file.flush()
    };
    write().with_context(|| format!("cannot write {}", temp.display()))?;
    std::fs::rename(&temp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// WenQuanYi Micro Hei (Apache-2.0, see assets/fonts/README.md), built in so that reports and
/// signature appearances show Chinese without any font installed.
pub(crate) const BUILTIN_FONT: &[u8] = include_bytes!("../../../../assets/fonts/wqy-microhei.ttc");

/// Reads a `.zicha` bundle and checks it against its checklist. `Ok(Err(..))` means the file was
/// read but has problems (the caller reports them with exit code 1); `Err` is an I/O error.
pub(crate) fn load_bundle(
    path: &std::path::Path,
) -> anyhow::Result<
    Result<(zicha_core::bundle::Bundle, zicha_core::checklist::Checklist), zicha_core::Error>,
> {
    use anyhow::Context;
    // Read from the file, not from a copy of it in memory: the photos alone are the bundle's size.
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(
        zicha_core::bundle::Bundle::from_zip_reader(std::io::BufReader::new(file)).and_then(
            |bundle| {
                let checklist = bundle.checklist()?;
                bundle.validate(&checklist)?;
                Ok((bundle, checklist))
            },
        ),
    )
}
