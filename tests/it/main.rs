//! Cross-crate and CLI tests: one binary, one module per feature.

mod bundle;
mod checklists;
mod cli;
mod contract;
mod ledger;
mod parties;
mod register;
mod report;
mod scoring;
mod sheets;
mod signing;
mod support;
mod validation;
mod verify_batch;
