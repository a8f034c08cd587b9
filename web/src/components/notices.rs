//! Messages for the user: failures as alerts (never swallowed), information as status.

use yew::prelude::*;

use crate::hooks::use_store;
use crate::i18n::T;
use crate::state::{Action, NoticeKind};

/// The list of open notices, each with a dismiss button.
#[function_component(Notices)]
pub fn notices() -> Html {
    let store = use_store();
    let lang = store.lang();
    if store.notices.is_empty() {
        return html! {};
    }
    let items = store.notices.iter().enumerate().map(|(idx, notice)| {
        let text = match notice.kind {
            NoticeKind::LoadFailed => format!(
                "{}{} {}",
                T::LoadFailed.get(lang),
                notice.detail,
                T::LoadFailedHelp.get(lang)
            ),
            NoticeKind::ChecklistsFailed => format!(
                "{}{} {}",
                T::ChecklistsFailed.get(lang),
                notice.detail,
                T::ChecklistsFailedHelp.get(lang)
            ),
            NoticeKind::StorageFailed => format!("{}{}", T::StorageFailed.get(lang), notice.detail),
            NoticeKind::QuotaExceeded => T::QuotaExceeded.get(lang).to_owned(),
            NoticeKind::InvalidAnswer => format!("{}{}", T::InvalidAnswer.get(lang), notice.detail),
            NoticeKind::TransitionRefused => {
                format!("{}{}", T::TransitionRefused.get(lang), notice.detail)
            }
            NoticeKind::RestoreFailed => format!("{}{}", T::RestoreFailed.get(lang), notice.detail),
            NoticeKind::PhotoFailed => format!("{}{}", T::PhotoFailed.get(lang), notice.detail),
            NoticeKind::ExportFailed => format!("{}{}", T::ExportFailed.get(lang), notice.detail),
            NoticeKind::StorageLow => T::StorageLow.get(lang).to_owned(),
            NoticeKind::UpdateReady => T::UpdateReady.get(lang).to_owned(),
            NoticeKind::RestoreDone => T::RestoreDone.get(lang).to_owned(),
            NoticeKind::ImportDone => T::ImportDone.get(lang).to_owned(),
            NoticeKind::OfflineReady => T::OfflineReady.get(lang).to_owned(),
            NoticeKind::OfflineMissing => format!("{}{}", T::OfflineMissing.get(lang), notice.detail),
        };
        let dismiss = {
            let store = store.clone();
            Callback::from(move |_| store.dispatch(Action::Dismiss(idx)))
        };
        let (class, role) = if notice.kind.is_error() {
            ("notice error", "alert")
        } else {
            ("notice info", "status")
        };
        html! {
            <div {class} {role} data-kind={format!("{:?}", notice.kind)}>
                <p>{ text }</p>
                <button type="button" class="button small" onclick={dismiss}>{ T::Dismiss.get(lang) }</button>
            </div>
        }
    });
    html! { <section class="notices" aria-live="polite">{ for items }</section> }
}
