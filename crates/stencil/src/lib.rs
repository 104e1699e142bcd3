//! `stencil`: explicit diffusion (heat-equation) steps in 1D, 2D and 3D, allocation-free, with
//! boundary choices, temporal blocking and bit-identical scalar, SIMD and threaded backends
//! (chapter 6 of *High Performance Python*).
//!
//! The main call is [`evolve_inplace`]: application code calls it every time step; it
//! advances the grid one explicit Euler (FTCS) step of `du/dt = d ∇²u` in place, using a
//! caller-provided scratch buffer, and allocates nothing. [`evolve`] is the book's two-buffer
//! shape, [`Simulation`] owns both buffers and runs many steps (temporal blocking in 2D).
//!
//! # Example
//!
//! ```
//! use stencil::{Boundary, Params, book_initial_condition, evolve_inplace, mass};
//!
//! // The book's run: 2D, d = 1, dt = 0.1, dx = 1, periodic.
//! let params = Params::<f64>::new(&[128, 96]).diffusivity(1.0).dt(0.1).boundary(Boundary::Periodic).build()?;
//! let mut grid = book_initial_condition::<f64>(&[128, 96])?;
//! let mut scratch = vec![0.0; grid.len()];
//! let before = mass(&grid);
//! for _ in 0..50 {
//!     evolve_inplace(&mut grid[..], &mut scratch[..], &params)?;
//! }
//! assert!((mass(&grid) - before).abs() <= 1e-12 * before);
//!
//! // r above the stability limit is an error that names r and the limit.
//! let err = Params::<f64>::new(&[64, 64]).dt(0.3).build().unwrap_err();
//! assert!(err.to_string().contains("0.6") && err.to_string().contains("0.5"));
//! # Ok::<(), stencil::Error>(())
//! ```
//!
//! # Backends
//!
//! * [`Backend::Scalar`]: row by row, a branch-free interior loop (no `%`), edge columns and
//!   wrap-around rows handled apart.
//! * [`Backend::Simd`] (feature `simd`): whole vectors across the interior columns, for the
//!   widest instruction set of the CPU it runs on, picked at run time by the `pulp` crate
//!   (x86-64: AVX2, 4 × f64 / 8 × f32, so a default build does not stay at SSE2; aarch64:
//!   NEON; otherwise plain lanes). [`simd_level`] names the one in use. The kernel uses IEEE
//!   `+ - *` only (never FMA), so its bits do not depend on the instruction set.
//! * [`Backend::Parallel`] (feature `parallel`): `rayon` over bands of rows (planes in 3D) of a
//!   fixed size, the best single-thread kernel inside. 1D grids run serially.
//! * [`Backend::Auto`]: `Parallel` from [`PARALLEL_MIN_CELLS`] cells if compiled, else `Simd`
//!   if compiled, else `Scalar`.
//!
//! # Crate features
//!
//! * `simd` (default on): the vector kernel (dependency `pulp`: run-time dispatch without
//!   `unsafe` in this crate; `wide` fixes the instruction set at compile time, which left a
//!   default build on SSE2).
//! * `parallel` (off): the `rayon` backend.
//! * `serde` (off): `Serialize`/`Deserialize` for [`Boundary`].
//!
//! Features change speed, never results.
//!
//! # Performance
//!
//! A step reads 8 bytes and writes 8 bytes per cell (f64), plus 8 bytes of write-allocate
//! when the output is another buffer: on large grids one step is bounded by memory bandwidth,
//! like a copy. [`evolve_inplace`] moves 16 bytes per cell (new rows go through a two-row ring
//! in `scratch` and back into the rows they replace). [`Simulation::run`] on 2D grids uses
//! **temporal blocking** to go past that roof: tiles (whole rows while a tile's rows fit
//! 512 KiB, else strips of 512 f64 columns) run up to 16 steps per pass in strips, or as many
//! as the whole rows' ring fits (31 on 1024 f64 columns), with their rows in L2, two rows per
//! kernel pass, each level written in place over the rows of the level before it has just
//! read; `run(n)` takes the fewest passes, of nearly equal depth (see
//! [`Simulation::set_blocking_depth`]). The vector kernel runs AVX2
//! on x86-64 CPUs that have it even in a default build (run-time dispatch, see
//! [`simd_level`]). `Auto` goes parallel from [`PARALLEL_MIN_CELLS`] cells.
//!
//! On a 2-vCPU AMD EPYC (Zen 4) VM, f64, the book's run (figures, spread and conditions in
//! `docs/BENCHMARKS.md`): at 1024² on one thread `evolve_inplace` does 1.3-1.7 G
//! cell-updates/s and `Simulation::run` (two passes of 25 steps) 2.0-2.5 G/s (10.7-16.5x
//! numpy's in-place `roll_add` in fourteen runs; numpy's own time varies with the host); at
//! 4096² the in-place step on 2 threads runs at 82-114% of a one-thread `copy_from_slice` of
//! the grid (56-61% twice, with the second core busy), and `Simulation::run(100)` at
//! 1.7-2.2x that copy's rate on 2 threads, 0.9-1.3x on one.
//!
//! # Semantics
//!
//! * **Canonical cell formula**, the same in every backend and in temporal blocking, with
//!   `k_a = d*dt/dx_a²` computed once in [`Params`] and the neighbour sums
//!   `p_a = u[a-] + u[a+]` (axis 0 first, the contiguous axis last):
//!   - when every axis has the same `k` (equal spacing, as in the book): `s = p_0`, then
//!     `s = s + p_a` for the next axes, and `new = u + k*(s - c*u)` with `c = 2 × axes`;
//!   - otherwise `lap_a = p_a - 2u`, `s = k_0*lap_0`, then `s = s + k_a*lap_a`, and
//!     `new = u + s`.
//!
//!   Both keep a constant field exactly constant. No FMA. Results are **bit-identical**
//!   across backends, thread counts and blocking depths.
//! * Boundaries per axis ([`Boundary`]): periodic (the book), Dirichlet, Neumann (zero flux,
//!   conserves mass), Frozen (edge cells keep their values; the book's C kernel).
//! * Stability: `r = d*dt*Σ 1/dx_i²` above 1/2 is an [`ErrorKind::Unstable`] error unless
//!   `allow_unstable(true)`; [`Params::max_stable_dt`] gives the limit.
//! * Bad input (shape mismatch, empty or too-small shapes, non-finite or non-positive
//!   parameters, strided views, bad `.npy` files) is an [`Error`]; the grid is then untouched.
//! * [`mass`] sums in `f64` in a fixed pairwise order over fixed blocks.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod backend;
mod blocking;
mod error;
mod field;
mod heatmap;
mod npy;
#[cfg(feature = "parallel")]
mod parallel;
mod params;
mod real;
mod scalar;
#[cfg(feature = "simd")]
mod simd;
mod simulation;

#[cfg(test)]
mod naive;
#[cfg(test)]
mod tests;

pub use ferdelance_core::Backend;
pub(crate) use ferdelance_core::Compiled;

pub use error::{Error, ErrorKind};
pub use field::{AsField, AsFieldMut};
pub use heatmap::{Heatmap, write_heatmap_png};
pub use npy::{read_npy, write_npy};
pub use params::{Boundary, PARALLEL_MIN_CELLS, Params, ParamsBuilder, STABILITY_LIMIT};
pub use real::Real;
pub use simulation::Simulation;

use backend::Kern;
use params::Geom;

/// The concrete backends compiled into this build, `Scalar` first.
pub const BACKENDS: &[Backend] = &[
    Backend::Scalar,
    #[cfg(feature = "simd")]
    Backend::Simd,
    #[cfg(feature = "parallel")]
    Backend::Parallel,
];

/// The instruction set [`Backend::Simd`] (and the kernel inside [`Backend::Parallel`]) runs
/// on this CPU, picked at run time: `"avx2"` (x86-64-v3), `"neon"`, `"scalar"` (no vector
/// unit the kernel knows: plain lanes), or `"off"` without the `simd` feature.
pub fn simd_level() -> &'static str {
    #[cfg(feature = "simd")]
    return ferdelance_core::run_time_level();
    #[cfg(not(feature = "simd"))]
    return "off";
}

/// Advances `grid` one step in place; `scratch` (same shape) is overwritten. Allocates
/// nothing. On error `grid` is untouched.
///
/// `grid` and `scratch` may be slices (`&mut v[..]`), `Vec`s, or standard-layout `ndarray`
/// arrays and views.
pub fn evolve_inplace<T, G, S>(grid: &mut G, scratch: &mut S, params: &Params<T>) -> Result<(), Error>
where
    T: Real,
    G: AsFieldMut<T> + ?Sized,
    S: AsFieldMut<T> + ?Sized,
{
    grid.check_shape(params.shape())?;
    scratch.check_shape(params.shape())?;
    let scratch = scratch.cells_mut()?;
    let grid = grid.cells_mut()?;
    if params.checks_finite() {
        check_finite(grid)?;
    }
    let g = &params.g;
    match params.backend() {
        #[cfg(feature = "parallel")]
        Backend::Parallel => parallel::inplace(Kern::best(), grid, scratch, g, parallel::BAND_CELLS),
        b => backend::inplace(Kern::of(b), grid, scratch, g),
    }
    Ok(())
}

/// Writes the state one step after `input` into `output` (the book's two-buffer shape).
/// Allocates nothing. On error `output` is untouched.
pub fn evolve<T, I, O>(input: &I, output: &mut O, params: &Params<T>) -> Result<(), Error>
where
    T: Real,
    I: AsField<T> + ?Sized,
    O: AsFieldMut<T> + ?Sized,
{
    input.check_shape(params.shape())?;
    output.check_shape(params.shape())?;
    let input = input.cells()?;
    let output = output.cells_mut()?;
    if params.checks_finite() {
        check_finite(input)?;
    }
    step_two(params.backend(), input, output, &params.g);
    Ok(())
}

/// One two-buffer step on a resolved backend.
pub(crate) fn step_two<T: Real>(backend: Backend, input: &[T], output: &mut [T], g: &Geom<T>) {
    match backend {
        #[cfg(feature = "parallel")]
        Backend::Parallel => parallel::two_buffer(Kern::best(), input, output, g, parallel::BAND_CELLS),
        b => backend::two_buffer(Kern::of(b), input, output, g),
    }
}

pub(crate) fn check_finite<T: Real>(cells: &[T]) -> Result<(), Error> {
    match cells.iter().position(|x| !x.is_finite()) {
        None => Ok(()),
        Some(index) => Err(Error::new(
            ErrorKind::NonFinite { index },
            format!("the field holds a non-finite value {} at index {index}", cells[index]),
        )),
    }
}

fn check_shape(shape: &[usize]) -> Result<(), Error> {
    if shape.is_empty() || shape.len() > 3 || shape.contains(&0) {
        return Err(Error::new(ErrorKind::InvalidShape, format!("shape {shape:?}: expected 1 to 3 axes, none zero")));
    }
    Ok(())
}

/// The book's initial condition: zeros, with the block `[⌊0.4·n⌋, ⌊0.5·n⌋)` on every axis set
/// to 0.005. Each axis uses its **own** length (the book's code uses the first axis for both,
/// which only matters on non-square grids).
pub fn book_initial_condition<T: Real>(shape: &[usize]) -> Result<Vec<T>, Error> {
    check_shape(shape)?;
    let block: Vec<(usize, usize)> =
        shape.iter().map(|&n| ((0.4 * n as f64) as usize, (0.5 * n as f64) as usize)).collect();
    let len: usize = shape.iter().product();
    let mut out = vec![T::default(); len];
    let value = T::from_f64(0.005);
    for (i, x) in out.iter_mut().enumerate() {
        let mut rest = i;
        let mut inside = true;
        for (a, &n) in shape.iter().enumerate().rev() {
            let idx = rest % n;
            rest /= n;
            inside &= idx >= block[a].0 && idx < block[a].1;
        }
        if inside {
            *x = value;
        }
    }
    Ok(out)
}

/// A unit impulse: 1.0 at the centre cell (`n/2` on every axis), zeros elsewhere.
pub fn impulse<T: Real>(shape: &[usize]) -> Result<Vec<T>, Error> {
    check_shape(shape)?;
    let mut out = vec![T::default(); shape.iter().product()];
    let idx = shape.iter().fold(0, |acc, &n| acc * n + n / 2);
    out[idx] = T::from_f64(1.0);
    Ok(out)
}

/// Cells per block of [`mass`].
const MASS_BLOCK: usize = 4096;

/// The total `Σ u` in `f64`: each block of 4096 cells is summed in 8 interleaved partial sums
/// combined pairwise, and the block sums are combined pairwise. The order depends only on
/// the length, so the value is the same on every backend and thread count.
pub fn mass<T: Real>(cells: &[T]) -> f64 {
    fn block<T: Real>(b: &[T]) -> f64 {
        let mut acc = [0.0f64; 8];
        for (i, x) in b.iter().enumerate() {
            acc[i % 8] += x.to_f64();
        }
        ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
    }
    fn blocks<T: Real>(c: &[T]) -> f64 {
        let nblocks = c.len().div_ceil(MASS_BLOCK);
        if nblocks <= 1 {
            return block(c);
        }
        let mid = nblocks / 2 * MASS_BLOCK;
        blocks(&c[..mid]) + blocks(&c[mid..])
    }
    blocks(cells)
}

/// Cells per second to bytes per second: the memory traffic of one step on a large grid
/// (read, write and write-allocate: `3 * size_of::<T>()` bytes per cell).
pub const fn bytes_per_cell<T: Real>() -> usize {
    3 * T::BYTES
}
