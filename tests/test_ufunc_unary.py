"""Unary elementwise functions compared with NumPy 2: result dtypes, values (exact, or within
a few ULP for transcendental functions), special values, views and large arrays."""

from __future__ import annotations

import math

import numpy as np
import pytest
import raptors as rp
from conftest import (
    ALL_DTYPES,
    FLOAT_DTYPES,
    INT_DTYPES,
    SIGNED_DTYPES,
    UNSIGNED_DTYPES,
    assert_same,
    from_np,
    raises_like,
    sample,
    to_np,
    view_pairs,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from test_ufunc_binary import (
    assert_all,
    assert_ulp,
    check_like,
    int_specials,
    np_call,
    rp_arg,
)

# --------------------------------------------------------------------------------------------
# the functions
# --------------------------------------------------------------------------------------------

EXACT_UNARY = [
    "negative",
    "positive",
    "absolute",
    "sign",
    "sqrt",
    "square",
    "reciprocal",
    "floor",
    "ceil",
    "trunc",
    "rint",
    "isnan",
    "isinf",
    "isfinite",
    "signbit",
    "logical_not",
    "bitwise_not",
]
ULP_UNARY = [
    "exp",
    "exp2",
    "expm1",
    "log",
    "log2",
    "log10",
    "log1p",
    "sin",
    "cos",
    "tan",
    "arcsin",
    "arccos",
    "arctan",
    "sinh",
    "cosh",
    "tanh",
    "arcsinh",
    "arccosh",
    "arctanh",
]
UNARY = EXACT_UNARY + ULP_UNARY
UNARY_ALIASES = {
    "abs": "absolute",
    "asin": "arcsin",
    "acos": "arccos",
    "atan": "arctan",
    "asinh": "arcsinh",
    "acosh": "arccosh",
    "atanh": "arctanh",
    "invert": "bitwise_not",
    "bitwise_invert": "bitwise_not",
}
ULP_NAMES = set(ULP_UNARY) | {a for a, t in UNARY_ALIASES.items() if t in ULP_UNARY}


def unary_comparator(name: str):
    return assert_ulp if name in ULP_NAMES else assert_same


def check_unary(name: str, x, **kwargs):
    return check_like(
        lambda: getattr(rp, name)(rp_arg(x), **kwargs),
        lambda: getattr(np, name)(x, **kwargs),
        unary_comparator(name),
    )


def unary_case(name: str, x, label: str | None = None):
    """A case for ``assert_all``: ``rp.<name>(x)`` against ``np.<name>(x)``."""
    return (
        label or name,
        lambda: getattr(rp, name)(rp_arg(x)),
        lambda: getattr(np, name)(x),
        unary_comparator(name),
    )


def unary_input(name: str, dtype: str, shape=(3, 4, 5)) -> np.ndarray:
    x = sample(dtype, shape)
    if name == "reciprocal" and dtype in INT_DTYPES:
        # NumPy's integer reciprocal of 0 is the x86 float->int conversion of inf; that
        # case has its own test below, the others stay away from it
        x = np.where(x == 0, 1, x).astype(dtype)
    return x


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_integer_reciprocal_of_zero_is_numpys(dtype):
    # (T)(1.0 / 0): INT_MIN for int32/int64 on x86, 0 after narrowing for the others.
    x = np.array([0, 1, 2, 3], dtype=dtype)
    with np.errstate(all="ignore"):
        expected = np.reciprocal(x)
    assert_same(rp.reciprocal(rp.asarray(x)), expected)


# --------------------------------------------------------------------------------------------
# dtypes and values
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", UNARY)
def test_unary_all_dtypes(name):
    """Result dtype and values for each of the twelve dtypes."""
    assert_all(
        unary_case(name, unary_input(name, dtype), label=f"{name}({dtype})") for dtype in ALL_DTYPES
    )


@pytest.mark.parametrize("alias", sorted(UNARY_ALIASES))
def test_unary_aliases(alias):
    dtypes = ["bool", "int8", "uint16", "int64", "float16", "float32", "float64"]
    assert_all(
        unary_case(alias, unary_input(UNARY_ALIASES[alias], dtype), label=f"{alias}({dtype})")
        for dtype in dtypes
    )


def test_result_dtype_examples():
    """Float-only functions: int8/uint8/bool -> float16, int16/uint16 -> float32,
    32/64-bit integers -> float64; floor/ceil/trunc keep integer dtypes, rint does not."""
    expected = {
        "bool": "float16",
        "int8": "float16",
        "uint8": "float16",
        "int16": "float32",
        "uint16": "float32",
        "int32": "float64",
        "uint32": "float64",
        "int64": "float64",
        "uint64": "float64",
        "float16": "float16",
        "float32": "float32",
        "float64": "float64",
    }
    for dtype, result in expected.items():
        x = from_np(sample(dtype, (4,)))
        for name in ["sqrt", "exp", "log", "sin", "arctanh", "rint"]:
            r = getattr(rp, name)(x)
            assert r.dtype.name == result, f"{name}({dtype}) -> {r.dtype.name}, expected {result}"
    for dtype in INT_DTYPES:
        x = from_np(sample(dtype, (4,)))
        for name in ["floor", "ceil", "trunc", "negative", "absolute", "square", "sign"]:
            assert getattr(rp, name)(x).dtype.name == dtype
    b = from_np(np.array([True, False]))
    assert rp.floor(b).dtype.name == "bool"
    assert rp.absolute(b).dtype.name == "bool"
    assert rp.square(b).dtype.name == "int8"
    for name in ["isnan", "isinf", "isfinite", "signbit", "logical_not"]:
        for dtype in ALL_DTYPES:
            assert getattr(rp, name)(from_np(sample(dtype, (3,)))).dtype.name == "bool"


@pytest.mark.parametrize("name", ["negative", "positive", "sign"])
def test_bool_unsupported(name):
    b = np.array([True, False])
    with pytest.raises(TypeError):
        getattr(np, name)(b)
    with pytest.raises(TypeError):
        getattr(rp, name)(from_np(b))


def test_bool_negative_message():
    b = np.array([True, False])
    raises_like(lambda: rp.negative(from_np(b)), lambda: np.negative(b))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name", ["bitwise_not", "invert", "bitwise_invert"])
def test_bitwise_not_on_floats_raises(name, dtype):
    x = sample(dtype, (3,))
    with pytest.raises(TypeError):
        getattr(np, name)(x)
    with pytest.raises(TypeError):
        getattr(rp, name)(from_np(x))


# --------------------------------------------------------------------------------------------
# special values
# --------------------------------------------------------------------------------------------

UNARY_SPECIALS = [
    math.nan,
    math.inf,
    -math.inf,
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -0.5,
    1.5,
    -1.5,
    2.5,
    -2.5,
    3.5,
    2.0,
    -2.0,
    0.25,
    0.999,
    1.001,
    -0.999,
    1e-5,
    -1e-5,
    1e-30,
    1e-310,
    5e-324,
    -5e-324,
    10.0,
    -10.0,
    11.1,
    100.0,
    88.7,
    89.0,
    -104.0,
    709.0,
    710.0,
    -745.0,
    -746.0,
    1024.0,
    -1075.0,
    65504.0,
    65520.0,
    3.4e38,
    1e308,
    -1e308,
    2.0**52 + 1,
    2.0**53,
    -(2.0**52) - 0.5,
    8388608.5,
    1e20,
    -1e20,
    math.pi / 2,
    math.pi,
    -math.pi / 4,
]


def unary_specials(dtype: str) -> np.ndarray:
    return np_call(lambda: np.array(UNARY_SPECIALS).astype(dtype))


@pytest.mark.parametrize("name", [n for n in UNARY if n != "bitwise_not"])
def test_float_special_values(name):
    assert_all(
        unary_case(name, unary_specials(dtype), label=f"{name}({dtype})") for dtype in FLOAT_DTYPES
    )


def test_domain_edges():
    cases = [
        ("sqrt", [-1.0, -0.0, 0.0, -np.inf, np.inf]),
        ("log", [0.0, -0.0, -1.0, 1.0, np.inf, -np.inf]),
        ("log2", [0.0, -1.0, 1.0, 2.0, 0.5]),
        ("log10", [0.0, -1.0, 1.0, 10.0, 1e-300]),
        ("log1p", [-1.0, -2.0, 0.0, -0.0, 1e-300]),
        ("arcsin", [1.0, -1.0, 1.0000001, -2.0, 0.0, -0.0]),
        ("arccos", [1.0, -1.0, 1.0000001, -2.0, 0.0]),
        ("arccosh", [1.0, 0.999, 0.0, -1.0, np.inf]),
        ("arctanh", [1.0, -1.0, 1.5, -0.0, 0.0]),
        ("exp", [-np.inf, np.inf, 709.78, 709.79, -745.2, -745.1, 0.0, -0.0]),
        ("expm1", [-np.inf, np.inf, -0.0, 0.0, 1e-300]),
        ("tanh", [np.inf, -np.inf, -0.0, 20.0, -20.0]),
        ("sinh", [-0.0, 711.0, -711.0]),
        ("cosh", [-0.0, 711.0, -711.0]),
    ]
    for name, vals in cases:
        check_unary(name, np.array(vals))
        check_unary(name, np.array(vals, dtype=np.float32))
        check_unary(name, np_call(lambda vals=vals: np.array(vals, dtype=np.float16)))


def test_signed_zeros():
    z = np.array([0.0, -0.0])
    for name in [
        "negative",
        "positive",
        "absolute",
        "sign",
        "sqrt",
        "floor",
        "ceil",
        "trunc",
        "rint",
        "sin",
        "tan",
        "arcsin",
        "arctan",
        "sinh",
        "tanh",
        "arcsinh",
        "arctanh",
        "expm1",
        "log1p",
        "signbit",
        "square",
    ]:
        check_unary(name, z)
        check_unary(name, z.astype(np.float16))
    r = to_np(rp.negative(from_np(np.array([0.0]))))
    assert math.copysign(1.0, r[0]) == -1.0
    check_unary("floor", np.array([-0.5, 0.5, -0.0]))
    check_unary("ceil", np.array([-0.5, -0.9, 0.4]))
    check_unary("trunc", np.array([-0.5, -0.9, 0.4]))
    check_unary("rint", np.array([-0.5, -0.4, 0.5]))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_rounding_functions(dtype):
    """Halves round to even in rint; floor/ceil/trunc exactly; big values are unchanged."""
    x = np.array(
        [
            0.5,
            1.5,
            2.5,
            3.5,
            -0.5,
            -1.5,
            -2.5,
            0.49999997,
            1e15 + 0.5,
            4503599627370495.5,
            2.0**52,
            -(2.0**52) - 1,
            1e300,
            0.1,
            -0.1,
            7.9,
            -7.9,
            np.nan,
            np.inf,
            -np.inf,
        ],
    )
    x = np_call(lambda: x.astype(dtype))
    for name in ["floor", "ceil", "trunc", "rint"]:
        check_unary(name, x)


@pytest.mark.parametrize(
    "name",
    [
        "negative",
        "positive",
        "absolute",
        "sign",
        "square",
        "floor",
        "ceil",
        "trunc",
        "rint",
        "bitwise_not",
        "logical_not",
        "signbit",
        "isnan",
        "isfinite",
        "sqrt",
        "exp",
        "log",
    ],
)
def test_integer_extremes(name):
    """negative/abs of MIN wrap to MIN, square wraps, unsigned negation wraps, ..."""
    assert_all(
        unary_case(name, int_specials(dtype), label=f"{name}({dtype})") for dtype in INT_DTYPES
    )


@pytest.mark.parametrize("dtype", SIGNED_DTYPES)
def test_abs_and_negative_of_min(dtype):
    info = np.iinfo(dtype)
    x = np.array([info.min, info.min + 1, -1, 0, info.max], dtype=dtype)
    assert_same(rp.negative(from_np(x)), np.negative(x))
    assert_same(rp.absolute(from_np(x)), np_call(np.absolute, x))
    assert to_np(rp.absolute(from_np(x))).tolist()[0] == info.min


@pytest.mark.parametrize("dtype", UNSIGNED_DTYPES)
def test_unsigned_negative_wraps(dtype):
    x = np.array([0, 1, 2, np.iinfo(dtype).max], dtype=dtype)
    assert_same(rp.negative(from_np(x)), np.negative(x))
    assert_same(rp.bitwise_not(from_np(x)), np.bitwise_not(x))


# --------------------------------------------------------------------------------------------
# accuracy over many inputs
# --------------------------------------------------------------------------------------------

ALL_FLOAT16 = np.arange(0, 1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16)


@pytest.mark.parametrize("name", [*ULP_UNARY, "sqrt", "reciprocal", "rint", "square"])
def test_every_float16(name):
    """Every float16 bit pattern (computed in float32 and rounded: within 1 ULP of NumPy)."""
    check_unary(name, ALL_FLOAT16)


def random_floats(dtype: str, n: int = 4000, seed: int = 7) -> np.ndarray:
    """Values spread over many orders of magnitude, both signs."""
    rng = np.random.default_rng(seed)
    info = np.finfo(dtype)
    lo, hi = math.log10(float(info.tiny)) - 2, math.log10(float(info.max))
    mag = 10.0 ** rng.uniform(lo, hi, n)
    small = rng.uniform(-4.0, 4.0, n)  # where most functions are interesting
    vals = np.concatenate([mag * rng.choice([-1.0, 1.0], n), small])
    return np_call(lambda: vals.astype(dtype))


@pytest.mark.parametrize("name", ULP_UNARY)
def test_transcendental_accuracy(name):
    """Within 4 ULP of NumPy on random inputs (NaN, inf and zeros exactly)."""
    assert_all(
        unary_case(name, random_floats(dtype), label=f"{name}({dtype})")
        for dtype in ["float32", "float64"]
    )


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_exact_functions_random(dtype):
    x = random_floats(dtype)
    assert_all(
        unary_case(name, x)
        for name in ["sqrt", "reciprocal", "square", "floor", "ceil", "trunc", "rint"]
    )


# --------------------------------------------------------------------------------------------
# shapes, inputs, views
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(), (0,), (2, 0, 3), (1,), (1, 1, 1)], ids=str)
def test_0d_and_empty(shape):
    cases = []
    for dtype in ["bool", "int16", "uint64", "float16", "float64"]:
        for name in ["negative", "sqrt", "exp", "isnan", "floor", "logical_not", "sin"]:
            cases.append(unary_case(name, sample(dtype, shape), label=f"{name}({dtype})"))
    assert_all(cases)
    assert rp.sqrt(from_np(sample("float32", shape))).shape == shape


PYTHON_INPUTS = [
    4,
    -3,
    0,
    2.25,
    -0.0,
    True,
    False,
    math.nan,
    math.inf,
    [1, 2, 3],
    [[0.5], [-1.5]],
    [True, False],
    2**63,
    2**64 - 1,
]


@pytest.mark.parametrize(
    "name",
    ["negative", "absolute", "sqrt", "exp", "isnan", "floor", "sign", "logical_not", "bitwise_not"],
)
def test_python_inputs(name):
    """Python scalars and lists are converted as np.asarray does; 0-d results are arrays."""
    assert_all(unary_case(name, x, label=f"{name}({x!r})") for x in PYTHON_INPUTS)


def test_numpy_inputs():
    x = np.array([[1.0, 4.0], [9.0, 16.0]], dtype=np.float32)
    assert_same(rp.sqrt(x), np.sqrt(x))
    assert_same(rp.sqrt(x.T), np.sqrt(x.T))
    assert_same(rp.negative(np.array(3, dtype=np.int8)), np.array(-3, dtype=np.int8))


@settings(max_examples=40, deadline=None)
@given(case=view_pairs())
def test_exp_on_views_hypothesis(case):
    name = "exp"
    nv, rv, nb, rb = case
    check_like(lambda: getattr(rp, name)(rv), lambda: getattr(np, name)(nv), unary_comparator(name))
    assert_same(rb, nb)  # the input is untouched


@settings(max_examples=40, deadline=None)
@given(case=view_pairs(), data=st.data())
def test_views_all_functions_hypothesis(case, data):
    nv, rv, _, _ = case
    name = data.draw(st.sampled_from(UNARY))
    check_like(lambda: getattr(rp, name)(rv), lambda: getattr(np, name)(nv), unary_comparator(name))


def test_strided_and_negative_views():
    a = sample("float32", (6, 10))
    ra = from_np(a)
    for idx in [
        (slice(None, None, -1),),
        (slice(None), slice(None, None, -3)),
        (slice(1, None, 2), 3),
    ]:
        for name in ["exp", "sqrt", "negative", "rint", "tanh", "isfinite"]:
            check_like(
                lambda name=name, idx=idx: getattr(rp, name)(ra[idx]),
                lambda name=name, idx=idx: getattr(np, name)(a[idx]),
                unary_comparator(name),
            )
    for name in ["exp", "negative", "signbit"]:
        check_like(
            lambda name=name: getattr(rp, name)(ra.T),
            lambda name=name: getattr(np, name)(a.T),
            unary_comparator(name),
        )
        rb = rp.broadcast_to(ra[0], (4, 10))
        check_like(
            lambda name=name, rb=rb: getattr(rp, name)(rb),
            lambda name=name: getattr(np, name)(np.broadcast_to(a[0], (4, 10))),
            unary_comparator(name),
        )


def test_large_arrays():
    n = 200_000
    x = (np.arange(n) % 2001 - 1000).astype(np.float32) / 37
    rx = from_np(x)
    assert_ulp(rp.exp(rx), np_call(np.exp, x))
    assert_ulp(rp.sin(rx[::-1]), np.sin(x[::-1]))
    assert_same(rp.sqrt(rx), np_call(np.sqrt, x))
    assert_same(rp.negative(rx), -x)
    assert_same(rp.isnan(rp.sqrt(rx)), np.isnan(np_call(np.sqrt, x)))
    i8 = (np.arange(n) % 256 - 128).astype(np.int8)
    assert_same(rp.negative(from_np(i8)), np.negative(i8))
    assert_same(rp.absolute(from_np(i8)[::3]), np.absolute(i8[::3]))
    d = x.astype(np.float64).reshape(400, 500)
    assert_ulp(rp.log1p(rp.absolute(from_np(d).T)), np.log1p(np.abs(d.T)))


# --------------------------------------------------------------------------------------------
# bad input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["negative", "sqrt", "exp", "isnan", "floor", "bitwise_not", "sign"]
)
def test_non_array_like_raises_type_error(name):
    for bad in ["x", object(), None, {"a": 1}, ["a", "b"]]:
        with pytest.raises(TypeError):
            getattr(rp, name)(bad)


def test_wrong_argument_count():
    with pytest.raises(TypeError):
        rp.sqrt()
    with pytest.raises(TypeError):
        rp.exp(rp.ones(3), bogus=1)


def test_input_not_modified():
    x = sample("float64", (3, 4))
    rx = from_np(x)
    for name in UNARY:
        if name != "bitwise_not":
            getattr(rp, name)(rx)
    assert_same(rx, x)


def test_every_function_exists():
    for name in [*UNARY, *UNARY_ALIASES]:
        assert callable(getattr(rp, name)), name
