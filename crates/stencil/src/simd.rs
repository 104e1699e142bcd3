//! The SIMD kernel: the canonical formula on whole vectors across contiguous columns of a
//! row's interior, compiled for the widest instruction set the CPU offers and picked at run
//! time by [`pulp`] (x86-64: AVX2 when present, so a default build runs 256-bit vectors on
//! any current x86; aarch64: NEON; otherwise scalar lanes). The arithmetic is IEEE `+ - *`,
//! never fused, so every lane computes exactly what the scalar kernel computes on any CPU.
//! The columns left over after the last whole vector use the scalar kernel.

use std::ops::{Add, Mul, Sub};
use std::sync::LazyLock;

use pulp::{Arch, Simd, WithSimd};

use crate::backend::cell;
use crate::real::Real;

/// The instruction set, detected once.
static ARCH: LazyLock<Arch> = LazyLock::new(Arch::new);

/// The instruction set the kernel runs on this CPU, as the docs and reports name it.
pub(crate) fn level() -> &'static str {
    #[cfg(target_arch = "x86_64")]
    if matches!(*ARCH, Arch::V3(_)) {
        return "avx2";
    }
    #[cfg(target_arch = "aarch64")]
    if !matches!(*ARCH, Arch::Scalar) {
        return "neon";
    }
    "scalar"
}

/// One vector of `T` for the instruction set `S`, with the operators the canonical formula
/// needs, so `cell` runs on it unchanged.
#[derive(Clone, Copy)]
struct Lanes<S: Simd, T: Real>(S, T::V<S>);

impl<S: Simd, T: Real> Add for Lanes<S, T> {
    type Output = Self;
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        Lanes(self.0, T::vadd(self.0, self.1, o.1))
    }
}

impl<S: Simd, T: Real> Sub for Lanes<S, T> {
    type Output = Self;
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        Lanes(self.0, T::vsub(self.0, self.1, o.1))
    }
}

impl<S: Simd, T: Real> Mul for Lanes<S, T> {
    type Output = Self;
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        Lanes(self.0, T::vmul(self.0, self.1, o.1))
    }
}

/// The arguments of [`interior`], handed to the instruction set `pulp` picks.
struct Interior<'a, T, const N: usize> {
    out: &'a mut [T],
    c: &'a [T],
    nb: &'a [[&'a [T]; 2]; N],
    ko: [T; N],
    kl: T,
}

impl<'a, T: Real, const N: usize> WithSimd for Interior<'a, T, N> {
    type Output = ();
    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        let Interior { out, c, nb, ko, kl } = self;
        // The first columns one at a time, up to the first centre cell on a vector boundary:
        // the centre, upper and lower loads and the store then never straddle a cache line
        // (measured in L1: 15-20% faster than starting at column 1).
        let width = size_of::<T::V<S>>();
        let lead = c[1..].as_ptr().align_offset(width).min(c.len() - 2);
        if lead == 0 {
            return vectors(simd, out, c, nb, ko, kl);
        }
        let cut = |s: &'a [T]| &s[..lead + 2];
        crate::scalar::interior(&mut out[..lead + 2], cut(c), &nb.map(|[a, b]| [cut(a), cut(b)]), ko, kl);
        let rest = |s: &'a [T]| &s[lead..];
        vectors(simd, &mut out[lead..], rest(c), &nb.map(|[a, b]| [rest(a), rest(b)]), ko, kl);
    }
}

/// Columns `1..m-1` of a row from whole vectors, the columns left after the last whole vector
/// from the scalar kernel.
#[inline(always)]
fn vectors<S: Simd, T: Real, const N: usize>(simd: S, out: &mut [T], c: &[T], nb: &[[&[T]; 2]; N], ko: [T; N], kl: T) {
    let m = c.len();
    let o = T::vectors_mut::<S>(&mut out[1..m - 1]);
    let n = o.len();
    // Every operand cut to the same `n` vectors up front: no bounds checks in the loop.
    fn cut<S: Simd, T: Real>(s: &[T], from: usize, n: usize) -> &[T::V<S>] {
        &T::vectors::<S>(&s[from..])[..n]
    }
    let at = |s, from| cut::<S, T>(s, from, n);
    let (l, u, r) = (at(c, 0), at(c, 1), at(c, 2));
    let nbv: [[&[T::V<S>]; 2]; N] = nb.map(|[lo, hi]| [at(lo, 1), at(hi, 1)]);
    let kov = ko.map(|k| Lanes(simd, T::vsplat(simd, k)));
    let klv = Lanes(simd, T::vsplat(simd, kl));
    let v = |x: T::V<S>| Lanes::<S, T>(simd, x);
    for (i, o) in o.iter_mut().enumerate() {
        // A plain loop, not `array::from_fn`: the closure is not always inlined.
        let mut nbi = [[klv; 2]; N];
        for (slot, [lo, hi]) in nbi.iter_mut().zip(&nbv) {
            *slot = [v(lo[i]), v(hi[i])];
        }
        *o = cell(v(u[i]), v(l[i]), v(r[i]), nbi, kov, klv).1;
    }
    // The remaining columns: the scalar kernel on the sub-row starting at the last vector.
    let body = n * (size_of::<T::V<S>>() / size_of::<T>());
    let nb = nb.map(|[a, b]| [&a[body..], &b[body..]]);
    crate::scalar::interior(&mut out[body..], &c[body..], &nb, ko, kl);
}

/// Columns `1..m-1` of a row (`m >= 3`; all slices already cut to `m`).
#[inline]
pub(crate) fn interior<T: Real, const N: usize>(out: &mut [T], c: &[T], nb: &[[&[T]; 2]; N], ko: [T; N], kl: T) {
    ARCH.dispatch(Interior { out, c, nb, ko, kl });
}

/// [`interior`] on `pulp`'s plain lanes, whatever this CPU has: the path of a CPU without a
/// vector unit the kernel knows, so the tests cover it on every machine.
#[cfg(test)]
pub(crate) fn interior_plain<T: Real, const N: usize>(out: &mut [T], c: &[T], nb: &[[&[T]; 2]; N], ko: [T; N], kl: T) {
    pulp::Scalar::new().vectorize(Interior { out, c, nb, ko, kl });
}
