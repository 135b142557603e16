"""FastAPI service: similarity search, a small scoring model, dot and matmul, served three ways.

Run it with ``python examples/service/server.py --backend raptors`` (see ``--help``), or from
code with ``create_app(Settings(...))``. The backend is chosen at start (``backends.py``); the
endpoints and their validation are shared, so the backends differ only in how they compute.

Endpoints
    POST /similarity  {"query": [384 floats], "k": 10} -> top-k cosine similarity over the corpus
    POST /score       batch x 256 features -> dense 256x256 -> tanh -> dense -> sigmoid.
                      Body: JSON {"features": [[...], ...]}, or binary: an Arrow IPC stream
                      (application/vnd.apache.arrow.stream, one FixedSizeList<float32>[256] or
                      fixed_shape_tensor column) or raw little-endian float32
                      (application/octet-stream with header ``X-Shape: rows,256``).
    POST /dot         {"a": [...], "b": [...]} -> {"dot": a . b}
    POST /matmul      {"n": 512} -> sum and trace of A @ B for the server's n x n matrices
    GET  /health      trivial; its latency is the event loop's responsiveness
    GET  /metrics     scheduler stats, event-loop lag percentiles, process threads
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import sys
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Annotated, Any

import pydantic_core
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field, ValidationError

sys.path.insert(0, os.path.dirname(__file__))
import raptors as rp
from backends import BACKENDS, MATMUL_SIZES, BadInput, make_data

ARROW_STREAM = "application/vnd.apache.arrow.stream"
OCTET_STREAM = "application/octet-stream"
FEATURES = 256


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass
class Settings:
    backend: str = field(default_factory=lambda: os.environ.get("SERVICE_BACKEND", "raptors"))
    corpus_rows: int = field(default_factory=lambda: _env_int("SERVICE_CORPUS_ROWS", 200_000))
    dim: int = field(default_factory=lambda: _env_int("SERVICE_DIM", 384))
    max_batch: int = field(default_factory=lambda: _env_int("SERVICE_MAX_BATCH", 4096))
    max_vector: int = field(default_factory=lambda: _env_int("SERVICE_MAX_VECTOR", 1_000_000))
    # Raptors only: admission queue bound, what a full queue does, per-request timeout.
    max_queue: int = field(default_factory=lambda: _env_int("SERVICE_MAX_QUEUE", 256))
    on_full: str = field(default_factory=lambda: os.environ.get("SERVICE_ON_FULL", "reject"))
    timeout: float = field(default_factory=lambda: float(os.environ.get("SERVICE_TIMEOUT", "30")))
    # POST requests handled at once; the rest wait their turn before any of their work runs
    # (0: no limit). See InflightGate.
    max_inflight: int = field(default_factory=lambda: _env_int("SERVICE_MAX_INFLIGHT", 8))


# --- request and response bodies --------------------------------------------------------------


class SimilarityRequest(BaseModel):
    query: list[float]
    k: Annotated[int, Field(ge=1, le=1000)] = 10


class SimilarityResponse(BaseModel):
    indices: list[int]
    scores: list[float]


class ScoreRequest(BaseModel):
    features: list[list[float]]


class ScoreResponse(BaseModel):
    scores: list[float]


class DotRequest(BaseModel):
    a: list[float]
    b: list[float]


class DotResponse(BaseModel):
    dot: float


class MatmulRequest(BaseModel):
    n: int = 512


class MatmulResponse(BaseModel):
    n: int
    sum: float
    trace: float


# --- event-loop lag ---------------------------------------------------------------------------


class Window:
    """(time, value) samples of the last few minutes; percentiles over a trailing window."""

    def __init__(self, keep: int = 60_000) -> None:
        self.samples: deque[tuple[float, float]] = deque(maxlen=keep)

    def add(self, value: float) -> None:
        self.samples.append((time.perf_counter(), value))

    def summary(self, window: float) -> dict[str, float]:
        cutoff = time.perf_counter() - window
        values = sorted(v for t, v in self.samples if t >= cutoff)
        if not values:
            return {"samples": 0, "p50_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}
        pick = lambda q: values[min(len(values) - 1, int(q * len(values)))] * 1e3  # noqa: E731
        return {
            "samples": len(values),
            "p50_ms": pick(0.5),
            "p99_ms": pick(0.99),
            "max_ms": pick(1),
        }


class LoopLag(Window):
    """How late a 5 ms sleep wakes up: the time the loop was busy with something else (or
    waited for a CPU). perf_counter, not loop.time(): uvloop's clock has 1 ms resolution."""

    async def run(self, interval: float = 0.005) -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(interval)
            self.add(max(0.0, time.perf_counter() - start - interval))


class GcPauses(Window):
    """Durations of Python's garbage collections: they stop the loop too."""

    def __init__(self) -> None:
        super().__init__()
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.add(time.perf_counter() - self._start)


def _process_threads() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import threading

    return threading.active_count()


# --- body reading -----------------------------------------------------------------------------


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refusing (413) anything over ``limit`` bytes before reading it when the
    client declared its length, and as soon as the limit is crossed when it streams."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise HTTPException(400, "bad Content-Length")
        if int(declared) > limit:
            raise HTTPException(413, f"body of {declared} bytes exceeds the limit of {limit}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"body exceeds the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)  # a single chunk is returned as is, without a copy


def _parse_shape(header: str | None, max_rows: int) -> tuple[int, int]:
    if header is None:
        raise HTTPException(422, "raw float32 bodies need an X-Shape: rows,256 header")
    try:
        rows, cols = (int(part) for part in header.split(","))
    except ValueError:
        raise HTTPException(422, f"bad X-Shape header {header!r}") from None
    if cols != FEATURES or rows < 0:
        raise HTTPException(422, f"X-Shape must be rows,{FEATURES}; got {header!r}")
    if rows > max_rows:
        raise HTTPException(413, f"{rows} rows exceed the limit of {max_rows}")
    return rows, cols


class InflightGate:
    """ASGI middleware: at most ``limit`` POST requests are handled at once, the others wait
    in arrival order before FastAPI reads, parses or validates anything of theirs.

    Request handling itself runs on the event loop (HTTP parsing, JSON, pydantic, responses:
    about 0.25 ms per /dot request here). Under a closed loop of 64 clients every request is
    runnable at once, and a /health request waits behind all of them: 20-40 ms on /dot even
    though the math takes microseconds. With the gate, at most ``limit`` of them are ahead of
    it. That needs the slot held across a loop turn: a /dot request runs from admission to
    response in one step, so a plain semaphore is free again before the next task runs and
    bounds nothing. Throughput is unchanged (the loop does the same work), and so is compute
    concurrency as long as the limit is above what the backend runs at once (Raptors' queue,
    ``asyncio.to_thread``'s 6 threads here). GET requests (/health, /metrics) pass freely.
    """

    def __init__(self, app: Callable[..., Any], limit: int) -> None:
        self.app, self.limit = app, limit
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if self.limit <= 0 or scope["type"] != "http" or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        if self._slots is None:  # made on first use, inside the server's loop
            self._slots = asyncio.Semaphore(self.limit)
        async with self._slots:
            # Hold the slot across one loop turn: a request is admitted in one turn and
            # handled in the next, so a turn handles at most `limit` requests before the loop
            # polls its sockets again.
            await asyncio.sleep(0)
            await self.app(scope, receive, send)


class _JSONRequest(Request):
    """A request whose JSON body is parsed by pydantic's Rust parser instead of ``json.loads``.

    Number arrays are where ``json.loads`` is slow: a /dot body (two 384-float vectors, 16 KB)
    takes 227 µs with it and 27 µs with ``pydantic_core.from_json`` on this machine. That is
    event-loop time, so every backend gets it. Malformed JSON is handed to ``json.loads``,
    whose ``JSONDecodeError`` FastAPI turns into its usual 422.
    """

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            body = await self.body()
            try:
                self._json = pydantic_core.from_json(body)
            except ValueError:
                self._json = json.loads(body)
        return self._json


class _JSONRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            return await handler(_JSONRequest(request.scope, request.receive))

        return route


# --- the app ----------------------------------------------------------------------------------


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    if settings.backend not in BACKENDS:
        raise ValueError(f"backend must be one of {sorted(BACKENDS)}, got {settings.backend!r}")
    lag, gc_pauses = LoopLag(), GcPauses()
    state: dict[str, Any] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        data = make_data(settings.corpus_rows, settings.dim, FEATURES)
        cls = BACKENDS[settings.backend]
        if cls.name == "raptors":
            rp.configure(max_queue=settings.max_queue, on_full=settings.on_full)
            state["backend"] = cls(data, timeout=settings.timeout)
        else:
            state["backend"] = cls(data)
        monitor = asyncio.create_task(lag.run())
        # Everything made so far (modules, app, routes, data) lives as long as the process:
        # keep it out of the collector's full passes, which otherwise stop the loop for tens
        # of milliseconds under load (measured: 53 ms at 64 clients).
        gc.freeze()
        gc.callbacks.append(gc_pauses)
        yield
        gc.callbacks.remove(gc_pauses)
        monitor.cancel()

    app = FastAPI(title="Raptors service demo", lifespan=lifespan)
    app.router.route_class = _JSONRoute
    app.add_middleware(InflightGate, limit=settings.max_inflight)

    @app.exception_handler(rp.Overloaded)
    async def overloaded(request: Request, exc: rp.Overloaded) -> JSONResponse:
        # The queue is full: tell the client (or the load balancer) to come back shortly.
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "1"})

    @app.exception_handler(TimeoutError)
    async def timed_out(request: Request, exc: TimeoutError) -> JSONResponse:
        return JSONResponse({"detail": "computation timed out"}, status_code=504)

    @app.exception_handler(BadInput)
    async def bad_input(request: Request, exc: BadInput) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    def backend():
        return state["backend"]

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/metrics")
    async def metrics(window: float = 60.0) -> dict[str, Any]:
        return {
            "backend": settings.backend,
            "loop_lag": lag.summary(window),
            "gc_pauses": gc_pauses.summary(window),
            "threads": _process_threads(),
            "scheduler": backend().stats(),
        }

    @app.post("/similarity")
    async def similarity(req: SimilarityRequest) -> SimilarityResponse:
        if len(req.query) != settings.dim:
            raise BadInput(f"query must have {settings.dim} values, got {len(req.query)}")
        k = min(req.k, settings.corpus_rows)
        indices, scores = await backend().similarity(req.query, k)
        return SimilarityResponse(indices=indices, scores=scores)

    score_body = {
        "content": {
            "application/json": {"schema": ScoreRequest.model_json_schema()},
            ARROW_STREAM: {"schema": {"type": "string", "format": "binary"}},
            OCTET_STREAM: {"schema": {"type": "string", "format": "binary"}},
        },
        "required": True,
    }

    @app.post("/score", openapi_extra={"requestBody": score_body})
    async def score(request: Request) -> ScoreResponse:
        kind = request.headers.get("content-type", "application/json").split(";")[0].strip()
        limit_rows = settings.max_batch
        if kind == OCTET_STREAM:
            shape = _parse_shape(request.headers.get("x-shape"), limit_rows)
            body = await _read_body(request, shape[0] * FEATURES * 4)
            if len(body) != shape[0] * FEATURES * 4:
                raise BadInput(
                    f"X-Shape {shape} needs {shape[0] * FEATURES * 4} bytes, got {len(body)}"
                )
            x = backend().array_from_raw(body, shape)
        elif kind == ARROW_STREAM:
            # Schema and message framing take well under 64 KiB on top of the values.
            body = await _read_body(request, limit_rows * FEATURES * 4 + 65536)
            try:
                x = backend().array_from_ipc(body)
            except (ValueError, TypeError, NotImplementedError) as exc:
                # (pyarrow's errors for the NumPy backends derive from these as well)
                raise BadInput(f"bad Arrow IPC stream: {exc}") from None
            if x.ndim != 2 or x.shape[1] != FEATURES:
                raise BadInput(f"expected a (rows, {FEATURES}) tensor, got shape {x.shape}")
            if x.shape[0] > limit_rows:
                raise HTTPException(413, f"{x.shape[0]} rows exceed the limit of {limit_rows}")
        elif kind == "application/json":
            # JSON numbers take ~10 bytes each; refuse bodies that cannot be a legal batch.
            body = await _read_body(request, limit_rows * FEATURES * 32 + 1024)
            try:
                x = ScoreRequest.model_validate_json(body).features
            except ValidationError as exc:
                errors = exc.errors(include_url=False, include_input=False)
                raise RequestValidationError(errors) from None
            if len(x) > limit_rows:
                raise HTTPException(413, f"{len(x)} rows exceed the limit of {limit_rows}")
            if any(len(row) != FEATURES for row in x):
                raise BadInput(f"every row needs {FEATURES} features")
        else:
            raise HTTPException(415, f"unsupported content type {kind!r}")
        if len(x) == 0:
            return ScoreResponse(scores=[])
        return ScoreResponse(scores=await backend().score(x))

    @app.post("/dot")
    async def dot(req: DotRequest) -> DotResponse:
        if len(req.a) != len(req.b):
            raise BadInput(f"shapes ({len(req.a)},) and ({len(req.b)},) not aligned")
        if len(req.a) > settings.max_vector:
            raise HTTPException(413, f"vectors longer than {settings.max_vector}")
        return DotResponse(dot=await backend().dot(req.a, req.b))

    @app.post("/matmul")
    async def matmul(req: MatmulRequest) -> MatmulResponse:
        if req.n not in MATMUL_SIZES:
            raise BadInput(f"n must be one of {MATMUL_SIZES}")
        return MatmulResponse(n=req.n, **await backend().matmul(req.n))

    return app


app = create_app()  # cheap: the data is made at start-up (lifespan), not at import
