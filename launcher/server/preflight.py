"""Checks made before a server starts, shared by `plan.plan_start` and `doctor`.

Each function checks one thing and either returns what it found or raises the
keyed error the user sees (naming the file, the profile and the fix). The
start refuses on the first error; `doctor` runs them all and collects them.
Nothing here imports torch: weights are read from their headers (`package`)
and their pickles (`ckpt`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from launcher import audio
from launcher.gsv import capabilities
from launcher.gsv import ckpt
from launcher.gsv import languages
from launcher.gsv import package
from launcher.errors import BadInput, MissingFile, Notice
from launcher.profiles.schema import Profile


def profile_where(profile: Profile) -> str:
    """How messages name the profile: its file when it has one."""
    return str(profile.path or profile.name)


def require_file(profile: Profile, field_name: str, value: str, root: Path) -> Path:
    """The file a profile field names, resolved against the root; `profile.path_missing` if absent."""
    path = profile.resolve(value, root)
    if not path.is_file():
        raise MissingFile("profile.path_missing", field=field_name, path=str(path), profile=profile_where(profile))
    return path


# --- weights ----------------------------------------------------------------------


def whole_archive(path: Path) -> None:
    """A weight file that is a zip (torch.save) is complete and holds together; checked
    before its header or pickle is believed, so a half-copied file is called what it is
    and not a version or pairing problem."""
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError:
        return  # the version or pickle check says what is wrong
    if len(head) < 4 or head[2:] != b"\x03\x04":
        return  # not a zip: a legacy pickle, or what sovits_version / read_meta refuse
    try:
        ckpt.check_archive(path)
    except ckpt.CheckpointError as exc:
        raise damaged(path, exc) from exc


def damaged(path: Path, exc: ckpt.CheckpointError) -> BadInput:
    """`weights.incomplete` / `weights.damaged` for a zip that is cut off or broken."""
    try:
        size = f"{Path(path).stat().st_size:,} bytes"
    except OSError:
        size = "?"
    key = "weights.incomplete" if exc.kind == "incomplete" else "weights.damaged"
    return BadInput(key, path=str(path), size=size, detail=exc.reason)


def sovits_weights(path: Path, root: Path) -> package.SovitsVersion:
    """The SoVITS version from the header; a v3/v4 LoRA must find its base model."""
    whole_archive(path)
    version = package.sovits_version(path)
    lora_base(root, version)
    return version


def lora_base(root: Path, version: package.SovitsVersion) -> None:
    """A v3/v4 LoRA loads on top of its base model: `weights.lora_base_missing` without it."""
    if version.lora and not package.lora_base_present(root, version.version):
        raise MissingFile(
            "weights.lora_base_missing",
            version=version.version,
            path=str(package.lora_base_path(root, version.version)),
        )


def gpt_weights(path: Path) -> ckpt.CheckpointMeta:
    """The GPT checkpoint opens as a torch zip with its pickle; `weights.gpt_unreadable` if not."""
    try:
        return ckpt.read_meta(path)
    except ckpt.CheckpointError as exc:
        if exc.kind in ("incomplete", "damaged"):
            raise damaged(path, exc) from exc
        raise BadInput("weights.gpt_unreadable", path=str(path), reason=exc.reason) from exc


def sovits_meta(path: Path) -> ckpt.CheckpointMeta | None:
    """What the SoVITS pickle says (LoRA rank, symbol set), or None when it cannot be read.

    The header already decided the version; an unreadable pickle here is not
    refused (upstream reads the same file with torch and may manage).
    """
    try:
        return ckpt.read_meta(path)
    except ckpt.CheckpointError:
        return None


def sovits_symbols(version: package.SovitsVersion, meta: ckpt.CheckpointMeta | None) -> str:
    """The symbol set (v1/v2) the SoVITS model really uses: its text embedding, else its header."""
    found = meta.sovits_symbols if meta else None
    return found or version.symbols


def pair(
    gpt: Path,
    gpt_meta: ckpt.CheckpointMeta,
    sovits: Path,
    version: package.SovitsVersion,
    meta: ckpt.CheckpointMeta | None,
) -> list[Notice]:
    """GPT and SoVITS belong together: same symbol set (refused otherwise: the
    models cannot share phonemes), and normally the same experiment name (a notice)."""
    gpt_symbols = gpt_meta.gpt_symbols
    sv_symbols = sovits_symbols(version, meta)
    if gpt_symbols and gpt_symbols != sv_symbols:
        raise BadInput(
            "weights.mismatch",
            gpt=str(gpt),
            sovits=str(sovits),
            gpt_family=gpt_symbols,
            sovits_family=sv_symbols,
            version=version.version,
        )
    gpt_name = package.parse_gpt_name(gpt.name)
    sv_name = package.parse_sovits_name(sovits.name)
    if gpt_name and sv_name and gpt_name.name != sv_name.name:
        return [Notice("weights.name_mismatch", gpt=gpt_name.name, sovits=sv_name.name)]
    return []


def lora_rank(sovits: Path, meta: ckpt.CheckpointMeta | None) -> int | None:
    """The LoRA rank from the weights (savee stores it), else from the `_l<rank>` file name."""
    if meta and meta.lora_rank:
        return meta.lora_rank
    parsed = package.parse_sovits_name(sovits.name)
    return parsed.rank if parsed else None


# What each SoVITS version needs besides its own file, relative to the root
# (TTS.py init_vocoder: BigVGAN for v3, vocoder.pth for v4; sv.py: the
# speaker-verification model for v2Pro/v2ProPlus).
VERSION_ASSETS: dict[str, tuple[str, ...]] = {
    "v3": ("GPT_SoVITS/pretrained_models/models--nvidia--bigvgan_v2_24khz_100band_256x",),
    "v4": ("GPT_SoVITS/pretrained_models/gsv-v4-pretrained/vocoder.pth",),
    "v2Pro": ("GPT_SoVITS/pretrained_models/sv/pretrained_eres2netv2w24s4ep4.ckpt",),
    "v2ProPlus": ("GPT_SoVITS/pretrained_models/sv/pretrained_eres2netv2w24s4ep4.ckpt",),
}

# Both servers load these for every model (tts_infer.yaml bert_base_path /
# cnhuhbert_base_path; api.py -b / -hb defaults).
BASE_ASSETS: tuple[str, ...] = (
    "GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large",
    "GPT_SoVITS/pretrained_models/chinese-hubert-base",
)


def missing_assets(root: Path, relative: tuple[str, ...]) -> list[Path]:
    return [Path(root) / rel for rel in relative if not (Path(root) / rel).exists()]


def version_assets(root: Path, version: str) -> None:
    """The vocoder / speaker model a v3, v4 or v2Pro model loads; `weights.asset_missing` if absent."""
    missing = missing_assets(root, VERSION_ASSETS.get(version, ()))
    if missing:
        raise MissingFile("weights.asset_missing", version=version, path=str(missing[0]))


def serving_api(
    caps: capabilities.Capabilities,
    version: str,
    *,
    preferred: str,
    forced: str | None = None,
    profile: str = "",
) -> tuple[str, list[Notice]]:
    """The API that will serve a model version on this package's release, refused before anything loads.

    `forced` (--v1/--v2) is kept or refused with `release.api_cannot_serve` (naming the other
    API when it can); the profile's `preferred` API gives way to the other one with a notice
    (`release.api_switched`). Neither can: `weights.unsupported_by_package`, with the release
    to update to. What cannot be told from the package's code is not refused.
    """
    api = forced or preferred
    if caps.serves(api, version) is not False:
        return api, []
    other = capabilities.other_api(api)
    release = caps.release or "?"
    if caps.serves(other, version) is False:
        supported = capabilities.served_anywhere(caps) or ()
        raise BadInput(
            "weights.unsupported_by_package",
            version=version,
            root=str(caps.root),
            supported=", ".join(supported) or "-",
            release=release,
            needed=capabilities.needed_release(version),
        )
    names = {"script": capabilities.SCRIPTS[api], "other_script": capabilities.SCRIPTS[other], "other": other}
    if forced:
        raise BadInput(
            "release.api_cannot_serve",
            version=version,
            release=release,
            supported=capabilities.format_versions(caps.api(api).versions),
            **names,
        )
    return other, [Notice("release.api_switched", profile=profile, version=version, release=release, api=other, **names)]


def supported_by_package(root: Path, version: str, api: str = "v2") -> list[Notice]:
    """`doctor`: what `serving_api` would say for the profile's API (notices), or its error."""
    caps = capabilities.read(root)
    return serving_api(caps, version, preferred=api)[1]


# --- reference audio and languages ------------------------------------------------------


@dataclass
class Reference:
    path: Path | None
    seconds: float | None
    notices: list[Notice]


def reference(
    profile: Profile,
    root: Path,
    api: str,
    ffprobe: Path | None,
    value: str | None = None,
    field_name: str = "ref_audio",
) -> Reference:
    """The reference exists and is 3-10 s as upstream measures it.

    Out of range: refused for api_v2.py (it answers every request with 400),
    a notice for api.py (it does not check). No reference at all: a notice.
    """
    value = profile.ref_audio if value is None else value
    if not value:
        return Reference(None, None, [Notice("start.no_reference", profile=profile.name)])
    ref = require_file(profile, field_name, value, root)
    seconds = audio.measure(ref, ffprobe)
    notices: list[Notice] = []
    if not audio.reference_in_range(seconds):
        if api == "v2":
            raise BadInput("audio.out_of_range", path=str(ref), seconds=audio.seconds_text(seconds), profile=profile_where(profile))
        notices.append(Notice("audio.out_of_range_v1", path=str(ref), seconds=audio.seconds_text(seconds), profile=profile_where(profile)))
    return Reference(ref, seconds, notices)


def api_languages(profile: Profile, api: str, version: str | None) -> tuple[str, str]:
    """prompt_lang and text_lang in the form the API takes; refused when the API or model cannot speak them."""
    prompt = languages.for_api(profile.prompt_lang, api, version)
    text = languages.for_api(profile.text_lang, api, version)
    return prompt, text


# --- the package root -----------------------------------------------------------------

# Upstream's own test for a path its native libraries can open (text/japanese.py,
# LangSegmenter, korean.py since PR #2112/#2114).
ASCII_PATH = re.compile(r"^[A-Za-z0-9_/\\:.\-]*$")
# Added by those PRs (2025-02-26): their presence means the package has the fix.
NON_ASCII_FIX_MARKERS = ("GPT_SoVITS/text/japanese.py", "GPT_SoVITS/text/LangSegmenter/langsegmenter.py")
NON_ASCII_FIX_DATE = "20250226"
_PACKAGE_DATE = re.compile(r"(20[2-9][0-9])([01][0-9])([0-3][0-9])")


def path_is_ascii_safe(path: Path | str) -> bool:
    return bool(ASCII_PATH.match(str(path)))


def has_non_ascii_fix(root: Path) -> bool | None:
    """Whether the package carries upstream's Windows non-ASCII path fixes (PR #2112/#2114).

    Read from the code: the fixed files test paths against `[A-Za-z0-9_/\\\\:.]`.
    When those files are missing, a `YYYYMMDD` date in the folder name
    (GPT-SoVITS-v2pro-20250604) decides; None when neither tells.
    """
    root = Path(root)
    seen = False
    for rel in NON_ASCII_FIX_MARKERS:
        f = root / rel
        try:
            text = f.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        seen = True
        if "A-Za-z0-9_/" in text:
            return True
    if seen:
        return False
    m = _PACKAGE_DATE.search(root.name)
    if m:
        return "".join(m.groups()) >= NON_ASCII_FIX_DATE
    return None
