//! The verify page's inbox as a file: the register's rows (zicha_report::register) as CSV —
//! written by zicha-report's `CsvWriter`, so its cells are quoted and neutralised against
//! formulas exactly as `zicha verify --csv`'s — or as an xlsx workbook (rust_xlsxwriter) with a
//! `reports` and a `signatures` sheet under the register's column names.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use zicha_report::check::CsvWriter;
use zicha_report::register::{Cell, REPORT_COLUMNS, ReportRow, SIGNATURE_COLUMNS, SignatureRow};

use crate::state::jobs::InboxFormat;

type Result<T> = std::result::Result<T, String>;

/// The file of `reports` (and, in xlsx, `signatures`), rows as JSON.
pub(super) fn export(
    format: InboxFormat,
    reports: Vec<serde_json::Value>,
    signatures: Vec<serde_json::Value>,
) -> Result<Vec<u8>> {
    let reports: Vec<ReportRow> = rows(reports, "report")?;
    match format {
        InboxFormat::Csv => {
            let mut writer =
                CsvWriter::with_columns(Vec::new(), &REPORT_COLUMNS).map_err(|e| e.to_string())?;
            for row in &reports {
                let cells: Vec<String> = row.cells().iter().map(Cell::text).collect();
                writer.write_cells(&cells).map_err(|e| e.to_string())?;
            }
            writer.into_inner().map_err(|e| e.to_string())
        }
        InboxFormat::Xlsx => {
            let signatures: Vec<SignatureRow> = rows(signatures, "signature")?;
            let mut workbook = Workbook::new();
            sheet(
                workbook.add_worksheet(),
                "reports",
                &REPORT_COLUMNS,
                reports.iter().map(ReportRow::cells),
            )?;
            sheet(
                workbook.add_worksheet(),
                "signatures",
                &SIGNATURE_COLUMNS,
                signatures.iter().map(SignatureRow::cells),
            )?;
            workbook.save_to_buffer().map_err(|e| e.to_string())
        }
    }
}

fn rows<T: serde::de::DeserializeOwned>(
    values: Vec<serde_json::Value>,
    what: &str,
) -> Result<Vec<T>> {
    values
        .into_iter()
        .enumerate()
        .map(|(index, value)| {
            serde_json::from_value(value).map_err(|e| format!("{what} row {}: {e}", index + 1))
        })
        .collect()
}

/// One sheet: the column names in bold, frozen and filtered, then a line per row. Days are
/// Excel dates; moments stay RFC 3339 text (with their offset, which an Excel date cannot keep).
fn sheet(
    worksheet: &mut Worksheet,
    name: &str,
    columns: &[&str],
    rows: impl Iterator<Item = Vec<Cell>>,
) -> Result<()> {
    let error = |e: rust_xlsxwriter::XlsxError| format!("xlsx {name}: {e}");
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    worksheet.set_name(name).map_err(error)?;
    for (col, column) in columns.iter().enumerate() {
        worksheet
            .write_string_with_format(0, col as u16, *column, &bold)
            .map_err(error)?;
        worksheet.set_column_width(col as u16, 16).map_err(error)?;
    }
    let mut last_row = 0;
    for (index, cells) in rows.enumerate() {
        let row = index as u32 + 1;
        last_row = row;
        for (col, cell) in cells.into_iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Null => {}
                Cell::Text(text) => {
                    worksheet.write_string(row, col, text).map_err(error)?;
                }
                Cell::Int(n) => {
                    worksheet.write_number(row, col, n as f64).map_err(error)?;
                }
                Cell::Float(x) => {
                    worksheet.write_number(row, col, x).map_err(error)?;
                }
                Cell::Bool(b) => {
                    worksheet.write_boolean(row, col, b).map_err(error)?;
                }
                Cell::Date(date) => {
                    let excel = ExcelDateTime::from_ymd(
                        date.year() as u16,
                        u8::from(date.month()),
                        date.day(),
                    )
                    .map_err(error)?;
                    worksheet
                        .write_datetime_with_format(row, col, &excel, &day)
                        .map_err(error)?;
                }
                timestamp @ Cell::Timestamp(_) => {
                    worksheet
                        .write_string(row, col, timestamp.text())
                        .map_err(error)?;
                }
            }
        }
    }
    worksheet.set_freeze_panes(1, 0).map_err(error)?;
    worksheet
        .autofilter(0, 0, last_row, columns.len().saturating_sub(1) as u16)
        .map_err(error)?;
    Ok(())
}
