"""The GPT-SoVITS 整合包 on disk: its interpreter, API scripts, weight folders and weight files.

Facts from upstream (RVC-Boss/GPT-SoVITS 48b1a01):

- Weight folders per version: `config.py` (`GPT_weight_version2root`,
  `SoVITS_weight_version2root`); the WebUI lists every `.ckpt`/`.pth` in all of them.
- Training output names: `s1_train.py` writes `<exp_name>-e<epoch>.ckpt`;
  `s2_train.py`/`s2_train_v3.py` write `<exp_name>_e<epoch>_s<step>.pth`;
  `s2_train_v3_lora.py` writes `<exp_name>_e<epoch>_s<step>_l<rank>.pth`.
  `webui.py` strips trailing spaces from the experiment name, nothing else.
- SoVITS version without torch: `process_ckpt.get_sovits_version_from_path_fast`:
  1. MD5 of the first 8192 bytes against the pretrained bases;
  2. else the first two bytes: `my_save2` overwrites the zip's `PK` with the
     ASCII digits "03" (v3 LoRA), "04" (v4 LoRA), "05" (v2Pro), "06" (v2ProPlus);
     the table also knows "00" v1, "01" v2, "02" v3;
  3. a plain `PK` zip (torch.save) is sized: < 82978 KiB v1, < 700 MiB v2, else v3.
- A v3/v4 LoRA loads on top of its base, `pretrained_sovits_name` in config.py
  (api.py logs "SoVITS v3 底模缺失，无法加载相应 LoRA 权重"; api_v2.py raises).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from launcher.errors import BadInput, LauncherError, MissingFile

VERSIONS: tuple[str, ...] = ("v1", "v2", "v3", "v4", "v2Pro", "v2ProPlus")

# config.py GPT_weight_version2root / SoVITS_weight_version2root
GPT_WEIGHT_DIRS: dict[str, str] = {
    "v1": "GPT_weights",
    "v2": "GPT_weights_v2",
    "v3": "GPT_weights_v3",
    "v4": "GPT_weights_v4",
    "v2Pro": "GPT_weights_v2Pro",
    "v2ProPlus": "GPT_weights_v2ProPlus",
}
SOVITS_WEIGHT_DIRS: dict[str, str] = {
    "v1": "SoVITS_weights",
    "v2": "SoVITS_weights_v2",
    "v3": "SoVITS_weights_v3",
    "v4": "SoVITS_weights_v4",
    "v2Pro": "SoVITS_weights_v2Pro",
    "v2ProPlus": "SoVITS_weights_v2ProPlus",
}
GPT_PREFIX = "GPT_weights"
SOVITS_PREFIX = "SoVITS_weights"

# config.py pretrained_sovits_name (relative to the package root)
PRETRAINED_SOVITS: dict[str, str] = {
    "v1": "GPT_SoVITS/pretrained_models/s2G488k.pth",
    "v2": "GPT_SoVITS/pretrained_models/gsv-v2final-pretrained/s2G2333k.pth",
    "v3": "GPT_SoVITS/pretrained_models/s2Gv3.pth",
    "v4": "GPT_SoVITS/pretrained_models/gsv-v4-pretrained/s2Gv4.pth",
    "v2Pro": "GPT_SoVITS/pretrained_models/v2Pro/s2Gv2Pro.pth",
    "v2ProPlus": "GPT_SoVITS/pretrained_models/v2Pro/s2Gv2ProPlus.pth",
}

# process_ckpt.head2version: first two bytes -> (symbols version, model version, lora)
HEAD_VERSIONS: dict[bytes, tuple[str, str, bool]] = {
    b"00": ("v1", "v1", False),
    b"01": ("v2", "v2", False),
    b"02": ("v2", "v3", False),
    b"03": ("v2", "v3", True),
    b"04": ("v2", "v4", True),
    b"05": ("v2", "v2Pro", False),
    b"06": ("v2", "v2ProPlus", False),
}
# process_ckpt.hash_pretrained_dict: md5 of the first 8192 bytes of each pretrained base.
# Upstream lists s2G488k (the v1 base) as v2; its loader then finds a v1 text
# embedding and runs it as v1, so v1 is the version that matters here.
PRETRAINED_MD5: dict[str, tuple[str, str, bool]] = {
    "dc3c97e17592963677a4a1681f30c653": ("v1", "v1", False),  # s2G488k.pth
    "43797be674a37c1c83ee81081941ed0f": ("v2", "v3", False),  # s2Gv3.pth
    "6642b37f3dbb1f76882b69937c95a5f3": ("v2", "v2", False),  # s2G2333k.pth
    "4f26b9476d0c5033e04162c486074374": ("v2", "v4", False),  # s2Gv4.pth
    "c7e9fce2223f3db685cdfa1e6368728a": ("v2", "v2Pro", False),  # s2Gv2Pro.pth
    "66b313e39455b57ab1b0bc0b239c9d0a": ("v2", "v2ProPlus", False),  # s2Gv2ProPlus.pth
}
V1_SIZE_LIMIT = 82978 * 1024
V2_SIZE_LIMIT = 700 * 1024 * 1024

_API_SCRIPTS = {"v1": "api.py", "v2": "api_v2.py"}


# --- the package root ---------------------------------------------------------------


def _first_file(candidates: list[Path]) -> Path | None:
    for p in candidates:
        if p.is_file():
            return p
    return None


def find_runtime_python(root: Path) -> Path | None:
    """`runtime/python.exe`, else `runtime/python`, else `runtime/bin/python` (a venv/symlink)."""
    rt = Path(root) / "runtime"
    return _first_file([rt / "python.exe", rt / "python", rt / "bin" / "python"])


def find_runtime_tool(root: Path, name: str) -> Path | None:
    """`runtime/<name>.exe`, `runtime/<name>` or `runtime/bin/<name>` (ffmpeg, ffprobe)."""
    rt = Path(root) / "runtime"
    return _first_file([rt / f"{name}.exe", rt / name, rt / "bin" / name])


@dataclass
class PackageInfo:
    root: Path
    python: Path | None
    api_v1: Path | None
    api_v2: Path | None
    ffmpeg: Path | None
    weight_dirs: list[Path]
    ffprobe: Path | None = None


def _weight_dirs(root: Path) -> list[Path]:
    """Every existing `GPT_weights*`/`SoVITS_weights*` folder: known ones in version order, then others by name."""
    known = [GPT_WEIGHT_DIRS[v] for v in VERSIONS] + [SOVITS_WEIGHT_DIRS[v] for v in VERSIONS]
    found = [root / name for name in known if (root / name).is_dir()]
    try:
        extra = sorted(
            p
            for p in root.iterdir()
            if p.is_dir() and p.name not in known and p.name.startswith((GPT_PREFIX, SOVITS_PREFIX))
        )
    except OSError:
        extra = []
    return found + extra


def missing_parts(root: Path) -> list[str]:
    """What a folder lacks to be a GPT-SoVITS root (api.py or api_v2.py, and GPT_SoVITS/);
    [] for a package root. Also how the launcher recognises a running server's package."""
    root = Path(root)
    missing = []
    if not ((root / "api.py").is_file() or (root / "api_v2.py").is_file()):
        missing.append("api.py / api_v2.py")
    if not (root / "GPT_SoVITS").is_dir():
        missing.append("GPT_SoVITS/")
    return missing


def is_root(root: Path) -> bool:
    """A folder with the package layout (see `missing_parts`)."""
    try:
        return Path(root).is_dir() and not missing_parts(root)
    except OSError:
        return False


def inspect_root(root: Path, python: Path | None = None) -> PackageInfo:
    """Validate a GPT-SoVITS root and find its pieces.

    Raises `MissingFile("package.root_missing")`, `BadInput("package.not_gsv")`
    (naming what is missing), `MissingFile("package.python_missing")` when the
    given `python` does not exist, `MissingFile("package.no_runtime")` when no
    interpreter is found.
    """
    root = Path(root)
    if not root.is_dir():
        raise MissingFile("package.root_missing", path=str(root))
    api_v1 = root / "api.py"
    api_v2 = root / "api_v2.py"
    has_v1, has_v2 = api_v1.is_file(), api_v2.is_file()
    missing = missing_parts(root)
    if missing:
        raise BadInput("package.not_gsv", path=str(root), missing=", ".join(missing))
    if python is not None:
        python = Path(python)
        if not python.is_file():
            raise MissingFile("package.python_missing", path=str(python))
        interpreter: Path | None = python
    else:
        interpreter = find_runtime_python(root)
        if interpreter is None:
            raise MissingFile("package.no_runtime", path=str(root / "runtime"))
    return PackageInfo(
        root=root,
        python=interpreter,
        api_v1=api_v1 if has_v1 else None,
        api_v2=api_v2 if has_v2 else None,
        ffmpeg=find_runtime_tool(root, "ffmpeg"),
        weight_dirs=_weight_dirs(root),
        ffprobe=find_runtime_tool(root, "ffprobe"),
    )


def require_api_script(info: PackageInfo, api: str) -> Path:
    """The script for api "v1" (api.py) or "v2" (api_v2.py); `MissingFile("package.no_api_script")` if absent."""
    key = str(api).strip().lower()
    if key not in _API_SCRIPTS:
        raise ValueError(f"api must be 'v1' or 'v2', not {api!r}")
    script = info.api_v1 if key == "v1" else info.api_v2
    if script is None or not script.is_file():
        raise MissingFile("package.no_api_script", script=_API_SCRIPTS[key], root=str(info.root))
    return script


# --- weight file names ----------------------------------------------------------------

# [0-9] not \d: \d also matches non-ASCII digits, which upstream never writes.
_GPT_RE = re.compile(r"(?P<name>.+)-e(?P<epoch>[0-9]+)\.(?i:ckpt)", re.DOTALL)
_SOVITS_RE = re.compile(
    r"(?P<name>.+)_e(?P<epoch>[0-9]+)_s(?P<step>[0-9]+)(?:_l(?P<rank>[0-9]+))?\.(?i:pth)",
    re.DOTALL,
)


def _basename(filename: str | Path) -> str:
    # A Path, or a string holding a Windows or POSIX path: only the last part counts.
    return re.split(r"[\\/]", str(filename))[-1]


@dataclass(frozen=True)
class GptName:
    name: str
    epoch: int


@dataclass(frozen=True)
class SovitsName:
    name: str
    epoch: int
    step: int
    rank: int | None = None  # LoRA rank (v3/v4 LoRA training), None for full weights


def parse_gpt_name(filename: str) -> GptName | None:
    """`<name>-e<N>.ckpt` (s1_train.py) -> GptName; anything else -> None."""
    m = _GPT_RE.fullmatch(_basename(filename))
    if not m:
        return None
    return GptName(m.group("name"), int(m.group("epoch")))


def parse_sovits_name(filename: str) -> SovitsName | None:
    """`<name>_e<N>_s<step>[_l<rank>].pth` (s2_train*.py) -> SovitsName; anything else -> None."""
    m = _SOVITS_RE.fullmatch(_basename(filename))
    if not m:
        return None
    rank = m.group("rank")
    return SovitsName(m.group("name"), int(m.group("epoch")), int(m.group("step")), int(rank) if rank else None)


def gpt_filename(name: str, epoch: int) -> str:
    """The file name s1_train.py writes."""
    return f"{name}-e{epoch}.ckpt"


def sovits_filename(name: str, epoch: int, step: int, rank: int | None = None) -> str:
    """The file name s2_train.py (or s2_train_v3_lora.py with a rank) writes."""
    return f"{name}_e{epoch}_s{step}" + (f"_l{rank}" if rank is not None else "") + ".pth"


# Language suffixes on experiment names, as community packs use them
# (纳西妲_ZH-e10.ckpt / 纳西妲_ZH_e10_s1400_l32.pth). Value: the language code.
LANG_SUFFIXES: dict[str, str] = {
    "ZH": "zh",
    "CN": "zh",
    "EN": "en",
    "JA": "ja",
    "JP": "ja",
    "KO": "ko",
    "KR": "ko",
    "YUE": "yue",
}
_LANG_SUFFIX_RE = re.compile(r"(?P<base>.+?)_(?P<tag>" + "|".join(LANG_SUFFIXES) + r")", re.DOTALL | re.IGNORECASE)


def strip_lang_suffix(name: str) -> tuple[str, str | None]:
    """`纳西妲_ZH` -> (`纳西妲`, `zh`); a name without such a suffix comes back unchanged with None."""
    m = _LANG_SUFFIX_RE.fullmatch(name)
    if not m:
        return name, None
    return m.group("base"), LANG_SUFFIXES[m.group("tag").upper()]


# --- characters in the weight folders ------------------------------------------------


@dataclass(frozen=True)
class Character:
    name: str  # the experiment name shared by both files (may carry a _ZH suffix)
    gpt: Path
    sovits: Path
    epoch: int  # the SoVITS file's epoch (the GPT file's is gpt_epoch)
    version_dir: str  # version tag of the SoVITS folder: v1 (SoVITS_weights), v2, v2Pro, ...; else the folder's suffix
    gpt_epoch: int = 0
    step: int = 0
    lora_rank: int | None = None

    @property
    def display_name(self) -> str:
        return strip_lang_suffix(self.name)[0]

    @property
    def lang(self) -> str | None:
        return strip_lang_suffix(self.name)[1]


@dataclass
class Discovery:
    """What `discover_characters` found. Iterating it yields the paired characters."""

    characters: list[Character] = field(default_factory=list)
    unpaired_gpt: list[Path] = field(default_factory=list)  # best GPT file of each name without a SoVITS file
    unpaired_sovits: list[Path] = field(default_factory=list)  # best SoVITS file of each name without a GPT file

    def __iter__(self):
        return iter(self.characters)

    def __len__(self) -> int:
        return len(self.characters)


@dataclass(frozen=True)
class _Weight:
    path: Path
    name: str
    tag: str  # version tag of the folder
    epoch: int
    step: int = 0
    rank: int | None = None


def version_tag(folder_name: str) -> str:
    """`GPT_weights_v2Pro` -> `v2Pro`, `SoVITS_weights` -> `v1`, `GPT_weights_xyz` -> `xyz`."""
    for prefix in (GPT_PREFIX, SOVITS_PREFIX):
        if folder_name.startswith(prefix):
            rest = folder_name[len(prefix) :].lstrip("_")
            return rest or "v1"
    return folder_name


def _scan(root: Path, prefix: str, suffix: str) -> list[_Weight]:
    found: list[_Weight] = []
    for folder in _weight_dirs(root):
        if not folder.name.startswith(prefix):
            continue
        tag = version_tag(folder.name)
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        for p in entries:
            if not p.is_file() or p.suffix.lower() != suffix:
                continue
            if suffix == ".ckpt":
                g = parse_gpt_name(p.name)
                found.append(_Weight(p, g.name, tag, g.epoch) if g else _Weight(p, p.stem, tag, -1))
            else:
                s = parse_sovits_name(p.name)
                if s:
                    found.append(_Weight(p, s.name, tag, s.epoch, s.step, s.rank))
                else:
                    found.append(_Weight(p, p.stem, tag, -1, -1))
    return found


def _version_order(tag: str) -> tuple[int, str]:
    return (VERSIONS.index(tag), "") if tag in VERSIONS else (len(VERSIONS), tag)


def _best(items: list[_Weight]) -> _Weight:
    # highest epoch, then step; ties broken by path so the answer never depends on listing order
    return max(items, key=lambda w: (w.epoch, w.step, str(w.path)))


def discover_characters(root: Path) -> Discovery:
    """Pair GPT and SoVITS files by experiment name across every weight folder.

    Files pair inside the same version (GPT_weights_v2 with SoVITS_weights_v2);
    names left over pair across folders when both sides exist (the SoVITS
    folder's version wins). In each group the highest epoch wins (SoVITS:
    epoch, then step). Files that do not follow the training pattern pair by
    their stem, below any numbered file of the same name.
    Order: by name, then version.
    """
    root = Path(root)
    if not root.is_dir():
        raise MissingFile("package.root_missing", path=str(root))
    gpts: dict[tuple[str, str], list[_Weight]] = {}
    sovits: dict[tuple[str, str], list[_Weight]] = {}
    for w in _scan(root, GPT_PREFIX, ".ckpt"):
        gpts.setdefault((w.name, w.tag), []).append(w)
    for w in _scan(root, SOVITS_PREFIX, ".pth"):
        sovits.setdefault((w.name, w.tag), []).append(w)

    pairs: list[tuple[_Weight, _Weight]] = []
    for key in sorted(set(gpts) & set(sovits)):
        pairs.append((_best(gpts.pop(key)), _best(sovits.pop(key))))

    # Leftovers: the same name in different version folders.
    left_g: dict[str, list[_Weight]] = {}
    left_s: dict[str, list[_Weight]] = {}
    for (name, _tag), items in gpts.items():
        left_g.setdefault(name, []).extend(items)
    for (name, _tag), items in sovits.items():
        left_s.setdefault(name, []).extend(items)
    for name in sorted(set(left_g) & set(left_s)):
        pairs.append((_best(left_g.pop(name)), _best(left_s.pop(name))))

    characters = [
        Character(
            name=s.name,
            gpt=g.path,
            sovits=s.path,
            epoch=max(s.epoch, 0),
            version_dir=s.tag,
            gpt_epoch=max(g.epoch, 0),
            step=max(s.step, 0),
            lora_rank=s.rank,
        )
        for g, s in pairs
    ]
    characters.sort(key=lambda c: (c.name, _version_order(c.version_dir), str(c.sovits)))

    def best_per_name(groups: dict[str, list[_Weight]]) -> list[Path]:
        return [_best(groups[n]).path for n in sorted(groups)]

    return Discovery(characters, best_per_name(left_g), best_per_name(left_s))


# --- weight file contents -----------------------------------------------------------------


@dataclass(frozen=True)
class SovitsVersion:
    version: str  # model version: v1, v2, v3, v4, v2Pro, v2ProPlus
    lora: bool
    needs_base: str | None  # for a LoRA: the base model it loads on, relative to the root (config.py)
    symbols: str = "v2"  # text symbol set (upstream's first return value)
    source: str = "header"  # how it was decided: "pretrained" (md5), "header" (2 bytes), "size" (old zip)


def sovits_version(path: Path) -> SovitsVersion:
    """The SoVITS model version from the file's first bytes, as upstream decides it, without torch.

    `MissingFile("fs.not_found")` when absent; `BadInput("weights.unknown_format")`
    when unreadable, too short or with a head upstream does not know.
    """
    path = Path(path)
    if not path.is_file():
        raise MissingFile("fs.not_found", path=str(path))
    try:
        with path.open("rb") as f:
            head = f.read(8192)
        size = path.stat().st_size
    except OSError as e:
        raise BadInput("weights.unknown_format", path=str(path), reason=str(e)) from e
    if len(head) < 4:
        raise BadInput("weights.unknown_format", path=str(path), reason="file too short")

    import hashlib  # only for zip-format files: keeps it off `list`'s start-up

    digest = hashlib.md5(head).hexdigest()
    if digest in PRETRAINED_MD5:
        symbols, version, lora = PRETRAINED_MD5[digest]
        return SovitsVersion(version, lora, None, symbols, "pretrained")

    magic = head[:2]
    if magic in HEAD_VERSIONS:
        symbols, version, lora = HEAD_VERSIONS[magic]
        # The rest must still be the zip torch wrote (local file header signature).
        if head[2:4] != b"\x03\x04":
            raise BadInput("weights.unknown_format", path=str(path), reason="not a torch zip after the version bytes")
        return SovitsVersion(version, lora, PRETRAINED_SOVITS[version] if lora else None, symbols, "header")
    if magic == b"PK":
        if size < V1_SIZE_LIMIT:
            return SovitsVersion("v1", False, None, "v1", "size")
        if size < V2_SIZE_LIMIT:
            return SovitsVersion("v2", False, None, "v2", "size")
        return SovitsVersion("v3", False, None, "v2", "size")
    raise BadInput("weights.unknown_format", path=str(path), reason=f"unknown head {magic!r}")


def gpt_checkpoint_ok(path: Path) -> bool:
    """Whether the file starts like a torch checkpoint: a zip (`PK\\x03\\x04`) or a legacy pickle (`\\x80`)."""
    try:
        with Path(path).open("rb") as f:
            head = f.read(4)
    except OSError:
        return False
    return head == b"PK\x03\x04" or (len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5)


def lora_base_path(root: Path, version: str) -> Path:
    """Where a v3/v4 LoRA's base model lives (config.py `pretrained_sovits_name`)."""
    if version not in ("v3", "v4"):
        raise ValueError(f"only v3 and v4 have LoRA weights, not {version!r}")
    return Path(root) / PRETRAINED_SOVITS[version]


def lora_base_present(root: Path, version: str) -> bool:
    return lora_base_path(root, version).is_file()

