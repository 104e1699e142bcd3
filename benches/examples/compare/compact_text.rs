//! Peer comparison for `compact-text`, on one synthetic corpus of 5 million distinct tokens
//! (500 thousand with `--quick`): build time (one thread), `contains` time and bytes per key
//! against Python `marisa-trie` and `datrie` (the book's peers), `rsmarisa` (marisa-trie's
//! pure-Rust port), Python `set`, the `fst` crate used raw, and Rust's `HashSet<String>`; and
//! the matcher with 1,000 literal keywords over a Zipf text against the `aho-corasick` crate
//! used raw.

use std::collections::HashSet;
use std::process::Command;
use std::time::Instant;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use ferdelance::compact_text::{Backend, Builder, Matcher, Pattern, StoreKind, TokenSet, corpus};

use crate::{Comparison, Ctx, Row, best_of};

/// Runs a Python snippet that prints `build_s lookup_s bytes` on its last line.
fn python_triple(ctx: &Ctx, code: &str) -> Result<(f64, f64, f64), String> {
    let py = ctx.python.as_ref().ok_or("no Python venv (run through `cargo xtask compare`)")?;
    let out = Command::new(py).arg("-c").arg(code).output().map_err(|e| format!("python: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!("python failed: {}", err.lines().last().unwrap_or("")));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let nums: Vec<f64> =
        text.trim().lines().last().unwrap_or("").split_whitespace().filter_map(|x| x.parse().ok()).collect();
    match nums[..] {
        [a, b, c] => Ok((a, b, c)),
        _ => Err(format!("python printed `{}`", text.trim())),
    }
}

pub(crate) fn run(ctx: &Ctx) -> Comparison {
    let n = if ctx.quick { 500_000 } else { 5_000_000 };
    let vocab = corpus::unique_tokens(n, 2014);
    let mut rng = corpus::Rng::new(7);
    let others = corpus::unique_tokens(n / 50, 99);
    let probes: Vec<&str> = (0..1_000_000)
        .map(|i| if i % 5 == 4 { others[rng.below(others.len())].as_str() } else { vocab[rng.zipf(n)].as_str() })
        .collect();
    let dir = std::env::temp_dir();
    let words_path = dir.join("ferdelance-compact-text-words.txt");
    let probes_path = dir.join("ferdelance-compact-text-probes.txt");
    let _ = std::fs::write(&words_path, vocab.join("\n"));
    let _ = std::fs::write(&probes_path, probes.join("\n"));
    let case_build = format!("build {}M distinct tokens, 1 thread", n as f64 / 1e6);
    let case_lookup = format!("contains x {}M probes (80% hits)", probes.len() / 1_000_000);
    let mut rows = Vec::new();

    // Ours: every store, one thread (scalar sort), build once (it is seconds long) and lookups best-of.
    let mut ours = Vec::new();
    let mut want_hits = None;
    for &kind in &[
        StoreKind::Fst,
        StoreKind::Compressed,
        StoreKind::Succinct,
        StoreKind::FrontCoded,
        StoreKind::Sorted,
        StoreKind::Indexed,
        StoreKind::Hash,
    ] {
        let t = Instant::now();
        let store = Builder::new(kind).backend(Backend::Scalar).build(&vocab).expect("build");
        let build_s = t.elapsed().as_secs_f64();
        let hits = probes.iter().filter(|p| store.contains(p.as_bytes())).count();
        let look_s = best_of(|| probes.iter().filter(|p| store.contains(p.as_bytes())).count());
        println!(
            "  compact-text {kind}: {:.2} B/key, build {build_s:.2} s, lookup {look_s:.3} s ({hits} hits)",
            store.bytes_per_key()
        );
        ours.push((kind, build_s, look_s, store.bytes_per_key()));
        assert_eq!(*want_hits.get_or_insert(hits), hits, "our stores disagree on the probes");
    }
    let want_hits = want_hits.unwrap_or_default();
    let store = |kind: StoreKind| ours.iter().find(|o| o.0 == kind).copied().expect("every store was built");

    // Rust HashSet<String>.
    let t = Instant::now();
    let std_set: HashSet<String> = vocab.iter().cloned().collect();
    let std_build = t.elapsed().as_secs_f64();
    let std_look = best_of(|| probes.iter().filter(|p| std_set.contains(**p)).count());
    let buckets = (std_set.capacity() * 8 / 7).next_power_of_two();
    let std_bytes = (buckets * 25 + 16 + vocab.iter().map(String::len).sum::<usize>()) as f64 / n as f64;
    drop(std_set);

    // The fst crate used raw: sort, dedup, Set::from_iter.
    let t = Instant::now();
    let mut sorted: Vec<&str> = vocab.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let raw_fst = fst::Set::from_iter(sorted.iter()).expect("fst");
    let fst_build = t.elapsed().as_secs_f64();
    let fst_look = best_of(|| probes.iter().filter(|p| raw_fst.contains(p)).count());
    let fst_bytes = raw_fst.as_fst().as_bytes().len() as f64 / n as f64;
    drop(sorted);

    let py = |lib: &str, make: &str, size: &str| {
        format!(
            "import time, sys\n{lib}\nwords = open(r'{}', encoding='utf-8').read().split('\\n')\n\
             probes = open(r'{}', encoding='utf-8').read().split('\\n')\n\
             t = time.perf_counter(); s = {make}; build = time.perf_counter() - t\n\
             best = 1e9\nfor _ in range(3):\n    t = time.perf_counter(); h = sum(1 for p in probes if p in s); best = min(best, time.perf_counter() - t)\n\
             print(build, best, {size})\n",
            words_path.display(),
            probes_path.display()
        )
    };
    let marisa = python_triple(ctx, &py("import marisa_trie", "marisa_trie.Trie(words)", "len(s.tobytes())"));
    let pyset = python_triple(ctx, &py("", "set(words)", "sys.getsizeof(s) + sum(sys.getsizeof(w) for w in words)"));
    let (m_build, m_look, m_bytes) = match &marisa {
        Ok((b, l, bytes)) => (Some(*b), Some(*l), Some(bytes / n as f64)),
        Err(_) => (None, None, None),
    };
    let m_note = |ours_bpk: f64| match (&marisa, m_bytes) {
        (Ok(_), Some(mb)) => format!("B/key: ours {ours_bpk:.2}, marisa {mb:.2} (ours/marisa {:.2}x)", ours_bpk / mb),
        (Err(e), _) => format!("skipped: {e}"),
        _ => String::new(),
    };
    for &(kind, build_s, look_s, bpk) in &ours {
        if kind == StoreKind::Hash {
            continue;
        }
        rows.push(Row {
            case: case_build.clone(),
            ours: format!("compact-text {kind}"),
            ours_s: build_s,
            peer: "marisa-trie (Python/C++)".into(),
            peer_s: m_build,
            note: m_note(bpk),
        });
        rows.push(Row {
            case: case_lookup.clone(),
            ours: format!("compact-text {kind}"),
            ours_s: look_s,
            peer: "marisa-trie (Python/C++)".into(),
            peer_s: m_look,
            note: "peer time includes the Python loop".into(),
        });
    }
    let (_, fst_kind_build, fst_kind_look, fst_kind_bpk) = store(StoreKind::Fst);
    rows.push(Row {
        case: case_build.clone(),
        ours: "compact-text fst".into(),
        ours_s: fst_kind_build,
        peer: "fst crate used raw".into(),
        peer_s: Some(fst_build),
        note: format!("B/key: ours {fst_kind_bpk:.2}, raw fst {fst_bytes:.2}"),
    });
    rows.push(Row {
        case: case_lookup.clone(),
        ours: "compact-text fst".into(),
        ours_s: fst_kind_look,
        peer: "fst crate used raw".into(),
        peer_s: Some(fst_look),
        note: String::new(),
    });
    for &(kind, build_s, look_s, bpk) in &ours {
        rows.push(Row {
            case: case_lookup.clone(),
            ours: format!("compact-text {kind}"),
            ours_s: look_s,
            peer: "HashSet<String> (Rust std)".into(),
            peer_s: Some(std_look),
            note: format!("B/key: ours {bpk:.2}, HashSet {std_bytes:.2} ({:.0}%)", 100.0 * bpk / std_bytes),
        });
        if kind == StoreKind::Fst {
            rows.push(Row {
                case: case_build.clone(),
                ours: format!("compact-text {kind}"),
                ours_s: build_s,
                peer: "HashSet<String> (Rust std)".into(),
                peer_s: Some(std_build),
                note: String::new(),
            });
        }
    }
    match &pyset {
        Ok((b, l, bytes)) => {
            let (b, l, bytes) = (*b, *l, *bytes);
            rows.push(Row {
                case: case_build.clone(),
                ours: "compact-text fst".into(),
                ours_s: fst_kind_build,
                peer: "Python set".into(),
                peer_s: Some(b),
                note: format!("B/key: ours {fst_kind_bpk:.2}, Python set {:.1}", bytes / n as f64),
            });
            rows.push(Row {
                case: case_lookup.clone(),
                ours: "compact-text fst".into(),
                ours_s: fst_kind_look,
                peer: "Python set".into(),
                peer_s: Some(l),
                note: "peer time includes the Python loop".into(),
            });
        }
        Err(e) => rows.push(Row {
            case: case_lookup.clone(),
            ours: "compact-text fst".into(),
            ours_s: fst_kind_look,
            peer: "Python set".into(),
            peer_s: None,
            note: format!("skipped: {e}"),
        }),
    }
    // The book's other peer: datrie (a double-array trie over the corpus's own alphabet, keys
    // inserted in sorted order, its fastest); its size is that of its saved file. Its inserts
    // grow superlinearly: 288k sorted keys took 15.7 s here and 5M did not finish in 9 minutes,
    // so it runs on the `--quick` corpus only.
    let datrie = if ctx.quick {
        python_triple(
            ctx,
            &py(
                "import datrie, os, tempfile\n\
                 def make(words):\n    t = datrie.BaseTrie(''.join(sorted(set(''.join(words)))))\n    \
                 for w in sorted(words):\n        t[w] = 0\n    return t\n\
                 def size(t):\n    f = tempfile.NamedTemporaryFile(delete=False); f.close(); t.save(f.name)\n    \
                 n = os.path.getsize(f.name); os.unlink(f.name); return n",
                "make(words)",
                "size(s)",
            ),
        )
    } else {
        Err("not run on 5M keys: datrie's inserts take over 9 minutes (288k sorted keys: 15.7 s); \
             `--quick` (500k) runs it"
            .to_string())
    };
    // rsmarisa: the pure-Rust port of marisa-trie (default configuration), sized as serialized.
    let t = Instant::now();
    let mut keyset = rsmarisa::Keyset::new();
    for w in &vocab {
        keyset.push_back_str(w).expect("rsmarisa key");
    }
    let mut trie = rsmarisa::Trie::new();
    trie.build(&mut keyset, 0);
    let rsm_build = t.elapsed().as_secs_f64();
    drop(keyset);
    let mut agent = rsmarisa::Agent::new();
    let rsm_contains = |agent: &mut rsmarisa::Agent, p: &str| {
        agent.set_query_str(p);
        trie.lookup(agent)
    };
    let rsm_hits = probes.iter().filter(|p| rsm_contains(&mut agent, p)).count();
    assert_eq!(rsm_hits, want_hits, "rsmarisa and our stores disagree on the probes");
    let rsm_look = best_of(|| probes.iter().filter(|p| rsm_contains(&mut agent, p)).count());
    let rsm_bytes = trie.io_size() as f64 / n as f64;
    let peers = [
        ("datrie (Python/C)", datrie.map(|(b, l, bytes)| (b, l, bytes / n as f64))),
        ("rsmarisa 0.4 (Rust)", Ok((rsm_build, rsm_look, rsm_bytes))),
    ];
    let (_, c_build, c_look, c_bpk) = store(StoreKind::Compressed);
    let (_, _, i_look, i_bpk) = store(StoreKind::Indexed);
    for (peer, got) in peers {
        let (peer_build, peer_look, note) = match got {
            Ok((b, l, bpk)) => {
                (Some(b), Some(l), format!("B/key: ours compressed {c_bpk:.2} (indexed {i_bpk:.2}), peer {bpk:.2}"))
            }
            Err(e) => (None, None, format!("skipped: {e}")),
        };
        rows.push(Row {
            case: case_build.clone(),
            ours: "compact-text compressed".into(),
            ours_s: c_build,
            peer: peer.into(),
            peer_s: peer_build,
            note: note.clone(),
        });
        let look_note = if peer.contains("Python") { "peer time includes the Python loop" } else { "same run" };
        rows.push(Row {
            case: case_lookup.clone(),
            ours: "compact-text compressed".into(),
            ours_s: c_look,
            peer: peer.into(),
            peer_s: peer_look,
            note: look_note.into(),
        });
        rows.push(Row {
            case: case_lookup.clone(),
            ours: "compact-text indexed".into(),
            ours_s: i_look,
            peer: peer.into(),
            peer_s: peer_look,
            note: look_note.into(),
        });
    }
    let _ = std::fs::remove_file(&words_path);
    let _ = std::fs::remove_file(&probes_path);
    drop(probes);
    matcher_rows(ctx, &vocab, &mut rows);
    Comparison { krate: "compact-text", rows }
}

/// Chapter 12: 1,000 keywords (every 7919th word of the vocabulary, 3 to 50+ bytes) over a
/// Zipf text of the same vocabulary, every overlapping match reported.
fn matcher_rows(ctx: &Ctx, vocab: &[String], rows: &mut Vec<Row>) {
    let text = corpus::zipf_text(vocab, if ctx.quick { 400_000 } else { 2_000_000 }, 5);
    let keywords: Vec<&str> = (0..1000).map(|i| vocab[(i * 7919) % vocab.len()].as_str()).collect();
    let m = Matcher::new(keywords.iter().map(Pattern::literal)).expect("matcher");
    let found = m.find_all_on(text.as_bytes(), Backend::Scalar).expect("scalar");
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::DFA))
        .build(&keywords)
        .expect("aho-corasick");
    let raw = ac.find_overlapping_iter(&text).count();
    assert_eq!(raw, found.len(), "aho-corasick and the matcher find the same matches");
    let ac_s = best_of(|| ac.find_overlapping_iter(&text).count());
    let mb = text.len() as f64 / 1e6;
    let case = format!("match 1,000 keywords, {mb:.0} MB text ({} matches)", found.len());
    for b in [Backend::Scalar, Backend::Parallel] {
        let Ok(got) = m.find_all_on(text.as_bytes(), b) else { continue };
        assert_eq!(got, found, "{b}");
        let s = best_of(|| m.find_all_on(text.as_bytes(), b).map(|v| v.len()));
        let threads = if b == Backend::Parallel { rayon_threads() } else { 1 };
        println!(
            "  compact-text matcher {b}: {:.0} MB/s ({threads} thread(s)), aho-corasick DFA {:.0} MB/s",
            mb / s,
            mb / ac_s
        );
        rows.push(Row {
            case: case.clone(),
            ours: format!("compact-text Matcher {b}"),
            ours_s: s,
            peer: "aho-corasick DFA, overlapping (Rust)".into(),
            peer_s: Some(ac_s),
            note: format!("ours {:.0} MB/s on {threads} thread(s), aho-corasick {:.0} MB/s on 1", mb / s, mb / ac_s),
        });
    }
}

/// The threads of rayon's global pool: `RAYON_NUM_THREADS`, else the available cores.
fn rayon_threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}
