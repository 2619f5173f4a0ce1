"""`xiaozhi check`: a provider module of a xiaozhi-like tree synthesizes through a second interpreter.

The tree (tests/helpers/xiaozhi_like.py) has xiaozhi's config loader and provider names; the
script the launcher sends (launcher/xiaozhi/xiaozhi_side.py) runs in a separate Python with the
tree as working directory, or inside a fake container through the fake `docker exec`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from launcher.errors import EXIT_BAD_INPUT, EXIT_NOT_RUNNING
from launcher.xiaozhi import check

from helpers import make_package, nahida_yaml, run_cli, standin_yaml, write_profile
from helpers.fake_docker import install, no_docker
from helpers.xiaozhi_like import container_root, make_docker_deployment, write_xiaozhi_like
from helpers.xiaozhi_tree import write_data

posix_only = pytest.mark.skipif(os.name == "nt", reason="the fake docker is a POSIX script")


class Answer(BaseHTTPRequestHandler):
    """A server at the TTS URL answering with fixed bytes (JSON instead of audio, say)."""

    body = b'{"message": "ok"}'
    seen: list = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        Answer.seen.append((self.path, json.loads(self.rfile.read(length) or b"{}")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def json_server():
    Answer.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def tree(tmp_path, isolated_home, capsys):
    """A xiaozhi-like source folder remembered by the launcher, and a profile on `port`."""
    folder = write_xiaozhi_like(tmp_path / "xiaozhi-server")
    assert run_cli(capsys, "xiaozhi", "set-dir", str(folder))[0] == 0
    return folder


def profile_on(home: Path, tmp_path: Path, port: int):
    pkg = make_package(tmp_path / "GPT-SoVITS")
    write_profile(home, "nahida", nahida_yaml(pkg.root, port=port))
    return pkg


def test_json_instead_of_audio_is_named(tree, tmp_path, isolated_home, json_server, capsys):
    pkg = profile_on(isolated_home, tmp_path, json_server)
    assert run_cli(capsys, "xiaozhi", "nahida")[0] == 0
    code, out, err = run_cli(capsys, "xiaozhi", "check", "--python", sys.executable)
    assert code == EXIT_BAD_INPUT, err
    assert "不是音频" in err and '{"message": "ok"}' in err
    assert str(tree) in out and sys.executable in out  # which interpreter and folder did it
    path, body = Answer.seen[-1]
    assert path == "/tts" and body["ref_audio_path"] == str(pkg.ref) and body["text"] == "你好，我是小智。"


def test_refused_port_is_explained(tree, tmp_path, isolated_home, capsys):
    from launcher.demo.fake_package import free_port

    profile_on(isolated_home, tmp_path, free_port())
    assert run_cli(capsys, "xiaozhi", "nahida")[0] == 0
    code, _, err = run_cli(capsys, "xiaozhi", "check", "nahida", "--python", sys.executable)
    assert code == EXIT_NOT_RUNNING, err
    assert "连不上" in err and "Connection refused" in err  # the explanation, and the provider's own words


def test_missing_packages_are_named(tree, tmp_path, isolated_home, json_server, capsys):
    profile_on(isolated_home, tmp_path, json_server)
    assert run_cli(capsys, "xiaozhi", "nahida")[0] == 0
    bare = tmp_path / "bare-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    python = bare / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    code, _, err = run_cli(capsys, "xiaozhi", "check", "--python", str(python))
    assert code == EXIT_BAD_INPUT
    assert "缺少" in err and "PyYAML" in err and "loguru" in err and "requests" in err
    assert not Answer.seen  # nothing was sent


def test_selected_module_that_is_not_gpt_sovits(tree, tmp_path, isolated_home, capsys):
    write_data(tree, "selected_module:\n  TTS: EdgeTTS\n")
    code, _, err = run_cli(capsys, "xiaozhi", "check", "--python", sys.executable)
    assert code == EXIT_BAD_INPUT and "EdgeTTS" in err and "不是 GPT-SoVITS" in err


def test_no_python_found_checks_from_the_launcher_and_says_why(tree, tmp_path, isolated_home, json_server, capsys):
    profile_on(isolated_home, tmp_path, json_server)
    assert run_cli(capsys, "xiaozhi", "nahida")[0] == 0
    code, out, err = run_cli(capsys, "xiaozhi", "check")
    assert "找不到 xiaozhi 的 Python" in err and "sovits-launch 这边" in err
    assert code == EXIT_BAD_INPUT and "不是 WAV" in err  # the launcher's own answer check
    assert Answer.seen[-1][0] == "/tts"


def test_manager_mode_with_a_profile_checks_the_profiles_values(tree, tmp_path, isolated_home, json_server, capsys):
    profile_on(isolated_home, tmp_path, json_server)
    write_data(tree, "manager-api:\n  url: http://127.0.0.1:1/xiaozhi\n  secret: x\n")
    code, _, err = run_cli(capsys, "xiaozhi", "check", "--python", sys.executable)
    assert code == EXIT_BAD_INPUT and "智控台" in err
    code, _, err = run_cli(capsys, "xiaozhi", "check", "nahida", "--python", sys.executable)
    assert "智控台" in err and "不是 WAV" in err
    assert Answer.seen and Answer.seen[-1][1]["prompt_text"] == "初次见面，我已经关注你很久了。"


# --- against the stand-in GPT-SoVITS server ------------------------------------------------------


@pytest.fixture
def standin(tmp_path, isolated_home, monkeypatch, capsys):
    from launcher.demo.fake_package import build_standin_package, free_port

    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.2")
    log = tmp_path / "requests.jsonl"
    monkeypatch.setenv("STANDIN_REQUEST_LOG", str(log))
    pkg = build_standin_package(tmp_path / "GPT-SoVITS 整合包")
    port = free_port()
    write_profile(isolated_home, "nahida", standin_yaml(pkg, port))
    python = [] if pkg.python else ["--python", sys.executable]
    assert run_cli(capsys, "nahida", "--detach", "--no-xiaozhi", *python)[0] == 0
    yield pkg, port, log
    from launcher.cli import run

    run(["stop", "--all"])


def requests_to(log: Path, path: str) -> list:
    from helpers import read_events

    return [e for e in read_events(log) if e["event"] == "request" and e["path"] == path]


@pytest.mark.slow
def test_source_provider_synthesizes_against_the_standin(standin, tree, capsys):
    pkg, port, log = standin
    assert run_cli(capsys, "xiaozhi", "nahida")[0] == 0
    code, out, err = run_cli(capsys, "xiaozhi", "check", "nahida", "--python", sys.executable)
    assert code == 0, err
    assert "xiaozhi 自己的代码合成成功" in out and f"http://127.0.0.1:{port}/tts" in out and "GPT_SOVITS_V2" in out
    body = requests_to(log, "/tts")[-1]["json"]
    assert (body["text"], body["ref_audio_path"], body["text_lang"]) == ("你好，我是纳西妲。", str(pkg.ref_audio), "zh")


@pytest.mark.slow
def test_the_running_app_py_gives_the_interpreter(standin, tree, capsys):
    from launcher.demo.fake_package import free_port
    from helpers import wait_for
    from launcher.xiaozhi.restart import alive

    app_port = free_port()
    write_data(tree, f"server:\n  port: {app_port}\n")
    assert run_cli(capsys, "xiaozhi", "nahida")[0] == 0
    app = subprocess.Popen([sys.executable, "app.py"], cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: alive("127.0.0.1", app_port), what="the xiaozhi-like app")
        code, out, err = run_cli(capsys, "xiaozhi", "check")
        assert code == 0, err
        assert "正在运行的 xiaozhi" in out and "合成成功" in out
    finally:
        app.kill()
        app.wait()


@pytest.mark.slow
@posix_only
def test_docker_exec_runs_xiaozhis_code_in_the_container(standin, tmp_path, isolated_home, monkeypatch, capsys):
    pkg, port, log = standin
    folder = make_docker_deployment(tmp_path / "xiaozhi-server")
    root = container_root(tmp_path / "image", folder / "data")
    fake = install(tmp_path / "bin", monkeypatch, os="Docker Desktop")
    fake.add_container("xiaozhi-esp32-server", data=folder / "data", root=root)
    assert run_cli(capsys, "xiaozhi", "set-dir", str(folder))[0] == 0
    # The fake container shares this machine's network: give it an address it can reach.
    assert run_cli(capsys, "xiaozhi", "nahida", "--advertise-host", "127.0.0.1")[0] == 0
    code, out, err = run_cli(capsys, "xiaozhi", "check", "nahida")
    assert code == 0, err
    assert "docker exec" in out and "合成成功" in out
    exec_call = next(c for c in fake.calls() if c[0] == "exec" and "python" in c)
    assert exec_call[:6] == ["exec", "-i", "-w", "/opt/xiaozhi-esp32-server", "xiaozhi-esp32-server", "python"]
    assert exec_call[6] == "-" and exec_call[7] == "你好，我是纳西妲。"


@pytest.mark.slow
@posix_only
def test_desktop_name_unknown_in_the_container_is_explained(standin, tmp_path, isolated_home, monkeypatch, capsys):
    """The fake container cannot resolve host.docker.internal: as on Docker Engine without extra_hosts."""
    folder = make_docker_deployment(tmp_path / "xiaozhi-server")
    root = container_root(tmp_path / "image", folder / "data")
    fake = install(tmp_path / "bin", monkeypatch, os="Docker Desktop")
    fake.add_container("xiaozhi-esp32-server", data=folder / "data", root=root)
    assert run_cli(capsys, "xiaozhi", "set-dir", str(folder))[0] == 0
    assert run_cli(capsys, "xiaozhi", "nahida")[0] == 0
    code, _, err = run_cli(capsys, "xiaozhi", "check")
    if check._resolves("host.docker.internal"):
        pytest.skip("this machine resolves host.docker.internal")
    assert code == EXIT_NOT_RUNNING and "host.docker.internal" in err and "extra_hosts" in err


@pytest.mark.slow
@posix_only
@pytest.mark.parametrize("situation", ["stopped", "no_docker", "daemon_down"])
def test_docker_unusable_checks_from_the_launcher_and_says_why(standin, tmp_path, isolated_home, monkeypatch,
                                                              capsys, situation):
    pkg, port, log = standin
    folder = make_docker_deployment(tmp_path / "xiaozhi-server")
    if situation == "no_docker":
        no_docker(tmp_path / "empty", monkeypatch)
    else:
        fake = install(tmp_path / "bin", monkeypatch, os="Docker Desktop",
                       daemon="down" if situation == "daemon_down" else "up")
        fake.add_container("xiaozhi-esp32-server", data=folder / "data", running=False)
    assert run_cli(capsys, "xiaozhi", "set-dir", str(folder))[0] == 0
    assert run_cli(capsys, "xiaozhi", "nahida", "--advertise-host", "host.docker.internal")[0] == 0
    code, out, err = run_cli(capsys, "xiaozhi", "check")
    assert code == 0, err
    why = {"stopped": "没有在运行", "no_docker": "找不到 docker 命令", "daemon_down": "Docker 没有在运行"}[situation]
    assert why in err and "sovits-launch 这边" in err
    assert "请求成功" in out and "不证明" in out
    assert requests_to(log, "/tts")  # the request reached the stand-in from the launcher's side


# --- the script's answers, explained ----------------------------------------------------------------


def test_output_marker_is_found_after_xiaozhis_log_lines():
    out = "2025-01-01 INFO loguru line\n\x1b[31mERROR x\x1b[0mSOVITS_LAUNCH_CHECK {\"ok\": true, \"module\": \"M\"}\n"
    assert check.parse_output(out) == {"ok": True, "module": "M"}
    assert check.parse_output("nothing here\n") is None


@pytest.mark.parametrize("data, key", [
    ({"error": "Exception: GPT_SoVITS_V2 TTS请求失败: 404 - ", "stage": "synthesis", "url": "http://h:1/"},
     "xiaozhi.check.wrong_path"),
    ({"error": 'Exception: GPT_SoVITS_V3 TTS请求失败: 400 - {"code": 400, "message": "未指定参考音频且接口无预设"}',
      "stage": "synthesis"}, "xiaozhi.say.rejected.no_reference"),
    ({"error": "ConnectionError: HTTPConnectionPool(...): [Errno 111] Connection refused", "stage": "synthesis"},
     "xiaozhi.check.refused"),
    ({"error": "ConnectionError: [Errno -2] Name or service not known", "stage": "synthesis"},
     "xiaozhi.check.no_such_host"),
    ({"error": "ReadTimeout: HTTPConnectionPool(host='x', port=9880): Read timed out. (read timeout=3)",
      "stage": "synthesis"}, "xiaozhi.check.timeout"),
    ({"error": "ValueError: 不支持的TTS类型: gpt_sovits_v1", "stage": "provider", "type": "gpt_sovits_v1"},
     "xiaozhi.check.type_missing"),
    ({"error": "Exception: Could not find Opus library. Make sure it is installed.", "stage": "provider"},
     "xiaozhi.check.libopus"),
    ({"error": "ModuleNotFoundError: No module named 'config'", "stage": "config"}, "xiaozhi.check.wrong_folder"),
    ({"error": "FileNotFoundError: [Errno 2] No such file: 'data/.config.yaml'", "stage": "config"},
     "xiaozhi.check.config_missing"),
    ({"mode": "manager-api", "manager_url": "http://x:8002/xiaozhi"}, "xiaozhi.check.manager_mode"),
    ({"error": "ModuleNotFoundError: No module named 'loguru'", "missing": ["loguru"]}, "xiaozhi.check.missing_packages"),
])
def test_failures_are_explained(data, key):
    assert check.explain(data, check.Route("source")).key == key


def test_refused_inside_a_container_gets_the_docker_explanation():
    data = {"error": "ConnectionError: [Errno 111] Connection refused", "stage": "synthesis", "url": "http://127.0.0.1:9880/tts"}
    assert check.explain(data, check.Route("docker")).key == "xiaozhi.check.refused_docker"


def test_the_script_runs_on_its_own_without_the_launcher(tmp_path):
    """xiaozhi_side.py imports nothing of the launcher: run it from a folder that has no xiaozhi."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-", "你好", "5"], input=check.script_text(), cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8")
    data = check.parse_output(done.stdout)
    assert done.returncode == 1 and data["stage"] == "config" and "config" in data["error"]
    assert check.explain(data, check.Route("source")).key == "xiaozhi.check.wrong_folder"
