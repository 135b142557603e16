//! Array creation: full/zeros/ones, arange, linspace, eye.

use crate::array::NdArray;
use crate::cast::Scalar;
use crate::dispatch;
use crate::dtype::{DType, Kind};
use crate::error::{Error, Result};
use half::f16;

/// Writes `f(i)` for every element of a fresh C-contiguous array.
fn generate(dtype: DType, shape: &[usize], f: impl Fn(usize) -> Scalar) -> Result<NdArray> {
    let out = NdArray::alloc(dtype, shape, false)?;
    let n = out.size();
    dispatch!(dtype, T => {
        // SAFETY: fresh, private, contiguous and aligned array of n elements of T.
        let s = unsafe { std::slice::from_raw_parts_mut(out.data_ptr_mut() as *mut T, n) };
        for (i, o) in s.iter_mut().enumerate() {
            *o = f(i).cast();
        }
    });
    Ok(out)
}

pub fn full(shape: &[usize], value: Scalar, dtype: Option<DType>) -> Result<NdArray> {
    let dtype = dtype.unwrap_or_else(|| value.default_dtype());
    value.check_fits(dtype)?;
    let zero = match value {
        Scalar::Bool(b) => !b,
        Scalar::Int(i) => i == 0,
        Scalar::UInt(u) => u == 0,
        Scalar::Float(f) => f.to_bits() == 0,
    };
    let out = NdArray::alloc(dtype, shape, zero)?;
    if !zero {
        out.fill(value)?;
    }
    Ok(out)
}

/// `np.arange(start, stop, step, dtype)`. Integer arguments with an integer dtype are exact;
/// otherwise NumPy's recipe: length `ceil((stop - start) / step)`, values `first + i * delta`
/// with `delta` taken from the first two values in the target dtype.
pub fn arange(start: Scalar, stop: Scalar, step: Scalar, dtype: Option<DType>) -> Result<NdArray> {
    let all_int = [start, stop, step]
        .iter()
        .all(|s| !matches!(s, Scalar::Float(_)));
    let as_f64 = |s: Scalar| match s {
        Scalar::Bool(b) => b as u8 as f64,
        Scalar::Int(i) => i as f64,
        Scalar::UInt(u) => u as f64,
        Scalar::Float(f) => f,
    };
    let as_i128 = |s: Scalar| match s {
        Scalar::Bool(b) => b as i128,
        Scalar::Int(i) => i as i128,
        Scalar::UInt(u) => u as i128,
        Scalar::Float(f) => f as i128,
    };
    let default = if all_int {
        DType::Int64
    } else {
        DType::Float64
    };
    let dtype = dtype.unwrap_or(default);
    let len: usize = if all_int {
        let (a, b, s) = (as_i128(start), as_i128(stop), as_i128(step));
        if s == 0 {
            return Err(Error::ZeroDivision("division by zero".into()));
        }
        let n = (b - a + s - s.signum()) / s;
        n.max(0) as usize
    } else {
        let (a, b, s) = (as_f64(start), as_f64(stop), as_f64(step));
        if s == 0.0 {
            return Err(Error::ZeroDivision("float division by zero".into()));
        }
        if !((b - a) / s).is_finite() {
            return Err(Error::Value("Maximum allowed size exceeded".into()));
        }
        ((b - a) / s).ceil().max(0.0) as usize
    };
    if dtype == DType::Bool && len > 2 {
        return Err(Error::Type(
            "arange() is only supported for booleans when the result has at most length 2.".into(),
        ));
    }
    if all_int && dtype.is_integer() {
        // NumPy converts the first two values to the dtype, checking Python int bounds.
        let (a, s) = (as_i128(start), as_i128(step));
        let info = crate::dtype::iinfo(dtype)?;
        for v in [Some(a), (len > 1).then_some(a + s)].into_iter().flatten() {
            if v < info.min || v > info.max {
                return Err(Error::Overflow(format!(
                    "Python integer {v} out of bounds for {dtype}"
                )));
            }
        }
    }
    if all_int && dtype.kind() != Kind::Float {
        let (a, s) = (as_i128(start), as_i128(step));
        return generate(dtype, &[len], |i| Scalar::Int((a + i as i128 * s) as i64));
    }
    let (a, s) = (as_f64(start), as_f64(step));
    match dtype {
        DType::Float64 => {
            let delta = (a + s) - a;
            generate(dtype, &[len], |i| Scalar::Float(a + i as f64 * delta))
        }
        DType::Float32 | DType::Float16 => {
            // NumPy fills float32 (and float16, via float32) in float32 arithmetic.
            let round = |x: f64| {
                if dtype == DType::Float16 {
                    f16::from_f64(x).to_f32()
                } else {
                    x as f32
                }
            };
            let first = round(a);
            let delta = round(a + s) - first;
            generate(dtype, &[len], |i| {
                Scalar::Float((first + i as f32 * delta) as f64)
            })
        }
        _ => {
            // Float arguments into an integer dtype: NumPy casts the first two values.
            let first = Scalar::Float(a).cast::<i64>();
            let delta = Scalar::Float(a + s).cast::<i64>().wrapping_sub(first);
            generate(dtype, &[len], |i| {
                Scalar::Int(first.wrapping_add((i as i64).wrapping_mul(delta)))
            })
        }
    }
}

/// `np.linspace(start, stop, num, endpoint, dtype)`.
pub fn linspace(
    start: f64,
    stop: f64,
    num: isize,
    endpoint: bool,
    dtype: Option<DType>,
) -> Result<NdArray> {
    if num < 0 {
        return Err(Error::Value(format!(
            "Number of samples, {num}, must be non-negative."
        )));
    }
    let num = num as usize;
    let div = if endpoint { num.saturating_sub(1) } else { num };
    let delta = stop - start;
    let step = if div > 0 {
        delta / div as f64
    } else {
        f64::NAN
    };
    let dtype = dtype.unwrap_or(DType::Float64);
    let integer = dtype.kind() != Kind::Float;
    let value = |i: usize| -> f64 {
        let mut y = if div > 0 {
            if step == 0.0 {
                (i as f64 / div as f64) * delta + start
            } else {
                i as f64 * step + start
            }
        } else {
            i as f64 * delta + start
        };
        if endpoint && num > 1 && i == num - 1 {
            y = stop;
        }
        if integer {
            y.floor()
        } else {
            y
        }
    };
    generate(dtype, &[num], |i| Scalar::Float(value(i)))
}

/// `np.eye(n, m, k, dtype)`: ones on the k-th diagonal.
pub fn eye(n: usize, m: Option<usize>, k: isize, dtype: DType) -> Result<NdArray> {
    let m = m.unwrap_or(n);
    generate(dtype, &[n, m], |idx| {
        let (r, c) = ((idx / m.max(1)) as isize, (idx % m.max(1)) as isize);
        Scalar::Bool(c - r == k)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arange_matches_numpy() {
        let a = arange(Scalar::Int(0), Scalar::Int(10), Scalar::Int(3), None).unwrap();
        assert_eq!(a.to_vec::<i64>().unwrap(), vec![0, 3, 6, 9]);
        let b = arange(Scalar::Int(5), Scalar::Int(0), Scalar::Int(-2), None).unwrap();
        assert_eq!(b.to_vec::<i64>().unwrap(), vec![5, 3, 1]);
        let c = arange(
            Scalar::Float(0.0),
            Scalar::Float(1.0),
            Scalar::Float(0.1),
            None,
        )
        .unwrap();
        assert_eq!(c.size(), 10);
        assert_eq!(
            arange(Scalar::Int(3), Scalar::Int(1), Scalar::Int(1), None)
                .unwrap()
                .size(),
            0
        );
        assert!(matches!(
            arange(Scalar::Int(0), Scalar::Int(1), Scalar::Int(0), None),
            Err(Error::ZeroDivision(_))
        ));
        assert!(arange(
            Scalar::Int(-1),
            Scalar::Int(3),
            Scalar::Int(1),
            Some(DType::UInt8)
        )
        .is_err());
        assert_eq!(
            arange(
                Scalar::Int(2),
                Scalar::Int(0),
                Scalar::Int(-1),
                Some(DType::Bool)
            )
            .unwrap()
            .to_vec::<bool>()
            .unwrap(),
            vec![true, true]
        );
        let d = arange(
            Scalar::Int(250),
            Scalar::Int(260),
            Scalar::Int(1),
            Some(DType::UInt8),
        )
        .unwrap();
        assert_eq!(d.to_vec::<u8>().unwrap()[6..], [0, 1, 2, 3]);
    }

    #[test]
    fn linspace_and_eye() {
        let l = linspace(0.0, 1.0, 5, true, None).unwrap();
        assert_eq!(l.to_vec::<f64>().unwrap(), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        let l = linspace(0.0, 1.0, 4, false, None).unwrap();
        assert_eq!(l.to_vec::<f64>().unwrap(), vec![0.0, 0.25, 0.5, 0.75]);
        assert_eq!(
            linspace(2.0, 3.0, 1, true, None)
                .unwrap()
                .to_vec::<f64>()
                .unwrap(),
            vec![2.0]
        );
        assert!(linspace(0.0, 1.0, -1, true, None).is_err());
        let e = eye(2, Some(3), 1, DType::Int32).unwrap();
        assert_eq!(e.to_vec::<i32>().unwrap(), vec![0, 1, 0, 0, 0, 1]);
        assert_eq!(eye(0, None, 0, DType::Float64).unwrap().shape(), &[0, 0]);
    }

    #[test]
    fn full_checks_overflow() {
        assert!(full(&[2], Scalar::Int(300), Some(DType::UInt8)).is_err());
        let f = full(&[2], Scalar::Float(-0.0), None).unwrap();
        assert!(f.to_vec::<f64>().unwrap()[0].is_sign_negative());
    }
}
