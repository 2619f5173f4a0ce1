"""Point xiaozhi-esp32-server's TTS at a GPT-SoVITS server.

xiaozhi reads `config.yaml` (shipped defaults) and `data/.config.yaml` (the
user's overrides), merged recursively with the data file winning
(`config/config_loader.py`). The launcher writes only the data file, and in it
only `selected_module.TTS` and the keys it manages in one `TTS.<module>` block:

- `api.py` servers      -> `TTS.GPT_SOVITS_V3` (type gpt_sovits_v3, GET <root>)
- `api_v2.py` servers   -> `TTS.GPT_SOVITS_V2` (type gpt_sovits_v2, POST <root>/tts)
- on request, for api.py, the seed's `TTS.GPT_SOVITS_V1` (needs the seed's
  provider file in core/providers/tts/).

The flow is `plan` (nothing written; a diff to show) then `apply` (backup
beside the file, atomic write, re-read with xiaozhi's own merge, verify).
Backups are `data/.config.yaml.sovits-launch-<stamp>`, beside the file, so
they travel with the xiaozhi folder (Docker mounts only `data/`) and a user
finds them without the launcher; `undo` restores the newest one.
"""

from __future__ import annotations

import copy
import difflib
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Optional

from launcher import fsio
from launcher.xiaozhi import yaml_edit as yml
from launcher.errors import BadInput, LauncherError, MissingFile
from launcher.xiaozhi.provider import (  # re-exported: the `say` verb uses them from here
    Request,
    WavInfo,
    check_answer,
    check_wav,
    provider_request,
    upstream_message,
)

__all__ = [
    "Applied",
    "Plan",
    "Request",
    "TtsTarget",
    "Undone",
    "WavInfo",
    "apply",
    "block_for",
    "check_answer",
    "check_wav",
    "data_config_path",
    "find_xiaozhi_dir",
    "ignored_params",
    "list_backups",
    "merge_configs",
    "merged_config",
    "plan",
    "provider_request",
    "say_request",
    "undo",
    "upstream_message",
]

DATA_CONFIG = Path("data") / ".config.yaml"
BACKUP_TAG = "sovits-launch"  # data/.config.yaml.sovits-launch-YYYYmmdd-HHMMSS
UNDO_TAG = "before-undo"  # what `undo` replaced, so an undo can be undone by hand

HEADER = (
    "# xiaozhi-server 的个人配置：这里的设置覆盖 config.yaml 里的同名项（其余仍用 config.yaml）。\n"
    "# 由 sovits-launch 创建，可以手动修改；sovits-launch 只改 selected_module.TTS 和它写入的 TTS 段。\n"
)
# xiaozhi crashes on an empty data/.config.yaml: a file we create or restore is never empty.
STUB = HEADER + "{}\n"

V2, V3, V1 = "GPT_SOVITS_V2", "GPT_SOVITS_V3", "GPT_SOVITS_V1"
_TYPE = {V2: "gpt_sovits_v2", V3: "gpt_sovits_v3", V1: "gpt_sovits_v1"}

# Launcher parameter name -> the provider's key. Anything else is not sent by
# xiaozhi's provider for that API, and is reported back as ignored.
_V2_PARAMS = {
    **{k: k for k in (
        "top_k", "top_p", "temperature", "text_split_method", "batch_size", "batch_threshold",
        "split_bucket", "return_fragment", "streaming_mode", "parallel_infer", "seed",
        "repetition_penalty", "speed_factor", "aux_ref_audio_paths",
    )},
    "speed": "speed_factor",
    "inp_refs": "aux_ref_audio_paths",
}
_V3_PARAMS = {
    **{k: k for k in ("top_k", "top_p", "temperature", "speed", "cut_punc", "inp_refs", "sample_steps", "if_sr")},
    "speed_factor": "speed",
    "aux_ref_audio_paths": "inp_refs",
    "super_sampling": "if_sr",
}
_V1_PARAMS = {k: v for k, v in _V3_PARAMS.items() if v not in ("sample_steps", "if_sr")}

# The 智控台's own labels for these fields (manager-api db changelog 202504082211.sql).
MANAGER_LABELS = {
    "url": "服务地址", "text_lang": "文本语言", "ref_audio_path": "参考音频路径", "prompt_text": "提示文本",
    "prompt_lang": "提示语言", "text_language": "文本语言", "refer_wav_path": "参考音频路径",
    "prompt_language": "提示语言", "top_k": "top_k值", "top_p": "top_p值", "temperature": "温度",
    "text_split_method": "文本分割方法", "batch_size": "批处理大小", "batch_threshold": "批处理阈值",
    "split_bucket": "是否分桶", "return_fragment": "是否返回片段", "speed_factor": "速度因子",
    "streaming_mode": "是否流式模式", "seed": "种子", "parallel_infer": "是否并行推理",
    "repetition_penalty": "重复惩罚", "aux_ref_audio_paths": "辅助参考音频路径", "cut_punc": "切分标点",
    "speed": "速度", "inp_refs": "输入参考", "sample_steps": "采样步数", "if_sr": "是否使用SR",
}


# --- the xiaozhi folder -----------------------------------------------------------------------


def find_xiaozhi_dir(path: Path) -> Path:
    """The xiaozhi-server folder: `path` itself, or `main/xiaozhi-server` in a repository root."""
    path = Path(path).expanduser()
    if not path.exists():
        raise MissingFile("xiaozhi.dir_missing", path=str(path))
    if not path.is_dir():
        raise BadInput("xiaozhi.not_xiaozhi", path=str(path), missing="config.yaml")
    candidates = [path, path / "main" / "xiaozhi-server", path / "xiaozhi-server"]
    for folder in candidates:
        if _missing_part(folder) is None:
            return folder.resolve()
    # Explain against the folder the user most likely meant.
    folder = next((c for c in candidates[1:] if c.is_dir()), path)
    if not (folder / "config.yaml").is_file() and (folder / "data").is_dir() and any(
        folder.glob("docker-compose*.y*ml")
    ):
        raise BadInput("xiaozhi.docker_only", path=str(folder))
    missing = _missing_part(folder)
    if missing == "TTS:":
        raise BadInput("xiaozhi.no_tts_section", path=str(folder / "config.yaml"))
    raise BadInput("xiaozhi.not_xiaozhi", path=str(folder), missing=missing)


def _missing_part(folder: Path) -> Optional[str]:
    config = folder / "config.yaml"
    if not config.is_file():
        return "config.yaml"
    if not (folder / "core" / "providers" / "tts").is_dir():
        return "core/providers/tts/"
    try:
        text = config.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return "config.yaml"
    return None if re.search(r"^TTS:", text, re.MULTILINE) else "TTS:"


def data_config_path(xiaozhi_dir: Path) -> Path:
    return Path(xiaozhi_dir) / DATA_CONFIG


# --- what to write ----------------------------------------------------------------------------


@dataclass
class TtsTarget:
    """One GPT-SoVITS server as xiaozhi should reach it, from plain values.

    `api`: "v1" = api.py, "v2" = api_v2.py. `url_host`: the address xiaozhi
    uses (the advertise host; `0.0.0.0` becomes 127.0.0.1). `ref_audio`: an
    absolute path, opened by the GPT-SoVITS server. Languages: codes (`zh`,
    `all_zh`, `auto`, ...) or WebUI labels (`中文`, ...), written as codes.
    `params`: launcher names (top_k, top_p, temperature, speed,
    text_split_method, batch_size, ...), mapped to the provider's keys.
    `module`: None for the default block, or "GPT_SOVITS_V1".
    """

    api: str
    url_host: str
    port: int
    ref_audio: str
    prompt_text: str
    prompt_lang: str
    text_lang: str
    params: dict = field(default_factory=dict)
    module: Optional[str] = None


def block_for(target: TtsTarget, xiaozhi_dir: Optional[Path] = None) -> tuple:
    """(module name, block dict) for `target`, in the provider's key order."""
    module = _module_for(target, xiaozhi_dir)
    _check_reference(target)
    root = f"http://{_url_host(target.url_host)}:{int(target.port)}"
    lang_p, lang_t = _lang(target.prompt_lang), _lang(target.text_lang)
    if module == V2:
        block = {
            "type": _TYPE[V2],
            "url": root + "/tts",
            "ref_audio_path": target.ref_audio,
            "prompt_text": target.prompt_text,
            "prompt_lang": lang_p,
            "text_lang": lang_t,
        }
    else:
        block = {
            "type": _TYPE[module],
            "url": root,
            "refer_wav_path": target.ref_audio,
            "prompt_text": target.prompt_text,
            "prompt_language": lang_p,
            "text_language": lang_t,  # always: the provider's default is the typo "audo"
        }
        if module == V1:
            block["output_dir"] = "tmp/"  # the seed's `output_file:` is read by nobody
            block["cut_punc"] = ""  # the seed's provider would send its default "cut0" as punctuation
    block.update(_mapped_params(target, module))
    return module, block


def ignored_params(target: TtsTarget) -> list:
    """Launcher parameters that xiaozhi's provider for this API never sends."""
    table = _params_table(_default_module(target.api) if target.module != V1 else V1)
    return [k for k in target.params if k not in table]


def _module_for(target: TtsTarget, xiaozhi_dir: Optional[Path]) -> str:
    default = _default_module(target.api)
    module = target.module or default
    if module == V1:
        if target.api != "v1":
            raise BadInput("xiaozhi.module_mismatch", module=module, api=target.api)
        provider = Path(xiaozhi_dir or ".") / "core" / "providers" / "tts" / "gpt_sovits_v1.py"
        if xiaozhi_dir is None or not provider.is_file():
            raise BadInput("xiaozhi.v1_provider_missing", path=str(provider))
        return V1
    if module not in (V2, V3):
        raise BadInput("xiaozhi.unknown_module", module=module)
    if module != default:
        raise BadInput("xiaozhi.module_mismatch", module=module, api=target.api)
    return module


def _default_module(api: str) -> str:
    if api == "v2":
        return V2
    if api == "v1":
        return V3
    raise BadInput("xiaozhi.bad_api", api=str(api))


def _check_reference(target: TtsTarget) -> None:
    ref = (target.ref_audio or "").strip()
    if not ref:
        raise BadInput("xiaozhi.no_reference", api=target.api)
    if not (PureWindowsPath(ref).is_absolute() or PurePosixPath(ref).is_absolute()):
        raise BadInput("xiaozhi.ref_not_absolute", path=ref)
    # api.py takes an empty prompt text or language as "no reference given" and
    # falls back to its start-up reference (or answers 400): refuse it here.
    if target.api == "v1" and not ((target.prompt_text or "").strip() and (target.prompt_lang or "").strip()):
        raise BadInput("xiaozhi.no_prompt_text", api=target.api)


def _url_host(host: str) -> str:
    host = (host or "").strip()
    if host in ("", "0.0.0.0", "::", "[::]"):
        return "127.0.0.1"  # a bind-all address is not one a client can reach
    if ":" in host and not host.startswith("["):
        return f"[{host}]"  # an IPv6 literal
    return host


def _lang(value: str) -> str:
    """WebUI labels become the codes both servers accept; an unknown value passes as written."""
    from launcher.gsv import languages

    try:
        return languages.normalize(value)
    except BadInput:
        return (value or "").strip().lower()


def _params_table(module: str) -> dict:
    return {V2: _V2_PARAMS, V3: _V3_PARAMS, V1: _V1_PARAMS}[module]


def _mapped_params(target: TtsTarget, module: str) -> dict:
    table = _params_table(module)
    out: dict = {}
    source: dict = {}
    for name, value in (target.params or {}).items():
        key = table.get(name)
        if key is None or value is None:
            continue
        if key in out and not yml.deep_equal(out[key], value):
            raise BadInput("xiaozhi.param_conflict", first=source[key], second=name)
        out[key], source[key] = value, name
    return out


# --- reading xiaozhi's configuration ----------------------------------------------------------


def merge_configs(default_config: Any, custom_config: Any) -> Any:
    """config_loader.merge_configs: recursive for mappings, the custom value wins otherwise."""
    if not isinstance(default_config, Mapping) or not isinstance(custom_config, Mapping):
        return custom_config
    merged = dict(default_config)
    for key, value in custom_config.items():
        if key in merged and isinstance(merged[key], Mapping) and isinstance(value, Mapping):
            merged[key] = merge_configs(merged[key], value)
        else:
            merged[key] = value
    return merged


def merged_config(xiaozhi_dir: Path) -> dict:
    """What xiaozhi runs with (local mode): config.yaml merged with data/.config.yaml."""
    xdir = Path(xiaozhi_dir)
    path = data_config_path(xdir)
    if not path.is_file():
        raise MissingFile("xiaozhi.data_config_missing", path=str(path))
    custom = _parse_plain(path)
    return merge_configs(_shipped(xdir), custom)


def _shipped(xdir: Path) -> dict:
    """The shipped config.yaml (1,000+ lines: parsed once per version of the file)."""
    path = Path(xdir) / "config.yaml"
    try:
        st = path.stat()
    except OSError:
        st = None
    key = (str(path), st.st_mtime_ns, st.st_size) if st else None
    if key is None or key not in _SHIPPED_CACHE:
        data = yml.pyyaml_load(fsio.read_text(path), path)
        data = data if isinstance(data, dict) else {}
        if key is None:
            return data
        _SHIPPED_CACHE.clear()
        _SHIPPED_CACHE[key] = data
    return copy.deepcopy(_SHIPPED_CACHE[key])


_SHIPPED_CACHE: dict = {}


def _parse_plain(path: Path) -> dict:
    data = yml.pyyaml_load(fsio.read_text(path), path)
    if data is None:  # an empty file: xiaozhi itself would crash, we read it as {}
        return {}
    if not isinstance(data, dict):
        raise BadInput("xiaozhi.config_not_mapping", path=str(path))
    return data


def manager_url(custom: Any) -> Optional[str]:
    """The 智控台 address when data/.config.yaml hands the configuration to manager-api."""
    section = custom.get("manager-api") if isinstance(custom, dict) else None
    url = section.get("url") if isinstance(section, dict) else None
    return str(url) if url else None


# --- plan / apply / undo ----------------------------------------------------------------------


@dataclass
class Plan:
    xiaozhi_dir: Path
    path: Path  # data/.config.yaml
    module: str
    block: dict  # the values written (or to enter in the 智控台)
    old_text: Optional[str]  # None: the file does not exist yet
    new_text: str
    diff: list  # unified diff lines, no trailing newlines
    changed: bool
    previous_module: Optional[str] = None  # effective selected_module.TTS before
    manager_mode: bool = False
    manager_url: Optional[str] = None
    manager_fields: list = field(default_factory=list)  # [(key, 智控台 label, value)]
    ignored_params: list = field(default_factory=list)
    old_bytes: Optional[bytes] = None


@dataclass
class Applied:
    path: Path
    backup: Optional[Path]
    changed: bool


@dataclass
class Undone:
    path: Path
    restored_from: Path
    saved_current: Optional[Path]  # the replaced content, as a `before-undo` backup


def plan(xiaozhi_dir: Path, target: TtsTarget) -> Plan:
    """Compute the edit of data/.config.yaml for `target` without writing anything."""
    xdir = find_xiaozhi_dir(xiaozhi_dir)
    path = data_config_path(xdir)
    raw, old_bytes = _read(path)
    loaded = yml.load(raw or "", path)
    custom = loaded.plain if loaded.plain is not None else {}
    if not isinstance(custom, dict):
        raise BadInput("xiaozhi.config_not_mapping", path=str(path))
    shipped = _shipped(xdir)
    previous = _mapping(merge_configs(shipped, custom).get("selected_module")).get("TTS")
    ignored = ignored_params(target)

    url = manager_url(custom)
    if url:
        module, block = block_for(_without_v1(target), xdir)
        fields = [(k, MANAGER_LABELS.get(k, k), v) for k, v in block.items() if k != "type"]
        return Plan(xdir, path, module, block, raw, raw or "", [], False, previous,
                    manager_mode=True, manager_url=url, manager_fields=fields,
                    ignored_params=ignored, old_bytes=old_bytes)

    module, block = block_for(target, xdir)
    values = dict(block)
    # `ref_audio` / `ref_text` (set by the 智控台's voices, or by hand) win over the
    # reference keys in both built-in providers: when one is in effect, set it too.
    effective_before = merge_configs(
        _mapping((shipped.get("TTS") or {}).get(module)), _mapping((_mapping(custom.get("TTS"))).get(module))
    )
    if module != V1:
        if effective_before.get("ref_audio"):
            values["ref_audio"] = target.ref_audio
        if effective_before.get("ref_text"):
            values["ref_text"] = target.prompt_text
    changes = [(("selected_module", "TTS"), module)]
    changes += [(("TTS", module, k), _yaml_value(v)) for k, v in values.items()]
    new_text = yml.set_values(loaded, changes, empty_header=HEADER)
    changed = raw is None or new_text != raw

    if changed:
        new_plain = yml.pyyaml_load(new_text, path) or {}
        problems = _outside_changes(custom, new_plain, module, values)
        problems += _effective_problems(xdir, merge_configs(shipped, new_plain), module, values, target)
        if problems:
            raise LauncherError("xiaozhi.verify_failed", path=str(path), details=problems)
    diff = _diff(raw, new_text) if changed else []
    return Plan(xdir, path, module, block, raw, new_text, diff, changed, previous,
                ignored_params=ignored, old_bytes=old_bytes)


def apply(plan: Plan) -> Applied:
    """Back up, write atomically, re-read with xiaozhi's merge and verify. No change: no backup."""
    if plan.manager_mode:
        raise BadInput("xiaozhi.manager_mode", path=str(plan.path), url=plan.manager_url, module=plan.module)
    if not plan.changed:
        return Applied(plan.path, None, False)
    path = plan.path
    _check_writable(path)
    current = path.read_bytes() if path.exists() else None
    if current != plan.old_bytes:
        raise BadInput("xiaozhi.changed_meanwhile", path=str(path))
    saved = None
    try:
        if current is None:
            # Nothing to back up: record the minimal file, so `undo` leaves a valid one.
            fsio.write_atomic(path, STUB)
        saved = fsio.backup(path, tag=BACKUP_TAG)
        fsio.write_atomic(path, plan.new_text)
    except BaseException:
        # The write failed (full disk, Ctrl+C): leave the folder exactly as it was.
        for leftover in ([path] if current is None else []) + ([saved] if saved else []):
            try:
                leftover.unlink()
            except OSError:
                pass
        raise
    try:
        custom = _parse_plain(path)
        target_values = _mapping((_mapping(custom.get("TTS"))).get(plan.module))
        values = {k: target_values.get(k) for k in plan.block}
        problems = [f"{k}: {values[k]!r} != {v!r}" for k, v in plan.block.items() if not yml.deep_equal(values[k], v)]
        merged = merge_configs(_shipped(plan.xiaozhi_dir), custom)
        problems += _effective_problems(plan.xiaozhi_dir, merged, plan.module, plan.block, None)
    except LauncherError as exc:
        problems = [f"{exc.key} {exc.params}"]
    if problems:
        fsio.write_atomic(path, plan.old_bytes if plan.old_bytes is not None else STUB.encode("utf-8"))
        if saved is not None:
            saved.unlink()  # the file is back as it was: this backup would only mislead `undo`
        raise LauncherError("xiaozhi.verify_failed", path=str(path), details=problems)
    return Applied(path, saved, True)


def list_backups(xiaozhi_dir: Path) -> list:
    """The launcher's backups of data/.config.yaml, oldest first."""
    return fsio.list_backups(data_config_path(xiaozhi_dir), tag=BACKUP_TAG)


def undo(xiaozhi_dir: Path) -> Undone:
    """Restore the newest backup, and consume it, so a second undo goes one step further back.

    The content it replaces is kept as `.config.yaml.before-undo-<stamp>`. An
    empty backup (the user's file was empty) is restored as the minimal `{}`
    file: xiaozhi crashes on an empty one.
    """
    xdir = find_xiaozhi_dir(xiaozhi_dir)
    path = data_config_path(xdir)
    backups = list_backups(xdir)
    if not backups:
        raise BadInput("xiaozhi.no_backup", path=str(path))
    newest = backups[-1]
    data = newest.read_bytes()
    if not data.strip():
        data = STUB.encode("utf-8")
    _check_writable(path)
    saved = fsio.backup(path, tag=UNDO_TAG) if path.exists() else None
    fsio.write_atomic(path, data)
    try:
        newest.unlink()
    except OSError as exc:
        raise LauncherError("fs.write_failed", path=str(newest), reason=exc.strerror or str(exc)) from exc
    return Undone(path, newest, saved)


def say_request(target: TtsTarget, text: str, xiaozhi_dir: Optional[Path] = None) -> Request:
    """The request xiaozhi would send for `text` once `target` is configured.

    With the xiaozhi folder, the block is laid over the shipped defaults for it,
    exactly as xiaozhi merges them; without it, the provider's own defaults apply
    (the shipped ones equal them for both blocks).
    """
    module, block = block_for(target, xiaozhi_dir)
    if xiaozhi_dir is not None:
        xdir = find_xiaozhi_dir(xiaozhi_dir)
        block = merge_configs(_mapping((_shipped(xdir).get("TTS") or {}).get(module)), block)
    return provider_request(block, text, module=module)


# --- helpers ----------------------------------------------------------------------------------


def _without_v1(target: TtsTarget) -> TtsTarget:
    """The 智控台 has no gpt_sovits_v1 provider; gpt_sovits_v3 reads the same keys."""
    if target.module == V1:
        return TtsTarget(**{**target.__dict__, "module": None})
    return target


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _yaml_value(value: Any) -> Any:
    """Strings double-quoted: PyYAML (YAML 1.1) must read back exactly the text we wrote."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, str):
        if _PLAIN_SAFE.match(value) and value.lower() not in _YAML11_WORDS:
            return value  # `type: gpt_sovits_v2`, `prompt_lang: zh`: as upstream writes them
        return DoubleQuotedScalarString(value)
    if isinstance(value, (list, tuple)):
        return [_yaml_value(v) for v in value]
    return value


_PLAIN_SAFE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _read(path: Path) -> tuple:
    """(text, bytes) of the file, or (None, None) when it does not exist."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        raise LauncherError("fs.read_failed", path=str(path), reason=exc.strerror or str(exc)) from exc
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError as exc:
        raise BadInput("fs.not_utf8", path=str(path), line=data[: exc.start].count(b"\n") + 1) from exc


def _check_writable(path: Path) -> None:
    """A read-only file or folder is the user's decision: refuse before backing up.

    Checked by the permission bits, not `os.access`, which says yes to root.
    """
    if path.exists() and not (path.stat().st_mode & stat.S_IWUSR):
        raise BadInput("xiaozhi.read_only", path=str(path))
    folder = path.parent
    if folder.exists() and os.name != "nt" and not (folder.stat().st_mode & stat.S_IWUSR):
        raise BadInput("xiaozhi.read_only", path=str(folder))


def _outside_changes(old: dict, new: dict, module: str, keys: dict) -> list:
    """Everything but selected_module.TTS and our keys of TTS.<module> must mean the same."""
    before, after = _rest(old, module, keys), _rest(new, module, keys)
    names = ("top level", "selected_module", "TTS", f"TTS.{module}")
    return [f"{name} changed" for name, a, b in zip(names, before, after) if not yml.deep_equal(a, b)]


def _rest(data: Any, module: str, keys: dict) -> tuple:
    data = dict(data) if isinstance(data, dict) else {}
    selected, tts = data.pop("selected_module", None), data.pop("TTS", None)
    if isinstance(selected, dict):
        selected = {k: v for k, v in selected.items() if k != "TTS"} or None
    block = None
    if isinstance(tts, dict):
        tts = dict(tts)
        block = tts.pop(module, None)
        tts = tts or None
    if isinstance(block, dict):
        block = {k: v for k, v in block.items() if k not in keys} or None
    return data, selected, tts, block


def _effective_problems(
    xdir: Path, merged: dict, module: str, values: dict, target: Optional[TtsTarget]
) -> list:
    selected = (_mapping(merged.get("selected_module"))).get("TTS")
    if selected != module:
        return [f"selected_module.TTS is {selected!r}, not {module!r}"]
    effective = (_mapping(merged.get("TTS"))).get(module)
    if not isinstance(effective, dict):
        return [f"TTS.{module} is not a mapping"]
    problems = [
        f"TTS.{module}.{k} is {effective.get(k)!r}" for k, v in values.items() if not yml.deep_equal(effective.get(k), v)
    ]
    kind = effective.get("type") or module
    if not (xdir / "core" / "providers" / "tts" / f"{kind}.py").is_file():
        raise BadInput("xiaozhi.type_missing", type=str(kind), module=module)
    request = provider_request(effective, "你好", module=module)  # raises when xiaozhi could not read it
    if target is not None:
        sent = request.json if request.json is not None else dict(request.params or [])
        ref = sent.get("ref_audio_path", sent.get("refer_wav_path"))
        if ref != target.ref_audio or sent.get("prompt_text") != target.prompt_text:
            problems.append(f"the request would use reference {ref!r} / {sent.get('prompt_text')!r}")
    return problems


def _diff(old: Optional[str], new: str) -> list:
    name = DATA_CONFIG.as_posix()
    old_lines = (old or "").replace("\r\n", "\n").splitlines()
    new_lines = new.replace("\r\n", "\n").splitlines()
    return list(
        difflib.unified_diff(
            old_lines, new_lines, fromfile="/dev/null" if old is None else f"a/{name}",
            tofile=f"b/{name}", n=1, lineterm="",
        )
    )
