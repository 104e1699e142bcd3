//! [`Simulation`]: owns both buffers, swaps them in O(1), runs many steps (with temporal
//! blocking in 2D), calls an observer, tracks time.

use std::fmt;

use ndarray::{ArrayViewD, IxDyn};

use crate::error::Error;
use crate::field::AsField;
use crate::params::Params;
use crate::real::Real;
use crate::{blocking, check_finite, mass, step_two};

type Observer<T> = Box<dyn FnMut(&[T], u64)>;

/// A running simulation: the state, a second buffer, the step count and an optional observer.
///
/// ```
/// use stencil::{Params, Simulation, book_initial_condition};
///
/// let params = Params::<f64>::new(&[256, 256]).build()?;
/// let mut sim = Simulation::new(params, &book_initial_condition::<f64>(&[256, 256])?)?;
/// let mass0 = sim.mass();
/// sim.run(100)?;
/// assert_eq!(sim.steps(), 100);
/// assert!((sim.time() - 10.0).abs() < 1e-12);
/// assert!((sim.mass() - mass0).abs() <= 1e-12 * mass0);
/// # Ok::<(), stencil::Error>(())
/// ```
pub struct Simulation<T: Real> {
    params: Params<T>,
    cur: Vec<T>,
    next: Vec<T>,
    steps: u64,
    depth: Option<usize>,
    work: Vec<T>,
    observer: Option<(u64, Observer<T>)>,
}

impl<T: Real> fmt::Debug for Simulation<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Simulation")
            .field("params", &self.params)
            .field("steps", &self.steps)
            .field("blocking_depth", &self.blocking_depth())
            .field("observer_every", &self.observer.as_ref().map(|o| o.0))
            .finish_non_exhaustive()
    }
}

impl<T: Real> Simulation<T> {
    /// Starts from a copy of `initial` (a slice with `params`' shape, or an array of it).
    pub fn new<F: AsField<T> + ?Sized>(params: Params<T>, initial: &F) -> Result<Self, Error> {
        initial.check_shape(params.shape())?;
        let cur = initial.cells()?.to_vec();
        let next = vec![T::default(); cur.len()];
        Ok(Simulation { params, cur, next, steps: 0, depth: None, work: Vec::new(), observer: None })
    }

    /// Restarts from a copy of `initial` (step count and time back to 0), keeping the buffers
    /// and the blocking workspace: no allocation. On error the state is untouched.
    pub fn reset<F: AsField<T> + ?Sized>(&mut self, initial: &F) -> Result<(), Error> {
        initial.check_shape(self.params.shape())?;
        self.cur.copy_from_slice(initial.cells()?);
        self.steps = 0;
        Ok(())
    }

    /// The parameters.
    pub fn params(&self) -> &Params<T> {
        &self.params
    }

    /// The current state, row-major.
    pub fn state(&self) -> &[T] {
        &self.cur
    }

    /// The current state as an `ndarray` view of the grid's shape.
    pub fn view(&self) -> ArrayViewD<'_, T> {
        ArrayViewD::from_shape(IxDyn(self.params.shape()), &self.cur).expect("state length matches the shape")
    }

    /// Consumes the simulation and returns the state.
    pub fn into_state(self) -> Vec<T> {
        self.cur
    }

    /// Steps taken so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Simulated time: `steps * dt`.
    pub fn time(&self) -> f64 {
        self.steps as f64 * self.params.dt()
    }

    /// Total mass `Σ u` (see [`mass`]: a fixed summation order, the same on every backend).
    pub fn mass(&self) -> f64 {
        mass(&self.cur)
    }

    /// Calls `f(state, steps)` after every step count that is a multiple of `k` (`k = 0`
    /// removes the observer).
    pub fn observe_every(&mut self, k: u64, f: impl FnMut(&[T], u64) + 'static) -> &mut Self {
        self.observer = if k == 0 { None } else { Some((k, Box::new(f))) };
        self
    }

    /// Sets the temporal-blocking depth of [`run`](Self::run): the most steps per pass over the
    /// grid. `None` (default) picks it for 2D grids of at least 1 MiB and 32 rows (smaller grids
    /// stay in cache anyway; 1D and 3D do not block): as deep as a tile's ring of whole rows
    /// fits 512 KiB (31 on 1024 f64 columns, at most 32), else 16 in strips.
    /// `Some(0)` or `Some(1)` turns it off, `Some(d)` allows `d` (at most the grid's rows: a
    /// deeper pass would only compute the rows around the wrap-around again and take more
    /// workspace, about `8 * d` rows). `run(n)` takes the fewest
    /// passes of at most that depth, of nearly equal depth (50 steps at depth 16: 13 + 13 + 12
    /// + 12). Results are the same bits either way.
    pub fn set_blocking_depth(&mut self, depth: Option<usize>) -> &mut Self {
        self.depth = depth;
        self
    }

    /// The depth `run` uses (0 when off).
    pub fn blocking_depth(&self) -> usize {
        let g = &self.params.g;
        match self.depth {
            None => blocking::auto_depth(g),
            Some(d) if g.nouter == 1 && d >= 2 => d.min(g.n[1].max(2)),
            Some(_) => 0,
        }
    }

    /// One step (two-buffer step, then an O(1) swap).
    pub fn step(&mut self) -> Result<(), Error> {
        self.advance(1, 0)?;
        self.notify();
        Ok(())
    }

    /// `n` steps, with temporal blocking in 2D; the observer runs at its multiples.
    pub fn run(&mut self, n: u64) -> Result<(), Error> {
        let depth = self.blocking_depth();
        let mut left = n;
        while left > 0 {
            let chunk = match &self.observer {
                Some((k, _)) => left.min(k - self.steps % k),
                None => left,
            };
            self.advance(chunk, depth)?;
            left -= chunk;
            self.notify();
        }
        Ok(())
    }

    fn notify(&mut self) {
        if let Some((k, f)) = &mut self.observer
            && self.steps.is_multiple_of(*k)
        {
            f(&self.cur, self.steps);
        }
    }

    fn advance(&mut self, n: u64, depth: usize) -> Result<(), Error> {
        if self.params.checks_finite() {
            check_finite(&self.cur)?;
        }
        let backend = self.params.backend();
        let mut left = n;
        if depth >= 2 {
            let kern = crate::backend::Kern::of(backend);
            let parallel = backend == crate::Backend::Parallel;
            while left >= 2 {
                // The fewest passes of at most `depth` steps, all of nearly the same depth: a
                // short last pass would cost a whole pass over memory for a few steps.
                let t = left.div_ceil(left.div_ceil(depth as u64)) as usize;
                blocking::run(
                    kern,
                    parallel,
                    blocking::BAND_ROWS,
                    blocking::strip_cols::<T>(self.params.g.n[2], t),
                    &self.cur,
                    &mut self.next,
                    t,
                    &self.params.g,
                    &mut self.work,
                );
                std::mem::swap(&mut self.cur, &mut self.next);
                left -= t as u64;
                self.steps += t as u64;
            }
        }
        for _ in 0..left {
            step_two(backend, &self.cur, &mut self.next, &self.params.g);
            std::mem::swap(&mut self.cur, &mut self.next);
            self.steps += 1;
        }
        Ok(())
    }
}
