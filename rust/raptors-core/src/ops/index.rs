//! NumPy indexing in full: basic items give views; integer arrays and boolean masks give
//! copies (gather) and scatter on assignment, following NumPy's rules for where the broadcast
//! index dimensions land (in place when the advanced indices are adjacent, first otherwise).

use crate::array::{IndexItem, NdArray, SliceSpec};
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::layout::{self, for_each_run};

/// One component of a full index expression.
#[derive(Clone, Debug)]
pub enum Index {
    Int(isize),
    Slice(SliceSpec),
    NewAxis,
    Ellipsis,
    /// An integer or boolean array.
    Array(NdArray),
}

/// The index split into a basic view plus advanced (integer array) indices on its dims.
struct Advanced {
    view: NdArray,
    /// View dimension each advanced index applies to, in order.
    dims: Vec<usize>,
    /// The index arrays, broadcast together, as int64 with negatives resolved.
    indices: Vec<NdArray>,
    bshape: Vec<usize>,
    /// The advanced indices stand next to each other in the index expression (NumPy keeps
    /// their broadcast dims in place then; anything between them moves them first).
    adjacent: bool,
}

/// `np.nonzero` of a boolean array: one int64 index array per dimension.
pub fn nonzero(mask: &NdArray) -> Result<Vec<NdArray>> {
    let m = mask.astype(DType::Bool)?;
    let flags = m.as_slice::<bool>().expect("fresh contiguous");
    let count = flags.iter().filter(|&&b| b).count();
    let nd = m.ndim().max(1);
    let mut out: Vec<Vec<i64>> = (0..nd).map(|_| Vec::with_capacity(count)).collect();
    let shape = if m.ndim() == 0 {
        vec![1]
    } else {
        m.shape().to_vec()
    };
    let mut idx = vec![0usize; nd];
    for &f in flags {
        if f {
            for (d, col) in out.iter_mut().enumerate() {
                col.push(idx[d] as i64);
            }
        }
        for d in (0..nd).rev() {
            idx[d] += 1;
            if idx[d] < shape[d] {
                break;
            }
            idx[d] = 0;
        }
    }
    out.into_iter()
        .map(|v| {
            let n = v.len();
            NdArray::from_vec(v, &[n])
        })
        .collect()
}

impl NdArray {
    fn split_index(&self, index: &[Index]) -> Result<std::result::Result<NdArray, Advanced>> {
        // A 0-d integer array indexes like a plain integer (NumPy treats it as basic).
        let normalized: Vec<Index>;
        let index = if index
            .iter()
            .any(|i| matches!(i, Index::Array(a) if a.ndim() == 0 && a.dtype().is_integer()))
        {
            normalized = index
                .iter()
                .map(|i| match i {
                    Index::Array(a) if a.ndim() == 0 && a.dtype().is_integer() => Ok(Index::Int(
                        a.astype(DType::Int64)?.item()?.cast::<i64>() as isize,
                    )),
                    other => Ok(other.clone()),
                })
                .collect::<Result<_>>()?;
            &normalized[..]
        } else {
            index
        };
        if !index.iter().any(|i| matches!(i, Index::Array(_))) {
            let items: Vec<IndexItem> = index
                .iter()
                .map(|i| match i {
                    Index::Int(v) => IndexItem::Int(*v),
                    Index::Slice(s) => IndexItem::Slice(*s),
                    Index::NewAxis => IndexItem::NewAxis,
                    Index::Ellipsis => IndexItem::Ellipsis,
                    Index::Array(_) => unreachable!(),
                })
                .collect();
            return Ok(Ok(self.index(&items)?));
        }
        // Count the dims each item consumes, to place the ellipsis.
        let consumes = |i: &Index| match i {
            Index::Int(_) | Index::Slice(_) => 1,
            Index::Array(a) if a.dtype() == DType::Bool => a.ndim(),
            Index::Array(_) => 1,
            Index::NewAxis | Index::Ellipsis => 0,
        };
        let used: usize = index.iter().map(consumes).sum();
        if used > self.ndim() {
            return Err(Error::Index(format!(
                "too many indices for array: array is {}-dimensional, but {} were indexed",
                self.ndim(),
                used
            )));
        }
        let mut items = Vec::new();
        let mut adv: Vec<(usize, usize, NdArray)> = Vec::new(); // (view dim, source axis, indices)
        let mut positions: Vec<usize> = Vec::new(); // index item each advanced index came from
        let (mut src_dim, mut view_dim) = (0usize, 0usize);
        for (pos, item) in index.iter().enumerate() {
            match item {
                Index::Int(v) => {
                    items.push(IndexItem::Slice(SliceSpec::FULL));
                    adv.push((view_dim, src_dim, NdArray::from_vec(vec![*v as i64], &[])?));
                    positions.push(pos);
                    src_dim += 1;
                    view_dim += 1;
                }
                Index::Slice(s) => {
                    items.push(IndexItem::Slice(*s));
                    src_dim += 1;
                    view_dim += 1;
                }
                Index::NewAxis => {
                    items.push(IndexItem::NewAxis);
                    view_dim += 1;
                }
                Index::Ellipsis => {
                    items.push(IndexItem::Ellipsis);
                    let fill = self.ndim() - used;
                    src_dim += fill;
                    view_dim += fill;
                }
                Index::Array(a) if a.dtype() == DType::Bool => {
                    if a.ndim() == 0 {
                        // a[True] / a[False]: a new axis of length 1 or 0.
                        items.push(IndexItem::NewAxis);
                        let keep: Vec<i64> = if a.item()? == crate::cast::Scalar::Bool(true) {
                            vec![0]
                        } else {
                            vec![]
                        };
                        let n = keep.len();
                        adv.push((view_dim, src_dim, NdArray::from_vec(keep, &[n])?));
                        positions.push(pos);
                        view_dim += 1;
                        continue;
                    }
                    for (k, &d) in a.shape().iter().enumerate() {
                        let size = self.shape()[src_dim + k];
                        if d != size {
                            return Err(Error::Index(format!(
                                "boolean index did not match indexed array along axis {}; size of axis is {size} but size of corresponding boolean axis is {d}",
                                src_dim + k
                            )));
                        }
                    }
                    for idx in nonzero(a)? {
                        items.push(IndexItem::Slice(SliceSpec::FULL));
                        adv.push((view_dim, src_dim, idx));
                        positions.push(pos);
                        src_dim += 1;
                        view_dim += 1;
                    }
                }
                Index::Array(a) => {
                    if !a.dtype().is_integer() {
                        return Err(Error::Index(
                            "arrays used as indices must be of integer (or boolean) type".into(),
                        ));
                    }
                    items.push(IndexItem::Slice(SliceSpec::FULL));
                    adv.push((view_dim, src_dim, a.clone()));
                    positions.push(pos);
                    src_dim += 1;
                    view_dim += 1;
                }
            }
        }
        let view = self.index(&items)?;
        let shapes: Vec<&[usize]> = adv.iter().map(|(_, _, a)| a.shape()).collect();
        let bshape = layout::broadcast_shapes(&shapes).map_err(|_| {
            let parts: Vec<String> = shapes.iter().map(|s| layout::shape_str(s)).collect();
            Error::Index(format!(
                "shape mismatch: indexing arrays could not be broadcast together with shapes {}",
                parts.join(" ")
            ))
        })?;
        let mut dims = Vec::with_capacity(adv.len());
        let mut indices = Vec::with_capacity(adv.len());
        for (dim, axis, a) in adv {
            let len = view.shape()[dim] as i64;
            let mut idx = a.astype(DType::Int64)?;
            // Resolve negatives and check bounds once, on the small index arrays.
            {
                let ptr = idx.data_ptr() as *mut i64;
                // SAFETY: `idx` is a fresh private contiguous int64 array.
                let vals = unsafe { std::slice::from_raw_parts_mut(ptr, idx.size()) };
                for v in vals.iter_mut() {
                    let r = if *v < 0 { *v + len } else { *v };
                    if r < 0 || r >= len {
                        return Err(Error::Index(format!(
                            "index {} is out of bounds for axis {axis} with size {len}",
                            *v
                        )));
                    }
                    *v = r;
                }
            }
            idx = idx.broadcast_to(&bshape)?;
            dims.push(dim);
            indices.push(idx);
        }
        let adjacent = positions.windows(2).all(|w| w[1] - w[0] <= 1);
        Ok(Err(Advanced {
            view,
            dims,
            indices,
            bshape,
            adjacent,
        }))
    }

    /// `a[index]`: a view for basic indices, a new array when any array index is present.
    pub fn get(&self, index: &[Index]) -> Result<NdArray> {
        match self.split_index(index)? {
            Ok(view) => Ok(view),
            Err(adv) => adv.gather(),
        }
    }

    /// `a[index] = value` for every index form; `value` broadcasts to the selection.
    pub fn set(&self, index: &[Index], value: &NdArray) -> Result<()> {
        match self.split_index(index)? {
            Ok(view) => view.assign(value),
            Err(adv) => adv.scatter(value),
        }
    }
}

impl Advanced {
    /// Dims of the view not addressed by index arrays, in order.
    fn rest_dims(&self) -> Vec<usize> {
        (0..self.view.ndim())
            .filter(|d| !self.dims.contains(d))
            .collect()
    }

    /// Where NumPy puts the broadcast dims: at the first advanced dim when they are adjacent.
    fn insert_at(&self) -> usize {
        if self.adjacent {
            self.dims[0]
        } else {
            0
        }
    }

    /// Calls `f(byte offset into view, k)` for the k-th broadcast index position, C order.
    fn for_each_offset(&self, mut f: impl FnMut(isize, usize)) {
        let idx: Vec<NdArray> = self
            .indices
            .iter()
            .map(|a| a.as_contiguous().expect("small index arrays"))
            .collect();
        let slices: Vec<&[i64]> = idx
            .iter()
            .map(|a| a.as_slice::<i64>().expect("int64 contiguous"))
            .collect();
        let strides: Vec<isize> = self.dims.iter().map(|&d| self.view.strides()[d]).collect();
        let n = layout::size_of(&self.bshape);
        for k in 0..n {
            let off: isize = slices
                .iter()
                .zip(&strides)
                .map(|(s, &st)| s[k] as isize * st)
                .sum();
            f(off, k);
        }
    }

    /// Canonical result layout: (broadcast dims, rest dims), C-contiguous.
    fn canonical_shape(&self) -> (Vec<usize>, Vec<usize>, Vec<isize>) {
        let rest = self.rest_dims();
        let rest_shape: Vec<usize> = rest.iter().map(|&d| self.view.shape()[d]).collect();
        let rest_strides: Vec<isize> = rest.iter().map(|&d| self.view.strides()[d]).collect();
        let mut shape = self.bshape.clone();
        shape.extend_from_slice(&rest_shape);
        (shape, rest_shape, rest_strides)
    }

    /// Moves the broadcast dims of a canonical-layout array to NumPy's position.
    fn to_numpy_order(&self, a: &NdArray) -> Result<NdArray> {
        let at = self.insert_at();
        let nb = self.bshape.len();
        if at == 0 || nb == 0 {
            return Ok(a.clone());
        }
        let src: Vec<isize> = (0..nb as isize).collect();
        let dst: Vec<isize> = (at as isize..(at + nb) as isize).collect();
        a.moveaxis(&src, &dst)
    }

    fn gather(&self) -> Result<NdArray> {
        let (shape, rest_shape, rest_strides) = self.canonical_shape();
        let out = NdArray::alloc(self.view.dtype(), &shape, false)?;
        let block = layout::size_of(&rest_shape);
        let itemsize = out.itemsize();
        let base = self.view.data_ptr();
        let dst = out.data_ptr_mut();
        let dst_strides = layout::c_strides(&rest_shape, itemsize);
        self.for_each_offset(|off, k| {
            // SAFETY: offsets come from bounds-checked indices on the view's geometry; `out` is
            // fresh and block k is inside it.
            unsafe {
                let src = base.offset(off);
                let d = dst.add(k * block * itemsize);
                copy_block(src, &rest_strides, d, &dst_strides, &rest_shape, itemsize);
            }
        });
        self.to_numpy_order(&out)
    }

    fn scatter(&self, value: &NdArray) -> Result<()> {
        let (shape, rest_shape, rest_strides) = self.canonical_shape();
        // Broadcast the value to NumPy's result shape, then view it in canonical order.
        let numpy_shape =
            self.to_numpy_order(&NdArray::zeros(DType::Bool, &[])?.broadcast_to(&shape)?)?;
        let src = value
            .broadcast_to(numpy_shape.shape())
            .map_err(|_| {
                crate::array::view::assign_shape_error(value.shape(), numpy_shape.shape())
            })?
            .astype(self.view.dtype())?;
        let at = self.insert_at();
        let nb = self.bshape.len();
        let src = if at == 0 || nb == 0 {
            src
        } else {
            let from: Vec<isize> = (at as isize..(at + nb) as isize).collect();
            let to: Vec<isize> = (0..nb as isize).collect();
            src.moveaxis(&from, &to)?
        };
        let _guard = self.view.write_guard()?;
        let itemsize = src.itemsize();
        let bnd = self.bshape.len();
        let src_outer: Vec<isize> = src.strides()[..bnd].to_vec();
        let src_inner: Vec<isize> = src.strides()[bnd..].to_vec();
        let base = self.view.data_ptr_mut();
        let sp = src.data_ptr();
        let _ = shape;
        self.for_each_offset(|off, k| {
            // Position k in the broadcast shape -> byte offset in `src`.
            let mut rem = k;
            let mut soff = 0isize;
            for d in (0..bnd).rev() {
                soff += (rem % self.bshape[d]) as isize * src_outer[d];
                rem /= self.bshape[d];
            }
            // SAFETY: write borrow held; destinations are in-bounds elements of the view; `src`
            // is a fresh private array, so no overlap.
            unsafe {
                copy_block(
                    sp.offset(soff),
                    &src_inner,
                    base.offset(off),
                    &rest_strides,
                    &rest_shape,
                    itemsize,
                );
            }
        });
        Ok(())
    }
}

/// Copies one strided block of `shape` element-wise, by element size.
///
/// # Safety
/// Both pointer/stride sets must address valid, non-overlapping elements of `itemsize` bytes.
unsafe fn copy_block(
    src: *const u8,
    ss: &[isize],
    dst: *mut u8,
    ds: &[isize],
    shape: &[usize],
    itemsize: usize,
) {
    unsafe fn run<T: Copy>(
        src: *const u8,
        ss: &[isize],
        dst: *mut u8,
        ds: &[isize],
        shape: &[usize],
    ) {
        for_each_run(shape, [ss, ds], |[so, d_o], n, [sst, dst_]| {
            for k in 0..n as isize {
                // SAFETY: guaranteed by copy_block's caller.
                unsafe {
                    let v = std::ptr::read_unaligned(src.offset(so + k * sst) as *const T);
                    std::ptr::write_unaligned(dst.offset(d_o + k * dst_) as *mut T, v);
                }
            }
        });
    }
    unsafe {
        match itemsize {
            1 => run::<u8>(src, ss, dst, ds, shape),
            2 => run::<u16>(src, ss, dst, ds, shape),
            4 => run::<u32>(src, ss, dst, ds, shape),
            _ => run::<u64>(src, ss, dst, ds, shape),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arange(n: usize, shape: &[usize]) -> NdArray {
        NdArray::from_vec((0..n as i64).collect::<Vec<_>>(), shape).unwrap()
    }
    fn ints(v: Vec<i64>) -> Index {
        let n = v.len();
        Index::Array(NdArray::from_vec(v, &[n]).unwrap())
    }

    #[test]
    fn integer_arrays() {
        let a = arange(12, &[3, 4]);
        let r = a.get(&[ints(vec![2, 0, -1])]).unwrap();
        assert_eq!(r.shape(), &[3, 4]);
        assert_eq!(r.to_vec::<i64>().unwrap()[..4], [8, 9, 10, 11]);
        // Adjacent advanced indices stay in place: a[:, [1, 3]] -> (3, 2)
        let r = a
            .get(&[Index::Slice(SliceSpec::FULL), ints(vec![1, 3])])
            .unwrap();
        assert_eq!(r.shape(), &[3, 2]);
        assert_eq!(r.to_vec::<i64>().unwrap(), vec![1, 3, 5, 7, 9, 11]);
        // Pairs of index arrays pick elements.
        let r = a.get(&[ints(vec![0, 2]), ints(vec![1, 3])]).unwrap();
        assert_eq!(r.to_vec::<i64>().unwrap(), vec![1, 11]);
        assert!(matches!(a.get(&[ints(vec![3])]), Err(Error::Index(_))));
    }

    #[test]
    fn non_adjacent_go_first() {
        let a = arange(24, &[2, 3, 4]);
        let r = a
            .get(&[
                ints(vec![0, 1]),
                Index::Slice(SliceSpec::FULL),
                Index::Int(0),
            ])
            .unwrap();
        assert_eq!(r.shape(), &[2, 3]);
        assert_eq!(r.to_vec::<i64>().unwrap(), vec![0, 4, 8, 12, 16, 20]);
    }

    #[test]
    fn boolean_masks() {
        let a = arange(6, &[2, 3]);
        let mask = NdArray::from_vec(vec![true, false, true, false, true, false], &[2, 3]).unwrap();
        let r = a.get(&[Index::Array(mask.clone())]).unwrap();
        assert_eq!(r.to_vec::<i64>().unwrap(), vec![0, 2, 4]);
        a.set(
            &[Index::Array(mask)],
            &NdArray::from_vec(vec![-1i64], &[]).unwrap(),
        )
        .unwrap();
        assert_eq!(a.to_vec::<i64>().unwrap(), vec![-1, 1, -1, 3, -1, 5]);
        let bad = NdArray::from_vec(vec![true, false], &[2]).unwrap();
        assert!(matches!(
            a.get(&[Index::Slice(SliceSpec::FULL), Index::Array(bad)]),
            Err(Error::Index(_))
        ));
    }

    #[test]
    fn scatter_in_numpy_order() {
        let a = arange(12, &[3, 4]);
        let v = NdArray::from_vec(vec![100i64, 200, 300, 400, 500, 600], &[3, 2]).unwrap();
        a.set(&[Index::Slice(SliceSpec::FULL), ints(vec![0, 2])], &v)
            .unwrap();
        assert_eq!(a.to_vec::<i64>().unwrap()[..4], [100, 1, 200, 3]);
        assert!(a
            .set(
                &[ints(vec![0])],
                &NdArray::from_vec(vec![1i64, 2], &[2]).unwrap()
            )
            .is_err());
    }
}
