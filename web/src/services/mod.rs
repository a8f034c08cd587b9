//! Browser glue: the only code that calls IndexedDB, canvas, files, the storage manager and the
//! service worker. Each function returns plain Rust values or a `Result` with the browser's words.

pub mod checklists;
pub mod clock;
pub mod db;
#[cfg(any(feature = "extra", feature = "worker"))]
pub mod envelope;
#[cfg(feature = "extra")]
pub mod exports;
pub mod extra;
#[cfg(feature = "extra")]
pub mod files;
pub mod photos;
#[cfg(feature = "extra")]
pub mod signature;
#[cfg(feature = "extra")]
pub mod signing;
pub mod storage;
pub mod sw;
#[cfg(feature = "extra")]
pub mod worker;
pub mod writer;
