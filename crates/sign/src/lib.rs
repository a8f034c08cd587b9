//! zicha-sign creates signing keys and self-issued certificates, imports PKCS#12 files, signs PDF
//! bytes as PAdES B-B (ETSI.CAdES.detached) incremental updates, and verifies signed PDFs strictly:
//! ByteRange, digest, CMS attributes, certificate, and every change appended after each signature.
//! It takes bytes and returns bytes or a verification report; it reads no clock (times are passed
//! in), touches no file system and builds for wasm32-unknown-unknown. It knows nothing of
//! checklists or inspections: embedded files are handed back as bytes for the caller to interpret.
//! The visible signature shows signer, organisation, role, time and certificate fingerprint fitted
//! to the widget; in Chinese with a subset of a caller-supplied font ([`AppearanceFont`], e.g. the
//! report's WenQuanYi Micro Hei), else in Helvetica with English labels.
//! It does not build certificate chains to a CA, check revocation, or add timestamps (PAdES B-T);
//! trust is a list of certificate fingerprints: with one, a signer not on it makes the document
//! `unregistered`; without one, every report says that who signed was not checked. Signing times
//! are the signer's claim. A caller that knows which party a signature stands for checks the
//! certificate against it with [`SignatureReport::check_party`].

#![deny(missing_docs)]

mod appearance;
mod cert;
mod cms;
mod diff;
mod embedded;
mod error;
mod findings;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod keys;
pub mod limits;
mod pdf;
mod sign;
mod verify;
mod view;

pub use appearance::{AppearanceFont, Ink};
pub use cert::{
    Certificate, CertificateSubject, assemble_certificate, credit_code_is_valid,
    self_issued_certificate, self_issued_tbs,
};
pub use embedded::{EmbeddedFile, embedded_files, embedded_files_with};
pub use error::{Error, Result};
pub use findings::{Finding, Verdict};
pub use keys::{KEY_FILE_SCRYPT_LOG_N, KeyAlgorithm, Pkcs12Identity, SigningKey, import_pkcs12};
pub use sign::{
    DEFAULT_RESERVED_BYTES, PreparedSignature, PreparedUpdate, SignOptions, prepare,
    prepare_update, sign, sign_update,
};
pub use verify::{
    Party, SignatureReport, TimeSource, Trust, TrustList, Update, UpdateKind, VerificationReport,
    fingerprint_hex, same_unit_name, verify,
};
pub use view::{PageView, PdfView, ResourceView, changes_between, revision_ends};
