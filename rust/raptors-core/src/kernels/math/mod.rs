//! Vectorisable transcendental functions for f32 and f64 slices.
//!
//! [`apply_f64`] / [`apply_f32`] compute `exp`, `log`, `sin`, `cos`, `tanh`, `expm1` or
//! `log1p` element-wise, within 4 ulp of the correctly rounded result over the whole input
//! range, with IEEE special values (±0, ±inf, NaN, subnormals) handled exactly. Measured
//! against mpmath: f64 at most 2.3 ulp (tanh, 2.1 on the test samples; exp, log, expm1,
//! log1p 1.0-1.3, sin/cos 1.25 with FMA, 1.6 without). f32 (exhaustively, against the f64
//! functions; `exhaustive_f32` in the tests): at most 1.71 ulp; with FMA sin/cos 1.59 (they
//! compute in single precision up to |x| = 2^20), tanh 1.31 (1.38 on the AVX-512 path),
//! log1p 1.5 (1.70 on the AVX-512 path), expm1 1.19 (1.51), log 0.95 (1.21), exp 1.03 (0.76);
//! without FMA sin/cos/tanh compute in f64 (0.5, 0.55 ulp).
//!
//! How:
//! * each function is a straight-line, branch-free per-element routine (range reduction,
//!   polynomial, reconstruction; special cases through selects), so the slice loops are
//!   auto-vectorised by LLVM. No lookup tables, hence no gathers (the AVX-512 kernels below
//!   keep their 16-entry tables in registers).
//! * the loops are compiled three times (portable, AVX2+FMA, AVX-512) and the best one for
//!   the running CPU is chosen once at run time (`dispatch`).
//! * on the AVX-512 path, `exp`, `log`, `log1p` and `expm1` of both widths and f32 `tanh`
//!   are written with intrinsics instead
//!   (`avx512`), around table lookups in registers (`vpermi2pd`, `vpermps`: no gather):
//!   - f64 `exp`: a 16-entry table of `2^(j/16)` shortens the polynomial from degree 11 to
//!     6, and `vscalefpd` applies `2^n` with overflow, underflow and subnormal rounding
//!     built in, so no clamped split scaling and no second pass over special values: 0.42
//!     instead of 0.61 ns per element on one Zen 4 core, 1.02 ulp against mpmath.
//!   - f32 `tanh`: sixteen bins of |x|, four per octave of `|x| + 0.625` (read from its
//!     float bits: narrow where tanh bends, wide where it is flat), one degree-5 polynomial
//!     each around the bin's centre (seven tables of sixteen entries), instead of a
//!     polynomial plus an exponential and a division: 0.22 instead of 0.39 ns per element,
//!     1.38 ulp (exhaustive).
//!   - `log` and `log1p`, f32 and f64: `log(2^k z) = k ln2 + log(c) + log1p(z/c - 1)` with
//!     `1/c` and `log(c)` from 16-entry tables (chosen so that `log(c)` rounds almost
//!     exactly), so no division and a polynomial on |r| <= 0.03 (degree 3 in f32, 7 in
//!     f64); special lanes take a cold masked path. ns per element, generic -> table: f32
//!     `log` 0.234 -> 0.185, `log1p` 0.36 -> 0.26; f64 `log` 0.60 -> 0.50, `log1p` 0.85 ->
//!     0.645. Exhaustively (f32): `log` 1.21 ulp, `log1p` 1.70.
//!   - f32 `expm1`: the table of `2^(j/16)` split as `T_HI + T_LO` with a 12-bit `T_HI`, so
//!     `2^n T_HI - 1` is exact and there is no cancellation near 0: 0.285 -> 0.230 ns, 1.51
//!     ulp (exhaustive). f32 `exp` shares its reduction and table, scaled by `vscalefps`:
//!     0.26 -> 0.20 ns, 0.76 ulp. f64 `expm1` does the same with a 28-bit `T_HI` and a
//!     degree-7 polynomial: 0.72 -> 0.60 ns, 1.24 ulp on the test samples.
//! * f32 functions compute in single precision where that is accurate enough (twice the
//!   lanes of f64); f32 sin, cos and tanh do so only with FMA, on which their error-free
//!   steps rely, and otherwise compute in f64 and round once.
//! * sin/cos of large arguments are recomputed in a fix-up pass over the (rare) blocks that
//!   contain them, so the main loop stays vectorised: f64 beyond 2^27 by an exact scalar
//!   Payne-Hanek reduction; f32 beyond 2^20 first by the f64-based vector kernel (valid to
//!   2^27) for the whole block and beyond 2^27 by Payne-Hanek. log does the same for inputs
//!   that are not positive normal numbers (0, subnormals, negatives, inf, NaN).
//! * `exp` (f64), `expm1` and `log1p` run a lean kernel on blocks whose inputs are all in
//!   its range and the full one on the other blocks; both give the same bits wherever the
//!   lean one applies (`dispatch::map_choose`).
//!
//! One file per family: `exp` (exp, expm1), `log` (log, log1p), `trig` + `trig_huge`
//! (sin, cos), `tanh`, and `avx512` for the AVX-512 kernels above (`log`, `log1p`, `expm1`
//! and the f32 `exp` written once over a `Vector` trait of `__m512` / `__m512d`, their
//! tables in `avx512/consts.rs`); `flavour` instantiates every generic kernel with or
//! without fused multiply-add. Polynomial coefficients come from mpmath (Remez exchange, or
//! reweighted least squares); each table says which approximation it is and its error.
//! `scripts/mathfit/` regenerates `EXPM1_P`, `EXPM1_P10`, `EXP16_P`, the `EXP16_*` /
//! `EXPM1_16_*` tables, `TANH_C` / `TANH_P` and the `LOG16_*` tables.

#[cfg(target_arch = "x86_64")]
mod avx512;
mod dispatch;
mod exp;
mod flavour;
mod log;
mod tanh;
mod trig;
mod trig_huge;

#[cfg(test)]
mod tests;

/// An element-wise transcendental function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MathOp {
    /// e^x
    Exp,
    /// Natural logarithm.
    Log,
    /// Sine (radians).
    Sin,
    /// Cosine (radians).
    Cos,
    /// Hyperbolic tangent.
    Tanh,
    /// e^x - 1, accurate near 0.
    Expm1,
    /// ln(1 + x), accurate near 0.
    Log1p,
}

/// `dst[i] = op(src[i])`. Panics if `src.len() != dst.len()`. Chooses the best code path
/// (AVX-512, AVX2+FMA or portable) at run time.
pub fn apply_f32(op: MathOp, src: &[f32], dst: &mut [f32]) {
    dispatch::apply_f32_on(dispatch::best_path(), op, src, dst)
}

/// `dst[i] = op(src[i])`. Panics if `src.len() != dst.len()`. Chooses the best code path
/// (AVX-512, AVX2+FMA or portable) at run time.
pub fn apply_f64(op: MathOp, src: &[f64], dst: &mut [f64]) {
    dispatch::apply_f64_on(dispatch::best_path(), op, src, dst)
}
