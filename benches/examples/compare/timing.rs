//! Peer comparison for `timing` (not built yet).

use crate::{Comparison, Ctx};

pub(crate) fn run(_ctx: &Ctx) -> Comparison {
    Comparison { krate: "timing", rows: Vec::new() }
}
