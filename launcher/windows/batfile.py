"""Double-click `.bat` launchers that cannot break on the user's folder names.

DESIGN.md §6. The generated file is ASCII only, CRLF, no BOM; every path in
it is resolved at run time from `%~dp0`, so no Chinese (or any absolute) path
is ever written into it. A profile id in a safe charset (`nahida`) is passed
as a literal argument; any other name (`纳西妲`, `Hu Tao & 派蒙`) travels
through the file's own name: `纳西妲.bat` runs `... start "%~n0"`, and the
launcher resolves `纳西妲` as a profile id or display name.

Nothing from a user string reaches the text unescaped: a literal is either a
bare token from a small charset or a quoted ASCII string without `"`, without
control characters, without a trailing backslash and with every `%` doubled;
anything else is refused (`BadInput`). `check_bat_bytes` re-checks the final
bytes before `write_bat` writes them.

How the `.bat` reaches the launcher (`via`):
- `exe`     `"%~dp0sovits-launch.exe"`: a PyInstaller exe beside the .bat;
- `runtime` `"<root>\\runtime\\python.exe" -m launcher`: the launcher is
            installed into the GPT-SoVITS package's own interpreter;
- `path`    `sovits-launch.exe` found on PATH (pipx, pip --user).

Core module: returns data, raises keyed errors, prints nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Sequence

from launcher.errors import BadInput, Notice

VIAS = ("exe", "runtime", "path")
EXE_NAME = "sovits-launch.exe"
RUNTIME_PYTHON = ("runtime", "python.exe")
MODULE = "launcher"  # `python -m launcher`

#: A profile id that may be written into the file as a bare word.
SAFE_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\Z")
#: An extra argument that needs no quotes at all.
_BARE_ARG = re.compile(r"[A-Za-z0-9_.:+/=@-]{1,200}\Z")
#: Characters Windows refuses in a file name (plus control characters).
_BAD_FILENAME_CHARS = set('<>:"/\\|?*')
_RESERVED_STEMS = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
_RESERVED_STEMS |= {f"COM{i}" for i in range(1, 10)} | {f"LPT{i}" for i in range(1, 10)}
_MAX_STEM = 120  # leaves room for the folder in MAX_PATH

#: Environment variables the generated text may expand (besides %~dp0 / %~n0).
_ALLOWED_VARS = {"PATH"}
_MAX_LINE = 4000  # cmd's limit is 8191 after expansion; keep far below it
#: An absolute Windows path (drive or UNC): never written into the file.
_ABSOLUTE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]:[\\/]|\\\\")


@dataclass(frozen=True)
class BatPlan:
    """One `.bat` to write: its name, its exact text and how it was chosen."""

    filename: str  # e.g. "纳西妲.bat"
    text: str  # ASCII, CRLF
    via: str  # exe | runtime | path
    profile: str  # the profile id
    profile_arg: str  # what the file passes: "nahida" or '"%~n0"'
    by_filename: bool  # the profile reaches the launcher through %~n0
    root_rel: str | None  # root relative to the .bat's folder ("." = same); None = remembered root
    command: str  # the launcher line inside the file
    path: Path | None = None  # where it goes (set by plan_bat)
    via_reason: str = "forced"  # forced | exe_beside | runtime_installed | fallback_path
    notices: tuple[Notice, ...] = ()

    @property
    def data(self) -> bytes:
        return self.text.encode("utf-8")  # == ASCII: render_bat checked it


@dataclass(frozen=True)
class WriteResult:
    path: Path
    status: str  # created | replaced | unchanged
    backup: Path | None = None


# --------------------------------------------------------------------------- escaping


def quote_literal(value: str) -> str:
    """`value` as a double-quoted batch literal, or BadInput.

    Inside quotes `& | < > ^ ( ) !` are plain characters (delayed expansion is
    off); `%` is doubled because percent expansion happens before quotes count.
    A `"` cannot be escaped inside quotes, a trailing backslash would escape
    the closing quote for the program's argv parser, and control characters
    (newlines) would end the command: those are refused.
    """
    if not _is_printable_ascii(value) or '"' in value or value.endswith("\\") or value == "":
        raise BadInput("bat.unsafe_arg", arg=value)
    return '"' + value.replace("%", "%%") + '"'


def bat_arg(value: str) -> str:
    """An argument for the launcher line: bare when harmless, else quoted."""
    if _ABSOLUTE.search(value):
        raise BadInput("bat.absolute_arg", arg=value)
    if _BARE_ARG.match(value):
        return value
    return quote_literal(value)


def _is_printable_ascii(value: str) -> bool:
    return all(" " <= ch <= "~" for ch in value)


def is_safe_id(profile: str) -> bool:
    """Can this profile id be written into the file as a bare word?"""
    return bool(SAFE_ID.match(profile)) and not profile.lower().endswith((".yaml", ".yml"))


def check_filename_stem(stem: str) -> None:
    """Refuse a name Windows (or `%~n0`) cannot carry as a .bat file name."""
    if not stem or not stem.strip():
        raise BadInput("bat.filename_empty")
    bad = sorted({ch for ch in stem if ch in _BAD_FILENAME_CHARS or ord(ch) < 0x20 or ch == "\x7f"})
    if bad:
        shown = " ".join(repr(ch)[1:-1] for ch in bad)
        raise BadInput("bat.filename_chars", name=stem, chars=shown)
    if stem != stem.strip() or stem.endswith("."):
        raise BadInput("bat.filename_ends", name=stem)
    if stem.startswith("-"):
        raise BadInput("bat.filename_dash", name=stem)
    if stem.split(".")[0].upper() in _RESERVED_STEMS:
        raise BadInput("bat.filename_reserved", name=stem)
    if len(stem) > _MAX_STEM:
        raise BadInput("bat.filename_long", name=stem, limit=_MAX_STEM)


# --------------------------------------------------------------------------- rendering


def choose_stem(profile: str, display_name: str | None = None, name: str | None = None) -> tuple[str, bool]:
    """The file's stem and whether the profile travels through it (`%~n0`).

    - `name` given: used as is. If the id cannot be written into the file, the
      name must be the id or the display name (the launcher looks it up).
    - else the display name if it is a usable file name, else the id.
    """
    by_filename = not is_safe_id(profile)
    if name is not None:
        check_filename_stem(name)
        if by_filename and name not in (profile, display_name):
            raise BadInput("bat.name_mismatch", name=name, profile=profile, display=display_name or profile)
        return name, by_filename
    if display_name:
        try:
            check_filename_stem(display_name)
        except BadInput:
            pass
        else:
            return display_name, by_filename
    check_filename_stem(profile)
    return profile, by_filename


def render_bat(
    profile: str,
    *,
    via: str,
    display_name: str | None = None,
    name: str | None = None,
    root_rel: str | None = ".",
    extra_args: Sequence[str] = (),
    version: str | None = None,
) -> BatPlan:
    """The text of the .bat that starts `profile`, and its file name.

    `root_rel` is the GPT-SoVITS root relative to the .bat's own folder
    (`"."`: the same folder, `".."`: one up); None when it cannot be
    expressed, so the launcher uses the root remembered by `init`.
    """
    if via not in VIAS:
        raise BadInput("bat.bad_via", via=via, choices=", ".join(VIAS))
    stem, by_filename = choose_stem(profile, display_name, name)
    profile_arg = '"%~n0"' if by_filename else profile

    root_prefix = None  # "%~dp0" or "%~dp0..\" : the root, ending in a backslash
    root_literal = None  # the root without a trailing backslash, for --root
    if root_rel is not None:
        rel = _clean_rel(root_rel)
        if rel == ".":
            root_prefix, root_literal = "%~dp0", "%~dp0."
        else:
            escaped = _escape_rel(rel)
            root_prefix, root_literal = "%~dp0" + escaped + "\\", "%~dp0" + escaped

    if via == "exe":
        head = f'"%~dp0{EXE_NAME}"'
    elif via == "runtime":
        if root_prefix is None:
            raise BadInput("bat.runtime_unreachable")
        head = f'"{root_prefix}{RUNTIME_PYTHON[0]}\\{RUNTIME_PYTHON[1]}" -m {MODULE}'
    else:
        head = EXE_NAME
    words = [head, "start", profile_arg]
    if root_literal is not None:
        words += ["--root", f'"{root_literal}"']
    words += [bat_arg(arg) for arg in extra_args]
    command = " ".join(words)

    who = f"profile {profile}" if not by_filename else "the profile named like this file"
    lines = [
        "@echo off",
        f"rem sovits-launch {_safe_version(version)}: double-click this file to start {who}.",
        "rem Generated by sovits-launch bat. Generate it again instead of editing it;",
        "rem it must stay ASCII with CRLF line ends.",
        "setlocal EnableExtensions DisableDelayedExpansion",
        'cd /d "%~dp0"',
        "if errorlevel 1 goto nodir",
    ]
    if root_prefix is not None:
        runtime = f"{root_prefix}{RUNTIME_PYTHON[0]}"
        lines.append(f'if exist "{runtime}\\{RUNTIME_PYTHON[1]}" set "PATH={runtime};%PATH%"')
    lines += [
        command,
        "if errorlevel 130 if not errorlevel 131 exit /b 130",
        "if errorlevel 1 goto failed",
        "if not errorlevel 0 goto failed",
        "exit /b 0",
        "",
        ":failed",
        "echo.",
        "echo sovits-launch stopped with an error. Read the messages above.",
        "pause",
        "exit /b 1",
        "",
        ":nodir",
        "echo.",
        "echo Cannot change to the folder of this file.",
        "pause",
        "exit /b 1",
    ]
    text = "\r\n".join(lines) + "\r\n"
    check_bat_bytes(text.encode("utf-8"))
    return BatPlan(
        filename=stem + ".bat",
        text=text,
        via=via,
        profile=profile,
        profile_arg=profile_arg,
        by_filename=by_filename,
        root_rel=None if root_rel is None else _clean_rel(root_rel),
        command=command,
    )


def _safe_version(version: str | None) -> str:
    if version is None:
        from launcher import __version__ as version
    return version if re.fullmatch(r"[A-Za-z0-9.+-]{1,40}", version) else "?"


def _clean_rel(rel: str) -> str:
    parts = [p for p in re.split(r"[\\/]+", rel) if p not in ("", ".")]
    return "\\".join(parts) if parts else "."


def _escape_rel(rel: str) -> str:
    """A relative path for inside quotes after %~dp0: the same rules as a literal."""
    if not _is_printable_ascii(rel) or '"' in rel or rel.endswith("\\") or re.match(r"[A-Za-z]:", rel):
        raise BadInput("bat.unsafe_arg", arg=rel)
    return rel.replace("%", "%%")


# --------------------------------------------------------------------------- checking


def check_bat_bytes(data: bytes) -> None:
    """Refuse bytes that break DESIGN.md §6. Raises BadInput `bat.check.*`.

    ASCII only; no BOM; CRLF everywhere, also at the end; no other control
    characters; every `%` doubled except `%~dp0`, `%~n0` and `%PATH%`; quotes
    balanced on every line; no backslash before a closing quote (except the
    `cd /d "%~dp0"` idiom: cd is built in and has no argv parser); no `^` at
    the end of a line; no absolute path; delayed expansion never enabled.
    """
    if data[:3] == b"\xef\xbb\xbf" or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise BadInput("bat.check.bom")
    for offset, byte in enumerate(data):
        if byte > 0x7F:
            raise BadInput("bat.check.non_ascii", line=data[:offset].count(b"\n") + 1)
    text = data.decode("ascii")
    if not text.endswith("\r\n"):
        raise BadInput("bat.check.line_ends", line=text.count("\n") + 1)
    lines = text[:-2].split("\r\n")
    for number, line in enumerate(lines, 1):
        if "\r" in line or "\n" in line:
            raise BadInput("bat.check.line_ends", line=number)
        if any(ch < " " or ch == "\x7f" for ch in line):
            raise BadInput("bat.check.control", line=number)
        if len(line) > _MAX_LINE:
            raise BadInput("bat.check.too_long", line=number, limit=_MAX_LINE)
        shape = _expanded_shape(line, number)
        if shape.count('"') % 2:
            raise BadInput("bat.check.quotes", line=number)
        # %~dp0 ends in a backslash: `"%~dp0"` is `"D:\x\"`. Only cd (built in, no argv parser) may have it.
        if '\\"' in shape or (_DP0 + '"' in shape and not shape.startswith('cd /d "' + _DP0 + '"')):
            raise BadInput("bat.check.backslash_quote", line=number)
        if line.endswith("^"):
            raise BadInput("bat.check.caret", line=number)
        if _ABSOLUTE.search(shape):
            raise BadInput("bat.check.absolute", line=number)
        if re.search(r"(?i)enabledelayedexpansion|/v:on", line):
            raise BadInput("bat.check.delayed", line=number)


_DP0, _N0, _VAR = "\x01", "\x02", "\x03"  # stand-ins for expansions (control characters never pass)


def _expanded_shape(line: str, number: int) -> str:
    """The line as cmd's percent pass leaves it: `%%` -> `%`, allowed expansions -> stand-ins.

    Any other `%` is refused: it would be an undoubled percent.
    """
    out: list[str] = []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch != "%":
            out.append(ch)
            i += 1
        elif line.startswith("%%", i):
            out.append("%")
            i += 2
        elif line.startswith("%~dp0", i):
            out.append(_DP0)
            i += 5
        elif line.startswith("%~n0", i):
            out.append(_N0)
            i += 4
        else:
            m = re.match(r"%([A-Za-z_][A-Za-z0-9_]*)%", line[i:])
            if not (m and m.group(1).upper() in _ALLOWED_VARS):
                raise BadInput("bat.check.percent", line=number)
            out.append(_VAR)
            i += m.end()
    return "".join(out)


# --------------------------------------------------------------------------- choosing


def relative_root(root: Path, bat_dir: Path) -> str | None:
    """The root as seen from the .bat's folder, if it can go into the file.

    `"."` when they are the same folder, `".."`-style paths when the way there
    is printable ASCII (going up never names a folder); None otherwise (other
    drive, Chinese folder names on the way): then the launcher's remembered
    root is used.
    """
    root, bat_dir = _abs(root), _abs(bat_dir)
    if _same(root, bat_dir):
        return "."
    try:
        rel = os.path.relpath(root, bat_dir)
    except ValueError:  # another drive on Windows
        return None
    rel = _clean_rel(rel)
    if not _is_printable_ascii(rel) or '"' in rel:
        return None
    return rel


def runtime_python(root: Path) -> Path:
    return Path(root, *RUNTIME_PYTHON)


def launcher_in_runtime(root: Path, *, running: Path | None = None) -> bool:
    """Is the launcher installed into the package's own interpreter?"""
    python = runtime_python(root)
    if not python.is_file():
        return False
    if running is not None and _same(running, python):
        return True
    site = Path(root, "runtime", "Lib", "site-packages")
    return (site / "launcher" / "windows" / "batfile.py").is_file() or any(site.glob("sovits_launch-*.dist-info"))


def detect_via(root: Path, bat_dir: Path, *, running: Path | None = None) -> tuple[str, str]:
    """(via, reason): an exe beside the .bat, else the package's runtime, else PATH."""
    running = Path(sys.executable) if running is None else running
    if Path(bat_dir, EXE_NAME).is_file():
        return "exe", "exe_beside"
    if relative_root(root, bat_dir) is not None and launcher_in_runtime(root, running=running):
        return "runtime", "runtime_installed"
    return "path", "fallback_path"


def choose_via(root: Path, bat_dir: Path, *, running: Path | None = None) -> str:
    return detect_via(root, bat_dir, running=running)[0]


def plan_bat(
    profile: str,
    *,
    root: Path,
    out_dir: Path | None = None,
    display_name: str | None = None,
    name: str | None = None,
    via: str | None = None,
    extra_args: Sequence[str] = (),
    running: Path | None = None,
    on_path: bool | None = None,
) -> BatPlan:
    """Everything `sovits-launch bat` decides, for one profile.

    `out_dir` defaults to the GPT-SoVITS root. `via` None = `detect_via`.
    `on_path`: is `sovits-launch` on PATH now (None: look it up on Windows,
    unknown elsewhere). Warnings come back in `notices`.
    """
    root = _abs(root)
    bat_dir = _abs(out_dir) if out_dir is not None else root
    if via is None:
        via, reason = detect_via(root, bat_dir, running=running)
    else:
        reason = "forced"
    rel = relative_root(root, bat_dir)
    plan = render_bat(profile, via=via, display_name=display_name, name=name, root_rel=rel, extra_args=extra_args)
    notices: list[Notice] = []
    if rel is None:
        notices.append(Notice("bat.warn_root_remembered", out=str(bat_dir), root=str(root)))
    if via == "exe" and not (bat_dir / EXE_NAME).is_file():
        notices.append(Notice("bat.warn_exe_missing", path=str(bat_dir / EXE_NAME)))
    if via == "runtime" and not launcher_in_runtime(root, running=running):
        notices.append(Notice("bat.warn_runtime_missing", python=str(runtime_python(root))))
    if via == "path":
        if on_path is None and os.name == "nt":
            on_path = shutil.which("sovits-launch") is not None
        if on_path is False:
            notices.append(Notice("bat.warn_not_on_path"))
    return replace(plan, path=bat_dir / plan.filename, via_reason=reason, notices=tuple(notices))


def plan_all(
    profiles: Iterable[tuple],
    *,
    root: Path | None = None,
    out_dir: Path | None = None,
    via: str | None = None,
    running: Path | None = None,
    on_path: bool | None = None,
) -> list[BatPlan]:
    """One plan per `(id, display_name)` or `(id, display_name, root)`.

    Refuses two profiles that would write the same file (Windows ignores case).
    """
    plans: list[BatPlan] = []
    taken: dict[str, str] = {}
    for item in profiles:
        profile, display_name = item[0], item[1]
        own_root = item[2] if len(item) > 2 else root
        plan = plan_bat(
            profile,
            root=own_root,
            out_dir=out_dir,
            display_name=display_name,
            via=via,
            running=running,
            on_path=on_path,
        )
        key = os.path.normcase(str(plan.path)).casefold()
        if key in taken:
            raise BadInput("bat.duplicate_name", name=plan.filename, first=taken[key], second=profile)
        taken[key] = profile
        plans.append(plan)
    return plans


def plan_profiles(
    name: str | None,
    *,
    layout,
    settings,
    every: bool = False,
    root: Path | None = None,
    out_dir: Path | None = None,
    file_name: str | None = None,
    via: str | None = None,
    extra_args: Sequence[str] = (),
) -> tuple[list[BatPlan], list[Notice]]:
    """What `sovits-launch bat` plans: one named profile, or every profile (`every`).

    Each profile's root is `root`, else the profile's own `root:`, else the one
    remembered by init; its .bat goes into that root unless `out_dir` is given.
    A profile that cannot be read is skipped with a notice under `every`.
    Nothing is written here.
    """
    from launcher.profiles.schema import find_profile, load_profile, profile_files
    from launcher.server.plan import resolve_root

    if every and name:
        raise BadInput("bat.profile_and_all")
    if not every and not name:
        raise BadInput("bat.need_profile")
    if every and file_name:
        raise BadInput("bat.name_with_all")
    notices: list[Notice] = []
    if every:
        profiles = []
        for path in profile_files(layout.profiles):
            try:
                profiles.append(load_profile(path))
            except BadInput as exc:
                notices.append(Notice("bat.skipped_broken", path=str(path), key=exc.key))
        if not profiles:
            raise BadInput("bat.no_profiles", folder=str(layout.profiles))
    else:
        profiles = [find_profile(name, layout.profiles)]
    plans: list[BatPlan] = []
    taken: dict[str, str] = {}
    for profile in profiles:
        own_root = resolve_root(profile, settings, root)
        check_root(own_root)
        plan = plan_bat(
            profile.name,
            root=own_root,
            out_dir=out_dir,
            display_name=profile.display_name,
            name=file_name,
            via=via,
            extra_args=extra_args,
        )
        key = os.path.normcase(str(plan.path)).casefold()
        if key in taken:
            raise BadInput("bat.duplicate_name", name=plan.filename, first=taken[key], second=profile.name)
        taken[key] = profile.name
        plans.append(plan)
    return plans, notices


def check_root(root: Path) -> None:
    """The .bat passes `--root` to start: the folder must be a GPT-SoVITS package.

    The interpreter is not required here (`start` checks it, and --python may
    provide one).
    """
    from launcher.errors import MissingFile
    from launcher.gsv.package import inspect_root

    try:
        inspect_root(root)
    except MissingFile as exc:
        if exc.key != "package.no_runtime":
            raise


# --------------------------------------------------------------------------- writing


def write_bat(plan: BatPlan, *, path: Path | None = None, backup_dir: Path | None = None) -> WriteResult:
    """Check the bytes, then write atomically; an existing different file is backed up first."""
    from launcher.fsio import backup, write_atomic

    target = Path(path) if path is not None else plan.path
    if target is None:
        raise ValueError("write_bat needs a path (plan_bat sets one)")
    data = plan.text.encode("utf-8")  # UTF-8, so a stray non-ASCII character is caught, not replaced
    check_bat_bytes(data)
    if target.is_file():
        if target.read_bytes() == data:
            return WriteResult(target, "unchanged")
        saved = backup(target, folder=backup_dir)
        write_atomic(target, data)
        return WriteResult(target, "replaced", saved)
    write_atomic(target, data)
    return WriteResult(target, "created")


# --------------------------------------------------------------------------- helpers


def _abs(path: Path) -> Path:
    return Path(os.path.abspath(os.fspath(path)))


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


__all__ = [
    "BatPlan",
    "VIAS",
    "WriteResult",
    "bat_arg",
    "check_bat_bytes",
    "check_filename_stem",
    "choose_stem",
    "choose_via",
    "detect_via",
    "is_safe_id",
    "launcher_in_runtime",
    "plan_all",
    "plan_bat",
    "plan_profiles",
    "check_root",
    "quote_literal",
    "relative_root",
    "render_bat",
    "runtime_python",
    "write_bat",
]
