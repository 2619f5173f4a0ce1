"""`doctor --fix`: the fixes the launcher can make itself, planned first, then written.

- A profile without a usable reference (none, a missing file, not 3-10 s) whose
  character has one in the reference folders or in its training outputs
  (`logs/<experiment>/`): that clip, its transcript and language.
- What the doctor's device check finds wrong, where the answer is certain:
  no usable CUDA GPU -> `device: cpu` + `half: false`; a GPU without usable fp16,
  or half precision on the CPU -> `half: false`.

Everything else stays for the user: the report after the fixes names each with
its fix. Each profile file is changed once (comments kept, backup beside it,
atomic write); a file that cannot be written is reported and left as it was.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from launcher.errors import LauncherError
from launcher.paths import Layout, Settings
from launcher.profiles.schema import Profile

# The device check's findings (profile_checks.device_check) this module can settle.
DEVICE_FIXES: dict[str, dict[str, Any]] = {
    "doctor.device_no_cuda": {"device": "cpu", "half": False},
    "doctor.device_cpu_fallback": {"device": "cpu", "half": False},
    "doctor.gpu_weak": {"device": "cpu", "half": False},
    "doctor.half_unsupported": {"half": False},
    "doctor.half_on_cpu": {"half": False},
}
PROBE_CACHE = "runtime-probe.json"


@dataclass
class Fix:
    profile: str
    path: Path
    kind: str  # reference | device
    reason: str  # the message key saying why
    changes: dict[str, Any]
    before: dict[str, Any]
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Applied:
    path: Path
    profile: str
    backup: Path | None = None
    error: LauncherError | None = None


def probe_runtime(root: Path, python: Path, layout: Layout, *, refresh: bool = False, timeout: float = 120.0):
    """Ask the package's interpreter about torch/CUDA, as `doctor` does (same cache, cwd and env)."""
    from launcher.gsv import probe
    from launcher.server.plan import child_env

    return probe.probe(
        Path(python),
        cache=layout.state / PROBE_CACHE,
        refresh=refresh,
        timeout=timeout,
        cwd=Path(root),
        env=child_env(Path(root)),
    )


def plan_fixes(
    layout: Layout, settings: Settings, *, profile: str | None = None, probe: bool = True, refresh: bool = False
) -> list[Fix]:
    """Every fix that can be made, changing nothing."""
    fixes: list[Fix] = []
    runtimes: dict[Path, Any] = {}
    for prof in _profiles(layout, profile):
        root = _root(prof, settings)
        if root is None or not root.is_dir():
            continue
        fix = reference_fix(prof, root)
        if fix is not None:
            fixes.append(fix)
        if probe:
            if root not in runtimes:
                runtimes[root] = _probe(root, settings, layout, refresh)
            fix = device_fix(prof, runtimes[root])
            if fix is not None:
                fixes.append(fix)
    return fixes


def apply_fixes(fixes: list[Fix]) -> list[Applied]:
    """One write per profile file; a failure leaves that file as it was and the others go on."""
    from launcher.profiles.update import update_profile_file

    merged: dict[Path, dict[str, Any]] = {}
    names: dict[Path, str] = {}
    for fix in fixes:
        merged.setdefault(fix.path, {}).update(fix.changes)
        names[fix.path] = fix.profile
    done: list[Applied] = []
    for path, changes in merged.items():
        try:
            updated = update_profile_file(path, changes)
        except LauncherError as exc:
            done.append(Applied(path, names[path], error=exc))
            continue
        done.append(Applied(path, names[path], backup=updated.backup))
    return done


# --- the fixes ----------------------------------------------------------------------------------


def reference_fix(profile: Profile, root: Path) -> Fix | None:
    """A reference from the package when the profile's own is missing or unusable."""
    from launcher.profiles.initialize import choose_reference

    problem = _reference_problem(profile, root)
    if problem is None or profile.path is None:
        return None
    trial = copy.deepcopy(profile)
    trial.ref_audio = None
    found = choose_reference(root, trial, _experiment(profile))
    if found["source"] == "none" or trial.ref_audio == profile.ref_audio:
        return None
    changes: dict[str, Any] = {"ref_audio": trial.ref_audio, "prompt_text": trial.prompt_text}
    if found.get("lang") and found["lang"] != profile.prompt_lang:
        changes["prompt_lang"] = found["lang"]
    before = {"ref_audio": profile.ref_audio, "prompt_text": profile.prompt_text, "prompt_lang": profile.prompt_lang}
    params = {"problem": problem, **{k: v for k, v in found.items() if v is not None}}
    return Fix(profile.name, profile.path, "reference", "fix.reference", changes, {k: before[k] for k in changes}, params)


def device_fix(profile: Profile, result) -> Fix | None:
    """device/half where the doctor's device check finds them wrong for this runtime."""
    from launcher.doctor.profile_checks import device_check

    if result is None or not getattr(result, "ok", False) or not result.torch or profile.path is None:
        return None
    check = device_check(profile, result)
    wanted = DEVICE_FIXES.get(check.key)
    if check.status == "ok" or wanted is None:
        return None
    current = {"device": profile.device, "half": profile.half}
    changes = {k: v for k, v in wanted.items() if current[k] != v}
    if not changes:
        return None
    return Fix(profile.name, profile.path, "device", check.key, changes, {k: current[k] for k in changes}, dict(check.params))


def _reference_problem(profile: Profile, root: Path) -> str | None:
    """None when the reference passes the start's own check; else the message key of what is wrong."""
    from launcher.gsv import package
    from launcher.server import preflight

    if not profile.ref_audio:
        return "start.no_reference"
    try:
        ref = preflight.reference(profile, root, profile.api, package.find_runtime_tool(root, "ffprobe"))
    except LauncherError as exc:
        return exc.key
    return ref.notices[0].key if ref.notices else None


def _experiment(profile: Profile) -> str:
    from launcher.profiles.training import experiment_names

    names = experiment_names(profile.sovits, profile.gpt)
    return names[0] if names else profile.name


def _probe(root: Path, settings: Settings, layout: Layout, refresh: bool):
    from launcher.gsv import package

    try:
        info = package.inspect_root(root, Path(settings.python) if settings.python else None)
    except LauncherError:
        return None
    return probe_runtime(root, info.python, layout, refresh=refresh) if info.python else None


def _root(profile: Profile, settings: Settings) -> Path | None:
    chosen = profile.root or settings.gsv_root
    return Path(chosen).expanduser().resolve() if chosen else None


def _profiles(layout: Layout, name: str | None) -> list[Profile]:
    from launcher.profiles.schema import find_profile, load_profile, profile_files

    if name is not None:
        return [find_profile(name, layout.profiles)]
    out = []
    for path in profile_files(layout.profiles):
        try:
            out.append(load_profile(path))
        except LauncherError:
            continue  # the report shows what is wrong with it; nothing here can fix that
    return out


def to_dict(fix: Fix) -> dict[str, Any]:
    return {
        "profile": fix.profile,
        "path": str(fix.path),
        "kind": fix.kind,
        "reason": fix.reason,
        "changes": fix.changes,
        "before": fix.before,
        "params": fix.params,
    }


__all__ = ["Fix", "Applied", "plan_fixes", "apply_fixes", "probe_runtime", "reference_fix", "device_fix", "to_dict"]
