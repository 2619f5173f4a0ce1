"""Warm-up: the first request after `start` is served by a warm server.

The stand-in makes the first synthesis in each text language slow
(STANDIN_FIRST_SYNTH_SECONDS, and a "first_use" event in its request log), as
upstream does while it loads its text front-ends and the reference's features.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from launcher.demo.fake_package import build_standin_package
from launcher.demo.run import first_free_port
from launcher.errors import EXIT_SERVER_FAILED
from launcher.gsv import client as gsv_api
from launcher.paths import layout
from launcher.server.registry import Registry
from launcher.server.warmup import warm_text

from helpers import nahida_yaml, python_args, read_events, run_cli, wait_for, write_profile

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
FIRST = 1.5  # the stand-in's slow first synthesis, seconds


@pytest.fixture
def requests_log(tmp_path, monkeypatch):
    path = tmp_path / "requests.jsonl"
    monkeypatch.setenv("STANDIN_REQUEST_LOG", str(path))
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.3")
    monkeypatch.setenv("STANDIN_FIRST_SYNTH_SECONDS", str(FIRST))
    return path


@pytest.fixture
def port():
    return first_free_port(22000 + os.getpid() % 20000)


@pytest.fixture
def pkg(tmp_path, requests_log):
    return build_standin_package(tmp_path / "GPT-SoVITS 整合包 & 测试")


def _profile(home, pkg, port, name="nahida", **extra):
    write_profile(home, name, nahida_yaml(pkg.root, name=name, gpt=str(pkg.gpt), sovits=str(pkg.sovits),
                                          ref_audio=str(pkg.ref_audio), prompt_text=pkg.prompt_text, port=port,
                                          device="cpu", **extra))


def _events(path, kind):
    return [e for e in read_events(path) if e["event"] == kind]


def _syntheses(path):
    """Requests to /tts (api_v2.py) or / (api.py): not the readiness probes."""
    return [e for e in _events(path, "request") if e["path"] in ("/tts", "/")]


def _ref(entry):
    if entry["json"]:
        return entry["json"].get("ref_audio_path")
    return (entry["query"] or {}).get("refer_wav_path", [None])[0]


@pytest.fixture
def cleanup(capsys):
    yield
    run_cli(capsys, "stop", "--all")


def test_warm_text_per_language():
    assert warm_text("zh") == "你好，hello。"  # upstream's zh is Chinese-English mixed: both front-ends
    assert warm_text("all_zh") == "你好。"
    assert warm_text("en") == "Hello."
    assert warm_text("all_ja") == "こんにちは。" and warm_text("ja") == "こんにちは。"
    assert warm_text("ko") == "안녕하세요."
    assert warm_text("auto") == warm_text("auto_yue") == warm_text(None) == "你好，hello。"


@pytest.mark.parametrize("api", ["v2", "v1"])
def test_first_request_after_start_is_served_warm(pkg, port, isolated_home, requests_log, capsys, cleanup, api):
    _profile(isolated_home, pkg, port, api=api)
    code, out, err = run_cli(capsys, "nahida", "--detach", *python_args(pkg))
    assert code == 0, err
    assert "已就绪，可以用了" in out and "预热" in out
    # The slow first use happened before `start` said ready, in the warm-up's own request.
    first_uses = _events(requests_log, "first_use")
    assert len(first_uses) == 1
    warm = _syntheses(requests_log)
    assert len(warm) == 1 and warm[0]["t"] <= first_uses[0]["t"]
    # xiaozhi's first request (say sends exactly it) pays nothing of it.
    started = time.monotonic()
    code, out, err = run_cli(capsys, "say", "nahida", "今天天气很好。", "-o", str(pkg.root / "first.wav"))
    took = time.monotonic() - started
    assert code == 0, err
    assert len(_events(requests_log, "first_use")) == 1
    assert took < FIRST, took
    # The warm-up sent what xiaozhi sends: the same reference and languages.
    sent = _syntheses(requests_log)
    assert len(sent) == 2
    assert _ref(sent[0]) == _ref(sent[1]) == str(pkg.ref_audio)
    assert sent[0]["method"] == sent[1]["method"] and sent[0]["path"] == sent[1]["path"]
    assert Registry(layout().registry_file).find(port=port)[0].state == "ready"


def test_no_warmup_leaves_the_first_request_slow(pkg, port, isolated_home, requests_log, capsys, cleanup):
    _profile(isolated_home, pkg, port)
    code, out, err = run_cli(capsys, "nahida", "--detach", "--no-warmup", *python_args(pkg))
    assert code == 0, err
    assert "可以用了" not in out and "已就绪" in out
    assert _syntheses(requests_log) == [] and _events(requests_log, "first_use") == []
    started = time.monotonic()
    code, out, err = run_cli(capsys, "say", "nahida", "今天天气很好。", "-o", str(pkg.root / "first.wav"))
    assert code == 0, err
    assert time.monotonic() - started >= FIRST
    assert len(_events(requests_log, "first_use")) == 1


def test_warm_up_failure_is_a_start_failure(pkg, port, isolated_home, requests_log, capsys, monkeypatch):
    """The reference vanishes after the checks (the server reads it only on the first
    synthesis): upstream answers 400, and `start` fails like any failed start."""
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "1.5")
    moved = Path(str(pkg.ref_audio) + ".moved")

    def move_when_loading():
        wait_for(lambda: _events(requests_log, "start"), what="server started")
        os.replace(pkg.ref_audio, moved)

    _profile(isolated_home, pkg, port)
    mover = threading.Thread(target=move_when_loading)
    mover.start()
    code, out, err = run_cli(capsys, "nahida", "--detach", *python_args(pkg))
    mover.join()
    assert code == EXIT_SERVER_FAILED
    assert "预热" in err and "not exists" in err  # the notice, and upstream's own words
    assert "找不到参考音频" in err  # the known explanation (hint)
    assert "可以用了" not in out
    assert Registry(layout().registry_file).servers() == []
    assert not gsv_api.port_accepts("127.0.0.1", port)


def test_server_dying_during_warm_up_is_reported_with_its_log(pkg, port, isolated_home, requests_log, monkeypatch):
    monkeypatch.setenv("STANDIN_FIRST_SYNTH_SECONDS", "10")
    _profile(isolated_home, pkg, port)
    launcher = subprocess.Popen([sys.executable, "-m", "launcher", "nahida", "--detach", *python_args(pkg)],
                                cwd=str(REPO), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: _events(requests_log, "first_use"), what="warm-up under way")
        os.kill(Registry(layout().registry_file).find(port=port)[0].pid, signal.SIGKILL)
        out = launcher.communicate(timeout=30)[0].decode("utf-8", "replace")
    finally:
        if launcher.poll() is None:
            launcher.kill()
    assert launcher.returncode == EXIT_SERVER_FAILED
    assert "信号 9" in out and "Uvicorn running on" in out  # the explanation and the log's last lines
    assert Registry(layout().registry_file).servers() == []


def test_a_hot_switch_warms_the_new_character(pkg, port, isolated_home, requests_log, tmp_path, capsys, cleanup):
    other = build_standin_package(tmp_path / "second", character="刻晴")
    _profile(isolated_home, pkg, port)
    write_profile(isolated_home, "keqing", nahida_yaml(
        pkg.root, name="keqing", display_name="刻晴", gpt=str(other.gpt), sovits=str(other.sovits),
        ref_audio=str(other.ref_audio), prompt_text=other.prompt_text, port=port, device="cpu"))
    assert run_cli(capsys, "nahida", "--detach", *python_args(pkg))[0] == 0
    code, out, err = run_cli(capsys, "keqing", *python_args(pkg))
    assert code == 0, err
    assert "已切换为 刻晴" in out
    warmups = _syntheses(requests_log)
    assert len(warmups) == 2  # nahida's warm-up, then keqing's, before "switched"
    assert _ref(warmups[1]) == str(other.ref_audio)


def test_warm_up_catches_api_py_without_its_model(tmp_path, isolated_home, requests_log, monkeypatch, capsys):
    """api.py swallows a failed load and opens its port anyway (research A.4): "ready" by the
    probe, but every answer is cut. The warm-up says so at the start, not xiaozhi's first request."""
    from launcher.demo.fake_package import add_character, free_port

    monkeypatch.setenv("STANDIN_FIRST_SYNTH_SECONDS", "0")
    pkg = build_standin_package(tmp_path / "GPT-SoVITS")
    gpt, sovits = add_character(pkg.root, "胡桃", "v4")
    port = free_port()
    write_profile(isolated_home, "hutao", nahida_yaml(pkg.root, name="hutao", gpt=str(gpt), sovits=str(sovits),
                                                      ref_audio=str(pkg.ref_audio), prompt_text=pkg.prompt_text,
                                                      port=port, device="cpu", api="v1"))
    (pkg.root / "GPT_SoVITS/pretrained_models/gsv-v4-pretrained/vocoder.pth").unlink()
    code, out, err = run_cli(capsys, "hutao", "--detach", "--no-xiaozhi", *python_args(pkg))
    assert code == EXIT_SERVER_FAILED
    assert "预热" in err and "模型版本" in err  # the notice, and the cause on this release
    assert "Uvicorn running" in err  # with the server's last log lines
    assert "可以用了" not in out
    assert Registry(layout().registry_file).servers() == []
    assert not gsv_api.port_accepts("127.0.0.1", port)
