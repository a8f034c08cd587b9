//! Rendering: the options, what a render tells its caller, and [`render`] / [`render_to`] (the
//! crate's `render` feature; without it the crate only checks received reports).

use std::fmt;

use time::{Date, OffsetDateTime};
use zicha_core::bundle::Bundle;
use zicha_core::checklist::Checklist;
use zicha_core::hash::Sha256;

#[cfg(doc)]
use crate::PROVABLE_LAYOUTS;
use crate::{
    DEFAULT_MAX_PHOTO_PX, Fonts, Handwritten, LAYOUT_VERSION, Result, Signer, Stats, pdf, report,
};

/// How to render.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// The report's timestamp: Info and XMP dates and "生成时间" on the cover. Never read from a
    /// clock here; the CLI takes it from the inspection or `--time`.
    pub timestamp: OffsetDateTime,
    /// The report id printed in every page header and written into the metadata.
    pub document_id: String,
    /// The day against which rectification deadlines are judged (overdue hazards).
    pub as_of: Date,
    /// The fonts (parsed once, reusable).
    pub fonts: &'a Fonts,
    /// Handwritten signatures for the signature page.
    pub handwritten: Vec<Handwritten>,
    /// Photos whose long edge exceeds this many pixels are downscaled (re-encoded once); smaller
    /// JPEGs pass through byte for byte.
    pub max_photo_px: u32,
    /// Told how far rendering is, for a progress bar (the browser's report worker posts it to the
    /// page); `None` by default.
    pub progress: Option<OnProgress<'a>>,
    /// The layout to draw: [`LAYOUT_VERSION`] for a new report; an older one of
    /// [`PROVABLE_LAYOUTS`] only to prove a report made with it.
    pub layout: u32,
}

/// How far a render is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// `done` of `total` distinct photos prepared (decoded, downscaled when large).
    Photos {
        /// Prepared so far.
        done: usize,
        /// All the report shows.
        total: usize,
    },
    /// Pages laid out so far.
    Pages {
        /// Pages.
        pages: usize,
    },
}

/// A progress callback in [`Options`].
#[derive(Clone, Copy)]
pub struct OnProgress<'a>(pub &'a dyn Fn(Progress));

impl fmt::Debug for OnProgress<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OnProgress(..)")
    }
}

impl<'a> Options<'a> {
    /// Options with the defaults: no handwritten signatures, [`DEFAULT_MAX_PHOTO_PX`].
    pub fn new(
        fonts: &'a Fonts,
        timestamp: OffsetDateTime,
        document_id: impl Into<String>,
        as_of: Date,
    ) -> Self {
        Options {
            timestamp,
            document_id: document_id.into(),
            as_of,
            fonts,
            handwritten: Vec::new(),
            max_photo_px: DEFAULT_MAX_PHOTO_PX,
            progress: None,
            layout: LAYOUT_VERSION,
        }
    }
}

/// Something the caller should know about a rendered report; the report is still complete.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// No font has these characters; each is drawn as a red-framed `U+XXXX`.
    MissingGlyphs {
        /// The characters, in code point order.
        chars: Vec<char>,
    },
    /// A photo the data refers to is not in the bundle; a placeholder is drawn.
    PhotoMissing {
        /// Its hash.
        sha256: Sha256,
    },
    /// A photo could not be used (not JPEG/PNG, damaged, too large); a placeholder is drawn.
    PhotoUnreadable {
        /// Its hash.
        sha256: Sha256,
        /// Why, in English, lower case.
        reason: String,
    },
    /// A handwritten signature image could not be used.
    SignatureUnreadable {
        /// Whose.
        name: String,
        /// Why.
        reason: String,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::MissingGlyphs { chars } => {
                let list: Vec<String> = chars
                    .iter()
                    .map(|c| format!("{c} (U+{:04X})", *c as u32))
                    .collect();
                write!(
                    f,
                    "the font has no glyph for {}; drawn as a framed code point",
                    list.join(", ")
                )
            }
            Warning::PhotoMissing { sha256 } => {
                write!(f, "photo {} is not in the bundle", sha256.short(12))
            }
            Warning::PhotoUnreadable { sha256, reason } => {
                write!(f, "photo {} cannot be used: {reason}", sha256.short(12))
            }
            Warning::SignatureUnreadable { name, reason } => {
                write!(
                    f,
                    "the handwritten signature of {name} cannot be used: {reason}"
                )
            }
        }
    }
}

/// Where a digital signature's visible appearance goes: a rectangle reserved on the signature
/// page, for zicha-sign's widget annotation.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureSlot {
    /// The party.
    pub signer: Signer,
    /// 0-based page index.
    pub page: usize,
    /// The rectangle in PDF user space (points, origin bottom left): [x1, y1, x2, y2].
    pub rect: [f32; 4],
}

/// A report [`render_to`] wrote: everything of [`Rendered`] but the bytes.
#[derive(Debug, Clone)]
pub struct Written {
    /// Bytes written.
    pub length: u64,
    /// What the caller should know (missing glyphs, unusable photos).
    pub warnings: Vec<Warning>,
    /// Space reserved for each party's digital signature.
    pub signature_slots: Vec<SignatureSlot>,
    /// The text drawn on each page, line by line in drawing order (for tests and previews).
    pub page_text: Vec<Vec<String>>,
    /// Sizes of what went in.
    pub stats: Stats,
}

impl Written {
    /// The report with its bytes.
    pub(crate) fn with_pdf(self, pdf: Vec<u8>) -> Rendered {
        Rendered {
            pdf,
            warnings: self.warnings,
            signature_slots: self.signature_slots,
            page_text: self.page_text,
            stats: self.stats,
        }
    }
}

/// A rendered report.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The PDF.
    pub pdf: Vec<u8>,
    /// What the caller should know (missing glyphs, unusable photos).
    pub warnings: Vec<Warning>,
    /// Space reserved for each party's digital signature.
    pub signature_slots: Vec<SignatureSlot>,
    /// The text drawn on each page, line by line in drawing order (for tests and previews).
    pub page_text: Vec<Vec<String>>,
    /// Sizes of what went in.
    pub stats: Stats,
}

impl Rendered {
    /// A readable dump of the report for golden tests: the pages' text and the sizes of what went
    /// in (photo and font bytes are left out: they change with the codec and the font version).
    pub fn dump(&self) -> String {
        dump(&self.signature_slots, &self.warnings, &self.page_text)
    }
}

impl Written {
    /// [`Rendered::dump`].
    pub fn dump(&self) -> String {
        dump(&self.signature_slots, &self.warnings, &self.page_text)
    }
}

fn dump(slots: &[SignatureSlot], warnings: &[Warning], page_text: &[Vec<String>]) -> String {
    let mut out = format!("pages: {}\n", page_text.len());
    for slot in slots {
        out.push_str(&format!(
            "signature slot: {} {} page {} rect [{:.1} {:.1} {:.1} {:.1}]\n",
            slot.signer.role.zh(),
            slot.signer.name,
            slot.page + 1,
            slot.rect[0],
            slot.rect[1],
            slot.rect[2],
            slot.rect[3]
        ));
    }
    for warning in warnings {
        out.push_str(&format!("warning: {warning}\n"));
    }
    for (idx, lines) in page_text.iter().enumerate() {
        out.push_str(&format!("\n=== page {} ===\n", idx + 1));
        for line in lines {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Renders the report of `bundle`, scored against `checklist` (the bundle's own, see
/// [`Bundle::checklist`]). The bundle is taken as validated ([`Bundle::validate`]); a missing or
/// unusable photo becomes a placeholder and a [`Warning`], never an error.
pub fn render(bundle: &Bundle, checklist: &Checklist, options: &Options<'_>) -> Result<Rendered> {
    let mut pdf = Vec::new();
    let written = render_to(bundle, checklist, options, &mut pdf)?;
    Ok(written.with_pdf(pdf))
}

/// [`render`] into `out`, in bounded memory: the photos are written from where they are (the
/// bundle, [`Options::handwritten`]) straight into `out`, and only the rest of the document (text,
/// fonts, attachments: a few megabytes) is held before it is written. The bytes are those of
/// [`render`]. A caller that signs next hashes them as they go by (zicha-sign's
/// `sign_update_with_digest` takes the digest state); `out` is best buffered (a file through a
/// `BufWriter`): the photos come in one write each, the rest in many small ones.
pub fn render_to(
    bundle: &Bundle,
    checklist: &Checklist,
    options: &Options<'_>,
    out: &mut dyn std::io::Write,
) -> Result<Written> {
    report::render(
        bundle,
        checklist,
        options,
        None,
        &pdf::Deflater::default(),
        out,
    )
}
