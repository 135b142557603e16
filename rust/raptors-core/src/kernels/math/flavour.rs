//! "Flavours" of floating-point arithmetic the kernels are instantiated with.
//!
//! Every kernel is written once, generic over [`Flavour`], and uses [`Flavour::mla`] /
//! [`Flavour::mla32`] for its multiply-adds. [`Fused`] maps them to `mul_add` (a single
//! `vfmadd` when the caller is compiled with the `fma` target feature), [`Unfused`] to a
//! separate multiply and add. `mul_add` must only be used where FMA hardware is known to be
//! enabled: without it, LLVM lowers it to a (correct but very slow, non-vectorised) libm call.
//!
//! The kernels are designed so that both flavours meet the accuracy target: every product
//! whose exactness matters is made exact by construction (split constants with trailing zero
//! bits). Fusing removes some harmless roundings, and in the f64 `sin`/`cos` it also makes a
//! few `fma(a, b, -a*b)` error terms exact (with `Unfused` those are exactly 0, so the
//! result is merely less accurate: ~1.6 instead of ~1.2 ulp). The exceptions are the
//! single-precision f32 `sin`, `cos` and `tanh`, which need exact FMA steps (products with
//! full 24-bit constants, division remainders) and are only used with [`Fused`]; the
//! `Unfused` instantiations compute those three in f64 instead (`F::FUSED` selects).

/// Multiply-add strategy of a kernel instantiation.
pub(crate) trait Flavour {
    /// Whether [`Flavour::mla`] is fused (so `mla(a, b, -a*b)` is the exact product error).
    const FUSED: bool;
    /// `a * b + c`, fused or not.
    fn mla(a: f64, b: f64, c: f64) -> f64;
    /// `a * b + c` in single precision, fused or not.
    fn mla32(a: f32, b: f32, c: f32) -> f32;
}

/// Multiply-adds as single fused operations; only for code compiled with FMA enabled.
pub(crate) struct Fused;

/// Multiply-adds as a multiply then an add (two roundings); usable everywhere.
pub(crate) struct Unfused;

impl Flavour for Fused {
    const FUSED: bool = true;
    #[inline(always)]
    fn mla(a: f64, b: f64, c: f64) -> f64 {
        a.mul_add(b, c)
    }
    #[inline(always)]
    fn mla32(a: f32, b: f32, c: f32) -> f32 {
        a.mul_add(b, c)
    }
}

impl Flavour for Unfused {
    const FUSED: bool = false;
    #[inline(always)]
    fn mla(a: f64, b: f64, c: f64) -> f64 {
        a * b + c
    }
    #[inline(always)]
    fn mla32(a: f32, b: f32, c: f32) -> f32 {
        a * b + c
    }
}

/// Flavour of the portable path: fused only where FMA is part of the compile-time target
/// (always on aarch64; on x86_64 only with e.g. `-C target-feature=+fma`).
#[cfg(any(target_arch = "aarch64", target_feature = "fma"))]
pub(crate) type Portable = Fused;
/// Flavour of the portable path: fused only where FMA is part of the compile-time target
/// (always on aarch64; on x86_64 only with e.g. `-C target-feature=+fma`).
#[cfg(not(any(target_arch = "aarch64", target_feature = "fma")))]
pub(crate) type Portable = Unfused;

/// Horner evaluation of `c[0] + c[1] x + ... + c[N-1] x^(N-1)`: `N - 1` multiply-adds and
/// nothing else, in one dependency chain. The slice loops are bound by throughput, not
/// latency (the out-of-order core overlaps the chains of neighbouring vectors), so this beats
/// [`estrin`] wherever the loop has enough independent work around it; which one a kernel
/// uses is measured (`examples/math_probe.rs`).
#[inline(always)]
pub(crate) fn horner<F: Flavour, const N: usize>(x: f64, c: &[f64; N]) -> f64 {
    let mut acc = c[N - 1];
    let mut i = N - 1;
    while i > 0 {
        i -= 1;
        acc = F::mla(acc, x, c[i]);
    }
    acc
}

/// Single-precision [`horner`].
#[inline(always)]
pub(crate) fn horner32<F: Flavour, const N: usize>(x: f32, c: &[f32; N]) -> f32 {
    let mut acc = c[N - 1];
    let mut i = N - 1;
    while i > 0 {
        i -= 1;
        acc = F::mla32(acc, x, c[i]);
    }
    acc
}

/// Estrin evaluation of `c[0] + c[1] x + ... + c[N-1] x^(N-1)`: pairs of coefficients are
/// combined with `x`, pairs of pairs with `x^2`, and so on. Same operation count as Horner
/// plus a few squarings, but a dependency chain of ~log2(N) multiply-adds instead of N,
/// which helps the out-of-order core overlap loop iterations. Fully unrolled after inlining.
#[inline(always)]
pub(crate) fn estrin<F: Flavour, const N: usize>(x: f64, c: &[f64; N]) -> f64 {
    let mut v = *c;
    let mut len = N;
    let mut p = x;
    while len > 1 {
        let half = len.div_ceil(2);
        let mut i = 0;
        while i < half {
            v[i] = if 2 * i + 1 < len {
                F::mla(v[2 * i + 1], p, v[2 * i])
            } else {
                v[2 * i]
            };
            i += 1;
        }
        len = half;
        p = p * p;
    }
    v[0]
}

/// Single-precision [`estrin`].
#[inline(always)]
pub(crate) fn estrin32<F: Flavour, const N: usize>(x: f32, c: &[f32; N]) -> f32 {
    let mut v = *c;
    let mut len = N;
    let mut p = x;
    while len > 1 {
        let half = len.div_ceil(2);
        let mut i = 0;
        while i < half {
            v[i] = if 2 * i + 1 < len {
                F::mla32(v[2 * i + 1], p, v[2 * i])
            } else {
                v[2 * i]
            };
            i += 1;
        }
        len = half;
        p = p * p;
    }
    v[0]
}
