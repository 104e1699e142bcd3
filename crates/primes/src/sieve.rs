//! The public face of the sieve: range handling, the [`Sieve`] builder, the lazy [`Primes`]
//! iterator, `nth_prime`, and the cache-size detection behind the default segment size.

use std::ops::{Bound, RangeBounds};
use std::sync::OnceLock;

use crate::wheel::{Cursor, Kernel, MAX_SEGMENT, MIN_SEGMENT, Plan};
use crate::{Backend, Error, ErrorKind, Result, compiled};

/// Range width (numbers) above which `Auto` uses the parallel backend: below about 2^24
/// numbers (a few milliseconds) thread start-up and per-chunk set-up outweigh the gain.
const PARALLEL_WIDTH: u64 = 1 << 24;

/// The most primes [`Sieve::collect`] will return (2^28 primes = 2 GiB of `u64`).
pub const MAX_COLLECT: u64 = 1 << 28;

/// Inclusive bounds of a range: `Ok(None)` when empty, `InvalidRange` when reversed.
pub(crate) fn bounds(range: &impl RangeBounds<u64>) -> Result<Option<(u64, u64)>> {
    let lo = match range.start_bound() {
        Bound::Included(&a) => Some(a),
        Bound::Excluded(&a) => a.checked_add(1),
        Bound::Unbounded => Some(0),
    };
    let hi = match range.end_bound() {
        Bound::Included(&b) => Some(b),
        Bound::Excluded(&b) => b.checked_sub(1),
        Bound::Unbounded => Some(u64::MAX),
    };
    let reversed =
        |a: u64, b: u64| Error::new(ErrorKind::InvalidRange, format!("range start {a} is after its end {b}"));
    match (range.start_bound(), range.end_bound(), lo, hi) {
        (_, _, Some(lo), Some(hi)) if lo <= hi => Ok(Some((lo, hi))),
        (Bound::Included(&a), Bound::Excluded(&b), ..) if a > b => Err(reversed(a, b)),
        (Bound::Included(&a), Bound::Included(&b), ..) if a > b.saturating_add(1) => Err(reversed(a, b)),
        _ => Ok(None),
    }
}

/// The cache sizes (L1 data, L2) in bytes, read once from `/sys` (Linux), else 32 KiB / 1 MiB.
pub fn cache_sizes() -> (usize, usize) {
    static SIZES: OnceLock<(usize, usize)> = OnceLock::new();
    *SIZES.get_or_init(|| {
        let mut l1 = 32 << 10;
        let mut l2 = 1 << 20;
        for i in 0..8 {
            let dir = format!("/sys/devices/system/cpu/cpu0/cache/index{i}");
            let read = |f: &str| std::fs::read_to_string(format!("{dir}/{f}")).map(|s| s.trim().to_string());
            let (Ok(level), Ok(kind), Ok(size)) = (read("level"), read("type"), read("size")) else { continue };
            let bytes = size
                .strip_suffix('K')
                .and_then(|k| k.parse::<usize>().ok().map(|k| k << 10))
                .or_else(|| size.strip_suffix('M').and_then(|m| m.parse::<usize>().ok().map(|m| m << 20)));
            match (level.as_str(), kind.as_str(), bytes) {
                ("1", "Data", Some(b)) => l1 = b,
                ("2", _, Some(b)) => l2 = b,
                _ => {}
            }
        }
        (l1, l2)
    })
}

/// The default segment size: half the L2 cache, clamped to 32 KiB ..= 1 MiB.
pub fn default_segment_bytes() -> usize {
    (cache_sizes().1 / 2).clamp(32 << 10, 1 << 20)
}

/// A sieve over a range of `u64`, with tuning: `Sieve::new(lo..=hi)?.backend(b).count()`.
#[derive(Clone, Debug)]
pub struct Sieve {
    range: Option<(u64, u64)>,
    backend: Backend,
    segment: Option<usize>,
}

/// The best single-thread kernel compiled in.
pub(crate) fn best_kernel() -> &'static dyn Kernel {
    #[cfg(feature = "simd")]
    {
        &crate::simd::Simd
    }
    #[cfg(not(feature = "simd"))]
    {
        &crate::scalar::Scalar
    }
}

impl Sieve {
    /// A sieve over `range` (any `RangeBounds<u64>`, up to and including `u64::MAX`).
    /// Errors: `InvalidRange` if the start lies after the end; an empty range is fine.
    pub fn new(range: impl RangeBounds<u64>) -> Result<Self> {
        Ok(Sieve { range: bounds(&range)?, backend: Backend::Auto, segment: None })
    }

    /// The backend to run on.
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// The segment size in bytes (30 numbers per byte); default [`default_segment_bytes`].
    /// Must lie in 1 KiB ..= 16 MiB (else `InvalidParameter` when run).
    pub fn segment_bytes(mut self, bytes: usize) -> Self {
        self.segment = Some(bytes);
        self
    }

    fn plan(&self) -> Result<Option<Plan>> {
        let segment = self.segment.unwrap_or_else(default_segment_bytes);
        if !(MIN_SEGMENT..=MAX_SEGMENT).contains(&segment) {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                format!("segment size {segment} bytes is outside {MIN_SEGMENT} ..= {MAX_SEGMENT}"),
            ));
        }
        Ok(self.range.map(|(lo, hi)| Plan::new(lo, hi, segment)))
    }

    fn resolve(&self) -> Result<Backend> {
        let width = self.range.map_or(0, |(lo, hi)| hi - lo);
        Ok(self.backend.resolve(compiled(), width >= PARALLEL_WIDTH)?)
    }

    /// The number of primes in the range.
    pub fn count(&self) -> Result<u64> {
        let backend = self.resolve()?;
        let Some(plan) = self.plan()? else { return Ok(0) };
        let small = plan.wheel_primes().count() as u64;
        let serial = |k: &dyn Kernel| (0..plan.chunks()).map(|c| plan.count_chunk(k, c)).sum::<u64>();
        Ok(small
            + match backend {
                #[cfg(feature = "simd")]
                Backend::Simd => serial(&crate::simd::Simd),
                #[cfg(feature = "parallel")]
                Backend::Parallel => crate::parallel::count(&plan, &Best),
                _ => serial(&crate::scalar::Scalar),
            })
    }

    /// The primes in the range, ascending. Errors: `TooLarge` if the range may hold more than
    /// [`MAX_COLLECT`] primes (checked before allocating).
    pub fn collect(&self) -> Result<Vec<u64>> {
        let backend = self.resolve()?;
        let Some(plan) = self.plan()? else { return Ok(Vec::new()) };
        let bound = prime_count_upper_bound(plan.lo, plan.hi);
        if bound > MAX_COLLECT {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format!("[{}, {}] may hold {bound} primes, more than the cap of {MAX_COLLECT}", plan.lo, plan.hi),
            ));
        }
        let mut out: Vec<u64> = plan.wheel_primes().collect();
        let serial = |k: &dyn Kernel, out: &mut Vec<u64>| {
            for c in 0..plan.chunks() {
                out.extend(plan.collect_chunk(k, c));
            }
        };
        match backend {
            #[cfg(feature = "simd")]
            Backend::Simd => serial(&crate::simd::Simd, &mut out),
            #[cfg(feature = "parallel")]
            Backend::Parallel => out.extend(crate::parallel::collect(&plan, &Best)),
            _ => serial(&crate::scalar::Scalar, &mut out),
        }
        Ok(out)
    }

    /// A lazy iterator over the primes of the range (single-threaded, segment by segment).
    pub fn iter(&self) -> Result<Primes> {
        self.resolve()?;
        let plan = self.plan()?;
        let cursor = plan.as_ref().map(|p| Cursor::new(p, p.first, p.last + 1));
        let small = plan.as_ref().map(|p| p.wheel_primes().collect()).unwrap_or_default();
        Ok(Primes { plan, cursor, buf: small, at: 0 })
    }

    /// Calls `f(segment_start, primes)` for each segment in order, with the primes of that
    /// segment (2, 3 and 5 arrive with the first call that covers them). `segment_start` is the
    /// first number the segment covers (clamped to the range start).
    pub fn for_each_segment(&self, mut f: impl FnMut(u64, &[u64])) -> Result<()> {
        let mut it = self.iter()?;
        let Some(plan) = it.plan.take() else { return Ok(()) };
        let Some(mut cursor) = it.cursor.take() else { return Ok(()) };
        let kernel = best_kernel();
        let mut buf = std::mem::take(&mut it.buf);
        while let Some((s, seg)) = cursor.advance(&plan, kernel) {
            plan.primes_of_segment(s, seg, &mut buf);
            f((30 * s).max(plan.lo), &buf);
            buf.clear();
        }
        Ok(())
    }
}

/// The best single-thread kernel, as a sized type for the parallel backend.
#[cfg(feature = "parallel")]
struct Best;

#[cfg(feature = "parallel")]
impl Kernel for Best {
    fn fill(&self, seg: &mut [u8], pats: &[&[u8]]) {
        best_kernel().fill(seg, pats)
    }
    fn count(&self, seg: &[u8]) -> u64 {
        best_kernel().count(seg)
    }
}

/// An upper bound on the number of primes in `[lo, hi]` (Rosser-Schoenfeld style, generous).
fn prime_count_upper_bound(lo: u64, hi: u64) -> u64 {
    let wheel = (hi - lo) / 30 * 8 + 11;
    let x = hi.max(17) as f64;
    let pi = (1.26 * x / x.ln()) as u64 + 1;
    wheel.min(pi)
}

/// A lazy iterator over the primes of a range, ascending (see [`crate::primes`]).
#[derive(Debug)]
pub struct Primes {
    plan: Option<Plan>,
    cursor: Option<Cursor>,
    buf: Vec<u64>,
    at: usize,
}

impl Iterator for Primes {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        loop {
            if let Some(&p) = self.buf.get(self.at) {
                self.at += 1;
                return Some(p);
            }
            let (plan, cursor) = (self.plan.as_ref()?, self.cursor.as_mut()?);
            self.buf.clear();
            self.at = 0;
            let (s, seg) = cursor.advance(plan, best_kernel())?;
            plan.primes_of_segment(s, seg, &mut self.buf);
        }
    }
}

/// The number of primes up to 2^64 (`pi(2^64)`): no `nth_prime` beyond it fits a `u64`.
pub const PRIMES_BELOW_2_64: u64 = 425_656_284_035_217_743;

/// The `k`-th prime (1-based) on `backend`.
pub(crate) fn nth_prime(k: u64, backend: Backend) -> Result<u64> {
    if k == 0 {
        return Err(Error::new(ErrorKind::OutOfRange, "nth_prime: k counts from 1 (nth_prime(1) = 2)"));
    }
    if k > PRIMES_BELOW_2_64 {
        return Err(Error::new(ErrorKind::OutOfRange, format!("nth_prime({k}) exceeds u64::MAX")));
    }
    if k <= 5 {
        return Ok([2, 3, 5, 7, 11][k as usize - 1]);
    }
    // Dusart: p_k >= k (ln k + ln ln k - 1) for k >= 2; back off a little for float error.
    let kf = k as f64;
    let est = kf * (kf.ln() + kf.ln().ln() - 1.0);
    let below = ((est * (1.0 - 1e-9)) as u64).saturating_sub(64);
    // Rosser: p_k < k (ln k + ln ln k) for k >= 6 (the float cast saturates at u64::MAX).
    let above = (kf * (kf.ln() + kf.ln().ln()) * (1.0 + 1e-9)) as u64;
    let above = above.saturating_add(64);
    let mut seen = Sieve::new(..=below)?.backend(backend).count()?;
    for p in Sieve::new(below + 1..=above)?.iter()? {
        seen += 1;
        if seen == k {
            return Ok(p);
        }
    }
    Err(Error::new(ErrorKind::OutOfRange, format!("nth_prime({k}) exceeds u64::MAX")))
}

/// Builder for [`crate::nth_prime`] with a chosen backend: `NthPrime::new(k).backend(b).run()`.
#[derive(Clone, Debug)]
pub struct NthPrime {
    k: u64,
    backend: Backend,
}

impl NthPrime {
    /// The `k`-th prime (1-based), backend `Auto`.
    pub fn new(k: u64) -> Self {
        NthPrime { k, backend: Backend::Auto }
    }

    /// The backend of the counting step (the final short walk is sequential).
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// Finds it: counts the primes below a lower bound for p_k (Dusart), then walks forward.
    /// Errors: `OutOfRange` for `k == 0` or beyond `u64::MAX`, `BackendUnavailable`.
    pub fn run(&self) -> Result<u64> {
        self.backend.resolve(compiled(), true)?;
        nth_prime(self.k, self.backend)
    }
}
