"""Pickle support: arrays travel as (flat values, dtype name, shape)."""

from __future__ import annotations

from raptors import _raptors


def rebuild(values: list, dtype: str, shape: tuple[int, ...]) -> _raptors.ndarray:
    """Inverse of ``ndarray.__reduce__``."""
    return _raptors.array(values, dtype=dtype).reshape(shape)
