//! The port between the app shell and the extra UI module: plain serde messages, like the worker
//! protocol of [`crate::state::jobs`], so that both wasm modules agree and the protocol is tested
//! natively. The enums are externally tagged (`{"show": {...}}`) for the same reason as the jobs
//! (serde's internally tagged form buffers each message in a generic value first: ~13 KB gzip).
//!
//! The shell is the only writer of records (meta, projects, inspections, hazards): it sends the
//! extra module what its screens show ([`Down::Show`], after every change of the shell's state)
//! and applies what the extra module asks for ([`Up`], turned into the shell's [`Action`]s). The
//! extra module writes only what is its own (keys, pads) and photos, which are content-addressed.
//! A message travels as JSON text ([`to_json`], [`from_json`]) through the functions
//! services/extra.rs and src/extra/ register. Records travel as IndexedDB holds them
//! ([`Records`]: each the text of state/migrate.rs's envelope), so a record that crosses the port
//! is read, migrated and refused exactly as one read from IndexedDB.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::rc::Rc;
use time::Date;

use crate::i18n::Lang;
use crate::state::migrate::{decode, encode};
use crate::state::{
    Action, AppState, Data, Notice, NoticeKind, StoredHazard, StoredInspection, StoredProject,
};

/// Shell → extra module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Down {
    /// What the extra module's screens show: the shell's data and the state of its writes.
    Show {
        /// Every record.
        snapshot: Records,
        /// Today, as the shell read the device's clock.
        #[serde(with = "zicha_core::dates::iso_date")]
        today: Date,
        /// Write batches queued or running in the shell.
        pending_writes: usize,
        /// The shell's last write failed.
        write_failed: bool,
        /// Batches the shell has written since it started.
        writes_done: u64,
    },
    /// Export one inspection of the last `Show` as a `.zicha` download (the extra module holds
    /// the code that talks to the report worker); a failure comes back as [`Up::Notify`].
    ExportBundle {
        /// The inspection.
        inspection_id: String,
    },
    /// Export the 检查结果 (with its 隐患台账 and 汇总) of one inspection, or with none the whole
    /// 隐患台账, of the last `Show` as an xlsx download (the report worker writes it); a failure
    /// comes back as [`Up::Notify`].
    ExportXlsx {
        /// The inspection; none: every hazard.
        inspection_id: Option<String>,
    },
}

/// Extra module → shell: the changes to records that its screens make, which the shell writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Up {
    /// Switch the language (settings).
    SetLang(Lang),
    /// Replace all records (restore of a full backup; its photos are already stored).
    Replace(Records),
    /// Add the records of an imported `.zicha` file to those there are (`backup::added`); its
    /// project is joined to one of the same name by the extra module (`backup::joined`).
    Merge(Records),
    /// Show a message in the shell.
    Notify(Notice),
    /// The extra module stored imported checklists (state/imported.rs): the shell reads them
    /// from IndexedDB into its catalog (services/extra.rs), then renders again.
    ChecklistsImported,
}

/// Records as IndexedDB holds them: the language, and each record as the JSON text of its
/// envelope (state/migrate.rs). Carried as text rather than as typed records because the shell
/// then reads and writes them with the very code it reads and writes IndexedDB with; typed
/// records cost the shell another ~3 KB gzip of serde code (measured), which its budget lacks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Records {
    /// The enterprise profile.
    #[serde(default)]
    pub profile: Option<String>,
    /// Projects.
    #[serde(default)]
    pub projects: Vec<String>,
    /// Inspections.
    #[serde(default)]
    pub inspections: Vec<String>,
    /// Hazards.
    #[serde(default)]
    pub hazards: Vec<String>,
    /// The UI language.
    #[serde(default)]
    pub lang: Lang,
}

impl Records {
    /// The records of `data`.
    pub fn of(data: &Data) -> Records {
        Records {
            profile: data.profile.as_deref().map(encode),
            projects: data.projects.values().map(|p| encode(&**p)).collect(),
            inspections: data.inspections.values().map(|i| encode(&**i)).collect(),
            hazards: data.hazards.values().map(|h| encode(&**h)).collect(),
            lang: data.lang,
        }
    }

    /// The records as app data, by id. A record that cannot be read (damaged, or from a newer
    /// app) fails with its kind and place, as a load from IndexedDB does.
    pub fn into_data(self) -> Result<Data, String> {
        let mut data = Data {
            lang: self.lang,
            ..Data::default()
        };
        if let Some(text) = self.profile {
            data.profile = Some(Rc::new(decode(&text).map_err(|e| format!("profile: {e}"))?));
        }
        for (idx, text) in self.projects.iter().enumerate() {
            let project: StoredProject =
                decode(text).map_err(|e| format!("project {}: {e}", idx + 1))?;
            data.projects.insert(project.id.clone(), Rc::new(project));
        }
        for (idx, text) in self.inspections.iter().enumerate() {
            let inspection: StoredInspection =
                decode(text).map_err(|e| format!("inspection {}: {e}", idx + 1))?;
            data.inspections
                .insert(inspection.inspection.id.clone(), Rc::new(inspection));
        }
        for (idx, text) in self.hazards.iter().enumerate() {
            let hazard: StoredHazard =
                decode(text).map_err(|e| format!("hazard {}: {e}", idx + 1))?;
            data.hazards
                .insert(hazard.hazard.id.clone(), Rc::new(hazard));
        }
        Ok(data)
    }
}

/// A message as JSON text, written the way the shell writes its records (state/migrate.rs:
/// straight to text, so that serde's code for the records exists once in the shell).
pub fn to_json<M: Serialize>(message: &M) -> String {
    // Our own serde types always serialise (no maps with non-string keys).
    serde_json::to_string(message).unwrap_or_default()
}

/// A message read from JSON text; the error is serde_json's words.
pub fn from_json<M: DeserializeOwned>(text: &str) -> Result<M, String> {
    serde_json::from_str(text).map_err(|error| error.to_string())
}

impl Down {
    /// The `Show` message of the shell's `state`.
    pub fn show(state: &AppState) -> Down {
        Down::Show {
            snapshot: Records::of(&state.data),
            today: state.today,
            pending_writes: state.pending_writes,
            write_failed: state.write_failed,
            writes_done: state.writes_done,
        }
    }
}

/// The state the extra module's screens read (through `use_store()`, as in the shell) after a
/// `Show`: loaded, without notices (the shell shows them). `Err` names a record that cannot be
/// read.
pub fn shown(
    snapshot: Records,
    today: Date,
    pending_writes: usize,
    write_failed: bool,
    writes_done: u64,
) -> Result<AppState, String> {
    Ok(AppState {
        loaded: true,
        data: snapshot.into_data()?,
        pending_writes,
        write_failed,
        writes_done,
        ..AppState::new(today)
    })
}

impl From<Up> for Action {
    /// What the shell's store does with `up`; restored records that cannot be read are not
    /// taken, and the restore is shown as failed.
    fn from(up: Up) -> Action {
        let records = |records: Records, take: fn(Data) -> Action| {
            records.into_data().map(take).unwrap_or_else(|detail| {
                Action::Notify(Notice {
                    kind: NoticeKind::RestoreFailed,
                    detail,
                })
            })
        };
        match up {
            Up::SetLang(lang) => Action::SetLang(lang),
            Up::Replace(snapshot) => records(snapshot, Action::Replace),
            Up::Merge(snapshot) => records(snapshot, Action::Merge),
            Up::Notify(notice) => Action::Notify(notice),
            // Once the shell has read them (services/extra.rs): the screens render again.
            Up::ChecklistsImported => Action::ChecklistLoaded(String::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;
    use zicha_core::inspection::Inspection;
    use zicha_core::ledger::Hazard;
    use zicha_core::org::{Organisation, Project};

    use super::*;
    use crate::state::jobs::Snapshot;
    use crate::state::store::apply;

    fn data(inspection_id: &str, project_name: &str) -> Data {
        snapshot(inspection_id, project_name).into_data()
    }

    fn records(inspection_id: &str, project_name: &str) -> Records {
        Records::of(&data(inspection_id, project_name))
    }

    fn snapshot(inspection_id: &str, project_name: &str) -> Snapshot {
        let checklist = zicha_core::catalog::by_id("construction").expect("built in");
        Snapshot {
            profile: Some(Organisation {
                name: "闽江建设工程有限公司".into(),
                ..Organisation::default()
            }),
            projects: vec![StoredProject {
                id: format!("P-{inspection_id}"),
                project: Project {
                    name: project_name.into(),
                    ..Project::default()
                },
            }],
            inspections: vec![StoredInspection {
                inspection: Inspection::new(
                    inspection_id,
                    checklist,
                    date!(2026 - 01 - 15),
                    vec!["王伟".into()],
                ),
                project_id: Some(format!("P-{inspection_id}")),
            }],
            hazards: vec![StoredHazard {
                inspection_id: inspection_id.into(),
                hazard: Hazard::new(
                    format!("H-{inspection_id}"),
                    "临边无防护",
                    zicha_core::checklist::Level::General,
                    "王伟",
                    date!(2026 - 01 - 15),
                ),
            }],
            lang: Lang::En,
        }
    }

    /// `message` as JSON starts with `prefix` (the tag as written) and reads back equal.
    #[track_caller]
    fn check<M>(message: M, prefix: &str)
    where
        M: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug,
    {
        let json = to_json(&message);
        assert!(json.starts_with(prefix), "{json}");
        let back: M = from_json(&json).expect("read");
        assert_eq!(back, message);
    }

    #[test]
    fn messages_round_trip_as_json() {
        check(
            Down::Show {
                snapshot: records("I-1", "一号楼"),
                today: date!(2026 - 03 - 02),
                pending_writes: 2,
                write_failed: false,
                writes_done: 17,
            },
            r#"{"show":{"snapshot":{"profile":"{\"schema\":1,\"record\":{\"name\":"#,
        );
        check(
            Down::ExportBundle {
                inspection_id: "I-1".into(),
            },
            r#"{"export-bundle":{"inspection_id":"I-1"}}"#,
        );
        check(Up::SetLang(Lang::En), r#"{"set-lang":"en"}"#);
        check(
            Up::Replace(records("I-1", "一号楼")),
            r#"{"replace":{"profile":"{\"schema\":1,\"record\":"#,
        );
        check(
            Up::Merge(Records::default()),
            r#"{"merge":{"profile":null,"projects":[],"#,
        );
        check(
            Up::Notify(Notice {
                kind: NoticeKind::RestoreFailed,
                detail: "not a zip".into(),
            }),
            r#"{"notify":{"kind":"RestoreFailed","detail":"not a zip"}}"#,
        );
        // The date goes as the shell writes dates everywhere.
        let json = to_json(&Down::show(&AppState::new(date!(2026 - 03 - 02))));
        assert!(json.contains(r#""today":"2026-03-02""#), "{json}");
        // What cannot be read is said in serde_json's words, with where.
        assert_eq!(
            from_json::<Up>(r#"{"set-lang":"fr"}"#),
            Err("unknown variant `fr`, expected `zh` or `en` at line 1 column 16".to_owned())
        );
        assert_eq!(
            from_json::<Up>("{"),
            Err("EOF while parsing an object at line 1 column 1".to_owned())
        );
    }

    #[test]
    fn a_show_gives_the_extra_module_the_shells_state() {
        let mut shell = apply(
            &AppState::new(date!(2026 - 03 - 02)),
            Action::Loaded(data("I-1", "一号楼")),
        );
        shell.pending_writes = 1;
        shell.writes_done = 4;
        let Down::Show {
            snapshot,
            today,
            pending_writes,
            write_failed,
            writes_done,
        } = Down::show(&shell)
        else {
            panic!("a show");
        };
        let extra =
            shown(snapshot, today, pending_writes, write_failed, writes_done).expect("read");
        assert_eq!(extra, shell);
        // Notices stay in the shell, which shows them.
        shell.notices.push(Notice {
            kind: NoticeKind::StorageLow,
            detail: String::new(),
        });
        let Down::Show { snapshot, .. } = Down::show(&shell) else {
            panic!("a show");
        };
        assert!(
            shown(snapshot, today, 0, false, 0)
                .expect("read")
                .notices
                .is_empty()
        );
    }

    #[test]
    fn what_the_extra_module_asks_is_done_by_the_shells_reducer() {
        let shell = apply(
            &AppState::new(date!(2026 - 03 - 02)),
            Action::Loaded(data("I-1", "一号楼")),
        );
        let restored = apply(&shell, Up::Replace(records("I-2", "二号楼")).into());
        assert_eq!(
            restored.data.inspections.keys().collect::<Vec<_>>(),
            ["I-2"]
        );
        assert_eq!(restored.data.hazards.keys().collect::<Vec<_>>(), ["H-I-2"]);
        // An imported file joins what the shell holds now, not what the extra module last saw.
        let merged = apply(&shell, Up::Merge(records("I-2", "二号楼")).into());
        assert_eq!(
            merged.data.inspections.keys().collect::<Vec<_>>(),
            ["I-1", "I-2"]
        );
        assert_eq!(
            merged.data.projects.keys().collect::<Vec<_>>(),
            ["P-I-1", "P-I-2"]
        );
        let chinese = apply(&shell, Up::SetLang(Lang::Zh).into());
        assert_eq!(chinese.lang(), Lang::Zh);
        // Records that cannot be read are not taken: the restore failed, saying which.
        let mut damaged = records("I-2", "二号楼");
        damaged.inspections[0] = r#"{"schema": 9, "record": {}}"#.into();
        let refused = apply(&shell, Up::Replace(damaged).into());
        assert_eq!(refused.data, shell.data);
        assert_eq!(
            refused.notices,
            [Notice {
                kind: NoticeKind::RestoreFailed,
                detail: "inspection 1: record schema 9 is newer than this app (1); update the app"
                    .into()
            }]
        );
        let told = apply(
            &shell,
            Up::Notify(Notice {
                kind: NoticeKind::ImportDone,
                detail: String::new(),
            })
            .into(),
        );
        assert_eq!(told.notices[0].kind, NoticeKind::ImportDone);
    }
}
