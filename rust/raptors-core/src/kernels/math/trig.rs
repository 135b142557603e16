//! `sin` and `cos` for f64 and f32, branch-free for |x| <= 2^27 (f64) / 2^20 (f32).
//!
//! f64, and f32 computed in f64 (`*_f32_wide`): both reduce by multiples of pi:
//! `sin(x) = (-1)^q sin(x - q pi)` with `q = round(x/pi)`, and
//! `cos(x) = (-1)^(q+1) sin(x - (q + 1/2) pi)` with `q = round(x/pi - 1/2)`, so a single
//! odd polynomial for `sin` on `[-pi/2, pi/2]` serves both and no quadrant select is needed.
//! Writing the multiple as `m * pi/2` (`m = 2q` or `2q + 1`, |m| < 2^27):
//!
//! * f64: `pi/2` is split into four 26-bit pieces (so `m * piece` is exact, with or without
//!   FMA) and a fifth 53-bit one, and `x - m pi/2` is accumulated as a double-double with
//!   exact two-sums. That is pi/2 to ~157 bits; the closest a double below 2^27 gets to a
//!   multiple of pi/2 is 2^-60.5 (continued-fraction bound), so `r` keeps ~60 correct bits.
//! * f32 in f64: two 26-bit pieces and a 53-bit one suffice; the closest a float below 2^27
//!   gets to a multiple of pi/2 is 2^-27.8, far above the ~2^-77 error.
//!
//! f32 in single precision ([`sin_f32`], [`cos_f32`]; eight lanes per AVX2 vector instead
//! of four, used with FMA): `x = n pi/2 + r`, |r| <= pi/4, then `sin r` or `cos r` by
//! quadrant, each with its own short polynomial (at |r| <= pi/4 single precision is
//! accurate enough without tricks; the odd polynomial up to pi/2 of the f64 scheme would
//! lose ~1 ulp in `r + r^3 P`). Both polynomials are evaluated and one is selected, and cos
//! is sin shifted by one quadrant, so sin and cos cost the same. See [`sincos_f32`].
//!
//! Arguments beyond the limits, infinities and NaN are recomputed afterwards (see
//! [`slow_flag_f64`], [`slow_flag_f32`]): f32 ones below 2^27 by the `*_f32_wide` kernels,
//! the rest by the scalar routines in `trig_huge`. The values computed here for them are
//! garbage.

use super::exp::{SHIFT, SHIFT32};
use super::flavour::{estrin, Flavour};

const INV_PI: f64 = std::f64::consts::FRAC_1_PI; // 0x1.45f306dc9c883p-2

// pi/2 = A + B + C + D + E (+ 2^-163): A..D have at most 26 significant bits.
const PIO2_A: f64 = 1.5707963407039642; // 0x1.921fb58000000p+0
const PIO2_B: f64 = -1.3909067675399456e-08; // -0x1.dde9740000000p-27
const PIO2_C: f64 = 6.123233932053594e-17; // 0x1.1a62630000000p-54
const PIO2_D: f64 = 6.368317178484799e-25; // 0x1.8a2e038000000p-81
const PIO2_E: f64 = -1.4973849048591698e-33; // -0x1.f1976b7ed8fbcp-110
/// pi/2 - A - B rounded to double, for the f32 reduction.
const PIO2_C53: f64 = 6.123233995736766e-17; // 0x1.1a62633145c07p-54

/// Largest |x| handled by the f64 kernels and the f32 ones computing in f64: 2^27 (as
/// bits; the f32 one as f32 bits).
const FAST_LIMIT_BITS: u64 = 0x41a0_0000_0000_0000;
const FAST_LIMIT_BITS32_WIDE: u32 = 0x4d00_0000;
/// Largest |x| handled by the single-precision [`sin_f32`] / [`cos_f32`]: 2^20.
const FAST_LIMIT_BITS32: u32 = 0x4980_0000;
const ABS: u64 = !(1 << 63);
const ABS32: u32 = !(1 << 31);

/// `sin(r) ~= r + r z P(z)`, `z = r^2`, |r| <= 1.5708: minimax for the relative error,
/// degree 7 in z, Remez exchange in mpmath (60 digits), coefficients rounded one at a time
/// with the rest re-optimised; max relative error 2^-61.5.
const SIN_P: [f64; 8] = [
    -0.16666666666666666,
    0.008333333333333207,
    -0.0001984126984121248,
    2.7557319211569482e-06,
    -2.5052106904422926e-08,
    1.6058941002305217e-10,
    -7.643019371752041e-13,
    2.7214195590147916e-15,
];

/// As [`SIN_P`] for the f32 functions (evaluated in f64): degree 4 in z, max relative
/// error 2^-35.3.
const SIN_P_F32: [f64; 5] = [
    -0.16666666626148555,
    0.008333331108555624,
    -0.0001984086820352286,
    2.7525384089881748e-06,
    -2.3888903259109343e-08,
];

/// A word whose sign bit is set where the vector kernels are not valid: |x| > 2^27,
/// infinities and NaN.
#[inline(always)]
pub(crate) fn slow_flag_f64(x: f64) -> u64 {
    (x.to_bits() & ABS) + (ABS - FAST_LIMIT_BITS)
}

/// [`slow_flag_f64`] for [`sin_f32`] / [`cos_f32`]: |x| > 2^20, infinities and NaN.
#[inline(always)]
pub(crate) fn slow_flag_f32(x: f32) -> u32 {
    (x.to_bits() & ABS32) + (ABS32 - FAST_LIMIT_BITS32)
}

/// [`slow_flag_f64`] for [`sin_f32_wide`] / [`cos_f32_wide`]: |x| > 2^27, infinities, NaN.
#[inline(always)]
pub(crate) fn slow_flag_f32_wide(x: f32) -> u32 {
    (x.to_bits() & ABS32) + (ABS32 - FAST_LIMIT_BITS32_WIDE)
}

/// Knuth's two-sum: `s + e == a + b` exactly.
#[inline(always)]
pub(crate) fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bv = s - a;
    let av = s - bv;
    (s, (a - av) + (b - bv))
}

/// `x - m pi/2` as a normalised double-double, for |m| < 2^27 and |x - m pi/2| <~ pi/2.
#[inline(always)]
fn reduce_pio2(x: f64, m: f64) -> (f64, f64) {
    // Exact: m*A is representable and x, m*A are within a factor of two whenever the
    // difference is small (otherwise its rounding error is harmless).
    let t = x - m * PIO2_A;
    let (h, e1) = two_sum(t, -(m * PIO2_B));
    let (h, e2) = two_sum(h, -(m * PIO2_C));
    let (h, e3) = two_sum(h, -(m * PIO2_D));
    let l = ((e1 + e2) + e3) - m * PIO2_E;
    let rh = h + l;
    (rh, (h - rh) + l)
}

/// `SIN_P[1..]`: the polynomial after its leading `-1/6`, used as `z P'(z)`.
const SIN_P_TAIL: [f64; 7] = [
    SIN_P[1], SIN_P[2], SIN_P[3], SIN_P[4], SIN_P[5], SIN_P[6], SIN_P[7],
];

/// `sin(rh + rl)` for |rh| <= pi/2 + tiny, |rl| <= ulp(rh).
///
/// `sin(r) = r + c3 r^3 + r^3 z P'(z)`; near |r| = pi/2 the `c3 r^3` term is as large as
/// half the result, so it is formed as `fma(u, c3, rh)` with `u = rh^3` and the rounding
/// errors of `z = rh^2` and `u` recovered by FMA (`z_lo`, `u_lo`) and folded into the small
/// tail. Without FMA those corrections evaluate to exactly 0 and the result is as accurate
/// as the plain evaluation (about 2 ulp instead of 1).
#[inline(always)]
pub(crate) fn sin_poly_dd<F: Flavour>(rh: f64, rl: f64) -> f64 {
    let z = rh * rh;
    let z_lo = F::mla(rh, rh, -z);
    let u = rh * z;
    let u_lo = F::mla(rh, z_lo, F::mla(rh, z, -u));
    let p = estrin::<F, 7>(z, &SIN_P_TAIL);
    // sin(rh + rl) ~= sin(rh) + rl cos(rh), with cos(rh) ~= 1 - z/2 (good enough for rl).
    let corr = F::mla(rl * z, -0.5, rl);
    let tail = F::mla(u * z, p, F::mla(u_lo, SIN_P[0], corr));
    F::mla(u, SIN_P[0], rh) + tail
}

/// Flips the sign of `v` when the low bit of `bits` is set.
#[inline(always)]
fn flip_if_odd(v: f64, bits: u64) -> f64 {
    f64::from_bits(v.to_bits() ^ (bits << 63))
}

/// sin for f64, |x| <= 2^27 (others: see [`slow_flag_f64`]). Max error ~1.2 ulp with
/// FMA, ~1.7 without.
#[inline(always)]
pub(crate) fn sin_f64<F: Flavour>(x: f64) -> f64 {
    let z = F::mla(x, INV_PI, SHIFT);
    let q = z - SHIFT;
    let (rh, rl) = reduce_pio2(x, q + q);
    let s = flip_if_odd(sin_poly_dd::<F>(rh, rl), z.to_bits());
    // sin(-0) = -0 (the double-double sum above yields +0).
    if x == 0.0 {
        x
    } else {
        s
    }
}

/// cos for f64, |x| <= 2^27 (others: see [`slow_flag_f64`]). Max error ~1.2 ulp with
/// FMA, ~1.7 without.
#[inline(always)]
pub(crate) fn cos_f64<F: Flavour>(x: f64) -> f64 {
    let z = F::mla(x, INV_PI, -0.5) + SHIFT;
    let q = z - SHIFT;
    let (rh, rl) = reduce_pio2(x, F::mla(q, 2.0, 1.0));
    flip_if_odd(sin_poly_dd::<F>(rh, rl), z.to_bits() ^ 1)
}

/// `sin(r)` for the f32 functions that compute in f64, |r| <= pi/2 + tiny.
#[inline(always)]
fn sin_poly_f32<F: Flavour>(r: f64) -> f64 {
    let z = r * r;
    F::mla(r * z, estrin::<F, 5>(z, &SIN_P_F32), r)
}

/// sin for f32 computed in f64, |x| <= 2^27 (others: see [`slow_flag_f32_wide`]). Max
/// error 0.5 ulp (the result is the f64 value rounded once).
#[inline(always)]
pub(crate) fn sin_f32_wide<F: Flavour>(x: f32) -> f32 {
    let xd = x as f64;
    let z = F::mla(xd, INV_PI, SHIFT);
    let q = z - SHIFT;
    let m = q + q;
    let r = ((xd - m * PIO2_A) - m * PIO2_B) - m * PIO2_C53;
    let s = flip_if_odd(sin_poly_f32::<F>(r), z.to_bits()) as f32;
    if x == 0.0 {
        x
    } else {
        s
    }
}

/// cos for f32 computed in f64, |x| <= 2^27 (others: see [`slow_flag_f32_wide`]). Max
/// error 0.5 ulp.
#[inline(always)]
pub(crate) fn cos_f32_wide<F: Flavour>(x: f32) -> f32 {
    let xd = x as f64;
    let z = F::mla(xd, INV_PI, -0.5) + SHIFT;
    let q = z - SHIFT;
    let m = F::mla(q, 2.0, 1.0);
    let r = ((xd - m * PIO2_A) - m * PIO2_B) - m * PIO2_C53;
    flip_if_odd(sin_poly_f32::<F>(r), z.to_bits() ^ 1) as f32
}

const INV_PIO2_32: f32 = std::f32::consts::FRAC_2_PI; // 0x1.45f306p-1

// pi/2 = A + B + C + 2^-76.3: each piece is the remainder so far rounded to f32.
const PIO2_A32: f32 = 1.5707964; // 0x1.921fb6p+0
const PIO2_B32: f32 = -4.371139e-8; // -0x1.777a5cp-25
const PIO2_C32: f32 = -1.7151245e-15; // -0x1.ee59dap-50

/// `sin(r) ~= r + r z S(z)`, `z = r^2`, |r| <= pi/4 + 0.045: minimax for the relative error,
/// Remez exchange in mpmath, coefficients rounded to f32 one at a time with the rest
/// re-optimised; max relative error 2^-27.3.
const SIN_S32: [f32; 3] = [-0.1666665, 0.008331838, -0.0001947334];
/// `cos(r) ~= 1 - z/2 + z^2 C(z)` on the same interval, likewise; max relative error 2^-32.1.
const COS_C32: [f32; 3] = [0.041666638, -0.0013886951, 2.4392219e-5];

/// `sin(|x| + k pi/2)` in single precision, `k = 0` for sin (the sign of `x` is then put
/// back) and `k = 1` for cos; |x| <= 2^20, and with FMA (the reduction relies on it).
///
/// Reduction: `n = round(|x| 2/pi)` with `2/pi` rounded to f32 (below 2^20 that takes |r|
/// up to 0.8275 instead of pi/4, which the polynomials cover), then `r1 = |x| - n A`
/// exactly (with FMA: `|x|` and `n A` are multiples of min(2^-23, ulp(|x|)) and |r1| < 1),
/// `rh = r1 - n B` rounded once, and `rl = -n C` kept apart as a correction: `rh + rl` is
/// `|x| - n pi/2` up to the rounding of `rh` and ~n 2^-72.8 <= 2^-53.4, while the closest a
/// float below 2^20 gets to a multiple of pi/2 is 2^-27.8 (x = 252.898, n = 161; found by
/// exhaustive search). The one rounding of `rh` (<= 1/2 ulp of `r`) and the final rounding
/// dominate the error: at most 1.59 ulp (exhaustive; worst where `r` is just above a power
/// of two and `sin r` just below it), 1.2 ulp in the cos quadrants.
#[inline(always)]
fn sincos_f32<F: Flavour>(x: f32, k: u32) -> f32 {
    let bits = x.to_bits();
    let a = f32::from_bits(bits & ABS32);
    let z = F::mla32(a, INV_PIO2_32, SHIFT32);
    let n = z - SHIFT32;
    let r1 = F::mla32(n, -PIO2_A32, a);
    let rh = F::mla32(n, -PIO2_B32, r1);
    let rl = n * -PIO2_C32;
    let zz = rh * rh;
    // sin: rh + (rl + rh^3 S(z)); rl matters only here (in cos it moves the result by
    // rh rl, < 2^-32).
    let sp = F::mla32(F::mla32(SIN_S32[2], zz, SIN_S32[1]), zz, SIN_S32[0]);
    let s = rh + F::mla32(rh * zz, sp, rl);
    // cos: 1 + z (-1/2 + z C(z)).
    let cp = F::mla32(F::mla32(COS_C32[2], zz, COS_C32[1]), zz, COS_C32[0]);
    let c = F::mla32(zz, F::mla32(zz, cp, -0.5), 1.0);
    // Quadrant q = n + k (low bits of z): odd ones take cos, quadrants 2 and 3 negate; for
    // sin (k = 0) the sign of x is xored in as well (sin is odd, cos even). Working on |x|
    // also makes sin(-0) = -0.
    let q = z.to_bits().wrapping_add(k);
    let v = if q & 1 == 0 { s } else { c };
    let sign = ((q & 2) << 30) ^ (bits & !ABS32 & k.wrapping_sub(1));
    f32::from_bits(v.to_bits() ^ sign)
}

/// sin for f32 in single precision, |x| <= 2^20 (others: see [`slow_flag_f32`]); for the
/// FMA flavour only (see [`sincos_f32`]). Max error 1.59 ulp.
#[inline(always)]
pub(crate) fn sin_f32<F: Flavour>(x: f32) -> f32 {
    sincos_f32::<F>(x, 0)
}

/// cos for f32 in single precision, |x| <= 2^20 (others: see [`slow_flag_f32`]); for the
/// FMA flavour only (see [`sincos_f32`]). Max error 1.59 ulp.
#[inline(always)]
pub(crate) fn cos_f32<F: Flavour>(x: f32) -> f32 {
    sincos_f32::<F>(x, 1)
}
