"""The `xiaozhi` verb end to end through the CLI (no server needed)."""

from __future__ import annotations

import pytest

from launcher.errors import EXIT_BAD_INPUT
from launcher.paths import layout, load_settings

from helpers import make_package, nahida_yaml, run_cli, write_profile
from helpers.xiaozhi_tree import as_xiaozhi_reads, data_file, make_xiaozhi, write_data


@pytest.fixture
def setup(tmp_path, isolated_home, capsys):
    pkg = make_package(tmp_path / "GPT-SoVITS 整合包")
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root, params={"top_k": 12, "speed": 1.1}))
    repo = make_xiaozhi(tmp_path / "xiaozhi-esp32-server")
    code, out, err = run_cli(capsys, "xiaozhi", "set-dir", str(tmp_path / "xiaozhi-esp32-server"))
    assert code == 0, err
    return pkg, repo


def test_set_dir_finds_the_server_folder_inside_the_repo(setup):
    _, repo = setup
    assert load_settings().xiaozhi_dir == str(repo)


def test_dry_run_writes_nothing(setup, capsys):
    _, repo = setup
    code, out, _ = run_cli(capsys, "xiaozhi", "nahida", "--dry-run")
    assert code == 0
    assert "GPT_SOVITS_V2" in out and "演练" in out
    assert not data_file(repo).exists()


def test_writes_v2_block_with_absolute_reference_then_is_idempotent(setup, capsys):
    pkg, repo = setup
    code, out, err = run_cli(capsys, "xiaozhi", "nahida")
    assert code == 0, err
    data = as_xiaozhi_reads(data_file(repo))
    assert data["selected_module"]["TTS"] == "GPT_SOVITS_V2"
    block = data["TTS"]["GPT_SOVITS_V2"]
    assert block["url"] == "http://127.0.0.1:9880/tts"
    assert block["ref_audio_path"] == str(pkg.ref)
    assert (block["prompt_lang"], block["text_lang"], block["top_k"], block["speed_factor"]) == ("zh", "zh", 12, 1.1)
    before = data_file(repo).read_bytes()
    backups = sorted((repo / "data").glob(".config.yaml.*"))
    code, out, _ = run_cli(capsys, "xiaozhi", "nahida")
    assert code == 0 and "没有改动" in out
    assert data_file(repo).read_bytes() == before
    assert sorted((repo / "data").glob(".config.yaml.*")) == backups


def test_v1_server_gets_the_v3_block_and_advertise_host(setup, capsys):
    _, repo = setup
    code, _, err = run_cli(capsys, "xiaozhi", "nahida", "--advertise-host", "host.docker.internal")
    assert code == 0, err
    # the profile's api decides; switch it to api.py
    path = layout().profiles / "nahida.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("api: v2", "api: v1"), encoding="utf-8")
    code, _, err = run_cli(capsys, "xiaozhi", "nahida", "--advertise-host", "host.docker.internal")
    assert code == 0, err
    data = as_xiaozhi_reads(data_file(repo))
    assert data["selected_module"]["TTS"] == "GPT_SOVITS_V3"
    assert data["TTS"]["GPT_SOVITS_V3"]["url"] == "http://host.docker.internal:9880"
    assert data["TTS"]["GPT_SOVITS_V2"]["url"] == "http://host.docker.internal:9880/tts"  # earlier write kept


def test_undo_restores_the_previous_file(setup, capsys):
    _, repo = setup
    cfg = write_data(repo, "# 我的配置\nselected_module:\n  TTS: EdgeTTS\n")
    original = cfg.read_bytes()
    assert run_cli(capsys, "xiaozhi", "nahida")[0] == 0
    assert cfg.read_bytes() != original and "# 我的配置" in cfg.read_text(encoding="utf-8")
    code, out, _ = run_cli(capsys, "xiaozhi", "--undo")
    assert code == 0 and cfg.read_bytes() == original


def test_manager_mode_changes_nothing_and_prints_values(setup, capsys):
    pkg, repo = setup
    cfg = write_data(repo, "manager-api:\n  url: http://127.0.0.1:8002/xiaozhi\n  secret: abc\n")
    before = cfg.read_bytes()
    code, out, err = run_cli(capsys, "xiaozhi", "nahida")
    assert code == 0
    assert cfg.read_bytes() == before
    assert "智控台" in err and str(pkg.ref) in out


def test_malformed_config_is_left_byte_identical(setup, capsys):
    _, repo = setup
    cfg = write_data(repo, "TTS:\n  a: [1,\n")
    before = cfg.read_bytes()
    code, _, err = run_cli(capsys, "xiaozhi", "nahida")
    assert code == EXIT_BAD_INPUT and ".config.yaml" in err
    assert cfg.read_bytes() == before


def test_not_set_tells_how(isolated_home, tmp_path, capsys):
    pkg = make_package(tmp_path / "pkg")
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root))
    code, _, err = run_cli(capsys, "xiaozhi", "nahida")
    assert code == EXIT_BAD_INPUT and "set-dir" in err
