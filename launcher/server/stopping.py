"""Ending servers: one server and its whole process tree (`stop_server`), or the
servers `stop` names (by profile, port or all).

Nothing is ended, and no request is sent, without proof that it is a GPT-SoVITS
server (`ownership.prove_ours`): the launcher's own record (PID + start time), our
own child not reaped yet, or upstream's api.py / api_v2.py run from a package root.

`stop_server` says first, in the registry, who asked for the stop (so the window that
follows the server reports a requested stop, not a crash), asks upstream to exit when
the server that listens on the port is this one, then ends every process of the tree,
and confirms the port is free: upstream's /control?command=exit answers 500 and then
exits, so the process and the port decide, not the HTTP status.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass, replace

from launcher.errors import LauncherError, NotRunning
from launcher.gsv import client as gsv_api
from launcher.paths import Layout
from launcher.server import ownership
from launcher.server.registry import Registry, ServerRecord, port_owner, process_matches, record_from_scan, replacement


@dataclass
class StopResult:
    profile: str
    port: int
    pid: int
    graceful: bool  # ended after upstream's /control?command=exit
    port_free: bool
    ended: bool = True  # False: the process was already gone, nothing was ended


def _target(record: ServerRecord, process: subprocess.Popen | None) -> tuple[ServerRecord, list]:
    """The record (its PID updated after a Windows-style restart) and the process tree
    that may be ended: empty when nothing running is proven to be this server."""
    if process is not None and process.poll() is None:
        # Our own child, not reaped yet: its PID cannot have been given to anyone else.
        tree = ownership.process_tree(process.pid, record.create_time) or _children_of(process.pid)
        if tree:
            return record, tree
    if process_matches(record.pid, record.create_time):
        proof = ownership.prove_ours(record.pid, [record])
        return record, ownership.tree(proof) if proof else []
    found = replacement(record)  # restarted by upstream as a new process (Windows); proven inside
    if found:
        owner = found[0]
        moved = replace(record, pid=owner["pid"], create_time=owner["create_time"])
        return moved, ownership.process_tree(moved.pid, moved.create_time)
    return record, []


def _children_of(pid: int) -> list:
    import psutil

    try:
        root = psutil.Process(pid)
        return [root] + root.children(recursive=True)
    except psutil.Error:
        return []


def stop_server(record: ServerRecord, registry: Registry, *, process: subprocess.Popen | None = None,
                graceful: bool = True, timeout: float = 8.0) -> StopResult:
    """End the server and every child it started; confirm its port is free."""
    import psutil

    old_pid = record.pid
    record, tree = _target(record, process)
    if tree and record.launcher_pid != os.getpid():
        # Another window may be following this server: it reads this when its server ends.
        try:
            registry.request_stop(record, by=os.getpid())
        except LauncherError:
            pass  # unwritable registry: the stop asked for still happens

    ended_gracefully = False
    if graceful and tree and ownership.listens_on(tree, record.port):
        gsv_api.request_exit(record.host, record.port)
        _, alive = psutil.wait_procs(tree[:1], timeout=3.0)
        ended_gracefully = not alive
    _end_tree(tree, timeout)
    if process is not None:
        try:
            process.wait(timeout=timeout)  # reap our own child (no zombie left behind)
        except subprocess.TimeoutExpired:
            pass
    port_free = _wait_port_closed(record.host, record.port, 5.0 if tree else 0.5)
    registry.remove(record.pid)
    if old_pid != record.pid:
        registry.remove(old_pid)
    return StopResult(record.profile, record.port, record.pid, ended_gracefully, port_free, ended=bool(tree))


def end_identified(pid: int, create_time: float, timeout: float = 20.0) -> bool:
    """End one process and its children, if (pid, start time) is still that process.

    For a caller holding its own proof of what the process is, not a GPT-SoVITS
    server: xiaozhi-server's `app.py` in its folder (`launcher/xiaozhi/restart.py`).
    False when it was already gone (or the PID now belongs to another program).
    """
    import psutil

    if not process_matches(pid, create_time):
        return False
    try:
        root = psutil.Process(pid)
        tree = [root] + root.children(recursive=True)
    except psutil.Error:
        return False
    _end_tree(tree, timeout)
    return True


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
        # The registry's servers, and those only a process scan shows (a lost record,
        # or a server started by hand from a root this launcher knows).
        records = registry.servers(scan=True)
        targets = records + [record_from_scan(f) for f in registry.scan(records)]
    else:
        targets = registry.find(profile=profile, port=port)
        if not targets and port is not None and profile is None:
            targets = [_adopt_by_port(port)]
        if not targets:
            raise NotRunning("stop.not_running", name=profile or f":{port}")
    return [stop_server(rec, registry) for rec in targets]


def _adopt_by_port(port: int) -> ServerRecord:
    """The port the user named holds a server we did not start (a hand-typed command):
    stopped only when proven to be upstream's server; anything else is refused by name."""
    owner = port_owner(port)
    if not owner:
        raise NotRunning("stop.not_running", name=f":{port}")
    proof = ownership.prove_ours(owner["pid"])
    if proof is None:
        raise ownership.refusal(owner["pid"], port=port)
    from launcher.server.scan import host_of

    return ServerRecord(
        profile=f":{port}",
        api=proof.api or "v2",
        host=host_of(list(proof.cmdline), proof.api or "v2"),
        port=port,
        pid=proof.pid,
        create_time=proof.create_time,
        log="",
        root=proof.root or "",
    )
