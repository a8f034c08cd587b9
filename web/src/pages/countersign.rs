//! Countersign a received report, on the verify screen: each party (检查人, 企业负责人, 监理) signs
//! on its own device with its own key. A PDF is chosen or dropped; the report worker checks it as
//! `zicha verify` does and lists its boxes; the key chosen decides the box (its signer's own free
//! box of its unit, [`key_boxes`]); the party draws a handwritten signature; the worker signs into
//! that box as an incremental update, the strokes in the visible signature, and the file is
//! downloaded. Nothing leaves the device. The state machine is state/countersign.rs.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use web_sys::{DragEvent, File, HtmlInputElement};
use yew::prelude::*;

use crate::components::input_value;
use crate::components::select_value;
use crate::components::signature_pad::SignaturePad;
use crate::hooks::use_store;
use crate::i18n::{self, Lang, T};
use crate::services::signing::{self, KeyEntry};
use crate::services::{clock, files, worker};
use crate::state::countersign::{
    CountersignAction, CountersignState, Opened, Outcome, SignFailure, key_boxes,
};
use crate::state::jobs::{Job, Party, Reply, file_safe};
use crate::state::signature::Strokes;

/// The countersigned file's name: the received one's with the role added, e.g.
/// `某公司-2026-11-29-监理会签.pdf`.
fn countersigned_name(received: &str, role: &str) -> String {
    let stem = received
        .strip_suffix(".pdf")
        .or_else(|| received.strip_suffix(".PDF"))
        .unwrap_or(received);
    format!("{}-{}会签.pdf", file_safe(stem), file_safe(role))
}

/// Reads `file` and has the worker check it, as open number `open`.
async fn open_file(
    open: u32,
    file: File,
    bytes_slot: Rc<RefCell<Rc<Vec<u8>>>>,
    dispatch: Callback<CountersignAction>,
) {
    let name = file.name();
    let opened = async {
        let bytes = files::read(&file).await.map_err(|e| e.0)?;
        *bytes_slot.borrow_mut() = Rc::new(bytes.clone());
        let job = Job::CheckReceived {
            name: name.clone(),
            font_url: worker::font_url(),
        };
        match worker::run(&job, vec![bytes], None, None).await?.reply {
            Reply::Received {
                result,
                boxes,
                refusal,
            } => Ok(Rc::new(Opened {
                name: name.clone(),
                result: serde_json::from_value(result).map_err(|e| e.to_string())?,
                boxes,
                refusal,
            })),
            other => Err(format!("unexpected reply {other:?}")),
        }
    }
    .await;
    dispatch.emit(CountersignAction::Checked { open, opened });
}

/// What a signing run needs.
struct SignRun {
    pdf: Rc<Vec<u8>>,
    name: String,
    party: Party,
    number: usize,
    entry: KeyEntry,
    passphrase: String,
    strokes: Strokes,
}

impl SignRun {
    async fn run(self) -> Result<Outcome, SignFailure> {
        let job = Job::Countersign {
            name: self.name.clone(),
            party: self.party.clone(),
            key: self.entry.meta.key_use(1, self.passphrase),
            time: clock::now(),
            font_url: worker::font_url(),
            strokes: self.strokes,
        };
        let done = worker::run(
            &job,
            vec![(*self.pdf).clone(), self.entry.job_bytes()],
            self.entry.key.as_ref(),
            None,
        )
        .await
        .map_err(SignFailure::Failed)?;
        match done.reply {
            Reply::Signed { millis, .. } => {
                let signed = done
                    .bytes
                    .into_iter()
                    .next()
                    .ok_or_else(|| SignFailure::Failed("no signed pdf".into()))?;
                let file_name = countersigned_name(&self.name, &self.party.role);
                files::download(&signed, &file_name, "application/pdf")
                    .map_err(|e| SignFailure::Failed(e.0))?;
                Ok(Outcome {
                    file_name,
                    number: self.number,
                    millis,
                })
            }
            Reply::Refused(refused) => Err(SignFailure::Refused(refused)),
            other => Err(SignFailure::Failed(format!("unexpected reply {other:?}"))),
        }
    }
}

fn refusal_notice(lang: Lang, code: &str, detail: Option<&str>) -> Html {
    html! {
        <div id="cs-refused" class="notice error" role="alert" data-code={code.to_owned()}>
            <p><strong>{ i18n::countersign_refusal(code).get(lang) }</strong></p>
            if let Some(detail) = detail {
                <p class="small-text muted" lang="en">{ detail.to_owned() }</p>
            }
        </div>
    }
}

/// The panel.
#[function_component(CountersignPanel)]
pub fn countersign_panel() -> Html {
    let store = use_store();
    let lang = store.lang();
    let t = |key: T| key.get(lang);
    let state = use_reducer(CountersignState::default);
    // Key entries hold browser objects (a CryptoKey) and the PDF is large: out of the reducer.
    let keys = use_state(Vec::<KeyEntry>::new);
    let pdf = use_mut_ref(|| Rc::new(Vec::<u8>::new()));
    let next_open = use_mut_ref(|| 0u32);
    let dragging = use_state(|| false);

    {
        let keys = keys.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                if let Ok(list) = signing::keys().await {
                    keys.set(list);
                }
            });
        });
    }

    let busy = state.checking || state.signing;
    let open = {
        let dispatcher = state.dispatcher();
        let pdf = pdf.clone();
        Rc::new(move |file: Option<File>| {
            let Some(file) = file else {
                return;
            };
            let open = {
                let mut next = next_open.borrow_mut();
                *next = next.wrapping_add(1);
                *next
            };
            dispatcher.dispatch(CountersignAction::Open(open));
            let dispatcher = dispatcher.clone();
            let dispatch = Callback::from(move |action| dispatcher.dispatch(action));
            spawn_local(open_file(open, file, pdf.clone(), dispatch));
        })
    };
    let on_file = {
        let open = open.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let file = input.files().and_then(|list| list.get(0));
            input.set_value("");
            open(file);
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            if !busy && !*dragging {
                dragging.set(true);
            }
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_drop = {
        let (dragging, open) = (dragging.clone(), open.clone());
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            dragging.set(false);
            if !busy {
                open(
                    event
                        .data_transfer()
                        .and_then(|transfer| transfer.files())
                        .and_then(|list| list.get(0)),
                );
            }
        })
    };

    let boxes = state
        .opened
        .as_ref()
        .map(|opened| opened.boxes.clone())
        .unwrap_or_default();
    let entry = state
        .key
        .as_ref()
        .and_then(|id| keys.iter().find(|k| &k.meta.id == id))
        .cloned();
    // Which boxes the chosen key may sign, or why none.
    let allowed = entry
        .as_ref()
        .map(|entry| key_boxes(&boxes, &entry.meta.certificate));

    let on_key = {
        let dispatcher = state.dispatcher();
        let keys = keys.clone();
        let boxes = boxes.clone();
        Callback::from(move |event: Event| {
            let value = select_value(&event);
            let entry = keys.iter().find(|k| k.meta.id == value);
            let allowed = entry
                .and_then(|entry| key_boxes(&boxes, &entry.meta.certificate).ok())
                .unwrap_or_default();
            dispatcher.dispatch(CountersignAction::ChooseKey {
                key: entry.map(|entry| entry.meta.id.clone()),
                boxes: allowed,
            });
        })
    };
    let on_passphrase = {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: InputEvent| {
            dispatcher.dispatch(CountersignAction::SetPassphrase(input_value(&event)));
        })
    };
    let on_pad = {
        let dispatcher = state.dispatcher();
        Callback::from(move |strokes: Strokes| dispatcher.dispatch(CountersignAction::Pad(strokes)))
    };
    let on_sign = {
        let state = state.clone();
        let pdf = pdf.clone();
        let entry = entry.clone();
        Callback::from(move |_| {
            let (Some(opened), Some(chosen), Some(entry)) = (
                state.opened.clone(),
                state.chosen_box().cloned(),
                entry.clone(),
            ) else {
                return;
            };
            if !state.can_sign() {
                return;
            }
            let run = SignRun {
                pdf: pdf.borrow().clone(),
                name: opened.name.clone(),
                party: chosen.party.clone(),
                number: chosen.number,
                entry,
                passphrase: state.passphrase.clone(),
                strokes: state.strokes.clone(),
            };
            state.dispatch(CountersignAction::Signing);
            let dispatcher = state.dispatcher();
            spawn_local(async move {
                let result = run.run().await;
                dispatcher.dispatch(CountersignAction::Signed(result));
            });
        })
    };

    let status = if state.checking {
        html! { <p class="hint"><progress aria-hidden="true"></progress>{ " " }{ t(T::CsChecking) }</p> }
    } else if state.signing {
        html! { <p class="hint"><progress aria-hidden="true"></progress>{ " " }{ t(T::CsSigning) }</p> }
    } else {
        html! {}
    };

    let opened_view = state.opened.as_ref().map(|opened| {
        let result = &opened.result;
        let verdict_class = if result.verdict == "valid" { "valid" } else { "invalid" };
        let (primary, secondary) = match lang {
            Lang::Zh => (&result.verdict_zh, &result.verdict_en),
            Lang::En => (&result.verdict_en, &result.verdict_zh),
        };
        let chosen = state.number;
        let box_items = opened.boxes.iter().map(|signature_box| {
            let mine = chosen == Some(signature_box.number);
            let name = if signature_box.party.name.trim().is_empty() {
                signature_box.units.join(" / ")
            } else {
                signature_box.party.name.clone()
            };
            let on_choose = {
                let dispatcher = state.dispatcher();
                let number = signature_box.number;
                Callback::from(move |_| dispatcher.dispatch(CountersignAction::ChooseBox(number)))
            };
            let selectable = matches!(&allowed, Some(Ok(numbers)) if numbers.len() > 1 && numbers.contains(&signature_box.number));
            // The verify page's signature rows: a signed box green, a free one amber (no new CSS:
            // the app shell, which loads the stylesheet, has no budget left).
            html! {
                <li class={classes!("verify-signature", if signature_box.signed { "valid" } else { "modified" })}
                    data-number={signature_box.number.to_string()} data-role={signature_box.party.role.clone()}
                    data-signed={signature_box.signed.to_string()} data-mine={mine.to_string()}>
                    <p class="verify-signer">
                        <span class="verify-role">{ format!("{}. {}", signature_box.number, signature_box.party.role) }</span>
                        <strong class="verify-signer-name">{ name }</strong>
                        <span class={classes!("badge", if signature_box.signed { "ok" } else { "trust-unchecked" })}>
                            { if signature_box.signed { t(T::CsSigned) } else { t(T::CsFree) } }
                        </span>
                        if mine {
                            <span class="badge status-inprogress">{ t(T::CsYourBox) }</span>
                        }
                        if selectable && !mine {
                            <button type="button" class="button" onclick={on_choose}>{ t(T::CsYourBox) }</button>
                        }
                    </p>
                </li>
            }
        });
        html! {
            <section aria-labelledby="cs-file-name">
                <header class="verify-card-head">
                    <h3 id="cs-file-name" class="verify-file">{ opened.name.clone() }</h3>
                    <p class={classes!("verdict", verdict_class)} id="cs-verdict" data-verdict={result.verdict.clone()}>
                        <strong class="verdict-text">{ primary.clone() }</strong>
                        { " " }<span class="verdict-other">{ secondary.clone() }</span>
                    </p>
                </header>
                if let Some(refusal) = &opened.refusal {
                    { refusal_notice(lang, &refusal.code, Some(&refusal.detail)) }
                }
                if !opened.boxes.is_empty() {
                    <h4>{ t(T::CsBoxes) }</h4>
                    <ol id="cs-boxes" class="verify-signatures">{ for box_items }</ol>
                }
            </section>
        }
    });

    let countersignable = state
        .opened
        .as_ref()
        .is_some_and(|opened| opened.refusal.is_none());
    let signing_form = countersignable.then(|| {
        let chosen = state.key.clone();
        let needs_passphrase = entry.as_ref().is_some_and(|e| e.meta.needs_passphrase());
        let key_refusal = match &allowed {
            Some(Err(code)) => Some(*code),
            _ => None,
        };
        let label = state
            .chosen_box()
            .map(|signature_box| format!("{} · {}", t(T::CsHandSign), signature_box.party.role))
            .unwrap_or_else(|| t(T::CsHandSign).to_owned());
        html! {
            <div>
                if keys.is_empty() {
                    <p class="notice">{ t(T::CsNoKeys) }</p>
                }
                <div class="form-grid">
                    <div class="field">
                        <label for="cs-key">{ t(T::CsKey) }</label>
                        <select id="cs-key" onchange={on_key} disabled={busy}>
                            <option value="" selected={chosen.is_none()}>{ t(T::CsChooseKey) }</option>
                            { for keys.iter().map(|k| html! {
                                <option value={k.meta.id.clone()} selected={chosen.as_deref() == Some(k.meta.id.as_str())}>
                                    { k.meta.label() }
                                </option>
                            }) }
                        </select>
                    </div>
                    if needs_passphrase {
                        <div class="field">
                            <label for="cs-pass">{ t(T::Passphrase) }</label>
                            <input id="cs-pass" type="password" value={state.passphrase.clone()}
                                oninput={on_passphrase} autocomplete="current-password" />
                        </div>
                    }
                </div>
                if let Some(code) = key_refusal {
                    { refusal_notice(lang, code, None) }
                }
                <SignaturePad id={AttrValue::from("cs-pad")} label={AttrValue::from(label)}
                    clear_label={AttrValue::from(t(T::ClearPad))}
                    empty_hint={AttrValue::from(t(T::PadEmptyHint))}
                    strokes={state.strokes.clone()} on_change={on_pad} />
                <div class="button-row">
                    <button type="button" id="cs-sign" class="button primary" onclick={on_sign}
                        disabled={!state.can_sign() || key_refusal.is_some()}>
                        { t(T::CsSign) }
                    </button>
                </div>
            </div>
        }
    });

    html! {
        <section class="card" id="countersign" aria-labelledby="cs-title"
                 data-busy={busy.to_string()}>
            <h2 id="cs-title">{ t(T::CsTitle) }</h2>
            <p class="hint">{ t(T::CsIntro) }</p>
            <div id="cs-drop" class={classes!("drop-zone", dragging.then_some("dragging"))}
                 ondragenter={on_drag_over.clone()} ondragover={on_drag_over}
                 ondragleave={on_drag_leave} ondrop={on_drop}>
                <p class="drop-zone-text" aria-hidden="true">{ t(T::CsDrop) }</p>
                <span class="file-button">
                    <input type="file" id="cs-file" class="visually-hidden"
                           accept=".pdf,application/pdf" onchange={on_file} disabled={busy} />
                    <label for="cs-file" class="button">{ t(T::CsChoose) }</label>
                </span>
            </div>
            <div id="cs-status" role="status" aria-live="polite">{ status }</div>
            if let Some(error) = &state.error {
                <p id="cs-error" class="notice error" role="alert">{ format!("{} {error}", t(T::CsFailed)) }</p>
            }
            { for opened_view }
            { for signing_form }
            if let Some(refused) = &state.refused {
                { refusal_notice(lang, &refused.code, Some(&refused.detail)) }
            }
            if let Some(done) = &state.outcome {
                <p id="cs-done" class="notice info" data-file={done.file_name.clone()}
                   data-number={done.number.to_string()} data-ms={format!("{:.0}", done.millis)}>
                    { format!("{} {}", t(T::CsDone), done.file_name) }
                </p>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_countersigned_file_is_named_after_the_received_one_and_the_role() {
        assert_eq!(
            countersigned_name("闽江-2026-11-29.pdf", "监理"),
            "闽江-2026-11-29-监理会签.pdf"
        );
        assert_eq!(
            countersigned_name("a/b.PDF", "检查人"),
            "a_b-检查人会签.pdf"
        );
        assert_eq!(countersigned_name("report", "监理"), "report-监理会签.pdf");
    }
}
