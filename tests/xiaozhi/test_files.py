"""Finding the xiaozhi-server folder, and reading its config as xiaozhi merges it.

The shipped `config.yaml` (tests/fixtures/xiaozhi/) is the real file of
xinnan-tech/xiaozhi-esp32-server; merges and checks run against it.
"""

from __future__ import annotations

import shutil

import pytest

from launcher.xiaozhi import files as xzfiles
from launcher.errors import BadInput, MissingFile
from helpers.xiaozhi_tree import xdir  # noqa: F401  (xdir is a fixture)


# --- the folder -------------------------------------------------------------------------------


def test_repo_root_and_server_folder_are_both_accepted(tmp_path, xdir):
    root = tmp_path / "xiaozhi-esp32-server"
    assert xzfiles.find_xiaozhi_dir(root) == xdir.resolve()
    assert xzfiles.find_xiaozhi_dir(xdir) == xdir.resolve()


def test_missing_folder(tmp_path):
    with pytest.raises(MissingFile) as info:
        xzfiles.find_xiaozhi_dir(tmp_path / "nope")
    assert info.value.key == "xiaozhi.dir_missing"


def test_folder_without_config_yaml_is_refused(tmp_path):
    (tmp_path / "other").mkdir()
    with pytest.raises(BadInput) as info:
        xzfiles.find_xiaozhi_dir(tmp_path / "other")
    assert info.value.key == "xiaozhi.not_xiaozhi"
    assert info.value.params["missing"] == "config.yaml"


def test_folder_without_tts_providers_is_refused(tmp_path, xdir):
    shutil.rmtree(xdir / "core")
    with pytest.raises(BadInput) as info:
        xzfiles.find_xiaozhi_dir(tmp_path / "xiaozhi-esp32-server")
    assert info.value.key == "xiaozhi.not_xiaozhi"
    assert info.value.params["missing"] == "core/providers/tts/"
    assert info.value.params["path"] == str(xdir)


def test_config_yaml_without_tts_section_is_refused(xdir):
    (xdir / "config.yaml").write_text("server:\n  port: 8000\n", encoding="utf-8")
    with pytest.raises(BadInput) as info:
        xzfiles.find_xiaozhi_dir(xdir)
    assert info.value.key == "xiaozhi.no_tts_section"


def test_docker_deployment_folder_is_explained(tmp_path):
    folder = tmp_path / "xiaozhi-server"
    (folder / "data").mkdir(parents=True)
    (folder / "docker-compose.yml").write_text("services: {}\n", encoding="utf-8")
    with pytest.raises(BadInput) as info:
        xzfiles.find_xiaozhi_dir(folder)
    assert info.value.key == "xiaozhi.docker_only"


# --- xiaozhi's merge --------------------------------------------------------------------------


def test_merge_is_recursive_and_custom_wins():
    default = {"a": {"x": 1, "y": [1, 2]}, "b": 1, "c": {"k": 1}}
    custom = {"a": {"y": [3], "z": 2}, "b": {"n": 1}, "c": None}
    assert xzfiles.merge_configs(default, custom) == {"a": {"x": 1, "y": [3], "z": 2}, "b": {"n": 1}, "c": None}
