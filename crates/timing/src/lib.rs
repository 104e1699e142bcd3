//! Timing and profiling toolkit: `timeit`-style benchmarks, paired A/B comparisons, resource
//! usage, allocation counting and a hierarchical scope profiler (the book's chapter 2 tools).
//!
//! # Example
//!
//! ```
//! use timing::{Unit, bench, compare, timefn};
//!
//! fn sum_squares(n: u64) -> u64 {
//!     (0..n).map(|i| i * i).sum()
//! }
//!
//! // The book's @timefn: prints "@timefn:sum_squares(1000) took ... seconds", returns the value.
//! let total = timefn!(sum_squares(1000));
//! assert_eq!(total, 332_833_500);
//!
//! // timeit: best of 5 repeats, loop count auto-calibrated (here fixed to keep the doctest fast).
//! let stats = bench(|| sum_squares(1000)).loops(50).run()?;
//! println!("{stats}"); // "50 loops, best of 5: 612 nsec per loop"
//! let per_s = stats.throughput(1000.0, Unit::Iterations);
//! assert!(stats.min() <= stats.median());
//!
//! // Compare two versions on a noisy machine: interleaved pairs, median ratio B/A with a CI.
//! let ab = compare(|| sum_squares(1000), || (0..1000u64).fold(0, |s, i| s + i * i)).loops(50).pairs(7).run()?;
//! println!("{ab}"); // "B/A = 1.002 (95% CI 0.981..1.020) over 7 pairs: no significant difference; ..."
//! # let _ = per_s;
//! # Ok::<(), timing::Error>(())
//! ```
//!
//! # Backends
//!
//! No numeric kernels: [`Backend`] is re-exported for uniformity only. With the `parallel`
//! feature, `Bench::threads` runs a benchmark body in rayon pools of several sizes and reports
//! speed-up and an Amdahl serial fraction.
//!
//! # Crate features
//!
//! * `enabled` (default on): [`timefn!`], `profile_scope!` and `count!` measure. Off, they
//!   expand to the bare expression or to nothing (the book's no-op `@profile`), so instrumented
//!   code runs unchanged and at full speed; the bench runner, clocks and resource usage stay.
//! * `simd` (default on): changes nothing here; declared so the facade can forward it uniformly.
//! * `parallel` (off): `Bench::threads` (rayon).
//! * `serde` (off): `Serialize` for reports ([`Stats`], [`PairedStats`], [`Usage`], ...) and JSON
//!   export of the profiler report.
//!
//! Features change speed, never results.
//!
//! # Performance
//!
//! A [`ScopeTimer`] or [`timefn!`] costs two clock reads (`Instant::now()` is ~20-40 ns on
//! x86-64 Linux); batch anything under ~10 us with [`bench()`]. The criterion bench
//! `benches/benches/timing.rs` measures the overheads; see `docs/BENCHMARKS.md`.
//!
//! # Semantics
//!
//! * Statistics are a pure function of the samples: sorted order, median of an even count = mean
//!   of the middle two, standard deviation with `n - 1`. With the [`Manual`] clock every report
//!   is reproducible.
//! * Bad input (`loops(0)`, `repeats(0)`, no samples, a zero interval) is an [`Error`], never a
//!   panic. A measurement the platform cannot make is `ErrorKind::Unsupported`, never zeros.
//! * A panic in a timed closure propagates; timers and profiler scopes unwind cleanly.
#![deny(missing_docs)]

pub use ferdelance_core::Backend;

mod alloc;
mod bench;
mod clock;
mod env;
mod error;
mod memory;
mod paired;
#[cfg(feature = "parallel")]
mod parallel;
mod profiler;
mod stats;
mod timer;
mod usage;

pub use alloc::{AllocStats, Checkpoint, CountingAlloc};
pub use bench::{Bench, DEFAULT_REPEATS, DEFAULT_TARGET, DEFAULT_WARMUP, NoSetup, WithSetup, bench};
pub use clock::{Clock, Manual, Monotonic, ProcessCpu, ThreadCpu};
pub use env::Environment;
pub use error::{Error, ErrorKind};
pub use memory::{Mark, MemIt, RssProfile, RssSample, RssSampler, memit, reset_peak, rss_now, rss_peak};
pub use paired::{DEFAULT_PAIR_TARGET, DEFAULT_PAIRS, Paired, PairedStats, compare};
#[cfg(feature = "parallel")]
pub use parallel::{Scaling, ScalingRow};
pub use profiler::{Counter, Edge, Profiler, Report, Row, ScopeGuard};
pub use stats::{Outliers, Stats, Throughput, Unit, fmt_time};
pub use timer::{ScopeTimer, timefn_line};
pub use usage::{ResourceUsage, Usage, Verbose, run_command};

/// The concrete backends of this build (no kernels here: always just `Scalar`).
pub const BACKENDS: &[Backend] = &[Backend::Scalar];

#[doc(hidden)]
pub mod __private {
    pub use crate::timer::timefn_report;
}
