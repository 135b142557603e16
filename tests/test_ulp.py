"""Accuracy of the vectorised transcendental ufuncs, measured against mpmath.

``exp, log, sin, cos, tanh, expm1, log1p`` in float32 and float64 are evaluated by Raptors with
one array call per case and compared, sample by sample, with a reference computed by mpmath at
120+ bits.  The error of a result is ``|got - exact| / ulp(r)`` where ``r`` is the exact value
correctly rounded to the target format (round to nearest, even; with gradual underflow, so the
ulp of a subnormal is the smallest subnormal, and with overflow to infinity).  No double
rounding through float64 is involved: the rounding is done on the mpmath value directly.

The bound asserted is :data:`MAX_ULP` (the kernels measure about 1.6 ulp in float32 and 2.3 ulp
in float64); the measured maximum is printed and put in the assertion message, and NumPy's
error on the same samples is reported alongside as information (never asserted).

Samples per (function, dtype): dense samples where the function is used, random bit patterns
over the whole finite range (subnormals, huge values, overflow and underflow) and the floats
around the thresholds (overflow, underflow, saturation, the end of the domain).  Special values
(signed zeros, infinities, NaN) must be exact and are checked against C99 and NumPy.  float16
is checked exhaustively against NumPy (both compute in float32 and round once to float16).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import mpmath
import numpy as np
import pytest
import raptors as rp
from mpmath import mp, mpf
from test_ufunc_binary import np_call

OPS = ["exp", "log", "sin", "cos", "tanh", "expm1", "log1p"]
MAX_ULP = 4.0
#: working precision of the reference (sin/cos of large arguments get the exponent on top)
REF_PREC = 120
UINT = {"float16": np.uint16, "float32": np.uint32, "float64": np.uint64}


@dataclass(frozen=True)
class Fmt:
    """An IEEE binary format: ``p`` significand bits, normal exponents ``emin..emax``."""

    p: int
    emin: int
    emax: int


FMT = {"float32": Fmt(24, -126, 127), "float64": Fmt(53, -1022, 1023)}
accuracy_cases = pytest.mark.parametrize(
    "op,dtype", [(op, dt) for op in OPS for dt in ("float32", "float64")]
)


def rp_eval(op: str, x) -> np.ndarray:
    """``rp.<op>`` applied to Raptors array ``x``, as a NumPy array of the same dtype."""
    r = getattr(rp, op)(x)
    assert isinstance(r, rp.ndarray), f"rp.{op} returned {type(r)!r}"
    assert r.dtype.name == x.dtype.name, f"rp.{op}: dtype {r.dtype.name} != {x.dtype.name}"
    assert r.shape == x.shape
    return np.asarray(r)


def _hex(v) -> str:
    v = float(v)
    return v.hex() if math.isfinite(v) else repr(v)


# --------------------------------------------------------------------------------------------
# the reference: exact value, its correct rounding and the ulp to measure errors in
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """The reference result for one input.

    ``kind`` is ``"nan"`` (domain error), ``"inf"`` (an exact infinity such as ``log(0)``,
    sign in ``sign``) or ``"num"``: then ``y`` is the mpmath value (120+ bits), ``q`` the
    exponent of the ulp of the correctly rounded result (``ulp = 2**q``) and ``over`` whether
    that result overflows to infinity.
    """

    kind: str
    y: object = None
    q: int = 0
    over: bool = False
    sign: int = 1


def _mp_exact(op: str, x: float):
    """The exact ``op(x)`` as an mpmath number (at least ``REF_PREC`` bits), ``nan`` or
    ``+-inf`` (exact infinities of the math function, not overflows)."""
    xm = mpf(x)
    if op == "exp":
        if x > 2000.0:
            return mpf(2) ** 4096  # overflows every format
        if x < -2000.0:
            return mpf(2) ** -4096  # below half the smallest subnormal of every format
        return mp.exp(xm)
    if op == "expm1":
        if x > 2000.0:
            return mpf(2) ** 4096
        if x < -400.0:  # -1 + e**x with e**x < 2**-577: -1 is exact far beyond any ulp
            return mpf(-1)
        return mp.expm1(xm)
    if op == "tanh":
        if abs(x) > 400.0:
            return mpf(math.copysign(1.0, x))
        return mp.tanh(xm)
    if op == "log":
        if x < 0:
            return math.nan
        if x == 0:
            return -math.inf
        return mp.log(xm)
    if op == "log1p":
        if x < -1:
            return math.nan
        if x == -1:
            return -math.inf
        return mp.log1p(xm)
    if op in ("sin", "cos"):
        # arguments up to 2**1024: reduce modulo pi/2 with the exponent's worth of extra bits
        extra = max(0, math.frexp(x)[1])
        with mp.workprec(REF_PREC + extra):
            y = mp.sin(xm) if op == "sin" else mp.cos(xm)
        return +y  # round back to REF_PREC bits (relative error 2**-120)
    raise AssertionError(op)


def _classify(y, fmt: Fmt) -> Ref:
    """Round the mpmath value ``y`` to ``fmt`` (nearest, ties to even) and return the ulp
    exponent of the rounded value."""
    if not isinstance(y, mpf):
        if math.isnan(y):
            return Ref("nan")
        return Ref("inf", sign=-1 if y < 0 else 1)
    sign, man, exp, bc = y._mpf_
    sign = -1 if sign else 1
    qmin = fmt.emin - fmt.p + 1  # exponent of the smallest subnormal
    if not man:
        return Ref("num", y=y, q=qmin, sign=sign)
    e = exp + bc - 1  # 2**e <= |y| < 2**(e+1)
    q = max(e, fmt.emin) - fmt.p + 1
    if exp < q:  # round man * 2**exp to a multiple of 2**q
        shift = q - exp
        n, rem, half = man >> shift, man & ((1 << shift) - 1), 1 << (shift - 1)
        if rem > half or (rem == half and n & 1):
            n += 1
        if n == 1 << fmt.p:  # rounded up into the next binade: its ulp is twice as large
            q += 1
    emax_q = fmt.emax - fmt.p + 1  # ulp exponent of the largest binade
    if q > emax_q:  # the correctly rounded result is infinity
        return Ref("num", y=y, q=emax_q, over=True, sign=sign)
    return Ref("num", y=y, q=q, sign=sign)


def ulp_error(got: float, ref: Ref, fmt: Fmt) -> float:
    """``|got - exact| / ulp(correctly rounded exact)``; ``inf`` for a wrong NaN, infinity or
    sign of zero.  An infinite ``got`` for a finite rounded result counts as ``2**(emax+1)``
    (the next value of the format if the exponent range were unbounded)."""
    if ref.kind == "nan":
        return 0.0 if math.isnan(got) else math.inf
    if math.isnan(got):
        return math.inf
    if ref.kind == "inf":
        return 0.0 if math.isinf(got) and (got > 0) == (ref.sign > 0) else math.inf
    if math.isinf(got):
        if ref.over:
            return 0.0 if (got > 0) == (ref.sign > 0) else math.inf
        got_m = mpf(2) ** (fmt.emax + 1) * (1 if got > 0 else -1)
    else:
        if got == 0 and ref.y != 0 and (math.copysign(1.0, got) < 0) != (ref.sign < 0):
            return math.inf  # a zero of the wrong sign
        got_m = mpf(got)
    with mp.workprec(REF_PREC):
        return float(abs(got_m - ref.y) * mpf(2) ** (-ref.q))


def test_ulp_error_measure_itself():
    """The yardstick: correctly rounded results measure <= 0.5 ulp, their neighbours one ulp
    more or less; subnormal ulps, overflow and wrong zeros/NaNs/infinities are handled."""
    f64, f32 = FMT["float64"], FMT["float32"]
    with mp.workprec(REF_PREC):
        third = mpf(1) / 3
        ref = _classify(third, f64)
        r = 1 / 3
        assert ref.q == -54 and not ref.over
        # float(1/3) is below 1/3 by e ulp (e = 1/3 exactly: ...5555 is truncated 0101...),
        # so its neighbours are 1 - e above and 2 + e below.
        e = ulp_error(r, ref, f64)
        assert e == pytest.approx(1 / 3, rel=1e-12)
        assert ulp_error(math.nextafter(r, 1), ref, f64) == pytest.approx(1 - e, rel=1e-12)
        assert ulp_error(math.nextafter(math.nextafter(r, 0), 0), ref, f64) == pytest.approx(
            2 + e, rel=1e-12
        )
        r32 = float(np.float32(1 / 3))
        assert ulp_error(r32, _classify(third, f32), f32) <= 0.5
        assert 0.5 < ulp_error(float(np.nextafter(np.float32(r32), 1)), _classify(third, f32), f32)
        # subnormal: the ulp is the smallest subnormal
        tiny = mpf(5) * mpf(2) ** -1076  # 1.25 * 2**-1074
        ref = _classify(tiny, f64)
        assert ref.q == -1074
        assert ulp_error(5e-324, ref, f64) == pytest.approx(0.25)
        assert ulp_error(0.0, ref, f64) == pytest.approx(1.25)
        assert ulp_error(-0.0, ref, f64) == math.inf  # a zero of the wrong sign
        # rounding up into the next binade takes the ulp of the rounded value
        ref = _classify(1 - mpf(2) ** -60, f64)
        assert ref.q == -52
        # overflow: beyond max + ulp/2 the correctly rounded result is infinity
        big = mpf(2) ** 1024 - mpf(2) ** 970
        assert _classify(big, f64).over and not _classify(big - mpf(2) ** 960, f64).over
        assert ulp_error(math.inf, _classify(big, f64), f64) == 0
        assert ulp_error(-math.inf, _classify(big, f64), f64) == math.inf
        assert ulp_error(math.inf, _classify(mpf(2) ** 1023, f64), f64) > 1e15
        assert ulp_error(float(np.finfo(np.float32).max), _classify(big, f32), f32) > 1e20
        # NaN and exact infinities
        assert ulp_error(math.nan, _classify(math.nan, f64), f64) == 0
        assert ulp_error(0.0, _classify(math.nan, f64), f64) == math.inf
        assert ulp_error(math.nan, _classify(third, f64), f64) == math.inf
        assert ulp_error(-math.inf, _classify(-math.inf, f64), f64) == 0
        assert ulp_error(-1e308, _classify(-math.inf, f64), f64) == math.inf


# --------------------------------------------------------------------------------------------
# samples
# --------------------------------------------------------------------------------------------


def _around(values, dtype: str, k: int = 8) -> np.ndarray:
    """The floats of ``dtype`` nearest to ``values`` and their ``k`` neighbours each side."""
    v = np.asarray(values, dtype=np.float64).astype(dtype)
    bits = v.view(UINT[dtype]).astype(np.int64)
    steps = np.arange(-k, k + 1, dtype=np.int64)
    nb = (bits[:, None] + steps[None, :]).ravel()
    nb = nb[(nb >= 0) & (nb < 2 ** (8 * v.itemsize))].astype(UINT[dtype])
    out = nb.view(dtype)
    return out[np.isfinite(out)]


def _loguniform(rng, lo: float, hi: float, n: int, signed: bool = False) -> np.ndarray:
    """``n`` magnitudes with log10 uniform in ``[lo, hi]`` (random signs if ``signed``)."""
    v = 10.0 ** rng.uniform(lo, hi, n)
    if signed:
        v *= rng.choice([-1.0, 1.0], n)
    return v


def _random_bits(rng, dtype: str, n: int) -> np.ndarray:
    """``n`` finite floats of ``dtype`` from uniformly random bit patterns."""
    info = np.iinfo(UINT[dtype])
    bits = rng.integers(0, int(info.max), size=2 * n, dtype=UINT[dtype], endpoint=True)
    v = bits.view(dtype)
    return v[np.isfinite(v)][:n]


def _edges(dtype: str) -> np.ndarray:
    fi = np.finfo(dtype)
    tiny_sub = float(fi.smallest_subnormal)
    vals = [
        0.0,
        -0.0,
        tiny_sub,
        2 * tiny_sub,
        float(fi.smallest_normal) - tiny_sub,  # largest subnormal
        float(fi.smallest_normal),
        float(np.nextafter(fi.smallest_normal, np.inf, dtype=dtype)),
        float(fi.max),
        float(np.nextafter(fi.max, 0, dtype=dtype)),
        float(fi.eps),
        float(fi.epsneg),
        0.5,
        1.0,
        2.0,
        math.pi,
        math.pi / 2,
        math.pi / 4,
        math.e,
        10.0,
    ]
    vals += [-v for v in vals]
    return np.array(vals, dtype=dtype)


def _ln(v: float) -> float:
    with mp.workprec(REF_PREC):
        return float(mp.log(mpf(v)))


def _atanh(v: float) -> float:
    with mp.workprec(REF_PREC):
        return float(mp.atanh(mpf(v)))


def make_samples(op: str, dtype: str) -> np.ndarray:
    """The inputs for one case: a 1-d array of ``dtype`` (fixed seed, a few thousand values)."""
    rng = np.random.default_rng(20240611 + 31 * OPS.index(op) + (dtype == "float64"))
    fi = np.finfo(dtype)
    is64 = dtype == "float64"
    big = 30.0 if is64 else 38.5  # 1e30 / 3.2e38
    ln_max = _ln(float(fi.max))  # overflow threshold of exp / expm1
    ln_min_normal = _ln(float(fi.smallest_normal))  # below: exp is subnormal
    ln_half_sub = _ln(float(fi.smallest_subnormal)) - math.log(2)  # below: exp rounds to 0
    parts: list[np.ndarray] = []
    if op in ("exp", "expm1"):
        lim = 20.0 if op == "exp" else 40.0
        parts += [
            rng.uniform(-lim, lim, 3000),
            rng.uniform(-1.0, 1.0, 300),
            _loguniform(rng, -30 if is64 else -20, -1, 300, signed=True),  # tiny |x| ~ 1e-10
            rng.uniform(ln_max - 2, ln_max + 1, 200),
            _around([ln_max], dtype, 16),
        ]
        if op == "exp":
            parts += [
                rng.uniform(ln_half_sub - 2, ln_min_normal + 2, 400),  # gradual underflow
                _around([ln_half_sub, ln_min_normal], dtype, 16),
            ]
        else:
            parts += [rng.uniform(-120.0 if is64 else -40.0, -lim, 200)]  # saturation at -1
    elif op == "log":
        parts += [
            _loguniform(rng, -30, 6, 2500),  # (0, 1e6]
            rng.uniform(0.5, 2.0, 600),  # the result is small near 1
            _around([1.0], dtype, 40),
            rng.uniform(1e-300 if is64 else 1e-38, 1e6, 300),
            rng.uniform(-10.0, 0.0, 30),  # NaN
        ]
    elif op == "log1p":
        near = 15 if is64 else 7
        parts += [
            rng.uniform(-1.0, 1.0, 2000),
            _loguniform(rng, -30, 0, 600, signed=True),  # tiny |x|
            -1.0 + _loguniform(rng, -near, -1, 300),  # near -1
            _around([-1.0], dtype, 16),
            _loguniform(rng, 0, 6, 600),  # up to 1e6
            rng.uniform(-10.0, -1.0, 30),  # NaN
        ]
    elif op in ("sin", "cos"):
        k = np.concatenate([np.arange(1, 65), rng.integers(65, 2**20, 64)])
        with mp.workprec(200):  # multiples of pi/2: the hard cases of the argument reduction
            half_pis = [float(n * mp.pi / 2) for n in k.tolist()]
        parts += [
            rng.uniform(-100.0, 100.0, 3000),
            rng.uniform(-4.0, 4.0, 300),
            _loguniform(rng, -30 if is64 else -20, 0, 200, signed=True),
            _loguniform(rng, 2, 6, 300, signed=True),  # up to 1e6
            _loguniform(rng, 6, big, 300, signed=True),  # large-argument reduction
            rng.uniform(2.0**19, 2.0**21, 100) * rng.choice([-1.0, 1.0], 100),
            _around(half_pis, dtype, 1),
            _around([2.0**20], dtype, 4),
        ]
        if is64:
            # the hardest double for reduction modulo pi/2 (K. C. Ng, "Argument reduction for
            # huge arguments: good to the last bit", 1992)
            parts.append(_around([6381956970095103 * 2.0**797], dtype, 2))
    elif op == "tanh":
        sat = _atanh(1 - float(fi.epsneg) / 2)  # tanh rounds to 1 beyond this
        parts += [
            rng.uniform(-25.0, 25.0, 3000),
            rng.uniform(-1.0, 1.0, 600),
            _loguniform(rng, -30 if is64 else -20, 0, 300, signed=True),
            _around([sat, -sat, 0.55, -0.55, 0.625, -0.625], dtype, 8),
        ]
    else:
        raise AssertionError(op)
    parts += [_random_bits(rng, dtype, 1500), _edges(dtype)]
    with np.errstate(over="ignore"):
        x = np.concatenate([np.asarray(p, dtype=np.float64).astype(dtype) for p in parts])
    assert np.all(np.isfinite(x))
    return x


@functools.cache
def reference(op: str, dtype: str) -> tuple[np.ndarray, tuple[Ref, ...]]:
    """The samples of one case and their references (computed once per session)."""
    x = make_samples(op, dtype)
    fmt = FMT[dtype]
    with mp.workprec(REF_PREC):
        refs = tuple(_classify(_mp_exact(op, v), fmt) for v in x.tolist())
    return x, refs


@dataclass
class Measured:
    worst: float
    errors: np.ndarray
    report: str


def measure(x: np.ndarray, got: np.ndarray, refs, fmt: Fmt) -> Measured:
    assert got.shape == x.shape
    errs = np.array([ulp_error(g, r, fmt) for g, r in zip(got.tolist(), refs, strict=True)])
    order = np.argsort(-errs, kind="stable")[:8]
    lines = []
    for i in order.tolist():
        ref = refs[i]
        exact = {"nan": "nan", "inf": f"{'-' if ref.sign < 0 else ''}inf"}.get(ref.kind)
        if exact is None:
            exact = mpmath.nstr(ref.y, 25) + (" (overflows)" if ref.over else "")
        lines.append(
            f"  x={x[i]!r} ({_hex(x[i])}): got {got[i]!r} ({_hex(got[i])}), "
            f"exact {exact}: {errs[i]:.3f} ulp"
        )
    return Measured(float(errs.max()), errs, "\n".join(lines))


# --------------------------------------------------------------------------------------------
# accuracy: contiguous and strided, against the correctly rounded result
# --------------------------------------------------------------------------------------------


@accuracy_cases
def test_ulp_contiguous(op, dtype, record_property):
    x, refs = reference(op, dtype)
    fmt = FMT[dtype]
    got = rp_eval(op, rp.asarray(x))
    m = measure(x, got, refs, fmt)
    npm = measure(x, np_call(getattr(np, op), x), refs, fmt)
    summary = (
        f"{op} {dtype}: raptors max {m.worst:.3f} ulp, numpy max {npm.worst:.3f} ulp "
        f"({x.size} samples)"
    )
    print(summary)
    record_property("max_ulp", m.worst)
    record_property("numpy_max_ulp", npm.worst)
    assert m.worst <= MAX_ULP, f"{summary}; bound {MAX_ULP}; worst inputs:\n{m.report}"


@accuracy_cases
def test_ulp_strided(op, dtype, record_property):
    x, refs = reference(op, dtype)
    fmt = FMT[dtype]
    idx = np.arange(x.size)[::-2]
    xs = rp.asarray(x)[::-2]
    assert xs.shape == idx.shape
    got = rp_eval(op, xs)
    m = measure(x[idx], got, [refs[i] for i in idx.tolist()], fmt)
    summary = f"{op} {dtype} x[::-2]: raptors max {m.worst:.3f} ulp ({idx.size} samples)"
    print(summary)
    record_property("max_ulp", m.worst)
    assert m.worst <= MAX_ULP, f"{summary}; bound {MAX_ULP}; worst inputs:\n{m.report}"


# --------------------------------------------------------------------------------------------
# special values: exact, as C99 Annex F specifies them (and as NumPy computes them)
# --------------------------------------------------------------------------------------------

INF, NAN = math.inf, math.nan

#: (input, exact result) pairs; a result of NaN means "any NaN"
SPECIALS = {
    "exp": [(0.0, 1.0), (-0.0, 1.0), (INF, INF), (-INF, 0.0), (NAN, NAN), ("max", INF),
            ("-max", 0.0)],
    "log": [(0.0, -INF), (-0.0, -INF), (INF, INF), (-INF, NAN), (NAN, NAN), (1.0, 0.0),
            (-1.0, NAN), ("-tiny", NAN), ("-max", NAN)],
    "sin": [(0.0, 0.0), (-0.0, -0.0), (INF, NAN), (-INF, NAN), (NAN, NAN), ("tiny", "tiny"),
            ("-tiny", "-tiny")],
    "cos": [(0.0, 1.0), (-0.0, 1.0), (INF, NAN), (-INF, NAN), (NAN, NAN), ("tiny", 1.0),
            ("-tiny", 1.0)],
    "tanh": [(0.0, 0.0), (-0.0, -0.0), (INF, 1.0), (-INF, -1.0), (NAN, NAN), ("max", 1.0),
             ("-max", -1.0), (30.0, 1.0), (-30.0, -1.0), ("tiny", "tiny"), ("-tiny", "-tiny")],
    "expm1": [(0.0, 0.0), (-0.0, -0.0), (INF, INF), (-INF, -1.0), (NAN, NAN), ("max", INF),
              ("-max", -1.0), (-120.0, -1.0), ("tiny", "tiny"), ("-tiny", "-tiny")],
    "log1p": [(0.0, 0.0), (-0.0, -0.0), (INF, INF), (-INF, NAN), (NAN, NAN), (-1.0, -INF),
              (-2.0, NAN), ("-max", NAN), ("tiny", "tiny"), ("-tiny", "-tiny")],
}  # fmt: skip


def _special_value(v, dtype: str) -> float:
    fi = np.finfo(dtype)
    named = {"max": float(fi.max), "tiny": float(fi.smallest_subnormal)}
    if isinstance(v, str):
        return -named[v[1:]] if v.startswith("-") else named[v]
    return v


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise: equal as floats including the sign of zero, or both NaN."""
    return (np.isnan(a) & np.isnan(b)) | ((a == b) & (np.signbit(a) == np.signbit(b)))


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("op", OPS)
def test_special_values(op, dtype):
    pairs = SPECIALS[op]
    if dtype == "float16" and op == "tanh":
        pairs = [p for p in pairs if p[0] not in (30.0, -30.0)] + [(12.0, 1.0), (-12.0, -1.0)]
    x = np.array([_special_value(a, dtype) for a, _ in pairs], dtype=dtype)
    want = np.array([_special_value(b, dtype) for _, b in pairs], dtype=dtype)
    numpy = np_call(getattr(np, op), x)
    # NumPy follows C99 too: a disagreement here is a mistake in the table above
    assert _same(numpy, want).all(), f"table vs numpy: x={x}, want={want}, numpy={numpy}"
    for name in ("contiguous", "strided"):
        if name == "strided":  # x[::-2] of [x0, x0, x1, x1, ...] is x reversed
            got = rp_eval(op, rp.asarray(np.repeat(x, 2))[::-2])[::-1]
        else:
            got = rp_eval(op, rp.asarray(x))
        bad = [
            f"  {op}({x[i]!r}) = {got[i]!r}, expected {want[i]!r}"
            for i in np.flatnonzero(~_same(got, want)).tolist()
        ]
        assert not bad, f"{op} {dtype} ({name}) special values:\n" + "\n".join(bad)


# --------------------------------------------------------------------------------------------
# float16: every value, against NumPy (both compute in float32 and round once)
# --------------------------------------------------------------------------------------------


def _ordered16(v: np.ndarray) -> np.ndarray:
    """float16 bit patterns mapped to integers so that adjacent floats differ by one."""
    b = v.view(np.uint16).astype(np.int32)
    return np.where(b & 0x8000, -(b & 0x7FFF), b)


@pytest.mark.parametrize("strided", [False, True], ids=["contiguous", "strided"])
@pytest.mark.parametrize("op", OPS)
def test_float16_all_values(op, strided):
    x = np.arange(2**16, dtype=np.uint32).astype(np.uint16).view(np.float16)
    if strided:
        got = rp_eval(op, rp.asarray(np.repeat(x, 2))[::-2])[::-1]
    else:
        got = rp_eval(op, rp.asarray(x))
    want = np_call(getattr(np, op), x)
    assert got.dtype == np.float16
    nan_ok = np.isnan(got) == np.isnan(want)
    num = ~np.isnan(want) & ~np.isnan(got)
    dist = np.zeros(x.size, dtype=np.int64)
    dist[num] = np.abs(_ordered16(got[num]) - _ordered16(want[num]))
    sign_ok = ~num | (np.signbit(got) == np.signbit(want))
    bad = np.flatnonzero(~nan_ok | (dist > 1) | ~sign_ok)
    worst = int(dist.max())
    print(f"{op} float16 ({'strided' if strided else 'contiguous'}): max {worst} ulp vs numpy")
    lines = [
        f"  x={x[i]!r} ({x[i : i + 1].view(np.uint16)[0]:#06x}): got {got[i]!r}, "
        f"numpy {want[i]!r} ({dist[i]} ulp)"
        for i in bad[:12].tolist()
    ]
    assert bad.size == 0, (
        f"{op} float16: {bad.size} value(s) differ from numpy by more than 1 ulp "
        f"(or in NaN / sign):\n" + "\n".join(lines)
    )
