//! Browser glue: the only code that calls IndexedDB, canvas, files, the storage manager and the
//! service worker. Each function returns plain Rust values or a `Result` with the browser's words.

pub mod checklists;
pub mod clock;
pub mod db;
pub mod envelope;
pub mod exports;
pub mod files;
pub mod photos;
pub mod signature;
pub mod signing;
pub mod storage;
pub mod sw;
pub mod worker;
pub mod writer;
