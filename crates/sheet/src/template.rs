//! The layout of [`crate::layout`] written as an xlsx: the empty template an enterprise fills in, or
//! a checklist in that layout (`zicha template --from ID`) which [`crate::import`] reads back to the
//! same checklist.

use rust_xlsxwriter::{DataValidation, Format, FormatAlign, Workbook, Worksheet, XlsxError};
use zicha_core::checklist::{Checklist, ItemKind, Level, Scoring};

use crate::import::format_deduction;
use crate::layout::{self, COLUMNS, Col, INFO_KEYS, InfoKey};

/// Rows below the header that carry the drop-down lists (级别, 类型, …) in an empty template.
const VALIDATED_ROWS: u32 = 2000;

/// The xlsx bytes of the template, filled with `checklist` when given; `file_text`, the checklist
/// file's text when there is one, gives each item's 核对来源 (the links in the comments above it).
pub fn template(
    checklist: Option<&Checklist>,
    file_text: Option<&str>,
) -> Result<Vec<u8>, XlsxError> {
    let links: std::collections::HashMap<String, Vec<String>> = file_text
        .map(zicha_core::checklist::sources::item_links)
        .unwrap_or_default()
        .into_iter()
        .collect();
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color("#D9E2F3")
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let optional_header = Format::new()
        .set_bold()
        .set_background_color("#EDEDED")
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);

    let items = workbook.add_worksheet();
    items.set_name(layout::ITEM_SHEET)?;
    for (idx, column) in COLUMNS.iter().enumerate() {
        let col = idx as u16;
        let format = if column.required || idx < 9 {
            &header
        } else {
            &optional_header
        };
        items.write_string_with_format(0, col, column.header, format)?;
        items.set_column_width(col, column.width)?;
    }
    items.set_freeze_panes(1, 0)?;
    let mut row = 1u32;
    if let Some(checklist) = checklist {
        for section in &checklist.sections {
            for item in &section.items {
                for (idx, column) in COLUMNS.iter().enumerate() {
                    let cell = Cell {
                        row,
                        col: idx as u16,
                        which: column.col,
                    };
                    let sources = links.get(&item.id).map_or(&[][..], Vec::as_slice);
                    write_item_cell(items, cell, section, item, sources, &wrap)?;
                }
                row += 1;
            }
        }
    }
    let last_row = row.saturating_sub(1).max(1);
    items.autofilter(0, 0, last_row, COLUMNS.len() as u16 - 1)?;
    let validated_to = row + VALIDATED_ROWS;
    validate(items, Col::Level, &["一般", "重大"], validated_to)?;
    validate(
        items,
        Col::Kind,
        &["检查", "扣分", "实测", "文字", "照片"],
        validated_to,
    )?;
    validate(items, Col::Group, &["保证项目", "一般项目"], validated_to)?;
    validate(items, Col::Verified, &["是", "否"], validated_to)?;

    let info = workbook.add_worksheet();
    info.set_name(layout::INFO_SHEET)?;
    info.set_column_width(0, 14)?;
    info.set_column_width(1, 28)?;
    info.set_column_width(2, 40)?;
    info.set_column_width(3, 16)?;
    info.set_column_width(4, 14)?;
    let mut row = 0u32;
    let mut put =
        |info: &mut Worksheet, key: InfoKey, values: &[String]| -> Result<(), XlsxError> {
            info.write_string_with_format(row, 0, layout::info_header(key), &header)?;
            for (idx, value) in values.iter().enumerate() {
                if !value.is_empty() {
                    info.write_string(row, idx as u16 + 1, value)?;
                }
            }
            row += 1;
            Ok(())
        };
    match checklist {
        Some(checklist) => {
            put(info, InfoKey::Id, std::slice::from_ref(&checklist.id))?;
            put(
                info,
                InfoKey::Title,
                std::slice::from_ref(&checklist.title_zh),
            )?;
            put(
                info,
                InfoKey::TitleEn,
                std::slice::from_ref(&checklist.title_en),
            )?;
            put(info, InfoKey::Sector, &[checklist.sector.key().to_owned()])?;
            put(
                info,
                InfoKey::Version,
                std::slice::from_ref(&checklist.version),
            )?;
            let scoring = match checklist.scoring {
                Scoring::Points => "points",
                Scoring::Jgj59 => "jgj59",
            };
            put(info, InfoKey::Scoring, &[scoring.to_owned()])?;
            for standard in &checklist.standards {
                put(
                    info,
                    InfoKey::Standard,
                    &[
                        standard.code.clone(),
                        standard.title.clone(),
                        standard.effective.clone().unwrap_or_default(),
                        if standard.judgement { "是" } else { "否" }.to_owned(),
                    ],
                )?;
            }
            for jgj_row in &checklist.jgj59_rows {
                put(
                    info,
                    InfoKey::Row,
                    &[
                        jgj_row.id.clone(),
                        jgj_row.title_zh.clone(),
                        jgj_row.title_en.clone(),
                        crate::toml_out::number(jgj_row.weight),
                    ],
                )?;
            }
            for sheet in &checklist.jgj59_sheets {
                put(
                    info,
                    InfoKey::ScoreSheet,
                    &[
                        sheet.id.clone(),
                        sheet.title_zh.clone(),
                        sheet.title_en.clone(),
                        sheet.row.clone(),
                    ],
                )?;
            }
        }
        None => {
            for (key, _, _) in INFO_KEYS {
                if !matches!(key, InfoKey::Row | InfoKey::ScoreSheet) {
                    put(info, *key, &[])?;
                }
            }
        }
    }

    let help = workbook.add_worksheet();
    help.set_name(layout::HELP_SHEET)?;
    help.set_column_width(0, 14)?;
    help.set_column_width(1, 8)?;
    help.set_column_width(2, 90)?;
    help.write_string_with_format(0, 0, "检查表 列", &header)?;
    help.write_string_with_format(0, 1, "必填", &header)?;
    help.write_string_with_format(0, 2, "说明", &header)?;
    let mut row = 1u32;
    for column in COLUMNS {
        help.write_string(row, 0, column.header)?;
        help.write_string(row, 1, if column.required { "是" } else { "" })?;
        help.write_string_with_format(row, 2, column.help, &wrap)?;
        row += 1;
    }
    row += 1;
    help.write_string_with_format(row, 0, "信息 键", &header)?;
    help.write_string_with_format(row, 2, "说明", &header)?;
    row += 1;
    for (_, name, text) in INFO_KEYS {
        help.write_string(row, 0, *name)?;
        help.write_string_with_format(row, 2, *text, &wrap)?;
        row += 1;
    }
    workbook.save_to_buffer()
}

fn validate(
    sheet: &mut Worksheet,
    col: Col,
    values: &[&str],
    to_row: u32,
) -> Result<(), XlsxError> {
    let idx = COLUMNS
        .iter()
        .position(|column| column.col == col)
        .expect("column in layout") as u16;
    let rule = DataValidation::new().allow_list_strings(values)?;
    sheet.add_data_validation(1, idx, to_row, idx, &rule)?;
    Ok(())
}

/// Where a cell goes and which column it is.
struct Cell {
    row: u32,
    col: u16,
    which: Col,
}

fn write_item_cell(
    sheet: &mut Worksheet,
    Cell { row, col, which }: Cell,
    section: &zicha_core::checklist::Section,
    item: &zicha_core::checklist::Item,
    sources: &[String],
    wrap: &Format,
) -> Result<(), XlsxError> {
    let text = |sheet: &mut Worksheet, value: &str| -> Result<(), XlsxError> {
        if !value.is_empty() {
            sheet.write_string_with_format(row, col, value, wrap)?;
        }
        Ok(())
    };
    match which {
        Col::Section => text(sheet, &section.title_zh),
        Col::Id => text(sheet, &item.id),
        Col::Text => text(sheet, &item.text_zh),
        Col::Hazard => text(sheet, &item.hazard_zh),
        Col::Clause => text(sheet, &item.clause),
        Col::Points => {
            sheet.write_number(row, col, item.points)?;
            Ok(())
        }
        Col::Level => text(
            sheet,
            match item.level {
                Level::General => "一般",
                Level::Major => "重大",
            },
        ),
        Col::Deductions => match &item.kind {
            ItemKind::Deduction(rules) => {
                let lines: Vec<String> = rules.iter().map(format_deduction).collect();
                text(sheet, &lines.join("\n"))
            }
            _ => Ok(()),
        },
        Col::Guidance => text(sheet, &item.guidance),
        Col::Kind => text(
            sheet,
            match item.kind {
                ItemKind::Check => "检查",
                ItemKind::Deduction(_) => "扣分",
                ItemKind::Measurement { .. } => "实测",
                ItemKind::Text => "文字",
                ItemKind::Photo => "照片",
            },
        ),
        Col::Unit => match &item.kind {
            ItemKind::Measurement { unit, .. } => text(sheet, unit),
            _ => Ok(()),
        },
        Col::Min | Col::Max => match &item.kind {
            ItemKind::Measurement { min, max, .. } => {
                let value = if which == Col::Min { min } else { max };
                if let Some(value) = value {
                    sheet.write_number(row, col, *value)?;
                }
                Ok(())
            }
            _ => Ok(()),
        },
        Col::SectionId => text(sheet, &section.id),
        Col::SectionEn => text(sheet, &section.title_en),
        Col::SectionMax => {
            sheet.write_number(row, col, section.max_points)?;
            Ok(())
        }
        Col::Group => text(sheet, section.group.map_or("", |group| group.zh())),
        Col::Sheet => text(sheet, section.sheet.as_deref().unwrap_or("")),
        Col::TextEn => text(sheet, &item.text_en),
        Col::GuidanceEn => text(sheet, &item.guidance_en),
        Col::Tags => {
            let tags: Vec<String> = item.tags.iter().map(ToString::to_string).collect();
            text(sheet, &tags.join(", "))
        }
        Col::AbsentIf => text(sheet, &item.absent_if),
        Col::Verified => text(sheet, if item.verified { "是" } else { "否" }),
        Col::Source => text(sheet, &sources.join("\n")),
    }
}
