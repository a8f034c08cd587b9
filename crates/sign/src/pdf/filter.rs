//! Stream decoding: FlateDecode with PNG and TIFF predictors is what xref streams, object streams
//! and embedded files use in practice.

use super::object::{Dictionary, Object, Stream};
use crate::error::{Result, pdf_error};
use crate::limits::MAX_DECODED_BYTES;

/// Decodes a stream's data according to its /Filter and /DecodeParms, each filter's output held
/// to [`MAX_DECODED_BYTES`].
pub(crate) fn decode_stream(stream: &Stream) -> Result<Vec<u8>> {
    decode_stream_within(stream, MAX_DECODED_BYTES)
}

/// [`decode_stream`] with another bound (tests reach it with a small one).
pub(crate) fn decode_stream_within(stream: &Stream, max_decoded: usize) -> Result<Vec<u8>> {
    let filters: Vec<&[u8]> = match stream.dict.get(b"Filter") {
        None => Vec::new(),
        Some(Object::Name(name)) => vec![name.as_slice()],
        Some(Object::Array(items)) => items
            .iter()
            .map(|item| match item {
                Object::Name(name) => Ok(name.as_slice()),
                _ => Err(pdf_error("stream filter is not a name")),
            })
            .collect::<Result<_>>()?,
        Some(_) => return Err(pdf_error("stream filter is not a name")),
    };
    let params: Vec<Option<&Dictionary>> = match stream.dict.get(b"DecodeParms") {
        Some(Object::Dictionary(dict)) => vec![Some(dict)],
        Some(Object::Array(items)) => items.iter().map(|item| item.as_dict()).collect(),
        _ => Vec::new(),
    };
    let mut data = stream.data.clone();
    for (index, filter) in filters.iter().enumerate() {
        data = match *filter {
            b"FlateDecode" | b"Fl" => {
                let inflated =
                    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&data, max_decoded)
                        .map_err(|error| match error.status {
                            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => pdf_error(format!(
                                "a stream decodes to more than {max_decoded} bytes (limits::MAX_DECODED_BYTES)"
                            )),
                    _ => pdf_error("corrupt deflate stream"),
                })?;
                match params.get(index).copied().flatten() {
                    Some(params) => unpredict(inflated, params)?,
                    None => inflated,
                }
            }
            other => {
                return Err(pdf_error(format!(
                    "unsupported stream filter /{}",
                    String::from_utf8_lossy(other)
                )));
            }
        };
    }
    Ok(data)
}

/// Undoes a PNG (predictor >= 10) or TIFF (2) predictor.
fn unpredict(data: Vec<u8>, params: &Dictionary) -> Result<Vec<u8>> {
    let predictor = params
        .get(b"Predictor")
        .and_then(Object::as_i64)
        .unwrap_or(1);
    if predictor == 1 {
        return Ok(data);
    }
    let colors = params.get(b"Colors").and_then(Object::as_i64).unwrap_or(1);
    let bits = params
        .get(b"BitsPerComponent")
        .and_then(Object::as_i64)
        .unwrap_or(8);
    let columns = params.get(b"Columns").and_then(Object::as_i64).unwrap_or(1);
    if !(1..=32).contains(&colors)
        || !matches!(bits, 1 | 2 | 4 | 8 | 16)
        || !(1..=1 << 20).contains(&columns)
    {
        return Err(pdf_error("bad predictor parameters"));
    }
    let bytes_per_pixel = ((colors * bits + 7) / 8) as usize;
    let row_length = ((colors * bits * columns + 7) / 8) as usize;
    if predictor == 2 {
        if bits != 8 {
            return Err(pdf_error("unsupported tiff predictor depth"));
        }
        let mut out = data;
        for row in out.chunks_mut(row_length) {
            for index in bytes_per_pixel..row.len() {
                row[index] = row[index].wrapping_add(row[index - bytes_per_pixel]);
            }
        }
        return Ok(out);
    }
    if predictor < 10 {
        return Err(pdf_error("unsupported predictor"));
    }
    let mut out = Vec::with_capacity(data.len());
    let mut previous = vec![0u8; row_length];
    for chunk in data.chunks(row_length + 1) {
        let (&kind, encoded) = chunk
            .split_first()
            .ok_or_else(|| pdf_error("empty predictor row"))?;
        let mut row = encoded.to_vec();
        row.resize(row_length, 0);
        for index in 0..row_length {
            let left = if index >= bytes_per_pixel {
                row[index - bytes_per_pixel]
            } else {
                0
            };
            let up = previous[index];
            let up_left = if index >= bytes_per_pixel {
                previous[index - bytes_per_pixel]
            } else {
                0
            };
            let predicted = match kind {
                0 => 0,
                1 => left,
                2 => up,
                3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
                4 => paeth(left, up, up_left),
                _ => return Err(pdf_error("bad png predictor row type")),
            };
            row[index] = row[index].wrapping_add(predicted);
        }
        out.extend_from_slice(&row[..encoded.len().min(row_length)]);
        previous = row;
    }
    Ok(out)
}

fn paeth(left: u8, up: u8, up_left: u8) -> u8 {
    let estimate = i16::from(left) + i16::from(up) - i16::from(up_left);
    let distance_left = (estimate - i16::from(left)).abs();
    let distance_up = (estimate - i16::from(up)).abs();
    let distance_up_left = (estimate - i16::from(up_left)).abs();
    if distance_left <= distance_up && distance_left <= distance_up_left {
        left
    } else if distance_up <= distance_up_left {
        up
    } else {
        up_left
    }
}
