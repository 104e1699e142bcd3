//! Peer comparison for `primes` (not built yet).

use crate::{Comparison, Ctx};

pub(crate) fn run(_ctx: &Ctx) -> Comparison {
    Comparison { krate: "primes", rows: Vec::new() }
}
