//! The PDF object model: just enough to read signatures, page trees and forms, and to write the
//! objects of an incremental update.

use std::collections::BTreeMap;

/// An object number and generation.
pub(crate) type ObjectId = (u32, u16);

/// A PDF object. Streams keep their raw (still encoded) bytes.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Object {
    Null,
    Bool(bool),
    Integer(i64),
    Real(f64),
    String(Vec<u8>),
    Name(Vec<u8>),
    Array(Vec<Object>),
    Dictionary(Dictionary),
    Stream(Stream),
    Reference(ObjectId),
}

/// A dictionary; key order carries no meaning in PDF, so a sorted map makes comparison simple.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Dictionary(pub(crate) BTreeMap<Vec<u8>, Object>);

/// A stream: its dictionary and its raw bytes as stored in the file.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Stream {
    pub(crate) dict: Dictionary,
    pub(crate) data: Vec<u8>,
}

impl Dictionary {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn get(&self, key: &[u8]) -> Option<&Object> {
        self.0.get(key)
    }

    pub(crate) fn set(&mut self, key: &[u8], value: Object) {
        self.0.insert(key.to_vec(), value);
    }

    /// The name stored under `key`, if it is a name.
    pub(crate) fn name(&self, key: &[u8]) -> Option<&[u8]> {
        match self.get(key) {
            Some(Object::Name(name)) => Some(name),
            _ => None,
        }
    }

    /// Whether `key` holds the name `value`.
    pub(crate) fn has_name(&self, key: &[u8], value: &[u8]) -> bool {
        self.name(key) == Some(value)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&Vec<u8>, &Object)> {
        self.0.iter()
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &Vec<u8>> {
        self.0.keys()
    }
}

impl Object {
    pub(crate) fn as_dict(&self) -> Option<&Dictionary> {
        match self {
            Object::Dictionary(dict) => Some(dict),
            Object::Stream(stream) => Some(&stream.dict),
            _ => None,
        }
    }

    pub(crate) fn as_array(&self) -> Option<&[Object]> {
        match self {
            Object::Array(items) => Some(items),
            _ => None,
        }
    }

    pub(crate) fn as_i64(&self) -> Option<i64> {
        match self {
            Object::Integer(value) => Some(*value),
            _ => None,
        }
    }

    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Object::Integer(value) => Some(*value as f64),
            Object::Real(value) => Some(*value),
            _ => None,
        }
    }

    pub(crate) fn as_reference(&self) -> Option<ObjectId> {
        match self {
            Object::Reference(id) => Some(*id),
            _ => None,
        }
    }

    pub(crate) fn as_string(&self) -> Option<&[u8]> {
        match self {
            Object::String(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// Every reference directly or indirectly inside this object (not following references).
    pub(crate) fn collect_references(&self, out: &mut Vec<ObjectId>) {
        match self {
            Object::Reference(id) => out.push(*id),
            Object::Array(items) => items.iter().for_each(|item| item.collect_references(out)),
            Object::Dictionary(dict) => dict
                .0
                .values()
                .for_each(|value| value.collect_references(out)),
            Object::Stream(stream) => stream
                .dict
                .0
                .values()
                .for_each(|value| value.collect_references(out)),
            _ => {}
        }
    }
}

/// Decodes a PDF text string (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding treated as
/// Latin-1, which agrees with it on every printable ASCII character).
pub(crate) fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|pair| u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&byte| byte as char).collect()
}

/// Encodes a text string: plain bytes when ASCII, otherwise UTF-16BE with a byte order mark.
pub(crate) fn encode_text_string(text: &str) -> Vec<u8> {
    if text.is_ascii() {
        return text.as_bytes().to_vec();
    }
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    bytes
}
