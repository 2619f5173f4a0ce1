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


def t(key: str, /, **params: Any) -> str:
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
    "error.line": {"zh": "错误：{message}", "en": "Error: {message}"},
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
    "profile.yaml_error": {
        "zh": "角色配置 {path} 第 {line} 行 YAML 格式有误：{problem}",
        "en": "Profile {path}, line {line}: YAML syntax error: {problem}",
    },
    "profile.yaml_error.hint": {
        "zh": "检查这一行的缩进（用空格，不要用 Tab）、冒号后的空格，以及引号是否成对。",
        "en": "Check the indentation (spaces, not tabs), the space after each colon and matching quotes on that line.",
    },
    "profile.not_mapping": {
        "zh": "角色配置 {path} 的内容应当是“键: 值”的形式。",
        "en": "Profile {path} must be a mapping of `key: value` lines.",
    },
    "profile.not_mapping.hint": {
        "zh": "参照项目 profiles/nahida.yaml 的写法。",
        "en": "Use profiles/nahida.yaml from the project as a model.",
    },
    "profile.unknown_key": {
        "zh": "角色配置 {path} 里有不认识的字段“{field}”。",
        "en": "Profile {path} has an unknown field '{field}'.",
    },
    "profile.unknown_key.hint": {
        "zh": "是不是想写“{suggestion}”？可用的字段见 README 的“角色配置”一节。",
        "en": "Did you mean '{suggestion}'? The fields are listed in the README, section 'Profiles'.",
    },
    "profile.missing_field": {
        "zh": "角色配置 {path} 缺少必填字段“{field}”。",
        "en": "Profile {path} is missing the required field '{field}'.",
    },
    "profile.missing_field.hint": {
        "zh": "gpt（.ckpt）和 sovits（.pth）必须填写，路径可相对于 GPT-SoVITS 根目录。",
        "en": "gpt (.ckpt) and sovits (.pth) are required; paths may be relative to the GPT-SoVITS root.",
    },
    "profile.wrong_type": {
        "zh": "角色配置 {path} 的“{field}”应当是 {expected}，现在是 {got}。",
        "en": "Profile {path}: '{field}' must be {expected}, not {got}.",
    },
    "profile.wrong_type.hint": {
        "zh": "例如 port: 9880（数字不加引号），half: true，prompt_text 里有冒号时整句加引号。",
        "en": "For example port: 9880 (no quotes), half: true; quote prompt_text when it contains a colon.",
    },
    "profile.bad_choice": {
        "zh": "角色配置 {path} 的“{field}”不能是“{value}”。",
        "en": "Profile {path}: '{field}' cannot be '{value}'.",
    },
    "profile.bad_choice.hint": {"zh": "可选值：{choices}", "en": "Choose one of: {choices}"},
    "profile.bad_port": {
        "zh": "角色配置 {path} 的端口 {value} 不在 1~65535 之间。",
        "en": "Profile {path}: port {value} is not between 1 and 65535.",
    },
    "profile.bad_port.hint": {"zh": "通常用 9880；同时开多个角色时用 9881、9882……", "en": "9880 is usual; use 9881, 9882… for more servers at once."},
    "profile.bad_name": {
        "zh": "角色配置 {path} 的名字“{name}”不能用作文件名。",
        "en": "Profile {path}: the name '{name}' cannot be used as a file name.",
    },
    "profile.bad_name.hint": {
        "zh": "名字里不要有 \\ / : * ? \" < > | 和首尾空格。",
        "en": "Leave out \\ / : * ? \" < > | and leading or trailing spaces.",
    },
    "profile.empty_field": {
        "zh": "角色配置 {path} 的“{field}”是空的。",
        "en": "Profile {path}: '{field}' is empty.",
    },
    "profile.empty_field.hint": {"zh": "填上内容，或者删掉这一行。", "en": "Fill it in or remove the line."},
    "profile.nul_char": {
        "zh": "角色配置 {path} 的“{field}”里有一个空字符（\\0）：它不能出现在命令行里，服务器无法启动。",
        "en": "Profile {path}: '{field}' contains a NUL character (\\0), which no command line can carry.",
    },
    "profile.nul_char.hint": {
        "zh": "删掉这个字符（YAML 里写成 \\0 或 \\x00）。",
        "en": "Remove that character (written \\0 or \\x00 in YAML).",
    },
    "profile.not_found": {
        "zh": "找不到角色配置“{name}”。",
        "en": "No profile named '{name}'.",
    },
    "profile.not_found.hint": {
        "zh": "已有的角色：{known}（{suggestion}）。配置放在 {folder}；用 sovits-launch list 查看，或 sovits-launch init 生成。",
        "en": "Known profiles: {known} ({suggestion}). They live in {folder}; see `sovits-launch list`, or create them with `sovits-launch init`.",
    },
    "profile.file_missing": {"zh": "找不到角色配置文件：{path}", "en": "Profile file not found: {path}"},
    "profile.exists": {
        "zh": "角色配置 {path} 已经存在，没有覆盖。",
        "en": "Profile {path} already exists; it was not overwritten.",
    },
    "profile.exists.hint": {
        "zh": "要替换它请加 --force（会先备份原文件）。",
        "en": "Add --force to replace it (the old file is backed up first).",
    },
    "profile.path_missing": {
        "zh": "找不到“{field}”指向的文件：{path}",
        "en": "The file named by '{field}' does not exist: {path}",
    },
    "profile.path_missing.hint": {
        "zh": "在角色配置 {profile} 里改正路径（可以是绝对路径，或相对于 GPT-SoVITS 根目录）。中文和空格都没问题。",
        "en": "Correct the path in profile {profile} (absolute, or relative to the GPT-SoVITS root). Chinese and spaces are fine.",
    },
    "settings.yaml_error": {
        "zh": "设置文件 {path} 第 {line} 行格式有误：{problem}",
        "en": "Settings file {path}, line {line}: {problem}",
    },
    "settings.yaml_error.hint": {
        "zh": "改正这一行，或删除该文件后重新运行 sovits-launch init。",
        "en": "Fix that line, or delete the file and run `sovits-launch init` again.",
    },
    "settings.not_mapping": {"zh": "设置文件 {path} 的内容格式不对。", "en": "Settings file {path} is not a mapping."},
    "settings.not_mapping.hint": {
        "zh": "删除该文件后重新运行 sovits-launch init。",
        "en": "Delete it and run `sovits-launch init` again.",
    },
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
    "start.no_root": {
        "zh": "还不知道 GPT-SoVITS 装在哪里（角色 {profile}）。",
        "en": "The GPT-SoVITS folder is not known yet (profile {profile}).",
    },
    "start.no_root.hint": {
        "zh": "先运行 sovits-launch init <GPT-SoVITS 根目录>，或启动时加 --root <目录>。",
        "en": "Run `sovits-launch init <GPT-SoVITS root>` first, or pass --root <folder>.",
    },
    "start.bad_port": {"zh": "端口 {value} 不在 1~65535 之间。", "en": "Port {value} is not between 1 and 65535."},
    "start.both_apis": {"zh": "--v1 和 --v2 只能选一个。", "en": "Choose either --v1 or --v2, not both."},
    "start.no_reference": {
        "zh": "角色 {profile} 还没有参考音频：服务器能启动，但 xiaozhi 的请求需要参考音频。",
        "en": "Profile {profile} has no reference audio: the server starts, but xiaozhi's requests need one.",
    },
    "start.no_reference.hint": {
        "zh": "在配置里填上 ref_audio（3~10 秒的 wav）和 prompt_text（音频里说的话）。",
        "en": "Add ref_audio (a 3-10 s wav) and prompt_text (what it says) to the profile.",
    },
    "start.v1_no_prompt_text": {
        "zh": "角色 {profile} 没有 prompt_text：api.py 只有在参考音频、文本、语言都给全时才使用默认参考音频。",
        "en": "Profile {profile} has no prompt_text: api.py uses a default reference only when audio, text and language are all given.",
    },
    "start.network_bind": {
        "zh": "安全警告：服务器将监听 {host}:{port}，局域网里的其他设备也能访问。GPT-SoVITS 的接口没有任何密码，任何人都能让它退出，或让它加载任意路径的权重文件（pickle，可执行代码）。",
        "en": "Security warning: the server will listen on {host}:{port}, reachable from other machines. GPT-SoVITS's API has no authentication: anyone can make it exit or load weight files (pickles, which can run code) from any path.",
    },
    "start.network_bind.hint": {
        "zh": "只在本机使用时去掉 --host（默认 127.0.0.1）；xiaozhi 在 Docker 里时，确保只有可信的网络能访问这个端口。",
        "en": "Drop --host (default 127.0.0.1) if only this PC needs it; for xiaozhi in Docker, make sure only trusted networks reach the port.",
    },
    "start.starting": {
        "zh": "正在启动 {name}（{script}，端口 {port}），日志：{log}",
        "en": "Starting {name} ({script}, port {port}), log: {log}",
    },
    "start.loading": {"zh": "{name} 正在加载模型……", "en": "{name} is loading models…"},
    "start.ready": {
        "zh": "{name} 已就绪（{script}，用时 {seconds} 秒）：{url}",
        "en": "{name} is ready ({script}, took {seconds} s): {url}",
    },
    "start.detached": {
        "zh": "服务器在后台运行。查看：sovits-launch status；日志：sovits-launch logs {name} -f；停止：sovits-launch stop {name}",
        "en": "Running in the background. See `sovits-launch status`, logs: `sovits-launch logs {name} -f`, stop: `sovits-launch stop {name}`.",
    },
    "start.foreground": {
        "zh": "按 Ctrl+C 或关闭窗口即停止服务器。",
        "en": "Press Ctrl+C or close this window to stop the server.",
    },
    "start.exited": {"zh": "{name} 的服务器已退出（退出码 {code}）。", "en": "{name}'s server has exited (code {code})."},
    "start.dry_run": {"zh": "将在 {cwd} 中执行：", "en": "Would run in {cwd}:"},
    "start.dry_run_yaml": {"zh": "并写入 {path}：", "en": "and write {path}:"},
    "state.loading": {"zh": "加载中", "en": "loading"},
    "state.ready": {"zh": "就绪", "en": "ready"},
    "port.busy": {
        "zh": "端口 {port} 已被占用：{name}（PID {pid}）{cmdline}",
        "en": "Port {port} is already in use by {name} (PID {pid}): {cmdline}",
    },
    "port.busy.hint": {
        "zh": "关闭占用它的程序，或换个端口启动：--port 9881。",
        "en": "Close that program, or start on another port: --port 9881.",
    },
    "port.busy_unknown": {
        "zh": "端口 {port} 已被占用（无法查到是哪个程序）。",
        "en": "Port {port} is already in use (the owner could not be identified).",
    },
    "port.busy_unknown.hint": {
        "zh": "换个端口启动：--port 9881；Windows 上可用 netstat -ano | findstr :{port} 查看占用者。",
        "en": "Start on another port (--port 9881); on Windows `netstat -ano | findstr :{port}` shows the owner.",
    },
    "port.ours": {
        "zh": "端口 {port} 上已经有 sovits-launch 启动的服务器（角色 {profile}，PID {pid}）。",
        "en": "A server started by sovits-launch already uses port {port} (profile {profile}, PID {pid}).",
    },
    "port.ours.hint": {
        "zh": "先停止它：sovits-launch stop {profile}，或换个端口：--port 9881。",
        "en": "Stop it first (`sovits-launch stop {profile}`) or use another port (--port 9881).",
    },
    "port.forbidden": {
        "zh": "Windows 不允许使用端口 {port}（WinError 10013，通常是系统保留的端口范围，Hyper-V/WSL/Docker 会占用）。",
        "en": "Windows does not allow port {port} (WinError 10013, usually an excluded port range reserved by Hyper-V/WSL/Docker).",
    },
    "port.forbidden.hint": {
        "zh": "用管理员命令行运行 netsh interface ipv4 show excludedportrange protocol=tcp 查看保留范围，换一个范围外的端口：--port 9890。",
        "en": "Run `netsh interface ipv4 show excludedportrange protocol=tcp` to see the reserved ranges and pick a port outside them: --port 9890.",
    },
    "server.spawn_failed": {
        "zh": "无法运行 {python}：{reason}",
        "en": "Cannot run {python}: {reason}",
    },
    "server.spawn_failed.hint": {
        "zh": "确认整合包的 runtime 目录完整，或用 --python 指定解释器。",
        "en": "Check that the package's runtime folder is complete, or pass --python.",
    },
    "server.exited": {
        "zh": "{profile} 的服务器在加载时退出了（退出码 {code}）。最后几行日志如下；完整日志：{log}",
        "en": "{profile}'s server exited while loading (exit code {code}). The last log lines are below; full log: {log}",
    },
    "server.exited.hint": {
        "zh": "看日志最后的报错（{exception}）；常见原因：权重文件损坏或版本不对、整合包不完整、显存不足。",
        "en": "Read the error at the end of the log ({exception}); usual causes: broken or mismatched weights, an incomplete package, too little VRAM.",
    },
    "server.died": {
        "zh": "{profile} 的服务器在运行中退出了（退出码 {code}）。最后几行日志如下；完整日志：{log}",
        "en": "{profile}'s server stopped while running (exit code {code}). The last log lines are below; full log: {log}",
    },
    "server.died.hint": {
        "zh": "如果不是你自己关掉的：看日志最后的报错；用 sovits-launch {profile} 重新启动。",
        "en": "If you did not stop it yourself, read the error at the end of the log and start it again: sovits-launch {profile}",
    },
    "server.timeout": {
        "zh": "{profile} 的服务器 {seconds} 秒内没有就绪，已停止它。完整日志：{log}",
        "en": "{profile}'s server was not ready within {seconds} s and was stopped. Full log: {log}",
    },
    "server.timeout.hint": {
        "zh": "电脑较慢或第一次加载时需要更久：加上 --timeout 900 再试；如果日志停在某一步不动，请看那一步。",
        "en": "Slow PCs and first loads take longer: retry with --timeout 900; if the log stops at one step, look at that step.",
    },
    "registry.locked": {
        "zh": "另一个 sovits-launch 正在修改 {path}，等了 10 秒仍未结束。",
        "en": "Another sovits-launch has been changing {path} for 10 s.",
    },
    "registry.locked.hint": {
        "zh": "稍后再试；如果没有别的 sovits-launch 在运行，删除这个 .lock 文件。",
        "en": "Try again shortly; if no other sovits-launch runs, delete that .lock file.",
    },
    "stop.what": {"zh": "要停止哪个？给出角色名、--port 或 --all。", "en": "Stop what? Give a profile, --port or --all."},
    "stop.not_running": {"zh": "{name} 没有在运行。", "en": "{name} is not running."},
    "stop.not_running.hint": {"zh": "用 sovits-launch status 查看正在运行的服务器。", "en": "See `sovits-launch status` for running servers."},
    "stop.none_running": {"zh": "没有正在运行的服务器。", "en": "No server is running."},
    "stop.stopped": {
        "zh": "已停止 {name}（PID {pid}），端口 {port} 已释放。",
        "en": "Stopped {name} (PID {pid}); port {port} is free.",
    },
    "stop.port_still_busy": {
        "zh": "已结束 {name}（PID {pid}），但端口 {port} 仍被占用：可能有别的程序在用它。",
        "en": "Ended {name} (PID {pid}), but port {port} is still in use, perhaps by another program.",
    },
    "logs.none": {"zh": "还没有 {name} 的日志（{folder}）。", "en": "No log for {name} yet ({folder})."},
    "logs.none.hint": {"zh": "先启动它：sovits-launch {name}", "en": "Start it first: `sovits-launch {name}`"},
    "switch.switching": {"zh": "正在把 {previous} 切换为 {name}……", "en": "Switching {previous} to {name}…"},
    "switch.done": {
        "zh": "已切换为 {name}（原来是 {previous}），用时 {seconds} 秒，无需重启：{url}",
        "en": "Switched to {name} (was {previous}) in {seconds} s without a restart: {url}",
    },
    "switch.failed": {
        "zh": "切换角色失败，{profile} 仍在运行：{message}",
        "en": "Switching failed; {profile} keeps running: {message}",
    },
    "switch.failed.hint": {
        "zh": "检查新角色的权重文件；或加 --restart 完整重启服务器。",
        "en": "Check the new profile's weight files, or add --restart for a full restart.",
    },
    "switch.refer_failed": {
        "zh": "已换好 {profile} 的权重，但设置默认参考音频失败：{message}",
        "en": "{profile}'s weights are loaded, but setting the default reference failed: {message}",
    },
    "switch.refer_failed.hint": {
        "zh": "检查参考音频路径和 prompt_text、prompt_lang。",
        "en": "Check the reference path, prompt_text and prompt_lang.",
    },
    # --- failures (what the server printed, explained) --------------------------------
    "failure.port_in_use": {
        "zh": "{profile} 加载完模型后无法监听端口 {port}：端口已被占用。",
        "en": "{profile} loaded its models but could not listen on port {port}: it is already in use.",
    },
    "failure.port_in_use.hint": {
        "zh": "有别的程序（或另一个 GPT-SoVITS）在用这个端口：sovits-launch status 查看，或换端口 --port 9881。",
        "en": "Another program (or another GPT-SoVITS) uses the port: see `sovits-launch status`, or use --port 9881.",
    },
    "failure.port_forbidden": {
        "zh": "{profile} 无法使用端口 {port}（WinError 10013：系统保留的端口范围）。",
        "en": "{profile} may not use port {port} (WinError 10013: an excluded port range).",
    },
    "failure.port_forbidden.hint": {
        "zh": "netsh interface ipv4 show excludedportrange protocol=tcp 查看保留范围，换一个端口。",
        "en": "See `netsh interface ipv4 show excludedportrange protocol=tcp` and choose another port.",
    },
    "failure.cuda_oom": {"zh": "{profile}：显存不足（CUDA out of memory）。", "en": "{profile}: the GPU ran out of memory (CUDA out of memory)."},
    "failure.cuda_oom.hint": {
        "zh": "关掉其它占显存的程序（游戏、另一个 GPT-SoVITS、SD），或在配置里设 half: true；实在不够可设 device: cpu（很慢）。",
        "en": "Close other GPU programs (games, another GPT-SoVITS, SD), or set half: true; as a last resort device: cpu (slow).",
    },
    "failure.no_cuda": {
        "zh": "{profile}：这个整合包的 PyTorch 用不了显卡（{line}）。",
        "en": "{profile}: this package's PyTorch cannot use the GPU ({line}).",
    },
    "failure.no_cuda.hint": {
        "zh": "更新 NVIDIA 驱动；没有 N 卡时在配置里设 device: cpu。",
        "en": "Update the NVIDIA driver; without an NVIDIA GPU set device: cpu in the profile.",
    },
    "failure.cuda_error": {"zh": "{profile}：显卡报错（{line}）。", "en": "{profile}: the GPU reported an error ({line})."},
    "failure.cuda_error.hint": {
        "zh": "更新显卡驱动后重试；老显卡不支持半精度时设 half: false。",
        "en": "Update the GPU driver and retry; on older GPUs without fp16 set half: false.",
    },
    "failure.lora_base_missing": {
        "zh": "{profile}：这是 v3/v4 的 LoRA 模型，但整合包里缺少对应的底模（{line}）。",
        "en": "{profile}: this is a v3/v4 LoRA model but the package lacks its base model ({line}).",
    },
    "failure.lora_base_missing.hint": {
        "zh": "把 s2Gv3.pth / s2Gv4.pth 放进 GPT_SoVITS/pretrained_models（见整合包说明），或换用非 LoRA 的模型。",
        "en": "Put s2Gv3.pth / s2Gv4.pth into GPT_SoVITS/pretrained_models (see the package's notes), or use a non-LoRA model.",
    },
    "failure.module_missing": {
        "zh": "{profile}：整合包缺少 Python 模块 {module}。",
        "en": "{profile}: the package is missing the Python module {module}.",
    },
    "failure.module_missing.hint": {
        "zh": "整合包可能不完整或被改过：重新解压原版整合包；用 --python 时确认它是整合包自带的 runtime。",
        "en": "The package may be incomplete or modified: unpack the original again; with --python make sure it is the package's own runtime.",
    },
    "failure.file_missing": {
        "zh": "{profile}：服务器找不到文件（{line}）。",
        "en": "{profile}: the server cannot find a file ({line}).",
    },
    "failure.file_missing.hint": {
        "zh": "检查角色配置里的路径；预训练模型缺失时请重新下载整合包的 GPT_SoVITS/pretrained_models。",
        "en": "Check the profile's paths; if pretrained models are missing, restore GPT_SoVITS/pretrained_models from the package.",
    },
    "failure.ram_oom": {"zh": "{profile}：内存不足。", "en": "{profile}: out of memory (RAM)."},
    "failure.ram_oom.hint": {
        "zh": "关闭其它程序，或增大 Windows 虚拟内存（系统属性 → 高级 → 性能 → 虚拟内存）。",
        "en": "Close other programs or enlarge Windows virtual memory (System properties → Advanced → Performance → Virtual memory).",
    },
    "failure.exit_bind": {
        "zh": "{profile} 的服务器加载完后因无法监听端口 {port} 而退出（退出码 3）。",
        "en": "{profile}'s server loaded, then exited because it could not listen on port {port} (exit code 3).",
    },
    "failure.exit_bind.hint": {
        "zh": "端口被占用了：sovits-launch status 查看，或换端口 --port 9881。",
        "en": "The port is taken: see `sovits-launch status`, or use --port 9881.",
    },
    "failure.exit_windows_crash": {
        "zh": "{profile} 的服务器崩溃了：退出码 {code}（{hex} {name}）。完整日志：{log}",
        "en": "{profile}'s server crashed: exit code {code} ({hex} {name}). Full log: {log}",
    },
    "failure.exit_windows_crash.hint": {
        "zh": "0xC0000005 多为显卡驱动或内存问题：更新驱动、增大虚拟内存；0xC0000135 是缺少 DLL：安装 VC++ 运行库或重新解压整合包。",
        "en": "0xC0000005 is usually the GPU driver or memory: update the driver, enlarge virtual memory; 0xC0000135 is a missing DLL: install the VC++ runtime or unpack the package again.",
    },
    "failure.exit_signal": {
        "zh": "{profile} 的服务器被信号 {signal} 结束了（可能被系统或其它程序杀掉，例如内存不足）。完整日志：{log}",
        "en": "{profile}'s server was killed by signal {signal} (by the system or another program, e.g. out of memory). Full log: {log}",
    },
    "failure.exit_signal.hint": {
        "zh": "重新启动试试；反复出现时检查内存是否够用。",
        "en": "Start it again; if it keeps happening, check free memory.",
    },
    # --- xiaozhi ------------------------------------------------------------------
    "xiaozhi.set_dir_needs_path": {
        "zh": "set-dir 后面要跟 xiaozhi-server 的文件夹。",
        "en": "set-dir needs the xiaozhi-server folder.",
    },
    "xiaozhi.set_dir_needs_path.hint": {
        "zh": "例如：sovits-launch xiaozhi set-dir D:\\xiaozhi-esp32-server",
        "en": "For example: sovits-launch xiaozhi set-dir D:\\xiaozhi-esp32-server",
    },
    "xiaozhi.need_profile": {"zh": "要写哪个角色的配置？", "en": "Which profile should xiaozhi use?"},
    "xiaozhi.need_profile.hint": {
        "zh": "例如：sovits-launch xiaozhi nahida（--dry-run 先看看会改什么）",
        "en": "For example: sovits-launch xiaozhi nahida (--dry-run shows the change first)",
    },
    "say.unknown_emotion": {
        "zh": "角色 {profile} 没有情绪“{emotion}”。",
        "en": "Profile {profile} has no emotion '{emotion}'.",
    },
    "say.unknown_emotion.hint": {"zh": "已有的情绪：{known}", "en": "Known emotions: {known}"},
    "xiaozhi.dir_missing": {
        "zh": "找不到 xiaozhi-server 文件夹：{path}",
        "en": "xiaozhi-server folder not found: {path}",
    },
    "xiaozhi.dir_missing.hint": {
        "zh": "检查路径是否写对；可以给仓库根目录，也可以给其中的 main\\xiaozhi-server。",
        "en": "Check the path; give the repository root or its main/xiaozhi-server folder.",
    },
    "xiaozhi.not_xiaozhi": {
        "zh": "{path} 不是 xiaozhi-server 文件夹：缺少 {missing}",
        "en": "{path} is not a xiaozhi-server folder: {missing} is missing",
    },
    "xiaozhi.not_xiaozhi.hint": {
        "zh": "请选择 xiaozhi-esp32-server 仓库根目录，或其中含 config.yaml 和 core\\providers\\tts 的 main\\xiaozhi-server 文件夹。",
        "en": "Choose the xiaozhi-esp32-server repository root, or its main/xiaozhi-server folder (with config.yaml and core/providers/tts).",
    },
    "xiaozhi.no_tts_section": {
        "zh": "{path} 里没有 TTS: 段，不像 xiaozhi-server 自带的 config.yaml。",
        "en": "{path} has no TTS: section; it does not look like xiaozhi-server's shipped config.yaml.",
    },
    "xiaozhi.no_tts_section.hint": {
        "zh": "不要修改 config.yaml 本身；从仓库重新取一份原版 config.yaml，个人设置写在 data\\.config.yaml。",
        "en": "Do not edit config.yaml itself: restore the original from the repository; personal settings go in data/.config.yaml.",
    },
    "xiaozhi.docker_only": {
        "zh": "{path} 像是 Docker 部署目录（只有 docker-compose 和 data），没有 xiaozhi 的 config.yaml，无法按 xiaozhi 的规则校验。",
        "en": "{path} looks like a Docker deployment folder (docker-compose and data only); without xiaozhi's config.yaml the result cannot be verified with xiaozhi's rules.",
    },
    "xiaozhi.docker_only.hint": {
        "zh": "把仓库里的 main/xiaozhi-server/config.yaml 复制到这个文件夹（只用于校验，Docker 不会读它）再试；或用 --dry-run 看要写的内容后手动写入 data\\.config.yaml。",
        "en": "Copy main/xiaozhi-server/config.yaml from the repository into this folder (used only for verification; Docker does not read it) and retry.",
    },
    "xiaozhi.not_set": {
        "zh": "还不知道 xiaozhi-server 在哪里。",
        "en": "The xiaozhi-server folder is not set.",
    },
    "xiaozhi.not_set.hint": {
        "zh": "运行 sovits-launch xiaozhi set-dir <文件夹>，或 sovits-launch init … --xiaozhi <文件夹>。",
        "en": "Run sovits-launch xiaozhi set-dir <folder>, or sovits-launch init ... --xiaozhi <folder>.",
    },
    "xiaozhi.dir_saved": {
        "zh": "已记住 xiaozhi-server 文件夹：{path}",
        "en": "Remembered the xiaozhi-server folder: {path}",
    },
    "xiaozhi.yaml_error": {
        "zh": "{path} 第 {line} 行 YAML 格式错误：{problem}。文件没有被改动。",
        "en": "YAML error in {path}, line {line}: {problem}. The file was not changed.",
    },
    "xiaozhi.yaml_error.hint": {
        "zh": "用编辑器打开该行附近检查缩进（只能用空格，不能用 Tab）、冒号后的空格、引号是否成对、有没有重复的键。xiaozhi 自己也读不了这个文件。",
        "en": "Check indentation (spaces only, no tabs), the space after colons, paired quotes and duplicate keys near that line. xiaozhi cannot read this file either.",
    },
    "xiaozhi.config_not_mapping": {
        "zh": "{path} 的顶层不是“键: 值”的映射，xiaozhi 无法使用它。文件没有被改动。",
        "en": "The top level of {path} is not a key: value mapping, so xiaozhi cannot use it. The file was not changed.",
    },
    "xiaozhi.config_not_mapping.hint": {
        "zh": "文件应当形如 “selected_module:” 换行缩进 “TTS: …”。可以先改好它，或把它改名后让 sovits-launch 新建一个。",
        "en": "The file should look like 'selected_module:' followed by indented 'TTS: ...'. Fix it, or rename it and let sovits-launch create a new one.",
    },
    "xiaozhi.section_not_mapping": {
        "zh": "{path} 第 {line} 行的 {section} 不是映射（而是 {kind}），无法在其中写入 TTS 设置。文件没有被改动。",
        "en": "{section} in {path} (line {line}) is not a mapping but {kind}; cannot write the TTS settings into it. The file was not changed.",
    },
    "xiaozhi.section_not_mapping.hint": {
        "zh": "把该项改成缩进的“键: 值”形式（或删除它），再重试。",
        "en": "Turn that entry into indented key: value lines (or delete it) and retry.",
    },
    "xiaozhi.read_only": {
        "zh": "{path} 是只读的，没有做任何修改。",
        "en": "{path} is read-only; nothing was changed.",
    },
    "xiaozhi.read_only.hint": {
        "zh": "在文件属性里取消“只读”（或给文件夹写入权限）后重试；也可以用 --dry-run 查看要写的内容后手动修改。",
        "en": "Clear the read-only attribute (or grant write permission to the folder) and retry, or use --dry-run and edit by hand.",
    },
    "xiaozhi.data_config_missing": {
        "zh": "找不到 {path}；xiaozhi 启动时需要这个文件。",
        "en": "{path} does not exist; xiaozhi needs it to start.",
    },
    "xiaozhi.data_config_missing.hint": {
        "zh": "运行 sovits-launch xiaozhi <角色> 会创建它。",
        "en": "sovits-launch xiaozhi <profile> creates it.",
    },
    "xiaozhi.bad_api": {
        "zh": "未知的接口类型：{api}（只能是 v1 = api.py 或 v2 = api_v2.py）。",
        "en": "Unknown API kind: {api} (v1 = api.py or v2 = api_v2.py).",
    },
    "xiaozhi.no_reference": {
        "zh": "这个角色没有参考音频，xiaozhi 的每次请求都需要它。",
        "en": "This profile has no reference audio; every xiaozhi request needs one.",
    },
    "xiaozhi.no_reference.hint": {
        "zh": "在角色配置里填写 ref_audio（3~10 秒的 wav）、prompt_text（它说的原话）和 prompt_lang。",
        "en": "Set ref_audio (a 3-10 s wav), prompt_text (its exact words) and prompt_lang in the profile.",
    },
    "xiaozhi.no_prompt_text": {
        "zh": "这个角色缺少参考文本（prompt_text）或参考语言（prompt_lang）。api.py 收到空值时会忽略这段参考音频，改用启动时的默认参考，或回答 400。",
        "en": "The profile lacks prompt_text or prompt_lang. api.py treats an empty one as 'no reference' and falls back to its start-up reference, or answers 400.",
    },
    "xiaozhi.no_prompt_text.hint": {
        "zh": "在角色配置里填写 prompt_text（参考音频里说的原话）和 prompt_lang。",
        "en": "Set prompt_text (the exact words of the reference audio) and prompt_lang in the profile.",
    },
    "xiaozhi.ref_not_absolute": {
        "zh": "参考音频路径必须是绝对路径：{path}",
        "en": "The reference audio path must be absolute: {path}",
    },
    "xiaozhi.ref_not_absolute.hint": {
        "zh": "打开这个文件的是 GPT-SoVITS 服务器，不是 xiaozhi；相对路径会按服务器的工作目录解析。",
        "en": "The GPT-SoVITS server opens this file, not xiaozhi; a relative path would be resolved against the server's working folder.",
    },
    "xiaozhi.unknown_module": {
        "zh": "不认识的 xiaozhi TTS 模块：{module}（可选 GPT_SOVITS_V2、GPT_SOVITS_V3、GPT_SOVITS_V1）。",
        "en": "Unknown xiaozhi TTS module: {module} (GPT_SOVITS_V2, GPT_SOVITS_V3 or GPT_SOVITS_V1).",
    },
    "xiaozhi.module_mismatch": {
        "zh": "{module} 不能用于 {api} 服务器：api_v2.py（v2）对应 GPT_SOVITS_V2，api.py（v1）对应 GPT_SOVITS_V3（或 GPT_SOVITS_V1）。",
        "en": "{module} does not fit a {api} server: api_v2.py (v2) needs GPT_SOVITS_V2, api.py (v1) needs GPT_SOVITS_V3 (or GPT_SOVITS_V1).",
    },
    "xiaozhi.v1_provider_missing": {
        "zh": "找不到 {path}，xiaozhi 无法使用 GPT_SOVITS_V1（type: gpt_sovits_v1）。没有做任何修改。",
        "en": "{path} does not exist, so xiaozhi cannot use GPT_SOVITS_V1 (type: gpt_sovits_v1). Nothing was changed.",
    },
    "xiaozhi.v1_provider_missing.hint": {
        "zh": "不需要它：GPT_SOVITS_V3 是 xiaozhi 自带的 api.py 接入方式，读取同样的参数。去掉 --xiaozhi-module 即可；确实要用 V1，请先把 gpt_sovits_v1.py 放进 core\\providers\\tts。",
        "en": "You do not need it: GPT_SOVITS_V3 is xiaozhi's built-in provider for api.py and reads the same keys. Drop --xiaozhi-module, or copy gpt_sovits_v1.py into core/providers/tts first.",
    },
    "xiaozhi.param_conflict": {
        "zh": "参数 {first} 和 {second} 是同一项但值不同，请只保留一个。",
        "en": "Parameters {first} and {second} are the same setting with different values; keep one.",
    },
    "xiaozhi.not_gsv_block": {
        "zh": "TTS 模块 {module} 的类型是 {type}，不是 GPT-SoVITS（gpt_sovits_v2 / gpt_sovits_v3 / gpt_sovits_v1）。",
        "en": "TTS module {module} has type {type}, not a GPT-SoVITS one (gpt_sovits_v2 / gpt_sovits_v3 / gpt_sovits_v1).",
    },
    "xiaozhi.block_invalid": {
        "zh": "TTS 模块 {module} 的 {field} 值 {value} 无法被 xiaozhi 读取；设备连接时 xiaozhi 会报错。",
        "en": "xiaozhi cannot read {field} = {value} in TTS module {module}; it would fail when a device connects.",
    },
    "xiaozhi.block_invalid.hint": {
        "zh": "数值项要写数字（如 top_k: 15），url 要以 http:// 开头。改正 data\\.config.yaml 或角色参数后重试。",
        "en": "Numbers must be numbers (top_k: 15) and url must start with http://. Fix data/.config.yaml or the profile parameters and retry.",
    },
    "xiaozhi.type_missing": {
        "zh": "xiaozhi 里没有 {type} 这个 TTS 类型（core/providers/tts/{type}.py 不存在），{module} 用不了。",
        "en": "xiaozhi has no TTS type {type} (core/providers/tts/{type}.py is missing), so {module} cannot work.",
    },
    "xiaozhi.type_missing.hint": {
        "zh": "xiaozhi 版本可能太旧；更新 xiaozhi-esp32-server，或检查该段的 type。",
        "en": "xiaozhi may be too old: update xiaozhi-esp32-server, or check the block's type.",
    },
    "xiaozhi.verify_failed": {
        "zh": "写入后按 xiaozhi 的规则重新读取 {path}，结果和预期不一致；已恢复原文件。",
        "en": "Re-reading {path} with xiaozhi's rules did not give the intended settings; the original file was restored.",
    },
    "xiaozhi.verify_failed.hint": {
        "zh": "这是 sovits-launch 的问题，请附上下面的细节和该文件反馈；也可以用 --dry-run 查看要写的内容后手动修改。",
        "en": "This is a sovits-launch bug: please report it with the details below and the file; --dry-run shows what to write by hand.",
    },
    "xiaozhi.changed_meanwhile": {
        "zh": "{path} 在计算修改之后又被改动了，为了不覆盖它，什么也没写。",
        "en": "{path} changed after the edit was computed; nothing was written so that change is not lost.",
    },
    "xiaozhi.changed_meanwhile.hint": {"zh": "再运行一次即可。", "en": "Run the command again."},
    "xiaozhi.manager_mode": {
        "zh": "xiaozhi 使用智控台（manager-api：{url}），本地的 TTS 配置不会生效，所以没有修改 {path}。",
        "en": "xiaozhi takes its configuration from the 智控台 (manager-api: {url}); local TTS settings are ignored, so {path} was not changed.",
    },
    "xiaozhi.manager_mode.hint": {
        "zh": "在智控台“模型配置 → 语音合成”里编辑 {module}（设为默认或分配给智能体），填入下面的值；如果该模型的音色里填了参考音频/参考文本，它们优先，也要改成同样的值。",
        "en": "In the 智控台, edit {module} under model configuration -> TTS (make it the default or assign it to the agent) with the values below; a voice's reference audio/text, if set, wins: set it to the same values.",
    },
    "xiaozhi.manager_field": {"zh": "  {label}（{key}）：{value}", "en": "  {key} ({label}): {value}"},
    "xiaozhi.no_backup": {
        "zh": "没有 sovits-launch 做过的 {path} 备份，无法撤销。",
        "en": "There is no sovits-launch backup of {path} to restore.",
    },
    "xiaozhi.written": {
        "zh": "已更新 {path}：TTS 使用 {module}（之前：{previous}）。备份：{backup}",
        "en": "Updated {path}: TTS uses {module} (was: {previous}). Backup: {backup}",
    },
    "xiaozhi.created": {
        "zh": "已创建 {path}：TTS 使用 {module}。",
        "en": "Created {path}: TTS uses {module}.",
    },
    "xiaozhi.unchanged": {
        "zh": "{path} 已经是这些设置，没有改动。",
        "en": "{path} already has these settings; nothing changed.",
    },
    "xiaozhi.dry_run": {
        "zh": "（演练：以下修改没有写入）",
        "en": "(dry run: the change below was not written)",
    },
    "xiaozhi.restart": {
        "zh": "请重启 xiaozhi-server，新设置才会生效（它只在启动时读取配置）。",
        "en": "Restart xiaozhi-server for the change to take effect (it reads its configuration once, at start).",
    },
    "xiaozhi.ignored": {
        "zh": "xiaozhi 的 {module} 不会发送这些参数，已忽略：{names}",
        "en": "xiaozhi's {module} never sends these parameters; ignored: {names}",
    },
    "xiaozhi.undone": {
        "zh": "已用备份 {backup} 恢复 {path}。被替换的内容保存在 {saved}。",
        "en": "Restored {path} from {backup}. The replaced content is kept in {saved}.",
    },
    "xiaozhi.advertise": {
        "zh": "xiaozhi 将通过 {url} 访问 GPT-SoVITS；服务器必须监听在 xiaozhi 能访问到的地址上（Docker 里的 127.0.0.1 不是本机）。",
        "en": "xiaozhi will reach GPT-SoVITS at {url}; the server must listen on an address xiaozhi can reach (127.0.0.1 inside Docker is not this PC).",
    },
    "xiaozhi.say.saved": {
        "zh": "已保存 {path}：{duration:.2f} 秒，{rate} Hz；首字节用时 {ttfb:.2f} 秒。",
        "en": "Saved {path}: {duration:.2f} s at {rate} Hz; first byte after {ttfb:.2f} s.",
    },
    "xiaozhi.say.not_running": {
        "zh": "{url} 上没有正在运行的 GPT-SoVITS 服务器。",
        "en": "No GPT-SoVITS server is running at {url}.",
    },
    "xiaozhi.say.not_running.hint": {
        "zh": "先运行 sovits-launch {profile}，等它显示就绪后再试。",
        "en": "Start it with sovits-launch {profile}, wait until it reports ready, and retry.",
    },
    "xiaozhi.say.not_wav": {
        "zh": "服务器回答 200，但内容不是 WAV 音频（{size} 字节，开头 {head}）。xiaozhi 会把它当音频播放。",
        "en": "The server answered 200 but not with WAV audio ({size} bytes, starting {head}). xiaozhi would play it as audio.",
    },
    "xiaozhi.say.not_wav.hint": {
        "zh": "确认这个端口上运行的是 GPT-SoVITS 的 api.py / api_v2.py，而不是别的程序。",
        "en": "Make sure this port runs GPT-SoVITS's api.py / api_v2.py and not another program.",
    },
    "xiaozhi.say.empty_wav": {
        "zh": "服务器返回的 WAV 没有任何音频帧（{size} 字节）。",
        "en": "The WAV from the server has no audio frames ({size} bytes).",
    },
    "xiaozhi.say.empty_wav.hint": {
        "zh": "常见原因：文本全是标点或语言设置不对；显卡不支持半精度时也会生成静音（在角色里设 half: false）。",
        "en": "Usually the text is only punctuation or the language is wrong; GPUs without fp16 also give silence (set half: false).",
    },
    "xiaozhi.say.rejected.ref_length": {
        "zh": "服务器拒绝了请求（HTTP {status}）：{upstream}",
        "en": "The server refused the request (HTTP {status}): {upstream}",
    },
    "xiaozhi.say.rejected.ref_length.hint": {
        "zh": "参考音频必须在 3~10 秒之间：剪短或换一段，再更新角色的 ref_audio。",
        "en": "The reference audio must be 3-10 s long: trim it or pick another, then update the profile's ref_audio.",
    },
    "xiaozhi.say.rejected.no_reference": {
        "zh": "服务器拒绝了请求（HTTP {status}）：{upstream}",
        "en": "The server refused the request (HTTP {status}): {upstream}",
    },
    "xiaozhi.say.rejected.no_reference.hint": {
        "zh": "请求里的参考音频、参考文本或参考语言为空，服务器启动时也没有默认参考：在角色里填写 ref_audio、prompt_text、prompt_lang。",
        "en": "The request's reference audio, text or language is empty and the server has no start-up reference: set ref_audio, prompt_text and prompt_lang in the profile.",
    },
    "xiaozhi.say.rejected.language": {
        "zh": "服务器拒绝了请求（HTTP {status}）：{upstream}",
        "en": "The server refused the request (HTTP {status}): {upstream}",
    },
    "xiaozhi.say.rejected.language.hint": {
        "zh": "语言代码不被这个模型版本支持（v1 模型不支持粤语、韩语）：改角色的 prompt_lang / text_lang。",
        "en": "This model version does not support that language code (v1 models have no Cantonese or Korean): change prompt_lang / text_lang.",
    },
    "xiaozhi.say.rejected.split_method": {
        "zh": "服务器拒绝了请求（HTTP {status}）：{upstream}",
        "en": "The server refused the request (HTTP {status}): {upstream}",
    },
    "xiaozhi.say.rejected.split_method.hint": {
        "zh": "text_split_method 只能是 cut0~cut5。",
        "en": "text_split_method must be one of cut0 to cut5.",
    },
    "xiaozhi.say.rejected.file_not_found": {
        "zh": "服务器拒绝了请求（HTTP {status}）：{upstream}",
        "en": "The server refused the request (HTTP {status}): {upstream}",
    },
    "xiaozhi.say.rejected.file_not_found.hint": {
        "zh": "GPT-SoVITS 服务器找不到参考音频。路径必须是服务器所在电脑上的绝对路径；xiaozhi 在另一台电脑或 Docker 里时也是如此。",
        "en": "The GPT-SoVITS server cannot find the reference audio. The path must be absolute on the server's machine, even when xiaozhi runs elsewhere or in Docker.",
    },
    "xiaozhi.say.rejected.missing_field": {
        "zh": "服务器拒绝了请求（HTTP {status}）：{upstream}",
        "en": "The server refused the request (HTTP {status}): {upstream}",
    },
    "xiaozhi.say.rejected.missing_field.hint": {
        "zh": "请求缺少必填项：检查角色的 ref_audio、prompt_lang、text_lang。",
        "en": "A required field is missing: check the profile's ref_audio, prompt_lang and text_lang.",
    },
    "xiaozhi.say.rejected.prompt_text": {
        "zh": "服务器拒绝了请求（HTTP {status}）：{upstream}",
        "en": "The server refused the request (HTTP {status}): {upstream}",
    },
    "xiaozhi.say.rejected.prompt_text.hint": {
        "zh": "v3/v4 模型必须有参考文本：在角色里填写 prompt_text。",
        "en": "v3/v4 models need the reference text: set prompt_text in the profile.",
    },
    "xiaozhi.say.rejected.unknown": {
        "zh": "服务器拒绝了请求（HTTP {status}）：{upstream}",
        "en": "The server refused the request (HTTP {status}): {upstream}",
    },
    "xiaozhi.say.rejected.unknown.hint": {
        "zh": "用 sovits-launch logs <角色> 查看服务器日志里的报错。",
        "en": "See the server's log with sovits-launch logs <profile>.",
    },
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
    "bat.need_profile": {
        "zh": "请指定一个角色，或用 --all 为所有角色各生成一个 .bat。",
        "en": "Name a profile, or use --all to write one .bat per profile.",
    },
    "bat.profile_and_all": {
        "zh": "指定了角色就不能再加 --all。",
        "en": "Give either a profile or --all, not both.",
    },
    "bat.name_with_all": {
        "zh": "--name 只能用于单个角色，不能和 --all 一起用。",
        "en": "--name is for one profile; it cannot be used with --all.",
    },
    "bat.skipped_broken": {
        "zh": "跳过了读不出来的角色配置 {path}（{key}）。",
        "en": "Skipped the profile {path}, which cannot be read ({key}).",
    },
    "bat.skipped_broken.hint": {
        "zh": "运行 sovits-launch list 查看具体原因。",
        "en": "Run sovits-launch list to see why.",
    },
    "bat.no_profiles": {
        "zh": "{folder} 里还没有任何角色配置，没有生成 .bat。",
        "en": "There are no profiles in {folder} yet; no .bat was written.",
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
    # --- config.py patch ---
    "configpy.missing": {
        "zh": "找不到 {path}：这个文件夹不像 GPT-SoVITS 根目录。",
        "en": "{path} does not exist: this folder does not look like a GPT-SoVITS root.",
    },
    "configpy.missing.hint": {
        "zh": "用 --root 指向含 api.py 和 config.py 的整合包文件夹，或重新运行 sovits-launch init <根目录>。",
        "en": "Point --root at the package folder holding api.py and config.py, or run `sovits-launch init <root>` again.",
    },
    "configpy.unsupported": {
        "zh": "{path} 不是能安全修改的 config.py 版本，没有做任何修改（不符合之处：{problem}）。",
        "en": "{path} is not a config.py version that can be patched safely; nothing was changed (mismatch: {problem}).",
    },
    "configpy.unsupported.hint": {
        "zh": "支持的版本：{supported}。这些版本里恰好各有一行顶格的 sovits_path = \"…\" 和 gpt_path = \"…\"，由 Config 读取。"
        "如果你改过这两行，请改回普通的字符串；或者不改 config.py，直接用 sovits-launch start（它自己传模型路径）。",
        "en": "Supported: {supported}. Those have exactly one column-0 line each, sovits_path = \"…\" and gpt_path = \"…\", read by Config. "
        "If you edited these lines, turn them back into plain strings; or leave config.py alone and use sovits-launch start (it passes the weights itself).",
    },
    "configpy.syntax_error": {
        "zh": "{path} 第 {line} 行不是有效的 Python：{problem}；没有做任何修改。",
        "en": "{path}, line {line} is not valid Python: {problem}; nothing was changed.",
    },
    "configpy.syntax_error.hint": {
        "zh": "这个文件已经损坏，upstream 的 api.py 也会启动失败。可用 sovits-launch patch-config --restore 恢复备份，或从整合包原版重新复制 config.py。",
        "en": "The file is broken and upstream's api.py would fail too. Restore a backup with `sovits-launch patch-config --restore`, or copy config.py from a fresh package.",
    },
    "configpy.verify_failed": {
        "zh": "写入后检查 {path} 没有通过，已把原内容写回（备份：{backup}）。",
        "en": "{path} did not pass the check after writing; the original content was put back (backup: {backup}).",
    },
    "configpy.verify_failed.hint": {
        "zh": "这是启动器的问题，请加 --debug 重新运行并把输出附在问题反馈里。",
        "en": "This is a launcher bug: run again with --debug and include the output in a bug report.",
    },
    "configpy.changed_meanwhile": {
        "zh": "{path} 在检查之后被其它程序改动了，没有写入。",
        "en": "{path} was changed by something else after it was checked; nothing was written.",
    },
    "configpy.changed_meanwhile.hint": {
        "zh": "关掉正在编辑它的程序，再运行一次。",
        "en": "Close the program editing it and run the command again.",
    },
    "configpy.no_backup": {
        "zh": "没有可恢复的 {path} 备份（备份文件夹：{folder}）。",
        "en": "There is no backup of {path} left to restore (backup folder: {folder}).",
    },
    "configpy.no_backup.hint": {
        "zh": "只有 sovits-launch patch-config 改过的文件才有备份；每个备份只恢复一次，已全部恢复过则文件已是最初的样子。",
        "en": "Only files changed by `sovits-launch patch-config` have backups; each is restored once, so when none are left the file is back to how it was.",
    },
    "configpy.no_root": {
        "zh": "不知道要恢复哪个 GPT-SoVITS 的 config.py。",
        "en": "Which GPT-SoVITS package's config.py should be restored?",
    },
    "configpy.no_root.hint": {
        "zh": "加 --root <GPT-SoVITS 根目录>，或给出角色名，或先运行 sovits-launch init <根目录>。",
        "en": "Pass --root <GPT-SoVITS root> or a profile name, or run `sovits-launch init <root>` first.",
    },
    "configpy.need_profile": {
        "zh": "要写入哪个角色的模型？请给出角色名（或用 --restore 恢复备份）。",
        "en": "Whose weights should be written? Give a profile name (or use --restore to put a backup back).",
    },
    "configpy.dry_run": {
        "zh": "试运行：以上是将对 {path} 做的修改，没有写入任何文件。",
        "en": "Dry run: the change above would be made to {path}; nothing was written.",
    },
    "configpy.unchanged": {
        "zh": "{path} 的默认模型已经是角色 {name} 的，无需修改（没有写入，也没有新备份）。",
        "en": "{path} already defaults to {name}'s weights; nothing written, no new backup.",
    },
    "configpy.patched": {
        "zh": "已修改 {path}：默认模型现在是角色 {name} 的。",
        "en": "Patched {path}: its default weights are now {name}'s.",
    },
    "configpy.backup": {"zh": "原文件已备份到：{path}", "en": "The previous file was backed up to: {path}"},
    "configpy.undo": {
        "zh": "撤销：sovits-launch patch-config --restore --root \"{root}\"",
        "en": "Undo: sovits-launch patch-config --restore --root \"{root}\"",
    },
    "configpy.scope": {
        "zh": "注意：这只影响 upstream 自己的 api.py（不带 -s/-g 启动时的默认模型）。"
        "sovits-launch start 自己传模型路径，不受影响；WebUI 记在 weight.json 里，api_v2.py 读 tts_infer.yaml，也都不受影响。",
        "en": "Note: this only affects upstream's own api.py (its defaults when started without -s/-g). "
        "sovits-launch start passes the weights itself and is not affected; neither is the WebUI (weight.json) nor api_v2.py (tts_infer.yaml).",
    },
    "configpy.restored": {
        "zh": "已恢复 {path}（来自备份 {backup}）。",
        "en": "Restored {path} (from backup {backup}).",
    },
    "configpy.restored_same": {
        "zh": "{path} 与备份 {backup} 相同，无需改动；这个备份已标记为用过。",
        "en": "{path} is already the same as backup {backup}; nothing changed, the backup is marked as used.",
    },
    "configpy.saved_current": {
        "zh": "恢复前的文件已另存为：{path}",
        "en": "The file as it was before restoring is kept at: {path}",
    },
    "configpy.restore_values_only": {
        "zh": "config.py 在那次修改之后又有别的改动（例如更新了整合包或手动改过），所以只把两行默认模型改回备份 {backup} 里的值，其它内容保持现在的样子。",
        "en": "config.py was changed elsewhere after that patch (an update, or an edit by hand), so only the two default-weight lines are set back to the values in backup {backup}; everything else stays as it is now.",
    },
    "configpy.restore_more": {
        "zh": "还有 {count} 个更早的备份；再运行一次 --restore 会继续往回恢复。",
        "en": "{count} older backup(s) left; run --restore again to go further back.",
    },
    # --- doctor -------------------------------------------------------------------
    # preflight: what a start refuses or warns about (shared with doctor)
    "audio.out_of_range": {
        "zh": "参考音频 {path} 长 {seconds} 秒，不在 3~10 秒之间：api_v2.py 会对每个请求回答 400（参考音频在3~10秒范围外，请更换！）。",
        "en": "The reference {path} is {seconds} s long, outside 3-10 s: api_v2.py answers every request with 400 (Reference audio is outside the 3-10 second range).",
    },
    "audio.out_of_range.hint": {
        "zh": "在角色配置 {profile} 里换一段 3~10 秒的参考音频（ref_audio），或用音频软件把它剪到 3~10 秒；prompt_text 要和剪后的内容一致。",
        "en": "Pick a 3-10 s reference (ref_audio) in profile {profile}, or cut this one to 3-10 s in an audio editor; keep prompt_text matching what it says.",
    },
    "audio.out_of_range_v1": {
        "zh": "参考音频 {path} 长 {seconds} 秒，不在 3~10 秒之间：api.py 不检查长度，但效果会变差（太短音色不像，太长会乱读）。",
        "en": "The reference {path} is {seconds} s long, outside 3-10 s: api.py does not check, but the voice suffers (too short: wrong timbre; too long: garbled).",
    },
    "audio.out_of_range_v1.hint": {
        "zh": "在角色配置 {profile} 里换一段 3~10 秒的参考音频；换用 api_v2.py（--v2）时这样的音频会被拒绝。",
        "en": "Use a 3-10 s reference in profile {profile}; api_v2.py (--v2) refuses such audio.",
    },
    "weights.lora_base_missing": {
        "zh": "这是 {version} 的 LoRA 模型，需要底模 {path}，但它不存在（SoVITS {version} 底模缺失，无法加载相应 LoRA 权重）。",
        "en": "This is a {version} LoRA model; it needs the base model {path}, which is missing (SoVITS {version} 底模缺失).",
    },
    "weights.lora_base_missing.hint": {
        "zh": "把 {version} 底模放到 {path}（官方整合包自带，也可从 GPT-SoVITS 的 pretrained_models 下载）；或换用非 LoRA 的模型。",
        "en": "Put the {version} base model at {path} (official packages ship it; it is part of GPT-SoVITS's pretrained_models), or use a non-LoRA model.",
    },
    "weights.gpt_unreadable": {
        "zh": "GPT 模型 {path} 读不出来：{reason}",
        "en": "The GPT model {path} cannot be read: {reason}",
    },
    "weights.gpt_unreadable.hint": {
        "zh": "文件可能没下载完整、解压出错，或者不是 GPT-SoVITS 的 GPT 权重（.ckpt）。请重新下载或重新导出。",
        "en": "The file may be incomplete, badly unpacked, or not a GPT-SoVITS GPT weight (.ckpt). Download or export it again.",
    },
    "weights.mismatch": {
        "zh": "GPT 和 SoVITS 模型不是一套：{gpt} 是 {gpt_family} 音素表，{sovits}（{version}）是 {sovits_family} 音素表，加载时会报 size mismatch。",
        "en": "The GPT and SoVITS models do not belong together: {gpt} uses the {gpt_family} phoneme set, {sovits} ({version}) the {sovits_family} set; loading fails with a size mismatch.",
    },
    "weights.mismatch.hint": {
        "zh": "gpt 和 sovits 要选同一次训练（同一版本）导出的两个文件：v1 的放在 GPT_weights / SoVITS_weights，v2 及以后的放在带版本后缀的文件夹里。",
        "en": "Choose gpt and sovits from the same training (same version): v1 files live in GPT_weights / SoVITS_weights, later versions in the folders with a version suffix.",
    },
    "weights.name_mismatch": {
        "zh": "GPT 模型（{gpt}）和 SoVITS 模型（{sovits}）的训练名不同，可能不是同一个角色。",
        "en": "The GPT model ({gpt}) and the SoVITS model ({sovits}) come from differently named trainings; they may not be the same character.",
    },
    "weights.name_mismatch.hint": {
        "zh": "如果是有意混用可以忽略；否则把 gpt 和 sovits 改成同一个角色的两个文件。",
        "en": "Ignore this if you mixed them on purpose; otherwise pick both files of the same character.",
    },
    "weights.asset_missing": {
        "zh": "{version} 模型还需要 {path}，整合包里没有。",
        "en": "A {version} model also needs {path}, which the package lacks.",
    },
    "weights.asset_missing.hint": {
        "zh": "换用支持 {version} 的完整整合包，或把缺的文件补到 GPT_SoVITS/pretrained_models 里（见 GPT-SoVITS 说明的“预训练模型”一节）。",
        "en": "Use a complete package that supports {version}, or add the missing file to GPT_SoVITS/pretrained_models (see GPT-SoVITS's 'pretrained models' notes).",
    },
    "weights.unsupported_by_package": {
        "zh": "这个 SoVITS 模型是 {version}，但整合包 {root} 太旧，只支持 {supported}。",
        "en": "This SoVITS model is {version}, but the package {root} is too old: it supports {supported}.",
    },
    "weights.unsupported_by_package.hint": {
        "zh": "下载支持 {version} 的新版整合包（v4 需 2025-04 以后，v2Pro/v2ProPlus 需 2025-06 以后），或换用 {supported} 的模型。",
        "en": "Get a newer package that supports {version} (v4 since 2025-04, v2Pro/v2ProPlus since 2025-06), or use a {supported} model.",
    },
    # doctor: headings and summary
    "doctor.section.package": {"zh": "GPT-SoVITS 整合包：{subject}", "en": "GPT-SoVITS package: {subject}"},
    "doctor.section.runtime": {"zh": "整合包的 Python 与显卡：{subject}", "en": "The package's Python and GPU: {subject}"},
    "doctor.section.xiaozhi": {"zh": "xiaozhi-server：{subject}", "en": "xiaozhi-server: {subject}"},
    "doctor.section.profile": {"zh": "角色 {subject}", "en": "Profile {subject}"},
    "doctor.summary": {
        "zh": "共 {ok} 项通过，{warn} 项警告，{fail} 项失败。",
        "en": "{ok} passed, {warn} warnings, {fail} failed.",
    },
    "doctor.fix_prefix": {"zh": "修复", "en": "Fix"},
    "doctor.fix_generic": {
        "zh": "按上面的提示改正后，再运行 sovits-launch doctor 确认。",
        "en": "Correct what is named above, then run `sovits-launch doctor` again.",
    },
    "doctor.probing": {
        "zh": "正在询问整合包的 Python 能否使用显卡（第一次要等几十秒，之后会记住结果）……",
        "en": "Asking the package's Python about the GPU (the first time takes up to a minute; the answer is remembered)…",
    },
    "doctor.bundle_written": {
        "zh": "诊断包已保存：{path}（用户名和用户文件夹已替换成 <USER>/<HOME>）。反馈问题时附上这个文件。",
        "en": "Diagnostics bundle saved: {path} (user name and home folder replaced by <USER>/<HOME>). Attach it to your bug report.",
    },
    # doctor: the package
    "doctor.no_root": {"zh": "还不知道 GPT-SoVITS 整合包在哪里。", "en": "The GPT-SoVITS package is not known yet."},
    "doctor.no_root.hint": {
        "zh": "运行 sovits-launch init <整合包文件夹>，例如 sovits-launch init D:\\GPT-SoVITS-v2pro-20250604",
        "en": "Run `sovits-launch init <package folder>`, e.g. sovits-launch init D:\\GPT-SoVITS-v2pro-20250604",
    },
    "doctor.root_ok": {"zh": "整合包完整：{root}", "en": "Package found: {root}"},
    "doctor.python_ok": {"zh": "Python：{python}", "en": "Python: {python}"},
    "doctor.api_both": {"zh": "api.py 和 api_v2.py 都在。", "en": "api.py and api_v2.py are both present."},
    "doctor.api_one": {"zh": "只有 {present}，没有 {missing}。", "en": "Only {present}; {missing} is missing."},
    "doctor.api_one.hint": {
        "zh": "角色配置里的 api 要选有的那个（api.py = v1，api_v2.py = v2）；想用另一个请换新版整合包。",
        "en": "Set api in the profiles to the one present (api.py = v1, api_v2.py = v2); get a newer package for the other.",
    },
    "doctor.ffmpeg_ok": {"zh": "ffmpeg：{path}", "en": "ffmpeg: {path}"},
    "doctor.ffmpeg_missing": {
        "zh": "{folder} 里没有 ffmpeg：非 WAV 的参考音频读不了，部分输出格式也用不了。",
        "en": "No ffmpeg in {folder}: non-WAV references cannot be read and some output formats fail.",
    },
    "doctor.ffmpeg_missing.hint": {
        "zh": "重新解压整合包（官方包的 runtime 里自带 ffmpeg.exe 和 ffprobe.exe），或把它们复制进 runtime 文件夹；参考音频一律用 WAV 也可以。",
        "en": "Unpack the package again (official packages ship ffmpeg.exe and ffprobe.exe in runtime) or copy them there; or use WAV references only.",
    },
    "doctor.pretrained_ok": {"zh": "预训练模型（BERT、HuBERT）齐全。", "en": "Pretrained models (BERT, HuBERT) present."},
    "doctor.pretrained_missing": {
        "zh": "缺少预训练模型：{path}，两个 API 启动时都要加载它。",
        "en": "Missing pretrained model: {path}; both APIs load it at start.",
    },
    "doctor.pretrained_missing.hint": {
        "zh": "重新解压完整的整合包，或从 GPT-SoVITS 的 pretrained_models 下载后放回 GPT_SoVITS/pretrained_models。",
        "en": "Unpack the complete package again, or download GPT-SoVITS's pretrained_models into GPT_SoVITS/pretrained_models.",
    },
    "doctor.path_ascii": {"zh": "整合包路径只有英文、数字和常用符号。", "en": "The package path is plain ASCII."},
    "doctor.path_non_ascii_posix": {
        "zh": "整合包路径含中文或其它非英文字符（{root}）；只有 Windows 上的旧整合包会因此出错，这里没问题。",
        "en": "The package path has non-ASCII characters ({root}); only old packages on Windows break on that, so it is fine here.",
    },
    "doctor.path_non_ascii_fixed": {
        "zh": "整合包路径含中文（{root}），这个整合包已包含官方 2025-02-26 的中文路径修复，可以正常使用。",
        "en": "The package path is non-ASCII ({root}); this package has upstream's non-ASCII path fixes (2025-02-26), so it works.",
    },
    "doctor.path_non_ascii_unknown": {
        "zh": "整合包路径含中文（{root}），无法判断这个整合包是否包含 2025-02-26 的中文路径修复。",
        "en": "The package path is non-ASCII ({root}); whether this package has the 2025-02-26 non-ASCII path fixes cannot be told.",
    },
    "doctor.path_non_ascii_unknown.hint": {
        "zh": "如果合成日文/韩文或语种识别时报错，把整合包移到只含英文和数字的路径，例如 D:\\GPT-SoVITS。",
        "en": "If Japanese/Korean synthesis or language detection fails, move the package to an ASCII-only path such as D:\\GPT-SoVITS.",
    },
    "doctor.path_non_ascii_old": {
        "zh": "整合包路径含中文（{root}），而这个整合包早于官方 2025-02-26 的中文路径修复：日文、韩文和语种识别的模型会读取失败。",
        "en": "The package path is non-ASCII ({root}) and the package predates upstream's 2025-02-26 non-ASCII path fixes: the Japanese, Korean and language-detection models fail to load.",
    },
    "doctor.path_non_ascii_old.hint": {
        "zh": "把整合包移动到只含英文和数字的路径（例如 D:\\GPT-SoVITS），再运行 sovits-launch init 新路径；或换用 2025-02-26 以后的整合包。",
        "en": "Move the package to an ASCII-only path (e.g. D:\\GPT-SoVITS) and run `sovits-launch init` with it, or get a package from 2025-02-26 or later.",
    },
    "doctor.disk_ok": {"zh": "磁盘剩余空间：{free}（{path}）", "en": "Free disk space: {free} ({path})"},
    "doctor.disk_low": {"zh": "磁盘剩余空间只有 {free}（{path}）。", "en": "Only {free} free on the disk of {path}."},
    "doctor.disk_low.hint": {
        "zh": "清理这个盘（回收站、临时文件、旧的 logs 和 TEMP 文件夹），留出至少 2 GB。",
        "en": "Free some space on that drive (recycle bin, temporary files, old logs and TEMP folders): keep at least 2 GB.",
    },
    "doctor.disk_very_low": {
        "zh": "磁盘几乎满了：只剩 {free}（{path}），日志和合成的音频都写不进去。",
        "en": "The disk is almost full: {free} left ({path}); logs and synthesized audio cannot be written.",
    },
    "doctor.disk_very_low.hint": {
        "zh": "先清理这个盘（回收站、临时文件、旧的 logs 和 TEMP 文件夹），留出至少 2 GB 再启动。",
        "en": "Free space on that drive first (recycle bin, temporary files, old logs and TEMP folders): at least 2 GB.",
    },
    # doctor: the runtime
    "doctor.torch_ok": {
        "zh": "PyTorch {torch}（CUDA {cuda}）可以使用显卡：{gpus}",
        "en": "PyTorch {torch} (CUDA {cuda}) can use the GPU: {gpus}",
    },
    "doctor.torch_cpu_only": {
        "zh": "PyTorch {torch} 只能用 CPU（{reason}）：能用，但合成很慢。",
        "en": "PyTorch {torch} can only use the CPU ({reason}): it works, but synthesis is slow.",
    },
    "doctor.torch_missing": {
        "zh": "整合包的 Python（{python}）里没有可用的 PyTorch：{error}",
        "en": "The package's Python ({python}) has no working PyTorch: {error}",
    },
    "doctor.torch_missing.hint": {
        "zh": "整合包不完整或被改坏了：重新解压原版整合包；用 --python 指定解释器时，确认它装好了 GPT-SoVITS 的依赖。",
        "en": "The package is incomplete or damaged: unpack the original again; with --python, make sure that interpreter has GPT-SoVITS's dependencies.",
    },
    "doctor.probe_failed": {
        "zh": "无法询问整合包的 Python：{error}",
        "en": "Could not ask the package's Python: {error}",
    },
    "doctor.probe_failed.hint": {
        "zh": "在整合包文件夹里运行 runtime\\python.exe -c \"import torch\" 看看报什么错；杀毒软件拦截时把整合包加入信任。",
        "en": "Run runtime\\python.exe -c \"import torch\" in the package folder to see the error; if an antivirus blocks it, whitelist the package.",
    },
    "doctor.probe_timeout": {
        "zh": "整合包的 Python 没有及时回答（{error}）。",
        "en": "The package's Python did not answer in time ({error}).",
    },
    "doctor.probe_timeout.hint": {
        "zh": "第一次加载 PyTorch 在机械硬盘上可能很慢：稍后再运行 sovits-launch doctor --refresh；一直这样时检查杀毒软件是否在扫描整合包。",
        "en": "Loading PyTorch the first time can be slow on a hard disk: run `sovits-launch doctor --refresh` later; if it persists, check whether an antivirus scans the package.",
    },
    # doctor: xiaozhi
    "doctor.xiaozhi_ok": {"zh": "xiaozhi-server 文件夹和 config.yaml 都在：{path}", "en": "xiaozhi-server folder with config.yaml: {path}"},
    "doctor.xiaozhi_missing": {"zh": "找不到 xiaozhi-server 文件夹：{path}", "en": "xiaozhi-server folder not found: {path}"},
    "doctor.xiaozhi_missing.hint": {
        "zh": "重新运行 sovits-launch init <整合包> --xiaozhi <xiaozhi-server 文件夹>（里面有 config.yaml 的那一层）。",
        "en": "Run `sovits-launch init <package> --xiaozhi <xiaozhi-server folder>` again (the folder holding config.yaml).",
    },
    "doctor.xiaozhi_no_config": {
        "zh": "{path} 里没有 config.yaml，不像是 xiaozhi-server 文件夹。",
        "en": "{path} has no config.yaml; it does not look like the xiaozhi-server folder.",
    },
    "doctor.xiaozhi_no_config.hint": {
        "zh": "选 main\\xiaozhi-server 这一层（里面有 config.yaml 和 app.py），用 sovits-launch init --xiaozhi 重新设置。",
        "en": "Pick main\\xiaozhi-server (the folder with config.yaml and app.py) with `sovits-launch init --xiaozhi`.",
    },
    # doctor: one profile
    "doctor.profile_ok": {"zh": "配置文件可读：{path}（{title}）", "en": "Profile readable: {path} ({title})"},
    "doctor.api_ok": {"zh": "用 {script} 启动（api: {api}）。", "en": "Starts with {script} (api: {api})."},
    "doctor.gpt_ok": {"zh": "GPT 模型可读（{family} 音素表）：{path}", "en": "GPT model readable ({family} phoneme set): {path}"},
    "doctor.sovits_ok": {"zh": "SoVITS 模型 {version}：{path}", "en": "SoVITS model {version}: {path}"},
    "doctor.pair_ok": {"zh": "GPT 和 SoVITS 是一套（{family} 音素表）。", "en": "GPT and SoVITS belong together ({family} phoneme set)."},
    "doctor.ref_ok": {"zh": "参考音频 {seconds} 秒（3~10 秒之内）：{path}", "en": "Reference {seconds} s (within 3-10 s): {path}"},
    "doctor.emotions_ok": {"zh": "{count} 个情绪参考音频都在 3~10 秒之内。", "en": "All {count} emotion references are within 3-10 s."},
    "doctor.lang_ok": {"zh": "语言：参考 {prompt}，合成 {text}。", "en": "Languages: prompt {prompt}, text {text}."},
    "doctor.device_ok": {"zh": "设备 {device}（{gpu}），{precision}。", "en": "Device {device} ({gpu}), {precision}."},
    "doctor.device_cpu": {"zh": "设备 CPU（较慢）。", "en": "Device: CPU (slow)."},
    "doctor.device_auto": {
        "zh": "设备由 api.py 自己选择（有合适的 N 卡就用显卡）。",
        "en": "api.py picks the device itself (the GPU when a suitable one exists).",
    },
    "doctor.device_no_cuda": {
        "zh": "配置要求 device: {device}，但整合包的 PyTorch {torch} 用不了显卡：api.py 会报 Torch not compiled with CUDA enabled。",
        "en": "The profile asks for device: {device}, but the package's PyTorch {torch} cannot use the GPU: api.py fails with 'Torch not compiled with CUDA enabled'.",
    },
    "doctor.device_no_cuda.hint": {
        "zh": "有 N 卡：更新 NVIDIA 驱动，并确认下载的是 CUDA 版整合包；没有 N 卡：在配置里写 device: cpu。",
        "en": "With an NVIDIA GPU: update the driver and make sure the package is a CUDA build; without one: set device: cpu in the profile.",
    },
    "doctor.device_cpu_fallback": {
        "zh": "配置要用 {device}，但整合包的 PyTorch {torch} 用不了显卡：api_v2.py 会自动改用 CPU，能用但很慢。",
        "en": "The profile wants {device}, but the package's PyTorch {torch} cannot use the GPU: api_v2.py falls back to the CPU, which works but is slow.",
    },
    "doctor.device_cpu_fallback.hint": {
        "zh": "有 N 卡：更新 NVIDIA 驱动，并确认是 CUDA 版整合包；没有 N 卡：写 device: cpu 去掉这条警告。",
        "en": "With an NVIDIA GPU: update the driver and check the package is a CUDA build; without one: set device: cpu to silence this.",
    },
    "doctor.device_missing": {
        "zh": "配置要用 {device}，但只找到 {count} 块可用的显卡。",
        "en": "The profile wants {device}, but only {count} usable GPU(s) exist.",
    },
    "doctor.device_missing.hint": {
        "zh": "显卡从 0 开始编号：只有一块时写 device: cuda（或 cuda:0）。",
        "en": "GPUs are numbered from 0: with one GPU use device: cuda (or cuda:0).",
    },
    "doctor.half_unsupported": {
        "zh": "{gpu}（{device}）不适合半精度（fp16），但这个配置会用半精度：合成出来会是没有声音的音频。",
        "en": "{gpu} ({device}) is not suited to half precision (fp16), but this profile runs in fp16: the audio comes out silent.",
    },
    "doctor.half_unsupported.hint": {
        "zh": "在角色配置里加上 half: false（GTX 10 系、16 系等显卡都要这样）。",
        "en": "Add half: false to the profile (needed on GTX 10 and 16 series cards, among others).",
    },
    "doctor.half_on_cpu": {
        "zh": "角色 {profile} 用 CPU 却设了 half: true：api.py 在 CPU 上用半精度会报 not implemented for 'Half'。",
        "en": "Profile {profile} runs on the CPU with half: true: api.py then fails with \"not implemented for 'Half'\".",
    },
    "doctor.half_on_cpu.hint": {"zh": "改成 half: false，或删掉 half 这一行。", "en": "Set half: false or remove the half line."},
    "doctor.gpu_weak": {
        "zh": "{gpu}（{device}，{memory}）显存不足 4 GB 或架构太老，GPT-SoVITS 官方会改用 CPU；强制用它可能显存不足。",
        "en": "{gpu} ({device}, {memory}) has under 4 GB or is too old; upstream would use the CPU, and forcing it may run out of memory.",
    },
    "doctor.gpu_weak.hint": {
        "zh": "出现 CUDA out of memory 时在配置里写 device: cpu。",
        "en": "If you get CUDA out of memory, set device: cpu in the profile.",
    },
    "doctor.port_free": {"zh": "端口 {port} 空闲。", "en": "Port {port} is free."},
    "doctor.port_running": {
        "zh": "这个角色已经在端口 {port} 上运行（PID {pid}）。",
        "en": "This profile is already running on port {port} (PID {pid}).",
    },
    "doctor.port_gsv_unmanaged": {
        "zh": "端口 {port} 被另一个 GPT-SoVITS 占用（{name}，PID {pid}）：{cmdline}",
        "en": "Port {port} is taken by another GPT-SoVITS (not started by sovits-launch): {name}, PID {pid}: {cmdline}",
    },
    "doctor.port_gsv_unmanaged.hint": {
        "zh": "它不是 sovits-launch 启动的：关掉它的窗口，或运行 sovits-launch stop --port {port}；也可以换个端口 --port 9881。",
        "en": "sovits-launch did not start it: close its window or run `sovits-launch stop --port {port}`; or use another port (--port 9881).",
    },
    # failures added with doctor (patterns in failures.py; rendered with profile, port, line, log, code)
    "failure.cuda_fallback": {
        "zh": "{profile}：整合包的 PyTorch 用不了显卡，api_v2.py 已自动改用 CPU（能用，但很慢）。",
        "en": "{profile}: the package's PyTorch cannot use the GPU; api_v2.py fell back to the CPU (works, but slowly).",
    },
    "failure.cuda_fallback.hint": {
        "zh": "有 N 卡：更新 NVIDIA 驱动，确认是 CUDA 版整合包；没有 N 卡：在配置里写 device: cpu。sovits-launch doctor 会显示详情。",
        "en": "With an NVIDIA GPU: update the driver and check the package is a CUDA build; without one: set device: cpu. `sovits-launch doctor` shows details.",
    },
    "failure.half_on_cpu": {
        "zh": "{profile}：在 CPU 上用了半精度（{line}）。",
        "en": "{profile}: half precision on the CPU ({line}).",
    },
    "failure.half_on_cpu.hint": {
        "zh": "在角色配置里改成 half: false（或删掉 half 这一行）再启动。",
        "en": "Set half: false in the profile (or remove the half line) and start again.",
    },
    "failure.weights_mismatch": {
        "zh": "{profile}：模型和程序对不上（{line}）。",
        "en": "{profile}: the model does not fit the code loading it ({line}).",
    },
    "failure.weights_mismatch.hint": {
        "zh": "gpt 和 sovits 要是同一次训练、同一版本的两个文件，而且整合包要支持这个版本：运行 sovits-launch doctor 检查。",
        "en": "gpt and sovits must come from the same training and version, and the package must support that version: run `sovits-launch doctor`.",
    },
    "failure.weights_corrupt": {
        "zh": "{profile}：模型文件损坏或不完整，PyTorch 读不出来（{line}）。",
        "en": "{profile}: a model file is damaged or incomplete; PyTorch cannot read it ({line}).",
    },
    "failure.weights_corrupt.hint": {
        "zh": "重新下载或重新导出模型文件（常见原因：下载中断、网盘只下了一部分、解压出错）。",
        "en": "Download or export the model again (usual causes: an interrupted download, a partial cloud download, a bad unpack).",
    },
    "failure.ref_out_of_range": {
        "zh": "{profile}：请求里的参考音频不在 3~10 秒之间，服务器拒绝了（参考音频在3~10秒范围外，请更换！）。",
        "en": "{profile}: a request's reference audio is outside 3-10 s and the server refused it (Reference audio is outside the 3-10 second range).",
    },
    "failure.ref_out_of_range.hint": {
        "zh": "xiaozhi 或其它程序发来的 ref_audio_path 要指向 3~10 秒的 WAV；sovits-launch doctor 会检查配置里的参考音频。",
        "en": "The ref_audio_path sent by xiaozhi or another client must be a 3-10 s WAV; `sovits-launch doctor` checks the profile's references.",
    },
    "failure.paging_file": {
        "zh": "{profile}：Windows 虚拟内存（页面文件）太小，PyTorch 加载失败（{line}）。",
        "en": "{profile}: the Windows paging file is too small for PyTorch to load ({line}).",
    },
    "failure.paging_file.hint": {
        "zh": "系统属性 → 高级 → 性能设置 → 高级 → 虚拟内存：改为“系统管理的大小”或设到 16 GB 以上，重启电脑后再试。",
        "en": "System properties → Advanced → Performance settings → Advanced → Virtual memory: use 'System managed size' or at least 16 GB, reboot, and try again.",
    },
    "failure.dll_load": {
        "zh": "{profile}：加载 DLL 失败（{line}）。",
        "en": "{profile}: a DLL failed to load ({line}).",
    },
    "failure.dll_load.hint": {
        "zh": "安装最新的微软 VC++ 运行库（x64）并更新显卡驱动；仍不行就重新解压整合包（杀毒软件可能删掉了文件）。",
        "en": "Install the latest Microsoft VC++ redistributable (x64) and update the GPU driver; if it persists, unpack the package again (an antivirus may have removed files).",
    },
    "failure.pretrained_missing": {
        "zh": "{profile}：找不到预训练模型（{line}）。",
        "en": "{profile}: a pretrained model is missing ({line}).",
    },
    "failure.pretrained_missing.hint": {
        "zh": "整合包的 GPT_SoVITS/pretrained_models 不完整：重新解压整合包，或补上 chinese-roberta-wwm-ext-large 和 chinese-hubert-base。",
        "en": "GPT_SoVITS/pretrained_models is incomplete: unpack the package again, or restore chinese-roberta-wwm-ext-large and chinese-hubert-base.",
    },
    "failure.traceback": {
        "zh": "{profile} 的服务器因 Python 错误退出（退出码 {code}）：{exception}\n    出错位置：{frame}\n    完整日志：{log}",
        "en": "{profile}'s server stopped on a Python error (exit code {code}): {exception}\n    Where: {frame}\n    Full log: {log}",
    },
    "failure.traceback.hint": {
        "zh": "这是 GPT-SoVITS 自己报的错：先运行 sovits-launch doctor 检查配置和整合包；仍不明白时用 sovits-launch doctor --bundle 生成诊断包，连同这段错误一起反馈。",
        "en": "GPT-SoVITS itself raised this: run `sovits-launch doctor` to check the profile and package; if still unclear, make a bundle with `sovits-launch doctor --bundle` and report it with this error.",
    },
    "failure.cuda_arch": {
        "zh": "{profile}：显卡比整合包里的 PyTorch 新，PyTorch 不支持它（{line}）。",
        "en": "{profile}: the GPU is newer than the package's PyTorch, which does not support it ({line}).",
    },
    "failure.cuda_arch.hint": {
        "zh": "换用较新的整合包（RTX 50 系需要 CUDA 12.8 版的整合包）；临时可在配置里写 device: cpu。",
        "en": "Get a newer package (RTX 50 series cards need a CUDA 12.8 build); meanwhile set device: cpu in the profile.",
    },
    # --- packs --------------------------------------------------------------------
    "packs.source_missing": {"zh": "找不到要导入的文件或文件夹：{path}", "en": "Nothing to import at {path}"},
    "packs.source_missing.hint": {
        "zh": "检查路径是否写对；路径里有空格时整个加上引号。",
        "en": "Check the path; quote it when it contains spaces.",
    },
    "packs.source_unsupported": {
        "zh": "{path} 不是文件夹也不是 zip（{ext}），无法导入。",
        "en": "{path} is neither a folder nor a zip ({ext}).",
    },
    "packs.source_unsupported.hint": {
        "zh": "给出角色包解压后的文件夹，或下载得到的 .zip。",
        "en": "Give the unpacked pack folder or the downloaded .zip.",
    },
    "packs.archive_unsupported": {
        "zh": "不支持 {ext} 压缩包：{path}",
        "en": "{ext} archives are not supported: {path}",
    },
    "packs.archive_unsupported.hint": {
        "zh": "先用 7-Zip 或 Bandizip 解压，再导入解压出的文件夹：sovits-launch import <文件夹>",
        "en": "Unpack it with 7-Zip first, then import the folder: sovits-launch import <folder>",
    },
    "packs.zip_corrupt": {"zh": "压缩包已损坏或不完整：{path}（{reason}）", "en": "The zip is damaged or incomplete: {path} ({reason})"},
    "packs.zip_corrupt.hint": {
        "zh": "重新下载（下载中断常见）；或用 7-Zip 试着解压后导入文件夹。什么都没有改动。",
        "en": "Download it again (interrupted downloads are common), or unpack it with 7-Zip and import the folder. Nothing was changed.",
    },
    "packs.zip_unsafe_path": {
        "zh": "压缩包里有指向外部的路径“{entry}”（../、绝对路径或盘符），为安全起见拒绝导入。",
        "en": "The zip holds a path that points outside its folder: '{entry}' (../, absolute or a drive letter); refused for safety.",
    },
    "packs.zip_unsafe_path.hint": {
        "zh": "这样的压缩包可能被篡改过，请从可信的来源重新下载。什么都没有改动。",
        "en": "Such an archive may have been tampered with; download it again from a trusted source. Nothing was changed.",
    },
    "packs.zip_symlink": {
        "zh": "压缩包里有符号链接“{entry}”，为安全起见拒绝导入。",
        "en": "The zip holds a symbolic link '{entry}'; refused for safety.",
    },
    "packs.zip_symlink.hint": {
        "zh": "角色包只需要普通文件；请换一个来源，或手动解压后删除链接再导入文件夹。",
        "en": "A voice pack needs plain files only; get another copy, or unpack it, delete the link and import the folder.",
    },
    "packs.zip_encrypted": {
        "zh": "压缩包有解压密码（{entry}），无法直接导入。",
        "en": "The zip is password-protected ({entry}).",
    },
    "packs.zip_encrypted.hint": {
        "zh": "用 7-Zip 输入发布者给的密码解压，再导入解压出的文件夹。",
        "en": "Unpack it with 7-Zip using the publisher's password, then import the folder.",
    },
    "packs.zip_method": {
        "zh": "压缩包使用了不支持的压缩方式（{method}）：{entry}",
        "en": "The zip uses an unsupported compression method ({method}): {entry}",
    },
    "packs.zip_method.hint": {
        "zh": "用 7-Zip 解压，再导入解压出的文件夹。",
        "en": "Unpack it with 7-Zip, then import the folder.",
    },
    "packs.zip_duplicate": {
        "zh": "压缩包里有重名的条目（Windows 不分大小写）：{entry}",
        "en": "The zip holds two entries with the same name (Windows ignores case): {entry}",
    },
    "packs.zip_duplicate.hint": {
        "zh": "手动解压，确认要保留哪一个，再导入文件夹。",
        "en": "Unpack it by hand, keep the right one, then import the folder.",
    },
    "packs.zip_too_large": {
        "zh": "压缩包解压后有 {size}，超过上限 {limit}，拒绝导入。",
        "en": "The zip expands to {size}, more than the {limit} limit; refused.",
    },
    "packs.zip_too_large.hint": {
        "zh": "一个角色包通常不到 1 GiB；若确实这么大，请手动解压后导入文件夹。",
        "en": "A voice pack is usually under 1 GiB; if this one really is that large, unpack it and import the folder.",
    },
    "packs.zip_too_many": {
        "zh": "压缩包里有 {count} 个条目，超过上限 {limit}。",
        "en": "The zip holds {count} entries, more than the {limit} limit.",
    },
    "packs.zip_too_many.hint": {
        "zh": "这不像一个角色包；请手动解压，只导入需要的角色文件夹。",
        "en": "This does not look like a voice pack; unpack it and import only the character folders you need.",
    },
    "packs.zip_bomb": {
        "zh": "压缩包里的“{entry}”压缩比异常（约 {ratio} 倍），疑似“压缩炸弹”，拒绝导入。",
        "en": "'{entry}' in the zip has an abnormal compression ratio (about {ratio}x), like a zip bomb; refused.",
    },
    "packs.zip_bomb.hint": {
        "zh": "请从可信的来源重新下载。什么都没有改动。",
        "en": "Download it again from a trusted source. Nothing was changed.",
    },
    "packs.no_space": {
        "zh": "{path} 所在磁盘空间不足：需要 {need}，只剩 {free}。",
        "en": "Not enough disk space at {path}: {need} needed, {free} free.",
    },
    "packs.no_space.hint": {
        "zh": "清理磁盘空间后重试。什么都没有改动。",
        "en": "Free some disk space and try again. Nothing was changed.",
    },
    "packs.extract_failed": {"zh": "解压 {path} 失败：{reason}", "en": "Could not unpack {path}: {reason}"},
    "packs.extract_failed.hint": {
        "zh": "检查磁盘空间和写入权限；杀毒软件拦截时可先手动解压再导入文件夹。",
        "en": "Check disk space and permissions; if an antivirus blocks it, unpack it by hand and import the folder.",
    },
    "packs.symlink": {
        "zh": "角色包里有符号链接或目录联接：{path}，为安全起见拒绝导入。",
        "en": "The pack holds a symbolic link or junction: {path}; refused for safety.",
    },
    "packs.symlink.hint": {
        "zh": "把链接换成真正的文件（复制过来）后再导入。",
        "en": "Replace the link with the real file (copy it in), then import again.",
    },
    "packs.too_many_files": {
        "zh": "{path} 里的文件超过 {limit} 个，不像一个角色包。",
        "en": "{path} holds more than {limit} files; that is not a voice pack.",
    },
    "packs.too_many_files.hint": {
        "zh": "指向角色包本身的文件夹（里面有 .ckpt 和 .pth），而不是整个下载目录或磁盘。",
        "en": "Point at the pack's own folder (the one with the .ckpt and .pth), not a whole downloads folder or drive.",
    },
    "packs.nothing_found": {
        "zh": "{path} 里没有找到模型文件（.ckpt / .pth），共看了 {files} 个文件。",
        "en": "No model files (.ckpt / .pth) in {path} ({files} files looked at).",
    },
    "packs.nothing_found.hint": {
        "zh": "角色包要有 GPT 模型（.ckpt）和 SoVITS 模型（.pth）；只有参考音频的包请放进 参考音频/<角色>/，再在配置里填 ref_audio。",
        "en": "A voice pack needs a GPT model (.ckpt) and a SoVITS model (.pth); put reference-only packs into 参考音频/<name>/ and set ref_audio in the profile.",
    },
    "packs.name_with_library": {
        "zh": "这个包里有 {count} 个角色，--name / --display-name 只能用于单个角色。",
        "en": "This pack holds {count} characters; --name / --display-name work for a single character only.",
    },
    "packs.name_with_library.hint": {
        "zh": "去掉 --name 一次全部导入，或只导入其中一个角色的文件夹。",
        "en": "Drop --name to import them all, or import one character's folder.",
    },
    "packs.in_place_zip": {
        "zh": "--in-place 只能用于文件夹：zip 里的文件没有可以“留在原处”的位置（{path}）。",
        "en": "--in-place works with folders only: files inside a zip have no place to stay ({path}).",
    },
    "packs.in_place_zip.hint": {
        "zh": "先把 zip 解压到想放的位置，再 sovits-launch import <文件夹> --in-place；或去掉 --in-place。",
        "en": "Unpack the zip where you want it, then `sovits-launch import <folder> --in-place`; or drop --in-place.",
    },
    "packs.bad_name": {"zh": "“{name}”不能用作角色名。", "en": "'{name}' cannot be a profile name."},
    "packs.bad_name.hint": {
        "zh": "角色名会成为文件名和命令里的词：不要用 \\ / : * ? \" < > | ，不要以 - 开头或以 . 结尾。",
        "en": "The name becomes a file name and a command word: avoid \\ / : * ? \" < > |, a leading - and a trailing dot.",
    },
    "packs.missing_weight": {
        "zh": "角色 {character} 缺少 {ext} 文件（{folder}）。",
        "en": "Character {character} has no {ext} file ({folder}).",
    },
    "packs.missing_weight.hint": {
        "zh": "GPT 模型是 .ckpt，SoVITS 模型是 .pth，两个都要；检查是否漏下载了一个。",
        "en": "The GPT model is a .ckpt and the SoVITS model a .pth; both are needed. Check whether one is missing from the download.",
    },
    "packs.ambiguous_weights": {
        "zh": "角色 {character} 有 {count} 个 {ext} 文件，不知道用哪个：",
        "en": "Character {character} has {count} {ext} files; which one should be used?",
    },
    "packs.ambiguous_weights.hint": {
        "zh": "用 {flag} 指定文件名，例如 {flag} \"{example}\"（通常选轮数 e 最大的）。",
        "en": "Choose one with {flag}, e.g. {flag} \"{example}\" (usually the highest epoch e).",
    },
    "packs.choice_not_found": {
        "zh": "{flag} {value} 不在包里；可选：{files}",
        "en": "{flag} {value} is not in the pack; candidates: {files}",
    },
    "packs.choice_not_found.hint": {
        "zh": "从上面的文件名里复制一个给 {flag}。",
        "en": "Copy one of the names above into {flag}.",
    },
    "packs.lfs_pointer": {
        "zh": "{path} 只是 Git LFS 的指针文件，不是模型本身。",
        "en": "{path} is a Git LFS pointer, not the model itself.",
    },
    "packs.lfs_pointer.hint": {
        "zh": "在网页上点“下载”按钮下载真正的文件（通常有几十到几百 MB），不要用 git clone 后的小文件。",
        "en": "Download the real file with the site's download button (tens to hundreds of MB), not the small file from a git clone.",
    },
    "packs.bad_gpt": {
        "zh": "{path} 不是 GPT-SoVITS 的 GPT 模型（文件开头不对）。",
        "en": "{path} is not a GPT-SoVITS GPT model (wrong file header).",
    },
    "packs.bad_gpt.hint": {
        "zh": "文件可能没下载完整，或下载到的是网页；重新下载。",
        "en": "The file may be incomplete or a saved web page; download it again.",
    },
    "packs.profile_exists": {
        "zh": "已经有名为 {name} 的角色配置：{path}",
        "en": "A profile named {name} already exists: {path}",
    },
    "packs.profile_exists.hint": {
        "zh": "加 --force 替换（旧文件会先备份），或用 --name 换一个名字。什么都没有改动。",
        "en": "Add --force to replace it (the old file is backed up first), or choose another name with --name. Nothing was changed.",
    },
    "packs.file_exists": {
        "zh": "目标位置已有同名但内容不同的文件（共 {count} 个）：{path}",
        "en": "{count} target file(s) already exist with different content: {path}",
    },
    "packs.file_exists.hint": {
        "zh": "加 --force 替换（旧文件先备份为 .bak-时间），或用 --in-place 让文件留在原处。什么都没有改动。",
        "en": "Add --force to replace them (old files are kept as .bak-<time>), or --in-place to leave the files where they are. Nothing was changed.",
    },
    "packs.copy_failed": {"zh": "复制 {source} 到 {path} 失败：{reason}", "en": "Could not copy {source} to {path}: {reason}"},
    "packs.copy_failed.hint": {
        "zh": "检查磁盘空间和写入权限；没有留下半个文件。",
        "en": "Check disk space and write permission; no partial file was left.",
    },
    "packs.apply_failed": {
        "zh": "导入中途失败（{path}：{reason}），已全部撤销，整合包和角色配置保持原样。",
        "en": "The import failed half-way ({path}: {reason}); everything was undone, the package and profiles are as before.",
    },
    "packs.apply_failed.hint": {
        "zh": "检查磁盘空间、写入权限、文件是否被 WebUI 或其它程序占用，然后重试。",
        "en": "Check disk space, permissions and whether the WebUI or another program holds the files, then try again.",
    },
    "packs.no_root": {
        "zh": "还不知道 GPT-SoVITS 整合包在哪里。",
        "en": "The GPT-SoVITS package folder is not known yet.",
    },
    "packs.no_root.hint": {
        "zh": "先运行 sovits-launch init <GPT-SoVITS 根目录>，或给 import 加 --root <根目录>。",
        "en": "Run `sovits-launch init <GPT-SoVITS root>` first, or add --root <root> to import.",
    },
    "packs.problems": {
        "zh": "{count} 个角色无法导入，什么都没有改动：",
        "en": "{count} characters cannot be imported; nothing was changed:",
    },
    # warnings (returned, not raised)
    "packs.gbk_names": {
        "zh": "压缩包里有 {count} 个文件名按 GBK 解码（中文 Windows 压缩的 zip）。",
        "en": "{count} file names in the zip were decoded as GBK (zipped on Chinese Windows).",
    },
    "packs.unwrapped": {"zh": "已跳过外层文件夹：{folders}", "en": "Skipped the wrapping folder(s): {folders}"},
    "packs.nested_zips": {
        "zh": "包里还有压缩包，没有处理：{files}",
        "en": "Archives inside the pack were not opened: {files}",
    },
    "packs.nested_zips.hint": {
        "zh": "需要的话把它们单独导入：sovits-launch import <内层 zip>",
        "en": "Import them separately if needed: sovits-launch import <inner zip>",
    },
    "packs.infer_config_bad": {
        "zh": "infer_config.json 读不懂，已忽略：{path}",
        "en": "infer_config.json could not be read and was ignored: {path}",
    },
    "packs.infer_config_missing_wav": {
        "zh": "infer_config.json 里情绪“{emotion}”的音频不在包里：{path}",
        "en": "infer_config.json: the audio for emotion '{emotion}' is not in the pack: {path}",
    },
    "packs.lora_base_missing": {
        "zh": "这是 {version} LoRA 模型，整合包里缺少它的底模 {base}，启动时会失败。",
        "en": "This is a {version} LoRA model and its base {base} is missing from the package; starting will fail.",
    },
    "packs.lora_base_missing.hint": {
        "zh": "换用带 {version} 底模的整合包（或按官方说明下载底模放到上面的位置）。",
        "en": "Use a package that ships the {version} base model (or download it to the path above, as upstream documents).",
    },
    "packs.default_out_of_range": {
        "zh": "标为默认的参考音频 {file} 长 {seconds} 秒，不在 3~10 秒内，没有用它。",
        "en": "The reference marked default, {file}, is {seconds} s, outside 3-10 s; not used.",
    },
    "packs.refs_unreadable": {
        "zh": "{count} 个 .wav 读不出时长（不是标准 WAV？）：{files}",
        "en": "{count} .wav file(s) could not be measured (not a standard WAV?): {files}",
    },
    "packs.refs_unreadable.hint": {
        "zh": "用 ffmpeg 或 Audacity 另存为标准 WAV。",
        "en": "Re-save them as standard WAV with ffmpeg or Audacity.",
    },
    "packs.audio_not_wav": {
        "zh": "{count} 个非 WAV 音频没有用作参考：{files}",
        "en": "{count} non-WAV audio file(s) were not used as references: {files}",
    },
    "packs.audio_not_wav.hint": {
        "zh": "需要的话转成 3~10 秒的 WAV，放进参考音频文件夹，再在配置里填 ref_audio。",
        "en": "If needed, convert them to 3-10 s WAV, put them in the reference folder and set ref_audio.",
    },
    "packs.transcript_filename": {
        "zh": "参考音频的文本取自文件名（{file}），请确认与音频内容一致。",
        "en": "The reference's transcript was taken from its file name ({file}); check that it matches the audio.",
    },
    "packs.transcript_none": {
        "zh": "参考音频 {file} 没有文本，prompt_text 是空的。",
        "en": "The reference {file} has no transcript; prompt_text is empty.",
    },
    "packs.transcript_none.hint": {
        "zh": "在配置的 prompt_text 里写上音频里说的话，合成效果会好很多。",
        "en": "Write what the audio says into prompt_text in the profile; the result improves a lot.",
    },
    "packs.refs_out_of_range": {
        "zh": "{count} 个参考音频都不在 3~10 秒内（最短 {shortest} 秒，最长 {longest} 秒），配置里暂无参考音频。",
        "en": "None of the {count} references is 3-10 s long (shortest {shortest} s, longest {longest} s); the profile has no reference yet.",
    },
    "packs.refs_out_of_range.hint": {
        "zh": "用剪辑软件截取 3~10 秒的一段放进 {folder}，再在配置里填 ref_audio 和 prompt_text。",
        "en": "Cut a 3-10 s piece with an audio editor into {folder}, then set ref_audio and prompt_text in the profile.",
    },
    "packs.no_reference": {
        "zh": "包里没有参考音频，配置里暂无参考音频（AI-Hobbyist 的参考音频需另外下载）。",
        "en": "The pack has no reference audio, so the profile has none yet (AI-Hobbyist references are a separate download).",
    },
    "packs.no_reference.hint": {
        "zh": "把一段 3~10 秒的 wav 放进 {folder}，再在配置里填 ref_audio 和 prompt_text（音频里说的话）。",
        "en": "Put a 3-10 s wav into {folder}, then set ref_audio and prompt_text (what it says) in the profile.",
    },
    "packs.emotions_out_of_range": {
        "zh": "{count} 个情绪参考不在 3~10 秒内，没有加入：{files}",
        "en": "{count} emotion reference(s) are outside 3-10 s and were left out: {files}",
    },
    # choices and their reasons
    "packs.why.option": {"zh": "由 {flag} 指定", "en": "given with {flag}"},
    "packs.why.name_weights": {"zh": "取自模型文件名", "en": "from the model file names"},
    "packs.why.name_folder": {"zh": "取自文件夹名", "en": "from the folder name"},
    "packs.why.name_pack": {"zh": "取自压缩包名", "en": "from the archive name"},
    "packs.why.only_candidate": {"zh": "包里唯一的 {ext}", "en": "the only {ext} in the pack"},
    "packs.why.infer_config": {"zh": "infer_config.json 指定", "en": "named by infer_config.json"},
    "packs.why.version_header": {"zh": ".pth 文件头 \"{head}\"", "en": ".pth header \"{head}\""},
    "packs.why.version_size": {"zh": "旧格式 .pth，按大小 {size} 判断", "en": "old-format .pth, by its size {size}"},
    "packs.why.version_pretrained": {"zh": "这是官方底模", "en": "this is a pretrained base model"},
    "packs.why.default_mark": {"zh": "包里标为默认（{mark}）", "en": "marked default in the pack ({mark})"},
    "packs.why.neutral": {"zh": "没有默认，选了平和的情绪“{emotion}”", "en": "no default; the neutral emotion '{emotion}'"},
    "packs.why.first_in_range": {"zh": "第一个 3~10 秒的参考音频", "en": "the first 3-10 s reference"},
    "packs.why.lang_folder": {"zh": "语言文件夹“{label}”", "en": "language folder '{label}'"},
    "packs.why.lang_list": {"zh": ".list 标注“{label}”", "en": ".list entry '{label}'"},
    "packs.why.lang_infer_config": {"zh": "infer_config.json 写的“{label}”", "en": "infer_config.json says '{label}'"},
    "packs.why.lang_name_suffix": {"zh": "模型名后缀（{label}）", "en": "model name suffix ({label})"},
    "packs.why.lang_script": {"zh": "按文本的文字判断", "en": "guessed from the transcript's script"},
    "packs.why.lang_assumed": {"zh": "无从判断，默认中文", "en": "unknown; Chinese assumed"},
    "packs.why.text_lang": {"zh": "模型语言的混合模式，可读中英混排", "en": "the model language's mixed mode"},
    "packs.why.api": {"zh": "整合包有 {script}", "en": "the package has {script}"},
    # what `import` prints
    "packs.layout.gsvi": {"zh": "GSVI 角色文件夹", "en": "GSVI character folder"},
    "packs.layout.gsvi-library": {"zh": "GSVI 角色库（trained/）", "en": "GSVI library (trained/)"},
    "packs.layout.library": {"zh": "多角色模型库", "en": "library of models"},
    "packs.layout.ai-hobbyist": {"zh": "AI-Hobbyist 模型包", "en": "AI-Hobbyist model pack"},
    "packs.layout.plain": {"zh": "普通模型包", "en": "plain model pack"},
    "packs.layout.unknown": {"zh": "无法识别", "en": "not recognised"},
    "packs.recognised": {
        "zh": "识别为：{layout}，{count} 个角色（{source}）",
        "en": "Recognised: {layout}, {count} character(s) ({source})",
    },
    "packs.character": {"zh": "角色 {name}（{display}）", "en": "Character {name} ({display})"},
    "packs.field.name": {"zh": "角色名", "en": "Name"},
    "packs.field.display_name": {"zh": "显示名", "en": "Display name"},
    "packs.field.gpt": {"zh": "GPT 模型", "en": "GPT model"},
    "packs.field.sovits": {"zh": "SoVITS 模型", "en": "SoVITS model"},
    "packs.field.version": {"zh": "版本", "en": "Version"},
    "packs.field.ref_audio": {"zh": "默认参考音频", "en": "Default reference"},
    "packs.field.prompt_lang": {"zh": "参考语言", "en": "Reference language"},
    "packs.field.text_lang": {"zh": "合成语言", "en": "Text language"},
    "packs.field.api": {"zh": "接口", "en": "API"},
    "packs.choice_line": {"zh": "  {field}：{value} — {why}", "en": "  {field}: {value} — {why}"},
    "packs.ref_value": {"zh": "{file}（{seconds} 秒）", "en": "{file} ({seconds} s)"},
    "packs.sep": {"zh": "、", "en": ", "},
    "packs.emotions": {"zh": "  情绪（{count}）：{names}", "en": "  Emotions ({count}): {names}"},
    "packs.emotions_none": {"zh": "  情绪：无", "en": "  Emotions: none"},
    "packs.files": {"zh": "文件：", "en": "Files:"},
    "packs.action.copy": {"zh": "复制", "en": "copy"},
    "packs.action.replace": {"zh": "替换", "en": "replace"},
    "packs.action.same": {"zh": "已存在（内容相同）", "en": "already there (same)"},
    "packs.action.in_place": {"zh": "留在原处", "en": "left in place"},
    "packs.action.create": {"zh": "新建", "en": "create"},
    "packs.backup": {"zh": "已备份：{path}", "en": "Backed up: {path}"},
    "packs.profile_written": {"zh": "已写入角色配置 {name}：{path}", "en": "Profile {name} written: {path}"},
    "packs.profile_replaced": {
        "zh": "已替换角色配置 {name}（旧文件已备份）：{path}",
        "en": "Profile {name} replaced (old file backed up): {path}",
    },
    "packs.would_write": {"zh": "将写入角色配置 {name}：{path}", "en": "Would write profile {name}: {path}"},
    "packs.dry_run": {"zh": "试运行：什么都没有改动。", "en": "Dry run: nothing was changed."},
    "packs.needs_reference": {
        "zh": "{name} 还缺参考音频，启动前请补上（见上面的提示）。",
        "en": "{name} still needs a reference before it can start (see above).",
    },
    "packs.next": {"zh": "下一步：{command}", "en": "Next: {command}"},
    "packs.extracting": {"zh": "解压中", "en": "Unpacking"},
    "packs.copying": {"zh": "复制中", "en": "Copying"},
    "packs.summary": {
        "zh": "已导入 {count} 个角色，复制了 {size}。",
        "en": "Imported {count} character(s), {size} copied.",
    },
    "packs.col.emotions": {"zh": "情绪", "en": "EMOTIONS"},
    "packs.col.notes": {"zh": "提示", "en": "NOTES"},
    # --- menu ---
    "menu.title": {"zh": "GPT-SoVITS 启动器 sovits-launch {version}", "en": "GPT-SoVITS launcher sovits-launch {version}"},
    "menu.cli_hint": {
        "zh": "（也可以在命令行里用：sovits-launch --help）",
        "en": "(Also usable from a command line: sovits-launch --help)",
    },
    "menu.root": {"zh": "整合包：{root}", "en": "Package: {root}"},
    "menu.no_root": {"zh": "还没有设置 GPT-SoVITS 整合包。", "en": "No GPT-SoVITS package is set up yet."},
    "menu.offer": {
        "zh": "这里有一个还没设置的 GPT-SoVITS 整合包：{path}",
        "en": "Found a GPT-SoVITS package that is not set up yet: {path}",
    },
    "menu.offer_other": {"zh": "（现在记住的整合包是 {root}）", "en": "(The package remembered now is {root})"},
    "menu.offer_question": {
        "zh": "现在设置它吗？会为每个训练好的角色生成配置。[Y/n] ",
        "en": "Set it up now? A profile is made for every trained character. [Y/n] ",
    },
    "menu.yes_no_again": {"zh": "请输入 y（是）或 n（否）。", "en": "Please answer y (yes) or n (no)."},
    "menu.profiles": {"zh": "角色（输入编号启动）：", "en": "Profiles (type a number to start one):"},
    "menu.no_profiles": {
        "zh": "还没有角色：先设置整合包（s），或导入角色包（i）。",
        "en": "No profiles yet: set up a package (s) or import a voice pack (i).",
    },
    "menu.state.ready": {"zh": "可以启动", "en": "ready to start"},
    "menu.state.running": {"zh": "运行中 {ports}", "en": "running {ports}"},
    "menu.state.missing": {"zh": "缺少文件：{files}", "en": "missing: {files}"},
    "menu.state.no_reference": {"zh": "缺少参考音频", "en": "no reference audio"},
    "menu.state.bad_reference": {
        "zh": "参考音频 {seconds} 秒，须为 3~10 秒",
        "en": "reference is {seconds} s, must be 3-10 s",
    },
    "menu.state.broken": {"zh": "配置有误：{error}", "en": "broken profile: {error}"},
    "menu.file.gpt": {"zh": "GPT 模型", "en": "GPT model"},
    "menu.file.sovits": {"zh": "SoVITS 模型", "en": "SoVITS model"},
    "menu.file.ref_audio": {"zh": "参考音频", "en": "reference audio"},
    "menu.sep": {"zh": "、", "en": ", "},
    "menu.actions": {"zh": "其它：", "en": "Other:"},
    "menu.action.bat": {"zh": "为所有角色生成双击启动的 .bat", "en": "Write a double-click .bat for every profile"},
    "menu.action.import": {
        "zh": "导入角色包（输入路径，或把文件夹 / .zip 拖进这个窗口）",
        "en": "Import a voice pack (type its path, or drag the folder / .zip onto this window)",
    },
    "menu.action.setup": {"zh": "设置整合包（init）", "en": "Set up a package (init)"},
    "menu.action.doctor": {"zh": "检查问题（doctor）", "en": "Check for problems (doctor)"},
    "menu.action.quit": {"zh": "退出", "en": "Quit"},
    "menu.prompt": {"zh": "请输入编号或字母，按回车：", "en": "Type a number or letter, then Enter: "},
    "menu.invalid": {
        "zh": "没有这个选项：{choice}。请输入上面列出的编号或字母。",
        "en": "No such choice: {choice}. Type one of the numbers or letters above.",
    },
    "menu.start_hint": {
        "zh": "服务器在这个窗口里运行；按 Ctrl+C 停止它并回到菜单。",
        "en": "The server runs in this window; Ctrl+C stops it and returns to the menu.",
    },
    "menu.back": {"zh": "已中止（Ctrl+C），回到菜单。", "en": "Stopped (Ctrl+C); back to the menu."},
    "menu.import_prompt": {
        "zh": "把角色包（文件夹或 .zip）拖进这个窗口，或输入它的路径，按回车（直接回车返回菜单）：",
        "en": "Drag the voice pack (folder or .zip) onto this window or type its path, then Enter (Enter alone goes back): ",
    },
    "menu.setup_prompt": {
        "zh": "把 GPT-SoVITS 整合包文件夹拖进这个窗口，或输入它的路径，按回车（直接回车返回菜单）：",
        "en": "Drag the GPT-SoVITS package folder onto this window or type its path, then Enter (Enter alone goes back): ",
    },
    "menu.setup_prompt_default": {
        "zh": "GPT-SoVITS 整合包文件夹（直接回车：{path}）：",
        "en": "GPT-SoVITS package folder (Enter alone: {path}): ",
    },
    "menu.not_found": {"zh": "找不到：{path}", "en": "Not found: {path}"},
    "menu.not_usable": {
        "zh": "{path} 既不是 GPT-SoVITS 整合包，也不是角色包（文件夹或 .zip）。",
        "en": "{path} is neither a GPT-SoVITS package nor a voice pack (folder or .zip).",
    },
    "menu.pause_back": {"zh": "按回车键返回菜单……", "en": "Press Enter to return to the menu…"},
    "menu.pause_close": {"zh": "按回车键关闭窗口……", "en": "Press Enter to close this window…"},
    # --- cli / ui -----------------------------------------------------------------
    "col.name": {"zh": "角色", "en": "PROFILE"},
    "col.display": {"zh": "显示名", "en": "DISPLAY"},
    "col.port": {"zh": "端口", "en": "PORT"},
    "col.version": {"zh": "版本", "en": "VERSION"},
    "col.reference": {"zh": "参考音频", "en": "REFERENCE"},
    "col.running": {"zh": "运行中", "en": "RUNNING"},
    "col.address": {"zh": "地址", "en": "ADDRESS"},
    "col.state": {"zh": "状态", "en": "STATE"},
    "col.uptime": {"zh": "已运行", "en": "UPTIME"},
    "col.memory": {"zh": "内存", "en": "MEMORY"},
    "col.log": {"zh": "日志", "en": "LOG"},
    "col.weights": {"zh": "已加载权重", "en": "WEIGHTS"},
    "list.empty": {
        "zh": "还没有角色配置（{folder}）。先运行 sovits-launch init <GPT-SoVITS 根目录>。",
        "en": "No profiles yet ({folder}). Run `sovits-launch init <GPT-SoVITS root>` first.",
    },
    "list.broken": {"zh": "{name} 的配置有误：{error}", "en": "{name}: broken profile: {error}"},
    "list.no_reference": {"zh": "缺少", "en": "missing"},
    "status.none": {"zh": "没有正在运行的服务器。", "en": "No server is running."},
    "init.remembered": {"zh": "已记住 GPT-SoVITS 根目录：{root}", "en": "GPT-SoVITS root remembered: {root}"},
    "init.python": {"zh": "解释器：{python}", "en": "Interpreter: {python}"},
    "init.xiaozhi": {"zh": "xiaozhi-server 目录：{path}", "en": "xiaozhi-server folder: {path}"},
    "init.no_characters": {
        "zh": "在 {root} 的 GPT_weights*/ 和 SoVITS_weights*/ 里没有找到成对的角色模型。",
        "en": "No paired character models found in GPT_weights*/ and SoVITS_weights*/ under {root}.",
    },
    "init.profile_created": {"zh": "已创建角色配置 {name}：{path}", "en": "Created profile {name}: {path}"},
    "init.profile_kept": {"zh": "角色配置 {name} 已存在，保持不变（--force 可替换）", "en": "Profile {name} exists and was kept (--force replaces it)"},
    "init.profile_replaced": {"zh": "已替换角色配置 {name}（原文件已备份）：{path}", "en": "Replaced profile {name} (old file backed up): {path}"},
    "init.needs_reference": {
        "zh": "{name} 还缺参考音频：在配置里填上 ref_audio（3~10 秒 wav）和 prompt_text。",
        "en": "{name} needs a reference: add ref_audio (a 3-10 s wav) and prompt_text to its profile.",
    },
    "init.unpaired": {"zh": "没有配对的权重文件（缺另一半）：{path}", "en": "Weight file without its partner: {path}"},
    "init.next": {"zh": "下一步：sovits-launch list 查看，sovits-launch {name} 启动。", "en": "Next: `sovits-launch list`, then `sovits-launch {name}`."},
    "demo.standin_notice": {
        "zh": "演示模式：使用内置的模拟服务器（不是真正的 GPT-SoVITS，合成的只是提示音）。",
        "en": "Demo mode: a built-in stand-in server (not real GPT-SoVITS; it synthesizes a tone).",
    },
    "demo.loading": {"zh": "模拟服务器正在“加载模型”……", "en": "The stand-in server is 'loading models'…"},
    "demo.built": {"zh": "已生成演示整合包：{root}", "en": "Built a demo package: {root}"},
    "demo.starting": {"zh": "启动 {script}（端口 {port}）……", "en": "Starting {script} (port {port})…"},
    "demo.ready": {"zh": "就绪：{url}（{seconds} 秒）", "en": "Ready: {url} ({seconds} s)"},
    "demo.spoke": {
        "zh": "合成成功：{seconds} 秒的 WAV，首字节用时 {ttfb} 秒",
        "en": "Synthesized a {seconds} s WAV, first byte after {ttfb} s",
    },
    "demo.saved": {"zh": "已保存：{path}", "en": "Saved: {path}"},
    "demo.stopped": {"zh": "已停止服务器，端口 {port} 已释放。", "en": "Server stopped; port {port} is free."},
    "demo.done": {
        "zh": "演示完成。用自己的整合包：sovits-launch init <GPT-SoVITS 根目录>",
        "en": "Demo done. With your own package: `sovits-launch init <GPT-SoVITS root>`",
    },
}
