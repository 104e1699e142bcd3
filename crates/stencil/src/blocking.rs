//! Temporal blocking for 2D grids: `depth` time steps per pass over the grid, so each row is
//! read from and written to memory once per pass instead of once per step.
//!
//! A band of rows runs a wavefront: at wave position `w`, level `l` (1..=depth) computes row
//! `w - (l - 1)`, levels in increasing order. Level `l` lives in buffer `a` (even) or `b`
//! (odd); writing level `l` row `i` overwrites level `l - 2` row `i`, whose last reader
//! (level `l - 1` row `i + 1`) ran earlier in the same wave position. The rows just outside a
//! band (and the periodic wrap-around) come from a *seam*: a small trapezoid computed first
//! from the original rows around the band boundary, which keeps the two rows at the boundary
//! for every level. Every row of every level is computed by the same row kernel from the same
//! inputs as a step-by-step run, so the result is bit-identical.

use crate::backend::{Kern, SlabRef, across, slab};
use crate::params::{Bc, Geom};
use crate::real::Real;

/// Rows in flight per band, `(depth + 2)` in each buffer, are kept under this many bytes (a
/// per-core L2 of 1 MiB; at 4096² f64 that is depth 14, which ran 10-15% faster there than
/// depth 6 from 512 KiB).
pub(crate) const BLOCK_BYTES: usize = 1024 * 1024;

/// Rows per band in the parallel backend (at least `2 * depth`); each band boundary costs a
/// seam of about `depth²` redundant row updates.
pub(crate) const BAND_ROWS: usize = 512;

/// The depth the auto setting picks for a 2D grid with rows of `m` cells, or 0 (off).
pub(crate) fn auto_depth<T: Real>(g: &Geom<T>) -> usize {
    if g.nouter != 1 || g.len() * T::BYTES < (1 << 20) {
        return 0;
    }
    let rows = BLOCK_BYTES / (2 * g.n[2] * T::BYTES);
    let depth = rows.saturating_sub(2).min(16);
    if depth < 2 || g.n[1] < 2 * depth { 0 } else { depth }
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

/// Cells of workspace per seam.
fn seam_cells<T: Real>(g: &Geom<T>, depth: usize) -> usize {
    6 * depth * g.n[2]
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

/// Runs the wavefront over one band (`a`, `b`: the band's rows of both buffers; `r0`: its
/// first row). `lo`/`hi`: the saved rows of the seams below and above, if any.
#[allow(clippy::too_many_arguments)]
fn band<T: Real>(
    kern: Kern,
    a: &mut [T],
    b: &mut [T],
    r0: usize,
    depth: usize,
    lo: Option<&[T]>,
    hi: Option<&[T]>,
    g: &Geom<T>,
) {
    let m = g.n[2];
    let len = a.len() / m;
    let ns = g.n[1];
    for w in 0..len + depth - 1 {
        for l in 1..=depth {
            let Some(i) = (w + 1).checked_sub(l).filter(|&i| i < len) else { continue };
            let (src, dst) = if l % 2 == 1 { (&*a, &mut *b) } else { (&*b, &mut *a) };
            let cur = &src[i * m..(i + 1) * m];
            let prev = if i > 0 {
                Some(SlabRef::new(&src[(i - 1) * m..i * m], g))
            } else if let Some(s) = lo {
                Some(SlabRef::new(&s[2 * (l - 1) * m..(2 * l - 1) * m], g))
            } else {
                debug_assert_eq!(r0, 0);
                across(g, 1, cur, cur)
            };
            let next = if i + 1 < len {
                Some(SlabRef::new(&src[(i + 1) * m..(i + 2) * m], g))
            } else if let Some(s) = hi {
                Some(SlabRef::new(&s[(2 * l - 1) * m..2 * l * m], g))
            } else {
                debug_assert_eq!(r0 + len, ns);
                across(g, 1, cur, cur)
            };
            slab(kern, &mut dst[i * m..(i + 1) * m], cur, prev.zip(next), g);
        }
    }
}

/// Advances `a` by `depth` steps (2D only); the result is in `a` if `depth` is even, else in
/// `b`. `work` is resized as needed (the only allocation, on first use). `band_rows`: rows per
/// band when `parallel` ([`BAND_ROWS`] in the library, small in tests).
#[allow(clippy::too_many_arguments)]
pub(crate) fn run<T: Real>(
    kern: Kern,
    parallel: bool,
    band_rows: usize,
    a: &mut [T],
    b: &mut [T],
    depth: usize,
    g: &Geom<T>,
    work: &mut Vec<T>,
) {
    debug_assert!(g.nouter == 1 && depth >= 1);
    let (nb, per) = bands(g, depth, parallel, band_rows);
    let sc = seam_cells(g, depth);
    if work.len() < nb * sc {
        work.resize(nb * sc, T::default());
    }
    let work = &mut work[..nb * sc];
    let periodic = g.bc[1] == Bc::Periodic;
    let m = g.n[2];
    let sc_saved = 2 * depth * m;
    let run_seams = |k: usize, ws: &mut [T]| {
        if k > 0 || periodic {
            seam(kern, a, k * per, depth, g, ws);
        }
    };
    #[cfg(feature = "parallel")]
    if parallel {
        use rayon::prelude::*;
        work.par_chunks_mut(sc).enumerate().for_each(|(k, ws)| run_seams(k, ws));
    } else {
        work.chunks_mut(sc).enumerate().for_each(|(k, ws)| run_seams(k, ws));
    }
    #[cfg(not(feature = "parallel"))]
    work.chunks_mut(sc).enumerate().for_each(|(k, ws)| run_seams(k, ws));
    let work = &*work;
    let seam_of = |k: usize| &work[k * sc..k * sc + sc_saved];
    let run_band = |k: usize, ab: &mut [T], bb: &mut [T]| {
        let lo = if k > 0 || periodic { Some(seam_of(k)) } else { None };
        let hi = if k + 1 < nb {
            Some(seam_of(k + 1))
        } else if periodic {
            Some(seam_of(0))
        } else {
            None
        };
        band(kern, ab, bb, k * per, depth, lo, hi, g);
    };
    #[cfg(feature = "parallel")]
    if parallel {
        use rayon::prelude::*;
        a.par_chunks_mut(per * m).zip(b.par_chunks_mut(per * m)).enumerate().for_each(|(k, (ab, bb))| {
            run_band(k, ab, bb);
        });
        return;
    }
    for (k, (ab, bb)) in a.chunks_mut(per * m).zip(b.chunks_mut(per * m)).enumerate() {
        run_band(k, ab, bb);
    }
}
