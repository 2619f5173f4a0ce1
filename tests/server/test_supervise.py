"""Restart on crash, against real stand-in servers killed with SIGKILL.

Foreground (`start --restart-on-crash`: the launcher is the supervisor) and detached
(`start --detach --restart-on-crash`: a `sovits-launch supervise` process adopts the
server). Servers are killed when ready, while loading a restart, and in the middle of
a request; the backoff is shortened through SOVITS_LAUNCH_RESTART_BACKOFF and the
give-up limit through SOVITS_LAUNCH_RESTART_LIMIT. `stop` (also during the backoff)
and upstream's /control?command=exit end supervision for good; /control?command=restart
is no crash. Every wait is a condition with a deadline.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from launcher.demo.fake_package import build_standin_package
from launcher.demo.run import first_free_port
from launcher.errors import EXIT_SERVER_FAILED
from launcher.gsv import client as gsv_api
from launcher.paths import layout
from launcher.server.registry import Registry, ServerRecord
from launcher.server.supervise import BACKOFF, MAX_CRASHES, WINDOW, Policy

from helpers import python_args, read_events, run_cli, standin_yaml, wait_for, write_profile

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def short(monkeypatch, tmp_path):
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.3")
    monkeypatch.setenv("STANDIN_FIRST_SYNTH_SECONDS", "0.05")
    monkeypatch.setenv("SOVITS_LAUNCH_RESTART_BACKOFF", "0.3,0.6")
    monkeypatch.setenv("SOVITS_LAUNCH_RESTART_LIMIT", "4/120")
    monkeypatch.setenv("STANDIN_REQUEST_LOG", str(tmp_path / "requests.jsonl"))
    return tmp_path / "requests.jsonl"


@pytest.fixture
def port():
    return first_free_port(21000 + os.getpid() % 20000)


@pytest.fixture
def nahida(tmp_path, port, isolated_home, short):
    pkg = build_standin_package(tmp_path / "GPT-SoVITS 整合包 & 测试")
    write_profile(isolated_home, "nahida", standin_yaml(pkg, port))
    return pkg


def _launcher(args, env=None):
    return subprocess.Popen([sys.executable, "-m", "launcher", *args], cwd=str(REPO), env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


class Output:
    def __init__(self, proc):
        self.text = ""
        self._proc = proc
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for raw in iter(self._proc.stdout.readline, b""):
            self.text += raw.decode("utf-8", "replace")

    def wait_for(self, needle, timeout=30.0):
        return wait_for(lambda: needle in self.text, timeout, what=f"{needle!r} in output:\n{self.text}")


def _record(port) -> ServerRecord | None:
    found = Registry(layout().registry_file).find(port=port)
    return found[0] if found else None


def _ready_after(port, old_pid, timeout=30.0) -> ServerRecord:
    """The record once a new process (not `old_pid`) serves the port, warmed up."""
    def check():
        rec = _record(port)
        return rec if rec and rec.pid != old_pid and rec.state == "ready" else None
    return wait_for(check, timeout, what=f"a restarted server on :{port}")


def _gone(pid) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _starts(requests_log) -> int:
    return sum(1 for e in read_events(requests_log) if e["event"] == "start")


@pytest.fixture
def cleanup(capsys):
    yield
    run_cli(capsys, "stop", "--all")


# --- policy ------------------------------------------------------------------------------------


def test_policy_defaults_and_environment(monkeypatch):
    monkeypatch.delenv("SOVITS_LAUNCH_RESTART_BACKOFF", raising=False)
    monkeypatch.delenv("SOVITS_LAUNCH_RESTART_LIMIT", raising=False)
    policy = Policy.from_env()
    assert (policy.backoff, policy.max_crashes, policy.window) == (BACKOFF, MAX_CRASHES, WINDOW)
    assert [policy.delay(n) for n in (1, 2, 3, 4, 9)] == [2.0, 5.0, 15.0, 30.0, 30.0]
    monkeypatch.setenv("SOVITS_LAUNCH_RESTART_BACKOFF", "0.1, 0.2")
    monkeypatch.setenv("SOVITS_LAUNCH_RESTART_LIMIT", "3/60")
    policy = Policy.from_env()
    assert (policy.backoff, policy.max_crashes, policy.window) == ((0.1, 0.2), 3, 60.0)
    monkeypatch.setenv("SOVITS_LAUNCH_RESTART_BACKOFF", "soon")
    monkeypatch.setenv("SOVITS_LAUNCH_RESTART_LIMIT", "x/y")
    assert Policy.from_env() == Policy()  # nonsense is ignored, not a crash of the supervisor


def test_a_stop_request_wins_over_a_restart(tmp_path):
    """The one-step check the supervisor's restart goes through (registry.replace)."""
    def rec(pid, supervisor=42):
        return ServerRecord(profile="nahida", api="v2", host="127.0.0.1", port=9999, pid=pid, create_time=float(pid),
                            log="", root="", supervisor_pid=supervisor)

    reg = Registry(tmp_path / "servers.json")
    reg.add(rec(1))
    reg.request_stop(rec(1), by=os.getpid())
    assert reg.replace(rec(2)) is False  # asked to stop: the restart is refused
    reg.remove(1)
    assert reg.replace(rec(2)) is False  # removed by `stop`: refused too
    reg.add(rec(3))
    assert reg.replace(rec(4, supervisor=43)) is False  # someone else's supervision
    assert reg.replace(rec(4)) is True
    raw = json.loads((tmp_path / "servers.json").read_text(encoding="utf-8"))["servers"]
    assert [r["pid"] for r in raw] == [4]


# --- foreground ----------------------------------------------------------------------------------


def test_foreground_restarts_after_kill_then_stop_is_not_undone(nahida, port, short, capsys):
    launcher = _launcher(["nahida", "--restart-on-crash", *python_args(nahida)])
    out = Output(launcher)
    try:
        out.wait_for("可以用了")
        first = _record(port)
        assert first.restart_on_crash and first.supervisor_pid == launcher.pid and first.restarts == 0
        os.kill(first.pid, signal.SIGKILL)  # ready, idle
        second = _ready_after(port, first.pid)
        assert second.restarts == 1 and second.supervisor_pid == launcher.pid
        assert second.last_crash["key"] == "failure.exit_signal" and second.last_crash["code"] == -9
        assert gsv_api.probe_ready("127.0.0.1", port)
        out.wait_for("服务器崩溃了")
        out.wait_for("已重新启动并预热好")
        code, text, _ = run_cli(capsys, "status")
        assert "已重启 1 次" in text and "信号 9" in text
        # `stop` from another window: the foreground supervisor ends, truthfully, and restarts nothing.
        code, text, err = run_cli(capsys, "stop", "nahida")
        assert code == 0, err
        assert launcher.wait(timeout=20) == 0
        assert "已按请求停止" in out.text  # said truthfully: a stop, not a crash
        time.sleep(1.0)  # longer than the backoff: a restart would have begun
        assert _record(port) is None and not gsv_api.port_accepts("127.0.0.1", port)
        assert _starts(short) == 2
    finally:
        if launcher.poll() is None:
            launcher.kill()


def test_foreground_ctrl_c_during_the_backoff_stops_everything(nahida, port, monkeypatch, capsys):
    monkeypatch.setenv("SOVITS_LAUNCH_RESTART_BACKOFF", "30")
    launcher = _launcher(["nahida", "--restart-on-crash", *python_args(nahida)])
    out = Output(launcher)
    out.wait_for("可以用了")
    os.kill(_record(port).pid, signal.SIGKILL)
    out.wait_for("30 秒后第 1 次重启")
    assert _record(port).state == "restarting"  # kept while the supervisor lives: `stop` finds it
    code, text, _ = run_cli(capsys, "status")
    assert "崩溃后重启中" in text and "信号 9" in text
    assert _record(port).state == "restarting"  # `status` did not rewrite it as "loading"
    launcher.send_signal(signal.SIGINT)
    assert launcher.wait(timeout=20) == 130
    assert _record(port) is None


# --- detached --------------------------------------------------------------------------------------


def test_detached_kill_ready_mid_request_loading_then_give_up(nahida, port, short, monkeypatch, capsys, cleanup):
    # Slow enough to kill a restart while it loads and a request while it is served;
    # the detached supervisor and its servers inherit this environment.
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "1.0")
    monkeypatch.setenv("STANDIN_SYNTH_SECONDS", "0.8")
    code, text, err = run_cli(capsys, "nahida", "--detach", "--restart-on-crash", *python_args(nahida))
    assert code == 0, err
    assert "可以用了" in text and "后台看护进程" in text
    first = _record(port)
    supervisor = first.supervisor_pid
    assert supervisor and not _gone(supervisor) and first.detached and first.state == "ready"
    # 1. ready and idle
    os.kill(first.pid, signal.SIGKILL)
    second = _ready_after(port, first.pid)
    assert second.restarts == 1 and second.supervisor_pid == supervisor
    # 2. in the middle of a request
    requests = lambda: sum(1 for e in read_events(short) if e["event"] == "request")  # noqa: E731
    before = requests()
    talker = _launcher(["say", "nahida", "你好。", "-o", str(Path(nahida.root) / "said.wav")])
    wait_for(lambda: requests() > before, what="the request under way")
    os.kill(second.pid, signal.SIGKILL)
    assert talker.wait(timeout=30) != 0  # the request died with its server
    third = _ready_after(port, second.pid)
    assert third.restarts == 2
    # 3. idle again, then its restart while it loads
    os.kill(third.pid, signal.SIGKILL)
    loading = wait_for(lambda: (r := _record(port)) and r.pid != third.pid and r.state == "loading" and r,
                       what="a restart loading")
    os.kill(loading.pid, signal.SIGKILL)
    # 4 crashes within the limit (4 in 120 s): it gives up, says why, and the record goes.
    wait_for(lambda: _gone(supervisor), timeout=30, what="the supervisor gave up")
    assert _record(port) is None and not gsv_api.port_accepts("127.0.0.1", port)
    log = (layout().logs / f"supervise-{port}.log").read_text(encoding="utf-8")
    assert "不再自动重启" in log and "崩溃了 4 次" in log
    assert log.count("exit code") == 4  # a header, then the last log lines, for each crash
    assert log.count("秒后第") == 3  # backoff announced before each of the three restarts
    code, text, err = run_cli(capsys, "status")
    assert "已放弃自动重启" in err and "4 次崩溃" in err


def test_detached_stop_ends_supervisor_and_server(nahida, port, capsys, cleanup):
    assert run_cli(capsys, "nahida", "--detach", "--restart-on-crash", *python_args(nahida))[0] == 0
    rec = _record(port)
    code, text, err = run_cli(capsys, "stop", "nahida")
    assert code == 0, err
    assert "端口" in text and "已释放" in text
    wait_for(lambda: _gone(rec.supervisor_pid), what="supervisor gone")
    assert _gone(rec.pid)
    time.sleep(1.0)  # past the backoff: nothing comes back
    assert _record(port) is None and not gsv_api.port_accepts("127.0.0.1", port)


def test_detached_stop_during_the_backoff_is_not_undone(nahida, port, short, monkeypatch, capsys, cleanup):
    monkeypatch.setenv("SOVITS_LAUNCH_RESTART_BACKOFF", "2")
    assert run_cli(capsys, "nahida", "--detach", "--restart-on-crash", *python_args(nahida))[0] == 0
    rec = _record(port)
    os.kill(rec.pid, signal.SIGKILL)
    wait_for(lambda: (r := _record(port)) and r.state == "restarting", what="restarting")
    code, text, err = run_cli(capsys, "stop", "nahida")
    assert code == 0, err
    wait_for(lambda: _gone(rec.supervisor_pid), what="supervisor gone")
    time.sleep(2.5)  # the backoff has passed
    assert _record(port) is None and not gsv_api.port_accepts("127.0.0.1", port)
    assert _starts(short) == 1


def test_control_exit_and_restart_are_not_crashes(nahida, port, short, capsys, cleanup):
    assert run_cli(capsys, "nahida", "--detach", "--restart-on-crash", *python_args(nahida))[0] == 0
    rec = _record(port)
    # /control?command=restart: upstream re-executes itself (same PID on POSIX); not a crash.
    try:
        gsv_api.request("GET", gsv_api.base_url("127.0.0.1", port) + "/control?command=restart", timeout=5)
    except OSError:
        pass  # the connection drops: no answer, as upstream
    wait_for(lambda: len([e for e in read_events(short) if e["event"] == "listening"]) == 2, what="re-executed")
    wait_for(lambda: gsv_api.probe_ready("127.0.0.1", port), what="back")
    assert _record(port).restarts == 0 and _record(port).last_crash is None
    # /control?command=exit: upstream asked to end; never started again.
    try:
        gsv_api.request("GET", gsv_api.base_url("127.0.0.1", port) + "/control?command=exit", timeout=5)
    except OSError:
        pass
    wait_for(lambda: _gone(rec.supervisor_pid), what="supervisor ended")
    time.sleep(1.0)
    assert _record(port) is None and not gsv_api.port_accepts("127.0.0.1", port)
    assert _starts(short) == 2  # the first start and upstream's own re-exec: no restart by us
    log = (layout().logs / f"supervise-{port}.log").read_text(encoding="utf-8")
    assert "已按要求停止" in log and "服务器崩溃了" not in log


def test_a_first_start_killed_while_loading_is_reported_not_retried(nahida, port, short, monkeypatch):
    """Restart on crash keeps a server that ran; a start that never came up is a failed start,
    said at once with its log lines (a profile that cannot load would loop otherwise)."""
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "3")
    launcher = _launcher(["nahida", "--restart-on-crash", *python_args(nahida)])
    out = Output(launcher)
    out.wait_for("Loading")
    os.kill(_record(port).pid, signal.SIGKILL)
    assert launcher.wait(timeout=20) == EXIT_SERVER_FAILED
    out.wait_for("信号 9")
    time.sleep(0.8)  # past the backoff
    assert _record(port) is None and _starts(short) == 1
