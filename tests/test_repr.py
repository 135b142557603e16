"""repr/str compared with NumPy's for a handful of arrays (light: the printer is in progress)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import from_np

CASES = {
    "float_1d": np.array([1.5, 2.0, 3.25]),
    "int_1d": np.arange(5),
    "bool_1d": np.array([True, False]),
    "float32_suffix": np.array([1.0, 2.0], dtype=np.float32),
    "uint8_suffix": np.array([1, 2], dtype=np.uint8),
    "float_0d": np.array(3.5),
    "int_0d": np.array(7),
    "empty_1d": np.array([]),
    "empty_2d": np.zeros((2, 0)),
    "int_2d": np.arange(6).reshape(2, 3),
    "summarised": np.arange(2000),
    "special_floats": np.array([np.nan, -np.inf, -0.0]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_repr_matches_numpy(name):
    n = CASES[name]
    assert repr(from_np(n)) == repr(n)


@pytest.mark.parametrize("name", ["float_1d", "int_1d", "bool_1d", "int_2d", "float_0d"])
def test_str_matches_numpy(name):
    n = CASES[name]
    assert str(from_np(n)) == str(n)
