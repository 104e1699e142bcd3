//! Peer comparison for `compact-text` (not built yet).

use crate::{Comparison, Ctx};

pub(crate) fn run(_ctx: &Ctx) -> Comparison {
    Comparison { krate: "compact-text", rows: Vec::new() }
}
