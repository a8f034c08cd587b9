//! The hazard ledger (一患一档一策): one block per hazard with what, where, level and 类别, the 五定
//! (with 定标准 and the interim measures), a 重大 hazard's 治理方案 in its six parts and its 挂牌督办
//! record with the 摘牌, the 销号 record (治理效果评估, report to the regulator), the status history
//! (即查即改 marked) and the photos before and after.

use zicha_core::checklist::Level;
use zicha_core::ledger::{Hazard, Status};

use crate::canvas::{
    Align, BLACK, BLUE, BODY, Cell, LEFT, RED, SMALL, WHITE, WIDTH, col, line_height,
};
use crate::report::{Report, date, date_time, num};

pub(crate) fn ledger(report: &mut Report<'_>) {
    report
        .canvas
        .heading("三、隐患排查治理台账（一患一档一策）", 40.0);
    let hazards = report.bundle.data.hazards.clone();
    if hazards.is_empty() {
        report
            .canvas
            .paragraph(0.0, BODY, "本次检查未登记隐患。", BLACK);
        return;
    }
    let as_of = report.options.as_of;
    for hazard in &hazards {
        // The title bar, kept with the first rows of the block.
        let bar_h = line_height(11.0) + 2.0;
        report.canvas.ensure(bar_h + 40.0);
        if report.canvas.y > crate::canvas::TOP {
            report.canvas.y += 3.0;
        }
        let top = report.canvas.y;
        let major = hazard.level == Level::Major;
        let overdue = hazard.is_overdue(as_of);
        report
            .canvas
            .fill_rect(LEFT, top, WIDTH, bar_h, if major { RED } else { BLUE });
        let mut title = format!(
            "{}　{}事故隐患　{}",
            hazard.id,
            hazard.level.zh(),
            hazard.status.zh()
        );
        if hazard.supervised() {
            title.push_str("　【挂牌督办】");
        }
        if overdue {
            title.push_str("　【已逾期】");
        }
        if hazard.fixed_on_the_spot() {
            title.push_str("　【即查即改】");
        }
        report
            .canvas
            .text_styled(LEFT + 2.0, top + 1.0, 11.0, &title, WHITE, true);
        report.canvas.y = top + bar_h;

        let plan = &hazard.rectification;
        let mut rows: Vec<(&str, String)> = vec![
            ("隐患描述", hazard.description.clone()),
            ("隐患部位", hazard.location.clone()),
            (
                "隐患等级",
                if major {
                    "重大事故隐患（挂牌督办）".to_owned()
                } else {
                    "一般事故隐患".to_owned()
                },
            ),
        ];
        if let Some(item) = &hazard.item {
            let text = report
                .checklist
                .item(item)
                .map(|item| format!("{}　{}", item.id, item.text_zh))
                .unwrap_or_else(|| item.clone());
            rows.push(("关联检查项", text));
        }
        if !hazard.basis.trim().is_empty() {
            rows.push(("依据", hazard.basis.clone()));
        }
        rows.push((
            "隐患类别",
            hazard
                .category
                .map_or(String::new(), |category| category.zh().to_owned()),
        ));
        rows.push((
            "发现人 / 日期",
            format!("{}　{}", hazard.found_by, date(hazard.found_at)),
        ));
        rows.push(("整改措施", plan.measures.clone()));
        rows.push(("验收标准", plan.acceptance_standard.clone()));
        rows.push((
            "整改资金",
            plan.funds_yuan
                .map_or("—".to_owned(), |yuan| format!("{} 元", num(yuan as f64))),
        ));
        let deadline = match plan.deadline {
            Some(deadline) if overdue => format!(
                "{}（截至 {} 已逾期 {} 天）",
                date(deadline),
                date(as_of),
                (as_of - deadline).whole_days()
            ),
            Some(deadline) => date(deadline),
            None => "—".to_owned(),
        };
        rows.push(("整改期限", deadline));
        rows.push(("整改责任人", plan.responsible.clone()));
        rows.push(("应急预案 / 安全措施", plan.plan.clone()));
        if !hazard.fixed_on_the_spot() {
            rows.push(("临时管控措施", plan.interim_measures.clone()));
        }
        if major || !hazard.governance_plan.is_empty() {
            let parts: Vec<String> = hazard
                .governance_plan
                .parts()
                .iter()
                .filter(|(_, _, text)| !text.trim().is_empty())
                .map(|(_, title, text)| format!("{title}：{}", text.trim()))
                .collect();
            rows.push(("治理方案", parts.join("\n")));
        }
        if hazard.supervised() {
            rows.push(("挂牌督办", supervision(hazard)));
        }
        if !hazard.closure.is_empty() || (major && hazard.status == Status::Closed) {
            let closure = &hazard.closure;
            rows.push(("治理效果评估", closure.evaluation.clone()));
            let reported = match (closure.reported_on, closure.reported_to.trim()) {
                (None, "") => String::new(),
                (on, to) => format!(
                    "{}　{}",
                    on.map_or("日期未填".to_owned(), date),
                    if to.is_empty() {
                        "报告对象未填"
                    } else {
                        to
                    }
                ),
            };
            rows.push(("报告监管部门", reported));
        }
        let history: Vec<String> = hazard
            .history
            .iter()
            .map(|step| {
                let verification = match (step.verification_passed, step.on_the_spot) {
                    (Some(true), true) => "（即查即改，当场确认）",
                    (_, true) => "（即查即改）",
                    (Some(true), false) => "（验收通过）",
                    (Some(false), false) => "（验收未通过）",
                    (None, false) => "",
                };
                let note = if step.note.is_empty() {
                    String::new()
                } else {
                    format!("：{}", step.note)
                };
                format!(
                    "{}　{} → {}{verification}　{}{note}",
                    date_time(step.at),
                    step.from.zh(),
                    step.to.zh(),
                    step.by
                )
            })
            .collect();
        rows.push((
            "状态记录",
            if history.is_empty() {
                format!("{}　登记，待整改", date(hazard.found_at))
            } else {
                history.join("\n")
            },
        ));
        let label = format!("隐患 {}", hazard.id);
        let cells: Vec<Vec<Cell>> = rows
            .into_iter()
            .map(|(name, value)| {
                let value = if value.trim().is_empty() {
                    "—".to_owned()
                } else {
                    report.cell_note(&format!("{label} {name}"), &value, 600)
                };
                let color = match name {
                    "整改期限" if overdue => Some(RED),
                    "隐患等级" if major => Some(RED),
                    _ => None,
                };
                vec![
                    Cell {
                        text: name.to_owned(),
                        bold: true,
                        ..Cell::default()
                    },
                    Cell {
                        text: value,
                        color,
                        ..Cell::default()
                    },
                ]
            })
            .collect();
        report.canvas.table_without_header(
            &[
                col("", 32.0, Align::Left),
                col("", WIDTH - 32.0, Align::Left),
            ],
            &cells,
            SMALL,
        );
        for (photos, what) in [
            (&hazard.photos_before, "整改前"),
            (&hazard.photos_after, "整改后"),
        ] {
            if photos.is_empty() {
                continue;
            }
            let labelled: Vec<_> = photos
                .iter()
                .enumerate()
                .map(|(idx, sha256)| (*sha256, format!("{} {what} {}", hazard.id, idx + 1)))
                .collect();
            report.photo_row(&labelled);
        }
    }
}

/// The 挂牌督办 line: level, authority, document number and deadline, then the 摘牌; for a 重大
/// hazard that no authority has listed yet, says so.
fn supervision(hazard: &Hazard) -> String {
    let Some(supervision) = &hazard.supervision else {
        return "重大事故隐患，尚未登记督办单位".to_owned();
    };
    let mut line = format!(
        "{}　{}",
        supervision.level.zh(),
        supervision.authority.trim()
    );
    if !supervision.document_no.trim().is_empty() {
        line.push_str(&format!("　{}", supervision.document_no.trim()));
    }
    if let Some(deadline) = supervision.deadline {
        line.push_str(&format!("　督办期限 {}", date(deadline)));
    }
    match supervision.delisted_on {
        Some(on) => line.push_str(&format!(
            "\n已摘牌：{}　{}",
            date(on),
            supervision.delisted_by.trim()
        )),
        None => line.push_str("\n未摘牌"),
    }
    line
}
