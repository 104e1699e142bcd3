//! Monte Carlo estimate of pi (book ch. 9): darts in the unit square, hits inside the quarter
//! circle, with a specified random stream per chunk so every backend and thread count gives
//! the same hits.
//!
//! **Stream.** Chunk `c` (0-based, `chunk` darts, the last may be short) seeds xoshiro256++ with
//! four successive SplitMix64 outputs from state `seed ^ c.wrapping_mul(0x9E3779B97F4A7C15)`.
//! Each dart takes `x` then `y` as `(next_u64() >> 11) as f64 * 2^-53`, and hits when
//! `x * x + y * y <= 1` (no square root, no fused multiply-add).

use ferdelance_core::{GOLDEN_GAMMA, Xoshiro256};

use crate::{Backend, Error, ErrorKind, Result, compiled};

/// Darts per chunk unless told otherwise.
pub const DEFAULT_CHUNK: u64 = 65_536;

/// Darts above which `Auto` uses the parallel backend (about 2 ms of work).
const PARALLEL_DARTS: u64 = 1 << 20;

/// The xoshiro256++ stream of chunk `c`: [`Xoshiro256`] seeded with
/// `seed ^ c * 0x9E3779B97F4A7C15`; a dart is two [`Xoshiro256::unit_f64`] draws, `x` first.
pub(crate) fn chunk_stream(seed: u64, c: u64) -> Xoshiro256 {
    Xoshiro256::new(seed ^ c.wrapping_mul(GOLDEN_GAMMA))
}

/// Whether the dart `(x, y)` lands inside the quarter circle.
#[inline(always)]
pub(crate) fn is_hit(x: f64, y: f64) -> bool {
    x * x + y * y <= 1.0
}

/// The result of a Monte Carlo run: darts thrown and hits inside the quarter circle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PiEstimate {
    /// Darts thrown.
    pub darts: u64,
    /// Darts with `x^2 + y^2 <= 1`.
    pub hits: u64,
}

impl PiEstimate {
    /// `4 * hits / darts`.
    pub fn estimate(&self) -> f64 {
        4.0 * self.hits as f64 / self.darts as f64
    }

    /// The standard error of the estimate, `4 * sqrt(p (1 - p) / darts)` with `p = hits / darts`
    /// (about `1.642 / sqrt(darts)`).
    pub fn std_error(&self) -> f64 {
        let p = self.hits as f64 / self.darts as f64;
        4.0 * (p * (1.0 - p) / self.darts as f64).sqrt()
    }
}

/// Builder for a Monte Carlo pi run: `MonteCarloPi::new(darts).seed(s).chunk(65_536).run()`.
#[derive(Clone, Debug)]
pub struct MonteCarloPi {
    darts: u64,
    seed: u64,
    chunk: u64,
    backend: Backend,
}

impl MonteCarloPi {
    /// `darts` darts, seed 0, chunks of [`DEFAULT_CHUNK`], backend `Auto`.
    pub fn new(darts: u64) -> Self {
        MonteCarloPi { darts, seed: 0, chunk: DEFAULT_CHUNK, backend: Backend::Auto }
    }

    /// The seed of every chunk's stream.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Darts per chunk (part of the input: it selects the streams; never derived from threads).
    pub fn chunk(mut self, chunk: u64) -> Self {
        self.chunk = chunk;
        self
    }

    /// The backend to run on.
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// Throws the darts. Errors: `InvalidParameter` for 0 darts or a 0 chunk,
    /// `BackendUnavailable`.
    pub fn run(&self) -> Result<PiEstimate> {
        if self.darts == 0 {
            return Err(Error::new(ErrorKind::InvalidParameter, "monte carlo pi: darts must be at least 1"));
        }
        if self.chunk == 0 {
            return Err(Error::new(ErrorKind::InvalidParameter, "monte carlo pi: chunk must be at least 1"));
        }
        let (darts, chunk, seed) = (self.darts, self.chunk, self.seed);
        let hits = match self.backend.resolve(compiled(), darts >= PARALLEL_DARTS)? {
            #[cfg(feature = "simd")]
            Backend::Simd => crate::simd::monte_carlo(darts, chunk, seed),
            #[cfg(feature = "parallel")]
            Backend::Parallel => crate::parallel::monte_carlo(darts, chunk, seed),
            _ => crate::scalar::monte_carlo(darts, chunk, seed),
        };
        Ok(PiEstimate { darts, hits })
    }
}
