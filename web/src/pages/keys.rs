//! Signing keys: create one in this browser (a non-extractable WebCrypto ECDSA P-256 key with a
//! self-issued certificate and a one-time, passphrase-encrypted backup), import a .p12 from a CA
//! or a key backup (kept as imported, passphrase-encrypted), show and export each certificate and
//! its fingerprint (file and QR code) for registration with the regulator, delete. The page's state
//! is the reducer of state/keys_page.rs; this page renders it and runs the effects.

use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::input_value;
use crate::hooks::use_store;
use crate::i18n::{Lang, T};
use crate::services::signing::{self, KeyEntry};
use crate::services::{clock, files, worker};
use crate::state::jobs::{CertificateInfo, Job, Reply, Subject};
use crate::state::keys::{KeyKind, StoredKey, grouped};
use crate::state::keys_page::{KeysAction, KeysError, KeysState, MAX_DAYS, key_id};

/// A certificate's validity for the screen: the dates of its RFC 3339 bounds.
fn validity(certificate: &CertificateInfo) -> String {
    let day = |t: &str| t.get(..10).unwrap_or(t).to_owned();
    format!(
        "{} – {}",
        day(&certificate.not_before),
        day(&certificate.not_after)
    )
}

fn kind_text(lang: Lang, kind: KeyKind) -> &'static str {
    match kind {
        KeyKind::Browser => T::KeyKindBrowser.get(lang),
        KeyKind::Pkcs12 => T::KeyKindPkcs12.get(lang),
        KeyKind::Backup => T::KeyKindBackup.get(lang),
    }
}

fn error_text(lang: Lang, error: &KeysError) -> String {
    match error {
        KeysError::PassphraseShort => T::PassphraseShort.get(lang).to_owned(),
        KeysError::PassphraseMismatch => T::PassphraseMismatch.get(lang).to_owned(),
        KeysError::ChooseFile => T::ChooseFile.get(lang).to_owned(),
        KeysError::Failed(detail) => detail.clone(),
    }
}

/// Makes a key in the browser (the worker), stores it and offers its backup at once: the one
/// chance to keep a copy.
async fn create_key(job: Job) -> Result<(), String> {
    let done = worker::run(&job, Vec::new(), None, None).await?;
    let Reply::KeyCreated { certificate } = done.reply else {
        return Err("the worker made no key".to_owned());
    };
    let mut bytes = done.bytes.into_iter();
    let (Some(der), Some(backup)) = (bytes.next(), bytes.next()) else {
        return Err("the worker made no certificate".to_owned());
    };
    let entry = KeyEntry {
        meta: StoredKey {
            id: key_id(KeyKind::Browser, &certificate),
            kind: KeyKind::Browser,
            added: signing::now_rfc3339(),
            certificate: certificate.clone(),
        },
        key: done.key,
        file: None,
        certificate: der,
    };
    signing::put_key(&entry).await.map_err(|e| e.0)?;
    let name = format!(
        "zicha-key-backup-{}-{}.pem",
        crate::state::jobs::file_safe(certificate.signer.as_deref().unwrap_or("")),
        &certificate.fingerprint[..8.min(certificate.fingerprint.len())]
    );
    files::download(&backup, &name, "application/x-pem-file").map_err(|e| e.0)
}

/// Reads a .p12 or a key backup (the worker) and stores it as imported.
async fn import_key(file: web_sys::File, passphrase: String) -> Result<(), String> {
    let bytes = files::read(&file).await.map_err(|e| e.0)?;
    let is_backup = bytes.starts_with(b"-----BEGIN");
    let (job, kind) = if is_backup {
        (Job::ImportBackup { passphrase }, KeyKind::Backup)
    } else {
        (Job::ImportPkcs12 { passphrase }, KeyKind::Pkcs12)
    };
    let done = worker::run(&job, vec![bytes.clone()], None, None).await?;
    let Reply::KeyRead { certificate } = done.reply else {
        return Err("the worker read no key".to_owned());
    };
    let der = done.bytes.into_iter().next().unwrap_or_default();
    let entry = KeyEntry {
        meta: StoredKey {
            id: key_id(kind, &certificate),
            kind,
            added: signing::now_rfc3339(),
            certificate,
        },
        key: None,
        file: Some(bytes),
        certificate: der,
    };
    signing::put_key(&entry).await.map_err(|e| e.0)
}

/// The keys page.
#[function_component(KeysPage)]
pub fn keys_page() -> Html {
    let store = use_store();
    let lang = store.lang();
    let t = |key: T| key.get(lang);
    let profile = store.data.profile.as_deref().cloned().unwrap_or_default();
    let state = {
        let signer = profile.safety_lead.clone();
        use_reducer(move || KeysState::new(signer))
    };
    // The chosen file to import (a browser object, so not in the reducer's state).
    let import_file = use_state(|| None::<web_sys::File>);

    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.listing, move |_| {
            spawn_local(async move {
                let listed = signing::keys()
                    .await
                    .map(|entries| entries.into_iter().map(|entry| entry.meta).collect())
                    .map_err(|e| e.0);
                dispatcher.dispatch(KeysAction::Listed(listed));
            });
        });
    }

    let on_create = {
        let state = state.clone();
        let profile = profile.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(problem) = state.create_problem() {
                state.dispatch(KeysAction::Failed(problem));
                return;
            }
            let job = Job::CreateKey {
                subject: Subject {
                    signer: state.signer.trim().to_owned(),
                    organisation: profile.name.trim().to_owned(),
                    credit_code: profile.credit_code.trim().to_owned(),
                },
                not_before: clock::now(),
                days: state.days,
                backup_passphrase: state.passphrase.clone(),
            };
            state.dispatch(KeysAction::CreateStarted);
            let dispatcher = state.dispatcher();
            spawn_local(async move {
                dispatcher.dispatch(KeysAction::Created(create_key(job).await));
            });
        })
    };

    let on_import = {
        let state = state.clone();
        let import_file = import_file.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(file) = (*import_file).clone() else {
                state.dispatch(KeysAction::Failed(KeysError::ChooseFile));
                return;
            };
            state.dispatch(KeysAction::ImportStarted);
            let passphrase = state.import_passphrase.clone();
            let dispatcher = state.dispatcher();
            let import_file = import_file.clone();
            spawn_local(async move {
                let result = import_key(file, passphrase).await;
                if result.is_ok() {
                    import_file.set(None);
                }
                dispatcher.dispatch(KeysAction::Imported(result));
            });
        })
    };

    let on_qr = {
        let dispatcher = state.dispatcher();
        Callback::from(move |fingerprint: String| {
            let dispatcher = dispatcher.clone();
            spawn_local(async move {
                let job = Job::Qr {
                    text: format!("zicha-cert-sha256:{fingerprint}"),
                };
                match worker::run(&job, Vec::new(), None, None).await {
                    Ok(worker::Done {
                        reply: Reply::Qr { svg },
                        ..
                    }) => dispatcher.dispatch(KeysAction::Qr { fingerprint, svg }),
                    Ok(_) => {}
                    Err(e) => dispatcher.dispatch(KeysAction::Failed(KeysError::Failed(e))),
                }
            });
        })
    };

    let on_delete = {
        let dispatcher = state.dispatcher();
        Callback::from(move |entry: StoredKey| {
            let message = match entry.kind {
                KeyKind::Browser => T::DeleteBrowserKeyConfirm.get(lang),
                _ => T::DeleteKeyConfirm.get(lang),
            };
            let confirmed = web_sys::window()
                .and_then(|w| w.confirm_with_message(message).ok())
                .unwrap_or(false);
            if !confirmed {
                return;
            }
            let dispatcher = dispatcher.clone();
            spawn_local(async move {
                let result = signing::delete_key(&entry.id).await.map_err(|e| e.0);
                dispatcher.dispatch(KeysAction::Deleted(result));
            });
        })
    };

    let key_card = |meta: &StoredKey| {
        let meta = meta.clone();
        let certificate = &meta.certificate;
        let pem = certificate.pem.clone();
        let file_name = format!(
            "zicha-cert-{}.pem",
            &certificate.fingerprint[..16.min(certificate.fingerprint.len())]
        );
        let on_download = Callback::from(move |_| {
            let _ = files::download(pem.as_bytes(), &file_name, "application/x-pem-file");
        });
        let fingerprint = certificate.fingerprint.clone();
        let on_qr = on_qr.reform(move |_| fingerprint.clone());
        let on_delete = on_delete.reform({
            let meta = meta.clone();
            move |_| meta.clone()
        });
        let shown_qr = state
            .qr
            .as_ref()
            .filter(|(fingerprint, _)| *fingerprint == certificate.fingerprint)
            .map(|(_, svg)| svg.clone());
        html! {
            <li class="key-card card" data-key={meta.id.clone()} data-kind={format!("{:?}", meta.kind)}>
                <h3>{ certificate.signer.clone().unwrap_or_default() }</h3>
                <dl class="key-facts">
                    <dt>{ t(T::OrgName) }</dt><dd>{ certificate.organisation.clone().unwrap_or_default() }</dd>
                    <dt>{ t(T::CreditCode) }</dt><dd class="mono">{ certificate.credit_code.clone().unwrap_or_default() }</dd>
                    <dt>{ t(T::KeyKindLabel) }</dt><dd>{ kind_text(lang, meta.kind) }</dd>
                    <dt>{ t(T::Validity) }</dt><dd>{ validity(certificate) }</dd>
                    <dt>{ t(T::Algorithm) }</dt><dd>{ certificate.algorithm.clone() }</dd>
                    <dt>{ t(T::Fingerprint) }</dt>
                    <dd class="mono fingerprint" data-fingerprint={certificate.fingerprint.clone()}>{ grouped(&certificate.fingerprint) }</dd>
                </dl>
                if let Some(svg) = shown_qr {
                    <figure class="qr">
                        { Html::from_html_unchecked(AttrValue::from(svg)) }
                        <figcaption>{ t(T::QrCaption) }</figcaption>
                    </figure>
                }
                <div class="button-row">
                    <button type="button" class="button" onclick={on_download}>{ t(T::DownloadCertificate) }</button>
                    <button type="button" class="button" onclick={on_qr}>{ t(T::ShowQr) }</button>
                    <button type="button" class="button danger" onclick={on_delete}>{ t(T::Delete) }</button>
                </div>
            </li>
        }
    };

    let can_create = !profile.name.trim().is_empty()
        && zicha_core::org::validate_credit_code(&profile.credit_code).is_ok();
    let field_input = |action: fn(String) -> KeysAction| {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: InputEvent| dispatcher.dispatch(action(input_value(&event))))
    };
    let on_file = {
        let import_file = import_file.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            import_file.set(input.files().and_then(|files| files.get(0)));
        })
    };
    let busy = state.busy;

    html! {
        <div class="page keys-page">
            <h1>{ t(T::KeysTitle) }</h1>
            <p class="notice warning" role="note">{ t(T::KeysWarning) }</p>
            if let Some(error) = &state.error {
                <p class="notice error" role="alert" id="keys-error">{ error_text(lang, error) }</p>
            }
            <section class="card" aria-labelledby="keys-list-title">
                <h2 id="keys-list-title">{ t(T::KeysList) }</h2>
                {
                    match &state.keys {
                        None => html! { <p aria-busy="true">{ t(T::Loading) }</p> },
                        Some(list) if list.is_empty() => html! { <p class="muted">{ t(T::NoKeys) }</p> },
                        Some(list) => html! { <ul class="key-list">{ for list.iter().map(key_card) }</ul> },
                    }
                }
            </section>
            <section class="card" aria-labelledby="key-create-title">
                <h2 id="key-create-title">{ t(T::CreateKeyTitle) }</h2>
                <p class="muted">{ t(T::CreateKeyIntro) }</p>
                if !can_create {
                    <p class="notice">{ t(T::ProfileMissing) }</p>
                }
                <form class="form-grid" onsubmit={on_create} id="key-create">
                    <div class="field">
                        <label for="key-signer">{ t(T::Signer) }</label>
                        <input id="key-signer" type="text" required=true value={state.signer.clone()}
                            oninput={field_input(KeysAction::SetSigner)} autocomplete="name" />
                    </div>
                    <div class="field">
                        <label for="key-days">{ t(T::ValidityDays) }</label>
                        <input id="key-days" type="number" min="1" max={MAX_DAYS.to_string()} value={state.days.to_string()}
                            oninput={field_input(KeysAction::SetDays)} inputmode="numeric" />
                    </div>
                    <div class="field">
                        <label for="key-pass">{ t(T::BackupPassphrase) }</label>
                        <input id="key-pass" type="password" required=true minlength="8"
                            value={state.passphrase.clone()} oninput={field_input(KeysAction::SetPassphrase)}
                            autocomplete="new-password" aria-describedby="key-pass-hint" />
                        <p id="key-pass-hint" class="hint">{ t(T::BackupPassphraseHint) }</p>
                    </div>
                    <div class="field">
                        <label for="key-pass-again">{ t(T::PassphraseAgain) }</label>
                        <input id="key-pass-again" type="password" required=true minlength="8"
                            value={state.passphrase_again.clone()} oninput={field_input(KeysAction::SetPassphraseAgain)}
                            autocomplete="new-password" />
                    </div>
                    <div class="button-row">
                        <button type="submit" class="button primary" disabled={busy || !can_create}>{ t(T::CreateKey) }</button>
                    </div>
                </form>
            </section>
            <section class="card" aria-labelledby="key-import-title">
                <h2 id="key-import-title">{ t(T::ImportKeyTitle) }</h2>
                <p class="muted">{ t(T::ImportKeyIntro) }</p>
                <form class="form-grid" onsubmit={on_import} id="key-import">
                    <div class="field">
                        <label for="key-file">{ t(T::KeyFile) }</label>
                        <input id="key-file" type="file" accept=".p12,.pfx,.pem,application/x-pkcs12" onchange={on_file} />
                    </div>
                    <div class="field">
                        <label for="key-import-pass">{ t(T::Passphrase) }</label>
                        <input id="key-import-pass" type="password" value={state.import_passphrase.clone()}
                            oninput={field_input(KeysAction::SetImportPassphrase)} autocomplete="current-password" />
                    </div>
                    <div class="button-row">
                        <button type="submit" class="button" disabled={busy}>{ t(T::ImportKey) }</button>
                    </div>
                </form>
            </section>
        </div>
    }
}
