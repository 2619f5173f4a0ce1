"""Planning an import that cannot be whole: every refusal comes before a byte is written."""

from __future__ import annotations

import pytest

from helpers import packgen as G
from helpers import snapshot
from helpers.pack_import import HEADER, NEEDS_REF, do_import, expect_error, home, profile_text
from launcher.gsv import package
from launcher.packs import plan as packplan
from launcher.packs import scan as packscan
from launcher.profiles.schema import load_profile


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
