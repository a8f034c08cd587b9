//! Settings: language, backup and restore, storage use and persistent storage. The language and
//! the restored records are the shell's to write: they go up the port (state/port.rs); the
//! restored photos are stored here first, so no record refers to a photo that is not stored.

use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::extra::send;
use crate::hooks::use_store;
use crate::i18n::{self, Lang, T};
use crate::services::persistent;
use crate::services::storage::{self, Estimate};
use crate::services::{blobs, exports, files, imported};
use crate::state::port::{Records, Up};
use crate::state::{Notice, NoticeKind, backup};

/// The settings page.
#[function_component(SettingsPage)]
pub fn settings_page() -> Html {
    let store = use_store();
    let lang = store.lang();
    let t = |key: T| key.get(lang);
    let estimate = use_state(|| None::<Estimate>);
    let persisted = use_state(|| None::<bool>);
    let busy = use_state(|| false);

    {
        let estimate = estimate.clone();
        let persisted = persisted.clone();
        // Refresh after every write, so the figures follow the data.
        use_effect_with(store.pending_writes, move |_| {
            spawn_local(async move {
                estimate.set(storage::estimate().await);
                persisted.set(Some(persistent::persisted().await));
            });
        });
    }

    let lang_radio = |value: Lang, label: &'static str| {
        let onchange = Callback::from(move |_| send(Up::SetLang(value)));
        let id = format!("lang-{}", value.tag());
        html! {
            <span class="radio">
                <input type="radio" name="lang" id={id.clone()} checked={lang == value} {onchange} />
                <label for={id}>{ label }</label>
            </span>
        }
    };

    let on_backup = {
        let store = store.clone();
        let busy = busy.clone();
        Callback::from(move |_| {
            let store = store.clone();
            let busy = busy.clone();
            busy.set(true);
            spawn_local(async move {
                let data = store.data.clone();
                let result = async {
                    let bytes = exports::backup(&data).await?;
                    let date = zicha_core::inspection::date_format::format(store.today);
                    files::download(
                        &bytes,
                        &format!("zicha-backup-{date}.zip"),
                        "application/zip",
                    )
                    .map_err(|e| e.0)
                }
                .await;
                busy.set(false);
                if let Err(detail) = result {
                    send(Up::Notify(Notice {
                        kind: NoticeKind::ExportFailed,
                        detail,
                    }));
                }
            });
        })
    };

    let on_restore = {
        let store = store.clone();
        let busy = busy.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            input.set_value("");
            let store = store.clone();
            let busy = busy.clone();
            busy.set(true);
            spawn_local(async move {
                let result = async {
                    let bytes = files::read(&file).await.map_err(|e| e.0)?;
                    let (restored, checklists) = exports::restore(bytes).await?;
                    // Photos and imported checklists first: a record must never refer to a photo
                    // or a checklist that is not stored.
                    blobs::store_photos(&restored.photos, restored.full_backup)
                        .await
                        .map_err(|e| e.0)?;
                    imported::store(checklists).await?;
                    Ok::<_, String>(restored)
                }
                .await;
                busy.set(false);
                let done = |kind| Notice {
                    kind,
                    detail: String::new(),
                };
                match result {
                    Ok(restored) if restored.full_backup => {
                        send(Up::Replace(Records::of(&restored.data)));
                        send(Up::Notify(done(NoticeKind::RestoreDone)));
                    }
                    Ok(restored) => {
                        // Added by the shell to what it holds when the message arrives.
                        let joined = backup::joined(&store.data, restored.data);
                        send(Up::Merge(Records::of(&joined)));
                        send(Up::Notify(done(NoticeKind::ImportDone)));
                    }
                    Err(detail) => send(Up::Notify(Notice {
                        kind: NoticeKind::RestoreFailed,
                        detail,
                    })),
                }
            });
        })
    };

    let on_persist = {
        let persisted = persisted.clone();
        Callback::from(move |_| {
            let persisted = persisted.clone();
            spawn_local(async move { persisted.set(Some(persistent::persist().await)) });
        })
    };

    let storage_info = match *estimate {
        Some(estimate) => html! {
            <>
                <dl class="storage" id="storage-estimate">
                    <dt>{ t(T::StorageUsed) }</dt><dd>{ i18n::megabytes(estimate.usage) }</dd>
                    <dt>{ t(T::StorageQuota) }</dt><dd>{ i18n::megabytes(estimate.quota) }</dd>
                </dl>
                <meter min="0" max={estimate.quota.to_string()} value={estimate.usage.to_string()}
                    high={(estimate.quota * 0.85).to_string()} aria-label={t(T::StorageUsed)}></meter>
                if estimate.is_low() {
                    <p class="notice error inline" role="alert">{ t(T::StorageLow) }</p>
                }
            </>
        },
        None => html! { <p class="muted">{ t(T::StorageUnknown) }</p> },
    };

    html! {
        <div class="page settings">
            <h1>{ t(T::SettingsTitle) }</h1>
            <div class="columns">
                <div class="column">
                    <section class="card" aria-labelledby="lang-title">
                        <h2 id="lang-title">{ t(T::Language) }</h2>
                        <div class="radios" role="radiogroup" aria-labelledby="lang-title">
                            { lang_radio(Lang::Zh, "中文") }
                            { lang_radio(Lang::En, "English") }
                        </div>
                    </section>
                    <section class="card" aria-labelledby="backup-title">
                        <h2 id="backup-title">{ t(T::BackupTitle) }</h2>
                        <p>{ t(T::BackupIntro) }</p>
                        <div class="button-row">
                            <button type="button" class="button primary" id="backup" onclick={on_backup} disabled={*busy}>{ t(T::Backup) }</button>
                            <span class="file-button">
                                <input id="restore-file" class="visually-hidden" type="file" accept=".zip,.zicha,application/zip"
                                    onchange={on_restore} disabled={*busy} aria-describedby="restore-warning" />
                                <label for="restore-file" class="button">{ t(T::Restore) }</label>
                            </span>
                        </div>
                        <p id="restore-warning" class="hint">{ t(T::RestoreWarning) }</p>
                    </section>
                </div>
                <div class="column">
                    <section class="card" aria-labelledby="storage-title">
                        <h2 id="storage-title">{ t(T::StorageTitle) }</h2>
                        { storage_info }
                        <h3>{ t(T::Persistent) }</h3>
                        <p id="persist-state" data-granted={persisted.map(|p| p.to_string()).unwrap_or_default()}>
                            { if *persisted == Some(true) { t(T::PersistGranted) } else { t(T::PersistDenied) } }
                        </p>
                        if *persisted != Some(true) {
                            <button type="button" class="button" onclick={on_persist}>{ t(T::RequestPersist) }</button>
                        }
                    </section>
                    <section class="card" aria-labelledby="about-title">
                        <h2 id="about-title">{ t(T::AboutTitle) }</h2>
                        <p>{ t(T::AboutText) }</p>
                    </section>
                </div>
            </div>
        </div>
    }
}
