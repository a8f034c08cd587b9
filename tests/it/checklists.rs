//! Tests: checklists.
