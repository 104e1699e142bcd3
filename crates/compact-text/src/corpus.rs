//! A seeded synthetic corpus standing in for the book's Wikipedia tokens (which cannot be
//! fetched here): words built from syllables and affixes (so prefixes and suffixes repeat
//! as in real text), capitalised words, numbers, URL-like tokens, punctuation and non-ASCII
//! words; Zipf-like token frequencies for texts and probes.

/// A small, fast, seeded generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ ferdelance_core::GOLDEN_GAMMA)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        ferdelance_core::splitmix64(&mut self.0)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A Zipf-like rank in `0..n`: P(r) roughly proportional to 1 / (r + 1).
    pub fn zipf(&mut self, n: usize) -> usize {
        let r = ((n as f64 + 1.0).ln() * self.unit()).exp() as usize;
        r.saturating_sub(1).min(n.saturating_sub(1))
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const ONSETS: &[&str] = &[
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "ch", "cl", "cr",
    "dr", "fl", "gr", "pl", "pr", "sh", "sl", "st", "str", "th", "tr", "",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ou", "ea", "ai", "io", "y"];
const CODAS: &[&str] = &["", "", "", "n", "r", "s", "l", "t", "m", "nd", "ng", "st", "ck", "rt"];
const PREFIXES: &[&str] = &["un", "re", "pre", "over", "anti", "dis", "inter", "sub", "trans", "non"];
const SUFFIXES: &[&str] =
    &["s", "ed", "ing", "er", "ers", "ly", "tion", "tions", "ness", "ment", "able", "ism", "ist", "al", "ity"];
const UNICODE: &[&str] = &["é", "ü", "ñ", "ø", "Σ", "λ", "ж", "ç", "ß", "å"];
const TLDS: &[&str] = &["com", "org", "net", "de", "co.uk", "edu"];
const PUNCT: &[&str] = &[",", ".", ")", ";", ":", "'s", "\"", "?"];

fn word(rng: &mut Rng, out: &mut String) {
    if rng.below(5) == 0 {
        out.push_str(rng.pick(PREFIXES));
    }
    let syllables = 1 + rng.below(3) + usize::from(rng.below(4) == 0);
    for _ in 0..syllables {
        out.push_str(rng.pick(ONSETS));
        out.push_str(rng.pick(VOWELS));
        out.push_str(rng.pick(CODAS));
    }
    if rng.below(5) < 2 {
        out.push_str(rng.pick(SUFFIXES));
    }
}

/// One token (not necessarily new).
pub fn token(rng: &mut Rng) -> String {
    let mut t = String::new();
    match rng.below(100) {
        0..=74 => word(rng, &mut t),
        75..=84 => {
            word(rng, &mut t);
            let mut c = t.chars();
            t = c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default();
        }
        85..=89 => {
            word(rng, &mut t);
            t.push_str(rng.pick(PUNCT));
        }
        90..=93 => {
            let n = rng.below(100_000);
            t = if rng.below(2) == 0 { format!("{}", 1000 + rng.below(1100)) } else { n.to_string() };
        }
        94..=96 => {
            t.push_str(if rng.below(2) == 0 { "http://www." } else { "https://" });
            word(rng, &mut t);
            t.push('.');
            t.push_str(rng.pick(TLDS));
            if rng.below(2) == 0 {
                t.push('/');
                word(rng, &mut t);
            }
        }
        _ => {
            word(rng, &mut t);
            let at = rng.below(t.len() + 1);
            t.insert_str(at, rng.pick(UNICODE));
        }
    }
    t
}

/// `n` distinct tokens in generation order (not sorted), deterministic for a `seed`.
pub fn unique_tokens(n: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let mut seen: ahash::HashSet<String> =
        ahash::HashSet::with_capacity_and_hasher(n, ahash::RandomState::with_seeds(1, 2, 3, 4));
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let t = token(&mut rng);
        if seen.insert(t.clone()) {
            out.push(t);
        }
    }
    out
}

/// A text of `n_tokens` tokens drawn from `vocab` with Zipf-like frequencies (vocabulary
/// order is rank order), separated by single spaces and an occasional newline.
pub fn zipf_text(vocab: &[String], n_tokens: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut s = String::new();
    if vocab.is_empty() {
        return s;
    }
    for i in 0..n_tokens {
        if i > 0 {
            s.push(if rng.below(16) == 0 { '\n' } else { ' ' });
        }
        s.push_str(&vocab[rng.zipf(vocab.len())]);
    }
    s
}
