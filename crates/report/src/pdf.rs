//! From laid-out pages to PDF bytes: printpdf turns the drawings into content streams and subsets
//! the fonts; the finishing step on the same lopdf document adds what printpdf does not write
//! (embedded files with /AF, XMP, the Info dictionary, a stable /ID) and fixes everything printpdf
//! would otherwise take from a counter or the epoch, so that the bytes depend only on the input.

use std::collections::{BTreeSet, HashMap};

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

/// Builds the PDF.
pub(crate) fn write(
    canvas: &Canvas<'_>,
    meta: &Meta,
    attachments: &[Attachment],
    deflater: &Deflater,
) -> Result<(Vec<u8>, Stats)> {
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
                    content: image.data.clone(),
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
    deflater.compress(&mut lo);
    finish(&mut lo, meta, attachments, deflater, &mut stats)?;
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|error| Error::Pdf(format!("cannot write the PDF: {error}")))?;
    Ok((bytes, stats))
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
