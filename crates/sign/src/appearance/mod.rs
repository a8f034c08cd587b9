//! The visible signature: a form XObject for the widget's normal appearance. With the caller's
//! [`AppearanceFont`] it reads, in Chinese where the text is Chinese,
//!
//! ```text
//! 签名人 张三
//! 单位   福州示例化工有限公司
//! 角色   检查人
//! 时间   2025-06-01 10:30:00 +08:00
//! 证书   SHA-256 3f2a…9c1d
//! ```
//!
//! with a subset of the font embedded; without one, the same layout in Helvetica with English
//! labels (Helvetica covers Latin only). Either way the text is fitted to the widget rectangle.
//! With [`Ink`] (a handwritten signature drawn on a pad) the strokes are drawn as vector paths in
//! the left part of the widget and the text is fitted to the rest.

mod font;
mod layout;

use std::io::Write as _;

use time::OffsetDateTime;

use crate::cert::Certificate;
use crate::error::Result;
use crate::pdf::write::write_string;
use crate::pdf::{Dictionary, Object, ObjectId, Stream};

pub use font::AppearanceFont;
use font::GlyphSet;
use layout::{Field, Kind, LEADING, Layout, Metrics, layout};

/// What the appearance needs to know about the signature.
pub(crate) struct Content<'a> {
    pub(crate) signer_name: &'a str,
    pub(crate) role: &'a str,
    pub(crate) time: OffsetDateTime,
    pub(crate) certificate: &'a Certificate,
    pub(crate) ink: Option<&'a Ink>,
}

/// A handwritten signature for the visible signature, as the pad recorded it: strokes of points
/// `[x, y, pressure]`, `x` a fraction of the pad's width and `y` of its height (0 at the top),
/// pressure 0 to 1. It is drawn as vector paths (no image), so it stays sharp at any zoom.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ink {
    /// Width : height of the pad the strokes were drawn on (the drawing keeps it).
    pub aspect: f64,
    /// The strokes, each at least one point.
    pub strokes: Vec<Vec<[f64; 3]>>,
}

/// The share of the widget's width the handwriting may take, at most; the text gets the rest.
const INK_SHARE: f64 = 0.42;

/// Line width of a stroke at pressure 0 and at pressure 1, in widths of the drawn pad: the
/// pad's own (web/src/state/signature.rs) a little heavier, since a widget is drawn small.
const INK_MIN_WIDTH: f64 = 0.005;
const INK_MAX_WIDTH: f64 = 0.012;

/// The content stream drawing `ink` into a `width` × `height` box at the origin, as large as
/// fits without distortion, centred; empty when there is nothing to draw.
fn ink_stream(ink: &Ink, width: f64, height: f64) -> Vec<u8> {
    let aspect = if ink.aspect.is_finite() && ink.aspect > 0.0 {
        ink.aspect
    } else {
        3.0
    };
    let pad_width = width.min(height * aspect);
    let pad_height = pad_width / aspect;
    let left = (width - pad_width) / 2.0;
    let bottom = (height - pad_height) / 2.0;
    let at = |point: &[f64; 3]| {
        let clamp = |v: f64| {
            if v.is_finite() {
                v.clamp(0.0, 1.0)
            } else {
                0.0
            }
        };
        (
            left + clamp(point[0]) * pad_width,
            bottom + (1.0 - clamp(point[1])) * pad_height,
            clamp(point[2]),
        )
    };
    let mut out = Vec::new();
    if pad_width <= 0.0 || ink.strokes.iter().all(Vec::is_empty) {
        return out;
    }
    out.extend_from_slice(b"q 0.05 0.1 0.35 RG 0.05 0.1 0.35 rg 1 J 1 j\n");
    for stroke in &ink.strokes {
        let points: Vec<(f64, f64, f64)> = stroke.iter().map(at).collect();
        match points.as_slice() {
            [] => {}
            // A dot: a short segment with round caps.
            [(x, y, p)] => {
                let line = pad_width * (INK_MIN_WIDTH + (INK_MAX_WIDTH - INK_MIN_WIDTH) * p);
                let _ = writeln!(
                    out,
                    "{} w {} {} m {} {} l S",
                    number(line),
                    number(*x),
                    number(*y),
                    number(x + 0.01),
                    number(*y)
                );
            }
            // Each segment with the width of its pressure (round caps join them smoothly).
            _ => {
                for pair in points.windows(2) {
                    let ((x1, y1, p1), (x2, y2, p2)) = (pair[0], pair[1]);
                    let pressure = (p1 + p2) / 2.0;
                    let line =
                        pad_width * (INK_MIN_WIDTH + (INK_MAX_WIDTH - INK_MIN_WIDTH) * pressure);
                    let _ = writeln!(
                        out,
                        "{} w {} {} m {} {} l S",
                        number(line),
                        number(x1),
                        number(y1),
                        number(x2),
                        number(y2)
                    );
                }
            }
        }
    }
    out.extend_from_slice(b"Q\n");
    out
}

/// The appearance stream and the font objects it refers to.
pub(crate) struct Appearance {
    pub(crate) stream: Object,
    pub(crate) objects: Vec<(ObjectId, Object)>,
    /// Characters the font has no glyph for, drawn as `?`.
    pub(crate) missing: Vec<char>,
}

/// Builds the appearance for a `width` × `height` widget; `new_id` hands out object numbers for
/// the embedded font's objects.
pub(crate) fn build(
    content: &Content<'_>,
    font: Option<&AppearanceFont>,
    width: f64,
    height: f64,
    new_id: &mut dyn FnMut() -> ObjectId,
) -> Result<Appearance> {
    let mut objects = Vec::new();
    let mut fonts = Dictionary::new();
    let mut missing = Vec::new();
    // The handwriting's part of the widget, on the left: as wide as the pad's shape allows at
    // the widget's height, at most INK_SHARE of its width.
    let ink_width = content
        .ink
        .filter(|ink| ink.strokes.iter().any(|stroke| !stroke.is_empty()))
        .map_or(0.0, |ink| {
            let aspect = if ink.aspect.is_finite() && ink.aspect > 0.0 {
                ink.aspect
            } else {
                3.0
            };
            (width * INK_SHARE).min((height - 4.0).max(0.0) * aspect)
        });
    let full_width = width;
    let width = width - ink_width;
    let text = match font {
        Some(font) => {
            let mut glyphs = GlyphSet::new(font)?;
            let fields = chinese_fields(content);
            let ellipsis = if glyphs.face().glyph_index('…').is_some_and(|g| g.0 != 0) {
                "…"
            } else {
                "..."
            };
            let face = glyphs.face().clone();
            let advance = |character: char| match font::glyph(&face, character) {
                Some(glyph) => font::advance(&face, glyph),
                None => helvetica_advance(fallback_for(character)),
            };
            let fitted = layout(
                &fields,
                width,
                height,
                &Metrics {
                    advance: &advance,
                    ellipsis,
                },
            );
            let mut uses_fallback = false;
            let text = draw(&fitted, |out, text| {
                draw_embedded(
                    out,
                    text,
                    fitted.size,
                    &mut glyphs,
                    &mut missing,
                    &mut uses_fallback,
                )
            });
            if !glyphs.is_empty() {
                let font_id = glyphs.embed(new_id, &mut objects)?;
                fonts.set(b"F1", Object::Reference(font_id));
            }
            if uses_fallback {
                fonts.set(b"F2", helvetica());
            }
            text
        }
        None => {
            let fields = english_fields(content);
            let fitted = layout(
                &fields,
                width,
                height,
                &Metrics {
                    advance: &|character| helvetica_advance(win_ansi(character)),
                    ellipsis: "...",
                },
            );
            fonts.set(b"F1", helvetica());
            draw(&fitted, |out, text| {
                let _ = write!(out, "/F1 {} Tf ", number(fitted.size));
                let encoded: Vec<u8> = text.chars().map(win_ansi).collect();
                write_string(out, &encoded);
                out.extend_from_slice(b" Tj ");
            })
        }
    };

    let width = full_width;
    let mut content_stream = Vec::new();
    let _ = writeln!(
        content_stream,
        "q 0.94 0.96 1 rg 0 0 {width:.2} {height:.2} re f Q"
    );
    let _ = writeln!(
        content_stream,
        "q 0.1 0.2 0.6 RG 1 w 0.5 0.5 {:.2} {:.2} re S Q",
        width - 1.0,
        height - 1.0
    );
    // Clip to the inside of the border: nothing is drawn outside the widget even when text had
    // to be cut.
    let _ = writeln!(
        content_stream,
        "q 1 1 {:.2} {:.2} re W n",
        (width - 2.0).max(0.0),
        (height - 2.0).max(0.0)
    );
    if let Some(ink) = content.ink.filter(|_| ink_width > 0.0) {
        content_stream.extend_from_slice(&ink_stream(ink, ink_width, height));
        // The text beside the handwriting.
        let _ = writeln!(content_stream, "1 0 0 1 {} 0 cm", number(ink_width));
    }
    content_stream.extend_from_slice(&text);
    content_stream.extend_from_slice(b"Q\n");

    let mut resources = Dictionary::new();
    resources.set(b"Font", Object::Dictionary(fonts));
    let mut dict = Dictionary::new();
    dict.set(b"Type", Object::Name(b"XObject".to_vec()));
    dict.set(b"Subtype", Object::Name(b"Form".to_vec()));
    dict.set(
        b"BBox",
        Object::Array(vec![
            Object::Integer(0),
            Object::Integer(0),
            Object::Real(width),
            Object::Real(height),
        ]),
    );
    dict.set(b"Resources", Object::Dictionary(resources));
    dict.set(b"Filter", Object::Name(b"FlateDecode".to_vec()));
    let stream = Object::Stream(Stream {
        dict,
        data: deflate(&content_stream),
    });
    Ok(Appearance {
        stream,
        objects,
        missing,
    })
}

/// The lines in Chinese, the role exactly as given.
fn chinese_fields(content: &Content<'_>) -> Vec<Field> {
    let time_format = time::macros::format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second] [offset_hour sign:mandatory]:[offset_minute]"
    );
    let mut fields = vec![field("签名人", content.signer_name, Kind::Text)];
    if let Some(organisation) = content.certificate.organisation().filter(|o| !o.is_empty()) {
        fields.push(field("单位", &organisation, Kind::Text));
    }
    fields.push(field("角色", content.role, Kind::Text));
    fields.push(field(
        "时间",
        &content.time.format(&time_format).unwrap_or_default(),
        Kind::Text,
    ));
    fields.push(field(
        "证书",
        &format!("SHA-256 {}", content.certificate.fingerprint_hex()),
        Kind::Fingerprint,
    ));
    fields
}

/// The lines in English for Helvetica, which cannot draw Chinese: known roles are translated,
/// other characters outside Latin-1 come out as `?` (the full Unicode name is in the widget's /TU
/// and the signature's /Name).
fn english_fields(content: &Content<'_>) -> Vec<Field> {
    let role = match content.role {
        "检查人" => "Inspector",
        "企业负责人" => "Head of enterprise",
        "监理" => "Supervisor",
        other => other,
    };
    vec![
        field("Signed by", content.signer_name, Kind::Text),
        field(
            "Organisation",
            &content.certificate.organisation().unwrap_or_default(),
            Kind::Text,
        ),
        field(
            "Credit code",
            &content.certificate.credit_code().unwrap_or_default(),
            Kind::Text,
        ),
        field("Role", role, Kind::Text),
        field(
            "Time",
            &content
                .time
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            Kind::Text,
        ),
        field(
            "Certificate",
            &format!("SHA-256 {}", content.certificate.fingerprint_hex()),
            Kind::Fingerprint,
        ),
    ]
}

fn field(label: &str, value: &str, kind: Kind) -> Field {
    // Line breaks and other control characters in a name would draw nothing: show spaces.
    let value = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    Field {
        label: label.into(),
        value,
        kind,
    }
}

/// The text object: labels in grey, values in black, each row placed absolutely. `show` writes
/// one piece of text (with its font selection and `Tj`).
fn draw(fitted: &Layout, mut show: impl FnMut(&mut Vec<u8>, &str)) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(b"BT\n");
    for (index, row) in fitted.rows.iter().enumerate() {
        let baseline = fitted.first_baseline - index as f64 * fitted.size * LEADING;
        if let Some(label) = &row.label {
            let _ = write!(
                out,
                "0.35 g 1 0 0 1 {} {} Tm ",
                number(fitted.label_x),
                number(baseline)
            );
            show(&mut out, label);
            out.push(b'\n');
        }
        if !row.text.is_empty() {
            let _ = write!(
                out,
                "0 g 1 0 0 1 {} {} Tm ",
                number(fitted.value_x),
                number(baseline)
            );
            show(&mut out, &row.text);
            out.push(b'\n');
        }
    }
    out.extend_from_slice(b"ET\n");
    out
}

/// Shows `text` with the embedded font (/F1, two-byte CIDs); characters it lacks are drawn as a
/// Helvetica `?` (/F2) and recorded in `missing`.
fn draw_embedded(
    out: &mut Vec<u8>,
    text: &str,
    size: f64,
    glyphs: &mut GlyphSet<'_>,
    missing: &mut Vec<char>,
    uses_fallback: &mut bool,
) {
    // Runs of characters in the same font.
    let mut runs: Vec<(bool, Vec<u8>)> = Vec::new();
    for character in text.chars() {
        let (embedded, bytes) = match glyphs.cid(character) {
            Some(cid) => (true, cid.to_be_bytes().to_vec()),
            None => {
                if !character.is_whitespace() && !missing.contains(&character) {
                    missing.push(character);
                }
                (false, vec![fallback_for(character) as u8])
            }
        };
        match runs.last_mut() {
            Some((last_embedded, last)) if *last_embedded == embedded => last.extend(bytes),
            _ => runs.push((embedded, bytes)),
        }
    }
    for (embedded, bytes) in runs {
        if embedded {
            let _ = write!(out, "/F1 {} Tf <", number(size));
            for byte in &bytes {
                let _ = write!(out, "{byte:02X}");
            }
            out.extend_from_slice(b"> Tj ");
        } else {
            *uses_fallback = true;
            let _ = write!(out, "/F2 {} Tf ", number(size));
            write_string(out, &bytes);
            out.extend_from_slice(b" Tj ");
        }
    }
}

/// What a character the font lacks is drawn as: a space stays a space, anything else is `?`.
fn fallback_for(character: char) -> char {
    if character.is_whitespace() { ' ' } else { '?' }
}

fn helvetica() -> Object {
    let mut font = Dictionary::new();
    font.set(b"Type", Object::Name(b"Font".to_vec()));
    font.set(b"Subtype", Object::Name(b"Type1".to_vec()));
    font.set(b"BaseFont", Object::Name(b"Helvetica".to_vec()));
    font.set(b"Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
    Object::Dictionary(font)
}

/// The WinAnsiEncoding byte for `character`: printable ASCII and Latin-1 as themselves, the
/// ellipsis at 0x85, anything else `?`.
fn win_ansi(character: char) -> u8 {
    match u32::from(character) {
        code @ (0x20..=0x7E | 0xA0..=0xFF) => code as u8,
        0x2026 => 0x85,
        _ => b'?',
    }
}

/// Helvetica's advance widths (from its AFM) for printable ASCII, in thousandths of an em.
const HELVETICA_ASCII: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // space to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 to ?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ to O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P to _
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` to o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p to ~
];

/// The advance of a WinAnsi byte (as a char) in Helvetica; Latin-1 letters are taken as wide as
/// the widest lower-case ones, which errs on the side of fitting.
fn helvetica_advance(character: impl Into<u32>) -> f64 {
    let code: u32 = character.into();
    match code {
        0x20..=0x7E => f64::from(HELVETICA_ASCII[(code - 0x20) as usize]),
        0x85 => 1000.0,
        _ => 667.0,
    }
}

/// The zlib stream (FlateDecode) of `data`. Level 1, miniz's fast greedy matcher: the appearance
/// is signed right after it is built, and on the font subset (the largest stream, glyph outlines
/// that compress poorly anyway) level 9 took three times as long to save about 5% (0.5 KB).
pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 1)
}

/// A number for the content stream: at most two decimals, no trailing zeros.
fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod ink_tests {
    use super::*;

    #[track_caller]
    fn check(ink: &Ink, width: f64, height: f64, expected: &str) {
        let stream = ink_stream(ink, width, height);
        assert_eq!(String::from_utf8(stream).expect("ascii"), expected);
    }

    #[test]
    fn handwriting_is_fitted_centred_and_drawn_by_pressure() {
        let ink = |strokes: Vec<Vec<[f64; 3]>>| Ink {
            aspect: 3.0,
            strokes,
        };
        // A 3:1 pad in a 90 × 30 box fills it: (0, 0) is the top left, (1, 1) the bottom right;
        // at pressure 1 the line is 90 × 0.012 = 1.08 wide, at 0 it is 90 × 0.005 = 0.45.
        check(
            &ink(vec![vec![
                [0.0, 0.0, 1.0],
                [1.0, 1.0, 1.0],
                [0.5, 0.5, 0.0],
            ]]),
            90.0,
            30.0,
            "q 0.05 0.1 0.35 RG 0.05 0.1 0.35 rg 1 J 1 j\n\
             1.08 w 0 30 m 90 0 l S\n\
             0.77 w 90 0 m 45 15 l S\n\
             Q\n",
        );
        // In a taller box the pad keeps its shape, centred: 60 × 20 at y 20..40.
        check(
            &ink(vec![vec![[0.0, 0.0, 0.0]]]),
            60.0,
            60.0,
            "q 0.05 0.1 0.35 RG 0.05 0.1 0.35 rg 1 J 1 j\n\
             0.3 w 0 40 m 0.01 40 l S\n\
             Q\n",
        );
        // Points off the pad are clamped to it; nothing to draw draws nothing.
        check(
            &ink(vec![vec![[-1.0, 2.0, f64::NAN], [f64::INFINITY, 0.0, 0.0]]]),
            30.0,
            10.0,
            "q 0.05 0.1 0.35 RG 0.05 0.1 0.35 rg 1 J 1 j\n\
             0.15 w 0 0 m 0 10 l S\n\
             Q\n",
        );
        check(&ink(vec![vec![]]), 90.0, 30.0, "");
    }
}
