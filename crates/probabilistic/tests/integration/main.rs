//! Integration tests of `probabilistic` through its public API.

mod accuracy;
mod backends;
mod laws;
mod naive;
mod oracles;
