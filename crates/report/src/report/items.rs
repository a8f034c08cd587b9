//! The item tables: one per section, with item text, clause, result, deduction or score and note;
//! the photos of the section's answers follow each table.

use zicha_core::checklist::{ItemKind, Level};
use zicha_core::inspection::{Response, evaluate};

use crate::canvas::{Align, Cell, GREEN, GREY, PALE_RED, RED, SMALL, WIDTH, col};
use crate::report::{Report, num};

pub(crate) fn items(report: &mut Report<'_>) {
    report.canvas.heading("二、检查项目明细", 40.0);
    // Layout 2: items not yet read against their standard's text say so (issue 12).
    let mark_unverified = report.options.layout >= 2;
    if mark_unverified && report.checklist.items().any(|(_, item)| !item.verified) {
        report.canvas.paragraph(
            0.0,
            SMALL,
            "编号下注“未核对原文”的条目，其内容尚未逐条对照所依据标准的原文核对（来源见检查表文件）。",
            GREY,
        );
    }
    // Without a scoring standard the items have no score to print (issue 11 §6).
    let with_points = report.score.judgement.is_none();
    let mut columns = vec![
        col("编号", 14.0, Align::Left),
        col(
            "检查内容",
            if with_points { 57.0 } else { 66.0 },
            Align::Left,
        ),
        col("依据条款", 26.0, Align::Left),
        col("检查结果", 17.0, Align::Center),
    ];
    if with_points {
        columns.push(col("得分", 15.0, Align::Center));
    }
    columns.push(col(
        "备注",
        WIDTH - 129.0 + if with_points { 0.0 } else { 6.0 },
        Align::Left,
    ));
    let checklist = report.checklist;
    let inspection = &report.bundle.data.inspection;
    let mut photo_number = 0;
    for (section_idx, section) in checklist.sections.iter().enumerate() {
        let scored = &report.score.sections[section_idx];
        // Titles often carry the sheet and the group already (e.g. "B.1 安全管理（保证项目）").
        let mut title = section.title_zh.clone();
        if let Some(sheet) = &section.sheet
            && !title.starts_with(sheet.as_str())
        {
            title = format!("{sheet} {title}");
        }
        if let Some(group) = section.group
            && !title.contains(group.zh())
        {
            title.push_str(&format!("（{}）", group.zh()));
        }
        // Without a scoring standard a section has no score to show (issue 11 §6).
        let heading = if report.score.judgement.is_none() && (scored.max > 0.0 || scored.full > 0.0)
        {
            format!(
                "{}. {title}　得分 {} / {}",
                section_idx + 1,
                num(scored.score),
                num(scored.max)
            )
        } else {
            format!("{}. {title}", section_idx + 1)
        };
        let mut rows = Vec::new();
        let mut section_photos = Vec::new();
        for item in &section.items {
            let answer = inspection.answers.get(&item.id);
            let evaluation = answer.map(|answer| evaluate(item, answer));
            let failed = evaluation.is_some_and(|e| e.failed);
            let (result, color) = match answer.map(|a| &a.response) {
                None => ("未检查".to_owned(), GREY),
                Some(Response::Conform) => ("符合".to_owned(), GREEN),
                Some(Response::NonConform) => ("不符合".to_owned(), RED),
                // A 保证项目 allowed to be absent carries the inspector's reason (JGJ 59-2011 4.0.1).
                Some(Response::NotApplicable) => match answer.map(|a| a.reason.trim()) {
                    Some(reason) if !reason.is_empty() => (format!("不适用：{reason}"), GREY),
                    _ => ("不适用".to_owned(), GREY),
                },
                Some(Response::Deducted { deductions }) => {
                    let off: f64 = deductions
                        .iter()
                        .map(|d| d.points * f64::from(d.count))
                        .sum();
                    if off > 0.0 {
                        (format!("扣 {} 分", num(off)), RED)
                    } else {
                        ("符合".to_owned(), GREEN)
                    }
                }
                Some(Response::Measured { value }) => {
                    let unit = match &item.kind {
                        ItemKind::Measurement { unit, .. } => unit.as_str(),
                        _ => "",
                    };
                    let text = format!("实测 {}{unit}", num(*value));
                    (text, if failed { RED } else { GREEN })
                }
                Some(Response::Text { .. }) => ("已记录".to_owned(), GREEN),
                Some(Response::Photographed) => ("已拍照".to_owned(), GREEN),
            };
            let points = match evaluation {
                Some(e) if e.checked => format!("{} / {}", num(e.obtained), num(item.points)),
                _ if item.points > 0.0 => format!("— / {}", num(item.points)),
                _ => "—".to_owned(),
            };
            let mut note_parts = Vec::new();
            if let (ItemKind::Deduction(rules), Some(Response::Deducted { deductions })) =
                (&item.kind, answer.map(|a| &a.response))
            {
                for applied in deductions {
                    if let Some(rule) = rules.get(applied.rule) {
                        let count = if applied.count > 1 {
                            format!(" ×{}", applied.count)
                        } else {
                            String::new()
                        };
                        note_parts.push(format!(
                            "扣分：{}{count}，扣 {} 分",
                            rule.text.trim_end_matches('。'),
                            num(applied.points * f64::from(applied.count))
                        ));
                    }
                }
            }
            if let Some(Response::Text { text }) = answer.map(|a| &a.response) {
                note_parts.push(text.clone());
            }
            if let Some(answer) = answer {
                if !answer.by.trim().is_empty() {
                    note_parts.push(format!("检查人：{}", answer.by));
                }
                if !answer.note.trim().is_empty() {
                    let label = format!("{} {}", item.id, crate::report::short(&item.text_zh, 20));
                    note_parts.push(report.cell_note(
                        &label,
                        &answer.note,
                        crate::report::CELL_NOTE_CHARS,
                    ));
                }
                if !answer.photos.is_empty() {
                    let names: Vec<String> = answer
                        .photos
                        .iter()
                        .map(|sha256| {
                            photo_number += 1;
                            section_photos
                                .push((*sha256, format!("图P{photo_number} {}", item.id)));
                            format!("P{photo_number}")
                        })
                        .collect();
                    note_parts.push(format!("照片 {}", names.join("、")));
                }
            }
            let unverified = if mark_unverified && !item.verified {
                "\n未核对原文"
            } else {
                ""
            };
            let id = if item.level == Level::Major {
                Cell::colored(format!("{}\n重大{unverified}", item.id), RED)
            } else {
                Cell::from(format!("{}{unverified}", item.id))
            };
            let mut row = vec![
                id,
                Cell::from(item.text_zh.clone()),
                Cell::from(item.clause.clone()),
                Cell {
                    text: result,
                    color: Some(color),
                    fill: failed.then_some(PALE_RED),
                    bold: failed,
                },
            ];
            if with_points {
                row.push(Cell::from(points));
            }
            row.push(Cell::from(note_parts.join("\n")));
            rows.push(row);
        }
        let keep = report.canvas.table_start_height(&columns, &rows, SMALL);
        report.canvas.subheading(&heading, keep);
        report.canvas.table(&columns, &rows, SMALL);
        if !section_photos.is_empty() {
            report.photo_row(&section_photos);
        }
    }
}
