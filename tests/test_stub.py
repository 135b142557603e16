"""The .pyi stub is the Python contract: stubtest checks it against the compiled module."""

import subprocess
import sys


def test_stub_matches_runtime():
    proc = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "raptors._raptors"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
