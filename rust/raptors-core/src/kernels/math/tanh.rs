//! `tanh` for f64 and f32, from `expm1(2|x|)`.
//!
//! Using `expm1` (accurate near 0) instead of `exp` avoids the cancellation of
//! `1 - 2/(e^2x + 1)` for small |x|. |x| is clamped where tanh already rounds to 1 (19.1 for
//! f64, 9.01 for f32) so that `expm1` stays finite; the sign is copied back at the end,
//! which also gives tanh(-0) = -0. NaN passes through.
//!
//! f64: `tanh(|x|) = em / (em + 2)`; with FMA the roundings of `em + 2` and of the division
//! are compensated (~30% slower, 1.7 instead of 2.3 ulp).
//!
//! f32 with FMA: in single precision, with `expm1(2|x|) + 2` as an unevaluated sum of two
//! floats and a compensated division (see [`tanh_f32`]); 0.90 ulp. f32 without FMA: in f64
//! (`em / (em + 2)` rounded once), 0.6 ulp.

use super::exp::{expm1_twice_plus2_f32, expm1_twice_small_f32_in_f64, expm1_twice_small_f64};
use super::flavour::Flavour;

const SIGN: u64 = 1 << 63;
const SIGN32: u32 = 1 << 31;

/// tanh for f64. Max error about 1.7 ulp with FMA, where the roundings of `em + 2` and of
/// the division are compensated, and 2.3 ulp without (glibc's tanh: about 2 ulp).
#[inline(always)]
pub(crate) fn tanh_f64<F: Flavour>(x: f64) -> f64 {
    let bits = x.to_bits();
    let a = f64::from_bits(bits & !SIGN);
    let a = if a > 20.0 { 20.0 } else { a };
    let em = expm1_twice_small_f64::<F>(a);
    let d = em + 2.0;
    let q = em / d;
    let t = if F::FUSED {
        // Compensate the roundings of d and of the division (both exact to recover with
        // FMA): em / (d + e_d) ~= q + (rho - q e_d) / d, and 1/d = (1 - q)/2.
        let (big, small) = if em > 2.0 { (em, 2.0) } else { (2.0, em) };
        let e_d = (big - d) + small;
        let rho = F::mla(-q, d, em);
        // (1 - q)/2 is an accurate 1/d only while q is not close to 1.
        let inv_d = if q < 0.5 { (1.0 - q) * 0.5 } else { 0.0 };
        F::mla(rho - q * e_d, inv_d, q)
    } else {
        q
    };
    f64::from_bits(t.to_bits() | (bits & SIGN))
}

/// tanh for f32. With FMA it computes in single precision (eight lanes per AVX2 vector), max
/// error 0.90 ulp; without FMA, where the error-free transformations below are not
/// available, in f64 ([`tanh_f32_wide`]).
///
/// `tanh(a) = 1 - w` with `w = 2 / D`, `D = expm1(2a) + 2` held as an unevaluated sum
/// `d + dl` (see [`expm1_twice_plus2_f32`]). The division gives `w = 2/d` rounded; its
/// remainder `2 - w d` is exact with FMA, so `2/D ~= w + wc` with
/// `wc = ((2 - w d) - w dl) / d` and `1/d ~= w/2`. Finally `1 - w` is split exactly into
/// `u + ue` (fast two-sum), and `t = u + (ue - wc)` rounds once. Nothing cancels badly for
/// small `a` either (`u = 1 - w` is then exact), except that `wc` is no longer small
/// compared to the result below a ~ 2^-12, where tanh(a) rounds to a (off by a^3/3, at most
/// 1/3 ulp) and is returned as such (this also covers subnormals and ±0).
#[inline(always)]
pub(crate) fn tanh_f32<F: Flavour>(x: f32) -> f32 {
    if !F::FUSED {
        return tanh_f32_wide::<F>(x);
    }
    let bits = x.to_bits();
    let a = f32::from_bits(bits & !SIGN32);
    // tanh rounds to 1 from 9.01 on; the clamp keeps expm1 finite (NaN passes through).
    let a = if a > 9.1 { 9.1 } else { a };
    let (d, dl) = expm1_twice_plus2_f32::<F>(a);
    let w = 2.0 / d;
    let rr = F::mla32(-w, d, 2.0);
    let wc = F::mla32(-w, dl, rr) * (0.5 * w);
    let u = 1.0 - w;
    let ue = (1.0 - u) - w;
    let t = u + (ue - wc);
    let t = if a < TANH_TINY_F32 { a } else { t };
    f32::from_bits(t.to_bits() | (bits & SIGN32))
}

/// 2^-12: below it tanh(a) rounds to a within 1/3 ulp.
const TANH_TINY_F32: f32 = 0.00024414062; // 0x1p-12

/// tanh for f32 computed in f64 (the flavour without FMA uses it). Max error about 0.6 ulp.
#[inline(always)]
pub(crate) fn tanh_f32_wide<F: Flavour>(x: f32) -> f32 {
    let bits = x.to_bits();
    let a = f32::from_bits(bits & !SIGN32) as f64;
    let a = if a > 9.5 { 9.5 } else { a };
    let em = expm1_twice_small_f32_in_f64::<F>(a);
    let t = (em / (em + 2.0)) as f32;
    f32::from_bits(t.to_bits() | (bits & SIGN32))
}
