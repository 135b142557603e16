//! `tanh` for f64 and f32, from `expm1(2|x|)`.
//!
//! Using `expm1` (accurate near 0) instead of `exp` avoids the cancellation of
//! `1 - 2/(e^2x + 1)` for small |x|. |x| is clamped where tanh already rounds to 1 (19.1 for
//! f64, 9.01 for f32) so that `expm1` stays finite; the sign is copied back at the end,
//! which also gives tanh(-0) = -0. NaN passes through.
//!
//! f64: `tanh(|x|) = em / (em + 2)`, about 2.3 ulp.
//!
//! f32 with FMA: in single precision, a polynomial below atanh(1/2) and `1 - 2/(e^2x + 1)`
//! above (see [`tanh_f32`]); about 1.3 ulp. f32 without FMA: in f64 (`em / (em + 2)` rounded
//! once), 0.6 ulp.

use super::exp::{exp_twice_plus1_f32, expm1_twice_small_f32_in_f64, expm1_twice_small_f64};
use super::flavour::{horner32, Flavour};

const SIGN: u64 = 1 << 63;
const SIGN32: u32 = 1 << 31;

/// tanh for f64, `em / (em + 2)`. Max error about 2.3 ulp (glibc's tanh: about 2 ulp).
/// Compensating the roundings of `em + 2` and of the division with FMA brings it to 1.7 ulp
/// but costs a third of the speed, which the 4-ulp budget does not need.
#[inline(always)]
pub(crate) fn tanh_f64<F: Flavour>(x: f64) -> f64 {
    let bits = x.to_bits();
    let a = f64::from_bits(bits & !SIGN);
    let a = if a > 20.0 { 20.0 } else { a };
    let em = expm1_twice_small_f64::<F>(a);
    let t = em / (em + 2.0);
    f64::from_bits(t.to_bits() | (bits & SIGN))
}

/// tanh for f32. With FMA it computes in single precision (sixteen lanes per AVX-512 vector),
/// max error about 1.3 ulp; without FMA in f64 ([`tanh_f32_wide`]).
///
/// Below `a = atanh(1/2)`: `tanh(a) = a + a z Q(z)`, `z = a^2`, with `Q` a minimax fit of
/// `(tanh(a) - a)/a^3` (relative error of the result 0.09 ulp before rounding); subnormals
/// and ±0 come out as themselves (`z` underflows to 0). Above: `1 - 2/D`, `D = e^(2a) + 1`
/// ([`exp_twice_plus1_f32`], about 1 ulp): `2/D <= 1/2` there, so its ~1.5 ulp error is at most
/// 0.75 ulp of the result, plus the final rounding. Both branches are computed and one is
/// selected, which keeps the loop vectorised.
#[inline(always)]
pub(crate) fn tanh_f32<F: Flavour>(x: f32) -> f32 {
    if !F::FUSED {
        return tanh_f32_wide::<F>(x);
    }
    let bits = x.to_bits();
    let a = f32::from_bits(bits & !SIGN32);
    let z = a * a;
    let small = F::mla32(a * z, horner32::<F, 5>(z, &TANH_Q_F32), a);
    // tanh rounds to 1 from 9.01 on; the clamp keeps e^2a finite (NaN passes through).
    let c = if a > 9.1 { 9.1 } else { a };
    let big = 1.0 - 2.0 / exp_twice_plus1_f32::<F>(c);
    let t = if a < TANH_HALF_F32 { small } else { big };
    f32::from_bits(t.to_bits() | (bits & SIGN32))
}

/// atanh(1/2), where tanh switches from the polynomial to `1 - 2/(e^2a + 1)`.
const TANH_HALF_F32: f32 = 0.54930615;

/// `(tanh(a) - a)/a^3 ~= Q(a^2)` on `a <= atanh(1/2)`: weighted least squares iterated towards
/// minimax for the relative error of `a + a^3 Q`, degree 4, coefficients rounded to f32;
/// error 0.09 ulp of the result.
const TANH_Q_F32: [f32; 5] = [
    -0.33333316,
    0.13332593,
    -0.053853143,
    0.021075377,
    -0.006279821,
];

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
