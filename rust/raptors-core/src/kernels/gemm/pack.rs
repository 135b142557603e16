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
            // Rows are contiguous: walk mr rows side by side, with the panel height known at
            // compile time for the kernels' shapes (a runtime-length inner loop of 6 packed
            // 3.8 GB/s, three quarters of a 100000x384 @ 384x16 product).
            match mr {
                6 => rows_side_by_side::<T, 6>(kc, base, a.rs, out),
                4 => rows_side_by_side::<T, 4>(kc, base, a.rs, out),
                _ => {
                    for p in 0..kc {
                        for i in 0..mr {
                            *out.add(p * mr + i) =
                                (*base.offset(i as isize * a.rs + p as isize)).widen();
                        }
                    }
                }
            }
            out = out.add(mr * kc);
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

/// One full panel of `MR` contiguous rows (row stride `rs`), `kc` columns, into `dst`.
#[inline(always)]
unsafe fn rows_side_by_side<T: GemmElem, const MR: usize>(
    kc: usize,
    base: *const T,
    rs: isize,
    dst: *mut T::Acc,
) {
    let rows: [*const T; MR] = std::array::from_fn(|i| base.offset(i as isize * rs));
    // The next panel's rows, fetched a cache line per row as this panel's advance: each row
    // segment is only kc elements long, too short for the hardware prefetcher to catch on.
    let line = (64 / std::mem::size_of::<T>()).max(1);
    let next = base.wrapping_offset(MR as isize * rs);
    for p in 0..kc {
        if p % line == 0 {
            for i in 0..MR {
                prefetch(next.wrapping_offset(i as isize * rs + p as isize));
            }
        }
        let out = dst.add(p * MR);
        for (i, row) in rows.iter().enumerate() {
            *out.add(i) = (*row.add(p)).widen();
        }
    }
}

/// `G` full panels of B side by side: `kc` runs of `G * NR` contiguous values (row stride
/// `rs`), panel `g` to `dst + g * kc * NR`.
#[inline(always)]
unsafe fn row_groups<T: GemmElem, const NR: usize, const G: usize>(
    kc: usize,
    base: *const T,
    rs: isize,
    dst: *mut T::Acc,
) {
    for p in 0..kc {
        let row = base.offset(p as isize * rs);
        for g in 0..G {
            let out = dst.add(g * kc * NR + p * NR);
            for j in 0..NR {
                *out.add(j) = (*row.add(g * NR + j)).widen();
            }
        }
    }
}

/// A hint to fetch the line holding `p` into the caches (never faults; a no-op elsewhere).
#[inline(always)]
fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint and does not fault, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p as *const i8);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
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
    let mut first = first;
    if b.cs == 1 {
        // Whole panels side by side, GROUP at a time: each row of B is then read in runs of
        // GROUP * nr contiguous values rather than one nr piece per pass (1024x1024 float64
        // on one core: pack_b took 4.7% of the product, its rows read one 64-byte piece per
        // 8 KB stride; four panels at a time gave 1-2% more GFLOP/s, eight no more).
        const GROUP: usize = 4;
        let whole = last.min(nc / nr);
        while first + GROUP <= whole {
            let base = b.ptr.add(first * nr);
            let out = dst.add(first * nr * kc);
            match nr {
                16 => row_groups::<T, 16, GROUP>(kc, base, b.rs, out),
                8 => row_groups::<T, 8, GROUP>(kc, base, b.rs, out),
                _ => break,
            }
            first += GROUP;
        }
    }
    for q in first..last {
        let j0 = q * nr;
        let cols = nr.min(nc - j0);
        let base = b.ptr.offset(j0 as isize * b.cs);
        let mut out = dst.add(q * nr * kc);
        if b.cs == 1 && cols == nr {
            // Contiguous row pieces, of the kernels' widths known at compile time.
            match nr {
                16 => row_groups::<T, 16, 1>(kc, base, b.rs, out),
                8 => row_groups::<T, 8, 1>(kc, base, b.rs, out),
                _ => {
                    for p in 0..kc {
                        let row = base.offset(p as isize * b.rs);
                        for j in 0..nr {
                            *out.add(p * nr + j) = (*row.add(j)).widen();
                        }
                    }
                }
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
