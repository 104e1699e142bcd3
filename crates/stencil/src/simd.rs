//! The `wide` kernel: the canonical formula on `f64x4` / `f32x8` across contiguous columns of
//! a row's interior; the columns left over use the same formula on scalars, so every lane
//! computes exactly what the scalar kernel computes.

use crate::backend::cell;
use crate::real::Real;

/// Columns `1..m-1` of a row (`m >= 3`; all slices already cut to `m`).
#[inline]
pub(crate) fn interior<T: Real, const N: usize>(out: &mut [T], c: &[T], nb: &[[&[T]; 2]; N], ko: [T; N], kl: T) {
    // The lane count as a const parameter, so every operand becomes a slice of `[T; L]` arrays.
    match T::LANES {
        2 => lanes::<T, N, 2>(out, c, nb, ko, kl),
        4 => lanes::<T, N, 4>(out, c, nb, ko, kl),
        8 => lanes::<T, N, 8>(out, c, nb, ko, kl),
        _ => crate::scalar::interior(out, c, nb, ko, kl),
    }
}

/// The kernel for `L == T::LANES`: every operand is cut to the same number of `[T; L]` chunks
/// up front, so the loop carries no bounds checks (with per-column slicing they were a fifth of
/// its instructions, and it is bound by instruction throughput: it ran slower than the scalar
/// loop LLVM vectorises by itself).
#[inline(always)]
fn lanes<T: Real, const N: usize, const L: usize>(out: &mut [T], c: &[T], nb: &[[&[T]; 2]; N], ko: [T; N], kl: T) {
    let m = c.len();
    let body = (m - 2) / L * L;
    let n = body / L;
    let mut kov = [T::splat(kl); N];
    for (v, &k) in kov.iter_mut().zip(&ko) {
        *v = T::splat(k);
    }
    let klv = T::splat(kl);
    fn chunks<T, const L: usize>(s: &[T], from: usize, n: usize) -> &[[T; L]] {
        &s[from..from + n * L].as_chunks::<L>().0[..n]
    }
    let (o, _) = out[1..1 + body].as_chunks_mut::<L>();
    let o = &mut o[..n];
    let (l, u, r) = (chunks::<T, L>(c, 0, n), chunks::<T, L>(c, 1, n), chunks::<T, L>(c, 2, n));
    let nbc: [[&[[T; L]]; 2]; N] = nb.map(|[lo, hi]| [chunks::<T, L>(lo, 1, n), chunks::<T, L>(hi, 1, n)]);
    let at = |i: usize| {
        // A plain loop, not `array::from_fn`: the closure is not always inlined.
        let mut nbv = [[klv; 2]; N];
        for (v, [lo, hi]) in nbv.iter_mut().zip(&nbc) {
            *v = [T::load(&lo[i]), T::load(&hi[i])];
        }
        cell(T::load(&u[i]), T::load(&l[i]), T::load(&r[i]), nbv, kov, klv)
    };
    // Two independent vectors per iteration: half the loop overhead per cell.
    for i in (0..n / 2 * 2).step_by(2) {
        let (a, b) = (at(i), at(i + 1));
        T::store(a, &mut o[i]);
        T::store(b, &mut o[i + 1]);
    }
    if n % 2 == 1 {
        T::store(at(n - 1), &mut o[n - 1]);
    }
    // The remaining columns body+1..m-1: the scalar kernel on the sub-row starting at body.
    let nb = nb.map(|[a, b]| [&a[body..], &b[body..]]);
    crate::scalar::interior(&mut out[body..], &c[body..], &nb, ko, kl);
}
