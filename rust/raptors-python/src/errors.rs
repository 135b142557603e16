//! Core errors -> Python exceptions, and the guard that turns a Rust panic into one.

use pyo3::exceptions::{
    PyBufferError, PyIndexError, PyMemoryError, PyOverflowError, PyRuntimeError, PyTypeError,
    PyValueError, PyZeroDivisionError,
};
use pyo3::prelude::*;
use pyo3::types::PyType;
use raptors_core::Error;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// `raptors.AxisError` (defined in python/raptors/_errors.py, NumPy's constructor and
/// attributes): a subclass of both ValueError and IndexError.
pub fn axis_error_type(py: Python<'_>) -> PyResult<Bound<'_, PyType>> {
    Ok(py
        .import("raptors._errors")?
        .getattr("AxisError")?
        .cast_into::<PyType>()?)
}

pyo3::create_exception!(
    raptors,
    Overloaded,
    PyRuntimeError,
    "The scheduler's queue is full and it is configured to reject new jobs."
);

pub fn to_py(err: Error) -> PyErr {
    match err {
        Error::Value(m) => PyValueError::new_err(m),
        Error::Type(m) => PyTypeError::new_err(m),
        Error::Index(m) => PyIndexError::new_err(m),
        Error::Axis { axis, ndim, prefix } => Python::attach(|py| match axis_error_type(py) {
            Ok(ty) => PyErr::from_type(ty, (axis, ndim, prefix)),
            Err(err) => err,
        }),
        Error::ZeroDivision(m) => PyZeroDivisionError::new_err(m),
        Error::Overflow(m) => PyOverflowError::new_err(m),
        Error::Alloc(m) => PyMemoryError::new_err(m),
        Error::Borrowed(m) => PyBufferError::new_err(m),
        e @ Error::ReadOnly => PyValueError::new_err(e.to_string()),
        e @ Error::Cancelled => PyRuntimeError::new_err(e.to_string()),
        Error::Overloaded(m) => Overloaded::new_err(m),
    }
}

/// Runs a core call, mapping its error and converting a panic into `RuntimeError`.
pub fn run<T>(f: impl FnOnce() -> raptors_core::Result<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r.map_err(to_py),
        Err(payload) => Err(panic_error(payload)),
    }
}

/// A Rust panic as the `RuntimeError` Python sees.
pub fn panic_error(payload: Box<dyn std::any::Any + Send>) -> PyErr {
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    PyRuntimeError::new_err(format!("raptors internal error: {msg}"))
}

/// `?`-friendly conversion for core results inside binding code.
pub trait IntoPy<T> {
    fn py_err(self) -> PyResult<T>;
}

impl<T> IntoPy<T> for raptors_core::Result<T> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}
