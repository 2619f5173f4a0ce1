"""The one message catalog: key + params -> text, 简体中文 by default, English on request.

The texts are data: `locales/zh.json` and `locales/en.json` next to this module, one
flat JSON object per language (key -> text), with the same keys in the same order,
grouped by concern. A language's file is read once, on the first text asked for in
it, so a command that prints no catalog text (`--help`) never reads one.

Only `cli` imports this module. Every `LauncherError` key has an entry in both files, and
may have `<key>.hint` with what to do. A test checks that every key used in the
code is in the catalog, in both languages.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Iterator, Mapping
from typing import Any

ZH = "zh"
EN = "en"
LANGUAGES = (ZH, EN)  # ZH first: the reference, and the fallback for a missing text

# Next to this module, also in the one-file executable: PyInstaller sets a bundled
# module's __file__ inside its unpacked folder (sys._MEIPASS), and launcher.spec
# collects the package's data files into the same place.
LOCALES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locales")

_texts: dict[str, dict[str, str]] = {}  # language -> key -> text, filled on first use

_language = None  # set by cli from --lang; None = decide from the environment


def set_language(lang: str | None) -> None:
    global _language
    _language = _normalize(lang) if lang else None


def language() -> str:
    if _language:
        return _language
    env = os.environ.get("SOVITS_LAUNCH_LANG")
    if env:
        return _normalize(env)
    return _from_locale()


# How people write the two languages: `--lang cn` is Chinese, not "anything else".
_SPELLINGS = {
    ZH: ("zh", "cn", "chs", "chinese", "中文", "简体中文", "汉语"),
    EN: ("en", "eng", "english", "英文", "英语"),
}


def parse_language(lang: str) -> str | None:
    """ZH or EN for a spelling of either (`zh`, `zh_CN.UTF-8`, `cn`, `中文`, `en-US`, `english`),
    None for anything else."""
    value = lang.strip().lower()
    for code, spellings in _SPELLINGS.items():
        if value in spellings or value.startswith((code + "_", code + "-", code + ".")):
            return code
    return None


def _normalize(lang: str) -> str:
    """From the environment or a locale: Chinese when it says so, else English."""
    return parse_language(lang) or EN


def _from_locale() -> str:
    """Chinese unless the system locale is clearly something else.

    Our users are on Chinese Windows; an unset or C locale (CI, Docker,
    double-click without LANG) should not switch them to English.
    """
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            if value.split(".")[0] in ("C", "POSIX"):
                return ZH
            return _normalize(value)
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    if not code or code in ("C", "POSIX"):
        return ZH
    return ZH if code.lower().startswith(("zh", "chinese")) else EN


def t(key: str, /, **params: Any) -> str:
    """The text for `key` in the current language, filled with `params`."""
    text = _text(key)
    if text is None:
        return key + (" " + repr(params) if params else "")
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def template(key: str) -> str:
    """The text for `key` unfilled, for a caller that fills it itself (click's sentences)."""
    text = _text(key)
    return key if text is None else text


def has(key: str) -> bool:
    return _text(key) is not None


def _text(key: str) -> str | None:
    """The current language's text, else the Chinese one; None for an unknown key."""
    text = _load(language()).get(key)
    if not text:  # the Chinese file is read only when the current language lacks the text
        text = _load(ZH).get(key, text)
    return text


def _load(lang: str) -> dict[str, str]:
    texts = _texts.get(lang)
    if texts is None:
        import json  # here, not at the top: `--help` reads no catalog and needs no json

        with open(os.path.join(LOCALES, f"{lang}.json"), encoding="utf-8") as f:
            texts = _texts[lang] = json.load(f)
    return texts


class _Catalog(Mapping):
    """The whole catalog as key -> {"zh": text, "en": text}, for tests and checks.

    Reads the files on first use, like `t`. Its keys are the Chinese file's.
    """

    def __getitem__(self, key: str) -> dict[str, str]:
        entry = {}
        for lang in LANGUAGES:
            texts = _load(lang)
            if key in texts:
                entry[lang] = texts[key]
        if not entry:
            raise KeyError(key)
        return entry

    def __iter__(self) -> Iterator[str]:
        return iter(_load(ZH))

    def __len__(self) -> int:
        return len(_load(ZH))


CATALOG: Mapping[str, dict[str, str]] = _Catalog()
