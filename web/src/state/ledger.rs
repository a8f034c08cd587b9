//! The hazard ledger across inspections: filters, the order hazards are listed in, edits that can
//! never change a hazard's status or history, and the 挂牌督办 record edited field by field.

use std::rc::Rc;

use time::Date;
use zicha_core::checklist::Level;
use zicha_core::ledger::{Hazard, Status, Supervision, SupervisionLevel};

use crate::state::{Data, StoredHazard};

/// What the ledger shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Only this status.
    pub status: Option<Status>,
    /// Only this level.
    pub level: Option<Level>,
    /// Only overdue hazards.
    pub overdue_only: bool,
    /// Only hazards of inspections of this project.
    pub project_id: Option<String>,
}

/// The hazards that pass `filter` on `today`: overdue first, then 重大 before 一般, then by id.
pub fn filtered(data: &Data, filter: &Filter, today: Date) -> Vec<Rc<StoredHazard>> {
    let mut hazards: Vec<Rc<StoredHazard>> = data
        .hazards
        .values()
        .filter(|stored| {
            let hazard = &stored.hazard;
            filter.status.is_none_or(|status| hazard.status == status)
                && filter.level.is_none_or(|level| hazard.level == level)
                && (!filter.overdue_only || hazard.is_overdue(today))
                && filter.project_id.as_ref().is_none_or(|project_id| {
                    data.inspections
                        .get(&stored.inspection_id)
                        .and_then(|inspection| inspection.project_id.as_ref())
                        == Some(project_id)
                })
        })
        .cloned()
        .collect();
    hazards.sort_by(|a, b| {
        let key = |stored: &StoredHazard| {
            (
                !stored.hazard.is_overdue(today),
                stored.hazard.level != Level::Major,
                stored.hazard.status == Status::Closed,
                stored.hazard.id.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    hazards
}

/// Applies an edit of the hazard's fields; status and history stay those of `current` (they only
/// change through `Hazard::transition`). Of a closed hazard only the 挂牌督办 record changes: the
/// authority lifts its listing (摘牌) after the hazard is closed.
pub fn edited(current: &Hazard, edit: Hazard) -> Hazard {
    if current.status == Status::Closed {
        return Hazard {
            supervision: edit.supervision,
            ..current.clone()
        };
    }
    Hazard {
        id: current.id.clone(),
        status: current.status,
        history: current.history.clone(),
        ..edit
    }
}

/// Applies `apply` to the hazard's 挂牌督办 record: created (县级, nothing else filled in) when
/// there is none, removed when nothing but the level is left in it, so that a hazard nobody listed
/// carries no record.
pub fn edit_supervision(hazard: &mut Hazard, apply: impl FnOnce(&mut Supervision)) {
    let mut supervision = hazard.supervision.take().unwrap_or(Supervision {
        authority: String::new(),
        level: SupervisionLevel::County,
        document_no: String::new(),
        deadline: None,
        delisted_on: None,
        delisted_by: String::new(),
    });
    apply(&mut supervision);
    let empty = supervision.authority.trim().is_empty()
        && supervision.document_no.trim().is_empty()
        && supervision.deadline.is_none()
        && supervision.delisted_on.is_none()
        && supervision.delisted_by.trim().is_empty();
    hazard.supervision = (!empty).then_some(supervision);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::StoredInspection;
    use time::macros::{date, datetime};
    use zicha_core::inspection::Inspection;

    fn hazard(id: &str, level: Level, deadline: Option<Date>) -> Hazard {
        let mut hazard = Hazard::new(id, "描述", level, "王伟", date!(2026 - 01 - 01));
        hazard.rectification.deadline = deadline;
        hazard
    }

    fn data() -> Data {
        let checklist = zicha_core::catalog::by_id("construction").unwrap();
        let mut data = Data::default();
        for (id, project) in [("I-1", Some("P-1")), ("I-2", None)] {
            let inspection = Inspection::new(id, checklist, date!(2026 - 01 - 01), vec![]);
            data.inspections.insert(
                id.into(),
                Rc::new(StoredInspection {
                    inspection,
                    project_id: project.map(Into::into),
                }),
            );
        }
        let hazards = [
            ("I-1", hazard("H-2026-001", Level::General, None)),
            ("I-1", hazard("H-2026-002", Level::Major, None)),
            (
                "I-2",
                hazard("H-2026-003", Level::General, Some(date!(2026 - 01 - 10))),
            ),
        ];
        for (inspection_id, hazard) in hazards {
            data.hazards.insert(
                hazard.id.clone(),
                Rc::new(StoredHazard {
                    inspection_id: inspection_id.into(),
                    hazard,
                }),
            );
        }
        data
    }

    #[track_caller]
    fn check(filter: Filter, expected: &[&str]) {
        let ids: Vec<String> = filtered(&data(), &filter, date!(2026 - 02 - 01))
            .iter()
            .map(|stored| stored.hazard.id.clone())
            .collect();
        assert_eq!(ids, expected);
    }

    #[test]
    fn filters_and_order() {
        check(
            Filter::default(),
            &["H-2026-003", "H-2026-002", "H-2026-001"],
        );
        check(
            Filter {
                level: Some(Level::Major),
                ..Filter::default()
            },
            &["H-2026-002"],
        );
        check(
            Filter {
                overdue_only: true,
                ..Filter::default()
            },
            &["H-2026-003"],
        );
        check(
            Filter {
                project_id: Some("P-1".into()),
                ..Filter::default()
            },
            &["H-2026-002", "H-2026-001"],
        );
        check(
            Filter {
                status: Some(Status::Closed),
                ..Filter::default()
            },
            &[],
        );
    }

    #[test]
    fn edits_never_change_status() {
        let mut current = hazard("H-2026-001", Level::General, None);
        current.rectification.measures = "加固".into();
        current.rectification.responsible = "李敏".into();
        current.rectification.deadline = Some(date!(2026 - 02 - 01));
        current.rectification.acceptance_standard = "牢固".into();
        current.rectification.interim_measures = "警戒".into();
        current
            .transition(
                Status::InProgress,
                "王伟",
                datetime!(2026-01-02 08:00 +8),
                "",
                None,
            )
            .unwrap();
        let mut edit = current.clone();
        edit.status = Status::Closed;
        edit.history.clear();
        edit.location = "3号楼".into();
        edit.closure.evaluation = "已消除".into();
        let result = edited(&current, edit);
        assert_eq!(result.status, Status::InProgress);
        assert_eq!(result.history.len(), 1);
        assert_eq!(result.location, "3号楼");
        assert_eq!(result.closure.evaluation, "已消除");
    }

    #[test]
    fn a_closed_hazard_changes_only_its_supervision_record() {
        let mut current = hazard("H-2026-004", Level::General, None);
        current
            .fix_on_the_spot(
                "王伟",
                datetime!(2026-01-01 09:00 +8),
                "",
                zicha_core::hash::Sha256::of(b"after"),
            )
            .unwrap();
        let mut edit = current.clone();
        edit.description = "改过".into();
        edit.closure.evaluation = "补写".into();
        edit_supervision(&mut edit, |s| {
            s.authority = "县应急管理局".into();
            s.delisted_on = Some(date!(2026 - 01 - 05));
            s.delisted_by = "县应急管理局".into();
        });
        let result = edited(&current, edit.clone());
        assert_eq!(result.description, "描述");
        assert!(result.closure.is_empty());
        assert_eq!(result.supervision, edit.supervision);
        assert_eq!(result.history, current.history);
    }

    #[test]
    fn supervision_is_created_and_removed_by_its_fields() {
        let mut hazard = hazard("H-2026-002", Level::Major, None);
        edit_supervision(&mut hazard, |s| s.level = SupervisionLevel::City);
        assert_eq!(hazard.supervision, None, "a level alone is no record");
        edit_supervision(&mut hazard, |s| s.authority = "市应急管理局".into());
        edit_supervision(&mut hazard, |s| s.level = SupervisionLevel::City);
        edit_supervision(&mut hazard, |s| s.deadline = Some(date!(2026 - 03 - 01)));
        assert_eq!(
            hazard.supervision,
            Some(Supervision {
                authority: "市应急管理局".into(),
                level: SupervisionLevel::City,
                document_no: String::new(),
                deadline: Some(date!(2026 - 03 - 01)),
                delisted_on: None,
                delisted_by: String::new(),
            })
        );
        edit_supervision(&mut hazard, |s| s.authority.clear());
        edit_supervision(&mut hazard, |s| s.deadline = None);
        assert_eq!(hazard.supervision, None);
    }
}
