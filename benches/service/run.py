"""Load benchmark of examples/service: NumPy blocking vs NumPy in threads vs Raptors.

For each backend it starts the server (a separate process, one uvicorn worker), waits for it,
then for each endpoint and each concurrency warms up and drives the endpoint for a fixed time
with closed-loop clients while a probe hits /health every 10 ms. Reported per row: compute
req/s, compute p50/p99, /health p50/p99/max, the server's event-loop lag p99 (its own
monitor), errors, server CPU% (100 = one core) and its event-loop thread's share, and the
server's thread count (max sampled).

    python benches/service/run.py            # short form (~3 min), prints the table
    python benches/service/run.py --full     # every endpoint, longer phases; writes docs/service/

Outputs (in --out): results.json, results.md (the table) and results.png (the chart).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from loadgen import Connection, Request, drive, percentile

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "examples" / "service" / "server.py"
BACKENDS = ("numpy_blocking", "numpy_thread", "raptors")
CONCURRENCY = (1, 16, 64)
FEATURES, DIM, BATCH = 256, 384, 64


def endpoint_requests(name: str, variants: int = 32) -> list[Request]:
    """Request bodies for one benchmarked endpoint (several variants, sent round robin)."""
    rng = np.random.default_rng(1234)
    reqs = []
    for _ in range(variants):
        if name == "similarity":
            body = json.dumps({"query": rng.standard_normal(DIM).tolist(), "k": 10})
            reqs.append(Request.build("POST", "/similarity", body.encode(), "application/json"))
        elif name == "dot":
            a, b = rng.standard_normal(DIM).tolist(), rng.standard_normal(DIM).tolist()
            body = json.dumps({"a": a, "b": b})
            reqs.append(Request.build("POST", "/dot", body.encode(), "application/json"))
        elif name == "matmul":
            body = json.dumps({"n": 512}).encode()
            reqs.append(Request.build("POST", "/matmul", body, "application/json"))
        elif name.startswith("score"):
            x = rng.standard_normal((BATCH, FEATURES), dtype=np.float32)
            if name == "score_json":
                body = json.dumps({"features": x.tolist()}).encode()
                reqs.append(Request.build("POST", "/score", body, "application/json"))
            elif name == "score_arrow":
                reqs.append(
                    Request.build(
                        "POST", "/score", arrow_stream(x), "application/vnd.apache.arrow.stream"
                    )
                )
            elif name == "score_raw":
                headers = {"X-Shape": f"{BATCH},{FEATURES}"}
                reqs.append(
                    Request.build(
                        "POST", "/score", x.tobytes(), "application/octet-stream", headers
                    )
                )
            else:
                raise ValueError(name)
        else:
            raise ValueError(name)
    return reqs


def arrow_stream(x: np.ndarray) -> bytes:
    import pyarrow as pa

    column = pa.FixedSizeListArray.from_arrays(pa.array(x.ravel()), x.shape[1])
    batch = pa.record_batch([column], names=["features"])
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return sink.getvalue().to_pybytes()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ProcWatch:
    """CPU time and thread count of the server process, read from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.ticks = os.sysconf("SC_CLK_TCK")
        self.max_threads = 0
        self._stop = threading.Event()

    def cpu_seconds(self, task: int | None = None) -> float:
        """CPU time of the process, or of one of its threads (the main thread: its pid)."""
        path = f"/proc/{self.pid}/task/{task}/stat" if task else f"/proc/{self.pid}/stat"
        with open(path) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self.ticks  # utime + stime

    def threads(self) -> int:
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
        return 0

    def __enter__(self) -> ProcWatch:
        self.max_threads = self.threads()

        def sample() -> None:
            while not self._stop.wait(0.05):
                self.max_threads = max(self.max_threads, self.threads())

        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def start_server(backend: str, port: int, corpus_rows: int) -> subprocess.Popen:
    env = dict(os.environ)
    # OpenBLAS gets the machine's defaults, as a user's NumPy would (our CI shell sets these).
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    cmd = [sys.executable, str(SERVER), "--backend", backend, "--port", str(port)]
    cmd += ["--corpus-rows", str(corpus_rows), "--max-queue", "1024", "--on-full", "reject"]
    proc = subprocess.Popen(cmd, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{backend} server exited with {proc.returncode}")
        try:
            status, _ = asyncio.run(Connection("127.0.0.1", port).request(health_request()))
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{backend} server did not start")


def health_request() -> Request:
    return Request.build("GET", "/health")


def server_metrics(port: int, window: float) -> dict:
    req = Request.build("GET", f"/metrics?window={window:.3f}")
    status, body = asyncio.run(Connection("127.0.0.1", port).request(req))
    return json.loads(body) if status == 200 else {}


def run_phase(port: int, watch: ProcWatch, reqs: list[Request], clients: int, seconds: float):
    asyncio.run(drive("127.0.0.1", port, reqs, clients, min(1.0, seconds / 3)))  # warm up
    cpu0, loop0, t0 = watch.cpu_seconds(), watch.cpu_seconds(watch.pid), time.perf_counter()
    watch.max_threads = watch.threads()
    compute, health = asyncio.run(
        drive("127.0.0.1", port, reqs, clients, seconds, probe=health_request())
    )
    wall = time.perf_counter() - t0
    cpu = watch.cpu_seconds() - cpu0
    loop_cpu = watch.cpu_seconds(watch.pid) - loop0
    metrics = server_metrics(port, wall)
    lag, gc_pauses = metrics.get("loop_lag", {}), metrics.get("gc_pauses", {})
    ms = 1e3
    return {
        "clients": clients,
        "seconds": round(wall, 2),
        "req_s": compute.in_window / seconds,
        "p50_ms": percentile(compute.latencies, 0.5) * ms,
        "p99_ms": percentile(compute.latencies, 0.99) * ms,
        "health_p50_ms": percentile(health.latencies, 0.5) * ms,
        "health_p99_ms": percentile(health.latencies, 0.99) * ms,
        "health_max_ms": max(health.latencies, default=float("nan")) * ms,
        "health_n": len(health.latencies),
        "lag_p99_ms": lag.get("p99_ms", float("nan")),
        "lag_max_ms": lag.get("max_ms", float("nan")),
        "errors": compute.errors + health.errors,
        "statuses": {str(k): v for k, v in sorted(compute.statuses.items())},
        "gc_max_ms": gc_pauses.get("max_ms", float("nan")),
        "cpu_pct": 100 * cpu / wall,
        "loop_cpu_pct": 100 * loop_cpu / wall,
        "threads": watch.max_threads,
    }


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import raptors as rp

    return (
        f"{model}, {os.cpu_count()} logical CPUs, Raptors threads {rp.get_num_threads()}, "
        f"Python {platform.python_version()}, NumPy {np.__version__}, {platform.system()}"
    )


def table(rows: list[dict]) -> str:
    head = (
        "| endpoint | backend | clients | req/s | p50 ms | p99 ms | health p50 | health p99 "
        "| health max | loop lag p99 | errors | CPU % | loop CPU % | threads |"
    )
    lines = [head, "|" + "---|" * 14]
    for r in rows:
        lines.append(
            f"| {r['endpoint']} | {r['backend']} | {r['clients']} | {r['req_s']:.1f} "
            f"| {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['health_p50_ms']:.1f} "
            f"| {r['health_p99_ms']:.1f} | {r['health_max_ms']:.0f} | {r['lag_p99_ms']:.1f} "
            f"| {r['errors']} | {r['cpu_pct']:.0f} | {r['loop_cpu_pct']:.0f} | {r['threads']} |"
        )
    return "\n".join(lines)


def ratios(rows: list[dict]) -> str:
    """Raptors' throughput and p99 against both NumPy ways, per endpoint and concurrency."""
    by = {(r["endpoint"], r["backend"], r["clients"]): r for r in rows}
    out = [
        "| endpoint | clients | req/s vs blocking | req/s vs thread | p99 vs thread "
        "| health p99 ms | lag p99 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for (endpoint, backend, clients), r in by.items():
        if backend != "raptors":
            continue
        blocking = by.get((endpoint, "numpy_blocking", clients))
        thread = by.get((endpoint, "numpy_thread", clients))
        if not blocking or not thread:
            continue
        out.append(
            f"| {endpoint} | {clients} | {r['req_s'] / blocking['req_s']:.2f}x "
            f"| {r['req_s'] / thread['req_s']:.2f}x | {r['p99_ms'] / thread['p99_ms']:.2f}x "
            f"| {r['health_p99_ms']:.1f} | {r['lag_p99_ms']:.1f} |"
        )
    return "\n".join(out)


def chart(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    endpoints = list(dict.fromkeys(r["endpoint"] for r in rows))
    colors = {"numpy_blocking": "#9e9e9e", "numpy_thread": "#f0a030", "raptors": "#2a7ab8"}
    fig, axes = plt.subplots(2, len(endpoints), figsize=(3.6 * len(endpoints), 6.4), squeeze=False)
    width = 0.27
    for col, endpoint in enumerate(endpoints):
        for row, (key, label) in enumerate(
            (("req_s", "compute req/s"), ("health_p99_ms", "/health p99 (ms, log)"))
        ):
            ax = axes[row][col]
            for i, backend in enumerate(BACKENDS):
                pts = [r for r in rows if r["endpoint"] == endpoint and r["backend"] == backend]
                xs = [CONCURRENCY.index(r["clients"]) + (i - 1) * width for r in pts]
                ax.bar(xs, [r[key] for r in pts], width, label=backend, color=colors[backend])
            ax.set_xticks(
                range(len(CONCURRENCY)), [f"{c} client{'s' * (c > 1)}" for c in CONCURRENCY]
            )
            if row == 0:
                ax.set_title(endpoint)
            else:
                ax.set_yscale("log")
            if col == 0:
                ax.set_ylabel(label)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=len(BACKENDS), frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    fig.savefig(path, dpi=110)


def replot(out: Path) -> None:
    """Redraw results.png from results.json (after changing the chart only)."""
    chart(json.loads((out / "results.json").read_text())["rows"], out / "results.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="every endpoint, 8 s phases")
    parser.add_argument("--seconds", type=float, help="measured seconds per phase")
    parser.add_argument("--endpoints", help="comma-separated subset")
    parser.add_argument("--backends", help="comma-separated subset")
    parser.add_argument("--corpus-rows", type=int, default=200_000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.full:
        endpoints = ["similarity", "score_json", "score_arrow", "score_raw", "dot", "matmul"]
        seconds, out = 8.0, ROOT / "docs" / "service"
    else:
        endpoints = ["similarity", "matmul", "score_json", "score_raw"]
        seconds, out = 3.0, ROOT / "target" / "service-bench"
    if args.endpoints:
        endpoints = args.endpoints.split(",")
    backends = args.backends.split(",") if args.backends else list(BACKENDS)
    seconds = args.seconds or seconds
    out = args.out or out
    out.mkdir(parents=True, exist_ok=True)
    requests = {name: endpoint_requests(name) for name in endpoints}

    print(f"machine: {machine()}", flush=True)
    rows = []
    for backend in backends:
        port = free_port()
        proc = start_server(backend, port, args.corpus_rows)
        try:
            with ProcWatch(proc.pid) as watch:
                for endpoint in endpoints:
                    for clients in CONCURRENCY:
                        r = run_phase(port, watch, requests[endpoint], clients, seconds)
                        r = {"endpoint": endpoint, "backend": backend, **r}
                        rows.append(r)
                        print(
                            f"{endpoint:12s} {backend:15s} c={clients:3d} {r['req_s']:8.1f} req/s"
                            f"  p99 {r['p99_ms']:8.1f} ms  health p99 {r['health_p99_ms']:8.1f}"
                            f" ms  lag p99 {r['lag_p99_ms']:7.1f} ms  err {r['errors']}"
                            f"  cpu {r['cpu_pct']:4.0f}% (loop {r['loop_cpu_pct']:3.0f}%)  thr {r['threads']}",
                            flush=True,
                        )
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    rows.sort(key=lambda r: (endpoints.index(r["endpoint"]), r["clients"], r["backend"]))
    report = f"Machine: {machine()}\n\n{table(rows)}\n\nRaptors against NumPy:\n\n{ratios(rows)}\n"
    (out / "results.json").write_text(
        json.dumps({"machine": machine(), "seconds": seconds, "rows": rows}, indent=1)
    )
    (out / "results.md").write_text(report)
    chart(rows, out / "results.png")
    print("\n" + report)
    print(f"written: {out}/results.json, results.md, results.png")


if __name__ == "__main__":
    main()
