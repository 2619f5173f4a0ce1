"""Docker deployments (xiaozhi's docs/Deployment.md 方式一): found, parsed, verified with the image's defaults."""

from __future__ import annotations

import os

import pytest
import yaml

from launcher.errors import BadInput
from launcher.xiaozhi import config as xz
from launcher.xiaozhi import deploy, files, image

from helpers.fake_docker import install, no_docker
from helpers.xiaozhi_like import container_root, make_docker_deployment
from helpers.xiaozhi_tree import FIXTURE, as_xiaozhi_reads, target

posix_only = pytest.mark.skipif(os.name == "nt", reason="the fake docker is a POSIX script")


def test_docker_folder_is_accepted_as_a_deployment(tmp_path):
    folder = make_docker_deployment(tmp_path / "xiaozhi-server")
    assert files.find_xiaozhi_dir(folder) == folder.resolve()
    dep = files.deployment(folder)
    assert (dep.kind, dep.container, dep.compose.name, dep.compose.ws_port) == (
        "docker", "xiaozhi-esp32-server", "xiaozhi-esp32-server", 8000)


def test_parent_folder_with_xiaozhi_server_inside_is_accepted(tmp_path):
    folder = make_docker_deployment(tmp_path / "deploy" / "xiaozhi-server")
    assert files.find_xiaozhi_dir(tmp_path / "deploy") == folder.resolve()


def test_compose_without_the_service_is_refused(tmp_path):
    folder = tmp_path / "other"
    (folder / "data").mkdir(parents=True)
    (folder / "docker-compose.yml").write_text(
        "services:\n  web:\n    image: nginx\n    volumes:\n      - ./html:/usr/share/nginx/html\n", encoding="utf-8")
    with pytest.raises(BadInput) as info:
        files.find_xiaozhi_dir(folder)
    assert info.value.key == "xiaozhi.docker_only"


def test_data_mounted_from_elsewhere_is_refused(tmp_path):
    folder = make_docker_deployment(tmp_path / "xiaozhi-server")
    compose = folder / "docker-compose.yml"
    compose.write_text(compose.read_text(encoding="utf-8").replace("./data:", "/srv/other/data:"), encoding="utf-8")
    with pytest.raises(BadInput) as info:
        files.find_xiaozhi_dir(folder)
    assert info.value.key == "xiaozhi.docker.data_elsewhere"
    assert info.value.params["source"] == "/srv/other/data"


def test_full_stack_compose_picks_the_server_not_the_web_service(tmp_path):
    folder = tmp_path / "all"
    (folder / "data").mkdir(parents=True)
    (folder / "docker-compose_all.yml").write_text(
        "services:\n"
        "  xiaozhi-esp32-server-web:\n    image: x/xiaozhi-esp32-server:web_latest\n    container_name: web\n"
        "    ports: ['8002:8002']\n    volumes: ['./uploadfile:/uploadfile']\n"
        "  xiaozhi-esp32-server:\n    image: x/xiaozhi-esp32-server:server_latest\n    container_name: zhi\n"
        "    ports: ['127.0.0.1:18000:8000/tcp']\n"
        "    volumes:\n      - type: bind\n        source: ./data\n        target: /opt/xiaozhi-esp32-server/data\n",
        encoding="utf-8")
    service = deploy.find_service(folder)
    assert (service.name, service.container_name, service.ws_port, service.data_source) == (
        "xiaozhi-esp32-server", "zhi", 18000, "./data")


@pytest.mark.parametrize("extra, expected", [
    ('["host.docker.internal:host-gateway"]', True),
    ('{"host.docker.internal": "host-gateway"}', True),
    ('["host.docker.internal=host-gateway"]', True),
    ('["other:10.0.0.1"]', False),
])
def test_extra_hosts_forms(extra, expected):
    assert deploy.has_host_gateway(yaml.safe_load(f"extra_hosts: {extra}")) is expected


def test_windows_volume_paths_split_at_the_target():
    assert deploy.split_volume(r"D:\xiaozhi-server\data:/opt/xiaozhi-esp32-server/data:rw") == (
        r"D:\xiaozhi-server\data", "/opt/xiaozhi-esp32-server/data")


def test_carried_defaults_are_the_shipped_config_yaml_values():
    """image_defaults.yaml holds exactly what xiaozhi's config.yaml says for every key it carries."""
    shipped = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    carried = image.carried()

    def same(part, whole, where=""):
        for key, value in part.items():
            assert key in whole, where + key
            if isinstance(value, dict):
                same(value, whole[key], f"{where}{key}.")
            else:
                assert whole[key] == value and type(whole[key]) is type(value), where + key

    same(carried.config, shipped)
    assert set(carried.config["TTS"]) == {"GPT_SOVITS_V2", "GPT_SOVITS_V3"}
    assert carried.config["TTS"]["GPT_SOVITS_V2"] == shipped["TTS"]["GPT_SOVITS_V2"]
    assert {"gpt_sovits_v2", "gpt_sovits_v3", "edge"} <= carried.tts_types
    assert "gpt_sovits_v1" not in carried.tts_types  # never merged upstream


def test_without_docker_the_block_is_verified_with_the_carried_defaults(tmp_path, monkeypatch):
    no_docker(tmp_path / "empty-path", monkeypatch)
    folder = make_docker_deployment(tmp_path / "xiaozhi-server")
    edit = xz.plan(folder, target())
    assert edit.changed and edit.old_text is None and edit.previous_module == "EdgeTTS"
    xz.apply(edit)
    data = as_xiaozhi_reads(folder / "data" / ".config.yaml")
    assert data["selected_module"]["TTS"] == "GPT_SOVITS_V2"
    assert files.merged_config(folder)["TTS"]["GPT_SOVITS_V2"]["batch_threshold"] == 0.75  # from the image


def test_a_full_copy_data_config_docker_style_is_edited_in_place(tmp_path, monkeypatch):
    """Docker's docs copy the whole config.yaml into data/.config.yaml: it stays whole, two keys change."""
    no_docker(tmp_path / "empty-path", monkeypatch)
    folder = make_docker_deployment(tmp_path / "xiaozhi-server", data_text=FIXTURE.read_text(encoding="utf-8"))
    xz.apply(xz.plan(folder, target()))
    before = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    after = as_xiaozhi_reads(folder / "data" / ".config.yaml")
    assert after["selected_module"]["TTS"] == "GPT_SOVITS_V2"
    assert after["TTS"]["EdgeTTS"] == before["TTS"]["EdgeTTS"] and after["LLM"] == before["LLM"]
    assert "# 在开发中，请在项目根目录创建data目录" in (folder / "data" / ".config.yaml").read_text(encoding="utf-8")


def test_v1_provider_is_not_in_the_image(tmp_path, monkeypatch):
    no_docker(tmp_path / "empty-path", monkeypatch)
    folder = make_docker_deployment(tmp_path / "xiaozhi-server")
    with pytest.raises(BadInput) as info:
        xz.plan(folder, target(api="v1", module="GPT_SOVITS_V1"))
    assert info.value.key == "xiaozhi.v1_provider_missing"


@posix_only
def test_the_running_containers_config_yaml_is_read_when_docker_answers(tmp_path, monkeypatch):
    folder = make_docker_deployment(tmp_path / "xiaozhi-server")
    root = container_root(tmp_path / "image", folder / "data")
    newer = (root / "config.yaml").read_text(encoding="utf-8").replace('batch_threshold: 0.75', 'batch_threshold: 0.5')
    (root / "config.yaml").write_text(newer, encoding="utf-8")
    fake = install(tmp_path / "bin", monkeypatch)
    fake.add_container("xiaozhi-esp32-server", data=folder / "data", root=root)
    shipped = image.image_config(files.deployment(folder))
    assert shipped.source == "container" and shipped.container == "xiaozhi-esp32-server"
    assert shipped.config["TTS"]["GPT_SOVITS_V2"]["batch_threshold"] == 0.5
    assert {"gpt_sovits_v2", "gpt_sovits_v3", "edge"} <= shipped.tts_types
    assert ["exec", "-i", "-w", "/opt/xiaozhi-esp32-server", "xiaozhi-esp32-server", "cat",
            "/opt/xiaozhi-esp32-server/config.yaml"] in fake.calls()


@posix_only
@pytest.mark.parametrize("situation", ["daemon_down", "stopped", "missing"])
def test_docker_unusable_falls_back_to_the_carried_defaults(tmp_path, monkeypatch, situation):
    folder = make_docker_deployment(tmp_path / "xiaozhi-server")
    if situation == "missing":
        no_docker(tmp_path / "empty-path", monkeypatch)
    else:
        fake = install(tmp_path / "bin", monkeypatch, daemon="down" if situation == "daemon_down" else "up")
        fake.add_container("xiaozhi-esp32-server", data=folder / "data", running=False)
    shipped = image.image_config(files.deployment(folder))
    assert shipped.source == "carried"
    assert (shipped.why.key if shipped.why else None) == (
        "xiaozhi.docker.daemon_down" if situation == "daemon_down" else None)


@posix_only
def test_container_found_by_its_mounted_data_folder_when_compose_names_none(tmp_path, monkeypatch):
    from launcher.xiaozhi import docker

    folder = make_docker_deployment(tmp_path / "xiaozhi-server", container=None)
    fake = install(tmp_path / "bin", monkeypatch)
    fake.add_container("some-other-app", data=None, image="nginx")
    fake.add_container("xiaozhi-server-xiaozhi-esp32-server-1", data=folder / "data")
    found = docker.find_container(files.deployment(folder))
    assert found is not None and found.name == "xiaozhi-server-xiaozhi-esp32-server-1"


def test_docker_desktop_spellings_of_a_mount_source(tmp_path):
    from launcher.xiaozhi.docker import _normal

    assert _normal("/run/desktop/mnt/host/d/xiaozhi-server/data") == _normal(r"D:\xiaozhi-server\data")
    assert _normal("/host_mnt/d/xiaozhi-server/data/") == _normal("d:/xiaozhi-server/data")
