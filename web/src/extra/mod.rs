//! The extra UI module: the second wasm module of the app's UI (`src/bin/zicha-extra.rs`),
//! loaded by the shell when a screen it holds is first opened and cached by the service worker
//! for offline use. It holds the keys, sign & export, verify, settings and 检查表 screens and the
//! bundle and xlsx exports — with them the code that talks to the report worker — so the first screen does not
//! wait for their code (services/extra.rs is the shell's side).
//!
//! It registers `self.zichaExtraApi` with `connect(up)`, `mount(element)`, `unmount(element)`
//! and `down(json)`. It is a view over the shell's store: its screens read `use_store()` as the
//! shell's do, and that store only ever holds what the shell last sent ([`Down::Show`]); every
//! change to records goes up to the shell as an [`Up`] message ([`send`]), and the shell writes
//! it. The module writes only what is its own: keys, pads, and photos and imported checklists
//! (both content-addressed, never changed: services/imported.rs).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use web_sys::Element;
use yew::AppHandle;
use yew::prelude::*;

use crate::hooks::{use_route, use_store};
use crate::i18n::T;
use crate::pages::{
    checklists::ChecklistsPage, keys::KeysPage, report::ReportPage, settings::SettingsPage,
    verify::VerifyPage,
};
use crate::route::Route;
use crate::services::{checklists, clock, exports, files, imported, worker};
use crate::state::jobs::{Job, Snapshot};
use crate::state::port::{self, Down, Up};
use crate::state::{Action, AppState, Data, Notice, NoticeKind};

thread_local! {
    /// The element the screens are mounted in, and their renderer.
    static MOUNTED: RefCell<Option<(Element, AppHandle<ExtraApp>)>> = const { RefCell::new(None) };
    /// The shell's function that takes [`Up`] messages.
    static UP: RefCell<Option<Function>> = const { RefCell::new(None) };
    /// What the shell last showed, for a store made later.
    static SHOWN: RefCell<Option<Rc<AppState>>> = const { RefCell::new(None) };
    /// The store of the mounted screens.
    static STORE: RefCell<Option<UseReducerDispatcher<AppState>>> = const { RefCell::new(None) };
}

/// Registers the module's API for the shell.
pub fn start() {
    let api = Object::new();
    let connect = Closure::<dyn Fn(Function)>::new(|up: Function| {
        UP.with(|slot| *slot.borrow_mut() = Some(up));
    });
    let mount = Closure::<dyn Fn(Element)>::new(|root: Element| {
        if let Some((_, handle)) = MOUNTED.with(|mounted| mounted.borrow_mut().take()) {
            handle.destroy();
        }
        let handle = yew::Renderer::<ExtraApp>::with_root(root.clone()).render();
        MOUNTED.with(|mounted| *mounted.borrow_mut() = Some((root, handle)));
    });
    let unmount = Closure::<dyn Fn(Element)>::new(unmount);
    let down = Closure::<dyn Fn(String)>::new(receive);
    let _ = Reflect::set(&api, &"connect".into(), &connect.into_js_value());
    let _ = Reflect::set(&api, &"mount".into(), &mount.into_js_value());
    let _ = Reflect::set(&api, &"unmount".into(), &unmount.into_js_value());
    let _ = Reflect::set(&api, &"down".into(), &down.into_js_value());
    let _ = Reflect::set(&js_sys::global(), &"zichaExtraApi".into(), &api);
    // The index of the checklists, which the verify screen and exports read.
    spawn_local(async {
        let _ = load_checklists_once().await;
    });
}

/// Sends `up` to the shell, whose store does it (and writes what changed).
pub fn send(up: Up) {
    let json = port::to_json(&up);
    if let Some(up) = UP.with(|slot| slot.borrow().clone()) {
        let _ = up.call1(&JsValue::NULL, &JsValue::from_str(&json));
    }
}

/// A message of the shell.
fn receive(json: String) {
    match port::from_json::<Down>(&json) {
        Ok(Down::Show {
            snapshot,
            today,
            pending_writes,
            write_failed,
            writes_done,
        }) => match port::shown(snapshot, today, pending_writes, write_failed, writes_done) {
            Ok(state) => {
                let state = Rc::new(state);
                SHOWN.with(|shown| *shown.borrow_mut() = Some(state.clone()));
                if let Some(store) = STORE.with(|store| store.borrow().clone()) {
                    store.dispatch(Action::Mirror(state));
                }
            }
            Err(detail) => send(Up::Notify(Notice {
                kind: NoticeKind::LoadFailed,
                detail,
            })),
        },
        Ok(Down::ExportBundle { inspection_id }) => {
            let data = SHOWN.with(|shown| shown.borrow().as_ref().map(|s| s.data.clone()));
            spawn_local(async move {
                let result = match data {
                    Some(data) => export_bundle(&data, &inspection_id).await,
                    None => Err("the app shell sent no records".to_owned()),
                };
                if let Err(detail) = result {
                    send(Up::Notify(Notice {
                        kind: NoticeKind::ExportFailed,
                        detail,
                    }));
                }
            })
        }
        Ok(Down::ExportXlsx { inspection_id }) => {
            let state = SHOWN.with(|shown| shown.borrow().clone());
            spawn_local(async move {
                let result = match state {
                    Some(state) => export_xlsx(&state, inspection_id.as_deref()).await,
                    None => Err("the app shell sent no records".to_owned()),
                };
                if let Err(detail) = result {
                    send(Up::Notify(Notice {
                        kind: NoticeKind::ExportFailed,
                        detail,
                    }));
                }
            })
        }
        Err(error) => send(Up::Notify(Notice {
            kind: NoticeKind::LoadFailed,
            detail: format!("a message of the app shell cannot be read: {error}"),
        })),
    }
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

/// Installs the index of the checklists (in index.html) as zicha-core's catalog, once per module.
/// The module's screens and exports need no checklist itself: the verify screen names a report's
/// checklist from the index, exports fetch its TOML text (services/checklist_source.rs).
pub(crate) async fn load_checklists_once() -> Result<(), String> {
    checklists::install_index().map_err(|error| error.0)?;
    // The imported ones (a record that cannot be read is the shell's notice already).
    let _ = checklists::load_imported().await;
    Ok(())
}

/// Exports the `.zicha` bundle of one inspection as a download, from the records the shell sent.
async fn export_bundle(data: &Data, inspection_id: &str) -> Result<(), String> {
    load_checklists_once().await?;
    let (name, bytes) = exports::export_bundle(data, inspection_id).await?;
    files::download(&bytes, &name, "application/zip").map_err(|e| e.0)
}

/// Exports the 检查结果 of one inspection (with its 隐患台账 and 汇总), or with none the whole
/// 隐患台账, as an xlsx download: the report worker writes it from the records the shell sent.
async fn export_xlsx(state: &AppState, inspection_id: Option<&str>) -> Result<(), String> {
    load_checklists_once().await?;
    let data = &state.data;
    let job = match inspection_id {
        Some(inspection_id) => Job::ExportResults {
            snapshot: Snapshot::of_inspection(data, inspection_id),
            inspection_id: inspection_id.to_owned(),
            checklist_source: exports::checklist_source(data, inspection_id)
                .await?
                .ok_or("the inspection's checklist is not known")?,
            as_of: state.today,
        },
        None => Job::ExportLedger {
            snapshot: Snapshot::from(data),
            as_of: state.today,
        },
    };
    let done = worker::run(&job, Vec::new(), None, None).await?;
    let (name, bytes) = imported::file_of(done)?;
    files::download(&bytes, &name, XLSX_MIME).map_err(|e| e.0)
}

/// The media type of an xlsx file.
pub(crate) const XLSX_MIME: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The root of the mounted module: a store that shows what the shell sent, and the screen of the
/// route once the checklists are in.
#[function_component(ExtraApp)]
fn extra_app() -> Html {
    let store = use_reducer(|| {
        SHOWN
            .with(|shown| shown.borrow().clone())
            .map_or_else(|| AppState::new(clock::today()), |shown| (*shown).clone())
    });
    let checklists_in = use_state(|| false);
    {
        let dispatcher = store.dispatcher();
        let checklists_in = checklists_in.clone();
        use_effect_with((), move |_| {
            STORE.with(|store| *store.borrow_mut() = Some(dispatcher.clone()));
            // A show that came between the first render and now.
            if let Some(shown) = SHOWN.with(|shown| shown.borrow().clone()) {
                dispatcher.dispatch(Action::Mirror(shown));
            }
            spawn_local(async move {
                // A failure is the shell's notice already (it loads the same files).
                let _ = load_checklists_once().await;
                checklists_in.set(true);
            });
            move || {
                STORE.with(|store| {
                    let mut store = store.borrow_mut();
                    if store.as_ref() == Some(&dispatcher) {
                        *store = None;
                    }
                });
            }
        });
    }
    let ready = *checklists_in;
    html! {
        <ContextProvider<UseReducerHandle<AppState>> context={store}>
            <Screens {ready} />
        </ContextProvider<UseReducerHandle<AppState>>>
    }
}

/// Props of [`Screens`].
#[derive(Properties, PartialEq)]
struct ScreensProps {
    /// The checklists are loaded.
    ready: bool,
}

#[function_component(Screens)]
fn screens(props: &ScreensProps) -> Html {
    let store = use_store();
    let route = use_route();
    if !store.loaded || !props.ready {
        return html! { <p class="loading" aria-busy="true">{ T::Loading.get(store.lang()) }</p> };
    }
    match route {
        Route::Report(id) => html! { <ReportPage {id} /> },
        Route::Keys => html! { <KeysPage /> },
        Route::Verify => html! { <VerifyPage /> },
        Route::Settings => html! { <SettingsPage /> },
        Route::Checklists => html! { <ChecklistsPage /> },
        // The shell's screens: it unmounts this module right away.
        Route::Home | Route::Inspection(..) | Route::Ledger => html! {},
    }
}
