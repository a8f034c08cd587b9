//! The page model: A4 pages of drawing commands in millimetres from the top-left corner, a cursor
//! that flows down the page, page breaks, wrapped paragraphs and tables whose rows never split and
//! whose header repeats on every page. Turned into PDF operations by `pdf.rs`.

use std::collections::BTreeSet;

use crate::fonts::{Fonts, PT_PER_MM};
use crate::photo::Prepared;
use crate::text;

pub(crate) const PAGE_W: f32 = 210.0;
pub(crate) const PAGE_H: f32 = 297.0;
pub(crate) const LEFT: f32 = 20.0;
pub(crate) const RIGHT: f32 = 190.0;
pub(crate) const WIDTH: f32 = RIGHT - LEFT;
/// Where content starts (below the header).
pub(crate) const TOP: f32 = 24.0;
/// Where content must end (above the footer).
pub(crate) const BOTTOM: f32 = 280.0;

/// Body text size in points.
pub(crate) const BODY: f32 = 10.0;
/// Table text size in points.
pub(crate) const SMALL: f32 = 8.5;

/// Line height as a multiple of the font size.
const LEADING: f32 = 1.45;
/// Cell padding in millimetres.
const PAD: f32 = 1.4;

/// An RGB colour, components 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rgb(pub f32, pub f32, pub f32);

pub(crate) const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);
pub(crate) const GREY: Rgb = Rgb(0.40, 0.40, 0.40);
pub(crate) const LIGHT: Rgb = Rgb(0.93, 0.93, 0.93);
pub(crate) const RULE: Rgb = Rgb(0.55, 0.55, 0.55);
pub(crate) const RED: Rgb = Rgb(0.78, 0.06, 0.06);
pub(crate) const PALE_RED: Rgb = Rgb(0.99, 0.90, 0.90);
pub(crate) const GREEN: Rgb = Rgb(0.10, 0.50, 0.20);
pub(crate) const BLUE: Rgb = Rgb(0.16, 0.36, 0.62);
pub(crate) const ORANGE: Rgb = Rgb(0.85, 0.47, 0.05);
pub(crate) const WHITE: Rgb = Rgb(1.0, 1.0, 1.0);

/// One drawing command, in millimetres from the page's top-left corner.
#[derive(Debug, Clone)]
pub(crate) enum Draw {
    /// A single line of text with its baseline at `baseline`.
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        text: String,
        color: Rgb,
        bold: bool,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width_pt: f32,
        color: Rgb,
        dashed: bool,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<Rgb>,
        width_pt: f32,
        dashed: bool,
    },
    /// Image number `image` (see [`Canvas::images`]) fitted into the box.
    Image {
        image: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

/// One page: its drawings and, for the readable dump, the text lines in drawing order.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub(crate) draws: Vec<Draw>,
    pub(crate) text: Vec<String>,
}

/// Horizontal alignment in a cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// A table column.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub(crate) title: String,
    pub(crate) width: f32,
    pub(crate) align: Align,
}

pub(crate) fn col(title: &str, width: f32, align: Align) -> Column {
    Column {
        title: title.to_owned(),
        width,
        align,
    }
}

/// A table cell.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    pub(crate) text: String,
    pub(crate) color: Option<Rgb>,
    pub(crate) fill: Option<Rgb>,
    pub(crate) bold: bool,
}

impl Cell {
    pub(crate) fn colored(text: impl Into<String>, color: Rgb) -> Cell {
        Cell {
            text: text.into(),
            color: Some(color),
            ..Cell::default()
        }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell {
            text,
            ..Cell::default()
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::from(text.to_owned())
    }
}

/// The pages being laid out and the cursor.
pub(crate) struct Canvas<'f> {
    pub(crate) fonts: &'f Fonts,
    pub(crate) pages: Vec<Page>,
    /// Cursor: the top of the next thing drawn, in millimetres from the page top.
    pub(crate) y: f32,
    /// Characters no font has, for the warning.
    pub(crate) missing: BTreeSet<char>,
    /// Images by number (see [`Draw::Image`]).
    pub(crate) images: Vec<Prepared<'f>>,
}

pub(crate) fn mm(pt: f32) -> f32 {
    pt / PT_PER_MM
}

/// Height of one line of text at `size` points, in millimetres.
pub(crate) fn line_height(size: f32) -> f32 {
    mm(size * LEADING)
}

impl<'f> Canvas<'f> {
    pub(crate) fn new(fonts: &'f Fonts) -> Self {
        Canvas {
            fonts,
            pages: Vec::new(),
            y: TOP,
            missing: BTreeSet::new(),
            images: Vec::new(),
        }
    }

    pub(crate) fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = TOP;
    }

    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.new_page();
        }
        self.pages.last_mut().expect("a page exists")
    }

    pub(crate) fn draw(&mut self, draw: Draw) {
        self.page().draws.push(draw);
    }

    /// Space left on this page below the cursor.
    pub(crate) fn room(&self) -> f32 {
        BOTTOM - self.y
    }

    /// Starts a new page unless `height` fits below the cursor. Returns whether it did.
    pub(crate) fn ensure(&mut self, height: f32) -> bool {
        if self.pages.is_empty() || self.y + height > BOTTOM {
            self.new_page();
            true
        } else {
            false
        }
    }

    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        self.fonts.width_mm(text, size)
    }

    pub(crate) fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let scale = size / PT_PER_MM;
        text::wrap(text, width, |c| self.fonts.advance_em(c) * scale)
    }

    /// Draws one line of text whose line box starts at `top`.
    pub(crate) fn text_at(&mut self, x: f32, top: f32, size: f32, text: &str, color: Rgb) {
        self.text_styled(x, top, size, text, color, false);
    }

    pub(crate) fn text_styled(
        &mut self,
        x: f32,
        top: f32,
        size: f32,
        text: &str,
        color: Rgb,
        bold: bool,
    ) {
        if text.is_empty() {
            return;
        }
        self.fonts.missing_in(text, &mut self.missing);
        let baseline = top + mm(size * (LEADING - 1.0) / 2.0 + size * 0.86);
        let page = self.page();
        page.text.push(text.to_owned());
        page.draws.push(Draw::Text {
            x,
            baseline,
            size,
            text: text.to_owned(),
            color,
            bold,
        });
    }

    /// Text aligned in the horizontal span `x .. x + width`. (Eight plain arguments read better at
    /// the many call sites than a style struct built for each.)
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text_aligned(
        &mut self,
        x: f32,
        width: f32,
        top: f32,
        size: f32,
        text: &str,
        align: Align,
        color: Rgb,
        bold: bool,
    ) {
        let used = self.width(text, size);
        let x = match align {
            Align::Left => x,
            Align::Center => x + (width - used) / 2.0,
            Align::Right => x + width - used,
        };
        self.text_styled(x, top, size, text, color, bold);
    }

    pub(crate) fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width_pt: f32, color: Rgb) {
        self.draw(Draw::Line {
            x1,
            y1,
            x2,
            y2,
            width_pt,
            color,
            dashed: false,
        });
    }

    pub(crate) fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        self.draw(Draw::Rect {
            x,
            y,
            w,
            h,
            fill: Some(color),
            stroke: None,
            width_pt: 0.0,
            dashed: false,
        });
    }

    pub(crate) fn stroke_rect(
        &mut self,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        width_pt: f32,
        color: Rgb,
    ) {
        self.draw(Draw::Rect {
            x,
            y,
            w,
            h,
            fill: None,
            stroke: Some(color),
            width_pt,
            dashed: false,
        });
    }

    /// A wrapped paragraph across the content width (or `indent` in from the left), flowing over
    /// pages line by line.
    pub(crate) fn paragraph(&mut self, indent: f32, size: f32, text: &str, color: Rgb) {
        let lh = line_height(size);
        for line in self.wrap(text, size, WIDTH - indent) {
            self.ensure(lh);
            let top = self.y;
            self.text_at(LEFT + indent, top, size, &line, color);
            self.y += lh;
        }
    }

    /// A section heading, kept with `keep` millimetres of what follows.
    pub(crate) fn heading(&mut self, text: &str, keep: f32) {
        let size = 13.0;
        let h = line_height(size) + 2.5;
        if self.pages.is_empty() || (self.y > TOP && self.y + h + keep > BOTTOM) {
            self.new_page();
        } else if self.y > TOP {
            self.y += 3.0;
        }
        let top = self.y;
        self.fill_rect(LEFT, top + 0.8, 1.6, line_height(size) - 1.6, BLUE);
        self.text_styled(LEFT + 3.5, top, size, text, BLACK, true);
        self.y += h;
    }

    /// A sub-heading, kept with `keep` millimetres of what follows.
    pub(crate) fn subheading(&mut self, text: &str, keep: f32) {
        let size = 11.0;
        let h = line_height(size) + 1.0;
        if self.pages.is_empty() || (self.y > TOP && self.y + h + keep > BOTTOM) {
            self.new_page();
        } else if self.y > TOP {
            self.y += 1.5;
        }
        let top = self.y;
        self.text_styled(LEFT, top, size, text, BLACK, true);
        self.y += h;
    }

    /// A table: the header repeats on every page the table reaches, rows never split (a row
    /// taller than a page is cut to fit, with "…"; callers keep long texts out of cells), cells
    /// wrap. `max_lines` caps the lines of any cell.
    pub(crate) fn table(&mut self, columns: &[Column], rows: &[Vec<Cell>], size: f32) {
        self.table_impl(columns, rows, size, true);
    }

    /// A table of rows only (label / value blocks), with the same page-break rules.
    pub(crate) fn table_without_header(
        &mut self,
        columns: &[Column],
        rows: &[Vec<Cell>],
        size: f32,
    ) {
        self.table_impl(columns, rows, size, false);
    }

    /// Height of a table's header and first row: what a heading above it must be kept with.
    pub(crate) fn table_start_height(
        &self,
        columns: &[Column],
        rows: &[Vec<Cell>],
        size: f32,
    ) -> f32 {
        let lh = line_height(size);
        let lines = |cells: &mut dyn Iterator<Item = (&Column, &str)>| {
            cells
                .map(|(c, text)| self.wrap(text, size, c.width - 2.0 * PAD).len())
                .max()
                .unwrap_or(1)
                .max(1) as f32
        };
        let header = lines(&mut columns.iter().map(|c| (c, c.title.as_str())));
        let first = rows.first().map_or(0.0, |row| {
            lines(
                &mut columns
                    .iter()
                    .zip(row)
                    .map(|(c, cell)| (c, cell.text.as_str())),
            ) * lh
                + 2.0 * PAD
        });
        (header * lh + 2.0 * PAD + first).min(BOTTOM - TOP - 20.0)
    }

    fn table_impl(&mut self, columns: &[Column], rows: &[Vec<Cell>], size: f32, header: bool) {
        let lh = line_height(size);
        let header_lines: Vec<Vec<String>> = columns
            .iter()
            .map(|c| self.wrap(&c.title, size, c.width - 2.0 * PAD))
            .collect();
        let header_h = if header {
            header_lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * PAD
        } else {
            0.0
        };
        let max_row_h = BOTTOM - TOP - header_h;
        let mut first = true;
        for row in rows {
            let mut cells: Vec<Vec<String>> = columns
                .iter()
                .zip(row)
                .map(|(c, cell)| self.wrap(&cell.text, size, c.width - 2.0 * PAD))
                .collect();
            let max_lines = ((max_row_h - 2.0 * PAD) / lh).floor().max(1.0) as usize;
            for lines in &mut cells {
                if lines.len() > max_lines {
                    lines.truncate(max_lines);
                    if let Some(last) = lines.last_mut() {
                        last.push('…');
                    }
                }
            }
            let row_h =
                cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * lh + 2.0 * PAD;
            let need = if first { header_h + row_h } else { row_h };
            let broke = self.ensure(need);
            if header && (first || broke) {
                self.table_header(columns, &header_lines, header_h, size);
            }
            first = false;
            let top = self.y;
            let mut x = LEFT;
            for ((column, cell), lines) in columns.iter().zip(row).zip(&cells) {
                if let Some(fill) = cell.fill {
                    self.fill_rect(x, top, column.width, row_h, fill);
                }
                for (idx, line) in lines.iter().enumerate() {
                    self.text_aligned(
                        x + PAD,
                        column.width - 2.0 * PAD,
                        top + PAD + idx as f32 * lh,
                        size,
                        line,
                        column.align,
                        cell.color.unwrap_or(BLACK),
                        cell.bold,
                    );
                }
                x += column.width;
            }
            self.grid(columns, top, row_h);
            self.y += row_h;
        }
        if first && header {
            // No rows: the header alone, so that an empty table still shows what it would hold.
            self.ensure(header_h);
            self.table_header(columns, &header_lines, header_h, size);
        }
        self.y += 2.0;
    }

    fn table_header(&mut self, columns: &[Column], lines: &[Vec<String>], h: f32, size: f32) {
        let top = self.y;
        let total: f32 = columns.iter().map(|c| c.width).sum();
        self.fill_rect(LEFT, top, total, h, LIGHT);
        let lh = line_height(size);
        let mut x = LEFT;
        for (column, lines) in columns.iter().zip(lines) {
            let offset = (h - 2.0 * PAD - lines.len() as f32 * lh) / 2.0;
            for (idx, line) in lines.iter().enumerate() {
                self.text_aligned(
                    x + PAD,
                    column.width - 2.0 * PAD,
                    top + PAD + offset + idx as f32 * lh,
                    size,
                    line,
                    Align::Center,
                    BLACK,
                    true,
                );
            }
            x += column.width;
        }
        self.grid(columns, top, h);
        self.y += h;
    }

    /// The borders of one row.
    fn grid(&mut self, columns: &[Column], top: f32, h: f32) {
        let total: f32 = columns.iter().map(|c| c.width).sum();
        self.stroke_rect(LEFT, top, total, h, 0.5, RULE);
        let mut x = LEFT;
        for column in &columns[..columns.len().saturating_sub(1)] {
            x += column.width;
            self.line(x, top, x, top + h, 0.5, RULE);
        }
    }
}
