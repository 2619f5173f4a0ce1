"""Why a server answered without usable audio, on the release the package is.

`launcher.audio.check_speech` says *what* was wrong with an answer (empty, cut, silence, a
wrong rate, a wrong length); this module adds *why*, from what upstream's code does at each
release and from the server's last log lines, and returns the error the user sees: the
cause as the message key when one is known, the log tail as details.

The causes (research: GPT-SoVITS per release, "HTTP 200 without audio"):
- api.py catches every error while loading weights, opens the port anyway and then cuts
  every answer after its 200 (the log lacks the "模型版本" line);
- api.py cuts an answer after its 200 for any error inside synthesis (unknown language...);
- api_v2.py answers any error inside inference with 1 s of zeros (32 kHz up to 20250228v3,
  16 kHz after), printing a traceback;
- 20250606v2pro: after switching a running api_v2.py from v2 to v2Pro, the cached reference
  lacks the speaker embedding -> silence; super-sampling (v3) without its model -> silence
  (20250422v4, 20250606v2pro); fp16 on the CPU (up to 20250606v2pro, which keeps it) ->
  silence; a missing weights file made api_v2.py fall back to a pretrained voice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from launcher import audio
from launcher.errors import LauncherError, ServerFailed
from launcher.gsv.capabilities import PRO, Capabilities, expected_rate

LOG_LINES = 12  # how much of the server's log an explanation shows
LOG_READ_BYTES = 2 * 1024 * 1024  # the end of a long log is enough to judge


@dataclass(frozen=True)
class Expect:
    """What a real answer to one request looks like: the model's rate and the text spoken."""

    rate: int | None = None
    text: str | None = None
    speed: float = 1.0

    @classmethod
    def of(cls, version: str | None, text: str | None, *, super_sampling: bool = False, speed=1.0) -> "Expect":
        rate = expected_rate(version, super_sampling) if version else None
        try:
            speed = float(speed) if speed else 1.0
        except (TypeError, ValueError):
            speed = 1.0
        return cls(rate, text, speed)


def check(body: bytes, expect: Expect, *, cut: bool = False) -> audio.WavInfo:
    """`audio.check_speech` on an answer; an answer cut after its 200 is `speech.cut`."""
    if cut:
        raise ServerFailed("speech.cut", size=len(body))
    return audio.check_speech(body, expect.rate, expect.text, speed=expect.speed)


def read_log(path: Path | str | None) -> list[str]:
    """The server's log as lines (its last 2 MB); [] when there is none."""
    if not path:
        return []
    try:
        with open(path, "rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - LOG_READ_BYTES))
            data = fh.read()
    except OSError:
        return []
    return data.decode("utf-8", "replace").splitlines()


def explain(
    error: LauncherError,
    *,
    caps: Capabilities | None,
    api: str,
    version: str | None,
    log_lines: list[str] | None = None,
    switched: bool = False,
) -> LauncherError:
    """The error to show for an answer `check_speech` refused (or `speech.cut`)."""
    lines = list(log_lines or [])
    kind = error.key.split(".", 1)[1] if error.key.startswith("speech.") else None
    cause = _cause(kind, caps, api, version, lines, switched) if kind else None
    params = dict(error.params)
    params.update(
        script="api.py" if api == "v1" else "api_v2.py",
        release=(caps.release if caps and caps.release else "?"),
        version=version or "?",
    )
    key = f"speech.cause.{cause}" if cause else error.key
    return ServerFailed(key, details=lines[-LOG_LINES:], **params)


def _mentions(lines: list[str], *needles: str) -> bool:
    return any(needle in line for line in lines for needle in needles)


def _cause(kind: str, caps: Capabilities | None, api: str, version: str | None, lines: list[str],
           switched: bool) -> str | None:
    release = caps.release if caps else None
    if _mentions(lines, "fall back to default vits_weights_path", "fall back to default t2s_weights_path"):
        return "fallback_weights"
    if kind in ("empty", "cut", "no_frames") and api == "v1":
        # api.py logs "模型版本: vX" once its weights loaded; a port open without it had none
        if _mentions(lines, "Uvicorn running") and not _mentions(lines, "模型版本"):
            return "v1_not_loaded"
        return "v1_failed" if kind != "no_frames" else None
    if kind not in ("silent", "wrong_rate", "too_short"):
        return None
    if _mentions(lines, "超分模型"):
        return "no_sr_model"
    if _mentions(lines, "for 'Half'", "Half precision"):
        return "half_on_cpu"
    if api == "v2" and switched and release == "20250606v2pro" and version in PRO:
        return "v2pro_switch"
    if api == "v2" and kind == "silent" and _mentions(lines, "Traceback"):
        return "v2_error_silence"
    if api == "v2" and kind == "silent" and version in ("v3", "v4") and release in ("20250422v4", "20250606v2pro"):
        return "v34_lost"
    return None


__all__ = ["Expect", "check", "explain", "read_log", "LOG_LINES"]
