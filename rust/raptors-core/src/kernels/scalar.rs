//! Per-element semantics of NumPy's arithmetic for each element type: wrapping integer
//! arithmetic, NumPy's division and remainder rules (including by zero), shifts, and the float
//! versions (C99 semantics, NumPy's divmod).

/// Arithmetic shared by integers and floats, with NumPy's results.
pub trait Arith: Copy + PartialOrd + Send + Sync + 'static {
    fn add(a: Self, b: Self) -> Self;
    fn sub(a: Self, b: Self) -> Self;
    fn mul(a: Self, b: Self) -> Self;
    fn floor_div(a: Self, b: Self) -> Self;
    fn rem(a: Self, b: Self) -> Self;
    fn pow(a: Self, b: Self) -> Self;
    fn neg(a: Self) -> Self;
    fn abs(a: Self) -> Self;
    fn sign(a: Self) -> Self;
    /// `maximum`/`minimum`: NaN propagates.
    fn max_nan(a: Self, b: Self) -> Self;
    fn min_nan(a: Self, b: Self) -> Self;
    /// `fmax`/`fmin`: NaN is ignored unless both are NaN.
    fn fmax(a: Self, b: Self) -> Self;
    fn fmin(a: Self, b: Self) -> Self;
    /// `1 / a`; for integers C division (0 for |a| > 1; 0 for a == 0, as NumPy's loop gives).
    fn recip(a: Self) -> Self;
    fn is_zero(a: Self) -> bool;
    fn is_negative(a: Self) -> bool;
}

/// Integer-only operations.
pub trait IntOps: Arith {
    fn and(a: Self, b: Self) -> Self;
    fn or(a: Self, b: Self) -> Self;
    fn xor(a: Self, b: Self) -> Self;
    fn not(a: Self) -> Self;
    fn shl(a: Self, b: Self) -> Self;
    fn shr(a: Self, b: Self) -> Self;
}

macro_rules! int_arith {
    ($($t:ty, $signed:expr);*) => {$(
        impl Arith for $t {
            #[inline(always)] fn add(a: Self, b: Self) -> Self { a.wrapping_add(b) }
            #[inline(always)] fn sub(a: Self, b: Self) -> Self { a.wrapping_sub(b) }
            #[inline(always)] fn mul(a: Self, b: Self) -> Self { a.wrapping_mul(b) }
            /// Floor division; NumPy gives 0 for division by zero and wraps MIN / -1.
            #[inline(always)]
            #[allow(unused_comparisons)]
            fn floor_div(a: Self, b: Self) -> Self {
                if b == 0 {
                    return 0;
                }
                let q = a.wrapping_div(b);
                if $signed && a.wrapping_rem(b) != 0 && ((a < 0) != (b < 0)) { q.wrapping_sub(1) } else { q }
            }
            /// Python's remainder (sign of the divisor); 0 for division by zero.
            #[inline(always)]
            #[allow(unused_comparisons)]
            fn rem(a: Self, b: Self) -> Self {
                if b == 0 {
                    return 0;
                }
                let r = a.wrapping_rem(b);
                if $signed && r != 0 && ((r < 0) != (b < 0)) { r.wrapping_add(b) } else { r }
            }
            /// Wrapping power; negative exponents are rejected before the loop.
            #[inline(always)]
            #[allow(unused_comparisons)]
            fn pow(a: Self, b: Self) -> Self {
                if b < 0 {
                    return 0;
                }
                let (mut base, mut exp, mut acc) = (a, b, 1 as Self);
                while exp != 0 {
                    if exp & 1 == 1 {
                        acc = acc.wrapping_mul(base);
                    }
                    base = base.wrapping_mul(base);
                    exp >>= 1;
                }
                acc
            }
            #[inline(always)] fn neg(a: Self) -> Self { (0 as Self).wrapping_sub(a) }
            #[inline(always)]
            #[allow(unused_comparisons)]
            fn abs(a: Self) -> Self { if a < 0 { (0 as Self).wrapping_sub(a) } else { a } }
            #[inline(always)]
            #[allow(unused_comparisons)]
            fn sign(a: Self) -> Self { if a > 0 { 1 } else if a < 0 { (0 as Self).wrapping_sub(1) } else { 0 } }
            #[inline(always)] fn max_nan(a: Self, b: Self) -> Self { if a >= b { a } else { b } }
            #[inline(always)] fn min_nan(a: Self, b: Self) -> Self { if a <= b { a } else { b } }
            #[inline(always)] fn fmax(a: Self, b: Self) -> Self { if a >= b { a } else { b } }
            #[inline(always)] fn fmin(a: Self, b: Self) -> Self { if a <= b { a } else { b } }
            /// NumPy computes `(T)(1.0 / x)`: for 0 that converts inf, which x86 turns into
            /// the "integer indefinite" MIN for 32- and 64-bit signed types and which narrows to
            /// 0 for 8/16-bit and unsigned ones.
            #[inline(always)]
            fn recip(a: Self) -> Self {
                if a == 0 {
                    if size_of::<Self>() >= 4 { <$t>::MIN } else { 0 }
                } else {
                    (1 as Self).wrapping_div(a)
                }
            }
            #[inline(always)] fn is_zero(a: Self) -> bool { a == 0 }
            #[inline(always)]
            #[allow(unused_comparisons)]
            fn is_negative(a: Self) -> bool { a < 0 }
        }
        impl IntOps for $t {
            #[inline(always)] fn and(a: Self, b: Self) -> Self { a & b }
            #[inline(always)] fn or(a: Self, b: Self) -> Self { a | b }
            #[inline(always)] fn xor(a: Self, b: Self) -> Self { a ^ b }
            #[inline(always)] fn not(a: Self) -> Self { !a }
            /// NumPy: shifting by the bit width or more (or a negative amount) gives 0.
            #[inline(always)]
            fn shl(a: Self, b: Self) -> Self {
                let bits = <$t>::BITS as u64;
                if (b as u64) < bits { a.wrapping_shl(b as u32) } else { 0 }
            }
            /// Arithmetic right shift; beyond the width: -1 for negative values, else 0.
            #[inline(always)]
            #[allow(unused_comparisons)]
            fn shr(a: Self, b: Self) -> Self {
                let bits = <$t>::BITS as u64;
                if (b as u64) < bits { a.wrapping_shr(b as u32) } else if a < 0 { (0 as Self).wrapping_sub(1) } else { 0 }
            }
        }
    )*};
}
int_arith!(i8, true; i16, true; i32, true; i64, true; u8, false; u16, false; u32, false; u64, false);

macro_rules! float_arith {
    ($($t:ty),*) => {$(
        impl Arith for $t {
            #[inline(always)] fn add(a: Self, b: Self) -> Self { a + b }
            #[inline(always)] fn sub(a: Self, b: Self) -> Self { a - b }
            #[inline(always)] fn mul(a: Self, b: Self) -> Self { a * b }
            #[inline(always)] fn floor_div(a: Self, b: Self) -> Self { divmod(a, b).0 }
            #[inline(always)] fn rem(a: Self, b: Self) -> Self { divmod(a, b).1 }
            #[inline(always)] fn pow(a: Self, b: Self) -> Self { a.powf(b) }
            #[inline(always)] fn neg(a: Self) -> Self { -a }
            #[inline(always)] fn abs(a: Self) -> Self { a.abs() }
            #[inline(always)]
            fn sign(a: Self) -> Self { if a > 0.0 { 1.0 } else if a < 0.0 { -1.0 } else if a == 0.0 { 0.0 } else { a } }
            #[inline(always)] fn max_nan(a: Self, b: Self) -> Self { if a >= b || a.is_nan() { a } else { b } }
            #[inline(always)] fn min_nan(a: Self, b: Self) -> Self { if a <= b || a.is_nan() { a } else { b } }
            #[inline(always)] fn fmax(a: Self, b: Self) -> Self { if a >= b || b.is_nan() { a } else { b } }
            #[inline(always)] fn fmin(a: Self, b: Self) -> Self { if a <= b || b.is_nan() { a } else { b } }
            #[inline(always)] fn recip(a: Self) -> Self { 1.0 / a }
            #[inline(always)] fn is_zero(a: Self) -> bool { a == 0.0 }
            #[inline(always)] fn is_negative(a: Self) -> bool { a < 0.0 }
        }
    )*};
}
float_arith!(f32, f64);

/// NumPy's `npy_divmod`: floor division and Python-style remainder for floats.
#[inline(always)]
fn divmod<T: num_traits::Float>(a: T, b: T) -> (T, T) {
    let zero = T::zero();
    if b == zero {
        // Division by zero: a / b for the quotient, fmod's NaN for the remainder.
        return (a / b, a % b);
    }
    let mut m = a % b;
    let mut div = (a - m) / b;
    if m != zero {
        if (b < zero) != (m < zero) {
            m = m + b;
            div = div - T::one();
        }
    } else {
        m = zero.copysign(b);
    }
    let floordiv = if div != zero {
        let f = div.floor();
        if div - f > T::from(0.5).expect("0.5") {
            f + T::one()
        } else {
            f
        }
    } else {
        zero.copysign(a / b)
    };
    (floordiv, m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_division_like_numpy() {
        assert_eq!(Arith::floor_div(-7i32, 2), -4);
        assert_eq!(Arith::rem(-7i32, 2), 1);
        assert_eq!(Arith::rem(7i32, -2), -1);
        assert_eq!(Arith::floor_div(5i8, 0), 0);
        assert_eq!(Arith::rem(5u8, 0), 0);
        assert_eq!(Arith::floor_div(i8::MIN, -1), i8::MIN);
        assert_eq!(Arith::pow(3i64, 4), 81);
        assert_eq!(Arith::pow(2u8, 9), 0);
        assert_eq!(IntOps::shl(1i8, 8), 0);
        assert_eq!(IntOps::shr(-8i16, 20), -1);
    }

    #[test]
    fn float_divmod_like_numpy() {
        assert_eq!(Arith::floor_div(-7.0f64, 2.0), -4.0);
        assert_eq!(Arith::rem(-7.0f64, 2.0), 1.0);
        assert!(Arith::rem(1.0f64, 0.0).is_nan());
        assert_eq!(Arith::floor_div(1.0f64, 0.0), f64::INFINITY);
        assert!(Arith::rem(-0.0f64, 2.0).is_sign_positive());
        assert!(Arith::max_nan(1.0f64, f64::NAN).is_nan());
        assert_eq!(Arith::fmax(1.0f64, f64::NAN), 1.0);
    }
}
