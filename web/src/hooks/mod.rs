//! Hooks: the app store, the current route, and object URLs of stored photos.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use yew::prelude::*;
use zicha_core::hash::Sha256;

use crate::route::Route;
use crate::services::db;
use crate::state::AppState;

/// The app store (provided by `App`).
#[hook]
pub fn use_store() -> UseReducerHandle<AppState> {
    use_context::<UseReducerHandle<AppState>>().expect("App provides the store")
}

fn current_route() -> Route {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    Route::parse(&hash)
}

/// The current route, following `hashchange`.
#[hook]
pub fn use_route() -> Route {
    let route = use_state(current_route);
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            // A new screen starts at its top (the browser would keep the last screen's scroll
            // position: the ledger opened mid-card). A screen that wants to show one place (an
            // item) scrolls there itself after rendering.
            let listener = Closure::<dyn Fn()>::new(move || {
                route.set(current_route());
                if let Some(window) = web_sys::window() {
                    window.scroll_to_with_x_and_y(0.0, 0.0);
                }
            });
            let window = web_sys::window();
            if let Some(window) = &window {
                let _ = window.add_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(window) = window {
                    let _ = window.remove_event_listener_with_callback(
                        "hashchange",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    (*route).clone()
}

/// An object URL for the stored photo `hash`: gloo's `ObjectUrl`, revoked when it is dropped, i.e.
/// when the component goes or shows another photo (tests/browser/e2e/photos.test.mjs counts them
/// over 500 photo views). None while the Blob is read, or when it is not stored.
#[hook]
pub fn use_photo_url(hash: Sha256) -> Option<String> {
    let url = use_state(|| None::<gloo_file::ObjectUrl>);
    {
        let url = url.clone();
        use_effect_with(hash, move |hash| {
            let hash = *hash;
            // Gone before the Blob was read (the thumbnail left the screen): make no URL then.
            let gone = Rc::new(std::cell::Cell::new(false));
            let gone_in_task = gone.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Some(blob)) = db::get_photo(&hash).await
                    && !gone_in_task.get()
                {
                    url.set(Some(gloo_file::ObjectUrl::from(blob)));
                }
            });
            move || gone.set(true)
        });
    }
    url.as_ref().map(|object_url| object_url.to_string())
}
