"""`doctor --fix`: what the launcher can fix itself is shown, then written; the rest is left for the user."""

from __future__ import annotations

import errno
import json
import shutil
import tempfile

import pytest
import yaml

from helpers import nahida_yaml, run_cli, snapshot, write_profile
from helpers.doctor_fixtures import (  # noqa: F401  (plenty_of_disk is a fixture)
    CPU_ANSWER,
    gpu_answer,
    make_package,
    plenty_of_disk,
    posix_only,
    remember,
)
from helpers.training_tree import Clip, make_training
from launcher.demo.fake_package import free_port

pytestmark = posix_only
COMMENT = "# 我的注释：别删\n"


@pytest.fixture
def trained(tmp_path, isolated_home):
    """A package whose 纳西妲 has training outputs but no reference folder; a CPU-only torch; no ffmpeg."""
    pkg = make_package(tmp_path / "整合包", python=CPU_ANSWER, ffmpeg=False)
    shutil.rmtree(pkg.root / "参考音频")
    clips = make_training(pkg.root, "纳西妲", [Clip(2.0, "嗯。"), Clip(6.0, "初次见面，我已经关注你很久了。")])
    remember(isolated_home, pkg.root)
    text = COMMENT + nahida_yaml(None, ref_audio=None, prompt_text=None, port=free_port()) + "device: cuda   # 显卡\n"
    path = write_profile(isolated_home, "nahida", text)
    return pkg, path, clips


def _data(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_fix_shows_then_writes_and_says_what_is_left(trained, capsys):
    pkg, path, clips = trained
    code, out, err = run_cli(capsys, "doctor", "--fix")
    assert code == 0, out + err
    plan = out.split("✓ 已修改", 1)[0]
    assert "可以自动修复 2 项" in plan and "从训练素材（2 段）里选一段" in plan
    assert "ref_audio: （未设置） → logs/纳西妲/5-wav32k/" + clips[1].name in plan
    assert "device: cuda → cpu" in plan and "half: （未设置） → false" in plan
    data = _data(path)
    assert data["ref_audio"] == "logs/纳西妲/5-wav32k/" + clips[1].name
    assert (data["prompt_text"], data["device"], data["half"]) == ("初次见面，我已经关注你很久了。", "cpu", False)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(COMMENT) and "device: cpu   # 显卡\n" in text
    # The report after the fixes: the reference and device checks pass now; ffmpeg is the user's to fix.
    report = out.split("✓ 已修改", 1)[1]
    assert "参考音频 6.00 秒" in report and "设备 CPU" in report
    assert "⚠" in report and "ffmpeg" in report
    assert "已自动修复 1 个角色配置" in out and "要你自己处理" in out


def test_dry_run_only_shows(trained, capsys):
    _, path, _ = trained
    before = snapshot(path.parent)
    code, out, _ = run_cli(capsys, "doctor", "--fix", "--dry-run")
    assert code == 0 and "可以自动修复 2 项" in out and "演练：以上修改没有写入" in out
    assert "整合包完整" not in out  # only the plan
    assert snapshot(path.parent) == before


def test_json(trained, capsys):
    _, path, _ = trained
    code, out, _ = run_cli(capsys, "doctor", "--fix", "--json")
    data = json.loads(out)["data"]
    assert code == 0 and [f["kind"] for f in data["fixes"]["planned"]] == ["reference", "device"]
    assert data["fixes"]["written"][0]["path"] == str(path) and data["fixes"]["failed"] == []
    assert data["counts"]["fail"] == 0


@pytest.mark.parametrize(
    "answer, fields, changes",
    [
        (gpu_answer("NVIDIA GeForce GTX 1660 SUPER", (7, 5), 6), {}, {"half": False}),
        (gpu_answer("NVIDIA GeForce GTX 1080 Ti", (6, 1), 11), {"half": True}, {"half": False}),
        (CPU_ANSWER, {"api": "v1", "device": "cpu", "half": True}, {"half": False}),
        (gpu_answer("NVIDIA GeForce GT 730", (3, 5), 2), {"half": False}, {"device": "cpu"}),
        (gpu_answer(), {}, {}),
        (gpu_answer(), {"device": "cuda:1"}, {}),  # which GPU the user meant is theirs to say
    ],
    ids=["gtx1660", "gtx1080-half", "half-on-cpu", "weak-gpu", "rtx3060-nothing", "missing-gpu-left"],
)
def test_device_fixes_follow_the_doctors_device_check(tmp_path, isolated_home, capsys, answer, fields, changes):
    pkg = make_package(tmp_path / "整合包", python=answer)
    remember(isolated_home, pkg.root)
    path = write_profile(isolated_home, "nahida", nahida_yaml(None, port=free_port(), **fields))
    before = _data(path)
    run_cli(capsys, "doctor", "--fix")
    after = _data(path)
    assert {k: v for k, v in after.items() if before.get(k) != v} == changes


def test_nothing_to_fix(tmp_path, isolated_home, capsys):
    pkg = make_package(tmp_path / "整合包", python=gpu_answer())
    remember(isolated_home, pkg.root)
    path = write_profile(isolated_home, "nahida", nahida_yaml(None, port=free_port()))
    before = snapshot(path.parent)
    code, out, _ = run_cli(capsys, "doctor", "--fix")
    assert code == 0 and "没有需要自动修复的问题" in out and snapshot(path.parent) == before


def test_a_reference_nobody_can_find_is_left_for_the_user(tmp_path, isolated_home, capsys):
    pkg = make_package(tmp_path / "整合包", python=CPU_ANSWER)
    remember(isolated_home, pkg.root)
    path = write_profile(isolated_home, "nahida", nahida_yaml(None, ref_audio="参考音频/纳西妲/被删了.wav", device="cpu", port=free_port()))
    shutil.rmtree(pkg.root / "参考音频")
    code, out, _ = run_cli(capsys, "doctor", "--fix")
    assert code != 0 and "没有需要自动修复的问题" in out  # the missing file stays a failure, with its fix
    assert _data(path)["ref_audio"] == "参考音频/纳西妲/被删了.wav"


def test_a_read_only_profile_folder_loses_nothing(trained, capsys, monkeypatch):
    _, path, _ = trained
    before = snapshot(path.parent)
    real = tempfile.mkstemp

    def mkstemp(suffix=None, prefix=None, dir=None, text=False):
        if str(dir) == str(path.parent):  # running as root, permission bits would not stop us
            raise PermissionError(errno.EROFS, "Read-only file system", str(dir))
        return real(suffix=suffix, prefix=prefix, dir=dir, text=text)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    code, out, err = run_cli(capsys, "doctor", "--fix")
    assert code == 2
    assert "无法修改角色配置" in err and "Read-only file system" in err and "文件没有改动" in err
    assert str(path.parent) in err  # names the folder to make writable
    assert "device: cuda → cpu" in out  # what would have been written, to do by hand
    assert snapshot(path.parent) == before
