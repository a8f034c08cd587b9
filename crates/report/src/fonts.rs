//! Fonts: parsing the caller's font bytes once, glyph look-up and advances for line breaking, and
//! which face draws each character (the main face, else the fallback, else a visible replacement).

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use printpdf::ParsedFont;
use zicha_core::hash::Sha256;

use crate::subset::SubsetSource;
use crate::{Error, Result};

/// Points per millimetre.
pub(crate) const PT_PER_MM: f32 = 72.0 / 25.4;

/// One parsed font face.
#[derive(Clone)]
pub(crate) struct Face {
    pub(crate) parsed: Arc<ParsedFont>,
    units_per_em: f32,
    /// SHA-256 of the font file, recorded in a report's proof record.
    sha256: Sha256,
    index: u32,
    /// Glyph ids of the Basic Multilingual Plane as looked up (0: not yet, 1: none, else gid + 2):
    /// a render asks for every character several times and azul's cmap look-up was a tenth of
    /// a render's time. Atomics, so that one parsed font serves parallel renders and proofs.
    looked_up: Arc<[AtomicU32]>,
    /// What reduced faces are cut from ([`crate::subset`]), read on the first render.
    subset: Arc<OnceLock<Option<SubsetSource>>>,
}

impl Face {
    /// `sha256`: the file's digest when the caller knows it (see [`Fonts::with_digest`]).
    fn parse(bytes: &[u8], index: u32, what: &str, sha256: Option<Sha256>) -> Result<Face> {
        let mut warnings = Vec::new();
        let parsed =
            ParsedFont::from_bytes(bytes, index as usize, &mut warnings).ok_or_else(|| {
                Error::Font(format!(
                    "{what} font (face {index}) cannot be parsed{}",
                    warnings
                        .first()
                        .map(|w| format!(": {}", w.message))
                        .unwrap_or_default()
                ))
            })?;
        let units_per_em = f32::from(parsed.pdf_font_metrics.units_per_em.max(1));
        Ok(Face {
            parsed: Arc::new(parsed),
            units_per_em,
            sha256: sha256.unwrap_or_else(|| Sha256::of(bytes)),
            index,
            looked_up: (0..0x1_0000).map(|_| AtomicU32::new(0)).collect(),
            subset: Arc::default(),
        })
    }

    /// How a report's proof record names this face.
    pub(crate) fn record(&self) -> crate::FontRecord {
        crate::FontRecord {
            name: self.parsed.font_name.clone().unwrap_or_default(),
            sha256: self.sha256,
            face: self.index,
        }
    }

    fn glyph(&self, c: char) -> Option<u16> {
        let look_up = || {
            self.parsed
                .lookup_glyph_index(c as u32)
                .filter(|&gid| gid != 0)
        };
        let Some(slot) = self.looked_up.get(c as usize) else {
            return look_up();
        };
        match slot.load(Ordering::Relaxed) {
            0 => {
                let gid = look_up();
                slot.store(gid.map_or(1, |gid| u32::from(gid) + 2), Ordering::Relaxed);
                gid
            }
            1 => None,
            known => u16::try_from(known - 2).ok(),
        }
    }

    /// The face as printpdf gets it to draw `chars`: its subsetter reads a face reduced to their
    /// glyphs ([`crate::subset`]), which gives the same subset as the whole font file, faster.
    pub(crate) fn for_pdf(&self, chars: &BTreeSet<char>) -> ParsedFont {
        let Some(source) = self.subset.get_or_init(|| SubsetSource::read(&self.parsed)) else {
            return (*self.parsed).clone();
        };
        source.reduced(&self.parsed, chars)
    }

    /// Advance of glyph `gid` in em.
    fn advance_em(&self, gid: u16) -> f32 {
        f32::from(self.parsed.get_horizontal_advance(gid)) / self.units_per_em
    }
}

/// The fonts a report is drawn with: a main face that must cover Chinese (GBK at least) and an
/// optional fallback for characters the main face lacks. Parse once and reuse for many renders:
/// parsing a 5 MB collection is the most expensive step of a small report.
#[derive(Clone)]
pub struct Fonts {
    pub(crate) main: Face,
    pub(crate) fallback: Option<Face>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts")
            .field("main", &self.main.parsed.font_name)
            .field(
                "fallback",
                &self.fallback.as_ref().map(|face| &face.parsed.font_name),
            )
            .finish()
    }
}

/// Which face draws a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Which {
    Main,
    Fallback,
    /// Neither face has it: drawn as a framed `U+XXXX` and reported.
    Missing,
}

impl Fonts {
    /// Parses the main face `index` of `bytes` (a .ttf, or a .ttc collection). The face should be
    /// TrueType (`glyf` outlines), which printpdf subsets; WenQuanYi Micro Hei (assets/fonts) is
    /// the one Zicha ships.
    pub fn new(bytes: &[u8], index: u32) -> Result<Fonts> {
        Ok(Fonts {
            main: Face::parse(bytes, index, "main", None)?,
            fallback: None,
        })
    }

    /// [`Fonts::new`] for a font whose SHA-256 the caller already knows: a font compiled into
    /// the program, with its digest as a constant that a test compares with the bytes (the `zicha`
    /// binary's `BUILTIN_FONT_SHA256`). The digest is what a report's proof record names the font
    /// by, so a wrong one makes every proof fail or, worse, names another font; hashing the 5 MB
    /// WenQuanYi Micro Hei instead costs about 3 ms of CPU per process, 11 % of a
    /// `zicha verify ONE.pdf`.
    pub fn with_digest(bytes: &[u8], index: u32, sha256: Sha256) -> Result<Fonts> {
        Ok(Fonts {
            main: Face::parse(bytes, index, "main", Some(sha256))?,
            fallback: None,
        })
    }

    /// Adds a fallback face for characters the main face lacks (e.g. a font covering CJK
    /// Extension B for rare characters in names).
    pub fn with_fallback(mut self, bytes: &[u8], index: u32) -> Result<Fonts> {
        self.fallback = Some(Face::parse(bytes, index, "fallback", None)?);
        Ok(self)
    }

    /// Whether the main face or the fallback can draw `c`.
    pub fn covers(&self, c: char) -> bool {
        self.which(c) != Which::Missing
    }

    pub(crate) fn which(&self, c: char) -> Which {
        if self.main.glyph(c).is_some() {
            Which::Main
        } else if self
            .fallback
            .as_ref()
            .is_some_and(|face| face.glyph(c).is_some())
        {
            Which::Fallback
        } else {
            Which::Missing
        }
    }

    /// Width of `c` in em, including the replacement box for a missing character.
    pub(crate) fn advance_em(&self, c: char) -> f32 {
        if let Some(gid) = self.main.glyph(c) {
            return self.main.advance_em(gid);
        }
        if let Some(face) = &self.fallback
            && let Some(gid) = face.glyph(c)
        {
            return face.advance_em(gid);
        }
        self.replacement_width_em(c)
    }

    /// Width of the replacement for a missing `c` in em: `U+XXXX` at [`REPLACEMENT_SCALE`] in the
    /// main face plus padding for the frame.
    pub(crate) fn replacement_width_em(&self, c: char) -> f32 {
        let text: f32 = replacement_text(c)
            .chars()
            .map(|d| {
                self.main
                    .glyph(d)
                    .map_or(0.5, |gid| self.main.advance_em(gid))
            })
            .sum();
        text * REPLACEMENT_SCALE + REPLACEMENT_PAD_EM * 2.0
    }

    /// Width of `text` in millimetres at `size` points.
    pub(crate) fn width_mm(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance_em(c)).sum::<f32>() * size / PT_PER_MM
    }

    /// The characters of `text` neither face has (control characters aside).
    pub(crate) fn missing_in(&self, text: &str, into: &mut BTreeSet<char>) {
        for c in text.chars() {
            if !c.is_control() && self.which(c) == Which::Missing {
                into.insert(c);
            }
        }
    }
}

/// The text drawn in place of a missing character, e.g. `U+4DAE`.
pub(crate) fn replacement_text(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// Size of the replacement text relative to the surrounding text.
pub(crate) const REPLACEMENT_SCALE: f32 = 0.5;

/// Padding on each side of a replacement, in em of the surrounding text.
pub(crate) const REPLACEMENT_PAD_EM: f32 = 0.12;
