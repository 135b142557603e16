//! Matrix products with NumPy semantics: `matmul`, `dot`, `vdot`, `inner`, `outer`,
//! `tensordot`, `vecdot`, `matvec`, `vecmat`, `einsum`, and the `diagonal`/`trace` views.
//!
//! Every product is a labelled contraction of two operands (einsum's model): each axis carries
//! a label, and `contract` sorts the labels of one call into batch, row (M), contracted (K) and
//! column (N) groups, merges each group into one strided axis where the layout allows, and calls
//! the batched GEMM kernel (`kernels::gemm`) once. Transposed, reversed and sliced inputs are
//! read through their strides and broadcast axes through zero strides; an operand is copied
//! only when its contracted axes cannot be walked as one strided axis.

use crate::array::NdArray;
use crate::dispatch;
use crate::dtype::{result_type, Casting, DType};
use crate::error::{Error, Result};
use crate::kernels::gemm::{self, MatMut, MatRef};
use crate::layout::{self, normalize_axis, normalize_axis_named, shape_str_compact};
use crate::ops::copy::may_overlap;
use crate::ops::reduce;
use crate::ops::ufunc::{self, BinaryOp};
use std::borrow::Cow;
use std::collections::BTreeMap;

// ------------------------------------------------------------------------------------------
// the contraction engine
// ------------------------------------------------------------------------------------------

/// An axis label: an einsum letter (its character code) or a synthetic label (>= 256) for
/// broadcast and ellipsis axes.
type Label = u32;

/// The extent of every label in one product (after broadcasting).
type Sizes = BTreeMap<Label, usize>;

/// An operand whose axes carry distinct labels. An axis of length 1 under a longer label is
/// broadcast: it is read with stride 0.
#[derive(Clone, Debug)]
struct Term {
    x: NdArray,
    labels: Vec<Label>,
}

impl Term {
    fn new(x: NdArray, labels: Vec<Label>) -> Term {
        debug_assert_eq!(x.ndim(), labels.len());
        Term { x, labels }
    }

    /// Element stride of `label` in this operand: 0 when absent or broadcast.
    fn stride(&self, label: Label) -> isize {
        match self.labels.iter().position(|&l| l == label) {
            Some(i) if self.x.shape()[i] > 1 => self.x.strides()[i] / self.x.itemsize() as isize,
            _ => 0,
        }
    }

    /// The same operand as a C-contiguous copy with the axes of `last` moved to the end (in
    /// that order) and broadcast to their full `sizes`, so they merge into one strided axis.
    fn copy_with_last(&self, last: &[Label], sizes: &Sizes) -> Result<Term> {
        let full: Vec<usize> = (0..self.labels.len())
            .map(|i| match last.contains(&self.labels[i]) {
                true => sizes[&self.labels[i]],
                false => self.x.shape()[i],
            })
            .collect();
        let x = self.x.broadcast_to(&full)?;
        let mut order: Vec<usize> = (0..self.labels.len())
            .filter(|&i| !last.contains(&self.labels[i]))
            .collect();
        order.extend(
            last.iter()
                .filter_map(|l| self.labels.iter().position(|x| x == l)),
        );
        let perm: Vec<isize> = order.iter().map(|&i| i as isize).collect();
        let x = x.transpose(Some(&perm))?.copy()?;
        Ok(Term::new(
            x,
            order.iter().map(|&i| self.labels[i]).collect(),
        ))
    }
}

/// True when the kernel can address `x` with element strides: aligned, every stride of an
/// axis longer than one a multiple of the itemsize.
fn kernel_ready(x: &NdArray) -> bool {
    let size = x.itemsize() as isize;
    x.is_aligned()
        && x.shape()
            .iter()
            .zip(x.strides())
            .all(|(&d, &s)| d <= 1 || s % size == 0)
}

fn ready(t: Term) -> Result<Term> {
    if kernel_ready(&t.x) {
        Ok(t)
    } else {
        Ok(Term::new(t.x.copy()?, t.labels))
    }
}

/// One label of a kernel call: its length and element stride in A, B and C.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Axis {
    len: usize,
    a: isize,
    b: isize,
    c: isize,
}

#[derive(Clone, Copy)]
enum Side {
    A,
    B,
    C,
}

impl Axis {
    fn stride(&self, s: Side) -> isize {
        match s {
            Side::A => self.a,
            Side::B => self.b,
            Side::C => self.c,
        }
    }
}

/// Orders a group of axes outermost first (by their strides in `sides`) and merges the longest
/// innermost run that is one strided axis in both `sides`. Returns the merged axis (length 1
/// for an empty group) and the axes left outside it, outermost first.
fn merge(mut group: Vec<Axis>, sides: [Side; 2]) -> (Axis, Vec<Axis>) {
    group.sort_by_key(|x| {
        std::cmp::Reverse((
            x.stride(sides[0]).unsigned_abs(),
            x.stride(sides[1]).unsigned_abs(),
        ))
    });
    let Some(mut merged) = group.pop() else {
        return (
            Axis {
                len: 1,
                a: 0,
                b: 0,
                c: 0,
            },
            group,
        );
    };
    while let Some(outer) = group.last() {
        let fits = sides
            .iter()
            .all(|&s| outer.stride(s) == merged.stride(s) * merged.len as isize);
        if !fits {
            break;
        }
        merged.len *= outer.len;
        group.pop();
    }
    (merged, group)
}

/// Writes `C = contraction of a and b` into `c`, whose axes carry `c_labels`. Labels in `c`
/// and one operand are rows or columns, labels in both operands and not in `c` are summed,
/// labels everywhere are batches. Every label is in `sizes`.
///
/// `c` must be fresh or write-borrowed by the caller, kernel-ready, free of zero strides and
/// overlap with the inputs; all three share one dtype.
fn contract(a: &Term, b: &Term, c: &NdArray, c_labels: &[Label], sizes: &Sizes) -> Result<()> {
    debug_assert!(a.x.dtype() == c.dtype() && b.x.dtype() == c.dtype());
    if c.size() == 0 {
        return Ok(());
    }
    let (mut a, mut b) = (ready(a.clone())?, ready(b.clone())?);
    let c_term = Term::new(c.clone(), c_labels.to_vec());
    let mut copies = 0;
    loop {
        let axis = |l: Label, a: &Term, b: &Term| Axis {
            len: sizes[&l],
            a: a.stride(l),
            b: b.stride(l),
            c: c_term.stride(l),
        };
        let (mut batch, mut rows, mut cols, mut sums) = (vec![], vec![], vec![], vec![]);
        let (mut sum_labels, mut k_empty) = (vec![], false);
        for &l in c_labels {
            let x = axis(l, &a, &b);
            if x.len == 1 {
                continue;
            }
            // A label one operand broadcasts along belongs to the other's rows or columns:
            // `(1000, 3, 4) @ (4, 5)` is one 3000 x 4 by 4 x 5 product, not 1000 small ones.
            if x.b == 0 {
                rows.push(x);
            } else if x.a == 0 {
                cols.push(x);
            } else {
                batch.push(x);
            }
        }
        let mut contracted: Vec<Label> = a.labels.clone();
        contracted.extend(b.labels.iter().filter(|l| !a.labels.contains(l)));
        contracted.retain(|l| !c_labels.contains(l));
        for l in contracted {
            let x = axis(l, &a, &b);
            if x.len == 0 {
                k_empty = true;
            }
            if x.len > 1 {
                sums.push(x);
                sum_labels.push(l);
            }
        }
        let (m, rest) = merge(rows, [Side::C, Side::A]);
        batch.extend(rest);
        let (n, rest) = merge(cols, [Side::C, Side::B]);
        batch.extend(rest);
        let (mut k, rest) = merge(sums.clone(), [Side::A, Side::B]);
        if !rest.is_empty() {
            // The summed axes do not walk as one stride in both operands: lay out a copy of
            // the one that fails (A first) with them innermost, in the order A walks them.
            let (_, rest_a) = merge(sums.clone(), [Side::A, Side::A]);
            let mut order = sums.clone();
            order.sort_by_key(|x| std::cmp::Reverse(x.a.unsigned_abs()));
            let order: Vec<Label> = order
                .iter()
                .map(|x| sum_labels[sums.iter().position(|y| y == x).expect("from sums")])
                .collect();
            if rest_a.is_empty() {
                b = b.copy_with_last(&order, sizes)?;
            } else {
                a = a.copy_with_last(&order, sizes)?;
            }
            copies += 1;
            assert!(
                copies <= 2,
                "contracted axes still do not merge after copying"
            );
            continue;
        }
        if k_empty {
            k.len = 0;
        }
        let offsets = batch_offsets(&batch);
        let (pa, pb, pc) = (a.x.data_ptr(), b.x.data_ptr(), c.data_ptr_mut());
        dispatch!(c.dtype(), T => {
            // SAFETY: every addressed element lies inside the validated geometry of A, B and C
            // (label lengths are the axes' lengths, or 1 with stride 0); C is fresh or held for
            // writing, has no zero strides and does not overlap A or B (callers check).
            unsafe {
                gemm::gemm::<T>(
                    m.len,
                    n.len,
                    k.len,
                    MatRef { ptr: pa as *const T, rs: m.a, cs: k.a },
                    MatRef { ptr: pb as *const T, rs: k.b, cs: n.b },
                    MatMut { ptr: pc as *mut T, rs: m.c, cs: n.c },
                    &offsets,
                )
            }
        });
        return Ok(());
    }
}

/// Element offsets of every batch entry in A, B and C (one entry when there are no batch axes).
fn batch_offsets(batch: &[Axis]) -> Vec<(isize, isize, isize)> {
    let count: usize = batch.iter().map(|x| x.len).product();
    let mut out = Vec::with_capacity(count);
    let mut index = vec![0usize; batch.len()];
    let mut off = (0isize, 0isize, 0isize);
    for _ in 0..count {
        out.push(off);
        for d in (0..batch.len()).rev() {
            let x = &batch[d];
            index[d] += 1;
            off.0 += x.a;
            off.1 += x.b;
            off.2 += x.c;
            if index[d] < x.len {
                break;
            }
            let back = x.len as isize;
            off.0 -= x.a * back;
            off.1 -= x.b * back;
            off.2 -= x.c * back;
            index[d] = 0;
        }
    }
    out
}

/// `x` in `dtype` (as is when it already is).
fn cast(x: &NdArray, dtype: DType) -> Result<NdArray> {
    if x.dtype() == dtype {
        Ok(x.clone())
    } else {
        x.astype(dtype)
    }
}

/// Computes a result of `shape` and `dtype` with `fill`, straight into `out` when that is safe
/// (same shape and dtype, no overlap with the inputs, a layout the kernel writes), otherwise
/// into a fresh array that is then assigned (cast, broadcast) into `out`. Callers have checked
/// `out` against their function's rules.
fn deliver(
    shape: &[usize],
    dtype: DType,
    inputs: &[&NdArray],
    out: Option<&NdArray>,
    fill: impl FnOnce(&NdArray) -> Result<()>,
) -> Result<NdArray> {
    if let Some(o) = out {
        let direct = o.shape() == shape
            && o.dtype() == dtype
            && kernel_ready(o)
            && !o
                .shape()
                .iter()
                .zip(o.strides())
                .any(|(&d, &s)| d > 1 && s == 0)
            && inputs.iter().all(|x| !may_overlap(x, o));
        if direct {
            let _guard = o.write_guard()?;
            fill(o)?;
            return Ok(o.clone());
        }
        // Take the write borrow first, so a job reading `out` fails before any work is done.
        drop(o.write_guard()?);
    }
    let tmp = NdArray::alloc(dtype, shape, false)?;
    fill(&tmp)?;
    match out {
        Some(o) => {
            o.assign(&tmp)?;
            Ok(o.clone())
        }
        None => Ok(tmp),
    }
}

/// The product of two labelled operands in `dtype`, with `c_labels` as the result's axes.
fn product(
    a: Term,
    b: Term,
    c_labels: &[Label],
    sizes: &Sizes,
    dtype: DType,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    let a = Term::new(cast(&a.x, dtype)?, a.labels);
    let b = Term::new(cast(&b.x, dtype)?, b.labels);
    let shape: Vec<usize> = c_labels.iter().map(|l| sizes[l]).collect();
    deliver(&shape, dtype, &[&a.x, &b.x], out, |c| {
        contract(&a, &b, c, c_labels, sizes)
    })
}

/// Labels `0..n` (synthetic, distinct from einsum letters).
fn fresh_labels(start: Label, n: usize) -> Vec<Label> {
    (0..n as Label).map(|i| 256 + start + i).collect()
}

// ------------------------------------------------------------------------------------------
// gufunc-style functions: matmul, vecdot, matvec, vecmat
// ------------------------------------------------------------------------------------------

/// A generalised ufunc's name and signature, for NumPy's error messages.
struct Sig {
    name: &'static str,
    text: &'static str,
}

const MATMUL: Sig = Sig {
    name: "matmul",
    text: "(n?,k),(k,m?)->(n?,m?)",
};
const VECDOT: Sig = Sig {
    name: "vecdot",
    text: "(n),(n)->()",
};
const MATVEC: Sig = Sig {
    name: "matvec",
    text: "(m,n),(n)->(m)",
};
const VECMAT: Sig = Sig {
    name: "vecmat",
    text: "(n),(n,m)->(m)",
};

impl Sig {
    fn need_dims(&self, operand: usize, x: &NdArray, required: usize) -> Result<()> {
        if x.ndim() < required {
            return Err(Error::Value(format!(
                "{}: Input operand {operand} does not have enough dimensions (has {}, gufunc core with signature {} requires {required})",
                self.name,
                x.ndim(),
                self.text
            )));
        }
        Ok(())
    }

    fn core_mismatch(
        &self,
        what: &str,
        operand: usize,
        dim: usize,
        got: usize,
        want: usize,
    ) -> Error {
        Error::Value(format!(
            "{}: {what} operand {operand} has a mismatch in its core dimension {dim}, with gufunc signature {} (size {got} is different from {want})",
            self.name, self.text
        ))
    }

    /// The broadcast loop (batch) shape of the inputs, given their core dimension counts.
    fn loop_shape(&self, inputs: &[(&NdArray, usize)], out_core: &[usize]) -> Result<Vec<usize>> {
        let loops: Vec<&[usize]> = inputs
            .iter()
            .map(|(x, core)| &x.shape()[..x.ndim() - core])
            .collect();
        layout::broadcast_shapes(&loops).map_err(|_| {
            // NumPy's iterator wording: each operand's loop dimensions, then a `newaxis` per
            // output core dimension.
            let mut msg = String::from(
                "operands could not be broadcast together with remapped shapes [original->remapped]: ",
            );
            for ((x, _), l) in inputs.iter().zip(&loops) {
                let mut items: Vec<String> = l.iter().map(|d| d.to_string()).collect();
                items.extend(std::iter::repeat_n("newaxis".to_string(), out_core.len()));
                let remapped = if items.len() == 1 {
                    format!("({},)", items[0])
                } else {
                    format!("({})", items.join(","))
                };
                msg += &format!("{}->{remapped} ", shape_str_compact(x.shape()));
            }
            let core: Vec<String> = out_core.iter().map(|d| d.to_string()).collect();
            msg += &format!(" and requested shape ({})", core.join(","));
            Error::Value(msg)
        })
    }

    /// `out=`: core dimensions exact, loop dimensions the result broadcasts to, same_kind cast.
    fn check_out(
        &self,
        out: &NdArray,
        loops: &[usize],
        core: &[usize],
        dtype: DType,
    ) -> Result<()> {
        let reduction = || {
            Error::Value(
                "output operand requires a reduction along dimension -1, but the reduction is not enabled. The dimension size of 1 does not match the expected output shape.".into(),
            )
        };
        if out.ndim() < core.len() {
            // NumPy matches a short `out` from its last axis.
            return match (out.shape().last(), core.last()) {
                (Some(&got), Some(&want)) if got != want => {
                    Err(self.core_mismatch("Output", 0, 0, got, want))
                }
                _ => Err(reduction()),
            };
        }
        let split = out.ndim() - core.len();
        for (i, (&got, &want)) in out.shape()[split..].iter().zip(core).enumerate() {
            if got != want {
                return Err(self.core_mismatch("Output", 0, i, got, want));
            }
        }
        let out_loops = &out.shape()[..split];
        if layout::broadcast_shapes(&[loops, out_loops])
            .ok()
            .as_deref()
            != Some(out_loops)
        {
            return Err(reduction());
        }
        if !dtype.can_cast(out.dtype(), Casting::SameKind) {
            return Err(Error::Type(format!(
                "Cannot cast ufunc '{}' output from dtype('{dtype}') to dtype('{}') with casting rule 'same_kind'",
                self.name,
                out.dtype()
            )));
        }
        Ok(())
    }

    /// Runs a gufunc product: checks `out`, labels the loop axes (right-aligned per operand)
    /// and contracts. `a_core`/`b_core`/`c_core` are the core labels of each side.
    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        a: &NdArray,
        a_core: &[Label],
        b: &NdArray,
        b_core: &[Label],
        c_core: &[Label],
        core_sizes: &[(Label, usize)],
        out: Option<&NdArray>,
    ) -> Result<NdArray> {
        let out_core: Vec<usize> = c_core
            .iter()
            .map(|l| core_sizes.iter().find(|(x, _)| x == l).expect("sized").1)
            .collect();
        let loops = self.loop_shape(&[(a, a_core.len()), (b, b_core.len())], &out_core)?;
        let dtype = a.dtype().promote(b.dtype());
        if let Some(o) = out {
            self.check_out(o, &loops, &out_core, dtype)?;
        }
        let batch = fresh_labels(0, loops.len());
        let mut sizes: Sizes = batch.iter().copied().zip(loops.iter().copied()).collect();
        sizes.extend(core_sizes.iter().copied());
        let term = |x: &NdArray, core: &[Label]| {
            let nl = x.ndim() - core.len();
            let mut labels = batch[batch.len() - nl..].to_vec();
            labels.extend_from_slice(core);
            Term::new(x.clone(), labels)
        };
        let mut c_labels = batch.clone();
        c_labels.extend_from_slice(c_core);
        product(
            term(a, a_core),
            term(b, b_core),
            &c_labels,
            &sizes,
            dtype,
            out,
        )
    }
}

// Core labels of the gufunc-style products (synthetic, above any loop label).
const M: Label = 1 << 20;
const K: Label = M + 1;
const N: Label = M + 2;

/// `np.matmul(a, b, out=None)`: 1-d operands are promoted to a row (a) or column (b) and the
/// added axis removed from the result; loop axes broadcast; result dtype is the promotion.
pub fn matmul(a: &NdArray, b: &NdArray, out: Option<&NdArray>) -> Result<NdArray> {
    if out.is_none() && a.ndim() == 2 && b.ndim() == 2 && a.shape()[1] == b.shape()[0] {
        if let Some(c) = matmul_2d(a, b)? {
            return Ok(c);
        }
    }
    let sig = &MATMUL;
    sig.need_dims(0, a, 1)?;
    sig.need_dims(1, b, 1)?;
    let ka = a.shape()[a.ndim() - 1];
    let kb = b.shape()[b.ndim().saturating_sub(2)];
    if ka != kb {
        return Err(sig.core_mismatch("Input", 1, 0, kb, ka));
    }
    let (mut a_core, mut b_core, mut c_core) = (vec![], vec![K], vec![]);
    let mut core_sizes = vec![(K, ka)];
    if a.ndim() >= 2 {
        a_core.push(M);
        c_core.push(M);
        core_sizes.push((M, a.shape()[a.ndim() - 2]));
    }
    a_core.push(K);
    if b.ndim() >= 2 {
        b_core.push(N);
        c_core.push(N);
        core_sizes.push((N, b.shape()[b.ndim() - 1]));
    }
    sig.run(a, &a_core, b, &b_core, &c_core, &core_sizes, out)
}

/// `a @ b` for two matrices of one dtype, straight to the kernel (None when the general path
/// is needed: mixed dtypes or unaligned strides). The label bookkeeping of the general path
/// costs about a microsecond in small allocations, as much as a 16x16 product itself.
fn matmul_2d(a: &NdArray, b: &NdArray) -> Result<Option<NdArray>> {
    if a.dtype() != b.dtype() || !kernel_ready(a) || !kernel_ready(b) {
        return Ok(None);
    }
    let (m, k, n) = (a.shape()[0], a.shape()[1], b.shape()[1]);
    let c = NdArray::alloc(a.dtype(), &[m, n], false)?;
    if c.size() == 0 {
        return Ok(Some(c));
    }
    let isz = a.itemsize() as isize;
    let (sa, sb) = (a.strides(), b.strides());
    let (pa, pb, pc) = (a.data_ptr(), b.data_ptr(), c.data_ptr_mut());
    dispatch!(a.dtype(), T => {
        // SAFETY: A is m x k and B k x n with element strides (byte strides of axes longer
        // than 1 are multiples of the item size; others are never stepped along); C is fresh,
        // C-contiguous m x n.
        unsafe {
            gemm::gemm::<T>(
                m,
                n,
                k,
                MatRef { ptr: pa as *const T, rs: sa[0] / isz, cs: sa[1] / isz },
                MatRef { ptr: pb as *const T, rs: sb[0] / isz, cs: sb[1] / isz },
                MatMut { ptr: pc as *mut T, rs: n as isize, cs: 1 },
                &[(0, 0, 0)],
            )
        }
    });
    Ok(Some(c))
}

/// `np.vecdot(a, b, axis=-1, out=None)`: the dot product of vectors along `axis` (taken in
/// each operand), broadcasting the other axes.
pub fn vecdot(a: &NdArray, b: &NdArray, axis: isize, out: Option<&NdArray>) -> Result<NdArray> {
    let sig = &VECDOT;
    sig.need_dims(0, a, 1)?;
    sig.need_dims(1, b, 1)?;
    let last = |x: &NdArray| -> Result<NdArray> {
        let ax = normalize_axis(axis, x.ndim())? as isize;
        x.moveaxis(&[ax], &[-1])
    };
    let (a, b) = (last(a)?, last(b)?);
    let (na, nb) = (a.shape()[a.ndim() - 1], b.shape()[b.ndim() - 1]);
    if na != nb {
        return Err(sig.core_mismatch("Input", 1, 0, nb, na));
    }
    sig.run(&a, &[K], &b, &[K], &[], &[(K, na)], out)
}

/// `np.matvec(A, x, out=None)` (NumPy 2.2): matrix-vector products over broadcast batches.
pub fn matvec(a: &NdArray, x: &NdArray, out: Option<&NdArray>) -> Result<NdArray> {
    let sig = &MATVEC;
    sig.need_dims(0, a, 2)?;
    sig.need_dims(1, x, 1)?;
    let (m, n) = (a.shape()[a.ndim() - 2], a.shape()[a.ndim() - 1]);
    let nx = x.shape()[x.ndim() - 1];
    if nx != n {
        return Err(sig.core_mismatch("Input", 1, 0, nx, n));
    }
    sig.run(a, &[M, K], x, &[K], &[M], &[(M, m), (K, n)], out)
}

/// `np.vecmat(x, A, out=None)` (NumPy 2.2): vector-matrix products over broadcast batches.
pub fn vecmat(x: &NdArray, a: &NdArray, out: Option<&NdArray>) -> Result<NdArray> {
    let sig = &VECMAT;
    sig.need_dims(0, x, 1)?;
    sig.need_dims(1, a, 2)?;
    let n = x.shape()[x.ndim() - 1];
    let (na, m) = (a.shape()[a.ndim() - 2], a.shape()[a.ndim() - 1]);
    if na != n {
        return Err(sig.core_mismatch("Input", 1, 0, na, n));
    }
    sig.run(x, &[K], a, &[K, N], &[N], &[(K, n), (N, m)], out)
}

// ------------------------------------------------------------------------------------------
// dot, vdot, inner, outer, tensordot
// ------------------------------------------------------------------------------------------

/// `np.dot`'s `out=` rule: exactly the result's dtype and shape, C-contiguous and writeable.
fn check_dot_out(out: &NdArray, shape: &[usize], dtype: DType) -> Result<()> {
    if out.ndim() != shape.len()
        || out.dtype() != dtype
        || !out.is_c_contiguous()
        || !out.is_writeable()
    {
        return Err(Error::Value(
            "output array is not acceptable (must have the right datatype, number of dimensions, and be a C-Array)".into(),
        ));
    }
    if out.shape() != shape {
        return Err(Error::Value("output array has wrong dimensions".into()));
    }
    Ok(())
}

/// NumPy's "shapes (2,3) and (2,3) not aligned: 3 (dim 1) != 2 (dim 0)".
fn not_aligned(a: &NdArray, b: &NdArray, da: usize, db: usize) -> Error {
    Error::Value(format!(
        "shapes {} and {} not aligned: {} (dim {da}) != {} (dim {db})",
        shape_str_compact(a.shape()),
        shape_str_compact(b.shape()),
        a.shape()[da],
        b.shape()[db]
    ))
}

/// The elementwise product, for `dot`/`inner` with a 0-d operand.
fn scaled(a: &NdArray, b: &NdArray, out: Option<&NdArray>) -> Result<NdArray> {
    let r = ufunc::binary(BinaryOp::Multiply, a, b, None)?;
    match out {
        Some(o) => {
            check_dot_out(o, r.shape(), r.dtype())?;
            o.assign(&r)?;
            Ok(o.clone())
        }
        None => Ok(r),
    }
}

/// Labels each axis of `a` and `b` (`0..`), giving the contracted pairs one label each, and
/// contracts. The result's axes: `a`'s free axes, then `b`'s.
fn contract_axes(
    a: &NdArray,
    b: &NdArray,
    pairs: &[(usize, usize)],
    out: Option<&NdArray>,
    check_out: impl FnOnce(&NdArray, &[usize], DType) -> Result<()>,
) -> Result<NdArray> {
    let a_labels = fresh_labels(0, a.ndim());
    let mut b_labels = fresh_labels(a.ndim() as Label, b.ndim());
    for &(i, j) in pairs {
        b_labels[j] = a_labels[i];
    }
    let mut sizes: Sizes = a_labels
        .iter()
        .copied()
        .zip(a.shape().iter().copied())
        .collect();
    sizes.extend(b_labels.iter().copied().zip(b.shape().iter().copied()));
    let c_labels: Vec<Label> = a_labels
        .iter()
        .filter(|l| !b_labels.contains(l))
        .chain(b_labels.iter().filter(|l| !a_labels.contains(l)))
        .copied()
        .collect();
    let dtype = a.dtype().promote(b.dtype());
    if let Some(o) = out {
        let shape: Vec<usize> = c_labels.iter().map(|l| sizes[l]).collect();
        check_out(o, &shape, dtype)?;
    }
    product(
        Term::new(a.clone(), a_labels),
        Term::new(b.clone(), b_labels),
        &c_labels,
        &sizes,
        dtype,
        out,
    )
}

/// `np.dot(a, b, out=None)`: a product for 0-d operands, the inner product of vectors, and
/// otherwise a sum over the last axis of `a` and the second-to-last of `b` (its only axis when
/// 1-d); the result has `a.shape[:-1] + b.shape[:-2] + b.shape[-1:]`.
pub fn dot(a: &NdArray, b: &NdArray, out: Option<&NdArray>) -> Result<NdArray> {
    if a.ndim() == 0 || b.ndim() == 0 {
        return scaled(a, b, out);
    }
    let da = a.ndim() - 1;
    let db = b.ndim().saturating_sub(2);
    if a.shape()[da] != b.shape()[db] {
        return Err(not_aligned(a, b, da, db));
    }
    if out.is_none() && a.ndim() <= 2 && b.ndim() <= 2 {
        // Vectors as a row and a column: the same kernel call as the general path makes.
        // Matrices are borrowed as they are: cloning one allocates its shape and strides.
        let k = a.shape()[da] as isize;
        let a2 = match a.ndim() {
            1 => Cow::Owned(a.reshape(&[1, k])?),
            _ => Cow::Borrowed(a),
        };
        let b2 = match b.ndim() {
            1 => Cow::Owned(b.reshape(&[k, 1])?),
            _ => Cow::Borrowed(b),
        };
        if let Some(c) = matmul_2d(&a2, &b2)? {
            // a's free axis (if any), then b's (if any): b's contracted axis is its first.
            let shape: Vec<isize> = a.shape()[..da]
                .iter()
                .chain(&b.shape()[1..])
                .map(|&d| d as isize)
                .collect();
            return c.reshape(&shape);
        }
    }
    contract_axes(a, b, &[(da, db)], out, check_dot_out)
}

/// `np.vdot(a, b)`: the dot product of the flattened operands (a 0-d array).
pub fn vdot(a: &NdArray, b: &NdArray) -> Result<NdArray> {
    if a.size() != b.size() {
        return Err(Error::Value(format!(
            "cannot reshape array of size {} into shape ({},)",
            b.size(),
            a.size()
        )));
    }
    dot(&a.reshape(&[-1])?, &b.reshape(&[-1])?, None)
}

/// `np.inner(a, b)`: sums over the last axes; the result has `a.shape[:-1] + b.shape[:-1]`.
pub fn inner(a: &NdArray, b: &NdArray) -> Result<NdArray> {
    if a.ndim() == 0 || b.ndim() == 0 {
        return scaled(a, b, None);
    }
    let (da, db) = (a.ndim() - 1, b.ndim() - 1);
    if a.shape()[da] != b.shape()[db] {
        return Err(not_aligned(a, b, da, db));
    }
    contract_axes(a, b, &[(da, db)], None, |_, _, _| Ok(()))
}

/// `np.outer(a, b, out=None)`: `multiply(a.ravel()[:, None], b.ravel()[None, :], out)`, which
/// is exactly NumPy's definition (the elementwise product keeps `-0.0`, ufunc `out=` rules).
pub fn outer(a: &NdArray, b: &NdArray, out: Option<&NdArray>) -> Result<NdArray> {
    let a = a.reshape(&[-1])?.expand_dims(&[1])?;
    let b = b.reshape(&[-1])?.expand_dims(&[0])?;
    ufunc::binary(BinaryOp::Multiply, &a, &b, out)
}

/// `np.tensordot(a, b, axes=(axes_a, axes_b))`: sums over the paired axes; the result has
/// `a`'s other axes, then `b`'s. (The bindings turn `axes=n` into the last `n` axes of `a` and
/// the first `n` of `b`.)
pub fn tensordot(a: &NdArray, b: &NdArray, axes_a: &[isize], axes_b: &[isize]) -> Result<NdArray> {
    let distinct = |v: &[isize]| (1..v.len()).all(|i| !v[..i].contains(&v[i]));
    if !distinct(axes_a) || !distinct(axes_b) {
        return Err(Error::Value(
            "duplicate axes are not allowed in tensordot".into(),
        ));
    }
    let mismatch = || Error::Value("shape-mismatch for sum".into());
    if axes_a.len() != axes_b.len() {
        return Err(mismatch());
    }
    // Python tuple indexing, as NumPy reads `a.shape[axis]`.
    let index = |ax: isize, nd: usize| -> Result<usize> {
        let n = nd as isize;
        if ax < -n || ax >= n {
            return Err(Error::Index("tuple index out of range".into()));
        }
        Ok(if ax < 0 { ax + n } else { ax } as usize)
    };
    let mut pairs = Vec::with_capacity(axes_a.len());
    for (&x, &y) in axes_a.iter().zip(axes_b) {
        let (i, j) = (index(x, a.ndim())?, index(y, b.ndim())?);
        if a.shape()[i] != b.shape()[j] {
            return Err(mismatch());
        }
        pairs.push((i, j));
    }
    let repeated = (1..pairs.len()).any(|i| {
        pairs[..i]
            .iter()
            .any(|p| p.0 == pairs[i].0 || p.1 == pairs[i].1)
    });
    if repeated {
        return Err(Error::Value("axes don't match array".into()));
    }
    contract_axes(a, b, &pairs, None, |_, _, _| Ok(()))
}

// ------------------------------------------------------------------------------------------
// diagonal, trace
// ------------------------------------------------------------------------------------------

/// `np.diagonal(x, offset, axis1, axis2)`: a read-only view with both axes removed and the
/// diagonal appended as the last axis.
pub fn diagonal(x: &NdArray, offset: isize, axis1: isize, axis2: isize) -> Result<NdArray> {
    if x.ndim() < 2 {
        return Err(Error::Value(
            "diag requires an array of at least two dimensions".into(),
        ));
    }
    let i = normalize_axis_named(axis1, x.ndim(), Some("axis1"))?;
    let j = normalize_axis_named(axis2, x.ndim(), Some("axis2"))?;
    if i == j {
        return Err(Error::Value("axis1 and axis2 cannot be the same".into()));
    }
    let (di, dj) = (x.shape()[i] as isize, x.shape()[j] as isize);
    let (si, sj) = (x.strides()[i], x.strides()[j]);
    let (start_i, start_j) = if offset >= 0 {
        (0, offset)
    } else {
        (-offset, 0)
    };
    let len = (di - start_i).min(dj - start_j).max(0) as usize;
    let mut shape = vec![];
    let mut strides = vec![];
    for d in 0..x.ndim() {
        if d != i && d != j {
            shape.push(x.shape()[d]);
            strides.push(x.strides()[d]);
        }
    }
    shape.push(len);
    strides.push(si + sj);
    let offset = if len == 0 || layout::size_of(&shape) == 0 {
        x.offset()
    } else {
        (x.offset() as isize + start_i * si + start_j * sj) as usize
    };
    let mut v = x.view_with(shape, strides, offset)?;
    v.set_writeable(false)?;
    Ok(v)
}

/// `np.trace(x, offset, axis1, axis2, dtype, out)`: the sum of the diagonal (NumPy's `sum`
/// dtypes: bool and small integers give int64).
pub fn trace(
    x: &NdArray,
    offset: isize,
    axis1: isize,
    axis2: isize,
    dtype: Option<DType>,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    let d = diagonal(x, offset, axis1, axis2)?;
    reduce::sum(&d, Some(&[-1]), dtype, false, out)
}

// ------------------------------------------------------------------------------------------
// einsum
// ------------------------------------------------------------------------------------------

/// A parsed term: letters and where the ellipsis stands (index into the letters).
#[derive(Clone, Debug, Default)]
struct Subscripts {
    letters: Vec<u8>,
    ellipsis: Option<usize>,
}

/// Parses one term; `who` names it in errors (`operand 0`, `the output`).
fn parse_term(s: &str, who: &str) -> Result<Subscripts> {
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b' ').collect();
    let mut t = Subscripts::default();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_alphabetic() {
            t.letters.push(c);
            i += 1;
        } else if c == b'.' {
            if t.ellipsis.is_some() || bytes.get(i..i + 3) != Some(b"...") {
                return Err(Error::Value(format!(
                    "einstein sum subscripts string contains a '.' that is not part of an ellipsis ('...') in {who}"
                )));
            }
            t.ellipsis = Some(t.letters.len());
            i += 3;
        } else {
            return Err(Error::Value(format!(
                "invalid subscript '{}' in einstein sum subscripts string, subscripts must be letters",
                c as char
            )));
        }
    }
    Ok(t)
}

/// Character of a label, for messages.
fn label_char(l: Label) -> char {
    char::from_u32(l).unwrap_or('?')
}

/// `np.einsum(subscripts, *operands, out=None, dtype=None, casting='safe')`.
///
/// Spaces are ignored; `...` broadcasts the axes it stands for (right-aligned across
/// operands); without `->` the output is the ellipsis axes, then the letters that appear once,
/// in character order. Repeated letters in one operand take its diagonal (a view); a letter in
/// one operand only and not in the output is summed out first. One operand gives a view when
/// nothing is summed (as NumPy); two or more are contracted pairwise, left to right, each pair
/// in one kernel call. The result dtype is the promotion of the operands (or `dtype`, which
/// every operand must cast to under `casting`).
pub fn einsum(
    subscripts: &str,
    operands: &[NdArray],
    dtype: Option<DType>,
    casting: Casting,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    let (inputs, output) = match subscripts.find("->") {
        Some(p) => (&subscripts[..p], Some(&subscripts[p + 2..])),
        None => (subscripts, None),
    };
    let terms: Vec<&str> = inputs.split(',').collect();
    if terms.len() > operands.len() {
        // (NumPy's wording, although it is the operands that are too few)
        return Err(Error::Value(
            "more operands provided to einstein sum function than specified in the subscripts string".into(),
        ));
    }
    if terms.len() < operands.len() {
        return Err(Error::Value(
            "fewer operands provided to einstein sum function than specified in the subscripts string".into(),
        ));
    }
    let mut parsed = Vec::with_capacity(terms.len());
    for (i, t) in terms.iter().enumerate() {
        parsed.push(parse_term(t, &format!("operand {i}"))?);
    }
    let out_sub = output.map(|o| parse_term(o, "the output")).transpose()?;

    // Each operand's labels, its ellipsis axes taking synthetic labels right-aligned.
    let mut ell_len = 0usize;
    for (i, (t, x)) in parsed.iter().zip(operands).enumerate() {
        if t.letters.len() > x.ndim() {
            return Err(Error::Value(format!(
                "einstein sum subscripts string contains too many subscripts for operand {i}"
            )));
        }
        if t.ellipsis.is_none() && t.letters.len() < x.ndim() {
            return Err(Error::Value(
                "operand has more dimensions than subscripts given in einstein sum, but no '...' ellipsis provided to broadcast the extra dimensions.".into(),
            ));
        }
        ell_len = ell_len.max(x.ndim() - t.letters.len());
    }
    let ell_labels = fresh_labels(0, ell_len);
    let expand = |t: &Subscripts, n_ell: usize| -> Vec<Label> {
        let mut v: Vec<Label> = t.letters.iter().map(|&c| c as Label).collect();
        if let Some(p) = t.ellipsis {
            let ell = &ell_labels[ell_len - n_ell..];
            v.splice(p..p, ell.iter().copied());
        }
        v
    };
    let labels: Vec<Vec<Label>> = parsed
        .iter()
        .zip(operands)
        .map(|(t, x)| expand(t, x.ndim() - t.letters.len()))
        .collect();

    // Output labels.
    let out_labels: Vec<Label> = match &out_sub {
        Some(o) => {
            for (i, &c) in o.letters.iter().enumerate() {
                if o.letters[..i].contains(&c) {
                    return Err(Error::Value(format!(
                        "einstein sum subscripts string includes output subscript '{}' multiple times",
                        c as char
                    )));
                }
                if !labels.iter().any(|ls| ls.contains(&(c as Label))) {
                    return Err(Error::Value(format!(
                        "einstein sum subscripts string included output subscript '{}' which never appeared in an input",
                        c as char
                    )));
                }
            }
            if o.ellipsis.is_none() && ell_len > 0 {
                return Err(Error::Value(
                    "output has more dimensions than subscripts given in einstein sum, but no '...' ellipsis provided to broadcast the extra dimensions.".into(),
                ));
            }
            expand(o, ell_len)
        }
        None => {
            let mut counts: BTreeMap<Label, usize> = BTreeMap::new();
            for t in &parsed {
                for &c in &t.letters {
                    *counts.entry(c as Label).or_default() += 1;
                }
            }
            let mut v = ell_labels.clone();
            v.extend(counts.iter().filter(|(_, &n)| n == 1).map(|(&l, _)| l));
            v
        }
    };

    // Diagonals of repeated labels, and label sizes (length-1 axes broadcast).
    let mut sizes = Sizes::new();
    let mut owner: BTreeMap<Label, usize> = BTreeMap::new();
    let mut terms = Vec::with_capacity(operands.len());
    for (i, (x, ls)) in operands.iter().zip(&labels).enumerate() {
        let t = take_diagonals(x, ls)?;
        for (&l, &d) in t.labels.iter().zip(t.x.shape()) {
            match sizes.get(&l).copied() {
                None => {
                    sizes.insert(l, d);
                    owner.insert(l, i);
                }
                Some(s) if s == d || d == 1 => {}
                Some(1) => {
                    sizes.insert(l, d);
                    owner.insert(l, i);
                }
                Some(s) => {
                    let what = if l >= 256 {
                        "an ellipsis dimension".to_string()
                    } else {
                        format!("subscript '{}'", label_char(l))
                    };
                    return Err(Error::Value(format!(
                        "operands could not be broadcast together: {what} has size {s} in operand {} and {d} in operand {i}",
                        owner[&l]
                    )));
                }
            }
        }
        terms.push(t);
    }

    // Dtypes.
    let dtypes: Vec<DType> = operands.iter().map(|x| x.dtype()).collect();
    let dtype = match dtype {
        Some(d) => {
            for (i, &from) in dtypes.iter().enumerate() {
                if !from.can_cast(d, casting) {
                    return Err(Error::Type(format!(
                        "Iterator operand {i} dtype could not be cast from dtype('{from}') to dtype('{d}') according to the rule '{}'",
                        casting_name(casting)
                    )));
                }
            }
            d
        }
        None => result_type(&dtypes, &[])?,
    };
    let shape: Vec<usize> = out_labels.iter().map(|l| sizes[l]).collect();
    if let Some(o) = out {
        if o.ndim() != shape.len() {
            return Err(Error::Value(format!(
                "out parameter does not have the correct number of dimensions, has {} but should have {}",
                o.ndim(),
                shape.len()
            )));
        }
        if o.shape() != shape {
            return Err(Error::Value(format!(
                "out parameter has shape {} but the einstein sum result has shape {}",
                shape_str_compact(o.shape()),
                shape_str_compact(&shape)
            )));
        }
        if !dtype.can_cast(o.dtype(), casting) {
            return Err(Error::Type(format!(
                "Iterator requested dtype could not be cast from dtype('{dtype}') to dtype('{}'), the operand {} dtype, according to the rule '{}'",
                o.dtype(),
                operands.len(),
                casting_name(casting)
            )));
        }
    }
    let terms: Vec<Term> = terms
        .into_iter()
        .map(|t| Ok(Term::new(cast(&t.x, dtype)?, t.labels)))
        .collect::<Result<_>>()?;

    if terms.len() == 1 {
        let t = sum_out(&terms[0], &out_labels)?;
        let perm: Vec<isize> = out_labels
            .iter()
            .map(|l| t.labels.iter().position(|x| x == l).expect("kept") as isize)
            .collect();
        let r = t.x.transpose(Some(&perm))?;
        return match out {
            Some(o) => {
                o.assign(&r)?;
                Ok(o.clone())
            }
            None => Ok(r),
        };
    }

    // Pairwise, left to right: each step keeps the labels the output or a later operand needs.
    let mut acc = terms[0].clone();
    for step in 1..terms.len() {
        let last = step == terms.len() - 1;
        let needed = |l: &Label| {
            out_labels.contains(l) || terms[step + 1..].iter().any(|t| t.labels.contains(l))
        };
        let next = &terms[step];
        let a = sum_out(&acc, &keep_labels(&acc, next, &needed))?;
        let b = sum_out(next, &keep_labels(next, &acc, &needed))?;
        let c_labels: Vec<Label> = if last {
            out_labels.clone()
        } else {
            let mut v: Vec<Label> = a.labels.iter().copied().filter(needed).collect();
            v.extend(
                b.labels
                    .iter()
                    .copied()
                    .filter(|l| needed(l) && !a.labels.contains(l)),
            );
            v
        };
        let x = product(
            a,
            b,
            &c_labels,
            &sizes,
            dtype,
            if last { out } else { None },
        )?;
        acc = Term::new(x, c_labels);
    }
    Ok(acc.x)
}

/// Labels of `t` to keep before contracting it with `other`: those in `other` or needed later.
fn keep_labels(t: &Term, other: &Term, needed: &impl Fn(&Label) -> bool) -> Vec<Label> {
    t.labels
        .iter()
        .copied()
        .filter(|l| other.labels.contains(l) || needed(l))
        .collect()
}

/// Sums `t` over its labels not in `keep` (in its own dtype, wrapping as NumPy's einsum).
fn sum_out(t: &Term, keep: &[Label]) -> Result<Term> {
    let axes: Vec<isize> = (0..t.labels.len())
        .filter(|&i| !keep.contains(&t.labels[i]))
        .map(|i| i as isize)
        .collect();
    if axes.is_empty() {
        return Ok(t.clone());
    }
    let x = reduce::sum(&t.x, Some(&axes), Some(t.x.dtype()), false, None)?;
    let labels = t
        .labels
        .iter()
        .copied()
        .filter(|l| keep.contains(l))
        .collect();
    Ok(Term::new(x, labels))
}

/// Merges the axes of repeated labels into one (the diagonal, a strided view).
fn take_diagonals(x: &NdArray, labels: &[Label]) -> Result<Term> {
    let mut shape: Vec<usize> = vec![];
    let mut strides: Vec<isize> = vec![];
    let mut uniq: Vec<Label> = vec![];
    for (i, &l) in labels.iter().enumerate() {
        let (d, s) = (x.shape()[i], x.strides()[i]);
        match uniq.iter().position(|&u| u == l) {
            Some(p) => {
                if shape[p] != d {
                    return Err(Error::Value(format!(
                        "dimensions in single operand for collapsing index '{}' don't match ({} != {d})",
                        label_char(l),
                        shape[p]
                    )));
                }
                strides[p] += s;
            }
            None => {
                uniq.push(l);
                shape.push(d);
                strides.push(s);
            }
        }
    }
    if uniq.len() == labels.len() {
        return Ok(Term::new(x.clone(), uniq));
    }
    Ok(Term::new(x.view_with(shape, strides, x.offset())?, uniq))
}

fn casting_name(c: Casting) -> &'static str {
    match c {
        Casting::No => "no",
        Casting::Equiv => "equiv",
        Casting::Safe => "safe",
        Casting::SameKind => "same_kind",
        Casting::Unsafe => "unsafe",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::{IndexItem, SliceSpec};
    use half::f16;

    fn arr<T: crate::dtype::Element>(v: Vec<T>, shape: &[usize]) -> NdArray {
        NdArray::from_vec(v, shape).unwrap()
    }

    fn iota(shape: &[usize]) -> NdArray {
        let n = layout::size_of(shape);
        arr((0..n as i64).map(|x| x % 7 - 3).collect(), shape)
    }

    /// Reference product over plain loops: C[b][i][j] = sum_k A[b][i][k] B[b][k][j].
    fn naive(a: &[i64], b: &[i64], m: usize, k: usize, n: usize) -> Vec<i64> {
        let mut c = vec![0; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k).map(|p| a[i * k + p] * b[p * n + j]).sum();
            }
        }
        c
    }

    #[test]
    fn matmul_2d_shapes() {
        for (m, k, n) in [(1, 1, 1), (7, 13, 5), (3, 1, 4), (1, 5, 1), (2, 3, 2)] {
            let (a, b) = (iota(&[m, k]), iota(&[k, n]));
            let c = matmul(&a, &b, None).unwrap();
            assert_eq!(c.shape(), &[m, n]);
            let want = naive(&a.to_vec().unwrap(), &b.to_vec().unwrap(), m, k, n);
            assert_eq!(c.to_vec::<i64>().unwrap(), want);
        }
    }

    #[test]
    fn matmul_vectors_and_errors() {
        let v = iota(&[3]);
        let m = iota(&[3, 2]);
        assert_eq!(matmul(&v, &v, None).unwrap().shape(), &[] as &[usize]);
        assert_eq!(matmul(&v, &m, None).unwrap().shape(), &[2]);
        assert_eq!(
            matmul(&m.transpose(None).unwrap(), &v, None)
                .unwrap()
                .shape(),
            &[2]
        );
        let e = matmul(&m, &m, None).unwrap_err().to_string();
        assert_eq!(e, "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 3 is different from 2)");
        let s = NdArray::zeros(DType::Float64, &[]).unwrap();
        let e = matmul(&s, &v, None).unwrap_err().to_string();
        assert!(e.starts_with("matmul: Input operand 0 does not have enough dimensions (has 0"));
        let e = matmul(&iota(&[2, 2, 3]), &iota(&[3, 3, 4]), None)
            .unwrap_err()
            .to_string();
        assert_eq!(e, "operands could not be broadcast together with remapped shapes [original->remapped]: (2,2,3)->(2,newaxis,newaxis) (3,3,4)->(3,newaxis,newaxis)  and requested shape (2,4)");
    }

    #[test]
    fn matmul_broadcast_batches_and_views() {
        let a = iota(&[2, 1, 3, 4]);
        let b = iota(&[5, 4, 2]);
        let c = matmul(&a, &b, None).unwrap();
        assert_eq!(c.shape(), &[2, 5, 3, 2]);
        let (av, bv, cv) = (
            a.to_vec::<i64>().unwrap(),
            b.to_vec::<i64>().unwrap(),
            c.to_vec::<i64>().unwrap(),
        );
        for i in 0..2 {
            for j in 0..5 {
                let want = naive(&av[i * 12..i * 12 + 12], &bv[j * 8..j * 8 + 8], 3, 4, 2);
                let at = (i * 5 + j) * 6;
                assert_eq!(&cv[at..at + 6], &want[..]);
            }
        }
        // A transposed, reversed operand gives the same result as its copy.
        let x = iota(&[4, 6])
            .transpose(None)
            .unwrap()
            .flip(Some(&[0]))
            .unwrap();
        let y = iota(&[4, 3]);
        let direct = matmul(&x, &y, None).unwrap();
        let copied = matmul(&x.copy().unwrap(), &y, None).unwrap();
        assert_eq!(
            direct.to_vec::<i64>().unwrap(),
            copied.to_vec::<i64>().unwrap()
        );
    }

    #[test]
    fn empty_and_zero_k() {
        let c = matmul(&iota(&[3, 0]), &iota(&[0, 2]), None).unwrap();
        assert_eq!(c.to_vec::<i64>().unwrap(), vec![0; 6]);
        let c = matmul(&iota(&[0, 3]), &iota(&[3, 2]), None).unwrap();
        assert_eq!(c.shape(), &[0, 2]);
    }

    #[test]
    fn dtypes_promote_and_wrap() {
        let a = arr(vec![100i8, 100], &[2]);
        let b = arr(vec![100u8, 100], &[2]);
        let c = dot(&a, &b, None).unwrap();
        assert_eq!(c.dtype(), DType::Int16);
        assert_eq!(c.to_vec::<i16>().unwrap(), vec![20000]);
        let c = dot(&a, &a, None).unwrap();
        assert_eq!(c.to_vec::<i8>().unwrap(), vec![(20000i32 as i8)]);
        let t = arr(vec![true, false, true], &[3]);
        let f = arr(vec![false, false, true], &[3]);
        assert_eq!(
            dot(&t, &f, None).unwrap().to_vec::<bool>().unwrap(),
            vec![true]
        );
        let h = arr(vec![f16::from_f32(1.5); 4], &[2, 2]);
        let c = matmul(&h, &h, None).unwrap();
        assert_eq!(c.to_vec::<f16>().unwrap(), vec![f16::from_f32(4.5); 4]);
    }

    #[test]
    fn dot_rules() {
        let a = iota(&[2, 3, 4]);
        let b = iota(&[5, 4, 2]);
        assert_eq!(dot(&a, &b, None).unwrap().shape(), &[2, 3, 5, 2]);
        assert_eq!(dot(&a, &iota(&[4]), None).unwrap().shape(), &[2, 3]);
        let e = dot(&iota(&[2, 3]), &iota(&[2, 3]), None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "shapes (2,3) and (2,3) not aligned: 3 (dim 1) != 2 (dim 0)"
        );
        let two = arr(vec![2i64], &[]);
        assert_eq!(
            dot(&iota(&[3]), &two, None)
                .unwrap()
                .to_vec::<i64>()
                .unwrap(),
            vec![-6, -4, -2]
        );
        let out = NdArray::zeros(DType::Float64, &[2, 2]).unwrap();
        let e = dot(&iota(&[2, 3]), &iota(&[3, 2]), Some(&out)).unwrap_err();
        assert!(e.to_string().starts_with("output array is not acceptable"));
    }

    #[test]
    fn inner_outer_vdot_tensordot() {
        let a = iota(&[2, 3]);
        assert_eq!(inner(&a, &iota(&[4, 3])).unwrap().shape(), &[2, 4]);
        let o = outer(&a, &iota(&[2]), None).unwrap();
        assert_eq!(o.shape(), &[6, 2]);
        assert_eq!(o.to_vec::<i64>().unwrap()[..4], [9, 6, 6, 4]);
        assert_eq!(
            vdot(&a, &iota(&[6])).unwrap().to_vec::<i64>().unwrap(),
            vec![3 * 3 + 2 * 2 + 1 + 1 + 4]
        );
        let t = tensordot(&iota(&[2, 3, 4]), &iota(&[4, 3, 5]), &[1, 2], &[1, 0]).unwrap();
        assert_eq!(t.shape(), &[2, 5]);
        assert!(tensordot(&a, &a, &[0, 0], &[0, 1]).is_err());
        assert!(matches!(
            tensordot(&a, &a, &[5], &[0]),
            Err(Error::Index(_))
        ));
    }

    #[test]
    fn vecdot_matvec_vecmat() {
        let a = iota(&[2, 1, 3]);
        let b = iota(&[4, 3]);
        assert_eq!(vecdot(&a, &b, -1, None).unwrap().shape(), &[2, 4]);
        assert_eq!(
            matvec(&iota(&[5, 2, 3]), &iota(&[3]), None)
                .unwrap()
                .shape(),
            &[5, 2]
        );
        assert_eq!(
            vecmat(&iota(&[3]), &iota(&[5, 3, 2]), None)
                .unwrap()
                .shape(),
            &[5, 2]
        );
        let e = vecmat(&iota(&[2]), &iota(&[3, 2]), None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("(size 3 is different from 2)"), "{e}");
    }

    #[test]
    fn einsum_forms() {
        let a = iota(&[2, 3]);
        let b = iota(&[3, 4]);
        let mm = einsum(
            "ij,jk->ik",
            &[a.clone(), b.clone()],
            None,
            Casting::Safe,
            None,
        )
        .unwrap();
        assert_eq!(
            mm.to_vec::<i64>().unwrap(),
            matmul(&a, &b, None).unwrap().to_vec::<i64>().unwrap()
        );
        let implicit = einsum("ij,jk", &[a.clone(), b.clone()], None, Casting::Safe, None).unwrap();
        assert_eq!(implicit.shape(), &[2, 4]);
        let t = einsum(
            "ij->ji",
            std::slice::from_ref(&a),
            None,
            Casting::Safe,
            None,
        )
        .unwrap();
        assert!(t.shares_buffer(&a) && t.shape() == [3, 2]);
        let sq = iota(&[3, 3]);
        let d = einsum(
            "ii->i",
            std::slice::from_ref(&sq),
            None,
            Casting::Safe,
            None,
        )
        .unwrap();
        assert_eq!(d.to_vec::<i64>().unwrap(), vec![-3, 1, -2]);
        let tr = einsum("ii", &[sq], None, Casting::Safe, None).unwrap();
        assert_eq!(tr.to_vec::<i64>().unwrap(), vec![-4]);
        let s = einsum("ij->i", std::slice::from_ref(&a), None, Casting::Safe, None).unwrap();
        assert_eq!(s.to_vec::<i64>().unwrap(), vec![-6, 3]);
        let bat = einsum(
            "...ij,...jk->...ik",
            &[iota(&[5, 2, 3]), b.clone()],
            None,
            Casting::Safe,
            None,
        )
        .unwrap();
        assert_eq!(bat.shape(), &[5, 2, 4]);
        let three = einsum(
            "ij,jk,kl->il",
            &[a.clone(), b.clone(), iota(&[4, 2])],
            None,
            Casting::Safe,
            None,
        )
        .unwrap();
        let want = matmul(&matmul(&a, &b, None).unwrap(), &iota(&[4, 2]), None).unwrap();
        assert_eq!(
            three.to_vec::<i64>().unwrap(),
            want.to_vec::<i64>().unwrap()
        );
        let summed = einsum(
            "ij,k->i",
            &[a.clone(), iota(&[4])],
            None,
            Casting::Safe,
            None,
        )
        .unwrap();
        assert_eq!(summed.to_vec::<i64>().unwrap(), vec![36, -18]);
    }

    #[test]
    fn einsum_errors() {
        let a = iota(&[2, 3]);
        let e = |s: &str, ops: &[NdArray]| {
            einsum(s, ops, None, Casting::Safe, None)
                .unwrap_err()
                .to_string()
        };
        assert!(e("ij->iz", std::slice::from_ref(&a))
            .contains("output subscript 'z' which never appeared"));
        assert!(e("ij->jj", std::slice::from_ref(&a)).contains("'j' multiple times"));
        assert!(e("i1", std::slice::from_ref(&a)).contains("invalid subscript '1'"));
        assert!(e("i.j", std::slice::from_ref(&a)).contains("not part of an ellipsis"));
        assert!(e("ijk", std::slice::from_ref(&a)).contains("too many subscripts for operand 0"));
        assert!(e("i", std::slice::from_ref(&a)).contains("no '...' ellipsis"));
        assert!(e("ii->i", std::slice::from_ref(&a))
            .contains("collapsing index 'i' don't match (2 != 3)"));
        assert!(e("ij,jk", &[a.clone(), iota(&[4, 4])]).contains("broadcast"));
        let f = NdArray::zeros(DType::Float64, &[2, 3]).unwrap();
        let r = einsum("ij", &[f], Some(DType::Float32), Casting::Safe, None);
        assert!(matches!(r, Err(Error::Type(_))));
    }

    #[test]
    fn out_is_written_in_place_and_through_a_copy_on_overlap() {
        let a = iota(&[3, 3]);
        let out = NdArray::zeros(DType::Int64, &[3, 3]).unwrap();
        let r = matmul(&a, &a, Some(&out)).unwrap();
        let want = matmul(&a, &a, None).unwrap().to_vec::<i64>().unwrap();
        assert!(r.shares_buffer(&out));
        assert_eq!(out.to_vec::<i64>().unwrap(), want);
        // a @= a: the output is an input.
        let x = a.copy().unwrap();
        matmul(&x, &x, Some(&x)).unwrap();
        assert_eq!(x.to_vec::<i64>().unwrap(), want);
        let e = matmul(&a, &a, Some(&NdArray::zeros(DType::Bool, &[3, 3]).unwrap())).unwrap_err();
        assert!(matches!(e, Error::Type(_)));
    }

    #[test]
    fn diagonal_and_trace() {
        let a = iota(&[3, 4]);
        let d = diagonal(&a, 1, 0, 1).unwrap();
        assert_eq!(d.to_vec::<i64>().unwrap(), vec![-2, 3, 1]);
        assert!(!d.is_writeable());
        assert_eq!(
            diagonal(&a, -2, 0, 1).unwrap().to_vec::<i64>().unwrap(),
            vec![-2]
        );
        assert_eq!(diagonal(&a, 9, 0, 1).unwrap().shape(), &[0]);
        let t = trace(&a, 0, 0, 1, None, None).unwrap();
        assert_eq!(t.to_vec::<i64>().unwrap(), vec![-1]);
        let strided = a
            .index(&[IndexItem::Slice(SliceSpec {
                start: None,
                stop: None,
                step: Some(-1),
            })])
            .unwrap();
        assert_eq!(
            diagonal(&strided, 0, 0, 1)
                .unwrap()
                .to_vec::<i64>()
                .unwrap(),
            vec![-2, 2, -1]
        );
    }
}
