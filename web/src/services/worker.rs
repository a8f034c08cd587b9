//! The page's side of the report worker (src/worker/): started on first need from the URL the
//! build wrote into `<meta name="zicha-worker">`, one promise per job, progress forwarded to the
//! caller, and [`cancel`] that terminates the worker (the next job starts a fresh one).
//!
//! Wasm memory never shrinks: a worker whose memory grew past [`RETIRE_BYTES`] (a report with
//! many photos) is retired once it has answered and no other job waits, and the next job starts
//! a fresh one. The signature of a 200-photo report then needs one copy of the PDF in a new
//! worker (1.2× the PDF) instead of a copy on top of what the render left behind (2.3×), and an
//! idle page does not keep the render's peak.
//!
//! The light verifier (bin zicha-verify, `<meta name="zicha-verify">`) is started the same way
//! ([`run_on`] with [`Module::Verifier`]): the verify screen asks it for a first verdict while the
//! report worker, ten times its size, is still on its way.
//!
//! The page, not the worker, fetches the worker's wasm and the report font and hands them over:
//! the page is controlled by the service worker, so both come from its cache offline, whereas a
//! dedicated worker's own requests are not reliably routed through the service worker.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, MessageEvent, Worker};

use crate::services::envelope;
use crate::state::jobs::{Job, Reply, Stage};

/// Called with the stage, how far, and of how much, while a job runs.
pub type OnProgress = Rc<dyn Fn(Stage, u32, u32)>;

/// A finished job.
pub struct Done {
    /// The answer.
    pub reply: Reply,
    /// The buffers it refers to.
    pub bytes: Vec<Vec<u8>>,
    /// A key it hands back (a new key).
    pub key: Option<CryptoKey>,
}

struct Ready {
    promise: Promise,
    resolve: Function,
    reject: Function,
}

struct Pending {
    module: Module,
    resolve: Function,
    reject: Function,
    progress: Option<OnProgress>,
}

/// Which worker runs a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    /// The report worker (bin zicha-worker): every job.
    Report,
    /// The light verifier (bin zicha-verify): [`Job::VerifyData`] only.
    Verifier,
}

impl Module {
    fn index(self) -> usize {
        match self {
            Module::Report => 0,
            Module::Verifier => 1,
        }
    }

    /// The `<meta>` that holds the worker script's URL.
    fn meta_name(self) -> &'static str {
        match self {
            Module::Report => "zicha-worker",
            Module::Verifier => "zicha-verify",
        }
    }
}

/// Wasm memory above which a worker is retired after its job (see the module's comment). The
/// 20-photo sample renders in ~70 MiB: ordinary reports keep their worker (and its font).
const RETIRE_BYTES: f64 = 128.0 * 1024.0 * 1024.0;

thread_local! {
    /// The running workers, by [`Module::index`].
    static WORKER: RefCell<[Option<Worker>; 2]> = const { RefCell::new([None, None]) };
    /// Resolved when a running worker has set up its message handler: messages posted before
    /// that (while its wasm is still compiling) would be dropped by the browser.
    static READY: RefCell<[Option<Ready>; 2]> = const { RefCell::new([None, None]) };
    static PENDING: RefCell<BTreeMap<u32, Pending>> = const { RefCell::new(BTreeMap::new()) };
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
    /// Bumped by every [`cancel`]: work that started under an older epoch stops at its next step.
    static EPOCH: Cell<u32> = const { Cell::new(0) };
    static CANCEL_REASON: RefCell<String> = const { RefCell::new(String::new()) };
    /// The font URL the running worker already holds.
    static FONT_SENT: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Calls of [`run`] under way (sent or about to be): a worker is retired only when its job
    /// is the only one.
    static ACTIVE: Cell<u32> = const { Cell::new(0) };
}

/// Counts a [`run`] in [`ACTIVE`] while it lives.
struct Active;

impl Active {
    fn enter() -> Self {
        ACTIVE.with(|a| a.set(a.get() + 1));
        Active
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        ACTIVE.with(|a| a.set(a.get().saturating_sub(1)));
    }
}

/// The bytes at `url`, fetched by the page (through the service worker's cache).
async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| format!("{url} cannot be loaded (offline before it was cached?)"))?;
    let response: web_sys::Response = response.unchecked_into();
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let buffer = JsFuture::from(
        response
            .array_buffer()
            .map_err(|_| format!("{url}: no body"))?,
    )
    .await
    .map_err(|_| format!("{url}: the download broke off"))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// The `content` of `<meta name="NAME">`: the build writes the content-hashed URLs of the worker
/// script (`zicha-worker`) and of the report font (`zicha-font`) there.
fn meta(name: &str) -> Option<String> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!("meta[name={name}]"))
                .ok()
                .flatten()
        })
        .and_then(|meta| meta.get_attribute("content"))
}

/// The worker script's URL.
fn worker_url(module: Module) -> Result<String, String> {
    meta(module.meta_name()).ok_or_else(|| format!("this build has no {}", module.meta_name()))
}

/// Whether `module`'s worker is running (started, maybe still compiling).
pub fn is_running(module: Module) -> bool {
    WORKER.with(|w| w.borrow()[module.index()].is_some())
}

/// Takes `module`'s worker out of [`WORKER`], terminated ([`reject_all`] then fails its start and
/// its jobs).
fn stop(module: Module) -> Option<Worker> {
    let worker = WORKER.with(|w| w.borrow_mut()[module.index()].take())?;
    worker.terminate();
    Some(worker)
}

/// The URL of the report font (a gzip file of the build).
pub fn font_url() -> String {
    meta("zicha-font").unwrap_or_default()
}

/// Fails `module`'s jobs (and its start) with `reason`.
fn reject_all(module: Module, reason: &str) {
    if let Some(ready) = READY.with(|r| r.borrow_mut()[module.index()].take()) {
        let _ = ready
            .reject
            .call1(&JsValue::NULL, &JsValue::from_str(reason));
    }
    let pending = PENDING.with(|p| {
        let mut pending = p.borrow_mut();
        let ids: Vec<u32> = pending
            .iter()
            .filter(|(_, job)| job.module == module)
            .map(|(id, _)| *id)
            .collect();
        ids.into_iter()
            .filter_map(|id| pending.remove(&id))
            .collect::<Vec<_>>()
    });
    for job in pending {
        let _ = job.reject.call1(&JsValue::NULL, &JsValue::from_str(reason));
    }
}

fn worker(module: Module) -> Result<Worker, String> {
    if let Some(worker) = WORKER.with(|w| w.borrow()[module.index()].clone()) {
        return Ok(worker);
    }
    let url = worker_url(module)?;
    let worker = Worker::new(&url).map_err(|e| format!("{e:?}"))?;
    if module == Module::Report {
        FONT_SENT.with(|f| *f.borrow_mut() = None);
    }
    let mut functions = None;
    let promise = Promise::new(&mut |resolve, reject| functions = Some((resolve, reject)));
    if let Some((resolve, reject)) = functions {
        READY.with(|r| {
            r.borrow_mut()[module.index()] = Some(Ready {
                promise,
                resolve,
                reject,
            })
        });
    }
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let message = event.data();
        if Reflect::get(&message, &"ready".into()).is_ok_and(|v| v.is_truthy()) {
            let resolve = READY.with(|r| {
                r.borrow()[module.index()]
                    .as_ref()
                    .map(|ready| ready.resolve.clone())
            });
            if let Some(resolve) = resolve {
                let _ = resolve.call0(&JsValue::NULL);
            }
            return;
        }
        if let Some(crash) = Reflect::get(&message, &"crash".into())
            .ok()
            .and_then(|v| v.as_string())
        {
            // The worker's wasm trapped (a bug): fail its jobs instead of waiting forever.
            stop(module);
            reject_all(module, &format!("the report module stopped: {crash}"));
            return;
        }
        let Some(id) = envelope::id(&message) else {
            return;
        };
        let id = id as u32;
        let json = envelope::json(&message);
        if let Ok(Reply::Progress { stage, done, total }) = serde_json::from_str::<Reply>(&json) {
            let progress = PENDING.with(|p| p.borrow().get(&id).and_then(|j| j.progress.clone()));
            if let Some(progress) = progress {
                progress(stage, done, total);
            }
            return;
        }
        if let Some(job) = PENDING.with(|p| p.borrow_mut().remove(&id)) {
            let _ = job.resolve.call1(&JsValue::NULL, &message);
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error =
        Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
            event.prevent_default();
            let message = event.message();
            let message = if message.is_empty() {
                "the report module could not be loaded (offline before it was cached?)".to_owned()
            } else {
                message
            };
            // A worker that failed to start or crashed is replaced on the next job.
            stop(module);
            reject_all(module, &message);
        });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    WORKER.with(|w| w.borrow_mut()[module.index()] = Some(worker.clone()));
    // Boot: the loader waits for its wasm (compiled inside the worker, off the main thread).
    let booting = worker.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let wasm_url = format!("{}_bg.wasm", url.strip_suffix(".js").unwrap_or(&url));
        match fetch_bytes(&wasm_url).await {
            Ok(bytes) => {
                let array = Uint8Array::from(bytes.as_slice());
                let message = Object::new();
                let _ = Reflect::set(&message, &"wasm".into(), &array.buffer());
                let transfer = Array::of1(&array.buffer());
                if booting
                    .post_message_with_transfer(&message, &transfer)
                    .is_err()
                {
                    reject_all(module, "the report module could not be started");
                }
            }
            Err(message) => {
                stop(module);
                reject_all(module, &message);
            }
        }
    });
    Ok(worker)
}

/// Hands the report font to the worker once, before the first job that draws text.
async fn ensure_font(font_url: &str) -> Result<(), String> {
    if font_url.is_empty() || FONT_SENT.with(|f| f.borrow().as_deref() == Some(font_url)) {
        return Ok(());
    }
    let bytes = fetch_bytes(font_url).await?;
    let job = Job::LoadFont {
        url: font_url.to_owned(),
    };
    Box::pin(run(&job, vec![bytes], None, None)).await?;
    FONT_SENT.with(|f| *f.borrow_mut() = Some(font_url.to_owned()));
    Ok(())
}

/// Runs `job` in the report worker with `bytes` (moved, not copied, into the worker) and `key`.
pub async fn run(
    job: &Job,
    bytes: Vec<Vec<u8>>,
    key: Option<&CryptoKey>,
    progress: Option<OnProgress>,
) -> Result<Done, String> {
    run_on(Module::Report, job, bytes, key, progress).await
}

/// [`run`] in `module`'s worker.
pub async fn run_on(
    module: Module,
    job: &Job,
    bytes: Vec<Vec<u8>>,
    key: Option<&CryptoKey>,
    progress: Option<OnProgress>,
) -> Result<Done, String> {
    let _active = Active::enter();
    let epoch = epoch();
    match job {
        Job::Render { font_url, .. }
        | Job::Sign { font_url, .. }
        | Job::CheckReceived { font_url, .. }
        | Job::Countersign { font_url, .. }
        | Job::Verify { font_url, .. } => ensure_font(font_url).await?,
        _ => {}
    }
    check(epoch)?;
    let worker = worker(module)?;
    let ready = READY.with(|r| {
        r.borrow()[module.index()]
            .as_ref()
            .map(|ready| ready.promise.clone())
    });
    if let Some(ready) = ready {
        // Rejected only through `cancel` / a crash, which also ends this job.
        JsFuture::from(ready)
            .await
            .map_err(|e| e.as_string().unwrap_or_else(|| format!("{e:?}")))?;
    }
    check(epoch)?;
    let id = NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1));
        id
    });
    let json = serde_json::to_string(job).map_err(|e| e.to_string())?;
    let (message, transfer) = envelope::encode(f64::from(id), &json, &bytes, key);
    drop(bytes);
    let mut progress = progress;
    let promise = Promise::new(&mut |resolve, reject| {
        PENDING.with(|p| {
            p.borrow_mut().insert(
                id,
                Pending {
                    module,
                    resolve,
                    reject,
                    progress: progress.take(),
                },
            )
        });
    });
    if let Err(error) = worker.post_message_with_transfer(&message, &transfer) {
        PENDING.with(|p| p.borrow_mut().remove(&id));
        return Err(format!("cannot send the job: {error:?}"));
    }
    let answer = JsFuture::from(promise)
        .await
        .map_err(|e| e.as_string().unwrap_or_else(|| format!("{e:?}")))?;
    let answer = envelope::decode(&answer);
    let reply: Reply = serde_json::from_str(&answer.json).map_err(|e| format!("bad reply: {e}"))?;
    if let Reply::Failed { message } = reply {
        return Err(message);
    }
    match module {
        Module::Report => retire_if_grown(&reply),
        // Needed again only while the report worker is not running, and its memory (which never
        // shrinks) held the whole batch: retired after every answer, like a grown report worker.
        Module::Verifier if ACTIVE.with(Cell::get) <= 1 => {
            stop(Module::Verifier);
            READY.with(|r| r.borrow_mut()[Module::Verifier.index()].take());
        }
        Module::Verifier => {}
    }
    let (bytes, key) = (answer.bytes, answer.key);
    Ok(Done { reply, bytes, key })
}

/// Retires the worker when `reply` says its memory grew past [`RETIRE_BYTES`] and no other job
/// is under way; the next job starts a fresh worker.
fn retire_if_grown(reply: &Reply) {
    let memory = match reply {
        Reply::Rendered { wasm_memory, .. } | Reply::Signed { wasm_memory, .. } => *wasm_memory,
        _ => 0.0,
    };
    if memory <= RETIRE_BYTES || ACTIVE.with(Cell::get) > 1 {
        return;
    }
    stop(Module::Report);
    READY.with(|r| r.borrow_mut()[Module::Report.index()].take());
    FONT_SENT.with(|f| *f.borrow_mut() = None);
}

/// The current cancellation epoch: a task of several steps (gather data, render, sign…) takes it
/// at its start and calls [`check`] between steps.
pub fn epoch() -> u32 {
    EPOCH.with(Cell::get)
}

/// `Err` with the reason of the [`cancel`] that happened since `epoch` was taken.
pub fn check(epoch: u32) -> Result<(), String> {
    if EPOCH.with(Cell::get) == epoch {
        Ok(())
    } else {
        Err(CANCEL_REASON.with(|r| r.borrow().clone()))
    }
}

/// Stops the running job: the worker is terminated at once (mid-render too) and every waiting
/// job fails with `reason`; steps not yet sent fail at their next [`check`]. Nothing the user
/// entered is touched.
pub fn cancel(reason: &str) {
    CANCEL_REASON.with(|r| *r.borrow_mut() = reason.to_owned());
    EPOCH.with(|e| e.set(e.get().wrapping_add(1)));
    for module in [Module::Report, Module::Verifier] {
        stop(module);
        reject_all(module, reason);
    }
}
