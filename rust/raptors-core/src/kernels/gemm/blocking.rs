//! Block sizes of the packed GEMM, derived from the cache sizes detected at run time.

use std::sync::OnceLock;

/// Data cache sizes in bytes (per core for L1/L2; the shared L3 as reported).
#[derive(Clone, Copy, Debug)]
pub struct Caches {
    pub l1: usize,
    pub l2: usize,
    pub l3: usize,
}

/// Sane defaults for a current x86-64 core when detection fails.
const DEFAULT: Caches = Caches {
    l1: 32 << 10,
    l2: 512 << 10,
    l3: 8 << 20,
};

/// The caches of CPU 0, read once from Linux sysfs; defaults elsewhere.
pub fn caches() -> Caches {
    static CACHES: OnceLock<Caches> = OnceLock::new();
    *CACHES.get_or_init(|| detect().unwrap_or(DEFAULT))
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
        l1: pick(c.l1, DEFAULT.l1, 16 << 10, 128 << 10),
        l2: pick(c.l2, DEFAULT.l2, 128 << 10, 4 << 20),
        l3: pick(c.l3, DEFAULT.l3, 1 << 20, 512 << 20),
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

/// Block sizes for one micro-kernel shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Blocks {
    pub mc: usize,
    pub kc: usize,
    pub nc: usize,
}

/// BLIS's analytical rule: a `kc x nr` panel of B takes half of L1 (the other half streams A
/// micro-panels and C); an `mc x kc` block of A a quarter of L2 (BLIS's tuned Zen and Haswell
/// blocks, 144x256 float32 and 72x256 float64 in a 512 KB L2, are that share: the rest holds
/// the B panels and C tiles passing through); a `kc x nc` block of B half of L3, at most
/// 4096 columns.
pub fn blocks(elem: usize, mr: usize, nr: usize, caches: Caches) -> Blocks {
    let kc = (caches.l1 / 2 / (nr * elem)).clamp(64, 512) & !7;
    let mc = ((caches.l2 / 4 / (kc * elem)).clamp(mr, 1024) / mr) * mr;
    let nc = ((caches.l3 / 2 / (kc * elem)).clamp(nr * 8, 4096) / nr) * nr;
    Blocks { mc, kc, nc }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_blocks_are_multiples() {
        assert_eq!(parse_size("32K"), Some(32 << 10));
        assert_eq!(parse_size("16M"), Some(16 << 20));
        assert_eq!(parse_size("4096"), Some(4096));
        assert_eq!(parse_size("x"), None);
        let b = blocks(4, 6, 16, DEFAULT);
        assert_eq!(b.kc, 256);
        assert_eq!(b.mc % 6, 0);
        assert_eq!(b.nc % 16, 0);
        let c = caches();
        assert!(c.l1 >= 16 << 10 && c.l2 >= c.l1);
        // Tiny or huge caches still give usable blocks.
        let tiny = Caches {
            l1: 1,
            l2: 1,
            l3: 1,
        };
        let b = blocks(8, 6, 8, tiny);
        assert!(b.kc >= 64 && b.mc >= 6 && b.nc >= 64);
    }
}
