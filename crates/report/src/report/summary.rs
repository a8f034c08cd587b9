//! The summary: the overall verdict, stop-work reasons, the five 100% rates with their gaps, the
//! JGJ 59 汇总表 and 分项检查评分表, section scores, hazard counts and two vector charts. Every number
//! comes from the core's [`zicha_core::score::ScoreReport`].

use zicha_core::checklist::{Level, Target};
use zicha_core::ledger::Status;
use zicha_core::score::{Grade, Judgement, RateBasis};

use crate::canvas::{
    Align, BLACK, BLUE, BODY, Cell, GREEN, GREY, LEFT, ORANGE, PALE_RED, RED, RULE, SMALL, WIDTH,
    col, line_height,
};
use crate::report::{Report, num, short};

/// Gaps named per rate before "等 N 项".
const GAPS_SHOWN: usize = 6;

pub(crate) fn summary(report: &mut Report<'_>) {
    report.canvas.new_page();
    report.canvas.heading("一、检查结论", 30.0);
    verdict(report);
    if report.score.stop_work {
        stop_work(report);
    }
    if !report.score.five_100.is_empty() {
        five_100(report);
    }
    if !report.score.summary.is_empty() {
        jgj59(report);
    }
    sections(report);
    hazards(report);
}

fn verdict(report: &mut Report<'_>) {
    let score = &report.score;
    let mut result = match (score.grade, &score.judgement) {
        (Some(grade), _) => format!(
            "按《建筑施工安全检查标准》JGJ 59-2011 评定：汇总表总分 {} 分，评定等级为“{}”。",
            num(score.total),
            grade.zh()
        ),
        (None, Some(judgement)) => judgement_sentence(judgement),
        (None, None) if !score.incomplete.is_empty() => format!(
            "评分未完成，不评定等级（JGJ 59-2011 4.0.1 保证项目应全数检查）。尚缺：{}。",
            score.incomplete_zh()
        ),
        (None, None) => "尚无已检查的分项检查评分表，未评定等级。".to_owned(),
    };
    if score.grade == Some(Grade::Fail) {
        result.push_str(RECTIFY_BY_DEADLINE);
    }
    let major_open = open_major(report);
    if score.grade.is_some() && major_open > 0 {
        result.push_str(&format!(
            "另：存在未销号的重大事故隐患 {major_open} 项，应按重大事故隐患挂牌督办、限期整改。"
        ));
    }
    let text = format!(
        "本次自查共 {} 项，已检查 {} 项，不合格 {} 项。{result}发现隐患 {} 项，其中重大事故隐患 {} 项；截至 {} 未销号 {} 项，逾期未整改 {} 项。",
        score.progress.items,
        score.progress.answered,
        score.failed_items.len(),
        score.hazards.general + score.hazards.major,
        score.hazards.major,
        crate::report::date(report.options.as_of),
        score.hazards.open,
        score.hazards.overdue,
    );
    let color = if score.grade == Some(Grade::Fail) || major_open > 0 {
        RED
    } else {
        BLACK
    };
    report.canvas.paragraph(0.0, BODY, &text, color);
    if let Some(combined) = score
        .judgement
        .as_ref()
        .and_then(|judgement| judgement.combined.as_ref())
    {
        // Elements are named as found (the hazard wording), not by the item's compliant text.
        let answers = &report.bundle.data.inspection.answers;
        let elements: Vec<String> = combined
            .elements
            .iter()
            .map(|id| match report.checklist.item(id) {
                Some(item) => format!(
                    "{id} {}",
                    short(
                        &zicha_core::ledger::hazard_description(
                            item,
                            answers.get(id).map(|answer| &answer.response)
                        ),
                        24
                    )
                ),
                None => id.clone(),
            })
            .collect();
        let found = if elements.is_empty() {
            "未发现综合判定要素".to_owned()
        } else {
            format!(
                "发现综合判定要素 {} 项（{}）",
                elements.len(),
                elements.join("；")
            )
        };
        let text = format!(
            "综合判定：{found}，{}综合判定为重大火灾隐患的 {} 项。依据：{}",
            if combined.reached {
                "已达到"
            } else {
                "未达到"
            },
            combined.threshold,
            combined.basis
        );
        report
            .canvas
            .paragraph(0.0, BODY, &text, if combined.reached { RED } else { BLACK });
    }
    report.canvas.y += 2.0;
}

/// JGJ 59-2011 5.0.3, in our words: a 不合格 site must be put right by a deadline.
pub(crate) const RECTIFY_BY_DEADLINE: &str =
    "按JGJ 59-2011第5.0.3条，评定为不合格的必须限期整改，整改后重新检查评定，直至达到合格。";

/// 重大 hazards in the ledger not yet 已销号.
pub(crate) fn open_major(report: &Report<'_>) -> usize {
    report
        .bundle
        .data
        .hazards
        .iter()
        .filter(|hazard| hazard.level == Level::Major && hazard.status != Status::Closed)
        .count()
}

/// The 判定标准's result in one sentence, with the counts behind it.
pub(crate) fn judgement_sentence(judgement: &Judgement) -> String {
    let basis = if judgement.standards.is_empty() {
        "按隐患等级判定".to_owned()
    } else {
        format!("按{}判定", judgement.standards.join("、"))
    };
    let mut text = format!(
        "{basis}：{}（本检查表无评分标准，不计得分率）。重大事故隐患 {} 项（未销号 {} 项），一般事故隐患 {} 项（未销号 {} 项）",
        judgement.verdict_zh(),
        judgement.major.total(),
        judgement.major_open,
        judgement.general.total(),
        judgement.general_open,
    );
    if !judgement.major_items.is_empty() {
        text.push_str(&format!(
            "；不符合的重大隐患判定项：{}",
            judgement.major_items.join("、")
        ));
    }
    text.push('。');
    text
}

fn stop_work(report: &mut Report<'_>) {
    report.canvas.subheading("停工整改事由", 20.0);
    let rows: Vec<Vec<Cell>> = report
        .score
        .stop_work_reasons
        .iter()
        .enumerate()
        .map(|(idx, reason)| {
            let source = reason
                .item
                .clone()
                .or_else(|| reason.hazard.clone())
                .unwrap_or_default();
            vec![
                Cell::from(format!("{}", idx + 1)),
                Cell::from(source),
                Cell {
                    text: reason.text.clone(),
                    color: Some(RED),
                    fill: Some(PALE_RED),
                    bold: false,
                },
            ]
        })
        .collect();
    report.canvas.table(
        &[
            col("序号", 12.0, Align::Center),
            col("检查项 / 隐患", 28.0, Align::Center),
            col("事由", WIDTH - 40.0, Align::Left),
        ],
        &rows,
        SMALL,
    );
}

fn five_100(report: &mut Report<'_>) {
    report.canvas.subheading("在建工程项目“五个100%”", 25.0);
    let rows: Vec<Vec<Cell>> = report
        .score
        .five_100
        .clone()
        .iter()
        .map(|rate| {
            // Target 4 counts hazards: none found is not a gap (the other targets with nothing
            // checked are).
            let none_found = rate.target == Target::Hazards && rate.denominator == 0;
            let value = match rate.percent() {
                Some(percent) => format!(
                    "{} / {} = {}%",
                    rate.numerator,
                    rate.denominator,
                    num(percent)
                ),
                None if none_found => "本次未发现隐患".to_owned(),
                None => "0 / 0（未检查）".to_owned(),
            };
            let complete = rate.percent() == Some(100.0) || none_found;
            let register = rate.basis == RateBasis::Register;
            let gaps: Vec<String> = rate
                .gaps
                .iter()
                .take(GAPS_SHOWN)
                .map(|gap| {
                    if register {
                        source_name(report, gap)
                    } else {
                        gap_name(report, gap)
                    }
                })
                .collect();
            let mut gap_text = gaps.join("；");
            if rate.gaps.len() > GAPS_SHOWN {
                gap_text.push_str(&format!(" 等 {} 项", rate.gaps.len()));
            }
            if register {
                // Target 5 counted on the project's register: say so, and what the gaps are.
                gap_text = if gap_text.is_empty() {
                    "按重大危险源台账：本月均已进行风险评估".to_owned()
                } else {
                    format!("按重大危险源台账，本月未进行风险评估：{gap_text}")
                };
            } else if gap_text.is_empty() {
                gap_text = if rate.denominator == 0 && !none_found {
                    "无可检查项".to_owned()
                } else {
                    "无".to_owned()
                };
            }
            vec![
                Cell::from(rate.title.clone()),
                Cell::colored(value, if complete { GREEN } else { RED }),
                Cell::from(gap_text),
            ]
        })
        .collect();
    report.canvas.table(
        &[
            col("指标", 52.0, Align::Left),
            col("完成情况", 34.0, Align::Center),
            col(
                "差距（未落实的检查项 / 未销号隐患）",
                WIDTH - 86.0,
                Align::Left,
            ),
        ],
        &rows,
        SMALL,
    );
}

/// An item id or hazard id with a few words of what it is.
fn gap_name(report: &Report<'_>, id: &str) -> String {
    if let Some(item) = report.checklist.item(id) {
        return format!("{id} {}", short(&item.text_zh, 18));
    }
    if let Some(hazard) = report.bundle.data.hazards.iter().find(|h| h.id == id) {
        return format!("{id} {}", short(&hazard.description, 18));
    }
    id.to_owned()
}

/// A register entry by id with its name (five 100% target 5 counted on the register).
fn source_name(report: &Report<'_>, id: &str) -> String {
    let source = report
        .bundle
        .data
        .project
        .as_ref()
        .and_then(|project| project.major_source(id));
    match source {
        Some(source) => format!("{id} {}", short(&source.name, 24)),
        None => id.to_owned(),
    }
}

fn jgj59(report: &mut Report<'_>) {
    crate::report::forms::table_a(report);
    crate::report::forms::tables_b(report);
    let bars: Vec<(String, f64)> = report
        .score
        .sheets
        .iter()
        .filter(|sheet| sheet.checked)
        .map(|sheet| (format!("{} {}", sheet.id, sheet.title), sheet.score))
        .collect();
    bar_chart(report, "图1  分项检查评分表得分（满分100）", &bars);
}

fn sections(report: &mut Report<'_>) {
    // Without a scoring standard the points are only a checklist's own weighting: show what was
    // checked and what failed, no score or percentage (issue 11 §6).
    if report.score.judgement.is_some() {
        report.canvas.subheading("分项检查情况", 30.0);
        let rows: Vec<Vec<Cell>> = report
            .score
            .sections
            .iter()
            .enumerate()
            .map(|(idx, section)| {
                vec![
                    Cell::from(format!("{}", idx + 1)),
                    Cell::from(section.title.clone()),
                    Cell::from(format!("{} / {}", section.answered, section.items)),
                    Cell::colored(
                        format!("{}", section.failed),
                        if section.failed > 0 { RED } else { BLACK },
                    ),
                ]
            })
            .collect();
        report.canvas.table(
            &[
                col("序号", 12.0, Align::Center),
                col("分项", 98.0, Align::Left),
                col("已查 / 项数", 30.0, Align::Center),
                col("不符合项", WIDTH - 140.0, Align::Center),
            ],
            &rows,
            SMALL,
        );
        return;
    }
    report.canvas.subheading("分项得分", 30.0);
    let rows: Vec<Vec<Cell>> = report
        .score
        .sections
        .iter()
        .enumerate()
        .map(|(idx, section)| {
            let rate = if section.max > 0.0 {
                format!("{}%", num(section.score / section.max * 100.0))
            } else {
                "—".to_owned()
            };
            vec![
                Cell::from(format!("{}", idx + 1)),
                Cell::from(section.title.clone()),
                Cell::from(num(section.score)),
                Cell::from(num(section.max)),
                Cell::from(rate),
                Cell::from(format!("{} / {}", section.answered, section.items)),
                Cell::colored(
                    format!("{}", section.failed),
                    if section.failed > 0 { RED } else { BLACK },
                ),
            ]
        })
        .collect();
    report.canvas.table(
        &[
            col("序号", 12.0, Align::Center),
            col("分项", 66.0, Align::Left),
            col("实得分", 18.0, Align::Center),
            col("应得分", 18.0, Align::Center),
            col("得分率", 18.0, Align::Center),
            col("已查/项数", 20.0, Align::Center),
            col("不合格", WIDTH - 152.0, Align::Center),
        ],
        &rows,
        SMALL,
    );
}

/// Horizontal bars of values 0–100 with their labels; flows over pages in chunks.
fn bar_chart(report: &mut Report<'_>, title: &str, bars: &[(String, f64)]) {
    const LABEL_W: f32 = 58.0;
    const BAR_H: f32 = 4.2;
    const STEP: f32 = 5.6;
    let plot_x = LEFT + LABEL_W;
    let plot_w = WIDTH - LABEL_W - 14.0;
    let canvas = &mut report.canvas;
    if bars.is_empty() {
        return;
    }
    let title_h = line_height(BODY) + 2.0;
    let axis_h = line_height(SMALL) + 1.0;
    let mut start = 0;
    while start < bars.len() {
        canvas.ensure(title_h + axis_h + STEP * 3.0);
        let fit = ((canvas.room() - title_h - axis_h - 2.0) / STEP)
            .floor()
            .max(1.0) as usize;
        let chunk = &bars[start..(start + fit).min(bars.len())];
        let top = canvas.y;
        let label = if start == 0 {
            title.to_owned()
        } else {
            format!("{title}（续）")
        };
        canvas.text_aligned(LEFT, WIDTH, top, BODY, &label, Align::Center, BLACK, true);
        let plot_top = top + title_h;
        let plot_h = chunk.len() as f32 * STEP;
        // Grid lines and the axis.
        for tick in 0..=5 {
            let x = plot_x + plot_w * tick as f32 / 5.0;
            canvas.draw(crate::canvas::Draw::Line {
                x1: x,
                y1: plot_top,
                x2: x,
                y2: plot_top + plot_h,
                width_pt: 0.3,
                color: RULE,
                dashed: tick > 0,
            });
            let value = format!("{}", tick * 20);
            let w = canvas.width(&value, SMALL);
            canvas.text_at(x - w / 2.0, plot_top + plot_h + 0.5, SMALL, &value, GREY);
        }
        for (idx, (name, value)) in chunk.iter().enumerate() {
            let y = plot_top + idx as f32 * STEP + (STEP - BAR_H) / 2.0;
            let value = value.clamp(0.0, 100.0);
            let color = if value < 70.0 {
                RED
            } else if value < 80.0 {
                ORANGE
            } else {
                GREEN
            };
            let label_text = fit_width(canvas, name, SMALL, LABEL_W - 3.0);
            let lw = canvas.width(&label_text, SMALL);
            let text_top = y + BAR_H / 2.0 - line_height(SMALL) / 2.0;
            canvas.text_at(plot_x - 2.0 - lw, text_top, SMALL, &label_text, BLACK);
            let w = plot_w * value as f32 / 100.0;
            if w > 0.0 {
                canvas.fill_rect(plot_x, y, w, BAR_H, color);
            }
            canvas.text_at(plot_x + w + 1.0, text_top, SMALL, &num(value), BLACK);
        }
        canvas.line(plot_x, plot_top, plot_x, plot_top + plot_h, 0.6, BLACK);
        canvas.y = plot_top + plot_h + axis_h + 3.0;
        start += chunk.len();
    }
}

/// `text` cut with "…" so that it fits `width`.
fn fit_width(canvas: &crate::canvas::Canvas<'_>, text: &str, size: f32, width: f32) -> String {
    if canvas.width(text, size) <= width {
        return text.to_owned();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().chain(['…'].iter()).collect();
        if canvas.width(&candidate, size) <= width {
            return candidate;
        }
    }
    String::new()
}

fn hazards(report: &mut Report<'_>) {
    report.canvas.subheading("隐患统计", 100.0);
    let counts = report.score.hazards;
    // Counts by level and status: the ScoreReport has the totals; the split by status comes from
    // the ledger itself (zicha-core has no per-status count yet).
    let hazards = &report.bundle.data.hazards;
    let cell = |level: Option<Level>, status: Option<Status>| {
        hazards
            .iter()
            .filter(|h| level.is_none_or(|level| h.level == level))
            .filter(|h| status.is_none_or(|status| h.status == status))
            .count()
    };
    let mut rows = Vec::new();
    for (name, level, total, overdue) in [
        ("一般事故隐患", Some(Level::General), counts.general, None),
        ("重大事故隐患", Some(Level::Major), counts.major, None),
        (
            "合计",
            None,
            counts.general + counts.major,
            Some(counts.overdue),
        ),
    ] {
        let mut row = vec![Cell::from(name)];
        for status in Status::ALL {
            row.push(Cell::from(format!("{}", cell(level, Some(status)))));
        }
        row.push(Cell::from(format!("{total}")));
        let overdue = overdue.unwrap_or_else(|| {
            hazards
                .iter()
                .filter(|h| Some(h.level) == level && h.is_overdue(report.options.as_of))
                .count()
        });
        row.push(Cell::colored(
            format!("{overdue}"),
            if overdue > 0 { RED } else { BLACK },
        ));
        rows.push(row);
    }
    let mut columns = vec![col("等级", 34.0, Align::Left)];
    for status in Status::ALL {
        columns.push(col(status.zh(), 21.0, Align::Center));
    }
    columns.push(col("合计", 21.0, Align::Center));
    columns.push(col("逾期", WIDTH - 34.0 - 21.0 * 5.0, Align::Center));
    report.canvas.table(&columns, &rows, SMALL);

    // 图2 (图1 without the JGJ 59 chart): stacked bars per status, 一般 below 重大.
    let chart_title = format!(
        "图{}  隐患按状态与等级分布（项）",
        if report.score.summary.is_empty() {
            1
        } else {
            2
        }
    );
    let canvas = &mut report.canvas;
    let chart_h = 45.0;
    let title_h = line_height(BODY) + 2.0;
    canvas.ensure(title_h + chart_h + 12.0);
    let top = canvas.y;
    canvas.text_aligned(
        LEFT,
        WIDTH,
        top,
        BODY,
        &chart_title,
        Align::Center,
        BLACK,
        true,
    );
    let plot_top = top + title_h + 4.0;
    let plot_x = LEFT + 24.0;
    let plot_w = WIDTH - 60.0;
    let max = Status::ALL
        .iter()
        .map(|&status| cell(None, Some(status)))
        .max()
        .unwrap_or(0)
        .max(1);
    let ticks = max.min(5);
    for tick in 0..=ticks {
        let value = max * tick / ticks;
        let y = plot_top + chart_h - chart_h * value as f32 / max as f32;
        canvas.draw(crate::canvas::Draw::Line {
            x1: plot_x,
            y1: y,
            x2: plot_x + plot_w,
            y2: y,
            width_pt: 0.3,
            color: RULE,
            dashed: tick > 0,
        });
        let text = format!("{value}");
        let w = canvas.width(&text, SMALL);
        canvas.text_at(
            plot_x - 2.0 - w,
            y - line_height(SMALL) / 2.0,
            SMALL,
            &text,
            GREY,
        );
    }
    let slot = plot_w / Status::ALL.len() as f32;
    let bar_w = slot * 0.45;
    for (idx, status) in Status::ALL.into_iter().enumerate() {
        let x = plot_x + slot * idx as f32 + (slot - bar_w) / 2.0;
        let mut base = plot_top + chart_h;
        for (level, color) in [(Level::General, BLUE), (Level::Major, RED)] {
            let n = cell(Some(level), Some(status));
            if n == 0 {
                continue;
            }
            let h = chart_h * n as f32 / max as f32;
            canvas.fill_rect(x, base - h, bar_w, h, color);
            let text = format!("{n}");
            canvas.text_aligned(
                x,
                bar_w,
                base - h / 2.0 - line_height(SMALL) / 2.0,
                SMALL,
                &text,
                Align::Center,
                crate::canvas::WHITE,
                false,
            );
            base -= h;
        }
        canvas.text_aligned(
            plot_x + slot * idx as f32,
            slot,
            plot_top + chart_h + 1.0,
            SMALL,
            status.zh(),
            Align::Center,
            BLACK,
            false,
        );
    }
    canvas.line(
        plot_x,
        plot_top + chart_h,
        plot_x + plot_w,
        plot_top + chart_h,
        0.6,
        BLACK,
    );
    // Legend.
    let legend_x = plot_x + plot_w + 4.0;
    for (idx, (name, color)) in [("一般", BLUE), ("重大", RED)].into_iter().enumerate() {
        let y = plot_top + idx as f32 * 6.0;
        canvas.fill_rect(legend_x, y + 1.0, 4.0, 3.0, color);
        canvas.text_at(
            legend_x + 5.5,
            y + 2.5 - line_height(SMALL) / 2.0,
            SMALL,
            name,
            BLACK,
        );
    }
    canvas.y = plot_top + chart_h + line_height(SMALL) + 4.0;
}
