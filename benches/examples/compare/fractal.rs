//! Peer comparison for `fractal` (not built yet).

use crate::{Comparison, Ctx};

pub(crate) fn run(_ctx: &Ctx) -> Comparison {
    Comparison { krate: "fractal", rows: Vec::new() }
}
