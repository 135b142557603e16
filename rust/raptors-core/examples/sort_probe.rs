//! Sort timing without Python: `cargo run --release -p raptors-core --example sort_probe
//! [threads]`. Prints min/median ms of sorting 1e6 random float64 and float32. The NumPy
//! comparison lives in benches/bench_reduce.py.

use raptors_core::exec;
use raptors_core::kernels::sort::sort;
use std::time::Instant;

fn probe<T: raptors_core::kernels::sort::SortElement>(name: &str, src: &[T]) {
    let mut dst = src.to_vec();
    let mut t: Vec<f64> = (0..40)
        .map(|_| {
            let s = Instant::now();
            sort(src, &mut dst, false, exec::num_threads() > 1).unwrap();
            s.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(f64::total_cmp);
    println!(
        "{name}: min {:.2} ms, median {:.2} ms",
        t[0],
        t[t.len() / 2]
    );
}

fn main() {
    let threads = std::env::args().nth(1).map_or(2, |s| s.parse().unwrap());
    exec::set_num_threads(threads).unwrap();
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    let v: Vec<f64> = (0..1_000_000)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
        })
        .collect();
    let w: Vec<f32> = v.iter().map(|&x| x as f32).collect();
    println!("threads {threads}");
    probe("float64 1e6", &v);
    probe("float32 1e6", &w);
}
