//! Typed inner loops. They see element types and strided runs, never Python or jobs.

pub mod cpu;
pub mod gemm;
pub mod loops;
pub mod math;
pub mod reduce;
pub mod scalar;
pub mod sort;
