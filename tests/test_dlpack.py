"""DLPack: ``__dlpack__``/``__dlpack_device__`` export and ``rp.from_dlpack`` import, both
zero-copy, checked against NumPy's implementation of the protocol."""

from __future__ import annotations

import ctypes
import gc

import numpy as np
import pytest
import raptors as rp
from conftest import (
    all_dtypes,
    assert_same,
    assert_strides,
    from_np,
    other_value,
    rp_dtype,
    sample,
    shares_memory,
    to_np,
    view_pairs,
)
from hypothesis import given

_capsule_name = ctypes.pythonapi.PyCapsule_GetName
_capsule_name.restype = ctypes.c_char_p
_capsule_name.argtypes = [ctypes.py_object]


def capsule_name(cap) -> str:
    assert type(cap).__name__ == "PyCapsule", f"not a capsule: {cap!r}"
    return _capsule_name(cap).decode()


#: basic indices applied identically to NumPy and Raptors arrays of shape (3, 4, 5)
VIEWS = {
    "contiguous": (Ellipsis,),
    "step": (slice(None), slice(None, None, 2), slice(1, None, 2)),
    "negative": (slice(None, None, -1), slice(None), slice(None, None, -2)),
    "row": (1,),
    "column": (slice(None), 2, slice(None, None, -1)),
    "zero_d": (2, 3, 4, Ellipsis),
}
views = pytest.mark.parametrize("view", list(VIEWS))


# --------------------------------------------------------------------------------------------
# export
# --------------------------------------------------------------------------------------------


def test_dlpack_device_is_cpu():
    a = rp.arange(6.0).reshape(2, 3)
    assert a.__dlpack_device__() == (1, 0)
    assert a.T[::-1].__dlpack_device__() == (1, 0)
    assert rp.zeros((), dtype=rp.bool).__dlpack_device__() == (1, 0)


@all_dtypes
@views
def test_np_from_dlpack_shares_memory(dtype, view):
    n = sample(dtype)[VIEWS[view]]
    r = from_np(sample(dtype))[VIEWS[view]]
    v = np.from_dlpack(r)
    assert v.dtype == np.dtype(dtype)
    assert v.shape == r.shape
    np.testing.assert_array_equal(v, n, strict=True)
    assert v.ctypes.data == r.data_ptr
    # DLPack strides are in elements; NumPy turns them back into the same byte strides
    assert_strides(r, v)
    assert v.flags.writeable
    idx = (0,) * v.ndim
    v[idx] = other_value(dtype, v[idx])
    assert r[idx] == v[idx].item()


@all_dtypes
def test_np_from_dlpack_exact_strides(dtype):
    r = from_np(sample(dtype))[::-1, 1::2, ::-3]
    v = np.from_dlpack(r)
    assert v.strides == r.strides
    assert v.ctypes.data == r.data_ptr
    assert_same(r, v)


@given(view_pairs())
def test_np_from_dlpack_views_hypothesis(pair):
    nv, rv, _, _ = pair
    v = np.from_dlpack(rv)
    assert v.dtype == nv.dtype
    assert v.shape == nv.shape
    np.testing.assert_array_equal(v, nv, strict=True)
    if nv.size:
        assert v.ctypes.data == rv.data_ptr
        assert_strides(rv, v)


def test_np_from_dlpack_keeps_raptors_array_alive():
    expected = sample("float64", (40, 50))
    v = np.from_dlpack(from_np(expected)[::2])
    gc.collect()
    junk = [np.full(expected.nbytes, 0xCD, dtype=np.uint8) for _ in range(8)]
    np.testing.assert_array_equal(v, expected[::2], strict=True)
    del junk


def test_capsule_names():
    a = rp.arange(4, dtype=rp.int16)
    versioned = a.__dlpack__(max_version=(1, 0))
    assert capsule_name(versioned) == "dltensor_versioned"
    legacy = a.__dlpack__()
    assert capsule_name(legacy) == "dltensor"
    # a consumer that only knows the legacy ABI still gets a legacy capsule
    assert capsule_name(a.__dlpack__(max_version=(0, 8))) == "dltensor"
    # unconsumed capsules are freed without touching the array
    del versioned, legacy
    gc.collect()
    assert a.tolist() == [0, 1, 2, 3]


def test_readonly_array_exports_readonly():
    b = rp.broadcast_to(rp.arange(3.0), (2, 3))
    assert b.writeable is False
    v = np.from_dlpack(b)
    assert v.flags.writeable is False
    assert v.ctypes.data == b.data_ptr
    assert v.strides == (0, 8)
    np.testing.assert_array_equal(v, [[0.0, 1.0, 2.0]] * 2)

    n = np.arange(5, dtype=np.uint16)
    n.flags.writeable = False
    ro = rp.asarray(n)
    v2 = np.from_dlpack(ro)
    assert v2.flags.writeable is False
    assert v2.ctypes.data == n.ctypes.data


def test_non_cpu_device_is_refused():
    a = rp.arange(3.0)
    with pytest.raises((BufferError, ValueError)):
        a.__dlpack__(max_version=(1, 0), dl_device=(2, 0))
    # asking for the CPU explicitly is fine
    v = np.from_dlpack(a, device="cpu")
    assert v.ctypes.data == a.data_ptr


# --------------------------------------------------------------------------------------------
# import
# --------------------------------------------------------------------------------------------


@all_dtypes
@views
def test_from_dlpack_numpy_shares_memory(dtype, view):
    n = sample(dtype)[VIEWS[view]]
    r = rp.from_dlpack(n)
    assert isinstance(r, rp.ndarray)
    assert r.dtype == rp_dtype(dtype)
    assert_same(r, n)
    assert shares_memory(r, n)
    assert r.strides == n.strides
    assert r.writeable
    idx = (0,) * n.ndim
    r[idx] = other_value(dtype, r[idx])
    assert n[idx].item() == r[idx]


@given(view_pairs())
def test_from_dlpack_numpy_views_hypothesis(pair):
    nv, _, _, _ = pair
    r = rp.from_dlpack(nv)
    assert_same(r, nv)
    if nv.size:
        assert shares_memory(r, nv)
        assert_strides(r, nv)


@all_dtypes
def test_round_trip_keeps_pointer(dtype):
    a = from_np(sample(dtype))[:, ::-1]
    back = rp.from_dlpack(np.from_dlpack(a))
    assert back.data_ptr == a.data_ptr
    assert back.strides == a.strides
    assert back.dtype == a.dtype
    assert_same(back, to_np(a))
    # raptors -> raptors directly
    direct = rp.from_dlpack(a)
    assert direct.data_ptr == a.data_ptr
    assert_same(direct, to_np(a))


def test_from_dlpack_keeps_producer_alive():
    n = sample("int32", (30, 30))
    expected = n[::-1].copy()
    r = rp.from_dlpack(n[::-1])
    del n
    gc.collect()
    junk = [np.full(expected.nbytes, 0xEF, dtype=np.uint8) for _ in range(8)]
    assert_same(r, expected)
    del junk


@all_dtypes
def test_from_dlpack_copy_true_copies(dtype):
    n = sample(dtype)[::2]
    r = rp.from_dlpack(n, copy=True)
    assert_same(r, n)
    assert not shares_memory(r, n)
    assert r.writeable
    before = n.copy()
    r[0, 0, 0] = other_value(dtype, r[0, 0, 0])
    np.testing.assert_array_equal(n, before)
    shared = rp.from_dlpack(n, copy=False)
    assert shares_memory(shared, n)


def test_from_dlpack_readonly_numpy_is_readonly():
    n = np.arange(6.0)
    n.flags.writeable = False
    r = rp.from_dlpack(n)
    assert shares_memory(r, n)
    assert r.writeable is False
    with pytest.raises(ValueError, match="assignment destination is read-only"):
        r[0] = 1.0


def test_from_dlpack_zero_d_and_empty():
    z = np.array(2.5, dtype=np.float32)
    r = rp.from_dlpack(z)
    assert r.shape == ()
    assert shares_memory(r, z)
    assert r.item() == 2.5
    e = rp.from_dlpack(np.zeros((2, 0, 3), dtype=np.int8))
    assert e.shape == (2, 0, 3)
    assert e.dtype == rp.int8
    ez = np.from_dlpack(rp.zeros((0, 4), dtype=rp.uint32))
    assert ez.shape == (0, 4)
    assert ez.dtype == np.uint32
