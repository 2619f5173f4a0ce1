"""What a package can do, read from its code: stand-in packages of each release, and packages
whose code is not upstream's (nothing refused then)."""

from __future__ import annotations

import time

import pytest

from launcher.demo.fake_package import build_standin_package
from launcher.gsv import capabilities as caps_mod
from launcher.gsv.capabilities import hot_switch_ok

from helpers import make_package

ALL = ("v1", "v2", "v3", "v4", "v2Pro", "v2ProPlus")
EXPECTED = {
    # release: (api.py versions, api_v2.py versions, yaml key, silence rate, api_v2 extra fields, api.py extra fields)
    "20240821v2": (("v1", "v2"), ("v1", "v2"), "top", 32000, set(), set()),
    "20250228v3": (("v1", "v2"), ("v1", "v2"), "top", 32000, set(), set()),
    "20250422v4": (("v1", "v2", "v3"), ("v1", "v2", "v3", "v4"), "top", 16000, {"sample_steps", "super_sampling"},
                   {"sample_steps", "if_sr"}),
    "20250606v2pro": (("v1", "v2", "v3"), ALL, "top", 16000, {"sample_steps", "super_sampling"}, {"sample_steps", "if_sr"}),
    "main": (ALL, ALL, "custom", 16000, {"sample_steps", "super_sampling", "overlap_length", "min_chunk_length"},
             {"sample_steps", "if_sr"}),
}
V2_BASE = {
    "text", "text_lang", "ref_audio_path", "aux_ref_audio_paths", "prompt_lang", "prompt_text", "top_k", "top_p",
    "temperature", "text_split_method", "batch_size", "batch_threshold", "split_bucket", "speed_factor",
    "fragment_interval", "seed", "media_type", "streaming_mode", "parallel_infer", "repetition_penalty",
}
V1_BASE = {
    "refer_wav_path", "prompt_text", "prompt_language", "text", "text_language", "cut_punc", "top_k", "top_p",
    "temperature", "speed", "inp_refs",
}


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    return {r: build_standin_package(tmp_path_factory.mktemp(r) / "pkg", release=r, runtime=False) for r in EXPECTED}


@pytest.mark.parametrize("release", list(EXPECTED))
def test_each_release_is_read_from_its_code(releases, release):
    v1, v2, key, silence, v2_extra, v1_extra = EXPECTED[release]
    caps = caps_mod.read(releases[release].root)
    assert caps.release == release
    assert (caps.v1.versions, caps.v2.versions) == (v1, v2)
    assert (caps.yaml_version, caps.silence_rate) == (key, silence)
    assert set(caps.v2.fields) == V2_BASE | v2_extra
    assert set(caps.v1.fields) == V1_BASE | v1_extra
    assert caps.v2.fields["top_k"] == (15 if release == "main" else 5)
    assert caps.v1.fields["inp_refs"] == [] and caps.v1.fields["sample_steps" if v1_extra else "speed"] in (32, 1.0)
    assert caps.accepts("v2", "sample_steps") == bool(v2_extra)
    for version in ALL:
        assert caps.serves("v1", version) == (version in v1)
        assert caps.serves("v2", version) == (version in v2)
    data = caps.to_dict()
    assert data["release"] == release and data["v2"]["versions"] == list(v2)


def test_assets_follow_what_the_release_ships(releases):
    assert not any(caps_mod.read(releases["20240821v2"].root).assets.values())
    v2pro = caps_mod.read(releases["20250606v2pro"].root).assets
    assert {k for k, present in v2pro.items() if present} == {"v3_base", "v3_vocoder", "v4_base", "v4_vocoder", "sv"}


def test_reading_is_fast_enough_for_every_start(releases):
    started = time.perf_counter()
    for _ in range(10):
        caps_mod.read(releases["main"].root)
    assert (time.perf_counter() - started) / 10 < 0.05


def test_code_that_is_not_upstreams_leaves_the_apis_to_the_heads(tmp_path):
    pkg = make_package(tmp_path / "pkg")  # "# fake" scripts, no TTS.py, no process_ckpt.py
    caps = caps_mod.read(pkg.root)
    assert caps.release is None and caps.yaml_version is None and caps.silence_rate is None
    assert (caps.v1.versions, caps.v2.versions, caps.v1.fields, caps.v2.fields) == (None, None, None, None)
    assert caps.serves("v2", "v2ProPlus") is None and caps.accepts("v1", "sample_steps") is None
    (pkg.root / "GPT_SoVITS" / "text").mkdir(parents=True)
    (pkg.root / "GPT_SoVITS" / "text" / "symbols2.py").write_text("", encoding="utf-8")
    (pkg.root / "GPT_SoVITS" / "process_ckpt.py").write_text("HEADS = {b'03': 1, b\"04\": 2}\n", encoding="utf-8")
    caps = caps_mod.read(pkg.root)
    assert caps.v2.versions == ("v1", "v2", "v3", "v4")  # the package's heads: no v2Pro here
    (pkg.root / "api_v2.py").unlink()
    assert caps_mod.read(pkg.root).serves("v2", "v2") is False


def test_summary_and_version_ranges(releases):
    assert caps_mod.format_versions(ALL) == "v1–v4 v2Pro v2ProPlus"
    assert caps_mod.format_versions(("v1", "v2", "v3")) == "v1–v3"
    assert caps_mod.format_versions(("v1", "v2")) == "v1 v2"
    assert caps_mod.format_versions(None) == "?"
    assert caps_mod.summary(caps_mod.read(releases["20250606v2pro"].root)) == "api.py: v1–v3 · api_v2.py: v1–v4 v2Pro v2ProPlus"


def test_the_release_to_update_to():
    assert caps_mod.needed_release("v3") == "20250422v4"
    assert caps_mod.needed_release("v4") == "20250422v4"
    assert caps_mod.needed_release("v2Pro") == "20250606v2pro"
    assert caps_mod.first_release("v1", "v4") == "main"


def test_expected_rates():
    assert [caps_mod.expected_rate(v) for v in ALL] == [32000, 32000, 24000, 48000, 32000, 32000]
    assert caps_mod.expected_rate("v3", super_sampling=True) == 48000


@pytest.mark.parametrize(
    "release,version,top",
    [("20240821v2", "v1", True), ("20250422v4", "v4", True), ("20250606v2pro", "v2Pro", False),
     ("20250606v2pro", "v3", True), ("main", "v2", False), ("20240821v2", "v3", False)],
)
def test_top_level_yaml_version_where_the_release_reads_it(releases, release, version, top):
    assert caps_mod.yaml_top_level(caps_mod.read(releases[release].root), version) is top


def test_version_specific_params_only_where_the_release_reads_them(releases, tmp_path):
    params = {"sample_steps": 8, "super_sampling": True, "top_k": 5}
    old = caps_mod.read(releases["20250228v3"].root)
    assert caps_mod.request_extras(old, "v2", params, "v2") == {}
    v4 = caps_mod.read(releases["20250422v4"].root)
    assert caps_mod.request_extras(v4, "v2", params, "v4") == {"sample_steps": 8}  # super-sampling: v3 only
    assert caps_mod.request_extras(v4, "v1", params, "v3") == {"sample_steps": 8}  # no AP_BWE model: left out
    with_sr = build_standin_package(tmp_path / "sr", release="20250422v4", runtime=False, super_sampling_model=True)
    sr = caps_mod.read(with_sr.root)
    assert caps_mod.request_extras(sr, "v1", params, "v3") == {"sample_steps": 8, "if_sr": True}
    assert caps_mod.request_extras(sr, "v2", {"if_sr": True}, "v3") == {"super_sampling": True}


@pytest.mark.parametrize(
    "release,api,before,after,same_ref,ok,reason",
    [
        ("20240821v2", "v2", "v1", "v2", True, True, None),
        ("20250606v2pro", "v2", "v2", "v2", True, True, None),
        ("20250606v2pro", "v2", "v2", "v2Pro", False, False, "switch.restart_v2pro_cache"),
        ("20250606v2pro", "v2", "v2Pro", "v2ProPlus", True, False, "switch.restart_cross_version"),
        ("20250422v4", "v2", "v2", "v4", False, False, "switch.restart_cross_version"),
        ("20250422v4", "v1", "v3", "v2", False, False, "switch.restart_cross_version"),
        ("main", "v2", "v2", "v2Pro", False, True, None),
        ("main", "v2", "v2", "v2Pro", True, False, "switch.restart_same_reference"),
        ("main", "v1", None, "v2", False, False, "switch.restart_unknown_version"),
    ],
)
def test_hot_switch_knows_the_release(releases, release, api, before, after, same_ref, ok, reason):
    caps = caps_mod.read(releases[release].root)
    assert hot_switch_ok(caps, api, before, after, same_reference=same_ref) == (ok, reason)
