//! A read-only view of the document one revision describes, for a caller that compares a file with
//! what it expects to find (zicha-report proves that a report's pages are exactly what its data
//! renders to, and names the page and the kind of difference when they are not): each page's
//! decoded content, the fonts and images its resources name (with a digest of everything they
//! refer to, independent of object numbers), its annotations, the catalog's entries, and the raw
//! bytes of an image. Read with the verifier's own parser: bounded, never panics.

use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::findings::{Finding, Problem};
use crate::limits::MAX_DIGEST_OBJECTS;
use crate::pdf::filter::decode_stream;
use crate::pdf::{Dictionary, Document, Object, ObjectId, XrefEntry};

/// The ends of the revisions of `pdf` (the original first), as [`crate::verify`] counts them: just
/// after each `startxref N %%EOF`. `pdf[..ends[0]]` is the file as first written.
pub fn revision_ends(pdf: &[u8]) -> Vec<usize> {
    crate::pdf::revision_ends(pdf)
}

/// What the revisions from `old_end` to `new_end` change beyond what signing may add (signatures
/// with their fields, widgets and appearances, DSS data, document information), judged as
/// [`crate::verify`] judges what follows a signature. Empty when nothing else changed. A caller
/// uses it for the changes a signature's own incremental update makes: [`crate::verify`] judges
/// only what comes after each signed revision.
pub fn changes_between(pdf: &[u8], old_end: usize, new_end: usize) -> Vec<Finding> {
    let loaded =
        Document::load(pdf, old_end).and_then(|old| Ok((old, Document::load(pdf, new_end)?)));
    match loaded {
        Ok((old, new)) => crate::diff::changes_after(&old, &new)
            .iter()
            .map(Problem::finding)
            .collect(),
        Err(error) => vec![Problem::UnreadableRevision(error.to_string()).finding()],
    }
}

/// The document `pdf[..end]` describes (the revision ending at `end`, with every update before it
/// applied).
pub struct PdfView<'a> {
    document: Document<'a>,
}

/// A font or an XObject a page's resources name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceView {
    /// The resource name, e.g. `F1` or `Im1`.
    pub name: String,
    /// /Subtype: `Type0`, `Type1`, `Image`, `Form`, ...
    pub subtype: String,
    /// /BaseFont for a font, empty otherwise.
    pub base_font: String,
    /// SHA-256 over the resource and everything it refers to, streams decoded where possible and
    /// references replaced by what they point to: equal for equal content whatever the object
    /// numbers or the compression.
    pub digest: [u8; 32],
}

/// One page.
#[derive(Clone, Debug, PartialEq)]
pub struct PageView {
    /// The page dictionary's keys, sorted.
    pub keys: Vec<String>,
    /// How many content streams /Contents names.
    pub content_streams: usize,
    /// The content streams decoded and joined with a newline (as a viewer reads them).
    pub content: Vec<u8>,
    /// Why (part of) the content could not be decoded, when it could not.
    pub content_error: Option<String>,
    /// The /Font resources, by name.
    pub fonts: Vec<ResourceView>,
    /// The /XObject resources, by name.
    pub xobjects: Vec<ResourceView>,
    /// Resource categories other than /Font, /XObject and /ProcSet (e.g. /ExtGState, /Pattern), by
    /// category and name.
    pub other_resources: Vec<String>,
    /// The /Subtype of each annotation (/Widget for form fields and signatures).
    pub annotations: Vec<String>,
    /// SHA-256 over the page dictionary's values other than /Contents, /Resources, /Annots and
    /// /Parent (the media box, rotation, ...), computed like [`ResourceView::digest`].
    pub attributes_digest: [u8; 32],
}

impl<'a> PdfView<'a> {
    /// Loads the document `pdf[..end]` describes; `end` is normally one of [`revision_ends`].
    pub fn load(pdf: &'a [u8], end: usize) -> Result<Self> {
        Ok(PdfView {
            document: Document::load(pdf, end)?,
        })
    }

    /// The catalog's keys, sorted.
    pub fn catalog_keys(&self) -> Result<Vec<String>> {
        Ok(self
            .document
            .catalog()?
            .keys()
            .map(|key| name(key))
            .collect())
    }

    /// A digest of the catalog entry `key` and everything it refers to (see
    /// [`ResourceView::digest`]); `None` when the catalog has no such entry.
    pub fn catalog_digest(&self, key: &str) -> Result<Option<[u8; 32]>> {
        let catalog = self.document.catalog()?;
        Ok(catalog
            .get(key.as_bytes())
            .map(|value| Digester::new(&self.document).digest(value)))
    }

    /// The number of pages.
    pub fn page_count(&self) -> Result<usize> {
        Ok(self.document.pages()?.len())
    }

    /// Every page, in order.
    pub fn pages(&self) -> Result<Vec<PageView>> {
        let document = &self.document;
        let mut digester = Digester::new(document);
        let mut pages = Vec::new();
        for id in document.pages()? {
            let dict = document
                .resolve_dict(&Object::Reference(id))?
                .unwrap_or_default();
            let (content_streams, content, content_error) = self.content(&dict);
            let resources = document
                .page_attribute(id, b"Resources")?
                .and_then(|value| document.resolve_dict(&value).ok().flatten())
                .unwrap_or_default();
            let mut fonts = Vec::new();
            let mut xobjects = Vec::new();
            let mut other_resources = Vec::new();
            for (category, value) in resources.iter() {
                let entries = document
                    .resolve_dict(value)
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                match category.as_slice() {
                    b"Font" | b"XObject" => {
                        for (resource, value) in entries.iter() {
                            let resolved = document
                                .resolve_dict(value)
                                .ok()
                                .flatten()
                                .unwrap_or_default();
                            let view = ResourceView {
                                name: name(resource),
                                subtype: resolved.name(b"Subtype").map(name).unwrap_or_default(),
                                base_font: resolved.name(b"BaseFont").map(name).unwrap_or_default(),
                                digest: digester.digest(value),
                            };
                            if category == b"Font" {
                                fonts.push(view);
                            } else {
                                xobjects.push(view);
                            }
                        }
                    }
                    b"ProcSet" => {}
                    _ => other_resources.extend(
                        entries
                            .keys()
                            .map(|resource| format!("{}/{}", name(category), name(resource))),
                    ),
                }
            }
            let annotations = dict
                .get(b"Annots")
                .and_then(|value| document.resolve(value).ok())
                .map(|value| {
                    value
                        .as_array()
                        .unwrap_or(&[])
                        .iter()
                        .map(|annotation| {
                            document
                                .resolve_dict(annotation)
                                .ok()
                                .flatten()
                                .and_then(|dict| dict.name(b"Subtype").map(name))
                                .unwrap_or_default()
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut attributes = dict.clone();
            for key in [b"Contents".as_slice(), b"Resources", b"Annots", b"Parent"] {
                attributes.0.remove(key);
            }
            pages.push(PageView {
                keys: dict.keys().map(|key| name(key)).collect(),
                content_streams,
                content,
                content_error,
                fonts,
                xobjects,
                other_resources,
                annotations,
                attributes_digest: digester.digest(&Object::Dictionary(attributes)),
            });
        }
        Ok(pages)
    }

    /// The raw (still encoded) bytes of the XObject `resource` of page `page` (0-based), when it is
    /// a stream: for an image with /DCTDecode, the JPEG file.
    pub fn xobject_data(&self, page: usize, resource: &str) -> Result<Option<Vec<u8>>> {
        let document = &self.document;
        let Some(&id) = document.pages()?.get(page) else {
            return Ok(None);
        };
        let Some(resources) = document
            .page_attribute(id, b"Resources")?
            .and_then(|value| document.resolve_dict(&value).ok().flatten())
        else {
            return Ok(None);
        };
        let Some(xobjects) = resources
            .get(b"XObject")
            .and_then(|value| document.resolve_dict(value).ok().flatten())
        else {
            return Ok(None);
        };
        Ok(match xobjects.get(resource.as_bytes()) {
            Some(value) => match document.resolve(value)? {
                Object::Stream(stream) => Some(stream.data),
                _ => None,
            },
            None => None,
        })
    }

    /// Every stream stored at a file offset that is compressed with /FlateDecode alone (no
    /// predictor): what it inflates to, and its raw bytes. A stream that does not inflate is left
    /// out.
    pub fn flate_streams(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        let document = &self.document;
        let mut out = Vec::new();
        for (&number, entry) in &document.entries {
            let XrefEntry::InUse { generation, .. } = *entry else {
                continue;
            };
            let Ok(Object::Stream(stream)) = document.get((number, generation)) else {
                continue;
            };
            if stream.dict.name(b"Filter") != Some(b"FlateDecode".as_slice())
                || stream.dict.get(b"DecodeParms").is_some()
            {
                continue;
            }
            if let Ok(decoded) = decode_stream(&stream) {
                out.push((decoded, stream.data));
            }
        }
        out
    }

    fn content(&self, page: &Dictionary) -> (usize, Vec<u8>, Option<String>) {
        let document = &self.document;
        let streams: Vec<Object> = match page
            .get(b"Contents")
            .map(|value| match value {
                Object::Reference(_) => document.resolve(value),
                other => Ok(other.clone()),
            })
            .transpose()
        {
            Ok(None) => Vec::new(),
            Ok(Some(Object::Array(items))) => items,
            Ok(Some(other)) => vec![other],
            Err(error) => return (0, Vec::new(), Some(error.to_string())),
        };
        let mut content = Vec::new();
        let mut error = None;
        for (index, stream) in streams.iter().enumerate() {
            if index > 0 {
                content.push(b'\n');
            }
            match document.resolve(stream) {
                Ok(Object::Stream(stream)) => match decode_stream(&stream) {
                    Ok(decoded) => content.extend(decoded),
                    Err(problem) => error = Some(problem.to_string()),
                },
                Ok(_) => error = Some("a content stream is not a stream".to_owned()),
                Err(problem) => error = Some(problem.to_string()),
            }
        }
        (streams.len(), content, error)
    }
}

/// Digests of objects with references followed, bounded, memoised by object id.
struct Digester<'d, 'a> {
    document: &'d Document<'a>,
    known: HashMap<ObjectId, [u8; 32]>,
    visiting: HashSet<ObjectId>,
    visited: usize,
}

impl<'d, 'a> Digester<'d, 'a> {
    fn new(document: &'d Document<'a>) -> Self {
        Digester {
            document,
            known: HashMap::new(),
            visiting: HashSet::new(),
            visited: 0,
        }
    }

    fn digest(&mut self, object: &Object) -> [u8; 32] {
        let mut hasher = Sha256::new();
        self.feed(&mut hasher, object);
        hasher.finalize().into()
    }

    fn feed(&mut self, hasher: &mut Sha256, object: &Object) {
        match object {
            Object::Null => hasher.update(b"n"),
            Object::Bool(value) => hasher.update(if *value { b"t" } else { b"f" }),
            Object::Integer(value) => {
                hasher.update(b"i");
                hasher.update(value.to_be_bytes());
            }
            Object::Real(value) => {
                hasher.update(b"r");
                hasher.update(value.to_be_bytes());
            }
            Object::String(bytes) | Object::Name(bytes) => {
                hasher.update(if matches!(object, Object::Name(_)) {
                    b"/"
                } else {
                    b"("
                });
                hasher.update((bytes.len() as u64).to_be_bytes());
                hasher.update(bytes);
            }
            Object::Array(items) => {
                hasher.update(b"[");
                hasher.update((items.len() as u64).to_be_bytes());
                for item in items {
                    self.feed(hasher, item);
                }
            }
            Object::Dictionary(dict) => self.feed_dict(hasher, dict, &[]),
            Object::Stream(stream) => {
                hasher.update(b"s");
                // What a reader decodes counts, not how it is compressed: /Filter, /DecodeParms
                // and /Length are left out when the data decodes.
                match decode_stream(stream) {
                    Ok(decoded) => {
                        self.feed_dict(
                            hasher,
                            &stream.dict,
                            &[b"Filter", b"DecodeParms", b"Length"],
                        );
                        hasher.update((decoded.len() as u64).to_be_bytes());
                        hasher.update(&decoded);
                    }
                    Err(_) => {
                        self.feed_dict(hasher, &stream.dict, &[b"Length"]);
                        hasher.update((stream.data.len() as u64).to_be_bytes());
                        hasher.update(&stream.data);
                    }
                }
            }
            Object::Reference(id) => {
                let digest = self.reference(*id);
                hasher.update(b"R");
                hasher.update(digest);
            }
        }
    }

    fn feed_dict(&mut self, hasher: &mut Sha256, dict: &Dictionary, skip: &[&[u8]]) {
        hasher.update(b"<");
        for (key, value) in dict.iter() {
            // /Parent leads back up the page tree: not part of a resource's content.
            if key == b"Parent" || skip.contains(&key.as_slice()) {
                continue;
            }
            hasher.update((key.len() as u64).to_be_bytes());
            hasher.update(key);
            self.feed(hasher, value);
        }
        hasher.update(b">");
    }

    fn reference(&mut self, id: ObjectId) -> [u8; 32] {
        if let Some(known) = self.known.get(&id) {
            return *known;
        }
        self.visited += 1;
        if self.visited > MAX_DIGEST_OBJECTS || !self.visiting.insert(id) {
            // A cycle or a hostile graph: stands for itself.
            let mut hasher = Sha256::new();
            hasher.update(b"cycle");
            return hasher.finalize().into();
        }
        let object = self.document.get(id).unwrap_or(Object::Null);
        let digest = self.digest(&object);
        self.visiting.remove(&id);
        self.known.insert(id, digest);
        digest
    }
}

fn name(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
