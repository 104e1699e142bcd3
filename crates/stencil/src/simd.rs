//! The SIMD kernel: the canonical formula on whole vectors across contiguous columns of a
//! row's interior, compiled for the widest instruction set the CPU offers and picked at run
//! time by [`pulp`] (x86-64: AVX2 when present, so a default build runs 256-bit vectors on
//! any current x86; aarch64: NEON; otherwise scalar lanes). The arithmetic is IEEE `+ - *`,
//! never fused, so every lane computes exactly what the scalar kernel computes on any CPU.
//! The columns left over after the last whole vector use the scalar kernel.

use std::ops::{Add, Mul, Sub};

use pulp::{Simd, WithSimd};

use crate::backend::{Coef, cell};
use crate::real::Real;

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
    k: &'a Coef<T, N>,
}

impl<'a, T: Real, const N: usize> WithSimd for Interior<'a, T, N> {
    type Output = ();
    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        let Interior { out, c, nb, k } = self;
        // The first columns one at a time, up to the first centre cell on a vector boundary:
        // the centre, upper and lower loads and the store then never straddle a cache line
        // (measured in L1: 15-20% faster than starting at column 1).
        let lead = lead::<S, T>(c);
        let cut = |s: &'a [T]| &s[..lead + 2];
        if lead > 0 {
            crate::scalar::interior(&mut out[..lead + 2], cut(c), &nb.map(|[a, b]| [cut(a), cut(b)]), k);
        }
        let rest = |s: &'a [T]| &s[lead..];
        let (out, c, nb) = (&mut out[lead..], rest(c), nb.map(|[a, b]| [rest(a), rest(b)]));
        let done = if k.equal {
            vectors::<S, T, N, true>(simd, out, c, &nb, k)
        } else {
            vectors::<S, T, N, false>(simd, out, c, &nb, k)
        };
        // The remaining columns: the scalar kernel on the sub-row starting at the last vector.
        let nb = nb.map(|[a, b]| [&a[done..], &b[done..]]);
        crate::scalar::interior(&mut out[done..], &c[done..], &nb, k);
    }
}

/// Cells of `T` per vector of instruction set `S`.
#[inline(always)]
fn lanes<S: Simd, T: Real>() -> usize {
    size_of::<T::V<S>>() / size_of::<T>()
}

/// How the pair kernels cut a row of `m` cells: `lead` scalar cells from column 1 up to a vector
/// boundary of `c`, then `body` whole vectors, then the cells from `end` on.
#[inline(always)]
fn cuts<S: Simd, T: Real>(c: &[T]) -> (usize, usize, usize) {
    let lead = lead::<S, T>(c);
    let body = (c.len() - 2 - lead) / lanes::<S, T>();
    (lead, body, lead + 1 + body * lanes::<S, T>())
}

/// Scalar cells before a row's first centre cell on a vector boundary (at most `m - 2`).
#[inline(always)]
fn lead<S: Simd, T: Real>(c: &[T]) -> usize {
    c[1..].as_ptr().align_offset(size_of::<T::V<S>>()).min(c.len() - 2)
}

/// Columns `1..` of a row from whole vectors of the formula's form `EQ`; returns the column
/// before the first one left (the sub-row the scalar kernel finishes from).
#[inline(always)]
fn vectors<S: Simd, T: Real, const N: usize, const EQ: bool>(
    simd: S,
    out: &mut [T],
    c: &[T],
    nb: &[[&[T]; 2]; N],
    k: &Coef<T, N>,
) -> usize {
    let m = c.len();
    let o = T::vectors_mut::<S>(&mut out[1..m - 1]);
    let n = o.len();
    // Every operand cut to the same `n` vectors up front: no bounds checks in the loop.
    let (l, u, r) = (vecs::<S, T>(c, n), vecs::<S, T>(&c[1..], n), vecs::<S, T>(&c[2..], n));
    let nbv: [[&[T::V<S>]; 2]; N] = nb.map(|[lo, hi]| [vecs::<S, T>(&lo[1..], n), vecs::<S, T>(&hi[1..], n)]);
    let kv = k.map(|x| Lanes(simd, T::vsplat(simd, x)));
    let v = |x: T::V<S>| Lanes::<S, T>(simd, x);
    for (i, o) in o.iter_mut().enumerate() {
        // A plain loop, not `array::from_fn`: the closure is not always inlined.
        let mut nbi = [[kv.kl; 2]; N];
        for (slot, [lo, hi]) in nbi.iter_mut().zip(&nbv) {
            *slot = [v(lo[i]), v(hi[i])];
        }
        *o = cell::<_, N, EQ>(v(u[i]), v(l[i]), v(r[i]), nbi, &kv).1;
    }
    n * lanes::<S, T>()
}

/// The arguments of [`interior_pair`].
struct Pair<'a, T> {
    out: [&'a mut [T]; 2],
    rows: [&'a [T]; 4],
    k: &'a Coef<T, 1>,
}

impl<'a, T: Real> WithSimd for Pair<'a, T> {
    type Output = ();
    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        let Pair { out: [o0, o1], rows, k } = self;
        let m = rows[1].len();
        let (lead, body, end) = cuts::<S, T>(rows[1]);
        let (v0, v1) = (T::vectors_mut::<S>(&mut o0[lead + 1..]), T::vectors_mut::<S>(&mut o1[lead + 1..]));
        let rows_v = |from: usize| rows.map(|r| vecs::<S, T>(&r[lead + from..], body));
        // Direct calls, not a function pointer: a pointer would lose the instruction set.
        let (out, l, u, r) = ([&mut v0[..body], &mut v1[..body]], rows_v(0), rows_v(1), rows_v(2));
        if k.equal {
            vectors_pair::<S, T, true>(simd, out, l, u, r, k);
        } else {
            vectors_pair::<S, T, false>(simd, out, l, u, r, k);
        }
        // The cells before and after the vectors, one at a time.
        for (cols, any) in [(0..lead + 2, lead > 0), (end - 1..m, end < m - 1)] {
            if any {
                let [up, c0, c1, dn] = rows.map(|r| &r[cols.clone()]);
                crate::scalar::interior(&mut o0[cols.clone()], c0, &[[up, c1]], k);
                crate::scalar::interior(&mut o1[cols], c1, &[[c0, dn]], k);
            }
        }
    }
}

/// The vector loop of [`Pair`]: `l`, `u`, `r` are the four rows as vectors from one cell left
/// of, at and right of the first centre cell.
#[inline(always)]
fn vectors_pair<S: Simd, T: Real, const EQ: bool>(
    simd: S,
    [o0, o1]: [&mut [T::V<S>]; 2],
    l: [&[T::V<S>]; 4],
    u: [&[T::V<S>]; 4],
    r: [&[T::V<S>]; 4],
    k: &Coef<T, 1>,
) {
    // Every operand cut to the same length up front: no bounds checks in the loop.
    let n = o0.len();
    let o1 = &mut o1[..n];
    let (up, u0, u1, dn) = (&u[0][..n], &u[1][..n], &u[2][..n], &u[3][..n]);
    let (l0, r0, l1, r1) = (&l[1][..n], &r[1][..n], &l[2][..n], &r[2][..n]);
    let kv = k.map(|x| Lanes(simd, T::vsplat(simd, x)));
    for i in 0..n {
        (o0[i], o1[i]) = two_cells::<S, T, EQ>(simd, [up[i], l0[i], u0[i], r0[i]], [l1[i], u1[i], r1[i], dn[i]], &kv);
    }
}

/// The canonical formula on one vector of two consecutive rows: the first from the row above
/// and its own row (one cell left of, at and right of the vector), the second from its own row
/// the same way and the row below; each centre row is the other's vertical neighbour.
#[inline(always)]
fn two_cells<S: Simd, T: Real, const EQ: bool>(
    simd: S,
    [up, l0, x0, r0]: [T::V<S>; 4],
    [l1, x1, r1, dn]: [T::V<S>; 4],
    kv: &Coef<Lanes<S, T>, 1>,
) -> (T::V<S>, T::V<S>) {
    let v = |x: T::V<S>| Lanes::<S, T>(simd, x);
    let (x0, x1) = (v(x0), v(x1));
    (cell::<_, 1, EQ>(x0, v(l0), v(r0), [[v(up), x1]], kv).1, cell::<_, 1, EQ>(x1, v(l1), v(r1), [[x0, v(dn)]], kv).1)
}

/// The arguments of [`interior_pair_ring`].
struct PairRing<'a, T> {
    rows: [&'a mut [T]; 2],
    nb: [&'a [T]; 2],
    k: &'a Coef<T, 1>,
}

impl<'a, T: Real> WithSimd for PairRing<'a, T> {
    type Output = ();
    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        let PairRing { rows: [s0, s1], nb: [c1, dn], k } = self;
        let m = s1.len();
        let (lead, body, end) = cuts::<S, T>(s1);
        // The old centre cells just beside the vectors, which the vector loop overwrites.
        let (head_right, tail_left) = (s1[lead + 1], s1[end - 1]);
        if k.equal {
            vectors_pair_ring::<S, T, true>(simd, s0, s1, c1, dn, lead, body, k);
        } else {
            vectors_pair_ring::<S, T, false>(simd, s0, s1, c1, dn, lead, body, k);
        }
        let left = s1[0];
        crate::scalar::pair_in_place(s0, s1, c1, dn, 1..lead + 1, left, head_right, k);
        let right = s1[m - 1];
        crate::scalar::pair_in_place(s0, s1, c1, dn, end..m - 1, tail_left, right, k);
    }
}

/// The first `n` whole vectors of `s`.
#[inline(always)]
fn vecs<S: Simd, T: Real>(s: &[T], n: usize) -> &[T::V<S>] {
    &T::vectors::<S>(s)[..n]
}

/// One vector of `T` from the first cells of `s`.
#[inline(always)]
fn load<S: Simd, T: Real>(s: &[T]) -> T::V<S> {
    T::vectors::<S>(s)[0]
}

/// The vector loop of [`PairRing`]: `body` vectors from column `lead + 1`. Row `s1` is stored
/// one vector late, after the loads of the next vector have read its old left neighbour.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn vectors_pair_ring<S: Simd, T: Real, const EQ: bool>(
    simd: S,
    s0: &mut [T],
    s1: &mut [T],
    c1: &[T],
    dn: &[T],
    lead: usize,
    body: usize,
    k: &Coef<T, 1>,
) {
    if body == 0 {
        return;
    }
    let n = lanes::<S, T>();
    let (l1, u1, r1) =
        (vecs::<S, T>(&c1[lead..], body), vecs::<S, T>(&c1[lead + 1..], body), vecs::<S, T>(&c1[lead + 2..], body));
    let d = vecs::<S, T>(&dn[lead + 1..], body);
    let up = &mut T::vectors_mut::<S>(&mut s0[lead + 1..])[..body];
    let kv = k.map(|x| Lanes(simd, T::vsplat(simd, x)));
    let c1v = |j: usize| [l1[j], u1[j], r1[j], d[j]];
    let (o0, mut pending) = ring_step::<S, T, EQ>(simd, &s1[lead..lead + n + 2], 1, up[0], c1v(0), &kv);
    up[0] = o0;
    for j in 1..body {
        // The window from the previous vector (stored now) to the cell after this one.
        let w = &mut s1[lead + 1 + (j - 1) * n..lead + 2 + (j + 1) * n];
        let (o0, o1) = ring_step::<S, T, EQ>(simd, w, n, up[j], c1v(j), &kv);
        up[j] = o0;
        T::vectors_mut::<S>(w)[0] = std::mem::replace(&mut pending, o1);
    }
    let last = lead + 1 + (body - 1) * n;
    T::vectors_mut::<S>(&mut s1[last..last + n])[0] = pending;
}

/// One vector of both rows of [`PairRing`] ([`two_cells`]), the first centre row's three
/// vectors loaded from its old cells `w[at - 1..at + n + 1]`.
#[inline(always)]
fn ring_step<S: Simd, T: Real, const EQ: bool>(
    simd: S,
    w: &[T],
    at: usize,
    up: T::V<S>,
    second: [T::V<S>; 4],
    kv: &Coef<Lanes<S, T>, 1>,
) -> (T::V<S>, T::V<S>) {
    let first = [up, load::<S, T>(&w[at - 1..]), load::<S, T>(&w[at..]), load::<S, T>(&w[at + 1..])];
    two_cells::<S, T, EQ>(simd, first, second, kv)
}

/// [`interior_pair`] in place (see `backend::row_pair_ring`): `rows` hold the row above and the
/// first centre row on entry, the two new rows on return; `nb` are the second centre row and the
/// row below.
#[inline]
pub(crate) fn interior_pair_ring<T: Real>(rows: [&mut [T]; 2], nb: [&[T]; 2], k: &Coef<T, 1>) {
    ferdelance_core::run_time_arch().dispatch(PairRing { rows, nb, k });
}

/// Columns `1..m-1` of two consecutive rows at once (see `backend::row_pair`).
#[inline]
pub(crate) fn interior_pair<T: Real>(out: [&mut [T]; 2], rows: [&[T]; 4], k: &Coef<T, 1>) {
    ferdelance_core::run_time_arch().dispatch(Pair { out, rows, k });
}

/// Columns `1..m-1` of a row (`m >= 3`; all slices already cut to `m`).
#[inline]
pub(crate) fn interior<T: Real, const N: usize>(out: &mut [T], c: &[T], nb: &[[&[T]; 2]; N], k: &Coef<T, N>) {
    ferdelance_core::run_time_arch().dispatch(Interior { out, c, nb, k });
}

/// [`interior_pair_ring`] on `pulp`'s plain lanes (see [`interior_plain`]).
#[cfg(test)]
pub(crate) fn interior_pair_ring_plain<T: Real>(rows: [&mut [T]; 2], nb: [&[T]; 2], k: &Coef<T, 1>) {
    pulp::Scalar::new().vectorize(PairRing { rows, nb, k });
}

/// [`interior`] on `pulp`'s plain lanes, whatever this CPU has: the path of a CPU without a
/// vector unit the kernel knows, so the tests cover it on every machine.
#[cfg(test)]
pub(crate) fn interior_plain<T: Real, const N: usize>(out: &mut [T], c: &[T], nb: &[[&[T]; 2]; N], k: &Coef<T, N>) {
    pulp::Scalar::new().vectorize(Interior { out, c, nb, k });
}
