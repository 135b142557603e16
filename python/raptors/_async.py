"""The coroutine every ``*_async`` call returns, and each event loop's completion channel.

Called on a running loop, the job has already started; otherwise it starts at the coroutine's
first step (so ``asyncio.run(rp.exp_async(x))`` works). Argument errors raise where the
coroutine is awaited.

A finished job reaches its loop through the loop's channel: the pool thread queues the result
and writes to an eventfd that the loop watches (``loop.add_reader``), and the loop sets the
future itself. No thread but the loop's takes the GIL for it. Loops that cannot watch file
descriptors fall back to a completer thread and ``call_soon_threadsafe``.
"""

from __future__ import annotations

import weakref
from typing import Any

_channels: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


async def run(job: Any) -> Any:
    pending, value = job._start()
    if pending:
        return await value
    return value


def channel(loop: Any) -> Any:
    """The loop's channel (made and registered on first use), or None if it cannot have one."""
    try:
        ch = _channels[loop]
    except KeyError:
        from raptors._raptors import _Channel

        try:
            ch = _Channel()
            loop.add_reader(ch.fd, ch.drain)
        except (NotImplementedError, RuntimeError, OSError, AttributeError):
            ch = None
        _channels[loop] = ch
    except TypeError:  # a loop type without weak references
        return None
    return ch


#: Elements converted per step of ``array_async`` (about a millisecond of the loop's time).
ARRAY_ASYNC_CHUNK = 1 << 16


def _flat_len(row: Any) -> int:
    """Elements in one item of a nested list (following first elements: an estimate)."""
    n = 1
    while isinstance(row, (list, tuple)):
        n *= max(1, len(row))
        row = row[0] if row else None
    return n


async def array_async(
    obj: Any, /, dtype: Any = None, *, timeout: float | None = None, chunk: int | None = None
) -> Any:
    """``rp.array(obj, dtype)`` that does not hold the event loop for long: a large Python
    list (or tuple) is converted in pieces of about ``chunk`` elements, yielding to the loop
    between pieces, and the pieces are joined on Raptors' pool (``concatenate_async``). The
    result equals ``rp.array(obj, dtype)``: pieces of different inferred dtypes are promoted as
    one list would be (bool < int64 < float64). Anything else (arrays, buffers, scalars,
    small lists) is converted at once. ``timeout`` bounds the whole conversion."""
    import asyncio

    import raptors as rp

    step = chunk or ARRAY_ASYNC_CHUNK
    if not isinstance(obj, (list, tuple)) or not obj or len(obj) * _flat_len(obj[0]) <= step:
        return rp.array(obj, dtype=dtype)
    rows = max(1, step // _flat_len(obj[0]))
    async with asyncio.timeout(timeout):
        parts = []
        for start in range(0, len(obj), rows):
            parts.append(rp.array(obj[start : start + rows], dtype=dtype))
            await asyncio.sleep(0)  # let the loop run other tasks between pieces
        if len(parts) == 1:
            return parts[0]
        return await rp.concatenate_async(parts, axis=0, dtype=dtype)
