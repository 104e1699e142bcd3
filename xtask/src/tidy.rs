//! `cargo xtask tidy`: repository rules that the compiler does not check.

use std::path::Path;

/// Files allowed to contain `unsafe` (each with `// SAFETY:` notes).
const UNSAFE_ALLOWED: &[&str] = &["crates/timing/src/alloc.rs", "crates/compact-text/src/mmap.rs"];

/// Crates with numeric kernels: each lists its compiled backends in `BACKENDS`.
const KERNEL_CRATES: &[&str] = &["fractal", "stencil", "primes", "probabilistic", "compact-text"];

const LIBS: &[&str] =
    &["ferdelance-core", "timing", "fractal", "stencil", "primes", "probabilistic", "compact-text", "ferdelance"];

pub(crate) fn run(root: &Path) -> Result<(), String> {
    let mut problems = Vec::new();
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));

    let readme = read(&root.join("README.md"))?;
    for needle in ["cargo xtask tour", "cargo xtask ci"] {
        if !readme.contains(needle) {
            problems.push(format!("README.md does not show `{needle}`"));
        }
    }
    for doc in ["architecture.md", "book-map.md", "BENCHMARKS.md"] {
        if !root.join("docs").join(doc).exists() {
            problems.push(format!("docs/{doc} is missing"));
        }
    }

    for name in LIBS {
        let dir = root.join("crates").join(name);
        let lib = read(&dir.join("src/lib.rs"))?;
        if !lib.starts_with("//!") {
            problems.push(format!("crates/{name}/src/lib.rs: must start with a `//!` summary"));
        }
        for section in ["# Example", "# Backends", "# Crate features", "# Performance"] {
            if !lib.contains(&format!("//! {section}")) {
                problems.push(format!("crates/{name}/src/lib.rs: no `{section}` section"));
            }
        }
        if !lib.contains("#![deny(missing_docs)]") {
            problems.push(format!("crates/{name}/src/lib.rs: no #![deny(missing_docs)]"));
        }
        let may_unsafe = UNSAFE_ALLOWED.iter().any(|f| f.starts_with(&format!("crates/{name}/")));
        if !may_unsafe && !lib.contains("#![forbid(unsafe_code)]") {
            problems.push(format!("crates/{name}/src/lib.rs: no #![forbid(unsafe_code)]"));
        }
        if KERNEL_CRATES.contains(name) {
            let squeezed: String = lib.split_whitespace().collect();
            let want = "pubconstBACKENDS:&[Backend]=&[Backend::Scalar,#[cfg(feature=\"simd\")]Backend::Simd,#[cfg(feature=\"parallel\")]Backend::Parallel";
            if !squeezed.contains(want) {
                problems.push(format!("crates/{name}/src/lib.rs: `BACKENDS` must list Scalar, then Simd and Parallel behind their features"));
            }
        }
        let manifest = read(&dir.join("Cargo.toml"))?;
        check_manifest(&format!("crates/{name}/Cargo.toml"), &manifest, &mut problems);
    }
    for extra in ["benches/Cargo.toml", "xtask/Cargo.toml"] {
        let manifest = read(&root.join(extra))?;
        check_manifest(extra, &manifest, &mut problems);
    }

    // `unsafe` only in the allowed files, and there with SAFETY notes.
    let mut files = Vec::new();
    collect_rs(&root.join("crates"), &mut files);
    for file in files {
        let rel = file.strip_prefix(root).unwrap_or(&file).to_string_lossy().replace('\\', "/");
        let text = read(&file)?;
        let uses_unsafe = text.lines().any(|l| {
            let code = l.split("//").next().unwrap_or("");
            code.contains("unsafe ") || code.contains("unsafe{")
        });
        if uses_unsafe {
            if !UNSAFE_ALLOWED.contains(&rel.as_str()) {
                problems.push(format!("{rel}: `unsafe` outside the allowed files"));
            } else if !text.contains("// SAFETY:") {
                problems.push(format!("{rel}: `unsafe` without `// SAFETY:` notes"));
            }
        }
    }

    if problems.is_empty() {
        eprintln!("xtask tidy: ok");
        Ok(())
    } else {
        Err(format!("tidy found {} problem(s):\n  {}", problems.len(), problems.join("\n  ")))
    }
}

/// Every dependency comes from `[workspace.dependencies]`; lints come from the workspace.
fn check_manifest(path: &str, manifest: &str, problems: &mut Vec<String>) {
    if !manifest.contains("[lints]\nworkspace = true") {
        problems.push(format!("{path}: needs `[lints] workspace = true`"));
    }
    let mut in_deps = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line.ends_with("dependencies]");
            continue;
        }
        if in_deps && !line.is_empty() && !line.starts_with('#') && !line.contains("workspace = true") {
            problems.push(format!("{path}: `{line}` must use `workspace = true`"));
        }
    }
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                collect_rs(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
