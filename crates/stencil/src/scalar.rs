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

/// Columns `cols` of two consecutive rows in place: on entry `s0` holds the row above `s1`
/// (the first centre row), `c1` is the second centre row and `dn` the row below it; on return
/// `s0` and `s1` hold the new rows there. `left` is the old `s1[cols.start - 1]` and `right` the
/// old `s1[cols.end]` (the cells beside `cols` may already be new).
#[allow(clippy::too_many_arguments)]
#[inline]
pub(crate) fn pair_in_place<T: Real>(
    s0: &mut [T],
    s1: &mut [T],
    c1: &[T],
    dn: &[T],
    cols: std::ops::Range<usize>,
    left: T,
    right: T,
    k: &Coef<T, 1>,
) {
    if k.equal {
        pair_cells::<T, true>(s0, s1, c1, dn, cols, left, right, k)
    } else {
        pair_cells::<T, false>(s0, s1, c1, dn, cols, left, right, k)
    }
}

/// [`pair_in_place`] in the formula's form `EQ`.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn pair_cells<T: Real, const EQ: bool>(
    s0: &mut [T],
    s1: &mut [T],
    c1: &[T],
    dn: &[T],
    cols: std::ops::Range<usize>,
    mut left: T,
    right: T,
    k: &Coef<T, 1>,
) {
    let end = cols.end;
    for j in cols {
        // The old centre and its right neighbour (not yet overwritten: the loop runs rightwards).
        let (c, r) = (s1[j], if j + 1 < end { s1[j + 1] } else { right });
        let new0 = cell::<T, 1, EQ>(c, left, r, [[s0[j], c1[j]]], k);
        s1[j] = cell::<T, 1, EQ>(c1[j], c1[j - 1], c1[j + 1], [[c, dn[j]]], k);
        s0[j] = new0;
        left = c;
    }
}
