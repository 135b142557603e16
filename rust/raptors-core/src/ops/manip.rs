//! Joining arrays: concatenate, stack, hstack, vstack; and broadcast_arrays.

use crate::array::{IndexItem, NdArray, SliceSpec};
use crate::dtype::{result_type, Casting, DType};
use crate::error::{Error, Result};
use crate::layout::{self, normalize_axis};

/// `np.concatenate(arrays, axis, dtype)`; `axis=None` flattens every input first.
pub fn concatenate(
    arrays: &[NdArray],
    axis: Option<isize>,
    dtype: Option<DType>,
) -> Result<NdArray> {
    if arrays.is_empty() {
        return Err(Error::Value(
            "need at least one array to concatenate".into(),
        ));
    }
    let flat: Vec<NdArray>;
    let (arrays, axis) = match axis {
        None => {
            flat = arrays
                .iter()
                .map(|a| a.reshape(&[-1]))
                .collect::<Result<_>>()?;
            (&flat[..], 0isize)
        }
        Some(ax) => (arrays, ax),
    };
    let first = &arrays[0];
    if first.ndim() == 0 {
        return Err(Error::Value(
            "zero-dimensional arrays cannot be concatenated".into(),
        ));
    }
    let axis = normalize_axis(axis, first.ndim())?;
    let mut shape = first.shape().to_vec();
    for (i, a) in arrays.iter().enumerate().skip(1) {
        if a.ndim() != first.ndim() {
            return Err(Error::Value(format!(
                "all the input arrays must have same number of dimensions, but the array at index 0 has {} dimension(s) and the array at index {i} has {} dimension(s)",
                first.ndim(),
                a.ndim()
            )));
        }
        for d in 0..first.ndim() {
            if d != axis && a.shape()[d] != first.shape()[d] {
                return Err(Error::Value(format!(
                    "all the input array dimensions except for the concatenation axis must match exactly, but along dimension {d}, the array at index 0 has size {} and the array at index {i} has size {}",
                    first.shape()[d],
                    a.shape()[d]
                )));
            }
        }
        shape[axis] += a.shape()[axis];
    }
    let dtype = match dtype {
        Some(d) => {
            // NumPy concatenates with casting="same_kind".
            if let Some(a) = arrays
                .iter()
                .find(|a| !a.dtype().can_cast(d, Casting::SameKind))
            {
                return Err(Error::Type(format!(
                    "Cannot cast array data from dtype('{}') to dtype('{d}') according to the rule 'same_kind'",
                    a.dtype()
                )));
            }
            d
        }
        None => result_type(&arrays.iter().map(|a| a.dtype()).collect::<Vec<_>>(), &[])?,
    };
    let out = NdArray::alloc(dtype, &shape, false)?;
    let mut at = 0usize;
    for a in arrays {
        let n = a.shape()[axis];
        let mut items = vec![IndexItem::Slice(SliceSpec::FULL); axis];
        items.push(IndexItem::Slice(SliceSpec {
            start: Some(at as isize),
            stop: Some((at + n) as isize),
            step: None,
        }));
        let dst = out.index(&items)?;
        // SAFETY: `out` is fresh and private; slices of it are disjoint from every input.
        unsafe { crate::ops::copy::copy_cast_into(a, &dst) };
        at += n;
    }
    Ok(out)
}

/// `np.stack(arrays, axis)`: joins equal-shaped arrays along a new axis.
pub fn stack(arrays: &[NdArray], axis: isize, dtype: Option<DType>) -> Result<NdArray> {
    if arrays.is_empty() {
        return Err(Error::Value("need at least one array to stack".into()));
    }
    if arrays.iter().any(|a| a.shape() != arrays[0].shape()) {
        return Err(Error::Value(
            "all input arrays must have the same shape".into(),
        ));
    }
    let ax = normalize_axis(axis, arrays[0].ndim() + 1)? as isize;
    let expanded = arrays
        .iter()
        .map(|a| a.expand_dims(&[ax]))
        .collect::<Result<Vec<_>>>()?;
    concatenate(&expanded, Some(ax), dtype)
}

fn at_least(a: &NdArray, ndim: usize) -> Result<NdArray> {
    match (a.ndim(), ndim) {
        (0, 1) => a.reshape(&[1]),
        (0, 2) => a.reshape(&[1, 1]),
        (1, 2) => a.expand_dims(&[0]),
        _ => Ok(a.clone()),
    }
}

/// `np.hstack`: along axis 1, or axis 0 for 1-d inputs.
pub fn hstack(arrays: &[NdArray], dtype: Option<DType>) -> Result<NdArray> {
    let arrs = arrays
        .iter()
        .map(|a| at_least(a, 1))
        .collect::<Result<Vec<_>>>()?;
    let axis = if arrs.first().map(|a| a.ndim() == 1).unwrap_or(false) {
        0
    } else {
        1
    };
    concatenate(&arrs, Some(axis), dtype)
}

/// `np.vstack`: along axis 0 after promoting inputs to at least 2-d.
pub fn vstack(arrays: &[NdArray], dtype: Option<DType>) -> Result<NdArray> {
    let arrs = arrays
        .iter()
        .map(|a| at_least(a, 2))
        .collect::<Result<Vec<_>>>()?;
    concatenate(&arrs, Some(0), dtype)
}

/// `np.broadcast_arrays`: read-only views of every input at the common shape.
pub fn broadcast_arrays(arrays: &[NdArray]) -> Result<Vec<NdArray>> {
    let shapes: Vec<&[usize]> = arrays.iter().map(|a| a.shape()).collect();
    let shape = layout::broadcast_shapes(&shapes)?;
    arrays.iter().map(|a| a.broadcast_to(&shape)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arr(v: Vec<i32>, shape: &[usize]) -> NdArray {
        NdArray::from_vec(v, shape).unwrap()
    }

    #[test]
    fn concatenate_axes_and_promotion() {
        let a = arr(vec![1, 2, 3, 4], &[2, 2]);
        let b = NdArray::from_vec(vec![5.5f32, 6.5], &[1, 2]).unwrap();
        let c = concatenate(&[a.clone(), b.clone()], Some(0), None).unwrap();
        assert_eq!(c.dtype(), DType::Float64);
        assert_eq!(
            c.to_vec::<f64>().unwrap(),
            vec![1.0, 2.0, 3.0, 4.0, 5.5, 6.5]
        );
        assert!(concatenate(&[a.clone(), b.clone()], Some(1), None).is_err());
        let flat = concatenate(&[a.clone(), b], None, None).unwrap();
        assert_eq!(flat.shape(), &[6]);
        let e = concatenate(&[a.clone(), arr(vec![1], &[1])], Some(0), None).unwrap_err();
        assert!(e.to_string().contains("same number of dimensions"));
    }

    #[test]
    fn stacks() {
        let a = arr(vec![1, 2], &[2]);
        let b = arr(vec![3, 4], &[2]);
        assert_eq!(
            stack(&[a.clone(), b.clone()], 1, None)
                .unwrap()
                .to_vec::<i32>()
                .unwrap(),
            vec![1, 3, 2, 4]
        );
        assert_eq!(hstack(&[a.clone(), b.clone()], None).unwrap().shape(), &[4]);
        assert_eq!(
            vstack(&[a.clone(), b.clone()], None).unwrap().shape(),
            &[2, 2]
        );
        assert!(stack(&[a, arr(vec![1], &[1])], 0, None).is_err());
        let v = broadcast_arrays(&[arr(vec![1, 2], &[2, 1]), arr(vec![1, 2, 3], &[3])]).unwrap();
        assert_eq!(v[1].shape(), &[2, 3]);
    }
}
