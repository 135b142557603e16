//! Block sizes of the packed GEMM, derived from the cache sizes detected at run time.

use crate::kernels::cpu::Caches;

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
    fn blocks_are_multiples() {
        let b = blocks(4, 6, 16, Caches::DEFAULT);
        assert_eq!(b.kc, 256);
        assert_eq!(b.mc % 6, 0);
        assert_eq!(b.nc % 16, 0);
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
