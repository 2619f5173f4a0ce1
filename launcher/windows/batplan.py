"""Which `.bat` to write for a profile: how it reaches the launcher, where the root is, where it goes.

`via` (see `batfile`): an exe beside the .bat, else the package's runtime when
the launcher is installed there, else PATH. The root is written relative to
the .bat's folder when the way there is printable ASCII, else the root
remembered by `init` is used. Nothing is written here.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Sequence

from launcher import __version__
from launcher.errors import BadInput, LauncherError, Notice
from launcher.windows.batcheck import printable_ascii
from launcher.windows.batfile import EXE_NAME, RUNTIME_PYTHON, BatPlan, clean_rel, render_bat


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
    rel = clean_rel(rel)
    if not printable_ascii(rel) or '"' in rel:
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
        notices.append(Notice("bat.warn_runtime_missing", python=str(runtime_python(root)), version=__version__))
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
    name: str | None = None,
    via: str | None = None,
    extra_args: Sequence[str] = (),
    running: Path | None = None,
    on_path: bool | None = None,
) -> list[BatPlan]:
    """One plan per `(id, display_name)` or `(id, display_name, root)`, taken in order.

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
            name=name,
            via=via,
            extra_args=extra_args,
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
    from launcher.profiles.schema import find_profile
    from launcher.server.plan import resolve_root

    if every and name:
        raise BadInput("bat.profile_and_all")
    if not every and not name:
        raise BadInput("bat.need_profile")
    if every and file_name:
        raise BadInput("bat.name_with_all")
    notices: list[Notice] = []
    profiles = _every_profile(layout, notices) if every else [find_profile(name, layout.profiles)]

    def targets():  # one at a time: each root is checked just before its plan, as errors come in order
        for profile in profiles:
            own_root = resolve_root(profile, settings, root)
            check_root(own_root)
            yield profile.name, profile.display_name, own_root

    plans = plan_all(targets(), out_dir=out_dir, name=file_name, via=via, extra_args=extra_args)
    return plans, notices


def _every_profile(layout, notices: list[Notice]) -> list:
    """Every readable profile; the broken ones are skipped with a notice."""
    from launcher.profiles.schema import load_profile, profile_files

    profiles = []
    for path in profile_files(layout.profiles):
        try:
            profiles.append(load_profile(path))
        except LauncherError as exc:  # unreadable too (fs.read_failed): the others still get their .bat
            notices.append(Notice("bat.skipped_broken", path=str(path), error=exc.key))  # not key=: Notice takes that itself
    if not profiles:
        raise BadInput("bat.no_profiles", folder=str(layout.profiles))
    return profiles


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


def _abs(path: Path) -> Path:
    return Path(os.path.abspath(os.fspath(path)))


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))
