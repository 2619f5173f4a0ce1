from __future__ import annotations

import struct
import sys
import wave
from pathlib import Path

import pytest

from launcher import audio as A
from launcher.errors import BadInput, LauncherError, MissingFile

KSDATAFORMAT_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"


def chunk(cid: bytes, body: bytes) -> bytes:
    return cid + struct.pack("<I", len(body)) + body + (b"\x00" if len(body) & 1 else b"")


def fmt_body(tag=1, channels=1, rate=32000, bits=16, container=None, extensible_tag=None, valid_bits=None):
    width = container or (bits + 7) // 8
    align = channels * width
    body = struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits)
    if extensible_tag is not None:
        body += struct.pack("<HHI", 22, valid_bits or bits, 0x4 if channels == 1 else 0x3)
        body += struct.pack("<H", extensible_tag) + KSDATAFORMAT_TAIL
    return body


def riff(*chunks: bytes, magic=b"RIFF", size=None) -> bytes:
    body = b"WAVE" + b"".join(chunks)
    return magic + struct.pack("<I", len(body) if size is None else size) + body


def put(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# --- durations and the 3-10 s rule -------------------------------------------------


@pytest.mark.parametrize("seconds,ok", [(2.9, False), (3.0, True), (10.0, True), (10.1, False), (5.0, True)])
def test_written_wavs_and_the_rule(tmp_path, seconds, ok):
    p = A.write_wav(tmp_path / f"{seconds}.wav", seconds)
    info = A.wav_info(p)
    assert info.seconds == pytest.approx(seconds)
    assert (info.sample_rate, info.channels, info.sample_width) == (32000, 1, 2)
    assert info.reference_ok is ok
    assert A.reference_in_range(info.seconds) is ok
    assert A.measure(p) == pytest.approx(seconds)


def test_write_wav_is_readable_by_stdlib(tmp_path):
    p = A.write_wav(tmp_path / "s.wav", 1.5, rate=44100, channels=2)
    with wave.open(str(p)) as w:
        assert (w.getnframes(), w.getframerate(), w.getnchannels()) == (66150, 44100, 2)


def test_exact_bounds_are_inclusive():
    assert A.reference_in_range(3.0)
    assert A.reference_in_range(10.0)
    assert not A.reference_in_range(10.0 + 1 / 16000)
    assert not A.reference_in_range(3.0 - 1 / 16000)
    assert not A.reference_in_range(float("nan"))
    assert not A.reference_in_range(-1)


def test_float_noise_at_the_bound_does_not_count():
    assert A.reference_in_range(0.1 * 100)  # 10.000000000000002 in binary
    assert A.reference_in_range(10.000000000000002)


def test_upstream_ceil_lets_a_hair_under_3s_pass(tmp_path):
    # librosa: n16 = ceil(95999 * 0.5) = 48000, which upstream accepts.
    assert A.samples_16k(95999, 32000) == 48000
    assert A.frames_in_range(95999, 32000)
    assert not A.frames_in_range(95998, 32000)  # 47999
    assert A.frames_in_range(320000, 32000)
    assert not A.frames_in_range(320001, 32000)  # 160000.5 -> 160001
    p = A.write_wav(tmp_path / "short.wav", frames=95999, rate=32000)
    assert A.wav_info(p).reference_ok
    assert A.wav_info(p).seconds < 3.0


@pytest.mark.parametrize("rate", [8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000])
def test_exact_bounds_at_common_rates(rate):
    assert A.frames_in_range(3 * rate, rate)
    assert A.frames_in_range(10 * rate, rate)
    assert not A.frames_in_range(10 * rate + rate // 1000 + 1, rate)
    assert A.samples_16k(rate, rate) == 16000


# --- RIFF variants ----------------------------------------------------------------------


def test_float32_wav(tmp_path):
    data = b"\x00" * (4 * 2 * 48000 * 4)  # 4 s stereo float32
    p = put(tmp_path, "f.wav", riff(chunk(b"fmt ", fmt_body(3, 2, 48000, 32)), chunk(b"fact", struct.pack("<I", 192000)), chunk(b"data", data)))
    info = A.wav_info(p)
    assert (info.format, info.channels, info.sample_width, info.frames) == ("float", 2, 4, 192000)
    assert info.seconds == pytest.approx(4.0)


def test_24bit_pcm(tmp_path):
    p = put(tmp_path, "24.wav", riff(chunk(b"fmt ", fmt_body(1, 1, 44100, 24)), chunk(b"data", b"\x00" * (3 * 44100 * 3))))
    info = A.wav_info(p)
    assert (info.sample_width, info.bits, info.frames, info.seconds) == (3, 24, 132300, 3.0)


def test_8bit_pcm(tmp_path):
    p = A.write_wav(tmp_path / "8.wav", 3.5, rate=8000, sample_width=1)
    info = A.wav_info(p)
    assert (info.sample_width, info.frames) == (1, 28000)


def test_extensible_24_in_32_and_float(tmp_path):
    body = fmt_body(0xFFFE, 2, 48000, 32, extensible_tag=1, valid_bits=24)
    p = put(tmp_path, "ext.wav", riff(chunk(b"fmt ", body), chunk(b"data", b"\x00" * (8 * 48000 * 6))))
    info = A.wav_info(p)
    assert (info.format, info.sample_width, info.frames, info.seconds) == ("pcm", 4, 288000, 6.0)
    body = fmt_body(0xFFFE, 1, 16000, 32, extensible_tag=3)
    p = put(tmp_path, "extf.wav", riff(chunk(b"fmt ", body), chunk(b"data", b"\x00" * (4 * 16000 * 11))))
    info = A.wav_info(p)
    assert (info.format, info.seconds, info.reference_ok) == ("float", 11.0, False)


def test_list_chunk_and_odd_chunk_before_data(tmp_path):
    odd = chunk(b"LIST", b"INFOISFT\x05\x00\x00\x00Lavf\x00")  # 17 bytes -> pad byte
    assert len(odd) == 8 + 17 + 1
    p = put(tmp_path, "list.wav", riff(chunk(b"fmt ", fmt_body()), odd, chunk(b"junk", b"x"), chunk(b"data", b"\x00" * 64000 * 4)))
    assert A.wav_info(p).seconds == 4.0


def test_odd_sized_data_and_chunk_after_data(tmp_path):
    # 8-bit mono, 24001 bytes of data (odd -> pad), then a LIST chunk.
    p = put(tmp_path, "o.wav", riff(chunk(b"fmt ", fmt_body(1, 1, 8000, 8)), chunk(b"data", b"\x80" * 24001), chunk(b"LIST", b"INFO")))
    info = A.wav_info(p)
    assert info.frames == 24001 and not info.truncated


@pytest.mark.parametrize("declared", [0xFFFFFFFF, 0, 10**9])
def test_streaming_writer_bogus_data_size(tmp_path, declared):
    pcm = b"\x00" * (2 * 32000 * 5)
    data = b"data" + struct.pack("<I", declared) + pcm
    p = put(tmp_path, "s.wav", riff(chunk(b"fmt ", fmt_body()), size=0xFFFFFFFF) + data)
    info = A.wav_info(p)
    assert info.truncated
    assert info.seconds == 5.0


def test_data_chunk_before_fmt(tmp_path):
    p = put(tmp_path, "df.wav", riff(chunk(b"data", b"\x00" * 32000 * 2 * 3), chunk(b"fmt ", fmt_body())))
    assert A.wav_info(p).seconds == 3.0


def test_rf64(tmp_path):
    pcm = b"\x00" * (2 * 16000 * 4)
    ds64 = struct.pack("<QQQI", 0, len(pcm), len(pcm) // 2, 0)
    data = b"data" + struct.pack("<I", 0xFFFFFFFF) + pcm
    p = put(tmp_path, "rf.wav", riff(chunk(b"ds64", ds64), chunk(b"fmt ", fmt_body(1, 1, 16000, 16)), magic=b"RF64", size=0xFFFFFFFF) + data)
    info = A.wav_info(p)
    assert info.seconds == 4.0


# --- not WAV / broken --------------------------------------------------------------------


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb" * 100, "RIFF"),
        (b"", "RIFF"),
        (b"RIFF\x00\x00\x00\x00AVI LIST", "RIFF"),
        (riff(chunk(b"data", b"\x00" * 100)), "fmt"),
        (riff(chunk(b"fmt ", fmt_body())), "data"),
        (riff(chunk(b"fmt ", b"\x01\x00"), chunk(b"data", b"\x00" * 10)), "short"),
        (riff(chunk(b"fmt ", fmt_body(0x0055)), chunk(b"data", b"\x00" * 10)), "0x0055"),
        (riff(chunk(b"fmt ", fmt_body(1, 0, 32000)), chunk(b"data", b"\x00" * 10)), "zero"),
        (riff(chunk(b"fmt ", fmt_body(0xFFFE, 1, 32000, 16)), chunk(b"data", b"\x00" * 10)), "sub-format"),
    ],
)
def test_not_wav(tmp_path, data, reason):
    p = put(tmp_path, "x.wav", data)
    with pytest.raises(BadInput) as e:
        A.wav_info(p)
    assert e.value.key == "audio.not_wav"
    assert e.value.params["path"] == str(p)
    assert reason in e.value.params["reason"]


def test_missing_file(tmp_path):
    for fn in (A.wav_info, A.measure):
        with pytest.raises(MissingFile) as e:
            fn(tmp_path / "nope.wav")
        assert e.value.key == "audio.not_found"


def test_a_folder_is_not_found(tmp_path):
    with pytest.raises(MissingFile):
        A.wav_info(tmp_path)


# --- measure() ----------------------------------------------------------------------------


def test_measure_needs_ffprobe_for_other_formats(tmp_path):
    p = put(tmp_path, "a.mp3", b"ID3\x04" + b"\x00" * 100)
    with pytest.raises(BadInput) as e:
        A.measure(p)
    assert e.value.key == "audio.need_ffprobe"
    q = put(tmp_path, "fake.wav", b"ID3\x04" + b"\x00" * 100)
    with pytest.raises(BadInput) as e:
        A.measure(q)
    assert e.value.key == "audio.not_wav"


def test_measure_reads_wav_by_content_whatever_the_suffix(tmp_path):
    p = A.write_wav(tmp_path / "voice.mp3", 4.0)
    assert A.measure(p) == 4.0


def fake_ffprobe(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "ffprobe_fake.py"
    script.write_text("import sys, time\n" + body, encoding="utf-8")
    if sys.platform == "win32":
        exe = tmp_path / "ffprobe.bat"
        exe.write_text(f'@"{sys.executable}" "{script}" %*\r\n', encoding="ascii")
    else:
        exe = tmp_path / "ffprobe"
        exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{script}" "$@"\n', encoding="utf-8")
        exe.chmod(0o755)
    return exe


def test_measure_uses_ffprobe(tmp_path):
    exe = fake_ffprobe(
        tmp_path,
        "args = sys.argv[1:]\n"
        "assert args[:6] == ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=noprint_wrappers=1:nokey=1'], args\n"
        "assert args[6].endswith('参考.mp3')\n"
        "print('6.250000')\n",
    )
    p = put(tmp_path, "参考.mp3", b"ID3" + b"\x00" * 50)
    assert A.measure(p, ffprobe=exe) == 6.25


def test_measure_ffprobe_failure_and_timeout(tmp_path):
    p = put(tmp_path, "a.ogg", b"OggS" + b"\x00" * 50)
    bad = fake_ffprobe(tmp_path, "sys.stderr.write('Invalid data found when processing input')\nsys.exit(1)\n")
    with pytest.raises(BadInput) as e:
        A.measure(p, ffprobe=bad)
    assert e.value.key == "audio.probe_failed"
    assert "Invalid data" in e.value.params["reason"]

    slow = fake_ffprobe(tmp_path, "time.sleep(30)\n")
    with pytest.raises(BadInput) as e:
        A.measure(p, ffprobe=slow, timeout=0.5)
    assert e.value.key == "audio.probe_failed"
    assert "timed out" in e.value.params["reason"]

    with pytest.raises(BadInput) as e:
        A.measure(p, ffprobe=tmp_path / "no-such-ffprobe")
    assert e.value.key == "audio.probe_failed"

    junk = fake_ffprobe(tmp_path, "print('N/A')\n")
    with pytest.raises(BadInput):
        A.measure(p, ffprobe=junk)


def test_unreadable_is_a_launcher_error(tmp_path, monkeypatch):
    p = A.write_wav(tmp_path / "a.wav", 3)

    def boom(*a, **k):
        raise PermissionError("denied")

    monkeypatch.setattr(Path, "open", boom)
    with pytest.raises(LauncherError) as e:
        A.wav_info(p)
    assert e.value.key == "fs.read_failed"


def test_measure_fast_path_leaves_other_files_to_the_old_checks(tmp_path):
    """measure() reads a plain WAV with one open; everything else keeps its old answer."""
    import os

    from launcher.audio import measure
    from launcher.errors import BadInput, MissingFile

    wav = A.write_wav(tmp_path / "a.wav", 4.0)
    assert abs(measure(wav) - 4.0) < 0.01
    (tmp_path / "dir.wav").mkdir()
    with pytest.raises(MissingFile):
        measure(tmp_path / "dir.wav")
    with pytest.raises(MissingFile):
        measure(tmp_path / "missing.wav")
    (tmp_path / "text.wav").write_bytes(b"not a wav at all")
    with pytest.raises(BadInput) as e:
        measure(tmp_path / "text.wav")
    assert e.value.key == "audio.not_wav"
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.wav")
        with pytest.raises(MissingFile):
            measure(tmp_path / "pipe.wav")  # must not block waiting for a writer
