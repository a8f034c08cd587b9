//! The place where the shell shows a screen of the extra module (keys, sign & export, verify,
//! settings): loads the module on first need, mounts it, sends it the shell's state after every
//! change ([`Down::Show`]), and unmounts it when the route leaves its screens. Nothing waits for
//! writes: the module never writes records, it asks the shell's store (state/port.rs).

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::hooks::use_store;
use crate::i18n::T;
use crate::services::extra;
use crate::state::port::Down;

/// The extra module's screens.
#[function_component(ExtraHost)]
pub fn extra_host() -> Html {
    let store = use_store();
    let lang = store.lang();
    let root = use_node_ref();
    // None while loading, then Ok(()) or the reason it failed.
    let state = use_state(|| None::<Result<(), String>>);
    // The shell's state as last rendered, for the first `Show` of a mount.
    let latest = use_mut_ref(|| store.clone());
    {
        let root = root.clone();
        let state = state.clone();
        let latest = latest.clone();
        use_effect_with((), move |_| {
            let gone = Rc::new(Cell::new(false));
            let gone_in_task = gone.clone();
            let element = root.cast::<web_sys::Element>();
            let mounted_in = element.clone();
            spawn_local(async move {
                let Some(element) = element else { return };
                // Loads the module, and its screens then open on the shell's state.
                let shown = Down::show(&latest.borrow());
                let mut result = extra::send(&shown).await;
                if gone_in_task.get() {
                    return;
                }
                if result.is_ok() {
                    result = extra::mount(&element).await;
                }
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
    {
        // Every change of the shell's state, once mounted (before that, the mount sends it).
        let mounted = matches!(*state, Some(Ok(())));
        let latest = latest.clone();
        use_effect_with((store.clone(), mounted), move |(store, mounted)| {
            *latest.borrow_mut() = store.clone();
            if *mounted {
                extra::send_now(&Down::show(store));
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
