//! The one error type of zicha-report.

use std::fmt;

/// Why a report could not be rendered. Problems with single photos or characters are not errors:
/// they come back as [`crate::Warning`]s with a complete report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The font bytes cannot be used.
    Font(String),
    /// The PDF could not be assembled.
    Pdf(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Font(message) => write!(f, "font: {message}"),
            Error::Pdf(message) => write!(f, "pdf: {message}"),
        }
    }
}

impl std::error::Error for Error {}

/// The result type of zicha-report.
pub type Result<T> = std::result::Result<T, Error>;
