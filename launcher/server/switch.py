"""Switch the character of a running server without a restart.

Loading a server takes tens of seconds to minutes; swapping weights takes about
one (research/upstream-observed.md). api_v2.py swaps with /set_gpt_weights and
/set_sovits_weights; api.py with /set_model (both together) and /change_refer
for its default reference. A swap that fails puts the previous weights back,
so the old character keeps running.

A swap changes the weights and the reference, nothing else: when the start asks for
another address, API, package, device or precision, `differences` names what differs
and the start is refused (or, with --restart, the server restarted). A server still
loading (or reloading after upstream's /control?command=restart) is waited for.

Whether a swap gives real audio depends on the package's release and the two model
versions (capabilities.hot_switch_ok): where it does not, `switch` leaves the server alone
and returns a notice saying why, and the caller restarts the server instead. A swap across
model versions is verified with one synthesis (server.hotswitch.verify); no real speech, or
a failed v3/v4 swap (which leaves api_v2.py half-switched), also ends in a restart.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs

from launcher.errors import Notice, ReadyTimeout, ServerFailed
from launcher.fsio import write_atomic
from launcher.gsv import client as gsv_api
from launcher.server import hotswitch
from launcher.server.ownership import listens_on, process_tree
from launcher.server.plan import LaunchPlan
from launcher.server.registry import Registry, ServerRecord, process_matches
from launcher.server.watch import LOG_TAIL_LINES, live_state

WAIT_TICK = 0.2


@dataclass
class SwitchResult:
    profile: str
    previous: str
    port: int
    pid: int
    seconds: float
    restart: Notice | None = None  # not switched: restart the server instead, for this reason


def running_on_port(plan: LaunchPlan, registry: Registry) -> ServerRecord | None:
    """Our running server on the plan's port, in any state."""
    return next((rec for rec in registry.servers() if rec.port == plan.port), None)


def _same_folder(a: str, b: str) -> bool:
    import os

    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def differences(plan: LaunchPlan, record: ServerRecord) -> list[str]:
    """What the running server does not have as the start asks, besides the weights and
    the reference: `["host 127.0.0.1 -> 0.0.0.0", ...]`; [] when a swap is enough."""
    changes = []

    def differs(name: str, running, wanted) -> None:
        if running != wanted:
            changes.append(f"{name} {_shown(running)} -> {_shown(wanted)}")

    differs("host", record.host, plan.host)
    differs("api", record.api, plan.api)
    if not record.root or not _same_folder(record.root, str(plan.root)):
        differs("root", record.root or None, str(plan.root))
    settings = record.settings if isinstance(record.settings, dict) else {}
    for name, wanted in plan.settings.items():
        # Not recorded (a record from an older version, or found by a scan): not known to match.
        differs(name, settings.get(name, "?"), wanted)
    return changes


def _shown(value) -> str:
    if value is None:
        return "default"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def switch_target(plan: LaunchPlan, registry: Registry) -> ServerRecord | None:
    """Our running, ready server on the plan's port that a swap alone turns into the plan."""
    rec = running_on_port(plan, registry)
    if rec is None or rec.state != "ready" or differences(plan, rec):
        return None
    return rec


def wait_until_ready(record: ServerRecord, registry: Registry, *, timeout: float,
                     on_tick: Callable[[float, str], None] | None = None) -> ServerRecord:
    """Wait for a server that is loading (another window is starting it, or upstream's
    restart is reloading it) until it answers; ServerFailed with its log tail when it
    ends meanwhile, ReadyTimeout at the deadline."""
    started = time.monotonic()
    while True:
        current = next((r for r in registry.servers() if r.port == record.port), None)
        if current is None or current.state == "stopping":
            raise _ended(record, "switch.server_gone")
        state = live_state(current)
        if state == "ready":
            if current.state != "ready":
                current.state, current.ready_at = "ready", current.ready_at or time.time()
                registry.update(current.pid, state="ready", ready_at=current.ready_at)
            return current
        elapsed = time.monotonic() - started
        if elapsed > timeout:
            raise ReadyTimeout("switch.wait_timeout", profile=_title(record), port=record.port,
                               seconds=int(timeout), log=record.log)
        if on_tick:
            tail = _log_tail(record, 1)
            on_tick(elapsed, tail[-1] if tail else "")
        time.sleep(WAIT_TICK)


def already_serving(plan: LaunchPlan, record: ServerRecord) -> bool:
    """The server holds this very character already: the same profile, the same weights.
    Reloading them would only cost the model's load time (upstream reloads a path it has)."""
    return (record.profile == plan.profile.name and record.gpt == str(plan.gpt_path)
            and record.sovits == str(plan.sovits_path))


def _require_listening(record: ServerRecord) -> None:
    if not listens_on(process_tree(record.pid, record.create_time), record.port, unreadable=True):
        # The port is not this server's (it ended, or another program holds it now): no request goes there.
        raise _ended(record, "switch.server_gone")


def keep(plan: LaunchPlan, record: ServerRecord, registry: Registry) -> None:
    """Start a character its server already holds: nothing loads. api.py keeps one default
    reference, which the profile may have changed since (`ref`): that one is sent again."""
    _require_listening(record)
    if plan.api == "v1":
        try:
            _refer_v1(plan, record)
        except OSError as exc:
            raise _lost(record, registry, exc) from exc


def switch(plan: LaunchPlan, record: ServerRecord, registry: Registry) -> SwitchResult:
    started = time.monotonic()
    _require_listening(record)
    previous = record.display_name or record.profile
    from_version = hotswitch.running_version(record)
    advice = hotswitch.advice(plan, record, from_version)
    if advice is not None:  # this release would not give real audio after such a swap
        return SwitchResult(plan.profile.name, previous, record.port, record.pid, 0.0, restart=advice)
    try:
        _swap(plan, record)
    except OSError as exc:
        # The connection broke: most likely the server died in the middle of loading weights.
        raise _lost(record, registry, exc) from exc
    except ServerFailed as exc:
        if exc.key != "switch.failed" or not {from_version, plan.sovits_version} & {"v3", "v4"}:
            raise
        # the version already changed inside api_v2.py: only a restart is safe
        notice = hotswitch.restart_notice(plan, "switch.restart_failed_swap", from_version,
                                          message=str(exc.params.get("message", "")))
        return SwitchResult(plan.profile.name, previous, record.port, record.pid, 0.0, restart=notice)
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
        gpt=str(plan.gpt_path),
        sovits=str(plan.sovits_path),
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


def _swap(plan: LaunchPlan, record: ServerRecord) -> None:
    gpt, sovits = str(plan.gpt_path), str(plan.sovits_path)
    if plan.api == "v2":
        _swap_v2(record, gpt, sovits)
        if plan.infer_yaml is not None and plan.infer_yaml_text is not None:
            # upstream rewrote its -c yaml on each load (a failed one included): ours again.
            write_atomic(plan.infer_yaml, plan.infer_yaml_text)
        return
    _swap_v1(record, gpt, sovits)
    _refer_v1(plan, record)


def _refer_v1(plan: LaunchPlan, record: ServerRecord) -> None:
    """api.py's default reference: the profile's, as `-dr/-dt/-dl` gave it at the start."""
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
    raise ServerFailed("switch.failed", profile=_title(record), message=_message(failed))


def _swap_v1(record: ServerRecord, gpt: str, sovits: str) -> None:
    answer = gsv_api.set_model_v1(record.host, record.port, gpt, sovits)
    if answer.status != 200:
        # api.py loads both before it replaces the speaker: a failure keeps the old one.
        raise ServerFailed("switch.failed", profile=_title(record), message=_message(answer))


def _lost(record: ServerRecord, registry: Registry, exc: OSError) -> ServerFailed:
    """The server stopped answering during the switch: dead (reported with its log's last
    lines, its record pruned), or alive but not answering."""
    deadline = time.monotonic() + 3.0
    while process_matches(record.pid, record.create_time) and time.monotonic() < deadline:
        time.sleep(0.1)  # a process that dies takes a moment to be seen gone
    if process_matches(record.pid, record.create_time):
        return ServerFailed("switch.no_answer", details=_log_tail(record), profile=_title(record),
                            port=record.port, reason=str(exc) or type(exc).__name__, log=record.log)
    registry.servers()  # prunes its record
    return _ended(record, "switch.server_died")


def _ended(record: ServerRecord, key: str) -> ServerFailed:
    return ServerFailed(key, details=_log_tail(record), profile=_title(record), port=record.port, log=record.log or "?")


def _log_tail(record: ServerRecord, count: int = LOG_TAIL_LINES) -> list[str]:
    from launcher.server.logfiles import tail_lines

    if not record.log:
        return []
    try:
        return tail_lines(Path(record.log), count)
    except OSError:
        return []


def _title(record: ServerRecord) -> str:
    return record.display_name or record.profile


def _message(answer: gsv_api.Response) -> str:
    data = answer.json()
    if isinstance(data, dict):
        parts = [str(data.get("message", "")), str(data.get("Exception", ""))]
        return " ".join(p for p in parts if p).strip() or f"HTTP {answer.status}"
    return f"HTTP {answer.status}: {answer.body[:200].decode('utf-8', 'replace')}"
