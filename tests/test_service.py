"""End to end: the FastAPI demo (examples/service) served by uvicorn on a free loopback port.

Checks every endpoint against NumPy computed here from the same seeded data, malformed and
oversized bodies, the 503 path of a full queue, and that /health is answered while long
computations are in flight (an ordering check, not a timing threshold).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples" / "service"))
from backends import make_data  # noqa: E402

ROWS = 3000
DIM = 384


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, backend: str, *extra: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, str(ROOT / "examples" / "service" / "server.py")]
        cmd += ["--backend", backend, "--port", str(self.port), "--corpus-rows", str(ROWS), *extra]
        env = {**os.environ, "RAPTORS_NUM_THREADS": "2"}
        self.proc = subprocess.Popen(cmd, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"server exited with {self.proc.returncode}"
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def data():
    return make_data(ROWS, DIM)


@pytest.fixture(scope="module")
def server():
    s = Server("raptors")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


def _queries(n: int) -> list[list[float]]:
    rng = np.random.default_rng(99)
    return [rng.standard_normal(DIM).tolist() for _ in range(n)]


def _features(rows: int, seed: int = 5) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((rows, 256), dtype=np.float32)


def _arrow_body(x: np.ndarray) -> bytes:
    pa = pytest.importorskip("pyarrow")
    column = pa.FixedSizeListArray.from_arrays(pa.array(x.ravel()), x.shape[1])
    batch = pa.record_batch([column], names=["features"])
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return sink.getvalue().to_pybytes()


def _raw(x: np.ndarray, shape: str | None = None) -> dict:
    headers = {"content-type": "application/octet-stream"}
    headers["x-shape"] = shape if shape is not None else f"{x.shape[0]},{x.shape[1]}"
    return {"content": x.astype("<f4").tobytes(), "headers": headers}


ARROW = {"content-type": "application/vnd.apache.arrow.stream"}


def expected_similarity(data, query, k):
    q = np.asarray(query, dtype=np.float32)
    q /= np.linalg.norm(q)
    scores = data.corpus @ q
    order = np.argsort(-scores, kind="stable")[:k]
    return order.tolist(), scores[order]


def expected_score(data, x):
    x64 = np.asarray(x, dtype=np.float64)
    h = np.tanh(x64 @ data.w1 + data.b1)
    z = h @ data.w2[:, 0] + data.b2
    return 1 / (1 + np.exp(-z))


# --- results against NumPy ------------------------------------------------------------------


def test_health_and_metrics(client):
    assert client.get("/health").json() == {"status": "ok"}
    m = client.get("/metrics", params={"window": 5}).json()
    assert m["backend"] == "raptors"
    assert m["scheduler"]["threads"] == 2 and m["scheduler"]["on_full"] == "reject"
    assert {"samples", "p50_ms", "p99_ms", "max_ms"} <= m["loop_lag"].keys()
    assert m["threads"] >= 3


@pytest.mark.parametrize("k", [1, 10, 100])
def test_similarity_matches_numpy(client, data, k):
    for query in _queries(3):
        r = client.post("/similarity", json={"query": query, "k": k})
        assert r.status_code == 200, r.text
        body = r.json()
        indices, scores = expected_similarity(data, query, k)
        assert body["indices"] == indices
        np.testing.assert_allclose(body["scores"], scores, rtol=1e-5, atol=1e-6)


def test_similarity_k_larger_than_corpus(client, data):
    query = _queries(1)[0]
    r = client.post("/similarity", json={"query": query, "k": 1000})
    assert r.status_code == 200 and len(r.json()["indices"]) == 1000


@pytest.mark.parametrize("rows", [1, 7, 64])
def test_score_bodies_match_numpy(client, data, rows):
    x = _features(rows, seed=rows)
    want = expected_score(data, x)
    via_json = client.post("/score", json={"features": x.tolist()})
    via_raw = client.post("/score", **_raw(x))
    via_arrow = client.post("/score", content=_arrow_body(x), headers=ARROW)
    for r in (via_json, via_raw, via_arrow):
        assert r.status_code == 200, r.text
        np.testing.assert_allclose(r.json()["scores"], want, rtol=2e-5, atol=1e-6)
    assert via_raw.json() == via_arrow.json() == via_json.json()


def test_score_empty_batch(client):
    assert client.post("/score", json={"features": []}).json() == {"scores": []}
    r = client.post("/score", **_raw(np.zeros((0, 256), np.float32)))
    assert r.json() == {"scores": []}


def test_dot_matches_numpy(client):
    rng = np.random.default_rng(3)
    for n in (0, 1, 384, 10_000):
        a, b = rng.standard_normal(n), rng.standard_normal(n)
        r = client.post("/dot", json={"a": a.tolist(), "b": b.tolist()})
        assert r.status_code == 200, r.text
        assert r.json()["dot"] == pytest.approx(float(a @ b), rel=1e-12, abs=1e-12)


def test_json_numbers_parse_as_json_loads_does(client):
    """Bodies go through pydantic_core.from_json: every spelling of a JSON number gives the
    value json.loads gives (exponents, subnormals, -0.0, integers beyond 2^53)."""
    a = "[1e-320, -0.0, 1E+2, 12345678901234567890, 0.1, -5, 2.5e-3, 1.7976931348623157e308]"
    b = "[1e5, 3.0, 0.5, 1e-19, 7, 0.25, -4e2, 1e-308]"
    body = f'{{"a": {a}, "b": {b}}}'.encode()
    r = client.post("/dot", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text
    x, y = np.array(json.loads(a), dtype=np.float64), np.array(json.loads(b), dtype=np.float64)
    assert r.json()["dot"] == pytest.approx(float(x @ y), rel=1e-12)


@pytest.mark.parametrize("n", [64, 512])
def test_matmul_matches_numpy(client, data, n):
    a, b = data.mats[n]
    c = a.astype(np.float64) @ b.astype(np.float64)
    body = client.post("/matmul", json={"n": n}).json()
    assert body["n"] == n
    scale = np.abs(c).sum()
    assert abs(body["sum"] - c.sum()) <= 1e-5 * scale
    assert body["trace"] == pytest.approx(np.trace(c), abs=1e-5 * np.abs(np.diag(c)).sum())


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/similarity", {"query": [1.0, 2.0], "k": 3}),  # wrong dimension
        ("/similarity", {"query": [0.0] * DIM}),  # zero vector: no direction
        ("/similarity", {"query": [1.0] * DIM, "k": 0}),
        ("/similarity", {"query": ["x"] * DIM}),
        ("/similarity", {"k": 3}),
        ("/dot", {"a": [1.0, 2.0], "b": [1.0]}),
        ("/dot", {"a": "nope", "b": []}),
        ("/matmul", {"n": 3}),
        ("/score", {"features": [[1.0] * 255]}),
        ("/score", {"features": [[1.0] * 256, [1.0] * 10]}),
        ("/score", {"rows": []}),
    ],
)
def test_bad_json_bodies_are_422(client, path, body):
    r = client.post(path, json=body)
    assert r.status_code == 422, r.text
    assert "detail" in r.json()


def test_malformed_json_is_422(client):
    for path in ("/similarity", "/score", "/dot", "/matmul"):
        r = client.post(path, content=b"{not json", headers={"content-type": "application/json"})
        assert r.status_code == 422, (path, r.text)
        if path != "/score":  # parsed by FastAPI (through the app's fast JSON request class)
            assert r.json()["detail"][0]["type"] == "json_invalid", r.text


def test_bad_binary_bodies(client):
    x = _features(4)
    good = _arrow_body(x)
    cases = [
        (_raw(x, shape="5,256"), 422),  # declared shape does not match the bytes
        (_raw(x, shape="4,255"), 422),
        (_raw(x, shape="four,256"), 422),
        ({"content": x.tobytes(), "headers": {"content-type": "application/octet-stream"}}, 422),
        (_raw(x, shape="1000000,256"), 413),  # beyond the configured limit: refused unread
        ({"content": b"garbage" * 50, "headers": ARROW}, 422),
        ({"content": good[: len(good) // 2], "headers": ARROW}, 422),
        ({"content": _arrow_body(_features(3)[:, :128].copy()), "headers": ARROW}, 422),
        ({"content": x.tobytes(), "headers": {"content-type": "text/csv"}}, 415),
    ]
    for kwargs, status in cases:
        r = client.post("/score", **kwargs)
        assert r.status_code == status, (kwargs["headers"], r.status_code, r.text)
    # still healthy and still right afterwards
    assert client.post("/score", content=good, headers=ARROW).status_code == 200


def test_oversized_body_is_413_before_reading(server):
    # Declare a huge body and send none of it: the server must answer from the headers alone.
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(
            b"POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/vnd.apache.arrow.stream"
            b"\r\nContent-Length: 999999999999\r\n\r\n"
        )
        reply = s.recv(4096)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]


def test_arrow_fixed_shape_tensor_body(client, data):
    pa = pytest.importorskip("pyarrow")
    x = _features(5, seed=11)
    tensor_type = pa.fixed_shape_tensor(pa.float32(), [256])
    storage = pa.FixedSizeListArray.from_arrays(pa.array(x.ravel()), 256)
    column = pa.ExtensionArray.from_storage(tensor_type, storage)
    batch = pa.record_batch([column], names=["x"])
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    r = client.post("/score", content=sink.getvalue().to_pybytes(), headers=ARROW)
    assert r.status_code == 200, r.text
    np.testing.assert_allclose(r.json()["scores"], expected_score(data, x), rtol=2e-5)


# --- load behaviour ---------------------------------------------------------------------------


def test_full_queue_answers_503_with_retry_after():
    s = Server("raptors", "--max-queue", "1", "--on-full", "reject")
    try:

        async def burst():
            async with httpx.AsyncClient(base_url=s.url, timeout=120) as c:
                return await asyncio.gather(
                    *(c.post("/matmul", json={"n": 1024}) for _ in range(24))
                )

        replies = asyncio.run(burst())
        codes = [r.status_code for r in replies]
        assert set(codes) <= {200, 503}, codes
        assert 503 in codes and 200 in codes, codes
        busy = next(r for r in replies if r.status_code == 503)
        assert busy.headers["retry-after"] == "1"
        stats = httpx.get(s.url + "/metrics").json()["scheduler"]
        assert stats["rejected"] >= codes.count(503)
    finally:
        s.stop()


def test_health_answered_while_long_jobs_run(server):
    """32 long matmuls in flight; /health must come back before the first of them."""

    async def scenario():
        done: list[tuple[str, float]] = []
        async with httpx.AsyncClient(
            base_url=server.url, timeout=300, limits=httpx.Limits(max_connections=64)
        ) as c:

            async def compute():
                r = await c.post("/matmul", json={"n": 2048})
                assert r.status_code == 200, r.text
                done.append(("compute", time.perf_counter()))

            tasks = [asyncio.create_task(compute()) for _ in range(32)]
            # Wait (through the server itself) until its pool is busy with them.
            while True:
                stats = (await c.get("/metrics")).json()["scheduler"]
                if stats["running"] + stats["queued"] >= 1 or done:
                    break
                await asyncio.sleep(0.002)
            r = await c.get("/health")
            assert r.status_code == 200
            done.append(("health", time.perf_counter()))
            await asyncio.gather(*tasks)
        return done

    done = asyncio.run(scenario())
    assert done[0][0] == "health", done[:3]
    assert sum(kind == "compute" for kind, _ in done) == 32


def _gate_run(limit: int, methods: list[str], app_awaits: bool):
    """Drives app.InflightGate with one scope per entry of ``methods`` around a dummy ASGI
    app; returns (admission order, the most inside at once, requests finished when a
    callback queued right after them ran)."""
    from app import InflightGate

    order, inside, most = [], 0, 0

    async def dummy(scope, receive, send):
        nonlocal inside, most
        order.append(scope["i"])
        inside += 1
        most = max(most, inside)
        if app_awaits:
            await asyncio.sleep(0.001)
        inside -= 1

    async def main():
        gate = InflightGate(dummy, limit)
        loop = asyncio.get_running_loop()
        tasks = [
            asyncio.create_task(gate({"type": "http", "method": m, "i": i}, None, None))
            for i, m in enumerate(methods)
        ]
        seen = loop.create_future()
        loop.call_soon(lambda: seen.set_result(sum(t.done() for t in tasks)))
        await asyncio.gather(*tasks)
        return await seen

    finished = asyncio.run(main())
    return order, most, finished


def test_inflight_gate_bounds_and_orders_post_requests():
    order, most, _ = _gate_run(3, ["POST"] * 20, app_awaits=True)
    assert most == 3
    assert order == list(range(20))  # first come, first served
    # GETs pass a full gate: the GET (index 10) is in before the POSTs that wait for a slot.
    order, _, _ = _gate_run(2, ["POST"] * 10 + ["GET"], app_awaits=True)
    assert order.index(10) < order.index(2)
    # 0 turns it off.
    _, most, _ = _gate_run(0, ["POST"] * 20, app_awaits=True)
    assert most == 20


def test_inflight_gate_holds_a_slot_across_a_loop_turn():
    """Requests whose handling never awaits still take turns: a callback queued behind 20 of
    them runs after at most `limit` have finished, not after all 20."""
    _, _, finished = _gate_run(4, ["POST"] * 20, app_awaits=False)
    assert finished == 0
    _, _, finished = _gate_run(0, ["POST"] * 20, app_awaits=False)
    assert finished == 20


@pytest.mark.parametrize("backend", ["numpy_blocking", "numpy_thread"])
def test_numpy_backends_agree(backend, client):
    """The NumPy variants the benchmark compares against compute the same answers."""
    s = Server(backend)
    try:
        with httpx.Client(base_url=s.url, timeout=60) as other:
            query = _queries(1)[0]
            x = _features(8)
            for path, kwargs in [
                ("/similarity", {"json": {"query": query, "k": 10}}),
                ("/score", {"json": {"features": x.tolist()}}),
                ("/score", _raw(x)),
                ("/score", {"content": _arrow_body(x), "headers": ARROW}),
                ("/dot", {"json": {"a": query, "b": query[::-1]}}),
                ("/matmul", {"json": {"n": 256}}),
            ]:
                mine, theirs = client.post(path, **kwargs), other.post(path, **kwargs)
                assert mine.status_code == theirs.status_code == 200, (path, theirs.text)
                a, b = json.loads(mine.text), json.loads(theirs.text)
                if "indices" in a:
                    assert a["indices"] == b["indices"]
                    np.testing.assert_allclose(a["scores"], b["scores"], rtol=1e-5)
                elif "scores" in a:
                    np.testing.assert_allclose(a["scores"], b["scores"], rtol=2e-5)
                else:
                    for key in a:
                        assert a[key] == pytest.approx(b[key], rel=1e-4, abs=1e-2), (path, key)
            assert other.post("/dot", json={"a": [1.0], "b": []}).status_code == 422
    finally:
        s.stop()
