"""One way of saying each thing across verbs: JSON errors in the envelope, `profile` as
the id in every JSON, `-o/--out`, the dry-run line, "did you mean", one name per profile."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
import typer

from launcher import messages
from launcher.cli import app
from launcher.errors import EXIT_BAD_INPUT, EXIT_MISSING_FILE

from helpers import make_package, nahida_yaml, run_cli, write_profile

DRY_RUN_ZH = "（演练：以上修改没有写入）"


@pytest.fixture
def nahida(tmp_path, isolated_home, capsys):
    pkg = make_package(tmp_path / "GPT SoVITS 整合包")
    code, _, err = run_cli(capsys, "init", str(pkg.root))
    assert code == 0, err
    write_profile(isolated_home, "纳西妲", nahida_yaml(pkg.root))  # id nahida, display 纳西妲
    (isolated_home / "profiles" / "纳西妲.yaml").rename(isolated_home / "profiles" / "nahida.yaml")
    return pkg


def _tree():
    return typer.main.get_command(app)


# --- --json errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, key, code",
    [
        (["list", "--json", "--bogus"], "usage", 2),
        (["bat", "nobody", "--json"], "profile.none_yet", EXIT_BAD_INPUT),
        (["import", "/no/such/pack.zip", "--json"], None, None),
        (["doctor", "--no-probe", "nobody", "--json"], "profile.none_yet", EXIT_BAD_INPUT),
    ],
)
def test_json_errors_are_json_on_stdout(args, key, code, capsys):
    got, out, err = run_cli(capsys, *args)
    payload = json.loads(out)
    assert err == ""
    assert payload["kind"] == "error" and payload["schema"] == 2 and payload["data"] is None
    error = payload["error"]
    assert set(error) >= {"key", "message", "hint", "exit_code"}
    assert error["exit_code"] == got != 0
    if key:
        assert (error["key"], got) == (key, code)
    assert error["message"] and error["message"] != error["key"]


def test_json_error_message_in_english(capsys):
    code, out, _ = run_cli(capsys, "--lang", "en", "bat", "nobody", "--json")
    error = json.loads(out)["error"]
    assert error["message"] == "No profile named 'nobody': there are no profiles yet."
    assert error["hint"].startswith("Run `sovits-launch init")


def test_without_json_errors_stay_on_stderr(capsys):
    code, out, err = run_cli(capsys, "bat", "nobody")
    assert code == EXIT_BAD_INPUT and out == "" and "还没有任何角色配置" in err


# --- one key for the profile id ------------------------------------------------------


def test_profile_is_the_id_in_every_json(nahida, tmp_path, capsys):
    ids = []
    code, out, _ = run_cli(capsys, "list", "--json")
    ids += [row["profile"] for row in json.loads(out)["data"]]
    code, out, _ = run_cli(capsys, "init", str(nahida.root), "--json")
    ids += [p["profile"] for p in json.loads(out)["data"]["profiles"]]
    code, out, _ = run_cli(capsys, "bat", "nahida", "-o", str(tmp_path / "bats"), "--json")
    ids += [b["profile"] for b in json.loads(out)["data"]]
    code, out, _ = run_cli(capsys, "doctor", "--no-probe", "nahida", "--json")
    ids += [s["profile"] for s in json.loads(out)["data"]["sections"] if s["kind"] == "profile"]
    assert set(ids) == {"nahida", "纳西妲"} and "nahida" in ids
    for verb in (["list"], ["init", str(nahida.root)]):
        code, out, _ = run_cli(capsys, *verb, "--json")
        assert '"name"' not in out  # the old key for the id


def test_import_json_names_the_id_profile_and_the_file_profile_file(tmp_path, isolated_home, capsys):
    from helpers.packgen import gsvi_character

    pkg = make_package(tmp_path / "整合包")
    run_cli(capsys, "init", str(pkg.root))
    pack = gsvi_character(tmp_path / "下载" / "胡桃")
    code, out, err = run_cli(capsys, "import", str(pack), "--dry-run", "--json")
    assert code == 0, err
    (character,) = json.loads(out)["data"]["characters"]
    assert character["profile_file"].endswith(f"{character['profile']}.yaml")
    assert "name" not in character


# --- -o/--out ---------------------------------------------------------------------------


def test_one_spelling_for_the_output_option():
    for name, command in _tree().commands.items():
        for param in command.params:
            if not isinstance(param, click.Option) or param.hidden:
                continue
            assert "--output" not in param.opts, name
            if "-o" in param.opts:
                assert param.opts == ["--out", "-o"], name


def test_doctor_still_takes_the_old_spelling(tmp_path, capsys):
    code, out, err = run_cli(capsys, "doctor", "--no-probe", "--output", str(tmp_path / "b.zip"))
    assert (tmp_path / "b.zip").is_file(), err


# --- dry runs ------------------------------------------------------------------------------


def test_every_verb_with_a_dry_run_is_checked_below():
    verbs = {n for n, c in _tree().commands.items() if any("--dry-run" in getattr(p, "opts", ()) for p in c.params)}
    assert verbs <= {"start", "xiaozhi", "patch-config", "import", "ref", "doctor"}


@pytest.mark.parametrize("verb", ["start", "patch-config", "import"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dry_runs_end_with_the_same_line(verb, lang, nahida, tmp_path, capsys):
    if verb == "import":
        from helpers.packgen import gsvi_character

        args = ["import", str(gsvi_character(tmp_path / "下载" / "胡桃")), "--dry-run"]
    else:
        args = [verb, "nahida", "--dry-run"]
    if verb == "patch-config":
        fixture = Path(__file__).resolve().parents[1] / "fixtures" / "configpy" / "config-20250617.py"
        (nahida.root / "config.py").write_bytes(fixture.read_bytes())
    code, out, err = run_cli(capsys, "--lang", lang, *args)
    assert code == 0, err
    assert out.rstrip().splitlines()[-1] == messages.CATALOG["dry_run.nothing_written"][lang]
    if lang == "zh":
        assert out.rstrip().endswith(DRY_RUN_ZH)


# --- did you mean -------------------------------------------------------------------------


def test_did_you_mean_names_the_closest_id_and_lists_every_profile(nahida, capsys):
    code, _, err = run_cli(capsys, "nahdia")
    assert code == EXIT_BAD_INPUT
    assert "找不到角色配置“nahdia”。是不是 nahida？" in err
    assert "纳西妲 (nahida)" in err and "（）" not in err and "()" not in err


def test_a_display_name_typo_suggests_the_id(nahida, capsys):
    code, _, err = run_cli(capsys, "纳西")
    assert "是不是 nahida？" in err


def test_nothing_close_lists_the_profiles_without_a_guess(nahida, capsys):
    code, _, err = run_cli(capsys, "--lang", "en", "zzzzzz")
    assert code == EXIT_BAD_INPUT
    assert "No profile named 'zzzzzz'." in err and "Did you mean" not in err
    assert "纳西妲 (nahida)" in err and "()" not in err.replace("纳西妲 (nahida)", "")


def test_no_profiles_at_all_says_how_to_make_one(capsys):
    code, _, err = run_cli(capsys, "nahida")
    assert code == EXIT_BAD_INPUT
    assert "还没有任何角色配置" in err and "sovits-launch init" in err and "（）" not in err


# --- one name per profile -----------------------------------------------------------------


def test_list_and_menu_name_a_profile_the_same_way(nahida, monkeypatch, capsys):
    import io
    import sys

    from launcher.cli import run

    code, out, _ = run_cli(capsys, "list")
    assert "纳西妲 (nahida)" in out
    monkeypatch.setenv("SOVITS_LAUNCH_MENU", "1")
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
    assert run([]) == 0
    assert "纳西妲 (nahida)" in capsys.readouterr().out


def test_api_and_model_version_are_different_columns(nahida, capsys):
    code, out, _ = run_cli(capsys, "list")
    header, row = out.splitlines()[:2]
    assert "接口" in header and "模型版本" in header and "api_v2.py" in row
    assert header.split()[1:3] == ["接口", "端口"]
