//! The hazard ledger across inspections, filtered by status, level, overdue and project.

use yew::prelude::*;
use zicha_core::checklist::Level;
use zicha_core::inspection::date_format;
use zicha_core::ledger::Status;

use crate::components::hazard_card::{self, HazardCard};
use crate::components::{checked, select_value};
use crate::hooks::use_store;
use crate::i18n::{self, T};
use crate::route::Route;
use crate::state::ledger::{Filter, filtered};
use crate::state::port::Down;

/// The ledger page.
#[function_component(LedgerPage)]
pub fn ledger_page() -> Html {
    let store = use_store();
    let lang = store.lang();
    let t = |key: T| key.get(lang);
    let filter = use_state(Filter::default);
    let data = &store.data;
    let hazards = filtered(data, &filter, store.today);
    let counts = zicha_core::ledger::count(
        &data
            .hazards
            .values()
            .map(|h| h.hazard.clone())
            .collect::<Vec<_>>(),
        store.today,
    );

    let set = |apply: fn(&mut Filter, String)| {
        let filter = filter.clone();
        Callback::from(move |event: Event| {
            let mut next = (*filter).clone();
            apply(&mut next, select_value(&event));
            filter.set(next);
        })
    };
    let on_status = set(|f, v| f.status = Status::ALL.into_iter().find(|s| format!("{s:?}") == v));
    let on_level = set(|f, v| {
        f.level = match v.as_str() {
            "major" => Some(Level::Major),
            "general" => Some(Level::General),
            _ => None,
        }
    });
    let on_project = set(|f, v| f.project_id = (!v.is_empty()).then_some(v));
    let on_overdue = {
        let filter = filter.clone();
        Callback::from(move |event: Event| {
            let mut next = (*filter).clone();
            next.overdue_only = checked(&event);
            filter.set(next);
        })
    };

    let status_options = Status::ALL.iter().map(|status| {
        html! { <option value={format!("{status:?}")} selected={filter.status == Some(*status)}>{ i18n::status(lang, *status) }</option> }
    });
    let project_options = data.projects.values().map(|p| {
        html! { <option value={p.id.clone()} selected={filter.project_id.as_deref() == Some(p.id.as_str())}>{ p.project.name.clone() }</option> }
    });

    // The hazard opened for editing, shown alone (with a way back to the list).
    let focused = use_state(|| None::<String>);
    let shown: Vec<_> = match focused.as_deref() {
        Some(id) => hazards
            .iter()
            .filter(|stored| stored.hazard.id == id)
            .cloned()
            .collect(),
        None => hazards.clone(),
    };
    let cards = shown.iter().map(|stored| {
        let context = data.inspections.get(&stored.inspection_id).map(|inspection| {
            let checklist = zicha_core::catalog::resolve(&inspection.inspection.checklist)
                .map(|c| i18n::pick(lang, &c.title_zh, &c.title_en).to_owned())
                .unwrap_or_default();
            let project = data.project_of(inspection).map(|p| format!(" · {}", p.project.name)).unwrap_or_default();
            let item = stored.hazard.item.clone().unwrap_or_default();
            let section = zicha_core::catalog::resolve(&inspection.inspection.checklist)
                .and_then(|c| c.sections.iter().position(|s| s.items.iter().any(|i| i.id == item)))
                .unwrap_or(0);
            html! {
                <>
                    { format!("{}: ", t(T::FromInspection)) }
                    <a href={Route::Inspection(stored.inspection_id.clone(), section).href()}>
                        { format!("{checklist} {}", date_format::format(inspection.inspection.date)) }
                    </a>
                    { project }
                    if !item.is_empty() { { format!(" · {item}") } }
                </>
            }
        });
        let hazard = &stored.hazard;
        let id = hazard.id.clone();
        let prefix = format!("hz-{id}");
        if focused.as_deref() == Some(id.as_str()) {
            return html! { <HazardCard key={id} stored={stored.clone()} full=true {context} /> };
        }
        // The list shows each hazard as a summary; its whole record (五定, 治理方案, 督办,
        // 验收, 销号: ~1,500 px of form on a phone) opens as the one card on the screen.
        let open = {
            let focused = focused.clone();
            Callback::from(move |_| {
                focused.set(Some(id.clone()));
                if let Some(window) = web_sys::window() {
                    window.scroll_to_with_x_and_y(0.0, 0.0);
                }
            })
        };
        let rectification = &hazard.rectification;
        html! {
            <article key={hazard.id.clone()} class={classes!("hazard-summary", "card", hazard.is_overdue(store.today).then_some("overdue"), hazard.supervised().then_some("major"))}
                id={prefix.clone()} data-hazard={hazard.id.clone()} data-status={format!("{:?}", hazard.status)}
                aria-labelledby={format!("{prefix}-title")}>
                <header class="hazard-head">
                    <h3 id={format!("{prefix}-title")}>{ hazard.id.clone() }</h3>
                    { hazard_card::badges(lang, hazard, hazard.is_overdue(store.today)) }
                </header>
                <p class="hazard-description">{ hazard.description.clone() }</p>
                <p class="muted small-text">
                    { for context }
                    if let Some(deadline) = rectification.deadline { <br />{ format!("{}: {}", t(T::Deadline), date_format::format(deadline)) } }
                    if !rectification.responsible.is_empty() { { format!(" · {}: {}", t(T::Responsible), rectification.responsible) } }
                </p>
                <button type="button" class="button" id={format!("{prefix}-open")} onclick={open}>{ t(T::OpenHazard) }</button>
            </article>
        }
    });
    let back = focused.is_some().then(|| {
        let focused = focused.clone();
        html! {
            <button type="button" class="button" id="ledger-back" onclick={Callback::from(move |_| focused.set(None))}>
                { format!("← {}", t(T::BackToLedger)) }
            </button>
        }
    });

    let on_export_xlsx = {
        let store = store.clone();
        Callback::from(move |_| {
            let message = Down::ExportXlsx {
                inspection_id: None,
            };
            crate::pages::inspection::export(store.clone(), message)
        })
    };

    html! {
        <div class="page ledger">
            <header class="page-head">
                <h1>{ t(T::LedgerTitle) }</h1>
                <p class="muted">{ t(T::LedgerIntro) }</p>
                <p class="counts" id="ledger-counts">
                    <span class="badge">{ format!("{} {}", t(T::General), counts.general) }</span>
                    <span class={classes!("badge", (counts.major > 0).then_some("major"))}>{ format!("{} {}", t(T::Major), counts.major) }</span>
                    <span class="badge">{ format!("{} {}", i18n::status(lang, Status::Closed), counts.closed) }</span>
                    <span class={classes!("badge", if counts.overdue > 0 { "overdue" } else { "none" })}>{ format!("{} {}", t(T::Overdue), counts.overdue) }</span>
                </p>
                <div class="button-row">
                    <button type="button" class="button" id="export-ledger-xlsx" onclick={on_export_xlsx}>{ t(T::ExportLedgerXlsx) }</button>
                </div>
            </header>
            <form class="filters card" hidden={focused.is_some()} onsubmit={|e: SubmitEvent| e.prevent_default()} aria-label={t(T::LedgerTitle)}>
                <div class="field">
                    <label for="filter-status">{ t(T::FilterStatus) }</label>
                    <select id="filter-status" onchange={on_status}>
                        <option value="" selected={filter.status.is_none()}>{ t(T::All) }</option>
                        { for status_options }
                    </select>
                </div>
                <div class="field">
                    <label for="filter-level">{ t(T::FilterLevel) }</label>
                    <select id="filter-level" onchange={on_level}>
                        <option value="" selected={filter.level.is_none()}>{ t(T::All) }</option>
                        <option value="general" selected={filter.level == Some(Level::General)}>{ t(T::General) }</option>
                        <option value="major" selected={filter.level == Some(Level::Major)}>{ t(T::Major) }</option>
                    </select>
                </div>
                <div class="field">
                    <label for="filter-project">{ t(T::FilterProject) }</label>
                    <select id="filter-project" onchange={on_project}>
                        <option value="" selected={filter.project_id.is_none()}>{ t(T::All) }</option>
                        { for project_options }
                    </select>
                </div>
                <div class="field checkbox">
                    <input id="filter-overdue" type="checkbox" checked={filter.overdue_only} onchange={on_overdue} />
                    <label for="filter-overdue">{ t(T::FilterOverdue) }</label>
                </div>
            </form>
            { for back }
            if shown.is_empty() {
                <p class="card muted">{ t(T::NoHazards) }</p>
            } else {
                <div class="hazard-list">{ for cards }</div>
            }
        </div>
    }
}
