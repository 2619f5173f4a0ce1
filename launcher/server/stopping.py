"""Ending servers: one server and its whole process tree (`stop_server`), or the
servers `stop` names (by profile, port or all).

`stop_server` asks upstream to exit, then ends every process of the tree, and
confirms the port is free: upstream's /control?command=exit answers 500 and then
exits, so the process and the port decide, not the HTTP status.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass, replace

from launcher.errors import NotRunning
from launcher.gsv import client as gsv_api
from launcher.paths import Layout
from launcher.server.registry import Registry, ServerRecord, port_owner, process_matches, replacement, upstream_api


@dataclass
class StopResult:
    profile: str
    port: int
    pid: int
    graceful: bool  # ended after upstream's /control?command=exit
    port_free: bool


def stop_server(record: ServerRecord, registry: Registry, *, process: subprocess.Popen | None = None,
                graceful: bool = True, timeout: float = 8.0) -> StopResult:
    """End the server and every child it started; confirm its port is free."""
    import psutil

    # The stop marker first: a supervisor never restarts a server asked to stop. If it
    # restarted this one meanwhile, the process running now is the one to end.
    current = registry.request_stop(record.host, record.port)
    if current is not None and current.supervisor_pid and current.pid != record.pid:
        record = current
    if not process_matches(record.pid, record.create_time):
        found = replacement(record)  # restarted by upstream as a new process (Windows)
        if found:
            registry.remove(record.pid)
            record = replace(record, pid=found[0]["pid"], create_time=found[0]["create_time"])
    tree: list[psutil.Process] = []
    if process_matches(record.pid, record.create_time):
        try:
            root = psutil.Process(record.pid)
            tree = [root] + root.children(recursive=True)
        except psutil.Error:
            tree = []
    ended_gracefully = False
    if graceful and tree and gsv_api.port_accepts(record.host, record.port, timeout=0.2):
        gsv_api.request_exit(record.host, record.port)
        _, alive = psutil.wait_procs(tree[:1], timeout=3.0)
        ended_gracefully = not alive
    _end_tree(tree, timeout)
    if process is not None:
        try:
            process.wait(timeout=timeout)  # reap our own child (no zombie left behind)
        except subprocess.TimeoutExpired:
            pass
    port_free = _wait_port_closed(record.host, record.port, 5.0)
    _end_supervisor(record if current is None else current, timeout)
    registry.remove(record.pid)
    return StopResult(record.profile, record.port, record.pid, ended_gracefully, port_free)


def _end_supervisor(record: ServerRecord, timeout: float) -> None:
    """A detached supervisor sees the marker (or its server gone) and exits by itself;
    one that has not within the timeout is ended. A foreground launcher is left to
    say that its server was stopped."""
    import psutil

    pid = record.supervisor_pid
    if not pid or pid == os.getpid() or not record.detached:
        return
    if not process_matches(pid, record.supervisor_create_time or 0.0):
        return
    try:
        proc = psutil.Process(pid)
    except psutil.Error:
        return
    _, alive = psutil.wait_procs([proc], timeout=timeout / 2)
    _end_tree(alive, timeout)


def _end_tree(tree: list, timeout: float) -> None:
    import psutil

    alive = [p for p in tree if p.is_running()]
    for p in alive:
        try:
            p.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(alive, timeout=timeout / 2)
    for p in alive:
        try:
            p.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(alive, timeout=timeout / 2)


def _wait_port_closed(host: str, port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not gsv_api.port_accepts(host, port, timeout=0.2):
            return True
        time.sleep(0.05)
    return False


def stop(layout: Layout, *, profile: str | None = None, port: int | None = None, all_servers: bool = False) -> list[StopResult]:
    registry = Registry(layout.registry_file)
    if all_servers:
        targets = registry.servers()
    else:
        targets = registry.find(profile=profile, port=port)
        if not targets and port is not None and profile is None:
            adopted = _adopt_by_port(port)
            if adopted:
                targets = [adopted]
        if not targets:
            raise NotRunning("stop.not_running", name=profile or f":{port}")
    return [stop_server(rec, registry) for rec in targets]


def _adopt_by_port(port: int) -> ServerRecord | None:
    """A GPT-SoVITS server we did not start (a hand-typed command) on the port the
    user named explicitly: stop it too."""
    owner = port_owner(port)
    api = upstream_api(owner["cmdline"]) if owner else None
    if not owner or not api:
        return None
    return ServerRecord(
        profile=f":{port}",
        api=api,
        host="127.0.0.1",
        port=port,
        pid=owner["pid"],
        create_time=owner["create_time"],
        log="",
        root="",
    )
