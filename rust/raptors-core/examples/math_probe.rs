//! Single-thread timing of the transcendental kernels without Python: `cargo run --release
//! -p raptors-core --example math_probe [elements]`. Prints ns per element of every
//! `MathOp` for f32 and f64 on the best instruction-set path, over `elements` inputs (default
//! 1024, so source and destination stay in L1), so the kernels can be tuned without a wheel
//! build. The NumPy comparison lives in benches/bench_elementwise.py.
//!
//! Each op is timed in one series of short batches and the best batch is kept: interleaving
//! the ops round by round, as the other probes do, left single ops of single runs stuck up
//! to 3x slower on this VM for the whole run.

use raptors_core::kernels::math::{apply_f32, apply_f64, MathOp};
use std::time::Instant;

const OPS: [(MathOp, &str, f64, f64); 7] = [
    (MathOp::Exp, "exp", -10.0, 10.0),
    (MathOp::Log, "log", 0.01, 100.0),
    (MathOp::Sin, "sin", -10.0, 10.0),
    (MathOp::Cos, "cos", -10.0, 10.0),
    (MathOp::Tanh, "tanh", -5.0, 5.0),
    (MathOp::Expm1, "expm1", -3.0, 3.0),
    (MathOp::Log1p, "log1p", -0.5, 10.0),
];

/// Best nanoseconds per element of `f` over 200 batches of about 20 µs.
fn best_ns(n: usize, mut f: impl FnMut()) -> f64 {
    let reps = (20_000 / n).max(1);
    let mut best = f64::MAX;
    for _ in 0..200 {
        let t = Instant::now();
        for _ in 0..reps {
            f();
        }
        best = best.min(t.elapsed().as_secs_f64() / (reps * n) as f64 * 1e9);
    }
    best
}

fn main() {
    let n = std::env::args().nth(1).map_or(1024, |s| s.parse().unwrap());
    println!("ns per element, {n} elements, one thread");
    println!("{:8} {:>8} {:>8}", "op", "float32", "float64");
    for (op, name, lo, hi) in OPS {
        // Evenly spread over [lo, hi], shuffled by a golden-ratio stride.
        let x: Vec<f64> = (0..n)
            .map(|i| lo + (hi - lo) * ((i as f64 * 0.618_033_988_749_895) % 1.0))
            .collect();
        let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
        let (mut y, mut y32) = (vec![0.0; n], vec![0.0; n]);
        let t32 = best_ns(n, || apply_f32(op, &x32, &mut y32));
        let t64 = best_ns(n, || apply_f64(op, &x, &mut y));
        println!("{name:8} {t32:8.3} {t64:8.3}");
    }
}
