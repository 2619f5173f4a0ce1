"""`init`'s reference finder: a 3-10 s WAV from the usual folders, with its transcript."""

from __future__ import annotations

from launcher.audio import write_wav
from launcher.profiles.initialize import find_reference


def test_transcript_from_a_lab_in_utf8_or_notepads_gbk(tmp_path):
    wav = write_wav(tmp_path / "参考音频" / "纳西妲" / "初次见面.wav", 5.0)
    lab = wav.with_suffix(".lab")
    lab.write_bytes("初次见面，我已经关注你很久了。\r\n".encode("gbk"))  # Notepad's “ANSI” on Chinese Windows
    assert find_reference(tmp_path, "纳西妲") == (wav, "初次见面，我已经关注你很久了。")
    lab.write_bytes("\ufeff我叫纳西妲。".encode("utf-8"))
    assert find_reference(tmp_path, "纳西妲") == (wav, "我叫纳西妲。")


def test_transcript_from_the_file_name_without_a_lab(tmp_path):
    wav = write_wav(tmp_path / "参考音频" / "胡桃" / "【开心】胡桃今天也要开开心心的哦.wav", 4.0)
    write_wav(tmp_path / "参考音频" / "胡桃" / "a-too-long.wav", 12.0)
    assert find_reference(tmp_path, "hutao", "胡桃") == (wav, "胡桃今天也要开开心心的哦")
    assert find_reference(tmp_path, "nobody") == (None, None)
