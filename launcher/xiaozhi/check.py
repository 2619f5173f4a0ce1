"""`xiaozhi check`: xiaozhi's own code synthesizes one sentence against the running server.

Routes, best first:
- Docker with xiaozhi's container running: `docker exec -i -w /opt/xiaozhi-esp32-server
  <container> python - <text> <timeout>`, the script on stdin. It runs where
  xiaozhi runs, so it sees the container's network (host.docker.internal, the
  bridge) exactly as xiaozhi will.
- Source: the same script with xiaozhi's interpreter (`processes.find_python`),
  working directory = the xiaozhi-server folder.
- Neither possible: the launcher sends xiaozhi's exact request itself (as `say`
  does), and says why xiaozhi's own code was not run.

The script is `xiaozhi_side.py`; its answer is explained here in the user's
terms (message keys), with the provider's exception kept as it was raised.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from launcher.errors import BadInput, LauncherError, NotRunning
from launcher.xiaozhi import docker
from launcher.xiaozhi.deploy import Deployment
from launcher.xiaozhi.files import deployment
from launcher.xiaozhi.processes import FoundPython, find_python

MARK = "SOVITS_LAUNCH_CHECK "
SCRIPT = "xiaozhi_side.py"


@dataclass
class Route:
    kind: str  # "docker" | "source" | "launcher"
    container: Optional[docker.Container] = None
    python: Optional[FoundPython] = None
    reason: Optional[LauncherError] = None  # kind "launcher": why xiaozhi's code cannot run


@dataclass
class CheckReport:
    route: Route
    ok: bool = False
    module: Optional[str] = None
    type: Optional[str] = None
    url: Optional[str] = None
    seconds: Optional[float] = None  # request sent -> all audio received
    audio_seconds: Optional[float] = None
    rate: Optional[int] = None
    problem: Optional[LauncherError] = None  # the failure, explained
    raw_error: Optional[str] = None  # the provider's exception, as raised
    notes: list = field(default_factory=list)  # [(key, params)]


def script_text() -> str:
    here = Path(__file__).with_name(SCRIPT)
    frozen = getattr(sys, "_MEIPASS", None)  # PyInstaller ships it as data (launcher.spec)
    if not here.is_file() and frozen:
        here = Path(frozen) / "launcher" / "xiaozhi" / SCRIPT
    return here.read_text(encoding="utf-8")


def choose_route(dep: Deployment, python: Optional[Path] = None) -> Route:
    if dep.kind == "docker":
        try:
            container = docker.find_container(dep)
        except LauncherError as exc:
            return Route("launcher", reason=exc)
        if container is None:
            return Route("launcher", reason=NotRunning("xiaozhi.check.no_container", container=dep.container))
        if not container.running:
            return Route("launcher", container=container, reason=NotRunning(
                "xiaozhi.check.container_stopped", container=container.name, status=container.status,
                folder=str(dep.folder)))
        return Route("docker", container=container)
    found = find_python(dep.folder, python)
    if found is None:
        return Route("launcher", reason=BadInput("xiaozhi.check.no_python", folder=str(dep.folder)))
    if not found.path.is_file():
        return Route("launcher", reason=BadInput("xiaozhi.check.python_missing", python=str(found.path)))
    return Route("source", python=found)


def run_check(xiaozhi_dir: Path, *, text: str, timeout: float = 120.0, python: Optional[Path] = None,
              route: Optional[Route] = None) -> CheckReport:
    """Run xiaozhi's own code (docker or source). For the launcher-side route, see `launcher_side`."""
    dep = deployment(Path(xiaozhi_dir))
    route = route or choose_route(dep, python)
    if route.kind == "launcher":
        return CheckReport(route)
    script = script_text()
    argv_tail = ["-", text, str(int(timeout))]
    try:
        if route.kind == "docker":
            assert route.container is not None
            done = docker.exec_in(route.container.name, "python", *argv_tail, input_text=script, timeout=timeout + 30)
        else:
            assert route.python is not None
            done = _run_source(dep.folder, route.python, argv_tail, script, timeout + 30)
    except LauncherError as exc:
        return CheckReport(Route("launcher", container=route.container, python=route.python, reason=exc))
    return interpret(route, done.returncode, done.stdout or "", done.stderr or "")


def _run_source(folder: Path, found: FoundPython, argv_tail: list, script: str, timeout: float):
    env = dict(os.environ)
    env.update(found.env)
    env.update(PYTHONIOENCODING="utf-8", PYTHONUNBUFFERED="1")
    try:
        return subprocess.run(
            [str(found.path), *argv_tail], input=script, cwd=str(folder), env=env, capture_output=True,
            text=True, encoding="utf-8", errors="replace", timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        raise LauncherError("xiaozhi.check.timeout", url="-", seconds=int(timeout)) from exc
    except OSError as exc:
        raise BadInput("xiaozhi.check.python_missing", python=str(found.path)) from exc


def parse_output(stdout: str) -> Optional[dict]:
    """The script's answer: the last `SOVITS_LAUNCH_CHECK {json}` in its output."""
    for line in reversed(stdout.splitlines()):
        at = line.find(MARK)
        if at >= 0:
            try:
                data = json.loads(line[at + len(MARK):])
            except ValueError:
                continue
            return data if isinstance(data, dict) else None
    return None


def interpret(route: Route, code: int, stdout: str, stderr: str) -> CheckReport:
    data = parse_output(stdout)
    report = CheckReport(route)
    if data is None:
        tail = " | ".join([line for line in (stderr or stdout).strip().splitlines() if line.strip()][-3:])
        if route.kind == "docker" and "is not running" in (stderr or ""):
            report.problem = NotRunning("xiaozhi.check.container_stopped", container=route.container.name,
                                        status="exited", folder="-")
        else:
            report.problem = LauncherError("xiaozhi.check.no_answer", code=code, output=tail or "-")
        return report
    report.ok = bool(data.get("ok"))
    report.module, report.type, report.url = data.get("module"), data.get("type"), data.get("url")
    report.seconds, report.audio_seconds, report.rate = data.get("seconds"), data.get("audio_seconds"), data.get("rate")
    report.raw_error = data.get("error")
    if not report.ok:
        report.problem = explain(data, route)
    return report


_REFUSED = ("connection refused", "errno 111", "10061", "actively refused", "errno 61")
_NO_HOST = ("name or service not known", "getaddrinfo failed", "temporary failure in name resolution",
            "nodename nor servname", "no address associated", "name resolution", "11001")
_TIMEOUT = ("readtimeout", "connecttimeout", "timed out", "timeout")
_REJECTED = re.compile(r"TTS请求失败: (\d{3}) - (.*)", re.S)


def explain(data: dict, route: Route) -> LauncherError:
    """The script's failure as a keyed error a user can act on."""
    error = str(data.get("error") or "")
    lowered = error.lower()
    url = str(data.get("url") or "-")
    if data.get("mode") == "manager-api":
        return BadInput("xiaozhi.check.manager_mode", url=str(data.get("manager_url")))
    if data.get("missing"):
        return BadInput("xiaozhi.check.missing_packages", packages=", ".join(data["missing"]),
                        python=str(data.get("python") or "?"))
    if "no module named 'config'" in lowered or "no module named 'core'" in lowered:
        return BadInput("xiaozhi.check.wrong_folder", error=error)
    if "opus" in lowered and ("could not find" in lowered or "library" in lowered):
        return BadInput("xiaozhi.check.libopus", error=error)
    stage = data.get("stage")
    if stage == "config":
        if "FileNotFoundError" in error:
            return BadInput("xiaozhi.check.config_missing", error=error)
        return BadInput("xiaozhi.check.config_error", error=error)
    if stage == "module":
        return BadInput("xiaozhi.check.not_gsv", module=str(data.get("module")), type=str(data.get("type")))
    if stage == "provider" and "不支持的TTS类型" in error:
        return BadInput("xiaozhi.check.type_missing", type=str(data.get("type")))
    if stage == "audio":
        if data.get("not_wav"):
            return BadInput("xiaozhi.check.not_audio", url=url, size=int(data.get("bytes") or 0),
                            head=str(data.get("head") or "")[:120])
        return BadInput("xiaozhi.check.empty_audio", url=url, size=int(data.get("bytes") or 0))
    if stage == "synthesis":
        return _synthesis_problem(error, lowered, url, route)
    return LauncherError("xiaozhi.check.failed", error=error or "-")


def _synthesis_problem(error: str, lowered: str, url: str, route: Route) -> LauncherError:
    rejected = _REJECTED.search(error)
    if rejected:
        status, body = int(rejected.group(1)), rejected.group(2)
        if status in (404, 405):
            return BadInput("xiaozhi.check.wrong_path", url=url, status=status)
        from launcher.xiaozhi.provider import check_answer

        try:
            check_answer(status, body.encode("utf-8"))
        except LauncherError as exc:
            return exc
    host = urlsplit(url).hostname or url
    if any(text in lowered for text in _NO_HOST):
        return NotRunning("xiaozhi.check.no_such_host", host=host, url=url)
    if any(text in lowered for text in _REFUSED):
        key = "xiaozhi.check.refused_docker" if route.kind == "docker" else "xiaozhi.check.refused"
        return NotRunning(key, url=url, host=host)
    if any(text in lowered for text in _TIMEOUT):
        return LauncherError("xiaozhi.check.timeout", url=url, seconds="-")
    return LauncherError("xiaozhi.check.synthesis_error", url=url, error=error)


# --- the launcher's side: xiaozhi's exact request, sent from here --------------------------------


def launcher_side(xiaozhi_dir: Path, route: Route, *, text: str, target=None, timeout: float = 120.0) -> CheckReport:
    """What xiaozhi would send, sent by the launcher (from this machine, not from xiaozhi's place).

    `target` (a `block.TtsTarget`) is used in 智控台 mode, where the block lives in the 智控台.
    """
    from launcher.gsv import client as gsv_api
    from launcher.xiaozhi.provider import check_answer

    report = CheckReport(Route("launcher", container=route.container, python=route.python, reason=route.reason))
    try:
        request, module = _effective_request(Path(xiaozhi_dir), text, target)
    except LauncherError as exc:
        report.problem = exc
        return report
    report.module, report.type, report.url = module, None, request.url
    url = request.full_url()
    host = urlsplit(url).hostname or ""
    if host == "host.docker.internal" and not _resolves(host):
        url = url.replace("host.docker.internal", "127.0.0.1", 1)
        report.notes.append(("xiaozhi.check.host_translated", {"host": host}))
    try:
        answer = gsv_api.request(request.method, url, json=request.json, timeout=timeout)
    except OSError as exc:
        report.raw_error = f"{type(exc).__name__}: {exc}"
        report.problem = NotRunning("xiaozhi.check.refused", url=request.url, host=host)
        return report
    report.seconds = round(answer.total_seconds, 2)
    try:
        info = check_answer(answer.status, answer.body)
    except LauncherError as exc:
        report.problem = exc
        return report
    report.ok, report.audio_seconds, report.rate = True, round(info.seconds, 2), info.sample_rate
    return report


def _effective_request(xdir: Path, text: str, target):
    from launcher.xiaozhi.config import say_request
    from launcher.xiaozhi.files import data_config_path, manager_url, mapping, merge_configs, parse_plain, shipped_config
    from launcher.xiaozhi.provider import TYPES, provider_request

    path = data_config_path(xdir)
    custom = parse_plain(path) if path.is_file() else {}
    if manager_url(custom):
        if target is None:
            raise BadInput("xiaozhi.check.manager_mode", url=manager_url(custom))
        from launcher.xiaozhi.block import without_v1

        request = say_request(without_v1(target), text, xdir)
        return request, None
    merged = merge_configs(shipped_config(xdir), custom)
    name = mapping(merged.get("selected_module")).get("TTS")
    block = mapping(mapping(merged.get("TTS")).get(name))
    kind = block.get("type") or name
    if kind not in TYPES:
        raise BadInput("xiaozhi.check.not_gsv", module=str(name), type=str(kind))
    return provider_request(block, text, module=str(name)), str(name)


def _resolves(host: str) -> bool:
    import socket

    try:
        socket.getaddrinfo(host, None)
        return True
    except OSError:
        return False
