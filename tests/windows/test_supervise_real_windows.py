"""On real Windows only: restart on crash where exit codes and process ends work the Windows way.

- the detached supervisor adopts a server it did not start, so it reads that server's
  exit code through a process handle (launcher.server.supervise._ExitCode);
- upstream's /control?command=exit is `os.kill(getpid(), SIGTERM)`, which Windows turns
  into TerminateProcess(15): an end on request, never restarted;
- a crash (here TerminateProcess with code 9) is restarted;
- the login entry (.vbs) starts the profile through wscript with a hidden window.

Runs in the Windows job of .github/workflows/ci.yml (skipped elsewhere). Every wait is a
condition with a deadline.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from launcher.demo.fake_package import build_standin_package
from launcher.demo.run import first_free_port
from launcher.paths import layout
from launcher.server.registry import Registry

from helpers import standin_yaml, wait_for, write_profile

pytestmark = [
    pytest.mark.windows,
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "win32", reason="real Windows only (TerminateProcess exit codes, wscript)"),
]

REPO = Path(__file__).resolve().parents[2]


def _launcher(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "launcher", *args], cwd=str(REPO), capture_output=True, timeout=180)


def _record(port):
    found = Registry(layout().registry_file).find(port=port)
    return found[0] if found else None


def _gone(pid) -> bool:
    try:
        return not psutil.Process(pid).is_running()
    except psutil.NoSuchProcess:
        return True


@pytest.fixture
def character(tmp_path, isolated_home, monkeypatch):
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.5")
    monkeypatch.setenv("SOVITS_LAUNCH_RESTART_BACKOFF", "0.5")
    pkg = build_standin_package(tmp_path / "GPT-SoVITS 整合包 & 测试")
    port = first_free_port(24000 + os.getpid() % 20000)
    write_profile(isolated_home, "纳西妲", standin_yaml(pkg, port, name="纳西妲"))
    (isolated_home / "settings.yaml").write_text(
        f"gsv_root: '{pkg.root}'\npython: '{pkg.python or sys.executable}'\n", encoding="utf-8")
    yield pkg, port
    _launcher("stop", "--all")


def test_crash_is_restarted_and_control_exit_is_not(character):
    pkg, port = character
    started = _launcher("纳西妲", "--detach", "--restart-on-crash")
    assert started.returncode == 0, started.stdout.decode("utf-8", "replace") + started.stderr.decode("utf-8", "replace")
    first = _record(port)
    supervisor = first.supervisor_pid
    os.kill(first.pid, 9)  # TerminateProcess(9): a crash
    second = wait_for(lambda: (r := _record(port)) and r.pid != first.pid and r.state == "ready" and r, 90,
                      what="the restarted server")
    assert second.restarts == 1 and second.supervisor_pid == supervisor
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/control?command=exit", timeout=5)
    except OSError:
        pass  # TerminateProcess(15) cuts the connection
    wait_for(lambda: _gone(supervisor), 30, what="the supervisor to end")
    time.sleep(1.5)  # past the backoff
    assert _record(port) is None


def test_control_exit_of_the_adopted_server_is_not_a_crash(character):
    """The first server is not the supervisor's child: its exit code comes from a handle."""
    pkg, port = character
    started = _launcher("纳西妲", "--detach", "--restart-on-crash")
    assert started.returncode == 0, started.stderr.decode("utf-8", "replace")
    first = _record(port)
    time.sleep(2.0)  # the supervisor has adopted it (opened its handle)
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/control?command=exit", timeout=5)
    except OSError:
        pass
    wait_for(lambda: _gone(first.supervisor_pid), 30, what="the supervisor to end")
    time.sleep(1.5)
    assert _record(port) is None
    log = (layout().logs / f"supervise-{port}.log").read_bytes().decode("utf-8", "replace")
    assert "服务器崩溃了" not in log


def test_login_entry_starts_the_profile_hidden(character, isolated_home, monkeypatch):
    pkg, port = character
    monkeypatch.setenv("SOVITS_LAUNCH_AUTOSTART_KIND", "windows")
    # The .vbs reads its data from the real Local AppData: use it, and clean up after.
    monkeypatch.delenv("SOVITS_LAUNCH_AUTOSTART_DATA", raising=False)
    registered = _launcher("autostart", "纳西妲")
    assert registered.returncode == 0, registered.stderr.decode("utf-8", "replace")
    vbs = isolated_home / "startup" / "sovits-launch-纳西妲.vbs"
    try:
        subprocess.run(["wscript", str(vbs)], timeout=60, check=True)
        rec = wait_for(lambda: (r := _record(port)) and r.state == "ready" and r, 120, what="the profile started at login")
        assert rec.profile == "纳西妲" and rec.restart_on_crash and rec.detached
    finally:
        _launcher("autostart", "--remove", "纳西妲")
