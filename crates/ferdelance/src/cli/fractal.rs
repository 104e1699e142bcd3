//! The `fractal` subcommands (not built yet).

use super::{CliError, Global, Output};

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Cmd {
    /// Placeholder until the crate's subcommands land.
    #[command(hide = true, name = "fractal-pending")]
    Pending,
}

pub(crate) fn run(cmd: Cmd, _global: &Global) -> Result<Output, CliError> {
    match cmd {
        Cmd::Pending => Err(CliError::runtime("not built yet")),
    }
}
