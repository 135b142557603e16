#!/usr/bin/env bash
# Creates .venv, installs the Python dependencies and builds Raptors in release mode into it.
# Needs only a Rust toolchain and CPython >= 3.11 with pip. Safe to re-run (incremental).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check "maturin>=1.7,<2"
# The dependency lists live in pyproject.toml; install them, then build the extension.
.venv/bin/python - <<'PY' > .venv/requirements.txt
import tomllib
extras = tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]
seen = []
for group in ("test", "service", "bench"):
    for req in extras[group]:
        if req not in seen:
            seen.append(req)
seen.append("ruff>=0.5")
print("\n".join(seen))
PY
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r .venv/requirements.txt
.venv/bin/maturin develop --release --quiet
