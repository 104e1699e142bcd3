//! Benchmarks of the ferdelance crates (criterion, in `benches/`) and the side-by-side peer
//! comparison (`examples/compare`, run by `cargo xtask compare`). Nothing to use here.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
