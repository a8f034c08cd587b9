//! One hazard (一患一档): description, location, level, photos, and in the ledger the 五定 plan,
//! the status transitions zicha-core allows from the current status (no others are offered), the
//! history with who and when, and the photos after rectification. Fields are saved as they are
//! typed; a closed hazard is read-only.

use std::rc::Rc;

use yew::prelude::*;
use zicha_core::checklist::Level;
use zicha_core::inspection::date_format;
use zicha_core::ledger::{Hazard, Status};

use crate::components::photo_strip::PhotoStrip;
use crate::components::{input_value, select_value, textarea_value};
use crate::hooks::use_store;
use crate::i18n::{self, T};
use crate::services::clock;
use crate::state::{Action, StoredHazard};

/// Writes one edited field into a hazard.
type HazardEdit = Box<dyn Fn(&mut Hazard, String)>;

/// Props of [`HazardCard`].
#[derive(Properties, PartialEq)]
pub struct HazardCardProps {
    /// The hazard.
    pub stored: Rc<StoredHazard>,
    /// Show the plan, transitions, history and after photos (the ledger), not only the finding.
    #[prop_or_default]
    pub full: bool,
    /// Where it was found (inspection and project), shown in the ledger.
    #[prop_or_default]
    pub context: Option<Html>,
}

/// A transition button: target, whether it is a verification and its result, label.
fn transitions(status: Status) -> Vec<(Status, Option<bool>, T)> {
    status
        .next()
        .iter()
        .map(|&to| match (status, to) {
            (Status::Pending, _) => (to, None, T::StartRectification),
            (Status::InProgress, _) => (to, None, T::SubmitVerification),
            (Status::AwaitingVerification, Status::Closed) => (to, Some(true), T::VerifyPass),
            (_, _) => (to, Some(false), T::VerifyFail),
        })
        .collect()
}

/// The hazard card.
#[function_component(HazardCard)]
pub fn hazard_card(props: &HazardCardProps) -> Html {
    let store = use_store();
    let lang = store.lang();
    let t = |key: T| key.get(lang);
    let hazard = props.stored.hazard.clone();
    let closed = hazard.status == Status::Closed;
    let overdue = hazard.is_overdue(store.today);
    let prefix = format!("hz-{}", hazard.id);
    let default_operator = store
        .data
        .profile
        .as_ref()
        .map(|p| p.safety_lead.clone())
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| hazard.found_by.clone());
    let operator = use_state(|| default_operator);
    let note = use_state(String::new);

    let edit = |apply: HazardEdit| {
        let store = store.clone();
        let hazard = hazard.clone();
        move |value: String| {
            let mut updated = hazard.clone();
            apply(&mut updated, value);
            store.dispatch(Action::EditHazard(updated));
        }
    };
    let text_input = |suffix: &str,
                      label: T,
                      value: String,
                      kind: &'static str,
                      apply: HazardEdit| {
        let id = format!("{prefix}-{suffix}");
        let save = edit(apply);
        let oninput = Callback::from(move |event: InputEvent| save(input_value(&event)));
        html! {
            <div class="field">
                <label for={id.clone()}>{ t(label) }</label>
                <input {id} type={kind} {value} {oninput} disabled={closed} autocomplete="off" />
            </div>
        }
    };
    let text_area = |suffix: &str, label: T, value: String, apply: HazardEdit| {
        let id = format!("{prefix}-{suffix}");
        let save = edit(apply);
        let oninput = Callback::from(move |event: InputEvent| save(textarea_value(&event)));
        html! {
            <div class="field wide">
                <label for={id.clone()}>{ t(label) }</label>
                <textarea {id} rows="2" {value} {oninput} disabled={closed} />
            </div>
        }
    };

    let level_select = {
        let id = format!("{prefix}-level");
        let save = edit(Box::new(|h, v| {
            h.level = if v == "major" {
                Level::Major
            } else {
                Level::General
            }
        }));
        let onchange = Callback::from(move |event: Event| save(select_value(&event)));
        html! {
            <div class="field">
                <label for={id.clone()}>{ t(T::LevelLabel) }</label>
                <select {id} {onchange} disabled={closed}>
                    <option value="general" selected={hazard.level == Level::General}>{ i18n::level(lang, Level::General) }</option>
                    <option value="major" selected={hazard.level == Level::Major}>{ i18n::level(lang, Level::Major) }</option>
                </select>
            </div>
        }
    };

    let photo_callback = |after: bool| {
        let store = store.clone();
        let id = hazard.id.clone();
        Callback::from(move |photo| {
            store.dispatch(Action::AddHazardPhoto {
                id: id.clone(),
                photo,
                after,
            })
        })
    };

    let badges = html! {
        <span class="badges">
            <span class={classes!("badge", "status", format!("status-{:?}", hazard.status).to_ascii_lowercase())}>{ i18n::status(lang, hazard.status) }</span>
            <span class={classes!("badge", (hazard.level == Level::Major).then_some("major"))}>{ i18n::level(lang, hazard.level) }</span>
            if hazard.supervised() {
                <span class="badge supervised">{ t(T::Supervised) }</span>
            }
            if overdue {
                <span class="badge overdue">{ t(T::Overdue) }</span>
            }
        </span>
    };

    let finding = html! {
        <div class="form-grid">
            { text_area("description", T::Description, hazard.description.clone(), Box::new(|h, v| h.description = v)) }
            { text_input("location", T::Location, hazard.location.clone(), "text", Box::new(|h, v| h.location = v)) }
            { level_select }
            { text_input("found-by", T::FoundBy, hazard.found_by.clone(), "text", Box::new(|h, v| h.found_by = v)) }
        </div>
    };

    let plan = props.full.then(|| {
        let deadline = hazard
            .rectification
            .deadline
            .map(date_format::format)
            .unwrap_or_default();
        let funds = hazard
            .rectification
            .funds_yuan
            .map(|f| f.to_string())
            .unwrap_or_default();
        html! {
            <fieldset class="plan">
                <legend>{ t(T::Rectification) }</legend>
                <div class="form-grid">
                    { text_area("measures", T::Measures, hazard.rectification.measures.clone(), Box::new(|h, v| h.rectification.measures = v)) }
                    { text_input("funds", T::Funds, funds, "number", Box::new(|h, v| h.rectification.funds_yuan = v.trim().parse().ok())) }
                    { text_input("deadline", T::Deadline, deadline, "date", Box::new(|h, v| h.rectification.deadline = date_format::parse(&v))) }
                    { text_input("responsible", T::Responsible, hazard.rectification.responsible.clone(), "text", Box::new(|h, v| h.rectification.responsible = v)) }
                    { text_area("plan", T::EmergencyPlan, hazard.rectification.plan.clone(), Box::new(|h, v| h.rectification.plan = v)) }
                </div>
            </fieldset>
        }
    });

    let controls = (props.full && !closed).then(|| {
        let missing = hazard.missing_plan_fields();
        let operator_missing = operator.trim().is_empty();
        let buttons = transitions(hazard.status).into_iter().map(|(to, passed, label)| {
            let blocked = operator_missing || (hazard.status == Status::Pending && !missing.is_empty());
            let store = store.clone();
            let id = hazard.id.clone();
            let operator = operator.clone();
            let note = note.clone();
            let onclick = Callback::from(move |_| {
                store.dispatch(Action::TransitionHazard {
                    id: id.clone(),
                    to,
                    by: (*operator).clone(),
                    at: clock::now(),
                    note: (*note).clone(),
                    verification_passed: passed,
                });
                note.set(String::new());
            });
            let class = if passed == Some(false) { "button danger" } else { "button primary" };
            html! {
                <button type="button" {class} {onclick} disabled={blocked}
                    data-to={format!("{to:?}")}>{ t(label) }</button>
            }
        });
        let missing_text = (hazard.status == Status::Pending && !missing.is_empty()).then(|| {
            let names: Vec<&str> = missing.iter().map(|f| i18n::plan_field(lang, f)).collect();
            format!("{} {}", t(T::MissingFields), names.join("、"))
        });
        let on_operator = {
            let operator = operator.clone();
            Callback::from(move |event: InputEvent| operator.set(input_value(&event)))
        };
        let on_note = {
            let note = note.clone();
            Callback::from(move |event: InputEvent| note.set(input_value(&event)))
        };
        html! {
            <div class="transitions">
                <div class="form-grid">
                    <div class="field">
                        <label for={format!("{prefix}-operator")}>{ t(T::Operator) }</label>
                        <input id={format!("{prefix}-operator")} type="text" value={(*operator).clone()} oninput={on_operator} />
                    </div>
                    <div class="field">
                        <label for={format!("{prefix}-note")}>{ t(T::TransitionNote) }</label>
                        <input id={format!("{prefix}-note")} type="text" value={(*note).clone()} oninput={on_note} />
                    </div>
                </div>
                if let Some(text) = missing_text {
                    <p class="hint error">{ text }</p>
                }
                if operator_missing {
                    <p class="hint error">{ t(T::OperatorRequired) }</p>
                }
                <div class="button-row">{ for buttons }</div>
            </div>
        }
    });

    let history = props.full.then(|| {
        let steps = hazard.history.iter().map(|step| {
            let when = format!(
                "{} {:02}:{:02}",
                date_format::format(step.at.date()),
                step.at.hour(),
                step.at.minute()
            );
            html! {
                <li>
                    <time>{ when }</time>
                    { format!(" {} → {} · {}", i18n::status(lang, step.from), i18n::status(lang, step.to), step.by) }
                    if !step.note.is_empty() { { format!(" · {}", step.note) } }
                </li>
            }
        });
        html! {
            <details class="history" open={!hazard.history.is_empty()}>
                <summary>{ t(T::History) }</summary>
                if hazard.history.is_empty() {
                    <p class="muted">{ t(T::NoHistory) }</p>
                } else {
                    <ol>{ for steps }</ol>
                }
            </details>
        }
    });

    // Photos after rectification make sense once rectification has started.
    let after_photos = (props.full && hazard.status != Status::Pending).then(|| {
        html! {
            <PhotoStrip id={format!("{prefix}-after")} photos={hazard.photos_after.clone()}
                on_add={photo_callback(true)} disabled={closed}
                label={t(T::PhotosAfter).to_owned()} />
        }
    });

    html! {
        <article class={classes!("hazard", "card", overdue.then_some("overdue"), hazard.supervised().then_some("major"))}
            id={prefix.clone()} data-hazard={hazard.id.clone()} data-status={format!("{:?}", hazard.status)}
            aria-labelledby={format!("{prefix}-title")}>
            <header class="hazard-head">
                <h3 id={format!("{prefix}-title")}>{ hazard.id.clone() }</h3>
                { badges }
            </header>
            if let Some(context) = props.context.clone() {
                <p class="muted">{ context }</p>
            }
            <p class="muted">
                { format!("{}: {}", t(T::FoundAt), date_format::format(hazard.found_at)) }
                if !hazard.basis.is_empty() { { format!(" · {}: {}", t(T::Basis), hazard.basis) } }
            </p>
            if closed && props.full {
                <p class="hint">{ t(T::HazardClosed) }</p>
            }
            { finding }
            <PhotoStrip id={format!("{prefix}-before")} photos={hazard.photos_before.clone()}
                on_add={photo_callback(false)} disabled={closed} label={t(T::PhotosBefore).to_owned()} />
            { for plan }
            { for after_photos }
            { for controls }
            { for history }
        </article>
    }
}
