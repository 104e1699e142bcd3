//! The `wide` kernel: the canonical formula on `f64x4` / `f32x8` across contiguous columns of
//! a row's interior; the columns left over use the same formula on scalars, so every lane
//! computes exactly what the scalar kernel computes.

use crate::backend::cell;
use crate::real::Real;

/// Columns `1..m-1` of a row (`m >= 3`; all slices already cut to `m`).
#[inline]
pub(crate) fn interior<T: Real, const N: usize>(out: &mut [T], c: &[T], nb: &[[&[T]; 2]; N], ko: [T; N], kl: T) {
    let m = c.len();
    let lanes = T::LANES;
    let mut kov = [T::splat(kl); N];
    for (v, &k) in kov.iter_mut().zip(&ko) {
        *v = T::splat(k);
    }
    let klv = T::splat(kl);
    let mut j = 1;
    while j + lanes < m {
        // A plain loop, not `array::from_fn`: the closure is not always inlined.
        let mut nbv = [[klv; 2]; N];
        for (v, [lo, hi]) in nbv.iter_mut().zip(nb) {
            *v = [T::load(&lo[j..]), T::load(&hi[j..])];
        }
        let v = cell(T::load(&c[j..]), T::load(&c[j - 1..]), T::load(&c[j + 1..]), nbv, kov, klv);
        T::store(v, &mut out[j..]);
        j += lanes;
    }
    // The remaining columns j..m-1: the scalar kernel on the sub-row starting at j-1.
    let nb = nb.map(|[a, b]| [&a[j - 1..], &b[j - 1..]]);
    crate::scalar::interior(&mut out[j - 1..], &c[j - 1..], &nb, ko, kl);
}
