"""Finding and reading server log files."""

from __future__ import annotations

from collections import deque
from pathlib import Path

from launcher.errors import MissingFile
from launcher.paths import Layout
from launcher.registry import Registry


def find_log(layout: Layout, name: str) -> Path:
    """The running server's log for a profile, else its newest log file."""
    for rec in Registry(layout.registry_file).find(profile=name):
        if rec.log and Path(rec.log).is_file():
            return Path(rec.log)
    candidates = [p for p in layout.logs.glob(f"{name}-*.log") if p.is_file()] if layout.logs.is_dir() else []
    if not candidates:
        raise MissingFile("logs.none", name=name, folder=str(layout.logs))
    return max(candidates, key=lambda p: p.stat().st_mtime)


def tail_lines(path: Path, count: int) -> list[str]:
    with open(path, "rb") as f:
        last = deque(f, maxlen=max(count, 0))
    return [raw.rstrip(b"\r\n").decode("utf-8", errors="replace") for raw in last]
