//! Ordering kernels over contiguous slices: sort, argsort, partition, unique runs, binary
//! search and top-k. They see element types and slices, never arrays, axes or jobs.
//!
//! Every element type maps to an unsigned *key* whose integer order is NumPy's sort order:
//! `-0.0` and `0.0` get the same key, and every NaN (any sign or payload) gets the largest key,
//! so NaNs sort last and stay in input order among themselves. Descending order inverts the
//! key, which keeps equal elements in input order (the array API's `descending=True,
//! stable=True`).
//!
//! Sorting is a stable MSD radix sort on that key (`radix_sort`). Each pass takes the span
//! of its bucket's keys (min to max) and splits by the highest varying bits of `key - min`:
//! a bucket that fits in cache by a digit of up to 11 bits (about two buckets per element),
//! a larger one by a table that merges adjacent values of a finer digit into up to 1024
//! buckets of similar size, so that skewed keys (floats crowd into few exponents) still split
//! evenly and the scatter writes few streams. Buckets of up to 16 elements are finished by
//! insertion sort (branch-free for moves of up to two places, the common case). Passes
//! ping-pong between the data and one scratch buffer. For large inputs the first pass counts
//! and scatters in pieces across the pool and its buckets are sorted as tasks, largest
//! first. `sort` sorts the keys alone (turned back into elements at the end, then the
//! elements that share a key, a float's zeros and NaNs, are copied over from the input in
//! input order); `argsort` sorts keys tagged with their index.

use crate::array::alloc_buffer;
use crate::dtype::Element;
use crate::error::{Error, Result};
use crate::exec;
use crate::kernels::cpu::{isa, Isa};
use half::f16;
use std::cmp::Ordering;
use std::hint::select_unpredictable;
use std::ops::BitXor;
use std::sync::Mutex;

/// An unsigned integer whose order is the order of the elements it was made from.
pub trait RadixKey:
    Copy + Ord + Default + Send + Sync + BitXor<Output = Self> + std::fmt::Debug + 'static
{
    const MAX: Self;
    /// The key zero-extended to 64 bits (same order), for digit arithmetic.
    fn wide(self) -> u64;
}

macro_rules! radix_key {
    ($($t:ty),*) => {$(
        impl RadixKey for $t {
            const MAX: Self = <$t>::MAX;
            #[inline(always)]
            fn wide(self) -> u64 {
                self as u64
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
    /// An element with key `k`: the only one, except for the keys in `SHARED_KEYS`.
    fn from_key(k: Self::Key) -> Self;
    /// The element's bits, as its key type.
    fn bits(self) -> Self::Key;
    /// Keys that several distinct elements share (a float's zeros and its NaNs).
    const SHARED_KEYS: &'static [Self::Key] = &[];
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
    #[inline(always)]
    fn from_key(k: u8) -> bool {
        k != 0
    }
    #[inline(always)]
    fn bits(self) -> u8 {
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
            #[inline(always)]
            fn from_key(k: $k) -> $t {
                (k ^ $flip) as $t
            }
            #[inline(always)]
            fn bits(self) -> $k {
                self as $k
            }
        }
    )*};
}
int_key!(i8 => u8, 0x80; i16 => u16, 0x8000; i32 => u32, 0x8000_0000;
    i64 => u64, 0x8000_0000_0000_0000; u8 => u8, 0; u16 => u16, 0; u32 => u32, 0; u64 => u64, 0);

macro_rules! float_key {
    ($($t:ty => $k:ty, $sign:expr, $inf:expr, $bits:expr, $from_bits:expr);*) => {$(
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
            fn from_key(k: $k) -> $t {
                <$t>::from_bits(if k & $sign != 0 { k & !$sign } else { !k })
            }
            #[inline(always)]
            fn bits(self) -> $k {
                $bits(self)
            }
            const SHARED_KEYS: &'static [$k] = &[$sign, <$k>::MAX];
            #[inline(always)]
            fn is_nan(self) -> bool {
                ($bits(self) & !$sign) > $inf
            }
        }
    )*};
}
float_key!(
    f16 => u16, 0x8000, 0x7c00, f16::to_bits, f16::from_bits;
    f32 => u32, 0x8000_0000, 0x7f80_0000, f32::to_bits, f32::from_bits;
    f64 => u64, 0x8000_0000_0000_0000, 0x7ff0_0000_0000_0000, f64::to_bits, f64::from_bits
);

/// Below this many elements a comparison sort beats the radix passes' fixed cost.
const RADIX_MIN: usize = 64;
/// Buckets of at most this many elements are finished by insertion sort.
const SMALL: usize = 16;
/// Buckets of more elements are split by a table (`Split::Table`), smaller ones by a digit.
const TABLE_MIN: usize = 1 << 14;
/// Widest digit of a digit split: 2^11 counters (8 KiB) stay in L1 cache.
const MAX_DIGIT_BITS: u32 = 11;
/// Widest digit a table split counts (128 Ki counters).
const MAX_FINE_BITS: u32 = 17;
/// A table split aims at buckets of 1/SPLIT_TARGET of its input and makes at most MAX_SPLIT
/// of them: more leave less for the next pass, fewer keep the scatter's write streams in
/// cache.
const SPLIT_TARGET: usize = 512;
const MAX_SPLIT: usize = 1024;
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

/// The bits `((key - base) >> shift) & (2^width - 1)` of a key.
#[derive(Clone, Copy)]
struct Digit {
    base: u64,
    shift: u32,
    width: u32,
}

/// The smallest and the largest key of some elements.
#[derive(Clone, Copy)]
struct Span {
    min: u64,
    max: u64,
}

impl Span {
    const EMPTY: Span = Span {
        min: u64::MAX,
        max: 0,
    };

    #[inline(always)]
    fn add(self, k: u64) -> Span {
        Span {
            min: self.min.min(k),
            max: self.max.max(k),
        }
    }

    fn union(self, o: Span) -> Span {
        self.add(o.min).add(o.max)
    }
}

impl Digit {
    /// The highest `width` (at most) varying bits of keys in `span` (not all equal), offset by
    /// its minimum.
    fn top(span: Span, width: u32) -> Digit {
        let top = u64::BITS - (span.max - span.min).leading_zeros();
        let width = width.clamp(1, top);
        Digit {
            base: span.min,
            shift: top - width,
            width,
        }
    }

    fn values(self) -> usize {
        1 << self.width
    }

    #[inline(always)]
    fn of<K: RadixKey>(self, k: K) -> usize {
        ((k.wide().wrapping_sub(self.base)) >> self.shift) as usize & (self.values() - 1)
    }
}

fn log2(m: usize) -> u32 {
    usize::BITS - 1 - m.leading_zeros()
}

/// How one radix pass assigns keys to buckets (bucket order is key order).
enum Split {
    /// By the value of a digit: for buckets that fit in cache, where scattering to many
    /// buckets is cheap.
    Digit(Digit),
    /// By a digit whose adjacent values `map` merges into at most `MAX_SPLIT` buckets of
    /// similar size: for larger ones, so that the scatter writes few streams however the keys
    /// are distributed (floats crowd into few exponents).
    Table(Digit, Vec<u16>),
}

impl Split {
    /// The split of `m` elements whose keys span `span` (not all equal).
    fn new(span: Span, m: usize) -> Split {
        if m > TABLE_MIN {
            // About 8 elements per value of the fine digit.
            let fine = Digit::top(span, (log2(m) - 3).min(MAX_FINE_BITS));
            Split::Table(fine, Vec::new())
        } else {
            // About one element per two buckets, so that few buckets need more than insertion.
            Split::Digit(Digit::top(span, (log2(m) + 1).min(MAX_DIGIT_BITS)))
        }
    }

    /// The digit whose values are counted first.
    fn digit(&self) -> Digit {
        match self {
            Split::Digit(d) | Split::Table(d, _) => *d,
        }
    }

    /// Given the digit's value counts (one set per piece of the input), fills the map of a
    /// table split and returns the bucket counts (per piece).
    fn buckets(&mut self, counts: Vec<Vec<u32>>, m: usize) -> Vec<Vec<u32>> {
        let Split::Table(d, map) = self else {
            return counts;
        };
        // Greedy cuts: a bucket closes before a value that would take it past the target, so
        // two neighbours always hold more than the target and at most MAX_SPLIT arise.
        let target = (m / SPLIT_TARGET).max(1) as u64;
        map.clear();
        map.reserve(d.values());
        let (mut sizes, mut size) = (0usize, 0u64);
        for v in 0..d.values() {
            let c: u64 = counts.iter().map(|c| c[v] as u64).sum();
            if size > 0 && size + c > target && sizes + 1 < MAX_SPLIT {
                sizes += 1;
                size = 0;
            }
            size += c;
            map.push(sizes as u16);
        }
        counts
            .iter()
            .map(|c| {
                let mut b = vec![0u32; sizes + 1];
                for (v, &n) in c.iter().enumerate() {
                    b[map[v] as usize] += n;
                }
                b
            })
            .collect()
    }

    /// Counts the digit's values over `src`.
    fn count<E: Copy, K: RadixKey>(&self, src: &[E], key: &impl Fn(E) -> K) -> Vec<u32> {
        let d = self.digit();
        let mut counts = vec![0u32; d.values()];
        count(src, |e| d.of(key(e)), &mut counts);
        counts
    }

    /// Scatters `src` into `dst` by bucket (see `scatter`).
    ///
    /// # Safety
    /// As `scatter`; `offsets` has one entry per bucket.
    unsafe fn scatter<E: Copy, K: RadixKey>(
        &self,
        src: &[E],
        dst: *mut E,
        offsets: &mut [u32],
        key: &impl Fn(E) -> K,
    ) {
        // SAFETY: the caller's contract; map values are buckets, digit values index map.
        unsafe {
            match self {
                Split::Digit(d) => scatter(src, dst, offsets, |e| d.of(key(e))),
                Split::Table(d, map) => {
                    debug_assert!(
                        map.len() == d.values() && offsets.len() > *map.last().unwrap() as usize
                    );
                    // Bucket numbers are looked up a block ahead, so the lookups overlap rather
                    // than delay the scatter's stores.
                    let mut ids = [0u16; 256];
                    for block in src.chunks(ids.len()) {
                        for (id, &e) in ids.iter_mut().zip(block) {
                            *id = *map.get_unchecked(d.of(key(e)));
                        }
                        let tagged = block.iter().zip(&ids).map(|(&e, &id)| (e, id));
                        scatter_iter(tagged, dst, offsets, |(_, id)| id as usize, |(e, _)| e);
                    }
                }
            }
        }
    }
}

/// The span of the keys of `src`.
fn span<E: Copy, K: RadixKey>(src: &[E], key: &impl Fn(E) -> K) -> Span {
    with_avx2(|| src.iter().fold(Span::EMPTY, |s, &e| s.add(key(e).wide())))
}

/// Adds to `counts` how many elements of `src` fall into each bucket.
fn count<E: Copy>(src: &[E], bucket: impl Fn(E) -> usize, counts: &mut [u32]) {
    for &e in src {
        counts[bucket(e)] += 1;
    }
}

/// Moves `src` into `dst` by bucket, an element of bucket `b` going to `offsets[b]`, which it
/// advances (so afterwards `offsets[b]` is where bucket `b` ends).
///
/// # Safety
/// `bucket` stays below `offsets.len()`; `dst` must be valid for writes at every offset this
/// pass produces, and nobody else may write those positions meanwhile.
unsafe fn scatter<E: Copy>(
    src: &[E],
    dst: *mut E,
    offsets: &mut [u32],
    bucket: impl Fn(E) -> usize,
) {
    // SAFETY: the caller's contract.
    unsafe { scatter_iter(src.iter().copied(), dst, offsets, bucket, |e| e) }
}

/// `scatter` over items that carry their element (`elem`) and bucket (`bucket`).
///
/// # Safety
/// As `scatter`.
#[inline(always)]
unsafe fn scatter_iter<I: Copy, E>(
    src: impl Iterator<Item = I>,
    dst: *mut E,
    offsets: &mut [u32],
    bucket: impl Fn(I) -> usize,
    elem: impl Fn(I) -> E,
) {
    for x in src {
        // SAFETY: the caller's contract.
        unsafe {
            let o = offsets.get_unchecked_mut(bucket(x));
            dst.add(*o as usize).write(elem(x));
            *o += 1;
        }
    }
}

/// Stable insertion sort of the `m` elements at `src` into `dst`, which is either `src` itself
/// or a distinct buffer valid for `m` writes.
///
/// # Safety
/// As stated; `src` holds `m` initialised elements.
unsafe fn insertion_sort<E: Copy, K: RadixKey>(
    src: *const E,
    dst: *mut E,
    m: usize,
    key: &impl Fn(E) -> K,
) {
    if m < 2 {
        if m == 1 {
            // SAFETY: one element to move (maybe onto itself).
            unsafe { dst.write(src.read()) };
        }
        return;
    }
    // SAFETY (for the whole loop): element i is read before anything at or after i is
    // written; dst[..i] is sorted and initialised.
    unsafe {
        let (e0, e1) = (src.read(), src.add(1).read());
        let swap = key(e0) > key(e1);
        dst.write(select_unpredictable(swap, e1, e0));
        dst.add(1).write(select_unpredictable(swap, e0, e1));
        for i in 2..m {
            // Branch-free when the element goes at most two places back (the common case
            // after a radix pass leaves buckets of a few elements).
            let e = src.add(i).read();
            let k = key(e);
            let (p2, p1) = (dst.add(i - 2).read(), dst.add(i - 1).read());
            let (gt2, gt1) = (key(p2) > k, key(p1) > k);
            dst.add(i).write(select_unpredictable(gt1, p1, e));
            let e_or_p1 = select_unpredictable(gt1, e, p1);
            dst.add(i - 1).write(select_unpredictable(gt2, p2, e_or_p1));
            if gt2 {
                let mut j = i - 2;
                while j > 0 {
                    let prev = dst.add(j - 1).read();
                    if key(prev) <= k {
                        break;
                    }
                    dst.add(j).write(prev);
                    j -= 1;
                }
                dst.add(j).write(e);
            }
        }
    }
}

/// Stably sorts `a` (MSD: by the highest varying key bits first), leaving the result in `a`,
/// or in `b` when `into_b`. `b` is a distinct buffer valid for `a.len()` writes, possibly
/// uninitialised; the passes ping-pong between the two.
fn sort_bucket<E: Copy, K: RadixKey>(a: &mut [E], b: *mut E, into_b: bool, key: &impl Fn(E) -> K) {
    let m = a.len();
    if m <= SMALL {
        let pa = a.as_mut_ptr();
        // SAFETY: pa holds m elements; b (when used) is valid for m writes.
        unsafe { insertion_sort(pa, if into_b { b } else { pa }, m, key) };
        return;
    }
    let keys = span(a, key);
    if keys.min == keys.max {
        if into_b {
            // SAFETY: distinct buffers, both m long.
            unsafe { std::ptr::copy_nonoverlapping(a.as_ptr(), b, m) };
        }
        return;
    }
    let mut split = Split::new(keys, m);
    let counts = vec![split.count(a, key)];
    let mut offsets = split.buckets(counts, m).pop().expect("one piece");
    exclusive_sum(&mut offsets, 0);
    // SAFETY: the offsets partition 0..m and b holds m elements.
    unsafe { split.scatter(a, b, &mut offsets, key) };
    let pa = a.as_mut_ptr();
    let target = if into_b { b } else { pa };
    // Buckets of at most SMALL elements are finished together by insertion sort (an element
    // moves only within its bucket); larger ones recurse.
    let (mut run, mut start) = (0, 0);
    for &end in &offsets {
        let end = end as usize;
        if end - start > SMALL {
            // SAFETY: b[..m] is initialised by the scatter; the ranges are disjoint and in
            // bounds; target is b or pa, each m long.
            unsafe {
                insertion_sort(b.add(run), target.add(run), start - run, key);
                let sub = std::slice::from_raw_parts_mut(b.add(start), end - start);
                sort_bucket(sub, pa.add(start), !into_b, key);
            }
            run = end;
        }
        start = end;
    }
    // SAFETY: as above.
    unsafe { insertion_sort(b.add(run), target.add(run), m - run, key) };
}

/// Turns counts into starting offsets from `base`.
fn exclusive_sum(counts: &mut [u32], base: u32) {
    let mut acc = base;
    for c in counts {
        let next = acc + *c;
        *c = acc;
        acc = next;
    }
}

/// Runs `f(c)` for `c in 0..p`, on the pool when `p > 1`, returning the results in order.
fn each_piece<R: Send>(p: usize, f: impl Fn(usize) -> R + Sync) -> Result<Vec<R>> {
    if p == 1 {
        Ok(vec![f(0)])
    } else {
        par_map(p, f)
    }
}

/// Stable sort of `items` by `key`: a comparison sort when short, otherwise MSD radix passes
/// on the highest varying key bits until buckets are small, then insertion sort. With
/// `parallel`, large inputs count and scatter in pieces across the pool and sort the buckets
/// of the first pass as tasks.
pub fn radix_sort<E, K>(items: &mut [E], key: impl Fn(E) -> K + Sync, parallel: bool) -> Result<()>
where
    E: Copy + Send + Sync,
    K: RadixKey,
{
    let n = items.len();
    if n == 0 {
        return Ok(());
    }
    let p = pieces(n, parallel);
    let keys = each_piece(p, |c| span(&items[piece_range(n, p, c)], &key))?
        .into_iter()
        .fold(Span::EMPTY, Span::union);
    radix_sort_spanning(items, key, parallel, keys)
}

/// `radix_sort`, given the span of the items' keys.
fn radix_sort_spanning<E, K>(
    items: &mut [E],
    key: impl Fn(E) -> K + Sync,
    parallel: bool,
    keys: Span,
) -> Result<()>
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
    if keys.min == keys.max {
        return Ok(());
    }
    let key = &key;
    let scratch = Scratch::<E>::new(n)?;
    let p = pieces(n, parallel);
    if p == 1 {
        sort_bucket(items, scratch.ptr, false, key);
        return Ok(());
    }
    let mut split = Split::new(keys, n);
    let counts = each_piece(p, |c| split.count(&items[piece_range(n, p, c)], key))?;
    let mut offsets = split.buckets(counts, n);
    // Piece c's share of bucket b starts after every smaller bucket and after the earlier
    // pieces' share of b, so the scatter stays stable.
    let mut buckets = Vec::new();
    let mut acc = 0u32;
    for b in 0..offsets[0].len() {
        let start = acc;
        for o in offsets.iter_mut() {
            let count = o[b];
            o[b] = acc;
            acc += count;
        }
        if acc > start {
            buckets.push((start as usize, (acc - start) as usize));
        }
    }
    let tmp = SyncPtr(scratch.ptr);
    each_piece(p, |c| {
        let mut o = offsets[c].clone();
        // SAFETY: pieces read disjoint ranges of items and write disjoint shares of scratch.
        unsafe { split.scatter(&items[piece_range(n, p, c)], tmp.get(), &mut o, key) }
    })?;
    if exec::cancelled() {
        return Err(Error::Cancelled);
    }
    let out = SyncPtr(items.as_mut_ptr());
    // Largest buckets first, so the pool's threads finish together.
    buckets.sort_by_key(|&(_, l)| std::cmp::Reverse(l));
    exec::for_each_index(buckets.len(), |i| {
        let (s, l) = buckets[i];
        // SAFETY: scratch is fully written; bucket (s, l) is sorted by this task alone, from
        // its range of scratch into the same range of items.
        unsafe {
            let bucket = std::slice::from_raw_parts_mut(tmp.get().add(s), l);
            sort_bucket(bucket, out.get().add(s), true, key)
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

/// Calls `f` on the pieces of `0..n` (on the pool when `parallel` and `n` is large) and
/// returns its results in order.
fn for_pieces<R: Send>(
    n: usize,
    parallel: bool,
    f: impl Fn(std::ops::Range<usize>) -> R + Sync,
) -> Result<Vec<R>> {
    let p = pieces(n, parallel);
    each_piece(p, |c| f(piece_range(n, p, c)))
}

/// Writes into `dst` the elements of `src` in NumPy's order (reversed when `descending`);
/// always stable. The sort runs on the keys alone, written into `dst` and turned back into
/// elements at the end; the elements whose key others share (a float's zeros and NaNs) are
/// then copied from `src` in input order into the runs their keys occupy.
pub fn sort<T: SortElement>(
    src: &[T],
    dst: &mut [T],
    descending: bool,
    parallel: bool,
) -> Result<()> {
    const { assert!(size_of::<T>() == size_of::<T::Key>() && align_of::<T>() == align_of::<T::Key>()) };
    assert_eq!(src.len(), dst.len());
    let flip = flip_for::<T::Key>(descending);
    let n = src.len();
    if n < RADIX_MIN {
        dst.copy_from_slice(src);
        dst.sort_by_key(|&x| order_key(x, flip));
        return Ok(());
    }
    // dst holds the keys until they are sorted: T and its key have the same size and
    // alignment (checked above), every bit pattern is a key, and every key maps to an element.
    let keys = SyncPtr(dst.as_mut_ptr().cast::<T::Key>());
    // SAFETY: pieces are disjoint ranges of dst's n elements, each taken by one task.
    let piece = |r: &std::ops::Range<usize>| unsafe {
        std::slice::from_raw_parts_mut(keys.get().add(r.start), r.len())
    };
    let span = for_pieces(n, parallel, |r| {
        let (k, s) = (piece(&r), &src[r]);
        with_avx2(|| {
            let mut span = Span::EMPTY;
            for (k, &x) in k.iter_mut().zip(s) {
                *k = order_key(x, flip);
                span = span.add(k.wide());
            }
            span
        })
    })?
    .into_iter()
    .fold(Span::EMPTY, Span::union);
    radix_sort_spanning(piece(&(0..n)), |k| k, parallel, span)?;
    for_pieces(n, parallel, |r| {
        let k = piece(&r);
        with_avx2(|| {
            for k in k.iter_mut() {
                *k = T::from_key(*k ^ flip).bits();
            }
        })
    })?;
    for &shared in T::SHARED_KEYS {
        let k = shared ^ flip;
        let lo = dst.partition_point(|&x| order_key(x, flip) < k);
        let hi = lo + dst[lo..].partition_point(|&x| order_key(x, flip) == k);
        if hi > lo {
            let run = src.iter().filter(|&&x| x.key() == shared);
            for (o, &x) in dst[lo..hi].iter_mut().zip(run) {
                *o = x;
            }
        }
    }
    Ok(())
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
        let mut sorted = vec![T::default(); v.len()];
        sort(v, &mut sorted, false, parallel)?;
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

/// Runs `f` compiled for AVX2 when the CPU has it (simple loops in it then vectorise 4 to 8
/// wide), else as it is.
#[inline(always)]
fn with_avx2<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        #[target_feature(enable = "avx2")]
        unsafe fn avx2<R>(f: impl FnOnce() -> R) -> R {
            f()
        }
        // SAFETY: AVX2 is present (checked at run time).
        return unsafe { avx2(f) };
    }
    f()
}

/// AVX2 is usable: the elementwise layer's run-time detection (`loops::isa`), which every
/// AVX2 path of the crate shares.
fn has_avx2() -> bool {
    isa() != Isa::Base
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
                    let mut got = vec![T::default(); n];
                    sort(&v, &mut got, descending, parallel).unwrap();
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
        sort(&v, &mut s, false, false).unwrap();
        let want = [f64::NEG_INFINITY, 0.0, -0.0, -0.0, 1.0, nan, -nan];
        assert_eq!(bytes(&s), bytes(&want));
        let mut d = v;
        sort(&v, &mut d, true, false).unwrap();
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
