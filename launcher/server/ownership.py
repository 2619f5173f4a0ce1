"""Which processes the launcher may end, or send an HTTP request to.

Ending a process cannot be taken back, so every path that ends one or asks a server
to exit (`stop` by name, `--port` or `--all`, `start --restart`, the clean-up after a
failed start, the process that replaced a server after upstream's restart) first
proves, with `prove_ours`, that the process is a GPT-SoVITS server:

- the launcher's own record names it: the same PID *and* the same process start
  time (a PID alone is reused by any program once the server has ended); or
- it runs upstream's server: the script it runs is named exactly `api.py` or
  `api_v2.py`, and it runs from a GPT-SoVITS root (its working directory or the
  script's folder has the package layout, `launcher.gsv.package.is_root`).

Anything else is refused with `refusal`: a keyed error naming the PID and the
command line. The descendants of a proven server are its own (upstream's workers).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol

from launcher.errors import NotOurs

START_TIME_TOLERANCE = 1.0  # seconds; psutil create_time is rounded on some systems
UPSTREAM_SCRIPTS = {"api.py": "v1", "api_v2.py": "v2"}
# Interpreter options that take the next argument as their value (python -W ignore api.py).
_OPTIONS_WITH_VALUE = {"-W", "-X", "--check-hash-based-pycs"}


class Recorded(Protocol):
    pid: int
    create_time: float


@dataclass(frozen=True)
class Proof:
    pid: int
    create_time: float
    cmdline: tuple[str, ...]
    api: str | None  # "v1" / "v2" from the script's name; None when the command line is unreadable
    root: str | None  # the GPT-SoVITS root it runs from, when proven that way
    recorded: bool  # proven by one of the launcher's records


def script_argument(cmdline: list[str]) -> str | None:
    """The script an interpreter command line runs: the first argument after the
    interpreter's own options; None for `-c` / `-m`, which run no script file."""
    args = iter(cmdline[1:])
    for arg in args:
        if arg in ("-c", "-m"):
            return None
        if arg in _OPTIONS_WITH_VALUE:
            next(args, None)
            continue
        if arg.startswith("-"):
            continue
        return arg
    return None


def upstream_api(cmdline: list[str]) -> str | None:
    """"v1" or "v2" when the script is upstream's api.py or api_v2.py (by exact file name), else None."""
    script = script_argument(cmdline)
    return UPSTREAM_SCRIPTS.get(Path(script).name) if script else None


def package_root(cmdline: list[str], cwd: str | None) -> Path | None:
    """The GPT-SoVITS root an upstream command line runs from: its working directory
    or the script's own folder, whichever has the package layout."""
    from launcher.gsv import package

    script = script_argument(cmdline)
    if not script or not upstream_api(cmdline):
        return None
    candidates = []
    if cwd:
        candidates.append(Path(cwd))
        candidates.append((Path(cwd) / script).parent)
    elif Path(script).is_absolute():
        candidates.append(Path(script).parent)
    for folder in candidates:
        if package.is_root(folder):
            return folder.resolve()
    return None


def same_process(create_time: float, recorded: float) -> bool:
    return abs(create_time - recorded) <= START_TIME_TOLERANCE


def _process(proc):
    import psutil

    return proc if isinstance(proc, psutil.Process) else psutil.Process(int(proc))


def prove_ours(proc, records: Iterable[Recorded] = ()) -> Proof | None:
    """A Proof that `proc` (a psutil.Process or a PID) may be ended, else None.

    Never raises for a process that is gone or unreadable: that is no proof.
    """
    import psutil

    try:
        p = _process(proc)
        if p.status() == psutil.STATUS_ZOMBIE:
            return None
        created = p.create_time()
    except (psutil.Error, ValueError):
        return None
    try:
        cmdline = p.cmdline()
    except psutil.Error:
        cmdline = []
    for rec in records:
        if rec.pid == p.pid and same_process(created, rec.create_time):
            return Proof(p.pid, created, tuple(cmdline), upstream_api(cmdline), None, recorded=True)
    api = upstream_api(cmdline)
    if api is None:
        return None
    try:
        cwd = p.cwd()
    except psutil.Error:
        cwd = None
    root = package_root(cmdline, cwd)
    if root is None:
        return None
    return Proof(p.pid, created, tuple(cmdline), api, str(root), recorded=False)


def describe(proc) -> tuple[int, str]:
    """PID and command line of a process, for a message ("?" when unreadable)."""
    import psutil

    pid = proc.pid if isinstance(proc, psutil.Process) else int(proc)
    try:
        line = " ".join(_process(proc).cmdline())
    except psutil.Error:
        line = ""
    return pid, (line[:300] or "?")


def refusal(proc, *, port: int) -> NotOurs:
    """The error for a process on `port` that the launcher will not touch."""
    pid, cmdline = describe(proc)
    return NotOurs("stop.not_ours", pid=pid, cmdline=cmdline, port=port)


def tree(proof: Proof) -> list:
    """The proven process and its descendants (upstream's workers), still running."""
    return process_tree(proof.pid, proof.create_time)


def listens_on(procs: list, port: int, *, unreadable: bool = False) -> bool:
    """One of `procs` holds the listening socket of TCP `port`: an HTTP request to the
    port reaches this server, not whatever else may have taken the port meanwhile.
    `unreadable`: the answer when no process's sockets can be read at all."""
    import psutil

    readable = False
    for p in procs:
        try:
            conns = p.net_connections(kind="tcp") if hasattr(p, "net_connections") else p.connections(kind="tcp")
        except psutil.Error:
            continue  # gone, or its sockets cannot be read (another user's process)
        readable = True
        for conn in conns:
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port:
                return True
    return unreadable if not readable and procs else False


def process_tree(pid: int, create_time: float) -> list:
    """The process (if it is still the one started at `create_time`) and its descendants."""
    import psutil

    try:
        root = psutil.Process(pid)
        if not same_process(root.create_time(), create_time):
            return []
        return [root] + root.children(recursive=True)
    except psutil.Error:
        return []


def launcher_marker(registry_file: Path | str) -> str:
    """The value a server's environment carries (SOVITS_LAUNCH_OWNER) to say which
    launcher home started it: found again by a process scan if its record is lost."""
    return os.path.normcase(os.path.abspath(str(registry_file)))


MARKER_ENV = "SOVITS_LAUNCH_OWNER"
PROFILE_ENV = "SOVITS_LAUNCH_PROFILE"
LOG_ENV = "SOVITS_LAUNCH_LOG"

__all__ = [
    "LOG_ENV",
    "MARKER_ENV",
    "PROFILE_ENV",
    "Proof",
    "START_TIME_TOLERANCE",
    "UPSTREAM_SCRIPTS",
    "describe",
    "launcher_marker",
    "listens_on",
    "package_root",
    "process_tree",
    "prove_ours",
    "refusal",
    "same_process",
    "script_argument",
    "tree",
    "upstream_api",
]
