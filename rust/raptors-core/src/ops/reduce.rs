//! NumPy reductions: axis, keepdims, dtype and `out=` resolution, result dtypes as NumPy 2,
//! empty-input rules, and dispatch to the generic kernels in `kernels::reduce`.
//!
//! Every function returns a fresh array (0-d for full reductions; the bindings turn 0-d
//! results into scalars), or `out` after casting the result into it (same_kind, exact shape).

use crate::array::NdArray;
use crate::cast::{AnyElement, CastTo};
use crate::dispatch;
use crate::dtype::{Casting, DType, Element, Kind};
use crate::error::{Error, Result};
use crate::exec;
use crate::kernels::reduce::{
    self as k, is_nan, AccOps, Add, And, ArgExtreme, ExactSum, Extreme, Fold, Geometry, Moments,
    MomentsOf, Monoid, Or, Running,
};
use crate::layout::{normalize_axes_named, normalize_axis, shape_str};
use crate::ops::ufunc::{self, BinaryOp};
use num_traits::Float;

/// Resolved reduction axes and result shapes.
struct Axes {
    /// Reduced axes, sorted.
    axes: Vec<usize>,
    /// Result shape without and with keepdims.
    shape: Vec<usize>,
    kd_shape: Vec<usize>,
    /// Outputs, and elements reduced into each.
    m: usize,
    n: usize,
}

fn resolve(x: &NdArray, axis: Option<&[isize]>, keepdims: bool) -> Result<Axes> {
    let nd = x.ndim();
    let mut axes = match axis {
        None => (0..nd).collect(),
        // NumPy accepts axis 0 or -1 for a 0-d input: there is nothing to reduce over.
        Some(a) if nd == 0 && a.len() == 1 && matches!(a[0], 0 | -1) => Vec::new(),
        Some(a) => normalize_axes_named(a, nd, None, "duplicate value in 'axis'")?,
    };
    axes.sort_unstable();
    let dims = x.shape();
    let shape: Vec<usize> = (0..nd)
        .filter(|d| !axes.contains(d))
        .map(|d| dims[d])
        .collect();
    let kd_shape = if keepdims {
        (0..nd)
            .map(|d| if axes.contains(&d) { 1 } else { dims[d] })
            .collect()
    } else {
        shape.clone()
    };
    Ok(Axes {
        m: shape.iter().product(),
        n: axes.iter().map(|&d| dims[d]).product(),
        axes,
        shape,
        kd_shape,
    })
}

/// Reshapes a fresh result to the keepdims shape and writes it into `out` when given.
fn deliver(res: NdArray, ax: &Axes, out: Option<&NdArray>, name: &str) -> Result<NdArray> {
    let res = res
        .reshape_view(&ax.kd_shape)
        .expect("a fresh result reshapes");
    into_out(res, out, name)
}

/// `out=`: exact shape, same_kind cast (as NumPy's reductions).
fn into_out(res: NdArray, out: Option<&NdArray>, name: &str) -> Result<NdArray> {
    let Some(o) = out else { return Ok(res) };
    if o.shape() != res.shape() {
        return Err(Error::Value(format!(
            "output parameter for reduction operation {name} has the wrong shape: expected {} but got {}",
            shape_str(res.shape()),
            shape_str(o.shape())
        )));
    }
    if !res.dtype().can_cast(o.dtype(), Casting::SameKind) {
        return Err(Error::Type(format!(
            "Cannot cast ufunc '{name}' output from dtype('{}') to dtype('{}') with casting rule 'same_kind'",
            res.dtype(),
            o.dtype()
        )));
    }
    o.assign(&res)?;
    Ok(o.clone())
}

/// The walk of a reduction with at least one output and one element per output.
fn geometry(x: &NdArray, ax: &Axes, ordered: bool) -> Result<Option<Geometry>> {
    if ax.m == 0 || ax.n == 0 {
        return Ok(None);
    }
    Geometry::new(x, &ax.axes, ordered).map(Some)
}

/// `M`-fold of `f(element, output)` per output; empty reductions give `M::ID`.
fn fold<T, A, M>(
    g: &Option<Geometry>,
    ax: &Axes,
    f: impl Fn(T, usize) -> A + Sync,
) -> Result<Vec<A>>
where
    T: Element,
    A: Copy + Send + Sync,
    M: Monoid<A>,
{
    match g {
        Some(g) => k::reduce::<T, _>(g, &Fold::<A, M, _>::new(f)),
        None => Ok(vec![M::ID; ax.m]),
    }
}

/// A C-contiguous `dtype` array of `shape` from accumulators (C-cast per element).
fn to_array<A: AnyElement>(v: Vec<A>, dtype: DType, shape: &[usize]) -> Result<NdArray> {
    dispatch!(dtype, O => NdArray::from_vec(
        v.into_iter().map(<A as CastTo<O>>::cast).collect::<Vec<O>>(),
        shape,
    ))
}

/// Accumulator of a loop dtype: int64/uint64 (wrapping, then cast), float32 for float16.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AccKind {
    I64,
    U64,
    F32,
    F64,
    Bool,
}

fn acc_kind(c: DType) -> AccKind {
    match c.kind() {
        Kind::Bool => AccKind::Bool,
        Kind::Int => AccKind::I64,
        Kind::UInt => AccKind::U64,
        Kind::Float if c == DType::Float64 => AccKind::F64,
        Kind::Float => AccKind::F32,
    }
}

/// Input dtypes each accumulator reads directly (the arms of `acc_pairs!`).
fn direct(t: DType, a: AccKind) -> bool {
    use DType::*;
    match a {
        AccKind::I64 => {
            matches!(t.kind(), Kind::Bool | Kind::Int) || matches!(t, UInt8 | UInt16 | UInt32)
        }
        AccKind::U64 => matches!(t.kind(), Kind::Bool | Kind::UInt),
        AccKind::F32 => matches!(t, Float16 | Float32),
        AccKind::F64 => true,
        AccKind::Bool => t == Bool,
    }
}

/// Binds `$T` (input element) and `$A` (accumulator) for the direct pairs listed; only these
/// pairs are compiled, everything else is converted to the loop dtype first.
macro_rules! acc_pairs {
    ($t:expr, $acc:expr, $T:ident, $A:ident => $body:expr) => {
        acc_pairs!(@arms $t, $acc, $T, $A, $body;
            I64: i64 => [Bool: bool, Int8: i8, Int16: i16, Int32: i32, Int64: i64, UInt8: u8,
                         UInt16: u16, UInt32: u32];
            U64: u64 => [Bool: bool, UInt8: u8, UInt16: u16, UInt32: u32, UInt64: u64];
            Bool: bool => [Bool: bool])
    };
    (float $t:expr, $acc:expr, $T:ident, $A:ident => $body:expr) => {
        acc_pairs!(@arms $t, $acc, $T, $A, $body;
            F32: f32 => [Float16: half::f16, Float32: f32];
            F64: f64 => [Bool: bool, Int8: i8, Int16: i16, Int32: i32, Int64: i64, UInt8: u8,
                         UInt16: u16, UInt32: u32, UInt64: u64, Float16: half::f16,
                         Float32: f32, Float64: f64])
    };
    (@arms $t:expr, $acc:expr, $T:ident, $A:ident, $body:expr;
        $($a:ident: $at:ty => [$($d:ident: $dt:ty),*]);*) => {
        match ($acc, $t) {
            $($( (AccKind::$a, DType::$d) => {
                type $A = $at;
                type $T = $dt;
                $body
            } )*)*
            _ => unreachable!("not a direct reduction loop"),
        }
    };
}

/// `x` ready for a loop in dtype `c`: as is when its accumulator reads it exactly, else cast.
fn prepare(x: &NdArray, c: DType) -> Result<NdArray> {
    if x.dtype() == c || (x.dtype().can_cast(c, Casting::Safe) && direct(x.dtype(), acc_kind(c))) {
        Ok(x.clone())
    } else {
        x.astype(c)
    }
}

/// NumPy's sum/prod dtype: bool and signed ints -> int64, unsigned -> uint64, floats kept.
fn sum_dtype(dt: DType) -> DType {
    match dt.kind() {
        Kind::Bool | Kind::Int => DType::Int64,
        Kind::UInt => DType::UInt64,
        Kind::Float => dt,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FoldKind {
    Sum,
    NanSum,
    Prod,
}

/// Per-output sums (or products) in loop dtype `c`, as accumulators converted to f64.
fn sums_f64(x: &NdArray, ax: &Axes, c: DType, kind: FoldKind) -> Result<Vec<f64>> {
    let x = prepare(x, c)?;
    let g = geometry(&x, ax, false)?;
    let v = fold_any(&x, &g, ax, c, kind)?;
    Ok(v)
}

fn fold_any(
    x: &NdArray,
    g: &Option<Geometry>,
    ax: &Axes,
    c: DType,
    kind: FoldKind,
) -> Result<Vec<f64>> {
    let to64 = |v: NdArray| v.astype(DType::Float64)?.to_vec::<f64>();
    to64(fold_array(x, g, ax, c, kind)?)
}

/// The sum/prod of prepared `x` in loop dtype `c`, as a `c` array of the result shape.
fn fold_array(
    x: &NdArray,
    g: &Option<Geometry>,
    ax: &Axes,
    c: DType,
    kind: FoldKind,
) -> Result<NdArray> {
    let a = acc_kind(c);
    if a == AccKind::F32 || a == AccKind::F64 {
        return acc_pairs!(float x.dtype(), a, T, A => {
            let v = fold_kind::<T, A>(g, ax, kind)?;
            to_array(v, c, &ax.shape)
        });
    }
    acc_pairs!(x.dtype(), a, T, A => {
        let v = fold_kind::<T, A>(g, ax, kind)?;
        to_array(v, c, &ax.shape)
    })
}

fn fold_kind<T, A>(g: &Option<Geometry>, ax: &Axes, kind: FoldKind) -> Result<Vec<A>>
where
    T: AnyElement + CastTo<A>,
    A: AnyElement + AccOps,
{
    let zero = <A::Sum as Monoid<A>>::ID;
    match kind {
        FoldKind::Sum => fold::<T, A, A::Sum>(g, ax, |v, _| v.cast()),
        FoldKind::NanSum => {
            fold::<T, A, A::Sum>(g, ax, |v, _| if is_nan(v) { zero } else { v.cast() })
        }
        FoldKind::Prod => fold::<T, A, A::Prod>(g, ax, |v, _| v.cast()),
    }
}

fn fold_op(
    x: &NdArray,
    axis: Option<&[isize]>,
    dtype: Option<DType>,
    keepdims: bool,
    out: Option<&NdArray>,
    kind: FoldKind,
) -> Result<NdArray> {
    let ax = resolve(x, axis, keepdims)?;
    let c = dtype.unwrap_or_else(|| sum_dtype(x.dtype()));
    let xin = prepare(x, c)?;
    let g = geometry(&xin, &ax, false)?;
    let res = fold_array(&xin, &g, &ax, c, kind)?;
    let name = if kind == FoldKind::Prod {
        "multiply"
    } else {
        "add"
    };
    deliver(res, &ax, out, name)
}

/// `np.sum(x, axis, dtype, out, keepdims)`. Float sums are pairwise over 128-element blocks
/// (deterministic for any thread count); integers wrap; bool/int -> int64, uint -> uint64.
pub fn sum(
    x: &NdArray,
    axis: Option<&[isize]>,
    dtype: Option<DType>,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    fold_op(x, axis, dtype, keepdims, out, FoldKind::Sum)
}

/// `np.prod`: dtypes as `sum`; integers wrap.
pub fn prod(
    x: &NdArray,
    axis: Option<&[isize]>,
    dtype: Option<DType>,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    fold_op(x, axis, dtype, keepdims, out, FoldKind::Prod)
}

/// `np.nansum`: NaN counts as zero.
pub fn nansum(
    x: &NdArray,
    axis: Option<&[isize]>,
    dtype: Option<DType>,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    fold_op(x, axis, dtype, keepdims, out, FoldKind::NanSum)
}

/// Non-NaN elements per output (floats), as f64; every element for other dtypes.
fn counts(x: &NdArray, ax: &Axes, nan: bool) -> Result<Vec<f64>> {
    if !nan || !x.dtype().is_float() {
        return Ok(vec![ax.n as f64; ax.m]);
    }
    let g = geometry(x, ax, false)?;
    dispatch!(x.dtype(), T => {
        let v = fold::<T, i64, Add>(&g, ax, |v, _| !is_nan(v) as i64)?;
        Ok(v.into_iter().map(|c| c as f64).collect())
    })
}

/// The dtype mean/var compute and return in: `dtype`, else float64 for bool/int, else the
/// input's float type (float16 accumulates in float32 and rounds at the end).
fn float_result(x: DType, dtype: Option<DType>) -> DType {
    dtype.unwrap_or(if x.is_float() { x } else { DType::Float64 })
}

/// Exact per-output sums of bool/integer `x` rounded once to f64, when the mean is computed
/// in float64 (NumPy converts every element and adds in float64: the same result while the
/// sums stay below 2^53, and more accurate beyond). None for other inputs.
fn exact_sums(x: &NdArray, ax: &Axes, rdt: DType) -> Result<Option<Vec<f64>>> {
    if x.dtype().is_float() || rdt != DType::Float64 {
        return Ok(None);
    }
    let g = geometry(x, ax, false)?;
    let Some(g) = g else {
        return Ok(Some(vec![0.0; ax.m]));
    };
    let v: Vec<i128> = match x.dtype() {
        DType::Bool => k::reduce::<bool, _>(&g, &ExactSum)?,
        DType::Int8 => k::reduce::<i8, _>(&g, &ExactSum)?,
        DType::Int16 => k::reduce::<i16, _>(&g, &ExactSum)?,
        DType::Int32 => k::reduce::<i32, _>(&g, &ExactSum)?,
        DType::Int64 => k::reduce::<i64, _>(&g, &ExactSum)?,
        DType::UInt8 => k::reduce::<u8, _>(&g, &ExactSum)?,
        DType::UInt16 => k::reduce::<u16, _>(&g, &ExactSum)?,
        DType::UInt32 => k::reduce::<u32, _>(&g, &ExactSum)?,
        DType::UInt64 => k::reduce::<u64, _>(&g, &ExactSum)?,
        _ => unreachable!("float dtypes return above"),
    };
    Ok(Some(v.into_iter().map(|s| s as f64).collect()))
}

fn mean_op(
    x: &NdArray,
    axis: Option<&[isize]>,
    dtype: Option<DType>,
    keepdims: bool,
    out: Option<&NdArray>,
    nan: bool,
) -> Result<NdArray> {
    let ax = resolve(x, axis, keepdims)?;
    let nan = nan && x.dtype().is_float();
    let rdt = float_result(x.dtype(), dtype);
    let kind = if nan { FoldKind::NanSum } else { FoldKind::Sum };
    let s = match exact_sums(x, &ax, rdt)? {
        Some(s) => s,
        None => sums_f64(x, &ax, rdt, kind)?,
    };
    let c = counts(x, &ax, nan)?;
    // Integer dtypes: NumPy divides the integer sum and casts the quotient back (truncating).
    let v: Vec<f64> = s.iter().zip(&c).map(|(&s, &c)| s / c).collect();
    deliver(to_array(v, rdt, &ax.shape)?, &ax, out, "add")
}

/// `np.mean`: float64 for bool/int input; float16 accumulates in float32; empty -> NaN.
pub fn mean(
    x: &NdArray,
    axis: Option<&[isize]>,
    dtype: Option<DType>,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    mean_op(x, axis, dtype, keepdims, out, false)
}

/// `np.nanmean`: mean of the non-NaN elements (NaN where there are none).
pub fn nanmean(
    x: &NdArray,
    axis: Option<&[isize]>,
    dtype: Option<DType>,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    mean_op(x, axis, dtype, keepdims, out, true)
}

/// One element of every output (index 0 along the reduced axes; 0 where that is not finite),
/// in output order: var/std subtract it from the output's elements first.
fn pivots(x: &NdArray, ax: &Axes) -> Result<Vec<f64>> {
    use crate::array::{IndexItem, SliceSpec};
    let items: Vec<IndexItem> = (0..x.ndim())
        .map(|d| match ax.axes.contains(&d) {
            true => IndexItem::Int(0),
            false => IndexItem::Slice(SliceSpec {
                start: None,
                stop: None,
                step: None,
            }),
        })
        .collect();
    let p = x.index(&items)?.astype(DType::Float64)?.to_vec::<f64>()?;
    Ok(p.into_iter()
        .map(|v| if v.is_finite() { v } else { 0.0 })
        .collect())
}

/// Count, mean (of the shifted values) and sum of squared deviations of every output, in one
/// pass over memory (`kernels::reduce::MomentsOf`); NaNs left out when `nan`.
fn moments<T, A>(x: &NdArray, g: &Option<Geometry>, ax: &Axes, nan: bool) -> Result<Vec<Moments<A>>>
where
    T: AnyElement + CastTo<A>,
    A: AnyElement + Float,
    f64: CastTo<A>,
{
    let Some(g) = g else {
        return Ok(vec![Moments::empty(); ax.m]);
    };
    let shift: Vec<A> = pivots(x, ax)?.into_iter().map(CastTo::cast).collect();
    let f = |v: T, o: usize| -> A { CastTo::<A>::cast(v) - shift[o] };
    if nan {
        k::reduce::<T, _>(g, &MomentsOf::<A, _, true>::new(f))
    } else {
        k::reduce::<T, _>(g, &MomentsOf::<A, _, false>::new(f))
    }
}

#[allow(clippy::too_many_arguments)]
fn var_op(
    x: &NdArray,
    axis: Option<&[isize]>,
    dtype: Option<DType>,
    ddof: f64,
    keepdims: bool,
    out: Option<&NdArray>,
    nan: bool,
    sqrt: bool,
) -> Result<NdArray> {
    let ax = resolve(x, axis, keepdims)?;
    let rdt = float_result(x.dtype(), dtype);
    if !rdt.is_float() {
        return var_in_integers(x, axis, &ax, rdt, ddof, out, nan, sqrt);
    }
    let nan = nan && x.dtype().is_float();
    let xin = prepare(x, rdt)?;
    let g = geometry(&xin, &ax, false)?;
    let sq: Vec<(f64, f64)> = acc_pairs!(float xin.dtype(), acc_kind(rdt), T, A =>
        moments::<T, A>(&xin, &g, &ax, nan)?
            .into_iter()
            .map(|m| (CastTo::<f64>::cast(m.m2), m.n))
            .collect());
    let v: Vec<f64> = sq
        .iter()
        .map(|&(s, n)| {
            // NumPy: var divides by max(n - ddof, 0) (0/0 -> NaN, s/0 -> inf); nanvar gives
            // NaN whenever n - ddof <= 0.
            let dof = n - ddof;
            let v = if nan && dof <= 0.0 {
                f64::NAN
            } else {
                s / dof.max(0.0)
            };
            if sqrt {
                v.sqrt()
            } else {
                v
            }
        })
        .collect();
    deliver(to_array(v, rdt, &ax.shape)?, &ax, out, "add")
}

/// var/std in a bool or integer `dtype`, step by step as NumPy's `_var` does it: the mean is
/// the sum in `dtype` divided by the count and truncated back to `dtype`, the deviations take
/// the promoted type of input and mean, their squares are summed in `dtype` (wrapping), and
/// the quotient by `n - ddof` is truncated to `dtype` again. `std` takes the square root of
/// a scalar result only: for an array result NumPy's `sqrt(var, out=var)` refuses to cast
/// float64 back to an integer array, and so does this.
#[allow(clippy::too_many_arguments)]
fn var_in_integers(
    x: &NdArray,
    axis: Option<&[isize]>,
    ax: &Axes,
    rdt: DType,
    ddof: f64,
    out: Option<&NdArray>,
    nan: bool,
    sqrt: bool,
) -> Result<NdArray> {
    if nan && x.dtype().is_float() {
        return Err(Error::Type(
            "If a is inexact, then dtype must be inexact".into(),
        ));
    }
    if sqrt && (!ax.kd_shape.is_empty() || out.is_some()) {
        return Err(Error::Type(format!(
            "Cannot cast ufunc 'sqrt' output from dtype('float64') to dtype('{rdt}') with casting rule 'same_kind'"
        )));
    }
    // `sums / by` per element in float64 (NumPy's true_divide), then cast back to `rdt`.
    let quotient = |sums: &NdArray, by: f64, root: bool, shape: &[usize]| -> Result<NdArray> {
        let v = sums.astype(DType::Float64)?.to_vec::<f64>()?;
        let v = v
            .into_iter()
            .map(|s| s / by)
            .map(|q| if root { q.sqrt() } else { q });
        to_array(v.collect(), rdt, shape)
    };
    let n = ax.n as f64;
    let mean_shape = resolve(x, axis, true)?.kd_shape;
    let mean = quotient(&sum(x, axis, Some(rdt), true, None)?, n, false, &mean_shape)?;
    let dev = ufunc::binary(BinaryOp::Subtract, x, &mean, None)?;
    let sq = ufunc::binary(BinaryOp::Multiply, &dev, &dev, None)?;
    let ss = sum(&sq, axis, Some(rdt), false, None)?;
    let v = quotient(&ss, (n - ddof).max(0.0), sqrt, &ax.shape)?;
    deliver(v, ax, out, "add")
}

/// `np.var(x, axis, dtype, out, ddof, keepdims)`: float64 for bool/int input.
pub fn var(
    x: &NdArray,
    axis: Option<&[isize]>,
    dtype: Option<DType>,
    ddof: f64,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    var_op(x, axis, dtype, ddof, keepdims, out, false, false)
}

/// `np.std`: the square root of `var`.
pub fn std(
    x: &NdArray,
    axis: Option<&[isize]>,
    dtype: Option<DType>,
    ddof: f64,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    var_op(x, axis, dtype, ddof, keepdims, out, false, true)
}

/// `np.nanvar`: variance of the non-NaN elements.
pub fn nanvar(
    x: &NdArray,
    axis: Option<&[isize]>,
    dtype: Option<DType>,
    ddof: f64,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    var_op(x, axis, dtype, ddof, keepdims, out, true, false)
}

/// `np.nanstd`.
pub fn nanstd(
    x: &NdArray,
    axis: Option<&[isize]>,
    dtype: Option<DType>,
    ddof: f64,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    var_op(x, axis, dtype, ddof, keepdims, out, true, true)
}

/// min/max without `out`, as a result-shape array of the input dtype.
fn extreme_array(x: &NdArray, ax: &Axes, max: bool, skip_nan: bool) -> Result<NdArray> {
    let skip_nan = skip_nan && x.dtype().is_float();
    let name = match (max, skip_nan) {
        (true, false) => "maximum",
        (false, false) => "minimum",
        (true, true) => "fmax",
        (false, true) => "fmin",
    };
    if ax.n == 0 && ax.m > 0 {
        return Err(Error::Value(format!(
            "zero-size array to reduction operation {name} which has no identity"
        )));
    }
    let g = geometry(x, ax, false)?;
    dispatch!(x.dtype(), T => {
        let v: Vec<T> = match &g {
            None => vec![],
            Some(g) => match (max, skip_nan) {
                (true, false) => k::reduce::<T, _>(g, &Extreme::<true, false>)?,
                (false, false) => k::reduce::<T, _>(g, &Extreme::<false, false>)?,
                (true, true) => k::reduce::<T, _>(g, &Extreme::<true, true>)?,
                (false, true) => k::reduce::<T, _>(g, &Extreme::<false, true>)?,
            },
        };
        NdArray::from_vec(v, &ax.shape)
    })
}

fn extreme_op(
    x: &NdArray,
    axis: Option<&[isize]>,
    keepdims: bool,
    out: Option<&NdArray>,
    max: bool,
    skip_nan: bool,
) -> Result<NdArray> {
    let ax = resolve(x, axis, keepdims)?;
    let res = extreme_array(x, &ax, max, skip_nan)?;
    deliver(res, &ax, out, if max { "maximum" } else { "minimum" })
}

/// `np.amax`/`np.max`: input dtype; NaN propagates; empty -> ValueError.
pub fn amax(
    x: &NdArray,
    axis: Option<&[isize]>,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    extreme_op(x, axis, keepdims, out, true, false)
}

/// `np.amin`/`np.min`.
pub fn amin(
    x: &NdArray,
    axis: Option<&[isize]>,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    extreme_op(x, axis, keepdims, out, false, false)
}

/// `np.nanmax`: NaN ignored; all-NaN -> NaN (NumPy also warns).
pub fn nanmax(
    x: &NdArray,
    axis: Option<&[isize]>,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    extreme_op(x, axis, keepdims, out, true, true)
}

/// `np.nanmin`.
pub fn nanmin(
    x: &NdArray,
    axis: Option<&[isize]>,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    extreme_op(x, axis, keepdims, out, false, true)
}

/// `np.ptp`: max - min (wrapping for integers); bool is a TypeError as in NumPy.
pub fn ptp(
    x: &NdArray,
    axis: Option<&[isize]>,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    if x.dtype() == DType::Bool {
        return Err(Error::Type(
            "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, \
             the `^` operator, or the logical_xor function instead."
                .into(),
        ));
    }
    let ax = resolve(x, axis, keepdims)?;
    let hi = extreme_array(x, &ax, true, false)?;
    let lo = extreme_array(x, &ax, false, false)?;
    let res = ufunc::binary(BinaryOp::Subtract, &hi, &lo, None)?;
    deliver(res, &ax, out, "subtract")
}

fn arg_op(
    x: &NdArray,
    axis: Option<isize>,
    keepdims: bool,
    out: Option<&NdArray>,
    max: bool,
    nan: bool,
) -> Result<NdArray> {
    let ax = match axis {
        None => resolve(x, None, keepdims)?,
        Some(a) => resolve(x, Some(&[a]), keepdims)?,
    };
    let name = if max { "argmax" } else { "argmin" };
    if ax.n == 0 {
        return Err(Error::Value(format!(
            "attempt to get {name} of an empty sequence"
        )));
    }
    let nan = nan && x.dtype().is_float();
    if nan {
        let g = geometry(x, &ax, false)?;
        let all_nan = dispatch!(x.dtype(), T => fold::<T, bool, And>(&g, &ax, |v, _| is_nan(v))?);
        if all_nan.contains(&true) {
            return Err(Error::Value("All-NaN slice encountered".into()));
        }
    }
    let g = geometry(x, &ax, true)?;
    let idx: Vec<i64> = dispatch!(x.dtype(), T => {
        // nanargmax/nanargmin: NaN compares as -inf/+inf (NumPy replaces it so).
        let inf: f64 = if max { f64::NEG_INFINITY } else { f64::INFINITY };
        let nan_as = nan.then(|| CastTo::<T>::cast(inf));
        let v = match &g {
            None => vec![],
            Some(g) if max => k::reduce::<T, _>(g, &ArgExtreme::<T, true> { nan_as })?,
            Some(g) => k::reduce::<T, _>(g, &ArgExtreme::<T, false> { nan_as })?,
        };
        v.into_iter().map(|(_, i)| i as i64).collect()
    });
    deliver(NdArray::from_vec(idx, &ax.shape)?, &ax, out, name)
}

/// `np.argmax(x, axis, out, keepdims)`: int64 positions (flat C-order index when `axis` is
/// None); ties and NaN -> the first; empty -> ValueError.
pub fn argmax(
    x: &NdArray,
    axis: Option<isize>,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    arg_op(x, axis, keepdims, out, true, false)
}

/// `np.argmin`.
pub fn argmin(
    x: &NdArray,
    axis: Option<isize>,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    arg_op(x, axis, keepdims, out, false, false)
}

/// `np.nanargmax`: NaN ignored; an all-NaN slice -> ValueError("All-NaN slice encountered").
pub fn nanargmax(
    x: &NdArray,
    axis: Option<isize>,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    arg_op(x, axis, keepdims, out, true, true)
}

/// `np.nanargmin`.
pub fn nanargmin(
    x: &NdArray,
    axis: Option<isize>,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    arg_op(x, axis, keepdims, out, false, true)
}

fn logical_op(
    x: &NdArray,
    axis: Option<&[isize]>,
    keepdims: bool,
    out: Option<&NdArray>,
    all: bool,
) -> Result<NdArray> {
    let ax = resolve(x, axis, keepdims)?;
    let g = geometry(x, &ax, false)?;
    let v = dispatch!(x.dtype(), T => {
        let z = T::zero();
        if all {
            fold::<T, bool, And>(&g, &ax, |v, _| v != z)?
        } else {
            fold::<T, bool, Or>(&g, &ax, |v, _| v != z)?
        }
    });
    let name = if all { "logical_and" } else { "logical_or" };
    deliver(NdArray::from_vec(v, &ax.shape)?, &ax, out, name)
}

/// `np.any`: bool; NaN counts as true; empty -> False.
pub fn any(
    x: &NdArray,
    axis: Option<&[isize]>,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    logical_op(x, axis, keepdims, out, false)
}

/// `np.all`: empty -> True.
pub fn all(
    x: &NdArray,
    axis: Option<&[isize]>,
    keepdims: bool,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    logical_op(x, axis, keepdims, out, true)
}

/// `np.count_nonzero(x, axis, keepdims)`: int64 (0-d for `axis=None`).
pub fn count_nonzero(x: &NdArray, axis: Option<&[isize]>, keepdims: bool) -> Result<NdArray> {
    let ax = resolve(x, axis, keepdims)?;
    let g = geometry(x, &ax, false)?;
    let v = dispatch!(x.dtype(), T => {
        let z = T::zero();
        fold::<T, i64, Add>(&g, &ax, |v, _| (v != z) as i64)?
    });
    deliver(NdArray::from_vec(v, &ax.shape)?, &ax, None, "add")
}

fn accumulate_op(
    x: &NdArray,
    axis: Option<isize>,
    dtype: Option<DType>,
    out: Option<&NdArray>,
    mul: bool,
) -> Result<NdArray> {
    let c = dtype.unwrap_or_else(|| sum_dtype(x.dtype()));
    let (src, axis) = match axis {
        None => (x.reshape(&[-1])?, 0),
        Some(a) => (x.clone(), normalize_axis(a, x.ndim())?),
    };
    let res = src.astype(c)?;
    let dims = res.shape();
    let block = [
        dims[..axis].iter().product(),
        dims[axis],
        dims[axis + 1..].iter().product(),
    ];
    if res.size() > 0 {
        dispatch!(c, T => {
            let p = res.data_ptr_mut() as *mut T;
            // SAFETY: `res` is fresh, C-contiguous and private to this call.
            unsafe {
                if mul {
                    k::accumulate::<T>(p, block, <T as Running>::mul)
                } else {
                    k::accumulate::<T>(p, block, <T as Running>::add)
                }
            }
        });
    }
    if exec::cancelled() {
        return Err(Error::Cancelled);
    }
    into_out(res, out, if mul { "multiply" } else { "add" })
}

/// `np.cumsum(x, axis, dtype, out)`: dtypes as `sum`; `axis=None` works on the flattened
/// array (C order). Integers wrap; float16 rounds every step as NumPy.
pub fn cumsum(
    x: &NdArray,
    axis: Option<isize>,
    dtype: Option<DType>,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    accumulate_op(x, axis, dtype, out, false)
}

/// `np.cumprod`.
pub fn cumprod(
    x: &NdArray,
    axis: Option<isize>,
    dtype: Option<DType>,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    accumulate_op(x, axis, dtype, out, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::{IndexItem, SliceSpec};
    use crate::dtype::ALL_DTYPES;
    use half::f16;

    fn rng(seed: u64) -> impl FnMut() -> u64 {
        let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        }
    }

    /// Small integers (exact in every dtype) as a `dtype` array.
    fn small(dtype: DType, shape: &[usize], seed: u64) -> NdArray {
        let mut r = rng(seed);
        let n: usize = shape.iter().product();
        let lo = if dtype.kind() == Kind::UInt || dtype == DType::Bool {
            0
        } else {
            -9
        };
        let hi = if dtype == DType::Bool { 1 } else { 9 };
        let v: Vec<f64> = (0..n)
            .map(|_| (lo + (r() % (hi - lo + 1) as u64) as i64) as f64)
            .collect();
        NdArray::from_vec(v, shape).unwrap().astype(dtype).unwrap()
    }

    fn values(x: &NdArray) -> Vec<f64> {
        x.astype(DType::Float64).unwrap().to_vec::<f64>().unwrap()
    }

    /// Flat C-order input indices of every output (reduced axes removed), in C order.
    fn groups(shape: &[usize], axes: &[usize]) -> Vec<Vec<usize>> {
        let kept: Vec<usize> = (0..shape.len()).filter(|d| !axes.contains(d)).collect();
        let m: usize = kept.iter().map(|&d| shape[d]).product();
        let mut g = vec![vec![]; m];
        let n: usize = shape.iter().product();
        for flat in 0..n {
            let mut idx = vec![0; shape.len()];
            let mut f = flat;
            for d in (0..shape.len()).rev() {
                idx[d] = f % shape[d];
                f /= shape[d];
            }
            let o = kept.iter().fold(0, |o, &d| o * shape[d] + idx[d]);
            g[o].push(flat);
        }
        g
    }

    fn slice(start: Option<isize>, stop: Option<isize>, step: Option<isize>) -> IndexItem {
        IndexItem::Slice(SliceSpec { start, stop, step })
    }

    /// The array itself plus strided, flipped and transposed views of it.
    fn layouts(x: &NdArray) -> Vec<NdArray> {
        let mut v = vec![x.clone()];
        if x.ndim() >= 1 {
            v.push(x.flip(None).unwrap());
            v.push(x.transpose(None).unwrap());
            let mut items = vec![slice(None, None, Some(2))];
            items.extend((1..x.ndim()).map(|_| slice(None, None, Some(-1))));
            v.push(x.index(&items).unwrap());
        }
        v
    }

    fn axis_sets(nd: usize) -> Vec<Option<Vec<isize>>> {
        let mut s = vec![None, Some(vec![])];
        for a in 0..nd as isize {
            s.push(Some(vec![a]));
            s.push(Some(vec![a - nd as isize]));
        }
        if nd >= 2 {
            s.push(Some(vec![0, nd as isize - 1]));
            s.push(Some(vec![-1, 0]));
        }
        if nd == 3 {
            s.push(Some(vec![1, 0]));
        }
        s
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= tol * (1.0 + b.abs())
    }

    const SHAPES: &[&[usize]] = &[
        &[],
        &[0],
        &[1],
        &[7],
        &[3, 5],
        &[4, 0, 3],
        &[2, 3, 5],
        &[1031],
        &[37, 131],
        &[3, 1, 2100],
    ];

    #[test]
    fn every_reduction_matches_reference() {
        for &dt in &ALL_DTYPES {
            for (si, &shape) in SHAPES.iter().enumerate() {
                let base = small(dt, shape, si as u64 + 1);
                for x in layouts(&base) {
                    let xs = values(&x);
                    for axes in axis_sets(x.ndim()) {
                        let ax = axes.as_deref();
                        let norm: Vec<usize> = match ax {
                            None => (0..x.ndim()).collect(),
                            Some(a) => a
                                .iter()
                                .map(|&d| normalize_axis(d, x.ndim()).unwrap())
                                .collect(),
                        };
                        let g = groups(x.shape(), &norm);
                        let ctx = format!("{dt} {:?} {:?} {:?}", x.shape(), x.strides(), ax);
                        let check =
                            |r: NdArray, want_dt: DType, f: &dyn Fn(&[f64]) -> f64, tol: f64| {
                                assert_eq!(r.dtype(), want_dt, "{ctx}");
                                let got = values(&r);
                                assert_eq!(got.len(), g.len(), "{ctx}");
                                for (o, idx) in g.iter().enumerate() {
                                    let vals: Vec<f64> = idx.iter().map(|&i| xs[i]).collect();
                                    let want = f(&vals);
                                    assert!(
                                        close(got[o], want, tol),
                                        "{ctx} out {o}: {} vs {want}",
                                        got[o]
                                    );
                                }
                            };
                        let tol = match dt {
                            DType::Float16 => 2e-3,
                            DType::Float32 => 1e-6,
                            _ => 1e-12,
                        };
                        let sdt = sum_dtype(dt);
                        let fdt = float_result(dt, None);
                        let s = |v: &[f64]| v.iter().sum::<f64>();
                        check(sum(&x, ax, None, false, None).unwrap(), sdt, &s, tol);
                        check(nansum(&x, ax, None, false, None).unwrap(), sdt, &s, tol);
                        let mean_ref = |v: &[f64]| s(v) / v.len() as f64;
                        check(
                            mean(&x, ax, None, false, None).unwrap(),
                            fdt,
                            &mean_ref,
                            tol,
                        );
                        let var_ref = |v: &[f64]| {
                            let m = mean_ref(v);
                            v.iter().map(|&e| (e - m) * (e - m)).sum::<f64>() / v.len() as f64
                        };
                        check(
                            var(&x, ax, None, 0.0, false, None).unwrap(),
                            fdt,
                            &var_ref,
                            tol,
                        );
                        check(
                            std(&x, ax, None, 0.0, false, None).unwrap(),
                            fdt,
                            &|v| var_ref(v).sqrt(),
                            tol,
                        );
                        let nz = |v: &[f64]| v.iter().filter(|&&e| e != 0.0).count() as f64;
                        check(
                            count_nonzero(&x, ax, false).unwrap(),
                            DType::Int64,
                            &nz,
                            0.0,
                        );
                        check(
                            any(&x, ax, false, None).unwrap(),
                            DType::Bool,
                            &|v| (nz(v) > 0.0) as u8 as f64,
                            0.0,
                        );
                        check(
                            all(&x, ax, false, None).unwrap(),
                            DType::Bool,
                            &|v| (nz(v) == v.len() as f64) as u8 as f64,
                            0.0,
                        );
                        let empty = g.iter().any(|i| i.is_empty());
                        let mx = amax(&x, ax, false, None);
                        if empty {
                            assert!(mx
                                .unwrap_err()
                                .to_string()
                                .contains("zero-size array to reduction operation maximum"));
                        } else {
                            let f = |v: &[f64]| v.iter().cloned().fold(f64::MIN, f64::max);
                            check(mx.unwrap(), dt, &f, 0.0);
                            let f = |v: &[f64]| v.iter().cloned().fold(f64::MAX, f64::min);
                            check(amin(&x, ax, false, None).unwrap(), dt, &f, 0.0);
                            check(nanmin(&x, ax, false, None).unwrap(), dt, &f, 0.0);
                        }
                        // Products of up to 3 elements stay exact; longer ones are checked elsewhere.
                        if g.iter().all(|i| i.len() <= 3) {
                            let p = |v: &[f64]| v.iter().product::<f64>();
                            check(prod(&x, ax, None, false, None).unwrap(), sdt, &p, 0.0);
                        }
                        // keepdims keeps every axis.
                        let kd = sum(&x, ax, None, true, None).unwrap();
                        assert_eq!(kd.ndim(), x.ndim(), "{ctx}");
                    }
                    // argmax/argmin over one axis or the flattened array.
                    let mut arg_axes = vec![None];
                    arg_axes.extend((0..x.ndim() as isize).map(Some));
                    for a in arg_axes {
                        let norm: Vec<usize> = match a {
                            None => (0..x.ndim()).collect(),
                            Some(d) => vec![d as usize],
                        };
                        let g = groups(x.shape(), &norm);
                        let r = argmax(&x, a, false, None);
                        if g.iter().any(|i| i.is_empty())
                            || (g.is_empty() && norm.iter().any(|&d| x.shape()[d] == 0))
                        {
                            if let Err(e) = r {
                                assert_eq!(
                                    e.to_string(),
                                    "attempt to get argmax of an empty sequence"
                                );
                            }
                            continue;
                        }
                        let r = r.unwrap();
                        assert_eq!(r.dtype(), DType::Int64);
                        let got = r.to_vec::<i64>().unwrap();
                        let gmin = argmin(&x, a, false, None).unwrap().to_vec::<i64>().unwrap();
                        for (o, idx) in g.iter().enumerate() {
                            let vals: Vec<f64> = idx.iter().map(|&i| xs[i]).collect();
                            let best = vals.iter().cloned().fold(f64::MIN, f64::max);
                            let first = vals.iter().position(|&v| v == best).unwrap();
                            assert_eq!(
                                got[o],
                                first as i64,
                                "argmax {dt} {:?} {:?} {a:?}",
                                x.shape(),
                                x.strides()
                            );
                            let worst = vals.iter().cloned().fold(f64::MAX, f64::min);
                            let first = vals.iter().position(|&v| v == worst).unwrap();
                            assert_eq!(gmin[o], first as i64, "argmin {dt} {:?} {a:?}", x.shape());
                        }
                    }
                }
            }
        }
    }

    /// Exact sum of f64 values (Shewchuk's partials, as Python's math.fsum).
    fn fsum(v: &[f64]) -> f64 {
        let mut partials: Vec<f64> = vec![];
        for &x in v {
            let mut x = x;
            let mut i = 0;
            for j in 0..partials.len() {
                let mut y = partials[j];
                if x.abs() < y.abs() {
                    std::mem::swap(&mut x, &mut y);
                }
                let hi = x + y;
                let lo = y - (hi - x);
                if lo != 0.0 {
                    partials[i] = lo;
                    i += 1;
                }
                x = hi;
            }
            partials.truncate(i);
            partials.push(x);
        }
        partials.iter().sum()
    }

    fn scalar_f64(r: &NdArray) -> f64 {
        values(r)[0]
    }

    #[test]
    fn float_sums_are_pairwise_accurate() {
        // Sequential float32 summation stalls at 2^24; pairwise blocks do not.
        let n = (1 << 24) + 3 * 128 + 6;
        let ones = NdArray::from_vec(vec![1.0f32; n], &[n]).unwrap();
        assert_eq!(
            scalar_f64(&sum(&ones, None, None, false, None).unwrap()),
            n as f32 as f64
        );
        assert_eq!(
            scalar_f64(&mean(&ones, None, None, false, None).unwrap()),
            1.0
        );
        // Large cancelling values and alternating signs.
        let v: Vec<f64> = (0..100_003)
            .map(|i| match i % 4 {
                0 => 1e20,
                1 => 1.0 + i as f64 * 1e-3,
                2 => -1e20,
                _ => -0.5,
            })
            .collect();
        let a = NdArray::from_vec(v.clone(), &[v.len()]).unwrap();
        let exact = fsum(&v);
        let got = scalar_f64(&sum(&a, None, None, false, None).unwrap());
        assert!(
            (got - exact).abs() <= 1e-9 * exact.abs(),
            "{got} vs {exact}"
        );
        let mut r = rng(9);
        let v: Vec<f64> = (0..1_000_000)
            .map(|i| {
                let u = (r() >> 11) as f64 / (1u64 << 53) as f64;
                if i % 2 == 0 {
                    u
                } else {
                    -u * 0.999
                }
            })
            .collect();
        let a = NdArray::from_vec(v.clone(), &[v.len()]).unwrap();
        let exact = fsum(&v);
        let abs_sum: f64 = v.iter().map(|x| x.abs()).sum();
        let got = scalar_f64(&sum(&a, None, None, false, None).unwrap());
        // Pairwise bound: eps * log2(n / 128) * sum |x| (NumPy's is the same order).
        assert!(
            (got - exact).abs() <= f64::EPSILON * 14.0 * abs_sum,
            "{got} vs {exact}"
        );
        // Axis 0 of a 2-d array (outer walk) is pairwise over rows too.
        let rows = 3 * 128 * 128 + 7;
        let ones = NdArray::from_vec(vec![1.0f32; rows * 3], &[rows, 3]).unwrap();
        let s = sum(&ones, Some(&[0]), None, false, None).unwrap();
        assert_eq!(s.to_vec::<f32>().unwrap(), vec![rows as f32; 3]);
        // var: a large offset does not swamp the spread.
        let v: Vec<f64> = (0..10_001).map(|i| 1e9 + (i % 7) as f64).collect();
        let a = NdArray::from_vec(v.clone(), &[v.len()]).unwrap();
        let m = fsum(&v) / v.len() as f64;
        let want = fsum(&v.iter().map(|x| (x - m) * (x - m)).collect::<Vec<_>>()) / v.len() as f64;
        let got = scalar_f64(&var(&a, None, None, 0.0, false, None).unwrap());
        assert!((got - want).abs() <= 1e-12 * want, "{got} vs {want}");
    }

    #[test]
    fn integer_means_use_the_exact_sum() {
        // Extremes whose float64 running sum would round: the exact sum rounded once.
        let v: Vec<i64> = (0..10_007)
            .map(|i| match i % 3 {
                0 => i64::MAX,
                1 => i64::MIN,
                _ => i64::MAX - i as i64,
            })
            .collect();
        let want = v.iter().map(|&x| x as i128).sum::<i128>() as f64 / v.len() as f64;
        let a = NdArray::from_vec(v.clone(), &[v.len()]).unwrap();
        assert_eq!(
            scalar_f64(&mean(&a, None, None, false, None).unwrap()),
            want
        );
        let u: Vec<u64> = (0..5000u64).map(|i| u64::MAX - i * 977).collect();
        let want = u.iter().map(|&x| x as i128).sum::<i128>() as f64 / u.len() as f64;
        let b = NdArray::from_vec(u.clone(), &[u.len()]).unwrap();
        assert_eq!(
            scalar_f64(&mean(&b, None, None, false, None).unwrap()),
            want
        );
        // Along an axis (outer walk folds rows), and a narrow dtype.
        let m = a.index(&[slice(None, Some(10_000), None)]).unwrap();
        let m = m.reshape(&[100, 100]).unwrap();
        let rows = values(&mean(&m, Some(&[0]), None, false, None).unwrap());
        for (j, got) in rows.iter().enumerate() {
            let col: i128 = (0..100).map(|i| v[i * 100 + j] as i128).sum();
            assert_eq!(*got, col as f64 / 100.0);
        }
        let i8s = NdArray::from_vec(vec![-128i8, 127, -3], &[3]).unwrap();
        assert_eq!(
            scalar_f64(&mean(&i8s, None, None, false, None).unwrap()),
            -4.0 / 3.0
        );
    }

    #[test]
    fn results_do_not_depend_on_threads() {
        let n = 3_000_017;
        let mut r = rng(5);
        let v: Vec<f32> = (0..n).map(|_| (r() >> 40) as f32 / 1e5 - 80.0).collect();
        let a = NdArray::from_vec(v, &[n]).unwrap();
        let m = a.reshape(&[1000, -1]).unwrap_or_else(|_| a.clone());
        let b = NdArray::from_vec(values(&a)[..3_000_000].to_vec(), &[1500, 2000]).unwrap();
        let run = || {
            vec![
                sum(&a, None, None, false, None).unwrap(),
                var(&a, None, None, 1.0, false, None).unwrap(),
                mean(&m, None, None, false, None).unwrap(),
                sum(&b, Some(&[0]), None, false, None).unwrap(),
                sum(&b, Some(&[1]), None, false, None).unwrap(),
                std(&b, Some(&[0]), None, 0.0, false, None).unwrap(),
                argmax(&a, None, false, None).unwrap(),
            ]
        };
        let before = exec::num_threads();
        exec::set_num_threads(1).unwrap();
        let one = run();
        exec::set_num_threads(4).unwrap();
        let four = run();
        exec::set_num_threads(before).unwrap();
        for (x, y) in one.iter().zip(&four) {
            assert_eq!(values(x), values(y));
        }
    }

    #[test]
    fn dtypes_overflow_and_empty() {
        let i8s = NdArray::from_vec(vec![100i8, 100, 100], &[3]).unwrap();
        let s = sum(&i8s, None, None, false, None).unwrap();
        assert_eq!(
            (s.dtype(), s.ndim(), s.to_vec::<i64>().unwrap()),
            (DType::Int64, 0, vec![300])
        );
        let s8 = sum(&i8s, None, Some(DType::Int8), false, None).unwrap();
        assert_eq!(s8.to_vec::<i8>().unwrap(), vec![44]);
        let big = NdArray::from_vec(vec![i64::MAX, 1], &[2]).unwrap();
        assert_eq!(
            sum(&big, None, None, false, None)
                .unwrap()
                .to_vec::<i64>()
                .unwrap(),
            vec![i64::MIN]
        );
        let u = NdArray::from_vec(vec![200u8, 100], &[2]).unwrap();
        assert_eq!(
            sum(&u, None, None, false, None).unwrap().dtype(),
            DType::UInt64
        );
        assert_eq!(
            prod(&u, None, None, false, None)
                .unwrap()
                .to_vec::<u64>()
                .unwrap(),
            vec![20000]
        );
        let b = NdArray::from_vec(vec![true, true], &[2]).unwrap();
        assert_eq!(
            sum(&b, None, None, false, None)
                .unwrap()
                .to_vec::<i64>()
                .unwrap(),
            vec![2]
        );
        assert_eq!(
            sum(&b, None, Some(DType::Bool), false, None)
                .unwrap()
                .to_vec::<bool>()
                .unwrap(),
            vec![true]
        );
        let h = NdArray::from_vec(vec![f16::from_f32(0.1); 4096], &[4096]).unwrap();
        let hs = sum(&h, None, None, false, None).unwrap();
        assert_eq!(hs.dtype(), DType::Float16);
        assert!((hs.to_vec::<f16>().unwrap()[0].to_f64() - 409.5).abs() < 0.5);
        assert_eq!(
            mean(&h, None, None, false, None).unwrap().dtype(),
            DType::Float16
        );
        assert_eq!(
            mean(&u, None, None, false, None)
                .unwrap()
                .to_vec::<f64>()
                .unwrap(),
            vec![150.0]
        );
        let f = NdArray::from_vec(vec![1.5f32, 2.5], &[2]).unwrap();
        assert_eq!(
            sum(&f, None, Some(DType::Float64), false, None)
                .unwrap()
                .dtype(),
            DType::Float64
        );
        assert_eq!(
            mean(&f, None, Some(DType::Int64), false, None)
                .unwrap()
                .to_vec::<i64>()
                .unwrap(),
            vec![1]
        );
        // Empty: identities, NaN mean, errors for min/max/argmax.
        let e = NdArray::zeros(DType::Float64, &[0, 3]).unwrap();
        assert_eq!(
            values(&sum(&e, Some(&[0]), None, false, None).unwrap()),
            vec![0.0; 3]
        );
        assert_eq!(
            values(&prod(&e, None, None, false, None).unwrap()),
            vec![1.0]
        );
        assert!(values(&mean(&e, None, None, false, None).unwrap())[0].is_nan());
        assert_eq!(values(&all(&e, None, false, None).unwrap()), vec![1.0]);
        assert_eq!(amax(&e, Some(&[1]), false, None).unwrap().shape(), &[0]);
        assert_eq!(
            amax(&e, Some(&[0]), false, None).unwrap_err().to_string(),
            "zero-size array to reduction operation maximum which has no identity"
        );
        assert_eq!(
            argmax(&e, Some(0), false, None).unwrap_err().to_string(),
            "attempt to get argmax of an empty sequence"
        );
        assert_eq!(
            count_nonzero(&e, None, false).unwrap().shape(),
            &[] as &[usize]
        );
        // var with ddof >= n: 0/0 -> NaN, s/0 -> inf (as NumPy).
        let one = NdArray::from_vec(vec![3.0f64], &[1]).unwrap();
        assert!(values(&var(&one, None, None, 1.0, false, None).unwrap())[0].is_nan());
        let two = NdArray::from_vec(vec![1.0f64, 2.0], &[2]).unwrap();
        assert_eq!(
            values(&var(&two, None, None, 2.0, false, None).unwrap())[0],
            f64::INFINITY
        );
        assert!(values(&nanvar(&two, None, None, 2.0, false, None).unwrap())[0].is_nan());
        assert_eq!(
            values(&std(&two, None, None, 1.0, false, None).unwrap())[0],
            0.5f64.sqrt()
        );
        assert_eq!(
            var(&u, None, None, 0.0, false, None).unwrap().dtype(),
            DType::Float64
        );
    }

    #[test]
    fn nan_semantics() {
        let n = f64::NAN;
        let a = NdArray::from_vec(vec![1.0, 5.0, n, 5.0, n, -2.0], &[6]).unwrap();
        assert!(values(&amax(&a, None, false, None).unwrap())[0].is_nan());
        assert!(values(&amin(&a, None, false, None).unwrap())[0].is_nan());
        assert_eq!(values(&argmax(&a, None, false, None).unwrap()), vec![2.0]);
        assert_eq!(values(&argmin(&a, None, false, None).unwrap()), vec![2.0]);
        assert_eq!(values(&nanmax(&a, None, false, None).unwrap()), vec![5.0]);
        assert_eq!(values(&nanmin(&a, None, false, None).unwrap()), vec![-2.0]);
        assert_eq!(
            values(&nanargmax(&a, None, false, None).unwrap()),
            vec![1.0]
        );
        assert_eq!(
            values(&nanargmin(&a, None, false, None).unwrap()),
            vec![5.0]
        );
        assert_eq!(
            values(&nansum(&a, None, None, false, None).unwrap()),
            vec![9.0]
        );
        assert_eq!(
            values(&nanmean(&a, None, None, false, None).unwrap()),
            vec![2.25]
        );
        let want = [1.0f64, 5.0, 5.0, -2.0]
            .iter()
            .map(|x| (x - 2.25) * (x - 2.25))
            .sum::<f64>()
            / 3.0;
        assert!(
            (values(&nanvar(&a, None, None, 1.0, false, None).unwrap())[0] - want).abs() < 1e-12
        );
        assert!(values(&nanstd(&a, None, None, 0.0, false, None).unwrap())[0] > 0.0);
        assert!(values(&sum(&a, None, None, false, None).unwrap())[0].is_nan());
        assert_eq!(values(&any(&a, None, false, None).unwrap()), vec![1.0]);
        // A NaN late in a long array, in every layout path.
        let mut v = vec![0.0f32; 70_001];
        v[12_345] = 7.0;
        v[50_000] = f32::NAN;
        v[60_000] = f32::NAN;
        let l = NdArray::from_vec(v, &[70_001]).unwrap();
        assert_eq!(
            values(&argmax(&l, None, false, None).unwrap()),
            vec![50_000.0]
        );
        assert_eq!(
            values(&nanargmax(&l, None, false, None).unwrap()),
            vec![12_345.0]
        );
        assert_eq!(values(&nanmax(&l, None, false, None).unwrap()), vec![7.0]);
        // All-NaN slices.
        let m = NdArray::from_vec(vec![n, 1.0, n, n], &[2, 2]).unwrap();
        assert_eq!(
            values(&nanmax(&m, Some(&[1]), false, None).unwrap())[0],
            1.0
        );
        assert!(values(&nanmax(&m, Some(&[1]), false, None).unwrap())[1].is_nan());
        assert!(values(&nanmean(&m, Some(&[1]), None, false, None).unwrap())[1].is_nan());
        assert_eq!(
            nanargmax(&m, Some(1), false, None).unwrap_err().to_string(),
            "All-NaN slice encountered"
        );
        let m = NdArray::from_vec(vec![n, 1.0, 2.0, n], &[2, 2]).unwrap();
        assert_eq!(
            values(&nanargmax(&m, Some(0), false, None).unwrap()),
            vec![1.0, 0.0]
        );
        // [-inf, NaN]: NaN counts as -inf, the tie keeps the first.
        let t = NdArray::from_vec(vec![f64::NEG_INFINITY, n], &[2]).unwrap();
        assert_eq!(
            values(&nanargmax(&t, None, false, None).unwrap()),
            vec![0.0]
        );
        // Ties: lowest index, also along axis 0 (outer walk).
        let t = NdArray::from_vec(vec![3i32, 1, 3, 1, 2, 3], &[3, 2]).unwrap();
        assert_eq!(
            values(&argmax(&t, Some(0), false, None).unwrap()),
            vec![0.0, 2.0]
        );
        assert_eq!(
            values(&argmin(&t, Some(0), true, None).unwrap()),
            vec![2.0, 0.0]
        );
        assert_eq!(argmin(&t, Some(0), true, None).unwrap().shape(), &[1, 2]);
    }

    #[test]
    fn axes_out_and_errors() {
        let x = small(DType::Int32, &[2, 3, 4], 3);
        assert_eq!(
            sum(&x, Some(&[3]), None, false, None).unwrap_err(),
            Error::Axis {
                axis: 3,
                ndim: 3,
                prefix: None
            }
        );
        assert_eq!(
            sum(&x, Some(&[1, -2]), None, false, None)
                .unwrap_err()
                .to_string(),
            "duplicate value in 'axis'"
        );
        let s = sum(&x, Some(&[0, 2]), None, true, None).unwrap();
        assert_eq!(s.shape(), &[1, 3, 1]);
        let o = NdArray::zeros(DType::Float32, &[3]).unwrap();
        let r = sum(&x, Some(&[0, -1]), None, false, Some(&o)).unwrap();
        assert!(r.shares_buffer(&o));
        assert_eq!(values(&o), values(&s));
        let bad = NdArray::zeros(DType::Float32, &[1, 3]).unwrap();
        assert!(matches!(
            sum(&x, Some(&[0, 2]), None, false, Some(&bad)),
            Err(Error::Value(_))
        ));
        let f = small(DType::Float64, &[4], 1);
        let io = NdArray::zeros(DType::Int64, &[]).unwrap();
        assert_eq!(
            sum(&f, None, None, false, Some(&io)).unwrap_err().to_string(),
            "Cannot cast ufunc 'add' output from dtype('float64') to dtype('int64') with casting rule 'same_kind'"
        );
        assert!(matches!(
            ptp(&small(DType::Bool, &[3], 1), None, false, None),
            Err(Error::Type(_))
        ));
        let p = NdArray::from_vec(vec![-128i8, 127, 0], &[3]).unwrap();
        assert_eq!(
            ptp(&p, None, false, None).unwrap().to_vec::<i8>().unwrap(),
            vec![-1]
        );
        let q = NdArray::from_vec(vec![1.0f64, 4.0, -2.0, 0.5], &[2, 2]).unwrap();
        assert_eq!(
            values(&ptp(&q, Some(&[1]), false, None).unwrap()),
            vec![3.0, 2.5]
        );
    }

    #[test]
    fn outer_and_inner_walks_match_reference_on_large_arrays() {
        // Column blocks wider than one accumulator row, more rows than one leaf.
        for &(r, c) in &[(300usize, 2500usize), (5, 70_000), (70_000, 3)] {
            let x = small(DType::Float64, &[r, c], 11);
            let xs = values(&x);
            for axis in [0isize, 1] {
                let s = values(&sum(&x, Some(&[axis]), None, false, None).unwrap());
                let v = values(&var(&x, Some(&[axis]), None, 0.0, false, None).unwrap());
                let am = values(&argmax(&x, Some(axis), false, None).unwrap());
                let g = groups(&[r, c], &[axis as usize]);
                for (o, idx) in g.iter().enumerate() {
                    let vals: Vec<f64> = idx.iter().map(|&i| xs[i]).collect();
                    let m = vals.iter().sum::<f64>() / vals.len() as f64;
                    assert_eq!(s[o], vals.iter().sum::<f64>());
                    let want =
                        vals.iter().map(|e| (e - m) * (e - m)).sum::<f64>() / vals.len() as f64;
                    assert!(close(v[o], want, 1e-12));
                    let best = vals.iter().cloned().fold(f64::MIN, f64::max);
                    assert_eq!(
                        am[o] as usize,
                        vals.iter().position(|&e| e == best).unwrap()
                    );
                }
            }
        }
    }

    #[test]
    fn cumulative() {
        let x = NdArray::from_vec((1..=6).collect::<Vec<i32>>(), &[2, 3]).unwrap();
        let c = cumsum(&x, None, None, None).unwrap();
        assert_eq!(
            (c.dtype(), c.to_vec::<i64>().unwrap()),
            (DType::Int64, vec![1, 3, 6, 10, 15, 21])
        );
        assert_eq!(
            cumsum(&x, Some(0), None, None)
                .unwrap()
                .to_vec::<i64>()
                .unwrap(),
            vec![1, 2, 3, 5, 7, 9]
        );
        assert_eq!(
            cumprod(&x, Some(-1), None, None)
                .unwrap()
                .to_vec::<i64>()
                .unwrap(),
            vec![1, 2, 6, 4, 20, 120]
        );
        let t = x.transpose(None).unwrap();
        assert_eq!(
            cumsum(&t, Some(1), Some(DType::Float32), None)
                .unwrap()
                .to_vec::<f32>()
                .unwrap(),
            vec![1.0, 5.0, 2.0, 7.0, 3.0, 9.0]
        );
        let w = NdArray::from_vec(vec![i8::MAX, 1], &[2]).unwrap();
        assert_eq!(
            cumsum(&w, None, Some(DType::Int8), None)
                .unwrap()
                .to_vec::<i8>()
                .unwrap(),
            vec![127, -128]
        );
        let b = NdArray::from_vec(vec![false, true, false], &[3]).unwrap();
        assert_eq!(
            cumsum(&b, None, Some(DType::Bool), None)
                .unwrap()
                .to_vec::<bool>()
                .unwrap(),
            vec![false, true, true]
        );
        let h = NdArray::from_vec(vec![f16::from_f32(2048.0), f16::ONE, f16::ONE], &[3]).unwrap();
        // float16 rounds each step: 2048 + 1 = 2048.
        assert_eq!(
            values(&cumsum(&h, None, None, None).unwrap()),
            vec![2048.0, 2048.0, 2048.0]
        );
        assert!(matches!(
            cumsum(&x, Some(2), None, None),
            Err(Error::Axis { .. })
        ));
        let o = NdArray::zeros(DType::Float64, &[6]).unwrap();
        cumsum(&x, None, None, Some(&o)).unwrap();
        assert_eq!(values(&o), vec![1.0, 3.0, 6.0, 10.0, 15.0, 21.0]);
        let e = NdArray::zeros(DType::Float64, &[0, 2]).unwrap();
        assert_eq!(cumsum(&e, Some(0), None, None).unwrap().shape(), &[0, 2]);
        let big = NdArray::from_vec(vec![1.0f64; 200_000], &[2, 100_000]).unwrap();
        let cb = values(&cumsum(&big, Some(1), None, None).unwrap());
        assert_eq!((cb[99_999], cb[199_999]), (100_000.0, 100_000.0));
    }
}
