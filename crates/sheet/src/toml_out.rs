//! A checklist written as a checklist file (checklists/README.md, format 1), which
//! `zicha_core::checklist::parse` reads back to the same checklist.

use std::collections::HashMap;
use std::fmt::Write;

use zicha_core::checklist::{Checklist, ItemKind, Level, Scoring};

/// TOML text of `checklist`, and for each item (in file order) the 1-based line of its
/// `[[sections.items]]` header, so that a problem the lint finds on a line can be traced to it.
/// `sources` gives the links each item was read against (by item id), written as the comment
/// `# 核对来源: URL` above the item.
pub fn to_toml(
    checklist: &Checklist,
    sources: &HashMap<String, Vec<String>>,
) -> (String, Vec<usize>) {
    let mut out = String::new();
    let mut item_lines = Vec::new();
    let _ = writeln!(
        out,
        "# {}（由电子表格导入 · imported from a spreadsheet）",
        checklist.title_zh.replace('\n', " ")
    );
    let _ = writeln!(out, "format = 1");
    kv(&mut out, "id", &checklist.id);
    kv(&mut out, "version", &checklist.version);
    kv(&mut out, "sector", checklist.sector.key());
    kv(&mut out, "title_zh", &checklist.title_zh);
    kv(&mut out, "title_en", &checklist.title_en);
    if checklist.scoring == Scoring::Jgj59 {
        kv(&mut out, "scoring", "jgj59");
    }
    for standard in &checklist.standards {
        out.push_str("\n[[standards]]\n");
        kv(&mut out, "code", &standard.code);
        kv(&mut out, "title", &standard.title);
        if let Some(effective) = &standard.effective {
            kv(&mut out, "effective", effective);
        }
        if standard.judgement {
            out.push_str("judgement = true\n");
        }
    }
    for row in &checklist.jgj59_rows {
        out.push_str("\n[[jgj59_rows]]\n");
        kv(&mut out, "id", &row.id);
        kv(&mut out, "title_zh", &row.title_zh);
        if !row.title_en.is_empty() {
            kv(&mut out, "title_en", &row.title_en);
        }
        let _ = writeln!(out, "weight = {}", number(row.weight));
    }
    for sheet in &checklist.jgj59_sheets {
        out.push_str("\n[[jgj59_sheets]]\n");
        kv(&mut out, "id", &sheet.id);
        kv(&mut out, "title_zh", &sheet.title_zh);
        if !sheet.title_en.is_empty() {
            kv(&mut out, "title_en", &sheet.title_en);
        }
        kv(&mut out, "row", &sheet.row);
    }
    for section in &checklist.sections {
        out.push_str("\n[[sections]]\n");
        kv(&mut out, "id", &section.id);
        kv(&mut out, "title_zh", &section.title_zh);
        if !section.title_en.is_empty() {
            kv(&mut out, "title_en", &section.title_en);
        }
        let _ = writeln!(out, "max_points = {}", number(section.max_points));
        if let Some(group) = section.group {
            kv(&mut out, "group", group.zh());
        }
        if let Some(sheet) = &section.sheet {
            kv(&mut out, "sheet", sheet);
        }
        for item in &section.items {
            out.push('\n');
            for url in sources.get(&item.id).into_iter().flatten() {
                let _ = writeln!(out, "# 核对来源: {}", url.replace(['\n', '\r'], " "));
            }
            item_lines.push(out.lines().count() + 1);
            out.push_str("[[sections.items]]\n");
            kv(&mut out, "id", &item.id);
            kv(&mut out, "text_zh", &item.text_zh);
            if !item.hazard_zh.is_empty() {
                kv(&mut out, "hazard_zh", &item.hazard_zh);
            }
            if !item.text_en.is_empty() {
                kv(&mut out, "text_en", &item.text_en);
            }
            kv(&mut out, "kind", item.kind.name());
            let _ = writeln!(out, "points = {}", number(item.points));
            if item.level == Level::Major {
                kv(&mut out, "level", "重大");
            }
            kv(&mut out, "clause", &item.clause);
            if !item.guidance.is_empty() {
                kv(&mut out, "guidance", &item.guidance);
            }
            if !item.guidance_en.is_empty() {
                kv(&mut out, "guidance_en", &item.guidance_en);
            }
            if !item.tags.is_empty() {
                let tags: Vec<String> = item
                    .tags
                    .iter()
                    .map(|tag| quote(&tag.to_string()))
                    .collect();
                let _ = writeln!(out, "tags = [{}]", tags.join(", "));
            }
            let _ = writeln!(out, "verified = {}", item.verified);
            if !item.absent_if.is_empty() {
                kv(&mut out, "absent_if", &item.absent_if);
            }
            match &item.kind {
                ItemKind::Deduction(rules) => {
                    out.push_str("deductions = [\n");
                    for rule in rules {
                        let _ = write!(
                            out,
                            "  {{ text = {}, min = {}, max = {}",
                            quote(&rule.text),
                            number(rule.min),
                            number(rule.max)
                        );
                        if let Some(per) = &rule.per {
                            let _ = write!(out, ", per = {}", quote(per));
                        }
                        out.push_str(" },\n");
                    }
                    out.push_str("]\n");
                }
                ItemKind::Measurement { unit, min, max } => {
                    kv(&mut out, "unit", unit);
                    if let Some(min) = min {
                        let _ = writeln!(out, "min = {}", number(*min));
                    }
                    if let Some(max) = max {
                        let _ = writeln!(out, "max = {}", number(*max));
                    }
                }
                ItemKind::Check | ItemKind::Text | ItemKind::Photo => {}
            }
        }
    }
    (out, item_lines)
}

fn kv(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(out, "{key} = {}", quote(value));
}

/// A TOML string literal of `text`, quoted and escaped by the toml crate.
fn quote(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// A number as TOML: an integer when it is one, else the shortest float that reads back the same.
pub(crate) fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_and_numbers_read_back() {
        for text in [
            "a\"b\\c\nd",
            "'''",
            "\"\"\"x",
            "制度（扣2分）",
            "tab\tand\u{1}control",
            "",
        ] {
            let doc = format!("x = {}\n", quote(text));
            let table: toml::Table = toml::from_str(&doc).unwrap();
            assert_eq!(table["x"].as_str(), Some(text), "{doc}");
        }
        assert_eq!(number(10.0), "10");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(-2.0), "-2");
        assert_eq!(number(0.1 + 0.2), "0.30000000000000004");
    }
}
