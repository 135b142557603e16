//! `tanh` for f64 and f32: `tanh(|x|) = em / (em + 2)` with `em = expm1(2|x|)`.
//!
//! Using `expm1` (accurate near 0) instead of `exp` avoids the cancellation of
//! `1 - 2/(e^2x + 1)` for small |x|, so one formula covers the whole range. |x| is clamped
//! where tanh already rounds to 1 (19.1 for f64, 9.01 for f32) so that `em` stays finite;
//! the sign is copied back at the end, which also gives tanh(-0) = -0. NaN passes through.
//! The f32 version computes in f64.
//!
//! With FMA the f64 version compensates the roundings of `em + 2` and of the division (~30%
//! slower, 1.7 instead of 2.3 ulp).

use super::exp::{expm1_twice_small_f32_in_f64, expm1_twice_small_f64};
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

/// tanh for f32, computed in f64 (single-precision arithmetic would leave ~2 ulp from the
/// roundings of `em + 2` and the division). Max error about 0.6 ulp.
#[inline(always)]
pub(crate) fn tanh_f32<F: Flavour>(x: f32) -> f32 {
    let bits = x.to_bits();
    let a = f32::from_bits(bits & !SIGN32) as f64;
    let a = if a > 9.5 { 9.5 } else { a };
    let em = expm1_twice_small_f32_in_f64::<F>(a);
    let t = (em / (em + 2.0)) as f32;
    f32::from_bits(t.to_bits() | (bits & SIGN32))
}
