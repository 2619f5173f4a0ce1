"""Starting a planned server and seeing the start through.

- `spawn` starts the child (port checked under a lock, registry record written
  before the wait, so a launcher killed mid-start leaves no forgotten server). The
  child carries the launcher's marker in its environment, so a process scan finds it
  even if its record were lost.
- `run` = spawn + `watch.wait_ready` (+ `watch.follow` in the foreground); whatever
  goes wrong, Ctrl+C included, a foreground server is stopped, not orphaned. Signals
  that end the launcher (Ctrl+C, SIGTERM, a closed console) are held from just before
  the spawn until the record is written: a server is always either recorded or ended.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

from launcher.errors import BadInput, Interrupted, LauncherError, PortBusy, ServerFailed
from launcher.fsio import write_atomic
from launcher.gsv import client as gsv_api
from launcher.gsv import failures
from launcher.paths import Layout
from launcher.server.ownership import LOG_ENV, MARKER_ENV, PROFILE_ENV
from launcher.server.plan import LaunchPlan
from launcher.server.registry import Registry, ServerRecord, locked, port_owner
from launcher.server.stopping import StopResult, stop_server
from launcher.server.watch import (
    DEFAULT_TIMEOUT,
    FailureHandler,
    LineHandler,
    LogReader,
    Server,
    TickHandler,
    follow,
    server_error,
    wait_ready,
)

# --- ports -----------------------------------------------------------------------


def check_port_free(host: str, port: int, registry: Registry) -> None:
    for rec in registry.servers():
        if rec.port == port:
            raise PortBusy("port.ours", port=port, profile=rec.profile, pid=rec.pid)
    problem = _bind_problem(host, port)
    if problem is None and not gsv_api.port_accepts(host, port, timeout=0.2):
        return
    if problem == "forbidden":
        raise PortBusy("port.forbidden", port=port)
    owner = port_owner(port)
    if owner:
        raise PortBusy(
            "port.busy",
            port=port,
            pid=owner["pid"],
            name=owner["name"],
            cmdline=" ".join(owner["cmdline"])[:200] or "?",
        )
    raise PortBusy("port.busy_unknown", port=port)


def _bind_problem(host: str, port: int) -> str | None:
    family = socket.AF_INET6 if ":" in gsv_api.connect_host(host) else socket.AF_INET
    bind_host = host if host not in ("None", "") else "0.0.0.0"
    with socket.socket(family, socket.SOCK_STREAM) as s:
        if os.name != "nt":
            # uvicorn sets SO_REUSEADDR on POSIX; without it a TIME_WAIT would look busy.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((bind_host, port))
        except PermissionError:
            return "forbidden"  # Windows WinError 10013: an excluded port range
        except OSError:
            return "busy"
    return None


# --- starting ---------------------------------------------------------------------


def spawn(plan: LaunchPlan, *, layout: Layout, detach: bool = False) -> Server:
    """Start the server process. The port is checked and the record written under a
    lock, so two launchers racing for one port cannot both start. A signal that
    arrives before the record is written waits for it (`_SignalGuard`)."""
    if _active is not None:
        return _spawn(plan, layout, detach)  # inside `run`: its guard holds the signals
    with _guarded() as signals:
        signals.hold()
        return _spawn(plan, layout, detach)


def _spawn(plan: LaunchPlan, layout: Layout, detach: bool) -> Server:
    registry = Registry(layout.registry_file)
    env = {
        **plan.env,
        MARKER_ENV: registry.marker,  # which launcher home started it: see scan.find_servers
        PROFILE_ENV: plan.profile.name,
        LOG_ENV: str(plan.log_path),
    }
    with locked(layout.state / f"port-{plan.port}"):
        check_port_free(plan.host, plan.port, registry)
        if plan.infer_yaml is not None and plan.infer_yaml_text is not None:
            write_atomic(plan.infer_yaml, plan.infer_yaml_text)
        offset = _prepare_log(plan)
        log_file = open(plan.log_path, "ab")
        try:
            process = subprocess.Popen(
                plan.argv,
                cwd=str(plan.root),
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                **_process_flags(detach),
            )
        except OSError as exc:
            from launcher.server import arglimits

            if arglimits.is_too_long(exc):  # the plan's estimate passed, the system disagreed
                raise BadInput("start.command_too_long", script=plan.script.name, reason=exc.strerror or str(exc)) from exc
            raise ServerFailed("server.spawn_failed", python=plan.argv[0], reason=exc.strerror or str(exc)) from exc
        finally:
            log_file.close()  # the child holds its own handle
        record = ServerRecord(
            profile=plan.profile.name,
            display_name=plan.profile.display_name,
            profile_path=str(plan.profile.path) if plan.profile.path else None,
            api=plan.api,
            host=plan.host,
            port=plan.port,
            pid=process.pid,
            create_time=_create_time(process.pid),
            log=str(plan.log_path),
            root=str(plan.root),
            gpt=str(plan.gpt_path),
            sovits=str(plan.sovits_path),
            detached=detach,
            launcher_pid=os.getpid(),
            settings=plan.settings,
        )
        try:
            registry.add(record)
        except BaseException:
            # Not recorded (disk full, Ctrl+C): nothing could find it again, so it must not live on.
            process.kill()
            process.wait()
            raise
    return Server(plan=plan, record=record, process=process, log=LogReader(plan.log_path, offset), detached=detach)


def _prepare_log(plan: LaunchPlan) -> int:
    """A fresh log per start (the previous one kept as .1); returns where this run's output starts."""
    plan.log_path.parent.mkdir(parents=True, exist_ok=True)
    if plan.log_path.exists():
        try:
            os.replace(plan.log_path, plan.log_path.with_name(plan.log_path.name + ".1"))
        except OSError:
            pass  # still open elsewhere (Windows): append instead
    header = f"# sovits-launch {time.strftime('%Y-%m-%d %H:%M:%S')} cwd={plan.root}\n# argv={plan.argv!r}\n"
    with open(plan.log_path, "ab") as f:
        f.write(header.encode("utf-8"))
        return f.tell()


def _process_flags(detach: bool) -> dict:
    """Where the child lives relative to our console.

    Foreground: same console / process group, so closing the window or Ctrl+C
    reaches the server too (we still end the whole tree ourselves).
    Detached: its own session (POSIX) or a detached process group (Windows), so
    it outlives this window.
    """
    if not detach:
        return {}
    if os.name == "nt":
        flags = subprocess.CREATE_NEW_PROCESS_GROUP | 0x00000008  # DETACHED_PROCESS
        return {"creationflags": flags}
    return {"start_new_session": True}


def _create_time(pid: int) -> float:
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return time.time()


# --- the whole start --------------------------------------------------------------


@dataclass
class RunResult:
    server: Server
    ready_seconds: float | None  # None: stopped by a `stop` before it was ready
    exit_code: int | None  # foreground: the server's exit code; detached: None
    stop_request: dict | None = None  # {by, at}: ended by `sovits-launch stop` from elsewhere


def run(
    plan: LaunchPlan,
    *,
    layout: Layout,
    detach: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    on_line: LineHandler | None = None,
    on_tick: TickHandler | None = None,
    on_ready: Callable[[Server], None] | None = None,
    on_spawn: Callable[[Server], None] | None = None,
    on_failure: FailureHandler | None = None,
) -> RunResult:
    """spawn + wait_ready (+ follow in the foreground). Whatever goes wrong, including
    Ctrl+C, a foreground server is not left behind, and neither is its record.

    A server ended by `sovits-launch stop` from another window is a result (with
    `stop_request`), not a failure. Ctrl+C raises `Interrupted` saying what was stopped.
    """
    registry = Registry(layout.registry_file)
    server: Server | None = None
    done = False  # the server is cleaned up, or kept on purpose (detached and ready)

    def requested() -> dict | None:
        assert server is not None
        return registry.stop_request(server.record.pid, server.record.create_time)

    with _guarded() as signals:
        try:
            signals.hold()
            server = _spawn(plan, layout, detach)
            signals.release()  # a signal held while the record was written ends the start here
            if on_spawn:
                on_spawn(server)
            try:
                ready = wait_ready(server, timeout=timeout, on_line=on_line, on_tick=on_tick, on_failure=on_failure)
            except LauncherError:
                request = requested()
                if request:
                    return RunResult(server, None, server.process.poll() if server.process else None, request)
                raise
            registry.update(server.record.pid, state="ready", ready_at=time.time())
            server.record.state = "ready"
            if on_ready:
                on_ready(server)
            if detach:
                done = True
                return RunResult(server, ready, None)
            code = follow(server, on_line, on_failure, stop_requested=requested)
            request = requested()
            if request:
                return RunResult(server, ready, code, request)
            if code != 0:
                # It was ready and then ended on its own (killed, crashed): say so, not "done".
                explained = failures.explain_exit_code(code)
                key, params = explained if explained else ("server.died", {"code": code})
                raise server_error(server, key if key != "failure.exit_bind" else "server.died", params, "")
            return RunResult(server, ready, code)
        except KeyboardInterrupt:
            if server is None:
                raise
            signals.hold()  # a second Ctrl+C does not cut the clean-up short
            stopped = _clean_up(server, registry)
            done = True
            raise _interrupted(server, stopped) from None
        finally:
            if server is not None and not done:
                signals.hold()
                _clean_up(server, registry)


def _clean_up(server: Server, registry: Registry) -> StopResult:
    return stop_server(server.record, registry, process=server.process, graceful=False)


def _interrupted(server: Server, stopped: StopResult) -> Interrupted:
    key = "start.interrupted" if stopped.port_free else "start.interrupted_port_busy"
    return Interrupted(key, name=server.plan.profile.title, pid=stopped.pid, port=stopped.port)


# --- signals ------------------------------------------------------------------------

# Ctrl+C, `kill`, a closed terminal (SIGHUP), Ctrl+Break or a closed console (SIGBREAK).
_STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK")
_active: _SignalGuard | None = None


class _SignalGuard:
    """Turns the signals that end the launcher into KeyboardInterrupt (so the clean-up in
    `run` ends the server instead of orphaning it), and holds them while `hold()` is on:
    a held signal is raised by `release()`. Installed on the main thread only (Python
    runs handlers there); a signal the launcher was told to ignore stays ignored."""

    def __init__(self) -> None:
        self.holding = False
        self.pending: int | None = None
        self._previous: dict[int, object] = {}

    def __enter__(self) -> _SignalGuard:
        if threading.current_thread() is threading.main_thread():
            for name in _STOP_SIGNALS:
                sig = getattr(signal, name, None)
                if sig is None or signal.getsignal(sig) == signal.SIG_IGN:
                    continue
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum, frame) -> None:
        if self.holding:
            self.pending = self.pending or signum
            return
        raise KeyboardInterrupt()

    def hold(self) -> None:
        self.holding = True

    def release(self) -> None:
        self.holding = False
        if self.pending is not None:
            self.pending = None
            raise KeyboardInterrupt()


@contextmanager
def _guarded() -> Iterator[_SignalGuard]:
    """The active guard (inside `run`), or a new one for a bare `spawn`: that one
    raises a held signal when it ends, after the record is written."""
    global _active
    if _active is not None:
        yield _active
        return
    guard = _SignalGuard()
    _active = guard
    try:
        with guard:
            yield guard
            guard.release()
    finally:
        _active = None


__all__ = ["RunResult", "check_port_free", "run", "spawn"]
