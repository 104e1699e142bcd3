//! `cargo xtask compare`: runs our crates and their peers side by side in one run, prints ratio
//! tables, and rewrites the matching sections of `docs/BENCHMARKS.md` and `docs/img/*.svg`.
//!
//! Usage: `compare [CRATE...] [--quick] [--no-write]`. `xtask` installs the peers first and
//! passes `FERDELANCE_PYTHON` (a venv's python with the PyPI peers); a peer that is missing is
//! reported as skipped, never faked.

mod compact_text;
mod fractal;
mod primes;
mod probabilistic;
mod stencil;
mod timing;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// What every crate's comparison gets.
#[derive(Debug)]
pub(crate) struct Ctx {
    /// The venv python with the PyPI peers, if `xtask` set one up.
    pub(crate) python: Option<PathBuf>,
    /// Smaller inputs for a smoke run.
    pub(crate) quick: bool,
}

/// One line of a comparison: our time and a peer's on the same case.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// The case, e.g. `count primes < 1e9`.
    pub(crate) case: String,
    /// Our implementation (crate + backend).
    pub(crate) ours: String,
    /// Our best time in seconds.
    pub(crate) ours_s: f64,
    /// The peer.
    pub(crate) peer: String,
    /// The peer's best time in seconds, `None` when it could not run (skipped, with `note`).
    pub(crate) peer_s: Option<f64>,
    /// Why the peer was skipped, or a remark.
    pub(crate) note: String,
}

impl Row {
    /// peer time / our time: above 1 means we are faster.
    pub(crate) fn ratio(&self) -> Option<f64> {
        self.peer_s.map(|p| p / self.ours_s)
    }
}

/// A crate's comparison.
#[derive(Debug)]
pub(crate) struct Comparison {
    /// The crate (also the section name in BENCHMARKS.md).
    pub(crate) krate: &'static str,
    /// The rows, in print order.
    pub(crate) rows: Vec<Row>,
}

type Runner = fn(&Ctx) -> Comparison;

const CRATES: &[(&str, Runner)] = &[
    ("timing", timing::run),
    ("fractal", fractal::run),
    ("stencil", stencil::run),
    ("primes", primes::run),
    ("probabilistic", probabilistic::run),
    ("compact-text", compact_text::run),
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let write = !args.iter().any(|a| a == "--no-write");
    let wanted: Vec<&str> = args.iter().filter(|a| !a.starts_with("--")).map(String::as_str).collect();
    for w in &wanted {
        if !CRATES.iter().any(|(n, _)| n == w) {
            eprintln!(
                "error: no comparison for `{w}` (have: {})",
                CRATES.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")
            );
            std::process::exit(2);
        }
    }
    let ctx = Ctx { python: std::env::var_os("FERDELANCE_PYTHON").map(PathBuf::from), quick };
    let header = format!(
        "{} · `simd_isa()` = {} · {} threads · RUSTFLAGS=`{}` · {}",
        cpu_name(),
        ferdelance::simd_isa(),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        option_env!("FERDELANCE_RUSTFLAGS").unwrap_or(""),
        today(),
    );
    println!("ferdelance compare: {header}");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("benches/ has a parent").to_path_buf();
    for (name, runner) in CRATES {
        if !wanted.is_empty() && !wanted.contains(name) {
            continue;
        }
        let cmp = runner(&ctx);
        let md = markdown(&cmp, &header);
        print!("\n## {name}\n{md}");
        if write
            && !quick
            && !cmp.rows.is_empty()
            && let Err(e) = write_section(&root, &cmp, &md)
        {
            eprintln!("error: cannot update docs for {name}: {e}");
            std::process::exit(1);
        }
    }
}

fn markdown(cmp: &Comparison, header: &str) -> String {
    let mut s = format!(
        "\n{header}\n\n| case | ours | time | peer | time | ratio (peer/ours) | note |\n|---|---|---:|---|---:|---:|---|\n"
    );
    for r in &cmp.rows {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.case,
            r.ours,
            fmt_secs(r.ours_s),
            r.peer,
            r.peer_s.map(fmt_secs).unwrap_or_else(|| "-".into()),
            r.ratio().map(|x| format!("{x:.2}x")).unwrap_or_else(|| "skipped".into()),
            r.note
        );
    }
    if cmp.rows.is_empty() {
        s.push_str("| (no rows yet) | | | | | | |\n");
    }
    s
}

fn write_section(root: &Path, cmp: &Comparison, md: &str) -> std::io::Result<()> {
    let path = root.join("docs/BENCHMARKS.md");
    let doc = std::fs::read_to_string(&path)?;
    let native = option_env!("FERDELANCE_RUSTFLAGS").is_some_and(|f| f.contains("native"));
    let key = if native { format!("{}-native", cmp.krate) } else { cmp.krate.to_string() };
    let (start, end) = (format!("<!-- compare:{key} -->"), format!("<!-- /compare:{key} -->"));
    let svg_name = format!("compare-{key}.svg");
    let body = format!("{start}\n{md}\n![{} vs peers](img/{svg_name})\n{end}", cmp.krate);
    let new = match (doc.find(&start), doc.find(&end)) {
        (Some(a), Some(b)) if b > a => format!("{}{}{}", &doc[..a], body, &doc[b + end.len()..]),
        _ => format!("{}\n\n## compare: {key}\n\n{}\n", doc.trim_end(), body),
    };
    std::fs::write(&path, new)?;
    std::fs::create_dir_all(root.join("docs/img"))?;
    std::fs::write(root.join("docs/img").join(svg_name), svg(cmp))
}

/// A horizontal bar chart of the ratios on a log scale (1x in the middle).
fn svg(cmp: &Comparison) -> String {
    let rows: Vec<&Row> = cmp.rows.iter().filter(|r| r.ratio().is_some()).collect();
    let (w, left, bar_h) = (900.0, 420.0, 22.0);
    let h = 50.0 + bar_h * rows.len() as f64 + 30.0;
    let span = 3.0; // log10 range each side: 1/1000x .. 1000x
    let mid = left + (w - left - 20.0) / 2.0;
    let scale = (w - left - 20.0) / 2.0 / span;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"10\" y=\"20\" font-size=\"14\">{}: peer time / our time (log scale; right of 1x = we are faster)</text>\n\
         <line x1=\"{mid}\" y1=\"35\" x2=\"{mid}\" y2=\"{}\" stroke=\"black\"/>\n",
        cmp.krate,
        h - 20.0
    );
    for (i, r) in rows.iter().enumerate() {
        let y = 40.0 + bar_h * i as f64;
        let ratio = r.ratio().unwrap_or(1.0).clamp(1e-3, 1e3);
        let x = mid + ratio.log10() * scale;
        let (x0, x1) = if x >= mid { (mid, x) } else { (x, mid) };
        let colour = if ratio >= 1.0 { "#2a9d8f" } else { "#e76f51" };
        let _ = writeln!(
            s,
            "<text x=\"10\" y=\"{}\">{} vs {}</text><rect x=\"{x0:.1}\" y=\"{y}\" width=\"{:.1}\" height=\"{}\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{}\">{ratio:.2}x</text>",
            y + 15.0,
            xml(&format!("{}: {}", r.case, r.ours)),
            xml(&r.peer),
            (x1 - x0).max(1.0),
            bar_h - 4.0,
            x1 + 4.0,
            y + 15.0
        );
    }
    s.push_str("</svg>\n");
    s
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Best wall time of `f` over a few runs (at least 3 and about 0.5 s, at most 30).
pub(crate) fn best_of<T>(mut f: impl FnMut() -> T) -> f64 {
    let mut best = Duration::MAX;
    let started = Instant::now();
    for run in 1.. {
        let t = Instant::now();
        std::hint::black_box(f());
        best = best.min(t.elapsed());
        if run >= 30 || (run >= 3 && started.elapsed() > Duration::from_millis(500)) {
            break;
        }
    }
    best.as_secs_f64()
}

/// Runs a Python snippet with the venv's python; the snippet prints one number: its best
/// time in seconds. `Err` says why the peer could not run.
pub(crate) fn python_seconds(ctx: &Ctx, code: &str) -> Result<f64, String> {
    let py = ctx.python.as_ref().ok_or("no Python venv (run through `cargo xtask compare`)")?;
    let out = Command::new(py).arg("-c").arg(code).output().map_err(|e| format!("python: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!("python failed: {}", err.lines().last().unwrap_or("")));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .ok_or_else(|| format!("python printed `{}`", text.trim()))
}

/// Best wall time of an external command over `runs` runs; `Err` if it cannot run.
pub(crate) fn command_seconds(program: &str, args: &[&str], runs: usize) -> Result<(f64, String), String> {
    let mut best = f64::MAX;
    let mut stdout = String::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let out = Command::new(program).args(args).output().map_err(|e| format!("{program}: {e}"))?;
        best = best.min(t.elapsed().as_secs_f64());
        if !out.status.success() {
            return Err(format!("{program} exited with {}", out.status));
        }
        stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    }
    Ok((best, stdout))
}

/// Seconds with a unit that keeps three significant digits (the `timeit` layout).
pub(crate) use ferdelance::timing::fmt_time as fmt_secs;

fn cpu_name() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string())
}

fn today() -> String {
    Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}
