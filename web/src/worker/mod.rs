//! The report worker: the second wasm module of the app (`src/bin/zicha-worker.rs`), started by
//! the page on first need (services/worker.rs) and cached by the service worker for offline use.
//! It holds what the first screen does not need — zicha-report (printpdf), zicha-sign (PDF
//! signatures, the RustCrypto stack), zip, the QR encoder — so the app shell stays small and the
//! page stays responsive while a report renders or a pile of PDFs is verified. Spreadsheets too
//! (zicha-sheet: calamine, rust_xlsxwriter, csv, encoding_rs; `sheets.rs`): importing a checklist,
//! the template, the 隐患台账 and 检查结果 as xlsx.
//!
//! The light verifier (`src/bin/zicha-verify.rs`, feature `verify`, `verifier.rs`) is the same
//! listener with one job, the first verdict on received reports without rendering them.
//!
//! Protocol: state/jobs.rs. One job at a time per message id; progress is posted while a job runs
//! (the page shows it); cancelling terminates the worker (the page starts a fresh one).

#[cfg(feature = "worker")]
mod crypto;
#[cfg(feature = "worker")]
mod inbox;
#[cfg(feature = "worker")]
mod jobs;
#[cfg(feature = "worker")]
mod sheets;
mod verifier;

use std::future::Future;
use std::pin::Pin;

use js_sys::{Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::services::envelope::{self, Envelope};
#[cfg(feature = "worker")]
use crate::state::jobs::{Job, Reply};
use crate::state::jobs::{Stage, VerifierReply};

/// What runs a job given as JSON: the report worker's [`jobs::run`] or the light verifier's
/// [`verifier::run`], each reading the job type it knows.
type Run = fn(String, Input, Progress) -> Pin<Box<dyn Future<Output = Result<Output, String>>>>;

/// Starts the report worker: listens for jobs.
#[cfg(feature = "worker")]
pub fn start() {
    listen(|json, input, progress| {
        Box::pin(async move { jobs::run(parse::<Job>(&json)?, input, progress).await })
    });
}

/// Starts the light verifier (bin zicha-verify): listens for `Job::VerifyData` jobs.
#[cfg(feature = "verify")]
pub fn start_verifier() {
    listen(|json, input, progress| {
        Box::pin(async move { verifier::run(parse(&json)?, input, progress).await })
    });
}

fn listen(run: Run) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        wasm_bindgen_futures::spawn_local(handle(event.data(), run));
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
    /// A WebCrypto key, when the job signs with one (the light verifier signs nothing).
    #[cfg_attr(not(feature = "worker"), allow(dead_code))]
    pub key: Option<web_sys::CryptoKey>,
}

/// A job's output.
pub(crate) struct Output {
    /// The answer, as JSON (a `Reply`, written by `encode`).
    pub reply: String,
    /// Byte buffers the answer refers to by position.
    pub bytes: Vec<Vec<u8>>,
    /// Byte buffers already outside wasm memory, after `bytes` (a rendered or signed PDF).
    pub js_bytes: Vec<js_sys::Uint8Array>,
    /// A WebCrypto key to hand back (a new key).
    pub key: Option<web_sys::CryptoKey>,
}

impl Output {
    /// An answer already written as JSON, without bytes (the light verifier's, which does not
    /// link the serialiser of every `Reply`).
    pub(crate) fn json(reply: String) -> Self {
        Output {
            reply,
            bytes: Vec::new(),
            js_bytes: Vec::new(),
            key: None,
        }
    }

    #[cfg(feature = "worker")]
    pub(crate) fn new(reply: Reply) -> Self {
        Output {
            reply: encode(&reply),
            bytes: Vec::new(),
            js_bytes: Vec::new(),
            key: None,
        }
    }

    #[cfg(feature = "worker")]
    pub(crate) fn with_bytes(reply: Reply, bytes: Vec<Vec<u8>>) -> Self {
        Output {
            reply: encode(&reply),
            bytes,
            js_bytes: Vec::new(),
            key: None,
        }
    }

    #[cfg(feature = "worker")]
    pub(crate) fn with_js_bytes(reply: Reply, js_bytes: Vec<js_sys::Uint8Array>) -> Self {
        Output {
            reply: encode(&reply),
            bytes: Vec::new(),
            js_bytes,
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
        let reply = encode(&VerifierReply::Progress { stage, done, total });
        post(self.id, reply, Vec::new(), Vec::new(), None);
    }
}

async fn handle(message: JsValue, run: Run) {
    let id = envelope::id(&message).unwrap_or(-1.0);
    let Envelope { json, bytes, key } = envelope::decode(&message);
    let progress = Progress { id };
    match run(json, Input { bytes, key }, progress).await {
        Ok(output) => post(id, output.reply, output.bytes, output.js_bytes, output.key),
        Err(message) => {
            let reply = encode(&VerifierReply::Failed { message });
            post(id, reply, Vec::new(), Vec::new(), None);
        }
    }
}

/// A job read from its JSON (the type each runner knows: [`Job`], or the light verifier's
/// [`crate::state::jobs::VerifierJob`]).
fn parse<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
    serde_json::from_str(json).map_err(|error| format!("not a job: {error}"))
}

/// An answer as JSON.
fn encode(reply: &impl serde::Serialize) -> String {
    serde_json::to_string(reply).unwrap_or_else(|error| {
        format!(r#"{{"failed":{{"message":"cannot encode the reply: {error}"}}}}"#)
    })
}

fn post(
    id: f64,
    json: String,
    bytes: Vec<Vec<u8>>,
    js_bytes: Vec<js_sys::Uint8Array>,
    key: Option<web_sys::CryptoKey>,
) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let (message, transfer) = envelope::encode(id, &json, &bytes, key.as_ref());
    if !js_bytes.is_empty() {
        // The envelope's buffers are `bytes` then these, transferred like them.
        if let Ok(buffers) = Reflect::get(&message, &"bytes".into()) {
            let buffers: js_sys::Array = buffers.unchecked_into();
            for array in &js_bytes {
                buffers.push(array);
                transfer.push(&array.buffer());
            }
        }
    }
    if scope
        .post_message_with_transfer(&message, &transfer)
        .is_err()
    {
        let _ = scope.post_message(&message);
    }
}
