//! Reading a checklist from a spreadsheet: xlsx, xlsm, xls or ods through calamine, CSV (UTF-8 with
//! or without a BOM, or GB18030) through the csv crate. Every problem is reported at once with its
//! sheet, row and column (`检查表!F12: ...`, or `12:6: ...` for CSV); the checklist that comes out
//! has passed the same lint as the shipped files.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Cursor;

use calamine::{Data, Reader};
use zicha_core::checklist::{
    self, Checklist, Deduction, Group, Item, ItemKind, Jgj59Row, Jgj59Sheet, Level, Scoring,
    Section, Sector, Standard, Tag,
};

use crate::layout::{self, Col, InfoKey, column_letters, match_header};
use crate::toml_out;

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A cell or row of a workbook sheet: 1-based row, 0-based column when known.
    Sheet {
        /// Sheet name.
        sheet: String,
        /// 1-based row.
        row: usize,
        /// 0-based column.
        column: Option<usize>,
    },
    /// A line and field of a CSV file: 1-based line, 0-based field when known.
    Csv {
        /// 1-based line.
        line: usize,
        /// 0-based field.
        column: Option<usize>,
    },
    /// The file as a whole.
    File,
}

/// One problem found while importing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetProblem {
    /// Where.
    pub place: Place,
    /// What is wrong, naming the column.
    pub message: String,
}

impl fmt::Display for SheetProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Place::Sheet {
                sheet,
                row,
                column: Some(column),
            } => write!(
                f,
                "{sheet}!{}{row}: {}",
                column_letters(*column),
                self.message
            ),
            Place::Sheet {
                sheet,
                row,
                column: None,
            } => write!(f, "{sheet}!{row}: {}", self.message),
            Place::Csv {
                line,
                column: Some(column),
            } => write!(f, "{line}:{}: {}", column + 1, self.message),
            Place::Csv { line, column: None } => write!(f, "{line}: {}", self.message),
            Place::File => f.write_str(&self.message),
        }
    }
}

/// A checklist read from a spreadsheet.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The checklist, as [`checklist::parse`] reads [`Imported::toml`].
    pub checklist: Checklist,
    /// The checklist as a checklist file (its hash is the checklist's content hash).
    pub toml: String,
}

/// A cell as read: its text (trimmed) and, for a number cell, the number.
#[derive(Debug, Clone, Default)]
struct Cell {
    text: String,
    number: Option<f64>,
}

/// A row as read, with its 1-based row (line) number.
struct Row {
    number: usize,
    cells: Vec<Cell>,
}

impl Row {
    fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", |cell| cell.text.as_str())
    }

    fn is_blank(&self) -> bool {
        self.cells.iter().all(|cell| cell.text.is_empty())
    }
}

/// A table of rows from one sheet (or the CSV file).
struct Table {
    /// Sheet name; `None` for CSV.
    sheet: Option<String>,
    rows: Vec<Row>,
}

impl Table {
    fn place(&self, row: usize, column: Option<usize>) -> Place {
        match &self.sheet {
            Some(sheet) => Place::Sheet {
                sheet: sheet.clone(),
                row,
                column,
            },
            None => Place::Csv { line: row, column },
        }
    }
}

/// Collects problems.
#[derive(Default)]
struct Problems(Vec<SheetProblem>);

impl Problems {
    fn add(&mut self, place: Place, message: impl Into<String>) {
        self.0.push(SheetProblem {
            place,
            message: message.into(),
        });
    }
}

/// Reads a checklist from the bytes of a spreadsheet. `file_name` picks the format by its extension
/// (`.csv` is CSV, anything else a workbook whose format calamine detects) and gives the id and title
/// when the file has no sheet 信息.
pub fn import(bytes: &[u8], file_name: &str) -> Result<Imported, Vec<SheetProblem>> {
    let mut problems = Problems::default();
    let stem = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file_name)
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    let is_csv = file_name.to_ascii_lowercase().ends_with(".csv");
    let (items, info) = if is_csv {
        match read_csv(bytes) {
            Ok(table) => (table, None),
            Err(message) => return Err(vec![problem_file(message)]),
        }
    } else {
        match read_workbook(bytes) {
            Ok(tables) => tables,
            Err(message) => return Err(vec![problem_file(message)]),
        }
    };
    let info = info.map(|table| read_info(&table, &mut problems));
    let info = info.unwrap_or_default();
    let drafts = read_items(&items, &mut problems);
    if !problems.0.is_empty() {
        return Err(problems.0);
    }
    let checklist = assemble(stem, info, &drafts);
    let sources: HashMap<String, Vec<String>> = checklist
        .items()
        .zip(&drafts)
        .map(|((_, item), draft)| (item.id.clone(), draft.sources.clone()))
        .collect();
    let (toml, item_lines) = toml_out::to_toml(&checklist, &sources);
    let (parsed, lint) = checklist::parse(&toml);
    for found in lint {
        // The item whose table holds the line, and its row in the sheet.
        let idx = item_lines.partition_point(|&line| line <= found.line);
        let place = if idx == 0 {
            Place::File
        } else {
            items.place(drafts[idx - 1].row, None)
        };
        problems.add(place, found.message);
    }
    match parsed {
        Some(checklist) if problems.0.is_empty() => Ok(Imported { checklist, toml }),
        _ => {
            if problems.0.is_empty() {
                problems.add(Place::File, "the checklist could not be read back");
            }
            Err(problems.0)
        }
    }
}

fn problem_file(message: String) -> SheetProblem {
    SheetProblem {
        place: Place::File,
        message,
    }
}

/// Text of a calamine cell: numbers without a trailing `.0`.
fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::default(),
        Data::String(text) => Cell {
            text: text.trim().to_owned(),
            number: None,
        },
        Data::Int(n) => Cell {
            text: n.to_string(),
            number: Some(*n as f64),
        },
        Data::Float(f) => Cell {
            text: toml_out::number(*f),
            number: Some(*f),
        },
        Data::Bool(b) => Cell {
            text: if *b { "是" } else { "否" }.to_owned(),
            number: None,
        },
        Data::DateTime(dt) => Cell {
            text: dt.as_f64().to_string(),
            number: Some(dt.as_f64()),
        },
        Data::DateTimeIso(text) | Data::DurationIso(text) => Cell {
            text: text.trim().to_owned(),
            number: None,
        },
        Data::Error(error) => Cell {
            text: format!("#{error:?}"),
            number: None,
        },
    }
}

/// The item sheet and the info sheet (if any) of a workbook.
fn read_workbook(bytes: &[u8]) -> Result<(Table, Option<Table>), String> {
    let mut workbook =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|error| {
            format!(
                "not a spreadsheet this import reads (xlsx, xlsm, xls, ods) or damaged: {error}"
            )
        })?;
    let names = workbook.sheet_names();
    let item_sheet = names
        .iter()
        .find(|name| name.trim() == layout::ITEM_SHEET)
        .or_else(|| {
            names
                .iter()
                .find(|name| name.trim() != layout::INFO_SHEET && name.trim() != layout::HELP_SHEET)
        })
        .cloned()
        .ok_or_else(|| "the workbook has no sheet".to_owned())?;
    let mut read = |name: &str| -> Result<Table, String> {
        let range = workbook
            .worksheet_range(name)
            .map_err(|error| format!("sheet {name}: cannot be read: {error}"))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(idx, cells)| {
                let mut row: Vec<Cell> = vec![Cell::default(); col0 as usize];
                row.extend(cells.iter().map(cell_of));
                Row {
                    number: row0 as usize + idx + 1,
                    cells: row,
                }
            })
            .collect();
        Ok(Table {
            sheet: Some(name.to_owned()),
            rows,
        })
    };
    let items = read(&item_sheet)?;
    let info = match names.iter().find(|name| name.trim() == layout::INFO_SHEET) {
        Some(name) => Some(read(&name.clone())?),
        None => None,
    };
    Ok((items, info))
}

/// A CSV file's rows: UTF-8 (a BOM is dropped) or, when the bytes are not UTF-8, GB18030.
fn read_csv(bytes: &[u8]) -> Result<Table, String> {
    let text = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => String::from_utf8_lossy(rest).into_owned(),
        None => match std::str::from_utf8(bytes) {
            Ok(text) => text.to_owned(),
            Err(_) => {
                let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
                if had_errors {
                    return Err("the CSV file is neither UTF-8 nor GB18030 text".to_owned());
                }
                text.into_owned()
            }
        },
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| {
            let line = error.position().map_or(0, |position| position.line());
            format!("{line}: the CSV file cannot be read: {error}")
        })?;
        let number = record
            .position()
            .map_or(rows.len() + 1, |position| position.line() as usize);
        let cells = record
            .iter()
            .map(|field| {
                let text = field.trim().to_owned();
                let number = text.parse::<f64>().ok().filter(|n| n.is_finite());
                Cell { text, number }
            })
            .collect();
        rows.push(Row { number, cells });
    }
    Ok(Table { sheet: None, rows })
}

/// What sheet 信息 says.
#[derive(Default)]
struct Info {
    id: Option<String>,
    title: Option<String>,
    title_en: Option<String>,
    sector: Option<Sector>,
    version: Option<String>,
    scoring: Option<Scoring>,
    standards: Vec<Standard>,
    rows: Vec<Jgj59Row>,
    sheets: Vec<Jgj59Sheet>,
}

fn read_info(table: &Table, problems: &mut Problems) -> Info {
    let mut info = Info::default();
    for row in &table.rows {
        let key = layout::normalise_header(row.cell(0));
        if key.is_empty() {
            continue;
        }
        let Some((key, _, _)) = layout::INFO_KEYS
            .iter()
            .find(|(_, header, _)| layout::normalise_header(header) == key)
        else {
            // A title or note row above or beside the keys.
            if row.cells.iter().skip(1).all(|cell| cell.text.is_empty()) {
                continue;
            }
            problems.add(
                table.place(row.number, Some(0)),
                format!(
                    "unknown key \"{}\"; known: {}",
                    row.cell(0),
                    layout::INFO_KEYS
                        .iter()
                        .map(|(_, header, _)| *header)
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            );
            continue;
        };
        let value = |idx: usize| row.cell(idx).to_owned();
        // An empty 标准 / 汇总表行 / 分项评分表 row, as the empty template has.
        if matches!(key, InfoKey::Standard | InfoKey::Row | InfoKey::ScoreSheet)
            && (1..=4).all(|idx| row.cell(idx).is_empty())
        {
            continue;
        }
        let nonempty = |idx: usize| Some(value(idx)).filter(|text| !text.is_empty());
        match key {
            InfoKey::Id => info.id = nonempty(1),
            InfoKey::Title => info.title = nonempty(1),
            InfoKey::TitleEn => info.title_en = nonempty(1),
            InfoKey::Version => info.version = nonempty(1),
            InfoKey::Sector => {
                let text = value(1);
                if text.is_empty() {
                    continue;
                }
                match Sector::ALL
                    .into_iter()
                    .find(|sector| sector.key() == text || sector.zh() == text)
                {
                    Some(sector) => info.sector = Some(sector),
                    None => problems.add(
                        table.place(row.number, Some(1)),
                        format!("行业 \"{text}\" is not a known sector"),
                    ),
                }
            }
            InfoKey::Scoring => match value(1).as_str() {
                "" | "points" | "得分率" => info.scoring = Some(Scoring::Points),
                "jgj59" | "JGJ59" | "JGJ 59" => info.scoring = Some(Scoring::Jgj59),
                other => problems.add(
                    table.place(row.number, Some(1)),
                    format!("评分方式 \"{other}\" must be points or jgj59"),
                ),
            },
            InfoKey::Standard => {
                if value(1).is_empty() {
                    problems.add(table.place(row.number, Some(1)), "标准: the code is empty");
                    continue;
                }
                let judgement = match yes_no(&value(4)) {
                    Some(judgement) => judgement,
                    None => {
                        problems.add(
                            table.place(row.number, Some(4)),
                            format!("标准: 判定标准 \"{}\" must be 是 or 否", value(4)),
                        );
                        false
                    }
                };
                info.standards.push(Standard {
                    code: value(1),
                    title: nonempty(2).unwrap_or_else(|| value(1)),
                    effective: nonempty(3),
                    judgement,
                });
            }
            InfoKey::Row => {
                let weight = row.cells.get(4).and_then(number_of);
                if weight.is_none() {
                    problems.add(
                        table.place(row.number, Some(4)),
                        format!("汇总表行: 满分 \"{}\" is not a number", value(4)),
                    );
                }
                info.rows.push(Jgj59Row {
                    id: value(1),
                    title_zh: value(2),
                    title_en: value(3),
                    weight: weight.unwrap_or(0.0),
                });
            }
            InfoKey::ScoreSheet => info.sheets.push(Jgj59Sheet {
                id: value(1),
                title_zh: value(2),
                title_en: value(3),
                row: value(4),
            }),
        }
    }
    info
}

/// 是/否 (and yes/no, true/false, 1/0, ✓); blank is 否.
fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "是" | "yes" | "y" | "true" | "1" | "√" | "✓" | "重大" => Some(true),
        "否" | "no" | "n" | "false" | "0" | "" | "一般" => Some(false),
        _ => None,
    }
}

/// A number in a cell: a number cell, or text such as "10", "10分", "２".
fn number_of(cell: &Cell) -> Option<f64> {
    if let Some(number) = cell.number {
        return Some(number);
    }
    let text: String = cell
        .text
        .trim()
        .trim_end_matches('分')
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            c => c,
        })
        .collect();
    text.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// An item row, as read and checked cell by cell.
struct Draft {
    row: usize,
    section_title: String,
    section_id: Option<String>,
    section_en: String,
    section_max: Option<f64>,
    group: Option<Group>,
    sheet: Option<String>,
    id: Option<String>,
    sources: Vec<String>,
    item: Item,
}

fn read_items(table: &Table, problems: &mut Problems) -> Vec<Draft> {
    // The header: the first of the first 20 rows that names 检查内容 and one more column.
    let header = table.rows.iter().take(20).position(|row| {
        let named: Vec<Col> = row
            .cells
            .iter()
            .filter_map(|cell| match_header(&cell.text))
            .collect();
        named.contains(&Col::Text) && named.len() >= 2
    });
    let Some(header) = header else {
        let first = table.rows.first().map_or(1, |row| row.number);
        problems.add(
            table.place(first, None),
            format!(
                "no header row: none of the first 20 rows names the columns {} (see the template)",
                layout::COLUMNS
                    .iter()
                    .filter(|column| column.required)
                    .map(|column| column.header)
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        );
        return Vec::new();
    };
    let header_row = &table.rows[header];
    let mut columns: HashMap<Col, usize> = HashMap::new();
    for (idx, cell) in header_row.cells.iter().enumerate() {
        if let Some(col) = match_header(&cell.text)
            && columns.insert(col, idx).is_some()
        {
            problems.add(
                table.place(header_row.number, Some(idx)),
                format!("column {} appears twice", layout::column(col).header),
            );
        }
    }
    for column in layout::COLUMNS.iter().filter(|column| column.required) {
        if !columns.contains_key(&column.col) {
            problems.add(
                table.place(header_row.number, None),
                format!("the header row has no column {}", column.header),
            );
        }
    }
    if !problems.0.is_empty() {
        return Vec::new();
    }
    let at = |col: Col| columns.get(&col).copied();
    let mut drafts = Vec::new();
    // Section cells carried down from the row above (merged cells are blank below their first row).
    let mut section_title = String::new();
    let mut section_id: Option<String> = None;
    let mut section_en = String::new();
    let mut section_max: Option<f64> = None;
    let mut group: Option<Group> = None;
    let mut sheet: Option<String> = None;
    for row in &table.rows[header + 1..] {
        if row.is_blank() {
            continue;
        }
        let text_of = |col: Col| at(col).map_or("", |idx| row.cell(idx));
        let place = |col: Col| table.place(row.number, at(col));
        let header_of = |col: Col| layout::column(col).header;
        let new_section = !text_of(Col::Section).is_empty() || !text_of(Col::SectionId).is_empty();
        if !text_of(Col::Section).is_empty() {
            section_title = text_of(Col::Section).to_owned();
        }
        if new_section {
            section_id = Some(text_of(Col::SectionId).to_owned()).filter(|id| !id.is_empty());
            section_en = text_of(Col::SectionEn).to_owned();
            section_max = None;
            group = None;
            sheet = Some(text_of(Col::Sheet).to_owned()).filter(|sheet| !sheet.is_empty());
        }
        if !text_of(Col::SectionMax).is_empty() {
            let cell = at(Col::SectionMax).and_then(|idx| row.cells.get(idx));
            match cell.and_then(number_of) {
                Some(max) => section_max = Some(max),
                None => problems.add(
                    place(Col::SectionMax),
                    format!(
                        "{} \"{}\" is not a number",
                        header_of(Col::SectionMax),
                        text_of(Col::SectionMax)
                    ),
                ),
            }
        }
        match text_of(Col::Group) {
            "" => {}
            "保证项目" => group = Some(Group::Guarantee),
            "一般项目" => group = Some(Group::General),
            other => problems.add(
                place(Col::Group),
                format!(
                    "{} \"{other}\" must be 保证项目 or 一般项目",
                    header_of(Col::Group)
                ),
            ),
        }
        if section_title.is_empty() {
            problems.add(
                place(Col::Section),
                format!(
                    "{} is empty and no row above names one",
                    header_of(Col::Section)
                ),
            );
        }
        let text_zh = text_of(Col::Text).to_owned();
        if text_zh.is_empty() {
            problems.add(
                place(Col::Text),
                format!("{} is empty", header_of(Col::Text)),
            );
        }
        let clause = text_of(Col::Clause).to_owned();
        if clause.is_empty() {
            problems.add(
                place(Col::Clause),
                format!(
                    "{} is empty (write {} for an item of the enterprise's own)",
                    header_of(Col::Clause),
                    checklist::OWN_CLAUSE
                ),
            );
        }
        let points = if text_of(Col::Points).is_empty() {
            0.0
        } else {
            let cell = at(Col::Points).and_then(|idx| row.cells.get(idx));
            match cell.and_then(number_of) {
                Some(points) if points >= 0.0 => points,
                _ => {
                    problems.add(
                        place(Col::Points),
                        format!(
                            "{} \"{}\" is not a number",
                            header_of(Col::Points),
                            text_of(Col::Points)
                        ),
                    );
                    0.0
                }
            }
        };
        let level = match yes_no(text_of(Col::Level)) {
            Some(true) => Level::Major,
            Some(false) => Level::General,
            None => {
                problems.add(
                    place(Col::Level),
                    format!(
                        "{} \"{}\" must be 一般 or 重大 (是 or 否)",
                        header_of(Col::Level),
                        text_of(Col::Level)
                    ),
                );
                Level::General
            }
        };
        let deductions_text = text_of(Col::Deductions);
        let mut deductions = Vec::new();
        for line in deductions_text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
        {
            match parse_deduction(line) {
                Some(rule) => deductions.push(rule),
                None => problems.add(
                    place(Col::Deductions),
                    format!(
                        "{} \"{line}\" does not end with the points off, e.g. （扣2分）, （扣2-5分） or （每处扣2分）",
                        header_of(Col::Deductions)
                    ),
                ),
            }
        }
        let kind_name = match text_of(Col::Kind) {
            "" if !deductions_text.is_empty() => "deduction",
            "" => "check",
            "检查" | "check" => "check",
            "扣分" | "deduction" => "deduction",
            "实测" | "measurement" => "measurement",
            "文字" | "text" => "text",
            "照片" | "photo" => "photo",
            other => {
                problems.add(
                    place(Col::Kind),
                    format!(
                        "{} \"{other}\" must be 检查, 扣分, 实测, 文字 or 照片",
                        header_of(Col::Kind)
                    ),
                );
                "check"
            }
        };
        if kind_name != "deduction" && !deductions_text.is_empty() {
            problems.add(
                place(Col::Deductions),
                format!(
                    "{} is given, but the item's 类型 is not 扣分",
                    header_of(Col::Deductions)
                ),
            );
        }
        let bound = |col: Col, problems: &mut Problems| -> Option<f64> {
            let text = text_of(col);
            if text.is_empty() {
                return None;
            }
            let value = at(col)
                .and_then(|idx| row.cells.get(idx))
                .and_then(number_of);
            if value.is_none() {
                problems.add(
                    place(col),
                    format!("{} \"{text}\" is not a number", header_of(col)),
                );
            }
            value
        };
        let kind = match kind_name {
            "deduction" => {
                if deductions.is_empty() && deductions_text.is_empty() {
                    problems.add(
                        place(Col::Deductions),
                        format!("a 扣分 item needs its {}", header_of(Col::Deductions)),
                    );
                }
                ItemKind::Deduction(deductions)
            }
            "measurement" => {
                let min = bound(Col::Min, problems);
                let max = bound(Col::Max, problems);
                if text_of(Col::Min).is_empty() && text_of(Col::Max).is_empty() {
                    problems.add(
                        place(Col::Max),
                        "a 实测 item needs a 下限 or an 上限".to_owned(),
                    );
                }
                ItemKind::Measurement {
                    unit: text_of(Col::Unit).to_owned(),
                    min,
                    max,
                }
            }
            "text" => ItemKind::Text,
            "photo" => ItemKind::Photo,
            _ => ItemKind::Check,
        };
        let mut tags = Vec::new();
        for name in text_of(Col::Tags)
            .split([',', '，', '、', ';', '；'])
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            match Tag::parse(name) {
                Some(tag) => {
                    if !tags.contains(&tag) {
                        tags.push(tag);
                    }
                }
                None => problems.add(
                    place(Col::Tags),
                    format!("{} \"{name}\" is not a known tag", header_of(Col::Tags)),
                ),
            }
        }
        // An item a list marks 重大 is a criterion of its 判定标准.
        if level == Level::Major && !tags.contains(&Tag::Judgement) {
            tags.push(Tag::Judgement);
        }
        let verified = match yes_no(text_of(Col::Verified)) {
            Some(verified) => verified,
            None => {
                problems.add(
                    place(Col::Verified),
                    format!(
                        "{} \"{}\" must be 是 or 否",
                        header_of(Col::Verified),
                        text_of(Col::Verified)
                    ),
                );
                false
            }
        };
        drafts.push(Draft {
            row: row.number,
            section_title: section_title.clone(),
            section_id: section_id.clone(),
            section_en: section_en.clone(),
            section_max,
            group,
            sheet: sheet.clone(),
            id: Some(text_of(Col::Id).to_owned()).filter(|id| !id.is_empty()),
            sources: text_of(Col::Source)
                .split(char::is_whitespace)
                .filter(|url| url.starts_with("http://") || url.starts_with("https://"))
                .map(str::to_owned)
                .collect(),
            item: Item {
                id: String::new(),
                text_zh,
                hazard_zh: text_of(Col::Hazard).to_owned(),
                text_en: text_of(Col::TextEn).to_owned(),
                kind,
                points,
                level,
                clause,
                guidance: text_of(Col::Guidance).to_owned(),
                guidance_en: text_of(Col::GuidanceEn).to_owned(),
                tags,
                verified,
                absent_if: text_of(Col::AbsentIf).to_owned(),
            },
        });
    }
    if drafts.is_empty() && problems.0.is_empty() {
        problems.add(
            table.place(header_row.number, None),
            "no item rows below the header row".to_owned(),
        );
    }
    drafts
}

/// A deduction rule as the template writes it: `text（扣2分）`, `text（扣2-5分）`,
/// `text（每处扣2分）`; also without brackets after a comma (`text，扣2分`).
pub(crate) fn parse_deduction(line: &str) -> Option<Deduction> {
    let line = line.trim().trim_end_matches(['。', '；', ';']);
    let (body, tail) =
        if let Some(inner) = line.strip_suffix('）').or_else(|| line.strip_suffix(')')) {
            let open = inner.rfind(['（', '('])?;
            let bracket = &inner[open..];
            let bracket_len = bracket.chars().next()?.len_utf8();
            (&inner[..open], &bracket[bracket_len..])
        } else {
            let at = line.rfind(['，', ',', ' '])?;
            let sep_len = line[at..].chars().next()?.len_utf8();
            (&line[..at], &line[at + sep_len..])
        };
    let tail = tail.trim();
    let (per, rest) = match tail.strip_prefix('每') {
        Some(rest) => {
            let at = rest.find('扣')?;
            (Some(rest[..at].trim().to_owned()), &rest[at..])
        }
        None => (None, tail),
    };
    let points = rest.strip_prefix('扣')?.strip_suffix('分')?.trim();
    let (min, max) = match points.split_once(['-', '～', '~', '至', '－']) {
        Some((min, max)) => (
            min.trim().parse::<f64>().ok()?,
            max.trim().parse::<f64>().ok()?,
        ),
        None => {
            let n = points.parse::<f64>().ok()?;
            (n, n)
        }
    };
    let text = body.trim().trim_end_matches(['，', ',']).trim();
    if text.is_empty() || min > max || min < 0.0 {
        return None;
    }
    Some(Deduction {
        text: text.to_owned(),
        min,
        max,
        per: per.filter(|per| !per.is_empty()),
    })
}

/// A deduction rule written as [`parse_deduction`] reads it.
pub(crate) fn format_deduction(rule: &Deduction) -> String {
    let points = if rule.min == rule.max {
        toml_out::number(rule.min)
    } else {
        format!(
            "{}-{}",
            toml_out::number(rule.min),
            toml_out::number(rule.max)
        )
    };
    match &rule.per {
        Some(per) => format!("{}（每{per}扣{points}分）", rule.text),
        None => format!("{}（扣{points}分）", rule.text),
    }
}

/// An id as the lint accepts it: lower case, `.`/`_`/spaces as `-`.
fn normalise_id(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            '.' | '_' | ' ' | '．' => '-',
            c => c,
        })
        .collect()
}

fn assemble(stem: &str, info: Info, drafts: &[Draft]) -> Checklist {
    // Sections in order of first appearance; a section id given or s1, s2, ...
    let mut sections: Vec<Section> = Vec::new();
    let mut maxes: Vec<Option<f64>> = Vec::new();
    let mut index_of: HashMap<(String, Option<String>), usize> = HashMap::new();
    let mut current: Option<usize> = None;
    for draft in drafts {
        let key = (draft.section_title.clone(), draft.section_id.clone());
        let idx = match current.filter(|&idx| {
            sections[idx].title_zh == draft.section_title
                && draft
                    .section_id
                    .as_deref()
                    .is_none_or(|id| sections[idx].id == normalise_id(id))
        }) {
            Some(idx) => idx,
            None => *index_of.entry(key).or_insert_with(|| {
                let id = draft
                    .section_id
                    .as_deref()
                    .map_or_else(|| format!("s{}", sections.len() + 1), normalise_id);
                sections.push(Section {
                    id,
                    title_zh: draft.section_title.clone(),
                    title_en: draft.section_en.clone(),
                    max_points: 0.0,
                    group: draft.group,
                    sheet: draft.sheet.clone(),
                    items: Vec::new(),
                });
                maxes.push(None);
                sections.len() - 1
            }),
        };
        current = Some(idx);
        if draft.section_max.is_some() {
            maxes[idx] = draft.section_max;
        }
        sections[idx].items.push(draft.item.clone());
    }
    // Item ids: the 序号 column when its values are unique, else prefixed with the section id
    // (lists that number each section from 1); generated where blank.
    let given: Vec<Option<String>> = drafts
        .iter()
        .map(|draft| draft.id.as_deref().map(normalise_id))
        .collect();
    let mut seen = HashSet::new();
    let unique = given.iter().flatten().all(|id| seen.insert(id.clone()));
    let mut ids = drafts.iter().zip(&given);
    for section in &mut sections {
        for (n, item) in section.items.iter_mut().enumerate() {
            let (_, given) = ids.next().expect("one id per draft");
            item.id = match given {
                Some(id) if unique => id.clone(),
                Some(id) => format!("{}-{id}", section.id),
                None => format!("{}-{}", section.id, n + 1),
            };
        }
    }
    for (section, max) in sections.iter_mut().zip(&maxes) {
        let sum: f64 = section.items.iter().map(|item| item.points).sum();
        section.max_points = max.unwrap_or(sum);
    }
    let scoring = info.scoring.unwrap_or(Scoring::Points);
    // Standards: those sheet 信息 declares, plus one per clause that cites none of them (its
    // text up to the last space, or all of it), a 判定标准 when a 重大 item cites it.
    let mut standards = info.standards;
    let declared = standards.len();
    for draft in drafts {
        let clause = draft.item.clause.trim();
        if clause.is_empty()
            || clause == checklist::OWN_CLAUSE
            || standards
                .iter()
                .any(|standard| clause.starts_with(standard.code.as_str()))
        {
            continue;
        }
        let code = clause
            .rsplit_once(char::is_whitespace)
            .map_or(clause, |(code, _)| code.trim())
            .to_owned();
        standards.push(Standard {
            title: code.clone(),
            code,
            effective: None,
            judgement: false,
        });
    }
    // An inferred standard that a 重大 item cites is that list's 判定标准; a declared one keeps
    // what sheet 信息 says.
    for draft in drafts
        .iter()
        .filter(|draft| draft.item.level == Level::Major)
    {
        let clause = draft.item.clause.trim();
        if let Some(standard) = standards[declared..]
            .iter_mut()
            .find(|standard| clause.starts_with(standard.code.as_str()))
        {
            standard.judgement = true;
        }
    }
    if standards.is_empty() {
        standards.push(Standard {
            code: checklist::OWN_CLAUSE.to_owned(),
            title: "企业自行制定的检查要求".to_owned(),
            effective: None,
            judgement: false,
        });
    }
    let id = info
        .id
        .map(|id| normalise_id(&id))
        .unwrap_or_else(|| id_from_stem(stem));
    Checklist {
        id,
        version: info.version.unwrap_or_else(|| "1".to_owned()),
        hash: checklist::content_hash(""),
        sector: info.sector.unwrap_or(Sector::Generic),
        // A title must contain Chinese: a file named in Latin letters gives 导入的检查表（name）.
        title_zh: info.title.unwrap_or_else(|| {
            if stem.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
                stem.to_owned()
            } else {
                format!("导入的检查表（{stem}）")
            }
        }),
        title_en: info.title_en.unwrap_or_default(),
        scoring,
        standards,
        jgj59_rows: info.rows,
        jgj59_sheets: info.sheets,
        sections,
    }
}

/// A checklist id from a file name: lower-case ASCII letters and digits, other runs as `-`;
/// `imported` when nothing is left (a Chinese file name).
fn id_from_stem(stem: &str) -> String {
    let mut id = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let id = id.trim_matches('-').to_owned();
    if id.is_empty() {
        "imported".to_owned()
    } else {
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deductions_read_in_the_forms_lists_use() {
        let rule = parse_deduction("未建立安全生产责任制（扣10分）").unwrap();
        assert_eq!(
            (rule.text.as_str(), rule.min, rule.max, rule.per),
            ("未建立安全生产责任制", 10.0, 10.0, None)
        );
        let rule = parse_deduction("交底内容不全面（扣2-5分）").unwrap();
        assert_eq!((rule.min, rule.max), (2.0, 5.0));
        let rule = parse_deduction("特种作业人员无证上岗（每人扣2分）").unwrap();
        assert_eq!((rule.per.as_deref(), rule.min), (Some("人"), 2.0));
        let rule = parse_deduction("没有安全检查记录，扣5分").unwrap();
        assert_eq!((rule.text.as_str(), rule.min), ("没有安全检查记录", 5.0));
        let rule = parse_deduction("脚手架（含外架）未验收(扣 3～6 分)。").unwrap();
        assert_eq!(
            (rule.text.as_str(), rule.min, rule.max),
            ("脚手架（含外架）未验收", 3.0, 6.0)
        );
        assert_eq!(parse_deduction("未建立制度"), None);
        assert_eq!(parse_deduction("（扣5分）"), None);
        assert_eq!(parse_deduction("未建立制度（扣5-2分）"), None);
    }

    #[test]
    fn deductions_written_read_back() {
        for rule in [
            Deduction {
                text: "a（b）".into(),
                min: 2.0,
                max: 2.0,
                per: None,
            },
            Deduction {
                text: "c".into(),
                min: 0.5,
                max: 10.0,
                per: None,
            },
            Deduction {
                text: "d".into(),
                min: 2.0,
                max: 5.0,
                per: Some("处".into()),
            },
        ] {
            assert_eq!(parse_deduction(&format_deduction(&rule)), Some(rule));
        }
    }

    #[test]
    fn ids_from_file_names() {
        assert_eq!(id_from_stem("My List_2026"), "my-list-2026");
        assert_eq!(id_from_stem("加油站排查表"), "imported");
        assert_eq!(id_from_stem("加油站 gas"), "gas");
    }
}
