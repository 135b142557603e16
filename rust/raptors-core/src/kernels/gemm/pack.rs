//! Packing: copies a block of A or B (any strides, any element type) into the accumulator
//! type, laid out in the order the micro-kernel reads it, zero-padded to whole panels. Packing
//! is where transposed, strided and negative-stride operands and narrow element types are
//! absorbed, so the kernels never see them.

use super::{GemmElem, MatRef};

/// Packs rows `0..mc` and columns `0..kc` of `a` (already offset to the block's corner) into
/// `ceil(mc / mr)` panels of `mr x kc`, column by column: panel `q` holds, for each `p`, the
/// `mr` values `a[q*mr + i, p]`. Rows past `mc` are zero.
///
/// # Safety
/// `a` addresses an `mc x kc` block; `dst` has room for `ceil(mc/mr) * mr * kc` values.
pub unsafe fn pack_a<T: GemmElem>(mc: usize, kc: usize, mr: usize, a: MatRef<T>, dst: *mut T::Acc) {
    let mut out = dst;
    for q in (0..mc).step_by(mr) {
        let rows = mr.min(mc - q);
        let base = a.ptr.offset(q as isize * a.rs);
        if a.cs == 1 && rows == mr {
            // Rows are contiguous: walk mr rows side by side.
            for p in 0..kc {
                for i in 0..mr {
                    *out.add(i) = (*base.offset(i as isize * a.rs + p as isize)).widen();
                }
                out = out.add(mr);
            }
        } else {
            for p in 0..kc {
                let col = base.offset(p as isize * a.cs);
                for i in 0..mr {
                    *out.add(i) = if i < rows {
                        (*col.offset(i as isize * a.rs)).widen()
                    } else {
                        T::Acc::default()
                    };
                }
                out = out.add(mr);
            }
        }
    }
}

/// Packs rows `0..kc` and columns `0..nc` of `b` into `ceil(nc / nr)` panels of `kc x nr`, row
/// by row: panel `q` holds, for each `p`, the `nr` values `b[p, q*nr + j]`. Columns past `nc`
/// are zero. Only panels `first..last` are written (so several threads can pack one block).
///
/// # Safety
/// `b` addresses a `kc x nc` block; `dst` has room for `ceil(nc/nr) * nr * kc` values.
#[allow(clippy::too_many_arguments)]
pub unsafe fn pack_b<T: GemmElem>(
    kc: usize,
    nc: usize,
    nr: usize,
    b: MatRef<T>,
    dst: *mut T::Acc,
    first: usize,
    last: usize,
) {
    for q in first..last {
        let j0 = q * nr;
        let cols = nr.min(nc - j0);
        let base = b.ptr.offset(j0 as isize * b.cs);
        let mut out = dst.add(q * nr * kc);
        if b.cs == 1 && cols == nr {
            for p in 0..kc {
                let row = base.offset(p as isize * b.rs);
                for j in 0..nr {
                    *out.add(j) = (*row.add(j)).widen();
                }
                out = out.add(nr);
            }
        } else {
            for p in 0..kc {
                let row = base.offset(p as isize * b.rs);
                for j in 0..nr {
                    *out.add(j) = if j < cols {
                        (*row.offset(j as isize * b.cs)).widen()
                    } else {
                        T::Acc::default()
                    };
                }
                out = out.add(nr);
            }
        }
    }
}
