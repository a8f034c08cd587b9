//! Which checklists a screen needs loaded: the app fetches a checklist when a screen that shows an
//! inspection of it is opened (services/checklists.rs), not at start-up, so the first screen waits
//! for none of them.

use zicha_core::checklist::ChecklistRef;

use crate::route::Route;
use crate::state::Data;

/// The checklists the screen of `route` resolves with `data`, each once, in the order the screen
/// meets them: home lists every inspection (title and score), an inspection or its report screen
/// its own, the ledger those of the inspections that found its hazards; the keys, verify and
/// settings screens none (they name checklists from the index, and exports fetch the TOML text).
pub fn needed(route: &Route, data: &Data) -> Vec<ChecklistRef> {
    let mut references: Vec<ChecklistRef> = Vec::new();
    let mut add = |reference: &ChecklistRef| {
        if !references.contains(reference) {
            references.push(reference.clone());
        }
    };
    match route {
        Route::Home => {
            for stored in data.inspections.values() {
                add(&stored.inspection.checklist);
            }
        }
        Route::Inspection(id, _) | Route::Report(id) => {
            if let Some(stored) = data.inspections.get(id) {
                add(&stored.inspection.checklist);
            }
        }
        Route::Ledger => {
            for hazard in data.hazards.values() {
                if let Some(stored) = data.inspections.get(&hazard.inspection_id) {
                    add(&stored.inspection.checklist);
                }
            }
        }
        Route::Keys | Route::Verify | Route::Settings | Route::Checklists => {}
    }
    references
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use time::macros::date;
    use zicha_core::checklist::Level;
    use zicha_core::inspection::Inspection;
    use zicha_core::ledger::Hazard;

    use super::*;
    use crate::state::{StoredHazard, StoredInspection};

    /// Data with inspections `(id, checklist id)` and hazards found by the inspections named.
    fn data(inspections: &[(&str, &str)], hazards_of: &[&str]) -> Data {
        let mut data = Data::default();
        for (id, checklist) in inspections {
            let checklist = zicha_core::catalog::by_id(checklist).expect("built in");
            let inspection = Inspection::new(*id, checklist, date!(2026 - 01 - 15), vec![]);
            let stored = StoredInspection {
                inspection,
                project_id: None,
            };
            data.inspections.insert((*id).to_owned(), Rc::new(stored));
        }
        for (n, inspection_id) in hazards_of.iter().enumerate() {
            let hazard = Hazard::new(
                format!("H-{n}"),
                "隐患",
                Level::General,
                "王伟",
                date!(2026 - 01 - 15),
            );
            let stored = StoredHazard {
                inspection_id: (*inspection_id).to_owned(),
                hazard,
            };
            data.hazards.insert(format!("H-{n}"), Rc::new(stored));
        }
        data
    }

    #[track_caller]
    fn check(route: Route, data: &Data, expected: &[&str]) {
        let ids: Vec<String> = needed(&route, data)
            .into_iter()
            .map(|reference| reference.id)
            .collect();
        assert_eq!(ids, expected);
    }

    #[test]
    fn each_screen_needs_the_checklists_it_shows() {
        let data = data(
            &[
                ("I-1", "school"),
                ("I-2", "construction"),
                ("I-3", "school"),
            ],
            &["I-2", "I-2", "I-9"],
        );
        let inspection = |id: &str| Route::Inspection(id.to_owned(), 0);
        // Home: every inspection's, once each, in the order of the inspections' ids.
        check(Route::Home, &data, &["school", "construction"]);
        check(Route::Home, &Data::default(), &[]);
        check(inspection("I-2"), &data, &["construction"]);
        check(Route::Inspection("I-3".into(), 4), &data, &["school"]);
        check(Route::Report("I-1".into()), &data, &["school"]);
        check(inspection("I-9"), &data, &[]);
        // The ledger: the inspections that found a hazard (a hazard of an unknown one: none).
        check(Route::Ledger, &data, &["construction"]);
        for route in [
            Route::Keys,
            Route::Verify,
            Route::Settings,
            Route::Checklists,
        ] {
            check(route, &data, &[]);
        }
    }

    #[test]
    fn another_version_of_a_checklist_is_needed_apart() {
        let mut data = data(&[("I-1", "school"), ("I-2", "school")], &[]);
        let mut older = (*data.inspections["I-2"]).clone();
        older.inspection.checklist.version = "2020.1".to_owned();
        data.inspections.insert("I-2".to_owned(), Rc::new(older));
        let versions: Vec<String> = needed(&Route::Home, &data)
            .into_iter()
            .map(|reference| reference.version)
            .collect();
        assert_eq!(versions.len(), 2);
        assert_eq!(versions[1], "2020.1");
    }
}
