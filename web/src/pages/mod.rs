//! The four screens.

pub mod home;
pub mod inspection;
pub mod ledger;
pub mod settings;
