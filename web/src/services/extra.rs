//! The second UI module (`src/extra/`, bin zicha-extra): the screens the first screen does not
//! need — keys, sign & export, verify, settings — and the bundle export. The shell loads it on
//! first need from the URLs the build wrote into `<meta name="zicha-extra">` (a classic script,
//! wasm-bindgen's `no-modules` glue, then its wasm; the service worker caches both for offline
//! use), then calls the small API the module registers as `self.zichaExtraApi`: `mount(element)`,
//! `unmount(element)` and `exportBundle(inspectionId)`.
//!
//! Both modules keep a store over the same IndexedDB. The extra module reports every write batch
//! as a [`WRITES_EVENT`] on `window` (see `app::use_app_store`).

use std::cell::RefCell;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise, spawn_local};
use web_sys::{CustomEvent, CustomEventInit, Element, Event, HtmlScriptElement};

use crate::services::db::browser_words;

/// The event the extra module sends after queueing or finishing a write batch.
pub const WRITES_EVENT: &str = "zicha-writes";

/// The write queue's state as the extra module reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Writes {
    /// Batches queued or running.
    pub pending: usize,
    /// A batch has just finished.
    pub done: bool,
    /// That batch failed.
    pub failed: bool,
}

/// Sends a [`WRITES_EVENT`] (called by the extra module).
#[cfg_attr(not(feature = "extra"), allow(dead_code))]
pub fn report_writes(pending: usize, done: bool, failed: bool) {
    let detail = Object::new();
    let _ = Reflect::set(&detail, &"pending".into(), &(pending as f64).into());
    let _ = Reflect::set(&detail, &"done".into(), &done.into());
    let _ = Reflect::set(&detail, &"failed".into(), &failed.into());
    let init = CustomEventInit::new();
    init.set_detail(&detail);
    if let (Some(window), Ok(event)) = (
        web_sys::window(),
        CustomEvent::new_with_event_init_dict(WRITES_EVENT, &init),
    ) {
        let _ = window.dispatch_event(&event);
    }
}

/// The write state carried by a [`WRITES_EVENT`].
pub fn writes_of(event: &Event) -> Option<Writes> {
    let detail = event.dyn_ref::<CustomEvent>()?.detail();
    let field = |name: &str| Reflect::get(&detail, &name.into()).ok();
    Some(Writes {
        pending: field("pending")?.as_f64()? as usize,
        done: field("done")?.as_bool()?,
        failed: field("failed")?.as_bool()?,
    })
}

thread_local! {
    /// The module's API once loaded (a promise, so that concurrent callers share one load).
    static API: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// The content of `<meta name="zicha-extra">` and its `data-wasm`.
fn urls() -> Result<(String, String), String> {
    let meta = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=zicha-extra]").ok().flatten())
        .ok_or("this build has no extra module")?;
    match (
        meta.get_attribute("content"),
        meta.get_attribute("data-wasm"),
    ) {
        (Some(js), Some(wasm)) => Ok((js, wasm)),
        _ => Err("<meta name=zicha-extra> lacks content or data-wasm".into()),
    }
}

/// Adds the module's script to the page, starts its wasm and resolves with its API object.
fn load() -> Result<Promise, String> {
    let (js, wasm) = urls()?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let script: HtmlScriptElement = document
        .create_element("script")
        .map_err(|_| "cannot create a script element")?
        .unchecked_into();
    let loaded = Promise::new(&mut |resolve, reject| {
        script.set_onload(Some(&resolve));
        let js = js.clone();
        let on_error = Closure::once_into_js(move || {
            let _ = reject.call1(
                &JsValue::NULL,
                &format!("{js} cannot be loaded (offline before it was cached?)").into(),
            );
        });
        script.set_onerror(Some(on_error.unchecked_ref()));
    });
    script.set_src(&js);
    document
        .head()
        .ok_or("no head")?
        .append_child(&script)
        .map_err(|_| "cannot add the script")?;
    // Once the script ran: `zichaExtra` is its wasm-bindgen init function, which fetches and
    // instantiates the wasm and runs the module's start, which registers `zichaExtraApi`.
    Ok(future_to_promise(async move {
        JsFuture::from(loaded).await?;
        let init: Function = Reflect::get(&js_sys::global(), &"zichaExtra".into())?.dyn_into()?;
        let options = Object::new();
        Reflect::set(&options, &"module_or_path".into(), &wasm.into())?;
        let started: Promise = init.call1(&JsValue::NULL, &options)?.dyn_into()?;
        JsFuture::from(started).await?;
        Reflect::get(&js_sys::global(), &"zichaExtraApi".into())
    }))
}

/// The module's API, loading the module on the first call. A failed load is tried again on the
/// next call.
async fn api() -> Result<JsValue, String> {
    let promise = API.with(|api| -> Result<Promise, String> {
        if let Some(promise) = api.borrow().as_ref() {
            return Ok(promise.clone());
        }
        let promise = load()?;
        *api.borrow_mut() = Some(promise.clone());
        Ok(promise)
    })?;
    match JsFuture::from(promise).await {
        Ok(api) if api.is_object() => Ok(api),
        Ok(_) => Err("the extra module did not register its API".into()),
        Err(error) => {
            API.with(|api| api.borrow_mut().take());
            Err(browser_words(&error))
        }
    }
}

async fn call(method: &str, argument: &JsValue) -> Result<JsValue, String> {
    let api = api().await?;
    let function: Function = Reflect::get(&api, &method.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| format!("the extra module has no {method}"))?;
    let result = function
        .call1(&JsValue::NULL, argument)
        .map_err(|e| browser_words(&e))?;
    match result.dyn_into::<Promise>() {
        Ok(promise) => JsFuture::from(promise).await.map_err(|e| browser_words(&e)),
        Err(value) => Ok(value),
    }
}

/// Loads the module if needed and mounts its screens into `root`; they follow the route.
pub async fn mount(root: &Element) -> Result<(), String> {
    call("mount", root).await.map(drop)
}

/// Unmounts the module's screens from `root` (its queued writes still finish and are reported);
/// a mount into another element since then stays. Waits for a load that is still running.
pub fn unmount(root: &Element) {
    let Some(promise) = API.with(|api| api.borrow().clone()) else {
        return;
    };
    let root = root.clone();
    spawn_local(async move {
        if let Ok(api) = JsFuture::from(promise).await
            && let Ok(function) = Reflect::get(&api, &"unmount".into())
            && let Some(function) = function.dyn_ref::<Function>()
        {
            let _ = function.call1(&JsValue::NULL, &root);
        }
    });
}

/// Exports the `.zicha` bundle of an inspection as a download (the extra module holds the code
/// that talks to the report worker).
pub async fn export_bundle(inspection_id: &str) -> Result<(), String> {
    call("exportBundle", &inspection_id.into()).await.map(drop)
}
