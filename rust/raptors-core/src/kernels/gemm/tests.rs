//! The packed GEMM and the matrix-vector path against a plain triple loop, on shapes that hit
//! every edge: empty and unit dimensions, primes, non-multiples of the register block and of
//! the cache blocks, transposed, strided and negative-stride operands, batches, every type.

use super::*;
use crate::exec;

/// Deterministic small values (exact in every type, products exact in float32 sums of a few
/// hundred terms).
fn values<T: GemmElem + num_traits::NumCast>(len: usize, seed: u64) -> Vec<T> {
    let mut s = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let v = ((s >> 33) % 7) as i64 - 3;
            num_traits::cast(v).unwrap_or_else(|| num_traits::cast(v.unsigned_abs()).unwrap())
        })
        .collect()
}

/// Reference `C = A · B` for one product (accumulating in the accumulator type).
unsafe fn reference<T: GemmElem>(
    m: usize,
    n: usize,
    k: usize,
    a: MatRef<T>,
    b: MatRef<T>,
) -> Vec<T> {
    let mut c = Vec::with_capacity(m * n);
    for i in 0..m {
        for j in 0..n {
            let mut s = T::Acc::default();
            for p in 0..k {
                s = s.mul_add((*a.at(i, p).ptr).widen(), (*b.at(p, j).ptr).widen());
            }
            c.push(T::narrow(s));
        }
    }
    c
}

/// Checks one (m, n, k) with A and B in the given layouts: 0 row-major, 1 column-major,
/// 2 row-major with doubled column stride, 3 reversed rows.
fn check<T: GemmElem + num_traits::NumCast>(m: usize, n: usize, k: usize, la: u8, lb: u8) {
    let layout = |rows: usize, cols: usize, l: u8, data: &Vec<T>| -> MatRef<T> {
        let p = data.as_ptr();
        match l {
            0 => MatRef {
                ptr: p,
                rs: cols as isize,
                cs: 1,
            },
            1 => MatRef {
                ptr: p,
                rs: 1,
                cs: rows as isize,
            },
            2 => MatRef {
                ptr: p,
                rs: 2 * cols as isize,
                cs: 2,
            },
            _ => MatRef {
                ptr: unsafe { p.add(rows.saturating_sub(1) * cols) },
                rs: -(cols as isize),
                cs: 1,
            },
        }
    };
    let da = values::<T>(2 * m * k + 1, (m * 31 + k) as u64);
    let db = values::<T>(2 * k * n + 1, (n * 17 + k) as u64);
    let (a, b) = (layout(m, k, la, &da), layout(k, n, lb, &db));
    let want = unsafe { reference(m, n, k, a, b) };
    let mut got = vec![T::one(); m * n];
    let c = MatMut {
        ptr: got.as_mut_ptr(),
        rs: n as isize,
        cs: 1,
    };
    unsafe { gemm(m, n, k, a, b, c, &[(0, 0, 0)]) };
    assert_eq!(
        got,
        want,
        "{m}x{k} @ {k}x{n}, layouts {la}/{lb}, {:?}",
        T::DTYPE
    );
}

#[test]
fn packed_and_gemv_match_the_reference() {
    let dims = [0, 1, 2, 5, 7, 16, 17, 33];
    for &m in &dims {
        for &n in &dims {
            for &k in &[0, 1, 3, 9, 31] {
                check::<f32>(m, n, k, (m % 4) as u8, (n % 4) as u8);
            }
        }
    }
    for l in 0..4 {
        for &(m, n, k) in &[(67, 1, 300), (1, 53, 300), (130, 70, 520), (9, 300, 41)] {
            check::<f64>(m, n, k, l, 3 - l);
            check::<f32>(m, n, k, l, l);
            check::<i32>(m, n, k, 3 - l, l);
        }
    }
}

#[test]
fn every_type() {
    fn all<T: GemmElem + num_traits::NumCast>() {
        // n = 70: B packed in groups of four whole panels, then single and partial ones.
        for &(m, n, k) in &[
            (7, 13, 5),
            (20, 1, 30),
            (1, 19, 30),
            (13, 17, 300),
            (9, 70, 40),
        ] {
            check::<T>(m, n, k, 0, 1);
            check::<T>(m, n, k, 1, 0);
        }
    }
    all::<i8>();
    all::<u8>();
    all::<i16>();
    all::<u16>();
    all::<i32>();
    all::<u32>();
    all::<i64>();
    all::<u64>();
    all::<f32>();
    all::<f64>();
    all::<half::f16>();
}

#[test]
fn wraparound_and_bool_semantics() {
    // int8: 100 * 100 * 3 wraps exactly as NumPy's int8 matmul.
    let a = [100i8; 3];
    let b = [100i8; 3];
    let mut c = [0i8; 1];
    let r = |p: *const i8| MatRef {
        ptr: p,
        rs: 3,
        cs: 1,
    };
    unsafe {
        gemm(
            1,
            1,
            3,
            r(a.as_ptr()),
            MatRef {
                ptr: b.as_ptr(),
                rs: 1,
                cs: 1,
            },
            MatMut {
                ptr: c.as_mut_ptr(),
                rs: 1,
                cs: 1,
            },
            &[(0, 0, 0)],
        );
    }
    assert_eq!(c[0], (30000i32 as i8));
    // bool: or of ands.
    let a = [true, false, false, false];
    let b = [false, true, true, false];
    let mut c = [false; 4];
    unsafe {
        gemm(
            2,
            2,
            2,
            MatRef {
                ptr: a.as_ptr(),
                rs: 2,
                cs: 1,
            },
            MatRef {
                ptr: b.as_ptr(),
                rs: 2,
                cs: 1,
            },
            MatMut {
                ptr: c.as_mut_ptr(),
                rs: 2,
                cs: 1,
            },
            &[(0, 0, 0)],
        );
    }
    assert_eq!(c, [false, true, false, false]);
}

#[test]
fn batches_and_threads() {
    let (m, n, k, batch) = (37, 29, 45, 9);
    let a = values::<f64>(batch * m * k, 1);
    let b = values::<f64>(k * n, 2); // shared (broadcast) B
    let mut c = vec![0.0; batch * m * n];
    let offs: Vec<_> = (0..batch)
        .map(|t| ((t * m * k) as isize, 0, (t * m * n) as isize))
        .collect();
    let ar = MatRef {
        ptr: a.as_ptr(),
        rs: k as isize,
        cs: 1,
    };
    let br = MatRef {
        ptr: b.as_ptr(),
        rs: n as isize,
        cs: 1,
    };
    for threads in [1, 2, 3] {
        exec::set_num_threads(threads).unwrap();
        c.fill(-1.0);
        unsafe {
            gemm(
                m,
                n,
                k,
                ar,
                br,
                MatMut {
                    ptr: c.as_mut_ptr(),
                    rs: n as isize,
                    cs: 1,
                },
                &offs,
            )
        };
        for t in 0..batch {
            let at = MatRef {
                ptr: unsafe { a.as_ptr().add(t * m * k) },
                ..ar
            };
            assert_eq!(
                &c[t * m * n..(t + 1) * m * n],
                unsafe { reference(m, n, k, at, br) }.as_slice()
            );
        }
        // One product big enough to split over the pool, columns and rows both.
        check::<f32>(200, 150, 270, 0, 0);
        check::<f32>(12, 700, 300, 1, 0);
        // The same shapes with other A values (strided, flipped): a thread's packed A block
        // is reused across column parts of one product only, never across products.
        check::<f32>(200, 150, 270, 2, 0);
        check::<f32>(200, 150, 270, 3, 0);
        // Many row blocks and one column part: the B block is still packed in one slice per
        // thread, each task waiting for the slices other threads pack.
        check::<f64>(1100, 40, 300, 0, 1);
    }
    exec::set_num_threads(exec::default_num_threads()).unwrap();
}

#[test]
fn small_products_every_tile_edge() {
    // Small products read whole tiles in place and pack only the edges: every remainder of
    // the 6 x 16 (float32) and 6 x 8 (float64) tiles, every layout, k up to the limit.
    for m in 1..=13 {
        for n in [1, 2, 7, 8, 9, 15, 16, 17, 31, 33] {
            for l in 0..4 {
                for k in [1, 5, 64, 256] {
                    check::<f32>(m, n, k, l, (l + m as u8) % 4);
                    check::<f64>(m, n, k, (l + n as u8) % 4, l);
                }
            }
        }
    }
    // float32 products of 2^18 to 2^19 multiply-adds stay in place too (`SMALL_BYTES`), on
    // either side of the bound, and beside them the float64 ones that split.
    for l in 0..4 {
        for &(m, n, k) in &[(64, 64, 64), (61, 67, 127), (2041, 2, 128), (100, 80, 65)] {
            check::<f32>(m, n, k, l, (l + 1) % 4);
            check::<f64>(m, n, k, l, (l + 1) % 4);
        }
    }
}
