//! Escape-time Julia and Mandelbrot sets (the book's chapters 2 and 7), with counts that are
//! bit-identical on every backend and thread count.
//!
//! # Example
//!
//! ```
//! // The book's run: c = -0.62772 - 0.42193i over [-1.8, 1.8]^2, 1000 wide, 300 iterations.
//! let image = fractal::julia(1000, 300)?;
//! assert_eq!((image.width(), image.height()), (1000, 1000));
//! assert_eq!(image.sum(), 33_219_980); // the book's `assert sum(output) == 33219980`
//!
//! // The builder: any c, region, grid, size and backend; counts never depend on the backend.
//! use fractal::{Backend, Complex64, Grid, Julia, Mandelbrot, Region};
//! let small = Julia::new(Complex64::new(-0.8, 0.156))
//!     .grid(Grid::Exact { width: 64, height: 48 })
//!     .max_iter(100)
//!     .backend(Backend::Scalar)
//!     .run()?;
//! assert_eq!(small.counts().len(), 64 * 48);
//! let mut buf = vec![0u32; 64 * 48];
//! Mandelbrot::new().region(Region::MANDELBROT).grid(Grid::Exact { width: 64, height: 48 }).run_into(&mut buf)?;
//! # Ok::<(), fractal::Error>(())
//! ```
//!
//! # Backends
//!
//! * [`Backend::Scalar`]: the book's per-pixel loop; the reference.
//! * [`Backend::Simd`] (feature `simd`): vectors of neighbouring pixels in the widest
//!   instruction set of the CPU it runs on, picked at run time by the `pulp` crate (x86-64:
//!   AVX2 when present, so a default build runs 256-bit vectors on any current x86; aarch64:
//!   NEON; [`simd_level`] names it): four 256-bit vectors (4 `f64` or 8 `f32` lanes each) or two
//!   narrower ones in flight, in lockstep with sticky per-lane masks until all have escaped. Not
//!   offered with [`Escape::Hypot`] ([`ErrorKind::Unsupported`]).
//! * [`Backend::Parallel`] (feature `parallel`): rayon over chunks of 1024 pixels, dynamically
//!   scheduled (a row of the book's image costs 485 to 131,164 iterations), the SIMD kernel
//!   inside when `simd` is on. Uses the current rayon pool.
//! * [`Backend::Auto`]: `Parallel` when compiled and `pixels * max_iter` is above
//!   [`PARALLEL_THRESHOLD`], else `Simd` if compiled, else `Scalar` (`Hypot` never picks `Simd`).
//!
//! # Crate features
//!
//! * `simd` (default on): the vector backend (dependency `pulp`: run-time dispatch without
//!   `unsafe` in this crate).
//! * `parallel` (off): the `rayon` backend.
//! * `serde` (off): `Serialize`/`Deserialize` for [`Region`], [`Grid`], [`Dims`], [`Precision`],
//!   [`Escape`], [`Palette`] and [`Orientation`].
//!
//! Features change speed, never results.
//!
//! # Performance
//!
//! The book's image (1000 x 1000, 300 iterations, 33.2 M iterations) took 12.3 s in pure
//! Python, 0.25 s in Cython and 0.07 s with Cython + OpenMP on 4 cores (book figures, 2014
//! laptop). On a shared 2-core AMD EPYC (Zen 4) VM, `cargo xtask compare fractal` (measuring
//! process at top priority, 2026-11-26) measured, in a default build (the kernel on AVX2, picked
//! at run time): scalar 125 ms, SIMD 21.7 ms (5.8x), parallel 11.2 ms against SIMD's 21.7 ms
//! in interleaved runs (1.93x on 2 threads); with `-C target-cpu=native` SIMD 18.8 ms and
//! parallel 10.1 ms. `docs/BENCHMARKS.md` has
//! the tables, the `-C target-cpu=native` figures and the peers (numpy, numexpr, numba). Rates are
//! useful iterations per second (`sum / seconds`); the SIMD kernel also runs dead lanes until its
//! group finishes (about 1.3-1.5 lane-iterations per useful one on this image).
//!
//! `Auto` goes parallel above [`PARALLEL_THRESHOLD`] potential iterations (`pixels * max_iter`):
//! the `fractal/julia/{simd,parallel}/100` benches show even the 100 x 100 book image gaining from
//! threads (1.29 ms vs 0.89 ms).
//!
//! # Semantics
//!
//! For each pixel: `n = 0`; while `n < max_iter` and `zr*zr + zi*zi < 4`:
//! `zr, zi = (zr*zr - zi*zi) + cr, (zr*zi + zr*zi) + ci; n += 1`. Everything is `f64` (or `f32`
//! with [`Precision::F32`]) with no fused multiply-add, so every backend returns the same
//! integers at any thread count. A pixel that starts outside the radius scores 0; `max_iter` 0
//! gives all zeros; NaN inputs score 0. Row 0 is the top of the region (`y_max`); see
//! [`Orientation`] for the book's upside-down pictures.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod backend;
mod error;
mod grid;
mod image;
#[cfg(feature = "parallel")]
mod parallel;
mod scalar;
#[cfg(feature = "simd")]
mod simd;

pub use ferdelance_core::Backend;
use ferdelance_core::Compiled;
pub use num_complex::Complex64;

pub use error::{Error, ErrorKind};
pub use grid::{Dims, Grid, MAX_PIXELS, Region};
pub use image::{Orientation, Palette};

use backend::{Job, Source};

/// The instruction set [`Backend::Simd`] (and the kernel inside [`Backend::Parallel`]) runs
/// on this CPU, picked at run time: `"avx2"` (x86-64-v3), `"neon"`, `"scalar"` (no vector
/// unit the kernel knows: plain lanes), or `"off"` without the `simd` feature.
pub fn simd_level() -> &'static str {
    #[cfg(feature = "simd")]
    return ferdelance_core::run_time_level();
    #[cfg(not(feature = "simd"))]
    return "off";
}

/// The concrete backends compiled into this build, scalar first.
pub const BACKENDS: &[Backend] = &[
    Backend::Scalar,
    #[cfg(feature = "simd")]
    Backend::Simd,
    #[cfg(feature = "parallel")]
    Backend::Parallel,
];

/// `Auto` picks `Parallel` (when compiled) once `pixels * max_iter` exceeds this: 2^20, about a
/// 60 x 60 image at 300 iterations (`fractal/julia/{simd,parallel}/100` benches: the 100 x 100
/// book image already runs faster on two threads).
pub const PARALLEL_THRESHOLD: u64 = 1 << 20;

/// The book's `c = -0.62772 - 0.42193i`.
pub const BOOK_C: Complex64 = Complex64::new(-0.62772, -0.42193);

/// The book's `max_iterations`.
pub const BOOK_MAX_ITER: u32 = 300;

/// The book's `desired_width`.
pub const BOOK_WIDTH: usize = 1000;

/// The float type of the iteration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Precision {
    /// `f64`: the book's doubles; the default.
    #[default]
    F64,
    /// `f32`: coordinates made in `f64` by the grid rule then rounded to `f32`, `c` rounded to
    /// `f32`, the same operations in `f32` (`f32x8` on the SIMD backend). A different picture:
    /// its counts match `f32` on every backend, not `f64` (book grid, w=100: sum 334,234
    /// instead of 334,236).
    F32,
}

/// The escape test.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Escape {
    /// `zr*zr + zi*zi < 4`: what the book's compiled versions use; the default.
    #[default]
    Norm2,
    /// The book's pure-Python `abs(z) < 2` (`hypot`): slower; Scalar and Parallel only.
    Hypot,
}

/// The escape count of one point: iterations of `z <- z*z + c` from `z0` while `|z| < 2`, at
/// most `max_iter` (the scalar reference, `Norm2`, `f64`).
///
/// ```
/// use fractal::{escape_count, BOOK_C, Complex64};
/// assert_eq!(escape_count(Complex64::new(0.0, 0.0), BOOK_C, 300), 300);
/// assert_eq!(escape_count(Complex64::new(-1.8, -1.8), BOOK_C, 300), 0);
/// ```
pub fn escape_count(z0: Complex64, c: Complex64, max_iter: u32) -> u32 {
    scalar::count::<f64>([z0.re, z0.im, c.re, c.im], max_iter, false)
}

/// The orbit `z0, z1, ..., z_steps` of `z <- z*z + c` with the contract's arithmetic (no escape
/// test): the book prints the first terms from `z0 = 0`.
///
/// ```
/// use fractal::{orbit, BOOK_C, Complex64};
/// let z = orbit(Complex64::new(0.0, 0.0), BOOK_C, 2);
/// assert_eq!(z[1], BOOK_C);
/// assert!((z[2] - Complex64::new(-0.4117125265, 0.1077777992)).norm() < 1e-10);
/// ```
pub fn orbit(z0: Complex64, c: Complex64, steps: usize) -> Vec<Complex64> {
    let mut z = z0;
    let mut out = Vec::with_capacity(steps.saturating_add(1).min(1 << 20));
    out.push(z);
    for _ in 0..steps {
        let t = z.re * z.im;
        z = Complex64::new((z.re * z.re - z.im * z.im) + c.re, (t + t) + c.im);
        out.push(z);
    }
    out
}

/// The book's `calculate_z(maxiter, zs, cs, output)` with one `c` for every point: writes each
/// point's escape count into `out` (`Backend::Auto`, no allocation).
pub fn escape_counts(zs: &[Complex64], c: Complex64, max_iter: u32, out: &mut [u32]) -> Result<(), Error> {
    check_finite(&[c])?;
    run_source(Source::Points { zs, c }, max_iter, out)
}

/// The book's per-pixel form: `out[k]` = escape count of `zs[k]` under `cs[k]`.
pub fn escape_counts_per_pixel(
    zs: &[Complex64],
    cs: &[Complex64],
    max_iter: u32,
    out: &mut [u32],
) -> Result<(), Error> {
    check_len(zs.len(), cs.len())?;
    run_source(Source::PerPixel { zs, cs }, max_iter, out)
}

fn run_source(source: Source<'_>, max_iter: u32, out: &mut [u32]) -> Result<(), Error> {
    let n = match source {
        Source::Points { zs, .. } | Source::PerPixel { zs, .. } => zs.len(),
        Source::Grid { xs, ys, .. } => xs.len() * ys.len(),
    };
    check_len(n, out.len())?;
    let job = Job { source, max_iter, precision: Precision::F64, escape: Escape::Norm2 };
    let backend = Backend::Auto.resolve(compiled(), worthwhile(n, max_iter))?;
    backend::run(&job, backend, out);
    Ok(())
}

fn check_len(expected: usize, got: usize) -> Result<(), Error> {
    if expected == got {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::BufferLength { expected, got },
            format!("buffer has {got} slots for {expected} pixels"),
        ))
    }
}

fn check_finite(cs: &[Complex64]) -> Result<(), Error> {
    match cs.iter().find(|c| !c.re.is_finite() || !c.im.is_finite()) {
        Some(c) => Err(Error::new(ErrorKind::NonFinite, format!("c must be finite, got {c}"))),
        None => Ok(()),
    }
}

fn compiled() -> Compiled {
    Compiled::new(cfg!(feature = "simd"), cfg!(feature = "parallel"))
}

fn worthwhile(pixels: usize, max_iter: u32) -> bool {
    (pixels as u64).saturating_mul(max_iter as u64) > PARALLEL_THRESHOLD
}

/// The book's run: the Julia set at [`BOOK_C`] over [`Region::BOOK`] on the book grid of
/// `width`, with `Backend::Auto`. `julia(1000, 300)` sums to 33,219,980.
pub fn julia(width: usize, max_iter: u32) -> Result<EscapeImage, Error> {
    Julia::book().grid(Grid::Book { width }).max_iter(max_iter).run()
}

/// Settings shared by both builders.
#[derive(Clone, Copy, Debug)]
struct Params {
    /// `Some(c)` for Julia, `None` for Mandelbrot.
    c: Option<Complex64>,
    region: Region,
    grid: Grid,
    max_iter: u32,
    precision: Precision,
    escape: Escape,
    backend: Backend,
}

impl Params {
    fn coordinates(&self) -> Result<(Vec<f64>, Vec<f64>), Error> {
        if let Some(c) = self.c {
            check_finite(&[c])?;
        }
        grid::coordinates(&self.region, self.grid)
    }

    /// The concrete backend for `pixels` pixels.
    fn backend(&self, pixels: usize) -> Result<Backend, Error> {
        if self.escape == Escape::Hypot && self.backend == Backend::Simd {
            return Err(Error::new(ErrorKind::Unsupported, "the simd backend does not offer the Hypot escape test"));
        }
        let b = self.backend.resolve(compiled(), worthwhile(pixels, self.max_iter))?;
        Ok(if b == Backend::Simd && self.escape == Escape::Hypot { Backend::Scalar } else { b })
    }

    fn run_into(&self, out: &mut [u32]) -> Result<Dims, Error> {
        let (xs, ys) = self.coordinates()?;
        let dims = Dims { width: xs.len(), height: ys.len() };
        check_len(dims.pixels(), out.len())?;
        let backend = self.backend(dims.pixels())?;
        let job = Job {
            source: Source::Grid { xs: &xs, ys: &ys, c: self.c },
            max_iter: self.max_iter,
            precision: self.precision,
            escape: self.escape,
        };
        backend::run(&job, backend, out);
        Ok(dims)
    }

    fn run_smooth(&self) -> Result<(Dims, Vec<f64>), Error> {
        let (xs, ys) = self.coordinates()?;
        let dims = Dims { width: xs.len(), height: ys.len() };
        let mut out = grid::try_vec(dims.pixels(), 0.0f64)?;
        let mut cursor = Source::Grid { xs: &xs, ys: &ys, c: self.c }.cursor(0);
        for v in out.iter_mut() {
            *v = scalar::smooth(cursor.next_pixel(), self.max_iter);
        }
        Ok((dims, out))
    }

    fn run(&self) -> Result<EscapeImage, Error> {
        let (xs, ys) = self.coordinates()?;
        let dims = Dims { width: xs.len(), height: ys.len() };
        let backend = self.backend(dims.pixels())?;
        let mut counts = grid::try_vec(dims.pixels(), 0u32)?;
        let job = Job {
            source: Source::Grid { xs: &xs, ys: &ys, c: self.c },
            max_iter: self.max_iter,
            precision: self.precision,
            escape: self.escape,
        };
        backend::run(&job, backend, &mut counts);
        Ok(EscapeImage { dims, max_iter: self.max_iter, backend, counts })
    }
}

macro_rules! builder_methods {
    () => {
        /// The region of the plane (bounds checked at run time).
        pub fn region(mut self, region: Region) -> Self {
            self.0.region = region;
            self
        }

        /// The grid laid over the region.
        pub fn grid(mut self, grid: Grid) -> Self {
            self.0.grid = grid;
            self
        }

        /// The most iterations per pixel (0 is valid: all counts 0).
        pub fn max_iter(mut self, max_iter: u32) -> Self {
            self.0.max_iter = max_iter;
            self
        }

        /// The float type of the iteration (default `F64`).
        pub fn precision(mut self, precision: Precision) -> Self {
            self.0.precision = precision;
            self
        }

        /// The escape test (default `Norm2`).
        pub fn escape(mut self, escape: Escape) -> Self {
            self.0.escape = escape;
            self
        }

        /// The backend (default `Auto`); a backend that is not compiled in is an error at run time.
        pub fn backend(mut self, backend: Backend) -> Self {
            self.0.backend = backend;
            self
        }

        /// Computes the counts into a new image.
        pub fn run(&self) -> Result<EscapeImage, Error> {
            self.0.run()
        }

        /// Computes the counts into `out` (one slot per pixel, row-major, no allocation besides
        /// the grid's coordinates) and returns the image's true size.
        pub fn run_into(&self, out: &mut [u32]) -> Result<Dims, Error> {
            self.0.run_into(out)
        }

        /// Smooth (fractional) escape values, row-major: `n + 1 - log2(ln |z_n|)` for a pixel that
        /// escapes at count `n` with `z_n`, and `max_iter` for one that does not. An extra beyond
        /// the book, always computed by the scalar kernel in `f64` (the backend setting is not
        /// used) with the standard library's `ln`/`log2`: equal to the counts' order up to one
        /// iteration, and within a few ULP of the exact formula (platform `libm`). NaN for NaN or
        /// infinite escapes.
        pub fn run_smooth(&self) -> Result<(Dims, Vec<f64>), Error> {
            self.0.run_smooth()
        }

        /// The concrete backend a run would use (what `Auto` resolves to for this work), or the
        /// error a run would return for the backend request.
        pub fn resolved_backend(&self) -> Result<Backend, Error> {
            self.0.backend(self.dims()?.pixels())
        }

        /// The grid's size without computing anything (the book grid's size depends on rounding).
        pub fn dims(&self) -> Result<Dims, Error> {
            let (xs, ys) = self.0.coordinates()?;
            Ok(Dims { width: xs.len(), height: ys.len() })
        }

        /// The grid's coordinates: `xs` (ascending, one per column) and `ys` (one per row, from
        /// the top down).
        pub fn coordinates(&self) -> Result<(Vec<f64>, Vec<f64>), Error> {
            self.0.coordinates()
        }
    };
}

/// Builder for a Julia set: `z0` = the pixel, fixed `c`.
#[derive(Clone, Copy, Debug)]
pub struct Julia(Params);

impl Julia {
    /// The book's settings: [`BOOK_C`], [`Region::BOOK`], `Grid::Book { width: 1000 }`,
    /// 300 iterations, `F64`, `Norm2`, `Auto`.
    pub fn book() -> Self {
        Julia::new(BOOK_C)
    }

    /// The Julia set of `c`, with the book's region, grid and iterations until changed.
    pub fn new(c: Complex64) -> Self {
        Julia(Params {
            c: Some(c),
            region: Region::BOOK,
            grid: Grid::Book { width: BOOK_WIDTH },
            max_iter: BOOK_MAX_ITER,
            precision: Precision::F64,
            escape: Escape::Norm2,
            backend: Backend::Auto,
        })
    }

    /// Changes `c`.
    pub fn c(mut self, c: Complex64) -> Self {
        self.0.c = Some(c);
        self
    }

    builder_methods!();
}

/// Builder for the Mandelbrot set: `z0 = 0`, `c` = the pixel.
#[derive(Clone, Copy, Debug)]
pub struct Mandelbrot(Params);

impl Default for Mandelbrot {
    fn default() -> Self {
        Mandelbrot::new()
    }
}

impl Mandelbrot {
    /// [`Region::MANDELBROT`], `Grid::Exact { width: 1000, height: 1000 }`, 300 iterations.
    pub fn new() -> Self {
        Mandelbrot(Params {
            c: None,
            region: Region::MANDELBROT,
            grid: Grid::Exact { width: BOOK_WIDTH, height: BOOK_WIDTH },
            max_iter: BOOK_MAX_ITER,
            precision: Precision::F64,
            escape: Escape::Norm2,
            backend: Backend::Auto,
        })
    }

    builder_methods!();
}

/// Escape counts on a grid, row-major, row 0 at the top of the region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EscapeImage {
    dims: Dims,
    max_iter: u32,
    backend: Backend,
    counts: Vec<u32>,
}

impl EscapeImage {
    /// Columns.
    pub fn width(&self) -> usize {
        self.dims.width
    }

    /// Rows.
    pub fn height(&self) -> usize {
        self.dims.height
    }

    /// Columns and rows.
    pub fn dims(&self) -> Dims {
        self.dims
    }

    /// The iteration cap the counts were made with.
    pub fn max_iter(&self) -> u32 {
        self.max_iter
    }

    /// The concrete backend that computed the counts (what `Auto` resolved to).
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The counts (`0..=max_iter`), row-major.
    pub fn counts(&self) -> &[u32] {
        &self.counts
    }

    /// The counts, by value.
    pub fn into_counts(self) -> Vec<u32> {
        self.counts
    }

    /// The total of all counts (the book's checksum; the number of `z` updates).
    pub fn sum(&self) -> u64 {
        self.counts.iter().map(|&c| c as u64).sum()
    }

    /// The largest count (0 for an all-zero image).
    pub fn max(&self) -> u32 {
        self.counts.iter().copied().max().unwrap_or(0)
    }

    /// Pixels that reached `max_iter` (did not escape).
    pub fn at_max(&self) -> usize {
        self.counts.iter().filter(|&&c| c == self.max_iter).count()
    }

    /// Pixels that scored 0 (started outside the radius).
    pub fn zeros(&self) -> usize {
        self.counts.iter().filter(|&&c| c == 0).count()
    }

    /// The counts as an `ndarray` of shape `(height, width)`.
    pub fn to_array2(&self) -> ndarray::Array2<u32> {
        ndarray::Array2::from_shape_vec((self.height(), self.width()), self.counts.clone())
            .expect("counts hold height * width values")
    }
}
