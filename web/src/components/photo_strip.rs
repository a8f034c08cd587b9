//! Photos of an answer or a hazard: thumbnails of the stored Blobs, "take photo" (the camera on
//! phones, through a file input with `capture`) and "choose image". Each file is downscaled and
//! stored before the record refers to it.

use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use zicha_core::hash::Sha256;

use crate::hooks::{use_photo_url, use_store};
use crate::i18n::T;
use crate::services::photos;
use crate::state::{Action, Notice, NoticeKind};

/// Props of [`PhotoStrip`].
#[derive(Properties, PartialEq)]
pub struct PhotoStripProps {
    /// Unique prefix for element ids.
    pub id: String,
    /// The photos.
    pub photos: Vec<Sha256>,
    /// Called with the hash of each stored photo.
    pub on_add: Callback<Sha256>,
    /// Called to remove a photo; no remove buttons without it.
    #[prop_or_default]
    pub on_remove: Option<Callback<Sha256>>,
    /// Read-only.
    #[prop_or_default]
    pub disabled: bool,
    /// Heading above the strip.
    #[prop_or_default]
    pub label: Option<String>,
}

/// The photo strip.
#[function_component(PhotoStrip)]
pub fn photo_strip(props: &PhotoStripProps) -> Html {
    let store = use_store();
    let lang = store.lang();
    let busy = use_state(|| 0usize);

    let on_files = {
        let store = store.clone();
        let busy = busy.clone();
        let on_add = props.on_add.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(files) = input.files() else { return };
            let files: Vec<web_sys::File> =
                (0..files.length()).filter_map(|i| files.get(i)).collect();
            input.set_value("");
            busy.set(*busy + files.len());
            let store = store.clone();
            let busy = busy.clone();
            let on_add = on_add.clone();
            spawn_local(async move {
                for file in files {
                    match photos::add(&file).await {
                        Ok(hash) => on_add.emit(hash),
                        Err(error) => {
                            let kind = if error.is_quota() {
                                NoticeKind::QuotaExceeded
                            } else {
                                NoticeKind::PhotoFailed
                            };
                            store.dispatch(Action::Notify(Notice {
                                kind,
                                detail: error.0,
                            }));
                        }
                    }
                }
                busy.set(0);
            });
        })
    };

    let thumbs = props.photos.iter().map(|hash| {
        let on_remove = props
            .on_remove
            .clone()
            .filter(|_| !props.disabled)
            .map(|cb| {
                let hash = *hash;
                Callback::from(move |_| cb.emit(hash))
            });
        html! { <Thumb hash={*hash} {on_remove} /> }
    });

    let camera_id = format!("{}-camera", props.id);
    let file_id = format!("{}-file", props.id);
    html! {
        <div class="photos" data-count={props.photos.len().to_string()}>
            if let Some(label) = &props.label {
                <h4 class="photos-label">{ label.clone() }</h4>
            }
            if !props.photos.is_empty() {
                <ul class="thumbs">{ for thumbs }</ul>
            }
            if !props.disabled {
                <div class="photo-buttons">
                    <span class="file-button">
                        <input id={camera_id.clone()} class="visually-hidden" type="file" accept="image/*"
                            capture="environment" onchange={on_files.clone()} />
                        <label for={camera_id} class="button">{ T::TakePhoto.get(lang) }</label>
                    </span>
                    <span class="file-button">
                        <input id={file_id.clone()} class="visually-hidden photo-file" type="file" accept="image/*"
                            multiple=true onchange={on_files} />
                        <label for={file_id} class="button">{ T::ChoosePhoto.get(lang) }</label>
                    </span>
                    if *busy > 0 {
                        <span class="hint" role="status" aria-busy="true">{ T::PhotoWorking.get(lang) }</span>
                    }
                </div>
            }
        </div>
    }
}

/// Props of [`Thumb`].
#[derive(Properties, PartialEq)]
pub struct ThumbProps {
    /// The photo.
    pub hash: Sha256,
    /// Remove button.
    #[prop_or_default]
    pub on_remove: Option<Callback<()>>,
}

/// One thumbnail.
#[function_component(Thumb)]
pub fn thumb(props: &ThumbProps) -> Html {
    let store = use_store();
    let lang = store.lang();
    let url = use_photo_url(props.hash);
    let alt = format!("{} {}", T::Photos.get(lang), props.hash.short(8));
    html! {
        <li class="thumb" data-hash={props.hash.to_string()}>
            if let Some(url) = url {
                <a href={url.clone()} target="_blank" rel="noopener"><img src={url} alt={alt} loading="lazy" /></a>
            } else {
                <span class="thumb-placeholder" aria-hidden="true"></span>
            }
            if let Some(on_remove) = props.on_remove.clone() {
                <button type="button" class="button small" onclick={move |_| on_remove.emit(())}
                    aria-label={format!("{} {}", T::Delete.get(lang), props.hash.short(8))}>{ "×" }</button>
            }
        </li>
    }
}
