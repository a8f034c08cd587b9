//! One module per subcommand: `Args` (clap) and `run(args, io) -> anyhow::Result<exit code>`.

pub mod checklists;
pub mod lint;
pub mod sample;
pub mod score;
