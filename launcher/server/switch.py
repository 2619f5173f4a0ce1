"""Switch the character of a running server without a restart.

Loading a server takes tens of seconds to minutes; swapping weights takes about
one (research/upstream-observed.md). api_v2.py swaps with /set_gpt_weights and
/set_sovits_weights; api.py with /set_model (both together) and /change_refer
for its default reference. A swap that fails puts the previous weights back,
so the old character keeps running.

Whether a swap gives real audio depends on the package's release and the two model
versions (capabilities.hot_switch_ok): where it does not, `switch` leaves the server alone
and returns a notice saying why, and the caller restarts the server instead. A swap across
model versions is verified with one synthesis (gsv.answers.check); no real speech, or a
failed v3/v4 swap (which leaves api_v2.py half-switched), also ends in a restart.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from launcher.gsv import client as gsv_api
from launcher.errors import Notice, ServerFailed
from launcher.fsio import write_atomic
from launcher.server import hotswitch
from launcher.server.registry import Registry, ServerRecord
from launcher.server.plan import LaunchPlan


@dataclass
class SwitchResult:
    profile: str
    previous: str
    port: int
    pid: int
    seconds: float
    restart: Notice | None = None  # not switched: restart the server instead, for this reason


def switch_target(plan: LaunchPlan, registry: Registry) -> ServerRecord | None:
    """Our running, ready server on the plan's port with the same API and package, if any."""
    for rec in registry.servers():
        if rec.port != plan.port or rec.state != "ready":
            continue
        if rec.api == plan.api and rec.root == str(plan.root):
            return rec
    return None


def switch(plan: LaunchPlan, record: ServerRecord, registry: Registry) -> SwitchResult:
    started = time.monotonic()
    gpt, sovits = str(plan.gpt_path), str(plan.sovits_path)
    previous = record.display_name or record.profile
    from_version = hotswitch.running_version(record)
    advice = hotswitch.advice(plan, record, from_version)
    if advice is not None:
        return SwitchResult(plan.profile.name, previous, record.port, record.pid, 0.0, restart=advice)
    try:
        _swap(plan, record, gpt, sovits)
    except ServerFailed as exc:
        if exc.key == "switch.failed" and {from_version, plan.sovits_version} & {"v3", "v4"}:
            # the version already changed inside api_v2.py: only a restart is safe
            notice = hotswitch.restart_notice(plan, "switch.restart_failed_swap", from_version,
                                              message=str(exc.params.get("message", "")))
            return SwitchResult(plan.profile.name, previous, record.port, record.pid, 0.0, restart=notice)
        raise
    if from_version != plan.sovits_version:
        problem = hotswitch.verify(plan, record)
        if problem is not None:
            notice = hotswitch.restart_notice(plan, "switch.restart_failed_check", from_version, reason=problem)
            return SwitchResult(plan.profile.name, previous, record.port, record.pid, 0.0, restart=notice)
    registry.update(
        record.pid,
        profile=plan.profile.name,
        display_name=plan.profile.display_name,
        profile_path=str(plan.profile.path) if plan.profile.path else None,
        gpt=gpt,
        sovits=sovits,
    )
    return SwitchResult(plan.profile.name, previous, record.port, record.pid, time.monotonic() - started)


def _swap(plan: LaunchPlan, record: ServerRecord, gpt: str, sovits: str) -> None:
    if plan.api == "v2":
        _swap_v2(record, gpt, sovits)
        if plan.infer_yaml is not None and plan.infer_yaml_text is not None:
            # upstream rewrote its -c yaml on each load (a failed one included): ours again.
            write_atomic(plan.infer_yaml, plan.infer_yaml_text)
    else:
        _swap_v1(record, gpt, sovits)
        if plan.ref_path is not None and plan.profile.prompt_text:
            answer = gsv_api.request(
                "POST",
                gsv_api.base_url(record.host, record.port) + "/change_refer",
                json={
                    "refer_wav_path": str(plan.ref_path),
                    "prompt_text": plan.profile.prompt_text,
                    "prompt_language": plan.prompt_lang_api,
                },
                timeout=30,
            )
            if answer.status != 200:
                raise ServerFailed("switch.refer_failed", profile=plan.profile.title, message=_message(answer))


def _swap_v2(record: ServerRecord, gpt: str, sovits: str) -> None:
    answers = gsv_api.set_weights_v2(record.host, record.port, gpt, sovits)
    failed = next((a for a in answers if a.status != 200), None)
    if failed is None:
        return
    if len(answers) == 2 and record.gpt:
        # GPT was swapped, SoVITS refused (upstream keeps the old SoVITS then):
        # put the old GPT back so the old character stays whole.
        gsv_api.set_weight_v2(record.host, record.port, "gpt", record.gpt)
    raise ServerFailed("switch.failed", profile=record.display_name or record.profile, message=_message(failed))


def _swap_v1(record: ServerRecord, gpt: str, sovits: str) -> None:
    answer = gsv_api.set_model_v1(record.host, record.port, gpt, sovits)
    if answer.status != 200:
        # api.py loads both before it replaces the speaker: a failure keeps the old one.
        raise ServerFailed("switch.failed", profile=record.display_name or record.profile, message=_message(answer))


def _message(answer: gsv_api.Response) -> str:
    data = answer.json()
    if isinstance(data, dict):
        parts = [str(data.get("message", "")), str(data.get("Exception", ""))]
        return " ".join(p for p in parts if p).strip() or f"HTTP {answer.status}"
    return f"HTTP {answer.status}: {answer.body[:200].decode('utf-8', 'replace')}"
