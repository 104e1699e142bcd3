//! Named parameters: shape, diffusivity, time step, spacing, boundaries, backend.

use std::marker::PhantomData;

use crate::error::{Error, ErrorKind};
use crate::real::Real;
use crate::{Backend, Compiled};

/// The explicit scheme's stability limit on `r = d * dt * Σ 1/dx_i²`.
pub const STABILITY_LIMIT: f64 = 0.5;

/// `Auto` picks `Parallel` (when compiled) from this many cells up. Set from the tour's
/// 256²…4096² table and `benches/benches/stencil.rs` on a 2-core AMD EPYC (Zen 3) VM: below
/// 512² a step takes under ~150 µs and the fork-join overhead eats the gain.
pub const PARALLEL_MIN_CELLS: usize = 512 * 512;

/// What the cells just outside the grid hold, per axis.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Boundary {
    /// Wrap around (the book, `np.roll`): the cell before index 0 is index `n-1`.
    #[default]
    Periodic,
    /// The cells outside the grid hold this value (the book's "fixed value" is 0).
    Dirichlet(f64),
    /// Zero flux: the cell outside mirrors the edge cell. Conserves mass.
    Neumann,
    /// The edge cells keep their values (the book's C kernel updates only the interior).
    /// Needs a side of at least 3.
    Frozen,
}

impl Boundary {
    /// The name the CLI and JSON use: `periodic`, `dirichlet=V`, `neumann`, `frozen`.
    pub fn name(&self) -> String {
        match self {
            Boundary::Periodic => "periodic".into(),
            Boundary::Dirichlet(v) => format!("dirichlet={v}"),
            Boundary::Neumann => "neumann".into(),
            Boundary::Frozen => "frozen".into(),
        }
    }
}

impl std::str::FromStr for Boundary {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let low = s.to_ascii_lowercase();
        match low.as_str() {
            "periodic" => Ok(Boundary::Periodic),
            "neumann" => Ok(Boundary::Neumann),
            "frozen" => Ok(Boundary::Frozen),
            "dirichlet" => Ok(Boundary::Dirichlet(0.0)),
            _ => match low.strip_prefix("dirichlet=") {
                Some(v) => match v.parse::<f64>() {
                    Ok(x) if x.is_finite() => Ok(Boundary::Dirichlet(x)),
                    _ => Err(format!("`{s}`: the Dirichlet value must be a finite number")),
                },
                None => Err(format!("`{s}`: expected periodic, dirichlet=V, neumann or frozen")),
            },
        }
    }
}

/// A boundary in the kernels' element type.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Bc<T> {
    Periodic,
    Dirichlet(T),
    Neumann,
    Frozen,
}

/// Builder for [`Params`]; start with [`Params::new`].
#[derive(Clone, Debug)]
pub struct ParamsBuilder<T> {
    shape: Vec<usize>,
    d: f64,
    dt: f64,
    spacing: Vec<f64>,
    boundaries: Vec<Boundary>,
    backend: Backend,
    check_finite: bool,
    allow_unstable: bool,
    _t: PhantomData<T>,
}

/// Validated parameters of one explicit diffusion step (build with [`Params::new`]).
///
/// The coefficients `k_a = d * dt / dx_a²` are computed once here, in `f64`, and rounded to
/// `T`; every backend uses exactly these values.
#[derive(Clone, Debug)]
pub struct Params<T> {
    shape: Vec<usize>,
    d: f64,
    dt: f64,
    spacing: Vec<f64>,
    boundaries: Vec<Boundary>,
    requested: Backend,
    backend: Backend,
    check_finite: bool,
    r: f64,
    pub(crate) g: Geom<T>,
}

/// The grid as the kernels see it: always 3 internal axes (planes, rows, columns); the first
/// `3 - ndim` have length 1 and take no part in the update.
#[derive(Clone, Debug)]
pub(crate) struct Geom<T> {
    /// Internal sides: planes, rows, columns.
    pub(crate) n: [usize; 3],
    /// How many axes before the last one are active (0 in 1D, 1 in 2D, 2 in 3D).
    pub(crate) nouter: usize,
    /// `k_a` per internal axis.
    pub(crate) k: [T; 3],
    /// Boundary per internal axis.
    pub(crate) bc: [Bc<T>; 3],
    /// Dirichlet ghost rows (length `n[2]`) for internal axes 0 and 1 (empty if unused).
    pub(crate) ghost: [Vec<T>; 2],
}

impl<T: Real> Geom<T> {
    /// Cells in the grid.
    pub(crate) fn len(&self) -> usize {
        self.n[0] * self.n[1] * self.n[2]
    }
}

impl<T: Real> Params<T> {
    /// Starts a builder for a grid of this shape (row-major, the last axis contiguous; 1 to 3
    /// axes). Defaults: `diffusivity(1.0)`, `dt(0.1)`, `spacing(&[1.0])`,
    /// `boundary(Boundary::Periodic)`, `backend(Backend::Auto)` — the book's 2D run.
    #[allow(clippy::new_ret_no_self)]
    pub fn new(shape: &[usize]) -> ParamsBuilder<T> {
        ParamsBuilder {
            shape: shape.to_vec(),
            d: 1.0,
            dt: 0.1,
            spacing: vec![1.0],
            boundaries: vec![Boundary::Periodic],
            backend: Backend::Auto,
            check_finite: false,
            allow_unstable: false,
            _t: PhantomData,
        }
    }

    /// The grid's shape.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.g.len()
    }
    /// Always false: shapes have no zero side.
    pub fn is_empty(&self) -> bool {
        false
    }
    /// The diffusion coefficient `d`.
    pub fn diffusivity(&self) -> f64 {
        self.d
    }
    /// The time step.
    pub fn dt(&self) -> f64 {
        self.dt
    }
    /// Spacing per axis.
    pub fn spacing(&self) -> &[f64] {
        &self.spacing
    }
    /// Boundary per axis.
    pub fn boundaries(&self) -> &[Boundary] {
        &self.boundaries
    }
    /// The backend that runs (what `Auto` resolved to for this size).
    pub fn backend(&self) -> Backend {
        self.backend
    }
    /// The backend that was asked for.
    pub fn requested_backend(&self) -> Backend {
        self.requested
    }
    /// Whether each step first checks the field for NaN and infinities.
    pub fn checks_finite(&self) -> bool {
        self.check_finite
    }
    /// `r = d * dt * Σ 1/dx_i²`; the scheme is stable for `r <= 1/2`.
    pub fn r(&self) -> f64 {
        self.r
    }
    /// The largest stable time step for this `d` and spacing.
    pub fn max_stable_dt(&self) -> f64 {
        max_stable_dt(self.d, &self.spacing)
    }
    /// The same parameters on another backend.
    pub fn with_backend(&self, backend: Backend) -> Result<Self, Error> {
        let mut p = self.clone();
        p.requested = backend;
        p.backend = resolve(backend, self.len())?;
        Ok(p)
    }
}

fn max_stable_dt(d: f64, spacing: &[f64]) -> f64 {
    STABILITY_LIMIT / (d * spacing.iter().map(|dx| 1.0 / (dx * dx)).sum::<f64>())
}

pub(crate) fn resolve(backend: Backend, cells: usize) -> Result<Backend, Error> {
    let compiled = Compiled::new(cfg!(feature = "simd"), cfg!(feature = "parallel"));
    Ok(backend.resolve(compiled, cells >= PARALLEL_MIN_CELLS)?)
}

impl<T: Real> ParamsBuilder<T> {
    /// The diffusion coefficient `d` (default 1).
    pub fn diffusivity(mut self, d: f64) -> Self {
        self.d = d;
        self
    }
    /// The time step (default 0.1, the book's).
    pub fn dt(mut self, dt: f64) -> Self {
        self.dt = dt;
        self
    }
    /// Grid spacing: one value for every axis, or one per axis (default 1).
    pub fn spacing(mut self, spacing: &[f64]) -> Self {
        self.spacing = spacing.to_vec();
        self
    }
    /// The same boundary on every axis (default `Periodic`).
    pub fn boundary(mut self, b: Boundary) -> Self {
        self.boundaries = vec![b];
        self
    }
    /// One boundary per axis.
    pub fn boundaries(mut self, b: &[Boundary]) -> Self {
        self.boundaries = b.to_vec();
        self
    }
    /// The backend (default `Auto`).
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }
    /// Check the field for NaN and infinities before each step (default off).
    pub fn check_finite(mut self, on: bool) -> Self {
        self.check_finite = on;
        self
    }
    /// Accept `r` above the stability limit (default off: such parameters are an error).
    pub fn allow_unstable(mut self, on: bool) -> Self {
        self.allow_unstable = on;
        self
    }
    /// The largest stable time step for the current `d` and spacing.
    pub fn max_stable_dt(&self) -> f64 {
        if self.spacing.len() == 1 {
            max_stable_dt(self.d, &vec![self.spacing[0]; self.shape.len().max(1)])
        } else {
            max_stable_dt(self.d, &self.spacing)
        }
    }

    /// Validates and builds the parameters.
    pub fn build(self) -> Result<Params<T>, Error> {
        let shape = self.shape;
        let ndim = shape.len();
        if ndim == 0 || ndim > 3 {
            return Err(Error::new(ErrorKind::InvalidShape, format!("shape {shape:?}: expected 1 to 3 axes")));
        }
        if shape.contains(&0) {
            return Err(Error::new(ErrorKind::InvalidShape, format!("shape {shape:?}: every side must be at least 1")));
        }
        let cells = shape.iter().try_fold(1usize, |a, &n| a.checked_mul(n));
        if cells.is_none_or(|c| c.checked_mul(T::BYTES).is_none()) {
            return Err(Error::new(ErrorKind::InvalidShape, format!("shape {shape:?}: too many cells")));
        }
        let per_axis = |v: &[f64], name: &'static str| -> Result<Vec<f64>, Error> {
            match v.len() {
                1 => Ok(vec![v[0]; ndim]),
                n if n == ndim => Ok(v.to_vec()),
                n => Err(Error::new(
                    ErrorKind::InvalidParameter { name },
                    format!("{name}: {n} values for a {ndim}-axis grid (give 1 or {ndim})"),
                )),
            }
        };
        let spacing = per_axis(&self.spacing, "spacing")?;
        let boundaries: Vec<Boundary> = match self.boundaries.len() {
            1 => vec![self.boundaries[0]; ndim],
            n if n == ndim => self.boundaries.clone(),
            n => {
                return Err(Error::new(
                    ErrorKind::InvalidParameter { name: "boundaries" },
                    format!("boundaries: {n} values for a {ndim}-axis grid (give 1 or {ndim})"),
                ));
            }
        };
        let positive = |x: f64, name: &'static str| -> Result<(), Error> {
            if x.is_finite() && x > 0.0 {
                Ok(())
            } else {
                Err(Error::new(
                    ErrorKind::InvalidParameter { name },
                    format!("{name} = {x}: must be finite and positive"),
                ))
            }
        };
        positive(self.d, "diffusivity")?;
        positive(self.dt, "dt")?;
        for &dx in &spacing {
            positive(dx, "spacing")?;
        }
        for (axis, (b, &n)) in boundaries.iter().zip(&shape).enumerate() {
            if let Boundary::Dirichlet(v) = b
                && !v.is_finite()
            {
                return Err(Error::new(
                    ErrorKind::InvalidParameter { name: "boundary" },
                    format!("axis {axis}: the Dirichlet value {v} is not finite"),
                ));
            }
            if *b == Boundary::Frozen && n < 3 {
                return Err(Error::new(
                    ErrorKind::InvalidShape,
                    format!("axis {axis} has side {n}: a Frozen boundary needs a side of at least 3"),
                ));
            }
        }
        let ks: Vec<f64> = spacing.iter().map(|dx| self.d * self.dt / (dx * dx)).collect();
        let r: f64 = self.d * self.dt * spacing.iter().map(|dx| 1.0 / (dx * dx)).sum::<f64>();
        if !r.is_finite() {
            return Err(Error::new(ErrorKind::InvalidParameter { name: "dt" }, format!("r = {r} is not finite")));
        }
        if r > STABILITY_LIMIT && !self.allow_unstable {
            return Err(Error::new(
                ErrorKind::Unstable { r, limit: STABILITY_LIMIT },
                format!(
                    "unstable: r = d*dt*Σ1/dx² = {r} exceeds the explicit scheme's limit {STABILITY_LIMIT} \
                     (max stable dt = {})",
                    max_stable_dt(self.d, &spacing)
                ),
            ));
        }
        let off = 3 - ndim;
        let mut n = [1usize; 3];
        let mut k = [T::from_f64(0.0); 3];
        let mut bc = [Bc::Periodic; 3];
        for a in 0..ndim {
            n[off + a] = shape[a];
            k[off + a] = T::from_f64(ks[a]);
            bc[off + a] = match boundaries[a] {
                Boundary::Periodic => Bc::Periodic,
                Boundary::Dirichlet(v) => Bc::Dirichlet(T::from_f64(v)),
                Boundary::Neumann => Bc::Neumann,
                Boundary::Frozen => Bc::Frozen,
            };
        }
        let ghost = |a: usize| match bc[a] {
            Bc::Dirichlet(v) if a >= off => vec![v; n[2]],
            _ => Vec::new(),
        };
        let g = Geom { n, nouter: ndim - 1, k, bc, ghost: [ghost(0), ghost(1)] };
        let cells = g.len();
        Ok(Params {
            backend: resolve(self.backend, cells)?,
            requested: self.backend,
            shape,
            d: self.d,
            dt: self.dt,
            spacing,
            boundaries,
            check_finite: self.check_finite,
            r,
            g,
        })
    }
}
