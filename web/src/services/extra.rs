//! The second UI module (`src/extra/`, bin zicha-extra): the screens the first screen does not
//! need — keys, sign & export, verify, settings — and the bundle export. The shell loads it on
//! first need from the URLs the build wrote into `<meta name="zicha-extra">` (a classic script,
//! wasm-bindgen's `no-modules` glue, then its wasm; the service worker caches both for offline
//! use), then calls the small API the module registers as `self.zichaExtraApi`:
//! `connect(up)`, `mount(element)`, `unmount(element)` and `down(json)`.
//!
//! The two modules talk through the port of state/port.rs: [`send`] gives the module a [`Down`]
//! message as JSON, and the module calls `up` with an [`Up`] message, which becomes an action of
//! the shell's store ([`connect`]). The shell's store is the only writer of records.

use std::cell::RefCell;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise, spawn_local};
use web_sys::{Element, HtmlScriptElement};
use yew::UseReducerDispatcher;

use crate::services::db::browser_words;
use crate::state::port::{self, Down, Up};
use crate::state::{Action, AppState, Notice, NoticeKind};

thread_local! {
    /// The module's API once loaded (a promise, so that concurrent callers share one load).
    static API: RefCell<Option<Promise>> = const { RefCell::new(None) };
    /// The API object once the load has finished: messages then go at once, in order.
    static READY: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    /// Where the module's messages go: the shell's store.
    static RECEIVER: RefCell<Option<UseReducerDispatcher<AppState>>> = const { RefCell::new(None) };
}

/// Sends the extra module's messages to the shell's store from now on.
pub fn connect(dispatcher: UseReducerDispatcher<AppState>) {
    RECEIVER.with(|receiver| *receiver.borrow_mut() = Some(dispatcher));
}

/// A message of the extra module: an action of the shell's store. One that cannot be read is
/// shown as a failed write (what it asked for was not stored).
fn receive(json: String) {
    let action = match port::from_json::<Up>(&json) {
        Ok(Up::ChecklistsImported) => {
            spawn_local(async {
                let action = match crate::services::checklists::load_imported().await {
                    Ok(()) => Action::from(Up::ChecklistsImported),
                    Err(error) => Action::Notify(Notice {
                        kind: NoticeKind::ChecklistsFailed,
                        detail: error.0,
                    }),
                };
                if let Some(dispatcher) = RECEIVER.with(|receiver| receiver.borrow().clone()) {
                    dispatcher.dispatch(action);
                }
            });
            return;
        }
        Ok(up) => Action::from(up),
        Err(error) => Action::Notify(Notice {
            kind: NoticeKind::StorageFailed,
            detail: format!("a message of the extra module cannot be read: {error}"),
        }),
    };
    if let Some(dispatcher) = RECEIVER.with(|receiver| receiver.borrow().clone()) {
        dispatcher.dispatch(action);
    }
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
        let api = Reflect::get(&js_sys::global(), &"zichaExtraApi".into())?;
        let connect: Function = Reflect::get(&api, &"connect".into())?.dyn_into()?;
        let up = Closure::<dyn Fn(String)>::new(receive);
        connect.call1(&JsValue::NULL, &up.into_js_value())?;
        Ok(api)
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
        Ok(api) if api.is_object() => {
            READY.with(|ready| *ready.borrow_mut() = Some(api.clone()));
            Ok(api)
        }
        Ok(_) => Err("the extra module did not register its API".into()),
        Err(error) => {
            API.with(|api| api.borrow_mut().take());
            Err(browser_words(&error))
        }
    }
}

fn call_with(api: &JsValue, method: &str, argument: &JsValue) -> Result<JsValue, String> {
    let function: Function = Reflect::get(api, &method.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| format!("the extra module has no {method}"))?;
    function
        .call1(&JsValue::NULL, argument)
        .map_err(|e| browser_words(&e))
}

fn json_of(down: &Down) -> JsValue {
    JsValue::from_str(&port::to_json(down))
}

/// Loads the module if needed and mounts its screens into `root`; they follow the route and show
/// what the last [`Down::Show`] said.
pub async fn mount(root: &Element) -> Result<(), String> {
    let api = api().await?;
    call_with(&api, "mount", root).map(drop)
}

/// Unmounts the module's screens from `root`; a mount into another element since then stays.
/// Waits for a load that is still running.
pub fn unmount(root: &Element) {
    let Some(promise) = API.with(|api| api.borrow().clone()) else {
        return;
    };
    let root = root.clone();
    spawn_local(async move {
        if let Ok(api) = JsFuture::from(promise).await {
            let _ = call_with(&api, "unmount", &root);
        }
    });
}

/// Loads the module if needed and gives it `down`.
pub async fn send(down: &Down) -> Result<(), String> {
    let api = api().await?;
    call_with(&api, "down", &json_of(down)).map(drop)
}

/// Gives a loaded module `down` at once (so that messages keep their order); `false` when the
/// module is not loaded.
pub fn send_now(down: &Down) -> bool {
    let Some(api) = READY.with(|ready| ready.borrow().clone()) else {
        return false;
    };
    call_with(&api, "down", &json_of(down)).is_ok()
}
