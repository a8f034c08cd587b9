//! What printpdf's subsetter reads, cut down to the glyphs one render uses. allsorts' `subset`
//! does work in proportion to the whole face for every call: it walks every mapping of the cmap
//! (34,600 in WenQuanYi Micro Hei) and searches the used glyphs linearly for each, reads a
//! record for every glyph of `glyf` (49,531) and the names of all of them in `post` (540 KB). That
//! was half of a proof (`perf record` of `zicha verify` over 100 reports: 43 % of its CPU time in
//! `allsorts::subset::subset`, 29 % in that search alone), and renders pay it as well.
//!
//! So a render hands the subsetter a *reduced face* instead of the font file: the same tables with
//! the same glyph ids, except that `glyf` holds only the glyphs the text draws (with `.notdef` and
//! the components of composite glyphs) and the cmap only the mappings to them, in one record with
//! the platform and encoding allsorts picks from the full face. What allsorts writes depends on
//! nothing else: the kept mappings (`MappingsToKeep`, also the OS/2 character range), the requested
//! glyphs' records and metrics, the header of post, and tables it copies (head, hhea, maxp, OS/2,
//! name, cvt, fpgm, prep). The subset is therefore byte for byte the one of the whole file: the
//! tests subset both ways and compare (Latin, symbols, CJK punctuation, and every fourth slice of
//! 600 of the CJK unified ideographs), and every proof test re-renders through it.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;

use allsorts::binary::read::ReadScope;
use allsorts::tables::cmap::Cmap;
use allsorts::tables::cmap::owned::CmapSubtable as OwnedCmapSubtable;
use printpdf::ParsedFont;

/// The tables allsorts reads to subset a TrueType face (besides cmap, loca and glyf, which are
/// rebuilt, and post, of which it keeps the header): `subset_ttf` in allsorts' subset.rs.
const COPIED: [&[u8; 4]; 10] = [
    b"OS/2", b"cvt ", b"fpgm", b"head", b"hhea", b"hmtx", b"maxp", b"name", b"post", b"prep",
];

/// A face, read once, from which reduced faces are cut.
pub(crate) struct SubsetSource {
    bytes: Arc<rust_fontconfig::FontBytes>,
    /// The copied tables: (tag, bytes, checksum). They are the same in every reduced face, so
    /// their checksums are taken once (hmtx alone is 198 KB in WenQuanYi Micro Hei).
    tables: Vec<([u8; 4], Vec<u8>, u32)>,
    /// The face as [`SubsetSource::reduced`] copies it, without its character map, which is
    /// replaced in every copy: cloning the face's own (34,600 mappings) for each render and
    /// dropping it again cost more than the rest of the copy.
    template: ParsedFont,
    /// `glyf`'s range in `bytes`.
    glyf: Range<usize>,
    /// Each glyph's range within `glyf` (from `loca`).
    glyphs: Vec<Range<usize>>,
    /// head.indexToLocFormat is 1: loca holds 32-bit offsets.
    long_loca: bool,
    /// The cmap record allsorts subsets from: platform and encoding.
    cmap_record: (u16, u16),
    /// Its mappings, (character code, glyph id), as allsorts reads them.
    mappings: Vec<(u32, u16)>,
}

impl SubsetSource {
    /// Reads face `parsed`. `None` when it is not a TrueType (`glyf`) face this module can cut
    /// down: the render then hands allsorts the whole file.
    pub(crate) fn read(parsed: &ParsedFont) -> Option<SubsetSource> {
        let bytes = parsed.source_bytes()?;
        let data = bytes.as_slice();
        let face =
            ttf_parser::RawFace::parse(data, u32::try_from(parsed.original_index).ok()?).ok()?;
        let range = |tag: &[u8; 4]| -> Option<Range<usize>> {
            let record = face
                .table_records
                .into_iter()
                .find(|record| record.tag.to_bytes() == *tag)?;
            let start = usize::try_from(record.offset).ok()?;
            let end = start.checked_add(usize::try_from(record.length).ok()?)?;
            (end <= data.len()).then_some(start..end)
        };
        if range(b"CFF ").is_some() || range(b"CFF2").is_some() {
            return None;
        }
        let head = range(b"head")?;
        let maxp = range(b"maxp")?;
        let long_loca = match data.get(head.start + 50..head.start + 52)? {
            [0, 0] => false,
            [0, 1] => true,
            _ => return None,
        };
        let num_glyphs = usize::from(u16::from_be_bytes(
            data.get(maxp.start + 4..maxp.start + 6)?.try_into().ok()?,
        ));
        let glyf = range(b"glyf")?;
        let loca = &data[range(b"loca")?];
        let offset = |gid: usize| -> Option<usize> {
            if long_loca {
                let at = gid * 4;
                Some(u32::from_be_bytes(loca.get(at..at + 4)?.try_into().ok()?) as usize)
            } else {
                let at = gid * 2;
                Some(usize::from(u16::from_be_bytes(loca.get(at..at + 2)?.try_into().ok()?)) * 2)
            }
        };
        let mut glyphs = Vec::with_capacity(num_glyphs);
        for gid in 0..num_glyphs {
            let (start, end) = (offset(gid)?, offset(gid + 1)?);
            if start > end || end > glyf.len() {
                return None;
            }
            glyphs.push(start..end);
        }
        let mut tables = Vec::new();
        for tag in COPIED {
            if let Some(range) = range(tag) {
                let mut table = data[range].to_vec();
                if tag == b"post" {
                    // allsorts writes post as version 3 with the source's header: the glyph
                    // names of version 2 (540 KB in WenQuanYi Micro Hei) are read for nothing.
                    table.truncate(32);
                    if table.len() < 32 {
                        return None;
                    }
                    table[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
                }
                let sum = checksum(&table);
                tables.push((*tag, table, sum));
            }
        }
        // The cmap subtable exactly as allsorts chooses and reads it.
        let cmap_data = &data[range(b"cmap")?];
        let cmap = ReadScope::new(cmap_data).read::<Cmap<'_>>().ok()?;
        let (_, record) = allsorts::font::find_good_cmap_subtable(&cmap)?;
        let (_, subtable) = allsorts::font::read_cmap_subtable(&cmap).ok()??;
        let mut mappings = Vec::new();
        subtable
            .mappings_fn(|ch, gid| mappings.push((ch, gid)))
            .ok()?;
        let mut template = parsed.clone();
        template.cmap_subtable = None;
        Some(SubsetSource {
            bytes,
            tables,
            template,
            glyf,
            glyphs,
            long_loca,
            cmap_record: (record.platform_id.0, record.encoding_id.0),
            mappings,
        })
    }

    /// A copy of `parsed` for printpdf to draw `chars` with: its source bytes (what printpdf
    /// subsets) are the reduced face for their glyphs, and its character map, which printpdf
    /// searches for every character it draws (a linear search through the groups of the face's
    /// cmap: 7 % of a proof), a table indexed by character that gives the same glyph for each of
    /// `chars`. printpdf looks up no other character in this face.
    pub(crate) fn reduced(&self, parsed: &ParsedFont, chars: &BTreeSet<char>) -> ParsedFont {
        let looked_up: Vec<(u32, Option<u16>)> = chars
            .iter()
            .map(|&c| (c as u32, parsed.lookup_glyph_index(c as u32)))
            .collect();
        let gids = looked_up.iter().filter_map(|(_, gid)| *gid).collect();
        let (bytes, hmtx) = self.reduced_face(&gids);
        // The template is `parsed` without its character map, which the lookup table replaces;
        // without a lookup table the copy keeps the face's own.
        let table = lookup_table(&looked_up);
        let mut font = if table.is_some() {
            self.template.clone()
        } else {
            parsed.clone()
        };
        font.original_bytes = Some(Arc::new(rust_fontconfig::FontBytes::Owned(Arc::from(
            bytes,
        ))));
        font.original_index = 0;
        // azul reads advances from the source bytes by these ranges; no vertical metrics here.
        font.hmtx_range = hmtx;
        font.vmtx_range = (0, 0);
        if let Some(table) = table {
            font.cmap_subtable = Some(table);
        }
        font
    }

    /// The reduced face's bytes and where its hmtx is in them (offset, length).
    pub(crate) fn reduced_face(&self, gids: &BTreeSet<u16>) -> (Vec<u8>, (usize, usize)) {
        let data = self.bytes.as_slice();
        let glyf_data = &data[self.glyf.clone()];
        // .notdef, the used glyphs and, recursively, their components.
        let mut keep = vec![false; self.glyphs.len()];
        let mut todo: Vec<u16> = std::iter::once(0).chain(gids.iter().copied()).collect();
        while let Some(gid) = todo.pop() {
            let Some(slot) = keep.get_mut(usize::from(gid)) else {
                continue;
            };
            if std::mem::replace(slot, true) {
                continue;
            }
            components(&glyf_data[self.glyphs[usize::from(gid)].clone()], &mut todo);
        }

        let mut glyf = Vec::new();
        let mut loca = Vec::with_capacity((self.glyphs.len() + 1) * 4);
        let push_offset = |loca: &mut Vec<u8>, offset: usize| {
            if self.long_loca {
                loca.extend_from_slice(&(offset as u32).to_be_bytes());
            } else {
                // Short offsets count 16-bit words; the source's glyphs have even lengths.
                loca.extend_from_slice(&((offset / 2) as u16).to_be_bytes());
            }
        };
        for (gid, range) in self.glyphs.iter().enumerate() {
            push_offset(&mut loca, glyf.len());
            if keep[gid] {
                glyf.extend_from_slice(&glyf_data[range.clone()]);
            }
        }
        push_offset(&mut loca, glyf.len());

        let cmap = self.reduced_cmap(&keep);
        let mut tables: Vec<([u8; 4], &[u8], u32)> = self
            .tables
            .iter()
            .map(|(tag, table, sum)| (*tag, table.as_slice(), *sum))
            .collect();
        tables.push((*b"cmap", &cmap, checksum(&cmap)));
        tables.push((*b"glyf", &glyf, checksum(&glyf)));
        tables.push((*b"loca", &loca, checksum(&loca)));
        tables.sort_by_key(|(tag, _, _)| *tag);
        sfnt(&tables)
    }

    /// A cmap with one record (the one allsorts reads from the full face) holding the mappings to
    /// the kept glyphs, as format 12.
    fn reduced_cmap(&self, keep: &[bool]) -> Vec<u8> {
        let mut groups: Vec<(u32, u32, u32)> = Vec::new();
        let mut kept: Vec<(u32, u16)> = self
            .mappings
            .iter()
            .copied()
            .filter(|&(_, gid)| keep.get(usize::from(gid)).copied().unwrap_or(false))
            .collect();
        kept.sort_unstable();
        for (ch, gid) in kept {
            match groups.last_mut() {
                Some((start, end, start_gid))
                    if ch == *end + 1 && u32::from(gid) == *start_gid + (ch - *start) =>
                {
                    *end = ch;
                }
                _ => groups.push((ch, ch, u32::from(gid))),
            }
        }
        let length = 16 + 12 * groups.len();
        let mut out = Vec::with_capacity(12 + length);
        out.extend_from_slice(&0u16.to_be_bytes()); // version
        out.extend_from_slice(&1u16.to_be_bytes()); // numTables
        out.extend_from_slice(&self.cmap_record.0.to_be_bytes());
        out.extend_from_slice(&self.cmap_record.1.to_be_bytes());
        out.extend_from_slice(&12u32.to_be_bytes()); // subtable offset
        out.extend_from_slice(&12u16.to_be_bytes()); // format
        out.extend_from_slice(&0u16.to_be_bytes()); // reserved
        out.extend_from_slice(&(length as u32).to_be_bytes());
        out.extend_from_slice(&0u32.to_be_bytes()); // language
        out.extend_from_slice(&(groups.len() as u32).to_be_bytes());
        for (start, end, gid) in groups {
            out.extend_from_slice(&start.to_be_bytes());
            out.extend_from_slice(&end.to_be_bytes());
            out.extend_from_slice(&gid.to_be_bytes());
        }
        out
    }
}

/// A cmap subtable (format 10: a glyph id for each character from the first) that maps each of
/// `looked_up` as it was looked up; `None` when one was not found (the table would give glyph 0,
/// not nothing) or when they span too many characters.
fn lookup_table(looked_up: &[(u32, Option<u16>)]) -> Option<OwnedCmapSubtable> {
    /// 128 K entries (256 KB): CJK text with some Latin spans about 40 K.
    const MAX_SPAN: u32 = 0x2_0000;
    let (first, last) = (looked_up.first()?.0, looked_up.last()?.0);
    if last - first >= MAX_SPAN {
        return None;
    }
    let mut glyph_id_array = vec![0; (last - first + 1) as usize];
    for &(c, gid) in looked_up {
        glyph_id_array[(c - first) as usize] = gid?;
    }
    Some(OwnedCmapSubtable::Format10 {
        language: 0,
        start_char_code: first,
        glyph_id_array,
    })
}

/// Pushes the component glyph ids of a composite glyph (numberOfContours < 0; OpenType `glyf`,
/// "Composite glyph description").
fn components(glyph: &[u8], out: &mut Vec<u16>) {
    const ARG_1_AND_2_ARE_WORDS: u16 = 0x0001;
    const WE_HAVE_A_SCALE: u16 = 0x0008;
    const MORE_COMPONENTS: u16 = 0x0020;
    const WE_HAVE_AN_X_AND_Y_SCALE: u16 = 0x0040;
    const WE_HAVE_A_TWO_BY_TWO: u16 = 0x0080;
    let read = |at: usize| -> Option<u16> {
        Some(u16::from_be_bytes(glyph.get(at..at + 2)?.try_into().ok()?))
    };
    if read(0).is_none_or(|contours| (contours as i16) >= 0) {
        return;
    }
    let mut at = 10;
    while let (Some(flags), Some(gid)) = (read(at), read(at + 2)) {
        out.push(gid);
        at += 4 + if flags & ARG_1_AND_2_ARE_WORDS != 0 {
            4
        } else {
            2
        };
        at += if flags & WE_HAVE_A_SCALE != 0 {
            2
        } else if flags & WE_HAVE_AN_X_AND_Y_SCALE != 0 {
            4
        } else if flags & WE_HAVE_A_TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        if flags & MORE_COMPONENTS == 0 {
            return;
        }
    }
}

/// An sfnt (TrueType outlines) of `tables` (tag, bytes, checksum), sorted by tag; and where its
/// hmtx is.
fn sfnt(tables: &[([u8; 4], &[u8], u32)]) -> (Vec<u8>, (usize, usize)) {
    let count = tables.len();
    let mut entry_selector = 0u16;
    while (2usize << entry_selector) <= count {
        entry_selector += 1;
    }
    let search_range = 16u16 << entry_selector;
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&(count as u16).to_be_bytes());
    out.extend_from_slice(&search_range.to_be_bytes());
    out.extend_from_slice(&entry_selector.to_be_bytes());
    out.extend_from_slice(&((count as u16) * 16 - search_range).to_be_bytes());
    let mut offset = 12 + 16 * count;
    let mut hmtx = (0, 0);
    for (tag, data, sum) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&sum.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if tag == b"hmtx" {
            hmtx = (offset, data.len());
        }
        offset += data.len().next_multiple_of(4);
    }
    out.reserve(offset - out.len());
    for (_, data, _) in tables {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    (out, hmtx)
}

/// The sfnt table checksum: the sum of the table's big-endian 32-bit words, the last one padded
/// with zeros.
fn checksum(data: &[u8]) -> u32 {
    let mut words = data.chunks_exact(4);
    let sum = words.by_ref().fold(0u32, |sum, word| {
        sum.wrapping_add(u32::from_be_bytes([word[0], word[1], word[2], word[3]]))
    });
    let mut last = [0u8; 4];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    sum.wrapping_add(u32::from_be_bytes(last))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::Fonts;

    const FONT: &[u8] = include_bytes!("../../../assets/fonts/wqy-microhei.ttc");

    /// Subsets `chars` of the whole file and of the reduced face; the bytes must be equal.
    fn assert_same_subset(font: &ParsedFont, source: &SubsetSource, chars: &BTreeSet<char>) {
        let mut glyphs = BTreeMap::new();
        for &c in chars {
            if let Some(gid) = font.lookup_glyph_index(c as u32) {
                glyphs.insert(gid, c.to_string());
            }
        }
        let copy = source.reduced(font, chars);
        for &c in chars {
            assert_eq!(
                copy.lookup_glyph_index(c as u32),
                font.lookup_glyph_index(c as u32),
                "{c}"
            );
        }
        assert!(matches!(
            copy.cmap_subtable,
            Some(OwnedCmapSubtable::Format10 { .. })
        ));
        let whole = printpdf::subset_font(font, &glyphs).expect("subset of the whole file");
        let reduced = printpdf::subset_font(&copy, &glyphs).expect("subset of the reduced face");
        assert!(whole.bytes.len() > 1000);
        assert!(
            whole.bytes == reduced.bytes,
            "the subsets of {} glyphs ({:?}..) differ",
            glyphs.len(),
            chars.first()
        );
        assert_eq!(whole.glyph_mapping, reduced.glyph_mapping);
    }

    #[test]
    fn reduced_faces_subset_to_the_same_bytes() {
        let fonts = Fonts::new(FONT, crate::DEFAULT_FONT_FACE).expect("font");
        let font = &fonts.main.parsed;
        let source = SubsetSource::read(font).expect("a TrueType face");
        assert_eq!(
            (source.glyphs.len(), source.mappings.len()),
            (49_531, 34_600)
        );
        let covered = |range: std::ops::RangeInclusive<u32>| -> BTreeSet<char> {
            range
                .filter_map(char::from_u32)
                .filter(|&c| {
                    font.lookup_glyph_index(c as u32)
                        .is_some_and(|gid| gid != 0)
                })
                .collect()
        };
        // Latin (accented letters are often composite glyphs), punctuation, symbols, CJK
        // punctuation and full-width forms: what report text draws besides hanzi.
        let mut other = covered(0x20..=0x24F);
        other.extend(covered(0x2000..=0x2BFF));
        other.extend(covered(0x3000..=0x303F));
        other.extend(covered(0xFF00..=0xFFEF));
        assert!(other.len() > 300, "{}", other.len());
        assert_same_subset(font, &source, &other);
        // The unified ideographs, in slices of 600 from one end to the other.
        let hanzi: Vec<char> = covered(0x4E00..=0x9FFF).into_iter().collect();
        assert!(hanzi.len() > 20_000, "{}", hanzi.len());
        for (idx, slice) in hanzi.chunks(600).enumerate().step_by(4) {
            let mut chars: BTreeSet<char> = slice.iter().copied().collect();
            // With some Latin and digits, as a page has them.
            chars.extend(other.iter().copied().skip(idx * 7).take(40));
            assert_same_subset(font, &source, &chars);
        }
    }
}
