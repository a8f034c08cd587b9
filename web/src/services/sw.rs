//! The service worker: registered at start; when a new version has been installed while this one
//! runs, it waits (it never takes over a running app) and the app says that it will be used on
//! the next start.

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerRegistration, ServiceWorkerState};

/// Registers `sw.js`; calls `on_update` when a new version is waiting.
pub fn register(on_update: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    let has_sw = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    if !has_sw {
        return;
    }
    let container = navigator.service_worker();
    let had_controller = container.controller().is_some();
    let promise = container.register("./sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = JsFuture::from(promise).await else {
            return;
        };
        let registration: ServiceWorkerRegistration = registration.unchecked_into();
        // A first install is not an update: only report when this page already had a worker.
        if !had_controller {
            return;
        }
        let on_update = std::rc::Rc::new(on_update);
        if registration.waiting().is_some() {
            on_update();
            return;
        }
        let registration_for_event = registration.clone();
        // gloo's listeners, kept for the page's life (`forget`): the registration and the
        // installing worker live as long as the page.
        EventListener::new(&registration, "updatefound", move |_| {
            let Some(installing) = registration_for_event.installing() else {
                return;
            };
            let worker = installing.clone();
            let on_update = on_update.clone();
            EventListener::new(&installing, "statechange", move |_| {
                if worker.state() == ServiceWorkerState::Installed {
                    on_update();
                }
            })
            .forget();
        })
        .forget();
    });
}

/// Asks the service worker to cache what its install did not (an install interrupted) of the
/// files the first screen does not need: the checklists, the extra module, the report worker and
/// the report font, so that every checklist opens and rendering, signing and verifying work
/// offline later. Called once the app is interactive; the service worker fetches them in the
/// background and then answers with what is still missing from its cache: `offline` gets that
/// list (empty: everything an inspection, signing and verifying need is on the device) — once per
/// version when nothing is missing, every start while something is.
pub fn warm(offline: impl Fn(Vec<String>) + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    if !js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        return;
    }
    let container = navigator.service_worker();
    let Ok(ready) = container.ready() else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = JsFuture::from(ready).await else {
            return;
        };
        let registration: ServiceWorkerRegistration = registration.unchecked_into();
        EventListener::new(&container, "message", move |event| {
            let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
                return;
            };
            let missing = js_sys::Reflect::get(&event.data(), &"offline".into()).ok();
            if let Some(list) = missing.filter(js_sys::Array::is_array) {
                let list: js_sys::Array = list.unchecked_into();
                offline(list.iter().filter_map(|path| path.as_string()).collect());
            }
        })
        .forget();
        // A listener added with addEventListener (unlike `onmessage`) does not open the client
        // message queue by itself before the document has loaded: open it (startMessages, not in
        // web-sys's bindings).
        if let Ok(start) = js_sys::Reflect::get(&container, &"startMessages".into())
            && let Some(start) = start.dyn_ref::<js_sys::Function>()
        {
            let _ = start.call0(&container);
        }
        if let Some(active) = registration.active() {
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"warm".into(), &true.into());
            let _ = active.post_message(&message);
        }
    });
}
