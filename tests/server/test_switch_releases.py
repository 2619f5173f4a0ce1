"""Hot switching knows the release: a swap that would not give real audio there becomes a
restart (with the reason shown); a swap across model versions is checked with one synthesis."""

from __future__ import annotations

import sys

import pytest

from launcher.demo.fake_package import add_character, build_standin_package, free_port, write_wav
from launcher.paths import Settings, layout
from launcher.profiles.schema import find_profile
from launcher.server.plan import plan_start
from launcher.server.registry import Registry
from launcher.server.switch import switch, switch_target

from helpers import nahida_yaml, read_events, run_cli, write_profile

pytestmark = pytest.mark.slow


def setup_release(tmp_path, home, monkeypatch, release, version, *, same_reference=False):
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.2")
    log = tmp_path / "requests.jsonl"
    monkeypatch.setenv("STANDIN_REQUEST_LOG", str(log))
    pkg = build_standin_package(tmp_path / "GPT-SoVITS", release=release)
    gpt, sovits = add_character(pkg.root, "胡桃", version, release=release)
    ref = pkg.ref_audio if same_reference else write_wav(pkg.root / "参考音频" / "胡桃" / "你好.wav", 4.0)
    port = free_port()
    common = dict(port=port, device="cpu")
    write_profile(home, "nahida", nahida_yaml(pkg.root, gpt=str(pkg.gpt), sovits=str(pkg.sovits),
                                              ref_audio=str(pkg.ref_audio), prompt_text=pkg.prompt_text, **common))
    write_profile(home, "hutao", nahida_yaml(pkg.root, name="hutao", display_name="胡桃", gpt=str(gpt), sovits=str(sovits),
                                             ref_audio=str(ref), prompt_text="你好呀，我是胡桃。", **common))
    return pkg, port, log


def python_args(pkg):
    return [] if pkg.python else ["--python", sys.executable]


@pytest.fixture
def stop_all():
    yield
    from launcher.cli import run

    run(["stop", "--all"])


def test_20250606v2pro_restarts_instead_of_switching_v2_to_v2pro(tmp_path, isolated_home, monkeypatch, capsys, stop_all):
    pkg, port, log = setup_release(tmp_path, isolated_home, monkeypatch, "20250606v2pro", "v2Pro")
    assert run_cli(capsys, "nahida", "--detach", "--no-xiaozhi", *python_args(pkg))[0] == 0
    before = Registry(layout().registry_file).find(port=port)[0].pid
    code, out, err = run_cli(capsys, "hutao", "--detach", "--no-xiaozhi", *python_args(pkg))
    assert code == 0, err
    assert "20250606v2pro" in out + err and "重启" in out + err  # the notice says why
    rec = Registry(layout().registry_file).find(port=port)[0]
    assert (rec.profile, rec.pid != before) == ("hutao", True)
    assert not [e for e in read_events(log) if e["event"] == "request" and e["path"].startswith("/set_")]


def test_main_switches_v2_to_v2pro_hot_and_checks_it_speaks(tmp_path, isolated_home, monkeypatch, capsys, stop_all):
    pkg, port, log = setup_release(tmp_path, isolated_home, monkeypatch, "main", "v2Pro")
    assert run_cli(capsys, "nahida", "--detach", "--no-xiaozhi", *python_args(pkg))[0] == 0
    before = Registry(layout().registry_file).find(port=port)[0].pid
    code, out, err = run_cli(capsys, "hutao", "--no-xiaozhi", *python_args(pkg))
    assert code == 0, err
    rec = Registry(layout().registry_file).find(port=port)[0]
    assert (rec.profile, rec.pid) == ("hutao", before)
    paths = [e["path"] for e in read_events(log) if e["event"] == "request" and e["path"] != "/openapi.json"]
    assert paths[-3:] == ["/set_gpt_weights", "/set_sovits_weights", "/tts"]  # the check after the swap


def test_main_with_the_same_reference_restarts(tmp_path, isolated_home, monkeypatch, capsys, stop_all):
    pkg, port, _ = setup_release(tmp_path, isolated_home, monkeypatch, "main", "v2Pro", same_reference=True)
    assert run_cli(capsys, "nahida", "--detach", "--no-xiaozhi", *python_args(pkg))[0] == 0
    before = Registry(layout().registry_file).find(port=port)[0].pid
    code, out, err = run_cli(capsys, "hutao", "--detach", "--no-xiaozhi", *python_args(pkg))
    assert code == 0, err
    assert "同一段参考音频" in out + err
    assert Registry(layout().registry_file).find(port=port)[0].pid != before


def test_a_switch_whose_check_gets_no_speech_asks_for_a_restart(tmp_path, isolated_home, monkeypatch, capsys, stop_all):
    pkg, port, _ = setup_release(tmp_path, isolated_home, monkeypatch, "main", "v4")
    assert run_cli(capsys, "nahida", "--detach", "--no-xiaozhi", *python_args(pkg))[0] == 0
    registry = Registry(layout().registry_file)
    plan = plan_start(find_profile("hutao", layout().profiles), layout=layout(), settings=Settings(),
                      python=pkg.python or sys.executable)
    plan.ref_path.unlink()  # gone between the plan and the check: the server answers 400
    result = switch(plan, switch_target(plan, registry), registry)
    assert result.restart is not None and result.restart.key == "switch.restart_failed_check"
    assert result.restart.params["reason"].startswith("HTTP 400")
    assert (result.restart.params["from_version"], result.restart.params["to_version"]) == ("v2", "v4")
    assert registry.find(port=port)[0].profile == "nahida"  # the caller restarts; the record is left alone


def test_a_failed_v4_swap_asks_for_a_restart(tmp_path, isolated_home, monkeypatch, capsys, stop_all):
    pkg, port, _ = setup_release(tmp_path, isolated_home, monkeypatch, "main", "v4")
    assert run_cli(capsys, "nahida", "--detach", "--no-xiaozhi", *python_args(pkg))[0] == 0
    registry = Registry(layout().registry_file)
    plan = plan_start(find_profile("hutao", layout().profiles), layout=layout(), settings=Settings(),
                      python=pkg.python or sys.executable)
    (pkg.root / "GPT_SoVITS/pretrained_models/gsv-v4-pretrained/vocoder.pth").unlink()
    result = switch(plan, switch_target(plan, registry), registry)
    assert result.restart is not None and result.restart.key == "switch.restart_failed_swap"
    assert "change sovits weight failed" in result.restart.params["message"]
