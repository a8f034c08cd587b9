//! The enterprise profile: every field saved as it is typed; the 统一社会信用代码 is checked live and
//! the message names the expected check character.

use yew::prelude::*;
use zicha_core::org::{Organisation, validate_credit_code};

use crate::components::input_value;
use crate::hooks::use_store;
use crate::i18n::{Lang, T};
use crate::state::Action;

/// The credit code check as text: `Ok` with the normalised code, or the message.
pub fn credit_code_message(lang: Lang, code: &str) -> Result<(), String> {
    validate_credit_code(code)
        .map(|_| ())
        .map_err(|error| match lang {
            Lang::Zh => error.zh(),
            Lang::En => error.to_string(),
        })
}

/// The profile form.
#[function_component(ProfileForm)]
pub fn profile_form() -> Html {
    let store = use_store();
    let lang = store.lang();
    let t = |key: T| key.get(lang);
    let profile: Organisation = store.data.profile.as_deref().cloned().unwrap_or_default();

    let field = |id: &'static str, label: T, value: &str, set: fn(&mut Organisation, String)| {
        let store = store.clone();
        let profile = profile.clone();
        let oninput = Callback::from(move |event: InputEvent| {
            let mut updated = profile.clone();
            set(&mut updated, input_value(&event));
            store.dispatch(Action::SaveProfile(updated));
        });
        html! {
            <div class="field">
                <label for={id}>{ t(label) }</label>
                <input {id} type="text" value={value.to_owned()} {oninput} autocomplete="off" />
            </div>
        }
    };

    let code_check =
        (!profile.credit_code.is_empty()).then(|| credit_code_message(lang, &profile.credit_code));
    let code_store = store.clone();
    let code_profile = profile.clone();
    let on_code = Callback::from(move |event: InputEvent| {
        let mut updated = code_profile.clone();
        updated.credit_code = input_value(&event);
        code_store.dispatch(Action::SaveProfile(updated));
    });
    let (code_class, code_text) = match &code_check {
        None => ("hint", t(T::CreditCodeHint).to_owned()),
        Some(Ok(())) => ("hint ok", format!("✓ {}", t(T::CreditCodeOk))),
        Some(Err(message)) => ("hint error", message.clone()),
    };
    let invalid = matches!(code_check, Some(Err(_)));

    html! {
        <section class="card" aria-labelledby="profile-title">
            <h2 id="profile-title">{ t(T::ProfileTitle) }</h2>
            <p class="muted">{ t(T::ProfileIntro) }</p>
            <div class="form-grid">
                { field("org-name", T::OrgName, &profile.name, |o, v| o.name = v) }
                <div class="field">
                    <label for="org-credit-code">{ t(T::CreditCode) }</label>
                    <input id="org-credit-code" type="text" value={profile.credit_code.clone()}
                        oninput={on_code} autocomplete="off" autocapitalize="characters"
                        spellcheck="false" maxlength="18" class="mono"
                        aria-invalid={invalid.to_string()} aria-describedby="org-credit-code-hint" />
                    <p id="org-credit-code-hint" class={code_class} aria-live="polite">{ code_text }</p>
                </div>
                { field("org-address", T::Address, &profile.address, |o, v| o.address = v) }
                { field("org-legal", T::LegalRep, &profile.legal_representative, |o, v| o.legal_representative = v) }
                { field("org-safety-lead", T::SafetyLead, &profile.safety_lead, |o, v| o.safety_lead = v) }
            </div>
        </section>
    }
}
