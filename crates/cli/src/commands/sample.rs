//! `zicha sample`.

use crate::Io;

/// Arguments of `zicha sample`.
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(_args: Args, _io: &mut Io<'_>) -> anyhow::Result<u8> {
    anyhow::bail!("not implemented yet")
}
