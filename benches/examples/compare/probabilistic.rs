//! Peer comparison for `probabilistic` (not built yet).

use crate::{Comparison, Ctx};

pub(crate) fn run(_ctx: &Ctx) -> Comparison {
    Comparison { krate: "probabilistic", rows: Vec::new() }
}
