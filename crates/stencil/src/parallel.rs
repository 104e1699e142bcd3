//! The `rayon` backend: the same drivers as the single-thread backends, run over bands of
//! slabs (rows in 2D, planes in 3D) whose size depends only on the grid's shape, never on the
//! thread count. Every cell is computed by the best single-thread kernel with the canonical
//! formula, so the bits are the same at any thread count.

use rayon::prelude::*;

use crate::backend::{self, Kern, slab_at, slabs};
use crate::params::Geom;
use crate::real::Real;

/// Cells per band (at least one slab; the in-place step uses at least 8 slabs per band): 2 MiB
/// of f64, 64 rows at 4096² (measured best of 2^16, 2^18 and 2^20 for the in-place step there).
pub(crate) const BAND_CELLS: usize = 1 << 18;

/// Slabs per band for the two-buffer step.
fn per_band(size: usize, band_cells: usize) -> usize {
    band_cells.div_ceil(size).max(1)
}

/// One step from `input` into `output`, bands of about `band_cells` cells (tests use small
/// bands; the library uses [`BAND_CELLS`]).
pub(crate) fn two_buffer<T: Real>(kern: Kern, input: &[T], output: &mut [T], g: &Geom<T>, band_cells: usize) {
    let (ns, size) = slabs(g);
    let per = per_band(size, band_cells);
    if g.nouter == 0 || per >= ns {
        return backend::two_buffer(kern, input, output, g);
    }
    let src = |i: usize| &input[i * size..(i + 1) * size];
    output.par_chunks_mut(per * size).enumerate().for_each(|(b, chunk)| {
        for (i, out) in chunk.chunks_exact_mut(size).enumerate() {
            slab_at(kern, out, b * per + i, src, g);
        }
    });
}

/// One step in place: the first and last slab of every band are saved first, then the bands
/// run the in-place ring update concurrently.
pub(crate) fn inplace<T: Real>(kern: Kern, grid: &mut [T], scratch: &mut [T], g: &Geom<T>, band_cells: usize) {
    let (ns, size) = slabs(g);
    let per = per_band(size, band_cells).max(8);
    if g.nouter == 0 || ns < 8 || per >= ns {
        return backend::inplace(kern, grid, scratch, g);
    }
    let nbands = ns.div_ceil(per);
    let (saved, rest) = scratch.split_at_mut(2 * nbands * size);
    let ring = &mut rest[..2 * nbands * size];
    // Every band's edges, saved before any band starts, in parallel as well.
    saved
        .par_chunks_exact_mut(2 * size)
        .enumerate()
        .for_each(|(b, pair)| backend::save_band_edges(grid, pair, b, per, g));
    let saved = &*saved;
    grid.par_chunks_mut(per * size).zip(ring.par_chunks_mut(2 * size)).enumerate().for_each(|(k, (band, ring))| {
        backend::band_inplace(kern, band, ring, k, nbands, k * per, saved, g);
    });
}
