//! Peer comparison for `stencil`: the book's 2D diffusion (f64, D = 1, dt = 0.1, periodic, the
//! book's initial condition) against the book's fastest Python versions, run on the same grid
//! and number of steps: numpy in place with `roll_add` (V5) and numexpr (V6, 1 thread and its
//! default threads), each checking the mass. Then the memory-bandwidth roof: a plain copy of the
//! grid (`copy_from_slice`, 24 B/cell with write-allocate, the same traffic as a step) measured
//! in the same run, against one `evolve_inplace` step and against `Simulation::run(100)` with
//! temporal blocking. From 1024² up, `Simulation::run` also runs beside `evolve_inplace` against
//! the same numpy and numexpr timings.

use ferdelance::stencil::{self, Backend, Params, Simulation};

use crate::{Comparison, Ctx, Row, best_of, python_seconds};

/// The book's V5 (`roll_add`, in place) and V6 (numexpr); prints the best seconds of RUNS runs
/// of STEPS steps on an N x N grid (set-up not timed), after checking the mass.
const PY: &str = r#"
import time
import numpy as np
N, STEPS, RUNS, MODE, THREADS = N_, STEPS_, RUNS_, "MODE_", THREADS_
def roll_add(rollee, shift, axis, out):
    if shift == 1 and axis == 0:
        out[1:, :] += rollee[:-1, :]; out[0, :] += rollee[-1, :]
    elif shift == -1 and axis == 0:
        out[:-1, :] += rollee[1:, :]; out[-1, :] += rollee[0, :]
    elif shift == 1 and axis == 1:
        out[:, 1:] += rollee[:, :-1]; out[:, 0] += rollee[:, -1]
    elif shift == -1 and axis == 1:
        out[:, :-1] += rollee[:, 1:]; out[:, -1] += rollee[:, 0]
def laplacian(grid, out):
    np.copyto(out, grid)
    out *= -4
    roll_add(grid, +1, 0, out); roll_add(grid, -1, 0, out)
    roll_add(grid, +1, 1, out); roll_add(grid, -1, 1, out)
if MODE == "numpy":
    def evolve(grid, dt, out, D=1.0):
        laplacian(grid, out)
        out *= D * dt
        out += grid
else:
    import numexpr as ne
    if THREADS:
        ne.set_num_threads(THREADS)
    def evolve(grid, dt, next_grid, D=1.0):
        laplacian(grid, next_grid)
        ne.evaluate("next_grid*D*dt+grid", out=next_grid)
def run():
    grid = np.zeros((N, N))
    lo, hi = int(0.4 * N), int(0.5 * N)
    grid[lo:hi, lo:hi] = 0.005
    mass = grid.sum()
    nxt = np.zeros_like(grid)
    t = time.perf_counter()
    for _ in range(STEPS):
        evolve(grid, 0.1, nxt)
        grid, nxt = nxt, grid
    t = time.perf_counter() - t
    assert abs(grid.sum() - mass) <= 1e-9 * mass
    return t
print(min(run() for _ in range(RUNS)))
"#;

fn py(ctx: &Ctx, n: usize, steps: u64, mode: &str, threads: usize) -> Result<f64, String> {
    let runs = if n >= 4096 { 2 } else { 3 };
    let code = PY
        .replace("N_", &n.to_string())
        .replace("STEPS_", &steps.to_string())
        .replace("RUNS_", &runs.to_string())
        .replace("MODE_", mode)
        .replace("THREADS_", &threads.to_string());
    python_seconds(ctx, &code)
}

/// The book's case on an `n × n` grid for `backend`: its parameters and initial condition.
fn book_case(n: usize, backend: Backend) -> (Params<f64>, Vec<f64>) {
    let shape = [n, n];
    let p = Params::<f64>::new(&shape).backend(backend).build().expect("valid parameters");
    (p, stencil::book_initial_condition::<f64>(&shape).expect("valid shape"))
}

/// Seconds for `steps` in-place steps on `backend` (the grid keeps evolving across runs).
fn ours(n: usize, steps: u64, backend: Backend) -> f64 {
    let (p, mut g) = book_case(n, backend);
    let m0 = stencil::mass(&g);
    let mut s = vec![0.0; n * n];
    let t = best_of(|| {
        for _ in 0..steps {
            stencil::evolve_inplace(&mut g[..], &mut s[..], &p).expect("shapes match");
        }
    });
    assert!((stencil::mass(&g) - m0).abs() <= 1e-12 * m0);
    t
}

/// Seconds for `Simulation::run(steps)` on `backend` (temporal blocking at its auto depth)
/// and that depth.
fn ours_run(n: usize, steps: u64, backend: Backend) -> (f64, usize) {
    let (p, ic) = book_case(n, backend);
    let mut sim = Simulation::new(p, &ic[..]).expect("shape matches");
    let m0 = sim.mass();
    let t = best_of(|| sim.run(steps).expect("finite field"));
    assert!((sim.mass() - m0).abs() <= 1e-12 * m0);
    (t, sim.blocking_depth())
}

fn row(case: &str, ours_name: &str, ours_s: f64, peer: &str, peer_s: Result<f64, String>, note: &str) -> Row {
    let (peer_s, note) = match peer_s {
        Ok(s) => (Some(s), note.to_string()),
        Err(e) => (None, e),
    };
    Row { case: case.into(), ours: ours_name.into(), ours_s, peer: peer.into(), peer_s, note }
}

pub(crate) fn run(ctx: &Ctx) -> Comparison {
    let mut rows = Vec::new();
    let cases: &[(usize, u64)] = if ctx.quick { &[(256, 50)] } else { &[(256, 500), (1024, 50), (4096, 5)] };
    for &(n, steps) in cases {
        let case = format!("{n}² × {steps} steps, f64, 1 thread");
        let numpy = py(ctx, n, steps, "numpy", 0);
        let numexpr = py(ctx, n, steps, "numexpr", 1);
        // One step at a time (the library's main call) and, where it blocks, the whole run.
        let mut mine = vec![("stencil simd evolve_inplace".to_string(), ours(n, steps, Backend::Simd))];
        if n >= 1024 {
            let (t, depth) = ours_run(n, steps, Backend::Simd);
            mine.push((format!("stencil simd Simulation::run (blocking depth {depth})"), t));
        }
        for (name, t) in mine {
            let note = format!("ours {:.2} G cell-updates/s", (n * n) as f64 * steps as f64 / t / 1e9);
            rows.push(row(&case, &name, t, "numpy in place, roll_add (book V5)", numpy.clone(), &note));
            rows.push(row(&case, &name, t, "numexpr, 1 thread (book V6)", numexpr.clone(), &note));
        }
        if n == 1024 {
            let threads = std::thread::available_parallelism().map(|x| x.get()).unwrap_or(1);
            let tp = ours(n, steps, Backend::Parallel);
            rows.push(row(
                &format!("{n}² × {steps} steps, f64, {threads} threads"),
                "stencil parallel evolve_inplace",
                tp,
                "numexpr, default threads (book V6)",
                py(ctx, n, steps, "numexpr", 0),
                &format!("ours {:.2} G cell-updates/s", (n * n) as f64 * steps as f64 / tp / 1e9),
            ));
        }
    }
    // The bandwidth roof, same run: a copy moves what a step moves.
    let n = if ctx.quick { 1024 } else { 4096 };
    let shape = [n, n];
    let ic = stencil::book_initial_condition::<f64>(&shape).expect("valid shape");
    let mut dst = vec![0.0; n * n];
    let copy = best_of(|| dst.copy_from_slice(std::hint::black_box(&ic)));
    drop((dst, ic));
    let roof_gbs = (n * n * 24) as f64 / copy / 1e9;
    for b in [Backend::Simd, Backend::Parallel] {
        let t = ours(n, 1, b);
        rows.push(row(
            &format!("{n}² one step vs copy roof"),
            &format!("stencil {b} evolve_inplace"),
            t,
            "copy_from_slice (roof, same run)",
            Ok(copy),
            &format!(
                "{:.0}% of the roof ({:.1} of {roof_gbs:.1} GB/s at 24 B/cell)",
                100.0 * copy / t,
                (n * n * 24) as f64 / t / 1e9
            ),
        ));
    }
    let steps = if ctx.quick { 20 } else { 100 };
    for b in [Backend::Simd, Backend::Parallel] {
        let (t, depth) = ours_run(n, steps, b);
        rows.push(row(
            &format!("{n}² Simulation::run({steps}) vs {steps} × copy roof"),
            &format!("stencil {b} run, blocking depth {depth}"),
            t,
            "copy_from_slice × steps (one-step roof)",
            Ok(copy * steps as f64),
            &format!("effective {:.1} GB/s vs roof {roof_gbs:.1} GB/s", (n * n * 24) as f64 * steps as f64 / t / 1e9),
        ));
    }
    Comparison { krate: "stencil", rows }
}
