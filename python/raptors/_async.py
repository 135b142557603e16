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
