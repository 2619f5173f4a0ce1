"""doctor on packages of each release: the capabilities it reports (text and --json), the
API a profile will really get, and v3/v4 on the CPU with upstream's 32 sampling steps."""

from __future__ import annotations

import json

import pytest

from helpers import nahida_yaml, run_cli, write_profile
from helpers.doctor_fixtures import check, doctor_now, remember
from launcher.demo.fake_package import add_character, build_standin_package, free_port
from launcher.doctor.report import Options
from launcher.paths import layout, load_settings
from launcher.doctor.report import run_doctor


def package(tmp_path, home, release, version="v2", api="v2", **profile):
    pkg = build_standin_package(tmp_path / "pkg", release=release)
    gpt, sovits = add_character(pkg.root, "胡桃", version, release=release)
    remember(home, pkg.root)
    write_profile(home, "hutao", nahida_yaml(None, name="hutao", gpt=str(gpt), sovits=str(sovits), api=api,
                                             ref_audio=str(pkg.ref_audio), prompt_text=pkg.prompt_text,
                                             port=free_port(), **profile))
    return pkg


def test_doctor_names_the_release_and_what_each_api_loads(tmp_path, isolated_home, capsys):
    package(tmp_path, isolated_home, "20250422v4")
    c = check(doctor_now(), "package.release")
    assert (c.status, c.key, c.params["release"]) == ("ok", "doctor.release", "20250422v4")
    assert c.params["summary"] == "api.py: v1–v3 · api_v2.py: v1–v4"
    code, out, _ = run_cli(capsys, "doctor", "--json")
    data = json.loads(out)["data"]
    (found,) = [c for s in data["sections"] for c in s["checks"] if c["id"] == "package.release"]
    caps = found["params"]["capabilities"]
    assert caps["release"] == "20250422v4" and caps["v2"]["versions"] == ["v1", "v2", "v3", "v4"]
    assert set(caps["v1"]["fields"]) >= {"sample_steps", "if_sr"} and caps["yaml_version"] == "top"
    text = run_cli(capsys, "doctor")[1]
    assert "api_v2.py: v1–v4" in text


def test_a_profile_whose_api_cannot_load_its_version_is_told_which_one_will(tmp_path, isolated_home):
    package(tmp_path, isolated_home, "20250606v2pro", version="v2Pro", api="v1")
    c = check(doctor_now(), "profile.release")
    assert (c.status, c.key, c.params["other_script"]) == ("warn", "release.api_switched", "api_v2.py")


def test_a_version_no_api_of_the_release_loads_fails_with_the_release_to_update_to(tmp_path, isolated_home):
    package(tmp_path, isolated_home, "20250422v4", version="v2Pro")
    c = check(doctor_now(), "profile.sovits")
    assert (c.status, c.key, c.params["needed"], c.params["release"]) == (
        "fail", "weights.unsupported_by_package", "20250606v2pro", "20250422v4")


@pytest.mark.parametrize("steps,status", [(None, "warn"), (32, "warn"), (8, "ok")])
def test_v3_v4_on_the_cpu_with_32_steps_is_warned(tmp_path, isolated_home, steps, status):
    params = {"sample_steps": steps} if steps else {}
    package(tmp_path, isolated_home, "main", version="v4", device="cpu", params=params)
    c = check(doctor_now(), "profile.steps")
    assert (c.status, c.params["steps"], c.params["version"]) == (status, steps or 32, "v4")
    if status == "warn":
        assert c.params["suggest"] == 8 and c.fix_key == "doctor.steps_on_cpu.hint"


def test_no_steps_check_on_a_gpu_or_for_v2(tmp_path, isolated_home):
    package(tmp_path, isolated_home, "main", version="v2", device="cpu")
    assert "profile.steps" not in {c.id for s in doctor_now().sections for c in s.checks}


def test_no_cuda_in_the_runtime_means_the_cpu(tmp_path, isolated_home):
    from helpers.doctor_fixtures import fake_python

    pkg = package(tmp_path, isolated_home, "20250422v4", version="v3")
    fake_python(pkg.root, {"python": "3.9.13", "torch": "2.1.2+cpu", "cuda_build": None, "cuda_available": False,
                           "devices": [], "error": None})
    report = run_doctor(layout(), load_settings(), options=Options(probe=True, refresh=True))
    assert check(report, "profile.steps").status == "warn"
