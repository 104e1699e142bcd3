//! [`AnySketch`]: any serialized sketch, loaded by its kind byte.

use crate::codec::{Kind, peek_kind};
use crate::{
    Backend, BloomFilter, Cardinality, CountMinSketch, Error, HashKind, HyperLogLog, HyperLogLogPlus, Kmv, LogLog,
    ScalableBloomFilter, Sketch, SplitBlockBloom, SuperLogLog,
};

/// One of the crate's mergeable sketches, for code that picks the kind at run time (the CLI's
/// `--save` and `--merge`).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum AnySketch {
    /// [`HyperLogLog`].
    Hll(HyperLogLog),
    /// [`HyperLogLogPlus`].
    HllPlus(HyperLogLogPlus),
    /// [`LogLog`].
    LogLog(LogLog),
    /// [`SuperLogLog`].
    SuperLogLog(SuperLogLog),
    /// [`Kmv`].
    Kmv(Kmv),
    /// [`BloomFilter`].
    Bloom(BloomFilter),
    /// [`ScalableBloomFilter`].
    ScalableBloom(ScalableBloomFilter),
    /// [`SplitBlockBloom`].
    SplitBlockBloom(SplitBlockBloom),
    /// [`CountMinSketch`].
    CountMin(CountMinSketch),
}

macro_rules! each {
    ($self:expr, $s:ident => $e:expr) => {
        match $self {
            AnySketch::Hll($s) => $e,
            AnySketch::HllPlus($s) => $e,
            AnySketch::LogLog($s) => $e,
            AnySketch::SuperLogLog($s) => $e,
            AnySketch::Kmv($s) => $e,
            AnySketch::Bloom($s) => $e,
            AnySketch::ScalableBloom($s) => $e,
            AnySketch::SplitBlockBloom($s) => $e,
            AnySketch::CountMin($s) => $e,
        }
    };
}

macro_rules! estimate_each {
    ($self:expr, $s:ident => $e:expr, $cms:expr) => {
        match $self {
            AnySketch::Hll($s) => Some($e),
            AnySketch::HllPlus($s) => Some($e),
            AnySketch::LogLog($s) => Some($e),
            AnySketch::SuperLogLog($s) => Some($e),
            AnySketch::Kmv($s) => Some($e),
            AnySketch::Bloom($s) => Some($e),
            AnySketch::ScalableBloom($s) => Some($e),
            AnySketch::SplitBlockBloom($s) => Some($e),
            AnySketch::CountMin(_) => $cms,
        }
    };
}

impl AnySketch {
    /// Loads any sketch from [`Sketch::to_bytes`] output.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        Ok(match peek_kind(bytes)? {
            Kind::Hll => AnySketch::Hll(HyperLogLog::from_bytes(bytes)?),
            Kind::HllPlus => AnySketch::HllPlus(HyperLogLogPlus::from_bytes(bytes)?),
            Kind::LogLog => AnySketch::LogLog(LogLog::from_bytes(bytes)?),
            Kind::SuperLogLog => AnySketch::SuperLogLog(SuperLogLog::from_bytes(bytes)?),
            Kind::Kmv => AnySketch::Kmv(Kmv::from_bytes(bytes)?),
            Kind::Bloom => AnySketch::Bloom(BloomFilter::from_bytes(bytes)?),
            Kind::ScalableBloom => AnySketch::ScalableBloom(ScalableBloomFilter::from_bytes(bytes)?),
            Kind::SplitBlockBloom => AnySketch::SplitBlockBloom(SplitBlockBloom::from_bytes(bytes)?),
            Kind::CountMin => AnySketch::CountMin(CountMinSketch::from_bytes(bytes)?),
        })
    }

    /// The serialized bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        each!(self, s => s.to_bytes())
    }

    /// The kind's short name (`hll`, `hll++`, `loglog`, `superloglog`, `kmv`, `bloom`,
    /// `scalable-bloom`, `split-block-bloom`, `count-min`).
    pub fn name(&self) -> &'static str {
        match self {
            AnySketch::Hll(_) => "hll",
            AnySketch::HllPlus(_) => "hll++",
            AnySketch::LogLog(_) => "loglog",
            AnySketch::SuperLogLog(_) => "superloglog",
            AnySketch::Kmv(_) => "kmv",
            AnySketch::Bloom(_) => "bloom",
            AnySketch::ScalableBloom(_) => "scalable-bloom",
            AnySketch::SplitBlockBloom(_) => "split-block-bloom",
            AnySketch::CountMin(_) => "count-min",
        }
    }

    /// The hash and seed.
    pub fn hash_kind(&self) -> HashKind {
        each!(self, s => s.hash_kind())
    }

    /// Adds a precomputed hash.
    pub fn insert_hash(&mut self, hash: u64) -> bool {
        each!(self, s => s.insert_hash(hash))
    }

    /// Adds lines or tokens of a text (see [`crate::text::extend_text`]).
    pub fn extend_text(&mut self, text: &[u8], units: crate::text::Units, backend: Backend) -> Result<u64, Error> {
        each!(self, s => crate::text::extend_text(s, text, units, backend))
    }

    /// Folds in a sketch of the same kind and parameters.
    pub fn merge(&mut self, other: &AnySketch) -> Result<(), Error> {
        match (self, other) {
            (AnySketch::Hll(a), AnySketch::Hll(b)) => a.merge(b),
            (AnySketch::HllPlus(a), AnySketch::HllPlus(b)) => a.merge(b),
            (AnySketch::LogLog(a), AnySketch::LogLog(b)) => a.merge(b),
            (AnySketch::SuperLogLog(a), AnySketch::SuperLogLog(b)) => a.merge(b),
            (AnySketch::Kmv(a), AnySketch::Kmv(b)) => a.merge(b),
            (AnySketch::Bloom(a), AnySketch::Bloom(b)) => a.merge(b),
            (AnySketch::ScalableBloom(a), AnySketch::ScalableBloom(b)) => a.merge(b),
            (AnySketch::SplitBlockBloom(a), AnySketch::SplitBlockBloom(b)) => a.merge(b),
            (AnySketch::CountMin(a), AnySketch::CountMin(b)) => a.merge(b),
            (a, b) => {
                Err(Error::incompatible(format!("cannot merge a {} sketch into a {} sketch", b.name(), a.name())))
            }
        }
    }

    /// The distinct-count estimate (`None` for Count-Min, which counts frequencies).
    pub fn estimate(&self) -> Option<f64> {
        estimate_each!(self, s => s.estimate(), None)
    }

    /// `(lower, upper)` at `sigmas` standard errors (`None` for Count-Min).
    pub fn bounds(&self, sigmas: f64) -> Option<(f64, f64)> {
        estimate_each!(self, s => (s.lower(sigmas), s.upper(sigmas)), None)
    }

    /// Heap bytes.
    pub fn heap_bytes(&self) -> usize {
        each!(self, s => s.heap_bytes())
    }
}
