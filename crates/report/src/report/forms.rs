//! The JGJ 59-2011 forms as the standard lays them out: 表A 建筑施工安全检查评分汇总表 with its
//! header (单位工程名称, 建筑面积, 结构类型, 施工单位, 监理单位, 项目经理, 检查日期) and one 表B
//! block per checked 分项检查评分表 (序号, 检查项目, 扣分标准, 应得分数, 扣减分数, 实得分数, the
//! 保证项目/一般项目 subtotals, the gate sentence and who answered the items). Sheet, row and total
//! scores come from [`zicha_core::score::ScoreReport`]; an item's points from
//! [`zicha_core::inspection::evaluate`]; the subtotals add those up as the paper form does.

use zicha_core::checklist::{Group, Item, ItemKind};
use zicha_core::inspection::{Response, evaluate};
use zicha_core::org::PartyRole;
use zicha_core::score::{Grade, SheetScore};

use crate::canvas::{Align, BLACK, Cell, GREEN, GREY, LIGHT, RED, SMALL, WIDTH, col};
use crate::report::summary::{RECTIFY_BY_DEADLINE, open_major};
use crate::report::{Report, date, num};

/// 表A: the header block, then one row per 汇总表 item with 应得分 and 实得分, the total and the
/// grade with what follows from it (限期整改, open 重大事故隐患).
pub(crate) fn table_a(report: &mut Report<'_>) {
    // The form starts a page, as the paper one does, so that its header, rows and 评语 stay
    // together (about 130 mm).
    report.canvas.new_page();
    report.canvas.subheading(
        "表A  建筑施工安全检查评分汇总表（JGJ 59-2011 附录A）",
        110.0,
    );
    let data = &report.bundle.data;
    let project = data.project.clone().unwrap_or_default();
    let party = |role: PartyRole| {
        project
            .party(role)
            .map_or_else(String::new, |party| party.name.clone())
    };
    let or_dash = |text: String| {
        if text.trim().is_empty() {
            "（未填写）".to_owned()
        } else {
            text
        }
    };
    let label = |text: &str| Cell {
        text: text.to_owned(),
        fill: Some(LIGHT),
        ..Cell::default()
    };
    let area = if project.floor_area_m2.trim().is_empty() {
        String::new()
    } else {
        format!("{} m²", project.floor_area_m2.trim())
    };
    let header = vec![
        vec![
            label("单位工程（施工现场）名称"),
            Cell::from(or_dash(project.name.clone())),
            label("建筑面积"),
            Cell::from(or_dash(area)),
        ],
        vec![
            label("结构类型"),
            Cell::from(or_dash(project.structure_type.clone())),
            label("检查日期"),
            Cell::from(date(data.inspection.date)),
        ],
        vec![
            label("施工单位"),
            Cell::from(or_dash(party(PartyRole::Contractor))),
            label("监理单位"),
            Cell::from(or_dash(party(PartyRole::Supervisor))),
        ],
        vec![
            label("项目经理"),
            Cell::from(or_dash(project.project_manager.clone())),
            label("检查人"),
            Cell::from(data.inspection.inspectors.join("、")),
        ],
    ];
    report.canvas.table_without_header(
        &[
            col("", 40.0, Align::Left),
            col("", 55.0, Align::Left),
            col("", 22.0, Align::Left),
            col("", WIDTH - 117.0, Align::Left),
        ],
        &header,
        SMALL,
    );
    report.canvas.y += 1.5;

    let score = &report.score;
    let mut rows: Vec<Vec<Cell>> = score
        .summary
        .iter()
        .enumerate()
        .map(|(idx, row)| {
            let sheets: Vec<&SheetScore> = score
                .sheets
                .iter()
                .filter(|sheet| sheet.row == row.id)
                .collect();
            let ids: Vec<&str> = sheets.iter().map(|sheet| sheet.id.as_str()).collect();
            vec![
                Cell::from(format!("{}", idx + 1)),
                Cell::from(format!("{}（表{}）", row.title, ids.join("、"))),
                Cell::from(num(row.weight)),
                Cell::from(row.sheet_score.map_or("缺项".to_owned(), num)),
                Cell::colored(
                    row.score.map_or("缺项".to_owned(), num),
                    if row.sheet_score == Some(0.0) {
                        RED
                    } else {
                        BLACK
                    },
                ),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::from(""),
        Cell {
            text: "总计得分（缺项换算后，满分100）".to_owned(),
            bold: true,
            ..Cell::default()
        },
        Cell::from("100"),
        match score.grade {
            Some(grade) => Cell {
                text: format!("评定等级：{}", grade.zh()),
                color: Some(if grade == Grade::Fail { RED } else { GREEN }),
                bold: true,
                ..Cell::default()
            },
            None if !score.incomplete.is_empty() => Cell::colored("评分未完成", RED),
            None => Cell::colored("未评定等级", GREY),
        },
        Cell {
            text: if score.grade.is_some() {
                num(score.total)
            } else {
                "—".to_owned()
            },
            bold: true,
            ..Cell::default()
        },
    ]);
    report.canvas.table(
        &[
            col("序号", 12.0, Align::Center),
            col("检查项目", 78.0, Align::Left),
            col("应得分", 22.0, Align::Center),
            col("分项表得分", 28.0, Align::Center),
            col("实得分", WIDTH - 140.0, Align::Center),
        ],
        &rows,
        SMALL,
    );

    // 评语 below the table: what the grade obliges, or what must still be checked before there is one.
    let mut remarks = Vec::new();
    if score.grade.is_none() && !score.incomplete.is_empty() {
        remarks.push(format!(
            "评分未完成，不评定等级（JGJ 59-2011 4.0.1 保证项目应全数检查）。尚缺：{}。",
            score.incomplete_zh()
        ));
    }
    if score.grade == Some(Grade::Fail) {
        remarks.push(RECTIFY_BY_DEADLINE.to_owned());
    }
    let major_open = open_major(report);
    if major_open > 0 {
        remarks.push(format!(
            "存在未销号的重大事故隐患 {major_open} 项（见隐患台账），应挂牌督办、限期整改。"
        ));
    }
    for remark in remarks {
        report
            .canvas
            .paragraph(0.0, crate::canvas::BODY, &format!("评语：{remark}"), RED);
    }
}

/// One 表B block per checked sheet, in the standard's order.
pub(crate) fn tables_b(report: &mut Report<'_>) {
    let sheets: Vec<SheetScore> = report
        .score
        .sheets
        .iter()
        .filter(|sheet| sheet.checked)
        .cloned()
        .collect();
    for sheet in &sheets {
        table_b(report, sheet);
    }
    let unchecked: Vec<String> = report
        .score
        .sheets
        .iter()
        .filter(|sheet| !sheet.checked)
        .map(|sheet| format!("表{} {}", sheet.id, sheet.title))
        .collect();
    if !unchecked.is_empty() {
        report.canvas.paragraph(
            0.0,
            SMALL,
            &format!("未检查（缺项）的分项检查评分表：{}。", unchecked.join("；")),
            GREY,
        );
    }
}

/// Points added up over a group or a sheet: 应得分数, 扣减分数, 实得分数 of the checked items.
struct Points {
    full: f64,
    off: f64,
    obtained: f64,
}

fn table_b(report: &mut Report<'_>, sheet: &SheetScore) {
    let checklist = report.checklist;
    let inspection = &report.bundle.data.inspection;
    let columns = [
        col("序号", 9.0, Align::Center),
        col("检查项目", 34.0, Align::Left),
        col("扣分标准（本次扣分）", 62.0, Align::Left),
        col("应得分数", 16.0, Align::Center),
        col("扣减分数", 16.0, Align::Center),
        col("实得分数", 16.0, Align::Center),
        col("检查人", WIDTH - 153.0, Align::Center),
    ];
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut inspectors: Vec<String> = Vec::new();
    let mut total = Points {
        full: 0.0,
        off: 0.0,
        obtained: 0.0,
    };
    let mut seq = 0;
    for group in [Some(Group::Guarantee), Some(Group::General), None] {
        let items: Vec<&Item> = checklist
            .sections
            .iter()
            .filter(|section| {
                section.sheet.as_deref() == Some(sheet.id.as_str()) && section.group == group
            })
            .flat_map(|section| section.items.iter())
            .collect();
        if items.is_empty() {
            continue;
        }
        let mut subtotal = Points {
            full: 0.0,
            off: 0.0,
            obtained: 0.0,
        };
        for item in items {
            seq += 1;
            let answer = inspection.answers.get(&item.id);
            if let Some(answer) = answer
                && !answer.by.trim().is_empty()
                && !inspectors.contains(&answer.by)
            {
                inspectors.push(answer.by.clone());
            }
            let evaluation = answer.map(|answer| evaluate(item, answer));
            let checked = evaluation.is_some_and(|e| e.checked);
            let standard = deduction_words(item, answer.map(|a| &a.response));
            let (full, off, obtained) = match evaluation {
                Some(e) if e.checked => {
                    subtotal.full += item.points;
                    subtotal.obtained += e.obtained;
                    subtotal.off += item.points - e.obtained;
                    (
                        num(item.points),
                        num(item.points - e.obtained),
                        num(e.obtained),
                    )
                }
                Some(_) => (
                    format!("{}（缺项）", num(item.points)),
                    "—".into(),
                    "—".into(),
                ),
                None => (num(item.points), "—".into(), "未检查".into()),
            };
            let failed = evaluation.is_some_and(|e| e.failed);
            rows.push(vec![
                Cell::from(format!("{seq}")),
                Cell::from(item_name(item)),
                Cell {
                    text: standard,
                    color: Some(if failed {
                        RED
                    } else if checked {
                        BLACK
                    } else {
                        GREY
                    }),
                    ..Cell::default()
                },
                Cell::from(full),
                Cell::colored(off, if failed { RED } else { BLACK }),
                Cell::from(obtained),
                Cell::from(answer.map_or_else(String::new, |a| a.by.clone())),
            ]);
        }
        // A sheet without the 保证/一般 split (B.13 高处作业) has only the 合计 row.
        if let Some(group) = group {
            let bold = |text: String| Cell {
                text,
                bold: true,
                fill: Some(LIGHT),
                ..Cell::default()
            };
            rows.push(vec![
                bold(String::new()),
                bold(format!("{}小计", group.zh())),
                bold(String::new()),
                bold(num(subtotal.full)),
                bold(num(subtotal.off)),
                bold(num(subtotal.obtained)),
                bold(String::new()),
            ]);
        }
        total.full += subtotal.full;
        total.off += subtotal.off;
        total.obtained += subtotal.obtained;
    }
    let strong = |text: String, color| Cell {
        text,
        bold: true,
        color: Some(color),
        fill: Some(LIGHT),
    };
    rows.push(vec![
        strong(String::new(), BLACK),
        strong("检查项目合计".to_owned(), BLACK),
        strong(
            if total.full < 100.0 {
                format!(
                    "缺项换算：{} ÷ {} × 100",
                    num(total.obtained),
                    num(total.full)
                )
            } else {
                String::new()
            },
            GREY,
        ),
        strong(num(total.full), BLACK),
        strong(num(total.off), BLACK),
        strong(num(total.obtained), BLACK),
        strong(String::new(), BLACK),
    ]);

    let name = if sheet.title.ends_with("检查评分表") {
        sheet.title.clone()
    } else {
        format!("{}检查评分表", sheet.title)
    };
    let title = format!("表{}  {name}", sheet.id);
    let keep = report.canvas.table_start_height(&columns, &rows, SMALL) + 6.0;
    report.canvas.subheading(&title, keep);
    report.canvas.table(&columns, &rows, SMALL);
    let mut result = format!("本表得分：{} 分", num(sheet.score));
    if let Some(subtotal) = sheet.guarantee_subtotal {
        result.push_str(&format!("（保证项目小计 {} 分）", num(subtotal)));
    }
    if sheet.unanswered > 0 {
        result.push_str(&format!("；{} 项未检查", sheet.unanswered));
    }
    report.canvas.paragraph(
        0.0,
        SMALL,
        &result,
        if sheet.score <= 0.0 { RED } else { BLACK },
    );
    if let Some(gate) = &sheet.gate {
        report.canvas.paragraph(
            0.0,
            SMALL,
            &format!("{gate}（JGJ 59-2011：保证项目中有一项未得分或保证项目小计得分不足40分时，本检查评分表不应得分）。"),
            RED,
        );
    }
    let who = if inspectors.is_empty() {
        inspection.inspectors.join("、")
    } else {
        inspectors.join("、")
    };
    report.canvas.paragraph(
        0.0,
        SMALL,
        &format!("检查人（谁排查、谁签字、谁负责）：{who}"),
        GREY,
    );
    report.canvas.y += 2.0;
}

/// The 检查项目 column: the item's name before its "：", the whole text otherwise.
fn item_name(item: &Item) -> String {
    match item.text_zh.split_once('：') {
        Some((name, _)) if name.chars().count() <= 16 => name.to_owned(),
        _ => item.text_zh.clone(),
    }
}

/// The 扣分标准 column: the deductions actually applied, in words, or what the answer says.
fn deduction_words(item: &Item, response: Option<&Response>) -> String {
    match (response, &item.kind) {
        (None, _) => "未检查".to_owned(),
        (Some(Response::NotApplicable), _) => "不适用（缺项）".to_owned(),
        (Some(Response::Deducted { deductions }), ItemKind::Deduction(rules)) => {
            let parts: Vec<String> = deductions
                .iter()
                .filter_map(|applied| {
                    let rule = rules.get(applied.rule)?;
                    let count = if applied.count > 1 {
                        format!(" {} {}", applied.count, rule.per.as_deref().unwrap_or("处"))
                    } else {
                        String::new()
                    };
                    Some(format!(
                        "{}{count}，扣{}分",
                        rule.text.trim_end_matches('。'),
                        num(applied.points * f64::from(applied.count))
                    ))
                })
                .collect();
            if parts.is_empty() {
                "未扣分".to_owned()
            } else {
                parts.join("；")
            }
        }
        (Some(Response::NonConform), _) => format!(
            "{}，本项不得分",
            zicha_core::ledger::hazard_description(item, response)
        ),
        (Some(Response::Measured { value }), ItemKind::Measurement { unit, .. }) => {
            format!("实测 {}{unit}", num(*value))
        }
        _ => "未扣分".to_owned(),
    }
}
