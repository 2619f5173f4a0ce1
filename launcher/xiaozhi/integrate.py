"""Profiles meet xiaozhi: the TTS block for a (planned or running) server, and `say`.

`launcher.xiaozhi.config` edits xiaozhi's files from plain values; this
module turns a launch plan into those values, so both `start` (after ready)
and `xiaozhi <profile>` write the same block, and `say` sends the same request
xiaozhi will.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from launcher.gsv import capabilities
from launcher.gsv import client as gsv_api
from launcher.errors import BadInput, LauncherError, NotRunning, ServerFailed
from launcher.fsio import write_atomic
from launcher.paths import Layout, Settings
from launcher.profiles.schema import Profile
from launcher.server.registry import Registry
from launcher.server.plan import LaunchPlan, plan_start
from launcher.xiaozhi.block import TtsTarget
from launcher.xiaozhi.config import say_request
from launcher.xiaozhi.provider import check_answer


def xiaozhi_target(
    plan: LaunchPlan,
    *,
    advertise_host: str | None = None,
    module: str | None = None,
    emotion: str | None = None,
) -> TtsTarget:
    profile = plan.profile
    ref = str(plan.ref_path) if plan.ref_path else ""
    prompt_text, prompt_lang = profile.prompt_text, profile.prompt_lang
    if emotion is not None:
        chosen = profile.emotions.get(emotion)
        if chosen is None:
            raise BadInput(
                "say.unknown_emotion", emotion=emotion, profile=profile.title, known=", ".join(profile.emotions) or "-"
            )
        ref = str(profile.resolve(chosen.ref_audio, plan.root))
        prompt_text = chosen.prompt_text
        prompt_lang = chosen.prompt_lang or prompt_lang
    caps = plan.capabilities or capabilities.read(plan.root)
    return TtsTarget(
        api=plan.api,
        url_host=advertise_host or plan.host,
        port=plan.port,
        ref_audio=ref,
        prompt_text=prompt_text,
        prompt_lang=prompt_lang,
        text_lang=profile.text_lang,
        params=dict(profile.params),
        module=module,
        release_fields=frozenset(capabilities.request_extras(caps, plan.api, profile.params, plan.sovits_version)),
    )


def xiaozhi_dir(settings: Settings) -> Path:
    if not settings.xiaozhi_dir:
        raise BadInput("xiaozhi.not_set")
    return Path(settings.xiaozhi_dir)


def running_plan(profile: Profile, *, layout: Layout, settings: Settings) -> LaunchPlan:
    """The plan of the profile's running server (its real API and port), else of the profile as written."""
    running = Registry(layout.registry_file).find(profile=profile.name)
    if running:
        rec = running[0]
        return plan_start(profile, layout=layout, settings=settings, api=rec.api, host=rec.host, port=rec.port,
                          root=rec.root)
    return plan_start(profile, layout=layout, settings=settings)


SAY_TIMEOUT = 600.0  # a long text on a CPU takes minutes
LOG_TAIL_LINES = 15


def failed_on_request(plan: LaunchPlan, url: str, exc: gsv_api.Dropped) -> ServerFailed:
    """A server took the request and never answered it: it failed on this request (still
    running, or ended by it). Its log's last lines say why."""
    from launcher.server.logfiles import tail_lines

    try:
        tail = tail_lines(plan.log_path, LOG_TAIL_LINES)
    except OSError:
        tail = []  # started by hand: its own window has the output
    if exc.timed_out:
        key = "xiaozhi.say.timeout"
    else:
        key = "xiaozhi.say.dropped" if _still_listening(plan) else "xiaozhi.say.died"
    return ServerFailed(key, url=url, profile=plan.profile.name, log=str(plan.log_path), reason=exc.reason,
                        details=tail)


def _still_listening(plan: LaunchPlan, checks: int = 5, interval: float = 0.2) -> bool:
    """Whether the port keeps accepting for a second: a killed server's connection can be
    reset a moment before its listening socket closes."""
    import time

    for _ in range(checks):
        if not gsv_api.port_accepts(plan.host, plan.port):
            return False
        time.sleep(interval)
    return True


@dataclass
class SayResult:
    path: str
    seconds: float
    sample_rate: int
    ttfb_seconds: float
    url: str
    method: str


def speech_check(plan: LaunchPlan, request) -> Callable:
    """`check(status, body, cut=False)`: the answer to `request` is real speech, as `say` and
    the warm-up check it (the model's rate, a length plausible for the text), else the
    error with its likely cause on this release and the server's last log lines."""
    from launcher.gsv import answers

    sent = dict(request.json or {}) or dict(request.params or [])
    expect = answers.Expect.of(
        plan.sovits_version, sent.get("text"), speed=sent.get("speed_factor", sent.get("speed", 1.0)),
        super_sampling=str(sent.get("super_sampling", sent.get("if_sr", False))).lower() == "true",
    )

    def check(status: int, body: bytes, cut: bool = False):
        try:
            return check_answer(status, body, expect, cut=cut)
        except LauncherError as exc:
            if not exc.key.startswith("speech."):
                raise
            caps = plan.capabilities or capabilities.read(plan.root)
            raise answers.explain(exc, caps=caps, api=plan.api, version=plan.sovits_version,
                                  log_lines=answers.read_log(plan.log_path)) from exc

    return check


def say(
    plan: LaunchPlan,
    text: str,
    out: Path,
    *,
    settings: Settings,
    emotion: str | None = None,
) -> SayResult:
    """Send exactly xiaozhi's request to the running server; check and save the WAV."""
    target = xiaozhi_target(plan, emotion=emotion)
    xdir = Path(settings.xiaozhi_dir) if settings.xiaozhi_dir else None
    req = say_request(target, text, xdir)
    cut = False
    try:
        answer = gsv_api.request(req.method, req.full_url(), json=req.json, timeout=SAY_TIMEOUT)
    except gsv_api.AnswerCut as exc:  # it answered 200 and then broke off: an answer without audio
        answer, cut = gsv_api.Response(exc.status, {}, exc.partial, 0.0, 0.0, exc.url), True
    except gsv_api.Dropped as exc:
        raise failed_on_request(plan, req.url, exc) from exc
    except OSError as exc:
        raise NotRunning("xiaozhi.say.not_running", url=req.url, profile=plan.profile.name) from exc
    info = speech_check(plan, req)(answer.status, answer.body, cut=cut)
    write_atomic(out, answer.body)
    return SayResult(str(out), info.seconds, info.sample_rate, answer.ttfb_seconds, req.url, req.method)
