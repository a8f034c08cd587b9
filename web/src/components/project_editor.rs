//! A project, its parties (建设/设计/施工/监理 units) and its register of 重大危险源 / 危大工程 with
//! their monthly risk assessments (five 100% target 5). An existing project is saved as it is
//! typed; a new one is created with the button once it has a name.

use time::Date;
use yew::prelude::*;
use zicha_core::inspection::date_format;
use zicha_core::org::{MajorSource, Party, PartyRole, Project, RiskAssessment};

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
                title: String::new(),
                phone: String::new(),
            });
            project.parties.sort_by_key(|party| party.role);
        }
    }
    project
}

/// `project` with one field of the person who signs for the unit of `role` (name, position or
/// phone) set; nothing happens while the unit has no name.
pub fn with_party_person(
    project: &Project,
    role: PartyRole,
    field: fn(&mut Party) -> &mut String,
    value: String,
) -> Project {
    let mut project = project.clone();
    if let Some(party) = project.parties.iter_mut().find(|party| party.role == role) {
        *field(party) = value;
    }
    project
}

/// `project` with a new, unnamed register entry under the next free id (core's
/// `Project::next_major_source_id`).
pub fn with_source_added(project: &Project) -> Project {
    let mut project = project.clone();
    let id = project.next_major_source_id();
    project.major_sources.push(MajorSource {
        id,
        ..MajorSource::default()
    });
    project
}

/// `project` without the register entry `id`.
pub fn with_source_removed(project: &Project, id: &str) -> Project {
    let mut project = project.clone();
    project.major_sources.retain(|source| source.id != id);
    project
}

/// `project` with the register entry `id` changed by `edit`.
pub fn with_source_edited(
    project: &Project,
    id: &str,
    edit: impl FnOnce(&mut MajorSource),
) -> Project {
    let mut project = project.clone();
    if let Some(source) = project
        .major_sources
        .iter_mut()
        .find(|source| source.id == id)
    {
        edit(source);
    }
    project
}

/// `project` with a risk assessment of the entry `id` on `date` by `by`; the same assessment
/// recorded twice is kept once.
pub fn with_assessment(project: &Project, id: &str, date: Date, by: &str) -> Project {
    with_source_edited(project, id, |source| {
        let known = source
            .assessments
            .iter()
            .any(|assessment| assessment.date == date && assessment.by == by);
        if !known {
            source.assessments.push(RiskAssessment {
                date,
                by: by.to_owned(),
                note: String::new(),
            });
        }
    })
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
    // The day recorded by "record risk assessment": today unless the user picks another.
    let assessment_date = use_state(|| date_format::format(store.today));
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

    // Each unit with the person who signs for it (谁签字): the signing page offers that person's
    // pad and key slot, and the report names them in the unit's box.
    let parties =
        ROLES.iter().map(|&role| {
            let key = format!("party-{role:?}").to_ascii_lowercase();
            let party = project.parties.iter().find(|party| party.role == role);
            let unit = text_field(
                &key,
                i18n::party_role(lang, role).to_owned(),
                party.map(|party| party.name.clone()).unwrap_or_default(),
                Box::new(move |project, name| with_party(project, role, name)),
            );
            let person = party.map(|party| {
            let field = |suffix: &str, label: T, value: &str, pick: fn(&mut Party) -> &mut String| {
                text_field(
                    &format!("{key}-{suffix}"),
                    t(label).to_owned(),
                    value.to_owned(),
                    Box::new(move |project, value| with_party_person(project, role, pick, value)),
                )
            };
            html! {
                <div class="party-person form-grid">
                    { field("person", T::PartySigner, &party.safety_lead, |p| &mut p.safety_lead) }
                    { field("title", T::PartyTitle, &party.title, |p| &mut p.title) }
                    { field("phone", T::PartyPhone, &party.phone, |p| &mut p.phone) }
                </div>
            }
        });
            html! { <>{ unit }{ for person }</> }
        });

    // The register of 重大危险源 / 危大工程: the fields of each entry, its latest assessment, and
    // buttons to record an assessment (by the enterprise's safety lead) or remove the entry.
    let assessed_by = store
        .data
        .profile
        .as_ref()
        .map(|profile| profile.safety_lead.clone())
        .unwrap_or_default();
    let assessed_on = date_format::parse(&assessment_date).unwrap_or(store.today);
    let sources = project.major_sources.iter().map(|source| {
        let id = source.id.clone();
        let field = |suffix: &str, key: T, value: &str, set: fn(&mut MajorSource, String)| {
            let id = id.clone();
            text_field(
                &format!("{}-{suffix}", id.to_ascii_lowercase()),
                t(key).to_owned(),
                value.to_owned(),
                Box::new(move |project, value| with_source_edited(project, &id, |source| set(source, value))),
            )
        };
        let last = source
            .assessments
            .iter()
            .max_by_key(|assessment| assessment.date)
            .map(|assessment| i18n::last_assessment(lang, &date_format::format(assessment.date), &assessment.by))
            .unwrap_or_else(|| t(T::NotAssessed).to_owned());
        let record = {
            let (save, project, id, by) = (save.clone(), project.clone(), id.clone(), assessed_by.clone());
            Callback::from(move |_: MouseEvent| save.emit(with_assessment(&project, &id, assessed_on, &by)))
        };
        let remove = {
            let (save, project, id) = (save.clone(), project.clone(), id.clone());
            Callback::from(move |_: MouseEvent| save.emit(with_source_removed(&project, &id)))
        };
        html! {
            <li class="major-source" data-source={id.clone()}>
                <strong>{ id.clone() }</strong>
                <div class="form-grid">
                    { field("name", T::SourceName, &source.name, |s, v| s.name = v) }
                    { field("type", T::SourceType, &source.kind, |s, v| s.kind = v) }
                    { field("plan", T::SourcePlan, &source.plan, |s, v| s.plan = v) }
                    { field("monitoring", T::SourceMonitoring, &source.monitoring, |s, v| s.monitoring = v) }
                    { field("responsible", T::SourceResponsible, &source.responsible, |s, v| s.responsible = v) }
                </div>
                <p class="muted small-text">{ last }</p>
                <button type="button" class="button record-assessment" onclick={record}>{ t(T::RecordAssessment) }</button>
                <button type="button" class="button remove-source" onclick={remove}>{ t(T::RemoveMajorSource) }</button>
            </li>
        }
    });
    let add_source = {
        let (save, project) = (save.clone(), project.clone());
        Callback::from(move |_: MouseEvent| save.emit(with_source_added(&project)))
    };
    let on_assessment_date = {
        let assessment_date = assessment_date.clone();
        Callback::from(move |event: InputEvent| assessment_date.set(input_value(&event)))
    };
    let date_id = format!("{prefix}-assessment-date");
    let register = html! {
        <fieldset class="major-sources">
            <legend>{ t(T::MajorSources) }</legend>
            if project.major_sources.is_empty() {
                <p class="muted small-text">{ t(T::NoMajorSources) }</p>
            } else {
                <div class="field">
                    <label for={date_id.clone()}>{ t(T::AssessmentDate) }</label>
                    <input id={date_id} type="date" value={(*assessment_date).clone()} oninput={on_assessment_date} />
                </div>
                <ul class="major-source-list">{ for sources }</ul>
            }
            <button type="button" class="button add-source" onclick={add_source}>{ t(T::AddMajorSource) }</button>
        </fieldset>
    };

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
            { register }
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

    #[test]
    fn register_entries_are_added_edited_assessed_and_removed() {
        let project = with_source_added(&with_source_added(&Project::default()));
        let ids: Vec<&str> = project
            .major_sources
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        assert_eq!(ids, ["MS-01", "MS-02"]);
        let project = with_source_edited(&project, "MS-02", |source| source.name = "高支模".into());
        assert_eq!(project.major_sources[1].name, "高支模");
        let day = time::macros::date!(2026 - 11 - 20);
        let project = with_assessment(&project, "MS-02", day, "王伟");
        // Recorded twice, kept once.
        let project = with_assessment(&project, "MS-02", day, "王伟");
        assert_eq!(
            project.major_sources[1].assessments,
            [RiskAssessment {
                date: day,
                by: "王伟".into(),
                note: String::new()
            }]
        );
        assert!(project.major_sources[1].assessed_in_month_of(day));
        assert!(project.major_sources[0].assessments.is_empty());
        let project = with_source_removed(&project, "MS-01");
        assert_eq!(project.major_sources.len(), 1);
        // A new entry after removing the first takes the number after the highest in use.
        assert_eq!(with_source_added(&project).major_sources[1].id, "MS-03");
    }
}
