//! The scalar reference backend: the book's per-pixel loop, with the arithmetic contract.

use std::ops::{Add, Mul, Sub};

use crate::backend::Job;
use crate::{Escape, Precision};

/// The float types the scalar kernel runs in.
pub(crate) trait Real: Copy + PartialOrd + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> {
    const TWO: Self;
    const FOUR: Self;
    fn from_f64(x: f64) -> Self;
    fn hypot(self, other: Self) -> Self;
}

impl Real for f64 {
    const TWO: Self = 2.0;
    const FOUR: Self = 4.0;
    fn from_f64(x: f64) -> Self {
        x
    }
    fn hypot(self, other: Self) -> Self {
        f64::hypot(self, other)
    }
}

impl Real for f32 {
    const TWO: Self = 2.0;
    const FOUR: Self = 4.0;
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    fn hypot(self, other: Self) -> Self {
        f32::hypot(self, other)
    }
}

/// The escape count of one pixel: test `n < max_iter`, then `|z| < 2` (as `zr*zr + zi*zi < 4`,
/// or the book's `hypot`), then `zr' = (zr*zr - zi*zi) + cr`, `zi' = (zr*zi + zr*zi) + ci`.
#[inline]
pub(crate) fn count<T: Real>(px: [f64; 4], max_iter: u32, hypot: bool) -> u32 {
    let [mut zr, mut zi, cr, ci] = px.map(T::from_f64);
    let mut n = 0;
    while n < max_iter {
        let (zr2, zi2) = (zr * zr, zi * zi);
        let inside = if hypot { zr.hypot(zi) < T::TWO } else { zr2 + zi2 < T::FOUR };
        if !inside {
            break;
        }
        let t = zr * zi;
        zr = (zr2 - zi2) + cr;
        zi = (t + t) + ci;
        n += 1;
    }
    n
}

/// Counts of pixels `start..start + out.len()` of `job`.
pub(crate) fn fill(job: &Job<'_>, start: usize, out: &mut [u32]) {
    let hypot = job.escape == Escape::Hypot;
    let mut cursor = job.source.cursor(start);
    for slot in out.iter_mut() {
        let px = cursor.next_pixel();
        *slot = match job.precision {
            Precision::F64 => count::<f64>(px, job.max_iter, hypot),
            Precision::F32 => count::<f32>(px, job.max_iter, hypot),
        };
    }
}

/// The smooth (fractional) escape value of one pixel in `f64`: `n + 1 - log2(ln |z_n|)` with `n`
/// the escape count and `z_n` the first point outside the radius; `max_iter` when it never
/// escapes. Uses the same iteration as [`count`].
pub(crate) fn smooth(px: [f64; 4], max_iter: u32) -> f64 {
    let [mut zr, mut zi, cr, ci] = px;
    let mut n = 0;
    while n < max_iter {
        let (zr2, zi2) = (zr * zr, zi * zi);
        let norm2 = zr2 + zi2;
        let inside = norm2 < 4.0;
        if !inside {
            let ln_abs = 0.5 * norm2.ln();
            return n as f64 + 1.0 - ln_abs.log2();
        }
        let t = zr * zi;
        zr = (zr2 - zi2) + cr;
        zi = (t + t) + ci;
        n += 1;
    }
    max_iter as f64
}
