//! Raptors core: Arrow-backed N-d arrays, NumPy-compatible dtypes and operations, in pure Rust.
//!
//! The Python bindings (`raptors-python`) translate to and from this crate; everything here is
//! usable and testable without Python.

pub mod array;
pub mod arrow;
pub mod cast;
pub mod dtype;
pub mod error;
pub mod exec;
pub mod format;
pub mod ipc;
pub mod kernels;
pub mod layout;
pub mod ops;

pub use array::{IndexItem, NdArray, SliceSpec};
pub use cast::Scalar;
pub use dtype::{Casting, DType, Element, WeakKind};
pub use error::{Error, Result};
pub use ops::index::Index;
