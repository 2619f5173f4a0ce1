"""The one message catalog: key + params -> text, 简体中文 by default, English on request.

Only `cli` imports this module. Every `LauncherError` key has an entry here, and
may have `<key>.hint` with what to do. A test checks that every key used in the
code is in the catalog, in both languages.
"""

from __future__ import annotations

import locale
import os
from typing import Any

ZH = "zh"
EN = "en"

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


def _normalize(lang: str) -> str:
    return ZH if lang.lower().startswith("zh") else EN


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


def t(key: str, **params: Any) -> str:
    """The text for `key` in the current language, filled with `params`."""
    entry = CATALOG.get(key)
    if entry is None:
        return key + (" " + repr(params) if params else "")
    text = entry.get(language()) or entry[ZH]
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def has(key: str) -> bool:
    return key in CATALOG


# Each entry: key -> {"zh": ..., "en": ...}. Sections per concern keep merges apart.
CATALOG: dict[str, dict[str, str]] = {
    # --- common / files -------------------------------------------------------
    "error.prefix": {"zh": "错误", "en": "Error"},
    "hint.prefix": {"zh": "怎么办", "en": "What to do"},
    "error.unexpected": {
        "zh": "出现了意外错误：{error}",
        "en": "Unexpected error: {error}",
    },
    "error.unexpected.hint": {
        "zh": "加上 --debug 重新运行可看到详细信息；请把它附在问题反馈里。",
        "en": "Run again with --debug for details and include them in a bug report.",
    },
    "error.interrupted": {"zh": "已取消（Ctrl+C）。", "en": "Cancelled (Ctrl+C)."},
    "fs.write_failed": {
        "zh": "无法写入文件 {path}：{reason}",
        "en": "Cannot write {path}: {reason}",
    },
    "fs.write_failed.hint": {
        "zh": "检查磁盘空间和文件夹的写入权限（文件是否只读、是否被其它程序占用）。原文件没有被改动。",
        "en": "Check free disk space and write permission (read-only file? open in another program?). The original file is unchanged.",
    },
    "fs.backup_failed": {
        "zh": "无法备份 {path}：{reason}；为了不丢失内容，没有做任何修改。",
        "en": "Cannot back up {path}: {reason}; nothing was changed so nothing is lost.",
    },
    "fs.read_failed": {"zh": "无法读取 {path}：{reason}", "en": "Cannot read {path}: {reason}"},
    "fs.not_found": {"zh": "找不到文件：{path}", "en": "File not found: {path}"},
    "fs.not_utf8": {
        "zh": "{path} 不是 UTF-8 编码（第 {line} 行附近）。",
        "en": "{path} is not UTF-8 (near line {line}).",
    },
    "fs.not_utf8.hint": {
        "zh": "用记事本打开，“另存为”时编码选 UTF-8。",
        "en": "Open it in an editor and save it as UTF-8.",
    },
    # --- profiles ---------------------------------------------------------------
    # --- package / audio ----------------------------------------------------------
    # --- server / registry --------------------------------------------------------
    # --- xiaozhi ------------------------------------------------------------------
    # --- bat ----------------------------------------------------------------------
    # --- doctor -------------------------------------------------------------------
    # --- packs --------------------------------------------------------------------
    # --- cli / ui -----------------------------------------------------------------
}
