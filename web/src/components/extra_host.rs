//! The place where the shell shows a screen of the extra module (keys, sign & export, verify,
//! settings): loads the module on first need, waits until this module's writes are in IndexedDB
//! (the extra module reads the data afresh), mounts it, and unmounts it when the route leaves
//! its screens.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::hooks::use_store;
use crate::i18n::T;
use crate::services::{extra, writer};

/// The extra module's screens.
#[function_component(ExtraHost)]
pub fn extra_host() -> Html {
    let store = use_store();
    let lang = store.lang();
    let root = use_node_ref();
    // None while loading, then Ok(()) or the reason it failed.
    let state = use_state(|| None::<Result<(), String>>);
    {
        let root = root.clone();
        let state = state.clone();
        use_effect_with((), move |_| {
            let gone = Rc::new(Cell::new(false));
            let gone_in_task = gone.clone();
            let element = root.cast::<web_sys::Element>();
            let mounted_in = element.clone();
            spawn_local(async move {
                writer::idle().await;
                let Some(element) = element else { return };
                if gone_in_task.get() {
                    return;
                }
                let result = extra::mount(&element).await;
                if gone_in_task.get() {
                    // The route moved on while the module loaded.
                    extra::unmount(&element);
                } else {
                    state.set(Some(result));
                }
            });
            move || {
                gone.set(true);
                if let Some(element) = mounted_in {
                    extra::unmount(&element);
                }
            }
        });
    }
    let status = match &*state {
        None => html! { <p class="loading" aria-busy="true">{ T::Loading.get(lang) }</p> },
        Some(Ok(())) => html! {},
        Some(Err(detail)) => html! {
            <p class="card notice error" role="alert">
                { format!("{} {detail}", T::ExtraFailed.get(lang)) }
            </p>
        },
    };
    html! {
        <>
            { status }
            <div class="extra-root" ref={root}></div>
        </>
    }
}
