"""Profiles validated completely: duplicate keys, aliases that loop or explode, empty values,
values YAML cannot build, the name against the file name, --port from the command line; and a
broken profile is that file's error only: `list`, the menu, `bat --all` and `doctor` go on
with the others and show it as broken."""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from launcher.errors import BadInput, LauncherError
from launcher.profiles.schema import find_profile, parse_profile

from helpers import make_package, nahida_yaml, run_cli, snapshot, write_profile

P = Path("/p/nahida.yaml")
GOOD = "gpt: a.ckpt\nsovits: b.pth\n"
LAUGHS = 'lol0: &a0 "lol"\n' + "".join(
    f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 10)
)  # 10^9 strings once expanded


def _err(text: str, path: Path = P) -> BadInput:
    with pytest.raises(BadInput) as e:
        parse_profile(text, path)
    return e.value


# --- duplicate keys ----------------------------------------------------------------------


def test_duplicate_key_names_both_lines():
    e = _err("name: nahida\ngpt: a.ckpt\nsovits: b.pth\ngpt: c.ckpt\n")
    assert (e.key, e.params["name"], e.params["first"], e.params["second"]) == ("profile.yaml_duplicate_key", "gpt", 2, 4)


def test_duplicate_key_inside_params_and_flow_style():
    e = _err(GOOD + "params:\n  top_k: 5\n  top_p: 1\n  top_k: 15\n")
    assert (e.params["name"], e.params["first"], e.params["second"]) == ("top_k", 4, 6)
    e = _err(GOOD + "params: {top_k: 5, top_k: 6}\n")
    assert (e.params["first"], e.params["second"]) == (3, 3)


def test_merge_keys_are_not_duplicates():
    p = parse_profile(GOOD + "params:\n  <<: {top_k: 5}\n  top_k: 7\n", P)
    assert p.params == {"top_k": 7}


# --- aliases -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["params: &p {top_k: *p}\n", "emotions: &e {开心: *e}\n", "prompt_text: &t [*t]\n"])
def test_an_alias_inside_itself_is_an_error_of_the_file(text):
    assert _err(GOOD + text).key == "profile.yaml_alias_loop"


def test_billion_laughs_is_refused_in_bounded_time():
    started = time.perf_counter()
    e = _err(GOOD + LAUGHS.replace("lol", "x_lol"))
    assert e.key == "profile.yaml_alias_bomb" and e.params["line"] > 3
    assert time.perf_counter() - started < 1.0


def test_aliases_that_stay_small_are_fine():
    p = parse_profile(GOOD + "prompt_text: &t 你好\nemotions:\n  开心: {ref_audio: a.wav, prompt_text: *t}\n", P)
    assert p.emotions["开心"].prompt_text == "你好"


def test_nesting_thousands_deep_is_an_error_of_the_file():
    assert _err(GOOD + "params: " + "[" * 5000 + "]" * 5000 + "\n").key == "profile.yaml_too_deep"


# --- empty values and values YAML cannot build -----------------------------------------------------


@pytest.mark.parametrize("field", ["port", "host", "name", "api", "prompt_lang", "text_lang", "gpt", "sovits"])
def test_a_key_with_nothing_after_it_is_a_keyed_error(field):
    lines = {"gpt": "gpt: a.ckpt", "sovits": "sovits: b.pth"}
    lines[field] = f"{field}:"
    e = _err("\n".join(lines.values()) + "\n")
    assert (e.key, e.params["field"]) == ("profile.empty_field", field)


@pytest.mark.parametrize("field", ["device", "half", "ref_audio", "prompt_text", "display_name", "params", "emotions"])
def test_empty_optional_values_mean_not_set(field):
    p = parse_profile(GOOD + f"{field}:\n", P)
    assert p.name == "nahida"


@pytest.mark.parametrize("value", ["2024-13-45", "!!bool maybe", "!!int x", "!!float x", "!!timestamp x"])
def test_values_yaml_cannot_build_are_keyed(value):
    e = _err(GOOD + f"prompt_text: {value}\n")
    assert e.key == "profile.yaml_value" and e.params["line"] == 3


_FRAGMENTS = st.sampled_from([
    "gpt: a.ckpt", "sovits: b.pth", "port:", "host:", "port: 0", "port: 9880", "name: nahida", "name: other",
    "params: &p {top_k: 5}", "params: *p", "emotions: &e {a: *e}", "x: &x [*x, *x]", "prompt_text: 2024-13-45",
    "prompt_text: !!bool x", "half: !!int x", "gpt: a.ckpt", "<<: {gpt: a.ckpt}", "api: v1", "api:",
    "prompt_lang: !!python/object:os.system", "text_lang: [zh]", "device: ~", "params: {top_k: 1, top_k: 2}",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=8))
def test_any_profile_of_these_pieces_parses_or_fails_with_a_keyed_error(lines):
    try:
        parse_profile("\n".join(lines) + "\n", P)
    except BadInput as e:
        assert e.key.startswith(("profile.", "lang.")), e.key


def test_a_huge_file_is_not_read(tmp_path):
    from launcher.profiles.schema import load_profile

    path = tmp_path / "big.yaml"
    path.write_text(GOOD + "# " + "x" * (2 * 1024 * 1024) + "\n", encoding="utf-8")
    with pytest.raises(BadInput) as e:
        load_profile(path)
    assert e.value.key == "profile.too_large" and e.value.params["size"] == "2.0 MB"


# --- the name is the file name ---------------------------------------------------------------------


def test_a_name_line_may_repeat_the_file_name():
    assert parse_profile("name: nahida\n" + GOOD, P).name == "nahida"


def test_a_different_name_is_refused_naming_both():
    e = _err("name: keqing\n" + GOOD)
    assert (e.key, e.params["name"], e.params["stem"]) == ("profile.name_mismatch", "keqing", "nahida")


def test_lookup_uses_the_name_spelled_on_disk(tmp_path):
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "Nahida.yaml").write_text(GOOD, encoding="utf-8")
    assert find_profile("nahida", folder).name == "Nahida"
    assert find_profile("NAHIDA", folder).name == "Nahida"
    assert find_profile(str(folder / "Nahida.yaml"), folder).name == "Nahida"


@pytest.fixture
def home(tmp_path, isolated_home):
    from launcher.paths import Settings, save_settings

    pkg = make_package(tmp_path / "pkg")
    save_settings(Settings(gsv_root=str(pkg.root)))
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root))
    return isolated_home, pkg


def test_start_and_stop_of_a_mismatched_file_agree(home, capsys):
    """`keqing.yaml` saying `name: nahida` used to start as nahida (its record, log and
    tts_infer/nahida.yaml) while `stop keqing` looked for keqing. Now nothing starts from it,
    and every verb that reads it names the same problem."""
    from launcher.paths import layout
    from launcher.server.registry import Registry

    isolated_home, pkg = home
    write_profile(isolated_home, "keqing", nahida_yaml(pkg.root, name="nahida", port=9890))
    for args in (["keqing"], ["start", "keqing", "--detach"], ["say", "keqing", "你好"], ["bat", "keqing"],
                 ["doctor", "keqing", "--no-probe"]):
        code, out, err = run_cli(capsys, *args)
        assert code == 2 and "keqing.yaml" in out + err and "name: nahida" in out + err, (args, out, err)
    assert Registry(layout().registry_file).servers() == []
    code, _, err = run_cli(capsys, "stop", "keqing")
    assert code == 7 and "keqing" in err  # truthfully: nothing of that name can be running
    assert run_cli(capsys, "nahida", "--dry-run")[0] == 0  # nahida.yaml itself is unaffected


# --- --port from the command line -----------------------------------------------------------------


@pytest.mark.parametrize("verb", [["nahida"], ["start", "nahida"], ["bat", "nahida"], ["stop"]])
@pytest.mark.parametrize("port", ["0", "-1", "65536"])
def test_port_option_out_of_range_is_refused(home, capsys, verb, port):
    isolated_home, pkg = home
    before = snapshot(isolated_home, pkg.root)
    code, _, err = run_cli(capsys, *verb, "--port", port)
    assert code == 2 and f"端口 {port} 不在 1~65535 之间" in err
    assert snapshot(isolated_home, pkg.root) == before


def test_plan_start_no_longer_turns_port_0_into_the_profiles(home):
    from launcher.paths import layout, load_settings
    from launcher.server.plan import plan_start

    profile = find_profile("nahida", layout().profiles)
    with pytest.raises(BadInput) as e:
        plan_start(profile, layout=layout(), settings=load_settings(), port=0)
    assert (e.value.key, e.value.params["value"]) == ("start.bad_port", 0)


# --- one broken profile, the others still work --------------------------------------------------------

BROKEN = {
    "dup": "gpt: a.ckpt\nsovits: b.pth\ngpt: c.ckpt\n",
    "laughs": GOOD + LAUGHS,
    "loop": GOOD + "params: &p {top_k: *p}\n",
    "emptyport": GOOD + "port:\n",
    "mismatch": "name: somebody\n" + GOOD,
    "date": GOOD + "prompt_text: 2024-13-45\n",
    "deep": GOOD + "params: " + "[" * 3000 + "]" * 3000 + "\n",
    "gbk": None,  # written as GBK bytes below
}


@pytest.fixture
def broken(home):
    isolated_home, pkg = home
    folder = isolated_home / "profiles"
    for name, text in BROKEN.items():
        if text is None:
            (folder / f"{name}.yaml").write_bytes(nahida_yaml(pkg.root, name=name, prompt_text="你好").encode("gbk"))
        else:
            (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return home


def test_list_shows_the_broken_ones_and_the_good_one(broken, capsys):
    code, out, _ = run_cli(capsys, "list", "--json")
    assert code == 0
    rows = {r["profile"]: r for r in json.loads(out)["data"]}
    assert rows["nahida"]["error"] is None and rows["nahida"]["gpt"]["exists"]
    assert {k: rows[k]["error"]["key"] for k in BROKEN} == {
        "dup": "profile.yaml_duplicate_key", "laughs": "profile.yaml_alias_bomb", "loop": "profile.yaml_alias_loop",
        "emptyport": "profile.empty_field", "mismatch": "profile.name_mismatch", "date": "profile.yaml_value",
        "deep": "profile.yaml_too_deep", "gbk": "fs.not_utf8",
    }
    code, out, err = run_cli(capsys, "list")
    assert code == 0 and "nahida" in out and "意外错误" not in out + err


def test_the_menu_lists_them_all(broken, monkeypatch, capsys):
    from launcher.cli import run

    monkeypatch.setenv("SOVITS_LAUNCH_MENU", "1")
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
    code = run([])
    out = capsys.readouterr().out
    assert code == 0 and "意外错误" not in out
    rows = {line.split()[1]: line for line in out.splitlines() if line[:5].strip().isdigit()}
    assert "可以启动" in rows["纳西妲"]
    assert all("配置有误" in rows[name] for name in BROKEN), out  # each shown as broken, with its error


def test_bat_all_writes_the_good_one_and_names_the_broken(broken, tmp_path, capsys):
    code, out, err = run_cli(capsys, "bat", "--all", "--out", str(tmp_path / "bats"))
    assert code == 0, err
    assert [p.name for p in (tmp_path / "bats").iterdir()] == ["纳西妲.bat"]
    for name in BROKEN:
        assert f"{name}.yaml" in out + err


def test_doctor_checks_the_good_one_and_reports_the_broken(broken, capsys):
    code, out, err = run_cli(capsys, "doctor", "--no-probe", "--json")
    data = json.loads(out)["data"]
    text = json.dumps(data, ensure_ascii=False)
    assert "profile.yaml_alias_bomb" in text and "profile.name_mismatch" in text
    assert any(s.get("subject") == "nahida" for s in data["sections"])


def test_start_of_the_good_one_is_unaffected(broken, capsys):
    code, out, err = run_cli(capsys, "nahida", "--dry-run")
    assert code == 0, err
    assert "api_v2.py" in out
