//! One checklist item: its text, clause and guidance, one-tap answers for its kind (符合 / 不符合 /
//! 不适用; deductions within the allowed range; a measurement with unit and range check; text;
//! photo), the note and photos of the answer, and "record a hazard" once it has failed. A 保证项目
//! item offers 不适用 only where the checklist lets it be absent, and then asks for the reason
//! (JGJ 59-2011 4.0.1, `zicha_core::inspection::not_applicable_allowed`).

use std::rc::Rc;

use time::Date;
use yew::prelude::*;
use zicha_core::checklist::{Group, Item, ItemKind, Level, Tag};
use zicha_core::inspection::{
    Answer, AppliedDeduction, Response, evaluate, not_applicable_allowed, validate_answer,
};
use zicha_core::ledger::Hazard;

use crate::components::hazard_card::HazardCard;
use crate::components::photo_strip::PhotoStrip;
use crate::components::{checked, textarea_value};
use crate::hooks::use_store;
use crate::i18n::{self, Lang, T};
use crate::state::{Action, StoredHazard, ids};

/// Props of [`ItemCard`].
#[derive(Properties, PartialEq)]
pub struct ItemCardProps {
    /// The inspection.
    pub inspection_id: String,
    /// The item.
    pub item: Item,
    /// The group of its section (保证项目 / 一般项目), where the standard splits a sheet.
    pub group: Option<Group>,
    /// Its answer.
    pub answer: Option<Answer>,
    /// Hazards recorded from this item.
    pub hazards: Vec<Rc<StoredHazard>>,
    /// Who found hazards of this inspection (the first inspector).
    pub found_by: String,
    /// The inspector answering now, recorded with each answer (谁排查、谁签字).
    pub answered_by: String,
    /// The inspection's day.
    pub found_at: Date,
}

/// `deductions` with the rule `rule` switched on (at its least points) or off.
pub fn toggle_rule(
    deductions: &[AppliedDeduction],
    rule: usize,
    min: f64,
    on: bool,
) -> Vec<AppliedDeduction> {
    let mut result: Vec<AppliedDeduction> = deductions
        .iter()
        .filter(|d| d.rule != rule)
        .cloned()
        .collect();
    if on {
        result.push(AppliedDeduction {
            rule,
            points: min,
            count: 1,
        });
        result.sort_by_key(|d| d.rule);
    }
    result
}

fn range_text(lang: Lang, min: Option<f64>, max: Option<f64>, unit: &str) -> String {
    let bound = |value: Option<f64>| value.map(i18n::number).unwrap_or_else(|| "…".to_owned());
    format!(
        "{} {}–{} {unit}",
        T::AllowedRange.get(lang),
        bound(min),
        bound(max)
    )
}

/// The deduction rules of a deduction item (none for other kinds).
fn item_rules(item: &Item) -> &[zicha_core::checklist::Deduction] {
    match &item.kind {
        ItemKind::Deduction(rules) => rules,
        _ => &[],
    }
}

/// The item card.
#[function_component(ItemCard)]
pub fn item_card(props: &ItemCardProps) -> Html {
    let store = use_store();
    let lang = store.lang();
    let t = |key: T| key.get(lang);
    let item = &props.item;
    let answer = props.answer.as_ref();
    let response = answer.map(|a| &a.response);
    let group = props.group;
    let evaluation = answer
        .filter(|a| validate_answer(item, group, a).is_ok())
        .map(|a| evaluate(item, a));
    let failed = evaluation.is_some_and(|e| e.failed);
    let na_allowed = not_applicable_allowed(group, item);
    let needs_reason = na_allowed && group == Some(Group::Guarantee);
    let is_not_applicable = response == Some(&Response::NotApplicable);
    let deduct_open = use_state(|| false);
    let reason_open = use_state(|| false);
    let reason_ref = use_node_ref();
    let local_error = use_state(|| None::<String>);
    let dom_id = format!("item-{}", item.id);

    let respond = {
        let store = store.clone();
        let inspection_id = props.inspection_id.clone();
        let item_id = item.id.clone();
        let local_error = local_error.clone();
        let by = props.answered_by.clone();
        Callback::from(move |response: Response| {
            local_error.set(None);
            store.dispatch(Action::Respond {
                inspection_id: inspection_id.clone(),
                item_id: item_id.clone(),
                response,
                by: by.clone(),
            })
        })
    };
    let clear = {
        let store = store.clone();
        let inspection_id = props.inspection_id.clone();
        let item_id = item.id.clone();
        let deduct_open = deduct_open.clone();
        Callback::from(move |_| {
            deduct_open.set(false);
            store.dispatch(Action::ClearAnswer {
                inspection_id: inspection_id.clone(),
                item_id: item_id.clone(),
            })
        })
    };

    let choice = |label: T,
                  class: &'static str,
                  pressed: bool,
                  response: Option<Response>,
                  extra: Option<Callback<()>>| {
        let respond = respond.clone();
        let onclick = Callback::from(move |_| {
            if let Some(response) = response.clone() {
                respond.emit(response);
            }
            if let Some(extra) = &extra {
                extra.emit(());
            }
        });
        html! {
            <button type="button" class={classes!("choice", class)} aria-pressed={pressed.to_string()} {onclick}
                data-choice={class}>{ t(label) }</button>
        }
    };
    let not_applicable = if !na_allowed {
        html! {}
    } else if needs_reason {
        // The reason comes first: the button opens its field, the field's button answers.
        let reason_open = reason_open.clone();
        let open = Callback::from(move |()| reason_open.set(true));
        choice(T::NotApplicable, "na", is_not_applicable, None, Some(open))
    } else {
        choice(
            T::NotApplicable,
            "na",
            is_not_applicable,
            Some(Response::NotApplicable),
            None,
        )
    };
    let reason_field = (needs_reason && (*reason_open || is_not_applicable)).then(|| {
        let reason_id = format!("{dom_id}-reason");
        let confirm_id = format!("{dom_id}-reason-confirm");
        let mark = {
            let store = store.clone();
            let inspection_id = props.inspection_id.clone();
            let item_id = item.id.clone();
            let reason_ref = reason_ref.clone();
            let reason_open = reason_open.clone();
            Callback::from(move |_| {
                let reason = reason_ref
                    .cast::<web_sys::HtmlInputElement>()
                    .map(|input| input.value())
                    .unwrap_or_default();
                reason_open.set(false);
                store.dispatch(Action::MarkNotApplicable {
                    inspection_id: inspection_id.clone(),
                    item_id: item_id.clone(),
                    reason,
                })
            })
        };
        let reason = answer.map(|a| a.reason.clone()).unwrap_or_default();
        html! {
            <div class="field na-reason">
                <label for={reason_id.clone()}>{ t(T::NotApplicableReason) }</label>
                <p class="hint">{ i18n::absent_if(lang, &item.absent_if) }</p>
                <input id={reason_id} type="text" ref={reason_ref.clone()} value={reason} />
                <button type="button" class="button small" id={confirm_id} onclick={mark}>{ t(T::ConfirmNotApplicable) }</button>
            </div>
        }
    });

    let controls = match &item.kind {
        ItemKind::Check => html! {
            <div class="choices" role="group" aria-label={t(T::Conform)}>
                { choice(T::Conform, "conform", response == Some(&Response::Conform), Some(Response::Conform), None) }
                { choice(T::NonConform, "nonconform", response == Some(&Response::NonConform), Some(Response::NonConform), None) }
                { not_applicable }
            </div>
        },
        ItemKind::Deduction(rules) => {
            let current: Vec<AppliedDeduction> = match response {
                Some(Response::Deducted { deductions }) => deductions.clone(),
                _ => Vec::new(),
            };
            let deducting = matches!(response, Some(Response::Deducted { .. })) || *deduct_open;
            let open = {
                let deduct_open = deduct_open.clone();
                Callback::from(move |_| deduct_open.set(true))
            };
            let close = {
                let deduct_open = deduct_open.clone();
                Callback::from(move |_| deduct_open.set(false))
            };
            let rule_rows = rules.iter().enumerate().map(|(rule_idx, rule)| {
                let applied = current.iter().find(|d| d.rule == rule_idx).cloned();
                let rule_id = format!("{dom_id}-rule-{rule_idx}");
                let on_toggle = {
                    let respond = respond.clone();
                    let current = current.clone();
                    let min = rule.min;
                    Callback::from(move |event: Event| {
                        respond.emit(Response::Deducted {
                            deductions: toggle_rule(&current, rule_idx, min, checked(&event)),
                        })
                    })
                };
                let edit = |is_count: bool| {
                    let respond = respond.clone();
                    let current = current.clone();
                    let local_error = local_error.clone();
                    let item = item.clone();
                    Callback::from(move |event: Event| {
                        let text = event.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                        let mut deductions = current.clone();
                        let Some(target) = deductions.iter_mut().find(|d| d.rule == rule_idx) else { return };
                        if is_count {
                            target.count = text.trim().parse().unwrap_or(0);
                        } else {
                            target.points = text.trim().parse().unwrap_or(f64::NAN);
                        }
                        // The rule's own check (zicha-core), worded for the user next to the
                        // field; the message goes as soon as a valid value is entered.
                        let problem = item_rules(&item)
                            .get(rule_idx)
                            .and_then(|rule| rule.check(target.points, target.count).err());
                        let response = Response::Deducted { deductions };
                        match problem {
                            Some(problem) => local_error.set(Some(i18n::deduction_problem(lang, problem))),
                            None => match validate_answer(&item, group, &Answer::new(response.clone())) {
                                Ok(()) => respond.emit(response),
                                Err(_) => local_error.set(Some(T::InvalidAnswer.get(lang).to_owned())),
                            },
                        }
                    })
                };
                let per = rule.per.clone();
                let range = match &per {
                    Some(per) => format!("{}–{} {}/{per}", i18n::number(rule.min), i18n::number(rule.max), t(T::Points)),
                    None => format!("{}–{} {}", i18n::number(rule.min), i18n::number(rule.max), t(T::Points)),
                };
                html! {
                    <li class="rule">
                        <input type="checkbox" id={rule_id.clone()} checked={applied.is_some()} onchange={on_toggle} />
                        <label for={rule_id.clone()}>{ rule.text.clone() }<span class="range">{ format!(" （{range}）") }</span></label>
                        if let Some(applied) = applied {
                            <span class="rule-inputs">
                                <label for={format!("{rule_id}-points")}>{ t(T::PointsOff) }</label>
                                <input id={format!("{rule_id}-points")} type="number" inputmode="decimal" step="0.5"
                                    min={i18n::number(rule.min)} max={i18n::number(rule.max)}
                                    value={i18n::number(applied.points)} onchange={edit(false)} />
                                if let Some(per) = per {
                                    <label for={format!("{rule_id}-count")}>{ format!("{}（{per}）", t(T::Count)) }</label>
                                    <input id={format!("{rule_id}-count")} type="number" inputmode="numeric" min="1" step="1"
                                        value={applied.count.to_string()} onchange={edit(true)} />
                                }
                            </span>
                        }
                    </li>
                }
            });
            html! {
                <>
                    <div class="choices" role="group" aria-label={t(T::Conform)}>
                        { choice(T::Conform, "conform", response == Some(&Response::Conform), Some(Response::Conform), Some(close)) }
                        { choice(T::Deduct, "deduct", deducting, None, Some(open)) }
                        { not_applicable }
                    </div>
                    if deducting {
                        <fieldset class="rules">
                            <legend>{ t(T::DeductionRules) }</legend>
                            <ul>{ for rule_rows }</ul>
                        </fieldset>
                    }
                </>
            }
        }
        ItemKind::Measurement { unit, min, max } => {
            let value = match response {
                Some(Response::Measured { value }) => i18n::number(*value),
                _ => String::new(),
            };
            let input_id = format!("{dom_id}-measured");
            let onchange = {
                let respond = respond.clone();
                let local_error = local_error.clone();
                Callback::from(move |event: Event| {
                    let text = event
                        .target_unchecked_into::<web_sys::HtmlInputElement>()
                        .value();
                    match text.trim().parse::<f64>() {
                        Ok(value) if value.is_finite() => {
                            respond.emit(Response::Measured { value })
                        }
                        _ => local_error.set(Some(T::NotANumber.get(lang).to_owned())),
                    }
                })
            };
            html! {
                <div class="measurement">
                    <label for={input_id.clone()}>{ format!("{} ({unit})", t(T::Measured)) }</label>
                    <input id={input_id} type="number" inputmode="decimal" step="any" {value} {onchange}
                        aria-describedby={format!("{dom_id}-range")} />
                    <p id={format!("{dom_id}-range")} class="hint">{ range_text(lang, *min, *max, unit) }</p>
                    if failed {
                        <p class="hint error">{ t(T::OutOfRange) }</p>
                    }
                    <div class="choices">{ not_applicable }</div>
                </div>
            }
        }
        ItemKind::Text => {
            let value = match response {
                Some(Response::Text { text }) => text.clone(),
                _ => String::new(),
            };
            let input_id = format!("{dom_id}-text");
            let respond = respond.clone();
            let oninput = Callback::from(move |event: InputEvent| {
                respond.emit(Response::Text {
                    text: textarea_value(&event),
                })
            });
            html! {
                <div class="field">
                    <label for={input_id.clone()}>{ t(T::TextAnswer) }</label>
                    <textarea id={input_id} rows="3" {value} {oninput} />
                    <div class="choices">{ not_applicable }</div>
                </div>
            }
        }
        ItemKind::Photo => html! {
            <div class="choices">
                if response == Some(&Response::Photographed) {
                    <span class="badge">{ t(T::PhotoTaken) }</span>
                }
                { not_applicable }
            </div>
        },
    };

    let photo_add = {
        let store = store.clone();
        let inspection_id = props.inspection_id.clone();
        let item_id = item.id.clone();
        Callback::from(move |photo| {
            store.dispatch(Action::AddAnswerPhoto {
                inspection_id: inspection_id.clone(),
                item_id: item_id.clone(),
                photo,
            })
        })
    };
    let photo_remove = {
        let store = store.clone();
        let inspection_id = props.inspection_id.clone();
        let item_id = item.id.clone();
        Callback::from(move |photo| {
            store.dispatch(Action::RemoveAnswerPhoto {
                inspection_id: inspection_id.clone(),
                item_id: item_id.clone(),
                photo,
            })
        })
    };

    let details = answer.map(|answer| {
        let note_id = format!("{dom_id}-note");
        let store = store.clone();
        let inspection_id = props.inspection_id.clone();
        let item_id = item.id.clone();
        let on_note = Callback::from(move |event: InputEvent| {
            store.dispatch(Action::SetNote {
                inspection_id: inspection_id.clone(),
                item_id: item_id.clone(),
                note: textarea_value(&event),
            })
        });
        html! {
            <div class="answer-details">
                <div class="field">
                    <label for={note_id.clone()}>{ t(T::Note) }</label>
                    <textarea id={note_id} rows="2" value={answer.note.clone()} oninput={on_note} />
                </div>
                <PhotoStrip id={format!("{dom_id}-photos")} photos={answer.photos.clone()}
                    on_add={photo_add.clone()} on_remove={Some(photo_remove.clone())} label={t(T::Photos).to_owned()} />
            </div>
        }
    });
    // A photo item is answered by its first photo.
    let photo_item_strip = (answer.is_none() && item.kind == ItemKind::Photo).then(|| html! {
        <PhotoStrip id={format!("{dom_id}-photos")} photos={Vec::new()} on_add={photo_add.clone()} />
    });

    // One hazard per failed item: once it is recorded its card shows below instead of the button
    // (a second tap made a duplicate). The answer's photos become the hazard's 整改前照片.
    let record_hazard = (failed && props.hazards.is_empty()).then(|| {
        let store = store.clone();
        let item = item.clone();
        let answer = answer.cloned();
        let inspection_id = props.inspection_id.clone();
        let found_by = props.found_by.clone();
        let found_at = props.found_at;
        let onclick = Callback::from(move |_| {
            let id = ids::next_hazard_id(store.data.hazards.keys().map(String::as_str), found_at.year());
            store.dispatch(Action::AddHazard(StoredHazard {
                inspection_id: inspection_id.clone(),
                hazard: Hazard::from_answer(id, &item, answer.as_ref(), found_by.as_str(), found_at),
            }));
        });
        html! {
            <button type="button" class="button warning record-hazard" {onclick}>{ format!("＋ {}", t(T::RecordHazard)) }</button>
        }
    });

    let hazards = props
        .hazards
        .iter()
        .map(|stored| html! { <HazardCard stored={stored.clone()} /> });

    let text = i18n::pick(lang, &item.text_zh, &item.text_en);
    html! {
        <article id={dom_id.clone()} data-item={item.id.clone()}
            class={classes!("item", "card", failed.then_some("failed"), answer.is_some().then_some("answered"))}
            aria-labelledby={format!("{dom_id}-text-title")}>
            <header class="item-head">
                <span class="item-id mono">{ item.id.clone() }</span>
                if item.points > 0.0 {
                    <span class="badge">{ format!("{} {}", i18n::number(item.points), t(T::Points)) }</span>
                }
                if item.level == Level::Major {
                    <span class="badge major">{ t(T::Major) }</span>
                }
                if item.has_tag(&Tag::StopWork) {
                    <span class="badge stop">{ t(T::StopWorkItem) }</span>
                }
                if failed {
                    <span class="badge failed">{ t(T::Failed) }</span>
                }
                // Provenance (issue 12): an item not yet read against its standard's text says so.
                if !item.verified {
                    <span class="badge unverified">{ t(T::Unverified) }</span>
                }
            </header>
            <h3 id={format!("{dom_id}-text-title")} class="item-text">{ text.to_owned() }</h3>
            <p class="clause"><span class="label">{ format!("{}：", t(T::Clause)) }</span>{ item.clause.clone() }</p>
            if !item.guidance.is_empty() {
                <details class="guidance">
                    <summary>{ t(T::Guidance) }</summary>
                    <p>{ i18n::pick(lang, &item.guidance, &item.guidance_en).to_owned() }</p>
                </details>
            }
            { controls }
            { for reason_field }
            if is_not_applicable && !na_allowed {
                <p class="hint error" role="alert">{ t(T::GuaranteeNotApplicable) }</p>
            }
            if let Some(error) = (*local_error).clone() {
                <p class="hint error" role="alert" id={format!("{dom_id}-error")}>{ error }</p>
            }
            if answer.is_some() {
                <button type="button" class="button small link" onclick={clear}>{ t(T::Clear) }</button>
            }
            { for details }
            { for photo_item_strip }
            { for record_hazard }
            if !props.hazards.is_empty() {
                <div class="item-hazards">
                    <h4>{ t(T::HazardsOfItem) }</h4>
                    { for hazards }
                </div>
            }
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_toggle_in_order() {
        let on = toggle_rule(&[], 2, 3.0, true);
        let on = toggle_rule(&on, 0, 1.0, true);
        let rules: Vec<usize> = on.iter().map(|d| d.rule).collect();
        assert_eq!(rules, [0, 2]);
        assert_eq!(on[1].points, 3.0);
        let off = toggle_rule(&on, 2, 3.0, false);
        assert_eq!(off.len(), 1);
    }
}
