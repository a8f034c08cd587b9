//! Persistent storage (settings, in the extra module): whether the browser keeps this origin's
//! data under storage pressure, and asking it to.

use wasm_bindgen_futures::JsFuture;

use crate::services::storage::manager;

/// Whether persistent storage is granted.
pub async fn persisted() -> bool {
    let Some(promise) = manager().and_then(|m| m.persisted().ok()) else {
        return false;
    };
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Asks for persistent storage; returns whether it is granted.
pub async fn persist() -> bool {
    let Some(promise) = manager().and_then(|m| m.persist().ok()) else {
        return false;
    };
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
