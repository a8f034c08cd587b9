//! A handwritten signature pad: finger, mouse or pen on a canvas of fixed aspect ratio. The
//! strokes are kept as normalised points (state/signature.rs), so when the phone rotates or the
//! window resizes the canvas gets a new backing store and everything is repainted from them.
//!
//! All visible text arrives through props; the parent stores the strokes it gets from
//! `on_change` (once per finished stroke) and hands them back as `strokes`.

// No page uses the pad yet: drop this allow when one does, so anything left unused shows up.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{CanvasRenderingContext2d, DomRect, HtmlCanvasElement, PointerEvent, ResizeObserver};
use yew::prelude::*;

use crate::services::signature::{self, Surface};
use crate::state::signature::{DEFAULT_PRESSURE, Frame, Pad, Point, Segment, Strokes};

/// Props of [`SignaturePad`].
#[derive(Properties, PartialEq)]
pub struct SignaturePadProps {
    /// Id of the `<figure>`; the canvas, hint and clear button get `-canvas`, `-hint`, `-clear`.
    pub id: AttrValue,
    /// Who signs, e.g. "检查人签名": the caption and the canvas's accessible name.
    pub label: AttrValue,
    /// Text of the clear button.
    pub clear_label: AttrValue,
    /// Shown over the empty pad, e.g. "请在此处签名".
    pub empty_hint: AttrValue,
    /// The signature so far.
    pub strokes: Strokes,
    /// Called with all strokes after each finished stroke, and with none after "clear".
    pub on_change: Callback<Strokes>,
}

/// The signature pad.
#[function_component(SignaturePad)]
pub fn signature_pad(props: &SignaturePadProps) -> Html {
    let canvas_ref = use_node_ref();
    // Shared with the resize listeners, which live as long as the component: not Yew state,
    // since painting must not wait for a render.
    let pad = use_mut_ref(|| Pad::new(props.strokes.clone()));
    // The pointer drawing now; other pointers (a second finger, the palm) are ignored meanwhile.
    let pointer = use_mut_ref(|| None::<i32>);
    let inked = use_state_eq(|| !props.strokes.is_empty());

    // Strokes from the parent (loaded from storage, cleared elsewhere): show them. Runs only when
    // the prop changes, so a render with the old strokes never wipes a newer stroke.
    {
        let canvas_ref = canvas_ref.clone();
        let pad = pad.clone();
        let inked = inked.clone();
        use_effect_with(props.strokes.clone(), move |strokes| {
            let changed = {
                let mut pad = pad.borrow_mut();
                let changed = pad.strokes() != strokes;
                if changed {
                    pad.load(strokes.clone());
                }
                changed
            };
            if changed {
                let is_empty = pad.borrow().is_empty();
                if let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() {
                    repaint(&canvas, &pad.borrow());
                }
                inked.set(!is_empty);
            }
        });
    }

    // The backing store follows the element's size (ResizeObserver) and the device pixel ratio
    // (window resize, orientation change); each change repaints from the normalised points.
    {
        let canvas_ref = canvas_ref.clone();
        let pad = pad.clone();
        use_effect_with((), move |_| {
            let on_resize = {
                let canvas_ref = canvas_ref.clone();
                let pad = pad.clone();
                Closure::<dyn Fn()>::new(move || resize(&canvas_ref, &pad))
            };
            let callback: &js_sys::Function = on_resize.as_ref().unchecked_ref();
            let observer = ResizeObserver::new(callback).ok();
            if let (Some(observer), Some(canvas)) =
                (&observer, canvas_ref.cast::<HtmlCanvasElement>())
            {
                observer.observe(&canvas);
            }
            let window = web_sys::window();
            if let Some(window) = &window {
                for event in WINDOW_EVENTS {
                    let _ = window.add_event_listener_with_callback(event, callback);
                }
            }
            resize(&canvas_ref, &pad);
            move || {
                if let Some(observer) = observer {
                    observer.disconnect();
                }
                if let Some(window) = window {
                    let callback: &js_sys::Function = on_resize.as_ref().unchecked_ref();
                    for event in WINDOW_EVENTS {
                        let _ = window.remove_event_listener_with_callback(event, callback);
                    }
                }
                drop(on_resize);
            }
        });
    }

    let onpointerdown = {
        let canvas_ref = canvas_ref.clone();
        let pad = pad.clone();
        let pointer = pointer.clone();
        let inked = inked.clone();
        Callback::from(move |event: PointerEvent| {
            // Primary button only (not a right click or a pen's eraser), one pointer at a time.
            if event.button() != 0 || pointer.borrow().is_some() {
                return;
            }
            let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() else {
                return;
            };
            let Some(point) = event_point(&canvas.get_bounding_client_rect(), &event) else {
                return;
            };
            // No text selection, drag image or emulated mouse events while signing.
            event.prevent_default();
            // Moves outside the canvas still belong to this stroke (clamped to the pad's edge).
            let _ = canvas.set_pointer_capture(event.pointer_id());
            *pointer.borrow_mut() = Some(event.pointer_id());
            let segments = pad.borrow_mut().begin(point);
            paint(&canvas, &segments);
            inked.set(true);
        })
    };

    let onpointermove = {
        let canvas_ref = canvas_ref.clone();
        let pad = pad.clone();
        let pointer = pointer.clone();
        Callback::from(move |event: PointerEvent| {
            if *pointer.borrow() != Some(event.pointer_id()) {
                return;
            }
            let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() else {
                return;
            };
            let rect = canvas.get_bounding_client_rect();
            let segments: Vec<Segment> = {
                let mut pad = pad.borrow_mut();
                samples(&event)
                    .iter()
                    .filter_map(|sample| event_point(&rect, sample))
                    .filter_map(|point| pad.push_point(point))
                    .collect()
            };
            paint(&canvas, &segments);
        })
    };

    // pointerup, pointercancel (the browser took the pointer over) and lostpointercapture all end
    // the stroke and keep it: what the signer saw drawn stays.
    let on_finish = {
        let canvas_ref = canvas_ref.clone();
        let pad = pad.clone();
        let pointer = pointer.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |event: PointerEvent| {
            if *pointer.borrow() != Some(event.pointer_id()) {
                return;
            }
            *pointer.borrow_mut() = None;
            let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() else {
                return;
            };
            // The pen-up position is the last move's, and its pressure is 0 (nothing pressed):
            // only the moves carry points.
            let finished = {
                let mut pad = pad.borrow_mut();
                pad.end().map(|segments| (segments, pad.strokes().clone()))
            };
            // The pad is not borrowed any more: `emit` may render the parent and this component
            // at once, and their effects read the pad.
            if let Some((segments, strokes)) = finished {
                paint(&canvas, &segments);
                on_change.emit(strokes);
            }
        })
    };

    let onclick_clear = {
        let canvas_ref = canvas_ref.clone();
        let pad = pad.clone();
        let pointer = pointer.clone();
        let inked = inked.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |_: MouseEvent| {
            pad.borrow_mut().clear();
            *pointer.borrow_mut() = None;
            if let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() {
                repaint(&canvas, &pad.borrow());
            }
            inked.set(false);
            on_change.emit(Strokes::default());
        })
    };

    let canvas_id = format!("{}-canvas", props.id);
    let hint_id = format!("{}-hint", props.id);
    let caption_id = format!("{}-label", props.id);
    let clear_id = format!("{}-clear", props.id);
    let is_empty = !*inked;
    html! {
        <figure id={props.id.clone()} class="signature-pad" data-empty={is_empty.to_string()}>
            <figcaption id={caption_id.clone()} class="signature-pad-label">{ props.label.clone() }</figcaption>
            <div class="signature-pad-surface">
                <canvas ref={canvas_ref} id={canvas_id} class="signature-pad-canvas" role="img"
                    aria-label={props.label.clone()}
                    aria-describedby={is_empty.then(|| hint_id.clone())}
                    tabindex="0"
                    {onpointerdown} {onpointermove}
                    onpointerup={on_finish.clone()} onpointercancel={on_finish.clone()}
                    onlostpointercapture={on_finish} />
                if is_empty {
                    <p id={hint_id} class="signature-pad-hint">{ props.empty_hint.clone() }</p>
                }
            </div>
            <div class="signature-pad-actions">
                <button type="button" id={clear_id} class="button signature-pad-clear"
                    aria-describedby={caption_id} onclick={onclick_clear}>
                    { props.clear_label.clone() }
                </button>
            </div>
        </figure>
    }
}

/// Window events after which the device pixel ratio or the layout may have changed.
const WINDOW_EVENTS: [&str; 2] = ["resize", "orientationchange"];

/// Gives the canvas one backing pixel per device pixel of its current size and repaints it
/// (setting the size erases the canvas). Nothing happens while it is not laid out (hidden).
fn resize(canvas_ref: &NodeRef, pad: &Rc<RefCell<Pad>>) {
    let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() else {
        return;
    };
    let ratio = web_sys::window()
        .map(|window| window.device_pixel_ratio())
        .filter(|ratio| ratio.is_finite() && *ratio > 0.0)
        .unwrap_or(1.0);
    let rect = canvas.get_bounding_client_rect();
    let width = (rect.width() * ratio).round();
    let height = (rect.height() * ratio).round();
    if width < 1.0 || height < 1.0 {
        return;
    }
    let (width, height) = (width as u32, height as u32);
    if canvas.width() != width || canvas.height() != height {
        canvas.set_width(width);
        canvas.set_height(height);
    }
    repaint(&canvas, &pad.borrow());
}

/// The canvas's 2D context.
fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// The pad placed in the canvas's backing store (device pixels).
fn backing_frame(canvas: &HtmlCanvasElement) -> Frame {
    Frame::fit(f64::from(canvas.width()), f64::from(canvas.height()))
}

/// Paints new segments over what is there.
fn paint(canvas: &HtmlCanvasElement, segments: &[Segment]) {
    if segments.is_empty() {
        return;
    }
    if let Some(context) = context(canvas) {
        signature::draw(&context, &backing_frame(canvas), segments);
    }
}

/// Erases the canvas and paints the whole pad.
fn repaint(canvas: &HtmlCanvasElement, pad: &Pad) {
    if let Some(context) = context(canvas) {
        context.clear(f64::from(canvas.width()), f64::from(canvas.height()));
        signature::draw(&context, &backing_frame(canvas), &pad.segments());
    }
}

/// The samples of a pointermove: all positions the browser merged into it (getCoalescedEvents,
/// for smooth fast strokes) or, where that is missing, the event itself.
fn samples(event: &PointerEvent) -> Vec<PointerEvent> {
    let supported = js_sys::Reflect::get(event, &"getCoalescedEvents".into())
        .is_ok_and(|method| method.is_function());
    if supported {
        let coalesced: Vec<PointerEvent> = event
            .get_coalesced_events()
            .iter()
            .filter_map(|sample| sample.dyn_into().ok())
            .collect();
        if !coalesced.is_empty() {
            return coalesced;
        }
    }
    vec![event.clone()]
}

/// The pad point under the pointer; `rect` is the canvas's box in CSS pixels.
fn event_point(rect: &DomRect, event: &PointerEvent) -> Option<Point> {
    let (x, y) = client_position(event);
    // Mice report no pressure worth the name (0.5 while pressed, by the spec).
    let pressure = if event.pointer_type() == "mouse" {
        DEFAULT_PRESSURE
    } else {
        event.pressure()
    };
    Frame::fit(rect.width(), rect.height()).to_point(x - rect.left(), y - rect.top(), pressure)
}

/// The pointer's position in CSS pixels. Read as numbers because pens and high-density touch
/// screens report fractions of a pixel, which web-sys's stable `client_x` rounds away.
fn client_position(event: &PointerEvent) -> (f64, f64) {
    let read = |name: &str, whole: i32| {
        js_sys::Reflect::get(event, &name.into())
            .ok()
            .and_then(|value| value.as_f64())
            .unwrap_or(f64::from(whole))
    };
    (
        read("clientX", event.client_x()),
        read("clientY", event.client_y()),
    )
}
