"""`sovits-launch bat`: the verb over launcher.windows.batfile."""

from __future__ import annotations

import json

import pytest

from launcher.windows.batcheck import check_bat_bytes
from launcher.errors import EXIT_BAD_INPUT

from helpers import make_package, nahida_yaml, run_cli, write_profile


@pytest.fixture
def pkg(tmp_path, isolated_home):
    pkg = make_package(tmp_path / "GPT-SoVITS 整合包 (v2) & 100%")
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root))
    return pkg


def test_bat_writes_the_display_name_file_into_the_root(pkg, capsys):
    code, out, err = run_cli(capsys, "bat", "nahida")
    assert code == 0, err
    bat = pkg.root / "纳西妲.bat"
    data = bat.read_bytes()
    check_bat_bytes(data)
    assert b'start nahida --root "%~dp0."' in data
    assert str(bat) in out
    assert "PATH" in out  # no exe beside it, launcher not in the runtime: PATH is reported
    code, out, _ = run_cli(capsys, "bat", "nahida")
    assert code == 0 and "已是最新" in out
    bat.write_bytes(b"@echo off\r\nold\r\n")
    code, out, _ = run_cli(capsys, "bat", "nahida")
    assert code == 0 and "备份" in out
    assert bat.read_bytes() == data
    assert [p.read_bytes() for p in pkg.root.glob("纳西妲.bat.bak-*")] == [b"@echo off\r\nold\r\n"]


def test_bat_options_and_json(pkg, tmp_path, capsys):
    out_dir = pkg.root / "启动"
    code, out, err = run_cli(
        capsys, "bat", "纳西妲", "--out", str(out_dir), "--name", "纳西妲 v1", "--via", "runtime", "--v1", "-p", "9881", "--json"
    )
    assert code == 0, err
    payload = json.loads(out)
    assert payload["kind"] == "bat"
    (item,) = payload["data"]
    assert item["path"] == str(out_dir / "纳西妲 v1.bat")
    assert (item["via"], item["via_reason"], item["root_rel"], item["by_filename"]) == ("runtime", "forced", "..", False)
    assert item["command"] == '"%~dp0..\\runtime\\python.exe" -m launcher start nahida --root "%~dp0.." --v1 --port 9881'
    assert [n["key"] for n in item["notices"]] == ["bat.warn_runtime_missing"]


def test_bat_all(pkg, isolated_home, capsys):
    write_profile(isolated_home, "hutao", nahida_yaml(pkg.root, name="hutao", display_name="胡桃"))
    write_profile(isolated_home, "派蒙", nahida_yaml(pkg.root, name="派蒙", display_name=None))
    code, out, err = run_cli(capsys, "--lang", "en", "bat", "--all")
    assert code == 0, err
    assert sorted(p.name for p in pkg.root.glob("*.bat")) == sorted(["纳西妲.bat", "胡桃.bat", "派蒙.bat"])
    assert b'start "%~n0"' in (pkg.root / "派蒙.bat").read_bytes()
    assert "renaming the file breaks it" in out


def test_bat_all_refuses_a_shared_file_name_and_writes_nothing(pkg, isolated_home, capsys):
    write_profile(isolated_home, "nahida2", nahida_yaml(pkg.root, name="nahida2"))  # also 纳西妲
    code, _, err = run_cli(capsys, "bat", "--all")
    assert code == EXIT_BAD_INPUT
    assert "纳西妲.bat" in err
    assert list(pkg.root.glob("*.bat")) == []


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        ([], "--all"),
        (["nahida", "--all"], "--all"),
        (["--all", "--name", "x"], "--name"),
        (["nahida", "--via", "cmd"], "cmd"),
        (["nahida", "--name", "a/b"], "a/b"),
        (["nahida", "--v1", "--v2"], "--v1"),
    ],
)
def test_bat_bad_input(pkg, capsys, args, needle):
    code, _, err = run_cli(capsys, "bat", *args)
    assert code == EXIT_BAD_INPUT
    assert needle in err
    assert list(pkg.root.glob("*.bat")) == []


def test_bat_refuses_a_folder_that_is_not_gpt_sovits(pkg, tmp_path, capsys):
    other = tmp_path / "not-gsv"
    other.mkdir()
    code, _, err = run_cli(capsys, "bat", "nahida", "--root", str(other))
    assert code == EXIT_BAD_INPUT
    assert list(other.iterdir()) == []
