#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh), then runs the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python examples/quickstart.py
