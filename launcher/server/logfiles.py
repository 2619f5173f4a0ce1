"""Finding and reading server log files."""

from __future__ import annotations

import re
from collections import deque
from glob import escape as glob_escape
from pathlib import Path

from launcher.errors import MissingFile
from launcher.paths import Layout
from launcher.server.plan import log_path
from launcher.server.registry import Registry


def find_log(layout: Layout, name: str) -> Path:
    """The running server's log for a profile, else the log of the profile's port
    (logs are named after ports), else its newest log from before that naming."""
    for rec in Registry(layout.registry_file).find(profile=name):
        if rec.log and Path(rec.log).is_file():
            return Path(rec.log)
    candidates = _log_files(layout, name)
    profile = _profile(layout, name)
    if profile is not None:
        for rec in Registry(layout.registry_file).find(profile=profile.name):
            if rec.log and Path(rec.log).is_file():
                return Path(rec.log)
        port_log = log_path(layout, profile.port)
        if port_log.is_file():
            return port_log
        if not candidates and profile.name != name:
            # A display name (纳西妲) or a .yaml path: older log files carry the profile id.
            candidates = _log_files(layout, profile.name)
    if not candidates:
        raise MissingFile("logs.none", name=name, folder=str(layout.logs))
    return max(candidates, key=lambda p: p.stat().st_mtime)


def _log_files(layout: Layout, name: str) -> list[Path]:
    if not layout.logs.is_dir():
        return []
    # <profile>-<port>.log only: "nahida-*.log" would also catch profile "nahida-v1"'s logs.
    own = re.compile(re.escape(name) + r"-[0-9]+\.log")
    return [p for p in layout.logs.glob(f"{glob_escape(name)}-*.log") if own.fullmatch(p.name) and p.is_file()]


def _profile(layout: Layout, name: str):
    from launcher.errors import LauncherError
    from launcher.profiles.schema import find_profile

    try:
        return find_profile(name, layout.profiles)
    except LauncherError:
        return None


def tail_lines(path: Path, count: int) -> list[str]:
    with open(path, "rb") as f:
        last = deque(f, maxlen=max(count, 0))
    return [raw.rstrip(b"\r\n").decode("utf-8", errors="replace") for raw in last]
