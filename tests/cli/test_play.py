"""Hearing it: the player found on PATH (faked by small scripts), `say --play`, `demo`
keeping demo.wav and playing it. The player sits behind `launcher.play.play_wav`."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from launcher import play
from launcher.errors import Notice

from helpers import make_package, nahida_yaml, run_cli, write_profile

posix_only = pytest.mark.skipif(os.name == "nt", reason="Windows plays through winsound")


def _fake_player(folder: Path, name: str, *, fails: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / f"{name}.args"
    script = folder / name
    body = f'echo "$@" > "{record}"\n' + ('echo "no sound device" >&2\nexit 1\n' if fails else "exit 0\n")
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return record


@posix_only
def test_the_first_player_found_is_used(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    aplay = _fake_player(bin_dir, "aplay")
    monkeypatch.setenv("PATH", str(bin_dir))
    assert play.player_name() == "aplay"
    paplay = _fake_player(bin_dir, "paplay")
    assert play.player_name() == "paplay"
    wav = tmp_path / "纳西妲 say.wav"
    wav.write_bytes(b"RIFF")
    assert play.play_wav(wav) is None
    assert paplay.read_text(encoding="utf-8").strip() == str(wav) and not aplay.exists()


@posix_only
def test_no_player_is_a_note_naming_the_saved_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    notice = play.play_wav(tmp_path / "x.wav")
    assert notice == Notice("play.no_player", path=str(tmp_path / "x.wav"), players="paplay / aplay / afplay")


@posix_only
def test_a_failing_player_is_a_note_with_its_reason(tmp_path, monkeypatch):
    _fake_player(tmp_path / "bin", "aplay", fails=True)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    notice = play.play_wav(tmp_path / "x.wav")
    assert notice.key == "play.failed" and notice.params["reason"] == "no sound device"


# --- say --play ----------------------------------------------------------------------


@pytest.fixture
def played(monkeypatch):
    heard: list[Path] = []
    monkeypatch.setattr(play, "play_wav", lambda path: heard.append(Path(path)))
    return heard


@pytest.fixture
def fake_say(monkeypatch):
    """`say` without a server: the answer's WAV is written, as integrate.say does."""
    from launcher.xiaozhi import integrate

    def say(plan, text, out, *, settings, emotion=None):
        Path(out).write_bytes(b"RIFF fake")
        return integrate.SayResult(str(out), 1.5, 32000, 0.2, plan.url, "POST")

    monkeypatch.setattr(integrate, "say", say)


@pytest.fixture
def nahida(tmp_path, isolated_home, monkeypatch):
    pkg = make_package(tmp_path / "整合包")
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root))
    monkeypatch.chdir(tmp_path)
    return pkg


def test_say_play_plays_the_saved_answer(nahida, fake_say, played, tmp_path, capsys):
    code, out, err = run_cli(capsys, "say", "nahida", "你好", "--play")
    assert code == 0, err
    assert played == [tmp_path / "nahida-say.wav"] and "已保存" in out


def test_say_without_play_plays_nothing(nahida, fake_say, played, capsys):
    assert run_cli(capsys, "say", "nahida", "你好")[0] == 0
    assert played == []


@posix_only
def test_say_play_without_a_player_says_where_the_file_is(nahida, fake_say, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, out, err = run_cli(capsys, "--lang", "en", "say", "nahida", "hello", "-o", str(tmp_path / "a.wav"), "--play")
    assert code == 0
    assert "No audio player found" in err and str(tmp_path / "a.wav") in err


# --- demo ------------------------------------------------------------------------------


def test_demo_keeps_demo_wav_here_and_plays_it(tmp_path, monkeypatch, played, capsys):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, "demo", "--load-seconds", "0.2", "--play")
    assert code == 0, err
    wav = tmp_path / "demo.wav"
    assert wav.read_bytes()[:4] == b"RIFF" and played == [wav]
    assert str(wav) in out


def test_demo_out_puts_the_wav_elsewhere(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, "demo", "--load-seconds", "0.2", "-o", str(tmp_path / "x" / "d.wav"), "--json")
    assert code == 0, out + err
    assert (tmp_path / "x" / "d.wav").is_file() and not (tmp_path / "demo.wav").exists()
