//! The element types a field may hold: `f32` and `f64` (sealed).

pub(crate) use sealed::Arith;
use std::fmt::{Debug, Display};

pub(crate) mod sealed {
    use std::ops::{Add, Mul, Sub};

    /// The arithmetic the canonical cell formula needs; implemented by the element types and,
    /// in the `simd` backend, by their `wide` vectors, so one formula serves every backend.
    #[allow(unreachable_pub)] // `pub` so the sealed `Vector` type may name it
    pub trait Arith: Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> {}

    impl<V: Copy + Add<Output = V> + Sub<Output = V> + Mul<Output = V>> Arith for V {}

    /// Seals [`super::Real`]; carries the backend plumbing users never name.
    pub trait Sealed {
        /// The `wide` vector of this element type.
        #[cfg(feature = "simd")]
        type Vector: Arith;
        /// Lanes per vector.
        #[cfg(feature = "simd")]
        const LANES: usize;
        /// Loads `LANES` elements from the start of `s`.
        #[cfg(feature = "simd")]
        fn load(s: &[Self]) -> Self::Vector
        where
            Self: Sized;
        /// Stores a vector into the first `LANES` elements of `s`.
        #[cfg(feature = "simd")]
        fn store(v: Self::Vector, s: &mut [Self])
        where
            Self: Sized;
        /// A vector with every lane `x`.
        #[cfg(feature = "simd")]
        fn splat(x: Self) -> Self::Vector
        where
            Self: Sized;
    }
}

/// A floating-point element type of a field: `f32` or `f64` (sealed).
pub trait Real:
    sealed::Sealed
    + Copy
    + Send
    + Sync
    + Debug
    + Display
    + PartialOrd
    + Default
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Mul<Output = Self>
    + ndarray_npy::ReadableElement
    + ndarray_npy::WritableElement
    + 'static
{
    /// The type's name as numpy spells it (`float32`, `float64`).
    const NAME: &'static str;
    /// Bytes per element.
    const BYTES: usize;
    /// Converts from `f64` (rounding to nearest for `f32`).
    fn from_f64(x: f64) -> Self;
    /// Converts to `f64` (exact).
    fn to_f64(self) -> f64;
    /// Whether the value is neither NaN nor infinite.
    fn is_finite(self) -> bool;
}

macro_rules! real {
    ($t:ty, $v:ident, $lanes:expr, $name:expr) => {
        impl sealed::Sealed for $t {
            #[cfg(feature = "simd")]
            type Vector = wide::$v;
            #[cfg(feature = "simd")]
            const LANES: usize = $lanes;
            #[cfg(feature = "simd")]
            #[inline(always)]
            fn load(s: &[Self]) -> Self::Vector {
                let a: [$t; $lanes] = s[..$lanes].try_into().expect("slice of LANES elements");
                wide::$v::new(a)
            }
            #[cfg(feature = "simd")]
            #[inline(always)]
            fn store(v: Self::Vector, s: &mut [Self]) {
                s[..$lanes].copy_from_slice(v.as_array());
            }
            #[cfg(feature = "simd")]
            #[inline(always)]
            fn splat(x: Self) -> Self::Vector {
                wide::$v::splat(x)
            }
        }

        impl Real for $t {
            const NAME: &'static str = $name;
            const BYTES: usize = std::mem::size_of::<$t>();
            #[inline(always)]
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline(always)]
            fn is_finite(self) -> bool {
                <$t>::is_finite(self)
            }
        }
    };
}

real!(f64, f64x4, 4, "float64");
real!(f32, f32x8, 8, "float32");
