//! Sign and export one inspection: each party signs by hand on a pad and chooses a key; the
//! report worker renders the PDF (with the handwritten signatures on its signature page) and
//! applies the parties' digital signatures in order, each an incremental update; the signed
//! report.pdf is downloaded, and the inspection bundle next to it. Progress is shown while the
//! worker runs, and the job can be cancelled. The page's state is the reducer of
//! state/report_page.rs; this page renders it and runs the effects.

use std::collections::BTreeMap;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::components::signature_pad::SignaturePad;
use crate::components::{input_value, select_value};
use crate::hooks::use_store;
use crate::i18n::{self, Lang, T};
use crate::route::Route;
use crate::services::signing::{self, KeyEntry};
use crate::services::{clock, exports, files, signature, worker};
use crate::state::Data;
use crate::state::jobs::{
    CertificateInfo, HandwrittenRef, Job, Party, Reply, Snapshot, Stage, report_file_name,
};
use crate::state::report_page::{Choice, Outcome, ReportAction, ReportState};
use crate::state::signature::Strokes;

/// Props of [`ReportPage`].
#[derive(Properties, PartialEq)]
pub struct ReportPageProps {
    /// The inspection.
    pub id: String,
}

/// Size of the handwritten signature images put into the report (3:1, like the pad).
const PAD_PNG: (u32, u32) = (900, 300);

/// The parties who sign the report of this inspection (zicha-report's rule, asked of the worker,
/// which holds zicha-report).
async fn parties(data: &Data, id: &str) -> Result<Vec<Party>, String> {
    let job = Job::Parties {
        snapshot: Snapshot::of_inspection(data, id),
        inspection_id: id.to_owned(),
    };
    match worker::run(&job, Vec::new(), None, None).await?.reply {
        Reply::Parties { parties } => Ok(parties),
        _ => Err("the worker named no parties".into()),
    }
}

/// Why a key cannot sign at `now`: its certificate is not yet valid or expired (the report worker
/// refuses such a key too, with zicha-sign's rule); `None` when it can. A validity that cannot be
/// read is left to the worker.
fn unusable(certificate: &CertificateInfo, now: time::OffsetDateTime) -> Option<T> {
    let parse = |text: &str| zicha_core::dates::parse_rfc3339(text).ok();
    match (
        parse(&certificate.not_before),
        parse(&certificate.not_after),
    ) {
        (Some(start), _) if now < start => Some(T::KeyNotYetValid),
        (_, Some(end)) if now > end => Some(T::KeyExpired),
        _ => None,
    }
}

/// The certificate's signer when it is not `party` (the page says so next to the choice; the
/// worker signs the box the page chose, this party's own).
fn other_signer<'a>(certificate: &'a CertificateInfo, party: &Party) -> Option<&'a str> {
    certificate
        .signer
        .as_deref()
        .filter(|signer| signer.trim() != party.name.trim())
}

fn role_text(lang: Lang, role: &str) -> String {
    match (lang, role) {
        (Lang::Zh, _) => role.to_owned(),
        (Lang::En, "检查人") => "Inspector".to_owned(),
        (Lang::En, "企业负责人") => "Enterprise lead".to_owned(),
        (Lang::En, "监理") => "Supervising engineer".to_owned(),
        (Lang::En, other) => other.to_owned(),
    }
}

fn stage_text(lang: Lang, stage: Stage, done: u32, total: u32) -> String {
    let what = match stage {
        Stage::Font => T::StageFont,
        Stage::Photos => T::StagePhotos,
        Stage::Pages => T::StagePages,
        Stage::Signing => T::StageSigning,
        Stage::Checking => T::StageChecking,
        Stage::Writing => T::StageWriting,
    }
    .get(lang);
    match (done, total) {
        (_, 0) if done > 0 => format!("{what} {done}"),
        (_, 0) => what.to_owned(),
        _ => format!("{what} {done}/{total}"),
    }
}

/// The page.
#[function_component(ReportPage)]
pub fn report_page(props: &ReportPageProps) -> Html {
    let store = use_store();
    let lang = store.lang();
    let t = |key: T| key.get(lang);
    let id = props.id.clone();
    let state = use_reducer(ReportState::default);
    // Key entries hold browser objects (a CryptoKey), so they stay out of the reducer's state.
    let keys = use_state(Vec::<KeyEntry>::new);

    // After a run the outcome (or the error) is brought into view: on a phone it lands far below
    // the button that started it.
    {
        let finished = state.outcome.is_some() || state.error.is_some();
        use_effect_with(finished, |finished| {
            if *finished
                && let Some(element) = web_sys::window().and_then(|w| w.document()).and_then(|d| {
                    d.get_element_by_id("report-done")
                        .or_else(|| d.get_element_by_id("report-error"))
                })
            {
                element.scroll_into_view();
            }
        });
    }

    // Parties, keys and saved pads.
    {
        let (keys, id) = (keys.clone(), id.clone());
        let dispatcher = state.dispatcher();
        let data = store.data.clone();
        use_effect_with(id.clone(), move |_| {
            spawn_local(async move {
                if let Ok(list) = signing::keys().await {
                    keys.set(list);
                }
                let parties = match self::parties(&data, &id).await {
                    Ok(parties) => parties,
                    Err(message) => {
                        dispatcher.dispatch(ReportAction::Failed(message));
                        return;
                    }
                };
                let mut pads = BTreeMap::new();
                for party in parties.iter() {
                    let key = signing::pad_key(&id, &party.role, &party.name);
                    if let Ok(Some(json)) = signing::pad(&key).await
                        && let Ok(strokes) = serde_json::from_str::<Strokes>(&json)
                    {
                        pads.insert(key, strokes);
                    }
                }
                dispatcher.dispatch(ReportAction::Loaded { parties, pads });
            });
        });
    }

    let Some(stored) = store.data.inspections.get(&id).cloned() else {
        return html! { <p class="notice error">{ t(T::NotFound) }</p> };
    };

    let on_run = {
        let (store, state, keys) = (store.clone(), state.clone(), keys.clone());
        let id = id.clone();
        Callback::from(move |_| {
            let data = store.data.clone();
            let today = store.today;
            let (parties, pads, choices) = (
                state.parties.clone(),
                state.pads.clone(),
                state.choices.clone(),
            );
            let keys = (*keys).clone();
            let id = id.clone();
            state.dispatch(ReportAction::Started);
            let dispatcher = state.dispatcher();
            spawn_local(async move {
                let on_progress: worker::OnProgress = {
                    let dispatcher = dispatcher.clone();
                    Rc::new(move |stage, done, total| {
                        dispatcher.dispatch(ReportAction::Progress { stage, done, total });
                    })
                };
                let run = Run {
                    data: &data,
                    id: &id,
                    today,
                    parties: &parties,
                    pads: &pads,
                    choices: &choices,
                    keys: &keys,
                };
                let result = run.run(on_progress).await;
                dispatcher.dispatch(ReportAction::Finished(result));
            });
        })
    };

    let on_cancel = Callback::from(move |_| worker::cancel(T::Cancelled.get(lang)));

    let on_bundle = {
        let (store, id) = (store.clone(), id.clone());
        let dispatcher = state.dispatcher();
        Callback::from(move |_| {
            let (data, dispatcher, id) = (store.data.clone(), dispatcher.clone(), id.clone());
            spawn_local(async move {
                let result = async {
                    let (_, bytes) = exports::export_bundle(&data, &id).await?;
                    let (organisation, project) = names(&data, &id);
                    let stored = data.inspections.get(&id).ok_or("no inspection")?;
                    let name = report_file_name(
                        &organisation,
                        project.as_deref(),
                        &stored.inspection,
                        ".zicha",
                    );
                    files::download(&bytes, &name, "application/zip").map_err(|e| e.0)
                }
                .await;
                if let Err(message) = result {
                    dispatcher.dispatch(ReportAction::Failed(message));
                }
            });
        })
    };

    // Keys whose certificate is not valid now are shown but cannot be chosen.
    let now = clock::now();
    let party_card = |party: &Party| {
        let key = signing::pad_key(&id, &party.role, &party.name);
        let strokes = state.pads.get(&key).cloned().unwrap_or_default();
        let on_change = {
            let key = key.clone();
            let dispatcher = state.dispatcher();
            Callback::from(move |strokes: Strokes| {
                let json = (!strokes.is_empty())
                    .then(|| serde_json::to_string(&strokes).ok())
                    .flatten();
                dispatcher.dispatch(ReportAction::Pad {
                    key: key.clone(),
                    strokes,
                });
                let key = key.clone();
                spawn_local(async move {
                    let _ = signing::put_pad(&key, json.as_deref()).await;
                });
            })
        };
        let choice = state.choice(&key);
        let on_key = {
            let key = key.clone();
            let dispatcher = state.dispatcher();
            Callback::from(move |event: Event| {
                let value = select_value(&event);
                dispatcher.dispatch(ReportAction::ChooseKey {
                    party: key.clone(),
                    key: (!value.is_empty()).then_some(value),
                });
            })
        };
        let on_passphrase = {
            let key = key.clone();
            let dispatcher = state.dispatcher();
            Callback::from(move |event: InputEvent| {
                dispatcher.dispatch(ReportAction::SetPassphrase {
                    party: key.clone(),
                    passphrase: input_value(&event),
                });
            })
        };
        let needs_passphrase = choice
            .key
            .as_ref()
            .and_then(|chosen| keys.iter().find(|k| &k.meta.id == chosen))
            .is_some_and(|k| k.meta.needs_passphrase());
        let other = choice
            .key
            .as_ref()
            .and_then(|chosen| keys.iter().find(|k| &k.meta.id == chosen))
            .and_then(|k| other_signer(&k.meta.certificate, party))
            .map(|signer| i18n::other_signer(lang, signer, &party.name));
        let index = state.parties.iter().position(|p| p == party).unwrap_or(0);
        let dom = format!("party-{index}");
        html! {
            <li class="party card" data-role={party.role.clone()} data-name={party.name.clone()} id={dom.clone()}>
                <h3>{ format!("{} · {}", role_text(lang, &party.role), party.name) }</h3>
                <SignaturePad id={AttrValue::from(format!("{dom}-pad"))}
                    label={AttrValue::from(format!("{} {}", t(T::HandSignHere), party.name))}
                    clear_label={AttrValue::from(t(T::ClearPad))}
                    empty_hint={AttrValue::from(t(T::PadEmptyHint))}
                    {strokes} {on_change} />
                <div class="form-grid">
                    <div class="field">
                        <label for={format!("{dom}-key")}>{ t(T::SigningKey) }</label>
                        <select id={format!("{dom}-key")} onchange={on_key}>
                            <option value="" selected={choice.key.is_none()}>{ t(T::NoDigitalSignature) }</option>
                            { for keys.iter().map(|k| {
                                let refused = unusable(&k.meta.certificate, now);
                                let label = match refused {
                                    Some(why) => format!("{} · {}", k.meta.label(), t(why)),
                                    None => k.meta.label(),
                                };
                                html! {
                                    <option value={k.meta.id.clone()} disabled={refused.is_some()}
                                        selected={choice.key.as_deref() == Some(k.meta.id.as_str())}>
                                        { label }
                                    </option>
                                }
                            }) }
                        </select>
                    </div>
                    if let Some(warning) = other {
                        <p class="hint warning other-signer">{ warning }</p>
                    }
                    if state.key_shared(&key) {
                        <p class="hint warning key-shared">{ t(T::KeyShared) }</p>
                    }
                    if needs_passphrase {
                        <div class="field">
                            <label for={format!("{dom}-pass")}>{ t(T::Passphrase) }</label>
                            <input id={format!("{dom}-pass")} type="password" value={choice.passphrase.clone()}
                                oninput={on_passphrase} autocomplete="current-password" />
                        </div>
                    }
                </div>
            </li>
        }
    };

    let date = zicha_core::inspection::date_format::format(stored.inspection.date);
    html! {
        <div class="page report-page">
            <p><a href={Route::Inspection(id.clone(), 0).href()}>{ format!("← {}", t(T::Back)) }</a></p>
            <h1>{ format!("{} · {}", t(T::ReportTitle), date) }</h1>
            <p class="muted">{ t(T::ReportIntro) }</p>
            if keys.is_empty() {
                <p class="notice">
                    { t(T::NoKeysForReport) }{ " " }
                    <a href={Route::Keys.href()}>{ t(T::KeysTitle) }</a>
                </p>
            }
            <ol class="party-list">{ for state.parties.iter().map(party_card) }</ol>
            <div class="button-row sticky-actions">
                <button type="button" class="button primary" id="report-run" onclick={on_run} disabled={state.running}>
                    { t(T::RenderAndSign) }
                </button>
                if state.running {
                    <button type="button" class="button" id="report-cancel" onclick={on_cancel}>{ t(T::Cancel) }</button>
                }
                <button type="button" class="button" id="report-bundle" onclick={on_bundle} disabled={state.running}>
                    { t(T::DownloadBundle) }
                </button>
            </div>
            <p class="progress" role="status" aria-live="polite" id="report-progress"
               data-running={state.running.to_string()}>
                if let Some((stage, done, total)) = state.progress {
                    <progress aria-hidden="true"></progress>{ " " }{ stage_text(lang, stage, done, total) }
                }
            </p>
            if let Some(message) = &state.error {
                <p class="notice error" role="alert" id="report-error">{ message.clone() }</p>
            }
            if let Some(done) = &state.outcome {
                <section class="card report-done" id="report-done"
                    data-file={done.file_name.clone()} data-pages={done.pages.to_string()}
                    data-signatures={done.signatures.to_string()}
                    data-render-ms={format!("{:.0}", done.render_ms)}
                    data-sign-ms={format!("{:.0}", done.sign_ms)}>
                    <h2>{ t(T::ReportReady) }</h2>
                    <p>{ format!("{} · {} {} · {} {}", done.file_name, done.pages, t(T::PagesUnit), done.signatures, t(T::SignaturesUnit)) }</p>
                    <p class="muted">{ format!("{} {:.0} ms · {} {:.0} ms", t(T::RenderTime), done.render_ms, t(T::SignTime), done.sign_ms) }</p>
                    if !done.warnings.is_empty() {
                        <ul class="warnings">{ for done.warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                    }
                </section>
            }
        </div>
    }
}

fn names(data: &Data, id: &str) -> (String, Option<String>) {
    let organisation = data
        .profile
        .as_ref()
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let project = data
        .inspections
        .get(id)
        .and_then(|stored| data.project_of(stored))
        .map(|p| p.project.name.clone());
    (organisation, project)
}

/// What a run of render and signatures needs.
struct Run<'a> {
    data: &'a Data,
    id: &'a str,
    today: time::Date,
    parties: &'a [Party],
    pads: &'a BTreeMap<String, Strokes>,
    choices: &'a BTreeMap<String, Choice>,
    keys: &'a [KeyEntry],
}

impl Run<'_> {
    /// Renders, signs in order, downloads.
    async fn run(self, on_progress: worker::OnProgress) -> Result<Outcome, String> {
        let Run {
            data,
            id,
            today,
            parties,
            pads,
            choices,
            keys,
        } = self;
        // A cancel while the page gathers photos or draws the pads stops the run too, not only a job
        // already in the worker.
        let epoch = worker::epoch();
        let stored = data.inspections.get(id).ok_or("no inspection")?;
        let checklist_source = exports::checklist_source(data, id)
            .await?
            .ok_or("the inspection's checklist is not loaded")?;
        let photos =
            crate::services::blobs::photo_bytes(crate::state::backup::photo_refs(data, id))
                .await
                .map_err(|e| e.0)?;
        worker::check(epoch)?;
        let (photos, mut bytes) = exports::pack_photos(photos, 0);
        let mut handwritten = Vec::new();
        for party in parties {
            let key = signing::pad_key(id, &party.role, &party.name);
            if let Some(strokes) = pads.get(&key).filter(|s| !s.is_empty()) {
                let png = signature::render_png(strokes, PAD_PNG.0, PAD_PNG.1).await?;
                handwritten.push(HandwrittenRef {
                    party: party.clone(),
                    index: bytes.len(),
                });
                bytes.push(png);
            }
        }
        worker::check(epoch)?;
        let now = clock::now();
        let document_id = format!("ZC-{}-{}", id, now.unix_timestamp());
        let job = Job::Render {
            snapshot: Snapshot::of_inspection(data, id),
            inspection_id: id.to_owned(),
            checklist_source,
            photos,
            handwritten,
            document_id,
            timestamp: now,
            as_of: today,
            font_url: worker::font_url(),
        };
        let done = worker::run(&job, bytes, None, Some(on_progress.clone())).await?;
        let Reply::Rendered {
            pages,
            warnings,
            millis: render_ms,
            ..
        } = done.reply
        else {
            return Err("the worker rendered nothing".into());
        };
        let mut pdf = done.bytes.into_iter().next().ok_or("no pdf")?;
        let mut signatures = 0;
        let mut sign_ms = 0.0;
        for party in parties {
            let key = signing::pad_key(id, &party.role, &party.name);
            let Some(choice) = choices.get(&key) else {
                continue;
            };
            let Some(entry) = choice
                .key
                .as_ref()
                .and_then(|chosen| keys.iter().find(|k| &k.meta.id == chosen))
            else {
                continue;
            };
            worker::check(epoch)?;
            let job = Job::Sign {
                party: party.clone(),
                key: entry.meta.key_use(1, choice.passphrase.clone()),
                time: clock::now(),
                font_url: worker::font_url(),
            };
            let done = worker::run(
                &job,
                vec![pdf, entry.job_bytes()],
                entry.key.as_ref(),
                Some(on_progress.clone()),
            )
            .await
            .map_err(|e| format!("{} {}: {e}", party.role, party.name))?;
            let Reply::Signed { millis, .. } = done.reply else {
                return Err("the worker signed nothing".into());
            };
            sign_ms += millis;
            pdf = done.bytes.into_iter().next().ok_or("no signed pdf")?;
            signatures += 1;
        }
        worker::check(epoch)?;
        let (organisation, project) = names(data, id);
        let file_name = report_file_name(
            &organisation,
            project.as_deref(),
            &stored.inspection,
            ".pdf",
        );
        files::download(&pdf, &file_name, "application/pdf").map_err(|e| e.0)?;
        Ok(Outcome {
            file_name,
            pages,
            signatures,
            render_ms,
            sign_ms,
            warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[track_caller]
    fn check(not_before: &str, not_after: &str, expected: Option<T>) {
        let certificate = CertificateInfo {
            pem: String::new(),
            fingerprint: "ab".into(),
            signer: Some("张三".into()),
            organisation: None,
            credit_code: None,
            not_before: not_before.into(),
            not_after: not_after.into(),
            algorithm: "ECDSA P-256".into(),
        };
        let now = datetime!(2026-03-02 19:00 +08:00);
        assert_eq!(
            unusable(&certificate, now),
            expected,
            "{not_before} {not_after}"
        );
    }

    #[test]
    fn a_key_of_someone_else_is_named() {
        let party = |name: &str| Party {
            role: "检查人".into(),
            name: name.into(),
        };
        let certificate = |signer: Option<&str>| CertificateInfo {
            pem: String::new(),
            fingerprint: "ab".into(),
            signer: signer.map(str::to_owned),
            organisation: None,
            credit_code: None,
            not_before: String::new(),
            not_after: String::new(),
            algorithm: String::new(),
        };
        assert_eq!(
            other_signer(&certificate(Some("周敏")), &party("周敏")),
            None
        );
        assert_eq!(
            other_signer(&certificate(Some("周敏 ")), &party("周敏")),
            None
        );
        assert_eq!(
            other_signer(&certificate(Some("张三")), &party("周敏")),
            Some("张三")
        );
        assert_eq!(other_signer(&certificate(None), &party("周敏")), None);
        assert_eq!(
            i18n::other_signer(Lang::En, "张三", "周敏"),
            "The chosen certificate names 张三, not 周敏: 张三's signature would go into 周敏's box"
        );
    }

    #[test]
    fn keys_outside_their_certificate_validity_cannot_be_chosen() {
        check("2026-01-01T00:00:00Z", "2029-01-01T00:00:00Z", None);
        check("2026-03-02T11:00:00Z", "2026-03-02T11:00:00Z", None);
        check(
            "2025-01-01T00:00:00Z",
            "2026-03-02T10:59:59Z",
            Some(T::KeyExpired),
        );
        check(
            "2026-03-02T11:00:01Z",
            "2029-01-01T00:00:00Z",
            Some(T::KeyNotYetValid),
        );
        check("", "", None);
    }
}
