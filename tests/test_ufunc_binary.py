"""Binary elementwise functions compared with NumPy 2: result dtypes (the promotion table),
values, NEP 50 weak Python scalars, broadcasting, special values, views and large arrays.

This module also holds the comparison helpers that the other ufunc test files import
(``assert_ulp``, ``check_like``, ...).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import raptors as rp
from conftest import (
    ALL_DTYPES,
    FLOAT_DTYPES,
    INT_DTYPES,
    SIGNED_DTYPES,
    assert_same,
    dtype_names,
    from_np,
    np_arrays,
    prod,
    raises_like,
    sample,
    to_np,
    view_pairs,
)
from hypothesis import given, settings
from hypothesis import strategies as st

# --------------------------------------------------------------------------------------------
# helpers shared with test_ufunc_unary.py, test_operators.py and test_ufunc_misc.py
# --------------------------------------------------------------------------------------------


def exc_kind(exc: BaseException) -> type:
    """The built-in exception class behind ``exc``: NumPy's ``UFuncTypeError`` family and
    ``DTypePromotionError`` are ``TypeError``s, which is what Raptors raises."""
    return next(c for c in type(exc).__mro__ if c.__module__ == "builtins")


def np_call(fn, *args, **kwargs):
    """Call ``fn`` with NumPy's floating-point and cast warnings silenced (Raptors need not
    warn about division by zero, overflow or invalid operations)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def rp_arg(x):
    """A NumPy array becomes a Raptors array; anything else (scalars, lists) is passed as is."""
    return from_np(x) if isinstance(x, np.ndarray) else x


def _ordered(x: np.ndarray) -> list[int]:
    """Float bit patterns mapped to integers so that adjacent floats differ by one."""
    bits = x.view({2: np.int16, 4: np.int32, 8: np.int64}[x.dtype.itemsize]).ravel()
    mask = (1 << (8 * x.dtype.itemsize - 1)) - 1
    return [-(i & mask) if i < 0 else i for i in bits.tolist()]


def default_ulp(dtype_name: str) -> int:
    """The tolerance for transcendental functions: 1 ULP in float16, 4 in float32/float64."""
    return 1 if dtype_name == "float16" else 4


def assert_ulp(actual, expected, maxulp: int | None = None) -> None:
    """Shape and dtype equal; values within ``maxulp`` units in the last place.

    NaN must be NaN, infinities must be the same infinity, and where ``expected`` is a zero
    ``actual`` must be the same signed zero.  Non-float results are compared exactly.
    """
    expected = np.asarray(expected)
    if expected.dtype.kind != "f":
        assert_same(actual, expected)
        return
    if isinstance(actual, rp.ndarray):
        assert actual.shape == expected.shape, f"shape {actual.shape} != numpy {expected.shape}"
        assert actual.dtype.name == expected.dtype.name, (
            f"dtype {actual.dtype.name} != numpy {expected.dtype.name}"
        )
        actual = to_np(actual)
    actual = np.asarray(actual)
    assert actual.shape == expected.shape
    assert actual.dtype == expected.dtype
    if maxulp is None:
        maxulp = default_ulp(expected.dtype.name)
    a, e = actual.ravel(), expected.ravel()
    exact = (np.isnan(e) & np.isnan(a)) | (
        (a == e) & (np.signbit(a) == np.signbit(e)) & ~np.isnan(e)
    )
    bad = []
    idx = np.flatnonzero(~exact)
    if idx.size:
        oa, oe = _ordered(a[idx]), _ordered(e[idx])
        for k, i in enumerate(idx.tolist()):
            ai, ei = a[i], e[i]
            special = np.isnan(ei) or np.isnan(ai) or np.isinf(ei) or np.isinf(ai) or ei == 0
            dist = abs(oa[k] - oe[k])
            if special or dist > maxulp:
                where = np.unravel_index(i, expected.shape) if expected.ndim else ()
                bad.append(f"  at {where}: got {ai!r}, numpy {ei!r} ({dist} ulp)")
    assert not bad, f"{len(bad)} value(s) beyond {maxulp} ulp:\n" + "\n".join(bad[:12])


def assert_same_any_zero_sign(r, n) -> None:
    """Like ``assert_same`` but +0.0 and -0.0 count as equal.

    Used for maximum/minimum/fmax/fmin/clip, whose sign of a zero result when both
    candidates are zeros differs between NumPy's own code paths (contiguous, strided and
    scalar loops disagree), so it is not part of the contract.
    """
    n = np.asarray(n)
    assert isinstance(r, rp.ndarray), f"expected a raptors.ndarray, got {type(r)!r}"
    assert r.shape == n.shape, f"shape {r.shape} != numpy {n.shape}"
    assert r.dtype.name == n.dtype.name, f"dtype {r.dtype.name} != numpy {n.dtype.name}"
    np.testing.assert_array_equal(to_np(r), n, strict=True)


def assert_raises_kind(rp_fn, np_exc: BaseException):
    """``rp_fn()`` raises the built-in exception type behind NumPy's ``np_exc``."""
    kind = exc_kind(np_exc)
    try:
        result = rp_fn()
    except Exception as rp_exc:
        assert isinstance(rp_exc, kind), (
            f"raptors raised {type(rp_exc).__name__}({rp_exc}); "
            f"numpy raised {type(np_exc).__name__}({np_exc})"
        )
        return rp_exc
    pytest.fail(f"raptors returned {result!r}; numpy raised {type(np_exc).__name__}({np_exc})")


def check_like(rp_fn, np_fn, compare=assert_same):
    """Run the NumPy oracle; Raptors must raise the same kind of error or give a Raptors array
    that ``compare`` accepts.  Returns the Raptors result (or exception)."""
    try:
        expected = np_call(np_fn)
    except Exception as np_exc:
        return assert_raises_kind(rp_fn, np_exc)
    result = rp_fn()
    assert isinstance(result, rp.ndarray), f"expected a raptors.ndarray, got {type(result)!r}"
    compare(result, expected)
    return result


def collect_mismatch(label: str, rp_fn, np_fn, compare=assert_same) -> list[str]:
    """``check_like`` that reports a failure as a line instead of raising (for table tests)."""
    try:
        check_like(rp_fn, np_fn, compare)
    except (AssertionError, pytest.fail.Exception) as exc:
        lines = str(exc).splitlines()
        return [f"{label}: " + "\n    ".join(lines[:4])]
    except Exception as exc:
        return [f"{label}: raptors raised {type(exc).__name__}({exc})"]
    return []


def assert_all(cases) -> None:
    """Run ``(label, rp_fn, np_fn, compare)`` cases; fail once, listing every mismatch."""
    failures = []
    for label, rp_fn, np_fn, compare in cases:
        failures += collect_mismatch(label, rp_fn, np_fn, compare)
    assert not failures, f"{len(failures)} mismatch(es):\n" + "\n".join(failures)


# --------------------------------------------------------------------------------------------
# the functions
# --------------------------------------------------------------------------------------------

ARITHMETIC = ["add", "subtract", "multiply", "divide", "floor_divide", "remainder", "power"]
MINMAX = ["maximum", "minimum", "fmax", "fmin"]
FLOAT_FUNCS = ["arctan2", "hypot", "copysign", "logaddexp"]
COMPARISONS = ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal"]
LOGICAL = ["logical_and", "logical_or", "logical_xor"]
BITWISE = ["bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift"]
BINARY = ARITHMETIC + MINMAX + FLOAT_FUNCS + COMPARISONS + LOGICAL + BITWISE

#: alias -> the function it names (NumPy has the same aliases)
BINARY_ALIASES = {
    "true_divide": "divide",
    "mod": "remainder",
    "pow": "power",
    "atan2": "arctan2",
    "bitwise_left_shift": "left_shift",
    "bitwise_right_shift": "right_shift",
}

#: results compared within a few ULP (libm-quality functions); everything else is exact
ULP_FUNCS = {"power", "pow", "arctan2", "atan2", "hypot", "logaddexp"}
ANY_ZERO_SIGN = set(MINMAX)


def comparator(name: str):
    if name in ULP_FUNCS:
        return assert_ulp
    if name in ANY_ZERO_SIGN:
        return assert_same_any_zero_sign
    return assert_same


def binary_case(name: str, a, b, label: str | None = None):
    """A case for ``assert_all``: ``rp.<name>(a, b)`` against ``np.<name>(a, b)``."""
    return (
        label or name,
        lambda: getattr(rp, name)(rp_arg(a), rp_arg(b)),
        lambda: getattr(np, name)(a, b),
        comparator(name),
    )


def check_binary(name: str, a, b, **kwargs):
    """``rp.<name>(a, b)`` against ``np.<name>(a, b)`` (NumPy arrays become Raptors arrays)."""
    return check_like(
        lambda: getattr(rp, name)(rp_arg(a), rp_arg(b), **kwargs),
        lambda: getattr(np, name)(a, b, **kwargs),
        comparator(name),
    )


# --------------------------------------------------------------------------------------------
# operands
# --------------------------------------------------------------------------------------------

SHAPE = (3, 4, 5)


def second_operand(dtype: str, shape=SHAPE) -> np.ndarray:
    """Values of ``dtype`` for the right-hand side: the first half equals ``sample`` (so
    comparisons find equal pairs), the second half is shifted (and holds a zero)."""
    flat = sample(dtype, (prod(shape),)).copy()
    half = flat.size // 2
    flat[half:] = np.roll(flat[half:], 3)
    return flat.reshape(shape)


def exponents(dtype: str, shape=SHAPE) -> np.ndarray:
    """Exponents for ``power``: 0..5 for integers (negative integer powers raise), halves in
    -2..2 for floats."""
    k = np.arange(prod(shape))
    if dtype in FLOAT_DTYPES:
        return ((k % 9 - 4) / 2).astype(dtype).reshape(shape)
    return (k % 6).astype(dtype).reshape(shape)


def shift_counts(dtype: str, shape=SHAPE) -> np.ndarray:
    """Shift counts including ones >= the bit width (and negative ones for signed types)."""
    k = np.arange(prod(shape)) % 12
    if dtype in SIGNED_DTYPES:
        k = k - 2
    if dtype == "bool":
        k = k % 2
    return np_call(lambda: k.astype(dtype).reshape(shape))


def binary_operands(name: str, da: str, db: str, shape=SHAPE):
    a = sample(da, shape)
    if name in ("power", "pow"):
        return a, exponents(db, shape)
    if name in ("left_shift", "right_shift", "bitwise_left_shift", "bitwise_right_shift"):
        return a, shift_counts(db, shape)
    return a, second_operand(db, shape)


SAME_PAIRS = [(d, d) for d in ALL_DTYPES]
MIXED_PAIRS = [
    ("bool", "int8"),
    ("bool", "uint64"),
    ("bool", "float16"),
    ("float64", "bool"),
    ("int8", "uint8"),
    ("uint8", "int8"),
    ("int8", "int64"),
    ("uint8", "int16"),
    ("int16", "uint32"),
    ("uint32", "int32"),
    ("int64", "uint64"),
    ("uint64", "int8"),
    ("uint16", "uint64"),
    ("int8", "float16"),
    ("uint8", "float16"),
    ("int16", "float16"),
    ("float16", "uint16"),
    ("int32", "float32"),
    ("int64", "float32"),
    ("uint64", "float64"),
    ("float16", "float32"),
    ("float32", "float64"),
    ("float64", "float16"),
]
PAIRS = SAME_PAIRS + MIXED_PAIRS
ALL_PAIRS = [(a, b) for a in ALL_DTYPES for b in ALL_DTYPES]


def pair_id(pair):
    return f"{pair[0]}-{pair[1]}"


# --------------------------------------------------------------------------------------------
# the promotion table and values, dtype pair by dtype pair
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BINARY)
def test_binary_dtype_pairs(name):
    """Result dtype and values for every same-dtype pair and a set of mixed pairs."""
    assert_all(
        binary_case(name, *binary_operands(name, *pair), label=f"{name}{pair}") for pair in PAIRS
    )


@pytest.mark.parametrize("first", ALL_DTYPES)
@pytest.mark.parametrize("name", ["add", "equal"])
def test_full_promotion_table(name, first):
    """All 12 x 12 dtype pairs."""
    assert_all(
        binary_case(name, *binary_operands(name, first, second), label=f"{name}({first}, {second})")
        for second in ALL_DTYPES
    )


@pytest.mark.parametrize("alias", sorted(BINARY_ALIASES))
def test_binary_aliases(alias):
    pairs = [*SAME_PAIRS, ("int8", "uint8"), ("int16", "float16")]
    target = BINARY_ALIASES[alias]
    assert_all(
        binary_case(alias, *binary_operands(target, *pair), label=f"{alias}{pair}")
        for pair in pairs
    )
    # and the alias computes exactly what the function it names computes
    dtype = "int32" if target in BITWISE else "float32"
    a, b = binary_operands(target, dtype, dtype)
    expected = getattr(rp, target)(from_np(a), from_np(b))
    assert_same(getattr(rp, alias)(from_np(a), from_np(b)), to_np(expected))


def test_promotion_examples():
    """A few rows of the table spelled out (the table tests above compare with NumPy)."""
    cases = [
        ("add", "int8", "uint8", "int16"),
        ("add", "int64", "uint64", "float64"),
        ("add", "bool", "bool", "bool"),
        ("multiply", "bool", "bool", "bool"),
        ("add", "uint32", "int32", "int64"),
        ("add", "int16", "float16", "float32"),
        ("add", "uint8", "float16", "float16"),
        ("add", "int32", "float32", "float64"),
        ("divide", "int8", "int8", "float64"),
        ("divide", "bool", "bool", "float64"),
        ("divide", "float16", "float16", "float16"),
        ("floor_divide", "bool", "bool", "int8"),
        ("power", "bool", "bool", "int8"),
        ("arctan2", "int8", "int8", "float16"),
        ("arctan2", "int16", "int16", "float32"),
        ("arctan2", "int32", "uint8", "float64"),
        ("hypot", "uint64", "uint64", "float64"),
        ("copysign", "int8", "bool", "float16"),
        ("less", "float16", "int64", "bool"),
        ("logical_and", "float32", "int8", "bool"),
        ("bitwise_and", "bool", "bool", "bool"),
        ("bitwise_or", "bool", "int8", "int8"),
        ("left_shift", "bool", "bool", "int8"),
        ("maximum", "int64", "uint64", "float64"),
    ]
    for name, da, db, result in cases:
        r = getattr(rp, name)(from_np(sample(da, (4,))), from_np(second_operand(db, (4,))))
        assert r.dtype.name == result, f"{name}({da}, {db}) -> {r.dtype.name}, expected {result}"


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_float_arithmetic_is_exact(dtype):
    """+, -, *, / are correctly rounded in every float dtype (float16 via float32)."""
    rng = np.random.default_rng(12345)
    if dtype == "float16":
        a = rng.integers(0, 0x7C00, 3000, dtype=np.uint16).view(np.float16)
        b = rng.integers(0, 0x7C00, 3000, dtype=np.uint16).view(np.float16)
        sign = rng.integers(0, 2, 3000).astype(bool)
        a = np.where(sign, -a, a)
    else:
        a = (rng.standard_normal(3000) * 10.0 ** rng.integers(-30, 30, 3000)).astype(dtype)
        b = (rng.standard_normal(3000) * 10.0 ** rng.integers(-30, 30, 3000)).astype(dtype)
    assert_all(binary_case(name, a, b) for name in ["add", "subtract", "multiply", "divide"])


def test_float16_arithmetic_rounds_once():
    """float16 results are the float32 result rounded to float16, not float16 steps."""
    a = np.array([1.0, 2049.0 / 2048, 0.1, 65504.0, 6.1e-05, 3.0], dtype=np.float16)
    b = np.array([2.0**-11 + 2.0**-20, 1.0, 0.2, 16.0, 3.0, 7.0], dtype=np.float16)
    for name in ["add", "subtract", "multiply", "divide", "hypot", "power", "arctan2"]:
        check_binary(name, a, b)


# --------------------------------------------------------------------------------------------
# NEP 50: Python scalars are weak
# --------------------------------------------------------------------------------------------

WEAK_SCALARS = [
    True,
    False,
    0,
    1,
    -1,
    127,
    128,
    255,
    256,
    -129,
    300,
    2**31,
    2**63 - 1,
    2**63,
    -(2**63),
    2**64 - 1,
    1.5,
    -0.0,
    1e300,
    math.inf,
    -math.inf,
    math.nan,
]
WEAK_FUNCS = [
    "add",
    "subtract",
    "multiply",
    "divide",
    "floor_divide",
    "remainder",
    "power",
    "maximum",
    "fmin",
    "arctan2",
    "copysign",
    "equal",
    "less",
    "greater_equal",
    "logical_or",
    "bitwise_or",
    "left_shift",
]


@pytest.mark.parametrize("name", WEAK_FUNCS)
def test_weak_python_scalars(name):
    """Every dtype with every kind of Python scalar, on either side."""
    failures = []
    for dtype in ALL_DTYPES:
        failures += _weak_scalar_mismatches(name, dtype)
    assert not failures, f"{len(failures)} mismatch(es):\n" + "\n".join(failures)


def _weak_scalar_mismatches(name: str, dtype: str) -> list[str]:
    a = sample(dtype, (7,))
    ra = from_np(a)
    fn, np_fn = getattr(rp, name), getattr(np, name)
    failures = []
    for s in WEAK_SCALARS:
        if isinstance(s, int) and s >= 2**63 and (name.startswith("logical") or dtype == "bool"):
            # NUMPY_C_LONG_LIMIT: with bool arrays (which promote Python ints to int64) and in
            # the logical functions NumPy fails to convert such ints to a C long and raises
            # OverflowError even where a result is well defined: not part of the contract
            continue
        failures += collect_mismatch(
            f"{name}({dtype} array, {s!r})",
            lambda s=s: fn(ra, s),
            lambda s=s: np_fn(a, s),
            comparator(name),
        )
        failures += collect_mismatch(
            f"{name}({s!r}, {dtype} array)",
            lambda s=s: fn(s, ra),
            lambda s=s: np_fn(s, a),
            comparator(name),
        )
    return failures


def test_weak_scalar_examples():
    i8 = from_np(np.array([1, 2, -3], dtype=np.int8))
    assert_same(rp.add(i8, 1), np.array([2, 3, -2], dtype=np.int8))
    assert_same(rp.add(1, i8), np.array([2, 3, -2], dtype=np.int8))
    assert_same(rp.add(i8, 1.5), np.array([2.5, 3.5, -1.5]))
    f32 = from_np(np.array([1.5, 2.0], dtype=np.float32))
    assert_same(rp.add(f32, 1.0), np.array([2.5, 3.0], dtype=np.float32))
    assert_same(rp.multiply(f32, 2), np.array([3.0, 4.0], dtype=np.float32))
    b = from_np(np.array([True, False]))
    assert_same(rp.add(b, 1), np.array([2, 1]))
    assert_same(rp.add(b, True), np.array([True, True]))
    assert_same(rp.add(b, 1.0), np.array([2.0, 1.0]))
    f16 = from_np(np.array([1.0, 2.0], dtype=np.float16))
    assert_same(rp.add(f16, 1e300), np.array([np.inf, np.inf], dtype=np.float16))
    u8 = from_np(np.array([200, 100], dtype=np.uint8))
    assert_same(rp.add(u8, 100), np.array([44, 200], dtype=np.uint8))
    assert_same(rp.equal(u8, 300), np.array([False, False]))
    assert_same(rp.less(u8, -1), np.array([False, False]))


@pytest.mark.parametrize("dtype", ["bool", *INT_DTYPES])
def test_python_ints_beyond_64_bits_raise_overflow(dtype):
    """Integers that fit neither int64 nor uint64 raise OverflowError with integer arrays
    (as in NumPy; with float arrays NumPy would convert them, Raptors refuses: see
    docs/design.md, departures)."""
    a = from_np(sample(dtype, (3,)))
    for big in [2**64, -(2**63) - 1, 10**30]:
        for name in ["add", "multiply", "maximum", "bitwise_and"]:
            with pytest.raises(OverflowError):
                getattr(rp, name)(a, big)
            with pytest.raises(OverflowError):
                getattr(rp, name)(big, a)


def test_weak_scalar_out_of_bounds_message():
    i8 = np.array([1, 2], dtype=np.int8)
    raises_like(lambda: rp.add(from_np(i8), 300), lambda: np.add(i8, 300))
    u8 = np.array([1, 2], dtype=np.uint8)
    raises_like(lambda: rp.subtract(-1, from_np(u8)), lambda: np.subtract(-1, u8))
    raises_like(lambda: rp.multiply(from_np(u8), 256), lambda: np.multiply(u8, 256))


TWO_SCALARS = [
    (1, 2),
    (1, 2.5),
    (2.5, 1),
    (True, True),
    (True, 2),
    (False, 1.5),
    (7, -2),
    (-7.5, 2),
    (0, 0),
    (1.0, 0.0),
    (2, -1),
]


@pytest.mark.parametrize(
    "name", ["add", "subtract", "floor_divide", "divide", "power", "maximum", "less", "arctan2"]
)
def test_two_python_scalars_give_0d_arrays(name):
    assert_all(binary_case(name, a, b, label=f"{name}({a!r}, {b!r})") for a, b in TWO_SCALARS)
    r = getattr(rp, name)(3, 2)
    assert isinstance(r, rp.ndarray)
    assert r.shape == ()


def test_0d_arrays_are_not_weak():
    i8 = np.array([1, 2, 3], dtype=np.int8)
    for other in [np.array(1), np.array(2.0), np.array(True), np.array(3, dtype=np.uint8)]:
        for name in ["add", "multiply", "maximum", "less", "true_divide"]:
            check_binary(name, i8, other)
            check_binary(name, other, i8)
    f32 = np.array([1.5], dtype=np.float32)
    check_binary("add", f32, np.array(1.0))  # float64 0-d array wins: float64


# --------------------------------------------------------------------------------------------
# accepted inputs
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["add", "true_divide", "maximum", "less", "bitwise_xor"])
def test_mixed_input_kinds(name):
    a = np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int32)
    b = np.array([3, 2, 1], dtype=np.int16)
    ra, rb = from_np(a), from_np(b)
    expected = np_call(getattr(np, name), a, b)
    fn = getattr(rp, name)
    for x, y in [
        (ra, rb),
        (ra, b),  # a NumPy array
        (a, rb),
        (a, b),  # two NumPy arrays still give a Raptors array
        (ra, rp.asarray(b)),
        (ra, b[::-1].copy()[::-1]),  # a non-contiguous NumPy view
    ]:
        assert_same(fn(x, y), expected)
    # nested lists are converted like np.asarray does (int64 / float64 / bool)
    check_binary(name, a.tolist(), b.tolist())
    check_binary(name, a.tolist(), b)
    check_binary(name, [[True, False, True]], a)
    check_binary(name, a, [1.5, 2.5, -1.0])


def test_numpy_0d_and_scalar_like_inputs():
    check_binary("add", np.array(5, dtype=np.int16), np.array([1, 2], dtype=np.int8))
    check_binary("multiply", np.array(2.5), 2)
    check_binary("less", 3, np.array(2.5, dtype=np.float32))


# --------------------------------------------------------------------------------------------
# broadcasting
# --------------------------------------------------------------------------------------------

BROADCAST_OK = [
    ((3, 1), (4,)),
    ((4,), (3, 1)),
    ((2, 1, 4), (3, 1)),
    ((), (2, 3)),
    ((2, 3), ()),
    ((1,), (0,)),
    ((0,), (0,)),
    ((2, 0, 3), (3,)),
    ((2, 0, 3), (1, 1)),
    ((2, 0, 3), (2, 1, 3)),
    ((5, 1, 1), (1, 4, 1)),
    ((1, 1, 1), (3,)),
    ((1, 1), (1,)),
    ((2, 3, 4, 1), (3, 1, 5)),
]
BROADCAST_BAD = [
    ((2,), (3,)),
    ((2, 3), (3, 2)),
    ((0,), (2,)),
    ((2, 2, 3), (4, 3)),
    ((3, 4), (2, 1, 5)),
    ((2, 0, 3), (2,)),
]
BROADCAST_FUNCS = [
    ("add", "int16", "float32"),
    ("subtract", "uint8", "int8"),
    ("multiply", "float64", "float64"),
    ("divide", "int32", "int32"),
    ("floor_divide", "int64", "int64"),
    ("power", "float32", "float32"),
    ("maximum", "float16", "float16"),
    ("fmin", "float64", "int8"),
    ("arctan2", "float32", "float32"),
    ("hypot", "int8", "int8"),
    ("copysign", "float64", "float64"),
    ("less", "int8", "uint64"),
    ("equal", "bool", "bool"),
    ("logical_xor", "float32", "int32"),
    ("bitwise_and", "int32", "uint16"),
    ("left_shift", "uint8", "uint8"),
]


def _shape_id(shapes):
    return "x".join(str(s).replace(" ", "") for s in shapes)


@pytest.mark.parametrize("shapes", BROADCAST_OK, ids=_shape_id)
def test_broadcasting(shapes):
    assert_all(
        binary_case(
            name,
            sample(da, shapes[0]),
            binary_operands(name, da, db, shapes[1])[1],
            label=f"{name}({da}, {db})",
        )
        for name, da, db in BROADCAST_FUNCS
    )


@pytest.mark.parametrize("shapes", BROADCAST_BAD, ids=_shape_id)
def test_broadcasting_errors(shapes):
    a, b = np.ones(shapes[0], dtype=np.int32), np.ones(shapes[1], dtype=np.int32)
    for name in ["add", "maximum", "less", "arctan2", "bitwise_or"]:
        raises_like(
            lambda name=name: getattr(rp, name)(from_np(a), from_np(b)),
            lambda name=name: getattr(np, name)(a, b),
        )


def test_broadcast_error_message():
    exc = raises_like(
        lambda: rp.add(rp.ones(2), rp.ones(3)), lambda: np.add(np.ones(2), np.ones(3))
    )
    assert str(exc).rstrip() == "operands could not be broadcast together with shapes (2,) (3,)"


@pytest.mark.parametrize("shape", [(), (0,), (2, 0, 3), (1,), (1, 1, 1)], ids=str)
@pytest.mark.parametrize("name", ["add", "multiply", "maximum", "less", "logical_and"])
def test_0d_and_empty(name, shape):
    cases = []
    for dtype in ALL_DTYPES:
        a = sample(dtype, shape)
        other = sample(dtype, (3,) if prod(shape) else (1,))
        cases += [
            binary_case(name, a, second_operand(dtype, shape), label=f"{dtype} with itself"),
            binary_case(name, a, other, label=f"{dtype} with {other.shape}"),
            binary_case(name, sample(dtype, (1,)), a, label=f"{dtype} (1,) with it"),
            binary_case(name, a, 1, label=f"{dtype} with 1"),
        ]
    assert_all(cases)


# --------------------------------------------------------------------------------------------
# special values
# --------------------------------------------------------------------------------------------

FLOAT_SPECIALS = [
    math.nan,
    math.inf,
    -math.inf,
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -0.5,
    2.0,
    -2.0,
    2.5,
    -3.0,
    7.0,
    1e-5,
    65504.0,
    3.0e38,
    1e308,
    -1e308,
    1e-310,
    5e-324,
    710.0,
    -745.0,
]
FLOAT_BINARY = [n for n in BINARY if n not in BITWISE]


def float_specials(dtype: str) -> np.ndarray:
    return np_call(lambda: np.array(FLOAT_SPECIALS).astype(dtype))


@pytest.mark.parametrize("name", FLOAT_BINARY)
def test_float_special_values(name):
    """Every pair of nan, +-inf, +-0.0, subnormals, huge values, ... (an outer product)."""
    cases = []
    for dtype in FLOAT_DTYPES:
        s = float_specials(dtype)
        cases.append(binary_case(name, s[:, None], s[None, :], label=f"{name} {dtype}"))
    assert_all(cases)


def test_nan_propagation_maximum_vs_fmax():
    a = np.array([np.nan, 1.0, np.nan, -np.inf, 2.0])
    b = np.array([1.0, np.nan, np.nan, np.nan, -np.inf])
    for name in MINMAX:
        check_binary(name, a, b)
    r = rp.maximum(from_np(a), from_np(b))
    assert np.isnan(to_np(r)[:4]).all()
    r = rp.fmax(from_np(a), from_np(b))
    assert to_np(r).tolist()[:2] == [1.0, 1.0]


def test_signed_zeros():
    z = np.array([-0.0, 0.0, -0.0, 0.0])
    w = np.array([0.0, -0.0, -0.0, 0.0])
    # copysign is exact about the sign
    check_binary(
        "copysign",
        np.array([1.0, 1.0, -2.0, np.inf, np.nan]),
        np.array([-0.0, 0.0, 0.0, -0.0, -1.0]),
    )
    check_binary("copysign", z, w)
    check_binary("subtract", z, w)
    check_binary("add", z, w)
    check_binary("multiply", z, np.array([-1.0, -1.0, 1.0, 1.0]))
    check_binary("divide", np.array([1.0, -1.0, 0.0]), np.array([-0.0, -0.0, -0.0]))
    check_binary("arctan2", z, w)
    # min/max of two zeros: a zero (NumPy itself returns either sign depending on the loop)
    for name in MINMAX:
        r = to_np(getattr(rp, name)(from_np(z), from_np(w)))
        assert (r == 0).all()
    # with a non-zero operand the sign is determined
    check_binary("minimum", np.array([-0.0, 0.0, -0.0]), np.array([1.0, 1.0, -1.0]))
    check_binary("maximum", np.array([-0.0, 0.0, -0.0]), np.array([-1.0, -1.0, 1.0]))
    # floor_divide/remainder produce signed zeros
    check_binary("remainder", np.array([0.0, -0.0, 4.0, -4.0]), np.array([2.0, 2.0, -2.0, 2.0]))
    check_binary("floor_divide", np.array([0.0, -0.0, 1.0, -1.0]), np.array([2.0, 2.0, -3.0, 3.0]))


def int_specials(dtype: str) -> np.ndarray:
    info = np.iinfo(dtype)
    vals = {info.min, info.min + 1, info.min // 2, -7, -2, -1, 0, 1, 2, 3, 7, 8}
    vals |= {63, 64, 65, info.max // 2, info.max - 1, info.max}
    return np.array(sorted(v for v in vals if info.min <= v <= info.max), dtype=dtype)


INT_BINARY = [n for n in BINARY if n not in ("power", "left_shift", "right_shift")]


@pytest.mark.parametrize("name", INT_BINARY)
def test_integer_extremes(name):
    """Wrap-around, MIN // -1, division and remainder by zero (0, as NumPy), ..."""
    cases = []
    for dtype in INT_DTYPES:
        s = int_specials(dtype)
        cases.append(binary_case(name, s[:, None], s[None, :], label=f"{name} {dtype}"))
    assert_all(cases)


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_integer_division_by_zero_and_overflow(dtype):
    info = np.iinfo(dtype)
    a = np.array([info.min, -1 if info.min else 1, 0, 5, info.max], dtype=dtype)
    zero = np.zeros(5, dtype=dtype)
    for name in ["floor_divide", "remainder", "divide"]:
        check_binary(name, a, zero)
    assert to_np(rp.floor_divide(from_np(a), from_np(zero))).tolist() == [0] * 5
    assert to_np(rp.remainder(from_np(a), from_np(zero))).tolist() == [0] * 5
    if dtype in SIGNED_DTYPES:
        m = np.array([info.min], dtype=dtype)
        neg1 = np.array([-1], dtype=dtype)
        check_binary("floor_divide", m, neg1)
        check_binary("remainder", m, neg1)
        check_binary("multiply", m, neg1)
        check_binary("subtract", np.zeros(1, dtype=dtype), m)
    check_binary("add", np.array([info.max], dtype=dtype), np.array([1], dtype=dtype))
    check_binary("multiply", np.array([info.max], dtype=dtype), np.array([info.max], dtype=dtype))


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_integer_power(dtype):
    info = np.iinfo(dtype)
    bases = int_specials(dtype)
    exps = np.array(
        sorted(
            {e for e in [0, 1, 2, 3, 5, 7, 8, 15, 16, 31, 32, 63, 64, 65, 127] if e <= info.max}
        ),
        dtype=dtype,
    )
    check_binary("power", bases[:, None], exps[None, :])
    check_binary("power", bases, 0)
    check_binary("power", bases, 3)
    check_binary("power", 3, exps)


@pytest.mark.parametrize("dtype", SIGNED_DTYPES)
def test_negative_integer_power_raises(dtype):
    a = np.array([2, 3, 4], dtype=dtype)
    b = np.array([1, -1, 2], dtype=dtype)
    exc = raises_like(lambda: rp.power(from_np(a), from_np(b)), lambda: np.power(a, b))
    assert str(exc) == "Integers to negative integer powers are not allowed."
    raises_like(lambda: rp.power(from_np(a), -2), lambda: np.power(a, -2))
    raises_like(lambda: rp.power(2, from_np(b)), lambda: np.power(2, b))
    raises_like(lambda: rp.power(2, -1), lambda: np.power(2, -1))
    # floats are fine
    check_binary("power", a, -1.0)
    # An empty result computes nothing, so nothing raises (found by hypothesis).
    for empty in (np.array([], dtype=dtype), np.zeros((0, 3), dtype=dtype)):
        check_binary("power", empty, -2)
        check_binary("power", empty, b[:1])
        check_binary("power", b[1:2], empty)
    check_binary("power", np.array([], dtype=bool), -2)


@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("name", ["left_shift", "right_shift"])
def test_shifts(name, dtype):
    """Counts >= the bit width give 0 (or -1 for right shifts of negative values)."""
    bits = np.dtype(dtype).itemsize * 8
    vals = int_specials(dtype)
    counts = [*list(range(bits + 2)), bits * 2, np.iinfo(dtype).max]
    if dtype in SIGNED_DTYPES:
        counts += [-1, -bits, np.iinfo(dtype).min]
    counts = np.array(counts, dtype=dtype)
    check_binary(name, vals[:, None], counts[None, :])


def test_int64_uint64_comparisons_are_exact():
    """NumPy 2 compares int64 with uint64 exactly (no detour through float64)."""
    i = np.array([-(2**63), -1, 0, 1, 2**53 + 1, 2**63 - 1], dtype=np.int64)
    u = np.array([0, 1, 2**53, 2**53 + 1, 2**63, 2**64 - 1], dtype=np.uint64)
    for name in COMPARISONS:
        check_binary(name, i[:, None], u[None, :])
        check_binary(name, u[:, None], i[None, :])
    for name in ["add", "maximum", "divide", "logical_and"]:
        check_binary(name, i[:, None], u[None, :])


# --------------------------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_bitwise_on_floats_raises(dtype):
    for name in BITWISE:
        _check_bitwise_raises(name, dtype)


def _check_bitwise_raises(name: str, dtype: str) -> None:
    a = sample(dtype, (4,))
    i = sample("int32", (4,))
    for x, y in [(a, a), (a, i), (i, a), (a, 1), (i, 1.5)]:
        with pytest.raises(TypeError):
            np_call(getattr(np, name), x, y)
        with pytest.raises(TypeError):
            getattr(rp, name)(rp_arg(x), rp_arg(y))


def test_bool_subtract_raises():
    b = np.array([True, False])
    for x, y in [(b, b), (b, True), (True, b)]:
        with pytest.raises(TypeError):
            rp.subtract(rp_arg(x), rp_arg(y))
        with pytest.raises(TypeError):
            np.subtract(x, y)
    assert_same(rp.subtract(from_np(b), 1), np.array([0, -1]))


# (bytes are not here: Raptors reads them as a buffer of uint8, like any buffer exporter)
BAD_ARGS = ["x", object(), None, {"a": 1}]


@pytest.mark.parametrize(
    "name", ["add", "multiply", "maximum", "arctan2", "less", "logical_and", "bitwise_and", "power"]
)
def test_non_array_like_raises_type_error(name):
    a = rp.arange(3, dtype=rp.int32)
    fn = getattr(rp, name)
    for bad in BAD_ARGS:
        with pytest.raises(TypeError):
            fn(a, bad)
        with pytest.raises(TypeError):
            fn(bad, a)
        with pytest.raises(TypeError):
            fn(bad, 1)
    with pytest.raises(TypeError):
        fn(["a", "b", "c"], a)


def test_ragged_list_raises_value_error():
    with pytest.raises(ValueError):
        rp.add([[1, 2], [3]], 1)


def test_missing_argument_raises_type_error():
    with pytest.raises(TypeError):
        rp.add(rp.ones(3))
    with pytest.raises(TypeError):
        rp.add()


# --------------------------------------------------------------------------------------------
# views (Hypothesis) and large arrays
# --------------------------------------------------------------------------------------------


@st.composite
def strided_operand(draw, shape):
    """``(numpy_view, raptors_view)`` of a random dtype whose shape broadcasts against
    ``shape``: a suffix of it, some axes set to 1, taken with steps of +-1 or +-2."""
    k = draw(st.integers(0, len(shape)))
    sub = [1 if draw(st.integers(0, 3)) == 0 else d for d in shape[len(shape) - k :]]
    steps = [draw(st.sampled_from([1, 2, -1, -2])) for _ in sub]
    base = draw(
        np_arrays(draw(dtype_names), tuple(d * abs(s) for d, s in zip(sub, steps, strict=True)))
    )
    idx = (*(slice(None, None, s) for s in steps), Ellipsis)
    if base.size == 0:
        return base[idx], rp.zeros(base.shape, dtype=base.dtype.name)[idx]
    return base[idx], from_np(base)[idx]


@pytest.mark.parametrize("name", ["add", "multiply", "maximum", "less"])
@settings(max_examples=40, deadline=None)
@given(case=view_pairs(), data=st.data())
def test_views_hypothesis(name, case, data):
    nv, rv, nb, rb = case
    n2, r2 = data.draw(strided_operand(nv.shape))
    compare = comparator(name)
    check_like(lambda: getattr(rp, name)(rv, r2), lambda: getattr(np, name)(nv, n2), compare)
    check_like(lambda: getattr(rp, name)(r2, rv), lambda: getattr(np, name)(n2, nv), compare)
    check_like(lambda: getattr(rp, name)(rv, rv), lambda: getattr(np, name)(nv, nv), compare)
    # the inputs are not modified
    assert_same(rb, nb)


@settings(max_examples=40, deadline=None)
@given(case=view_pairs(), scalar=st.sampled_from([0, 1, -3, 2.5, True, 1e10]))
def test_views_with_scalars_hypothesis(case, scalar):
    nv, rv, _, _ = case
    for name in ["add", "multiply", "maximum", "less"]:
        check_like(
            lambda name=name: getattr(rp, name)(rv, scalar),
            lambda name=name: getattr(np, name)(nv, scalar),
            comparator(name),
        )


def test_negative_and_zero_strides():
    a = sample("float64", (6, 8))
    b = sample("int16", (8,))
    ra, rb = from_np(a), from_np(b)
    pairs = [
        (a[::-1], b, ra[::-1], rb),
        (a[:, ::-3], b[::-3], ra[:, ::-3], rb[::-3]),
        (a.T, a[:, 0], ra.T, ra[:, 0]),
        (a[::2, 1::2], a[1::2, ::-2], ra[::2, 1::2], ra[1::2, ::-2]),
    ]
    for x, y, rx, ry in pairs:
        for name in ["add", "subtract", "multiply", "maximum", "less", "arctan2"]:
            check_like(
                lambda name=name, rx=rx, ry=ry: getattr(rp, name)(rx, ry),
                lambda name=name, x=x, y=y: getattr(np, name)(x, y),
                comparator(name),
            )
    # broadcast_to views have zero strides
    rz = rp.broadcast_to(rb, (6, 8))
    assert_same(rp.add(ra, rz), a + np.broadcast_to(b, (6, 8)))


LARGE = 200_000


def test_large_arrays():
    """Big enough to cross any parallel threshold."""
    n = np.arange(LARGE, dtype=np.int64)
    a = ((n * 7919) % 20011 - 10000).astype(np.int32)
    b = ((n * 104729) % 257 - 128).astype(np.int32)
    ra, rb = from_np(a), from_np(b)
    assert_same(rp.add(ra, rb), a + b)
    assert_same(rp.multiply(ra, rb), a * b)
    check_like(lambda: rp.floor_divide(ra, rb), lambda: np.floor_divide(a, b))
    assert_same(rp.less(ra, rb), a < b)
    assert_same(rp.maximum(ra[::-1], rb), np.maximum(a[::-1], b))
    f = a.astype(np.float64) / 7.0
    rf = from_np(f)
    assert_same(rp.true_divide(rf, ra), np_call(np.true_divide, f, a))
    m = f.reshape(400, 500)
    rm = from_np(m)
    row = f[:500]
    assert_same(rp.subtract(rm, from_np(row)), m - row)
    assert_same(rp.multiply(rm[::2, ::-1], rf[:500][::-1]), m[::2, ::-1] * f[:500][::-1])
    assert_ulp(rp.arctan2(rf, rb), np.arctan2(f, b))
    assert_ulp(rp.hypot(rm.T, 3.0), np.hypot(m.T, 3.0))


def test_outputs_larger_than_the_cache():
    """Outputs of 64 MB: beyond half the last-level cache of common machines, where contiguous
    runs are written with non-temporal stores (row-major broadcast rows, scalars on either
    side, a view whose start is not line-aligned, out= into an existing array)."""
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2048, 4096))
    row = rng.standard_normal(4096)
    rx, rrow = from_np(x), from_np(row)
    assert_same(rx + rrow, x + row)
    assert_same(2.5 - rx, 2.5 - x)
    assert_same(rp.maximum(rx, 0.0), np.maximum(x, 0.0))
    out = rp.zeros((2048, 4096))
    rp.multiply(rx, rrow, out=out)
    assert_same(out, x * row)
    # Input and output views starting one element into their buffers: lines start mid-way.
    flat, rflat = x.reshape(-1)[1:], rx.reshape(-1)[1:]
    buf = rp.zeros(x.size + 2)
    rp.multiply(rflat, 3.0, out=buf[1:-2])
    assert_same(buf[1:-2], flat * 3.0)
    assert_same(buf[:1], np.zeros(1))
    assert_same(buf[-2:], np.zeros(2))
    x32, rx32 = x.astype(np.float32), rx.astype(rp.float32)
    assert_same((rx32 + 1).astype(rp.float64), (x32 + 1).astype(np.float64))
    assert_same(rx32 + rx32.T.T, x32 + x32)
