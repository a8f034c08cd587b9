//! The root component: provides the store, loads the data from IndexedDB, writes every change the
//! moment it happens, registers the service worker, and lays out the header, notices and the
//! current screen. The screens of the second UI module (`extra`: keys, sign & export, verify,
//! settings) are mounted into the page by [`ExtraHost`]; both modules keep their own copy of the
//! store over the same IndexedDB (see [`use_app_store`]).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise, spawn_local};
use yew::prelude::*;

use crate::components::extra_host::ExtraHost;
use crate::components::notices::Notices;
use crate::hooks::use_route;
use crate::i18n::T;
use crate::pages::{home::HomePage, inspection::InspectionPage, ledger::LedgerPage};
use crate::route::Route;
use crate::services::writer::{self, Progress};
use crate::services::{checklists, clock, db, extra, storage, sw};
use crate::state::records::diff;
use crate::state::{Action, AppState, Data, Notice, NoticeKind};

/// Which wasm module runs a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// The app shell: first screen, inspections, ledger.
    Shell,
    /// The second UI module, mounted by the shell on its routes.
    #[cfg_attr(not(feature = "extra"), allow(dead_code))]
    Extra,
}

/// The store of a module: loads the checklists and the data, then writes every change to
/// IndexedDB the moment it happens.
///
/// The two modules never write at the same time: the shell waits for its write queue to run dry
/// before it mounts the extra module, which reads the data afresh. The extra module reports its
/// writes to the shell as `zicha-writes` events on `window` (the header's save status follows
/// them); after each batch the shell reads the data again, so it shows what the other module
/// changed (a restore, the language).
#[hook]
pub(crate) fn use_app_store(part: Part) -> UseReducerHandle<AppState> {
    let store = use_reducer(|| AppState::new(clock::today()));
    let persisted = use_mut_ref(Persisted::default);

    {
        let dispatcher = store.dispatcher();
        use_effect_with((), move |_| {
            let load = dispatcher.clone();
            spawn_local(async move {
                // The checklists first: every screen resolves inspections against them. The
                // browser has been fetching them since index.html named them (preload).
                if let Err(detail) = load_checklists_once().await {
                    load.dispatch(Action::Notify(Notice {
                        kind: NoticeKind::ChecklistsFailed,
                        detail,
                    }));
                }
                match db::load().await {
                    Ok(data) => load.dispatch(Action::Loaded(data)),
                    Err(error) => load.dispatch(Action::Notify(Notice {
                        kind: NoticeKind::LoadFailed,
                        detail: error.0,
                    })),
                }
                if part == Part::Shell {
                    if let Some(estimate) = storage::estimate().await
                        && estimate.is_low()
                    {
                        load.dispatch(Action::Notify(Notice {
                            kind: NoticeKind::StorageLow,
                            detail: String::new(),
                        }));
                    }
                    // Interactive now: let the service worker cache the report worker, the
                    // extra module and the font.
                    sw::warm();
                }
            });
            if part == Part::Shell {
                let update = dispatcher;
                sw::register(move || {
                    update.dispatch(Action::Notify(Notice {
                        kind: NoticeKind::UpdateReady,
                        detail: String::new(),
                    }))
                });
            }
        });
    }

    {
        // The extra module's writes (in the shell): the save status follows them, and the data
        // is read again after each batch.
        let dispatcher = store.dispatcher();
        let persisted = persisted.clone();
        use_effect_with(part, move |part| {
            let listener = (*part == Part::Shell).then(|| {
                Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
                    let Some(progress) = extra::writes_of(&event) else {
                        return;
                    };
                    dispatcher.dispatch(Action::WriteStatus {
                        pending: progress.pending,
                        done: progress.done,
                        failed: progress.failed,
                    });
                    if progress.done && progress.pending == 0 {
                        let dispatcher = dispatcher.clone();
                        let persisted = persisted.clone();
                        spawn_local(async move {
                            // A change made here meanwhile is written first, so that the data
                            // read back holds it.
                            writer::idle().await;
                            if let Ok(data) = db::load().await {
                                // IndexedDB holds exactly this: the next change is diffed
                                // against it.
                                *persisted.borrow_mut() = Persisted::default();
                                dispatcher.dispatch(Action::Loaded(data));
                            }
                        });
                    }
                })
            });
            let window = web_sys::window();
            if let (Some(window), Some(listener)) = (&window, &listener) {
                let _ = window.add_event_listener_with_callback(
                    extra::WRITES_EVENT,
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let (Some(window), Some(listener)) = (window, listener) {
                    let _ = window.remove_event_listener_with_callback(
                        extra::WRITES_EVENT,
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }

    // Persist: after every render, write the records whose Rc changed since the last write.
    {
        let state = store.clone();
        let persisted = persisted.clone();
        let dispatcher = store.dispatcher();
        use_effect(move || {
            if state.loaded {
                persist(part, &state.data, &persisted, dispatcher);
            }
        });
    }
    store
}

thread_local! {
    static CHECKLISTS: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Loads the checklists into zicha-core's catalog, once per module (the extra module is mounted
/// again and again); every caller waits for the same load and gets its outcome.
pub(crate) async fn load_checklists_once() -> Result<(), String> {
    let promise = CHECKLISTS.with(|loading| {
        loading
            .borrow_mut()
            .get_or_insert_with(|| {
                future_to_promise(async {
                    checklists::load()
                        .await
                        .map(|()| JsValue::UNDEFINED)
                        .map_err(|error| JsValue::from_str(&error.0))
                })
            })
            .clone()
    });
    JsFuture::from(promise)
        .await
        .map(drop)
        .map_err(|error| error.as_string().unwrap_or_default())
}

/// The Zicha app.
#[function_component(App)]
pub fn app() -> Html {
    let store = use_app_store(Part::Shell);

    {
        let lang = store.lang();
        use_effect_with(lang, |lang| {
            if let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                let _ = root.set_attribute("lang", lang.tag());
            }
        });
    }

    html! {
        <ContextProvider<UseReducerHandle<AppState>> context={store}>
            <Shell />
        </ContextProvider<UseReducerHandle<AppState>>>
    }
}

/// What the persistence effect knows.
#[derive(Default)]
struct Persisted {
    /// What IndexedDB holds, as far as this tab knows: the base of the next diff.
    base: Option<Data>,
    /// The data at the last run, so that only a change of the data starts writes (a failed
    /// write is retried with the next change, not in a loop).
    seen: Option<Data>,
}

fn persist(
    part: Part,
    data: &Data,
    persisted: &Rc<RefCell<Persisted>>,
    dispatcher: UseReducerDispatcher<AppState>,
) {
    let mut known = persisted.borrow_mut();
    if known
        .seen
        .as_ref()
        .is_some_and(|seen| diff(seen, data).is_empty())
    {
        return;
    }
    known.seen = Some(data.clone());
    let Some(base) = known.base.as_ref() else {
        // Just loaded: IndexedDB holds exactly this.
        known.base = Some(data.clone());
        return;
    };
    let writes = diff(base, data);
    if writes.is_empty() {
        return;
    }
    known.base = Some(data.clone());
    let persisted = persisted.clone();
    writer::shared().enqueue(
        writes,
        Rc::new(move |progress: Progress| {
            let failed = progress.error.is_some();
            if let Some(error) = progress.error {
                // Write everything again with the next change: nothing is taken as stored
                // that may not be.
                persisted.borrow_mut().base = Some(Data::default());
                let kind = if error.is_quota() {
                    NoticeKind::QuotaExceeded
                } else {
                    NoticeKind::StorageFailed
                };
                dispatcher.dispatch(Action::Notify(Notice {
                    kind,
                    detail: error.0,
                }));
            }
            if part == Part::Extra {
                extra::report_writes(progress.pending, progress.done, failed);
            }
            dispatcher.dispatch(Action::WriteStatus {
                pending: progress.pending,
                done: progress.done,
                failed,
            });
        }),
    );
}

/// Header, navigation, notices and the current page.
#[function_component(Shell)]
fn shell() -> Html {
    let store = crate::hooks::use_store();
    let route = use_route();
    let lang = store.lang();
    let t = |key: T| key.get(lang);

    let nav_link = |target: Route, label: T| {
        let current = match (&route, &target) {
            (Route::Inspection(..) | Route::Report(..), Route::Home) => true,
            (a, b) => a == b,
        };
        html! {
            <a href={target.href()} class="nav-link"
               aria-current={current.then_some("page")}>{ t(label) }</a>
        }
    };

    let (save_class, save_text) = if store.write_failed {
        ("save-status failed", t(T::SaveFailed))
    } else if store.pending_writes > 0 {
        ("save-status saving", t(T::Saving))
    } else {
        ("save-status", t(T::Saved))
    };

    let page = if !store.loaded {
        html! { <p class="loading" aria-busy="true">{ t(T::Loading) }</p> }
    } else {
        match route.clone() {
            Route::Home => html! { <HomePage /> },
            Route::Inspection(id, section) => html! { <InspectionPage {id} {section} /> },
            Route::Ledger => html! { <LedgerPage /> },
            // The same component for every screen of the extra module, so that moving between
            // them keeps it mounted.
            Route::Report(_) | Route::Keys | Route::Verify | Route::Settings => {
                html! { <ExtraHost /> }
            }
        }
    };

    html! {
        <>
            <a class="skip-link" href="#main">{ t(T::SkipToContent) }</a>
            <header class="app-header">
                <div class="brand">
                    <span class="brand-mark" aria-hidden="true">{ "查" }</span>
                    <span class="brand-name">{ t(T::AppName) }</span>
                    <span class="brand-tagline">{ t(T::AppTagline) }</span>
                </div>
                <nav class="main-nav" aria-label={t(T::MainNav)}>
                    { nav_link(Route::Home, T::NavHome) }
                    { nav_link(Route::Ledger, T::NavLedger) }
                    { nav_link(Route::Keys, T::NavKeys) }
                    { nav_link(Route::Verify, T::NavVerify) }
                    { nav_link(Route::Settings, T::NavSettings) }
                </nav>
                <span id="save-status" class={save_class} role="status"
                      data-pending={store.pending_writes.to_string()}
                      data-written={store.writes_done.to_string()}
                      data-loaded={store.loaded.to_string()}>{ save_text }</span>
            </header>
            <Notices />
            <main id="main" tabindex="-1">{ page }</main>
        </>
    }
}
