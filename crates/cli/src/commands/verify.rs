//! `zicha verify`: a placeholder until its issue lands (exit code 2 with a clear message).

use crate::Io;

/// Arguments of `zicha verify`.
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(_args: Args, _io: &mut Io<'_>) -> anyhow::Result<u8> {
    anyhow::bail!("`zicha verify` is not available in this build yet")
}
