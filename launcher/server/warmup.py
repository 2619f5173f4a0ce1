"""Warm-up: one real synthesis before "ready", so xiaozhi's first request is not the slow one.

Upstream loads a lot lazily on the first /tts (research-gsv §H): the text front-end
of each language (g2pW's ONNX session for v2 Chinese, jieba's dictionary, g2p_en),
language detection, the reference's features, CUDA kernels. Measured on the real
api_v2.py: the first request 4.3 s, the next ones 1.2 s. So after GET /openapi.json
answers, the launcher sends the request xiaozhi will send (built by the caller with
the profile's own reference and settings: launcher.xiaozhi.provider) with a short
text, checks that the answer is real audio, and only then calls the server ready.

A failure here is a failed start: the server's last log lines and, when its output
names a known failure (CUDA out of memory in the first inference), that explanation.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from launcher.errors import LauncherError, Notice, ServerFailed
from launcher.gsv import client as gsv_api
from launcher.gsv import failures
from launcher.server.registry import process_matches
from launcher.server.watch import FailureHandler, LineHandler, Server, TickHandler, server_error

WARM_TIMEOUT = 300.0  # a first inference on a CPU, or a g2pW model being downloaded, takes minutes
TICK = 0.05

# One short sentence per front-end. Upstream's "zh" and "auto" mean mixed text
# (中英混合, 多语种混合): both front-ends load, as they will for an LLM's answer.
_TEXTS = {"zh": "你好，hello。", "en": "Hello.", "ja": "こんにちは。", "ko": "안녕하세요.", "yue": "你好，hello。"}
_ONLY = {"all_zh": "你好。", "all_yue": "你好。", "all_ja": "こんにちは。", "all_ko": "안녕하세요."}
_MIXED = "你好，hello。"


def warm_text(text_lang: str | None) -> str:
    """A short text in the profile's text language (mixed Chinese/English when it mixes)."""
    code = (text_lang or "zh").lower()
    return _ONLY.get(code) or _TEXTS.get(code) or _MIXED


@dataclass
class WarmResult:
    seconds: float  # the first synthesis, end to end
    audio_seconds: float
    sample_rate: int


# check(status, body, cut=False) -> an object with .seconds and .sample_rate; raises a
# LauncherError unless the answer is real speech (launcher.xiaozhi.provider.check_answer with
# what this request should give; `cut`: the answer broke off after its status line).
Check = Callable[..., Any]


def warm_up(
    server: Server,
    request: Any,
    check: Check,
    *,
    timeout: float = WARM_TIMEOUT,
    on_line: LineHandler | None = None,
    on_tick: TickHandler | None = None,
    on_failure: FailureHandler | None = None,
) -> WarmResult:
    """Send `request` (a provider Request: .method, .full_url(), .json) to the ready server
    and check the answer; raise like a failed start when it is not real audio."""
    started = time.monotonic()
    box: dict = {}

    def send() -> None:
        try:
            box["answer"] = gsv_api.request(request.method, request.full_url(), json=request.json, timeout=timeout)
        except BaseException as exc:  # handed to the waiting thread
            box["error"] = exc

    sender = threading.Thread(target=send, name="warm-up", daemon=True)
    sender.start()
    fatal = None
    last = ""
    while sender.is_alive():
        for line in server.log.new_lines():
            last = line or last
            if on_line:
                on_line(line)
            failure = failures.match_line(line)
            if failure and failure.fatal and fatal is None:
                fatal = failure
        if _ended(server):
            break
        elapsed = time.monotonic() - started
        if elapsed > timeout:
            raise server_error(server, "warmup.timeout", {"seconds": int(timeout)}, "", timeout=True)
        if on_tick:
            on_tick(elapsed, last)
        sender.join(TICK)
    for line in server.log.new_lines():
        if on_line:
            on_line(line)
        failure = failures.match_line(line)
        if failure and failure.fatal and fatal is None:
            fatal = failure
    seconds = time.monotonic() - started
    if "error" in box:
        # A dropped connection first, the process's end a moment later (a kill closes the
        # socket before the exit is visible): wait for it, to say "died", not "dropped".
        deadline = time.monotonic() + 1.0
        while not _ended(server) and time.monotonic() < deadline:
            time.sleep(TICK)
    if _ended(server):
        code = server.process.poll() if server.process is not None else None
        explained = failures.explain_exit(code, list(server.log.lines))
        key, params = explained if explained else ("warmup.died", {"code": code})
        raise server_error(server, key, params, "")
    if fatal is not None:
        raise server_error(server, fatal.key, fatal.params, fatal.line)
    cut = isinstance(box.get("error"), gsv_api.AnswerCut)  # 200, then no audio: api.py's way to fail
    if "error" in box and not cut:
        error = box["error"]
        if not isinstance(error, OSError):
            raise error
        raise server_error(server, "warmup.dropped", {"reason": str(error) or type(error).__name__}, "")
    try:
        if cut:
            info = check(box["error"].status, box["error"].partial, cut=True)
        else:
            info = check(box["answer"].status, box["answer"].body)
    except LauncherError as exc:
        if on_failure:
            on_failure(Notice("warmup.failed", profile=server.plan.profile.title, seconds=f"{seconds:.1f}"))
        params = {**exc.params, "profile": server.plan.profile.title, "log": str(server.plan.log_path)}
        raise ServerFailed(exc.key, details=exc.details or list(server.log.tail), **params) from None
    return WarmResult(seconds, info.seconds, info.sample_rate)


def _ended(server: Server) -> bool:
    if server.process is not None:
        return server.process.poll() is not None
    return not process_matches(server.record.pid, server.record.create_time)


__all__ = ["WARM_TIMEOUT", "WarmResult", "warm_text", "warm_up"]
