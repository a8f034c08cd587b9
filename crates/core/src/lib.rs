//! zicha-core is Zicha's domain: sector checklists (schema, parsing with positions, lint),
//! organisations and projects, inspections and their answers, the hazard ledger (一患一档一策),
//! scoring (JGJ 59-2011 and points), the five 100% rates, the stop-work verdict, and the `.zicha`
//! bundle that the app, the CLI and the tests exchange.
//!
//! It deliberately knows nothing of files, clocks, randomness, networks or the browser: text and
//! bytes come in as arguments, dates ("today", "as of") are passed by the caller, and every function
//! gives the same output for the same input on native and wasm32 targets.

#![deny(missing_docs)]

pub mod bundle;
pub mod catalog;
pub mod checklist;
pub mod dates;
mod error;
pub mod hash;
pub mod inspection;
pub mod ledger;
pub mod limits;
pub mod org;
pub mod sample;
pub mod score;

pub use error::{Error, Result};
