"""The coroutine every ``*_async`` call returns. Called on a running loop, the job has already
started; otherwise it starts at the coroutine's first step (so ``asyncio.run(rp.exp_async(x))``
works). Argument errors raise where the coroutine is awaited."""

from __future__ import annotations

from typing import Any


async def run(job: Any) -> Any:
    pending, value = job._start()
    if pending:
        return await value
    return value
