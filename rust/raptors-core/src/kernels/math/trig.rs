//! `sin` and `cos` for f64 and f32 (the f32 ones compute in f64), branch-free for |x| <= 2^27.
//!
//! Both reduce by multiples of pi: `sin(x) = (-1)^q sin(x - q pi)` with `q = round(x/pi)`,
//! and `cos(x) = (-1)^(q+1) sin(x - (q + 1/2) pi)` with `q = round(x/pi - 1/2)`, so a single
//! odd polynomial for `sin` on `[-pi/2, pi/2]` serves both and no quadrant select is needed.
//! Writing the multiple as `m * pi/2` (`m = 2q` or `2q + 1`, |m| < 2^27):
//!
//! * f64: `pi/2` is split into four 26-bit pieces (so `m * piece` is exact, with or without
//!   FMA) and a fifth 53-bit one, and `x - m pi/2` is accumulated as a double-double with
//!   exact two-sums. That is pi/2 to ~157 bits; the closest a double below 2^27 gets to a
//!   multiple of pi/2 is 2^-60.5 (continued-fraction bound), so `r` keeps ~60 correct bits.
//! * f32 (computed in f64): two 26-bit pieces and a 53-bit one suffice; the closest a float
//!   below 2^27 gets to a multiple of pi/2 is 2^-27.8, far above the ~2^-77 error.
//!
//! |x| > 2^27, infinities and NaN are recomputed afterwards by the scalar routines in
//! `trig_huge` (see [`slow_flag_f64`]); the values computed here for them are garbage.

use super::exp::SHIFT;
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

/// Largest |x| handled by the vector paths: 2^27 (as bits; the f32 one as f32 bits).
const FAST_LIMIT_BITS: u64 = 0x41a0_0000_0000_0000;
const FAST_LIMIT_BITS32: u32 = 0x4d00_0000;
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

/// f32 counterpart of [`slow_flag_f64`].
#[inline(always)]
pub(crate) fn slow_flag_f32(x: f32) -> u32 {
    (x.to_bits() & ABS32) + (ABS32 - FAST_LIMIT_BITS32)
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

/// `sin(r)` for the f32 functions, |r| <= pi/2 + tiny.
#[inline(always)]
fn sin_poly_f32<F: Flavour>(r: f64) -> f64 {
    let z = r * r;
    F::mla(r * z, estrin::<F, 5>(z, &SIN_P_F32), r)
}

/// sin for f32 (computed in f64), |x| <= 2^27 (others: see [`slow_flag_f32`]).
#[inline(always)]
pub(crate) fn sin_f32<F: Flavour>(x: f32) -> f32 {
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

/// cos for f32 (computed in f64), |x| <= 2^27 (others: see [`slow_flag_f32`]).
#[inline(always)]
pub(crate) fn cos_f32<F: Flavour>(x: f32) -> f32 {
    let xd = x as f64;
    let z = F::mla(xd, INV_PI, -0.5) + SHIFT;
    let q = z - SHIFT;
    let m = F::mla(q, 2.0, 1.0);
    let r = ((xd - m * PIO2_A) - m * PIO2_B) - m * PIO2_C53;
    flip_if_odd(sin_poly_f32::<F>(r), z.to_bits() ^ 1) as f32
}
