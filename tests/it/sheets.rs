//! Checklists from spreadsheets and results to spreadsheets (zicha-sheet, `zicha import`,
//! `zicha template`, `zicha export`): a hand-made workbook with title rows and merged cells, a CSV
//! saved as GB18030, ten mistakes reported at once by cell, the ledger read back by another
//! reader, and an imported checklist re-scored by `zicha verify` from the signed report alone.

use std::path::Path;

use calamine::{Data, Reader};
use rust_xlsxwriter::{Format, Workbook};
use zicha_core::checklist::{ItemKind, Level, Tag};

use crate::signing::{TIME, keygen, sign_with};
use crate::support::{temp_dir, zicha, zicha_ok};

/// A 加油站 list as a city bureau might send it: a merged title row, header aliases, section
/// cells merged down, 序号 restarting in each section, 是/否 for 重大, a blank 分值, a 扣分 item.
fn hand_made_workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("排查表").unwrap();
    let plain = Format::new();
    sheet
        .merge_range(0, 0, 0, 8, "某市加油站安全隐患排查表（2026年版）", &plain)
        .unwrap();
    let header = [
        "类别",
        "序号",
        "检查内容及要求",
        "隐患内容",
        "检查依据",
        "分值",
        "是否重大隐患",
        "扣分标准",
        "检查方法",
    ];
    for (col, text) in header.iter().enumerate() {
        sheet.write_string(1, col as u16, *text).unwrap();
    }
    sheet.merge_range(2, 0, 4, 0, "安全管理", &plain).unwrap();
    let rows: [[&str; 8]; 5] = [
        [
            "1",
            "主要负责人经考核合格",
            "主要负责人未经考核合格",
            "安监总管三〔2017〕121号 第(一)项",
            "10",
            "是",
            "",
            "查考核合格证明",
        ],
        [
            "2",
            "建立全员安全生产责任制",
            "",
            "安全生产法 第二十二条",
            "10",
            "否",
            "未建立全员安全生产责任制（扣10分）\n责任制未签字确认（每人扣2分）",
            "",
        ],
        [
            "3",
            "每月开展应急演练",
            "未每月开展应急演练",
            "企业自定",
            "",
            "否",
            "",
            "查演练记录",
        ],
        [
            "1",
            "油罐设高液位报警",
            "油罐未设高液位报警",
            "GB 50156-2021 6.1.1",
            "5",
            "",
            "",
            "",
        ],
        [
            "2",
            "站内禁止吸烟的标志齐全",
            "站内禁止吸烟的标志缺失",
            "GB 50156-2021 12.2.3",
            "5",
            "否",
            "",
            "",
        ],
    ];
    for (idx, row) in rows.iter().enumerate() {
        let r = idx as u32 + 2;
        for (offset, text) in row.iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string(r, offset as u16 + 1, *text).unwrap();
            }
        }
    }
    sheet.merge_range(5, 0, 6, 0, "站内设施", &plain).unwrap();
    workbook.save_to_buffer().unwrap()
}

#[test]
fn a_hand_made_workbook_imports_with_merged_cells_carried_down() {
    let imported = zicha_sheet::import(&hand_made_workbook(), "某市加油站排查表.xlsx")
        .unwrap_or_else(|problems| panic!("{problems:#?}"));
    let checklist = &imported.checklist;
    assert_eq!(checklist.id, "imported");
    assert_eq!(checklist.title_zh, "某市加油站排查表");
    let sections: Vec<(&str, &str, f64, usize)> = checklist
        .sections
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                s.title_zh.as_str(),
                s.max_points,
                s.items.len(),
            )
        })
        .collect();
    assert_eq!(
        sections,
        [("s1", "安全管理", 20.0, 3), ("s2", "站内设施", 10.0, 2)]
    );
    // 序号 restart in each section: ids get the section's prefix.
    let ids: Vec<&str> = checklist
        .items()
        .map(|(_, item)| item.id.as_str())
        .collect();
    assert_eq!(ids, ["s1-1", "s1-2", "s1-3", "s2-1", "s2-2"]);
    let first = checklist.item("s1-1").unwrap();
    assert_eq!(first.level, Level::Major);
    assert!(
        first.has_tag(&Tag::Judgement),
        "重大 in a list is a 判定标准 criterion"
    );
    let ItemKind::Deduction(rules) = &checklist.item("s1-2").unwrap().kind else {
        panic!("s1-2 has 扣分标准");
    };
    assert_eq!(rules.len(), 2);
    assert_eq!((rules[1].min, rules[1].per.as_deref()), (2.0, Some("人")));
    assert_eq!(
        checklist.item("s1-3").unwrap().points,
        0.0,
        "blank 分值: unscored"
    );
    assert_eq!(checklist.item("s1-3").unwrap().clause, "企业自定");
    // Standards inferred from the clauses; the one a 重大 item cites is the list's 判定标准.
    let standards: Vec<(&str, bool)> = checklist
        .standards
        .iter()
        .map(|s| (s.code.as_str(), s.judgement))
        .collect();
    assert_eq!(
        standards,
        [
            ("安监总管三〔2017〕121号", true),
            ("安全生产法", false),
            ("GB 50156-2021", false)
        ]
    );
    // The TOML is a checklist file that lints clean.
    let (_, problems) = zicha_core::checklist::parse_file("imported", &imported.toml);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn ten_mistakes_are_reported_at_once_by_cell() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("检查表").unwrap();
    let header = [
        "分类",
        "序号",
        "检查内容",
        "隐患描述",
        "依据条款",
        "分值",
        "隐患级别",
        "扣分标准",
        "检查方法",
        "类型",
        "单位",
        "下限",
        "上限",
        "分类编号",
        "分类英文",
        "分类满分",
        "项目类别",
        "评分表",
        "英文内容",
        "检查方法英文",
        "标签",
        "不适用条件",
        "已核对原文",
        "核对来源",
    ];
    for (col, text) in header.iter().enumerate() {
        sheet.write_string(0, col as u16, *text).unwrap();
    }
    // Row 2 is fine; rows 3-12 hold one mistake each (columns by letter in the comments).
    let mut put = |row: u32, cells: &[(u16, &str)]| {
        let base: [(u16, &str); 6] = [
            (0, "管理"),
            (1, ""),
            (2, "建立制度"),
            (3, "未建立制度"),
            (4, "企业自定"),
            (5, "5"),
        ];
        let overridden = |col: u16| cells.iter().any(|(c, _)| *c == col);
        for (col, text) in base
            .iter()
            .filter(|(col, _)| !overridden(*col))
            .chain(cells)
        {
            sheet.write_string(row, *col, *text).unwrap();
        }
        if !cells.iter().any(|(col, _)| *col == 1) {
            sheet.write_string(row, 1, format!("r{}", row + 1)).unwrap();
        }
    };
    put(1, &[]);
    put(2, &[(5, "十")]); // F3 分值
    put(3, &[(6, "特大")]); // G4 隐患级别
    put(4, &[(2, " ")]); // C5 检查内容 empty
    put(5, &[(4, " ")]); // E6 依据条款 empty
    put(6, &[(7, "未建立制度")]); // H7 扣分标准 without points
    put(7, &[(9, "打分")]); // J8 类型
    put(8, &[(20, "urgent")]); // U9 标签
    put(9, &[(22, "maybe")]); // W10 已核对原文
    put(10, &[(9, "实测"), (10, "m")]); // M11 实测 without 下限/上限
    put(11, &[(15, "abc")]); // P12 分类满分
    let bytes = workbook.save_to_buffer().unwrap();
    let problems = zicha_sheet::import(&bytes, "list.xlsx").unwrap_err();
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "检查表!F3: 分值 \"十\" is not a number",
            "检查表!G4: 隐患级别 \"特大\" must be 一般 or 重大 (是 or 否)",
            "检查表!C5: 检查内容 is empty",
            "检查表!E6: 依据条款 is empty (write 企业自定 for an item of the enterprise's own)",
            "检查表!H7: 扣分标准 \"未建立制度\" does not end with the points off, e.g. （扣2分）, （扣2-5分） or （每处扣2分）",
            "检查表!J8: 类型 \"打分\" must be 检查, 扣分, 实测, 文字 or 照片",
            "检查表!U9: 标签 \"urgent\" is not a known tag",
            "检查表!W10: 已核对原文 \"maybe\" must be 是 or 否",
            "检查表!M11: a 实测 item needs a 下限 or an 上限",
            "检查表!P12: 分类满分 \"abc\" is not a number",
        ],
        "{shown:#?}"
    );
}

#[test]
fn a_csv_saved_as_gb18030_imports_and_its_mistakes_name_line_and_column() {
    let text = "分类,序号,检查内容,隐患描述,依据条款,分值,隐患级别\n\
                消防,1,灭火器在有效期内,灭火器过期,消防法 第十六条,5,一般\n\
                消防,2,疏散通道畅通,疏散通道堵塞,消防法 第二十八条,5,重大\n";
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gb).is_err(), "really not UTF-8");
    let imported = zicha_sheet::import(&gb, "fire.csv").unwrap_or_else(|p| panic!("{p:#?}"));
    let items: Vec<(&str, &str, Level)> = imported
        .checklist
        .items()
        .map(|(_, item)| (item.id.as_str(), item.text_zh.as_str(), item.level))
        .collect();
    assert_eq!(
        items,
        [
            ("1", "灭火器在有效期内", Level::General),
            ("2", "疏散通道畅通", Level::Major)
        ]
    );
    // UTF-8 with a BOM reads the same; a mistake names line and column.
    let broken = text.replace(",5,重大", ",五,重大");
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend(broken.as_bytes());
    let problems = zicha_sheet::import(&with_bom, "fire.csv").unwrap_err();
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(shown, ["3:6: 分值 \"五\" is not a number"]);
}

/// The cells of sheet `name` of an xlsx, read by calamine.
fn cells(bytes: &[u8], name: &str) -> Vec<Vec<Data>> {
    let mut workbook = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = workbook.worksheet_range(name).unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

#[test]
fn export_writes_the_ledger_results_and_summary_as_xlsx() {
    let dir = temp_dir("sheets-export");
    let bundle = dir.join("s.zicha");
    zicha_ok(&[
        "sample",
        "construction",
        "--seed",
        "3",
        "--date",
        "2026-03-02",
        "-o",
        bundle.to_str().unwrap(),
    ]);
    let xlsx = dir.join("s.xlsx");
    zicha_ok(&[
        "export",
        bundle.to_str().unwrap(),
        "--xlsx",
        xlsx.to_str().unwrap(),
        "--as-of",
        "2026-04-30",
    ]);
    let data = zicha_core::bundle::Bundle::from_zip(&std::fs::read(&bundle).unwrap())
        .unwrap()
        .data;
    let bytes = std::fs::read(&xlsx).unwrap();
    let ledger = cells(&bytes, zicha_sheet::LEDGER_SHEET);
    let headers: Vec<String> = ledger[0].iter().map(ToString::to_string).collect();
    let expected: Vec<&str> = zicha_sheet::LEDGER_COLUMNS
        .iter()
        .map(|(name, _)| *name)
        .collect();
    assert_eq!(headers, expected);
    assert_eq!(ledger.len(), data.hazards.len() + 1);
    assert!(!data.hazards.is_empty());
    let col = |name: &str| expected.iter().position(|header| *header == name).unwrap();
    for (row, hazard) in ledger[1..].iter().zip(&data.hazards) {
        assert_eq!(row[col("编号")].to_string(), hazard.id);
        assert_eq!(row[col("隐患描述")].to_string(), hazard.description);
        assert_eq!(row[col("级别")].to_string(), hazard.level.zh());
        assert_eq!(row[col("状态")].to_string(), hazard.status.zh());
        // Dates are Excel dates (serial numbers with a date format), not text.
        let Data::DateTime(found) = &row[col("发现日期")] else {
            panic!("发现日期 is {:?}", row[col("发现日期")]);
        };
        let days = (hazard.found_at - time::macros::date!(1899 - 12 - 30)).whole_days();
        assert_eq!(found.as_f64(), days as f64);
        let overdue = if hazard.is_overdue(time::macros::date!(2026 - 04 - 30)) {
            "是"
        } else {
            "否"
        };
        assert_eq!(row[col("逾期")].to_string(), overdue);
    }
    let checklist = zicha_core::catalog::by_id("construction").unwrap();
    let results = cells(&bytes, zicha_sheet::RESULTS_SHEET);
    assert_eq!(results.len(), checklist.item_count() + 1);
    let summary = cells(&bytes, zicha_sheet::SUMMARY_SHEET);
    assert!(
        summary
            .iter()
            .any(|row| row[0] == "检查编号" && row[1] == data.inspection.id.as_str()),
        "{summary:?}"
    );
}

/// Reads the bundle's enterprise and first inspector.
fn enterprise(bundle: &Path) -> (String, String, String) {
    let data = zicha_core::bundle::Bundle::from_zip(&std::fs::read(bundle).unwrap())
        .unwrap()
        .data;
    (
        data.organisation.name,
        data.organisation.credit_code,
        data.inspection.inspectors[0].clone(),
    )
}

#[test]
fn an_imported_checklist_is_inspected_signed_and_rescored_from_the_report_alone() {
    let dir = temp_dir("sheets-imported");
    let xlsx = dir.join("list.xlsx");
    std::fs::write(&xlsx, hand_made_workbook()).unwrap();
    let toml = dir.join("imported.toml");
    let run = zicha_ok(&[
        "import",
        xlsx.to_str().unwrap(),
        "-o",
        toml.to_str().unwrap(),
    ]);
    assert!(
        run.stderr.contains("5 items (1 重大) in 2 sections"),
        "{}",
        run.stderr
    );
    // The same command again refuses to overwrite; a broken sheet exits 1 with FILE:cell lines.
    let again = zicha(&[
        "import",
        xlsx.to_str().unwrap(),
        "-o",
        toml.to_str().unwrap(),
    ]);
    assert_eq!(again.code, 2, "{}", again.stderr);

    let bundle = dir.join("b.zicha");
    zicha_ok(&[
        "sample",
        toml.to_str().unwrap(),
        "--date",
        "2026-03-02",
        "-o",
        bundle.to_str().unwrap(),
    ]);
    let pdf = dir.join("r.pdf");
    zicha_ok(&[
        "render",
        bundle.to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
        "--time",
        TIME,
    ]);
    let (org, code, inspector) = enterprise(&bundle);
    let party = keygen(&dir, "inspector", &inspector, &org, &code);
    let signed = dir.join("signed.pdf");
    let role = format!("检查人:{inspector}");
    let run = sign_with(&party, &pdf, &signed, &["--party", &role], TIME);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // This verifier has no checklist "list" built in: it re-scores from checklist.toml in the
    // report and finds the summary it printed.
    assert!(zicha_core::catalog::by_id("list").is_none());
    let run = zicha_ok(&["verify", signed.to_str().unwrap(), "--json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let file = &report[0];
    assert_eq!(file["verdict"], "valid", "{file:#}");
    assert_eq!(file["proof"]["status"], "proven", "{file:#}");
    let text = zicha(&["verify", signed.to_str().unwrap()]).stdout;
    assert!(text.contains("· list 1 ·"), "{text}");
    assert!(
        text.contains("与报告汇总一致 matches the report's summary"),
        "{text}"
    );
}

#[test]
fn template_from_a_builtin_checklist_imports_back_through_the_cli() {
    let dir = temp_dir("sheets-template");
    let xlsx = dir.join("gas.xlsx");
    zicha_ok(&[
        "template",
        "--from",
        "gas-station",
        "-o",
        xlsx.to_str().unwrap(),
    ]);
    let toml = dir.join("gas-station.toml");
    zicha_ok(&[
        "import",
        xlsx.to_str().unwrap(),
        "-o",
        toml.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&toml).unwrap();
    let (parsed, problems) = zicha_core::checklist::parse_file("gas-station", &text);
    assert!(problems.is_empty(), "{problems:?}");
    let mut parsed = parsed.unwrap();
    let builtin = zicha_core::catalog::by_id("gas-station").unwrap();
    parsed.hash = builtin.hash;
    assert_eq!(&parsed, builtin);
    // An unknown --from is a usage error naming the built-in ids.
    let run = zicha(&[
        "template",
        "--from",
        "nope",
        "-o",
        dir.join("x.xlsx").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("gas-station"), "{}", run.stderr);
}

/// checklists/README.md documents the spreadsheet layout: its table lists exactly the columns of
/// zicha_sheet::layout, in order, with their aliases and whether they are required.
#[test]
fn the_readme_documents_the_layout_the_import_reads() {
    let readme =
        std::fs::read_to_string(crate::support::repo_root().join("checklists/README.md")).unwrap();
    let start = readme.find("| 列 column |").expect("the layout table");
    let rows: Vec<Vec<String>> = readme[start..]
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            line.trim_matches('|')
                .split('|')
                .map(|cell| cell.trim().to_owned())
                .collect()
        })
        .collect();
    let expected: Vec<Vec<String>> = zicha_sheet::layout::COLUMNS
        .iter()
        .map(|column| {
            vec![
                column.header.to_owned(),
                column.aliases.join(", "),
                if column.required { "是" } else { "" }.to_owned(),
                column.help.to_owned(),
            ]
        })
        .collect();
    assert_eq!(rows, expected);
}

/// The files open in another reader as Excel would show them (openpyxl, installed by the set-up):
/// frozen header row, filters, dates with a date format, the drop-down lists of the template.
#[test]
fn openpyxl_reads_the_template_and_the_export() {
    let installed = std::process::Command::new("python3")
        .args(["-c", "import openpyxl"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !installed {
        assert!(
            std::env::var("ZICHA_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "openpyxl is required (ZICHA_REQUIRE_TOOLS=1); scripts/setup.sh installs it"
        );
        crate::support::announce_skip("python3 with openpyxl");
        return;
    }
    let dir = temp_dir("sheets-openpyxl");
    let bundle = dir.join("s.zicha");
    let xlsx = dir.join("s.xlsx");
    let template = dir.join("t.xlsx");
    for args in [
        vec![
            "sample",
            "gas-station",
            "--date",
            "2026-03-02",
            "-o",
            bundle.to_str().unwrap(),
        ],
        vec![
            "export",
            bundle.to_str().unwrap(),
            "--xlsx",
            xlsx.to_str().unwrap(),
        ],
        vec![
            "template",
            "--from",
            "construction",
            "-o",
            template.to_str().unwrap(),
        ],
    ] {
        zicha_ok(&args);
    }
    let script = r#"
import sys, openpyxl, datetime
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["隐患台账"]
assert ws.freeze_panes == "A2", ws.freeze_panes
assert ws.auto_filter.ref.startswith("A1:"), ws.auto_filter.ref
assert isinstance(ws["B2"].value, datetime.datetime), ws["B2"].value
assert ws["B2"].number_format == "yyyy-mm-dd", ws["B2"].number_format
print(ws.max_row - 1)
t = openpyxl.load_workbook(sys.argv[2])
lists = sorted(v.formula1 for v in t["检查表"].data_validations.dataValidation)
print(";".join(lists))
print(t["检查表"].max_row - 1)
"#;
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            script,
            xlsx.to_str().unwrap(),
            template.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let data = zicha_core::bundle::Bundle::from_zip(&std::fs::read(&bundle).unwrap())
        .unwrap()
        .data;
    assert_eq!(lines[0], data.hazards.len().to_string());
    assert_eq!(
        lines[1],
        "\"一般,重大\";\"保证项目,一般项目\";\"是,否\";\"检查,扣分,实测,文字,照片\""
    );
    let construction = zicha_core::catalog::by_id("construction").unwrap();
    assert_eq!(lines[2], construction.item_count().to_string());
}
