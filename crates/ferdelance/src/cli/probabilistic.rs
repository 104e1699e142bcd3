//! The `probabilistic` subcommand: `ferdelance distinct`.

use std::collections::HashSet;
use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

use ferdelance::probabilistic::{
    self as prob, AnySketch, ErrorKind, HyperLogLog, HyperLogLogPlus, Kmv, LogLog, MorrisCounter, ScalableBloomFilter,
    Sketch, SuperLogLog,
    text::{self, Units},
};
use serde_json::json;

use super::{CliError, Global, Output, Progress};

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Cmd {
    /// Count the distinct lines (default) or tokens of a file or stdin with a sketch.
    ///
    /// `--save` writes the sketch (versioned, checksummed bytes); `--merge` folds saved
    /// sketches in: build per shard, merge anywhere. `--json` prints {"sketch", "estimate",
    /// "lower", "upper", "items", "heap_bytes", "elapsed_s", "bytes_per_s"}; lower/upper are
    /// the estimate ± 1.96 standard errors (~95%).
    Distinct(DistinctArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct DistinctArgs {
    /// The input file, or `-` for stdin (the default unless only `--merge` is given).
    file: Option<PathBuf>,
    /// hll, hll++, kmv, loglog, superloglog, bloom (scalable), morris (counts all items), exact.
    #[arg(long, value_name = "KIND")]
    sketch: Option<String>,
    /// Precision p (2^p registers) for hll, hll++, loglog, superloglog: 4..=18.
    #[arg(long, default_value_t = 14, value_name = "P")]
    precision: u8,
    /// k for kmv (at least 3).
    #[arg(long, default_value_t = 1024, value_name = "K")]
    k: usize,
    /// Count lines (the default).
    #[arg(long, conflicts_with = "tokens")]
    lines: bool,
    /// Count tokens: runs of [A-Za-z0-9_].
    #[arg(long)]
    tokens: bool,
    /// Write the sketch to this file.
    #[arg(long, value_name = "FILE")]
    save: Option<PathBuf>,
    /// Fold these saved sketches in.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    merge: Vec<PathBuf>,
    /// Read the file in blocks instead of mapping it into memory. Mapping (the default for
    /// files) saves copying every byte, but the file must not be truncated while it is read.
    #[arg(long)]
    no_mmap: bool,
}

pub(crate) fn run(cmd: Cmd, global: &Global) -> Result<Output, CliError> {
    match cmd {
        Cmd::Distinct(args) => distinct(args, global),
    }
}

/// What is being counted with.
enum Counter {
    Sketch(AnySketch),
    Morris(MorrisCounter),
    Exact(HashSet<Box<[u8]>>),
}

fn lib_err(e: prob::Error) -> CliError {
    match e.kind() {
        ErrorKind::InvalidParameter { .. } | ErrorKind::BackendUnavailable(_) => CliError::usage(e.to_string()),
        _ => CliError::runtime(e.to_string()),
    }
}

fn make(kind: &str, p: u8, k: usize) -> Result<Counter, CliError> {
    Ok(Counter::Sketch(match kind {
        "hll" => AnySketch::Hll(HyperLogLog::new(p).map_err(lib_err)?),
        "hll++" => AnySketch::HllPlus(HyperLogLogPlus::new(p).map_err(lib_err)?),
        "kmv" => AnySketch::Kmv(Kmv::new(k).map_err(lib_err)?),
        "loglog" => AnySketch::LogLog(LogLog::new(p).map_err(lib_err)?),
        "superloglog" => AnySketch::SuperLogLog(SuperLogLog::new(p).map_err(lib_err)?),
        "bloom" => AnySketch::ScalableBloom(ScalableBloomFilter::new(1 << 16, 0.001).map_err(lib_err)?),
        "morris" => return Ok(Counter::Morris(MorrisCounter::new(0x5eed))),
        "exact" => return Ok(Counter::Exact(HashSet::new())),
        other => {
            return Err(CliError::usage(format!(
                "--sketch: unknown `{other}` (hll, hll++, kmv, loglog, superloglog, bloom, morris, exact)"
            )));
        }
    }))
}

fn load(path: &PathBuf) -> Result<AnySketch, CliError> {
    let bytes = std::fs::read(path).map_err(|e| CliError::runtime(format!("cannot read {}: {e}", path.display())))?;
    AnySketch::from_bytes(&bytes).map_err(|e| CliError::runtime(format!("{}: {e}", path.display())))
}

/// Bytes read per block; each block is cut after its last line end and the rest carried over.
const BLOCK: usize = 16 << 20;

/// Bytes per piece of a mapped file.
const MAP_PIECE: usize = 64 << 20;

/// Where the text comes from.
enum Source {
    Stdin,
    File(std::fs::File),
}

/// Reads one block: fills `buf` (which holds `carried` bytes from the last block) with up to
/// [`BLOCK`] more bytes; returns the bytes read and whether the input ended.
fn fill(input: &mut dyn Read, buf: &mut Vec<u8>) -> std::io::Result<(usize, bool)> {
    let carried = buf.len();
    // `read_to_end` fills spare capacity without zeroing it first.
    buf.reserve(BLOCK);
    input.take(BLOCK as u64).read_to_end(buf)?;
    let read = buf.len() - carried;
    Ok((read, read < BLOCK))
}

/// The length of the part of `buf` that ends after its last line end (all of it at the end of
/// the input), so no line or token is cut between blocks.
fn cut(buf: &[u8], eof: bool) -> usize {
    if eof { buf.len() } else { buf.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) }
}

/// Calls `f` on the input in blocks cut at line ends; `on_read` gets the byte count of each
/// read. With `overlap`, a second thread reads the next block while `f` works on this one
/// (two buffers in turn); otherwise one thread reads and works in turn.
fn for_each_block(
    source: Source,
    name: &str,
    overlap: bool,
    mut on_read: impl FnMut(u64),
    mut f: impl FnMut(&[u8]) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let io = |e: std::io::Error| CliError::runtime(format!("reading {name}: {e}"));
    let open = |s: Source| -> Box<dyn Read> {
        match s {
            Source::Stdin => Box::new(std::io::stdin().lock()),
            Source::File(file) => Box::new(file),
        }
    };
    if !overlap {
        let mut input = open(source);
        let mut buf: Vec<u8> = Vec::with_capacity(BLOCK + 4096);
        loop {
            let (read, eof) = fill(&mut input, &mut buf).map_err(io)?;
            on_read(read as u64);
            let n = cut(&buf, eof);
            f(&buf[..n])?;
            buf.drain(..n);
            if eof {
                return Ok(());
            }
        }
    }
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<std::io::Result<(Vec<u8>, usize, usize, bool)>>(1);
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Vec<u8>>();
    let _ = empty_tx.send(Vec::with_capacity(BLOCK + 4096));
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut input = open(source);
            let mut carry: Vec<u8> = Vec::new();
            while let Ok(mut buf) = empty_rx.recv() {
                buf.clear();
                buf.extend_from_slice(&carry);
                let got = fill(&mut input, &mut buf);
                let done = !matches!(got, Ok((_, false)));
                let msg = got.map(|(read, eof)| {
                    let n = cut(&buf, eof);
                    carry.clear();
                    carry.extend_from_slice(&buf[n..]);
                    (buf, read, n, eof)
                });
                if full_tx.send(msg).is_err() || done {
                    return;
                }
            }
        });
        // Two buffers in turn: one filling, one being counted.
        let _ = empty_tx.send(Vec::with_capacity(BLOCK + 4096));
        while let Ok(msg) = full_rx.recv() {
            let (buf, read, n, eof) = msg.map_err(io)?;
            on_read(read as u64);
            f(&buf[..n])?;
            if eof {
                break;
            }
            let _ = empty_tx.send(buf);
        }
        drop(empty_tx);
        Ok(())
    })
}

fn distinct(args: DistinctArgs, global: &Global) -> Result<Output, CliError> {
    let backend = global.compute_backend()?;
    let units = if args.tokens { Units::Tokens } else { Units::Lines };
    let merged: Vec<AnySketch> = args.merge.iter().map(load).collect::<Result<_, _>>()?;
    let kind = match (&args.sketch, merged.first()) {
        (Some(k), _) => k.to_ascii_lowercase(),
        (None, Some(first)) => first.name().replace("scalable-bloom", "bloom"),
        (None, None) => "hll".to_string(),
    };
    let mut counter = make(&kind, args.precision, args.k)?;
    if let (Counter::Sketch(AnySketch::Hll(h)), Some(AnySketch::Hll(m))) = (&mut counter, merged.first()) {
        // Take the saved sketch's precision when none was asked for.
        if h.precision() != m.precision() && args.sketch.is_none() {
            *h = HyperLogLog::with_hash(m.precision(), m.hash_kind()).map_err(lib_err)?;
        }
    }
    if !matches!(counter, Counter::Sketch(_)) && (!merged.is_empty() || args.save.is_some()) {
        return Err(CliError::usage(format!("--sketch {kind} cannot be saved or merged")));
    }

    let started = Instant::now();
    let read_input = args.file.is_some() || merged.is_empty();
    let (mut items, mut bytes) = (0u64, 0u64);
    if read_input {
        let path = args.file.clone().unwrap_or_else(|| PathBuf::from("-"));
        let (source, len) = if path.as_os_str() == "-" {
            (Source::Stdin, None)
        } else {
            let f = std::fs::File::open(&path)
                .map_err(|e| CliError::runtime(format!("cannot open {}: {e}", path.display())))?;
            let len = f.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
            (Source::File(f), len)
        };
        let mut progress = len.map(|l| Progress::new(l, "distinct"));
        // A regular, non-empty file is mapped (no copy into a buffer) unless told otherwise;
        // if mapping fails it is read like any other input.
        let mapped = match len {
            Some(l) if l > 0 && !args.no_mmap => ferdelance::compact_text::MappedFile::open(&path).ok(),
            _ => None,
        };
        if let Some(map) = &mapped {
            // Pieces of about MAP_PIECE bytes cut after a line end; each is counted in parallel
            // chunks by the library (and moves the progress bar).
            for piece in ferdelance::probabilistic::text::split_chunks_of(map.as_ref(), MAP_PIECE) {
                items += feed(&mut counter, piece, units, backend)?;
                bytes += piece.len() as u64;
                if let Some(p) = progress.as_mut() {
                    p.inc(piece.len() as u64);
                }
            }
        }
        // Overlap reading with counting when there are threads to spare.
        let overlap = global.threads() > 1;
        if mapped.is_none() {
            for_each_block(
                source,
                &path.display().to_string(),
                overlap,
                |read| {
                    bytes += read;
                    if let Some(p) = progress.as_mut() {
                        p.inc(read);
                    }
                },
                |block| {
                    items += feed(&mut counter, block, units, backend)?;
                    Ok(())
                },
            )?;
        }
        if let Some(p) = progress {
            p.finish();
        }
    }
    for m in &merged {
        if let Counter::Sketch(s) = &mut counter {
            s.merge(m).map_err(|e| CliError::runtime(e.to_string()))?;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();

    let (estimate, lower, upper, heap) = match &counter {
        Counter::Sketch(s) => {
            let e = s.estimate().unwrap_or(f64::NAN);
            let (lo, hi) = s.bounds(1.96).unwrap_or((e, e));
            (e, lo, hi, s.heap_bytes())
        }
        Counter::Morris(m) => {
            let e = m.estimate();
            (e, e * (1.0 - 1.96 * 0.5f64.sqrt()).max(0.0), e * (1.0 + 1.96 * 0.5f64.sqrt()), 1)
        }
        Counter::Exact(set) => {
            let n = set.len() as f64;
            let heap = set.iter().map(|b| b.len() + 16).sum::<usize>() + set.capacity() * 16;
            (n, n, n, heap)
        }
    };
    if let (Some(path), Counter::Sketch(s)) = (&args.save, &counter) {
        std::fs::write(path, s.to_bytes())
            .map_err(|e| CliError::runtime(format!("cannot write {}: {e}", path.display())))?;
    }
    let name = match &counter {
        Counter::Sketch(s) => s.name(),
        Counter::Morris(_) => "morris",
        Counter::Exact(_) => "exact",
    };
    let bytes_per_s = if elapsed > 0.0 { bytes as f64 / elapsed } else { 0.0 };
    let json = json!({
        "sketch": name,
        "estimate": estimate,
        "lower": lower,
        "upper": upper,
        "items": items,
        "heap_bytes": heap,
        "elapsed_s": elapsed,
        "bytes_per_s": bytes_per_s,
    });
    let what = if units == Units::Tokens { "tokens" } else { "lines" };
    let text = format!(
        "{estimate:.0} distinct {what} (95%: {lower:.0} .. {upper:.0}) by {name}, {items} {what} read, \
         {heap} heap bytes, {elapsed:.3} s ({:.1} MB/s)\n",
        bytes_per_s / 1e6
    );
    Ok(Output::report(json, text))
}

fn feed(counter: &mut Counter, text: &[u8], units: Units, backend: prob::Backend) -> Result<u64, CliError> {
    match counter {
        Counter::Sketch(s) => s.extend_text(text, units, backend).map_err(lib_err),
        Counter::Morris(m) => Ok(text::for_each_unit(text, units, |_| m.add())),
        Counter::Exact(set) => Ok(text::for_each_unit(text, units, |item| {
            if !set.contains(item) {
                set.insert(item.into());
            }
        })),
    }
}
