"""Running-server records reconciled with the real processes."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import psutil
import pytest

from launcher.server.registry import Registry, ServerRecord, locked


def _record(pid: int, create_time: float, port: int = 9880, profile: str = "nahida") -> ServerRecord:
    return ServerRecord(profile=profile, api="v2", host="127.0.0.1", port=port, pid=pid, create_time=create_time, log="x.log", root="/r")


@pytest.fixture
def sleeper():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc
    proc.kill()
    proc.wait()


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
    path = tmp_path / "servers.json"
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    (tmp_path / "servers.json.lock").write_text(str(proc.pid))
    with locked(path, timeout=1):
        pass
