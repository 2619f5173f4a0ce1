"""Switch the character of a running server without a restart.

Loading a server takes tens of seconds to minutes; swapping weights takes about
one (research/upstream-observed.md). api_v2.py swaps with /set_gpt_weights and
/set_sovits_weights; api.py with /set_model (both together) and /change_refer
for its default reference. A swap that fails puts the previous weights back,
so the old character keeps running.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import parse_qs

from launcher.gsv import client as gsv_api
from launcher.errors import ServerFailed
from launcher.fsio import write_atomic
from launcher.server.registry import Registry, ServerRecord
from launcher.server.plan import LaunchPlan


@dataclass
class SwitchResult:
    profile: str
    previous: str
    port: int
    pid: int
    seconds: float


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
    previous = record.display_name or record.profile
    registry.update(
        record.pid,
        profile=plan.profile.name,
        display_name=plan.profile.display_name,
        profile_path=str(plan.profile.path) if plan.profile.path else None,
        gpt=gpt,
        sovits=sovits,
    )
    _announce(record, plan.profile.name, plan.profile.display_name)
    return SwitchResult(plan.profile.name, previous, record.port, record.pid, time.monotonic() - started)


# The window serving a port learns of a switch from its server's log: one harmless GET
# whose access-log line carries the new character. The server writes that line itself,
# so its log has one writer (a second one would clobber lines on Windows).
SWITCH_NOTE = "sovits_launch_switched"
_NOTE_RE = re.compile(r'"GET /openapi\.json\?([^ "]*' + SWITCH_NOTE + r'[^ "]*) HTTP/')


def _announce(record: ServerRecord, profile: str, display_name: str | None) -> None:
    params = {SWITCH_NOTE: profile, "display": display_name or profile}
    try:
        gsv_api.request("GET", gsv_api.base_url(record.host, record.port) + gsv_api.PROBE_PATH, params=params, timeout=5)
    except OSError:
        pass  # only the note is lost: the switch itself is done


def switched_to(line: str) -> tuple[str, str] | None:
    """(profile, display name) when a server's log line is the note of a switch."""
    found = _NOTE_RE.search(line) if SWITCH_NOTE in line else None
    if not found:
        return None
    query = parse_qs(found.group(1))
    profile = (query.get(SWITCH_NOTE) or [""])[0]
    return (profile, (query.get("display") or [profile])[0]) if profile else None


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
