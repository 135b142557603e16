//! Strided copies with dtype conversion: `copy`, `astype`, assignment and `fill`.

use crate::array::NdArray;
use crate::cast::{CastTo, Scalar};
use crate::dispatch;
use crate::dtype::{DType, Element};
use crate::error::Result;
use crate::layout::{self, for_each_run};

/// Walks `shape` over a source and a destination (byte strides each) and converts every
/// element. Contiguous inner runs become plain slice loops that LLVM vectorises.
///
/// # Safety
/// Both pointer/stride sets must address valid elements for `shape`; the destination must
/// not be read or written by anyone else and must not overlap the source.
unsafe fn cast_strided<S: CastTo<D> + Element, D: Element>(
    src: *const u8,
    src_strides: &[isize],
    dst: *mut u8,
    dst_strides: &[isize],
    shape: &[usize],
) {
    let (ss, ds) = (size_of::<S>() as isize, size_of::<D>() as isize);
    for_each_run(
        shape,
        [src_strides, dst_strides],
        |[so, d_o], n, [sst, dst_]| unsafe {
            let s = src.offset(so);
            let d = dst.offset(d_o);
            if sst == ss
                && dst_ == ds
                && (s as usize).is_multiple_of(align_of::<S>())
                && (d as usize).is_multiple_of(align_of::<D>())
            {
                // SAFETY: contiguous, aligned, in-bounds runs of n elements that do not overlap.
                let s = std::slice::from_raw_parts(s as *const S, n);
                let d = std::slice::from_raw_parts_mut(d as *mut D, n);
                for (o, &i) in d.iter_mut().zip(s) {
                    *o = i.cast();
                }
            } else {
                for k in 0..n as isize {
                    let v: S = std::ptr::read_unaligned(s.offset(k * sst) as *const S);
                    std::ptr::write_unaligned(d.offset(k * dst_) as *mut D, v.cast());
                }
            }
        },
    );
}

/// Converts `src` (already broadcast to `dst`'s shape) into `dst`.
///
/// # Safety
/// The caller holds `dst`'s write borrow (or `dst` is fresh) and the memory ranges do not overlap.
pub(crate) unsafe fn copy_cast_into(src: &NdArray, dst: &NdArray) {
    debug_assert_eq!(src.shape(), dst.shape());
    let (sp, dp) = (src.data_ptr(), dst.data_ptr_mut());
    dispatch!(src.dtype(), S => dispatch!(dst.dtype(), D => unsafe {
        cast_strided::<S, D>(sp, src.strides(), dp, dst.strides(), src.shape())
    }))
}

/// True when the byte ranges the two arrays address intersect.
pub(crate) fn may_overlap(a: &NdArray, b: &NdArray) -> bool {
    if !a.shares_buffer(b) || a.size() == 0 || b.size() == 0 {
        return false;
    }
    let range = |x: &NdArray| {
        let (lo, hi) = layout::byte_extent(x.shape(), x.strides(), x.itemsize());
        let base = x.data_ptr() as isize;
        (base + lo, base + hi)
    };
    let ((alo, ahi), (blo, bhi)) = (range(a), range(b));
    alo < bhi && blo < ahi
}

impl NdArray {
    /// A C-contiguous copy in a fresh buffer.
    pub fn copy(&self) -> Result<NdArray> {
        self.astype(self.dtype())
    }

    /// A C-contiguous array with the contents, converted to `dtype` (always a new buffer).
    pub fn astype(&self, dtype: DType) -> Result<NdArray> {
        let out = NdArray::alloc(dtype, self.shape(), false)?;
        // SAFETY: `out` is fresh and private.
        unsafe { copy_cast_into(self, &out) };
        Ok(out)
    }

    /// This array when already C-contiguous and aligned, else a contiguous copy.
    pub fn as_contiguous(&self) -> Result<NdArray> {
        if self.is_c_contiguous() && self.is_aligned() {
            Ok(self.clone())
        } else {
            self.copy()
        }
    }

    /// `self[...] = value`: broadcasts `value` to this shape and converts it (unsafe casting,
    /// as NumPy's `__setitem__`). Overlapping source memory is copied first.
    pub fn assign(&self, value: &NdArray) -> Result<()> {
        let src = value
            .broadcast_to(self.shape())
            .map_err(|_| crate::array::view::assign_shape_error(value.shape(), self.shape()))?;
        let _guard = self.write_guard()?;
        let src = if may_overlap(&src, self) {
            src.copy()?.broadcast_to(self.shape())?
        } else {
            src
        };
        // SAFETY: write borrow held; no overlap.
        unsafe { copy_cast_into(&src, self) };
        Ok(())
    }

    /// Sets every element to `value` (converted with C-cast semantics).
    pub fn fill(&self, value: Scalar) -> Result<()> {
        let _guard = self.write_guard()?;
        let shape = self.shape();
        let dp = self.data_ptr_mut();
        dispatch!(self.dtype(), T => {
            let v: T = value.cast();
            let size = size_of::<T>() as isize;
            for_each_run(shape, [self.strides()], |[o], n, [st]| unsafe {
                // SAFETY: write borrow held; offsets come from this array's geometry.
                let p = dp.offset(o);
                if st == size && (p as usize).is_multiple_of(align_of::<T>()) {
                    std::slice::from_raw_parts_mut(p as *mut T, n).fill(v);
                } else {
                    for k in 0..n as isize {
                        std::ptr::write_unaligned(p.offset(k * st) as *mut T, v);
                    }
                }
            });
        });
        Ok(())
    }

    /// Reads one element (multi-index already validated) as a `Scalar`.
    pub fn get_scalar(&self, index: &[usize]) -> Scalar {
        // SAFETY: element_ptr addresses a valid element of this dtype.
        unsafe { Scalar::read(self.element_ptr(index), self.dtype()) }
    }

    /// The single element of a size-1 array (`item()`).
    pub fn item(&self) -> Result<Scalar> {
        if self.size() != 1 {
            return Err(crate::error::Error::Value(
                "can only convert an array of size 1 to a Python scalar".into(),
            ));
        }
        Ok(self.get_scalar(&vec![0; self.ndim()]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::{IndexItem, SliceSpec};
    use half::f16;

    #[test]
    fn astype_strided_and_negative() {
        let a = NdArray::from_vec((0..12).map(|x| x as f64 + 0.7).collect(), &[3, 4]).unwrap();
        let t = a.transpose(None).unwrap().flip(Some(&[0])).unwrap();
        let b = t.astype(DType::Int16).unwrap();
        assert_eq!(b.shape(), &[4, 3]);
        assert_eq!(
            b.to_vec::<i16>().unwrap(),
            vec![3, 7, 11, 2, 6, 10, 1, 5, 9, 0, 4, 8]
        );
        let h = a.astype(DType::Float16).unwrap();
        assert_eq!(h.to_vec::<f16>().unwrap()[1], f16::from_f64(1.7));
        let bools = a.astype(DType::Bool).unwrap();
        assert!(bools.to_vec::<bool>().unwrap().iter().all(|&x| x));
    }

    #[test]
    fn assign_broadcasts_and_handles_overlap() {
        let a = NdArray::from_vec((0..5i32).collect(), &[5]).unwrap();
        let head = a
            .index(&[IndexItem::Slice(SliceSpec {
                start: None,
                stop: Some(4),
                step: None,
            })])
            .unwrap();
        let tail = a
            .index(&[IndexItem::Slice(SliceSpec {
                start: Some(1),
                stop: None,
                step: None,
            })])
            .unwrap();
        tail.assign(&head).unwrap();
        assert_eq!(a.to_vec::<i32>().unwrap(), vec![0, 0, 1, 2, 3]);
        let m = NdArray::zeros(DType::Float32, &[2, 3]).unwrap();
        m.assign(&NdArray::from_vec(vec![1.5f64, 2.5, 3.5], &[3]).unwrap())
            .unwrap();
        assert_eq!(
            m.to_vec::<f32>().unwrap(),
            vec![1.5, 2.5, 3.5, 1.5, 2.5, 3.5]
        );
        let e = m
            .assign(&NdArray::zeros(DType::Int8, &[2]).unwrap())
            .unwrap_err();
        assert!(e.to_string().contains("from shape (2,) into shape (2,3)"));
    }

    #[test]
    fn fill_through_view_is_seen_by_base() {
        let m = NdArray::zeros(DType::UInt8, &[3, 3]).unwrap();
        m.index(&[IndexItem::Int(1)])
            .unwrap()
            .fill(Scalar::Int(7))
            .unwrap();
        assert_eq!(m.to_vec::<u8>().unwrap(), vec![0, 0, 0, 7, 7, 7, 0, 0, 0]);
        assert_eq!(
            m.item().unwrap_err().to_string(),
            "can only convert an array of size 1 to a Python scalar"
        );
    }
}
