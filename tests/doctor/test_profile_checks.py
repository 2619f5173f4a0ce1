"""doctor's profile checks (reference, weights, languages, ports), and the pre-start checks
it shares with `plan_start`."""

from __future__ import annotations

import pytest

from helpers.doctor_fixtures import (  # noqa: F401  (pkg and plenty_of_disk are fixtures)
    PROCESS_CKPT_2024_08,
    check,
    checks,
    doctor_now,
    make_package,
    nahida,
    pkg,
    plenty_of_disk,
    posix_only,
    remember,
    write_gpt,
    write_sovits,
    ForeignListener,
)
from launcher import messages
from launcher.audio import write_wav
from launcher.errors import BadInput, MissingFile
from launcher.paths import layout, load_settings


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
    from launcher.server.plan import plan_start

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
    ],
)
def test_gpt_checkpoint_unreadable(pkg, isolated_home, content, reason):
    pkg.gpt.write_bytes(content)
    nahida(isolated_home, pkg)
    c = check(doctor_now(), "profile.gpt")
    assert (c.status, c.key) == ("fail", "weights.gpt_unreadable")
    assert reason in c.params["reason"]


def test_a_zip_head_without_its_end_is_incomplete(pkg, isolated_home):
    # Was: weights.gpt_unreadable "not a complete zip"; now called what it is.
    pkg.gpt.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    nahida(isolated_home, pkg)
    c = check(doctor_now(), "profile.gpt")
    assert (c.status, c.key) == ("fail", "weights.incomplete")
    assert "end-of-central-directory" in c.params["detail"]


def test_truncated_gpt_download(pkg, isolated_home):
    data = pkg.gpt.read_bytes()
    pkg.gpt.write_bytes(data[: len(data) // 2])
    nahida(isolated_home, pkg)
    assert checks(doctor_now())["profile.gpt"] == ("fail", "weights.incomplete")


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
    from launcher.server.plan import plan_start

    write_gpt(pkg.gpt, vocab=512)
    nahida(isolated_home, pkg)
    with pytest.raises(BadInput) as e:
        plan_start(find_profile("nahida", layout().profiles), layout=layout(), settings=load_settings())
    assert e.value.key == "weights.mismatch"


def test_plan_start_lora_base_missing(pkg, isolated_home):
    from launcher.profiles.schema import find_profile
    from launcher.server.plan import plan_start

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
