"""Switching characters on a running server, and several servers at once (stand-in servers)."""

from __future__ import annotations

import json

import pytest
import yaml

from launcher.gsv import client as gsv_api
from launcher.demo.fake_package import build_standin_package, free_port
from launcher.errors import ServerFailed
from launcher.paths import Settings, layout
from launcher.profiles.schema import find_profile
from launcher.server.registry import Registry
from launcher.server.plan import plan_start
from launcher.server.switch import switch, switch_target

from helpers import nahida_yaml, run_cli, write_profile
from helpers import read_events
from helpers.xiaozhi_tree import make_xiaozhi

pytestmark = pytest.mark.slow


@pytest.fixture
def two_characters(tmp_path, isolated_home, monkeypatch):
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.5")
    log = tmp_path / "requests.jsonl"
    monkeypatch.setenv("STANDIN_REQUEST_LOG", str(log))
    nahida = build_standin_package(tmp_path / "GPT-SoVITS 整合包")
    keqing = build_standin_package(tmp_path / "刻晴 权重", character="刻晴")
    port = free_port()
    common = dict(port=port, device="cpu")
    write_profile(isolated_home, "nahida", nahida_yaml(nahida.root, gpt=str(nahida.gpt), sovits=str(nahida.sovits),
                                                       ref_audio=str(nahida.ref_audio), prompt_text=nahida.prompt_text, **common))
    write_profile(isolated_home, "keqing", nahida_yaml(nahida.root, name="keqing", display_name="刻晴", gpt=str(keqing.gpt),
                                                       sovits=str(keqing.sovits), ref_audio=str(keqing.ref_audio),
                                                       prompt_text=keqing.prompt_text, **common))
    yield nahida, keqing, port, log
    run_cli_quiet("stop", "--all")


def run_cli_quiet(*args):
    from launcher.cli import run

    return run(list(args))


def python_args(pkg):
    return [] if pkg.python else ["--python", __import__("sys").executable]


def test_switch_then_a_failed_switch_keeps_the_current_character(two_characters, capsys):
    nahida, keqing, port, log = two_characters
    assert run_cli(capsys, "nahida", "--detach", *python_args(nahida))[0] == 0
    registry = Registry(layout().registry_file)
    pid = registry.find(port=port)[0].pid

    code, out, err = run_cli(capsys, "keqing", *python_args(nahida))
    assert code == 0, err
    rec = registry.find(port=port)[0]
    assert (rec.pid, rec.profile, rec.sovits) == (pid, "keqing", str(keqing.sovits))
    status = json.loads(run_cli(capsys, "status", "--json")[1])["data"][0]
    assert (status["profile"], status["sovits"]) == ("keqing", str(keqing.sovits))

    # Back to nahida, but her SoVITS file vanishes between the check and the swap.
    plan = plan_start(find_profile("nahida", layout().profiles), layout=layout(), settings=Settings(),
                      python=nahida.python or __import__("sys").executable)
    nahida.sovits.unlink()
    with pytest.raises(ServerFailed) as e:
        switch(plan, switch_target(plan, registry), registry)
    assert e.value.key == "switch.failed"
    rec = registry.find(port=port)[0]
    assert (rec.pid, rec.profile, rec.gpt) == (pid, "keqing", str(keqing.gpt))
    loads = [(ev["event"], ev.get("path"), ev.get("ok")) for ev in read_events(log) if ev.get("event", "").startswith("load_")]
    # nahida's GPT was loaded, her SoVITS failed, and only keqing's GPT had to be put back.
    assert loads[-3:] == [
        ("load_gpt", str(nahida.gpt), True),
        ("load_sovits", str(nahida.sovits), False),
        ("load_gpt", str(keqing.gpt), True),
    ]
    assert gsv_api.probe_ready("127.0.0.1", port)


def test_xiaozhi_block_follows_the_switch(two_characters, tmp_path, capsys):
    nahida, keqing, port, _ = two_characters
    xdir = make_xiaozhi(tmp_path / "xiaozhi-esp32-server")
    assert run_cli(capsys, "xiaozhi", "set-dir", str(xdir))[0] == 0
    assert run_cli(capsys, "nahida", "--detach", *python_args(nahida))[0] == 0
    cfg = xdir / "data" / ".config.yaml"
    assert yaml.safe_load(cfg.read_text(encoding="utf-8"))["TTS"]["GPT_SOVITS_V2"]["ref_audio_path"] == str(nahida.ref_audio)
    assert run_cli(capsys, "keqing", *python_args(nahida))[0] == 0
    block = yaml.safe_load(cfg.read_text(encoding="utf-8"))["TTS"]["GPT_SOVITS_V2"]
    assert (block["ref_audio_path"], block["prompt_text"], block["url"]) == (
        str(keqing.ref_audio), keqing.prompt_text, f"http://127.0.0.1:{port}/tts")


def test_two_servers_side_by_side_and_stop_one(two_characters, capsys):
    nahida, keqing, port, _ = two_characters
    other = free_port()
    assert run_cli(capsys, "nahida", "--detach", *python_args(nahida))[0] == 0
    assert run_cli(capsys, "keqing", "--detach", "--port", str(other), *python_args(nahida))[0] == 0
    rows = json.loads(run_cli(capsys, "status", "--json")[1])["data"]
    assert sorted((r["profile"], r["port"]) for r in rows) == sorted([("nahida", port), ("keqing", other)])
    assert run_cli(capsys, "stop", "keqing")[0] == 0
    rows = json.loads(run_cli(capsys, "status", "--json")[1])["data"]
    assert [(r["profile"], r["port"]) for r in rows] == [("nahida", port)]
    assert gsv_api.probe_ready("127.0.0.1", port) and not gsv_api.port_accepts("127.0.0.1", other)


def test_restart_flag_restarts_instead_of_switching(two_characters, capsys):
    nahida, keqing, port, log = two_characters
    assert run_cli(capsys, "nahida", "--detach", *python_args(nahida))[0] == 0
    pid = Registry(layout().registry_file).find(port=port)[0].pid
    code, out, err = run_cli(capsys, "keqing", "--detach", "--restart", *python_args(nahida))
    assert code == 0, err
    rec = Registry(layout().registry_file).find(port=port)[0]
    assert rec.profile == "keqing" and rec.pid != pid
