//! Tests: scoring.
