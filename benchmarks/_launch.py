"""`python -m launcher`, plus one line of instrumentation for the readiness benchmark.

The benchmark runs the real CLI through this file instead of `-m launcher`: it
wraps the `wait_ready` that `launcher.server.process.run` calls, so that the
wall-clock moment the launcher declares the server ready is written to
$BENCH_READY_FILE. Nothing else
changes; the launcher itself carries no benchmark hooks.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from launcher.server import process  # noqa: E402  (imported by `start` anyway)

_wait_ready = process.wait_ready


def _timed_wait_ready(*args, **kwargs):
    seconds = _wait_ready(*args, **kwargs)
    marker = os.environ.get("BENCH_READY_FILE")
    if marker:
        Path(marker).write_text(repr(time.time()), encoding="utf-8")
    return seconds


process.wait_ready = _timed_wait_ready  # `run` looks it up in its module at call time

if __name__ == "__main__":
    from launcher.cli import main

    main()
