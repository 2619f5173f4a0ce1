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
anything else is refused (`BadInput`). `check_bat_bytes` (batcheck) re-checks
the final bytes before `write_bat` writes them; `batplan` decides which file
a profile gets.

How the `.bat` reaches the launcher (`via`):
- `exe`     `"%~dp0sovits-launch.exe"`: a PyInstaller exe beside the .bat;
- `runtime` `"<root>\\runtime\\python.exe" -m launcher`: the launcher is
            installed into the GPT-SoVITS package's own interpreter;
- `path`    `sovits-launch.exe` found on PATH (pipx, pip --user).

Core module: returns data, raises keyed errors, prints nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from launcher.errors import BadInput, Notice
from launcher.profiles.schema import WINDOWS_BAD_CHARS, WINDOWS_DEVICE_NAMES
from launcher.windows.batcheck import ABSOLUTE, check_bat_bytes, printable_ascii

VIAS = ("exe", "runtime", "path")
EXE_NAME = "sovits-launch.exe"
RUNTIME_PYTHON = ("runtime", "python.exe")
MODULE = "launcher"  # `python -m launcher`

#: A profile id that may be written into the file as a bare word.
SAFE_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\Z")
#: An extra argument that needs no quotes at all.
_BARE_ARG = re.compile(r"[A-Za-z0-9_.:+/=@-]{1,200}\Z")
_MAX_STEM = 120  # leaves room for the folder in MAX_PATH


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
    if not printable_ascii(value) or '"' in value or value.endswith("\\") or value == "":
        raise BadInput("bat.unsafe_arg", arg=value)
    return '"' + value.replace("%", "%%") + '"'


def bat_arg(value: str) -> str:
    """An argument for the launcher line: bare when harmless, else quoted."""
    if ABSOLUTE.search(value):
        raise BadInput("bat.absolute_arg", arg=value)
    if _BARE_ARG.match(value):
        return value
    return quote_literal(value)



def is_safe_id(profile: str) -> bool:
    """Can this profile id be written into the file as a bare word?"""
    return bool(SAFE_ID.match(profile)) and not profile.lower().endswith((".yaml", ".yml"))


def check_filename_stem(stem: str) -> None:
    """Refuse a name Windows (or `%~n0`) cannot carry as a .bat file name."""
    if not stem or not stem.strip():
        raise BadInput("bat.filename_empty")
    bad = sorted({ch for ch in stem if ch in WINDOWS_BAD_CHARS or ord(ch) < 0x20 or ch == "\x7f"})
    if bad:
        shown = " ".join(repr(ch)[1:-1] for ch in bad)
        raise BadInput("bat.filename_chars", name=stem, chars=shown)
    if stem != stem.strip() or stem.endswith("."):
        raise BadInput("bat.filename_ends", name=stem)
    if stem.startswith("-"):
        raise BadInput("bat.filename_dash", name=stem)
    if stem.split(".")[0].upper() in WINDOWS_DEVICE_NAMES:
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
        rel = clean_rel(root_rel)
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
        root_rel=None if root_rel is None else clean_rel(root_rel),
        command=command,
    )


def _safe_version(version: str | None) -> str:
    if version is None:
        from launcher import __version__ as version
    return version if re.fullmatch(r"[A-Za-z0-9.+-]{1,40}", version) else "?"


def clean_rel(rel: str) -> str:
    parts = [p for p in re.split(r"[\\/]+", rel) if p not in ("", ".")]
    return "\\".join(parts) if parts else "."


def _escape_rel(rel: str) -> str:
    """A relative path for inside quotes after %~dp0: the same rules as a literal."""
    if not printable_ascii(rel) or '"' in rel or rel.endswith("\\") or re.match(r"[A-Za-z]:", rel):
        raise BadInput("bat.unsafe_arg", arg=rel)
    return rel.replace("%", "%%")


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

