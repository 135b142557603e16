//! Exports to other Python libraries: the buffer protocol (NumPy, memoryview), `__array__`,
//! and pickling (protocol 5 with out-of-band buffers).
//!
//! Writability follows the borrow rule: an export is writable when the array is writeable and no
//! job reads the buffer; while such an export lives (a NumPy view, a memoryview, a PickleBuffer),
//! jobs on the buffer are refused (see `BorrowState::export_writable`). Exports of read-only
//! arrays, or made while a job runs, are read-only and block nothing.

use crate::array::{wrap, PyNdArray};
use crate::errors::{run, IntoPy};
use pyo3::exceptions::{PyBufferError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};
use raptors_core::array::ExportBorrow;
use raptors_core::{DType, NdArray};
use std::ffi::{c_int, CStr};

/// Shape, strides and the export borrow, alive from `__getbuffer__` to `__releasebuffer__`.
struct ExportInfo {
    shape: Vec<ffi::Py_ssize_t>,
    strides: Vec<ffi::Py_ssize_t>,
    _borrow: Option<ExportBorrow>,
}

fn format_cstr(dt: DType) -> &'static CStr {
    match dt {
        DType::Bool => c"?",
        DType::Int8 => c"b",
        DType::Int16 => c"h",
        DType::Int32 => c"i",
        DType::Int64 => c"l",
        DType::UInt8 => c"B",
        DType::UInt16 => c"H",
        DType::UInt32 => c"I",
        DType::UInt64 => c"L",
        DType::Float16 => c"e",
        DType::Float32 => c"f",
        DType::Float64 => c"d",
    }
}

/// Fills `view` for `bf_getbuffer`.
///
/// # Safety
/// `view` is the exporter's Py_buffer from CPython; the GIL is held.
pub unsafe fn get_buffer(
    slf: &Bound<'_, PyNdArray>,
    view: *mut ffi::Py_buffer,
    flags: c_int,
) -> PyResult<()> {
    if view.is_null() {
        return Err(PyBufferError::new_err("view is null"));
    }
    let a = &slf.get().inner;
    let c_contig = a.is_c_contiguous();
    let f_contig = a.is_f_contiguous();
    let want = |flag: c_int| flags & flag == flag;
    if want(ffi::PyBUF_C_CONTIGUOUS) && !c_contig {
        return Err(PyBufferError::new_err("array is not C-contiguous"));
    }
    if want(ffi::PyBUF_F_CONTIGUOUS) && !f_contig {
        return Err(PyBufferError::new_err("array is not Fortran-contiguous"));
    }
    if want(ffi::PyBUF_ANY_CONTIGUOUS) && !(c_contig || f_contig) {
        return Err(PyBufferError::new_err("array is not contiguous"));
    }
    if !want(ffi::PyBUF_STRIDES) && !c_contig {
        return Err(PyBufferError::new_err(
            "array is not C-contiguous; request strides",
        ));
    }
    // Like NumPy's own exporter, a writeable array exports writable even to read-only requests
    // (NumPy asks through memoryview, which requests read-only); a running job downgrades a
    // read-only request to a read-only export and refuses a writable one.
    let borrow = if want(ffi::PyBUF_WRITABLE) {
        Some(a.export_writable().map_err(|e| match e {
            raptors_core::Error::ReadOnly => PyBufferError::new_err("array is read-only"),
            other => PyBufferError::new_err(other.to_string()),
        })?)
    } else if a.is_writeable() {
        a.export_writable().ok()
    } else {
        None
    };
    let writable = borrow.is_some();
    let info = Box::new(ExportInfo {
        shape: a.shape().iter().map(|&d| d as ffi::Py_ssize_t).collect(),
        strides: a.strides().iter().map(|&s| s as ffi::Py_ssize_t).collect(),
        _borrow: borrow,
    });
    // SAFETY: CPython hands us a Py_buffer to fill; every pointer stored stays valid until
    // __releasebuffer__ (info is leaked into view.internal, the object is referenced by view.obj).
    unsafe {
        (*view).obj = slf.clone().into_any().into_ptr();
        (*view).buf = a.data_ptr() as *mut std::ffi::c_void;
        (*view).len = a.nbytes() as ffi::Py_ssize_t;
        (*view).readonly = c_int::from(!writable);
        (*view).itemsize = a.itemsize() as ffi::Py_ssize_t;
        (*view).format = if want(ffi::PyBUF_FORMAT) {
            format_cstr(a.dtype()).as_ptr() as *mut _
        } else {
            std::ptr::null_mut()
        };
        (*view).ndim = a.ndim() as c_int;
        (*view).shape = if want(ffi::PyBUF_ND) {
            info.shape.as_ptr() as *mut _
        } else {
            std::ptr::null_mut()
        };
        (*view).strides = if want(ffi::PyBUF_STRIDES) {
            info.strides.as_ptr() as *mut _
        } else {
            std::ptr::null_mut()
        };
        (*view).suboffsets = std::ptr::null_mut();
        (*view).internal = Box::into_raw(info) as *mut std::ffi::c_void;
    }
    Ok(())
}

/// `bf_releasebuffer`: frees the export's shape/strides and ends its borrow.
///
/// # Safety
/// `view` was filled by `get_buffer`.
pub unsafe fn release_buffer(view: *mut ffi::Py_buffer) {
    // SAFETY: internal holds the Box leaked by get_buffer, released exactly once.
    unsafe {
        let internal = (*view).internal as *mut ExportInfo;
        if !internal.is_null() {
            drop(Box::from_raw(internal));
            (*view).internal = std::ptr::null_mut();
        }
    }
}

/// `a.__array__(dtype=None, copy=None)` with NumPy 2's copy keyword; shares memory when it can.
pub fn array_dunder<'py>(
    slf: &Bound<'py, PyNdArray>,
    dtype: Option<&Bound<'py, PyAny>>,
    copy: Option<bool>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = slf.py();
    let np = py.import("numpy")?;
    let view = np.call_method1("asarray", (slf,))?;
    let target = match dtype {
        Some(d) if !d.is_none() => Some(np.call_method1("dtype", (d,))?),
        _ => None,
    };
    let changes_dtype = match &target {
        Some(t) => !view.getattr("dtype")?.eq(t)?,
        None => false,
    };
    match (copy, changes_dtype) {
        (Some(false), true) => Err(PyValueError::new_err(
            "Unable to avoid copy while creating an array as requested.",
        )),
        (_, true) => view.call_method1("astype", (target.expect("dtype change has a target"),)),
        (Some(true), false) => view.call_method0("copy"),
        _ => Ok(view),
    }
}

/// Pickling: protocol 5 hands the contiguous data to pickle as a `PickleBuffer` (out-of-band
/// when the pickler has a buffer_callback); older protocols embed the bytes.
pub fn reduce_ex<'py>(slf: &Bound<'py, PyNdArray>, protocol: i64) -> PyResult<Bound<'py, PyTuple>> {
    let py = slf.py();
    let a = &slf.get().inner;
    let contiguous = run(|| a.as_contiguous())?;
    let helpers = py.import("raptors._pickle")?;
    let shape = PyTuple::new(py, a.shape())?;
    let data = if protocol >= 5 {
        let src = wrap(py, contiguous)?;
        py.import("pickle")?
            .getattr("PickleBuffer")?
            .call1((src,))?
    } else {
        tobytes(py, &contiguous)?.into_any()
    };
    PyTuple::new(
        py,
        [
            helpers.getattr("rebuild")?,
            PyTuple::new(
                py,
                [
                    data,
                    a.dtype().name().into_pyobject(py)?.into_any(),
                    shape.into_any(),
                ],
            )?
            .into_any(),
        ],
    )
}

/// The C-order bytes of the array (`tobytes`).
pub fn tobytes<'py>(py: Python<'py>, a: &NdArray) -> PyResult<Bound<'py, PyBytes>> {
    let c = run(|| a.as_contiguous())?;
    let n = c.nbytes();
    // SAFETY: c is C-contiguous, so its n bytes start at data_ptr.
    let bytes = unsafe { std::slice::from_raw_parts(c.data_ptr(), n) };
    Ok(PyBytes::new(py, bytes))
}

/// `rp.frombuffer(buffer, dtype=float64, count=-1, offset=0)`: a zero-copy view of any
/// buffer exporter's bytes.
#[pyfunction]
#[pyo3(signature = (buffer, dtype=None, count=None, offset=0))]
pub fn frombuffer<'py>(
    py: Python<'py>,
    buffer: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    count: Option<isize>,
    offset: isize,
) -> PyResult<Bound<'py, PyNdArray>> {
    let dt = crate::dtype::extract_opt_dtype(dtype)?.unwrap_or(DType::Float64);
    if offset < 0 {
        return Err(PyValueError::new_err(
            "offset must be non-negative and no greater than buffer length",
        ));
    }
    let raw = crate::convert::from_buffer_protocol(buffer)?
        .ok_or_else(|| PyValueError::new_err("object does not export a buffer"))?;
    // NumPy's count=-1 (or None): everything that fits.
    let count = count.filter(|&c| c >= 0).map(|c| c as usize);
    wrap(py, raw.frombuffer(dt, count, offset as usize).py_err()?)
}

/// `a.to_numpy(copy=False)`.
pub fn to_numpy<'py>(slf: &Bound<'py, PyNdArray>, copy: bool) -> PyResult<Bound<'py, PyAny>> {
    let kwargs = PyDict::new(slf.py());
    kwargs.set_item("copy", copy)?;
    slf.call_method("__array__", (), Some(&kwargs))
}
