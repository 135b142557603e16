#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh), then runs the main job: the FastAPI demo service
# (examples/service) under load, NumPy blocking vs NumPy in threads vs Raptors, in its short
# form (about 3 minutes). Prints the table; results also land in target/service-bench/.
# The full run (every endpoint, longer phases, writes docs/service/) is
#   .venv/bin/python benches/service/run.py --full
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python benches/service/run.py "$@"
