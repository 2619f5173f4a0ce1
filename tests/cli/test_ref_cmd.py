"""`sovits-launch ref <profile> <wav>`: the reference set from the command line or the menu, bad input refused."""

from __future__ import annotations

import io
import json
import sys

import pytest

from launcher.audio import write_wav
from launcher.cli import run
from launcher.errors import EXIT_BAD_INPUT, EXIT_MISSING_FILE

from helpers import make_package, nahida_yaml, run_cli, snapshot, write_profile
from helpers.training_tree import sparse_wav

COMMENT = "# 我自己加的注释\n"


@pytest.fixture
def nahida(tmp_path, isolated_home):
    pkg = make_package(tmp_path / "整合包")
    (isolated_home / "settings.yaml").write_text(f"gsv_root: {pkg.root}\n", encoding="utf-8")
    path = write_profile(isolated_home, "nahida", COMMENT + nahida_yaml(None))
    return pkg, path


def test_sets_the_reference_shows_the_old_one_and_keeps_comments(nahida, capsys):
    pkg, path = nahida
    wav = write_wav(pkg.root / "参考音频" / "纳西妲" / "我叫纳西妲，别看我像个孩子。.wav", 4.5)
    code, out, err = run_cli(capsys, "ref", "nahida", str(wav))
    assert code == 0, err
    assert "原来：参考音频/纳西妲/初次见面.wav" in out and "初次见面，我已经关注你很久了。" in out
    assert "现在：参考音频/纳西妲/我叫纳西妲，别看我像个孩子。.wav（4.50 秒" in out and "文本来自：文件名" in out
    text = path.read_text(encoding="utf-8")
    assert text.startswith(COMMENT)
    assert "ref_audio: 参考音频/纳西妲/我叫纳西妲，别看我像个孩子。.wav\n" in text
    assert "prompt_text: 我叫纳西妲，别看我像个孩子。\n" in text
    assert len(list(path.parent.glob("nahida.yaml.bak-*"))) == 1


def test_by_display_name_with_text_and_language_options_in_json(nahida, tmp_path, capsys):
    _, path = nahida
    wav = write_wav(tmp_path / "外面" / "clip.wav", 5.0)
    code, out, _ = run_cli(capsys, "ref", "纳西妲", str(wav), "--text", "Hello there.", "--lang", "en", "--json")
    data = json.loads(out)["data"]
    assert code == 0 and data["written"] and data["text_source"] == "option"
    assert data["after"] == {"ref_audio": str(wav.resolve()), "prompt_text": "Hello there.", "prompt_lang": "en"}
    assert data["before"]["ref_audio"] == "参考音频/纳西妲/初次见面.wav"


def test_dry_run_writes_nothing(nahida, tmp_path, capsys):
    pkg, path = nahida
    before = snapshot(path.parent)
    wav = write_wav(tmp_path / "你好，旅行者。.wav", 5.0)
    code, out, _ = run_cli(capsys, "ref", "nahida", str(wav), "--dry-run")
    assert code == 0 and "演练" in out and snapshot(path.parent) == before


def test_gbk_lab_beside_the_wav(nahida, tmp_path, capsys):
    _, path = nahida
    wav = write_wav(tmp_path / "vo_nahida_001.wav", 5.0)
    wav.with_suffix(".lab").write_bytes("这是记事本保存的文本。".encode("gbk"))
    code, out, _ = run_cli(capsys, "ref", "nahida", str(wav))
    assert code == 0 and "同名的 .lab 文件" in out
    assert "prompt_text: 这是记事本保存的文本。" in path.read_text(encoding="utf-8")


def _bad_inputs(tmp_path):
    short = sparse_wav(tmp_path / "你好，很短的一句。.wav", 2.0)
    long = sparse_wav(tmp_path / "你好，很长的一句。.wav", 12.0)
    fake = tmp_path / "你好，其实是MP3。.wav"
    fake.write_bytes(b"ID3\x03\x00" + bytes(100))
    mp3 = tmp_path / "你好，真的MP3。.mp3"
    mp3.write_bytes(b"ID3\x03\x00" + bytes(100))
    listed = write_wav(tmp_path / "slicer_opt" / "vo_002.wav", 5.0)
    (tmp_path / "slicer_opt" / "slicer_opt.list").write_bytes(b"\x81\xff\xfe not a list")
    nameless = write_wav(tmp_path / "vo_003.wav", 5.0)
    return {
        "missing": (tmp_path / "没有这个.wav", EXIT_MISSING_FILE, "找不到音频文件"),
        "not-a-wav": (fake, EXIT_BAD_INPUT, "不是有效的 WAV 文件"),
        "mp3-without-ffprobe": (mp3, EXIT_BAD_INPUT, "没有找到 ffprobe"),
        "2-seconds": (short, EXIT_BAD_INPUT, "长 2.00 秒，不在 3~10 秒之间"),
        "12-seconds": (long, EXIT_BAD_INPUT, "长 12.00 秒，不在 3~10 秒之间"),
        "unreadable-list": (listed, EXIT_BAD_INPUT, "slicer_opt.list 读不出来"),
        "no-text": (nameless, EXIT_BAD_INPUT, "不知道"),
    }


@pytest.mark.parametrize("case", ["missing", "not-a-wav", "mp3-without-ffprobe", "2-seconds", "12-seconds", "unreadable-list", "no-text"])
def test_bad_input_changes_nothing(nahida, tmp_path, capsys, case):
    pkg, path = nahida
    wav, exit_code, said = _bad_inputs(tmp_path / "in")[case]
    before = snapshot(path.parent, pkg.root)
    code, out, err = run_cli(capsys, "ref", "nahida", str(wav))
    assert code == exit_code and said in err
    assert "→" in err  # every refusal says what to do
    assert snapshot(path.parent, pkg.root) == before


def test_out_of_range_is_only_a_warning_for_api_py(nahida, tmp_path, capsys):
    _, path = nahida
    path.write_text(COMMENT + nahida_yaml(None, api="v1"), encoding="utf-8")
    wav = sparse_wav(tmp_path / "你好，很长的一句。.wav", 12.0)
    code, out, err = run_cli(capsys, "ref", "nahida", str(wav))
    assert code == 0 and "api.py 不检查长度" in err
    assert str(wav.resolve()) in path.read_text(encoding="utf-8")


def test_unknown_profile(nahida, tmp_path, capsys):
    wav = write_wav(tmp_path / "你好，旅行者。.wav", 5.0)
    code, _, err = run_cli(capsys, "ref", "nahdia", str(wav))
    assert code == EXIT_BAD_INPUT and "nahdia" in err


def test_a_wav_dropped_onto_the_menu(nahida, tmp_path, monkeypatch, capsys):
    _, path = nahida
    wav = write_wav(tmp_path / "拖进来的 一句话，好的。.wav", 5.0)
    monkeypatch.setenv("SOVITS_LAUNCH_MENU", "1")
    monkeypatch.setenv("SOVITS_LAUNCH_LANG", "zh")
    monkeypatch.setattr(sys, "stdin", io.StringIO(f'"{wav}"\n１\n\nq\n'))
    code = run([])
    out = capsys.readouterr().out
    assert code == 0 and "给哪个角色做参考音频" in out and "已保存角色配置" in out
    assert "prompt_text: 拖进来的 一句话，好的。" in path.read_text(encoding="utf-8")
