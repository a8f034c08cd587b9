//! The hazard ledger: legal and illegal status transitions, the 五定 plan, overdue, validation of
//! histories read from files.

use time::macros::{date, datetime};
use zicha_core::checklist::{Item, Level};
use zicha_core::inspection::{AppliedDeduction, Response};
use zicha_core::ledger::{Hazard, Status, hazard_description};

fn general() -> Hazard {
    let mut hazard = Hazard::new(
        "H-1",
        "临边防护栏杆缺失",
        Level::General,
        "王建国",
        date!(2026 - 11 - 20),
    );
    hazard.rectification.measures = "补设防护栏杆并挂安全网".into();
    hazard.rectification.deadline = Some(date!(2026 - 11 - 25));
    hazard.rectification.responsible = "李志强".into();
    hazard
}

#[test]
fn the_legal_path_records_who_and_when() {
    let mut hazard = general();
    assert_eq!(hazard.status, Status::Pending);
    hazard
        .transition(
            Status::InProgress,
            "李志强",
            datetime!(2026-11-20 10:00 UTC),
            "开始整改",
            None,
        )
        .unwrap();
    hazard
        .transition(
            Status::AwaitingVerification,
            "李志强",
            datetime!(2026-11-21 09:00 UTC),
            "完成",
            None,
        )
        .unwrap();
    // A failed verification sends it back to 整改中.
    hazard
        .transition(
            Status::InProgress,
            "王建国",
            datetime!(2026-11-21 15:00 UTC),
            "网未挂好",
            Some(false),
        )
        .unwrap();
    hazard
        .transition(
            Status::AwaitingVerification,
            "李志强",
            datetime!(2026-11-22 09:00 UTC),
            "",
            None,
        )
        .unwrap();
    hazard
        .transition(
            Status::Closed,
            "王建国",
            datetime!(2026-11-22 11:00 UTC),
            "复查合格",
            Some(true),
        )
        .unwrap();
    assert_eq!(hazard.status, Status::Closed);
    let steps: Vec<_> = hazard
        .history
        .iter()
        .map(|t| (t.from, t.to, t.by.as_str()))
        .collect();
    assert_eq!(
        steps,
        vec![
            (Status::Pending, Status::InProgress, "李志强"),
            (Status::InProgress, Status::AwaitingVerification, "李志强"),
            (Status::AwaitingVerification, Status::InProgress, "王建国"),
            (Status::InProgress, Status::AwaitingVerification, "李志强"),
            (Status::AwaitingVerification, Status::Closed, "王建国"),
        ]
    );
    assert_eq!(hazard.closed_at(), Some(datetime!(2026-11-22 11:00 UTC)));
    assert_eq!(hazard.validate("hazards[0]"), Ok(()));
}

#[track_caller]
fn refused(hazard: &mut Hazard, to: Status, passed: Option<bool>, needle: &str) {
    let before = hazard.clone();
    let error = hazard
        .transition(to, "王建国", datetime!(2026-11-23 10:00 UTC), "", passed)
        .unwrap_err()
        .to_string();
    assert!(error.contains(needle), "{error}");
    assert_eq!(*hazard, before, "a refused transition changes nothing");
}

#[test]
fn illegal_transitions_are_errors() {
    let mut hazard = general();
    refused(
        &mut hazard,
        Status::Closed,
        Some(true),
        "cannot move from 待整改 to 已销号 (allowed: 整改中)",
    );
    refused(
        &mut hazard,
        Status::AwaitingVerification,
        None,
        "cannot move from 待整改 to 待验收",
    );
    refused(
        &mut hazard,
        Status::Pending,
        None,
        "cannot move from 待整改 to 待整改",
    );
    refused(
        &mut hazard,
        Status::InProgress,
        Some(true),
        "only a verification",
    );
    hazard
        .transition(
            Status::InProgress,
            "李志强",
            datetime!(2026-11-20 10:00 UTC),
            "",
            None,
        )
        .unwrap();
    refused(
        &mut hazard,
        Status::Closed,
        Some(true),
        "cannot move from 整改中 to 已销号",
    );
    hazard
        .transition(
            Status::AwaitingVerification,
            "李志强",
            datetime!(2026-11-21 10:00 UTC),
            "",
            None,
        )
        .unwrap();
    refused(
        &mut hazard,
        Status::Closed,
        None,
        "needs a verification result",
    );
    refused(
        &mut hazard,
        Status::Closed,
        Some(false),
        "needs a verification result that matches",
    );
    refused(
        &mut hazard,
        Status::InProgress,
        Some(true),
        "needs a verification result that matches",
    );
    hazard
        .transition(
            Status::Closed,
            "王建国",
            datetime!(2026-11-22 10:00 UTC),
            "",
            Some(true),
        )
        .unwrap();
    refused(
        &mut hazard,
        Status::InProgress,
        None,
        "allowed: none: the hazard is closed",
    );
}

#[test]
fn who_and_when_are_required_and_time_runs_forward() {
    let mut hazard = general();
    let error = hazard
        .transition(
            Status::InProgress,
            "  ",
            datetime!(2026-11-20 10:00 UTC),
            "",
            None,
        )
        .unwrap_err();
    assert!(error.to_string().contains("needs the name"), "{error}");
    // Before the day the hazard was found.
    let error = hazard
        .transition(
            Status::InProgress,
            "李",
            datetime!(2026-11-19 10:00 UTC),
            "",
            None,
        )
        .unwrap_err();
    assert!(error.to_string().contains("earlier than"), "{error}");
    hazard
        .transition(
            Status::InProgress,
            "李",
            datetime!(2026-11-21 10:00 UTC),
            "",
            None,
        )
        .unwrap();
    let error = hazard
        .transition(
            Status::AwaitingVerification,
            "李",
            datetime!(2026-11-21 09:59 UTC),
            "",
            None,
        )
        .unwrap_err();
    assert!(error.to_string().contains("earlier than"), "{error}");
}

#[test]
fn rectification_needs_the_plan_first() {
    let mut hazard = Hazard::new(
        "H-2",
        "基坑周边未设排水沟",
        Level::General,
        "王",
        date!(2026 - 11 - 20),
    );
    let error = hazard
        .transition(
            Status::InProgress,
            "李",
            datetime!(2026-11-20 10:00 UTC),
            "",
            None,
        )
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("rectification.measures, rectification.deadline, rectification.responsible"),
        "{error}"
    );
    // A 重大 hazard also needs funds and an emergency plan (五到位: 措施、资金、期限、责任人、预案).
    let mut major = general();
    major.level = Level::Major;
    assert!(major.supervised(), "重大 hazards are flagged for 挂牌督办");
    assert!(!general().supervised());
    assert_eq!(
        major.missing_plan_fields(),
        vec!["rectification.funds_yuan", "rectification.plan"]
    );
    major.rectification.funds_yuan = Some(20_000);
    major.rectification.plan = "撤出作业人员，设警戒区".into();
    major
        .transition(
            Status::InProgress,
            "李",
            datetime!(2026-11-20 10:00 UTC),
            "",
            None,
        )
        .unwrap();
}

#[test]
fn overdue_against_a_given_date() {
    let mut hazard = general(); // deadline 2026-11-25
    assert!(
        !hazard.is_overdue(date!(2026 - 11 - 25)),
        "due today is not overdue"
    );
    assert!(hazard.is_overdue(date!(2026 - 11 - 26)));
    hazard.rectification.deadline = None;
    assert!(
        !hazard.is_overdue(date!(2027 - 01 - 01)),
        "no deadline, nothing to be late for"
    );
    let mut closed = general();
    closed
        .transition(
            Status::InProgress,
            "李",
            datetime!(2026-11-20 10:00 UTC),
            "",
            None,
        )
        .unwrap();
    closed
        .transition(
            Status::AwaitingVerification,
            "李",
            datetime!(2026-11-20 11:00 UTC),
            "",
            None,
        )
        .unwrap();
    closed
        .transition(
            Status::Closed,
            "王",
            datetime!(2026-11-20 12:00 UTC),
            "",
            Some(true),
        )
        .unwrap();
    assert!(
        !closed.is_overdue(date!(2026 - 12 - 31)),
        "a closed hazard is never overdue"
    );
}

#[test]
fn histories_read_from_files_are_replayed() {
    let mut hazard = general();
    hazard
        .transition(
            Status::InProgress,
            "李",
            datetime!(2026-11-20 10:00 UTC),
            "",
            None,
        )
        .unwrap();
    // The status claims more than the history shows.
    let mut forged = hazard.clone();
    forged.status = Status::Closed;
    assert_eq!(
        forged.validate("hazards[3]").unwrap_err().to_string(),
        "hazards[3].status: is 已销号, but the history ends in 整改中"
    );
    // A step that skips 待验收.
    let mut forged = hazard.clone();
    forged.history[0].to = Status::Closed;
    forged.status = Status::Closed;
    let error = forged.validate("hazards[0]").unwrap_err().to_string();
    assert!(
        error.starts_with("hazards[0].history[0]: hazard H-1: cannot move from 待整改 to 已销号"),
        "{error}"
    );
    // JSON round trip keeps everything, with Chinese status names.
    let json = serde_json::to_string(&hazard).unwrap();
    assert!(
        json.contains("\"status\":\"整改中\"") && json.contains("\"found_at\":\"2026-11-20\""),
        "{json}"
    );
    assert_eq!(serde_json::from_str::<Hazard>(&json).unwrap(), hazard);
}

#[test]
fn the_path_from_pending_reaches_every_status_legally() {
    for target in Status::ALL {
        let mut hazard = general();
        let mut at = datetime!(2026-11-20 10:00 UTC);
        for (to, passed) in target.path_from_pending() {
            at += time::Duration::hours(1);
            hazard.transition(*to, "李志强", at, "", *passed).unwrap();
        }
        assert_eq!(hazard.status, target);
        assert_eq!(hazard.history.len(), target.path_from_pending().len());
    }
}

fn item(id: &str) -> Item {
    let (checklist, problems) = zicha_core::checklist::parse(CHECKLIST);
    assert!(problems.is_empty(), "{problems:?}");
    checklist.unwrap().item(id).unwrap().clone()
}

const CHECKLIST: &str = r#"
format = 1
id = "t"
version = "1"
sector = "generic"
title_zh = "测试"
title_en = "Test"

[[standards]]
code = "GB/T 33000-2016"
title = "企业安全生产标准化基本规范"

[[sections]]
id = "s"
title_zh = "部分"
max_points = 30

[[sections.items]]
id = "check"
text_zh = "深基坑施工进行了第三方监测。"
hazard_zh = "深基坑施工未进行第三方监测。"
kind = "check"
points = 10
clause = "GB/T 33000-2016 5.1"
verified = false

[[sections.items]]
id = "measure"
text_zh = "漏电保护器额定动作电流不大于30 mA"
hazard_zh = "漏电保护器额定动作电流超过30 mA"
kind = "measurement"
unit = "mA"
max = 30
points = 10
clause = "GB/T 33000-2016 5.2"
verified = false

[[sections.items]]
id = "deduct"
text_zh = "安全生产责任制：建立并签字确认，专职安全员配足"
kind = "deduction"
points = 10
clause = "GB/T 33000-2016 5.3"
verified = false
deductions = [
  { text = "未建立安全生产责任制", min = 10, max = 10 },
  { text = "责任制没有责任人签字确认", min = 3, max = 3 },
  { text = "专职安全员未按规定配足", min = 2, max = 5, per = "人" },
]

[[sections.items]]
id = "unscored"
text_zh = "设置了安全宣传栏"
kind = "check"
points = 0
clause = "GB/T 33000-2016 5.4"
verified = false
"#;

#[track_caller]
fn check_description(item_id: &str, response: Option<Response>, expected: &str) {
    assert_eq!(
        hazard_description(&item(item_id), response.as_ref()),
        expected
    );
}

#[test]
fn hazards_are_worded_as_found() {
    check_description(
        "check",
        Some(Response::NonConform),
        "深基坑施工未进行第三方监测",
    );
    check_description("check", None, "深基坑施工未进行第三方监测");
    check_description(
        "measure",
        Some(Response::Measured { value: 75.0 }),
        "漏电保护器额定动作电流超过30 mA（实测75mA，应不大于30mA）",
    );
    let applied = |rule, points, count| AppliedDeduction {
        rule,
        points,
        count,
    };
    check_description(
        "deduct",
        Some(Response::Deducted {
            deductions: vec![applied(1, 3.0, 1), applied(2, 2.0, 2)],
        }),
        "安全生产责任制：责任制没有责任人签字确认；专职安全员未按规定配足（2人）",
    );
    // An unscored 一般 item may go without hazard wording: it still says the requirement was not met.
    check_description(
        "unscored",
        Some(Response::NonConform),
        "未符合要求：设置了安全宣传栏",
    );
}

#[test]
fn a_hazard_from_an_item_carries_its_words_level_and_clause() {
    let hazard = Hazard::from_item(
        "H-2026-001",
        &item("check"),
        Some(&Response::NonConform),
        "王伟",
        date!(2026 - 01 - 01),
    );
    assert_eq!(hazard.description, "深基坑施工未进行第三方监测");
    assert_eq!(hazard.item.as_deref(), Some("check"));
    assert_eq!(hazard.level, Level::General);
    assert_eq!(hazard.basis, "GB/T 33000-2016 5.1");
    assert_eq!(hazard.status, Status::Pending);
}
