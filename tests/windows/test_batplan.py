"""Choosing a .bat for a profile (root, via, notices, one file per profile), and its messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from launcher import messages
from launcher.windows import batfile
from launcher.windows.batcheck import check_bat_bytes
from launcher.windows.batfile import EXE_NAME, bat_arg, check_filename_stem, choose_stem, render_bat
from launcher.windows.batplan import detect_via, plan_all, plan_bat, relative_root
from launcher.errors import BadInput


# --------------------------------------------------------------------------- choosing


def _runtime(root: Path, *, installed: bool) -> None:
    (root / "runtime").mkdir(parents=True, exist_ok=True)
    (root / "runtime" / "python.exe").write_bytes(b"MZ")
    if installed:
        (root / "runtime" / "Lib" / "site-packages" / "sovits_launch-0.1.0.dist-info").mkdir(parents=True)


def test_relative_root(tmp_path):
    root = tmp_path / "GPT-SoVITS 整合包"
    assert relative_root(root, root) == "."
    assert relative_root(root, root / "启动") == ".."
    assert relative_root(root, root / "a" / "b") == "..\\.."
    assert relative_root(tmp_path / "GPT-SoVITS", tmp_path / "desk") == "..\\GPT-SoVITS"
    assert relative_root(root, tmp_path / "桌面") is None
    assert relative_root(tmp_path / "x", root / "y") == "..\\..\\x"


def test_detect_via(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    elsewhere = Path("/usr/bin/python3")
    assert detect_via(root, root, running=elsewhere) == ("path", "fallback_path")
    _runtime(root, installed=False)
    assert detect_via(root, root, running=elsewhere) == ("path", "fallback_path")
    assert detect_via(root, root, running=root / "runtime" / "python.exe") == ("runtime", "runtime_installed")
    shutil_root = tmp_path / "整合包"
    _runtime(shutil_root, installed=True)
    assert detect_via(shutil_root, shutil_root, running=elsewhere) == ("runtime", "runtime_installed")
    assert detect_via(shutil_root, shutil_root / "启动", running=elsewhere)[0] == "runtime"  # via ..
    assert detect_via(shutil_root, tmp_path / "桌面", running=elsewhere)[0] == "path"  # unreachable
    (shutil_root / EXE_NAME).write_bytes(b"MZ")
    assert detect_via(shutil_root, shutil_root, running=elsewhere) == ("exe", "exe_beside")


def test_plan_notes(tmp_path):
    root = tmp_path / "整合包"
    root.mkdir()
    plan = plan_bat("nahida", root=root, via="exe")
    assert [n.key for n in plan.notices] == ["bat.warn_exe_missing"]
    assert plan.via_reason == "forced" and plan.path == root / "nahida.bat"
    assert plan_bat("nahida", root=root, out_dir=tmp_path / "desk", via="exe").root_rel is None  # ..\整合包
    plan = plan_bat("nahida", root=root, via="runtime")
    assert [n.key for n in plan.notices] == ["bat.warn_runtime_missing"]
    plan = plan_bat("nahida", root=root, via="path", on_path=False)
    assert [n.key for n in plan.notices] == ["bat.warn_not_on_path"]
    plan = plan_bat("nahida", root=root, out_dir=tmp_path / "桌面", on_path=True, running=Path("/x"))
    assert (plan.via, [n.key for n in plan.notices]) == ("path", ["bat.warn_root_remembered"])
    assert plan.path == tmp_path / "桌面" / "nahida.bat"


def test_plan_all_refuses_two_profiles_one_file(tmp_path):
    plans = plan_all([("nahida", "纳西妲"), ("hutao", "胡桃"), ("派蒙", None)], root=tmp_path, via="exe")
    assert [p.filename for p in plans] == ["纳西妲.bat", "胡桃.bat", "派蒙.bat"]
    with pytest.raises(BadInput) as err:
        plan_all([("nahida", "纳西妲"), ("纳西妲", None)], root=tmp_path, via="exe")
    assert err.value.key == "bat.duplicate_name"
    with pytest.raises(BadInput):
        plan_all([("a", "Nahida"), ("b", "NAHIDA")], root=tmp_path, via="exe")  # Windows ignores case


# --------------------------------------------------------------------------- messages


def test_every_bat_key_is_in_the_catalog_in_both_languages():
    source = "".join(p.read_text(encoding="utf-8") for p in Path(batfile.__file__).parent.glob("bat*.py"))
    keys = set(re.findall(r'(?:BadInput|Notice)\(\s*"([a-z_.]+)"', source))
    assert len(keys) > 20
    for key in keys:
        assert messages.has(key), key
        entry = messages.CATALOG[key]
        assert entry["zh"] and entry["en"], key
    hinted = [k for k in keys if k.startswith(("bat.unsafe", "bat.runtime", "bat.name_mismatch", "bat.check.", "bat.duplicate"))]
    assert all(messages.has(k + ".hint") for k in hinted)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_messages_format_with_the_params_the_code_gives(lang, tmp_path):
    def text_of(exc: BadInput) -> str:
        entry = messages.CATALOG[exc.key][lang]
        return entry.format(**exc.params)  # raises if a placeholder has no param

    for call in (
        lambda: render_bat("nahida", via="x"),
        lambda: render_bat("nahida", via="exe", extra_args=['"']),
        lambda: bat_arg("D:\\x"),
        lambda: check_filename_stem("a/b"),
        lambda: check_filename_stem("a" * 200),
        lambda: choose_stem("纳西妲", None, "x"),
        lambda: render_bat("nahida", via="runtime", root_rel=None),
        lambda: plan_all([("a", "X"), ("b", "x")], root=tmp_path, via="exe"),
        lambda: check_bat_bytes(b"a"),
        lambda: check_bat_bytes(b"x" * 5000 + b"\r\n"),
    ):
        with pytest.raises(BadInput) as err:
            call()
        assert text_of(err.value)
    plan = plan_bat("nahida", root=tmp_path, out_dir=tmp_path / "桌面", via="exe", on_path=False)
    for note in plan.notices:
        assert messages.CATALOG[note.key][lang].format(**note.params)
