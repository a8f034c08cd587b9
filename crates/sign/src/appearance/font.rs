//! The caller's font for the visible signature, and its embedding as a subset: a Type0 font with
//! Identity-H encoding over a CIDFontType2 (TrueType outlines) or CIDFontType0 (CFF outlines)
//! descendant, /W widths and a /ToUnicode CMap, holding only the glyphs the appearance draws.

use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId, Permissions};

use crate::error::{Error, Result};
use crate::pdf::{Dictionary, Object, ObjectId, Stream};

/// A TrueType or OpenType font for the visible signature: the bytes of a `.ttf` / `.otf` file, or
/// of a `.ttc` / `.otc` collection with the index of the face to use.
///
/// Cloning is cheap (the bytes are shared). The appearance embeds a subset with only the glyphs it
/// draws (a few kilobytes for a Chinese name and organisation); characters the font lacks are
/// drawn as a Helvetica `?` and listed by [`AppearanceFont::missing_characters`] and
/// [`crate::PreparedSignature::missing_characters`].
#[derive(Clone)]
pub struct AppearanceFont {
    data: Arc<[u8]>,
    face_index: u32,
    postscript_name: String,
}

impl AppearanceFont {
    /// Reads the font: `data` is a TrueType/OpenType file, or a collection and `face_index` the
    /// face in it (0 for a single font; WenQuanYi Micro Hei's `.ttc` has face 0 proportional and
    /// face 1 monospaced). Fails when the face cannot be read, has no character map or outlines
    /// the subsetter supports (TrueType `glyf` or CFF), or its licence forbids embedding subsets.
    pub fn new(data: impl Into<Arc<[u8]>>, face_index: u32) -> Result<Self> {
        let data: Arc<[u8]> = data.into();
        let face = Face::parse(&data, face_index)
            .map_err(|error| Error::Font(format!("face {face_index}: {error}")))?;
        let tables = face.tables();
        if tables.cmap.is_none() {
            return Err(Error::Font("the font has no character map (cmap)".into()));
        }
        if tables.glyf.is_none() && tables.cff.is_none() {
            return Err(Error::Font(
                "the font has neither TrueType (glyf) nor CFF outlines".into(),
            ));
        }
        if face.permissions() == Some(Permissions::Restricted) || !face.is_subsetting_allowed() {
            return Err(Error::Font(
                "the font's licence (OS/2 fsType) does not allow embedding a subset".into(),
            ));
        }
        let postscript_name = postscript_name(&face);
        Ok(Self {
            data,
            face_index,
            postscript_name,
        })
    }

    /// The face index in the collection (0 for a single font).
    pub fn face_index(&self) -> u32 {
        self.face_index
    }

    /// The characters of `text` the font has no glyph for, each once, in order of appearance
    /// (whitespace and control characters are not counted). The appearance draws them as `?`.
    pub fn missing_characters(&self, text: &str) -> Vec<char> {
        let Ok(face) = self.face() else {
            return text.chars().filter(|c| !c.is_whitespace()).collect();
        };
        let mut missing = Vec::new();
        for character in text.chars() {
            if !character.is_whitespace()
                && !character.is_control()
                && glyph(&face, character).is_none()
                && !missing.contains(&character)
            {
                missing.push(character);
            }
        }
        missing
    }

    pub(crate) fn face(&self) -> Result<Face<'_>> {
        Face::parse(&self.data, self.face_index).map_err(|error| Error::Font(error.to_string()))
    }
}

impl fmt::Debug for AppearanceFont {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppearanceFont")
            .field("postscript_name", &self.postscript_name)
            .field("face_index", &self.face_index)
            .field("bytes", &self.data.len())
            .finish()
    }
}

/// The glyph for `character`, if the font has a real one (glyph 0 is .notdef).
pub(crate) fn glyph(face: &Face<'_>, character: char) -> Option<GlyphId> {
    face.glyph_index(character).filter(|glyph| glyph.0 != 0)
}

/// A glyph's advance in thousandths of an em.
pub(crate) fn advance(face: &Face<'_>, glyph: GlyphId) -> f64 {
    let units = f64::from(face.units_per_em().max(1));
    f64::from(face.glyph_hor_advance(glyph).unwrap_or(0)) * 1000.0 / units
}

/// The PostScript name (name id 6), reduced to the characters a PDF name may hold plainly.
fn postscript_name(face: &Face<'_>) -> String {
    let name = face
        .names()
        .into_iter()
        .filter(|name| name.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|name| name.to_string())
        .unwrap_or_default();
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(63)
        .collect();
    if name.is_empty() { "Font".into() } else { name }
}

/// The glyphs an appearance draws with the font, in first-use order, with the text each stands
/// for (for /ToUnicode). CIDs in the content stream are the subset's new glyph ids.
pub(crate) struct GlyphSet<'f> {
    face: Face<'f>,
    font: &'f AppearanceFont,
    remapper: GlyphRemapper,
    /// New glyph id -> (old glyph id, the character it stands for).
    used: BTreeMap<u16, (GlyphId, char)>,
}

impl<'f> GlyphSet<'f> {
    pub(crate) fn new(font: &'f AppearanceFont) -> Result<Self> {
        Ok(Self {
            face: font.face()?,
            font,
            remapper: GlyphRemapper::new(),
            used: BTreeMap::new(),
        })
    }

    pub(crate) fn face(&self) -> &Face<'f> {
        &self.face
    }

    /// The CID to draw `character` with, registering its glyph; `None` when the font lacks it.
    pub(crate) fn cid(&mut self, character: char) -> Option<u16> {
        let glyph = glyph(&self.face, character)?;
        let cid = self.remapper.remap(glyph.0);
        self.used.entry(cid).or_insert((glyph, character));
        Some(cid)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.used.is_empty()
    }

    /// The font objects: returns the Type0 font's id; the other objects go into `objects`.
    pub(crate) fn embed(
        &self,
        new_id: &mut dyn FnMut() -> ObjectId,
        objects: &mut Vec<(ObjectId, Object)>,
    ) -> Result<ObjectId> {
        let face = &self.face;
        let subset = subsetter::subset(&self.font.data, self.font.face_index, &self.remapper)
            .map_err(|error| Error::Font(format!("subsetting failed: {error}")))?;
        let is_cff = face.tables().cff.is_some() && face.tables().glyf.is_none();

        // A subset font's name is prefixed by six capital letters that identify the subset; a hash
        // of the glyphs keeps signing reproducible.
        let mut hasher = Sha256::new();
        for (cid, (glyph, _)) in &self.used {
            hasher.update(cid.to_be_bytes());
            hasher.update(glyph.0.to_be_bytes());
        }
        let digest = hasher.finalize();
        let tag: String = digest[..6]
            .iter()
            .map(|byte| char::from(b'A' + byte % 26))
            .collect();
        let base_font = format!("{tag}+{}", self.font.postscript_name).into_bytes();

        let units = f64::from(face.units_per_em().max(1));
        let scale = |value: f64| (value * 1000.0 / units).round();
        let bbox = face.global_bounding_box();
        let ascent = scale(f64::from(face.ascender()));
        let descent = scale(f64::from(face.descender()));
        let cap_height = face
            .capital_height()
            .map_or(ascent, |height| scale(f64::from(height)));

        let font_file_id = new_id();
        let mut font_file = Dictionary::new();
        if is_cff {
            // The bare CFF program (CID-keyed after subsetting) as CIDFontType0C: readers support
            // it more widely than the OpenType wrapper (poppler's pdffonts trips over that).
            let cff = ttf_parser::RawFace::parse(&subset, 0)
                .ok()
                .and_then(|raw| raw.table(ttf_parser::Tag::from_bytes(b"CFF ")))
                .ok_or_else(|| Error::Font("the subset has no CFF table".into()))?;
            font_file.set(b"Subtype", name(b"CIDFontType0C"));
            objects.push((font_file_id, compressed_stream(font_file, cff)));
        } else {
            font_file.set(b"Length1", Object::Integer(subset.len() as i64));
            objects.push((font_file_id, compressed_stream(font_file, &subset)));
        }

        let descriptor_id = new_id();
        let mut descriptor = Dictionary::new();
        descriptor.set(b"Type", name(b"FontDescriptor"));
        descriptor.set(b"FontName", Object::Name(base_font.clone()));
        // 4 = symbolic (glyphs addressed by CID, not a standard character set); 1 = fixed pitch.
        let flags = 4 | i64::from(face.is_monospaced());
        descriptor.set(b"Flags", Object::Integer(flags));
        descriptor.set(
            b"FontBBox",
            Object::Array(
                [bbox.x_min, bbox.y_min, bbox.x_max, bbox.y_max]
                    .iter()
                    .map(|&value| Object::Real(scale(f64::from(value))))
                    .collect(),
            ),
        );
        descriptor.set(b"ItalicAngle", Object::Real(f64::from(face.italic_angle())));
        descriptor.set(b"Ascent", Object::Real(ascent));
        descriptor.set(b"Descent", Object::Real(descent));
        descriptor.set(b"CapHeight", Object::Real(cap_height));
        descriptor.set(b"StemV", Object::Integer(80));
        let file_key: &[u8] = if is_cff { b"FontFile3" } else { b"FontFile2" };
        descriptor.set(file_key, Object::Reference(font_file_id));
        objects.push((descriptor_id, Object::Dictionary(descriptor)));

        let cid_font_id = new_id();
        let mut cid_font = Dictionary::new();
        cid_font.set(b"Type", name(b"Font"));
        cid_font.set(
            b"Subtype",
            name(if is_cff {
                b"CIDFontType0"
            } else {
                b"CIDFontType2"
            }),
        );
        cid_font.set(b"BaseFont", Object::Name(base_font.clone()));
        let mut system_info = Dictionary::new();
        system_info.set(b"Registry", Object::String(b"Adobe".to_vec()));
        system_info.set(b"Ordering", Object::String(b"Identity".to_vec()));
        system_info.set(b"Supplement", Object::Integer(0));
        cid_font.set(b"CIDSystemInfo", Object::Dictionary(system_info));
        cid_font.set(b"FontDescriptor", Object::Reference(descriptor_id));
        cid_font.set(b"DW", Object::Integer(1000));
        cid_font.set(b"W", self.widths());
        if !is_cff {
            cid_font.set(b"CIDToGIDMap", name(b"Identity"));
        }
        objects.push((cid_font_id, Object::Dictionary(cid_font)));

        let to_unicode_id = new_id();
        objects.push((
            to_unicode_id,
            compressed_stream(Dictionary::new(), self.to_unicode().as_bytes()),
        ));

        let type0_id = new_id();
        let mut type0 = Dictionary::new();
        type0.set(b"Type", name(b"Font"));
        type0.set(b"Subtype", name(b"Type0"));
        type0.set(b"BaseFont", Object::Name(base_font));
        type0.set(b"Encoding", name(b"Identity-H"));
        type0.set(
            b"DescendantFonts",
            Object::Array(vec![Object::Reference(cid_font_id)]),
        );
        type0.set(b"ToUnicode", Object::Reference(to_unicode_id));
        objects.push((type0_id, Object::Dictionary(type0)));
        Ok(type0_id)
    }

    /// /W: `[first [w w w ...] first [...]]` over runs of consecutive CIDs.
    fn widths(&self) -> Object {
        let mut out = Vec::new();
        let mut run: Vec<Object> = Vec::new();
        let mut run_start = 0u16;
        let mut previous: Option<u16> = None;
        for (&cid, &(glyph, _)) in &self.used {
            if previous.is_some_and(|previous| previous + 1 != cid) {
                out.push(Object::Integer(i64::from(run_start)));
                out.push(Object::Array(std::mem::take(&mut run)));
            }
            if run.is_empty() {
                run_start = cid;
            }
            run.push(Object::Real(advance(&self.face, glyph).round()));
            previous = Some(cid);
        }
        if !run.is_empty() {
            out.push(Object::Integer(i64::from(run_start)));
            out.push(Object::Array(run));
        }
        Object::Array(out)
    }

    /// The /ToUnicode CMap: each CID to the UTF-16BE of its character.
    fn to_unicode(&self) -> String {
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        let entries: Vec<_> = self.used.iter().collect();
        // At most 100 entries per bfchar block.
        for chunk in entries.chunks(100) {
            let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
            for (cid, (_, character)) in chunk {
                let mut units = [0u16; 2];
                let utf16: String = character
                    .encode_utf16(&mut units)
                    .iter()
                    .map(|unit| format!("{unit:04X}"))
                    .collect();
                let _ = writeln!(cmap, "<{cid:04X}> <{utf16}>");
            }
            cmap.push_str("endbfchar\n");
        }
        cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        cmap
    }
}

fn name(value: &[u8]) -> Object {
    Object::Name(value.to_vec())
}

/// A FlateDecode stream of `data`.
fn compressed_stream(mut dict: Dictionary, data: &[u8]) -> Object {
    dict.set(b"Filter", name(b"FlateDecode"));
    Object::Stream(Stream {
        dict,
        data: super::deflate(data),
    })
}
