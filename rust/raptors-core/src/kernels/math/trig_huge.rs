//! Scalar sin/cos for the arguments the vector kernels do not handle: finite |x| > 2^27
//! (reduced exactly, Payne-Hanek style, with 1/pi to 1280 bits), infinities and NaN.
//!
//! `x = M 2^e` with an integer `M < 2^53`. Of `x/pi = M 2^e sum_i b_i 2^-i` (`b_i` the bits
//! of 1/pi) the terms with `i < e` are even integers and do not matter modulo 2, and the
//! terms with `i > e + 191` add less than 2^-138. So `x/pi mod 2` is `M * w / 2^191 mod 2`
//! for the 192-bit window `w = b_e .. b_(e+191)`: three 64x64->128 multiplications. The
//! nearest integer `q` and the fraction `d = x/pi - q` (|d| <= 1/2, at least 2^-63 for any
//! double) follow, and `r = d * pi` is formed as a double-double.

use super::flavour::Unfused;
use super::trig::{sin_poly_dd, two_sum};

/// Bits of 1/pi after the binary point, most significant first, preceded by one zero word
/// (so that windows may start up to 64 bits before the point). Word `j >= 1` is
/// `floor(2^(64 j) / pi) mod 2^64`, computed with mpmath.
const INV_PI_BITS: [u64; 21] = [
    0x0000000000000000,
    0x517cc1b727220a94,
    0xfe13abe8fa9a6ee0,
    0x6db14acc9e21c820,
    0xff28b1d5ef5de2b0,
    0xdb92371d2126e970,
    0x0324977504e8c90e,
    0x7f0ef58e5894d39f,
    0x74411afa975da242,
    0x74ce38135a2fbf20,
    0x9cc8eb1cc1a99cfa,
    0x4e422fc5defc941d,
    0x8ffc4bffef02cc07,
    0xf79788c5ad05368f,
    0xb69b3f6793e584db,
    0xa7a31fb34f2ff516,
    0xba93dd63f5f2f8bd,
    0x9e839cfbc5294975,
    0x35fdafd88fc6ae84,
    0x2b0198237e3db5d5,
    0xf867de104d7a1b0e,
];

const PI_HI: f64 = std::f64::consts::PI; // 0x1.921fb54442d18p+1
const PI_LO: f64 = 1.2246467991473532e-16; // 0x1.1a62633145c07p-53

/// 64 bits of [`INV_PI_BITS`] starting at bit position `p` (0 = most significant bit).
#[inline]
fn bits_at(p: usize) -> u64 {
    let i = p / 64;
    let v = ((INV_PI_BITS[i] as u128) << 64) | INV_PI_BITS[i + 1] as u128;
    (v >> (64 - p % 64)) as u64
}

/// Dekker's exact product without FMA: `p + e == a * b` (no overflow here).
#[inline]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    #[inline]
    fn split(a: f64) -> (f64, f64) {
        let c = 134217729.0 * a; // 2^27 + 1
        let hi = c - (c - a);
        (hi, a - hi)
    }
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
}

/// For finite `ax > 2^26`: `(odd, rh, rl)` with `ax/pi - shift = q + d`, `q` an integer of
/// parity `odd`, and `rh + rl = d * pi`, |d| <= 1/2. `shift` is 0 or 1/2.
fn reduce_pi(ax: f64, half: bool) -> (bool, f64, f64) {
    let bits = ax.to_bits();
    let mant = (bits & ((1 << 52) - 1)) | (1 << 52);
    let e = (bits >> 52) as i64 - 1075; // ax = mant * 2^e, e >= -26
    debug_assert!(e >= -26, "reduce_pi is for |x| > 2^26");
    // Window b_e .. b_(e+191); b_i is bit i - 1 + 64 of INV_PI_BITS.
    let p0 = (e + 63) as usize;
    let (w2, w1, w0) = (bits_at(p0), bits_at(p0 + 64), bits_at(p0 + 128));
    // P = mant * w mod 2^192, x/pi mod 2 = P / 2^191.
    let m = mant as u128;
    let t0 = m * w0 as u128;
    let t1 = m * w1 as u128 + (t0 >> 64);
    let mut p2 = (mant.wrapping_mul(w2)).wrapping_add((t1 >> 64) as u64);
    let (p1, p0) = (t1 as u64, t0 as u64);
    if half {
        p2 = p2.wrapping_sub(1 << 62);
    }
    // Fraction bits (below 2^0), as a signed 192-bit number F = 2^192 * (frac or frac - 1):
    // rounding to nearest takes frac - 1 exactly when the top fraction bit is set.
    let f2 = (p2 << 1) | (p1 >> 63);
    let f1 = (p1 << 1) | (p0 >> 63);
    let f0 = p0 << 1;
    let neg = f2 >> 63 == 1;
    let odd = ((p2 >> 63) ^ (p2 >> 62)) & 1 == 1;
    // |F| by two's complement negation.
    let (a2, a1, a0) = if neg {
        let (n0, c0) = (!f0).overflowing_add(1);
        let (n1, c1) = (!f1).overflowing_add(c0 as u64);
        ((!f2).wrapping_add(c1 as u64), n1, n0)
    } else {
        (f2, f1, f0)
    };
    // Normalise so that the top bit of the 128-bit head is set: |d| = head * 2^(-128 - lz).
    let head = ((a2 as u128) << 64) | a1 as u128;
    let (head, lz) = if head == 0 {
        // |d| < 2^-128: impossible for a double input, but keep it well defined.
        ((a0 as u128) << 64, 128u32)
    } else {
        let lz = head.leading_zeros();
        let tail = match lz {
            0 => 0,
            1..=63 => (a0 >> (64 - lz)) as u128,
            _ => (a0 as u128) << (lz - 64),
        };
        ((head << lz) | tail, lz)
    };
    let top = (head >> 64) as u64;
    // 2^(-128 - lz + 64) = scale for the top word.
    let scale = f64::from_bits(((1023 - 64 - lz as i64) as u64) << 52);
    let hi = (top & !0x7ff) as f64 * scale;
    let lo = ((top & 0x7ff) as f64 + (head as u64) as f64 * (1.0 / 18446744073709551616.0)) * scale;
    // r = (hi + lo) * (PI_HI + PI_LO) as a double-double.
    let (ph, pl) = two_prod(hi, PI_HI);
    let pl = pl + (hi * PI_LO + lo * PI_HI);
    let (rh, rl) = two_sum(ph, pl);
    if neg {
        (odd, -rh, -rl)
    } else {
        (odd, rh, rl)
    }
}

/// sin for any f64; used for finite |x| > 2^27, infinities and NaN.
#[cold]
pub(crate) fn sin_slow(x: f64) -> f64 {
    if !x.is_finite() {
        return f64::NAN; // inf or NaN
    }
    let (odd, rh, rl) = reduce_pi(x.abs(), false);
    let s = sin_poly_dd::<Unfused>(rh, rl);
    let s = if odd { -s } else { s };
    if x < 0.0 {
        -s
    } else {
        s
    }
}

/// cos for any f64; used for finite |x| > 2^27, infinities and NaN.
#[cold]
pub(crate) fn cos_slow(x: f64) -> f64 {
    if !x.is_finite() {
        return f64::NAN;
    }
    // cos(x) = (-1)^(q+1) sin(x - (q + 1/2) pi).
    let (odd, rh, rl) = reduce_pi(x.abs(), true);
    let s = sin_poly_dd::<Unfused>(rh, rl);
    if odd {
        s
    } else {
        -s
    }
}
