//! The inspection screen: one section at a time with progress, every item of it, and the live
//! score from zicha-core beside (desktop) or above (phone) the items. For JGJ 59 checklists the
//! inspector declares which sheets the site does not have (本工程无此项): at each sheet's head, and
//! for all sheets at once (which scaffold types, hoists, cranes the site uses).

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use zicha_core::inspection::date_format;

use crate::components::item_card::ItemCard;
use crate::components::score_panel::ScorePanel;
use crate::components::{checked, select_value};
use crate::hooks::use_store;
use crate::i18n::{self, T};
use crate::route::{self, Route};
use crate::services::extra;
use crate::state::port::Down;
use crate::state::{Action, Notice, NoticeKind};

/// Props of [`InspectionPage`].
#[derive(Properties, PartialEq)]
pub struct InspectionPageProps {
    /// The inspection.
    pub id: String,
    /// The section shown (0-based).
    pub section: usize,
}

/// Exports a file of the shell's records as a download (`export`: the bundle of one inspection,
/// or an xlsx): the extra module does it, from the shell's state sent just before (a failure comes
/// back as a notice through the port).
pub fn export(store: UseReducerHandle<crate::state::AppState>, export: Down) {
    let shown = Down::show(&store);
    spawn_local(async move {
        let mut sent = extra::send(&shown).await;
        if sent.is_ok() {
            sent = extra::send(&export).await;
        }
        if let Err(detail) = sent {
            store.dispatch(Action::Notify(Notice {
                kind: NoticeKind::ExportFailed,
                detail,
            }));
        }
    });
}

/// The inspection page.
#[function_component(InspectionPage)]
pub fn inspection_page(props: &InspectionPageProps) -> Html {
    let store = use_store();
    let lang = store.lang();
    let t = |key: T| key.get(lang);

    // Move focus to the section heading when the section changes (keyboard and screen readers).
    let heading = use_node_ref();
    {
        let heading = heading.clone();
        use_effect_with(props.section, move |_| {
            if let Some(element) = heading.cast::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        });
    }

    // The score chip of the sticky bar: the full panel (after the items on a phone).
    let to_score = Callback::from(|_| {
        if let Some(aside) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("score-aside"))
        {
            aside.scroll_into_view();
            if let Ok(aside) = aside.dyn_into::<web_sys::HtmlElement>() {
                let _ = aside.focus();
            }
        }
    });

    // The inspector answering now (谁排查、谁签字): chosen among the inspection's inspectors.
    let answering_as = use_state(|| None::<String>);

    let Some(stored) = store.data.inspections.get(&props.id).cloned() else {
        return html! { <div class="page"><p class="card">{ t(T::NotFound) }</p><a href="#/" class="button">{ t(T::Back) }</a></div> };
    };
    let inspection = &stored.inspection;
    let Some(checklist) = zicha_core::catalog::resolve(&inspection.checklist) else {
        return html! { <div class="page"><p class="card">{ t(if crate::services::checklists::is_pending(&inspection.checklist) { T::Loading } else { T::NotFound }) }</p></div> };
    };
    let hazards = store.data.hazards_of(&inspection.id);
    let register = store.data.major_sources_of(&stored);
    let report = Rc::new(zicha_core::score::score_with(
        checklist,
        inspection,
        &hazards,
        register,
        store.today,
    ));
    // Target 5 on the register names the sources not assessed this month.
    let unassessed: Rc<Vec<String>> = Rc::new(
        report
            .five_100
            .iter()
            .filter(|rate| rate.basis == zicha_core::score::RateBasis::Register)
            .flat_map(|rate| &rate.gaps)
            .map(|id| match register.iter().find(|source| &source.id == id) {
                Some(source) => format!("{id} {}", source.name),
                None => id.clone(),
            })
            .collect(),
    );
    let section_idx = props
        .section
        .min(checklist.sections.len().saturating_sub(1));
    let section = &checklist.sections[section_idx];
    let section_score = &report.sections[section_idx];
    let section_titles: Rc<Vec<String>> = Rc::new(
        checklist
            .sections
            .iter()
            .map(|s| i18n::pick(lang, &s.title_zh, &s.title_en).to_owned())
            .collect(),
    );

    let options = checklist.sections.iter().enumerate().map(|(idx, _)| {
        let score = &report.sections[idx];
        let mark = if score.answered == score.items { "✓ " } else { "" };
        html! {
            <option value={idx.to_string()} selected={idx == section_idx}>
                { format!("{mark}{}. {} ({})", idx + 1, section_titles[idx], i18n::fraction(score.answered, score.items)) }
            </option>
        }
    });
    let on_section = {
        let id = props.id.clone();
        Callback::from(move |event: Event| {
            let idx = select_value(&event).parse().unwrap_or(0);
            route::go(&Route::Inspection(id.clone(), idx));
        })
    };

    let set_absent = {
        let store = store.clone();
        let inspection_id = inspection.id.clone();
        move |sheet_id: String| {
            let store = store.clone();
            let inspection_id = inspection_id.clone();
            Callback::from(move |absent: bool| {
                store.dispatch(Action::SetSheetAbsent {
                    inspection_id: inspection_id.clone(),
                    sheet_id: sheet_id.clone(),
                    absent,
                })
            })
        }
    };
    // Every sheet by 汇总表 row, ticked when the site has it.
    let site_sheets = (!checklist.jgj59_sheets.is_empty()).then(|| {
        let rows = checklist.jgj59_rows.iter().map(|row| {
            let sheets = checklist.jgj59_sheets.iter().filter(|sheet| sheet.row == row.id).map(|sheet| {
                let on_change = set_absent(sheet.id.clone());
                let onchange = Callback::from(move |event: Event| on_change.emit(!checked(&event)));
                let input_id = format!("sheet-present-{}", sheet.id);
                html! {
                    <li>
                        <input type="checkbox" id={input_id.clone()} data-sheet={sheet.id.clone()}
                            checked={!inspection.sheet_absent(&sheet.id)} {onchange} />
                        <label for={input_id}>{ format!("{} {}", sheet.id, i18n::pick(lang, &sheet.title_zh, &sheet.title_en)) }</label>
                    </li>
                }
            });
            html! {
                <li class="site-row">
                    <span class="label">{ row.title_zh.clone() }</span>
                    <ul class="site-row-sheets">{ for sheets }</ul>
                </li>
            }
        });
        html! {
            <details class="site-sheets">
                <summary>{ t(T::SitePresence) }</summary>
                <p class="hint">{ t(T::SitePresenceHint) }</p>
                <ul>{ for rows }</ul>
            </details>
        }
    });
    let sheet_absent = section
        .sheet
        .as_deref()
        .is_some_and(|sheet| inspection.sheet_absent(sheet));
    let sheet_toggle = section.sheet.clone().map(|sheet| {
        let on_change = set_absent(sheet.clone());
        let onchange = Callback::from(move |event: Event| on_change.emit(checked(&event)));
        html! {
            <label class="sheet-absent">
                <input type="checkbox" id="sheet-absent" data-sheet={sheet} checked={sheet_absent} {onchange} />
                { format!(" {}", t(T::SheetAbsent)) }
            </label>
        }
    });

    let found_by = inspection.inspectors.first().cloned().unwrap_or_default();
    let answered_by = answering_as
        .as_ref()
        .filter(|name| inspection.inspectors.contains(name))
        .cloned()
        .unwrap_or_else(|| found_by.clone());
    let answerer_picker = (inspection.inspectors.len() > 1).then(|| {
        let answering_as = answering_as.clone();
        let onchange = Callback::from(move |event: Event| {
            answering_as.set(Some(select_value(&event)));
        });
        let options = inspection.inspectors.iter().map(|name| {
            html! { <option value={name.clone()} selected={*name == answered_by}>{ name.clone() }</option> }
        });
        html! {
            <div class="answerer-picker">
                <label for="answering-as">{ t(T::AnsweringAs) }</label>
                <select id="answering-as" {onchange}>{ for options }</select>
            </div>
        }
    });
    let items = section.items.iter().map(|item| {
        let item_hazards: Vec<_> = store
            .data
            .hazards
            .values()
            .filter(|h| h.inspection_id == inspection.id && h.hazard.item.as_deref() == Some(item.id.as_str()))
            .cloned()
            .collect();
        html! {
            <ItemCard key={item.id.clone()} inspection_id={inspection.id.clone()} item={item.clone()}
                group={section.group} answer={inspection.answers.get(&item.id).cloned()} hazards={item_hazards}
                found_by={found_by.clone()} answered_by={answered_by.clone()} found_at={inspection.date} />
        }
    });

    let prev = (section_idx > 0).then(|| Route::Inspection(props.id.clone(), section_idx - 1));
    let next = (section_idx + 1 < checklist.sections.len())
        .then(|| Route::Inspection(props.id.clone(), section_idx + 1));
    let pager = html! {
        <nav class="pager" aria-label={t(T::Section)}>
            if let Some(prev) = prev.clone() {
                <a class="button" href={prev.href()} rel="prev">{ format!("← {}", t(T::PrevSection)) }</a>
            }
            if let Some(next) = next.clone() {
                <a class="button primary" href={next.href()} rel="next">{ format!("{} →", t(T::NextSection)) }</a>
            }
        </nav>
    };

    let on_export = |message: fn(String) -> Down| {
        let store = store.clone();
        let id = props.id.clone();
        Callback::from(move |_| export(store.clone(), message(id.clone())))
    };
    let on_delete = {
        let store = store.clone();
        let id = props.id.clone();
        Callback::from(move |_| {
            let confirmed = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(T::DeleteInspectionConfirm.get(lang))
                        .ok()
                })
                .unwrap_or(false);
            if confirmed {
                store.dispatch(Action::DeleteInspection(id.clone()));
                route::go(&Route::Home);
            }
        })
    };

    let project = store
        .data
        .project_of(&stored)
        .map(|p| p.project.name.clone());
    let group = section.group.map(|g| g.zh());
    html! {
        <div class="page inspection" data-inspection={inspection.id.clone()}>
            <header class="page-head">
                <h1>{ i18n::pick(lang, &checklist.title_zh, &checklist.title_en) }</h1>
                <p class="muted">
                    { date_format::format(inspection.date) }
                    if let Some(project) = project { { format!(" · {project}") } }
                    { format!(" · {}: {}", t(T::Inspectors), inspection.inspectors.join("、")) }
                </p>
                <div class="button-row">
                    <a class="button primary" id="open-report" href={Route::Report(props.id.clone()).href()}>{ t(T::SignAndExport) }</a>
                    <button type="button" class="button" id="export-bundle" onclick={on_export(|inspection_id| Down::ExportBundle { inspection_id })}>{ t(T::ExportBundle) }</button>
                    <button type="button" class="button" id="export-results-xlsx" onclick={on_export(|id| Down::ExportXlsx { inspection_id: Some(id) })}>{ t(T::ExportResultsXlsx) }</button>
                    <button type="button" class="button danger" onclick={on_delete}>{ t(T::DeleteInspection) }</button>
                </div>
            </header>
            <div class="inspection-layout">
                <div class="inspection-main">
                    // On a phone the one sticky bar: the section, the progress and the score as a
                    // chip that takes the user to the score panel (below the items there).
                    <div class="section-picker card">
                        <label for="section-select" class="visually-hidden-phone">{ t(T::Section) }</label>
                        <div class="section-bar">
                            <select id="section-select" onchange={on_section}>{ for options }</select>
                            <button type="button" class="mini-score" onclick={to_score}>
                                if let Some(judgement) = &report.judgement {
                                    <span>{ i18n::verdict(lang, judgement) }</span>
                                } else {
                                    <span>{ format!("{} {}", t(T::Total), i18n::number(report.total)) }</span>
                                    <span>{ match report.grade {
                                        Some(grade) => i18n::grade(lang, grade),
                                        None if !report.incomplete.is_empty() => t(T::GradeIncomplete),
                                        None => "—",
                                    } }</span>
                                }
                                if report.stop_work { <span class="stop">{ "⚠" }</span> }
                            </button>
                        </div>
                        <progress max={report.progress.items.max(1).to_string()} value={report.progress.answered.to_string()}
                            aria-label={t(T::Progress)}></progress>
                    </div>
                    if answerer_picker.is_some() || site_sheets.is_some() {
                        <div class="card inspection-tools">
                            { for answerer_picker }
                            { for site_sheets }
                        </div>
                    }
                    <section class="section" aria-labelledby="section-title" data-section={section.id.clone()}>
                        <header class="section-head">
                            <h2 id="section-title" tabindex="-1" ref={heading}>
                                { format!("{}. {}", section_idx + 1, section_titles[section_idx]) }
                            </h2>
                            <p class="muted">
                                if let Some(sheet) = &section.sheet { { format!("JGJ 59 {sheet} · ") } }
                                if let Some(group) = group { { format!("{group} · ") } }
                                <span class="section-progress">{ format!("{} {}", t(T::Progress), i18n::fraction(section_score.answered, section_score.items)) }</span>
                                { format!(" · {} {}/{}", t(T::ScoreTitle), i18n::number(section_score.score), i18n::number(section_score.max)) }
                            </p>
                            { for sheet_toggle }
                        </header>
                        if sheet_absent {
                            <p class="card muted sheet-absent-note">{ t(T::SheetAbsentNote) }</p>
                        } else {
                            { for items }
                        }
                    </section>
                    { pager }
                </div>
                <aside class="inspection-aside" id="score-aside" tabindex="-1">
                    <ScorePanel report={report.clone()} as_of={date_format::format(store.today)} {section_titles} {unassessed} />
                </aside>
            </div>
        </div>
    }
}
