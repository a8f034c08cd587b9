//! Record schema versions and migrations. IndexedDB's own version number covers the stores (see
//! services/db.rs); this covers the JSON inside each record. Every record is written as
//! `{"schema": N, "record": …}`; reading upgrades older records step by step and refuses records
//! written by a newer Zicha instead of misreading them.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The record schema this build writes.
pub const RECORD_SCHEMA: u64 = 1;

/// Why a stored record cannot be read.
#[derive(Debug, Clone, PartialEq)]
pub enum MigrateError {
    /// Written by a newer Zicha.
    Newer(u64),
    /// Not JSON, or not the expected shape.
    Malformed(String),
}

impl std::fmt::Display for MigrateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MigrateError::Newer(found) => write!(
                f,
                "record schema {found} is newer than this app ({RECORD_SCHEMA}); update the app"
            ),
            MigrateError::Malformed(message) => write!(f, "damaged record: {message}"),
        }
    }
}

/// The stored form: `{"schema": N, "record": …}`.
#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    schema: u64,
    record: T,
}

/// Only the envelope's schema number (the record is skipped, not built).
#[derive(Deserialize)]
struct Schema {
    schema: Option<serde::de::IgnoredAny>,
}

/// Encodes a record in the current schema.
pub fn encode<T: Serialize>(record: &T) -> String {
    // Serialising our own serde types cannot fail (no maps with non-string keys).
    serde_json::to_string(&Envelope {
        schema: RECORD_SCHEMA,
        record,
    })
    .unwrap_or_default()
}

/// Decodes a record of any supported schema, upgrading it to the current one.
///
/// Straight from the text into `T`, without a `serde_json::Value` in between, as the port
/// (state/port.rs) reads its messages: each record type then has one deserializer in the app
/// shell, not one for text and one for `Value` (with the port going direct too, the shell's wasm
/// went from 347.1 to 340.2 KB gzip, 2026-12-06). A future schema step that must rewrite the JSON
/// can go through a `Value` again for that schema only.
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, MigrateError> {
    let malformed = |error: serde_json::Error| MigrateError::Malformed(error.to_string());
    // Schema 0: the development builds stored the bare record without an envelope.
    let enveloped = serde_json::from_str::<Schema>(text)
        .map_err(malformed)?
        .schema
        .is_some();
    if !enveloped {
        return serde_json::from_str(text).map_err(malformed);
    }
    let Envelope { schema, record } =
        serde_json::from_str::<Envelope<T>>(text).map_err(|error| {
            // A newer schema may have a record this build cannot read: say "newer", not "damaged".
            match serde_json::from_str::<Envelope<serde::de::IgnoredAny>>(text) {
                Ok(envelope) if envelope.schema > RECORD_SCHEMA => {
                    MigrateError::Newer(envelope.schema)
                }
                _ => malformed(error),
            }
        })?;
    if schema > RECORD_SCHEMA {
        return Err(MigrateError::Newer(schema));
    }
    // 0 → 1 changed only the envelope; there is no later step yet.
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::StoredProject;

    #[track_caller]
    fn check(text: &str, expected: Result<&str, MigrateError>) {
        let decoded = decode::<StoredProject>(text).map(|stored| stored.project.name);
        assert_eq!(decoded.as_deref().map_err(Clone::clone), expected);
    }

    #[test]
    fn versions() {
        let current = r#"{"schema":1,"record":{"id":"P-1","project":{"name":"甲"}}}"#;
        check(current, Ok("甲"));
        check(r#"{"id":"P-1","project":{"name":"乙"}}"#, Ok("乙"));
        check(
            r#"{"schema":2,"record":{"id":"P-1","project":{"name":"丙"}}}"#,
            Err(MigrateError::Newer(2)),
        );
        assert!(matches!(
            decode::<StoredProject>("not json"),
            Err(MigrateError::Malformed(_))
        ));
    }

    #[test]
    fn round_trip() {
        let project = StoredProject {
            id: "P-1".into(),
            project: zicha_core::org::Project {
                name: "甲".into(),
                ..Default::default()
            },
        };
        assert_eq!(decode::<StoredProject>(&encode(&project)), Ok(project));
    }
}
