//! LogLog (Durand & Flajolet 2003) and SuperLogLog (its truncated, 70% form).

use crate::codec::{Kind, Reader, Writer};
use crate::hll::linear_counting;
use crate::registers::{Registers, check_precision};
use crate::{Backend, Cardinality, Error, HashKind, Sketch};

/// The asymptotic bias constant of a (truncated) LogLog mean: the geometric mean over one
/// period of `log2(lambda)` of `lambda / 2^E[M]`, where `E[M]` is the mean of the lowest
/// `keep` fraction of the register distribution `P(M <= k) = exp(-lambda 2^-k)` (Poisson
/// model). With `keep = 1` this is LogLog's `alpha_inf = 0.39701`.
pub fn loglog_alpha(keep: f64) -> f64 {
    const STEPS: usize = 64;
    let mut acc = 0.0;
    for s in 0..STEPS {
        let lambda = (30.0 + s as f64 / STEPS as f64).exp2();
        let cdf = |k: i32| if k < 0 { 0.0 } else { (-lambda * (-f64::from(k)).exp2()).exp() };
        let (mut cum, mut weighted) = (0.0, 0.0);
        for k in 0..=64 {
            if cum >= keep {
                break;
            }
            let take = (cdf(k) - cdf(k - 1)).min(keep - cum);
            cum += take;
            weighted += take * f64::from(k);
        }
        acc += (lambda / (weighted / keep).exp2()).ln();
    }
    (acc / STEPS as f64).exp()
}

/// The finite-m LogLog constant `alpha_inf - (2 pi^2 + ln^2 2) / (48 m)` (Durand & Flajolet).
fn loglog_alpha_m(m: f64) -> f64 {
    0.397_01 - (2.0 * std::f64::consts::PI.powi(2) + std::f64::consts::LN_2.powi(2)) / (48.0 * m)
}

/// Linear counting while registers are empty and the estimate is small, like HyperLogLog's
/// small-range correction (the book's LogLog has none and is far off below ~10 m).
fn small_range(estimate: f64, hist: &[u32; 64], m: usize) -> f64 {
    if estimate <= 2.5 * m as f64 && hist[0] > 0 { linear_counting(m as f64, f64::from(hist[0])) } else { estimate }
}

macro_rules! register_sketch {
    ($(#[$doc:meta])* $name:ident, $kind:expr, $label:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name {
            hash: HashKind,
            regs: Registers,
        }

        impl $name {
            /// A sketch with `2^p` registers (`p` in 4..=18) and the default hash.
            pub fn new(p: u8) -> Result<Self, Error> {
                Self::with_hash(p, HashKind::default())
            }

            /// A sketch with `2^p` registers and the given hash.
            pub fn with_hash(p: u8, hash: HashKind) -> Result<Self, Error> {
                check_precision(p)?;
                Ok(Self { hash, regs: Registers::with_width(p, hash.bits()) })
            }

            /// The registers, one byte each.
            pub fn registers(&self) -> &[u8] {
                self.regs.as_slice()
            }
        }

        impl Sketch for $name {
            fn hash_kind(&self) -> HashKind {
                self.hash
            }
            #[inline]
            fn insert_hash(&mut self, hash: u64) -> bool {
                self.regs.insert_hash(hash)
            }
            fn merge_on(&mut self, other: &Self, b: Backend) -> Result<(), Error> {
                if self.hash != other.hash || self.regs.p() != other.regs.p() {
                    return Err(Error::incompatible(format!(
                        "{} p = {} vs p = {} (or different hashes)",
                        $label,
                        self.regs.p(),
                        other.regs.p()
                    )));
                }
                self.regs.merge_on(&other.regs, b);
                Ok(())
            }
            fn heap_bytes(&self) -> usize {
                self.regs.heap_bytes()
            }
            fn clear(&mut self) {
                self.regs.clear();
            }
            fn to_bytes(&self) -> Vec<u8> {
                let mut w = Writer::new($kind, self.hash);
                self.regs.write(&mut w);
                w.finish()
            }
            fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
                let mut r = Reader::new(bytes, $kind)?;
                let regs = Registers::read(&mut r)?;
                let hash = r.hash;
                r.end()?;
                Ok(Self { hash, regs })
            }
        }
    };
}

register_sketch!(
    /// LogLog: `alpha_m m 2^(mean M)` with LogLog's own constant (alpha_inf = 0.39701, not
    /// HyperLogLog's, bug 2 of the spec); standard error `1.30 / sqrt(m)`.
    LogLog,
    Kind::LogLog,
    "LogLog"
);

register_sketch!(
    /// SuperLogLog: the mean of the lowest 70% of registers, with the matching constant from
    /// [`loglog_alpha`]`(0.7)`; standard error about `1.05 / sqrt(m)`.
    SuperLogLog,
    Kind::SuperLogLog,
    "SuperLogLog"
);

impl Cardinality for LogLog {
    fn estimate(&self) -> f64 {
        let hist = self.regs.histogram();
        let m = self.regs.len();
        let sum: u64 = hist.iter().enumerate().map(|(k, &c)| k as u64 * u64::from(c)).sum();
        let e = loglog_alpha_m(m as f64) * m as f64 * (sum as f64 / m as f64).exp2();
        small_range(e, &hist, m)
    }
    fn relative_error(&self) -> f64 {
        1.30 / (self.regs.len() as f64).sqrt()
    }
}

/// The fraction of registers SuperLogLog keeps.
const KEEP: f64 = 0.7;

impl Cardinality for SuperLogLog {
    fn estimate(&self) -> f64 {
        let hist = self.regs.histogram();
        let m = self.regs.len();
        let keep = ((m as f64) * KEEP).floor() as u64;
        let (mut left, mut sum) = (keep, 0u64);
        for (k, &c) in hist.iter().enumerate() {
            let take = left.min(u64::from(c));
            sum += take * k as u64;
            left -= take;
        }
        let e = loglog_alpha(KEEP) * m as f64 * (sum as f64 / keep as f64).exp2();
        small_range(e, &hist, m)
    }
    fn relative_error(&self) -> f64 {
        1.05 / (self.regs.len() as f64).sqrt()
    }
}
