//! What every subcommand shares: global options, output, errors, progress bars.

pub(crate) mod compact_text;
pub(crate) mod fractal;
pub(crate) mod info;
pub(crate) mod primes;
pub(crate) mod probabilistic;
pub(crate) mod stencil;
pub(crate) mod time;

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use ferdelance::{Backend, ThreadCount};

/// Options accepted by every subcommand.
#[derive(Debug, clap::Args)]
pub(crate) struct Global {
    /// Compute backend: auto, scalar, simd or parallel (`tokens build` reads it as the store
    /// kind).
    #[arg(long, global = true, value_name = "NAME")]
    pub(crate) backend: Option<String>,
    /// Worker threads for parallel backends: a number, or `all` (default).
    #[arg(long, global = true, value_name = "N", default_value = "all")]
    pub(crate) threads: ThreadCount,
    /// Print one JSON object on stdout and nothing else there.
    #[arg(long, global = true)]
    pub(crate) json: bool,
}

impl Global {
    /// The compute backend asked for (`auto` when none was given).
    pub(crate) fn compute_backend(&self) -> Result<Backend, CliError> {
        match &self.backend {
            None => Ok(Backend::Auto),
            Some(name) => name.parse().map_err(|e| CliError::usage(format!("--backend: {e}"))),
        }
    }

    /// Runs `f` inside a rayon pool of the requested size.
    pub(crate) fn install<T: Send>(&self, f: impl FnOnce() -> Result<T, CliError> + Send) -> Result<T, CliError> {
        match self.threads {
            ThreadCount::All => f(),
            ThreadCount::Exactly(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n.get())
                .build()
                .map_err(|e| CliError::runtime(format!("cannot start {n} threads: {e}")))?
                .install(f),
        }
    }

    /// The number of worker threads parallel backends use here.
    pub(crate) fn threads(&self) -> usize {
        rayon::current_num_threads()
    }
}

/// What a subcommand hands back to `main` for printing.
#[derive(Debug)]
pub(crate) enum Output {
    /// A report: `json` on stdout with `--json`, else `text` on stdout.
    Report {
        /// The machine-readable form.
        json: serde_json::Value,
        /// The human form.
        text: String,
    },
    /// The command printed its own output; exit with this code.
    Done(i32),
}

impl Output {
    pub(crate) fn report(json: serde_json::Value, text: impl Into<String>) -> Self {
        Output::Report { json, text: text.into() }
    }

    /// Prints the output and returns the exit code.
    pub(crate) fn print(self, global: &Global) -> Result<i32, CliError> {
        match self {
            Output::Report { json, text } => {
                let mut out = std::io::stdout().lock();
                let res = if global.json {
                    writeln!(out, "{json}")
                } else {
                    write!(out, "{text}").and_then(|_| if text.ends_with('\n') { Ok(()) } else { writeln!(out) })
                };
                res.and_then(|_| out.flush()).map_err(|e| CliError::runtime(format!("writing stdout: {e}")))?;
                Ok(0)
            }
            Output::Done(code) => Ok(code),
        }
    }
}

/// A failure: `code` 2 for bad usage, 1 for runtime errors. Printed as one line.
#[derive(Debug)]
pub(crate) struct CliError {
    pub(crate) code: i32,
    pub(crate) message: String,
}

impl CliError {
    /// Bad arguments (exit code 2).
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        CliError { code: 2, message: one_line(message.into()) }
    }

    /// The arguments were fine but the work failed (exit code 1).
    pub(crate) fn runtime(message: impl Into<String>) -> Self {
        CliError { code: 1, message: one_line(message.into()) }
    }
}

fn one_line(s: String) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl From<ferdelance::BackendUnavailable> for CliError {
    fn from(e: ferdelance::BackendUnavailable) -> Self {
        CliError::usage(e.to_string())
    }
}

/// A progress bar on stderr that appears only when stderr is a terminal, `--json` is off or
/// not, and the work has already run for more than a second.
#[derive(Debug)]
pub(crate) struct Progress {
    bar: indicatif::ProgressBar,
    started: Instant,
    shown: bool,
    allowed: bool,
}

impl Progress {
    /// A bar for `len` units of work described by `message`.
    pub(crate) fn new(len: u64, message: &str) -> Self {
        let bar = indicatif::ProgressBar::with_draw_target(Some(len), indicatif::ProgressDrawTarget::hidden());
        if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {percent:>3}% eta {eta}") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(message.to_string());
        Progress { bar, started: Instant::now(), shown: false, allowed: std::io::stderr().is_terminal() }
    }

    /// Records `delta` more units done.
    pub(crate) fn inc(&mut self, delta: u64) {
        self.bar.inc(delta);
        if !self.shown && self.allowed && self.started.elapsed() > Duration::from_secs(1) {
            self.shown = true;
            self.bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    /// Removes the bar.
    pub(crate) fn finish(self) {
        self.bar.finish_and_clear();
    }
}

/// Parses `A,B` or `A,B,C,D` style comma lists of floats.
pub(crate) fn parse_floats<const N: usize>(s: &str) -> Result<[f64; N], String> {
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    if parts.len() != N {
        return Err(format!("expected {N} comma-separated numbers, got `{s}`"));
    }
    let mut out = [0.0; N];
    for (slot, p) in out.iter_mut().zip(&parts) {
        *slot = p.parse::<f64>().map_err(|_| format!("`{p}` is not a number"))?;
        if !slot.is_finite() {
            return Err(format!("`{p}` is not a finite number"));
        }
    }
    Ok(out)
}
