//! Selection and clean-up elementwise functions: `where`, `clip`, `nan_to_num`, `round`.

use crate::array::NdArray;
use crate::cast::Scalar;
use crate::dtype::{result_type, DType};
use crate::error::{Error, Result};
use crate::layout::{self, for_each_run};
use crate::ops::ufunc::{self, BinaryOp, UnaryOp};

/// `np.where(cond, x, y)`: `x` where `cond` is true, else `y`, broadcast together.
pub fn where_(cond: &NdArray, x: &NdArray, y: &NdArray) -> Result<NdArray> {
    let shape = layout::broadcast_shapes(&[cond.shape(), x.shape(), y.shape()]).map_err(|_| {
        Error::Value(format!(
            "operands could not be broadcast together with shapes {} {} {} ",
            layout::shape_str_compact(cond.shape()),
            layout::shape_str_compact(x.shape()),
            layout::shape_str_compact(y.shape())
        ))
    })?;
    let dtype = result_type(&[x.dtype(), y.dtype()], &[])?;
    let c = cond.astype(DType::Bool)?.broadcast_to(&shape)?;
    let x = x.astype(dtype)?.broadcast_to(&shape)?;
    let y = y.astype(dtype)?.broadcast_to(&shape)?;
    let out = NdArray::alloc(dtype, &shape, false)?;
    crate::dispatch!(dtype, T => {
        let (pc, px, py, po) = (c.data_ptr(), x.data_ptr(), y.data_ptr(), out.data_ptr() as *mut u8);
        let size = size_of::<T>() as isize;
        for_each_run(&shape, [c.strides(), x.strides(), y.strides(), out.strides()], |[oc, ox, oy, oo], n, [sc, sx, sy, so]| {
            // SAFETY: offsets come from validated geometry; `out` is fresh and private.
            unsafe {
                for k in 0..n as isize {
                    let pick = *(pc.offset(oc + k * sc) as *const bool);
                    let src = if pick { px.offset(ox + k * sx) } else { py.offset(oy + k * sy) };
                    let v = std::ptr::read_unaligned(src as *const T);
                    std::ptr::write_unaligned(po.offset(oo + k * so) as *mut T, v);
                }
            }
            let _ = size;
        });
    });
    Ok(out)
}

/// `np.clip(a, a_min, a_max, out=out)`: NaN in `a` propagates; either bound may be absent.
pub fn clip(
    a: &NdArray,
    lo: Option<&NdArray>,
    hi: Option<&NdArray>,
    out: Option<&NdArray>,
) -> Result<NdArray> {
    let shapes: Vec<&[usize]> = std::iter::once(a.shape())
        .chain(lo.map(|l| l.shape()))
        .chain(hi.map(|h| h.shape()))
        .collect();
    if layout::broadcast_shapes(&shapes).is_err() {
        let listed: Vec<String> = shapes
            .iter()
            .map(|s| layout::shape_str_compact(s))
            .collect();
        return Err(Error::Value(format!(
            "operands could not be broadcast together with shapes {} ",
            listed.join(" ")
        )));
    }
    match (lo, hi) {
        // NumPy 2: no bounds is a copy (np.positive).
        (None, None) => match out {
            Some(o) => {
                o.assign(a)?;
                Ok(o.clone())
            }
            None => a.copy(),
        },
        (Some(lo), None) => ufunc::binary(BinaryOp::Maximum, a, lo, out),
        (None, Some(hi)) => ufunc::binary(BinaryOp::Minimum, a, hi, out),
        (Some(lo), Some(hi)) => {
            let low = ufunc::binary(BinaryOp::Maximum, a, lo, None)?;
            ufunc::binary(BinaryOp::Minimum, &low, hi, out)
        }
    }
}

/// `np.nan_to_num(x, nan=0.0, posinf=None, neginf=None)`: a copy with NaN and infinities
/// replaced (by the dtype's largest finite values when not given). Non-floats are copied.
pub fn nan_to_num(
    x: &NdArray,
    nan: f64,
    posinf: Option<f64>,
    neginf: Option<f64>,
) -> Result<NdArray> {
    let out = x.copy()?;
    if !x.dtype().is_float() {
        return Ok(out);
    }
    let info = crate::dtype::finfo(x.dtype())?;
    let (pos, neg) = (posinf.unwrap_or(info.max), neginf.unwrap_or(info.min));
    let fix = |v: f64| {
        if v.is_nan() {
            nan
        } else if v == f64::INFINITY {
            pos
        } else if v == f64::NEG_INFINITY {
            neg
        } else {
            v
        }
    };
    let n = out.size();
    // SAFETY: `out` is a fresh, private, contiguous copy.
    unsafe {
        match x.dtype() {
            DType::Float64 => {
                let s = std::slice::from_raw_parts_mut(out.data_ptr() as *mut f64, n);
                s.iter_mut().for_each(|v| *v = fix(*v));
            }
            DType::Float32 => {
                let s = std::slice::from_raw_parts_mut(out.data_ptr() as *mut f32, n);
                s.iter_mut().for_each(|v| *v = fix(*v as f64) as f32);
            }
            _ => {
                let s = std::slice::from_raw_parts_mut(out.data_ptr() as *mut half::f16, n);
                s.iter_mut()
                    .for_each(|v| *v = half::f16::from_f64(fix(v.to_f64())));
            }
        }
    }
    Ok(out)
}

/// `np.round(x, decimals)`: round half to even at `decimals` digits (negative: left of the
/// point). Integers are returned unchanged for `decimals >= 0`.
pub fn round(x: &NdArray, decimals: i32, out: Option<&NdArray>) -> Result<NdArray> {
    if x.dtype() == DType::Bool && decimals != 0 {
        // NumPy scales bool arrays in place, which its casting rules refuse.
        return Err(Error::Type(
            "Cannot cast ufunc 'multiply' output from dtype('float64') to dtype('bool') with casting rule 'same_kind'".into(),
        ));
    }
    if decimals == 0 || (x.dtype().is_integer() && decimals > 0) {
        if x.dtype().is_float() || x.dtype() == DType::Bool {
            return ufunc::unary(UnaryOp::Rint, x, out);
        }
        return match out {
            Some(o) => {
                o.assign(x)?;
                Ok(o.clone())
            }
            None => x.copy(),
        };
    }
    if x.dtype().is_integer() {
        // Integers to tens, hundreds, ...: exact integer arithmetic, half to even.
        let f = 10i128.checked_pow((-decimals) as u32).unwrap_or(i128::MAX);
        let r = crate::dispatch!(x.dtype(), T => {
            let v = x.as_contiguous()?.to_vec::<T>()?;
            let rounded: Vec<T> = v
                .iter()
                .map(|&e| {
                    let e: i128 = match Scalar::from_element(e) {
                        Scalar::Int(i) => i as i128,
                        Scalar::UInt(u) => u as i128,
                        _ => 0,
                    };
                    let (q, rem) = (e.div_euclid(f), e.rem_euclid(f));
                    let q = if 2 * rem > f || (2 * rem == f && q % 2 != 0) { q + 1 } else { q };
                    // Wraps like NumPy when the rounded value leaves the dtype's range.
                    Scalar::Int(q.saturating_mul(f) as i64).cast::<T>()
                })
                .collect();
            NdArray::from_vec(rounded, x.shape())?
        });
        return match out {
            Some(o) => {
                o.assign(&r)?;
                Ok(o.clone())
            }
            None => Ok(r),
        };
    }
    // Floats (and bool, as float16): scale, round half to even, unscale (NumPy's recipe).
    let dt = crate::ops::ufunc::float_for(x.dtype());
    let scale = NdArray::from_vec(vec![10f64.powi(decimals.abs())], &[])?.astype(dt)?;
    let (up, down) = if decimals > 0 {
        (BinaryOp::Multiply, BinaryOp::TrueDivide)
    } else {
        (BinaryOp::TrueDivide, BinaryOp::Multiply)
    };
    let y = ufunc::binary(up, x, &scale, None)?;
    let y = ufunc::unary(UnaryOp::Rint, &y, None)?;
    ufunc::binary(down, &y, &scale, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_clip_round() {
        let c = NdArray::from_vec(vec![true, false, true], &[3]).unwrap();
        let x = NdArray::from_vec(vec![1i8, 2, 3], &[3]).unwrap();
        let y = NdArray::from_vec(vec![10.5f32], &[]).unwrap();
        let w = where_(&c, &x, &y).unwrap();
        assert_eq!(w.dtype(), DType::Float32);
        assert_eq!(w.to_vec::<f32>().unwrap(), vec![1.0, 10.5, 3.0]);
        let v = NdArray::from_vec(vec![-5.0f64, 0.5, f64::NAN, 9.0], &[4]).unwrap();
        let lo = NdArray::from_vec(vec![0.0f64], &[]).unwrap();
        let hi = NdArray::from_vec(vec![1.0f64], &[]).unwrap();
        let c = clip(&v, Some(&lo), Some(&hi), None)
            .unwrap()
            .to_vec::<f64>()
            .unwrap();
        assert_eq!(c[..2], [0.0, 0.5]);
        assert!(c[2].is_nan());
        let r = round(
            &NdArray::from_vec(vec![1.25f64, 2.675, -0.5], &[3]).unwrap(),
            1,
            None,
        )
        .unwrap();
        assert_eq!(r.to_vec::<f64>().unwrap(), vec![1.2, 2.7, -0.5]);
        let ri = round(
            &NdArray::from_vec(vec![15i64, 25, -35, 149], &[4]).unwrap(),
            -1,
            None,
        )
        .unwrap();
        assert_eq!(ri.to_vec::<i64>().unwrap(), vec![20, 20, -40, 150]);
        let n = nan_to_num(
            &NdArray::from_vec(vec![f64::NAN, f64::INFINITY], &[2]).unwrap(),
            0.0,
            None,
            None,
        )
        .unwrap();
        assert_eq!(n.to_vec::<f64>().unwrap(), vec![0.0, f64::MAX]);
    }
}
