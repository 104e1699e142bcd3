//! Deliberately naive references: one byte per register, one bool per bit, a BTreeSet.

use std::collections::BTreeSet;

use probabilistic::HashKind;

/// HyperLogLog registers computed the slow, obvious way.
pub(crate) fn hll_registers(p: u8, hashes: impl IntoIterator<Item = u64>) -> Vec<u8> {
    let m = 1usize << p;
    let mut regs = vec![0u8; m];
    for h in hashes {
        let idx = (h % m as u64) as usize;
        let rest = h >> p;
        // rank = position of the lowest set bit of the remaining 64 - p bits, 1-based.
        let mut rank = 1u8;
        while rank <= 64 - p && (rest >> (rank - 1)) & 1 == 0 {
            rank += 1;
        }
        regs[idx] = regs[idx].max(rank);
    }
    regs
}

/// The HyperLogLog estimate in plain f64 (sum of powers), with linear counting.
pub(crate) fn hll_estimate(regs: &[u8]) -> f64 {
    let m = regs.len() as f64;
    let alpha = match regs.len() {
        16 => 0.673,
        32 => 0.697,
        64 => 0.709,
        _ => 0.7213 / (1.0 + 1.079 / m),
    };
    let sum: f64 = regs.iter().map(|&r| 2f64.powi(-i32::from(r))).sum();
    let e = alpha * m * m / sum;
    let zeros = regs.iter().filter(|&&r| r == 0).count() as f64;
    if e <= 2.5 * m && zeros > 0.0 { m * (m / zeros).ln() } else { e }
}

/// The k smallest distinct hashes.
pub(crate) fn kmv(k: usize, hashes: impl IntoIterator<Item = u64>) -> Vec<u64> {
    let set: BTreeSet<u64> = hashes.into_iter().collect();
    set.into_iter().take(k).collect()
}

/// `n` distinct items as bytes: the little-endian encoding of `start..start + n`.
pub(crate) fn items(start: u64, n: u64) -> Vec<[u8; 8]> {
    (start..start + n).map(u64::to_le_bytes).collect()
}

pub(crate) fn hashes(h: HashKind, items: &[[u8; 8]]) -> Vec<u64> {
    items.iter().map(|i| h.hash(i)).collect()
}

/// Mean and standard deviation.
pub(crate) fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}
