//! Tour section: `stencil` (not built yet).

use super::Tour;
use crate::cli::CliError;

pub(crate) fn section(tour: &mut Tour) -> Result<(), CliError> {
    tour.heading("stencil", "pending");
    tour.note("  (this crate's section has not landed yet)");
    Ok(())
}
