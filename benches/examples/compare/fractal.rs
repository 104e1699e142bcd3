//! Peer comparison for `fractal`: the book's Julia run (1000 x 1000 book grid, 300 iterations,
//! checksum 33,219,980) against numpy (vectorised over the still-live pixels), numexpr, and numba
//! (`@njit` serial, and `@njit(parallel=True)` with `prange`), each checking the same checksum.
//! Every peer is timed after a warm-up run (numba's JIT compile), best of several runs. numba
//! runs from `target/compare-venv-numba` when that venv exists (`python3 -m venv
//! target/compare-venv-numba && target/compare-venv-numba/bin/pip install numba`: numba pins its
//! own numpy), else from the shared venv; without numba its rows say skipped.

use std::path::Path;
use std::time::Instant;

use ferdelance::fractal::{BACKENDS, Backend, Grid, Julia};

use crate::{Comparison, Ctx, Row, best_of, python_seconds};

/// The book's set-up in Python: the grid by repeated addition, `zs` as complex128.
const SETUP: &str = r#"
import time
import numpy as np
def book_zs(w):
    x1, x2, y1, y2 = -1.8, 1.8, -1.8, 1.8
    x_step = (x2 - x1) / w
    y_step = (y1 - y2) / w
    xs, ys = [], []
    y = y2
    while y > y1:
        ys.append(y); y += y_step
    x = x1
    while x < x2:
        xs.append(x); x += x_step
    X, Y = np.meshgrid(np.array(xs), np.array(ys))
    return (X + 1j * Y).ravel()
W = WIDTH
EXPECT = CHECKSUM
zs = book_zs(W)
c = complex(-0.62772, -0.42193)
def best(f, runs):
    out = f()
    assert int(out.sum()) == EXPECT, int(out.sum())
    t = float("inf")
    for _ in range(runs):
        s = time.perf_counter(); f(); t = min(t, time.perf_counter() - s)
    return t
"#;

const NUMPY: &str = r#"
def calc(zs, c, maxiter):
    z = zs.copy()
    out = np.zeros(z.size, np.int32)
    idx = np.arange(z.size)
    for n in range(maxiter):
        inside = z.real * z.real + z.imag * z.imag < 4.0
        idx = idx[inside]; z = z[inside]
        if idx.size == 0:
            break
        out[idx] += 1
        z = z * z + c
    return out
print(best(lambda: calc(zs, c, 300), RUNS))
"#;

const NUMEXPR: &str = r#"
import numexpr as ne
def calc(zs, c, maxiter):
    z = zs.copy()
    out = np.zeros(z.size, np.int32)
    idx = np.arange(z.size)
    for n in range(maxiter):
        inside = ne.evaluate("real(z) * real(z) + imag(z) * imag(z) < 4.0")
        idx = idx[inside]; z = z[inside]
        if idx.size == 0:
            break
        out[idx] += 1
        z = ne.evaluate("z * z + c")
    return out
print(best(lambda: calc(zs, c, 300), RUNS))
"#;

const NUMBA: &str = r#"
import numba
@numba.njit(parallel=PARALLEL)
def calc_into(zs, c, maxiter, out):
    for i in numba.prange(zs.size):
        z = zs[i]
        n = 0
        while n < maxiter and z.real * z.real + z.imag * z.imag < 4.0:
            z = z * z + c
            n += 1
        out[i] = n
def calc():
    out = np.empty(zs.size, np.int32)
    calc_into(zs, c, 300, out)
    return out
print(best(calc, RUNS))
"#;

pub(crate) fn run(ctx: &Ctx) -> Comparison {
    let (width, checksum): (usize, u64) = if ctx.quick { (100, 334_236) } else { (1000, 33_219_980) };
    let runs = if ctx.quick { 2 } else { 7 };
    let case = format!("julia {width}x{width}, 300 iter (book)");
    let mut ours = Vec::new();
    for &b in BACKENDS {
        let job = Julia::book().grid(Grid::Book { width }).backend(b);
        let mut out = vec![0u32; job.dims().map(|d| d.pixels()).unwrap_or(0)];
        job.run_into(&mut out).expect("the book's run");
        assert_eq!(out.iter().map(|&n| n as u64).sum::<u64>(), checksum, "{b}");
        let secs = best_of(|| job.run_into(&mut out).expect("the book's run"));
        ours.push((b, secs));
    }
    let time_of = |want: &[Backend]| {
        want.iter().find_map(|w| ours.iter().find(|(b, _)| b == w)).copied().expect("scalar is always compiled")
    };
    let single = time_of(&[Backend::Simd, Backend::Scalar]);
    let threaded = time_of(&[Backend::Parallel, Backend::Simd, Backend::Scalar]);
    let script = |body: &str, parallel: bool| {
        format!("{SETUP}{body}")
            .replace("WIDTH", &width.to_string())
            .replace("CHECKSUM", &checksum.to_string())
            .replace("RUNS", &runs.to_string())
            .replace("PARALLEL", if parallel { "True" } else { "False" })
    };
    let peers: [(&str, String, (Backend, f64), &str); 4] = [
        ("numpy, vectorised over live pixels", script(NUMPY, false), single, "1 thread each"),
        ("numexpr (its threads)", script(NUMEXPR, false), threaded, "all cores each"),
        ("numba @njit", script(NUMBA, false), single, "1 thread each; JIT warmed up"),
        ("numba @njit(parallel=True), prange", script(NUMBA, true), threaded, "all cores each; JIT warmed up"),
    ];
    // numba pins its own numpy: it may live in a venv of its own next to the shared one.
    let numba_venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/compare-venv-numba/bin/python");
    let numba_ctx =
        Ctx { python: numba_venv.exists().then_some(numba_venv).or_else(|| ctx.python.clone()), quick: ctx.quick };
    let mut rows = Vec::new();
    for (peer, code, (backend, ours_s), note) in peers {
        let py = if peer.starts_with("numba") { &numba_ctx } else { ctx };
        let (peer_s, note) = match python_seconds(py, &code) {
            Ok(s) => (Some(s), note.to_string()),
            Err(e) => (None, e),
        };
        rows.push(Row {
            case: case.clone(),
            ours: format!("fractal {backend}"),
            ours_s,
            peer: peer.into(),
            peer_s,
            note,
        });
    }
    if let Some(&(_, scalar_s)) = ours.iter().find(|(b, _)| *b == Backend::Scalar) {
        for &(b, s) in ours.iter().filter(|(b, _)| *b != Backend::Scalar) {
            rows.push(Row {
                case: case.clone(),
                ours: format!("fractal {b}"),
                ours_s: s,
                peer: "fractal scalar (our reference)".into(),
                peer_s: Some(scalar_s),
                note: "same run".into(),
            });
        }
    }
    if BACKENDS.contains(&Backend::Parallel) && BACKENDS.contains(&Backend::Simd) {
        rows.push(parallel_vs_simd(&case, width, runs * 3));
    }
    Comparison { krate: "fractal", rows }
}

/// Parallel against SIMD on the book's image, the two runs interleaved (so a burst of machine
/// noise hits both alike), best of `runs` each; the note gives the machine's own ceiling: two
/// independent single-thread SIMD runs at once, against one alone.
fn parallel_vs_simd(case: &str, width: usize, runs: usize) -> Row {
    let job = |b| Julia::book().grid(Grid::Book { width }).backend(b);
    let pixels = job(Backend::Simd).dims().map(|d| d.pixels()).unwrap_or(0);
    let (mut out, mut other) = (vec![0u32; pixels], vec![0u32; pixels]);
    let (mut simd, mut par, mut both) = (f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..runs {
        let t = Instant::now();
        job(Backend::Simd).run_into(&mut out).expect("the book's run");
        simd = simd.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        job(Backend::Parallel).run_into(&mut out).expect("the book's run");
        par = par.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        std::thread::scope(|s| {
            s.spawn(|| job(Backend::Simd).run_into(&mut other).expect("the book's run"));
            job(Backend::Simd).run_into(&mut out).expect("the book's run");
        });
        both = both.min(t.elapsed().as_secs_f64());
    }
    Row {
        case: format!("{case}, parallel vs simd, interleaved"),
        ours: "fractal parallel".into(),
        ours_s: par,
        peer: "fractal simd (1 thread)".into(),
        peer_s: Some(simd),
        note: format!(
            "ratio = speed-up on {} threads; machine ceiling (2 simd runs at once vs 1) {:.2}x",
            std::thread::available_parallelism().map_or(1, |n| n.get()),
            2.0 * simd / both
        ),
    }
}
