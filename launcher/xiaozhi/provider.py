"""The exact HTTP request xiaozhi's GPT-SoVITS providers send, and what to make of the answer.

Read from xinnan-tech/xiaozhi-esp32-server `main/xiaozhi-server/core/providers/tts/`
(`gpt_sovits_v2.py`, `gpt_sovits_v3.py`) and `core/utils/util.py
parse_string_to_list`; `gpt_sovits_v1` is the seed's provider file (never merged
upstream). Each provider reads its block once, converts values with `int()`,
`float()` and a string test for booleans, and sends them with `requests`:
V2 `POST url` with a JSON body, V3 `GET url` with `params=` (None dropped,
lists as repeated keys). A block the provider cannot read (say `top_k: abc`)
crashes xiaozhi only when a device connects; `provider_request` raises a keyed
error for it instead, so the launcher can verify a block before xiaozhi runs.
"""

from __future__ import annotations

import json as _json
from dataclasses import dataclass, field
from typing import Any, Callable, Optional
from urllib.parse import quote_plus, urlsplit, urlunsplit

from launcher.audio import WavInfo, wav_info_bytes
from launcher.errors import BadInput, LauncherError, ServerFailed

TYPES = ("gpt_sovits_v2", "gpt_sovits_v3", "gpt_sovits_v1")


@dataclass
class Request:
    """One request as the provider sends it. `params` are the decoded query pairs."""

    method: str
    url: str
    params: Optional[list] = None  # [(name, value as text)], in order, names may repeat
    json: Optional[dict] = None
    headers: dict = field(default_factory=dict)
    query_safe: str = ""  # characters the provider leaves unescaped in the query

    def full_url(self) -> str:
        """The URL on the wire: `requests` adds the `/` path and appends the query."""
        parts = urlsplit(self.url)
        path = parts.path or "/"
        query = parts.query
        if self.params:
            encoded = "&".join(
                f"{quote_plus(k, safe=self.query_safe)}={quote_plus(v, safe=self.query_safe)}"
                for k, v in self.params
            )
            query = f"{query}&{encoded}" if query else encoded
        return urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))

    def body(self) -> Optional[bytes]:
        """The JSON body bytes as `requests.post(json=...)` makes them."""
        if self.json is None:
            return None
        return _json.dumps(self.json, allow_nan=False).encode("utf-8")


def provider_request(block: dict, text: str, *, module: str = "") -> Request:
    """What xiaozhi sends for `text` with this TTS block (merged, as xiaozhi sees it)."""
    kind = block.get("type") or module.lower()
    build = _BUILDERS.get(kind)
    if build is None:
        raise BadInput("xiaozhi.not_gsv_block", module=module, type=str(kind))
    return build(block, text, module or str(kind))


# --- gpt_sovits_v2 (api_v2.py) ----------------------------------------------------------------


def _v2(c: dict, text: str, module: str) -> Request:
    conv = _Converter(c, module)
    url = conv.url()
    body = {
        "text": text,
        "text_lang": c.get("text_lang", "zh"),
        "ref_audio_path": c.get("ref_audio") if c.get("ref_audio") else c.get("ref_audio_path"),
        "aux_ref_audio_paths": parse_string_to_list(c.get("aux_ref_audio_paths")),
        "prompt_text": c.get("ref_text") if c.get("ref_text") else c.get("prompt_text"),
        "prompt_lang": c.get("prompt_lang", "zh"),
        "top_k": conv.number("top_k", "5", int, 5),
        "top_p": conv.number("top_p", "1", float, 1),
        "temperature": conv.number("temperature", "1", float, 1),
        "text_split_method": c.get("text_split_method", "cut0"),
        "batch_size": conv.number("batch_size", "1", int, 1),
        "batch_threshold": conv.number("batch_threshold", "0.75", float, 0.75),
        "split_bucket": _flag(c.get("split_bucket", True)),
        "return_fragment": _flag(c.get("return_fragment", False)),
        "speed_factor": conv.number("speed_factor", "1.0", float, 1.0),
        "streaming_mode": _flag(c.get("streaming_mode", False)),
        "seed": conv.number("seed", "-1", int, -1),
        "parallel_infer": _flag(c.get("parallel_infer", True)),
        "repetition_penalty": conv.number("repetition_penalty", "1.35", float, 1.35),
    }
    conv.json_ready(body)
    return Request("POST", url, json=body, headers={"Content-Type": "application/json"})


# --- gpt_sovits_v3 (api.py) -------------------------------------------------------------------


def _v3(c: dict, text: str, module: str) -> Request:
    conv = _Converter(c, module)
    url = conv.url()
    params = {
        "refer_wav_path": c.get("ref_audio") if c.get("ref_audio") else c.get("refer_wav_path"),
        "prompt_text": c.get("ref_text") if c.get("ref_text") else c.get("prompt_text"),
        "prompt_language": c.get("prompt_language"),
        "text": text,
        "text_language": c.get("text_language", "audo"),  # sic: upstream's default
        "top_k": conv.number("top_k", "15", int, 15),
        "top_p": conv.number("top_p", "1.0", float, 1.0),
        "temperature": conv.number("temperature", "1.0", float, 1.0),
        "cut_punc": c.get("cut_punc", ""),
        "speed": conv.number("speed", "1.0", float, 1.0),
        "inp_refs": parse_string_to_list(c.get("inp_refs")),
        "sample_steps": conv.number("sample_steps", "32", int, 32),
        "if_sr": _flag(c.get("if_sr", False)),
    }
    return Request("GET", url, params=_requests_params(params))


# --- gpt_sovits_v1 (the seed's provider file, for api.py) -----------------------------------


def _v1(c: dict, text: str, module: str) -> Request:
    """The seed's file sends raw config values with `urlencode(..., safe='[]')` (no doseq)."""
    url = _Converter(c, module).url()
    params = {
        "text": text,
        "refer_wav_path": c.get("refer_wav_path"),
        "prompt_text": c.get("prompt_text"),
        "prompt_language": c.get("prompt_language", "zh"),
        "text_language": c.get("text_language", "中文"),
        "cut_punc": c.get("cut_punc", "cut0"),
        "top_k": c.get("top_k", 5),
        "top_p": c.get("top_p", 1),
        "temperature": c.get("temperature", 1),
        "speed": c.get("speed", 1),
        "inp_refs": c.get("inp_refs", []),
    }
    pairs = [(k, v if isinstance(v, str) else str(v)) for k, v in params.items()]
    return Request("GET", url, params=pairs, headers={"accept": "application/json"}, query_safe="[]")


_BUILDERS: dict = {"gpt_sovits_v2": _v2, "gpt_sovits_v3": _v3, "gpt_sovits_v1": _v1}


# --- xiaozhi's value handling, reproduced -----------------------------------------------------


def parse_string_to_list(value: Any, separator: str = ";") -> list:
    """core/utils/util.py: None/"" -> [], "a; b" -> ["a", "b"], a list as is, else []."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [item.strip() for item in value.split(separator) if item.strip()]
    if isinstance(value, list):
        return value
    return []


def _flag(value: Any) -> bool:
    return str(value).lower() in ("true", "1", "yes")


class _Converter:
    """`int(x) if x else default`, as the providers write it, with a keyed error on failure."""

    def __init__(self, block: dict, module: str) -> None:
        self.block = block
        self.module = module

    def number(self, key: str, missing: str, kind: Callable, default: Any) -> Any:
        value = self.block.get(key, missing)
        if not value:
            return default
        try:
            return kind(value)
        except (TypeError, ValueError) as exc:
            raise BadInput(
                "xiaozhi.block_invalid", module=self.module, field=key, value=repr(value)
            ) from exc

    def url(self) -> str:
        url = self.block.get("url")
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            raise BadInput("xiaozhi.block_invalid", module=self.module, field="url", value=repr(url))
        return url

    def json_ready(self, body: dict) -> None:
        try:
            _json.dumps(body, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise BadInput(
                "xiaozhi.block_invalid", module=self.module, field="(json)", value=str(exc)
            ) from exc


def _requests_params(params: dict) -> list:
    """`requests`' `_encode_params`: None dropped, iterables become repeated keys, str() the rest."""
    out = []
    for key, values in params.items():
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            values = [values]
        for value in values:
            if value is None:
                continue
            if isinstance(value, bytes):
                value = value.decode("utf-8")
            out.append((key, value if isinstance(value, str) else str(value)))
    return out


# --- the answer ------------------------------------------------------------------------------


def check_wav(body: bytes) -> WavInfo:
    """A real WAV: RIFF/WAVE, a fmt chunk, and a data chunk with at least one frame.

    Streaming servers write 0 or 0xFFFFFFFF as the data size; then the bytes
    that follow count (launcher.audio reads it the way libsndfile does).
    """
    try:
        info = wav_info_bytes(body)
    except BadInput as exc:
        raise BadInput("xiaozhi.say.not_wav", head=repr(body[:16]), size=len(body)) from exc
    if info.frames <= 0:
        raise BadInput("xiaozhi.say.empty_wav", size=len(body))
    return info


# Upstream's 400 messages -> the likely cause (a key with its own hint).
_CAUSES = (
    ("3~10", "ref_length"),
    ("3-10 second", "ref_length"),
    ("未指定参考音频", "no_reference"),
    ("is not supported in version", "language"),
    ("text_split_method", "split_method"),
    ("not exists", "file_not_found"),
    ("No such file", "file_not_found"),
    ("cannot find", "file_not_found"),
    ("系统找不到", "file_not_found"),
    ("is required", "missing_field"),
    ("prompt_text cannot be empty", "prompt_text"),
)


def upstream_message(body: bytes) -> str:
    """The server's own words: `message` (+ `Exception`) of its JSON, else the text."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = _json.loads(text)
    except ValueError:
        return text[:500]
    if isinstance(data, dict):
        parts = [str(data[k]) for k in ("message", "Exception", "detail") if data.get(k)]
        if parts:
            return ": ".join(parts)
    return text[:500]


def check_answer(status: int, body: bytes, expect=None, *, cut: bool = False) -> WavInfo:
    """Raise a keyed error for a non-200 answer (with upstream's message), else check the WAV.

    Like xiaozhi, any 200 is taken as audio whatever its content type; unlike xiaozhi,
    the launcher then checks that it really is. With `expect` (gsv.answers.Expect: the
    model's rate and the text) it must be real speech (`launcher.audio.check_speech`:
    not empty, not cut, frames, not silence, that rate, a plausible length), else a
    `speech.*` error; without it, a WAV with frames.
    """
    if status == 200 and (expect is not None or cut):
        from launcher.gsv import answers

        return answers.check(body, expect or answers.Expect(), cut=cut)
    if status == 200:
        return check_wav(body)
    message = upstream_message(body)
    cause = next((c for needle, c in _CAUSES if needle in message), "unknown")
    cls: type = BadInput if 400 <= status < 500 else ServerFailed
    error: LauncherError = cls(f"xiaozhi.say.rejected.{cause}", status=status, upstream=message)
    raise error
