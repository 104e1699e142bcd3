//! `timing`: not built yet (stub).
//!
//! # Example
//!
//! ```
//! assert_eq!(timing::Backend::default(), timing::Backend::Auto);
//! ```
//!
//! # Backends
//!
//! No kernels.
//!
//! # Crate features
//!
//! * `enabled` (default on), `simd`, `parallel`, `serde`.
//!
//! # Performance
//!
//! Not measured yet.
#![deny(missing_docs)]

pub use ferdelance_core::Backend;

mod error;
mod usage;

pub use error::{Error, ErrorKind};
pub use usage::{ResourceUsage, Usage, Verbose, run_command};
