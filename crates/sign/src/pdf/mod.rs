//! Reading and appending to PDF files: our own small parser, so that the verifier knows exactly
//! which bytes each revision holds and never panics on hostile input.

pub(crate) mod document;
pub(crate) mod filter;
pub(crate) mod object;
pub(crate) mod parse;
pub(crate) mod write;

pub(crate) use document::{Document, XrefEntry, revision_ends};
pub(crate) use object::{
    Dictionary, Object, ObjectId, Stream, decode_text_string, encode_text_string,
};
