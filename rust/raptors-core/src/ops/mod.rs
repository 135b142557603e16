//! Array operations built on the array layer: copies and casts, creation, joining, indexing.

pub mod copy;
pub mod create;
pub mod index;
pub mod linalg;
pub mod manip;
pub mod reduce;
pub mod select;
pub mod sort;
pub mod ufunc;
