"""Language tags: one table for profiles, WebUI labels, pack folders and both APIs.

Facts from upstream (RVC-Boss/GPT-SoVITS 48b1a01):

- The WebUI labels map to API codes in `GPT_SoVITS/inference_webui.py`
  (`dict_language_v2`): 中文 -> all_zh, 英文 -> en, 日文 -> all_ja, 粤语 -> all_yue,
  韩文 -> all_ko, 中英混合 -> zh, 日英混合 -> ja, 粤英混合 -> yue, 韩英混合 -> ko,
  多语种混合 -> auto, 多语种混合(粤语) -> auto_yue. So the label 中文 is *not* the
  code `zh`: `zh` means "Chinese mixed with English".
- `api.py` looks every language up in its own `dict_language` after `.lower()`;
  that table holds the same labels and all eleven codes.
- `api_v2.py` accepts only codes: it checks `lang.lower()` against
  `TTS_Config.languages`, which is `v1_languages` for a v1 model and
  `v2_languages` for every other version. A POST request passes the original
  string on to `TTS.run`, which asserts it is in that list as is: only
  lower-case codes work through every path.
- For a v1 model, `text/cleaner.py` silently turns an unknown language (ko, yue)
  into one blank English space: the request "succeeds" without speech. So
  those codes are refused for v1 models with either API.
- AI-Hobbyist packs name their reference folders 中文/英语/日语/粤语/韩语
  (tools/my_infer.py maps them to all_zh/en/all_ja/all_yue/all_ko).
"""

from __future__ import annotations

from launcher.errors import BadInput

# Every code an upstream API knows, in the WebUI's order.
CODES: tuple[str, ...] = (
    "all_zh",
    "en",
    "all_ja",
    "all_yue",
    "all_ko",
    "zh",
    "ja",
    "yue",
    "ko",
    "auto",
    "auto_yue",
)

# TTS_Config.v1_languages / v2_languages (GPT_SoVITS/TTS_infer_pack/TTS.py).
V1_LANGUAGES: frozenset[str] = frozenset({"auto", "en", "zh", "ja", "all_zh", "all_ja"})
V2_LANGUAGES: frozenset[str] = frozenset(CODES)

# The WebUI label for each code (inference_webui.py dict_language_v2, reversed).
_LABELS: dict[str, str] = {
    "all_zh": "中文",
    "en": "英文",
    "all_ja": "日文",
    "all_yue": "粤语",
    "all_ko": "韩文",
    "zh": "中英混合",
    "ja": "日英混合",
    "yue": "粤英混合",
    "ko": "韩英混合",
    "auto": "多语种混合",
    "auto_yue": "多语种混合(粤语)",
}

# Labels users type -> code: WebUI labels plus AI-Hobbyist folder names.
_FROM_LABEL: dict[str, str] = {label: code for code, label in _LABELS.items()}
_FROM_LABEL.update(
    {
        "英语": "en",
        "日语": "all_ja",
        "韩语": "all_ko",
        # 中文 and 粤语 are already WebUI labels with the same meaning.
    }
)

_APIS = {"v1": "api.py", "v2": "api_v2.py"}


def _clean(value: str) -> str:
    text = str(value).strip()
    # 多语种混合（粤语） typed with full-width parentheses.
    return text.replace("（", "(").replace("）", ")")


def normalize(value: str) -> str:
    """The canonical API code for a code (any case) or a label.

    Raises `BadInput("lang.unknown")` for anything else.
    """
    text = _clean(value)
    if text in _FROM_LABEL:
        return _FROM_LABEL[text]
    code = text.lower()
    if code in V2_LANGUAGES:
        return code
    raise BadInput("lang.unknown", value=str(value), choices=", ".join(CODES))


def label(code: str) -> str:
    """The WebUI 中文 label for a code (or for anything `normalize` accepts)."""
    return _LABELS[normalize(code)]


def languages_for(version: str | None) -> frozenset[str]:
    """The codes a model version can speak (`None`: a v2-family model)."""
    return V1_LANGUAGES if version == "v1" else V2_LANGUAGES


def api_script(api: str) -> str:
    """`api.py` for "v1", `api_v2.py` for "v2"."""
    key = str(api).strip().lower()
    if key not in _APIS:
        raise ValueError(f"api must be 'v1' or 'v2', not {api!r}")
    return _APIS[key]


def for_api(code: str, api: str, version: str | None = None) -> str:
    """The form of `code` that `api.py` (api="v1") or `api_v2.py` (api="v2") accepts.

    Both accept the lower-case code (api.py also takes labels, but a code is
    ASCII and safe on every command line). `version` is the SoVITS model
    version when known ("v1", "v2", "v2Pro", ...): a v1 model has no Korean or
    Cantonese, so those raise `BadInput("lang.unsupported_by_api")`.
    """
    script = api_script(api)
    canonical = normalize(code)
    allowed = languages_for(version)
    if canonical not in allowed:
        raise BadInput(
            "lang.unsupported_by_api",
            value=str(code),
            code=canonical,
            api=script,
            version=version or "?",
            choices=", ".join(c for c in CODES if c in allowed),
        )
    return canonical
