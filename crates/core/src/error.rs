//! The one error type of zicha-core.

use std::fmt;

/// A failure of a core operation. Checklist files do not fail with this type: their problems are
/// collected as [`crate::checklist::Problem`]s so that all of them can be shown at once.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// A value is not acceptable; `field` names where it sits (e.g. `answers.b1-01`).
    Invalid {
        /// Path of the offending field.
        field: String,
        /// What is wrong, lower case, no trailing period.
        message: String,
    },
    /// A hazard cannot move from one status to another.
    Transition {
        /// The hazard's id.
        hazard: String,
        /// What is wrong.
        message: String,
    },
    /// Text is not a date or date-time in the expected format, or a date-time cannot be written in
    /// it ([`crate::dates`]).
    Date {
        /// The text (or, when writing, the value) concerned.
        text: String,
        /// The format, e.g. `date (YYYY-MM-DD)`.
        format: &'static str,
        /// What is wrong and where, lower case, no trailing period.
        message: String,
    },
    /// A bundle file cannot be read or written.
    Bundle(String),
    /// A bundle was written by a newer Zicha.
    UnsupportedVersion {
        /// The version found in the file.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
}

impl Error {
    /// Shorthand for [`Error::Invalid`].
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid { field, message } => write!(f, "{field}: {message}"),
            Error::Transition { hazard, message } => write!(f, "hazard {hazard}: {message}"),
            Error::Date {
                text,
                format,
                message,
            } => write!(f, "invalid {format} {text:?}: {message}"),
            Error::Bundle(message) => write!(f, "bundle: {message}"),
            Error::UnsupportedVersion { found, supported } => write!(
                f,
                "bundle schema version {found} is newer than this Zicha supports ({supported}); \
                 update Zicha to open it"
            ),
        }
    }
}

impl std::error::Error for Error {}

/// The result type of zicha-core.
pub type Result<T> = std::result::Result<T, Error>;
