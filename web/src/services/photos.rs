//! Photos: decode in the browser, downscale to at most 2000 px on the longest side, encode as
//! JPEG (which also drops EXIF data such as the location), hash the bytes and store the Blob.
//! The hash is the browser's (WebCrypto SHA-256), the same digest as `zicha_core::hash::Sha256::of`
//! (tested in the browser suite: a photo's name in an exported bundle is its SHA-256): the shell
//! then links no SHA-256 code of its own (about 3 KB gzip).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, ImageBitmap, ImageEncodeOptions, OffscreenCanvas, OffscreenCanvasRenderingContext2d,
};
use zicha_core::hash::Sha256;

use crate::services::db::{self, StorageError};
use crate::state::photo::{MAX_SIDE, fit_within};

/// JPEG quality: small files, still readable for a regulator.
const QUALITY: f64 = 0.85;

/// Downscales and stores an image file; returns its hash.
pub async fn add(file: &Blob) -> Result<Sha256, StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError("no window".into()))?;
    let bitmap: ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(file)?)
        .await?
        .dyn_into()
        .map_err(|_| StorageError("not an image".into()))?;
    let (width, height) = fit_within(bitmap.width(), bitmap.height(), MAX_SIDE);
    let canvas = OffscreenCanvas::new(width, height)?;
    let context: OffscreenCanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or_else(|| StorageError("no 2d canvas".into()))?
        .dyn_into()
        .map_err(|_| StorageError("no 2d canvas".into()))?;
    context.draw_image_with_image_bitmap_and_dw_and_dh(
        &bitmap,
        0.0,
        0.0,
        f64::from(width),
        f64::from(height),
    )?;
    bitmap.close();
    let options = ImageEncodeOptions::new();
    options.set_type("image/jpeg");
    options.set_quality(QUALITY);
    let blob: Blob = JsFuture::from(canvas.convert_to_blob_with_options(&options)?)
        .await?
        .dyn_into()
        .map_err(|value: JsValue| StorageError::from(value))?;
    let bytes = db::blob_bytes(&blob).await?;
    let hash = sha256(&window, &bytes).await?;
    db::put_photo(&hash, &blob).await?;
    Ok(hash)
}

/// SHA-256 of `bytes` by WebCrypto.
async fn sha256(window: &web_sys::Window, bytes: &[u8]) -> Result<Sha256, StorageError> {
    let subtle = window.crypto()?.subtle();
    let digest = JsFuture::from(subtle.digest_with_str_and_u8_array("SHA-256", bytes)?).await?;
    let digest = js_sys::Uint8Array::new(&digest).to_vec();
    let digest: [u8; 32] = digest
        .try_into()
        .map_err(|_| StorageError("SHA-256 digest is not 32 bytes".into()))?;
    Ok(Sha256(digest))
}
