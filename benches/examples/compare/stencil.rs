//! Peer comparison for `stencil` (not built yet).

use crate::{Comparison, Ctx};

pub(crate) fn run(_ctx: &Ctx) -> Comparison {
    Comparison { krate: "stencil", rows: Vec::new() }
}
