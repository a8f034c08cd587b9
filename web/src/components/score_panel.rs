//! The live score of an inspection, exactly as zicha-core's `score()` reports it: total and grade
//! (JGJ 59), the stop-work banner with its reasons, the five 100% rates, the 汇总表 and every
//! section. Numbers are printed like `zicha score`; nothing is recomputed here. While JGJ 59 scoring
//! is incomplete (a 保证项目 or a whole sheet unanswered) it says 评分未完成 and lists what is missing.

use std::rc::Rc;

use yew::prelude::*;
use zicha_core::checklist::Target;
use zicha_core::score::{RateBasis, ScoreReport};

use crate::hooks::use_store;
use crate::i18n::{self, T};

/// Props of [`ScorePanel`].
#[derive(Properties, PartialEq)]
pub struct ScorePanelProps {
    /// The report from `zicha_core::score::score`.
    pub report: Rc<ScoreReport>,
    /// The day deadlines were checked against, `YYYY-MM-DD`.
    pub as_of: String,
    /// Section titles in the UI language, by section id.
    pub section_titles: Rc<Vec<String>>,
    /// When target 5 is counted on the project's register: the sources not assessed in the
    /// inspection's month, each as id and name.
    #[prop_or_default]
    pub unassessed: Rc<Vec<String>>,
}

/// The score panel.
#[function_component(ScorePanel)]
pub fn score_panel(props: &ScorePanelProps) -> Html {
    let store = use_store();
    let lang = store.lang();
    let t = |key: T| key.get(lang);
    let report = &props.report;

    let stop_work = report.stop_work.then(|| {
        let reasons = report.stop_work_reasons.iter().map(|reason| {
            html! { <li>{ reason.text.clone() }</li> }
        });
        html! {
            <div id="stop-work" class="stop-work" role="alert">
                <strong>{ format!("⚠ {}", t(T::StopWork)) }</strong>
                <ul>{ for reasons }</ul>
            </div>
        }
    });

    let grade = match report.grade {
        Some(grade) => i18n::grade(lang, grade).to_owned(),
        None if !report.incomplete.is_empty() => t(T::GradeIncomplete).to_owned(),
        None => t(T::NoGrade).to_owned(),
    };
    let incomplete = (!report.incomplete.is_empty()).then(|| {
        let missing = report.incomplete.iter().map(|missing| {
            html! { <li data-sheet={missing.sheet.clone()} data-item={missing.item.clone()}>{ i18n::missing(lang, missing) }</li> }
        });
        html! {
            <div id="score-incomplete" class="incomplete" role="status">
                <strong>{ t(T::GradeIncomplete) }</strong>
                <p>{ t(T::IncompleteMissing) }</p>
                <ul>{ for missing }</ul>
            </div>
        }
    });
    let grade_class = match report.grade {
        Some(zicha_core::score::Grade::Fail) => "grade fail",
        Some(_) => "grade pass",
        None => "grade",
    };

    // Every figure has an accessible name (its label), so a screen reader — and a test — finds
    // 「总分」 without reading the neighbouring text.
    let fraction = i18n::fraction(report.progress.answered, report.progress.items);
    let progress = html! {
        <div class="score-figure">
            <span class="label" id="score-progress-label">{ t(T::Progress) }</span>
            <span id="score-progress" class="value small" role="meter" aria-labelledby="score-progress-label"
                aria-valuemin="0" aria-valuemax={report.progress.items.to_string()}
                aria-valuenow={report.progress.answered.to_string()} aria-valuetext={fraction.clone()}>{ fraction }</span>
        </div>
    };

    let rates = report.five_100.iter().map(|rate| {
        // Target 4 counts hazards: none found is not a gap.
        let none_found = rate.target == Target::Hazards && rate.denominator == 0;
        let percent = match rate.percent() {
            Some(p) => format!("{}%", i18n::number(p)),
            None if none_found => t(T::NoHazardsFound).to_owned(),
            None => t(T::NotChecked).to_owned(),
        };
        let full = rate.percent() == Some(100.0);
        let register = (rate.basis == RateBasis::Register).then(|| {
            let text = if props.unassessed.is_empty() {
                t(T::AllAssessedThisMonth).to_owned()
            } else {
                format!("{}{}", t(T::UnassessedThisMonth), props.unassessed.join("；"))
            };
            html! { <span class="rate-register muted small-text">{ text }</span> }
        });
        // 未检查 is not a result: shown muted, not in the green of 100%.
        let state = if rate.denominator == 0 {
            (!none_found).then_some("unchecked")
        } else {
            (!full).then_some("short")
        };
        let title_id = format!("rate-{}-title", rate.target.key());
        // A meter only where there is a percentage; 未检查 / 未发现隐患 are plain text.
        let meter = rate.percent().map(i18n::number);
        html! {
            <li class="rate" data-target={rate.target.key()}>
                <span class="rate-title" id={title_id.clone()}>{ i18n::rate_title(lang, rate.target) }</span>
                <span class={classes!("rate-value", state)} role={meter.as_ref().map(|_| "meter")}
                    aria-labelledby={meter.as_ref().map(|_| title_id.clone())} aria-valuemin={meter.as_ref().map(|_| "0")}
                    aria-valuemax={meter.as_ref().map(|_| "100")} aria-valuenow={meter.clone()}>
                    <span class="rate-percent">{ percent }</span>
                    <span class="rate-fraction">{ format!(" ({})", i18n::fraction(rate.numerator, rate.denominator)) }</span>
                </span>
                { for register }
            </li>
        }
    });

    let summary = (!report.summary.is_empty()).then(|| {
        let rows = report.summary.iter().map(|row| {
            html! {
                <tr data-row={row.id.clone()}>
                    <th scope="row">{ row.title.clone() }</th>
                    <td>{ i18n::number(row.weight) }</td>
                    <td class="row-score">{ row.score.map(i18n::number).unwrap_or_else(|| "—".to_owned()) }</td>
                </tr>
            }
        });
        html! {
            <details class="summary-table">
                <summary>{ t(T::Summary) }</summary>
                <table>
                    <thead><tr><th scope="col">{ t(T::Row) }</th><th scope="col">{ t(T::Weight) }</th><th scope="col">{ t(T::RowScore) }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </details>
        }
    });

    let sections = report.sections.iter().enumerate().map(|(idx, section)| {
        let title = props.section_titles.get(idx).cloned().unwrap_or_else(|| section.title.clone());
        html! {
            <tr data-section={section.id.clone()}>
                <th scope="row">{ title }</th>
                <td class="section-score">{ format!("{}/{}", i18n::number(section.score), i18n::number(section.max)) }</td>
                <td>{ i18n::fraction(section.answered, section.items) }</td>
            </tr>
        }
    });

    html! {
        <section class="score-panel card" aria-labelledby="score-title" data-as-of={props.as_of.clone()}>
            <h2 id="score-title">{ t(T::ScoreTitle) }</h2>
            { for stop_work }
            if let Some(judgement) = &report.judgement {
                // No scoring standard: the 判定标准's verdict, not a percentage (issue 11 §6).
                <div class="score-head">
                    <div class="score-figure">
                        <span class="label" id="score-judgement-label">{ t(T::Judgement) }</span>
                        <span id="score-judgement" class={classes!("grade", if judgement.major_present { "fail" } else { "pass" })}
                            role="status" aria-labelledby="score-judgement-label"
                            data-major-found={judgement.major_found.to_string()}>{ i18n::verdict(lang, judgement) }</span>
                        <span id="score-judgement-counts" class="value small">{ i18n::judgement_counts(lang, judgement) }</span>
                    </div>
                    { progress.clone() }
                </div>
            } else {
            <div class="score-head">
                <div class="score-figure">
                    <span class="label" id="score-total-label">{ t(T::Total) }</span>
                    <span id="score-total" class="value" role="meter" aria-labelledby="score-total-label"
                        aria-valuemin="0" aria-valuemax="100" aria-valuenow={i18n::number(report.total)}>{ i18n::number(report.total) }</span>
                </div>
                <div class="score-figure">
                    <span class="label" id="score-grade-label">{ t(T::Grade) }</span>
                    <span id="score-grade" class={grade_class} role="status" aria-labelledby="score-grade-label">{ grade }</span>
                </div>
                { progress }
            </div>
            }
            { for incomplete }
            if !report.five_100.is_empty() {
                <h3>{ t(T::Five100) }</h3>
                <ul class="rates">{ for rates }</ul>
            }
            { for summary }
            <details class="section-table">
                <summary>{ t(T::SectionScores) }</summary>
                <table>
                    <tbody>{ for sections }</tbody>
                </table>
            </details>
        </section>
    }
}
