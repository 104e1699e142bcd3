//! `Environment::check()`: is this machine in a state to benchmark on? (The book's "stable
//! machine" advice: performance governor, turbo off, mains power, no background load.)

use std::fmt;
use std::path::{Path, PathBuf};

/// What the machine looked like when a measurement was made, with warnings.
///
/// Fields are `None` where the platform does not expose them (a VM without cpufreq, no power
/// supply class); only what can be read is judged.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Environment {
    /// The distinct CPU frequency governors in use (`scaling_governor` of each CPU).
    pub governors: Vec<String>,
    /// Whether turbo/boost is on (`intel_pstate/no_turbo` or `cpufreq/boost`).
    pub turbo: Option<bool>,
    /// Whether the machine runs on battery (`/sys/class/power_supply`).
    pub on_battery: Option<bool>,
    /// One-minute load average (`/proc/loadavg`).
    pub load1: Option<f64>,
    /// Online CPUs.
    pub cpus: usize,
    /// Whether this crate was compiled without optimisations (`debug_assertions`).
    pub debug_build: bool,
    /// Everything that makes timings less trustworthy, one sentence each.
    pub warnings: Vec<String>,
}

impl Environment {
    /// Reads the running machine's state (Linux `/sys` and `/proc`).
    pub fn check() -> Environment {
        let mut env = Environment::check_root("/");
        if env.cpus == 0 {
            env.cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        }
        env.warnings = env.judge();
        env
    }

    /// Reads the same files under `root` instead of `/` (for fixtures: `root/sys/...`,
    /// `root/proc/loadavg`); `debug_build` is this build's.
    pub fn check_root(root: impl AsRef<Path>) -> Environment {
        let root = root.as_ref();
        let read = |rel: &str| std::fs::read_to_string(root.join(rel)).ok().map(|s| s.trim().to_string());
        let cpu_dir = root.join("sys/devices/system/cpu");
        let mut governors: Vec<String> = numbered_dirs(&cpu_dir, "cpu")
            .iter()
            .filter_map(|d| std::fs::read_to_string(d.join("cpufreq/scaling_governor")).ok())
            .map(|s| s.trim().to_string())
            .collect();
        governors.sort();
        governors.dedup();
        let turbo = read("sys/devices/system/cpu/intel_pstate/no_turbo")
            .map(|s| s == "0")
            .or_else(|| read("sys/devices/system/cpu/cpufreq/boost").map(|s| s == "1"));
        let on_battery = power(&root.join("sys/class/power_supply"));
        let load1 = read("proc/loadavg").and_then(|s| s.split_whitespace().next()?.parse().ok());
        let cpus = read("sys/devices/system/cpu/online").map_or(0, |s| count_cpu_list(&s));
        let mut env = Environment {
            governors,
            turbo,
            on_battery,
            load1,
            cpus,
            debug_build: cfg!(debug_assertions),
            warnings: Vec::new(),
        };
        env.warnings = env.judge();
        env
    }

    /// Whether nothing was found to warn about.
    pub fn is_quiet(&self) -> bool {
        self.warnings.is_empty()
    }

    fn judge(&self) -> Vec<String> {
        let mut w = Vec::new();
        let slow: Vec<&str> = self.governors.iter().map(String::as_str).filter(|g| *g != "performance").collect();
        if !slow.is_empty() {
            w.push(format!("CPU frequency governor `{}` (not `performance`): clock speed varies", slow.join("`, `")));
        }
        if self.turbo == Some(true) {
            w.push("turbo boost is on: clock speed depends on temperature and load".to_string());
        }
        if self.on_battery == Some(true) {
            w.push("running on battery: the CPU may be throttled".to_string());
        }
        if let Some(load) = self.load1
            && self.cpus > 0
            && load > 0.5 * self.cpus as f64
        {
            w.push(format!("load average {load:.2} on {} CPUs: other work competes for the CPU", self.cpus));
        }
        if self.debug_build {
            w.push("debug build (no optimisations): timings are meaningless".to_string());
        }
        w
    }
}

/// `cpu0`, `cpu1`, ... under `dir`.
fn numbered_dirs(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.strip_prefix(prefix).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs
}

/// `Some(true)` if a battery is discharging or every mains supply is offline.
fn power(dir: &Path) -> Option<bool> {
    let entries = std::fs::read_dir(dir).ok()?;
    let (mut mains, mut mains_online, mut discharging, mut any) = (0, 0, false, false);
    for e in entries.flatten() {
        let read =
            |f: &str| std::fs::read_to_string(e.path().join(f)).map(|s| s.trim().to_string()).unwrap_or_default();
        match read("type").as_str() {
            "Mains" => {
                any = true;
                mains += 1;
                mains_online += usize::from(read("online") == "1");
            }
            "Battery" => {
                any = true;
                discharging |= read("status") == "Discharging";
            }
            _ => {}
        }
    }
    any.then_some(discharging || (mains > 0 && mains_online == 0))
}

/// Counts a kernel CPU list such as `0-3,6,8-9`.
fn count_cpu_list(s: &str) -> usize {
    s.split(',')
        .filter_map(|part| {
            let part = part.trim();
            match part.split_once('-') {
                Some((a, b)) => Some(b.parse::<usize>().ok()?.checked_sub(a.parse().ok()?)? + 1),
                None => part.parse::<usize>().ok().map(|_| 1),
            }
        })
        .sum()
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.warnings.is_empty() {
            return write!(f, "environment: ok ({} CPUs)", self.cpus);
        }
        write!(f, "environment: {} warning(s)", self.warnings.len())?;
        for w in &self.warnings {
            write!(f, "\n  - {w}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Environment {
        Environment::check_root(Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/env").join(name))
    }

    #[test]
    fn quiet_machine() {
        let e = fixture("quiet");
        assert_eq!(e.governors, ["performance"]);
        assert_eq!((e.turbo, e.on_battery, e.load1, e.cpus), (Some(false), Some(false), Some(0.05), 4));
        let machine_warnings: Vec<_> = e.warnings.iter().filter(|w| !w.starts_with("debug build")).collect();
        assert!(machine_warnings.is_empty(), "{machine_warnings:?}");
    }

    #[test]
    fn noisy_machine() {
        let e = fixture("noisy");
        assert_eq!(e.governors, ["performance", "powersave"]);
        assert_eq!((e.turbo, e.on_battery, e.load1, e.cpus), (Some(true), Some(true), Some(7.9), 4));
        let text = e.to_string();
        for needle in ["`powersave`", "turbo", "battery", "load average 7.90 on 4 CPUs"] {
            assert!(text.contains(needle), "{needle} missing in {text}");
        }
    }

    #[test]
    fn vm_without_cpufreq() {
        let e = fixture("vm");
        assert!(e.governors.is_empty());
        assert_eq!((e.turbo, e.on_battery, e.load1, e.cpus), (None, None, Some(0.4), 2));
        assert!(e.warnings.iter().all(|w| w.starts_with("debug build")));
        let missing = fixture("does-not-exist");
        assert_eq!((missing.load1, missing.cpus), (None, 0));
    }

    #[test]
    fn cpu_lists() {
        assert_eq!(count_cpu_list("0-3,6,8-9"), 7);
        assert_eq!(count_cpu_list("0"), 1);
        assert_eq!(count_cpu_list("garbage"), 0);
    }

    #[test]
    fn this_machine_is_readable() {
        let e = Environment::check();
        assert!(e.cpus >= 1);
        assert_eq!(e.debug_build, cfg!(debug_assertions));
    }
}
