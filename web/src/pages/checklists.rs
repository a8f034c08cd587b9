//! The 检查表 screen (extra module): the built-in checklists and those the enterprise imported,
//! with title, sector, version, items, 重大 items and items checked against the official text;
//! importing a spreadsheet (xlsx, xls, ods, csv) through the report worker, whose problems are shown
//! by sheet, row and column, or the new checklist's summary; the template xlsx, empty or filled with
//! a checklist. Imported checklists are stored by services/imported.rs.

use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use zicha_core::catalog::{self, IndexEntry};
use zicha_core::checklist::ChecklistRef;

use crate::extra::{XLSX_MIME, send};
use crate::hooks::use_store;
use crate::i18n::{self, Lang, T};
use crate::services::imported::{self, Outcome};
use crate::services::{checklist_source, files};
use crate::state::imported::ProblemRow;
use crate::state::port::Up;
use crate::state::{Notice, NoticeKind};

/// The 检查表 page.
#[function_component(ChecklistsPage)]
pub fn checklists_page() -> Html {
    let store = use_store();
    let lang = store.lang();
    let t = |key: T| key.get(lang);
    let busy = use_state(|| false);
    let outcome = use_state(|| None::<Result<Outcome, String>>);

    let on_import = {
        let busy = busy.clone();
        let outcome = outcome.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            input.set_value("");
            let (busy, outcome) = (busy.clone(), outcome.clone());
            busy.set(true);
            outcome.set(None);
            spawn_local(async move {
                let result = async {
                    let bytes = files::read(&file).await.map_err(|e| e.0)?;
                    imported::import(bytes, &file.name()).await
                }
                .await;
                busy.set(false);
                outcome.set(Some(result));
            });
        })
    };

    // The template: empty, or filled with the checklist `reference` names.
    let template = {
        let busy = busy.clone();
        move |reference: Option<ChecklistRef>| {
            let busy = busy.clone();
            Callback::from(move |_| {
                let (busy, reference) = (busy.clone(), reference.clone());
                busy.set(true);
                spawn_local(async move {
                    let result = async {
                        let source = match &reference {
                            Some(reference) => {
                                Some(checklist_source::source(reference).await.map_err(|e| e.0)?)
                            }
                            None => None,
                        };
                        let (name, bytes) = imported::template(source).await?;
                        files::download(&bytes, &name, XLSX_MIME).map_err(|e| e.0)
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
        }
    };

    let row = |entry: &IndexEntry| {
        let on_template = template(Some(entry.reference()));
        html! {
            <tr data-checklist={entry.id.clone()} data-version={entry.version.clone()}>
                <td class="text">
                    { i18n::pick(lang, &entry.title_zh, &entry.title_en) }
                    <div class="hint mono">{ format!("{} · {}", entry.id, entry.hash.short(12)) }</div>
                </td>
                // data-label: the column's name, shown before the value where a phone lays the
                // row out as a card (extra.css).
                <td class="text" data-label={t(T::ClColSector)}>{ i18n::pick(lang, entry.sector.zh(), entry.sector.key()) }</td>
                <td class="text" data-label={t(T::ClColVersion)}>{ entry.version.clone() }</td>
                <td data-count="items" data-label={t(T::ClColItems)}>{ entry.items }</td>
                <td data-count="major" data-label={t(T::ClColMajor)}>{ entry.major }</td>
                <td data-count="verified" data-label={t(T::ClColVerified)}>{ entry.verified }</td>
                <td class="row-action"><button type="button" class="button small template-of" disabled={*busy} onclick={on_template}>{ t(T::ClTemplateOf) }</button></td>
            </tr>
        }
    };
    let head = html! {
        <thead><tr>
            <th scope="col">{ t(T::ClColTitle) }</th>
            <th scope="col">{ t(T::ClColSector) }</th>
            <th scope="col">{ t(T::ClColVersion) }</th>
            <th scope="col" class="num">{ t(T::ClColItems) }</th>
            <th scope="col" class="num">{ t(T::ClColMajor) }</th>
            <th scope="col" class="num">{ t(T::ClColVerified) }</th>
            <th scope="col"><span class="visually-hidden">{ t(T::ClTemplateOf) }</span></th>
        </tr></thead>
    };
    // Every version imported, newest first.
    let imported_entries: Vec<IndexEntry> = catalog::imported_versions()
        .into_iter()
        .rev()
        .map(IndexEntry::of)
        .collect();

    html! {
        <div class="page checklists">
            <header class="page-head">
                <h1>{ t(T::ClTitle) }</h1>
                <p class="muted">{ t(T::ClIntro) }</p>
            </header>
            <section class="card" aria-labelledby="import-title">
                <h2 id="import-title">{ t(T::ClImport) }</h2>
                <div class="button-row">
                    <span class="file-button">
                        <input id="import-sheet" class="visually-hidden" type="file"
                            accept=".xlsx,.xlsm,.xls,.ods,.csv" onchange={on_import} disabled={*busy} />
                        <label for="import-sheet" class="button primary">{ t(T::ClChooseFile) }</label>
                    </span>
                    <button type="button" class="button" id="template-empty" disabled={*busy}
                        onclick={template(None)}>{ t(T::ClTemplate) }</button>
                </div>
                <p id="import-status" role="status" aria-busy={busy.to_string()}>
                    if *busy { { t(T::ClImporting) } }
                </p>
                { outcome_view(lang, outcome.as_ref()) }
            </section>
            <section class="card" aria-labelledby="imported-title">
                <h2 id="imported-title">{ t(T::ClImported) }</h2>
                if imported_entries.is_empty() {
                    <p class="muted">{ t(T::ClNoneImported) }</p>
                } else {
                    <div class="table-scroll">
                        <table id="checklists-imported" class="checklist-table">
                            { head.clone() }
                            <tbody>{ for imported_entries.iter().map(row) }</tbody>
                        </table>
                    </div>
                }
            </section>
            <section class="card" aria-labelledby="builtin-title">
                <h2 id="builtin-title">{ t(T::ClBuiltIn) }</h2>
                <div class="table-scroll">
                    <table id="checklists-builtin" class="checklist-table">
                        { head }
                        <tbody>{ for catalog::index().iter().map(row) }</tbody>
                    </table>
                </div>
            </section>
        </div>
    }
}

/// What the last import gave.
fn outcome_view(lang: Lang, outcome: Option<&Result<Outcome, String>>) -> Html {
    let t = |key: T| key.get(lang);
    match outcome {
        None => html! {},
        Some(Err(detail)) => html! {
            <p id="import-failed" class="notice error inline" role="alert">{ detail.clone() }</p>
        },
        Some(Ok(Outcome::BuiltInId(id))) => html! {
            <p id="import-failed" class="notice error inline" role="alert">{ format!("{} {id}", t(T::ClSameIdAsBuiltIn)) }</p>
        },
        Some(Ok(Outcome::Problems(problems))) => html! {
            <div id="import-problems" role="alert">
                <p class="hint error">{ format!("{} ({})", t(T::ClProblemsTitle), problems.len()) }</p>
                <div class="table-scroll">
                    <table class="checklist-table problems">
                        <thead><tr>
                            <th scope="col">{ t(T::ClColSheet) }</th>
                            <th scope="col" class="num">{ t(T::ClColRow) }</th>
                            <th scope="col">{ t(T::ClColColumn) }</th>
                            <th scope="col">{ t(T::ClColMessage) }</th>
                        </tr></thead>
                        <tbody>{ for problems.iter().map(problem_row) }</tbody>
                    </table>
                </div>
            </div>
        },
        Some(Ok(Outcome::Imported {
            record,
            new,
            millis,
        })) => {
            let summary = record.checklist().ok().map(|checklist| {
                i18n::imported_summary(
                    lang,
                    checklist.item_count(),
                    checklist.major_item_count(),
                    checklist.sections.len(),
                )
            });
            let title = record
                .checklist()
                .map(|checklist| {
                    i18n::pick(lang, &checklist.title_zh, &checklist.title_en).to_owned()
                })
                .unwrap_or_default();
            html! {
                <div id="import-result" class="notice info inline" role="status"
                     data-checklist={record.id.clone()} data-version={record.version.clone()}
                     data-new={new.to_string()} data-millis={format!("{millis:.1}")}>
                    <p><strong>{ t(T::ClImportedTitle) }</strong>{ format!(" {title} · {} {}", record.id, record.version) }</p>
                    if let Some(summary) = summary { <p>{ summary }</p> }
                    <p>{ if *new { t(T::ClUseIt) } else { t(T::ClAlreadyImported) } }</p>
                </div>
            }
        }
    }
}

fn problem_row(problem: &ProblemRow) -> Html {
    html! {
        <tr title={problem.text.clone()}>
            <td class="text">{ problem.sheet.clone() }</td>
            <td>{ if problem.row == 0 { String::new() } else { problem.row.to_string() } }</td>
            <td class="text">{ problem.column.clone() }</td>
            <td class="text">{ problem.message.clone() }</td>
        </tr>
    }
}
