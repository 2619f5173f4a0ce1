"""The TTS block for one GPT-SoVITS server: keys per provider, references, parameters, gpt_sovits_v1."""

from __future__ import annotations


import pytest

from launcher.xiaozhi import block as xzblock
from launcher.xiaozhi import config as xz
from launcher.xiaozhi import files as xzfiles
from launcher.errors import BadInput
from helpers.xiaozhi_tree import (  # noqa: F401  (xdir is a fixture)
    PROMPT, REF, WIN_REF, data_file, make_xiaozhi, target, xdir,
)


# --- blocks -----------------------------------------------------------------------------------


def test_v2_block_keys_for_api_v2():
    module, block = xzblock.block_for(target("v2"))
    assert module == "GPT_SOVITS_V2"
    assert block == {
        "type": "gpt_sovits_v2",
        "url": "http://127.0.0.1:9880/tts",
        "ref_audio_path": REF,
        "prompt_text": PROMPT,
        "prompt_lang": "zh",
        "text_lang": "zh",
        "top_k": 15,
        "top_p": 1,
        "temperature": 1,
        "speed_factor": 1.1,
        "text_split_method": "cut5",
    }
    assert xzblock.ignored_params(target("v2")) == []


def test_v3_block_keys_for_api_py():
    t = target("v1", ref_audio=WIN_REF, text_lang="中文", prompt_lang="中英混合")
    module, block = xzblock.block_for(t)
    assert module == "GPT_SOVITS_V3"
    assert block == {
        "type": "gpt_sovits_v3",
        "url": "http://127.0.0.1:9880",
        "refer_wav_path": WIN_REF,
        "prompt_text": PROMPT,
        "prompt_language": "zh",
        "text_language": "all_zh",
        "top_k": 15,
        "top_p": 1,
        "temperature": 1,
        "speed": 1.1,
    }
    # api.py has no text_split_method: xiaozhi's gpt_sovits_v3 never sends it.
    assert xzblock.ignored_params(t) == ["text_split_method"]


def test_advertise_host_changes_only_the_url():
    _, block = xzblock.block_for(target("v2", url_host="host.docker.internal", port=9881))
    assert block["url"] == "http://host.docker.internal:9881/tts"
    _, block = xzblock.block_for(target("v1", url_host="0.0.0.0"))
    assert block["url"] == "http://127.0.0.1:9880"  # bind-all is not an address to call
    _, block = xzblock.block_for(target("v1", url_host="fe80::1"))
    assert block["url"] == "http://[fe80::1]:9880"


@pytest.mark.parametrize("api", ["v1", "v2"])
def test_profile_without_reference_is_refused(api):
    with pytest.raises(BadInput) as info:
        xzblock.block_for(target(api, ref_audio=""))
    assert info.value.key == "xiaozhi.no_reference"


def test_api_py_needs_prompt_text_too():
    with pytest.raises(BadInput) as info:
        xzblock.block_for(target("v1", prompt_text=""))
    assert info.value.key == "xiaozhi.no_prompt_text"


def test_relative_reference_is_refused():
    with pytest.raises(BadInput) as info:
        xzblock.block_for(target("v2", ref_audio="参考音频/a.wav"))
    assert info.value.key == "xiaozhi.ref_not_absolute"


def test_conflicting_parameter_names():
    with pytest.raises(BadInput) as info:
        xzblock.block_for(target("v2", params={"speed": 1.0, "speed_factor": 1.2}))
    assert info.value.key == "xiaozhi.param_conflict"


def test_gpt_sovits_v1_needs_the_seed_provider_file(xdir):
    with pytest.raises(BadInput) as info:
        xz.plan(xdir, target("v1", module="GPT_SOVITS_V1"))
    assert info.value.key == "xiaozhi.v1_provider_missing"
    assert not data_file(xdir).exists()


def test_gpt_sovits_v1_block_when_the_provider_exists(tmp_path):
    xdir = make_xiaozhi(tmp_path / "repo", v1_provider=True)
    p = xz.plan(xdir, target("v1", module="GPT_SOVITS_V1"))
    assert p.module == "GPT_SOVITS_V1"
    assert p.block["type"] == "gpt_sovits_v1"
    assert p.block["output_dir"] == "tmp/"  # not the seed's dead `output_file`
    assert p.block["cut_punc"] == ""  # else the seed's provider sends "cut0" as punctuation
    xz.apply(p)
    merged = xzfiles.merged_config(xdir)
    assert merged["selected_module"]["TTS"] == "GPT_SOVITS_V1"
    assert merged["TTS"]["GPT_SOVITS_V1"]["refer_wav_path"] == REF


def test_gpt_sovits_v1_is_for_api_py_only(tmp_path):
    xdir = make_xiaozhi(tmp_path / "repo", v1_provider=True)
    with pytest.raises(BadInput) as info:
        xz.plan(xdir, target("v2", module="GPT_SOVITS_V1"))
    assert info.value.key == "xiaozhi.module_mismatch"
