"""On real Windows only: what Linux and Wine can only simulate.

These run in the Windows job of .github/workflows/ci.yml (skipped elsewhere):
- a generated `.bat` double-clicked the way Explorer starts it
  (`cmd /c ""<path>" "`), from a folder whose name holds Chinese, spaces and
  `& ( ) ! %`, for a profile whose name travels through the file name
  (`纳西妲.bat`); the real launcher on PATH starts the stand-in server; a
  `stop` from another window ends it, and the window closes without pausing;
- CTRL_BREAK (what a closed console or `taskkill` sends a console group) ends a
  foreground start, and the server with it, and frees the port;
- `stop` ends a whole process tree: a venv's `python.exe` on Windows is a
  redirector that starts the real interpreter as its child, like many
  整合包 runtimes' wrappers.

Every wait is a condition with a deadline.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import psutil
import pytest

from launcher.demo.fake_package import build_standin_package
from launcher.demo.run import first_free_port

from helpers import standin_yaml, wait_for, write_profile

pytestmark = [
    pytest.mark.windows,
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "win32", reason="real Windows only (cmd.exe, console events, TerminateProcess)"),
]

REPO = Path(__file__).resolve().parents[2]
HOSTILE_FOLDERS = [
    "GPT-SoVITS 整合包 v2",
    "A&B (v2)! 100% 测试",
]
NEW_GROUP = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=1) as answer:
            return answer.status == 200
    except OSError:
        return False


def _port_free(port: int) -> bool:
    """Nothing accepts connections on the port any more (a bind test would trip over TIME_WAIT)."""
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _processes_under(root: Path) -> list[psutil.Process]:
    """Processes whose command line names a file in `root` (the stand-in servers)."""
    found = []
    for proc in psutil.process_iter(["cmdline", "cwd"]):
        try:
            text = " ".join(proc.info["cmdline"] or [])
            if str(root) in text or (proc.info["cwd"] or "") == str(root):
                found.append(proc)
        except (psutil.Error, TypeError):
            continue
    return found


def _launcher(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "launcher", *args],
        cwd=str(REPO),
        capture_output=True,
        timeout=120,
        **kw,
    )


@pytest.fixture
def character(tmp_path, isolated_home, monkeypatch, request):
    """The stand-in package in a hostile folder, a profile for it, settings naming this Python."""
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.5")
    folder = getattr(request, "param", HOSTILE_FOLDERS[0])
    pkg = build_standin_package(tmp_path / folder)
    port = first_free_port(21000 + os.getpid() % 20000)
    write_profile(
        isolated_home,
        "纳西妲",
        standin_yaml(pkg, port, name="纳西妲"),
    )
    python = pkg.python or Path(sys.executable)
    (isolated_home / "settings.yaml").write_text(
        f"gsv_root: '{pkg.root}'\npython: '{python}'\n", encoding="utf-8"
    )
    yield pkg, port
    for proc in _processes_under(pkg.root):  # never leave a server behind a failed test
        try:
            proc.kill()
        except psutil.Error:
            pass


@pytest.mark.parametrize("character", HOSTILE_FOLDERS, indirect=True)
def test_double_clicked_bat_starts_and_a_stop_elsewhere_closes_it_without_a_pause(character, tmp_path):
    if shutil.which("sovits-launch") is None:
        pytest.fail("sovits-launch is not on PATH: install the project (pip install .) before the Windows tests")
    pkg, port = character
    made = _launcher("bat", "纳西妲", "--via", "path")
    assert made.returncode == 0, made.stderr.decode("utf-8", "replace")
    bat = pkg.root / "纳西妲.bat"
    assert bat.is_file()

    log = tmp_path / "window.txt"
    with open(log, "wb") as window:
        # Explorer's double-click: cmd /c with the whole quoted path quoted once more.
        clicked = subprocess.Popen(
            f'cmd /c ""{bat}" "',
            cwd=str(tmp_path),
            stdin=subprocess.DEVNULL,  # a `pause` would return at once: its prompt is what we look for
            stdout=window,
            stderr=subprocess.STDOUT,
            creationflags=NEW_GROUP,
        )
        try:
            wait_for(lambda: _answers(port) or clicked.poll() is not None, 90, what="the stand-in to answer")
            assert clicked.poll() is None, log.read_bytes().decode("utf-8", "replace")
            stopped = _launcher("stop", "纳西妲")
            assert stopped.returncode == 0, stopped.stderr.decode("utf-8", "replace")
            rc = clicked.wait(timeout=60)
        finally:
            if clicked.poll() is None:
                clicked.kill()
    text = log.read_bytes().decode("utf-8", "replace") + log.read_bytes().decode("mbcs", "replace")
    assert rc == 0, text
    assert "stopped with an error" not in text
    wait_for(lambda: _port_free(port), 20, what="the port to be free")
    assert _processes_under(pkg.root) == []


def test_ctrl_break_ends_a_foreground_start_and_frees_the_port(character, tmp_path):
    pkg, port = character
    out = tmp_path / "out.txt"
    with open(out, "wb") as sink:
        start = subprocess.Popen(
            [sys.executable, "-m", "launcher", "纳西妲"],
            cwd=str(REPO),
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            creationflags=NEW_GROUP,  # CTRL_BREAK reaches only a process group of its own
        )
        try:
            wait_for(lambda: _answers(port) or start.poll() is not None, 90, what="the stand-in to answer")
            assert start.poll() is None, out.read_bytes().decode("utf-8", "replace")
            servers = _processes_under(pkg.root)
            assert servers
            start.send_signal(signal.CTRL_BREAK_EVENT)
            rc = start.wait(timeout=60)
        finally:
            if start.poll() is None:
                start.kill()
    assert rc != 0  # interrupted, not a success
    wait_for(lambda: _port_free(port), 20, what="the port to be free")
    assert not [p for p in servers if p.is_running()]


def test_stop_ends_the_whole_tree_behind_a_redirecting_python(character, tmp_path, isolated_home):
    pkg, port = character
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    redirector = venv / "Scripts" / "python.exe"
    (isolated_home / "settings.yaml").write_text(
        f"gsv_root: '{pkg.root}'\npython: '{redirector}'\n", encoding="utf-8"
    )
    # api.py: the stand-in of api_v2.py reads its yaml with PyYAML, which this bare venv lacks.
    started = _launcher("纳西妲", "--v1", "--detach")
    assert started.returncode == 0, started.stdout.decode("utf-8", "replace") + started.stderr.decode("utf-8", "replace")
    tree = _processes_under(pkg.root)
    assert tree
    stopped = _launcher("stop", "纳西妲")
    assert stopped.returncode == 0, stopped.stderr.decode("utf-8", "replace")
    wait_for(lambda: not [p for p in tree if p.is_running()], 20, what="every process of the tree to end")
    wait_for(lambda: _port_free(port), 20, what="the port to be free")
