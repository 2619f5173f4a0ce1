"""Start real stand-in servers (launcher/standin.py) and watch the launcher handle them.

Every wait is a condition with a deadline, never a fixed sleep.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from launcher.gsv import client as gsv_api
from launcher.demo.fake_package import build_standin_package
from launcher.errors import EXIT_PORT_BUSY, EXIT_SERVER_FAILED, EXIT_TIMEOUT, ReadyTimeout, ServerFailed
from launcher.paths import Settings, layout
from launcher.profiles.schema import parse_profile
from launcher.server.registry import Registry
from launcher.server.plan import plan_start
from launcher.server.process import run, spawn
from launcher.server.stopping import stop_server
from launcher.server.watch import wait_ready

from helpers import nahida_yaml, python_args, read_events, run_cli, standin_yaml, wait_for, write_profile
from helpers.live import load_seconds, nahida, pkg, port, requests_log  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def _plan(pkg, port, **overrides):
    api = overrides.pop("api", None)
    profile = parse_profile(standin_yaml(pkg, port, **overrides), Path("/p/nahida.yaml"))
    return plan_start(profile, layout=layout(), settings=Settings(), api=api, python=pkg.python or sys.executable)


def _launcher(args, env=None, **kw):
    return subprocess.Popen(
        [sys.executable, "-m", "launcher", *args],
        cwd=str(REPO),
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        **kw,
    )


class Output:
    """Reads a child's merged output in the background so the test can wait on text."""

    def __init__(self, proc):
        import threading

        self.text = ""
        self._proc = proc
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    def _pump(self):
        for raw in iter(self._proc.stdout.readline, b""):
            self.text += raw.decode("utf-8", "replace")

    def wait_for(self, needle, timeout=20.0):
        return wait_for(lambda: needle in self.text, timeout, what=f"{needle!r} in output:\n{self.text}")


# --- readiness --------------------------------------------------------------------


@pytest.mark.parametrize("api", ["v1", "v2"])
def test_ready_only_when_openapi_answers_then_detached_stop(pkg, port, api):
    plan = _plan(pkg, port, api=api)
    lines = []
    result = run(plan, layout=layout(), detach=True, on_line=lines.append)
    try:
        assert gsv_api.probe_ready("127.0.0.1", port)
        assert any("Uvicorn running on" in line for line in lines)
        assert result.ready_seconds >= 0.5  # the stand-in loads before it listens
        rec = Registry(layout().registry_file).find(port=port)[0]
        assert (rec.profile, rec.api, rec.state) == ("nahida", api, "ready")
        assert Path(rec.log).read_text(encoding="utf-8").count("Uvicorn running on") == 1
    finally:
        stop = stop_server(Registry(layout().registry_file).find(port=port)[0], Registry(layout().registry_file), process=result.server.process)
    assert stop.port_free and stop.graceful
    assert not psutil.pid_exists(result.server.record.pid) or psutil.Process(result.server.record.pid).status() == psutil.STATUS_ZOMBIE
    assert Registry(layout().registry_file).servers() == []


def test_v2_gets_its_own_yaml_and_the_users_is_untouched(pkg, port):
    user_yaml = pkg.root / "GPT_SoVITS" / "configs" / "tts_infer.yaml"
    before = user_yaml.read_bytes()
    plan = _plan(pkg, port, api="v2")
    result = run(plan, layout=layout(), detach=True)
    try:
        assert plan.infer_yaml.is_file()
        assert str(pkg.gpt) in plan.infer_yaml.read_text(encoding="utf-8") or "\\u" in plan.infer_yaml.read_text(encoding="utf-8")
        assert user_yaml.read_bytes() == before
    finally:
        stop_server(result.server.record, Registry(layout().registry_file), process=result.server.process)


def test_timeout_stops_the_server_and_cleans_the_registry(pkg, port, monkeypatch):
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "30")
    plan = _plan(pkg, port)
    with pytest.raises(ReadyTimeout) as e:
        run(plan, layout=layout(), timeout=0.8)
    assert e.value.key == "server.timeout"
    assert Registry(layout().registry_file).servers() == []
    assert not gsv_api.port_accepts("127.0.0.1", port)


def test_port_taken_after_load_is_recognised_from_the_output(pkg, port, monkeypatch):
    """Upstream loads everything, then uvicorn cannot bind: the wait ends on that line."""
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "1.0")
    plan = _plan(pkg, port)
    server = spawn(plan, layout=layout())
    holder = socket.socket()
    holder.bind(("127.0.0.1", port))
    holder.listen(1)
    try:
        with pytest.raises(ServerFailed) as e:
            wait_ready(server, timeout=20)
        assert e.value.key in ("failure.port_in_use", "failure.exit_bind")
        assert any("error while attempting to bind" in d for d in e.value.details)
    finally:
        holder.close()
        stop_server(server.record, Registry(layout().registry_file), process=server.process, graceful=False)


def test_killed_while_loading_gives_the_log_tail_and_a_clean_registry(pkg, port, monkeypatch):
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "30")
    plan = _plan(pkg, port)
    server = spawn(plan, layout=layout())
    wait_for(lambda: "Loading" in plan.log_path.read_text(encoding="utf-8", errors="replace"), what="loading lines")
    os.kill(server.record.pid, signal.SIGKILL)
    with pytest.raises(ServerFailed) as e:
        run_wait = wait_ready(server, timeout=20)  # noqa: F841
    assert e.value.key == "failure.exit_signal" and e.value.params["signal"] == 9
    assert e.value.details  # the log tail
    stop_server(server.record, Registry(layout().registry_file), process=server.process)
    assert Registry(layout().registry_file).servers() == []


# --- the CLI end to end ------------------------------------------------------------


def test_cli_detach_status_logs_stop(nahida, port, capsys):
    code, out, err = run_cli(capsys, "nahida", "--detach", *python_args(nahida))
    assert code == 0, err
    assert "已就绪" in out and f":{port}/tts" in out
    code, out, _ = run_cli(capsys, "status", "--json")
    rows = json.loads(out)["data"]
    assert [(r["profile"], r["port"], r["state"]) for r in rows] == [("nahida", port, "ready")]
    assert rows[0]["memory_mb"] > 0
    code, out, _ = run_cli(capsys, "logs", "nahida", "-n", "5")
    assert code == 0 and "Uvicorn running on" in out
    code, out, _ = run_cli(capsys, "stop", "nahida")
    assert code == 0 and "已释放" in out
    assert not gsv_api.port_accepts("127.0.0.1", port)
    assert json.loads(run_cli(capsys, "status", "--json")[1])["data"] == []


def test_cli_port_in_use_names_the_owner(nahida, port, capsys):
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import socket,time; s=socket.socket(); s.bind(('127.0.0.1',{port})); s.listen(); print('ok', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline().strip() == b"ok"
        code, _, err = run_cli(capsys, "nahida", *python_args(nahida))
        assert code == EXIT_PORT_BUSY
        assert f"端口 {port} 已被占用" in err and str(holder.pid) in err
    finally:
        holder.kill()
        holder.wait()


def test_cli_timeout_exit_code(nahida, capsys, monkeypatch):
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "30")
    code, _, err = run_cli(capsys, "nahida", "--timeout", "0.5", *python_args(nahida))
    assert code == EXIT_TIMEOUT and "没有就绪" in err


def test_foreground_ctrl_c_ends_the_whole_tree(nahida, port):
    launcher = _launcher(["nahida", *python_args(nahida)])
    out = Output(launcher)
    out.wait_for("已就绪")
    server_pid = Registry(layout().registry_file).find(port=port)[0].pid
    launcher.send_signal(signal.SIGINT)
    assert launcher.wait(timeout=20) != 0
    wait_for(lambda: not psutil.pid_exists(server_pid) or psutil.Process(server_pid).status() == psutil.STATUS_ZOMBIE, what="server gone")
    assert not gsv_api.port_accepts("127.0.0.1", port)
    assert Registry(layout().registry_file).servers() == []


def test_ctrl_c_during_the_wait_ends_the_tree(nahida, port, monkeypatch):
    launcher = _launcher(["nahida", *python_args(nahida)], env={"STANDIN_LOAD_SECONDS": "30"})
    out = Output(launcher)
    out.wait_for("Loading")
    server_pid = Registry(layout().registry_file).find(port=port)[0].pid
    launcher.send_signal(signal.SIGINT)
    assert launcher.wait(timeout=20) == 130
    wait_for(lambda: not psutil.pid_exists(server_pid) or psutil.Process(server_pid).status() == psutil.STATUS_ZOMBIE, what="server gone")
    assert Registry(layout().registry_file).servers() == []


def test_server_killed_after_ready_is_reported(nahida, port):
    launcher = _launcher(["nahida", *python_args(nahida)])
    out = Output(launcher)
    out.wait_for("已就绪")
    os.kill(Registry(layout().registry_file).find(port=port)[0].pid, signal.SIGKILL)
    assert launcher.wait(timeout=20) == EXIT_SERVER_FAILED
    out.wait_for("信号 9")
    assert Registry(layout().registry_file).servers() == []


def test_launcher_killed_mid_start_leaves_no_forgotten_server(nahida, port, capsys):
    launcher = _launcher(["nahida", *python_args(nahida)], env={"STANDIN_LOAD_SECONDS": "1.5"})
    out = Output(launcher)
    out.wait_for("Loading")
    launcher.kill()
    launcher.wait()
    rows = wait_for(lambda: json.loads(run_cli(capsys, "status", "--json")[1])["data"], what="status row")
    assert rows[0]["profile"] == "nahida"
    wait_for(lambda: gsv_api.probe_ready("127.0.0.1", port), what="orphan ready")
    code, out_text, _ = run_cli(capsys, "stop", "nahida")
    assert code == 0
    assert not gsv_api.port_accepts("127.0.0.1", port)


def test_two_starts_racing_for_one_port_one_wins(nahida, port, capsys):
    # The winner's server loads for 4 s: long enough that the loser, however late a loaded
    # machine starts it, still meets a server that is loading rather than one that is ready.
    first = _launcher(["nahida", "--detach", *python_args(nahida)], env={"STANDIN_LOAD_SECONDS": "4.0"})
    second = _launcher(["nahida", "--detach", *python_args(nahida)], env={"STANDIN_LOAD_SECONDS": "4.0"})
    codes = sorted([first.wait(timeout=40), second.wait(timeout=40)])
    outputs = first.stdout.read().decode() + second.stdout.read().decode()
    assert codes == [0, EXIT_PORT_BUSY], outputs
    assert "sovits-launch 启动的服务器" in outputs
    assert len(json.loads(run_cli(capsys, "status", "--json")[1])["data"]) == 1
    run_cli(capsys, "stop", "--all")


def test_switch_character_keeps_the_pid(nahida, port, isolated_home, requests_log, capsys):
    assert run_cli(capsys, "nahida", "--detach", *python_args(nahida))[0] == 0
    pid = Registry(layout().registry_file).find(port=port)[0].pid
    keqing = build_standin_package(isolated_home.parent / "unused")  # weights for a second character
    write_profile(
        isolated_home,
        "keqing",
        nahida_yaml(nahida.root, name="keqing", display_name="刻晴", gpt=str(keqing.gpt), sovits=str(keqing.sovits),
                    ref_audio=str(nahida.ref_audio), prompt_text=nahida.prompt_text, port=port, device="cpu"),
    )
    try:
        code, out, err = run_cli(capsys, "keqing", *python_args(nahida))
        assert code == 0, err
        assert "已切换为 刻晴" in out
        rec = Registry(layout().registry_file).find(port=port)[0]
        assert (rec.pid, rec.profile, rec.gpt) == (pid, "keqing", str(keqing.gpt))
        paths = [e.get("path") for e in read_events(requests_log) if e.get("event", "").startswith("load_")]
        assert str(keqing.gpt) in paths and str(keqing.sovits) in paths
    finally:
        run_cli(capsys, "stop", "--all")


@pytest.mark.parametrize("api", ["v2", "v1"])
def test_starting_the_character_it_already_serves_loads_nothing(nahida, port, requests_log, capsys, api):
    """A second double-click of the same character: "already running", never "switched
    from 纳西妲 to 纳西妲" with its weights loaded again."""
    args = ["nahida", "--detach", f"--{api}", *python_args(nahida)]
    assert run_cli(capsys, *args)[0] == 0
    pid = Registry(layout().registry_file).find(port=port)[0].pid
    before = len(read_events(requests_log))
    try:
        code, out, err = run_cli(capsys, *args)
        assert code == 0, err
        assert f"已经在运行（PID {pid}），不用重新加载" in out and "已切换" not in out
        assert "sovits-launch logs nahida -f" in out  # where its output goes, as after a detached start
        later = [e for e in read_events(requests_log)[before:] if e.get("event") == "request"]
        # api.py keeps one default reference: the profile's is sent again, and nothing loads.
        assert [(e["method"], e["path"]) for e in later] == ([("POST", "/change_refer")] if api == "v1" else [])
        assert Registry(layout().registry_file).find(port=port)[0].pid == pid
    finally:
        run_cli(capsys, "stop", "--all")


def test_demo_runs_the_whole_flow(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the demo leaves its demo.wav in the current folder
    code, out, err = run_cli(capsys, "demo", "--load-seconds", "0.3", "--json")
    assert code == 0, err
    data = json.loads(out)["data"]
    assert data["stopped"] and data["wav_seconds"] > 0 and data["ready_seconds"] >= 0.3
