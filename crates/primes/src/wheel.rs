//! The segmented sieve of Eratosthenes on a mod-30 wheel, shared by every backend.
//!
//! **Layout.** Byte `b` of the sieve stands for the 30 numbers `30b .. 30b + 29`; its 8 bits are
//! the residues coprime to 30 (`1, 7, 11, 13, 17, 19, 23, 29`), so one byte holds 30 numbers and
//! 2, 3 and 5 are counted apart. A set bit means "no sieving prime divides it".
//!
//! **Three kinds of sieving primes.** The small primes 7 ..= 97 are never crossed off one by one:
//! each segment starts as the AND of ten precomputed periodic patterns (the *pre-sieve*, the only
//! part the `simd` backend vectorises by hand), built [`FILL_BLOCK`] bytes at a time so the
//! patterns (about 120 KB) stay in the L2 cache. Primes from 101 up to `min(isqrt(hi), 2^22)` are
//! crossed off: prime `p` hits 8 arithmetic progressions of byte stride `p` (one per residue of
//! the cofactor), each with a fixed bit, so the inner loop is `seg[i] &= mask; i += p`. A prime
//! joins when its square reaches the segment. Above `2^22` (ranges beyond 2^44) the sieve stops
//! there and the survivors above `2^44` are confirmed with `is_prime` (exact), so memory stays
//! bounded for any window up to `u64::MAX`.
//!
//! **Segments.** A segment is `segment_bytes` bytes (30 numbers each), sized to the L2 cache;
//! primes below `L1_BLOCK / 4` (many hits per segment) cross off in L1-sized blocks of it, and
//! each prime's 8 progressions advance together in rounds whose masks are immediates (one
//! copy of the loop per residue class of `p mod 30`).
//! Work is cut into fixed chunks of whole segments (`CHUNK_BYTES`, independent of the thread
//! count); each chunk sets up its own crossing state, so chunks run in any order or in parallel
//! and their results combine in index order.

use crate::primality::is_prime;

/// The residues coprime to 30, one per bit.
pub(crate) const RES: [u64; 8] = [1, 7, 11, 13, 17, 19, 23, 29];

/// Bit index of each residue mod 30 (`8` for residues not coprime to 30).
const BIT_OF: [u8; 30] = {
    let mut t = [8u8; 30];
    let mut i = 0;
    while i < 8 {
        t[RES[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// For `p mod 30` and progression `j` (cofactor residue `RES[j]`): the mask that clears the bit
/// of `p * RES[j]`.
const MASKS: [[u8; 8]; 30] = {
    let mut t = [[0xFFu8; 8]; 30];
    let mut r = 0;
    while r < 30 {
        if BIT_OF[r] < 8 {
            let mut j = 0;
            while j < 8 {
                let bit = BIT_OF[(r * RES[j] as usize) % 30];
                t[r][j] = !(1u8 << bit);
                j += 1;
            }
        }
        r += 1;
    }
    t
};

/// Groups of small primes whose products are the pre-sieve pattern periods (in bytes; the
/// largest is 8,633, so with [`FILL_BLOCK`] bytes each all the patterns stay in the L2 cache).
const PRESIEVE_GROUPS: &[&[u64]] = &[
    &[7, 11, 13],
    &[17, 19, 23],
    &[29, 31],
    &[37, 41],
    &[43, 47],
    &[53, 59],
    &[61, 67],
    &[71, 73],
    &[79, 83],
    &[89, 97],
];

/// The largest pre-sieved prime; crossing off starts above it.
pub(crate) const PRESIEVE_MAX: u64 = {
    let last = PRESIEVE_GROUPS[PRESIEVE_GROUPS.len() - 1];
    last[last.len() - 1]
};

/// Bytes of a segment built from the patterns at a time.
const FILL_BLOCK: usize = 8 << 10;

/// Sieving primes stop here; beyond `SIEVE_CAP^2` survivors are confirmed with `is_prime`.
pub(crate) const SIEVE_CAP: u64 = 1 << 22;

/// Bytes per parallel chunk (about 63 million numbers); a multiple of every segment size.
pub(crate) const CHUNK_BYTES: u64 = 1 << 21;

/// Bytes of the L1 blocks in which the small sieving primes cross off.
pub(crate) const L1_BLOCK: usize = 32 << 10;

/// The smallest and largest segment sizes accepted.
pub(crate) const MIN_SEGMENT: usize = 1 << 10;
/// See [`MIN_SEGMENT`].
pub(crate) const MAX_SEGMENT: usize = 1 << 24;

/// What differs between the single-thread backends: building a segment from the pre-sieve
/// patterns, and counting its set bits.
pub(crate) trait Kernel: Sync {
    /// `seg[i] = pats[0][i] & pats[1][i] & ...` (every pattern is at least `seg.len()` long).
    fn fill(&self, seg: &mut [u8], pats: &[&[u8]]);
    /// The number of set bits in `seg`.
    fn count(&self, seg: &[u8]) -> u64;
}

/// A periodic pre-sieve pattern, stored with [`FILL_BLOCK`] extra bytes so any window of a
/// block is contiguous.
#[derive(Debug)]
struct Pattern {
    period: u64,
    bytes: Vec<u8>,
}

impl Pattern {
    fn new(primes: &[u64], extra: usize) -> Self {
        let period: u64 = primes.iter().product();
        let len = period as usize + extra;
        let mut bytes = vec![0xFFu8; len];
        for &p in primes {
            for (k, &r) in RES.iter().enumerate() {
                // 30 i + r == 0 (mod p)  <=>  i == -r / 30 (mod p)
                let inv30 = (1..p).find(|x| (30 * x) % p == 1).unwrap_or(1);
                let mut i = ((p - r % p) % p * inv30 % p) as usize;
                while i < len {
                    bytes[i] &= !(1u8 << k);
                    i += p as usize;
                }
            }
        }
        Pattern { period, bytes }
    }
}

/// Everything a sieve over `[lo, hi]` needs, shared read-only by every chunk.
#[derive(Debug)]
pub(crate) struct Plan {
    /// Inclusive bounds.
    pub(crate) lo: u64,
    pub(crate) hi: u64,
    /// Wheel bytes `first ..= last` cover the range.
    pub(crate) first: u64,
    pub(crate) last: u64,
    /// Sieving primes above `PRESIEVE_MAX` (ascending).
    base: Vec<u32>,
    /// `true` when the base primes reach `isqrt(hi)` (no `is_prime` confirmation needed).
    full: bool,
    pub(crate) segment: usize,
}

/// Primes in `[3, limit]` by a plain odd-only sieve (used for the base primes only).
pub(crate) fn small_primes(limit: u64) -> Vec<u32> {
    let limit = limit as usize;
    if limit < 3 {
        return Vec::new();
    }
    let mut composite = vec![false; limit / 2 + 1];
    let mut i = 3;
    while i * i <= limit {
        if !composite[i / 2] {
            let mut j = i * i;
            while j <= limit {
                composite[j / 2] = true;
                j += 2 * i;
            }
        }
        i += 2;
    }
    (1..=limit / 2).filter(|&k| !composite[k] && 2 * k < limit).map(|k| (2 * k + 1) as u32).collect()
}

/// The pre-sieve patterns, built once (about 120 KB).
fn presieve_patterns() -> &'static [Pattern] {
    static PATTERNS: std::sync::OnceLock<Vec<Pattern>> = std::sync::OnceLock::new();
    PATTERNS.get_or_init(|| PRESIEVE_GROUPS.iter().map(|g| Pattern::new(g, FILL_BLOCK)).collect())
}

/// The odd primes up to `SIEVE_CAP`, computed once (295,947 of them, 1.2 MB).
fn base_primes() -> &'static [u32] {
    static BASE: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    BASE.get_or_init(|| small_primes(SIEVE_CAP))
}

impl Plan {
    /// A plan for the non-empty inclusive range `[lo, hi]` with segments of `segment` bytes.
    pub(crate) fn new(lo: u64, hi: u64, segment: usize) -> Self {
        // Never larger than the range needs (small ranges get small buffers).
        let bytes = (hi / 30 - lo / 30 + 1).next_multiple_of(64);
        let segment = segment.clamp(MIN_SEGMENT, MAX_SEGMENT).next_multiple_of(64).min(bytes.max(64) as usize);
        let root = hi.isqrt();
        let limit = root.min(SIEVE_CAP);
        let all = base_primes();
        let from = all.partition_point(|&p| p as u64 <= PRESIEVE_MAX);
        let to = all.partition_point(|&p| p as u64 <= limit);
        let base = all[from..to.max(from)].to_vec();
        Plan { lo, hi, first: lo / 30, last: hi / 30, base, full: root <= SIEVE_CAP, segment }
    }

    /// The number of wheel bytes in the range.
    pub(crate) fn bytes(&self) -> u64 {
        self.last - self.first + 1
    }

    /// The chunk size in bytes (a multiple of the segment size, never thread-dependent).
    pub(crate) fn chunk_bytes(&self) -> u64 {
        CHUNK_BYTES.next_multiple_of(self.segment as u64)
    }

    /// The number of chunks.
    pub(crate) fn chunks(&self) -> u64 {
        self.bytes().div_ceil(self.chunk_bytes())
    }

    /// The byte range `[a, b)` of chunk `k`.
    pub(crate) fn chunk(&self, k: u64) -> (u64, u64) {
        let a = self.first + k * self.chunk_bytes();
        (a, (a + self.chunk_bytes()).min(self.last + 1))
    }

    /// How many of 2, 3, 5 lie in the range.
    pub(crate) fn wheel_primes(&self) -> impl Iterator<Item = u64> + '_ {
        [2u64, 3, 5].into_iter().filter(|p| (self.lo..=self.hi).contains(p))
    }

    /// Sieves wheel bytes `[a, b)` segment by segment and calls `f(first_byte, segment)`.
    /// Bits outside `[lo, hi]` are cleared; in a capped plan, set bits above `SIEVE_CAP^2` may be
    /// composite (see [`Plan::count_segment`] and [`Plan::primes_of_segment`]).
    pub(crate) fn sieve_bytes<K: Kernel + ?Sized>(&self, kernel: &K, a: u64, b: u64, mut f: impl FnMut(u64, &[u8])) {
        let mut cursor = Cursor::new(self, a, b);
        while let Some((s, seg)) = cursor.advance(self, kernel) {
            f(s, seg);
        }
    }

    /// Restores the pre-sieved primes, clears 1, and clears bits outside `[lo, hi]`.
    fn fix_up(&self, s: u64, seg: &mut [u8]) {
        if s == 0 {
            seg[0] &= !1; // 1 is not prime
        }
        // The pre-sieved primes live in the first few wheel bytes.
        for &p in PRESIEVE_GROUPS.iter().copied().flatten() {
            let byte = p / 30;
            if byte >= s && byte < s + seg.len() as u64 {
                seg[(byte - s) as usize] |= 1 << BIT_OF[(p % 30) as usize];
            }
        }
        let end = s + seg.len() as u64;
        if (s..end).contains(&self.first) {
            let below = self.lo - self.first * 30; // 0 ..= 29: bits under it are outside
            let mut m = 0u8;
            for (k, &r) in RES.iter().enumerate() {
                if r >= below {
                    m |= 1 << k;
                }
            }
            seg[(self.first - s) as usize] &= m;
        }
        if (s..end).contains(&self.last) {
            let room = self.hi - self.last * 30; // 0 ..= 29, no overflow
            let mut m = 0u8;
            for (k, &r) in RES.iter().enumerate() {
                if r <= room {
                    m |= 1 << k;
                }
            }
            seg[(self.last - s) as usize] &= m;
        }
    }

    /// Whether survivors of this segment may need `is_prime` confirmation.
    fn needs_check(&self, s: u64, len: usize) -> bool {
        !self.full && 30 * (s as u128 + len as u128) > (SIEVE_CAP as u128).pow(2)
    }

    /// The number of primes in a sieved segment.
    pub(crate) fn count_segment<K: Kernel + ?Sized>(&self, kernel: &K, s: u64, seg: &[u8]) -> u64 {
        if self.needs_check(s, seg.len()) {
            let mut n = 0;
            for_each_set(s, seg, |p| n += u64::from(p <= SIEVE_CAP * SIEVE_CAP || is_prime(p)));
            n
        } else {
            kernel.count(seg)
        }
    }

    /// Appends the primes of a sieved segment to `out`, ascending.
    pub(crate) fn primes_of_segment(&self, s: u64, seg: &[u8], out: &mut Vec<u64>) {
        if self.needs_check(s, seg.len()) {
            for_each_set(s, seg, |p| {
                if p <= SIEVE_CAP * SIEVE_CAP || is_prime(p) {
                    out.push(p)
                }
            });
        } else {
            for_each_set(s, seg, |p| out.push(p));
        }
    }

    /// Counts the primes in chunk `k` (2, 3 and 5 excluded).
    pub(crate) fn count_chunk<K: Kernel + ?Sized>(&self, kernel: &K, k: u64) -> u64 {
        let (a, b) = self.chunk(k);
        let mut n = 0;
        self.sieve_bytes(kernel, a, b, |s, seg| n += self.count_segment(kernel, s, seg));
        n
    }

    /// Lists the primes in chunk `k` (2, 3 and 5 excluded).
    pub(crate) fn collect_chunk<K: Kernel + ?Sized>(&self, kernel: &K, k: u64) -> Vec<u64> {
        let (a, b) = self.chunk(k);
        let mut out = Vec::new();
        self.sieve_bytes(kernel, a, b, |s, seg| self.primes_of_segment(s, seg, &mut out));
        out
    }
}

/// A resumable walk over the segments of wheel bytes `[s, end)`: the crossing-off state of
/// the sieving primes carries from one segment to the next.
#[derive(Debug)]
pub(crate) struct Cursor {
    active: Vec<Active>,
    next: usize,
    s: u64,
    end: u64,
    buf: Vec<u8>,
}

impl Cursor {
    /// A walk over wheel bytes `[a, b)` of `plan`.
    pub(crate) fn new(plan: &Plan, a: u64, b: u64) -> Self {
        Cursor { active: Vec::new(), next: 0, s: a, end: b, buf: vec![0u8; plan.segment] }
    }

    /// Sieves the next segment; returns its first wheel byte and its bytes.
    pub(crate) fn advance<K: Kernel + ?Sized>(&mut self, plan: &Plan, kernel: &K) -> Option<(u64, &[u8])> {
        let s = self.s;
        if s >= self.end {
            return None;
        }
        let len = (self.end - s).min(plan.segment as u64) as usize;
        let seg = &mut self.buf[..len];
        let patterns = presieve_patterns();
        for (i, block) in seg.chunks_mut(FILL_BLOCK).enumerate() {
            let at = s + (i * FILL_BLOCK) as u64;
            let pats: [&[u8]; PRESIEVE_GROUPS.len()] = std::array::from_fn(|k| {
                let off = (at % patterns[k].period) as usize;
                &patterns[k].bytes[off..off + block.len()]
            });
            kernel.fill(block, &pats);
        }
        // Activate the primes whose square falls in or below this segment.
        let seg_hi = 30 * (s as u128 + len as u128) - 1;
        while self.next < plan.base.len() && (plan.base[self.next] as u128).pow(2) <= seg_hi {
            self.active.push(Active::new(plan.base[self.next] as u64, s));
            self.next += 1;
        }
        // Small primes (many hits per segment) cross off block by block so their stores stay in
        // the L1 cache; the rest sweep the whole (L2-sized) segment once.
        let split = self.active.partition_point(|a| (a.p as usize) * 4 <= L1_BLOCK);
        for block in seg.chunks_mut(L1_BLOCK) {
            cross_off(block, &mut self.active[..split]);
        }
        cross_off(seg, &mut self.active[split..]);
        plan.fix_up(s, seg);
        self.s += len as u64;
        Some((s, &self.buf[..len]))
    }
}

/// Calls `f(n)` for each set bit of a segment starting at wheel byte `s`, ascending.
fn for_each_set(s: u64, seg: &[u8], mut f: impl FnMut(u64)) {
    let mut words = seg.chunks_exact(8);
    let mut byte = s;
    for w in words.by_ref() {
        let mut bits = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        while bits != 0 {
            let tz = bits.trailing_zeros() as u64;
            f(30 * (byte + tz / 8) + RES[(tz % 8) as usize]);
            bits &= bits - 1;
        }
        byte += 8;
    }
    for &b in words.remainder() {
        let mut bits = b;
        while bits != 0 {
            let tz = bits.trailing_zeros() as u64;
            f(30 * byte + RES[tz as usize]);
            bits &= bits - 1;
        }
        byte += 1;
    }
}

/// The crossing-off state of one sieving prime: the next byte (relative to the current
/// segment) of each of its 8 progressions.
#[derive(Debug, Clone, Copy)]
struct Active {
    p: u32,
    off: [u32; 8],
}

impl Active {
    /// State for prime `p` entering at the segment that starts at wheel byte `s`: each
    /// progression starts at its first multiple `p * q >= max(p^2, 30 s)`.
    fn new(p: u64, s: u64) -> Self {
        // 30 s <= hi fits a u64; p * q may not, but p * q - 30 s < 30 (segment + p) does.
        let qmin = (30 * s).div_ceil(p).max(p);
        let r0 = qmin % 30;
        let mut off = [0u32; 8];
        for (j, &r) in RES.iter().enumerate() {
            let q = qmin as u128 + ((r + 30 - r0) % 30) as u128;
            off[j] = ((p as u128 * q - 30 * s as u128) as u64 / 30) as u32;
        }
        Active { p: p as u32, off }
    }
}

/// Crosses off every active prime's multiples in `seg` and advances their state.
///
/// After a prime's first segment its 8 offsets all lie in `[0, p)`, so the progressions
/// advance in *rounds*: round `k` clears `seg[k p + off[j]]` for the 8 `j` with masks held in
/// registers (one bounds check per round, on the `p`-byte window). The partial last round and
/// primes with fewer than two rounds per segment take the plain strided loops.
fn cross_off(seg: &mut [u8], active: &mut [Active]) {
    let len = seg.len();
    for a in active {
        let p = a.p as usize;
        let masks = &MASKS[a.p as usize % 30];
        let mut base = 0;
        if p * 2 <= len && a.off.iter().all(|&o| (o as usize) < p) {
            let o = a.off.map(|o| o as usize);
            // One copy of the round loop per residue class of p, so the masks are immediates.
            base = match p % 30 {
                1 => rounds::<1>(seg, p, o),
                7 => rounds::<7>(seg, p, o),
                11 => rounds::<11>(seg, p, o),
                13 => rounds::<13>(seg, p, o),
                17 => rounds::<17>(seg, p, o),
                19 => rounds::<19>(seg, p, o),
                23 => rounds::<23>(seg, p, o),
                _ => rounds::<29>(seg, p, o),
            };
        }
        for (off, &m) in a.off.iter_mut().zip(masks) {
            let mut i = *off as usize + base;
            while i < len {
                seg[i] &= m;
                i += p;
            }
            *off = (i - len) as u32;
        }
    }
}

/// The full rounds of a prime `p == R (mod 30)` whose 8 offsets `o` lie in `[0, p)`; returns
/// where the first incomplete round starts.
#[inline(always)]
fn rounds<const R: usize>(seg: &mut [u8], p: usize, o: [usize; 8]) -> usize {
    let m = const { MASKS[R] };
    let mut base = 0;
    while base + p <= seg.len() {
        let w = &mut seg[base..base + p];
        w[o[0]] &= m[0];
        w[o[1]] &= m[1];
        w[o[2]] &= m[2];
        w[o[3]] &= m[3];
        w[o[4]] &= m[4];
        w[o[5]] &= m[5];
        w[o[6]] &= m[6];
        w[o[7]] &= m[7];
        base += p;
    }
    base
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::Scalar;

    #[test]
    fn masks_and_patterns() {
        // 7 * 7 = 49 = 30 + 19: progression of cofactor 7 for p = 7 clears bit of 19.
        assert_eq!(MASKS[7][1], !(1 << BIT_OF[19]));
        let pat = Pattern::new(&[7], 0);
        // byte 0: 7 is crossed (the pattern does not know primes), 1, 11, 13 ... are not.
        assert_eq!(pat.bytes[0] & (1 << BIT_OF[7]), 0);
        assert_ne!(pat.bytes[0] & (1 << BIT_OF[11]), 0);
        assert_eq!(small_primes(30), vec![3, 5, 7, 11, 13, 17, 19, 23, 29]);
    }

    #[test]
    fn small_plan_lists_primes() {
        let plan = Plan::new(0, 1000, MIN_SEGMENT);
        let mut got: Vec<u64> = plan.wheel_primes().collect();
        for k in 0..plan.chunks() {
            got.extend(plan.collect_chunk(&Scalar, k));
        }
        let want: Vec<u64> = (0..=1000).filter(|&n| crate::oracle::is_prime_naive(n)).collect();
        assert_eq!(got, want);
    }
}
