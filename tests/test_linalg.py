"""Matrix products (matmul/@, dot, vdot, inner, outer, tensordot, vecdot, matvec, vecmat,
einsum, diagonal, trace, the ``raptors.linalg`` namespace) against NumPy, plus their awaitable
twins. Matrices stay small: the point is semantics (shapes, dtypes, strides, broadcasting,
errors), not speed."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
import raptors as rp
from conftest import (
    ALL_DTYPES,
    FLOAT_DTYPES,
    INT_DTYPES,
    PY_SCALAR_TYPE,
    from_np,
    raises_like,
    sample,
    to_np,
)
from hypothesis import given
from hypothesis import strategies as st

RTOL = {"float16": 1e-2, "float32": 1e-5, "float64": 1e-12}


def check(got, expected, *, inputs=()):
    """``got`` equals NumPy's ``expected``: an array (shape, dtype, values) or, for NumPy
    scalars, the Python scalar of the same kind. Integers and bools compare exactly; floats
    within a tolerance scaled by the magnitude of the products (``inputs``)."""
    if isinstance(expected, np.ndarray):
        assert isinstance(got, rp.ndarray), f"expected an array, got {type(got).__name__}"
        assert got.shape == expected.shape, f"shape {got.shape} != numpy {expected.shape}"
        assert got.dtype.name == expected.dtype.name, f"{got.dtype.name} != {expected.dtype}"
        g = to_np(got)
    else:
        expected = np.asarray(expected)
        py_type = PY_SCALAR_TYPE[expected.dtype.name]
        assert type(got) is py_type, f"{got!r} is not a {py_type.__name__}"
        g = np.asarray(got, dtype=expected.dtype)
    if expected.dtype.kind == "f":
        rtol = RTOL[expected.dtype.name]
        scale = max(
            [1.0] + [float(np.max(np.abs(x.astype(np.float64)), initial=1.0)) for x in inputs]
        )
        atol = rtol * scale * scale * 4
        np.testing.assert_allclose(
            g.astype(np.float64), expected.astype(np.float64), rtol=rtol, atol=atol
        )
    else:
        np.testing.assert_array_equal(g, expected, strict=True)


def vals(dtype, shape, seed=0):
    """Distinct-ish values of ``dtype`` (negatives, fractions where the dtype has them)."""
    n = int(np.prod(shape))
    if dtype == "bool":
        return ((np.arange(n) * 7 + seed) % 3 == 0).reshape(shape)
    v = (np.arange(n) * 7 + seed * 13) % 23
    if dtype.startswith("int") or dtype.startswith("float"):
        v = v - 11
    if dtype.startswith("float"):
        v = v / 4
    return v.astype(dtype).reshape(shape)


def both(name, *arrays, **kwargs):
    """``(raptors result, numpy result)`` of function ``name`` on the same inputs."""
    expected = getattr(np, name)(*arrays, **kwargs)
    got = getattr(rp, name)(
        *[from_np(a) if isinstance(a, np.ndarray) else a for a in arrays], **kwargs
    )
    return got, expected


# -- matmul -----------------------------------------------------------------------------------

SHAPES_2D = [
    (1, 1, 1),
    (2, 3, 4),
    (7, 13, 5),
    (5, 17, 3),
    (1, 9, 1),
    (9, 1, 7),
    (6, 8, 16),
    (7, 9, 11),
    (13, 7, 19),
    (1, 31, 2),
    (33, 2, 1),
]


@pytest.mark.parametrize("dtype", ["int64", "float64", "float32"])
@pytest.mark.parametrize(("m", "k", "n"), SHAPES_2D)
def test_matmul_2d_shapes(m, k, n, dtype):
    a, b = vals(dtype, (m, k)), vals(dtype, (k, n), seed=1)
    got, expected = both("matmul", a, b)
    check(got, expected, inputs=(a, b))
    check(from_np(a) @ from_np(b), a @ b, inputs=(a, b))


@pytest.mark.parametrize(
    ("sa", "sb"),
    [
        ((3,), (3,)),
        ((3,), (3, 4)),
        ((4, 3), (3,)),
        ((3,), (2, 3, 4)),
        ((2, 4, 3), (3,)),
        ((1,), (1,)),
        ((5,), (1, 5, 1)),
    ],
)
def test_matmul_vectors(sa, sb):
    a, b = vals("float64", sa), vals("float64", sb, seed=2)
    got, expected = both("matmul", a, b)
    check(got, expected, inputs=(a, b))


@pytest.mark.parametrize(
    ("sa", "sb"),
    [
        ((2, 1, 3, 4), (5, 4, 2)),
        ((1, 3, 4), (4, 2)),
        ((3, 4), (6, 4, 2)),
        ((2, 3, 4), (2, 4, 5)),
        ((4, 1, 2, 3), (1, 5, 3, 2)),
        ((10, 3, 4), (1, 4, 5)),
    ],
)
@pytest.mark.parametrize("dtype", ["int32", "float64"])
def test_matmul_broadcast_batches(sa, sb, dtype):
    a, b = vals(dtype, sa), vals(dtype, sb, seed=3)
    got, expected = both("matmul", a, b)
    check(got, expected, inputs=(a, b))


@pytest.mark.parametrize(
    ("sa", "sb"),
    [((0, 3), (3, 4)), ((3, 0), (0, 4)), ((2, 0, 3), (3, 4)), ((3, 4), (4, 0)), ((0,), (0,))],
)
def test_matmul_empty(sa, sb):
    a, b = np.ones(sa), np.ones(sb)
    got, expected = both("matmul", a, b)
    check(got, expected)


VIEWS = [
    ((8, 6), lambda x: x.T, (5, 8), lambda y: y.T),  # transposed operands
    ((6, 8), lambda x: x[::-1], (8, 5), lambda y: y[:, ::-1]),  # negative strides
    ((6, 8), lambda x: x[:, ::2], (8, 5), lambda y: y[::2]),  # non-contiguous
    ((6, 9), lambda x: x[::-2, ::-3], (3, 5), lambda y: y[::-1, ::-1]),
    ((6, 8), lambda x: x[1:4].T, (3, 5), lambda y: y[:, 1:]),
    ((3, 4, 5), lambda x: x.mT, (3, 4, 5), lambda y: y),
    ((2, 3, 4), lambda x: x[::-1, :, ::-1], (4, 2), lambda y: y[::-1]),
]


@pytest.mark.parametrize(("sa", "fa", "sb", "fb"), VIEWS)
@pytest.mark.parametrize("dtype", ["int64", "float32"])
def test_matmul_views(sa, fa, sb, fb, dtype):
    na, nb = vals(dtype, sa), vals(dtype, sb, seed=4)
    va, vb = fa(na), fb(nb)
    check(fa(from_np(na)) @ fb(from_np(nb)), va @ vb, inputs=(na, nb))
    check(rp.dot(fa(from_np(na)), fb(from_np(nb))), np.dot(va, vb), inputs=(na, nb))
    check(
        rp.einsum("...ij,...jk", fa(from_np(na)), fb(from_np(nb))),
        np.einsum("...ij,...jk", va, vb),
        inputs=(na, nb),
    )


def test_matmul_broadcast_views():
    a3 = vals("int64", (3, 4, 5))
    b = vals("int64", (5, 2))
    bb = rp.broadcast_to(from_np(b), (3, 5, 2))  # zero batch stride
    check(from_np(a3) @ bb, a3 @ np.broadcast_to(b, (3, 5, 2)))
    col = rp.broadcast_to(from_np(vals("int64", (5, 1))), (5, 4))  # zero column stride
    check(from_np(a3) @ col, a3 @ np.broadcast_to(vals("int64", (5, 1)), (5, 4)))


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_matmul_all_dtypes(dtype):
    a, b = vals(dtype, (7, 13)), vals(dtype, (13, 5), seed=5)
    got, expected = both("matmul", a, b)
    check(got, expected, inputs=(a, b))
    a3, b3 = vals(dtype, (2, 3, 4)), vals(dtype, (4, 2), seed=6)
    got, expected = both("matmul", a3, b3)
    check(got, expected, inputs=(a3, b3))
    v = vals(dtype, (13,), seed=7)
    got, expected = both("matmul", v, v)
    check(got, expected, inputs=(v,))


@pytest.mark.parametrize(
    ("dtype", "lo", "hi"),
    [
        ("int8", 90, 127),
        ("uint8", 200, 255),
        ("int16", 20000, 32767),
        ("uint16", 60000, 65535),
        ("int32", 2**30, 2**31 - 1),
        ("uint32", 2**31, 2**32 - 1),
        ("int64", 2**61, 2**63 - 1),
        ("uint64", 2**62, 2**64 - 1),
    ],
)
def test_integer_products_wrap_like_numpy(dtype, lo, hi):
    rng = np.random.default_rng(0)
    a = rng.integers(lo, hi, size=(4, 9), dtype=dtype, endpoint=True)
    b = rng.integers(lo, hi, size=(9, 3), dtype=dtype, endpoint=True)
    if dtype.startswith("int"):
        a[::2] = -a[::2]
    with np.errstate(over="ignore"):
        expected = a @ b
        check(from_np(a) @ from_np(b), expected)
        check(rp.dot(from_np(a[0]), from_np(a[1])), np.dot(a[0], a[1]))
        check(rp.einsum("ij,jk->ik", from_np(a), from_np(b)), np.einsum("ij,jk->ik", a, b))


MIXED = [
    ("int8", "uint8"),
    ("int32", "float32"),
    ("bool", "int8"),
    ("float16", "int16"),
    ("uint64", "int64"),
    ("int64", "float16"),
    ("uint8", "float16"),
    ("bool", "float32"),
    ("uint16", "int32"),
]


@pytest.mark.parametrize(("da", "db"), MIXED)
def test_mixed_dtypes_promote(da, db):
    a, b = vals(da, (3, 4)), vals(db, (4, 2), seed=8)
    for name in ["matmul", "dot"]:
        got, expected = both(name, a, b)
        check(got, expected, inputs=(a, b))
        got, expected = both(name, b.T, a.T)
        check(got, expected, inputs=(a, b))
    got, expected = both("vecdot", a, b.T[:1])
    check(got, expected, inputs=(a, b))


def test_matmul_errors():
    a, b = np.ones((2, 3)), np.ones((2, 3))
    raises_like(lambda: rp.matmul(from_np(a), from_np(b)), lambda: np.matmul(a, b))
    raises_like(lambda: from_np(a) @ from_np(b), lambda: a @ b)
    raises_like(
        lambda: rp.matmul(rp.ones(3), rp.ones(2)), lambda: np.matmul(np.ones(3), np.ones(2))
    )
    raises_like(lambda: from_np(a) @ 2.0, lambda: a @ 2.0)
    raises_like(lambda: rp.matmul(3, from_np(a)), lambda: np.matmul(3, a))
    raises_like(lambda: rp.matmul(3, 4), lambda: np.matmul(3, 4))
    x, y = np.ones((2, 2, 3)), np.ones((3, 3, 4))
    raises_like(lambda: rp.matmul(from_np(x), from_np(y)), lambda: np.matmul(x, y))
    x, y = np.ones((7, 2, 5, 3)), np.ones((3, 3, 4))
    raises_like(lambda: rp.matmul(from_np(x), from_np(y)), lambda: np.matmul(x, y))
    # non-arrays: NumPy raises a TypeError subclass
    raises_like(lambda: rp.matmul(from_np(a), "ab"), lambda: np.matmul(a, "ab"), message=None)
    with pytest.raises(TypeError):
        from_np(a) @ "ab"
    with pytest.raises(TypeError):
        from_np(a) @ None


def test_matmul_out():
    a, b = vals("float64", (3, 4)), vals("float64", (4, 2), seed=1)
    ra, rb = from_np(a), from_np(b)
    out = rp.zeros((3, 2))
    assert rp.matmul(ra, rb, out=out) is out
    check(out, a @ b)
    out32 = rp.zeros((3, 2), dtype=rp.float32)
    rp.matmul(ra, rb, out=out32)
    check(out32, np.matmul(a, b, out=np.zeros((3, 2), np.float32)))
    # out takes part in broadcasting: the result is repeated along its extra loop axes
    big = rp.zeros((5, 3, 2))
    rp.matmul(ra, rb, out=big)
    check(big, np.matmul(a, b, out=np.zeros((5, 3, 2))))
    # a strided out is written through its strides
    holder = rp.zeros((2, 3, 4))
    rp.matmul(ra, rb, out=holder[1, :, ::2])
    nholder = np.zeros((2, 3, 4))
    np.matmul(a, b, out=nholder[1, :, ::2])
    check(holder, nholder)
    for shape, dtype in [
        ((3, 3), "float64"),
        ((2,), "float64"),
        ((3,), "float64"),
        ((1,), "float64"),
        ((3, 2), "int64"),
        ((3, 2), "bool"),
    ]:
        o_np, o_rp = np.zeros(shape, dtype), rp.zeros(shape, dtype=dtype)
        raises_like(lambda o=o_rp: rp.matmul(ra, rb, out=o), lambda o=o_np: np.matmul(a, b, out=o))
    v = np.ones(3)
    raises_like(
        lambda: rp.matmul(rp.ones(3), rp.ones((3, 2)), out=rp.zeros(3)),
        lambda: np.matmul(v, np.ones((3, 2)), out=np.zeros(3)),
    )
    # out overlapping an input: computed into a temporary first
    sq = vals("int64", (4, 4))
    rsq = from_np(sq)
    rp.matmul(rsq, rsq, out=rsq)
    check(rsq, sq @ sq)


def test_imatmul():
    a, b = vals("float64", (3, 3)), vals("float64", (3, 3), seed=2)
    ra = from_np(a)
    ra_id = id(ra)
    ra @= from_np(b)
    assert id(ra) == ra_id
    check(ra, a @ b)
    x = from_np(a)
    x @= x
    check(x, a @ a)
    for sa, sb, da in [
        ((2, 3), (3, 3), "float64"),
        ((3,), (3, 3), "float64"),
        ((2, 3, 3), (3, 3), "float64"),
        ((1, 3), (3, 3), "float64"),
        ((2, 3), (3, 2), "float64"),
        ((3, 3), (2, 3, 3), "float64"),
        ((3, 3), (3,), "float64"),
        ((3,), (3,), "float64"),
        ((3, 3), (3, 3), "int64"),
    ]:
        na, nb = vals(da, sa), vals("float64", sb, seed=3)

        def np_f(na=na, nb=nb):
            y = na.copy()
            y @= nb
            return y

        def rp_f(na=na, nb=nb):
            y = from_np(na)
            y @= from_np(nb)
            return y

        try:
            expected = np_f()
        except Exception:
            raises_like(rp_f, np_f)
        else:
            check(rp_f(), expected)
    ro = rp.broadcast_to(rp.ones(3), (3, 3))
    with pytest.raises(ValueError, match="read-only"):
        ro @= rp.ones((3, 3))


def test_matmul_returns_scalars_for_vectors():
    v = rp.arange(4, dtype=rp.int32)
    assert rp.matmul(v, v) == 14 and type(rp.matmul(v, v)) is int
    assert type(rp.arange(3.0) @ rp.arange(3.0)) is float
    assert (rp.ones(2, dtype=rp.bool) @ rp.ones(2, dtype=rp.bool)) is True


def test_rmatmul_with_lists():
    a = vals("int64", (3, 2))
    check([[1, 2, 3]] @ from_np(a), np.array([[1, 2, 3]]) @ a)
    check(from_np(a) @ [1, 2], a @ [1, 2])


# -- dot, vdot, inner, outer --------------------------------------------------------------------

DOT_SHAPES = [
    ((), ()),
    ((), (3,)),
    ((2, 3), ()),
    ((5,), (5,)),
    ((2, 3), (3,)),
    ((3,), (3, 4)),
    ((2, 3), (3, 4)),
    ((2, 3, 4), (4,)),
    ((2, 3, 4), (5, 4, 2)),
    ((4,), (2, 4, 3)),
    ((2, 1, 3), (2, 3, 2)),
    ((0, 3), (3, 2)),
    ((2, 0), (0, 2)),
]


@pytest.mark.parametrize(("sa", "sb"), DOT_SHAPES)
@pytest.mark.parametrize("dtype", ["int16", "float64", "bool"])
def test_dot(sa, sb, dtype):
    a, b = vals(dtype, sa), vals(dtype, sb, seed=1)
    got, expected = both("dot", a, b)
    check(got, expected, inputs=(a, b))
    if a.ndim:
        check(from_np(a).dot(from_np(b)), a.dot(b), inputs=(a, b))


def test_dot_errors_and_out():
    a = np.ones((2, 3))
    raises_like(lambda: rp.dot(from_np(a), from_np(a)), lambda: np.dot(a, a))
    raises_like(lambda: rp.dot(rp.ones(3), rp.ones(2)), lambda: np.dot(np.ones(3), np.ones(2)))
    x, y = np.ones((2, 3, 4)), np.ones((2, 5))
    raises_like(lambda: rp.dot(from_np(x), from_np(y)), lambda: np.dot(x, y))
    b = vals("float64", (3, 2))
    out = rp.zeros((2, 2))
    assert rp.dot(from_np(a), from_np(b), out=out) is out
    check(out, a @ b)
    for o_rp, o_np in [
        (rp.zeros((2, 2), dtype=rp.float32), np.zeros((2, 2), np.float32)),
        (rp.zeros((2, 3)), np.zeros((2, 3))),
        (rp.zeros((2, 2)).T, np.zeros((2, 2)).T),
        (rp.zeros((4,)), np.zeros(4)),
    ]:
        raises_like(
            lambda o=o_rp: rp.dot(from_np(a), from_np(b), out=o), lambda o=o_np: np.dot(a, b, out=o)
        )
    out0 = rp.zeros((2, 3))
    rp.dot(from_np(a), 2.0, out=out0)
    check(out0, np.dot(a, 2.0))
    raises_like(lambda: rp.dot(from_np(a), "x"), lambda: np.dot(a, "x"), message=None)


@pytest.mark.parametrize(
    ("sa", "sb"), [((6,), (6,)), ((2, 3), (6,)), ((2, 3), (3, 2)), ((1,), ()), ((0,), (0, 1))]
)
@pytest.mark.parametrize("dtype", ["int8", "float32", "bool"])
def test_vdot(sa, sb, dtype):
    a, b = vals(dtype, sa), vals(dtype, sb, seed=2)
    got, expected = both("vdot", a, b)
    check(got, expected, inputs=(a, b))


def test_vdot_size_mismatch():
    raises_like(
        lambda: rp.vdot(rp.ones(5), rp.ones((2, 3))), lambda: np.vdot(np.ones(5), np.ones((2, 3)))
    )


@pytest.mark.parametrize(
    ("sa", "sb"),
    [((), ()), ((), (2, 3)), ((3,), (3,)), ((2, 3), (4, 3)), ((2, 3), (3,)), ((2, 2, 3), (5, 3))],
)
@pytest.mark.parametrize("dtype", ["uint16", "float64", "bool"])
def test_inner(sa, sb, dtype):
    a, b = vals(dtype, sa), vals(dtype, sb, seed=3)
    got, expected = both("inner", a, b)
    check(got, expected, inputs=(a, b))


def test_inner_mismatch():
    a = np.ones((2, 3))
    raises_like(lambda: rp.inner(from_np(a), rp.ones(5)), lambda: np.inner(a, np.ones(5)))


@pytest.mark.parametrize(("sa", "sb"), [((3,), (4,)), ((2, 3), (5,)), ((), (2,)), ((0,), (3,))])
@pytest.mark.parametrize(("da", "db"), [("int8", "int8"), ("bool", "bool"), ("float16", "uint8")])
def test_outer(sa, sb, da, db):
    a, b = vals(da, sa), vals(db, sb, seed=4)
    got, expected = both("outer", a, b)
    check(got, expected, inputs=(a, b))


def test_outer_wraps_and_out():
    z = np.array([-1.0, 0.0, np.inf])
    got = to_np(rp.outer(from_np(z), from_np(z)))
    with np.errstate(invalid="ignore"):  # inf * 0
        expected = np.outer(z, z)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(np.signbit(got), np.signbit(expected))
    a = np.array([100, -100, 7], dtype=np.int8)
    check(rp.outer(from_np(a), from_np(a)), np.outer(a, a))
    out = rp.zeros((3, 3), dtype=rp.int16)
    rp.outer(from_np(a), from_np(a), out=out)
    check(out, np.outer(a, a, out=np.zeros((3, 3), np.int16)))


# -- tensordot ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sa", "sb", "axes"),
    [
        ((2, 3, 4), (3, 4, 5), 2),
        ((2, 3, 4), (4, 5), 1),
        ((2, 3), (4, 5), 0),
        ((2, 3, 4), (4, 3, 5), ([1, 2], [1, 0])),
        ((2, 3, 4), (4, 3, 5), (1, 1)),
        ((2, 3, 4), (4, 3, 5), ([-1], [0])),
        ((3, 4, 5), (4, 3), ([1, 0], [0, 1])),
        ((3,), (3,), 1),
        ((), (), 0),
        ((2, 3), (2, 3), -1),
        ((2, 0), (0, 3), 1),
    ],
)
@pytest.mark.parametrize("dtype", ["int64", "float32"])
def test_tensordot(sa, sb, axes, dtype):
    a, b = vals(dtype, sa), vals(dtype, sb, seed=5)
    got, expected = both("tensordot", a, b, axes=axes)
    assert isinstance(got, rp.ndarray)  # a 0-d array, as NumPy's
    check(got, expected, inputs=(a, b))


def test_tensordot_default_axes_and_errors():
    a, b = vals("float64", (2, 3, 4)), vals("float64", (3, 4, 5))
    check(rp.tensordot(from_np(a), from_np(b)), np.tensordot(a, b), inputs=(a, b))
    c = vals("float64", (4, 3, 5))
    for axes in [
        2,
        ([1, 1], [1, 0]),
        ([1], [1, 0]),
        ([1, -2], [0, 1]),
        ([5], [1]),
        4,
        (1, 2, 3),
        ([0],),
        1.5,
    ]:
        raises_like(
            lambda ax=axes: rp.tensordot(from_np(a), from_np(c), axes=ax),
            lambda ax=axes: np.tensordot(a, c, axes=ax),
        )
    d = vals("float64", (3, 3, 5))
    raises_like(
        lambda: rp.tensordot(from_np(a), from_np(d), axes=([1, -2], [0, 1])),
        lambda: np.tensordot(a, d, axes=([1, -2], [0, 1])),
    )


# -- vecdot, matvec, vecmat ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sa", "sb", "axis"),
    [
        ((3,), (3,), -1),
        ((2, 3), (3,), -1),
        ((2, 1, 3), (4, 3), -1),
        ((2, 3), (2, 3), 0),
        ((3, 2, 4), (3, 1, 1), 0),
        ((4, 0), (0,), -1),
        ((0, 4), (4,), -1),
    ],
)
@pytest.mark.parametrize("dtype", ["int8", "float64", "bool"])
def test_vecdot(sa, sb, axis, dtype):
    a, b = vals(dtype, sa), vals(dtype, sb, seed=6)
    got, expected = both("vecdot", a, b, axis=axis)
    check(got, expected, inputs=(a, b))


def test_vecdot_errors_and_out():
    for sa, sb, axis in [((2, 3), (4, 3), -1), ((2, 3), (3, 2), 0), ((2, 3), (2, 2), -1)]:
        a, b = np.ones(sa), np.ones(sb)
        raises_like(
            lambda a=a, b=b, ax=axis: rp.vecdot(from_np(a), from_np(b), axis=ax),
            lambda a=a, b=b, ax=axis: np.vecdot(a, b, axis=ax),
        )
    raises_like(lambda: rp.vecdot(2, 3), lambda: np.vecdot(2, 3))
    for axis in [5, -3]:
        raises_like(
            lambda ax=axis: rp.vecdot(rp.ones((2, 3)), rp.ones((2, 3)), axis=ax),
            lambda ax=axis: np.vecdot(np.ones((2, 3)), np.ones((2, 3)), axis=ax),
        )
    a = vals("float64", (4, 3))
    out = rp.zeros(4, dtype=rp.float32)
    assert rp.vecdot(from_np(a), from_np(a), out=out) is out
    check(out, np.vecdot(a, a, out=np.zeros(4, np.float32)))


@pytest.mark.parametrize(
    ("sa", "sx"), [((2, 3), (3,)), ((5, 2, 3), (3,)), ((2, 3), (4, 3)), ((2, 1, 4, 3), (5, 3))]
)
@pytest.mark.parametrize("dtype", ["int32", "float64"])
def test_matvec(sa, sx, dtype):
    m, x = vals(dtype, sa), vals(dtype, sx, seed=7)
    got, expected = both("matvec", m, x)
    check(got, expected, inputs=(m, x))


@pytest.mark.parametrize(("m", "k"), [(3, 2049), (4, 2048), (7, 3000), (66, 1024), (5, 4100)])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_matvec_long_rows(m, k, dtype):
    """Long rows take the grouped path (four rows per load of x, plus leftover rows), also
    when rows are a slice of a wider matrix."""
    big, x = vals(dtype, (m, k + 5)), vals(dtype, (k,), seed=9)
    a = big[:, 5:]
    ra, rx = from_np(big)[:, 5:], from_np(x)  # rows of a wider matrix: row stride k + 5
    expected = np.matvec(a, x)
    for got in (rp.matvec(from_np(a), rx), rp.matvec(ra, rx), rp.matmul(ra, rx), ra @ rx):
        check(got, expected, inputs=(a, x))


@pytest.mark.parametrize("k", [1, 7, 8, 9, 31, 32, 33, 40, 100, 384, 1001])
@pytest.mark.parametrize("m", [1, 5, 64])
def test_matvec_float16_rows(m, k):
    """Float16 rows are converted straight into the multiply-adds (32 values per step, then
    8, then one by one): every tail length, also for rows of a wider matrix."""
    big, x = vals("float16", (m, k + 3)), vals("float16", (k,), seed=5)
    a = big[:, 3:]
    expected = np.matvec(a, x)
    ra, rx = from_np(big)[:, 3:], from_np(x)
    for got in (rp.matvec(from_np(a), rx), ra @ rx, rp.matmul(ra, rx)):
        check(got, expected, inputs=(a, x))


@pytest.mark.parametrize(
    ("sx", "sa"), [((2,), (2, 3)), ((2,), (5, 2, 3)), ((4, 2), (2, 3)), ((5, 1, 2), (3, 2, 4))]
)
@pytest.mark.parametrize("dtype", ["uint8", "float32"])
def test_vecmat(sx, sa, dtype):
    x, m = vals(dtype, sx), vals(dtype, sa, seed=8)
    got, expected = both("vecmat", x, m)
    check(got, expected, inputs=(x, m))


def test_matvec_vecmat_errors():
    o = np.ones
    for name, a, b in [
        ("matvec", o(3), o(3)),
        ("matvec", o((2, 3)), o(2)),
        ("matvec", o((2, 2, 3)), o((4, 3))),
        ("vecmat", o(2), o(3)),
        ("vecmat", o(3), o((2, 3))),
        ("vecmat", o((2, 3)), o((4, 3, 5))),
    ]:
        raises_like(
            lambda n=name, a=a, b=b: getattr(rp, n)(from_np(a), from_np(b)),
            lambda n=name, a=a, b=b: getattr(np, n)(a, b),
        )


# -- einsum ---------------------------------------------------------------------------------------

EINSUM_CASES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(7, 13), (13, 5)]),
    ("bij,bjk->bik", [(3, 2, 4), (3, 4, 5)]),
    ("ij,j->i", [(3, 4), (4,)]),
    ("i,i->", [(5,), (5,)]),
    ("i,i", [(5,), (5,)]),
    ("i,j->ij", [(3,), (4,)]),
    ("ij->ji", [(2, 3)]),
    ("ij", [(2, 3)]),
    ("ji", [(2, 3)]),
    ("ii->i", [(4, 4)]),
    ("ii->", [(4, 4)]),
    ("ii", [(4, 4)]),
    ("ij->", [(2, 3)]),
    ("ij->i", [(2, 3)]),
    ("ij->j", [(2, 3)]),
    ("...ij,...jk->...ik", [(5, 2, 3), (3, 4)]),
    ("...ij,...jk", [(2, 1, 2, 3), (4, 3, 2)]),
    ("i...,i...", [(5, 2, 3), (5, 3)]),
    ("...i,...i->...", [(2, 1, 3), (4, 3)]),
    ("ij,ij->ij", [(2, 3), (2, 3)]),
    ("ij,ij->", [(2, 3), (1, 3)]),
    ("ij,kl->ijkl", [(2, 3), (2, 2)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("ijk,kji->", [(2, 3, 4), (4, 3, 2)]),
    ("ijk,jil->kl", [(3, 2, 4), (2, 3, 5)]),
    ("iij->ij", [(3, 3, 2)]),
    ("ijj,jk->ik", [(2, 3, 3), (3, 4)]),
    ("ii,ii->i", [(3, 3), (3, 3)]),
    ("ij,k->ik", [(2, 3), (4,)]),
    ("ab,cb->ca", [(3, 5), (2, 5)]),
    ("abk,kc->acb", [(2, 3, 4), (4, 5)]),
    ("AZaz->zaZA", [(1, 2, 3, 4)]),
    (" i j , j k -> i k ", [(2, 3), (3, 2)]),
    (",->", [(), ()]),
    ("i,", [(3,), ()]),
    ("i,i", [(3,), (1,)]),
    ("ij,jk->ik", [(0, 3), (3, 2)]),
    ("ij,jk->ik", [(2, 0), (0, 2)]),
]


@pytest.mark.parametrize(("spec", "shapes"), EINSUM_CASES)
@pytest.mark.parametrize("dtype", ["int16", "float64"])
def test_einsum(spec, shapes, dtype):
    arrays = [vals(dtype, s, seed=i) for i, s in enumerate(shapes)]
    got, expected = both("einsum", spec, *arrays)
    check(got, expected, inputs=arrays)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_einsum_dtypes(dtype):
    a, b = vals(dtype, (3, 4)), vals(dtype, (4, 5), seed=1)
    for spec, ops in [
        ("ij,jk->ik", (a, b)),
        ("ij->i", (a,)),
        ("ij,ij->", (a, a)),
        ("ii", (a[:3, :3],)),
    ]:
        got, expected = both("einsum", spec, *ops)
        check(got, expected, inputs=ops)


def test_einsum_views_mixed_dtypes_and_strides():
    a = vals("float64", (4, 6))
    ra = from_np(a)
    t = rp.einsum("ij->ji", ra)
    assert t.data_ptr == ra.data_ptr  # a view, as NumPy's
    check(t, np.einsum("ij->ji", a))
    check(rp.einsum("ij,jk", ra[::-1, ::2], ra.T[::2]), np.einsum("ij,jk", a[::-1, ::2], a.T[::2]))
    x, y = vals("int8", (3, 4)), vals("uint8", (4, 2))
    got, expected = both("einsum", "ij,jk", x, y)
    check(got, expected)
    got, expected = both("einsum", "ij,jk", x, vals("float32", (4, 2)))
    check(got, expected, inputs=(x,))


def test_einsum_interleaved_dtype_out_casting():
    a, b = vals("float64", (2, 3)), vals("float64", (3, 4), seed=1)
    check(
        rp.einsum(from_np(a), [0, 1], from_np(b), [1, 2], [0, 2]),
        np.einsum(a, [0, 1], b, [1, 2], [0, 2]),
    )
    check(rp.einsum(from_np(a), [0, ...], [...]), np.einsum(a, [0, ...], [...]))
    i8 = np.full((2, 3), 100, np.int8)
    got = rp.einsum("ij->i", from_np(i8), dtype="int16")
    check(got, np.einsum("ij->i", i8, dtype=np.int16))
    out = rp.zeros((2, 4), dtype=rp.float32)
    assert rp.einsum("ij,jk->ik", from_np(a), from_np(b), out=out, casting="same_kind") is out
    check(out, np.einsum("ij,jk->ik", a, b, out=np.zeros((2, 4), np.float32), casting="same_kind"))
    raises_like(
        lambda: rp.einsum(
            "ij,jk->ik", from_np(a), from_np(b), out=rp.zeros((2, 4), dtype=rp.float32)
        ),
        lambda: np.einsum("ij,jk->ik", a, b, out=np.zeros((2, 4), np.float32)),
    )
    raises_like(
        lambda: rp.einsum("ij->i", from_np(a), dtype=rp.float32),
        lambda: np.einsum("ij->i", a, dtype=np.float32),
    )
    raises_like(
        lambda: rp.einsum("ij->i", from_np(a), out=rp.zeros((1, 2))),
        lambda: np.einsum("ij->i", a, out=np.zeros((1, 2))),
    )
    out2 = rp.zeros(())
    rp.einsum("i,i", rp.ones(3), rp.ones(3), out=out2)
    assert float(out2) == 3.0
    assert rp.einsum("ij,jk", from_np(a), from_np(b), optimize="greedy").shape == (2, 4)


EINSUM_ERRORS = [
    ("ij,jk", [(2, 3)]),
    ("ij", [(2, 3), (2,)]),
    ("ij,,jk", [(2, 3), (3, 4)]),
    ("ij->iz", [(2, 3)]),
    ("ij->jj", [(2, 3)]),
    ("i1", [(2, 3)]),
    ("ij->j->i", [(2, 3)]),
    ("ij,jk>ik", [(2, 3), (3, 4)]),
    ("i.j", [(2, 3)]),
    ("......", [(2, 3)]),
    ("ijk", [(2, 3)]),
    ("i", [(2, 3)]),
    ("i->i", [()]),
    ("...ij->ij", [(4, 2, 3)]),
    ("ii->i", [(2, 3)]),
    ("", [(), ()]),
]


@pytest.mark.parametrize(("spec", "shapes"), EINSUM_ERRORS)
def test_einsum_errors(spec, shapes):
    arrays = [np.ones(s) for s in shapes]
    raises_like(
        lambda: rp.einsum(spec, *[from_np(a) for a in arrays]), lambda: np.einsum(spec, *arrays)
    )


@pytest.mark.parametrize(
    ("spec", "shapes"),
    [("ij,jk->ik", [(2, 3), (4, 4)]), ("i,i", [(3,), (4,)]), ("...i,...i", [(2, 2, 3), (4, 3)])],
)
def test_einsum_broadcast_errors(spec, shapes):
    arrays = [np.ones(s) for s in shapes]
    raises_like(
        lambda: rp.einsum(spec, *[from_np(a) for a in arrays]),
        lambda: np.einsum(spec, *arrays),
        message=None,
    )


def test_einsum_interleaved_errors():
    a = np.ones((2, 3))
    raises_like(lambda: rp.einsum(from_np(a), [0, 52]), lambda: np.einsum(a, [0, 52]))
    raises_like(lambda: rp.einsum(from_np(a), [0, "a"]), lambda: np.einsum(a, [0, "a"]))


# -- diagonal, trace, linalg namespace -----------------------------------------------------------


@pytest.mark.parametrize("offset", [0, 1, -1, 2, -3, 5])
@pytest.mark.parametrize(
    ("shape", "axes"), [((3, 4), (0, 1)), ((2, 3, 4), (2, 1)), ((4, 2, 3), (0, -1))]
)
def test_diagonal_and_trace(shape, axes, offset):
    a = vals("int8", shape)
    d = rp.diagonal(from_np(a), offset, *axes)
    expected = np.diagonal(a, offset, *axes)
    check(d, expected)
    assert not d.writeable
    check(from_np(a).diagonal(offset, *axes), expected)
    check(rp.trace(from_np(a), offset, *axes), np.trace(a, offset, *axes))
    check(from_np(a).trace(offset, *axes, dtype=rp.int8), a.trace(offset, *axes, dtype=np.int8))


def test_diagonal_errors():
    raises_like(lambda: rp.diagonal(rp.ones(3)), lambda: np.diagonal(np.ones(3)))
    raises_like(
        lambda: rp.diagonal(rp.ones((2, 2)), 0, 1, 1), lambda: np.diagonal(np.ones((2, 2)), 0, 1, 1)
    )


def test_linalg_namespace():
    a, b = vals("float64", (2, 3, 4)), vals("float64", (4, 5), seed=1)
    ra, rb = from_np(a), from_np(b)
    check(rp.linalg.matmul(ra, rb), np.linalg.matmul(a, b), inputs=(a, b))
    check(rp.linalg.matrix_transpose(ra), np.linalg.matrix_transpose(a))
    check(rp.matrix_transpose(ra), np.matrix_transpose(a))
    check(rp.linalg.tensordot(ra, rb, axes=1), np.linalg.tensordot(a, b, axes=1), inputs=(a, b))
    check(rp.linalg.vecdot(ra, ra, axis=1), np.linalg.vecdot(a, a, axis=1), inputs=(a,))
    v = vals("int32", (4,))
    check(rp.linalg.outer(from_np(v), from_np(v)), np.linalg.outer(v, v))
    sq = vals("int16", (2, 4, 4))
    check(rp.linalg.diagonal(from_np(sq), offset=1), np.linalg.diagonal(sq, offset=1))
    check(rp.linalg.trace(from_np(sq), offset=-1), np.linalg.trace(sq, offset=-1))
    raises_like(lambda: rp.linalg.outer(ra, rb), lambda: np.linalg.outer(a, b))
    raises_like(
        lambda: rp.linalg.matrix_transpose(from_np(v)), lambda: np.linalg.matrix_transpose(v)
    )
    xp = ra.__array_namespace__()
    assert xp.linalg.vecdot is rp.linalg.vecdot


# -- awaitable twins ------------------------------------------------------------------------------


def run(coro):
    return asyncio.run(coro)


@pytest.mark.parametrize("n", [3, 70])  # inline, and a pool job
def test_async_twins_match_sync(n):
    a, b = vals("float64", (n, n)), vals("float64", (n, n), seed=1)
    ra, rb = from_np(a), from_np(b)
    v = from_np(vals("float64", (n,), seed=2))
    pairs = [
        (rp.matmul_async(ra, rb), rp.matmul(ra, rb)),
        (ra.matmul_async(rb), ra @ rb),
        (rp.dot_async(ra, v), rp.dot(ra, v)),
        (ra.dot_async(rb), ra.dot(rb)),
        (rp.vdot_async(ra, rb), rp.vdot(ra, rb)),
        (rp.inner_async(v, v), rp.inner(v, v)),
        (rp.outer_async(v, v), rp.outer(v, v)),
        (rp.tensordot_async(ra, rb, axes=1), rp.tensordot(ra, rb, axes=1)),
        (rp.vecdot_async(ra, rb, axis=0), rp.vecdot(ra, rb, axis=0)),
        (rp.matvec_async(ra, v), rp.matvec(ra, v)),
        (rp.vecmat_async(v, ra), rp.vecmat(v, ra)),
        (rp.einsum_async("ij,jk->ki", ra, rb), rp.einsum("ij,jk->ki", ra, rb)),
        (rp.einsum_async("ii", ra), rp.einsum("ii", ra)),
    ]

    async def main():
        return await asyncio.gather(*(c for c, _ in pairs))

    results = run(main())
    for got, (_, sync) in zip(results, pairs, strict=True):
        if isinstance(sync, rp.ndarray):
            assert isinstance(got, rp.ndarray) and got.dtype == sync.dtype
            np.testing.assert_array_equal(to_np(got), to_np(sync))
        else:
            assert type(got) is type(sync) and got == sync


def test_async_out_errors_and_timeout():
    a = from_np(vals("float64", (4, 4)))
    out = rp.zeros((4, 4))

    async def main():
        r = await rp.matmul_async(a, a, out=out)
        assert r is out
        with pytest.raises(ValueError, match="mismatch in its core dimension"):
            await rp.matmul_async(a, rp.ones((3, 2)))
        with pytest.raises(ValueError, match="einstein sum"):
            await rp.einsum_async("ij->k", a)
        with pytest.raises(ValueError, match="timeout"):
            await rp.dot_async(a, a, timeout=-1)
        return await rp.einsum_async("ij,jk", a, a, out=rp.zeros((4, 4)), timeout=10)

    r = run(main())
    np.testing.assert_array_equal(to_np(out), to_np(a @ a))
    np.testing.assert_array_equal(to_np(r), to_np(a @ a))


def test_async_job_borrows_its_inputs():
    a = rp.ones((200, 200))

    async def main():
        job = asyncio.ensure_future(rp.matmul_async(a, a))
        await asyncio.sleep(0)
        try:
            a[0, 0] = 2.0  # refused while the job reads `a`, fine once it has finished
        except BufferError:
            pass
        return await job

    r = run(main())
    assert r.shape == (200, 200)


# -- property test ------------------------------------------------------------------------------

dims = st.integers(0, 5)


@st.composite
def matmul_shapes(draw):
    m, k, n = draw(dims), draw(dims), draw(dims)
    batch = draw(st.lists(st.integers(1, 3), max_size=2))
    ba = [d if draw(st.booleans()) else 1 for d in batch]
    bb = [d if draw(st.booleans()) else 1 for d in batch]
    ba = ba[draw(st.integers(0, len(ba))) :]
    sa = (*ba, m, k) if draw(st.integers(0, 3)) else (k,)
    sb = (*bb, k, n) if draw(st.integers(0, 3)) else (k,)
    return sa, sb


@given(matmul_shapes(), st.sampled_from(["int64", "int8", "float64", "bool"]), st.data())
def test_matmul_property(shapes, dtype, data):
    sa, sb = shapes
    na = vals(dtype, sa, seed=data.draw(st.integers(0, 5)))
    nb = vals(dtype, sb, seed=data.draw(st.integers(0, 5)))
    ra, rb = from_np(na), from_np(nb)
    # the same views on both sides: a transposed core, a reversed last axis
    if na.ndim >= 2 and data.draw(st.booleans()):
        base = np.ascontiguousarray(na.swapaxes(-1, -2))
        na, ra = base.swapaxes(-1, -2), rp.swapaxes(from_np(base), -1, -2)
    if nb.ndim and data.draw(st.booleans()):
        base = np.ascontiguousarray(nb[..., ::-1])
        nb, rb = base[..., ::-1], from_np(base)[..., ::-1]
    expected = np.matmul(na, nb)
    check(rp.matmul(ra, rb), expected)
    if na.ndim >= 2 and nb.ndim >= 2:
        check(rp.einsum("...ij,...jk->...ik", ra, rb), np.einsum("...ij,...jk->...ik", na, nb))


@given(
    st.lists(st.integers(1, 4), min_size=1, max_size=3),
    st.lists(st.integers(1, 4), min_size=1, max_size=3),
    st.sampled_from(INT_DTYPES + FLOAT_DTYPES[1:]),
)
def test_dot_property(sa, sb, dtype):
    sb = [*sb[:-2], sa[-1], *sb[-1:]] if len(sb) >= 2 else [sa[-1]]
    a, b = vals(dtype, tuple(sa)), vals(dtype, tuple(sb), seed=1)
    with np.errstate(over="ignore"):
        got, expected = both("dot", a, b)
    check(got, expected, inputs=(a, b))


def test_sample_helper_is_shared():
    # conftest's sample() feeds the same values to both libraries
    n = sample("int16", (3, 4))
    check(from_np(n) @ from_np(n.T), n @ n.T)


SIZES = {"a": 2, "b": 3, "c": 1, "d": 4, "e": 2}


@st.composite
def einsum_problems(draw):
    """Two operands with random letters (repeats allowed), an explicit output, and operands
    laid out in memory in a random axis order (so the products see arbitrary strides)."""
    letters = st.sampled_from(sorted(SIZES))
    la = draw(st.lists(letters, min_size=0, max_size=4))
    lb = draw(st.lists(letters, min_size=0, max_size=4))
    pool = sorted(set(la) | set(lb))
    out = draw(st.permutations(pool))[: draw(st.integers(0, len(pool)))]
    operands = []
    for i, ls in enumerate((la, lb)):
        # a letter's axis is sometimes 1 long in one operand: it broadcasts
        shape = tuple(1 if draw(st.integers(0, 5)) == 0 else SIZES[c] for c in ls)
        for c in set(ls):  # repeated letters in one operand need equal lengths
            if ls.count(c) > 1:
                shape = tuple(SIZES[c] if x == c else d for x, d in zip(ls, shape, strict=True))
        perm = draw(st.permutations(range(len(ls))))
        base = vals("int64", tuple(shape[p] for p in perm), seed=i)
        inverse = np.argsort(perm) if ls else ()
        operands.append((base, inverse))
    return f"{''.join(la)},{''.join(lb)}->{''.join(out)}", operands


@given(einsum_problems(), st.booleans())
def test_einsum_property(problem, reverse):
    spec, operands = problem
    nps, rps = [], []
    for base, inverse in operands:
        n, r = base.transpose(inverse), rp.permute_dims(from_np(base), tuple(inverse))
        if reverse and n.ndim:
            n, r = n[::-1], r[::-1]
        nps.append(n)
        rps.append(r)
    try:
        expected = np.einsum(spec, *nps)
    except ValueError:
        with pytest.raises(ValueError):
            rp.einsum(spec, *rps)
        return
    check(rp.einsum(spec, *rps), expected)
