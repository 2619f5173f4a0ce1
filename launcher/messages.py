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
    "audio.out_of_range": {
        "zh": "参考音频 {path} 长 {seconds} 秒，不在 3~10 秒之间：api_v2.py 会对每个请求回答 400（参考音频在3~10秒范围外，请更换！）。",
        "en": "Reference audio {path} is {seconds} s long, outside 3-10 s: api_v2.py would answer every request with 400.",
    },
    "audio.out_of_range.hint": {
        "zh": "用 Audacity 等工具剪出一段 3~10 秒、吐字清楚的片段，并把 prompt_text 改成这段里说的话；或在 emotions 里换一条合适的参考音频。",
        "en": "Cut a clear 3-10 s clip (e.g. with Audacity) and set prompt_text to what it says, or pick another reference.",
    },
    "audio.out_of_range_v1": {
        "zh": "参考音频 {path} 长 {seconds} 秒，不在 3~10 秒之间。api.py 不检查这一点，但效果通常会变差。",
        "en": "Reference audio {path} is {seconds} s long, outside 3-10 s. api.py does not check this, but quality usually suffers.",
    },
    "audio.out_of_range_v1.hint": {
        "zh": "最好换成 3~10 秒的参考音频。",
        "en": "Prefer a 3-10 s reference.",
    },
    "weights.lora_base_missing": {
        "zh": "这是 {version} 的 LoRA 模型，需要底模 {path}，但整合包里没有：服务器会报“底模缺失”。",
        "en": "This is a {version} LoRA model; it needs the base model {path}, which the package lacks.",
    },
    "weights.lora_base_missing.hint": {
        "zh": "从整合包原版补齐 GPT_SoVITS/pretrained_models 下的底模文件，或换用完整（非 LoRA）的模型。",
        "en": "Restore the base model under GPT_SoVITS/pretrained_models from the original package, or use a full (non-LoRA) model.",
    },
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
    # --- doctor -------------------------------------------------------------------
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
