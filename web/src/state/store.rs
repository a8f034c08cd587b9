//! The app-wide store: [`AppState`], its verb-named [`Action`]s and the reducer. Every change to
//! the user's data goes through here and through a zicha-core function (`Inspection::answer`,
//! `Hazard::transition`, …); the persistence effect in app.rs then writes the records that changed.

use std::rc::Rc;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use yew::Reducible;
use zicha_core::hash::Sha256;
use zicha_core::inspection::{Answer, Response};
use zicha_core::ledger::{Hazard, Status};
use zicha_core::org::Organisation;

use crate::i18n::Lang;
use crate::state::{Data, StoredHazard, StoredInspection, StoredProject, backup, ledger};

/// What kind of problem a notice reports; the component turns it into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeKind {
    /// The database could not be opened.
    LoadFailed,
    /// A checklist file could not be fetched or has problems.
    ChecklistsFailed,
    /// A write failed.
    StorageFailed,
    /// The storage quota is exhausted.
    QuotaExceeded,
    /// An answer did not fit its item.
    InvalidAnswer,
    /// A hazard status change was refused.
    TransitionRefused,
    /// A backup or bundle could not be read.
    RestoreFailed,
    /// A photo could not be processed or stored.
    PhotoFailed,
    /// An export failed.
    ExportFailed,
    /// Storage is running short (before anything fails).
    StorageLow,
    /// A new version of the app is waiting for the next start.
    UpdateReady,
    /// A restore finished.
    RestoreDone,
    /// A bundle was imported.
    ImportDone,
    /// Something the app needs offline is not cached yet (detail: the files).
    OfflineMissing,
}

impl NoticeKind {
    /// Whether the notice reports a failure (shown as an alert).
    pub fn is_error(self) -> bool {
        !matches!(
            self,
            NoticeKind::UpdateReady | NoticeKind::RestoreDone | NoticeKind::ImportDone
        )
    }
}

/// A message for the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    /// What happened.
    pub kind: NoticeKind,
    /// Details (an error message from core or the browser).
    pub detail: String,
}

/// The app-wide state.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// The data has been read from IndexedDB.
    pub loaded: bool,
    /// The user's data.
    pub data: Data,
    /// Today, as the device's clock says (deadlines and new records).
    pub today: Date,
    /// Messages for the user, oldest first.
    pub notices: Vec<Notice>,
    /// Writes queued or running.
    pub pending_writes: usize,
    /// The last write failed (cleared by the next successful one).
    pub write_failed: bool,
    /// Batches written since the app started (tests wait for it to grow).
    pub writes_done: u64,
    /// Checklists loaded into zicha-core's catalog since the app started (fetched when a screen
    /// first needs them: services/checklists.rs): a change shows them on every screen.
    pub checklists_loaded: usize,
    /// The service worker holds everything an inspection, signing and verifying need: the header
    /// says the app works offline (a status that appears in the header's free space, not a notice
    /// above the page, which pushed the screen down as it arrived).
    pub offline_ready: bool,
}

impl AppState {
    /// The state before the data is loaded.
    pub fn new(today: Date) -> Self {
        AppState {
            loaded: false,
            data: Data::default(),
            today,
            notices: Vec::new(),
            pending_writes: 0,
            write_failed: false,
            writes_done: 0,
            checklists_loaded: 0,
            offline_ready: false,
        }
    }

    /// The UI language.
    pub fn lang(&self) -> Lang {
        self.data.lang
    }
}

/// Everything that changes the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The data was read from IndexedDB.
    Loaded(Data),
    /// Switch the language.
    SetLang(Lang),
    /// Store the enterprise profile.
    SaveProfile(Organisation),
    /// Add or replace a project.
    SaveProject(StoredProject),
    /// Start an inspection.
    CreateInspection(StoredInspection),
    /// Delete an inspection and its hazards.
    DeleteInspection(String),
    /// Record the result for an item, keeping its note and photos (checked by
    /// `Inspection::answer`).
    Respond {
        /// The inspection.
        inspection_id: String,
        /// The item.
        item_id: String,
        /// The result.
        response: Response,
        /// The inspector answering (谁排查、谁签字), recorded in [`Answer::by`].
        by: String,
    },
    /// Answer 不适用 with the inspector's reason (a 保证项目 item the checklist lets be absent
    /// needs one; checked by `Inspection::answer`), keeping the note and photos.
    MarkNotApplicable {
        /// The inspection.
        inspection_id: String,
        /// The item.
        item_id: String,
        /// Why the item does not apply.
        reason: String,
    },
    /// Declare a JGJ 59 sheet not on this site (本工程无此项), or on it again.
    SetSheetAbsent {
        /// The inspection.
        inspection_id: String,
        /// The sheet, e.g. `B.17`.
        sheet_id: String,
        /// Absent (true) or present (false).
        absent: bool,
    },
    /// Set the note of an answered item.
    SetNote {
        /// The inspection.
        inspection_id: String,
        /// The item.
        item_id: String,
        /// The note.
        note: String,
    },
    /// Add a stored photo to an item's answer (a photo item is answered by its first photo).
    AddAnswerPhoto {
        /// The inspection.
        inspection_id: String,
        /// The item.
        item_id: String,
        /// The photo.
        photo: Sha256,
    },
    /// Remove a photo from an item's answer.
    RemoveAnswerPhoto {
        /// The inspection.
        inspection_id: String,
        /// The item.
        item_id: String,
        /// The photo.
        photo: Sha256,
    },
    /// Remove the answer to an item.
    ClearAnswer {
        /// The inspection.
        inspection_id: String,
        /// The item.
        item_id: String,
    },
    /// Add a hazard to the ledger.
    AddHazard(StoredHazard),
    /// Add a stored photo to a hazard, before or after rectification.
    AddHazardPhoto {
        /// The hazard.
        id: String,
        /// The photo.
        photo: Sha256,
        /// After rectification.
        after: bool,
    },
    /// Change a hazard's fields (never its status: see [`ledger::edited`]).
    EditHazard(Hazard),
    /// Move a hazard to another status (checked by `Hazard::transition`).
    TransitionHazard {
        /// The hazard.
        id: String,
        /// The new status.
        to: Status,
        /// Who.
        by: String,
        /// When.
        at: OffsetDateTime,
        /// Remark.
        note: String,
        /// For a verification: passed or not.
        verification_passed: Option<bool>,
    },
    /// Close a 一般 hazard fixed on the spot (即查即改) with its after-photo (checked by
    /// `Hazard::fix_on_the_spot`).
    FixHazardOnTheSpot {
        /// The hazard.
        id: String,
        /// Who fixed and confirmed it.
        by: String,
        /// When.
        at: OffsetDateTime,
        /// What was done.
        note: String,
        /// The photo after rectification.
        photo: Sha256,
    },
    /// Replace all data (restore from a backup).
    Replace(Data),
    /// Add imported records to the data (a `.zicha` file, its project already joined to one of
    /// the same name: [`backup::added`]).
    Merge(Data),
    /// Take the shell's state as it is (the extra module's store, which only shows it:
    /// state/port.rs).
    Mirror(Rc<AppState>),
    /// A checklist was loaded into zicha-core's catalog (its id): the screens that resolve it
    /// render again.
    ChecklistLoaded(String),
    /// The service worker has cached everything the app needs offline.
    OfflineReady,
    /// Show a message.
    Notify(Notice),
    /// Remove the message at this index.
    Dismiss(usize),
    /// The write queue's state.
    WriteStatus {
        /// Writes queued or running.
        pending: usize,
        /// A batch has just finished.
        done: bool,
        /// Whether that batch failed.
        failed: bool,
    },
}

/// Applies `action` to `state`. Pure: the caller persists what changed.
pub fn apply(state: &AppState, action: Action) -> AppState {
    let mut next = state.clone();
    let data = &mut next.data;
    let notice = |kind, detail: String| Notice { kind, detail };
    match action {
        Action::Loaded(loaded) => {
            next.data = loaded;
            next.loaded = true;
        }
        Action::SetLang(lang) => data.lang = lang,
        Action::SaveProfile(profile) => data.profile = Some(Rc::new(profile)),
        Action::SaveProject(project) => {
            data.projects.insert(project.id.clone(), Rc::new(project));
        }
        Action::CreateInspection(stored) => {
            data.inspections
                .insert(stored.inspection.id.clone(), Rc::new(stored));
        }
        Action::DeleteInspection(id) => {
            data.inspections.remove(&id);
            data.hazards.retain(|_, stored| stored.inspection_id != id);
        }
        Action::Respond {
            inspection_id,
            item_id,
            response,
            by,
        } => update_answer(&mut next, &inspection_id, &item_id, |answer| {
            Some(match answer {
                Some(answer) => Answer {
                    // A reason belongs to 不适用 only.
                    reason: if response == Response::NotApplicable {
                        answer.reason.clone()
                    } else {
                        String::new()
                    },
                    response,
                    by,
                    ..answer.clone()
                },
                None => Answer {
                    by,
                    ..Answer::new(response)
                },
            })
        }),
        Action::MarkNotApplicable {
            inspection_id,
            item_id,
            reason,
        } => update_answer(&mut next, &inspection_id, &item_id, |answer| {
            Some(Answer {
                response: Response::NotApplicable,
                reason,
                ..answer
                    .cloned()
                    .unwrap_or_else(|| Answer::new(Response::NotApplicable))
            })
        }),
        Action::SetSheetAbsent {
            inspection_id,
            sheet_id,
            absent,
        } => {
            if let Some(stored) = data.inspections.get(&inspection_id)
                && let Some(checklist) = zicha_core::catalog::resolve(&stored.inspection.checklist)
            {
                let mut updated = (**stored).clone();
                match updated
                    .inspection
                    .set_sheet_absent(checklist, &sheet_id, absent)
                {
                    Ok(()) => {
                        data.inspections.insert(inspection_id, Rc::new(updated));
                    }
                    Err(error) => next
                        .notices
                        .push(notice(NoticeKind::InvalidAnswer, error.to_string())),
                }
            }
        }
        Action::SetNote {
            inspection_id,
            item_id,
            note,
        } => update_answer(&mut next, &inspection_id, &item_id, |answer| {
            let answer = answer?;
            Some(Answer {
                note,
                ..answer.clone()
            })
        }),
        Action::AddAnswerPhoto {
            inspection_id,
            item_id,
            photo,
        } => update_answer(&mut next, &inspection_id, &item_id, |answer| {
            let mut answer = answer
                .cloned()
                .unwrap_or_else(|| Answer::new(Response::Photographed));
            if !answer.photos.contains(&photo) {
                answer.photos.push(photo);
            }
            Some(answer)
        }),
        Action::RemoveAnswerPhoto {
            inspection_id,
            item_id,
            photo,
        } => update_answer(&mut next, &inspection_id, &item_id, |answer| {
            let mut answer = answer?.clone();
            answer.photos.retain(|p| *p != photo);
            Some(answer)
        }),
        Action::ClearAnswer {
            inspection_id,
            item_id,
        } => {
            if let Some(stored) = data.inspections.get(&inspection_id)
                && stored.inspection.answers.contains_key(&item_id)
            {
                let mut updated = (**stored).clone();
                updated.inspection.answers.remove(&item_id);
                data.inspections.insert(inspection_id, Rc::new(updated));
            }
        }
        Action::AddHazard(stored) => {
            data.hazards
                .insert(stored.hazard.id.clone(), Rc::new(stored));
        }
        Action::AddHazardPhoto { id, photo, after } => {
            if let Some(stored) = data.hazards.get(&id)
                && stored.hazard.status != Status::Closed
            {
                let mut updated = (**stored).clone();
                let photos = if after {
                    &mut updated.hazard.photos_after
                } else {
                    &mut updated.hazard.photos_before
                };
                if !photos.contains(&photo) {
                    photos.push(photo);
                    data.hazards.insert(id, Rc::new(updated));
                }
            }
        }
        Action::EditHazard(edit) => {
            if let Some(stored) = data.hazards.get(&edit.id) {
                let hazard = ledger::edited(&stored.hazard, edit);
                if hazard != stored.hazard {
                    let updated = StoredHazard {
                        inspection_id: stored.inspection_id.clone(),
                        hazard,
                    };
                    data.hazards
                        .insert(updated.hazard.id.clone(), Rc::new(updated));
                }
            }
        }
        Action::TransitionHazard {
            id,
            to,
            by,
            at,
            note,
            verification_passed,
        } => {
            if let Some(stored) = data.hazards.get(&id) {
                let mut updated = (**stored).clone();
                match updated
                    .hazard
                    .transition(to, &by, at, &note, verification_passed)
                {
                    Ok(()) => {
                        data.hazards.insert(id, Rc::new(updated));
                    }
                    Err(error) => next
                        .notices
                        .push(notice(NoticeKind::TransitionRefused, error.to_string())),
                }
            }
        }
        Action::FixHazardOnTheSpot {
            id,
            by,
            at,
            note,
            photo,
        } => {
            if let Some(stored) = data.hazards.get(&id) {
                let mut updated = (**stored).clone();
                match updated.hazard.fix_on_the_spot(&by, at, &note, photo) {
                    Ok(()) => {
                        data.hazards.insert(id, Rc::new(updated));
                    }
                    Err(error) => next
                        .notices
                        .push(notice(NoticeKind::TransitionRefused, error.to_string())),
                }
            }
        }
        Action::Replace(replacement) => next.data = replacement,
        Action::Merge(imported) => next.data = backup::added(&next.data, imported),
        Action::Mirror(shown) => next = (*shown).clone(),
        Action::ChecklistLoaded(_) => next.checklists_loaded += 1,
        Action::OfflineReady => next.offline_ready = true,
        Action::Notify(message) => {
            // The same message twice in a row is shown once.
            if next.notices.last() != Some(&message) {
                next.notices.push(message);
            }
        }
        Action::Dismiss(idx) => {
            if idx < next.notices.len() {
                next.notices.remove(idx);
            }
        }
        Action::WriteStatus {
            pending,
            done,
            failed,
        } => {
            next.pending_writes = pending;
            if done {
                next.writes_done += 1;
                next.write_failed = failed;
            }
        }
    }
    next
}

/// Replaces the answer to one item with `change(current)` after checking it with
/// `Inspection::answer`; `None` leaves the answer as it is. A refused answer becomes a notice.
fn update_answer(
    state: &mut AppState,
    inspection_id: &str,
    item_id: &str,
    change: impl FnOnce(Option<&Answer>) -> Option<Answer>,
) {
    let Some(stored) = state.data.inspections.get(inspection_id) else {
        return;
    };
    let Some(checklist) = zicha_core::catalog::resolve(&stored.inspection.checklist) else {
        state.notices.push(Notice {
            kind: NoticeKind::InvalidAnswer,
            detail: format!(
                "checklist {} is not built in",
                stored.inspection.checklist.id
            ),
        });
        return;
    };
    let Some(answer) = change(stored.inspection.answers.get(item_id)) else {
        return;
    };
    let mut updated = (**stored).clone();
    match updated.inspection.answer(checklist, item_id, answer) {
        Ok(()) => {
            state
                .data
                .inspections
                .insert(inspection_id.to_owned(), Rc::new(updated));
        }
        Err(error) => state.notices.push(Notice {
            kind: NoticeKind::InvalidAnswer,
            detail: error.to_string(),
        }),
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(apply(&self, action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};
    use zicha_core::inspection::Inspection;

    fn state() -> AppState {
        let checklist = zicha_core::catalog::by_id("construction").unwrap();
        let mut state = AppState::new(date!(2026 - 01 - 15));
        state = apply(
            &state,
            Action::CreateInspection(StoredInspection {
                inspection: Inspection::new(
                    "I-1",
                    checklist,
                    date!(2026 - 01 - 15),
                    vec!["王伟".into()],
                ),
                project_id: None,
            }),
        );
        state
    }

    fn answer(item_id: &str, response: Response) -> Action {
        Action::Respond {
            inspection_id: "I-1".into(),
            item_id: item_id.into(),
            response,
            by: "王伟".into(),
        }
    }

    #[test]
    fn answers_record_who_answered() {
        let state = apply(&state(), answer("t1-01", Response::NonConform));
        let answer = &state.data.inspections["I-1"].inspection.answers["t1-01"];
        assert_eq!(answer.by, "王伟");
        // Answered again by someone else: the last inspector to answer is recorded.
        let state = apply(
            &state,
            Action::Respond {
                inspection_id: "I-1".into(),
                item_id: "t1-01".into(),
                response: Response::Conform,
                by: "李敏".into(),
            },
        );
        let answer = &state.data.inspections["I-1"].inspection.answers["t1-01"];
        assert_eq!(
            (answer.response.clone(), answer.by.as_str()),
            (Response::Conform, "李敏")
        );
    }

    #[test]
    fn answers_go_through_core() {
        let state = apply(&state(), answer("t1-01", Response::NonConform));
        assert_eq!(
            state.data.inspections["I-1"].inspection.answers["t1-01"].response,
            Response::NonConform
        );
        assert!(state.notices.is_empty());

        // A measured value does not fit a check item: refused with a notice, nothing stored.
        let refused = apply(&state, answer("t1-02", Response::Measured { value: 1.0 }));
        assert!(
            !refused.data.inspections["I-1"]
                .inspection
                .answers
                .contains_key("t1-02")
        );
        assert_eq!(refused.notices[0].kind, NoticeKind::InvalidAnswer);

        // The note and photos stay when the result changes.
        let noted = apply(
            &state,
            Action::SetNote {
                inspection_id: "I-1".into(),
                item_id: "t1-01".into(),
                note: "责任书未盖章".into(),
            },
        );
        let changed = apply(&noted, answer("t1-01", Response::Conform));
        let kept = &changed.data.inspections["I-1"].inspection.answers["t1-01"];
        assert_eq!(
            (kept.note.as_str(), &kept.response),
            ("责任书未盖章", &Response::Conform)
        );

        let cleared = apply(
            &state,
            Action::ClearAnswer {
                inspection_id: "I-1".into(),
                item_id: "t1-01".into(),
            },
        );
        assert!(
            cleared.data.inspections["I-1"]
                .inspection
                .answers
                .is_empty()
        );
    }

    #[test]
    fn guarantee_items_and_absent_sheets_go_through_core() {
        // b1-06 (应急救援) is a 保证项目: 不适用 is refused with a notice, nothing stored.
        let refused = apply(&state(), answer("b1-06", Response::NotApplicable));
        assert!(
            refused.data.inspections["I-1"]
                .inspection
                .answers
                .is_empty()
        );
        assert_eq!(refused.notices[0].kind, NoticeKind::InvalidAnswer);
        assert!(
            refused.notices[0]
                .detail
                .starts_with("answers.b1-06: 保证项目「应急救援」"),
            "{}",
            refused.notices[0].detail
        );
        // b17-05 (多塔作业) may be absent, with a reason; without one it is refused.
        let mark = |reason: &str| Action::MarkNotApplicable {
            inspection_id: "I-1".into(),
            item_id: "b17-05".into(),
            reason: reason.into(),
        };
        let refused = apply(&state(), mark(" "));
        assert_eq!(refused.notices[0].kind, NoticeKind::InvalidAnswer);
        let marked = apply(&state(), mark("现场仅一台塔吊"));
        let stored = &marked.data.inspections["I-1"].inspection.answers["b17-05"];
        assert_eq!(
            (&stored.response, stored.reason.as_str()),
            (&Response::NotApplicable, "现场仅一台塔吊")
        );
        // Another result drops the reason.
        let changed = apply(&marked, answer("b17-05", Response::Conform));
        assert_eq!(
            changed.data.inspections["I-1"].inspection.answers["b17-05"].reason,
            ""
        );
        // Sheets declared absent, and present again; an unknown sheet is a notice.
        let absent = |sheet: &str, absent: bool| Action::SetSheetAbsent {
            inspection_id: "I-1".into(),
            sheet_id: sheet.into(),
            absent,
        };
        let state = apply(&apply(&state(), absent("B.17", true)), absent("B.15", true));
        assert_eq!(
            state.data.inspections["I-1"].inspection.absent_sheets,
            ["B.15", "B.17"]
        );
        let state = apply(&state, absent("B.17", false));
        assert_eq!(
            state.data.inspections["I-1"].inspection.absent_sheets,
            ["B.15"]
        );
        let refused = apply(&state, absent("B.99", true));
        assert_eq!(refused.notices[0].kind, NoticeKind::InvalidAnswer);
    }

    /// The test state with one 一般 hazard H-2026-001 of inspection I-1, found by 王伟.
    fn with_general_hazard(description: &str) -> AppState {
        let hazard = Hazard::new(
            "H-2026-001",
            description,
            zicha_core::checklist::Level::General,
            "王伟",
            date!(2026 - 01 - 15),
        );
        apply(
            &state(),
            Action::AddHazard(StoredHazard {
                inspection_id: "I-1".into(),
                hazard,
            }),
        )
    }

    #[test]
    fn illegal_transitions_are_refused() {
        let state = with_general_hazard("临边无防护");
        let transition = |to| Action::TransitionHazard {
            id: "H-2026-001".into(),
            to,
            by: "王伟".into(),
            at: datetime!(2026-01-15 10:00 +8),
            note: String::new(),
            verification_passed: None,
        };
        // Closing straight away is impossible; starting needs the plan first.
        let refused = apply(&state, transition(Status::Closed));
        assert_eq!(refused.notices[0].kind, NoticeKind::TransitionRefused);
        let refused = apply(&state, transition(Status::InProgress));
        assert_eq!(
            refused.data.hazards["H-2026-001"].hazard.status,
            Status::Pending
        );

        let mut planned = state.data.hazards["H-2026-001"].hazard.clone();
        planned.rectification.measures = "加设防护栏杆".into();
        planned.rectification.responsible = "李敏".into();
        planned.rectification.deadline = Some(date!(2026 - 01 - 20));
        planned.rectification.acceptance_standard = "栏杆高1.2 m".into();
        planned.rectification.interim_measures = "拉警戒带".into();
        let state = apply(&state, Action::EditHazard(planned));
        let started = apply(&state, transition(Status::InProgress));
        let stored = &started.data.hazards["H-2026-001"].hazard;
        assert_eq!(stored.status, Status::InProgress);
        assert_eq!(stored.history[0].by, "王伟");
        // 即查即改 only from 待整改.
        let refused = apply(&started, fix_on_the_spot("王伟"));
        assert_eq!(
            refused.notices[0].detail,
            "hazard H-2026-001: 即查即改 starts from 待整改, but the hazard is 整改中"
        );
        // 验收 by the person responsible (李敏) or the submitter (王伟) is refused.
        let submitted = apply(&started, transition(Status::AwaitingVerification));
        for by in ["李敏", "王伟"] {
            let refused = apply(
                &submitted,
                Action::TransitionHazard {
                    id: "H-2026-001".into(),
                    to: Status::Closed,
                    by: by.into(),
                    at: datetime!(2026-01-16 10:00 +8),
                    note: String::new(),
                    verification_passed: Some(true),
                },
            );
            assert_eq!(refused.notices[0].kind, NoticeKind::TransitionRefused);
            assert!(refused.notices[0].detail.contains("验收 by"), "{by}");
            assert_eq!(
                refused.data.hazards["H-2026-001"].hazard.status,
                Status::AwaitingVerification
            );
        }
    }

    fn fix_on_the_spot(by: &str) -> Action {
        Action::FixHazardOnTheSpot {
            id: "H-2026-001".into(),
            by: by.into(),
            at: datetime!(2026-01-15 10:30 +8),
            note: "当场关闭".into(),
            photo: Sha256::of(b"after"),
        }
    }

    #[test]
    fn a_general_hazard_is_fixed_on_the_spot() {
        let state = with_general_hazard("配电箱门未关闭");
        let fixed = apply(&state, fix_on_the_spot("王伟"));
        let stored = &fixed.data.hazards["H-2026-001"].hazard;
        assert_eq!(stored.status, Status::Closed);
        assert_eq!(stored.history.len(), 3);
        assert_eq!(stored.photos_after, vec![Sha256::of(b"after")]);
        assert!(fixed.notices.is_empty());
        // A 重大 hazard is refused and stays as it was.
        let mut major = state.data.hazards["H-2026-001"].hazard.clone();
        major.level = zicha_core::checklist::Level::Major;
        let state = apply(&state, Action::EditHazard(major));
        let refused = apply(&state, fix_on_the_spot("王伟"));
        assert_eq!(refused.notices[0].kind, NoticeKind::TransitionRefused);
        assert_eq!(
            refused.data.hazards["H-2026-001"].hazard.status,
            Status::Pending
        );
    }

    #[test]
    fn deleting_an_inspection_deletes_its_hazards() {
        let state = with_general_hazard("x");
        let state = apply(&state, Action::DeleteInspection("I-1".into()));
        assert!(state.data.inspections.is_empty() && state.data.hazards.is_empty());
    }
}
