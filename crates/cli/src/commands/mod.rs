//! One module per subcommand: `Args` (clap) and `run(args, io) -> anyhow::Result<exit code>`.

pub mod checklists;
pub mod keygen;
pub mod lint;
pub mod render;
pub mod sample;
pub mod score;
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
