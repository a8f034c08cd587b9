//! The envelope of a message between the page and the report worker, the same both ways:
//! `{ id, json, bytes, key }` — the job or reply as JSON, byte buffers transferred (moved, not
//! copied) next to it, and an optional WebCrypto key (state/jobs.rs describes the contents).

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::CryptoKey;

/// A decoded message (its id: [`id`]).
pub struct Envelope {
    /// The job or reply as JSON.
    pub json: String,
    /// The byte buffers.
    pub bytes: Vec<Vec<u8>>,
    /// A WebCrypto key.
    pub key: Option<CryptoKey>,
}

/// The message object and its transfer list.
pub fn encode(id: f64, json: &str, bytes: &[Vec<u8>], key: Option<&CryptoKey>) -> (Object, Array) {
    let message = Object::new();
    let buffers = Array::new();
    let transfer = Array::new();
    for item in bytes {
        let array = Uint8Array::new_with_length(item.len() as u32);
        array.copy_from(item);
        transfer.push(&array.buffer());
        buffers.push(&array);
    }
    let _ = Reflect::set(&message, &"id".into(), &JsValue::from_f64(id));
    let _ = Reflect::set(&message, &"json".into(), &JsValue::from_str(json));
    let _ = Reflect::set(&message, &"bytes".into(), &buffers);
    if let Some(key) = key {
        let _ = Reflect::set(&message, &"key".into(), key);
    }
    (message, transfer)
}

/// The message id (the job's, echoed by its replies); `None` for other messages.
pub fn id(message: &JsValue) -> Option<f64> {
    Reflect::get(message, &"id".into())
        .ok()
        .and_then(|v| v.as_f64())
}

/// The JSON of a message, without copying its buffers.
pub fn json(message: &JsValue) -> String {
    Reflect::get(message, &"json".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Reads a message; missing parts are empty.
pub fn decode(message: &JsValue) -> Envelope {
    let json = json(message);
    let bytes = Reflect::get(message, &"bytes".into())
        .ok()
        .filter(Array::is_array)
        .map(|v| {
            Array::from(&v)
                .iter()
                .map(|item| Uint8Array::new(&item).to_vec())
                .collect()
        })
        .unwrap_or_default();
    let key = Reflect::get(message, &"key".into())
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
        .map(|v| v.unchecked_into::<CryptoKey>());
    Envelope { json, bytes, key }
}
