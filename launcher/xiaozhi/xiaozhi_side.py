"""One synthesis by xiaozhi-server's own code, run by xiaozhi's own Python.

`sovits-launch xiaozhi check` sends this file's text to xiaozhi's interpreter on
stdin (`python - <text> <timeout>`), with the working directory set to the
xiaozhi-server folder (Docker: /opt/xiaozhi-esp32-server), as `python app.py`
runs. The launcher never imports it, and it imports nothing of the launcher:
only the standard library and xiaozhi's modules.

What it does, in xiaozhi's order: `config.config_loader` reads config.yaml and
data/.config.yaml (the 智控台 mode is detected first: xiaozhi would then fetch
its config from manager-api, with long retries); `selected_module.TTS` names the
block; `core.utils.tts.create_instance` builds the provider from the block's
`type`, as xiaozhi's `initialize_tts` does; `text_to_speak(text, None)` returns
the audio bytes, as xiaozhi calls it when `delete_audio` is on. The providers
send their request without a timeout: the requests made here get one.

The last output line is `SOVITS_LAUNCH_CHECK {json}` (xiaozhi's logger writes
its own lines before it). Exit code: 0 audio, 1 failure, 2 智控台 mode.
Python 3.8+ (xiaozhi's image has 3.10).
"""

import asyncio
import importlib.util
import io
import json
import os
import platform
import sys
import time
import traceback
import wave

MARK = "SOVITS_LAUNCH_CHECK "
# The third-party modules xiaozhi imports on this path, with their pip names.
PACKAGES = {
    "yaml": "PyYAML", "requests": "requests", "loguru": "loguru", "numpy": "numpy",
    "opuslib_next": "opuslib_next", "pydub": "pydub", "httpx": "httpx",
}
GSV_TYPES = ("gpt_sovits_v2", "gpt_sovits_v3", "gpt_sovits_v1")


def main(argv):
    text = argv[1] if len(argv) > 1 else "你好。"
    timeout = float(argv[2]) if len(argv) > 2 else 120.0
    result = {"ok": False, "python": sys.executable, "python_version": platform.python_version(), "stage": "start"}
    code = 1
    try:
        code = check(text, timeout, result)
    except ImportError as exc:
        result.update(error=describe(exc), missing=missing_packages(exc), trace=short_trace())
    except BaseException as exc:  # noqa: B902  (the provider's exception is the answer)
        result.update(error=describe(exc), trace=short_trace())
    sys.stdout.flush()
    print(MARK + json.dumps(result, ensure_ascii=True), flush=True)
    return code


def check(text, timeout, result):
    sys.path.insert(0, os.getcwd())
    limit_requests(timeout)
    result["stage"] = "config"
    from config.config_loader import get_project_dir, load_config, read_config

    custom = read_config(get_project_dir() + "data/.config.yaml")
    if not isinstance(custom, dict):
        result["error"] = "data/.config.yaml is empty or not a mapping"
        return 1
    api = custom.get("manager-api")
    if isinstance(api, dict) and api.get("url"):
        result.update(mode="manager-api", manager_url=str(api.get("url")))
        return 2
    config = asyncio.run(load_config())
    name = config["selected_module"]["TTS"]
    block = config["TTS"][name]
    kind = block.get("type", name)
    result.update(module=name, type=kind, url=block.get("url"))
    if kind not in GSV_TYPES:
        result.update(stage="module", error="not a GPT-SoVITS provider")
        return 1
    result["stage"] = "provider"
    from core.utils import tts

    delete_audio = str(config.get("delete_audio", True)).lower() in ("true", "1", "yes")
    provider = tts.create_instance(kind, block, delete_audio)
    result["stage"] = "synthesis"
    started = time.monotonic()
    audio = asyncio.run(provider.text_to_speak(text, None))
    result["seconds"] = round(time.monotonic() - started, 2)
    result["stage"] = "audio"
    return describe_audio(audio if isinstance(audio, (bytes, bytearray)) else b"", result)


def limit_requests(timeout):
    """xiaozhi's providers call requests without a timeout: give every request one."""
    try:
        import requests
    except ImportError:
        return  # the provider's own import says so, with the other missing packages
    original = requests.Session.request

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", timeout)
        return original(self, *args, **kwargs)

    requests.Session.request = request


def describe_audio(audio, result):
    result["bytes"] = len(audio)
    try:
        with wave.open(io.BytesIO(bytes(audio)), "rb") as w:
            rate, channels, width, frames = w.getframerate(), w.getnchannels(), w.getsampwidth(), w.getnframes()
    except (wave.Error, EOFError) as exc:
        head = bytes(audio[:120]).decode("utf-8", "replace")
        result.update(error="not WAV audio: %s" % exc, not_wav=True, head=head)
        return 1
    available = max(len(audio) - 44, 0) // max(channels * width, 1)
    frames = min(frames, available) if frames else available  # streaming WAVs write no size
    result.update(rate=rate, audio_seconds=round(frames / float(rate), 2) if rate else 0.0)
    result["ok"] = frames > 0
    if not result["ok"]:
        result["error"] = "the WAV has no audio frames"
    return 0 if result["ok"] else 1


def missing_packages(exc):
    """Every package of xiaozhi's list this interpreter lacks (empty when xiaozhi's own modules
    are what is missing: then the folder is wrong, not the interpreter)."""
    names = set()
    top = (getattr(exc, "name", None) or "").split(".")[0]
    if top in ("config", "core"):
        return []
    if top:
        names.add(PACKAGES.get(top, top))
    for module, package in PACKAGES.items():
        try:
            if importlib.util.find_spec(module) is None:
                names.add(package)
        except (ImportError, ValueError):
            names.add(package)
    return sorted(names)


def describe(exc):
    return "%s: %s" % (type(exc).__name__, exc)


def short_trace():
    return "".join(traceback.format_exc(limit=-4).splitlines(True)[-12:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
