//! The hazard ledger: legal and illegal status transitions, the 五定 plan, the 重大 lifecycle
//! (治理方案, 挂牌督办, 验收 by someone else, 销号 record), 即查即改, overdue, validation of histories
//! read from files (including hazards recorded before the issue 11 §8 rules).

use time::macros::{date, datetime};
use zicha_core::checklist::{Item, Level};
use zicha_core::hash::Sha256;
use zicha_core::inspection::{Answer, AppliedDeduction, Response};
use zicha_core::ledger::{
    Category, Closure, GovernancePlan, Hazard, Status, Supervision, SupervisionLevel,
    hazard_description,
};

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
    hazard.rectification.acceptance_standard = "防护栏杆高度不低于1.2 m，挂密目安全网".into();
    hazard.rectification.interim_measures = "设置警戒带，禁止人员靠近临边".into();
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
    assert_eq!(
        error.to_string(),
        "hazard H-2: rectification cannot start before the plan has rectification.measures, \
         rectification.acceptance_standard, rectification.deadline, rectification.responsible, \
         rectification.interim_measures"
    );
    // A 重大 hazard also needs funds and the six parts of its 治理方案.
    let mut major = general();
    major.level = Level::Major;
    assert!(major.supervised(), "重大 hazards are flagged for 挂牌督办");
    assert!(!general().supervised());
    assert_eq!(
        major.missing_plan_fields(),
        vec![
            "rectification.funds_yuan",
            "governance_plan.goals_and_tasks",
            "governance_plan.methods_and_measures",
            "governance_plan.funds_and_materials",
            "governance_plan.organisation_and_people",
            "governance_plan.schedule_and_requirements",
            "governance_plan.safety_and_emergency",
        ]
    );
    major.rectification.funds_yuan = Some(20_000);
    major.governance_plan = plan();
    major.governance_plan.funds_and_materials = " ".into();
    let error = major
        .transition(
            Status::InProgress,
            "李",
            datetime!(2026-11-20 10:00 UTC),
            "",
            None,
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "hazard H-1: rectification cannot start before the plan has governance_plan.funds_and_materials"
    );
    major.governance_plan = plan();
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
            let by = if passed.is_some() {
                "王建国"
            } else {
                "李志强"
            };
            hazard.transition(*to, by, at, "", *passed).unwrap();
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

#[test]
fn a_hazard_from_an_answer_keeps_the_photos_taken_when_answering() {
    let photo = Sha256::of(b"photo of the unsupported trench");
    let mut answer = Answer::new(Response::NonConform);
    answer.photos = vec![photo];
    let hazard = Hazard::from_answer(
        "H-2026-002",
        &item("check"),
        Some(&answer),
        "王伟",
        date!(2026 - 01 - 01),
    );
    assert_eq!(hazard.description, "深基坑施工未进行第三方监测");
    assert_eq!(hazard.photos_before, vec![photo]);
    assert!(hazard.photos_after.is_empty());
    let without = Hazard::from_answer(
        "H-2026-003",
        &item("check"),
        None,
        "王伟",
        date!(2026 - 01 - 01),
    );
    assert!(without.photos_before.is_empty());
}

fn plan() -> GovernancePlan {
    GovernancePlan {
        goals_and_tasks: "消除深基坑支护变形隐患".into(),
        methods_and_measures: "加设钢支撑，坡顶卸载".into(),
        funds_and_materials: "8万元，H型钢20 t".into(),
        organisation_and_people: "项目部，项目经理张伟负责".into(),
        schedule_and_requirements: "2026-12-05前完成，每日监测".into(),
        safety_and_emergency: "坑边5 m内禁止堆载，撤出坑内人员，编制坍塌应急预案".into(),
    }
}

/// A 重大 hazard with its whole plan, started by the responsible person and submitted for 验收.
fn major_awaiting_verification() -> Hazard {
    let mut hazard = general();
    hazard.level = Level::Major;
    hazard.rectification.funds_yuan = Some(80_000);
    hazard.governance_plan = plan();
    hazard
        .transition(
            Status::InProgress,
            "李志强",
            datetime!(2026-11-20 10:00 UTC),
            "",
            None,
        )
        .unwrap();
    hazard
        .transition(
            Status::AwaitingVerification,
            "赵磊",
            datetime!(2026-11-24 10:00 UTC),
            "支撑已加设",
            None,
        )
        .unwrap();
    hazard
}

fn closure() -> Closure {
    Closure {
        evaluation: "支撑体系稳定，连续3日监测位移小于预警值，隐患消除".into(),
        reported_on: Some(date!(2026 - 11 - 25)),
        reported_to: "滨江区住房和城乡建设局".into(),
    }
}

#[track_caller]
fn verification_refused(hazard: &Hazard, by: &str, passed: bool, expected: &str) {
    let mut attempt = hazard.clone();
    let to = if passed {
        Status::Closed
    } else {
        Status::InProgress
    };
    let error = attempt
        .transition(to, by, datetime!(2026-11-26 09:00 UTC), "", Some(passed))
        .unwrap_err();
    assert_eq!(error.to_string(), expected);
    assert_eq!(attempt, *hazard, "a refused verification changes nothing");
}

#[test]
fn verification_is_by_someone_other_than_who_rectified() {
    let mut hazard = major_awaiting_verification();
    hazard.closure = closure();
    // The person responsible (李志强) and the person who submitted it (赵磊, history[1]) may not
    // verify it, whether it passes or fails; names are compared without surrounding blanks.
    verification_refused(
        &hazard,
        "李志强",
        true,
        "hazard H-1: 验收 by 李志强 refused: rectification.responsible is 李志强; \
         the person responsible for the rectification cannot verify it",
    );
    verification_refused(
        &hazard,
        " 李志强 ",
        false,
        "hazard H-1: 验收 by 李志强 refused: rectification.responsible is 李志强; \
         the person responsible for the rectification cannot verify it",
    );
    verification_refused(
        &hazard,
        "赵磊",
        true,
        "hazard H-1: 验收 by 赵磊 refused: history[1].by is 赵磊, who submitted it for 验收; \
         someone else must verify it",
    );
    verification_refused(
        &hazard,
        "赵磊",
        false,
        "hazard H-1: 验收 by 赵磊 refused: history[1].by is 赵磊, who submitted it for 验收; \
         someone else must verify it",
    );
    assert_eq!(
        ["李志强", "赵磊", " ", "王建国"].map(|by| hazard.may_verify(by)),
        [false, false, false, true]
    );
    // After a failed verification the later submitter counts: 赵磊 may now verify.
    hazard
        .transition(
            Status::InProgress,
            "王建国",
            datetime!(2026-11-25 09:00 UTC),
            "监测数据不全",
            Some(false),
        )
        .unwrap();
    hazard
        .transition(
            Status::AwaitingVerification,
            "钱进",
            datetime!(2026-11-25 15:00 UTC),
            "",
            None,
        )
        .unwrap();
    verification_refused(
        &hazard,
        "钱进",
        true,
        "hazard H-1: 验收 by 钱进 refused: history[3].by is 钱进, who submitted it for 验收; \
         someone else must verify it",
    );
    hazard
        .transition(
            Status::Closed,
            "赵磊",
            datetime!(2026-11-26 09:00 UTC),
            "",
            Some(true),
        )
        .unwrap();
}

#[test]
fn a_major_hazard_closes_only_with_its_closure_record() {
    let hazard = major_awaiting_verification();
    verification_refused(
        &hazard,
        "王建国",
        true,
        "hazard H-1: a 重大 hazard is closed (销号) only with closure.evaluation, \
         closure.reported_on, closure.reported_to",
    );
    let mut partial = hazard.clone();
    partial.closure = Closure {
        reported_to: "滨江区住房和城乡建设局".into(),
        ..closure()
    };
    partial.closure.evaluation = String::new();
    verification_refused(
        &partial,
        "王建国",
        true,
        "hazard H-1: a 重大 hazard is closed (销号) only with closure.evaluation",
    );
    let mut early = hazard.clone();
    early.closure = Closure {
        reported_on: Some(date!(2026 - 11 - 19)),
        ..closure()
    };
    verification_refused(
        &early,
        "王建国",
        true,
        "hazard H-1: closure.reported_on 2026-11-19 is before the hazard was found (2026-11-20)",
    );
    let mut late = hazard.clone();
    late.closure = Closure {
        reported_on: Some(date!(2026 - 11 - 27)),
        ..closure()
    };
    verification_refused(
        &late,
        "王建国",
        true,
        "hazard H-1: closure.reported_on 2026-11-27 is after the 销号 (2026-11-26)",
    );
    // A failed verification needs no closure record, and a 一般 hazard closes without one.
    let mut failed = hazard.clone();
    failed
        .transition(
            Status::InProgress,
            "王建国",
            datetime!(2026-11-26 09:00 UTC),
            "",
            Some(false),
        )
        .unwrap();
    let mut general = hazard;
    general.level = Level::General;
    general
        .transition(
            Status::Closed,
            "王建国",
            datetime!(2026-11-26 09:00 UTC),
            "",
            Some(true),
        )
        .unwrap();
}

#[test]
fn the_whole_major_path() {
    let mut hazard = major_awaiting_verification();
    hazard.category = Some(Category::UnsafeCondition);
    hazard.supervision = Some(Supervision {
        authority: "滨江区住房和城乡建设局".into(),
        level: SupervisionLevel::County,
        document_no: "滨建督〔2026〕7号".into(),
        deadline: Some(date!(2026 - 12 - 05)),
        delisted_on: None,
        delisted_by: String::new(),
    });
    hazard.closure = closure();
    hazard
        .transition(
            Status::Closed,
            "王建国",
            datetime!(2026-11-26 09:00 UTC),
            "复查合格",
            Some(true),
        )
        .unwrap();
    if let Some(supervision) = &mut hazard.supervision {
        supervision.delisted_on = Some(date!(2026 - 11 - 28));
        supervision.delisted_by = "滨江区住房和城乡建设局".into();
    }
    assert!(hazard.supervised());
    assert!(!hazard.fixed_on_the_spot());
    assert_eq!(hazard.closed_at(), Some(datetime!(2026-11-26 09:00 UTC)));
    let steps: Vec<_> = hazard
        .history
        .iter()
        .map(|t| (t.to, t.by.as_str(), t.verification_passed))
        .collect();
    assert_eq!(
        steps,
        vec![
            (Status::InProgress, "李志强", None),
            (Status::AwaitingVerification, "赵磊", None),
            (Status::Closed, "王建国", Some(true)),
        ]
    );
    assert_eq!(hazard.validate("hazards[0]"), Ok(()));
    // Everything goes through JSON with Chinese names for the enums.
    let json = serde_json::to_string(&hazard).unwrap();
    for expected in [
        "\"category\":\"物的不安全状态\"",
        "\"level\":\"县级\"",
        "\"document_no\":\"滨建督〔2026〕7号\"",
        "\"delisted_on\":\"2026-11-28\"",
        "\"reported_on\":\"2026-11-25\"",
        "\"safety_and_emergency\":\"坑边5 m内禁止堆载",
        "\"acceptance_standard\":\"防护栏杆高度不低于1.2 m",
        "\"interim_measures\":\"设置警戒带",
    ] {
        assert!(json.contains(expected), "{expected} in {json}");
    }
    assert_eq!(serde_json::from_str::<Hazard>(&json).unwrap(), hazard);
}

#[test]
fn fixed_on_the_spot_closes_in_one_step() {
    let photo = Sha256::of(b"after");
    let mut hazard = Hazard::new(
        "H-3",
        "配电箱门未关闭",
        Level::General,
        "王建国",
        date!(2026 - 11 - 20),
    );
    // No 五定 plan is needed for what is fixed while the inspector watches.
    hazard
        .fix_on_the_spot(
            "王建国",
            datetime!(2026-11-20 10:30 UTC),
            "当场关闭并上锁",
            photo,
        )
        .unwrap();
    assert_eq!(hazard.status, Status::Closed);
    assert!(hazard.fixed_on_the_spot());
    assert_eq!(hazard.photos_after, vec![photo]);
    let steps: Vec<_> = hazard
        .history
        .iter()
        .map(|t| {
            (
                t.from,
                t.to,
                t.by.as_str(),
                t.note.as_str(),
                t.verification_passed,
                t.on_the_spot,
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            (
                Status::Pending,
                Status::InProgress,
                "王建国",
                "",
                None,
                true
            ),
            (
                Status::InProgress,
                Status::AwaitingVerification,
                "王建国",
                "",
                None,
                true
            ),
            (
                Status::AwaitingVerification,
                Status::Closed,
                "王建国",
                "当场关闭并上锁",
                Some(true),
                true
            ),
        ]
    );
    assert_eq!(hazard.closed_at(), Some(datetime!(2026-11-20 10:30 UTC)));
    assert_eq!(hazard.validate("hazards[2]"), Ok(()));
    let json = serde_json::to_string(&hazard).unwrap();
    assert_eq!(json.matches("\"on_the_spot\":true").count(), 3, "{json}");
}

#[track_caller]
fn on_the_spot_refused(hazard: &Hazard, by: &str, expected: &str) {
    let mut attempt = hazard.clone();
    let error = attempt
        .fix_on_the_spot(
            by,
            datetime!(2026-11-21 10:00 UTC),
            "",
            Sha256::of(b"after"),
        )
        .unwrap_err();
    assert_eq!(error.to_string(), expected);
    assert_eq!(attempt, *hazard, "a refused 即查即改 changes nothing");
}

#[test]
fn fixed_on_the_spot_is_refused_for_major_and_started_hazards() {
    let mut major = general();
    major.level = Level::Major;
    on_the_spot_refused(
        &major,
        "王建国",
        "hazard H-1: 即查即改 is for 一般 hazards: level is 重大, \
         which needs a 治理方案 and 验收 by someone else",
    );
    on_the_spot_refused(
        &general(),
        " ",
        "hazard H-1: a status change needs the name of who made it",
    );
    let mut started = general();
    started
        .transition(
            Status::InProgress,
            "李志强",
            datetime!(2026-11-20 10:00 UTC),
            "",
            None,
        )
        .unwrap();
    on_the_spot_refused(
        &started,
        "王建国",
        "hazard H-1: 即查即改 starts from 待整改, but the hazard is 整改中",
    );
}

#[track_caller]
fn invalid(hazard: &Hazard, expected: &str) {
    assert_eq!(
        hazard.validate("hazards[1]").unwrap_err().to_string(),
        expected
    );
}

#[test]
fn the_new_records_are_checked_where_the_data_has_them() {
    let mut fixed = general();
    fixed
        .fix_on_the_spot(
            "王建国",
            datetime!(2026-11-20 10:30 UTC),
            "",
            Sha256::of(b"after"),
        )
        .unwrap();
    let mut no_photo = fixed.clone();
    no_photo.photos_after.clear();
    invalid(
        &no_photo,
        "hazards[1].photos_after: must not be empty: 即查即改 closes with an after-photo",
    );
    let mut major = fixed.clone();
    major.level = Level::Major;
    invalid(
        &major,
        "hazards[1].level: is 重大, but 即查即改 is for 一般 hazards only",
    );
    let mut partial = fixed.clone();
    partial.history[1].on_the_spot = false;
    invalid(
        &partial,
        "hazards[1].history[1].on_the_spot: 即查即改 is the first three steps together: 整改中, 待验收, 已销号",
    );
    let mut short = fixed.clone();
    short.history.truncate(1);
    short.status = Status::InProgress;
    invalid(
        &short,
        "hazards[1].history[0].on_the_spot: 即查即改 is the first three steps together: 整改中, 待验收, 已销号",
    );

    // A 治理方案 that is filled in must have been complete when rectification started.
    let mut plan_gap = major_awaiting_verification();
    plan_gap.governance_plan.goals_and_tasks.clear();
    invalid(
        &plan_gap,
        "hazards[1].history[0]: hazard H-1: rectification cannot start before the plan has \
         governance_plan.goals_and_tasks",
    );
    // A closed 重大 hazard with a 销号 record has all of it.
    let mut closed = major_awaiting_verification();
    closed.closure = closure();
    closed
        .transition(
            Status::Closed,
            "王建国",
            datetime!(2026-11-26 09:00 UTC),
            "",
            Some(true),
        )
        .unwrap();
    assert_eq!(closed.validate("hazards[1]"), Ok(()));
    let mut gap = closed.clone();
    gap.closure.reported_to.clear();
    invalid(
        &gap,
        "hazards[1].closure.reported_to: must not be empty: a closed 重大 hazard's 销号 record is complete",
    );
    let mut late = closed.clone();
    late.closure.reported_on = Some(date!(2026 - 11 - 30));
    invalid(
        &late,
        "hazards[1].history[2]: hazard H-1: closure.reported_on 2026-11-30 is after the 销号 (2026-11-26)",
    );

    // 挂牌督办 names its authority; 摘牌 has both a date and who.
    let supervision = Supervision {
        authority: "市应急管理局".into(),
        level: SupervisionLevel::City,
        document_no: String::new(),
        deadline: None,
        delisted_on: None,
        delisted_by: String::new(),
    };
    #[track_caller]
    fn supervised(supervision: &Supervision, expected: &str) {
        let mut hazard = general();
        hazard.supervision = Some(supervision.clone());
        invalid(&hazard, expected);
    }
    supervised(
        &Supervision {
            authority: " ".into(),
            ..supervision.clone()
        },
        "hazards[1].supervision.authority: must not be empty: 挂牌督办 names the authority that supervises it",
    );
    supervised(
        &Supervision {
            delisted_on: Some(date!(2026 - 11 - 28)),
            ..supervision.clone()
        },
        "hazards[1].supervision.delisted_by: must not be empty when supervision.delisted_on is set (摘牌: date and who)",
    );
    supervised(
        &Supervision {
            delisted_by: "市应急管理局".into(),
            ..supervision.clone()
        },
        "hazards[1].supervision.delisted_on: must be set when supervision.delisted_by is (摘牌: date and who)",
    );
    supervised(
        &Supervision {
            delisted_on: Some(date!(2026 - 11 - 19)),
            delisted_by: "市应急管理局".into(),
            ..supervision.clone()
        },
        "hazards[1].supervision.delisted_on: 2026-11-19 is before the hazard was found (2026-11-20)",
    );
    let mut listed_general = general();
    listed_general.supervision = Some(supervision);
    assert!(
        listed_general.supervised(),
        "a listed 一般 hazard is supervised too"
    );
    assert_eq!(listed_general.validate("hazards[1]"), Ok(()));
}

/// A closed 重大 hazard as Zicha wrote it before issue 11 §8: no 定标准, no interim measures, no
/// 治理方案 (only `rectification.plan`), no 销号 record, and every step by one person (the app
/// offered the safety lead as the operator of every change).
const OLD_MAJOR: &str = r#"{
  "id": "H-2026-001",
  "description": "深基坑施工未进行第三方监测",
  "location": "1#楼东侧",
  "level": "重大",
  "item": "b1-01",
  "basis": "建质规〔2022〕2号 第七条",
  "found_by": "王伟",
  "found_at": "2026-01-15",
  "rectification": {
    "measures": "委托第三方监测",
    "funds_yuan": 20000,
    "deadline": "2026-01-20",
    "responsible": "王伟",
    "plan": "撤出坑内作业人员"
  },
  "status": "已销号",
  "history": [
    {"from": "待整改", "to": "整改中", "by": "王伟", "at": "2026-01-15T10:00:00+08:00"},
    {"from": "整改中", "to": "待验收", "by": "王伟", "at": "2026-01-18T10:00:00+08:00"},
    {"from": "待验收", "to": "已销号", "by": "王伟", "at": "2026-01-19T10:00:00+08:00",
     "note": "复查合格", "verification_passed": true}
  ]
}"#;

#[test]
fn hazards_recorded_before_the_new_rules_still_validate() {
    let hazard: Hazard = serde_json::from_str(OLD_MAJOR).unwrap();
    assert_eq!(hazard.validate("hazards[0]"), Ok(()));
    assert_eq!(hazard.category, None);
    assert_eq!(hazard.governance_plan, GovernancePlan::default());
    assert_eq!(hazard.supervision, None);
    assert_eq!(hazard.closure, Closure::default());
    assert_eq!(hazard.rectification.acceptance_standard, "");
    assert_eq!(hazard.rectification.interim_measures, "");
    assert!(hazard.history.iter().all(|step| !step.on_the_spot));
    assert!(hazard.supervised() && !hazard.fixed_on_the_spot());
    // Written again, it has the same shape: no empty new fields appear.
    let written: serde_json::Value = serde_json::to_value(&hazard).unwrap();
    let read: serde_json::Value = serde_json::from_str(OLD_MAJOR).unwrap();
    assert_eq!(written, read);
    // The old rule still holds: a 重大 hazard without 治理方案 needed rectification.plan.
    let mut no_plan = hazard;
    no_plan.rectification.plan.clear();
    assert_eq!(
        no_plan.validate("hazards[0]").unwrap_err().to_string(),
        "hazards[0].history[0]: hazard H-2026-001: rectification cannot start before the plan has rectification.plan"
    );
}

#[test]
fn categories_have_chinese_names() {
    let names: Vec<String> = Category::ALL
        .iter()
        .map(|category| serde_json::to_string(category).unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "\"人的不安全行为\"",
            "\"物的不安全状态\"",
            "\"管理缺陷\"",
            "\"环境因素\""
        ]
    );
    for category in Category::ALL {
        assert_eq!(
            format!("\"{}\"", category.zh()),
            serde_json::to_string(&category).unwrap()
        );
    }
    assert!(serde_json::from_str::<Category>("\"其他\"").is_err());
}
