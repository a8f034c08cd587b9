//! Serialising objects and appending an incremental update (objects, cross-reference section,
//! trailer). The bytes before the update are never touched.

use std::io::Write as _;

use super::document::Document;
use super::object::{Dictionary, Object, ObjectId};
use super::parse::{is_delimiter, is_whitespace};

pub(crate) fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Bool(value) => out.extend_from_slice(if *value { b"true" } else { b"false" }),
        Object::Integer(value) => {
            let _ = write!(out, "{value}");
        }
        Object::Real(value) => write_real(out, *value),
        Object::String(bytes) => write_string(out, bytes),
        Object::Name(name) => write_name(out, name),
        Object::Array(items) => {
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dictionary(out, dict),
        Object::Stream(stream) => {
            let mut dict = stream.dict.clone();
            dict.set(b"Length", Object::Integer(stream.data.len() as i64));
            write_dictionary(out, &dict);
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(&stream.data);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference((number, generation)) => {
            let _ = write!(out, "{number} {generation} R");
        }
    }
}

fn write_real(out: &mut Vec<u8>, value: f64) {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        let _ = write!(out, "{}", value as i64);
    } else {
        let text = format!("{value:.6}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        out.extend_from_slice(text.as_bytes());
    }
}

pub(crate) fn write_dictionary(out: &mut Vec<u8>, dict: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        write_name(out, key);
        out.push(b' ');
        write_object(out, value);
    }
    out.extend_from_slice(b">>");
}

pub(crate) fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &byte in name {
        if byte == b'#'
            || is_whitespace(byte)
            || is_delimiter(byte)
            || !(b'!'..=b'~').contains(&byte)
        {
            let _ = write!(out, "#{byte:02X}");
        } else {
            out.push(byte);
        }
    }
}

pub(crate) fn write_string(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'(');
    for &byte in bytes {
        match byte {
            b'(' | b')' | b'\\' => {
                out.push(b'\\');
                out.push(byte);
            }
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\n' => out.extend_from_slice(b"\\n"),
            _ => out.push(byte),
        }
    }
    out.push(b')');
}

/// An object of an incremental update: its id and its serialised body (between `obj` and
/// `endobj`).
pub(crate) struct UpdateObject {
    pub(crate) id: ObjectId,
    pub(crate) body: Vec<u8>,
}

/// An incremental update: its bytes and where each object's body starts in the whole file.
pub(crate) struct Appended {
    pub(crate) bytes: Vec<u8>,
    pub(crate) body_offsets: Vec<usize>,
}

/// `objects` as one incremental update to `base` (whose newest revision `document` describes),
/// with a cross-reference section of the same kind as the previous one: the bytes to append (an
/// end of line first when `base` does not end with one) and where each object's body starts,
/// counted in the whole file. `base` is not copied: the caller writes it and then the update.
pub(crate) fn update(base: &[u8], document: &Document<'_>, objects: &[UpdateObject]) -> Appended {
    let start = base.len();
    let mut out = Vec::with_capacity(
        objects
            .iter()
            .map(|object| object.body.len() + 32)
            .sum::<usize>()
            + 512,
    );
    if !matches!(base.last(), Some(b'\n' | b'\r')) {
        out.push(b'\n');
    }
    let mut offsets: Vec<(u32, u16, usize)> = Vec::new();
    let mut body_offsets = Vec::new();
    for object in objects {
        offsets.push((object.id.0, object.id.1, start + out.len()));
        let _ = writeln!(out, "{} {} obj", object.id.0, object.id.1);
        body_offsets.push(start + out.len());
        out.extend_from_slice(&object.body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let mut size = objects
        .iter()
        .map(|object| object.id.0 + 1)
        .max()
        .unwrap_or(0)
        .max(document.size());

    let mut trailer = Dictionary::new();
    for key in [&b"Root"[..], b"Info", b"ID"] {
        if let Some(value) = document.trailer.get(key) {
            trailer.set(key, value.clone());
        }
    }
    trailer.set(b"Prev", Object::Integer(document.startxref as i64));

    let xref_offset = start + out.len();
    if document.xref_is_stream {
        // The xref stream is itself an object: the next free number.
        let stream_number = size;
        size += 1;
        offsets.push((stream_number, 0, xref_offset));
        offsets.sort_by_key(|entry| entry.0);
        let mut data = Vec::new();
        for &(_, generation, offset) in &offsets {
            data.push(1);
            data.extend_from_slice(&(offset as u32).to_be_bytes());
            data.extend_from_slice(&generation.to_be_bytes());
        }
        trailer.set(b"Type", Object::Name(b"XRef".to_vec()));
        trailer.set(b"Size", Object::Integer(i64::from(size)));
        trailer.set(
            b"W",
            Object::Array(vec![
                Object::Integer(1),
                Object::Integer(4),
                Object::Integer(2),
            ]),
        );
        trailer.set(
            b"Index",
            Object::Array(
                subsections(&offsets)
                    .flat_map(|(first, count)| {
                        [
                            Object::Integer(i64::from(first)),
                            Object::Integer(count as i64),
                        ]
                    })
                    .collect(),
            ),
        );
        trailer.set(b"Length", Object::Integer(data.len() as i64));
        let _ = writeln!(out, "{stream_number} 0 obj");
        write_dictionary(&mut out, &trailer);
        out.extend_from_slice(b"\nstream\n");
        out.extend_from_slice(&data);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    } else {
        offsets.sort_by_key(|entry| entry.0);
        out.extend_from_slice(b"xref\n");
        let mut index = 0;
        for (first, count) in subsections(&offsets).collect::<Vec<_>>() {
            let _ = writeln!(out, "{first} {count}");
            for &(_, generation, offset) in &offsets[index..index + count] {
                let _ = write!(out, "{offset:010} {generation:05} n\r\n");
            }
            index += count;
        }
        trailer.set(b"Size", Object::Integer(i64::from(size)));
        out.extend_from_slice(b"trailer\n");
        write_dictionary(&mut out, &trailer);
        out.push(b'\n');
    }
    let _ = write!(out, "startxref\n{xref_offset}\n%%EOF\n");
    Appended {
        bytes: out,
        body_offsets,
    }
}

/// Groups sorted `(number, ..)` entries into runs of consecutive numbers: `(first, count)`.
fn subsections(entries: &[(u32, u16, usize)]) -> impl Iterator<Item = (u32, usize)> + '_ {
    let mut index = 0;
    std::iter::from_fn(move || {
        let first = entries.get(index)?.0;
        let mut count = 1;
        while entries
            .get(index + count)
            .is_some_and(|entry| entry.0 == first + count as u32)
        {
            count += 1;
        }
        index += count;
        Some((first, count))
    })
}
