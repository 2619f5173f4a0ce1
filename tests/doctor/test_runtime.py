"""doctor's runtime section: the torch probe on fake interpreters, its cache and timeouts."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from helpers.doctor_fixtures import (  # noqa: F401  (plenty_of_disk is a fixture)
    CPU_ANSWER,
    PROBE,
    check,
    checks,
    doctor_now,
    fake_python,
    gpu_answer,
    make_package,
    nahida,
    plenty_of_disk,
    posix_only,
    remember,
)
from launcher.doctor.report import Options
from launcher.paths import layout


# --- the runtime's torch (fake interpreters) -------------------------------------------------------


def _probe_pkg(tmp_path, isolated_home, answer, **profile):
    p = make_package(tmp_path / "pkg", python=None)
    fake_python(p.root, answer)
    remember(isolated_home, p.root)
    nahida(isolated_home, p, **profile)
    return p


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


def test_probe_cache_expires(tmp_path, isolated_home, monkeypatch):
    from launcher.gsv import probe

    p = _probe_pkg(tmp_path, isolated_home, gpu_answer())
    calls = p.root / "runtime" / "calls.txt"
    doctor_now(PROBE)
    now = probe.time.time()
    monkeypatch.setattr(probe.time, "time", lambda: now + probe.CACHE_MAX_AGE + 1)
    doctor_now(PROBE)
    assert calls.read_text().count("run") == 2
