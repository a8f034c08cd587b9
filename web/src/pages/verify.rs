//! The regulator's page: verify received signed reports. PDFs are dropped or chosen, a trust list
//! of registered certificate fingerprints may be loaded, and the report worker checks every file
//! exactly as `zicha verify` does (zicha_report::check): one card per file with the verdict, every
//! signer, the reasons, and the embedded inspection re-scored; "Export CSV" saves the worker's CSV,
//! which is `zicha verify --csv`'s file byte for byte.
//!
//! Everything stays in the browser: the files go to the worker and nowhere else. The page needs no
//! enterprise profile, so a regulator can open `#/verify` on a fresh device. The state of a check
//! (runs, progress, cancel, the trust list) is the reducer of state/verify.rs; this page renders it
//! and runs the effects.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{DragEvent, File, FileList, HtmlInputElement, Node};
use yew::prelude::*;

use crate::hooks::use_store;
use crate::i18n::{self, Lang, T};
use crate::pages::countersign::CountersignPanel;
use crate::pages::inbox::{Batch, InboxPanel};
use crate::services::worker::{self, Done, Module, OnProgress};
use crate::services::{clock, files};
use crate::state::jobs::{Job, Reply, Stage};
use crate::state::verify::{
    FileView, FindingView, InspectionView, Message, SignatureView, TrustProblem, VerifyAction,
    VerifyState, read_trust,
};

/// A catalog text with `{name}` placeholders filled in.
fn fill(text: &str, values: &[(&str, String)]) -> String {
    values.iter().fold(text.to_owned(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}

/// The files of a `FileList`, in order.
fn file_vec(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|index| list.get(index))
        .collect()
}

/// What a run is given besides its files.
struct RunInput {
    /// The run's number.
    run: u32,
    /// The trust list's text.
    trust_text: Rc<String>,
    /// Keep the PDFs in the inbox too.
    keep_pdf: bool,
    /// Takes the worker's inbox entries.
    on_batch: Callback<Rc<Batch>>,
}

/// Reads `chosen` and has the worker check them with the trust list, reporting to `dispatch` as
/// the run (the reducer drops what a cancelled run still says), and hands the inbox its entries.
async fn check_files(input: RunInput, chosen: Rc<Vec<File>>, dispatch: Callback<VerifyAction>) {
    let RunInput {
        run,
        trust_text,
        keep_pdf,
        on_batch,
    } = input;
    let failed = |detail: String| VerifyAction::Failed {
        run: Some(run),
        detail,
    };
    // A cancel while the files are read stops the run before its job goes to the worker.
    let epoch = worker::epoch();
    let mut names = Vec::with_capacity(chosen.len());
    let mut bytes = Vec::with_capacity(chosen.len());
    for file in chosen.iter() {
        match files::read(file).await {
            Ok(read) => {
                names.push(file.name());
                bytes.push(read);
            }
            Err(error) => {
                dispatch.emit(failed(format!("{}: {}", file.name(), error.0)));
                return;
            }
        }
    }
    if worker::check(epoch).is_err() {
        return;
    }
    let total = names.len() as u32;
    dispatch.emit(VerifyAction::Read { run, total });
    let on_progress: OnProgress = {
        let dispatch = dispatch.clone();
        Rc::new(move |stage: Stage, done: u32, total: u32| {
            if stage == Stage::Checking {
                dispatch.emit(VerifyAction::Checked { run, done, total });
            }
        })
    };
    // A first verdict from the light verifier while the report worker (ten times its size, and
    // the font) is still on its way: signatures, identity and data, the pages not yet compared.
    // Skipped when the report worker already runs; a failure of the light verifier only costs
    // the head start.
    if !worker::is_running(Module::Report) {
        let job = Job::VerifyData {
            names: names.clone(),
            trust: trust_text.to_string(),
        };
        let first = worker::run_on(
            Module::Verifier,
            &job,
            bytes.clone(),
            None,
            Some(on_progress.clone()),
        )
        .await;
        if let Ok(Done {
            reply: Reply::Verified { results, csv, .. },
            ..
        }) = first
        {
            dispatch.emit(VerifyAction::FirstVerdict { run, results, csv });
        }
        if worker::check(epoch).is_err() {
            return;
        }
    }
    let job = Job::Verify {
        names,
        trust: trust_text.to_string(),
        font_url: worker::font_url(),
        received_at: zicha_core::dates::format_rfc3339(clock::now()).ok(),
    };
    let mut batch = None;
    let mut inbox_problem = None;
    let action = match worker::run(&job, bytes, None, Some(on_progress)).await {
        Ok(done) => match done.reply {
            Reply::Verified {
                results,
                csv,
                entries,
            } => {
                let entries: Result<Vec<_>, _> =
                    entries.into_iter().map(serde_json::from_value).collect();
                match entries {
                    Ok(entries) => {
                        let pdfs = chosen
                            .iter()
                            .map(|file| keep_pdf.then(|| web_sys::Blob::from(file.clone())))
                            .collect();
                        batch = Some(Rc::new(Batch { run, entries, pdfs }));
                        VerifyAction::Verified { run, results, csv }
                    }
                    Err(error) => {
                        inbox_problem = Some(format!("inbox: {error}"));
                        VerifyAction::Verified { run, results, csv }
                    }
                }
            }
            other => failed(format!("unexpected reply {other:?}")),
        },
        Err(error) => failed(error),
    };
    dispatch.emit(action);
    if let Some(detail) = inbox_problem {
        dispatch.emit(VerifyAction::Failed { run: None, detail });
    }
    if let Some(batch) = batch {
        on_batch.emit(batch);
    }
}

/// The page.
#[function_component(VerifyPage)]
pub fn page() -> Html {
    let store = use_store();
    let lang = store.lang();
    let t = |key: T| key.get(lang);

    let state = use_reducer(VerifyState::default);
    let files = use_state(|| Rc::new(Vec::<File>::new()));
    let dragging = use_state(|| false);
    // The number of the next run.
    let next_run = use_mut_ref(|| 0u32);
    let drop_zone = use_node_ref();
    let busy = state.busy();
    // The inbox keeps every verified report; the PDFs too when asked.
    let keep_pdf = use_state(|| false);
    let batch = use_state(|| None::<Rc<Batch>>);

    // Runs the worker on `chosen` with the trust list `trust_text`.
    let start = {
        let dispatcher = state.dispatcher();
        let keep_pdf = *keep_pdf;
        let batch = batch.setter();
        Rc::new(move |chosen: Rc<Vec<File>>, trust_text: Rc<String>| {
            if chosen.is_empty() {
                return;
            }
            let run = {
                let mut next = next_run.borrow_mut();
                *next = next.wrapping_add(1);
                *next
            };
            dispatcher.dispatch(VerifyAction::Start(run));
            let dispatcher = dispatcher.clone();
            let dispatch = Callback::from(move |action| dispatcher.dispatch(action));
            let batch = batch.clone();
            let input = RunInput {
                run,
                trust_text,
                keep_pdf,
                on_batch: Callback::from(move |made| batch.set(Some(made))),
            };
            spawn_local(check_files(input, chosen, dispatch));
        })
    };

    let choose = {
        let files = files.clone();
        let start = start.clone();
        let trust_text = state.trust_text();
        Rc::new(move |chosen: Vec<File>| {
            if chosen.is_empty() {
                return;
            }
            let chosen = Rc::new(chosen);
            files.set(chosen.clone());
            start(chosen, trust_text.clone());
        })
    };

    let on_files = {
        let choose = choose.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let chosen = file_vec(input.files());
            // The same files chosen again are a new choice.
            input.set_value("");
            choose(chosen);
        })
    };

    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |event: DragEvent| {
            // Without this the browser opens the dropped PDF instead of handing it to the page.
            event.prevent_default();
            if let Some(transfer) = event.data_transfer() {
                transfer.set_drop_effect(if busy { "none" } else { "copy" });
            }
            if !busy && !*dragging {
                dragging.set(true);
            }
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        let drop_zone = drop_zone.clone();
        Callback::from(move |event: DragEvent| {
            // Moving over a child of the zone is not leaving it.
            let zone = drop_zone.cast::<Node>();
            let into = event
                .related_target()
                .and_then(|target| target.dyn_into::<Node>().ok());
            if let (Some(zone), Some(into)) = (zone, into)
                && zone.contains(Some(&into))
            {
                return;
            }
            dragging.set(false);
        })
    };
    let on_drop = {
        let dragging = dragging.clone();
        let choose = choose.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            dragging.set(false);
            if busy {
                return;
            }
            choose(file_vec(event.data_transfer().and_then(|t| t.files())));
        })
    };

    let on_trust = {
        let dispatcher = state.dispatcher();
        let files = files.clone();
        let start = start.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(file) = input.files().and_then(|list| list.get(0)) else {
                return;
            };
            input.set_value("");
            let dispatcher = dispatcher.clone();
            let chosen = (*files).clone();
            let start = start.clone();
            spawn_local(async move {
                let bytes = match files::read(&file).await {
                    Ok(bytes) => bytes,
                    Err(error) => {
                        dispatcher.dispatch(VerifyAction::Failed {
                            run: None,
                            detail: format!("{}: {}", file.name(), error.0),
                        });
                        return;
                    }
                };
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let read = read_trust(file.name(), text);
                let text = read.as_ref().ok().map(|trust| trust.text.clone());
                dispatcher.dispatch(VerifyAction::Trust(read));
                // The shown results follow the list: check the same files again.
                if let Some(text) = text {
                    start(chosen, text);
                }
            });
        })
    };

    let on_trust_clear = {
        let dispatcher = state.dispatcher();
        let files = files.clone();
        let start = start.clone();
        Callback::from(move |_| {
            dispatcher.dispatch(VerifyAction::ClearTrust);
            start((*files).clone(), Rc::default());
        })
    };

    let on_cancel = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_| {
            worker::cancel("cancelled");
            dispatcher.dispatch(VerifyAction::Cancel);
        })
    };

    let on_export = {
        let outcome = state.outcome.clone();
        let dispatcher = state.dispatcher();
        let today = store.today;
        Callback::from(move |_| {
            let Some(outcome) = outcome.as_ref() else {
                return;
            };
            let date = zicha_core::inspection::date_format::format(today);
            // The CLI's file exactly: UTF-8 with the byte order mark `to_csv` starts with.
            let saved = files::download(
                outcome.csv.as_bytes(),
                &format!("zicha-verify-{date}.csv"),
                "text/csv",
            );
            if let Err(error) = saved {
                dispatcher.dispatch(VerifyAction::Failed {
                    run: None,
                    detail: error.0,
                });
            }
        })
    };

    let on_keep_pdf = {
        let keep_pdf = keep_pdf.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            keep_pdf.set(input.checked());
        })
    };

    let trust_status = match (&state.trust, state.trust_problem) {
        (_, Some(problem)) => html! {
            <p id="trust-status" class="hint error" role="alert">
                { match problem {
                    TrustProblem::BadLine(line) => fill(t(T::TrustBadLine), &[("n", line.to_string())]),
                    TrustProblem::Empty => t(T::TrustEmpty).to_owned(),
                } }
            </p>
        },
        (Some(trust), None) => html! {
            <p id="trust-status" class="hint ok" data-count={trust.count.to_string()}>
                { fill(t(T::TrustLoaded), &[("n", trust.count.to_string()), ("file", trust.name.clone())]) }
            </p>
        },
        (None, None) => html! {
            <p id="trust-status" class="hint" data-count="0">{ t(T::TrustNone) }</p>
        },
    };

    let (done, total) = state.progress;
    let status = if busy {
        let comparing = state.outcome.as_ref().is_some_and(|outcome| outcome.first);
        let text = if total == 0 {
            t(T::VerifyReading).to_owned()
        } else {
            fill(
                t(if comparing {
                    T::VerifyComparing
                } else {
                    T::VerifyChecking
                }),
                &[("done", done.to_string()), ("total", total.to_string())],
            )
        };
        html! {
            <div class="verify-progress card">
                <progress max={total.max(1).to_string()} value={done.to_string()}
                          aria-labelledby="verify-status-text"></progress>
                <span id="verify-status-text">{ text }</span>
                <button type="button" id="verify-cancel" class="button danger" onclick={on_cancel}>
                    { t(T::VerifyCancel) }
                </button>
            </div>
        }
    } else {
        match &state.message {
            Some(Message::Cancelled) => html! {
                <p class="notice info inline">{ t(T::VerifyCancelled) }</p>
            },
            Some(Message::Failed(detail)) => html! {
                <p class="notice error inline">{ format!("{} {detail}", t(T::VerifyFailed)) }</p>
            },
            Some(Message::BadResult(detail)) => html! {
                <p class="notice error inline">
                    { format!("{} {}{detail}", t(T::VerifyFailed), t(T::VerifyBadResult)) }
                </p>
            },
            None => html! {},
        }
    };

    let results = state.outcome.as_ref().map(|outcome| {
        let count = |verdict: &str| outcome.count(verdict).to_string();
        let unregistered = count("unregistered");
        let counts = fill(
            t(if outcome.first {
                T::VerifyCountsFirst
            } else {
                T::VerifyCounts
            }),
            &[
                ("total", outcome.results.len().to_string()),
                ("valid", count("valid")),
                ("pending", outcome.pending().to_string()),
                ("invalid", count("invalid")),
                ("modified", count("modified")),
                ("unregistered", unregistered),
            ],
        );
        let cards = outcome
            .results
            .iter()
            .enumerate()
            .map(|(index, result)| result_card(lang, index, result, outcome.first));
        html! {
            <section class="verify-results" aria-labelledby="verify-results-title"
                     data-first={outcome.first.to_string()}>
                <div class="verify-results-head">
                    <div>
                        <h2 id="verify-results-title">{ t(T::VerifyResults) }</h2>
                        <p id="verify-counts" class="muted">{ counts }</p>
                    </div>
                    // The CSV of a first verdict would call reports valid before their pages are
                    // compared: only the final results are exported.
                    if !outcome.first {
                        <button type="button" id="export-csv" class="button primary" onclick={on_export}>
                            { t(T::VerifyExportCsv) }
                        </button>
                    }
                </div>
                if outcome.first {
                    <p id="verify-first" class="notice info inline">{ t(T::VerifyFirstVerdict) }</p>
                }
                <ol class="verify-list">{ for cards }</ol>
            </section>
        }
    });

    let chosen_text =
        (!files.is_empty()).then(|| fill(t(T::VerifyChosen), &[("n", files.len().to_string())]));

    html! {
        <div class="page verify">
            <header class="page-head">
                <h1>{ t(T::VerifyTitle) }</h1>
                <p class="muted">{ t(T::VerifyIntro) }</p>
            </header>
            <div class="verify-inputs">
                <section class="card" aria-labelledby="verify-files-title">
                    <h2 id="verify-files-title">{ t(T::VerifyFilesTitle) }</h2>
                    <div id="verify-drop" ref={drop_zone}
                         class={classes!("drop-zone", dragging.then_some("dragging"))}
                         data-dragging={dragging.to_string()}
                         ondragenter={on_drag_over.clone()} ondragover={on_drag_over}
                         ondragleave={on_drag_leave} ondrop={on_drop}>
                        <p class="drop-zone-text" aria-hidden="true">{ t(T::VerifyDrop) }</p>
                        <p class="drop-zone-or muted" aria-hidden="true">{ t(T::VerifyOr) }</p>
                        <span class="file-button">
                            <input type="file" id="verify-files" class="visually-hidden" multiple=true
                                   accept=".pdf,application/pdf" onchange={on_files} disabled={busy} />
                            <label for="verify-files" class="button primary">{ t(T::VerifyChoose) }</label>
                        </span>
                        if let Some(text) = chosen_text {
                            <p class="hint">{ text }</p>
                        }
                    </div>
                    <label class="inbox-check" for="inbox-keep-pdf">
                        <input type="checkbox" id="inbox-keep-pdf" checked={*keep_pdf} disabled={busy}
                               aria-describedby="inbox-keep-pdf-hint" onchange={on_keep_pdf} />
                        <span>{ t(T::InboxKeepPdf) }</span>
                    </label>
                    <p class="hint" id="inbox-keep-pdf-hint">{ t(T::InboxKeepPdfHint) }</p>
                </section>
                <section class="card verify-trust" aria-labelledby="trust-title">
                    <h2 id="trust-title">{ t(T::TrustTitle) }</h2>
                    <p class="hint" id="trust-intro">{ t(T::TrustIntro) }</p>
                    { trust_status }
                    <div class="button-row">
                        <span class="file-button">
                            <input type="file" id="trust-file" class="visually-hidden"
                                   accept=".txt,.csv,text/plain" onchange={on_trust} disabled={busy}
                                   aria-describedby="trust-intro" />
                            <label for="trust-file" class="button">{ t(T::TrustLoad) }</label>
                        </span>
                        if state.trust.is_some() {
                            <button type="button" id="trust-clear" class="button" onclick={on_trust_clear}
                                    disabled={busy}>
                                { t(T::TrustClear) }
                            </button>
                        }
                    </div>
                </section>
            </div>
            <div id="verify-status" class="verify-status" role="status" aria-live="polite"
                 data-busy={busy.to_string()} data-done={done.to_string()} data-total={total.to_string()}>
                { status }
            </div>
            { for results }
            <InboxPanel batch={(*batch).clone()} />
            <CountersignPanel />
        </div>
    }
}

/// `verdict` (`valid`, `unregistered`, `modified`, `invalid`) as a class name, which sets the
/// colour: an unregistered signer is as red as a broken signature (the file is not valid), and
/// anything unknown counts as invalid.
fn verdict_class(verdict: &str) -> &'static str {
    match verdict {
        "valid" => "valid",
        "modified" => "modified",
        _ => "invalid",
    }
}

/// A signature's verdict in words.
fn verdict_text(verdict: &str) -> T {
    match verdict {
        "valid" => T::VerdictValid,
        "unregistered" => T::VerdictUnregistered,
        "modified" => T::VerdictModified,
        _ => T::VerdictInvalid,
    }
}

/// The trust badge of a signature (`known`, `unknown`, `not-checked`): its class and words.
fn trust_badge(trust: &str) -> (&'static str, T) {
    match trust {
        "known" => ("trust-known", T::VerifyTrustKnown),
        "not-checked" => ("trust-unchecked", T::VerifyTrustNotChecked),
        _ => ("trust-unknown", T::VerifyTrustUnknown),
    }
}

/// The verdict mark: a shape as well as a colour.
fn verdict_mark(verdict: &str) -> &'static str {
    match verdict {
        "valid" => "✓",
        "modified" => "!",
        "pending" => "…",
        _ => "✕",
    }
}

fn yes_no(lang: Lang, value: bool) -> &'static str {
    if value {
        T::VerifyYes.get(lang)
    } else {
        T::VerifyNo.get(lang)
    }
}

/// An RFC 3339 time as `YYYY-MM-DD HH:MM:SS +08:00`.
fn readable_time(time: &str) -> String {
    match time.split_once('T') {
        Some((day, rest)) => {
            let offset_at = rest.find(['+', '-', 'Z']).unwrap_or(rest.len());
            let (clock, offset) = rest.split_at(offset_at);
            let offset = if offset == "Z" { "UTC" } else { offset };
            format!("{day} {clock} {offset}").trim_end().to_owned()
        }
        None => time.to_owned(),
    }
}

fn fact(label: &str, value: Html) -> Html {
    html! {
        <div class="verify-fact">
            <dt>{ label.to_owned() }</dt>
            <dd>{ value }</dd>
        </div>
    }
}

fn signature_item(lang: Lang, signature: &SignatureView) -> Html {
    let t = |key: T| key.get(lang);
    let signer = signature
        .signer
        .clone()
        .or_else(|| signature.name.clone())
        .unwrap_or_else(|| "?".to_owned());
    let (trust_class, trust_text) = trust_badge(&signature.trust);
    let verdict = verdict_class(&signature.verdict);
    let verdict_text = t(verdict_text(&signature.verdict));
    let reasons = signature
        .reasons
        .iter()
        .map(|reason| html! { <li data-code={reason.code.clone()}>{ reason.text(lang).to_owned() }</li> });
    let dash = || "—".to_owned();
    html! {
        <li class={classes!("verify-signature", verdict)} data-signer={signer.clone()}
            data-trust={signature.trust.clone()}>
            <p class="verify-signer">
                <span class="verify-role">{ signature.role.clone().unwrap_or_else(dash) }</span>
                <strong class="verify-signer-name">{ signer }</strong>
                <span class={classes!("badge", trust_class)}>{ t(trust_text) }</span>
                <span class={classes!("badge", format!("verdict-{verdict}"))}>{ verdict_text }</span>
            </p>
            <dl class="verify-facts">
                { fact(t(T::VerifyOrganisation), html! { signature.organisation.clone().unwrap_or_else(dash) }) }
                { fact(t(T::CreditCode), html! {
                    <span class="mono">{ signature.credit_code.clone().unwrap_or_else(dash) }</span>
                }) }
                { fact(t(T::VerifyTime), match &signature.time {
                    Some(time) => html! {
                        <>
                            <time datetime={time.clone()}>{ readable_time(time) }</time>
                            <span class="muted small-text verify-time-claim">{ format!(" ({})", t(T::VerifyTimeClaimed)) }</span>
                        </>
                    },
                    None => html! { dash() },
                }) }
                { fact(t(T::VerifyFingerprint), html! {
                    <>
                        <span class="mono verify-fingerprint">{ signature.cert_sha256.clone().unwrap_or_else(dash) }</span>
                        if signature.self_signed {
                            <span class="muted small-text">{ format!(" ({})", t(T::VerifySelfSigned)) }</span>
                        }
                    </>
                }) }
            </dl>
            if !signature.reasons.is_empty() {
                <ul class="verify-reasons">{ for reasons }</ul>
            }
        </li>
    }
}

fn inspection_block(lang: Lang, index: usize, inspection: &InspectionView) -> Html {
    let t = |key: T| key.get(lang);
    let heading = format!("verify-{index}-inspection");
    let checklist = zicha_core::catalog::index_entry(&inspection.checklist)
        .filter(|checklist| checklist.version == inspection.checklist_version)
        .map(|checklist| i18n::pick(lang, &checklist.title_zh, &checklist.title_en).to_owned());
    let checklist = match checklist {
        Some(title) => format!(
            "{title} ({} {})",
            inspection.checklist, inspection.checklist_version
        ),
        None => format!("{} {}", inspection.checklist, inspection.checklist_version),
    };
    let organisation = if inspection.credit_code.is_empty() {
        html! { inspection.organisation.clone() }
    } else {
        html! {
            <>
                { inspection.organisation.clone() }
                { " " }
                <span class="mono small-text">{ format!("({})", inspection.credit_code) }</span>
            </>
        }
    };
    let matches = match inspection.matches_report {
        Some(matches) => html! {
            <span class={classes!("badge", if matches { "ok" } else { "failed" })}>{ yes_no(lang, matches) }</span>
        },
        None => html! { <span class="muted">{ t(T::VerifyNoSummary) }</span> },
    };
    let signed = html! {
        <span class={classes!("badge", if inspection.signed { "ok" } else { "failed" })}>
            { yes_no(lang, inspection.signed) }
        </span>
    };
    let score = inspection.score.as_ref().map(|score| {
        let grade = match score.grade {
            Some(grade) => i18n::grade(lang, grade).to_owned(),
            None => t(T::NoGrade).to_owned(),
        };
        let hazards = format!(
            "{} {} · {} {} · {} {}",
            t(T::General),
            score.hazards.general,
            t(T::Major),
            score.hazards.major,
            t(T::VerifyHazardsOpen),
            score.hazards.open
        );
        let stop = html! {
            <span class={classes!("badge", if score.stop_work { "stop" } else { "ok" })}>
                { yes_no(lang, score.stop_work) }
            </span>
        };
        let rates = score.five_100.iter().map(|rate| {
            let percent = rate
                .percent()
                .map(|p| format!("{}%", i18n::number(p)))
                .unwrap_or_else(|| t(T::NotChecked).to_owned());
            html! {
                <tr>
                    <th scope="row">{ i18n::rate_title(lang, rate.target) }</th>
                    <td class="verify-rate-fraction">{ format!("{}/{}", rate.numerator, rate.denominator) }</td>
                    <td>{ percent }</td>
                </tr>
            }
        });
        html! {
            <>
                { fact(t(T::Grade), html! { <strong class="verify-grade">{ grade }</strong> }) }
                { fact(t(T::Total), html! { <strong class="verify-total">{ i18n::number(score.total) }</strong> }) }
                { fact(t(T::VerifyHazards), html! { <span class="verify-hazards">{ hazards }</span> }) }
                { fact(t(T::VerifyStopWork), stop) }
                if !score.five_100.is_empty() {
                    <div class="verify-fact wide">
                        <dt>{ t(T::Five100) }</dt>
                        <dd>
                            <table class="verify-rates">
                                <thead>
                                    <tr>
                                        <th scope="col">{ t(T::VerifyRate) }</th>
                                        <th scope="col">{ t(T::VerifyRateValue) }</th>
                                        <th scope="col">{ "%" }</th>
                                    </tr>
                                </thead>
                                <tbody>{ for rates }</tbody>
                            </table>
                        </dd>
                    </div>
                }
            </>
        }
    });
    html! {
        <section class="verify-inspection" aria-labelledby={heading.clone()}>
            <h4 id={heading}>{ t(T::VerifyInspection) }</h4>
            <dl class="verify-facts">
                { fact(t(T::OrgName), organisation) }
                { fact(t(T::Project), html! { inspection.project.clone().unwrap_or_else(|| "—".to_owned()) }) }
                { fact(t(T::Checklist), html! { checklist }) }
                { fact(t(T::InspectionDate), html! { inspection.date.clone() }) }
                { for score }
                if inspection.score.is_none() {
                    { fact(t(T::Total), html! { <span class="muted">{ t(T::VerifyNotScored) }</span> }) }
                }
                { fact(t(T::VerifyMatches), matches) }
                { fact(t(T::VerifyDataSigned), signed) }
            </dl>
        </section>
    }
}

/// One file's card; `first`: the light verifier's first verdict, whose `valid` is shown as
/// pending (the pages are still being compared), never as valid. Other verdicts are final: the
/// proof can only make a verdict worse.
fn result_card(lang: Lang, index: usize, result: &FileView, first: bool) -> Html {
    let t = |key: T| key.get(lang);
    let pending = first && result.verdict == "valid";
    let verdict = if pending {
        "pending"
    } else {
        verdict_class(&result.verdict)
    };
    let (primary, secondary, secondary_lang) = if pending {
        let other = match lang {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        };
        (
            &T::VerdictPending.get(lang).to_owned(),
            &T::VerdictPending.get(other).to_owned(),
            if other == Lang::En { "en" } else { "zh-CN" },
        )
    } else {
        match lang {
            Lang::Zh => (&result.verdict_zh, &result.verdict_en, "en"),
            Lang::En => (&result.verdict_en, &result.verdict_zh, "zh-CN"),
        }
    };
    let title = format!("verify-{index}-file");
    let signatures = result
        .signatures
        .iter()
        .map(|signature| signature_item(lang, signature));
    let reasons: Vec<&FindingView> = result
        .findings
        .iter()
        .chain(result.inspection.iter().flat_map(|i| i.findings.iter()))
        .chain(result.proof.iter().flat_map(|p| p.findings.iter()))
        .collect();
    let has_reasons = !reasons.is_empty();
    let reasons = reasons.iter().map(|reason| {
        html! { <li data-code={reason.code.clone()}>{ reason.text(lang).to_owned() }</li> }
    });
    html! {
        <li>
            <article class={classes!("card", "verify-card", verdict)} data-file={result.file.clone()}
                     data-verdict={if pending { "pending".to_owned() } else { result.verdict.clone() }}
                     aria-labelledby={title.clone()}>
                <header class="verify-card-head">
                    <h3 id={title} class="verify-file">{ result.file.clone() }</h3>
                    <p class={classes!("verdict", verdict)}>
                        <span class="verdict-mark" aria-hidden="true">{ verdict_mark(verdict) }</span>
                        <strong class="verdict-text">{ primary.clone() }</strong>
                        <span class="verdict-other" lang={secondary_lang}>{ secondary.clone() }</span>
                    </p>
                </header>
                if !result.identity_checked && !result.signatures.is_empty() {
                    <p class="notice verify-identity-unchecked">{ t(T::VerifyIdentityNotChecked) }</p>
                }
                <h4>{ format!("{} ({})", t(T::VerifySignatures), result.signatures.len()) }</h4>
                if result.signatures.is_empty() {
                    <p class="muted">{ t(T::VerifyNoSignatures) }</p>
                } else {
                    <ol class="verify-signatures">{ for signatures }</ol>
                }
                if has_reasons {
                    <h4>{ t(T::VerifyReasons) }</h4>
                    <ul class="verify-reasons">{ for reasons }</ul>
                }
                { match &result.inspection {
                    Some(inspection) => inspection_block(lang, index, inspection),
                    None => html! { <p class="muted">{ t(T::VerifyNoInspection) }</p> },
                } }
            </article>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_times() {
        assert_eq!(
            fill(
                "已检查 {done} / {total} 份",
                &[("done", "1".into()), ("total", "3".into())]
            ),
            "已检查 1 / 3 份"
        );
        assert_eq!(
            readable_time("2026-03-02T19:00:00+08:00"),
            "2026-03-02 19:00:00 +08:00"
        );
        assert_eq!(
            readable_time("2026-03-02T11:00:00Z"),
            "2026-03-02 11:00:00 UTC"
        );
        assert_eq!(readable_time("garbage"), "garbage");
    }

    #[test]
    fn verdicts_and_trust_are_shown_by_their_own_words_and_colours() {
        // (verdict, class = colour, mark, words)
        for (verdict, class, mark, words) in [
            ("valid", "valid", "✓", "有效"),
            ("unregistered", "invalid", "✕", "签名人证书未登记"),
            ("modified", "modified", "!", "签名后被修改"),
            ("invalid", "invalid", "✕", "无效"),
            ("something-new", "invalid", "✕", "无效"),
        ] {
            assert_eq!(
                (verdict_class(verdict), verdict_mark(verdict_class(verdict))),
                (class, mark),
                "{verdict}"
            );
            assert_eq!(verdict_text(verdict).get(Lang::Zh), words, "{verdict}");
        }
        for (trust, class, words) in [
            ("known", "trust-known", "已登记"),
            ("unknown", "trust-unknown", "未登记"),
            ("not-checked", "trust-unchecked", "身份未核验"),
        ] {
            let (got_class, text) = trust_badge(trust);
            assert_eq!((got_class, text.get(Lang::Zh)), (class, words), "{trust}");
        }
    }
}
