//! Deliberately naive references for the tests: a `BTreeSet`, a full Levenshtein table, and
//! an every-pattern-at-every-position matcher.

use std::collections::BTreeSet;
use std::ops::Bound;

use crate::matcher::{Match, Pattern, REGEX_WINDOW, is_word_byte};

pub(crate) fn reference(keys: &[Vec<u8>]) -> BTreeSet<Vec<u8>> {
    keys.iter().cloned().collect()
}

pub(crate) fn range(set: &BTreeSet<Vec<u8>>, lo: Bound<&[u8]>, hi: Bound<&[u8]>) -> Vec<Vec<u8>> {
    set.iter().filter(|k| crate::query::above_lo(k, lo) && crate::query::below_hi(k, hi)).cloned().collect()
}

pub(crate) fn levenshtein(a: &[u8], b: &[u8]) -> u32 {
    let mut d = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i as u32;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j as u32;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let sub = d[i - 1][j - 1] + u32::from(a[i - 1] != b[j - 1]);
            d[i][j] = sub.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
        }
    }
    d[a.len()][b.len()]
}

/// Every pattern tried at every position of `text`.
pub(crate) fn find_all(
    patterns: &[Pattern],
    regexes: &[Option<regex_automata::meta::Regex>],
    text: &[u8],
) -> Vec<Match> {
    let mut out = Vec::new();
    for s in 0..text.len() {
        for (pid, p) in patterns.iter().enumerate() {
            let kw = p.keyword();
            let Some(window) = text.get(s..s + kw.len()) else { continue };
            let hit = if p_ci(p) { window.eq_ignore_ascii_case(kw) } else { window == kw };
            if !hit {
                continue;
            }
            let end = match &regexes[pid] {
                None => s + kw.len(),
                Some(re) => {
                    let max = (text.len() - s).min(REGEX_WINDOW);
                    match (0..=max).rev().find(|&l| re.is_match(&text[s..s + l])) {
                        Some(l) => s + l,
                        None => continue,
                    }
                }
            };
            if p_whole(p) {
                let before = s.checked_sub(1).map(|i| text[i]);
                if before.is_some_and(is_word_byte) || text.get(end).copied().is_some_and(is_word_byte) {
                    continue;
                }
            }
            out.push(Match { start: s, pattern: pid, end });
        }
    }
    out
}

fn p_ci(p: &Pattern) -> bool {
    *p != p.clone().case_insensitive(false)
}

fn p_whole(p: &Pattern) -> bool {
    *p != p.clone().whole_word(false)
}
