//! Tour section: `fractal`, the book's Julia set (ch. 2 "Profiling", ch. 7 "Compiling to C"):
//! the 1000 x 1000, 300-iteration run on every backend against the book's checksum, the book's
//! Python and Cython timings for context, and the pictures.

use ferdelance::Backend;
use ferdelance::fractal::{
    self, BOOK_C, Complex64, Escape, EscapeImage, Grid, Julia, Mandelbrot, Orientation, Palette, Precision,
};

use super::{Row, Tour, fmt_secs};
use crate::cli::CliError;

/// The book's `assert sum(output) == 33219980` (w = 1000), and the derived counts.
const BOOK: (usize, u64, usize, usize) = (1000, 33_219_980, 100_321, 102_865);
/// The quick run's oracle (w = 100, derived).
const QUICK: (usize, u64, usize, usize) = (100, 334_236, 1_011, 1_029);

/// Lanes the SIMD kernel iterates in lockstep on the instruction set it picked at run time
/// (with [`CHECK_EVERY`], the iterations between its "all escaped?" checks): a model of the work
/// it executes, dead lanes included.
fn group_lanes() -> usize {
    // Four vectors of 4 f64 with AVX2, two of 2 with NEON, two of one lane otherwise.
    match fractal::simd_level() {
        "avx2" => 16,
        "neon" => 4,
        _ => 2,
    }
}
const CHECK_EVERY: u64 = 4;

fn lane_iterations(img: &EscapeImage) -> u64 {
    let (max_iter, lanes) = (img.max_iter() as u64, group_lanes());
    img.counts()
        .chunks(lanes)
        .map(|g| {
            let m = g.iter().copied().max().unwrap_or(0) as u64;
            let run =
                if m >= max_iter { max_iter } else { ((m + 1).div_ceil(CHECK_EVERY) * CHECK_EVERY).min(max_iter) };
            lanes as u64 * run
        })
        .sum()
}

pub(crate) fn section(tour: &mut Tour) -> Result<(), CliError> {
    tour.heading("fractal: the Julia set", "book ch. 2 and 7");
    let (width, sum, at_max, zeros) = if tour.quick { QUICK } else { BOOK };
    tour.note(&format!(
        "  z <- z*z + c, c = {BOOK_C}, region [-1.8, 1.8]^2, book grid of width {width}, 300 iterations;\n  \
         oracle: sum {sum} ({} at 300, {} at 0), identical counts on every backend",
        at_max, zeros
    ));
    let err = |e: fractal::Error| CliError::runtime(format!("fractal: {e}"));
    let job = Julia::book().grid(Grid::Book { width });

    let mut rows = Vec::new();
    let mut reference: Option<EscapeImage> = None;
    let mut simd_time = None;
    let mut scalar_time = None;
    let mut images = Vec::new();
    for b in tour.backends() {
        let (img, time) = tour.time(|| job.backend(b).run());
        let img = img.map_err(err)?;
        let ok = img.sum() == sum
            && img.at_max() == at_max
            && img.zeros() == zeros
            && reference.as_ref().is_none_or(|r| r.counts() == img.counts());
        rows.push(Row {
            experiment: format!("julia {}x{} norm2 f64", img.width(), img.height()),
            backend: b,
            time,
            work: Some((img.sum() as f64, "iterations")),
            oracle: ok,
        });
        match b {
            Backend::Scalar => scalar_time = Some(time),
            Backend::Simd => simd_time = Some(time),
            _ => {}
        }
        images.push((b, time, lane_iterations(&img)));
        reference.get_or_insert(img);
    }
    // The book's pure-Python `abs(z) < 2` (a hypot) against the expanded norm.
    let hypot = job.escape(Escape::Hypot);
    for b in tour.backends().into_iter().filter(|b| *b != Backend::Simd) {
        let (img, time) = tour.time(|| hypot.backend(b).run());
        let img = img.map_err(err)?;
        rows.push(Row {
            experiment: "julia hypot (the book's abs(z) < 2)".into(),
            backend: b,
            time,
            work: Some((img.sum() as f64, "iterations")),
            oracle: img.sum() == sum,
        });
    }
    // f32: a different picture (its own oracle: every backend agrees with scalar f32).
    let f32_job = job.precision(Precision::F32);
    let f32_ref = f32_job.backend(Backend::Scalar).run().map_err(err)?;
    for b in tour.backends() {
        let (img, time) = tour.time(|| f32_job.backend(b).run());
        let img = img.map_err(err)?;
        rows.push(Row {
            experiment: "julia f32 (f32x8 lanes)".into(),
            backend: b,
            time,
            work: Some((img.sum() as f64, "iterations")),
            oracle: img.counts() == f32_ref.counts(),
        });
    }
    tour.rows("Julia set, the book's workload", &rows);
    tour.note(&format!(
        "  f32 sum {} vs f64 {sum}: rounding changes some escape counts (not the book's checksum)",
        f32_ref.sum()
    ));

    // Lane-iterations: the arithmetic the SIMD kernel executes, dead lanes included.
    let lane_rows: Vec<Vec<String>> = images
        .iter()
        .filter(|(b, ..)| *b != Backend::Scalar)
        .map(|(b, t, lanes)| {
            vec![
                b.to_string(),
                format!("{:.2} G/s", *lanes as f64 / t.as_secs_f64() / 1e9),
                format!("{:.2}", *lanes as f64 / sum as f64),
            ]
        })
        .collect();
    tour.table(
        &format!(
            "SIMD work executed (model: {} lanes in lockstep on {}, checked every 4 iterations)",
            group_lanes(),
            fractal::simd_level()
        ),
        &["backend", "lane-iterations/s", "lanes per useful iteration"],
        &lane_rows,
    );
    if let (Some(s), Some(v)) = (scalar_time, simd_time) {
        tour.note(&format!("  simd vs scalar: {:.2}x", s.as_secs_f64() / v.as_secs_f64()));
    }

    // The book's figures (i7-2720QM, CPython 2.7) next to ours, same workload.
    if !tour.quick {
        let best = rows.iter().filter(|r| r.experiment.contains("norm2")).map(|r| r.time).min().unwrap_or_default();
        let book = [
            ("pure Python (ch. 2)", 12.3),
            ("Cython, C types, expanded norm", 0.25),
            ("Cython, memoryviews, int32 output", 0.23),
            ("Numba 0.13 / Pythran / PyPy 2.3", 0.3),
            ("Pythran + OpenMP", 0.1),
            ("Cython + OpenMP prange(guided), 4 cores", 0.07),
        ];
        let mut table: Vec<Vec<String>> = book
            .iter()
            .map(|(what, s)| vec![what.to_string(), fmt_secs(*s), format!("{:.0}x", 12.3 / s), "book".into()])
            .collect();
        table.push(vec![
            "ferdelance, best backend here".into(),
            fmt_secs(best.as_secs_f64()),
            format!("{:.0}x", 12.3 / best.as_secs_f64()),
            "measured".into(),
        ]);
        tour.table(
            "The book's timings for context (different machine)",
            &["variant", "time", "vs pure Python", "source"],
            &table,
        );
    }

    // Oracles beyond the main table.
    let dims = Julia::book().grid(Grid::Book { width: 1024 }).dims().map_err(err)?;
    tour.check("book grid quirk: width 1024 gives 1025 x 1025", (dims.width, dims.height) == (1025, 1025));
    let z = fractal::orbit(Complex64::new(0.0, 0.0), BOOK_C, 2);
    tour.check(
        "orbit of z0 = 0: z2 = -0.4117125265+0.1077777992i",
        (z[2] - Complex64::new(-0.4117125265, 0.1077777992)).norm() < 1e-10,
    );
    tour.check(
        "escape counts: z0 = 0 -> 300, -0.82 -> 10, -1.8-1.8i -> 0",
        [(0.0, 0.0, 300), (-0.82, 0.0, 10), (-1.8, -1.8, 0)]
            .iter()
            .all(|&(re, im, n)| fractal::escape_count(Complex64::new(re, im), BOOK_C, 300) == n),
    );

    // Pictures.
    if let Some(img) = &reference {
        let pics = [
            ("julia-greyscale.png", Palette::Greyscale, Orientation::Book),
            ("julia-false-grey.png", Palette::FalseGrey, Orientation::Book),
            ("julia-viridis.png", Palette::Viridis, Orientation::Math),
        ];
        for (name, palette, orientation) in pics {
            img.save_png(tour.out.join(name), palette, orientation).map_err(err)?;
        }
        let side = if tour.quick { 200 } else { 1000 };
        let mandel = Mandelbrot::new().grid(Grid::Exact { width: side, height: side }).run().map_err(err)?;
        mandel.save_png(tour.out.join("mandelbrot-viridis.png"), Palette::Viridis, Orientation::Math).map_err(err)?;
        tour.note(&format!(
            "  pictures: {}/julia-{{greyscale,false-grey}}.png (the book's maps and orientation), \
             julia-viridis.png, mandelbrot-viridis.png",
            tour.out.display()
        ));
    }
    Ok(())
}
