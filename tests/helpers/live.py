"""Fixtures for tests that start the stand-in server for real (imported by name, as pytest
fixtures are: `from helpers.live import load_seconds, nahida, pkg, port  # noqa: F401`).

`pkg` loads for `load_seconds` (0.5 s), which the module must import too; a module that
needs another load time defines its own `load_seconds` fixture instead.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import standin_yaml, write_profile
from launcher.demo.fake_package import build_standin_package, free_port


@pytest.fixture
def load_seconds(monkeypatch):
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.5")
    return 0.5


@pytest.fixture
def pkg(tmp_path, load_seconds):
    """The stand-in package, in a folder named as users name theirs (spaces, Chinese, `& ( ) !`)."""
    return build_standin_package(tmp_path / "GPT-SoVITS 整合包 (v2) & 测试!")


@pytest.fixture
def port():
    return free_port()


@pytest.fixture
def nahida(pkg, port, isolated_home):
    """The stand-in's character as profile `nahida` on `port`; returns the package."""
    write_profile(isolated_home, "nahida", standin_yaml(pkg, port))
    return pkg


@pytest.fixture
def requests_log(tmp_path, monkeypatch):
    """Where the stand-in records each request and event (read with helpers.read_events)."""
    path = tmp_path / "requests.jsonl"
    monkeypatch.setenv("STANDIN_REQUEST_LOG", str(path))
    return path


@pytest.fixture
def started():
    """Processes a test starts by hand; killed at the end whatever happens."""
    procs: list[subprocess.Popen] = []
    yield procs
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait()


@pytest.fixture
def sleeper():
    """A live process that is no server: its PID and start time are real."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc
    proc.kill()
    proc.wait()
