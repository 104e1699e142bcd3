//! The `ferdelance` program as a user runs it: exit codes, one-line errors, clean JSON.

use std::process::{Command, Output};

fn ferdelance(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ferdelance")).args(args).output().expect("the binary runs")
}

fn json(out: &Output) -> serde_json::Value {
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.trim().lines().count(), 1, "one JSON object on stdout, got {text:?}");
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {text}"))
}

/// A usage or runtime error: the given exit code, nothing on stdout, one line on stderr.
fn assert_error(out: &Output, code: i32) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "stderr: {err}");
    assert!(out.stdout.is_empty(), "stdout must stay empty on errors");
    assert_eq!(err.trim_end().lines().count(), 1, "one-line error, got {err:?}");
    assert!(err.starts_with("error:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn info_json_is_one_valid_object() {
    let out = ferdelance(&["info", "--json"]);
    assert!(out.status.success());
    let v = json(&out);
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["simd_isa"], ferdelance::simd_isa());
    assert_eq!(v["simd_run_time"]["fractal"], ferdelance::fractal::simd_level());
    assert_eq!(v["simd_run_time"]["stencil"], ferdelance::stencil::simd_level());
    assert!(v["threads"].as_u64().is_some_and(|t| t >= 1));
    let features: Vec<&str> = v["features"].as_array().unwrap().iter().filter_map(|f| f.as_str()).collect();
    assert!(features.contains(&"cli"));
    assert_eq!(features.contains(&"parallel"), cfg!(feature = "parallel"));
}

#[test]
fn info_honours_threads() {
    let v = json(&ferdelance(&["--threads", "3", "info", "--json"]));
    assert_eq!(v["threads"], 3);
    let v = json(&ferdelance(&["info", "--json", "--threads", "1"]));
    assert_eq!(v["threads"], 1);
}

#[test]
fn bad_arguments_exit_2_with_one_line() {
    assert!(assert_error(&ferdelance(&["no-such-command"]), 2).contains("no-such-command"));
    assert!(assert_error(&ferdelance(&["--threads", "many", "info"]), 2).contains("thread count"));
    assert!(assert_error(&ferdelance(&["info", "--frobnicate"]), 2).contains("--frobnicate"));
    assert_error(&ferdelance(&["time"]), 2);
    assert_error(&ferdelance(&[]), 2);
}

#[test]
fn time_of_a_missing_command_exits_1() {
    let err = assert_error(&ferdelance(&["time", "--", "/no/such/program-ferdelance"]), 1);
    assert!(err.contains("/no/such/program-ferdelance"), "{err}");
}

#[test]
fn time_passes_the_exit_code_and_keeps_stdout_clean() {
    let out = ferdelance(&["time", "--json", "--", "sh", "-c", "echo noise; exit 3"]);
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out);
    assert_eq!(v["exit_code"], 3);
    assert!(String::from_utf8_lossy(&out.stderr).contains("noise"), "the command's stdout goes to stderr");
    for key in ["wall_s", "user_s", "sys_s", "max_rss_kb", "minor_faults", "major_faults", "voluntary_switches"] {
        assert!(v[key].is_number(), "{key} missing in {v}");
    }
}

#[test]
fn time_text_report_goes_to_stderr() {
    let out = ferdelance(&["time", "--", "true"]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("real ") && err.contains("user ") && err.contains("sys "), "{err}");
    let out = ferdelance(&["time", "-v", "--", "true"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("Maximum resident set size (kbytes)"));
}

// The acceptance smoke tests below measure real time and memory, so they are not run by
// default (no timing assertions in the suite); `cargo test -p ferdelance -- --ignored` runs them.

#[test]
#[ignore = "measures wall time of a real sleep"]
fn time_of_sleep_is_wall_not_cpu() {
    let v = json(&ferdelance(&["time", "--json", "--", "sleep", "0.2"]));
    let (wall, cpu) = (v["wall_s"].as_f64().unwrap(), v["user_s"].as_f64().unwrap() + v["sys_s"].as_f64().unwrap());
    assert!(wall >= 0.2, "wall {wall}");
    assert!(cpu < 0.05, "cpu {cpu}");
}

#[test]
#[ignore = "measures CPU time of a busy loop"]
fn time_of_busy_loop_is_cpu() {
    let v =
        json(&ferdelance(&["time", "--json", "--", "sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"]));
    let (wall, user) = (v["wall_s"].as_f64().unwrap(), v["user_s"].as_f64().unwrap());
    assert!(user > 0.8 * wall, "user {user} wall {wall}");
}

#[test]
#[ignore = "allocates 200 MiB in a child process (needs python3)"]
fn time_reports_max_rss_within_ten_percent() {
    let base = json(&ferdelance(&["time", "--json", "--", "python3", "-c", "pass"]));
    let big = json(&ferdelance(&["time", "--json", "--", "python3", "-c", "b = b'x' * (200 << 20)"]));
    let grown_kb = big["max_rss_kb"].as_f64().unwrap() - base["max_rss_kb"].as_f64().unwrap();
    let want_kb = 200.0 * 1024.0;
    assert!((grown_kb - want_kb).abs() < 0.1 * want_kb, "grew {grown_kb} KiB, want {want_kb}");
}
