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
    "bat.written": {
        "zh": "已生成 {path}",
        "en": "Wrote {path}",
    },
    "bat.replaced": {
        "zh": "已更新 {path}（旧文件备份为 {backup}）",
        "en": "Updated {path} (the old file is saved as {backup})",
    },
    "bat.unchanged": {
        "zh": "{path} 已是最新，没有改动。",
        "en": "{path} is already up to date; nothing changed.",
    },
    "bat.via.exe": {
        "zh": "双击后会运行同一文件夹里的 sovits-launch.exe。",
        "en": "Double-clicking it runs the sovits-launch.exe in the same folder.",
    },
    "bat.via.runtime": {
        "zh": "双击后会用整合包自带的 runtime\\python.exe 运行启动器（python -m launcher）。",
        "en": "Double-clicking it runs the launcher with the package's own runtime\\python.exe (python -m launcher).",
    },
    "bat.via.path": {
        "zh": "双击后会运行 PATH 里的 sovits-launch（例如用 pipx 安装的）。",
        "en": "Double-clicking it runs sovits-launch from PATH (e.g. installed with pipx).",
    },
    "bat.via.forced": {
        "zh": "（按 --via 的指定）",
        "en": "(as chosen with --via)",
    },
    "bat.by_filename": {
        "zh": "角色名“{name}”不是纯英文，所以它写在文件名里（文件内容只有英文字符）；改名后就找不到这个角色了。",
        "en": "The profile name \"{name}\" is not plain ASCII, so the file's own name carries it (the file's text stays ASCII); renaming the file breaks it.",
    },
    "bat.no_profiles": {
        "zh": "还没有任何角色配置，没有生成 .bat。",
        "en": "There are no profiles yet; no .bat was written.",
    },
    "bat.no_profiles.hint": {
        "zh": "先用 sovits-launch import 导入角色包，或在 profiles 文件夹里新建一个 .yaml。",
        "en": "Import a voice pack with `sovits-launch import`, or add a .yaml to the profiles folder.",
    },
    "bat.bad_via": {
        "zh": "--via 的值 “{via}” 不认识，可选：{choices}。",
        "en": "Unknown --via value \"{via}\"; choose one of: {choices}.",
    },
    "bat.unsafe_arg": {
        "zh": "参数 {arg!r} 不能安全地写进 .bat 文件。",
        "en": "The argument {arg!r} cannot be written into a .bat file safely.",
    },
    "bat.unsafe_arg.hint": {
        "zh": ".bat 里只能写英文字符；不能含双引号、换行，也不能以反斜杠结尾。中文的值请写进角色配置（.yaml）里。",
        "en": "A .bat can only hold ASCII text without double quotes or newlines, not ending in a backslash. Put non-ASCII values into the profile (.yaml) instead.",
    },
    "bat.absolute_arg": {
        "zh": "参数 {arg!r} 是绝对路径，不能写进 .bat（整合包搬家后就会失效）。",
        "en": "The argument {arg!r} is an absolute path; it is not written into a .bat (it would break when the package moves).",
    },
    "bat.absolute_arg.hint": {
        "zh": "把路径写进角色配置（.yaml），或用相对于整合包根目录的路径。",
        "en": "Put the path into the profile (.yaml), or use a path relative to the GPT-SoVITS root.",
    },
    "bat.filename_empty": {
        "zh": ".bat 的文件名不能为空。",
        "en": "The .bat file name cannot be empty.",
    },
    "bat.filename_chars": {
        "zh": "“{name}” 不能当文件名：Windows 不允许这些字符：{chars}",
        "en": "\"{name}\" cannot be a file name: Windows does not allow these characters: {chars}",
    },
    "bat.filename_chars.hint": {
        "zh": "用 --name 指定另一个文件名。",
        "en": "Choose another file name with --name.",
    },
    "bat.filename_ends": {
        "zh": "“{name}” 不能当文件名：开头或结尾有空格，或以句点结尾（Windows 会悄悄去掉它们）。",
        "en": "\"{name}\" cannot be a file name: it starts or ends with a space or ends with a dot (Windows silently drops them).",
    },
    "bat.filename_ends.hint": {
        "zh": "用 --name 指定另一个文件名。",
        "en": "Choose another file name with --name.",
    },
    "bat.filename_dash": {
        "zh": "“{name}” 以 - 开头，会被当成命令行选项。",
        "en": "\"{name}\" starts with '-', which would be read as a command-line option.",
    },
    "bat.filename_dash.hint": {
        "zh": "用 --name 指定另一个文件名。",
        "en": "Choose another file name with --name.",
    },
    "bat.filename_reserved": {
        "zh": "“{name}” 是 Windows 保留的设备名，不能当文件名。",
        "en": "\"{name}\" is a reserved device name on Windows and cannot be a file name.",
    },
    "bat.filename_reserved.hint": {
        "zh": "用 --name 指定另一个文件名。",
        "en": "Choose another file name with --name.",
    },
    "bat.filename_long": {
        "zh": "文件名 “{name}” 太长（最多 {limit} 个字符）。",
        "en": "The file name \"{name}\" is too long (at most {limit} characters).",
    },
    "bat.filename_long.hint": {
        "zh": "用 --name 指定一个短一点的文件名。",
        "en": "Choose a shorter file name with --name.",
    },
    "bat.name_mismatch": {
        "zh": "角色 “{profile}” 的名字不是纯英文，只能通过文件名传给启动器，所以文件名必须是 “{profile}” 或 “{display}”，不能是 “{name}”。",
        "en": "The profile \"{profile}\" has a non-ASCII name, which reaches the launcher only through the file name, so the file must be named \"{profile}\" or \"{display}\", not \"{name}\".",
    },
    "bat.name_mismatch.hint": {
        "zh": "去掉 --name，或把角色配置的 name 改成英文（例如 nahida），这样文件名就可以随便取。",
        "en": "Drop --name, or give the profile an ASCII name (e.g. nahida); then the file can have any name.",
    },
    "bat.runtime_unreachable": {
        "zh": "这个文件夹里的 .bat 无法找到整合包的 runtime\\python.exe：路径里有中文或在另一个盘上，而 .bat 里只能写英文。",
        "en": "A .bat in this folder cannot reach the package's runtime\\python.exe: the way there has non-ASCII folder names or another drive, and a .bat can only hold ASCII.",
    },
    "bat.runtime_unreachable.hint": {
        "zh": "把 .bat 生成在整合包根目录（不加 --out），或用 --via path / --via exe。",
        "en": "Write the .bat into the GPT-SoVITS root (no --out), or use --via path / --via exe.",
    },
    "bat.duplicate_name": {
        "zh": "角色 “{first}” 和 “{second}” 都会生成 {name}，会互相覆盖。",
        "en": "The profiles \"{first}\" and \"{second}\" would both write {name} and overwrite each other.",
    },
    "bat.duplicate_name.hint": {
        "zh": "改掉其中一个角色的 display_name，或用 sovits-launch bat <角色> --name <文件名> 分别生成。",
        "en": "Change one profile's display_name, or write them one by one with sovits-launch bat <profile> --name <file name>.",
    },
    "bat.warn_root_remembered": {
        "zh": "从 {out} 无法用英文相对路径找到整合包 {root}，.bat 里不写根目录；启动器会用 init 时记住的根目录。",
        "en": "From {out} the GPT-SoVITS root {root} cannot be reached by an ASCII relative path, so the .bat does not name it; the launcher uses the root remembered by init.",
    },
    "bat.warn_exe_missing": {
        "zh": "{path} 还不存在；请把 sovits-launch.exe 复制到那里，否则双击会失败。",
        "en": "{path} does not exist yet; copy sovits-launch.exe there, or double-clicking will fail.",
    },
    "bat.warn_runtime_missing": {
        "zh": "{python} 里还没有安装启动器；先运行：runtime\\python.exe -m pip install sovits-launch，否则双击会失败。",
        "en": "The launcher is not installed into {python} yet; run runtime\\python.exe -m pip install sovits-launch first, or double-clicking will fail.",
    },
    "bat.warn_not_on_path": {
        "zh": "现在 PATH 里找不到 sovits-launch，双击会失败。",
        "en": "sovits-launch is not on PATH right now, so double-clicking would fail.",
    },
    "bat.warn_not_on_path.hint": {
        "zh": "用 pipx install sovits-launch 安装（再运行 pipx ensurepath），或用 --via exe / --via runtime。",
        "en": "Install with pipx install sovits-launch (then pipx ensurepath), or use --via exe / --via runtime.",
    },
    "bat.check.bom": {
        "zh": "生成的 .bat 不安全，没有写入：以 BOM 开头。",
        "en": "The generated .bat is unsafe and was not written: starts with a BOM.",
    },
    "bat.check.bom.hint": {
        "zh": "这是 sovits-launch 的缺陷，请把这条信息和所用的命令一起反馈给我们。",
        "en": "This is a bug in sovits-launch; please report it together with the command you ran.",
    },
    "bat.check.non_ascii": {
        "zh": "生成的 .bat 不安全，没有写入：第 {line} 行有非英文字符。",
        "en": "The generated .bat is unsafe and was not written: line {line} has a non-ASCII byte.",
    },
    "bat.check.non_ascii.hint": {
        "zh": "这是 sovits-launch 的缺陷，请把这条信息和所用的命令一起反馈给我们。",
        "en": "This is a bug in sovits-launch; please report it together with the command you ran.",
    },
    "bat.check.line_ends": {
        "zh": "生成的 .bat 不安全，没有写入：第 {line} 行不是以 CRLF 结尾。",
        "en": "The generated .bat is unsafe and was not written: line {line} does not end in CRLF.",
    },
    "bat.check.line_ends.hint": {
        "zh": "这是 sovits-launch 的缺陷，请把这条信息和所用的命令一起反馈给我们。",
        "en": "This is a bug in sovits-launch; please report it together with the command you ran.",
    },
    "bat.check.control": {
        "zh": "生成的 .bat 不安全，没有写入：第 {line} 行有控制字符。",
        "en": "The generated .bat is unsafe and was not written: line {line} has a control character.",
    },
    "bat.check.control.hint": {
        "zh": "这是 sovits-launch 的缺陷，请把这条信息和所用的命令一起反馈给我们。",
        "en": "This is a bug in sovits-launch; please report it together with the command you ran.",
    },
    "bat.check.too_long": {
        "zh": "生成的 .bat 不安全，没有写入：第 {line} 行超过 {limit} 个字符。",
        "en": "The generated .bat is unsafe and was not written: line {line} is longer than {limit} characters.",
    },
    "bat.check.too_long.hint": {
        "zh": "这是 sovits-launch 的缺陷，请把这条信息和所用的命令一起反馈给我们。",
        "en": "This is a bug in sovits-launch; please report it together with the command you ran.",
    },
    "bat.check.percent": {
        "zh": "生成的 .bat 不安全，没有写入：第 {line} 行有没有加倍的 %。",
        "en": "The generated .bat is unsafe and was not written: line {line} has a % that is not doubled.",
    },
    "bat.check.percent.hint": {
        "zh": "这是 sovits-launch 的缺陷，请把这条信息和所用的命令一起反馈给我们。",
        "en": "This is a bug in sovits-launch; please report it together with the command you ran.",
    },
    "bat.check.quotes": {
        "zh": "生成的 .bat 不安全，没有写入：第 {line} 行的双引号不成对。",
        "en": "The generated .bat is unsafe and was not written: line {line} has unbalanced double quotes.",
    },
    "bat.check.quotes.hint": {
        "zh": "这是 sovits-launch 的缺陷，请把这条信息和所用的命令一起反馈给我们。",
        "en": "This is a bug in sovits-launch; please report it together with the command you ran.",
    },
    "bat.check.backslash_quote": {
        "zh": "生成的 .bat 不安全，没有写入：第 {line} 行在右引号前有反斜杠。",
        "en": "The generated .bat is unsafe and was not written: line {line} has a backslash before a closing quote.",
    },
    "bat.check.backslash_quote.hint": {
        "zh": "这是 sovits-launch 的缺陷，请把这条信息和所用的命令一起反馈给我们。",
        "en": "This is a bug in sovits-launch; please report it together with the command you ran.",
    },
    "bat.check.caret": {
        "zh": "生成的 .bat 不安全，没有写入：第 {line} 行以 ^ 结尾。",
        "en": "The generated .bat is unsafe and was not written: line {line} ends with ^.",
    },
    "bat.check.caret.hint": {
        "zh": "这是 sovits-launch 的缺陷，请把这条信息和所用的命令一起反馈给我们。",
        "en": "This is a bug in sovits-launch; please report it together with the command you ran.",
    },
    "bat.check.absolute": {
        "zh": "生成的 .bat 不安全，没有写入：第 {line} 行有绝对路径。",
        "en": "The generated .bat is unsafe and was not written: line {line} holds an absolute path.",
    },
    "bat.check.absolute.hint": {
        "zh": "这是 sovits-launch 的缺陷，请把这条信息和所用的命令一起反馈给我们。",
        "en": "This is a bug in sovits-launch; please report it together with the command you ran.",
    },
    "bat.check.delayed": {
        "zh": "生成的 .bat 不安全，没有写入：第 {line} 行打开了延迟变量扩展。",
        "en": "The generated .bat is unsafe and was not written: line {line} enables delayed expansion.",
    },
    "bat.check.delayed.hint": {
        "zh": "这是 sovits-launch 的缺陷，请把这条信息和所用的命令一起反馈给我们。",
        "en": "This is a bug in sovits-launch; please report it together with the command you ran.",
    },
    # --- doctor -------------------------------------------------------------------
    # --- packs --------------------------------------------------------------------
    # --- cli / ui -----------------------------------------------------------------
}
