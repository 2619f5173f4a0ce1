"""`audio.check_speech`: an answer is real speech, or a keyed error saying what it is instead."""

from __future__ import annotations

import io
import math
import struct
import wave

import pytest

from launcher import audio
from launcher.errors import ServerFailed

TEXT = "你好，旅行者。今天天气很好。"  # 12 syllables


def wav(seconds: float = 2.0, rate: int = 32000, *, amplitude: float = 0.2, width: int = 2) -> bytes:
    frames = int(seconds * rate)
    full = 32767 if width == 2 else 2147483647
    code = "<%dh" if width == 2 else "<%di"
    samples = [int(amplitude * full * math.sin(2 * math.pi * 220 * n / rate)) for n in range(frames)]
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(struct.pack(code % frames, *samples))
    return out.getvalue()


def failure(body: bytes, *args, **kwargs) -> ServerFailed:
    with pytest.raises(ServerFailed) as caught:
        audio.check_speech(body, *args, **kwargs)
    return caught.value


def test_real_speech_passes_with_its_facts():
    info = audio.check_speech(wav(2.0, 24000), 24000, TEXT)
    assert (info.sample_rate, info.frames, info.seconds) == (24000, 48000, 2.0)


def test_an_empty_200_is_no_audio_not_a_missing_server():
    assert failure(b"").key == "speech.empty"


def test_not_a_wav():
    err = failure(b'{"detail": "Not Found"}')
    assert (err.key, err.params["size"]) == ("speech.not_wav", 23)


def test_a_header_without_frames():
    err = failure(wav(0.0))
    assert (err.key, err.params["size"]) == ("speech.no_frames", 44)


def test_upstreams_second_of_zeros_is_silence_at_either_rate():
    for rate in (16000, 32000):
        err = failure(wav(1.0, rate, amplitude=0.0), 32000, TEXT)
        assert (err.key, err.params["rate"], err.params["seconds"], err.params["level"]) == (
            "speech.silent", rate, "1.00", "-inf")


def test_near_silence_is_silence_too():
    assert failure(wav(2.0, amplitude=0.0005)).key == "speech.silent"
    assert audio.check_speech(wav(2.0, amplitude=0.01)).frames == 64000  # quiet speech is still speech


def test_the_rate_of_the_model_version():
    err = failure(wav(2.0, 32000), 48000, TEXT)
    assert (err.key, err.params["rate"], err.params["expected"]) == ("speech.wrong_rate", 32000, 48000)


def test_a_length_plausible_for_the_text():
    assert failure(wav(0.2), 32000, TEXT).key == "speech.too_short"
    err = failure(wav(40.0, 16000), 16000, "你好")
    assert (err.key, err.params["text"]) == ("speech.too_long", "你好")
    assert audio.check_speech(wav(1.0), 32000, TEXT, speed=2.0).seconds == 1.0
    assert audio.plausible_seconds("。！") == (0.0, float("inf"))  # nothing to say: any length


def test_a_streamed_answer_whose_header_declares_no_data():
    # api_v2.py streams an empty WAV header, then raw PCM: count the bytes that came.
    header = wav(0.0)
    pcm = wav(1.5)[44:]
    info = audio.check_speech(header + pcm, 32000, TEXT)
    assert info.frames == 48000
    with wave.open(io.BytesIO(header + pcm)) as strict:  # what a strict reader sees
        assert strict.getnframes() == 0


def test_32_bit_samples_are_measured():
    assert audio.check_speech(wav(1.0, width=4)).sample_width == 4
    assert failure(wav(1.0, width=4, amplitude=0.0)).key == "speech.silent"
