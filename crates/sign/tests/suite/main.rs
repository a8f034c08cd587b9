//! The integration tests of zicha-sign: one binary, a module per feature.

mod appearance;
mod attacks;
mod codes;
mod common;
mod embedded;
mod interop;
mod keys;
mod robustness;
mod verify;
