//! Shape and stride arithmetic shared by every operation: sizes with overflow checks,
//! contiguous strides, axis normalisation, broadcasting and dimension coalescing.

use crate::error::{Error, Result};

/// Product of the dimensions, or an error when it overflows `isize` (NumPy's limit).
pub fn checked_size(shape: &[usize]) -> Result<usize> {
    shape
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .filter(|&n| n <= isize::MAX as usize)
        .ok_or_else(|| Error::Value("array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.".into()))
}

/// Number of elements; callers have already validated the shape.
pub fn size_of(shape: &[usize]) -> usize {
    shape.iter().product()
}

/// C-order (row-major) byte strides.
pub fn c_strides(shape: &[usize], itemsize: usize) -> Vec<isize> {
    let mut strides = vec![0isize; shape.len()];
    let mut acc = itemsize as isize;
    for i in (0..shape.len()).rev() {
        strides[i] = acc;
        acc *= shape[i].max(1) as isize;
    }
    strides
}

/// Fortran-order (column-major) byte strides.
pub fn f_strides(shape: &[usize], itemsize: usize) -> Vec<isize> {
    let mut strides = vec![0isize; shape.len()];
    let mut acc = itemsize as isize;
    for i in 0..shape.len() {
        strides[i] = acc;
        acc *= shape[i].max(1) as isize;
    }
    strides
}

/// NumPy's C-contiguity test: size-1 dimensions may carry any stride.
pub fn is_c_contiguous(shape: &[usize], strides: &[isize], itemsize: usize) -> bool {
    if shape.contains(&0) {
        return true;
    }
    let mut expected = itemsize as isize;
    for i in (0..shape.len()).rev() {
        if shape[i] != 1 {
            if strides[i] != expected {
                return false;
            }
            expected *= shape[i] as isize;
        }
    }
    true
}

pub fn is_f_contiguous(shape: &[usize], strides: &[isize], itemsize: usize) -> bool {
    if shape.contains(&0) {
        return true;
    }
    let mut expected = itemsize as isize;
    for i in 0..shape.len() {
        if shape[i] != 1 {
            if strides[i] != expected {
                return false;
            }
            expected *= shape[i] as isize;
        }
    }
    true
}

/// Lowest and one-past-highest byte touched, relative to the first element's byte.
pub fn byte_extent(shape: &[usize], strides: &[isize], itemsize: usize) -> (isize, isize) {
    if shape.contains(&0) {
        return (0, 0);
    }
    let (mut lo, mut hi) = (0isize, 0isize);
    for (&d, &s) in shape.iter().zip(strides) {
        let span = (d as isize - 1) * s;
        if span < 0 {
            lo += span;
        } else {
            hi += span;
        }
    }
    (lo, hi + itemsize as isize)
}

/// Maps a possibly negative axis into `0..ndim`.
pub fn normalize_axis(axis: isize, ndim: usize) -> Result<usize> {
    normalize_axis_named(axis, ndim, None)
}

/// As `normalize_axis`; errors name the argument (`source: axis 3 is out of bounds ...`).
pub fn normalize_axis_named(
    axis: isize,
    ndim: usize,
    prefix: Option<&'static str>,
) -> Result<usize> {
    let n = ndim as isize;
    if axis < -n || axis >= n {
        return Err(Error::Axis { axis, ndim, prefix });
    }
    Ok(if axis < 0 { axis + n } else { axis } as usize)
}

/// Normalises a tuple of axes, rejecting repeats as NumPy does.
pub fn normalize_axes(axes: &[isize], ndim: usize) -> Result<Vec<usize>> {
    normalize_axes_named(axes, ndim, None, "repeated axis")
}

/// As `normalize_axes`, with the argument name for range errors and the caller's wording for
/// repeats (NumPy words them per function).
pub fn normalize_axes_named(
    axes: &[isize],
    ndim: usize,
    prefix: Option<&'static str>,
    repeated: &str,
) -> Result<Vec<usize>> {
    let mut out = Vec::with_capacity(axes.len());
    for &a in axes {
        let ax = normalize_axis_named(a, ndim, prefix)?;
        if out.contains(&ax) {
            return Err(Error::Value(repeated.into()));
        }
        out.push(ax);
    }
    Ok(out)
}

/// A shape as Python prints a tuple: `(2, 3)`, `(4,)`, `()`.
pub fn shape_str(shape: &[usize]) -> String {
    tuple_str(shape, ", ")
}

/// NumPy's C-level tuple wording in some messages: `(2,3)`, `(4,)`.
pub fn shape_str_compact(shape: &[usize]) -> String {
    tuple_str(shape, ",")
}

fn tuple_str(shape: &[usize], sep: &str) -> String {
    match shape {
        [one] => format!("({one},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(sep)
        ),
    }
}

/// The broadcast shape of several shapes (`np.broadcast_shapes`).
pub fn broadcast_shapes(shapes: &[&[usize]]) -> Result<Vec<usize>> {
    let ndim = shapes.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut out = vec![1usize; ndim];
    // Dimension by dimension, then argument by argument, as NumPy reports the first clash.
    for (i, o) in out.iter_mut().enumerate() {
        let mut owner = 0;
        for (k, shape) in shapes.iter().enumerate() {
            let Some(p) = (i + shape.len()).checked_sub(ndim) else {
                continue;
            };
            let d = shape[p];
            if d == 1 || d == *o {
                continue;
            }
            if *o == 1 {
                *o = d;
                owner = k;
                continue;
            }
            return Err(Error::Value(format!(
                "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is \
                 between arg {owner} with shape {} and arg {k} with shape {}.",
                shape_str(shapes[owner]),
                shape_str(shape)
            )));
        }
    }
    Ok(out)
}

/// Strides that view an array of `shape`/`strides` as `target` (broadcasting), or an error.
pub fn broadcast_strides(
    shape: &[usize],
    strides: &[isize],
    target: &[usize],
) -> Result<Vec<isize>> {
    let err = || {
        Error::Value(format!(
            "operands could not be broadcast together with remapped shapes [original->remapped]: {}  and requested shape {}",
            shape_str_compact(shape),
            shape_str_compact(target)
        ))
    };
    if shape.len() > target.len() {
        return Err(Error::Value(
            "input operand has more dimensions than allowed by the axis remapping".into(),
        ));
    }
    let pad = target.len() - shape.len();
    let mut out = vec![0isize; target.len()];
    for i in 0..shape.len() {
        let (d, t) = (shape[i], target[pad + i]);
        out[pad + i] = if d == t {
            strides[i]
        } else if d == 1 {
            0
        } else {
            return Err(err());
        };
    }
    Ok(out)
}

/// Merges adjacent dimensions that every operand walks contiguously, so inner loops run long.
/// Takes one shape and one stride list per operand; returns the coalesced shape and strides.
pub fn coalesce<const N: usize>(
    shape: &[usize],
    strides: [&[isize]; N],
) -> (Vec<usize>, [Vec<isize>; N]) {
    let mut out_shape: Vec<usize> = Vec::with_capacity(shape.len());
    let mut out_strides: [Vec<isize>; N] = std::array::from_fn(|_| Vec::with_capacity(shape.len()));
    for i in 0..shape.len() {
        let d = shape[i];
        if d == 1 {
            continue;
        }
        if let Some(&last) = out_shape.last() {
            let mergeable =
                (0..N).all(|k| *out_strides[k].last().unwrap() == strides[k][i] * d as isize);
            if mergeable {
                let n = out_shape.len() - 1;
                out_shape[n] = last * d;
                for k in 0..N {
                    out_strides[k][n] = strides[k][i];
                }
                continue;
            }
        }
        out_shape.push(d);
        for k in 0..N {
            out_strides[k].push(strides[k][i]);
        }
    }
    (out_shape, out_strides)
}

/// Calls `f(offsets, len, inner_strides)` for every innermost run of an N-operand walk over
/// `shape`; offsets are byte offsets from each operand's first element. Coalesces first.
pub fn for_each_run<const N: usize>(
    shape: &[usize],
    strides: [&[isize]; N],
    mut f: impl FnMut([isize; N], usize, [isize; N]),
) {
    if shape.contains(&0) {
        return;
    }
    // 0-d and 1-d walks are one run: no coalescing (and no allocation) needed.
    if shape.len() <= 1 {
        let n = shape.first().copied().unwrap_or(1);
        let st = std::array::from_fn(|k| strides[k].first().copied().unwrap_or(0));
        f([0; N], n, st);
        return;
    }
    let (shape, strides) = coalesce(shape, strides);
    let nd = shape.len();
    if nd == 0 {
        f([0; N], 1, [0; N]);
        return;
    }
    let inner = shape[nd - 1];
    let inner_strides: [isize; N] = std::array::from_fn(|k| strides[k][nd - 1]);
    let mut index = vec![0usize; nd - 1];
    let mut offsets = [0isize; N];
    loop {
        f(offsets, inner, inner_strides);
        // Odometer increment over the outer dimensions.
        let mut d = nd - 1;
        loop {
            if d == 0 {
                return;
            }
            d -= 1;
            index[d] += 1;
            for k in 0..N {
                offsets[k] += strides[k][d];
            }
            if index[d] < shape[d] {
                break;
            }
            for k in 0..N {
                offsets[k] -= strides[k][d] * shape[d] as isize;
            }
            index[d] = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strides_and_contiguity() {
        assert_eq!(c_strides(&[2, 3, 4], 8), vec![96, 32, 8]);
        assert_eq!(f_strides(&[2, 3, 4], 8), vec![8, 16, 48]);
        assert!(is_c_contiguous(&[2, 1, 4], &[32, 999, 8], 8));
        assert!(!is_c_contiguous(&[2, 4], &[8, 16], 8));
        assert!(is_f_contiguous(&[2, 4], &[8, 16], 8));
        assert!(is_c_contiguous(&[0, 4], &[0, 0], 8));
    }

    #[test]
    fn extent_with_negative_strides() {
        assert_eq!(byte_extent(&[3], &[-8], 8), (-16, 8));
        assert_eq!(byte_extent(&[2, 3], &[24, 8], 8), (0, 48));
        assert_eq!(byte_extent(&[2, 3], &[0, 8], 8), (0, 24));
    }

    #[test]
    fn broadcasting() {
        assert_eq!(broadcast_shapes(&[&[3, 1], &[4]]).unwrap(), vec![3, 4]);
        assert_eq!(broadcast_shapes(&[&[], &[2, 0]]).unwrap(), vec![2, 0]);
        let e = broadcast_shapes(&[&[2], &[3]]).unwrap_err();
        assert!(e
            .to_string()
            .contains("arg 0 with shape (2,) and arg 1 with shape (3,)"));
        assert_eq!(
            broadcast_strides(&[3, 1], &[8, 8], &[2, 3, 4]).unwrap(),
            vec![0, 8, 0]
        );
        assert!(broadcast_strides(&[3], &[8], &[4]).is_err());
    }

    #[test]
    fn axes() {
        assert_eq!(normalize_axis(-1, 3).unwrap(), 2);
        assert!(normalize_axis(3, 3).is_err());
        assert!(normalize_axes(&[0, -2], 2).is_err());
    }

    #[test]
    fn coalesce_and_runs() {
        let (s, [a]) = coalesce(&[2, 3, 4], [&c_strides(&[2, 3, 4], 4)]);
        assert_eq!((s, a), (vec![24], vec![4]));
        let mut runs = vec![];
        // A transposed 2x3 walk: no merging, inner runs of 2 with stride 12.
        for_each_run(&[3, 2], [&[4, 12]], |o, n, s| runs.push((o[0], n, s[0])));
        assert_eq!(runs, vec![(0, 2, 12), (4, 2, 12), (8, 2, 12)]);
        let mut count = 0;
        for_each_run(&[], [&[]], |_, n, _| count += n);
        assert_eq!(count, 1);
        for_each_run(&[3, 0], [&[8, 8]], |_, _, _| {
            panic!("empty walk must not call")
        });
    }
}
