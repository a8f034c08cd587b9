//! Messages for the user above the screen: failures as alerts (never swallowed), then information
//! as status. (Floating over the bottom of the window, information covered the buttons of a 390 px
//! screen.) Confirmations of the user's own action go by themselves after [`SHOWN_MS`].

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::hooks::use_store;
use crate::i18n::T;
use crate::state::{Action, NoticeKind};

/// How long information that needs nothing from the user stays on screen.
const SHOWN_MS: u32 = 12_000;

/// Information that goes by itself: the confirmation of what the user just did. What the app tells
/// unasked (an update waiting for the next start) stays until closed, so that it is not missed.
/// (That the app works offline is a status in the header, `app.rs`, not a notice.)
fn passing(kind: NoticeKind) -> bool {
    matches!(kind, NoticeKind::RestoreDone | NoticeKind::ImportDone)
}

/// The open notices, each with a dismiss button: errors first, then information.
#[function_component(Notices)]
pub fn notices() -> Html {
    let store = use_store();
    let lang = store.lang();
    {
        // Any change of the list restarts the clock (and the index stays the notice's).
        let store = store.clone();
        use_effect_with(store.notices.clone(), move |notices| {
            let first = notices.iter().position(|notice| passing(notice.kind));
            // gloo's Timeout: dropping it (the effect's clean-up) cancels it.
            let timer = first
                .map(|idx| Timeout::new(SHOWN_MS, move || store.dispatch(Action::Dismiss(idx))));
            move || drop(timer)
        });
    }
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
        let html = html! {
            <div {class} {role} data-kind={format!("{:?}", notice.kind)}>
                <p>{ text }</p>
                // Storage full or nearly: the way to a backup (settings), which takes the
                // records from this page's memory, the change not saved included.
                if matches!(notice.kind, NoticeKind::QuotaExceeded | NoticeKind::StorageLow) {
                    <a href="#/settings" class="button small notice-backup">{ T::GoToBackup.get(lang) }</a>
                }
                <button type="button" class="button small" onclick={dismiss}>{ T::Dismiss.get(lang) }</button>
            </div>
        };
        (notice.kind.is_error(), html)
    });
    let (errors, information): (Vec<_>, Vec<_>) = items.partition(|(error, _)| *error);
    html! {
        <>
            if !errors.is_empty() {
                <section class="notices" aria-live="polite">{ for errors.into_iter().map(|(_, html)| html) }</section>
            }
            if !information.is_empty() {
                <section class="notices toasts" aria-live="polite">{ for information.into_iter().map(|(_, html)| html) }</section>
            }
        </>
    }
}
