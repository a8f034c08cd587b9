//! Ids the app gives records. Randomness and dates come in as arguments.

use time::Date;

/// An inspection id: date and eight random hex digits, e.g. `I-20260115-3fa2c1d0`.
pub fn inspection_id(date: Date, random: u32) -> String {
    format!(
        "I-{:04}{:02}{:02}-{random:08x}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// A project id, e.g. `P-3fa2c1d0`.
pub fn project_id(random: u32) -> String {
    format!("P-{random:08x}")
}

/// The next hazard id of `year` after the existing ones: `H-2026-001`, `H-2026-002`, …
pub fn next_hazard_id<'a>(existing: impl IntoIterator<Item = &'a str>, year: i32) -> String {
    let prefix = format!("H-{year}-");
    let highest = existing
        .into_iter()
        .filter_map(|id| id.strip_prefix(&prefix)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{:03}", highest + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[track_caller]
    fn check(existing: &[&str], expected: &str) {
        assert_eq!(next_hazard_id(existing.iter().copied(), 2026), expected);
    }

    #[test]
    fn hazard_ids() {
        check(&[], "H-2026-001");
        check(&["H-2026-001", "H-2026-007"], "H-2026-008");
        check(&["H-2025-041", "X"], "H-2026-001");
        check(&["H-2026-999"], "H-2026-1000");
    }

    #[test]
    fn inspection_and_project_ids() {
        assert_eq!(
            inspection_id(date!(2026 - 01 - 05), 0x3fa2c1),
            "I-20260105-003fa2c1"
        );
        assert_eq!(project_id(0xdeadbeef), "P-deadbeef");
    }
}
