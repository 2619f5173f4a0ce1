"""Voice-pack layouts (GSVI, AI-Hobbyist, plain, libraries) imported, and the exact profile and files checked."""

from __future__ import annotations

import zipfile

import pytest

from helpers import packgen as G
from helpers.pack_import import HEADER, NAHIDA_DEFAULT, do_import, expect_error, home, nahida_profile, profile_text
from launcher.packs import apply as packapply
from launcher.packs import plan as packplan
from launcher.packs import scan as packscan
from launcher.profiles.schema import load_profile


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
