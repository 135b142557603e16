//! Ordering kernels over contiguous slices: sort, argsort, partition, unique runs, binary
//! search and top-k. They see element types and slices, never arrays, axes or jobs.
//!
//! Every element type maps to an unsigned *key* whose integer order is NumPy's sort order:
//! `-0.0` and `0.0` get the same key, and every NaN (any sign or payload) gets the largest key,
//! so NaNs sort last and stay in input order among themselves. Sorting is a stable LSD radix
//! sort on that key (8-bit digits, passes whose digit is constant skipped), split across the
//! pool for large inputs; descending order inverts the key, which keeps equal elements in
//! input order (the array API's `descending=True, stable=True`).

use crate::array::alloc_buffer;
use crate::dtype::Element;
use crate::error::{Error, Result};
use crate::exec;
use half::f16;
use std::cmp::Ordering;
use std::ops::BitXor;
use std::sync::Mutex;

/// An unsigned integer whose order is the order of the elements it was made from.
pub trait RadixKey:
    Copy + Ord + Default + Send + Sync + BitXor<Output = Self> + std::fmt::Debug + 'static
{
    const BYTES: usize;
    const MAX: Self;
    /// Byte `i` of the key, 0 being the least significant.
    fn digit(self, i: usize) -> usize;
}

macro_rules! radix_key {
    ($($t:ty),*) => {$(
        impl RadixKey for $t {
            const BYTES: usize = size_of::<$t>();
            const MAX: Self = <$t>::MAX;
            #[inline(always)]
            fn digit(self, i: usize) -> usize {
                ((self >> (8 * i)) & 0xff) as usize
            }
        }
    )*};
}
radix_key!(u8, u16, u32, u64);

/// An element type with NumPy's sort order expressed as a radix key.
pub trait SortElement: Element {
    type Key: RadixKey;
    /// The order-preserving key: equal keys mean "equal" to NumPy's sort (`-0.0 == 0.0`,
    /// NaN == NaN, NaN above `inf`).
    fn key(self) -> Self::Key;
    fn is_nan(self) -> bool {
        false
    }
}

impl SortElement for bool {
    type Key = u8;
    #[inline(always)]
    fn key(self) -> u8 {
        self as u8
    }
}

macro_rules! int_key {
    ($($t:ty => $k:ty, $flip:expr);*) => {$(
        impl SortElement for $t {
            type Key = $k;
            #[inline(always)]
            fn key(self) -> $k {
                // Flipping the sign bit maps two's complement order onto unsigned order.
                (self as $k) ^ $flip
            }
        }
    )*};
}
int_key!(i8 => u8, 0x80; i16 => u16, 0x8000; i32 => u32, 0x8000_0000;
    i64 => u64, 0x8000_0000_0000_0000; u8 => u8, 0; u16 => u16, 0; u32 => u32, 0; u64 => u64, 0);

macro_rules! float_key {
    ($($t:ty => $k:ty, $sign:expr, $inf:expr, $bits:expr);*) => {$(
        impl SortElement for $t {
            type Key = $k;
            #[inline(always)]
            fn key(self) -> $k {
                let b: $k = $bits(self);
                let abs = b & !$sign;
                // -0.0 becomes +0.0; then negative numbers reverse, positives go above them.
                let b = if abs == 0 { 0 } else { b };
                let k = if b & $sign != 0 { !b } else { b | $sign };
                if abs > $inf { <$k>::MAX } else { k }
            }
            #[inline(always)]
            fn is_nan(self) -> bool {
                ($bits(self) & !$sign) > $inf
            }
        }
    )*};
}
float_key!(
    f16 => u16, 0x8000, 0x7c00, f16::to_bits;
    f32 => u32, 0x8000_0000, 0x7f80_0000, f32::to_bits;
    f64 => u64, 0x8000_0000_0000_0000, 0x7ff0_0000_0000_0000, f64::to_bits
);

/// Below this many elements a comparison sort beats the radix passes' fixed cost.
const RADIX_MIN: usize = 256;
/// Below this many elements one thread does the whole job.
pub const PARALLEL_MIN: usize = 1 << 16;

/// A raw pointer tasks may share: each task writes a disjoint set of elements through it.
pub(crate) struct SyncPtr<T>(pub *mut T);
impl<T> Clone for SyncPtr<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for SyncPtr<T> {}
// SAFETY: see the type's comment; users write disjoint elements and only read what is done.
unsafe impl<T> Send for SyncPtr<T> {}
unsafe impl<T> Sync for SyncPtr<T> {}
impl<T> SyncPtr<T> {
    /// Read through a method so closures capture the wrapper (Send + Sync), not the field.
    #[inline(always)]
    pub fn get(self) -> *mut T {
        self.0
    }
}

/// Uninitialised scratch memory for `n` elements from Raptors' allocator (64-byte aligned,
/// large blocks cached, so a 1e6-element sort does not pay fresh page faults every call).
struct Scratch<E> {
    _buf: arrow_buffer::Buffer,
    ptr: *mut E,
}

impl<E: Copy> Scratch<E> {
    fn new(n: usize) -> Result<Self> {
        let buf = alloc_buffer(n * size_of::<E>(), false)?;
        let ptr = buf.as_ptr() as *mut E;
        Ok(Scratch { _buf: buf, ptr })
    }
}

/// Runs `f(i)` for `i in 0..n` on the pool and returns the results in index order, or
/// `Cancelled` when the job running this was cancelled before every index ran.
fn par_map<R: Send>(n: usize, f: impl Fn(usize) -> R + Sync) -> Result<Vec<R>> {
    let slots: Vec<Mutex<Option<R>>> = (0..n).map(|_| Mutex::new(None)).collect();
    exec::for_each_index(n, |i| {
        *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(f(i));
    });
    slots
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect::<Option<Vec<R>>>()
        .ok_or(Error::Cancelled)
}

/// How many pieces a parallel pass over `n` elements uses (1: stay on this thread).
fn pieces(n: usize, parallel: bool) -> usize {
    if !parallel || n < PARALLEL_MIN {
        return 1;
    }
    exec::num_threads().min(n / (PARALLEL_MIN / 2)).max(1)
}

fn piece_range(n: usize, pieces: usize, c: usize) -> std::ops::Range<usize> {
    (n * c / pieces)..(n * (c + 1) / pieces)
}

/// Moves `src` into `dst` by digit `d`, starting bucket `b` at `offsets[b]`.
///
/// # Safety
/// `dst` must be valid for writes at every offset this pass produces, and nobody else may
/// write those positions meanwhile.
#[inline(always)]
unsafe fn scatter<E: Copy, K: RadixKey>(
    src: &[E],
    dst: *mut E,
    mut offsets: [usize; 256],
    d: usize,
    key: &impl Fn(E) -> K,
) {
    for &e in src {
        let b = key(e).digit(d);
        // SAFETY: offsets stay within this bucket's share of dst (caller's contract).
        unsafe { dst.add(offsets[b]).write(e) };
        offsets[b] += 1;
    }
}

/// Bytes of data (plus as much scratch) sorted by LSD passes alone: they stay in L2 cache.
const LSD_MAX_BYTES: usize = 1 << 18;

/// Counts of every digit value of every key byte (u32: callers keep ranges below 2^32).
type Hist = [[u32; 256]; 8];

/// Histograms of all key digits of `src`, in one read (the digit loop has a constant bound,
/// so it unrolls).
fn histograms<E: Copy, K: RadixKey>(src: &[E], key: &impl Fn(E) -> K) -> Hist {
    let mut h = [[0u32; 256]; 8];
    for &e in src {
        let k = key(e);
        for (d, hd) in h.iter_mut().enumerate().take(K::BYTES) {
            hd[k.digit(d)] += 1;
        }
    }
    h
}

/// Starting offsets of the buckets of a histogram.
fn offsets_of(h: &[u32; 256]) -> [usize; 256] {
    let mut offsets = [0usize; 256];
    let mut acc = 0;
    for b in 0..256 {
        offsets[b] = acc;
        acc += h[b] as usize;
    }
    offsets
}

/// Stably sorts `data` by the key digits below `below` (the higher ones are equal across
/// `data`), leaving the result in `data`, or in `spare` when `into_spare`. `spare` is valid
/// for `data.len()` writes and may be uninitialised; every path writes it fully before
/// reading it. Small ranges take LSD passes (ping-ponging between the two buffers while
/// they sit in cache); large ones are split by their highest varying digit first (MSD), so
/// each bucket is sorted in cache.
fn sort_range<E, K>(
    data: &mut [E],
    spare: *mut E,
    below: usize,
    into_spare: bool,
    key: &impl Fn(E) -> K,
) where
    E: Copy,
    K: RadixKey,
{
    let m = data.len();
    // SAFETY (for the copies below): `spare` is a distinct buffer valid for m elements.
    let to_spare = |data: &[E]| unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), spare, m) };
    if m < RADIX_MIN {
        data.sort_by_key(|&e| key(e));
        if into_spare {
            to_spare(data);
        }
        return;
    }
    let h = histograms(data, key);
    let digits: Vec<usize> = (0..below)
        .filter(|&d| !h[d].contains(&(m as u32)))
        .collect();
    let Some(&top) = digits.last() else {
        if into_spare {
            to_spare(data);
        }
        return;
    };
    if size_of_val(data) <= LSD_MAX_BYTES || digits.len() == 1 {
        let (mut src, mut dst) = (data.as_mut_ptr(), spare);
        for &d in &digits {
            // SAFETY: src holds m initialised elements (data, or spare after a full pass);
            // the offsets partition 0..m, and dst holds m elements.
            unsafe {
                scatter(
                    std::slice::from_raw_parts(src, m),
                    dst,
                    offsets_of(&h[d]),
                    d,
                    key,
                )
            };
            std::mem::swap(&mut src, &mut dst);
        }
        let in_spare = digits.len() % 2 == 1;
        if in_spare != into_spare {
            // SAFETY: both buffers hold m elements and do not overlap.
            unsafe { std::ptr::copy_nonoverlapping(src, dst, m) };
        }
        return;
    }
    // SAFETY: the offsets partition 0..m; spare holds m elements.
    unsafe { scatter(data, spare, offsets_of(&h[top]), top, key) };
    // SAFETY: the scatter initialised all m elements of spare, which nothing else uses.
    let sp = unsafe { std::slice::from_raw_parts_mut(spare, m) };
    let mut start = 0;
    for &count in &h[top] {
        let count = count as usize;
        let r = start..start + count;
        // The bucket now lives in spare; its result goes to data unless the caller wants
        // it in spare.
        sort_range(
            &mut sp[r.clone()],
            data[r].as_mut_ptr(),
            top,
            !into_spare,
            key,
        );
        start += count;
    }
}

/// Stable sort of `items` by `key`, radix on 8-bit digits (digits constant over the input are
/// skipped): a comparison sort when short; LSD passes while the data fits in cache; otherwise
/// one MSD pass on the highest varying digit and each bucket sorted in cache. With
/// `parallel`, large inputs scatter in pieces across the pool and sort buckets as tasks.
pub fn radix_sort<E, K>(items: &mut [E], key: impl Fn(E) -> K + Sync, parallel: bool) -> Result<()>
where
    E: Copy + Send + Sync,
    K: RadixKey,
{
    let n = items.len();
    if n < RADIX_MIN || n > u32::MAX as usize {
        // Short, or too long for 32-bit counts: a comparison sort.
        items.sort_by_key(|&e| key(e));
        return Ok(());
    }
    let scratch = Scratch::<E>::new(n)?;
    let p = pieces(n, parallel);
    if p == 1 {
        sort_range(items, scratch.ptr, K::BYTES, false, &key);
        return Ok(());
    }
    // Per-piece histograms of every digit in one parallel read.
    let per_piece = par_map(p, |c| histograms(&items[piece_range(n, p, c)], &key))?;
    let total = |d: usize, b: usize| per_piece.iter().map(|h| h[d][b]).sum::<u32>();
    let Some(top) = (0..K::BYTES)
        .rev()
        .find(|&d| (0..256).all(|b| total(d, b) as usize != n))
    else {
        return Ok(());
    };
    // Piece c's share of bucket b starts after every smaller bucket and after the earlier
    // pieces' share of b, so the scatter stays stable.
    let mut offsets = vec![[0usize; 256]; p];
    let mut acc = 0;
    for b in 0..256 {
        for c in 0..p {
            offsets[c][b] = acc;
            acc += per_piece[c][top][b] as usize;
        }
    }
    let (src, dst) = (SyncPtr(items.as_mut_ptr()), SyncPtr(scratch.ptr));
    exec::for_each_index(p, |c| {
        let r = piece_range(n, p, c);
        // SAFETY: pieces read disjoint ranges of items and write disjoint shares of scratch.
        unsafe {
            let s = std::slice::from_raw_parts(src.get().add(r.start), r.len());
            scatter(s, dst.get(), offsets[c], top, &key)
        }
    });
    if exec::cancelled() {
        return Err(Error::Cancelled);
    }
    let starts = offsets_of(&std::array::from_fn(|b| total(top, b)));
    exec::for_each_index(256, |b| {
        let end = if b == 255 { n } else { starts[b + 1] };
        let r = starts[b]..end;
        // SAFETY: scratch is fully written; bucket b is sorted by this task alone, from its
        // range of scratch into the same range of items.
        unsafe {
            let bucket = std::slice::from_raw_parts_mut(dst.get().add(r.start), r.len());
            sort_range(bucket, src.get().add(r.start), top, true, &key)
        }
    });
    if exec::cancelled() {
        return Err(Error::Cancelled);
    }
    Ok(())
}

/// The key of `x`, inverted for descending order.
#[inline(always)]
fn order_key<T: SortElement>(x: T, flip: T::Key) -> T::Key {
    x.key() ^ flip
}

fn flip_for<K: RadixKey>(descending: bool) -> K {
    if descending {
        K::MAX
    } else {
        K::default()
    }
}

/// Sorts `v` in place in NumPy's order (reversed when `descending`); always stable.
pub fn sort<T: SortElement>(v: &mut [T], descending: bool, parallel: bool) -> Result<()> {
    let flip = flip_for::<T::Key>(descending);
    radix_sort(v, |x: T| order_key(x, flip), parallel)
}

/// A key with the index of its element, the unit argsort and unique move around.
#[derive(Clone, Copy, Debug)]
struct Tagged<K> {
    key: K,
    idx: u32,
}

/// Writes into `out` the stable argsort of `v` (NumPy's order, reversed when `descending`).
pub fn argsort<T: SortElement>(
    v: &[T],
    descending: bool,
    out: &mut [i64],
    parallel: bool,
) -> Result<()> {
    debug_assert_eq!(v.len(), out.len());
    let flip = flip_for::<T::Key>(descending);
    if v.len() > u32::MAX as usize {
        // Too long for 32-bit tags: a stable comparison sort of indices.
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by_key(|&i| order_key(v[i], flip));
        for (o, i) in out.iter_mut().zip(idx) {
            *o = i as i64;
        }
        return Ok(());
    }
    let mut tagged: Vec<Tagged<T::Key>> = v
        .iter()
        .enumerate()
        .map(|(i, &x)| Tagged {
            key: order_key(x, flip),
            idx: i as u32,
        })
        .collect();
    radix_sort(&mut tagged, |t: Tagged<T::Key>| t.key, parallel)?;
    for (o, t) in out.iter_mut().zip(&tagged) {
        *o = t.idx as i64;
    }
    Ok(())
}

/// Partially sorts `v` so every `kth` position holds the element a full sort would put
/// there, with nothing greater before it and nothing smaller after it. `kth` must be sorted,
/// without repeats and in bounds.
pub fn partition<T: SortElement>(v: &mut [T], kth: &[usize]) {
    let mut lo = 0;
    for &k in kth {
        // Earlier selections left v[..lo] below everything from lo on.
        v[lo..].select_nth_unstable_by_key(k - lo, |x| x.key());
        lo = k + 1;
    }
}

/// As `partition`, writing the indices of the partitioned order into `out`.
pub fn argpartition<T: SortElement>(v: &[T], kth: &[usize], out: &mut [i64]) {
    let mut pairs: Vec<(T::Key, usize)> = v.iter().map(|x| x.key()).zip(0..).collect();
    let mut lo = 0;
    for &k in kth {
        // Ties broken by index, so the result is deterministic.
        pairs[lo..].select_nth_unstable(k - lo);
        lo = k + 1;
    }
    for (o, (_, i)) in out.iter_mut().zip(pairs) {
        *o = i as i64;
    }
}

/// Distinct values of `v` in sorted order with, when asked, where each first occurs, the
/// group of every input element and the size of each group.
#[derive(Debug, Default)]
pub struct UniqueRuns<T> {
    pub values: Vec<T>,
    /// Index of each value's first occurrence (when indices or inverse were asked for).
    pub first: Vec<i64>,
    /// For every input element, the position of its value in `values` (same condition).
    pub inverse: Vec<i64>,
    pub counts: Vec<i64>,
}

/// Groups equal elements of `v` (`-0.0 == 0.0`; NaNs one group when `equal_nan`, else each
/// its own). A group's value is its first occurrence. `with_positions` fills `first` and
/// `inverse` (that needs an argsort); `with_counts` fills `counts`.
pub fn unique<T: SortElement>(
    v: &[T],
    equal_nan: bool,
    with_positions: bool,
    with_counts: bool,
    parallel: bool,
) -> Result<UniqueRuns<T>> {
    let same = |a: T, b: T| a.key() == b.key() && (equal_nan || !a.is_nan());
    let mut r = UniqueRuns::default();
    if !with_positions {
        let mut sorted = v.to_vec();
        sort(&mut sorted, false, parallel)?;
        for x in sorted {
            match r.values.last() {
                Some(&last) if same(last, x) => {
                    if let Some(c) = r.counts.last_mut() {
                        *c += 1;
                    }
                }
                _ => {
                    r.values.push(x);
                    if with_counts {
                        r.counts.push(1);
                    }
                }
            }
        }
        return Ok(r);
    }
    let mut perm = vec![0i64; v.len()];
    argsort(v, false, &mut perm, parallel)?;
    r.inverse = vec![0i64; v.len()];
    let mut last: Option<T> = None;
    for &i in &perm {
        let x = v[i as usize];
        if !last.is_some_and(|l| same(l, x)) {
            // Stable order: the first element of a group is its first occurrence.
            r.values.push(x);
            r.first.push(i);
            r.counts.push(0);
            last = Some(x);
        }
        *r.counts.last_mut().expect("a group is open") += 1;
        r.inverse[i as usize] = r.values.len() as i64 - 1;
    }
    if !with_counts {
        r.counts.clear();
    }
    Ok(r)
}

/// For every `x` in `v`, where it would be inserted into the sorted `a` to keep it sorted:
/// before equal elements (`right == false`) or after them. NaNs sort last, as in `sort`.
pub fn searchsorted<T: SortElement>(
    a: &[T],
    v: &[T],
    right: bool,
    out: &mut [i64],
    parallel: bool,
) {
    // Each search costs about log2(n) probes, so split by that much work.
    let cost = v.len() * (usize::BITS - a.len().leading_zeros()).max(1) as usize;
    let search = |v: &[T], out: &mut [i64]| {
        for (o, &x) in out.iter_mut().zip(v) {
            let kx = x.key();
            *o = if right {
                a.partition_point(|y| y.key() <= kx)
            } else {
                a.partition_point(|y| y.key() < kx)
            } as i64;
        }
    };
    let p = pieces(cost, parallel);
    if p == 1 {
        return search(v, out);
    }
    let tasks = p * 4;
    let o = SyncPtr(out.as_mut_ptr());
    exec::for_each_index(tasks, |c| {
        let r = piece_range(v.len(), tasks, c);
        // SAFETY: task c writes only out[r], and the ranges of different tasks are disjoint.
        let out = unsafe { std::slice::from_raw_parts_mut(o.get().add(r.start), r.len()) };
        search(&v[r], out);
    });
}

/// A top-k candidate: its score (higher is better) and its index.
type Cand<K> = (K, usize);

/// Best first: higher score, then lower index.
#[inline(always)]
fn better<K: Ord>(a: &Cand<K>, b: &Cand<K>) -> Ordering {
    b.0.cmp(&a.0).then(a.1.cmp(&b.1))
}

/// Keeps the `k` best of `buf` (k >= 1, buf.len() >= k) and returns the worst kept score.
fn keep_best<K: RadixKey>(buf: &mut Vec<Cand<K>>, k: usize) -> K {
    if buf.len() > k {
        buf.select_nth_unstable_by(k - 1, better);
        buf.truncate(k);
    }
    buf.iter().map(|c| c.0).min().expect("k >= 1")
}

/// Elements checked together before any of them is looked at one by one.
const FILTER_BLOCK: usize = 64;

/// Whether any element of `block` scores above `t`: a branch-free pass that vectorises.
#[inline(always)]
fn any_above<T: SortElement>(block: &[T], flip: T::Key, t: T::Key) -> bool {
    let mut any = 0u8;
    for &x in block {
        any |= (order_key(x, flip) > t) as u8;
    }
    any != 0
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn any_above_avx2<T: SortElement>(block: &[T], flip: T::Key, t: T::Key) -> bool {
    any_above(block, flip, t)
}

fn has_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        use std::sync::OnceLock;
        static AVX2: OnceLock<bool> = OnceLock::new();
        *AVX2.get_or_init(|| is_x86_feature_detected!("avx2"))
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The `k` best candidates of `v` (scores `key ^ flip`), indices offset by `base`, in no
/// particular order. One pass: after the first `k` elements, a block is only looked at
/// element by element when something in it beats the current k-th best score; candidates
/// collect in a buffer that is cut back to the best `k` when it grows.
fn topk_candidates<T: SortElement>(
    v: &[T],
    k: usize,
    flip: T::Key,
    base: usize,
) -> Vec<Cand<T::Key>> {
    let first = k.min(v.len());
    let mut buf: Vec<Cand<T::Key>> = Vec::with_capacity(2 * k + 2 * FILTER_BLOCK);
    buf.extend((0..first).map(|i| (order_key(v[i], flip), base + i)));
    if k == 0 || first == v.len() {
        return buf;
    }
    let avx2 = has_avx2();
    let limit = 2 * k + FILTER_BLOCK;
    let mut t = keep_best(&mut buf, k);
    let mut start = first;
    while start < v.len() {
        let block = &v[start..v.len().min(start + FILTER_BLOCK)];
        #[cfg(target_arch = "x86_64")]
        // SAFETY: AVX2 is present (checked at run time).
        let hit = if avx2 {
            unsafe { any_above_avx2(block, flip, t) }
        } else {
            any_above(block, flip, t)
        };
        #[cfg(not(target_arch = "x86_64"))]
        let hit = {
            let _ = avx2;
            any_above(block, flip, t)
        };
        if hit {
            // Later elements lose ties to earlier ones, so only strictly better ones enter.
            for (j, &x) in block.iter().enumerate() {
                let s = order_key(x, flip);
                if s > t {
                    buf.push((s, base + start + j));
                }
            }
            if buf.len() >= limit {
                t = keep_best(&mut buf, k);
            }
        }
        start += block.len();
    }
    keep_best(&mut buf, k);
    buf
}

/// The `k` largest (or smallest) elements of `v` and their indices, written to `values` and
/// `indices` (each `k` long). NaN counts as the largest value. With `sorted`, best first and
/// ties by lower index; otherwise the same elements in unspecified order.
pub fn topk<T: SortElement>(
    v: &[T],
    k: usize,
    largest: bool,
    sorted: bool,
    values: &mut [T],
    indices: &mut [i64],
    parallel: bool,
) -> Result<()> {
    let n = v.len();
    debug_assert!(k <= n && values.len() == k && indices.len() == k);
    if k == 0 {
        return Ok(());
    }
    let flip = flip_for::<T::Key>(!largest);
    let mut cands = if k.saturating_mul(8) > n {
        // Most elements are kept anyway: select over all of them.
        let mut all: Vec<Cand<T::Key>> = v.iter().map(|&x| order_key(x, flip)).zip(0..).collect();
        keep_best(&mut all, k);
        all
    } else {
        let p = pieces(n, parallel);
        if p == 1 {
            topk_candidates(v, k, flip, 0)
        } else {
            // Several pieces per thread so a thread that starts late still gets a share.
            let tasks = (p * 4).min(n / (k * 8)).max(1);
            let parts = par_map(tasks, |c| {
                let r = piece_range(n, tasks, c);
                topk_candidates(&v[r.clone()], k, flip, r.start)
            })?;
            let mut all: Vec<Cand<T::Key>> = parts.into_iter().flatten().collect();
            keep_best(&mut all, k);
            all
        }
    };
    if sorted {
        cands.sort_unstable_by(better);
    }
    for ((val, idx), &(_, i)) in values.iter_mut().zip(indices.iter_mut()).zip(&cands) {
        *val = v[i];
        *idx = i as i64;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// xorshift64*: deterministic randomized cases without a test dependency.
    pub(crate) struct Rng(pub u64);
    impl Rng {
        pub fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        pub fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Test-side knowledge of a type: a reference comparator written from NumPy's rules
    /// (not from the key), and values with many ties and every special value.
    pub(crate) trait Probe: SortElement {
        fn ref_cmp(a: Self, b: Self) -> Ordering;
        fn gen(rng: &mut Rng) -> Self;
    }

    impl Probe for bool {
        fn ref_cmp(a: Self, b: Self) -> Ordering {
            a.cmp(&b)
        }
        fn gen(rng: &mut Rng) -> Self {
            rng.next() & 1 == 1
        }
    }

    macro_rules! probe_int {
        ($($t:ty),*) => {$(
            impl Probe for $t {
                fn ref_cmp(a: Self, b: Self) -> Ordering {
                    a.cmp(&b)
                }
                fn gen(rng: &mut Rng) -> Self {
                    match rng.below(4) {
                        // Few distinct values: many ties.
                        0 => (rng.below(5) as $t).wrapping_sub(2),
                        1 => [<$t>::MIN, <$t>::MAX, 0][rng.below(3)],
                        _ => rng.next() as $t,
                    }
                }
            }
        )*};
    }
    probe_int!(i8, i16, i32, i64, u8, u16, u32, u64);

    macro_rules! probe_float {
        ($($t:ty, $from:expr, $bits:ty);*) => {$(
            impl Probe for $t {
                fn ref_cmp(a: Self, b: Self) -> Ordering {
                    match (a.is_nan(), b.is_nan()) {
                        (true, true) => Ordering::Equal,
                        (true, false) => Ordering::Greater,
                        (false, true) => Ordering::Less,
                        _ => a.partial_cmp(&b).unwrap(),
                    }
                }
                fn gen(rng: &mut Rng) -> Self {
                    let f = |x: f64| -> $t { $from(x) };
                    match rng.below(6) {
                        0 => f(rng.below(5) as f64 - 2.0),
                        1 => [f(0.0), f(-0.0), f(f64::INFINITY), f(f64::NEG_INFINITY)][rng.below(4)],
                        // NaNs with both signs and different payloads.
                        2 => {
                            let nan = f(f64::NAN);
                            let b = nan.to_bits() | (rng.next() as $bits & 3);
                            let b = if rng.next() & 1 == 1 { b | !(<$bits>::MAX >> 1) } else { b };
                            <$t>::from_bits(b)
                        }
                        _ => f((rng.next() as i64 as f64) / (1u64 << 50) as f64),
                    }
                }
            }
        )*};
    }
    probe_float!(f16, f16::from_f64, u16; f32, |x: f64| x as f32, u32; f64, |x: f64| x, u64);

    /// The raw bytes, so checks see -0.0 vs 0.0 and NaN payloads.
    pub(crate) fn bytes<T: Element>(v: &[T]) -> &[u8] {
        // SAFETY: every Element type is plain data without padding.
        unsafe { std::slice::from_raw_parts(v.as_ptr() as *const u8, std::mem::size_of_val(v)) }
    }

    /// Stable reference order of indices.
    fn ref_argsort<T: Probe>(v: &[T], descending: bool) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        if descending {
            idx.sort_by(|&i, &j| T::ref_cmp(v[j], v[i]));
        } else {
            idx.sort_by(|&i, &j| T::ref_cmp(v[i], v[j]));
        }
        idx
    }

    fn sample<T: Probe>(rng: &mut Rng, n: usize) -> Vec<T> {
        (0..n).map(|_| T::gen(rng)).collect()
    }

    const SIZES: [usize; 10] = [0, 1, 2, 3, 17, 255, 256, 257, 3000, 150_000];

    fn check_type<T: Probe>() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ T::DTYPE as u64);
        // The key's order is the reference order.
        for _ in 0..5000 {
            let (a, b) = (T::gen(&mut rng), T::gen(&mut rng));
            assert_eq!(a.key().cmp(&b.key()), T::ref_cmp(a, b), "{a:?} {b:?}");
        }
        for &n in &SIZES {
            let v = sample::<T>(&mut rng, n);
            for descending in [false, true] {
                let want = ref_argsort(&v, descending);
                let want_vals: Vec<T> = want.iter().map(|&i| v[i]).collect();
                for parallel in [false, true] {
                    let mut got = v.clone();
                    sort(&mut got, descending, parallel).unwrap();
                    assert_eq!(bytes(&got), bytes(&want_vals), "{} n={n}", T::DTYPE);
                    let mut idx = vec![0i64; n];
                    argsort(&v, descending, &mut idx, parallel).unwrap();
                    assert!(idx.iter().map(|&i| i as usize).eq(want.iter().copied()));
                }
            }
            if n == 0 {
                continue;
            }
            // partition / argpartition: every kth in place, smaller before, larger after.
            let sorted: Vec<T> = ref_argsort(&v, false).iter().map(|&i| v[i]).collect();
            let mut kth: Vec<usize> = (0..3).map(|_| rng.below(n)).collect();
            kth.sort_unstable();
            kth.dedup();
            let mut part = v.clone();
            partition(&mut part, &kth);
            let mut ap = vec![0i64; n];
            argpartition(&v, &kth, &mut ap);
            let from_idx: Vec<T> = ap.iter().map(|&i| v[i as usize]).collect();
            let mut seen = ap.clone();
            seen.sort_unstable();
            assert!(seen.iter().copied().eq(0..n as i64), "a permutation");
            for p in [&part, &from_idx] {
                for &k in &kth {
                    assert_eq!(T::ref_cmp(p[k], sorted[k]), Ordering::Equal);
                    assert!(p[..k]
                        .iter()
                        .all(|&x| T::ref_cmp(x, p[k]) != Ordering::Greater));
                    assert!(p[k..]
                        .iter()
                        .all(|&x| T::ref_cmp(x, p[k]) != Ordering::Less));
                }
            }
            check_unique(&v);
            check_search(&mut rng, &sorted);
            for k in [0, 1, 2, n / 2, n.saturating_sub(1), n] {
                check_topk(&v, k.min(n));
            }
        }
    }

    fn check_unique<T: Probe>(v: &[T]) {
        for equal_nan in [true, false] {
            let full = unique(v, equal_nan, true, true, true).unwrap();
            let plain = unique(v, equal_nan, false, true, false).unwrap();
            assert_eq!(bytes(&full.values), bytes(&plain.values));
            assert_eq!(full.counts, plain.counts);
            // Reference: group the stable order.
            let order = ref_argsort(v, false);
            let mut groups: Vec<Vec<usize>> = Vec::new();
            for &i in &order {
                let same = groups.last().is_some_and(|g| {
                    let l = v[g[0]];
                    T::ref_cmp(l, v[i]) == Ordering::Equal && (equal_nan || !l.is_nan())
                });
                if same {
                    groups.last_mut().unwrap().push(i);
                } else {
                    groups.push(vec![i]);
                }
            }
            let vals: Vec<T> = groups.iter().map(|g| v[g[0]]).collect();
            assert_eq!(bytes(&full.values), bytes(&vals));
            assert!(full
                .first
                .iter()
                .map(|&i| i as usize)
                .eq(groups.iter().map(|g| g[0])));
            assert!(full
                .counts
                .iter()
                .map(|&c| c as usize)
                .eq(groups.iter().map(|g| g.len())));
            for (gi, g) in groups.iter().enumerate() {
                assert!(g.iter().all(|&i| full.inverse[i] == gi as i64));
            }
        }
    }

    fn check_search<T: Probe>(rng: &mut Rng, sorted: &[T]) {
        let probes: Vec<T> = (0..50)
            .map(|_| {
                if rng.next() & 1 == 0 {
                    T::gen(rng)
                } else {
                    sorted[rng.below(sorted.len())]
                }
            })
            .collect();
        for right in [false, true] {
            let mut got = vec![0i64; probes.len()];
            searchsorted(sorted, &probes, right, &mut got, true);
            for (&x, &g) in probes.iter().zip(&got) {
                let want = sorted
                    .iter()
                    .filter(|&&y| match T::ref_cmp(y, x) {
                        Ordering::Less => true,
                        Ordering::Equal => right,
                        Ordering::Greater => false,
                    })
                    .count();
                assert_eq!(g as usize, want, "{x:?} right={right}");
            }
        }
    }

    fn check_topk<T: Probe>(v: &[T], k: usize) {
        for largest in [true, false] {
            let want = ref_argsort(v, largest);
            for parallel in [false, true] {
                let (mut vals, mut idx) = (vec![T::default(); k], vec![0i64; k]);
                topk(v, k, largest, true, &mut vals, &mut idx, parallel).unwrap();
                assert!(
                    idx.iter()
                        .map(|&i| i as usize)
                        .eq(want[..k].iter().copied()),
                    "{} k={k} largest={largest} n={}",
                    T::DTYPE,
                    v.len()
                );
                let want_vals: Vec<T> = want[..k].iter().map(|&i| v[i]).collect();
                assert_eq!(bytes(&vals), bytes(&want_vals));
                // Unsorted: the same set.
                topk(v, k, largest, false, &mut vals, &mut idx, parallel).unwrap();
                idx.sort_unstable();
                let mut w: Vec<i64> = want[..k].iter().map(|&i| i as i64).collect();
                w.sort_unstable();
                assert_eq!(idx, w);
            }
        }
    }

    #[test]
    fn sort_kernels_match_references_for_every_dtype() {
        check_type::<bool>();
        check_type::<i8>();
        check_type::<i16>();
        check_type::<i32>();
        check_type::<i64>();
        check_type::<u8>();
        check_type::<u16>();
        check_type::<u32>();
        check_type::<u64>();
        check_type::<f16>();
        check_type::<f32>();
        check_type::<f64>();
    }

    #[test]
    fn sort_keeps_signed_zeros_and_nans_in_input_order() {
        let nan = f64::NAN;
        let v = [0.0, -0.0, nan, -nan, 1.0, -0.0, f64::NEG_INFINITY];
        let mut s = v;
        sort(&mut s, false, false).unwrap();
        let want = [f64::NEG_INFINITY, 0.0, -0.0, -0.0, 1.0, nan, -nan];
        assert_eq!(bytes(&s), bytes(&want));
        let mut d = v;
        sort(&mut d, true, false).unwrap();
        let want = [nan, -nan, 1.0, 0.0, -0.0, -0.0, f64::NEG_INFINITY];
        assert_eq!(bytes(&d), bytes(&want));
    }

    #[test]
    fn topk_on_adversarial_and_large_inputs() {
        // Ascending input makes every element a candidate; descending none after the first k.
        let n = 300_000usize;
        let up: Vec<f32> = (0..n).map(|i| i as f32).collect();
        let down: Vec<f32> = up.iter().rev().copied().collect();
        let ties = vec![1.5f32; n];
        for (v, first) in [(&up, n - 1), (&down, 0), (&ties, 0)] {
            for k in [1, 10, 1000] {
                let (mut vals, mut idx) = (vec![0f32; k], vec![0i64; k]);
                topk(v, k, true, true, &mut vals, &mut idx, true).unwrap();
                assert_eq!(idx[0] as usize, first);
                let want = ref_argsort(v, true);
                assert!(idx
                    .iter()
                    .map(|&i| i as usize)
                    .eq(want[..k].iter().copied()));
            }
        }
        // NaN is the largest: first for largest, last resort for smallest.
        let v = [1.0f64, f64::NAN, 3.0, f64::NAN];
        let (mut vals, mut idx) = (vec![0f64; 3], vec![0i64; 3]);
        topk(&v, 3, true, true, &mut vals, &mut idx, false).unwrap();
        assert_eq!(idx, [1, 3, 2]);
        topk(&v, 3, false, true, &mut vals, &mut idx, false).unwrap();
        assert_eq!(idx, [0, 2, 1]);
    }
}
