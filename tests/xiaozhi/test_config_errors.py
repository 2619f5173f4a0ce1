"""Bad input leaves data/.config.yaml byte-identical; every xiaozhi message key has both languages."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from launcher.xiaozhi import config as xz
from launcher.xiaozhi import files as xzfiles
from launcher.errors import BadInput, LauncherError, MissingFile
from helpers.xiaozhi_tree import COMMENTED, backups, target, write_data, xdir  # noqa: F401  (xdir is a fixture)


# --- bad input leaves the file byte-identical -------------------------------------------------


@pytest.mark.parametrize(
    "text, key, line",
    [
        ("selected_module:\n  TTS: EdgeTTS\nTTS:\n  EdgeTTS: [edge\n  other: 1\n", "xiaozhi.yaml_error", 5),
        ("server:\n\tport: 8000\n", "xiaozhi.yaml_error", 2),
        ("TTS:\n  EdgeTTS: {}\nTTS:\n  X: {}\n", "xiaozhi.yaml_error", 3),  # duplicate key
        ("TTS:\n  - EdgeTTS\n", "xiaozhi.section_not_mapping", 1),
        ("TTS: EdgeTTS\n", "xiaozhi.section_not_mapping", 1),
        ("selected_module: EdgeTTS\n", "xiaozhi.section_not_mapping", 1),
        ("TTS:\n  GPT_SOVITS_V2: 1\n", "xiaozhi.section_not_mapping", 2),
        ("- a\n- b\n", "xiaozhi.config_not_mapping", None),
    ],
)
def test_malformed_file_is_left_byte_identical(xdir, text, key, line):
    path = write_data(xdir, text)
    with pytest.raises(BadInput) as info:
        xz.plan(xdir, target("v2"))
    assert info.value.key == key
    if line is not None:
        assert info.value.params["line"] == line
    assert info.value.params["path"] == str(path)
    assert path.read_text(encoding="utf-8") == text
    assert backups(xdir) == []


def test_not_utf8(xdir):
    path = write_data(xdir, "# 注释\nTTS: {}\n", encoding="gbk")
    with pytest.raises(BadInput) as info:
        xz.plan(xdir, target("v2"))
    assert info.value.key == "fs.not_utf8"
    assert path.read_bytes() == "# 注释\nTTS: {}\n".encode("gbk")


def test_read_only_file(xdir):
    path = write_data(xdir, COMMENTED)
    p = xz.plan(xdir, target("v2"))
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        with pytest.raises(BadInput) as info:
            xz.apply(p)
        assert info.value.key == "xiaozhi.read_only"
        assert path.read_text(encoding="utf-8") == COMMENTED
        assert backups(xdir) == []
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


@pytest.mark.skipif(os.name == "nt", reason="folder permission bits are POSIX")
def test_read_only_folder(xdir):
    path = write_data(xdir, COMMENTED)
    p = xz.plan(xdir, target("v2"))
    path.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(BadInput) as info:
            xz.apply(p)
        assert info.value.key == "xiaozhi.read_only"
        assert info.value.params["path"] == str(path.parent)
    finally:
        path.parent.chmod(stat.S_IRWXU)
    assert path.read_text(encoding="utf-8") == COMMENTED
    assert backups(xdir) == []


def test_file_changed_between_plan_and_apply(xdir):
    path = write_data(xdir, COMMENTED)
    p = xz.plan(xdir, target("v2"))
    path.write_text(COMMENTED + "extra: 1\n", encoding="utf-8")
    with pytest.raises(BadInput) as info:
        xz.apply(p)
    assert info.value.key == "xiaozhi.changed_meanwhile"
    assert path.read_text(encoding="utf-8").endswith("extra: 1\n")


def test_a_failed_verification_restores_the_file(xdir, monkeypatch):
    path = write_data(xdir, COMMENTED)
    p = xz.plan(xdir, target("v2"))
    monkeypatch.setattr(xz, "_effective_problems", lambda *a, **k: ["simulated"])
    with pytest.raises(LauncherError) as info:
        xz.apply(p)
    assert info.value.key == "xiaozhi.verify_failed" and info.value.details == ["simulated"]
    assert path.read_text(encoding="utf-8") == COMMENTED
    assert backups(xdir) == []


def test_user_value_xiaozhi_cannot_read_is_reported(xdir):
    path = write_data(xdir, "TTS:\n  GPT_SOVITS_V2:\n    batch_size: viele\n")
    with pytest.raises(BadInput) as info:
        xz.plan(xdir, target("v2"))
    assert info.value.key == "xiaozhi.block_invalid" and info.value.params["field"] == "batch_size"
    assert path.read_text(encoding="utf-8") == "TTS:\n  GPT_SOVITS_V2:\n    batch_size: viele\n"


def test_merged_config_needs_the_data_file(xdir):
    with pytest.raises(MissingFile) as info:
        xzfiles.merged_config(xdir)
    assert info.value.key == "xiaozhi.data_config_missing"


# --- the message catalog ----------------------------------------------------------------------


def test_every_xiaozhi_key_has_both_languages():
    from launcher import messages
    from launcher.xiaozhi.provider import _CAUSES

    source = "".join(p.read_text(encoding="utf-8") for p in Path(xz.__file__).parent.glob("*.py"))
    keys = set(re.findall(r'"(xiaozhi\.[a-z_.]+)"', source))
    keys |= {f"xiaozhi.say.rejected.{cause}" for _needle, cause in _CAUSES}
    keys |= {"xiaozhi.say.rejected.unknown"}
    assert len(keys) > 25
    for key in sorted(keys):
        entry = messages.CATALOG.get(key)
        assert entry and entry.get("zh") and entry.get("en"), key
    for key, entry in messages.CATALOG.items():
        if key.startswith("xiaozhi."):
            assert entry.get("zh") and entry.get("en"), key
