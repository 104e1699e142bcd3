//! The `compact_text` subcommands: `tokens build|stats|contains|prefix|fuzzy` and `match`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use ferdelance::compact_text::{self as ct, Builder, Matcher, Pattern, StoreKind, TokenSet, TokenStore};
use serde_json::json;

use super::{CliError, Global, Output};

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Cmd {
    /// Compact token stores (chapter 11): build, inspect and query.
    Tokens {
        #[command(subcommand)]
        cmd: TokensCmd,
    },
    /// Find keyword patterns in a text or stream (chapter 12's keyword matcher, with a
    /// hashed-window prefilter).
    ///
    /// The pattern file has one keyword per line; `keyword<TAB>regex` also requires the regex
    /// to match at the keyword's start. Text output: `start end pattern` per match.
    Match {
        /// Pattern file (UTF-8).
        #[arg(long, value_name = "FILE")]
        patterns: PathBuf,
        /// Input file, or `-` for standard input (read in 64 KiB chunks).
        #[arg(default_value = "-")]
        input: String,
        /// Only whole-word matches.
        #[arg(long)]
        whole_word: bool,
        /// ASCII case-insensitive keywords.
        #[arg(long)]
        ignore_case: bool,
    },
}

#[derive(Debug, clap::Subcommand)]
pub(crate) enum TokensCmd {
    /// Build a store from INPUT (one token per line, or `--tokens` to split text); the
    /// global `--backend` names the store: fst (default), front-coded, sorted, succinct,
    /// compressed (smallest), indexed (fastest), radix (mutable), hash.
    Build {
        /// Input file, or `-` for standard input.
        input: String,
        /// Output store file.
        #[arg(short, long, value_name = "STORE")]
        output: PathBuf,
        /// Split the input on whitespace (the book's tokenizer) instead of taking lines.
        #[arg(long)]
        tokens: bool,
    },
    /// Print the store's kind, key count, bytes, bytes per key and build time (the time to
    /// rebuild these keys now).
    Stats {
        /// Store file.
        store: PathBuf,
    },
    /// Whether each TOKEN is in the store (exit 0 either way).
    Contains {
        /// Store file.
        store: PathBuf,
        /// Tokens to look up.
        #[arg(required = true)]
        tokens: Vec<String>,
    },
    /// List keys starting with P, in byte order.
    Prefix {
        /// Store file.
        store: PathBuf,
        /// The prefix.
        prefix: String,
        /// At most this many keys.
        #[arg(long)]
        limit: Option<usize>,
    },
    /// List keys within a Levenshtein distance (in bytes) of WORD.
    Fuzzy {
        /// Store file.
        store: PathBuf,
        /// The word.
        word: String,
        /// Maximum edits.
        #[arg(long, default_value_t = 1)]
        distance: u32,
    },
}

pub(crate) fn run(cmd: Cmd, global: &Global) -> Result<Output, CliError> {
    match cmd {
        Cmd::Tokens { cmd } => tokens(cmd, global),
        Cmd::Match { patterns, input, whole_word, ignore_case } => {
            run_match(&patterns, &input, whole_word, ignore_case, global)
        }
    }
}

fn read_input(input: &str) -> Result<Vec<u8>, CliError> {
    if input == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map_err(|e| CliError::runtime(format!("reading stdin: {e}")))?;
        Ok(buf)
    } else {
        std::fs::read(input).map_err(|e| CliError::runtime(format!("cannot read {input}: {e}")))
    }
}

#[cfg(feature = "mmap")]
type Loaded = TokenStore<ct::MappedFile>;
#[cfg(not(feature = "mmap"))]
type Loaded = TokenStore<Vec<u8>>;

/// Opens a store (through a memory map when the `mmap` feature is on).
fn load(path: &Path) -> Result<Loaded, CliError> {
    let err = |e: ct::Error| CliError::runtime(format!("{}: {e}", path.display()));
    #[cfg(feature = "mmap")]
    {
        ct::open_mmap(path).map_err(err)
    }
    #[cfg(not(feature = "mmap"))]
    {
        let bytes =
            std::fs::read(path).map_err(|e| CliError::runtime(format!("cannot read {}: {e}", path.display())))?;
        TokenStore::from_bytes(bytes).map_err(err)
    }
}

fn text(k: &[u8]) -> String {
    String::from_utf8_lossy(k).into_owned()
}

fn store_kind(global: &Global) -> Result<StoreKind, CliError> {
    match &global.backend {
        None => Ok(StoreKind::Fst),
        Some(name) => name.parse().map_err(|e: ct::Error| CliError::usage(format!("--backend: {e}"))),
    }
}

fn tokens(cmd: TokensCmd, global: &Global) -> Result<Output, CliError> {
    match cmd {
        TokensCmd::Build { input, output, tokens } => {
            let kind = store_kind(global)?;
            let data = read_input(&input)?;
            let started = Instant::now();
            let builder = Builder::new(kind);
            let store = if tokens {
                builder.build_text(&data)
            } else {
                builder.build(
                    data.split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l)).filter(|l| !l.is_empty()),
                )
            }
            .map_err(|e| CliError::runtime(e.to_string()))?;
            let build_s = started.elapsed().as_secs_f64();
            let file = std::fs::File::create(&output)
                .map_err(|e| CliError::runtime(format!("cannot create {}: {e}", output.display())))?;
            store
                .write_to(std::io::BufWriter::new(file))
                .map_err(|e| CliError::runtime(format!("{} is incomplete: {e}", output.display())))?;
            Ok(stats_output(&store, build_s, Some(&output)))
        }
        TokensCmd::Stats { store } => {
            let s = load(&store)?;
            let keys = s.to_sorted_vec();
            let started = Instant::now();
            Builder::new(s.kind()).build_sorted(&keys).map_err(|e| CliError::runtime(e.to_string()))?;
            let build_s = started.elapsed().as_secs_f64();
            Ok(stats_output(&s, build_s, None))
        }
        TokensCmd::Contains { store, tokens } => {
            let s = load(&store)?;
            let backend = global.compute_backend()?;
            let keys: Vec<&[u8]> = tokens.iter().map(|t| t.as_bytes()).collect();
            let found = ct::contains_batch(&s, &keys, backend).map_err(|e| CliError::usage(e.to_string()))?;
            let mut out = String::new();
            for (t, f) in tokens.iter().zip(&found) {
                out.push_str(&format!("{t}\t{}\n", if *f { "yes" } else { "no" }));
            }
            let results: Vec<_> = tokens.iter().zip(&found).map(|(t, f)| json!({"token": t, "found": f})).collect();
            Ok(Output::report(json!({ "results": results }), out))
        }
        TokensCmd::Prefix { store, prefix, limit } => {
            let s = load(&store)?;
            let limit = limit.unwrap_or(usize::MAX);
            let mut keys = Vec::new();
            let mut truncated = false;
            s.visit_prefix(prefix.as_bytes(), &mut |k| {
                if keys.len() == limit {
                    truncated = true;
                    return false;
                }
                keys.push(text(k));
                true
            });
            let body: String = keys.iter().map(|k| format!("{k}\n")).collect();
            Ok(Output::report(json!({"prefix": prefix, "keys": keys, "truncated": truncated}), body))
        }
        TokensCmd::Fuzzy { store, word, distance } => {
            if distance > 8 {
                return Err(CliError::usage("--distance: at most 8 edits"));
            }
            let s = load(&store)?;
            let keys: Vec<String> = s.fuzzy(word.as_bytes(), distance).iter().map(|k| text(k)).collect();
            let body: String = keys.iter().map(|k| format!("{k}\n")).collect();
            Ok(Output::report(json!({"word": word, "distance": distance, "keys": keys}), body))
        }
    }
}

fn stats_output<S: TokenSet>(s: &S, build_s: f64, output: Option<&Path>) -> Output {
    let (keys, bytes) = (s.len(), s.heap_bytes());
    let json = json!({
        "backend": s.kind().name(),
        "keys": keys,
        "bytes": bytes,
        "bytes_per_key": s.bytes_per_key(),
        "build_s": build_s,
    });
    let mut text = format!(
        "{}: {keys} keys in {bytes} bytes ({:.2} bytes/key), built in {build_s:.3} s",
        s.kind(),
        s.bytes_per_key()
    );
    if let Some(p) = output {
        text.push_str(&format!("; wrote {}", p.display()));
    }
    Output::report(json, text)
}

fn run_match(
    patterns: &Path,
    input: &str,
    whole_word: bool,
    ignore_case: bool,
    global: &Global,
) -> Result<Output, CliError> {
    let raw =
        std::fs::read(patterns).map_err(|e| CliError::runtime(format!("cannot read {}: {e}", patterns.display())))?;
    let src = String::from_utf8(raw).map_err(|e| {
        CliError::usage(format!("{}: not UTF-8 (byte {})", patterns.display(), e.utf8_error().valid_up_to()))
    })?;
    let mut names = Vec::new();
    let mut list = Vec::new();
    for line in src.lines().filter(|l| !l.is_empty()) {
        let (kw, re) = match line.split_once('\t') {
            Some((k, r)) => (k, Some(r)),
            None => (line, None),
        };
        let mut p = Pattern::literal(kw).whole_word(whole_word).case_insensitive(ignore_case);
        if let Some(r) = re {
            p = p.verify(r);
        }
        names.push(kw.to_string());
        list.push(p);
    }
    if list.is_empty() {
        return Err(CliError::usage(format!("{}: no patterns", patterns.display())));
    }
    let matcher = Matcher::new(list).map_err(|e| CliError::usage(format!("{}: {e}", patterns.display())))?;
    let matcher = Arc::new(matcher);
    let mut reader: Box<dyn Read> = if input == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(input).map_err(|e| CliError::runtime(format!("cannot read {input}: {e}")))?)
    };
    let mut stream = matcher.stream();
    let mut buf = vec![0u8; 64 << 10];
    let mut found = Vec::new();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut emit = |found: &mut Vec<ct::Match>| -> Result<(), CliError> {
        for m in found.drain(..) {
            let name = &names[m.pattern];
            let res = if global.json {
                writeln!(out, "{}", json!({"pattern": name, "start": m.start, "end": m.end}))
            } else {
                writeln!(out, "{}\t{}\t{name}", m.start, m.end)
            };
            res.map_err(|e| CliError::runtime(format!("writing stdout: {e}")))?;
        }
        Ok(())
    };
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(CliError::runtime(format!("reading {input}: {e}"))),
        };
        stream.feed(&buf[..n], &mut found);
        emit(&mut found)?;
    }
    stream.finish(&mut found);
    emit(&mut found)?;
    out.flush().map_err(|e| CliError::runtime(format!("writing stdout: {e}")))?;
    Ok(Output::Done(0))
}
