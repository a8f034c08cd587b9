//! One hazard (一患一档): description, location, level, 类别, photos, and in the ledger the 五定
//! plan (with 定标准 and 临时管控措施), a 重大 hazard's 治理方案 in six parts, the 挂牌督办 record
//! with its 摘牌, the 销号 record a 重大 hazard needs before closing, the status transitions
//! zicha-core allows from the current status (no others are offered; 验收 asks for a verifier who is
//! neither the person responsible nor the submitter), 即查即改 for a 一般 hazard still 待整改, the
//! history with who and when, and the photos after rectification. Fields are saved as they are
//! typed; a closed hazard is read-only.

use std::rc::Rc;

use yew::prelude::*;
use zicha_core::checklist::Level;
use zicha_core::inspection::date_format;
use zicha_core::ledger::{Category, Hazard, Status, SupervisionLevel};

use crate::components::photo_strip::PhotoStrip;
use crate::components::{input_value, select_value, textarea_value};
use crate::hooks::use_store;
use crate::i18n::{self, T};
use crate::services::clock;
use crate::state::ledger::edit_supervision;
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

/// Status, level, 挂牌督办, overdue and 即查即改 as badges (the card's head and the ledger's
/// summary card).
pub fn badges(lang: i18n::Lang, hazard: &Hazard, overdue: bool) -> Html {
    let t = |key: T| key.get(lang);
    html! {
        <span class="badges">
            <span class={classes!("badge", "status", format!("status-{:?}", hazard.status).to_ascii_lowercase())}>{ i18n::status(lang, hazard.status) }</span>
            <span class={classes!("badge", (hazard.level == Level::Major).then_some("major"))}>{ i18n::level(lang, hazard.level) }</span>
            if hazard.supervised() {
                <span class="badge supervised">{ t(T::Supervised) }</span>
            }
            if overdue {
                <span class="badge overdue">{ t(T::Overdue) }</span>
            }
            if hazard.fixed_on_the_spot() {
                <span class="badge on-the-spot">{ t(T::OnTheSpot) }</span>
            }
        </span>
    }
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
    let verifier = use_state(String::new);
    let note = use_state(String::new);
    let major = hazard.level == Level::Major;

    let edit = |apply: HazardEdit| {
        let store = store.clone();
        let hazard = hazard.clone();
        move |value: String| {
            let mut updated = hazard.clone();
            apply(&mut updated, value);
            store.dispatch(Action::EditHazard(updated));
        }
    };
    // An input that stays open after 销号 (the 挂牌督办 record: the authority's 摘牌 often comes
    // after the enterprise's 销号; `state::ledger::edited` keeps only that record of a closed hazard).
    let open_input =
        |suffix: &str, label: T, value: String, kind: &'static str, apply: HazardEdit| {
            let id = format!("{prefix}-{suffix}");
            let save = edit(apply);
            let oninput = Callback::from(move |event: InputEvent| save(input_value(&event)));
            html! {
                <div class="field">
                    <label for={id.clone()}>{ t(label) }</label>
                    <input {id} type={kind} {value} {oninput} autocomplete="off" />
                </div>
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

    let category_select = {
        let id = format!("{prefix}-category");
        let save = edit(Box::new(|h, v| {
            h.category = Category::ALL.into_iter().find(|c| c.zh() == v)
        }));
        let onchange = Callback::from(move |event: Event| save(select_value(&event)));
        let options = Category::ALL.iter().map(|category| {
            html! { <option value={category.zh()} selected={hazard.category == Some(*category)}>{ i18n::category(lang, *category) }</option> }
        });
        html! {
            <div class="field">
                <label for={id.clone()}>{ t(T::CategoryLabel) }</label>
                <select {id} {onchange} disabled={closed}>
                    <option value="" selected={hazard.category.is_none()}>{ t(T::CategoryNone) }</option>
                    { for options }
                </select>
            </div>
        }
    };

    let badges = badges(lang, &hazard, overdue);

    let finding = html! {
        <div class="form-grid">
            { text_area("description", T::Description, hazard.description.clone(), Box::new(|h, v| h.description = v)) }
            { text_input("location", T::Location, hazard.location.clone(), "text", Box::new(|h, v| h.location = v)) }
            { level_select }
            { category_select }
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
                    { text_area("standard", T::AcceptanceStandard, hazard.rectification.acceptance_standard.clone(), Box::new(|h, v| h.rectification.acceptance_standard = v)) }
                    { text_area("interim", T::InterimMeasures, hazard.rectification.interim_measures.clone(), Box::new(|h, v| h.rectification.interim_measures = v)) }
                    { text_area("plan", T::EmergencyPlan, hazard.rectification.plan.clone(), Box::new(|h, v| h.rectification.plan = v)) }
                </div>
            </fieldset>
        }
    });

    // A 重大 hazard's 治理方案 (and one a 一般 hazard was given before its level changed).
    let governance = (props.full && (major || !hazard.governance_plan.is_empty())).then(|| {
        let parts = hazard.governance_plan.parts().map(|(field, _, text)| {
            let apply: HazardEdit = Box::new(move |h, v| {
                let plan = &mut h.governance_plan;
                let slot = match field {
                    "goals_and_tasks" => &mut plan.goals_and_tasks,
                    "methods_and_measures" => &mut plan.methods_and_measures,
                    "funds_and_materials" => &mut plan.funds_and_materials,
                    "organisation_and_people" => &mut plan.organisation_and_people,
                    "schedule_and_requirements" => &mut plan.schedule_and_requirements,
                    _ => &mut plan.safety_and_emergency,
                };
                *slot = v;
            });
            let id = format!("{prefix}-gp-{field}");
            let save = edit(apply);
            let oninput = Callback::from(move |event: InputEvent| save(textarea_value(&event)));
            html! {
                <div class="field wide">
                    <label for={id.clone()}>{ i18n::governance_part(lang, field) }</label>
                    <textarea {id} rows="2" value={text.to_owned()} {oninput} disabled={closed} />
                </div>
            }
        });
        html! {
            <fieldset class="governance-plan">
                <legend>{ t(T::GovernancePlanTitle) }</legend>
                <div class="form-grid">{ for parts }</div>
            </fieldset>
        }
    });

    // 挂牌督办: who supervises the hazard, and the 摘牌.
    let supervision = (props.full && hazard.supervised()).then(|| {
        let record = hazard.supervision.clone();
        let text = |get: fn(&zicha_core::ledger::Supervision) -> String| {
            record.as_ref().map(get).unwrap_or_default()
        };
        let day = |get: fn(&zicha_core::ledger::Supervision) -> Option<time::Date>| {
            record
                .as_ref()
                .and_then(get)
                .map(date_format::format)
                .unwrap_or_default()
        };
        let level_select = {
            let id = format!("{prefix}-sup-level");
            let save = edit(Box::new(|h, v| {
                edit_supervision(h, |s| {
                    s.level = SupervisionLevel::ALL
                        .into_iter()
                        .find(|l| l.zh() == v)
                        .unwrap_or(SupervisionLevel::County)
                })
            }));
            let onchange = Callback::from(move |event: Event| save(select_value(&event)));
            let current = record.as_ref().map(|s| s.level);
            let options = SupervisionLevel::ALL.iter().map(|level| {
                html! { <option value={level.zh()} selected={current == Some(*level)}>{ i18n::supervision_level(lang, *level) }</option> }
            });
            html! {
                <div class="field">
                    <label for={id.clone()}>{ t(T::SupervisionLevelLabel) }</label>
                    <select {id} {onchange}>{ for options }</select>
                </div>
            }
        };
        html! {
            <fieldset class="supervision">
                <legend>{ t(T::SupervisionTitle) }</legend>
                <div class="form-grid">
                    { open_input("sup-authority", T::SupervisionAuthority, text(|s| s.authority.clone()), "text", Box::new(|h, v| edit_supervision(h, |s| s.authority = v))) }
                    { level_select }
                    { open_input("sup-document", T::SupervisionDocument, text(|s| s.document_no.clone()), "text", Box::new(|h, v| edit_supervision(h, |s| s.document_no = v))) }
                    { open_input("sup-deadline", T::SupervisionDeadline, day(|s| s.deadline), "date", Box::new(|h, v| edit_supervision(h, |s| s.deadline = date_format::parse(&v)))) }
                    { open_input("sup-delisted-on", T::DelistedOn, day(|s| s.delisted_on), "date", Box::new(|h, v| edit_supervision(h, |s| s.delisted_on = date_format::parse(&v)))) }
                    { open_input("sup-delisted-by", T::DelistedBy, text(|s| s.delisted_by.clone()), "text", Box::new(|h, v| edit_supervision(h, |s| s.delisted_by = v))) }
                </div>
            </fieldset>
        }
    });

    // The 销号 record: asked for when a 重大 hazard waits for 验收, shown wherever it is filled in.
    let closure = (props.full
        && ((major && hazard.status == Status::AwaitingVerification)
            || !hazard.closure.is_empty()))
    .then(|| {
        let reported_on = hazard
            .closure
            .reported_on
            .map(date_format::format)
            .unwrap_or_default();
        html! {
            <fieldset class="closure">
                <legend>{ t(T::ClosureTitle) }</legend>
                <div class="form-grid">
                    { text_area("evaluation", T::Evaluation, hazard.closure.evaluation.clone(), Box::new(|h, v| h.closure.evaluation = v)) }
                    { text_input("reported-on", T::ReportedOn, reported_on, "date", Box::new(|h, v| h.closure.reported_on = date_format::parse(&v))) }
                    { text_input("reported-to", T::ReportedTo, hazard.closure.reported_to.clone(), "text", Box::new(|h, v| h.closure.reported_to = v)) }
                </div>
            </fieldset>
        }
    });

    let controls = (props.full && !closed).then(|| {
        let missing = hazard.missing_plan_fields();
        // Leaving 待验收 is a verification: its own name field, refused for the person responsible
        // and the submitter (Hazard::may_verify, the rule Hazard::transition applies).
        let verifying = hazard.status == Status::AwaitingVerification;
        let actor = if verifying { verifier.clone() } else { operator.clone() };
        let actor_missing = actor.trim().is_empty();
        let verifier_refused = verifying && !actor_missing && !hazard.may_verify(&actor);
        let closure_missing = if verifying && major { hazard.closure.missing() } else { Vec::new() };
        let buttons = transitions(hazard.status).into_iter().map(|(to, passed, label)| {
            let blocked = actor_missing
                || verifier_refused
                || (hazard.status == Status::Pending && !missing.is_empty())
                || (to == Status::Closed && !closure_missing.is_empty());
            let store = store.clone();
            let id = hazard.id.clone();
            let actor = actor.clone();
            let note = note.clone();
            let onclick = Callback::from(move |_| {
                store.dispatch(Action::TransitionHazard {
                    id: id.clone(),
                    to,
                    by: (*actor).clone(),
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
        let closure_text = (!closure_missing.is_empty()).then(|| {
            let names: Vec<&str> = closure_missing.iter().map(|f| i18n::plan_field(lang, f)).collect();
            format!("{} {}", t(T::ClosureMissing), names.join("、"))
        });
        let on_actor = {
            let actor = actor.clone();
            Callback::from(move |event: InputEvent| actor.set(input_value(&event)))
        };
        let (actor_id, actor_label, actor_required) = if verifying {
            (format!("{prefix}-verifier"), T::Verifier, T::VerifierRequired)
        } else {
            (format!("{prefix}-operator"), T::Operator, T::OperatorRequired)
        };
        let on_note = {
            let note = note.clone();
            Callback::from(move |event: InputEvent| note.set(input_value(&event)))
        };
        html! {
            <div class="transitions">
                <div class="form-grid">
                    <div class="field">
                        <label for={actor_id.clone()}>{ t(actor_label) }</label>
                        <input id={actor_id} type="text" value={(*actor).clone()} oninput={on_actor} autocomplete="off" />
                    </div>
                    <div class="field">
                        <label for={format!("{prefix}-note")}>{ t(T::TransitionNote) }</label>
                        <input id={format!("{prefix}-note")} type="text" value={(*note).clone()} oninput={on_note} />
                    </div>
                </div>
                if let Some(text) = missing_text {
                    <p class="hint error">{ text }</p>
                }
                if let Some(text) = closure_text {
                    <p class="hint error">{ text }</p>
                }
                if actor_missing {
                    <p class="hint error">{ t(actor_required) }</p>
                }
                if verifier_refused {
                    <p class="hint error verifier-refused">{ t(T::VerifierNotSeparate) }</p>
                }
                <div class="button-row">{ for buttons }</div>
            </div>
        }
    });

    // 即查即改: a 一般 hazard still 待整改 closes at once with its after-photo (the last one added).
    let on_the_spot = (props.full && !major && hazard.status == Status::Pending).then(|| {
        let photo = hazard.photos_after.last().copied();
        let blocked = photo.is_none() || operator.trim().is_empty();
        let store = store.clone();
        let id = hazard.id.clone();
        let operator = operator.clone();
        let note = note.clone();
        let onclick = Callback::from(move |_| {
            if let Some(photo) = photo {
                store.dispatch(Action::FixHazardOnTheSpot {
                    id: id.clone(),
                    by: (*operator).clone(),
                    at: clock::now(),
                    note: (*note).clone(),
                    photo,
                });
                note.set(String::new());
            }
        });
        html! {
            <div class="on-the-spot">
                <p class="hint">{ t(T::FixOnTheSpotHint) }</p>
                if photo.is_none() {
                    <p class="hint">{ t(T::FixNeedsPhoto) }</p>
                }
                <div class="button-row">
                    <button type="button" class="button" {onclick} disabled={blocked}
                        id={format!("{prefix}-on-the-spot")}>{ t(T::FixOnTheSpot) }</button>
                </div>
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
                    if step.on_the_spot { { format!(" · {}", t(T::OnTheSpot)) } }
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

    // Photos after rectification make sense once rectification has started, or for 即查即改.
    let after_photos = (props.full && (hazard.status != Status::Pending || !major)).then(|| {
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
            { for governance }
            { for supervision }
            { for after_photos }
            { for on_the_spot }
            { for closure }
            { for controls }
            { for history }
        </article>
    }
}
