"""`say` never takes an answer without audio for success, nor for "no server is running"."""

from __future__ import annotations

import sys

import pytest

from launcher.demo.fake_package import add_character, build_standin_package, free_port
from launcher.errors import EXIT_SERVER_FAILED

from helpers import nahida_yaml, run_cli, write_profile

pytestmark = pytest.mark.slow


@pytest.fixture
def hutao(tmp_path, isolated_home, monkeypatch):
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.2")
    pkg = build_standin_package(tmp_path / "GPT-SoVITS")
    gpt, sovits = add_character(pkg.root, "胡桃", "v4")
    write_profile(isolated_home, "hutao", nahida_yaml(pkg.root, name="hutao", gpt=str(gpt), sovits=str(sovits),
                                                      ref_audio=str(pkg.ref_audio), prompt_text=pkg.prompt_text,
                                                      port=free_port(), device="cpu", api="v1"))
    yield pkg
    from launcher.cli import run

    run(["stop", "--all"])


def _python(pkg):
    return [] if pkg.python else ["--python", sys.executable]


def test_api_py_without_its_model_answers_200_and_say_explains_it(hutao, tmp_path, capsys):
    # api.py swallows the failed load (the v4 vocoder is missing) and opens its port anyway.
    (hutao.root / "GPT_SoVITS/pretrained_models/gsv-v4-pretrained/vocoder.pth").unlink()
    # --no-warmup: `say` is what is tested here (the warm-up refuses the start itself:
    # test_warmup.py::test_warm_up_catches_api_py_without_its_model)
    assert run_cli(capsys, "hutao", "--detach", "--no-xiaozhi", "--no-warmup", *_python(hutao))[0] == 0
    out = tmp_path / "x.wav"
    code, text, err = run_cli(capsys, "say", "hutao", "你好，旅行者。", "-o", str(out))
    assert code == EXIT_SERVER_FAILED
    assert "模型版本" in err and "没有正在运行" not in err and "已保存" not in text
    assert "Uvicorn running" in err  # the server's last log lines come with it
    assert not out.exists()


def test_say_checks_the_rate_of_the_model_version(hutao, tmp_path, capsys):
    assert run_cli(capsys, "hutao", "--detach", "--no-xiaozhi", *_python(hutao))[0] == 0
    code, text, err = run_cli(capsys, "say", "hutao", "你好，旅行者。", "-o", str(tmp_path / "v4.wav"))
    assert code == 0, err
    assert "48000 Hz" in text  # a v4 model speaks at 48 kHz
