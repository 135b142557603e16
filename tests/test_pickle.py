"""Pickling: round trips for every dtype and layout, protocol 5 out-of-band buffers without
copies, and arrays crossing a process boundary."""

from __future__ import annotations

import copy
import ctypes
import gc
import math
import multiprocessing
import operator
import pickle

import numpy as np
import pytest
import raptors as rp
from conftest import (
    FLOAT_DTYPES,
    all_dtypes,
    assert_same,
    from_np,
    sample,
    view_pairs,
)
from hypothesis import given
from hypothesis import strategies as st

PROTOCOLS = list(range(pickle.HIGHEST_PROTOCOL + 1))


def buffer_address(buf) -> int:
    """Address of the first byte of a buffer-protocol object (a PickleBuffer, bytearray...)."""
    mv = memoryview(buf)
    if isinstance(buf, pickle.PickleBuffer):
        mv = buf.raw()
    if mv.readonly:
        return np.frombuffer(mv, dtype=np.uint8).ctypes.data
    return ctypes.addressof(ctypes.c_char.from_buffer(mv))


def dumps_out_of_band(a, protocol=5):
    bufs: list[pickle.PickleBuffer] = []
    data = pickle.dumps(a, protocol=protocol, buffer_callback=bufs.append)
    return data, bufs


# --------------------------------------------------------------------------------------------
# round trips
# --------------------------------------------------------------------------------------------


@all_dtypes
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_round_trip_all_dtypes_and_protocols(dtype, protocol):
    n = sample(dtype, (3, 4))
    a = from_np(n)
    back = pickle.loads(pickle.dumps(a, protocol=protocol))
    assert isinstance(back, rp.ndarray)
    assert back.dtype == a.dtype
    assert_same(back, n)
    assert back.c_contiguous
    assert back.writeable
    assert back.data_ptr != a.data_ptr


@all_dtypes
@pytest.mark.parametrize("shape", [(), (0,), (2, 0, 3), (1,), (2, 1, 1, 3)], ids=str)
def test_round_trip_zero_d_and_empty(dtype, shape):
    n = sample(dtype, shape)
    a = from_np(n)
    for protocol in (2, 5):
        back = pickle.loads(pickle.dumps(a, protocol=protocol))
        assert back.shape == shape
        assert back.dtype == a.dtype
        assert_same(back, n)
        data, bufs = dumps_out_of_band(a)
        assert_same(pickle.loads(data, buffers=bufs), n)


def test_round_trip_special_floats():
    n = np.array([np.nan, -0.0, 0.0, np.inf, -np.inf, 1e-300, -5e-324], dtype=np.float64)
    for dtype in FLOAT_DTYPES:
        with np.errstate(over="ignore", under="ignore"):
            m = n.astype(dtype)
        a = from_np(m)
        for protocol in (0, 4, 5):
            assert_same(pickle.loads(pickle.dumps(a, protocol=protocol)), m)


@given(view_pairs(), st.sampled_from([2, 4, 5]))
def test_round_trip_views_hypothesis(pair, protocol):
    nv, rv, _, _ = pair
    back = pickle.loads(pickle.dumps(rv, protocol=protocol))
    assert_same(back, nv)
    assert back.c_contiguous
    data, bufs = dumps_out_of_band(rv)
    back5 = pickle.loads(data, buffers=bufs)
    assert_same(back5, nv)
    assert back5.c_contiguous


def test_round_trip_non_contiguous_and_readonly():
    n = np.arange(60, dtype=np.int32).reshape(3, 4, 5)
    a = from_np(n)
    for r, expected in (
        (a[::-1, ::2, 1::2], n[::-1, ::2, 1::2]),
        (a.transpose((2, 0, 1)), n.transpose(2, 0, 1)),
        (a[:, 1], n[:, 1]),
    ):
        back = pickle.loads(pickle.dumps(r))
        assert back.c_contiguous
        assert back.strides == np.ascontiguousarray(expected).strides
        assert_same(back, expected)

    b = rp.broadcast_to(rp.arange(3.0), (4, 3))
    back = pickle.loads(pickle.dumps(b))
    assert_same(back, np.broadcast_to(np.arange(3.0), (4, 3)))
    assert back.c_contiguous
    assert back.strides == (24, 8)


def test_pickled_view_does_not_carry_its_base():
    big = rp.zeros(200_000, dtype=rp.float64)
    for protocol in (2, 5):
        assert len(pickle.dumps(big[:2], protocol=protocol)) < 1_000
        assert len(pickle.dumps(big[::50_000], protocol=protocol)) < 1_000


@pytest.mark.parametrize("protocol", [4, 5])
def test_in_band_pickle_is_binary(protocol):
    a = rp.arange(100_000, dtype=rp.float64)
    size = len(pickle.dumps(a, protocol=protocol))
    assert a.nbytes <= size < a.nbytes + 1_000
    assert_same(pickle.loads(pickle.dumps(a, protocol=protocol)), np.arange(100_000.0))


def test_copy_and_deepcopy_use_independent_memory():
    a = rp.arange(6, dtype=rp.int16).reshape(2, 3)
    for c in (copy.copy(a), copy.deepcopy(a)):
        assert c.data_ptr != a.data_ptr
        assert_same(c, np.arange(6, dtype=np.int16).reshape(2, 3))


# --------------------------------------------------------------------------------------------
# protocol 5: out-of-band buffers
# --------------------------------------------------------------------------------------------


@all_dtypes
def test_out_of_band_single_buffer_without_copy(dtype):
    n = sample(dtype, (5, 6))
    a = from_np(n)
    data, bufs = dumps_out_of_band(a)
    assert len(bufs) == 1
    buf = bufs[0]
    assert isinstance(buf, pickle.PickleBuffer)
    raw = buf.raw()
    assert raw.nbytes == a.nbytes
    # the bytes are not in the pickle stream
    assert len(data) < 200
    back = pickle.loads(data, buffers=bufs)
    assert back.dtype == a.dtype
    assert_same(back, n)
    assert back.data_ptr == buffer_address(buf)


@all_dtypes
def test_out_of_band_buffer_after_transport(dtype):
    """Buffers usually travel separately (shared memory, sockets): a writable bytearray
    received on the other side becomes the array's memory."""
    n = sample(dtype, (4, 5))
    data, bufs = dumps_out_of_band(from_np(n))
    received = [bytearray(b.raw()) for b in bufs]
    back = pickle.loads(data, buffers=received)
    assert_same(back, n)
    assert back.data_ptr == buffer_address(received[0])
    # it is a view of the received memory, not a copy
    assert back.writeable
    flat_index = (0, 0)
    back[flat_index] = n[flat_index] if dtype == "bool" else 7
    expected = n.copy()
    expected[flat_index] = back[flat_index]
    assert np.frombuffer(received[0], dtype=dtype).reshape(4, 5).tolist() == expected.tolist()


def test_out_of_band_zero_d():
    a = rp.full((), 2.5, dtype=rp.float32)
    data, bufs = dumps_out_of_band(a)
    assert len(bufs) == 1
    assert bufs[0].raw().nbytes == 4
    back = pickle.loads(data, buffers=bufs)
    assert back.shape == ()
    assert back.item() == 2.5
    assert back.data_ptr == buffer_address(bufs[0])


def test_out_of_band_buffer_keeps_memory_alive():
    n = sample("float64", (100, 50))
    data, bufs = dumps_out_of_band(from_np(n))
    back = pickle.loads(data, buffers=bufs)
    del bufs
    gc.collect()
    junk = [np.full(n.nbytes, 0x3C, dtype=np.uint8) for _ in range(8)]
    assert_same(back, n)
    del junk


def test_buffer_callback_can_keep_buffers_in_band():
    a = rp.arange(10, dtype=rp.uint16)
    data = pickle.dumps(a, protocol=5, buffer_callback=lambda buf: True)
    back = pickle.loads(data)
    assert_same(back, np.arange(10, dtype=np.uint16))


def test_out_of_band_needs_the_buffers():
    data, _ = dumps_out_of_band(rp.arange(4.0))
    with pytest.raises(pickle.UnpicklingError):
        pickle.loads(data)


# --------------------------------------------------------------------------------------------
# across processes
# --------------------------------------------------------------------------------------------


def test_arrays_cross_process_boundaries():
    a = rp.arange(12, dtype=rp.int32).reshape(3, 4)
    h = from_np(np.array([0.5, -1.5, np.nan], dtype=np.float16))
    view = a[::-1, 1::2]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        lists = pool.map(operator.methodcaller("tolist"), [a, view, h])
        echoed = pool.apply(copy.deepcopy, (view,))
    assert lists[0] == a.tolist()
    assert lists[1] == view.tolist()
    assert lists[2][:2] == [0.5, -1.5] and math.isnan(lists[2][2])
    assert isinstance(echoed, rp.ndarray)
    assert echoed.dtype == rp.int32
    assert_same(echoed, np.arange(12, dtype=np.int32).reshape(3, 4)[::-1, 1::2])
