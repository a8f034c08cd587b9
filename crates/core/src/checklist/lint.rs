//! The semantic lint: what TOML types cannot say (unique ids, points adding up, known tags,
//! Chinese text present, clauses citing a declared standard, JGJ 59 sheet structure, hazard wording
//! that says what was found, 重大 resting on a 判定标准, five 100% tags only in construction).

use std::collections::HashMap;
use std::ops::Range;

use super::parse::Ctx;
use super::sources::{self, SourceRank};
use super::{Checklist, Group, ItemKind, Level, Scoring, Sector, Tag};

/// Where things are in the file, recorded while parsing.
#[derive(Default)]
pub(crate) struct Spans {
    pub(crate) id: Option<Range<usize>>,
    pub(crate) standards: Vec<Range<usize>>,
    pub(crate) rows: Vec<Range<usize>>,
    /// (sheet id span, row reference span)
    pub(crate) sheets: Vec<(Range<usize>, Range<usize>)>,
    pub(crate) sections: Vec<SectionSpans>,
}

pub(crate) struct SectionSpans {
    pub(crate) id: Range<usize>,
    pub(crate) max_points: Range<usize>,
    pub(crate) sheet: Range<usize>,
    pub(crate) items: Vec<ItemSpans>,
}

pub(crate) struct ItemSpans {
    pub(crate) id: Range<usize>,
    /// `None` when the key was missing or of the wrong type (already reported).
    pub(crate) text_zh: Option<Range<usize>>,
    /// `None` when the key was absent or of the wrong type (already reported).
    pub(crate) hazard_zh: Option<Range<usize>>,
    /// Whether `kind` was read (an unreadable kind is reported already and stands in as `check`).
    pub(crate) kind_read: bool,
    /// `None` when the key was missing or of the wrong type (already reported).
    pub(crate) points: Option<Range<usize>>,
    /// `None` when the key was missing or of the wrong type (already reported).
    pub(crate) clause: Option<Range<usize>>,
    /// One per deduction rule that could be read.
    pub(crate) deductions: Vec<Range<usize>>,
    pub(crate) tags: Vec<Range<usize>>,
    /// `None` when the key was absent or of the wrong type (already reported).
    pub(crate) absent_if: Option<Range<usize>>,
}

const EPSILON: f64 = 1e-9;

pub(crate) fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(crate) fn is_date(text: &str) -> bool {
    crate::dates::parse_date(text).is_ok()
}

/// Whether the text holds at least one Chinese character (CJK Unified Ideographs or extensions).
pub(crate) fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
    })
}

fn fmt_points(points: f64) -> String {
    if points.fract().abs() < EPSILON {
        format!("{points:.0}")
    } else {
        format!("{points}")
    }
}

pub(crate) fn lint(checklist: &Checklist, spans: &Spans, ctx: &mut Ctx<'_>) {
    let whole = 0..0;
    let id_span = spans.id.clone().unwrap_or(whole.clone());
    if !is_id(&checklist.id) {
        ctx.problem(
            &id_span,
            format!("`id` \"{}\" must match [a-z0-9-]+", checklist.id),
        );
    }
    if checklist.version.trim().is_empty() {
        ctx.problem(&id_span, "`version` must not be empty".to_owned());
    }
    if !has_chinese(&checklist.title_zh) {
        ctx.problem(&id_span, "`title_zh` must contain Chinese text".to_owned());
    }

    let mut codes: HashMap<&str, usize> = HashMap::new();
    for (idx, standard) in checklist.standards.iter().enumerate() {
        if standard.code.trim().is_empty() {
            ctx.problem(
                &spans.standards[idx],
                "`standards.code` must not be empty".to_owned(),
            );
        } else if codes.insert(standard.code.as_str(), idx).is_some() {
            ctx.problem(
                &spans.standards[idx],
                format!("standard `{}` is declared twice", standard.code),
            );
        }
    }
    if checklist.standards.is_empty() {
        ctx.problem(
            &id_span,
            "a checklist must declare at least one `[[standards]]`".to_owned(),
        );
    }

    let mut section_ids: HashMap<&str, usize> = HashMap::new();
    let mut item_ids: HashMap<&str, usize> = HashMap::new();
    for (section, section_spans) in checklist.sections.iter().zip(&spans.sections) {
        if !is_id(&section.id) {
            ctx.problem(
                &section_spans.id,
                format!("section id \"{}\" must match [a-z0-9-]+", section.id),
            );
        }
        if section_ids
            .insert(section.id.as_str(), section_spans.id.start)
            .is_some()
        {
            ctx.problem(
                &section_spans.id,
                format!("section id `{}` is used twice", section.id),
            );
        }
        if !has_chinese(&section.title_zh) {
            ctx.problem(
                &section_spans.id,
                format!(
                    "section `{}`: `title_zh` must contain Chinese text",
                    section.id
                ),
            );
        }
        if section.max_points < 0.0 {
            ctx.problem(
                &section_spans.max_points,
                format!(
                    "section `{}`: `max_points` must not be negative",
                    section.id
                ),
            );
        }
        if section.items.is_empty() {
            ctx.problem(
                &section_spans.id,
                format!("section `{}` has no items", section.id),
            );
        }
        let sum: f64 = section.items.iter().map(|item| item.points).sum();
        // An item whose points could not be read was reported already; a sum would only mislead.
        let all_read = section_spans
            .items
            .iter()
            .all(|spans| spans.points.is_some());
        if all_read && (sum - section.max_points).abs() > EPSILON {
            ctx.problem(
                &section_spans.max_points,
                format!(
                    "section `{}`: items' points add up to {}, but `max_points` is {}",
                    section.id,
                    fmt_points(sum),
                    fmt_points(section.max_points)
                ),
            );
        }
        for (item, item_spans) in section.items.iter().zip(&section_spans.items) {
            lint_item(checklist, item, item_spans, &mut item_ids, ctx);
            lint_absent_if(section.group, item, item_spans, ctx);
        }
    }

    lint_jgj59(checklist, spans, &id_span, ctx);
    if ctx.authoring {
        lint_sources(checklist, spans, ctx);
    }
}

/// Sources (PROVENANCE.md): no link to a denied site anywhere in the file, and every verified item
/// names where it was read, as a link in the comment lines directly above its `[[sections.items]]`.
fn lint_sources(checklist: &Checklist, spans: &Spans, ctx: &mut Ctx<'_>) {
    let source = ctx.source();
    for link in sources::links(source) {
        if link.rank == SourceRank::Denied {
            ctx.problem_at(
                link.offset,
                format!(
                    "source `{}` is a denied site (gambling, lottery, spam mirror or exam-cram): cite the issuing authority's text",
                    link.host
                ),
            );
        }
    }
    for (section, section_spans) in checklist.sections.iter().zip(&spans.sections) {
        for (item, item_spans) in section.items.iter().zip(&section_spans.items) {
            if !item.verified {
                continue;
            }
            let above = sources::comments_above_table(source, item_spans.id.start);
            let cited = sources::links(above)
                .iter()
                .any(|link| link.rank != SourceRank::Denied);
            if !cited {
                ctx.problem(
                    &item_spans.id,
                    format!(
                        "item `{}`: `verified = true` needs the source it was read against, as a link in a comment line directly above the item",
                        item.id
                    ),
                );
            }
        }
    }
}

fn lint_item<'c>(
    checklist: &'c Checklist,
    item: &'c super::Item,
    spans: &ItemSpans,
    item_ids: &mut HashMap<&'c str, usize>,
    ctx: &mut Ctx<'_>,
) {
    let id = &item.id;
    if !is_id(id) {
        ctx.problem(&spans.id, format!("item id \"{id}\" must match [a-z0-9-]+"));
    }
    if item_ids.insert(id.as_str(), spans.id.start).is_some() {
        ctx.problem(&spans.id, format!("item id `{id}` is used twice"));
    }
    if let Some(span) = &spans.text_zh
        && !has_chinese(&item.text_zh)
    {
        ctx.problem(
            span,
            format!("item `{id}`: `text_zh` must contain Chinese text"),
        );
    }
    lint_hazard_text(item, spans, ctx);
    if let Some(clause_span) = &spans.clause {
        lint_clause(checklist, item, clause_span, ctx);
    }
    if let Some(points_span) = &spans.points {
        if item.points < 0.0 {
            ctx.problem(
                points_span,
                format!("item `{id}`: `points` must not be negative"),
            );
        }
        match &item.kind {
            ItemKind::Text | ItemKind::Photo if item.points != 0.0 => {
                ctx.problem(
                    points_span,
                    format!(
                        "item `{id}`: {} items score nothing; `points` must be 0",
                        item.kind.name()
                    ),
                );
            }
            ItemKind::Deduction(rules) => {
                if item.points <= 0.0 {
                    ctx.problem(
                        points_span,
                        format!("item `{id}`: a deduction item needs `points` above 0"),
                    );
                }
                for (rule, rule_span) in rules.iter().zip(&spans.deductions) {
                    if rule.max > item.points + EPSILON {
                        ctx.problem(
                            rule_span,
                            format!(
                                "item `{id}`: deduction \"{}\" takes up to {} points, more than the item's {}",
                                rule.text,
                                fmt_points(rule.max),
                                fmt_points(item.points)
                            ),
                        );
                    }
                    if !has_chinese(&rule.text) {
                        ctx.problem(
                            rule_span,
                            format!(
                                "item `{id}`: deduction text \"{}\" must be Chinese",
                                rule.text
                            ),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    let mut seen = Vec::new();
    for (tag, span) in item.tags.iter().zip(&spans.tags) {
        if seen.contains(&tag) {
            ctx.problem(span, format!("item `{id}`: tag `{tag}` is given twice"));
        }
        seen.push(tag);
        if *tag == Tag::Judgement && item.level != Level::Major {
            ctx.problem(
                span,
                format!("item `{id}`: a `judgement` item must have level \"重大\""),
            );
        }
        if ctx.authoring
            && matches!(tag, Tag::Five100(_))
            && checklist.sector != Sector::Construction
        {
            ctx.problem(
                span,
                format!(
                    "item `{id}`: `{tag}` counts only in construction checklists (the five 100% \
                     targets are those of 在建工程项目)"
                ),
            );
        }
    }
    if ctx.authoring && item.level == Level::Major {
        lint_major_basis(checklist, item, spans, ctx);
    }
}

/// A failed item's hazard must say what was found, never the compliant state (PROVENANCE.md).
fn lint_hazard_text(item: &super::Item, spans: &ItemSpans, ctx: &mut Ctx<'_>) {
    let id = &item.id;
    let can_fail_alone = matches!(item.kind, ItemKind::Check | ItemKind::Measurement { .. });
    let Some(span) = &spans.hazard_zh else {
        if ctx.authoring
            && spans.kind_read
            && can_fail_alone
            && (item.points > 0.0 || item.level == Level::Major)
        {
            ctx.problem(
                &spans.id,
                format!(
                    "item `{id}`: `hazard_zh` is missing: say what is found when the item fails \
                     (\"…未…\", \"…不…\", \"…超过…\"), not the compliant state"
                ),
            );
        }
        return;
    };
    if !can_fail_alone {
        let why = match item.kind {
            ItemKind::Deduction(_) => "a deduction item's hazard is made of the deductions applied",
            _ => "text and photo items never fail",
        };
        ctx.problem(
            span,
            format!("item `{id}`: `hazard_zh` is for check and measurement items; {why}"),
        );
        return;
    }
    let trimmed = |text: &str| text.trim().trim_end_matches('。').to_owned();
    if !has_chinese(&item.hazard_zh) {
        ctx.problem(
            span,
            format!("item `{id}`: `hazard_zh` must contain Chinese text"),
        );
    } else if trimmed(&item.hazard_zh) == trimmed(&item.text_zh) {
        ctx.problem(
            span,
            format!(
                "item `{id}`: `hazard_zh` repeats `text_zh`; say what is found when the item \
                 fails, not the compliant state"
            ),
        );
    }
}

/// A 重大 item is a criterion of a 重大事故隐患判定标准: it carries the `judgement` tag and its
/// clause cites a standard declared with `judgement = true` (issue 11 §6: no 重大 on a law's
/// general duty alone).
fn lint_major_basis(
    checklist: &Checklist,
    item: &super::Item,
    spans: &ItemSpans,
    ctx: &mut Ctx<'_>,
) {
    let id = &item.id;
    if !item.has_tag(&Tag::Judgement) {
        ctx.problem(
            &spans.id,
            format!(
                "item `{id}`: a \"重大\" item must be a criterion of a 判定标准: tag it \
                 `judgement` and cite the 判定标准, or make it \"一般\""
            ),
        );
    }
    let cites_judgement = checklist
        .standards
        .iter()
        .any(|standard| standard.judgement && item.clause.starts_with(standard.code.as_str()));
    if let Some(clause_span) = &spans.clause
        && !item.clause.trim().is_empty()
        && !cites_judgement
    {
        ctx.problem(
            clause_span,
            format!(
                "item `{id}`: a \"重大\" item must cite a standard declared with \
                 `judgement = true`, found \"{}\"",
                item.clause
            ),
        );
    }
}

/// `absent_if` names when a 保证项目 item does not exist on a site; elsewhere 不适用 needs no leave.
fn lint_absent_if(group: Option<Group>, item: &super::Item, spans: &ItemSpans, ctx: &mut Ctx<'_>) {
    let Some(span) = &spans.absent_if else {
        return;
    };
    let id = &item.id;
    if group != Some(Group::Guarantee) {
        ctx.problem(
            span,
            format!(
                "item `{id}`: `absent_if` is only for items of a 保证项目 section; other items may \
                 be answered 不适用 anyway"
            ),
        );
    } else if !has_chinese(&item.absent_if) {
        ctx.problem(
            span,
            format!("item `{id}`: `absent_if` must say in Chinese when the item does not exist"),
        );
    }
}

fn lint_clause(checklist: &Checklist, item: &super::Item, span: &Range<usize>, ctx: &mut Ctx<'_>) {
    let id = &item.id;
    if item.clause.trim().is_empty() {
        ctx.problem(span, format!("item `{id}`: `clause` must not be empty"));
    } else if item.clause.trim() == super::OWN_CLAUSE {
        // An enterprise's own item (an imported checklist): no standard to cite. A 重大 item still
        // must cite a 判定标准 (lint_major_basis).
    } else if !checklist
        .standards
        .iter()
        .any(|standard| item.clause.starts_with(standard.code.as_str()))
    {
        ctx.problem(
            span,
            format!(
                "item `{id}`: clause \"{}\" does not start with the code of a declared standard",
                item.clause
            ),
        );
    }
}

fn lint_jgj59(checklist: &Checklist, spans: &Spans, id_span: &Range<usize>, ctx: &mut Ctx<'_>) {
    if checklist.scoring != Scoring::Jgj59 {
        if !checklist.jgj59_rows.is_empty() || !checklist.jgj59_sheets.is_empty() {
            ctx.problem(
                id_span,
                "`jgj59_rows` / `jgj59_sheets` need `scoring = \"jgj59\"`".to_owned(),
            );
        }
        for (section, section_spans) in checklist.sections.iter().zip(&spans.sections) {
            if section.sheet.is_some() {
                ctx.problem(
                    &section_spans.sheet,
                    format!(
                        "section `{}`: `sheet` needs `scoring = \"jgj59\"`",
                        section.id
                    ),
                );
            }
        }
        return;
    }
    if checklist.jgj59_rows.is_empty() || checklist.jgj59_sheets.is_empty() {
        ctx.problem(
            id_span,
            "`scoring = \"jgj59\"` needs `[[jgj59_rows]]` and `[[jgj59_sheets]]`".to_owned(),
        );
        return;
    }
    let mut row_ids: HashMap<&str, ()> = HashMap::new();
    for (row, span) in checklist.jgj59_rows.iter().zip(&spans.rows) {
        if row_ids.insert(row.id.as_str(), ()).is_some() {
            ctx.problem(span, format!("汇总表 row `{}` is declared twice", row.id));
        }
        if row.weight <= 0.0 {
            ctx.problem(
                span,
                format!("汇总表 row `{}`: `weight` must be above 0", row.id),
            );
        }
        if !checklist
            .jgj59_sheets
            .iter()
            .any(|sheet| sheet.row == row.id)
        {
            ctx.problem(span, format!("汇总表 row `{}` has no sheet", row.id));
        }
    }
    let total: f64 = checklist.jgj59_rows.iter().map(|row| row.weight).sum();
    if (total - 100.0).abs() > EPSILON {
        ctx.problem(
            &spans.rows[0],
            format!("汇总表 weights add up to {}, not 100", fmt_points(total)),
        );
    }
    let mut sheet_ids: HashMap<&str, ()> = HashMap::new();
    for (sheet, (span, row_span)) in checklist.jgj59_sheets.iter().zip(&spans.sheets) {
        if sheet_ids.insert(sheet.id.as_str(), ()).is_some() {
            ctx.problem(span, format!("sheet `{}` is declared twice", sheet.id));
        }
        if !row_ids.contains_key(sheet.row.as_str()) {
            ctx.problem(
                row_span,
                format!("sheet `{}`: unknown 汇总表 row `{}`", sheet.id, sheet.row),
            );
        }
        let sections: Vec<_> = checklist
            .sections
            .iter()
            .filter(|section| section.sheet.as_deref() == Some(sheet.id.as_str()))
            .collect();
        if sections.is_empty() {
            ctx.problem(span, format!("sheet `{}` has no sections", sheet.id));
            continue;
        }
        let sum_of = |group: Option<Group>| -> f64 {
            sections
                .iter()
                .filter(|section| section.group == group)
                .map(|section| section.max_points)
                .sum()
        };
        let (guarantee, general, ungrouped) = (
            sum_of(Some(Group::Guarantee)),
            sum_of(Some(Group::General)),
            sum_of(None),
        );
        let grouped = sections.iter().any(|section| section.group.is_some());
        if grouped && sections.iter().any(|section| section.group.is_none()) {
            ctx.problem(
                span,
                format!(
                    "sheet `{}`: either every section has a `group` or none has",
                    sheet.id
                ),
            );
        } else if grouped {
            if (guarantee - 60.0).abs() > EPSILON || (general - 40.0).abs() > EPSILON {
                ctx.problem(
                    span,
                    format!(
                        "sheet `{}`: 保证项目 must total 60 and 一般项目 40, found {} and {}",
                        sheet.id,
                        fmt_points(guarantee),
                        fmt_points(general)
                    ),
                );
            }
        } else if (ungrouped - 100.0).abs() > EPSILON {
            ctx.problem(
                span,
                format!(
                    "sheet `{}`: sections total {}, not 100",
                    sheet.id,
                    fmt_points(ungrouped)
                ),
            );
        }
    }
    for (section, section_spans) in checklist.sections.iter().zip(&spans.sections) {
        if let Some(sheet) = &section.sheet {
            if !sheet_ids.contains_key(sheet.as_str()) {
                ctx.problem(
                    &section_spans.sheet,
                    format!("section `{}`: unknown sheet `{sheet}`", section.id),
                );
            }
        } else if section.group.is_some() {
            ctx.problem(
                &section_spans.id,
                format!("section `{}`: a `group` needs a `sheet`", section.id),
            );
        }
    }
}
