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
    # --- bat ----------------------------------------------------------------------
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
    "list.empty": {
        "zh": "还没有角色配置（{folder}）。先运行 sovits-launch init <GPT-SoVITS 根目录>。",
        "en": "No profiles yet ({folder}). Run `sovits-launch init <GPT-SoVITS root>` first.",
    },
    "list.broken": {"zh": "配置有误：{error}", "en": "broken: {error}"},
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
        "zh": "合成成功：{seconds} 秒的 WAV，首字节用时 {ttfb} 秒（{path}）",
        "en": "Synthesized a {seconds} s WAV, first byte after {ttfb} s ({path})",
    },
    "demo.stopped": {"zh": "已停止服务器，端口 {port} 已释放。", "en": "Server stopped; port {port} is free."},
    "demo.done": {
        "zh": "演示完成。用自己的整合包：sovits-launch init <GPT-SoVITS 根目录>",
        "en": "Demo done. With your own package: `sovits-launch init <GPT-SoVITS root>`",
    },
}
