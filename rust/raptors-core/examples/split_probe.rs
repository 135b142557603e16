//! Distribution of per-call times of a cheap elementwise op around the parallel-split
//! threshold, without Python: `cargo run --release -p raptors-core --example split_probe
//! [threads]`. Prints p10/p50/p90 per size, so hand-off latency (a worker waking late) shows
//! as a gap between p10 and p50. The NumPy comparison lives in benches/bench_elementwise.py.

use raptors_core::exec;
use raptors_core::ops::ufunc::{binary, BinaryOp};
use raptors_core::{DType, NdArray};
use std::time::{Duration, Instant};

fn main() {
    let threads = std::env::args().nth(1).map_or(2, |s| s.parse().unwrap());
    exec::set_num_threads(threads).unwrap();
    println!("threads {threads}; µs per float32 add (p10 / p50 / p90)");
    for n in [
        20_000usize,
        32_768,
        40_000,
        50_000,
        65_535,
        100_000,
        200_000,
        500_000,
    ] {
        let v: Vec<f32> = (0..n).map(|i| i as f32).collect();
        let a = NdArray::from_vec(v, &[n]).unwrap();
        let b = a.astype(DType::Float32).unwrap();
        let calls = (200_000_000 / n).clamp(200, 5000);
        let mut t: Vec<Duration> = (0..calls)
            .map(|_| {
                let s = Instant::now();
                std::hint::black_box(binary(BinaryOp::Add, &a, &b, None).unwrap());
                s.elapsed()
            })
            .collect();
        t.sort();
        let q = |p: usize| t[p * (t.len() - 1) / 100].as_secs_f64() * 1e6;
        println!("{n:>9}  {:8.1} {:8.1} {:8.1}", q(10), q(50), q(90));
    }
}
