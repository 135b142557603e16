//! `exp` and `expm1` for f64 and f32, table-free and branch-free.
//!
//! Range reduction: `x = n*ln2 + r` with `n = round(x/ln2)` and `|r| <= ln2/2`. The rounding
//! is done by adding `1.5 * 2^52` (resp. `1.5 * 2^23`): the integer `n` then sits in the low
//! mantissa bits of the sum, from where `2^n` is built with integer shifts (no float->int
//! conversion, which AVX2 lacks for 64-bit lanes). `ln2` is split Cody-Waite style into a
//! high part with trailing zero bits (so `n * LN2_HI` is exact for every reachable `n`, with
//! or without FMA) and a low part.
//!
//! Then `expm1(r) ~= r + r^2 * P(r)` and `exp(r) = 1 + expm1(r)`. Scaling by `2^n` uses two
//! factors `2^floor(n/2) * 2^ceil(n/2)`: the first product is always exact, the second rounds
//! once, so results in the subnormal range are accurate and overflow happens naturally.
//! Special values need no separate path: inputs are clamped (NaN passes through the
//! comparisons untouched) to a range that still underflows to 0 / overflows to infinity.

use super::flavour::{estrin, estrin32, horner, horner32, Flavour};

/// `1.5 * 2^52`: adding it to a double of magnitude < 2^51 rounds it to an integer.
pub(crate) const SHIFT: f64 = 6755399441055744.0;
/// `1.5 * 2^23`, the single-precision counterpart of [`SHIFT`].
pub(crate) const SHIFT32: f32 = 12582912.0;

const INV_LN2: f64 = std::f64::consts::LOG2_E; // 0x1.71547652b82fep+0
/// ln2 rounded to 42 significant bits: `n * LN2_HI` is exact for |n| < 2^11.
const LN2_HI: f64 = 0.6931471805598903; // 0x1.62e42fefa3800p-1
const LN2_LO: f64 = 5.497923018708371e-14; // 0x1.ef35793c76730p-45

const INV_LN2_F32: f32 = std::f32::consts::LOG2_E; // 0x1.715476p+0
/// ln2 rounded to 16 significant bits: `n * LN2_HI_F32` is exact for |n| < 2^8.
const LN2_HI_F32: f32 = 0.69314575; // 0x1.62e4p-1
const LN2_LO_F32: f32 = 1.4286068e-6; // 0x1.7f7d1cp-20

/// `expm1(r) ~= r + r^2 * P(r)` on |r| <= ln2/2 (+ slack): minimax (Remez, mpmath, 60
/// digits) for the absolute error of `P`, degree 9, rounded to double; max error relative
/// to `expm1` 2^-54.3 (to `exp` 2^-55.7). [`EXPM1_P10`] is one degree more accurate, for
/// `tanh` (which amplifies it).
const EXPM1_P: [f64; 10] = [
    0.5000000000000001,
    0.16666666666666674,
    0.04166666666662382,
    0.008333333333322125,
    0.0013888888917368762,
    0.00019841269886839016,
    2.4801521055642096e-05,
    2.755724205671364e-06,
    2.762020251400203e-07,
    2.511015523194337e-08,
];

/// `expm1(r) ~= r + r^2 * P(r)` on |r| <= ln2/2. Minimax for the relative error of `expm1`,
/// degree 10 in P, computed with a Remez exchange in mpmath (60 digits) and rounded to
/// double; max relative error 2^-59.9. `scripts/mathfit/fit_exp.py generic10` prints it.
const EXPM1_P10: [f64; 11] = [
    0.5,
    0.16666666666666677,
    0.04166666666666651,
    0.0083333333333217,
    0.0013888888888962312,
    0.00019841269885939418,
    2.4801587172617272e-05,
    2.7557244403828003e-06,
    2.7557402607942233e-07,
    2.510896760645711e-08,
    2.087533079380543e-09,
];

/// Single-precision `expm1(r) ~= r + r^2 * P(r)` on |r| <= ln2/2: minimax (Remez, mpmath)
/// for the relative error, degree 5, coefficients rounded to f32 one at a time with the
/// remaining ones re-optimised; max relative error 2^-28.2.
const EXPM1_P_F32: [f32; 6] = [
    0.5,
    0.16666636,
    0.04166651,
    0.008341511,
    0.0013930545,
    0.0001504499,
];

/// [`EXPM1_P_F32`] widened, for the f32 functions that compute in f64.
const EXPM1_P_F32_AS_F64: [f64; 6] = [
    EXPM1_P_F32[0] as f64,
    EXPM1_P_F32[1] as f64,
    EXPM1_P_F32[2] as f64,
    EXPM1_P_F32[3] as f64,
    EXPM1_P_F32[4] as f64,
    EXPM1_P_F32[5] as f64,
];

/// `(n, r, bits)` with `x = n*ln2 + r`; the low bits of `bits` hold `n` (two's complement).
#[inline(always)]
fn reduce<F: Flavour>(x: f64) -> (f64, f64, u64) {
    let z = F::mla(x, INV_LN2, SHIFT);
    let n = z - SHIFT;
    // Exact for both flavours: n * LN2_HI is representable and, for n != 0, x and n*LN2_HI are
    // within a factor of two (Sterbenz).
    let r = F::mla(n, -LN2_HI, x);
    let r = F::mla(n, -LN2_LO, r);
    (n, r, z.to_bits())
}

#[inline(always)]
fn reduce32<F: Flavour>(x: f32) -> (f32, f32, u32) {
    let z = F::mla32(x, INV_LN2_F32, SHIFT32);
    let n = z - SHIFT32;
    let r = F::mla32(n, -LN2_HI_F32, x);
    let r = F::mla32(n, -LN2_LO_F32, r);
    (n, r, z.to_bits())
}

/// `expm1(x - n ln2) ~= r + lo` with `r` the reduced argument and `lo = r^2 P(r)` plus a
/// first-order correction for the rounding error of `r`. Keeping `r` apart lets callers form
/// `2^n r + (2^n - 1)` first, which is exact for n = 1, where `2^n expm1(r) + (2^n - 1)`
/// cancels (x just above ln2/2) and would amplify any rounding in `expm1(r)`.
#[inline(always)]
fn expm1_parts<F: Flavour, const N: usize>(x: f64, n: f64, p: &[f64; N]) -> (f64, f64) {
    let r_hi = F::mla(n, -LN2_HI, x); // exact
    let r = F::mla(n, -LN2_LO, r_hi);
    // r_hi - r is exact; c = (r_hi - n*LN2_LO) - r up to a negligible rounding.
    let c = F::mla(n, -LN2_LO, r_hi - r);
    // expm1(r + c) ~= expm1(r) + c exp(r), and exp(r) ~= 1 + r is plenty for c.
    let lo = F::mla(c, 1.0 + r, (r * r) * horner::<F, N>(r, p));
    (r, lo)
}

#[inline(always)]
fn expm1_poly32<F: Flavour>(r: f32) -> f32 {
    F::mla32(r * r, estrin32::<F, 6>(r, &EXPM1_P_F32), r)
}

/// Single-precision [`expm1_parts`].
#[inline(always)]
fn expm1_parts32<F: Flavour>(x: f32, n: f32) -> (f32, f32) {
    let r_hi = F::mla32(n, -LN2_HI_F32, x);
    let r = F::mla32(n, -LN2_LO_F32, r_hi);
    let c = F::mla32(n, -LN2_LO_F32, r_hi - r);
    let lo = F::mla32(c, 1.0 + r, (r * r) * horner32::<F, 6>(r, &EXPM1_P_F32));
    (r, lo)
}

/// `2^n` for `n` held in the low 11 bits of `bits` (see [`reduce`]); valid for -1022 <= n <= 1023.
#[inline(always)]
fn pow2(bits: u64) -> f64 {
    f64::from_bits(bits.wrapping_add(1023) << 52)
}

#[inline(always)]
fn pow2_32(bits: u32) -> f32 {
    f32::from_bits(bits.wrapping_add(127) << 23)
}

/// `(expm1(r), bits)` for `x = n ln2 + r`, with `n` in the low bits of `bits` (see
/// [`reduce`]): the part of `exp` that [`exp_f64`] and [`exp_f64_fast`] share.
#[inline(always)]
fn exp_parts<F: Flavour>(x: f64) -> (f64, u64) {
    let (_, r, u) = reduce::<F>(x);
    // Horner: fewer operations than Estrin, and this loop is bound by throughput.
    (F::mla(r * r, horner::<F, 10>(r, &EXPM1_P), r), u)
}

/// e^x for f64, any input. Max error about 1 ulp.
#[inline(always)]
pub(crate) fn exp_f64<F: Flavour>(x: f64) -> f64 {
    // exp(710) overflows and exp(-746) underflows to 0, so clamping there changes nothing,
    // but keeps n in [-1077, 1025] where both half-scales below are normal numbers.
    let x = if x > 710.0 { 710.0 } else { x };
    let x = if x < -746.0 { -746.0 } else { x };
    let (e, u) = exp_parts::<F>(x);
    // 2^n = 2^floor(n/2) * 2^ceil(n/2); only the low 11 bits of u >> 1 and u - (u >> 1) matter
    // and they hold floor(n/2) and ceil(n/2) (the 2^51 offset in u is even). The first
    // product rounds (e * s is exact, s a power of two), the second is exact unless the
    // result is subnormal or overflows.
    let h = u >> 1;
    let s = pow2(h);
    F::mla(e, s, s) * pow2(u.wrapping_sub(h))
}

/// Bit pattern of 600.0: for |x| up to it, `n` lies in [-866, 866], e^x is a normal number
/// and so is every nonzero `e * 2^n` (|e| > 2^-70), so [`exp_f64_fast`] applies (without FMA
/// too, where `e * 2^n` must be exact).
const EXP_FAST_LIMIT: u64 = 0x4082c00000000000;

/// A word whose sign bit is set where [`exp_f64_fast`] does not apply: |x| > 600, inf, NaN.
#[inline(always)]
pub(crate) fn exp_fast_flag_f64(x: f64) -> u64 {
    EXP_FAST_LIMIT.wrapping_sub(x.to_bits() & !(1 << 63))
}

/// e^x for |x| <= 600 (garbage beyond): [`exp_f64`] without the clamps and the split scaling,
/// and bit for bit equal to it there (`s (1 + e)` rounds once either way).
#[inline(always)]
pub(crate) fn exp_f64_fast<F: Flavour>(x: f64) -> f64 {
    let (e, u) = exp_parts::<F>(x);
    let s = pow2(u);
    F::mla(e, s, s)
}

/// e^x for f32. Max error about 1 ulp.
#[inline(always)]
pub(crate) fn exp_f32<F: Flavour>(x: f32) -> f32 {
    let x = if x > 89.0 { 89.0 } else { x };
    let x = if x < -104.0 { -104.0 } else { x };
    let (_, r, u) = reduce32::<F>(x);
    let p = 1.0 + expm1_poly32::<F>(r);
    let h = u >> 1;
    p * pow2_32(h) * pow2_32(u.wrapping_sub(h))
}

/// `2^n expm1(r) + (2^n - 1)` as `(2^n r + (2^n - 1)) + 2^n lo` (see [`expm1_parts`]): the
/// scaling is exact and `2^n - 1` is exact for n <= 53. Keeps the sign of -0 (the sum alone
/// gives +0).
#[inline(always)]
fn expm1_scaled<F: Flavour>(x: f64, r: f64, lo: f64, u: u64) -> f64 {
    let s = pow2(u);
    let y = F::mla(s, lo, F::mla(s, r, s - 1.0));
    if x == 0.0 {
        x
    } else {
        y
    }
}

/// Single-precision [`expm1_scaled`] (`2^n - 1` exact for n <= 24).
#[inline(always)]
fn expm1_scaled32<F: Flavour>(x: f32, r: f32, lo: f32, u: u32) -> f32 {
    let s = pow2_32(u);
    let y = F::mla32(s, lo, F::mla32(s, r, s - 1.0));
    if x == 0.0 {
        x
    } else {
        y
    }
}

/// e^x - 1 for f64, any input, accurate near 0. Max error about 1 ulp.
#[inline(always)]
pub(crate) fn expm1_f64<F: Flavour>(x: f64) -> f64 {
    // Below -45 the result rounds to -1; above 709.8 it overflows. The clamp keeps n <= 1024.
    let xc = if x > 709.8 { 709.8 } else { x };
    let xc = if xc < -45.0 { -45.0 } else { xc };
    let (n, _, u) = reduce::<F>(xc);
    let (r, lo) = expm1_parts::<F, 10>(xc, n, &EXPM1_P);
    let small = expm1_scaled::<F>(x, r, lo, u);
    // Large n: expm1(x) = 2 * ((h*em - 1/2) + h) with h = 2^(n-1) <= 2^1023 (no overflow
    // before the final doubling).
    let h = pow2(u.wrapping_sub(1));
    let big = 2.0 * (F::mla(h, r + lo, -0.5) + h);
    if n > 53.0 {
        big
    } else {
        small
    }
}

/// Bit patterns of 36.0 and 16.0f32: up to them n <= 52 (resp. 23), where [`expm1_f64`]
/// (resp. [`expm1_f32`]) takes its `small` branch and [`expm1_f64_fast`] applies.
const EXPM1_FAST_LIMIT: u64 = 0x4042000000000000;
const EXPM1_FAST_LIMIT32: u32 = 0x41800000;

/// A word whose sign bit is set where [`expm1_f64_fast`] does not apply: |x| > 36, inf, NaN.
#[inline(always)]
pub(crate) fn expm1_fast_flag_f64(x: f64) -> u64 {
    EXPM1_FAST_LIMIT.wrapping_sub(x.to_bits() & !(1 << 63))
}

/// A word whose sign bit is set where [`expm1_f32_fast`] does not apply: |x| > 16, inf, NaN.
#[inline(always)]
pub(crate) fn expm1_fast_flag_f32(x: f32) -> u32 {
    EXPM1_FAST_LIMIT32.wrapping_sub(x.to_bits() & !(1 << 31))
}

/// e^x - 1 for |x| <= 36 (garbage beyond): [`expm1_f64`] without its clamps and large-n
/// branch, bit for bit equal to it there.
#[inline(always)]
pub(crate) fn expm1_f64_fast<F: Flavour>(x: f64) -> f64 {
    let (n, _, u) = reduce::<F>(x);
    let (r, lo) = expm1_parts::<F, 10>(x, n, &EXPM1_P);
    expm1_scaled::<F>(x, r, lo, u)
}

/// e^x - 1 for f32, any input, accurate near 0. Max error about 1 ulp.
#[inline(always)]
pub(crate) fn expm1_f32<F: Flavour>(x: f32) -> f32 {
    let xc = if x > 88.8 { 88.8 } else { x };
    let xc = if xc < -30.0 { -30.0 } else { xc };
    let (n, _, u) = reduce32::<F>(xc);
    let (r, lo) = expm1_parts32::<F>(xc, n);
    let small = expm1_scaled32::<F>(x, r, lo, u);
    let h = pow2_32(u.wrapping_sub(1));
    let big = 2.0 * (F::mla32(h, r + lo, -0.5) + h);
    if n > 24.0 {
        big
    } else {
        small
    }
}

/// e^x - 1 for |x| <= 16 (garbage beyond), bit for bit [`expm1_f32`] there.
#[inline(always)]
pub(crate) fn expm1_f32_fast<F: Flavour>(x: f32) -> f32 {
    let (n, _, u) = reduce32::<F>(x);
    let (r, lo) = expm1_parts32::<F>(x, n);
    expm1_scaled32::<F>(x, r, lo, u)
}

/// `expm1(2a)` for `0 <= a <= 20` (or NaN), the building block of `tanh`.
#[inline(always)]
pub(crate) fn expm1_twice_small_f64<F: Flavour>(a: f64) -> f64 {
    // n <= 58 here; 2^n - 1 is then exact up to n = 53 and otherwise off by less than 2^-53
    // relative, which tanh = em / (em + 2) does not see.
    let (n, _, u) = reduce::<F>(a + a);
    let (r, lo) = expm1_parts::<F, 11>(a + a, n, &EXPM1_P10);
    let s = pow2(u);
    F::mla(s, lo, F::mla(s, r, s - 1.0))
}

/// `expm1(2a)` for `0 <= a <= 9.5` (or NaN) from an f32 argument, computed in f64 with the
/// single-precision polynomial (relative error ~2^-28, ample for an f32 result).
#[inline(always)]
pub(crate) fn expm1_twice_small_f32_in_f64<F: Flavour>(a: f64) -> f64 {
    let (_, r, u) = reduce::<F>(a + a);
    let lo = (r * r) * estrin::<F, 6>(r, &EXPM1_P_F32_AS_F64);
    let s = pow2(u);
    F::mla(s, lo, F::mla(s, r, s - 1.0))
}

/// ln2 rounded to f32 (24 bits): `n * LN2_F32` is exact inside an FMA.
const LN2_F32: f32 = std::f32::consts::LN_2; // 0x1.62e430p-1
/// ln2 - [`LN2_F32`].
const LN2_F32_LO: f32 = -1.9046543e-9; // -0x1.05c610p-29

/// `e^(2a) + 1` for `0 <= a <= 9.1` (or NaN), in single precision, FMA flavour only; relative
/// error about 1 ulp. `2a = n ln2 + r + rl` as for [`expm1_f32`] (`r` exact with FMA); with
/// `s = 2^n`, `e^(2a) + 1 = (s + 1) + s (r + p)`, `p = expm1(r + rl) - r`. `s + 1` is exact up
/// to n = 23 (2a < 16.3); beyond, tanh = 1 - 2/(e^2a + 1) rounds to 1 all the same.
#[inline(always)]
pub(crate) fn exp_twice_plus1_f32<F: Flavour>(a: f32) -> f32 {
    let x = a + a;
    let z = F::mla32(x, INV_LN2_F32, SHIFT32);
    let n = z - SHIFT32;
    let r = F::mla32(n, -LN2_F32, x);
    let p = F::mla32(r * r, horner32::<F, 6>(r, &EXPM1_P_F32), n * -LN2_F32_LO);
    let s = pow2_32(z.to_bits());
    F::mla32(s, r + p, s + 1.0)
}
