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
    "lang.unknown": {
        "zh": "不认识的语言：{value}",
        "en": "Unknown language: {value}",
    },
    "lang.unknown.hint": {
        "zh": "可以写 WebUI 里的名字（中文、英文、日文、粤语、韩文、中英混合、日英混合、粤英混合、韩英混合、多语种混合、多语种混合(粤语)），或代码：{choices}。",
        "en": "Use a WebUI label (中文, 英文, 日文, 粤语, 韩文, 中英混合, 多语种混合 …) or a code: {choices}.",
    },
    "lang.unsupported_by_api": {
        "zh": "{api} 用这个模型（{version}）不支持语言 {value}（{code}）。",
        "en": "{api} with this model ({version}) does not support the language {value} ({code}).",
    },
    "lang.unsupported_by_api.hint": {
        "zh": "v1 模型只有中文、英文、日文；可用：{choices}。要用粤语或韩语，请换 v2 及以上的模型。",
        "en": "v1 models only know Chinese, English and Japanese; available: {choices}. Use a v2 or newer model for Cantonese or Korean.",
    },
    "package.root_missing": {
        "zh": "找不到 GPT-SoVITS 文件夹：{path}",
        "en": "GPT-SoVITS folder not found: {path}",
    },
    "package.root_missing.hint": {
        "zh": "检查路径是否写对（整合包解压后的那一层，里面有 api.py 和 GPT_SoVITS 文件夹）。",
        "en": "Check the path: it is the unpacked package folder that holds api.py and GPT_SoVITS.",
    },
    "package.not_gsv": {
        "zh": "{path} 不像是 GPT-SoVITS 整合包，缺少：{missing}",
        "en": "{path} does not look like a GPT-SoVITS package; missing: {missing}",
    },
    "package.not_gsv.hint": {
        "zh": "选整合包解压后的那一层文件夹（常见名字如 GPT-SoVITS-v2pro-20250604），不要选它的上一层或 runtime 文件夹。",
        "en": "Pick the unpacked package folder itself (e.g. GPT-SoVITS-v2pro-20250604), not its parent or its runtime folder.",
    },
    "package.no_runtime": {
        "zh": "整合包里没有找到 Python：{path} 下没有 python.exe",
        "en": "No Python found in the package: {path} has no python.exe",
    },
    "package.no_runtime.hint": {
        "zh": "整合包可能没有解压完整，请重新解压；源码安装的话，用 --python 指定装好依赖的 python。",
        "en": "The package may be incompletely unpacked: unpack it again. For a source install, pass --python with the interpreter that has the dependencies.",
    },
    "package.python_missing": {
        "zh": "指定的 Python 不存在：{path}",
        "en": "The given Python does not exist: {path}",
    },
    "package.python_missing.hint": {
        "zh": "检查 --python 或配置里的 python 路径；不指定时会使用整合包自带的 runtime\\python.exe。",
        "en": "Check --python or the python setting; without it the package's own runtime\\python.exe is used.",
    },
    "package.no_api_script": {
        "zh": "整合包 {root} 里没有 {script}",
        "en": "{script} is missing from the package {root}",
    },
    "package.no_api_script.hint": {
        "zh": "较旧的整合包只有 api.py：改用 --v1；或者换用较新的整合包（带 api_v2.py）。",
        "en": "Older packages only ship api.py: use --v1, or get a newer package with api_v2.py.",
    },
    "weights.unknown_format": {
        "zh": "无法识别的模型文件：{path}（{reason}）",
        "en": "Unrecognised weight file: {path} ({reason})",
    },
    "weights.unknown_format.hint": {
        "zh": "文件可能没下载完整或已损坏，或者不是 GPT-SoVITS 的 SoVITS 权重（.pth）。请重新下载或重新训练导出。",
        "en": "The file may be incomplete or damaged, or not a GPT-SoVITS SoVITS weight (.pth). Download or export it again.",
    },
    "audio.not_found": {
        "zh": "找不到参考音频：{path}",
        "en": "Reference audio not found: {path}",
    },
    "audio.not_found.hint": {
        "zh": "检查配置里的 ref_audio 路径；相对路径是相对于 GPT-SoVITS 根目录的。",
        "en": "Check ref_audio in the profile; relative paths start at the GPT-SoVITS root.",
    },
    "audio.not_wav": {
        "zh": "{path} 不是有效的 WAV 文件（{reason}）",
        "en": "{path} is not a valid WAV file ({reason})",
    },
    "audio.not_wav.hint": {
        "zh": "文件可能损坏，或只是改了扩展名。用音频软件重新导出为 WAV，或让整合包的 ffprobe 来读取其它格式。",
        "en": "The file may be damaged or only renamed. Export it again as WAV, or let the package's ffprobe read other formats.",
    },
    "audio.need_ffprobe": {
        "zh": "无法测量 {path} 的时长：不是 WAV，且没有找到 ffprobe",
        "en": "Cannot measure {path}: not a WAV file and no ffprobe found",
    },
    "audio.need_ffprobe.hint": {
        "zh": "把参考音频转成 WAV，或确认整合包的 runtime 文件夹里有 ffprobe.exe。",
        "en": "Convert the reference to WAV, or make sure the package's runtime folder has ffprobe.exe.",
    },
    "audio.probe_failed": {
        "zh": "ffprobe 无法读取 {path}：{reason}",
        "en": "ffprobe could not read {path}: {reason}",
    },
    "audio.probe_failed.hint": {
        "zh": "文件可能损坏或格式不受支持，请转成 WAV 后再试。",
        "en": "The file may be damaged or in an unsupported format; convert it to WAV and try again.",
    },
    # --- server / registry --------------------------------------------------------
    # --- xiaozhi ------------------------------------------------------------------
    # --- bat ----------------------------------------------------------------------
    # --- doctor -------------------------------------------------------------------
    # --- packs --------------------------------------------------------------------
    # --- cli / ui -----------------------------------------------------------------
}
