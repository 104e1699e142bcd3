//! Resource usage: deterministic error paths, and `#[ignore]` smoke tests that read real clocks
//! (run them on a quiet machine: `cargo test -p timing -- --ignored`).

use std::process::Command;
use std::time::{Duration, Instant};

use timing::{ErrorKind, ResourceUsage, run_command};

#[test]
fn a_missing_command_is_an_io_error() {
    let e = run_command(&mut Command::new("/nonexistent/ferdelance-no-such-command")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Io);
}

#[test]
fn measure_returns_the_value_and_consistent_fields() {
    let (v, u) = ResourceUsage::measure(|| vec![3u8; 1000]).unwrap();
    assert_eq!(v.len(), 1000);
    assert!(u.max_rss_bytes > 0);
    assert_eq!(u.to_string().lines().count(), 3);
    assert!(u.verbose().to_string().contains("Maximum resident set size (kbytes)"));
}

#[test]
#[ignore = "reads real clocks; run on a quiet machine"]
fn sleeping_costs_wall_time_not_cpu() {
    let ((), u) = ResourceUsage::measure(|| std::thread::sleep(Duration::from_millis(200))).unwrap();
    assert!(u.wall >= Duration::from_millis(200));
    assert!(u.user + u.sys < Duration::from_millis(50), "{u}");
}

#[test]
#[ignore = "reads real clocks; run on a quiet machine"]
fn a_busy_loop_costs_cpu_close_to_wall() {
    let ((), u) = ResourceUsage::measure(|| {
        let t = Instant::now();
        let mut x = 0u64;
        while t.elapsed() < Duration::from_millis(300) {
            x = std::hint::black_box(x.wrapping_add(1));
        }
    })
    .unwrap();
    assert!(u.cpu_percent() > 80.0, "{u}");
}
