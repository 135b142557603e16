//! `NdArray`: an Arrow `Buffer` plus dtype, shape, byte strides and byte offset.
//!
//! Views share the buffer (and its `BorrowState`); writes through any view are seen by all.
//! Memory is written only through `write_guard`, which fails while a job holds a read borrow.

mod storage;
pub(crate) mod view;

pub use storage::{
    alloc_buffer, buffer_cache_bytes, holding_write, human_bytes, BorrowState, ExportBorrow,
    ReadBorrow, WriteBorrow, ALIGNMENT,
};
pub use view::{IndexItem, SliceSpec};

use crate::dtype::{DType, Element};
use crate::error::{Error, Result};
use crate::layout;
use arrow_buffer::Buffer;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct NdArray {
    buffer: Buffer,
    state: Arc<BorrowState>,
    dtype: DType,
    shape: Vec<usize>,
    strides: Vec<isize>,
    /// Byte offset of the first element (index 0 on every axis) within `buffer`.
    offset: usize,
    writeable: bool,
}

impl NdArray {
    /// Wraps existing memory, checking that every addressed byte lies inside `buffer`.
    pub fn from_buffer(
        buffer: Buffer,
        dtype: DType,
        shape: Vec<usize>,
        strides: Vec<isize>,
        offset: usize,
        writeable: bool,
    ) -> Result<NdArray> {
        Self::from_parts(
            buffer,
            BorrowState::new(),
            dtype,
            shape,
            strides,
            offset,
            writeable,
        )
    }

    fn from_parts(
        buffer: Buffer,
        state: Arc<BorrowState>,
        dtype: DType,
        shape: Vec<usize>,
        strides: Vec<isize>,
        offset: usize,
        writeable: bool,
    ) -> Result<NdArray> {
        if shape.len() != strides.len() {
            return Err(Error::Value(
                "shape and strides must have the same length".into(),
            ));
        }
        layout::checked_size(&shape)?;
        let (lo, hi) = layout::byte_extent(&shape, &strides, dtype.itemsize());
        let size = layout::size_of(&shape);
        if size > 0 && (offset as isize + lo < 0 || offset as isize + hi > buffer.len() as isize) {
            return Err(Error::Value(
                "strides and offset address memory outside the buffer".into(),
            ));
        }
        Ok(NdArray {
            buffer,
            state,
            dtype,
            shape,
            strides,
            offset,
            writeable,
        })
    }

    /// A new C-contiguous array; contents are unspecified unless `zeroed`.
    pub fn alloc(dtype: DType, shape: &[usize], zeroed: bool) -> Result<NdArray> {
        let size = layout::checked_size(shape)?;
        let nbytes = size
            .checked_mul(dtype.itemsize())
            .filter(|&n| n <= isize::MAX as usize);
        let nbytes = nbytes.ok_or_else(|| {
            Error::Value("array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.".into())
        })?;
        let buffer = alloc_buffer(nbytes, zeroed).map_err(|_| {
            Error::Alloc(format!(
                "Unable to allocate {} for an array with shape {} and data type {}",
                human_bytes(nbytes),
                layout::shape_str(shape),
                dtype
            ))
        })?;
        let strides = layout::c_strides(shape, dtype.itemsize());
        Ok(NdArray {
            buffer,
            state: BorrowState::new(),
            dtype,
            shape: shape.to_vec(),
            strides,
            offset: 0,
            writeable: true,
        })
    }

    pub fn zeros(dtype: DType, shape: &[usize]) -> Result<NdArray> {
        Self::alloc(dtype, shape, true)
    }

    /// A C-contiguous array owning `data` (moved into an aligned buffer).
    pub fn from_vec<T: Element>(data: Vec<T>, shape: &[usize]) -> Result<NdArray> {
        if layout::checked_size(shape)? != data.len() {
            return Err(Error::Value(format!(
                "cannot reshape array of size {} into shape {}",
                data.len(),
                layout::shape_str(shape)
            )));
        }
        let out = Self::alloc(T::DTYPE, shape, false)?;
        // SAFETY: `out` is freshly allocated with room for exactly data.len() elements of T.
        unsafe {
            std::ptr::copy_nonoverlapping(data.as_ptr(), out.data_ptr_mut() as *mut T, data.len());
        }
        Ok(out)
    }

    /// A view sharing this array's buffer and borrow state, with new geometry.
    pub fn view_with(
        &self,
        shape: Vec<usize>,
        strides: Vec<isize>,
        offset: usize,
    ) -> Result<NdArray> {
        Self::from_parts(
            self.buffer.clone(),
            self.state.clone(),
            self.dtype,
            shape,
            strides,
            offset,
            self.writeable,
        )
    }

    /// A view with new geometry that the caller has derived from this array's valid geometry.
    pub(crate) fn view_unchecked(
        &self,
        shape: Vec<usize>,
        strides: Vec<isize>,
        offset: usize,
    ) -> NdArray {
        debug_assert!(self
            .view_with(shape.clone(), strides.clone(), offset)
            .is_ok());
        NdArray {
            buffer: self.buffer.clone(),
            state: self.state.clone(),
            dtype: self.dtype,
            shape,
            strides,
            offset,
            writeable: self.writeable,
        }
    }

    pub fn dtype(&self) -> DType {
        self.dtype
    }
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }
    pub fn strides(&self) -> &[isize] {
        &self.strides
    }
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }
    pub fn size(&self) -> usize {
        layout::size_of(&self.shape)
    }
    pub fn itemsize(&self) -> usize {
        self.dtype.itemsize()
    }
    pub fn nbytes(&self) -> usize {
        self.size() * self.itemsize()
    }
    pub fn offset(&self) -> usize {
        self.offset
    }
    pub fn buffer(&self) -> &Buffer {
        &self.buffer
    }
    pub fn borrow_state(&self) -> &Arc<BorrowState> {
        &self.state
    }
    pub fn is_writeable(&self) -> bool {
        self.writeable
    }
    /// Marks this view read-only (other views keep their own flag, as in NumPy).
    pub fn set_writeable(&mut self, writeable: bool) -> Result<()> {
        if writeable && !self.writeable {
            return Err(Error::Value(
                "cannot set WRITEABLE flag to True of this array".into(),
            ));
        }
        self.writeable = writeable;
        Ok(())
    }
    pub fn is_c_contiguous(&self) -> bool {
        layout::is_c_contiguous(&self.shape, &self.strides, self.itemsize())
    }
    pub fn is_f_contiguous(&self) -> bool {
        layout::is_f_contiguous(&self.shape, &self.strides, self.itemsize())
    }
    /// True when both arrays view the same allocation.
    pub fn shares_buffer(&self, other: &NdArray) -> bool {
        Arc::ptr_eq(&self.state, &other.state)
    }

    /// Address of the first element.
    pub fn data_ptr(&self) -> *const u8 {
        // SAFETY: from_parts checked offset (plus extent) lies inside the buffer.
        unsafe { self.buffer.as_ptr().add(self.offset) }
    }

    /// Mutable address of the first element. Writing through it is only sound while holding a
    /// `WriteBorrow` from `write_guard` (or on a fresh array nobody else can see).
    pub(crate) fn data_ptr_mut(&self) -> *mut u8 {
        self.data_ptr() as *mut u8
    }

    /// Checks writability and takes the buffer exclusively for a write.
    pub fn write_guard(&self) -> Result<WriteBorrow> {
        if !self.writeable {
            return Err(Error::ReadOnly);
        }
        self.state.write()
    }

    /// A writable export to foreign code (NumPy view, DLPack), held until it releases it.
    pub fn export_writable(&self) -> Result<ExportBorrow> {
        if !self.writeable {
            return Err(Error::ReadOnly);
        }
        self.state.export_writable()
    }

    /// `np.frombuffer`: the bytes of a C-contiguous array from `offset`, read as `count`
    /// elements of `dtype` (all that fit when `None`). A view: no copy.
    pub fn frombuffer(&self, dtype: DType, count: Option<usize>, offset: usize) -> Result<NdArray> {
        if !self.is_c_contiguous() {
            return Err(Error::Value(
                "frombuffer needs a C-contiguous buffer".into(),
            ));
        }
        let len = self.nbytes();
        if offset > len {
            return Err(Error::Value(format!(
                "offset must be non-negative and no greater than buffer length ({len})"
            )));
        }
        let avail = len - offset;
        let isz = dtype.itemsize();
        let n = match count {
            Some(n) => {
                if n.checked_mul(isz).is_none_or(|b| b > avail) {
                    return Err(Error::Value("buffer is smaller than requested size".into()));
                }
                n
            }
            None => {
                if !avail.is_multiple_of(isz) {
                    return Err(Error::Value(
                        "buffer size must be a multiple of element size".into(),
                    ));
                }
                avail / isz
            }
        };
        NdArray::from_parts(
            self.buffer.clone(),
            self.state.clone(),
            dtype,
            vec![n],
            vec![isz as isize],
            self.offset + offset,
            self.writeable,
        )
    }

    /// A read borrow held by jobs for their whole life.
    pub fn read_borrow(&self) -> Result<ReadBorrow> {
        self.state.read()
    }

    /// True when the first element is aligned for the dtype (foreign memory may not be).
    pub fn is_aligned(&self) -> bool {
        (self.data_ptr() as usize).is_multiple_of(self.itemsize())
    }

    /// The contiguous elements as a slice, when the layout is C-contiguous, aligned and `T`
    /// matches.
    pub fn as_slice<T: Element>(&self) -> Option<&[T]> {
        if T::DTYPE != self.dtype || !self.is_c_contiguous() || !self.is_aligned() {
            return None;
        }
        // SAFETY: C-contiguous, dtype matches, inside the buffer; Rust readers of shared memory
        // rely on the borrow discipline (no write while any reader exists).
        Some(unsafe { std::slice::from_raw_parts(self.data_ptr() as *const T, self.size()) })
    }

    /// Copies the elements out in C order.
    pub fn to_vec<T: Element>(&self) -> Result<Vec<T>> {
        if T::DTYPE != self.dtype {
            return Err(Error::Type(format!(
                "array has dtype {}, not {}",
                self.dtype,
                T::DTYPE
            )));
        }
        let c = self.as_contiguous()?;
        Ok(c.as_slice::<T>().expect("contiguous").to_vec())
    }

    /// Byte address of the element at a (validated, non-negative) multi-index.
    pub(crate) fn element_ptr(&self, index: &[usize]) -> *const u8 {
        let off: isize = index
            .iter()
            .zip(&self.strides)
            .map(|(&i, &s)| i as isize * s)
            .sum();
        // SAFETY: index is within shape, so the address is inside the checked extent.
        unsafe { self.data_ptr().offset(off) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_vec_and_back() {
        let a = NdArray::from_vec(vec![1.0f64, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3]).unwrap();
        assert_eq!(a.strides(), &[24, 8]);
        assert!(a.is_c_contiguous() && !a.is_f_contiguous());
        assert_eq!(a.data_ptr() as usize % ALIGNMENT, 0);
        assert_eq!(
            a.to_vec::<f64>().unwrap(),
            vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
        );
        assert!(NdArray::from_vec(vec![1i8, 2], &[3]).is_err());
    }

    #[test]
    fn bounds_are_checked() {
        let a = NdArray::zeros(DType::Int32, &[4]).unwrap();
        assert!(a.view_with(vec![5], vec![4], 0).is_err());
        assert!(a.view_with(vec![4], vec![-4], 12).is_ok());
        assert!(a.view_with(vec![4], vec![-4], 8).is_err());
        assert!(a.view_with(vec![0], vec![4], 16).is_ok());
    }

    #[test]
    fn huge_is_error_not_abort() {
        assert!(NdArray::alloc(DType::Float64, &[1 << 40, 1 << 30], false).is_err());
        let e = NdArray::alloc(DType::Float64, &[1 << 50], false).unwrap_err();
        assert!(matches!(e, Error::Alloc(_)), "{e:?}");
    }

    #[test]
    fn writes_respect_borrows() {
        let a = NdArray::zeros(DType::Float32, &[3]).unwrap();
        let view = a.view_with(vec![2], vec![4], 4).unwrap();
        let job = a.read_borrow().unwrap();
        assert!(matches!(view.write_guard(), Err(Error::Borrowed(_))));
        drop(job);
        assert!(view.write_guard().is_ok());
        let mut ro = a.clone();
        ro.set_writeable(false).unwrap();
        assert_eq!(ro.write_guard().unwrap_err(), Error::ReadOnly);
    }
}
