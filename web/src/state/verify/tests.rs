use time::macros::date;
use zicha_report::check::{FileResult, InspectionSummary};
use zicha_report::proof::{Proof, ProofStatus};
use zicha_sign::{Finding, SignatureReport, TimeSource, Trust, TrustList, Verdict};

use super::*;

fn finding(code: &str) -> Finding {
    Finding {
        code: code.into(),
        en: format!("{code} (en)"),
        zh: format!("{code}（中）"),
    }
}

/// A result as zicha_report::check makes it: the verifier's own report of a file that is not a
/// PDF, with a signature, an inspection re-scored by zicha-core and a proof added by hand.
fn file_result() -> FileResult {
    let trust = TrustList::parse_lines("").expect("empty list");
    let mut report = zicha_sign::verify(b"not a pdf", &trust);
    report.identity_checked = true;
    report.signatures.push(SignatureReport {
        field: "ZichaBox1".into(),
        signer: Some("张三".into()),
        name: None,
        organisation: Some("闽江建设工程有限公司".into()),
        credit_code: Some("91350100M000100Y43".into()),
        role: Some("检查人".into()),
        time: Some("2026-03-02T19:00:00+08:00".into()),
        time_source: TimeSource::SignerClaim,
        cert_sha256: Some("cd".repeat(32)),
        trust: Trust::Unknown,
        verdict: Verdict::Unregistered,
        reasons: vec![finding("unregistered")],
        revision: Some(1),
        covers_whole_document: true,
        byte_range: Some([0, 10, 20, 30]),
        self_signed: true,
    });
    let checklist = zicha_core::catalog::by_id("construction").expect("built in");
    let inspection = zicha_core::inspection::Inspection::new(
        "I-1",
        checklist,
        date!(2026 - 03 - 02),
        vec!["张三".into()],
    );
    let score = zicha_core::score::score(checklist, &inspection, &[], date!(2026 - 03 - 02));
    FileResult {
        file: "a.pdf".into(),
        report,
        inspection: Some(InspectionSummary {
            organisation: "闽江建设工程有限公司".into(),
            credit_code: "91350100M000100Y43".into(),
            project: Some("一号楼".into()),
            checklist: "construction".into(),
            checklist_version: checklist.version.clone(),
            date: "2026-03-02".into(),
            signed: false,
            matches_report: Some(false),
            score: Some(score),
            findings: vec![finding("summary-differs")],
        }),
        proof: Some(Proof {
            status: ProofStatus::Differs,
            status_en: "differs".into(),
            status_zh: "不一致".into(),
            layout: Some(3),
            images_as_stored: 0,
            findings: vec![finding("page-content-changed")],
        }),
        parties: Vec::new(),
    }
}

#[test]
fn the_view_reads_what_the_checker_writes() {
    let result = file_result();
    let json = serde_json::to_value(&result).expect("written");
    let view: FileView = serde_json::from_value(json).expect("read by the page");
    assert_eq!(view.file, "a.pdf");
    assert_eq!(view.verdict, result.report.verdict.en());
    assert_eq!(
        (view.verdict_en.as_str(), view.verdict_zh.as_str()),
        (
            result.report.verdict_en.as_str(),
            result.report.verdict_zh.as_str()
        )
    );
    assert!(view.identity_checked);
    // The document's own findings: those of a file that is not a PDF.
    assert_eq!(
        view.findings.iter().map(|f| &f.code).collect::<Vec<_>>(),
        result
            .report
            .findings
            .iter()
            .map(|f| &f.code)
            .collect::<Vec<_>>()
    );
    assert!(!view.findings.is_empty());
    let signature = &view.signatures[0];
    assert_eq!(
        (
            signature.signer.as_deref(),
            signature.role.as_deref(),
            signature.organisation.as_deref(),
            signature.credit_code.as_deref(),
            signature.time.as_deref(),
        ),
        (
            Some("张三"),
            Some("检查人"),
            Some("闽江建设工程有限公司"),
            Some("91350100M000100Y43"),
            Some("2026-03-02T19:00:00+08:00"),
        )
    );
    assert_eq!(
        signature.cert_sha256.as_deref(),
        Some("cd".repeat(32).as_str())
    );
    assert_eq!(
        (signature.trust.as_str(), signature.verdict.as_str()),
        ("unknown", "unregistered")
    );
    assert_eq!(signature.reasons[0].text(Lang::Zh), "unregistered（中）");
    assert!(signature.self_signed);
    let inspection = view.inspection.expect("an inspection");
    assert_eq!(
        (
            inspection.organisation.as_str(),
            inspection.project.as_deref(),
            inspection.checklist.as_str(),
            inspection.date.as_str(),
            inspection.signed,
            inspection.matches_report,
        ),
        (
            "闽江建设工程有限公司",
            Some("一号楼"),
            "construction",
            "2026-03-02",
            false,
            Some(false),
        )
    );
    assert_eq!(
        inspection.score.as_ref(),
        result.inspection.as_ref().and_then(|i| i.score.as_ref())
    );
    assert_eq!(inspection.findings[0].code, "summary-differs");
    assert_eq!(
        view.proof.expect("a proof").findings[0].code,
        "page-content-changed"
    );
}

#[test]
fn a_result_of_an_older_build_is_read() {
    // Written before `cert_sha256` (then `fingerprint`), `identity_checked` and `proof`.
    let json = serde_json::json!({
        "file": "a.pdf", "verdict": "modified", "verdict_en": "modified after signing",
        "verdict_zh": "签名后被修改", "signatures": [{
            "field": "Sig1", "signer": "张三", "name": null, "organisation": "某公司",
            "credit_code": "91350100M000100Y43", "role": "检查人",
            "time": "2026-03-02T19:00:00+08:00", "fingerprint": "ab", "trust": "unknown",
            "verdict": "valid", "reasons": [], "revision": 1, "covers_whole_document": false,
            "byte_range": [0, 1, 2, 3], "self_signed": true
        }],
        "findings": [{"code": "page-content-changed", "en": "page changed", "zh": "页面被改"}],
        "revisions": 2, "inspection": null
    });
    let view: FileView = serde_json::from_value(json).expect("read");
    assert_eq!(view.signatures[0].cert_sha256.as_deref(), Some("ab"));
    assert!(!view.identity_checked);
    assert!(view.proof.is_none() && view.inspection.is_none());
    assert_eq!(view.findings[0].text(Lang::Zh), "页面被改");
}

#[track_caller]
fn check_trust(text: &str, expected: Result<usize, usize>) {
    assert_eq!(trust_count(text), expected);
}

#[test]
fn trust_lists_are_counted_like_the_verifier_reads_them() {
    let one = "ab".repeat(32);
    let colons = vec!["AB"; 32].join(":");
    check_trust("", Ok(0));
    check_trust("# only a comment\n\n", Ok(0));
    check_trust(&one, Ok(1));
    check_trust(
        &format!("{one}\n{colons}  # the same, upper case with colons\n"),
        Ok(1),
    );
    check_trust(&format!("{one}\n{}\n", "cd".repeat(32)), Ok(2));
    check_trust(&format!("{one}\nnot a fingerprint\n"), Err(2));
    check_trust(&format!("{}\n", "ab".repeat(31)), Err(1));
    assert_eq!(
        read_trust("t.txt".into(), "# nothing\n".into()),
        Err(TrustProblem::Empty)
    );
    assert_eq!(
        read_trust("t.txt".into(), format!("{one}\nx\n")),
        Err(TrustProblem::BadLine(2))
    );
    assert_eq!(
        read_trust("t.txt".into(), one.clone()).map(|t| (t.name, t.count)),
        Ok(("t.txt".to_owned(), 1))
    );
}

/// `actions` applied in order to the empty page.
fn after(actions: impl IntoIterator<Item = VerifyAction>) -> VerifyState {
    actions
        .into_iter()
        .fold(VerifyState::default(), |state, action| {
            apply(&state, action)
        })
}

fn verified(run: u32) -> VerifyAction {
    VerifyAction::Verified {
        run,
        results: vec![serde_json::to_value(file_result()).expect("written")],
        csv: "\u{feff}file,verdict\n".into(),
    }
}

#[test]
fn a_run_reads_checks_and_shows_its_results() {
    let state = after([VerifyAction::Start(1)]);
    assert!(state.busy());
    assert_eq!(state.progress, (0, 0), "still reading the files");
    let state = apply(&state, VerifyAction::Read { run: 1, total: 3 });
    assert_eq!(state.progress, (0, 3));
    let state = apply(
        &state,
        VerifyAction::Checked {
            run: 1,
            done: 2,
            total: 3,
        },
    );
    assert_eq!(state.progress, (2, 3));
    let state = apply(&state, verified(1));
    assert!(!state.busy());
    let outcome = state.outcome.as_ref().expect("results");
    assert_eq!(outcome.results[0].file, "a.pdf");
    assert_eq!(outcome.csv, "\u{feff}file,verdict\n");
    // A new run clears the last one's results and message.
    let state = apply(&state, VerifyAction::Start(2));
    assert!(state.outcome.is_none() && state.message.is_none() && state.busy());
}

#[test]
fn answers_of_a_cancelled_or_older_run_are_dropped() {
    // Cancelled while the worker checks: its progress and answer change nothing.
    let cancelled = after([
        VerifyAction::Start(1),
        VerifyAction::Read { run: 1, total: 2 },
        VerifyAction::Cancel,
    ]);
    assert_eq!(cancelled.message, Some(Message::Cancelled));
    assert!(!cancelled.busy());
    let late = [
        VerifyAction::Checked {
            run: 1,
            done: 1,
            total: 2,
        },
        verified(1),
        VerifyAction::Failed {
            run: Some(1),
            detail: "terminated".into(),
        },
    ];
    for action in late.clone() {
        assert_eq!(apply(&cancelled, action), cancelled);
    }
    // Run 2 started after run 1: run 1's answers are dropped, run 2's are shown.
    let state = after([VerifyAction::Start(1), VerifyAction::Start(2)]);
    for action in late {
        assert_eq!(apply(&state, action), state);
    }
    assert!(apply(&state, verified(2)).outcome.is_some());
    // Cancel with nothing running says nothing.
    assert_eq!(
        apply(&VerifyState::default(), VerifyAction::Cancel),
        VerifyState::default()
    );
}

#[test]
fn failures_are_shown() {
    let failed = after([
        VerifyAction::Start(1),
        VerifyAction::Failed {
            run: Some(1),
            detail: "a.pdf: NotReadableError".into(),
        },
    ]);
    assert!(!failed.busy());
    assert_eq!(
        failed.message,
        Some(Message::Failed("a.pdf: NotReadableError".into()))
    );
    // Results the page cannot read: serde's words, no results.
    let bad = after([
        VerifyAction::Start(1),
        VerifyAction::Verified {
            run: 1,
            results: vec![serde_json::json!({"file": "a.pdf"})],
            csv: String::new(),
        },
    ]);
    assert!(bad.outcome.is_none());
    assert_eq!(
        bad.message,
        Some(Message::BadResult("missing field `verdict`".into()))
    );
    // Outside a run (a trust file that cannot be read): shown, nothing else changes.
    let outside = after([VerifyAction::Failed {
        run: None,
        detail: "t.txt: NotFoundError".into(),
    }]);
    assert_eq!(
        outside.message,
        Some(Message::Failed("t.txt: NotFoundError".into()))
    );
}

#[test]
fn a_trust_list_is_used_until_cleared_and_a_bad_one_is_named() {
    let one = "ab".repeat(32);
    let state = after([VerifyAction::Trust(read_trust("t.txt".into(), one.clone()))]);
    assert_eq!(*state.trust_text(), one);
    // A bad list is named and the good one stays in use.
    let state = apply(
        &state,
        VerifyAction::Trust(read_trust("u.txt".into(), "x".into())),
    );
    assert_eq!(state.trust_problem, Some(TrustProblem::BadLine(1)));
    assert_eq!(state.trust.as_ref().map(|t| t.name.as_str()), Some("t.txt"));
    let state = apply(&state, VerifyAction::ClearTrust);
    assert_eq!((state.trust.is_none(), state.trust_problem), (true, None));
    assert_eq!(*state.trust_text(), "");
}

/// `file_result()` with `verdict`, as the light verifier answers it (no proof).
fn first_verdict(run: u32, verdict: Verdict) -> VerifyAction {
    let mut result = file_result();
    result.report.verdict = verdict;
    result.proof = None;
    let mut other = result.clone();
    other.file = "b.pdf".into();
    other.report.verdict = Verdict::Invalid;
    VerifyAction::FirstVerdict {
        run,
        results: vec![
            serde_json::to_value(result).expect("written"),
            serde_json::to_value(other).expect("written"),
        ],
        csv: "\u{feff}first\n".into(),
    }
}

#[test]
fn a_first_verdict_is_shown_while_the_pages_are_compared_then_replaced() {
    let state = after([
        VerifyAction::Start(1),
        VerifyAction::Read { run: 1, total: 2 },
        first_verdict(1, Verdict::Valid),
    ]);
    // Still running: the report worker proves the pages.
    assert!(state.busy());
    let first = state.outcome.as_ref().expect("a first verdict");
    assert!(first.first);
    assert_eq!(first.results.len(), 2);
    // A valid first verdict is not counted as valid: it is pending.
    assert_eq!((first.count("valid"), first.pending()), (0, 1));
    assert_eq!(first.count("invalid"), 1);
    // The final answer replaces it and ends the run.
    let state = apply(&state, verified(1));
    assert!(!state.busy());
    let outcome = state.outcome.as_ref().expect("results");
    assert!(!outcome.first);
    assert_eq!(outcome.results.len(), 1);
    assert_eq!(outcome.csv, "\u{feff}file,verdict\n");
    assert_eq!((outcome.count("invalid"), outcome.pending()), (1, 0));
    // The report worker fails (offline before it was cached): the first verdict stays, labelled
    // as such, with the failure.
    let failed = after([
        VerifyAction::Start(1),
        first_verdict(1, Verdict::Valid),
        VerifyAction::Failed {
            run: Some(1),
            detail: "worker.js cannot be loaded".into(),
        },
    ]);
    assert!(!failed.busy());
    assert!(failed.outcome.as_ref().is_some_and(|outcome| outcome.first));
    assert_eq!(
        failed.message,
        Some(Message::Failed("worker.js cannot be loaded".into()))
    );
    // Cancelled after its first verdict: nothing is shown.
    let cancelled = after([
        VerifyAction::Start(1),
        first_verdict(1, Verdict::Valid),
        VerifyAction::Cancel,
    ]);
    assert!(cancelled.outcome.is_none() && !cancelled.busy());
    assert_eq!(cancelled.message, Some(Message::Cancelled));
    // A first verdict of a cancelled or older run is dropped.
    let cancelled = after([VerifyAction::Start(1), VerifyAction::Cancel]);
    assert_eq!(
        apply(&cancelled, first_verdict(1, Verdict::Valid)),
        cancelled
    );
    let newer = after([VerifyAction::Start(1), VerifyAction::Start(2)]);
    assert_eq!(apply(&newer, first_verdict(1, Verdict::Valid)), newer);
}
