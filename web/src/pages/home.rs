//! Home: the enterprise profile, projects with their parties, the inspections with status and
//! progress, and "new inspection".

use yew::prelude::*;
use zicha_core::inspection::date_format;

use crate::components::new_inspection::NewInspection;
use crate::components::profile_form::ProfileForm;
use crate::components::project_editor::ProjectEditor;
use crate::hooks::use_store;
use crate::i18n::{self, T};
use crate::route::Route;

/// The home page.
#[function_component(HomePage)]
pub fn home_page() -> Html {
    let store = use_store();
    let lang = store.lang();
    let t = |key: T| key.get(lang);
    let data = &store.data;

    let projects = data.projects.values().map(|stored| {
        let parties: Vec<String> = stored
            .project
            .parties
            .iter()
            .map(|party| format!("{}：{}", i18n::party_role(lang, party.role), party.name))
            .collect();
        html! {
            <li class="project">
                <details>
                    <summary>
                        <strong>{ stored.project.name.clone() }</strong>
                        if !stored.project.location.is_empty() { <span class="muted">{ format!(" · {}", stored.project.location) }</span> }
                        if !parties.is_empty() { <span class="muted small-text parties-line">{ parties.join("；") }</span> }
                    </summary>
                    <ProjectEditor project={Some((**stored).clone())} />
                </details>
            </li>
        }
    });

    let mut inspections: Vec<_> = data.inspections.values().collect();
    inspections.sort_by(|a, b| {
        b.inspection
            .date
            .cmp(&a.inspection.date)
            .then_with(|| a.inspection.id.cmp(&b.inspection.id))
    });
    let inspection_rows = inspections.into_iter().map(|stored| {
        let inspection = &stored.inspection;
        let checklist = zicha_core::catalog::resolve(&inspection.checklist);
        let title = checklist
            .map(|c| i18n::pick(lang, &c.title_zh, &c.title_en).to_owned())
            .unwrap_or_else(|| inspection.checklist.id.clone());
        let hazards = data.hazards_of(&inspection.id);
        let register = data.major_sources_of(stored);
        let report = checklist.map(|c| zicha_core::score::score_with(c, inspection, &hazards, register, store.today));
        let (answered, items) = report
            .as_ref()
            .map(|r| (r.progress.answered, r.progress.items))
            .unwrap_or((inspection.answers.len(), 0));
        let status = if answered == 0 {
            T::StatusNew
        } else if answered >= items {
            T::StatusDone
        } else {
            T::StatusOngoing
        };
        let project = data.project_of(stored).map(|p| p.project.name.clone());
        let grade = report.as_ref().and_then(|r| r.grade).map(|g| i18n::grade(lang, g));
        html! {
            <li class="inspection-row">
                <a href={Route::Inspection(inspection.id.clone(), 0).href()} class="inspection-link" data-inspection={inspection.id.clone()}>
                    <span class="inspection-title">{ title }</span>
                    <span class="muted">
                        { date_format::format(inspection.date) }
                        if let Some(project) = project { { format!(" · {project}") } }
                        { format!(" · {}", inspection.inspectors.join("、")) }
                    </span>
                    <span class="inspection-meta">
                        <span class={classes!("badge", format!("state-{status:?}").to_ascii_lowercase())}>{ t(status) }</span>
                        <progress max={items.max(1).to_string()} value={answered.to_string()}
                            aria-label={t(T::Progress)}></progress>
                        <span class="small-text">{ i18n::fraction(answered, items) }</span>
                        if let Some(grade) = grade { <span class="badge">{ grade }</span> }
                        if !hazards.is_empty() { <span class="badge">{ i18n::hazard_count(lang, hazards.len()) }</span> }
                    </span>
                </a>
            </li>
        }
    });

    let profile_missing = data.profile.as_ref().is_none_or(|p| p.validate().is_err());

    let projects_card = html! {
        <section class="card" aria-labelledby="projects-title">
            <h2 id="projects-title">{ t(T::ProjectsTitle) }</h2>
            if data.projects.is_empty() {
                <p class="muted">{ t(T::NoProjects) }</p>
            } else {
                <ul class="project-list">{ for projects }</ul>
            }
            <ProjectEditor />
        </section>
    };

    // The first run (no inspection yet) leads through profile → project → inspection, in that
    // order on the page; an inspection cannot be started before the profile is complete
    // (NewInspection refuses it). Decided by the inspections, not the profile, so that the page
    // does not rearrange itself under the user's fingers as the profile becomes complete.
    if data.inspections.is_empty() {
        return html! {
            <div class="page home first-run">
                <p class="intro">{ t(T::Intro) }</p>
                <h1>{ t(T::FirstRunTitle) }</h1>
                if profile_missing {
                    <p class="notice info inline">{ t(T::ProfileMissing) }</p>
                }
                <ol class="first-run-steps">
                    <li><ProfileForm /></li>
                    <li>{ projects_card }</li>
                    <li><NewInspection /></li>
                </ol>
            </div>
        };
    }

    html! {
        <div class="page home">
            <h1 class="visually-hidden">{ t(T::NavHome) }</h1>
            <div class="columns">
                <div class="column">
                    if profile_missing {
                        <p class="notice info inline">{ t(T::ProfileMissing) }</p>
                    }
                    <section class="card" aria-labelledby="inspections-title">
                        <h2 id="inspections-title">{ t(T::InspectionsTitle) }</h2>
                        if data.inspections.is_empty() {
                            <p class="muted">{ t(T::NoInspections) }</p>
                        } else {
                            <ul class="inspection-list">{ for inspection_rows }</ul>
                        }
                    </section>
                    <NewInspection />
                </div>
                <div class="column">
                    <ProfileForm />
                    { projects_card }
                </div>
            </div>
        </div>
    }
}
