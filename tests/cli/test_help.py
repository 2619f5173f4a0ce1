"""--help in both languages: English on request (--lang, SOVITS_LAUNCH_LANG, the locale),
Chinese headers in Chinese, summaries never cut, lines no wider than the terminal, every
word a verb takes listed in its help, every help text from the catalog."""

from __future__ import annotations

import inspect
import re

import pytest
import typer
from rich.cells import cell_len

from launcher import messages
from launcher.cli import app, run
from launcher.cli.helptext import KEY_RE, wrap_cells

VERBS = [info.name for info in app.registered_commands]
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _help(capsys, *args: str) -> str:
    assert run([*args, "--help"]) == 0
    return capsys.readouterr().out


def test_every_verb_is_listed_and_checked():
    assert {"init", "list", "status", "start", "stop", "logs", "demo", "bat", "patch-config", "xiaozhi", "say",
            "import", "doctor"} <= set(VERBS)


@pytest.mark.parametrize("verb", [None, *VERBS])
@pytest.mark.parametrize("how", ["--lang", "env", "locale"])
def test_english_help_for_every_verb(verb, how, monkeypatch, capsys):
    args = [verb] if verb else []
    if how == "--lang":
        args = ["--lang", "en", *args]
    elif how == "env":
        monkeypatch.setenv("SOVITS_LAUNCH_LANG", "en")
    else:
        monkeypatch.setenv("LANG", "en_US.UTF-8")
        monkeypatch.delenv("LC_ALL", raising=False)
        monkeypatch.delenv("LC_MESSAGES", raising=False)
    out = _help(capsys, *args)
    assert out.startswith("Usage: sovits-launch") and "Options:" in out and "选项" not in out
    for line in out.splitlines():
        # Chinese only in examples and sample names (纳西妲.bat, D:\下载\纳西妲.zip, "你好").
        if CJK.search(line):
            assert "sovits-launch" in line or "纳西妲" in line, line


@pytest.mark.parametrize("verb", [None, *VERBS])
def test_chinese_help_has_chinese_headers(verb, monkeypatch, capsys):
    monkeypatch.setenv("SOVITS_LAUNCH_LANG", "zh")
    out = _help(capsys, *([verb] if verb else []))
    assert out.startswith("用法：sovits-launch") and "选项：" in out
    for english in ("Usage", "Options", "Arguments", "Commands", "Show this message", "[required]", "[default"):
        assert english not in out
    if verb in ("start", "say", "xiaozhi", "import"):
        assert "参数：" in out


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [80, 120])
def test_the_command_list_shows_every_summary_whole_on_one_line(lang, width, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", str(width))
    out = _help(capsys, "--lang", lang)
    listing = out.split(messages.CATALOG["help.commands"][lang] + messages.CATALOG["help.colon"][lang] + "\n")[1].splitlines()
    rows = {line.split()[0]: line for line in listing if line.strip()}
    assert set(rows) == set(VERBS)  # one line each: a wrapped summary would add a row
    for verb, line in rows.items():
        summary = messages.CATALOG[f"help.{verb.replace('-', '_')}.short"][lang]
        assert line.rstrip().endswith(summary) and "..." not in line


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("verb", [None, *VERBS])
def test_no_help_line_is_wider_than_80_columns(verb, lang, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "80")
    out = _help(capsys, "--lang", lang, *([verb] if verb else []))
    assert max(cell_len(line) for line in out.splitlines()) <= 80


def test_every_word_a_verb_takes_is_in_its_help(capsys):
    from launcher.cli import xiaozhi_cmd

    for lang in ("zh", "en"):
        out = _help(capsys, "--lang", lang, "xiaozhi")
        section = out.split(messages.CATALOG["help.commands"][lang] + messages.CATALOG["help.colon"][lang] + "\n")[1]
        for word, key in xiaozhi_cmd.SUBCOMMANDS.items():
            assert "".join(messages.CATALOG[key][lang].split()) in "".join(section.split())  # wrapped lines rejoined
        assert "set-dir" in section and "check" in section


def test_every_help_text_is_a_catalog_key():
    """A literal would stay in one language: every help, summary and metavar is a key."""
    infos = [app.registered_callback] + app.registered_commands
    for info in infos:
        if info is not app.registered_callback:
            assert KEY_RE.match(info.help or "") and KEY_RE.match(info.short_help or ""), info.name
        for name, parameter in inspect.signature(info.callback).parameters.items():
            declared = parameter.default
            if isinstance(declared, typer.models.ParameterInfo) and not getattr(declared, "hidden", False):
                assert declared.help and KEY_RE.match(declared.help), (info.name, name)
                assert declared.help in messages.CATALOG, declared.help


def test_wrapping_by_cells_breaks_between_chinese_characters_not_before_punctuation():
    lines = wrap_cells("  " + "纳西妲" * 10 + "，你好。", 24, "  ")
    assert all(cell_len(line) <= 24 for line in lines)
    assert not any(line.strip().startswith(("，", "。")) for line in lines)
    assert "".join(line.strip() for line in lines) == "纳西妲" * 10 + "，你好。"


def test_wrapping_keeps_english_words_whole():
    lines = wrap_cells("Check the package, the GPU, xiaozhi and every profile", 20)
    assert lines == ["Check the package,", "the GPU, xiaozhi and", "every profile"]
