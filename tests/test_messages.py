"""Every message key the code uses is in the one catalog, in both languages."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from launcher import messages
from launcher.gsv import failures

PACKAGE = Path(__file__).resolve().parent.parent / "launcher"
KEYED_CALLS = {
    "t", "Notice", "LauncherError", "BadInput", "MissingFile", "PortBusy", "ServerFailed",
    "ReadyTimeout", "NotRunning", "_failed", "CheckResult",
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


def test_no_key_is_defined_twice():
    source = (PACKAGE / "messages.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and len(node.keys) > 50:
            names = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            dupes = sorted({n for n in names if names.count(n) > 1})
            assert dupes == []


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
