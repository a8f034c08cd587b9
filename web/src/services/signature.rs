//! Signature pixels: strokes painted on the pad's canvas and rendered to a PNG for the report.
//! Both paint the same [`Segment`]s (state/signature.rs) with the same widths, so the PNG looks
//! like what the signer saw.

// No page uses the pad yet: drop this allow when one does, so anything left unused shows up.

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, CanvasRenderingContext2d, ImageEncodeOptions, OffscreenCanvas,
    OffscreenCanvasRenderingContext2d,
};

use crate::services::db::browser_words;
use crate::state::signature::{Frame, Segment, Strokes};

/// The ink: black, on the transparent canvas the PDF's signature box shows through.
const INK: &str = "#000000";

/// The drawing calls both 2D contexts (on screen and offscreen) share.
pub trait Surface {
    /// Paints `segment` of the pad placed at `frame`.
    fn draw_segment(&self, frame: &Frame, segment: &Segment);
    /// Erases the whole surface.
    fn clear(&self, width: f64, height: f64);
}

macro_rules! surface {
    ($context:ty) => {
        impl Surface for $context {
            fn draw_segment(&self, frame: &Frame, segment: &Segment) {
                let width = frame.line_width(segment.pressure());
                let (from_x, from_y) = frame.to_pixels(segment.from);
                self.begin_path();
                if segment.is_dot() {
                    // A tap: a filled disc, since a zero-length line draws nothing in some
                    // browsers even with round caps.
                    self.set_fill_style_str(INK);
                    let _ = self.arc(from_x, from_y, width / 2.0, 0.0, std::f64::consts::TAU);
                    self.fill();
                    return;
                }
                let (to_x, to_y) = frame.to_pixels(segment.to);
                self.set_stroke_style_str(INK);
                self.set_line_width(width);
                self.set_line_cap("round");
                self.set_line_join("round");
                self.move_to(from_x, from_y);
                match segment.control {
                    Some(control) => {
                        let (control_x, control_y) = frame.to_pixels(control);
                        self.quadratic_curve_to(control_x, control_y, to_x, to_y);
                    }
                    None => self.line_to(to_x, to_y),
                }
                self.stroke();
            }

            fn clear(&self, width: f64, height: f64) {
                self.clear_rect(0.0, 0.0, width, height);
            }
        }
    };
}

surface!(CanvasRenderingContext2d);
surface!(OffscreenCanvasRenderingContext2d);

/// Paints `segments` of the pad placed at `frame`.
pub fn draw(surface: &impl Surface, frame: &Frame, segments: &[Segment]) {
    for segment in segments {
        surface.draw_segment(frame, segment);
    }
}

/// The signature as a `width` × `height` PNG: black strokes on transparent, the pad as large as
/// fits and centred (so a box of another shape never distorts it).
pub async fn render_png(strokes: &Strokes, width: u32, height: u32) -> Result<Vec<u8>, String> {
    let canvas =
        OffscreenCanvas::new(width.max(1), height.max(1)).map_err(|e| browser_words(&e))?;
    let context: OffscreenCanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(|e| browser_words(&e))?
        .ok_or("no 2d canvas")?
        .dyn_into()
        .map_err(|_| "no 2d canvas")?;
    let frame = Frame::fit(f64::from(width), f64::from(height));
    let segments: Vec<Segment> = strokes
        .0
        .iter()
        .flat_map(|stroke| stroke.segments())
        .collect();
    draw(&context, &frame, &segments);
    let options = ImageEncodeOptions::new();
    options.set_type("image/png");
    let promise = canvas
        .convert_to_blob_with_options(&options)
        .map_err(|e| browser_words(&e))?;
    let blob: Blob = JsFuture::from(promise)
        .await
        .map_err(|e| browser_words(&e))?
        .dyn_into()
        .map_err(|_| "not a blob")?;
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|e| browser_words(&e))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
