//! Resource usage of this process or of a child command, from `getrusage` (GNU `time`).

use std::fmt;
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use nix::sys::resource::{Usage as RawUsage, UsageWho, getrusage};

use crate::{Error, ErrorKind};

/// What a piece of work cost: wall and CPU time, peak memory, faults and context switches.
///
/// `Display` prints the three `time -p` lines; [`Usage::verbose`] the `time -v` report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Usage {
    /// Elapsed wall-clock time.
    pub wall: Duration,
    /// CPU time in user mode.
    pub user: Duration,
    /// CPU time in the kernel.
    pub sys: Duration,
    /// Peak resident set size in bytes (for [`ResourceUsage::measure`]: the process's peak so far).
    pub max_rss_bytes: u64,
    /// Page faults served without I/O.
    pub minor_faults: u64,
    /// Page faults that needed I/O (a sign of swapping).
    pub major_faults: u64,
    /// Context switches because the process waited (I/O, locks, sleep).
    pub voluntary_switches: u64,
    /// Context switches forced by the scheduler (contention).
    pub involuntary_switches: u64,
}

impl Usage {
    /// CPU time (user + sys) as a percentage of wall time; 200 means two busy cores.
    pub fn cpu_percent(&self) -> f64 {
        let wall = self.wall.as_secs_f64();
        if wall > 0.0 { 100.0 * (self.user + self.sys).as_secs_f64() / wall } else { 0.0 }
    }

    /// The long report, in the layout of GNU `time -v`.
    pub fn verbose(&self) -> Verbose<'_> {
        Verbose(self)
    }

    fn delta(after: &RawUsage, before: &RawUsage, wall: Duration) -> Usage {
        let cpu = |a: nix::sys::time::TimeVal, b: nix::sys::time::TimeVal| {
            let micros = |t: nix::sys::time::TimeVal| t.tv_sec() as i128 * 1_000_000 + t.tv_usec() as i128;
            Duration::from_micros(u64::try_from(micros(a) - micros(b)).unwrap_or(0))
        };
        let count = |a: std::os::raw::c_long, b: std::os::raw::c_long| u64::try_from(a - b).unwrap_or(0);
        Usage {
            wall,
            user: cpu(after.user_time(), before.user_time()),
            sys: cpu(after.system_time(), before.system_time()),
            // ru_maxrss is a peak in KiB, not a sum: it is reported as is.
            max_rss_bytes: u64::try_from(after.max_rss()).unwrap_or(0) * 1024,
            minor_faults: count(after.minor_page_faults(), before.minor_page_faults()),
            major_faults: count(after.major_page_faults(), before.major_page_faults()),
            voluntary_switches: count(after.voluntary_context_switches(), before.voluntary_context_switches()),
            involuntary_switches: count(after.involuntary_context_switches(), before.involuntary_context_switches()),
        }
    }
}

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "real {:.2}\nuser {:.2}\nsys {:.2}",
            self.wall.as_secs_f64(),
            self.user.as_secs_f64(),
            self.sys.as_secs_f64()
        )
    }
}

/// The `time -v` form of a [`Usage`], from [`Usage::verbose`].
#[derive(Debug)]
pub struct Verbose<'a>(&'a Usage);

impl fmt::Display for Verbose<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let u = self.0;
        let wall = u.wall.as_secs_f64();
        writeln!(f, "\tUser time (seconds): {:.2}", u.user.as_secs_f64())?;
        writeln!(f, "\tSystem time (seconds): {:.2}", u.sys.as_secs_f64())?;
        writeln!(f, "\tPercent of CPU this job got: {:.0}%", u.cpu_percent())?;
        writeln!(f, "\tElapsed (wall clock) time (h:mm:ss or m:ss): {}:{:05.2}", (wall / 60.0) as u64, wall % 60.0)?;
        writeln!(f, "\tMaximum resident set size (kbytes): {}", u.max_rss_bytes / 1024)?;
        writeln!(f, "\tMajor (requiring I/O) page faults: {}", u.major_faults)?;
        writeln!(f, "\tMinor (reclaiming a frame) page faults: {}", u.minor_faults)?;
        writeln!(f, "\tVoluntary context switches: {}", u.voluntary_switches)?;
        write!(f, "\tInvoluntary context switches: {}", u.involuntary_switches)
    }
}

fn rusage(who: UsageWho) -> Result<RawUsage, Error> {
    getrusage(who).map_err(|e| Error::new(ErrorKind::Unsupported, format!("getrusage: {e}")))
}

/// Measures the resources a closure uses in this process.
#[derive(Debug)]
pub struct ResourceUsage;

impl ResourceUsage {
    /// Runs `f` once and returns its value with what it cost this process (all threads).
    ///
    /// `max_rss_bytes` is the process's peak so far (the kernel keeps no per-interval peak);
    /// use [`crate::reset_peak`] first to scope it.
    pub fn measure<T>(f: impl FnOnce() -> T) -> Result<(T, Usage), Error> {
        let before = rusage(UsageWho::RUSAGE_SELF)?;
        let start = Instant::now();
        let value = f();
        let wall = start.elapsed();
        let after = rusage(UsageWho::RUSAGE_SELF)?;
        Ok((value, Usage::delta(&after, &before, wall)))
    }
}

/// Runs a command to completion and reports its resource usage, as GNU `time` does.
///
/// The command's standard streams are whatever `cmd` sets (inherited by default). CPU time,
/// faults and switches are the differences of `getrusage(RUSAGE_CHILDREN)` around the wait;
/// max RSS is the largest of any child waited for so far, which is the command's own when the
/// calling process runs no other children (as in the `ferdelance time` program).
///
/// # Errors
///
/// `ErrorKind::Io` when the command cannot be started (not found, not executable).
pub fn run_command(cmd: &mut Command) -> Result<(ExitStatus, Usage), Error> {
    let before = rusage(UsageWho::RUSAGE_CHILDREN)?;
    let start = Instant::now();
    let mut child = cmd.spawn().map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?;
    let status = child.wait().map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?;
    let wall = start.elapsed();
    let after = rusage(UsageWho::RUSAGE_CHILDREN)?;
    Ok((status, Usage::delta(&after, &before, wall)))
}
