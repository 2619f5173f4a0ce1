"""xiaozhi's data/.config.yaml with YAML's other features: merge keys (`<<: *base`), anchors
and aliases, tags, several documents, duplicate keys, aliases that loop or explode.

Each is edited correctly (xiaozhi, reading the file with PyYAML, gets exactly our values and
everything else as before) or refused with a keyed message and the file untouched; never a
KeyError or any other crash."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from launcher.errors import BadInput, LauncherError
from launcher.xiaozhi import config as xz
from launcher.xiaozhi import files as xzfiles
from launcher.xiaozhi import yaml_edit as yml
from helpers.xiaozhi_tree import REF, as_xiaozhi_reads, data_file, target, write_data, xdir  # noqa: F401

MODULE = "GPT_SOVITS_V2"


def _edit(xdir, text):
    path = write_data(xdir, text)
    before = path.read_bytes()
    try:
        plan = xz.plan(xdir, target("v2"))
    except BadInput as exc:
        assert path.read_bytes() == before
        return exc
    xz.apply(plan)
    return as_xiaozhi_reads(path)


def _effective(xdir) -> dict:
    return xzfiles.merged_config(xdir)["TTS"][MODULE]


def test_merge_key_in_our_block_is_edited_and_the_base_kept(xdir):
    text = (
        "defaults: &base\n"
        "  type: gpt_sovits_v2\n"
        "  url: http://old:9880/tts\n"
        "  text_lang: ja\n"
        "  output_dir: tmp/\n"
        "TTS:\n"
        f"  {MODULE}:\n"
        "    <<: *base\n"
        "    prompt_lang: en\n"
    )
    after = _edit(xdir, text)
    assert after["defaults"] == {"type": "gpt_sovits_v2", "url": "http://old:9880/tts", "text_lang": "ja",
                                 "output_dir": "tmp/"}  # the anchor's own values are untouched
    block = after["TTS"][MODULE]
    assert block["url"] == "http://127.0.0.1:9880/tts" and block["text_lang"] == "zh"  # ours win over the merge
    assert block["output_dir"] == "tmp/"  # still inherited
    assert "<<: *base" in data_file(xdir).read_text(encoding="utf-8")
    assert _effective(xdir)["ref_audio_path"] == REF


def test_a_block_made_only_of_merges(xdir):
    text = "a: &a {type: gpt_sovits_v2}\nb: &b {top_k: 3}\nTTS:\n  " + MODULE + ":\n    <<: [*a, *b]\n"
    after = _edit(xdir, text)
    assert after["TTS"][MODULE]["url"] == "http://127.0.0.1:9880/tts" and after["b"] == {"top_k": 3}


@pytest.mark.parametrize(
    "text,section",
    [
        # TTS is an alias of another mapping: writing into it would write into `shared` too.
        ("shared: &s\n  " + MODULE + ":\n    type: gpt_sovits_v2\nTTS: *s\n", "TTS"),
        # Our block comes from a merge into TTS: it is the anchor's mapping.
        ("common: &c\n  " + MODULE + ":\n    type: gpt_sovits_v2\nTTS:\n  <<: *c\n", f"TTS.{MODULE}"),
        # Our block is an alias.
        ("mine: &m\n  type: gpt_sovits_v2\n  url: http://x\nTTS:\n  " + MODULE + ": *m\n", f"TTS.{MODULE}"),
        # selected_module shared with another section, and it must change.
        ("other: &o\n  TTS: EdgeTTS\nselected_module: *o\n", "selected_module"),
    ],
)
def test_shared_sections_are_refused_by_name(xdir, text, section):
    exc = _edit(xdir, text)
    assert isinstance(exc, BadInput) and exc.key == "xiaozhi.yaml_shared", exc
    assert exc.params["section"] == section and exc.params["line"] != "?"


def test_a_shared_section_that_needs_no_change_is_fine(xdir):
    text = "other: &o\n  TTS: " + MODULE + "\nselected_module: *o\n"
    after = _edit(xdir, text)
    assert after["selected_module"] == {"TTS": MODULE} and after["other"] == {"TTS": MODULE}


def test_an_anchored_value_we_replace_leaves_its_aliases_alone(xdir):
    text = "TTS:\n  " + MODULE + ":\n    url: &u http://old:9880/tts\nbackup_url: *u\n"
    after = _edit(xdir, text)
    assert after["backup_url"] == "http://old:9880/tts"
    assert after["TTS"][MODULE]["url"] == "http://127.0.0.1:9880/tts"


def test_standard_tags_are_edited(xdir):
    text = "TTS: !!map\n  " + MODULE + ":\n    type: !!str gpt_sovits_v2\n    output_dir: !!str tmp/\n    batch_size: !!int 3\n"
    after = _edit(xdir, text)
    block = after["TTS"][MODULE]
    assert (block["type"], block["output_dir"], block["batch_size"]) == ("gpt_sovits_v2", "tmp/", 3)
    assert block["url"] == "http://127.0.0.1:9880/tts"


@pytest.mark.parametrize("tag", ["!foo", "!!python/object:os.system"])
def test_a_tag_xiaozhi_cannot_read_is_refused(xdir, tag):
    exc = _edit(xdir, f"TTS: {tag}\n  {MODULE}: {{}}\n")
    assert exc.key == "xiaozhi.yaml_unknown_tag" and exc.params["line"] == 1


def test_several_documents_are_refused(xdir):
    exc = _edit(xdir, "TTS:\n  EdgeTTS: {}\n---\nselected_module:\n  TTS: EdgeTTS\n")
    assert (exc.key, exc.params["line"]) == ("xiaozhi.yaml_several_documents", 3)


def test_duplicate_keys_are_refused(xdir):
    exc = _edit(xdir, "TTS:\n  EdgeTTS: {}\nTTS:\n  " + MODULE + ": {}\n")
    assert exc.key == "xiaozhi.yaml_error"  # ruamel refuses what PyYAML would silently halve
    assert exc.params["line"] in (3, 4)


def test_aliases_that_loop_or_explode_are_refused(xdir):
    assert _edit(xdir, "a: &a [*a]\n").key == "xiaozhi.yaml_alias_loop"
    laughs = 'l0: &a0 "ha"\n' + "".join(f"l{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 10))
    assert _edit(xdir, laughs).key == "xiaozhi.yaml_alias_bomb"


# --- any arrangement of anchors, aliases and merges ------------------------------------------------

BASES = [
    "",
    "defaults: &d\n  type: gpt_sovits_v2\n  url: http://old:1/tts\n  text_lang: ja\n",
    "defaults: &d {type: gpt_sovits_v2, top_k: 7}\n",
]
GROUPS = [
    "",
    "group: &g\n  " + MODULE + ":\n    type: gpt_sovits_v2\n",
    "group: &g\n  EdgeTTS:\n    voice: zh-CN\n",
]
SELECTED = [
    "",
    "selected_module:\n  TTS: EdgeTTS\n  LLM: ChatGLMLLM\n",
    "sel: &s\n  TTS: EdgeTTS\nselected_module: *s\n",
    "sel: &s\n  TTS: " + MODULE + "\nselected_module:\n  <<: *s\n  ASR: FunASR\n",
    "selected_module: &s2\n  TTS: EdgeTTS\nalso_selected: *s2\n",
]
TTS = [
    "",
    "TTS:\n  " + MODULE + ":\n    <<: *d\n    prompt_lang: en\n",
    "TTS:\n  " + MODULE + ":\n    <<: [*d]\n",
    "TTS: *g\n",
    "TTS:\n  <<: *g\n  EdgeTTS: {voice: x}\n",
    "TTS:\n  " + MODULE + ": *d\n",
    "TTS:\n  " + MODULE + ": &mine\n    type: gpt_sovits_v2\nmirror: *mine\n",
    "TTS: !!map\n  " + MODULE + ": !!map\n    url: !!str http://tagged/tts\n",
    "TTS:\n  " + MODULE + ":\n    url: &u http://old:2/tts\nkeep: *u\n",
]
EXTRA = ["", "extra: *d\n", "extra: [*g, *g]\n", "extra:\n  <<: *d\n"]
ALLOWED = {"xiaozhi.yaml_shared", "xiaozhi.yaml_error", "xiaozhi.section_not_mapping"}


def _document(base, group, selected, tts, extra) -> str | None:
    text = base + group + selected + tts + extra
    if ("*d" in text and "&d" not in base) or ("*g" in text and "&g" not in group):
        return None  # an alias of an anchor the document does not have
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(BASES), st.sampled_from(GROUPS), st.sampled_from(SELECTED), st.sampled_from(TTS),
       st.sampled_from(EXTRA))
def test_any_arrangement_is_edited_exactly_or_refused_by_key(xdir, base, group, selected, tts, extra):
    text = _document(base, group, selected, tts, extra)
    if text is None or text == "":
        return
    before = yaml.safe_load(text)
    path = write_data(xdir, text)
    for old in path.parent.glob(".config.yaml.*"):
        old.unlink()
    try:
        plan = xz.plan(xdir, target("v2"))
    except BadInput as exc:
        assert exc.key in ALLOWED, (exc.key, exc.params, text)
        assert path.read_text(encoding="utf-8") == text
        return
    except LauncherError as exc:  # verify_failed would say "a sovits-launch bug"
        raise AssertionError((exc.key, exc.params, text))
    xz.apply(plan)
    after = as_xiaozhi_reads(path)
    # Every top-level entry but ours means what it meant.
    for key in set(before) | set(after):
        if key not in ("selected_module", "TTS"):
            assert yml.deep_equal(after.get(key), before.get(key)), (key, text)
    merged = xzfiles.merged_config(xdir)
    assert merged["selected_module"]["TTS"] == MODULE
    block = merged["TTS"][MODULE]
    assert (block["url"], block["ref_audio_path"], block["text_lang"]) == ("http://127.0.0.1:9880/tts", REF, "zh")
    # The other keys of selected_module and TTS are kept.
    for section in ("selected_module", "TTS"):
        old = before.get(section) if isinstance(before.get(section), dict) else {}
        for k, v in old.items():
            if (section, k) not in (("selected_module", "TTS"), ("TTS", MODULE)):
                assert yml.deep_equal(after[section][k], v), (section, k, text)
    assert not xz.plan(xdir, target("v2")).changed
