//! Integration tests of `timing`, in one binary that installs `CountingAlloc` as the global
//! allocator (every test here runs on it; its per-thread view keeps parallel tests apart).

mod alloc;
mod disabled;
mod julia;
mod laws;
mod profiler;
mod smoke;

use std::sync::{Mutex, MutexGuard, PoisonError};

#[global_allocator]
static ALLOC: timing::CountingAlloc = timing::CountingAlloc::new();

/// The profiler is process-wide: tests that start it take this lock.
pub(crate) fn profiler_lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(PoisonError::into_inner)
}
