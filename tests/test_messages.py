"""Every message key the code uses is in the one catalog, in both languages.

The catalog is data (launcher/locales/<lang>.json), read on first use.
"""

from __future__ import annotations

import ast
import json
import os
import re
import string
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from launcher import messages
from launcher.gsv import failures

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "launcher"
LOCALE_FILES = {lang: PACKAGE / "locales" / f"{lang}.json" for lang in messages.LANGUAGES}
KEYED_CALLS = {
    "t", "Notice", "LauncherError", "BadInput", "MissingFile", "PortBusy", "ServerFailed",
    "ReadyTimeout", "NotRunning", "NotOurs", "Interrupted", "_failed", "CheckResult",
}
KEY_RE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")


def _used_keys() -> set[str]:
    keys = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in KEYED_CALLS:
                continue
            for arg in node.args[:2]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and KEY_RE.match(arg.value):
                    keys.add(arg.value)
    keys |= {f"failure.{name}" for name, _, _ in failures.PATTERNS}
    return keys


def test_every_used_key_is_in_the_catalog():
    missing = sorted(k for k in _used_keys() if k not in messages.CATALOG)
    assert missing == []


@pytest.mark.parametrize("key", sorted(messages.CATALOG))
def test_both_languages_with_the_same_placeholders(key):
    entry = messages.CATALOG[key]
    assert entry.get("zh") and entry.get("en"), key
    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}
    assert fields(entry["zh"]) == fields(entry["en"]), key


def _no_duplicates(pairs: list[tuple[str, str]]) -> dict[str, str]:
    dupes = sorted(k for k, n in Counter(k for k, _ in pairs).items() if n > 1)
    assert dupes == [], dupes
    return dict(pairs)


def _read(path: Path) -> dict[str, str]:
    return json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_no_duplicates)


def test_the_duplicate_check_catches_a_key_defined_twice():
    with pytest.raises(AssertionError, match="fs.not_found"):
        json.loads('{"fs.not_found": "a", "x.y": "b", "fs.not_found": "c"}', object_pairs_hook=_no_duplicates)


def test_no_key_is_defined_twice():
    for path in LOCALE_FILES.values():
        _read(path)  # _no_duplicates fails on a repeated key


def test_both_files_parse_with_the_same_keys_in_the_same_order():
    zh, en = (_read(LOCALE_FILES[lang]) for lang in ("zh", "en"))
    assert len(zh) > 500
    assert list(zh) == list(en)
    for texts in (zh, en):
        assert all(isinstance(text, str) for text in texts.values())


def test_files_keep_the_editable_layout():
    # Two-space indent, real characters instead of \u escapes, final newline: stable diffs.
    for path in LOCALE_FILES.values():
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n", path.name


def test_catalog_is_the_files():
    zh, en = (_read(LOCALE_FILES[lang]) for lang in ("zh", "en"))
    assert list(messages.CATALOG) == list(zh)
    assert dict(messages.CATALOG) == {key: {"zh": zh[key], "en": en[key]} for key in zh}
    assert "no.such.key" not in messages.CATALOG and not messages.has("no.such.key")
    assert messages.t("no.such.key", port=1) == "no.such.key {'port': 1}"


def _fresh_python(code: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_files_are_read_on_first_use_only():
    out = _fresh_python(
        "from launcher import messages as m\n"
        "print(sorted(m._texts))\n"
        "m.set_language('en'); m.t('error.line', message='x'); print(sorted(m._texts))\n"
        "m.set_language('zh'); m.t('error.line', message='x'); print(sorted(m._texts))\n"
    )
    assert out.splitlines() == ["[]", "['en']", "['en', 'zh']"]


@pytest.mark.parametrize("lang, header", [("zh", "用法："), ("en", "Usage:")])
def test_help_reads_only_its_languages_catalog(lang, header):
    """Help is localized through the catalog (issue 17): `--help` reads the one file of
    its language, and no other."""
    out = _fresh_python(
        "import runpy, sys\n"
        f"sys.argv = ['sovits-launch', '--lang', '{lang}', '--help']\n"
        "try:\n"
        "    runpy.run_module('launcher', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "from launcher import messages as m\n"
        "print('texts:', sorted(m._texts))\n"
    )
    assert out.splitlines()[-1] == f"texts: ['{lang}']"
    assert out.startswith(header)


def test_language_choice(monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    messages.set_language(None)
    assert messages.language() == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert messages.language() == "zh"
    monkeypatch.setenv("LANG", "C.UTF-8")  # CI, double-click without a locale: Chinese
    assert messages.language() == "zh"
    monkeypatch.setenv("SOVITS_LAUNCH_LANG", "en")
    assert messages.language() == "en"
    messages.set_language("zh")
    assert messages.language() == "zh"
    messages.set_language(None)
