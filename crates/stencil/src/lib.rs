//! `stencil`: not built yet (stub).
//!
//! # Example
//!
//! ```
//! assert_eq!(stencil::Backend::default(), stencil::Backend::Auto);
//! ```
//!
//! # Backends
//!
//! Scalar only so far.
//!
//! # Crate features
//!
//! * `simd` (default on), `parallel`, `serde`: change speed, never results.
//!
//! # Performance
//!
//! Not measured yet.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub use ferdelance_core::Backend;
