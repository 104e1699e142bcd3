//! The scalar reference kernel: the interior columns `1..m-1` of one row, one cell at a time,
//! branch-free and without `%` (edges and wrap-around live in `backend.rs`).

use crate::backend::{Coef, at, cell};
use crate::real::Real;

/// Columns `1..m-1` of a row (`m >= 3`; all slices already cut to `m`).
#[inline]
pub(crate) fn interior<T: Real, const N: usize>(out: &mut [T], c: &[T], nb: &[[&[T]; 2]; N], k: &Coef<T, N>) {
    if k.equal { cells::<T, N, true>(out, c, nb, k) } else { cells::<T, N, false>(out, c, nb, k) }
}

/// [`interior`] in the formula's form `EQ`.
#[inline(always)]
fn cells<T: Real, const N: usize, const EQ: bool>(out: &mut [T], c: &[T], nb: &[[&[T]; 2]; N], k: &Coef<T, N>) {
    let m = c.len();
    for j in 1..m - 1 {
        out[j] = cell::<T, N, EQ>(c[j], c[j - 1], c[j + 1], at(nb, j), k);
    }
}
