"""The xiaozhi block carries the version-specific parameters the provider can send and the
package's release reads (sample_steps / if_sr for api.py since 20250422v4); the rest is left out."""

from __future__ import annotations

import sys

import pytest

from launcher.demo.fake_package import add_character, build_standin_package
from launcher.paths import Settings, layout
from launcher.profiles.schema import Profile
from launcher.server.plan import plan_start
from launcher.xiaozhi.block import block_for, ignored_params
from launcher.xiaozhi.integrate import xiaozhi_target

PARAMS = {"sample_steps": 8, "super_sampling": True, "top_k": 12}


def target(tmp_path, release, api, version="v3", **pkg_options):
    pkg = build_standin_package(tmp_path / release, release=release, runtime=False, **pkg_options)
    gpt, sovits = add_character(pkg.root, "胡桃", version, release=release)
    profile = Profile(name="hutao", gpt=str(gpt), sovits=str(sovits), api=api, ref_audio=str(pkg.ref_audio),
                      prompt_text=pkg.prompt_text, params=dict(PARAMS), device="cpu")
    plan = plan_start(profile, layout=layout(), settings=Settings(), root=pkg.root, python=sys.executable)
    return xiaozhi_target(plan)


def test_api_py_of_20250422v4_gets_sample_steps(tmp_path, isolated_home):
    t = target(tmp_path, "20250422v4", "v1")
    module, block = block_for(t)
    assert module == "GPT_SOVITS_V3"
    assert (block["sample_steps"], block["top_k"]) == (8, 12)
    assert "if_sr" not in block  # super-sampling without its model: silence or double speed
    assert ignored_params(t) == ["super_sampling"]


def test_with_the_super_sampling_model_if_sr_goes_too(tmp_path, isolated_home):
    _, block = block_for(target(tmp_path, "20250606v2pro", "v1", super_sampling_model=True))
    assert (block["sample_steps"], block["if_sr"]) == (8, True)


def test_a_release_without_those_fields_gets_neither(tmp_path, isolated_home):
    t = target(tmp_path, "20250228v3", "v1", version="v2")
    _, block = block_for(t)
    assert "sample_steps" not in block and "if_sr" not in block and block["top_k"] == 12
    assert sorted(ignored_params(t)) == ["sample_steps", "super_sampling"]


@pytest.mark.parametrize("release", ["20250422v4", "main"])
def test_xiaozhis_api_v2_provider_never_sends_them(tmp_path, isolated_home, release):
    t = target(tmp_path, release, "v2", version="v4")
    _, block = block_for(t)
    assert "sample_steps" not in block and "super_sampling" not in block
    assert sorted(ignored_params(t)) == ["sample_steps", "super_sampling"]
