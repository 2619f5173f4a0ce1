"""What a GPT-SoVITS package can do, read from its own code (never from its folder name).

Users run the 整合包 they downloaded, which match upstream's release tags: 20240821v2,
20250228v3, 20250422v4, 20250606v2pro, and later commits of main. Which model versions each
of the two servers loads, which request fields they read and how api_v2.py reads the yaml
changed between them. Everything here comes from a few string tests and two small `ast`
reads of upstream's files (a few milliseconds, so nothing is cached):

- `GPT_SoVITS/TTS_infer_pack/TTS.py` (api_v2.py's pipeline): `SynthesizerTrnV3` -> v3,
  a `"v4": {` preset -> v4, a `"v2ProPlus": {` preset -> v2Pro and v2ProPlus;
  `Invalid version!` -> the version comes from `custom.version`, else from a top-level
  `version` lower-cased (which breaks v2Pro); `yield 16000,` -> an inference error is
  answered with 1 s of zeros at 16 kHz (32 kHz before).
- `api.py`: `SynthesizerTrnV3` -> v3, `init_sv_cn` -> v4, v2Pro and v2ProPlus; the
  parameters of its `@app.get("/")` function are its request fields.
- `api_v2.py`: the fields of `class TTS_Request(BaseModel)`.
- `GPT_SoVITS/process_ckpt.py`: which SoVITS file heads the package knows (b"04" v4 LoRA,
  b"05"/b"06" v2Pro) and whether it reads them at all (`get_sovits_version_from_path_fast`).

A file that is missing or does not look like upstream's leaves that part unknown (None):
the launcher then does not refuse on it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

VERSIONS = ("v1", "v2", "v3", "v4", "v2Pro", "v2ProPlus")
PRO = ("v2Pro", "v2ProPlus")
# Releases in order; "main" is anything newer than the last tag.
RELEASES = ("20240821v2", "20250228v3", "20250422v4", "20250606v2pro", "main")
# The first release whose server can load a model version (the fix when a package is too old).
FIRST_RELEASE = {
    "v1": {"v1": "20240821v2", "v2": "20240821v2", "v3": "20250422v4", "v4": "main", "v2Pro": "main", "v2ProPlus": "main"},
    "v2": {"v1": "20240821v2", "v2": "20240821v2", "v3": "20250422v4", "v4": "20250422v4", "v2Pro": "20250606v2pro",
           "v2ProPlus": "20250606v2pro"},
}
SCRIPTS = {"v1": "api.py", "v2": "api_v2.py"}
TTS_PY = "GPT_SoVITS/TTS_infer_pack/TTS.py"
PROCESS_CKPT = "GPT_SoVITS/process_ckpt.py"

# Files a model version needs besides its own weights, relative to the root.
ASSETS = {
    "v3_base": "GPT_SoVITS/pretrained_models/s2Gv3.pth",
    "v3_vocoder": "GPT_SoVITS/pretrained_models/models--nvidia--bigvgan_v2_24khz_100band_256x",
    "v4_base": "GPT_SoVITS/pretrained_models/gsv-v4-pretrained/s2Gv4.pth",
    "v4_vocoder": "GPT_SoVITS/pretrained_models/gsv-v4-pretrained/vocoder.pth",
    "sv": "GPT_SoVITS/pretrained_models/sv/pretrained_eres2netv2w24s4ep4.ckpt",
    "super_sampling": "tools/AP_BWE_main/24kto48k/g_24kto48k.zip",
}


@dataclass(frozen=True)
class ApiCaps:
    """One server script of the package."""

    script: str  # api.py / api_v2.py
    present: bool
    versions: tuple[str, ...] | None = None  # model versions it loads; None: cannot tell
    fields: dict | None = None  # request field -> default; None: cannot tell

    def serves(self, version: str) -> bool | None:
        return None if self.versions is None else version in self.versions


@dataclass(frozen=True)
class Capabilities:
    root: str
    release: str | None  # the release the code matches; None: cannot tell
    v1: ApiCaps  # api.py
    v2: ApiCaps  # api_v2.py
    yaml_version: str | None = None  # "custom": custom.version; "top": top-level `version`, lower-cased
    silence_rate: int | None = None  # api_v2.py answers an inference error with 1 s of zeros at this rate
    heads: tuple[str, ...] | None = None  # SoVITS file heads the package's code knows
    assets: dict = field(default_factory=dict)  # ASSETS name -> present

    def api(self, api: str) -> ApiCaps:
        return self.v1 if api == "v1" else self.v2

    def serves(self, api: str, version: str) -> bool | None:
        caps = self.api(api)
        return caps.serves(version) if caps.present else False

    def accepts(self, api: str, field_name: str) -> bool | None:
        """Whether the API reads this request field; None: cannot tell."""
        fields = self.api(api).fields
        return None if fields is None else field_name in fields

    def to_dict(self) -> dict:
        data = asdict(self)
        for api in ("v1", "v2"):
            if data[api]["versions"] is not None:
                data[api]["versions"] = list(data[api]["versions"])
        data["heads"] = list(self.heads) if self.heads is not None else None
        return data


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def read(root: Path | str) -> Capabilities:
    """The capabilities of the package at `root`, from its files."""
    root = Path(root)
    tts = _read(root / TTS_PY)
    ckpt = _read(root / PROCESS_CKPT)
    api_py = _read(root / "api.py")
    api_v2 = _read(root / "api_v2.py")
    heads = _heads(root, ckpt)
    v1 = _api_py(api_py, heads)
    v2 = _api_v2(api_v2, tts, heads)
    return Capabilities(
        root=str(root),
        release=_release(ckpt, tts, api_py),
        v1=v1,
        v2=v2,
        yaml_version=None if tts is None or "class TTS_Config" not in tts else ("custom" if "Invalid version!" in tts else "top"),
        silence_rate=None if tts is None or "class TTS_Config" not in tts else (16000 if "yield 16000," in tts else 32000),
        heads=heads,
        assets={name: (root / rel).exists() for name, rel in ASSETS.items()},
    )


def _has_head(text: str, head: str) -> bool:
    return re.search(r"""b["']%s["']""" % head, text) is not None


def _heads(root: Path, ckpt: str | None) -> tuple[str, ...] | None:
    """The SoVITS file heads the package knows. No v2 text frontend: a v1-only package."""
    if not (root / "GPT_SoVITS").is_dir() or ckpt is None:
        return None
    found = ["00"] if not (root / "GPT_SoVITS" / "text" / "symbols2.py").is_file() else ["00", "01"]
    found += [h for h in ("02", "03", "04", "05", "06") if _has_head(ckpt, h)]
    return tuple(found)


# head -> the model version it stands for
_HEAD_VERSION = {"00": "v1", "01": "v2", "02": "v3", "03": "v3", "04": "v4", "05": "v2Pro", "06": "v2ProPlus"}


def versions_from_heads(heads: tuple[str, ...] | None) -> tuple[str, ...] | None:
    if heads is None:
        return None
    known = {_HEAD_VERSION[h] for h in heads}
    return tuple(v for v in VERSIONS if v in known)


def _api_py(text: str | None, heads) -> ApiCaps:
    if text is None:
        return ApiCaps("api.py", False)
    fields = _endpoint_fields(text)
    if fields is None:  # not upstream's api.py: only the package's heads can tell
        return ApiCaps("api.py", True, versions_from_heads(heads), None)
    versions = ["v1", "v2"]
    if "SynthesizerTrnV3" in text:
        versions.append("v3")
    if "init_sv_cn" in text:
        versions += ["v4", *PRO]
    return ApiCaps("api.py", True, _ordered(versions), fields)


def _api_v2(text: str | None, tts: str | None, heads) -> ApiCaps:
    if text is None:
        return ApiCaps("api_v2.py", False)
    fields = _request_fields(text)
    if tts is None or "class TTS_Config" not in tts:
        return ApiCaps("api_v2.py", True, versions_from_heads(heads), fields)
    versions = ["v1", "v2"]
    if "SynthesizerTrnV3" in tts:
        versions.append("v3")
    if '"v4": {' in tts:
        versions.append("v4")
    if '"v2ProPlus": {' in tts:
        versions += list(PRO)
    return ApiCaps("api_v2.py", True, _ordered(versions), fields)


def _ordered(versions) -> tuple[str, ...]:
    return tuple(v for v in VERSIONS if v in versions)


def _release(ckpt: str | None, tts: str | None, api_py: str | None) -> str | None:
    if ckpt is None or tts is None or "class TTS_Config" not in tts:
        return None
    if "def get_sovits_version_from_path_fast" not in ckpt:
        return "20240821v2"
    if not _has_head(ckpt, "04"):
        return "20250228v3"
    if not _has_head(ckpt, "05"):
        return "20250422v4"
    if "Invalid version!" in tts or (api_py and "init_sv_cn" in api_py):
        return "main"
    return "20250606v2pro"


# --- request fields, from two small pieces of the scripts -------------------------------


def _block(text: str, start: re.Pattern) -> str | None:
    """The source from the line `start` matches through the indented lines after it."""
    m = start.search(text)
    if m is None:
        return None
    lines = text[m.start():].splitlines()
    block = [lines[0]]
    for line in lines[1:]:
        if line.strip() and not line[0].isspace() and not line.lstrip().startswith(")"):
            break
        block.append(line)
    return "\n".join(block)


def _request_fields(text: str) -> dict | None:
    """api_v2.py: the annotated fields of `class TTS_Request(BaseModel)` with their defaults."""
    source = _block(text, re.compile(r"^class TTS_Request\(BaseModel\):", re.M))
    tree = _parse(source)
    if tree is None or not tree.body or not isinstance(tree.body[0], ast.ClassDef):
        return None
    fields = {}
    for node in tree.body[0].body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            fields[node.target.id] = _constant(node.value)
    return fields


def _endpoint_fields(text: str) -> dict | None:
    """api.py: the parameters of the function under `@app.get("/")` with their defaults."""
    m = re.search(r"""^@app\.get\(["']/["']\)\s*\n""", text, re.M)
    if m is None:
        return None
    source = _block(text[m.end():], re.compile(r"^(async )?def \w+\(", re.M))
    tree = _parse(source)
    if tree is None or not tree.body or not isinstance(tree.body[0], (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    args = tree.body[0].args
    names = [a.arg for a in args.args]
    defaults = [None] * (len(names) - len(args.defaults)) + [_constant(d) for d in args.defaults]
    return dict(zip(names, defaults))


def _parse(source: str | None) -> ast.Module | None:
    if source is None:
        return None
    for attempt in (source, source + "\n    pass\n"):
        try:
            return ast.parse(attempt)
        except SyntaxError:
            continue
    return None


def _constant(node) -> object:
    """A default as a plain value: literals as they are, `Query(default=[])` as its default."""
    if node is None:
        return None
    if isinstance(node, ast.Call):
        for kw in node.keywords:
            if kw.arg == "default":
                return _constant(kw.value)
        return None
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        return None


# --- what the launcher does with them -----------------------------------------------------


def other_api(api: str) -> str:
    return "v2" if api == "v1" else "v1"


def first_release(api: str, version: str) -> str:
    return FIRST_RELEASE[api][version]


def needed_release(version: str) -> str:
    """The oldest release that loads `version` through either of its servers."""
    candidates = [FIRST_RELEASE[api][version] for api in ("v1", "v2")]
    return min(candidates, key=RELEASES.index)


def served_anywhere(caps: Capabilities) -> tuple[str, ...] | None:
    """Every model version one of the package's servers loads; None when neither can be told."""
    found: set[str] = set()
    for api in ("v1", "v2"):
        c = caps.api(api)
        if c.present:
            if c.versions is None:
                return None
            found.update(c.versions)
    return _ordered(found)


def format_versions(versions) -> str:
    """("v1", "v2", "v3", "v4", "v2Pro", "v2ProPlus") -> "v1–v4 v2Pro v2ProPlus"."""
    if versions is None:
        return "?"
    numbered = [v for v in ("v1", "v2", "v3", "v4") if v in versions]
    parts: list[str] = []
    if len(numbered) >= 3 and numbered == ["v1", "v2", "v3", "v4"][: len(numbered)]:
        parts.append(f"v1–{numbered[-1]}")
    else:
        parts += numbered
    parts += [v for v in PRO if v in versions]
    return " ".join(parts) or "-"


def summary(caps: Capabilities) -> str:
    """One line for `list` and `doctor`: "api.py: v1 v2 v3 · api_v2.py: v1–v4 v2Pro v2ProPlus"."""
    return " · ".join(summary_parts(caps))


def summary_parts(caps: Capabilities) -> list[str]:
    """["api.py: v1 v2 v3", "api_v2.py: v1–v4 v2Pro v2ProPlus"]: the scripts the package has."""
    return [f"{c.script}: {format_versions(c.versions)}" for c in (caps.v1, caps.v2) if c.present]


def expected_rate(version: str, super_sampling: bool = False) -> int:
    """The sample rate a model version speaks at (v3 goes to 48 kHz with super-sampling)."""
    if version == "v3":
        return 48000 if super_sampling else 24000
    return 48000 if version == "v4" else 32000


def yaml_top_level(caps: Capabilities, version: str) -> bool:
    """Whether our tts_infer.yaml should also carry a top-level `version`.

    Up to 20250606v2pro api_v2.py reads only the top-level key, lower-cased (so `v2Pro`
    would fail its check); later releases read only `custom.version`. The top-level key
    is written where the release reads it and the value survives the lower-casing.
    """
    return caps.yaml_version == "top" and version in ("v1", "v2", "v3", "v4") and caps.serves("v2", version) is not False


# Profile parameters that only some releases read, by API: profile name -> request field.
VERSION_PARAMS = {
    "v1": {"sample_steps": "sample_steps", "super_sampling": "if_sr", "if_sr": "if_sr"},
    "v2": {"sample_steps": "sample_steps", "super_sampling": "super_sampling", "if_sr": "super_sampling"},
}


def request_extras(caps: Capabilities, api: str, params: dict, version: str | None) -> dict:
    """The version-specific profile parameters, under the API's names, that this release reads.

    Super-sampling applies to v3 only and needs its model (tools/AP_BWE_main): without it,
    20250422v4 and 20250606v2pro answer silence (api_v2.py) or a wrong-speed file (api.py).
    """
    out = {}
    for name, target in VERSION_PARAMS[api].items():
        if name not in params or params[name] is None or target in out:
            continue
        if caps.accepts(api, target) is False:
            continue
        if target in ("if_sr", "super_sampling") and (version != "v3" or not caps.assets.get("super_sampling")):
            continue
        out[target] = params[name]
    return out


# --- hot switching --------------------------------------------------------------------------


def hot_switch_ok(caps: Capabilities, api: str, from_version: str | None, to_version: str,
                  *, same_reference: bool = False) -> tuple[bool, str | None]:
    """Whether swapping weights on a running server gives real audio on this release.

    Returns (ok, reason): reason is a message key saying why a restart is safer.
    - v1 <-> v2 (and the same version): every release swaps them well.
    - Across families (v2 <-> v2Pro, anything <-> v3/v4): api_v2.py of 20250606v2pro keeps
      the reference's features without the speaker embedding a Pro model needs (1 s of
      silence with the same reference); a failed v3/v4 swap leaves the server half-switched
      (silence until a restart) on every release; api.py rebuilds its model class only since
      main. So cross-family swaps are left to main, and with a new reference.
    """
    if from_version is None:
        return False, "switch.restart_unknown_version"
    family = {"v1": "v12", "v2": "v12"}
    if from_version == to_version or family.get(from_version, from_version) == family.get(to_version, to_version) == "v12":
        return True, None
    if caps.release != "main":
        if api == "v2" and caps.release == "20250606v2pro" and (from_version in PRO) != (to_version in PRO):
            return False, "switch.restart_v2pro_cache"
        return False, "switch.restart_cross_version"
    if same_reference:
        return False, "switch.restart_same_reference"
    return True, None


__all__ = [
    "ApiCaps", "Capabilities", "RELEASES", "VERSIONS", "read", "summary", "format_versions", "expected_rate",
    "hot_switch_ok", "needed_release", "first_release", "other_api", "request_extras", "yaml_top_level",
]
