"""`init --xiaozhi` / `xiaozhi set-dir` and `xiaozhi <profile>` with a Docker deployment folder.

The advertised host follows what the Docker product forwards (launcher/xiaozhi/network.py):
Docker Desktop -> host.docker.internal and a 127.0.0.1 bind; Docker Engine on Linux -> the
bridge address for both (or host.docker.internal when the compose file maps host-gateway).
"""

from __future__ import annotations

import os
import stat

import pytest

from launcher.errors import EXIT_BAD_INPUT
from launcher.paths import load_settings
from launcher.xiaozhi import network
from launcher.xiaozhi.deploy import Deployment, find_service

from helpers import make_package, nahida_yaml, run_cli, write_profile
from helpers.fake_docker import install, no_docker
from helpers.xiaozhi_like import make_docker_deployment
from helpers.xiaozhi_tree import as_xiaozhi_reads

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the fake docker is a POSIX script")


@pytest.fixture
def pkg(tmp_path, isolated_home):
    pkg = make_package(tmp_path / "GPT-SoVITS")
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root))
    return pkg


def test_set_dir_accepts_a_docker_folder_and_says_what_it_chose(tmp_path, monkeypatch, capsys):
    install(tmp_path / "bin", monkeypatch, os="Docker Desktop")
    folder = make_docker_deployment(tmp_path / "xiaozhi-server")
    code, out, err = run_cli(capsys, "xiaozhi", "set-dir", str(folder))
    assert code == 0, err
    assert load_settings().xiaozhi_dir == str(folder.resolve())
    assert "Docker 部署" in out and "host.docker.internal" in out and "127.0.0.1" in out


def test_init_accepts_a_docker_folder(tmp_path, monkeypatch, capsys, pkg):
    no_docker(tmp_path / "empty", monkeypatch)
    folder = make_docker_deployment(tmp_path / "xiaozhi-server")
    code, _, err = run_cli(capsys, "init", str(pkg.root), "--xiaozhi", str(folder))
    assert code == 0, err
    assert load_settings().xiaozhi_dir == str(folder.resolve())


def test_docker_desktop_gets_host_docker_internal(tmp_path, monkeypatch, capsys, pkg):
    install(tmp_path / "bin", monkeypatch, os="Docker Desktop")
    folder = make_docker_deployment(tmp_path / "xiaozhi-server")
    assert run_cli(capsys, "xiaozhi", "set-dir", str(folder))[0] == 0
    code, out, err = run_cli(capsys, "xiaozhi", "nahida")
    assert code == 0, err
    block = as_xiaozhi_reads(folder / "data" / ".config.yaml")["TTS"]["GPT_SOVITS_V2"]
    assert block["url"] == "http://host.docker.internal:9880/tts"
    assert block["ref_audio_path"] == str(pkg.ref)  # the GPT-SoVITS host's path: the server opens it
    assert "docker restart xiaozhi-esp32-server" in out


def test_linux_engine_gets_the_bridge_address_and_a_warning(tmp_path, monkeypatch, capsys, pkg):
    install(tmp_path / "bin", monkeypatch, os="Ubuntu 24.04 LTS", bridge="172.17.0.1")
    monkeypatch.setattr(network, "_bridge_address", lambda: "172.17.0.1")
    folder = make_docker_deployment(tmp_path / "xiaozhi-server")
    assert run_cli(capsys, "xiaozhi", "set-dir", str(folder))[0] == 0
    code, out, err = run_cli(capsys, "xiaozhi", "nahida")
    assert code == 0, err
    block = as_xiaozhi_reads(folder / "data" / ".config.yaml")["TTS"]["GPT_SOVITS_V2"]
    assert block["url"] == "http://172.17.0.1:9880/tts"
    assert "extra_hosts" in out and "host-gateway" in out  # what to add to use the name instead
    assert "安全提示" in err and "172.17.0.1" in err
    assert "sovits-launch stop nahida" in err  # the profile listens on 127.0.0.1: a container cannot reach it


def test_linux_engine_with_extra_hosts_gets_the_name(tmp_path, monkeypatch):
    install(tmp_path / "bin", monkeypatch, os="Debian GNU/Linux 12 (bookworm)")
    folder = make_docker_deployment(tmp_path / "xiaozhi-server", extra_hosts=True)
    dep = Deployment(folder, "docker", find_service(folder))
    choice = network.choose(dep, gateway="172.17.0.1")
    assert (choice.advertise, choice.bind, choice.reason) == (
        "host.docker.internal", "172.17.0.1", "xiaozhi.net.engine_gateway")
    assert network.bind_for(choice, "127.0.0.1") == "172.17.0.1"
    assert network.bind_for(choice, "0.0.0.0") is None  # the user chose it: kept
    assert not network.reachable_bind(choice, "127.0.0.1")
    assert network.reachable_bind(choice, "0.0.0.0") and network.reachable_bind(choice, "172.17.0.1")


def test_desktop_keeps_the_loopback_bind(tmp_path):
    folder = make_docker_deployment(tmp_path / "xiaozhi-server")
    choice = network.choose(Deployment(folder, "docker", find_service(folder)), engine="desktop")
    assert (choice.advertise, choice.bind) == ("host.docker.internal", "127.0.0.1")
    assert network.bind_for(choice, "127.0.0.1") is None
    assert network.reachable_bind(choice, "127.0.0.1")


def test_daemon_down_guesses_from_the_os_and_says_so(tmp_path, monkeypatch):
    install(tmp_path / "bin", monkeypatch, daemon="down")
    folder = make_docker_deployment(tmp_path / "xiaozhi-server")
    choice = network.choose(Deployment(folder, "docker", find_service(folder)), gateway="172.17.0.1")
    assert choice.guessed_from is not None and choice.guessed_from.key == "xiaozhi.docker.daemon_down"


def test_source_install_keeps_127(tmp_path):
    choice = network.choose(Deployment(tmp_path, "source"))
    assert (choice.advertise, choice.bind) == (None, None)


def test_read_only_data_folder_is_refused_and_left_alone(tmp_path, monkeypatch, capsys, pkg):
    install(tmp_path / "bin", monkeypatch, os="Docker Desktop")
    folder = make_docker_deployment(tmp_path / "xiaozhi-server", data_text="selected_module:\n  TTS: EdgeTTS\n")
    assert run_cli(capsys, "xiaozhi", "set-dir", str(folder))[0] == 0
    data = folder / "data"
    data.chmod(stat.S_IRUSR | stat.S_IXUSR)
    (data / ".config.yaml").chmod(stat.S_IRUSR)
    try:
        code, _, err = run_cli(capsys, "xiaozhi", "nahida")
    finally:
        data.chmod(stat.S_IRWXU)
        (data / ".config.yaml").chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert code == EXIT_BAD_INPUT and "只读" in err
    assert sorted(p.name for p in data.iterdir()) == [".config.yaml"]


def test_start_dry_run_binds_the_bridge_for_linux_engine(tmp_path, monkeypatch, capsys, pkg):
    install(tmp_path / "bin", monkeypatch, os="Ubuntu 24.04 LTS")
    monkeypatch.setattr(network, "_bridge_address", lambda: "172.17.0.1")
    folder = make_docker_deployment(tmp_path / "xiaozhi-server")
    assert run_cli(capsys, "xiaozhi", "set-dir", str(folder))[0] == 0
    code, out, err = run_cli(capsys, "start", "nahida", "--dry-run")
    assert code == 0, err
    assert "-a 172.17.0.1" in out
    code, out, _ = run_cli(capsys, "start", "nahida", "--dry-run", "--no-xiaozhi")
    assert "-a 127.0.0.1" in out  # a one-off test leaves xiaozhi (and the bind) alone
    code, out, _ = run_cli(capsys, "start", "nahida", "--dry-run", "--host", "0.0.0.0")
    assert "-a 0.0.0.0" in out  # the user's own choice wins
