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
    # --- doctor -------------------------------------------------------------------
    # --- packs --------------------------------------------------------------------
    # --- cli / ui -----------------------------------------------------------------
}
