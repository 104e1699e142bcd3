//! The crate's error type.

use std::fmt;

use crate::Backend;

/// What went wrong; every failure leaves the caller's grid untouched.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A buffer's shape (or a slice's length) does not match the parameters' shape.
    ShapeMismatch {
        /// The shape the parameters describe.
        expected: Vec<usize>,
        /// The shape (or, for a slice, `[len]`) that was passed.
        got: Vec<usize>,
    },
    /// An empty shape, a zero side, more than 3 dimensions, or a `Frozen` axis shorter than 3.
    InvalidShape,
    /// An ndarray view that is not contiguous row-major (standard layout); copy it first.
    NonContiguous,
    /// A parameter (`d`, `dt` or a spacing) that is not finite or not positive.
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
    },
    /// `r = d * dt * Σ 1/dx_i²` is above the explicit scheme's stability limit.
    Unstable {
        /// The scheme's `r`.
        r: f64,
        /// The limit (1/2).
        limit: f64,
    },
    /// `check_finite` found a NaN or an infinity at this flat index.
    NonFinite {
        /// The row-major index of the first offending cell.
        index: usize,
    },
    /// The requested backend is not compiled into this build.
    BackendUnavailable(Backend),
    /// Reading or writing a `.npy` file failed (I/O, wrong dtype, bad header, wrong rank).
    Npy,
    /// Writing a picture failed.
    Io,
}

/// An error of this crate: an [`ErrorKind`] plus a human message.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into() }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub(crate) fn shape(expected: &[usize], got: &[usize]) -> Self {
        Error::new(
            ErrorKind::ShapeMismatch { expected: expected.to_vec(), got: got.to_vec() },
            format!("shape mismatch: the parameters describe {expected:?}, the buffer has {got:?}"),
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<ferdelance_core::BackendUnavailable> for Error {
    fn from(e: ferdelance_core::BackendUnavailable) -> Self {
        Error::new(ErrorKind::BackendUnavailable(e.requested), e.to_string())
    }
}
