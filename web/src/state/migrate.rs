//! Record schema versions and migrations. IndexedDB's own version number covers the stores (see
//! services/db.rs); this covers the JSON inside each record. Every record is written as
//! `{"schema": N, "record": …}`; reading upgrades older records step by step and refuses records
//! written by a newer Zicha instead of misreading them.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

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

/// Encodes a record in the current schema.
pub fn encode<T: Serialize>(record: &T) -> String {
    // Serialising our own serde types to a Value cannot fail (no maps with non-string keys).
    let record = serde_json::to_value(record).unwrap_or(Value::Null);
    json!({ "schema": RECORD_SCHEMA, "record": record }).to_string()
}

/// Decodes a record of any supported schema, upgrading it to the current one.
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, MigrateError> {
    let value: Value =
        serde_json::from_str(text).map_err(|error| MigrateError::Malformed(error.to_string()))?;
    let upgraded = upgrade(value)?;
    serde_json::from_value(upgraded).map_err(|error| MigrateError::Malformed(error.to_string()))
}

/// Takes a stored value to the current schema and returns the bare record.
fn upgrade(value: Value) -> Result<Value, MigrateError> {
    // Schema 0: the development builds stored the bare record without an envelope.
    let (mut schema, mut record) = match value {
        Value::Object(mut map) if map.contains_key("schema") && map.contains_key("record") => {
            let schema = map
                .get("schema")
                .and_then(Value::as_u64)
                .ok_or_else(|| MigrateError::Malformed("schema is not a number".to_owned()))?;
            (schema, map.remove("record").unwrap_or(Value::Null))
        }
        other => (0, other),
    };
    if schema > RECORD_SCHEMA {
        return Err(MigrateError::Newer(schema));
    }
    while schema < RECORD_SCHEMA {
        record = match schema {
            // 0 → 1: only the envelope changed.
            0 => record,
            _ => unreachable!("every schema below RECORD_SCHEMA has a step"),
        };
        schema += 1;
    }
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
