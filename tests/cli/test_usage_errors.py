"""click's own usage errors (unknown option, missing argument, a value that is not a
number) speak the user's language: Chinese by default, click's English on request.

These run under both click lines CI installs (8.1 on Python 3.9, 8.2+ on 3.11), whose
wordings differ; the table in launcher/cli/clickwords.py lists both.
"""

from __future__ import annotations

import json
import re

import pytest

from helpers import run_cli

ASCII_WORD = re.compile(r"[A-Za-z]{3,}")

# (what the user typed, a phrase of the Chinese error, a phrase of click's English one)
CASES = [
    (["--bogus"], "没有这个选项：--bogus", "No such option"),
    (["stop", "--prot", "1"], "是不是", "Did you mean"),
    (["stop", "--port", "abc"], "不是有效的整数", "is not a valid integer"),
    (["stop", "--port"], "后面要跟一个值", "requires an argument"),
    (["stop", "--all=yes"], "不接受值", "does not take a value"),
    (["ref"], "缺少参数", "Missing argument"),
    (["status", "extra", "words"], "多出了参数", "unexpected extra argument"),
]


def _error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if "✗" in line]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("args, zh, en", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_chinese_usage_errors_are_chinese(args, zh, en, capsys):
    code, out, err = run_cli(capsys, *args)
    assert code == 2
    line = _error_line(err)
    assert zh in line and en not in line
    # No English left but what the user typed and the names of options it suggests.
    typed = {word.lower() for arg in args for word in ASCII_WORD.findall(arg)}
    leftover = [w for w in ASCII_WORD.findall(line) if w.lower() not in typed | {"port"}]
    assert leftover == [], line
    assert not line.rstrip().endswith(".")  # click's own full stop became 。


def test_the_usage_line_and_where_help_is_are_chinese_too(capsys):
    code, out, err = run_cli(capsys, "stop", "--port", "abc")
    assert "用法：sovits-launch stop [选项] [角色]" in err
    assert "运行 sovits-launch stop -h 查看帮助。" in err


@pytest.mark.parametrize("args, zh, en", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_english_usage_errors_are_clicks_own(args, zh, en, capsys):
    code, out, err = run_cli(capsys, "--lang", "en", *args)
    assert code == 2
    line = _error_line(err)
    assert en in line and zh not in line
    assert not re.search(r"[\u4e00-\u9fff]", line), line


def test_a_usage_error_in_json_is_the_error_envelope_in_chinese(capsys):
    code, out, err = run_cli(capsys, "list", "--json", "--bogus")
    assert code == 2
    error = json.loads(out)["error"]
    assert error["key"] == "usage" and error["exit_code"] == 2
    assert error["message"].startswith("没有这个选项：--bogus")


def test_chinese_after_english_in_one_process(capsys):
    """The lookup follows the language of each run, not the first one."""
    run_cli(capsys, "--lang", "en", "--bogus")
    code, out, err = run_cli(capsys, "--bogus")
    assert "没有这个选项" in _error_line(err)


def test_every_text_in_the_table_has_its_catalog_entry():
    from launcher import messages
    from launcher.cli import clickwords

    keys = set(clickwords.TEXTS.values()) | set(clickwords.WORDS.values())
    assert sorted(k for k in keys if k not in messages.CATALOG) == []
    assert sorted(k for k in messages.CATALOG if k.startswith("click.") and k not in keys) == []


def test_a_global_option_after_the_verb_is_shown_where_it_goes(capsys):
    code, out, err = run_cli(capsys, "list", "--lang", "en")
    assert code == 2
    assert "--lang 是全局选项，要写在命令之前：sovits-launch --lang en list" in err
    code, out, err = run_cli(capsys, "status", "--json", "--debug")
    assert code == 2 and json.loads(out)["error"]["hint"].endswith("sovits-launch --debug status --json")


@pytest.mark.parametrize("value, header", [("cn", "角色"), ("中文", "角色"), ("zh_CN.UTF-8", "角色"),
                                           ("English", "PROFILE"), ("en-US", "PROFILE")])
def test_how_people_write_the_two_languages(value, header, isolated_home, capsys):
    from helpers import write_profile

    write_profile(isolated_home, "nahida", "name: nahida\nroot: /nowhere\ngpt: a.ckpt\nsovits: b.pth\n"
                  "ref_audio: c.wav\nprompt_text: 你好\nprompt_lang: zh\ntext_lang: zh\n")
    code, out, err = run_cli(capsys, "--lang", value, "list")
    assert code == 0, err
    assert out.split()[0] == header


def test_an_unknown_language_is_refused_in_the_default_one(capsys):
    code, out, err = run_cli(capsys, "--lang", "xx", "list")
    assert code == 2
    assert "不认识的语言“xx”" in err and "zh（中文）或 en（英文）" in err
