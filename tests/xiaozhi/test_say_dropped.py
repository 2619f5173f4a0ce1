"""A connection dropped during `say` means "the server failed on this request, see its log",
with the log's last lines; never "no server is running"."""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time

import pytest

from launcher.demo.fake_package import build_standin_package, free_port
from launcher.errors import EXIT_NOT_RUNNING, EXIT_SERVER_FAILED
from launcher.gsv import client as gsv_api

from helpers import make_package, nahida_yaml, read_events, run_cli, standin_yaml, wait_for, write_profile

LOG_LINES = ["INFO:     127.0.0.1:50000 - \"POST /tts HTTP/1.1\" 200 OK",
             "Traceback (most recent call last):",
             "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB"]


class DroppingServer:
    """Takes each connection, reads the request, closes without a byte of answer;
    `stop_listening` makes it go away as a crashed server does."""

    def __init__(self, *, answer_after: float | None = None):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.answer_after = answer_after  # None: close at once; else stay silent this long
        self.die_after_request = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                if self.answer_after:
                    time.sleep(self.answer_after)
            if self.die_after_request:
                self.sock.close()
                return

    def close(self):
        self.sock.close()


@pytest.fixture
def world(tmp_path, isolated_home):
    from launcher.paths import Settings, layout, save_settings
    from launcher.server.plan import log_path

    server = DroppingServer()
    pkg = make_package(tmp_path / "pkg")
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root, port=server.port))
    save_settings(Settings(gsv_root=str(pkg.root)))
    log = log_path(layout(), server.port)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("\n".join(LOG_LINES) + "\n", encoding="utf-8")
    yield server, tmp_path
    server.close()


def test_dropped_while_the_server_keeps_running(world, capsys):
    server, tmp = world
    code, _, err = run_cli(capsys, "say", "nahida", "你好", "-o", str(tmp / "x.wav"))
    assert code == EXIT_SERVER_FAILED
    assert "这次请求" in err and "没有在运行" not in err
    assert "CUDA out of memory" in err  # the log's last lines
    assert not (tmp / "x.wav").exists()


def test_dropped_by_a_server_that_then_ended(world, capsys):
    server, tmp = world
    server.die_after_request = True
    code, _, err = run_cli(capsys, "--lang", "en", "say", "nahida", "hello", "-o", str(tmp / "x.wav"))
    assert code == EXIT_SERVER_FAILED
    assert "stopped while handling this request" in err and "CUDA out of memory" in err


def test_silent_server_times_out_as_its_own_failure(world, capsys, monkeypatch):
    from launcher.xiaozhi import integrate

    server, tmp = world
    server.answer_after = 3
    monkeypatch.setattr(integrate, "SAY_TIMEOUT", 0.5)
    code, _, err = run_cli(capsys, "say", "nahida", "你好", "-o", str(tmp / "x.wav"))
    assert code == EXIT_SERVER_FAILED
    assert "没有回答这次请求" in err and "0.5" in err


def test_refused_is_still_not_running(tmp_path, isolated_home, capsys):
    from launcher.paths import Settings, save_settings

    pkg = make_package(tmp_path / "pkg")
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root, port=free_port()))
    save_settings(Settings(gsv_root=str(pkg.root)))
    code, _, err = run_cli(capsys, "say", "nahida", "你好", "-o", str(tmp_path / "x.wav"))
    assert code == EXIT_NOT_RUNNING and "没有" in err


def test_client_tells_refused_from_dropped():
    port = free_port()
    with pytest.raises(OSError) as e:
        gsv_api.request("GET", f"http://127.0.0.1:{port}/", timeout=2)
    assert not isinstance(e.value, gsv_api.Dropped)
    server = DroppingServer()
    try:
        with pytest.raises(gsv_api.Dropped) as e:
            gsv_api.request("GET", f"http://127.0.0.1:{server.port}/", timeout=2)
        assert not e.value.timed_out
    finally:
        server.close()


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
def test_real_server_killed_during_the_request(tmp_path, isolated_home, monkeypatch, capsys):
    """The stand-in api_v2.py is killed while it synthesizes: the request was taken, the
    answer never comes; `say` says the server stopped on this request and shows its log."""
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.3")
    monkeypatch.setenv("STANDIN_SYNTH_SECONDS", "30")
    events = tmp_path / "requests.jsonl"
    monkeypatch.setenv("STANDIN_REQUEST_LOG", str(events))
    pkg = build_standin_package(tmp_path / "GPT-SoVITS 整合包")
    port = free_port()
    write_profile(isolated_home, "nahida", standin_yaml(pkg, port))
    python = [] if pkg.python else ["--python", sys.executable]
    # --no-warmup: the say below must be the first /tts this server gets (the one killed).
    assert run_cli(capsys, "nahida", "--detach", "--no-xiaozhi", "--no-warmup", *python)[0] == 0
    from launcher.paths import layout
    from launcher.server.registry import Registry

    pid = Registry(layout().registry_file).find(profile="nahida")[0].pid

    def kill_when_asked():
        wait_for(lambda: any(e.get("path") == "/tts" for e in read_events(events)), timeout=30)
        os.kill(pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_when_asked, daemon=True)
    killer.start()
    try:
        code, _, err = run_cli(capsys, "say", "nahida", "你好", "-o", str(tmp_path / "x.wav"))
    finally:
        killer.join(timeout=40)
        run_cli(capsys, "stop", "--all")
    assert code == EXIT_SERVER_FAILED, err
    assert "停止了运行" in err and "没有在运行" not in err
    assert "Uvicorn running" in err or "127.0.0.1" in err  # its log's last lines
    assert not (tmp_path / "x.wav").exists()
