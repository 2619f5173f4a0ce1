"""What a real terminal shows: a start of the stand-in package in tmux at 80x24 and
120x40, read back with capture-pane (the screen and its scrollback, as a user sees them).

The console handler (`serverlog.ConsoleLines`) is checked on its own first; the tmux
tests need tmux (skipped without it, and on Windows).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from launcher.cli import serverlog
from launcher.demo.fake_package import build_standin_package
from launcher.demo.run import first_free_port

from helpers import wait_for

REPO = Path(__file__).resolve().parents[2]
SPINNER = set("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")


# --- the console handler ---------------------------------------------------------------


def test_console_lines_tame_the_servers_noise(monkeypatch):
    from launcher import ui

    shown, successes = [], []
    monkeypatch.setattr(ui, "success", successes.append)
    on_line = serverlog.console_lines(shown.append)
    on_line("Loading weights")
    on_line("  0%|          | 0/50\r 40%|####      | 20/50\r100%|##########| 50/50")
    on_line('INFO:     127.0.0.1:51234 - "GET /openapi.json HTTP/1.1" 200 OK')
    on_line('INFO:     127.0.0.1:51235 - "POST /tts HTTP/1.1" 200 OK')
    on_line('INFO:     127.0.0.1:51236 - "GET /openapi.json?sovits_launch_switched=furina&display='
            '%E8%8A%99%E5%AE%81%E5%A8%9C HTTP/1.1" 200 OK')
    assert shown == ["Loading weights", "100%|##########| 50/50", 'INFO:     127.0.0.1:51235 - "POST /tts HTTP/1.1" 200 OK']
    assert successes == ["已切换到 芙宁娜 (furina)"] and on_line.current == "芙宁娜 (furina)"


# --- a real terminal ---------------------------------------------------------------------

needs_tmux = pytest.mark.skipif(os.name == "nt" or shutil.which("tmux") is None, reason="needs tmux")


class Tmux:
    def __init__(self, tmp_path: Path, width: int, height: int, env: dict):
        self.socket = str(tmp_path / "tmux.sock")
        self.env = env
        self.width, self.height = width, height
        self.session = f"t{os.getpid()}"

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-S", self.socket, *args], capture_output=True, text=True, env=self.env)
        return done.stdout

    def start(self, command: str) -> None:
        self.tmux("new-session", "-d", "-s", self.session, "-x", str(self.width), "-y", str(self.height), command)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session, "-S", "-500")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.session, *keys)

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def standin(tmp_path, isolated_home):
    pkg = build_standin_package(tmp_path / "GPT-SoVITS 整合包")
    build_standin_package(tmp_path / "GPT-SoVITS 整合包", character="芙宁娜")
    port = first_free_port(21000 + os.getpid() % 20000)
    profiles = isolated_home / "profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    for pid, display in (("nahida", "纳西妲"), ("furina", "芙宁娜")):
        (profiles / f"{pid}.yaml").write_text(
            f"name: {pid}\ndisplay_name: {display}\napi: v2\nroot: {pkg.root}\n"
            f"gpt: GPT_weights_v2/{display}-e10.ckpt\nsovits: SoVITS_weights_v2/{display}_e10_s400.pth\n"
            f"ref_audio: 参考音频/{display}/初次见面.wav\nprompt_text: 初次见面\nprompt_lang: zh\ntext_lang: zh\n"
            f"port: {port}\ndevice: cpu\n",
            encoding="utf-8",
        )
    return pkg, port


def _env(lang: str) -> dict:
    env = dict(os.environ, SOVITS_LAUNCH_LANG=lang, STANDIN_LOAD_SECONDS="1.5", TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    env.pop("COLUMNS", None)  # the terminal's own width
    return env


def _launcher(*args: str) -> str:
    return " ".join(shlex.quote(a) for a in [sys.executable, "-m", "launcher", *args])


@needs_tmux
@pytest.mark.parametrize("width, height, lang", [(80, 24, "zh"), (120, 40, "en")])
def test_start_switch_and_ctrl_c_read_cleanly(standin, tmp_path, width, height, lang):
    pkg, port = standin
    rc = tmp_path / "rc"
    env = _env(lang)
    term = Tmux(tmp_path, width, height, env)
    term.start(f"cd {shlex.quote(str(REPO))} && {_launcher('nahida')}; echo $? > {shlex.quote(str(rc))}; sleep 60")
    ready = "已就绪" if lang == "zh" else "is ready"
    try:
        try:
            wait_for(lambda: ready in term.screen(), timeout=60, what="ready")
        except AssertionError as exc:
            raise AssertionError(f"{exc}; the screen:\n{term.screen()}") from None
        wait_for(lambda: "Uvicorn running" in term.screen(), timeout=10, what="the server's last line")
        screen = term.screen()
        lines = screen.splitlines()
        # The status line is gone and never left a trace beside the server's output.
        assert not any(SPINNER & set(line) for line in lines), screen
        assert not any(("正在加载模型" in line or "is loading" in line) for line in lines), screen
        # Every address of ours on the screen is whole on its line, never cut by the terminal.
        ours = [line for line in lines if "http://127.0.0.1" in line and "Uvicorn" not in line]
        assert ours and all(line.rstrip().endswith(f"http://127.0.0.1:{port}/tts") for line in ours), screen
        # The readiness probe is not shown, and "ready" comes after what the server printed.
        assert "/openapi.json" not in screen
        assert max(i for i, line in enumerate(lines) if "Uvicorn running" in line) < lines.index(
            next(line for line in lines if ready in line))

        # A switch from another window is shown in this one.
        switched = subprocess.run([sys.executable, "-m", "launcher", "furina"], cwd=REPO, env=env,
                                  capture_output=True, text=True, timeout=60)
        assert switched.returncode == 0, switched.stderr
        shown = "已切换到 芙宁娜 (furina)" if lang == "zh" else "Switched to 芙宁娜 (furina)"
        wait_for(lambda: shown in term.screen(), timeout=20, what="the switch shown")

        term.keys("C-c")
        wait_for(rc.exists, timeout=30, what="the launcher's exit")
        assert rc.read_text().strip() == "130"
        last = [line for line in term.screen().splitlines() if line.strip()][-1]
        if lang == "zh":
            assert re.fullmatch(rf"✓ 已停止 芙宁娜 \(furina\)（PID \d+，Ctrl\+C 或关闭窗口），端口 {port} 已释放。", last), last
        else:
            assert re.fullmatch(rf"✓ Stopped 芙宁娜 \(furina\) \(PID \d+; Ctrl\+C, or the window was closed\); port {port} is free\.", last), last
    finally:
        term.close()
        subprocess.run([sys.executable, "-m", "launcher", "stop", "--all"], cwd=REPO, env=env, capture_output=True)


@needs_tmux
@pytest.mark.parametrize("width", [80, 120])
def test_list_and_status_fit_the_terminal(standin, tmp_path, width):
    from rich.cells import cell_len

    pkg, port = standin
    env = _env("zh")
    started = subprocess.run([sys.executable, "-m", "launcher", "nahida", "-d"], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=60)
    assert started.returncode == 0, started.stderr
    term = Tmux(tmp_path, width, 40, env)
    try:
        term.start(f"cd {shlex.quote(str(REPO))} && {_launcher('list')} && {_launcher('status')}; sleep 60")
        wait_for(lambda: "port-" in term.screen(), timeout=30, what="status")
        lines = [line for line in term.screen().splitlines() if line.strip()]
        assert all(cell_len(line) <= width for line in lines)
        status = lines[-1]
        assert f"127.0.0.1:{port}" in status and status.endswith(f"port-{port}.log")
        assert len(lines) == 5  # list: header + 2; status: header + 1 (nothing wrapped)
    finally:
        term.close()
        subprocess.run([sys.executable, "-m", "launcher", "stop", "--all"], cwd=REPO, env=env, capture_output=True)


@needs_tmux
def test_a_stop_from_elsewhere_ends_with_one_line_and_exit_0(standin, tmp_path):
    pkg, port = standin
    rc = tmp_path / "rc"
    env = _env("zh")
    term = Tmux(tmp_path, 80, 24, env)
    term.start(f"cd {shlex.quote(str(REPO))} && {_launcher('nahida')}; echo $? > {shlex.quote(str(rc))}; sleep 60")
    try:
        wait_for(lambda: "已就绪" in term.screen(), timeout=60, what="ready")
        stopped = subprocess.run([sys.executable, "-m", "launcher", "stop", "nahida"], cwd=REPO, env=env,
                                 capture_output=True, text=True, timeout=60)
        assert stopped.returncode == 0, stopped.stderr
        wait_for(rc.exists, timeout=30, what="the launcher's exit")
        assert rc.read_text().strip() == "0"
        lines = [line for line in term.screen().splitlines() if line.strip()]
        assert re.fullmatch(rf"✓ 已按请求停止 纳西妲 \(nahida\)（PID \d+ 的 stop），端口 {port} 已释放。", lines[-1]), lines[-1]
        assert not any(line.startswith("✗") for line in lines), "\n".join(lines)  # no launcher error
    finally:
        term.close()
        subprocess.run([sys.executable, "-m", "launcher", "stop", "--all"], cwd=REPO, env=env, capture_output=True)
