//! Photo geometry and file types (the pixels are handled in services/photos.rs).

/// The longest side of a stored photo, in pixels.
pub const MAX_SIDE: u32 = 2000;

/// The size to draw a `width` × `height` image at so that neither side exceeds `max`, keeping
/// the aspect ratio; images that fit are kept as they are.
pub fn fit_within(width: u32, height: u32, max: u32) -> (u32, u32) {
    if width <= max && height <= max {
        return (width.max(1), height.max(1));
    }
    let scale = f64::from(max) / f64::from(width.max(height));
    let scaled = |side: u32| ((f64::from(side) * scale).round() as u32).clamp(1, max);
    (scaled(width), scaled(height))
}

/// The bundle's file extension for a MIME type.
pub fn ext_for_mime(mime: &str) -> &'static str {
    match mime {
        "image/png" => "png",
        "image/webp" => "webp",
        _ => "jpg",
    }
}

/// The MIME type for a bundle's file extension.
pub fn mime_for_ext(ext: &str) -> &'static str {
    match ext.to_ascii_lowercase().as_str() {
        "png" => "image/png",
        "webp" => "image/webp",
        _ => "image/jpeg",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(width: u32, height: u32, expected: (u32, u32)) {
        assert_eq!(fit_within(width, height, MAX_SIDE), expected);
    }

    #[test]
    fn fits() {
        check(4000, 3000, (2000, 1500));
        check(3000, 4000, (1500, 2000));
        check(2000, 2000, (2000, 2000));
        check(640, 480, (640, 480));
        check(12000, 10, (2000, 2));
        check(0, 0, (1, 1));
    }

    #[test]
    fn types() {
        assert_eq!(ext_for_mime("image/jpeg"), "jpg");
        assert_eq!(ext_for_mime("image/png"), "png");
        assert_eq!(mime_for_ext("JPEG"), "image/jpeg");
        assert_eq!(mime_for_ext("webp"), "image/webp");
    }
}
