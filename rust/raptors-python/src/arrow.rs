//! The Arrow PyCapsule interface (`__arrow_c_schema__`, `__arrow_c_array__`) and imports of
//! anything exposing `__arrow_c_array__` / `__arrow_c_stream__` (pyarrow, Polars, pandas,
//! arro3), through pyo3-arrow; the conversions themselves live in `raptors_core::arrow`.

use crate::array::PyNdArray;
use crate::errors::{run, IntoPy};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};
use pyo3_arrow::ffi::{to_array_pycapsules, to_schema_pycapsule};
use pyo3_arrow::{PyArray, PyChunkedArray};
use raptors_core::{arrow, NdArray, Scalar};

pub fn c_schema<'py>(slf: &Bound<'py, PyNdArray>) -> PyResult<Bound<'py, PyCapsule>> {
    let field = run(|| arrow::export_field(&slf.get().inner, ""))?;
    Ok(to_schema_pycapsule(slf.py(), field)?)
}

pub fn c_array<'py>(
    slf: &Bound<'py, PyNdArray>,
    requested_schema: Option<Bound<'py, PyCapsule>>,
) -> PyResult<Bound<'py, PyTuple>> {
    let (array, field) = run(|| arrow::to_arrow(&slf.get().inner, ""))?;
    Ok(to_array_pycapsules(
        slf.py(),
        field.into(),
        array.as_ref(),
        requested_schema,
    )?)
}

/// An array from an Arrow-capable object, or `None` when `obj` speaks no Arrow protocol.
pub fn import(obj: &Bound<'_, PyAny>, fill_null: Option<Scalar>) -> PyResult<Option<NdArray>> {
    let py = obj.py();
    if obj.hasattr(pyo3::intern!(py, "__arrow_c_array__"))? {
        let arr: PyArray = obj.extract()?;
        let (array, field) = arr.into_inner();
        return arrow::from_arrow(array.as_ref(), &field, fill_null)
            .py_err()
            .map(Some);
    }
    if obj.hasattr(pyo3::intern!(py, "__arrow_c_stream__"))? {
        let chunked: PyChunkedArray = obj.extract()?;
        let (chunks, field) = chunked.into_inner();
        return arrow::from_chunks(&chunks, &field, fill_null)
            .py_err()
            .map(Some);
    }
    Ok(None)
}

/// `a.to_arrow()`: a pyarrow Array (needs pyarrow).
pub fn to_pyarrow<'py>(slf: &Bound<'py, PyNdArray>) -> PyResult<Bound<'py, PyAny>> {
    slf.py().import("pyarrow")?.call_method1("array", (slf,))
}
