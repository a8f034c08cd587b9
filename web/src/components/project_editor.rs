//! A project and its parties (建设/设计/施工/监理 units). An existing project is saved as it is
//! typed; a new one is created with the button once it has a name.

use yew::prelude::*;
use zicha_core::org::{Party, PartyRole, Project};

use crate::components::input_value;
use crate::hooks::use_store;
use crate::i18n::{self, T};
use crate::services::clock;
use crate::state::{Action, StoredProject, ids};

/// The roles the form asks for, in the order of the five 100% target 1.
const ROLES: [PartyRole; 4] = [
    PartyRole::Client,
    PartyRole::Design,
    PartyRole::Contractor,
    PartyRole::Supervisor,
];

/// `project` with the unit of `role` named `name` (an empty name removes the party).
pub fn with_party(project: &Project, role: PartyRole, name: String) -> Project {
    let mut project = project.clone();
    match project.parties.iter().position(|party| party.role == role) {
        Some(idx) if name.trim().is_empty() => {
            project.parties.remove(idx);
        }
        Some(idx) => project.parties[idx].name = name,
        None if name.trim().is_empty() => {}
        None => {
            project.parties.push(Party {
                role,
                name,
                safety_lead: String::new(),
                credit_code: None,
            });
            project.parties.sort_by_key(|party| party.role);
        }
    }
    project
}

/// The project with one field changed.
type ProjectEdit = Box<dyn Fn(&Project, String) -> Project>;

/// Props of [`ProjectEditor`].
#[derive(Properties, PartialEq)]
pub struct ProjectEditorProps {
    /// The project to edit; `None` for the "add project" form.
    #[prop_or_default]
    pub project: Option<StoredProject>,
}

/// Edits a project or creates one.
#[function_component(ProjectEditor)]
pub fn project_editor(props: &ProjectEditorProps) -> Html {
    let store = use_store();
    let lang = store.lang();
    let t = |key: T| key.get(lang);
    let draft = use_state(Project::default);
    let error = use_state(|| false);
    let existing = props.project.clone();
    let project = existing
        .as_ref()
        .map(|stored| stored.project.clone())
        .unwrap_or_else(|| (*draft).clone());
    let prefix = existing
        .as_ref()
        .map(|stored| stored.id.clone())
        .unwrap_or_else(|| "new-project".to_owned());

    // Every edit goes to the store (existing) or the draft (new).
    let save = {
        let store = store.clone();
        let draft = draft.clone();
        let existing = existing.clone();
        Callback::from(move |project: Project| match &existing {
            Some(stored) => store.dispatch(Action::SaveProject(StoredProject {
                id: stored.id.clone(),
                project,
            })),
            None => draft.set(project),
        })
    };

    let text_field = |suffix: &str, label: String, value: String, apply: ProjectEdit| {
        let id = format!("{prefix}-{suffix}");
        let save = save.clone();
        let project = project.clone();
        let oninput = Callback::from(move |event: InputEvent| {
            save.emit(apply(&project, input_value(&event)))
        });
        html! {
            <div class="field">
                <label for={id.clone()}>{ label }</label>
                <input id={id} type="text" {value} {oninput} autocomplete="off" />
            </div>
        }
    };

    let parties = ROLES.iter().map(|&role| {
        let value = project
            .parties
            .iter()
            .find(|party| party.role == role)
            .map(|party| party.name.clone())
            .unwrap_or_default();
        text_field(
            &format!("party-{role:?}").to_ascii_lowercase(),
            i18n::party_role(lang, role).to_owned(),
            value,
            Box::new(move |project, name| with_party(project, role, name)),
        )
    });

    let create = existing.is_none().then(|| {
        let store = store.clone();
        let draft = draft.clone();
        let show_error = *error;
        let error = error.clone();
        let onsubmit = Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if draft.name.trim().is_empty() {
                error.set(true);
                return;
            }
            error.set(false);
            store.dispatch(Action::SaveProject(StoredProject {
                id: ids::project_id(clock::random_u32()),
                project: (*draft).clone(),
            }));
            draft.set(Project::default());
        });
        (onsubmit, show_error)
    });

    let body = html! {
        <>
            <div class="form-grid">
                { text_field("name", t(T::ProjectName).to_owned(), project.name.clone(), Box::new(|p, v| Project { name: v, ..p.clone() })) }
                { text_field("location", t(T::ProjectLocation).to_owned(), project.location.clone(), Box::new(|p, v| Project { location: v, ..p.clone() })) }
                // The JGJ 59-2011 表A header: 建筑面积, 结构类型, 项目经理.
                { text_field("floor-area", t(T::FloorArea).to_owned(), project.floor_area_m2.clone(), Box::new(|p, v| Project { floor_area_m2: v, ..p.clone() })) }
                { text_field("structure", t(T::StructureType).to_owned(), project.structure_type.clone(), Box::new(|p, v| Project { structure_type: v, ..p.clone() })) }
                { text_field("manager", t(T::ProjectManager).to_owned(), project.project_manager.clone(), Box::new(|p, v| Project { project_manager: v, ..p.clone() })) }
            </div>
            <fieldset class="parties">
                <legend>{ t(T::Parties) }</legend>
                <div class="form-grid">{ for parties }</div>
            </fieldset>
        </>
    };

    match create {
        Some((onsubmit, show_error)) => html! {
            <form class="project-form" {onsubmit} aria-labelledby="add-project-title">
                <h3 id="add-project-title">{ t(T::AddProject) }</h3>
                { body }
                if show_error {
                    <p class="hint error" role="alert">{ t(T::ProjectNameRequired) }</p>
                }
                <button type="submit" class="button primary" id="add-project">{ t(T::AddProject) }</button>
            </form>
        },
        None => html! { <div class="project-form">{ body }</div> },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parties_are_added_renamed_and_removed() {
        let project = with_party(
            &Project::default(),
            PartyRole::Supervisor,
            "监理公司".into(),
        );
        let project = with_party(&project, PartyRole::Client, "建设公司".into());
        let roles: Vec<PartyRole> = project.parties.iter().map(|p| p.role).collect();
        assert_eq!(roles, [PartyRole::Client, PartyRole::Supervisor]);
        let project = with_party(&project, PartyRole::Client, "建设集团".into());
        assert_eq!(project.parties[0].name, "建设集团");
        let project = with_party(&project, PartyRole::Client, " ".into());
        assert_eq!(project.parties.len(), 1);
    }
}
