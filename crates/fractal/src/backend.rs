//! What the kernels iterate (a [`Job`] over a [`Source`] of pixels) and `Backend` -> kernel
//! dispatch. Every backend module exposes `fill(job, start, out)`: the counts of pixels
//! `start..start + out.len()` of the job, written into `out`.

use num_complex::Complex64;

use crate::{Backend, Escape, Precision};

/// Where pixel `k` starts: `[zr0, zi0, cr, ci]`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Source<'a> {
    /// A row-major grid: Julia (`z0` = the point, fixed `c`) or Mandelbrot (`c = None`: `z0 = 0`,
    /// `c` = the point).
    Grid { xs: &'a [f64], ys: &'a [f64], c: Option<Complex64> },
    /// The book's `calculate_z` with one `c` for every point.
    Points { zs: &'a [Complex64], c: Complex64 },
    /// The book's per-pixel `cs` form.
    PerPixel { zs: &'a [Complex64], cs: &'a [Complex64] },
}

impl<'a> Source<'a> {
    /// `c` when it is the same for every pixel (lets the SIMD kernel keep it in registers).
    #[cfg(feature = "simd")]
    pub(crate) fn shared_c(&self) -> Option<Complex64> {
        match *self {
            Source::Grid { c, .. } => c,
            Source::Points { c, .. } => Some(c),
            Source::PerPixel { .. } => None,
        }
    }

    /// A cursor that yields pixels `start, start + 1, ...` in row-major order.
    pub(crate) fn cursor(&self, start: usize) -> Cursor<'a> {
        let (i, j) = match *self {
            Source::Grid { xs, .. } => (start % xs.len(), start / xs.len()),
            _ => (start, 0),
        };
        Cursor { src: *self, i, j }
    }
}

/// Sequential reader of a [`Source`] (no division per pixel).
#[derive(Debug)]
pub(crate) struct Cursor<'a> {
    src: Source<'a>,
    i: usize,
    j: usize,
}

impl<'a> Cursor<'a> {
    /// For a grid, when the next `n` pixels lie in one row: their x coordinates and the row's y;
    /// the cursor moves past them. `None` otherwise (nothing moves).
    #[cfg(feature = "simd")]
    #[inline(always)]
    pub(crate) fn row_run(&mut self, n: usize) -> Option<(&'a [f64], f64)> {
        match self.src {
            Source::Grid { xs, ys, .. } if self.i + n <= xs.len() => {
                let run = &xs[self.i..self.i + n];
                let y = ys[self.j];
                self.i += n;
                if self.i == xs.len() {
                    self.i = 0;
                    self.j += 1;
                }
                Some((run, y))
            }
            _ => None,
        }
    }

    /// The next pixel's `[zr0, zi0, cr, ci]`; the caller never reads past the job's end.
    #[inline(always)]
    pub(crate) fn next_pixel(&mut self) -> [f64; 4] {
        let i = self.i;
        self.i += 1;
        match self.src {
            Source::Grid { xs, ys, c } => {
                let (x, y) = (xs[i], ys[self.j]);
                if self.i == xs.len() {
                    self.i = 0;
                    self.j += 1;
                }
                match c {
                    Some(c) => [x, y, c.re, c.im],
                    None => [0.0, 0.0, x, y],
                }
            }
            Source::Points { zs, c } => [zs[i].re, zs[i].im, c.re, c.im],
            Source::PerPixel { zs, cs } => [zs[i].re, zs[i].im, cs[i].re, cs[i].im],
        }
    }
}

/// One escape-time computation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Job<'a> {
    pub(crate) source: Source<'a>,
    pub(crate) max_iter: u32,
    pub(crate) precision: Precision,
    pub(crate) escape: Escape,
}

/// Runs `job` on a concrete, compiled `backend` (checked by the caller) into `out` (one slot per
/// pixel).
pub(crate) fn run(job: &Job<'_>, backend: Backend, out: &mut [u32]) {
    match backend {
        #[cfg(feature = "parallel")]
        Backend::Parallel => crate::parallel::fill(job, 0, out),
        #[cfg(feature = "simd")]
        Backend::Simd => crate::simd::fill(job, 0, out),
        _ => crate::scalar::fill(job, 0, out),
    }
}

/// The fastest single-thread kernel of this build for `job` (what `Parallel` runs per chunk).
#[cfg(feature = "parallel")]
pub(crate) fn best_single(job: &Job<'_>, start: usize, out: &mut [u32]) {
    #[cfg(feature = "simd")]
    if job.escape == Escape::Norm2 {
        return crate::simd::fill(job, start, out);
    }
    crate::scalar::fill(job, start, out)
}
