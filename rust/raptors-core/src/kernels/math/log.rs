//! `log` and `log1p` for f64 and f32, table-free and branch-free.
//!
//! Reduction: `x = 2^k * m` with `m` in `[sqrt(1/2), sqrt(2))`, found with integer arithmetic
//! on the bit pattern (adding `1 - sqrt(1/2)`'s bit offset makes the exponent field roll over
//! exactly at `sqrt(2)`); `k` is turned into a float with the `2^52 + k` bit trick instead of
//! an int->float conversion (AVX2 has none for 64-bit lanes).
//!
//! `log` in the slice loops runs [`log_normal_f64`] (positive normal finite inputs only) and
//! flags the other elements (0, subnormal, negative, inf, NaN) for a scalar pass with
//! [`log_f64`], which handles everything through selects (subnormals are scaled by `2^54`,
//! `2^24` for f32): the selects cost a third of the loop's speed. `log1p` needs no scaling
//! and keeps its few selects in the loop.
//!
//! Kernel: with `f = m - 1` and `s = f / (2 + f)` (|s| <= 0.1716),
//! `log(1+f) = 2 atanh(s) = f - s (f - R(s^2))` where `R(z) = z Q(z)` approximates
//! `2 atanh(s)/s - 2` (because `f - 2s = s f`). The leading `f` is exact and added last.
//! Finally `log(x) = k*LN2_HI + (f - (s (f - R) - k*LN2_LO))`, where `k*LN2_HI` is exact.
//!
//! `log1p(x)`: `u = 1 + x` rounded, plus its exact rounding error `c` (two-sum); with
//! `u = 2^k m`, the true `1 + x = 2^k (m + c 2^-k)`, so the kernel runs on
//! `f = (m - 1) + c 2^-k`. For |x| small `k = 0` and `f` is exactly `x`.

use super::flavour::{estrin, estrin32, Flavour};

const LN2_HI: f64 = 0.6931471805598903; // 0x1.62e42fefa3800p-1 (42 bits)
const LN2_LO: f64 = 5.497923018708371e-14; // 0x1.ef35793c76730p-45
const LN2_HI_F32: f32 = 0.69314575; // 0x1.62e4p-1 (16 bits)
const LN2_LO_F32: f32 = 1.4286068e-6; // 0x1.7f7d1cp-20

const SQRT_HALF_BITS: u64 = 0x3fe6a09e667f3bcd;
const SQRT_HALF_BITS32: u32 = 0x3f3504f3;
const MANT: u64 = (1 << 52) - 1;
const MANT32: u32 = (1 << 23) - 1;
const TWO52: f64 = 4503599627370496.0;
const TWO23: f32 = 8388608.0;

/// `R(z)/z` with `R(z) = 2 atanh(s)/s - 2`, `z = s^2`, |s| <= 0.17158: minimax for the
/// error of `s R` relative to `log(1+f)`, degree 6, Remez exchange in mpmath (60 digits),
/// coefficients rounded one at a time with the rest re-optimised; max relative error 2^-59.5.
const LOG_Q: [f64; 7] = [
    0.6666666666666734,
    0.3999999999941695,
    0.2857142874192752,
    0.22222198616944067,
    0.18183562196834313,
    0.15314101878035563,
    0.1479546381713751,
];

/// Single-precision `R(z)/z` as for [`LOG_Q`], degree 2, coefficients rounded to f32;
/// max relative error 2^-30.2.
const LOG_Q_F32: [f32; 3] = [0.66666776, 0.39977586, 0.29870695];

/// `log(1+f) + k*ln2` for `f` in about `[sqrt(1/2) - 1, sqrt(2) - 1]`; `den` is `2 + f`
/// (callers with `f = m - 1` pass `m + 1`, which does not wait for `f`).
#[inline(always)]
fn log_kernel<F: Flavour>(f: f64, den: f64, k: f64) -> f64 {
    let s = f / den;
    let z = s * s;
    // t = f - R(z); log(1+f) = f - s t.
    let t = F::mla(-z, estrin::<F, 7>(z, &LOG_Q), f);
    // k*LN2_HI is exact and f is exact: round only (f - (s t - k LN2_LO)) and the final sum.
    let w = F::mla(s, t, -(k * LN2_LO));
    F::mla(k, LN2_HI, f - w)
}

#[inline(always)]
fn log_kernel32<F: Flavour>(f: f32, den: f32, k: f32) -> f32 {
    let s = f / den;
    let z = s * s;
    let t = F::mla32(-z, estrin32::<F, 3>(z, &LOG_Q_F32), f);
    let w = F::mla32(s, t, -(k * LN2_LO_F32));
    F::mla32(k, LN2_HI_F32, f - w)
}

/// Splits a positive normal `x` into `(k, m)` with `x = 2^(k - bias) m`, `m` in
/// `[sqrt(1/2), sqrt(2))`.
#[inline(always)]
fn split(x: f64, bias: f64) -> (f64, f64) {
    let u = x
        .to_bits()
        .wrapping_add(0x3ff0000000000000 - SQRT_HALF_BITS);
    // 2^52 + (biased exponent) as a double, minus the constants: k as a float, exactly.
    let k = f64::from_bits(0x4330000000000000 | (u >> 52)) - bias;
    let m = f64::from_bits((u & MANT).wrapping_add(SQRT_HALF_BITS));
    (k, m)
}

#[inline(always)]
fn split32(x: f32, bias: f32) -> (f32, f32) {
    let u = x.to_bits().wrapping_add(0x3f800000 - SQRT_HALF_BITS32);
    let k = f32::from_bits(0x4b000000 | (u >> 23)) - bias;
    let m = f32::from_bits((u & MANT32).wrapping_add(SQRT_HALF_BITS32));
    (k, m)
}

/// A word whose sign bit is set where [`log_normal_f64`] does not apply: zero, subnormal,
/// negative, inf or NaN. (Handling these in the main loop with selects costs about a third
/// of its speed, so the loops fix them up afterwards with the scalar [`log_f64`].)
#[inline(always)]
pub(crate) fn log_slow_flag_f64(x: f64) -> u64 {
    // Positive normal finite x has bits in [2^52, 2^63 - 2^52): then neither bits - 2^52 nor
    // bits + 2^52 reaches the sign bit; every other bit pattern sets it in one of them.
    let b = x.to_bits();
    b.wrapping_sub(1 << 52) | b.wrapping_add(1 << 52)
}

/// Natural logarithm for positive normal finite f64 (garbage otherwise).
#[inline(always)]
pub(crate) fn log_normal_f64<F: Flavour>(x: f64) -> f64 {
    let (k, m) = split(x, TWO52 + 1023.0);
    log_kernel::<F>(m - 1.0, m + 1.0, k)
}

/// Natural logarithm for any f64, special cases through selects. The slice loops use
/// [`log_normal_f64`] and call this only for the elements flagged by [`log_slow_flag_f64`].
#[inline(always)]
pub(crate) fn log_f64<F: Flavour>(x: f64) -> f64 {
    // Subnormals (and, harmlessly, zero and negatives) are scaled by 2^54.
    let tiny = x < f64::MIN_POSITIVE;
    let scale = if tiny { 18014398509481984.0 } else { 1.0 };
    let bias = if tiny {
        TWO52 + 1023.0 + 54.0
    } else {
        TWO52 + 1023.0
    };
    let (k, m) = split(x * scale, bias);
    let y = log_kernel::<F>(m - 1.0, m + 1.0, k);
    let y = if x == 0.0 { f64::NEG_INFINITY } else { y };
    let y = if x < 0.0 { f64::NAN } else { y };
    // +inf -> +inf, NaN -> NaN.
    if x < f64::INFINITY {
        y
    } else {
        x
    }
}

/// f32 counterpart of [`log_slow_flag_f64`].
#[inline(always)]
pub(crate) fn log_slow_flag_f32(x: f32) -> u32 {
    let b = x.to_bits();
    b.wrapping_sub(1 << 23) | b.wrapping_add(1 << 23)
}

/// Natural logarithm for positive normal finite f32 (garbage otherwise).
#[inline(always)]
pub(crate) fn log_normal_f32<F: Flavour>(x: f32) -> f32 {
    let (k, m) = split32(x, TWO23 + 127.0);
    log_kernel32::<F>(m - 1.0, m + 1.0, k)
}

/// Natural logarithm for any f32, special cases through selects; see [`log_f64`].
#[inline(always)]
pub(crate) fn log_f32<F: Flavour>(x: f32) -> f32 {
    let tiny = x < f32::MIN_POSITIVE;
    let scale = if tiny { 16777216.0 } else { 1.0 }; // 2^24
    let bias = if tiny {
        TWO23 + 127.0 + 24.0
    } else {
        TWO23 + 127.0
    };
    let (k, m) = split32(x * scale, bias);
    let y = log_kernel32::<F>(m - 1.0, m + 1.0, k);
    let y = if x == 0.0 { f32::NEG_INFINITY } else { y };
    let y = if x < 0.0 { f32::NAN } else { y };
    if x < f32::INFINITY {
        y
    } else {
        x
    }
}

/// `(m - 1, corr, k, u)` with `u = 1 + x` rounded, `u = 2^k m`, and `log1p(x) = log(m +
/// corr) + k ln2` while `u < 1e300` (beyond, `corr` is far below an ulp of the result, and
/// may be garbage).
#[inline(always)]
fn log1p_parts(x: f64) -> (f64, f64, f64, f64) {
    // u = 1 + x and its rounding error c (Knuth's two-sum, exact for any magnitudes).
    let u = 1.0 + x;
    let xv = u - 1.0;
    let c = (1.0 - (u - xv)) + (x - xv);
    let (k, m) = split(u, TWO52 + 1023.0);
    // 2^-k from the bits of m and u (u = 2^k m exactly); k <= 1023 keeps it a valid
    // (possibly zero) double.
    let inv_scale = f64::from_bits(
        0x3ff0000000000000u64
            .wrapping_add(m.to_bits())
            .wrapping_sub(u.to_bits()),
    );
    (m - 1.0, c * inv_scale, k, u)
}

/// Single-precision [`log1p_parts`] (`corr` valid while `u < 1e37`).
#[inline(always)]
fn log1p_parts32(x: f32) -> (f32, f32, f32, f32) {
    let u = 1.0 + x;
    let xv = u - 1.0;
    let c = (1.0 - (u - xv)) + (x - xv);
    let (k, m) = split32(u, TWO23 + 127.0);
    let inv_scale = f32::from_bits(
        0x3f800000u32
            .wrapping_add(m.to_bits())
            .wrapping_sub(u.to_bits()),
    );
    (m - 1.0, c * inv_scale, k, u)
}

/// A word whose sign bit is set where [`log1p_f64_fast`] does not apply: x <= -1, ±0,
/// x >= 1e300, inf, NaN.
#[inline(always)]
pub(crate) fn log1p_fast_flag_f64(x: f64) -> u64 {
    u64::from(!(x > -1.0 && x < 1e300 && x != 0.0)) << 63
}

/// A word whose sign bit is set where [`log1p_f32_fast`] does not apply: x <= -1, ±0,
/// x >= 1e37, inf, NaN.
#[inline(always)]
pub(crate) fn log1p_fast_flag_f32(x: f32) -> u32 {
    u32::from(!(x > -1.0 && x < 1e37 && x != 0.0)) << 31
}

/// `log(1 + x)` for -1 < x < 1e300, x != 0 (garbage otherwise): [`log1p_f64`] without its
/// selects for special values, bit for bit equal to it there.
#[inline(always)]
pub(crate) fn log1p_f64_fast<F: Flavour>(x: f64) -> f64 {
    let (m1, corr, k, _) = log1p_parts(x);
    let f = m1 + corr;
    log_kernel::<F>(f, 2.0 + f, k)
}

/// `log(1 + x)` for -1 < x < 1e37, x != 0 (garbage otherwise), bit for bit [`log1p_f32`].
#[inline(always)]
pub(crate) fn log1p_f32_fast<F: Flavour>(x: f32) -> f32 {
    let (m1, corr, k, _) = log1p_parts32(x);
    let f = m1 + corr;
    log_kernel32::<F>(f, 2.0 + f, k)
}

/// `log(1 + x)` for f64, any input, accurate near 0. Max error about 1 ulp.
#[inline(always)]
pub(crate) fn log1p_f64<F: Flavour>(x: f64) -> f64 {
    let (m1, corr, k, u) = log1p_parts(x);
    let f = m1 + if u < 1e300 { corr } else { 0.0 };
    let y = log_kernel::<F>(f, 2.0 + f, k);
    let y = if x == -1.0 { f64::NEG_INFINITY } else { y };
    let y = if x < -1.0 { f64::NAN } else { y };
    // Keeps -0, and passes +inf and NaN through.
    if x == 0.0 || x == f64::INFINITY || x.is_nan() {
        x
    } else {
        y
    }
}

/// `log(1 + x)` for f32, any input, accurate near 0. Max error about 1 ulp.
#[inline(always)]
pub(crate) fn log1p_f32<F: Flavour>(x: f32) -> f32 {
    let (m1, corr, k, u) = log1p_parts32(x);
    let f = m1 + if u < 1e37 { corr } else { 0.0 };
    let y = log_kernel32::<F>(f, 2.0 + f, k);
    let y = if x == -1.0 { f32::NEG_INFINITY } else { y };
    let y = if x < -1.0 { f32::NAN } else { y };
    if x == 0.0 || x == f32::INFINITY || x.is_nan() {
        x
    } else {
        y
    }
}
