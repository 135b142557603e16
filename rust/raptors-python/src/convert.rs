//! Python objects <-> arrays: scalars, nested lists/tuples, the buffer protocol; and back to
//! Python scalars and lists.

use crate::array::PyNdArray;
use crate::errors::IntoPy;
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyList, PyString, PyTuple};
use raptors_core::layout;
use raptors_core::{DType, NdArray, Scalar};
use std::sync::Arc;

/// A Python scalar as a core `Scalar`: bool, int (to 64 bits), float, 0-d arrays, NumPy
/// scalars and anything with `__index__` / `__float__`. `None` when `obj` is not scalar-like.
pub fn extract_scalar(obj: &Bound<'_, PyAny>) -> PyResult<Option<Scalar>> {
    Ok(extract_typed_scalar(obj)?.map(|(s, _)| s))
}

/// As `extract_scalar`, plus the dtype the value carries (0-d arrays and NumPy scalars);
/// `None` for Python scalars, whose dtype follows from their kind.
pub fn extract_typed_scalar(obj: &Bound<'_, PyAny>) -> PyResult<Option<(Scalar, Option<DType>)>> {
    // SAFETY: obj is a live object; the type checks only read its type pointer.
    if let Some(s) = unsafe { fast_leaf(obj.as_ptr()) } {
        return s.map(|s| Some((s, None)));
    }
    if let Ok(a) = obj.cast::<PyNdArray>() {
        let a = &a.get().inner;
        return Ok(if a.ndim() == 0 {
            Some((a.item().py_err()?, Some(a.dtype())))
        } else {
            None
        });
    }
    if obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyList>()
        || obj.is_instance_of::<PyTuple>()
    {
        return Ok(None);
    }
    // Arrays and scalars of other libraries (NumPy's): 0-d ones give their item and dtype.
    if let Ok(ndim) = obj.getattr("ndim") {
        if ndim.extract::<usize>().ok() != Some(0) {
            return Ok(None);
        }
        if let Ok(item) = obj.call_method0("item") {
            // SAFETY: item is a live object.
            if let Some(s) = unsafe { fast_leaf(item.as_ptr()) } {
                let dt = obj
                    .getattr("dtype")
                    .ok()
                    .and_then(|d| crate::dtype::extract_dtype(&d).ok());
                return s.map(|s| Some((s, dt)));
            }
        }
        return Ok(None);
    }
    if obj.hasattr("__index__")? {
        return int_scalar(&obj.call_method0("__index__")?).map(|s| Some((s, None)));
    }
    if obj.hasattr("__float__")? && !obj.hasattr("__len__")? {
        return Ok(Some((
            Scalar::Float(obj.call_method0("__float__")?.extract()?),
            None,
        )));
    }
    Ok(None)
}

fn int_scalar(obj: &Bound<'_, PyAny>) -> PyResult<Scalar> {
    if let Ok(v) = obj.extract::<i64>() {
        return Ok(Scalar::Int(v));
    }
    if let Ok(v) = obj.extract::<u64>() {
        return Ok(Scalar::UInt(v));
    }
    Err(PyOverflowError::new_err(format!(
        "Python integer {} out of bounds for int64 and uint64",
        obj.repr()?
    )))
}

/// Exact-type fast path for Python float, int and bool.
///
/// # Safety
/// `ptr` must be a live Python object and the GIL must be held.
#[inline(always)]
unsafe fn fast_leaf(ptr: *mut ffi::PyObject) -> Option<PyResult<Scalar>> {
    unsafe {
        let ty = ffi::Py_TYPE(ptr);
        if ty == &raw mut ffi::PyFloat_Type {
            return Some(Ok(Scalar::Float(ffi::PyFloat_AsDouble(ptr))));
        }
        if ty == &raw mut ffi::PyLong_Type {
            let mut overflow = 0;
            let v = ffi::PyLong_AsLongLongAndOverflow(ptr, &mut overflow);
            if overflow == 0 {
                return Some(Ok(Scalar::Int(v)));
            }
            let py = Python::assume_attached();
            return Some(int_scalar(&Bound::from_borrowed_ptr(py, ptr)));
        }
        if ty == &raw mut ffi::PyBool_Type {
            return Some(Ok(Scalar::Bool(ptr == ffi::Py_True())));
        }
    }
    None
}

/// Leaf values collected in the widest kind seen so far (NumPy's discovery: bool < int < float).
/// Python ints are int64 or, above 2**63 - 1, uint64; mixing the two needs `Wide` (NumPy's
/// result is float64, but an explicit integer dtype must still get exact values).
enum Values {
    Bool(Vec<bool>),
    Int(Vec<i64>),
    UInt(Vec<u64>),
    Wide(Vec<i128>),
    Float(Vec<f64>),
}

const SAW_BOOL: u8 = 1;
const SAW_INT: u8 = 2;
const SAW_UINT: u8 = 4;
const SAW_FLOAT: u8 = 8;

/// Everything `fill` learns: the values, the kinds of Python leaves seen, and the promoted dtype
/// of typed leaves (NumPy scalars, 0-d arrays).
struct Collector {
    values: Values,
    seen: u8,
    typed: Option<DType>,
}

impl Collector {
    fn push(&mut self, s: Scalar, dtype: Option<DType>) -> PyResult<()> {
        match dtype {
            Some(dt) => {
                self.typed = Some(match self.typed {
                    Some(t) => raptors_core::dtype::result_type(&[t, dt], &[]).py_err()?,
                    None => dt,
                })
            }
            None => {
                self.seen |= match s {
                    Scalar::Bool(_) => SAW_BOOL,
                    Scalar::Int(_) => SAW_INT,
                    Scalar::UInt(_) => SAW_UINT,
                    Scalar::Float(_) => SAW_FLOAT,
                }
            }
        }
        self.values.push(s);
        Ok(())
    }

    /// NumPy's dtype for what was seen: Python leaves by kind, typed leaves by their dtype.
    fn natural_dtype(&self) -> DType {
        let python = if self.seen & SAW_FLOAT != 0
            || self.seen & (SAW_INT | SAW_UINT) == SAW_INT | SAW_UINT
        {
            Some(DType::Float64)
        } else if self.seen & SAW_UINT != 0 {
            Some(DType::UInt64)
        } else if self.seen & SAW_INT != 0 {
            Some(DType::Int64)
        } else if self.seen & SAW_BOOL != 0 {
            Some(DType::Bool)
        } else {
            None
        };
        let all: Vec<DType> = python.into_iter().chain(self.typed).collect();
        raptors_core::dtype::result_type(&all, &[]).unwrap_or(DType::Float64)
    }
}

impl Values {
    fn push(&mut self, s: Scalar) {
        loop {
            match (&mut *self, s) {
                (Values::Bool(v), Scalar::Bool(b)) => v.push(b),
                (Values::Int(v), Scalar::Bool(b)) => v.push(b as i64),
                (Values::Int(v), Scalar::Int(i)) => v.push(i),
                (Values::UInt(v), Scalar::Bool(b)) => v.push(b as u64),
                (Values::UInt(v), Scalar::UInt(u)) => v.push(u),
                (Values::Wide(v), Scalar::Bool(b)) => v.push(b as i128),
                (Values::Wide(v), Scalar::Int(i)) => v.push(i as i128),
                (Values::Wide(v), Scalar::UInt(u)) => v.push(u as i128),
                (Values::Float(v), Scalar::Bool(b)) => v.push(b as u8 as f64),
                (Values::Float(v), Scalar::Int(i)) => v.push(i as f64),
                (Values::Float(v), Scalar::UInt(u)) => v.push(u as f64),
                (Values::Float(v), Scalar::Float(f)) => v.push(f),
                _ => {
                    self.widen(s);
                    continue;
                }
            }
            return;
        }
    }

    fn widen(&mut self, s: Scalar) {
        // Nothing collected yet: start in the new value's own kind.
        if self.is_empty() {
            *self = match s {
                Scalar::Bool(_) => Values::Bool(Vec::new()),
                Scalar::Int(_) => Values::Int(Vec::new()),
                Scalar::UInt(_) => Values::UInt(Vec::new()),
                Scalar::Float(_) => Values::Float(Vec::new()),
            };
            return;
        }
        *self = match (&*self, s) {
            (_, Scalar::Float(_)) => Values::Float(self.as_f64()),
            (Values::Bool(v), Scalar::Int(_)) => Values::Int(v.iter().map(|&b| b as i64).collect()),
            (Values::Bool(v), Scalar::UInt(_)) => {
                Values::UInt(v.iter().map(|&b| b as u64).collect())
            }
            (Values::Int(v), _) => Values::Wide(v.iter().map(|&i| i as i128).collect()),
            (Values::UInt(v), _) => Values::Wide(v.iter().map(|&u| u as i128).collect()),
            _ => unreachable!("every other pair is pushed directly"),
        };
    }

    fn is_empty(&self) -> bool {
        match self {
            Values::Bool(v) => v.is_empty(),
            Values::Int(v) => v.is_empty(),
            Values::UInt(v) => v.is_empty(),
            Values::Wide(v) => v.is_empty(),
            Values::Float(v) => v.is_empty(),
        }
    }

    fn as_f64(&self) -> Vec<f64> {
        match self {
            Values::Bool(v) => v.iter().map(|&b| b as u8 as f64).collect(),
            Values::Int(v) => v.iter().map(|&i| i as f64).collect(),
            Values::UInt(v) => v.iter().map(|&u| u as f64).collect(),
            Values::Wide(v) => v.iter().map(|&w| w as f64).collect(),
            Values::Float(v) => v.clone(),
        }
    }

    /// Builds the array as `dtype`, checking as NumPy 2 does that Python integers fit an
    /// integer dtype (OverflowError rather than wrapping) and that floats are finite.
    fn into_array(self, shape: &[usize], dtype: DType) -> PyResult<NdArray> {
        if dtype.is_integer() {
            let bounds: [Option<Scalar>; 2] = match &self {
                Values::Int(v) => [
                    v.iter().min().map(|&x| Scalar::Int(x)),
                    v.iter().max().map(|&x| Scalar::Int(x)),
                ],
                Values::UInt(v) => [None, v.iter().max().map(|&x| Scalar::UInt(x))],
                Values::Wide(v) => {
                    let info = raptors_core::dtype::iinfo(dtype).py_err()?;
                    if let Some(&bad) = v.iter().find(|&&x| x < info.min || x > info.max) {
                        return Err(PyOverflowError::new_err(format!(
                            "Python integer {bad} out of bounds for {dtype}"
                        )));
                    }
                    [None, None]
                }
                Values::Float(v) => {
                    for &f in v {
                        check_scalar_for(Scalar::Float(f), dtype)?;
                    }
                    [None, None]
                }
                Values::Bool(_) => [None, None],
            };
            for s in bounds.into_iter().flatten() {
                s.check_fits(dtype).py_err()?;
            }
        }
        let a = match self {
            Values::Bool(v) => NdArray::from_vec(v, shape),
            Values::Int(v) => NdArray::from_vec(v, shape),
            Values::UInt(v) => NdArray::from_vec(v, shape),
            // In range for the integer target (checked above): the low 64 bits are the value.
            Values::Wide(v) if dtype.is_integer() => {
                let bits: Vec<i64> = v.iter().map(|&w| w as i64).collect();
                let a = NdArray::from_vec(bits, shape).py_err()?;
                return if dtype == DType::Int64 {
                    Ok(a)
                } else {
                    a.astype(dtype).py_err()
                };
            }
            w @ Values::Wide(_) => NdArray::from_vec(w.as_f64(), shape),
            Values::Float(v) => NdArray::from_vec(v, shape),
        }
        .py_err()?;
        if a.dtype() == dtype {
            Ok(a)
        } else {
            a.astype(dtype).py_err()
        }
    }
}

/// Length of a list or tuple without type dispatch through pyo3.
///
/// # Safety
/// GIL held; `ptr` live.
#[inline(always)]
unsafe fn seq_len(ptr: *mut ffi::PyObject) -> Option<isize> {
    unsafe {
        let ty = ffi::Py_TYPE(ptr);
        if ty == &raw mut ffi::PyList_Type {
            Some(ffi::PyList_Size(ptr))
        } else if ty == &raw mut ffi::PyTuple_Type {
            Some(ffi::PyTuple_Size(ptr))
        } else {
            None
        }
    }
}

/// Borrowed item `i` of a list or tuple (checked by `seq_len`).
///
/// # Safety
/// GIL held; `ptr` is a list or tuple with more than `i` items.
#[inline(always)]
unsafe fn seq_item(ptr: *mut ffi::PyObject, i: isize) -> *mut ffi::PyObject {
    unsafe {
        if ffi::Py_TYPE(ptr) == &raw mut ffi::PyList_Type {
            ffi::PyList_GetItem(ptr, i)
        } else {
            ffi::PyTuple_GetItem(ptr, i)
        }
    }
}

fn ragged(depth: usize, shape: &[usize]) -> PyErr {
    let detected = &shape[..depth.min(shape.len())];
    PyValueError::new_err(format!(
        "setting an array element with a sequence. The requested array has an inhomogeneous \
         shape after {depth} dimensions. The detected shape was {} + inhomogeneous part.",
        layout::shape_str(detected)
    ))
}

/// Builds an array from nested lists/tuples of scalars (and arrays), NumPy's way.
pub fn from_nested(obj: &Bound<'_, PyAny>, dtype: Option<DType>) -> PyResult<NdArray> {
    let py = obj.py();
    // Discover the shape along the first elements.
    let mut shape = Vec::new();
    let mut cur = obj.as_ptr();
    // SAFETY: GIL held; pointers are borrowed from containers alive for this call.
    unsafe {
        while let Some(n) = seq_len(cur) {
            shape.push(n as usize);
            if n == 0 {
                break;
            }
            cur = seq_item(cur, 0);
        }
        let leaf = Bound::from_borrowed_ptr(py, cur);
        if let Ok(a) = leaf.cast::<PyNdArray>() {
            shape.extend_from_slice(a.get().inner.shape());
        }
    }
    let size = layout::checked_size(&shape).py_err()?;
    let mut out = Collector {
        values: Values::Bool(Vec::with_capacity(size)),
        seen: 0,
        typed: None,
    };
    // SAFETY: GIL held; `obj` is live.
    unsafe {
        // A flat list of floats (a JSON body) is the hot case: collect straight into f64s.
        if size > 0 && !shape.is_empty() {
            let mut first = obj.as_ptr();
            while seq_len(first).is_some_and(|n| n > 0) {
                first = seq_item(first, 0);
            }
            let ty = ffi::Py_TYPE(first);
            if ty == &raw mut ffi::PyFloat_Type {
                out.values = Values::Float(Vec::with_capacity(size));
            } else if ty == &raw mut ffi::PyLong_Type {
                out.values = Values::Int(Vec::with_capacity(size));
            }
        }
        fill(obj.as_ptr(), 0, &shape, &mut out, py)?;
    }
    let dtype = dtype.unwrap_or_else(|| out.natural_dtype());
    out.values.into_array(&shape, dtype)
}

/// # Safety
/// GIL held; `ptr` live.
unsafe fn fill(
    ptr: *mut ffi::PyObject,
    depth: usize,
    shape: &[usize],
    out: &mut Collector,
    py: Python<'_>,
) -> PyResult<()> {
    unsafe {
        if depth == shape.len() {
            if seq_len(ptr).is_some() {
                return Err(ragged(depth, shape));
            }
            if let Some(s) = fast_leaf(ptr) {
                return out.push(s?, None);
            }
            let obj = Bound::from_borrowed_ptr(py, ptr);
            return match extract_typed_scalar(&obj)? {
                Some((s, dt)) => out.push(s, dt),
                None => Err(PyTypeError::new_err(format!(
                    "cannot convert element of type '{}' to a raptors array element",
                    obj.get_type().name()?
                ))),
            };
        }
        match seq_len(ptr) {
            Some(n) if n as usize == shape[depth] => {
                if depth + 1 == shape.len() {
                    // Tight loop for the innermost run; Python floats and ints skip the generic
                    // leaf path.
                    for i in 0..n {
                        let item = seq_item(ptr, i);
                        match &mut out.values {
                            Values::Float(v)
                                if ffi::Py_TYPE(item) == &raw mut ffi::PyFloat_Type =>
                            {
                                v.push(ffi::PyFloat_AsDouble(item));
                                out.seen |= SAW_FLOAT;
                                continue;
                            }
                            Values::Int(v) if ffi::Py_TYPE(item) == &raw mut ffi::PyLong_Type => {
                                let mut overflow = 0;
                                let x = ffi::PyLong_AsLongLongAndOverflow(item, &mut overflow);
                                if overflow == 0 {
                                    v.push(x);
                                    out.seen |= SAW_INT;
                                    continue;
                                }
                            }
                            _ => {}
                        }
                        fill(item, depth + 1, shape, out, py)?;
                    }
                    return Ok(());
                }
                for i in 0..n {
                    fill(seq_item(ptr, i), depth + 1, shape, out, py)?;
                }
                Ok(())
            }
            Some(_) => Err(ragged(depth, shape)),
            None => {
                let obj = Bound::from_borrowed_ptr(py, ptr);
                if let Ok(a) = obj.cast::<PyNdArray>() {
                    let a = &a.get().inner;
                    if a.shape() != &shape[depth..] {
                        return Err(ragged(depth, shape));
                    }
                    let c = a.as_contiguous().py_err()?;
                    for k in 0..c.size() {
                        out.push(c.get_scalar(&unravel(k, c.shape())), Some(c.dtype()))?;
                    }
                    return Ok(());
                }
                Err(ragged(depth, shape))
            }
        }
    }
}

fn unravel(mut k: usize, shape: &[usize]) -> Vec<usize> {
    let mut idx = vec![0; shape.len()];
    for d in (0..shape.len()).rev() {
        idx[d] = k % shape[d];
        k /= shape[d];
    }
    idx
}

/// A `Py_buffer` export (any ndim, 0-d included) kept alive for as long as an Arrow `Buffer`
/// uses its memory; released with the GIL on drop.
struct PyBufferOwner(Box<ffi::Py_buffer>);
// SAFETY: the exporter keeps the memory valid until release; release happens under the GIL.
unsafe impl Send for PyBufferOwner {}
unsafe impl Sync for PyBufferOwner {}
impl std::panic::RefUnwindSafe for PyBufferOwner {}

impl Drop for PyBufferOwner {
    fn drop(&mut self) {
        // SAFETY: the view was filled by a successful PyObject_GetBuffer and is released once.
        Python::try_attach(|_| unsafe { ffi::PyBuffer_Release(&mut *self.0) });
    }
}

impl PyBufferOwner {
    fn get(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        // SAFETY: Py_buffer is plain data; PyObject_GetBuffer fills it or fails.
        let mut view: Box<ffi::Py_buffer> = Box::new(unsafe { std::mem::zeroed() });
        let rc =
            unsafe { ffi::PyObject_GetBuffer(obj.as_ptr(), &mut *view, ffi::PyBUF_RECORDS_RO) };
        if rc != 0 {
            return Err(PyErr::fetch(obj.py()));
        }
        Ok(PyBufferOwner(view))
    }

    fn dims(&self) -> (Vec<usize>, Vec<isize>) {
        let v = &*self.0;
        let nd = v.ndim as usize;
        // SAFETY: with PyBUF_STRIDES the exporter fills shape/strides for ndim > 0.
        unsafe {
            if nd == 0 {
                (vec![], vec![])
            } else {
                let shape = std::slice::from_raw_parts(v.shape, nd)
                    .iter()
                    .map(|&d| d as usize)
                    .collect();
                let strides = std::slice::from_raw_parts(v.strides, nd).to_vec();
                (shape, strides)
            }
        }
    }
}

/// The bytes of a contiguous buffer exporter as an Arrow `Buffer` that keeps the export (and so
/// the object) alive, zero-copy; and whether the export is writable.
pub fn bytes_buffer(obj: &Bound<'_, PyAny>) -> PyResult<(arrow_buffer::Buffer, bool)> {
    // SAFETY: plain type-slot query.
    if obj.is_instance_of::<PyString>() || unsafe { ffi::PyObject_CheckBuffer(obj.as_ptr()) } == 0 {
        return Err(PyTypeError::new_err(format!(
            "expected a bytes-like object (bytes, bytearray, memoryview, ...), not '{}'",
            obj.get_type().name()?
        )));
    }
    // SAFETY: Py_buffer is plain data; PyObject_GetBuffer fills it or fails. PyBUF_SIMPLE asks
    // for one contiguous run of bytes (exporters refuse when they cannot give one).
    let mut view: Box<ffi::Py_buffer> = Box::new(unsafe { std::mem::zeroed() });
    let rc = unsafe { ffi::PyObject_GetBuffer(obj.as_ptr(), &mut *view, ffi::PyBUF_SIMPLE) };
    if rc != 0 {
        return Err(PyErr::fetch(obj.py()));
    }
    let owner = PyBufferOwner(view);
    let writable = owner.0.readonly == 0;
    let len = owner.0.len.max(0) as usize;
    let Some(base) = std::ptr::NonNull::new(owner.0.buf as *mut u8).filter(|_| len > 0) else {
        return Ok((arrow_buffer::Buffer::from(Vec::<u8>::new()), writable));
    };
    // SAFETY: [base, base + len) is the exported memory, kept alive by `owner`.
    let buffer =
        unsafe { arrow_buffer::Buffer::from_custom_allocation(base, len, Arc::new(owner)) };
    Ok((buffer, writable))
}

fn dtype_from_format(format: &str, itemsize: usize) -> PyResult<DType> {
    let (order, code) = match format.chars().next() {
        Some(c @ ('@' | '=' | '<' | '>' | '!')) => (c, &format[1..]),
        _ => ('@', format),
    };
    let unsupported = || {
        PyTypeError::new_err(format!(
            "unsupported buffer format '{format}' (itemsize {itemsize})"
        ))
    };
    if matches!(order, '>' | '!') && itemsize > 1 {
        return Err(PyTypeError::new_err(format!(
            "non-native byte order in buffer format '{format}' is not supported"
        )));
    }
    let dt = match code {
        "?" => DType::Bool,
        "b" => DType::Int8,
        "B" | "c" => DType::UInt8,
        "e" => DType::Float16,
        "f" => DType::Float32,
        "d" => DType::Float64,
        "h" | "i" | "l" | "q" | "n" => match itemsize {
            2 => DType::Int16,
            4 => DType::Int32,
            8 => DType::Int64,
            _ => return Err(unsupported()),
        },
        "H" | "I" | "L" | "Q" | "N" => match itemsize {
            2 => DType::UInt16,
            4 => DType::UInt32,
            8 => DType::UInt64,
            _ => return Err(unsupported()),
        },
        _ => return Err(unsupported()),
    };
    if dt.itemsize() != itemsize {
        return Err(unsupported());
    }
    Ok(dt)
}

/// A zero-copy array over any object exporting the buffer protocol (keeps it alive).
/// `None` when the object exports no buffer.
pub fn from_buffer_protocol(obj: &Bound<'_, PyAny>) -> PyResult<Option<NdArray>> {
    if obj.is_instance_of::<PyString>() {
        return Ok(None);
    }
    // SAFETY: plain type-slot query.
    if unsafe { ffi::PyObject_CheckBuffer(obj.as_ptr()) } == 0 {
        return Ok(None);
    }
    let buf = PyBufferOwner::get(obj)?;
    let format = if buf.0.format.is_null() {
        "B".to_string()
    } else {
        // SAFETY: a non-null format is a NUL-terminated string owned by the export.
        unsafe { std::ffi::CStr::from_ptr(buf.0.format) }
            .to_string_lossy()
            .into_owned()
    };
    let dtype = dtype_from_format(&format, buf.0.itemsize as usize)?;
    let (shape, strides) = buf.dims();
    let writeable = buf.0.readonly == 0;
    if layout::size_of(&shape) == 0 {
        let mut a = NdArray::zeros(dtype, &shape).py_err()?;
        a.set_writeable(writeable).py_err()?;
        return Ok(Some(a));
    }
    let (lo, hi) = layout::byte_extent(&shape, &strides, dtype.itemsize());
    // SAFETY: the exporter guarantees every element addressed by shape/strides is valid memory.
    let base = unsafe { (buf.0.buf as *mut u8).offset(lo) };
    let base = std::ptr::NonNull::new(base)
        .ok_or_else(|| PyValueError::new_err("buffer has a null data pointer"))?;
    let owner = Arc::new(buf);
    // SAFETY: [base, base + (hi - lo)) is the exported memory, kept alive by `owner`.
    let buffer =
        unsafe { arrow_buffer::Buffer::from_custom_allocation(base, (hi - lo) as usize, owner) };
    NdArray::from_buffer(buffer, dtype, shape, strides, (-lo) as usize, writeable)
        .py_err()
        .map(Some)
}

/// Everything `rp.asarray` accepts, as an array (without copying where it can avoid it).
/// Raptors arrays come back as views of themselves.
/// `obj` as an array without a dtype change: a raptors array is borrowed (no clone), anything
/// else is converted as by `to_ndarray`.
pub fn as_ndarray<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<std::borrow::Cow<'a, NdArray>> {
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return Ok(std::borrow::Cow::Borrowed(&a.get().inner));
    }
    Ok(std::borrow::Cow::Owned(to_ndarray(obj, None)?))
}

pub fn to_ndarray(obj: &Bound<'_, PyAny>, dtype: Option<DType>) -> PyResult<NdArray> {
    Ok(to_ndarray_shared(obj, dtype, None)?.0)
}

/// As `to_ndarray`, also telling whether the result shares memory with `obj` (raptors arrays
/// and buffer exporters without a dtype change) or is new.
pub fn to_ndarray_shared(
    obj: &Bound<'_, PyAny>,
    dtype: Option<DType>,
    fill_null: Option<Scalar>,
) -> PyResult<(NdArray, bool)> {
    let convert = |a: NdArray| match dtype {
        Some(d) if d != a.dtype() => Ok((a.astype(d).py_err()?, false)),
        _ => Ok((a, true)),
    };
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return convert(a.get().inner.clone());
    }
    // SAFETY: obj is live and the GIL is held.
    if let Some(s) = unsafe { fast_leaf(obj.as_ptr()) } {
        return Ok((scalar_array(s?, dtype)?, false));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        return Ok((from_nested(obj, dtype)?, false));
    }
    // NumPy-like arrays of dtypes raptors lacks: say which dtype, not which buffer format.
    if obj.hasattr("__array_interface__")? {
        if let Ok(np_dtype) = obj.getattr("dtype") {
            if crate::dtype::extract_dtype(&np_dtype).is_err() {
                return Err(PyTypeError::new_err(format!(
                    "raptors does not support dtype {} (supported: bool, int8-int64, \
                     uint8-uint64, float16, float32, float64 in native byte order)",
                    np_dtype.str()?
                )));
            }
        }
    }
    // Buffer exporters (NumPy arrays and scalars, bytearray, array.array, ...) keep their dtype.
    if let Some(a) = from_buffer_protocol(obj)? {
        return convert(a);
    }
    // Arrow producers (pyarrow, Polars, pandas, arro3): zero-copy unless it must concatenate,
    // fill nulls or unpack booleans.
    if let Some(a) = crate::arrow::import(obj, fill_null)? {
        return convert(a);
    }
    if let Some(s) = extract_scalar(obj)? {
        return Ok((scalar_array(s, dtype)?, false));
    }
    // Anything else NumPy can read (`__array__`, `__array_interface__`): through NumPy.
    if obj.hasattr("__array__")? || obj.hasattr("__array_interface__")? {
        let np = obj.py().import("numpy")?.call_method1("asarray", (obj,))?;
        return to_ndarray_shared(&np, dtype, fill_null);
    }
    Err(PyTypeError::new_err(format!(
        "cannot convert object of type '{}' to a raptors array",
        obj.get_type().name()?
    )))
}

/// A 0-d array holding a Python scalar (checked against an integer dtype's range).
pub fn scalar_array(s: Scalar, dtype: Option<DType>) -> PyResult<NdArray> {
    let dt = dtype.unwrap_or_else(|| s.default_dtype());
    check_scalar_for(s, dt)?;
    raptors_core::ops::create::full(&[], s, Some(dt)).py_err()
}

/// NumPy 2's rules for putting a Python scalar into an array of `dtype`.
pub fn check_scalar_for(s: Scalar, dtype: DType) -> PyResult<()> {
    match s {
        Scalar::Float(f) if dtype.is_integer() && f.is_nan() => {
            Err(PyValueError::new_err("cannot convert float NaN to integer"))
        }
        Scalar::Float(f) if dtype.is_integer() && f.is_infinite() => Err(PyOverflowError::new_err(
            "cannot convert float infinity to integer",
        )),
        // Python's int(f), then a C integer: beyond 64 bits nothing holds it.
        Scalar::Float(f)
            if dtype.is_integer()
                && !(-9.223_372_036_854_776e18..1.844_674_407_370_955_2e19).contains(&f) =>
        {
            Err(PyOverflowError::new_err(
                "Python int too large to convert to C long",
            ))
        }
        _ => s.check_fits(dtype).py_err(),
    }
}

pub fn scalar_to_py<'py>(py: Python<'py>, s: Scalar) -> PyResult<Bound<'py, PyAny>> {
    Ok(match s {
        Scalar::Bool(b) => PyBool::new(py, b).to_owned().into_any(),
        Scalar::Int(i) => i.into_pyobject(py)?.into_any(),
        Scalar::UInt(u) => u.into_pyobject(py)?.into_any(),
        Scalar::Float(f) => PyFloat::new(py, f).into_any(),
    })
}

/// `a.tolist()`: nested lists of Python scalars (a scalar for 0-d).
pub fn tolist<'py>(py: Python<'py>, a: &NdArray) -> PyResult<Bound<'py, PyAny>> {
    if a.ndim() == 0 {
        return scalar_to_py(py, a.item().py_err()?);
    }
    let c = a.as_contiguous().py_err()?;
    let values: Vec<Bound<'py, PyAny>> = raptors_core::dispatch!(c.dtype(), T => {
        let s = c.as_slice::<T>().expect("contiguous");
        s.iter().map(|&v| scalar_to_py(py, Scalar::from_element(v))).collect::<PyResult<_>>()?
    });
    nest(py, &values, c.shape())
}

fn nest<'py>(
    py: Python<'py>,
    flat: &[Bound<'py, PyAny>],
    shape: &[usize],
) -> PyResult<Bound<'py, PyAny>> {
    if shape.len() == 1 {
        return Ok(PyList::new(py, flat)?.into_any());
    }
    let step = layout::size_of(&shape[1..]);
    let items = (0..shape[0])
        .map(|i| nest(py, &flat[i * step..(i + 1) * step], &shape[1..]))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyList::new(py, items)?.into_any())
}

pub fn is_int(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>()
}

/// Whether `obj` converts to an array: raptors arrays, Python scalars and sequences, buffer
/// exporters, NumPy-likes (`__array__`) and Arrow producers.
pub fn is_array_like(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    if obj.is_instance_of::<PyNdArray>()
        || obj.is_instance_of::<PyList>()
        || obj.is_instance_of::<PyTuple>()
    {
        return Ok(true);
    }
    if obj.is_instance_of::<PyString>() || obj.is_none() {
        return Ok(false);
    }
    // SAFETY: a type check only.
    if unsafe { fast_leaf(obj.as_ptr()) }.is_some()
        || unsafe { ffi::PyObject_CheckBuffer(obj.as_ptr()) } != 0
    {
        return Ok(true);
    }
    for attr in [
        "__array__",
        "__array_interface__",
        "__arrow_c_array__",
        "__arrow_c_stream__",
        "__index__",
        "__float__",
    ] {
        if obj.hasattr(attr)? {
            return Ok(true);
        }
    }
    Ok(false)
}
