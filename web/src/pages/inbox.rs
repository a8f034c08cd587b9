//! The regulator's inbox, a panel of the verify page: every report verified in this browser, kept
//! in the inbox's own IndexedDB database (services/inbox.rs) as the register's rows
//! (state/inbox.rs), with filters, counts, two charts by inspection month (inline SVG), a detail
//! view per report, CSV and xlsx export of the filtered table (written by the report worker), and
//! remove. It works offline like the rest of the app: nothing here leaves the browser.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use web_sys::{Blob, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::hooks::use_store;
use crate::i18n::{self, Lang, T};
use crate::services::{files, inbox, worker};
use crate::state::inbox::{
    self as state, Entry, Filter, GRADES, InboxAction, InboxMessage, InboxState, NO_GRADE, VERDICTS,
};
use crate::state::jobs::{InboxFormat, Job, Reply};

/// What a verify run hands the inbox: the worker's entries and, when the user keeps PDFs, each
/// file (same order).
#[derive(Debug, PartialEq)]
pub struct Batch {
    /// The run that made it (a new run is a new batch).
    pub run: u32,
    /// The worker's entries.
    pub entries: Vec<Entry>,
    /// The PDFs to keep, by the entries' index.
    pub pdfs: Vec<Option<Blob>>,
}

/// The panel's properties.
#[derive(Properties, PartialEq)]
pub struct InboxPanelProps {
    /// The last verified batch, to be kept.
    pub batch: Option<Rc<Batch>>,
}

/// A catalog text with `{name}` placeholders filled in.
fn fill(text: &str, values: &[(&str, String)]) -> String {
    values.iter().fold(text.to_owned(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}

async fn reload(dispatch: &UseReducerDispatcher<InboxState>) {
    match inbox::entries().await {
        Ok((entries, problems)) => {
            dispatch.dispatch(InboxAction::Loaded(entries));
            if !problems.is_empty() {
                dispatch.dispatch(InboxAction::Failed(problems.join("; ")));
            }
        }
        Err(error) => dispatch.dispatch(InboxAction::Failed(error.0)),
    }
}

/// Keeps `batch`: the new files (by SHA-256), each linked to the earlier files of its inspection.
async fn keep(batch: Rc<Batch>, dispatch: UseReducerDispatcher<InboxState>) {
    let existing = match inbox::entries().await {
        Ok((entries, _)) => entries,
        Err(error) => {
            dispatch.dispatch(InboxAction::Failed(error.0));
            return;
        }
    };
    let received: Vec<Entry> = batch
        .entries
        .iter()
        .zip(batch.pdfs.iter())
        .map(|(entry, pdf)| {
            let mut entry = entry.clone();
            entry.pdf_kept = pdf.is_some();
            entry
        })
        .collect();
    let (fresh, duplicates) = state::admit(&existing, received);
    let pdfs: Vec<Option<Blob>> = fresh
        .iter()
        .map(|entry| {
            batch
                .entries
                .iter()
                .position(|e| e.sha256() == entry.sha256())
                .and_then(|index| batch.pdfs.get(index).cloned().flatten())
        })
        .collect();
    if let Err(error) = inbox::add(&fresh, &pdfs).await {
        dispatch.dispatch(InboxAction::Failed(error.0));
        return;
    }
    dispatch.dispatch(InboxAction::Added {
        added: fresh.len(),
        duplicates,
    });
    reload(&dispatch).await;
}

/// Has the worker write `entries` as `format` and offers the file.
async fn export(
    entries: Vec<Entry>,
    format: InboxFormat,
    name: String,
    dispatch: UseReducerDispatcher<InboxState>,
) {
    let to_json = |entries: &[Entry]| -> Result<_, String> {
        let reports = entries
            .iter()
            .map(|e| serde_json::to_value(&e.report))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        let signatures = entries
            .iter()
            .flat_map(|e| e.signatures.iter())
            .map(serde_json::to_value)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        Ok((reports, signatures))
    };
    let (reports, signatures) = match to_json(&entries) {
        Ok(json) => json,
        Err(error) => {
            dispatch.dispatch(InboxAction::Failed(error));
            return;
        }
    };
    let job = Job::ExportInbox {
        format,
        reports,
        signatures: if format == InboxFormat::Xlsx {
            signatures
        } else {
            Vec::new()
        },
    };
    let mime = match format {
        InboxFormat::Csv => "text/csv",
        InboxFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };
    match worker::run(&job, Vec::new(), None, None).await {
        Ok(done) => match (done.reply, done.bytes.into_iter().next()) {
            (Reply::File { .. }, Some(bytes)) => {
                if let Err(error) = files::download(&bytes, &name, mime) {
                    dispatch.dispatch(InboxAction::Failed(error.0));
                    return;
                }
                dispatch.dispatch(InboxAction::Exporting(false));
            }
            (other, _) => {
                dispatch.dispatch(InboxAction::Failed(format!("unexpected reply {other:?}")))
            }
        },
        Err(error) => dispatch.dispatch(InboxAction::Failed(error)),
    }
}

/// The panel.
#[function_component(InboxPanel)]
pub fn inbox_panel(props: &InboxPanelProps) -> Html {
    let store = use_store();
    let lang = store.lang();
    let today = store.today;
    let t = |key: T| key.get(lang);
    let state = use_reducer(InboxState::default);

    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            spawn_local(async move { reload(&dispatch).await });
        });
    }
    {
        let dispatch = state.dispatcher();
        use_effect_with(props.batch.clone(), move |batch| {
            if let Some(batch) = batch.clone() {
                spawn_local(keep(batch, dispatch));
            }
        });
    }

    let all: Rc<Vec<Entry>> = state.entries.clone().unwrap_or_default();
    let shown: Vec<&Entry> = all
        .iter()
        .filter(|entry| state.filter.matches(entry, today))
        .collect();

    let set_filter = {
        let dispatch = state.dispatcher();
        let filter = state.filter.clone();
        Rc::new(move |change: &dyn Fn(&mut Filter)| {
            let mut next = filter.clone();
            change(&mut next);
            dispatch.dispatch(InboxAction::Filter(next));
        })
    };
    let select = |id: &'static str,
                  label: T,
                  value: Option<String>,
                  options: Vec<(String, String)>,
                  apply: fn(&mut Filter, Option<String>)| {
        let set_filter = set_filter.clone();
        let onchange = Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            let chosen = select.value();
            let chosen = (!chosen.is_empty()).then_some(chosen);
            set_filter(&|filter| apply(filter, chosen.clone()));
        });
        let current = value.unwrap_or_default();
        html! {
            <label class="inbox-filter" for={id}>
                <span>{ t(label) }</span>
                <select id={id} {onchange}>
                    <option value="" selected={current.is_empty()}>{ t(T::InboxAll) }</option>
                    { for options.into_iter().map(|(value, text)| html! {
                        <option value={value.clone()} selected={value == current}>{ text }</option>
                    }) }
                </select>
            </label>
        }
    };
    let check = |id: &'static str, label: T, value: bool, apply: fn(&mut Filter, bool)| {
        let set_filter = set_filter.clone();
        let onchange = Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let checked = input.checked();
            set_filter(&|filter| apply(filter, checked));
        });
        html! {
            <label class="inbox-check" for={id}>
                <input type="checkbox" id={id} checked={value} {onchange} />
                <span>{ t(label) }</span>
            </label>
        }
    };
    let sectors = state::choices(all.iter(), |e| e.report.sector.clone())
        .into_iter()
        .map(|key| {
            let text = sector_text(lang, &key);
            (key, text)
        })
        .collect();
    let verdicts = VERDICTS
        .iter()
        .filter(|v| all.iter().any(|e| e.report.verdict == **v))
        .map(|v| (v.to_string(), t(verdict_words(v)).to_owned()))
        .collect();
    let grades = GRADES
        .iter()
        .filter(|g| all.iter().any(|e| state::grade_of(e) == **g))
        .map(|g| (g.to_string(), grade_text(lang, g)))
        .collect();
    let months = state::choices(all.iter(), |e| Some(e.month()))
        .into_iter()
        .map(|m| (m.clone(), m))
        .collect();
    let filter = &state.filter;
    let filters = html! {
        <div class="inbox-filters" role="group" aria-label={t(T::InboxFilters)}>
            { select("inbox-sector", T::InboxSector, filter.sector.clone(), sectors, |f, v| f.sector = v) }
            { select("inbox-verdict", T::InboxVerdict, filter.verdict.clone(), verdicts, |f, v| f.verdict = v) }
            { select("inbox-grade", T::Grade, filter.grade.clone(), grades, |f, v| f.grade = v) }
            { select("inbox-month", T::InboxMonth, filter.month.clone(), months, |f, v| f.month = v) }
            { check("inbox-major", T::InboxMajorOpen, filter.major_open, |f, v| f.major_open = v) }
            { check("inbox-overdue", T::InboxOverdue, filter.overdue, |f, v| f.overdue = v) }
            { check("inbox-stop", T::VerifyStopWork, filter.stop_work, |f, v| f.stop_work = v) }
            if !filter.is_empty() {
                <button type="button" id="inbox-clear" class="button" onclick={
                    let dispatch = state.dispatcher();
                    Callback::from(move |_| dispatch.dispatch(InboxAction::Filter(Filter::default())))
                }>{ t(T::InboxClearFilters) }</button>
            }
        </div>
    };

    let counts = state::counts(shown.iter().copied(), today);
    let counts_text = fill(
        t(T::InboxCounts),
        &[
            ("shown", counts.total.to_string()),
            ("all", all.len().to_string()),
            ("valid", counts.valid.to_string()),
            ("not_valid", counts.not_valid.to_string()),
            ("major", counts.major_open.to_string()),
            ("overdue", counts.overdue.to_string()),
            ("stop", counts.stop_work.to_string()),
            ("resubmitted", counts.resubmissions.to_string()),
        ],
    );

    let on_export = |format: InboxFormat| {
        let dispatch = state.dispatcher();
        let entries: Vec<Entry> = shown.iter().map(|e| (*e).clone()).collect();
        let date = zicha_core::dates::format_date(today);
        Callback::from(move |_| {
            let extension = match format {
                InboxFormat::Csv => "csv",
                InboxFormat::Xlsx => "xlsx",
            };
            dispatch.dispatch(InboxAction::Exporting(true));
            spawn_local(export(
                entries.clone(),
                format,
                format!("zicha-inbox-{date}.{extension}"),
                dispatch.clone(),
            ));
        })
    };

    let message = match &state.message {
        Some(InboxMessage::Added { added, duplicates }) => html! {
            <p id="inbox-message" class="notice info inline" data-added={added.to_string()}
               data-duplicates={duplicates.to_string()}>
                { fill(t(T::InboxAdded), &[("added", added.to_string()), ("duplicates", duplicates.to_string())]) }
            </p>
        },
        Some(InboxMessage::Failed(detail)) => html! {
            <p id="inbox-message" class="notice error inline">{ format!("{} {detail}", t(T::InboxFailed)) }</p>
        },
        None => html! {},
    };

    let rows = shown.iter().map(|entry| {
        let sha = entry.sha256().to_owned();
        let open = state.open.as_deref() == Some(sha.as_str());
        let toggle = {
            let dispatch = state.dispatcher();
            let sha = sha.clone();
            Callback::from(move |_| dispatch.dispatch(InboxAction::Toggle(sha.clone())))
        };
        let report = &entry.report;
        let overdue = entry.overdue(today);
        let dash = || "—".to_owned();
        html! {
            <>
                <tr class={classes!("inbox-row", verdict_class(&report.verdict))} data-sha={sha.clone()}
                    data-verdict={report.verdict.clone()} data-file={report.file_name.clone()}>
                    <th scope="row" class="inbox-file">
                        <button type="button" class="link-button inbox-open" aria-expanded={open.to_string()}
                                onclick={toggle}>{ report.file_name.clone() }</button>
                        if report.revision.unwrap_or(1) > 1 {
                            <span class="badge inbox-resubmitted">{ fill(t(T::InboxRevision), &[("n", report.revision.unwrap_or(1).to_string())]) }</span>
                        }
                    </th>
                    <td class="inbox-enterprise">{ report.enterprise.clone().unwrap_or_else(dash) }</td>
                    <td class="inbox-sector">{ report.sector.as_deref().map(|s| sector_text(lang, s)).unwrap_or_else(dash) }</td>
                    <td>{ report.inspection_date.clone().unwrap_or_else(dash) }</td>
                    <td class="inbox-verdict">
                        <span class={classes!("badge", format!("verdict-{}", verdict_class(&report.verdict)))}>
                            { t(verdict_words(&report.verdict)) }
                        </span>
                    </td>
                    <td class="inbox-grade">{ grade_text(lang, &state::grade_of(entry)) }</td>
                    <td>{ report.total.map(i18n::number).unwrap_or_else(dash) }</td>
                    <td class="inbox-major">{ report.hazards_major_open.map(|n| n.to_string()).unwrap_or_else(dash) }</td>
                    <td class="inbox-overdue">{ overdue.to_string() }</td>
                    <td class="inbox-stop">
                        if report.stop_work == Some(true) {
                            <span class="badge stop">{ t(T::VerifyYes) }</span>
                        } else {
                            { report.stop_work.map(|_| t(T::VerifyNo).to_owned()).unwrap_or_else(dash) }
                        }
                    </td>
                    <td>{ report.signer_count.to_string() }</td>
                </tr>
                if open {
                    <tr class="inbox-detail-row">
                        <td colspan="11">{ detail(lang, today, entry, state.dispatcher()) }</td>
                    </tr>
                }
            </>
        }
    });

    let verdict_chart = chart(
        "inbox-chart-verdicts",
        t(T::InboxChartVerdicts),
        &state::by_month(shown.iter().copied(), &VERDICTS, state::verdict_of),
        &VERDICTS
            .iter()
            .map(|v| (t(verdict_words(v)).to_owned(), verdict_colour(v)))
            .collect::<Vec<_>>(),
    );
    let grade_chart = chart(
        "inbox-chart-grades",
        t(T::InboxChartGrades),
        &state::by_month(shown.iter().copied(), &GRADES, state::grade_of),
        &GRADES
            .iter()
            .map(|g| (grade_text(lang, g), grade_colour(g)))
            .collect::<Vec<_>>(),
    );

    html! {
        <section id="inbox" class="inbox card" aria-labelledby="inbox-title"
                 data-total={all.len().to_string()} data-shown={shown.len().to_string()}
                 data-loaded={state.entries.is_some().to_string()}>
            <div class="verify-results-head">
                <div>
                    <h2 id="inbox-title">{ t(T::InboxTitle) }</h2>
                    <p class="muted small-text">{ t(T::InboxIntro) }</p>
                </div>
                <div class="button-row">
                    <button type="button" id="inbox-export-xlsx" class="button primary"
                            disabled={state.exporting || shown.is_empty()} onclick={on_export(InboxFormat::Xlsx)}>
                        { t(T::InboxExportXlsx) }
                    </button>
                    <button type="button" id="inbox-export-csv" class="button"
                            disabled={state.exporting || shown.is_empty()} onclick={on_export(InboxFormat::Csv)}>
                        { t(T::VerifyExportCsv) }
                    </button>
                </div>
            </div>
            { message }
            if all.is_empty() {
                <p id="inbox-empty" class="muted">{ t(T::InboxEmpty) }</p>
            } else {
                { filters }
                <p id="inbox-counts" class="muted" data-valid={counts.valid.to_string()}
                   data-not-valid={counts.not_valid.to_string()}>{ counts_text }</p>
                <div class="inbox-charts">{ verdict_chart }{ grade_chart }</div>
                <div class="table-scroll">
                    <table id="inbox-table" class="inbox-table">
                        <thead>
                            <tr>
                                <th scope="col">{ t(T::InboxFile) }</th>
                                <th scope="col">{ t(T::OrgName) }</th>
                                <th scope="col">{ t(T::InboxSector) }</th>
                                <th scope="col">{ t(T::InspectionDate) }</th>
                                <th scope="col">{ t(T::InboxVerdict) }</th>
                                <th scope="col">{ t(T::Grade) }</th>
                                <th scope="col">{ t(T::Total) }</th>
                                <th scope="col">{ t(T::InboxMajorOpenShort) }</th>
                                <th scope="col">{ t(T::InboxOverdueShort) }</th>
                                <th scope="col">{ t(T::VerifyStopWork) }</th>
                                <th scope="col">{ t(T::VerifySignatures) }</th>
                            </tr>
                        </thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
        </section>
    }
}

/// The details of one report: its signatures (parties, trust), boxes, hazards and scores, its
/// kept PDF and remove.
fn detail(
    lang: Lang,
    today: time::Date,
    entry: &Entry,
    dispatch: UseReducerDispatcher<InboxState>,
) -> Html {
    let t = |key: T| key.get(lang);
    let report = &entry.report;
    let sha = entry.sha256().to_owned();
    let dash = || "—".to_owned();
    let on_remove = {
        let dispatch = dispatch.clone();
        let sha = sha.clone();
        Callback::from(move |_| {
            let dispatch = dispatch.clone();
            let sha = sha.clone();
            spawn_local(async move {
                match inbox::remove(&sha).await {
                    Ok(()) => dispatch.dispatch(InboxAction::Removed(sha)),
                    Err(error) => dispatch.dispatch(InboxAction::Failed(error.0)),
                }
            });
        })
    };
    let on_pdf = {
        let sha = sha.clone();
        let name = report.file_name.clone();
        Callback::from(move |_| {
            let dispatch = dispatch.clone();
            let sha = sha.clone();
            let name = name.clone();
            spawn_local(async move {
                let saved = match inbox::pdf(&sha).await {
                    Ok(Some(blob)) => match crate::services::db::blob_bytes(&blob).await {
                        Ok(bytes) => files::download(&bytes, &name, "application/pdf"),
                        Err(error) => Err(error),
                    },
                    Ok(None) => Ok(()),
                    Err(error) => Err(error),
                };
                if let Err(error) = saved {
                    dispatch.dispatch(InboxAction::Failed(error.0));
                }
            });
        })
    };
    let signatures = entry.signatures.iter().map(|signature| {
        let trust = match signature.trusted {
            Some(true) => ("trust-known", T::VerifyTrustKnown),
            Some(false) => ("trust-unknown", T::VerifyTrustUnknown),
            None => ("trust-unchecked", T::VerifyTrustNotChecked),
        };
        html! {
            <li class={classes!("verify-signature", verdict_class(&signature.status))}
                data-signer={signature.signer.clone().unwrap_or_default()}>
                <p class="verify-signer">
                    <span class="verify-role">{ signature.role.clone().unwrap_or_else(dash) }</span>
                    <strong class="verify-signer-name">{ signature.signer.clone().unwrap_or_else(dash) }</strong>
                    <span class={classes!("badge", trust.0)}>{ t(trust.1) }</span>
                    <span class={classes!("badge", format!("verdict-{}", verdict_class(&signature.status)))}>
                        { t(verdict_words(&signature.status)) }
                    </span>
                </p>
                <p class="small-text">
                    { signature.organisation.clone().unwrap_or_else(dash) }
                    { " · " }
                    <span class="mono">{ signature.credit_code.clone().unwrap_or_else(dash) }</span>
                    { " · " }
                    { signature.signed_at.clone().unwrap_or_else(dash) }
                </p>
                <p class="small-text mono verify-fingerprint">{ signature.cert_sha256.clone().unwrap_or_else(dash) }</p>
                if !signature.reasons.is_empty() {
                    <p class="small-text verify-reasons">{ signature.reasons.clone() }</p>
                }
            </li>
        }
    });
    let parties = entry.parties.iter().map(|party| {
        html! {
            <li data-signed={party.signed.to_string()}>
                { format!("{}. {} {} — ", party.number, party.role, party.name) }
                <span class={classes!("badge", if party.signed { "ok" } else { "failed" })}>
                    { t(if party.signed { T::InboxSigned } else { T::InboxNotSigned }) }
                </span>
            </li>
        }
    });
    let hazards = entry.hazards.iter().map(|hazard| {
        let overdue = hazard.is_overdue(today);
        html! {
            <tr class="inbox-hazard" data-level={hazard.level.zh()}>
                <th scope="row">{ hazard.description.clone() }</th>
                <td><span class={classes!("badge", if state::is_major(hazard) { "major" } else { "none" })}>{ i18n::level(lang, hazard.level) }</span></td>
                <td>{ i18n::status(lang, hazard.status) }</td>
                <td>
                    { hazard.rectification.deadline.map(zicha_core::dates::format_date).unwrap_or_else(dash) }
                    if overdue {
                        { " " }<span class="badge overdue">{ t(T::InboxOverdueShort) }</span>
                    }
                </td>
            </tr>
        }
    });
    let sections = entry.score.iter().flat_map(|score| score.sections.iter()).map(|section| {
        html! {
            <tr>
                <th scope="row">{ section.title.clone() }</th>
                <td>{ format!("{}/{}", i18n::number(section.score), i18n::number(section.max)) }</td>
                <td>{ section.failed.to_string() }</td>
            </tr>
        }
    });
    let reasons = i18n::pick(lang, &report.reasons, &report.reasons_en).to_owned();
    html! {
        <div class="inbox-detail" data-sha={sha.clone()}>
            <dl class="verify-facts">
                <div class="verify-fact"><dt>{ "SHA-256" }</dt><dd class="mono verify-fingerprint">{ sha.clone() }</dd></div>
                <div class="verify-fact"><dt>{ t(T::InboxReceived) }</dt><dd>{ report.received_at.clone() }</dd></div>
                <div class="verify-fact"><dt>{ t(T::CreditCode) }</dt><dd class="mono">{ report.credit_code.clone().unwrap_or_else(dash) }</dd></div>
                <div class="verify-fact"><dt>{ t(T::Project) }</dt><dd>{ report.project.clone().unwrap_or_else(dash) }</dd></div>
                <div class="verify-fact"><dt>{ t(T::Checklist) }</dt><dd>{ format!("{} {}", report.checklist_id.clone().unwrap_or_default(), report.checklist_version.clone().unwrap_or_default()) }</dd></div>
                <div class="verify-fact"><dt>{ t(T::InboxInspectionId) }</dt><dd class="mono">{ report.inspection_id.clone().unwrap_or_else(dash) }</dd></div>
                if let Some(supersedes) = &report.supersedes {
                    <div class="verify-fact"><dt>{ t(T::InboxSupersedes) }</dt><dd class="mono verify-fingerprint inbox-supersedes">{ supersedes.clone() }</dd></div>
                }
                if let Some(reasons_stop) = report.stop_work_reasons.clone().filter(|r| !r.is_empty()) {
                    <div class="verify-fact"><dt>{ t(T::VerifyStopWork) }</dt><dd>{ reasons_stop }</dd></div>
                }
            </dl>
            if !reasons.is_empty() {
                <h4>{ t(T::VerifyReasons) }</h4>
                <p class="verify-reasons">{ reasons }</p>
            }
            <h4>{ format!("{} ({})", t(T::VerifySignatures), entry.signatures.len()) }</h4>
            if entry.signatures.is_empty() {
                <p class="muted">{ t(T::VerifyNoSignatures) }</p>
            } else {
                <ol class="verify-signatures">{ for signatures }</ol>
            }
            if !entry.parties.is_empty() {
                <h4>{ t(T::InboxParties) }</h4>
                <ul class="inbox-parties">{ for parties }</ul>
            }
            <h4>{ format!("{} ({})", t(T::VerifyHazards), entry.hazards.len()) }</h4>
            if !entry.hazards.is_empty() {
                <div class="table-scroll">
                    <table class="inbox-hazards">
                        <tbody>{ for hazards }</tbody>
                    </table>
                </div>
            }
            if entry.score.as_ref().is_some_and(|s| !s.sections.is_empty()) {
                <h4>{ t(T::InboxScores) }</h4>
                <div class="table-scroll">
                    <table class="inbox-scores"><tbody>{ for sections }</tbody></table>
                </div>
            }
            <div class="button-row">
                if entry.pdf_kept {
                    <button type="button" class="button inbox-pdf" onclick={on_pdf}>{ t(T::InboxDownloadPdf) }</button>
                }
                <button type="button" class="button danger inbox-remove" onclick={on_remove}>{ t(T::InboxRemove) }</button>
            </div>
        </div>
    }
}

/// A stacked bar chart by month, inline SVG: one bar per month, a segment per key.
fn chart(
    id: &'static str,
    title: &str,
    months: &[(String, Vec<usize>)],
    keys: &[(String, &'static str)],
) -> Html {
    const BAR: f64 = 28.0;
    const GAP: f64 = 14.0;
    const HEIGHT: f64 = 120.0;
    let max = months
        .iter()
        .map(|(_, counts)| counts.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let width = (months.len() as f64 * (BAR + GAP) + GAP).max(120.0);
    let bars = months.iter().enumerate().map(|(index, (month, counts))| {
        let x = GAP + index as f64 * (BAR + GAP);
        let mut y = HEIGHT;
        let segments = counts.iter().zip(keys.iter()).filter(|(n, _)| **n > 0).map(|(n, (label, colour))| {
            let h = *n as f64 / max * (HEIGHT - 14.0);
            y -= h;
            html! {
                <rect x={x.to_string()} y={format!("{y:.1}")} width={BAR.to_string()} height={format!("{h:.1}")} fill={*colour}>
                    <title>{ format!("{month} {label}: {n}") }</title>
                </rect>
            }
        }).collect::<Html>();
        let total: usize = counts.iter().sum();
        html! {
            <g class="inbox-bar" data-month={month.clone()} data-total={total.to_string()}>
                { segments }
                <text x={(x + BAR / 2.0).to_string()} y={format!("{:.1}", y - 3.0)} text-anchor="middle" font-size="10">{ total.to_string() }</text>
                <text x={(x + BAR / 2.0).to_string()} y={(HEIGHT + 12.0).to_string()} text-anchor="middle" font-size="9">{ month.get(2..).unwrap_or(month).to_owned() }</text>
            </g>
        }
    });
    let legend = keys.iter().map(|(label, colour)| html! {
        // An SVG fill, not an inline style: the app's CSP (style-src 'self') blocks style attributes.
        <li>
            <svg class="inbox-swatch" viewBox="0 0 10 10" width="10" height="10" aria-hidden="true">
                <rect width="10" height="10" fill={*colour} />
            </svg>
            { label.clone() }
        </li>
    });
    html! {
        <figure class="inbox-chart" id={id}>
            <figcaption>{ title.to_owned() }</figcaption>
            <svg viewBox={format!("0 0 {width} {}", HEIGHT + 16.0)} width={width.to_string()} height={(HEIGHT + 16.0).to_string()} role="img" aria-label={title.to_owned()}>
                <line x1="0" y1={HEIGHT.to_string()} x2={width.to_string()} y2={HEIGHT.to_string()} stroke="#98a29c" />
                { for bars }
            </svg>
            <ul class="inbox-legend">{ for legend }</ul>
        </figure>
    }
}

fn verdict_class(verdict: &str) -> &'static str {
    match verdict {
        "valid" => "valid",
        "modified" => "modified",
        _ => "invalid",
    }
}

fn verdict_words(verdict: &str) -> T {
    match verdict {
        "valid" => T::VerdictValid,
        "incomplete" => T::VerdictIncomplete,
        "unregistered" => T::VerdictUnregistered,
        "modified" => T::VerdictModified,
        _ => T::VerdictInvalid,
    }
}

fn verdict_colour(verdict: &str) -> &'static str {
    match verdict {
        "valid" => "#1f7a3f",
        "incomplete" => "#7a9a3f",
        "unregistered" => "#b3261e",
        "modified" => "#b86e00",
        _ => "#7a1712",
    }
}

fn grade_colour(grade: &str) -> &'static str {
    match grade {
        "优良" => "#1f7a3f",
        "合格" => "#2f6fb3",
        "不合格" => "#b3261e",
        _ => "#98a29c",
    }
}

fn grade_text(lang: Lang, grade: &str) -> String {
    match grade {
        "优良" => i18n::grade(lang, zicha_core::score::Grade::Excellent).to_owned(),
        "合格" => i18n::grade(lang, zicha_core::score::Grade::Pass).to_owned(),
        "不合格" => i18n::grade(lang, zicha_core::score::Grade::Fail).to_owned(),
        NO_GRADE => T::NoGrade.get(lang).to_owned(),
        other => other.to_owned(),
    }
}

/// A sector by the title of a checklist of it in this build's index, else its key.
fn sector_text(lang: Lang, key: &str) -> String {
    zicha_core::catalog::index()
        .iter()
        .find(|entry| entry.sector.key() == key)
        .map(|entry| i18n::pick(lang, &entry.title_zh, &entry.title_en).to_owned())
        .unwrap_or_else(|| key.to_owned())
}
