//! AVX-512 kernels written with intrinsics, for the functions where instructions that LLVM
//! never generates from the generic scalar code pay: table lookups in registers
//! (`vpermi2pd`, `vpermps`: a 16-entry table in two or one registers, no gather) and
//! `vscalefpd` (scaling by `2^n` with overflow, underflow and subnormal results handled in
//! one instruction).
//!
//! Each kernel works on whole vectors (eight f64 or sixteen f32 lanes) and on the tail with
//! masked loads and stores, and serves the `Avx512` path in place of the generic loop (see
//! `dispatch`).

use std::arch::x86_64::*;

/// The target features of this module (and of the `Avx512` path).
macro_rules! avx512 {
    ($($item:item)*) => {$(
        #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx2,fma")]
        $item
    )*};
}

/// Defines `$name(src, dst, f)`: `dst[i] = f(src[i])` a whole vector at a time, the tail
/// with masked loads and stores. One definition for both element types.
macro_rules! map_vectors {
    ($name:ident($elem:ty, $vec:ty, $mask:ty, $lanes:expr):
     $load:ident, $store:ident, $load_tail:ident, $store_tail:ident) => {
        avx512! {
            #[inline]
            unsafe fn $name(src: &[$elem], dst: &mut [$elem], f: impl Fn($vec) -> $vec) {
                let n = dst.len();
                let (s, d) = (src[..n].as_ptr(), dst.as_mut_ptr());
                let mut i = 0;
                while i + $lanes <= n {
                    $store(d.add(i), f($load(s.add(i))));
                    i += $lanes;
                }
                if i < n {
                    let m: $mask = ((1u32 << (n - i)) - 1) as $mask;
                    $store_tail(d.add(i), m, f($load_tail(m, s.add(i))));
                }
            }
        }
    };
}

map_vectors! {
    map8(f64, __m512d, __mmask8, 8):
        _mm512_loadu_pd, _mm512_storeu_pd, _mm512_maskz_loadu_pd, _mm512_mask_storeu_pd
}
map_vectors! {
    map16(f32, __m512, __mmask16, 16):
        _mm512_loadu_ps, _mm512_storeu_ps, _mm512_maskz_loadu_ps, _mm512_mask_storeu_ps
}

/// `2^(j/16)` rounded to nearest, j = 0..15.
const EXP2_16THS: [f64; 16] = [
    1.0,
    1.0442737824274138,
    1.0905077326652577,
    1.1387886347566916,
    1.189207115002721,
    1.241857812073484,
    1.2968395546510096,
    1.3542555469368927,
    std::f64::consts::SQRT_2,
    1.4768261459394993,
    1.5422108254079407,
    1.6104903319492543,
    1.681792830507429,
    1.7562521603732995,
    1.8340080864093424,
    1.9152065613971474,
];

/// 16 / ln2.
const INV_LN2_16: f64 = 23.083120654223414;
/// ln2/16 rounded to 38 significant bits: `m * LN2_16_HI` is exact for |m| < 2^15.
const LN2_16_HI: f64 = 0.04332169878489367; // 0x1.62e42fefa0000p-5
const LN2_16_LO: f64 = 1.0291218489310676e-13; // 0x1.cf79abc9e3b3ap-44

/// `expm1(r) ~= r + r^2 P(r)` on |r| <= ln2/32 (+ slack): minimax (Remez, mpmath) for the
/// error relative to `exp(r)`, degree 4; 2^-56.2 after rounding the coefficients.
const EXP16_P: [f64; 5] = [
    0.499999999999996,
    0.1666666666439993,
    0.041666666693463174,
    0.008333472475654444,
    0.0013888592886473143,
];

avx512! {
    #[inline]
    unsafe fn horner8<const N: usize>(x: __m512d, c: &[f64; N]) -> __m512d {
        let mut acc = _mm512_set1_pd(c[N - 1]);
        let mut i = N - 1;
        while i > 0 {
            i -= 1;
            acc = _mm512_fmadd_pd(acc, x, _mm512_set1_pd(c[i]));
        }
        acc
    }

    /// e^x for eight lanes, any input; about 1 ulp. `x = (16 n + j) ln2/16 + r`, |r| <=
    /// ln2/32; `e^x = 2^n 2^(j/16) (1 + expm1(r))` with the table entry picked by the low
    /// four bits of the rounded `16x/ln2` and `2^n` applied by `vscalefpd`, which rounds
    /// subnormal results once and overflows to infinity. Inputs are clamped to [-746, 710]
    /// (where e^x is already 0 and inf; NaN passes the clamps, as `vmaxpd`/`vminpd` return
    /// their second operand when one is NaN).
    #[inline]
    unsafe fn exp8(x: __m512d, table: (__m512d, __m512d)) -> __m512d {
        let x = _mm512_min_pd(_mm512_set1_pd(710.0), _mm512_max_pd(_mm512_set1_pd(-746.0), x));
        let shift = _mm512_set1_pd(super::exp::SHIFT);
        let z = _mm512_fmadd_pd(x, _mm512_set1_pd(INV_LN2_16), shift);
        let m = _mm512_sub_pd(z, shift);
        let r = _mm512_fnmadd_pd(m, _mm512_set1_pd(LN2_16_HI), x);
        let r = _mm512_fnmadd_pd(m, _mm512_set1_pd(LN2_16_LO), r);
        // vpermi2pd reads only the low four bits of each index: those of m.
        let t = _mm512_permutex2var_pd(table.0, _mm512_castpd_si512(z), table.1);
        let e = _mm512_fmadd_pd(_mm512_mul_pd(r, r), horner8(r, &EXP16_P), r);
        let y = _mm512_fmadd_pd(t, e, t);
        // vscalefpd scales by 2^floor(m / 16) = 2^n (m / 16 is exact).
        _mm512_scalef_pd(y, _mm512_mul_pd(m, _mm512_set1_pd(1.0 / 16.0)))
    }

    /// e^x over a slice.
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, DQ and VL, AVX2 and FMA.
    pub(super) unsafe fn exp_f64(src: &[f64], dst: &mut [f64]) {
        let p = EXP2_16THS.as_ptr();
        let table = (_mm512_loadu_pd(p), _mm512_loadu_pd(p.add(8)));
        map8(src, dst, |x| exp8(x, table))
    }
}

/// Width of the pieces of the f32 `tanh` (0.6 rounded to f32): piece `n` covers `|x|`
/// within `TANH_W / 2` of `n * TANH_W`, n = 0..15.
const TANH_W: f32 = 0.6;
/// |x| is clamped here: still in piece 15, and beyond 9.01, where tanh rounds to 1.
const TANH_MAX: f32 = 9.106;

/// `tanh(n w + t) ~= sum c_k t^k` for |t| <= w/2 (+ slack), one degree-7 polynomial per
/// piece n = 0..15, stored by power: `TANH_PIECES[k][n]`. Fitted in mpmath (least squares on
/// Chebyshev points, reweighted towards minimax) for the error relative to tanh; `c0` is
/// `tanh(n w)` rounded to f32 and the other coefficients are fitted around it (piece 0:
/// `c0 = 0`, `c1 = 1`, so tiny and zero |x| come out exactly). Max relative error with the
/// f32 coefficients 2^-24.8 (piece 1); most pieces sit at 2^-25, the rounding of `c0`.
const TANH_PIECES: [[f32; 16]; 8] = [
    // c0
    [
        0.0, 0.5370496, 0.83365464, 0.946806, 0.9836749, 0.9950548, 0.9985079, 0.99955034,
        0.9998646, 0.99995923, 0.9999877, 0.9999963, 0.99999887, 0.99999964, 0.9999999, 0.99999994,
    ],
    // c1
    [
        1.0,
        0.7115778,
        0.30501997,
        0.10355836,
        0.03238377,
        0.009866036,
        0.0029818881,
        0.0008990646,
        0.00027087817,
        8.1594655e-05,
        2.4576537e-05,
        7.4023737e-06,
        2.2295576e-06,
        6.7153036e-07,
        2.0226109e-07,
        6.0919874e-08,
    ],
    // c2
    [
        -1.3310738e-07,
        -0.38215408,
        -0.25428513,
        -0.09804841,
        -0.03185911,
        -0.009821885,
        -0.0029729302,
        -0.0008944616,
        -0.0002754677,
        -8.658162e-05,
        -2.6285037e-05,
        -8.398591e-06,
        8.625154e-07,
        3.1458328e-06,
        2.954409e-06,
        5.027944e-06,
    ],
    // c3
    [
        -0.33332503,
        -0.03196064,
        0.11030838,
        0.05831468,
        0.020540329,
        0.006479971,
        0.0019790477,
        0.000598572,
        0.0001805108,
        5.438937e-05,
        1.6383712e-05,
        4.934854e-06,
        1.4863741e-06,
        4.4768913e-07,
        1.3484136e-07,
        4.0613568e-08,
    ],
    // c4
    [
        -0.00017133224,
        0.1446012,
        -0.007080245,
        -0.022569925,
        -0.009473219,
        -0.0030435778,
        -0.0011117273,
        -0.00041808814,
        4.1309424e-05,
        0.0001146721,
        4.0385836e-05,
        2.5853404e-05,
        -8.86427e-05,
        -0.00010874158,
        -8.9803376e-05,
        -0.00014468354,
    ],
    // c5
    [
        0.13492589,
        -0.05102554,
        -0.02397099,
        0.004192111,
        0.00330741,
        0.0012204453,
        0.0003883146,
        0.00011895212,
        3.607846e-05,
        1.0883942e-05,
        3.2773228e-06,
        9.870923e-07,
        2.9705308e-07,
        8.945758e-08,
        2.69481e-08,
        8.11319e-09,
    ],
    // c6
    [
        -0.0071308143,
        -0.029826403,
        0.015683677,
        0.0017396212,
        -0.001575196,
        -0.0013296257,
        0.00080038025,
        0.0008243908,
        -0.0009643245,
        -0.0010308039,
        -0.00035282387,
        -0.00020538794,
        0.0006363355,
        0.0007856912,
        0.000649723,
        0.0010474296,
    ],
    // c7
    [
        -0.04062124,
        0.028457329,
        -0.0040591364,
        -0.0016174412,
        -7.5661876e-07,
        7.765384e-05,
        3.7439357e-05,
        1.1997539e-05,
        3.1781644e-06,
        9.574671e-07,
        3.0608078e-07,
        9.3362225e-08,
        3.0058278e-08,
        9.157121e-09,
        2.7297697e-09,
        8.471595e-10,
    ],
];

avx512! {
    /// tanh for sixteen f32 lanes, any input. `|x| = n w + t` with `n` rounded to the nearest
    /// integer (by the `1.5 * 2^23` shift, which leaves `n` in the low bits for the table
    /// lookup) and `t` exact; each 16-entry coefficient table sits in one register and
    /// `vpermps` picks piece `n` for every lane. Eight lookups and seven multiply-adds, no
    /// division, no exponential: NaN passes the clamp (`vminps` returns its second operand
    /// if one is NaN), ±inf clamp to 1, and the sign is copied back (tanh(-0) = -0).
    #[inline]
    unsafe fn tanh16(x: __m512, pieces: &[__m512; 8]) -> __m512 {
        let sign = _mm512_set1_epi32(i32::MIN);
        let bits = _mm512_castps_si512(x);
        let a = _mm512_castsi512_ps(_mm512_andnot_si512(sign, bits));
        let a = _mm512_min_ps(_mm512_set1_ps(TANH_MAX), a);
        let shift = _mm512_set1_ps(super::exp::SHIFT32);
        let z = _mm512_fmadd_ps(a, _mm512_set1_ps(1.0 / TANH_W), shift);
        let n = _mm512_sub_ps(z, shift);
        // Exact: |t| <= w/2 and both a and n w are multiples of min(ulp(a), 2^-25).
        let t = _mm512_fnmadd_ps(n, _mm512_set1_ps(TANH_W), a);
        // vpermps reads the low four bits of each index: those of n.
        let idx = _mm512_castps_si512(z);
        let c = |k: usize| _mm512_permutexvar_ps(idx, pieces[k]);
        let mut acc = c(7);
        let mut k = 7;
        while k > 0 {
            k -= 1;
            acc = _mm512_fmadd_ps(acc, t, c(k));
        }
        _mm512_castsi512_ps(_mm512_or_si512(
            _mm512_castps_si512(acc),
            _mm512_and_si512(bits, sign),
        ))
    }

    /// tanh over an f32 slice.
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, DQ and VL, AVX2 and FMA.
    pub(super) unsafe fn tanh_f32(src: &[f32], dst: &mut [f32]) {
        let mut pieces = [_mm512_setzero_ps(); 8];
        let mut k = 0;
        while k < 8 {
            pieces[k] = _mm512_loadu_ps(TANH_PIECES[k].as_ptr());
            k += 1;
        }
        map16(src, dst, |x| tanh16(x, &pieces))
    }
}
