"""xiaozhi-server: finding the folder, editing data/.config.yaml, undo, 智控台, and `say` requests.

The shipped `config.yaml` (tests/fixtures/xiaozhi/) is the real file of
xinnan-tech/xiaozhi-esp32-server; merges and checks run against it.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import stat
import threading
import urllib.error
import urllib.request
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from launcher.xiaozhi import block as xzblock
from launcher.xiaozhi import config as xz
from launcher.xiaozhi import files as xzfiles
from launcher.xiaozhi import provider
from launcher.xiaozhi import yaml_edit as yml
from launcher.errors import BadInput, LauncherError, MissingFile, ServerFailed
from helpers.xiaozhi_tree import (  # noqa: F401  (xdir is a fixture)
    COMMENTED, FIXTURE, PROMPT, REF, WIN_REF, as_xiaozhi_reads, backups, data_file, make_xiaozhi, target, write_data, xdir,
)


# --- helpers ----------------------------------------------------------------------------------


# --- the folder -------------------------------------------------------------------------------


def test_repo_root_and_server_folder_are_both_accepted(tmp_path, xdir):
    root = tmp_path / "xiaozhi-esp32-server"
    assert xzfiles.find_xiaozhi_dir(root) == xdir.resolve()
    assert xzfiles.find_xiaozhi_dir(xdir) == xdir.resolve()


def test_missing_folder(tmp_path):
    with pytest.raises(MissingFile) as info:
        xzfiles.find_xiaozhi_dir(tmp_path / "nope")
    assert info.value.key == "xiaozhi.dir_missing"


def test_folder_without_config_yaml_is_refused(tmp_path):
    (tmp_path / "other").mkdir()
    with pytest.raises(BadInput) as info:
        xzfiles.find_xiaozhi_dir(tmp_path / "other")
    assert info.value.key == "xiaozhi.not_xiaozhi"
    assert info.value.params["missing"] == "config.yaml"


def test_folder_without_tts_providers_is_refused(tmp_path, xdir):
    shutil.rmtree(xdir / "core")
    with pytest.raises(BadInput) as info:
        xzfiles.find_xiaozhi_dir(tmp_path / "xiaozhi-esp32-server")
    assert info.value.key == "xiaozhi.not_xiaozhi"
    assert info.value.params["missing"] == "core/providers/tts/"
    assert info.value.params["path"] == str(xdir)


def test_config_yaml_without_tts_section_is_refused(xdir):
    (xdir / "config.yaml").write_text("server:\n  port: 8000\n", encoding="utf-8")
    with pytest.raises(BadInput) as info:
        xzfiles.find_xiaozhi_dir(xdir)
    assert info.value.key == "xiaozhi.no_tts_section"


def test_docker_deployment_folder_is_explained(tmp_path):
    folder = tmp_path / "xiaozhi-server"
    (folder / "data").mkdir(parents=True)
    (folder / "docker-compose.yml").write_text("services: {}\n", encoding="utf-8")
    with pytest.raises(BadInput) as info:
        xzfiles.find_xiaozhi_dir(folder)
    assert info.value.key == "xiaozhi.docker_only"


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


# --- xiaozhi's merge --------------------------------------------------------------------------


def test_merge_is_recursive_and_custom_wins():
    default = {"a": {"x": 1, "y": [1, 2]}, "b": 1, "c": {"k": 1}}
    custom = {"a": {"y": [3], "z": 2}, "b": {"n": 1}, "c": None}
    assert xzfiles.merge_configs(default, custom) == {"a": {"x": 1, "y": [3], "z": 2}, "b": {"n": 1}, "c": None}


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


# --- bad input leaves the file byte-identical -------------------------------------------------


@pytest.mark.parametrize(
    "text, key, line",
    [
        ("selected_module:\n  TTS: EdgeTTS\nTTS:\n  EdgeTTS: [edge\n  other: 1\n", "xiaozhi.yaml_error", 5),
        ("server:\n\tport: 8000\n", "xiaozhi.yaml_error", 2),
        ("TTS:\n  EdgeTTS: {}\nTTS:\n  X: {}\n", "xiaozhi.yaml_error", 3),  # duplicate key
        ("TTS:\n  - EdgeTTS\n", "xiaozhi.section_not_mapping", 1),
        ("TTS: EdgeTTS\n", "xiaozhi.section_not_mapping", 1),
        ("selected_module: EdgeTTS\n", "xiaozhi.section_not_mapping", 1),
        ("TTS:\n  GPT_SOVITS_V2: 1\n", "xiaozhi.section_not_mapping", 2),
        ("- a\n- b\n", "xiaozhi.config_not_mapping", None),
    ],
)
def test_malformed_file_is_left_byte_identical(xdir, text, key, line):
    path = write_data(xdir, text)
    with pytest.raises(BadInput) as info:
        xz.plan(xdir, target("v2"))
    assert info.value.key == key
    if line is not None:
        assert info.value.params["line"] == line
    assert info.value.params["path"] == str(path)
    assert path.read_text(encoding="utf-8") == text
    assert backups(xdir) == []


def test_not_utf8(xdir):
    path = write_data(xdir, "# 注释\nTTS: {}\n", encoding="gbk")
    with pytest.raises(BadInput) as info:
        xz.plan(xdir, target("v2"))
    assert info.value.key == "fs.not_utf8"
    assert path.read_bytes() == "# 注释\nTTS: {}\n".encode("gbk")


def test_read_only_file(xdir):
    path = write_data(xdir, COMMENTED)
    p = xz.plan(xdir, target("v2"))
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        with pytest.raises(BadInput) as info:
            xz.apply(p)
        assert info.value.key == "xiaozhi.read_only"
        assert path.read_text(encoding="utf-8") == COMMENTED
        assert backups(xdir) == []
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


@pytest.mark.skipif(os.name == "nt", reason="folder permission bits are POSIX")
def test_read_only_folder(xdir):
    path = write_data(xdir, COMMENTED)
    p = xz.plan(xdir, target("v2"))
    path.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(BadInput) as info:
            xz.apply(p)
        assert info.value.key == "xiaozhi.read_only"
        assert info.value.params["path"] == str(path.parent)
    finally:
        path.parent.chmod(stat.S_IRWXU)
    assert path.read_text(encoding="utf-8") == COMMENTED
    assert backups(xdir) == []


def test_file_changed_between_plan_and_apply(xdir):
    path = write_data(xdir, COMMENTED)
    p = xz.plan(xdir, target("v2"))
    path.write_text(COMMENTED + "extra: 1\n", encoding="utf-8")
    with pytest.raises(BadInput) as info:
        xz.apply(p)
    assert info.value.key == "xiaozhi.changed_meanwhile"
    assert path.read_text(encoding="utf-8").endswith("extra: 1\n")


def test_a_failed_verification_restores_the_file(xdir, monkeypatch):
    path = write_data(xdir, COMMENTED)
    p = xz.plan(xdir, target("v2"))
    monkeypatch.setattr(xz, "_effective_problems", lambda *a, **k: ["simulated"])
    with pytest.raises(LauncherError) as info:
        xz.apply(p)
    assert info.value.key == "xiaozhi.verify_failed" and info.value.details == ["simulated"]
    assert path.read_text(encoding="utf-8") == COMMENTED
    assert backups(xdir) == []


def test_user_value_xiaozhi_cannot_read_is_reported(xdir):
    path = write_data(xdir, "TTS:\n  GPT_SOVITS_V2:\n    batch_size: viele\n")
    with pytest.raises(BadInput) as info:
        xz.plan(xdir, target("v2"))
    assert info.value.key == "xiaozhi.block_invalid" and info.value.params["field"] == "batch_size"
    assert path.read_text(encoding="utf-8") == "TTS:\n  GPT_SOVITS_V2:\n    batch_size: viele\n"


def test_merged_config_needs_the_data_file(xdir):
    with pytest.raises(MissingFile) as info:
        xzfiles.merged_config(xdir)
    assert info.value.key == "xiaozhi.data_config_missing"


# --- the provider's request -------------------------------------------------------------------


def test_v2_request_is_what_gpt_sovits_v2_posts():
    block = {
        "type": "gpt_sovits_v2", "url": "http://127.0.0.1:9880/tts", "ref_audio_path": REF,
        "prompt_text": PROMPT, "prompt_lang": "zh", "text_lang": "zh", "top_k": 15,
        "aux_ref_audio_paths": "/a/1.wav; /a/2.wav;", "speed_factor": 1.1, "seed": 0,
        "split_bucket": "false", "batch_size": "",
    }
    request = provider.provider_request(block, "你好")
    assert request.method == "POST" and request.url == "http://127.0.0.1:9880/tts" and request.params is None
    assert request.json == {
        "text": "你好", "text_lang": "zh", "ref_audio_path": REF,
        "aux_ref_audio_paths": ["/a/1.wav", "/a/2.wav"], "prompt_text": PROMPT, "prompt_lang": "zh",
        "top_k": 15, "top_p": 1.0, "temperature": 1.0, "text_split_method": "cut0",
        "batch_size": 1, "batch_threshold": 0.75, "split_bucket": False, "return_fragment": False,
        "speed_factor": 1.1, "streaming_mode": False, "seed": -1,  # `0` is falsy upstream: -1
        "parallel_infer": True, "repetition_penalty": 1.35,
    }
    assert list(request.json)[:3] == ["text", "text_lang", "ref_audio_path"]
    assert "media_type" not in request.json
    assert json.loads(request.body()) == request.json


def test_v2_ref_audio_and_ref_text_win():
    block = {"type": "gpt_sovits_v2", "url": "http://h:1/tts", "ref_audio_path": "/a.wav", "ref_audio": "/b.wav",
             "prompt_text": "甲", "ref_text": "乙"}
    body = provider.provider_request(block, "x").json
    assert body["ref_audio_path"] == "/b.wav" and body["prompt_text"] == "乙"
    assert body["text_lang"] == "zh" and body["prompt_lang"] == "zh"  # provider defaults


def test_v3_request_is_what_gpt_sovits_v3_gets():
    block = {
        "type": "gpt_sovits_v3", "url": "http://127.0.0.1:9880", "refer_wav_path": WIN_REF,
        "prompt_text": PROMPT, "top_k": 15, "speed": 1.1, "inp_refs": ["/a/1.wav", "/a/2.wav"],
        "if_sr": False,
    }
    request = provider.provider_request(block, "你好")
    assert request.method == "GET" and request.json is None
    assert request.params == [
        ("refer_wav_path", WIN_REF), ("prompt_text", PROMPT),  # prompt_language unset: left out
        ("text", "你好"), ("text_language", "audo"),  # upstream's default typo, hence always written
        ("top_k", "15"), ("top_p", "1.0"), ("temperature", "1.0"), ("cut_punc", ""), ("speed", "1.1"),
        ("inp_refs", "/a/1.wav"), ("inp_refs", "/a/2.wav"), ("sample_steps", "32"), ("if_sr", "False"),
    ]
    url = request.full_url()
    assert url.startswith("http://127.0.0.1:9880/?refer_wav_path=D%3A%5CGPT-SoVITS")
    assert "&cut_punc=&" in url and "&inp_refs=%2Fa%2F1.wav&inp_refs=%2Fa%2F2.wav&" in url


def test_unknown_block_type_and_bad_values():
    with pytest.raises(BadInput) as info:
        provider.provider_request({"type": "edge"}, "x", module="EdgeTTS")
    assert info.value.key == "xiaozhi.not_gsv_block"
    with pytest.raises(BadInput) as info:
        provider.provider_request({"type": "gpt_sovits_v3", "url": "http://h:1", "top_k": "abc"}, "x")
    assert info.value.key == "xiaozhi.block_invalid" and info.value.params["field"] == "top_k"
    with pytest.raises(BadInput) as info:
        provider.provider_request({"type": "gpt_sovits_v2", "url": "127.0.0.1:9880/tts"}, "x")
    assert info.value.params["field"] == "url"


def test_say_request_uses_the_shipped_defaults_of_the_block(xdir):
    request = xz.say_request(target("v2", params={}), "你好", xdir)
    assert request.json["text_split_method"] == "cut0" and request.json["top_k"] == 5
    assert request.json == xz.say_request(target("v2", params={}), "你好").json


# --- say against a recording HTTP server ------------------------------------------------------


def wav_bytes(frames: int = 3200, rate: int = 32000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x01\x00" * frames)
    return out.getvalue()


class Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list = []
        self.reply = (200, "audio/wav", wav_bytes())


class _Handler(BaseHTTPRequestHandler):
    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        parts = urlsplit(self.path)
        self.server.requests.append({
            "method": self.command,
            "path": parts.path,
            "query": parse_qsl(parts.query, keep_blank_values=True),
            "body": self.rfile.read(length) if length else b"",
            "content_type": self.headers.get("Content-Type"),
        })
        status, ctype, body = self.server.reply
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _handle

    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def recorder():
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def send(request: provider.Request):
    """A tiny stand-in for gsv_api.request: the request exactly as built."""
    req = urllib.request.Request(request.full_url(), data=request.body(), method=request.method,
                                 headers=request.headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_say_v2_posts_json_to_tts(recorder):
    port = recorder.server_address[1]
    request = xz.say_request(target("v2", port=port), "今天天气很好。")
    info = provider.check_answer(*send(request))
    assert info.sample_rate == 32000 and info.frames == 3200 and info.seconds == pytest.approx(0.1)
    (seen,) = recorder.requests
    assert seen["method"] == "POST" and seen["path"] == "/tts" and seen["query"] == []
    assert seen["content_type"] == "application/json"
    body = json.loads(seen["body"])
    assert body == {
        "text": "今天天气很好。", "text_lang": "zh", "ref_audio_path": REF, "aux_ref_audio_paths": [],
        "prompt_text": PROMPT, "prompt_lang": "zh", "top_k": 15, "top_p": 1.0, "temperature": 1.0,
        "text_split_method": "cut5", "batch_size": 1, "batch_threshold": 0.75, "split_bucket": True,
        "return_fragment": False, "speed_factor": 1.1, "streaming_mode": False, "seed": -1,
        "parallel_infer": True, "repetition_penalty": 1.35,
    }


def test_say_api_py_gets_with_xiaozhis_query_names(recorder):
    port = recorder.server_address[1]
    t = target("v1", port=port, ref_audio=WIN_REF, params={"top_k": 20, "inp_refs": ["/x/甲.wav", "/x/乙.wav"]})
    provider.check_answer(*send(xz.say_request(t, "你好，旅行者！")))
    (seen,) = recorder.requests
    assert seen["method"] == "GET" and seen["path"] == "/" and seen["body"] == b""
    assert seen["query"] == [
        ("refer_wav_path", WIN_REF), ("prompt_text", PROMPT), ("prompt_language", "zh"),
        ("text", "你好，旅行者！"), ("text_language", "zh"), ("top_k", "20"), ("top_p", "1.0"),
        ("temperature", "1.0"), ("cut_punc", ""), ("speed", "1.0"),
        ("inp_refs", "/x/甲.wav"), ("inp_refs", "/x/乙.wav"), ("sample_steps", "32"), ("if_sr", "False"),
    ]


def test_say_v2_reference_length_400(recorder):
    recorder.reply = (400, "application/json", json.dumps(
        {"message": "tts failed", "Exception": "参考音频在3~10秒范围外，请更换！"}, ensure_ascii=False).encode())
    status, body = send(xz.say_request(target("v2", port=recorder.server_address[1]), "你好"))
    with pytest.raises(BadInput) as info:
        provider.check_answer(status, body)
    assert info.value.key == "xiaozhi.say.rejected.ref_length"
    assert info.value.params == {"status": 400, "upstream": "tts failed: 参考音频在3~10秒范围外，请更换！"}


def test_say_api_py_without_reference_400(recorder):
    recorder.reply = (400, "application/json", json.dumps(
        {"code": 400, "message": "未指定参考音频且接口无预设"}, ensure_ascii=False).encode())
    status, body = send(xz.say_request(target("v1", port=recorder.server_address[1]), "你好"))
    with pytest.raises(BadInput) as info:
        provider.check_answer(status, body)
    assert info.value.key == "xiaozhi.say.rejected.no_reference"


def test_say_answer_that_is_not_wav(recorder):
    recorder.reply = (200, "application/json", b'{"detail": "Not Found"}')
    with pytest.raises(BadInput) as info:
        provider.check_answer(*send(xz.say_request(target("v2", port=recorder.server_address[1]), "你好")))
    assert info.value.key == "xiaozhi.say.not_wav"


def test_server_error_is_not_bad_input():
    with pytest.raises(ServerFailed) as info:
        provider.check_answer(500, b"Internal Server Error")
    assert info.value.key == "xiaozhi.say.rejected.unknown"


def test_wav_checks():
    streamed = bytearray(wav_bytes(100))
    data_at = bytes(streamed).index(b"data")
    streamed[data_at + 4 : data_at + 8] = b"\xff\xff\xff\xff"  # size unknown while streaming
    assert provider.check_wav(bytes(streamed)).frames == 100
    with pytest.raises(BadInput) as info:
        provider.check_wav(wav_bytes(0))
    assert info.value.key == "xiaozhi.say.empty_wav"
    with pytest.raises(BadInput):
        provider.check_wav(b"RIFF\x00\x00\x00\x00WAVE")


# --- the message catalog ----------------------------------------------------------------------


def test_every_xiaozhi_key_has_both_languages():
    from launcher import messages
    from launcher.xiaozhi.provider import _CAUSES

    source = "".join(p.read_text(encoding="utf-8") for p in Path(xz.__file__).parent.glob("*.py"))
    keys = set(re.findall(r'"(xiaozhi\.[a-z_.]+)"', source))
    keys |= {f"xiaozhi.say.rejected.{cause}" for _needle, cause in _CAUSES}
    keys |= {"xiaozhi.say.rejected.unknown"}
    assert len(keys) > 25
    for key in sorted(keys):
        entry = messages.CATALOG.get(key)
        assert entry and entry.get("zh") and entry.get("en"), key
    for key, entry in messages.CATALOG.items():
        if key.startswith("xiaozhi."):
            assert entry.get("zh") and entry.get("en"), key


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
