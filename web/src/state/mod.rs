//! The app's state: records over zicha-core types, the reducer, and the pure helpers it calls
//! (ids, filters, persistence diff, backup and restore, record migrations). Nothing here touches
//! the browser, so all of it is tested natively.

pub mod backup;
pub mod checklists;
pub mod ids;
pub mod imported;
pub mod jobs;
pub mod keys;
pub mod ledger;
pub mod migrate;
pub mod photo;
pub mod port;
pub mod records;
pub mod signature;
pub mod store;

// The extra module's page states (their pages are its own: pages/mod.rs).
#[cfg(feature = "extra")]
pub mod countersign;
#[cfg(feature = "extra")]
pub mod inbox;
#[cfg(feature = "extra")]
pub mod keys_page;
#[cfg(feature = "extra")]
pub mod report_page;
#[cfg(feature = "extra")]
pub mod verify;

pub use records::{Data, StoredHazard, StoredInspection, StoredProject, Write};
pub use store::{Action, AppState, Notice, NoticeKind};
