"""doctor: every check on fake packages, the pinned --json shape, exit codes, and the
pre-start checks it shares with `plan_start`."""

from __future__ import annotations

import ast
import json
import os
import string
import sys
from pathlib import Path

import pytest

from helpers.doctor_fixtures import (
    CPU_ANSWER,
    JAPANESE_OLD,
    PROCESS_CKPT_2024_08,
    ForeignListener,
    fake_python,
    gpu_answer,
    make_package,
    nahida,
    remember,
    write_gpt,
    write_profile,
    write_sovits,
)
from launcher import messages
from launcher.doctor import report as doctor
from launcher.audio import write_wav
from launcher.cli import run
from launcher.demo.fake_package import free_port
from launcher.doctor.report import Options, run_doctor
from launcher.errors import BadInput, MissingFile
from launcher.paths import layout, load_settings

posix_only = pytest.mark.skipif(os.name == "nt", reason="fake interpreters are shell scripts")
NO_PROBE = Options(probe=False, windows=False)


@pytest.fixture(autouse=True)
def plenty_of_disk(monkeypatch):
    monkeypatch.setattr(doctor, "free_bytes", lambda path: 50 * 1024**3)


@pytest.fixture
def pkg(tmp_path, isolated_home):
    p = make_package(tmp_path / "GPT-SoVITS-v2pro-20250604")
    remember(isolated_home, p.root)
    return p


def checks(report, kind=None, subject=None) -> dict[str, tuple[str, str]]:
    out = {}
    for s in report.sections:
        if (kind is None or s.kind == kind) and (subject is None or s.subject == subject):
            for c in s.checks:
                out[c.id] = (c.status, c.key)
    return out


def check(report, id_, subject=None):
    for s in report.sections:
        if subject is None or s.subject == subject:
            for c in s.checks:
                if c.id == id_:
                    return c
    raise AssertionError(f"no check {id_}")


def doctor_now(options=NO_PROBE, profile=None):
    return run_doctor(layout(), load_settings(), profile=profile, options=options)


# --- a healthy package -----------------------------------------------------------------


def test_healthy_package_and_profile_all_ok(pkg, isolated_home):
    nahida(isolated_home, pkg)
    report = doctor_now()
    assert report.status == "ok", report.to_dict()
    assert list(checks(report, "profile")) == [
        "profile.file",
        "profile.api",
        "profile.gpt",
        "profile.sovits",
        "profile.pair",
        "profile.reference",
        "profile.languages",
        "profile.port",
    ]
    assert check(report, "profile.sovits").params["version"] == "v2"
    assert check(report, "profile.reference").params["seconds"] == "5.00"


def test_no_root_known(isolated_home):
    report = doctor_now()
    assert checks(report) == {"package.root": ("fail", "doctor.no_root")}


def test_paths_with_chinese_and_spaces_are_fine(tmp_path, isolated_home):
    p = make_package(tmp_path / "我的 模型" / "GPT-SoVITS 整合包")
    remember(isolated_home, p.root)
    nahida(isolated_home, p)
    assert doctor_now().status == "ok"


def test_missing_file_names_the_path_and_the_profile_file(pkg, isolated_home):
    profile_file = nahida(isolated_home, pkg, gpt="GPT_weights_v2/不存在 的.ckpt")
    c = check(doctor_now(), "profile.gpt")
    assert (c.status, c.key, c.fix_key) == ("fail", "profile.path_missing", "profile.path_missing.hint")
    assert c.params["path"] == str(pkg.root / "GPT_weights_v2" / "不存在 的.ckpt")
    assert c.params["profile"] == str(profile_file)
    assert c.params["field"] == "gpt"
    assert str(profile_file) in messages.t(c.fix_key, **c.params)


def test_broken_profile_is_reported_and_the_others_still_checked(pkg, isolated_home):
    nahida(isolated_home, pkg)
    (isolated_home / "profiles" / "broken.yaml").write_text("name: [oops\n", encoding="utf-8")
    report = doctor_now()
    assert checks(report, "profile", "broken") == {"profile.file": ("fail", "profile.yaml_error")}
    assert checks(report, "profile", "nahida")["profile.reference"] == ("ok", "doctor.ref_ok")


# --- the reference: upstream's inclusive 3-10 s rule -----------------------------------


@pytest.mark.parametrize(
    "seconds,api,status,key",
    [
        (2.9, "v2", "fail", "audio.out_of_range"),
        (3.0, "v2", "ok", "doctor.ref_ok"),
        (10.0, "v2", "ok", "doctor.ref_ok"),
        (10.1, "v2", "fail", "audio.out_of_range"),
        (2.9, "v1", "warn", "audio.out_of_range_v1"),
        (10.1, "v1", "warn", "audio.out_of_range_v1"),
        (10.0, "v1", "ok", "doctor.ref_ok"),
    ],
)
def test_reference_length(pkg, isolated_home, seconds, api, status, key):
    write_wav(pkg.ref, seconds)
    nahida(isolated_home, pkg, api=api)
    c = check(doctor_now(), "profile.reference")
    assert (c.status, c.key) == (status, key)
    if status != "ok":
        assert c.params["seconds"] == f"{seconds:.2f}"
        assert c.params["path"] == str(pkg.ref)


def test_start_refuses_the_same_reference_as_doctor(pkg, isolated_home):
    from launcher.profiles.schema import find_profile
    from launcher.server.lifecycle import plan_start

    write_wav(pkg.ref, 10.1)
    nahida(isolated_home, pkg)
    profile = find_profile("nahida", layout().profiles)
    with pytest.raises(BadInput) as e:
        plan_start(profile, layout=layout(), settings=load_settings())
    assert e.value.key == "audio.out_of_range"
    plan = plan_start(profile, layout=layout(), settings=load_settings(), api="v1")
    assert [n.key for n in plan.notices] == ["audio.out_of_range_v1"]
    assert plan.sovits_version == "v2"


def test_no_reference_is_a_warning(pkg, isolated_home):
    nahida(isolated_home, pkg, ref_audio=None)
    c = check(doctor_now(), "profile.reference")
    assert (c.status, c.key) == ("warn", "start.no_reference")


def test_non_wav_reference_without_ffprobe_is_refused_with_a_hint(pkg, isolated_home):
    mp3 = pkg.root / "参考音频" / "纳西妲" / "初次见面.mp3"
    mp3.write_bytes(b"ID3\x03\x00\x00\x00" + b"\x00" * 200)
    nahida(isolated_home, pkg, ref_audio="参考音频/纳西妲/初次见面.mp3")
    c = check(doctor_now(), "profile.reference")
    assert (c.status, c.key) == ("fail", "audio.need_ffprobe")
    assert "ffprobe" in messages.t(c.fix_key, **c.params)


@posix_only
@pytest.mark.parametrize("answer,status", [("5.5", "ok"), ("12.25", "fail")])
def test_non_wav_reference_measured_by_the_packages_ffprobe(pkg, isolated_home, answer, status):
    ffprobe = pkg.root / "runtime" / "ffprobe"
    ffprobe.write_text(f"#!/bin/sh\necho {answer}\n", encoding="utf-8")
    ffprobe.chmod(0o755)
    mp3 = pkg.root / "参考音频" / "纳西妲" / "初次见面.mp3"
    mp3.write_bytes(b"ID3" + b"\x00" * 200)
    nahida(isolated_home, pkg, ref_audio="参考音频/纳西妲/初次见面.mp3")
    assert check(doctor_now(), "profile.reference").status == status


def test_emotion_references_follow_the_same_rule(pkg, isolated_home):
    sad = write_wav(pkg.root / "参考音频" / "纳西妲" / "难过.wav", 11.0)
    nahida(isolated_home, pkg, emotions={"开心": {"ref_audio": str(pkg.ref)}, "难过": {"ref_audio": str(sad)}})
    c = check(doctor_now(), "profile.emotions")
    assert (c.status, c.key, c.params["emotion"]) == ("fail", "audio.out_of_range", "难过")
    write_wav(sad, 4.0)
    c = check(doctor_now(), "profile.emotions")
    assert (c.status, c.key, c.params["count"]) == ("ok", "doctor.emotions_ok", 2)


# --- weights -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "head,label",
    [(b"00", "v1"), (b"01", "v2"), (b"02", "v3"), (b"05", "v2Pro"), (b"06", "v2ProPlus"), (b"PK", "v1")],
)
def test_sovits_version_from_the_header(pkg, isolated_home, head, label):
    # A plain torch zip ("PK") is sized like upstream does: a small file is v1.
    rows = 322 if head in (b"00", b"PK") else (None if head == b"02" else 732)
    write_sovits(pkg.sovits, head, rows=rows)
    for rel in ("models--nvidia--bigvgan_v2_24khz_100band_256x", "sv/pretrained_eres2netv2w24s4ep4.ckpt"):
        target = pkg.root / "GPT_SoVITS" / "pretrained_models" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.mkdir() if "." not in target.name else target.write_bytes(b"x")
    if rows == 322:
        write_gpt(pkg.gpt, vocab=512)
    nahida(isolated_home, pkg, api="v1")
    c = check(doctor_now(), "profile.sovits")
    assert (c.status, c.params.get("version")) == ("ok", label)


@pytest.mark.parametrize("head,version", [(b"03", "v3"), (b"04", "v4")])
def test_lora_needs_its_base_and_shows_its_rank(pkg, isolated_home, head, version):
    write_sovits(pkg.sovits, head, rows=None, lora_rank=32)
    nahida(isolated_home, pkg)
    c = check(doctor_now(), "profile.sovits")
    assert (c.status, c.key, c.params["version"]) == ("fail", "weights.lora_base_missing", version)
    from launcher.gsv import package
    from launcher.server import preflight

    base = package.lora_base_path(pkg.root, version)
    base.parent.mkdir(parents=True, exist_ok=True)
    base.write_bytes(b"PK\x03\x04")
    c = check(doctor_now(), "profile.sovits")
    assert (c.status, c.key) == ("fail", "weights.asset_missing")  # the vocoder of that version
    asset = pkg.root / preflight.VERSION_ASSETS[version][0]
    asset.parent.mkdir(parents=True, exist_ok=True)
    asset.mkdir() if version == "v3" else asset.write_bytes(b"x")
    c = check(doctor_now(), "profile.sovits")
    assert (c.status, c.params["version"]) == ("ok", f"{version} LoRA rank 32")


def test_lora_rank_from_the_file_name_when_the_pickle_has_none(tmp_path):
    from launcher.server import preflight

    p = write_sovits(tmp_path / "x_e8_s96_l16.pth", b"03", rows=None)
    assert preflight.lora_rank(p, preflight.sovits_meta(p)) == 16


def test_version_the_package_is_too_old_for(tmp_path, isolated_home):
    p = make_package(tmp_path / "GPT-SoVITS-20240821", head=b"05", process_ckpt=PROCESS_CKPT_2024_08)
    remember(isolated_home, p.root)
    nahida(isolated_home, p)
    c = check(doctor_now(), "profile.sovits")
    assert (c.status, c.key) == ("fail", "weights.unsupported_by_package")
    assert c.params["supported"] == "v1, v2"


def test_unknown_sovits_header(pkg, isolated_home):
    pkg.sovits.write_bytes(b"\x07\x07garbage" * 10)
    nahida(isolated_home, pkg)
    assert checks(doctor_now())["profile.sovits"] == ("fail", "weights.unknown_format")


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"this is not a checkpoint", "no zip header"),
        (b"PK\x03\x04" + b"\x00" * 100, "not a complete zip"),
    ],
)
def test_gpt_checkpoint_unreadable(pkg, isolated_home, content, reason):
    pkg.gpt.write_bytes(content)
    nahida(isolated_home, pkg)
    c = check(doctor_now(), "profile.gpt")
    assert (c.status, c.key) == ("fail", "weights.gpt_unreadable")
    assert reason in c.params["reason"]


def test_truncated_gpt_download(pkg, isolated_home):
    data = pkg.gpt.read_bytes()
    pkg.gpt.write_bytes(data[: len(data) // 2])
    nahida(isolated_home, pkg)
    assert checks(doctor_now())["profile.gpt"] == ("fail", "weights.gpt_unreadable")


def test_gpt_and_sovits_from_different_versions(pkg, isolated_home):
    write_gpt(pkg.gpt, vocab=512)  # a v1 GPT with a v2 SoVITS
    nahida(isolated_home, pkg)
    c = check(doctor_now(), "profile.pair")
    assert (c.status, c.key) == ("fail", "weights.mismatch")
    assert (c.params["gpt_family"], c.params["sovits_family"]) == ("v1", "v2")


def test_gpt_and_sovits_of_different_characters(pkg, isolated_home):
    other = write_gpt(pkg.root / "GPT_weights_v2" / "刻晴-e15.ckpt")
    nahida(isolated_home, pkg, gpt=str(other))
    c = check(doctor_now(), "profile.pair")
    assert (c.status, c.key, c.params) == ("warn", "weights.name_mismatch", {"gpt": "刻晴", "sovits": "纳西妲"})


def test_plan_start_refuses_a_mismatched_pair(pkg, isolated_home):
    from launcher.profiles.schema import find_profile
    from launcher.server.lifecycle import plan_start

    write_gpt(pkg.gpt, vocab=512)
    nahida(isolated_home, pkg)
    with pytest.raises(BadInput) as e:
        plan_start(find_profile("nahida", layout().profiles), layout=layout(), settings=load_settings())
    assert e.value.key == "weights.mismatch"


def test_plan_start_lora_base_missing(pkg, isolated_home):
    from launcher.profiles.schema import find_profile
    from launcher.server.lifecycle import plan_start

    write_sovits(pkg.sovits, b"04", rows=None, lora_rank=32)
    nahida(isolated_home, pkg)
    with pytest.raises(MissingFile) as e:
        plan_start(find_profile("nahida", layout().profiles), layout=layout(), settings=load_settings())
    assert e.value.key == "weights.lora_base_missing"


def test_languages_the_model_cannot_speak(pkg, isolated_home):
    write_sovits(pkg.sovits, b"00", rows=322)
    write_gpt(pkg.gpt, vocab=512)
    nahida(isolated_home, pkg, text_lang="粤语")
    assert checks(doctor_now())["profile.languages"] == ("fail", "lang.unsupported_by_api")


# --- the package --------------------------------------------------------------------------


def test_package_pieces_missing(tmp_path, isolated_home):
    p = make_package(tmp_path / "pkg", pretrained=False, ffmpeg=False)
    (p.root / "api_v2.py").unlink()
    remember(isolated_home, p.root)
    nahida(isolated_home, p)
    got = checks(doctor_now())
    assert got["package.pretrained"] == ("fail", "doctor.pretrained_missing")
    assert got["package.ffmpeg"] == ("warn", "doctor.ffmpeg_missing")
    assert got["package.api"] == ("warn", "doctor.api_one")
    assert got["profile.api"] == ("fail", "package.no_api_script")


def test_no_runtime_interpreter(tmp_path, isolated_home):
    p = make_package(tmp_path / "pkg", python=None)
    remember(isolated_home, p.root)
    nahida(isolated_home, p)
    got = checks(doctor_now(Options(probe=True, windows=False)))
    assert got["package.root"] == ("ok", "doctor.root_ok")
    assert got["package.python"] == ("fail", "package.no_runtime")
    assert "runtime.torch" not in got
    assert got["profile.reference"] == ("ok", "doctor.ref_ok")  # the rest is still checked


def test_root_that_is_not_a_package(tmp_path, isolated_home):
    (tmp_path / "empty").mkdir()
    remember(isolated_home, tmp_path / "empty")
    write_profile(isolated_home, "x", gpt="a.ckpt", sovits="b.pth")
    got = checks(doctor_now())
    assert got["package.root"] == ("fail", "package.not_gsv")
    assert got["profile.root"] == ("fail", "package.not_gsv")


def test_profile_with_its_own_root_gets_its_own_package_section(pkg, tmp_path, isolated_home):
    other = make_package(tmp_path / "second")
    nahida(isolated_home, other, root=str(other.root))
    report = doctor_now()
    assert [s.subject for s in report.sections if s.kind == "package"] == [str(pkg.root), str(other.root)]
    assert report.status == "ok"


@pytest.mark.parametrize(
    "folder,japanese,status,key",
    [
        ("GPT-SoVITS-v2pro-20250604", None, "ok", "doctor.path_ascii"),
        ("整合包-20240821", JAPANESE_OLD, "fail", "doctor.path_non_ascii_old"),
        ("整合包", None, "ok", "doctor.path_non_ascii_fixed"),
        ("整合包-20250604", "missing", "ok", "doctor.path_non_ascii_fixed"),
        ("整合包-20250101", "missing", "fail", "doctor.path_non_ascii_old"),
        ("整合包", "missing", "warn", "doctor.path_non_ascii_unknown"),
    ],
)
def test_non_ascii_root_on_windows(tmp_path, isolated_home, folder, japanese, status, key):
    kwargs = {} if japanese in (None, "missing") else {"japanese": japanese}
    p = make_package(tmp_path / folder, **kwargs)
    if japanese == "missing":
        (p.root / "GPT_SoVITS" / "text" / "japanese.py").unlink()
    if folder.isascii():
        # tmp_path itself is ASCII here; the folder name decides
        assert str(p.root).isascii()
    remember(isolated_home, p.root)
    c = check(doctor_now(Options(probe=False, windows=True)), "package.path")
    assert (c.status, c.key) == (status, key)


def test_non_ascii_root_is_fine_off_windows(tmp_path, isolated_home):
    p = make_package(tmp_path / "整合包-20240821", japanese=JAPANESE_OLD)
    remember(isolated_home, p.root)
    assert check(doctor_now(), "package.path").key == "doctor.path_non_ascii_posix"


@pytest.mark.parametrize(
    "free,status,key",
    [(100 * 1024**2, "fail", "doctor.disk_very_low"), (1024**3, "warn", "doctor.disk_low"), (10 * 1024**3, "ok", "doctor.disk_ok")],
)
def test_disk_space(pkg, monkeypatch, free, status, key):
    monkeypatch.setattr(doctor, "free_bytes", lambda path: free)
    assert check(doctor_now(), "package.disk").key == key


def test_free_bytes_of_a_folder_not_yet_created(tmp_path):
    assert doctor.free_bytes(tmp_path / "not" / "yet") > 0


# --- xiaozhi ---------------------------------------------------------------------------------


def test_xiaozhi_folder(pkg, tmp_path, isolated_home):
    xz = tmp_path / "xiaozhi-server"
    remember(isolated_home, pkg.root, xiaozhi_dir=str(xz))
    assert checks(doctor_now())["xiaozhi.folder"] == ("fail", "doctor.xiaozhi_missing")
    xz.mkdir()
    assert checks(doctor_now())["xiaozhi.folder"] == ("fail", "doctor.xiaozhi_no_config")
    (xz / "config.yaml").write_text("TTS: {}\n", encoding="utf-8")
    assert checks(doctor_now())["xiaozhi.folder"] == ("ok", "doctor.xiaozhi_ok")


def test_no_xiaozhi_section_without_the_setting(pkg):
    assert not [s for s in doctor_now().sections if s.kind == "xiaozhi"]


# --- ports ------------------------------------------------------------------------------------


def test_port_held_by_a_foreign_process(pkg, isolated_home):
    with ForeignListener() as other:
        nahida(isolated_home, pkg, port=other.port)
        c = check(doctor_now(), "profile.port")
    assert (c.status, c.key) == ("fail", "port.busy")
    assert c.params["pid"] == other.proc.pid
    assert "python" in c.params["name"].lower()
    assert "socket" in c.params["cmdline"]


def test_port_held_by_a_gpt_sovits_we_did_not_start(pkg, tmp_path, isolated_home):
    with ForeignListener(script_name="api_v2.py", tmp=tmp_path) as other:
        nahida(isolated_home, pkg, port=other.port)
        c = check(doctor_now(), "profile.port")
    assert (c.status, c.key) == ("fail", "doctor.port_gsv_unmanaged")
    assert f"stop --port {other.port}" in messages.t(c.fix_key, **c.params)


def _register(home_layout, proc, port: int, profile: str) -> None:
    import psutil

    from launcher.server.registry import Registry, ServerRecord

    Registry(home_layout.registry_file).add(
        ServerRecord(
            profile=profile, api="v2", host="127.0.0.1", port=port, pid=proc.pid,
            create_time=psutil.Process(proc.pid).create_time(), log="", root="",
        )
    )


def test_port_held_by_our_own_server(pkg, isolated_home):
    with ForeignListener() as server:
        _register(layout(), server.proc, server.port, "keqing")
        nahida(isolated_home, pkg, port=server.port)
        c = check(doctor_now(), "profile.port")
        assert (c.status, c.key, c.params["profile"]) == ("warn", "port.ours", "keqing")
        assert "sovits-launch stop keqing" in messages.t(c.fix_key, **c.params)
        _register(layout(), server.proc, server.port, "nahida")
        c = check(doctor_now(), "profile.port")
        assert (c.status, c.key) == ("ok", "doctor.port_running")


def test_network_bind_warns(pkg, isolated_home):
    nahida(isolated_home, pkg, host="0.0.0.0")
    assert checks(doctor_now())["profile.host"] == ("warn", "start.network_bind")


# --- the runtime's torch (fake interpreters) -------------------------------------------------------


def _probe_pkg(tmp_path, isolated_home, answer, **profile):
    p = make_package(tmp_path / "pkg", python=None)
    fake_python(p.root, answer)
    remember(isolated_home, p.root)
    nahida(isolated_home, p, **profile)
    return p


PROBE = Options(probe=True, windows=False, probe_timeout=20)


@posix_only
@pytest.mark.parametrize(
    "answer,profile,status,key",
    [
        (gpu_answer(), {}, "ok", "doctor.device_ok"),
        (gpu_answer("NVIDIA GeForce GTX 1660 SUPER", (7, 5), 6), {}, "fail", "doctor.half_unsupported"),
        (gpu_answer("NVIDIA GeForce GTX 1660 SUPER", (7, 5), 6), {"half": False}, "ok", "doctor.device_ok"),
        (gpu_answer("NVIDIA GeForce GTX 1080 Ti", (6, 1), 11), {"half": True}, "fail", "doctor.half_unsupported"),
        (gpu_answer("NVIDIA GeForce GTX 1080 Ti", (6, 1), 11), {"api": "v1"}, "ok", "doctor.device_auto"),
        (gpu_answer("NVIDIA GeForce GT 730", (3, 5), 2), {"half": False}, "warn", "doctor.gpu_weak"),
        (gpu_answer(), {"device": "cuda:1"}, "fail", "doctor.device_missing"),
        (CPU_ANSWER, {}, "warn", "doctor.device_cpu_fallback"),
        (CPU_ANSWER, {"api": "v1", "device": "cuda"}, "fail", "doctor.device_no_cuda"),
        (CPU_ANSWER, {"device": "cpu"}, "ok", "doctor.device_cpu"),
        (CPU_ANSWER, {"api": "v1", "device": "cpu", "half": True}, "fail", "doctor.half_on_cpu"),
        (CPU_ANSWER, {"device": "cpu", "half": True}, "ok", "doctor.device_cpu"),  # TTS_Config turns it off
    ],
)
def test_device_and_half(tmp_path, isolated_home, answer, profile, status, key):
    _probe_pkg(tmp_path, isolated_home, answer, **profile)
    c = check(doctor_now(PROBE), "profile.device")
    assert (c.status, c.key) == (status, key)


@posix_only
def test_runtime_section_lists_the_gpus(tmp_path, isolated_home):
    _probe_pkg(tmp_path, isolated_home, gpu_answer())
    c = check(doctor_now(PROBE), "runtime.torch")
    assert (c.status, c.key) == ("ok", "doctor.torch_ok")
    assert c.params["gpus"] == "cuda:0 NVIDIA GeForce RTX 3060 12 GB sm8.6 fp16"


@posix_only
def test_probe_answer_is_cached_per_interpreter(tmp_path, isolated_home):
    p = _probe_pkg(tmp_path, isolated_home, gpu_answer())
    calls = p.root / "runtime" / "calls.txt"
    doctor_now(PROBE)
    doctor_now(PROBE)
    assert calls.read_text().count("run") == 1
    doctor_now(Options(probe=True, refresh=True, windows=False))
    assert calls.read_text().count("run") == 2
    # A different interpreter (new mtime/size) is asked again.
    fake_python(p.root, CPU_ANSWER)
    os.utime(p.root / "runtime" / "bin" / "python", ns=(1, 1))
    assert check(doctor_now(PROBE), "profile.device").key == "doctor.device_cpu_fallback"
    assert calls.read_text().count("run") == 3


@posix_only
def test_probe_timeout_is_a_warning_and_not_cached(tmp_path, isolated_home):
    p = make_package(tmp_path / "pkg", python=None)
    fake_python(p.root, gpu_answer(), sleep=5)
    remember(isolated_home, p.root)
    nahida(isolated_home, p)
    report = doctor_now(Options(probe=True, windows=False, probe_timeout=0.5))
    assert checks(report)["runtime.torch"] == ("warn", "doctor.probe_timeout")
    assert "profile.device" not in checks(report)
    assert not (layout().state / "runtime-probe.json").exists()


@posix_only
def test_probe_crash_is_a_warning(tmp_path, isolated_home):
    p = make_package(tmp_path / "pkg", python=None)
    fake_python(p.root, "echo 'Fatal Python error: init_fs_encoding' >&2; exit 1")
    remember(isolated_home, p.root)
    c = check(doctor_now(PROBE), "runtime.torch")
    assert (c.status, c.key) == ("warn", "doctor.probe_failed")
    assert "init_fs_encoding" in c.params["error"]


def test_runtime_without_torch(tmp_path, isolated_home):
    try:
        import torch  # noqa: F401

        pytest.skip("this Python has torch")
    except ImportError:
        pass
    p = make_package(tmp_path / "pkg")  # runtime python = this very interpreter
    if os.name == "nt":
        pytest.skip("runtime/bin/python symlink")
    remember(isolated_home, p.root)
    c = check(doctor_now(PROBE), "runtime.torch")
    assert (c.status, c.key) == ("fail", "doctor.torch_missing")
    assert "torch" in c.params["error"]


def test_probe_reads_a_real_answer_from_python():
    """The probe code itself runs on a plain Python (no torch) and is understood."""
    from launcher.gsv import probe

    result = probe.probe(Path(sys.executable), cache=None, timeout=60)
    assert result.ok and result.python == sys.version.split()[0]
    if result.torch is None:
        assert "torch" in (result.error or "")


# --- the CLI: output, --json pinned, exit codes ----------------------------------------------------


def test_cli_lines_with_marks_and_fixes(pkg, isolated_home, capsys):
    write_wav(pkg.ref, 2.9)
    nahida(isolated_home, pkg)
    code = run(["doctor", "--no-probe"])
    out = capsys.readouterr().out
    assert code == 2
    assert "✓ 整合包完整" in out
    assert "✗ 参考音频" in out and "2.90 秒" in out
    assert "→ 修复：在角色配置" in out
    assert "共 " in out and "1 项失败" in out


def test_cli_english(pkg, isolated_home, capsys):
    nahida(isolated_home, pkg, ref_audio=None)
    code = run(["--lang", "en", "doctor", "--no-probe"])
    out = capsys.readouterr().out
    messages.set_language(None)
    assert code == 0
    assert "⚠ Profile nahida has no reference audio" in out
    assert "→ Fix：" in out


def test_exit_codes(pkg, isolated_home, capsys):
    nahida(isolated_home, pkg)
    assert run(["doctor", "--no-probe"]) == 0
    nahida(isolated_home, pkg, ref_audio=None)  # a warning
    assert run(["doctor", "--no-probe"]) == 0
    assert run(["doctor", "--no-probe", "--strict"]) == 1
    write_wav(pkg.ref, 12)
    nahida(isolated_home, pkg)  # a failure
    assert run(["doctor", "--no-probe"]) == 2
    assert run(["doctor", "--no-probe", "--strict"]) == 2
    capsys.readouterr()


def test_one_profile_by_name_or_display_name(pkg, isolated_home, capsys):
    nahida(isolated_home, pkg)
    write_profile(isolated_home, "keqing", gpt="nope.ckpt", sovits="nope.pth")
    assert run(["doctor", "--no-probe"]) == 2
    assert run(["doctor", "--no-probe", "nahida"]) == 0
    assert run(["doctor", "--no-probe", "纳西妲"]) == 0
    assert run(["doctor", "--no-probe", "keqing"]) == 2
    assert run(["doctor", "--no-probe", "nobody"]) == 2  # profile.not_found (BadInput)
    assert "找不到角色配置" in capsys.readouterr().err


@posix_only
def test_doctor_json_is_pinned(pkg, tmp_path, isolated_home, capsys):
    """The --json shape scripts rely on: sections, ids, statuses, keys, fix keys."""
    fake_python(pkg.root, gpu_answer())
    nahida(isolated_home, pkg)
    write_wav(pkg.root / "参考音频" / "短.wav", 2.9)
    write_sovits(pkg.root / "SoVITS_weights_v3" / "胡桃_e8_s96_l32.pth", b"03", rows=None, lora_rank=32)
    write_gpt(pkg.root / "GPT_weights_v3" / "胡桃-e15.ckpt")
    (isolated_home / "profiles" / "broken.yaml").write_text("port: [\n", encoding="utf-8")
    remember(isolated_home, pkg.root, xiaozhi_dir=str(tmp_path / "xiaozhi-server"))
    with ForeignListener() as other:
        write_profile(
            isolated_home, "keqing", gpt="GPT_weights_v2/纳西妲-e10.ckpt", sovits="SoVITS_weights_v2/纳西妲_e10_s400.pth",
            ref_audio="参考音频/短.wav", port=other.port,
        )
        write_profile(
            isolated_home, "hutao", api="v1", gpt="GPT_weights_v3/胡桃-e15.ckpt",
            sovits="SoVITS_weights_v3/胡桃_e8_s96_l32.pth", port=free_port(),
        )
        code = run(["doctor", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 2
    assert (payload["schema"], payload["kind"]) == (1, "doctor")
    data = payload["data"]
    shape = [
        (s["kind"], s["subject"] if s["kind"] == "profile" else "", s["status"],
         [(c["id"], c["status"], c["key"], c["fix_key"]) for c in s["checks"]])
        for s in data["sections"]
    ]
    assert shape == [
        ("package", "", "ok", [
            ("package.root", "ok", "doctor.root_ok", None),
            ("package.python", "ok", "doctor.python_ok", None),
            ("package.api", "ok", "doctor.api_both", None),
            ("package.ffmpeg", "ok", "doctor.ffmpeg_ok", None),
            ("package.pretrained", "ok", "doctor.pretrained_ok", None),
            ("package.path", "ok", "doctor.path_ascii", None),
            ("package.disk", "ok", "doctor.disk_ok", None),
        ]),
        ("runtime", "", "ok", [("runtime.torch", "ok", "doctor.torch_ok", None)]),
        ("xiaozhi", "", "fail", [("xiaozhi.folder", "fail", "doctor.xiaozhi_missing", "doctor.xiaozhi_missing.hint")]),
        ("profile", "broken", "fail", [("profile.file", "fail", "profile.yaml_error", "profile.yaml_error.hint")]),
        ("profile", "hutao", "fail", [
            ("profile.file", "ok", "doctor.profile_ok", None),
            ("profile.api", "ok", "doctor.api_ok", None),
            ("profile.gpt", "ok", "doctor.gpt_ok", None),
            ("profile.sovits", "fail", "weights.lora_base_missing", "weights.lora_base_missing.hint"),
            ("profile.reference", "warn", "start.no_reference", "start.no_reference.hint"),
            ("profile.languages", "ok", "doctor.lang_ok", None),
            ("profile.device", "ok", "doctor.device_auto", None),
            ("profile.port", "ok", "doctor.port_free", None),
        ]),
        ("profile", "keqing", "fail", [
            ("profile.file", "ok", "doctor.profile_ok", None),
            ("profile.api", "ok", "doctor.api_ok", None),
            ("profile.gpt", "ok", "doctor.gpt_ok", None),
            ("profile.sovits", "ok", "doctor.sovits_ok", None),
            ("profile.pair", "ok", "doctor.pair_ok", None),
            ("profile.reference", "fail", "audio.out_of_range", "audio.out_of_range.hint"),
            ("profile.languages", "ok", "doctor.lang_ok", None),
            ("profile.device", "ok", "doctor.device_ok", None),
            ("profile.port", "fail", "port.busy", "port.busy.hint"),
        ]),
        ("profile", "nahida", "ok", [
            ("profile.file", "ok", "doctor.profile_ok", None),
            ("profile.api", "ok", "doctor.api_ok", None),
            ("profile.gpt", "ok", "doctor.gpt_ok", None),
            ("profile.sovits", "ok", "doctor.sovits_ok", None),
            ("profile.pair", "ok", "doctor.pair_ok", None),
            ("profile.reference", "ok", "doctor.ref_ok", None),
            ("profile.languages", "ok", "doctor.lang_ok", None),
            ("profile.device", "ok", "doctor.device_ok", None),
            ("profile.port", "ok", "doctor.port_free", None),
        ]),
    ]
    assert data["status"] == "fail"
    assert data["counts"] == {"ok": 30, "warn": 1, "fail": 5}
    first = data["sections"][0]["checks"][0]
    assert set(first) == {"id", "status", "key", "params", "fix_key", "message", "fix"}
    keqing = next(s for s in data["sections"] if s["subject"] == "keqing")
    ref = next(c for c in keqing["checks"] if c["id"] == "profile.reference")
    assert ref["params"]["seconds"] == "2.90"
    assert ref["message"].startswith("参考音频 ") and ref["fix"].startswith("在角色配置")
    for section in data["sections"]:
        for c in section["checks"]:
            assert "{" not in c["message"] and "{" not in (c["fix"] or ""), c
            assert (c["fix"] is None) == (c["status"] == "ok"), c
    nahida_device = data["sections"][-1]["checks"][7]
    assert nahida_device["params"] == {"device": "cuda", "gpu": "NVIDIA GeForce RTX 3060", "precision": "fp16"}


# --- every key a check can produce is in the catalog ------------------------------------------------

DOCTOR_MODULES = ["doctor/report.py", "doctor/profile_checks.py", "server/preflight.py", "doctor/checks.py", "gsv/failures.py"]


def _keys_in_doctor_modules() -> set[str]:
    import re

    key_re = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    keys = set()
    package_dir = Path(doctor.__file__).parents[1]
    for name in DOCTOR_MODULES:
        tree = ast.parse((package_dir / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                fname = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if fname in ("ok", "warn", "fail", "BadInput", "MissingFile", "Notice", "LauncherError"):
                    for arg in node.args[:2]:
                        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and key_re.match(arg.value):
                            if fname in ("ok", "warn", "fail") and arg is node.args[0]:
                                continue  # the check id
                            keys.add(arg.value)
    return keys


def test_every_doctor_key_and_hint_is_in_the_catalog():
    keys = _keys_in_doctor_modules()
    assert "doctor.half_unsupported" in keys and "weights.mismatch" in keys
    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}  # noqa: E731
    for key in sorted(keys):
        assert key in messages.CATALOG, key
        entry = messages.CATALOG[key]
        assert fields(entry["zh"]) == fields(entry["en"]), key
    failing = {k for k in keys if k not in _OK_KEYS}
    for key in sorted(failing):
        assert key + ".hint" in messages.CATALOG, key


_OK_KEYS = {
    "doctor.root_ok", "doctor.python_ok", "doctor.api_both", "doctor.ffmpeg_ok", "doctor.pretrained_ok",
    "doctor.path_ascii", "doctor.path_non_ascii_posix", "doctor.path_non_ascii_fixed", "doctor.disk_ok",
    "doctor.torch_ok", "doctor.torch_cpu_only", "doctor.xiaozhi_ok", "doctor.profile_ok", "doctor.api_ok",
    "doctor.gpt_ok", "doctor.sovits_ok", "doctor.pair_ok", "doctor.ref_ok", "doctor.emotions_ok",
    "doctor.lang_ok", "doctor.device_ok", "doctor.device_cpu", "doctor.device_auto", "doctor.port_free",
    "doctor.port_running",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_message_renders_fully(pkg, tmp_path, isolated_home, lang):
    """A broad mix of failures: no message or fix is left with an unfilled {placeholder}."""
    from launcher.cli.doctor_cmd import rendered

    write_wav(pkg.ref, 11)
    sad = write_wav(pkg.root / "参考音频" / "短.wav", 1.0)
    nahida(isolated_home, pkg, api="v1", device="cpu", half=True, emotions={"难过": {"ref_audio": str(sad)}},
           host="0.0.0.0", text_lang="粤语")
    write_profile(isolated_home, "lost", gpt="无.ckpt", sovits="无.pth", ref_audio="无.wav")
    write_profile(isolated_home, "mix", gpt="GPT_weights_v2/纳西妲-e10.ckpt", sovits=str(write_sovits(
        pkg.root / "SoVITS_weights_v4" / "x_e1_s1_l16.pth", b"04", rows=None)))
    remember(isolated_home, pkg.root, xiaozhi_dir=str(tmp_path))
    messages.set_language(lang)
    try:
        data = rendered(doctor_now())
    finally:
        messages.set_language(None)
    statuses = set()
    for section in data["sections"]:
        assert "{" not in section["title"]
        for c in section["checks"]:
            statuses.add(c["status"])
            assert "{" not in c["message"] and "{" not in (c["fix"] or ""), c
    assert statuses == {"ok", "warn", "fail"}


@posix_only
def test_probe_cache_expires(tmp_path, isolated_home, monkeypatch):
    from launcher.gsv import probe

    p = _probe_pkg(tmp_path, isolated_home, gpu_answer())
    calls = p.root / "runtime" / "calls.txt"
    doctor_now(PROBE)
    now = probe.time.time()
    monkeypatch.setattr(probe.time, "time", lambda: now + probe.CACHE_MAX_AGE + 1)
    doctor_now(PROBE)
    assert calls.read_text().count("run") == 2


def test_core_modules_stay_below_the_cli():
    import subprocess

    code = (
        "import sys, launcher.doctor.report, launcher.doctor.bundle, launcher.server.preflight, launcher.gsv.probe, launcher.gsv.ckpt\n"
        "heavy = {'typer', 'rich', 'launcher.messages', 'launcher.ui', 'torch'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(Path(doctor.__file__).resolve().parent.parent))
