"""doctor finds a mismatch between xiaozhi's effective TTS URL and the servers that run, and names the fix."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from launcher import messages
from launcher.doctor import xiaozhi_checks
from launcher.doctor.xiaozhi_checks import xiaozhi_section
from launcher.server.registry import ServerRecord
from launcher.xiaozhi import network, pointing

from helpers.fake_docker import no_docker
from helpers.xiaozhi_like import make_docker_deployment
from helpers.xiaozhi_tree import make_xiaozhi, write_data


def server(profile="nahida", api="v2", host="127.0.0.1", port=9880) -> ServerRecord:
    return ServerRecord(profile=profile, api=api, host=host, port=port, pid=1, create_time=0.0, log="", root="")


def block(module="GPT_SOVITS_V2", url="http://127.0.0.1:9880/tts") -> str:
    return f"selected_module:\n  TTS: {module}\nTTS:\n  {module}:\n    url: \"{url}\"\n"


def tts_check(folder, running, profiles=()):
    section = xiaozhi_section(folder, running, profiles)
    found = {c.id: c for c in section.checks}
    return found["xiaozhi.tts"]


@pytest.fixture
def xdir(tmp_path):
    return make_xiaozhi(tmp_path / "xiaozhi-esp32-server")


def test_points_at_the_running_server(xdir):
    write_data(xdir, block())
    check = tts_check(xdir, [server()])
    assert (check.status, check.key, check.params["profile"]) == ("ok", "xiaozhi.doctor.points_ok", "nahida")


def test_v2_url_without_tts(xdir):
    write_data(xdir, block(url="http://127.0.0.1:9880"))
    check = tts_check(xdir, [server()])
    assert (check.status, check.key, check.params["expected"]) == ("fail", "xiaozhi.doctor.bad_path", "/tts")


def test_v3_url_with_tts(xdir):
    write_data(xdir, block("GPT_SOVITS_V3", "http://127.0.0.1:9880/tts"))
    check = tts_check(xdir, [server(api="v1")])
    assert (check.key, check.params["expected"]) == ("xiaozhi.doctor.bad_path", "/")


def test_v2_block_at_an_api_py_server(xdir):
    write_data(xdir, block())
    check = tts_check(xdir, [server(api="v1")])
    assert (check.status, check.key, check.params["api"]) == ("fail", "xiaozhi.doctor.wrong_api", "v1")
    assert "sovits-launch xiaozhi nahida" in messages.t(check.fix_key, **check.params)


def test_another_port_than_the_running_ones(xdir):
    write_data(xdir, block(url="http://127.0.0.1:9881/tts"))
    check = tts_check(xdir, [server(profile="hutao", port=9880)])
    assert (check.status, check.key) == ("fail", "xiaozhi.doctor.nothing_there")
    assert "hutao :9880 (v2)" in check.params["running"] and check.params["profile"] == "hutao"


def test_nothing_running_names_the_profile_on_that_port(xdir):
    from launcher.profiles.schema import Profile

    write_data(xdir, block())
    check = tts_check(xdir, [])
    assert (check.status, check.key) == ("warn", "xiaozhi.doctor.no_server")
    nahida = Profile(name="nahida", gpt="a.ckpt", sovits="b.pth", api="v2", port=9880)
    check = tts_check(xdir, [], (nahida,))
    assert (check.key, check.params["profile"]) == ("xiaozhi.doctor.no_server_profile", "nahida")


def test_a_lan_address_does_not_reach_a_loopback_server(xdir):
    write_data(xdir, block(url="http://192.168.1.9:9880/tts"))
    check = tts_check(xdir, [server(host="127.0.0.1")])
    assert (check.status, check.key) == ("fail", "xiaozhi.doctor.bind_unreachable")
    assert tts_check(xdir, [server(host="0.0.0.0")]).key == "xiaozhi.doctor.points_ok"


def test_not_gpt_sovits_and_manager_mode(xdir):
    write_data(xdir, "selected_module:\n  TTS: EdgeTTS\n")
    assert tts_check(xdir, [server()]).key == "xiaozhi.doctor.not_gsv"
    write_data(xdir, "manager-api:\n  url: http://127.0.0.1:8002/xiaozhi\n")
    check = tts_check(xdir, [server()])
    assert (check.status, check.key) == ("ok", "xiaozhi.doctor.manager")


def test_no_data_config(xdir):
    assert tts_check(xdir, [server()]).key == "xiaozhi.doctor.no_data_config"


def test_docker_with_127_is_the_container_itself(tmp_path, monkeypatch):
    no_docker(tmp_path / "empty", monkeypatch)
    folder = make_docker_deployment(tmp_path / "xiaozhi-server", data_text=block())
    section = xiaozhi_section(folder, [server()])
    assert [(c.id, c.key) for c in section.checks] == [
        ("xiaozhi.folder", "xiaozhi.doctor.docker_ok"), ("xiaozhi.tts", "xiaozhi.doctor.loopback_in_docker")]


def test_docker_engine_needs_the_bridge_bind(tmp_path, monkeypatch):
    no_docker(tmp_path / "empty", monkeypatch)
    monkeypatch.setattr(network, "_engine", lambda: ("engine", None))
    monkeypatch.setattr(network, "_bridge_address", lambda: "172.17.0.1")
    folder = make_docker_deployment(tmp_path / "xiaozhi-server", data_text=block(url="http://172.17.0.1:9880/tts"))
    check = tts_check(folder, [server(host="127.0.0.1")])
    assert (check.key, check.params["need"]) == ("xiaozhi.doctor.bind_unreachable", "172.17.0.1")
    assert tts_check(folder, [server(host="172.17.0.1")]).key == "xiaozhi.doctor.points_ok"


def test_docker_desktop_reaches_a_loopback_server(tmp_path, monkeypatch):
    no_docker(tmp_path / "empty", monkeypatch)
    monkeypatch.setattr(network, "_engine", lambda: ("desktop", None))
    folder = make_docker_deployment(tmp_path / "xiaozhi-server",
                                    data_text=block(url="http://host.docker.internal:9880/tts"))
    assert tts_check(folder, [server(host="127.0.0.1")]).key == "xiaozhi.doctor.points_ok"


def test_status_column_marks(xdir):
    write_data(xdir, block())
    here = pointing.effective(xdir)
    assert pointing.points_at(here, server())
    assert not pointing.points_at(here, server(api="v1"))
    assert not pointing.points_at(here, server(port=9881))


def test_every_key_of_the_xiaozhi_doctor_checks_is_in_the_catalog_with_a_fix():
    tree = ast.parse(Path(xiaozhi_checks.__file__).read_text(encoding="utf-8"))
    keys = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("ok", "warn", "fail"):
            keys[node.args[1].value] = node.func.id
    assert len(keys) >= 12
    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}  # noqa: E731
    for key, kind in keys.items():
        entry = messages.CATALOG[key]
        assert fields(entry["zh"]) == fields(entry["en"]), key
        if kind != "ok":
            assert key + ".hint" in messages.CATALOG, key
