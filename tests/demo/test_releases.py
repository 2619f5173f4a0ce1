"""Every 整合包 release, every model version, both APIs: what the launcher decides, and what
the stand-in of that release then does (real subprocess servers, short load times).

The expected table is written here from upstream's code at each tag, independently of the
launcher (which reads it from the package: launcher.gsv.capabilities) and of the stand-ins
(launcher/demo/releases.py): a row that disagrees with either fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import helpers
from launcher.demo.fake_package import add_character, build_standin_package, free_port
from launcher.errors import BadInput, LauncherError
from launcher.gsv import answers, capabilities
from launcher.gsv import client as gsv_api
from launcher.paths import Settings, layout
from launcher.profiles.schema import Profile
from launcher.server.plan import plan_start, render_tts_infer_yaml
from launcher.server.process import spawn
from launcher.server.registry import Registry
from launcher.server.stopping import stop_server
from launcher.server.watch import wait_ready

pytestmark = pytest.mark.slow

ALL = ("v1", "v2", "v3", "v4", "v2Pro", "v2ProPlus")
# release -> api -> model versions it loads (issue 16's table, checked against upstream's tags)
SERVES = {
    "20240821v2": {"v1": {"v1", "v2"}, "v2": {"v1", "v2"}},
    "20250228v3": {"v1": {"v1", "v2"}, "v2": {"v1", "v2"}},
    "20250422v4": {"v1": {"v1", "v2", "v3"}, "v2": {"v1", "v2", "v3", "v4"}},
    "20250606v2pro": {"v1": {"v1", "v2", "v3"}, "v2": set(ALL)},
    "main": {"v1": set(ALL), "v2": set(ALL)},
}
RATE = {"v1": 32000, "v2": 32000, "v3": 24000, "v4": 48000, "v2Pro": 32000, "v2ProPlus": 32000}
TEXT = "你好，旅行者。今天天气很好。"
CASES = [(r, v, a) for r in SERVES for v in ALL for a in ("v1", "v2")]


def _id(case):
    return "-".join(case)


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """One stand-in package per release, with a character of every version."""
    out = {}
    for release in SERVES:
        pkg = build_standin_package(tmp_path_factory.mktemp(release) / "GPT-SoVITS", release=release, load_seconds=0.05)
        chars = {v: add_character(pkg.root, f"角色{v}", v, release=release) for v in ALL}
        out[release] = (pkg, chars)
    return out


def profile_for(pkg, chars, version: str, api: str, port: int) -> Profile:
    gpt, sovits = chars[version]
    return Profile(name=f"c-{version}", gpt=str(gpt), sovits=str(sovits), api=api, ref_audio=str(pkg.ref_audio),
                   prompt_text=pkg.prompt_text, port=port, device="cpu")


def plan_for(pkg, profile, api):
    return plan_start(profile, layout=layout(), settings=Settings(), api=api, root=pkg.root,
                      python=pkg.python or sys.executable)


# --- the launcher's decision, for every cell --------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_the_launcher_refuses_or_accepts_each_cell_before_anything_loads(packages, isolated_home, case):
    release, version, api = case
    pkg, chars = packages[release]
    profile = profile_for(pkg, chars, version, api, free_port())
    other = "v2" if api == "v1" else "v1"
    started = time.monotonic()
    if version in SERVES[release][api]:
        plan = plan_for(pkg, profile, api)
        assert (plan.api, plan.sovits_version if release not in ("20240821v2", "20250228v3") else version) == (api, version)
        assert plan.capabilities.release == release
    else:
        with pytest.raises(BadInput) as refused:
            plan_for(pkg, profile, api)
        err = refused.value
        if version in SERVES[release][other]:
            assert err.key == "release.api_cannot_serve"
            assert (err.params["other"], err.params["version"], err.params["release"]) == (other, version, release)
        else:
            assert err.key == "weights.unsupported_by_package"
            first = next(r for r in SERVES if version in SERVES[r]["v1"] | SERVES[r]["v2"])
            assert (err.params["needed"], err.params["release"]) == (first, release)
    assert time.monotonic() - started < 1.0
    assert Registry(layout().registry_file).servers() == []  # planning starts nothing


@pytest.mark.parametrize("release", ["20250422v4", "20250606v2pro"])
def test_a_profile_that_does_not_force_the_api_gets_the_one_that_can(packages, isolated_home, release):
    pkg, chars = packages[release]
    profile = profile_for(pkg, chars, "v4", "v1", free_port())  # api: v1 in the profile, no --v1
    plan = plan_start(profile, layout=layout(), settings=Settings(), root=pkg.root, python=pkg.python or sys.executable)
    assert plan.api == "v2" and plan.script.name == "api_v2.py"
    (notice,) = [n for n in plan.notices if n.key == "release.api_switched"]
    assert notice.params["script"] == "api.py" and notice.params["other_script"] == "api_v2.py"


# --- what the stand-in of each release does with it -------------------------------------------


def _start(plan):
    server = spawn(plan, layout=layout())
    try:
        wait_ready(server, timeout=30)
    except LauncherError:
        stop_server(server.record, Registry(layout().registry_file), process=server.process, graceful=False)
        raise
    return server


def _speak(plan, host="127.0.0.1", port=None, **extra):
    """One synthesis as the launcher checks it: real speech at the version's rate, or the explained error."""
    try:
        answer = gsv_api.synthesize(plan.api, host, port or plan.port, text=TEXT, ref_audio=str(plan.ref_path),
                                    prompt_text=plan.profile.prompt_text, prompt_lang=plan.prompt_lang_api,
                                    text_lang="zh", timeout=30, extra=extra)
        body, cut = answer.body, False
        assert answer.status == 200, answer.body
    except gsv_api.AnswerCut as exc:
        body, cut = exc.partial, True
    expect = answers.Expect.of(plan.sovits_version, TEXT, super_sampling=bool(extra.get("super_sampling")))
    try:
        return answers.check(body, expect, cut=cut)
    except LauncherError as exc:
        raise answers.explain(exc, caps=plan.capabilities, api=plan.api, version=plan.sovits_version,
                              log_lines=answers.read_log(plan.log_path)) from exc


SERVED = [c for c in CASES if c[1] in SERVES[c[0]][c[2]]]


@pytest.mark.parametrize("case", SERVED, ids=_id)
def test_an_accepted_cell_starts_and_speaks_at_the_versions_rate(packages, isolated_home, case):
    release, version, api = case
    pkg, chars = packages[release]
    plan = plan_for(pkg, profile_for(pkg, chars, version, api, free_port()), api)
    server = _start(plan)
    try:
        info = _speak(plan)
        expected = RATE[plan.sovits_version]
        assert (info.sample_rate, info.frames > 0) == (expected, True)
        if api == "v2":  # the yaml names the version where this release reads it
            top = capabilities.yaml_top_level(plan.capabilities, plan.sovits_version)
            assert ("\nversion: " in plan.infer_yaml_text) == top
            assert top == (release != "main" and plan.sovits_version in ("v1", "v2", "v3", "v4"))
    finally:
        stop_server(server.record, Registry(layout().registry_file), process=server.process)


REFUSED = [c for c in CASES if c[1] not in SERVES[c[0]][c[2]]]


def _force(pkg, chars, version, api, tmp_path):
    """Start the stand-in as if the launcher had not refused: what the user would have got."""
    gpt, sovits = chars[version]
    port = free_port()
    log = tmp_path / f"forced-{api}-{version}.log"
    if api == "v1":
        args = ["api.py", "-s", str(sovits), "-g", str(gpt), "-dr", str(pkg.ref_audio), "-dt", pkg.prompt_text,
                "-dl", "zh", "-d", "cpu", "-a", "127.0.0.1", "-p", str(port)]
    else:
        profile = Profile(name="forced", gpt=str(gpt), sovits=str(sovits), device="cpu")
        yaml_path = tmp_path / "forced.yaml"
        yaml_path.write_text(render_tts_infer_yaml(profile, gpt, sovits, version), encoding="utf-8")
        args = ["api_v2.py", "-a", "127.0.0.1", "-p", str(port), "-c", str(yaml_path)]
    with open(log, "wb") as out:
        proc = subprocess.Popen([pkg.interpreter(), *args], cwd=str(pkg.root), env=pkg.env(), stdout=out,
                                stderr=subprocess.STDOUT)
    return proc, port, log


@pytest.mark.parametrize("case", REFUSED, ids=_id)
def test_a_refused_cell_would_not_have_spoken(packages, isolated_home, tmp_path, case):
    """The refusal is right: forced to start, api_v2.py of that release dies while loading,
    and api.py opens its port and answers 200 without audio, which the check explains."""
    release, version, api = case
    pkg, chars = packages[release]
    proc, port, log = _force(pkg, chars, version, api, tmp_path)
    try:
        helpers.wait_for(lambda: proc.poll() is not None or gsv_api.probe_ready("127.0.0.1", port, 0.5), 20,
                         what="the forced server to load or die")
        if api == "v2":
            assert proc.poll() not in (None, 0), log.read_text(encoding="utf-8")
            return
        assert proc.poll() is None
        caps = capabilities.read(pkg.root)
        plan_like = _PlanLike(pkg, caps, api, version, port, log)
        with pytest.raises(LauncherError) as failed:
            _speak(plan_like, port=port)
        key = failed.value.key
        if release == "20250606v2pro" and version in ("v2Pro", "v2ProPlus"):
            assert key == "speech.cause.v1_failed"  # loaded as v2, then broke at the first request
        else:
            assert key == "speech.cause.v1_not_loaded", failed.value.details
        assert failed.value.params["release"] == release
    finally:
        proc.kill()
        proc.wait(10)


class _PlanLike:
    """The parts of a LaunchPlan `_speak` reads, for a server the launcher did not start."""

    def __init__(self, pkg, caps, api, version, port, log):
        self.api, self.port, self.capabilities, self.sovits_version, self.log_path = api, port, caps, version, log
        self.ref_path = pkg.ref_audio
        self.prompt_lang_api = "zh"
        self.profile = Profile(name="forced", gpt="x", sovits="x", prompt_text=pkg.prompt_text)


@pytest.mark.parametrize("release,api", [("20240821v2", "v2"), ("20250422v4", "v1")])
def test_the_demo_runs_on_any_release(isolated_home, capsys, release, api, tmp_path, monkeypatch):
    import json

    monkeypatch.chdir(tmp_path)  # the demo leaves its demo.wav in the current folder
    args = ["demo", "--release", release, "--load-seconds", "0.1", "--json"] + (["--v1"] if api == "v1" else [])
    code, out, err = helpers.run_cli(capsys, *args)
    assert code == 0, err
    data = json.loads(out)["data"]
    assert (data["api"], data["stopped"], data["wav_seconds"] > 0) == (api, True, True)


def test_the_demo_refuses_a_release_it_does_not_know(isolated_home, capsys):
    code, _, err = helpers.run_cli(capsys, "demo", "--release", "2023")
    assert code == 2 and "20250606v2pro" in err
