//! Backend dispatch and the drivers shared by every backend: the canonical cell formula, the
//! edge cells of a row, neighbour resolution at the grid's boundaries, the two-buffer step and
//! the in-place step.
//!
//! Only the interior of a row (columns `1..m-1`) differs between backends (`scalar.rs`,
//! `simd.rs`); `parallel.rs` runs the same drivers over fixed-size bands.

use std::ops::Range;

use crate::Backend;
use crate::params::{Bc, Geom};
use crate::real::{Arith, Real};

/// Which single-thread row kernel runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kern {
    Scalar,
    #[cfg(feature = "simd")]
    Simd,
}

impl Kern {
    /// The best single-thread kernel of this build.
    pub(crate) fn best() -> Kern {
        #[cfg(feature = "simd")]
        return Kern::Simd;
        #[cfg(not(feature = "simd"))]
        return Kern::Scalar;
    }

    /// The kernel a (resolved) backend runs inside.
    pub(crate) fn of(backend: Backend) -> Kern {
        match backend {
            Backend::Scalar => Kern::Scalar,
            _ => Kern::best(),
        }
    }
}

/// The coefficients of the canonical formula for `N` outer axes, as scalars or as vectors.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Coef<V, const N: usize> {
    /// `k_a` of the outer axes, axis 0 first.
    pub(crate) ko: [V; N],
    /// `k` of the last (contiguous) axis: the one `k` when all are equal.
    pub(crate) kl: V,
    /// `2 * (N + 1)`, the weight of `u` in the equal-coefficient form.
    pub(crate) centre: V,
    /// Whether every axis has the same `k` (then the equal-coefficient form applies).
    pub(crate) equal: bool,
}

impl<T: Real, const N: usize> Coef<T, N> {
    /// The coefficients `ko` (outer axes, axis 0 first) and `kl` (the contiguous axis).
    pub(crate) fn new(ko: [T; N], kl: T) -> Self {
        let equal = ko.iter().all(|&k| k == kl);
        Coef { ko, kl, centre: T::from_f64(2.0 * (N + 1) as f64), equal }
    }
}

impl<V: Copy, const N: usize> Coef<V, N> {
    /// The same coefficients as another lane type (a vector splat of each).
    #[cfg(feature = "simd")]
    #[inline(always)]
    pub(crate) fn map<W>(&self, f: impl Fn(V) -> W) -> Coef<W, N> {
        Coef { ko: self.ko.map(&f), kl: f(self.kl), centre: f(self.centre), equal: self.equal }
    }
}

/// The canonical cell formula, identical in every backend (and lane-wise in SIMD). With the
/// neighbour sums `p_a = lo_a + hi_a` (axis 0 first, the contiguous axis last):
/// * every axis with the same `k` (the book's square grids): `s = p_0`, `s = s + p_a` for the
///   next axes, `new = u + k * (s - c*u)` with `c = 2 * axes`;
/// * otherwise per axis `lap_a = p_a - 2u` (`2u` as `u + u`), `s = k_0*lap_0`, then
///   `s = s + k_a*lap_a`, `new = u + s`.
///
/// Both keep a constant field exactly constant. No fused multiply-add. `EQ` must equal
/// `k.equal`: the kernels pick it once per row, outside their loops.
#[inline(always)]
pub(crate) fn cell<V: Arith, const N: usize, const EQ: bool>(u: V, l: V, r: V, nb: [[V; 2]; N], k: &Coef<V, N>) -> V {
    if EQ {
        let mut s = match nb.first() {
            Some(&[a, b]) => a + b,
            None => return u + k.kl * ((l + r) - u * k.centre),
        };
        for [a, b] in &nb[1..] {
            s = s + (*a + *b);
        }
        return u + k.kl * ((s + (l + r)) - u * k.centre);
    }
    let two_u = u + u;
    let mut s = match (k.ko.first(), nb.first()) {
        (Some(&ka), Some(&[a, b])) => ka * ((a + b) - two_u),
        _ => return u + k.kl * ((l + r) - two_u),
    };
    for (&ka, &[a, b]) in k.ko.iter().zip(&nb).skip(1) {
        s = s + ka * ((a + b) - two_u);
    }
    s = s + k.kl * ((l + r) - two_u);
    u + s
}

/// The outer-axis neighbour values of column `j`.
#[inline(always)]
pub(crate) fn at<T: Real, const N: usize>(nb: &[[&[T]; 2]; N], j: usize) -> [[T; 2]; N] {
    // A plain loop, not `array::from_fn`: the closure is not always inlined.
    let mut v = [[T::default(); 2]; N];
    for (slot, [lo, hi]) in v.iter_mut().zip(nb) {
        *slot = [lo[j], hi[j]];
    }
    v
}

/// [`cell`] with the form picked at run time: for single cells outside the row loops.
#[inline(always)]
pub(crate) fn cell_dyn<V: Arith, const N: usize>(u: V, l: V, r: V, nb: [[V; 2]; N], k: &Coef<V, N>) -> V {
    if k.equal { cell::<V, N, true>(u, l, r, nb, k) } else { cell::<V, N, false>(u, l, r, nb, k) }
}

/// The coefficients of a grid with `N` outer axes.
#[inline(always)]
pub(crate) fn coef<T: Real, const N: usize>(g: &Geom<T>) -> Coef<T, N> {
    let mut ko = [T::default(); N];
    ko.copy_from_slice(&g.k[2 - N..2]);
    Coef::new(ko, g.k[2])
}

/// The sub-row the interior kernels get for columns `cols` of a row of `m` cells: they compute
/// its columns `1..len-1`, i.e. `cols` without the row's first and last column. `None`: no
/// interior column.
fn interior_span(cols: &Range<usize>, m: usize) -> Option<Range<usize>> {
    let (a, b) = (cols.start.max(1), cols.end.min(m - 1));
    (a < b).then(|| a - 1..b + 1)
}

/// Column 0 (if `first`) and column `m-1` (if `last`) of a row: the ghosts of the last axis.
#[allow(clippy::too_many_arguments)]
fn edges<T: Real, const N: usize>(
    out: &mut [T],
    c: &[T],
    nb: &[[&[T]; 2]; N],
    k: &Coef<T, N>,
    bc: Bc<T>,
    first: bool,
    last: bool,
) {
    store_edges(out, edge_values(c, nb, k, bc), first, last);
}

/// Stores [`edge_values`] into column 0 (if `first`) and column `m-1` (if `last`) of `out`.
#[inline]
fn store_edges<T: Real>(out: &mut [T], [e0, e1]: [T; 2], first: bool, last: bool) {
    let m = out.len();
    if first {
        out[0] = e0;
    }
    if last && m > 1 {
        out[m - 1] = e1;
    }
}

/// The new values of column 0 and column `m-1` of a row (see [`edges`]; the second is
/// meaningless when `m == 1`).
#[inline]
fn edge_values<T: Real, const N: usize>(c: &[T], nb: &[[&[T]; 2]; N], k: &Coef<T, N>, bc: Bc<T>) -> [T; 2] {
    let m = c.len();
    let (lo, hi) = match bc {
        Bc::Periodic => (c[m - 1], c[0]),
        Bc::Dirichlet(v) => (v, v),
        Bc::Neumann | Bc::Frozen => (c[0], c[m - 1]),
    };
    if bc == Bc::Frozen {
        return [c[0], c[m - 1]];
    }
    let right0 = if m > 1 { c[1] } else { hi };
    let left1 = if m > 1 { c[m - 2] } else { lo };
    [cell_dyn(c[0], lo, right0, at(nb, 0), k), cell_dyn(c[m - 1], left1, hi, at(nb, m - 1), k)]
}

/// Columns `cols` of one output row from its centre row `c` (the row is `c.len()` cells: the
/// whole grid row, or a window of it whose own first and last columns then are never in
/// `cols`) and the rows of its outer-axis neighbours. The kernels get sub-rows, so they need
/// no column range of their own.
#[inline]
pub(crate) fn row<T: Real, const N: usize>(
    kern: Kern,
    out: &mut [T],
    c: &[T],
    nb: [[&[T]; 2]; N],
    g: &Geom<T>,
    cols: Range<usize>,
) {
    let m = c.len();
    let out = &mut out[..m];
    let nb: [[&[T]; 2]; N] = nb.map(|[a, b]| [&a[..m], &b[..m]]);
    let k = coef::<T, N>(g);
    edges(out, c, &nb, &k, g.bc[2], cols.start == 0, cols.end == m);
    if let Some(s) = interior_span(&cols, m) {
        let (out, c) = (&mut out[s.clone()], &c[s.clone()]);
        let nb: [[&[T]; 2]; N] = nb.map(|[lo, hi]| [&lo[s.clone()], &hi[s.clone()]]);
        match kern {
            Kern::Scalar => crate::scalar::interior(out, c, &nb, &k),
            #[cfg(feature = "simd")]
            Kern::Simd => crate::simd::interior(out, c, &nb, &k),
        }
    }
}

/// Columns `cols` of two consecutive output rows of a 2D grid: the same cells as
/// `row(out[0], c0, [[up, c1]])` and `row(out[1], c1, [[c0, dn]])`, from one pass over the
/// four rows `[up, c0, c1, dn]` (each row loaded once for both: 8 vector loads per two
/// output vectors instead of 10).
#[inline]
pub(crate) fn row_pair<T: Real>(kern: Kern, out: [&mut [T]; 2], rows: [&[T]; 4], g: &Geom<T>, cols: Range<usize>) {
    let m = rows[1].len();
    let [o0, o1] = out.map(|o| &mut o[..m]);
    let [up, c0, c1, dn] = rows.map(|r| &r[..m]);
    let k = coef::<T, 1>(g);
    let (first, last) = (cols.start == 0, cols.end == m);
    edges(o0, c0, &[[up, c1]], &k, g.bc[2], first, last);
    edges(o1, c1, &[[c0, dn]], &k, g.bc[2], first, last);
    if let Some(s) = interior_span(&cols, m) {
        let (o0, o1) = (&mut o0[s.clone()], &mut o1[s.clone()]);
        let [up, c0, c1, dn] = [up, c0, c1, dn].map(|r| &r[s.clone()]);
        match kern {
            Kern::Scalar => {
                crate::scalar::interior(o0, c0, &[[up, c1]], &k);
                crate::scalar::interior(o1, c1, &[[c0, dn]], &k);
            }
            #[cfg(feature = "simd")]
            Kern::Simd => crate::simd::interior_pair([o0, o1], [up, c0, c1, dn], &k),
        }
    }
}

/// [`row_pair`] in place in a ring: on entry `rows[0]` holds the row above `c0` and `rows[1]`
/// holds `c0`; on return their columns `cols` hold the two new rows (the same cells `row_pair`
/// computes from `[up, c0, c1, dn]`), their other columns the old values. Each old row is read
/// before its cells are overwritten, so a tile writes each level into the lines it has just
/// read instead of fetching other ones (see `blocking`).
#[inline]
pub(crate) fn row_pair_ring<T: Real>(
    kern: Kern,
    rows: [&mut [T]; 2],
    [c1, dn]: [&[T]; 2],
    g: &Geom<T>,
    cols: Range<usize>,
) {
    let m = c1.len();
    let [s0, s1] = rows.map(|r| &mut r[..m]);
    let dn = &dn[..m];
    let k = coef::<T, 1>(g);
    let (first, last) = (cols.start == 0, cols.end == m);
    // The edge cells first, from the old rows; stored last.
    let e0 = edge_values(s1, &[[&*s0, c1]], &k, g.bc[2]);
    let e1 = edge_values(c1, &[[&*s1, dn]], &k, g.bc[2]);
    if let Some(s) = interior_span(&cols, m) {
        let (s0, s1) = (&mut s0[s.clone()], &mut s1[s.clone()]);
        let (c1, dn) = (&c1[s.clone()], &dn[s.clone()]);
        match kern {
            Kern::Scalar => {
                let (left, right) = (s1[0], s1[s1.len() - 1]);
                crate::scalar::pair_in_place(s0, s1, c1, dn, 1..s1.len() - 1, left, right, &k);
            }
            #[cfg(feature = "simd")]
            Kern::Simd => crate::simd::interior_pair_ring([s0, s1], [c1, dn], &k),
        }
    }
    store_edges(s0, e0, first, last);
    store_edges(s1, e1, first, last);
}

/// A neighbouring slab: `row(r)` is its row `r`; a Dirichlet ghost has stride 0 (the same
/// constant row for every `r`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct SlabRef<'a, T> {
    data: &'a [T],
    stride: usize,
}

impl<'a, T: Real> SlabRef<'a, T> {
    pub(crate) fn new(data: &'a [T], g: &Geom<T>) -> Self {
        SlabRef { data, stride: g.n[2] }
    }
    #[inline(always)]
    fn row(&self, r: usize, m: usize) -> &'a [T] {
        &self.data[r * self.stride..r * self.stride + m]
    }
}

/// The slab axis: planes in 3D, rows in 2D (1D has none).
#[inline]
pub(crate) fn slab_axis<T: Real>(g: &Geom<T>) -> usize {
    2 - g.nouter
}

/// Number of slabs and cells per slab (1D: one slab, the whole row).
#[inline]
pub(crate) fn slabs<T: Real>(g: &Geom<T>) -> (usize, usize) {
    if g.nouter == 0 {
        return (1, g.n[2]);
    }
    let sa = slab_axis(g);
    (g.n[sa], g.n[sa + 1..].iter().product())
}

/// The neighbour across the grid's low (`hi == false`) or high edge of `axis`: `wrap` is the
/// slab/row on the other side (used when periodic), `cur` the edge one itself. `None` means
/// the edge is frozen.
#[inline]
pub(crate) fn across<'a, T: Real>(g: &'a Geom<T>, axis: usize, cur: &'a [T], wrap: &'a [T]) -> Option<SlabRef<'a, T>> {
    match g.bc[axis] {
        Bc::Periodic => Some(SlabRef::new(wrap, g)),
        Bc::Neumann => Some(SlabRef::new(cur, g)),
        Bc::Dirichlet(_) => Some(SlabRef { data: &g.ghost[axis], stride: 0 }),
        Bc::Frozen => None,
    }
}

/// Computes slab `cur` into `out` given its neighbours along the slab axis (`None`: frozen,
/// copy). In 3D this walks the plane's rows and resolves the row axis's edges.
pub(crate) fn slab<T: Real>(
    kern: Kern,
    out: &mut [T],
    cur: &[T],
    nbr: Option<(SlabRef<'_, T>, SlabRef<'_, T>)>,
    g: &Geom<T>,
) {
    let Some((prev, next)) = nbr else {
        out.copy_from_slice(cur);
        return;
    };
    let m = g.n[2];
    match g.nouter {
        0 => row::<T, 0>(kern, out, &cur[..m], [], g, 0..m),
        1 => row::<T, 1>(kern, out, &cur[..m], [[prev.row(0, m), next.row(0, m)]], g, 0..m),
        _ => {
            let n1 = g.n[1];
            let rows = |r: usize| &cur[r * m..(r + 1) * m];
            for (r, o) in out.chunks_exact_mut(m).enumerate() {
                let c = rows(r);
                let up = if r > 0 { Some(SlabRef::new(rows(r - 1), g)) } else { across(g, 1, c, rows(n1 - 1)) };
                let dn = if r + 1 < n1 { Some(SlabRef::new(rows(r + 1), g)) } else { across(g, 1, c, rows(0)) };
                match (up, dn) {
                    (Some(up), Some(dn)) => {
                        let nb = [[prev.row(r, m), next.row(r, m)], [up.row(0, m), dn.row(0, m)]];
                        row::<T, 2>(kern, o, c, nb, g, 0..m)
                    }
                    _ => o.copy_from_slice(c),
                }
            }
        }
    }
}

/// Computes slab `s` of a two-buffer step into `out`, reading slab `i` of the input as `src(i)`.
#[inline]
pub(crate) fn slab_at<'a, T: Real>(kern: Kern, out: &mut [T], s: usize, src: impl Fn(usize) -> &'a [T], g: &Geom<T>) {
    if g.nouter == 0 {
        let m = g.n[2];
        return row::<T, 0>(kern, out, &src(s)[..m], [], g, 0..m);
    }
    let (ns, _) = slabs(g);
    let sa = slab_axis(g);
    let cur = src(s);
    let prev = if s > 0 { Some(SlabRef::new(src(s - 1), g)) } else { across(g, sa, cur, src(ns - 1)) };
    let next = if s + 1 < ns { Some(SlabRef::new(src(s + 1), g)) } else { across(g, sa, cur, src(0)) };
    slab(kern, out, cur, prev.zip(next), g);
}

/// One step from `input` into `output` on one thread.
pub(crate) fn two_buffer<T: Real>(kern: Kern, input: &[T], output: &mut [T], g: &Geom<T>) {
    let (_, size) = slabs(g);
    let src = |i: usize| &input[i * size..(i + 1) * size];
    for (s, out) in output.chunks_exact_mut(size).enumerate() {
        slab_at(kern, out, s, src, g);
    }
}

/// One in-place step of the slabs of `band` (slab `a` is its first), writing each new slab
/// back one slab late through the two-slab `ring`. `saved` holds every band's old first and
/// last slab (saved before any band started), so bands never read each other's rows.
#[allow(clippy::too_many_arguments)]
pub(crate) fn band_inplace<T: Real>(
    kern: Kern,
    band: &mut [T],
    ring: &mut [T],
    k: usize,
    nbands: usize,
    a: usize,
    saved: &[T],
    g: &Geom<T>,
) {
    let (ns, size) = slabs(g);
    let sa = slab_axis(g);
    let first = |b: usize| &saved[2 * b * size..(2 * b + 1) * size];
    let last = |b: usize| &saved[(2 * b + 1) * size..(2 * b + 2) * size];
    let len = band.len() / size;
    let (r0, r1) = ring.split_at_mut(size);
    let touch = g.len() * T::BYTES >= TOUCH_MIN_BYTES;
    for i in 0..len {
        let s = a + i;
        let (out, done) = if i % 2 == 0 { (&mut *r0, &*r1) } else { (&mut *r1, &*r0) };
        {
            let cur = &band[i * size..(i + 1) * size];
            let prev = if i > 0 {
                Some(SlabRef::new(&band[(i - 1) * size..i * size], g))
            } else if s > 0 {
                Some(SlabRef::new(last(k - 1), g))
            } else {
                across(g, sa, cur, last(nbands - 1))
            };
            let next = if i + 1 < len {
                Some(SlabRef::new(&band[(i + 1) * size..(i + 2) * size], g))
            } else if s + 1 < ns {
                Some(SlabRef::new(first(k + 1), g))
            } else {
                across(g, sa, cur, first(0))
            };
            if touch && i + AHEAD < len {
                // One load per cache line of the slab AHEAD slabs down, so its misses start
                // early (the XOR of the loads is never used; it only has to be computed).
                let ahead = &band[(i + AHEAD) * size..(i + AHEAD + 1) * size];
                std::hint::black_box(ahead.iter().step_by(64 / T::BYTES).fold(0, |a, &x| a ^ x.to_f64().to_bits()));
            }
            slab(kern, out, cur, prev.zip(next), g);
        }
        if i > 0 {
            band[(i - 1) * size..i * size].copy_from_slice(done);
        }
    }
    let tail = if (len - 1).is_multiple_of(2) { &*r0 } else { &*r1 };
    band[(len - 1) * size..].copy_from_slice(tail);
}

/// Grids of at least this many bytes (larger than the last-level cache of the machine this
/// was measured on: 32 MiB) have [`band_inplace`] touch the slabs it is about to reach.
/// Measured there: a 4096² f64 step 0.68-0.80 -> 0.78-0.99 G cell-updates/s on one thread and
/// 1.12-1.23 -> 1.51-1.63 on two; at 1024², whose grid stays in cache, touching cost 10-15%.
const TOUCH_MIN_BYTES: usize = 32 << 20;

/// Slabs ahead that [`band_inplace`] touches.
const AHEAD: usize = 3;

/// Copies the first and last slab of band `b` (bands of `per` slabs) into `pair`.
pub(crate) fn save_band_edges<T: Real>(grid: &[T], pair: &mut [T], b: usize, per: usize, g: &Geom<T>) {
    let (ns, size) = slabs(g);
    let a = b * per;
    let z = ((b + 1) * per).min(ns) - 1;
    pair[..size].copy_from_slice(&grid[a * size..(a + 1) * size]);
    pair[size..].copy_from_slice(&grid[z * size..(z + 1) * size]);
}

/// One in-place step on one thread: `scratch` holds two saved slabs and a two-slab ring (or
/// the whole new state when there are fewer than 4 slabs).
pub(crate) fn inplace<T: Real>(kern: Kern, grid: &mut [T], scratch: &mut [T], g: &Geom<T>) {
    let (ns, size) = slabs(g);
    if g.nouter == 0 || ns < 4 {
        two_buffer(kern, grid, scratch, g);
        grid.copy_from_slice(scratch);
        return;
    }
    let (saved, rest) = scratch.split_at_mut(2 * size);
    save_band_edges(grid, saved, 0, ns, g);
    band_inplace(kern, grid, &mut rest[..2 * size], 0, 1, 0, saved, g);
}
