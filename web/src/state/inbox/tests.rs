use time::macros::{date, datetime};
use zicha_report::register::{Embedded, Received};

use super::*;

/// A received report as the worker makes it: zicha-core's sample bundle (hazards, some overdue)
/// behind a checker result of bytes that are not a PDF, with the sample's score.
fn received(seed: u64, sha: &str) -> serde_json::Value {
    let checklist = zicha_core::catalog::by_id("construction").expect("built in");
    let bundle = zicha_core::sample::sample(checklist, None, seed, date!(2026 - 03 - 02));
    let trust = zicha_sign::TrustList::new();
    let mut result = zicha_report::check::check("a.pdf", b"not a pdf", &trust, None);
    let score = zicha_core::score::score(
        checklist,
        &bundle.data.inspection,
        &bundle.data.hazards,
        date!(2026 - 03 - 02),
    );
    result.inspection = Some(zicha_report::check::InspectionSummary {
        organisation: bundle.data.organisation.name.clone(),
        credit_code: bundle.data.organisation.credit_code.clone(),
        project: None,
        checklist: "construction".into(),
        checklist_version: checklist.version.clone(),
        date: "2026-03-02".into(),
        signed: true,
        matches_report: Some(true),
        score: Some(score),
        findings: Vec::new(),
    });
    let embedded = Embedded {
        data: Some(bundle.data),
        sector: Some("construction".into()),
    };
    let at = datetime!(2026-03-05 10:00:00 +08:00);
    serde_json::to_value(Received::new(sha.into(), &result, embedded, at)).expect("written")
}

fn entry(seed: u64, sha: &str) -> Entry {
    serde_json::from_value(received(seed, sha)).expect("read by the page")
}

#[test]
fn the_entry_reads_and_writes_what_the_worker_writes() {
    // Every field of the register's rows survives the page: the export hands them back.
    let json = received(7, "aa");
    let entry: Entry = serde_json::from_value(json.clone()).expect("read");
    assert_eq!(serde_json::to_value(&entry).expect("written"), json);
    assert_eq!(entry.sha256(), "aa");
    assert_eq!(entry.month(), "2026-03");
    assert_eq!(entry.report.sector.as_deref(), Some("construction"));
    assert_eq!(entry.report.received_at, "2026-03-05T10:00:00+08:00");
    assert!(!entry.hazards.is_empty());
    let open_major = entry
        .hazards
        .iter()
        .filter(|h| is_major(h) && h.status != zicha_core::ledger::Status::Closed)
        .count() as i64;
    assert_eq!(entry.major_open(), open_major);
}

#[test]
fn the_same_file_is_kept_once_and_a_resubmission_is_linked() {
    let first = entry(1, "aa");
    let mut again = entry(1, "bb");
    again.report.inspection_id = first.report.inspection_id.clone();
    let other = entry(2, "cc");
    let (fresh, duplicates) = admit(&[], vec![first.clone(), first.clone()]);
    assert_eq!((fresh.len(), duplicates), (1, 1));
    assert_eq!(
        (
            fresh[0].report.supersedes.as_deref(),
            fresh[0].report.revision
        ),
        (None, Some(1))
    );
    let (fresh, duplicates) = admit(&fresh, vec![first.clone(), again, other]);
    assert_eq!(duplicates, 1);
    let linked: Vec<_> = fresh
        .iter()
        .map(|e| {
            (
                e.sha256(),
                e.report.supersedes.as_deref(),
                e.report.revision,
            )
        })
        .collect();
    assert_eq!(linked, [("bb", Some("aa"), Some(2)), ("cc", None, Some(1))]);
}

#[test]
fn filters_counts_and_months() {
    let today = date!(2026 - 03 - 10);
    let mut a = entry(1, "aa");
    let mut b = entry(2, "bb");
    let mut c = entry(3, "cc");
    a.report.verdict = "valid".into();
    a.report.grade = Some("合格".into());
    a.report.stop_work = Some(false);
    a.report.hazards_major_open = Some(0);
    a.hazards.clear();
    b.report.verdict = "modified".into();
    b.report.grade = None;
    b.report.stop_work = Some(true);
    b.report.hazards_major_open = Some(2);
    c.report.verdict = "valid".into();
    c.report.grade = Some("优良".into());
    c.report.sector = Some("hazchem".into());
    c.report.inspection_date = Some("2026-04-01".into());
    c.report.stop_work = Some(false);
    c.report.hazards_major_open = Some(0);
    c.report.revision = Some(2);
    c.hazards.clear();
    let all = [a.clone(), b.clone(), c.clone()];
    let shown = |filter: Filter| -> Vec<String> {
        all.iter()
            .filter(|e| filter.matches(e, today))
            .map(|e| e.sha256().to_owned())
            .collect()
    };
    for (filter, expected) in [
        (Filter::default(), vec!["aa", "bb", "cc"]),
        (
            Filter {
                verdict: Some("valid".into()),
                ..Filter::default()
            },
            vec!["aa", "cc"],
        ),
        (
            Filter {
                sector: Some("construction".into()),
                ..Filter::default()
            },
            vec!["aa", "bb"],
        ),
        (
            Filter {
                verdict: Some("valid".into()),
                sector: Some("construction".into()),
                ..Filter::default()
            },
            vec!["aa"],
        ),
        (
            Filter {
                grade: Some(NO_GRADE.into()),
                ..Filter::default()
            },
            vec!["bb"],
        ),
        (
            Filter {
                major_open: true,
                ..Filter::default()
            },
            vec!["bb"],
        ),
        (
            Filter {
                stop_work: true,
                ..Filter::default()
            },
            vec!["bb"],
        ),
        (
            Filter {
                month: Some("2026-04".into()),
                ..Filter::default()
            },
            vec!["cc"],
        ),
    ] {
        assert_eq!(shown(filter.clone()), expected, "{filter:?}");
    }
    // b keeps the sample's hazards: those open with a deadline before the 10th are overdue.
    let overdue_b = b.hazards.iter().filter(|h| h.is_overdue(today)).count();
    assert_eq!(b.overdue(today), overdue_b);
    let expected_overdue: Vec<&str> = if overdue_b > 0 { vec!["bb"] } else { vec![] };
    assert_eq!(
        shown(Filter {
            overdue: true,
            ..Filter::default()
        }),
        expected_overdue
    );
    let counts = counts(&all, today);
    assert_eq!(
        (
            counts.total,
            counts.valid,
            counts.not_valid,
            counts.major_open,
            counts.stop_work,
            counts.resubmissions
        ),
        (3, 2, 1, 1, 1, 1)
    );
    assert_eq!(
        by_month(&all, &VERDICTS, verdict_of),
        [
            ("2026-03".to_owned(), vec![1, 0, 0, 1, 0]),
            ("2026-04".to_owned(), vec![1, 0, 0, 0, 0]),
        ]
    );
    assert_eq!(
        by_month(&all, &GRADES, grade_of),
        [
            ("2026-03".to_owned(), vec![0, 1, 0, 1]),
            ("2026-04".to_owned(), vec![1, 0, 0, 0]),
        ]
    );
    assert_eq!(
        choices(&all, |e| e.report.sector.clone()),
        ["construction", "hazchem"]
    );
}

#[test]
fn the_panel_sorts_opens_and_removes() {
    let mut old = entry(1, "aa");
    old.report.received_at = "2026-03-01T10:00:00+08:00".into();
    let new = entry(2, "bb");
    let state = apply(&InboxState::default(), InboxAction::Loaded(vec![old, new]));
    let order: Vec<&str> = state
        .entries
        .as_ref()
        .unwrap()
        .iter()
        .map(Entry::sha256)
        .collect();
    assert_eq!(order, ["bb", "aa"]);
    let state = apply(&state, InboxAction::Toggle("aa".into()));
    assert_eq!(state.open.as_deref(), Some("aa"));
    let state = apply(&state, InboxAction::Removed("aa".into()));
    assert_eq!(state.open, None);
    assert_eq!(state.entries.as_ref().unwrap().len(), 1);
    let state = apply(&state, InboxAction::Exporting(true));
    let state = apply(&state, InboxAction::Failed("disk full".into()));
    assert!(!state.exporting);
    assert_eq!(
        state.message,
        Some(InboxMessage::Failed("disk full".into()))
    );
}
