//! zicha-report turns an inspection bundle into the PDF report a Chinese safety office reads and the
//! enterprise signs: an A4 document with a cover, the summary (scores, the five 100% rates, the JGJ
//! 59 汇总表 and grade, two vector charts), the item tables, the hazard ledger with photos and a
//! signature page with space reserved for digital signatures; the bundle's `inspection.json` is
//! embedded so that a verifier can recover and re-score it.
//!
//! It knows the domain through zicha-core and takes every number from [`zicha_core::score`]; it
//! does not sign (zicha-sign adds signatures later as incremental updates, into the
//! [`SignatureSlot`]s reported here), and knows nothing of files or of the clock: the font and
//! photo bytes, the timestamp, the document id and the as-of date are arguments, and the same
//! arguments give the same bytes on native and wasm32 targets.
//!
//! [`check`] is the other direction: a received signed report, verified with zicha-sign and its
//! embedded inspection re-scored and compared with the summary written here (`zicha verify` and
//! the browser's report worker).

#![deny(missing_docs)]

mod canvas;
pub mod check;
pub mod countersign;
mod error;
mod fonts;
mod pdf;
mod photo;
pub mod place;
pub mod proof;
pub mod register;
mod report;
mod subset;
mod text;

use std::fmt;

use time::{Date, OffsetDateTime};
use zicha_core::bundle::Bundle;
use zicha_core::checklist::Checklist;
use zicha_core::hash::Sha256;

pub use error::{Error, Result};

/// The name of the summary attached to every report.
pub const SUMMARY_FILE: &str = "summary.json";
/// The version of [`ReportSummary`] this build writes: 2 adds [`ReportSummary::proof`].
pub const SUMMARY_FORMAT: u32 = 2;

/// The version of the layout and of the PDF writing this build renders: the same data and
/// [`ProofRecord`] give byte-identical PDFs within one version. Raise it with every change to what
/// a report looks like or how its bytes are written (golden dumps or the bytes of
/// `two_renders_are_identical` changing are the signs): a verifier proves only reports of its own
/// version ([`proof`]). Version 2 marks the items not yet checked against their standard's text
/// (未核对原文, issue 12); the renderer still draws version 1 for the proof of reports made with it
/// ([`Options::layout`], [`PROVABLE_LAYOUTS`]).
pub const LAYOUT_VERSION: u32 = 2;

/// The layout versions this build renders, and so proves: every one since the proof record exists.
pub const PROVABLE_LAYOUTS: std::ops::RangeInclusive<u32> = 1..=LAYOUT_VERSION;

/// `summary.json`, attached to every report next to `inspection.json`: the score the report prints
/// (computed by zicha-core as of `as_of`) and where each party's signature goes. A verifier
/// re-scores the embedded inspection and compares; a signing tool places its box in the slot.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReportSummary {
    /// [`SUMMARY_FORMAT`].
    pub format: u32,
    /// The report id.
    pub document_id: String,
    /// The day deadlines were checked against.
    #[serde(with = "zicha_core::inspection::date_format::iso_date")]
    pub as_of: Date,
    /// The score as printed.
    pub score: zicha_core::score::ScoreReport,
    /// The reserved signature places, in page order.
    pub signature_slots: Vec<SlotSummary>,
    /// What a verifier needs to render the report again and prove that its pages are what its
    /// data says; `None` in reports made before [`SUMMARY_FORMAT`] 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<ProofRecord>,
}

/// The inputs of [`render`] that are neither in the report's data (`inspection.json`,
/// `checklist.toml`) nor elsewhere in [`ReportSummary`] (`document_id`, `as_of`): with them a
/// verifier renders the report again and compares it with the signed file ([`proof`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ProofRecord {
    /// [`LAYOUT_VERSION`] of the build that rendered the report.
    pub layout: u32,
    /// [`Options::timestamp`].
    #[serde(with = "zicha_core::dates::rfc3339")]
    pub timestamp: OffsetDateTime,
    /// [`Options::max_photo_px`].
    pub max_photo_px: u32,
    /// The main font face.
    pub font: FontRecord,
    /// The fallback face, when one was given.
    pub fallback_font: Option<FontRecord>,
    /// Every image the report embeds, in the order of its /XObject names (`Im1`, `Im2`, ...).
    pub images: Vec<ImageRecord>,
}

/// A font face in [`ProofRecord`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FontRecord {
    /// The font's name as read from the file.
    pub name: String,
    /// SHA-256 of the font file the face was read from.
    pub sha256: Sha256,
    /// The face within a collection.
    pub face: u32,
}

/// An embedded image in [`ProofRecord`]: what it shows and how it is stored, so that a verifier
/// takes it back out of the PDF for the re-render.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImageRecord {
    /// The /XObject resource name: `Im1`, ...
    pub resource: String,
    /// The first page (1-based) that shows it.
    pub page: usize,
    /// What it shows.
    pub source: ImageSource,
    /// SHA-256 of the image data as stored (for a photo passed through, the photo's own hash).
    pub stored_sha256: Sha256,
    /// The photo's own bytes are stored (a JPEG within the size limit).
    pub passthrough: bool,
    /// Stored pixels across.
    pub width: u32,
    /// Stored pixels down.
    pub height: u32,
    /// 1 (grey), 3 (RGB) or 4 (CMYK).
    pub components: u8,
    /// An Adobe CMYK JPEG (inverted values).
    pub inverted_cmyk: bool,
    /// Stored as zlib-compressed pixels (a converted PNG), not as JPEG.
    pub flate: bool,
    /// The EXIF orientation (1-8) the image is placed with.
    pub orientation: u8,
}

/// What an embedded image shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum ImageSource {
    /// A photo of the inspection data.
    Photo {
        /// The photo's hash, as the data refers to it.
        sha256: Sha256,
    },
    /// A party's handwritten signature (from the render options; not in the data).
    Handwritten {
        /// The role in Chinese.
        role: String,
        /// The party's name.
        name: String,
    },
}

/// A reserved signature place in [`ReportSummary`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SlotSummary {
    /// The role in Chinese: 检查人, 企业负责人 or 监理.
    pub role: String,
    /// The person expected to sign there.
    pub name: String,
    /// 1-based page number.
    pub page: usize,
    /// The rectangle in PDF points, origin bottom left: [x1, y1, x2, y2].
    pub rect: [f32; 4],
}
pub use fonts::Fonts;
pub use pdf::Stats;

/// The font Zicha ships (assets/fonts/wqy-microhei.ttc, WenQuanYi Micro Hei, Apache-2.0): face 0 of
/// the collection is the proportional Micro Hei.
pub const DEFAULT_FONT_FACE: u32 = 0;

/// Default limit for the long edge of an embedded photo, in pixels: a photo is printed at most
/// 170 mm wide, and 2,000 pixels over 170 mm is about 300 dpi.
pub const DEFAULT_MAX_PHOTO_PX: u32 = 2000;

/// Who signs the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// 检查人: an inspector.
    Inspector,
    /// 企业负责人: the enterprise's responsible person.
    Enterprise,
    /// 监理: the supervising engineer (construction projects with a 监理单位).
    Supervisor,
}

impl Role {
    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Role::Inspector => "检查人",
            Role::Enterprise => "企业负责人",
            Role::Supervisor => "监理",
        }
    }
}

/// A party on the signature page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// The role.
    pub role: Role,
    /// The person's name.
    pub name: String,
    /// The unit the person signs for.
    pub organisation: String,
}

/// The parties who sign a report of `bundle`, in signing order: every inspector, the enterprise's
/// safety lead (or its legal representative), and the 监理单位's lead where the project has one.
pub fn signers(bundle: &Bundle) -> Vec<Signer> {
    let data = &bundle.data;
    let organisation = &data.organisation;
    let mut signers: Vec<Signer> = data
        .inspection
        .inspectors
        .iter()
        .map(|name| Signer {
            role: Role::Inspector,
            name: name.clone(),
            organisation: organisation.name.clone(),
        })
        .collect();
    let lead = if organisation.safety_lead.trim().is_empty() {
        &organisation.legal_representative
    } else {
        &organisation.safety_lead
    };
    signers.push(Signer {
        role: Role::Enterprise,
        name: lead.clone(),
        organisation: organisation.name.clone(),
    });
    if let Some(project) = &data.project {
        for party in &project.parties {
            if party.role == zicha_core::org::PartyRole::Supervisor {
                signers.push(Signer {
                    role: Role::Supervisor,
                    name: party.safety_lead.clone(),
                    organisation: party.name.clone(),
                });
            }
        }
    }
    signers
}

/// A handwritten signature image (PNG or JPEG) for the party with this role and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handwritten {
    /// The party's role.
    pub role: Role,
    /// The party's name, as in [`signers`].
    pub name: String,
    /// PNG or JPEG bytes; transparency is flattened onto white.
    pub image: Vec<u8>,
}

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
    fn with_pdf(self, pdf: Vec<u8>) -> Rendered {
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
