//! Array operations built on the array layer: copies and casts, creation, joining, indexing.

pub mod copy;
pub mod create;
pub mod index;
pub mod manip;
pub mod select;
pub mod ufunc;
