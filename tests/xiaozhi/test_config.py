"""Editing data/.config.yaml: creating it, keeping the user's text, 智控台 mode, undo.

The shipped `config.yaml` (tests/fixtures/xiaozhi/) is the real file of
xinnan-tech/xiaozhi-esp32-server; merges and checks run against it.
"""

from __future__ import annotations


import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from launcher.xiaozhi import config as xz
from launcher.xiaozhi import files as xzfiles
from launcher.xiaozhi import provider
from launcher.xiaozhi import yaml_edit as yml
from launcher.errors import BadInput
from helpers.xiaozhi_tree import (  # noqa: F401  (xdir is a fixture)
    COMMENTED, FIXTURE, PROMPT, REF, WIN_REF, as_xiaozhi_reads, backups, data_file, target, write_data, xdir,
)


# --- creating and editing data/.config.yaml ---------------------------------------------------


def test_creation_from_nothing(xdir):
    assert not (xdir / "data").exists()
    p = xz.plan(xdir, target("v2"))
    assert p.changed and p.old_text is None
    assert p.previous_module == "EdgeTTS"  # the shipped default
    applied = xz.apply(p)
    text = data_file(xdir).read_text(encoding="utf-8")
    assert text.startswith("# xiaozhi-server 的个人配置")
    loaded = as_xiaozhi_reads(data_file(xdir))
    assert loaded["selected_module"] == {"TTS": "GPT_SOVITS_V2"}
    assert list(loaded["TTS"]) == ["GPT_SOVITS_V2"]
    merged = xzfiles.merged_config(xdir)
    assert merged["selected_module"]["TTS"] == "GPT_SOVITS_V2"
    assert merged["selected_module"]["LLM"] == "ChatGLMLLM"  # everything else from config.yaml
    block = merged["TTS"]["GPT_SOVITS_V2"]
    assert block["url"] == "http://127.0.0.1:9880/tts"
    assert block["ref_audio_path"] == REF and block["prompt_text"] == PROMPT
    assert block["output_dir"] == "tmp/"  # shipped default, not written
    # The backup of "nothing" is the minimal valid file, so undo never leaves xiaozhi without one.
    assert applied.backup is not None
    assert applied.backup.read_text(encoding="utf-8") == xzfiles.STUB
    assert as_xiaozhi_reads(applied.backup) == {}


def test_running_twice_changes_nothing(xdir):
    write_data(xdir, COMMENTED)
    xz.apply(xz.plan(xdir, target("v2")))
    first = data_file(xdir).read_bytes()
    assert len(backups(xdir)) == 1
    again = xz.plan(xdir, target("v2"))
    assert not again.changed and again.diff == []
    result = xz.apply(again)
    assert result.backup is None and not result.changed
    assert data_file(xdir).read_bytes() == first
    assert len(backups(xdir)) == 1
    text = first.decode("utf-8")
    assert text.count("GPT_SOVITS_V2:") == 1 and text.count("selected_module:") == 1
    assert text.count("ref_audio_path:") == 1


def test_idempotent_after_creation_too(xdir):
    xz.apply(xz.plan(xdir, target("v1")))
    assert not xz.plan(xdir, target("v1")).changed
    assert len(backups(xdir)) == 1


def test_commented_file_keeps_every_comment_key_and_line(xdir):
    write_data(xdir, COMMENTED)
    before = as_xiaozhi_reads(data_file(xdir))
    p = xz.plan(xdir, target("v2"))
    xz.apply(p)
    new_text = data_file(xdir).read_text(encoding="utf-8")
    new_lines = new_text.splitlines()

    # Every original line but the ones holding values we own is still there, verbatim and in order.
    ours = {"  TTS: EdgeTTS   # 之前用的微软 TTS", '    url: "http://192.168.1.9:9880/tts"'}
    kept = iter(new_lines)
    for line in COMMENTED.splitlines():
        if line not in ours:
            assert any(line == candidate for candidate in kept), f"lost or moved: {line!r}"
    # Every comment survives, including the one at the end of the line we changed.
    for line in COMMENTED.splitlines():
        if "#" in line:
            comment = line[line.index("#"):]
            assert comment in new_text
    # The section heading stays right above its section; the last comment stays last.
    assert new_lines[new_lines.index("Memory:") - 1] == "# 以下是记忆模块"
    assert new_lines[-1] == "# 文件结尾"

    after = as_xiaozhi_reads(data_file(xdir))
    for key in ("server", "LLM", "Memory"):
        assert after[key] == before[key]
    assert after["server"]["timezone_offset"] == 8 and after["LLM"]["DoubaoLLM"]["enable"] is True
    assert {k: v for k, v in after["selected_module"].items() if k != "TTS"} == {
        "ASR": "FunASR", "LLM": "DoubaoLLM", "Intent": "function_call"}
    assert after["selected_module"]["TTS"] == "GPT_SOVITS_V2"
    assert after["TTS"]["EdgeTTS"] == before["TTS"]["EdgeTTS"]
    block = after["TTS"]["GPT_SOVITS_V2"]
    assert block["my_note"] == "保留我" and block["batch_size"] == 4  # the user's own keys
    assert block["url"] == "http://127.0.0.1:9880/tts"
    assert list(after) == list(before)  # key order


def test_diff_is_short_and_shows_only_our_lines(xdir):
    write_data(xdir, COMMENTED)
    p = xz.plan(xdir, target("v2"))
    removed = [line for line in p.diff if line.startswith("-") and not line.startswith("---")]
    added = [line for line in p.diff if line.startswith("+") and not line.startswith("+++")]
    assert removed == ["-  TTS: EdgeTTS   # 之前用的微软 TTS", '-    url: "http://192.168.1.9:9880/tts"']
    assert "+  TTS: GPT_SOVITS_V2 # 之前用的微软 TTS" in added
    assert len(added) == 2 + 10  # selected_module.TTS, url, and ten new keys
    assert data_file(xdir).read_text(encoding="utf-8") == COMMENTED  # plan wrote nothing


def test_real_config_copied_as_data_file_changes_only_our_values(xdir):
    """Some users copy the whole config.yaml into data/: its `True`, `null`, `+8` must stay."""
    write_data(xdir, FIXTURE.read_text(encoding="utf-8"))
    p = xz.plan(xdir, target("v2"))
    removed = [line for line in p.diff if line.startswith("-") and not line.startswith("---")]
    assert removed == [
        "-  TTS: EdgeTTS",
        '-    text_lang: "auto"',
        '-    ref_audio_path: "demo.wav"',
        '-    prompt_text: ""',
        "-    top_k: 5",
        '-    text_split_method: "cut0"',
        "-    speed_factor: 1.0",
    ]
    xz.apply(p)
    assert xzfiles.merged_config(xdir)["TTS"]["GPT_SOVITS_V2"]["text_lang"] == "zh"


def test_switching_from_v2_to_v3_keeps_the_v2_block(xdir):
    xz.apply(xz.plan(xdir, target("v2")))
    p = xz.plan(xdir, target("v1"))
    assert p.previous_module == "GPT_SOVITS_V2"
    xz.apply(p)
    loaded = as_xiaozhi_reads(data_file(xdir))
    assert loaded["selected_module"]["TTS"] == "GPT_SOVITS_V3"
    assert list(loaded["TTS"]) == ["GPT_SOVITS_V2", "GPT_SOVITS_V3"]
    assert loaded["TTS"]["GPT_SOVITS_V3"]["text_language"] == "zh"


def test_crlf_and_bom_are_kept(xdir):
    path = write_data(xdir, ("\ufeff" + COMMENTED).replace("\n", "\r\n"))
    xz.apply(xz.plan(xdir, target("v2")))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # no bare LF anywhere
    assert as_xiaozhi_reads(path)["selected_module"]["TTS"] == "GPT_SOVITS_V2"
    assert not xz.plan(xdir, target("v2")).changed


def test_four_space_indentation_is_followed(xdir):
    path = write_data(xdir, "selected_module:\n    TTS: EdgeTTS\nTTS:\n    EdgeTTS:\n        type: edge\n")
    xz.apply(xz.plan(xdir, target("v2")))
    text = path.read_text(encoding="utf-8")
    assert "\n    GPT_SOVITS_V2:\n        type: gpt_sovits_v2\n" in text
    assert "    EdgeTTS:\n        type: edge\n" in text


def test_flow_style_selected_module(xdir):
    path = write_data(xdir, "selected_module: {ASR: FunASR, TTS: EdgeTTS}\n")
    xz.apply(xz.plan(xdir, target("v2")))
    assert as_xiaozhi_reads(path)["selected_module"] == {"ASR": "FunASR", "TTS": "GPT_SOVITS_V2"}


def test_null_sections_are_filled(xdir):
    path = write_data(xdir, "selected_module:\nTTS:\n")
    xz.apply(xz.plan(xdir, target("v2")))
    loaded = as_xiaozhi_reads(path)
    assert loaded["selected_module"] == {"TTS": "GPT_SOVITS_V2"}
    assert loaded["TTS"]["GPT_SOVITS_V2"]["type"] == "gpt_sovits_v2"


def test_empty_file_is_treated_as_empty_mapping(xdir):
    path = write_data(xdir, "")
    p = xz.plan(xdir, target("v2"))
    applied = xz.apply(p)
    assert path.read_text(encoding="utf-8").startswith("# xiaozhi-server")
    assert as_xiaozhi_reads(path)["selected_module"]["TTS"] == "GPT_SOVITS_V2"
    assert applied.backup.read_bytes() == b""
    # Undo must not bring back the empty file: xiaozhi crashes on it.
    xz.undo(xdir)
    assert as_xiaozhi_reads(path) == {}
    assert path.read_text(encoding="utf-8") == xzfiles.STUB


def test_comment_only_file_keeps_its_comments(xdir):
    path = write_data(xdir, "# 只有注释\n# 第二行\n")
    xz.apply(xz.plan(xdir, target("v1")))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 只有注释\n# 第二行\n")
    assert as_xiaozhi_reads(path)["selected_module"]["TTS"] == "GPT_SOVITS_V3"


def test_ref_audio_override_key_is_updated_too(xdir):
    """`ref_audio` (the 智控台's voice field) wins over ref_audio_path in the provider."""
    write_data(xdir, "TTS:\n  GPT_SOVITS_V2:\n    ref_audio: /old/旧.wav\n    ref_text: 旧的\n")
    xz.apply(xz.plan(xdir, target("v2")))
    block = xzfiles.merged_config(xdir)["TTS"]["GPT_SOVITS_V2"]
    assert block["ref_audio"] == REF and block["ref_text"] == PROMPT
    request = provider.provider_request(block, "你好")
    assert request.json["ref_audio_path"] == REF and request.json["prompt_text"] == PROMPT


def test_text_that_yaml_11_would_misread_is_quoted(xdir):
    t = target("v1", prompt_text="yes", ref_audio="/a/no.wav", prompt_lang="on")
    xz.apply(xz.plan(xdir, t))
    block = as_xiaozhi_reads(data_file(xdir))["TTS"]["GPT_SOVITS_V3"]
    assert block["prompt_text"] == "yes" and block["prompt_language"] == "on"


# --- 智控台 -----------------------------------------------------------------------------------


def test_manager_api_mode_changes_nothing_and_lists_the_values(xdir):
    original = "manager-api:\n  url: http://127.0.0.1:8002/xiaozhi\n  secret: abc\n"
    path = write_data(xdir, original)
    p = xz.plan(xdir, target("v1", url_host="192.168.1.5", ref_audio=WIN_REF))
    assert p.manager_mode and not p.changed and p.diff == []
    assert p.manager_url == "http://127.0.0.1:8002/xiaozhi"
    assert p.module == "GPT_SOVITS_V3"
    fields = {key: (label, value) for key, label, value in p.manager_fields}
    assert fields["url"] == ("服务地址", "http://192.168.1.5:9880")
    assert fields["refer_wav_path"] == ("参考音频路径", WIN_REF)
    assert fields["prompt_text"] == ("提示文本", PROMPT)
    assert fields["prompt_language"] == ("提示语言", "zh")
    assert fields["text_language"] == ("文本语言", "zh")
    with pytest.raises(BadInput) as info:
        xz.apply(p)
    assert info.value.key == "xiaozhi.manager_mode"
    assert path.read_text(encoding="utf-8") == original
    assert backups(xdir) == []


def test_manager_api_without_url_is_local_mode(xdir):
    write_data(xdir, "manager-api:\n  url: ''\n")
    assert not xz.plan(xdir, target("v2")).manager_mode


# --- undo -------------------------------------------------------------------------------------


def test_undo_restores_the_last_backup(xdir):
    path = write_data(xdir, COMMENTED)
    xz.apply(xz.plan(xdir, target("v2")))
    applied = path.read_bytes()
    done = xz.undo(xdir)
    assert path.read_text(encoding="utf-8") == COMMENTED
    assert done.saved_current is not None and done.saved_current.read_bytes() == applied
    assert backups(xdir) == []  # consumed: a second undo goes further back
    with pytest.raises(BadInput) as info:
        xz.undo(xdir)
    assert info.value.key == "xiaozhi.no_backup"


def test_undo_walks_back_one_step_at_a_time(xdir):
    path = write_data(xdir, COMMENTED)
    xz.apply(xz.plan(xdir, target("v2")))
    after_v2 = path.read_bytes()
    xz.apply(xz.plan(xdir, target("v1")))
    assert len(backups(xdir)) == 2
    xz.undo(xdir)
    assert path.read_bytes() == after_v2
    xz.undo(xdir)
    assert path.read_text(encoding="utf-8") == COMMENTED


def test_undo_after_creation_leaves_a_valid_file(xdir):
    xz.apply(xz.plan(xdir, target("v2")))
    xz.undo(xdir)
    assert as_xiaozhi_reads(data_file(xdir)) == {}
    assert xzfiles.merged_config(xdir)["selected_module"]["TTS"] == "EdgeTTS"


def test_apply_after_undo_of_creation(xdir):
    xz.apply(xz.plan(xdir, target("v2")))
    xz.undo(xdir)
    xz.apply(xz.plan(xdir, target("v2")))
    text = data_file(xdir).read_text(encoding="utf-8")
    assert text.startswith(xzfiles.HEADER) and "{}" not in text
    assert as_xiaozhi_reads(data_file(xdir))["selected_module"] == {"TTS": "GPT_SOVITS_V2"}


def test_empty_flow_tts_section(xdir):
    path = write_data(xdir, "TTS: {}   # 空的\nLLM: {A: 1}\n")
    xz.apply(xz.plan(xdir, target("v2")))
    text = path.read_text(encoding="utf-8")
    assert "LLM: {A: 1}\n" in text and "# 空的" in text
    assert as_xiaozhi_reads(path)["TTS"]["GPT_SOVITS_V2"]["url"] == "http://127.0.0.1:9880/tts"


def test_undo_without_backup(xdir):
    with pytest.raises(BadInput) as info:
        xz.undo(xdir)
    assert info.value.key == "xiaozhi.no_backup"


# --- property: keys outside our block never change --------------------------------------------

# Control characters (Cc) are left out: YAML allows them only as escapes, which no
# hand-written xiaozhi config has, and ruamel.yaml misreads some escaped ones next to
# astral characters ("\x1f\U00010000" as "\U00010000"); the launcher then refuses the
# file as a YAML error and changes nothing.
_TEXT = st.characters(blacklist_categories=("Cs", "Cc"))
_KEYS = st.one_of(
    st.sampled_from(["TTS", "selected_module", "GPT_SOVITS_V2", "GPT_SOVITS_V3", "EdgeTTS", "LLM", "ASR",
                     "server", "type", "url", "my_note", "键", "yes", "null", "1", "a b"]),
    st.text(_TEXT, min_size=1, max_size=6),
)
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(_TEXT, max_size=12),
    st.sampled_from(["yes", "on", "0o17", "1_000", "12:30", "~", "True", "+8", "# not a comment", "a: b"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_KEYS, children, max_size=4),
    max_leaves=12,
)
_DATA = st.dictionaries(_KEYS, _VALUES, max_size=6)
_OUR_KEYS = {"type", "url", "ref_audio_path", "prompt_text", "prompt_lang", "text_lang", "top_k", "speed_factor",
             "ref_audio", "ref_text"}


def _outside(data: dict, module: str) -> tuple:
    """Everything a user wrote except selected_module.TTS and our keys of TTS.<module>."""
    rest = {k: v for k, v in data.items() if k not in ("selected_module", "TTS")}
    selected = data.get("selected_module")
    if isinstance(selected, dict):
        selected = {k: v for k, v in selected.items() if k != "TTS"} or None
    tts = data.get("TTS")
    block = None
    if isinstance(tts, dict):
        block = tts.get(module)
        tts = {k: v for k, v in tts.items() if k != module} or None
    if isinstance(block, dict):
        block = {k: v for k, v in block.items() if k not in _OUR_KEYS} or None
    return rest, selected, tts, block


def _non_mapping_in_our_way(data: dict, module: str) -> bool:
    def bad(value):
        return value is not None and not isinstance(value, dict)

    tts = data.get("TTS")
    return bad(data.get("selected_module")) or bad(tts) or (isinstance(tts, dict) and bad(tts.get(module)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_DATA, indent=st.sampled_from([2, 4]), flow=st.sampled_from([False, None]))
def test_property_keys_outside_our_block_are_unchanged(xdir, data, indent, flow):
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, indent=indent, default_flow_style=flow)
    path = write_data(xdir, text)
    data = yaml.safe_load(text)  # the file's meaning, as xiaozhi reads it
    for old in backups(xdir):
        old.unlink()
    t = target("v2", params={"top_k": 15, "speed": 1.1})
    try:
        p = xz.plan(xdir, t)
    except BadInput as exc:
        # Refused only when something in our way is not a mapping; then nothing is written.
        assert exc.key == "xiaozhi.section_not_mapping", (exc.key, exc.params)
        assert _non_mapping_in_our_way(data, "GPT_SOVITS_V2")
        assert path.read_text(encoding="utf-8") == text
        return
    assert not _non_mapping_in_our_way(data, "GPT_SOVITS_V2")
    xz.apply(p)
    after = as_xiaozhi_reads(path)
    assert yml.deep_equal(_outside(after, "GPT_SOVITS_V2"), _outside(data, "GPT_SOVITS_V2"))
    merged = xzfiles.merged_config(xdir)
    assert merged["selected_module"]["TTS"] == "GPT_SOVITS_V2"
    assert merged["TTS"]["GPT_SOVITS_V2"]["ref_audio_path"] == REF
    assert not xz.plan(xdir, t).changed  # and a second run is a no-op
