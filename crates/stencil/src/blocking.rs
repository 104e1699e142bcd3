//! Temporal blocking for 2D grids: `depth` time steps per pass over the grid, so each cell is
//! read from and written to memory once per pass instead of once per step.
//!
//! The grid is cut into tiles: bands of rows (run in parallel) times strips of columns (run
//! one after the other inside a band). A tile runs a wavefront down its rows two rows at a
//! time: at wave step `k` it loads rows `2k` and `2k + 1` of the input (level 0), then level
//! `l` (1..=depth) computes rows `2k - l` and `2k + 1 - l` (those inside the band) in one
//! kernel pass over four rows, levels in increasing order. Its rows live in a private ring of
//! `2 * depth + 2` rows, level `l` row `i` in slot `(i - l) mod (2 * depth + 2)`: level `l`
//! rows `i` and `i + 1` overwrite, in place, level `l - 1` rows `i - 1` and `i`, whose last
//! reader this very kernel pass is and which it has just fetched, so the kernel writes lines it
//! holds instead of fetching others for each store. Between wave steps levels `0..depth` keep
//! two rows each, and level `depth`'s two slots are where the next step loads level 0: a window
//! that wraps around needs all `2 * depth + 2` (the tests fail with one slot fewer); a direct
//! window (below) keeps levels 0 and `depth` out of the ring and would need `2 * depth`.
//! Exceptions: a direct window's level 1 reads the input and writes its own slots; the band's
//! first row has no row above in the ring, so that row (a seam's, the ghost or the Neumann
//! mirror) is first copied into the free slot the new row takes; a row computed alone (the
//! band's last, or a Frozen edge row) goes through a spare row and is then copied in.
//!
//! A strip owns `strip` columns and reads a *window* `depth` columns wider on each side
//! (wrapping around if the columns are periodic); level `l` computes the window minus `l`
//! columns on each side, so the owned columns come out exact at level `depth` (a trapezoid:
//! the few halo columns are computed twice). A window side on the grid's own edge (not
//! periodic) has no halo and its edge column takes the boundary rule. Where a strip would be
//! as wide as the grid, or a ring of whole rows fits [`WHOLE_RING_BYTES`], one strip takes the
//! whole rows. A window that does not wrap around is a plain slice of each grid row: level 1
//! then reads the input rows where they are and level `depth` writes straight into the result;
//! only a wrapping window is copied into the ring (level 0) and out of it (level `depth`).
//!
//! The rows just outside a band (and the periodic wrap-around of rows) come from a *seam*: a
//! small trapezoid of whole rows computed first from the input around the band boundary,
//! which keeps the two rows at the boundary for every level.
//!
//! Every cell of every level is computed by the same row kernel from the same inputs as a
//! step-by-step run, so the result is bit-identical. The input is only read during a pass;
//! the result goes to the other buffer.

use crate::backend::{Kern, SlabRef, row, row_pair, row_pair_ring, slab};
use crate::params::{Bc, Geom};
use crate::real::Real;

/// The depth the auto setting picks for strips (the rows in flight no longer grow with the row
/// length: a tile's ring holds `2 * depth + 2` rows of a strip window).
const AUTO_DEPTH: usize = 16;

/// The deepest the auto setting goes on whole rows: as deep as their ring fits
/// [`WHOLE_RING_BYTES`] (31 on 1024 f64 columns), up to this. Whole rows have no halo to
/// recompute, so a deeper pass only saves passes over memory: the book's 1024² × 50 runs in 2
/// passes of 25 instead of 13 + 13 + 12 + 12 at depth 16 (measured 4-5% faster).
const MAX_WHOLE_DEPTH: usize = 32;

/// Rows per band in the parallel backend (at least `2 * depth`); each band boundary costs a
/// seam of about `depth²` redundant row updates.
pub(crate) const BAND_ROWS: usize = 512;

/// Bytes of owned columns per strip (512 f64): a window row is 4-4.3 KB, a tile's ring of
/// `2 * 16 + 2` window rows about 150 KB, well inside a 1 MiB L2.
const STRIP_BYTES: usize = 4096;

/// The most bytes the rows of a ring of whole rows may take (its padding to whole cache lines
/// and the tile's three spare rows come on top): below it a tile takes whole rows (no halo
/// columns computed twice, and no window copies: see [`tile`]); 1024 f64 columns at depth 16
/// take 272 KiB, and up to 1927 fit (at the auto depth 31 they take 512 KiB).
const WHOLE_RING_BYTES: usize = 512 << 10;

/// Whether a tile's ring of whole rows of `m` cells fits [`WHOLE_RING_BYTES`] at `depth`.
fn whole_rows_fit<T: Real>(m: usize, depth: usize) -> bool {
    ring_slots(depth) * m * T::BYTES <= WHOLE_RING_BYTES
}

/// Owned columns per strip for element type `T` on rows of `m` cells at `depth`: the whole row
/// while its ring fits [`WHOLE_RING_BYTES`], else [`STRIP_BYTES`] of columns.
pub(crate) fn strip_cols<T: Real>(m: usize, depth: usize) -> usize {
    if whole_rows_fit::<T>(m, depth) { m } else { STRIP_BYTES / T::BYTES }
}

/// The depth the auto setting picks for a 2D grid, or 0 (off): grids under 1 MiB stay in
/// cache anyway. The deepest whose ring of whole rows fits (at most [`MAX_WHOLE_DEPTH`]), else
/// [`AUTO_DEPTH`] in strips.
pub(crate) fn auto_depth<T: Real>(g: &Geom<T>) -> usize {
    if g.nouter != 1 || g.len() * T::BYTES < (1 << 20) || g.n[1] < 2 * AUTO_DEPTH {
        return 0;
    }
    (AUTO_DEPTH..=MAX_WHOLE_DEPTH).rev().find(|&d| whole_rows_fit::<T>(g.n[2], d)).unwrap_or(AUTO_DEPTH)
}

/// How the grid is cut into bands: `(bands, rows per band)`.
fn bands<T: Real>(g: &Geom<T>, depth: usize, parallel: bool, band_rows: usize) -> (usize, usize) {
    let ns = g.n[1];
    if !parallel {
        return (1, ns);
    }
    #[cfg(feature = "parallel")]
    {
        let mut nb = (ns / band_rows.max(2 * depth)).max(1);
        loop {
            let per = ns.div_ceil(nb);
            let chunks = ns.div_ceil(per);
            if nb == 1 || (chunks == nb && ns - (chunks - 1) * per >= 2 * depth) {
                return (chunks, per);
            }
            nb -= 1;
        }
    }
    #[cfg(not(feature = "parallel"))]
    {
        let _ = (depth, band_rows);
        (1, ns)
    }
}

/// The column strips: owned columns `[x0, x1)`, window start `wl` (may be negative: it wraps)
/// and window length, and whether each window side is the grid's own edge.
#[derive(Clone, Copy, Debug)]
struct Strip {
    x0: usize,
    x1: usize,
    wl: isize,
    len: usize,
    left_edge: bool,
    right_edge: bool,
}

/// Cuts `m` columns into strips of `strip` owned columns (the last takes the rest), or one
/// strip of whole rows when the halos would cover the grid.
fn strips(m: usize, strip: usize, depth: usize, periodic: bool) -> impl Iterator<Item = Strip> {
    let whole = m <= strip + 2 * depth;
    let n = if whole { 1 } else { (m / strip).max(1) };
    (0..n).map(move |j| {
        let x0 = j * strip;
        let x1 = if j + 1 == n { m } else { x0 + strip };
        if whole {
            return Strip { x0: 0, x1: m, wl: 0, len: m, left_edge: true, right_edge: true };
        }
        // A window that would reach past the grid's own edge stops there and takes the rule.
        let (left_edge, right_edge) = (!periodic && x0 <= depth, !periodic && x1 + depth >= m);
        let wl = if left_edge { 0 } else { x0 as isize - depth as isize };
        let wr = if right_edge { m } else { x1 + depth };
        Strip { x0, x1, wl, len: (wr as isize - wl) as usize, left_edge, right_edge }
    })
}

/// The widest window of any strip (periodic columns give every strip both halos).
fn max_window(m: usize, strip: usize, depth: usize) -> usize {
    strips(m, strip, depth, true).map(|s| s.len).max().unwrap_or(m)
}

/// Copies window `s` of the whole row `src` into `dst` (wrapping around the row).
fn window<T: Real>(dst: &mut [T], src: &[T], s: &Strip) {
    let m = src.len() as isize;
    let mut col = s.wl.rem_euclid(m) as usize;
    let mut done = 0;
    while done < s.len {
        let take = (s.len - done).min(src.len() - col);
        dst[done..done + take].copy_from_slice(&src[col..col + take]);
        done += take;
        col = 0;
    }
}

/// Cells of workspace per band: its seam (saved rows plus the trapezoid) and its ring.
fn work_cells<T: Real>(g: &Geom<T>, depth: usize, strip: usize) -> (usize, usize) {
    let m = g.n[2];
    let w = max_window(m, strip, depth);
    (6 * depth * m, ring_slots(depth) * slot_stride::<T>(w) + line_cells::<T>() + 3 * w)
}

/// Cells of `T` per 64-byte cache line.
fn line_cells<T: Real>() -> usize {
    64 / T::BYTES
}

/// Cells from one ring slot to the next for windows of `w` cells: whole cache lines.
fn slot_stride<T: Real>(w: usize) -> usize {
    w.next_multiple_of(line_cells::<T>())
}

/// Rows in a tile's ring (the module docs say why they suffice).
fn ring_slots(depth: usize) -> usize {
    2 * depth + 2
}

/// Computes the seam at row boundary `q` from level 0 (`a`): the trapezoid of rows
/// `q - depth .. q + depth` (wrapping), keeping rows `q - 1` and `q` of levels `0..depth`.
fn seam<T: Real>(kern: Kern, a: &[T], q: usize, depth: usize, g: &Geom<T>, ws: &mut [T]) {
    let (ns, m) = (g.n[1], g.n[2]);
    let w = 2 * depth;
    let (saved, trap) = ws.split_at_mut(2 * depth * m);
    let (mut t0, mut t1) = trap.split_at_mut(w * m);
    for i in 0..w {
        let r = (q + ns * (depth + 1) - depth + i) % ns;
        t0[i * m..(i + 1) * m].copy_from_slice(&a[r * m..(r + 1) * m]);
    }
    saved[..2 * m].copy_from_slice(&t0[(depth - 1) * m..(depth + 1) * m]);
    for l in 1..depth {
        for i in l..w - l {
            let src = &*t0;
            let nbr = Some((SlabRef::new(&src[(i - 1) * m..i * m], g), SlabRef::new(&src[(i + 1) * m..], g)));
            slab(kern, &mut t1[i * m..(i + 1) * m], &src[i * m..(i + 1) * m], nbr, g);
        }
        saved[2 * l * m..2 * (l + 1) * m].copy_from_slice(&t1[(depth - 1) * m..(depth + 1) * m]);
        std::mem::swap(&mut t0, &mut t1);
    }
}

/// Where a neighbour row of the in-place ring path comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Src {
    /// A row of the level before.
    Row(usize),
    /// The window row above the band (a seam's or the ghost row).
    Up,
    /// The window row below the band.
    Dn,
}

impl Src {
    /// The row itself: `up` or `dn`, or row `i` of the level before as `prev(i)`.
    fn pick<'a, T>(self, up: &'a [T], dn: &'a [T], prev: impl Fn(usize) -> &'a [T]) -> &'a [T] {
        match self {
            Src::Row(i) => prev(i),
            Src::Up => up,
            Src::Dn => dn,
        }
    }
}

/// Runs one tile: rows `r0..r0 + len` of `a` (the whole input) through `depth` levels in
/// strip `s`, writing the owned columns of level `depth` into `out` (the band's rows of the
/// result). `above`/`below`: the saved rows of the seams above and below, if any. `ws`: the ring
/// and three rows for seam windows and single rows.
#[allow(clippy::too_many_arguments)]
fn tile<T: Real>(
    kern: Kern,
    a: &[T],
    out: &mut [T],
    r0: usize,
    depth: usize,
    above: Option<&[T]>,
    below: Option<&[T]>,
    g: &Geom<T>,
    s: &Strip,
    ws: &mut [T],
) {
    let m = g.n[2];
    let len = out.len() / m;
    let (w, rr) = (s.len, ring_slots(depth));
    // Slots `stride` cells apart from a start where each slot's column 1 is on a cache line,
    // so a level that starts at column 0 or 1 (whole rows, a window on the grid's left edge)
    // has its vector loop start at column 1 with no scalar lead cells.
    let stride = slot_stride::<T>(w);
    let skip = ws[1..].as_ptr().align_offset(64).min(line_cells::<T>() - 1);
    let (ring, edge) = ws[skip..].split_at_mut(rr * stride);
    let (up_row, edge) = edge.split_at_mut(w);
    let (dn_row, tmp) = edge.split_at_mut(w);
    let tmp = &mut tmp[..w];
    // Level l row i lives in slot `(i - l) mod rr`: level l row i takes the slot of level
    // l - 1 row i - 1, whose last reader it is.
    let slot = |l: usize, i: usize| (i + rr - l) % rr;
    let span = |x: usize| x * stride..x * stride + w;
    let at = |l: usize, i: usize| span(slot(l, i));
    // A window that does not wrap around is a plain slice of each grid row (starting at column
    // `wl`): level 1 then reads the input rows where they are and level `depth` writes its rows
    // straight into `out`, with no copy through the ring.
    let direct = (s.wl >= 0 && s.wl as usize + w <= m).then_some(s.wl as usize);
    let input = |i: usize, wl: usize| &a[(r0 + i) * m + wl..(r0 + i) * m + wl + w];
    let out_at = |i: usize, wl: usize| i * m + wl..i * m + wl + w;
    // The owned columns inside the window.
    let own = (s.x0 as isize - s.wl) as usize..(s.x1 as isize - s.wl) as usize;
    // Outside the grid's rows, a Dirichlet boundary reads its ghost row.
    let ghost = matches!(g.bc[1], Bc::Dirichlet(_)).then(|| &g.ghost[1][..]);
    for k in 0..(len + depth).div_ceil(2) {
        if direct.is_none() {
            for i in 2 * k..(2 * k + 2).min(len) {
                window(&mut ring[at(0, i)], &a[(r0 + i) * m..(r0 + i + 1) * m], s);
            }
        }
        for l in 1..=depth {
            // Rows `lo..=hi` of level l: `2k - l` and `2k + 1 - l`, those inside the band.
            let Some(hi) = (2 * k + 1).checked_sub(l).map(|i| i.min(len - 1)) else { continue };
            let lo = (2 * k).saturating_sub(l);
            if lo > hi {
                continue;
            }
            // Level l computes the window minus l columns on each halo side (at level `depth`:
            // exactly the owned columns).
            let cols = if s.left_edge { 0 } else { l }..if s.right_edge { w } else { w - l };
            // The rows just outside the band, as windows: a seam's row of level l - 1, or
            // outside the grid's rows the ghost row.
            let up_from = match lo {
                0 => seam_row(above, l, 0, m).or(ghost),
                _ => None,
            };
            let dn_from = match hi + 1 == len {
                true => seam_row(below, l, 1, m).or(ghost),
                false => None,
            };
            if let Some(r) = up_from {
                window(up_row, r, s);
            }
            if let Some(r) = dn_from {
                window(dn_row, r, s);
            }
            // The rows above and below row `i` of level l - 1; none for a Frozen edge row,
            // which is kept. Outside the grid's rows with no seam or ghost row, Neumann mirrors
            // the row.
            let mirror = g.bc[1] == Bc::Neumann;
            let nb = |i: usize| {
                let up = match i {
                    0 if up_from.is_some() => Some(Src::Up),
                    0 => mirror.then_some(Src::Row(0)),
                    _ => Some(Src::Row(i - 1)),
                };
                let dn = match i + 1 == len {
                    true if dn_from.is_some() => Some(Src::Dn),
                    true => mirror.then_some(Src::Row(i)),
                    false => Some(Src::Row(i + 1)),
                };
                up.zip(dn)
            };
            let pair = (hi == lo + 1).then(|| nb(lo).zip(nb(hi))).flatten();
            let to_out = direct.is_some() && l == depth;
            if let Some(wl) = direct.filter(|_| to_out || l == 1) {
                // Level 1 from the input or level `depth` into the result: the rows read and
                // the rows written are apart.
                let (target, src, rows): (&mut [T], &[T], _) = match to_out {
                    true => (&mut *out, &*ring, [out_at(lo, wl), out_at(hi, wl)]),
                    false => (&mut *ring, &[], [at(l, lo), at(l, hi)]),
                };
                let prev = |i: usize| if l == 1 { input(i, wl) } else { &src[at(l - 1, i)] };
                let rows_of =
                    |i: usize| nb(i).map(|(u, d)| (u.pick(up_row, dn_row, prev), d.pick(up_row, dn_row, prev)));
                let pair = pair.and_then(|_| rows_of(lo).zip(rows_of(hi)));
                let pair = pair.and_then(|p| Some(p).zip(target.get_disjoint_mut(rows.clone()).ok()));
                if let Some((((u, _), (_, d)), [o0, o1])) = pair {
                    row_pair(kern, [o0, o1], [u, prev(lo), prev(hi), d], g, cols.clone());
                } else {
                    for (i, r) in [(lo, rows[0].clone()), (hi, rows[1].clone())].into_iter().take(hi - lo + 1) {
                        let new = &mut target[r];
                        match rows_of(i) {
                            Some((u, d)) => row::<T, 1>(kern, new, prev(i), [[u, d]], g, cols.clone()),
                            None => new[cols.clone()].copy_from_slice(&prev(i)[cols.clone()]),
                        }
                    }
                }
                continue;
            }
            // Level l - 1 is in the ring: level l overwrites it in place.
            if let Some(((u, _), (_, d))) = pair {
                // The row above `lo` goes into the slot of level l row `lo` (where it already
                // is unless `lo` is the band's first row, whose slot is free).
                match u {
                    Src::Row(i) if slot(l - 1, i) != slot(l, lo) => ring.copy_within(at(l - 1, i), at(l, lo).start),
                    Src::Row(_) => {}
                    _ => ring[at(l, lo)].copy_from_slice(up_row),
                }
                let (s0, s1, c1) = (slot(l, lo), slot(l, hi), slot(l - 1, hi));
                match d {
                    Src::Row(i) if i != hi => {
                        let x = slot(l - 1, i);
                        let Ok([o0, o1, c, dn]) = ring.get_disjoint_mut([span(s0), span(s1), span(c1), span(x)]) else {
                            unreachable!("four consecutive slots of a ring of at least four")
                        };
                        row_pair_ring(kern, [o0, o1], [c, dn], g, cols.clone());
                    }
                    _ => {
                        let Ok([o0, o1, c]) = ring.get_disjoint_mut([span(s0), span(s1), span(c1)]) else {
                            unreachable!("three consecutive slots of a ring of at least four")
                        };
                        let dn = if d == Src::Dn { &*dn_row } else { &*c };
                        row_pair_ring(kern, [o0, o1], [c, dn], g, cols.clone());
                    }
                }
            } else {
                // One row at a time through `tmp` (its slot holds a row it reads).
                for i in lo..=hi {
                    let src = &*ring;
                    let prev = |i: usize| &src[at(l - 1, i)];
                    match nb(i) {
                        Some((u, d)) => {
                            let nbs = [[u.pick(up_row, dn_row, prev), d.pick(up_row, dn_row, prev)]];
                            row::<T, 1>(kern, tmp, prev(i), nbs, g, cols.clone())
                        }
                        None => tmp[cols.clone()].copy_from_slice(&prev(i)[cols.clone()]),
                    }
                    ring[at(l, i)][cols.clone()].copy_from_slice(&tmp[cols.clone()]);
                }
            }
            if l == depth {
                for i in lo..=hi {
                    out[i * m + s.x0..i * m + s.x1].copy_from_slice(&ring[at(l, i)][own.clone()]);
                }
            }
        }
    }
}

/// Row `i` (0: the row above, 1: the row below the band) of level `l - 1` kept by a seam.
fn seam_row<T>(saved: Option<&[T]>, l: usize, i: usize, m: usize) -> Option<&[T]> {
    saved.map(|sv| &sv[(2 * l - 2 + i) * m..(2 * l - 1 + i) * m])
}

/// Advances `a` by `depth` steps (2D only) into `b`; `a` is only read. `work` is resized as
/// needed (the only allocation, on first use). `band_rows`: rows per band when `parallel`
/// ([`BAND_ROWS`] in the library), `strip`: owned columns per strip ([`strip_cols`]); both
/// small in tests.
#[allow(clippy::too_many_arguments)]
pub(crate) fn run<T: Real>(
    kern: Kern,
    parallel: bool,
    band_rows: usize,
    strip: usize,
    a: &[T],
    b: &mut [T],
    depth: usize,
    g: &Geom<T>,
    work: &mut Vec<T>,
) {
    debug_assert!(g.nouter == 1 && depth >= 1);
    let strip = strip.max(1);
    let (nb, per) = bands(g, depth, parallel, band_rows);
    let (sc, rc) = work_cells(g, depth, strip);
    if work.len() < nb * (sc + rc) {
        work.resize(nb * (sc + rc), T::default());
    }
    let (seams, rings) = work[..nb * (sc + rc)].split_at_mut(nb * sc);
    let periodic = g.bc[1] == Bc::Periodic;
    let m = g.n[2];
    let run_seam = |k: usize, ws: &mut [T]| {
        if k > 0 || periodic {
            seam(kern, a, k * per, depth, g, ws);
        }
    };
    #[cfg(feature = "parallel")]
    if parallel {
        use rayon::prelude::*;
        seams.par_chunks_mut(sc).enumerate().for_each(|(k, ws)| run_seam(k, ws));
    } else {
        seams.chunks_mut(sc).enumerate().for_each(|(k, ws)| run_seam(k, ws));
    }
    #[cfg(not(feature = "parallel"))]
    seams.chunks_mut(sc).enumerate().for_each(|(k, ws)| run_seam(k, ws));
    let seams = &*seams;
    let saved = |k: usize| &seams[k * sc..k * sc + 2 * depth * m];
    let run_band = |k: usize, out: &mut [T], ws: &mut [T]| {
        let lo = if k > 0 || periodic { Some(saved(k)) } else { None };
        let hi = if k + 1 < nb {
            Some(saved(k + 1))
        } else if periodic {
            Some(saved(0))
        } else {
            None
        };
        for s in strips(m, strip, depth, g.bc[2] == Bc::Periodic) {
            tile(kern, a, out, k * per, depth, lo, hi, g, &s, ws);
        }
    };
    #[cfg(feature = "parallel")]
    if parallel {
        use rayon::prelude::*;
        b.par_chunks_mut(per * m).zip(rings.par_chunks_mut(rc)).enumerate().for_each(|(k, (out, ws))| {
            run_band(k, out, ws);
        });
        return;
    }
    for (k, (out, ws)) in b.chunks_mut(per * m).zip(rings.chunks_mut(rc)).enumerate() {
        run_band(k, out, ws);
    }
}
