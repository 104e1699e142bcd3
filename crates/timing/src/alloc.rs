//! `CountingAlloc`: a global allocator that counts allocations and bytes (heapy, `setrelheap`).
//!
//! This is the crate's only `unsafe` code: `GlobalAlloc` is an unsafe trait, and the
//! implementation is pure delegation to the wrapped allocator plus counter updates.
//!
//! Counters exist twice: process-wide totals (atomics) and a per-thread view (const-initialised
//! thread-locals without destructors, so reading them never allocates and never fails). A test
//! that checks "this `Vec` cost one allocation of 1 MiB" reads its own thread's view, so tests
//! running in parallel do not disturb each other.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering::Relaxed};

use crate::{Error, ErrorKind};

/// A global allocator wrapper that counts: install it with `#[global_allocator]`.
///
/// ```standalone_crate
/// use timing::CountingAlloc;
///
/// #[global_allocator]
/// static ALLOC: CountingAlloc = CountingAlloc::new();
///
/// fn main() -> Result<(), timing::Error> {
///     let mark = CountingAlloc::checkpoint()?;
///     let v = vec![0u8; 1 << 20];
///     let d = mark.delta()?;
///     assert_eq!((d.allocations, d.bytes_allocated), (1, 1_048_576));
///     drop(v);
///     Ok(())
/// }
/// ```
///
/// Reads fail with `ErrorKind::Unsupported` when no `CountingAlloc` is the global allocator
/// (detected by its never having been called), rather than returning zeros.
#[derive(Debug, Default)]
pub struct CountingAlloc<A = System> {
    inner: A,
}

impl CountingAlloc<System> {
    /// Counts around the system allocator.
    pub const fn new() -> Self {
        CountingAlloc { inner: System }
    }
}

impl<A> CountingAlloc<A> {
    /// Counts around another allocator.
    pub const fn wrap(inner: A) -> Self {
        CountingAlloc { inner }
    }
}

static INSTALLED: AtomicBool = AtomicBool::new(false);

struct Global {
    allocations: AtomicU64,
    deallocations: AtomicU64,
    reallocations: AtomicU64,
    bytes_allocated: AtomicU64,
    bytes_freed: AtomicU64,
    current: AtomicI64,
    peak: AtomicI64,
}

static GLOBAL: Global = Global {
    allocations: AtomicU64::new(0),
    deallocations: AtomicU64::new(0),
    reallocations: AtomicU64::new(0),
    bytes_allocated: AtomicU64::new(0),
    bytes_freed: AtomicU64::new(0),
    current: AtomicI64::new(0),
    peak: AtomicI64::new(0),
};

struct Local {
    allocations: Cell<u64>,
    deallocations: Cell<u64>,
    reallocations: Cell<u64>,
    bytes_allocated: Cell<u64>,
    bytes_freed: Cell<u64>,
    current: Cell<i64>,
    peak: Cell<i64>,
}

thread_local! {
    // const-initialised and without Drop: no lazy registration, no allocation on access.
    static LOCAL: Local = const {
        Local {
            allocations: Cell::new(0),
            deallocations: Cell::new(0),
            reallocations: Cell::new(0),
            bytes_allocated: Cell::new(0),
            bytes_freed: Cell::new(0),
            current: Cell::new(0),
            peak: Cell::new(0),
        }
    };
}

fn as_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[inline]
fn on_alloc(size: usize) {
    if !INSTALLED.load(Relaxed) {
        INSTALLED.store(true, Relaxed);
    }
    GLOBAL.allocations.fetch_add(1, Relaxed);
    GLOBAL.bytes_allocated.fetch_add(size as u64, Relaxed);
    let now = GLOBAL.current.fetch_add(as_i64(size), Relaxed) + as_i64(size);
    GLOBAL.peak.fetch_max(now, Relaxed);
    let _ = LOCAL.try_with(|l| {
        l.allocations.set(l.allocations.get() + 1);
        l.bytes_allocated.set(l.bytes_allocated.get() + size as u64);
        let now = l.current.get() + as_i64(size);
        l.current.set(now);
        l.peak.set(l.peak.get().max(now));
    });
}

#[inline]
fn on_dealloc(size: usize) {
    GLOBAL.deallocations.fetch_add(1, Relaxed);
    GLOBAL.bytes_freed.fetch_add(size as u64, Relaxed);
    GLOBAL.current.fetch_sub(as_i64(size), Relaxed);
    let _ = LOCAL.try_with(|l| {
        l.deallocations.set(l.deallocations.get() + 1);
        l.bytes_freed.set(l.bytes_freed.get() + size as u64);
        l.current.set(l.current.get() - as_i64(size));
    });
}

#[inline]
fn on_realloc(old: usize, new: usize) {
    // Counted as a reallocation; bytes as "old freed, new allocated", so current stays exact.
    GLOBAL.reallocations.fetch_add(1, Relaxed);
    GLOBAL.bytes_allocated.fetch_add(new as u64, Relaxed);
    GLOBAL.bytes_freed.fetch_add(old as u64, Relaxed);
    let diff = as_i64(new) - as_i64(old);
    let now = GLOBAL.current.fetch_add(diff, Relaxed) + diff;
    GLOBAL.peak.fetch_max(now, Relaxed);
    let _ = LOCAL.try_with(|l| {
        l.reallocations.set(l.reallocations.get() + 1);
        l.bytes_allocated.set(l.bytes_allocated.get() + new as u64);
        l.bytes_freed.set(l.bytes_freed.get() + old as u64);
        let now = l.current.get() + diff;
        l.current.set(now);
        l.peak.set(l.peak.get().max(now));
    });
}

// SAFETY: every method forwards to `self.inner`, a `GlobalAlloc`, with the caller's arguments
// unchanged, so the caller's obligations (non-zero size, matching layout and pointer) pass
// through intact, and the returned pointer is the inner allocator's. The counter updates touch
// only atomics and const-initialised thread-locals, which never allocate or unwind.
unsafe impl<A: GlobalAlloc> GlobalAlloc for CountingAlloc<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same layout as our caller's, who guarantees a non-zero size.
        let p = unsafe { self.inner.alloc(layout) };
        if !p.is_null() {
            on_alloc(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        let p = unsafe { self.inner.alloc_zeroed(layout) };
        if !p.is_null() {
            on_alloc(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by this allocator, hence by `inner`, with `layout`.
        unsafe { self.inner.dealloc(ptr, layout) };
        on_dealloc(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr`/`layout` came from `inner` (see `dealloc`); the caller guarantees
        // `new_size` is non-zero and does not overflow when rounded to `layout.align()`.
        let p = unsafe { self.inner.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            on_realloc(layout.size(), new_size);
        }
        p
    }
}

/// Allocation counts and bytes, for one thread's view or the whole process.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AllocStats {
    /// `alloc` and `alloc_zeroed` calls.
    pub allocations: u64,
    /// `dealloc` calls.
    pub deallocations: u64,
    /// `realloc` calls (not counted in `allocations`).
    pub reallocations: u64,
    /// Bytes requested by allocations, plus the new sizes of reallocations.
    pub bytes_allocated: u64,
    /// Bytes released by deallocations, plus the old sizes of reallocations.
    pub bytes_freed: u64,
    /// Live bytes: `bytes_allocated - bytes_freed`. A thread's view can go negative when it
    /// frees memory that another thread allocated.
    pub current: i64,
    /// The largest `current` seen (since the start, or since the last reset or checkpoint for
    /// a thread's view).
    pub peak: i64,
}

impl fmt::Display for AllocStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} allocations ({} reallocations, {} frees), {} B allocated, {} B live, peak {} B",
            self.allocations, self.reallocations, self.deallocations, self.bytes_allocated, self.current, self.peak
        )
    }
}

fn installed() -> Result<(), Error> {
    if INSTALLED.load(Relaxed) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Unsupported,
            "CountingAlloc is not the global allocator (add `#[global_allocator] static A: CountingAlloc = CountingAlloc::new();`)",
        ))
    }
}

fn local() -> AllocStats {
    LOCAL
        .try_with(|l| AllocStats {
            allocations: l.allocations.get(),
            deallocations: l.deallocations.get(),
            reallocations: l.reallocations.get(),
            bytes_allocated: l.bytes_allocated.get(),
            bytes_freed: l.bytes_freed.get(),
            current: l.current.get(),
            peak: l.peak.get(),
        })
        .unwrap_or_default()
}

impl CountingAlloc {
    /// Whether a `CountingAlloc` is the global allocator (it has served an allocation).
    pub fn is_installed() -> bool {
        INSTALLED.load(Relaxed)
    }

    /// The calling thread's view: what this thread allocated and freed.
    ///
    /// # Errors
    ///
    /// `ErrorKind::Unsupported` when no `CountingAlloc` is installed.
    pub fn thread() -> Result<AllocStats, Error> {
        installed()?;
        Ok(local())
    }

    /// Process-wide totals (all threads).
    ///
    /// # Errors
    ///
    /// `ErrorKind::Unsupported` when no `CountingAlloc` is installed.
    pub fn global() -> Result<AllocStats, Error> {
        installed()?;
        Ok(AllocStats {
            allocations: GLOBAL.allocations.load(Relaxed),
            deallocations: GLOBAL.deallocations.load(Relaxed),
            reallocations: GLOBAL.reallocations.load(Relaxed),
            bytes_allocated: GLOBAL.bytes_allocated.load(Relaxed),
            bytes_freed: GLOBAL.bytes_freed.load(Relaxed),
            current: GLOBAL.current.load(Relaxed),
            peak: GLOBAL.peak.load(Relaxed),
        })
    }

    /// Starts a region of the calling thread (heapy's `setrelheap`): resets this thread's peak
    /// to its current live bytes; [`Checkpoint::delta`] then reports what happened since.
    ///
    /// # Errors
    ///
    /// `ErrorKind::Unsupported` when no `CountingAlloc` is installed.
    pub fn checkpoint() -> Result<Checkpoint, Error> {
        installed()?;
        let _ = LOCAL.try_with(|l| l.peak.set(l.current.get()));
        Ok(Checkpoint { start: local() })
    }

    /// Zeroes the calling thread's counters (its `current` restarts at 0).
    ///
    /// # Errors
    ///
    /// `ErrorKind::Unsupported` when no `CountingAlloc` is installed.
    pub fn reset_thread() -> Result<(), Error> {
        installed()?;
        let _ = LOCAL.try_with(|l| {
            for c in [&l.allocations, &l.deallocations, &l.reallocations, &l.bytes_allocated, &l.bytes_freed] {
                c.set(0);
            }
            l.current.set(0);
            l.peak.set(0);
        });
        Ok(())
    }

    /// Resets the process-wide peak to the current live bytes.
    ///
    /// # Errors
    ///
    /// `ErrorKind::Unsupported` when no `CountingAlloc` is installed.
    pub fn reset_global_peak() -> Result<(), Error> {
        installed()?;
        GLOBAL.peak.store(GLOBAL.current.load(Relaxed), Relaxed);
        Ok(())
    }
}

/// A snapshot of the calling thread's counters, from [`CountingAlloc::checkpoint`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    start: AllocStats,
}

impl Checkpoint {
    /// What the calling thread did since the checkpoint: counts and bytes as differences,
    /// `current` as the change in live bytes, `peak` as the largest rise of live bytes.
    ///
    /// Call it on the thread that made the checkpoint.
    ///
    /// # Errors
    ///
    /// `ErrorKind::Unsupported` when no `CountingAlloc` is installed.
    pub fn delta(&self) -> Result<AllocStats, Error> {
        let now = CountingAlloc::thread()?;
        let s = &self.start;
        Ok(AllocStats {
            allocations: now.allocations - s.allocations,
            deallocations: now.deallocations - s.deallocations,
            reallocations: now.reallocations - s.reallocations,
            bytes_allocated: now.bytes_allocated - s.bytes_allocated,
            bytes_freed: now.bytes_freed - s.bytes_freed,
            current: now.current - s.current,
            peak: now.peak - s.current,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_installed_is_unsupported() {
        // The unit-test binary uses the system allocator directly.
        assert!(!CountingAlloc::is_installed());
        assert_eq!(CountingAlloc::thread().unwrap_err().kind(), ErrorKind::Unsupported);
        assert_eq!(CountingAlloc::global().unwrap_err().kind(), ErrorKind::Unsupported);
        assert_eq!(CountingAlloc::checkpoint().unwrap_err().kind(), ErrorKind::Unsupported);
        assert_eq!(CountingAlloc::reset_thread().unwrap_err().kind(), ErrorKind::Unsupported);
    }
}
