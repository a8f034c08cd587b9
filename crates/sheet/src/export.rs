//! An inspection as an xlsx workbook: the 隐患台账 (one row per hazard, every 一患一档 field), the
//! 检查结果 (one row per item with its answer and points) and the 汇总 (per-section and 汇总表
//! scores), with Chinese headers, a frozen header row, filters, column widths and dates as Excel
//! dates.

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};
use time::Date;
use zicha_core::bundle::BundleData;
use zicha_core::checklist::{Checklist, ItemKind};
use zicha_core::inspection::{self, Response};
use zicha_core::ledger::{Hazard, Status};
use zicha_core::score::ScoreReport;

/// The sheet names.
pub const LEDGER_SHEET: &str = "隐患台账";
/// The sheet of answers.
pub const RESULTS_SHEET: &str = "检查结果";
/// The sheet of scores.
pub const SUMMARY_SHEET: &str = "汇总";

/// The columns of sheet 隐患台账 (a contract: regulators' scripts read them by name).
pub const LEDGER_COLUMNS: &[(&str, f64)] = &[
    ("编号", 14.0),
    ("发现日期", 11.0),
    ("部位", 16.0),
    ("隐患描述", 40.0),
    ("级别", 6.0),
    ("类别", 12.0),
    ("检查项", 10.0),
    ("依据", 24.0),
    ("发现人", 8.0),
    ("整改措施", 30.0),
    ("验收标准", 20.0),
    ("整改资金(元)", 10.0),
    ("整改期限", 11.0),
    ("责任人", 8.0),
    ("整改方案/预案", 24.0),
    ("临时措施", 20.0),
    ("状态", 8.0),
    ("逾期", 6.0),
    ("挂牌督办", 20.0),
    ("督办期限", 11.0),
    ("解除督办日期", 11.0),
    ("开始整改日期", 11.0),
    ("提交验收日期", 11.0),
    ("验收人", 8.0),
    ("验收日期", 11.0),
    ("验收结论", 16.0),
    ("销号日期", 11.0),
    ("治理效果评估", 24.0),
    ("上报日期", 11.0),
    ("上报单位", 14.0),
    ("整改前照片", 24.0),
    ("整改后照片", 24.0),
];

/// The columns of sheet 检查结果.
pub const RESULT_COLUMNS: &[(&str, f64)] = &[
    ("分类", 16.0),
    ("序号", 10.0),
    ("检查内容", 40.0),
    ("隐患级别", 8.0),
    ("分值", 6.0),
    ("结果", 10.0),
    ("扣分/实测", 24.0),
    ("得分", 6.0),
    ("说明", 24.0),
    ("不适用理由", 16.0),
    ("检查人", 8.0),
];

struct Formats {
    header: Format,
    date: Format,
    wrap: Format,
}

/// The workbook of one inspection: `data` as a bundle holds it, `checklist` its checklist, `report`
/// its score as of `as_of` (for 逾期).
pub fn export(
    data: &BundleData,
    checklist: &Checklist,
    report: &ScoreReport,
    as_of: Date,
) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let photo_name = |hash: &zicha_core::hash::Sha256| {
        let ext = data
            .photos
            .iter()
            .find(|photo| photo.sha256 == *hash)
            .map_or("jpg", |photo| photo.ext.as_str());
        format!("photos/{hash}.{ext}")
    };
    ledger_sheet(&mut workbook, &data.hazards, as_of, &photo_name, &formats)?;

    let sheet = workbook.add_worksheet();
    sheet.set_name(RESULTS_SHEET)?;
    header_row(sheet, RESULT_COLUMNS, &formats)?;
    let mut row = 1u32;
    for section in &checklist.sections {
        for item in &section.items {
            result_row(sheet, row, section, item, data, &formats)?;
            row += 1;
        }
    }
    finish(sheet, RESULT_COLUMNS, row as usize - 1)?;

    let sheet = workbook.add_worksheet();
    sheet.set_name(SUMMARY_SHEET)?;
    summary(sheet, data, checklist, report, &formats)?;
    workbook.save_to_buffer()
}

/// The 隐患台账 alone: every hazard of `hazards` (an enterprise's whole ledger, found by many
/// inspections) as of `as_of`; photos are named `photos/<hash>.jpg`, as a bundle names a JPEG.
pub fn export_ledger(hazards: &[Hazard], as_of: Date) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let photo_name = |hash: &zicha_core::hash::Sha256| format!("photos/{hash}.jpg");
    ledger_sheet(&mut workbook, hazards, as_of, &photo_name, &formats)?;
    workbook.save_to_buffer()
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color("#D9E2F3")
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

fn ledger_sheet(
    workbook: &mut Workbook,
    hazards: &[Hazard],
    as_of: Date,
    photo_name: &dyn Fn(&zicha_core::hash::Sha256) -> String,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(LEDGER_SHEET)?;
    header_row(sheet, LEDGER_COLUMNS, formats)?;
    for (idx, hazard) in hazards.iter().enumerate() {
        ledger_row(sheet, idx as u32 + 1, hazard, as_of, photo_name, formats)?;
    }
    finish(sheet, LEDGER_COLUMNS, hazards.len())
}

fn header_row(
    sheet: &mut Worksheet,
    columns: &[(&str, f64)],
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (idx, (name, width)) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, idx as u16, *name, &formats.header)?;
        sheet.set_column_width(idx as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn finish(sheet: &mut Worksheet, columns: &[(&str, f64)], rows: usize) -> Result<(), XlsxError> {
    sheet.autofilter(0, 0, rows.max(1) as u32, columns.len() as u16 - 1)?;
    Ok(())
}

fn date_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    date: Option<Date>,
    formats: &Formats,
) -> Result<(), XlsxError> {
    if let Some(date) = date {
        let value = ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day())?;
        sheet.write_datetime_with_format(row, col, &value, &formats.date)?;
    }
    Ok(())
}

fn text_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    formats: &Formats,
) -> Result<(), XlsxError> {
    if !text.is_empty() {
        sheet.write_string_with_format(row, col, text, &formats.wrap)?;
    }
    Ok(())
}

/// The parts that are not empty, joined by `separator`.
fn non_empty_joined(parts: &[&str], separator: &str) -> String {
    parts
        .iter()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(separator)
}

/// The date of the first transition into `status`, and who made it.
fn entered(hazard: &Hazard, status: Status) -> Option<(Date, &str)> {
    hazard
        .history
        .iter()
        .find(|transition| transition.to == status)
        .map(|transition| (transition.at.date(), transition.by.as_str()))
}

fn ledger_row(
    sheet: &mut Worksheet,
    row: u32,
    hazard: &Hazard,
    as_of: Date,
    photo_name: &dyn Fn(&zicha_core::hash::Sha256) -> String,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let plan = &hazard.rectification;
    let verification = hazard
        .history
        .iter()
        .rev()
        .find(|transition| transition.from == Status::AwaitingVerification);
    let supervision = hazard.supervision.as_ref();
    let mut col = 0u16;
    let mut next = || {
        col += 1;
        col - 1
    };
    text_cell(sheet, row, next(), &hazard.id, formats)?;
    date_cell(sheet, row, next(), Some(hazard.found_at), formats)?;
    text_cell(sheet, row, next(), &hazard.location, formats)?;
    text_cell(sheet, row, next(), &hazard.description, formats)?;
    text_cell(sheet, row, next(), hazard.level.zh(), formats)?;
    text_cell(
        sheet,
        row,
        next(),
        hazard.category.map_or("", |category| category.zh()),
        formats,
    )?;
    text_cell(
        sheet,
        row,
        next(),
        hazard.item.as_deref().unwrap_or(""),
        formats,
    )?;
    text_cell(sheet, row, next(), &hazard.basis, formats)?;
    text_cell(sheet, row, next(), &hazard.found_by, formats)?;
    text_cell(sheet, row, next(), &plan.measures, formats)?;
    text_cell(sheet, row, next(), &plan.acceptance_standard, formats)?;
    let funds = next();
    if let Some(yuan) = plan.funds_yuan {
        sheet.write_number(row, funds, yuan as f64)?;
    }
    date_cell(sheet, row, next(), plan.deadline, formats)?;
    text_cell(sheet, row, next(), &plan.responsible, formats)?;
    text_cell(sheet, row, next(), &plan.plan, formats)?;
    text_cell(sheet, row, next(), &plan.interim_measures, formats)?;
    text_cell(sheet, row, next(), hazard.status.zh(), formats)?;
    text_cell(
        sheet,
        row,
        next(),
        if hazard.is_overdue(as_of) {
            "是"
        } else {
            "否"
        },
        formats,
    )?;
    let listed = supervision.map_or(String::new(), |supervision| {
        non_empty_joined(
            &[
                supervision.authority.as_str(),
                supervision.level.zh(),
                supervision.document_no.as_str(),
            ],
            " ",
        )
    });
    text_cell(sheet, row, next(), &listed, formats)?;
    date_cell(
        sheet,
        row,
        next(),
        supervision.and_then(|s| s.deadline),
        formats,
    )?;
    date_cell(
        sheet,
        row,
        next(),
        supervision.and_then(|s| s.delisted_on),
        formats,
    )?;
    date_cell(
        sheet,
        row,
        next(),
        entered(hazard, Status::InProgress).map(|(date, _)| date),
        formats,
    )?;
    date_cell(
        sheet,
        row,
        next(),
        entered(hazard, Status::AwaitingVerification).map(|(date, _)| date),
        formats,
    )?;
    text_cell(
        sheet,
        row,
        next(),
        verification.map_or("", |t| t.by.as_str()),
        formats,
    )?;
    date_cell(
        sheet,
        row,
        next(),
        verification.map(|t| t.at.date()),
        formats,
    )?;
    let verdict = verification.map_or(String::new(), |t| {
        let passed = match t.verification_passed {
            Some(true) => "通过",
            Some(false) => "未通过",
            None => "",
        };
        non_empty_joined(&[passed, t.note.as_str()], "：")
    });
    text_cell(sheet, row, next(), &verdict, formats)?;
    date_cell(
        sheet,
        row,
        next(),
        entered(hazard, Status::Closed).map(|(date, _)| date),
        formats,
    )?;
    text_cell(sheet, row, next(), &hazard.closure.evaluation, formats)?;
    date_cell(sheet, row, next(), hazard.closure.reported_on, formats)?;
    text_cell(sheet, row, next(), &hazard.closure.reported_to, formats)?;
    let names = |hashes: &[zicha_core::hash::Sha256]| {
        hashes.iter().map(photo_name).collect::<Vec<_>>().join("\n")
    };
    text_cell(sheet, row, next(), &names(&hazard.photos_before), formats)?;
    text_cell(sheet, row, next(), &names(&hazard.photos_after), formats)?;
    Ok(())
}

fn result_row(
    sheet: &mut Worksheet,
    row: u32,
    section: &zicha_core::checklist::Section,
    item: &zicha_core::checklist::Item,
    data: &BundleData,
    formats: &Formats,
) -> Result<(), XlsxError> {
    text_cell(sheet, row, 0, &section.title_zh, formats)?;
    text_cell(sheet, row, 1, &item.id, formats)?;
    text_cell(sheet, row, 2, &item.text_zh, formats)?;
    text_cell(sheet, row, 3, item.level.zh(), formats)?;
    sheet.write_number(row, 4, item.points)?;
    let Some(answer) = data.inspection.answers.get(&item.id) else {
        text_cell(sheet, row, 5, "未检查", formats)?;
        return Ok(());
    };
    let evaluation = inspection::evaluate(item, answer);
    let result = match &answer.response {
        Response::Conform => "符合",
        Response::NonConform => "不符合",
        Response::NotApplicable => "不适用",
        Response::Deducted { .. } if evaluation.failed => "扣分",
        Response::Deducted { .. } => "符合",
        Response::Measured { .. } if evaluation.failed => "超限",
        Response::Measured { .. } => "符合",
        Response::Text { .. } => "已填写",
        Response::Photographed => "已拍照",
    };
    text_cell(sheet, row, 5, result, formats)?;
    let detail = match (&answer.response, &item.kind) {
        (Response::Deducted { deductions }, ItemKind::Deduction(rules)) => deductions
            .iter()
            .map(|applied| {
                let text = rules
                    .get(applied.rule)
                    .map_or("", |rule| rule.text.as_str());
                let count = if applied.count > 1 {
                    format!("×{}", applied.count)
                } else {
                    String::new()
                };
                format!("{text} −{}{count}", crate::toml_out::number(applied.points))
            })
            .collect::<Vec<_>>()
            .join("\n"),
        (Response::Measured { value }, ItemKind::Measurement { unit, .. }) => {
            format!("{}{unit}", crate::toml_out::number(*value))
        }
        (Response::Text { text }, _) => text.clone(),
        _ => String::new(),
    };
    text_cell(sheet, row, 6, &detail, formats)?;
    if evaluation.checked {
        sheet.write_number(row, 7, evaluation.obtained)?;
    }
    text_cell(sheet, row, 8, &answer.note, formats)?;
    text_cell(sheet, row, 9, &answer.reason, formats)?;
    text_cell(sheet, row, 10, &answer.by, formats)?;
    Ok(())
}

fn summary(
    sheet: &mut Worksheet,
    data: &BundleData,
    checklist: &Checklist,
    report: &ScoreReport,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 40)?;
    for col in 2..7 {
        sheet.set_column_width(col, 10)?;
    }
    let mut row = 0u32;
    let mut pair = |sheet: &mut Worksheet, key: &str, value: &str| -> Result<(), XlsxError> {
        sheet.write_string_with_format(row, 0, key, &formats.header)?;
        text_cell(sheet, row, 1, value, formats)?;
        row += 1;
        Ok(())
    };
    pair(sheet, "企业", &data.organisation.name)?;
    pair(sheet, "统一社会信用代码", &data.organisation.credit_code)?;
    if let Some(project) = &data.project {
        pair(sheet, "项目", &project.name)?;
    }
    pair(
        sheet,
        "检查表",
        &format!("{} {}", checklist.title_zh, checklist.version),
    )?;
    pair(sheet, "检查编号", &data.inspection.id)?;
    pair(sheet, "检查日期", &data.inspection.date.to_string())?;
    pair(sheet, "检查人", &data.inspection.inspectors.join("、"))?;
    let result = match (&report.grade, &report.judgement) {
        (Some(grade), _) => format!("{} {}", grade.zh(), crate::toml_out::number(report.total)),
        (None, Some(judgement)) => judgement.verdict_zh().to_owned(),
        (None, None) if !report.incomplete.is_empty() => "评分未完成".to_owned(),
        (None, None) => String::new(),
    };
    pair(sheet, "结论", &result)?;
    pair(sheet, "停工", if report.stop_work { "是" } else { "否" })?;
    row += 1;
    let head = [
        "分类",
        "名称",
        "得分",
        "应得分",
        "满分",
        "已查/条目",
        "不合格",
    ];
    for (col, name) in head.iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, *name, &formats.header)?;
    }
    let header_at = row;
    row += 1;
    for section in &report.sections {
        sheet.write_string(row, 0, &section.id)?;
        text_cell(sheet, row, 1, &section.title, formats)?;
        sheet.write_number(row, 2, section.score)?;
        sheet.write_number(row, 3, section.max)?;
        sheet.write_number(row, 4, section.full)?;
        sheet.write_string(row, 5, format!("{}/{}", section.answered, section.items))?;
        sheet.write_number(row, 6, section.failed as f64)?;
        row += 1;
    }
    sheet.autofilter(header_at, 0, row.saturating_sub(1).max(header_at + 1), 6)?;
    if !report.summary.is_empty() {
        row += 1;
        for (col, name) in ["汇总表", "名称", "满分", "得分"].iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, *name, &formats.header)?;
        }
        row += 1;
        for summary_row in &report.summary {
            sheet.write_string(row, 0, &summary_row.id)?;
            text_cell(sheet, row, 1, &summary_row.title, formats)?;
            sheet.write_number(row, 2, summary_row.weight)?;
            if let Some(score) = summary_row.score {
                sheet.write_number(row, 3, score)?;
            }
            row += 1;
        }
    }
    Ok(())
}
