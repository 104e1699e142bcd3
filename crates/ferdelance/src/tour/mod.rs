//! The tour: the book's experiments, one section per crate, run on every compiled backend.
//!
//! Each section prints tables (time, throughput, speed-up against the scalar backend, and
//! whether the book's oracle holds) and may write pictures under the output folder. The run
//! fails (exit 1) if any oracle does not hold.

mod compact_text;
mod fractal;
mod primes;
mod probabilistic;
mod stencil;
mod timing;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use ferdelance::Backend;

use crate::cli::{CliError, Global, Output};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Folder for pictures and data.
    #[arg(long, default_value = "target/tour")]
    out: PathBuf,
    /// Only these sections (timing, fractal, stencil, primes, probabilistic, compact-text).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Smaller inputs, for a smoke test.
    #[arg(long)]
    quick: bool,
}

type Section = fn(&mut Tour) -> Result<(), CliError>;

const SECTIONS: &[(&str, Section)] = &[
    ("timing", timing::section),
    ("fractal", fractal::section),
    ("stencil", stencil::section),
    ("primes", primes::section),
    ("probabilistic", probabilistic::section),
    ("compact-text", compact_text::section),
];

pub(crate) fn run(args: Args, global: &Global) -> Result<Output, CliError> {
    for name in &args.only {
        if !SECTIONS.iter().any(|(n, _)| n == name) {
            return Err(CliError::usage(format!("--only: no section `{name}`")));
        }
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| CliError::runtime(format!("cannot create {}: {e}", args.out.display())))?;
    let mut tour = Tour { out: args.out, quick: args.quick, failures: Vec::new() };
    println!(
        "ferdelance tour: High Performance Python (Gorelick & Ozsvald), chapter by chapter\n\
         build: features [{}], simd_isa {}, {} threads{}",
        ferdelance::features().join(", "),
        ferdelance::simd_isa(),
        global.threads(),
        if cfg!(debug_assertions) { ", DEBUG BUILD (timings meaningless)" } else { "" },
    );
    let started = Instant::now();
    for (name, section) in SECTIONS {
        if args.only.is_empty() || args.only.iter().any(|n| n == name) {
            section(&mut tour)?;
        }
    }
    println!("\ntour finished in {:.1} s; pictures in {}", started.elapsed().as_secs_f64(), tour.out.display());
    if tour.failures.is_empty() {
        println!("every oracle holds ✓");
        Ok(Output::Done(0))
    } else {
        Err(CliError::runtime(format!("oracles failed: {}", tour.failures.join("; "))))
    }
}

/// The state a section works with.
#[derive(Debug)]
pub(crate) struct Tour {
    /// Where pictures go.
    pub(crate) out: PathBuf,
    /// Smaller inputs (smoke test).
    pub(crate) quick: bool,
    failures: Vec<String>,
}

/// One measured row of a section's main table.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// What ran (rows with the same experiment are compared with its scalar row).
    pub(crate) experiment: String,
    /// The backend it ran on.
    pub(crate) backend: Backend,
    /// Best wall time.
    pub(crate) time: Duration,
    /// Work units per run, and their name (e.g. `(1.0e6, "cell-updates")`).
    pub(crate) work: Option<(f64, &'static str)>,
    /// Whether the book's oracle holds for this run's result.
    pub(crate) oracle: bool,
}

impl Tour {
    /// Prints a section heading with the book chapter it reproduces.
    pub(crate) fn heading(&self, title: &str, chapter: &str) {
        println!("\n== {title} ({chapter}) ==");
    }

    /// Prints a line of explanation.
    pub(crate) fn note(&self, text: &str) {
        println!("{text}");
    }

    /// Every backend compiled into this build (scalar first).
    pub(crate) fn backends(&self) -> Vec<Backend> {
        ferdelance::Compiled::new(cfg!(feature = "simd"), cfg!(feature = "parallel")).backends()
    }

    /// Times `f` with our own bench runner (`timing::bench`, one call per sample, no
    /// warm-up): one probe call, then more samples until about 0.5 s has passed (2 to 19
    /// more). Returns the last result and the best time, the `timeit` headline.
    pub(crate) fn time<T>(&self, mut f: impl FnMut() -> T) -> (T, Duration) {
        let mut last = None;
        let mut sample = |repeats: usize| {
            ::timing::bench(|| last = Some(f())).loops(1).repeats(repeats).warmup(0).run().map(|s| s.min())
        };
        let probe = sample(1).unwrap_or(f64::MAX);
        let more = (0.5 / probe.max(1e-9)).clamp(2.0, 19.0) as usize;
        let best = if probe > 5.0 { probe } else { probe.min(sample(more).unwrap_or(f64::MAX)) };
        let out = last.expect("the body ran at least once");
        (out, Duration::from_secs_f64(best))
    }

    /// Records an oracle check that is not part of a row table.
    pub(crate) fn check(&mut self, what: &str, ok: bool) {
        println!("  oracle {}: {what}", if ok { "✓" } else { "✗" });
        if !ok {
            self.failures.push(what.to_string());
        }
    }

    /// Prints the standard table: time, throughput, speed-up vs scalar, oracle.
    pub(crate) fn rows(&mut self, title: &str, rows: &[Row]) {
        let mut table = Vec::new();
        for r in rows {
            let scalar = rows
                .iter()
                .find(|s| s.experiment == r.experiment && s.backend == Backend::Scalar)
                .map(|s| s.time.as_secs_f64() / r.time.as_secs_f64());
            let secs = r.time.as_secs_f64();
            table.push(vec![
                r.experiment.clone(),
                r.backend.to_string(),
                fmt_secs(secs),
                r.work.map(|(n, unit)| format!("{} {unit}/s", fmt_si(n / secs))).unwrap_or_default(),
                scalar.map(|s| format!("{s:.2}x")).unwrap_or_default(),
                if r.oracle { "✓" } else { "✗" }.to_string(),
            ]);
            if !r.oracle {
                self.failures.push(format!("{title}: {} on {}", r.experiment, r.backend));
            }
        }
        self.table(title, &["experiment", "backend", "time", "throughput", "vs scalar", "oracle"], &table);
    }

    /// Prints a free-form table with aligned columns.
    pub(crate) fn table(&self, title: &str, header: &[&str], rows: &[Vec<String>]) {
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for row in rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: Vec<&str>| {
            let mut s = String::from("  ");
            for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
                let pad = w - cell.chars().count();
                if i == 0 {
                    let _ = write!(s, "{cell}{}  ", " ".repeat(pad));
                } else {
                    let _ = write!(s, "{}{cell}  ", " ".repeat(pad));
                }
            }
            s.trim_end().to_string()
        };
        println!("\n{title}");
        println!("{}", line(header.to_vec()));
        println!("  {}", widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("  "));
        for row in rows {
            println!("{}", line(row.iter().map(String::as_str).collect()));
        }
    }
}

/// Seconds with a unit that keeps three significant digits (the `timeit` layout).
pub(crate) use ::timing::fmt_time as fmt_secs;

/// A number with an SI prefix (k, M, G, T).
pub(crate) fn fmt_si(x: f64) -> String {
    let (v, p) = if x >= 1e12 {
        (x / 1e12, "T")
    } else if x >= 1e9 {
        (x / 1e9, "G")
    } else if x >= 1e6 {
        (x / 1e6, "M")
    } else if x >= 1e3 {
        (x / 1e3, "k")
    } else {
        (x, "")
    };
    format!("{v:.2} {p}").trim_end().to_string()
}
