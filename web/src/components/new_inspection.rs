//! "New inspection": a sector checklist, the project (required for construction), the date and
//! the inspectors.

use yew::prelude::*;
use zicha_core::checklist::Sector;
use zicha_core::inspection::{Inspection, date_format};

use crate::components::{input_value, select_value};
use crate::hooks::use_store;
use crate::i18n::{self, T};
use crate::route::{self, Route};
use crate::services::clock;
use crate::state::{Action, StoredInspection, ids};

/// Splits the inspectors field at commas (ASCII or Chinese) and drops empty names.
pub fn inspectors(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The new-inspection form.
#[function_component(NewInspection)]
pub fn new_inspection() -> Html {
    let store = use_store();
    let lang = store.lang();
    let t = |key: T| key.get(lang);
    // The built-in checklists, then the imported ones (the latest version of each).
    let catalog: Vec<&zicha_core::catalog::IndexEntry> = zicha_core::catalog::index()
        .iter()
        .chain(zicha_core::catalog::imported())
        .collect();
    let checklist_id = use_state(|| catalog.first().map(|c| c.id.clone()).unwrap_or_default());
    // `None` until the user picks: then the first project (a construction inspection needs one).
    let picked_project = use_state(|| None::<String>);
    let date = use_state(|| date_format::format(store.today));
    // `None` until the user types: then the profile's safety lead.
    let typed_names = use_state(|| None::<String>);
    let names = (*typed_names).clone().unwrap_or_else(|| {
        store
            .data
            .profile
            .as_ref()
            .map(|p| p.safety_lead.clone())
            .unwrap_or_default()
    });
    let error = use_state(|| None::<T>);

    let checklist = zicha_core::catalog::index_entry(&checklist_id);
    let needs_project = checklist.is_some_and(|c| c.sector == Sector::Construction);
    let project_id = (*picked_project).clone().unwrap_or_else(|| {
        if needs_project {
            store
                .data
                .projects
                .keys()
                .next()
                .cloned()
                .unwrap_or_default()
        } else {
            String::new()
        }
    });

    let onsubmit = {
        let store = store.clone();
        let (checklist_id, project_id, date, names, error) = (
            checklist_id.clone(),
            project_id.clone(),
            date.clone(),
            names.clone(),
            error.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(checklist) = zicha_core::catalog::index_entry(&checklist_id) else {
                return;
            };
            if store
                .data
                .profile
                .as_ref()
                .is_none_or(|p| p.validate().is_err())
            {
                error.set(Some(T::ProfileMissing));
                return;
            }
            let people = inspectors(&names);
            if people.is_empty() {
                error.set(Some(T::InspectorRequired));
                return;
            }
            let project = (!project_id.is_empty() && store.data.projects.contains_key(&project_id))
                .then(|| project_id.clone());
            if checklist.sector == Sector::Construction && project.is_none() {
                error.set(Some(T::ProjectRequired));
                return;
            }
            error.set(None);
            let day = date_format::parse(&date).unwrap_or(store.today);
            let id = ids::inspection_id(day, clock::random_u32());
            store.dispatch(Action::CreateInspection(StoredInspection {
                inspection: Inspection::of(id.clone(), checklist.reference(), day, people),
                project_id: project,
            }));
            route::go(&Route::Inspection(id, 0));
        })
    };

    let checklist_options = catalog.iter().map(|checklist| {
        html! {
            <option value={checklist.id.clone()} selected={checklist.id == *checklist_id}>
                { format!("{} · {}", i18n::pick(lang, checklist.sector.zh(), checklist.sector.key()),
                          i18n::pick(lang, &checklist.title_zh, &checklist.title_en)) }
            </option>
        }
    });
    let project_options = store.data.projects.values().map(|stored| {
        html! {
            <option value={stored.id.clone()} selected={stored.id == project_id}>{ stored.project.name.clone() }</option>
        }
    });

    let on_checklist = {
        let checklist_id = checklist_id.clone();
        Callback::from(move |event: Event| checklist_id.set(select_value(&event)))
    };
    let on_project = {
        let picked_project = picked_project.clone();
        Callback::from(move |event: Event| picked_project.set(Some(select_value(&event))))
    };
    let on_date = {
        let date = date.clone();
        Callback::from(move |event: InputEvent| date.set(input_value(&event)))
    };
    let on_names = {
        let typed_names = typed_names.clone();
        Callback::from(move |event: InputEvent| typed_names.set(Some(input_value(&event))))
    };

    html! {
        <form class="card new-inspection" {onsubmit} aria-labelledby="new-inspection-title">
            <h2 id="new-inspection-title">{ t(T::NewInspection) }</h2>
            <div class="form-grid">
                <div class="field wide">
                    <label for="new-checklist">{ t(T::Checklist) }</label>
                    <select id="new-checklist" onchange={on_checklist}>{ for checklist_options }</select>
                </div>
                <div class="field">
                    <label for="new-project">{ t(T::Project) }</label>
                    <select id="new-project" onchange={on_project} aria-required={needs_project.to_string()}>
                        <option value="" selected={project_id.is_empty()}>{ t(T::NoProject) }</option>
                        { for project_options }
                    </select>
                </div>
                <div class="field">
                    <label for="new-date">{ t(T::InspectionDate) }</label>
                    <input id="new-date" type="date" value={(*date).clone()} oninput={on_date} />
                </div>
                <div class="field">
                    <label for="new-inspectors">{ t(T::Inspectors) }</label>
                    <input id="new-inspectors" type="text" value={names.clone()} oninput={on_names}
                        aria-describedby="new-inspectors-hint" autocomplete="name" />
                    <p id="new-inspectors-hint" class="hint">{ t(T::InspectorsHint) }</p>
                </div>
            </div>
            if let Some(key) = *error {
                <p class="hint error" role="alert">{ t(key) }</p>
            }
            <button type="submit" class="button primary" id="start-inspection">{ t(T::Start) }</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspector_names() {
        assert_eq!(inspectors("王伟, 李敏，张静、 "), ["王伟", "李敏", "张静"]);
        assert!(inspectors(" , ").is_empty());
    }
}
