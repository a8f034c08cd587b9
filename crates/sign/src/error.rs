//! The crate's one error type.

use std::fmt;

/// Everything that can go wrong while creating keys and certificates or signing a PDF.
///
/// Verification does not fail with an error: a PDF that cannot be read is reported as invalid
/// with a reason (see [`crate::verify`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The PDF could not be parsed; the message says where.
    Pdf(String),
    /// The PDF is encrypted; signing and verifying encrypted PDFs is not supported.
    EncryptedPdf,
    /// A page index beyond the document's pages.
    PageOutOfRange {
        /// The requested page (0-based).
        page: usize,
        /// The number of pages in the document.
        pages: usize,
    },
    /// The CMS signature does not fit into the space reserved for /Contents.
    SignatureTooLarge {
        /// Bytes needed.
        needed: usize,
        /// Bytes reserved.
        reserved: usize,
    },
    /// A key could not be read, written or used.
    Key(String),
    /// A private key was offered without encryption; keys at rest must be encrypted PKCS#8.
    UnencryptedKey,
    /// The passphrase does not decrypt the key or the PKCS#12 file.
    WrongPassphrase,
    /// A certificate could not be read or built.
    Certificate(String),
    /// The certificate does not belong to the signing key.
    KeyCertificateMismatch,
    /// A PKCS#12 file could not be read or holds no private key.
    Pkcs12(String),
    /// The signature handed to the second phase is malformed or does not verify.
    BadSignatureValue(String),
    /// The key algorithm is not supported (only ECDSA P-256 and RSA are).
    UnsupportedAlgorithm(String),
    /// An argument is out of range or malformed (for example a credit code).
    InvalidArgument(String),
    /// The appearance font cannot be read, subset or embedded.
    Font(String),
    /// The certificate is expired or not yet valid at the signing time (RFC 3339 times).
    CertificateNotValidAt {
        /// The signing time.
        time: String,
        /// Start of validity.
        not_before: String,
        /// End of validity.
        not_after: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Pdf(message) => write!(f, "malformed pdf: {message}"),
            Error::EncryptedPdf => write!(f, "encrypted pdfs are not supported"),
            Error::PageOutOfRange { page, pages } => {
                write!(
                    f,
                    "page {} is out of range: the document has {pages} pages",
                    page + 1
                )
            }
            Error::SignatureTooLarge { needed, reserved } => write!(
                f,
                "the signature needs {needed} bytes but only {reserved} are reserved"
            ),
            Error::Key(message) => write!(f, "key error: {message}"),
            Error::UnencryptedKey => write!(f, "the private key is not encrypted"),
            Error::WrongPassphrase => write!(f, "wrong passphrase"),
            Error::Certificate(message) => write!(f, "certificate error: {message}"),
            Error::KeyCertificateMismatch => {
                write!(f, "the certificate does not belong to the signing key")
            }
            Error::Pkcs12(message) => write!(f, "pkcs#12 error: {message}"),
            Error::BadSignatureValue(message) => write!(f, "bad signature value: {message}"),
            Error::UnsupportedAlgorithm(message) => write!(f, "unsupported algorithm: {message}"),
            Error::InvalidArgument(message) => write!(f, "invalid argument: {message}"),
            Error::Font(message) => write!(f, "font error: {message}"),
            Error::CertificateNotValidAt {
                time,
                not_before,
                not_after,
            } => write!(
                f,
                "the certificate is not valid at {time}: it is valid from {not_before} to {not_after}"
            ),
        }
    }
}

impl std::error::Error for Error {}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, Error>;

pub(crate) fn pdf_error(message: impl Into<String>) -> Error {
    Error::Pdf(message.into())
}
