//! zicha-web is the Zicha browser app: a Yew single-page app that runs self-inspections offline,
//! keeps every answer, photo and hazard in IndexedDB the moment it is entered, shows the scores and
//! rates computed by zicha-core, and backs everything up as `.zicha` bundles.
//!
//! It deliberately knows nothing of scoring rules, checklist formats or the bundle layout: those are
//! zicha-core's. `state/` holds reducers and pure helpers over core types (tested natively);
//! `services/` is the only place that touches browser APIs (IndexedDB, canvas, files, storage
//! manager, service worker); `pages/` and `components/` render; `i18n/` is the one string catalog.

#![deny(missing_docs)]

mod app;
mod components;
#[cfg(feature = "extra")]
pub mod extra;
mod hooks;
pub mod i18n;
mod pages;
mod route;
mod services;
pub mod state;
#[cfg(any(feature = "worker", feature = "verify"))]
pub mod worker;

pub use app::App;
