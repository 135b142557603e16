"""The three ways to run the service's math, each written the way a competent user would.

* ``numpy_blocking``: NumPy called inline in ``async def``. Throughput is the machine's, but the
  event loop waits for every computation, so ``/health`` waits too.
* ``numpy_thread``: the same NumPy calls through ``asyncio.to_thread``. The loop stays free, but
  every executor thread runs a multi-threaded OpenBLAS call on the same cores.
* ``raptors``: ``await ..._async``: the work runs on Raptors' own bounded pool with the GIL
  released; the loop only schedules and collects results.

Each backend gets the model data (``Data``, NumPy arrays made once with a fixed seed) and
converts it once at start-up (zero-copy for Raptors).
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import raptors as rp


@dataclass(frozen=True)
class Data:
    """Everything the endpoints compute with, generated deterministically from one seed."""

    corpus: np.ndarray  # (rows, dim) float32, rows normalised to unit length
    w1: np.ndarray  # (features, hidden) float32
    b1: np.ndarray  # (hidden,) float32
    w2: np.ndarray  # (hidden, 1) float32
    b2: float
    mats: dict[int, tuple[np.ndarray, np.ndarray]]  # n -> (A, B), float32 n x n


MATMUL_SIZES = (64, 128, 256, 512, 1024, 2048)


def make_data(rows: int, dim: int, features: int = 256, hidden: int = 256, seed: int = 7) -> Data:
    rng = np.random.default_rng(seed)
    corpus = rng.standard_normal((rows, dim), dtype=np.float32)
    corpus /= np.linalg.norm(corpus, axis=1, keepdims=True)
    w1 = (rng.standard_normal((features, hidden), dtype=np.float32) / np.sqrt(features)).astype(
        np.float32
    )
    b1 = (0.1 * rng.standard_normal(hidden, dtype=np.float32)).astype(np.float32)
    w2 = (rng.standard_normal((hidden, 1), dtype=np.float32) / np.sqrt(hidden)).astype(np.float32)
    mats = {
        n: (
            rng.standard_normal((n, n), dtype=np.float32),
            rng.standard_normal((n, n), dtype=np.float32),
        )
        for n in MATMUL_SIZES
    }
    return Data(corpus, w1, b1, w2, 0.05, mats)


class BadInput(ValueError):
    """A request body that parsed but cannot be computed with (mapped to 422)."""


def _unit(norm: float) -> float:
    if not math.isfinite(norm) or norm == 0.0:
        raise BadInput("query must be a finite, non-zero vector")
    return 1.0 / norm


# --- NumPy ----------------------------------------------------------------------------------


class NumpyBlocking:
    """NumPy inline: what most services do first."""

    name = "numpy_blocking"

    def __init__(self, data: Data) -> None:
        self.data = data

    # Plain synchronous functions; ``NumpyThread`` runs the very same ones in a thread.
    def similarity_sync(self, query: Any, k: int) -> tuple[list[int], list[float]]:
        q = np.asarray(query, dtype=np.float32)
        q *= _unit(float(np.linalg.norm(q)))
        scores = self.data.corpus @ q
        top = np.argpartition(scores, -k)[-k:]
        top = top[np.argsort(-scores[top], kind="stable")]
        return top.tolist(), scores[top].tolist()

    def score_sync(self, x: Any) -> list[float]:
        x = np.asarray(x, dtype=np.float32)
        h = np.tanh(x @ self.data.w1 + self.data.b1)
        z = h @ self.data.w2 + self.data.b2
        return (1.0 / (1.0 + np.exp(-z[:, 0]))).tolist()

    def dot_sync(self, a: list[float], b: list[float]) -> float:
        return float(np.dot(np.asarray(a), np.asarray(b)))

    def matmul_sync(self, n: int) -> dict[str, float]:
        a, b = self.data.mats[n]
        c = a @ b
        return {"sum": float(c.sum()), "trace": float(np.trace(c))}

    # ``x`` for /score arrives as an array-like: a nested list (JSON) or a decoded binary body.
    def array_from_raw(self, body: bytes, shape: tuple[int, int]) -> np.ndarray:
        return np.frombuffer(body, dtype="<f4").reshape(shape)

    def array_from_ipc(self, body: bytes) -> np.ndarray:
        import pyarrow as pa  # NumPy alone cannot read Arrow IPC

        column = pa.ipc.open_stream(body).read_all().column(0).combine_chunks()
        if not pa.types.is_fixed_size_list(column.type) or column.null_count:
            raise BadInput("expected one FixedSizeList<float32> column without nulls")
        width = column.type.list_size
        return column.flatten().to_numpy().reshape(-1, width)

    async def similarity(self, query: list[float], k: int) -> tuple[list[int], list[float]]:
        return self.similarity_sync(query, k)

    async def score(self, x: Any) -> list[float]:
        return self.score_sync(x)

    async def dot(self, a: list[float], b: list[float]) -> float:
        return self.dot_sync(a, b)

    async def matmul(self, n: int) -> dict[str, float]:
        return self.matmul_sync(n)

    def stats(self) -> dict[str, Any]:
        return {}


class NumpyThread(NumpyBlocking):
    """NumPy in ``asyncio.to_thread``: the usual advice for keeping the loop free."""

    name = "numpy_thread"

    async def similarity(self, query: list[float], k: int) -> tuple[list[int], list[float]]:
        return await asyncio.to_thread(self.similarity_sync, query, k)

    async def score(self, x: Any) -> list[float]:
        return await asyncio.to_thread(self.score_sync, x)

    async def dot(self, a: list[float], b: list[float]) -> float:
        return await asyncio.to_thread(self.dot_sync, a, b)

    async def matmul(self, n: int) -> dict[str, float]:
        return await asyncio.to_thread(self.matmul_sync, n)


# --- Raptors --------------------------------------------------------------------------------


class Raptors:
    """``await ..._async`` on Raptors' pool. Small steps (a 64-element sigmoid, normalising a
    384-float query) stay synchronous: they take microseconds, less than a pool hop."""

    name = "raptors"

    def __init__(self, data: Data, timeout: float | None = None) -> None:
        # Zero-copy views of the NumPy-made data: Raptors reads NumPy's buffers directly.
        self.corpus = rp.asarray(data.corpus)
        self.w1, self.b1, self.w2 = rp.asarray(data.w1), rp.asarray(data.b1), rp.asarray(data.w2)
        self.b2 = data.b2
        self.mats = {n: (rp.asarray(a), rp.asarray(b)) for n, (a, b) in data.mats.items()}
        self.timeout = timeout

    async def similarity(self, query: list[float], k: int) -> tuple[list[int], list[float]]:
        q = rp.array(query, dtype=rp.float32)
        q *= _unit(math.sqrt(float(rp.vdot(q, q))))
        scores = await self.corpus.matmul_async(q, timeout=self.timeout)
        # topk of 200,000 scores takes about 55 us: synchronous, like the normalisation. As a
        # second await it would queue behind every scan admitted meanwhile (the queue is FIFO),
        # so under load responses finished in bursts of dozens and /health waited behind them
        # (p99 5.7-7.4 ms instead of 2.5-2.9 ms at 64 clients).
        values, indices = rp.topk(scores, k)
        return indices.tolist(), values.tolist()

    async def score(self, x: Any) -> list[float]:
        x = rp.asarray(x, dtype=rp.float32)
        h = await rp.matmul_async(x, self.w1, timeout=self.timeout)
        h += self.b1
        h = await rp.tanh_async(h, out=h, timeout=self.timeout)
        z = (h @ self.w2)[:, 0] + self.b2  # (batch, 256) @ (256, 1): a matrix-vector product
        return (1.0 / (1.0 + rp.exp(-z))).tolist()

    async def dot(self, a: list[float], b: list[float]) -> float:
        x, y = rp.array(a), rp.array(b)
        return float(await x.dot_async(y, timeout=self.timeout))

    async def matmul(self, n: int) -> dict[str, float]:
        a, b = self.mats[n]
        c = await a.matmul_async(b, timeout=self.timeout)
        # Summing the result takes microseconds: synchronous (see `similarity` for why a second
        # await of a short step costs more under load).
        return {"sum": float(c.sum()), "trace": float(rp.trace(c))}

    def array_from_raw(self, body: bytes, shape: tuple[int, int]) -> rp.ndarray:
        return rp.frombuffer(body, dtype=rp.float32).reshape(shape)  # zero-copy over the body

    def array_from_ipc(self, body: bytes) -> rp.ndarray:
        return rp.from_ipc(body)  # zero-copy over the body when the stream is one batch

    def stats(self) -> dict[str, Any]:
        return rp.scheduler_stats()


BACKENDS = {cls.name: cls for cls in (NumpyBlocking, NumpyThread, Raptors)}
