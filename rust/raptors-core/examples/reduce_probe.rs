//! Quick reduction timing without Python: `cargo run --release -p raptors-core --example
//! reduce_probe [threads]`. Prints GB/s of full sum/mean/max/argmax over cache-resident
//! (64K elements) and memory-resident (1e7) arrays, and of sums along each axis of
//! 4096x4096, so leaf kernels can be tuned without a wheel build. The NumPy comparison lives
//! in benches/bench_reduce.py.

use raptors_core::ops::reduce::{amax, argmax, mean, sum};
use raptors_core::{exec, DType, NdArray, Result};
use std::time::Instant;

type Op = fn(&NdArray) -> Result<NdArray>;

/// GB/s of each op on `x`, best of interleaved rounds (a noisy spell hits every op alike).
fn gbps(x: &NdArray, ops: &[(&str, Op)]) -> String {
    let bytes = (x.size() * x.itemsize()) as f64;
    let reps = (2e9 / bytes).clamp(5.0, 10_000.0) as usize;
    let mut best = vec![f64::MAX; ops.len()];
    for _ in 0..9 {
        for (b, (_, op)) in best.iter_mut().zip(ops) {
            let t = Instant::now();
            for _ in 0..reps {
                std::hint::black_box(op(x).unwrap());
            }
            *b = b.min(t.elapsed().as_secs_f64() / reps as f64);
        }
    }
    let row: Vec<String> = ops
        .iter()
        .zip(best)
        .map(|((name, _), t)| format!("{name} {:6.1}", bytes / t / 1e9))
        .collect();
    row.join("  ")
}

fn main() {
    let threads = std::env::args().nth(1).map_or(1, |s| s.parse().unwrap());
    exec::set_num_threads(threads).unwrap();
    let ops: [(&str, Op); 4] = [
        ("sum", |x| sum(x, None, None, false, None)),
        ("mean", |x| mean(x, None, None, false, None)),
        ("max", |x| amax(x, None, false, None)),
        ("argmax", |x| argmax(x, None, false, None)),
    ];
    println!("threads {threads}; GB/s read");
    for n in [1usize << 16, 10_000_000] {
        let v: Vec<f64> = (0..n).map(|i| ((i * 7919) % 1000) as f64 * 0.5).collect();
        let base = NdArray::from_vec(v, &[n]).unwrap();
        for dt in [DType::Float32, DType::Float64, DType::Int64] {
            let x = base.astype(dt).unwrap();
            println!("{n:>9} {:8} {}", format!("{dt:?}"), gbps(&x, &ops));
        }
    }
    let axes: [(&str, Op); 2] = [
        ("axis0", |x| sum(x, Some(&[0]), None, false, None)),
        ("axis1", |x| sum(x, Some(&[1]), None, false, None)),
    ];
    let v: Vec<f64> = (0..1 << 24).map(|i| (i % 1000) as f64 * 0.5).collect();
    let base = NdArray::from_vec(v, &[4096, 4096]).unwrap();
    for dt in [DType::Float32, DType::Float64, DType::Int64] {
        let x = base.astype(dt).unwrap();
        println!("4096x4096 {:8} {}", format!("{dt:?}"), gbps(&x, &axes));
    }
}
