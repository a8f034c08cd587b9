//! Every bound zicha-core puts on what it reads from outside, in one place: a `.zicha` bundle
//! (a zip anyone can make) must not make the app or the CLI allocate or inflate without end.
//! Each is tested just under and just over (`bundle/limits_tests.rs`); ARCHITECTURE.md's table of
//! limits lists them with zicha-sign's. A limit reached is an [`crate::Error::Bundle`] naming it.
//! The text formats rely on their parsers' own bounds: serde_json nests at most 128 levels deep,
//! the TOML parser of checklists is not recursive in its input beyond what its spans bound.

/// Entries (files and folders) in one bundle. A bundle holds inspection.json, checklist.toml and
/// one entry per photo: 10,000 is fifty times the 200-photo report of `scripts/bench-memory.sh`.
pub const MAX_BUNDLE_ENTRIES: usize = 10_000;

/// Uncompressed bytes of one entry: a photo, inspection.json or checklist.toml.
pub const MAX_ENTRY_BYTES: u64 = 256 * 1024 * 1024;

/// Uncompressed bytes of all entries together: more than a 32-bit wasm memory can hold next to
/// the app is refused before it is read.
pub const MAX_BUNDLE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// How many times larger than its compressed size an entry may inflate (a zip bomb's ratio is
/// deflate's 1,032). JSON and TOML compress 5 to 20 times; photos are stored. Entries up to
/// [`RATIO_FREE_BYTES`] are not held to it.
pub const MAX_COMPRESSION_RATIO: u64 = 100;

/// Entries this small inflate as they like: a short file of repeated text compresses beyond
/// [`MAX_COMPRESSION_RATIO`] and costs nothing.
pub const RATIO_FREE_BYTES: u64 = 1024 * 1024;
