//! Reduction inner loops.
//!
//! Every reduction is a fixed binary tree over its reduced elements: leaves of `Reduce::LEAF`
//! elements (128 for inexact float folds, so sums are pairwise) are reduced by a vectorised
//! leaf kernel, and nodes are merged in a tree whose shape depends only on the length. Parallel
//! work computes the nodes of one tree level on the pool and merges them in the same order, so
//! the result is bit-identical for any thread count.
//!
//! Two walks feed the tree (`Geometry` picks one): *inner*, where each output's reduced
//! elements are one contiguous run (the tree runs over elements), and *outer*, where the
//! outputs are contiguous columns and the reduced elements are rows (the tree runs over rows,
//! each leaf folding rows into an accumulator row with vectorised elementwise loops). Anything
//! else is first copied into the inner layout.

use crate::array::NdArray;
use crate::cast::CastTo;
use crate::dtype::Element;
use crate::error::{Error, Result};
use crate::exec;
use crate::kernels::cpu::{isa, Isa};
use crate::layout::coalesce;
use std::marker::PhantomData;
use std::ops::Range;
use std::sync::OnceLock;

/// Block of inexact (float) folds: pairwise summation over 128-element blocks, as NumPy.
pub const BLOCK: usize = 128;
/// Leaf of inexact folds: 16 blocks, combined pairwise inside the leaf (one call per 2048
/// elements instead of one per block keeps the tree's overhead off the memory-bound loop).
const INEXACT_LEAF: usize = 16 * BLOCK;
/// Levels of the pairwise combination of an inexact leaf's blocks (16 blocks: 0..=4).
const LEVELS: usize = (INEXACT_LEAF / BLOCK).ilog2() as usize + 1;
/// Leaf of `Moments`: 8 KiB of float64, reread from L1 by its second pass.
const MOMENT_LEAF: usize = 1024;
/// Leaf of exact reductions (integer sums, min/max, argmax, any/all): order cannot change
/// the result, so leaves are long and the tree is shallow.
const EXACT_LEAF: usize = 1 << 12;
/// Block of an argmax/argmin scan: its extreme is found first, and only the winning block is
/// searched again for the position (8 KiB of float32, 16 KiB of float64: still in L1).
/// 2048 rather than 1024 halves the per-block horizontal reductions (argmax of 64K float32
/// on 2 threads 87 -> 95 GB/s); 4096 makes leaves too long to split 64K elements.
const ARG_BLOCK: usize = 2048;
/// Independent accumulators (lanes) of a leaf: 4 AVX2 vectors of f32, 8 of f64, enough
/// independent chains to hide the latency of a compare-and-blend or an add.
const STRIPES: usize = 32;
/// Work (elements) below which a reduction stays on the calling thread (as `loops::CHEAP`).
const PAR_MIN: usize = 1 << 16;
/// Elements per parallel task.
const TASK: usize = 1 << 15;
/// Bytes of the accumulator row of an outer reduction: it stays in L1/L2 while row segments of
/// up to 32 KiB (eight pages) stream past, four rows at a time (`fold4`), which keeps the
/// hardware prefetchers busy. Measured on 4096x4096 float64/int64 axis 0 (2 threads,
/// `examples/reduce_probe.rs`): 16 KiB segments read 37-40 GB/s, 32 KiB 45-46, 64 KiB 35-45;
/// one row at a time, 32 KiB read 29-31.
const ACC_ROW_BYTES: usize = 32 << 10;

#[inline(always)]
#[allow(clippy::eq_op)]
pub fn is_nan<T: PartialEq>(x: T) -> bool {
    x != x
}

/// A reduction over elements of `T` with accumulator `Acc`.
pub trait Reduce<T: Copy>: Sync {
    type Acc: Copy + Send + Sync;
    /// Leaf length of the tree.
    const LEAF: usize;
    /// Reduces `x` (1..=LEAF elements); `pos` is the position of `x[0]` along the reduction,
    /// `out` the flat (C-order) index of the output.
    fn leaf(&self, x: &[T], pos: usize, out: usize) -> Self::Acc;
    /// The accumulator of one element.
    fn unit(&self, x: T, pos: usize, out: usize) -> Self::Acc;
    /// Combines two accumulators; `a` covers positions before `b`.
    fn merge(&self, a: Self::Acc, b: Self::Acc) -> Self::Acc;
    /// Folds one row (element `j` belongs to output `out + j`) into accumulators.
    #[inline(always)]
    fn fold(&self, acc: &mut [Self::Acc], row: &[T], pos: usize, out: usize) {
        for (j, (a, &x)) in acc.iter_mut().zip(row).enumerate() {
            *a = self.merge(*a, self.unit(x, pos, out + j));
        }
    }
    /// `fold` of four consecutive rows (`pos` is the first's position), in the same order, but
    /// with each accumulator loaded and stored once instead of four times.
    #[inline(always)]
    fn fold4(&self, acc: &mut [Self::Acc], rows: [&[T]; 4], pos: usize, out: usize) {
        let n = acc.len();
        let [r0, r1, r2, r3] = rows.map(|r| &r[..n]);
        for (j, a) in acc.iter_mut().enumerate() {
            let mut v = self.merge(*a, self.unit(r0[j], pos, out + j));
            v = self.merge(v, self.unit(r1[j], pos + 1, out + j));
            v = self.merge(v, self.unit(r2[j], pos + 2, out + j));
            *a = self.merge(v, self.unit(r3[j], pos + 3, out + j));
        }
    }
}

/// An associative operation with identity, on accumulator type `A`.
pub trait Monoid<A>: Sync {
    const ID: A;
    /// True when the order of operations cannot change the result.
    const EXACT: bool;
    fn op(a: A, b: A) -> A;
}

pub struct Add;
pub struct Mul;
pub struct Or;
pub struct And;

macro_rules! int_monoids {
    ($($t:ty),*) => {$(
        impl Monoid<$t> for Add {
            const ID: $t = 0;
            const EXACT: bool = true;
            #[inline(always)]
            fn op(a: $t, b: $t) -> $t { a.wrapping_add(b) }
        }
        impl Monoid<$t> for Mul {
            const ID: $t = 1;
            const EXACT: bool = true;
            #[inline(always)]
            fn op(a: $t, b: $t) -> $t { a.wrapping_mul(b) }
        }
    )*};
}
int_monoids!(i64, u64);

macro_rules! float_monoids {
    ($($t:ty),*) => {$(
        impl Monoid<$t> for Add {
            const ID: $t = 0.0;
            const EXACT: bool = false;
            #[inline(always)]
            fn op(a: $t, b: $t) -> $t { a + b }
        }
        impl Monoid<$t> for Mul {
            const ID: $t = 1.0;
            const EXACT: bool = false;
            #[inline(always)]
            fn op(a: $t, b: $t) -> $t { a * b }
        }
    )*};
}
float_monoids!(f32, f64);

impl Monoid<bool> for Or {
    const ID: bool = false;
    const EXACT: bool = true;
    #[inline(always)]
    fn op(a: bool, b: bool) -> bool {
        a | b
    }
}
impl Monoid<bool> for And {
    const ID: bool = true;
    const EXACT: bool = true;
    #[inline(always)]
    fn op(a: bool, b: bool) -> bool {
        a & b
    }
}

/// The monoids NumPy's `add`/`multiply` reductions use for an accumulator type (bool: or/and).
pub trait AccOps: Copy + Send + Sync + 'static {
    type Sum: Monoid<Self>;
    type Prod: Monoid<Self>;
}
impl AccOps for i64 {
    type Sum = Add;
    type Prod = Mul;
}
impl AccOps for u64 {
    type Sum = Add;
    type Prod = Mul;
}
impl AccOps for f32 {
    type Sum = Add;
    type Prod = Mul;
}
impl AccOps for f64 {
    type Sum = Add;
    type Prod = Mul;
}
impl AccOps for bool {
    type Sum = Or;
    type Prod = And;
}

/// `M`-fold of `f(element, output index)`: sums, products, counts, any/all, sums of squares.
pub struct Fold<A, M, F> {
    f: F,
    _m: PhantomData<fn() -> (A, M)>,
}

impl<A, M, F> Fold<A, M, F> {
    pub fn new(f: F) -> Self {
        Fold { f, _m: PhantomData }
    }
}

/// `op`-fold of `f` over `x` in `L` independent lanes (stripe `j` folds elements
/// `j, j + L, ...`), so LLVM keeps the lanes in vector registers. The lanes are returned
/// unfolded.
#[inline(always)]
fn stripes_of<const L: usize, T: Copy, A: Copy>(
    x: &[T],
    id: A,
    f: impl Fn(T) -> A,
    op: impl Fn(A, A) -> A,
) -> [A; L] {
    let mut acc = [id; L];
    let mut chunks = x.chunks_exact(L);
    for c in &mut chunks {
        for j in 0..L {
            acc[j] = op(acc[j], f(c[j]));
        }
    }
    for (a, &v) in acc.iter_mut().zip(chunks.remainder()) {
        *a = op(*a, f(v));
    }
    acc
}

/// `stripes_of` with `STRIPES` lanes.
#[inline(always)]
fn stripes<T: Copy, A: Copy>(
    x: &[T],
    id: A,
    f: impl Fn(T) -> A,
    op: impl Fn(A, A) -> A,
) -> [A; STRIPES] {
    stripes_of(x, id, f, op)
}

/// The lanes of `stripes` folded pairwise by halving: lane `j` takes lane `j + w` for
/// w = L/2, ..., 2, 1, so lanes holding the same position modulo a small period (which
/// periodic data puts in the same lanes) meet first.
#[inline(always)]
fn fold_lanes<const L: usize, A: Copy>(mut lanes: [A; L], op: impl Fn(A, A) -> A) -> A {
    let mut w = L;
    while w > 1 {
        w /= 2;
        for j in 0..w {
            lanes[j] = op(lanes[j], lanes[j + w]);
        }
    }
    lanes[0]
}

/// Pairwise `M`-fold of `f` over `x` in `L` lanes: each 128-element block is summed in lanes,
/// and the blocks' lanes are combined pairwise (a binary counter: block `i` merges with the
/// pending partial of every level where `i` has a 1 bit), then the lanes pairwise. Pairwise
/// summation as NumPy's, with every lane in a vector register and no block copied twice.
#[inline(always)]
fn pairwise<const L: usize, T: Copy, A: Copy, M: Monoid<A>>(x: &[T], f: impl Fn(T) -> A) -> A {
    let add = |a: [A; L], b: [A; L]| std::array::from_fn(|j| M::op(a[j], b[j]));
    let mut pending = [[M::ID; L]; LEVELS];
    for (i, c) in x.chunks(BLOCK).enumerate() {
        // A full block has a known length, so its lanes stay in registers.
        let mut s = match <&[T; BLOCK]>::try_from(c) {
            Ok(b) => stripes_of(b.as_slice(), M::ID, &f, M::op),
            Err(_) => stripes_of(c, M::ID, &f, M::op),
        };
        let (mut i, mut level) = (i, 0);
        while i & 1 == 1 {
            s = add(pending[level], s);
            (i, level) = (i >> 1, level + 1);
        }
        pending[level] = s;
    }
    // What is left: one partial per 1 bit of the block count, merged upwards.
    let nb = x.len().div_ceil(BLOCK);
    let mut acc = None;
    for (level, &p) in pending.iter().enumerate() {
        if nb >> level & 1 == 1 {
            acc = Some(acc.map_or(p, |a| add(p, a)));
        }
    }
    fold_lanes(acc.unwrap_or([M::ID; L]), M::op)
}

impl<T, A, M, F> Reduce<T> for Fold<A, M, F>
where
    T: Copy,
    A: Copy + Send + Sync,
    M: Monoid<A>,
    F: Fn(T, usize) -> A + Sync,
{
    type Acc = A;
    const LEAF: usize = if M::EXACT { EXACT_LEAF } else { INEXACT_LEAF };

    /// Exact monoids fold the leaf in lanes; inexact ones fold it `pairwise`, in 16 lanes of
    /// 8-byte accumulators (four AVX2 vectors): with 32, the pending partials spill and a
    /// float64 sum streamed 21-24 GB/s from memory on one core instead of 29-31
    /// (`pairwise` over 1e7 float64, 2048-element leaves), and 95 instead of 108 in L2.
    #[inline(always)]
    fn leaf(&self, x: &[T], _pos: usize, out: usize) -> A {
        let f = |v| (self.f)(v, out);
        if M::EXACT {
            fold_lanes(stripes(x, M::ID, f, M::op), M::op)
        } else if std::mem::size_of::<A>() >= 8 {
            pairwise::<16, T, A, M>(x, f)
        } else {
            pairwise::<STRIPES, T, A, M>(x, f)
        }
    }

    #[inline(always)]
    fn unit(&self, x: T, _pos: usize, out: usize) -> A {
        (self.f)(x, out)
    }

    #[inline(always)]
    fn merge(&self, a: A, b: A) -> A {
        M::op(a, b)
    }
}

/// Integer (and bool) elements split as `v = high * 2^32 + low` with `low` in `0..2^32`:
/// `(v mod 2^64, high)`, what `ExactSum` adds up.
pub trait Split: Copy {
    fn split(self) -> (u64, i64);
}

macro_rules! splits {
    (signed $($t:ty),*) => {$(
        impl Split for $t {
            #[inline(always)]
            fn split(self) -> (u64, i64) { let v = self as i64; (v as u64, v >> 32) }
        }
    )*};
    (unsigned $($t:ty),*) => {$(
        impl Split for $t {
            #[inline(always)]
            fn split(self) -> (u64, i64) { let v = self as u64; (v, (v >> 32) as i64) }
        }
    )*};
}
splits!(signed i8, i16, i32, i64);
splits!(unsigned u8, u16, u32, u64, bool);

/// The exact sum of integers as `i128` (integer means: one rounding at the end instead of
/// one per float addition, and no int64 -> float64 conversion per element, which AVX2 lacks).
/// A leaf (fewer than 2^32 elements) adds the values modulo 2^64 (`w`) and their high halves
/// exactly (`h`); the low halves add up to less than 2^64, so the sum is
/// `h * 2^32 + (w - h * 2^32 mod 2^64)`. Plain integer loops: LLVM vectorises and reorders
/// them freely (integer addition is associative), which it will not do with lane arrays.
pub struct ExactSum;

impl<T: Split + Send + Sync> Reduce<T> for ExactSum {
    type Acc = i128;
    const LEAF: usize = EXACT_LEAF;

    #[inline(always)]
    fn leaf(&self, x: &[T], _pos: usize, _out: usize) -> i128 {
        let (mut w, mut h) = (0u64, 0i64);
        for &v in x {
            let (bits, high) = v.split();
            w = w.wrapping_add(bits);
            h = h.wrapping_add(high);
        }
        let low = w.wrapping_sub((h as u64) << 32);
        ((h as i128) << 32) + low as i128
    }
    #[inline(always)]
    fn unit(&self, x: T, _pos: usize, _out: usize) -> i128 {
        let (bits, high) = x.split();
        ((high as i128) << 32) + (bits & 0xffff_ffff) as i128
    }
    #[inline(always)]
    fn merge(&self, a: i128, b: i128) -> i128 {
        a + b
    }
}

/// Count, mean and sum of squared deviations from the mean (`m2`) of a run of elements.
#[derive(Clone, Copy, Debug)]
pub struct Moments<A> {
    pub n: f64,
    pub mean: A,
    pub m2: A,
}

/// What var/std need, in one pass over memory. A leaf (cache-resident) is reduced in two
/// passes of its own, its sum and then its centred squares, and leaves and rows merge by the
/// formula of Chan, Golub and LeVeque, so the result is as accurate as NumPy's two-pass
/// algorithm without reading the input twice. `f(element, output)` gives the value to use:
/// the caller subtracts one element of the output from all of them (variance does not change
/// under a shift), so means stay small and block means exact enough to merge. `SKIP_NAN`
/// leaves NaNs out (nanvar/nanstd).
pub struct MomentsOf<A, F, const SKIP_NAN: bool> {
    f: F,
    _a: PhantomData<fn() -> A>,
}

impl<A, F, const SKIP_NAN: bool> MomentsOf<A, F, SKIP_NAN> {
    pub fn new(f: F) -> Self {
        MomentsOf { f, _a: PhantomData }
    }
}

impl<A: num_traits::Float> Moments<A> {
    pub fn empty() -> Self {
        Moments {
            n: 0.0,
            mean: A::zero(),
            m2: A::zero(),
        }
    }
}

impl<T, A, F, const SKIP_NAN: bool> Reduce<T> for MomentsOf<A, F, SKIP_NAN>
where
    T: Copy + PartialEq,
    A: num_traits::Float + Send + Sync + CastTo<f64>,
    f64: CastTo<A>,
    F: Fn(T, usize) -> A + Sync,
{
    type Acc = Moments<A>;
    const LEAF: usize = MOMENT_LEAF;

    #[inline(always)]
    fn leaf(&self, x: &[T], _pos: usize, out: usize) -> Moments<A> {
        let (zero, add) = (A::zero(), |a: A, b: A| a + b);
        let skip = |v: T| SKIP_NAN && is_nan(v);
        let value = |v: T| if skip(v) { zero } else { (self.f)(v, out) };
        let sum = fold_lanes(stripes(x, zero, value, add), add);
        let n = if SKIP_NAN {
            let one = |v: T| if skip(v) { zero } else { A::one() };
            CastTo::<f64>::cast(fold_lanes(stripes(x, zero, one, add), add))
        } else {
            x.len() as f64
        };
        if n == 0.0 {
            return Moments::empty();
        }
        let mean = sum / CastTo::<A>::cast(n);
        let square = |v: T| {
            let d = (self.f)(v, out) - mean;
            if skip(v) {
                zero
            } else {
                d * d
            }
        };
        let m2 = fold_lanes(stripes(x, zero, square, add), add);
        Moments { n, mean, m2 }
    }

    #[inline(always)]
    fn unit(&self, x: T, _pos: usize, out: usize) -> Moments<A> {
        if SKIP_NAN && is_nan(x) {
            return Moments::empty();
        }
        Moments {
            n: 1.0,
            mean: (self.f)(x, out),
            m2: A::zero(),
        }
    }

    #[inline(always)]
    fn merge(&self, a: Moments<A>, b: Moments<A>) -> Moments<A> {
        if b.n == 0.0 {
            return a;
        }
        if a.n == 0.0 {
            return b;
        }
        let n = a.n + b.n;
        let d = b.mean - a.mean;
        let (wb, wab): (A, A) = ((b.n / n).cast(), (a.n * b.n / n).cast());
        Moments {
            n,
            mean: a.mean + d * wb,
            m2: a.m2 + b.m2 + d * d * wab,
        }
    }

    /// Welford's update, row by row (the default merges unit accumulators instead).
    #[inline(always)]
    fn fold4(&self, acc: &mut [Moments<A>], rows: [&[T]; 4], pos: usize, out: usize) {
        for (k, row) in rows.into_iter().enumerate() {
            self.fold(acc, row, pos + k, out);
        }
    }

    /// Welford's update per column (rows of an axis-0 reduction).
    #[inline(always)]
    fn fold(&self, acc: &mut [Moments<A>], row: &[T], _pos: usize, out: usize) {
        for (j, (a, &x)) in acc.iter_mut().zip(row).enumerate() {
            if SKIP_NAN && is_nan(x) {
                continue;
            }
            let v = (self.f)(x, out + j);
            a.n += 1.0;
            let d = v - a.mean;
            a.mean = a.mean + d / CastTo::<A>::cast(a.n);
            a.m2 = a.m2 + d * (v - a.mean);
        }
    }
}

/// `a` unless `b` wins: max/min with NaN propagating (`SKIP_NAN`: NaN ignored unless all NaN,
/// as `fmax`/`fmin`). Ties keep `a`.
#[inline(always)]
fn pick<T: PartialOrd + Copy, const MAX: bool, const SKIP_NAN: bool>(a: T, b: T) -> T {
    let keep = if MAX { a >= b } else { a <= b };
    let keep = if SKIP_NAN {
        keep || is_nan(b)
    } else {
        keep || is_nan(a)
    };
    if keep {
        a
    } else {
        b
    }
}

/// min/max (`MAX`), NaN propagating or skipped (`SKIP_NAN`, NaN only when all are NaN).
pub struct Extreme<const MAX: bool, const SKIP_NAN: bool>;

impl<T: PartialOrd + Copy + Send + Sync, const MAX: bool, const SKIP_NAN: bool> Reduce<T>
    for Extreme<MAX, SKIP_NAN>
{
    type Acc = T;
    const LEAF: usize = EXACT_LEAF;

    #[inline(always)]
    fn leaf(&self, x: &[T], _pos: usize, _out: usize) -> T {
        extreme_of::<T, MAX, SKIP_NAN>(x)
    }
    #[inline(always)]
    fn unit(&self, x: T, _pos: usize, _out: usize) -> T {
        x
    }
    #[inline(always)]
    fn merge(&self, a: T, b: T) -> T {
        pick::<T, MAX, SKIP_NAN>(a, b)
    }
}

/// Vectorised extreme of a non-empty slice (striped, so LLVM keeps the stripes in registers).
#[inline(always)]
fn extreme_of<T: PartialOrd + Copy, const MAX: bool, const SKIP_NAN: bool>(x: &[T]) -> T {
    let pick = pick::<T, MAX, SKIP_NAN>;
    fold_lanes(stripes(x, x[0], |v| v, pick), pick)
}

/// argmax/argmin (`MAX`): the first position of the extreme, or of the first NaN. With
/// `nan_as`, NaN compares as that value instead (nanargmax: -inf).
pub struct ArgExtreme<T, const MAX: bool> {
    pub nan_as: Option<T>,
}

/// True when `x` beats the current best `cur` (strictly, so ties keep the first).
#[inline(always)]
fn beats<T: PartialOrd, const MAX: bool>(x: T, cur: T) -> bool {
    let better = if MAX { x > cur } else { x < cur };
    better || (is_nan(x) && !is_nan(cur))
}

/// Position of the first element of `x` for which `hit` holds (there is one): chunks are
/// tested branch-free (vectorised), and only the chunk that hits is searched element-wise.
#[inline(always)]
fn first_where<T: Copy>(x: &[T], hit: impl Fn(T) -> bool) -> usize {
    let mut chunks = x.chunks_exact(STRIPES);
    for (k, c) in (&mut chunks).enumerate() {
        if c.iter().fold(false, |h, &v| h | hit(v)) {
            return k * STRIPES + c.iter().position(|&v| hit(v)).unwrap_or(0);
        }
    }
    let rest = x.len() - chunks.remainder().len();
    rest + chunks.remainder().iter().position(|&v| hit(v)).unwrap_or(0)
}

/// The extreme of `map(x)` over a non-empty slice and the first position holding it. Blocks
/// of `ARG_BLOCK` elements are reduced by the vectorised scan `max` uses; the first block
/// whose extreme beats the earlier ones (or holds a NaN, which wins, so the scan stops there)
/// is then searched for the position, while it is still in L1. One pass over memory plus one
/// block per leaf, instead of two passes.
#[inline(always)]
fn arg_extreme_of<T: PartialOrd + Copy, const MAX: bool>(
    x: &[T],
    map: impl Fn(T) -> T + Copy,
) -> (T, usize) {
    let pick = pick::<T, MAX, false>;
    let (mut m, mut at) = (map(x[0]), 0);
    for (b, c) in x.chunks(ARG_BLOCK).enumerate() {
        let e = fold_lanes(stripes(c, map(c[0]), map, pick), pick);
        if b == 0 || beats::<T, MAX>(e, m) {
            (m, at) = (e, b * ARG_BLOCK);
        }
        if is_nan(e) {
            break;
        }
    }
    let c = &x[at..x.len().min(at + ARG_BLOCK)];
    let i = if is_nan(m) {
        first_where(c, |v| is_nan(map(v)))
    } else {
        first_where(c, |v| map(v) == m)
    };
    (m, at + i)
}

impl<T: PartialOrd + Copy + Send + Sync, const MAX: bool> Reduce<T> for ArgExtreme<T, MAX> {
    type Acc = (T, usize);
    /// Long leaves: only one `ARG_BLOCK` of each leaf is searched again for the position.
    const LEAF: usize = 16 * ARG_BLOCK;

    #[inline(always)]
    fn leaf(&self, x: &[T], pos: usize, _out: usize) -> (T, usize) {
        let (v, i) = match self.nan_as {
            None => arg_extreme_of::<T, MAX>(x, |v| v),
            // NaN compares as `r` (nanargmax: -inf), selected branch-free in the scans.
            Some(r) => arg_extreme_of::<T, MAX>(x, |v| if is_nan(v) { r } else { v }),
        };
        (v, pos + i)
    }
    #[inline(always)]
    fn unit(&self, x: T, pos: usize, _out: usize) -> (T, usize) {
        match self.nan_as {
            Some(r) if is_nan(x) => (r, pos),
            _ => (x, pos),
        }
    }
    #[inline(always)]
    fn merge(&self, a: (T, usize), b: (T, usize)) -> (T, usize) {
        if beats::<T, MAX>(b.0, a.0) {
            b
        } else {
            a
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn leaf_avx2<T: Copy, R: Reduce<T>>(r: &R, x: &[T], pos: usize, out: usize) -> R::Acc {
    r.leaf(x, pos, out)
}

/// Folds rows `rows` (row `i` is `row(i)`) into `acc`, four at a time.
#[inline(always)]
fn fold_rows<'a, T: Copy + 'a, R: Reduce<T>>(
    r: &R,
    acc: &mut [R::Acc],
    rows: Range<usize>,
    row: &impl Fn(usize) -> &'a [T],
    out: usize,
) {
    let mut i = rows.start;
    while i + 4 <= rows.end {
        r.fold4(acc, [row(i), row(i + 1), row(i + 2), row(i + 3)], i, out);
        i += 4;
    }
    for i in i..rows.end {
        r.fold(acc, row(i), i, out);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn fold_avx2<'a, T: Copy + 'a, R: Reduce<T>>(
    r: &R,
    acc: &mut [R::Acc],
    rows: Range<usize>,
    row: &impl Fn(usize) -> &'a [T],
    out: usize,
) {
    fold_rows(r, acc, rows, row, out)
}

/// `r.leaf`, compiled for AVX2+FMA when the CPU has it (AVX-512 machines use the AVX2 build:
/// these loops are bound by memory bandwidth).
#[inline(always)]
fn leaf_isa<T: Copy, R: Reduce<T>>(r: &R, x: &[T], pos: usize, out: usize, isa: Isa) -> R::Acc {
    #[cfg(target_arch = "x86_64")]
    if isa != Isa::Base {
        // SAFETY: `isa()` detected AVX2 and FMA on this CPU.
        return unsafe { leaf_avx2(r, x, pos, out) };
    }
    let _ = isa;
    r.leaf(x, pos, out)
}

/// `fold_rows`, compiled for AVX2+FMA when the CPU has it.
#[inline(always)]
fn fold_isa<'a, T: Copy + 'a, R: Reduce<T>>(
    r: &R,
    acc: &mut [R::Acc],
    rows: Range<usize>,
    row: &impl Fn(usize) -> &'a [T],
    out: usize,
    isa: Isa,
) {
    #[cfg(target_arch = "x86_64")]
    if isa != Isa::Base {
        // SAFETY: `isa()` detected AVX2 and FMA on this CPU.
        return unsafe { fold_avx2(r, acc, rows, row, out) };
    }
    let _ = isa;
    fold_rows(r, acc, rows, row, out)
}

/// Length of the left child of a tree node of `len` elements (None for a leaf): half its
/// leaves, rounded down. Depends only on `len`, never on how the work is split.
#[inline]
fn split(len: usize, leaf: usize) -> Option<usize> {
    (len > leaf).then(|| len.div_ceil(leaf) / 2 * leaf)
}

fn tree_seq<A>(
    lo: usize,
    len: usize,
    leaf_len: usize,
    leaf: &impl Fn(usize, usize) -> A,
    merge: &impl Fn(A, A) -> A,
) -> A {
    match split(len, leaf_len) {
        None => leaf(lo, len),
        Some(l) => {
            let a = tree_seq(lo, l, leaf_len, leaf, merge);
            let b = tree_seq(lo + l, len - l, leaf_len, leaf, merge);
            merge(a, b)
        }
    }
}

/// The nodes `depth` levels below the root (leaves above that level stay whole), in order.
fn collect(lo: usize, len: usize, depth: u32, leaf_len: usize, nodes: &mut Vec<(usize, usize)>) {
    match split(len, leaf_len) {
        Some(l) if depth > 0 => {
            collect(lo, l, depth - 1, leaf_len, nodes);
            collect(lo + l, len - l, depth - 1, leaf_len, nodes);
        }
        _ => nodes.push((lo, len)),
    }
}

/// Merges the parts `collect` produced, in the tree's order; None if a part is missing.
fn combine<A>(
    len: usize,
    depth: u32,
    leaf_len: usize,
    parts: &mut impl Iterator<Item = Option<A>>,
    merge: &impl Fn(A, A) -> A,
) -> Option<A> {
    match split(len, leaf_len) {
        Some(l) if depth > 0 => {
            let a = combine(l, depth - 1, leaf_len, parts, merge);
            let b = combine(len - l, depth - 1, leaf_len, parts, merge);
            Some(merge(a?, b?))
        }
        _ => parts.next().flatten(),
    }
}

/// Reduces positions `0..len` (len >= 1) through the fixed tree; with `tasks >= 2` the nodes
/// of the level with about that many nodes are computed on the pool. Same result either way.
fn tree<A: Send + Sync>(
    len: usize,
    leaf_len: usize,
    tasks: usize,
    leaf: &(impl Fn(usize, usize) -> A + Sync),
    merge: &(impl Fn(A, A) -> A + Sync),
) -> Result<A> {
    if tasks < 2 || len <= leaf_len {
        return Ok(tree_seq(0, len, leaf_len, leaf, merge));
    }
    let depth = usize::BITS - (tasks - 1).leading_zeros();
    let mut nodes = Vec::new();
    collect(0, len, depth, leaf_len, &mut nodes);
    let parts: Vec<OnceLock<A>> = nodes.iter().map(|_| OnceLock::new()).collect();
    exec::for_each_index(nodes.len(), |i| {
        let (lo, n) = nodes[i];
        let _ = parts[i].set(tree_seq(lo, n, leaf_len, leaf, merge));
    });
    // A part is missing only when the job was cancelled midway.
    let mut parts = parts.into_iter().map(OnceLock::into_inner);
    combine(len, depth, leaf_len, &mut parts, merge).ok_or(Error::Cancelled)
}

/// Byte offset of the C-order flat index `i` over `shape` with byte `strides`.
#[inline]
fn offset_of(mut i: usize, shape: &[usize], strides: &[isize]) -> isize {
    let mut off = 0;
    for (&n, &s) in shape.iter().zip(strides).rev() {
        off += (i % n) as isize * s;
        i /= n;
    }
    off
}

/// How a reduction walks its input: kept dimensions (outputs, C order) and reduced dimensions
/// (byte strides), coalesced, from a validated array it keeps alive.
pub struct Geometry {
    array: NdArray,
    /// Byte offset of the walk's origin from `array.data_ptr()` (flipped reduced axes).
    start: isize,
    kshape: Vec<usize>,
    kstrides: Vec<isize>,
    rshape: Vec<usize>,
    rstrides: Vec<isize>,
}

impl Geometry {
    /// The walk reducing `axes` (distinct, in range) of `x`. `ordered` keeps the reduced
    /// positions in C order (argmax); otherwise they follow memory order. Layouts that are
    /// neither inner nor outer walks (or misaligned) are copied into the inner layout first.
    pub fn new(x: &NdArray, axes: &[usize], ordered: bool) -> Result<Geometry> {
        let isz = x.itemsize() as isize;
        let (mut ks, mut kst, mut rs, mut rst) = (vec![], vec![], vec![], vec![]);
        for d in 0..x.ndim() {
            let (shape, strides) = if axes.contains(&d) {
                (&mut rs, &mut rst)
            } else {
                (&mut ks, &mut kst)
            };
            shape.push(x.shape()[d]);
            strides.push(x.strides()[d]);
        }
        let mut start = 0isize;
        if !ordered && x.size() > 0 {
            // Memory order: positive strides, largest first, so runs coalesce.
            for (&n, s) in rs.iter().zip(rst.iter_mut()) {
                if *s < 0 {
                    start += (n as isize - 1) * *s;
                    *s = -*s;
                }
            }
            let mut dims: Vec<(usize, isize)> = rs.iter().copied().zip(rst.clone()).collect();
            dims.sort_by_key(|&(_, s)| std::cmp::Reverse(s));
            (rs, rst) = dims.into_iter().unzip();
        }
        let (rshape, [rstrides]) = coalesce(&rs, [&rst]);
        let (kshape, [kstrides]) = coalesce(&ks, [&kst]);
        let aligned = x.is_aligned() && x.strides().iter().all(|s| s % isz == 0);
        let inner = rshape.is_empty() || (rshape.len() == 1 && rstrides[0] == isz);
        let outer = kstrides.last() == Some(&isz);
        if aligned && (inner || outer) {
            return Ok(Geometry {
                array: x.clone(),
                start,
                kshape,
                kstrides,
                rshape,
                rstrides,
            });
        }
        // Copy kept-then-reduced (C order within each), which is an inner walk.
        let kept: Vec<usize> = (0..x.ndim()).filter(|d| !axes.contains(d)).collect();
        let mut reduced = axes.to_vec();
        reduced.sort_unstable();
        let order: Vec<isize> = kept.iter().chain(&reduced).map(|&d| d as isize).collect();
        let c = x.transpose(Some(&order))?.copy()?;
        let k = kept.len();
        let (kshape, [kstrides]) = coalesce(&c.shape()[..k], [&c.strides()[..k]]);
        let (rshape, [rstrides]) = coalesce(&c.shape()[k..], [&c.strides()[k..]]);
        Ok(Geometry {
            array: c,
            start: 0,
            kshape,
            kstrides,
            rshape,
            rstrides,
        })
    }

    /// Number of outputs.
    pub fn outputs(&self) -> usize {
        self.kshape.iter().product()
    }

    /// Number of elements reduced into each output.
    pub fn len(&self) -> usize {
        self.rshape.iter().product()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn is_inner(&self) -> bool {
        let isz = self.array.itemsize() as isize;
        self.rshape.is_empty() || (self.rshape.len() == 1 && self.rstrides[0] == isz)
    }

    fn origin(&self) -> *const u8 {
        // SAFETY: `start` moves to the first element of flipped axes, inside the array.
        unsafe { self.array.data_ptr().offset(self.start) }
    }
}

/// A pointer that crosses threads: the array it points into is kept alive by the `Geometry`
/// and only read.
#[derive(Clone, Copy)]
struct ReadPtr(*const u8);
// SAFETY: see the type's comment.
unsafe impl Send for ReadPtr {}
unsafe impl Sync for ReadPtr {}
impl ReadPtr {
    #[inline(always)]
    fn get(self) -> *const u8 {
        self.0
    }
}

/// Runs `task(t, tasks_inside)` for `t` in `0..n` and collects the results in order: on the
/// pool, one task per index, when there are enough tasks; otherwise one after another, each
/// told how many pool tasks its own tree should use.
fn run_tasks<V: Send + Sync>(
    n: usize,
    work_per_task: usize,
    task: impl Fn(usize, usize) -> Result<V> + Sync,
) -> Result<Vec<V>> {
    let total = n.saturating_mul(work_per_task);
    let threads = exec::num_threads();
    if total < PAR_MIN || threads == 1 {
        return (0..n).map(|t| task(t, 0)).collect();
    }
    if n >= 2 * threads {
        let slots: Vec<OnceLock<Result<V>>> = (0..n).map(|_| OnceLock::new()).collect();
        exec::for_each_index(n, |t| {
            let _ = slots[t].set(task(t, 0));
        });
        return slots
            .into_iter()
            .map(|s| s.into_inner().unwrap_or(Err(Error::Cancelled)))
            .collect();
    }
    (0..n).map(|t| task(t, work_per_task / TASK)).collect()
}

/// Reduces every output of `g` with `r`; `g`'s array must have dtype `T` and `g.len() >= 1`.
/// Returns one accumulator per output, in C order.
pub fn reduce<T: Element, R: Reduce<T>>(g: &Geometry, r: &R) -> Result<Vec<R::Acc>> {
    assert_eq!(g.array.dtype(), T::DTYPE, "reduce: dtype mismatch");
    assert!(!g.is_empty(), "reduce: nothing to reduce");
    let (m, n) = (g.outputs(), g.len());
    if m == 0 {
        return Ok(vec![]);
    }
    let isa = isa();
    let origin = ReadPtr(g.origin());
    let merge = |a, b| r.merge(a, b);
    if g.is_inner() {
        // Outputs in groups of about TASK elements; each output is one contiguous run.
        let per = (TASK / n).max(1);
        let groups = run_tasks(m.div_ceil(per), per * n, |t, tasks| {
            (t * per..m.min((t + 1) * per))
                .map(|o| {
                    let p = origin
                        .get()
                        .wrapping_offset(offset_of(o, &g.kshape, &g.kstrides));
                    // SAFETY: an inner walk: output `o`'s n elements are contiguous and
                    // aligned from `p`, inside the validated array.
                    let x = unsafe { std::slice::from_raw_parts(p as *const T, n) };
                    let leaf = |lo, len| leaf_isa(r, &x[lo..lo + len], lo, o, isa);
                    tree(n, R::LEAF, tasks, &leaf, &merge)
                })
                .collect::<Result<Vec<_>>>()
        })?;
        return Ok(groups.into_iter().flatten().collect());
    }
    // Outer walk: the last kept dimension is contiguous; rows are the reduced positions.
    let k = g.kshape.len();
    let (w, isz) = (g.kshape[k - 1], size_of::<T>() as isize);
    let cols = (ACC_ROW_BYTES / size_of::<R::Acc>().max(1)).max(64);
    let blocks = w.div_ceil(cols);
    let parts = run_tasks((m / w) * blocks, cols.min(w) * n, |t, tasks| {
        let (o, b) = (t / blocks, t % blocks);
        let (c0, c1) = (b * cols, w.min((b + 1) * cols));
        let out0 = o * w + c0;
        let base = offset_of(o, &g.kshape[..k - 1], &g.kstrides[..k - 1]) + c0 as isize * isz;
        let row = |i: usize| {
            let p = origin
                .get()
                .wrapping_offset(base + offset_of(i, &g.rshape, &g.rstrides));
            // SAFETY: columns c0..c1 of row i are contiguous, aligned and inside the array.
            unsafe { std::slice::from_raw_parts(p as *const T, c1 - c0) }
        };
        let leaf = |lo: usize, len: usize| {
            let mut acc: Vec<R::Acc> = row(lo)
                .iter()
                .enumerate()
                .map(|(j, &x)| r.unit(x, lo, out0 + j))
                .collect();
            fold_isa(r, &mut acc, lo + 1..lo + len, &row, out0, isa);
            acc
        };
        let merge_rows = |mut a: Vec<R::Acc>, b: Vec<R::Acc>| {
            for (x, y) in a.iter_mut().zip(b) {
                *x = r.merge(*x, y);
            }
            a
        };
        tree(n, BLOCK, tasks, &leaf, &merge_rows)
    })?;
    Ok(parts.into_iter().flatten().collect())
}

/// In-place running `op` along the middle axis of a C-contiguous `(outer, n, inner)` block
/// of `T` (cumsum/cumprod). Rows of `inner` elements are combined elementwise (vectorised);
/// outer blocks run in parallel when large.
///
/// # Safety
/// `data` addresses `outer * n * inner` aligned elements of `T` that nobody else accesses.
pub unsafe fn accumulate<T: Element>(
    data: *mut T,
    [outer, n, inner]: [usize; 3],
    op: impl Fn(T, T) -> T + Sync,
) {
    let p = ReadPtr(data as *const u8);
    let one = |o: usize| {
        // SAFETY: block `o` is a disjoint part of the caller's exclusive buffer.
        let s = unsafe {
            std::slice::from_raw_parts_mut((p.get() as *mut T).add(o * n * inner), n * inner)
        };
        if inner == 1 {
            for i in 1..n {
                s[i] = op(s[i - 1], s[i]);
            }
        } else {
            for i in 1..n {
                let (prev, cur) = s[(i - 1) * inner..(i + 1) * inner].split_at_mut(inner);
                for (c, &p) in cur.iter_mut().zip(prev.iter()) {
                    *c = op(p, *c);
                }
            }
        }
    };
    if outer * n * inner >= PAR_MIN && outer > 1 && exec::num_threads() > 1 {
        exec::for_each_index(outer, one);
    } else {
        (0..outer).for_each(one);
    }
}

/// Element arithmetic of running sums and products (cumsum/cumprod): wrapping for integers,
/// or/and for bool, float16 rounded after every step as NumPy's float16 loop does.
pub trait Running: Element {
    fn add(a: Self, b: Self) -> Self;
    fn mul(a: Self, b: Self) -> Self;
}

macro_rules! running_int {
    ($($t:ty),*) => {$(
        impl Running for $t {
            #[inline(always)]
            fn add(a: Self, b: Self) -> Self { a.wrapping_add(b) }
            #[inline(always)]
            fn mul(a: Self, b: Self) -> Self { a.wrapping_mul(b) }
        }
    )*};
}
running_int!(i8, i16, i32, i64, u8, u16, u32, u64);

macro_rules! running_float {
    ($($t:ty),*) => {$(
        impl Running for $t {
            #[inline(always)]
            fn add(a: Self, b: Self) -> Self { a + b }
            #[inline(always)]
            fn mul(a: Self, b: Self) -> Self { a * b }
        }
    )*};
}
running_float!(f32, f64, half::f16);

impl Running for bool {
    #[inline(always)]
    fn add(a: Self, b: Self) -> Self {
        a | b
    }
    #[inline(always)]
    fn mul(a: Self, b: Self) -> Self {
        a & b
    }
}
