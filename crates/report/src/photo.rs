//! Photos: a JPEG whose long edge is within the print limit is embedded as it is (its bytes become
//! a /DCTDecode image, no re-encode); a larger JPEG is decoded, downscaled and re-encoded once; a PNG
//! is decoded, flattened onto white and stored as Flate-compressed pixels. The EXIF orientation of a
//! phone photo is honoured when the image is placed, so passed-through bytes still show upright.

use std::borrow::Cow;
use std::io::Cursor;

/// Largest pixel count decoded (about a 60-megapixel photo); larger images are refused.
const MAX_DECODED_PIXELS: u64 = 60_000_000;

/// How the image's bytes are stored in the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Filter {
    /// JPEG bytes (/DCTDecode).
    Dct,
    /// zlib-compressed 8-bit pixels (/FlateDecode).
    Flate,
}

/// A photo ready to embed. A photo passed through borrows its bytes from where they are (the
/// bundle, the render options, the report being proven): a 200-photo report held them twice
/// before, once in the bundle and once here (issue 18).
#[derive(Debug, Clone)]
pub(crate) struct Prepared<'a> {
    /// Stored pixels (before orientation).
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// 1 (grey), 3 (RGB) or 4 (CMYK).
    pub(crate) components: u8,
    /// An Adobe CMYK JPEG stores inverted values.
    pub(crate) inverted_cmyk: bool,
    pub(crate) filter: Filter,
    pub(crate) data: Cow<'a, [u8]>,
    /// EXIF orientation 1–8.
    pub(crate) orientation: u8,
    /// The original bytes are embedded unchanged.
    pub(crate) passthrough: bool,
    /// The SHA-256 of `data`, when already known (a re-render for a proof checked it).
    pub(crate) sha256: Option<zicha_core::hash::Sha256>,
}

impl Prepared<'_> {
    /// The same image, borrowing this one's bytes.
    pub(crate) fn borrowed(&self) -> Prepared<'_> {
        Prepared {
            data: Cow::Borrowed(&self.data),
            ..*self
        }
    }

    /// Width and height as displayed (after orientation).
    pub(crate) fn display_size(&self) -> (u32, u32) {
        if self.orientation >= 5 {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }

    /// The PDF matrix that maps the image's unit square onto the box at (`x`, `y`) (bottom left,
    /// points) of `w` × `h` points, honouring the orientation.
    pub(crate) fn matrix(&self, x: f32, y: f32, w: f32, h: f32) -> [f32; 6] {
        match self.orientation {
            2 => [-w, 0.0, 0.0, h, x + w, y],
            3 => [-w, 0.0, 0.0, -h, x + w, y + h],
            4 => [w, 0.0, 0.0, -h, x, y + h],
            5 => [0.0, -h, -w, 0.0, x + w, y + h],
            6 => [0.0, -h, w, 0.0, x, y + h],
            7 => [0.0, h, w, 0.0, x, y],
            8 => [0.0, h, -w, 0.0, x + w, y],
            _ => [w, 0.0, 0.0, h, x, y],
        }
    }
}

/// What the JPEG header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct JpegInfo {
    width: u32,
    height: u32,
    components: u8,
    precision: u8,
    adobe: bool,
    orientation: u8,
}

/// [`prepare`] of bytes the result keeps: a photo passed through owns `bytes` without a copy.
pub(crate) fn prepare_owned(bytes: Vec<u8>, max_px: u32) -> Result<Prepared<'static>, String> {
    let prepared = prepare(&bytes, max_px)?;
    let converted = match prepared.data {
        Cow::Owned(data) => Some(data),
        Cow::Borrowed(_) => None,
    };
    Ok(Prepared {
        width: prepared.width,
        height: prepared.height,
        components: prepared.components,
        inverted_cmyk: prepared.inverted_cmyk,
        filter: prepared.filter,
        orientation: prepared.orientation,
        passthrough: prepared.passthrough,
        sha256: prepared.sha256,
        data: Cow::Owned(converted.unwrap_or(bytes)),
    })
}

/// Prepares `bytes` (JPEG or PNG) so that its long edge is at most `max_px` pixels.
pub(crate) fn prepare(bytes: &[u8], max_px: u32) -> Result<Prepared<'_>, String> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let info = jpeg_info(bytes)?;
        let fits = info.width.max(info.height) <= max_px;
        if fits && info.precision == 8 && matches!(info.components, 1 | 3 | 4) {
            return Ok(Prepared {
                width: info.width,
                height: info.height,
                components: info.components,
                inverted_cmyk: info.components == 4 && info.adobe,
                filter: Filter::Dct,
                data: Cow::Borrowed(bytes),
                orientation: info.orientation,
                passthrough: true,
                sha256: None,
            });
        }
        let (pixels, width, height, components) = decode_jpeg(bytes, &info)?;
        let (pixels, width, height) = downscale(&pixels, width, height, components, max_px);
        let data = encode_jpeg(&pixels, width, height, components)?;
        return Ok(Prepared {
            width,
            height,
            components,
            inverted_cmyk: false,
            filter: Filter::Dct,
            data: Cow::Owned(data),
            orientation: info.orientation,
            passthrough: false,
            sha256: None,
        });
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let (pixels, width, height, components) = decode_png(bytes)?;
        let (pixels, width, height) = downscale(&pixels, width, height, components, max_px);
        let data = miniz_oxide::deflate::compress_to_vec_zlib(&pixels, 6);
        return Ok(Prepared {
            width,
            height,
            components,
            inverted_cmyk: false,
            filter: Filter::Flate,
            data: Cow::Owned(data),
            orientation: 1,
            passthrough: false,
            sha256: None,
        });
    }
    Err("not a JPEG or PNG image (WebP and others are not supported in the report)".to_owned())
}

fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]))
}

/// Reads the frame header (size, components, precision), the Adobe marker and the EXIF
/// orientation, stopping at the first scan.
fn jpeg_info(bytes: &[u8]) -> Result<JpegInfo, String> {
    let broken = || "the JPEG header is damaged".to_owned();
    let mut info = JpegInfo {
        width: 0,
        height: 0,
        components: 0,
        precision: 0,
        adobe: false,
        orientation: 1,
    };
    let mut at = 2;
    loop {
        if *bytes.get(at).ok_or_else(broken)? != 0xFF {
            return Err(broken());
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let marker = *bytes.get(at).ok_or_else(broken)?;
        at += 1;
        if marker == 0x01 || (0xD0..=0xD8).contains(&marker) {
            continue;
        }
        let length = usize::from(be16(bytes, at).ok_or_else(broken)?);
        let segment = bytes.get(at + 2..at + length).ok_or_else(broken)?;
        match marker {
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                info.precision = *segment.first().ok_or_else(broken)?;
                info.height = u32::from(be16(segment, 1).ok_or_else(broken)?);
                info.width = u32::from(be16(segment, 3).ok_or_else(broken)?);
                info.components = *segment.get(5).ok_or_else(broken)?;
                if !(0xC0..=0xC2).contains(&marker) {
                    return Err("the JPEG uses a coding process PDF readers do not support (lossless, hierarchical or arithmetic)".to_owned());
                }
            }
            0xE1 if segment.starts_with(b"Exif\0\0") => {
                info.orientation = exif_orientation(&segment[6..]).unwrap_or(1);
            }
            0xEE if segment.starts_with(b"Adobe") => info.adobe = true,
            0xDA | 0xD9 => break,
            _ => {}
        }
        at += length;
    }
    if info.width == 0 || info.height == 0 || info.components == 0 {
        return Err("the JPEG has no usable frame header".to_owned());
    }
    Ok(info)
}

/// The orientation tag (0x0112) of IFD0 in a TIFF structure.
fn exif_orientation(tiff: &[u8]) -> Option<u8> {
    let little = match tiff.get(..4)? {
        b"II*\0" => true,
        b"MM\0*" => false,
        _ => return None,
    };
    let u16_at = |at: usize| {
        let b = [*tiff.get(at)?, *tiff.get(at + 1)?];
        Some(if little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    };
    let u32_at = |at: usize| {
        let b = [
            *tiff.get(at)?,
            *tiff.get(at + 1)?,
            *tiff.get(at + 2)?,
            *tiff.get(at + 3)?,
        ];
        Some(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    let ifd = u32_at(4)? as usize;
    let entries = usize::from(u16_at(ifd)?);
    (0..entries.min(64)).find_map(|idx| {
        let entry = ifd + 2 + idx * 12;
        (u16_at(entry)? == 0x0112)
            .then(|| u16_at(entry + 8))
            .flatten()
            .filter(|value| (1..=8).contains(value))
            .map(|value| value as u8)
    })
}

fn check_size(width: u32, height: u32) -> Result<(), String> {
    if u64::from(width) * u64::from(height) > MAX_DECODED_PIXELS {
        return Err(format!(
            "the image is {width} × {height} pixels, more than the {MAX_DECODED_PIXELS} pixels the report decodes"
        ));
    }
    Ok(())
}

/// Decodes a JPEG to 8-bit grey or RGB pixels.
fn decode_jpeg(bytes: &[u8], info: &JpegInfo) -> Result<(Vec<u8>, u32, u32, u8), String> {
    check_size(info.width, info.height)?;
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    let pixels = decoder
        .decode()
        .map_err(|error| format!("the JPEG cannot be decoded: {error}"))?;
    let decoded = decoder.info().ok_or("the JPEG cannot be decoded")?;
    let (width, height) = (u32::from(decoded.width), u32::from(decoded.height));
    Ok(match decoded.pixel_format {
        jpeg_decoder::PixelFormat::L8 => (pixels, width, height, 1),
        jpeg_decoder::PixelFormat::L16 => (
            pixels.chunks_exact(2).map(|p| p[0]).collect(),
            width,
            height,
            1,
        ),
        jpeg_decoder::PixelFormat::RGB24 => (pixels, width, height, 3),
        jpeg_decoder::PixelFormat::CMYK32 => {
            let rgb = pixels
                .chunks_exact(4)
                .flat_map(|p| {
                    // jpeg-decoder returns CMYK as stored; Adobe files store it inverted.
                    let k = 255 - u32::from(p[3]);
                    [p[0], p[1], p[2]].map(|c| (255 - u32::from(c)) * k / 255)
                })
                .map(|v| 255 - v as u8)
                .collect();
            (rgb, width, height, 3)
        }
    })
}

fn encode_jpeg(pixels: &[u8], width: u32, height: u32, components: u8) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let color = if components == 1 {
        jpeg_encoder::ColorType::Luma
    } else {
        jpeg_encoder::ColorType::Rgb
    };
    jpeg_encoder::Encoder::new(&mut out, 85)
        .encode(pixels, width as u16, height as u16, color)
        .map_err(|error| format!("the downscaled photo cannot be encoded: {error}"))?;
    Ok(out)
}

/// Decodes a PNG to 8-bit grey or RGB pixels, flattening transparency onto white.
fn decode_png(bytes: &[u8]) -> Result<(Vec<u8>, u32, u32, u8), String> {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder
        .read_info()
        .map_err(|error| format!("the PNG cannot be read: {error}"))?;
    let (width, height) = (reader.info().width, reader.info().height);
    check_size(width, height)?;
    let mut buffer = vec![0; reader.output_buffer_size()];
    let frame = reader
        .next_frame(&mut buffer)
        .map_err(|error| format!("the PNG cannot be decoded: {error}"))?;
    buffer.truncate(frame.buffer_size());
    let over_white = |value: u8, alpha: u8| {
        let (v, a) = (u32::from(value), u32::from(alpha));
        ((v * a + 255 * (255 - a)) / 255) as u8
    };
    Ok(match frame.color_type {
        png::ColorType::Grayscale => (buffer, width, height, 1),
        png::ColorType::GrayscaleAlpha => (
            buffer
                .chunks_exact(2)
                .map(|p| over_white(p[0], p[1]))
                .collect(),
            width,
            height,
            1,
        ),
        png::ColorType::Rgb => (buffer, width, height, 3),
        png::ColorType::Rgba => (
            buffer
                .chunks_exact(4)
                .flat_map(|p| {
                    [
                        over_white(p[0], p[3]),
                        over_white(p[1], p[3]),
                        over_white(p[2], p[3]),
                    ]
                })
                .collect(),
            width,
            height,
            3,
        ),
        png::ColorType::Indexed => return Err("the PNG palette was not expanded".to_owned()),
    })
}

/// Shrinks pixels so that the long edge is at most `max_px`, averaging each source area (a box
/// filter: no aliasing for the large ratios of phone photos).
fn downscale(
    pixels: &[u8],
    width: u32,
    height: u32,
    components: u8,
    max_px: u32,
) -> (Vec<u8>, u32, u32) {
    let long = width.max(height);
    if long <= max_px || max_px == 0 {
        return (pixels.to_vec(), width, height);
    }
    let scale = f64::from(max_px) / f64::from(long);
    let new_w = ((f64::from(width) * scale).round() as u32).max(1);
    let new_h = ((f64::from(height) * scale).round() as u32).max(1);
    let n = usize::from(components);
    let (w, h) = (width as usize, height as usize);
    let mut out = Vec::with_capacity(new_w as usize * new_h as usize * n);
    let mut sums = vec![0u64; n];
    for oy in 0..new_h as usize {
        let y0 = oy * h / new_h as usize;
        let y1 = ((oy + 1) * h / new_h as usize).max(y0 + 1);
        for ox in 0..new_w as usize {
            let x0 = ox * w / new_w as usize;
            let x1 = ((ox + 1) * w / new_w as usize).max(x0 + 1);
            sums.iter_mut().for_each(|s| *s = 0);
            for y in y0..y1 {
                let row = &pixels[(y * w + x0) * n..(y * w + x1) * n];
                for px in row.chunks_exact(n) {
                    for (sum, value) in sums.iter_mut().zip(px) {
                        *sum += u64::from(*value);
                    }
                }
            }
            let count = ((y1 - y0) * (x1 - x0)) as u64;
            out.extend(sums.iter().map(|sum| (sum / count) as u8));
        }
    }
    (out, new_w, new_h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u16, height: u16) -> Vec<u8> {
        let pixels: Vec<u8> = (0..usize::from(width) * usize::from(height))
            .flat_map(|i| [(i % 251) as u8, (i % 13 * 19) as u8, 128])
            .collect();
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, 80)
            .encode(&pixels, width, height, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        out
    }

    #[test]
    fn small_jpeg_passes_through() {
        let bytes = jpeg(64, 48);
        let prepared = prepare(&bytes, 100).unwrap();
        assert!(prepared.passthrough);
        assert_eq!(prepared.data, bytes);
        assert!(
            matches!(prepared.data, Cow::Borrowed(_)),
            "no copy of the photo"
        );
        let owned = prepare_owned(bytes.clone(), 100).unwrap();
        assert_eq!(owned.data, bytes);
        let large = prepare_owned(jpeg(300, 100), 120).unwrap();
        assert_eq!((large.width, large.passthrough), (120, false));
        assert_eq!(
            (prepared.width, prepared.height, prepared.components),
            (64, 48, 3)
        );
    }

    #[test]
    fn large_jpeg_is_downscaled() {
        let bytes = jpeg(300, 100);
        let prepared = prepare(&bytes, 120).unwrap();
        assert!(!prepared.passthrough);
        assert_eq!((prepared.width, prepared.height), (120, 40));
        assert_eq!(jpeg_info(&prepared.data).unwrap().width, 120);
    }

    #[test]
    fn png_becomes_pixels() {
        let mut bytes = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut bytes, 2, 1);
            encoder.set_color(png::ColorType::Rgba);
            let mut writer = encoder.write_header().unwrap();
            writer
                .write_image_data(&[255, 0, 0, 255, 0, 0, 0, 0])
                .unwrap();
        }
        let prepared = prepare(&bytes, 100).unwrap();
        assert_eq!(prepared.filter, Filter::Flate);
        let pixels = miniz_oxide::inflate::decompress_to_vec_zlib(&prepared.data).unwrap();
        // The transparent pixel is white.
        assert_eq!(pixels, [255, 0, 0, 255, 255, 255]);
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(prepare(b"RIFF....WEBP", 100).is_err());
        assert!(prepare(&[0xFF, 0xD8, 0xFF], 100).is_err());
    }

    #[test]
    fn exif_orientation_is_read() {
        // Big-endian TIFF, IFD0 at 8 with one entry: orientation (SHORT) = 6.
        let tiff = [
            b'M', b'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0,
        ];
        assert_eq!(exif_orientation(&tiff), Some(6));
    }
}
