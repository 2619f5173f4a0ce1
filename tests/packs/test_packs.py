"""Voice-pack import: every layout built here, imported, and the exact profile and files checked."""

from __future__ import annotations

import json
import os
import re
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import packgen as G
from helpers import snapshot
from launcher import paths
from launcher.gsv import package
from launcher.packs import apply as packapply
from launcher.packs import names as packnames
from launcher.packs import plan as packplan
from launcher.packs import scan as packscan
from launcher.packs import walk as packwalk
from launcher.errors import LauncherError
from launcher.messages import CATALOG
from launcher.packs.zipsafe import TEMP_PREFIX, ZipLimits
from launcher.profiles.schema import NAME_PATTERN, load_profile

HEADER = (
    "# sovits-launch 角色配置（UTF-8），由 sovits-launch import 生成。\n"
    "# 来源：{source}\n"
    "# 路径可以是绝对路径，或相对于 GPT-SoVITS 根目录。参考音频须为 3~10 秒。\n"
)
NEEDS_REF = "# 还缺参考音频：填上 ref_audio（3~10 秒的 wav）和 prompt_text（音频里说的话）。\n"


@pytest.fixture
def root(tmp_path) -> Path:
    return G.make_package(tmp_path / "GPT-SoVITS-v2pro-20250604")


@pytest.fixture
def work(tmp_path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def home() -> paths.Layout:
    return paths.layout()


def do_import(source: Path, root: Path, work: Path | None = None, **kw):
    with packscan.scan(source, work_dir=work) as s:
        plan = packplan.plan_import(s, root=root, layout=home(), **kw)
        result = packapply.apply_import(plan)
    return plan, result


def profile_text(name: str) -> str:
    return (home().profiles / f"{name}.yaml").read_text(encoding="utf-8")


def expect_error(key: str, fn, *args, **kw) -> LauncherError:
    with pytest.raises(LauncherError) as info:
        fn(*args, **kw)
    assert info.value.key == key, (info.value.key, info.value.params)
    return info.value


# --- GSVI -------------------------------------------------------------------------------------


def test_gsvi_character_folder(tmp_path, root):
    char = G.gsvi_character(tmp_path / "trained" / "胡桃")
    plan, result = do_import(char, root)

    assert plan.scan.layout == "gsvi"
    assert profile_text("hutao") == HEADER.format(source=char) + (
        "name: hutao\n"
        "display_name: 胡桃\n"
        "api: v2\n"
        "gpt: GPT_weights_v2/hutao-e75.ckpt\n"
        "sovits: SoVITS_weights_v2/hutao_e60_s3360.pth\n"
        "ref_audio: 参考音频/hutao/胡桃今天也要开开心心的哦.wav\n"
        "prompt_text: 胡桃今天也要开开心心的哦\n"
        "prompt_lang: all_zh\n"
        "text_lang: zh\n"
        "host: 127.0.0.1\n"
        "port: 9880\n"
    )
    for src, dest in [
        ("hutao-e75.ckpt", "GPT_weights_v2/hutao-e75.ckpt"),
        ("hutao_e60_s3360.pth", "SoVITS_weights_v2/hutao_e60_s3360.pth"),
        ("胡桃今天也要开开心心的哦.wav", "参考音频/hutao/胡桃今天也要开开心心的哦.wav"),
    ]:
        assert (root / dest).read_bytes() == (char / src).read_bytes()
        assert (char / src).exists()  # a folder is copied, never moved
    reasons = {c.field: c.reason for c in plan.characters[0].choices}
    assert reasons == {
        "name": "packs.why.name_weights",
        "display_name": "packs.why.name_folder",
        "gpt": "packs.why.only_candidate",
        "sovits": "packs.why.only_candidate",
        "version": "packs.why.version_header",
        "ref_audio": "packs.why.first_in_range",
        "prompt_lang": "packs.why.lang_script",
        "text_lang": "packs.why.text_lang",
        "api": "packs.why.api",
    }
    assert [p.action for p in result.profiles] == ["create"] and result.backups == []
    loaded = load_profile(home().profiles / "hutao.yaml")
    assert loaded.title == "胡桃" and not loaded.needs_reference


def test_gsvi_infer_config_emotions(tmp_path, root):
    config = {
        "version": "1.0.1",
        "gpt_path": "hutao-e75.ckpt",
        "sovits_path": "hutao_e60_s3360.pth",
        "简介": "这是一个配置文件适用于 TTS-for-GPT-soVITS",
        "emotion_list": {
            "default": {"ref_wav_path": "平常.wav", "prompt_text": "胡桃今天也要开开心心的哦", "prompt_language": "中文"},
            "开心": {"ref_wav_path": "sub/开心.wav", "prompt_text": "哈哈，好玩好玩", "prompt_language": "多语种混合"},
            "难过": {"ref_wav_path": "难过.wav", "prompt_text": "太长了", "prompt_language": "zh"},
            "生气": {"ref_wav_path": "../外面.wav", "prompt_text": "不在包里", "prompt_language": "zh"},
        },
    }
    char = G.gsvi_character(tmp_path / "trained" / "胡桃", refs=[("平常", 4.0), ("难过", 12.0)], infer_config=config)
    G.wav(char / "sub" / "开心.wav", 5.0)
    plan, _ = do_import(char, root)

    assert profile_text("hutao") == HEADER.format(source=char) + (
        "name: hutao\n"
        "display_name: 胡桃\n"
        "api: v2\n"
        "gpt: GPT_weights_v2/hutao-e75.ckpt\n"
        "sovits: SoVITS_weights_v2/hutao_e60_s3360.pth\n"
        "ref_audio: 参考音频/hutao/平常.wav\n"
        "prompt_text: 胡桃今天也要开开心心的哦\n"
        "prompt_lang: all_zh\n"
        "text_lang: zh\n"
        "host: 127.0.0.1\n"
        "port: 9880\n"
        "emotions:\n"
        "  开心:\n"
        "    ref_audio: 参考音频/hutao/开心.wav\n"
        "    prompt_text: 哈哈，好玩好玩\n"
        "    prompt_lang: auto\n"
    )
    ch = plan.characters[0]
    choice = {c.field: c for c in ch.choices}
    assert choice["ref_audio"].reason == "packs.why.default_mark"
    assert choice["prompt_lang"].reason == "packs.why.lang_infer_config"
    keys = [n.key for n in ch.notices]
    assert "packs.emotions_out_of_range" in keys  # 难过, 12 s
    assert "packs.infer_config_missing_wav" in keys  # ../外面.wav is outside the folder
    assert not (root / "参考音频" / "hutao" / "难过.wav").exists()


def test_gsvi_infer_config_chooses_between_two_candidates(tmp_path, root):
    config = {"gpt_path": "hutao-e75.ckpt", "sovits_path": "hutao_e60_s3360.pth", "emotion_list": {}}
    char = G.gsvi_character(tmp_path / "胡桃", infer_config=config)
    G.fake_ckpt(char / "hutao-e50.ckpt")
    plan, _ = do_import(char, root)
    gpt = next(c for c in plan.characters[0].choices if c.field == "gpt")
    assert (gpt.value, gpt.reason) == ("hutao-e75.ckpt", "packs.why.infer_config")


def test_gsvi_library(tmp_path, root):
    trained = tmp_path / "trained"
    G.gsvi_character(trained / "胡桃")
    G.gsvi_character(trained / "刻晴", gpt="刻晴-e10.ckpt", sovits="刻晴_e10_s190.pth", version="v2Pro",
                     refs=[("不要停下脚步", 6.0)])
    G.gsvi_character(trained / "钟离", gpt="钟离-e10.ckpt", sovits="钟离_e10_s1120.pth", version="v1",
                     refs=[("天动万象", 3.0)])
    plan, result = do_import(trained, root)
    assert plan.scan.layout == "gsvi-library"
    assert sorted(ch.name for ch in plan.characters) == ["hutao", "刻晴", "钟离"]
    assert sorted(p.path.name for p in result.profiles) == ["hutao.yaml", "刻晴.yaml", "钟离.yaml"]
    assert (root / "SoVITS_weights_v2Pro" / "刻晴_e10_s190.pth").is_file()
    assert (root / "GPT_weights" / "钟离-e10.ckpt").is_file()  # v1 -> the unsuffixed folder
    assert "sovits: SoVITS_weights/钟离_e10_s1120.pth\n" in profile_text("钟离")


# --- AI-Hobbyist ------------------------------------------------------------------------------

NAHIDA_DEFAULT = "这个身体似乎不会老去，但我想见的人，却都离去了。"


def nahida_profile(source) -> str:
    return HEADER.format(source=source) + (
        "name: 纳西妲\n"
        "display_name: 纳西妲\n"
        "api: v2\n"
        "gpt: GPT_weights_v4/纳西妲_ZH-e10.ckpt\n"
        "sovits: SoVITS_weights_v4/纳西妲_ZH_e10_s1400_l32.pth\n"
        f"ref_audio: 参考音频/纳西妲/【默认】{NAHIDA_DEFAULT}.wav\n"
        f"prompt_text: {NAHIDA_DEFAULT}\n"
        "prompt_lang: all_zh\n"
        "text_lang: zh\n"
        "host: 127.0.0.1\n"
        "port: 9880\n"
        "emotions:\n"
        "  开心:\n"
        "    ref_audio: 参考音频/纳西妲/【开心】你今天看起来很高兴呢.wav\n"
        "    prompt_text: 你今天看起来很高兴呢\n"
        "    prompt_lang: all_zh\n"
        "  生气:\n"
        "    ref_audio: 参考音频/纳西妲/【生气】不许这样对待花草.wav\n"
        "    prompt_text: 不许这样对待花草\n"
        "    prompt_lang: all_zh\n"
    )


def test_aihobbyist_gbk_zip_with_wrapping_folder(tmp_path, root, work):
    model = G.aihobbyist_model(tmp_path / "src" / "原神-中文-纳西妲")
    archive = G.zip_folder(model, tmp_path / "纳西妲.zip", gbk=True, wrap="原神-中文-纳西妲")
    # The archive is what Chinese Windows writes: GBK bytes, no UTF-8 flag.
    with zipfile.ZipFile(archive) as z:
        infos = z.infolist()
    assert infos and all(not i.flag_bits & 0x800 for i in infos)
    raw = [i.orig_filename.encode("cp437") for i in infos]
    assert "原神-中文-纳西妲/纳西妲_ZH-e10.ckpt".encode("gbk") in raw

    plan, result = do_import(archive, root, work)

    assert plan.scan.layout == "ai-hobbyist" and plan.scan.kind == "zip"
    assert plan.scan.wrappers == ["原神-中文-纳西妲"]
    assert profile_text("纳西妲") == nahida_profile(archive)
    placed = sorted(p.path.relative_to(root).as_posix() for p in result.placed)
    assert placed == [
        "GPT_weights_v4/纳西妲_ZH-e10.ckpt",
        "SoVITS_weights_v4/纳西妲_ZH_e10_s1400_l32.pth",
        "参考音频/纳西妲/【开心】你今天看起来很高兴呢.wav",
        "参考音频/纳西妲/【生气】不许这样对待花草.wav",
        f"参考音频/纳西妲/【默认】{NAHIDA_DEFAULT}.wav",
    ]
    assert (root / "GPT_weights_v4" / "纳西妲_ZH-e10.ckpt").read_bytes() == (model / "纳西妲_ZH-e10.ckpt").read_bytes()
    keys = [n.key for n in plan.notices]
    assert keys == ["packs.gbk_names", "packs.unwrapped"]
    assert plan.notices[0].params == {"count": len(infos)}
    ch = plan.characters[0]
    assert (ch.version, ch.lora) == ("v4", True)
    assert [n.key for n in ch.notices] == ["packs.lora_base_missing"]  # no s2Gv4.pth in this package
    assert list(work.iterdir()) == []  # the extraction is gone


def test_gbk_name_with_backslash_trail_byte(tmp_path, root, work):
    # 乗 is 0x81 0x5C in GBK: the second byte is "\", which must not become a folder separator.
    pack = G.plain_pack(tmp_path / "src", labs=[("乗车", "上车吧", 4.0)])
    assert "乗".encode("gbk")[1:] == b"\\"
    archive = G.zip_folder(pack, tmp_path / "p.zip", gbk=True)
    plan, _ = do_import(archive, root, work)
    assert "ref_audio: 参考音频/刻晴/乗车.wav\n" in profile_text("刻晴")
    assert (root / "参考音频" / "刻晴" / "乗车.wav").is_file()


def test_utf8_names_without_flag(tmp_path, root, work):
    class Utf8NoFlag(G._RawNameInfo):
        encoding = "utf-8"

    archive = tmp_path / "u.zip"
    pack = G.plain_pack(tmp_path / "src")
    with zipfile.ZipFile(archive, "w") as z:
        for p in sorted(pack.rglob("*")):
            if p.is_file():
                z.writestr(Utf8NoFlag(p.relative_to(pack).as_posix()), p.read_bytes())
    with packscan.scan(archive, work_dir=work) as s:
        assert s.characters[0].name == "刻晴"
        assert not [n for n in s.notices if n.key == "packs.gbk_names"]


def test_backslash_separators_from_old_windows_tools(tmp_path, root, work):
    pack = G.plain_pack(tmp_path / "src")
    members = [(zipfile.ZipInfo("刻晴\\"), b"")]
    members += [(f"刻晴\\{p.name}", p.read_bytes()) for p in sorted(pack.iterdir())]
    archive = G.zip_members(tmp_path / "bs.zip", members)
    plan, _ = do_import(archive, root, work)
    assert plan.scan.wrappers == ["刻晴"] and plan.characters[0].display_name == "刻晴"
    assert (root / "参考音频" / "刻晴" / "keqing_001.wav").is_file()


def test_aihobbyist_emotions_then_language_layout(tmp_path, root):
    model = G.aihobbyist_model(tmp_path / "v4" / "八重樱", name="八重樱", lang_first=False)
    plan, _ = do_import(model, root)
    text = profile_text("八重樱")
    assert "prompt_lang: all_zh\n" in text and "  开心:\n" in text
    assert plan.characters[0].display_name == "八重樱"


@pytest.mark.parametrize(
    "folder,code", [("中文", "all_zh"), ("英语", "en"), ("日语", "all_ja"), ("粤语", "all_yue"), ("韩语", "all_ko")]
)
def test_aihobbyist_language_folders(tmp_path, folder, code):
    model = G.aihobbyist_model(tmp_path / "m", language=folder, emotions=[("默认", "台词", 4.0)], randoms=())
    with packscan.scan(model) as s:
        (ref,) = s.characters[0].references
    assert (ref.lang, ref.label, ref.lang_source, ref.emotion, ref.text) == (code, folder, "folder", "默认", "台词")


def test_aihobbyist_two_languages(tmp_path, root):
    model = G.aihobbyist_model(
        tmp_path / "原神-日语-纳西妲",
        language="日语",
        emotions=[("默认", "こんにちは", 4.0), ("开心", "うれしい", 4.0)],
        randoms=(),
    )
    for emotion, text in [("默认", "你好呀"), ("开心", "真开心")]:
        G.wav(model / "reference_audios" / "中文" / "emotions" / f"【{emotion}】{text}.wav", 4.0)
    plan, _ = do_import(model, root)
    prof = load_profile(home().profiles / "纳西妲.yaml")
    # The weights say _ZH: the Chinese 【默认】 wins over the Japanese one.
    assert prof.ref_audio == "参考音频/纳西妲/【默认】你好呀.wav" and prof.prompt_lang == "all_zh"
    assert sorted(prof.emotions) == ["开心", "开心（日语）", "默认"]
    assert prof.emotions["开心（日语）"].prompt_lang == "all_ja"
    assert prof.emotions["默认"].ref_audio.endswith("【默认】こんにちは.wav")


def test_default_reference_falls_back_to_neutral_then_first(tmp_path, root):
    model = G.aihobbyist_model(
        tmp_path / "a",
        emotions=[("默认", "太长的默认", 12.0), ("开心", "开心的话", 4.0), ("平静", "平静的话", 5.0)],
    )
    plan, _ = do_import(model, root)
    ch = plan.characters[0]
    ref = next(c for c in ch.choices if c.field == "ref_audio")
    assert ref.reason == "packs.why.neutral" and ref.params["emotion"] == "平静"
    assert "packs.default_out_of_range" in [n.key for n in ch.notices]
    assert ch.emotions == ["开心"]

    other = G.aihobbyist_model(tmp_path / "b", name="胡桃", emotions=[("开心", "开心的话", 4.0), ("生气", "生气的话", 4.0)])
    plan, _ = do_import(other, root)
    ref = next(c for c in plan.characters[0].choices if c.field == "ref_audio")
    assert ref.reason == "packs.why.first_in_range" and ref.value.endswith("【开心】开心的话.wav")


def test_randoms_are_used_when_nothing_else_fits(tmp_path, root):
    model = G.aihobbyist_model(tmp_path / "m", emotions=[("默认", "太短", 1.0)], randoms=[("随机的一句话", 4.0)])
    plan, _ = do_import(model, root)
    prof = load_profile(home().profiles / "纳西妲.yaml")
    assert prof.ref_audio == "参考音频/纳西妲/0000.wav" and prof.prompt_text == "随机的一句话"
    assert prof.emotions == {}


# --- plain packs ----------------------------------------------------------------------------


def test_plain_pack_with_lab(tmp_path, root):
    pack = G.plain_pack(tmp_path / "keqing")
    plan, result = do_import(pack, root)
    assert plan.scan.layout == "plain"
    assert profile_text("刻晴") == HEADER.format(source=pack) + (
        "name: 刻晴\n"
        "display_name: keqing\n"
        "api: v2\n"
        "gpt: GPT_weights_v2Pro/刻晴-e15.ckpt\n"
        "sovits: SoVITS_weights_v2Pro/刻晴_e8_s200.pth\n"
        "ref_audio: 参考音频/刻晴/keqing_001.wav\n"
        "prompt_text: 不要停下脚步\n"
        "prompt_lang: all_zh\n"
        "text_lang: zh\n"
        "host: 127.0.0.1\n"
        "port: 9880\n"
    )
    assert {c.field: c.reason for c in plan.characters[0].choices}["prompt_lang"] == "packs.why.lang_script"


def test_plain_pack_with_training_list(tmp_path, root):
    pack = G.plain_pack(
        tmp_path / "p",
        labs=(),
        list_entries=[("vocal_0001", "JA", "おはようございます", 4.0), ("vocal_0002", "ZH", "早上好", 2.0)],
    )
    plan, _ = do_import(pack, root)
    prof = load_profile(home().profiles / "刻晴.yaml")
    assert (prof.ref_audio, prof.prompt_text, prof.prompt_lang) == ("参考音频/刻晴/vocal_0001.wav", "おはようございます", "ja")
    assert {c.field: c.reason for c in plan.characters[0].choices}["prompt_lang"] == "packs.why.lang_list"


def test_flat_zip_uses_the_weights_name(tmp_path, root, work):
    pack = G.plain_pack(tmp_path / "src")
    archive = G.zip_folder(pack, tmp_path / "下载的模型(1).zip")
    plan, _ = do_import(archive, root, work)
    assert (plan.characters[0].name, plan.characters[0].display_name) == ("刻晴", "刻晴")
    assert plan.scan.wrappers == []


def test_pack_laid_out_like_the_package(tmp_path, root):
    pack = tmp_path / "钟离"
    G.fake_ckpt(pack / "GPT_weights_v2" / "钟离-e10.ckpt")
    G.fake_pth(pack / "SoVITS_weights_v2" / "钟离_e10_s1120.pth")
    G.wav(pack / "参考音频" / "天动万象.wav", 3.5)
    plan, _ = do_import(pack, root)
    prof = load_profile(home().profiles / "钟离.yaml")
    assert prof.gpt == "GPT_weights_v2/钟离-e10.ckpt" and prof.ref_audio == "参考音频/钟离/天动万象.wav"


def test_options_name_display_name(tmp_path, root):
    pack = G.plain_pack(tmp_path / "p")
    plan, _ = do_import(pack, root, name="keqing", display_name="刻晴·霆霓快雨")
    prof = load_profile(home().profiles / "keqing.yaml")
    assert (prof.name, prof.display_name, prof.ref_audio) == ("keqing", "刻晴·霆霓快雨", "参考音频/keqing/keqing_001.wav")
    assert {c.field: c.reason for c in plan.characters[0].choices}["name"] == "packs.why.option"


@pytest.mark.parametrize("bad", ["a/b", "  ", "-x", "con"])
def test_bad_name_option(tmp_path, root, bad):
    pack = G.plain_pack(tmp_path / "p")
    with packscan.scan(pack) as s:
        expect_error("packs.bad_name", packplan.plan_import, s, root=root, layout=home(), name=bad)


def test_name_with_a_library_is_refused(tmp_path, root):
    G.gsvi_character(tmp_path / "t" / "a")
    G.gsvi_character(tmp_path / "t" / "b", gpt="b-e1.ckpt", sovits="b_e1_s1.pth")
    with packscan.scan(tmp_path / "t") as s:
        expect_error("packs.name_with_library", packplan.plan_import, s, root=root, layout=home(), name="x")


def test_same_weight_names_in_a_library(tmp_path, root):
    for who in ("甲", "乙"):
        G.gsvi_character(tmp_path / "t" / who, gpt="model-e10.ckpt", sovits="model_e10_s100.pth", refs=[(f"{who}说话了", 4.0)])
    plan, _ = do_import(tmp_path / "t", root)
    # 乙 sorts first and keeps the file names; 甲 is told apart by its folder name
    assert [ch.name for ch in plan.characters] == ["model", "甲"]
    assert sorted(p.name for p in (root / "GPT_weights_v2").iterdir()) == ["model-e10.ckpt", "甲_model-e10.ckpt"]
    assert "gpt: GPT_weights_v2/甲_model-e10.ckpt\n" in profile_text("甲")
    assert "gpt: GPT_weights_v2/model-e10.ckpt\n" in profile_text("model")


def test_in_place_keeps_files_where_they_are(tmp_path, root):
    pack = G.plain_pack(tmp_path / "p")
    plan, result = do_import(pack, root, in_place=True)
    prof = load_profile(home().profiles / "刻晴.yaml")
    assert prof.gpt == str(pack / "刻晴-e15.ckpt") and prof.ref_audio == str(pack / "keqing_001.wav")
    assert not (root / "GPT_weights_v2Pro").exists() and not (root / "参考音频").exists()
    assert {p.action for p in result.placed} == {"in_place"} and result.bytes_copied == 0


def test_in_place_inside_the_root_is_relative(root):
    pack = G.plain_pack(root / "我的模型" / "刻晴")
    do_import(pack, root, in_place=True)
    assert "gpt: 我的模型/刻晴/刻晴-e15.ckpt\n" in profile_text("刻晴")


def test_in_place_zip_is_refused(tmp_path, root, work):
    archive = G.zip_folder(G.plain_pack(tmp_path / "p"), tmp_path / "p.zip")
    with packscan.scan(archive, work_dir=work) as s:
        expect_error("packs.in_place_zip", packplan.plan_import, s, root=root, layout=home(), in_place=True)


# --- bad input ----------------------------------------------------------------------------------


def test_two_candidates_are_listed_and_chosen_with_flags(tmp_path, root):
    pack = G.plain_pack(tmp_path / "p")
    G.fake_ckpt(pack / "刻晴-e20.ckpt")
    G.fake_pth(pack / "old" / "刻晴_e4_s100.pth", "v2Pro")
    with packscan.scan(pack) as s:
        err = expect_error("packs.ambiguous_weights", packplan.plan_import, s, root=root, layout=home())
        assert err.params["flag"] == "--gpt" and err.params["count"] == 2
        assert err.details == ["刻晴-e15.ckpt", "刻晴-e20.ckpt"]
        err = expect_error("packs.ambiguous_weights", packplan.plan_import, s, root=root, layout=home(), gpt="刻晴-e20.ckpt")
        assert err.params["flag"] == "--sovits" and err.details == ["old/刻晴_e4_s100.pth", "刻晴_e8_s200.pth"]
        err = expect_error("packs.choice_not_found", packplan.plan_import, s, root=root, layout=home(), gpt="nope.ckpt")
        assert "刻晴-e20.ckpt" in err.params["files"]
        plan = packplan.plan_import(s, root=root, layout=home(), gpt="刻晴-e20.ckpt", sovits="old/刻晴_e4_s100.pth")
    gpt, sov = plan.characters[0].profile.gpt, plan.characters[0].profile.sovits
    assert (gpt, sov) == ("GPT_weights_v2Pro/刻晴-e20.ckpt", "SoVITS_weights_v2Pro/刻晴_e4_s100.pth")


def test_several_blocked_characters_are_all_reported(tmp_path, root):
    for who in ("a", "b"):
        char = G.gsvi_character(tmp_path / "t" / who, gpt=f"{who}-e1.ckpt", sovits=f"{who}_e1_s1.pth")
        G.fake_ckpt(char / f"{who}-e2.ckpt")
    G.gsvi_character(tmp_path / "t" / "c", gpt="c-e1.ckpt", sovits="c_e1_s1.pth")
    with packscan.scan(tmp_path / "t") as s:
        with pytest.raises(packplan.PackProblems) as info:
            packplan.plan_import(s, root=root, layout=home())
    assert [p.params["character"] for p in info.value.problems] == ["a", "b"]
    assert info.value.key == "packs.ambiguous_weights"
    assert not home().profiles.exists()
    # one --gpt per character settles it
    with packscan.scan(tmp_path / "t") as s:
        plan = packplan.plan_import(s, root=root, layout=home(), gpt=["a-e2.ckpt", "b-e1.ckpt"])
    assert [ch.profile.gpt for ch in plan.characters] == [
        "GPT_weights_v2/a-e2.ckpt", "GPT_weights_v2/b-e1.ckpt", "GPT_weights_v2/c-e1.ckpt"
    ]


def test_missing_half_of_the_model(tmp_path, root):
    pack = tmp_path / "p"
    G.fake_ckpt(pack / "a-e1.ckpt")
    with packscan.scan(pack) as s:
        err = expect_error("packs.missing_weight", packplan.plan_import, s, root=root, layout=home())
    assert err.params["ext"] == ".pth"


def test_no_reference_audio(tmp_path, root):
    pack = G.plain_pack(tmp_path / "刻晴", labs=())
    plan, _ = do_import(pack, root)
    assert profile_text("刻晴") == HEADER.format(source=pack) + NEEDS_REF + (
        "name: 刻晴\n"
        "display_name: 刻晴\n"
        "api: v2\n"
        "gpt: GPT_weights_v2Pro/刻晴-e15.ckpt\n"
        "sovits: SoVITS_weights_v2Pro/刻晴_e8_s200.pth\n"
        "prompt_text: ''\n"
        "prompt_lang: zh\n"
        "text_lang: zh\n"
        "host: 127.0.0.1\n"
        "port: 9880\n"
    )
    ch = plan.characters[0]
    assert ch.needs_reference
    (n,) = [n for n in ch.notices if n.key == "packs.no_reference"]
    assert n.params == {"folder": "参考音频/刻晴"}
    assert load_profile(home().profiles / "刻晴.yaml").needs_reference


def test_references_all_out_of_range(tmp_path, root):
    pack = G.plain_pack(tmp_path / "p", labs=[("short", "太短", 2.0), ("long", "太长", 12.5)])
    plan, result = do_import(pack, root)
    ch = plan.characters[0]
    assert ch.needs_reference and NEEDS_REF in profile_text("刻晴")
    (n,) = [n for n in ch.notices if n.key == "packs.refs_out_of_range"]
    assert n.params == {"count": 2, "shortest": "2.0", "longest": "12.5", "folder": "参考音频/刻晴"}
    assert not (root / "参考音频").exists()
    assert sorted(p.kind for p in result.placed) == ["gpt", "sovits"]


def test_unreadable_and_non_wav_audio(tmp_path, root):
    pack = G.plain_pack(tmp_path / "p")
    (pack / "broken.wav").write_bytes(b"ID3 this is an mp3")
    (pack / "song.mp3").write_bytes(b"ID3")
    plan, _ = do_import(pack, root)
    keys = [n.key for n in plan.characters[0].notices]
    assert "packs.refs_unreadable" in keys and "packs.audio_not_wav" in keys


def test_lfs_pointer_and_bad_headers(tmp_path, root):
    pack = G.plain_pack(tmp_path / "p")
    (pack / "刻晴-e15.ckpt").write_text("version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 155000000\n")
    with packscan.scan(pack) as s:
        expect_error("packs.lfs_pointer", packplan.plan_import, s, root=root, layout=home())
    (pack / "刻晴-e15.ckpt").write_bytes(b"<!DOCTYPE html><html>")
    with packscan.scan(pack) as s:
        expect_error("packs.bad_gpt", packplan.plan_import, s, root=root, layout=home())
    G.fake_ckpt(pack / "刻晴-e15.ckpt")
    (pack / "刻晴_e8_s200.pth").write_bytes(b"07\x03\x04" + bytes(60))
    with packscan.scan(pack) as s:
        err = expect_error("weights.unknown_format", packplan.plan_import, s, root=root, layout=home())
    assert err.params["path"] == "刻晴_e8_s200.pth"


def test_nothing_found(tmp_path, root):
    folder = tmp_path / "only_refs"
    G.wav(folder / "你好.wav", 4.0)
    with packscan.scan(folder) as s:
        expect_error("packs.nothing_found", packplan.plan_import, s, root=root, layout=home())


def test_source_problems(tmp_path, root):
    expect_error("packs.source_missing", packscan.scan, tmp_path / "nope.zip")
    (tmp_path / "a.7z").write_bytes(b"7z\xbc\xaf\x27\x1c")
    expect_error("packs.archive_unsupported", packscan.scan, tmp_path / "a.7z")
    (tmp_path / "a.txt").write_text("hi")
    expect_error("packs.source_unsupported", packscan.scan, tmp_path / "a.txt")
    with packscan.scan(G.plain_pack(tmp_path / "p")) as s:
        expect_error("package.not_gsv", packplan.plan_import, s, root=tmp_path, layout=home())


# --- existing files ------------------------------------------------------------------------------


def test_existing_profile_refused_then_replaced_with_backup(tmp_path, root):
    pack = G.plain_pack(tmp_path / "p")
    do_import(pack, root)
    target = home().profiles / "刻晴.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "# my edit\n", encoding="utf-8")
    before = snapshot(root, home().home)
    with packscan.scan(pack) as s:
        err = expect_error("packs.profile_exists", packplan.plan_import, s, root=root, layout=home())
    assert err.params["path"] == str(target)
    assert snapshot(root, home().home) == before

    plan, result = do_import(pack, root, force=True)
    (backup,) = result.backups
    assert backup.parent == target.parent and backup.name.startswith("刻晴.yaml.bak-")
    assert backup.read_text(encoding="utf-8").endswith("# my edit\n")
    assert "# my edit" not in target.read_text(encoding="utf-8")
    assert [p.action for p in result.profiles] == ["replace"]
    assert {p.action for p in result.placed} == {"same"}  # identical weights are reused, not copied again


def test_existing_different_weight_file(tmp_path, root):
    pack = G.plain_pack(tmp_path / "p")
    old = G.fake_pth(root / "SoVITS_weights_v2Pro" / "刻晴_e8_s200.pth", "v2Pro", payload=10)
    old_bytes = old.read_bytes()
    before = snapshot(root, home().home)
    with packscan.scan(pack) as s:
        err = expect_error("packs.file_exists", packplan.plan_import, s, root=root, layout=home())
    assert err.params == {"path": str(old), "count": 1}
    assert snapshot(root, home().home) == before

    plan, result = do_import(pack, root, force=True)
    (backup,) = result.backups
    assert backup.read_bytes() == old_bytes and backup.name.startswith("刻晴_e8_s200.pth.bak-")
    assert old.read_bytes() == (pack / "刻晴_e8_s200.pth").read_bytes()
    assert package.discover_characters(root).characters[0].sovits == old  # the backup is not listed as a weight


# --- all or nothing -----------------------------------------------------------------------------


def test_failure_mid_copy_leaves_everything_as_before(tmp_path, root, monkeypatch):
    pack = G.aihobbyist_model(tmp_path / "m")
    before = snapshot(root, home().home)
    real = packapply._copy_into
    calls = []

    def failing(source, target, counter):
        calls.append(source)
        if len(calls) == 3:
            real(source, target, counter)  # half the work is on disk when it fails
            raise OSError(28, "No space left on device", str(target))
        real(source, target, counter)

    monkeypatch.setattr(packapply, "_copy_into", failing)
    with packscan.scan(pack) as s:
        plan = packplan.plan_import(s, root=root, layout=home())
        err = expect_error("packs.apply_failed", packapply.apply_import, plan)
    assert err.params["reason"] == "No space left on device"
    assert len(calls) == 3
    assert snapshot(root, home().home) == before


def test_failure_while_committing_restores_replaced_files(tmp_path, root, monkeypatch):
    pack = G.plain_pack(tmp_path / "p")
    G.fake_pth(root / "SoVITS_weights_v2Pro" / "刻晴_e8_s200.pth", "v2Pro", payload=10)
    home().profiles.mkdir(parents=True)
    (home().profiles / "刻晴.yaml").write_text("name: 刻晴\ngpt: a.ckpt\nsovits: b.pth\n", encoding="utf-8")
    before = snapshot(root, home().home)
    real_replace = os.replace

    def replace(src, dst):
        if str(dst).endswith("刻晴.yaml"):
            raise PermissionError(13, "Permission denied", str(dst))
        return real_replace(src, dst)

    with packscan.scan(pack) as s:
        plan = packplan.plan_import(s, root=root, layout=home(), force=True)
        with monkeypatch.context() as m:
            m.setattr(os, "replace", replace)
            err = expect_error("packs.apply_failed", packapply.apply_import, plan)
    assert err.params["path"].endswith("刻晴.yaml")
    assert snapshot(root, home().home) == before  # weights restored, new files and backups gone


def test_ctrl_c_during_copy_leaves_no_partial_file(tmp_path, root):
    pack = G.plain_pack(tmp_path / "p")
    G.fake_pth(pack / "刻晴_e8_s200.pth", "v2Pro", payload=3 << 20)
    before = snapshot(root, home().home)

    def interrupt(done, total):
        if done > 1 << 20:
            raise KeyboardInterrupt

    with packscan.scan(pack) as s:
        plan = packplan.plan_import(s, root=root, layout=home())
        with pytest.raises(KeyboardInterrupt):
            packapply.apply_import(plan, on_progress=interrupt)
    assert snapshot(root, home().home) == before


def test_progress_reports_every_byte(tmp_path, root):
    pack = G.plain_pack(tmp_path / "p")
    G.fake_pth(pack / "刻晴_e8_s200.pth", "v2Pro", payload=3 << 20)
    calls = []
    with packscan.scan(pack) as s:
        plan = packplan.plan_import(s, root=root, layout=home())
        result = packapply.apply_import(plan, on_progress=lambda done, total: calls.append((done, total)))
    total = sum(op.size for op in plan.files)
    assert total == plan.copy_bytes == result.bytes_copied > 3 << 20
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert all(t == total for _, t in calls)
    assert all(a[0] <= b[0] for a, b in zip(calls, calls[1:]))
    assert len(calls) > 4  # the big file reports in chunks


def test_progress_when_moving_out_of_a_zip(tmp_path, root, work):
    archive = G.zip_folder(G.plain_pack(tmp_path / "p"), tmp_path / "p.zip")
    unpack, copy = [], []
    with packscan.scan(archive, work_dir=work, on_progress=lambda d, t: unpack.append((d, t))) as s:
        plan = packplan.plan_import(s, root=root, layout=home())
        assert all(op.move for op in plan.files)
        result = packapply.apply_import(plan, on_progress=lambda d, t: copy.append((d, t)))
    assert unpack[0][0] == 0 and unpack[-1][0] == unpack[-1][1] == sum(i.file_size for i in zipfile.ZipFile(archive).infolist())
    assert copy[0] == (0, result.bytes_copied) and copy[-1] == (result.bytes_copied, result.bytes_copied)


def test_copy_atomic(tmp_path):
    src = tmp_path / "big.pth"
    src.write_bytes(bytes(range(256)) * (3 << 12))  # 3 MiB: several chunks
    calls = []
    n = packapply.copy_atomic(src, tmp_path / "out" / "big.pth", on_progress=lambda d, t: calls.append((d, t)))
    assert n == src.stat().st_size and (tmp_path / "out" / "big.pth").read_bytes() == src.read_bytes()
    assert calls[0] == (0, n) and calls[-1] == (n, n)

    def stop(done, total):
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        packapply.copy_atomic(src, tmp_path / "out2" / "big.pth", on_progress=stop)
    assert list((tmp_path / "out2").iterdir()) == []
    old = tmp_path / "out" / "big.pth"
    old.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt):
        packapply.copy_atomic(src, old, on_progress=stop)
    assert old.read_bytes() == b"old" and sorted(p.name for p in old.parent.iterdir()) == ["big.pth"]
    expect_error("fs.not_found", packapply.copy_atomic, tmp_path / "none", tmp_path / "x")


# --- zip safety ------------------------------------------------------------------------------------


def _symlink_member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16
    return info


def _entries_ok():
    return [("a-e1.ckpt", b"PK\x03\x04" + bytes(20)), ("a_e1_s1.pth", b"01\x03\x04" + bytes(20))]


@pytest.mark.parametrize(
    "name", ["../evil.wav", "..\\evil.wav", "a/../../evil.wav", "/etc/evil.wav", "C:/evil.wav", "C:evil.wav", "\\\\server\\x.wav", "a/b:stream"]
)
def test_zip_entries_escaping_the_folder(tmp_path, root, work, name):
    archive = G.zip_members(tmp_path / "bad.zip", _entries_ok() + [(zipfile.ZipInfo(name), b"x")])
    before = snapshot(root, home().home)
    err = expect_error("packs.zip_unsafe_path", packscan.scan, archive, work_dir=work)
    assert err.params["entry"] == name
    assert list(work.iterdir()) == [] and snapshot(root, home().home) == before
    assert not (tmp_path / "evil.wav").exists()


def test_zip_symlink_member(tmp_path, work):
    archive = G.zip_members(tmp_path / "l.zip", _entries_ok() + [(_symlink_member("ref.wav"), b"/etc/passwd")])
    expect_error("packs.zip_symlink", packscan.scan, archive, work_dir=work)
    assert list(work.iterdir()) == []


def test_zip_bomb_and_size_limits(tmp_path, work):
    bomb = G.zip_members(tmp_path / "bomb.zip", _entries_ok() + [("zeros.wav", bytes(20 << 20))])
    assert bomb.stat().st_size < 1 << 20
    err = expect_error("packs.zip_bomb", packscan.scan, bomb, work_dir=work)
    assert err.params["ratio"] > 200
    big = G.zip_members(tmp_path / "big.zip", _entries_ok() + [("noise.wav", os.urandom(4000))])
    err = expect_error("packs.zip_too_large", packscan.scan, big, work_dir=work, limits=ZipLimits(max_total=3000))
    expect_error("packs.zip_too_many", packscan.scan, big, work_dir=work, limits=ZipLimits(max_files=2))
    assert list(work.iterdir()) == []


def test_zip_duplicate_names(tmp_path, work):
    archive = G.zip_members(tmp_path / "d.zip", _entries_ok() + [("Ref.wav", b"1"), ("ref.WAV", b"2")])
    expect_error("packs.zip_duplicate", packscan.scan, archive, work_dir=work)


def test_zip_encrypted(tmp_path, work):
    archive = G.zip_members(tmp_path / "e.zip", _entries_ok())
    data = bytearray(archive.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x01  # general purpose flag bit 0: encrypted
    archive.write_bytes(bytes(data))
    expect_error("packs.zip_encrypted", packscan.scan, archive, work_dir=work)


def test_corrupt_zips(tmp_path, root, work):
    (tmp_path / "junk.zip").write_bytes(b"this is not a zip at all")
    expect_error("packs.zip_corrupt", packscan.scan, tmp_path / "junk.zip", work_dir=work)
    good = G.zip_folder(G.plain_pack(tmp_path / "p"), tmp_path / "good.zip")
    (tmp_path / "cut.zip").write_bytes(good.read_bytes()[:-40])
    expect_error("packs.zip_corrupt", packscan.scan, tmp_path / "cut.zip", work_dir=work)
    # a damaged byte inside a stored member: the CRC check fails while extracting
    crc = tmp_path / "crc.zip"
    with zipfile.ZipFile(crc, "w", zipfile.ZIP_STORED) as z:
        for name, data in _entries_ok():
            z.writestr(name, data)
        z.writestr("a.lab", b"A" * 1000)
    data = bytearray(crc.read_bytes())
    data[data.index(b"A" * 1000) + 500] = ord("B")
    crc.write_bytes(bytes(data))
    expect_error("packs.zip_corrupt", packscan.scan, crc, work_dir=work)
    assert list(work.iterdir()) == []


def test_nested_zips_are_reported_not_opened(tmp_path, work):
    pack = G.plain_pack(tmp_path / "p")
    G.zip_folder(G.plain_pack(tmp_path / "inner"), pack / "更多角色.zip")
    archive = G.zip_folder(pack, tmp_path / "outer.zip")
    with packscan.scan(archive, work_dir=work) as s:
        (n,) = [n for n in s.notices if n.key == "packs.nested_zips"]
        assert n.params == {"files": "更多角色.zip"}
        assert len(s.characters) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="creating symlinks needs privileges on Windows")
def test_folder_with_a_symlink_is_refused(tmp_path, root):
    pack = G.plain_pack(tmp_path / "p")
    (pack / "secret.wav").symlink_to(tmp_path / "p" / "keqing_001.wav")
    expect_error("packs.symlink", packscan.scan, pack)
    (pack / "secret.wav").unlink()
    (pack / "linked").symlink_to(tmp_path, target_is_directory=True)
    expect_error("packs.symlink", packscan.scan, pack)


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


# --- the 200-character library ---------------------------------------------------------------------


def test_library_of_200_characters(tmp_path, root):
    trained = G.make_library(tmp_path / "lib", 200)
    with packscan.scan(trained) as s:
        assert len(s.characters) == 200 and s.layout == "gsvi-library"
        plan = packplan.plan_import(s, root=root, layout=home())
        result = packapply.apply_import(plan)
    assert len(result.profiles) == 200 == len(list(home().profiles.glob("*.yaml")))
    with_emotions = [ch for ch in plan.characters if ch.emotions]
    assert len(with_emotions) == 67 and all(ch.emotions == ["开心", "难过"] for ch in with_emotions)
    assert {ch.version for ch in plan.characters} == {"v1", "v2", "v2Pro", "v2ProPlus"}
    first = load_profile(home().profiles / "char000.yaml")
    assert (first.display_name, first.ref_audio) == (G.character_name(0), f"参考音频/char000/{G.character_name(0)}的第一句台词.wav")


# --- catalog and layering -------------------------------------------------------------------------

_DYNAMIC = [
    *(f"packs.why.name_{s}" for s in ("weights", "folder", "pack")),
    *(f"packs.why.lang_{s}" for s in ("folder", "list", "infer_config", "name_suffix")),
    "packs.transcript_filename",
    "packs.transcript_none",
    *(f"packs.layout.{s}" for s in ("gsvi", "gsvi-library", "library", "ai-hobbyist", "plain", "unknown")),
    *(f"packs.action.{s}" for s in ("copy", "replace", "same", "in_place", "create")),
    *(f"packs.field.{s}" for s in ("name", "display_name", "gpt", "sovits", "version", "ref_audio", "prompt_lang", "text_lang", "api")),
]


def _keys_in(module_files) -> set[str]:
    keys = set()
    for f in module_files:
        keys |= set(re.findall(r'"(packs\.[a-z_.\-]+)"', Path(f).read_text(encoding="utf-8")))
    return {k for k in keys if not k.endswith(".") and not k.endswith("_")}


def test_every_packs_key_is_in_the_catalog_in_both_languages():
    from launcher.cli import import_cmd

    core = sorted(Path(packscan.__file__).parent.glob("*.py"))  # every module of launcher/packs
    keys = _keys_in(core + [import_cmd.__file__]) | set(_DYNAMIC)
    for key in sorted(keys):
        assert key in CATALOG, key
        assert CATALOG[key]["zh"] and CATALOG[key]["en"], key
    raised = set()
    for f in core:
        raised |= set(re.findall(r'(?:BadInput|LauncherError|MissingFile)\(\s*"(packs\.[a-z_]+)"', Path(f).read_text(encoding="utf-8")))
    raised |= set(re.findall(r'BadInput\("(packs\.[a-z_]+)"', Path(import_cmd.__file__).read_text(encoding="utf-8")))
    assert len(raised) > 20
    for key in sorted(raised):
        assert key + ".hint" in CATALOG, key


def test_core_modules_stay_light():
    import subprocess

    code = (
        "import sys, launcher.packs.scan, launcher.packs.plan, launcher.packs.apply\n"
        "heavy = {'typer', 'rich', 'click', 'launcher.messages', 'launcher.cli', 'torch'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(Path(__file__).resolve().parents[2]))


# --- the command line ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def chinese_messages():
    """`--lang en` sets the catalog's language for the process: start and end every test in Chinese."""
    from launcher import messages

    messages.set_language("zh")  # whatever the machine's locale says
    yield
    messages.set_language(None)


def cli(args, capsys):
    from launcher.cli import run

    code = run(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_imports_a_gbk_zip(tmp_path, root, capsys):
    model = G.aihobbyist_model(tmp_path / "src" / "原神-中文-纳西妲")
    archive = G.zip_folder(model, tmp_path / "纳西妲.zip", gbk=True, wrap="原神-中文-纳西妲")
    code, out, err = cli(["import", str(archive), "--root", str(root)], capsys)
    assert code == 0, err
    assert "识别为：AI-Hobbyist 模型包，1 个角色（纳西妲.zip）" in out
    assert "版本：v4 LoRA — .pth 文件头 \"04\"" in out
    assert f"默认参考音频：原神-中文-纳西妲/reference_audios/中文/emotions/【默认】{NAHIDA_DEFAULT}.wav（5.0 秒） — 包里标为默认（【默认】）" in out
    assert "参考语言：all_zh — 语言文件夹“中文”" in out
    assert "情绪（2）：开心、生气" in out
    assert "复制  GPT_weights_v4/纳西妲_ZH-e10.ckpt" in out
    assert f"已写入角色配置 纳西妲：{home().profiles / '纳西妲.yaml'}" in out
    assert out.rstrip().endswith("下一步：sovits-launch 纳西妲")
    assert "底模" in err  # the LoRA base warning
    assert profile_text("纳西妲") == nahida_profile(archive)
    assert not [p for p in root.iterdir() if p.name.startswith(TEMP_PREFIX)]

    code, out, err = cli(["import", str(archive), "--root", str(root)], capsys)
    assert code == 2 and "已经有名为 纳西妲 的角色配置" in err and "--force" in err


def test_cli_json_dry_run_and_settings_root(tmp_path, root, capsys):
    paths.save_settings(paths.Settings(gsv_root=str(root)))
    pack = G.plain_pack(tmp_path / "p")
    code, out, err = cli(["import", str(pack), "--dry-run", "--json"], capsys)
    assert code == 0, err
    payload = json.loads(out)
    assert payload["kind"] == "import" and payload["schema"] == 1
    data = payload["data"]
    assert data["dry_run"] is True and data["result"] is None and data["next"] == "sovits-launch 刻晴"
    (ch,) = data["characters"]
    assert ch["settings"]["ref_audio"] == "参考音频/刻晴/keqing_001.wav"
    assert {c["field"]: c["text"] for c in ch["choices"]}["gpt"] == "包里唯一的 .ckpt"
    assert [f["action"] for f in ch["files"]] == ["copy", "copy", "copy"]
    assert not home().profiles.exists() and not (root / "GPT_weights_v2Pro").exists()

    code, out, err = cli(["--lang", "en", "import", str(pack), "--json"], capsys)
    data = json.loads(out)["data"]
    assert code == 0 and data["result"]["profiles"][0]["action"] == "create"
    assert data["characters"][0]["choices"][2]["text"] == "the only .ckpt in the pack"


def test_cli_lists_every_blocked_character(tmp_path, root, capsys):
    for who in ("a", "b"):
        char = G.gsvi_character(tmp_path / "t" / who, gpt=f"{who}-e1.ckpt", sovits=f"{who}_e1_s1.pth")
        G.fake_ckpt(char / f"{who}-e2.ckpt")
    code, out, err = cli(["import", str(tmp_path / "t"), "--root", str(root)], capsys)
    assert code == 2
    assert "2 个角色无法导入，什么都没有改动" in err
    assert "角色 a 有 2 个 .ckpt 文件" in err and "角色 b 有 2 个 .ckpt 文件" in err
    assert "b-e2.ckpt" in err and '--gpt "b-e2.ckpt"' in err


def test_cli_library_table_and_next(tmp_path, root, capsys):
    trained = G.make_library(tmp_path / "lib", 6)
    code, out, err = cli(["import", str(trained), "--root", str(root)], capsys)
    assert code == 0, err
    assert "GSVI 角色库（trained/）" in out and "char005" in out
    assert "已导入 6 个角色" in out and out.rstrip().endswith("下一步：sovits-launch list")


def test_cli_without_root(tmp_path, capsys):
    code, out, err = cli(["import", str(G.plain_pack(tmp_path / "p"))], capsys)
    assert code == 2 and "sovits-launch init" in err


def test_cli_bad_zip(tmp_path, root, capsys):
    archive = G.zip_members(tmp_path / "bad.zip", _entries_ok() + [(zipfile.ZipInfo("../../evil.wav"), b"x")])
    code, out, err = cli(["import", str(archive), "--root", str(root)], capsys)
    assert code == 2 and "../../evil.wav" in err and "什么都没有改动" in err
    assert not [p for p in root.iterdir() if p.name.startswith(TEMP_PREFIX)]


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
