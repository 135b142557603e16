"""Joining, broadcasting and axis-shuffling functions."""

from __future__ import annotations

import numpy as np
import pytest
import raptors as rp
from conftest import (
    ALL_DTYPES,
    all_dtypes,
    assert_same,
    assert_strides,
    dtype_names,
    from_np,
    np_arrays,
    permutations_of,
    raises_like,
    rp_dtype,
    shapes,
    view_pairs,
)
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

# --------------------------------------------------------------------------------------------
# concatenate
# --------------------------------------------------------------------------------------------


@st.composite
def concat_cases(draw, *, same_dtype=False):
    """Arrays that differ only along ``axis`` (some given as non-contiguous views)."""
    base = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    axis = draw(st.integers(-len(base), len(base) - 1))
    count = draw(st.integers(1, 4))
    dtype = draw(dtype_names)
    # at most two distinct dtypes: promotion of three or more has its own explicit test
    other = dtype if same_dtype else draw(dtype_names)
    nps, rps = [], []
    for _ in range(count):
        shape = list(base)
        shape[axis] = draw(st.integers(0, 4))
        name = draw(st.sampled_from([dtype, other]))
        if draw(st.booleans()):
            # build a reversed, strided view with the wanted shape
            big = [2 * s for s in shape]
            n_big = draw(np_arrays(name, tuple(big)))
            idx = tuple(slice(None, None, -2) for _ in shape)
            nps.append(n_big[idx])
            rps.append(from_np(n_big)[idx])
        else:
            n = draw(np_arrays(name, tuple(shape)))
            nps.append(n)
            rps.append(from_np(n))
    return nps, rps, axis


@given(concat_cases())
def test_concatenate_hypothesis(case):
    nps, rps, axis = case
    expected = np.concatenate(nps, axis=axis)
    assert_same(rp.concatenate(rps, axis=axis), expected)
    assert_same(rp.concatenate(tuple(rps), axis), expected)
    assert_same(rp.concat(rps, axis=axis), expected)


@given(concat_cases())
def test_concatenate_axis_none(case):
    nps, rps, _ = case
    assert_same(rp.concatenate(rps, axis=None), np.concatenate(nps, axis=None))


@given(concat_cases(same_dtype=True), st.sampled_from(ALL_DTYPES))
def test_concatenate_dtype(case, dtype):
    nps, rps, axis = case
    try:
        with np.errstate(all="ignore"):
            expected = np.concatenate(nps, axis=axis, dtype=dtype)
    except TypeError as exc:
        with pytest.raises(TypeError) as info:
            rp.concatenate(rps, axis=axis, dtype=dtype)
        assert str(info.value) == str(exc)
        return
    assert_same(rp.concatenate(rps, axis=axis, dtype=dtype), expected)
    assert_same(rp.concatenate(rps, axis=axis, dtype=rp_dtype(dtype)), expected)


@given(concat_cases())
def test_concatenate_result_is_fresh(case):
    nps, rps, axis = case
    out = rp.concatenate(rps, axis=axis)
    assert out.c_contiguous
    assert out.writeable
    if out.size:
        out.fill(1)
        for n, r in zip(nps, rps, strict=True):
            assert_same(r, n)


@pytest.mark.parametrize(
    "arrays",
    [
        [[1, 2], [3]],
        [[1.5], [True, False]],
        [[[1, 2]], [[3, 4]]],
        [[], [1]],
        [[1, 2], []],
    ],
    ids=repr,
)
def test_concatenate_array_likes(arrays):
    assert_same(rp.concatenate(arrays), np.concatenate(arrays))


@pytest.mark.parametrize(
    "dtypes",
    [
        ("int8", "uint8", "float16"),
        ("uint8", "int8", "float16"),
        ("int8", "uint16", "float16"),
        ("bool", "int8", "uint8"),
    ],
    ids=repr,
)
def test_concatenate_promotes_all_dtypes_at_once(dtypes):
    nps = [np.ones(2, dtype=d) for d in dtypes]
    assert_same(rp.concatenate([from_np(n) for n in nps]), np.concatenate(nps))


def test_concatenate_promotion_examples():
    cases = [("int8", "uint8"), ("int64", "uint64"), ("bool", "float16"), ("uint16", "float16")]
    for a, b in cases:
        na, nb = np.ones(2, dtype=a), np.zeros(3, dtype=b)
        assert_same(rp.concatenate([from_np(na), from_np(nb)]), np.concatenate([na, nb]))


def test_concatenate_errors():
    raises_like(
        lambda: rp.concatenate([rp.zeros((2, 3)), rp.zeros((2, 4))]),
        lambda: np.concatenate([np.zeros((2, 3)), np.zeros((2, 4))]),
    )
    raises_like(
        lambda: rp.concatenate([rp.zeros((2, 3)), rp.zeros(3)]),
        lambda: np.concatenate([np.zeros((2, 3)), np.zeros(3)]),
    )
    raises_like(lambda: rp.concatenate([]), lambda: np.concatenate([]))
    raises_like(
        lambda: rp.concatenate([rp.zeros(3), rp.zeros(3)], axis=1),
        lambda: np.concatenate([np.zeros(3), np.zeros(3)], axis=1),
    )
    raises_like(
        lambda: rp.concatenate([rp.zeros(3), rp.zeros(3)], axis=-2),
        lambda: np.concatenate([np.zeros(3), np.zeros(3)], axis=-2),
    )
    raises_like(
        lambda: rp.concatenate([rp.array(1), rp.array(2)]),
        lambda: np.concatenate([np.array(1), np.array(2)]),
    )
    raises_like(
        lambda: rp.concatenate([rp.arange(3.0)], dtype="int64"),
        lambda: np.concatenate([np.arange(3.0)], dtype="int64"),
    )


# --------------------------------------------------------------------------------------------
# stack / hstack / vstack
# --------------------------------------------------------------------------------------------


@st.composite
def same_shape_arrays(draw, min_dims=0, max_dims=3):
    shape = draw(shapes(min_dims=min_dims, max_dims=max_dims, max_side=4))
    count = draw(st.integers(1, 4))
    names = draw(st.lists(dtype_names, min_size=count, max_size=count))
    nps = [draw(np_arrays(name, shape)) for name in names]
    rps = [from_np(n) for n in nps]
    if shape and draw(st.booleans()):
        # use reversed views instead
        nps = [n[::-1] for n in nps]
        rps = [r[::-1] for r in rps]
    return nps, rps


@given(same_shape_arrays(), st.data())
def test_stack_hypothesis(case, data):
    nps, rps = case
    ndim = nps[0].ndim
    axis = data.draw(st.integers(-ndim - 1, ndim))
    expected = np.stack(nps, axis=axis)
    assert_same(rp.stack(rps, axis=axis), expected)
    assert_same(rp.stack(tuple(rps), axis), expected)


@given(same_shape_arrays())
def test_stack_default_axis(case):
    nps, rps = case
    assert_same(rp.stack(rps), np.stack(nps))


@given(same_shape_arrays(max_dims=3))
def test_hstack_vstack(case):
    nps, rps = case
    for name in ("hstack", "vstack"):
        try:
            expected = getattr(np, name)(nps)
        except ValueError as exc:
            with pytest.raises(ValueError) as info:
                getattr(rp, name)(rps)
            assert str(info.value) == str(exc)
            continue
        assert_same(getattr(rp, name)(rps), expected)


@pytest.mark.parametrize(
    "arrays",
    [
        [1, 2],
        [[1, 2], [3]],
        [[[1], [2]], [[3, 4], [5, 6]]],
        [np.zeros((2, 3, 1)), np.ones((2, 2, 1))],
        [np.zeros(0), [1.0]],
    ],
    ids=repr,
)
def test_hstack_examples(arrays):
    rp_arrays = [from_np(np.asarray(a)) for a in arrays]
    assert_same(rp.hstack(rp_arrays), np.hstack(arrays))


@pytest.mark.parametrize(
    "arrays",
    [
        [1, 2],
        [[1, 2], [3, 4]],
        [[[1, 2]], [[3, 4], [5, 6]]],
        [np.zeros((2, 3, 1)), np.ones((1, 3, 1))],
    ],
    ids=repr,
)
def test_vstack_examples(arrays):
    rp_arrays = [from_np(np.asarray(a)) for a in arrays]
    assert_same(rp.vstack(rp_arrays), np.vstack(arrays))


def test_stack_with_dtype():
    assert_same(
        rp.stack([rp.arange(3), rp.arange(3)], axis=1, dtype="float32"),
        np.stack([np.arange(3), np.arange(3)], axis=1, dtype="float32"),
    )
    assert_same(
        rp.hstack([rp.arange(3), rp.arange(2)], dtype="int8"),
        np.hstack([np.arange(3), np.arange(2)], dtype="int8"),
    )
    assert_same(
        rp.vstack([rp.arange(3), rp.arange(3)], dtype="float16"),
        np.vstack([np.arange(3), np.arange(3)], dtype="float16"),
    )


def test_stack_errors():
    raises_like(lambda: rp.stack([]), lambda: np.stack([]))
    raises_like(
        lambda: rp.stack([rp.zeros(2), rp.zeros(3)]), lambda: np.stack([np.zeros(2), np.zeros(3)])
    )
    raises_like(lambda: rp.stack([rp.zeros(3)], axis=2), lambda: np.stack([np.zeros(3)], axis=2))
    raises_like(lambda: rp.stack([rp.zeros(3)], axis=-3), lambda: np.stack([np.zeros(3)], axis=-3))
    raises_like(lambda: rp.hstack([]), lambda: np.hstack([]))
    raises_like(lambda: rp.vstack([]), lambda: np.vstack([]))
    raises_like(
        lambda: rp.vstack([rp.zeros(2), rp.zeros(3)]),
        lambda: np.vstack([np.zeros(2), np.zeros(3)]),
    )


# --------------------------------------------------------------------------------------------
# expand_dims / squeeze
# --------------------------------------------------------------------------------------------


@given(view_pairs(max_dims=3), st.data())
def test_expand_dims_hypothesis(pair, data):
    nv, rv, _, _ = pair
    out_ndim = nv.ndim + data.draw(st.integers(1, 3))
    axes = data.draw(
        st.lists(
            st.integers(-out_ndim, out_ndim - 1),
            min_size=out_ndim - nv.ndim,
            max_size=out_ndim - nv.ndim,
        )
    )
    axes = tuple(axes)
    try:
        expected = np.expand_dims(nv, axes)
    except ValueError:  # repeated axis, or AxisError
        raises_like(lambda: rp.expand_dims(rv, axes), lambda: np.expand_dims(nv, axes))
        return
    got = rp.expand_dims(rv, axes)
    assert_same(got, expected)
    assert_strides(got, expected)
    if len(axes) == 1:
        assert_same(rp.expand_dims(rv, axes[0]), np.expand_dims(nv, axes[0]))
    # a view
    if nv.size:
        assert got.data_ptr == rv.data_ptr


@pytest.mark.parametrize(
    ("shape", "axis"),
    [
        ((3,), 0),
        ((3,), 1),
        ((3,), -1),
        ((3,), -2),
        ((2, 3), (0, 3)),
        ((2, 3), (-1, 0)),
        ((), 0),
        ((), (0, 1)),
        ((2, 0), 1),
    ],
    ids=repr,
)
def test_expand_dims_examples(shape, axis):
    n = np.arange(int(np.prod(shape))).reshape(shape)
    assert_same(rp.expand_dims(from_np(n), axis), np.expand_dims(n, axis))


def test_expand_dims_errors():
    raises_like(lambda: rp.expand_dims(rp.zeros(3), 2), lambda: np.expand_dims(np.zeros(3), 2))
    raises_like(lambda: rp.expand_dims(rp.zeros(3), -3), lambda: np.expand_dims(np.zeros(3), -3))
    raises_like(
        lambda: rp.expand_dims(rp.zeros(3), (0, 0)), lambda: np.expand_dims(np.zeros(3), (0, 0))
    )
    raises_like(
        lambda: rp.expand_dims(rp.zeros(3), (0, -3)), lambda: np.expand_dims(np.zeros(3), (0, -3))
    )


@given(view_pairs(), st.data())
def test_squeeze_hypothesis(pair, data):
    nv, rv, _, _ = pair
    assert_same(rp.squeeze(rv), np.squeeze(nv))
    if nv.ndim:
        # distinct axes (repeated ones have their own test), some spelled negatively
        axes = data.draw(st.lists(st.integers(0, nv.ndim - 1), max_size=nv.ndim, unique=True))
        axes = tuple(a - nv.ndim if data.draw(st.booleans()) else a for a in axes)
        try:
            expected = np.squeeze(nv, axis=axes)
        except ValueError:
            raises_like(lambda: rp.squeeze(rv, axis=axes), lambda: np.squeeze(nv, axis=axes))
            return
        assert_same(rp.squeeze(rv, axis=axes), expected)
        if len(axes) == 1:
            assert_same(rp.squeeze(rv, axes[0]), np.squeeze(nv, axes[0]))


def test_squeeze_is_a_view():
    a = rp.zeros((1, 3, 1))
    s = rp.squeeze(a)
    s[1] = 4.0
    assert a[0, 1, 0] == 4.0


def test_squeeze_errors():
    raises_like(
        lambda: rp.squeeze(rp.zeros((2, 1)), axis=0), lambda: np.squeeze(np.zeros((2, 1)), axis=0)
    )
    raises_like(
        lambda: rp.squeeze(rp.zeros((2, 1)), axis=5), lambda: np.squeeze(np.zeros((2, 1)), axis=5)
    )
    raises_like(
        lambda: rp.squeeze(rp.zeros((1, 1)), axis=(0, 0)),
        lambda: np.squeeze(np.zeros((1, 1)), axis=(0, 0)),
    )


# --------------------------------------------------------------------------------------------
# broadcasting
# --------------------------------------------------------------------------------------------


@given(view_pairs(max_dims=3), st.data())
def test_broadcast_to_hypothesis(pair, data):
    nv, rv, _, _ = pair
    target = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=1, base_shape=nv.shape))
    shape = target.result_shape
    try:
        expected = np.broadcast_to(nv, shape)
    except ValueError:
        raises_like(lambda: rp.broadcast_to(rv, shape), lambda: np.broadcast_to(nv, shape))
        return
    got = rp.broadcast_to(rv, shape)
    assert_same(got, expected)
    assert_strides(got, expected)
    assert got.writeable is False
    if nv.size and expected.size:
        assert got.data_ptr == rv.data_ptr


@given(st.data())
def test_broadcast_to_valid_targets(data):
    shape = data.draw(shapes(max_dims=3, max_side=4))
    target = data.draw(
        hnp.broadcastable_shapes(
            shape, min_dims=0, max_dims=len(shape), min_side=0 if 0 in shape else 1
        )
    )
    # broadcastable_shapes gives shapes broadcastable *to* shape; turn it around
    n = data.draw(np_arrays(dtype_names, target))
    try:
        expected = np.broadcast_to(n, shape)
    except ValueError:
        with pytest.raises(ValueError):
            rp.broadcast_to(from_np(n), shape)
        return
    got = rp.broadcast_to(from_np(n), shape)
    assert_same(got, expected)
    assert_strides(got, expected)


def test_broadcast_to_is_read_only():
    base = rp.arange(3)
    b = rp.broadcast_to(base, (2, 3))
    assert b.writeable is False
    with pytest.raises(ValueError) as rp_info:
        b[0, 0] = 5
    nb = np.broadcast_to(np.arange(3), (2, 3))
    with pytest.raises(ValueError) as np_info:
        nb[0, 0] = 5
    assert str(rp_info.value) == str(np_info.value)
    assert_same(base, np.arange(3))
    # views of a read-only array are read-only too
    assert b[0].writeable is False
    with pytest.raises(ValueError):
        b[0][1] = 5
    assert b.T.writeable is False
    # copies are writeable
    c = b.copy()
    c[0, 0] = 5
    assert c.writeable


@pytest.mark.parametrize(
    ("value", "shape"),
    [(5, (2, 2)), (1.5, ()), ([1, 2], 2), ([[1], [2]], (2, 3)), (True, (0,)), ([1, 2], (0, 2))],
    ids=repr,
)
def test_broadcast_to_array_likes(value, shape):
    assert_same(rp.broadcast_to(value, shape), np.broadcast_to(value, shape))


def test_broadcast_to_errors():
    raises_like(
        lambda: rp.broadcast_to(rp.zeros(3), (2, 4)), lambda: np.broadcast_to(np.zeros(3), (2, 4))
    )
    raises_like(
        lambda: rp.broadcast_to(rp.zeros(2), (-1,)), lambda: np.broadcast_to(np.zeros(2), (-1,))
    )
    raises_like(
        lambda: rp.broadcast_to(rp.zeros((2, 3)), (3,)),
        lambda: np.broadcast_to(np.zeros((2, 3)), (3,)),
    )


@given(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=4))
def test_broadcast_shapes_hypothesis(bs):
    assert rp.broadcast_shapes(*bs.input_shapes) == np.broadcast_shapes(*bs.input_shapes)
    assert rp.broadcast_shapes(*bs.input_shapes) == bs.result_shape


@given(st.lists(shapes(max_dims=3, min_side=0, max_side=3), min_size=0, max_size=4))
def test_broadcast_shapes_any(shape_list):
    try:
        expected = np.broadcast_shapes(*shape_list)
    except ValueError as exc:
        with pytest.raises(ValueError) as info:
            rp.broadcast_shapes(*shape_list)
        assert str(info.value) == str(exc)
        return
    got = rp.broadcast_shapes(*shape_list)
    assert type(got) is tuple
    assert got == expected


def test_broadcast_shapes_examples():
    assert rp.broadcast_shapes() == np.broadcast_shapes() == ()
    assert rp.broadcast_shapes(3, (2, 1)) == np.broadcast_shapes(3, (2, 1))
    assert rp.broadcast_shapes((0,), (1,)) == (0,)
    assert rp.broadcast_shapes((5, 1, 0), (1, 7, 1)) == (5, 7, 0)
    raises_like(
        lambda: rp.broadcast_shapes((2, 3), (4,)), lambda: np.broadcast_shapes((2, 3), (4,))
    )
    raises_like(
        lambda: rp.broadcast_shapes((2,), (3,), (2,)),
        lambda: np.broadcast_shapes((2,), (3,), (2,)),
    )


@given(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=4), st.data())
def test_broadcast_arrays_hypothesis(bs, data):
    nps = [data.draw(np_arrays(dtype_names, s)) for s in bs.input_shapes]
    rps = [from_np(n) for n in nps]
    got = rp.broadcast_arrays(*rps)
    expected = np.broadcast_arrays(*nps)
    assert isinstance(got, list)  # Raptors returns a list (NumPy 2 returns a tuple)
    assert len(got) == len(expected)
    for g, e, r in zip(got, expected, rps, strict=True):
        assert_same(g, e)
        assert_strides(g, e)
        if e.size and r.size:
            assert g.data_ptr == r.data_ptr


def test_broadcast_arrays_examples():
    got = rp.broadcast_arrays(rp.arange(3), rp.zeros((2, 1)), 5)
    expected = np.broadcast_arrays(np.arange(3), np.zeros((2, 1)), 5)
    for g, e in zip(got, expected, strict=True):
        assert_same(g, e)
    assert rp.broadcast_arrays() == []
    one = rp.broadcast_arrays(rp.arange(3))
    assert len(one) == 1
    assert_same(one[0], np.arange(3))
    raises_like(
        lambda: rp.broadcast_arrays(rp.zeros(2), rp.zeros(3)),
        lambda: np.broadcast_arrays(np.zeros(2), np.zeros(3)),
    )


# --------------------------------------------------------------------------------------------
# flip / moveaxis / swapaxes / transpose / permute_dims
# --------------------------------------------------------------------------------------------


@given(view_pairs(), st.data())
def test_flip_hypothesis(pair, data):
    nv, rv, _, _ = pair
    assert_same(rp.flip(rv), np.flip(nv))
    if nv.ndim:
        axis = data.draw(st.integers(-nv.ndim, nv.ndim - 1))
        got = rp.flip(rv, axis=axis)
        assert_same(got, np.flip(nv, axis=axis))
        assert_strides(got, np.flip(nv, axis=axis))
        axes = tuple(
            data.draw(st.lists(st.integers(-nv.ndim, nv.ndim - 1), max_size=nv.ndim, unique=True))
        )
        if len({a % nv.ndim for a in axes}) == len(axes):
            assert_same(rp.flip(rv, axis=axes), np.flip(nv, axis=axes))


def test_flip_is_a_view():
    a = rp.arange(6).reshape(2, 3)
    f = rp.flip(a, axis=1)
    f[0, 0] = 100
    assert a[0, 2] == 100
    assert f.strides == (24, -8)


def test_flip_errors():
    raises_like(
        lambda: rp.flip(rp.zeros((2, 1)), axis=3), lambda: np.flip(np.zeros((2, 1)), axis=3)
    )
    raises_like(lambda: rp.flip(rp.array(1.0), axis=0), lambda: np.flip(np.array(1.0), axis=0))


@given(view_pairs(min_dims=1), st.data())
def test_moveaxis_hypothesis(pair, data):
    nv, rv, _, _ = pair
    nd = nv.ndim
    k = data.draw(st.integers(1, nd))
    src = data.draw(st.lists(st.integers(0, nd - 1), min_size=k, max_size=k, unique=True))
    dst = data.draw(st.lists(st.integers(0, nd - 1), min_size=k, max_size=k, unique=True))
    src = [s - nd if data.draw(st.booleans()) else s for s in src]
    dst = [d - nd if data.draw(st.booleans()) else d for d in dst]
    expected = np.moveaxis(nv, src, dst)
    got = rp.moveaxis(rv, src, dst)
    assert_same(got, expected)
    assert_strides(got, expected)
    assert_same(rp.moveaxis(rv, src[0], dst[0]), np.moveaxis(nv, src[0], dst[0]))
    assert_same(rp.moveaxis(rv, tuple(src), tuple(dst)), expected)


def test_moveaxis_errors():
    z = np.zeros((2, 1, 3))
    r = rp.zeros((2, 1, 3))
    raises_like(lambda: rp.moveaxis(r, [0, 1], [0]), lambda: np.moveaxis(z, [0, 1], [0]))
    raises_like(lambda: rp.moveaxis(r, [0, 0], [1, 2]), lambda: np.moveaxis(z, [0, 0], [1, 2]))
    raises_like(lambda: rp.moveaxis(r, 0, 5), lambda: np.moveaxis(z, 0, 5))
    raises_like(lambda: rp.moveaxis(r, -4, 0), lambda: np.moveaxis(z, -4, 0))


@given(view_pairs(min_dims=1), st.data())
def test_swapaxes_hypothesis(pair, data):
    nv, rv, _, _ = pair
    a = data.draw(st.integers(-nv.ndim, nv.ndim - 1))
    b = data.draw(st.integers(-nv.ndim, nv.ndim - 1))
    got = rp.swapaxes(rv, a, b)
    expected = np.swapaxes(nv, a, b)
    assert_same(got, expected)
    assert_strides(got, expected)


def test_swapaxes_errors():
    raises_like(lambda: rp.swapaxes(rp.zeros(3), 0, 1), lambda: np.swapaxes(np.zeros(3), 0, 1))
    raises_like(lambda: rp.swapaxes(rp.zeros(3), -2, 0), lambda: np.swapaxes(np.zeros(3), -2, 0))


@given(view_pairs(), st.data())
def test_transpose_and_permute_dims_functions(pair, data):
    nv, rv, nb, rb = pair
    perm = tuple(data.draw(permutations_of(nv.ndim)))
    expected = np.transpose(nv, perm)
    for got in (
        rp.transpose(rv, perm),
        rp.transpose(rv, axes=perm),
        rp.permute_dims(rv, perm),
        rp.permute_dims(rv, axes=perm),
    ):
        assert_same(got, expected)
        assert_strides(got, expected)
    assert_same(rp.transpose(rv), np.transpose(nv))
    # views: writing through the permuted array reaches the base
    if nv.size:
        rp.permute_dims(rv, perm).fill(0)
        np.permute_dims(nv, perm).fill(0)
        assert_same(rb, nb)


def test_transpose_permute_errors():
    z = np.zeros((2, 1))
    r = rp.zeros((2, 1))
    raises_like(lambda: rp.transpose(r, (0, 0)), lambda: np.transpose(z, (0, 0)))
    raises_like(lambda: rp.transpose(r, (0,)), lambda: np.transpose(z, (0,)))
    raises_like(lambda: rp.permute_dims(r, (0,)), lambda: np.permute_dims(z, (0,)))
    raises_like(lambda: rp.permute_dims(r, (0, 2)), lambda: np.permute_dims(z, (0, 2)))


# --------------------------------------------------------------------------------------------
# reshape / ravel / astype / shape / ndim / size functions
# --------------------------------------------------------------------------------------------


@given(view_pairs(), st.data())
def test_reshape_function(pair, data):
    nv, rv, _, _ = pair
    new = (-1,) if data.draw(st.booleans()) else (nv.size,)
    assert_same(rp.reshape(rv, new), np.reshape(nv, new))
    assert_same(rp.reshape(rv, nv.shape), np.reshape(nv, nv.shape))
    if nv.size:
        assert_same(rp.reshape(rv, nv.size), np.reshape(nv, nv.size))


def test_reshape_function_array_like():
    assert_same(rp.reshape([[1, 2], [3, 4]], (4,)), np.reshape([[1, 2], [3, 4]], (4,)))
    raises_like(lambda: rp.reshape(rp.zeros(6), (4,)), lambda: np.reshape(np.zeros(6), (4,)))


def test_ravel_function():
    n = np.arange(12).reshape(3, 4)[::-1, ::2]
    assert_same(rp.ravel(from_np(np.arange(12).reshape(3, 4))[::-1, ::2]), np.ravel(n))
    assert_same(rp.ravel([[1, 2], [3, 4]]), np.ravel([[1, 2], [3, 4]]))


@all_dtypes
def test_astype_function(dtype):
    n = np.array([[0, 1], [2, 3]], dtype="int16")
    r = from_np(n)
    assert_same(rp.astype(r, dtype), n.astype(dtype))
    assert_same(rp.astype(r, rp_dtype(dtype)), n.astype(dtype))
    c = rp.astype(r, "int16", copy=True)
    assert c is not r
    assert c.data_ptr != r.data_ptr


@pytest.mark.parametrize(
    "obj", [5, 2.5, [1, 2], [[1, 2, 3]], [[[]]], np.zeros((2, 0, 3))], ids=repr
)
def test_shape_ndim_size_functions(obj):
    r = from_np(np.asarray(obj))
    assert rp.shape(r) == np.shape(obj)
    assert rp.ndim(r) == np.ndim(obj)
    assert rp.size(r) == np.size(obj)
    if not isinstance(obj, np.ndarray):
        assert rp.shape(obj) == np.shape(obj)
        assert rp.ndim(obj) == np.ndim(obj)
        assert rp.size(obj) == np.size(obj)


@given(view_pairs())
def test_shape_ndim_size_of_views(pair):
    nv, rv, _, _ = pair
    assert rp.shape(rv) == np.shape(nv)
    assert rp.ndim(rv) == np.ndim(nv)
    assert rp.size(rv) == np.size(nv)


@given(st.lists(dtype_names, min_size=2, max_size=3), shapes(min_dims=1, max_dims=2))
def test_concatenate_0_size_and_dtypes(names, shape):
    nps = [np.zeros(shape, dtype=n) for n in names]
    assume(all(len(n.shape) == len(shape) for n in nps))
    assert_same(rp.concatenate([from_np(n) for n in nps], axis=0), np.concatenate(nps, axis=0))
