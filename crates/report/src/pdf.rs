//! From laid-out pages to PDF bytes: printpdf turns the drawings into content streams and subsets
//! the fonts; the finishing step on the same lopdf document adds what printpdf does not write
//! (embedded files with /AF, XMP, the Info dictionary, a stable /ID) and fixes everything printpdf
//! would otherwise take from a counter or the epoch, so that the bytes depend only on the input.
//!
//! Images are not handed to printpdf and lopdf: each image stream gets an 8-byte placeholder, the
//! document is serialised by lopdf without them (a few megabytes for a 200-photo report), and
//! [`splice`] writes that skeleton to the output with every image's bytes in place of its
//! placeholder and the cross-reference offsets moved by what came in before them. The bytes are
//! those lopdf writes with the images in the streams (`splice_equals_lopdf` checks it); only no
//! copy of a photo is made on the way, where printpdf, its lopdf document and the saved `Vec` held
//! three (a 109 MB inspection peaked at 667 MB, issue 18).

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use lopdf::{Dictionary, Object, Stream, StringFormat};
use printpdf::{
    Color, ExternalStream, ExternalXObject, FontId, Line, LineDashPattern, LinePoint, Mm, Op,
    PaintMode, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect,
    TextItem, TextRenderingMode, XObject, XObjectId, XObjectTransform, xobject::DictItem,
};
use time::OffsetDateTime;
use zicha_core::hash::Sha256;

use crate::canvas::{Canvas, Draw, PAGE_H, PAGE_W, Rgb};
use crate::fonts::{PT_PER_MM, REPLACEMENT_PAD_EM, REPLACEMENT_SCALE, Which, replacement_text};
use crate::photo::Filter;
use crate::{Error, Result};

/// A file embedded in the PDF.
pub(crate) struct Attachment {
    pub(crate) name: String,
    pub(crate) mime: &'static str,
    pub(crate) description: String,
    /// /AFRelationship: Data, Source, Supplement, ...
    pub(crate) relationship: &'static str,
    pub(crate) bytes: Vec<u8>,
}

/// Document metadata for Info and XMP.
pub(crate) struct Meta {
    pub(crate) title: String,
    pub(crate) author: String,
    pub(crate) subject: String,
    pub(crate) keywords: Vec<String>,
    pub(crate) created: OffsetDateTime,
    pub(crate) document_id: String,
    /// Seeds the /ID: a digest of everything the report is made from.
    pub(crate) fingerprint: Sha256,
    /// The reserved signature areas, recorded in the XMP for a signer that only has the PDF:
    /// "role|name|page (1-based)|x1 y1 x2 y2" in points.
    pub(crate) signature_slots: Vec<String>,
}

/// Sizes of what went into the PDF.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Bytes of embedded image data (after any downscale or conversion).
    pub photo_bytes: usize,
    /// Images embedded as their original JPEG bytes.
    pub photos_passed_through: usize,
    /// Images downscaled or converted (PNG) before embedding.
    pub photos_converted: usize,
    /// Bytes of embedded font programs (subset, compressed).
    pub font_bytes: usize,
    /// Bytes of embedded files (compressed).
    pub attachment_bytes: usize,
    /// Pages.
    pub pages: usize,
}

fn pt(value_mm: f32) -> Pt {
    Pt(value_mm * PT_PER_MM)
}

fn point(x_mm: f32, y_mm_from_top: f32) -> Point {
    Point {
        x: pt(x_mm),
        y: pt(PAGE_H - y_mm_from_top),
    }
}

fn color(rgb: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: rgb.0,
        g: rgb.1,
        b: rgb.2,
        icc_profile: None,
    })
}

/// A subset tag of six capital letters from the glyphs used (ISO 32000-1 9.6.4), so that the same
/// text always gives the same tag and different subsets different ones.
fn subset_tag(seed: u8, chars: &BTreeSet<char>) -> String {
    let text: String = std::iter::once(char::from(seed))
        .chain(chars.iter().copied())
        .collect();
    let digest = Sha256::of(text.as_bytes());
    digest.0[..6]
        .iter()
        .map(|byte| char::from(b'A' + byte % 26))
        .collect()
}

/// A stream as (what it inflates to, its compressed bytes).
type Inflated = (Vec<u8>, Vec<u8>);

/// How the streams are deflated (zlib, level 9). Rendering deflates; a re-render for a proof takes
/// the compressed bytes of the file being proven wherever a stream there inflates to exactly the
/// bytes to be compressed, which makes the re-render's output equal the file when, and only when,
/// every stream decodes to what Zicha writes, without paying for deflate (about a third of a
/// render).
#[derive(Debug, Default)]
pub(crate) struct Deflater {
    /// (what they inflate to, compressed bytes) by the inflated length; the bytes are compared
    /// in full (a digest of every stream cost more than the comparison).
    known: HashMap<usize, Vec<Inflated>>,
}

impl Deflater {
    /// A deflater that reuses `streams`: (inflated, compressed) pairs.
    pub(crate) fn reusing(streams: Vec<Inflated>) -> Deflater {
        let mut known: HashMap<usize, Vec<Inflated>> = HashMap::new();
        for (inflated, compressed) in streams {
            known
                .entry(inflated.len())
                .or_default()
                .push((inflated, compressed));
        }
        Deflater { known }
    }

    fn deflate(&self, data: &[u8]) -> Vec<u8> {
        if let Some((_, compressed)) = self
            .known
            .get(&data.len())
            .and_then(|candidates| candidates.iter().find(|(inflated, _)| inflated == data))
        {
            return compressed.clone();
        }
        miniz_oxide::deflate::compress_to_vec_zlib(data, 9)
    }

    /// lopdf's `Document::compress` (zlib at its best level, kept only when it saves more than
    /// the 19 bytes of the /Filter entry), through [`Deflater::deflate`].
    fn compress(&self, lo: &mut lopdf::Document) {
        for object in lo.objects.values_mut() {
            if let Object::Stream(stream) = object
                && stream.allows_compression
                && stream.dict.get(b"Filter").is_err()
            {
                let compressed = self.deflate(&stream.content);
                if compressed.len() + 19 < stream.content.len() {
                    stream
                        .dict
                        .set("Filter", Object::Name(b"FlateDecode".to_vec()));
                    stream.set_content(compressed);
                }
            }
        }
    }
}

/// Builds the PDF and writes it to `out`; its statistics and length in bytes.
pub(crate) fn write(
    canvas: &Canvas<'_>,
    meta: &Meta,
    attachments: &[Attachment],
    deflater: &Deflater,
    out: &mut dyn Write,
) -> Result<(Stats, u64)> {
    let fonts = canvas.fonts;
    // Which characters each face draws decides the subset tags (and whether a face is used). Each
    // distinct character is looked at once (inserting every character of the text into the sets
    // was 2 % of a proof).
    let mut text_chars: Vec<char> = canvas
        .pages
        .iter()
        .flat_map(|page| &page.draws)
        .filter_map(|draw| match draw {
            Draw::Text { text, .. } => Some(text.chars()),
            _ => None,
        })
        .flatten()
        .collect();
    text_chars.sort_unstable();
    text_chars.dedup();
    let (mut main_chars, mut fallback_chars) = (BTreeSet::new(), BTreeSet::new());
    for c in text_chars {
        match fonts.which(c) {
            Which::Main => {
                main_chars.insert(c);
            }
            Which::Fallback => {
                fallback_chars.insert(c);
            }
            Which::Missing => main_chars.extend(replacement_text(c).chars()),
        }
    }
    let main_id = FontId(subset_tag(b'M', &main_chars));
    let fallback_id = FontId(subset_tag(b'F', &fallback_chars));

    let mut doc = PdfDocument::new(&meta.title);
    doc.resources.fonts.map.insert(
        main_id.clone(),
        PdfFont::new(fonts.main.for_pdf(&main_chars)),
    );
    if let Some(face) = &fonts.fallback
        && !fallback_chars.is_empty()
    {
        doc.resources.fonts.map.insert(
            fallback_id.clone(),
            PdfFont::new(face.for_pdf(&fallback_chars)),
        );
    }
    let mut stats = Stats {
        pages: canvas.pages.len(),
        ..Stats::default()
    };
    for (idx, image) in canvas.images.iter().enumerate() {
        stats.photo_bytes += image.data.len();
        if image.passthrough {
            stats.photos_passed_through += 1;
        } else {
            stats.photos_converted += 1;
        }
        let mut dict = std::collections::BTreeMap::new();
        let name = |n: &str| DictItem::Name(n.as_bytes().to_vec());
        dict.insert("Type".to_owned(), name("XObject"));
        dict.insert("Subtype".to_owned(), name("Image"));
        dict.insert("Width".to_owned(), DictItem::Int(i64::from(image.width)));
        dict.insert("Height".to_owned(), DictItem::Int(i64::from(image.height)));
        dict.insert("BitsPerComponent".to_owned(), DictItem::Int(8));
        let space = match image.components {
            1 => "DeviceGray",
            4 => "DeviceCMYK",
            _ => "DeviceRGB",
        };
        dict.insert("ColorSpace".to_owned(), name(space));
        dict.insert(
            "Filter".to_owned(),
            name(match image.filter {
                Filter::Dct => "DCTDecode",
                Filter::Flate => "FlateDecode",
            }),
        );
        if image.inverted_cmyk {
            dict.insert(
                "Decode".to_owned(),
                DictItem::Array([1, 0, 1, 0, 1, 0, 1, 0].map(DictItem::Int).to_vec()),
            );
        }
        doc.resources.xobjects.map.insert(
            XObjectId(format!("Im{}", idx + 1)),
            XObject::External(ExternalXObject {
                stream: ExternalStream {
                    dict,
                    content: placeholder(idx),
                    compress: false,
                },
                width: None,
                height: None,
                dpi: None,
            }),
        );
    }

    let pages: Vec<PdfPage> = canvas
        .pages
        .iter()
        .map(|page| {
            let mut ops = Vec::with_capacity(page.draws.len() * 6);
            for draw in &page.draws {
                page_ops(draw, canvas, &main_id, &fallback_id, &mut ops);
            }
            PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops)
        })
        .collect();
    doc.with_pages(pages);

    let options = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&options, &mut warnings);
    drop(doc);
    deflater.compress(&mut lo);
    finish(&mut lo, meta, attachments, deflater, &mut stats)?;
    let images: Vec<&[u8]> = canvas.images.iter().map(|image| &*image.data).collect();
    let placed = set_image_lengths(&mut lo, &images);
    let mut skeleton = Vec::new();
    lo.save_to(&mut skeleton)
        .map_err(|error| Error::Pdf(format!("cannot write the PDF: {error}")))?;
    drop(lo);
    let length = splice(&skeleton, &placed, &images, out)
        .map_err(|error| Error::Pdf(format!("cannot write the PDF: {error}")))?;
    Ok((stats, length))
}

/// Bytes of an image stream's placeholder.
const PLACEHOLDER_LEN: usize = 8;

/// The content an image stream has until [`splice`] writes the image: `\0ZIM` and the image's
/// number. It is never written out, so it need not be unlike anything a file holds.
fn placeholder(image: usize) -> Vec<u8> {
    let mut bytes = b"\0ZIM".to_vec();
    bytes.extend_from_slice(&(image as u32).to_be_bytes());
    bytes
}

/// Gives each image stream of `lo` the /Length of its image (lopdf set it to the placeholder's);
/// the object number of each image by its number (`None`: not in the document).
fn set_image_lengths(lo: &mut lopdf::Document, images: &[&[u8]]) -> Vec<Option<u32>> {
    let mut placed = vec![None; images.len()];
    for (&(number, _), object) in lo.objects.iter_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if stream.content.len() != PLACEHOLDER_LEN || !stream.content.starts_with(b"\0ZIM") {
            continue;
        }
        let index = u32::from_be_bytes([
            stream.content[4],
            stream.content[5],
            stream.content[6],
            stream.content[7],
        ]) as usize;
        let Some(data) = images.get(index) else {
            continue;
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Image".as_slice()) {
            continue;
        }
        stream.dict.set("Length", data.len() as i64);
        placed[index] = Some(number);
    }
    placed
}

/// Writes `skeleton` (lopdf's output with placeholders: a cross-reference table, one revision)
/// to `out` with the images in place of their placeholders (`placed`: the object number of each
/// image) and every cross-reference offset and `startxref` moved accordingly; the length written.
fn splice(
    skeleton: &[u8],
    placed: &[Option<u32>],
    images: &[&[u8]],
    out: &mut dyn Write,
) -> std::io::Result<u64> {
    let broken = |what: &str| std::io::Error::other(format!("lopdf wrote {what}"));
    let xref = Xref::read(skeleton).ok_or_else(|| broken("no cross-reference table"))?;
    // Where each image's placeholder is: after the `stream\n` that follows its object's start
    // (an image's dictionary holds only names, numbers and arrays of numbers).
    let mut cuts: Vec<(usize, &[u8])> = Vec::new();
    for (index, number) in placed.iter().enumerate() {
        let Some(number) = number else { continue };
        let start = xref
            .offset(*number)
            .ok_or_else(|| broken("an image without an offset"))?;
        let content = find(&skeleton[start..], b"stream\n")
            .map(|at| start + at + b"stream\n".len())
            .filter(|&at| skeleton.get(at..at + PLACEHOLDER_LEN) == Some(&placeholder(index)[..]))
            .ok_or_else(|| broken("an image without its placeholder"))?;
        cuts.push((content, images[index]));
    }
    cuts.sort_by_key(|(at, _)| *at);
    // What an offset in the skeleton becomes: plus the growth of every placeholder before it.
    let moved = |offset: usize| -> usize {
        offset
            + cuts
                .iter()
                .take_while(|(at, _)| *at < offset)
                .map(|(_, data)| data.len() - PLACEHOLDER_LEN)
                .sum::<usize>()
    };
    let mut written = 0u64;
    let mut emit = |out: &mut dyn Write, bytes: &[u8]| -> std::io::Result<()> {
        written += bytes.len() as u64;
        out.write_all(bytes)
    };
    let mut at = 0;
    for (cut, data) in &cuts {
        emit(out, &skeleton[at..*cut])?;
        emit(out, data)?;
        at = cut + PLACEHOLDER_LEN;
    }
    emit(out, &skeleton[at..xref.table_start])?;
    let mut table = skeleton[xref.table_start..xref.table_end].to_vec();
    for &(entry_at, offset) in &xref.entries {
        let text = format!("{:010}", moved(offset));
        if text.len() != 10 {
            return Err(broken("an offset of more than ten digits"));
        }
        let at = entry_at - xref.table_start;
        table[at..at + 10].copy_from_slice(text.as_bytes());
    }
    emit(out, &table)?;
    emit(out, &skeleton[xref.table_end..xref.startxref_value])?;
    emit(out, moved(xref.start).to_string().as_bytes())?;
    emit(
        out,
        &skeleton[xref.startxref_value + xref.start.to_string().len()..],
    )?;
    Ok(written)
}

/// The first position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The cross-reference table lopdf writes (`Writer::write_xref`: sections of 20-byte entries
/// `oooooooooo ggggg n \n`) as [`splice`] needs it.
struct Xref {
    /// The offset of `xref`, as `startxref` gives it.
    start: usize,
    /// The table from `xref` to `trailer`.
    table_start: usize,
    table_end: usize,
    /// Where the number after `startxref` is written.
    startxref_value: usize,
    /// In-use entries: (where the entry is, the offset it gives).
    entries: Vec<(usize, usize)>,
    /// Object number → offset, for in-use entries.
    by_number: HashMap<u32, usize>,
}

impl Xref {
    fn read(pdf: &[u8]) -> Option<Xref> {
        let tail_from = pdf.len().saturating_sub(64);
        let keyword = tail_from + rfind(&pdf[tail_from..], b"startxref\n")?;
        let startxref_value = keyword + b"startxref\n".len();
        let digits = pdf[startxref_value..]
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        let start: usize = std::str::from_utf8(&pdf[startxref_value..startxref_value + digits])
            .ok()?
            .parse()
            .ok()?;
        let mut at = start + b"xref\n".len();
        if pdf.get(start..at)? != b"xref\n" {
            return None;
        }
        let mut entries = Vec::new();
        let mut by_number = HashMap::new();
        while !pdf.get(at..)?.starts_with(b"trailer") {
            let line_end = at + pdf.get(at..)?.iter().position(|&byte| byte == b'\n')?;
            let header = std::str::from_utf8(&pdf[at..line_end]).ok()?;
            let (first, count) = header.split_once(' ')?;
            let (first, count): (u32, usize) = (first.parse().ok()?, count.parse().ok()?);
            at = line_end + 1;
            for number in first..first + count as u32 {
                let entry = pdf.get(at..at + 20)?;
                if entry[17] == b'n' {
                    let offset: usize = std::str::from_utf8(&entry[..10]).ok()?.parse().ok()?;
                    entries.push((at, offset));
                    by_number.insert(number, offset);
                }
                at += 20;
            }
        }
        Some(Xref {
            start,
            table_start: start,
            table_end: at,
            startxref_value,
            entries,
            by_number,
        })
    }

    fn offset(&self, number: u32) -> Option<usize> {
        self.by_number.get(&number).copied()
    }
}

/// The last position of `needle` in `haystack`.
fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}

fn page_ops(draw: &Draw, canvas: &Canvas<'_>, main: &FontId, fallback: &FontId, ops: &mut Vec<Op>) {
    let fonts = canvas.fonts;
    match draw {
        Draw::Text {
            x,
            baseline,
            size,
            text,
            color: rgb,
            bold,
        } => {
            // Split into runs of one face; a missing character is drawn as a framed U+XXXX.
            let mut runs: Vec<(Which, String)> = Vec::new();
            for c in text.chars() {
                let which = fonts.which(c);
                match runs.last_mut() {
                    Some((last, run)) if *last == which && which != Which::Missing => run.push(c),
                    _ => runs.push((which, c.to_string())),
                }
            }
            let mut pen = *x;
            let size_mm = size / PT_PER_MM;
            if *bold {
                ops.push(Op::SetTextRenderingMode {
                    mode: TextRenderingMode::FillStroke,
                });
                ops.push(Op::SetOutlineThickness {
                    pt: Pt(size * 0.035),
                });
                ops.push(Op::SetOutlineColor { col: color(*rgb) });
            }
            for (which, run) in runs {
                let (font, shown, run_size, dx, width_mm) = match which {
                    Which::Main => (main, run.clone(), *size, 0.0, fonts.width_mm(&run, *size)),
                    Which::Fallback => (
                        fallback,
                        run.clone(),
                        *size,
                        0.0,
                        fonts.width_mm(&run, *size),
                    ),
                    Which::Missing => {
                        let c = run.chars().next().expect("a run has a character");
                        let width_mm = fonts.replacement_width_em(c) * size_mm;
                        let top = baseline - 0.80 * size_mm;
                        let bottom = baseline + 0.12 * size_mm;
                        ops.push(Op::SetOutlineColor {
                            col: color(crate::canvas::RED),
                        });
                        ops.push(Op::SetOutlineThickness { pt: Pt(0.6) });
                        ops.push(Op::DrawRectangle {
                            rectangle: Rect {
                                x: pt(pen + 0.04 * size_mm),
                                y: pt(PAGE_H - bottom),
                                width: pt(width_mm - 0.08 * size_mm),
                                height: pt(bottom - top),
                                mode: Some(PaintMode::Stroke),
                                winding_order: None,
                            },
                        });
                        (
                            main,
                            replacement_text(c),
                            size * REPLACEMENT_SCALE,
                            REPLACEMENT_PAD_EM * size_mm,
                            width_mm,
                        )
                    }
                };
                let raise = if which == Which::Missing {
                    0.22 * size_mm
                } else {
                    0.0
                };
                ops.push(Op::StartTextSection);
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(font.clone()),
                    size: Pt(run_size),
                });
                ops.push(Op::SetFillColor {
                    col: color(if which == Which::Missing {
                        crate::canvas::RED
                    } else {
                        *rgb
                    }),
                });
                ops.push(Op::SetTextCursor {
                    pos: point(pen + dx, baseline - raise),
                });
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(shown)],
                });
                ops.push(Op::EndTextSection);
                pen += width_mm;
            }
            if *bold {
                ops.push(Op::SetTextRenderingMode {
                    mode: TextRenderingMode::Fill,
                });
            }
        }
        Draw::Line {
            x1,
            y1,
            x2,
            y2,
            width_pt,
            color: rgb,
            dashed,
        } => {
            ops.push(Op::SetOutlineColor { col: color(*rgb) });
            ops.push(Op::SetOutlineThickness { pt: Pt(*width_pt) });
            if *dashed {
                ops.push(Op::SetLineDashPattern {
                    dash: LineDashPattern::new(0.0, &[3.0, 2.0]),
                });
            }
            ops.push(Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: point(*x1, *y1),
                            bezier: false,
                        },
                        LinePoint {
                            p: point(*x2, *y2),
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            });
            if *dashed {
                ops.push(Op::SetLineDashPattern {
                    dash: LineDashPattern::default(),
                });
            }
        }
        Draw::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke,
            width_pt,
            dashed,
        } => {
            if let Some(fill) = fill {
                ops.push(Op::SetFillColor { col: color(*fill) });
            }
            if let Some(stroke) = stroke {
                ops.push(Op::SetOutlineColor {
                    col: color(*stroke),
                });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width_pt) });
            }
            if *dashed {
                ops.push(Op::SetLineDashPattern {
                    dash: LineDashPattern::new(0.0, &[3.0, 2.0]),
                });
            }
            let mode = match (fill, stroke) {
                (Some(_), Some(_)) => PaintMode::FillStroke,
                (Some(_), None) => PaintMode::Fill,
                _ => PaintMode::Stroke,
            };
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: pt(*x),
                    y: pt(PAGE_H - y - h),
                    width: pt(*w),
                    height: pt(*h),
                    mode: Some(mode),
                    winding_order: None,
                },
            });
            if *dashed {
                ops.push(Op::SetLineDashPattern {
                    dash: LineDashPattern::default(),
                });
            }
        }
        Draw::Image { image, x, y, w, h } => {
            let prepared = &canvas.images[*image];
            let matrix = prepared.matrix(
                x * PT_PER_MM,
                (PAGE_H - y - h) * PT_PER_MM,
                w * PT_PER_MM,
                h * PT_PER_MM,
            );
            ops.push(Op::SaveGraphicsState);
            ops.push(Op::SetTransformationMatrix {
                matrix: printpdf::CurTransMat::Raw(matrix),
            });
            ops.push(Op::UseXobject {
                id: XObjectId(format!("Im{}", image + 1)),
                transform: XObjectTransform {
                    no_auto_scale: true,
                    ..XObjectTransform::default()
                },
            });
            ops.push(Op::RestoreGraphicsState);
        }
    }
}

/// `D:YYYYMMDDHHmmSS+HH'mm'`.
fn pdf_date(at: OffsetDateTime) -> String {
    let offset = at.offset();
    let (hours, minutes) = (offset.whole_hours(), offset.minutes_past_hour().abs());
    let sign = if offset.is_negative() { '-' } else { '+' };
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}{sign}{:02}'{:02}'",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        hours.abs(),
        minutes
    )
}

/// `YYYY-MM-DDTHH:mm:SS+HH:mm`.
fn xmp_date(at: OffsetDateTime) -> String {
    let offset = at.offset();
    let sign = if offset.is_negative() { '-' } else { '+' };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        offset.whole_hours().abs(),
        offset.minutes_past_hour().abs()
    )
}

/// A text string: PDFDocEncoding-safe ASCII as a literal, anything else as UTF-16BE with a BOM.
fn text_string(text: &str) -> Object {
    if text.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        Object::String(text.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            bytes.extend(unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn producer() -> String {
    format!(
        "zicha-report {} (printpdf 0.12.8)",
        env!("CARGO_PKG_VERSION")
    )
}

fn xmp(meta: &Meta, attachments: &[Attachment]) -> String {
    let created = xmp_date(meta.created);
    let keywords = xml_escape(&meta.keywords.join(", "));
    let slots: String = meta
        .signature_slots
        .iter()
        .map(|slot| format!("<rdf:li>{}</rdf:li>", xml_escape(slot)))
        .collect();
    let files: String = attachments
        .iter()
        .map(|file| format!("<rdf:li>{}</rdf:li>", xml_escape(&file.name)))
        .collect();
    format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:zicha="https://zicha.invalid/ns/report/1.0/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
<dc:identifier>{id}</dc:identifier>
<xmp:CreateDate>{created}</xmp:CreateDate>
<xmp:ModifyDate>{created}</xmp:ModifyDate>
<xmp:MetadataDate>{created}</xmp:MetadataDate>
<xmp:CreatorTool>Zicha</xmp:CreatorTool>
<xmpMM:DocumentID>uuid:{uuid}</xmpMM:DocumentID>
<xmpMM:InstanceID>uuid:{uuid}</xmpMM:InstanceID>
<pdf:Producer>{producer}</pdf:Producer>
<pdf:Keywords>{keywords}</pdf:Keywords>
<zicha:ReportId>{id}</zicha:ReportId>
<zicha:EmbeddedFiles><rdf:Bag>{files}</rdf:Bag></zicha:EmbeddedFiles>
<zicha:SignatureSlots><rdf:Seq>{slots}</rdf:Seq></zicha:SignatureSlots>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        title = xml_escape(&meta.title),
        author = xml_escape(&meta.author),
        subject = xml_escape(&meta.subject),
        id = xml_escape(&meta.document_id),
        uuid = uuid(&meta.fingerprint),
        producer = xml_escape(&producer()),
    )
}

/// A UUID-shaped rendering of the first 16 bytes of a digest.
fn uuid(digest: &Sha256) -> String {
    let hex = digest.short(32);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn finish(
    lo: &mut lopdf::Document,
    meta: &Meta,
    attachments: &[Attachment],
    deflater: &Deflater,
    stats: &mut Stats,
) -> Result<()> {
    lo.version = "1.7".to_owned();
    let missing = |what: &str| Error::Pdf(format!("printpdf wrote no {what}"));
    let catalog_id = lo
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| missing("catalog"))?;

    // Font program sizes, for the figures.
    for object in lo.objects.values() {
        if let Object::Dictionary(dict) = object
            && dict.get(b"Type").and_then(Object::as_name).ok()
                == Some(b"FontDescriptor".as_slice())
        {
            for key in [b"FontFile2".as_slice(), b"FontFile3"] {
                if let Ok(id) = dict.get(key).and_then(Object::as_reference)
                    && let Some(Object::Stream(stream)) = lo.objects.get(&id)
                {
                    stats.font_bytes += stream.content.len();
                }
            }
        }
    }

    let created = pdf_date(meta.created);
    let info = Dictionary::from_iter(vec![
        ("Title", text_string(&meta.title)),
        ("Author", text_string(&meta.author)),
        ("Subject", text_string(&meta.subject)),
        ("Keywords", text_string(&meta.keywords.join(", "))),
        ("Creator", text_string("Zicha")),
        ("Producer", text_string(&producer())),
        ("CreationDate", Object::string_literal(created.clone())),
        ("ModDate", Object::string_literal(created.clone())),
    ]);
    let info_id = lo.add_object(info);
    lo.trailer.set("Info", info_id);

    let mut xmp_stream = Stream::new(
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        xmp(meta, attachments).into_bytes(),
    );
    // XMP stays uncompressed so that tools that scan for it find it.
    xmp_stream.allows_compression = false;
    let xmp_id = lo.add_object(xmp_stream);

    let mut names = Vec::new();
    let mut filespecs = Vec::new();
    for file in attachments {
        let compressed = deflater.deflate(&file.bytes);
        stats.attachment_bytes += compressed.len();
        let mut params = Dictionary::new();
        params.set("Size", file.bytes.len() as i64);
        params.set("ModDate", Object::string_literal(created.clone()));
        let mut stream = Stream::new(
            Dictionary::from_iter(vec![
                ("Type", Object::Name(b"EmbeddedFile".to_vec())),
                ("Subtype", Object::Name(file.mime.as_bytes().to_vec())),
                ("Filter", Object::Name(b"FlateDecode".to_vec())),
                ("Params", Object::Dictionary(params)),
            ]),
            compressed,
        );
        stream.allows_compression = false;
        let stream_id = lo.add_object(stream);
        let filespec = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Filespec".to_vec())),
            ("F", text_string(&file.name)),
            ("UF", text_string(&file.name)),
            ("Desc", text_string(&file.description)),
            (
                "AFRelationship",
                Object::Name(file.relationship.as_bytes().to_vec()),
            ),
            (
                "EF",
                Object::Dictionary(Dictionary::from_iter(vec![
                    ("F", Object::Reference(stream_id)),
                    ("UF", Object::Reference(stream_id)),
                ])),
            ),
        ]);
        let filespec_id = lo.add_object(filespec);
        names.push((file.name.clone(), filespec_id));
        filespecs.push(Object::Reference(filespec_id));
    }
    // The name tree's keys must be sorted.
    names.sort_by(|a, b| a.0.cmp(&b.0));
    let catalog = lo
        .get_object_mut(catalog_id)
        .and_then(Object::as_dict_mut)
        .map_err(|_| missing("catalog dictionary"))?;
    catalog.set("Metadata", xmp_id);
    catalog.set("Lang", Object::string_literal("zh-CN"));
    if !names.is_empty() {
        let array = names
            .into_iter()
            .flat_map(|(name, id)| [text_string(&name), Object::Reference(id)])
            .collect::<Vec<_>>();
        catalog.set(
            "Names",
            Dictionary::from_iter(vec![(
                "EmbeddedFiles",
                Object::Dictionary(Dictionary::from_iter(vec![("Names", Object::Array(array))])),
            )]),
        );
        catalog.set("AF", Object::Array(filespecs));
    }
    catalog.set(
        "ViewerPreferences",
        Dictionary::from_iter(vec![("DisplayDocTitle", Object::Boolean(true))]),
    );

    // The same input gives the same /ID; both halves are equal for a first revision.
    let id = Object::String(meta.fingerprint.0[..16].to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    lo.prune_objects();
    lo.renumber_objects();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document with three images (one not in the document), a content stream and a
    /// dictionary between them; `with_images` puts the images in, else their placeholders.
    fn document(images: &[&[u8]], with_images: bool) -> lopdf::Document {
        let mut lo = lopdf::Document::with_version("1.7");
        // As printpdf's document has it (a cross-reference stream is refused below).
        lo.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
        let image = |index: usize| {
            let dict = Dictionary::from_iter(vec![
                ("Type", Object::Name(b"XObject".to_vec())),
                ("Subtype", Object::Name(b"Image".to_vec())),
                ("Width", Object::Integer(2)),
                ("Filter", Object::Name(b"DCTDecode".to_vec())),
            ]);
            let content = if with_images {
                images[index].to_vec()
            } else {
                placeholder(index)
            };
            Stream::new(dict, content)
        };
        let first = lo.add_object(image(1));
        let text = lo.add_object(Stream::new(Dictionary::new(), b"BT /F1 12 Tf ET".to_vec()));
        let second = lo.add_object(image(0));
        let catalog = lo.add_object(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Catalog".to_vec())),
            (
                "Kids",
                Object::Array(vec![first.into(), text.into(), second.into()]),
            ),
        ]));
        lo.trailer.set("Root", catalog);
        lo
    }

    #[test]
    fn splice_equals_lopdf() {
        let big = vec![0xAB; 70_000];
        let images: [&[u8]; 3] = [b"\xFF\xD8first image\xFF\xD9", &big, b"never placed"];
        let mut expected = Vec::new();
        document(&images, true).save_to(&mut expected).unwrap();

        let mut lo = document(&images, false);
        let placed = set_image_lengths(&mut lo, &images);
        assert_eq!(placed, [Some(3), Some(1), None]);
        let mut skeleton = Vec::new();
        lo.save_to(&mut skeleton).unwrap();
        assert!(skeleton.len() < 1000, "the skeleton holds no image");
        let mut spliced = Vec::new();
        let length = splice(&skeleton, &placed, &images, &mut spliced).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&spliced),
            String::from_utf8_lossy(&expected)
        );
        assert_eq!(spliced, expected);
        assert_eq!(length, expected.len() as u64);
    }

    #[test]
    fn splice_refuses_what_lopdf_does_not_write() {
        let images: [&[u8]; 1] = [b"image"];
        let mut lo = document(&[b"a", b"b"], false);
        let placed = set_image_lengths(&mut lo, &images);
        assert_eq!(placed, [Some(3)], "image 1 is not one of `images`");
        let mut skeleton = Vec::new();
        lo.save_to(&mut skeleton).unwrap();
        let cut = skeleton.len() - 30;
        let error = splice(&skeleton[..cut], &placed, &images, &mut Vec::new()).unwrap_err();
        assert_eq!(error.to_string(), "lopdf wrote no cross-reference table");
        // A cross-reference stream is not what `write` saves.
        lo.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceStream;
        let mut skeleton = Vec::new();
        lo.save_to(&mut skeleton).unwrap();
        let error = splice(&skeleton, &placed, &images, &mut Vec::new()).unwrap_err();
        assert_eq!(error.to_string(), "lopdf wrote no cross-reference table");
    }
}
