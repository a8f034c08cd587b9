//! Reading a checklist from TOML text: syntax, then structure, then the semantic lint, every
//! problem with its position.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::lint::{self, Spans};
use super::{
    Checklist, Deduction, FORMAT, Group, Item, ItemKind, Jgj59Row, Jgj59Sheet, Level, Problem,
    Scoring, Section, Sector, Standard, Tag,
};
use crate::hash::Sha256;

/// Parses a checklist file: [`parse`], plus the check that the checklist's `id` equals the file
/// name without `.toml` (`file_stem`).
pub fn parse_file(file_stem: &str, source: &str) -> (Option<Checklist>, Vec<Problem>) {
    let (checklist, mut problems) = parse(source);
    if let Some(checklist) = &checklist
        && checklist.id != file_stem
    {
        let mut ctx = Ctx::new(source);
        let at = find_key_value(source, "id").unwrap_or(0);
        ctx.problem_at(
            at,
            format!(
                "`id` \"{}\" must equal the file name \"{file_stem}\"",
                checklist.id
            ),
        );
        problems.extend(ctx.finish());
        problems.sort_by_key(|problem| (problem.line, problem.column));
    }
    (checklist, problems)
}

/// The byte offset of the value of a top-level `key = ...` line, for positions computed after parsing.
fn find_key_value(source: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && let Some(value) = rest.trim_start().strip_prefix('=')
        {
            let value_start = line.len() - value.trim_start().len();
            return Some(offset + value_start);
        }
        if trimmed.starts_with('[') {
            return None;
        }
        offset += line.len();
    }
    None
}

/// Parses checklist text. Returns the checklist when its structure could be read (even if the lint
/// found problems) and every problem found, in file order.
pub fn parse(source: &str) -> (Option<Checklist>, Vec<Problem>) {
    parse_with(source, true)
}

/// Parses a checklist recorded in a bundle or a report by an earlier version of Zicha: the same as
/// [`parse`] but without the authoring rules that later versions added for the files they ship and
/// import (hazard wording on every fail-capable item, 重大 only on a clause of a 判定标准, five
/// 100% tags only in construction). Those rules say how a checklist should be written, not whether
/// an inspection made with it can be read and scored, so data written before them still opens.
pub fn parse_recorded(source: &str) -> (Option<Checklist>, Vec<Problem>) {
    parse_with(source, false)
}

fn parse_with(source: &str, authoring: bool) -> (Option<Checklist>, Vec<Problem>) {
    let mut ctx = Ctx::new(source);
    ctx.authoring = authoring;
    let (root, errors) = DeTable::parse_recoverable(source);
    if !errors.is_empty() {
        for error in errors {
            let at = error.span().map(|span| span.start).unwrap_or(0);
            let message = error.message().trim().replace('\n', " ");
            ctx.problem_at(at, format!("toml syntax: {message}"));
        }
        return (None, ctx.finish());
    }
    let root_span = root.span();
    let root_table = root.into_inner();
    let mut spans = Spans::default();
    let checklist = read_checklist(&mut ctx, Table::new(&root_table, root_span, ""), &mut spans);
    if let Some(checklist) = &checklist {
        lint::lint(checklist, &spans, &mut ctx);
    }
    (checklist, ctx.finish())
}

/// The SHA-256 of a checklist's text, with line endings normalised so that a checkout with CRLF
/// gives the same hash.
pub fn content_hash(source: &str) -> Sha256 {
    if source.contains('\r') {
        Sha256::of(source.replace("\r\n", "\n").as_bytes())
    } else {
        Sha256::of(source.as_bytes())
    }
}

/// Collects problems and turns byte offsets into lines and columns.
pub(crate) struct Ctx<'s> {
    source: &'s str,
    /// The authoring rules apply (see [`parse_recorded`]).
    pub(crate) authoring: bool,
    line_starts: Vec<usize>,
    problems: Vec<(usize, Problem)>,
}

impl<'s> Ctx<'s> {
    fn new(source: &'s str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(source.match_indices('\n').map(|(at, _)| at + 1));
        Ctx {
            source,
            authoring: true,
            line_starts,
            problems: Vec::new(),
        }
    }

    pub(crate) fn problem_at(&mut self, offset: usize, message: String) {
        let offset = offset.min(self.source.len());
        let line_idx = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line_idx];
        let column = self
            .source
            .get(line_start..offset)
            .map_or(1, |prefix| prefix.chars().count() + 1);
        self.problems.push((
            offset,
            Problem {
                line: line_idx + 1,
                column,
                message,
            },
        ));
    }

    /// The text being parsed.
    pub(crate) fn source(&self) -> &'s str {
        self.source
    }

    pub(crate) fn problem(&mut self, span: &Range<usize>, message: String) {
        self.problem_at(span.start, message);
    }

    fn finish(mut self) -> Vec<Problem> {
        // Stable sort: problems at one place keep the order they were found in.
        self.problems.sort_by_key(|(offset, _)| *offset);
        self.problems
            .into_iter()
            .map(|(_, problem)| problem)
            .collect()
    }
}

/// A TOML table being read: remembers which keys were consumed so that the rest can be reported.
struct Table<'a, 'i> {
    table: &'a DeTable<'i>,
    span: Range<usize>,
    path: String,
    used: Vec<&'a str>,
}

fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

fn as_number(value: &DeValue<'_>) -> Option<f64> {
    match value {
        DeValue::Integer(int) => i64::from_str_radix(int.as_str(), int.radix())
            .ok()
            .map(|n| n as f64),
        DeValue::Float(float) => float.as_str().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

impl<'a, 'i> Table<'a, 'i> {
    fn new(table: &'a DeTable<'i>, span: Range<usize>, path: impl Into<String>) -> Self {
        Table {
            table,
            span,
            path: path.into(),
            used: Vec::new(),
        }
    }

    fn name(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn get(&mut self, key: &'a str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.used.push(key);
        self.table.get(key)
    }

    fn typed<T>(
        &mut self,
        ctx: &mut Ctx<'_>,
        key: &'a str,
        required: bool,
        expected: &str,
        convert: impl FnOnce(&'a DeValue<'i>) -> Option<T>,
    ) -> Option<(T, Range<usize>)> {
        match self.get(key) {
            None => {
                if required {
                    ctx.problem(&self.span, format!("missing key `{}`", self.name(key)));
                }
                None
            }
            Some(value) => match convert(value.get_ref()) {
                Some(converted) => Some((converted, value.span())),
                None => {
                    let found = type_name(value.get_ref());
                    ctx.problem(
                        &value.span(),
                        format!("`{}` must be {expected}, found {found}", self.name(key)),
                    );
                    None
                }
            },
        }
    }

    fn string(
        &mut self,
        ctx: &mut Ctx<'_>,
        key: &'a str,
        required: bool,
    ) -> Option<(String, Range<usize>)> {
        self.typed(ctx, key, required, "a string", |value| {
            value.as_str().map(str::to_owned)
        })
    }

    /// An optional string; empty when absent (a wrong type is still reported).
    fn optional_text(&mut self, ctx: &mut Ctx<'_>, key: &'a str) -> String {
        self.string(ctx, key, false)
            .map(|(text, _)| text)
            .unwrap_or_default()
    }

    fn number(
        &mut self,
        ctx: &mut Ctx<'_>,
        key: &'a str,
        required: bool,
    ) -> Option<(f64, Range<usize>)> {
        self.typed(ctx, key, required, "a finite number", as_number)
    }

    fn boolean(
        &mut self,
        ctx: &mut Ctx<'_>,
        key: &'a str,
        required: bool,
    ) -> Option<(bool, Range<usize>)> {
        self.typed(ctx, key, required, "true or false", DeValue::as_bool)
    }

    fn strings(&mut self, ctx: &mut Ctx<'_>, key: &'a str) -> Vec<(String, Range<usize>)> {
        let Some((array, _)) =
            self.typed(ctx, key, false, "an array of strings", DeValue::as_array)
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (idx, element) in array.iter().enumerate() {
            match element.get_ref().as_str() {
                Some(text) => out.push((text.to_owned(), element.span())),
                None => ctx.problem(
                    &element.span(),
                    format!(
                        "`{}[{idx}]` must be a string, found {}",
                        self.name(key),
                        type_name(element.get_ref())
                    ),
                ),
            }
        }
        out
    }

    fn tables(&mut self, ctx: &mut Ctx<'_>, key: &'a str, required: bool) -> Vec<Table<'a, 'i>> {
        let name = self.name(key);
        let Some((array, _)) =
            self.typed(ctx, key, required, "an array of tables", DeValue::as_array)
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (idx, element) in array.iter().enumerate() {
            match element.get_ref().as_table() {
                Some(table) => {
                    out.push(Table::new(table, element.span(), format!("{name}[{idx}]")))
                }
                None => ctx.problem(
                    &element.span(),
                    format!(
                        "`{name}[{idx}]` must be a table, found {}",
                        type_name(element.get_ref())
                    ),
                ),
            }
        }
        out
    }

    /// Reports every key that was not read.
    fn finish(self, ctx: &mut Ctx<'_>) {
        for (key, _) in self.table.iter() {
            let key_str: &str = key.get_ref();
            if !self.used.contains(&key_str) {
                ctx.problem(&key.span(), format!("unknown key `{}`", self.name(key_str)));
            }
        }
    }
}

fn read_checklist(
    ctx: &mut Ctx<'_>,
    mut root: Table<'_, '_>,
    spans: &mut Spans,
) -> Option<Checklist> {
    if let Some((format, span)) = root.number(ctx, "format", true)
        && format != FORMAT as f64
    {
        ctx.problem(
            &span,
            format!("`format` is {format}, this Zicha reads format {FORMAT}"),
        );
    }
    let id = root.string(ctx, "id", true);
    spans.id = id.as_ref().map(|(_, span)| span.clone());
    let version = root.string(ctx, "version", true);
    let sector = root.string(ctx, "sector", true).and_then(|(key, span)| {
        let sector = Sector::parse(&key);
        if sector.is_none() {
            let known: Vec<&str> = Sector::ALL.iter().map(|s| s.key()).collect();
            ctx.problem(
                &span,
                format!("unknown sector `{key}`; known: {}", known.join(", ")),
            );
        }
        sector
    });
    let title_zh = root.string(ctx, "title_zh", true);
    let title_en = root.string(ctx, "title_en", true);
    let scoring = match root.string(ctx, "scoring", false) {
        None => Scoring::Points,
        Some((text, span)) => match text.as_str() {
            "points" => Scoring::Points,
            "jgj59" => Scoring::Jgj59,
            _ => {
                ctx.problem(
                    &span,
                    format!("`scoring` must be \"points\" or \"jgj59\", found \"{text}\""),
                );
                Scoring::Points
            }
        },
    };

    let mut standards = Vec::new();
    for mut table in root.tables(ctx, "standards", true) {
        let code = table.string(ctx, "code", true);
        let title = table.string(ctx, "title", true);
        let judgement = table
            .boolean(ctx, "judgement", false)
            .is_some_and(|(judgement, _)| judgement);
        let effective = table.string(ctx, "effective", false).map(|(text, span)| {
            if !lint::is_date(&text) {
                ctx.problem(
                    &span,
                    format!("`{}.effective` must be a date YYYY-MM-DD", table.path),
                );
            }
            text
        });
        if let (Some((code, span)), Some((title, _))) = (code, title) {
            spans.standards.push(span);
            standards.push(Standard {
                code,
                title,
                effective,
                judgement,
            });
        }
        table.finish(ctx);
    }

    let mut jgj59_rows = Vec::new();
    for mut table in root.tables(ctx, "jgj59_rows", false) {
        let id = table.string(ctx, "id", true);
        let title_zh = table.string(ctx, "title_zh", true);
        let title_en = table.optional_text(ctx, "title_en");
        let weight = table.number(ctx, "weight", true);
        if let (Some((id, span)), Some((title_zh, _)), Some((weight, _))) = (id, title_zh, weight) {
            spans.rows.push(span);
            jgj59_rows.push(Jgj59Row {
                id,
                title_zh,
                title_en,
                weight,
            });
        }
        table.finish(ctx);
    }

    let mut jgj59_sheets = Vec::new();
    for mut table in root.tables(ctx, "jgj59_sheets", false) {
        let id = table.string(ctx, "id", true);
        let title_zh = table.string(ctx, "title_zh", true);
        let title_en = table.optional_text(ctx, "title_en");
        let row = table.string(ctx, "row", true);
        if let (Some((id, span)), Some((title_zh, _)), Some((row, row_span))) = (id, title_zh, row)
        {
            spans.sheets.push((span, row_span));
            jgj59_sheets.push(Jgj59Sheet {
                id,
                title_zh,
                title_en,
                row,
            });
        }
        table.finish(ctx);
    }

    let mut sections = Vec::new();
    for table in root.tables(ctx, "sections", true) {
        if let Some(section) = read_section(ctx, table, spans) {
            sections.push(section);
        }
    }
    root.finish(ctx);

    Some(Checklist {
        id: id?.0,
        version: version?.0,
        hash: content_hash(ctx.source),
        sector: sector?,
        title_zh: title_zh?.0,
        title_en: title_en?.0,
        scoring,
        standards,
        jgj59_rows,
        jgj59_sheets,
        sections,
    })
}

fn read_section(ctx: &mut Ctx<'_>, mut table: Table<'_, '_>, spans: &mut Spans) -> Option<Section> {
    let id = table.string(ctx, "id", true);
    if let Some((id, _)) = &id {
        table.path = format!("section[{id}]");
    }
    let title_zh = table.string(ctx, "title_zh", true);
    let title_en = table.optional_text(ctx, "title_en");
    let max_points = table.number(ctx, "max_points", true);
    let group = table
        .string(ctx, "group", false)
        .and_then(|(text, span)| match text.as_str() {
            "保证项目" => Some(Group::Guarantee),
            "一般项目" => Some(Group::General),
            _ => {
                ctx.problem(
                    &span,
                    format!(
                        "`{}.group` must be \"保证项目\" or \"一般项目\"",
                        table.path
                    ),
                );
                None
            }
        });
    let sheet = table.string(ctx, "sheet", false);
    let mut items = Vec::new();
    let mut item_spans = Vec::new();
    for item_table in table.tables(ctx, "items", true) {
        if let Some((item, item_span)) = read_item(ctx, item_table) {
            items.push(item);
            item_spans.push(item_span);
        }
    }
    let section_span = table.span.clone();
    table.finish(ctx);
    let (id, id_span) = id?;
    let (max_points, max_span) = max_points?;
    spans.sections.push(lint::SectionSpans {
        id: id_span,
        max_points: max_span,
        sheet: sheet
            .as_ref()
            .map(|(_, span)| span.clone())
            .unwrap_or(section_span),
        items: item_spans,
    });
    Some(Section {
        id,
        title_zh: title_zh?.0,
        title_en,
        max_points,
        group,
        sheet: sheet.map(|(text, _)| text),
        items,
    })
}

fn read_item(ctx: &mut Ctx<'_>, mut table: Table<'_, '_>) -> Option<(Item, lint::ItemSpans)> {
    let id = table.string(ctx, "id", true);
    if let Some((id, _)) = &id {
        table.path = format!("item[{id}]");
    }
    let text_zh = table.string(ctx, "text_zh", true);
    let hazard_zh = table.string(ctx, "hazard_zh", false);
    let text_en = table.optional_text(ctx, "text_en");
    let kind_name = table.string(ctx, "kind", true);
    let points = table.number(ctx, "points", true);
    let level = match table.string(ctx, "level", false) {
        None => Some(Level::General),
        Some((text, span)) => match text.as_str() {
            "一般" => Some(Level::General),
            "重大" => Some(Level::Major),
            _ => {
                ctx.problem(
                    &span,
                    format!(
                        "`{}.level` must be \"一般\" or \"重大\", found \"{text}\"",
                        table.path
                    ),
                );
                None
            }
        },
    };
    let clause = table.string(ctx, "clause", true);
    let guidance = table.optional_text(ctx, "guidance");
    let guidance_en = table.optional_text(ctx, "guidance_en");
    let mut tags = Vec::new();
    let mut tag_spans = Vec::new();
    for (text, span) in table.strings(ctx, "tags") {
        match Tag::parse(&text) {
            Some(tag) => {
                tags.push(tag);
                tag_spans.push(span);
            }
            None => ctx.problem(
                &span,
                format!(
                    "`{}.tags`: unknown tag \"{text}\"; known: five100:responsibility, five100:supervision, \
                     five100:rules, five100:hazards, five100:major-sources, stop-work, judgement, nine-small, \
                     topic:<slug>",
                    table.path
                ),
            ),
        }
    }
    let verified = table.boolean(ctx, "verified", true);
    let absent_if = table.string(ctx, "absent_if", false);

    let mut rule_spans = Vec::new();
    let kind = kind_name
        .and_then(|(name, span)| read_kind(ctx, &mut table, &name, &span, &mut rule_spans));
    table.finish(ctx);

    // Fields that failed to read get neutral stand-ins so that the lint still sees the item; the
    // problem is already recorded, so the checklist as a whole is rejected anyway.
    let (id, id_span) = id?;
    let (points, points_span) = points.map_or((0.0, None), |(points, span)| (points, Some(span)));
    let (text_zh, text_span) =
        text_zh.map_or((String::new(), None), |(text, span)| (text, Some(span)));
    let (clause, clause_span) =
        clause.map_or((String::new(), None), |(text, span)| (text, Some(span)));
    let (hazard_zh, hazard_span) =
        hazard_zh.map_or((String::new(), None), |(text, span)| (text, Some(span)));
    let (absent_if, absent_if_span) =
        absent_if.map_or((String::new(), None), |(text, span)| (text, Some(span)));
    let spans = lint::ItemSpans {
        id: id_span,
        absent_if: absent_if_span,
        text_zh: text_span,
        hazard_zh: hazard_span,
        kind_read: kind.is_some(),
        points: points_span,
        clause: clause_span,
        deductions: rule_spans,
        tags: tag_spans,
    };
    let item = Item {
        id,
        text_zh,
        hazard_zh,
        text_en,
        kind: kind.unwrap_or(ItemKind::Check),
        points,
        level: level.unwrap_or(Level::General),
        clause,
        guidance,
        guidance_en,
        tags,
        verified: verified.is_some_and(|(verified, _)| verified),
        absent_if,
    };
    Some((item, spans))
}

fn read_kind(
    ctx: &mut Ctx<'_>,
    table: &mut Table<'_, '_>,
    name: &str,
    span: &Range<usize>,
    rule_spans: &mut Vec<Range<usize>>,
) -> Option<ItemKind> {
    let kind = match name {
        "check" => ItemKind::Check,
        "text" => ItemKind::Text,
        "photo" => ItemKind::Photo,
        "deduction" => {
            let mut rules = Vec::new();
            let rule_tables = table.tables(ctx, "deductions", true);
            if rule_tables.is_empty() {
                ctx.problem(
                    span,
                    format!(
                        "`{}`: a deduction item needs at least one deduction",
                        table.path
                    ),
                );
            }
            for mut rule in rule_tables {
                let text = rule.string(ctx, "text", true);
                let min = rule.number(ctx, "min", true);
                let max = rule.number(ctx, "max", true);
                let per = rule.string(ctx, "per", false).map(|(t, _)| t);
                let rule_span = rule.span.clone();
                let path = rule.path.clone();
                rule.finish(ctx);
                if let (Some((text, _)), Some((min, _)), Some((max, _))) = (text, min, max) {
                    if !(min > 0.0 && min <= max) {
                        ctx.problem(
                            &rule_span,
                            format!("`{path}`: need 0 < min ≤ max, found min {min}, max {max}"),
                        );
                    }
                    rule_spans.push(rule_span.clone());
                    rules.push(Deduction {
                        text,
                        min,
                        max,
                        per,
                    });
                }
            }
            ItemKind::Deduction(rules)
        }
        "measurement" => {
            let unit = table
                .string(ctx, "unit", true)
                .map(|(t, _)| t)
                .unwrap_or_default();
            let min = table.number(ctx, "min", false).map(|(n, _)| n);
            let max = table.number(ctx, "max", false).map(|(n, _)| n);
            match (min, max) {
                (None, None) => ctx.problem(
                    span,
                    format!("`{}`: a measurement needs `min`, `max` or both", table.path),
                ),
                (Some(lo), Some(hi)) if lo > hi => ctx.problem(
                    span,
                    format!("`{}`: min {lo} is above max {hi}", table.path),
                ),
                _ => {}
            }
            ItemKind::Measurement { unit, min, max }
        }
        _ => {
            ctx.problem(
                span,
                format!(
                    "`{}.kind` must be check, deduction, measurement, text or photo, found \"{name}\"",
                    table.path
                ),
            );
            // The kind-specific keys cannot be judged without a kind: do not report them as unknown.
            for key in ["deductions", "unit", "min", "max"] {
                table.get(key);
            }
            return None;
        }
    };
    Some(kind)
}
