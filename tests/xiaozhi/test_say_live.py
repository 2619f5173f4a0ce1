"""`say` sends exactly xiaozhi's request to a running stand-in server."""

from __future__ import annotations

import sys
import wave

import pytest

from launcher.demo.fake_package import build_standin_package, free_port
from launcher.errors import EXIT_NOT_RUNNING

from helpers import run_cli, standin_yaml, write_profile
from helpers import read_events
from helpers.xiaozhi_tree import make_xiaozhi

pytestmark = pytest.mark.slow


@pytest.fixture
def setup(tmp_path, isolated_home, monkeypatch, capsys):
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.3")
    log = tmp_path / "requests.jsonl"
    monkeypatch.setenv("STANDIN_REQUEST_LOG", str(log))
    pkg = build_standin_package(tmp_path / "GPT-SoVITS 整合包 & 测试")
    port = free_port()
    write_profile(
        isolated_home,
        "nahida",
        standin_yaml(pkg, port, params={"top_k": 12, "temperature": 0.8, "speed": 1.1, "text_split_method": "cut5"},
                     emotions={"开心": {"ref_audio": str(pkg.ref_audio), "prompt_text": "开心的话", "prompt_lang": "中文"}}),
    )
    xdir = make_xiaozhi(tmp_path / "xiaozhi-esp32-server")
    assert run_cli(capsys, "xiaozhi", "set-dir", str(xdir))[0] == 0
    yield pkg, port, log
    from launcher.cli import run

    run(["stop", "--all"])


def _python(pkg):
    return [] if pkg.python else ["--python", sys.executable]


def _last_request(log):
    return [e for e in read_events(log) if e["event"] == "request" and e["path"] != "/openapi.json"][-1]


def test_say_v2_posts_xiaozhis_json(setup, tmp_path, capsys):
    pkg, port, log = setup
    assert run_cli(capsys, "nahida", "--detach", "--no-xiaozhi", *_python(pkg))[0] == 0
    out = tmp_path / "输出 文件.wav"
    code, text, err = run_cli(capsys, "say", "nahida", "你好，旅行者。", "-o", str(out))
    assert code == 0, err
    req = _last_request(log)
    assert (req["method"], req["path"], req["content_type"]) == ("POST", "/tts", "application/json")
    body = req["json"]
    assert set(body) == {
        "text", "text_lang", "ref_audio_path", "aux_ref_audio_paths", "prompt_text", "prompt_lang", "top_k", "top_p",
        "temperature", "text_split_method", "batch_size", "batch_threshold", "split_bucket", "return_fragment",
        "speed_factor", "streaming_mode", "seed", "parallel_infer", "repetition_penalty",
    }
    assert (body["text"], body["ref_audio_path"], body["prompt_text"]) == ("你好，旅行者。", str(pkg.ref_audio), pkg.prompt_text)
    assert (body["top_k"], body["temperature"], body["speed_factor"], body["text_split_method"]) == (12, 0.8, 1.1, "cut5")
    with wave.open(str(out)) as w:
        assert w.getnframes() > 0
    assert "已保存" in text


def test_say_with_emotion_uses_its_reference(setup, tmp_path, capsys):
    pkg, port, log = setup
    assert run_cli(capsys, "nahida", "--detach", "--no-xiaozhi", *_python(pkg))[0] == 0
    assert run_cli(capsys, "say", "nahida", "好耶", "--emotion", "开心", "-o", str(tmp_path / "a.wav"))[0] == 0
    body = _last_request(log)["json"]
    assert (body["prompt_text"], body["prompt_lang"]) == ("开心的话", "all_zh")
    code, _, err = run_cli(capsys, "say", "nahida", "好耶", "--emotion", "难过", "-o", str(tmp_path / "b.wav"))
    assert code != 0 and "开心" in err


def test_say_v1_gets_with_xiaozhis_query_names(setup, tmp_path, capsys):
    pkg, port, log = setup
    assert run_cli(capsys, "nahida", "--v1", "--detach", "--no-xiaozhi", *_python(pkg))[0] == 0
    code, _, err = run_cli(capsys, "say", "nahida", "你好", "-o", str(tmp_path / "v1.wav"))
    assert code == 0, err
    req = _last_request(log)
    assert (req["method"], req["path"]) == ("GET", "/")
    assert set(req["query"]) == {
        "refer_wav_path", "prompt_text", "prompt_language", "text", "text_language", "top_k", "top_p",
        "temperature", "cut_punc", "speed", "sample_steps", "if_sr",
    }
    assert req["query"]["refer_wav_path"] == [str(pkg.ref_audio)]
    assert req["query"]["text_language"] == ["zh"]  # always written: xiaozhi's own default is the typo "audo"


def test_say_when_not_running_says_how_to_start(setup, tmp_path, capsys):
    code, _, err = run_cli(capsys, "say", "nahida", "你好", "-o", str(tmp_path / "x.wav"))
    assert code == EXIT_NOT_RUNNING
    assert "sovits-launch" in err and not (tmp_path / "x.wav").exists()


def test_start_writes_the_block_after_ready(setup, capsys):
    pkg, port, log = setup
    code, out, err = run_cli(capsys, "nahida", "--detach", *_python(pkg))
    assert code == 0, err
    assert "GPT_SOVITS_V2" in out and "重启 xiaozhi-server" in out
