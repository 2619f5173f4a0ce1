"""A switch never ignores what was asked.

`start` for a second character on a running server hot-swaps only when nothing but
the weights and the reference differ. Another address, API, package, device or
precision is refused with what differs (exit 4), or with --restart the server is
restarted with what was asked; no warning is printed about an address nothing bound.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest

from launcher.demo.fake_package import build_standin_package, free_port
from launcher.errors import EXIT_PORT_BUSY
from launcher.paths import Settings, layout
from launcher.profiles.schema import parse_profile
from launcher.server.plan import plan_start
from launcher.server.registry import Registry, ServerRecord
from launcher.server.switch import differences

from helpers import nahida_yaml, run_cli, write_profile


@pytest.fixture
def pkg(tmp_path, monkeypatch):
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.3")
    return build_standin_package(tmp_path / "GPT-SoVITS 整合包")


def _plan(pkg, port=9880, api=None, host=None, **fields):
    text = nahida_yaml(pkg.root, gpt=str(pkg.gpt), sovits=str(pkg.sovits), ref_audio=str(pkg.ref_audio),
                       prompt_text=pkg.prompt_text, port=port, **fields)
    return plan_start(parse_profile(text, Path("/p/nahida.yaml")), layout=layout(), settings=Settings(),
                      api=api, host=host, python=pkg.python or sys.executable)


def _running(plan, **changes) -> ServerRecord:
    """The record a start of `plan` writes, with `changes`."""
    rec = ServerRecord(profile="keqing", api=plan.api, host=plan.host, port=plan.port, pid=1, create_time=0.0,
                       log="", root=str(plan.root), settings=plan.settings, state="ready")
    return dataclasses.replace(rec, **changes)


# --- what differs ----------------------------------------------------------------------------------


def test_only_weights_and_reference_differ_means_a_swap(pkg):
    plan = _plan(pkg, device="cpu")
    assert differences(plan, _running(plan, gpt="other.ckpt", sovits="other.pth")) == []


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"host": "0.0.0.0"}, "host 0.0.0.0 -> 127.0.0.1"),
        ({"api": "v1"}, "api v1 -> v2"),
        ({"root": "/another/GPT-SoVITS"}, "root /another/GPT-SoVITS -> "),
        ({"settings": {"device": "cuda", "half": True}}, "device cuda -> cpu"),
        ({"settings": {"device": "cpu", "half": True}}, "half true -> false"),
        ({"settings": None}, "device ? -> cpu"),  # not recorded: not known to match
    ],
)
def test_anything_else_that_differs_is_named(pkg, changes, expected):
    plan = _plan(pkg, device="cpu")
    found = differences(plan, _running(plan, **changes))
    assert any(d.startswith(expected) for d in found), found


def test_v1_defaults_compare_as_defaults(pkg):
    """api.py without -d / -hp / -fp uses config.py's values: the same for every start."""
    plan = _plan(pkg, api="v1")
    assert plan.settings == {"device": None, "half": None}
    assert differences(plan, _running(plan)) == []
    assert differences(_plan(pkg, api="v1", half=True), _running(plan)) == ["half default -> true"]


def test_v2_settings_are_what_its_tts_infer_yaml_says(pkg):
    assert _plan(pkg).settings == {"device": "cuda", "half": True}
    assert _plan(pkg, device="cpu").settings == {"device": "cpu", "half": False}
    assert _plan(pkg, device="cuda:1", half=False).settings == {"device": "cuda:1", "half": False}


# --- the CLI ---------------------------------------------------------------------------------------


@pytest.fixture
def running(pkg, isolated_home, capsys):
    port = free_port()
    keqing = build_standin_package(isolated_home.parent / "刻晴", character="刻晴")
    common = dict(ref_audio=str(pkg.ref_audio), prompt_text=pkg.prompt_text, port=port, device="cpu")
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root, gpt=str(pkg.gpt), sovits=str(pkg.sovits), **common))
    write_profile(isolated_home, "keqing", nahida_yaml(pkg.root, name="keqing", display_name="刻晴", gpt=str(keqing.gpt),
                                                       sovits=str(keqing.sovits), **common))
    args = [] if pkg.python else ["--python", sys.executable]
    code, _, err = run_cli(capsys, "nahida", "--detach", *args)
    assert code == 0, err
    yield port, args, Registry(layout().registry_file).find(port=port)[0].pid
    run_cli(capsys, "stop", "--all")


def _status(capsys):
    return [(r["profile"], r["host"], r["pid"]) for r in json.loads(run_cli(capsys, "status", "--json")[1])["data"]]


@pytest.mark.slow
def test_another_host_is_refused_and_nothing_warns_about_it(running, capsys):
    port, args, pid = running
    code, out, err = run_cli(capsys, "keqing", "--host", "0.0.0.0", *args)
    assert code == EXIT_PORT_BUSY
    assert "host 127.0.0.1 -> 0.0.0.0" in err and "--restart" in err
    assert "安全警告" not in out + err and "0.0.0.0:" not in out + err  # nothing bound it
    assert _status(capsys) == [("nahida", "127.0.0.1", pid)]


@pytest.mark.slow
def test_another_api_or_precision_is_refused(running, capsys, isolated_home):
    port, args, pid = running
    code, _, err = run_cli(capsys, "keqing", "--v1", *args)
    assert code == EXIT_PORT_BUSY and "api v2 -> v1" in err
    text = (isolated_home / "profiles" / "keqing.yaml").read_text(encoding="utf-8")
    (isolated_home / "profiles" / "keqing.yaml").write_text(text + "half: true\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "keqing", *args)
    assert code == EXIT_PORT_BUSY and "half false -> true" in err
    assert _status(capsys) == [("nahida", "127.0.0.1", pid)]


@pytest.mark.slow
def test_restart_gives_what_was_asked(running, capsys):
    port, args, pid = running
    code, out, err = run_cli(capsys, "keqing", "--host", "0.0.0.0", "--restart", "--detach", *args)
    assert code == 0, err
    assert "安全警告" in err  # now true: this start bound 0.0.0.0
    [(profile, host, new_pid)] = _status(capsys)
    assert (profile, host) == ("keqing", "0.0.0.0") and new_pid != pid
