"""Restarting xiaozhi-server after its config changed (it reads config once, at start).

- Docker: `docker restart <container>` (the container named in the compose
  file, or the one mounting the deployment's data/ folder, and only when it is
  xiaozhi's), then wait until its websocket port answers a plain GET with
  "Server is running" (xiaozhi's `core/websocket_server.py`).
- Source: the one `app.py` process running in the folder is stopped (with its
  children) and started again the way it was: same interpreter, arguments,
  folder and environment, detached (Windows: its own console window; elsewhere
  its output goes to a log file). When that cannot be done safely (several of
  them, its environment unreadable, a service manager owns it, not running), the
  exact command is returned for the user instead.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from launcher.errors import BadInput, LauncherError, NotRunning, ReadyTimeout
from launcher.xiaozhi import docker
from launcher.xiaozhi.deploy import WS_PORT, Deployment
from launcher.xiaozhi.processes import AppProcess, display_command, find_app_processes, find_python

ALIVE_TEXT = "Server is running"
# Parents that restart xiaozhi themselves: a second copy would fight them for the port.
SUPERVISORS = {"systemd", "supervisord", "pm2", "launchd", "runsv", "s6-supervise", "nssm.exe", "winsw.exe"}


@dataclass
class Restarted:
    target: str  # the container's name, or the new process id
    seconds: float  # until xiaozhi answered again
    url: str
    log: Optional[str] = None  # source: where the restarted server writes


@dataclass
class ByHand:
    """A restart the launcher did not do: why, and the exact command for the user."""

    reason: LauncherError
    command: str
    folder: str


def restart(dep: Deployment, *, logs: Path, wait: float = 180.0, port: Optional[int] = None):
    """Restart xiaozhi-server: `Restarted`, or `ByHand` when it must be done by the user."""
    if dep.kind == "docker":
        return _restart_docker(dep, wait)
    return _restart_source(dep, logs, wait, port or WS_PORT)


def how(dep: Deployment) -> tuple:
    """(message key, params) saying how the user restarts xiaozhi by hand."""
    if dep.kind == "docker":
        return "xiaozhi.restart.how_docker", {"container": dep.container}
    procs = find_app_processes(dep.folder)
    if len(procs) == 1:
        return "xiaozhi.restart.how_source", {"folder": procs[0].cwd, "command": display_command(procs[0])}
    return "xiaozhi.restart.how_source", {"folder": str(dep.folder), "command": _start_command(dep)}


def _start_command(dep: Deployment) -> str:
    found = find_python(dep.folder)
    python = str(found.path) if found else "python"
    return f'"{python}" app.py' if " " in python else f"{python} app.py"


# --- Docker --------------------------------------------------------------------------------------


def _restart_docker(dep: Deployment, wait: float) -> Restarted:
    container = docker.find_container(dep)
    if container is None:
        named = docker.inspect(dep.container)  # a container of that name, but not xiaozhi's: say so
        if named:
            raise BadInput("xiaozhi.restart.not_xiaozhi", container=named[0].name, image=named[0].image)
        raise NotRunning("xiaozhi.restart.no_container", container=dep.container, folder=str(dep.folder))
    started = time.monotonic()
    docker.restart(container)
    from launcher.xiaozhi.image import forget

    forget()
    port = dep.compose.ws_port if dep.compose else WS_PORT
    url = wait_alive("127.0.0.1", port, wait - (time.monotonic() - started), started)
    return Restarted(container.name, round(time.monotonic() - started, 1), url)


# --- source --------------------------------------------------------------------------------------


def _restart_source(dep: Deployment, logs: Path, wait: float, port: int):
    procs = find_app_processes(dep.folder)
    if not procs:
        return ByHand(NotRunning("xiaozhi.restart.not_running", folder=str(dep.folder)), _start_command(dep),
                      str(dep.folder))
    if len(procs) > 1:
        pids = ", ".join(str(p.pid) for p in procs)
        return ByHand(BadInput("xiaozhi.restart.several", pids=pids), display_command(procs[0]), procs[0].cwd)
    proc = procs[0]
    command = display_command(proc)
    if proc.parent_name.lower() in SUPERVISORS:
        return ByHand(BadInput("xiaozhi.restart.supervised", parent=proc.parent_name, pid=proc.pid), command, proc.cwd)
    if proc.environ is None:
        return ByHand(BadInput("xiaozhi.restart.no_environment", pid=proc.pid), command, proc.cwd)
    started = time.monotonic()
    _stop(proc)
    log = Path(logs) / "xiaozhi-server.log"
    child = _start(proc, log)
    url = wait_alive("127.0.0.1", port, wait - (time.monotonic() - started), started, child=child)
    return Restarted(str(child.pid), round(time.monotonic() - started, 1), url, None if os.name == "nt" else str(log))


def _stop(proc: AppProcess, grace: float = 15.0) -> None:
    """End this exact process (pid + start time) and its children; SIGTERM first, which
    xiaozhi handles by closing its servers. The launcher ends processes in one place."""
    from launcher.server.stopping import end_identified

    end_identified(proc.pid, proc.create_time, timeout=2 * grace)


def _start(proc: AppProcess, log: Path) -> subprocess.Popen:
    argv = [proc.exe] + proc.cmdline[1:]
    if os.name == "nt":
        flags = subprocess.CREATE_NEW_CONSOLE | subprocess.CREATE_NEW_PROCESS_GROUP
        return subprocess.Popen(argv, cwd=proc.cwd, env=proc.environ, creationflags=flags)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        out.write(f"# sovits-launch restarted xiaozhi-server {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
        out.flush()
        return subprocess.Popen(argv, cwd=proc.cwd, env=proc.environ, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


# --- alive ---------------------------------------------------------------------------------------


def alive(host: str, port: int, timeout: float = 2.0) -> bool:
    """xiaozhi's websocket port answers a plain GET with "Server is running"."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", "/")
        resp = conn.getresponse()
        return resp.status == 200 and ALIVE_TEXT in resp.read(200).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def wait_alive(host: str, port: int, wait: float, started: float, child: Optional[subprocess.Popen] = None) -> str:
    url = f"http://{host}:{port}/"
    deadline = time.monotonic() + max(wait, 1.0)
    while time.monotonic() < deadline:
        if alive(host, port):
            return url
        if child is not None and child.poll() is not None:
            raise LauncherError("xiaozhi.restart.exited", code=child.returncode, url=url)
        time.sleep(0.5)
    raise ReadyTimeout("xiaozhi.restart.not_answering", url=url, seconds=int(time.monotonic() - started))
