//! The `ferdelance` command-line program: every crate of the workspace behind one binary.
//!
//! Global options (`--backend`, `--threads`, `--json`) work before or after the subcommand.
//! With `--json`, stdout carries exactly one JSON object (streaming commands: one per line) and
//! nothing else; human text, progress bars and errors go to stderr. Exit codes: 0 success,
//! 1 runtime error, 2 bad usage.

mod cli;
mod tour;

use clap::{Parser, Subcommand};
use cli::{CliError, Global, Output};

/// The book High Performance Python, as fast Rust crates.
#[derive(Debug, Parser)]
#[command(name = "ferdelance", version, about, propagate_version = true)]
struct App {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Version, compiled features, SIMD instruction set and threads.
    Info,
    /// Run a command and report its resource usage, like GNU `time -v`.
    Time(cli::time::Args),
    #[command(flatten)]
    Fractal(cli::fractal::Cmd),
    #[command(flatten)]
    Stencil(cli::stencil::Cmd),
    #[command(flatten)]
    Primes(cli::primes::Cmd),
    #[command(flatten)]
    Probabilistic(cli::probabilistic::Cmd),
    #[command(flatten)]
    CompactText(cli::compact_text::Cmd),
    /// Walk through the book's experiments (run by `cargo xtask tour`).
    #[command(hide = true)]
    Tour(tour::Args),
}

fn run(command: Command, global: &Global) -> Result<Output, CliError> {
    match command {
        Command::Info => cli::info::run(global),
        Command::Time(args) => cli::time::run(args, global),
        Command::Fractal(cmd) => cli::fractal::run(cmd, global),
        Command::Stencil(cmd) => cli::stencil::run(cmd, global),
        Command::Primes(cmd) => cli::primes::run(cmd, global),
        Command::Probabilistic(cmd) => cli::probabilistic::run(cmd, global),
        Command::CompactText(cmd) => cli::compact_text::run(cmd, global),
        Command::Tour(args) => tour::run(args, global),
    }
}

fn main() {
    let app = match App::try_parse() {
        Ok(app) => app,
        Err(err) => {
            use clap::error::ErrorKind;
            if matches!(err.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = err.print();
                std::process::exit(0);
            }
            // One line: clap's message up to its usage block, joined.
            let text = err.render().to_string();
            let message = if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                "error: no subcommand given".to_string()
            } else {
                let lines: Vec<&str> = text
                    .lines()
                    .map(str::trim)
                    .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
                    .filter(|l| !l.is_empty())
                    .collect();
                lines.join(" ").trim_end_matches(':').to_string()
            };
            eprintln!("{message} (see `ferdelance --help`)");
            std::process::exit(2);
        }
    };
    let result = app.global.install(|| run(app.command, &app.global));
    match result.and_then(|out| out.print(&app.global)) {
        Ok(code) => std::process::exit(code),
        Err(err) => {
            eprintln!("error: {}", err.message);
            std::process::exit(err.code);
        }
    }
}
