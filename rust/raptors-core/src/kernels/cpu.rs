//! What the machine offers the kernels, read once at run time: the instruction set the SIMD
//! paths are compiled for and the data cache sizes that block sizes and streaming stores are
//! derived from.

use std::sync::OnceLock;

/// The instruction set the SIMD paths (elementwise loops, reductions, sorts, GEMM
/// micro-kernels) are compiled for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Isa {
    Base,
    Avx2,
    Avx512,
}

/// This CPU's [`Isa`], detected once.
pub(crate) fn isa() -> Isa {
    #[cfg(target_arch = "x86_64")]
    {
        static ISA: OnceLock<Isa> = OnceLock::new();
        *ISA.get_or_init(|| {
            let avx2 = is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma");
            let avx512 = avx2
                && is_x86_feature_detected!("avx512f")
                && is_x86_feature_detected!("avx512bw")
                && is_x86_feature_detected!("avx512dq")
                && is_x86_feature_detected!("avx512vl");
            match (avx512, avx2) {
                (true, _) => Isa::Avx512,
                (_, true) => Isa::Avx2,
                _ => Isa::Base,
            }
        })
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        Isa::Base
    }
}

/// Data cache sizes in bytes (per core for L1/L2; the shared L3 as reported).
#[derive(Clone, Copy, Debug)]
pub struct Caches {
    pub l1: usize,
    pub l2: usize,
    pub l3: usize,
}

impl Caches {
    /// Sane defaults for a current x86-64 core when detection fails.
    pub const DEFAULT: Caches = Caches {
        l1: 32 << 10,
        l2: 512 << 10,
        l3: 8 << 20,
    };
}

/// The caches of CPU 0, read once from Linux sysfs; defaults elsewhere.
pub fn caches() -> Caches {
    static CACHES: OnceLock<Caches> = OnceLock::new();
    *CACHES.get_or_init(|| detect().unwrap_or(Caches::DEFAULT))
}

fn detect() -> Option<Caches> {
    let mut c = Caches {
        l1: 0,
        l2: 0,
        l3: 0,
    };
    let root = "/sys/devices/system/cpu/cpu0/cache";
    for entry in std::fs::read_dir(root).ok()?.flatten() {
        let read = |f: &str| std::fs::read_to_string(entry.path().join(f)).ok();
        let (Some(level), Some(kind), Some(size)) = (read("level"), read("type"), read("size"))
        else {
            continue;
        };
        if kind.trim() == "Instruction" {
            continue;
        }
        let size = parse_size(size.trim())?;
        match level.trim() {
            "1" => c.l1 = size,
            "2" => c.l2 = size,
            "3" => c.l3 = size,
            _ => {}
        }
    }
    // Anything missing keeps its default; absurd values are clamped to sane ranges.
    let pick = |v: usize, d: usize, lo: usize, hi: usize| if v == 0 { d } else { v.clamp(lo, hi) };
    Some(Caches {
        l1: pick(c.l1, Caches::DEFAULT.l1, 16 << 10, 128 << 10),
        l2: pick(c.l2, Caches::DEFAULT.l2, 128 << 10, 4 << 20),
        l3: pick(c.l3, Caches::DEFAULT.l3, 1 << 20, 512 << 20),
    })
}

/// "32K", "512K", "16384K", "8M" or plain bytes.
fn parse_size(s: &str) -> Option<usize> {
    let (num, mul) = match s.as_bytes().last()? {
        b'K' => (&s[..s.len() - 1], 1 << 10),
        b'M' => (&s[..s.len() - 1], 1 << 20),
        b'G' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<usize>().ok().map(|n| n * mul)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_caches_are_sane() {
        assert_eq!(parse_size("32K"), Some(32 << 10));
        assert_eq!(parse_size("16M"), Some(16 << 20));
        assert_eq!(parse_size("4096"), Some(4096));
        assert_eq!(parse_size("x"), None);
        let c = caches();
        assert!(c.l1 >= 16 << 10 && c.l2 >= c.l1 && c.l3 >= 1 << 20);
    }
}
