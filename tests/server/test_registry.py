"""Running-server records reconciled with the real processes."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import psutil
import pytest

from launcher.errors import LauncherError
from launcher.server.registry import Registry, ServerRecord, locked, upstream_api

from helpers import wait_for
from helpers.live import sleeper  # noqa: F401  (a fixture)


def _record(pid: int, create_time: float, port: int = 9880, profile: str = "nahida") -> ServerRecord:
    return ServerRecord(profile=profile, api="v2", host="127.0.0.1", port=port, pid=pid, create_time=create_time, log="x.log", root="/r")


def test_live_record_is_kept(tmp_path, sleeper):
    reg = Registry(tmp_path / "servers.json")
    reg.add(_record(sleeper.pid, psutil.Process(sleeper.pid).create_time()))
    assert [r.pid for r in reg.servers()] == [sleeper.pid]
    assert reg.find(profile="nahida")[0].pid == sleeper.pid
    assert reg.find(port=9999) == []


def test_dead_pid_is_pruned(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    created = psutil.Process(proc.pid).create_time()
    proc.wait()
    reg = Registry(tmp_path / "servers.json")
    reg.add(_record(proc.pid, created))
    assert reg.servers() == []
    assert '"servers": []' in (tmp_path / "servers.json").read_text()


def test_reused_pid_is_pruned_and_never_touched(tmp_path, sleeper):
    """A record whose PID now belongs to another process (start time differs)."""
    reg = Registry(tmp_path / "servers.json")
    real = psutil.Process(sleeper.pid).create_time()
    reg.add(_record(sleeper.pid, real - 3600))
    assert reg.servers() == []
    assert sleeper.poll() is None  # still alive: pruning never kills


def test_corrupt_registry_reads_as_empty(tmp_path):
    path = tmp_path / "servers.json"
    path.write_text("{not json", encoding="utf-8")
    assert Registry(path).servers() == []


def test_lock_serialises_writers(tmp_path):
    path = tmp_path / "servers.json"
    order = []

    def hold():
        with locked(path):
            order.append("a-in")
            time.sleep(0.3)
            order.append("a-out")

    t = threading.Thread(target=hold)
    t.start()
    while not order:
        time.sleep(0.01)
    with locked(path):
        order.append("b-in")
    t.join()
    assert order == ["a-in", "a-out", "b-in"]


def test_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    """An older launcher wrote its PID into the lock file; the file alone holds nothing."""
    path = tmp_path / "servers.json"
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    (tmp_path / "servers.json.lock").write_text(str(proc.pid))
    with locked(path, timeout=1):
        pass


# A launcher in another process: takes the lock, says so with a marker file, and
# holds it until its stdin closes (or it is killed).
HOLDER = """
import sys
from pathlib import Path
from launcher.server.registry import locked
with locked(Path(sys.argv[1])):
    Path(sys.argv[2]).write_text("held")
    sys.stdin.read()
"""


@pytest.fixture
def holder(tmp_path):
    procs: list[subprocess.Popen] = []

    def start(path):
        marker = tmp_path / f"held-{len(procs)}"
        proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(marker)], stdin=subprocess.PIPE)
        procs.append(proc)
        wait_for(lambda: marker.exists() or proc.poll() is not None, timeout=20, what="the holder to take the lock")
        assert proc.poll() is None, "the holder could not take the lock"
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def _refused(path, timeout=0.3) -> bool:
    try:
        with locked(path, timeout=timeout):
            return False
    except LauncherError as exc:
        assert exc.key == "registry.locked"
        assert exc.params["path"] == str(path) + ".lock"
        return True


def test_lock_is_exclusive_across_processes(tmp_path, holder):
    path = tmp_path / "servers.json"
    proc = holder(path)
    assert _refused(path)
    proc.stdin.close()  # the holder leaves its `with` block and exits
    assert proc.wait(timeout=20) == 0
    with locked(path, timeout=1):
        pass


def test_lock_of_a_killed_holder_is_released_at_once(tmp_path, holder):
    """kill -9: the holder runs no cleanup, its lock file stays; the OS lock still ends with it."""
    path = tmp_path / "servers.json"
    proc = holder(path)
    assert _refused(path)
    proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
    proc.wait()
    assert (tmp_path / "servers.json.lock").exists()
    started = time.monotonic()
    with locked(path, timeout=2):
        waited = time.monotonic() - started
    assert waited < 2


@pytest.mark.parametrize(
    "cmdline, api",
    [
        (["python.exe", "api_v2.py", "-a", "127.0.0.1", "-p", "9880"], "v2"),
        (["runtime/python", "/gsv/api.py", "-p", "9880"], "v1"),
        (["python", "myapi.py", "-p", "9880"], None),  # not upstream's script, only a name ending like it
        (["python", "-m", "http.server", "9880"], None),
        ([], None),
    ],
)
def test_upstream_api_is_read_from_the_script_name(cmdline, api):
    assert upstream_api(cmdline) == api
