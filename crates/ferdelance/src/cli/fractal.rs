//! The `fractal` subcommands: `julia` and `mandelbrot` (the book's chapters 2 and 7).

use std::path::PathBuf;
use std::time::Instant;

use ferdelance::Backend;
use ferdelance::fractal::{self, Complex64, ErrorKind, Grid, Julia, Mandelbrot, Orientation, Palette, Region};

use super::{CliError, Global, Output, parse_floats};

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Cmd {
    /// The Julia set (the book's ch. 2 and 7): escape counts of z <- z*z + c from each pixel.
    Julia {
        /// c as RE,IM (default: the book's -0.62772,-0.42193).
        #[arg(long, value_name = "RE,IM", allow_hyphen_values = true)]
        c: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// The Mandelbrot set: z0 = 0, c = each pixel (default region -2.0,0.5,-1.25,1.25, exact grid).
    Mandelbrot {
        #[command(flatten)]
        common: Common,
    },
}

/// Options shared by `julia` and `mandelbrot`.
#[derive(Debug, clap::Args)]
pub(crate) struct Common {
    /// Points per row (the book's `desired_width`).
    #[arg(long, default_value_t = 1000)]
    width: usize,
    /// Rows (exact grid only; default: width scaled by the region's aspect ratio).
    #[arg(long)]
    height: Option<usize>,
    /// Most iterations per pixel.
    #[arg(long, default_value_t = 300)]
    max_iter: u32,
    /// Region as X1,X2,Y1,Y2 (real min, real max, imaginary min, imaginary max).
    #[arg(long, value_name = "X1,X2,Y1,Y2", allow_hyphen_values = true)]
    region: Option<String>,
    /// Grid: `book` (the book's accumulated steps; the side may be width + 1) or `exact`
    /// (default: book for julia, exact for mandelbrot).
    #[arg(long, value_name = "book|exact")]
    grid: Option<String>,
    /// Write a PNG picture here.
    #[arg(long, value_name = "FILE")]
    png: Option<PathBuf>,
    /// Colour map for --png: grey (the book's), false-grey (the book's banded map) or viridis.
    #[arg(long, default_value = "grey")]
    palette: String,
    /// Picture orientation: math (top row = largest imaginary part) or book (flipped, as the
    /// book's figures).
    #[arg(long, default_value = "math")]
    orientation: String,
}

pub(crate) fn run(cmd: Cmd, global: &Global) -> Result<Output, CliError> {
    let backend = global.compute_backend()?;
    let (name, common, c) = match cmd {
        Cmd::Julia { c, common } => {
            let c = match c {
                Some(s) => {
                    let [re, im] = parse_floats::<2>(&s).map_err(|e| CliError::usage(format!("--c: {e}")))?;
                    Complex64::new(re, im)
                }
                None => fractal::BOOK_C,
            };
            ("julia", common, Some(c))
        }
        Cmd::Mandelbrot { common } => ("mandelbrot", common, None),
    };
    let region = match &common.region {
        Some(s) => {
            let [x1, x2, y1, y2] = parse_floats::<4>(s).map_err(|e| CliError::usage(format!("--region: {e}")))?;
            Region::new(x1, x2, y1, y2)
        }
        None if c.is_some() => Region::BOOK,
        None => Region::MANDELBROT,
    };
    let book_grid = match common.grid.as_deref() {
        Some("book") => true,
        Some("exact") => false,
        Some(other) => return Err(CliError::usage(format!("--grid: expected book or exact, got `{other}`"))),
        None => c.is_some(),
    };
    let grid = if book_grid {
        if common.height.is_some() {
            return Err(CliError::usage("--height: the book grid's height follows --width; use --grid exact"));
        }
        Grid::Book { width: common.width }
    } else {
        let height = common.height.unwrap_or_else(|| {
            let aspect = (region.y_max - region.y_min) / (region.x_max - region.x_min);
            let h = (common.width as f64 * aspect).round();
            if h.is_finite() && h >= 1.0 { h.min(usize::MAX as f64) as usize } else { 1 }
        });
        Grid::Exact { width: common.width, height }
    };
    let palette: Palette = common.palette.parse().map_err(|e| CliError::usage(format!("--palette: {e}")))?;
    let orientation = match common.orientation.as_str() {
        "math" => Orientation::Math,
        "book" => Orientation::Book,
        other => return Err(CliError::usage(format!("--orientation: expected math or book, got `{other}`"))),
    };

    // Size the buffer first, then time the kernel alone (`run_into` writes into it).
    let julia = c.map(|c| Julia::new(c).region(region).grid(grid).max_iter(common.max_iter).backend(backend));
    let mandel = Mandelbrot::new().region(region).grid(grid).max_iter(common.max_iter).backend(backend);
    let (dims, resolved) = match &julia {
        Some(j) => (j.dims(), j.resolved_backend()),
        None => (mandel.dims(), mandel.resolved_backend()),
    };
    let dims = dims.map_err(lib_error)?;
    let resolved = resolved.map_err(lib_error)?;
    let mut counts = Vec::new();
    counts
        .try_reserve_exact(dims.pixels())
        .map_err(|_| CliError::runtime(format!("cannot allocate {} pixels", dims.pixels())))?;
    counts.resize(dims.pixels(), 0u32);
    let started = Instant::now();
    match &julia {
        Some(j) => j.run_into(&mut counts),
        None => mandel.run_into(&mut counts),
    }
    .map_err(lib_error)?;
    let elapsed = started.elapsed().as_secs_f64();

    let sum: u64 = counts.iter().map(|&n| n as u64).sum();
    let max = counts.iter().copied().max().unwrap_or(0);
    let at_max = counts.iter().filter(|&&n| n == common.max_iter).count();
    let zeros = counts.iter().filter(|&&n| n == 0).count();
    let threads = if resolved == Backend::Parallel { global.threads() } else { 1 };
    let rate = if elapsed > 0.0 { sum as f64 / elapsed } else { 0.0 };

    if let Some(path) = &common.png {
        let image = match &julia {
            Some(j) => j.backend(resolved).run(),
            None => mandel.backend(resolved).run(),
        }
        .map_err(lib_error)?;
        image.save_png(path, palette, orientation).map_err(|e| CliError::runtime(e.to_string()))?;
    }

    let json = serde_json::json!({
        "width": dims.width,
        "height": dims.height,
        "max_iter": common.max_iter,
        "sum": sum,
        "max": max,
        "at_max": at_max,
        "zeros": zeros,
        "backend": resolved.name(),
        "threads": threads,
        "elapsed_s": elapsed,
        "iterations_per_s": rate,
    });
    let mut text = format!(
        "{name} {}x{} max_iter {}: sum {sum}, max {max}, {at_max} at max_iter, {zeros} zeros\n\
         backend {resolved} ({} threads): {:.3} ms, {:.3} G iterations/s",
        dims.width,
        dims.height,
        common.max_iter,
        threads,
        elapsed * 1e3,
        rate / 1e9,
    );
    if let Some(path) = &common.png {
        text.push_str(&format!("\nwrote {} ({}, {:?} orientation)", path.display(), palette.name(), orientation));
    }
    Ok(Output::report(json, text))
}

/// Library errors: bad parameters are usage errors (exit 2), I/O is a runtime error (exit 1).
fn lib_error(e: fractal::Error) -> CliError {
    match e.kind() {
        ErrorKind::Io(_) => CliError::runtime(e.to_string()),
        _ => CliError::usage(e.to_string()),
    }
}
