//! The report worker: the second wasm module of the app (`src/bin/zicha-worker.rs`), started by
//! the page on first need (services/worker.rs) and cached by the service worker for offline use.
//! It holds what the first screen does not need — zicha-report (printpdf), zicha-sign (PDF
//! signatures, the RustCrypto stack), zip, the QR encoder — so the app shell stays small and the
//! page stays responsive while a report renders or a pile of PDFs is verified.
//!
//! Protocol: state/jobs.rs. One job at a time per message id; progress is posted while a job runs
//! (the page shows it); cancelling terminates the worker (the page starts a fresh one).

mod crypto;
mod jobs;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::state::jobs::{Job, Reply, Stage};

/// Starts listening for jobs.
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        wasm_bindgen_futures::spawn_local(handle(event.data()));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Tell the page that jobs can be sent (messages sent earlier are queued by the browser anyway).
    let ready = Object::new();
    let _ = Reflect::set(&ready, &"ready".into(), &JsValue::TRUE);
    let _ = scope.post_message(&ready);
}

/// A job's input as it arrived.
pub(crate) struct Input {
    /// Byte buffers the job refers to by position.
    pub bytes: Vec<Vec<u8>>,
    /// A WebCrypto key, when the job signs with one.
    pub key: Option<web_sys::CryptoKey>,
}

/// A job's output.
pub(crate) struct Output {
    /// The answer.
    pub reply: Reply,
    /// Byte buffers the answer refers to by position.
    pub bytes: Vec<Vec<u8>>,
    /// A WebCrypto key to hand back (a new key).
    pub key: Option<web_sys::CryptoKey>,
}

impl Output {
    pub(crate) fn new(reply: Reply) -> Self {
        Output {
            reply,
            bytes: Vec::new(),
            key: None,
        }
    }

    pub(crate) fn with_bytes(reply: Reply, bytes: Vec<Vec<u8>>) -> Self {
        Output {
            reply,
            bytes,
            key: None,
        }
    }
}

/// Posts progress of the job `id`.
#[derive(Clone, Copy)]
pub(crate) struct Progress {
    id: f64,
}

impl Progress {
    pub(crate) fn report(self, stage: Stage, done: u32, total: u32) {
        post(
            self.id,
            &Reply::Progress { stage, done, total },
            Vec::new(),
            None,
        );
    }
}

async fn handle(message: JsValue) {
    let id = Reflect::get(&message, &"id".into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(-1.0);
    let json = Reflect::get(&message, &"json".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    let bytes = Reflect::get(&message, &"bytes".into())
        .ok()
        .filter(Array::is_array)
        .map(|v| {
            Array::from(&v)
                .iter()
                .map(|item| Uint8Array::new(&item).to_vec())
                .collect()
        })
        .unwrap_or_default();
    let key = Reflect::get(&message, &"key".into())
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
        .map(|v| v.unchecked_into::<web_sys::CryptoKey>());
    let job: Job = match serde_json::from_str(&json) {
        Ok(job) => job,
        Err(error) => {
            let reply = Reply::Failed {
                message: format!("not a job: {error}"),
            };
            post(id, &reply, Vec::new(), None);
            return;
        }
    };
    let progress = Progress { id };
    match jobs::run(job, Input { bytes, key }, progress).await {
        Ok(output) => post(id, &output.reply, output.bytes, output.key),
        Err(message) => post(id, &Reply::Failed { message }, Vec::new(), None),
    }
}

fn post(id: f64, reply: &Reply, bytes: Vec<Vec<u8>>, key: Option<web_sys::CryptoKey>) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let message = Object::new();
    let json = serde_json::to_string(reply).unwrap_or_else(|error| {
        format!(r#"{{"failed":{{"message":"cannot encode the reply: {error}"}}}}"#)
    });
    let buffers = Array::new();
    let transfer = Array::new();
    for item in &bytes {
        let array = Uint8Array::new_with_length(item.len() as u32);
        array.copy_from(item);
        transfer.push(&array.buffer());
        buffers.push(&array);
    }
    let _ = Reflect::set(&message, &"id".into(), &JsValue::from_f64(id));
    let _ = Reflect::set(&message, &"json".into(), &JsValue::from_str(&json));
    let _ = Reflect::set(&message, &"bytes".into(), &buffers);
    if let Some(key) = key {
        let _ = Reflect::set(&message, &"key".into(), &key);
    }
    if scope
        .post_message_with_transfer(&message, &transfer)
        .is_err()
    {
        let _ = scope.post_message(&message);
    }
}
