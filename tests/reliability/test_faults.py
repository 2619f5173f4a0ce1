"""Faults the launcher survives that test_start_live.py does not already stage.

- upstream's `/control?command=restart` (POSIX: `os.execl` keeps the PID; Windows:
  a new process) - `status` and `stop` still find the server;
- a registry record whose process is gone, found again by port owner or, while the
  replacement still loads, by its command line; never by an unrelated process;
- the registry write failing right after the spawn: the server is not orphaned;
- a launcher killed (kill -9) while it holds the port and registry locks: the next
  start does not wait for them.

Every wait is a condition with a deadline; the one fixed pause gives the launcher time
to do something it must not do (exit after a restart).
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from launcher.gsv import client as gsv_api
from launcher.errors import LauncherError
from launcher.paths import Settings, layout
from launcher.profiles.schema import parse_profile
from launcher.server.registry import Registry, ServerRecord
from launcher.server.plan import plan_start
from launcher.server.process import spawn

from helpers import nahida_yaml, python_args, run_cli, standin_yaml, wait_for, write_profile
from helpers.live import load_seconds, nahida, pkg, port, started  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _status(capsys):
    return json.loads(run_cli(capsys, "status", "--json")[1])["data"]


def _dead_process() -> tuple[int, float]:
    """A PID and start time of a process that has ended (the server before a restart)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    created = psutil.Process(proc.pid).create_time()
    proc.wait()
    return proc.pid, created


def _record(pid, created, port, **kw) -> ServerRecord:
    return ServerRecord(profile="nahida", display_name="纳西妲", api="v2", host="127.0.0.1", port=port, pid=pid,
                        create_time=created, log="x.log", root=kw.pop("root", "/r"), state=kw.pop("state", "ready"), **kw)


def _standin(pkg, port, started, load="0.3"):
    proc = subprocess.Popen(
        pkg.command("v2", "-a", "127.0.0.1", "-p", str(port)),
        cwd=str(pkg.root),
        env=pkg.env(load_seconds=float(load)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started.append(proc)
    return proc


# --- /control?command=restart -----------------------------------------------------------


def test_control_restart_status_and_stop_still_find_the_server(nahida, port, capsys):
    code, _, err = run_cli(capsys, "nahida", "--detach", *python_args(nahida))
    assert code == 0, err
    before = _status(capsys)[0]
    try:
        gsv_api.request("GET", gsv_api.base_url("127.0.0.1", port) + "/control", params={"command": "restart"}, timeout=5)
    except OSError:
        pass  # os.execl drops the connection: no answer at all
    # The new image loads again (port closed), then listens again.
    wait_for(lambda: gsv_api.probe_ready("127.0.0.1", port), what="ready again after restart")
    rows = _status(capsys)
    assert [(r["profile"], r["port"], r["state"]) for r in rows] == [("nahida", port, "ready")]
    pid = rows[0]["pid"]
    assert pid == before["pid"] or os.name == "nt"  # exec keeps the PID on POSIX
    code, out, _ = run_cli(capsys, "stop", "nahida")
    assert code == 0 and "已释放" in out
    wait_for(lambda: gone(pid), what="server gone")
    assert not gsv_api.port_accepts("127.0.0.1", port)
    assert _status(capsys) == []


def test_replaced_process_is_found_by_its_port_owner(nahida, port, capsys, started):
    """What Windows does on restart: the recorded PID is gone, a new api_v2.py owns the port."""
    pid, created = _dead_process()
    Registry(layout().registry_file).add(_record(pid, created, port, root=str(nahida.root)))
    server = _standin(nahida, port, started)
    wait_for(lambda: gsv_api.probe_ready("127.0.0.1", port), what="replacement ready")
    rows = _status(capsys)
    assert [(r["profile"], r["pid"], r["state"]) for r in rows] == [("nahida", server.pid, "ready")]
    code, out, err = run_cli(capsys, "stop", "nahida")
    assert code == 0, err
    assert server.wait(timeout=10) is not None
    assert not gsv_api.port_accepts("127.0.0.1", port)
    assert _status(capsys) == []


def test_replaced_process_still_loading_is_found_by_its_command_line(nahida, port, capsys, started):
    """The port opens only after the models load (minutes on real PCs): in between,
    the replacement is recognised by its command line, and `stop` ends it."""
    pid, created = _dead_process()
    Registry(layout().registry_file).add(_record(pid, created, port, root=str(nahida.root)))
    server = _standin(nahida, port, started, load="30")
    wait_for(lambda: psutil.Process(server.pid).cmdline()[1:2] == ["api_v2.py"], what="replacement running")
    rows = _status(capsys)
    assert [(r["profile"], r["pid"], r["state"]) for r in rows] == [("nahida", server.pid, "loading")]
    assert run_cli(capsys, "stop", "nahida")[0] == 0
    assert server.wait(timeout=10) is not None
    assert _status(capsys) == []


def test_port_owner_that_is_not_gpt_sovits_is_never_adopted(port, capsys, started):
    pid, created = _dead_process()
    Registry(layout().registry_file).add(_record(pid, created, port))
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import socket,time; s=socket.socket(); s.bind(('127.0.0.1',{port})); s.listen(); print('ok', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE,
    )
    started.append(holder)
    assert holder.stdout.readline().strip() == b"ok"
    assert _status(capsys) == []
    assert run_cli(capsys, "stop", "nahida")[0] == 7
    assert holder.poll() is None  # pruned, never touched


def test_gpt_sovits_older_than_the_record_is_not_a_replacement(pkg, port, capsys, started):
    """A server that was already running before our record cannot be its restart."""
    server = _standin(pkg, port, started)
    wait_for(lambda: gsv_api.probe_ready("127.0.0.1", port), what="foreign server ready")
    pid, _ = _dead_process()
    Registry(layout().registry_file).add(_record(pid, time.time() + 60, port))
    assert _status(capsys) == []
    assert server.poll() is None


# --- the record cannot be written -------------------------------------------------------


def test_registry_write_failing_after_the_spawn_leaves_no_orphan(pkg, port, monkeypatch):
    profile = parse_profile(standin_yaml(pkg, port), Path("/p/nahida.yaml"))
    plan = plan_start(profile, layout=layout(), settings=Settings(), python=pkg.python or sys.executable)
    spawned: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def popen(*a, **kw):
        proc = real_popen(*a, **kw)
        spawned.append(proc)
        return proc

    def disk_full(self, record):
        raise LauncherError("fs.write_failed", path="servers.json", reason=os.strerror(errno.ENOSPC))

    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.setattr(Registry, "add", disk_full)
    with pytest.raises(LauncherError) as e:
        spawn(plan, layout=layout(), detach=True)
    assert e.value.key == "fs.write_failed"
    assert len(spawned) == 1
    assert spawned[0].poll() is not None  # ended and reaped, not left loading unrecorded


# --- a launcher killed while it holds the locks ------------------------------------------

# What `spawn` holds while it starts a server: the port's lock, then the registry's.
HOLD_LOCKS = """
import sys, time
from pathlib import Path
from launcher.paths import layout
from launcher.server.registry import locked
with locked(layout().state / ("port-" + sys.argv[1])), locked(layout().registry_file):
    Path(sys.argv[2]).write_text("held")
    time.sleep(60)
"""


def test_launcher_killed_holding_the_locks_does_not_block_the_next_start(nahida, port, capsys, started, tmp_path):
    marker = tmp_path / "held"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCKS, str(port), str(marker)])
    started.append(holder)
    wait_for(lambda: marker.exists() or holder.poll() is not None, what="the locks to be taken")
    assert holder.poll() is None, "the holder could not take the locks"
    holder.kill()  # kill -9: no cleanup runs in the holder
    holder.wait()
    began = time.monotonic()
    code, _, err = run_cli(capsys, "nahida", "--detach", *python_args(nahida))
    assert code == 0, err
    assert time.monotonic() - began < 8  # the lock wait gives up at 10 s: it never waited
    rows = _status(capsys)
    assert [(r["profile"], r["port"], r["state"]) for r in rows] == [("nahida", port, "ready")]
    assert run_cli(capsys, "stop", "nahida")[0] == 0
    assert _status(capsys) == []


# --- a restart that changes the PID, as on Windows ------------------------------------------------

# What upstream's `os.execl` does on Windows: start the same command line as a new process
# (inheriting the log handles), then end the old one. A few lines of HTTP are enough to
# stand in for api_v2.py here: readiness only needs GET /openapi.json.
WINDOWS_STYLE_SERVER = r'''
import json, os, subprocess, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

port = int(sys.argv[sys.argv.index("-p") + 1])
time.sleep(0.3)  # "loading"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/openapi.json":
            body = json.dumps({"openapi": "3.1.0", "pid": os.getpid()}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif url.path == "/control" and parse_qs(url.query).get("command") == ["restart"]:
            print("restarting as a new process", flush=True)
            subprocess.Popen([sys.executable] + sys.argv)
            os._exit(0)
        elif url.path == "/control":
            os._exit(0)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *a):
        pass


server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
print(f"INFO:     Uvicorn running on http://127.0.0.1:{port} (Press CTRL+C to quit)", flush=True)
server.serve_forever()
'''


@pytest.fixture
def windows_style(tmp_path, isolated_home, port):
    from helpers import make_package

    fake = make_package(tmp_path / "GPT-SoVITS 整合包")
    (fake.root / "api_v2.py").write_text(WINDOWS_STYLE_SERVER, encoding="utf-8")
    write_profile(isolated_home, "nahida", nahida_yaml(fake.root, port=port, device="cpu"))
    return fake


def _restart(port):
    try:
        gsv_api.request("GET", gsv_api.base_url("127.0.0.1", port) + "/control", params={"command": "restart"}, timeout=5)
    except OSError:
        pass


def _served_by(port):
    try:
        return json.loads(gsv_api.request("GET", gsv_api.base_url("127.0.0.1", port) + "/openapi.json", timeout=2).body)["pid"]
    except (OSError, ValueError):
        return None


def test_windows_style_restart_detached_status_and_stop(windows_style, port, capsys):
    # --no-warmup: this minimal server has no /tts (the restart is what is tested here)
    assert run_cli(capsys, "nahida", "--detach", "--no-warmup")[0] == 0
    first = _served_by(port)
    _restart(port)
    second = wait_for(lambda: (_served_by(port) or first) != first and _served_by(port), what="a new process serving")
    rows = _status(capsys)
    assert [(r["profile"], r["pid"]) for r in rows] == [("nahida", second)]
    assert run_cli(capsys, "stop", "nahida")[0] == 0
    wait_for(lambda: gone(second), what="replacement gone")
    assert not gsv_api.port_accepts("127.0.0.1", port)


def test_windows_style_restart_in_the_foreground_is_followed_then_ctrl_c_ends_it(windows_style, port, capsys):
    """The foreground launcher keeps following the replacement instead of treating the
    restart as the end of the server (and leaving the new process behind)."""
    import signal
    import threading

    launcher = subprocess.Popen([sys.executable, "-m", "launcher", "nahida", "--no-warmup"], cwd=str(Path(__file__).resolve().parents[2]),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    text = []
    threading.Thread(target=lambda: [text.append(l.decode("utf-8", "replace")) for l in iter(launcher.stdout.readline, b"")],
                     daemon=True).start()
    try:
        wait_for(lambda: "已就绪" in "".join(text), what="ready")
        first = _served_by(port)
        _restart(port)
        second = wait_for(lambda: (_served_by(port) or first) != first and _served_by(port), what="a new process serving")
        time.sleep(0.5)  # the launcher has had time to notice the old process is gone
        assert launcher.poll() is None, "".join(text)
        assert [r["pid"] for r in _status(capsys)] == [second]
        launcher.send_signal(signal.SIGINT)
        launcher.wait(timeout=20)
        wait_for(lambda: gone(second), what="replacement gone")
        assert not gsv_api.port_accepts("127.0.0.1", port)
        assert _status(capsys) == []
    finally:
        if launcher.poll() is None:
            launcher.kill()
        for proc in psutil.process_iter(["cmdline"]):
            if str(port) in (proc.info["cmdline"] or []) and "api_v2.py" in (proc.info["cmdline"] or []):
                proc.kill()


def test_stop_server_with_a_stale_record_ends_the_replacement(nahida, port, started):
    """Ctrl+C lands just as upstream restarts: the record in hand names the old process."""
    from launcher.server.stopping import stop_server

    pid, created = _dead_process()
    registry = Registry(layout().registry_file)
    stale = _record(pid, created, port, root=str(nahida.root))
    registry.add(stale)
    server = _standin(nahida, port, started, load="30")
    wait_for(lambda: psutil.Process(server.pid).cmdline()[1:2] == ["api_v2.py"], what="replacement running")
    result = stop_server(stale, registry, graceful=False)
    assert result.pid == server.pid and result.port_free
    assert server.wait(timeout=10) is not None
    assert registry.servers() == []
