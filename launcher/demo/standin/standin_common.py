"""What GPT-SoVITS's `api.py` and `api_v2.py` stand-ins share: output, i18n, weights, audio.

The stand-in servers are a handful of files copied into the root of a fake GPT-SoVITS
package (`launcher/demo/fake_package.py`), where they run like upstream's scripts with the
package root as working directory (upstream appends it to sys.path):

  api.py, api_v2.py    written per release (launcher/demo/releases.py): the request fields
                       that release declares, then they run the two modules below
  standin_api.py       upstream api.py (v1), no torch
  standin_api_v2.py    upstream api_v2.py (v2)
  standin_tts.py       GPT_SoVITS/TTS_infer_pack/TTS.py: TTS_Config (reads and rewrites
                       the -c yaml with PyYAML, as upstream) and TTS
  standin_release.py   which release they behave as (standin_release.json, STANDIN_RELEASE)
  standin_fastapi.py   what FastAPI, Starlette and pydantic do that a client sees
  standin_uvicorn.py   what uvicorn does: start-up, bind errors, log lines, signals
  standin_common.py    this file

They never import the launcher (they are the *server* side of its tests): the standard
library, plus PyYAML for the v2 yaml. Mirrors RVC-Boss/GPT-SoVITS at its release tags
20240821v2, 20250228v3, 20250422v4, 20250606v2pro and main at 48b1a0169a28 (2026-08-18),
and uvicorn e6c7ce7; observations in shared/research/upstream-observed.md.

Not faithful (no torch here): the audio is a quiet sine tone, 0.1 s per character
(min 0.5 s), divided by the speed factor; references must be RIFF/WAVE (upstream also
decodes mp3/flac/ogg); `media_type=ogg` returns WAV bytes labelled audio/ogg; aac runs
the real `ffmpeg` like upstream (fails the same way when it is missing); a zip-format
("PK") SoVITS file is taken as v2 (upstream reads the weights to tell v1 from v2);
there is no GPU (CUDA is never available, as on CI: `device: cuda` falls back to the CPU
since 20250422v4, and fails to load before); an error inside inference is one of the
known ones (fp16 on the CPU, a half-done v3/v4 swap, v2 -> v2Pro with the same reference,
super-sampling without its model), answered as that release answers it.

Environment:
  STANDIN_LOAD_SECONDS   simulated model load time before the port opens (default 1.0)
  STANDIN_SYNTH_SECONDS  extra time per synthesis (default 0)
  STANDIN_FIRST_SYNTH_SECONDS  extra time for the first synthesis in each text language, as
                         upstream loads its text front-ends, language detection and the
                         reference's features on first use (default 0.2; "first_use" event)
  STANDIN_SWAP_SECONDS   extra time per weight swap after start-up (default 0)
  STANDIN_REQUEST_LOG    append one JSON line per event: start, load_gpt, load_sovits,
                         save_config, listening, bind_failed, request, response,
                         control, shutdown
  STANDIN_RELEASE        behave as another release of standin_release.json
"""

from __future__ import annotations

import io
import json
import locale
import math
import os
import signal
import struct
import subprocess
import sys
import threading
import time
import warnings
import wave
import zipfile
from array import array

# Punctuation that may end a prompt text (api.py `splits`, TTS.py `splits`).
SPLITS = {"，", "。", "？", "！", ",", ".", "?", "!", "~", ":", "：", "—", "…"}

# --- output: print() and the request log ------------------------------------------------

_io_lock = threading.Lock()
_log_lock = threading.Lock()
_flavor = "?"


def out(*parts: object) -> None:
    """print() to stdout, flushed (upstream prints; PYTHONUNBUFFERED makes them live)."""
    write(sys.stdout, " ".join(str(p) for p in parts) + "\n")


def write(stream, text: str) -> None:
    with _io_lock:
        try:
            stream.write(text)
            stream.flush()
        except (OSError, ValueError):
            pass


def record(event: str, **fields: object) -> None:
    """Append one JSON line to $STANDIN_REQUEST_LOG (tests and benchmarks read it)."""
    path = os.environ.get("STANDIN_REQUEST_LOG")
    if not path:
        return
    entry = {"event": event, "t": time.time(), "pid": os.getpid(), "flavor": _flavor}
    entry.update(fields)
    line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
    with _log_lock:
        try:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(line)
        except OSError:
            pass


def started(flavor: str) -> None:
    """The first thing each script does: say which one runs, with what argv and cwd."""
    global _flavor
    _flavor = flavor
    record("start", argv=list(sys.argv), cwd=os.getcwd(), executable=sys.executable)


def flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass


def env_float(name: str, default: float) -> float:
    try:
        return max(0.0, float(os.environ.get(name, default)))
    except ValueError:
        return default


_used_languages: set = set()
_first_use_lock = threading.Lock()


def first_use(language: object) -> None:
    """The first synthesis in a text language is slow upstream (lazy imports, g2pW, the
    reference's features, CUDA set-up): STANDIN_FIRST_SYNTH_SECONDS, once per language."""
    with _first_use_lock:
        first = language not in _used_languages
        _used_languages.add(language)
    if first:
        seconds = env_float("STANDIN_FIRST_SYNTH_SECONDS", 0.2)
        record("first_use", language=language, seconds=seconds)
        time.sleep(seconds)


def handle_control(command: object, python_exec: str, argv: list) -> None:
    """`/control`: "restart" replaces this process by a fresh run of the same command line
    (os.execl), "exit" signals itself with SIGTERM; anything else does nothing (200, null)."""
    record("control", command=command)
    if command == "exit":
        os.kill(os.getpid(), signal.SIGTERM)
        sys.exit(0)
    if command == "restart":
        flush_output()
        os.execl(python_exec, python_exec, *argv)


# --- i18n: which language the messages upstream translates come out in ------------------------
#
# Upstream's tools/i18n/i18n.py picks the language from the env `language`, a locale name as
# the last command-line argument, else the system locale; unknown -> en_US. Its tables map the
# Chinese text to each language. The stand-ins carry the two languages the launcher meets and
# matches (zh_CN, en_US); any other locale answers in English here.

LOCALES = (
    "en_US", "es_ES", "fr_FR", "it_IT", "ja_JP", "ko_KR", "pt_BR", "ru_RU", "tr_TR", "zh_CN", "zh_HK", "zh_SG", "zh_TW",
)
REF_RANGE = "参考音频在3~10秒范围外，请更换！"
NO_PATH = "路径不存在,使用默认配置"
AUX_MISSING = "音频文件不存在，跳过："
PROMPT_TEXT = "实际输入的参考文本:"
ENGLISH = {
    REF_RANGE: "Reference audio is outside the 3-10 second range, please choose another one!",
    NO_PATH: "Paths Not Found, Using Default Config",
    AUX_MISSING: "Audio File Not Found, Skipping: ",
    PROMPT_TEXT: "Actual Input Reference Text:",
}


def _system_locale() -> str | None:
    """The locale code the system reports (locale.getdefaultlocale: deprecated, still there)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return locale.getdefaultlocale()[0]  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        pass
    for var in ("LC_ALL", "LC_CTYPE", "LANG", "LANGUAGE"):
        code = os.environ.get(var, "").split(":")[0].split(".")[0].split("@")[0]
        if code:
            return None if code in ("C", "POSIX") else code
    return None


def pick_language() -> str:
    chosen = os.environ.get("language", "Auto")
    if len(sys.argv) > 1 and sys.argv[-1] in LOCALES:
        chosen = sys.argv[-1]
    if chosen in ("Auto", None):
        chosen = _system_locale()
    return chosen if chosen in LOCALES else "en_US"


class I18nAuto:
    """`i18n(text)`: the Chinese text, or its English form outside the Chinese locales."""

    def __init__(self) -> None:
        self.language = pick_language()
        self.table = {} if self.language.startswith("zh") else ENGLISH

    def __call__(self, key: str) -> str:
        return self.table.get(key, key)


# --- weights: what torch.load / process_ckpt.py would say, without torch ------------------

# The 2-byte head that process_ckpt.py writes over a SoVITS file's "PK": (symbols, model, LoRA).
HEADS = {
    b"00": ("v1", "v1", False),
    b"01": ("v2", "v2", False),
    b"02": ("v2", "v3", False),
    b"03": ("v2", "v3", True),
    b"04": ("v2", "v4", True),
    b"05": ("v2", "v2Pro", False),
    b"06": ("v2", "v2ProPlus", False),
}
SV_PATH = "GPT_SoVITS/pretrained_models/sv/pretrained_eres2netv2w24s4ep4.ckpt"
AP_BWE = "tools/AP_BWE_main/24kto48k/g_24kto48k.zip"  # the 24 -> 48 kHz super-sampling model
SR_MODEL_MISSING = "你没有下载超分模型的参数，因此不进行超分。如想超分请先参照教程把文件下载好"
BIGVGAN_DIR = "GPT_SoVITS/pretrained_models/models--nvidia--bigvgan_v2_24khz_100band_256x"
VOCODER_V4 = "GPT_SoVITS/pretrained_models/gsv-v4-pretrained/vocoder.pth"


class UnpicklingError(Exception):
    """Stands for _pickle.UnpicklingError (same name in the traceback's last line)."""


UnpicklingError.__module__ = "_pickle"


def torch_load_check(path: object, data: bytes | None = None) -> None:
    """Fail like torch.load(path) would on this file; return when it would load.

    Missing file -> FileNotFoundError from open(); empty -> EOFError('Ran out of input');
    not a zip (legacy pickle path) -> UnpicklingError('invalid load key, ...');
    'PK' but broken -> RuntimeError(PytorchStreamReader ...).
    """
    if data is None:
        if not isinstance(path, (str, bytes, os.PathLike)):
            name = type(path).__name__
            raise AttributeError(
                f"'{name}' object has no attribute 'tell'. You can only torch.load from a file that is "
                "seekable. Please pre-load the data into a buffer like io.BytesIO and try to load from it instead."
            )
        with open(path, "rb") as fh:
            data = fh.read()
    if len(data) == 0:
        raise EOFError("Ran out of input")
    if data[:2] != b"PK":
        raise UnpicklingError(f"invalid load key, {data[:1].decode('latin-1')!r}.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            zf.namelist()
    except zipfile.BadZipFile:
        raise RuntimeError(
            "PytorchStreamReader failed reading zip archive: failed finding central directory"
        ) from None


def sovits_version_fast(path: str) -> tuple[str, str, bool]:
    """The version process_ckpt.py reads from a SoVITS file: its head, else (a plain zip) its size.

    Upstream first compares the md5 of the first 8 KB with its pretrained models; the fake
    ones of the stand-in package carry a head instead, so that step is left out.
    """
    with open(path, "rb") as fh:
        head = fh.read(2)
    if head != b"PK":
        if head not in HEADS:
            raise KeyError(head)
        return HEADS[head]
    size = os.path.getsize(path)
    if size < 82978 * 1024:
        return "v1", "v1", False
    return ("v2", "v2", False) if size < 700 * 1024 * 1024 else ("v2", "v3", False)


def sovits_file_version(path: str) -> tuple[str, str, bool]:
    """What this release's loader makes of a SoVITS file: (symbols, model version, LoRA).

    Before 20250422v4 the servers torch.load the file as it is: any head but "PK" fails to
    unpickle, and a zip is taken as v2 (its text embedding would tell v1; not read here).
    Later releases read the head, and know only the heads of their time (KeyError otherwise).
    """
    import standin_release

    known = standin_release.facts()["heads"]
    if known is None:
        torch_load_check(path)
        return "v2", "v2", False
    with open(path, "rb") as fh:
        head = fh.read(2)
    if head != b"PK" and head.decode("latin-1") not in known:
        raise KeyError(head)
    return sovits_version_fast(path)


def inference_error(exc: BaseException) -> None:
    """What upstream prints for an error inside TTS.run before answering silence."""
    write(sys.stderr, "Traceback (most recent call last):\n  (stand-in)\n"
          f"{type(exc).__module__ + '.' if type(exc).__module__ not in ('builtins', '__main__') else ''}"
          f"{type(exc).__name__}: {exc}\n")


def load_sovits_check(path: str) -> str:
    """process_ckpt.load_sovits_new: a non-'PK' head is replaced by 'PK' before torch.load.

    Returns the symbol-set version the weights would give ('v1' only for a '00' head: the
    stand-in cannot look at enc_p.text_embedding.weight).
    """
    with open(path, "rb") as fh:
        data = fh.read()
    head = data[:2]
    if head != b"PK":
        data = b"PK" + data[2:]
    torch_load_check(path, data)
    return "v1" if head == b"00" else "v2"


def transformers_dir_check(path: str) -> None:
    """AutoTokenizer/AutoModel.from_pretrained(path) on a folder that is not there."""
    if not os.path.isdir(path):
        raise OSError(
            f"Incorrect path_or_model_id: '{path}'. Please provide either the path to a local folder "
            "or the repo_id of a model on the Hub."
        )


# --- audio ----------------------------------------------------------------------------------


class NoBackendError(Exception):
    """audioread.exceptions.NoBackendError: what librosa ends with on a file it cannot decode."""


NoBackendError.__module__ = "audioread.exceptions"


def read_audio_info(path: object) -> tuple[int, int, int]:
    """(frames, sample_rate, channels) of a RIFF/WAVE file (PCM, float or extensible).

    Errors as librosa.load would end: a missing file -> FileNotFoundError from open();
    None -> TypeError('Invalid file: None') (soundfile); undecodable -> NoBackendError().
    """
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise TypeError(f"Invalid file: {path!r}")
    with open(path, "rb") as fh:
        data = fh.read()
    if len(data) < 12 or data[:4] not in (b"RIFF", b"RF64") or data[8:12] != b"WAVE":
        raise NoBackendError()
    pos = 12
    rate = channels = block_align = 0
    data_size = None
    while pos + 8 <= len(data):
        cid = data[pos : pos + 4]
        size = struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body = pos + 8
        if cid == b"fmt " and size >= 16:
            _fmt, channels, rate, _bps, block_align, _bits = struct.unpack("<HHIIHH", data[body : body + 16])
        elif cid == b"data":
            data_size = min(size, len(data) - body)
            break
        pos = body + size + (size & 1)
    if not rate or not block_align or data_size is None:
        raise NoBackendError()
    return data_size // block_align, rate, channels


def samples_at_16k(frames: int, rate: int) -> int:
    """librosa.load(path, sr=16000) length: librosa.resample fixes it to ceil(n * 16000 / sr)."""
    if rate == 16000:
        return frames
    return int(math.ceil(frames * 16000 / rate))


def tone_pcm(seconds: float, rate: int, sampwidth: int = 2, silent: bool = False) -> bytes:
    """A quiet 200 Hz sine (200 Hz divides 16/24/32/48 kHz, so one period tiles exactly)."""
    frames = max(0, int(round(seconds * rate)))
    if frames == 0:
        return b""
    period = max(1, rate // 200)
    typecode = "h" if sampwidth == 2 else "i"
    amp = 0 if silent else (0.1 * (32767 if sampwidth == 2 else 2147483647))
    one = array(typecode, (int(amp * math.sin(2 * math.pi * n / period)) for n in range(period)))
    if sys.byteorder != "little":
        one.byteswap()
    raw = one.tobytes() * (frames // period + 1)
    return raw[: frames * sampwidth]


def speech_seconds(text: str, speed: float) -> float:
    """How long the tone for `text` lasts: 0.1 s per character, at least 0.5 s, over the speed."""
    try:
        speed = float(speed) if speed else 1.0
    except (TypeError, ValueError):
        speed = 1.0
    if speed <= 0:
        speed = 1.0
    return max(0.5, 0.1 * len(text)) / speed


def wav_bytes(pcm: bytes, rate: int, sampwidth: int = 2, channels: int = 1) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(sampwidth)
        w.setframerate(rate)
        w.writeframes(pcm)
    return buf.getvalue()


def pack_aac(pcm: bytes, rate: int) -> bytes:
    """api_v2.py pack_aac: the real ffmpeg, or the error Popen gives when there is none."""
    process = subprocess.Popen(
        ["ffmpeg", "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0", "-c:a", "aac",
         "-b:a", "192k", "-vn", "-f", "adts", "pipe:1"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    data, _ = process.communicate(input=pcm)
    return data


def pack_audio(pcm: bytes, rate: int, media_type: str, sampwidth: int = 2) -> bytes:
    if media_type == "wav" or media_type == "ogg":  # ogg: WAV bytes (no Vorbis encoder in stdlib)
        return wav_bytes(pcm, rate, sampwidth)
    if media_type == "aac":
        return pack_aac(pcm, rate)
    return pcm
