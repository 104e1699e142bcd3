//! The `stencil` subcommand: `diffuse` (the book's chapter 6 heat-equation runs).

use std::path::PathBuf;
use std::time::Instant;

use ferdelance::stencil::{self, Boundary, Error, ErrorKind, Params, Real, Simulation};

use super::{CliError, Global, Output, Progress};

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Cmd {
    /// Explicit diffusion (heat equation) on a 1D/2D/3D grid (the book's ch. 6): from the
    /// book's initial condition, an impulse or a numpy .npy file.
    Diffuse(DiffuseArgs),
}

/// Options of `diffuse`.
#[derive(Debug, clap::Args)]
pub(crate) struct DiffuseArgs {
    /// Columns (the contiguous axis). Optional with --init FILE.npy (taken from the file).
    #[arg(long)]
    nx: Option<usize>,
    /// Rows (1 for a 1D run). Optional with --init FILE.npy.
    #[arg(long)]
    ny: Option<usize>,
    /// Planes, for a 3D run (7-point stencil).
    #[arg(long)]
    nz: Option<usize>,
    /// Time steps.
    #[arg(long)]
    steps: u64,
    /// Time step.
    #[arg(long, default_value_t = 0.1)]
    dt: f64,
    /// Diffusion coefficient.
    #[arg(long, default_value_t = 1.0)]
    d: f64,
    /// Boundary on every axis: periodic, dirichlet=V, neumann or frozen.
    #[arg(long, default_value = "periodic")]
    boundary: String,
    /// Initial state: book (the book's block), impulse (1.0 at the centre) or FILE.npy.
    #[arg(long, default_value = "book")]
    init: String,
    /// Element type: f64 or f32.
    #[arg(long, default_value = "f64")]
    dtype: String,
    /// Write a heat map (with a colour bar) of the final state here; 3D shows the middle plane.
    #[arg(long, value_name = "FILE")]
    png: Option<PathBuf>,
    /// Write the final state as a numpy .npy file here.
    #[arg(long, value_name = "FILE")]
    save: Option<PathBuf>,
}

pub(crate) fn run(cmd: Cmd, global: &Global) -> Result<Output, CliError> {
    let Cmd::Diffuse(args) = cmd;
    match args.dtype.as_str() {
        "f64" => diffuse::<f64>(&args, global),
        "f32" => diffuse::<f32>(&args, global),
        other => Err(CliError::usage(format!("--dtype: `{other}`: expected f64 or f32"))),
    }
}

/// Library errors: bad parameters are usage errors (exit 2), the rest runtime (exit 1).
fn lib_err(what: &str, e: Error) -> CliError {
    let msg = format!("{what}{e}");
    match e.kind() {
        ErrorKind::Npy | ErrorKind::Io | ErrorKind::NonFinite { .. } => CliError::runtime(msg),
        _ => CliError::usage(msg),
    }
}

fn diffuse<T: Real>(args: &DiffuseArgs, global: &Global) -> Result<Output, CliError> {
    let backend = global.compute_backend()?;
    let boundary: Boundary = args.boundary.parse().map_err(|e| CliError::usage(format!("--boundary: {e}")))?;
    let from_file = !matches!(args.init.as_str(), "book" | "impulse");
    let (initial, shape) = if from_file {
        let (cells, shape) = stencil::read_npy::<T>(&args.init).map_err(|e| lib_err("--init: ", e))?;
        let given: Vec<usize> = [args.nz, args.ny, args.nx].into_iter().flatten().collect();
        let tail = &shape[shape.len().saturating_sub(given.len())..];
        if !given.is_empty() && (given.len() > shape.len() || tail != given.as_slice()) {
            return Err(CliError::usage(format!(
                "--init: the file has shape {shape:?}, which does not match --nz/--ny/--nx {given:?}"
            )));
        }
        (cells, shape)
    } else {
        let (Some(nx), Some(ny)) = (args.nx, args.ny) else {
            return Err(CliError::usage("--nx and --ny are required (unless --init is a .npy file)"));
        };
        let shape: Vec<usize> = match args.nz {
            Some(nz) => vec![nz, ny, nx],
            None if ny == 1 => vec![nx],
            None => vec![ny, nx],
        };
        let cells = match args.init.as_str() {
            "book" => stencil::book_initial_condition::<T>(&shape),
            _ => stencil::impulse::<T>(&shape),
        }
        .map_err(|e| lib_err("", e))?;
        (cells, shape)
    };
    let params = Params::<T>::new(&shape)
        .diffusivity(args.d)
        .dt(args.dt)
        .boundary(boundary)
        .backend(backend)
        .build()
        .map_err(|e| lib_err("", e))?;
    let resolved = params.backend();
    let mut sim = Simulation::new(params, &initial[..]).map_err(|e| lib_err("", e))?;
    let cells = initial.len();
    drop(initial);
    let mut progress = Progress::new(args.steps, "diffuse");
    let chunk = (args.steps / 100).max(1);
    let started = Instant::now();
    let mut done = 0;
    while done < args.steps {
        let n = chunk.min(args.steps - done);
        sim.run(n).map_err(|e| lib_err("", e))?;
        done += n;
        progress.inc(n);
    }
    let elapsed = started.elapsed().as_secs_f64();
    progress.finish();
    let state = sim.state();
    let sum = stencil::mass(state);
    let (min, max) = state.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        let x = x.to_f64();
        (a.min(x), b.max(x))
    });
    let updates = cells as f64 * args.steps as f64;
    let rate = if elapsed > 0.0 { updates / elapsed } else { 0.0 };
    let gbs = rate * stencil::bytes_per_cell::<T>() as f64 / 1e9;
    if let Some(path) = &args.png {
        stencil::write_heatmap_png(path, state, &shape).map_err(|e| lib_err("--png: ", e))?;
    }
    if let Some(path) = &args.save {
        stencil::write_npy(path, state, &shape).map_err(|e| lib_err("--save: ", e))?;
    }
    let dims = shape.len();
    let (nz, ny, nx) = match *shape.as_slice() {
        [x] => (1, 1, x),
        [y, x] => (1, y, x),
        [z, y, x] => (z, y, x),
        _ => (0, 0, 0),
    };
    let level = stencil::simd_level();
    let json = serde_json::json!({
        "nx": nx, "ny": ny, "nz": nz, "steps": args.steps, "dtype": T::NAME.replace("float", "f"),
        "boundary": boundary.name(), "sum": sum, "min": min, "max": max, "elapsed_s": elapsed,
        "cell_updates_per_s": rate, "effective_gb_s": gbs,
        "backend": resolved.name(), "threads": global.threads(), "blocking_depth": sim.blocking_depth(),
        "simd_level": level, "time": sim.time(),
    });
    let text = format!(
        "diffuse {dims}D {shape:?} {} {} steps, boundary {}, backend {} ({} threads, vectors: {}, temporal blocking depth {})\n\
         t = {:.6}  sum = {sum:.12}  min = {min:.6e}  max = {max:.6e}\n\
         {elapsed:.3} s, {:.3} G cell-updates/s, {gbs:.2} GB/s effective ({} bytes/cell)",
        T::NAME,
        args.steps,
        boundary.name(),
        resolved,
        global.threads(),
        level,
        sim.blocking_depth(),
        sim.time(),
        rate / 1e9,
        stencil::bytes_per_cell::<T>(),
    );
    Ok(Output::report(json, text))
}
