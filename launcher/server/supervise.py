"""Restart on crash: keep a started server running until someone stops it.

`Supervisor.keep(server)` watches a ready (and warmed) server: in the foreground in the
launcher's own process, with `--detach` in a small detached `sovits-launch supervise`
process that adopts the server `start` has just made ready. When the process ends:

- a stop was asked for (`stop` marks the record before it ends anything, and removes
  it after): the supervisor ends too, and never starts it again;
- upstream was asked to exit (`/control?command=exit` is a SIGTERM to itself: exit code
  -15 on POSIX, 15 on Windows; uvicorn's graceful shutdown lines when the code is
  unknown): the same, nothing is restarted;
- upstream restarted itself (`/control?command=restart`: on Windows a new process on the
  same port): followed, not counted. A hot switch keeps the process: nothing happens;
- anything else is a crash. It is recorded (registry: `restarts`, `last_crash`), and after
  a backoff the same port starts again with the character the record names now, waits
  for ready, warms up. After `max_crashes` crashes within `window` seconds it gives up
  and says why, with the last log lines of each crash.

The first start is not retried: a profile that cannot start is reported at once.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable

from launcher.errors import LauncherError, ServerFailed
from launcher.fsio import write_atomic
from launcher.gsv import failures
from launcher.paths import Layout
from launcher.server.plan import LaunchPlan
from launcher.server.process import StopRequested, spawn
from launcher.server.registry import Registry, ServerRecord, process_matches
from launcher.server.watch import DEFAULT_TIMEOUT, FailureHandler, LineHandler, Server, follow, wait_ready

BACKOFF = (2.0, 5.0, 15.0, 30.0)  # seconds before the 1st, 2nd, 3rd, later restart
MAX_CRASHES = 5
WINDOW = 600.0  # give up after MAX_CRASHES crashes within this many seconds
ENV_BACKOFF = "SOVITS_LAUNCH_RESTART_BACKOFF"  # e.g. "0.2,0.5" (tests, impatient users)
ENV_LIMIT = "SOVITS_LAUNCH_RESTART_LIMIT"  # e.g. "3/60": 3 crashes within 60 s
POLL = 0.1

# Exit codes of an end someone asked for: SIGTERM (upstream's /control?command=exit kills
# itself with it; `kill`, our own stop), SIGINT, and Windows' TerminateProcess(15) and
# Ctrl+C (STATUS_CONTROL_C_EXIT). 0: it returned normally.
DELIBERATE_CODES = frozenset({0, 15, -15, -2, 0xC000013A})
# uvicorn's last lines when it shuts down because it was told to (a signal, an exit request).
GRACEFUL_LINES = ("Finished server process", "Shutting down")
CRASH_TAIL = 12


@dataclass(frozen=True)
class Policy:
    backoff: tuple = BACKOFF
    max_crashes: int = MAX_CRASHES
    window: float = WINDOW

    @classmethod
    def from_env(cls) -> Policy:
        """The defaults, or shorter ones from the environment (the detached supervisor inherits it)."""
        policy = cls()
        raw = os.environ.get(ENV_BACKOFF, "").strip()
        if raw:
            try:
                values = tuple(max(0.0, float(v)) for v in raw.split(",") if v.strip())
            except ValueError:
                values = ()
            if values:
                policy = replace(policy, backoff=values)
        raw = os.environ.get(ENV_LIMIT, "").strip()
        if raw:
            count, _, window = raw.partition("/")
            try:
                policy = replace(policy, max_crashes=max(1, int(count)), window=float(window or WINDOW))
            except ValueError:
                pass
        return policy

    def delay(self, attempt: int) -> float:
        return self.backoff[min(attempt - 1, len(self.backoff) - 1)]


@dataclass
class Crash:
    at: float
    code: int | None  # None: not our child, its exit code is unknown
    key: str  # message key of the reason (a known failure, a signal, ...)
    params: dict
    tail: list = field(default_factory=list)

    def summary(self) -> dict:
        """What the registry keeps as `last_crash`."""
        return {"at": self.at, "code": self.code, "key": self.key, "params": self.params}


CrashHandler = Callable[[Crash, int, float], None]  # (crash, attempt, delay before it)
RestartHandler = Callable[[Server, int], None]  # (the new server, restarts so far)


@dataclass
class Supervisor:
    layout: Layout
    replan: Callable[[ServerRecord], LaunchPlan]  # the plan for the record's current character
    warm: Callable[[Server], None] | None = None
    policy: Policy = field(default_factory=Policy.from_env)
    timeout: float = DEFAULT_TIMEOUT
    detach: bool = False  # restarted servers outlive this process's console
    on_line: LineHandler | None = None
    on_failure: FailureHandler | None = None
    on_crash: CrashHandler | None = None
    on_restarted: RestartHandler | None = None

    @property
    def registry(self) -> Registry:
        return Registry(self.layout.registry_file)

    def adopt(self, server: Server) -> None:
        """Write this process into the server's record as its supervisor."""
        me = _own_identity()
        self.registry.update(server.record.pid, restart_on_crash=True, supervisor_pid=me[0], supervisor_create_time=me[1])
        server.record.supervisor_pid, server.record.supervisor_create_time = me
        server.record.restart_on_crash = True

    def keep(self, server: Server) -> int:
        """Watch `server` (mutated in place to the current one) until it ends on purpose: 0.
        Raises ServerFailed when it gives up. Ctrl+C propagates (the caller stops the server)."""
        if server.record.supervisor_pid != os.getpid():
            self.adopt(server)
        clear_gave_up(self.layout, server.record.port)  # a new supervision: the old give-up is history
        crashes: list[Crash] = []
        while True:
            exit_code = _ExitCode(server)
            code = follow(server, self.on_line, self.on_failure,
                          stop_requested=lambda: self.registry.stop_request(server.record.pid, server.record.create_time))
            if server.process is None:
                code = exit_code.value(server)  # not our child (adopted, or replaced by upstream)
            if self._stop_asked(server.record) or self._ended_on_purpose(server, code):
                self._forget(server.record)
                return 0
            crash = self._crash(server, code)
            while True:
                crashes.append(crash)
                self._record_crash(server.record, crash)
                recent = [c for c in crashes if c.at >= crash.at - self.policy.window]
                if len(recent) >= self.policy.max_crashes:
                    self._give_up(server, recent)
                attempt = len(recent)
                delay = self.policy.delay(attempt)
                if self.on_crash:
                    self.on_crash(crash, attempt, delay)
                if not self._sleep_unless_stopped(server.record, delay):
                    self._forget(server.record)
                    return 0
                try:
                    restarted = self._restart(server.record)
                except StopRequested:
                    return 0
                except LauncherError as exc:
                    if self._stop_asked(server.record):
                        self._forget(server.record)
                        return 0
                    crash = self._failed_restart(server.record, exc)
                    continue
                break
            server.plan, server.record, server.process, server.log = (
                restarted.plan, restarted.record, restarted.process, restarted.log)
            server.ready_seconds = restarted.ready_seconds
            if self.on_restarted:
                self.on_restarted(server, server.record.restarts)

    # --- what ended it -----------------------------------------------------------------

    def _current(self, record: ServerRecord) -> ServerRecord | None:
        """The record on this server's port as the registry has it now (a crashed one stays
        while its supervisor lives, so None means it was removed: stopped)."""
        return next((r for r in self.registry.find(port=record.port) if r.host == record.host), None)

    def _stop_asked(self, record: ServerRecord) -> bool:
        """`stop` asked (its request, also for a crashed record during the backoff), or removed
        the record, or another supervisor took the port over."""
        current = self._current(record)
        if current is None or current.state == "stopping" or current.supervisor_pid != record.supervisor_pid:
            return True
        return self.registry.stop_request(current.pid, current.create_time) is not None

    def _ended_on_purpose(self, server: Server, code: int | None) -> bool:
        if code is not None:
            return code in DELIBERATE_CODES or (code & 0xFFFFFFFF) in DELIBERATE_CODES
        return any(mark in line for line in list(server.log.tail) for mark in GRACEFUL_LINES)

    def _crash(self, server: Server, code: int | None) -> Crash:
        lines = list(server.log.lines)
        explained = failures.explain_exit(code, lines)
        key, params = explained if explained else (
            ("supervise.crash_code", {"code": code}) if code is not None else ("supervise.crash_unknown", {}))
        return Crash(time.time(), code, key, _base_params(server.record, params), list(server.log.tail)[-CRASH_TAIL:])

    def _failed_restart(self, record: ServerRecord, exc: LauncherError) -> Crash:
        """A restart that did not come up (killed while loading, a failure in its log)."""
        code = exc.params.get("code")
        return Crash(time.time(), code if isinstance(code, int) else None, exc.key, _base_params(record, exc.params),
                     list(exc.details)[-CRASH_TAIL:])

    # --- the registry --------------------------------------------------------------------

    def _record_crash(self, record: ServerRecord, crash: Crash) -> None:
        record.last_crash = crash.summary()
        record.state = "restarting"
        current = self._current(record)  # after a failed restart: that attempt's record
        self.registry.update(current.pid if current else record.pid, state="restarting", last_crash=record.last_crash)

    def _forget(self, record: ServerRecord) -> None:
        """Ended on purpose: the record goes (unless a newer server holds the port)."""
        current = self._current(record)
        if current is not None and current.supervisor_pid == record.supervisor_pid:
            self.registry.remove(current.pid)

    def _sleep_unless_stopped(self, record: ServerRecord, delay: float) -> bool:
        deadline = time.monotonic() + delay
        while True:
            if self._stop_asked(record):
                return False
            left = deadline - time.monotonic()
            if left <= 0:
                return True
            time.sleep(min(POLL * 2, left))

    # --- restarting ------------------------------------------------------------------------

    def _restart(self, record: ServerRecord) -> Server:
        current = self._current(record) or record
        plan = self.replan(current)
        fields = {
            "restart_on_crash": True,
            "supervisor_pid": record.supervisor_pid,
            "supervisor_create_time": record.supervisor_create_time,
            "restarts": current.restarts + 1,
            "last_crash": current.last_crash,
        }
        server = spawn(plan, layout=self.layout, detach=self.detach, replacing=current, record_fields=fields)
        try:
            wait_ready(server, timeout=self.timeout, on_line=self.on_line, on_failure=self.on_failure)
            if self.warm:
                self.registry.update(server.record.pid, state="warming")
                self.warm(server)
            server.record.state, server.record.ready_at = "ready", time.time()
            self.registry.update(server.record.pid, state="ready", ready_at=server.record.ready_at)
        except BaseException:
            # Half-way up (killed while loading, a failed warm-up, Ctrl+C): its process ends,
            # its record stays as the crashed one this supervisor restarts (or `stop` removes).
            from launcher.server.stopping import end_unready

            end_unready(server.record, server.process)
            raise
        return server

    def _give_up(self, server: Server, crashes: list[Crash]) -> None:
        record = server.record
        details: list[str] = []
        for crash in crashes:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(crash.at))
            details.append(f"-- {stamp}  exit code {crash.code if crash.code is not None else '?'} --")
            details += [f"   {line}" for line in crash.tail]
        minutes = max(1, round(self.policy.window / 60))
        save_gave_up(self.layout, record, crashes)
        self._forget(record)
        raise ServerFailed("supervise.gave_up", details=details, profile=record.display_name or record.profile,
                           port=record.port, crashes=len(crashes), minutes=minutes, log=record.log)


def _base_params(record: ServerRecord, params: dict) -> dict:
    out = {"profile": record.display_name or record.profile, "port": record.port, "log": record.log,
           "code": None, "line": "", "frame": "?", "exception": "?"}
    out.update({k: v for k, v in params.items() if isinstance(v, (str, int, float, type(None)))})
    return out


class _ExitCode:
    """The exit code of a server that is not our child: unknown on POSIX (only a parent
    learns it), read on Windows from a handle opened while it still runs."""

    def __init__(self, server: Server) -> None:
        self._handle = None
        self._pid = server.record.pid
        if os.name == "nt" and server.process is None:
            import ctypes
            from ctypes import wintypes

            synchronize, query_limited = 0x00100000, 0x1000
            self._kernel32 = k32 = ctypes.WinDLL("kernel32", use_last_error=True)
            k32.OpenProcess.restype = wintypes.HANDLE
            k32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
            k32.GetExitCodeProcess.argtypes = [wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD)]
            k32.CloseHandle.argtypes = [wintypes.HANDLE]
            self._handle = self._kernel32.OpenProcess(synchronize | query_limited, False, self._pid) or None

    def value(self, server: Server) -> int | None:
        if self._handle is None or server.record.pid != self._pid:
            return None  # POSIX, or upstream replaced the process meanwhile
        import ctypes
        from ctypes import wintypes

        code = wintypes.DWORD()
        still_active = 259
        ok = self._kernel32.GetExitCodeProcess(self._handle, ctypes.byref(code))
        self._kernel32.CloseHandle(self._handle)
        self._handle = None
        return code.value if ok and code.value != still_active else None


def _own_identity() -> tuple[int, float]:
    import psutil

    me = psutil.Process(os.getpid())
    return me.pid, me.create_time()


# --- after giving up: what `status` shows ------------------------------------------------------


def _gave_up_file(layout: Layout, port: int) -> Path:
    return layout.state / "supervise" / f"gave-up-{port}.json"


def save_gave_up(layout: Layout, record: ServerRecord, crashes: list[Crash]) -> None:
    data = {"profile": record.profile, "display_name": record.display_name, "host": record.host,
            "port": record.port, "at": time.time(), "log": record.log,
            "crashes": [asdict(c) for c in crashes]}
    try:
        write_atomic(_gave_up_file(layout, record.port), json.dumps(data, ensure_ascii=False, indent=2))
    except LauncherError:
        pass  # the message still says it; only `status` will not


def gave_up(layout: Layout, running_ports: set, *, max_age: float = 86400.0) -> list[dict]:
    """Supervisors that gave up in the last day, on ports where nothing runs now."""
    folder = layout.state / "supervise"
    out = []
    for path in sorted(folder.glob("gave-up-*.json")) if folder.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict) or data.get("port") in running_ports:
            continue
        if time.time() - float(data.get("at") or 0) > max_age:
            continue
        out.append(data)
    return out


def clear_gave_up(layout: Layout, port: int) -> None:
    try:
        _gave_up_file(layout, port).unlink()
    except OSError:
        pass


# --- the detached supervisor process ----------------------------------------------------------


def supervisor_argv(record: ServerRecord, *, python: str | None, timeout: float, warm: bool) -> list[str]:
    """`sovits-launch supervise ...` for this server: the one-file exe runs itself, else
    this interpreter runs the package."""
    import sys

    head = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "launcher"]
    argv = head + ["supervise", record.profile, "--port", str(record.port), "--host", record.host,
                   "--timeout", str(timeout)]
    if python:
        argv += ["--python", python]
    if not warm:
        argv.append("--no-warmup")
    return argv


def start_supervisor(record: ServerRecord, layout: Layout, argv: list[str]) -> ServerRecord:
    """Start the detached supervisor for a ready, detached server and write it into the record
    (from then on a crash keeps the record). Returns the record, or raises when the server
    ended before it could be adopted."""
    import subprocess

    from launcher.server.process import _process_flags

    log = layout.logs / f"supervise-{record.port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        out.write(f"# sovits-launch supervise {time.strftime('%Y-%m-%d %H:%M:%S')} argv={argv!r}\n".encode("utf-8"))
        out.flush()
        proc = subprocess.Popen(argv, cwd=os.getcwd(), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                **_process_flags(True))
    import psutil

    try:
        create_time = psutil.Process(proc.pid).create_time()
    except psutil.Error:
        create_time = time.time()
    registry = Registry(layout.registry_file)
    registry.update(record.pid, restart_on_crash=True, supervisor_pid=proc.pid, supervisor_create_time=create_time)
    current = next((r for r in registry.servers() if r.port == record.port and r.host == record.host), None)
    if current is None or current.supervisor_pid != proc.pid:
        from launcher.server.stopping import end_helper

        end_helper(proc)
        raise ServerFailed("supervise.adopt_failed", profile=record.display_name or record.profile, port=record.port,
                           log=record.log)
    return current


def wait_for_adoption(layout: Layout, host: str, port: int, timeout: float = 15.0) -> ServerRecord | None:
    """In the supervisor process: the record `start` wrote this process into."""
    me = os.getpid()
    registry = Registry(layout.registry_file)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for rec in registry.servers():
            if rec.port == port and rec.host == host and rec.supervisor_pid == me:
                return rec
        time.sleep(POLL)
    return None


def supervisor_alive(record: ServerRecord) -> bool:
    return bool(record.supervisor_pid) and process_matches(record.supervisor_pid, record.supervisor_create_time or 0)


__all__ = [
    "BACKOFF",
    "Crash",
    "Policy",
    "Supervisor",
    "clear_gave_up",
    "gave_up",
    "save_gave_up",
    "start_supervisor",
    "supervisor_argv",
    "wait_for_adoption",
]
