//! The hierarchical scope profiler: `profile_scope!`, `count!` and [`Profiler`] (cProfile).
//!
//! Each thread keeps a stack of open scopes. When a scope closes, its time goes to the thread's
//! table: `ncalls`, self time (the scope minus the scopes opened inside it) and cumulative time
//! (counted once per outermost activation, so recursion is not double counted), plus the
//! caller -> callee edge. [`Profiler::report`] merges every thread's table.
//!
//! Inactive (the default, or after [`Profiler::stop`]), a scope costs one relaxed atomic load.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{Duration, Instant};

use crate::clock::Clock;

/// Opens a profiler scope named by a string literal until the end of the enclosing block.
///
/// Records calls, self and cumulative time when the [`Profiler`] is active; one relaxed atomic
/// load when it is not. With the crate feature `enabled` off it expands to nothing.
///
/// ```
/// fn work() -> u64 {
///     timing::profile_scope!("work");
///     (0..100u64).sum()
/// }
/// assert_eq!(work(), 4950);
/// ```
#[cfg(feature = "enabled")]
#[macro_export]
macro_rules! profile_scope {
    ($name:literal) => {
        let __profile_scope_guard = $crate::Profiler::enter($name);
    };
}

/// Opens a profiler scope (the crate feature `enabled` is off: expands to nothing).
#[cfg(not(feature = "enabled"))]
#[macro_export]
macro_rules! profile_scope {
    ($name:literal) => {};
}

/// Adds to a named event counter of the [`Profiler`] (1, or the given amount).
///
/// A no-op while the profiler is inactive; with the crate feature `enabled` off it expands to
/// nothing (the amount is not evaluated).
///
/// ```
/// timing::count!("cache miss");
/// timing::count!("bytes read", 4096);
/// ```
#[cfg(feature = "enabled")]
#[macro_export]
macro_rules! count {
    ($name:literal) => {
        $crate::Profiler::count($name, 1)
    };
    ($name:literal, $n:expr) => {
        $crate::Profiler::count($name, $n)
    };
}

/// Adds to a named event counter (the crate feature `enabled` is off: expands to nothing).
#[cfg(not(feature = "enabled"))]
#[macro_export]
macro_rules! count {
    ($name:literal) => {};
    ($name:literal, $n:expr) => {};
}

static ACTIVE: AtomicBool = AtomicBool::new(false);
static CUSTOM_CLOCK: AtomicBool = AtomicBool::new(false);
static CLOCK: RwLock<Option<Box<dyn Clock + Send + Sync>>> = RwLock::new(None);
static REGISTRY: Mutex<Vec<Arc<Mutex<Table>>>> = Mutex::new(Vec::new());

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic never happens while our locks are held; recover the data anyway.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// When a scope opened: an `Instant` on the default clock (no epoch arithmetic on the hot
/// path), or a reading of the clock given to [`Profiler::start_with`].
#[derive(Clone, Copy)]
enum Stamp {
    Real(Instant),
    Custom(Duration),
}

fn custom_now() -> Option<Duration> {
    CLOCK.read().unwrap_or_else(PoisonError::into_inner).as_ref().map(|c| c.now())
}

#[inline]
fn stamp() -> Stamp {
    if CUSTOM_CLOCK.load(Ordering::Relaxed)
        && let Some(d) = custom_now()
    {
        return Stamp::Custom(d);
    }
    Stamp::Real(Instant::now())
}

#[inline]
fn since(start: Stamp) -> Duration {
    match start {
        Stamp::Real(i) => i.elapsed(),
        Stamp::Custom(d) => custom_now().unwrap_or(d).saturating_sub(d),
    }
}

/// A scope name, compared and hashed by address (fast); names are merged by text in reports.
#[derive(Clone, Copy, Debug)]
struct Key(&'static str);

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}
impl Eq for Key {}
impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_usize(self.0.as_ptr() as usize ^ self.0.len().rotate_left(32));
    }
}

/// A multiplicative hasher for `Key` (addresses need no DoS protection).
#[derive(Default)]
struct AddrHasher(u64);
impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29);
    }
}
type Map<K, V> = HashMap<K, V, BuildHasherDefault<AddrHasher>>;

/// Totals of one caller -> callee edge; a scope's row is the sum over the edges into it.
#[derive(Clone, Copy, Default)]
struct FnStat {
    ncalls: u64,
    primitive: u64,
    self_ns: u64,
    cum_ns: u64,
}

impl FnStat {
    fn add(&mut self, o: &FnStat) {
        self.ncalls += o.ncalls;
        self.primitive += o.primitive;
        self.self_ns += o.self_ns;
        self.cum_ns += o.cum_ns;
    }
}

/// One thread's accumulated results (shared with the registry for reports). One hash lookup
/// per closed scope: everything is kept per edge.
#[derive(Default)]
struct Table {
    edges: Map<(Option<Key>, Key), FnStat>,
    counters: Map<Key, u64>,
}

struct Frame {
    key: Key,
    start: Stamp,
    children: Duration,
    recursive: bool,
}

struct Local {
    stack: Vec<Frame>,
    table: Arc<Mutex<Table>>,
}

impl Local {
    fn new() -> Self {
        let table = Arc::new(Mutex::new(Table::default()));
        lock(&REGISTRY).push(Arc::clone(&table));
        Local { stack: Vec::new(), table }
    }

    /// Closes the top frame and records it.
    fn close_top(&mut self) {
        let Some(frame) = self.stack.pop() else { return };
        let elapsed = since(frame.start);
        let self_time = elapsed.saturating_sub(frame.children);
        let parent = self.stack.last_mut().map(|p| {
            p.children += elapsed;
            p.key
        });
        let mut t = lock(&self.table);
        let e = t.edges.entry((parent, frame.key)).or_default();
        e.ncalls += 1;
        e.self_ns += nanos(self_time);
        if !frame.recursive {
            e.primitive += 1;
            e.cum_ns += nanos(elapsed);
        }
    }
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

thread_local! {
    static LOCAL: RefCell<Local> = RefCell::new(Local::new());
}

/// An open profiler scope; closes when dropped. Made by `profile_scope!` or [`Profiler::enter`].
#[must_use = "a profiler scope closes when dropped: bind it with `let _s = ...`"]
#[derive(Debug)]
pub struct ScopeGuard {
    /// Stack depth of this scope + 1, or 0 when the profiler was inactive at entry.
    depth: usize,
    /// The stack is per thread: a guard must not move to another thread.
    _not_send: PhantomData<*const ()>,
}

impl Drop for ScopeGuard {
    #[inline]
    fn drop(&mut self) {
        if self.depth != 0 {
            exit(self.depth);
        }
    }
}

#[inline(never)]
fn enter_active(name: &'static str) -> ScopeGuard {
    let depth = LOCAL
        .try_with(|l| {
            let mut l = l.borrow_mut();
            let key = Key(name);
            let recursive = l.stack.iter().any(|f| f.key == key);
            l.stack.push(Frame { key, start: stamp(), children: Duration::ZERO, recursive });
            l.stack.len()
        })
        .unwrap_or(0);
    ScopeGuard { depth, _not_send: PhantomData }
}

#[inline(never)]
fn exit(depth: usize) {
    let _ = LOCAL.try_with(|l| {
        let mut l = l.borrow_mut();
        // Normally exactly one frame; more if inner guards were leaked (`mem::forget`).
        while l.stack.len() >= depth {
            l.close_top();
        }
    });
}

/// The process-wide profiler behind `profile_scope!` and `count!`.
///
/// ```
/// use timing::{Profiler, profile_scope};
///
/// fn leaf() -> u64 {
///     profile_scope!("leaf");
///     (0..1000u64).sum()
/// }
/// fn root() -> u64 {
///     profile_scope!("root");
///     leaf() + leaf()
/// }
///
/// Profiler::start();
/// root();
/// Profiler::stop();
/// let report = Profiler::report();
/// # #[cfg(feature = "enabled")] {
/// assert_eq!(report.row("leaf").unwrap().ncalls, 2);
/// assert_eq!(report.rows()[0].name, "root"); // sorted by cumulative time
/// # }
/// println!("{report}");
/// ```
#[derive(Debug)]
pub struct Profiler;

impl Profiler {
    /// Clears all results and starts recording, on the monotonic wall clock (`Instant`).
    pub fn start() {
        Self::install_clock(None);
    }

    /// Clears all results and starts recording, reading time from `clock` (e.g. a
    /// [`crate::Manual`] clock in tests).
    pub fn start_with(clock: impl Clock + Send + Sync + 'static) {
        Self::install_clock(Some(Box::new(clock)));
    }

    fn install_clock(clock: Option<Box<dyn Clock + Send + Sync>>) {
        ACTIVE.store(false, Ordering::SeqCst);
        CUSTOM_CLOCK.store(clock.is_some(), Ordering::SeqCst);
        *CLOCK.write().unwrap_or_else(PoisonError::into_inner) = clock;
        Self::clear();
        ACTIVE.store(true, Ordering::SeqCst);
    }

    /// Stops recording (scopes already open still record when they close).
    pub fn stop() {
        ACTIVE.store(false, Ordering::SeqCst);
    }

    /// Whether scopes are being recorded.
    #[inline]
    pub fn is_active() -> bool {
        ACTIVE.load(Ordering::Relaxed)
    }

    /// Forgets all results (of every thread) without changing whether the profiler is active.
    pub fn clear() {
        let mut registry = lock(&REGISTRY);
        // Threads that have exited hold no reference any more: drop their tables.
        registry.retain(|t| Arc::strong_count(t) > 1);
        for t in registry.iter() {
            *lock(t) = Table::default();
        }
    }

    /// Opens a scope (what `profile_scope!` calls): one relaxed load when inactive.
    #[inline]
    pub fn enter(name: &'static str) -> ScopeGuard {
        if !ACTIVE.load(Ordering::Relaxed) {
            return ScopeGuard { depth: 0, _not_send: PhantomData };
        }
        enter_active(name)
    }

    /// Adds `n` to the event counter `name` (what `count!` calls): one relaxed load when inactive.
    #[inline]
    pub fn count(name: &'static str, n: u64) {
        if ACTIVE.load(Ordering::Relaxed) {
            count_active(name, n);
        }
    }

    /// The results of every thread so far, merged by name and sorted by cumulative time.
    ///
    /// Only closed scopes are included (an open scope has no duration yet).
    pub fn report() -> Report {
        let mut funcs: HashMap<&'static str, FnStat> = HashMap::new();
        let mut edges: HashMap<(Option<&'static str>, &'static str), FnStat> = HashMap::new();
        let mut counters: HashMap<&'static str, u64> = HashMap::new();
        for t in lock(&REGISTRY).iter() {
            let t = lock(t);
            for ((p, c), e) in &t.edges {
                funcs.entry(c.0).or_default().add(e);
                edges.entry((p.map(|k| k.0), c.0)).or_default().add(e);
            }
            for (k, n) in &t.counters {
                *counters.entry(k.0).or_default() += n;
            }
        }
        let mut rows: Vec<Row> = funcs
            .into_iter()
            .map(|(name, f)| Row {
                name: name.to_string(),
                ncalls: f.ncalls,
                primitive_calls: f.primitive,
                self_ns: f.self_ns,
                cum_ns: f.cum_ns,
            })
            .collect();
        rows.sort_by(|a, b| b.cum_ns.cmp(&a.cum_ns).then_with(|| a.name.cmp(&b.name)));
        let mut edges: Vec<Edge> = edges
            .into_iter()
            .map(|((caller, callee), e)| Edge {
                caller: caller.map(str::to_string),
                callee: callee.to_string(),
                ncalls: e.ncalls,
                cum_ns: e.cum_ns,
            })
            .collect();
        edges.sort_by(|a, b| b.cum_ns.cmp(&a.cum_ns).then_with(|| (&a.caller, &a.callee).cmp(&(&b.caller, &b.callee))));
        let mut counters: Vec<Counter> =
            counters.into_iter().map(|(name, value)| Counter { name: name.to_string(), value }).collect();
        counters.sort_by(|a, b| a.name.cmp(&b.name));
        Report { rows, edges, counters }
    }
}

#[inline(never)]
fn count_active(name: &'static str, n: u64) {
    let _ = LOCAL.try_with(|l| {
        let l = l.borrow();
        let mut t = lock(&l.table);
        let c = t.counters.entry(Key(name)).or_default();
        *c = c.saturating_add(n);
    });
}

/// One scope name's totals in a [`Report`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Row {
    /// The scope's name.
    pub name: String,
    /// Times the scope was entered (and closed).
    pub ncalls: u64,
    /// Calls that were not inside another activation of the same scope (cProfile's `3/1`).
    pub primitive_calls: u64,
    /// Time inside the scope but outside the scopes opened within it (cProfile's `tottime`).
    pub self_ns: u64,
    /// Time inside the scope, counted once per outermost activation (cProfile's `cumtime`).
    pub cum_ns: u64,
}

impl Row {
    /// Self time.
    pub fn self_time(&self) -> Duration {
        Duration::from_nanos(self.self_ns)
    }
    /// Cumulative time.
    pub fn cum_time(&self) -> Duration {
        Duration::from_nanos(self.cum_ns)
    }
}

/// Calls and cumulative time from one scope (`caller`, `None` at the top level) into another.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Edge {
    /// The enclosing scope, `None` for a top-level scope.
    pub caller: Option<String>,
    /// The inner scope.
    pub callee: String,
    /// Calls along this edge.
    pub ncalls: u64,
    /// Cumulative time of the callee's non-recursive activations along this edge.
    pub cum_ns: u64,
}

/// A named event count from `count!`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Counter {
    /// The counter's name.
    pub name: String,
    /// Its total.
    pub value: u64,
}

/// The profiler's results: rows sorted by cumulative time, call edges and counters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Report {
    rows: Vec<Row>,
    edges: Vec<Edge>,
    counters: Vec<Counter>,
}

impl Report {
    /// One row per scope name, sorted by cumulative time (largest first).
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }
    /// The row of `name`.
    pub fn row(&self, name: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.name == name)
    }
    /// Every caller -> callee edge, largest cumulative time first.
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }
    /// The edges into `name` (who called it).
    pub fn callers(&self, name: &str) -> Vec<&Edge> {
        self.edges.iter().filter(|e| e.callee == name).collect()
    }
    /// The edges out of `name` (what it called).
    pub fn callees(&self, name: &str) -> Vec<&Edge> {
        self.edges.iter().filter(|e| e.caller.as_deref() == Some(name)).collect()
    }
    /// Every counter, by name.
    pub fn counters(&self) -> &[Counter] {
        &self.counters
    }
    /// The value of counter `name`.
    pub fn counter(&self, name: &str) -> Option<u64> {
        self.counters.iter().find(|c| c.name == name).map(|c| c.value)
    }
    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.counters.is_empty()
    }

    /// The rows as CSV (`name,ncalls,primitive_calls,self_s,cum_s`), then one
    /// `counter:<name>,<value>,,,` line per counter.
    pub fn to_csv(&self) -> String {
        let mut s = String::from("name,ncalls,primitive_calls,self_s,cum_s\n");
        for r in &self.rows {
            s += &format!(
                "{},{},{},{},{}\n",
                csv_field(&r.name),
                r.ncalls,
                r.primitive_calls,
                r.self_time().as_secs_f64(),
                r.cum_time().as_secs_f64()
            );
        }
        for c in &self.counters {
            s += &format!("{},{},,,\n", csv_field(&format!("counter:{}", c.name)), c.value);
        }
        s
    }

    /// The whole report (rows, edges, counters) as one JSON object.
    #[cfg(feature = "serde")]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

impl fmt::Display for Report {
    /// cProfile's layout: `ncalls tottime percall cumtime percall name`, then the counters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{:>12} {:>10} {:>10} {:>10} {:>10}  name", "ncalls", "tottime", "percall", "cumtime", "percall")?;
        for r in &self.rows {
            let calls = if r.primitive_calls == r.ncalls {
                r.ncalls.to_string()
            } else {
                format!("{}/{}", r.ncalls, r.primitive_calls)
            };
            let (tot, cum) = (r.self_time().as_secs_f64(), r.cum_time().as_secs_f64());
            writeln!(
                f,
                "{calls:>12} {tot:>10.6} {:>10.6} {cum:>10.6} {:>10.6}  {}",
                tot / r.ncalls.max(1) as f64,
                cum / r.primitive_calls.max(1) as f64,
                r.name
            )?;
        }
        for c in &self.counters {
            writeln!(f, "{:>12}  count {}", c.value, c.name)?;
        }
        Ok(())
    }
}
