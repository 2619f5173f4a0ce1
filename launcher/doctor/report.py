"""`doctor`: every check for the package, its runtime, xiaozhi and each profile.

Returns sections of `CheckResult`s (ok / warn / fail, a message key with its
params, and the key of one concrete fix); never prints. The checks a start
makes come from `preflight` (the same functions `server.plan_start` calls),
so `doctor` and `start` never disagree; `doctor` only adds what is too slow or
too indirect for every start (torch/CUDA probe, disk, pretrained models,
non-ASCII root on old packages, xiaozhi).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from launcher.gsv import package
from launcher.server import preflight
from launcher.doctor.checks import FAIL, OK, WARN, CheckResult, PackageState, Report, Section, fail, from_error, ok, warn
from launcher.doctor.profile_checks import profile_section
from launcher.doctor.xiaozhi_checks import xiaozhi_section
from launcher.errors import LauncherError
from launcher.paths import Layout, Settings
from launcher.profiles.schema import Profile

DISK_WARN_BYTES = 2 * 1024**3  # logs, TEMP files, generated audio
DISK_FAIL_BYTES = 200 * 1024**2


# --- entry point -------------------------------------------------------------------


@dataclass
class Options:
    probe: bool = True  # ask the runtime's python about torch/CUDA (cached)
    refresh: bool = False  # ignore the probe cache
    windows: bool = os.name == "nt"  # judge non-ASCII roots as Windows does
    probe_timeout: float = 120.0


def run_doctor(layout: Layout, settings: Settings, *, profile: str | None = None, options: Options | None = None) -> Report:
    """All checks; `profile` limits the profile part to one (name, display name or .yaml path)."""
    from launcher.server.registry import Registry

    options = options or Options()
    report = Report()
    loaded = _load_profiles(layout, profile)
    roots = _roots(settings, [p for p, _ in loaded if p is not None])
    packages: dict[Path, PackageState] = {}
    if not roots:
        report.sections.append(Section("package", "-", [fail("package.root", "doctor.no_root")]))
    for root in roots:
        section, pkg = package_section(root, settings, layout, options)
        packages[root] = pkg
        report.sections.append(section)
        if options.probe and pkg.python is not None:
            report.sections.append(runtime_section(pkg, layout, options))
    running = Registry(layout.registry_file).servers()
    if settings.xiaozhi_dir:
        profiles = tuple(p for p, _ in loaded if p is not None)
        report.sections.append(xiaozhi_section(Path(settings.xiaozhi_dir), running, profiles))
    for prof, error in loaded:
        if prof is None:
            assert error is not None
            report.sections.append(Section("profile", error[0], [from_error("profile.file", error[1])]))
            continue
        root = _profile_root(prof, settings)
        report.sections.append(profile_section(prof, packages.get(root) if root else None, layout, running))
    if profile is None:
        from launcher.doctor.autostart_checks import autostart_section

        registered = autostart_section(layout)
        if registered is not None:
            report.sections.append(registered)
    return report


def _load_profiles(layout: Layout, name: str | None) -> list[tuple[Profile | None, tuple[str, LauncherError] | None]]:
    from launcher.profiles.schema import find_profile, load_profile, profile_files

    if name is not None:
        direct = layout.profiles / f"{name}.yaml"
        path = Path(name) if Path(name).suffix.lower() in (".yaml", ".yml") else direct
        if path.is_file():
            files = [path]
        else:
            return [(find_profile(name, layout.profiles), None)]  # raises profile.not_found
    else:
        files = profile_files(layout.profiles)
    out: list[tuple[Profile | None, tuple[str, LauncherError] | None]] = []
    for f in files:
        try:
            out.append((load_profile(f), None))
        except LauncherError as exc:
            out.append((None, (f.stem, exc)))
    return out


def _profile_root(profile: Profile, settings: Settings) -> Path | None:
    chosen = profile.root or settings.gsv_root
    return Path(chosen).expanduser().resolve() if chosen else None


def _roots(settings: Settings, profiles: list[Profile]) -> list[Path]:
    roots: list[Path] = []
    if settings.gsv_root:
        roots.append(Path(settings.gsv_root).expanduser().resolve())
    for p in profiles:
        r = _profile_root(p, settings)
        if r is not None and r not in roots:
            roots.append(r)
    return roots


# --- the package -----------------------------------------------------------------------


def package_section(root: Path, settings: Settings, layout: Layout, options: Options) -> tuple[Section, PackageState]:
    section = Section("package", str(root))
    add = section.checks.append
    python = Path(settings.python) if settings.python else None
    pkg = PackageState(root, None, None, None, None)
    try:
        pkg.info = package.inspect_root(root, python)
        pkg.python, pkg.ffprobe = pkg.info.python, pkg.info.ffprobe
        add(ok("package.root", "doctor.root_ok", root=str(root)))
        add(ok("package.python", "doctor.python_ok", python=str(pkg.python)))
    except LauncherError as exc:
        pkg.error = exc
        if exc.key not in ("package.no_runtime", "package.python_missing"):
            add(from_error("package.root", exc))
            return section, pkg
        add(ok("package.root", "doctor.root_ok", root=str(root)))
        add(from_error("package.python", exc))
        pkg.ffprobe = package.find_runtime_tool(root, "ffprobe")
    add(_api_scripts(root))
    add(release_check(root))
    ffmpeg = package.find_runtime_tool(root, "ffmpeg")
    add(ok("package.ffmpeg", "doctor.ffmpeg_ok", path=str(ffmpeg)) if ffmpeg else warn("package.ffmpeg", "doctor.ffmpeg_missing", folder=str(root / "runtime")))
    missing = preflight.missing_assets(root, preflight.BASE_ASSETS)
    add(fail("package.pretrained", "doctor.pretrained_missing", path=str(missing[0])) if missing else ok("package.pretrained", "doctor.pretrained_ok"))
    add(path_check(root, options.windows))
    add(disk_check([root, layout.state]))
    return section, pkg


def _api_scripts(root: Path) -> CheckResult:
    present = [s for s in ("api.py", "api_v2.py") if (root / s).is_file()]
    if len(present) == 2:
        return ok("package.api", "doctor.api_both")
    missing = "api_v2.py" if present == ["api.py"] else "api.py"
    return warn("package.api", "doctor.api_one", present=present[0], missing=missing)


def release_check(root: Path) -> CheckResult:
    """Which release the package's code is, and what each of its servers loads (also in --json)."""
    from launcher.gsv import capabilities

    caps = capabilities.read(root)
    params = {"release": caps.release or "?", "summary": capabilities.summary(caps), "capabilities": caps.to_dict()}
    return ok("package.release", "doctor.release" if caps.release else "doctor.release_unknown", **params)


def path_check(root: Path, windows: bool) -> CheckResult:
    """A non-ASCII root breaks Windows packages older than upstream's fixes (PR #2112/#2114)."""
    if preflight.path_is_ascii_safe(root):
        return ok("package.path", "doctor.path_ascii")
    if not windows:
        return ok("package.path", "doctor.path_non_ascii_posix", root=str(root))
    fixed = preflight.has_non_ascii_fix(root)
    if fixed:
        return ok("package.path", "doctor.path_non_ascii_fixed", root=str(root))
    if fixed is None:
        return warn("package.path", "doctor.path_non_ascii_unknown", root=str(root))
    return fail("package.path", "doctor.path_non_ascii_old", root=str(root))


def free_bytes(path: Path) -> int:
    """Free space on the drive holding `path` (its nearest existing parent)."""
    p = Path(path)
    while not p.exists() and p.parent != p:
        p = p.parent
    return shutil.disk_usage(str(p)).free


def disk_check(paths: list[Path]) -> CheckResult:
    free, where = min((free_bytes(p), str(p)) for p in paths)
    params = {"path": where, "free": f"{free / 1024**3:.1f} GB"}
    if free < DISK_FAIL_BYTES:
        return fail("package.disk", "doctor.disk_very_low", **params)
    if free < DISK_WARN_BYTES:
        return warn("package.disk", "doctor.disk_low", **params)
    return ok("package.disk", "doctor.disk_ok", **params)


# --- the runtime's torch ------------------------------------------------------------------


def runtime_section(pkg: PackageState, layout: Layout, options: Options) -> Section:
    from launcher.gsv import probe
    from launcher.server.plan import child_env

    assert pkg.python is not None
    result = probe.probe(
        pkg.python,
        cache=layout.state / "runtime-probe.json",
        refresh=options.refresh,
        timeout=options.probe_timeout,
        cwd=pkg.root,
        env=child_env(pkg.root),
    )
    pkg.probe = result
    return Section("runtime", str(pkg.python), [torch_check(result)])


def torch_check(result) -> CheckResult:
    python = result.python or "?"
    if not result.ok:
        key = "doctor.probe_timeout" if result.timed_out else "doctor.probe_failed"
        return warn("runtime.torch", key, error=result.error or "?")
    if result.torch is None:
        return fail("runtime.torch", "doctor.torch_missing", error=result.error or "?", python=python)
    if not result.cuda_available:
        why = result.error or ("CPU-only build" if not result.cuda_build else "no usable NVIDIA GPU/driver")
        return ok("runtime.torch", "doctor.torch_cpu_only", torch=result.torch, python=python, reason=why)
    gpus = "; ".join(
        f"cuda:{g.index} {g.name} {g.memory_bytes / 1024**3:.0f} GB sm{g.capability[0]}.{g.capability[1]}"
        + (" fp16" if g.fp16 else " fp32")
        for g in result.devices
    )
    return ok("runtime.torch", "doctor.torch_ok", torch=result.torch, cuda=result.cuda_build or "?", gpus=gpus, python=python)


__all__ = ["CheckResult", "Section", "Report", "Options", "run_doctor", "OK", "WARN", "FAIL"]
