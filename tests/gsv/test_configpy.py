"""`config.py` patch mode on files shaped like each version of upstream's config.py (tests/fixtures/configpy)."""

from __future__ import annotations

import ast
import os
import shutil
import sys
import warnings
from pathlib import Path

import pytest

from launcher.gsv import configpy
from launcher.errors import EXIT_BAD_INPUT, EXIT_MISSING_FILE, BadInput, LauncherError, MissingFile
from helpers.configpy_fixtures import (
    FIXTURES,
    GPT,
    SOVITS,
    SUPPORTED,
    UNSUPPORTED,
    UNSUPPORTED_UPSTREAM,
    WIN_GPT,
    WIN_SOVITS,
    config_defaults,
    package_with,
)

from helpers import make_package, nahida_yaml, run_cli, write_profile


def module_values(data: bytes) -> dict[str, object]:
    with warnings.catch_warnings():  # upstream's `"(\d+)"` warns on 3.12+
        warnings.simplefilter("ignore")
        tree = ast.parse(data.decode("utf-8-sig"))
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in configpy.NAMES:
                found[node.targets[0].id] = ast.literal_eval(node.value)
    return found


def changed_lines(old: bytes, new: bytes) -> list[tuple[bytes, bytes]]:
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b) if x != y]


# --- the fixtures are what the README says ---------------------------------------


def test_fixtures_have_upstreams_crlf_and_a_readme_entry():
    for name in SUPPORTED + UNSUPPORTED:
        data = (FIXTURES / name).read_bytes()
        assert b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n") == data.count(b"\r"), name
        assert not data.startswith(configpy.BOM), name  # upstream never had one; tests add it
    assert len(SUPPORTED) >= 2 and UNSUPPORTED_UPSTREAM in UNSUPPORTED
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    for name in SUPPORTED + UNSUPPORTED:
        assert name in readme


@pytest.mark.parametrize("fixture", SUPPORTED)
def test_each_supported_fixture_hands_its_defaults_to_config(fixture):
    # What api.py sees: `Config().sovits_path` / `.gpt_path`, empty = upstream's base models.
    data = (FIXTURES / fixture).read_bytes()
    assert data.count(b'\nsovits_path = ""\r\n') == 1 and data.count(b'\ngpt_path = ""\r\n') == 1
    assert config_defaults(FIXTURES / fixture) == {"sovits_path": "", "gpt_path": ""}


# --- patching every supported upstream version ---------------------------------------


@pytest.mark.parametrize("fixture", SUPPORTED)
def test_patch_changes_only_the_two_assignments(tmp_path, fixture):
    root = package_with(tmp_path, fixture)
    before = (root / "config.py").read_bytes()
    patch = configpy.plan_patch(root, GPT, SOVITS)
    assert patch.changed
    assert (root / "config.py").read_bytes() == before  # planning writes nothing
    assert "-sovits_path = \"\"" in patch.diff_lines and "-gpt_path = \"\"" in patch.diff_lines
    assert f'+sovits_path = "{SOVITS}"' in patch.diff_lines and f'+gpt_path = "{GPT}"' in patch.diff_lines

    backup = configpy.apply_patch(patch, tmp_path / "backups")
    after = (root / "config.py").read_bytes()
    assert backup is not None and backup.read_bytes() == before
    assert module_values(after) == {"sovits_path": SOVITS, "gpt_path": GPT}
    assert changed_lines(before, after) == [
        (b'sovits_path = ""\r\n', f'sovits_path = "{SOVITS}"\r\n'.encode()),
        (b'gpt_path = ""\r\n', f'gpt_path = "{GPT}"\r\n'.encode()),
    ]
    # Upstream's Config now hands the profile's weights to api.py's -s/-g defaults.
    values = configpy.current_values(root)
    assert values == {"sovits_path": SOVITS, "gpt_path": GPT}
    assert config_defaults(root / "config.py") == {"sovits_path": SOVITS, "gpt_path": GPT}


@pytest.mark.parametrize("fixture", SUPPORTED)
def test_windows_paths_with_backslashes_spaces_chinese_and_quotes(tmp_path, fixture):
    root = package_with(tmp_path, fixture)
    patch = configpy.plan_patch(root, WIN_GPT, WIN_SOVITS)
    configpy.apply_patch(patch, tmp_path / "backups")
    data = (root / "config.py").read_bytes()
    assert module_values(data) == {"sovits_path": WIN_SOVITS, "gpt_path": WIN_GPT}
    text = data.decode("utf-8")
    assert f'sovits_path = r"{WIN_SOVITS}"\r\n' in text  # readable for the user: a raw string
    assert "纳西妲" in text  # written as characters, not escapes
    assert config_defaults(root / "config.py") == {"sovits_path": WIN_SOVITS, "gpt_path": WIN_GPT}


def test_literal_forms_survive_every_awkward_path():
    for value in [
        r"C:\Users\小明\GPT-SoVITS\x.pth",
        "C:\\ends with backslash\\",
        'has "double" quotes',
        "has 'single' quotes",
        r"\\NAS\共享\模型 1\a.ckpt",
        "tab\there",
        "",
    ]:
        for quote in ('"', "'"):
            literal = configpy.python_literal(value, quote)
            assert ast.literal_eval(literal) == value
            assert "\n" not in literal


def test_paths_inside_the_root_become_relative_forward_slashes(tmp_path):
    root = package_with(tmp_path, SUPPORTED[-1])
    absolute_gpt = str(root / "GPT_weights_v2" / "纳西妲-e10.ckpt")
    patch = configpy.plan_patch(root, absolute_gpt, "SoVITS_weights_v2\\纳西妲_e10_s400.pth")
    assert patch.values == {"gpt_path": GPT, "sovits_path": SOVITS}
    outside = tmp_path / "其它 模型" / "x.pth"
    assert configpy.config_value(str(outside), root) == str(outside)
    assert configpy.config_value("../其它 模型/x.pth", root) == str(outside)


def test_crlf_lf_and_bom_are_kept(tmp_path):
    fixture = SUPPORTED[-1]
    variants = {
        "lf": lambda d: d.replace(b"\r\n", b"\n"),
        "crlf": None,
        "bom_crlf": lambda d: configpy.BOM + d,
        "bom_lf": lambda d: configpy.BOM + d.replace(b"\r\n", b"\n"),
    }
    for name, transform in variants.items():
        root = package_with(tmp_path / name, fixture, transform=transform)
        before = (root / "config.py").read_bytes()
        configpy.apply_patch(configpy.plan_patch(root, GPT, WIN_SOVITS), tmp_path / name / "backups")
        after = (root / "config.py").read_bytes()
        assert after.startswith(configpy.BOM) == before.startswith(configpy.BOM), name
        assert after.count(b"\r\n") == before.count(b"\r\n"), name
        assert after.count(b"\n") == before.count(b"\n"), name
        assert len(changed_lines(before, after)) == 2, name
        assert module_values(after) == {"sovits_path": WIN_SOVITS, "gpt_path": GPT}
        assert config_defaults(root / "config.py") == {"sovits_path": WIN_SOVITS, "gpt_path": GPT}, name


def test_quote_style_and_trailing_comment_are_kept(tmp_path):
    def single_quoted(data: bytes) -> bytes:
        return data.replace(b'sovits_path = ""\r\n', b"sovits_path = ''  # \xe6\x8e\xa8\xe7\x90\x86\r\n", 1)

    root = package_with(tmp_path, SUPPORTED[0], transform=single_quoted)
    configpy.apply_patch(configpy.plan_patch(root, GPT, SOVITS), tmp_path / "backups")
    text = (root / "config.py").read_bytes().decode("utf-8")
    assert f"sovits_path = '{SOVITS}'  # 推理\r\n" in text


def test_patching_twice_writes_nothing_the_second_time(tmp_path):
    root = package_with(tmp_path, SUPPORTED[-1])
    backups = tmp_path / "backups"
    first = configpy.apply_patch(configpy.plan_patch(root, GPT, WIN_SOVITS), backups)
    assert first is not None
    stamp = (root / "config.py").stat().st_mtime_ns
    again = configpy.plan_patch(root, GPT, WIN_SOVITS)
    assert not again.changed and again.diff_lines == [] and again.new_text == again.old_text
    assert configpy.apply_patch(again, backups) is None
    assert (root / "config.py").stat().st_mtime_ns == stamp
    assert configpy.backups(root, backups) == [first]


def test_a_file_changed_after_planning_is_not_overwritten(tmp_path):
    root = package_with(tmp_path, SUPPORTED[-1])
    patch = configpy.plan_patch(root, GPT, SOVITS)
    (root / "config.py").write_bytes((root / "config.py").read_bytes() + b"# edited\r\n")
    with pytest.raises(BadInput) as info:
        configpy.apply_patch(patch, tmp_path / "backups")
    assert info.value.key == "configpy.changed_meanwhile"
    assert not (tmp_path / "backups").exists()


def test_a_failed_check_after_writing_puts_the_old_bytes_back(tmp_path, monkeypatch):
    root = package_with(tmp_path, SUPPORTED[-1])
    before = (root / "config.py").read_bytes()
    patch = configpy.plan_patch(root, GPT, SOVITS)
    monkeypatch.setattr(configpy, "verified", lambda *a: False)
    with pytest.raises(LauncherError) as info:
        configpy.apply_patch(patch, tmp_path / "backups")
    assert info.value.key == "configpy.verify_failed"
    assert (root / "config.py").read_bytes() == before


# --- refusing -------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", UNSUPPORTED)
def test_upstream_before_2024_01_20_is_refused(tmp_path, fixture):
    root = package_with(tmp_path, fixture)
    before = (root / "config.py").read_bytes()
    with pytest.raises(BadInput) as info:
        configpy.plan_patch(root, GPT, SOVITS)
    assert info.value.key == "configpy.unsupported"
    assert info.value.params["supported"] == configpy.SUPPORTED
    assert "21b9c20" in configpy.SUPPORTED and "sovits_path" in info.value.params["problem"]
    assert (root / "config.py").read_bytes() == before


def _replace(old: bytes, new: bytes):
    def transform(data: bytes) -> bytes:
        assert old in data
        return data.replace(old, new, 1)

    return transform


@pytest.mark.parametrize(
    "transform, problem",
    [
        (_replace(b'sovits_path = ""\r\n', b'sovits_path = os.environ.get("sovits_path", "")\r\n'), "os.environ"),
        (_replace(b'gpt_path = ""\r\n', b'gpt_path = ""\r\ngpt_path = "x.ckpt"\r\n'), "gpt_path ×2"),
        (_replace(b'gpt_path = ""\r\n', b""), "gpt_path"),
        (_replace(b'sovits_path = ""\r\n', b'sovits_path = f"{exp_root}/x.pth"\r\n'), 'f"'),
        (_replace(b'sovits_path = ""\r\n', b'sovits_path = b""\r\n'), 'b""'),
        (_replace(b'sovits_path = ""\r\n', b'sovits_path = (\r\n    ""\r\n)\r\n'), "sovits_path"),
        (_replace(b'gpt_path = ""\r\n', b'if True:\r\n    gpt_path = ""\r\n'), "gpt_path"),
        (_replace(b'gpt_path = ""\r\n', b'gpt_path = sovits_path = ""\r\n'), "×2"),
        (_replace(b"import sys\r\n", b"import sys\r\nfrom my_overrides import *\r\n"), "×2"),
        (_replace(b'sovits_path = ""\r\n', b'sovits_path: str = ""\r\n'), "sovits_path: str"),
        (_replace(b"        self.gpt_path = gpt_path\r\n", b'        self.gpt_path = ""\r\n'), "self.gpt_path"),
        (lambda d: b"# -*- coding: gbk -*-\r\n" + d, "gbk"),
        # What api.py reads is Config(): it must copy the module's defaults and keep them.
        (
            _replace(b"        self.gpt_path = gpt_path\r\n", b'        self.gpt_path = gpt_path\r\n        self.gpt_path = "x.ckpt"\r\n'),
            "self.gpt_path = … ×2",
        ),
        (_replace(b"    def __init__(self):\r\n", b'    def __init__(self, gpt_path=""):\r\n'), "its own gpt_path"),
        (lambda d: d + b"\r\nclass Config:\r\n    pass\r\n", "class Config ×2"),
        (lambda d: d + b"\r\nfrom my_overrides import Config\r\n", "class Config ×2"),
        pytest.param(
            lambda d: d + b"\r\nmatch 1:\r\n    case sovits_path:\r\n        pass\r\n",
            "sovits_path ×2",
            marks=pytest.mark.skipif(sys.version_info < (3, 10), reason="match needs Python 3.10"),
        ),
        pytest.param(
            lambda d: d + b"\r\nmatch {}:\r\n    case {**gpt_path}:\r\n        pass\r\n",
            "gpt_path ×2",
            marks=pytest.mark.skipif(sys.version_info < (3, 10), reason="match needs Python 3.10"),
        ),
    ],
)
def test_modified_files_are_refused_untouched(tmp_path, transform, problem):
    root = package_with(tmp_path, SUPPORTED[-1], transform=transform)
    before = (root / "config.py").read_bytes()
    with pytest.raises(BadInput) as info:
        configpy.plan_patch(root, GPT, SOVITS)
    assert info.value.key == "configpy.unsupported"
    assert problem in info.value.params["problem"]
    assert (root / "config.py").read_bytes() == before


def test_global_rebinding_in_a_function_is_refused(tmp_path):
    extra = b'\r\ndef use(p):\r\n    global sovits_path\r\n    sovits_path = p\r\n'
    root = package_with(tmp_path, SUPPORTED[1], transform=lambda d: d + extra)
    with pytest.raises(BadInput) as info:
        configpy.plan_patch(root, GPT, SOVITS)
    assert info.value.key == "configpy.unsupported"


def test_broken_missing_and_non_utf8_files(tmp_path):
    root = package_with(tmp_path / "a", SUPPORTED[0], transform=lambda d: d + b"def broken(:\r\n")
    last_line = (FIXTURES / SUPPORTED[0]).read_bytes().count(b"\n") + 1
    with pytest.raises(BadInput) as info:
        configpy.plan_patch(root, GPT, SOVITS)
    assert info.value.key == "configpy.syntax_error" and info.value.params["line"] == last_line
    with pytest.raises(MissingFile) as info:
        configpy.plan_patch(tmp_path / "nowhere", GPT, SOVITS)
    assert info.value.key == "configpy.missing"
    gbk_data = (FIXTURES / SUPPORTED[0]).read_bytes().decode().encode("gbk")
    assert gbk_data != (FIXTURES / SUPPORTED[0]).read_bytes()  # its Chinese comment differs in GBK
    gbk = package_with(tmp_path / "b", SUPPORTED[0], transform=lambda d: d.decode().encode("gbk"))
    with pytest.raises(BadInput) as info:
        configpy.plan_patch(gbk, GPT, SOVITS)
    assert info.value.key == "fs.not_utf8"


# --- restore ------------------------------------------------------------------------------


def test_restore_walks_back_to_upstreams_file(tmp_path):
    root = package_with(tmp_path, SUPPORTED[-1])
    backups = tmp_path / "backups"
    original = (root / "config.py").read_bytes()
    configpy.apply_patch(configpy.plan_patch(root, GPT, SOVITS), backups)
    first = (root / "config.py").read_bytes()
    configpy.apply_patch(configpy.plan_patch(root, "GPT_weights_v2/芙宁娜.ckpt", WIN_SOVITS), backups)
    second = (root / "config.py").read_bytes()

    done = configpy.restore(root, backups)
    assert done.changed and (root / "config.py").read_bytes() == first
    assert done.saved is not None and done.saved.read_bytes() == second  # nothing is lost
    assert done.backup.exists() and ".used-" in done.backup.name

    done = configpy.restore(root, backups)
    assert (root / "config.py").read_bytes() == original
    with pytest.raises(MissingFile) as info:
        configpy.restore(root, backups)
    assert info.value.key == "configpy.no_backup"


def test_backups_of_two_packages_never_mix(tmp_path):
    backups = tmp_path / "backups"
    a = package_with(tmp_path / "a", SUPPORTED[0])
    b = package_with(tmp_path / "b", SUPPORTED[-1])
    configpy.apply_patch(configpy.plan_patch(a, GPT, SOVITS), backups)
    with pytest.raises(MissingFile):
        configpy.restore(b, backups)
    assert configpy.backup_folder(backups, a) != configpy.backup_folder(backups, b)


def test_restore_when_the_file_already_matches(tmp_path):
    root = package_with(tmp_path, SUPPORTED[-1])
    backups = tmp_path / "backups"
    original = (root / "config.py").read_bytes()
    configpy.apply_patch(configpy.plan_patch(root, GPT, SOVITS), backups)
    (root / "config.py").write_bytes(original)  # the user put it back by hand
    done = configpy.restore(root, backups)
    assert not done.changed and done.saved is None
    assert (root / "config.py").read_bytes() == original


def test_restore_after_an_upstream_update_only_sets_the_defaults_back(tmp_path):
    old_upstream, new_upstream = SUPPORTED[1], SUPPORTED[-1]
    root = package_with(tmp_path, old_upstream)
    backups = tmp_path / "backups"
    configpy.apply_patch(configpy.plan_patch(root, GPT, SOVITS), backups)
    # The user updates the package: a newer upstream config.py, then patches that one again by hand.
    updated = (FIXTURES / new_upstream).read_bytes().replace(b'gpt_path = ""', f'gpt_path = "{GPT}"'.encode())
    (root / "config.py").write_bytes(updated)

    plan = configpy.plan_restore(root, backups)
    assert plan.mode == "values" and plan.changed
    assert (root / "config.py").read_bytes() == updated  # planning writes nothing
    done = configpy.restore(root, backups)
    assert done.mode == "values" and done.saved.read_bytes() == updated
    # The newer upstream file stays; only its defaults are back to the backup's values.
    assert (root / "config.py").read_bytes() == (FIXTURES / new_upstream).read_bytes()


def test_restore_repairs_a_broken_file_from_the_backup(tmp_path):
    root = package_with(tmp_path, SUPPORTED[0])
    backups = tmp_path / "backups"
    original = (root / "config.py").read_bytes()
    configpy.apply_patch(configpy.plan_patch(root, GPT, SOVITS), backups)
    broken = (root / "config.py").read_bytes().replace(b'gpt_path = "', b'gpt_path = ', 1)
    (root / "config.py").write_bytes(broken)
    done = configpy.restore(root, backups)
    assert done.mode == "file" and (root / "config.py").read_bytes() == original
    assert done.saved.read_bytes() == broken


# --- CLI ------------------------------------------------------------------------------------


@pytest.fixture
def nahida(tmp_path, isolated_home):
    pkg = make_package(tmp_path / "GPT SoVITS 整合包")
    shutil.copy(FIXTURES / SUPPORTED[-1], pkg.root / "config.py")
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root))
    return pkg


def test_cli_patch_shows_diff_backup_and_scope(nahida, isolated_home, capsys):
    before = (nahida.root / "config.py").read_bytes()
    code, out, _ = run_cli(capsys, "patch-config", "nahida", "--dry-run")
    assert code == 0 and "+gpt_path = " in out and "（演练：以上修改没有写入）" in out
    assert (nahida.root / "config.py").read_bytes() == before

    code, out, _ = run_cli(capsys, "patch-config", "nahida")
    assert code == 0
    assert f'+sovits_path = "{SOVITS}"' in out
    assert "已修改" in out and "api.py" in out and "-s/-g" in out and "sovits-launch start" in out
    backup = configpy.backups(nahida.root, isolated_home / "state" / "backups")[-1]
    assert str(backup) in out and backup.read_bytes() == before
    assert module_values((nahida.root / "config.py").read_bytes()) == {"sovits_path": SOVITS, "gpt_path": GPT}

    code, out, _ = run_cli(capsys, "--lang", "en", "patch-config", "纳西妲")  # display name works too
    assert code == 0 and "already defaults" in out and "+gpt_path" not in out

    code, out, _ = run_cli(capsys, "patch-config", "--restore", "--root", str(nahida.root))
    assert code == 0 and "已恢复" in out and '+gpt_path = ""' in out
    assert (nahida.root / "config.py").read_bytes() == before


def test_cli_refuses_an_unsupported_file_with_the_supported_versions(nahida, capsys):
    (nahida.root / "config.py").write_bytes((FIXTURES / UNSUPPORTED_UPSTREAM).read_bytes())
    code, _, err = run_cli(capsys, "patch-config", "nahida")
    assert code == EXIT_BAD_INPUT
    assert "不是能安全修改的 config.py 版本" in err and "20240821v2" in err and "21b9c20" in err


def test_cli_missing_weights_and_missing_arguments(nahida, isolated_home, capsys):
    write_profile(isolated_home, "ghost", nahida_yaml(nahida.root, name="ghost", gpt="GPT_weights_v2/不存在.ckpt"))
    code, _, err = run_cli(capsys, "patch-config", "ghost")
    assert code == EXIT_MISSING_FILE and "不存在.ckpt" in err
    code, _, err = run_cli(capsys, "patch-config")
    assert code == EXIT_BAD_INPUT
    code, _, err = run_cli(capsys, "patch-config", "--restore")
    assert code == EXIT_BAD_INPUT and "--root" in err
    code, _, err = run_cli(capsys, "patch-config", "--restore", "--root", str(nahida.root))
    assert code == EXIT_MISSING_FILE and "没有可恢复" in err


@pytest.mark.skipif(os.name != "nt", reason="Windows drive paths resolve only on Windows")
def test_windows_absolute_path_inside_root_becomes_relative(tmp_path):
    root = package_with(tmp_path, SUPPORTED[-1])
    value = str(root / "GPT_weights_v2" / "纳西妲-e10.ckpt").upper()
    assert configpy.config_value(value, root).lower() == GPT.lower()
