//! Peer comparison for `timing`: what our instruments cost next to the bare clock and next to
//! the Python tools of the book (`time.perf_counter` pairs, cProfile's per-call overhead), and
//! whether our bench runner's best-of-5 agrees with a hand-written timing loop.

use std::hint::black_box;
use std::time::Instant;

use ferdelance::timing::{self, Profiler, ScopeTimer};

use crate::{Comparison, Ctx, Row, python_seconds};

/// Best per-call seconds of `f` by our own runner (auto-calibrated loops, best of 5).
fn ours<T>(f: impl FnMut() -> T) -> f64 {
    timing::bench(f).run().map(|s| s.min()).unwrap_or(f64::NAN)
}

/// Best per-call seconds of `f` by the hand-written loop everyone writes: `n` calls between two
/// `Instant`s, best of 5.
fn naive_loop<T>(n: u32, mut f: impl FnMut() -> T) -> f64 {
    (0..5)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                black_box(f());
            }
            t.elapsed().as_secs_f64() / f64::from(n)
        })
        .fold(f64::INFINITY, f64::min)
}

const PY_PERF_COUNTER: &str = r#"
import time, timeit
n = 200000
def pairs():
    pc = time.perf_counter
    for _ in range(n):
        t = pc(); pc() - t
print(min(timeit.repeat(pairs, number=1, repeat=5)) / n)
"#;

const PY_CPROFILE: &str = r#"
import cProfile, timeit
n = 200000
def g():
    pass
def calls():
    for _ in range(n):
        g()
bare = min(timeit.repeat(calls, number=1, repeat=5))
p = cProfile.Profile()
p.enable()
prof = min(timeit.repeat(calls, number=1, repeat=5))
p.disable()
print(max(prof - bare, 0.0) / n)
"#;

pub(crate) fn run(ctx: &Ctx) -> Comparison {
    let mut rows = Vec::new();

    let timer = ours(|| ScopeTimer::new("x").finish());
    let bare_pair = ours(|| {
        let t = Instant::now();
        t.elapsed()
    });
    rows.push(Row {
        case: "timer start + stop".into(),
        ours: "timing::ScopeTimer (new + finish)".into(),
        ours_s: timer,
        peer: "bare Instant::now() + elapsed()".into(),
        peer_s: Some(bare_pair),
        note: "goal: ScopeTimer under 2x the bare pair (ratio above 0.5)".into(),
    });
    let (py, note) = match python_seconds(ctx, PY_PERF_COUNTER) {
        Ok(s) => (Some(s), "the book's @timefn reads time.time() twice".to_string()),
        Err(e) => (None, format!("skipped: {e}")),
    };
    rows.push(Row {
        case: "timer start + stop".into(),
        ours: "timing::ScopeTimer (new + finish)".into(),
        ours_s: timer,
        peer: "Python time.perf_counter() pair".into(),
        peer_s: py,
        note,
    });

    Profiler::start();
    let active = ours(|| {
        timing::profile_scope!("compare");
        black_box(1u64)
    });
    Profiler::stop();
    Profiler::clear();
    let inactive = ours(|| {
        timing::profile_scope!("compare");
        black_box(1u64)
    });
    let (py, note) = match python_seconds(ctx, PY_CPROFILE) {
        Ok(s) => (Some(s), "added cost per profiled call".to_string()),
        Err(e) => (None, format!("skipped: {e}")),
    };
    rows.push(Row {
        case: "profiler, one scope / call".into(),
        ours: "profile_scope! (active)".into(),
        ours_s: active,
        peer: "Python cProfile".into(),
        peer_s: py,
        note,
    });
    rows.push(Row {
        case: "profiler off, one scope".into(),
        ours: "profile_scope! (inactive)".into(),
        ours_s: inactive,
        peer: "profile_scope! (active)".into(),
        peer_s: Some(active),
        note: "inactive = one relaxed atomic load".into(),
    });

    // The runner's best-of-5 should agree with a hand-written loop on the same work.
    let data: Vec<u64> = (0..10_000).collect();
    let work = || data.iter().fold(0u64, |s, &x| s.wrapping_add(black_box(x)));
    let n = if ctx.quick { 1_000 } else { 20_000 };
    rows.push(Row {
        case: "sum of 10k u64, best per call".into(),
        ours: "timing::bench(..).run().min()".into(),
        ours_s: ours(work),
        peer: format!("naive loop: {n} calls between two Instants, best of 5"),
        peer_s: Some(naive_loop(n, work)),
        note: "same work: the ratio should be ~1".into(),
    });

    Comparison { krate: "timing", rows }
}
