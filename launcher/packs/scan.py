"""Recognise a community voice pack (folder or zip) without changing anything.

Layouts, as the community ships them (research/peers.md §1.2, §1.3, §3):

- GSVI (X-T-E-R/GPT-SoVITS-Inference): `trained/<角色>/` with a `.ckpt`, a `.pth`
  and a `.wav` whose file name is its transcript; optional `infer_config.json`
  with `gpt_path`, `sovits_path` and `emotion_list: {情绪: {ref_wav_path,
  prompt_text, prompt_language}}` (paths relative to the character folder).
  A whole `trained/` folder holds many characters.
- AI-Hobbyist (GPT-SoVITS-V2-Inference `tools/my_infer.py`): a model folder with
  `*.ckpt` + `*.pth` and `reference_audios/`, where `emotions/` holds
  `【情绪】台词.wav` and `randoms/` holds `.wav` + `.lab`; the language is a folder
  (中文/英语/日语/粤语/韩语) above or below `emotions/` depending on the release,
  sometimes with a speaker folder too. Model folders are `<类别>-<语言>-<名称>`.
- Plain: a ckpt, a pth and WAVs with `.lab` transcripts or a training `.list`
  (`path|speaker|lang|text`).

A character is a folder that holds weight files (files in its subfolders count
as its candidates too). A pack with one character looks for references in the
whole pack; a library looks inside each character folder only.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Optional

from launcher import audio
from launcher.gsv import languages
from launcher.gsv import package
from launcher.errors import BadInput, LauncherError, MissingFile, Notice
from launcher.packs.zipsafe import Progress, ZipLimits, extract, remove_tree, safe_parts

LAYOUT_GSVI = "gsvi"
LAYOUT_GSVI_LIBRARY = "gsvi-library"
LAYOUT_LIBRARY = "library"  # several characters, not all GSVI folders
LAYOUT_AIH = "ai-hobbyist"
LAYOUT_PLAIN = "plain"
LAYOUT_UNKNOWN = "unknown"

MAX_FILES = 50_000
MAX_TEXT_FILE = 4 * 1024 * 1024  # .lab / .list / infer_config.json larger than this are not transcripts
ARCHIVES_UNSUPPORTED = {".7z", ".rar", ".tar", ".gz", ".tgz", ".xz", ".bz2", ".zst"}
OTHER_AUDIO = {".mp3", ".flac", ".ogg", ".m4a", ".aac", ".opus", ".wma"}
_JUNK_DIRS = {"__macosx", ".git"}
_JUNK_FILES = {".ds_store", "thumbs.db", "desktop.ini"}
# Folder names that say nothing about the character.
_GENERIC = {
    "trained", "models", "model", "模型", "weights", "权重", "reference_audios", "参考音频",
    "refs", "ref", "reference", "emotions", "randoms", "gpt-sovits", "gsvi", "output",
}
_EMOTION = re.compile(r"^【(?P<emotion>[^】]+)】(?P<text>.*)$", re.DOTALL)
_AIH_FOLDER = re.compile(r"^(?P<category>[^-]+)-(?P<lang>[^-]+)-(?P<name>.+)$", re.DOTALL)
_BAD_ID_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)}


@dataclass
class Reference:
    path: Path  # where it is now
    rel: str  # inside the pack, "/"-separated
    text: str  # the transcript ("" when unknown)
    text_source: str  # lab | list | infer_config | filename | none
    emotion: Optional[str] = None
    lang: Optional[str] = None  # API code
    lang_source: Optional[str] = None  # folder | list | infer_config
    label: Optional[str] = None  # the language as the pack wrote it (中文, ZH, 多语种混合…)
    kind: str = "plain"  # emotion | random | plain
    seconds: Optional[float] = None
    in_range: bool = False
    error: Optional[str] = None  # message key when it could not be measured
    default_mark: bool = False  # 【默认】 or infer_config's "default"


@dataclass
class CharacterScan:
    folder: str  # inside the pack ("." = the pack itself)
    path: Path
    layout: str
    name: str  # proposed profile id
    name_source: str  # weights | folder | pack
    display_name: str
    display_source: str
    lang: Optional[str] = None  # the model's language when the pack says it
    lang_source: Optional[str] = None  # name_suffix | folder
    lang_label: Optional[str] = None
    gpt_candidates: list[Path] = field(default_factory=list)
    sovits_candidates: list[Path] = field(default_factory=list)
    gpt_hint: Optional[Path] = None  # named by infer_config.json
    sovits_hint: Optional[Path] = None
    references: list[Reference] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    other_audio: list[str] = field(default_factory=list)


@dataclass
class PackScan:
    source: Path
    kind: str  # zip | folder
    base: Path  # the folder read (the source folder or the extraction)
    top: Path  # after the wrapping folders
    layout: str
    characters: list[CharacterScan] = field(default_factory=list)
    wrappers: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    files: int = 0
    temp: Optional[Path] = None  # our extraction, removed by cleanup()

    @property
    def owned(self) -> bool:
        """Whether the files are our own temporary copies (they may be moved, not copied)."""
        return self.temp is not None

    def rel(self, path: Path) -> str:
        try:
            return Path(path).relative_to(self.base).as_posix()
        except ValueError:
            return str(path)

    def cleanup(self) -> None:
        if self.temp is not None:
            remove_tree(self.temp)
            self.temp = None

    def __enter__(self) -> PackScan:
        return self

    def __exit__(self, *exc) -> None:
        self.cleanup()


# --- names -------------------------------------------------------------------------------


def experiment_name(filename: str) -> Optional[str]:
    """The training experiment name of a weight file (`纳西妲_ZH-e10.ckpt` -> `纳西妲_ZH`), else None."""
    low = filename.lower()
    if low.endswith(".ckpt"):
        g = package.parse_gpt_name(filename)
        return g.name if g else None
    if low.endswith(".pth"):
        s = package.parse_sovits_name(filename)
        return s.name if s else None
    return None


def character_id(gpt_file: Optional[str], sovits_file: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """(id, language code) from the weight names, SoVITS first: `纳西妲_ZH_e10_s1400_l32.pth` -> (纳西妲, zh)."""
    for f in (sovits_file, gpt_file):
        if f:
            exp = experiment_name(f)
            if exp:
                base, lang = package.strip_lang_suffix(exp)
                clean = sanitize_id(base)
                if clean:
                    return clean, lang
    return None, None


def sanitize_id(name: str) -> str:
    """A profile id usable as a Windows file name and a command-line word ("" if nothing is left)."""
    text, previous = _BAD_ID_CHARS.sub("_", str(name)), None
    while text != previous:  # " - -" -> "- -" -> "-" -> "": until nothing more comes off
        previous, text = text, text.strip().rstrip(". ").lstrip("-").strip()
    if text in (".", ".."):
        return ""
    if text.split(".")[0].casefold() in _RESERVED:
        text += "_"
    return text


def _is_generic(name: str) -> bool:
    low = name.casefold()
    return (
        low in _GENERIC
        or low in {v.casefold() for v in package.VERSIONS}
        or low.startswith(("gpt_weights", "sovits_weights"))
    )


def _folder_lang(component: str) -> Optional[str]:
    """The code for a language folder name (中文, 日语, en, …), else None."""
    text = component.strip()
    if not text or (text.isascii() and text.lower() not in languages.CODES):
        return None  # an ASCII folder counts only when it is exactly a code
    try:
        return languages.normalize(text)
    except BadInput:
        return None


def guess_lang(text: str) -> Optional[str]:
    """The language a transcript is written in, from its script: kana, hangul, CJK, Latin."""
    kana = any("\u3040" <= c <= "\u30ff" for c in text)
    hangul = any("\uac00" <= c <= "\ud7af" or "\u1100" <= c <= "\u11ff" for c in text)
    cjk = any("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" for c in text)
    latin = any(c.isascii() and c.isalpha() for c in text)
    if kana:
        return "all_ja"
    if hangul:
        return "all_ko"
    if cjk:
        return "zh" if latin else "all_zh"
    if latin:
        return "en"
    return None


# --- walking ------------------------------------------------------------------------------


def _is_link(path: Path) -> bool:
    isjunction = getattr(os.path, "isjunction", None)  # Python 3.12+
    return path.is_symlink() or bool(isjunction and isjunction(path))


def _entry_is_link(entry: os.DirEntry) -> bool:
    """`_is_link` from the directory listing itself (no extra stat per file)."""
    is_junction = getattr(entry, "is_junction", None)  # Python 3.12+
    return entry.is_symlink() or bool(is_junction and is_junction())


def walk(base: Path, limit: int = MAX_FILES) -> list[PurePosixPath]:
    """Every file under `base` (relative), sorted; symlinks refused, junk skipped.

    os.walk's order and rules (top-down, subfolders sorted, unreadable folders
    skipped, a folder is what `is_dir()` says), on os.scandir entries: the type
    comes with the listing, so a file costs no stat of its own and no Path objects.
    """
    found: list[PurePosixPath] = []
    if _is_link(base):
        raise BadInput("packs.symlink", path=str(base))
    stack: list[tuple[str, str]] = [(os.fspath(base), "")]  # (folder, its path relative to base + "/")
    while stack:
        here, rel = stack.pop()
        try:
            with os.scandir(here) as listing:
                entries = list(listing)
        except OSError:
            continue  # os.walk skips what it cannot list
        dirs, files = [], []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (dirs if is_dir else files).append(entry)
        kept = []
        for entry in dirs:
            if _entry_is_link(entry):
                raise BadInput("packs.symlink", path=str(Path(here) / entry.name))
            if entry.name.casefold() not in _JUNK_DIRS:
                kept.append(entry.name)
        # pushed in reverse so the sorted first is walked first, as os.walk does
        stack.extend((os.path.join(here, name), f"{rel}{name}/") for name in sorted(kept, reverse=True))
        for entry in sorted(files, key=lambda e: e.name):
            name = entry.name
            if _entry_is_link(entry):
                raise BadInput("packs.symlink", path=str(Path(here) / name))
            if name.casefold() in _JUNK_FILES or name.startswith("._"):
                continue
            found.append(PurePosixPath(rel + name))
            if len(found) > limit:
                raise BadInput("packs.too_many_files", path=str(base), limit=limit)
    return sorted(found)


def _under(path: PurePosixPath, folder: PurePosixPath) -> bool:
    return path.parts[: len(folder.parts)] == folder.parts


def _unwrap(files: list[PurePosixPath]) -> PurePosixPath:
    """The deepest folder that holds every file (the wrapping folders of a zip)."""
    prefix: tuple[str, ...] = ()
    while files:
        nxt = set()
        for f in files:
            if len(f.parts) == len(prefix) + 1:
                return PurePosixPath(*prefix) if prefix else PurePosixPath(".")
            nxt.add(f.parts[len(prefix)])
        if len(nxt) != 1:
            break
        prefix += (nxt.pop(),)
    return PurePosixPath(*prefix) if prefix else PurePosixPath(".")


def _character_roots(files: list[PurePosixPath]) -> list[PurePosixPath]:
    folders = set()
    for f in files:
        if f.suffix.lower() in (".ckpt", ".pth"):
            d = f.parent
            # A pack laid out like the package (GPT_weights_v2/ + SoVITS_weights_v2/): its parent is the character.
            if d.name.startswith((package.GPT_PREFIX, package.SOVITS_PREFIX)):
                d = d.parent
            folders.add(d)
    roots: list[PurePosixPath] = []
    taken: set[tuple[str, ...]] = set()
    for d in sorted(folders, key=lambda p: (len(p.parts), str(p))):
        # = not any(_under(d, r) for r in roots), by looking d's ancestors (and d) up:
        # a library of n characters would otherwise cost n² comparisons.
        if not any(d.parts[:k] in taken for k in range(len(d.parts) + 1)):
            roots.append(d)
            taken.add(d.parts)
    return roots


def _files_by_root(files: list[PurePosixPath], roots: list[PurePosixPath]) -> dict[tuple[str, ...], list[PurePosixPath]]:
    """{root.parts: [f for f in files if _under(f, root)]} for roots that never nest (as
    `_character_roots` returns them), in one pass over the files instead of one per root."""
    by_root: dict[tuple[str, ...], list[PurePosixPath]] = {r.parts: [] for r in roots}
    for f in files:
        parts = f.parts
        for k in range(len(parts) + 1):
            bucket = by_root.get(parts[:k])
            if bucket is not None:
                bucket.append(f)
                break  # roots never nest: no other root holds f
    return by_root


# --- text files ---------------------------------------------------------------------------


def read_text_any(path: Path) -> Optional[str]:
    """A small text file as UTF-8 (BOM tolerated), else GB18030 (Notepad's “ANSI” on Chinese Windows)."""
    try:
        if path.stat().st_size > MAX_TEXT_FILE:
            return None
        raw = path.read_bytes()
    except OSError:
        return None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def parse_list(text: str) -> dict[str, tuple[str, str]]:
    """A training `.list` (`path|speaker|lang|text`) -> {wav file name (casefolded): (lang, text)}."""
    out: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        fields = line.strip().split("|", 3)
        if len(fields) != 4:
            continue
        name = re.split(r"[\\/]", fields[0].strip())[-1]
        if name:
            out[name.casefold()] = (fields[2].strip(), fields[3].strip())
    return out


def _norm_lang(value: object) -> Optional[str]:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return languages.normalize(value.strip())
    except BadInput:
        try:
            return languages.normalize(value.strip().lower())
        except BadInput:
            return None


# --- scanning -----------------------------------------------------------------------------


def scan(
    source: Path,
    *,
    work_dir: Optional[Path] = None,
    limits: Optional[ZipLimits] = None,
    on_progress: Progress = None,
) -> PackScan:
    """Recognise the pack at `source` (a folder or a .zip); nothing outside a temporary folder is written.

    A zip is checked and extracted into a temporary folder under `work_dir`
    (else the system temp); use the result as a context manager, or call
    `cleanup()`, to remove it.
    """
    source = Path(source)
    if not source.exists():
        raise MissingFile("packs.source_missing", path=str(source))
    notices: list[Notice] = []
    temp = None
    if source.is_dir():
        base, kind, label = source, "folder", source.name
    else:
        suffix = source.suffix.lower()
        if suffix != ".zip" and not _looks_like_zip(source):
            key = "packs.archive_unsupported" if suffix in ARCHIVES_UNSUPPORTED else "packs.source_unsupported"
            raise BadInput(key, path=str(source), ext=suffix or "-")
        ex = extract(source, work_dir, limits=limits, on_progress=on_progress)
        base, kind, label, temp = ex.folder, "zip", source.stem, ex.folder
        if ex.gbk_names:
            notices.append(Notice("packs.gbk_names", count=ex.gbk_names))
        if ex.nested_zips:
            notices.append(Notice("packs.nested_zips", files=_short_list(ex.nested_zips)))
    try:
        return _scan_tree(source, kind, base, label, temp, notices)
    except BaseException:
        if temp is not None:
            remove_tree(temp)
        raise


def _looks_like_zip(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _scan_tree(source: Path, kind: str, base: Path, label: str, temp, notices: list[Notice]) -> PackScan:
    files = walk(base)
    top = _unwrap(files)
    wrappers = list(top.parts) if str(top) != "." else []
    if wrappers:
        notices.append(Notice("packs.unwrapped", folders="/".join(wrappers)))
    pack = PackScan(source, kind, base, base / top, LAYOUT_UNKNOWN, [], wrappers, notices, len(files), temp)
    roots = _character_roots(files)
    single = len(roots) == 1
    by_root = _files_by_root(files, roots)
    for root in roots:
        scope = top if single and _under(root, top) else root
        in_root = by_root[root.parts]
        in_scope = in_root if scope == root else [f for f in files if _under(f, scope)]
        pack.characters.append(_scan_character(pack, root, in_root, in_scope, label if single else None))
    if len(pack.characters) == 1:
        pack.layout = pack.characters[0].layout
    elif pack.characters:
        all_gsvi = all(c.layout == LAYOUT_GSVI for c in pack.characters)
        pack.layout = LAYOUT_GSVI_LIBRARY if all_gsvi else LAYOUT_LIBRARY
    return pack


def _scan_character(
    pack: PackScan,
    root: PurePosixPath,
    in_root: list[PurePosixPath],
    in_scope: list[PurePosixPath],
    pack_label: Optional[str],
) -> CharacterScan:
    base = pack.base
    root_path = base / root if str(root) != "." else base
    gpts = [base / f for f in in_root if f.suffix.lower() == ".ckpt"]
    sovits = [base / f for f in in_root if f.suffix.lower() == ".pth"]
    notices: list[Notice] = []

    # Names: the weights' experiment name is the id; the folder gives the display name.
    folder_name = root.name if str(root) != "." else (pack_label if pack.kind == "folder" else None)
    aih = _AIH_FOLDER.match(folder_name or "")
    aih_lang = _folder_lang(aih.group("lang")) if aih else None
    gpt_name = gpts[0].name if len(gpts) == 1 else None
    sov_name = sovits[0].name if len(sovits) == 1 else None
    wid, suffix_lang = character_id(gpt_name, sov_name)
    if wid is None and (gpts or sovits):
        # several candidates: the name they agree on, if any
        ids = {character_id(p.name if p.suffix.lower() == ".ckpt" else None, p.name if p.suffix.lower() == ".pth" else None)
               for p in gpts + sovits}
        if len(ids) == 1:
            wid, suffix_lang = ids.pop()
    # display: the AI-Hobbyist <名称>, a telling folder name, the weights' name, the archive's name
    if aih and aih_lang:
        display, display_source = aih.group("name").strip(), "folder"
    elif folder_name and not _is_generic(folder_name):
        display, display_source = folder_name, "folder"
    elif wid:
        display, display_source = wid, "weights"
    elif pack_label and not _is_generic(pack_label):
        display, display_source = pack_label, "pack"
    else:
        display, display_source = "", ""
    if wid:
        name, name_source = wid, "weights"
    elif display and sanitize_id(display):
        name, name_source = sanitize_id(display), display_source
    else:
        stem = (sovits or gpts)[0].stem if (sovits or gpts) else "voice"
        name, name_source = sanitize_id(package.strip_lang_suffix(stem)[0]) or "voice", "weights"
    if not display:
        display, display_source = name, name_source

    if suffix_lang:
        lang, lang_source, lang_label = suffix_lang, "name_suffix", None
    elif aih_lang:
        lang, lang_source, lang_label = aih_lang, "folder", aih.group("lang") if aih else None
    else:
        lang = lang_source = lang_label = None

    config, gpt_hint, sov_hint = _infer_config(root_path, base, in_root, notices)
    refs, other_audio = _references(base, root_path, in_scope, config, notices)
    layout = _layout(in_scope, root, config is not None, refs)
    ch = CharacterScan(
        folder=str(root),
        path=root_path,
        layout=layout,
        name=name,
        name_source=name_source,
        display_name=display,
        display_source=display_source,
        lang=lang,
        lang_source=lang_source,
        lang_label=lang_label,
        gpt_candidates=gpts,
        sovits_candidates=sovits,
        gpt_hint=gpt_hint if gpt_hint in gpts else None,
        sovits_hint=sov_hint if sov_hint in sovits else None,
        references=refs,
        notices=notices,
        other_audio=other_audio,
    )
    return ch


def _layout(in_scope: list[PurePosixPath], root: PurePosixPath, has_config: bool, refs: list[Reference]) -> str:
    if any("reference_audios" in (p.casefold() for p in f.parts[:-1]) for f in in_scope):
        return LAYOUT_AIH
    has_transcripts = any(f.suffix.lower() in (".lab", ".list") for f in in_scope)
    under_trained = len(root.parts) >= 2 and root.parts[-2].casefold() == "trained"
    if has_config or under_trained or (refs and not has_transcripts):
        return LAYOUT_GSVI
    return LAYOUT_PLAIN


def _infer_config(root_path: Path, base: Path, in_root, notices) -> tuple[Optional[dict], Optional[Path], Optional[Path]]:
    """GSVI's infer_config.json: (emotion_list, gpt_path, sovits_path), paths inside the character folder."""
    path = root_path / "infer_config.json"
    if not path.is_file():
        return None, None, None
    text = read_text_any(path)
    try:
        data = json.loads(text) if text is not None else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        notices.append(Notice("packs.infer_config_bad", path=str(path)))
        return None, None, None
    emotions = data.get("emotion_list")
    if not isinstance(emotions, dict):
        emotions = {}

    return emotions, _config_wav(root_path, data.get("gpt_path")), _config_wav(root_path, data.get("sovits_path"))


def _references(base: Path, root_path: Path, in_scope, config: Optional[dict], notices) -> tuple[list[Reference], list[str]]:
    wavs = [f for f in in_scope if f.suffix.lower() == ".wav"]
    labs = {f.with_suffix("").as_posix().casefold(): f for f in in_scope if f.suffix.lower() == ".lab"}
    listed: dict[str, tuple[str, str]] = {}
    for f in in_scope:
        if f.suffix.lower() == ".list":
            text = read_text_any(base / f)
            if text:
                listed.update(parse_list(text))
    other_audio = [f.as_posix() for f in in_scope if f.suffix.lower() in OTHER_AUDIO]
    by_key = {(base / f).as_posix().casefold(): f for f in wavs}
    refs: list[Reference] = []
    used: set[str] = set()
    for emotion, details in (config or {}).items():
        if not isinstance(details, dict):
            continue
        target = _config_wav(root_path, details.get("ref_wav_path"))
        key = target.as_posix().casefold() if target else None
        if key not in by_key:
            notices.append(Notice("packs.infer_config_missing_wav", emotion=str(emotion), path=str(details.get("ref_wav_path"))))
            continue
        used.add(key)
        rel = by_key[key]
        label = details.get("prompt_language")
        lang = _norm_lang(label)
        text = details.get("prompt_text")
        ref = _measured(
            Reference(
                path=base / rel,
                rel=rel.as_posix(),
                text=text.strip() if isinstance(text, str) else "",
                text_source="infer_config" if isinstance(text, str) and text.strip() else "none",
                emotion=str(emotion),
                lang=lang,
                lang_source="infer_config" if lang else None,
                label=str(label) if lang else None,
                kind="emotion",
                default_mark=str(emotion).casefold() in ("default", "默认"),
            )
        )
        refs.append(ref)
    for rel in wavs:
        if (base / rel).as_posix().casefold() in used:
            continue
        refs.append(_measured(_plain_reference(base, rel, labs, listed)))
    return refs, other_audio


def _config_wav(root_path: Path, value: object) -> Optional[Path]:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parts = safe_parts(value.strip())
    except BadInput:
        return None
    return root_path.joinpath(*parts) if parts else None


def _plain_reference(base: Path, rel: PurePosixPath, labs, listed) -> Reference:
    folders = rel.parts[:-1]
    low = [p.casefold() for p in folders]
    kind = "emotion" if "emotions" in low else "random" if "randoms" in low else "plain"
    stem = rel.stem
    m = _EMOTION.match(stem)
    emotion = m.group("emotion").strip() if m else None
    lab = labs.get(rel.with_suffix("").as_posix().casefold())
    entry = listed.get(rel.name.casefold())
    text, source = "", "none"
    if lab is not None:
        text = (read_text_any(base / lab) or "").strip()
        source = "lab" if text else "none"
    if not text and entry and entry[1]:
        text, source = entry[1], "list"
    if not text:
        text = (m.group("text") if m else stem).strip()
        source = "filename" if any(c.isalpha() for c in text) else "none"
        if source == "none":
            text = ""
    lang = label = lang_source = None
    for part in reversed(folders):
        code = _folder_lang(part)
        if code:
            lang, label, lang_source = code, part, "folder"
            break
    if lang is None and entry:
        lang = _norm_lang(entry[0])
        if lang:
            label, lang_source = entry[0], "list"
    return Reference(
        path=base / rel,
        rel=rel.as_posix(),
        text=text,
        text_source=source,
        emotion=emotion,
        lang=lang,
        lang_source=lang_source,
        label=label,
        kind=kind,
        default_mark=emotion == "默认",
    )


def _measured(ref: Reference) -> Reference:
    try:
        ref.seconds = audio.measure(ref.path)
        ref.in_range = audio.reference_in_range(ref.seconds)
    except LauncherError as exc:
        ref.error = exc.key
    return ref


def _short_list(items: list[str], n: int = 5) -> str:
    shown = ", ".join(items[:n])
    return shown + (f" … (+{len(items) - n})" if len(items) > n else "")
