//! numpy `.npy` files: read a field (with its shape) and write one, so a scientist can start
//! from numpy data and load our output in numpy.

use std::path::Path;

use ndarray::{ArrayD, ArrayViewD, IxDyn};
use ndarray_npy::{ReadNpyError, WriteNpyError};

use crate::error::{Error, ErrorKind};
use crate::real::Real;

/// Reads a `.npy` file of `T` (`float64` for `f64`, `float32` for `f32`; C or Fortran order)
/// and returns its cells in row-major order and its shape.
pub fn read_npy<T: Real>(path: impl AsRef<Path>) -> Result<(Vec<T>, Vec<usize>), Error> {
    let path = path.as_ref();
    let arr: ArrayD<T> = ndarray_npy::read_npy(path).map_err(|e| {
        let why = match &e {
            ReadNpyError::WrongDescriptor(d) => format!("it holds dtype {d}, expected {}", T::NAME),
            other => other.to_string(),
        };
        Error::new(ErrorKind::Npy, format!("cannot read {} as {}: {why}", path.display(), T::NAME))
    })?;
    let shape = arr.shape().to_vec();
    Ok((arr.iter().copied().collect(), shape))
}

/// Writes `cells` (row-major, of `shape`) as a C-order `.npy` file.
pub fn write_npy<T: Real>(path: impl AsRef<Path>, cells: &[T], shape: &[usize]) -> Result<(), Error> {
    let path = path.as_ref();
    if shape.iter().product::<usize>() != cells.len() {
        return Err(Error::shape(shape, &[cells.len()]));
    }
    let view = ArrayViewD::from_shape(IxDyn(shape), cells).map_err(|_| Error::shape(shape, &[cells.len()]))?;
    ndarray_npy::write_npy(path, &view)
        .map_err(|e: WriteNpyError| Error::new(ErrorKind::Npy, format!("cannot write {}: {e}", path.display())))
}
