"""Reference audio from a character's training outputs (training.py), and from a WAV the user names (references.py)."""

from __future__ import annotations

import time

import pytest

from launcher import audio
from launcher.errors import BadInput, MissingFile
from launcher.profiles import references as R
from launcher.profiles import training as T

from helpers.training_tree import Clip, make_training, many_clips, sparse_wav


# --- choosing from the training outputs ----------------------------------------------------------


def test_prefers_a_4_to_8_second_whole_sentence_with_the_lists_original_text(tmp_path):
    clips = make_training(
        tmp_path,
        "纳西妲",
        [
            Clip(2.0, "啊。"),
            Clip(9.5, "这一段很长但是没有句号"),
            Clip(5.0, "我叫纳西妲"),  # ideal length, no full stop
            Clip(6.5, "初次见面，我已经关注你很久了。"),
            Clip(12.0, "太长了。"),
        ],
    )
    scan = T.scan_training(tmp_path, ["纳西妲"])
    pick = scan.pick
    assert pick is not None and pick.path == clips[3]
    assert pick.text == "初次见面，我已经关注你很久了。" and pick.text_source == "list"  # not the normalised "，" -> ","
    assert (pick.lang, pick.lang_source) == ("zh", "list")
    assert pick.why == "ideal" and pick.clips == 5 and pick.seconds == pytest.approx(6.5)


def test_without_a_list_the_normalised_text_and_a_language_from_its_script(tmp_path):
    clips = make_training(tmp_path, "paimon", [Clip(5.0, "こんにちは、旅人さん。", "JA")], list_name=None)
    pick = T.scan_training(tmp_path, ["paimon"]).pick
    assert pick.path == clips[0] and pick.text_source == "name2text"
    assert pick.text == "こんにちは、旅人さん." and (pick.lang, pick.lang_source) == ("ja", "text")


def test_the_list_is_matched_by_file_name_whatever_its_path(tmp_path):
    make_training(tmp_path, "hutao", [Clip(5.0, "Hello there, traveler.", "EN")], list_prefix="output/slicer_opt/")
    pick = T.scan_training(tmp_path, ["hutao"]).pick
    assert pick.text == "Hello there, traveler." and pick.lang == "en"


def test_the_first_experiment_name_with_outputs_is_used(tmp_path):
    make_training(tmp_path, "纳西妲_ZH", [Clip(5.0, "你好。")])
    assert T.experiment_names("SoVITS_weights_v2/纳西妲_ZH_e10_s400.pth", "GPT_weights_v2/纳西妲_ZH-e15.ckpt") == ["纳西妲_ZH"]
    scan = T.scan_training(tmp_path, ["纳西妲", "纳西妲_ZH"])
    assert scan.folder == tmp_path / "logs" / "纳西妲_ZH" and scan.pick is not None


@pytest.mark.parametrize(
    "build, reason",
    [
        (lambda root: None, "no_folder"),
        (lambda root: (root / "logs" / "纳西妲" / "5-wav32k").mkdir(parents=True), "no_clips"),
        (lambda root: make_training(root, "纳西妲", [Clip(5.0, "你好。")], list_name=None, name2text=False), "no_text"),
        (lambda root: make_training(root, "纳西妲", [Clip(2.0, "太短。"), Clip(10.5, "太长。")]), "none_in_range"),
    ],
    ids=["no-folder", "empty-clips-folder", "clips-without-text", "none-3-to-10-s"],
)
def test_training_folders_that_offer_nothing_say_why(tmp_path, build, reason):
    build(tmp_path)
    scan = T.scan_training(tmp_path, ["纳西妲"])
    assert scan.pick is None and scan.reason == reason


def test_a_half_deleted_training_folder_uses_what_is_left(tmp_path):
    clips = make_training(tmp_path, "纳西妲", [Clip(6.0, "最好的一句。"), Clip(5.0, "次好的一句。"), Clip(7.0, "第三句。")])
    clips[0].unlink()  # deleted: still named in the .list and 2-name2text.txt
    clips[1].write_bytes(b"RIFF")  # cut off: not a WAV any more
    pick = T.scan_training(tmp_path, ["纳西妲"]).pick
    assert pick.path == clips[2]


def test_thousands_of_clips_read_only_a_few_headers(tmp_path):
    clips = make_training(tmp_path, "纳西妲", many_clips(5000))
    started = time.perf_counter()
    scan = T.scan_training(tmp_path, ["纳西妲"])
    elapsed = time.perf_counter() - started
    assert scan.pick.path == clips[5000 - 7] and scan.pick.text == "这就是我要找的那一句。"
    assert scan.pick.clips == 5000 and scan.pick.measured == 1
    assert elapsed < 10  # a generous bound for a loaded machine; benchmarks/run.py measures it


def test_clips_not_written_by_upstream_are_measured_one_by_one(tmp_path):
    """At 16 kHz a clip's size says half its length: the first header disagrees, so every header is read."""
    clips = make_training(tmp_path, "纳西妲", [Clip(12.0, "估计是六秒。"), Clip(5.0, "真的五秒。")], rate=16000)
    pick = T.scan_training(tmp_path, ["纳西妲"]).pick
    assert pick.path == clips[1] and pick.seconds == pytest.approx(5.0) and pick.measured == 2


def test_an_unreadable_list_is_reported_and_the_normalised_text_used(tmp_path):
    make_training(tmp_path, "纳西妲", [Clip(5.0, "你好。")])
    (tmp_path / "output" / "asr_opt" / "slicer_opt.list").write_bytes(b"\xff\xfe\x00\xd8broken\x81")
    scan = T.scan_training(tmp_path, ["纳西妲"])
    assert scan.pick.text_source == "name2text" and scan.pick.text == "你好."
    assert [n.key for n in scan.notices] == ["ref.list_unreadable"]


# --- the file name as the transcript -------------------------------------------------------------


@pytest.mark.parametrize(
    "stem, text",
    [
        ("初次见面，我已经关注你很久了。", "初次见面，我已经关注你很久了。"),
        ("【开心】胡桃今天也要开开心心的哦", "胡桃今天也要开开心心的哦"),
        ("Nice to meet you, traveler.", "Nice to meet you, traveler."),
        ("こんにちは、旅人さん", "こんにちは、旅人さん"),
        ("vo_nahida_001", None),
        ("nahida.wav_0000152000_0000339200", None),
        ("初次见面", None),
        ("sample", None),
        ("001", None),
    ],
)
def test_a_file_name_reads_as_a_sentence_or_not(stem, text):
    assert R.sentence_from_name(stem) == text


# --- a WAV the user names ------------------------------------------------------------------------


def test_text_from_a_gbk_lab_beside_the_wav(tmp_path):
    wav = audio.write_wav(tmp_path / "vo_001.wav", 5.0)
    wav.with_suffix(".lab").write_bytes("我是一段记事本写的文本。\r\n".encode("gbk"))
    found = R.describe_wav(wav)
    assert (found.text, found.text_source, found.lang, found.lang_source) == ("我是一段记事本写的文本。", "lab", "zh", "text")


def test_text_from_a_txt_then_a_list_then_the_name(tmp_path):
    wav = audio.write_wav(tmp_path / "slicer_opt" / "a.wav_0_1.wav", 4.0)
    (tmp_path / "asr_opt").mkdir()
    (tmp_path / "asr_opt" / "slicer_opt.list").write_text(f"D:\\x\\slicer_opt\\{wav.name}|s|EN|Hi there.\n", encoding="utf-8")
    found = R.describe_wav(wav)
    assert (found.text, found.text_source, found.lang, found.lang_source) == ("Hi there.", "list", "en", "list")
    wav.with_suffix(".txt").write_text("换成这句。", encoding="utf-8")
    assert R.describe_wav(wav).text_source == "txt"
    named = audio.write_wav(tmp_path / "初次见面，我已经关注你很久了。.wav", 4.0)
    assert R.describe_wav(named).text_source == "filename"


def test_the_option_wins_and_sets_the_language(tmp_path):
    wav = audio.write_wav(tmp_path / "初次见面，我已经关注你很久了。.wav", 4.0)
    found = R.describe_wav(wav, text="  别的\n 话。 ", lang="日文")
    assert (found.text, found.text_source, found.lang, found.lang_source) == ("别的 话。", "option", "all_ja", "option")


def test_no_text_anywhere_is_refused(tmp_path):
    wav = audio.write_wav(tmp_path / "vo_001.wav", 5.0)
    with pytest.raises(BadInput) as exc:
        R.describe_wav(wav)
    assert exc.value.key == "ref.no_text"


def test_an_unreadable_list_beside_the_wav_is_named(tmp_path):
    wav = audio.write_wav(tmp_path / "vo_001.wav", 5.0)
    (tmp_path / "slicer.list").write_bytes(b"\x81\xff\xfe broken")
    with pytest.raises(BadInput) as exc:
        R.describe_wav(wav)
    assert exc.value.key == "ref.no_text_list_unreadable" and exc.value.params["list"].endswith("slicer.list")


@pytest.mark.parametrize("seconds", [2.0, 12.0])
def test_out_of_range_is_refused_for_api_v2_and_a_notice_for_api_py(tmp_path, seconds):
    wav = sparse_wav(tmp_path / "你好，这是一句话。.wav", seconds)
    with pytest.raises(BadInput) as exc:
        R.describe_wav(wav, api="v2")
    assert exc.value.key == "ref.out_of_range"
    found = R.describe_wav(wav, api="v1")
    assert [n.key for n in found.notices] == ["ref.out_of_range_v1"]


def test_a_missing_file_and_a_non_wav(tmp_path):
    with pytest.raises(MissingFile) as exc:
        R.describe_wav(tmp_path / "没有.wav")
    assert exc.value.key == "ref.wav_missing"
    fake = tmp_path / "你好，这是一句话。.wav"
    fake.write_bytes(b"ID3\x03\x00" + bytes(200))  # an MP3 renamed
    with pytest.raises(BadInput) as exc:
        R.describe_wav(fake)
    assert exc.value.key == "audio.not_wav"


def test_stored_path_is_relative_inside_the_root(tmp_path):
    assert R.stored_path(tmp_path / "logs" / "a.wav", tmp_path) == "logs/a.wav"
    other = tmp_path.parent / "elsewhere.wav"
    assert R.stored_path(other, tmp_path) == str(other.resolve())
