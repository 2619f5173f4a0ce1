"""`demo`: the whole flow on a built-in stand-in server, no GPT-SoVITS needed.

Builds a temporary stand-in package, starts its api_v2.py through the same
code path as a real start, waits for readiness, synthesizes one sentence,
checks the WAV, and stops the server.
"""

from __future__ import annotations

import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from launcher.paths import Layout, Settings
from launcher.profiles.schema import Profile

DEMO_TEXT = "你好，我是纳西妲。这是 sovits-launch 的演示。"


@dataclass
class DemoResult:
    root: str
    port: int
    api: str
    ready_seconds: float
    wav_path: str | None  # only with --out: the demo leaves nothing behind otherwise
    wav_seconds: float
    ttfb_seconds: float
    stopped: bool


def first_free_port(start: int = 9880, host: str = "127.0.0.1") -> int:
    """The first port from `start` nobody listens on (the user's real server may own 9880)."""
    for port in range(start, start + 200):
        with socket.socket() as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
            return port
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def run_demo(
    workdir: Path,
    *,
    layout: Layout,
    api: str = "v2",
    load_seconds: float = 2.0,
    release: str | None = None,
    out: Path | None = None,
    on_step: Callable[[str, dict], None] = lambda key, params: None,
    on_line: Callable[[str], None] | None = None,
    on_tick: Callable[[float, str], None] | None = None,
) -> DemoResult:
    from launcher.gsv import answers
    from launcher.gsv import capabilities
    from launcher.gsv import client as gsv_api
    from launcher.server.plan import plan_start
    from launcher.server.process import spawn
    from launcher.server.stopping import stop_server
    from launcher.server.watch import wait_ready
    from launcher.demo.fake_package import build_standin_package
    from launcher.fsio import write_atomic
    from launcher.server.registry import Registry
    from launcher.demo import releases
    from launcher.errors import BadInput, LauncherError
    from launcher.xiaozhi.provider import check_answer

    if release is not None and release not in releases.RELEASES:
        raise BadInput("demo.unknown_release", release=release, known=", ".join(releases.ORDER))
    pkg = build_standin_package(Path(workdir) / "GPT-SoVITS 演示包", release=release)
    on_step("demo.built", {"root": str(pkg.root)})
    profile = Profile(
        name="demo-nahida",
        display_name="纳西妲（演示）",
        api=api,
        gpt=str(pkg.gpt),
        sovits=str(pkg.sovits),
        ref_audio=str(pkg.ref_audio),
        prompt_text=pkg.prompt_text,
        prompt_lang="zh",
        text_lang="zh",
        port=first_free_port(),
        device="cpu",
    )
    python = pkg.python or Path(sys.executable)
    plan = plan_start(profile, layout=layout, settings=Settings(), root=pkg.root, python=python)
    plan.env["STANDIN_LOAD_SECONDS"] = str(load_seconds)  # how long the stand-in "loads models"
    on_step("demo.starting", {"script": plan.script.name, "port": plan.port})
    running = spawn(plan, layout=layout)
    registry = Registry(layout.registry_file)
    stopped = False
    try:
        ready = wait_ready(running, timeout=60, on_line=on_line, on_tick=on_tick)
        on_step("demo.ready", {"url": plan.url, "seconds": f"{ready:.1f}"})
        answer = gsv_api.synthesize(
            plan.api,
            plan.host,
            plan.port,
            text=DEMO_TEXT,
            ref_audio=str(pkg.ref_audio),
            prompt_text=pkg.prompt_text,
            prompt_lang="zh",
            text_lang="zh",
        )
        try:  # real speech at the model's rate, or the keyed error explained for this release
            info = check_answer(answer.status, answer.body, answers.Expect.of(plan.sovits_version, DEMO_TEXT))
        except LauncherError as exc:
            if not exc.key.startswith("speech."):
                raise
            raise answers.explain(exc, caps=plan.capabilities or capabilities.read(pkg.root), api=plan.api,
                                  version=plan.sovits_version, log_lines=answers.read_log(plan.log_path)) from exc
        if out:
            write_atomic(Path(out), answer.body)
        on_step("demo.spoke", {"seconds": f"{info.seconds:.2f}", "ttfb": f"{answer.ttfb_seconds:.2f}"})
        if out:
            on_step("demo.saved", {"path": str(out)})
        result_stop = stop_server(running.record, registry, process=running.process)
        stopped = True
        on_step("demo.stopped", {"port": plan.port, "free": result_stop.port_free})
        return DemoResult(
            root=str(pkg.root),
            port=plan.port,
            api=plan.api,
            ready_seconds=round(ready, 2),
            wav_path=str(out) if out else None,
            wav_seconds=round(info.seconds, 2),
            ttfb_seconds=round(answer.ttfb_seconds, 3),
            stopped=result_stop.port_free,
        )
    finally:
        if not stopped:
            stop_server(running.record, registry, process=running.process, graceful=False)
