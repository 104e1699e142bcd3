//! The backend contract shared by every `ferdelance` crate.
//!
//! Every crate re-exports [`Backend`], so users never depend on this crate directly.
//!
//! # Example
//!
//! ```
//! use ferdelance_core::{Backend, Compiled};
//!
//! // What a crate built with `simd` but without `parallel` does with each request:
//! let built = Compiled::new(true, false);
//! assert_eq!(Backend::Auto.resolve(built, true), Ok(Backend::Simd));
//! assert_eq!(Backend::Scalar.resolve(built, true), Ok(Backend::Scalar));
//! assert!(Backend::Parallel.resolve(built, true).is_err());
//! ```
//!
//! # Backends
//!
//! * [`Backend::Scalar`]: the readable reference kernel, always compiled.
//! * [`Backend::Simd`]: the vector kernel, compiled with a crate's `simd` feature (default on).
//!   With `wide` its instruction set is fixed at compile time ([`simd_isa`] names it); the
//!   kernels that dispatch through `pulp` (stencil, fractal, the split-block Bloom filter) pick
//!   it at run time (`run_time_level`, feature `pulp`, names it).
//! * [`Backend::Parallel`]: `rayon` over fixed-size chunks (the best single-thread kernel inside),
//!   compiled with a crate's `parallel` feature (opt-in).
//! * [`Backend::Auto`]: `Parallel` if compiled and the work is above the crate's threshold, else
//!   `Simd` if compiled, else `Scalar`.
//!
//! Asking for a backend that is not compiled in is an error ([`BackendUnavailable`]), never a
//! silent fallback. **Features change speed, never results**: every backend returns the same
//! integers, and the same float bits unless a backend documents a tolerance.
//!
//! # Threads
//!
//! Parallel backends run on the rayon pool that is current on the calling thread: the global
//! pool (sized by `RAYON_NUM_THREADS`, default one thread per core) or a pool the caller enters
//! with `rayon::ThreadPool::install`. Work is split into chunks whose size does not depend on the
//! thread count and combined in index order, so results are identical at any thread count.
//! [`ThreadCount`] parses the `--threads` value the CLI and the tour accept.
//!
//! # Crate features
//!
//! None: this crate has no features and no dependencies.
//!
//! # Performance
//!
//! Nothing here is on a hot path: backends are resolved once per call.
//!
//! # Random stream
//!
//! [`Xoshiro256`] (xoshiro256++ seeded through SplitMix64) is the one generator the crates use
//! wherever a seeded result must be reproducible (the `primes` Monte Carlo darts, the
//! `probabilistic` Morris counters).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::fmt;
use std::num::NonZeroUsize;
use std::str::FromStr;

mod rng;

pub use rng::{GOLDEN_GAMMA, Xoshiro256, splitmix64};

/// Which kernel a computation runs on.
///
/// Variants are never behind `cfg`: a backend that is not compiled in is refused at run time
/// with [`BackendUnavailable`], so code that names every variant builds under any features.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// The fastest compiled backend for the size of the work (see [`Backend::resolve`]).
    #[default]
    Auto,
    /// The portable, readable reference kernel; always compiled.
    Scalar,
    /// The SIMD kernel (feature `simd`, default on): `wide`, or `pulp`'s run-time dispatch.
    Simd,
    /// The `rayon` threaded kernel (feature `parallel`), with the SIMD kernel inside when
    /// `simd` is also on.
    Parallel,
}

/// Every variant of [`Backend`], in the order the CLI lists them.
pub const ALL_BACKENDS: &[Backend] = &[Backend::Auto, Backend::Scalar, Backend::Simd, Backend::Parallel];

/// Which optional backends a crate was built with (its `simd` and `parallel` features).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Compiled {
    /// The crate's `simd` feature is on.
    pub simd: bool,
    /// The crate's `parallel` feature is on.
    pub parallel: bool,
}

impl Compiled {
    /// Describes a build; crates call `Compiled::new(cfg!(feature = "simd"), cfg!(feature = "parallel"))`.
    pub const fn new(simd: bool, parallel: bool) -> Self {
        Self { simd, parallel }
    }

    /// Whether `backend` is compiled in (`Auto` and `Scalar` always are).
    pub const fn has(self, backend: Backend) -> bool {
        match backend {
            Backend::Auto | Backend::Scalar => true,
            Backend::Simd => self.simd,
            Backend::Parallel => self.parallel,
        }
    }

    /// The concrete backends of this build, `Scalar` first.
    pub fn backends(self) -> Vec<Backend> {
        [Backend::Scalar, Backend::Simd, Backend::Parallel].into_iter().filter(|b| self.has(*b)).collect()
    }
}

impl Backend {
    /// Turns a request into the concrete backend that will run.
    ///
    /// `Auto` becomes `Parallel` when it is compiled and `parallel_worthwhile` (the work is above
    /// the calling crate's measured threshold), else `Simd` when compiled, else `Scalar`. A
    /// concrete request is returned as is when compiled, and refused otherwise.
    pub fn resolve(self, compiled: Compiled, parallel_worthwhile: bool) -> Result<Backend, BackendUnavailable> {
        match self {
            Backend::Auto if compiled.parallel && parallel_worthwhile => Ok(Backend::Parallel),
            Backend::Auto if compiled.simd => Ok(Backend::Simd),
            Backend::Auto => Ok(Backend::Scalar),
            b if compiled.has(b) => Ok(b),
            b => Err(BackendUnavailable { requested: b }),
        }
    }

    /// The lower-case name used by the CLI, JSON output and benchmark ids.
    pub const fn name(self) -> &'static str {
        match self {
            Backend::Auto => "auto",
            Backend::Scalar => "scalar",
            Backend::Simd => "simd",
            Backend::Parallel => "parallel",
        }
    }

    /// The cargo feature that compiles this backend in, if any.
    pub const fn feature(self) -> Option<&'static str> {
        match self {
            Backend::Simd => Some("simd"),
            Backend::Parallel => Some("parallel"),
            Backend::Auto | Backend::Scalar => None,
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing a [`Backend`] or a [`ThreadCount`] from text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    what: &'static str,
    input: String,
    expected: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} `{}`: expected {}", self.what, self.input, self.expected)
    }
}

impl std::error::Error for ParseError {}

impl FromStr for Backend {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ALL_BACKENDS.iter().copied().find(|b| b.name().eq_ignore_ascii_case(s.trim())).ok_or_else(|| ParseError {
            what: "backend",
            input: s.to_string(),
            expected: "one of auto, scalar, simd, parallel",
        })
    }
}

/// A backend was requested that this build does not contain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BackendUnavailable {
    /// The backend that was asked for.
    pub requested: Backend,
}

impl fmt::Display for BackendUnavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.requested.feature() {
            Some(feature) => {
                write!(f, "backend `{}` is not compiled in: enable the `{}` feature", self.requested, feature)
            }
            None => write!(f, "backend `{}` is not compiled in", self.requested),
        }
    }
}

impl std::error::Error for BackendUnavailable {}

/// How many threads a parallel backend may use, as the CLI's `--threads` takes it.
///
/// `All` means the rayon default (one per core, or `RAYON_NUM_THREADS`). Crates never read this
/// themselves: the caller builds a rayon pool of this size and runs the work inside it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ThreadCount {
    /// The rayon default.
    #[default]
    All,
    /// Exactly this many worker threads.
    Exactly(NonZeroUsize),
}

impl ThreadCount {
    /// The number of threads, resolving `All` with `available` (what the pool would pick).
    pub fn get(self, available: usize) -> usize {
        match self {
            ThreadCount::All => available.max(1),
            ThreadCount::Exactly(n) => n.get(),
        }
    }
}

impl FromStr for ThreadCount {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("all") || s == "0" {
            return Ok(ThreadCount::All);
        }
        s.parse::<NonZeroUsize>().ok().filter(|n| n.get() <= 4096).map(ThreadCount::Exactly).ok_or_else(|| ParseError {
            what: "thread count",
            input: s.to_string(),
            expected: "a whole number from 1 to 4096, or `all` (0 means all)",
        })
    }
}

/// The instruction sets `pulp` found on this CPU (detected once): what the kernels that dispatch
/// through it run on.
#[cfg(feature = "pulp")]
#[inline]
pub fn run_time_arch() -> pulp::Arch {
    static ARCH: std::sync::LazyLock<pulp::Arch> = std::sync::LazyLock::new(pulp::Arch::new);
    *ARCH
}

/// The name of [`run_time_arch`]'s instruction set: `"avx2"` (x86-64-v3), `"neon"`, or
/// `"scalar"` (no vector unit the kernels know: plain lanes).
#[cfg(feature = "pulp")]
pub fn run_time_level() -> &'static str {
    let arch = run_time_arch();
    #[cfg(target_arch = "x86_64")]
    if matches!(arch, pulp::Arch::V3(_)) {
        return "avx2";
    }
    #[cfg(target_arch = "aarch64")]
    if !matches!(arch, pulp::Arch::Scalar) {
        return "neon";
    }
    let _ = arch;
    "scalar"
}

/// The instruction set that `wide` uses in this build, fixed at compile time.
///
/// One of `avx512f`, `avx2`, `avx`, `sse4.1`, `sse2`, `neon`, `simd128` or `scalar` (no vector
/// unit that `wide` uses). Build with `RUSTFLAGS="-C target-cpu=native"` to raise it; every
/// benchmark record carries this name.
pub const fn simd_isa() -> &'static str {
    if cfg!(target_feature = "avx512f") {
        "avx512f"
    } else if cfg!(target_feature = "avx2") {
        "avx2"
    } else if cfg!(target_feature = "avx") {
        "avx"
    } else if cfg!(target_feature = "sse4.1") {
        "sse4.1"
    } else if cfg!(target_feature = "sse2") {
        "sse2"
    } else if cfg!(target_feature = "neon") {
        "neon"
    } else if cfg!(target_feature = "simd128") {
        "simd128"
    } else {
        "scalar"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: Compiled = Compiled::new(false, false);
    const SIMD: Compiled = Compiled::new(true, false);
    const PAR: Compiled = Compiled::new(false, true);
    const BOTH: Compiled = Compiled::new(true, true);

    #[test]
    fn auto_resolution_table() {
        assert_eq!(Backend::Auto.resolve(NONE, true), Ok(Backend::Scalar));
        assert_eq!(Backend::Auto.resolve(SIMD, true), Ok(Backend::Simd));
        assert_eq!(Backend::Auto.resolve(PAR, true), Ok(Backend::Parallel));
        assert_eq!(Backend::Auto.resolve(PAR, false), Ok(Backend::Scalar));
        assert_eq!(Backend::Auto.resolve(BOTH, true), Ok(Backend::Parallel));
        assert_eq!(Backend::Auto.resolve(BOTH, false), Ok(Backend::Simd));
    }

    #[test]
    fn concrete_requests() {
        for c in [NONE, SIMD, PAR, BOTH] {
            assert_eq!(Backend::Scalar.resolve(c, true), Ok(Backend::Scalar));
            assert_eq!(Backend::Simd.resolve(c, true).is_ok(), c.simd);
            assert_eq!(Backend::Parallel.resolve(c, false).is_ok(), c.parallel);
            assert_eq!(c.backends()[0], Backend::Scalar);
            assert_eq!(c.backends().len(), 1 + c.simd as usize + c.parallel as usize);
        }
        let err = Backend::Parallel.resolve(NONE, true).unwrap_err();
        assert_eq!(err.to_string(), "backend `parallel` is not compiled in: enable the `parallel` feature");
    }

    #[test]
    fn names_round_trip() {
        for b in ALL_BACKENDS {
            assert_eq!(b.name().parse::<Backend>(), Ok(*b));
            assert_eq!(b.to_string().to_uppercase().parse::<Backend>(), Ok(*b));
        }
        let err = "gpu".parse::<Backend>().unwrap_err();
        assert_eq!(err.to_string(), "invalid backend `gpu`: expected one of auto, scalar, simd, parallel");
    }

    #[test]
    fn thread_counts() {
        assert_eq!("all".parse(), Ok(ThreadCount::All));
        assert_eq!("0".parse(), Ok(ThreadCount::All));
        assert_eq!("3".parse::<ThreadCount>().map(|t| t.get(8)), Ok(3));
        assert_eq!(ThreadCount::All.get(0), 1);
        for bad in ["-1", "x", "", "1.5", "5000"] {
            assert!(bad.parse::<ThreadCount>().is_err(), "{bad}");
        }
    }

    #[test]
    fn isa_is_known() {
        let known = ["avx512f", "avx2", "avx", "sse4.1", "sse2", "neon", "simd128", "scalar"];
        assert!(known.contains(&simd_isa()));
        #[cfg(target_arch = "x86_64")]
        assert_ne!(simd_isa(), "scalar", "x86_64 always has sse2");
    }

    #[cfg(feature = "pulp")]
    #[test]
    fn run_time_level_is_known_and_needs_avx2() {
        let level = run_time_level();
        assert!(["avx2", "neon", "scalar"].contains(&level), "{level}");
        #[cfg(target_arch = "x86_64")]
        if level == "avx2" {
            assert!(std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma"));
        }
        #[cfg(target_arch = "x86_64")]
        if !std::is_x86_feature_detected!("avx2") {
            assert_eq!(level, "scalar");
        }
    }
}
