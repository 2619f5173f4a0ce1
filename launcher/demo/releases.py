"""The GPT-SoVITS releases a stand-in package can imitate, and what each one does.

Users run the 整合包 they downloaded, which match upstream's release tags (20240821v2,
20250228v3, 20250422v4, 20250606v2pro) or a later commit of main. The facts below come from
reading upstream's code at each tag; the launcher reads the same things from a real package
on its own (`launcher.gsv.capabilities`), so a test that builds a stand-in package of each
release checks the launcher against this table.

`build_standin_package(release=...)` writes, for the chosen release:
- `api.py` and `api_v2.py`: small files that declare the release's request fields (the
  `@app.get("/")` parameters, `class TTS_Request`) and name the model classes it builds,
  then run the shared stand-in servers (standin_api.py, standin_api_v2.py);
- `GPT_SoVITS/TTS_infer_pack/TTS.py` and `GPT_SoVITS/process_ckpt.py`: marker files with
  what a reader of the real ones looks for (never run);
- `standin_release.json`: the facts the stand-in servers act on, for every release (the
  environment variable STANDIN_RELEASE picks another one for a run);
- the pretrained models that release ships.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

ORDER = ("20240821v2", "20250228v3", "20250422v4", "20250606v2pro", "main")
DEFAULT = "main"

# Fields of api_v2.py's TTS_Request, every release: (name, annotation, default).
_V2_COMMON = (
    ("text", "str", None), ("text_lang", "str", None), ("ref_audio_path", "str", None),
    ("aux_ref_audio_paths", "list", None), ("prompt_lang", "str", None), ("prompt_text", "str", ""),
    ("top_k", "int", 5), ("top_p", "float", 1), ("temperature", "float", 1), ("text_split_method", "str", "cut5"),
    ("batch_size", "int", 1), ("batch_threshold", "float", 0.75), ("split_bucket", "bool", True),
    ("speed_factor", "float", 1.0), ("fragment_interval", "float", 0.3), ("seed", "int", -1),
    ("media_type", "str", "wav"), ("streaming_mode", "bool", False), ("parallel_infer", "bool", True),
    ("repetition_penalty", "float", 1.35),
)
_V2_STEPS = (("sample_steps", "int", 32), ("super_sampling", "bool", False))
_V2_CHUNKS = (("overlap_length", "int", 2), ("min_chunk_length", "int", 16))
# Query parameters of api.py's GET / (and the keys its POST / reads), every release.
_V1_COMMON = (
    ("refer_wav_path", "str", None), ("prompt_text", "str", None), ("prompt_language", "str", None),
    ("text", "str", None), ("text_language", "str", None), ("cut_punc", "str", None), ("top_k", "int", 15),
    ("top_p", "float", 1.0), ("temperature", "float", 1.0), ("speed", "float", 1.0), ("inp_refs", "list", []),
)
_V1_STEPS = (("sample_steps", "int", 32), ("if_sr", "bool", False))

MODELS = "GPT_SoVITS/pretrained_models/"
_ASSETS_V2 = (
    "s1bert25hz-2kh-longer-epoch=68e-step=50232.ckpt", "s2G488k.pth",
    "gsv-v2final-pretrained/s1bert25hz-5kh-longer-epoch=12-step=369668.ckpt", "gsv-v2final-pretrained/s2G2333k.pth",
)
_ASSETS_V3 = ("s1v3.ckpt", "s2Gv3.pth", "models--nvidia--bigvgan_v2_24khz_100band_256x/")
_ASSETS_V4 = ("gsv-v4-pretrained/s2Gv4.pth", "gsv-v4-pretrained/vocoder.pth")
_ASSETS_PRO = ("v2Pro/s2Gv2Pro.pth", "v2Pro/s2Gv2ProPlus.pth", "sv/pretrained_eres2netv2w24s4ep4.ckpt")
_ALL = ("v1", "v2", "v3", "v4", "v2Pro", "v2ProPlus")


@dataclass(frozen=True)
class Release:
    name: str
    api_v1_versions: tuple  # model versions api.py loads and speaks
    api_v2_versions: tuple  # the same for api_v2.py
    heads: tuple | None  # SoVITS file heads the servers' loader knows; None: plain torch.load
    yaml_version: str  # "top": top-level `version`, lower-cased; "custom": custom.version
    yaml_top_versions: tuple  # what the top-level key may say (after lower-casing)
    silence_rate: int  # api_v2.py answers an error inside inference with 1 s of zeros at this rate
    v2_fields: tuple
    v2_get_defaults: dict  # GET /tts defaults that differ from TTS_Request's
    v1_fields: tuple
    assets: tuple  # pretrained models shipped, relative to GPT_SoVITS/pretrained_models/
    # Behaviours that answer without usable audio, or differ otherwise (names used by the stand-ins):
    # cuda_crash: device cuda without CUDA fails at load (later: warns and uses the CPU)
    # half_on_cpu: fp16 asked for on the CPU is kept (later: turned off) -> inference error
    # languages_stay: loading a v1 model keeps the v2 language list
    # pro_as_v2: api.py loads a v2Pro model as v2; its first request breaks
    # pro_switch_cache: api_v2.py, v2 -> v2Pro with the same reference -> 1 s of silence
    # vocoder_switch_breaks: api_v2.py, a failed v3/v4 swap leaves it speaking silence
    # super_sampling_silence: api_v2.py, super_sampling without its model -> silence
    # if_sr_mislabel: api.py, if_sr without the model -> 24 kHz audio in a 48 kHz file
    # streaming_int: streaming_mode 0-3 (else a bool plus return_fragment)
    quirks: frozenset = field(default_factory=frozenset)
    # for the marker files
    fast_version_detection: bool = True  # process_ckpt.get_sovits_version_from_path_fast exists
    known_heads: tuple = ()  # what process_ckpt.py lists

    def facts(self) -> dict:
        """What the stand-in servers need at run time (JSON-friendly)."""
        data = asdict(self)
        data["quirks"] = sorted(self.quirks)
        return data


def _release(name, v1, v2, heads, yaml_version, yaml_top, silence, v2_fields, get_defaults, v1_fields, assets,
             quirks, fast=True, known=()):
    return Release(name, v1, v2, heads, yaml_version, yaml_top, silence, v2_fields, get_defaults, v1_fields,
                   assets, frozenset(quirks), fast, known)


_OLD = {"cuda_crash", "half_on_cpu"}
RELEASES: dict = {
    r.name: r
    for r in (
        _release("20240821v2", ("v1", "v2"), ("v1", "v2"), None, "top", ("v1", "v2"), 32000, _V2_COMMON,
                 {"text_split_method": "cut0"}, _V1_COMMON, _ASSETS_V2, _OLD | {"languages_stay"}, fast=False),
        _release("20250228v3", ("v1", "v2"), ("v1", "v2"), None, "top", ("v1", "v2"), 32000, _V2_COMMON,
                 {"text_split_method": "cut0"}, _V1_COMMON, _ASSETS_V2 + _ASSETS_V3, _OLD,
                 known=("00", "01", "02", "03")),
        _release("20250422v4", ("v1", "v2", "v3"), ("v1", "v2", "v3", "v4"), ("00", "01", "02", "03", "04"), "top",
                 ("v1", "v2", "v3", "v4"), 16000, _V2_COMMON + _V2_STEPS, {"text_split_method": "cut0"},
                 _V1_COMMON + _V1_STEPS, _ASSETS_V2 + _ASSETS_V3 + _ASSETS_V4,
                 {"half_on_cpu", "vocoder_switch_breaks", "super_sampling_silence", "if_sr_mislabel"},
                 known=("00", "01", "02", "03", "04")),
        _release("20250606v2pro", ("v1", "v2", "v3"), _ALL, ("00", "01", "02", "03", "04", "05", "06"), "top",
                 ("v1", "v2", "v3", "v4"), 16000, _V2_COMMON + _V2_STEPS, {"text_split_method": "cut0"},
                 _V1_COMMON + _V1_STEPS, _ASSETS_V2 + _ASSETS_V3 + _ASSETS_V4 + _ASSETS_PRO,
                 {"half_on_cpu", "pro_as_v2", "pro_switch_cache", "vocoder_switch_breaks", "super_sampling_silence",
                  "if_sr_mislabel"},
                 known=("00", "01", "02", "03", "04", "05", "06")),
        _release("main", _ALL, _ALL, ("00", "01", "02", "03", "04", "05", "06"), "custom", _ALL, 16000,
                 tuple(("top_k", "int", 15) if f[0] == "top_k" else ("streaming_mode", "Union[bool, int]", False)
                       if f[0] == "streaming_mode" else f for f in _V2_COMMON) + _V2_STEPS + _V2_CHUNKS,
                 {}, _V1_COMMON + _V1_STEPS, _ASSETS_V2 + _ASSETS_V3 + _ASSETS_V4 + _ASSETS_PRO,
                 {"vocoder_switch_breaks", "if_sr_mislabel", "streaming_int"},
                 known=("00", "01", "02", "03", "04", "05", "06")),
    )
}


def get(name: str | None) -> Release:
    if name is None:
        return RELEASES[DEFAULT]
    if name not in RELEASES:
        raise ValueError(f"unknown release {name!r}; known: {', '.join(ORDER)}")
    return RELEASES[name]


def release_json(release: Release) -> str:
    return json.dumps({"release": release.name, "releases": {n: r.facts() for n, r in RELEASES.items()}},
                      ensure_ascii=False, indent=1)


# --- the files a reader of the package looks at ----------------------------------------------


def _declare(fields, indent: str, sep: str, get_defaults: dict | None = None) -> str:
    lines = []
    for name, annotation, default in fields:
        if get_defaults and name in get_defaults:
            default = get_defaults[name]
        value = "Query(default=[])" if annotation == "list" and default == [] else repr(default)
        lines.append(f"{indent}{name}: {annotation} = {value}{sep}")
    return "\n".join(lines)


def api_py_source(release: Release) -> str:
    """api.py: the GET / parameters of this release, then the shared api.py stand-in."""
    names = ["SynthesizerTrn (v1, v2)"]
    if "v3" in release.api_v1_versions:
        names.append("SynthesizerTrnV3 (v3)")
    if "v4" in release.api_v1_versions:
        names.append("init_sv_cn (the speaker model of v2Pro) and the v4 vocoder")
    return f'''"""api.py of a stand-in GPT-SoVITS 整合包, release {release.name}: written by sovits-launch.

The server is standin_api.py. This file declares what this release's api.py declares: the
query parameters of GET / below, and the models it builds: {", ".join(names)}.
"""

import os
import sys

sys.path.append(os.getcwd())  # as upstream does: the package root holds the stand-in modules

import standin_api as server  # noqa: E402 - reads the command line and loads the models
from standin_fastapi import Query  # noqa: E402

app = server.app


@app.get("/")
def tts_endpoint(
{_declare(release.v1_fields, "    ", ",")}
):
    return server.handle_query(locals())


if __name__ == "__main__":
    server.serve()
'''


def api_v2_source(release: Release) -> str:
    """api_v2.py: the request of this release (TTS_Request, GET /tts), then the shared stand-in."""
    typing = "from typing import Union\n\n" if any("Union" in f[1] for f in release.v2_fields) else ""
    return f'''"""api_v2.py of a stand-in GPT-SoVITS 整合包, release {release.name}: written by sovits-launch.

The server is standin_api_v2.py. This file declares what this release's api_v2.py declares:
the fields of a POST /tts body (TTS_Request) and the query of GET /tts.
"""

import os
import sys
{typing}
sys.path.append(os.getcwd())  # as upstream does: the package root holds the stand-in modules

import standin_api_v2 as server  # noqa: E402 - reads the command line and loads the models
from standin_fastapi import BaseModel  # noqa: E402

APP = server.APP


class TTS_Request(BaseModel):  # noqa: N801 - upstream's name
{_declare(release.v2_fields, "    ", "")}


@APP.get("/tts")
def tts_get_endpoint(
{_declare(release.v2_fields, "    ", ",", release.v2_get_defaults)}
):
    return server.tts_query(locals())


@APP.post("/tts")
def tts_post_endpoint(request: TTS_Request):
    return server.tts_handle(request.dict())


if __name__ == "__main__":
    server.serve()
'''


def tts_py_marker(release: Release) -> str:
    """GPT_SoVITS/TTS_infer_pack/TTS.py: never run, read only for what the real one names."""
    presets = "".join(f'        "{v}": {{}},\n' for v in release.api_v2_versions)
    models = ["SynthesizerTrn"] + (["SynthesizerTrnV3"] if "v3" in release.api_v2_versions else [])
    check = (
        '    # the version is custom.version, checked: "Invalid version!"\n'
        if release.yaml_version == "custom"
        else "    # the version is the top-level `version`, lower-cased\n"
    )
    silence = "16000" if release.silence_rate == 16000 else "self.configs.sampling_rate"
    return f'''# Marker file of a stand-in 整合包 ({release.name}), written by sovits-launch: the stand-in
# servers run standin_tts.py. This holds only what a reader of the real TTS.py looks for.


class TTS_Config:
{check}    default_configs = {{
{presets}    }}


MODELS = {tuple(models)!r}


def on_inference_error():  # 1 s of zeros instead of the audio
    yield {silence}, None
'''


def process_ckpt_marker(release: Release) -> str:
    """GPT_SoVITS/process_ckpt.py: which SoVITS file heads the release knows."""
    head = f"# Marker file of a stand-in 整合包 ({release.name}), written by sovits-launch.\n"
    if not release.fast_version_detection:
        return head + "# This release loads every SoVITS file with a plain torch.load.\n"
    rows = "".join(f'    (b"{h}", "{v}"),\n' for h, v in zip(release.known_heads, _HEAD_NAMES))
    return (
        head
        + "# Which SoVITS version each 2-byte file head means (03/04: a v3/v4 LoRA); a plain zip is sized.\n"
        + f"KNOWN_HEADS = (\n{rows})\n\n\n"
        + "def get_sovits_version_from_path_fast(path):\n    raise NotImplementedError(\"marker file\")\n"
    )


_HEAD_NAMES = ("v1", "v2", "v3", "v3 LoRA", "v4 LoRA", "v2Pro", "v2ProPlus")
