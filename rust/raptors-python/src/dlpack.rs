//! DLPack exchange (`__dlpack__`, `__dlpack_device__`, `rp.from_dlpack`): versioned 1.x
//! capsules ("dltensor_versioned") and the legacy form ("dltensor"), both directions, zero-copy.

use crate::array::{wrap, PyNdArray};
use crate::errors::{run, IntoPy};
use pyo3::exceptions::{PyBufferError, PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict, PyTuple};
use raptors_core::array::ExportBorrow;
use raptors_core::{DType, NdArray};
use std::ffi::{c_void, CStr};
use std::sync::Arc;

const K_DL_CPU: i32 = 1;
const K_DL_INT: u8 = 0;
const K_DL_UINT: u8 = 1;
const K_DL_FLOAT: u8 = 2;
const K_DL_BOOL: u8 = 6;
const FLAG_READ_ONLY: u64 = 1;

#[repr(C)]
#[derive(Clone, Copy)]
struct DLDevice {
    device_type: i32,
    device_id: i32,
}

#[repr(C)]
#[derive(Clone, Copy)]
struct DLDataType {
    code: u8,
    bits: u8,
    lanes: u16,
}

#[repr(C)]
struct DLTensor {
    data: *mut c_void,
    device: DLDevice,
    ndim: i32,
    dtype: DLDataType,
    shape: *mut i64,
    strides: *mut i64,
    byte_offset: u64,
}

#[repr(C)]
struct DLManagedTensor {
    dl_tensor: DLTensor,
    manager_ctx: *mut c_void,
    deleter: Option<unsafe extern "C" fn(*mut DLManagedTensor)>,
}

#[repr(C)]
struct DLPackVersion {
    major: u32,
    minor: u32,
}

#[repr(C)]
struct DLManagedTensorVersioned {
    version: DLPackVersion,
    manager_ctx: *mut c_void,
    deleter: Option<unsafe extern "C" fn(*mut DLManagedTensorVersioned)>,
    flags: u64,
    dl_tensor: DLTensor,
}

const LEGACY: &CStr = c"dltensor";
const VERSIONED: &CStr = c"dltensor_versioned";
const USED_LEGACY: &CStr = c"used_dltensor";
const USED_VERSIONED: &CStr = c"used_dltensor_versioned";

fn dl_dtype(dt: DType) -> DLDataType {
    let code = match dt.kind_char() {
        'b' => K_DL_BOOL,
        'i' => K_DL_INT,
        'u' => K_DL_UINT,
        _ => K_DL_FLOAT,
    };
    DLDataType {
        code,
        bits: (dt.itemsize() * 8) as u8,
        lanes: 1,
    }
}

fn from_dl_dtype(d: DLDataType) -> PyResult<DType> {
    let bad = || {
        PyTypeError::new_err(format!(
            "unsupported DLPack dtype (code {}, bits {}, lanes {})",
            d.code, d.bits, d.lanes
        ))
    };
    if d.lanes != 1 {
        return Err(bad());
    }
    Ok(match (d.code, d.bits) {
        (K_DL_BOOL, 8) => DType::Bool,
        (K_DL_INT, 8) => DType::Int8,
        (K_DL_INT, 16) => DType::Int16,
        (K_DL_INT, 32) => DType::Int32,
        (K_DL_INT, 64) => DType::Int64,
        (K_DL_UINT, 8) => DType::UInt8,
        (K_DL_UINT, 16) => DType::UInt16,
        (K_DL_UINT, 32) => DType::UInt32,
        (K_DL_UINT, 64) => DType::UInt64,
        (K_DL_FLOAT, 16) => DType::Float16,
        (K_DL_FLOAT, 32) => DType::Float32,
        (K_DL_FLOAT, 64) => DType::Float64,
        _ => return Err(bad()),
    })
}

/// What an exported tensor keeps alive: the array (and so its buffer), shape and strides, and
/// the writable-export borrow.
struct ExportCtx {
    _array: NdArray,
    shape: Vec<i64>,
    strides: Vec<i64>,
    _borrow: Option<ExportBorrow>,
}

unsafe extern "C" fn delete_legacy(t: *mut DLManagedTensor) {
    // SAFETY: t and its ctx were leaked by `export`; DLPack calls the deleter exactly once.
    unsafe {
        drop(Box::from_raw((*t).manager_ctx as *mut ExportCtx));
        drop(Box::from_raw(t));
    }
}

unsafe extern "C" fn delete_versioned(t: *mut DLManagedTensorVersioned) {
    // SAFETY: as delete_legacy.
    unsafe {
        drop(Box::from_raw((*t).manager_ctx as *mut ExportCtx));
        drop(Box::from_raw(t));
    }
}

/// Capsule destructor: a capsule never consumed still owns its tensor.
unsafe extern "C" fn capsule_destructor(capsule: *mut ffi::PyObject) {
    // SAFETY: called by CPython with the capsule; the name tells whether it was consumed.
    unsafe {
        if ffi::PyCapsule_IsValid(capsule, VERSIONED.as_ptr()) == 1 {
            let t = ffi::PyCapsule_GetPointer(capsule, VERSIONED.as_ptr())
                as *mut DLManagedTensorVersioned;
            if let Some(d) = (*t).deleter {
                d(t);
            }
        } else if ffi::PyCapsule_IsValid(capsule, LEGACY.as_ptr()) == 1 {
            let t = ffi::PyCapsule_GetPointer(capsule, LEGACY.as_ptr()) as *mut DLManagedTensor;
            if let Some(d) = (*t).deleter {
                d(t);
            }
        }
        ffi::PyErr_Clear();
    }
}

/// `a.__dlpack__(stream=None, max_version=None, dl_device=None, copy=None)`.
pub fn export<'py>(
    slf: &Bound<'py, PyNdArray>,
    stream: Option<&Bound<'py, PyAny>>,
    max_version: Option<(u32, u32)>,
    dl_device: Option<(i32, i32)>,
    copy: Option<bool>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = slf.py();
    if stream.is_some_and(|s| !s.is_none()) {
        return Err(PyValueError::new_err("stream must be None for CPU arrays"));
    }
    if let Some((ty, id)) = dl_device {
        if ty != K_DL_CPU || id != 0 {
            return Err(PyBufferError::new_err(format!(
                "raptors arrays live on the CPU; cannot export to device ({ty}, {id})"
            )));
        }
    }
    let src = &slf.get().inner;
    let array = if copy == Some(true) {
        run(|| src.copy())?
    } else {
        src.clone()
    };
    let isz = array.itemsize() as isize;
    if array.strides().iter().any(|s| s % isz != 0) {
        return Err(PyBufferError::new_err(
            "DLPack needs strides that are whole elements; export a copy",
        ));
    }
    let versioned = max_version.is_some_and(|(major, _)| major >= 1);
    let readonly = !array.is_writeable();
    if readonly && !versioned {
        return Err(PyBufferError::new_err(
            "the legacy DLPack format cannot mark read-only memory; request max_version=(1, 0) or export a copy",
        ));
    }
    let borrow = if readonly {
        None
    } else {
        Some(
            array
                .export_writable()
                .map_err(|e| PyBufferError::new_err(e.to_string()))?,
        )
    };
    let ctx = Box::new(ExportCtx {
        shape: array.shape().iter().map(|&d| d as i64).collect(),
        strides: array.strides().iter().map(|&s| (s / isz) as i64).collect(),
        _array: array.clone(),
        _borrow: borrow,
    });
    let tensor = DLTensor {
        data: array.data_ptr() as *mut c_void,
        device: DLDevice {
            device_type: K_DL_CPU,
            device_id: 0,
        },
        ndim: array.ndim() as i32,
        dtype: dl_dtype(array.dtype()),
        shape: ctx.shape.as_ptr() as *mut i64,
        strides: ctx.strides.as_ptr() as *mut i64,
        byte_offset: 0,
    };
    let ctx = Box::into_raw(ctx) as *mut c_void;
    // SAFETY: the managed tensors own ctx; the capsule owns the tensor until a consumer renames it.
    let capsule = unsafe {
        if versioned {
            let t = Box::into_raw(Box::new(DLManagedTensorVersioned {
                version: DLPackVersion { major: 1, minor: 0 },
                manager_ctx: ctx,
                deleter: Some(delete_versioned),
                flags: if readonly { FLAG_READ_ONLY } else { 0 },
                dl_tensor: tensor,
            }));
            ffi::PyCapsule_New(
                t as *mut c_void,
                VERSIONED.as_ptr(),
                Some(capsule_destructor),
            )
        } else {
            let t = Box::into_raw(Box::new(DLManagedTensor {
                dl_tensor: tensor,
                manager_ctx: ctx,
                deleter: Some(delete_legacy),
            }));
            ffi::PyCapsule_New(t as *mut c_void, LEGACY.as_ptr(), Some(capsule_destructor))
        }
    };
    // SAFETY: PyCapsule_New returns a new reference or NULL with an exception set.
    unsafe { Bound::from_owned_ptr_or_err(py, capsule) }
}

/// Keeps an imported DLPack tensor alive; calls its deleter (with the GIL) when dropped.
enum Imported {
    Legacy(*mut DLManagedTensor),
    Versioned(*mut DLManagedTensorVersioned),
}
// SAFETY: the producer's memory stays valid until the deleter runs; the deleter runs once.
unsafe impl Send for Imported {}
unsafe impl Sync for Imported {}
impl std::panic::RefUnwindSafe for Imported {}

impl Drop for Imported {
    fn drop(&mut self) {
        // SAFETY: the pointers came from a consumed capsule; producers may need the GIL.
        Python::try_attach(|_| unsafe {
            match *self {
                Imported::Legacy(t) => {
                    if let Some(d) = (*t).deleter {
                        d(t)
                    }
                }
                Imported::Versioned(t) => {
                    if let Some(d) = (*t).deleter {
                        d(t)
                    }
                }
            }
        });
    }
}

/// Consumes a DLPack capsule into an array over the producer's memory.
fn import_capsule(capsule: &Bound<'_, PyCapsule>) -> PyResult<NdArray> {
    let ptr = capsule.as_ptr();
    // SAFETY: we check the capsule's name before reading its pointer; after renaming it to
    // "used_*" the producer's tensor is ours until we call its deleter.
    unsafe {
        let (tensor, readonly, owner): (*const DLTensor, bool, Imported) =
            if ffi::PyCapsule_IsValid(ptr, VERSIONED.as_ptr()) == 1 {
                let t = ffi::PyCapsule_GetPointer(ptr, VERSIONED.as_ptr())
                    as *mut DLManagedTensorVersioned;
                if (*t).version.major != 1 {
                    return Err(PyBufferError::new_err(format!(
                        "unsupported DLPack version {}",
                        (*t).version.major
                    )));
                }
                ffi::PyCapsule_SetName(ptr, USED_VERSIONED.as_ptr());
                (
                    &(*t).dl_tensor,
                    (*t).flags & FLAG_READ_ONLY != 0,
                    Imported::Versioned(t),
                )
            } else if ffi::PyCapsule_IsValid(ptr, LEGACY.as_ptr()) == 1 {
                let t = ffi::PyCapsule_GetPointer(ptr, LEGACY.as_ptr()) as *mut DLManagedTensor;
                ffi::PyCapsule_SetName(ptr, USED_LEGACY.as_ptr());
                (&(*t).dl_tensor, false, Imported::Legacy(t))
            } else {
                return Err(PyValueError::new_err(
                    "not a DLPack capsule (or already consumed)",
                ));
            };
        let t = &*tensor;
        if t.device.device_type != K_DL_CPU {
            return Err(PyBufferError::new_err(format!(
                "raptors arrays live on the CPU; the tensor is on device type {}",
                t.device.device_type
            )));
        }
        let dtype = from_dl_dtype(t.dtype)?;
        let nd = t.ndim as usize;
        let shape: Vec<usize> = if nd == 0 {
            vec![]
        } else {
            std::slice::from_raw_parts(t.shape, nd)
                .iter()
                .map(|&d| d as usize)
                .collect()
        };
        let isz = dtype.itemsize() as isize;
        let strides: Vec<isize> = if t.strides.is_null() {
            raptors_core::layout::c_strides(&shape, dtype.itemsize())
        } else {
            std::slice::from_raw_parts(t.strides, nd)
                .iter()
                .map(|&s| s as isize * isz)
                .collect()
        };
        let first = (t.data as *mut u8).add(t.byte_offset as usize);
        if raptors_core::layout::size_of(&shape) == 0 || first.is_null() {
            drop(owner);
            let mut a = NdArray::zeros(dtype, &shape).py_err()?;
            a.set_writeable(!readonly).py_err()?;
            return Ok(a);
        }
        let (lo, hi) = raptors_core::layout::byte_extent(&shape, &strides, dtype.itemsize());
        let base = std::ptr::NonNull::new(first.offset(lo)).expect("non-null data");
        let buffer =
            arrow_buffer::Buffer::from_custom_allocation(base, (hi - lo) as usize, Arc::new(owner));
        NdArray::from_buffer(buffer, dtype, shape, strides, (-lo) as usize, !readonly).py_err()
    }
}

/// `rp.from_dlpack(x, /, *, device=None, copy=None)`: zero-copy from any DLPack producer.
#[pyfunction]
#[pyo3(signature = (x, /, *, device=None, copy=None))]
pub fn from_dlpack<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    device: Option<&Bound<'py, PyAny>>,
    copy: Option<bool>,
) -> PyResult<Bound<'py, PyNdArray>> {
    if let Some(d) = device.filter(|d| !d.is_none()) {
        if !(d.extract::<&str>().is_ok_and(|s| s == "cpu")
            || d.extract::<(i32, i32)>().is_ok_and(|t| t == (K_DL_CPU, 0)))
        {
            return Err(PyValueError::new_err("raptors arrays live on the CPU"));
        }
    }
    if let Ok(dev) = x.call_method0("__dlpack_device__") {
        let (ty, _): (i32, i32) = dev.extract()?;
        if ty != K_DL_CPU {
            return Err(PyBufferError::new_err(format!(
                "cannot import from device type {ty}: raptors arrays live on the CPU"
            )));
        }
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item("max_version", PyTuple::new(py, [1u32, 0])?)?;
    if let Some(c) = copy {
        kwargs.set_item("copy", c)?;
    }
    let (capsule, producer_copied) = match x.call_method("__dlpack__", (), Some(&kwargs)) {
        Ok(c) => (c, copy == Some(true)),
        // Producers predating DLPack 1.0 take no keywords (and cannot copy for us).
        Err(e) if e.is_instance_of::<PyTypeError>(py) => (x.call_method0("__dlpack__")?, false),
        Err(e) => return Err(e),
    };
    let capsule = capsule
        .cast_into::<PyCapsule>()
        .map_err(|_| PyTypeError::new_err("__dlpack__ did not return a capsule"))?;
    let a = import_capsule(&capsule)?;
    let a = if copy == Some(true) && !producer_copied {
        run(|| a.copy())?
    } else {
        a
    };
    wrap(py, a)
}
