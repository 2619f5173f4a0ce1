"""Community voice packs -> the plan of an import: every file's place and a ready profile.

`scan` recognises the pack; `plan_import` decides everything and checks every
conflict before a byte is written; `apply.apply_import` carries the plan out.

Weights go to `GPT_weights_<ver>/` and `SoVITS_weights_<ver>/` under their own
names, the version read from the `.pth` header (package.sovits_version);
references are copied to `参考音频/<id>/` (where `init` looks too). What is
chosen among the pack's files, and why, is `choose`'s part; every choice is
kept with its reason (`Choice.reason` is a message key).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence, Union

from launcher.errors import BadInput, LauncherError, MissingFile, Notice
from launcher.gsv import languages
from launcher.gsv import package
from launcher.packs import choose
from launcher.packs.names import sanitize_id
from launcher.packs.references import Reference
from launcher.packs.scan import LAYOUT_PLAIN, CharacterScan, PackScan, short_list
from launcher.packs.zipsafe import CHUNK, free_space, size_text
from launcher.paths import Layout
from launcher.profiles.schema import Emotion, Profile, parse_profile, render_profile

REFERENCE_DIR = "参考音频"  # initialize.REFERENCE_FOLDERS[0]: `init` finds references here too

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
    pid, shown = _planshort_list(ch, ctx, name, display, d)
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
        return root_relative(ref_ops[r.path].dest, ctx.root)

    profile = Profile(
        name=pid,
        display_name=shown,
        api=ctx.api,
        gpt=root_relative(gop.dest, ctx.root),
        sovits=root_relative(sop.dest, ctx.root),
        ref_audio=placed(default) if default else None,
        prompt_text=default.text if default else "",
        prompt_lang=prompt_lang,
        text_lang=text_lang,
    )
    for key, r in emotions:
        profile.emotions[key] = Emotion(ref_audio=placed(r), prompt_text=r.text, prompt_lang=choose.reference_lang(r, ch)[0])
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


def _planshort_list(ch: CharacterScan, ctx: _Ctx, name: Optional[str], display: Optional[str], d: _Draft) -> tuple[str, str]:
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
    gpt, (gwhy, gparams) = choose.pick_weight(ch, ch.gpt_candidates, ctx.gpt, ch.gpt_hint, ".ckpt", "--gpt", ctx.scan, ctx.single)
    sov, (swhy, sparams) = choose.pick_weight(ch, ch.sovits_candidates, ctx.sovits, ch.sovits_hint, ".pth", "--sovits", ctx.scan, ctx.single)
    choose.check_gpt(gpt, rel(gpt))
    if choose.is_lfs_pointer(sov):
        raise BadInput("packs.lfs_pointer", path=rel(sov))
    try:
        sv = package.sovits_version(sov)
    except BadInput as exc:
        exc.params["path"] = rel(sov)  # the path inside the pack, not our temporary folder
        raise
    d.choose("gpt", gpt.name, gwhy, **gparams)
    d.choose("sovits", sov.name, swhy, **sparams)
    vwhy, vparams = choose.version_reason(sov, sv)
    d.choose("version", sv.version + (" LoRA" if sv.lora else ""), vwhy, **vparams)
    if sv.lora and sv.needs_base and not package.lora_base_present(ctx.root, sv.version):
        d.notices.append(Notice("packs.lora_base_missing", version=sv.version, base=sv.needs_base))
    return gpt, sov, sv


def _plan_references(ch: CharacterScan, ctx: _Ctx, pid: str, version: str, d: _Draft):
    """(default reference or None, prompt_lang, text_lang, [(emotion, reference)]), with choices and notices."""
    default, (dwhy, dparams), skipped_default = choose.choose_reference(ch)
    for r in skipped_default:
        d.notices.append(Notice("packs.default_out_of_range", file=r.rel, seconds=_secs(r.seconds)))
    unreadable = [r for r in ch.references if r.error]
    if unreadable:
        d.notices.append(Notice("packs.refs_unreadable", count=len(unreadable), files=short_list(r.rel for r in unreadable)))
    if ch.other_audio:
        d.notices.append(Notice("packs.audio_not_wav", count=len(ch.other_audio), files=short_list(ch.other_audio)))
    measured = [r.seconds for r in ch.references if r.seconds is not None]
    folder = f"{REFERENCE_DIR}/{pid}"
    prompt_lang = "zh"
    if default is not None:
        d.choose("ref_audio", default.rel, dwhy, seconds=_secs(default.seconds), **dparams)
        prompt_lang, (lwhy, lparams) = choose.reference_lang(default, ch)
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
    text_lang = choose.text_lang(ch, prompt_lang, version)
    d.choose("text_lang", text_lang, "packs.why.text_lang", code=text_lang)
    emotions, skipped = choose.emotion_references(ch, default)
    if skipped:
        files = short_list(f"{r.rel} ({_secs(r.seconds)} s)" for r in skipped)
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



def root_relative(path: Path, root: Path) -> str:
    """`path` as a profile writes it: relative to the GPT-SoVITS root when inside it."""
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
    free = free_space(ctx.root)
    if free is not None and free < need:
        raise LauncherError("packs.no_space", path=str(ctx.root), need=size_text(need), free=size_text(free))


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
    from launcher.audio import seconds_text

    return "?" if seconds is None else seconds_text(seconds, 1)
