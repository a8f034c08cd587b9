//! The screens, one per route.

pub mod home;
pub mod inspection;
pub mod keys;
pub mod ledger;
pub mod report;
pub mod settings;
pub mod verify;
