from __future__ import annotations

import hashlib
import os
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from launcher.gsv import package as P
from launcher.errors import BadInput, MissingFile
from launcher.messages import CATALOG

# --- fake weight files with the real first bytes ------------------------------------

ZIP_HEAD = b"PK\x03\x04"


def torch_zip(path: Path, payload: int = 256) -> Path:
    """A zip as torch.save writes it (starts with PK\\x03\\x04)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("archive/data.pkl", b"\x80\x02}q\x00." + b"\x00" * payload)
    return path


def my_save2(path: Path, version_bytes: bytes) -> Path:
    """What process_ckpt.my_save2 writes: the zip with its first two bytes replaced."""
    torch_zip(path)
    data = path.read_bytes()
    path.write_bytes(version_bytes + data[2:])
    return path


def sized_zip(path: Path, size: int) -> Path:
    """A PK file of an exact size (sparse), for upstream's size rule."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        f.write(ZIP_HEAD + b"\x14\x00" * 8)
        f.truncate(size)
    return path


# --- sovits_version -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "head,version,lora,base,symbols",
    [
        (b"03", "v3", True, "GPT_SoVITS/pretrained_models/s2Gv3.pth", "v2"),
        (b"04", "v4", True, "GPT_SoVITS/pretrained_models/gsv-v4-pretrained/s2Gv4.pth", "v2"),
        (b"05", "v2Pro", False, None, "v2"),
        (b"06", "v2ProPlus", False, None, "v2"),
        (b"00", "v1", False, None, "v1"),
        (b"01", "v2", False, None, "v2"),
        (b"02", "v3", False, None, "v2"),
    ],
)
def test_version_from_header(tmp_path, head, version, lora, base, symbols):
    p = my_save2(tmp_path / "x_e10_s100.pth", head)
    assert p.read_bytes()[:4] == head + b"\x03\x04"
    v = P.sovits_version(p)
    assert (v.version, v.lora, v.needs_base, v.symbols, v.source) == (version, lora, base, symbols, "header")


def test_header_bytes_are_ascii_digits_not_raw_bytes(tmp_path):
    # my_save2 writes b"05" (0x30 0x35), not b"\x05".
    p = tmp_path / "raw.pth"
    p.write_bytes(b"\x00\x05\x03\x04" + b"\x00" * 100)
    with pytest.raises(BadInput) as e:
        P.sovits_version(p)
    assert e.value.key == "weights.unknown_format"


@pytest.mark.parametrize(
    "size,version,symbols",
    [
        (82978 * 1024 - 1, "v1", "v1"),
        (82978 * 1024, "v2", "v2"),
        (700 * 1024 * 1024 - 1, "v2", "v2"),
        (700 * 1024 * 1024, "v3", "v2"),
    ],
)
def test_old_zip_by_size(tmp_path, size, version, symbols):
    p = sized_zip(tmp_path / "old.pth", size)
    v = P.sovits_version(p)
    assert (v.version, v.lora, v.needs_base, v.symbols, v.source) == (version, False, None, symbols, "size")


def test_pretrained_base_by_md5_of_first_8k(tmp_path, monkeypatch):
    p = sized_zip(tmp_path / "s2Gv4.pth", 20000)
    digest = hashlib.md5(p.read_bytes()[:8192]).hexdigest()
    monkeypatch.setitem(P.PRETRAINED_MD5, digest, ("v2", "v4", False))
    v = P.sovits_version(p)
    assert (v.version, v.lora, v.source) == ("v4", False, "pretrained")


def test_pretrained_table_matches_upstream_hashes():
    assert set(P.PRETRAINED_MD5) == {
        "dc3c97e17592963677a4a1681f30c653",
        "43797be674a37c1c83ee81081941ed0f",
        "6642b37f3dbb1f76882b69937c95a5f3",
        "4f26b9476d0c5033e04162c486074374",
        "c7e9fce2223f3db685cdfa1e6368728a",
        "66b313e39455b57ab1b0bc0b239c9d0a",
    }


@pytest.mark.parametrize(
    "data",
    [b"", b"PK", b"\x80\x02}q\x00." + b"\x00" * 50, b"07\x03\x04" + b"\x00" * 50, b"05<html>", b"<!DOCTYPE html>"],
)
def test_unknown_format(tmp_path, data):
    p = tmp_path / "bad.pth"
    p.write_bytes(data)
    with pytest.raises(BadInput) as e:
        P.sovits_version(p)
    assert e.value.key == "weights.unknown_format"
    assert e.value.params["path"] == str(p)


def test_sovits_version_missing_file(tmp_path):
    with pytest.raises(MissingFile):
        P.sovits_version(tmp_path / "none.pth")


def test_gpt_checkpoint_ok(tmp_path):
    assert P.gpt_checkpoint_ok(torch_zip(tmp_path / "a-e1.ckpt"))
    legacy = tmp_path / "old-e1.ckpt"
    legacy.write_bytes(b"\x80\x02\x8a\nl\xfc\x9cF\xf9 j\xa8P\x19.")
    assert P.gpt_checkpoint_ok(legacy)
    for name, data in [("html-e1.ckpt", b"<html>"), ("empty-e1.ckpt", b""), ("lfs-e1.ckpt", b"version https://git-lfs")]:
        (tmp_path / name).write_bytes(data)
        assert not P.gpt_checkpoint_ok(tmp_path / name)
    assert not P.gpt_checkpoint_ok(tmp_path / "missing.ckpt")


def test_lora_base(tmp_path):
    assert P.lora_base_path(tmp_path, "v3") == tmp_path / "GPT_SoVITS/pretrained_models/s2Gv3.pth"
    assert P.lora_base_path(tmp_path, "v4") == tmp_path / "GPT_SoVITS/pretrained_models/gsv-v4-pretrained/s2Gv4.pth"
    assert not P.lora_base_present(tmp_path, "v4")
    torch_zip(P.lora_base_path(tmp_path, "v4"))
    assert P.lora_base_present(tmp_path, "v4")
    assert not P.lora_base_present(tmp_path, "v3")
    with pytest.raises(ValueError):
        P.lora_base_path(tmp_path, "v2Pro")


def test_needs_base_joins_with_lora_base_path(tmp_path):
    v = P.sovits_version(my_save2(tmp_path / "a_e1_s1_l32.pth", b"04"))
    assert tmp_path / v.needs_base == P.lora_base_path(tmp_path, v.version)


# --- name parsing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filename,expected",
    [
        ("纳西妲-e10.ckpt", P.GptName("纳西妲", 10)),
        ("纳西妲_ZH-e10.ckpt", P.GptName("纳西妲_ZH", 10)),
        ("hutao-e75.ckpt", P.GptName("hutao", 75)),
        ("my voice-v2-e5.ckpt", P.GptName("my voice-v2", 5)),
        ("a-e1-e2.ckpt", P.GptName("a-e1", 2)),
        ("X-E3.CKPT", None),
        ("x-e3.CKPT", P.GptName("x", 3)),
        (r"D:\GPT-SoVITS\GPT_weights_v2\胡桃-e10.ckpt", P.GptName("胡桃", 10)),
        ("-e10.ckpt", None),
        ("纳西妲.ckpt", None),
        ("纳西妲-e.ckpt", None),
        ("纳西妲-e10.pth", None),
        ("纳西妲-e١٠.ckpt", None),  # Arabic-Indic digits: upstream never writes them
        ("纳西妲-e10.ckpt\n", None),
    ],
)
def test_parse_gpt_name(filename, expected):
    assert P.parse_gpt_name(filename) == expected


@pytest.mark.parametrize(
    "filename,expected",
    [
        ("纳西妲_e10_s400.pth", P.SovitsName("纳西妲", 10, 400, None)),
        ("纳西妲_ZH_e10_s1400_l32.pth", P.SovitsName("纳西妲_ZH", 10, 1400, 32)),
        ("井芹仁菜V3_e100_s1800.pth", P.SovitsName("井芹仁菜V3", 100, 1800, None)),
        ("a b_c-d_e1_s2.pth", P.SovitsName("a b_c-d", 1, 2, None)),
        ("x_e1_s2_e3_s4.pth", P.SovitsName("x_e1_s2", 3, 4, None)),
        ("x_e1_s2_l3_e4_s5_l6.pth", P.SovitsName("x_e1_s2_l3", 4, 5, 6)),
        ("hutao_e60_s3360.PTH", P.SovitsName("hutao", 60, 3360, None)),
        ("hutao_e60.pth", None),
        ("hutao_e60_s.pth", None),
        ("_e1_s2.pth", None),
        ("hutao_e60_s3360_l.pth", None),
        ("hutao-e60.ckpt", None),
    ],
)
def test_parse_sovits_name(filename, expected):
    assert P.parse_sovits_name(filename) == expected


# Names as the WebUI lets them through: anything a file name can hold, no trailing space.
_name_chars = st.characters(
    blacklist_categories=("Cs", "Cc"),
    blacklist_characters='/\\:*?"<>|',
)
names = st.text(_name_chars, min_size=1, max_size=40).filter(lambda s: s == s.rstrip(" ") and s.strip())
counts = st.integers(min_value=0, max_value=10**7)


@settings(max_examples=400)
@given(names, counts)
def test_gpt_names_round_trip(name, epoch):
    assert P.parse_gpt_name(P.gpt_filename(name, epoch)) == P.GptName(name, epoch)


@settings(max_examples=400)
@given(names, counts, counts, st.one_of(st.none(), st.integers(min_value=1, max_value=512)))
def test_sovits_names_round_trip(name, epoch, step, rank):
    filename = P.sovits_filename(name, epoch, step, rank)
    assert P.parse_sovits_name(filename) == P.SovitsName(name, epoch, step, rank)
    assert P.parse_gpt_name(filename) is None


@given(names, st.sampled_from(sorted(P.LANG_SUFFIXES)))
def test_lang_suffix_round_trip(name, tag):
    base, code = P.strip_lang_suffix(f"{name}_{tag}")
    assert base == name and code == P.LANG_SUFFIXES[tag]


def test_training_pattern_matches_the_upstream_format_strings():
    # s1_train.py: "%s/%s-e%s.ckpt"; s2_train.py: name + "_e%s_s%s"; s2_train_v3_lora.py: "_e%s_s%s_l%s"
    assert P.gpt_filename("n", 3) == "%s-e%s.ckpt" % ("n", 3)
    assert P.sovits_filename("n", 3, 9) == "n" + "_e%s_s%s" % (3, 9) + ".pth"
    assert P.sovits_filename("n", 3, 9, 32) == "n" + "_e%s_s%s_l%s" % (3, 9, 32) + ".pth"


@pytest.mark.parametrize(
    "name,expected",
    [
        ("纳西妲_ZH", ("纳西妲", "zh")),
        ("珂莱塔_ZH", ("珂莱塔", "zh")),
        ("Alice_EN", ("Alice", "en")),
        ("アリス_JA", ("アリス", "ja")),
        ("アリス_JP", ("アリス", "ja")),
        ("지민_KO", ("지민", "ko")),
        ("粤仔_YUE", ("粤仔", "yue")),
        ("a_zh", ("a", "zh")),
        ("纳西妲", ("纳西妲", None)),
        ("_ZH", ("_ZH", None)),
        ("ZH", ("ZH", None)),
        ("纳西妲-ZH", ("纳西妲-ZH", None)),
        ("a_ZHX", ("a_ZHX", None)),
        ("a_ZH_EN", ("a_ZH", "en")),
    ],
)
def test_strip_lang_suffix(name, expected):
    assert P.strip_lang_suffix(name) == expected


# --- the package root -----------------------------------------------------------------------


def make_package(root: Path, runtime: str | None = "runtime/python.exe", v1=True, v2=True) -> Path:
    (root / "GPT_SoVITS").mkdir(parents=True)
    if v1:
        (root / "api.py").write_text("# api\n", encoding="utf-8")
    if v2:
        (root / "api_v2.py").write_text("# api_v2\n", encoding="utf-8")
    if runtime:
        exe = root / runtime
        exe.parent.mkdir(parents=True, exist_ok=True)
        exe.write_bytes(b"MZ")
    return root


def test_inspect_root_full_package(tmp_path):
    root = make_package(tmp_path / "GPT-SoVITS-v2pro-20250604")
    (root / "runtime" / "ffmpeg.exe").write_bytes(b"MZ")
    (root / "runtime" / "ffprobe.exe").write_bytes(b"MZ")
    for d in ("SoVITS_weights_v2Pro", "GPT_weights_v2Pro", "GPT_weights", "SoVITS_weights_custom", "GPT_weights_v2"):
        (root / d).mkdir()
    (root / "GPT_weights_v3.txt").write_text("not a folder")
    info = P.inspect_root(root)
    assert info.root == root
    assert info.python == root / "runtime" / "python.exe"
    assert info.api_v1 == root / "api.py" and info.api_v2 == root / "api_v2.py"
    assert info.ffmpeg == root / "runtime" / "ffmpeg.exe"
    assert info.ffprobe == root / "runtime" / "ffprobe.exe"
    assert [p.name for p in info.weight_dirs] == [
        "GPT_weights",
        "GPT_weights_v2",
        "GPT_weights_v2Pro",
        "SoVITS_weights_v2Pro",
        "SoVITS_weights_custom",
    ]
    assert P.require_api_script(info, "v1") == root / "api.py"
    assert P.require_api_script(info, "v2") == root / "api_v2.py"


def test_chinese_root(tmp_path):
    root = make_package(tmp_path / "模型" / "GPT-SoVITS 整合包")
    assert P.inspect_root(root).python is not None


def test_root_missing(tmp_path):
    with pytest.raises(MissingFile) as e:
        P.inspect_root(tmp_path / "nope")
    assert e.value.key == "package.root_missing"
    assert e.value.params["path"] == str(tmp_path / "nope")


@pytest.mark.parametrize(
    "v1,v2,gsv_dir,missing",
    [
        (False, False, True, "api.py / api_v2.py"),
        (True, False, False, "GPT_SoVITS/"),
        (False, False, False, "api.py / api_v2.py, GPT_SoVITS/"),
    ],
)
def test_not_gsv_names_what_is_missing(tmp_path, v1, v2, gsv_dir, missing):
    root = tmp_path / "pkg"
    make_package(root, v1=v1, v2=v2)
    if not gsv_dir:
        (root / "GPT_SoVITS").rmdir()
    with pytest.raises(BadInput) as e:
        P.inspect_root(root)
    assert e.value.key == "package.not_gsv"
    assert e.value.params == {"path": str(root), "missing": missing}


def test_only_one_api_script(tmp_path):
    info = P.inspect_root(make_package(tmp_path / "old", v2=False))
    assert info.api_v2 is None
    with pytest.raises(MissingFile) as e:
        P.require_api_script(info, "v2")
    assert e.value.key == "package.no_api_script"
    assert e.value.params == {"script": "api_v2.py", "root": str(info.root)}
    info = P.inspect_root(make_package(tmp_path / "new", v1=False))
    with pytest.raises(MissingFile) as e:
        P.require_api_script(info, "v1")
    assert e.value.params["script"] == "api.py"


def test_no_runtime(tmp_path):
    root = make_package(tmp_path / "src", runtime=None)
    with pytest.raises(MissingFile) as e:
        P.inspect_root(root)
    assert e.value.key == "package.no_runtime"
    assert e.value.params["path"] == str(root / "runtime")
    # A source install with its own interpreter.
    info = P.inspect_root(root, python=Path(sys.executable))
    assert info.python == Path(sys.executable)
    with pytest.raises(MissingFile) as e:
        P.inspect_root(root, python=tmp_path / "python.exe")
    assert e.value.key == "package.python_missing"


def test_find_runtime_python_order(tmp_path):
    root = tmp_path
    assert P.find_runtime_python(root) is None
    (root / "runtime" / "bin").mkdir(parents=True)
    (root / "runtime" / "bin" / "python").write_bytes(b"")
    assert P.find_runtime_python(root) == root / "runtime" / "bin" / "python"
    (root / "runtime" / "python").write_bytes(b"")
    assert P.find_runtime_python(root) == root / "runtime" / "python"
    (root / "runtime" / "python.exe").write_bytes(b"")
    assert P.find_runtime_python(root) == root / "runtime" / "python.exe"


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")
def test_runtime_bin_python_symlink(tmp_path):
    root = make_package(tmp_path / "demo", runtime=None)
    (root / "runtime" / "bin").mkdir(parents=True)
    os.symlink(sys.executable, root / "runtime" / "bin" / "python")
    assert P.inspect_root(root).python == root / "runtime" / "bin" / "python"
    os.symlink(tmp_path / "gone", root / "runtime" / "python")  # a dangling link is skipped
    assert P.find_runtime_python(root) == root / "runtime" / "bin" / "python"


# --- discover_characters -------------------------------------------------------------------


def gpt(root: Path, folder: str, filename: str) -> Path:
    return torch_zip(root / folder / filename)


def sov(root: Path, folder: str, filename: str) -> Path:
    return my_save2(root / folder / filename, b"05")


def test_discover_pairs_and_picks_highest_epoch(tmp_path):
    root = tmp_path
    gpt(root, "GPT_weights_v2", "纳西妲-e5.ckpt")
    g10 = gpt(root, "GPT_weights_v2", "纳西妲-e10.ckpt")
    gpt(root, "GPT_weights_v2", "纳西妲-e9.ckpt")  # 9 < 10 although "9" > "10" as text
    sov(root, "SoVITS_weights_v2", "纳西妲_e8_s400.pth")
    s = sov(root, "SoVITS_weights_v2", "纳西妲_e10_s300.pth")
    sov(root, "SoVITS_weights_v2", "纳西妲_e10_s290.pth")
    found = P.discover_characters(root)
    assert found.characters == [
        P.Character("纳西妲", g10, s, 10, "v2", gpt_epoch=10, step=300, lora_rank=None)
    ]
    assert found.unpaired_gpt == [] and found.unpaired_sovits == []
    assert list(found) == found.characters and len(found) == 1


def test_discover_lang_suffix_and_lora(tmp_path):
    root = tmp_path
    g = gpt(root, "GPT_weights_v4", "纳西妲_ZH-e10.ckpt")
    s = sov(root, "SoVITS_weights_v4", "纳西妲_ZH_e10_s1400_l32.pth")
    (c,) = P.discover_characters(root).characters
    assert (c.name, c.gpt, c.sovits, c.epoch, c.step, c.lora_rank, c.version_dir) == (
        "纳西妲_ZH", g, s, 10, 1400, 32, "v4"
    )
    assert (c.display_name, c.lang) == ("纳西妲", "zh")


def test_discover_unpaired_sides(tmp_path):
    root = tmp_path
    gpt(root, "GPT_weights_v2", "胡桃-e10.ckpt")
    g_only = gpt(root, "GPT_weights_v2", "钟离-e15.ckpt")
    gpt(root, "GPT_weights_v2", "钟离-e5.ckpt")
    sov(root, "SoVITS_weights_v2", "胡桃_e10_s210.pth")
    s_only = sov(root, "SoVITS_weights_v2", "刻晴_e10_s190.pth")
    found = P.discover_characters(root)
    assert [c.name for c in found.characters] == ["胡桃"]
    assert found.unpaired_gpt == [g_only]
    assert found.unpaired_sovits == [s_only]


def test_discover_several_version_folders(tmp_path):
    root = tmp_path
    gpt(root, "GPT_weights_v2", "纳西妲-e10.ckpt")
    sov(root, "SoVITS_weights_v2", "纳西妲_e10_s400.pth")
    g4 = gpt(root, "GPT_weights_v4", "纳西妲-e15.ckpt")
    s4 = sov(root, "SoVITS_weights_v4", "纳西妲_e10_s900_l32.pth")
    gpt(root, "GPT_weights", "old-e8.ckpt")
    sov(root, "SoVITS_weights", "old_e8_s80.pth")
    # Cross-folder leftovers pair by name; the SoVITS folder gives the version.
    gx = gpt(root, "GPT_weights_v3", "可莉_ZH-e10.ckpt")
    sx = sov(root, "SoVITS_weights_v4", "可莉_ZH_e10_s530_l32.pth")
    found = P.discover_characters(root)
    got = [(c.name, c.version_dir) for c in found.characters]
    assert got == sorted(got, key=lambda t: (t[0], P.VERSIONS.index(t[1])))
    assert set(got) == {("纳西妲", "v2"), ("纳西妲", "v4"), ("old", "v1"), ("可莉_ZH", "v4")}
    by = {(c.name, c.version_dir): c for c in found.characters}
    assert (by["纳西妲", "v4"].gpt, by["纳西妲", "v4"].sovits) == (g4, s4)
    assert (by["可莉_ZH", "v4"].gpt, by["可莉_ZH", "v4"].sovits) == (gx, sx)


def test_discover_is_deterministic_and_ignores_noise(tmp_path):
    root = tmp_path
    gpt(root, "GPT_weights_v2Pro", "b-e1.ckpt")
    sov(root, "SoVITS_weights_v2Pro", "b_e1_s1.pth")
    gpt(root, "GPT_weights_v2Pro", "a-e1.ckpt")
    sov(root, "SoVITS_weights_v2Pro", "a_e1_s1.pth")
    (root / "GPT_weights_v2Pro" / "readme.txt").write_text("x")
    (root / "GPT_weights_v2Pro" / "sub").mkdir()
    (root / "other").mkdir()
    torch_zip(root / "other" / "c-e1.ckpt")
    first = P.discover_characters(root)
    assert [c.name for c in first.characters] == ["a", "b"]
    assert P.discover_characters(root) == first


def test_discover_files_outside_the_pattern_pair_by_stem(tmp_path):
    root = tmp_path
    g = gpt(root, "GPT_weights_v2", "nahida.ckpt")
    s = sov(root, "SoVITS_weights_v2", "nahida.pth")
    (c,) = P.discover_characters(root).characters
    assert (c.name, c.gpt, c.sovits, c.epoch) == ("nahida", g, s, 0)
    # a numbered file of the same name wins over it
    g2 = gpt(root, "GPT_weights_v2", "nahida-e1.ckpt")
    (c,) = P.discover_characters(root).characters
    assert c.gpt == g2


def test_discover_missing_root(tmp_path):
    with pytest.raises(MissingFile):
        P.discover_characters(tmp_path / "none")
    assert P.discover_characters(tmp_path).characters == []


def test_version_tag():
    assert P.version_tag("GPT_weights") == "v1"
    assert P.version_tag("SoVITS_weights_v2ProPlus") == "v2ProPlus"
    assert P.version_tag("GPT_weights_mine") == "mine"
    for v in P.VERSIONS:
        assert P.version_tag(P.GPT_WEIGHT_DIRS[v]) == v == P.version_tag(P.SOVITS_WEIGHT_DIRS[v])


def test_message_keys_exist_in_both_languages():
    keys = [
        "package.root_missing",
        "package.not_gsv",
        "package.no_runtime",
        "package.python_missing",
        "package.no_api_script",
        "weights.unknown_format",
        "audio.not_found",
        "audio.not_wav",
        "audio.need_ffprobe",
        "audio.probe_failed",
        "fs.not_found",
        "fs.read_failed",
    ]
    for key in keys:
        assert CATALOG[key]["zh"] and CATALOG[key]["en"]
    for key in keys[:-2]:
        assert CATALOG[key + ".hint"]["zh"] and CATALOG[key + ".hint"]["en"]


def test_core_modules_stay_light():
    import subprocess

    code = (
        "import sys, launcher.gsv.languages, launcher.gsv.package, launcher.audio\n"
        "heavy = {'typer', 'rich', 'psutil', 'ruamel', 'yaml', 'launcher.messages', 'torch'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(Path(__file__).resolve().parents[2]))
