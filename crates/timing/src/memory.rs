//! Resident memory from Linux procfs: current and peak RSS, peak reset, an `mprof`-style
//! sampler with labelled marks, and `%memit`.

use std::fmt;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::{Error, ErrorKind};

const STATUS: &str = "/proc/self/status";
const CLEAR_REFS: &str = "/proc/self/clear_refs";

/// Reads a `kB` field (`VmRSS`, `VmHWM`, ...) of a `/proc/<pid>/status` text, in bytes.
pub(crate) fn status_field(status: &str, field: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        let kb = rest.trim().strip_suffix("kB")?.trim().parse::<u64>().ok()?;
        Some(kb * 1024)
    })
}

fn read_status_field(field: &str) -> Result<u64, Error> {
    let text = std::fs::read_to_string(STATUS)
        .map_err(|e| Error::new(ErrorKind::Unsupported, format!("{STATUS}: {e} (needs Linux procfs)")))?;
    status_field(&text, field).ok_or_else(|| Error::new(ErrorKind::Unsupported, format!("{STATUS}: no {field} field")))
}

/// The resident set size of this process now, in bytes (`VmRSS`).
///
/// # Errors
///
/// `ErrorKind::Unsupported` without Linux procfs.
pub fn rss_now() -> Result<u64, Error> {
    read_status_field("VmRSS")
}

/// The peak resident set size of this process, in bytes (`VmHWM`), since start or the last
/// [`reset_peak`].
///
/// # Errors
///
/// `ErrorKind::Unsupported` without Linux procfs.
pub fn rss_peak() -> Result<u64, Error> {
    read_status_field("VmHWM")
}

/// Resets the peak RSS to the current RSS (writes `5` to `/proc/self/clear_refs`).
///
/// # Errors
///
/// `ErrorKind::Unsupported` without procfs; `ErrorKind::Io` if the kernel refuses the write.
pub fn reset_peak() -> Result<(), Error> {
    if !std::path::Path::new(CLEAR_REFS).exists() {
        return Err(Error::new(ErrorKind::Unsupported, format!("{CLEAR_REFS} does not exist (needs Linux procfs)")));
    }
    std::fs::write(CLEAR_REFS, "5").map_err(|e| Error::new(ErrorKind::Io, format!("{CLEAR_REFS}: {e}")))
}

/// What [`memit`] measured, in bytes (IPython's `%memit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MemIt {
    /// RSS before the call.
    pub baseline_bytes: u64,
    /// Peak RSS during the call.
    pub peak_bytes: u64,
    /// `peak - baseline`.
    pub increment_bytes: u64,
}

impl fmt::Display for MemIt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "peak memory: {:.2} MiB, increment: {:.2} MiB", mib(self.peak_bytes), mib(self.increment_bytes))
    }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Runs `f` and reports the peak RSS during it and the increment over the RSS before it.
///
/// The peak is process-wide: other threads' memory counts too.
///
/// # Errors
///
/// As [`reset_peak`] and [`rss_now`].
pub fn memit<T>(f: impl FnOnce() -> T) -> Result<(T, MemIt), Error> {
    reset_peak()?;
    let baseline = rss_now()?;
    let value = f();
    let peak = rss_peak()?.max(baseline);
    Ok((value, MemIt { baseline_bytes: baseline, peak_bytes: peak, increment_bytes: peak - baseline }))
}

/// One RSS reading of an [`RssSampler`].
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RssSample {
    /// Seconds since the sampler started.
    pub t_s: f64,
    /// Resident set size in bytes.
    pub bytes: u64,
}

/// A labelled instant of an [`RssSampler`] (`mprof`'s `with profile.timestamp(...)`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Mark {
    /// Seconds since the sampler started.
    pub t_s: f64,
    /// The label.
    pub label: String,
    /// RSS at the mark, in bytes.
    pub bytes: u64,
}

/// Samples this process's RSS on a background thread, almost for free (`mprof run`).
///
/// ```no_run
/// use std::time::Duration;
/// let sampler = timing::RssSampler::start(Duration::from_millis(10))?;
/// let v = vec![1u8; 50 << 20];
/// sampler.mark("allocated");
/// drop(v);
/// let profile = sampler.stop();
/// println!("{profile}");
/// # Ok::<(), timing::Error>(())
/// ```
#[derive(Debug)]
pub struct RssSampler {
    start: Instant,
    stop: mpsc::Sender<()>,
    handle: Option<JoinHandle<Vec<RssSample>>>,
    marks: Arc<Mutex<Vec<Mark>>>,
}

impl RssSampler {
    /// Starts sampling every `interval`.
    ///
    /// # Errors
    ///
    /// `ErrorKind::InvalidParameter` for a zero interval; `ErrorKind::Unsupported` without
    /// procfs; `ErrorKind::Io` if the thread cannot be spawned.
    pub fn start(interval: Duration) -> Result<RssSampler, Error> {
        if interval.is_zero() {
            return Err(Error::new(ErrorKind::InvalidParameter, "sampler interval must be above zero"));
        }
        rss_now()?;
        let start = Instant::now();
        let (stop, stopped) = mpsc::channel::<()>();
        let handle = std::thread::Builder::new()
            .name("rss-sampler".into())
            .spawn(move || {
                let mut samples = Vec::new();
                loop {
                    if let Ok(bytes) = rss_now() {
                        samples.push(RssSample { t_s: start.elapsed().as_secs_f64(), bytes });
                    }
                    match stopped.recv_timeout(interval) {
                        Err(RecvTimeoutError::Timeout) => continue,
                        _ => break,
                    }
                }
                if let Ok(bytes) = rss_now() {
                    samples.push(RssSample { t_s: start.elapsed().as_secs_f64(), bytes });
                }
                samples
            })
            .map_err(|e| Error::new(ErrorKind::Io, format!("cannot start the sampler thread: {e}")))?;
        Ok(RssSampler { start, stop, handle: Some(handle), marks: Arc::default() })
    }

    /// Records a labelled instant with the RSS at that moment.
    pub fn mark(&self, label: impl Into<String>) {
        let bytes = rss_now().unwrap_or(0);
        let mark = Mark { t_s: self.start.elapsed().as_secs_f64(), label: label.into(), bytes };
        self.marks.lock().unwrap_or_else(PoisonError::into_inner).push(mark);
    }

    /// Stops sampling and returns the samples and marks.
    pub fn stop(mut self) -> RssProfile {
        let _ = self.stop.send(());
        let samples = self.handle.take().and_then(|h| h.join().ok()).unwrap_or_default();
        let marks = std::mem::take(&mut *self.marks.lock().unwrap_or_else(PoisonError::into_inner));
        RssProfile { samples, marks }
    }
}

impl Drop for RssSampler {
    fn drop(&mut self) {
        let _ = self.stop.send(());
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// The RSS over time recorded by an [`RssSampler`], with its marks.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RssProfile {
    /// Samples in time order.
    pub samples: Vec<RssSample>,
    /// Marks in time order.
    pub marks: Vec<Mark>,
}

impl RssProfile {
    /// The largest RSS seen (samples and marks), in bytes.
    pub fn peak(&self) -> u64 {
        let s = self.samples.iter().map(|s| s.bytes);
        s.chain(self.marks.iter().map(|m| m.bytes)).max().unwrap_or(0)
    }

    /// The largest RSS sampled in `[from_s, to_s]` seconds, or `None` if no sample fell there.
    pub fn peak_between(&self, from_s: f64, to_s: f64) -> Option<u64> {
        self.samples.iter().filter(|s| s.t_s >= from_s && s.t_s <= to_s).map(|s| s.bytes).max()
    }
}

impl fmt::Display for RssProfile {
    /// One line per mark: time, RSS at the mark, and the peak since the previous mark.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} samples, peak {:.1} MiB", self.samples.len(), mib(self.peak()))?;
        let mut from = 0.0;
        for m in &self.marks {
            let peak = self.peak_between(from, m.t_s).unwrap_or(m.bytes).max(m.bytes);
            writeln!(f, "{:>9.3} s  {:>9.1} MiB  (peak {:.1} MiB)  {}", m.t_s, mib(m.bytes), mib(peak), m.label)?;
            from = m.t_s;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_fixture() {
        let text = include_str!("../testdata/proc_self_status.txt");
        assert_eq!(status_field(text, "VmRSS"), Some(131_952 * 1024));
        assert_eq!(status_field(text, "VmHWM"), Some(140_000 * 1024));
        assert_eq!(status_field(text, "VmSwap"), Some(0));
        assert_eq!(status_field(text, "Nope"), None);
        assert_eq!(status_field("VmRSS: lots kB", "VmRSS"), None);
    }

    #[test]
    fn zero_interval_is_refused() {
        assert_eq!(RssSampler::start(Duration::ZERO).unwrap_err().kind(), ErrorKind::InvalidParameter);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn procfs_readings_are_consistent() {
        let now = rss_now().unwrap();
        let peak = rss_peak().unwrap();
        assert!(now > 0 && peak >= now);
        let sampler = RssSampler::start(Duration::from_millis(1)).unwrap();
        sampler.mark("first");
        sampler.mark("second");
        let p = sampler.stop();
        assert_eq!(p.marks.iter().map(|m| m.label.as_str()).collect::<Vec<_>>(), ["first", "second"]);
        assert!(p.samples.len() >= 2, "a sample at the start and one at the stop");
        assert!(p.peak() > 0);
        assert!(p.to_string().contains("second"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn memit_sees_a_touched_buffer() {
        // RSS is process-wide; other tests allocate too, so only a lower bound is checked.
        let Ok(((), m)) = memit(|| {
            let v = vec![1u8; 64 << 20];
            std::hint::black_box(&v);
        }) else {
            return; // clear_refs refused (some sandboxes): nothing to check
        };
        assert!(m.peak_bytes >= m.baseline_bytes);
        assert_eq!(m.increment_bytes, m.peak_bytes - m.baseline_bytes);
        assert!(m.increment_bytes >= 60 << 20, "{m}");
    }
}
