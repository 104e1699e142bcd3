//! `ferdelance info`.

use super::{CliError, Global, Output};

pub(crate) fn run(global: &Global) -> Result<Output, CliError> {
    let features = ferdelance::features();
    let json = serde_json::json!({
        "name": "ferdelance",
        "version": env!("CARGO_PKG_VERSION"),
        "features": features,
        "simd_isa": ferdelance::simd_isa(),
        "simd_run_time": {"fractal": ferdelance::fractal::simd_level(), "stencil": ferdelance::stencil::simd_level()},
        "threads": global.threads(),
        "available_parallelism": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "target": format!("{}-{}", std::env::consts::ARCH, std::env::consts::OS),
        "debug_build": cfg!(debug_assertions),
    });
    let text = format!(
        "ferdelance {}\nfeatures:  {}\nsimd isa:  {} (compiled); fractal and stencil kernels: {} / {} (picked at run time)\nthreads:   {}\ntarget:    {}-{}{}",
        env!("CARGO_PKG_VERSION"),
        features.join(", "),
        ferdelance::simd_isa(),
        ferdelance::fractal::simd_level(),
        ferdelance::stencil::simd_level(),
        global.threads(),
        std::env::consts::ARCH,
        std::env::consts::OS,
        if cfg!(debug_assertions) { "\nwarning:   debug build (use --release for timings)" } else { "" },
    );
    Ok(Output::report(json, text))
}
