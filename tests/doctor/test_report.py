"""doctor's report: a healthy package, the package section, the xiaozhi section."""

from __future__ import annotations

import pytest

from helpers.doctor_fixtures import (  # noqa: F401  (pkg and plenty_of_disk are fixtures)
    JAPANESE_OLD,
    check,
    checks,
    doctor_now,
    make_package,
    nahida,
    pkg,
    plenty_of_disk,
    remember,
    write_profile,
)
from launcher import messages
from launcher.doctor import report as doctor
from launcher.doctor.report import Options


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
