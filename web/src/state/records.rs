//! What the app keeps in IndexedDB, as zicha-core types with the few fields core does not have
//! (ids of projects, which project an inspection belongs to, which inspection found a hazard), and
//! the diff that turns a state change into the writes to make.

use std::collections::BTreeMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use zicha_core::inspection::Inspection;
use zicha_core::ledger::Hazard;
use zicha_core::org::{MajorSource, Organisation, Project};

use crate::i18n::Lang;

/// A project with the id the app gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredProject {
    /// App-local id, e.g. `P-3fa2c1d0`.
    pub id: String,
    /// The project.
    pub project: Project,
}

/// An inspection and the project it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredInspection {
    /// The inspection; its `id` is the record key.
    pub inspection: Inspection,
    /// The project, when the inspection is of one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
}

/// A hazard and the inspection that found it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredHazard {
    /// The inspection's id.
    pub inspection_id: String,
    /// The hazard; its `id` is the record key.
    pub hazard: Hazard,
}

/// Everything the user entered (photos are Blobs in their own store, referenced by hash).
/// Records are `Rc`s so that a change replaces exactly the records it touched, which is how
/// [`diff`] finds what to write.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Data {
    /// The enterprise profile.
    pub profile: Option<Rc<Organisation>>,
    /// Projects by id.
    pub projects: BTreeMap<String, Rc<StoredProject>>,
    /// Inspections by id.
    pub inspections: BTreeMap<String, Rc<StoredInspection>>,
    /// Hazards by id.
    pub hazards: BTreeMap<String, Rc<StoredHazard>>,
    /// The UI language.
    pub lang: Lang,
}

impl Data {
    /// The hazards found by one inspection, by id.
    pub fn hazards_of(&self, inspection_id: &str) -> Vec<Hazard> {
        self.hazards
            .values()
            .filter(|stored| stored.inspection_id == inspection_id)
            .map(|stored| stored.hazard.clone())
            .collect()
    }

    /// The register of 重大危险源 of an inspection's project (empty without a project), for
    /// `zicha_core::score::score_with`.
    pub fn major_sources_of(&self, inspection: &StoredInspection) -> &[MajorSource] {
        self.project_of(inspection)
            .map_or(&[], |stored| stored.project.major_sources.as_slice())
    }

    /// The project of an inspection.
    pub fn project_of(&self, inspection: &StoredInspection) -> Option<&StoredProject> {
        inspection
            .project_id
            .as_ref()
            .and_then(|id| self.projects.get(id))
            .map(Rc::as_ref)
    }
}

/// One write to IndexedDB.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    /// Store the profile.
    Profile(Rc<Organisation>),
    /// Store the language.
    Lang(Lang),
    /// Store a project.
    PutProject(Rc<StoredProject>),
    /// Delete a project.
    DeleteProject(String),
    /// Store an inspection.
    PutInspection(Rc<StoredInspection>),
    /// Delete an inspection.
    DeleteInspection(String),
    /// Store a hazard.
    PutHazard(Rc<StoredHazard>),
    /// Delete a hazard.
    DeleteHazard(String),
}

/// The writes that take the stored `old` data to `new`: a record is written when its `Rc` changed,
/// deleted when it is gone.
pub fn diff(old: &Data, new: &Data) -> Vec<Write> {
    let mut writes = Vec::new();
    if let Some(profile) = &new.profile
        && !old.profile.as_ref().is_some_and(|o| Rc::ptr_eq(o, profile))
    {
        writes.push(Write::Profile(profile.clone()));
    }
    if old.lang != new.lang {
        writes.push(Write::Lang(new.lang));
    }
    diff_map(
        &old.projects,
        &new.projects,
        &mut writes,
        Write::PutProject,
        Write::DeleteProject,
    );
    diff_map(
        &old.inspections,
        &new.inspections,
        &mut writes,
        Write::PutInspection,
        Write::DeleteInspection,
    );
    diff_map(
        &old.hazards,
        &new.hazards,
        &mut writes,
        Write::PutHazard,
        Write::DeleteHazard,
    );
    writes
}

fn diff_map<V>(
    old: &BTreeMap<String, Rc<V>>,
    new: &BTreeMap<String, Rc<V>>,
    writes: &mut Vec<Write>,
    put: fn(Rc<V>) -> Write,
    delete: fn(String) -> Write,
) {
    for (key, value) in new {
        if !old.get(key).is_some_and(|o| Rc::ptr_eq(o, value)) {
            writes.push(put(value.clone()));
        }
    }
    for key in old.keys() {
        if !new.contains_key(key) {
            writes.push(delete(key.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(id: &str) -> Rc<StoredProject> {
        Rc::new(StoredProject {
            id: id.to_owned(),
            project: Project {
                name: format!("项目{id}"),
                ..Project::default()
            },
        })
    }

    #[track_caller]
    fn check(old: &Data, new: &Data, expected: &[&str]) {
        let names: Vec<String> = diff(old, new)
            .iter()
            .map(|write| match write {
                Write::Profile(_) => "profile".to_owned(),
                Write::Lang(_) => "lang".to_owned(),
                Write::PutProject(p) => format!("put {}", p.id),
                Write::DeleteProject(id) => format!("delete {id}"),
                Write::PutInspection(i) => format!("put {}", i.inspection.id),
                Write::DeleteInspection(id) => format!("delete {id}"),
                Write::PutHazard(h) => format!("put {}", h.hazard.id),
                Write::DeleteHazard(id) => format!("delete {id}"),
            })
            .collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn writes_only_what_changed() {
        let mut old = Data::default();
        old.projects.insert("a".into(), project("a"));
        old.projects.insert("b".into(), project("b"));
        check(&old, &old.clone(), &[]);

        let mut new = old.clone();
        new.projects.insert("b".into(), project("b"));
        check(&old, &new, &["put b"]);

        new.projects.remove("a");
        new.lang = Lang::En;
        check(&old, &new, &["lang", "put b", "delete a"]);

        let mut with_profile = old.clone();
        with_profile.profile = Some(Rc::new(Organisation::default()));
        check(&old, &with_profile, &["profile"]);
        check(&with_profile, &with_profile.clone(), &[]);
    }
}
