"""The array API's set functions and cumulative reductions, over the compiled ``unique``,
``cumsum`` and ``cumprod``."""

from __future__ import annotations

from typing import Any, NamedTuple

from raptors import _raptors as _rp


class UniqueAllResult(NamedTuple):
    values: Any
    indices: Any
    inverse_indices: Any
    counts: Any


class UniqueCountsResult(NamedTuple):
    values: Any
    counts: Any


class UniqueInverseResult(NamedTuple):
    values: Any
    inverse_indices: Any


def unique_values(x: Any, /) -> Any:
    """Sorted distinct values of the flattened ``x`` (every NaN distinct, as the array API)."""
    return _rp.unique(x, equal_nan=False)


def unique_counts(x: Any, /) -> UniqueCountsResult:
    """Distinct values and how often each occurs."""
    return UniqueCountsResult(*_rp.unique(x, return_counts=True, equal_nan=False))


def unique_inverse(x: Any, /) -> UniqueInverseResult:
    """Distinct values and, for every element of ``x`` (its shape), its position in them."""
    return UniqueInverseResult(*_rp.unique(x, return_inverse=True, equal_nan=False))


def unique_all(x: Any, /) -> UniqueAllResult:
    """Distinct values, first-occurrence indices, inverse indices and counts."""
    return UniqueAllResult(
        *_rp.unique(x, return_index=True, return_inverse=True, return_counts=True, equal_nan=False)
    )


def _cumulative(fn: Any, initial: int, x: Any, axis: Any, dtype: Any, include_initial: bool):
    x = _rp.asarray(x)
    if axis is None:
        if x.ndim > 1:
            raise ValueError("axis must be specified for arrays with more than one dimension")
        axis = 0
    r = fn(x, axis=axis, dtype=dtype)
    if include_initial:
        shape = list(r.shape)
        ax = axis + r.ndim if axis < 0 else axis
        shape[ax] = 1
        r = _rp.concatenate([_rp.full(tuple(shape), initial, dtype=r.dtype), r], axis=ax)
    return r


def cumulative_sum(
    x: Any, /, *, axis: int | None = None, dtype: Any = None, include_initial: bool = False
) -> Any:
    """The array API's ``cumulative_sum``: ``cumsum`` along ``axis`` (optional for 1-d),
    with a leading zero when ``include_initial``."""
    return _cumulative(_rp.cumsum, 0, x, axis, dtype, include_initial)


def cumulative_prod(
    x: Any, /, *, axis: int | None = None, dtype: Any = None, include_initial: bool = False
) -> Any:
    """The array API's ``cumulative_prod``, with a leading one when ``include_initial``."""
    return _cumulative(_rp.cumprod, 1, x, axis, dtype, include_initial)


for _cls in (UniqueAllResult, UniqueCountsResult, UniqueInverseResult):
    _cls.__module__ = "raptors"
