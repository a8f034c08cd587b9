//! The screens, one per route. Keys, sign & export, verify, settings and checklists are compiled
//! into the extra module only (services/extra.rs).

#[cfg(feature = "extra")]
pub mod checklists;
#[cfg(feature = "extra")]
pub mod countersign;
pub mod home;
#[cfg(feature = "extra")]
pub mod inbox;
pub mod inspection;
#[cfg(feature = "extra")]
pub mod keys;
pub mod ledger;
#[cfg(feature = "extra")]
pub mod report;
#[cfg(feature = "extra")]
pub mod settings;
#[cfg(feature = "extra")]
pub mod verify;
