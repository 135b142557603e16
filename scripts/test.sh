#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh), then runs every test: Rust unit tests of the core
# crate and the pytest suite against NumPy.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo test -p raptors-core --lib --quiet
.venv/bin/python -m pytest tests -q
