//! Regions of the complex plane and the grids of sample points laid over them.

use crate::error::{Error, ErrorKind};

/// The most pixels one image may have: 2^30 (4 GiB of counts). Larger grids return
/// [`ErrorKind::TooLarge`] before anything is allocated.
pub const MAX_PIXELS: usize = 1 << 30;

/// A rectangle of the complex plane: real part `x_min..x_max`, imaginary part `y_min..y_max`.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Region {
    /// Left edge (smallest real part), included.
    pub x_min: f64,
    /// Right edge, excluded.
    pub x_max: f64,
    /// Bottom edge (smallest imaginary part), excluded.
    pub y_min: f64,
    /// Top edge, included: row 0 of every image.
    pub y_max: f64,
}

impl Region {
    /// The book's Julia region: `[-1.8, 1.8] x [-1.8, 1.8]`.
    pub const BOOK: Region = Region::new(-1.8, 1.8, -1.8, 1.8);
    /// The usual whole-Mandelbrot view: `[-2.0, 0.5] x [-1.25, 1.25]`.
    pub const MANDELBROT: Region = Region::new(-2.0, 0.5, -1.25, 1.25);

    /// A region from its bounds, in the book's order `x1, x2, y1, y2`. Checked when a grid is
    /// laid over it.
    pub const fn new(x_min: f64, x_max: f64, y_min: f64, y_max: f64) -> Self {
        Region { x_min, x_max, y_min, y_max }
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        let bounds = [self.x_min, self.x_max, self.y_min, self.y_max];
        if bounds.iter().any(|b| !b.is_finite()) {
            return Err(Error::new(ErrorKind::NonFinite, format!("region bounds must be finite, got {self:?}")));
        }
        if self.x_min >= self.x_max || self.y_min >= self.y_max {
            return Err(Error::new(
                ErrorKind::InvalidRegion,
                format!("region must have x_min < x_max and y_min < y_max, got {self:?}"),
            ));
        }
        if !(self.x_max - self.x_min).is_finite() || !(self.y_max - self.y_min).is_finite() {
            return Err(Error::new(ErrorKind::NonFinite, format!("region span overflows f64: {self:?}")));
        }
        Ok(())
    }
}

/// How sample points are laid over a [`Region`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Grid {
    /// The book's grid: `step = span / width` on both axes, coordinates made by repeated
    /// addition of the step (`x += x_step` while `x < x_max`; `y -= y_step` while `y > y_min`),
    /// top and left edges included. Rounding accumulates, so a side has `width` or `width + 1`
    /// points (1000 -> 1000 x 1000, 1024 -> 1025 x 1025); the true size is reported.
    Book {
        /// The book's `desired_width` (it also sets the height's step).
        width: usize,
    },
    /// Exactly `width x height` points: `x_i = x_min + i * ((x_max - x_min) / width)`,
    /// `y_j = y_max - j * ((y_max - y_min) / height)`; row 0 is the top (`y_max`).
    Exact {
        /// Points per row.
        width: usize,
        /// Rows.
        height: usize,
    },
}

/// The true size of an image: `width` columns by `height` rows, row-major.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Dims {
    /// Columns (points per row).
    pub width: usize,
    /// Rows.
    pub height: usize,
}

impl Dims {
    /// `width * height`.
    pub fn pixels(&self) -> usize {
        self.width * self.height
    }
}

fn too_large(what: String) -> Error {
    Error::new(ErrorKind::TooLarge, format!("{what} exceeds the limit of {MAX_PIXELS} pixels"))
}

/// Reserves `n` slots, reporting failure as `TooLarge` instead of aborting.
pub(crate) fn try_vec<T: Clone>(n: usize, fill: T) -> Result<Vec<T>, Error> {
    let mut v = Vec::new();
    v.try_reserve_exact(n)
        .map_err(|_| Error::new(ErrorKind::TooLarge, format!("cannot reserve memory for {n} values")))?;
    v.resize(n, fill);
    Ok(v)
}

/// The coordinates of a grid: `xs` (one per column, ascending) and `ys` (one per row, from the
/// top down).
pub(crate) fn coordinates(region: &Region, grid: Grid) -> Result<(Vec<f64>, Vec<f64>), Error> {
    region.validate()?;
    match grid {
        Grid::Book { width } => {
            if width == 0 {
                return Err(Error::new(ErrorKind::EmptyGrid, "width must be at least 1"));
            }
            let side = width.checked_add(1).ok_or_else(|| too_large(format!("book grid of width {width}")))?;
            if side.checked_mul(side).is_none_or(|p| p > MAX_PIXELS) {
                return Err(too_large(format!("book grid of width {width} (up to {side} x {side})")));
            }
            let x_step = (region.x_max - region.x_min) / width as f64;
            let y_step = (region.y_min - region.y_max) / width as f64;
            let xs = accumulate(region.x_min, x_step, side, |x| x < region.x_max)?;
            let ys = accumulate(region.y_max, y_step, side, |y| y > region.y_min)?;
            Ok((xs, ys))
        }
        Grid::Exact { width, height } => {
            if width == 0 || height == 0 {
                return Err(Error::new(ErrorKind::EmptyGrid, format!("grid {width} x {height} has no pixels")));
            }
            if width.checked_mul(height).is_none_or(|p| p > MAX_PIXELS) {
                return Err(too_large(format!("grid {width} x {height}")));
            }
            let dx = (region.x_max - region.x_min) / width as f64;
            let dy = (region.y_max - region.y_min) / height as f64;
            let mut xs = try_vec(width, 0.0)?;
            for (i, x) in xs.iter_mut().enumerate() {
                *x = region.x_min + i as f64 * dx;
            }
            let mut ys = try_vec(height, 0.0)?;
            for (j, y) in ys.iter_mut().enumerate() {
                *y = region.y_max - j as f64 * dy;
            }
            Ok((xs, ys))
        }
    }
}

/// The book's `while cond(v): out.append(v); v += step`, refusing to make more than `cap` points
/// (it would mean the step no longer advances `v`).
fn accumulate(start: f64, step: f64, cap: usize, cond: impl Fn(f64) -> bool) -> Result<Vec<f64>, Error> {
    let mut out = Vec::new();
    out.try_reserve_exact(cap).map_err(|_| too_large(format!("an axis of {cap} points")))?;
    let mut v = start;
    while cond(v) {
        if out.len() == cap {
            return Err(Error::new(
                ErrorKind::InvalidRegion,
                "the book grid's step is too small to advance at this position: use Grid::Exact",
            ));
        }
        out.push(v);
        v += step;
    }
    Ok(out)
}
