//! The proof that a signed report shows what its data says. Rendering is deterministic, so a
//! verifier renders the report again from what the report carries (the embedded `inspection.json`
//! and `checklist.toml`, the options and images recorded in `summary.json`'s [`ProofRecord`], and
//! the images stored in the PDF) and compares the result with the signed file's unsigned original:
//! every byte up to the first signature's incremental update. Equal bytes are the proof. Different
//! bytes make the report not valid; the file is then read page by page to name the page and the
//! kind of difference (added content, changed text, an extra font, an annotation or a form field
//! Zicha does not make). What later revisions change is zicha-sign's to judge (only signatures may
//! be added).
//!
//! A report without a record (made before [`crate::SUMMARY_FORMAT`] 2), of another
//! [`crate::LAYOUT_VERSION`], or drawn with a font this verifier does not have cannot be proven:
//! it says so plainly ("not provable (older layout)", 无法证明（旧版版式）) and is not valid either,
//! because removing the record is as easy as doctoring the pages.
//!
//! Finding codes (stable, each with Chinese and English text): when the pages differ,
//! `pages-differ` first, then per page `added-content`, `changed-text`, `changed-content`,
//! `extra-font`, `changed-font`, `changed-image`, `extra-annotation`, `changed-page`, and for the
//! document `extra-page`, `missing-page`, `extra-form-field`, `catalog-entry`,
//! `signing-update-changes`, `changed-document`; when not provable, `layout-not-provable`,
//! `font-not-available`, `data-invalid` or `render-failed`.
//!
//! What the proof does not reach: a photo that was downscaled or converted when the report was made
//! is compared as the report stores it (its original is not in the report), and so are handwritten
//! signature images; [`Proof::images_as_stored`] counts them. A photo passed through (the usual
//! case) must hash to the photo the data names.

//!
//! Cost (CPU time, release profile as committed, 2-core development machine; `perf record` of
//! `zicha verify --jobs 1` over 100 signed reports of every sector made by
//! scripts/bench-verify.sh): about 10.5 ms a report, seven eighths of it the proof. Half is
//! printpdf and lopdf writing the PDF again (content streams 17 %, allsorts subsetting the font
//! 12 %, the subset's widths read back from decoded outlines 9 %, fonts otherwise 9 %); then
//! inflating the file's streams for the deflater 9 %, turning the pages into printpdf operations
//! 8 %, layout 8 %, the signature's verification 7 %, reading and re-scoring the data 7 %, cutting
//! the font down (`subset.rs`) 5 %. The proof is a render without deflate (the file's own
//! compressed streams are reused when they inflate to the same bytes) and without allsorts
//! walking the whole font (a face reduced to the glyphs drawn gives the same subset): before the
//! latter it took 22.7 ms, 43 % of it in allsorts' subsetter. Opt-level 3 for allsorts-azul,
//! azul-layout, printpdf, lopdf and zicha-report (the `native` profile of the workspace's
//! Cargo.toml, which the regulator's binary is built with) takes a quarter off.
//!
//! [`ProofRecord`]: crate::ProofRecord

use serde::{Deserialize, Serialize};
use zicha_core::bundle::BundleData;
use zicha_core::checklist::Checklist;
use zicha_sign::Finding;

use crate::ReportSummary;

// Rendering the report again and comparing it: only with the crate's `render` feature.
#[cfg(feature = "render")]
mod prove;
#[cfg(feature = "render")]
pub use prove::prove;

/// Whether the pages are proven to be what the data says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProofStatus {
    /// The unsigned original is byte for byte what Zicha renders from the embedded data.
    Proven,
    /// It is not: the findings name the page and the kind of difference.
    Differs,
    /// The report cannot be rendered again here (no record: an older layout; another layout
    /// version; a font this verifier does not have).
    NotProvable,
}

impl ProofStatus {
    /// In English, as the CLI prints it.
    pub fn en(self) -> &'static str {
        match self {
            ProofStatus::Proven => "pages proven to show the embedded data",
            ProofStatus::Differs => "pages differ from the embedded data",
            ProofStatus::NotProvable => "pages not provable",
        }
    }

    /// In Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            ProofStatus::Proven => "页面与内嵌数据一致（已证明）",
            ProofStatus::Differs => "页面与内嵌数据不符",
            ProofStatus::NotProvable => "页面无法证明",
        }
    }
}

/// The outcome of [`prove`] (the `proof` object of `zicha verify --json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proof {
    /// The status.
    pub status: ProofStatus,
    /// The status in English.
    pub status_en: String,
    /// The status in Chinese.
    pub status_zh: String,
    /// The layout version the report records, if any.
    pub layout: Option<u32>,
    /// Images compared as the report stores them, not with an original (downscaled or converted
    /// photos, handwritten signatures).
    pub images_as_stored: usize,
    /// Why the pages are not proven, page by page, in Chinese and English; empty when proven.
    pub findings: Vec<Finding>,
}

impl Proof {
    fn new(status: ProofStatus, layout: Option<u32>, findings: Vec<Finding>) -> Proof {
        Proof {
            status,
            status_en: status.en().to_owned(),
            status_zh: status.zh().to_owned(),
            layout,
            images_as_stored: 0,
            findings,
        }
    }
}

/// What [`prove`] reads from the report besides its bytes.
#[derive(Debug, Clone, Copy)]
pub struct Embedded<'a> {
    /// The embedded `inspection.json`.
    pub data: &'a BundleData,
    /// The checklist the data is scored against (the same one the report was rendered with).
    pub checklist: &'a Checklist,
    /// The embedded `checklist.toml`, when the report carries one.
    pub checklist_source: Option<&'a str>,
    /// The embedded `summary.json`.
    pub summary: Option<&'a ReportSummary>,
}

/// checklist this verifier cannot find): not provable, for the `reason` given.
pub fn not_provable(reason: &Finding) -> Proof {
    Proof::new(
        ProofStatus::NotProvable,
        None,
        vec![finding(
            "data-invalid",
            format!("not provable: {}", reason.en),
            format!("无法证明：{}", reason.zh),
        )],
    )
}

fn finding(code: &str, en: String, zh: String) -> Finding {
    Finding {
        code: code.to_owned(),
        en,
        zh,
    }
}
