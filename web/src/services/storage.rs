//! The storage manager: how much is used, the quota, and persistent storage.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{StorageEstimate, StorageManager};

/// Storage use as the browser reports it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Bytes used by this origin.
    pub usage: f64,
    /// Bytes this origin may use.
    pub quota: f64,
}

impl Estimate {
    /// Less than 15% or 50 MB of the quota left: warn before anything fails.
    pub fn is_low(&self) -> bool {
        let free = self.quota - self.usage;
        self.quota > 0.0 && (free < 50.0 * 1_048_576.0 || free / self.quota < 0.15)
    }
}

/// The storage manager, when the browser has one.
pub(crate) fn manager() -> Option<StorageManager> {
    let navigator = web_sys::window()?.navigator();
    // Older browsers have no navigator.storage: report "unknown" rather than fail.
    js_sys::Reflect::get(&navigator, &"storage".into())
        .ok()
        .filter(|value| !value.is_undefined())
        .and_then(|value| value.dyn_into::<StorageManager>().ok())
}

/// The current estimate, when the browser gives one.
pub async fn estimate() -> Option<Estimate> {
    let promise = manager()?.estimate().ok()?;
    let estimate: StorageEstimate = JsFuture::from(promise).await.ok()?.unchecked_into();
    Some(Estimate {
        usage: estimate.get_usage().unwrap_or(0.0),
        quota: estimate.get_quota().unwrap_or(0.0),
    })
}
