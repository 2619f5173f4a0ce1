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

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable, Optional

from launcher.errors import BadInput, MissingFile, Notice
from launcher.gsv import package
from launcher.packs.names import character_id, folder_lang, is_generic, sanitize_id
from launcher.packs.references import Reference, find_references, infer_config
from launcher.packs.walk import character_roots, files_by_root, under, unwrap, walk
from launcher.packs.zipsafe import Progress, ZipLimits, extract, remove_tree

LAYOUT_GSVI = "gsvi"
LAYOUT_GSVI_LIBRARY = "gsvi-library"
LAYOUT_LIBRARY = "library"  # several characters, not all GSVI folders
LAYOUT_AIH = "ai-hobbyist"
LAYOUT_PLAIN = "plain"
LAYOUT_UNKNOWN = "unknown"

ARCHIVES_UNSUPPORTED = {".7z", ".rar", ".tar", ".gz", ".tgz", ".xz", ".bz2", ".zst"}
_AIH_FOLDER = re.compile(r"^(?P<category>[^-]+)-(?P<lang>[^-]+)-(?P<name>.+)$", re.DOTALL)


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
            notices.append(Notice("packs.nested_zips", files=short_list(ex.nested_zips)))
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
    top = unwrap(files)
    wrappers = list(top.parts) if str(top) != "." else []
    if wrappers:
        notices.append(Notice("packs.unwrapped", folders="/".join(wrappers)))
    pack = PackScan(source, kind, base, base / top, LAYOUT_UNKNOWN, [], wrappers, notices, len(files), temp)
    roots = character_roots(files)
    single = len(roots) == 1
    by_root = files_by_root(files, roots)
    for root in roots:
        scope = top if single and under(root, top) else root
        in_root = by_root[root.parts]
        in_scope = in_root if scope == root else [f for f in files if under(f, scope)]
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
    aih_lang = folder_lang(aih.group("lang")) if aih else None
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
    elif folder_name and not is_generic(folder_name):
        display, display_source = folder_name, "folder"
    elif wid:
        display, display_source = wid, "weights"
    elif pack_label and not is_generic(pack_label):
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

    config, gpt_hint, sov_hint = infer_config(root_path, base, in_root, notices)
    refs, other_audio = find_references(base, root_path, in_scope, config, notices)
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


def short_list(items: Iterable[str], n: int = 5) -> str:
    """The first `n` names, then how many more: for a notice that must stay one line."""
    items = list(items)
    shown = ", ".join(items[:n])
    return shown + (f" … (+{len(items) - n})" if len(items) > n else "")
