//! Every bound zicha-sign puts on what it reads, in one place, so that a hostile PDF, key or
//! certificate file cannot make it recurse, loop, allocate or compute without end. Each is tested
//! just under and just over (`limits/tests.rs`); ARCHITECTURE.md's table of limits lists
//! them with zicha-core's. A limit reached is an error naming it (a PDF: a malformed-PDF error,
//! which verification reports as invalid).

/// Nesting of arrays and dictionaries in one PDF object: deeper is refused rather than risking
/// the stack (every level is a recursive call of the object parser).
pub const MAX_OBJECT_DEPTH: usize = 64;

/// Cross-reference sections followed through /Prev (and /XRefStm) from one `startxref`: a report
/// with three signatures has four.
pub const MAX_XREF_SECTIONS: usize = 10_000;

/// The largest object number a cross-reference section may list: 2^23 − 1, PDF 1.7's
/// implementation limit (ISO 32000-1, Annex C, table C.1).
pub const MAX_OBJECT_NUMBER: u64 = 8_388_607;

/// Pages in one document.
pub const MAX_PAGES: usize = 100_000;

/// Depth of the page tree, of reference chains (`1 0 R` naming `2 0 R` ...) and of inherited
/// page attributes.
pub const MAX_TREE_DEPTH: usize = 64;

/// Bytes one stream may decode to (FlateDecode): a defence against deflate bombs. The largest
/// stream of a Zicha report is its embedded inspection.json or a font, a few MB.
pub const MAX_DECODED_BYTES: usize = 512 * 1024 * 1024;

/// Nodes of the embedded-files name tree visited.
pub const MAX_NAME_TREE_NODES: usize = 10_000;

/// Objects one digest of [`crate::PdfView`] visits (a page's resources and what they refer to).
pub const MAX_DIGEST_OBJECTS: usize = 10_000;

/// Objects the check of the changes after a signature visits.
pub const MAX_WALK_OBJECTS: usize = 200_000;

/// Depth of the form field tree the check of the changes after a signature follows.
pub const MAX_FIELD_DEPTH: usize = 32;

/// Iterations of a password-based key derivation (PBKDF2 in encrypted PKCS#8 and PKCS#12, the
/// PKCS#12 KDF of its MAC and legacy ciphers): above OWASP's 600,000 for PBKDF2-HMAC-SHA256
/// (<https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html>), far
/// above OpenSSL 3's default of 2,048. A file asking for more is refused before any is done
/// (2^31 would take hours).
pub const MAX_KDF_ITERATIONS: u64 = 1_000_000;

/// Memory an scrypt key derivation may take, 128 · r · N bytes: twice what our own key files
/// ask for (N = 2^[`crate::KEY_FILE_SCRYPT_LOG_N`], r = 8: 128 MiB).
pub const MAX_SCRYPT_MEMORY_BYTES: u64 = 256 * 1024 * 1024;

/// Work of an scrypt key derivation, N · r · p: twice our own key files' (2^17 · 8 · 1, 0.76 s),
/// which also admits OpenSSL's default (2^14 · 8 · 16).
pub const MAX_SCRYPT_WORK: u64 = 1 << 21;

#[cfg(test)]
mod tests;
