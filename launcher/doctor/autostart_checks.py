"""`doctor`: what is registered to start at login, and whether it still points at
an existing profile, package and launcher."""

from __future__ import annotations

from pathlib import Path

from launcher.doctor.checks import CheckResult, Section, fail, ok
from launcher.paths import Layout


def autostart_section(layout: Layout) -> Section | None:
    """One section listing every registered entry; None when nothing is registered."""
    from launcher.windows import autostart

    try:
        found = autostart.entries()
    except OSError:
        return None
    if not found:
        return None
    return Section("autostart", autostart.kind(), [_check(entry, layout) for entry in found])


def _check(entry, layout: Layout) -> CheckResult:
    from launcher.errors import LauncherError
    from launcher.profiles.schema import find_profile

    name, path = entry.profile, str(entry.path)
    check_id = f"autostart.{name}"
    if entry.data is not None and not entry.data.is_file():
        return fail(check_id, "doctor.autostart_no_data", name=name, path=path, data=str(entry.data))
    profile_path = entry.meta.get("profile_path")
    if profile_path and not Path(profile_path).is_file():
        return fail(check_id, "doctor.autostart_profile_missing", name=name, path=profile_path)
    if not profile_path:
        try:
            find_profile(name, layout.profiles)
        except LauncherError:
            return fail(check_id, "doctor.autostart_profile_missing", name=name, path=str(layout.profiles / f"{name}.yaml"))
    root = entry.meta.get("root")
    if root and not Path(root).is_dir():
        return fail(check_id, "doctor.autostart_package_missing", name=name, root=root)
    launcher = entry.argv[0] if entry.argv else ""
    if not launcher or (Path(launcher).is_absolute() and not Path(launcher).is_file()):
        return fail(check_id, "doctor.autostart_launcher_missing", name=name, launcher=launcher or "?")
    return ok(check_id, "doctor.autostart_ok", name=name, kind=entry.kind, path=path)
