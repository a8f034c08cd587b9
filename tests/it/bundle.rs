//! Tests: bundle.
