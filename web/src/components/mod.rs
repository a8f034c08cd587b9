//! Components, one per file, each with its `<Name>Props`.

pub mod extra_host;
pub mod hazard_card;
pub mod item_card;
pub mod new_inspection;
pub mod notices;
pub mod photo_strip;
pub mod profile_form;
pub mod project_editor;
pub mod score_panel;
#[cfg(feature = "extra")]
pub mod signature_pad;

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The value of the input that fired `event`.
pub fn input_value(event: &InputEvent) -> String {
    event.target_unchecked_into::<HtmlInputElement>().value()
}

/// The value of the textarea that fired `event`.
pub fn textarea_value(event: &InputEvent) -> String {
    event.target_unchecked_into::<HtmlTextAreaElement>().value()
}

/// The value of the select that fired `event`.
pub fn select_value(event: &Event) -> String {
    event.target_unchecked_into::<HtmlSelectElement>().value()
}

/// Whether the checkbox that fired `event` is checked.
pub fn checked(event: &Event) -> bool {
    event.target_unchecked_into::<HtmlInputElement>().checked()
}
