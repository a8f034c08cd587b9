//! A small, strict PDF object parser that never panics and remembers where the values of a
//! signature dictionary lie in the file (the ByteRange check needs the exact /Contents span).

use std::collections::BTreeMap;

use super::object::{Dictionary, Object, ObjectId, Stream};
use crate::error::{Result, pdf_error};
use crate::limits::MAX_OBJECT_DEPTH;

pub(crate) fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

pub(crate) fn is_delimiter(byte: u8) -> bool {
    matches!(
        byte,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(byte: u8) -> bool {
    !is_whitespace(byte) && !is_delimiter(byte)
}

/// Where the value of each top-level key of a dictionary lies: `(key, start, end)` in the bytes
/// being parsed.
pub(crate) type ValueSpans = Vec<(Vec<u8>, usize, usize)>;

/// An object parsed from `n g obj ... endobj`.
pub(crate) struct IndirectObject {
    pub(crate) id: ObjectId,
    pub(crate) object: Object,
    /// Spans of the top-level dictionary values (empty when the object is not a dictionary).
    pub(crate) spans: ValueSpans,
    /// Offset just after `endobj` (or after the stream, when `endobj` is missing).
    pub(crate) end: usize,
}

/// Resolves a stream's indirect /Length while parsing.
pub(crate) type LengthResolver<'r> = &'r dyn Fn(ObjectId) -> Option<i64>;

pub(crate) struct Parser<'a> {
    bytes: &'a [u8],
    pub(crate) pos: usize,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(bytes: &'a [u8], pos: usize) -> Self {
        Self { bytes, pos }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub(crate) fn skip_whitespace(&mut self) {
        while let Some(byte) = self.peek() {
            if is_whitespace(byte) {
                self.pos += 1;
            } else if byte == b'%' {
                while let Some(byte) = self.peek() {
                    if byte == b'\r' || byte == b'\n' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// Reads a run of regular characters (a keyword or a number) without consuming delimiters.
    pub(crate) fn regular_token(&mut self) -> &'a [u8] {
        self.skip_whitespace();
        let start = self.pos;
        while self.peek().is_some_and(is_regular) {
            self.pos += 1;
        }
        &self.bytes[start..self.pos]
    }

    pub(crate) fn expect_keyword(&mut self, keyword: &[u8]) -> Result<()> {
        let at = self.pos;
        let token = self.regular_token();
        if token == keyword {
            Ok(())
        } else {
            Err(pdf_error(format!(
                "expected `{}` at offset {at}",
                String::from_utf8_lossy(keyword)
            )))
        }
    }

    pub(crate) fn unsigned(&mut self) -> Result<u64> {
        let at = self.pos;
        let token = self.regular_token();
        parse_unsigned(token).ok_or_else(|| pdf_error(format!("expected a number at offset {at}")))
    }

    pub(crate) fn parse_object(&mut self) -> Result<Object> {
        self.parse_object_at_depth(0, None)
    }

    fn parse_object_at_depth(
        &mut self,
        depth: usize,
        spans: Option<&mut ValueSpans>,
    ) -> Result<Object> {
        if depth > MAX_OBJECT_DEPTH {
            return Err(pdf_error(format!(
                "objects nested deeper than {MAX_OBJECT_DEPTH} (limits::MAX_OBJECT_DEPTH) at offset {}",
                self.pos
            )));
        }
        self.skip_whitespace();
        let at = self.pos;
        let Some(byte) = self.peek() else {
            return Err(pdf_error("unexpected end of data"));
        };
        match byte {
            b'/' => {
                self.pos += 1;
                Ok(Object::Name(self.name_body()))
            }
            b'(' => self.literal_string().map(Object::String),
            b'<' if self.bytes.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                self.dictionary_body(depth, spans).map(Object::Dictionary)
            }
            b'<' => self.hex_string().map(Object::String),
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_whitespace();
                    match self.peek() {
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Object::Array(items));
                        }
                        None => {
                            return Err(pdf_error(format!("unterminated array at offset {at}")));
                        }
                        _ => items.push(self.parse_object_at_depth(depth + 1, None)?),
                    }
                }
            }
            _ if is_regular(byte) => {
                let token = self.regular_token();
                match token {
                    b"null" => Ok(Object::Null),
                    b"true" => Ok(Object::Bool(true)),
                    b"false" => Ok(Object::Bool(false)),
                    _ => self.number_or_reference(token, at),
                }
            }
            _ => Err(pdf_error(format!(
                "unexpected byte 0x{byte:02x} at offset {at}"
            ))),
        }
    }

    fn number_or_reference(&mut self, token: &[u8], at: usize) -> Result<Object> {
        if let Some(number) = parse_unsigned(token) {
            // `n g R` is a reference; look ahead without committing.
            let saved = self.pos;
            let generation = self.regular_token();
            if let Some(generation) = parse_unsigned(generation) {
                let keyword = self.regular_token();
                if keyword == b"R" {
                    let number = u32::try_from(number).map_err(|_| {
                        pdf_error(format!("object number too large at offset {at}"))
                    })?;
                    let generation = u16::try_from(generation)
                        .map_err(|_| pdf_error(format!("generation too large at offset {at}")))?;
                    return Ok(Object::Reference((number, generation)));
                }
            }
            self.pos = saved;
        }
        parse_number(token).ok_or_else(|| {
            pdf_error(format!(
                "unexpected token `{}` at offset {at}",
                String::from_utf8_lossy(&token[..token.len().min(32)])
            ))
        })
    }

    fn name_body(&mut self) -> Vec<u8> {
        let mut name = Vec::new();
        while let Some(byte) = self.peek() {
            if !is_regular(byte) {
                break;
            }
            self.pos += 1;
            if byte == b'#' {
                let high = self.bytes.get(self.pos).and_then(|&b| hex_value(b));
                let low = self.bytes.get(self.pos + 1).and_then(|&b| hex_value(b));
                if let (Some(high), Some(low)) = (high, low) {
                    name.push(high << 4 | low);
                    self.pos += 2;
                    continue;
                }
            }
            name.push(byte);
        }
        name
    }

    fn literal_string(&mut self) -> Result<Vec<u8>> {
        let at = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        let mut nesting = 1usize;
        loop {
            let Some(byte) = self.peek() else {
                return Err(pdf_error(format!("unterminated string at offset {at}")));
            };
            self.pos += 1;
            match byte {
                b'(' => {
                    nesting += 1;
                    out.push(byte);
                }
                b')' => {
                    nesting -= 1;
                    if nesting == 0 {
                        return Ok(out);
                    }
                    out.push(byte);
                }
                b'\\' => {
                    let Some(escaped) = self.peek() else {
                        return Err(pdf_error(format!("unterminated string at offset {at}")));
                    };
                    self.pos += 1;
                    match escaped {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut value = u32::from(escaped - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(digit @ b'0'..=b'7') => {
                                        value = value * 8 + u32::from(digit - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((value & 0xFF) as u8);
                        }
                        other => out.push(other),
                    }
                }
                b'\r' => {
                    // An end-of-line inside a string reads as a single line feed.
                    if self.peek() == Some(b'\n') {
                        self.pos += 1;
                    }
                    out.push(b'\n');
                }
                _ => out.push(byte),
            }
        }
    }

    fn hex_string(&mut self) -> Result<Vec<u8>> {
        let at = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        let mut pending: Option<u8> = None;
        loop {
            let Some(byte) = self.peek() else {
                return Err(pdf_error(format!("unterminated hex string at offset {at}")));
            };
            self.pos += 1;
            if byte == b'>' {
                if let Some(high) = pending {
                    out.push(high << 4);
                }
                return Ok(out);
            }
            if is_whitespace(byte) {
                continue;
            }
            let Some(value) = hex_value(byte) else {
                return Err(pdf_error(format!("bad hex digit in string at offset {at}")));
            };
            match pending.take() {
                Some(high) => out.push(high << 4 | value),
                None => pending = Some(value),
            }
        }
    }

    fn dictionary_body(
        &mut self,
        depth: usize,
        mut spans: Option<&mut ValueSpans>,
    ) -> Result<Dictionary> {
        let at = self.pos;
        let mut map = BTreeMap::new();
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(b'>') if self.bytes.get(self.pos + 1) == Some(&b'>') => {
                    self.pos += 2;
                    return Ok(Dictionary(map));
                }
                Some(b'/') => {
                    self.pos += 1;
                    let key = self.name_body();
                    self.skip_whitespace();
                    let value_start = self.pos;
                    let value = self.parse_object_at_depth(depth + 1, None)?;
                    if let Some(spans) = spans.as_deref_mut() {
                        spans.push((key.clone(), value_start, self.pos));
                    }
                    // A null value is the same as an absent key.
                    if value != Object::Null {
                        map.insert(key, value);
                    }
                }
                None => return Err(pdf_error(format!("unterminated dictionary at offset {at}"))),
                Some(_) => {
                    return Err(pdf_error(format!(
                        "expected a name in the dictionary at offset {}",
                        self.pos
                    )));
                }
            }
        }
    }

    /// Parses `n g obj <object> endobj` at the current position.
    pub(crate) fn indirect_object(
        &mut self,
        lengths: LengthResolver<'_>,
    ) -> Result<IndirectObject> {
        let at = self.pos;
        let number = self.unsigned()?;
        let generation = self.unsigned()?;
        self.expect_keyword(b"obj")?;
        let id = (
            u32::try_from(number)
                .map_err(|_| pdf_error(format!("object number too large at {at}")))?,
            u16::try_from(generation)
                .map_err(|_| pdf_error(format!("generation too large at {at}")))?,
        );
        let mut spans = ValueSpans::new();
        let object = self.parse_object_at_depth(0, Some(&mut spans))?;
        let saved = self.pos;
        let keyword = self.regular_token();
        if keyword == b"stream" {
            let Object::Dictionary(dict) = object else {
                return Err(pdf_error(format!(
                    "stream without a dictionary at offset {at}"
                )));
            };
            let data = self.stream_data(&dict, lengths, at)?;
            let after_stream = self.pos;
            let keyword = self.regular_token();
            let end = if keyword == b"endobj" {
                self.pos
            } else {
                after_stream
            };
            return Ok(IndirectObject {
                id,
                object: Object::Stream(Stream { dict, data }),
                spans,
                end,
            });
        }
        let end = if keyword == b"endobj" {
            self.pos
        } else {
            self.pos = saved;
            return Err(pdf_error(format!(
                "missing endobj for the object at offset {at}"
            )));
        };
        Ok(IndirectObject {
            id,
            object,
            spans,
            end,
        })
    }

    fn stream_data(
        &mut self,
        dict: &Dictionary,
        lengths: LengthResolver<'_>,
        at: usize,
    ) -> Result<Vec<u8>> {
        // After `stream` comes CRLF or LF (a lone CR is tolerated).
        match self.peek() {
            Some(b'\r') => {
                self.pos += 1;
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
            }
            Some(b'\n') => self.pos += 1,
            _ => {}
        }
        let start = self.pos;
        let length = match dict.get(b"Length") {
            Some(Object::Integer(length)) => Some(*length),
            Some(Object::Reference(id)) => lengths(*id),
            _ => None,
        };
        if let Some(length) = length.and_then(|length| usize::try_from(length).ok())
            && let Some(end) = start
                .checked_add(length)
                .filter(|&end| end <= self.bytes.len())
        {
            let mut probe = Parser::new(self.bytes, end);
            if probe.regular_token() == b"endstream" {
                self.pos = probe.pos;
                return Ok(self.bytes[start..end].to_vec());
            }
        }
        Err(pdf_error(format!(
            "stream length does not match its data at offset {at}"
        )))
    }
}

pub(crate) fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

pub(crate) fn parse_unsigned(token: &[u8]) -> Option<u64> {
    if token.is_empty() || token.len() > 19 || !token.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(token).ok()?.parse().ok()
}

fn parse_number(token: &[u8]) -> Option<Object> {
    let text = std::str::from_utf8(token).ok()?;
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    if body.is_empty()
        || !body
            .bytes()
            .all(|byte| byte.is_ascii_digit() || byte == b'.')
    {
        return None;
    }
    if !body.contains('.') {
        return text.parse::<i64>().ok().map(Object::Integer);
    }
    if body.matches('.').count() > 1 || body == "." {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    value.is_finite().then_some(Object::Real(value))
}

/// Finds `needle` in `haystack`, first occurrence at or after `from`.
pub(crate) fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from >= haystack.len() {
        return None;
    }
    memchr::memmem::find(&haystack[from..], needle).map(|position| position + from)
}

/// Finds the last occurrence of `needle` that starts before `before`.
pub(crate) fn rfind(haystack: &[u8], needle: &[u8], before: usize) -> Option<usize> {
    let end = before.min(haystack.len());
    if needle.is_empty() || end < needle.len() {
        return None;
    }
    memchr::memmem::rfind(&haystack[..end], needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, expected: Object) {
        let mut parser = Parser::new(input.as_bytes(), 0);
        assert_eq!(parser.parse_object().unwrap(), expected);
    }

    #[track_caller]
    fn check_error(input: &[u8]) {
        let mut parser = Parser::new(input, 0);
        assert!(
            parser.parse_object().is_err(),
            "{}",
            String::from_utf8_lossy(input)
        );
    }

    #[test]
    fn objects() {
        check("null", Object::Null);
        check("true", Object::Bool(true));
        check("-12", Object::Integer(-12));
        check("+.5", Object::Real(0.5));
        check("4.", Object::Real(4.0));
        check("/A#20B", Object::Name(b"A B".to_vec()));
        check("(a\\(b\\)\\101\\\n)", Object::String(b"a(b)A".to_vec()));
        check("(a(b)c)", Object::String(b"a(b)c".to_vec()));
        check("<41 42 4>", Object::String(vec![0x41, 0x42, 0x40]));
        check("12 0 R", Object::Reference((12, 0)));
        check(
            "[1 2 R 3]",
            Object::Array(vec![Object::Reference((1, 2)), Object::Integer(3)]),
        );
        check(
            "[1 2 3]",
            Object::Array(vec![
                Object::Integer(1),
                Object::Integer(2),
                Object::Integer(3),
            ]),
        );
    }

    #[test]
    fn broken_inputs_are_errors() {
        check_error(b"");
        check_error(b"(unterminated");
        check_error(b"<<");
        check_error(b"<< /A");
        check_error(b"[1 2");
        check_error(b"<zz>");
        check_error(b")");
        check_error(b"99999999999999999999");
        check_error(&[b'['; 200]);
    }
}
