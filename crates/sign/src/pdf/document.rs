//! A PDF as a reader sees a prefix of the file: the cross-reference sections reachable from the
//! last `startxref` before a given end, merged newest first. Loading the prefix that ends at a
//! signature's revision gives exactly the document that was signed.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use super::filter::decode_stream;
use super::object::{Dictionary, Object, ObjectId, Stream};
use super::parse::{IndirectObject, Parser, find, is_whitespace, parse_unsigned, rfind};
use crate::error::{Error, Result, pdf_error};
use crate::limits::{MAX_OBJECT_NUMBER, MAX_PAGES, MAX_TREE_DEPTH, MAX_XREF_SECTIONS};

/// Where an object lives, according to the cross-reference data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum XrefEntry {
    Free,
    InUse { offset: usize, generation: u16 },
    Compressed { stream: u32, index: u32 },
}

/// The objects of one object stream: its decoded bytes, `/First`, and `(number, offset)` pairs.
struct ObjectStream {
    data: Vec<u8>,
    first: usize,
    members: Vec<(u32, usize)>,
}

pub(crate) struct Document<'a> {
    /// The file up to `end` (never beyond).
    pub(crate) bytes: &'a [u8],
    pub(crate) entries: BTreeMap<u32, XrefEntry>,
    /// The newest trailer (for an xref stream, its dictionary).
    pub(crate) trailer: Dictionary,
    /// Offset of the newest cross-reference section.
    pub(crate) startxref: usize,
    /// Whether the newest section is an xref stream (an update must then use one too).
    pub(crate) xref_is_stream: bool,
    object_streams: RefCell<HashMap<u32, Rc<ObjectStream>>>,
}

impl<'a> Document<'a> {
    /// Loads the document that `bytes[..end]` describes.
    pub(crate) fn load(file: &'a [u8], end: usize) -> Result<Self> {
        let bytes = file
            .get(..end)
            .ok_or_else(|| pdf_error("revision end beyond the file"))?;
        if find(bytes, b"%PDF-", 0).is_none_or(|header| header > 1024) {
            return Err(pdf_error("no %PDF- header"));
        }
        let marker =
            rfind(bytes, b"startxref", bytes.len()).ok_or_else(|| pdf_error("no startxref"))?;
        let mut parser = Parser::new(bytes, marker + b"startxref".len());
        let startxref =
            usize::try_from(parser.unsigned()?).map_err(|_| pdf_error("startxref too large"))?;

        let mut document = Document {
            bytes,
            entries: BTreeMap::new(),
            trailer: Dictionary::new(),
            startxref,
            xref_is_stream: false,
            object_streams: RefCell::new(HashMap::new()),
        };
        let mut visited = HashSet::new();
        let mut next = Some(startxref);
        let mut newest = true;
        while let Some(offset) = next {
            if !visited.insert(offset) {
                return Err(pdf_error("cross-reference sections form a loop"));
            }
            if visited.len() > MAX_XREF_SECTIONS {
                return Err(pdf_error(format!(
                    "more than {MAX_XREF_SECTIONS} cross-reference sections (limits::MAX_XREF_SECTIONS)"
                )));
            }
            let (trailer, is_stream) = document.read_section(offset)?;
            if newest {
                document.xref_is_stream = is_stream;
                document.trailer = trailer.clone();
                newest = false;
            }
            next = match trailer.get(b"Prev") {
                None => None,
                Some(Object::Integer(prev)) => {
                    Some(usize::try_from(*prev).map_err(|_| pdf_error("negative /Prev"))?)
                }
                Some(_) => return Err(pdf_error("/Prev is not an integer")),
            };
        }
        if document.trailer.get(b"Encrypt").is_some() {
            return Err(Error::EncryptedPdf);
        }
        Ok(document)
    }

    /// Reads one cross-reference section (table or stream); adds entries not already known.
    fn read_section(&mut self, offset: usize) -> Result<(Dictionary, bool)> {
        if offset >= self.bytes.len() {
            return Err(pdf_error(format!(
                "cross-reference offset {offset} is beyond the revision"
            )));
        }
        let mut parser = Parser::new(self.bytes, offset);
        parser.skip_whitespace();
        if self.bytes[parser.pos..].starts_with(b"xref") {
            let trailer = self.read_table(&mut parser)?;
            if let Some(Object::Integer(stream_offset)) = trailer.get(b"XRefStm") {
                // A hybrid file: the stream's entries rank below the table's.
                let stream_offset =
                    usize::try_from(*stream_offset).map_err(|_| pdf_error("negative /XRefStm"))?;
                self.read_stream_section(stream_offset)?;
            }
            return Ok((trailer, false));
        }
        Ok((self.read_stream_section(offset)?, true))
    }

    fn read_table(&mut self, parser: &mut Parser<'_>) -> Result<Dictionary> {
        parser.expect_keyword(b"xref")?;
        loop {
            let at = parser.pos;
            let token = parser.regular_token();
            if token == b"trailer" {
                return match parser.parse_object()? {
                    Object::Dictionary(dict) => Ok(dict),
                    _ => Err(pdf_error("trailer is not a dictionary")),
                };
            }
            let first = parse_unsigned(token)
                .ok_or_else(|| pdf_error(format!("bad xref table at offset {at}")))?;
            let count = parser.unsigned()?;
            if first.saturating_add(count) > MAX_OBJECT_NUMBER + 1 {
                return Err(pdf_error(format!(
                    "xref subsection at offset {at} lists objects above {MAX_OBJECT_NUMBER} (limits::MAX_OBJECT_NUMBER)"
                )));
            }
            if count as usize > self.bytes.len() / 18 {
                return Err(pdf_error(format!("bad xref subsection at offset {at}")));
            }
            for number in first..first + count {
                let entry_offset = parser.unsigned()?;
                let generation = parser.unsigned()?;
                let kind = parser.regular_token();
                let entry = match kind {
                    b"n" => XrefEntry::InUse {
                        offset: usize::try_from(entry_offset)
                            .map_err(|_| pdf_error("offset too large"))?,
                        generation: u16::try_from(generation)
                            .map_err(|_| pdf_error("generation too large"))?,
                    },
                    b"f" => XrefEntry::Free,
                    _ => {
                        return Err(pdf_error(format!(
                            "bad xref entry near offset {}",
                            parser.pos
                        )));
                    }
                };
                // Object 0 is the head of the free list, never a real object.
                if number != 0 {
                    self.entries.entry(number as u32).or_insert(entry);
                }
            }
        }
    }

    fn read_stream_section(&mut self, offset: usize) -> Result<Dictionary> {
        let object = Parser::new(self.bytes, offset).indirect_object(&|_| None)?;
        let Object::Stream(stream) = object.object else {
            return Err(pdf_error(format!(
                "no cross-reference section at offset {offset}"
            )));
        };
        if !stream.dict.has_name(b"Type", b"XRef") {
            return Err(pdf_error(format!(
                "no cross-reference section at offset {offset}"
            )));
        }
        let widths: Vec<usize> = stream
            .dict
            .get(b"W")
            .and_then(Object::as_array)
            .ok_or_else(|| pdf_error("xref stream without /W"))?
            .iter()
            .map(|width| {
                width
                    .as_i64()
                    .and_then(|width| usize::try_from(width).ok())
                    .filter(|&width| width <= 8)
            })
            .collect::<Option<_>>()
            .ok_or_else(|| pdf_error("bad /W in xref stream"))?;
        if widths.len() != 3 {
            return Err(pdf_error("bad /W in xref stream"));
        }
        let size = stream
            .dict
            .get(b"Size")
            .and_then(Object::as_i64)
            .unwrap_or(0);
        let index: Vec<i64> = match stream.dict.get(b"Index") {
            Some(Object::Array(items)) => items
                .iter()
                .map(Object::as_i64)
                .collect::<Option<_>>()
                .ok_or_else(|| pdf_error("bad /Index"))?,
            _ => vec![0, size],
        };
        let data = decode_stream(&stream)?;
        let row = widths.iter().sum::<usize>();
        if row == 0 {
            return Err(pdf_error("bad /W in xref stream"));
        }
        let mut rows = data.chunks_exact(row);
        for pair in index.chunks(2) {
            let [first, count] = pair else {
                return Err(pdf_error("bad /Index in xref stream"));
            };
            let (Ok(first), Ok(count)) = (u64::try_from(*first), u64::try_from(*count)) else {
                return Err(pdf_error("bad /Index in xref stream"));
            };
            if first.saturating_add(count) > MAX_OBJECT_NUMBER + 1 {
                return Err(pdf_error(format!(
                    "xref stream /Index lists objects above {MAX_OBJECT_NUMBER} (limits::MAX_OBJECT_NUMBER)"
                )));
            }
            for number in first..first + count {
                let Some(row) = rows.next() else {
                    return Err(pdf_error("xref stream is shorter than its /Index"));
                };
                let field = |index: usize| -> u64 {
                    let start: usize = widths[..index].iter().sum();
                    row[start..start + widths[index]]
                        .iter()
                        .fold(0u64, |acc, &byte| acc << 8 | u64::from(byte))
                };
                let kind = if widths[0] == 0 { 1 } else { field(0) };
                let entry = match kind {
                    0 => XrefEntry::Free,
                    1 => XrefEntry::InUse {
                        offset: usize::try_from(field(1))
                            .map_err(|_| pdf_error("offset too large"))?,
                        generation: u16::try_from(field(2))
                            .map_err(|_| pdf_error("generation too large"))?,
                    },
                    2 => XrefEntry::Compressed {
                        stream: u32::try_from(field(1))
                            .map_err(|_| pdf_error("bad object stream number"))?,
                        index: u32::try_from(field(2))
                            .map_err(|_| pdf_error("bad object stream index"))?,
                    },
                    // Unknown entry types are to be read as null objects.
                    _ => XrefEntry::Free,
                };
                if number != 0 {
                    self.entries.entry(number as u32).or_insert(entry);
                }
            }
        }
        Ok(stream.dict)
    }

    /// The largest object number in use plus one (what /Size must be at least).
    pub(crate) fn size(&self) -> u32 {
        let from_entries = self.entries.keys().next_back().map_or(1, |&last| last + 1);
        let from_trailer = self
            .trailer
            .get(b"Size")
            .and_then(Object::as_i64)
            .unwrap_or(0);
        from_entries
            .max(u32::try_from(from_trailer.clamp(0, MAX_OBJECT_NUMBER as i64)).unwrap_or(0))
    }

    /// Parses the indirect object stored at a file offset.
    fn parse_at(&self, offset: usize) -> Result<IndirectObject> {
        if offset >= self.bytes.len() {
            return Err(pdf_error(format!(
                "object offset {offset} is beyond the revision"
            )));
        }
        let lengths = |id: ObjectId| -> Option<i64> {
            match self.entries.get(&id.0) {
                Some(XrefEntry::InUse { offset, .. }) => Parser::new(self.bytes, *offset)
                    .indirect_object(&|_| None)
                    .ok()?
                    .object
                    .as_i64(),
                _ => None,
            }
        };
        Parser::new(self.bytes, offset).indirect_object(&lengths)
    }

    /// The object with this id, with the top-level value spans when it lives at a file offset.
    /// A free or missing object is null, as the PDF specification says.
    pub(crate) fn get_with_spans(&self, id: ObjectId) -> Result<(Object, Option<IndirectObject>)> {
        match self.entries.get(&id.0) {
            None | Some(XrefEntry::Free) => Ok((Object::Null, None)),
            Some(&XrefEntry::InUse { offset, generation }) => {
                if generation != id.1 {
                    return Ok((Object::Null, None));
                }
                let parsed = self.parse_at(offset)?;
                if parsed.id != id {
                    return Err(pdf_error(format!(
                        "cross-reference entry for object {} points to object {}",
                        id.0, parsed.id.0
                    )));
                }
                Ok((parsed.object.clone(), Some(parsed)))
            }
            Some(&XrefEntry::Compressed { stream, index }) => {
                if id.1 != 0 {
                    return Ok((Object::Null, None));
                }
                let object_stream = self.object_stream(stream)?;
                let (number, offset) =
                    *object_stream.members.get(index as usize).ok_or_else(|| {
                        pdf_error(format!("object stream {stream} has no entry {index}"))
                    })?;
                if number != id.0 {
                    return Err(pdf_error(format!(
                        "object stream {stream} does not hold object {}",
                        id.0
                    )));
                }
                let start = object_stream
                    .first
                    .checked_add(offset)
                    .ok_or_else(|| pdf_error("bad object stream offset"))?;
                if start >= object_stream.data.len() {
                    return Err(pdf_error("bad object stream offset"));
                }
                let object = Parser::new(&object_stream.data, start).parse_object()?;
                if matches!(object, Object::Stream(_)) {
                    return Err(pdf_error("stream inside an object stream"));
                }
                Ok((object, None))
            }
        }
    }

    pub(crate) fn get(&self, id: ObjectId) -> Result<Object> {
        Ok(self.get_with_spans(id)?.0)
    }

    fn object_stream(&self, number: u32) -> Result<Rc<ObjectStream>> {
        if let Some(cached) = self.object_streams.borrow().get(&number) {
            return Ok(cached.clone());
        }
        let Some(&XrefEntry::InUse { offset, .. }) = self.entries.get(&number) else {
            return Err(pdf_error(format!("object stream {number} is missing")));
        };
        let parsed = self.parse_at(offset)?;
        let Object::Stream(stream) = parsed.object else {
            return Err(pdf_error(format!(
                "object {number} is not an object stream"
            )));
        };
        let data = decode_stream(&stream)?;
        let count = stream.dict.get(b"N").and_then(Object::as_i64).unwrap_or(0);
        let first = stream
            .dict
            .get(b"First")
            .and_then(Object::as_i64)
            .unwrap_or(-1);
        let (Ok(count), Ok(first)) = (usize::try_from(count), usize::try_from(first)) else {
            return Err(pdf_error(format!("bad object stream {number}")));
        };
        if count > data.len() || first > data.len() {
            return Err(pdf_error(format!("bad object stream {number}")));
        }
        let mut header = Parser::new(&data[..first], 0);
        let mut members = Vec::with_capacity(count);
        for _ in 0..count {
            let member = u32::try_from(header.unsigned()?)
                .map_err(|_| pdf_error("bad object stream header"))?;
            let offset = usize::try_from(header.unsigned()?)
                .map_err(|_| pdf_error("bad object stream header"))?;
            members.push((member, offset));
        }
        let object_stream = Rc::new(ObjectStream {
            data,
            first,
            members,
        });
        self.object_streams
            .borrow_mut()
            .insert(number, object_stream.clone());
        Ok(object_stream)
    }

    /// Follows references (a bounded number of times) to a direct object.
    pub(crate) fn resolve(&self, object: &Object) -> Result<Object> {
        let mut current = object.clone();
        // MAX_TREE_DEPTH references followed, then the object reached must be direct.
        for _ in 0..=MAX_TREE_DEPTH {
            match current {
                Object::Reference(id) => current = self.get(id)?,
                other => return Ok(other),
            }
        }
        Err(pdf_error(format!(
            "a reference chain longer than {MAX_TREE_DEPTH} (limits::MAX_TREE_DEPTH)"
        )))
    }

    /// Resolves and expects a dictionary (or a stream's dictionary).
    pub(crate) fn resolve_dict(&self, object: &Object) -> Result<Option<Dictionary>> {
        Ok(match self.resolve(object)? {
            Object::Dictionary(dict) => Some(dict),
            Object::Stream(Stream { dict, .. }) => Some(dict),
            _ => None,
        })
    }

    pub(crate) fn root_id(&self) -> Result<ObjectId> {
        self.trailer
            .get(b"Root")
            .and_then(Object::as_reference)
            .ok_or_else(|| pdf_error("the trailer has no /Root reference"))
    }

    pub(crate) fn catalog(&self) -> Result<Dictionary> {
        match self.get(self.root_id()?)? {
            Object::Dictionary(dict) => Ok(dict),
            _ => Err(pdf_error("the catalog is not a dictionary")),
        }
    }

    /// The pages in order, by object id.
    pub(crate) fn pages(&self) -> Result<Vec<ObjectId>> {
        let catalog = self.catalog()?;
        let root = catalog
            .get(b"Pages")
            .and_then(Object::as_reference)
            .ok_or_else(|| pdf_error("the catalog has no /Pages reference"))?;
        let mut pages = Vec::new();
        let mut visited = HashSet::new();
        self.collect_pages(root, 0, &mut visited, &mut pages)?;
        Ok(pages)
    }

    fn collect_pages(
        &self,
        node: ObjectId,
        depth: usize,
        visited: &mut HashSet<ObjectId>,
        pages: &mut Vec<ObjectId>,
    ) -> Result<()> {
        if depth > MAX_TREE_DEPTH {
            return Err(pdf_error(format!(
                "the page tree is deeper than {MAX_TREE_DEPTH} (limits::MAX_TREE_DEPTH)"
            )));
        }
        if !visited.insert(node) {
            return Err(pdf_error(
                "the page tree is malformed: a node appears twice",
            ));
        }
        let Object::Dictionary(dict) = self.get(node)? else {
            return Err(pdf_error(format!(
                "page tree node {} is not a dictionary",
                node.0
            )));
        };
        match dict.get(b"Kids") {
            Some(kids) if !dict.has_name(b"Type", b"Page") => {
                for kid in self.resolve(kids)?.as_array().unwrap_or(&[]) {
                    let kid = kid
                        .as_reference()
                        .ok_or_else(|| pdf_error("page tree kid is not a reference"))?;
                    self.collect_pages(kid, depth + 1, visited, pages)?;
                }
            }
            _ if pages.len() == MAX_PAGES => {
                return Err(pdf_error(format!(
                    "more than {MAX_PAGES} pages (limits::MAX_PAGES)"
                )));
            }
            _ => pages.push(node),
        }
        Ok(())
    }

    /// A page attribute, inherited from the page tree when the page itself lacks it.
    pub(crate) fn page_attribute(&self, page: ObjectId, key: &[u8]) -> Result<Option<Object>> {
        let mut current = page;
        for _ in 0..MAX_TREE_DEPTH {
            let Some(dict) = self.resolve_dict(&Object::Reference(current))? else {
                return Ok(None);
            };
            if let Some(value) = dict.get(key) {
                return Ok(Some(self.resolve(value)?));
            }
            match dict.get(b"Parent").and_then(Object::as_reference) {
                Some(parent) => current = parent,
                None => return Ok(None),
            }
        }
        Ok(None)
    }

    /// The byte span of the indirect object in the file (for a compressed object, the span of its
    /// object stream).
    pub(crate) fn object_span(&self, number: u32) -> Option<(usize, usize)> {
        let offset = match self.entries.get(&number)? {
            XrefEntry::InUse { offset, .. } => *offset,
            XrefEntry::Compressed { stream, .. } => match self.entries.get(stream)? {
                XrefEntry::InUse { offset, .. } => *offset,
                _ => return None,
            },
            XrefEntry::Free => return None,
        };
        let parsed = self.parse_at(offset).ok()?;
        Some((offset, parsed.end))
    }
}

/// The ends of the revisions in a file: just after each `startxref N %%EOF` (and its end-of-line).
pub(crate) fn revision_ends(bytes: &[u8]) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut from = 0;
    while let Some(position) = find(bytes, b"%%EOF", from) {
        from = position + 5;
        if preceded_by_startxref(bytes, position) {
            let mut end = position + 5;
            if bytes.get(end) == Some(&b'\r') {
                end += 1;
            }
            if bytes.get(end) == Some(&b'\n') {
                end += 1;
            }
            ends.push(end);
        }
    }
    ends
}

/// Whether only `startxref`, whitespace and one number come before the `%%EOF` at `position`.
fn preceded_by_startxref(bytes: &[u8], position: usize) -> bool {
    let window_start = position.saturating_sub(64);
    let Some(marker) =
        rfind(&bytes[..position], b"startxref", position).filter(|&marker| marker >= window_start)
    else {
        return false;
    };
    let between = &bytes[marker + b"startxref".len()..position];
    let digits = between.iter().filter(|byte| byte.is_ascii_digit()).count();
    digits > 0
        && between
            .iter()
            .all(|&byte| byte.is_ascii_digit() || is_whitespace(byte))
}
