//! The integration tests of zicha-sign: one binary, a module per feature.

mod common;
mod smoke;
mod verify;
