//! Embedded files (/Names /EmbeddedFiles and /AF): their bytes, and whether each lies entirely
//! inside bytes covered by a valid signature. What the files mean is the caller's business.

use std::collections::HashSet;

use serde::Serialize;

use crate::error::{Error, Result, pdf_error};
use crate::findings::Verdict;
use crate::limits::MAX_NAME_TREE_NODES;
use crate::pdf::filter::decode_stream;
use crate::pdf::{Dictionary, Document, Object, ObjectId, decode_text_string, revision_ends};
use crate::verify::{TrustList, VerificationReport, verify};

/// A file embedded in the PDF.
#[derive(Clone, Debug, Serialize)]
pub struct EmbeddedFile {
    /// The file name (/UF, else /F).
    pub name: String,
    /// The description (/Desc), if any.
    pub description: Option<String>,
    /// The MIME type (/Subtype of the embedded file stream), if given.
    pub mime_type: Option<String>,
    /// The PDF/A-3 relationship (/AFRelationship), e.g. `Data` or `Source`.
    pub relationship: Option<String>,
    /// The decoded bytes (not serialised).
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// The number of decoded bytes.
    pub size: usize,
    /// Whether the file's stream lies entirely inside bytes covered by a valid signature.
    pub signed: bool,
    /// Indices (into the verification report's signatures) of the valid signatures covering it.
    pub signed_by: Vec<usize>,
}

/// Lists the embedded files of `pdf` with their bytes and whether a valid signature covers them.
///
/// This verifies `pdf` first; a caller that has verified it already should pass that report to
/// [`embedded_files_with`] instead of verifying twice.
pub fn embedded_files(pdf: &[u8]) -> Result<Vec<EmbeddedFile>> {
    embedded_files_with(pdf, &verify(pdf, &TrustList::new()))
}

/// [`embedded_files`] with the report [`verify`] returned for these same bytes (any trust list:
/// trust does not change which signatures are valid). A report made for bytes of another length
/// is refused with [`Error::InvalidArgument`]; passing the report of other bytes of the same
/// length is the caller's mistake and gives wrong `signed` flags.
pub fn embedded_files_with(pdf: &[u8], report: &VerificationReport) -> Result<Vec<EmbeddedFile>> {
    if report.document_length != pdf.len() {
        return Err(Error::InvalidArgument(format!(
            "the verification report is for {} bytes, not these {}",
            report.document_length,
            pdf.len()
        )));
    }
    let end = *revision_ends(pdf)
        .last()
        .ok_or_else(|| pdf_error("no %%EOF after a startxref"))?;
    let document = Document::load(pdf, end)?;
    let catalog = document.catalog()?;

    let mut specs: Vec<Object> = Vec::new();
    if let Some(names) = catalog
        .get(b"Names")
        .and_then(|names| document.resolve_dict(names).ok().flatten())
        && let Some(tree) = names.get(b"EmbeddedFiles")
    {
        collect_name_tree(&document, tree, &mut specs)?;
    }
    if let Some(Object::Array(items)) = catalog
        .get(b"AF")
        .map(|af| document.resolve(af))
        .transpose()?
    {
        specs.extend(items);
    }

    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut files = Vec::new();
    for spec in specs {
        let Some(spec_dict) = document.resolve_dict(&spec)? else {
            continue;
        };
        let Some(stream_id) = embedded_stream_id(&document, &spec_dict)? else {
            continue;
        };
        if !seen.insert(stream_id) {
            continue;
        }
        let Object::Stream(stream) = document.get(stream_id)? else {
            return Err(pdf_error(format!(
                "embedded file {} is not a stream",
                stream_id.0
            )));
        };
        let bytes = decode_stream(&stream)?;
        let text = |key: &[u8]| {
            spec_dict
                .get(key)
                .and_then(Object::as_string)
                .map(decode_text_string)
        };
        let span = document.object_span(stream_id.0);
        let signed_by: Vec<usize> = report
            .signatures
            .iter()
            .enumerate()
            // An unregistered signer's signature is intact: the bytes are signed, by someone the
            // trust list does not know (that is the document's verdict, not the data's).
            .filter(|(_, signature)| {
                matches!(signature.verdict, Verdict::Valid | Verdict::Unregistered)
            })
            .filter(|(_, signature)| {
                let (Some(ranges), Some((start, end))) = (signature.covered(), span) else {
                    return false;
                };
                ranges
                    .iter()
                    .any(|&(range_start, range_end)| start >= range_start && end <= range_end)
            })
            .map(|(index, _)| index)
            .collect();
        files.push(EmbeddedFile {
            name: text(b"UF").or_else(|| text(b"F")).unwrap_or_default(),
            description: text(b"Desc"),
            mime_type: stream
                .dict
                .name(b"Subtype")
                .map(|name| String::from_utf8_lossy(name).into_owned()),
            relationship: spec_dict
                .name(b"AFRelationship")
                .map(|name| String::from_utf8_lossy(name).into_owned()),
            size: bytes.len(),
            bytes,
            signed: !signed_by.is_empty(),
            signed_by,
        });
    }
    Ok(files)
}

fn embedded_stream_id(document: &Document<'_>, spec: &Dictionary) -> Result<Option<ObjectId>> {
    let Some(files) = spec
        .get(b"EF")
        .map(|ef| document.resolve_dict(ef))
        .transpose()?
        .flatten()
    else {
        return Ok(None);
    };
    Ok(files
        .get(b"UF")
        .or_else(|| files.get(b"F"))
        .and_then(Object::as_reference))
}

/// Collects the values of a name tree (`/Names [key value ...]` and `/Kids`), bounded.
pub(crate) fn collect_name_tree(
    document: &Document<'_>,
    root: &Object,
    out: &mut Vec<Object>,
) -> Result<()> {
    let mut stack = vec![root.clone()];
    let mut visited = 0;
    while let Some(node) = stack.pop() {
        visited += 1;
        if visited > MAX_NAME_TREE_NODES {
            return Err(pdf_error(format!(
                "the embedded files name tree has more than {MAX_NAME_TREE_NODES} nodes (limits::MAX_NAME_TREE_NODES)"
            )));
        }
        let Some(dict) = document.resolve_dict(&node)? else {
            continue;
        };
        if let Some(Object::Array(names)) = dict
            .get(b"Names")
            .map(|names| document.resolve(names))
            .transpose()?
        {
            out.extend(names.chunks(2).filter_map(|pair| pair.get(1).cloned()));
        }
        if let Some(Object::Array(kids)) = dict
            .get(b"Kids")
            .map(|kids| document.resolve(kids))
            .transpose()?
        {
            stack.extend(kids);
        }
    }
    Ok(())
}
