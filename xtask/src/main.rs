//! `cargo xtask`: the project's automation, with no dependencies.
//!
//! * `ci`: what CI runs (fmt, clippy, the feature test matrix, docs, benches as tests, the
//!   downstream app, tidy).
//! * `tour [ARGS]`: the book's experiments with our crates (release build).
//! * `compare [CRATE...] [--quick]`: us against the peers, in one run; rewrites
//!   `docs/BENCHMARKS.md` sections and `docs/img/*.svg`. Installs the peers it needs.
//! * `bench [CRATE] [--native]`: criterion benches, default build or `-C target-cpu=native`.
//! * `test [CRATE]`, `doc [--open]`, `fmt`, `tidy`.

mod tidy;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const HELP: &str = "\
usage: cargo xtask <command>

  ci                      fmt check, clippy, feature test matrix, docs, benches as tests,
                          downstream app, tidy (what CI runs)
  tour [--quick] [--only SECTION,...]
                          the book's experiments with our crates, release build
  compare [CRATE...] [--quick] [--native]
                          us vs the peers side by side; updates docs/BENCHMARKS.md
  bench [CRATE] [--native]
                          criterion benches (default build, or -C target-cpu=native)
  test [CRATE]            tests of one crate (or all) with all features
  doc [--open]            API docs, warnings denied
  fmt                     cargo fmt --all
  tidy                    repository checks (docs headers, manifests, unsafe)
";

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or(&[]).to_vec();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("tour") => tour(&rest),
        Some("compare") => compare(&rest),
        Some("bench") => bench(&rest),
        Some("test") => test(&rest),
        Some("doc") => doc(&rest),
        Some("fmt") => cargo(&["fmt", "--all"], &[]),
        Some("tidy") => tidy::run(&project_root()),
        Some("-h" | "--help" | "help") | None => {
            print!("{HELP}");
            return if args.is_empty() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the folder above `xtask/`).
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

fn cargo_bin() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// Runs `cargo ARGS` at the project root with extra environment variables; fails on non-zero.
fn cargo(args: &[&str], env: &[(&str, &str)]) -> Result {
    run(Command::new(cargo_bin()).args(args), env)
}

fn run(cmd: &mut Command, env: &[(&str, &str)]) -> Result {
    cmd.current_dir(project_root());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let shown = format!(
        "{}{} {}",
        env.iter().map(|(k, v)| format!("{k}={v} ")).collect::<String>(),
        cmd.get_program().to_string_lossy(),
        cmd.get_args().map(|a| a.to_string_lossy()).collect::<Vec<_>>().join(" ")
    );
    eprintln!("\n$ {shown}");
    let started = Instant::now();
    let status = cmd.status().map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    eprintln!("  ({:.0} s)", started.elapsed().as_secs_f64());
    if status.success() { Ok(()) } else { Err(format!("`{shown}` failed ({status})")) }
}

fn ci() -> Result {
    let started = Instant::now();
    let deny = [("RUSTFLAGS", "-D warnings")];
    cargo(&["fmt", "--all", "--check"], &[])?;
    tidy::run(&project_root())?;
    cargo(&["clippy", "--workspace", "--all-targets", "--all-features", "--", "-D", "warnings"], &[])?;
    cargo(&["test", "--workspace", "--no-default-features"], &deny)?;
    // Alone, so that feature unification (the facade turns `timing/enabled` on) cannot hide
    // the no-op build of the profiling macros.
    cargo(&["test", "--package", "timing", "--no-default-features"], &deny)?;
    cargo(&["test", "--workspace"], &deny)?;
    cargo(&["test", "--workspace", "--all-features"], &deny)?;
    cargo(&["test", "--workspace", "--all-features"], &[("RAYON_NUM_THREADS", "1"), deny[0]])?;
    cargo(&["test", "--package", "ferdelance-benches", "--benches", "--all-features"], &deny)?;
    cargo(&["doc", "--workspace", "--no-deps", "--all-features"], &[("RUSTDOCFLAGS", "-D warnings")])?;
    let app = project_root().join("docs/downstream-app/Cargo.toml");
    let target = project_root().join("target/downstream");
    cargo(&["run", "--manifest-path", &app.to_string_lossy(), "--target-dir", &target.to_string_lossy()], &deny)?;
    eprintln!("\nxtask ci: all green in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn tour(rest: &[String]) -> Result {
    let mut args =
        vec!["run", "--release", "--quiet", "--package", "ferdelance", "--features", "parallel", "--", "tour"];
    args.extend(rest.iter().map(String::as_str));
    cargo(&args, &[])
}

fn test(rest: &[String]) -> Result {
    match rest.first() {
        Some(krate) => cargo(&["test", "--package", krate, "--all-features"], &[]),
        None => cargo(&["test", "--workspace", "--all-features"], &[]),
    }
}

fn doc(rest: &[String]) -> Result {
    let mut args = vec!["doc", "--workspace", "--no-deps", "--all-features"];
    if rest.iter().any(|a| a == "--open") {
        args.push("--open");
    }
    cargo(&args, &[("RUSTDOCFLAGS", "-D warnings")])
}

/// `-C target-cpu=native` for one run, in its own target folder so the default build stays.
fn native_env(native: bool) -> Vec<(&'static str, String)> {
    if native {
        let base =
            std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| project_root().join("target"));
        let dir = base.join("native");
        vec![
            ("RUSTFLAGS", "-C target-cpu=native".to_string()),
            ("CARGO_TARGET_DIR", dir.to_string_lossy().into_owned()),
            ("FERDELANCE_RUSTFLAGS", "-C target-cpu=native".to_string()),
        ]
    } else {
        vec![("FERDELANCE_RUSTFLAGS", String::new())]
    }
}

fn bench(rest: &[String]) -> Result {
    let native = rest.iter().any(|a| a == "--native");
    let krate = rest.iter().find(|a| !a.starts_with("--")).map(|c| c.replace('-', "_"));
    let mut args = vec!["bench".to_string(), "--package".into(), "ferdelance-benches".into()];
    if let Some(k) = &krate {
        args.push("--bench".into());
        args.push(k.clone());
    }
    let env = native_env(native);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    cargo(&args, &env.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>())
}

fn compare(rest: &[String]) -> Result {
    let root = project_root();
    install_primesieve();
    let python = python_venv(&root);
    let native = rest.iter().any(|a| a == "--native");
    let mut env = native_env(native);
    if let Some(py) = &python {
        env.push(("FERDELANCE_PYTHON", py.to_string_lossy().into_owned()));
    }
    let mut args = vec!["run", "--release", "--quiet", "--package", "ferdelance-benches", "--example", "compare", "--"];
    args.extend(rest.iter().map(String::as_str).filter(|a| *a != "--native"));
    cargo(&args, &env.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>())
}

fn have(program: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {program} >/dev/null")]).status().is_ok_and(|s| s.success())
}

/// The `primesieve` CLI (Debian package), installed with apt-get when missing.
fn install_primesieve() {
    if have("primesieve") {
        return;
    }
    eprintln!("xtask compare: installing the Debian package `primesieve` (peer for primes)");
    let sudo = if have("sudo") && !is_root() { "sudo " } else { "" };
    let script = format!(
        "{sudo}apt-get update -qq && {sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq primesieve"
    );
    if run(Command::new("sh").args(["-c", &script]), &[]).is_err() {
        eprintln!("xtask compare: could not install primesieve; its rows will say skipped");
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Python venvs under `target/` with the PyPI peers; `None` (rows skipped) if the main one
/// cannot be made. numba gets a venv of its own (it pins its own numpy); the fractal
/// comparison finds it at `target/compare-venv-numba`. datrie (no release since 2020, built
/// from source on newer Pythons) goes into the main venv on its own, so that its failure only
/// skips its rows.
fn python_venv(root: &Path) -> Option<PathBuf> {
    if venv(root, "compare-venv-numba", &["numba"]).is_none() {
        eprintln!("xtask compare: numba could not be installed; its rows will say skipped");
    }
    let py = venv(root, "compare-venv", &["numpy", "numexpr", "marisa-trie", "datasketches"])?;
    let has_datrie = Command::new(&py).args(["-c", "import datrie"]).output().is_ok_and(|o| o.status.success());
    if !has_datrie && run(Command::new(&py).args(["-m", "pip", "install", "--quiet", "datrie"]), &[]).is_err() {
        eprintln!("xtask compare: datrie could not be installed; its rows will say skipped");
    }
    Some(py)
}

fn venv(root: &Path, name: &str, packages: &[&str]) -> Option<PathBuf> {
    let venv = root.join("target").join(name);
    let py = venv.join("bin/python");
    let stamp = venv.join("peers-installed");
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s == packages.join("\n")) {
        return Some(py);
    }
    eprintln!("xtask compare: creating a Python venv in {} with {}", venv.display(), packages.join(", "));
    let python = if have("python3") { "python3" } else { "python" };
    let ok = run(Command::new(python).args(["-m", "venv"]).arg(&venv), &[]).is_ok()
        && run(Command::new(&py).args(["-m", "pip", "install", "--quiet", "--upgrade", "pip"]), &[]).is_ok()
        && run(Command::new(&py).args(["-m", "pip", "install", "--quiet"]).args(packages), &[]).is_ok();
    if ok {
        let _ = std::fs::write(&stamp, packages.join("\n"));
        Some(py)
    } else {
        None
    }
}
