//! Tour section: `timing`, the book's chapter 2 ("Profiling to Find Bottlenecks") with our own
//! tools, all applied to the naive Julia set the book profiles.
//!
//! `@timefn` -> `timefn!`, `timeit` -> `timing::bench`, `/usr/bin/time -p` ->
//! `ResourceUsage::measure`, cProfile -> `profile_scope!` + `Profiler`, line_profiler hit counts
//! -> `count!`, heapy / memory_profiler -> allocation sizes, `memit` and `RssSampler`; and the
//! paired A/B comparison for the book's "swap the order of the tests" experiment.

use std::hint::black_box;
use std::time::Duration;

use ferdelance::Backend;
use timing::{
    Clock, Environment, ProcessCpu, Profiler, ResourceUsage, RssSampler, ThreadCpu, Unit, bench, compare, fmt_time,
    timefn,
};

use super::{Row, Tour};
use crate::cli::CliError;

const X1: f64 = -1.8;
const X2: f64 = 1.8;
const Y1: f64 = -1.8;
const Y2: f64 = 1.8;
const C: (f64, f64) = (-0.62772, -0.42193);
const MAX_ITER: u32 = 300;
/// The book's checksum: `sum(output)` for the 1000 x 1000 grid.
const CHECKSUM: u64 = 33_219_980;

type Complex = (f64, f64);

/// The book's `calc_pure_python` set-up: coordinates by repeated addition, then the zs and cs
/// lists (one complex number per pixel each).
fn zs_cs(width: usize) -> (Vec<Complex>, Vec<Complex>) {
    let x_step = (X2 - X1) / width as f64;
    let y_step = (Y1 - Y2) / width as f64;
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    let mut y = Y2;
    while y > Y1 {
        ys.push(y);
        y += y_step;
    }
    let mut x = X1;
    while x < X2 {
        xs.push(x);
        x += x_step;
    }
    let zs: Vec<Complex> = ys.iter().flat_map(|&y| xs.iter().map(move |&x| (x, y))).collect();
    let cs = vec![C; zs.len()];
    (zs, cs)
}

/// `while abs(z) < 2 and n < maxiter: z = z * z + c; n += 1`, per pixel (Python's `abs` is `hypot`).
#[inline(always)]
fn escape(mut z: Complex, c: Complex) -> u32 {
    let mut n = 0;
    while z.0.hypot(z.1) < 2.0 && n < MAX_ITER {
        z = step(z, c);
        n += 1;
    }
    n
}

/// The same loop with the tests swapped: `while n < maxiter and abs(z) < 2`.
#[inline(always)]
fn escape_swapped(mut z: Complex, c: Complex) -> u32 {
    let mut n = 0;
    while n < MAX_ITER && z.0.hypot(z.1) < 2.0 {
        z = step(z, c);
        n += 1;
    }
    n
}

/// `z * z + c` as Python's complex arithmetic computes it.
#[inline(always)]
fn step(z: Complex, c: Complex) -> Complex {
    (z.0 * z.0 - z.1 * z.1 + c.0, z.0 * z.1 + z.1 * z.0 + c.1)
}

fn calculate_z(zs: &[Complex], cs: &[Complex]) -> Vec<u32> {
    zs.iter().zip(cs).map(|(&z, &c)| escape(z, c)).collect()
}

fn calculate_z_swapped(zs: &[Complex], cs: &[Complex]) -> Vec<u32> {
    zs.iter().zip(cs).map(|(&z, &c)| escape_swapped(z, c)).collect()
}

/// The same loop under the profiler: a scope per call and per pixel (cProfile sees every call).
fn calculate_z_profiled(zs: &[Complex], cs: &[Complex]) -> Vec<u32> {
    timing::profile_scope!("calculate_z_serial");
    zs.iter()
        .zip(cs)
        .map(|(&z, &c)| {
            timing::profile_scope!("pixel");
            escape(z, c)
        })
        .collect()
}

/// The same loop with a counter bumped on every `z` update and loop test (line_profiler's hits).
fn calculate_z_counted(zs: &[Complex], cs: &[Complex]) -> Vec<u32> {
    zs.iter()
        .zip(cs)
        .map(|(&z0, &c)| {
            let (mut z, mut n) = (z0, 0);
            loop {
                timing::count!("loop tests");
                if !(z.0.hypot(z.1) < 2.0 && n < MAX_ITER) {
                    return n;
                }
                z = step(z, c);
                timing::count!("z updates");
                n += 1;
            }
        })
        .collect()
}

fn checksum(out: &[u32]) -> u64 {
    out.iter().map(|&n| u64::from(n)).sum()
}

fn err(e: timing::Error) -> CliError {
    CliError::runtime(format!("timing: {e}"))
}

/// Best CPU time of `repeats` single runs: on a shared machine the thread's CPU clock is far
/// steadier than the wall clock (other tenants' time is not ours).
fn best_of(clock: impl Clock, repeats: usize, f: impl FnMut() -> Vec<u32>) -> Result<f64, CliError> {
    Ok(bench(f).clock(clock).loops(1).repeats(repeats).warmup(0).run().map_err(err)?.min())
}

pub(crate) fn section(tour: &mut Tour) -> Result<(), CliError> {
    tour.heading("timing", "ch. 2, Profiling to Find Bottlenecks: the Julia set, 1000 x 1000, 300 iterations");
    let env = Environment::check();
    tour.note(&format!("  {}", env.to_string().replace('\n', "\n  ")));

    // Building the inputs, timed as the book does with time.time().
    let width = 1000;
    let ((zs, cs), build) = {
        let t = timing::ScopeTimer::new("build zs, cs");
        let v = zs_cs(width);
        let d = t.finish();
        (v, d)
    };
    tour.note(&format!("  calc_pure_python: {} zs and cs built in {}", zs.len(), fmt_time(build.as_secs_f64())));
    tour.check("the grid is 1000 x 1000 (coordinates by repeated addition)", zs.len() == width * width);

    // @timefn: one run, printed on stderr, value unchanged.
    let out = timefn!("calculate_z_serial_purepython", calculate_z(&zs, &cs));
    tour.check(&format!("timefn!: sum(output) = {} (book: 33,219,980)", checksum(&out)), checksum(&out) == CHECKSUM);

    // timeit: best of 5 (the loop count is 1: one run is well above 0.2 s in Python, ~0.1 s here).
    let stats =
        bench(|| calculate_z(black_box(&zs), black_box(&cs))).loops(1).repeats(5).warmup(1).run().map_err(err)?;
    tour.note(&format!("  timeit-style: {stats:#}"));
    let bare = stats.min();
    let updates = stats.throughput(CHECKSUM as f64, Unit::Iterations).map(|t| t.to_string()).unwrap_or_default();
    tour.note(&format!("  {updates} of z = z*z + c (the book: 33.2 M updates in 12.2 s of CPython, ~2.7 M/s)"));
    tour.rows(
        "Julia set, naive per-pixel loop (what the book profiles)",
        &[Row {
            experiment: "calculate_z w=1000".into(),
            backend: Backend::Scalar,
            time: Duration::from_secs_f64(bare),
            work: Some((CHECKSUM as f64, "z-updates")),
            oracle: checksum(&out) == CHECKSUM,
        }],
    );

    // /usr/bin/time -p and --verbose, for one run inside this process.
    let (out, usage) = ResourceUsage::measure(|| calculate_z(&zs, &cs)).map_err(err)?;
    tour.note(&format!("  ResourceUsage::measure (time -p):\n    {}", usage.to_string().replace('\n', "\n    ")));
    tour.note(&format!(
        "    {:.0}% CPU, {} minor / {} major faults, {} voluntary / {} involuntary switches, max RSS {} kB",
        usage.cpu_percent(),
        usage.minor_faults,
        usage.major_faults,
        usage.voluntary_switches,
        usage.involuntary_switches,
        usage.max_rss_bytes / 1024
    ));
    tour.check("ResourceUsage: same checksum", checksum(&out) == CHECKSUM);

    // cProfile: a scope per call and per pixel, report sorted by cumulative time.
    Profiler::start();
    let out = calculate_z_profiled(&zs, &cs);
    Profiler::stop();
    let report = Profiler::report();
    Profiler::clear();
    tour.note("  profile_scope! report (cProfile layout, sorted by cumulative time):");
    for line in report.to_string().lines() {
        tour.note(&format!("    {line}"));
    }
    let pixels = report.row("pixel").map_or(0, |r| r.ncalls);
    tour.check(
        &format!("profiler: {pixels} pixel scopes, one calculate_z_serial, checksum holds"),
        pixels == (width * width) as u64 && checksum(&out) == CHECKSUM,
    );

    // line_profiler-style hit counts with count!.
    Profiler::start();
    let out = calculate_z_counted(&zs, &cs);
    Profiler::stop();
    let counted = Profiler::report();
    Profiler::clear();
    let (updates, tests) = (counted.counter("z updates").unwrap_or(0), counted.counter("loop tests").unwrap_or(0));
    tour.check(
        &format!("count!: {updates} z updates, {tests} loop tests (book: 33,219,980 and 34,219,980)"),
        updates == CHECKSUM && tests == 34_219_980 && checksum(&out) == CHECKSUM,
    );

    // The swapped test order (the book: 100.8 s vs 99.7 s under line_profiler), as a paired
    // comparison: interleaved runs, median ratio with a 95% interval.
    let (small_zs, small_cs) = zs_cs(300);
    let ab = compare(|| calculate_z(&small_zs, &small_cs), || calculate_z_swapped(&small_zs, &small_cs))
        .clock(ThreadCpu)
        .loops(1)
        .pairs(if tour.quick { 7 } else { 11 })
        .run()
        .map_err(err)?;
    tour.note(&format!(
        "  paired A/B on thread CPU time, w=300, A = `abs(z) < 2 and n < maxiter`, B = swapped order:\n    {ab}"
    ));
    tour.check(
        "swapped order gives the same output",
        calculate_z(&small_zs, &small_cs) == calculate_z_swapped(&small_zs, &small_cs),
    );

    // heapy: what the inputs weigh, and memit / mprof on this process.
    let complex_bytes = (zs.len() + cs.len()) * std::mem::size_of::<Complex>();
    tour.check(
        &format!(
            "heap census: 2M complex numbers = {complex_bytes} B here (16 B each) vs 64,000,000 B of Python complex objects (32 B each)"
        ),
        complex_bytes == 32_000_000,
    );
    let sampler = RssSampler::start(Duration::from_millis(5)).map_err(err)?;
    match timing::memit(|| {
        let v = zs_cs(width);
        sampler.mark("zs, cs built");
        black_box(v)
    }) {
        Ok((v, m)) => {
            tour.note(&format!("  memit(build zs, cs): {m} (32,000,000 B = 30.5 MiB expected)"));
            drop(v);
        }
        Err(e) => tour.note(&format!("  memit unavailable here: {e}")),
    }
    sampler.mark("dropped");
    let profile = sampler.stop();
    tour.note(&format!("  RssSampler (mprof): {}", profile.to_string().trim_end().replace('\n', "\n    ")));

    // The overheads table (the book's: print/@timefn 1x, cProfile ~1.5x, line_profiler ~8x).
    let repeats = if tour.quick { 1 } else { 2 };
    let cpu_bare = best_of(ThreadCpu, repeats, || calculate_z(&zs, &cs))?;
    let with_timefn = best_of(ThreadCpu, repeats, || timefn!("calculate_z", calculate_z(&zs, &cs)))?;
    let inactive = best_of(ThreadCpu, repeats, || calculate_z_profiled(&zs, &cs))?;
    Profiler::start();
    let active = best_of(ThreadCpu, repeats, || calculate_z_profiled(&zs, &cs))?;
    Profiler::stop();
    Profiler::clear();
    Profiler::start();
    let counting = best_of(ThreadCpu, 1, || calculate_z_counted(&zs, &cs))?;
    Profiler::stop();
    Profiler::clear();
    let process_bare = best_of(ProcessCpu, repeats, || calculate_z(&zs, &cs))?;
    let sampler = RssSampler::start(Duration::from_millis(1)).map_err(err)?;
    let sampled = best_of(ProcessCpu, repeats, || calculate_z(&zs, &cs))?;
    sampler.stop();
    let rows: Vec<(&str, f64, f64, &str, &str)> = vec![
        ("bare", cpu_bare, cpu_bare, "thread CPU", "1x (12.2 s)"),
        ("timefn! around the call", with_timefn, cpu_bare, "thread CPU", "1x (@timefn)"),
        ("profile_scope! per pixel, profiler off", inactive, cpu_bare, "thread CPU", "(no-op @profile)"),
        ("profile_scope! per pixel, profiler on", active, cpu_bare, "thread CPU", "~1.5x (cProfile)"),
        ("count! per z update and loop test", counting, cpu_bare, "thread CPU", "~8x (line_profiler)"),
        ("RssSampler every 1 ms (vs bare, process CPU)", sampled, process_bare, "process CPU", "~1x (mprof)"),
    ];
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|(what, t, base, clock, book)| {
            vec![what.to_string(), fmt_time(*t), format!("{:.2}x", t / base), clock.to_string(), book.to_string()]
        })
        .collect();
    tour.table(
        "Observer effect on the same w=1000 run (ours vs the book's Python tools)",
        &["tool", "best", "vs bare", "clock", "book"],
        &table,
    );

    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        let scaling =
            bench(|| zs.par_iter().zip(&cs).with_min_len(1000).map(|(&z, &c)| escape(z, c)).collect::<Vec<u32>>())
                .loops(1)
                .repeats(3)
                .threads(&[1, 2])
                .map_err(err)?;
        tour.note(&format!(
            "  Bench::threads (rayon pools of 1 and 2 threads):\n    {}",
            scaling.to_string().replace('\n', "\n    ")
        ));
    }
    Ok(())
}
