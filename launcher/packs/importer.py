"""Community voice packs -> files in the GPT-SoVITS package + a ready profile.

`scan` recognises the pack (packscan), `plan_import` decides everything and
checks every conflict before a byte is written, `apply_import` carries the plan
out all-or-nothing: copies go to hidden `.part` files beside their targets, and
only when all of them are complete are they moved into place (`os.replace`);
existing files are backed up first (`<name>.bak-<time>`). On any error, and on
Ctrl+C, everything added is removed and every replaced file restored.

Choices, with their reasons (`Choice.reason` is a message key):
- weights: the only `.ckpt`/`.pth`, else the one `--gpt`/`--sovits` names, else
  the one infer_config.json names; two candidates are an error that lists them;
- version: from the `.pth` header (package.sovits_version); weights go to
  `GPT_weights_<ver>/` and `SoVITS_weights_<ver>/` under their own names;
- default reference: among 3-10 s references, in the model's language first
  (Chinese when unknown): `【默认】` (or infer_config's `default`), then a neutral
  emotion, then the first one; every other named emotion in range goes to
  `emotions:`; references are copied to `参考音频/<id>/` (where `init` looks too);
- prompt_lang: the reference's language folder (中文 -> all_zh), else the
  `.list`/infer_config entry, else the weights' `_ZH` suffix, else the script
  of the transcript; text_lang: the mixed code of the model's language (zh).
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

from launcher.gsv import languages
from launcher.gsv import package
from launcher.errors import BadInput, LauncherError, MissingFile, Notice
from launcher.packs.scan import (  # noqa: F401  (re-exported: the public API lives here)
    LAYOUT_AIH,
    LAYOUT_GSVI,
    LAYOUT_GSVI_LIBRARY,
    LAYOUT_LIBRARY,
    LAYOUT_PLAIN,
    CharacterScan,
    PackScan,
    Reference,
    character_id,
    guess_lang,
    sanitize_id,
    scan,
)
from launcher.packs.zipsafe import CHUNK, Progress, ZipLimits  # noqa: F401
from launcher.paths import Layout
from launcher.profiles.schema import Emotion, Profile, parse_profile, render_profile

REFERENCE_DIR = "参考音频"  # initialize.REFERENCE_FOLDERS[0]: `init` finds references here too
NEUTRAL_EMOTIONS = ("平静", "中立", "正常", "普通", "自然", "日常", "neutral", "normal", "calm")
_MIXED = {"all_zh": "zh", "all_ja": "ja", "all_ko": "ko", "all_yue": "yue", "auto_yue": "yue"}
_KIND_ORDER = {"emotion": 0, "plain": 1, "random": 2}

Selector = Union[str, Sequence[str], None]


class PackProblems(BadInput):
    """Several characters of a pack cannot be imported; `problems` holds one error each.

    The key and params are the first problem's, so a generic handler still says something true.
    """

    def __init__(self, problems: list[LauncherError]):
        first = problems[0]
        super().__init__(first.key, exit_code=first.exit_code, details=first.details, **first.params)
        self.problems = problems


@dataclass
class Choice:
    field: str  # name, display_name, gpt, sovits, version, ref_audio, prompt_lang, text_lang, api
    value: str
    reason: str  # message key packs.why.*
    params: dict = field(default_factory=dict)


@dataclass
class FileOp:
    kind: str  # gpt | sovits | reference
    source: Path
    dest: Path
    size: int
    action: str  # copy | replace | same | in_place
    move: bool = False  # the source is our own temporary extraction: moving is enough


@dataclass
class CharacterPlan:
    name: str
    display_name: str
    folder: str
    layout: str
    version: str
    lora: bool
    profile: Profile
    profile_path: Path
    profile_text: str
    profile_action: str  # create | replace
    choices: list[Choice] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    files: list[FileOp] = field(default_factory=list)
    references_found: int = 0

    @property
    def needs_reference(self) -> bool:
        return self.profile.needs_reference

    @property
    def emotions(self) -> list[str]:
        return list(self.profile.emotions)


@dataclass
class ImportPlan:
    scan: PackScan
    root: Path
    api: str
    characters: list[CharacterPlan]
    in_place: bool = False
    force: bool = False
    notices: list[Notice] = field(default_factory=list)

    @property
    def files(self) -> list[FileOp]:
        return [op for ch in self.characters for op in ch.files]

    @property
    def copy_bytes(self) -> int:
        return sum(op.size for op in self.files if op.action in ("copy", "replace"))


@dataclass
class Placed:
    kind: str  # gpt | sovits | reference | profile
    path: Path
    action: str  # copy | replace | same | in_place | create
    backup: Optional[Path] = None


@dataclass
class ImportResult:
    placed: list[Placed]
    profiles: list[Placed]
    backups: list[Path]
    bytes_copied: int


# --- planning -----------------------------------------------------------------------------


@dataclass
class _Ctx:
    scan: PackScan
    root: Path
    layout: Layout
    api: str
    gpt: list[str]
    sovits: list[str]
    single: bool
    in_place: bool
    force: bool
    claimed: dict = field(default_factory=dict)  # dest (casefolded) -> source
    ids: set = field(default_factory=set)


def plan_import(
    scan: PackScan,
    *,
    root: Path,
    layout: Layout,
    name: Optional[str] = None,
    display_name: Optional[str] = None,
    in_place: bool = False,
    force: bool = False,
    gpt: Selector = None,
    sovits: Selector = None,
) -> ImportPlan:
    """Decide every file and profile; raise before anything is written when the import cannot be whole.

    `gpt`/`sovits` name the weight file to use (file name, path inside the
    pack, or full path) when a character has several; for a library give one
    per character. Several blocked characters raise `PackProblems`.
    """
    root = Path(root)
    api = _check_root(root)
    if not scan.characters:
        raise BadInput("packs.nothing_found", path=str(scan.source), files=scan.files)
    if (name or display_name) and len(scan.characters) > 1:
        raise BadInput("packs.name_with_library", count=len(scan.characters))
    if in_place and scan.kind == "zip":
        raise BadInput("packs.in_place_zip", path=str(scan.source))
    if name is not None and (not name.strip() or sanitize_id(name.strip()) != name.strip()):
        raise BadInput("packs.bad_name", name=name)
    ctx = _Ctx(scan, root, layout, api, _as_list(gpt), _as_list(sovits), len(scan.characters) == 1, in_place, force)
    plans: list[CharacterPlan] = []
    problems: list[LauncherError] = []
    for ch in scan.characters:
        try:
            plans.append(_plan_character(ch, ctx, name.strip() if name else None, display_name))
        except LauncherError as exc:
            problems.append(exc)
    if problems:
        if len(problems) == 1:
            raise problems[0]
        raise PackProblems(problems)
    _check_space(ctx, plans)
    return ImportPlan(scan, root, api, plans, in_place, force, list(scan.notices))


def _as_list(value: Selector) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, Path)):
        return [str(value)]
    return [str(v) for v in value if str(v).strip()]


def _check_root(root: Path) -> str:
    """The API the package offers ("v2" when it has api_v2.py); a folder that is no GPT-SoVITS root is refused."""
    try:
        info = package.inspect_root(root)
    except MissingFile as exc:
        if exc.key != "package.no_runtime":  # the interpreter may be set apart (--python); importing needs none
            raise
        return "v2" if (root / "api_v2.py").is_file() else "v1"
    return "v2" if info.api_v2 else "v1"


@dataclass
class _Draft:
    """What planning one character has decided so far."""

    choices: list[Choice] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    files: list[FileOp] = field(default_factory=list)

    def choose(self, field_name: str, value: str, reason: str, **params) -> None:
        self.choices.append(Choice(field_name, value, reason, params))


def _plan_character(ch: CharacterScan, ctx: _Ctx, name: Optional[str], display: Optional[str]) -> CharacterPlan:
    d = _Draft(notices=list(ch.notices))
    pid, shown = _plan_names(ch, ctx, name, display, d)
    gpt, sov, sv = _plan_weights(ch, ctx, d)
    default, prompt_lang, text_lang, emotions = _plan_references(ch, ctx, pid, sv.version, d)
    d.choose("api", ctx.api, "packs.why.api", script=languages.api_script(ctx.api))

    gop = _file_op("gpt", gpt, _claim(ctx.root / package.GPT_WEIGHT_DIRS[sv.version] / gpt.name, gpt, ctx, pid), ctx)
    sop = _file_op("sovits", sov, _claim(ctx.root / package.SOVITS_WEIGHT_DIRS[sv.version] / sov.name, sov, ctx, pid), ctx)
    d.files += [gop, sop]
    ref_ops: dict[Path, FileOp] = {}

    def placed(r: Reference) -> str:
        if r.path not in ref_ops:
            ref_ops[r.path] = _file_op("reference", r.path, _claim_ref(r, ctx, pid), ctx)
            d.files.append(ref_ops[r.path])
        return _profile_path(ref_ops[r.path].dest, ctx.root)

    profile = Profile(
        name=pid,
        display_name=shown,
        api=ctx.api,
        gpt=_profile_path(gop.dest, ctx.root),
        sovits=_profile_path(sop.dest, ctx.root),
        ref_audio=placed(default) if default else None,
        prompt_text=default.text if default else "",
        prompt_lang=prompt_lang,
        text_lang=text_lang,
    )
    for key, r in emotions:
        profile.emotions[key] = Emotion(ref_audio=placed(r), prompt_text=r.text, prompt_lang=reference_lang(r, ch)[0])
    _check_conflicts(d.files, ctx)

    target = ctx.layout.profiles / f"{pid}.yaml"
    if target.exists() and not ctx.force:
        raise BadInput("packs.profile_exists", name=pid, path=str(target))
    text = render_profile(profile, _header(ctx.scan, profile))
    parse_profile(text, target)  # never write what `start` could not read back
    return CharacterPlan(
        name=pid,
        display_name=shown,
        folder=ch.folder,
        layout=ch.layout,
        version=sv.version,
        lora=sv.lora,
        profile=profile,
        profile_path=target,
        profile_text=text,
        profile_action="replace" if target.exists() else "create",
        choices=d.choices,
        notices=d.notices,
        files=d.files,
        references_found=len(ch.references),
    )


def _plan_names(ch: CharacterScan, ctx: _Ctx, name: Optional[str], display: Optional[str], d: _Draft) -> tuple[str, str]:
    if name:
        pid = name
        d.choose("name", pid, "packs.why.option", flag="--name")
    else:
        pid = _unique_id(ch, ctx)
        d.choose("name", pid, "packs.why.name_" + ch.name_source)
    ctx.ids.add(pid.casefold())
    if display:
        d.choose("display_name", display, "packs.why.option", flag="--display-name")
        return pid, display
    d.choose("display_name", ch.display_name, "packs.why.name_" + ch.display_source)
    return pid, ch.display_name


def _plan_weights(ch: CharacterScan, ctx: _Ctx, d: _Draft) -> tuple[Path, Path, package.SovitsVersion]:
    rel = ctx.scan.rel
    gpt, (gwhy, gparams) = _pick(ch, ch.gpt_candidates, ctx.gpt, ch.gpt_hint, ".ckpt", "--gpt", ctx)
    sov, (swhy, sparams) = _pick(ch, ch.sovits_candidates, ctx.sovits, ch.sovits_hint, ".pth", "--sovits", ctx)
    _check_gpt(gpt, rel(gpt))
    if _is_lfs_pointer(sov):
        raise BadInput("packs.lfs_pointer", path=rel(sov))
    try:
        sv = package.sovits_version(sov)
    except BadInput as exc:
        exc.params["path"] = rel(sov)  # the path inside the pack, not our temporary folder
        raise
    d.choose("gpt", gpt.name, gwhy, **gparams)
    d.choose("sovits", sov.name, swhy, **sparams)
    vwhy, vparams = _version_reason(sov, sv)
    d.choose("version", sv.version + (" LoRA" if sv.lora else ""), vwhy, **vparams)
    if sv.lora and sv.needs_base and not package.lora_base_present(ctx.root, sv.version):
        d.notices.append(Notice("packs.lora_base_missing", version=sv.version, base=sv.needs_base))
    return gpt, sov, sv


def _plan_references(ch: CharacterScan, ctx: _Ctx, pid: str, version: str, d: _Draft):
    """(default reference or None, prompt_lang, text_lang, [(emotion, reference)]), with choices and notices."""
    default, (dwhy, dparams), skipped_default = choose_reference(ch)
    for r in skipped_default:
        d.notices.append(Notice("packs.default_out_of_range", file=r.rel, seconds=_secs(r.seconds)))
    unreadable = [r for r in ch.references if r.error]
    if unreadable:
        d.notices.append(Notice("packs.refs_unreadable", count=len(unreadable), files=_names(r.rel for r in unreadable)))
    if ch.other_audio:
        d.notices.append(Notice("packs.audio_not_wav", count=len(ch.other_audio), files=_names(ch.other_audio)))
    measured = [r.seconds for r in ch.references if r.seconds is not None]
    folder = f"{REFERENCE_DIR}/{pid}"
    prompt_lang = "zh"
    if default is not None:
        d.choose("ref_audio", default.rel, dwhy, seconds=_secs(default.seconds), **dparams)
        prompt_lang, (lwhy, lparams) = reference_lang(default, ch)
        d.choose("prompt_lang", prompt_lang, lwhy, **lparams)
        # GSVI and AI-Hobbyist name files by their transcript; elsewhere that is a guess worth a word.
        if default.text_source == "none" or (default.text_source == "filename" and ch.layout == LAYOUT_PLAIN):
            d.notices.append(Notice("packs.transcript_" + default.text_source, file=default.rel))
    elif measured:
        d.notices.append(
            Notice("packs.refs_out_of_range", count=len(measured), shortest=_secs(min(measured)),
                   longest=_secs(max(measured)), folder=folder)
        )
    else:
        d.notices.append(Notice("packs.no_reference", folder=folder))
    text_lang = _text_lang(ch, prompt_lang, version)
    d.choose("text_lang", text_lang, "packs.why.text_lang", code=text_lang)
    emotions, skipped = emotion_references(ch, default)
    if skipped:
        files = _names(f"{r.rel} ({_secs(r.seconds)} s)" for r in skipped)
        d.notices.append(Notice("packs.emotions_out_of_range", count=len(skipped), files=files))
    return default, prompt_lang, text_lang, emotions


def _unique_id(ch: CharacterScan, ctx: _Ctx) -> str:
    pid = ch.name
    if pid.casefold() in ctx.ids:
        alt = sanitize_id(ch.display_name)
        pid = alt if alt and alt.casefold() not in ctx.ids else pid
    n = 2
    base = pid
    while pid.casefold() in ctx.ids:
        pid = f"{base}-{n}"
        n += 1
    return pid


def _matches(candidate: Path, selector: str, scan: PackScan) -> bool:
    s = selector.strip().replace("\\", "/")
    if not s:
        return False
    if s.casefold() in (candidate.name.casefold(), scan.rel(candidate).casefold()):
        return True
    try:
        return Path(selector).resolve() == candidate.resolve()
    except OSError:
        return False


def _pick(ch, candidates: list[Path], selectors: list[str], hint, ext: str, flag: str, ctx: _Ctx):
    rel = ctx.scan.rel
    if not candidates:
        raise BadInput("packs.missing_weight", character=ch.display_name, ext=ext, folder=_folder(ch))
    if selectors:
        hits = [c for c in candidates if any(_matches(c, s, ctx.scan) for s in selectors)]
        if len(hits) == 1:
            return hits[0], ("packs.why.option", {"flag": flag})
        if not hits and ctx.single:
            raise BadInput(
                "packs.choice_not_found", flag=flag, value=", ".join(selectors), files=_names(rel(c) for c in candidates)
            )
        if hits:
            candidates = hits
    if len(candidates) == 1:
        return candidates[0], ("packs.why.only_candidate", {"ext": ext})
    if hint is not None and hint in candidates:
        return hint, ("packs.why.infer_config", {})
    raise BadInput(
        "packs.ambiguous_weights",
        character=ch.display_name,
        ext=ext,
        count=len(candidates),
        flag=flag,
        example=candidates[-1].name,
        details=[rel(c) for c in candidates],
    )


def _folder(ch: CharacterScan) -> str:
    return ch.folder if ch.folder != "." else ch.display_name


def _is_lfs_pointer(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(24).startswith(b"version https://git-lfs")
    except OSError:
        return False


def _check_gpt(path: Path, shown: str) -> None:
    if _is_lfs_pointer(path):
        raise BadInput("packs.lfs_pointer", path=shown)
    if not package.gpt_checkpoint_ok(path):
        raise BadInput("packs.bad_gpt", path=shown)


def _version_reason(path: Path, sv: package.SovitsVersion) -> tuple[str, dict]:
    if sv.source == "pretrained":
        return "packs.why.version_pretrained", {}
    if sv.source == "size":
        return "packs.why.version_size", {"size": f"{path.stat().st_size / (1 << 20):.0f} MiB"}
    with path.open("rb") as f:
        head = f.read(2).decode("ascii", "replace")
    return "packs.why.version_header", {"head": head}


def _family(code: Optional[str]) -> Optional[str]:
    if not code or code == "auto":
        return None
    return _MIXED.get(code, code)


def choose_reference(ch: CharacterScan) -> tuple[Optional[Reference], tuple[str, dict], list[Reference]]:
    """(the default reference, (reason key, params), default-marked references skipped for their length)."""
    want = _family(ch.lang) or "zh"

    def lang_rank(r: Reference) -> int:
        fam = _family(r.lang)
        return 0 if fam == want else 1 if fam is None else 2

    def tier(r: Reference) -> int:
        if r.default_mark:
            return 0
        if r.emotion and r.emotion.casefold() in NEUTRAL_EMOTIONS:
            return 1
        return 2

    usable = [r for r in ch.references if r.in_range]
    skipped = [r for r in ch.references if r.default_mark and r.seconds is not None and not r.in_range]
    if not usable:
        return None, ("", {}), skipped
    best = min(usable, key=lambda r: (lang_rank(r), tier(r), _KIND_ORDER.get(r.kind, 3), r.rel))
    t = tier(best)
    if t == 0:
        mark = "【默认】" if best.emotion == "默认" else "infer_config.json: " + (best.emotion or "")
        return best, ("packs.why.default_mark", {"mark": mark}), skipped
    if t == 1:
        return best, ("packs.why.neutral", {"emotion": best.emotion}), skipped
    return best, ("packs.why.first_in_range", {}), skipped


def emotion_references(ch: CharacterScan, default: Optional[Reference]) -> tuple[list[tuple[str, Reference]], list[Reference]]:
    """([(emotion key, reference)] for the profile, named emotions skipped for their length)."""
    want = _family(ch.lang) or (_family(default.lang) if default else None) or "zh"
    named = [r for r in ch.references if r.emotion and r is not default and r.kind != "random"]
    named.sort(key=lambda r: (0 if _family(r.lang) in (want, None) else 1, r.rel))
    out: list[tuple[str, Reference]] = []
    skipped: list[Reference] = []
    taken: set[str] = set()
    for r in named:
        if not r.in_range:
            if r.seconds is not None:
                skipped.append(r)
            continue
        key = r.emotion or ""
        if key.casefold() in taken and r.label:
            key = f"{r.emotion}（{r.label}）"
        n = 2
        base = key
        while key.casefold() in taken:
            key = f"{base} {n}"
            n += 1
        taken.add(key.casefold())
        out.append((key, r))
    return out, skipped


def reference_lang(ref: Reference, ch: CharacterScan) -> tuple[str, tuple[str, dict]]:
    """A reference's prompt language and why."""
    if ref.lang:
        return ref.lang, ("packs.why.lang_" + (ref.lang_source or "folder"), {"label": ref.label or ref.lang})
    if ch.lang:
        return ch.lang, ("packs.why.lang_" + (ch.lang_source or "name_suffix"), {"label": ch.lang_label or ch.lang})
    guess = guess_lang(ref.text)
    if guess:
        return guess, ("packs.why.lang_script", {})
    return "zh", ("packs.why.lang_assumed", {})


def _text_lang(ch: CharacterScan, prompt_lang: str, version: str) -> str:
    fam = _family(ch.lang) or _family(prompt_lang)
    code = fam or "auto"
    return code if code in languages.languages_for(version) else "auto"


def _profile_path(path: Path, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _claim(dest: Path, source: Path, ctx: _Ctx, pid: str) -> Path:
    """`dest`, or `<id>_<name>` beside it when another character of this import already uses that name."""
    if ctx.in_place:
        return source
    key = str(dest).casefold()
    if key in ctx.claimed and ctx.claimed[key] != source:
        dest = dest.with_name(f"{pid}_{dest.name}")
        key = str(dest).casefold()
    ctx.claimed[key] = source
    return dest


def _claim_ref(r: Reference, ctx: _Ctx, pid: str) -> Path:
    if ctx.in_place:
        return r.path
    folder = ctx.root / REFERENCE_DIR / pid
    candidates = [folder / r.path.name]
    if r.label:
        candidates.append(folder / sanitize_id(r.label) / r.path.name)
    n = 2
    while True:
        for dest in candidates:
            key = str(dest).casefold()
            if key not in ctx.claimed or ctx.claimed[key] == r.path:
                ctx.claimed[key] = r.path
                return dest
        candidates = [folder / f"{r.path.stem}-{n}{r.path.suffix}"]
        n += 1


def _file_op(kind: str, source: Path, dest: Path, ctx: _Ctx) -> FileOp:
    size = source.stat().st_size
    if ctx.in_place:
        return FileOp(kind, source, source, size, "in_place")
    if dest.exists() or dest.is_symlink():
        if dest.is_file() and _same_content(source, dest):
            return FileOp(kind, source, dest, size, "same")
        return FileOp(kind, source, dest, size, "replace", move=ctx.scan.owned)
    return FileOp(kind, source, dest, size, "copy", move=ctx.scan.owned)


def _check_conflicts(files: list[FileOp], ctx: _Ctx) -> None:
    clash = [op.dest for op in files if op.action == "replace" and (not ctx.force or not op.dest.is_file())]
    if clash:
        raise BadInput("packs.file_exists", path=str(clash[0]), count=len(clash), details=[str(p) for p in clash])


def _same_content(a: Path, b: Path) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        with a.open("rb") as fa, b.open("rb") as fb:
            while True:
                x, y = fa.read(CHUNK), fb.read(CHUNK)
                if x != y:
                    return False
                if not x:
                    return True
    except OSError:
        return False


def _check_space(ctx: _Ctx, plans: list[CharacterPlan]) -> None:
    need = 0
    for ch in plans:
        for op in ch.files:
            if op.action in ("copy", "replace") and not (op.move and _same_device(op.source, ctx.root)):
                need += op.size
    if not need:
        return
    try:
        free = shutil.disk_usage(str(ctx.root)).free
    except OSError:
        return
    if free < need:
        raise LauncherError("packs.no_space", path=str(ctx.root), need=_size(need), free=_size(free))


def _same_device(a: Path, b: Path) -> bool:
    try:
        return os.stat(a).st_dev == os.stat(b).st_dev
    except OSError:
        return False


def _header(scan: PackScan, profile: Profile) -> str:
    source = str(scan.source).replace("\r", " ").replace("\n", " ")
    lines = [
        "# sovits-launch 角色配置（UTF-8），由 sovits-launch import 生成。",
        f"# 来源：{source}",
        "# 路径可以是绝对路径，或相对于 GPT-SoVITS 根目录。参考音频须为 3~10 秒。",
    ]
    if profile.needs_reference:
        lines.append("# 还缺参考音频：填上 ref_audio（3~10 秒的 wav）和 prompt_text（音频里说的话）。")
    return "\n".join(lines) + "\n"


def _secs(seconds: Optional[float]) -> str:
    return "?" if seconds is None else f"{seconds:.1f}"


def _size(n: int) -> str:
    return f"{n / (1 << 30):.1f} GiB" if n >= 1 << 30 else f"{n / (1 << 20):.1f} MiB"


def _names(items: Iterable[str], n: int = 5) -> str:
    items = list(items)
    shown = ", ".join(items[:n])
    return shown + (f" … (+{len(items) - n})" if len(items) > n else "")


# --- applying -----------------------------------------------------------------------------


class _Counter:
    """Bytes done of a known total, reported as (done, total): first (0, T), never backwards, last (T, T)."""

    def __init__(self, total: int, callback: Progress):
        self.total = total
        self.done = 0
        self.callback = callback
        if callback:
            callback(0, total)

    def add(self, n: int) -> None:
        if not n:
            return
        self.done += n
        self.total = max(self.total, self.done)
        if self.callback:
            self.callback(self.done, self.total)

    def finish(self) -> None:
        if self.callback and self.done != self.total:
            self.total = self.done
            self.callback(self.done, self.total)


def _part_name(dest: Path) -> Path:
    # Hidden, and not ending in .ckpt/.pth: the WebUI never lists a half-copied file.
    return dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.part")


def _copy_into(source: Path, target: Path, counter: _Counter) -> None:
    with source.open("rb") as src, target.open("xb") as dst:
        while True:
            chunk = src.read(CHUNK)
            if not chunk:
                break
            dst.write(chunk)
            counter.add(len(chunk))
        dst.flush()
        os.fsync(dst.fileno())


def copy_atomic(source: Path, dest: Path, on_progress: Progress = None) -> int:
    """Copy `source` to `dest` through a temporary file in dest's folder, then `os.replace`.

    `on_progress(copied_bytes, total_bytes)` is called as the copy goes. An
    interrupted or failed copy leaves no partial file. Returns the bytes copied.
    """
    source, dest = Path(source), Path(dest)
    try:
        total = source.stat().st_size
    except OSError as exc:
        raise MissingFile("fs.not_found", path=str(source)) from exc
    counter = _Counter(total, on_progress)
    tmp = _part_name(dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        _copy_into(source, tmp, counter)
        os.replace(tmp, dest)
    except OSError as exc:
        _unlink(tmp)
        raise LauncherError("packs.copy_failed", source=str(source), path=str(dest), reason=exc.strerror or str(exc)) from exc
    except BaseException:
        _unlink(tmp)
        raise
    counter.finish()
    return counter.done


def backup_name(path: Path) -> Path:
    """`<name>.bak-<YYYYmmdd-HHMMSS>[-n]` beside `path` (the form fsio.backup uses)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.bak-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.bak-{stamp}-{n}")
    return target


class _Transaction:
    def __init__(self) -> None:
        self.staged: list[Path] = []
        self.dirs: list[Path] = []  # folders we created, outermost first
        self.placed: list[tuple[Path, Optional[Path]]] = []  # (target, backup of what was there)
        self.current: Optional[Path] = None

    def mkdirs(self, folder: Path) -> None:
        missing = []
        p = folder
        while not p.exists():
            missing.append(p)
            if p.parent == p:
                break
            p = p.parent
        for d in reversed(missing):
            try:
                d.mkdir()
            except FileExistsError:  # made by someone else meanwhile: not ours to remove
                continue
            self.dirs.append(d)

    def stage_file(self, source: Path, dest: Path, counter: _Counter, move: bool) -> Path:
        self.current = dest
        self.mkdirs(dest.parent)
        tmp = _part_name(dest)
        self.staged.append(tmp)
        if move:
            size = source.stat().st_size
            try:
                os.replace(source, tmp)
                counter.add(size)
                return tmp
            except OSError:
                pass  # another drive: copy instead
        _copy_into(source, tmp, counter)
        return tmp

    def stage_text(self, dest: Path, text: str) -> Path:
        self.current = dest
        self.mkdirs(dest.parent)
        tmp = _part_name(dest)
        self.staged.append(tmp)
        with tmp.open("xb") as f:
            f.write(text.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        return tmp

    def commit(self, tmp: Path, dest: Path, replace: bool) -> Optional[Path]:
        self.current = dest
        backup = None
        if dest.exists():
            if not replace:
                raise BadInput("packs.file_exists", path=str(dest), count=1)
            backup = backup_name(dest)
            try:
                os.link(dest, backup)  # instant, and the target is never missing
            except OSError:
                shutil.copy2(dest, backup)
        try:
            os.replace(tmp, dest)
        except BaseException:
            if backup is not None:
                _unlink(backup)
            raise
        self.staged.remove(tmp)
        self.placed.append((dest, backup))
        return backup

    def rollback(self) -> list[str]:
        """Undo everything; return the paths that could not be restored."""
        left: list[str] = []
        for tmp in self.staged:
            if not _unlink(tmp):
                left.append(str(tmp))
        for dest, backup in reversed(self.placed):
            try:
                if backup is not None:
                    os.replace(backup, dest)
                else:
                    dest.unlink()
            except OSError:
                left.append(str(dest))
        for d in reversed(self.dirs):
            try:
                d.rmdir()
            except OSError:
                pass
        return left


def _unlink(path: Path) -> bool:
    try:
        Path(path).unlink()
    except FileNotFoundError:
        pass
    except OSError:
        return False
    return True


def apply_import(plan: ImportPlan, on_progress: Progress = None) -> ImportResult:
    """Carry the plan out all-or-nothing; `on_progress(copied_bytes, total_bytes)` follows the copies.

    On any error (or Ctrl+C) every file added is removed and every replaced
    file restored before the error propagates (OSError becomes `packs.apply_failed`).
    """
    ops = [op for op in plan.files if op.action in ("copy", "replace")]
    total = 0
    for op in ops:
        try:
            total += op.source.stat().st_size
        except OSError as exc:
            raise MissingFile("fs.not_found", path=str(op.source)) from exc
    txn = _Transaction()
    counter = _Counter(total, on_progress)
    placed: list[Placed] = []
    profiles: list[Placed] = []
    try:
        staged = [(op, txn.stage_file(op.source, op.dest, counter, op.move)) for op in ops]
        staged_profiles = [(ch, txn.stage_text(ch.profile_path, ch.profile_text)) for ch in plan.characters]
        for op, tmp in staged:
            backup = txn.commit(tmp, op.dest, replace=op.action == "replace")
            placed.append(Placed(op.kind, op.dest, op.action, backup))
        for ch, tmp in staged_profiles:
            backup = txn.commit(tmp, ch.profile_path, replace=ch.profile_action == "replace")
            profiles.append(Placed("profile", ch.profile_path, ch.profile_action, backup))
    except OSError as exc:
        left = txn.rollback()
        raise LauncherError(
            "packs.apply_failed",
            path=str(exc.filename or txn.current or ""),
            reason=exc.strerror or str(exc),
            details=left,
        ) from exc
    except BaseException:
        txn.rollback()
        raise
    counter.finish()
    for op in plan.files:
        if op.action in ("same", "in_place"):
            placed.append(Placed(op.kind, op.dest, op.action))
    backups = [p.backup for p in placed + profiles if p.backup is not None]
    return ImportResult(placed, profiles, backups, counter.done)
