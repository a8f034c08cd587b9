//! Benchmark of the spreadsheet code (issue 13), run by hand:
//! `cargo run --release -p zicha-sheet --example bench [ROWS]` (default 1,000).
//!
//! - import: a 检查表 of ROWS items (made with the template writer from a generated checklist)
//!   read back by `zicha_sheet::import`, lint included;
//! - export: an inspection with ROWS hazards written by `zicha_sheet::export`.
//!
//! Prints the median of 5 runs of each, and the file sizes.

use std::time::Instant;

use zicha_core::checklist::{self, Level};
use zicha_core::ledger::Hazard;

fn checklist_text(rows: usize) -> String {
    let mut text = String::from(
        "format = 1\nid = \"bench\"\nversion = \"1\"\nsector = \"generic\"\ntitle_zh = \"基准\"\ntitle_en = \"Bench\"\n\n[[standards]]\ncode = \"GB/T 33000-2016\"\ntitle = \"企业安全生产标准化基本规范\"\n",
    );
    let sections = rows.div_ceil(50);
    for s in 0..sections {
        let n = (rows - s * 50).min(50);
        text.push_str(&format!(
            "\n[[sections]]\nid = \"s{s}\"\ntitle_zh = \"第{s}部分\"\nmax_points = {}\n",
            n * 2
        ));
        for i in 0..n {
            text.push_str(&format!(
                "\n[[sections.items]]\nid = \"s{s}-{i}\"\ntext_zh = \"第{s}部分第{i}项：安全设施齐全有效，台账记录完整\"\nhazard_zh = \"第{s}部分第{i}项：安全设施缺失或失效\"\nkind = \"check\"\npoints = 2\nclause = \"GB/T 33000-2016 5.{i}\"\nguidance = \"现场查看并查阅记录\"\nverified = false\n"
            ));
        }
    }
    text
}

fn median(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let text = checklist_text(rows);
    let (parsed, problems) = checklist::parse(&text);
    assert!(problems.is_empty(), "{problems:?}");
    let checklist = parsed.expect("checklist");
    let xlsx = zicha_sheet::template(Some(&checklist), Some(&text)).expect("xlsx");
    let mut import_ms = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let imported = zicha_sheet::import(&xlsx, "bench.xlsx").expect("imports");
        import_ms.push(start.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(imported.checklist.item_count(), rows);
    }

    let date = time::Date::from_calendar_date(2026, time::Month::March, 2).expect("date");
    let mut bundle = zicha_core::sample::sample(&checklist, Some(&text), 1, date);
    let items: Vec<_> = checklist.items().map(|(_, item)| item.clone()).collect();
    bundle.data.hazards = (0..rows)
        .map(|n| {
            let item = &items[n % items.len()];
            let mut hazard =
                Hazard::from_item(format!("H-2026-{n:05}"), item, None, "李海燕", date);
            hazard.location = "仓库A区".to_owned();
            hazard.level = if n % 10 == 0 {
                Level::Major
            } else {
                Level::General
            };
            hazard
        })
        .collect();
    let report = zicha_core::score::score(
        &checklist,
        &bundle.data.inspection,
        &bundle.data.hazards,
        date,
    );
    let mut export_ms = Vec::new();
    let mut size = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let bytes = zicha_sheet::export(&bundle.data, &checklist, &report, date).expect("xlsx");
        export_ms.push(start.elapsed().as_secs_f64() * 1000.0);
        size = bytes.len();
    }
    println!(
        "import of a {rows}-row 检查表 ({} bytes xlsx): median {:.1} ms",
        xlsx.len(),
        median(import_ms)
    );
    println!(
        "export of a {rows}-hazard 隐患台账 + {rows}-item 检查结果 ({size} bytes xlsx): median {:.1} ms",
        median(export_ms)
    );
}
