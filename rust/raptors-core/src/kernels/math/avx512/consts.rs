//! The kernels' constants: tables and polynomial coefficients (each says which
//! approximation it is and its error; `scripts/mathfit/` regenerates them), and [`Consts`],
//! which gives the generic kernels those of their element type.

use super::vector::Vector;
use std::arch::x86_64::{__m512, __m512d};

/// The constants of the kernels written once for both widths (`log`, `log1p`, `expm1`, and
/// `exp` from the `expm1` reduction), per element type.
pub(super) trait Consts: Vector {
    /// Bit pattern of the lower end of the `log` tables' range of `z` (see [`LOG_OFF32`]).
    const LOG_OFF: i64;
    const LOG_INVC: &'static [Self::Elem; 16];
    const LOG_LOGC: &'static [Self::Elem; 16];
    /// `log1p(r) ~= r + r^2 P(r)` for the reduced `r` of `log`.
    const LOG_P: &'static [Self::Elem];
    /// `log1p` takes its main formula where the bits of `1 + x` lie in `[1, 1 + LOG1P_LEN)`:
    /// positive and small enough that `2^-k` (the scale of the correction) stays normal.
    const LOG1P_LEN: i64;

    /// `1.5 * 2^MANT`: adding it rounds to an integer.
    const SHIFT: Self::Elem;
    /// `16 / ln2`, and `ln2 / 16` as `HI + LO` with `m HI` exact for the `m` that occur.
    const INV_LN2_16: Self::Elem;
    const LN2_16_HI: Self::Elem;
    const LN2_16_LO: Self::Elem;
    /// `2^(j/16)` as `T_HI + T_LO`, `T_HI` short enough that `2^n T_HI - 1` is exact.
    const EXP16_HI: &'static [Self::Elem; 16];
    const EXP16_LO: &'static [Self::Elem; 16];
    /// `expm1(r) ~= r + r^2 P(r)` on |r| <= ln2/32.
    const EXPM1_16_P: &'static [Self::Elem];
    /// `exp` clamps its input to `[EXP_MIN, EXP_MAX]`, where `e^x` is already 0 and inf.
    const EXP_MIN: Self::Elem;
    const EXP_MAX: Self::Elem;
    /// `expm1` clamps its input from below to `EXPM1_MIN`, where the result is already -1,
    /// and sends lanes above `EXPM1_BIG` to `e^x`.
    const EXPM1_MIN: Self::Elem;
    const EXPM1_BIG: Self::Elem;
}

impl Consts for __m512 {
    const LOG_OFF: i64 = LOG_OFF32;
    const LOG_INVC: &'static [f32; 16] = &LOG16_INVC_F32;
    const LOG_LOGC: &'static [f32; 16] = &LOG16_LOGC_F32;
    const LOG_P: &'static [f32] = &LOG16_P_F32;
    const LOG1P_LEN: i64 = 0x7f30_0000;
    const SHIFT: f32 = super::super::exp::SHIFT32;
    const INV_LN2_16: f32 = INV_LN2_16_F32;
    const LN2_16_HI: f32 = LN2_16_HI_F32;
    const LN2_16_LO: f32 = LN2_16_LO_F32;
    const EXP16_HI: &'static [f32; 16] = &EXP16_HI_F32;
    const EXP16_LO: &'static [f32; 16] = &EXP16_LO_F32;
    const EXPM1_16_P: &'static [f32] = &EXPM1_16_P_F32;
    const EXP_MIN: f32 = -104.0;
    const EXP_MAX: f32 = 89.0;
    const EXPM1_MIN: f32 = -30.0;
    const EXPM1_BIG: f32 = EXPM1_BIG_F32;
}

impl Consts for __m512d {
    const LOG_OFF: i64 = LOG_OFF64;
    const LOG_INVC: &'static [f64; 16] = &LOG16_INVC_F64;
    const LOG_LOGC: &'static [f64; 16] = &LOG16_LOGC_F64;
    const LOG_P: &'static [f64] = &LOG16_P_F64;
    const LOG1P_LEN: i64 = 0x7fe6_0000_0000_0000;
    const SHIFT: f64 = super::super::exp::SHIFT;
    const INV_LN2_16: f64 = INV_LN2_16;
    const LN2_16_HI: f64 = LN2_16_HI;
    const LN2_16_LO: f64 = LN2_16_LO;
    const EXP16_HI: &'static [f64; 16] = &EXP16_HI;
    const EXP16_LO: &'static [f64; 16] = &EXP16_LO;
    const EXPM1_16_P: &'static [f64] = &EXPM1_16_P;
    const EXP_MIN: f64 = -746.0;
    const EXP_MAX: f64 = 710.0;
    const EXPM1_MIN: f64 = -40.0;
    const EXPM1_BIG: f64 = EXPM1_BIG;
}

/// `2^(j/16)` rounded to nearest, j = 0..15.
pub(super) const EXP2_16THS: [f64; 16] = [
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
pub(super) const EXP16_P: [f64; 5] = [
    0.499999999999996,
    0.1666666666439993,
    0.041666666693463174,
    0.008333472475654444,
    0.0013888592886473143,
];

/// `2^(j/16)` as `T_HI + T_LO` for j = 0..15: `T_HI` rounded to a multiple of 2^-27 (28
/// significant bits, so `2^n T_HI - 1` is exact for -25 <= n <= 52), `T_LO` the rest rounded
/// to double (together within 2^-82 of `2^(j/16)`).
const EXP16_HI: [f64; 16] = [
    1.0,
    1.044273778796196,
    1.0905077308416367,
    1.1387886330485344,
    1.1892071142792702,
    1.2418578118085861,
    1.2968395575881004,
    1.354255549609661,
    1.4142135605216026,
    1.4768261462450027,
    1.5422108247876167,
    1.6104903295636177,
    1.6817928329110146,
    1.7562521621584892,
    1.8340080827474594,
    1.9152065590023994,
];
const EXP16_LO: [f64; 16] = [
    0.0,
    3.6312178564352476e-09,
    1.8236210014921669e-09,
    1.7081572603932835e-09,
    7.234508945983593e-10,
    2.648979279882087e-10,
    -2.9370907674158553e-09,
    -2.672768373996907e-09,
    1.8514924181864543e-09,
    -3.0550343519512377e-10,
    6.203240938759637e-10,
    2.3856366018806925e-09,
    -2.4035854708225147e-09,
    -1.7851897441827612e-09,
    3.6618830518659895e-09,
    2.394747849292533e-09,
];
/// `expm1(r) ~= r + r^2 P(r)` on |r| <= ln2/32 (+ slack): minimax (Remez, mpmath) for the
/// error relative to `expm1(r)`, degree 5; 2^-58.9 after rounding the coefficients.
/// `scripts/mathfit/fit_exp.py table16_expm1` prints it with the two tables above.
const EXPM1_16_P: [f64; 6] = [
    0.5000000000000004,
    0.1666666666666667,
    0.041666666660130997,
    0.008333333332607148,
    0.0013889122556800639,
    0.0001984152947193544,
];
/// Above this, `2^n` may overflow in the f64 `expm1`'s main formula (n = 1024 from 709.78).
const EXPM1_BIG: f64 = 709.0;

/// Start of the bins of the f32 `tanh`: the bin of `a = |x|` is read from the float bits of
/// `a + TANH_K`: exponent and top two mantissa bits, four bins per octave of `a + TANH_K`.
pub(super) const TANH_K: f32 = 0.625;
/// |x| is clamped here: inside the last bin (`[7.375, 9.375)`) and beyond 9.01, where tanh
/// rounds to 1.
pub(super) const TANH_MAX: f32 = 9.106;

/// The bins of `a = |x|`: 3 of width 1/8 on `[0, 0.375)`, then 4 each of widths 1/4, 1/2 and
/// 1 and one of width 2 up to 9.375: narrow where tanh bends, wide where it is flat. Indexed by
/// the low four bits of `bits(a + TANH_K) >> 21` (distinct for all 16 bins), so the bin at 0
/// is slot 9. `TANH_C[j]` is the centre of bin `j` (0 for the bin at 0), `TANH_P[k][j]` the
/// coefficient of `t^k` with `t = a - TANH_C[j]`, which is exact (a and the centre are within
/// a factor of two of each other). Bin 0 has `c0 = 0`, `c1 = 1`, so tiny and zero |x| come out
/// exactly; elsewhere `c0` is tanh at the centre rounded to f32. Error relative to tanh with
/// the f32 coefficients at most 2^-24.1 (bin `[1.375, 1.875)`). Generated by
/// `scripts/mathfit/fit_tanh_f32.py`.
pub(super) const TANH_C: [f32; 16] = [
    1.625, 2.125, 2.625, 3.125, 3.875, 4.875, 5.875, 6.875, 8.375, 0.0, 0.1875, 0.3125, 0.5, 0.75,
    1.0, 1.25,
];
pub(super) const TANH_P: [[f32; 16]; 6] = [
    // c0
    [
        0.9253462, 0.97187275, 0.98955977, 0.99614656, 0.9991389, 0.9998834, 0.9999842, 0.99999785,
        0.9999999, 0.0, 0.1853332, 0.30270973, 0.46211717, 0.63514894, 0.7615942, 0.84828365,
    ],
    // c1
    [
        0.14373428,
        0.055463355,
        0.020771505,
        0.00769209,
        0.0017215324,
        0.00023316006,
        3.1556792e-05,
        4.270806e-06,
        2.1262763e-07,
        1.0,
        0.96565163,
        0.9083668,
        0.78644776,
        0.5965858,
        0.41997436,
        0.28041488,
    ],
    // c2
    [
        -0.13300893,
        -0.05390249,
        -0.020555593,
        -0.0076650525,
        -0.0017180349,
        -0.00023276596,
        -3.1042342e-05,
        -3.974252e-06,
        -1.16914215e-07,
        3.1472095e-07,
        -0.17897996,
        -0.27496943,
        -0.3634282,
        -0.37891626,
        -0.31986135,
        -0.23787686,
    ],
    // c3
    [
        0.075175844,
        0.03390061,
        0.013415895,
        0.005068698,
        0.0011432985,
        0.00015515873,
        2.102439e-05,
        2.8454124e-06,
        1.4028575e-07,
        -0.33335578,
        -0.28878367,
        -0.21954754,
        -0.09422162,
        0.041810755,
        0.103598945,
        0.10830984,
    ],
    // c4
    [
        -0.0248843,
        -0.0150250625,
        -0.006450434,
        -0.0024742985,
        -0.0005965478,
        -8.156551e-05,
        -1.2866895e-05,
        -2.6177156e-06,
        -1.7364843e-07,
        0.00047507524,
        0.11605501,
        0.1573183,
        0.16371809,
        0.0994505,
        0.028713688,
        -0.012003415,
    ],
    // c5
    [
        0.0011137846,
        0.004452732,
        0.0023584235,
        0.00097465585,
        0.0002366586,
        3.2525037e-05,
        4.3585483e-06,
        5.903243e-07,
        3.2690213e-08,
        0.1299753,
        0.11349917,
        0.044316668,
        -0.02561919,
        -0.06378399,
        -0.045930218,
        -0.019213907,
    ],
];

/// Bit pattern of `0x1.66p-1` (0.69921875): `x = 2^k z` with `z` in `[OFF, 2 OFF)`, and the
/// top four mantissa bits of `bits(x) - OFF` pick one of 16 bins of `z`.
const LOG_OFF32: i64 = 0x3f33_0000;

/// Per bin `j` of `z`: `invc ~= 1/c` for `c` near the bin's centre (`c = 1` in the bin
/// holding 1) and `logc = -log(invc)`, each `invc` chosen among nearby floats with few
/// bits so that `logc` rounds to f32 with an error below 0.02 ulp. `r = z invc - 1` then
/// lies in `[-0.0294, 0.0300]`. Generated by `scripts/mathfit/fit_log_table.py f32 3`.
const LOG16_INVC_F32: [f32; 16] = [
    1.3994598, 1.340622, 1.286171, 1.236084, 1.1904984, 1.1485748, 1.1082458, 1.0710335, 1.0362701,
    1.0, 0.9484253, 0.89518356, 0.8479309, 0.8049469, 0.7663841, 0.73126984,
];
const LOG16_LOGC_F32: [f32; 16] = [
    -0.33608633,
    -0.29313365,
    -0.25166956,
    -0.2119483,
    -0.174372,
    -0.1385219,
    -0.10277845,
    -0.06862405,
    -0.035627864,
    0.0,
    0.052952256,
    0.11072648,
    0.16495612,
    0.21697897,
    0.26607177,
    0.31297275,
];
/// `log1p(r) ~= r + r^2 P(r)` on the range of `r` above: minimax for the error relative to
/// `log1p(r)`, degree 3, 2^-30.9 with the f32 coefficients.
const LOG16_P_F32: [f32; 4] = [-0.49999997, 0.3333334, -0.2501826, 0.19995712];

/// f64 counterpart of [`LOG_OFF32`] (the same `0x1.66p-1`, so the same bins).
const LOG_OFF64: i64 = 0x3fe6_6000_0000_0000;

/// f64 counterparts of [`LOG16_INVC_F32`] and [`LOG16_LOGC_F32`]: each `logc` within 0.005
/// ulp of `-log(invc)`; `r` in `[-0.0302, 0.0291]`. `scripts/mathfit/fit_log_table.py f64 7`.
const LOG16_INVC_F64: [f64; 16] = [
    1.39801025390625,
    1.3404464721679688,
    1.2867202758789062,
    1.2367477416992188,
    1.19049072265625,
    1.1480979919433594,
    1.1082611083984375,
    1.07061767578125,
    1.0362701416015625,
    1.0,
    0.9476318359375,
    0.8950328826904297,
    0.847564697265625,
    0.8049888610839844,
    0.766510009765625,
    0.7314357757568359,
];
const LOG16_LOGC_F64: [f64; 16] = [
    -0.33504997848160817,
    -0.29300274665301446,
    -0.2520965591315196,
    -0.21248514512782923,
    -0.17436559410152255,
    -0.13810665309019546,
    -0.10279221796156056,
    -0.06823574900454586,
    -0.0356278642884232,
    0.0,
    0.05378921087360868,
    0.11089482094596069,
    0.1653881036847119,
    0.21692683882206043,
    0.26590752170057935,
    0.3127458603848554,
];
/// `log1p(r) ~= r + r^2 P(r)` on the range of `r` above: minimax for the error relative to
/// `log1p(r)`, degree 7, 2^-56.9 with the f64 coefficients.
const LOG16_P_F64: [f64; 8] = [
    -0.49999999999999806,
    0.33333333333328846,
    -0.250000000030521,
    0.20000000036547053,
    -0.16666653919636917,
    0.14285627812324964,
    -0.12519583652616773,
    0.11178584071730814,
];

/// `2^(j/16)` as `T_HI + T_LO` for j = 0..15: `T_HI` rounded to a multiple of 2^-11 (12
/// significant bits, so `2^n T_HI - 1` is exact for n <= 12), `T_LO` the rest rounded to f32
/// (together within 2^-37 of `2^(j/16)`).
const EXP16_HI_F32: [f32; 16] = [
    1.0, 1.0444336, 1.090332, 1.1386719, 1.1889648, 1.2416992, 1.296875, 1.3544922, 1.4140625,
    1.4770508, 1.5419922, 1.6103516, 1.6816406, 1.7563477, 1.8339844, 1.9150391,
];
const EXP16_LO_F32: [f32; 16] = [
    0.0,
    -0.00015981132,
    0.00017570141,
    0.00011675976,
    0.00024227126,
    0.00015859332,
    -3.5445348e-05,
    -0.00023664057,
    0.00015106237,
    -0.00022463531,
    0.00021863791,
    0.00013876945,
    0.00015220551,
    -9.549587e-05,
    2.3711409e-05,
    0.0001674989,
];
/// `expm1(r) ~= r + r^2 P(r)` on |r| <= ln2/32 (+ slack): minimax (Remez, mpmath) for the
/// error relative to `expm1(r)`, degree 2; 2^-31.5 with the f32 coefficients.
const EXPM1_16_P_F32: [f32; 3] = [0.5, 0.16666992, 0.04166644];
/// 16 / ln2, and ln2/16 split so that `m * LN2_16_HI_F32` is exact for |m| < 2^12.
const INV_LN2_16_F32: f32 = 23.08312;
const LN2_16_HI_F32: f32 = 2839.0 / 65536.0;
const LN2_16_LO_F32: f32 = 1.9966365e-6;
/// Above this, `2^n` may overflow in the f32 `expm1`'s main formula (n = 128 from 88.70).
const EXPM1_BIG_F32: f32 = 88.6;
