//! `ferdelance`: the book *High Performance Python* (Gorelick & Ozsvald) as fast Rust crates.
//!
//! This facade re-exports every crate of the workspace as a module and forwards the
//! `simd`, `parallel` and `serde` features to all of them, so one dependency line brings in
//! the whole toolkit. It also builds the `ferdelance` command-line program (feature `cli`).
//!
//! # Example
//!
//! ```
//! use ferdelance::Backend;
//!
//! assert_eq!(Backend::default(), Backend::Auto);
//! println!("SIMD instruction set of this build: {}", ferdelance::simd_isa());
//! ```
//!
//! # Backends
//!
//! Every crate has a scalar reference backend, a SIMD backend (`simd`) and a threaded
//! backend (`parallel`), chosen with the shared [`Backend`] enum. See `docs/architecture.md`.
//!
//! # Crate features
//!
//! * `simd` (default on): the SIMD kernels of every crate (`wide`, fixed at compile time; the
//!   stencil and fractal kernels and the split-block Bloom filter pick AVX2 at run time through
//!   `pulp`).
//! * `parallel` (off): the `rayon` kernels of every crate.
//! * `serde` (off): serialization of reports, sketches and stores.
//! * `cli` (default on): the `ferdelance` program; turns on every crate below.
//! * `fractal`, `stencil`, `primes`, `probabilistic`, `compact-text`, `timing` (on with `cli`):
//!   one feature per re-exported crate.
//!
//! Features change speed, never results.
//!
//! # Performance
//!
//! See each crate's `# Performance` section and `docs/BENCHMARKS.md`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub use ferdelance_core::{Backend, BackendUnavailable, Compiled, ThreadCount, simd_isa};

#[cfg(feature = "compact-text")]
pub use compact_text;
#[cfg(feature = "fractal")]
pub use fractal;
#[cfg(feature = "primes")]
pub use primes;
#[cfg(feature = "probabilistic")]
pub use probabilistic;
#[cfg(feature = "stencil")]
pub use stencil;
#[cfg(feature = "timing")]
pub use timing;

/// The cargo features this build of the facade was compiled with.
pub fn features() -> Vec<&'static str> {
    let all = [
        ("simd", cfg!(feature = "simd")),
        ("parallel", cfg!(feature = "parallel")),
        ("serde", cfg!(feature = "serde")),
        ("cli", cfg!(feature = "cli")),
        ("fractal", cfg!(feature = "fractal")),
        ("stencil", cfg!(feature = "stencil")),
        ("primes", cfg!(feature = "primes")),
        ("probabilistic", cfg!(feature = "probabilistic")),
        ("compact-text", cfg!(feature = "compact-text")),
        ("timing", cfg!(feature = "timing")),
    ];
    all.into_iter().filter(|(_, on)| *on).map(|(name, _)| name).collect()
}
