//! The Arrow PyCapsule interface (`__arrow_c_schema__`, `__arrow_c_array__`) and imports of
//! anything exposing `__arrow_c_array__` / `__arrow_c_stream__` (pyarrow, Polars, pandas,
//! arro3), through pyo3-arrow; Arrow IPC streams (`from_ipc`, `to_ipc`). The conversions
//! themselves live in `raptors_core::arrow` and `raptors_core::ipc`.

use crate::array::PyNdArray;
use crate::errors::{run, IntoPy};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyCapsule, PyString, PyTuple};
use pyo3_arrow::ffi::{to_array_pycapsules, to_schema_pycapsule};
use pyo3_arrow::{PyArray, PyChunkedArray};
use raptors_core::{arrow, ipc, NdArray, Scalar};

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

/// `rp.from_ipc(data, *, column=None, fill_null=None)`: an Arrow IPC stream held by any buffer
/// exporter (bytes, bytearray, memoryview, NumPy uint8...) as an array whose value buffers stay
/// in `data` when aligned. Writable only when `data` is (as with `frombuffer`).
#[pyfunction]
#[pyo3(signature = (data, /, *, column=None, fill_null=None))]
pub fn from_ipc<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    column: Option<&Bound<'py, PyAny>>,
    fill_null: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let fill = match fill_null {
        Some(f) if !f.is_none() => Some(crate::functions::fill_scalar(f)?),
        _ => None,
    };
    enum Pick {
        Name(String),
        Index(i64),
    }
    let pick = match column {
        Some(c) if !c.is_none() => Some(if let Ok(s) = c.cast::<PyString>() {
            Pick::Name(s.to_str()?.to_owned())
        } else if c.is_instance_of::<PyBool>() {
            return Err(PyTypeError::new_err(
                "column must be a column name (str) or position (int), not bool",
            ));
        } else {
            Pick::Index(c.extract::<i64>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "column must be a column name (str) or position (int), not '{}'",
                    c.get_type()
                        .name()
                        .map(|n| n.to_string())
                        .unwrap_or_default()
                ))
            })?)
        }),
        _ => None,
    };
    let (buffer, writable) = crate::convert::bytes_buffer(data)?;
    let a = crate::asyncio::detached(py, || {
        let column = match &pick {
            Some(Pick::Name(n)) => Some(ipc::Column::Name(n)),
            Some(Pick::Index(i)) => Some(ipc::Column::Index(*i)),
            None => None,
        };
        let a = ipc::from_ipc(buffer, column, fill)?;
        if !writable || a.is_writeable() {
            return Ok(a);
        }
        // A view of a writable source (or of memory the decoder copied): writable, like
        // frombuffer's views.
        NdArray::from_buffer(
            a.buffer().clone(),
            a.dtype(),
            a.shape().to_vec(),
            a.strides().to_vec(),
            a.offset(),
            true,
        )
    })?;
    crate::array::wrap(py, a)
}

/// `rp.to_ipc(a, name="values")` and `a.to_ipc(name="values")`: an Arrow IPC stream (bytes) of
/// one column, primitive for 1-d arrays and `arrow.fixed_shape_tensor` for N-d ones.
#[pyfunction]
#[pyo3(signature = (a, /, name="values"))]
pub fn to_ipc<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    name: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let a = crate::convert::as_ndarray(a)?;
    let a: &NdArray = &a;
    let parts = crate::asyncio::detached(py, || ipc::to_ipc_parts(a, name))?;
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let len = ffi::Py_ssize_t::try_from(total)
        .map_err(|_| PyValueError::new_err("the Arrow IPC stream is too large for bytes"))?;
    // SAFETY: a NULL source asks CPython for an uninitialised bytes object of `len` bytes,
    // which is filled below before anything else can see it.
    let bytes = unsafe {
        Bound::from_owned_ptr_or_err(py, ffi::PyBytes_FromStringAndSize(std::ptr::null(), len))?
    }
    .cast_into::<PyBytes>()?;
    // SAFETY: the object is a bytes object of `len` bytes that nothing else references yet,
    // so its storage can be written without the GIL.
    let dst = unsafe { ffi::PyBytes_AsString(bytes.as_ptr()) } as usize;
    py.detach(|| {
        let mut at = 0;
        for p in &parts {
            // SAFETY: the parts add up to `len`, so every write stays inside the storage.
            unsafe { std::ptr::copy_nonoverlapping(p.as_ptr(), (dst as *mut u8).add(at), p.len()) };
            at += p.len();
        }
    });
    Ok(bytes)
}
