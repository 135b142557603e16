//! Ordering operations with NumPy's semantics: `sort`, `argsort`, `partition`,
//! `argpartition`, `unique`, `searchsorted`, and `topk` (which NumPy lacks).
//!
//! This layer resolves axes, shapes and dtypes and lays the input out as C-contiguous rows
//! along the operated axis; `kernels::sort` works on one row at a time. Rows run in
//! parallel when there are several; a single long row is split inside its kernel.

use crate::array::NdArray;
use crate::dispatch;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::exec;
use crate::kernels::sort::{self as kernel, SyncPtr, PARALLEL_MIN};
use crate::layout::normalize_axis;

/// Which end of a run of equal elements `searchsorted` returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
}

impl Side {
    pub fn parse(s: &str) -> Result<Side> {
        match s {
            "left" => Ok(Side::Left),
            "right" => Ok(Side::Right),
            _ => Err(Error::Value(format!(
                "side must be 'left' or 'right' (got '{s}')"
            ))),
        }
    }
}

/// The input flattened (`axis=None`) or as is, and the normalised axis to work along.
fn resolve(a: &NdArray, axis: Option<isize>) -> Result<(NdArray, usize)> {
    match axis {
        None => Ok((a.reshape(&[-1])?, 0)),
        Some(ax) => Ok((a.clone(), normalize_axis(ax, a.ndim())?)),
    }
}

/// `a` with `axis` moved last (a view).
fn axis_last(a: &NdArray, axis: usize) -> Result<NdArray> {
    if axis + 1 == a.ndim() {
        Ok(a.clone())
    } else {
        a.moveaxis(&[axis as isize], &[-1])
    }
}

/// Moves a fresh result's last axis back to `axis`, C-contiguous like NumPy's results.
fn axis_back(out: NdArray, axis: usize) -> Result<NdArray> {
    if axis + 1 == out.ndim() {
        Ok(out)
    } else {
        out.moveaxis(&[-1], &[axis as isize])?.copy()
    }
}

/// Calls `f(row, parallel)` for each of `rows` rows of `n` elements: on the pool when there
/// is enough work, and with `parallel` set (the kernel may split it) when there is one row.
fn for_rows(rows: usize, n: usize, f: impl Fn(usize, bool) + Sync) {
    if rows == 1 {
        return f(0, true);
    }
    if rows.saturating_mul(n) < PARALLEL_MIN {
        for r in 0..rows {
            f(r, false);
        }
        return;
    }
    // Groups of whole rows, about 16K elements each.
    let per = ((1 << 14) / n.max(1)).max(1);
    exec::for_each_index(rows.div_ceil(per), |c| {
        for r in c * per..rows.min((c + 1) * per) {
            f(r, false);
        }
    });
}

/// A fresh output's elements as `T` rows of `n`.
struct Rows<T> {
    ptr: SyncPtr<T>,
    n: usize,
}

impl<T> Rows<T> {
    fn new(out: &NdArray, n: usize) -> Self {
        debug_assert!(out.is_c_contiguous() && out.itemsize() == size_of::<T>());
        Rows {
            ptr: SyncPtr(out.data_ptr_mut() as *mut T),
            n,
        }
    }

    /// Row `r` for writing.
    ///
    /// # Safety
    /// The output is fresh (nobody else sees it) and each row is taken by one task only.
    #[allow(clippy::mut_from_ref)]
    unsafe fn row(&self, r: usize) -> &mut [T] {
        // SAFETY: row r lies inside the output (caller's contract for exclusivity).
        unsafe { std::slice::from_raw_parts_mut(self.ptr.get().add(r * self.n), self.n) }
    }
}

fn check_cancelled() -> Result<()> {
    if exec::cancelled() {
        Err(Error::Cancelled)
    } else {
        Ok(())
    }
}

/// Keeps the first error any row reports.
struct FirstError(std::sync::Mutex<Option<Error>>);

impl FirstError {
    fn new() -> Self {
        FirstError(std::sync::Mutex::new(None))
    }
    fn record(&self, r: Result<()>) {
        if let Err(e) = r {
            self.0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get_or_insert(e);
        }
    }
    fn finish(self) -> Result<()> {
        match self.0.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(e) => Err(e),
            None => check_cancelled(),
        }
    }
}

/// `np.sort(a, axis, stable=...)`, plus the array API's `descending`. `axis=None` sorts the
/// flattened array. NaNs sort last (first when descending); `-0.0` and `0.0` are equal. The
/// sort is always stable, descending included (equal elements keep their input order), so
/// `stable` only documents intent.
pub fn sort(a: &NdArray, axis: Option<isize>, stable: bool, descending: bool) -> Result<NdArray> {
    let _ = stable;
    let (a, axis) = resolve(a, axis)?;
    let src = axis_last(&a, axis)?;
    let n = src.shape()[src.ndim() - 1];
    if src.size() == 0 || n <= 1 {
        return axis_back(src.copy()?, axis);
    }
    // The kernel reads the rows where they are (when contiguous) and writes the fresh output.
    let src = src.as_contiguous()?;
    let out = NdArray::alloc(src.dtype(), src.shape(), false)?;
    let rows = out.size() / n;
    let errs = FirstError::new();
    dispatch!(out.dtype(), T => {
        let input = src.as_slice::<T>().expect("contiguous");
        let rows_out = Rows::<T>::new(&out, n);
        for_rows(rows, n, |r, par| {
            // SAFETY: `out` is fresh; each row is written by one task.
            let row = unsafe { rows_out.row(r) };
            errs.record(kernel::sort(&input[r * n..(r + 1) * n], row, descending, par));
        });
    });
    errs.finish()?;
    axis_back(out, axis)
}

/// Input rows along `axis` as a C-contiguous array (a view when already laid out so), the
/// row length and the row count. Arg-functions treat a 0-d input as 1-d, as NumPy does.
fn input_rows(a: &NdArray, axis: Option<isize>) -> Result<(NdArray, usize, usize)> {
    let a = if a.ndim() == 0 {
        a.reshape(&[1])?
    } else {
        a.clone()
    };
    let (a, axis) = resolve(&a, axis)?;
    let src = axis_last(&a, axis)?.as_contiguous()?;
    let n = src.shape()[src.ndim() - 1];
    let rows = src.size().checked_div(n).unwrap_or(0);
    Ok((src, axis, rows))
}

/// `np.argsort(a, axis, stable=...)` with the array API's `descending`: int64 indices that
/// sort `a` along `axis` (flattened for `None`; a 0-d input counts as 1-d). Always stable:
/// equal elements keep input order, ascending and descending, exactly as NumPy's
/// `stable=True` (and array-api-strict's descending).
pub fn argsort(
    a: &NdArray,
    axis: Option<isize>,
    stable: bool,
    descending: bool,
) -> Result<NdArray> {
    let _ = stable;
    let (src, axis, rows) = input_rows(a, axis)?;
    let n = src.shape()[src.ndim() - 1];
    let out = NdArray::alloc(DType::Int64, src.shape(), false)?;
    let errs = FirstError::new();
    dispatch!(src.dtype(), T => {
        let input = src.as_slice::<T>().expect("contiguous");
        let rows_out = Rows::<i64>::new(&out, n);
        for_rows(rows, n, |r, par| {
            // SAFETY: `out` is fresh; each row is written by one task.
            let row = unsafe { rows_out.row(r) };
            errs.record(kernel::argsort(&input[r * n..(r + 1) * n], descending, row, par));
        });
    });
    errs.finish()?;
    axis_back(out, axis)
}

/// Checks and normalises `kth` for an axis of length `n`: sorted, without repeats.
fn resolve_kth(kth: &[isize], n: usize) -> Result<Vec<usize>> {
    if kth.is_empty() {
        return Err(Error::Type("Partition index must be integer".into()));
    }
    let mut ks = Vec::with_capacity(kth.len());
    for &k in kth {
        // NumPy reports a negative kth after adding n: `kth(=-1) out of bounds (5)` for -6.
        let k = if k < 0 { k + n as isize } else { k };
        if k < 0 || k >= n as isize {
            return Err(Error::Value(format!("kth(={k}) out of bounds ({n})")));
        }
        ks.push(k as usize);
    }
    ks.sort_unstable();
    ks.dedup();
    Ok(ks)
}

/// `np.partition(a, kth, axis)`: each `kth` position (negative counts from the end) holds the
/// element a full sort would put there, nothing greater before it and nothing smaller after.
/// `axis=None` works on the flattened array. Errors: `kth(=5) out of bounds (5)`.
pub fn partition(a: &NdArray, kth: &[isize], axis: Option<isize>) -> Result<NdArray> {
    let (a, axis) = resolve(a, axis)?;
    let out = axis_last(&a, axis)?.copy()?;
    if out.size() == 0 {
        return axis_back(out, axis);
    }
    let n = out.shape()[out.ndim() - 1];
    let ks = resolve_kth(kth, n)?;
    let rows = out.size() / n;
    dispatch!(out.dtype(), T => {
        let rows_out = Rows::<T>::new(&out, n);
        for_rows(rows, n, |r, _| {
            // SAFETY: `out` is our fresh copy; each row is partitioned by one task.
            kernel::partition(unsafe { rows_out.row(r) }, &ks);
        });
    });
    check_cancelled()?;
    axis_back(out, axis)
}

/// `np.argpartition(a, kth, axis)`: int64 indices that partition `a` as `partition` does
/// (a 0-d input counts as 1-d). Which of several equal elements lands where is unspecified.
pub fn argpartition(a: &NdArray, kth: &[isize], axis: Option<isize>) -> Result<NdArray> {
    let (src, axis, rows) = input_rows(a, axis)?;
    let out = NdArray::alloc(DType::Int64, src.shape(), false)?;
    if out.size() == 0 {
        return axis_back(out, axis);
    }
    let n = src.shape()[src.ndim() - 1];
    let ks = resolve_kth(kth, n)?;
    dispatch!(src.dtype(), T => {
        let input = src.as_slice::<T>().expect("contiguous");
        let rows_out = Rows::<i64>::new(&out, n);
        for_rows(rows, n, |r, _| {
            // SAFETY: `out` is fresh; each row is written by one task.
            let row = unsafe { rows_out.row(r) };
            kernel::argpartition(&input[r * n..(r + 1) * n], &ks, row);
        });
    });
    check_cancelled()?;
    axis_back(out, axis)
}

/// What `unique` computes besides the values (NumPy's `return_*` flags and `equal_nan`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UniqueOptions {
    pub return_index: bool,
    pub return_inverse: bool,
    pub return_counts: bool,
    /// NumPy 2's `np.unique` default is `true` (all NaNs one value); the array API's
    /// `unique_all/counts/inverse/values` use `false` (every NaN its own value).
    pub equal_nan: bool,
}

impl Default for UniqueOptions {
    fn default() -> Self {
        UniqueOptions {
            return_index: false,
            return_inverse: false,
            return_counts: false,
            equal_nan: true,
        }
    }
}

/// The result of `unique`; each optional part is present when its flag was set.
#[derive(Clone, Debug)]
pub struct Unique {
    /// Sorted distinct values, 1-d, the input's dtype. For `-0.0`/`0.0` (and NaNs with
    /// `equal_nan`) the first occurrence's value is kept.
    pub values: NdArray,
    /// int64, 1-d: index (into the flattened input) of each value's first occurrence.
    pub indices: Option<NdArray>,
    /// int64, the input's shape: position in `values` of every input element.
    pub inverse: Option<NdArray>,
    /// int64, 1-d: how often each value occurs.
    pub counts: Option<NdArray>,
}

/// `np.unique(a, return_index, return_inverse, return_counts, equal_nan)` over the
/// flattened array (axis=None). The array API functions map onto it: `unique_values` =
/// values with `equal_nan=false`; `unique_counts` = + counts; `unique_inverse` = + inverse;
/// `unique_all` = all three.
pub fn unique(a: &NdArray, opts: UniqueOptions) -> Result<Unique> {
    let flat = a.reshape(&[-1])?.as_contiguous()?;
    let positions = opts.return_index || opts.return_inverse;
    let int64 = |v: Vec<i64>, shape: &[usize]| NdArray::from_vec(v, shape);
    dispatch!(flat.dtype(), T => {
        let v = flat.as_slice::<T>().expect("contiguous");
        let runs = kernel::unique(v, opts.equal_nan, positions, opts.return_counts, true)?;
        let m = runs.values.len();
        Ok(Unique {
            values: NdArray::from_vec(runs.values, &[m])?,
            indices: opts.return_index.then(|| int64(runs.first, &[m])).transpose()?,
            inverse: opts.return_inverse.then(|| int64(runs.inverse, a.shape())).transpose()?,
            counts: opts.return_counts.then(|| int64(runs.counts, &[m])).transpose()?,
        })
    })
}

/// `np.searchsorted(a, v, side, sorter)`: int64 insertion points (shape of `v`) that keep
/// the 1-d `a` sorted. Both are compared in their promoted dtype (`result_type(a, v)`), NaN
/// sorting last as in `sort`. `sorter` (integer, `a`'s size) gives `a`'s sorted order; all its
/// entries are checked up front (NumPy only checks those the search touches).
pub fn searchsorted(
    a: &NdArray,
    v: &NdArray,
    side: Side,
    sorter: Option<&NdArray>,
) -> Result<NdArray> {
    match a.ndim() {
        0 => {
            return Err(Error::Value(
                "object of too small depth for desired array".into(),
            ))
        }
        1 => {}
        _ => return Err(Error::Value("object too deep for desired array".into())),
    }
    let dt = a.dtype().promote(v.dtype());
    let convert = |x: &NdArray| {
        if x.dtype() == dt {
            x.as_contiguous()
        } else {
            x.astype(dt)
        }
    };
    let (a, v) = (convert(a)?, convert(v)?);
    let order: Option<Vec<usize>> = match sorter {
        None => None,
        Some(s) => Some(sorter_order(s, a.size())?),
    };
    let out = NdArray::alloc(DType::Int64, v.shape(), false)?;
    dispatch!(dt, T => {
        let av = a.as_slice::<T>().expect("contiguous");
        let gathered: Vec<T>;
        let av = match &order {
            Some(o) => {
                gathered = o.iter().map(|&i| av[i]).collect();
                &gathered[..]
            }
            None => av,
        };
        let vv = v.as_slice::<T>().expect("contiguous");
        // SAFETY: `out` is fresh and C-contiguous with v.size() int64 elements.
        let rows_out = Rows::<i64>::new(&out, vv.len());
        let o = unsafe { rows_out.row(0) };
        kernel::searchsorted(av, vv, side == Side::Right, o, true);
    });
    check_cancelled()?;
    Ok(out)
}

/// Validates `searchsorted`'s sorter and returns it as indices.
fn sorter_order(s: &NdArray, n: usize) -> Result<Vec<usize>> {
    if !s.dtype().is_integer() {
        return Err(Error::Type("sorter must only contain integers".into()));
    }
    if s.ndim() != 1 {
        return Err(Error::Type("could not parse sorter argument".into()));
    }
    if s.size() != n {
        return Err(Error::Value("sorter.size must equal a.size".into()));
    }
    let bad = || Error::Value("Sorter index out of range.".into());
    let s = s.astype(DType::Int64)?;
    let s = s.as_slice::<i64>().expect("contiguous");
    s.iter()
        .map(|&i| usize::try_from(i).ok().filter(|&i| i < n).ok_or_else(bad))
        .collect()
}

/// The `k` largest (`largest=true`) or smallest elements along `axis` (flattened for
/// `None`) and their int64 indices, each of the input's shape with that axis `k` long.
///
/// Not in NumPy; defined as: with `sorted`, best first; ties go to the lower index, so the
/// result equals the first `k` of a stable descending (or ascending) argsort. NaN counts as
/// the largest value (as NumPy's sort puts it last), so `largest` returns NaNs first and
/// smallest returns them only when there are fewer than `k` other elements. With
/// `sorted=false` the same elements come in unspecified order. `k < 0` or `k > n` is a
/// ValueError; a 0-d input with an axis is an AxisError (as `sort`).
pub fn topk(
    x: &NdArray,
    k: isize,
    axis: Option<isize>,
    largest: bool,
    sorted: bool,
) -> Result<(NdArray, NdArray)> {
    let (x, axis) = resolve(x, axis)?;
    let src = axis_last(&x, axis)?.as_contiguous()?;
    let n = src.shape()[src.ndim() - 1];
    if k < 0 || k as usize > n {
        return Err(Error::Value(format!(
            "k(={k}) out of bounds for an axis of length {n}"
        )));
    }
    let k = k as usize;
    let mut shape = src.shape().to_vec();
    *shape.last_mut().expect("at least 1-d") = k;
    let values = NdArray::alloc(src.dtype(), &shape, false)?;
    let indices = NdArray::alloc(DType::Int64, &shape, false)?;
    let rows = src.size().checked_div(n).unwrap_or(0);
    if k > 0 {
        let errs = FirstError::new();
        dispatch!(src.dtype(), T => {
            let input = src.as_slice::<T>().expect("contiguous");
            let (vals, idxs) = (Rows::<T>::new(&values, k), Rows::<i64>::new(&indices, k));
            for_rows(rows, n, |r, par| {
                // SAFETY: both outputs are fresh; each row is written by one task.
                let (vr, ir) = unsafe { (vals.row(r), idxs.row(r)) };
                let row = &input[r * n..(r + 1) * n];
                errs.record(kernel::topk(row, k, largest, sorted, vr, ir, par));
            });
        });
        errs.finish()?;
    }
    Ok((axis_back(values, axis)?, axis_back(indices, axis)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::{IndexItem, SliceSpec};

    fn f64s(v: &[f64], shape: &[usize]) -> NdArray {
        NdArray::from_vec(v.to_vec(), shape).unwrap()
    }

    fn bits(a: &NdArray) -> Vec<u64> {
        a.to_vec::<f64>()
            .unwrap()
            .iter()
            .map(|x| x.to_bits())
            .collect()
    }

    /// Reference: NumPy's order on one lane, stable (descending keeps ties in input order).
    fn ref_sorted(lane: &[f64], descending: bool) -> Vec<usize> {
        let cmp = |a: f64, b: f64| match (a.is_nan(), b.is_nan()) {
            (true, true) => std::cmp::Ordering::Equal,
            (true, false) => std::cmp::Ordering::Greater,
            (false, true) => std::cmp::Ordering::Less,
            _ => a.partial_cmp(&b).unwrap(),
        };
        let mut idx: Vec<usize> = (0..lane.len()).collect();
        idx.sort_by(|&i, &j| {
            if descending {
                cmp(lane[j], lane[i])
            } else {
                cmp(lane[i], lane[j])
            }
        });
        idx
    }

    /// Lanes of `a` (any layout) along `axis`, each as a Vec, in C order of the other axes.
    fn lanes(a: &NdArray, axis: usize) -> Vec<Vec<f64>> {
        let m = a.moveaxis(&[axis as isize], &[-1]).unwrap().copy().unwrap();
        let n = m.shape()[m.ndim() - 1];
        m.to_vec::<f64>()
            .unwrap()
            .chunks(n.max(1))
            .map(|c| c.to_vec())
            .collect()
    }

    fn random(n: usize, seed: u64) -> Vec<f64> {
        let mut rng = crate::kernels::sort::tests::Rng(seed);
        (0..n)
            .map(|_| match rng.below(8) {
                0 => f64::NAN,
                1 => -0.0,
                2 => 0.0,
                _ => rng.below(7) as f64 - 3.0,
            })
            .collect()
    }

    /// Views worth checking: contiguous, transposed, strided with negative steps.
    fn views() -> Vec<NdArray> {
        let base = f64s(&random(4 * 6 * 10, 7), &[4, 6, 10]);
        let step = |s: isize| {
            IndexItem::Slice(SliceSpec {
                start: None,
                stop: None,
                step: Some(s),
            })
        };
        vec![
            base.clone(),
            base.transpose(None).unwrap(),
            base.index(&[step(-1), step(2), step(-3)]).unwrap(),
            base.swapaxes(0, 2).unwrap().index(&[step(3)]).unwrap(),
        ]
    }

    #[test]
    fn sort_and_argsort_every_axis_and_layout() {
        for a in views() {
            for axis in 0..a.ndim() {
                for descending in [false, true] {
                    let s = sort(&a, Some(axis as isize), true, descending).unwrap();
                    let i = argsort(
                        &a,
                        Some(axis as isize - a.ndim() as isize),
                        true,
                        descending,
                    )
                    .unwrap();
                    assert_eq!(s.shape(), a.shape());
                    assert!(s.is_c_contiguous() && i.dtype() == DType::Int64);
                    let (sl, il) = (
                        lanes(&s, axis),
                        lanes(&i.astype(DType::Float64).unwrap(), axis),
                    );
                    for ((lane, got), idx) in lanes(&a, axis).iter().zip(&sl).zip(&il) {
                        let want = ref_sorted(lane, descending);
                        let wv: Vec<u64> = want.iter().map(|&j| lane[j].to_bits()).collect();
                        let gv: Vec<u64> = got.iter().map(|x| x.to_bits()).collect();
                        assert_eq!(gv, wv);
                        assert!(idx.iter().map(|&x| x as usize).eq(want.iter().copied()));
                    }
                }
            }
            // axis=None: the flattened (C order) array.
            let flat = a.copy().unwrap().to_vec::<f64>().unwrap();
            let want: Vec<u64> = ref_sorted(&flat, false)
                .iter()
                .map(|&j| flat[j].to_bits())
                .collect();
            let s = sort(&a, None, false, false).unwrap();
            assert_eq!(s.shape(), &[flat.len()]);
            assert_eq!(bits(&s), want);
        }
    }

    #[test]
    fn sort_matches_numpy_examples_and_edge_shapes() {
        let nan = f64::NAN;
        let a = f64s(&[0.0, -0.0, nan, -nan, 1.0], &[5]);
        let s = sort(&a, Some(-1), true, false).unwrap();
        assert_eq!(bits(&s), [0.0f64, -0.0, 1.0, nan, -nan].map(f64::to_bits));
        // 0-d: an axis is out of bounds; None gives one element. Arg-functions see 1-d.
        let z = NdArray::from_vec(vec![5i32], &[]).unwrap();
        assert_eq!(
            sort(&z, Some(-1), false, false).unwrap_err(),
            Error::Axis {
                axis: -1,
                ndim: 0,
                prefix: None
            }
        );
        assert_eq!(
            sort(&z, None, false, false)
                .unwrap()
                .to_vec::<i32>()
                .unwrap(),
            [5]
        );
        for ax in [Some(0), Some(-1), None] {
            let i = argsort(&z, ax, false, false).unwrap();
            assert_eq!(
                (i.shape(), i.to_vec::<i64>().unwrap()),
                (&[1usize][..], vec![0])
            );
            assert_eq!(
                argpartition(&z, &[0], ax).unwrap().to_vec::<i64>().unwrap(),
                [0]
            );
        }
        assert!(matches!(
            argsort(&z, Some(3), false, false),
            Err(Error::Axis { ndim: 1, .. })
        ));
        // Empty shapes keep their shape and dtype.
        let e = NdArray::zeros(DType::UInt16, &[2, 0]).unwrap();
        assert_eq!(sort(&e, Some(1), true, false).unwrap().shape(), &[2, 0]);
        assert_eq!(argsort(&e, Some(0), true, false).unwrap().shape(), &[2, 0]);
        assert_eq!(partition(&e, &[0], Some(-1)).unwrap().shape(), &[2, 0]);
        // Every dtype goes through the dispatch.
        for &dt in crate::dtype::ALL_DTYPES.iter() {
            let a = f64s(&[3.0, 1.0, 2.0, 1.0], &[4]).astype(dt).unwrap();
            let s = sort(&a, Some(0), true, true).unwrap();
            assert_eq!(s.dtype(), dt);
            let i = argsort(&a, Some(0), true, false)
                .unwrap()
                .to_vec::<i64>()
                .unwrap();
            if dt == DType::Bool {
                assert_eq!(i, [0, 1, 2, 3]);
            } else {
                assert_eq!(i, [1, 3, 2, 0]);
                assert_eq!(
                    s.astype(DType::Float64).unwrap().to_vec::<f64>().unwrap(),
                    [3.0, 2.0, 1.0, 1.0]
                );
            }
        }
    }

    #[test]
    fn partition_contract_and_errors() {
        let a = f64s(&random(60, 3), &[6, 10]);
        let t = a.transpose(None).unwrap();
        for (arr, axis) in [(&a, 1usize), (&a, 0), (&t, 1)] {
            let n = arr.shape()[axis];
            let kth = [-1isize, 2, 2, 0];
            let p = partition(arr, &kth, Some(axis as isize)).unwrap();
            let ip = argpartition(arr, &kth, Some(axis as isize)).unwrap();
            let ks: Vec<usize> = vec![0, 2, n - 1];
            for ((lane, part), idx) in lanes(arr, axis)
                .iter()
                .zip(lanes(&p, axis))
                .zip(lanes(&ip.astype(DType::Float64).unwrap(), axis))
            {
                let sorted: Vec<f64> = ref_sorted(lane, false).iter().map(|&j| lane[j]).collect();
                let via_idx: Vec<f64> = idx.iter().map(|&j| lane[j as usize]).collect();
                for got in [&part, &via_idx] {
                    for &k in &ks {
                        let same = |x: f64, y: f64| x == y || (x.is_nan() && y.is_nan());
                        assert!(same(got[k], sorted[k]), "{got:?} {k}");
                    }
                }
            }
        }
        let v = NdArray::from_vec((0..5i64).collect(), &[5]).unwrap();
        let msg = |e: Error| e.to_string();
        assert_eq!(
            msg(partition(&v, &[5], Some(-1)).unwrap_err()),
            "kth(=5) out of bounds (5)"
        );
        assert_eq!(
            msg(partition(&v, &[-6], Some(-1)).unwrap_err()),
            "kth(=-1) out of bounds (5)"
        );
        assert_eq!(
            msg(argpartition(&v, &[5], None).unwrap_err()),
            "kth(=5) out of bounds (5)"
        );
        assert!(matches!(partition(&v, &[], Some(0)), Err(Error::Type(_))));
        let z = NdArray::from_vec(vec![5i64], &[]).unwrap();
        assert!(matches!(
            partition(&z, &[0], Some(0)),
            Err(Error::Axis { .. })
        ));
        assert_eq!(
            partition(&z, &[0], None).unwrap().to_vec::<i64>().unwrap(),
            [5]
        );
        let flat = partition(&a, &[59], None).unwrap();
        assert_eq!(flat.shape(), &[60]);
    }

    #[test]
    fn unique_matches_numpy() {
        let nan = f64::NAN;
        let a = f64s(&[0.0, -0.0, nan, nan, 1.0], &[5]);
        let all = UniqueOptions {
            return_index: true,
            return_inverse: true,
            return_counts: true,
            equal_nan: true,
        };
        let u = unique(&a, all).unwrap();
        assert_eq!(bits(&u.values), [0.0, 1.0, nan].map(f64::to_bits));
        assert_eq!(u.indices.unwrap().to_vec::<i64>().unwrap(), [0, 4, 2]);
        assert_eq!(u.inverse.unwrap().to_vec::<i64>().unwrap(), [0, 0, 2, 2, 1]);
        assert_eq!(u.counts.unwrap().to_vec::<i64>().unwrap(), [2, 1, 2]);
        // The array API's unique_all: every NaN distinct.
        let u = unique(
            &a,
            UniqueOptions {
                equal_nan: false,
                ..all
            },
        )
        .unwrap();
        assert_eq!(u.values.size(), 4);
        assert_eq!(u.indices.unwrap().to_vec::<i64>().unwrap(), [0, 4, 2, 3]);
        assert_eq!(u.inverse.unwrap().to_vec::<i64>().unwrap(), [0, 0, 2, 3, 1]);
        assert_eq!(u.counts.unwrap().to_vec::<i64>().unwrap(), [2, 1, 1, 1]);
        // Inverse has the input's shape; a transposed view is flattened in C order.
        let m = NdArray::from_vec(vec![3i64, 1, 1, 2], &[2, 2]).unwrap();
        let u = unique(&m.transpose(None).unwrap(), all).unwrap();
        assert_eq!(u.values.to_vec::<i64>().unwrap(), [1, 2, 3]);
        let inv = u.inverse.unwrap();
        assert_eq!(
            (inv.shape(), inv.to_vec::<i64>().unwrap()),
            (&[2usize, 2][..], vec![2, 0, 0, 1])
        );
        let plain = unique(&m, UniqueOptions::default()).unwrap();
        assert!(plain.indices.is_none() && plain.inverse.is_none() && plain.counts.is_none());
        let e = unique(&NdArray::zeros(DType::Float32, &[0]).unwrap(), all).unwrap();
        assert_eq!((e.values.size(), e.values.dtype()), (0, DType::Float32));
        let b = NdArray::from_vec(vec![true, false, true], &[3]).unwrap();
        let u = unique(&b, all).unwrap();
        assert_eq!(u.values.to_vec::<bool>().unwrap(), [false, true]);
        assert_eq!(u.indices.unwrap().to_vec::<i64>().unwrap(), [1, 0]);
    }

    #[test]
    fn searchsorted_matches_numpy() {
        let nan = f64::NAN;
        let a = f64s(&[1.0, 2.0, nan], &[3]);
        let v = f64s(&[nan, 2.0, -0.0, 5.0], &[2, 2]);
        let l = searchsorted(&a, &v, Side::Left, None).unwrap();
        assert_eq!(
            (l.shape(), l.to_vec::<i64>().unwrap()),
            (&[2usize, 2][..], vec![2, 1, 0, 2])
        );
        let r = searchsorted(&a, &v, Side::Right, None).unwrap();
        assert_eq!(r.to_vec::<i64>().unwrap(), [3, 2, 0, 2]);
        // Promotion: int64 haystack, float needle.
        let ai = NdArray::from_vec(vec![1i64, 2, 3], &[3]).unwrap();
        let x = NdArray::from_vec(vec![2.5f64], &[]).unwrap();
        let o = searchsorted(&ai, &x, Side::Left, None).unwrap();
        assert_eq!((o.ndim(), o.to_vec::<i64>().unwrap()), (0, vec![2]));
        // Sorter gives the order of an unsorted haystack.
        let un = NdArray::from_vec(vec![30i32, 10, 20], &[3]).unwrap();
        let sorter = argsort(&un, Some(0), true, false).unwrap();
        let q = NdArray::from_vec(vec![10i32, 25, 40], &[3]).unwrap();
        let o = searchsorted(&un, &q, Side::Right, Some(&sorter)).unwrap();
        assert_eq!(o.to_vec::<i64>().unwrap(), [1, 2, 3]);
        let bad = NdArray::from_vec(vec![0i64, 5, 1], &[3]).unwrap();
        assert_eq!(
            searchsorted(&un, &q, Side::Left, Some(&bad))
                .unwrap_err()
                .to_string(),
            "Sorter index out of range."
        );
        let short = NdArray::from_vec(vec![0i64, 1], &[2]).unwrap();
        assert!(matches!(
            searchsorted(&un, &q, Side::Left, Some(&short)),
            Err(Error::Value(_))
        ));
        let fl = NdArray::from_vec(vec![0.0f64, 1.0, 2.0], &[3]).unwrap();
        assert!(matches!(
            searchsorted(&un, &q, Side::Left, Some(&fl)),
            Err(Error::Type(_))
        ));
        let two_d = NdArray::zeros(DType::Float64, &[1, 3]).unwrap();
        assert!(matches!(
            searchsorted(&two_d, &q, Side::Left, None),
            Err(Error::Value(_))
        ));
        assert_eq!(Side::parse("right").unwrap(), Side::Right);
        assert!(Side::parse("middle").is_err());
    }

    #[test]
    fn topk_rows_axes_and_errors() {
        for a in views() {
            for axis in 0..a.ndim() {
                let n = a.shape()[axis];
                for k in [0, 1, 3, n] {
                    for largest in [true, false] {
                        let (v, i) =
                            topk(&a, k as isize, Some(axis as isize), largest, true).unwrap();
                        let mut shape = a.shape().to_vec();
                        shape[axis] = k;
                        assert_eq!((v.shape(), i.shape()), (&shape[..], &shape[..]));
                        let (vl, il) = (
                            lanes(&v, axis),
                            lanes(&i.astype(DType::Float64).unwrap(), axis),
                        );
                        for ((lane, got_v), got_i) in lanes(&a, axis).iter().zip(&vl).zip(&il) {
                            let want = &ref_sorted(lane, largest)[..k];
                            assert!(got_i.iter().map(|&x| x as usize).eq(want.iter().copied()));
                            let wb: Vec<u64> = want.iter().map(|&j| lane[j].to_bits()).collect();
                            assert_eq!(got_v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), wb);
                        }
                    }
                }
            }
        }
        let a = f64s(&[1.0, 5.0, 3.0], &[3]);
        assert!(matches!(
            topk(&a, 4, Some(0), true, true),
            Err(Error::Value(_))
        ));
        assert!(matches!(
            topk(&a, -1, Some(0), true, true),
            Err(Error::Value(_))
        ));
        let z = NdArray::from_vec(vec![1.0f64], &[]).unwrap();
        assert!(matches!(
            topk(&z, 1, Some(-1), true, true),
            Err(Error::Axis { .. })
        ));
        let (v, i) = topk(&z, 1, None, true, true).unwrap();
        assert_eq!(
            (v.to_vec::<f64>().unwrap(), i.to_vec::<i64>().unwrap()),
            (vec![1.0], vec![0])
        );
        // A large 1-d input takes the parallel path.
        let big: Vec<f32> = (0..300_000i64)
            .map(|i| ((i * 7919) % 300_007) as f32)
            .collect();
        let x = NdArray::from_vec(big.clone(), &[big.len()]).unwrap();
        let (v, i) = topk(&x, 5, Some(0), true, true).unwrap();
        let mut want: Vec<usize> = (0..big.len()).collect();
        want.sort_by(|&p, &q| big[q].partial_cmp(&big[p]).unwrap());
        assert!(i
            .to_vec::<i64>()
            .unwrap()
            .iter()
            .map(|&x| x as usize)
            .eq(want[..5].iter().copied()));
        assert_eq!(
            v.to_vec::<f32>().unwrap(),
            want[..5].iter().map(|&j| big[j]).collect::<Vec<_>>()
        );
    }
}
