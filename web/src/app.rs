//! The root component: provides the store, loads the data from IndexedDB, writes every change the
//! moment it happens, registers the service worker, and lays out the header, notices and the
//! current screen. The screens of the second UI module (`extra`: keys, sign & export, verify,
//! settings) are mounted into the page by [`ExtraHost`]; they show this store's state and ask it
//! for changes through the port of state/port.rs (services/extra.rs): this store is the only writer
//! of records.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
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
use crate::state::{self, Action, AppState, Data, Notice, NoticeKind};

/// The store: installs the index of the checklists and loads the data, then writes every change
/// to IndexedDB the moment it happens, in the order the changes were made (services/writer.rs).
/// The extra module's changes arrive as actions too (services/extra.rs), so they are written by the
/// same queue. The checklists the screen shown needs are fetched when it first needs them
/// ([`Shell`], state/checklists.rs), never before the first screen.
#[hook]
fn use_app_store() -> UseReducerHandle<AppState> {
    let store = use_reducer(|| AppState::new(clock::today()));
    let persisted = use_mut_ref(Persisted::default);

    {
        let dispatcher = store.dispatcher();
        use_effect_with((), move |_| {
            // The app has drawn its header: the copy index.html painted before the wasm came goes.
            if let Some(splash) = web_sys::window()
                .and_then(|window| window.document())
                .and_then(|document| document.get_element_by_id("zicha-splash"))
            {
                splash.remove();
            }
            extra::connect(dispatcher.clone());
            // The index is in index.html: no request, nothing to wait for.
            if let Err(error) = checklists::install_index() {
                dispatcher.dispatch(Action::Notify(Notice {
                    kind: NoticeKind::ChecklistsFailed,
                    detail: error.0,
                }));
            }
            let load = dispatcher.clone();
            spawn_local(async move {
                // Imported checklists first, so that the first screen resolves their inspections.
                if let Err(error) = checklists::load_imported().await {
                    load.dispatch(Action::Notify(Notice {
                        kind: NoticeKind::ChecklistsFailed,
                        detail: error.0,
                    }));
                }
                match db::load().await {
                    Ok(data) => load.dispatch(Action::Loaded(data)),
                    Err(error) => load.dispatch(Action::Notify(Notice {
                        kind: NoticeKind::LoadFailed,
                        detail: error.0,
                    })),
                }
                if let Some(estimate) = storage::estimate().await
                    && estimate.is_low()
                {
                    load.dispatch(Action::Notify(Notice {
                        kind: NoticeKind::StorageLow,
                        detail: String::new(),
                    }));
                }
                // Interactive now: let the service worker cache the checklists, the report
                // worker, the extra module and the font, and say when the app works offline.
                let offline = load.clone();
                sw::warm(move |missing| {
                    offline.dispatch(if missing.is_empty() {
                        Action::OfflineReady
                    } else {
                        Action::Notify(Notice {
                            kind: NoticeKind::OfflineMissing,
                            detail: missing.join("、"),
                        })
                    })
                });
            });
            let update = dispatcher;
            sw::register(move || {
                update.dispatch(Action::Notify(Notice {
                    kind: NoticeKind::UpdateReady,
                    detail: String::new(),
                }))
            });
        });
    }

    // Persist: after every render, write the records whose Rc changed since the last write.
    {
        let state = store.clone();
        let persisted = persisted.clone();
        let dispatcher = store.dispatcher();
        use_effect(move || {
            if state.loaded {
                persist(&state.data, &persisted, dispatcher);
            }
        });
    }
    // A write failed (storage full): the data stays in memory and is written again every
    // RETRY_MS until a write succeeds, with no change needed from the user (who has been told to
    // free space or download a backup).
    {
        let persisted = persisted.clone();
        let dispatcher = store.dispatcher();
        use_effect_with(store.write_failed, move |failed| {
            let retry = failed.then(|| {
                gloo_timers::callback::Interval::new(RETRY_MS, move || {
                    retry(&persisted, dispatcher.clone())
                })
            });
            move || drop(retry)
        });
    }
    store
}

/// How often writes that failed are tried again (ms): soon after space is freed, and rarely
/// enough that a full disk costs nothing (the whole data is written each time).
const RETRY_MS: u32 = 5_000;

/// The Zicha app.
#[function_component(App)]
pub fn app() -> Html {
    let store = use_app_store();

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
    /// write is retried with the next change, or by the timer of [`RETRY_MS`]).
    seen: Option<Data>,
    /// The last write failed: its notice is shown, and retries that fail too say nothing more.
    failing: bool,
}

/// Writes the data last seen again, against the base a failed write left (nothing taken as stored).
fn retry(persisted: &Rc<RefCell<Persisted>>, dispatcher: UseReducerDispatcher<AppState>) {
    let Some(data) = persisted.borrow_mut().seen.take() else {
        return;
    };
    persist(&data, persisted, dispatcher);
}

fn persist(
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
                let mut known = persisted.borrow_mut();
                known.base = Some(Data::default());
                let announced = std::mem::replace(&mut known.failing, true);
                drop(known);
                if !announced {
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
            } else if progress.done {
                persisted.borrow_mut().failing = false;
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

    // The checklists of the screen shown: fetched once each, in the background; the screens
    // render again as each arrives (here, not in the store's hook, so that one route hook serves
    // both).
    {
        let needed = if store.loaded {
            state::checklists::needed(&route, &store.data)
        } else {
            Vec::new()
        };
        let dispatcher = store.dispatcher();
        use_effect_with(needed, move |needed| {
            let wanted = checklists::to_fetch(needed);
            // One after the other (a screen rarely needs more than one): one task, less code in
            // the shell than a task per checklist.
            if !wanted.is_empty() {
                spawn_local(async move {
                    for reference in wanted {
                        let action = match checklists::fetch(&reference).await {
                            Ok(()) => Action::ChecklistLoaded(reference.id),
                            Err(error) => Action::Notify(Notice {
                                kind: NoticeKind::ChecklistsFailed,
                                detail: error.0,
                            }),
                        };
                        dispatcher.dispatch(action);
                    }
                });
            }
        });
    }
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
        // What index.html's splash shows, in the same place: nothing moves when the app takes over.
        html! {
            <div class="page">
                <p class="intro">{ t(T::Intro) }</p>
                <p class="loading" aria-busy="true">{ t(T::Loading) }</p>
            </div>
        }
    } else {
        match route.clone() {
            Route::Home => html! { <HomePage /> },
            Route::Inspection(id, section) => html! { <InspectionPage {id} {section} /> },
            Route::Ledger => html! { <LedgerPage /> },
            // The same component for every screen of the extra module, so that moving between
            // them keeps it mounted.
            Route::Report(_)
            | Route::Keys
            | Route::Verify
            | Route::Settings
            | Route::Checklists => {
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
                    { nav_link(Route::Checklists, T::NavChecklists) }
                    { nav_link(Route::Keys, T::NavKeys) }
                    { nav_link(Route::Verify, T::NavVerify) }
                    { nav_link(Route::Settings, T::NavSettings) }
                </nav>
                if store.offline_ready {
                    // In the header's free space beside the save status: appearing moves nothing.
                    <span id="offline-status" class="offline-status" role="status"
                          title={t(T::OfflineReady)} aria-label={t(T::OfflineReady)}>
                        <span aria-hidden="true">{ t(T::OfflineChip) }</span>
                    </span>
                }
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
