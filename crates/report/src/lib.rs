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

#[cfg(feature = "render")]
mod canvas;
pub mod check;
#[cfg(feature = "render")]
pub mod countersign;
mod error;
#[cfg(feature = "render")]
mod fonts;
#[cfg(feature = "render")]
mod pdf;
#[cfg(feature = "render")]
mod photo;
pub mod place;
pub mod proof;
pub mod register;
#[cfg(feature = "render")]
mod render;
#[cfg(feature = "render")]
mod report;
#[cfg(feature = "render")]
mod subset;
#[cfg(feature = "render")]
mod text;

use time::{Date, OffsetDateTime};
use zicha_core::bundle::Bundle;
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
#[cfg(feature = "render")]
pub use fonts::Fonts;
#[cfg(feature = "render")]
pub use pdf::Stats;
#[cfg(feature = "render")]
pub use render::{
    OnProgress, Options, Progress, Rendered, SignatureSlot, Warning, Written, render, render_to,
};

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
