//! Signing keys: create one in this browser (a non-extractable WebCrypto ECDSA P-256 key with a
//! self-issued certificate and a one-time, passphrase-encrypted backup), import a .p12 from a CA
//! or a key backup (kept as imported, passphrase-encrypted), show and export each certificate and
//! its fingerprint (file and QR code) for registration with the regulator, delete.

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

/// A record id from the kind and the certificate fingerprint: importing the same file twice
/// replaces the record, while a browser key and its imported backup are two keys.
fn key_id(kind: KeyKind, certificate: &CertificateInfo) -> String {
    let kind = match kind {
        KeyKind::Browser => "browser",
        KeyKind::Pkcs12 => "p12",
        KeyKind::Backup => "backup",
    };
    format!(
        "K-{kind}-{}",
        certificate
            .fingerprint
            .get(..16)
            .unwrap_or(&certificate.fingerprint)
    )
}

/// The keys page.
#[function_component(KeysPage)]
pub fn keys_page() -> Html {
    let store = use_store();
    let lang = store.lang();
    let t = |key: T| key.get(lang);
    let keys = use_state(|| None::<Vec<KeyEntry>>);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let qr = use_state(|| None::<(String, String)>);
    let reload = use_state(|| 0u32);

    {
        let keys = keys.clone();
        let error = error.clone();
        use_effect_with(*reload, move |_| {
            spawn_local(async move {
                match signing::keys().await {
                    Ok(list) => keys.set(Some(list)),
                    Err(e) => error.set(Some(e.0)),
                }
            });
        });
    }

    let profile = store.data.profile.as_deref().cloned().unwrap_or_default();
    let signer = use_state(|| profile.safety_lead.clone());
    let days = use_state(|| 1095u32);
    let passphrase = use_state(String::new);
    let passphrase_again = use_state(String::new);

    let on_create = {
        let (signer, days, passphrase, passphrase_again) = (
            signer.clone(),
            days.clone(),
            passphrase.clone(),
            passphrase_again.clone(),
        );
        let (error, busy, reload) = (error.clone(), busy.clone(), reload.clone());
        let profile = profile.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if passphrase.chars().count() < 8 {
                error.set(Some(T::PassphraseShort.get(lang).to_owned()));
                return;
            }
            if *passphrase != *passphrase_again {
                error.set(Some(T::PassphraseMismatch.get(lang).to_owned()));
                return;
            }
            let job = Job::CreateKey {
                subject: Subject {
                    signer: signer.trim().to_owned(),
                    organisation: profile.name.trim().to_owned(),
                    credit_code: profile.credit_code.trim().to_owned(),
                },
                not_before: clock::now(),
                days: *days,
                backup_passphrase: (*passphrase).clone(),
            };
            let (error, busy, reload) = (error.clone(), busy.clone(), reload.clone());
            let (passphrase, passphrase_again) = (passphrase.clone(), passphrase_again.clone());
            busy.set(true);
            error.set(None);
            spawn_local(async move {
                let result = async {
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
                    // The one chance to keep a copy: offered at once.
                    let name = format!(
                        "zicha-key-backup-{}-{}.pem",
                        crate::state::jobs::file_safe(certificate.signer.as_deref().unwrap_or("")),
                        &certificate.fingerprint[..8.min(certificate.fingerprint.len())]
                    );
                    files::download(&backup, &name, "application/x-pem-file").map_err(|e| e.0)
                }
                .await;
                busy.set(false);
                passphrase.set(String::new());
                passphrase_again.set(String::new());
                match result {
                    Ok(()) => reload.set(*reload + 1),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    let import_passphrase = use_state(String::new);
    let import_file = use_state(|| None::<web_sys::File>);
    let on_import = {
        let (import_passphrase, import_file) = (import_passphrase.clone(), import_file.clone());
        let (error, busy, reload) = (error.clone(), busy.clone(), reload.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(file) = (*import_file).clone() else {
                error.set(Some(T::ChooseFile.get(lang).to_owned()));
                return;
            };
            let passphrase = (*import_passphrase).clone();
            let (error, busy, reload) = (error.clone(), busy.clone(), reload.clone());
            let (import_passphrase, import_file) = (import_passphrase.clone(), import_file.clone());
            busy.set(true);
            error.set(None);
            spawn_local(async move {
                let result = async {
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
                .await;
                busy.set(false);
                import_passphrase.set(String::new());
                match result {
                    Ok(()) => {
                        import_file.set(None);
                        reload.set(*reload + 1)
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    let on_qr = {
        let qr = qr.clone();
        let error = error.clone();
        Callback::from(move |fingerprint: String| {
            let qr = qr.clone();
            let error = error.clone();
            spawn_local(async move {
                let job = Job::Qr {
                    text: format!("zicha-cert-sha256:{fingerprint}"),
                };
                match worker::run(&job, Vec::new(), None, None).await {
                    Ok(worker::Done {
                        reply: Reply::Qr { svg },
                        ..
                    }) => qr.set(Some((fingerprint, svg))),
                    Ok(_) => {}
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    let on_delete = {
        let (error, reload) = (error.clone(), reload.clone());
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
            let (error, reload) = (error.clone(), reload.clone());
            spawn_local(async move {
                match signing::delete_key(&entry.id).await {
                    Ok(()) => reload.set(*reload + 1),
                    Err(e) => error.set(Some(e.0)),
                }
            });
        })
    };

    let key_card = |entry: &KeyEntry| {
        let meta = entry.meta.clone();
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
        let shown_qr = qr
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
    let field_input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |event: InputEvent| state.set(input_value(&event)))
    };
    let on_days = {
        let days = days.clone();
        Callback::from(move |event: InputEvent| {
            if let Ok(value) = input_value(&event).parse::<u32>() {
                days.set(value.clamp(1, 3650));
            }
        })
    };
    let on_file = {
        let import_file = import_file.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            import_file.set(input.files().and_then(|files| files.get(0)));
        })
    };

    html! {
        <div class="page keys-page">
            <h1>{ t(T::KeysTitle) }</h1>
            <p class="notice warning" role="note">{ t(T::KeysWarning) }</p>
            if let Some(message) = &*error {
                <p class="notice error" role="alert" id="keys-error">{ message.clone() }</p>
            }
            <section class="card" aria-labelledby="keys-list-title">
                <h2 id="keys-list-title">{ t(T::KeysList) }</h2>
                {
                    match &*keys {
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
                        <input id="key-signer" type="text" required=true value={(*signer).clone()}
                            oninput={field_input(&signer)} autocomplete="name" />
                    </div>
                    <div class="field">
                        <label for="key-days">{ t(T::ValidityDays) }</label>
                        <input id="key-days" type="number" min="1" max="3650" value={days.to_string()}
                            oninput={on_days} inputmode="numeric" />
                    </div>
                    <div class="field">
                        <label for="key-pass">{ t(T::BackupPassphrase) }</label>
                        <input id="key-pass" type="password" required=true minlength="8"
                            value={(*passphrase).clone()} oninput={field_input(&passphrase)}
                            autocomplete="new-password" aria-describedby="key-pass-hint" />
                        <p id="key-pass-hint" class="hint">{ t(T::BackupPassphraseHint) }</p>
                    </div>
                    <div class="field">
                        <label for="key-pass-again">{ t(T::PassphraseAgain) }</label>
                        <input id="key-pass-again" type="password" required=true minlength="8"
                            value={(*passphrase_again).clone()} oninput={field_input(&passphrase_again)}
                            autocomplete="new-password" />
                    </div>
                    <div class="button-row">
                        <button type="submit" class="button primary" disabled={*busy || !can_create}>{ t(T::CreateKey) }</button>
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
                        <input id="key-import-pass" type="password" value={(*import_passphrase).clone()}
                            oninput={field_input(&import_passphrase)} autocomplete="current-password" />
                    </div>
                    <div class="button-row">
                        <button type="submit" class="button" disabled={*busy}>{ t(T::ImportKey) }</button>
                    </div>
                </form>
            </section>
        </div>
    }
}
