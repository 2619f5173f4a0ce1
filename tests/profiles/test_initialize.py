"""`init`: a reference for each new profile (from the usual folders, else from the character's
training outputs) and device/half from what the package's runtime can do."""

from __future__ import annotations

import json
import shutil

import pytest

from launcher.audio import write_wav
from launcher.profiles.initialize import find_reference

from helpers import run_cli
from helpers.doctor_fixtures import CPU_ANSWER, gpu_answer, make_package
from helpers.training_tree import Clip, make_training, many_clips


def test_transcript_from_a_lab_in_utf8_or_notepads_gbk(tmp_path):
    wav = write_wav(tmp_path / "参考音频" / "纳西妲" / "初次见面.wav", 5.0)
    lab = wav.with_suffix(".lab")
    lab.write_bytes("初次见面，我已经关注你很久了。\r\n".encode("gbk"))  # Notepad's “ANSI” on Chinese Windows
    assert find_reference(tmp_path, "纳西妲") == (wav, "初次见面，我已经关注你很久了。")
    lab.write_bytes("\ufeff我叫纳西妲。".encode("utf-8"))
    assert find_reference(tmp_path, "纳西妲") == (wav, "我叫纳西妲。")


def test_transcript_from_the_file_name_without_a_lab(tmp_path):
    wav = write_wav(tmp_path / "参考音频" / "胡桃" / "【开心】胡桃今天也要开开心心的哦.wav", 4.0)
    write_wav(tmp_path / "参考音频" / "胡桃" / "a-too-long.wav", 12.0)
    assert find_reference(tmp_path, "hutao", "胡桃") == (wav, "胡桃今天也要开开心心的哦")
    assert find_reference(tmp_path, "nobody") == (None, None)


# --- init: references from the training outputs, device/half from the hardware ----------------------


def _package(tmp_path, answer=CPU_ANSWER, **kw):
    pkg = make_package(tmp_path / "整合包", python=answer, **kw)
    shutil.rmtree(pkg.root / "参考音频")  # a freshly trained character: only its training outputs
    return pkg


def _profile(home, name="纳西妲") -> dict:
    import yaml

    return yaml.safe_load((home / "profiles" / f"{name}.yaml").read_text(encoding="utf-8"))


def _probe_runs(pkg) -> int:
    calls = pkg.root / "runtime" / "calls.txt"
    return len(calls.read_text().splitlines()) if calls.exists() else 0


def test_init_picks_a_reference_from_the_training_outputs_and_says_why(tmp_path, isolated_home, capsys):
    pkg = _package(tmp_path)
    clips = make_training(pkg.root, "纳西妲", [Clip(2.0, "嗯。"), Clip(6.0, "初次见面，我已经关注你很久了。"), Clip(5.0, "我叫纳西妲")])
    code, out, err = run_cli(capsys, "init", str(pkg.root))
    assert code == 0, err
    data = _profile(isolated_home)
    assert data["ref_audio"] == "logs/纳西妲/5-wav32k/" + clips[1].name
    assert (data["prompt_text"], data["prompt_lang"]) == ("初次见面，我已经关注你很久了。", "zh")
    assert "从训练素材（3 段）里选了" in out and "6.0 秒，4~8 秒，句子完整" in out and "识别结果 .list" in out
    assert "还缺参考音频" not in err
    text = (isolated_home / "profiles" / "纳西妲.yaml").read_text(encoding="utf-8")  # the file says so too
    assert "# ref_audio 由 init 从训练素材（3 段）中选出：6.0 秒，4~8 秒、句子完整" in text
    assert "sovits-launch ref 纳西妲 <wav>" in text
    assert "# device/half 由 init 按这台电脑写入：整合包的 PyTorch 用不了显卡" in text


def test_a_reference_folder_wins_over_the_training_outputs(tmp_path, isolated_home, capsys):
    pkg = make_package(tmp_path / "整合包", python=CPU_ANSWER)
    make_training(pkg.root, "纳西妲", [Clip(6.0, "训练里的一句。")])
    assert run_cli(capsys, "init", str(pkg.root))[0] == 0
    assert _profile(isolated_home)["ref_audio"] == "参考音频/纳西妲/初次见面.wav"


def test_an_english_character_without_a_suffix_speaks_english(tmp_path, isolated_home, capsys):
    pkg = _package(tmp_path, character="paimon")
    make_training(pkg.root, "paimon", [Clip(5.0, "Hey, traveler! Over here.", "EN")])
    run_cli(capsys, "init", str(pkg.root))
    data = _profile(isolated_home, "paimon")
    assert (data["display_name"], data["prompt_lang"], data["text_lang"]) == ("paimon", "en", "en")


@pytest.mark.parametrize(
    "build, said",
    [
        (lambda root: (root / "logs" / "纳西妲" / "5-wav32k").mkdir(parents=True), "没有切好的音频"),
        (lambda root: make_training(root, "纳西妲", [Clip(5.0, "你好。")], list_name=None, name2text=False), "找不到它们的文本"),
        (lambda root: make_training(root, "纳西妲", [Clip(1.5, "短。")] * 3), "没有一段在 3~10 秒之间"),
    ],
    ids=["empty", "no-texts", "none-in-range"],
)
def test_training_folders_that_offer_nothing(tmp_path, isolated_home, capsys, build, said):
    pkg = _package(tmp_path)
    build(pkg.root)
    code, out, err = run_cli(capsys, "init", str(pkg.root))
    assert code == 0, err  # the profile is still written; the reference is left for `ref`
    assert said in err and "sovits-launch ref 纳西妲" in err
    assert "ref_audio" not in _profile(isolated_home)


def test_a_half_deleted_training_folder(tmp_path, isolated_home, capsys):
    pkg = _package(tmp_path)
    clips = make_training(pkg.root, "纳西妲", [Clip(6.0, "被删掉的一句。"), Clip(5.0, "还在的一句。")])
    clips[0].unlink()
    (pkg.root / "logs" / "纳西妲" / "2-name2text.txt").unlink()
    (pkg.root / "output" / "asr_opt" / "slicer_opt.list").write_bytes(b"\x81\xff broken \xfe")
    code, out, err = run_cli(capsys, "init", str(pkg.root))
    assert code == 0 and "读不了识别结果" in err and "找不到它们的文本" in err
    assert "ref_audio" not in _profile(isolated_home)


def test_thousands_of_clips(tmp_path, isolated_home, capsys):
    pkg = _package(tmp_path)
    clips = make_training(pkg.root, "纳西妲", many_clips(3000))
    code, out, _ = run_cli(capsys, "init", str(pkg.root), "--json")
    reference = json.loads(out)["data"]["profiles"][0]["reference"]
    assert code == 0 and reference["clips"] == 3000 and reference["headers_read"] == 1
    assert _profile(isolated_home)["ref_audio"].endswith(clips[3000 - 7].name)


@pytest.mark.parametrize(
    "answer, device, half, said",
    [
        (CPU_ANSWER, "cpu", False, "新配置写入 device: cpu、half: false"),
        (gpu_answer("NVIDIA GeForce GTX 1660 SUPER", (7, 5), 6), None, False, "不适合半精度"),
        (gpu_answer("NVIDIA GeForce GTX 1080", (6, 1), 8), None, False, "不适合半精度"),
        (gpu_answer("NVIDIA GeForce GT 1030", (6, 1), 2), "cpu", False, "显存不足 4 GB"),
        (gpu_answer("NVIDIA GeForce RTX 3060", (8, 6), 12), None, None, "支持半精度"),
        ({**CPU_ANSWER, "torch": None, "error": "ModuleNotFoundError: No module named 'torch'"}, None, None, "没有可用的 PyTorch"),
    ],
    ids=["cpu-only", "gtx1660", "gtx1080", "2gb", "rtx3060", "no-torch"],
)
def test_device_and_half_follow_the_hardware(tmp_path, isolated_home, capsys, answer, device, half, said):
    pkg = _package(tmp_path, answer=answer)
    code, out, err = run_cli(capsys, "init", str(pkg.root))
    assert code == 0 and said in out + err
    data = _profile(isolated_home)
    assert (data.get("device"), data.get("half")) == (device, half)


def test_the_probe_is_cached_and_asked_again_when_the_runtime_changes(tmp_path, isolated_home, capsys):
    pkg = _package(tmp_path)
    site = pkg.root / "runtime" / "lib" / "python3.9" / "site-packages"
    site.mkdir(parents=True)
    run_cli(capsys, "init", str(pkg.root))
    run_cli(capsys, "init", str(pkg.root), "--force")
    assert _probe_runs(pkg) == 1
    code, out, _ = run_cli(capsys, "doctor", "--json")
    assert _probe_runs(pkg) == 1  # doctor answers from the same cache
    (site / "torch").mkdir()  # a torch installed into the runtime
    run_cli(capsys, "init", str(pkg.root), "--force")
    assert _probe_runs(pkg) == 2


def test_no_probe_and_kept_profiles_do_not_ask(tmp_path, isolated_home, capsys):
    pkg = _package(tmp_path)
    run_cli(capsys, "init", str(pkg.root), "--no-probe")
    assert _probe_runs(pkg) == 0 and "device" not in _profile(isolated_home)
    code, out, _ = run_cli(capsys, "init", str(pkg.root))  # every profile kept: nothing to decide
    assert code == 0 and _probe_runs(pkg) == 0
