//! Browser glue: the only code that calls IndexedDB, canvas, files, the storage manager and the
//! service worker. Each function returns plain Rust values or a `Result` with the browser's words.
//!
//! Which wasm module holds a service is decided here, on its `mod` line: the app shell's services
//! first, then those of the extra UI module (`extra`: exports, keys, signatures, the report
//! worker), then the one the worker shares.

pub mod checklists;
pub mod clock;
pub mod db;
pub mod extra;
pub mod photos;
pub mod storage;
pub mod sw;
pub mod writer;

#[cfg(feature = "extra")]
pub mod blobs;
#[cfg(feature = "extra")]
pub mod checklist_source;
#[cfg(feature = "extra")]
pub mod exports;
#[cfg(feature = "extra")]
pub mod files;
#[cfg(feature = "extra")]
pub mod imported;
#[cfg(feature = "extra")]
pub mod inbox;
#[cfg(feature = "extra")]
pub mod persistent;
#[cfg(feature = "extra")]
pub mod signature;
#[cfg(feature = "extra")]
pub mod signing;
#[cfg(feature = "extra")]
pub mod worker;

#[cfg(any(feature = "extra", feature = "worker", feature = "verify"))]
pub mod envelope;
