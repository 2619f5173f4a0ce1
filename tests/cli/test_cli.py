"""The CLI surface: default verb, errors rendered from the catalog, exit codes, --json."""

from __future__ import annotations

import json

import pytest

from launcher.errors import EXIT_BAD_INPUT, EXIT_MISSING_FILE, EXIT_NOT_RUNNING

from helpers import make_package, nahida_yaml, run_cli, write_profile


@pytest.fixture
def nahida(tmp_path, isolated_home):
    pkg = make_package(tmp_path / "GPT SoVITS 整合包")
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root))
    return pkg


def test_profile_name_without_verb_means_start(nahida, capsys):
    code1, out1, _ = run_cli(capsys, "nahida", "--v1", "--dry-run")
    code2, out2, _ = run_cli(capsys, "start", "nahida", "--v1", "--dry-run")
    assert code1 == code2 == 0
    assert out1 == out2
    assert "api.py" in out1 and "-dr" in out1


def test_global_option_before_profile_name(nahida, capsys):
    code, out, _ = run_cli(capsys, "--lang", "en", "nahida", "--dry-run")
    assert code == 0 and "Would run in" in out and "api_v2.py" in out


def test_unknown_profile_suggests_and_exits_bad_input(nahida, capsys):
    code, _, err = run_cli(capsys, "nahidda")
    assert code == EXIT_BAD_INPUT
    assert "找不到角色配置“nahidda”" in err and "nahida" in err


def test_english_on_request(nahida, capsys):
    code, _, err = run_cli(capsys, "--lang", "en", "nahidda")
    assert code == EXIT_BAD_INPUT and "No profile named 'nahidda'" in err


def test_broken_yaml_names_file_and_line(isolated_home, capsys):
    path = write_profile(isolated_home, "hutao", "gpt: a.ckpt\nsovits: [b.pth\n")
    code, _, err = run_cli(capsys, "hutao")
    assert code == EXIT_BAD_INPUT
    assert str(path) in err and "行" in err


def test_missing_reference_file(nahida, isolated_home, capsys):
    write_profile(isolated_home, "nahida", nahida_yaml(nahida.root, ref_audio="参考音频/没有.wav"))
    code, _, err = run_cli(capsys, "nahida")
    assert code == EXIT_MISSING_FILE and "没有.wav" in err


def test_list_json_envelope(nahida, capsys):
    code, out, _ = run_cli(capsys, "list", "--json")
    data = json.loads(out)
    assert code == 0 and data["kind"] == "profiles" and data["schema"] == 2
    row = data["data"][0]
    assert "name" not in row  # schema 2: the id is `profile` in every verb's JSON
    assert (row["profile"], row["display_name"], row["api"], row["port"], row["version"]) == ("nahida", "纳西妲", "v2", 9880, "v2")
    assert row["gpt"]["exists"] and row["sovits"]["exists"] and row["ref_ok"] is True
    assert row["ref_seconds"] == pytest.approx(5.0)
    assert row["running"] == []


def test_list_shows_broken_profiles_without_failing(isolated_home, capsys):
    write_profile(isolated_home, "bad", "gpt: [\n")
    code, out, err = run_cli(capsys, "list")
    assert code == 0 and "bad 的配置有误" in err


def test_status_empty_and_stop_not_running(isolated_home, capsys):
    assert run_cli(capsys, "status", "--json")[0] == 0
    code, _, err = run_cli(capsys, "stop", "nahida")
    assert code == EXIT_NOT_RUNNING and "没有在运行" in err


def test_init_creates_profiles_from_training_names(tmp_path, isolated_home, capsys):
    pkg = make_package(tmp_path / "整合包", character="胡桃_ZH")
    code, out, _ = run_cli(capsys, "init", str(pkg.root), "--json")
    assert code == 0
    data = json.loads(out)["data"]
    assert [p["profile"] for p in data["profiles"]] == ["胡桃"]
    profile = (isolated_home / "profiles" / "胡桃.yaml").read_text(encoding="utf-8")
    assert "GPT_weights_v2/胡桃_ZH-e10.ckpt" in profile
    assert "needs_reference" not in profile
    # Run twice: the user's profile is kept.
    code, out, _ = run_cli(capsys, "init", str(pkg.root))
    assert code == 0 and "保持不变" in out


def test_init_rejects_a_folder_that_is_not_gpt_sovits(tmp_path, capsys):
    (tmp_path / "随便").mkdir()
    code, _, err = run_cli(capsys, "init", str(tmp_path / "随便"))
    assert code == EXIT_BAD_INPUT and "api.py" in err


def test_no_arguments_prints_help(capsys):
    code, out, err = run_cli(capsys)
    assert code in (0, 2) and "用法：sovits-launch" in (out + err)  # Chinese help, Chinese headers


def test_a_dropped_pack_folder_is_imported(tmp_path, isolated_home, capsys):
    """Windows passes a folder dropped onto sovits-launch.exe as the first argument."""
    from helpers.packgen import gsvi_character

    pkg = make_package(tmp_path / "整合包")
    run_cli(capsys, "init", str(pkg.root))
    pack = gsvi_character(tmp_path / "下载" / "胡桃 角色包")
    code, out, err = run_cli(capsys, str(pack), "--json")
    assert code == 0, err
    assert len(list((isolated_home / "profiles").glob("*.yaml"))) == 2  # 纳西妲 from init + the pack


def test_a_profile_wins_over_a_same_named_folder(nahida, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nahida").mkdir()
    code, out, _ = run_cli(capsys, "nahida", "--dry-run")
    assert code == 0 and "api_v2.py" in out
