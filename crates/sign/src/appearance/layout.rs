//! Fitting labelled lines into the widget rectangle: the largest font size (down to a legibility
//! floor) at which every line fits, wrapping values in a column right of the labels, and the
//! certificate fingerprint in full when there is room or shortened around an ellipsis when not.

use std::cell::{Cell, RefCell};

/// Space between the border and the text, in points.
const PADDING: f64 = 3.0;
/// The largest and smallest font sizes tried, in points, and the step between them.
const MAX_SIZE: f64 = 10.0;
const MIN_SIZE: f64 = 4.0;
const SIZE_STEP: f64 = 0.25;
/// Baseline-to-baseline distance as a multiple of the font size.
pub(crate) const LEADING: f64 = 1.25;
/// Space between the label column and the values, in ems.
const GAP: f64 = 0.6;
/// Hex digits kept on each side of the ellipsis when the fingerprint is shortened and the size is
/// still above the floor: 2 × 8 digits (64 bits) are enough to compare by eye.
const FINGERPRINT_KEEP: usize = 8;
/// Below this size the full fingerprint is not worth the rows it takes.
const MIN_FULL_FINGERPRINT_SIZE: f64 = 6.0;

/// How a value may be fitted into its column.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Kind {
    /// Wrapped onto as many rows as needed (between words, or between any two CJK characters).
    Text,
    /// Hex digits: wrapped in full when there is room, else `head…tail` on one row.
    Fingerprint,
}

/// One labelled line of the appearance, before fitting.
#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub(crate) label: String,
    pub(crate) value: String,
    pub(crate) kind: Kind,
}

/// A row as drawn: the label on the first row of each field, the value part.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Row {
    pub(crate) label: Option<String>,
    pub(crate) text: String,
}

/// The fitted appearance. Coordinates in points from the widget's lower left corner.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    pub(crate) size: f64,
    pub(crate) label_x: f64,
    pub(crate) value_x: f64,
    /// The baseline of the first row; each further row is `size * LEADING` lower.
    pub(crate) first_baseline: f64,
    pub(crate) rows: Vec<Row>,
}

/// Widths in thousandths of an em per character, and the ellipsis the font can draw.
pub(crate) struct Metrics<'a> {
    pub(crate) advance: &'a dyn Fn(char) -> f64,
    pub(crate) ellipsis: &'a str,
}

impl Metrics<'_> {
    /// The width of `text` at `size`, in points.
    fn width(&self, text: &str, size: f64) -> f64 {
        self.width_of(text.chars(), size)
    }

    /// The width of the characters at `size`, in points (summed in order, as [`Metrics::width`]
    /// does for the same text).
    fn width_of(&self, characters: impl Iterator<Item = char>, size: f64) -> f64 {
        characters.map(|c| (self.advance)(c)).sum::<f64>() * size / 1000.0
    }
}

/// Advances already looked up: ASCII in a table, other characters in a short list (an appearance
/// draws a few dozen distinct characters).
struct AdvanceCache<'a> {
    advance: &'a dyn Fn(char) -> f64,
    ascii: [Cell<Option<f64>>; 128],
    other: RefCell<Vec<(char, f64)>>,
}

impl<'a> AdvanceCache<'a> {
    fn new(advance: &'a dyn Fn(char) -> f64) -> Self {
        Self {
            advance,
            ascii: std::array::from_fn(|_| Cell::new(None)),
            other: RefCell::new(Vec::new()),
        }
    }

    fn get(&self, character: char) -> f64 {
        if let Some(slot) = self.ascii.get(character as usize) {
            if let Some(advance) = slot.get() {
                return advance;
            }
            let advance = (self.advance)(character);
            slot.set(Some(advance));
            return advance;
        }
        if let Some(&(_, advance)) = self
            .other
            .borrow()
            .iter()
            .find(|(known, _)| *known == character)
        {
            return advance;
        }
        let advance = (self.advance)(character);
        self.other.borrow_mut().push((character, advance));
        advance
    }
}

/// Lays `fields` out in a `width` × `height` point rectangle: the largest size at which everything
/// fits with the fingerprint shortened; the full fingerprint instead when it fits at that size or
/// at most a point smaller (and not below 6 points).
pub(crate) fn layout(fields: &[Field], width: f64, height: f64, metrics: &Metrics<'_>) -> Layout {
    // Fitting tries many sizes and measures the same few characters thousands of times; a font's
    // advance is a character-map lookup, so each character is looked up once.
    let cache = AdvanceCache::new(metrics.advance);
    let advance = |character| cache.get(character);
    let metrics = &Metrics {
        advance: &advance,
        ellipsis: metrics.ellipsis,
    };
    let inner_width = (width - 2.0 * PADDING).max(1.0);
    let inner_height = (height - 2.0 * PADDING).max(1.0);
    let steps = ((MAX_SIZE - MIN_SIZE) / SIZE_STEP).round() as usize;
    let sizes = || (0..=steps).map(|step| MAX_SIZE - step as f64 * SIZE_STEP);
    let attempt = |size: f64, full_fingerprint: bool| {
        let label_width = label_column(fields, size, metrics);
        let value_width = inner_width - label_width;
        if value_width < 2.0 * size {
            return None;
        }
        let rows = fit_rows(
            fields,
            value_width,
            size,
            metrics,
            full_fingerprint,
            FINGERPRINT_KEEP,
        )?;
        (rows.len() as f64 * size * LEADING <= inner_height)
            .then(|| place(rows, size, label_width, height))
    };
    if let Some(shortened) = sizes().find_map(|size| attempt(size, false)) {
        let floor = (shortened.size - 1.0).max(MIN_FULL_FINGERPRINT_SIZE) - 1e-9;
        return sizes()
            .take_while(|&size| size >= floor)
            .find_map(|size| attempt(size, true))
            .unwrap_or(shortened);
    }
    // Nothing fits even at the floor: the smallest size, the fingerprint as short as needed, and
    // the rows that do not fit cut off with an ellipsis (the full text is in /Name, /Reason and
    // the certificate).
    let size = MIN_SIZE;
    let label_width = label_column(fields, size, metrics);
    let value_width = (inner_width - label_width).max(size);
    let mut rows = fit_rows(fields, value_width, size, metrics, false, 1)
        .or_else(|| fit_rows(fields, value_width, size, metrics, false, 0))
        .unwrap_or_default();
    let max_rows = ((inner_height / (size * LEADING)).floor() as usize).max(1);
    if rows.len() > max_rows {
        rows.truncate(max_rows);
        if let Some(last) = rows.last_mut() {
            last.text = shorten_end(&last.text, value_width, size, metrics);
        }
    }
    place(rows, size, label_width, height)
}

fn label_column(fields: &[Field], size: f64, metrics: &Metrics<'_>) -> f64 {
    let widest = fields
        .iter()
        .map(|field| metrics.width(&field.label, size))
        .fold(0.0, f64::max);
    if widest > 0.0 {
        widest + GAP * size
    } else {
        0.0
    }
}

/// Centres the rows vertically.
fn place(rows: Vec<Row>, size: f64, label_width: f64, height: f64) -> Layout {
    let block = rows.len() as f64 * size * LEADING;
    let top = height - PADDING - ((height - 2.0 * PADDING - block) / 2.0).max(0.0);
    // The baseline sits a little below the top of the row: half the extra leading plus the
    // ascent (0.8 em is right for both Helvetica and CJK fonts).
    let first_baseline = top - size * ((LEADING - 1.0) / 2.0 + 0.8);
    Layout {
        size,
        label_x: PADDING,
        value_x: PADDING + label_width,
        first_baseline,
        rows,
    }
}

/// The rows of every field at this size, or `None` when a fingerprint cannot be shown with at
/// least `keep` digits on each side of the ellipsis.
fn fit_rows(
    fields: &[Field],
    value_width: f64,
    size: f64,
    metrics: &Metrics<'_>,
    full_fingerprint: bool,
    keep: usize,
) -> Option<Vec<Row>> {
    let mut rows = Vec::new();
    for field in fields {
        let texts = match field.kind {
            Kind::Text => wrap(&field.value, value_width, size, metrics),
            Kind::Fingerprint if full_fingerprint => {
                wrap_anywhere(&field.value, value_width, size, metrics)
            }
            Kind::Fingerprint => {
                // A prefix such as "SHA-256 " stays whole; the digits are shortened.
                let (prefix, digits) = match field.value.rsplit_once(' ') {
                    Some((prefix, digits)) => (&field.value[..prefix.len() + 1], digits),
                    None => ("", field.value.as_str()),
                };
                let room = value_width - metrics.width(prefix, size);
                let digits = shorten_middle(digits, room, size, metrics, keep)?;
                vec![concat(prefix, &digits)]
            }
        };
        for (index, text) in texts.into_iter().enumerate() {
            rows.push(Row {
                label: (index == 0).then(|| field.label.clone()),
                text,
            });
        }
    }
    Some(rows)
}

/// Characters that may not start a row (closing punctuation) or end one (opening punctuation).
const NO_ROW_START: &str = "，。、；：？！）》」』】〕”’…,.;:?!)]}%";
const NO_ROW_END: &str = "（《「『【〔“‘([{";

/// A character that can be broken before or after on its own (CJK and other wide scripts).
fn breaks_anywhere(character: char) -> bool {
    u32::from(character) >= 0x2E80
}

/// Word-wise greedy wrapping; CJK characters are words of their own; a word longer than the
/// column is broken between characters. Keeps closing punctuation off row starts and opening
/// punctuation off row ends by carrying one character over.
fn wrap(text: &str, max_width: f64, size: f64, metrics: &Metrics<'_>) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for character in text.chars() {
        let joins_previous = !character.is_whitespace()
            && !breaks_anywhere(character)
            && tokens.last().is_some_and(|last| {
                last.chars()
                    .last()
                    .is_some_and(|c| !c.is_whitespace() && !breaks_anywhere(c))
            });
        match tokens.last_mut() {
            Some(last) if joins_previous => last.push(character),
            _ => tokens.push(character.to_string()),
        }
    }

    let mut rows: Vec<String> = Vec::new();
    let mut current = String::new();
    for token in tokens {
        let candidate = concat(&current, &token);
        if metrics.width(candidate.trim_end(), size) <= max_width {
            current = candidate;
            continue;
        }
        if token.trim().is_empty() {
            // A space at the end of a full row: the row ends here.
            rows.push(std::mem::take(&mut current).trim_end().to_string());
            continue;
        }
        if metrics.width(&token, size) > max_width {
            // A word wider than the column: fill the row character by character.
            for character in token.chars() {
                let fits = metrics.width_of(current.chars().chain([character]), size) <= max_width;
                if fits || current.trim().is_empty() {
                    current.push(character);
                } else {
                    rows.push(std::mem::take(&mut current).trim_end().to_string());
                    current.push(character);
                }
            }
            continue;
        }
        let mut carried = String::new();
        let starts_badly = token
            .chars()
            .next()
            .is_some_and(|c| NO_ROW_START.contains(c));
        let ends_badly = current
            .trim_end()
            .chars()
            .last()
            .is_some_and(|c| NO_ROW_END.contains(c));
        if (starts_badly || ends_badly) && current.trim_end().chars().count() > 1 {
            let kept = current.trim_end();
            let split = kept
                .char_indices()
                .last()
                .map_or(kept.len(), |(index, _)| index);
            carried = kept[split..].to_string();
            current.truncate(split);
        }
        if !current.trim().is_empty() {
            rows.push(std::mem::take(&mut current).trim_end().to_string());
        }
        current = concat(&carried, &token).trim_start().to_string();
    }
    let last = current.trim_end();
    if !last.is_empty() || rows.is_empty() {
        rows.push(last.to_string());
    }
    rows
}

/// Breaks between any two characters (for hex digits).
fn wrap_anywhere(text: &str, max_width: f64, size: f64, metrics: &Metrics<'_>) -> Vec<String> {
    let mut rows = vec![String::new()];
    // The advances of the current row summed in order, so that `sum * size / 1000` is exactly
    // `metrics.width` of the row.
    let mut sum = 0.0;
    for character in text.chars() {
        let current = rows.last_mut().expect("rows is never empty");
        let advance = (metrics.advance)(character);
        if !current.is_empty() && (sum + advance) * size / 1000.0 > max_width {
            rows.push(character.to_string());
            sum = advance;
        } else {
            current.push(character);
            sum += advance;
        }
    }
    rows
}

/// `text` in full if it fits, else the most head and tail characters around the ellipsis that fit
/// (at least `keep` each side, or `None`).
fn shorten_middle(
    text: &str,
    max_width: f64,
    size: f64,
    metrics: &Metrics<'_>,
    keep: usize,
) -> Option<String> {
    if metrics.width(text, size) <= max_width {
        return Some(text.to_string());
    }
    let characters: Vec<char> = text.chars().collect();
    let half = characters.len() / 2;
    let parts = |kept: usize| {
        (
            &characters[..kept.min(characters.len())],
            &characters[characters.len().saturating_sub(kept)..],
        )
    };
    let kept = (keep..half.max(keep)).rev().find(|&kept| {
        let (head, tail) = parts(kept);
        let shortened = head
            .iter()
            .copied()
            .chain(metrics.ellipsis.chars())
            .chain(tail.iter().copied());
        metrics.width_of(shortened, size) <= max_width
    })?;
    let (head, tail) = parts(kept);
    let mut shortened: String = head.iter().collect();
    shortened.push_str(metrics.ellipsis);
    shortened.extend(tail);
    Some(shortened)
}

/// `first` followed by `second`.
fn concat(first: &str, second: &str) -> String {
    let mut out = String::with_capacity(first.len() + second.len());
    out.push_str(first);
    out.push_str(second);
    out
}

/// `text` cut at the end with an ellipsis so that it fits (the last row when rows run out).
fn shorten_end(text: &str, max_width: f64, size: f64, metrics: &Metrics<'_>) -> String {
    let characters: Vec<char> = text.chars().collect();
    (0..=characters.len())
        .rev()
        .map(|kept| {
            let head: String = characters[..kept].iter().collect();
            format!("{}{}", head.trim_end(), metrics.ellipsis)
        })
        .find(|shortened| metrics.width(shortened, size) <= max_width)
        .unwrap_or_else(|| metrics.ellipsis.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CJK characters are 1 em wide, everything else half an em.
    fn advance(character: char) -> f64 {
        if breaks_anywhere(character) {
            1000.0
        } else {
            500.0
        }
    }

    fn metrics() -> Metrics<'static> {
        Metrics {
            advance: &advance,
            ellipsis: "…",
        }
    }

    #[track_caller]
    fn check_wrap(text: &str, columns: f64, expected: &[&str]) {
        // At size 10 one column (half an em) is 5 points.
        let rows = wrap(text, columns * 5.0, 10.0, &metrics());
        assert_eq!(rows, expected, "{text:?} in {columns} columns");
    }

    #[test]
    fn wrapping() {
        check_wrap("张三", 10.0, &["张三"]);
        check_wrap("", 10.0, &[""]);
        check_wrap(
            "福州示例化工有限公司",
            8.0,
            &["福州示例", "化工有限", "公司"],
        );
        check_wrap("Zhang San Trading Ltd", 12.0, &["Zhang San", "Trading Ltd"]);
        check_wrap("abcdefghijkl", 5.0, &["abcde", "fghij", "kl"]);
        // Closing punctuation carries the character before it to the next row.
        check_wrap("一二三，四", 6.0, &["一二", "三，四"]);
        // Opening punctuation does not end a row.
        check_wrap("一二《三》", 6.0, &["一二", "《三》"]);
        check_wrap("检查人 Inspector", 10.0, &["检查人", "Inspector"]);
    }

    #[track_caller]
    fn check_shorten(text: &str, columns: f64, keep: usize, expected: Option<&str>) {
        let shortened = shorten_middle(text, columns * 5.0, 10.0, &metrics(), keep);
        assert_eq!(shortened.as_deref(), expected);
    }

    #[test]
    fn shortening() {
        check_shorten("0123456789", 10.0, 2, Some("0123456789"));
        check_shorten("0123456789", 8.0, 2, Some("012…789"));
        check_shorten("0123456789", 4.0, 2, None);
        check_shorten("0123456789", 6.0, 2, Some("01…89"));
    }

    fn fields(organisation: &str) -> Vec<Field> {
        let field = |label: &str, value: &str, kind| Field {
            label: label.into(),
            value: value.into(),
            kind,
        };
        vec![
            field("签名人", "张三", Kind::Text),
            field("单位", organisation, Kind::Text),
            field("角色", "企业负责人", Kind::Text),
            field("时间", "2025-06-01 10:30:00 +08:00", Kind::Text),
            field(
                "证书",
                &format!("SHA-256 {}", "ab".repeat(32)),
                Kind::Fingerprint,
            ),
        ]
    }

    fn assert_inside(layout: &Layout, width: f64, height: f64) {
        let metrics = metrics();
        for (index, row) in layout.rows.iter().enumerate() {
            let baseline = layout.first_baseline - index as f64 * layout.size * LEADING;
            assert!(
                baseline - 0.2 * layout.size >= 0.0,
                "row {index} below the box"
            );
            assert!(
                baseline + 0.8 * layout.size <= height,
                "row {index} above the box"
            );
            let right = layout.value_x + metrics.width(&row.text, layout.size);
            assert!(
                right <= width - PADDING + 1e-9,
                "row {index} too wide: {row:?}"
            );
        }
    }

    #[test]
    fn an_80_by_30_mm_widget_fits_at_a_readable_size() {
        let (width, height) = (80.0 / 25.4 * 72.0, 30.0 / 25.4 * 72.0);
        let layout = layout(&fields("福州示例化工有限公司"), width, height, &metrics());
        assert_inside(&layout, width, height);
        assert!(layout.size >= 8.0, "{layout:?}");
        let texts: Vec<&str> = layout.rows.iter().map(|row| row.text.as_str()).collect();
        assert_eq!(
            texts[..4],
            [
                "张三",
                "福州示例化工有限公司",
                "企业负责人",
                "2025-06-01 10:30:00 +08:00"
            ]
        );
        // The fingerprint is complete, over the remaining rows.
        assert_eq!(texts[4..].concat(), format!("SHA-256 {}", "ab".repeat(32)));
    }

    #[test]
    fn a_small_widget_shrinks_wraps_and_shortens_the_fingerprint() {
        let (width, height) = (40.0 / 25.4 * 72.0, 15.0 / 25.4 * 72.0);
        let organisation = "福建省福州市某某区示例化学工业股份有限公司第二分公司";
        let layout = layout(&fields(organisation), width, height, &metrics());
        assert_inside(&layout, width, height);
        assert!(layout.size < 10.0);
        let organisation_rows: String = layout.rows[1..]
            .iter()
            .take_while(|row| row.label.is_none() || row.label.as_deref() == Some("单位"))
            .map(|row| row.text.as_str())
            .collect();
        assert_eq!(organisation_rows, organisation);
        let fingerprint = &layout.rows.last().unwrap().text;
        assert!(fingerprint.contains('…'), "{fingerprint}");
        assert!(fingerprint.starts_with("SHA-256 abababab") && fingerprint.ends_with("abababab"));
    }

    #[test]
    fn a_tiny_widget_cuts_rows_off_visibly() {
        let layout = layout(&fields("福州示例化工有限公司"), 60.0, 20.0, &metrics());
        assert_eq!(layout.size, MIN_SIZE);
        assert_inside(&layout, 60.0, 20.0);
        assert!(
            layout.rows.last().unwrap().text.ends_with('…'),
            "{layout:?}"
        );
    }
}
