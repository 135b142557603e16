//! O(1) views: basic indexing, transpose, reshape (when the layout allows), broadcast_to,
//! expand_dims, squeeze, flip, moveaxis, swapaxes. All share the buffer.

use super::NdArray;
use crate::error::{Error, Result};
use crate::layout::{self, normalize_axes, normalize_axes_named, normalize_axis_named};

/// A Python slice `start:stop:step` before it meets a dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SliceSpec {
    pub start: Option<isize>,
    pub stop: Option<isize>,
    pub step: Option<isize>,
}

impl SliceSpec {
    pub const FULL: SliceSpec = SliceSpec {
        start: None,
        stop: None,
        step: None,
    };

    /// Python's `slice.indices(len)`: (start, step, count) for a dimension of length `len`.
    pub fn resolve(&self, len: usize) -> Result<(isize, isize, usize)> {
        let step = self.step.unwrap_or(1);
        if step == 0 {
            return Err(Error::Value("slice step cannot be zero".into()));
        }
        let n = len as isize;
        let clamp = |v: Option<isize>, default: isize, lo: isize, hi: isize| match v {
            None => default,
            Some(v) if v < 0 => (v + n).max(lo),
            Some(v) => v.min(hi),
        };
        let (start, stop) = if step > 0 {
            (clamp(self.start, 0, 0, n), clamp(self.stop, n, 0, n))
        } else {
            (
                clamp(self.start, n - 1, -1, n - 1),
                clamp(self.stop, -1, -1, n - 1),
            )
        };
        let count = if step > 0 {
            if stop > start {
                (stop - start + step - 1) / step
            } else {
                0
            }
        } else if start > stop {
            (start - stop - step - 1) / (-step)
        } else {
            0
        };
        Ok((start, step, count as usize))
    }
}

/// One component of a basic (view-producing) index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexItem {
    Int(isize),
    Slice(SliceSpec),
    NewAxis,
    Ellipsis,
}

impl NdArray {
    /// Basic indexing (`a[1, ::2, None, ...]`): always a view.
    pub fn index(&self, items: &[IndexItem]) -> Result<NdArray> {
        let consumed = items
            .iter()
            .filter(|i| matches!(i, IndexItem::Int(_) | IndexItem::Slice(_)))
            .count();
        let ellipses = items
            .iter()
            .filter(|i| matches!(i, IndexItem::Ellipsis))
            .count();
        if ellipses > 1 {
            return Err(Error::Index(
                "an index can only have a single ellipsis ('...')".into(),
            ));
        }
        if consumed > self.ndim() {
            return Err(Error::Index(format!(
                "too many indices for array: array is {}-dimensional, but {} were indexed",
                self.ndim(),
                consumed
            )));
        }
        let mut shape = Vec::with_capacity(self.ndim() + items.len());
        let mut strides = Vec::with_capacity(self.ndim() + items.len());
        let mut offset = self.offset as isize;
        let mut dim = 0usize;
        let mut take_dim = |item: &IndexItem,
                            dim: &mut usize,
                            shape: &mut Vec<usize>,
                            strides: &mut Vec<isize>|
         -> Result<()> {
            match *item {
                IndexItem::Int(i) => {
                    let len = self.shape[*dim];
                    let idx = if i < 0 { i + len as isize } else { i };
                    if idx < 0 || idx >= len as isize {
                        return Err(Error::Index(format!(
                            "index {i} is out of bounds for axis {} with size {len}",
                            *dim
                        )));
                    }
                    offset += idx * self.strides[*dim];
                    *dim += 1;
                }
                IndexItem::Slice(s) => {
                    let (start, step, count) = s.resolve(self.shape[*dim])?;
                    if count > 0 {
                        offset += start * self.strides[*dim];
                    }
                    shape.push(count);
                    strides.push(self.strides[*dim] * step);
                    *dim += 1;
                }
                IndexItem::NewAxis => {
                    shape.push(1);
                    strides.push(0);
                }
                IndexItem::Ellipsis => {
                    let fill = self.ndim() - consumed;
                    for _ in 0..fill {
                        shape.push(self.shape[*dim]);
                        strides.push(self.strides[*dim]);
                        *dim += 1;
                    }
                }
            }
            Ok(())
        };
        for item in items {
            take_dim(item, &mut dim, &mut shape, &mut strides)?;
        }
        // Trailing dimensions not mentioned are taken whole.
        while dim < self.ndim() {
            shape.push(self.shape[dim]);
            strides.push(self.strides[dim]);
            dim += 1;
        }
        // An empty result may have been positioned anywhere; pin it to the current offset.
        let offset = if layout::size_of(&shape) == 0 {
            self.offset
        } else {
            offset as usize
        };
        Ok(self.view_unchecked(shape, strides, offset))
    }

    /// Permutes axes (`transpose(axes)`); `None` reverses them.
    pub fn transpose(&self, axes: Option<&[isize]>) -> Result<NdArray> {
        let perm: Vec<usize> = match axes {
            None => (0..self.ndim()).rev().collect(),
            Some(a) => {
                if a.len() != self.ndim() {
                    return Err(Error::Value("axes don't match array".into()));
                }
                normalize_axes_named(a, self.ndim(), None, "repeated axis in transpose")?
            }
        };
        let shape = perm.iter().map(|&p| self.shape[p]).collect();
        let strides = perm.iter().map(|&p| self.strides[p]).collect();
        Ok(self.view_unchecked(shape, strides, self.offset))
    }

    /// Resolves a requested shape with at most one `-1` against this array's size.
    pub fn resolve_shape(&self, requested: &[isize]) -> Result<Vec<usize>> {
        let size = self.size();
        let mut unknown = None;
        let mut known = 1usize;
        for (i, &d) in requested.iter().enumerate() {
            if d == -1 {
                if unknown.is_some() {
                    return Err(Error::Value(
                        "can only specify one unknown dimension".into(),
                    ));
                }
                unknown = Some(i);
            } else if d < 0 {
                return Err(Error::Value("negative dimensions not allowed".into()));
            } else {
                known = known.saturating_mul(d as usize);
            }
        }
        let mut shape: Vec<usize> = requested.iter().map(|&d| d.max(0) as usize).collect();
        // NumPy's wording: `(7,newaxis)` for the -1, no spaces.
        let fmt_req = || {
            let parts: Vec<String> = requested
                .iter()
                .map(|&d| {
                    if d == -1 {
                        "newaxis".into()
                    } else {
                        d.to_string()
                    }
                })
                .collect();
            if parts.len() == 1 {
                format!("({},)", parts[0])
            } else {
                format!("({})", parts.join(","))
            }
        };
        match unknown {
            Some(i) => {
                if known == 0 || !size.is_multiple_of(known) {
                    return Err(Error::Value(format!(
                        "cannot reshape array of size {size} into shape {}",
                        fmt_req()
                    )));
                }
                shape[i] = size / known;
            }
            None if known != size => {
                return Err(Error::Value(format!(
                    "cannot reshape array of size {size} into shape {}",
                    fmt_req()
                )))
            }
            None => {}
        }
        Ok(shape)
    }

    /// C-order reshape as a view, or `None` when the layout requires a copy.
    pub fn reshape_view(&self, shape: &[usize]) -> Option<NdArray> {
        let itemsize = self.itemsize();
        if self.size() == 0 || self.is_c_contiguous() {
            let strides = layout::c_strides(shape, itemsize);
            return Some(self.view_unchecked(shape.to_vec(), strides, self.offset));
        }
        // Walk old and new dims in groups of equal element counts (NumPy's _attempt_nocopy_reshape).
        let (old_shape, [old_strides]) = layout::coalesce(&self.shape, [&self.strides]);
        let old: Vec<(usize, isize)> = old_shape.into_iter().zip(old_strides).collect();
        let new_dims: Vec<usize> = shape.to_vec();
        let mut new_strides = vec![0isize; new_dims.len()];
        let (mut oi, mut ni) = (0usize, 0usize);
        while oi < old.len() && ni < new_dims.len() {
            let (mut op, mut np) = (old[oi].0, new_dims[ni]);
            let (oj_start, nj_start) = (oi, ni);
            let (mut oj, mut nj) = (oi + 1, ni + 1);
            while op != np {
                if np < op {
                    np *= new_dims[nj];
                    nj += 1;
                } else {
                    op *= old[oj].0;
                    oj += 1;
                }
            }
            // Within a group the old dims must be contiguous with each other.
            for k in oj_start..oj - 1 {
                if old[k].1 != old[k + 1].1 * old[k + 1].0 as isize {
                    return None;
                }
            }
            new_strides[nj - 1] = old[oj - 1].1;
            for k in (nj_start..nj - 1).rev() {
                new_strides[k] = new_strides[k + 1] * new_dims[k + 1] as isize;
            }
            oi = oj;
            ni = nj;
        }
        // Remaining new dims are 1s.
        for s in new_strides.iter_mut().skip(ni) {
            *s = itemsize as isize;
        }
        Some(self.view_unchecked(new_dims, new_strides, self.offset))
    }

    /// C-order reshape: a view when possible, otherwise a contiguous copy (as NumPy).
    pub fn reshape(&self, requested: &[isize]) -> Result<NdArray> {
        let shape = self.resolve_shape(requested)?;
        match self.reshape_view(&shape) {
            Some(v) => Ok(v),
            None => {
                let c = self.copy()?;
                Ok(c.reshape_view(&shape)
                    .expect("contiguous arrays always reshape"))
            }
        }
    }

    pub fn broadcast_to(&self, shape: &[usize]) -> Result<NdArray> {
        // A view needs no memory, but its element count and byte size must stay addressable.
        let size = layout::checked_size(shape)
            .map_err(|_| Error::Value("iterator is too large".into()))?;
        if size
            .checked_mul(self.itemsize())
            .is_none_or(|n| n > isize::MAX as usize)
        {
            return Err(Error::Value(
                "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.".into(),
            ));
        }
        let strides = layout::broadcast_strides(&self.shape, &self.strides, shape)?;
        let mut v = self.view_unchecked(shape.to_vec(), strides, self.offset);
        // NumPy returns read-only broadcast views: writes would alias many elements.
        v.writeable = false;
        Ok(v)
    }

    pub fn expand_dims(&self, axes: &[isize]) -> Result<NdArray> {
        let out_ndim = self.ndim() + axes.len();
        let axes = normalize_axes(axes, out_ndim)?;
        let (mut shape, mut strides) = (Vec::with_capacity(out_ndim), Vec::with_capacity(out_ndim));
        let mut src = 0;
        for d in 0..out_ndim {
            if axes.contains(&d) {
                shape.push(1);
                strides.push(0);
            } else {
                shape.push(self.shape[src]);
                strides.push(self.strides[src]);
                src += 1;
            }
        }
        Ok(self.view_unchecked(shape, strides, self.offset))
    }

    pub fn squeeze(&self, axes: Option<&[isize]>) -> Result<NdArray> {
        let drop: Vec<usize> = match axes {
            None => (0..self.ndim()).filter(|&d| self.shape[d] == 1).collect(),
            Some(a) => {
                let ax = normalize_axes_named(a, self.ndim(), None, "duplicate value in 'axis'")?;
                if ax.iter().any(|&d| self.shape[d] != 1) {
                    return Err(Error::Value(
                        "cannot select an axis to squeeze out which has size not equal to one"
                            .into(),
                    ));
                }
                ax
            }
        };
        let keep = |d: &usize| !drop.contains(d);
        let shape = (0..self.ndim())
            .filter(keep)
            .map(|d| self.shape[d])
            .collect();
        let strides = (0..self.ndim())
            .filter(keep)
            .map(|d| self.strides[d])
            .collect();
        Ok(self.view_unchecked(shape, strides, self.offset))
    }

    /// Reverses the given axes (all when `None`).
    pub fn flip(&self, axes: Option<&[isize]>) -> Result<NdArray> {
        let axes: Vec<usize> = match axes {
            None => (0..self.ndim()).collect(),
            Some(a) => normalize_axes(a, self.ndim())?,
        };
        let mut strides = self.strides.clone();
        let mut offset = self.offset as isize;
        let empty = self.size() == 0;
        for &d in &axes {
            if !empty {
                offset += (self.shape[d] as isize - 1) * strides[d];
            }
            strides[d] = -strides[d];
        }
        Ok(self.view_unchecked(self.shape.clone(), strides, offset as usize))
    }

    pub fn moveaxis(&self, source: &[isize], destination: &[isize]) -> Result<NdArray> {
        if source.len() != destination.len() {
            return Err(Error::Value(
                "`source` and `destination` arguments must have the same number of elements".into(),
            ));
        }
        let src = normalize_axes_named(
            source,
            self.ndim(),
            Some("source"),
            "repeated axis in `source` argument",
        )?;
        let dst = normalize_axes_named(
            destination,
            self.ndim(),
            Some("destination"),
            "repeated axis in `destination` argument",
        )?;
        let mut order: Vec<usize> = (0..self.ndim()).filter(|d| !src.contains(d)).collect();
        let mut pairs: Vec<(usize, usize)> = dst.into_iter().zip(src).collect();
        pairs.sort();
        for (d, s) in pairs {
            order.insert(d, s);
        }
        let perm: Vec<isize> = order.into_iter().map(|d| d as isize).collect();
        self.transpose(Some(&perm))
    }

    pub fn swapaxes(&self, a: isize, b: isize) -> Result<NdArray> {
        let a = normalize_axis_named(a, self.ndim(), Some("axis1"))?;
        let b = normalize_axis_named(b, self.ndim(), Some("axis2"))?;
        let mut perm: Vec<isize> = (0..self.ndim() as isize).collect();
        perm.swap(a, b);
        self.transpose(Some(&perm))
    }
}

/// Error text NumPy uses when an assignment's shapes do not broadcast.
pub(crate) fn assign_shape_error(value: &[usize], target: &[usize]) -> Error {
    Error::Value(format!(
        "could not broadcast input array from shape {} into shape {}",
        layout::shape_str_compact(value),
        layout::shape_str_compact(target)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dtype::DType;

    fn arange(n: usize) -> NdArray {
        NdArray::from_vec((0..n as i64).collect::<Vec<_>>(), &[n]).unwrap()
    }

    #[test]
    fn slices_like_python() {
        type Case = (Option<isize>, Option<isize>, Option<isize>, usize);
        let cases: &[Case] = &[
            (None, None, None, 10),
            (Some(2), Some(-2), Some(3), 2),
            (None, None, Some(-1), 10),
            (Some(-1), Some(-20), Some(-3), 4),
            (Some(5), Some(2), None, 0),
            (Some(100), None, Some(-1), 10),
        ];
        for &(start, stop, step, n) in cases {
            let (_, _, count) = SliceSpec { start, stop, step }.resolve(10).unwrap();
            assert_eq!(count, n, "{start:?}:{stop:?}:{step:?}");
        }
        let a = arange(10);
        let v = a
            .index(&[IndexItem::Slice(SliceSpec {
                start: Some(8),
                stop: Some(1),
                step: Some(-3),
            })])
            .unwrap();
        assert_eq!(v.to_vec::<i64>().unwrap(), vec![8, 5, 2]);
    }

    #[test]
    fn reshape_views_and_copies() {
        let a = arange(24).reshape(&[2, 3, 4]).unwrap();
        assert!(!a.shares_buffer(&arange(1)));
        let t = a.transpose(None).unwrap();
        assert_eq!(t.shape(), &[4, 3, 2]);
        assert!(t.reshape_view(&[4, 6]).is_none());
        let sl = a
            .index(&[
                IndexItem::Slice(SliceSpec::FULL),
                IndexItem::Slice(SliceSpec {
                    start: None,
                    stop: None,
                    step: Some(2),
                }),
            ])
            .unwrap();
        // (2, 2, 4) with strides (96, 64, 8): merging the last two is impossible, splitting is fine.
        let v = sl.reshape_view(&[2, 2, 2, 2]).unwrap();
        assert!(v.shares_buffer(&a));
        assert_eq!(v.to_vec::<i64>().unwrap(), sl.to_vec::<i64>().unwrap());
        let r = t.reshape(&[-1]).unwrap();
        assert_eq!(r.to_vec::<i64>().unwrap()[..4], [0, 12, 4, 16]);
        assert!(a.reshape(&[5, -1]).is_err());
        assert!(a.reshape(&[-1, -1]).is_err());
    }

    #[test]
    fn flips_moves_and_squeezes() {
        let a = arange(6).reshape(&[2, 3]).unwrap();
        assert_eq!(
            a.flip(Some(&[1])).unwrap().to_vec::<i64>().unwrap(),
            vec![2, 1, 0, 5, 4, 3]
        );
        assert_eq!(
            a.flip(None).unwrap().to_vec::<i64>().unwrap(),
            vec![5, 4, 3, 2, 1, 0]
        );
        let b = NdArray::zeros(DType::Int8, &[2, 3, 4]).unwrap();
        assert_eq!(b.moveaxis(&[0], &[-1]).unwrap().shape(), &[3, 4, 2]);
        assert_eq!(b.moveaxis(&[0, 1], &[-1, -2]).unwrap().shape(), &[4, 3, 2]);
        assert_eq!(b.swapaxes(0, 2).unwrap().shape(), &[4, 3, 2]);
        let e = b.expand_dims(&[0, -1]).unwrap();
        assert_eq!(e.shape(), &[1, 2, 3, 4, 1]);
        assert_eq!(e.squeeze(None).unwrap().shape(), &[2, 3, 4]);
        assert!(e.squeeze(Some(&[1])).is_err());
        assert!(!b.broadcast_to(&[5, 2, 3, 4]).unwrap().is_writeable());
    }

    #[test]
    fn index_errors() {
        let a = arange(3);
        assert!(matches!(
            a.index(&[IndexItem::Int(3)]),
            Err(Error::Index(_))
        ));
        assert!(matches!(
            a.index(&[IndexItem::Int(0), IndexItem::Int(0)]),
            Err(Error::Index(_))
        ));
        assert_eq!(
            a.index(&[IndexItem::Int(-1)])
                .unwrap()
                .to_vec::<i64>()
                .unwrap(),
            vec![2]
        );
    }
}
