"""Watching a started server: its log, its readiness, its end.

- `wait_ready` blocks until the child is alive, its port accepts and
  GET /openapi.json answers 200, while following its log; a known failure in the
  log (or the child's exit) ends the wait early with the explanation.
- `follow` streams the log in the foreground until the server ends, following
  the new process when upstream's /control?command=restart replaced it.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from launcher.errors import Notice, ReadyTimeout, ServerFailed
from launcher.gsv import client as gsv_api
from launcher.gsv import failures
from launcher.server.ownership import listens_on, process_tree
from launcher.server.plan import LaunchPlan
from launcher.server.registry import ServerRecord, process_matches, replacement

DEFAULT_TIMEOUT = 300.0  # real packages load BERT, HuBERT and both weights: minutes on slow PCs
TICK = 0.02  # readiness poll interval: the lag between "port answers" and "ready" is about half of it
# The server is on this machine: a listening port accepts at once. Windows takes ~2 s to
# refuse a closed loopback port, so a longer connect timeout would stretch every tick of the wait.
PROBE_CONNECT_TIMEOUT = 0.05
LOG_TAIL_LINES = 15


class LogReader:
    """Follows a log file from an offset; yields whole lines, keeps a tail."""

    def __init__(self, path: Path, offset: int = 0):
        self.path = path
        self.offset = offset
        self._partial = b""
        self._ident: tuple[int, int] | None = None  # (device, inode) of the file being read
        self.tail: deque[str] = deque(maxlen=LOG_TAIL_LINES)
        self.lines: deque[str] = deque(maxlen=400)  # for traceback analysis

    def new_lines(self, final: bool = False) -> list[str]:
        try:
            with open(self.path, "rb") as f:
                st = os.fstat(f.fileno())
                ident = (st.st_dev, st.st_ino)
                if (self._ident is not None and ident != self._ident) or st.st_size < self.offset:
                    # A new start replaced the log (the old one became .1), or it was truncated.
                    self.offset, self._partial = 0, b""
                self._ident = ident
                f.seek(self.offset)
                chunk = f.read()
        except OSError:
            return []
        self.offset += len(chunk)
        data = self._partial + chunk
        parts = data.split(b"\n")
        self._partial = b"" if final else parts.pop()
        out = []
        for raw in parts:
            if not raw and final:
                continue
            line = raw.rstrip(b"\r").decode("utf-8", errors="replace")
            self.tail.append(line)
            self.lines.append(line)
            out.append(line)
        return out


@dataclass
class Server:
    plan: LaunchPlan
    record: ServerRecord
    process: subprocess.Popen | None
    log: LogReader
    detached: bool
    ready_seconds: float | None = None


LineHandler = Callable[[str], None]
TickHandler = Callable[[float, str], None]
FailureHandler = Callable[[Notice], None]


def _explainer(server: Server, on_failure: FailureHandler | None) -> Callable[[str], None]:
    """Match a log line against the known failures; hand each kind (once) to `on_failure`
    as a keyed notice. Used for what does not end the wait: non-fatal lines while
    loading, and everything after ready (a CUDA OOM during a request, a 3-10 s refusal)."""
    seen: set[str] = set()

    def check(line: str) -> None:
        failure = failures.match_line(line)
        if failure is None or on_failure is None or failure.key in seen:
            return
        seen.add(failure.key)
        params = {"line": failure.line, "log": str(server.plan.log_path), "code": None,
                  "profile": server.plan.profile.title, "port": server.plan.port, **failure.params}
        on_failure(Notice(failure.key, **params))

    return check


def wait_ready(
    server: Server,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    on_line: LineHandler | None = None,
    on_tick: TickHandler | None = None,
    on_failure: FailureHandler | None = None,
) -> float:
    """Block until the server answers GET /openapi.json with 200; returns the seconds it took.

    Ends early with ServerFailed when the child exits or prints a known fatal
    failure, with ReadyTimeout at the deadline.
    """
    explain = _explainer(server, on_failure)
    started = time.monotonic()
    deadline = started + timeout
    last = ""
    while True:
        for line in server.log.new_lines():
            last = line or last
            if on_line:
                on_line(line)
            failure = failures.match_line(line)
            if failure and failure.fatal:
                raise server_error(server, failure.key, failure.params, failure.line)
            explain(line)
        code = _exit_code(server)
        if code is not None:
            for line in server.log.new_lines(final=True):
                if on_line:
                    on_line(line)
                failure = failures.match_line(line)
                if failure and failure.fatal:
                    raise server_error(server, failure.key, failure.params, failure.line)
            explained = failures.explain_exit(code, list(server.log.lines))
            if explained:
                raise server_error(server, explained[0], explained[1], "")
            raise server_error(server, "server.exited", {"code": code}, "")
        if (
            gsv_api.port_accepts(server.plan.host, server.plan.port, timeout=PROBE_CONNECT_TIMEOUT)
            and _listens(server)
            and gsv_api.probe_ready(server.plan.host, server.plan.port)
        ):
            elapsed = time.monotonic() - started
            server.ready_seconds = elapsed
            # uvicorn prints its banner between listen and serve; the lines read above may
            # predate it, so pass on what was printed before the answer came.
            for line in server.log.new_lines():
                if on_line:
                    on_line(line)
            return elapsed
        now = time.monotonic()
        if now > deadline:
            raise server_error(server, "server.timeout", {"seconds": int(timeout)}, "", timeout=True)
        if on_tick:
            on_tick(now - started, last)
        time.sleep(TICK)


def _listens(server: Server) -> bool:
    """The port that answers is our server's: no request goes to a program that took
    the port meanwhile (when sockets cannot be read at all, the port check under the
    spawn lock has to do)."""
    rec = server.record
    return listens_on(process_tree(rec.pid, rec.create_time), rec.port, unreadable=True)


def live_state(rec: ServerRecord) -> str:
    """What a recorded server does now: "stopping" while a `stop` ends it, "ready" while
    it listens on its port (after "loading": and answers /openapi.json), else "loading"
    (still loading, or reloading after upstream's /control?command=restart, which keeps
    the PID on POSIX and closes the port until the models are loaded again)."""
    if rec.state in ("stopping", "restarting"):
        return rec.state  # restarting: crashed, its supervisor starts it again (server.supervise)
    if rec.state == "warming" and rec.launcher_pid and _alive(rec.launcher_pid):
        return "warming"  # answers, and its launcher is sending the first synthesis
    if not listens_on(process_tree(rec.pid, rec.create_time), rec.port, unreadable=True):
        return "loading"
    if rec.state == "ready" or gsv_api.probe_ready(rec.host, rec.port, timeout=1.0):
        return "ready"
    return "loading"


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _exit_code(server: Server) -> int | None:
    if server.process is not None:
        return server.process.poll()
    return None if process_matches(server.record.pid, server.record.create_time) else -1


def server_error(server: Server, key: str, params: dict, line: str, timeout: bool = False):
    """The error for a server that failed: the log tail as details, the last traceback's
    frame and exception, the exit code when it has ended."""
    code = _exit_code(server)
    details = list(server.log.tail)
    tb = failures.last_traceback(list(server.log.lines))
    params = dict(params)
    params.setdefault("line", line)
    params.setdefault("log", str(server.plan.log_path))
    params.setdefault("code", code)
    params["profile"] = server.plan.profile.title
    params["port"] = server.plan.port
    if tb:
        params.setdefault("frame", tb[0])
        params.setdefault("exception", tb[1])
    cls = ReadyTimeout if timeout else ServerFailed
    return cls(key, details=details, **params)


def follow(
    server: Server,
    on_line: LineHandler | None = None,
    on_failure: FailureHandler | None = None,
    stop_requested: Callable[[], object] | None = None,
) -> int:
    """Foreground: stream the log until the server process ends; returns its exit code.
    Known failures in the output (the server keeps running) are explained as they come.
    `stop_requested`: true when a `stop` ended it (then no replacement is looked for)."""
    explain = _explainer(server, on_failure)
    while True:
        for line in server.log.new_lines():
            if on_line:
                on_line(line)
            explain(line)
        code = _exit_code(server)
        if code is not None and not (stop_requested and stop_requested()) and _follow_replacement(server):
            continue
        if code is not None:
            for line in server.log.new_lines(final=True):
                if on_line:
                    on_line(line)
            return code
        time.sleep(0.1)


def _follow_replacement(server: Server) -> bool:
    """Upstream's /control?command=restart on Windows: `os.execl` starts the same command
    line as a new process and ends this one. Follow the new process, not "the end"."""
    found = replacement(server.record)
    if not found:
        return False
    server.record.pid, server.record.create_time = found[0]["pid"], found[0]["create_time"]
    server.process = None  # from now on: watched through psutil
    return True


__all__ = [
    "DEFAULT_TIMEOUT",
    "LogReader",
    "Server",
    "follow",
    "live_state",
    "server_error",
    "wait_ready",
]
