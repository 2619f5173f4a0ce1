from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from launcher.errors import BadInput, MissingFile
from launcher.profiles.schema import Profile, find_profile, parse_profile, render_profile, save_profile

P = Path("/p/nahida.yaml")

GOOD = """
name: nahida
display_name: 纳西妲
api: v1
gpt: GPT_weights_v2/纳西妲-e10.ckpt
sovits: SoVITS_weights_v2/纳西妲_e10_s400.pth
ref_audio: 参考音频/纳西妲/初次见面.wav
prompt_text: 初次见面，我已经关注你很久了。
prompt_lang: 中文
text_lang: 中英混合
port: 9881
half: false
params: {top_k: 15, top_p: 1, temperature: 1, speed: 1.1, text_split_method: cut5}
emotions:
  开心: {ref_audio: 参考音频/纳西妲/开心.wav, prompt_text: 太好了}
"""


def test_parses_every_field_and_maps_webui_labels_to_codes():
    p = parse_profile(GOOD, P)
    assert (p.name, p.display_name, p.api, p.port, p.half) == ("nahida", "纳西妲", "v1", 9881, False)
    assert p.prompt_lang == "all_zh"  # upstream: 中文 means all_zh
    assert p.text_lang == "zh"  # 中英混合 is zh
    assert p.params["speed"] == 1.1
    assert p.emotions["开心"].ref_audio == "参考音频/纳西妲/开心.wav"
    assert p.host == "127.0.0.1"


def test_name_defaults_to_file_name_and_api_to_v2():
    p = parse_profile("gpt: a.ckpt\nsovits: b.pth\n", Path("/x/胡桃.yaml"))
    assert (p.name, p.api, p.port) == ("胡桃", "v2", 9880)


def _err(text: str) -> BadInput:
    with pytest.raises(BadInput) as e:
        parse_profile(text, P)
    return e.value


def test_yaml_syntax_error_names_the_line():
    e = _err("gpt: a.ckpt\nsovits: [b.pth\nport: 1\n")
    assert e.key == "profile.yaml_error"
    assert e.params["path"] == str(P)
    assert e.params["line"] in (2, 3, 4)


def test_unknown_key_suggests_the_near_one():
    e = _err("gpt: a.ckpt\nsovits: b.pth\nref_audoi: x.wav\n")
    assert (e.key, e.params["field"], e.params["suggestion"]) == ("profile.unknown_key", "ref_audoi", "ref_audio")


def test_unknown_param_is_named_with_its_path():
    e = _err("gpt: a.ckpt\nsovits: b.pth\nparams: {top_kk: 3}\n")
    assert (e.params["field"], e.params["suggestion"]) == ("params.top_kk", "top_k")


def test_missing_required_field():
    e = _err("gpt: a.ckpt\n")
    assert (e.key, e.params["field"]) == ("profile.missing_field", "sovits")


@pytest.mark.parametrize(
    "line,field",
    [("port: '9880'", "port"), ("port: true", "port"), ("half: 1", "half"), ("gpt: [a]", "gpt"), ("params: {top_k: x}", "params.top_k")],
)
def test_wrong_types_are_refused(line, field):
    base = {"gpt": "gpt: a.ckpt", "sovits": "sovits: b.pth"}
    key = field.split(".")[0]
    base[key] = line
    e = _err("\n".join(base.values()) + "\n")
    assert (e.key, e.params["field"]) == ("profile.wrong_type", field)


def test_unknown_language_lists_choices():
    e = _err("gpt: a.ckpt\nsovits: b.pth\nprompt_lang: 火星文\n")
    assert (e.key, e.params["field"]) == ("profile.bad_choice", "prompt_lang")
    assert "zh" in e.params["choices"]


@pytest.mark.parametrize("port", [0, 65536, -1])
def test_port_out_of_range(port):
    assert _err(f"gpt: a.ckpt\nsovits: b.pth\nport: {port}\n").key == "profile.bad_port"


def test_not_a_mapping():
    assert _err("- a\n- b\n").key == "profile.not_mapping"


def test_roundtrip_render_parse():
    p = parse_profile(GOOD, P)
    again = parse_profile(render_profile(p), P)
    assert again.to_dict() == p.to_dict()


def test_find_by_name_display_name_and_path(tmp_path):
    folder = tmp_path / "profiles"
    save_profile(Profile(name="nahida", display_name="纳西妲", gpt="a.ckpt", sovits="b.pth"), folder)
    assert find_profile("nahida", folder).name == "nahida"
    assert find_profile("纳西妲", folder).name == "nahida"  # a .bat named 纳西妲.bat passes this
    assert find_profile(str(folder / "nahida.yaml"), folder).name == "nahida"
    with pytest.raises(BadInput) as e:
        find_profile("nahidda", folder)
    assert (e.value.key, e.value.params["suggestion"]) == ("profile.not_found", "nahida")
    with pytest.raises(MissingFile):
        find_profile(str(tmp_path / "nope.yaml"), folder)


def test_save_refuses_existing_and_backs_up_with_overwrite(tmp_path):
    folder = tmp_path / "profiles"
    first = save_profile(Profile(name="hutao", gpt="a.ckpt", sovits="b.pth"), folder)
    original = first.read_bytes()
    with pytest.raises(BadInput) as e:
        save_profile(Profile(name="hutao", gpt="c.ckpt", sovits="d.pth"), folder)
    assert e.value.key == "profile.exists"
    assert first.read_bytes() == original
    save_profile(Profile(name="hutao", gpt="c.ckpt", sovits="d.pth"), folder, overwrite=True)
    backups = list(folder.glob("hutao.yaml.bak-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == original


def test_resolve_relative_absolute_and_windows_paths(tmp_path):
    p = Profile(name="x", gpt="a.ckpt", sovits="b.pth")
    assert p.resolve("GPT_weights\\a.ckpt", tmp_path) == tmp_path / "GPT_weights" / "a.ckpt"
    assert p.resolve(str(tmp_path / "abs.ckpt"), Path("/other")) == tmp_path / "abs.ckpt"
    assert str(p.resolve("D:\\模型\\a.ckpt", tmp_path)) == "D:\\模型\\a.ckpt"


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["name", "gpt", "sovits", "port", "api", "params", "emotions", "prompt_lang", "half", "x"]), yaml_values, max_size=6))
def test_any_mapping_parses_or_fails_with_a_keyed_error(data):
    import yaml

    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        parse_profile(text, P)
    except BadInput as e:
        assert e.key.startswith(("profile.", "lang."))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_parses_or_fails_with_a_keyed_error(text):
    try:
        parse_profile(text, P)
    except BadInput as e:
        assert e.key.startswith(("profile.", "lang."))
