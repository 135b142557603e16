"""Start the demo service: ``python examples/service/server.py --backend raptors --port 8000``.

Every option also has an environment variable (``SERVICE_*``, see ``app.Settings``). uvicorn
runs one worker with uvloop and httptools when they are installed; see docs/service.md for how
to size workers, ``RAPTORS_NUM_THREADS`` and the queue in production.
"""

from __future__ import annotations

import argparse
import os
import sys

import uvicorn

# This process owns its cores: Raptors' compute threads run as SCHED_IDLE, so the event loop
# preempts them the moment it wakes (the library default, nice +10, can leave it waiting 1-4 ms
# for a worker's time slice), each pinned to its own CPU (idle threads are otherwise often
# woken on a CPU another worker holds). Set RAPTORS_WORKER_NICE=10 and RAPTORS_PIN_WORKERS=0
# where the cores are shared.
os.environ.setdefault("RAPTORS_WORKER_NICE", "idle")
os.environ.setdefault("RAPTORS_PIN_WORKERS", "1")

sys.path.insert(0, os.path.dirname(__file__))
from app import Settings, create_app
from backends import BACKENDS


def main() -> None:
    defaults = Settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=sorted(BACKENDS), default=defaults.backend)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--corpus-rows", type=int, default=defaults.corpus_rows)
    parser.add_argument("--max-queue", type=int, default=defaults.max_queue)
    parser.add_argument("--on-full", choices=("wait", "reject"), default=defaults.on_full)
    parser.add_argument("--timeout", type=float, default=defaults.timeout)
    parser.add_argument("--max-inflight", type=int, default=defaults.max_inflight)
    args = parser.parse_args()
    settings = Settings(
        backend=args.backend,
        corpus_rows=args.corpus_rows,
        max_queue=args.max_queue,
        on_full=args.on_full,
        timeout=args.timeout,
        max_inflight=args.max_inflight,
    )
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        loop="auto",  # uvloop when installed
        http="auto",  # httptools when installed
    )


if __name__ == "__main__":
    main()
