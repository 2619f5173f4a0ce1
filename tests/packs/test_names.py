"""Profile ids from weight names, and the scandir walk against the os.walk it replaced."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import packgen as G
from launcher.gsv import package
from launcher.packs import names as packnames
from launcher.packs import walk as packwalk
from launcher.profiles.schema import NAME_PATTERN


# --- names ---------------------------------------------------------------------------------------

_name_chars = st.characters(
    whitelist_categories=("Lu", "Ll", "Lo", "Nd"), blacklist_characters="\x00", max_codepoint=0x9FFF
) | st.sampled_from(list("_- ·（）"))
_names = st.text(_name_chars, min_size=1, max_size=16).filter(lambda s: s.strip() and not s.startswith("-"))


@settings(max_examples=200, deadline=None)
@given(
    name=_names,
    tag=st.sampled_from(["", "_ZH", "_JA", "_EN", "_yue", "_KO"]),
    epoch=st.integers(0, 999),
    step=st.integers(0, 99999),
    rank=st.none() | st.sampled_from([16, 32, 64, 128]),
)
def test_weight_names_pair_to_one_id(name, tag, epoch, step, rank):
    gpt = package.gpt_filename(name + tag, epoch)
    sov = package.sovits_filename(name + tag, epoch, step, rank)
    both = packnames.character_id(gpt, sov)
    assert both == packnames.character_id(gpt, None) == packnames.character_id(None, sov)
    pid, lang = both
    if pid is not None:
        assert NAME_PATTERN.match(pid) and pid == packnames.sanitize_id(pid) and not pid.startswith("-")
    if tag and packnames.sanitize_id(name):
        assert lang == package.LANG_SUFFIXES[tag[1:].upper()]


@pytest.mark.parametrize(
    "gpt,sov,expected",
    [
        ("纳西妲_ZH-e10.ckpt", "纳西妲_ZH_e10_s1400_l32.pth", ("纳西妲", "zh")),
        ("珂莱塔_ZH-e10.ckpt", "珂莱塔_ZH_e10_s510_l32.pth", ("珂莱塔", "zh")),
        ("hutao-e75.ckpt", "hutao_e60_s3360.pth", ("hutao", None)),
        ("井芹仁菜V3-e100.ckpt", "井芹仁菜V3_e100_s1800.pth", ("井芹仁菜V3", None)),
        ("GPT_纳西妲.ckpt", "SV_纳西妲.pth", (None, None)),
        (None, "CON_e1_s1.pth", ("CON_", None)),
    ],
)
def test_character_id_examples(gpt, sov, expected):
    assert packnames.character_id(gpt, sov) == expected


@pytest.mark.parametrize("name,clean", [(" - -", ""), ("- -纳西妲", "纳西妲"), ("a.\u3000.", "a"), ("-.", "")])
def test_sanitize_id_takes_off_everything_at_once(name, clean):
    """Found by hypothesis: " - -" once came out as "-", which a second pass would change."""
    assert packnames.sanitize_id(name) == clean == packnames.sanitize_id(clean)


# --- walk: os.scandir rewrite of the os.walk loop ---------------------------------------------


def _walk_reference(base, limit=packwalk.MAX_FILES):
    """The os.walk version `packwalk.walk` replaced (kept here to pin the same answers)."""
    from pathlib import PurePosixPath

    from launcher.errors import BadInput

    found = []
    if packwalk._is_link(base):
        raise BadInput("packs.symlink", path=str(base))
    for dirpath, dirnames, filenames in os.walk(base):
        here = Path(dirpath)
        kept = []
        for name in dirnames:
            if packwalk._is_link(here / name):
                raise BadInput("packs.symlink", path=str(here / name))
            if name.casefold() not in packwalk._JUNK_DIRS:
                kept.append(name)
        dirnames[:] = sorted(kept)
        for name in sorted(filenames):
            path = here / name
            if packwalk._is_link(path):
                raise BadInput("packs.symlink", path=str(path))
            if name.casefold() in packwalk._JUNK_FILES or name.startswith("._"):
                continue
            found.append(PurePosixPath(path.relative_to(base).as_posix()))
            if len(found) > limit:
                raise BadInput("packs.too_many_files", path=str(base), limit=limit)
    return sorted(found)


def _outcome(fn, *args):
    from launcher.errors import BadInput

    try:
        return fn(*args)
    except BadInput as exc:
        return (exc.key, exc.params)


def test_walk_answers_as_os_walk_did(tmp_path):
    lib = G.make_library(tmp_path / "lib", 12)
    for junk in ("__MACOSX/x.wav", ".git/HEAD", "胡桃000/.DS_Store", "胡桃000/._hidden.wav", "a/b/c/深/层.wav", "Thumbs.db"):
        target = lib / junk
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"x")
    (lib / "empty" / "folder").mkdir(parents=True)
    assert packwalk.walk(lib) == _walk_reference(lib)
    assert _outcome(packwalk.walk, lib, 20) == _outcome(_walk_reference, lib, 20) == (
        "packs.too_many_files", {"path": str(lib), "limit": 20})
    if sys.platform != "win32":  # creating symlinks needs privileges on Windows
        (lib / "a" / "b" / "zz.wav").symlink_to(lib / "a" / "b" / "c" / "深" / "层.wav")
        (lib / "a" / "link").symlink_to(lib / "empty", target_is_directory=True)
        assert _outcome(packwalk.walk, lib) == _outcome(_walk_reference, lib)
        assert _outcome(packwalk.walk, lib)[0] == "packs.symlink"
