"""The TTS block xiaozhi needs to reach one GPT-SoVITS server, from plain values.

- `api.py` servers      -> `TTS.GPT_SOVITS_V3` (type gpt_sovits_v3, GET <root>)
- `api_v2.py` servers   -> `TTS.GPT_SOVITS_V2` (type gpt_sovits_v2, POST <root>/tts)
- on request, for api.py, the seed's `TTS.GPT_SOVITS_V1` (needs the seed's
  provider file in core/providers/tts/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Optional

from launcher.errors import BadInput
from launcher.xiaozhi import yaml_edit as yml

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
    `release_fields`: the version-specific request fields (sample_steps, if_sr) the
    package's release reads and the model can use (gsv.capabilities.request_extras);
    None when that cannot be told. Such a parameter outside it stays out of the block.
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
    release_fields: Optional[frozenset] = None


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
    """Launcher parameters that xiaozhi's provider for this API never sends, or that the
    package's release does not read (sample_steps / if_sr before 20250422v4...)."""
    table = _params_table(_default_module(target.api) if target.module != V1 else V1)
    return [k for k in target.params if k not in table or not _release_reads(target, table[k])]


# Request fields that only some releases read (or that only help some model versions).
VERSION_FIELDS = ("sample_steps", "if_sr", "super_sampling")


def _release_reads(target: TtsTarget, key: str) -> bool:
    return key not in VERSION_FIELDS or target.release_fields is None or key in target.release_fields


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
        if key is None or value is None or not _release_reads(target, key):
            continue
        if key in out and not yml.deep_equal(out[key], value):
            raise BadInput("xiaozhi.param_conflict", first=source[key], second=name)
        out[key], source[key] = value, name
    return out


def without_v1(target: TtsTarget) -> TtsTarget:
    """The 智控台 has no gpt_sovits_v1 provider; gpt_sovits_v3 reads the same keys."""
    if target.module == V1:
        return TtsTarget(**{**target.__dict__, "module": None})
    return target


def yaml_value(value: Any) -> Any:
    """Strings double-quoted: PyYAML (YAML 1.1) must read back exactly the text we wrote."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, str):
        if _PLAIN_SAFE.match(value) and value.lower() not in _YAML11_WORDS:
            return value  # `type: gpt_sovits_v2`, `prompt_lang: zh`: as upstream writes them
        return DoubleQuotedScalarString(value)
    if isinstance(value, (list, tuple)):
        return [yaml_value(v) for v in value]
    return value


_PLAIN_SAFE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
