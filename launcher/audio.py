"""Reference audio: WAV facts from the RIFF chunks, the 3-10 s rule, other formats via ffprobe.

The rule, as upstream applies it (GPT_SoVITS/TTS_infer_pack/TTS.py
`_set_prompt_semantic`, inference_webui.py): `librosa.load(path, sr=16000)`
(mono, resampled with `n16 = ceil(frames * (16000 / rate))`), then refuse when
`n16 > 160000 or n16 < 48000`. Both bounds are inclusive: exactly 3.0 s and
exactly 10.0 s pass, and because of the ceil a file a hair under 3 s can pass
too (95 999 frames at 32 kHz -> 47 999.5 -> 48 000).
"""

from __future__ import annotations

import math
import os
import re
import stat
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

from launcher.errors import BadInput, LauncherError, MissingFile, ServerFailed

REF_MIN_SECONDS = 3.0
REF_MAX_SECONDS = 10.0
UPSTREAM_RATE = 16000
REF_MIN_SAMPLES = 48000  # 3 s at 16 kHz
REF_MAX_SAMPLES = 160000  # 10 s at 16 kHz
FFPROBE_TIMEOUT = 20.0

WAVE_FORMAT_PCM = 0x0001
WAVE_FORMAT_IEEE_FLOAT = 0x0003
WAVE_FORMAT_ALAW = 0x0006
WAVE_FORMAT_MULAW = 0x0007
WAVE_FORMAT_EXTENSIBLE = 0xFFFE

_FORMAT_NAMES = {
    WAVE_FORMAT_PCM: "pcm",
    WAVE_FORMAT_IEEE_FLOAT: "float",
    WAVE_FORMAT_ALAW: "alaw",
    WAVE_FORMAT_MULAW: "mulaw",
}


@dataclass(frozen=True)
class WavInfo:
    path: Path
    seconds: float
    sample_rate: int
    channels: int
    sample_width: int  # bytes per sample in the container (block_align / channels)
    frames: int
    format: str = "pcm"  # pcm, float, alaw, mulaw (after resolving WAVE_FORMAT_EXTENSIBLE)
    bits: int = 16  # bits_per_sample as written in fmt (valid bits may be fewer)
    truncated: bool = False  # data size missing/bogus/larger than the file: measured from the file
    data_offset: int = 0  # where the samples start in the file

    @property
    def samples_16k(self) -> int:
        return samples_16k(self.frames, self.sample_rate)

    @property
    def reference_ok(self) -> bool:
        """Whether upstream would accept this file as a reference (3-10 s)."""
        return frames_in_range(self.frames, self.sample_rate)


def samples_16k(frames: int, rate: int) -> int:
    """The sample count librosa.load(sr=16000) returns for `frames` at `rate`."""
    if rate == UPSTREAM_RATE:
        return frames
    return int(math.ceil(frames * (float(UPSTREAM_RATE) / rate)))


def frames_in_range(frames: int, rate: int) -> bool:
    """Upstream's 3-10 s check on an exact frame count."""
    n = samples_16k(frames, rate)
    return REF_MIN_SAMPLES <= n <= REF_MAX_SAMPLES


def reference_in_range(seconds: float) -> bool:
    """Upstream's 3-10 s check for a duration in seconds (bounds inclusive).

    The duration becomes a 16 kHz sample count with upstream's ceil; rounding
    to a millionth of a sample first keeps float noise (10.000000000000002)
    from pushing an exact bound over.
    """
    if seconds != seconds or seconds < 0:  # NaN or negative
        return False
    n = math.ceil(round(seconds * UPSTREAM_RATE, 6))
    return REF_MIN_SAMPLES <= n <= REF_MAX_SAMPLES


def seconds_text(seconds: float, digits: int = 2, in_range: bool | None = None) -> str:
    """A reference's length for messages, never on the wrong side of the 3-10 s rule.

    Rounded to `digits` decimals; to up to 3 when rounding would carry a refused
    length into 3-10 s (2.999 s must not read "3.00"); beyond that cut outward
    (2.9999 s -> "2.999", 10.0001 s -> "10.001"). `in_range` is the verdict when the
    caller has it from the exact frame count.
    """
    ok = reference_in_range(seconds) if in_range is None else in_range
    for places in range(digits, max(digits, 3) + 1):
        text = f"{seconds:.{places}f}"
        if (REF_MIN_SECONDS <= float(text) <= REF_MAX_SECONDS) == ok:
            return text
    if ok:  # accepted by the sample count, a hair under 3 s: it reads as the bound it passes
        return f"{min(max(seconds, REF_MIN_SECONDS), REF_MAX_SECONDS):.{digits}f}"
    outward = math.floor(seconds * 1000) if seconds < REF_MIN_SECONDS else math.ceil(seconds * 1000)
    return f"{outward / 1000:.3f}"


# --- RIFF/WAVE reader ---------------------------------------------------------


def _not_wav(path: Path, reason: str) -> BadInput:
    return BadInput("audio.not_wav", path=str(path), reason=reason)


def wav_info(path: Path | str) -> WavInfo:
    """Duration and format of a WAV file, read from its chunks (no audio decoding).

    Handles RIFF and RF64, WAVE_FORMAT_EXTENSIBLE, IEEE float, 8/16/24/32/64-bit,
    odd-sized chunks (pad byte), LIST/fact/bext chunks before `data`, and a data
    size of 0, 0xFFFFFFFF or past the end of the file (streaming writers): then
    the data runs to the end of the file, as libsndfile reads it.
    """
    path = Path(path)
    if not path.is_file():
        raise MissingFile("audio.not_found", path=str(path))
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            return _read_wav(path, f, size)
    except OSError as e:
        raise LauncherError("fs.read_failed", path=str(path), reason=str(e)) from e


def wav_info_bytes(data: bytes, name: str = "<answer>") -> WavInfo:
    """The same reading, for a WAV held in memory (a server's answer)."""
    import io

    return _read_wav(Path(name), io.BytesIO(data), len(data))


def _read_wav(path: Path, f, file_size: int) -> WavInfo:
    head = f.read(12)
    if len(head) < 12 or head[8:12] != b"WAVE" or head[0:4] not in (b"RIFF", b"RF64"):
        raise _not_wav(path, "no RIFF/WAVE header")
    rf64 = head[0:4] == b"RF64"
    ds64_data_size: int | None = None

    fmt: bytes | None = None
    data_offset: int | None = None
    data_size: int | None = None
    pos = 12
    while pos + 8 <= file_size:
        f.seek(pos)
        chunk = f.read(8)
        if len(chunk) < 8:
            break
        cid = chunk[0:4]
        (csize,) = struct.unpack("<I", chunk[4:8])
        body = pos + 8
        if cid == b"ds64" and rf64:
            blob = f.read(min(csize, 28))
            if len(blob) >= 16:
                ds64_data_size = struct.unpack("<Q", blob[8:16])[0]
        elif cid == b"fmt ":
            fmt = f.read(min(csize, 40))
        elif cid == b"data":
            data_offset = body
            available = file_size - body
            if rf64 and csize == 0xFFFFFFFF and ds64_data_size is not None:
                csize = ds64_data_size
            data_size = csize
            if csize == 0 or csize == 0xFFFFFFFF or csize > available:
                # Unfinished/streamed file: the data is whatever follows.
                data_size = -1
            if fmt is not None:
                break
            if data_size == -1:
                break  # nothing can follow a data chunk that runs to EOF
        pos = body + csize + (csize & 1)
    if fmt is None:
        raise _not_wav(path, "no fmt chunk")
    if data_offset is None:
        raise _not_wav(path, "no data chunk")
    if len(fmt) < 16:
        raise _not_wav(path, "fmt chunk too short")

    tag, channels, rate, _byte_rate, block_align, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == WAVE_FORMAT_EXTENSIBLE:
        if len(fmt) < 26:
            raise _not_wav(path, "WAVE_FORMAT_EXTENSIBLE without a sub-format")
        # cbSize(2) validBits(2) channelMask(4) then the GUID; its first two bytes are the format tag.
        (tag,) = struct.unpack("<H", fmt[24:26])
    if tag not in _FORMAT_NAMES:
        raise _not_wav(path, f"unsupported WAVE format 0x{tag:04x}")
    if channels == 0 or rate == 0:
        raise _not_wav(path, "zero channels or sample rate")
    if block_align == 0:
        block_align = channels * ((bits + 7) // 8)
    if block_align == 0 or block_align % channels:
        raise _not_wav(path, "bad block alignment")

    truncated = data_size == -1
    payload = file_size - data_offset if truncated else data_size
    assert payload is not None
    frames = max(payload, 0) // block_align
    return WavInfo(
        path=path,
        seconds=frames / rate,
        sample_rate=rate,
        channels=channels,
        sample_width=block_align // channels,
        frames=frames,
        format=_FORMAT_NAMES[tag],
        bits=bits,
        truncated=truncated,
        data_offset=data_offset,
    )


def is_riff_wave(path: Path | str) -> bool:
    try:
        with Path(path).open("rb") as f:
            head = f.read(12)
    except OSError:
        return False
    return len(head) == 12 and head[0:4] in (b"RIFF", b"RF64") and head[8:12] == b"WAVE"


# --- a server's answer: real speech or not ---------------------------------------------------

# Below this RMS (a fraction of full scale, -60 dBFS) an answer is silence: speech sits around
# -25 to -15 dBFS, and upstream's answers without audio are exact zeros.
SILENCE_RMS = 0.001
# A plausible duration for a text: at most 25 syllables/words a second, and at most about one
# second each plus pauses (runaway generation goes far beyond).
MIN_SECONDS_PER_UNIT = 0.04
MAX_SECONDS_PER_UNIT = 1.0
MAX_EXTRA_SECONDS = 3.0
_UNIT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]|[A-Za-z\u00c0-\u024f']+|[0-9]+")


def check_speech(body: bytes, expected_rate: int | None = None, text: str | None = None, *, speed: float = 1.0) -> WavInfo:
    """The WAV a server answered is real speech; `ServerFailed("speech.<why>")` otherwise.

    In order: something came (`speech.empty`), it is a RIFF/WAVE file (`speech.not_wav`;
    a streamed header that declares 0 bytes counts the bytes that follow), it has frames
    (`speech.no_frames`), it is not silence (`speech.silent`: all zeros, or an RMS under
    -60 dBFS), it has the rate the model speaks at (`speech.wrong_rate`), and its length is
    plausible for the text (`speech.too_short` / `speech.too_long`). The params carry what
    was measured, for the explanation.
    """
    size = len(body)
    if size == 0:
        raise ServerFailed("speech.empty")
    try:
        info = wav_info_bytes(body)
    except BadInput as exc:
        raise ServerFailed("speech.not_wav", size=size, head=repr(body[:16])) from exc
    facts = {"size": size, "rate": info.sample_rate, "seconds": f"{info.seconds:.2f}"}
    if info.frames <= 0:
        raise ServerFailed("speech.no_frames", **facts)
    level = speech_level(body, info)
    if level is not None and level < SILENCE_RMS:
        raise ServerFailed("speech.silent", level=_dbfs(level), **facts)
    if expected_rate and info.sample_rate != expected_rate:
        raise ServerFailed("speech.wrong_rate", expected=expected_rate, **facts)
    if text:
        low, high = plausible_seconds(text, speed)
        if info.seconds < low:
            raise ServerFailed("speech.too_short", low=f"{low:.2f}", text=text, **facts)
        if info.seconds > high:
            raise ServerFailed("speech.too_long", high=f"{high:.1f}", text=text, **facts)
    return info


def plausible_seconds(text: str, speed: float = 1.0) -> tuple[float, float]:
    """(shortest, longest) plausible duration for `text`: CJK characters, words and numbers count."""
    units = len(_UNIT.findall(text or ""))
    if units == 0:
        return 0.0, float("inf")
    speed = speed if speed and speed > 0 else 1.0
    return MIN_SECONDS_PER_UNIT * units / speed, (MAX_EXTRA_SECONDS + MAX_SECONDS_PER_UNIT * units) / speed


def speech_level(body: bytes, info: WavInfo) -> float | None:
    """RMS of the samples as a fraction of full scale; None for a sample format not measured
    here (8/24-bit, a-law, mu-law). Long answers are sampled (every n-th value)."""
    from array import array
    import sys

    kinds = {("pcm", 2): ("h", 32768.0), ("pcm", 4): ("i", 2147483648.0), ("float", 4): ("f", 1.0)}
    kind = kinds.get((info.format, info.sample_width))
    if kind is None:
        return None
    code, full = kind
    width = info.sample_width
    data = body[info.data_offset : info.data_offset + info.frames * info.channels * width]
    samples = array(code)
    samples.frombytes(data[: len(data) - len(data) % width])
    if sys.byteorder != "little":
        samples.byteswap()
    if not samples:
        return 0.0
    step = max(1, len(samples) // 200_000)
    picked = samples[::step]
    return math.sqrt(sum(float(x) * x for x in picked) / len(picked)) / full


def _dbfs(level: float) -> str:
    return "-inf" if level <= 0 else f"{20 * math.log10(level):.0f}"


# --- any format -----------------------------------------------------------------


def measure(path: Path | str, ffprobe: Path | None = None, timeout: float = FFPROBE_TIMEOUT) -> float:
    """Duration in seconds: WAV (by content) directly, anything else through ffprobe.

    Without `ffprobe`, a non-WAV file raises `BadInput("audio.need_ffprobe")`
    (a `.wav` that is not RIFF raises `audio.not_wav`).
    """
    path = Path(path)
    seconds = _wav_seconds_one_open(path)
    if seconds is not None:
        return seconds
    if not path.is_file():
        raise MissingFile("audio.not_found", path=str(path))
    if is_riff_wave(path):
        return wav_info(path).seconds
    if ffprobe is None:
        if path.suffix.lower() == ".wav":
            raise _not_wav(path, "no RIFF/WAVE header")
        raise BadInput("audio.need_ffprobe", path=str(path))
    return _ffprobe_seconds(path, Path(ffprobe), timeout)


def _wav_seconds_one_open(path: Path) -> float | None:
    """The common case of `measure` (a readable regular RIFF/WAVE file) with one open
    and one fstat, instead of is_file + is_riff_wave + wav_info's own checks (3 stats,
    2 opens): `list` and pack scans measure every reference. None: anything else,
    which `measure` then handles exactly as before."""
    try:
        # O_NONBLOCK: a FIFO named .wav must not block the open (is_file() said no to it)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
    except OSError:
        st = None
    if st is None or not stat.S_ISREG(st.st_mode):
        os.close(fd)
        return None
    with os.fdopen(fd, "rb") as f:
        try:
            head = f.read(12)
        except OSError:
            return None
        if len(head) != 12 or head[0:4] not in (b"RIFF", b"RF64") or head[8:12] != b"WAVE":
            return None
        try:
            f.seek(0)
            return _read_wav(path, f, st.st_size).seconds
        except OSError as e:
            raise LauncherError("fs.read_failed", path=str(path), reason=str(e)) from e


def _ffprobe_seconds(path: Path, ffprobe: Path, timeout: float) -> float:
    cmd = [
        str(ffprobe),
        "-v",
        "error",
        "-show_entries",
        "format=duration",
        "-of",
        "default=noprint_wrappers=1:nokey=1",
        str(path),
    ]
    try:
        done = subprocess.run(
            cmd,
            capture_output=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
    except subprocess.TimeoutExpired:
        raise BadInput("audio.probe_failed", path=str(path), reason=f"ffprobe timed out after {timeout:g} s")
    except OSError as e:
        raise BadInput("audio.probe_failed", path=str(path), reason=str(e)) from e
    out = done.stdout.decode("utf-8", "replace").strip()
    err = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0:
        raise BadInput("audio.probe_failed", path=str(path), reason=(err or f"exit code {done.returncode}")[:300])
    for line in out.splitlines():
        try:
            value = float(line.strip())
        except ValueError:
            continue
        if value == value and value >= 0:  # not NaN
            return value
    raise BadInput("audio.probe_failed", path=str(path), reason=(out or err or "no duration")[:300])


# --- writing (tests, demo) ---------------------------------------------------------


def write_wav(
    path: Path | str,
    seconds: float | None = None,
    rate: int = 32000,
    channels: int = 1,
    *,
    frames: int | None = None,
    sample_width: int = 2,
) -> Path:
    """Write a silent PCM WAV of `seconds` (or exactly `frames`) and return its path."""
    path = Path(path)
    if frames is None:
        if seconds is None:
            raise ValueError("give seconds or frames")
        frames = int(round(seconds * rate))
    block_align = channels * sample_width
    data_size = frames * block_align
    silence = b"\x80" if sample_width == 1 else b"\x00"
    fmt = struct.pack("<HHIIHH", WAVE_FORMAT_PCM, channels, rate, rate * block_align, block_align, sample_width * 8)
    pad = b"\x00" if data_size & 1 else b""
    riff_size = 4 + (8 + len(fmt)) + (8 + data_size + len(pad))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        f.write(b"RIFF" + struct.pack("<I", riff_size) + b"WAVE")
        f.write(b"fmt " + struct.pack("<I", len(fmt)) + fmt)
        f.write(b"data" + struct.pack("<I", data_size))
        chunk = silence * min(data_size, 1 << 20)
        left = data_size
        while left > 0:
            piece = chunk[: min(left, len(chunk))]
            f.write(piece)
            left -= len(piece)
        f.write(pad)
    return path
