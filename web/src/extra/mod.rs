//! The extra UI module: the second wasm module of the app's UI (`src/bin/zicha-extra.rs`),
//! loaded by the shell when a screen it holds is first opened and cached by the service worker
//! for offline use. It holds the keys, sign & export, verify and settings screens and the bundle
//! export — with them the code that talks to the report worker — so the first screen does not
//! wait for their code (services/extra.rs is the shell's side).
//!
//! It registers `self.zichaExtraApi` with `mount(element)`, `unmount(element)` and
//! `exportBundle(inspectionId)`. Mounted, it runs its own store over the same IndexedDB
//! (`app::use_app_store`), reading the data afresh each time.

use std::cell::RefCell;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::Element;
use yew::AppHandle;
use yew::prelude::*;

use crate::app::{Part, use_app_store};
use crate::components::notices::Notices;
use crate::hooks::{use_route, use_store};
use crate::i18n::T;
use crate::pages::{
    keys::KeysPage, report::ReportPage, settings::SettingsPage, verify::VerifyPage,
};
use crate::route::Route;
use crate::services::{db, exports, files};
use crate::state::AppState;

thread_local! {
    /// The element the screens are mounted in, and their renderer.
    static MOUNTED: RefCell<Option<(Element, AppHandle<ExtraApp>)>> = const { RefCell::new(None) };
}

/// Registers the module's API for the shell.
pub fn start() {
    let api = Object::new();
    let mount = Closure::<dyn Fn(Element)>::new(|root: Element| {
        if let Some((_, handle)) = MOUNTED.with(|mounted| mounted.borrow_mut().take()) {
            handle.destroy();
        }
        let handle = yew::Renderer::<ExtraApp>::with_root(root.clone()).render();
        MOUNTED.with(|mounted| *mounted.borrow_mut() = Some((root, handle)));
    });
    let unmount = Closure::<dyn Fn(Element)>::new(unmount);
    let export = Closure::<dyn Fn(String) -> js_sys::Promise>::new(|id: String| {
        future_to_promise(async move {
            export_bundle(&id)
                .await
                .map(|()| JsValue::UNDEFINED)
                .map_err(|detail| JsValue::from_str(&detail))
        })
    });
    let _ = Reflect::set(&api, &"mount".into(), &mount.into_js_value());
    let _ = Reflect::set(&api, &"unmount".into(), &unmount.into_js_value());
    let _ = Reflect::set(&api, &"exportBundle".into(), &export.into_js_value());
    let _ = Reflect::set(&js_sys::global(), &"zichaExtraApi".into(), &api);
}

/// Unmounts the screens from `root`; a mount into another element since then stays.
fn unmount(root: Element) {
    let handle = MOUNTED.with(|mounted| {
        let mut mounted = mounted.borrow_mut();
        match mounted.as_ref() {
            Some((element, _)) if *element == root => mounted.take().map(|(_, handle)| handle),
            _ => None,
        }
    });
    if let Some(handle) = handle {
        handle.destroy();
    }
}

/// Exports the `.zicha` bundle of one inspection as a download, from the data in IndexedDB.
async fn export_bundle(inspection_id: &str) -> Result<(), String> {
    crate::app::load_checklists_once().await?;
    let data = db::load().await.map_err(|e| e.0)?;
    let (name, bytes) = exports::export_bundle(&data, inspection_id).await?;
    files::download(&bytes, &name, "application/zip").map_err(|e| e.0)
}

/// The root of the mounted module: its store, notices and the screen of the route.
#[function_component(ExtraApp)]
fn extra_app() -> Html {
    let store = use_app_store(Part::Extra);
    html! {
        <ContextProvider<UseReducerHandle<AppState>> context={store}>
            <Screens />
        </ContextProvider<UseReducerHandle<AppState>>>
    }
}

#[function_component(Screens)]
fn screens() -> Html {
    let store = use_store();
    let route = use_route();
    let page = if !store.loaded {
        html! { <p class="loading" aria-busy="true">{ T::Loading.get(store.lang()) }</p> }
    } else {
        match route {
            Route::Report(id) => html! { <ReportPage {id} /> },
            Route::Keys => html! { <KeysPage /> },
            Route::Verify => html! { <VerifyPage /> },
            Route::Settings => html! { <SettingsPage /> },
            // The shell's screens: it unmounts this module right away.
            Route::Home | Route::Inspection(..) | Route::Ledger => html! {},
        }
    };
    html! {
        <>
            <Notices />
            { page }
        </>
    }
}
