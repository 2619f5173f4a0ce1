"""What happened to a server is told as it happened.

- a foreground start whose server `sovits-launch stop` ends from another window exits 0
  and says it was stopped on request (not "killed by signal 15"), loaded or still
  loading; the generated .bat pauses only on a non-zero code
  (test_bat_wine.py::test_failure_pauses_with_a_message), so it does not pause here;
- Ctrl+C says what was stopped and that the port is free, exit 130;
- after upstream's /control?command=restart the server is "loading" until it answers
  again, and a switch asked for meanwhile waits for it;
- a server that dies in the middle of a switch is reported as such, with its log's
  last lines, never as an unexpected error.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import psutil
import pytest

from launcher.demo.fake_package import build_standin_package, free_port
from launcher.errors import EXIT_INTERRUPTED, EXIT_SERVER_FAILED
from launcher.gsv import client as gsv_api
from launcher.paths import layout
from launcher.server.registry import Registry

from helpers import nahida_yaml, python_args, read_events, run_cli, wait_for, write_profile
from helpers.live import requests_log  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name == "nt", reason="POSIX signals")]
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def two(tmp_path, isolated_home, monkeypatch):
    """nahida and keqing on one port and one package (a swap can go from one to the other)."""
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.3")
    nahida = build_standin_package(tmp_path / "GPT-SoVITS 整合包")
    keqing = build_standin_package(tmp_path / "刻晴", character="刻晴")
    port = free_port()
    for name, display, who in (("nahida", "纳西妲", nahida), ("keqing", "刻晴", keqing)):
        write_profile(isolated_home, name, nahida_yaml(
            nahida.root, name=name, display_name=display, gpt=str(who.gpt), sovits=str(who.sovits),
            ref_audio=str(nahida.ref_audio), prompt_text=nahida.prompt_text, port=port, device="cpu"))
    yield nahida, keqing, port
    from launcher.cli import run

    run(["stop", "--all"])


class Launcher:
    """`python -m launcher ...` in the background, its merged output collected."""

    def __init__(self, *args, env=None):
        self.proc = subprocess.Popen([sys.executable, "-m", "launcher", *args], cwd=str(REPO),
                                     env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.text = ""
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    def _pump(self):
        for raw in iter(self.proc.stdout.readline, b""):
            self.text += raw.decode("utf-8", "replace")

    def wait_for(self, needle, timeout=20.0):
        wait_for(lambda: needle in self.text or self.proc.poll() is not None, timeout, what=f"{needle!r}")
        assert needle in self.text, self.text

    def wait(self, timeout=30.0) -> int:
        code = self.proc.wait(timeout=timeout)
        self._thread.join(timeout=5)
        return code

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


@pytest.fixture
def launchers():
    started: list[Launcher] = []
    yield lambda *a, **k: started.append(Launcher(*a, **k)) or started[-1]
    for launcher in started:
        launcher.kill()


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


# --- a requested stop is not a crash ---------------------------------------------------------------


def test_stop_from_another_window_ends_a_foreground_start_with_exit_0(two, launchers, capsys):
    nahida, _, port = two
    window = launchers("nahida", *python_args(nahida))
    window.wait_for("已就绪")
    pid = Registry(layout().registry_file).find(port=port)[0].pid
    code, out, err = run_cli(capsys, "stop", "nahida")
    assert code == 0 and "已释放" in out, err
    assert window.wait() == 0, window.text  # the .bat pauses only on a non-zero code
    assert "已按请求停止" in window.text and f"PID {os.getpid()}" in window.text
    assert "信号" not in window.text and "内存" not in window.text and "退出码" not in window.text
    assert _gone(pid) and Registry(layout().registry_file).servers() == []


def test_stop_from_another_window_while_it_loads_exits_0(two, launchers, capsys, monkeypatch):
    nahida, _, port = two
    window = launchers("nahida", *python_args(nahida), env={"STANDIN_LOAD_SECONDS": "30"})
    window.wait_for("Loading")
    assert run_cli(capsys, "stop", "nahida")[0] == 0
    assert window.wait() == 0, window.text
    assert "在加载时已按请求停止" in window.text and "信号 15" not in window.text


def test_stop_on_request_in_english(two, launchers, capsys):
    nahida, _, port = two
    window = launchers("--lang", "en", "nahida", *python_args(nahida))
    window.wait_for("Press Ctrl+C or close this window")
    assert run_cli(capsys, "stop", "nahida")[0] == 0
    assert window.wait() == 0, window.text
    assert "stopped on request" in window.text and "This is not a failure" in window.text


# --- Ctrl+C says what it stopped -------------------------------------------------------------------


@pytest.mark.parametrize("when", ["ready", "loading"])
def test_ctrl_c_says_what_was_stopped_and_that_the_port_is_free(two, launchers, when):
    nahida, _, port = two
    env = {"STANDIN_LOAD_SECONDS": "30"} if when == "loading" else {}
    window = launchers("nahida", *python_args(nahida), env=env)
    window.wait_for("已就绪" if when == "ready" else "Loading")
    pid = Registry(layout().registry_file).find(port=port)[0].pid
    window.proc.send_signal(signal.SIGINT)
    assert window.wait() == EXIT_INTERRUPTED, window.text
    assert f"已停止 纳西妲 (nahida)（PID {pid}" in window.text and f"端口 {port} 已释放" in window.text
    assert _gone(pid) and not gsv_api.port_accepts("127.0.0.1", port)


# --- upstream's restart ----------------------------------------------------------------------------


def _restart(port):
    try:
        gsv_api.request("GET", gsv_api.base_url("127.0.0.1", port) + "/control", params={"command": "restart"}, timeout=5)
    except OSError:
        pass  # os.execl drops the connection


def _states(capsys):
    return [r["state"] for r in json.loads(run_cli(capsys, "status", "--json")[1])["data"]]


def test_a_restarting_server_is_loading_until_it_answers_again(two, capsys, monkeypatch):
    nahida, _, port = two
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "1.5")  # the restarted process loads this long too
    assert run_cli(capsys, "nahida", "--detach", *python_args(nahida))[0] == 0
    assert _states(capsys) == ["ready"]
    _restart(port)
    wait_for(lambda: _states(capsys) == ["loading"], what="shown as loading while it reloads")
    assert not gsv_api.port_accepts("127.0.0.1", port)
    wait_for(lambda: _states(capsys) == ["ready"], what="ready again")
    assert gsv_api.probe_ready("127.0.0.1", port)


def test_a_switch_asked_for_during_a_restart_waits_for_it(two, capsys, monkeypatch, requests_log):
    nahida, keqing, port = two
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "1.5")
    assert run_cli(capsys, "nahida", "--detach", *python_args(nahida))[0] == 0
    pid = Registry(layout().registry_file).find(port=port)[0].pid
    _restart(port)
    wait_for(lambda: not gsv_api.port_accepts("127.0.0.1", port), what="reloading")
    code, out, err = run_cli(capsys, "keqing", *python_args(nahida))
    assert code == 0, err
    assert "还在加载" in out and "已切换为 刻晴" in out
    rec = Registry(layout().registry_file).find(port=port)[0]
    assert (rec.pid, rec.profile, rec.sovits) == (pid, "keqing", str(keqing.sovits))
    events = read_events(requests_log)
    listening = max(i for i, e in enumerate(events) if e.get("event") == "listening")
    assert any(e.get("event") == "load_gpt" and e.get("path") == str(keqing.gpt) for e in events[listening:])


def test_a_switch_to_a_restart_that_does_not_finish_in_time_says_why(two, capsys, monkeypatch):
    nahida, _, port = two
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "3")  # the reload after the restart takes as long
    assert run_cli(capsys, "nahida", "--detach", *python_args(nahida))[0] == 0
    _restart(port)
    wait_for(lambda: not gsv_api.port_accepts("127.0.0.1", port), what="reloading")
    code, _, err = run_cli(capsys, "keqing", "--timeout", "0.5", *python_args(nahida))
    assert code == 6 and "没有就绪，没有切换" in err


def test_a_switch_while_another_start_still_loads_says_why(two, capsys, monkeypatch):
    """Not a reload: another window's start is still in progress. The port is ours, said so (exit 4)."""
    nahida, _, port = two
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "30")
    launcher = subprocess.Popen([sys.executable, "-m", "launcher", "nahida", "--detach", "--timeout", "60",
                                 *python_args(nahida)], cwd=str(REPO), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: Registry(layout().registry_file).find(port=port), what="recorded, loading")
        code, _, err = run_cli(capsys, "keqing", *python_args(nahida))
        assert code == 4 and "sovits-launch 启动的服务器" in err
    finally:
        launcher.send_signal(signal.SIGINT)
        launcher.wait(timeout=20)


# --- a server that dies during a switch --------------------------------------------------------------


def test_a_server_that_dies_during_a_switch_is_reported_with_its_log(two, capsys, monkeypatch, launchers):
    nahida, keqing, port = two
    monkeypatch.setenv("STANDIN_SWAP_SECONDS", "10")
    assert run_cli(capsys, "nahida", "--detach", *python_args(nahida))[0] == 0
    rec = Registry(layout().registry_file).find(port=port)[0]
    window = launchers("keqing", *python_args(nahida))
    log = Path(rec.log)
    wait_for(lambda: f"Loading Text2Semantic weights from {keqing.gpt}" in log.read_text(encoding="utf-8"),
             what="the swap under way")
    os.kill(rec.pid, signal.SIGKILL)
    assert window.wait() == EXIT_SERVER_FAILED, window.text
    assert "切换角色时退出了" in window.text and str(log) in window.text
    assert f"Loading Text2Semantic weights from {keqing.gpt}" in window.text  # the log's last lines
    assert "意外错误" not in window.text and "Traceback" not in window.text
    assert Registry(layout().registry_file).servers() == []


# --- a stop in progress ----------------------------------------------------------------------------


def test_a_server_being_stopped_is_shown_so_and_not_switched(two, capsys):
    nahida, _, port = two
    assert run_cli(capsys, "nahida", "--detach", *python_args(nahida))[0] == 0
    registry = Registry(layout().registry_file)
    rec = registry.find(port=port)[0]
    registry.request_stop(rec, by=os.getpid())  # a `stop` under way (this process stands for it)
    assert _states(capsys) == ["stopping"]
    code, _, err = run_cli(capsys, "keqing", *python_args(nahida))
    assert code == 4 and "正在被停止" in err
    # The stop was killed half-way: the server still runs, and is shown as it is.
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    registry.request_stop(rec, by=gone.pid)
    assert _states(capsys) == ["ready"]
