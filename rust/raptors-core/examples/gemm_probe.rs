//! Quick GEMM timing without Python: `cargo run --release -p raptors-core --example gemm_probe
//! [n ...]`. Prints GFLOP/s of square float32/float64 products and the measured peak. The
//! NumPy comparison lives in benches/bench_linalg.py.

use raptors_core::exec;
use raptors_core::kernels::gemm::{gemm, peak_flops, GemmElem, MatMut, MatRef};
use std::time::Instant;

fn time<T: GemmElem + num_traits::NumCast>(n: usize) -> f64 {
    let a: Vec<T> = (0..n * n)
        .map(|i| num_traits::cast((i % 7) as f64 * 0.25).unwrap())
        .collect();
    let b = a.clone();
    let mut c = vec![T::zero(); n * n];
    let r = |p: *const T| MatRef {
        ptr: p,
        rs: n as isize,
        cs: 1,
    };
    let reps = (2e9 / (2.0 * (n * n * n) as f64)).clamp(3.0, 2000.0) as usize;
    let mut best = f64::MAX;
    for _ in 0..reps {
        let t = Instant::now();
        unsafe {
            gemm(
                n,
                n,
                n,
                r(a.as_ptr()),
                r(b.as_ptr()),
                MatMut {
                    ptr: c.as_mut_ptr(),
                    rs: n as isize,
                    cs: 1,
                },
                &[(0, 0, 0)],
            );
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    2.0 * (n * n * n) as f64 / best / 1e9
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|s| s.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![64, 256, 1024, 2048]
    } else {
        sizes
    };
    let threads = exec::num_threads();
    println!(
        "threads {threads}, caches {:?}",
        raptors_core::kernels::cpu::caches()
    );
    println!(
        "peak f32 {:.1} GFLOP/s, f64 {:.1}",
        peak_flops(false, threads, 0.5) / 1e9,
        peak_flops(true, threads, 0.5) / 1e9
    );
    for n in sizes {
        println!(
            "n={n:5}  f32 {:7.1} GFLOP/s  f64 {:7.1} GFLOP/s",
            time::<f32>(n),
            time::<f64>(n)
        );
    }
}
