//! `repr` / `str` of arrays, character for character as NumPy 2.x prints them with the default
//! print options (precision 8, floatmode 'maxprec', linewidth 75, threshold 1000, edgeitems 3).
//!
//! This is a port of `numpy/_core/arrayprint.py` (`_formatArray`, `FloatingFormat`,
//! `IntegerFormat`, `BoolFormat`, `_array_repr_implementation`) and of the parts of NumPy's
//! Dragon4 (`dragon4.c`) that those use, so float digits, rounding and padding agree exactly.

use crate::array::NdArray;
use crate::cast::Scalar;
use crate::dtype::DType;
use half::f16;
use std::cmp::Ordering;

const LINE_WIDTH: usize = 75;
const THRESHOLD: usize = 1000;
const EDGE_ITEMS: usize = 3;
const PRECISION: i32 = 8;

/// `repr(a)`, e.g. `array([1., 2.], dtype=float32)`.
pub fn array_repr(a: &NdArray) -> String {
    let prefix = "array(";
    let body = if a.size() == 0 {
        "[]".to_string()
    } else {
        // The closing ")" is reserved on every line, as NumPy's `suffix=")"` does.
        array2string(a, ", ", prefix.len(), LINE_WIDTH - 1)
    };
    let mut extras = Vec::new();
    if (a.size() == 0 && a.shape() != [0]) || a.size() > THRESHOLD {
        extras.push(format!("shape={}", shape_tuple(a.shape())));
    }
    let implied = matches!(a.dtype(), DType::Bool | DType::Int64 | DType::Float64);
    if !implied || a.size() == 0 {
        extras.push(format!("dtype={}", a.dtype().name()));
    }
    if extras.is_empty() {
        return format!("{prefix}{body})");
    }
    let head = format!("{prefix}{body},");
    let tail = extras.join(", ") + ")";
    let last_line_len = head.len() - head.rfind('\n').map_or(0, |i| i + 1);
    let spacer = if last_line_len + tail.len() + 1 > LINE_WIDTH {
        format!("\n{}", " ".repeat(prefix.len()))
    } else {
        " ".to_string()
    };
    format!("{head}{spacer}{tail}")
}

/// `str(a)`, e.g. `[1. 2.]`; a 0-d array prints as its scalar.
pub fn array_str(a: &NdArray) -> String {
    if a.ndim() == 0 {
        return scalar_str(a.get_scalar(&[]), a.dtype());
    }
    if a.size() == 0 {
        return "[]".to_string();
    }
    array2string(a, " ", 0, LINE_WIDTH)
}

/// Python's repr of a shape tuple: `(2000,)`, `(0, 3)`.
fn shape_tuple(shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    match dims.len() {
        1 => format!("({},)", dims[0]),
        _ => format!("({})", dims.join(", ")),
    }
}

/// `str()` of a NumPy scalar of `dtype`.
fn scalar_str(s: Scalar, dtype: DType) -> String {
    match s {
        Scalar::Bool(b) => if b { "True" } else { "False" }.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::UInt(u) => u.to_string(),
        Scalar::Float(x) => {
            let ty = FloatTy::of(dtype);
            if !x.is_finite() {
                return non_finite(x).to_string();
            }
            // float16/float32 switch to scientific notation earlier than float64.
            let upper = match ty {
                FloatTy::F16 => 1e3,
                FloatTy::F32 => 1e6,
                FloatTy::F64 => 1e16,
            };
            let abs = x.abs();
            if abs == 0.0 || (1e-4..upper).contains(&abs) {
                positional(ty, x, -1, -1, Trim::LeaveOneZero, -1, -1)
            } else {
                scientific(ty, x, -1, -1, Trim::DptZeros, -1, -1)
            }
        }
    }
}

fn non_finite(x: f64) -> &'static str {
    if x.is_nan() {
        "nan"
    } else if x < 0.0 {
        "-inf"
    } else {
        "inf"
    }
}

// ---------------------------------------------------------------------------------------------
// Layout: nesting, line wrapping and summarisation (`_array2string` / `_formatArray`).

fn array2string(a: &NdArray, separator: &str, prefix_len: usize, line_width: usize) -> String {
    let summarise = a.size() > THRESHOLD;
    // The element format is chosen from the elements actually shown.
    let mut shown = Vec::new();
    collect_shown(a, summarise, &mut Vec::new(), &mut shown);
    let layout = Layout {
        a,
        format: ElemFormat::new(a.dtype(), &shown, a.ndim() == 0),
        separator,
        summarise,
    };
    let hanging = " ".repeat(1 + prefix_len);
    layout.recurse(&mut Vec::new(), &hanging, line_width as isize)
}

/// Indices printed along an axis of length `len` (all, or the edge items around "...").
fn shown_indices(len: usize, summarise: bool) -> Vec<usize> {
    if summarise && len > 2 * EDGE_ITEMS {
        (0..EDGE_ITEMS).chain(len - EDGE_ITEMS..len).collect()
    } else {
        (0..len).collect()
    }
}

fn collect_shown(a: &NdArray, summarise: bool, index: &mut Vec<usize>, out: &mut Vec<Scalar>) {
    if index.len() == a.ndim() {
        out.push(a.get_scalar(index));
        return;
    }
    for i in shown_indices(a.shape()[index.len()], summarise) {
        index.push(i);
        collect_shown(a, summarise, index, out);
        index.pop();
    }
}

struct Layout<'a> {
    a: &'a NdArray,
    format: ElemFormat,
    separator: &'a str,
    summarise: bool,
}

impl Layout<'_> {
    /// The sub-array at `index`, its first line starting after `hanging` (which every further
    /// line starts with), each line at most `width` wide.
    fn recurse(&self, index: &mut Vec<usize>, hanging: &str, width: isize) -> String {
        let axes_left = self.a.ndim() - index.len();
        if axes_left == 0 {
            return self.format.format(self.a.get_scalar(index));
        }
        let len = self.a.shape()[index.len()];
        let edges = shown_indices(len, self.summarise);
        // `None` stands for the "..." of a summarised axis.
        let items: Vec<Option<usize>> = if edges.len() < len {
            let (lead, trail) = edges.split_at(EDGE_ITEMS);
            let lead = lead.iter().map(|&i| Some(i));
            lead.chain([None])
                .chain(trail.iter().map(|&i| Some(i)))
                .collect()
        } else {
            edges.into_iter().map(Some).collect()
        };
        let next_hanging = format!("{hanging} ");
        let mut child = |i: usize| {
            index.push(i);
            let s = self.recurse(index, &next_hanging, width - 1);
            index.pop();
            s
        };
        let mut out = String::new();
        if axes_left == 1 {
            let elem_width = width - self.separator.trim_end().len().max(1) as isize;
            let mut line = hanging.to_string();
            for (k, item) in items.iter().enumerate() {
                let word = item.map_or_else(|| "...".to_string(), &mut child);
                extend_line(&mut out, &mut line, &word, elem_width, hanging);
                if k + 1 < items.len() {
                    line.push_str(self.separator);
                }
            }
            out.push_str(&line);
        } else {
            let line_sep = format!(
                "{}{}",
                self.separator.trim_end(),
                "\n".repeat(axes_left - 1)
            );
            for (k, item) in items.iter().enumerate() {
                out.push_str(hanging);
                out.push_str(&item.map_or_else(|| "...".to_string(), &mut child));
                if k + 1 < items.len() {
                    out.push_str(&line_sep);
                }
            }
        }
        format!("[{}]", &out[hanging.len()..])
    }
}

/// `_extendLine`: appends `word` to `line`, first moving `line` into `out` if it would overflow.
fn extend_line(out: &mut String, line: &mut String, word: &str, width: isize, prefix: &str) {
    if (line.len() + word.len()) as isize > width && line.len() > prefix.len() {
        out.push_str(line.trim_end());
        out.push('\n');
        *line = prefix.to_string();
    }
    line.push_str(word);
}

// ---------------------------------------------------------------------------------------------
// Element formats (`BoolFormat`, `IntegerFormat`, `FloatingFormat`).

enum ElemFormat {
    Bool { pad_true: bool },
    Int { width: usize },
    Float(FloatFormat),
}

impl ElemFormat {
    fn new(dtype: DType, data: &[Scalar], zero_d: bool) -> ElemFormat {
        match dtype {
            DType::Bool => ElemFormat::Bool { pad_true: !zero_d },
            DType::Float16 | DType::Float32 | DType::Float64 => {
                let values: Vec<f64> = data.iter().map(|s| as_f64(*s)).collect();
                ElemFormat::Float(FloatFormat::new(FloatTy::of(dtype), &values))
            }
            _ => ElemFormat::Int {
                width: data.iter().map(|s| int_string(*s).len()).max().unwrap_or(0),
            },
        }
    }

    fn format(&self, s: Scalar) -> String {
        match self {
            ElemFormat::Bool { pad_true } => match s {
                Scalar::Bool(true) if *pad_true => " True".to_string(),
                Scalar::Bool(true) => "True".to_string(),
                _ => "False".to_string(),
            },
            ElemFormat::Int { width } => format!("{:>width$}", int_string(s)),
            ElemFormat::Float(f) => f.format(as_f64(s)),
        }
    }
}

fn int_string(s: Scalar) -> String {
    match s {
        Scalar::Int(i) => i.to_string(),
        Scalar::UInt(u) => u.to_string(),
        Scalar::Bool(b) => (b as u8).to_string(),
        Scalar::Float(f) => f.to_string(),
    }
}

fn as_f64(s: Scalar) -> f64 {
    match s {
        Scalar::Float(f) => f,
        Scalar::Int(i) => i as f64,
        Scalar::UInt(u) => u as f64,
        Scalar::Bool(b) => b as u8 as f64,
    }
}

/// `FloatingFormat` for floatmode 'maxprec', precision 8, sign '-', no suppression.
struct FloatFormat {
    ty: FloatTy,
    exp_format: bool,
    precision: i32,
    min_digits: i32,
    trim: Trim,
    pad_left: i32,
    pad_right: i32,
    exp_size: i32,
}

impl FloatFormat {
    fn new(ty: FloatTy, data: &[f64]) -> FloatFormat {
        let finite: Vec<f64> = data.iter().copied().filter(|x| x.is_finite()).collect();
        let abs_non_zero = finite.iter().filter(|x| **x != 0.0).map(|x| x.abs());
        let mut f = FloatFormat {
            ty,
            exp_format: false,
            precision: PRECISION,
            min_digits: -1,
            trim: Trim::Zeros,
            pad_left: 0,
            pad_right: 0,
            exp_size: -1,
        };
        if let (Some(max), Some(min)) = (
            abs_non_zero.clone().reduce(f64::max),
            abs_non_zero.reduce(f64::min),
        ) {
            // NumPy compares (and divides) in the array's own precision.
            f.exp_format =
                max >= ty.exp_cutoff() || min < ty.round(1e-4) || ty.round(max / min) > 1000.0;
        }
        let widest = |parts: &mut dyn Iterator<Item = usize>| parts.max().unwrap_or(0) as i32;
        if finite.is_empty() {
            // Only nan/inf: keep the defaults.
        } else if f.exp_format {
            let strs: Vec<String> = finite
                .iter()
                .map(|&x| scientific(ty, x, PRECISION, -1, Trim::Zeros, -1, -1))
                .collect();
            let split: Vec<(&str, &str, &str)> = strs
                .iter()
                .map(|s| {
                    let (mantissa, exp) = s.split_once('e').unwrap_or((s, ""));
                    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
                    (int, frac, exp)
                })
                .collect();
            f.exp_size = widest(&mut split.iter().map(|p| p.2.len())) - 1;
            f.precision = widest(&mut split.iter().map(|p| p.1.len()));
            f.min_digits = f.precision;
            f.trim = Trim::None;
            f.pad_left = widest(&mut split.iter().map(|p| p.0.len()));
            f.pad_right = f.exp_size + 2 + f.precision;
        } else {
            let strs: Vec<String> = finite
                .iter()
                .map(|&x| positional(ty, x, PRECISION, -1, Trim::Zeros, -1, -1))
                .collect();
            let split: Vec<(&str, &str)> = strs
                .iter()
                .map(|s| s.split_once('.').unwrap_or((s, "")))
                .collect();
            f.pad_left = widest(&mut split.iter().map(|p| p.0.len()));
            f.pad_right = widest(&mut split.iter().map(|p| p.1.len()));
            f.min_digits = 0;
        }
        if finite.len() != data.len() {
            // Make room for "nan" / "inf" / "-inf".
            let neg_inf = data.contains(&f64::NEG_INFINITY) as i32;
            let offset = f.pad_right + 1;
            f.pad_left = f.pad_left.max(3 - offset).max(3 + neg_inf - offset);
        }
        f
    }

    fn format(&self, x: f64) -> String {
        if !x.is_finite() {
            let width = (self.pad_left + self.pad_right + 1).max(0) as usize;
            return format!("{:>width$}", non_finite(x));
        }
        if self.exp_format {
            let (p, m, t, l) = (self.precision, self.min_digits, self.trim, self.pad_left);
            scientific(self.ty, x, p, m, t, l, self.exp_size)
        } else {
            let (p, m, t, l) = (self.precision, self.min_digits, self.trim, self.pad_left);
            positional(self.ty, x, p, m, t, l, self.pad_right)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Float to decimal: NumPy's `dragon4_positional` / `dragon4_scientific` (unique digit mode).

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum FloatTy {
    F16,
    F32,
    F64,
}

/// NumPy's trim modes: 'k', '.', '0', '-'.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Trim {
    None,
    Zeros,
    LeaveOneZero,
    DptZeros,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cutoff {
    TotalLength,
    FractionLength,
}

/// A finite float as Dragon4 sees it: `mantissa * 2^exponent`.
struct Decoded {
    negative: bool,
    mantissa: u64,
    exponent: i32,
    /// Index of the highest mantissa bit (for the digit-exponent estimate).
    mantissa_bit: i32,
    /// True at the bottom of a binade, where the gap below is half the gap above.
    unequal_margins: bool,
}

impl FloatTy {
    fn of(dtype: DType) -> FloatTy {
        match dtype {
            DType::Float16 => FloatTy::F16,
            DType::Float32 => FloatTy::F32,
            _ => FloatTy::F64,
        }
    }

    /// Rounds `x` to this type (exact for values already of the type).
    fn round(self, x: f64) -> f64 {
        match self {
            FloatTy::F16 => f16::from_f64(x).to_f64(),
            FloatTy::F32 => x as f32 as f64,
            FloatTy::F64 => x,
        }
    }

    /// `10 ** min(8, finfo(dtype).precision)`: values this large print in scientific notation.
    fn exp_cutoff(self) -> f64 {
        match self {
            FloatTy::F16 => 1e3,
            FloatTy::F32 => 1e6,
            FloatTy::F64 => 1e8,
        }
    }

    fn decode(self, x: f64) -> Decoded {
        let (bits, mant_bits, exp_bits): (u64, i32, i32) = match self {
            FloatTy::F16 => (f16::from_f64(x).to_bits() as u64, 10, 5),
            FloatTy::F32 => ((x as f32).to_bits() as u64, 23, 8),
            FloatTy::F64 => (x.to_bits(), 52, 11),
        };
        let bias = (1 << (exp_bits - 1)) - 1;
        let negative = (bits >> (mant_bits + exp_bits)) & 1 == 1;
        let biased = ((bits >> mant_bits) & ((1 << exp_bits) - 1)) as i32;
        let fraction = bits & ((1u64 << mant_bits) - 1);
        if biased != 0 {
            Decoded {
                negative,
                mantissa: fraction | (1u64 << mant_bits),
                exponent: biased - bias - mant_bits,
                mantissa_bit: mant_bits,
                unequal_margins: biased != 1 && fraction == 0,
            }
        } else {
            Decoded {
                negative,
                mantissa: fraction,
                exponent: 1 - bias - mant_bits,
                mantissa_bit: 63 - fraction.max(1).leading_zeros() as i32,
                unequal_margins: false,
            }
        }
    }
}

/// `dragon4_positional(x, precision, min_digits, unique=True, fractional=True, trim, ...)`.
/// Negative `precision`, `min_digits`, `pad_left` or `pad_right` mean "none".
fn positional(
    ty: FloatTy,
    x: f64,
    precision: i32,
    min_digits: i32,
    trim: Trim,
    pad_left: i32,
    pad_right: i32,
) -> String {
    let d = ty.decode(x);
    let (digits, print_exp) = dragon4(&d, Cutoff::FractionLength, precision, min_digits);
    let n = digits.len() as i32;
    let (mut body, whole, mut frac) = if print_exp >= 0 {
        let whole = print_exp + 1;
        if n <= whole {
            (digits + &"0".repeat((whole - n) as usize), whole, 0)
        } else {
            let (w, f) = digits.split_at(whole as usize);
            (format!("{w}.{f}"), whole, n - whole)
        }
    } else {
        let zeros = -(print_exp + 1);
        (
            format!("0.{}{digits}", "0".repeat(zeros as usize)),
            1,
            zeros + n,
        )
    };
    if trim != Trim::DptZeros && frac == 0 {
        body.push('.');
    }
    frac = pad_fraction(&mut body, frac, trim, min_digits.max(0));
    if pad_right >= frac {
        if trim == Trim::DptZeros && frac == 0 {
            body.push(' ');
        }
        body.push_str(&" ".repeat((pad_right - frac) as usize));
    }
    let sign = if d.negative { "-" } else { "" };
    let left = (pad_left - whole - d.negative as i32).max(0) as usize;
    format!("{}{sign}{body}", " ".repeat(left))
}

/// `dragon4_scientific(x, precision, min_digits, unique=True, trim, pad_left, exp_digits)`.
fn scientific(
    ty: FloatTy,
    x: f64,
    precision: i32,
    min_digits: i32,
    trim: Trim,
    pad_left: i32,
    exp_digits: i32,
) -> String {
    let d = ty.decode(x);
    let total = |p: i32| if p < 0 { -1 } else { p + 1 };
    let (digits, print_exp) = dragon4(&d, Cutoff::TotalLength, total(precision), total(min_digits));
    let left = (pad_left - 1 - d.negative as i32).max(0) as usize;
    let mut body = digits[..1].to_string();
    let frac = digits.len() as i32 - 1;
    if frac > 0 {
        body.push('.');
        body.push_str(&digits[1..]);
    } else if trim != Trim::DptZeros {
        body.push('.');
    }
    pad_fraction(&mut body, frac, trim, min_digits.max(0));
    let exp_digits = match exp_digits {
        e if e < 0 => 2,
        e => e.min(5) as usize,
    };
    let exp_sign = if print_exp < 0 { '-' } else { '+' };
    let sign = if d.negative { "-" } else { "" };
    format!(
        "{}{sign}{body}e{exp_sign}{:0exp_digits$}",
        " ".repeat(left),
        print_exp.abs()
    )
}

/// Applies `trim` to the fraction digits of `body` (which ends in the digits or the point),
/// zero-filling to `min_frac` digits for `Trim::None`. Returns the new fraction digit count.
fn pad_fraction(body: &mut String, mut frac: i32, trim: Trim, min_frac: i32) -> i32 {
    match trim {
        Trim::LeaveOneZero if frac == 0 => {
            body.push('0');
            frac = 1;
        }
        Trim::None if min_frac > frac => {
            body.push_str(&"0".repeat((min_frac - frac) as usize));
            frac = min_frac;
        }
        _ => {}
    }
    if trim != Trim::None && frac > 0 {
        while body.ends_with('0') {
            body.pop();
            frac -= 1;
        }
        if body.ends_with('.') {
            match trim {
                Trim::LeaveOneZero => {
                    body.push('0');
                    frac += 1;
                }
                Trim::DptZeros => {
                    body.pop();
                }
                _ => {}
            }
        }
    }
    frac
}

/// NumPy's `Dragon4` in unique mode (Burger & Dybvig with IEEE round-half-even margins):
/// the shortest digits identifying the value, but at most up to `cutoff_max` and at least up
/// to `cutoff_min` (digit counts, total or after the point; negative means no limit).
/// Returns the digits and the decimal exponent of the first one.
fn dragon4(d: &Decoded, cutoff: Cutoff, cutoff_max: i32, cutoff_min: i32) -> (String, i32) {
    if d.mantissa == 0 {
        return ("0".to_string(), 0);
    }
    let is_even = d.mantissa.is_multiple_of(2);
    let e = d.exponent;
    let unequal = d.unequal_margins as u32;
    // value = scaled / scale; margin_low (and margin_low * high_factor) are half the gaps to
    // the neighbouring floats below (above), in the same scale.
    let mut scaled = Big::from(d.mantissa).shl(e.max(0) as u32 + 1 + unequal);
    let mut scale = Big::from(1).shl((-e).max(0) as u32 + 1 + unequal);
    let mut margin_low = Big::from(1).shl(e.max(0) as u32);
    let high_factor = 1 + unequal;

    let mut digit_exp =
        (((d.mantissa_bit + e) as f64) * std::f64::consts::LOG10_2 - 0.69).ceil() as i32;
    if cutoff_max >= 0 && cutoff == Cutoff::FractionLength && digit_exp <= -cutoff_max {
        digit_exp = -cutoff_max + 1;
    }
    if digit_exp > 0 {
        scale.mul_pow10(digit_exp as u32);
    } else {
        scaled.mul_pow10((-digit_exp) as u32);
        margin_low.mul_pow10((-digit_exp) as u32);
    }
    if scaled >= scale {
        digit_exp += 1;
    } else {
        scaled.mul_small(10);
        margin_low.mul_small(10);
    }
    let desired = |n: i32| match cutoff {
        Cutoff::TotalLength => digit_exp - n,
        Cutoff::FractionLength => -n,
    };
    let mut cutoff_max_exp = digit_exp - 10_000;
    if cutoff_max >= 0 {
        cutoff_max_exp = cutoff_max_exp.max(desired(cutoff_max));
    }
    let mut cutoff_min_exp = digit_exp;
    if cutoff_min >= 0 {
        cutoff_min_exp = cutoff_min_exp.min(desired(cutoff_min));
    }
    let mut out_exp = digit_exp - 1;

    let mut digits = Vec::new();
    let (low, high, digit) = loop {
        digit_exp -= 1;
        let digit = scaled.div_rem_small(&scale);
        let mut margin_high = margin_low.clone();
        margin_high.mul_small(high_factor);
        let cmp_low = scaled.cmp(&margin_low);
        let cmp_high = scaled.add(&margin_high).cmp(&scale);
        let low = cmp_low == Ordering::Less || (is_even && cmp_low == Ordering::Equal);
        let high = cmp_high == Ordering::Greater || (is_even && cmp_high == Ordering::Equal);
        if ((low || high) && digit_exp <= cutoff_min_exp) || digit_exp == cutoff_max_exp {
            break (low, high, digit);
        }
        digits.push(digit);
        scaled.mul_small(10);
        margin_low.mul_small(10);
    };
    // Round the last digit: towards the side that is still unique, else to nearest (even).
    let round_down = if low == high {
        scaled.mul_small(2);
        match scaled.cmp(&scale) {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => digit % 2 == 0,
        }
    } else {
        low
    };
    if round_down {
        digits.push(digit);
    } else if digit < 9 {
        digits.push(digit + 1);
    } else {
        // Carry: drop the trailing nines and increment the digit before them.
        loop {
            match digits.pop() {
                Some(9) => {}
                Some(prev) => {
                    digits.push(prev + 1);
                    break;
                }
                None => {
                    digits.push(1);
                    out_exp += 1;
                    break;
                }
            }
        }
    }
    let text = digits.iter().map(|&d| char::from(b'0' + d)).collect();
    (text, out_exp)
}

/// A minimal unsigned big integer (little-endian 32-bit limbs, no leading zero limbs).
#[derive(Clone, PartialEq, Eq, Debug)]
struct Big(Vec<u32>);

impl Big {
    fn from(v: u64) -> Big {
        let mut b = Big(vec![v as u32, (v >> 32) as u32]);
        b.normalize();
        b
    }

    fn normalize(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn shl(mut self, n: u32) -> Big {
        let bits = n % 32;
        if bits > 0 {
            let mut carry = 0u32;
            for limb in self.0.iter_mut() {
                let v = ((*limb as u64) << bits) | carry as u64;
                *limb = v as u32;
                carry = (v >> 32) as u32;
            }
            if carry != 0 {
                self.0.push(carry);
            }
        }
        if !self.0.is_empty() {
            self.0
                .splice(0..0, std::iter::repeat_n(0, (n / 32) as usize));
        }
        self
    }

    fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for limb in self.0.iter_mut() {
            let v = *limb as u64 * m as u64 + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
        self.normalize();
    }

    fn mul_pow10(&mut self, n: u32) {
        for _ in 0..n / 9 {
            self.mul_small(1_000_000_000);
        }
        self.mul_small(10u32.pow(n % 9));
    }

    fn add(&self, other: &Big) -> Big {
        let (long, short) = if self.0.len() >= other.0.len() {
            (self, other)
        } else {
            (other, self)
        };
        let mut out = Vec::with_capacity(long.0.len() + 1);
        let mut carry = 0u64;
        for (i, &l) in long.0.iter().enumerate() {
            let v = l as u64 + *short.0.get(i).unwrap_or(&0) as u64 + carry;
            out.push(v as u32);
            carry = v >> 32;
        }
        if carry != 0 {
            out.push(carry as u32);
        }
        Big(out)
    }

    /// `self -= other`, assuming `self >= other`.
    fn sub_assign(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let v = *limb as i64 - *other.0.get(i).unwrap_or(&0) as i64 - borrow;
            borrow = (v < 0) as i64;
            *limb = (v + (borrow << 32)) as u32;
        }
        self.normalize();
    }

    /// Replaces `self` by `self % divisor` and returns the quotient, which must be below 10.
    fn div_rem_small(&mut self, divisor: &Big) -> u8 {
        let mut q = 0;
        while *self >= *divisor {
            self.sub_assign(divisor);
            q += 1;
        }
        q
    }
}

impl Ord for Big {
    fn cmp(&self, other: &Big) -> Ordering {
        let by_len = self.0.len().cmp(&other.0.len());
        by_len.then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

impl PartialOrd for Big {
    fn partial_cmp(&self, other: &Big) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::{IndexItem, SliceSpec};

    fn floats(dtype: DType, values: &[f64], shape: &[usize]) -> NdArray {
        let a = NdArray::from_vec(values.to_vec(), shape).unwrap();
        a.astype(dtype).unwrap()
    }

    fn ints(dtype: DType, values: &[i64], shape: &[usize]) -> NdArray {
        let a = NdArray::from_vec(values.to_vec(), shape).unwrap();
        a.astype(dtype).unwrap()
    }

    #[track_caller]
    fn check(a: &NdArray, repr: &str, str: &str) {
        assert_eq!(array_repr(a), repr);
        assert_eq!(array_str(a), str);
    }

    /// Expected strings are `repr(a)` / `str(a)` from NumPy 2.4.
    #[test]
    fn matches_numpy() {
        check(
            &ints(DType::Int8, &[1, -2, 3], &[3]),
            "array([ 1, -2,  3], dtype=int8)",
            "[ 1 -2  3]",
        );
        check(
            &ints(DType::Int16, &[-300, 7], &[2]),
            "array([-300,    7], dtype=int16)",
            "[-300    7]",
        );
        check(
            &ints(DType::Int32, &[0, 100000], &[2]),
            "array([     0, 100000], dtype=int32)",
            "[     0 100000]",
        );
        check(
            &ints(DType::Int64, &[1, 2, 3], &[3]),
            "array([1, 2, 3])",
            "[1 2 3]",
        );
        check(
            &ints(DType::Int64, &[i64::MIN, 0, i64::MAX], &[3]),
            "array([-9223372036854775808,                    0,  9223372036854775807])",
            "[-9223372036854775808                    0  9223372036854775807]",
        );
        check(
            &ints(DType::UInt8, &[0, 255], &[2]),
            "array([  0, 255], dtype=uint8)",
            "[  0 255]",
        );
        check(
            &ints(DType::UInt16, &[65535, 1], &[2]),
            "array([65535,     1], dtype=uint16)",
            "[65535     1]",
        );
        check(
            &ints(DType::UInt32, &[7], &[1]),
            "array([7], dtype=uint32)",
            "[7]",
        );
        check(
            &NdArray::from_vec(vec![u64::MAX, 0, 1], &[3]).unwrap(),
            "array([18446744073709551615,                    0,                    1],\n      dtype=uint64)",
            "[18446744073709551615                    0                    1]",
        );
        check(
            &NdArray::from_vec(vec![true, false, true], &[3]).unwrap(),
            "array([ True, False,  True])",
            "[ True False  True]",
        );
        check(
            &floats(DType::Float16, &[0.1, 1.0, 65504.0], &[3]),
            "array([1.00e-01, 1.00e+00, 6.55e+04], dtype=float16)",
            "[1.00e-01 1.00e+00 6.55e+04]",
        );
        check(
            &floats(DType::Float16, &[0.1, 0.2, -1.5], &[3]),
            "array([ 0.1,  0.2, -1.5], dtype=float16)",
            "[ 0.1  0.2 -1.5]",
        );
        check(
            &floats(DType::Float32, &[0.1, 2.0], &[2]),
            "array([0.1, 2. ], dtype=float32)",
            "[0.1 2. ]",
        );
        check(
            &floats(DType::Float32, &[1.0 / 3.0, 1e-5], &[2]),
            "array([3.3333334e-01, 9.9999997e-06], dtype=float32)",
            "[3.3333334e-01 9.9999997e-06]",
        );
        check(
            &floats(DType::Float64, &[0.1, 2.0], &[2]),
            "array([0.1, 2. ])",
            "[0.1 2. ]",
        );
        check(
            &floats(DType::Float64, &[1.0 / 3.0, -2.5, 100.0], &[3]),
            "array([  0.33333333,  -2.5       , 100.        ])",
            "[  0.33333333  -2.5        100.        ]",
        );
        check(&floats(DType::Float64, &[1.5], &[]), "array(1.5)", "1.5");
        check(&floats(DType::Float64, &[1.0], &[]), "array(1.)", "1.0");
        check(
            &floats(DType::Float64, &[1e20], &[]),
            "array(1.e+20)",
            "1e+20",
        );
        check(
            &floats(DType::Float32, &[0.1], &[]),
            "array(0.1, dtype=float32)",
            "0.1",
        );
        check(
            &floats(DType::Float16, &[1000.0], &[]),
            "array(1.e+03, dtype=float16)",
            "1e+03",
        );
        check(
            &floats(DType::Float32, &[1e6], &[]),
            "array(1.e+06, dtype=float32)",
            "1e+06",
        );
        check(
            &floats(DType::Float64, &[f64::NAN], &[]),
            "array(nan)",
            "nan",
        );
        check(&floats(DType::Float64, &[-0.0], &[]), "array(-0.)", "-0.0");
        check(&ints(DType::Int8, &[3], &[]), "array(3, dtype=int8)", "3");
        check(&ints(DType::Int64, &[-7], &[]), "array(-7)", "-7");
        check(
            &NdArray::from_vec(vec![true], &[]).unwrap(),
            "array(True)",
            "True",
        );
        check(
            &floats(DType::Float64, &[], &[0]),
            "array([], dtype=float64)",
            "[]",
        );
        check(
            &floats(DType::Float32, &[], &[0]),
            "array([], dtype=float32)",
            "[]",
        );
        check(
            &ints(DType::Int64, &[], &[0, 3]),
            "array([], shape=(0, 3), dtype=int64)",
            "[]",
        );
        check(
            &floats(DType::Float64, &[], &[2, 0]),
            "array([], shape=(2, 0), dtype=float64)",
            "[]",
        );
        check(
            &NdArray::from_vec(Vec::<bool>::new(), &[0]).unwrap(),
            "array([], dtype=bool)",
            "[]",
        );
        check(
            &floats(DType::Float64, &[1.0, 2.5, -3.0, 4.0, 5.0, 6.0], &[2, 3]),
            "array([[ 1. ,  2.5, -3. ],\n       [ 4. ,  5. ,  6. ]])",
            "[[ 1.   2.5 -3. ]\n [ 4.   5.   6. ]]",
        );
        check(
            &ints(DType::Int64, &(0..24).collect::<Vec<_>>(), &[2, 3, 4]),
            "array([[[ 0,  1,  2,  3],\n        [ 4,  5,  6,  7],\n        [ 8,  9, 10, 11]],\n\n       [[12, 13, 14, 15],\n        [16, 17, 18, 19],\n        [20, 21, 22, 23]]])",
            "[[[ 0  1  2  3]\n  [ 4  5  6  7]\n  [ 8  9 10 11]]\n\n [[12 13 14 15]\n  [16 17 18 19]\n  [20 21 22 23]]]",
        );
        check(
            &ints(DType::UInt8, &(0..24).collect::<Vec<_>>(), &[2, 3, 2, 2]),
            "array([[[[ 0,  1],\n         [ 2,  3]],\n\n        [[ 4,  5],\n         [ 6,  7]],\n\n        [[ 8,  9],\n         [10, 11]]],\n\n\n       [[[12, 13],\n         [14, 15]],\n\n        [[16, 17],\n         [18, 19]],\n\n        [[20, 21],\n         [22, 23]]]], dtype=uint8)",
            "[[[[ 0  1]\n   [ 2  3]]\n\n  [[ 4  5]\n   [ 6  7]]\n\n  [[ 8  9]\n   [10 11]]]\n\n\n [[[12 13]\n   [14 15]]\n\n  [[16 17]\n   [18 19]]\n\n  [[20 21]\n   [22 23]]]]",
        );
        check(
            &NdArray::from_vec(vec![true, false, false, true], &[2, 2]).unwrap(),
            "array([[ True, False],\n       [False,  True]])",
            "[[ True False]\n [False  True]]",
        );
        check(
            &floats(
                DType::Float64,
                &[f64::NAN, 1.0, f64::NEG_INFINITY, f64::INFINITY],
                &[4],
            ),
            "array([ nan,   1., -inf,  inf])",
            "[ nan   1. -inf  inf]",
        );
        check(
            &floats(DType::Float64, &[f64::NAN, f64::NEG_INFINITY], &[2]),
            "array([ nan, -inf])",
            "[ nan -inf]",
        );
        check(
            &floats(DType::Float32, &[f64::NAN, 1.5e-7, 3.0], &[3]),
            "array([    nan, 1.5e-07, 3.0e+00], dtype=float32)",
            "[    nan 1.5e-07 3.0e+00]",
        );
        check(
            &floats(DType::Float64, &[-0.0, 0.0, 1.0], &[3]),
            "array([-0.,  0.,  1.])",
            "[-0.  0.  1.]",
        );
        check(
            &floats(DType::Float64, &[1e-5, 1.0], &[2]),
            "array([1.e-05, 1.e+00])",
            "[1.e-05 1.e+00]",
        );
        check(
            &floats(DType::Float64, &[1e10], &[1]),
            "array([1.e+10])",
            "[1.e+10]",
        );
        check(
            &floats(DType::Float64, &[1.5e300, 2.0], &[2]),
            "array([1.5e+300, 2.0e+000])",
            "[1.5e+300 2.0e+000]",
        );
        check(
            &floats(DType::Float64, &[1.0, 1000.5], &[2]),
            "array([1.0000e+00, 1.0005e+03])",
            "[1.0000e+00 1.0005e+03]",
        );
        check(
            &floats(DType::Float64, &[f64::from(0.1_f32), 1.25e-5], &[2]),
            "array([1.00000001e-01, 1.25000000e-05])",
            "[1.00000001e-01 1.25000000e-05]",
        );
        check(
            &floats(
                DType::Float32,
                &[f64::from(1e-4_f32), f64::from(1e-3_f32)],
                &[2],
            ),
            "array([0.0001, 0.001 ], dtype=float32)",
            "[0.0001 0.001 ]",
        );
        check(
            &floats(DType::Float32, &[1e6, 1.0], &[2]),
            "array([1.e+06, 1.e+00], dtype=float32)",
            "[1.e+06 1.e+00]",
        );
        check(
            &floats(DType::Float16, &[1.0, 1000.0], &[2]),
            "array([1.e+00, 1.e+03], dtype=float16)",
            "[1.e+00 1.e+03]",
        );
        check(
            &floats(DType::Float64, &[5e-324, 1.7976931348623157e308], &[2]),
            "array([4.94065646e-324, 1.79769313e+308])",
            "[4.94065646e-324 1.79769313e+308]",
        );
        check(
            &floats(
                DType::Float64,
                &[std::f64::consts::PI, 1.0 / 7.0, 123456.789],
                &[3],
            ),
            "array([3.14159265e+00, 1.42857143e-01, 1.23456789e+05])",
            "[3.14159265e+00 1.42857143e-01 1.23456789e+05]",
        );
        check(
            &floats(DType::Float64, &[0.999999999, 9.9999999999], &[2]),
            "array([ 1., 10.])",
            "[ 1. 10.]",
        );
        check(
            &floats(DType::Float64, &(0..30).map(|i| i as f64).collect::<Vec<_>>(), &[30]),
            "array([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12.,\n       13., 14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25.,\n       26., 27., 28., 29.])",
            "[ 0.  1.  2.  3.  4.  5.  6.  7.  8.  9. 10. 11. 12. 13. 14. 15. 16. 17.\n 18. 19. 20. 21. 22. 23. 24. 25. 26. 27. 28. 29.]",
        );
        check(
            &ints(DType::Int64, &(0..100).collect::<Vec<_>>(), &[100]),
            "array([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16,\n       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33,\n       34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50,\n       51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67,\n       68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84,\n       85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99])",
            "[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47\n 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 69 70 71\n 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95\n 96 97 98 99]",
        );
        check(
            &ints(DType::Int64, &(0..100).collect::<Vec<_>>(), &[4, 25]),
            "array([[ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15,\n        16, 17, 18, 19, 20, 21, 22, 23, 24],\n       [25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,\n        41, 42, 43, 44, 45, 46, 47, 48, 49],\n       [50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65,\n        66, 67, 68, 69, 70, 71, 72, 73, 74],\n       [75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90,\n        91, 92, 93, 94, 95, 96, 97, 98, 99]])",
            "[[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n  24]\n [25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48\n  49]\n [50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 69 70 71 72 73\n  74]\n [75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95 96 97 98\n  99]]",
        );
        check(
            &floats(DType::Float32, &(0..24).map(|i| i as f64 / 3.0).collect::<Vec<_>>(), &[24]),
            "array([0.        , 0.33333334, 0.6666667 , 1.        , 1.3333334 ,\n       1.6666666 , 2.        , 2.3333333 , 2.6666667 , 3.        ,\n       3.3333333 , 3.6666667 , 4.        , 4.3333335 , 4.6666665 ,\n       5.        , 5.3333335 , 5.6666665 , 6.        , 6.3333335 ,\n       6.6666665 , 7.        , 7.3333335 , 7.6666665 ], dtype=float32)",
            "[0.         0.33333334 0.6666667  1.         1.3333334  1.6666666\n 2.         2.3333333  2.6666667  3.         3.3333333  3.6666667\n 4.         4.3333335  4.6666665  5.         5.3333335  5.6666665\n 6.         6.3333335  6.6666665  7.         7.3333335  7.6666665 ]",
        );
        check(
            &ints(DType::Int64, &(0..2000).collect::<Vec<_>>(), &[2000]),
            "array([   0,    1,    2, ..., 1997, 1998, 1999], shape=(2000,))",
            "[   0    1    2 ... 1997 1998 1999]",
        );
        check(
            &ints(DType::Int32, &(0..2000).collect::<Vec<_>>(), &[2000]),
            "array([   0,    1,    2, ..., 1997, 1998, 1999],\n      shape=(2000,), dtype=int32)",
            "[   0    1    2 ... 1997 1998 1999]",
        );
        check(
            &floats(DType::Float64, &(0..2000).map(|i| i as f64).collect::<Vec<_>>(), &[2, 1000]),
            "array([[0.000e+00, 1.000e+00, 2.000e+00, ..., 9.970e+02, 9.980e+02,\n        9.990e+02],\n       [1.000e+03, 1.001e+03, 1.002e+03, ..., 1.997e+03, 1.998e+03,\n        1.999e+03]], shape=(2, 1000))",
            "[[0.000e+00 1.000e+00 2.000e+00 ... 9.970e+02 9.980e+02 9.990e+02]\n [1.000e+03 1.001e+03 1.002e+03 ... 1.997e+03 1.998e+03 1.999e+03]]",
        );
        check(
            &ints(DType::Int64, &(0..2000).collect::<Vec<_>>(), &[10, 10, 20]),
            "array([[[   0,    1,    2, ...,   17,   18,   19],\n        [  20,   21,   22, ...,   37,   38,   39],\n        [  40,   41,   42, ...,   57,   58,   59],\n        ...,\n        [ 140,  141,  142, ...,  157,  158,  159],\n        [ 160,  161,  162, ...,  177,  178,  179],\n        [ 180,  181,  182, ...,  197,  198,  199]],\n\n       [[ 200,  201,  202, ...,  217,  218,  219],\n        [ 220,  221,  222, ...,  237,  238,  239],\n        [ 240,  241,  242, ...,  257,  258,  259],\n        ...,\n        [ 340,  341,  342, ...,  357,  358,  359],\n        [ 360,  361,  362, ...,  377,  378,  379],\n        [ 380,  381,  382, ...,  397,  398,  399]],\n\n       [[ 400,  401,  402, ...,  417,  418,  419],\n        [ 420,  421,  422, ...,  437,  438,  439],\n        [ 440,  441,  442, ...,  457,  458,  459],\n        ...,\n        [ 540,  541,  542, ...,  557,  558,  559],\n        [ 560,  561,  562, ...,  577,  578,  579],\n        [ 580,  581,  582, ...,  597,  598,  599]],\n\n       ...,\n\n       [[1400, 1401, 1402, ..., 1417, 1418, 1419],\n        [1420, 1421, 1422, ..., 1437, 1438, 1439],\n        [1440, 1441, 1442, ..., 1457, 1458, 1459],\n        ...,\n        [1540, 1541, 1542, ..., 1557, 1558, 1559],\n        [1560, 1561, 1562, ..., 1577, 1578, 1579],\n        [1580, 1581, 1582, ..., 1597, 1598, 1599]],\n\n       [[1600, 1601, 1602, ..., 1617, 1618, 1619],\n        [1620, 1621, 1622, ..., 1637, 1638, 1639],\n        [1640, 1641, 1642, ..., 1657, 1658, 1659],\n        ...,\n        [1740, 1741, 1742, ..., 1757, 1758, 1759],\n        [1760, 1761, 1762, ..., 1777, 1778, 1779],\n        [1780, 1781, 1782, ..., 1797, 1798, 1799]],\n\n       [[1800, 1801, 1802, ..., 1817, 1818, 1819],\n        [1820, 1821, 1822, ..., 1837, 1838, 1839],\n        [1840, 1841, 1842, ..., 1857, 1858, 1859],\n        ...,\n        [1940, 1941, 1942, ..., 1957, 1958, 1959],\n        [1960, 1961, 1962, ..., 1977, 1978, 1979],\n        [1980, 1981, 1982, ..., 1997, 1998, 1999]]], shape=(10, 10, 20))",
            "[[[   0    1    2 ...   17   18   19]\n  [  20   21   22 ...   37   38   39]\n  [  40   41   42 ...   57   58   59]\n  ...\n  [ 140  141  142 ...  157  158  159]\n  [ 160  161  162 ...  177  178  179]\n  [ 180  181  182 ...  197  198  199]]\n\n [[ 200  201  202 ...  217  218  219]\n  [ 220  221  222 ...  237  238  239]\n  [ 240  241  242 ...  257  258  259]\n  ...\n  [ 340  341  342 ...  357  358  359]\n  [ 360  361  362 ...  377  378  379]\n  [ 380  381  382 ...  397  398  399]]\n\n [[ 400  401  402 ...  417  418  419]\n  [ 420  421  422 ...  437  438  439]\n  [ 440  441  442 ...  457  458  459]\n  ...\n  [ 540  541  542 ...  557  558  559]\n  [ 560  561  562 ...  577  578  579]\n  [ 580  581  582 ...  597  598  599]]\n\n ...\n\n [[1400 1401 1402 ... 1417 1418 1419]\n  [1420 1421 1422 ... 1437 1438 1439]\n  [1440 1441 1442 ... 1457 1458 1459]\n  ...\n  [1540 1541 1542 ... 1557 1558 1559]\n  [1560 1561 1562 ... 1577 1578 1579]\n  [1580 1581 1582 ... 1597 1598 1599]]\n\n [[1600 1601 1602 ... 1617 1618 1619]\n  [1620 1621 1622 ... 1637 1638 1639]\n  [1640 1641 1642 ... 1657 1658 1659]\n  ...\n  [1740 1741 1742 ... 1757 1758 1759]\n  [1760 1761 1762 ... 1777 1778 1779]\n  [1780 1781 1782 ... 1797 1798 1799]]\n\n [[1800 1801 1802 ... 1817 1818 1819]\n  [1820 1821 1822 ... 1837 1838 1839]\n  [1840 1841 1842 ... 1857 1858 1859]\n  ...\n  [1940 1941 1942 ... 1957 1958 1959]\n  [1960 1961 1962 ... 1977 1978 1979]\n  [1980 1981 1982 ... 1997 1998 1999]]]",
        );
        check(
            &floats(DType::Float16, &(0..1200).map(|i| i as f64 / 8.0).collect::<Vec<_>>(), &[1200]),
            "array([0.000e+00, 1.250e-01, 2.500e-01, ..., 1.496e+02, 1.498e+02,\n       1.499e+02], shape=(1200,), dtype=float16)",
            "[0.000e+00 1.250e-01 2.500e-01 ... 1.496e+02 1.498e+02 1.499e+02]",
        );
    }

    #[test]
    fn views_print_their_own_elements() {
        let a = ints(DType::Int64, &(0..10).collect::<Vec<_>>(), &[10]);
        let step = SliceSpec {
            start: None,
            stop: None,
            step: Some(-2),
        };
        let v = a.index(&[IndexItem::Slice(step)]).unwrap();
        check(&v, "array([9, 7, 5, 3, 1])", "[9 7 5 3 1]");
        let b = floats(DType::Float64, &[0., 1., 2., 3., 4., 5.], &[2, 3]);
        let t = b.transpose(None).unwrap();
        check(
            &t,
            "array([[0., 3.],\n       [1., 4.],\n       [2., 5.]])",
            "[[0. 3.]\n [1. 4.]\n [2. 5.]]",
        );
    }

    #[test]
    fn dragon4_digits() {
        let f64_sci = |x: f64| scientific(FloatTy::F64, x, -1, -1, Trim::DptZeros, -1, -1);
        assert_eq!(f64_sci(1e23), "1e+23");
        assert_eq!(f64_sci(5e-324), "5e-324");
        assert_eq!(f64_sci(-1.7976931348623157e308), "-1.7976931348623157e+308");
        let f16_pos = |x: f64| positional(FloatTy::F16, x, -1, -1, Trim::LeaveOneZero, -1, -1);
        assert_eq!(f16_pos(0.1), "0.1");
        assert_eq!(f16_pos(std::f64::consts::PI), "3.14");
        let f32_pos = |x: f64| positional(FloatTy::F32, x, -1, -1, Trim::LeaveOneZero, -1, -1);
        assert_eq!(f32_pos(16777216.0), "16777216.0");
    }
}
