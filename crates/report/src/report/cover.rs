//! The cover: title, enterprise, project, checklist with version and hash, date, inspectors, the
//! overall result and, when a trigger fired, the stop-work banner.

use crate::canvas::{
    Align, BLACK, BLUE, BODY, GREEN, GREY, LEFT, ORANGE, RED, RULE, WHITE, WIDTH, line_height,
};
use crate::report::{Report, date, date_time_labelled, num, short, title};

pub(crate) fn cover(report: &mut Report<'_>) {
    let major_open = crate::report::summary::open_major(report);
    let data = &report.bundle.data;
    let checklist = report.checklist;
    let score = &report.score;
    let canvas = &mut report.canvas;
    canvas.new_page();

    canvas.text_aligned(
        LEFT,
        WIDTH,
        40.0,
        24.0,
        &title(checklist.sector),
        Align::Center,
        BLACK,
        true,
    );
    let mut y = 40.0 + line_height(24.0) + 2.0;
    for line in canvas.wrap(&checklist.title_zh, 13.0, WIDTH - 20.0) {
        canvas.text_aligned(LEFT, WIDTH, y, 13.0, &line, Align::Center, GREY, false);
        y += line_height(13.0);
    }
    y += 4.0;
    canvas.line(LEFT + 30.0, y, LEFT + WIDTH - 30.0, y, 1.2, BLUE);
    y += 8.0;

    let mut rows: Vec<(&str, String)> = vec![
        ("企业名称", data.organisation.name.clone()),
        ("统一社会信用代码", data.organisation.credit_code.clone()),
    ];
    if !data.organisation.address.trim().is_empty() {
        rows.push(("企业地址", data.organisation.address.clone()));
    }
    rows.push((
        "法定代表人",
        filled(&data.organisation.legal_representative),
    ));
    if !data.organisation.safety_lead.trim().is_empty() {
        rows.push(("安全生产负责人", data.organisation.safety_lead.clone()));
    }
    if let Some(project) = &data.project {
        rows.push(("工程项目", project.name.clone()));
        if !project.location.trim().is_empty() {
            rows.push(("项目地点", project.location.clone()));
        }
        rows.push(("项目经理", filled(&project.project_manager)));
    }
    rows.push((
        "检查表",
        format!("{}（{} 版）", checklist.title_zh, checklist.version),
    ));
    rows.push(("检查表内容哈希", format!("SHA-256 {}", checklist.hash)));
    rows.push(("检查日期", date(data.inspection.date)));
    rows.push(("检查人", data.inspection.inspectors.join("、")));
    rows.push((
        "检查进度",
        format!(
            "已检查 {} 项，共 {} 项",
            score.progress.answered, score.progress.items
        ),
    ));
    rows.push(("检查编号", data.inspection.id.clone()));

    let label_w = 38.0;
    let size = 10.5;
    let lh = line_height(size);
    for (label, value) in rows {
        let lines = canvas.wrap(&value, size, WIDTH - label_w - 16.0);
        canvas.text_styled(LEFT + 8.0, y, size, label, GREY, false);
        for line in &lines {
            canvas.text_at(LEFT + 8.0 + label_w, y, size, line, BLACK);
            y += lh;
        }
        if lines.is_empty() {
            y += lh;
        }
        canvas.line(LEFT + 8.0, y + 0.6, LEFT + WIDTH - 8.0, y + 0.6, 0.3, RULE);
        y += 1.8;
    }

    // The overall result in a box.
    y += 4.0;
    let (result, color) = match (score.grade, &score.judgement) {
        (_, Some(judgement)) => (
            format!("判定结果：{}", judgement.verdict_zh()),
            if judgement.major_present {
                RED
            } else if judgement.major_found {
                ORANGE
            } else {
                GREEN
            },
        ),
        (grade, None) => match grade {
            Some(grade) => (
                format!(
                    "评定等级：{}　　汇总表总分：{} 分",
                    grade.zh(),
                    num(score.total)
                ),
                match grade {
                    zicha_core::score::Grade::Excellent => GREEN,
                    zicha_core::score::Grade::Pass => ORANGE,
                    zicha_core::score::Grade::Fail => RED,
                },
            ),
            None if !score.incomplete.is_empty() => (
                format!("评分未完成：尚缺 {} 项，见检查结论", score.incomplete.len()),
                RED,
            ),
            None => ("评定等级：—（未完成评分）".to_owned(), BLUE),
        },
    };
    let box_h = 16.0;
    canvas.stroke_rect(LEFT + 8.0, y, WIDTH - 16.0, box_h, 1.5, color);
    canvas.text_aligned(
        LEFT,
        WIDTH,
        y + (box_h - line_height(15.0)) / 2.0,
        15.0,
        &result,
        Align::Center,
        color,
        true,
    );
    y += box_h + 4.0;
    let hazards = &score.hazards;
    let counts = format!(
        "隐患 {} 项（一般 {}，重大 {}）；未销号 {}，已销号 {}，逾期 {}",
        hazards.general + hazards.major,
        hazards.general,
        hazards.major,
        hazards.open,
        hazards.closed,
        hazards.overdue
    );
    canvas.text_aligned(LEFT, WIDTH, y, BODY, &counts, Align::Center, BLACK, false);
    y += line_height(BODY) + 1.0;
    // What the grade or the judgement obliges, next to it.
    let mut obligations = Vec::new();
    if score.grade == Some(zicha_core::score::Grade::Fail) {
        obligations.push(crate::report::summary::RECTIFY_BY_DEADLINE.to_owned());
    }
    if score.grade.is_some() && major_open > 0 {
        obligations.push(format!(
            "存在未销号的重大事故隐患 {major_open} 项，应挂牌督办、限期整改。"
        ));
    }
    for text in obligations {
        for line in canvas.wrap(&text, BODY, WIDTH - 24.0) {
            canvas.text_aligned(LEFT, WIDTH, y, BODY, &line, Align::Center, RED, true);
            y += line_height(BODY);
        }
    }
    y += 3.0;

    if score.stop_work {
        // The banner ends above the issuing lines (FOOTER_TOP): as many reasons as fit, then
        // a pointer to the full list.
        let room_lines = ((FOOTER_TOP - 3.0 - (y + 12.0 + 3.0)) / line_height(BODY)).floor();
        let room_lines = room_lines.max(1.0) as usize;
        let mut lines = Vec::new();
        let mut shown = 0;
        let total = score.stop_work_reasons.len();
        for (idx, reason) in score.stop_work_reasons.iter().take(3).enumerate() {
            let wrapped: Vec<String> = canvas
                .wrap(
                    &format!("· {}", short(&reason.text, 60)),
                    BODY,
                    WIDTH - 24.0,
                )
                .into_iter()
                .take(2)
                .collect();
            // Keep one line free for the pointer when more follow.
            let pointer = usize::from(idx + 1 < total);
            if lines.len() + wrapped.len() + pointer > room_lines {
                break;
            }
            lines.extend(wrapped);
            shown += 1;
        }
        let more = score.stop_work_reasons.len() - shown;
        if more > 0 {
            lines.push(format!("另有 {more} 项，详见“停工整改事由”"));
        }
        let banner_h = 14.0 + lines.len() as f32 * line_height(BODY) + 3.0;
        canvas.fill_rect(LEFT + 8.0, y, WIDTH - 16.0, banner_h, RED);
        canvas.text_aligned(
            LEFT,
            WIDTH,
            y + 3.0,
            16.0,
            &format!(
                "停工整改：发现 {} 项停工条件或重大事故隐患",
                score.stop_work_reasons.len()
            ),
            Align::Center,
            WHITE,
            true,
        );
        let mut line_y = y + 12.0;
        for line in lines {
            canvas.text_at(LEFT + 12.0, line_y, BODY, &line, WHITE);
            line_y += line_height(BODY);
        }
        y += banner_h;
    }

    // The issuing line sits low on the page, below whatever the cover holds.
    // Never over the result or the banner: the two lines end above the page footer (285 mm).
    let footer_y = (y + 5.0).clamp(252.0, FOOTER_TOP);
    canvas.text_aligned(
        LEFT,
        WIDTH,
        footer_y,
        11.0,
        &format!("自查单位：{}", data.organisation.name),
        Align::Center,
        BLACK,
        false,
    );
    canvas.text_aligned(
        LEFT,
        WIDTH,
        footer_y + line_height(11.0) + 1.0,
        11.0,
        &format!(
            "报告编号：{}　　生成时间：{}",
            report.options.document_id,
            date_time_labelled(report.options.timestamp)
        ),
        Align::Center,
        GREY,
        false,
    );
}

/// The lowest top of the issuing lines (自查单位, 报告编号 and 生成时间): they end above the page
/// footer's rule at 285 mm.
const FOOTER_TOP: f32 = 272.0;

/// A person's name as the cover shows it: "（未填写）" when the record has none.
fn filled(name: &str) -> String {
    if name.trim().is_empty() {
        "（未填写）".to_owned()
    } else {
        name.to_owned()
    }
}
