"""The diagnostics bundle (诊断包): one zip a user can attach to a bug report.

It holds the launcher version, OS and Python, the doctor report, the settings,
every profile, the running-server registry and the newest server logs (their
tails). Every text goes through `Masker` first: the home folder becomes
`<HOME>`, the user name `<USER>`, and so does any other user's folder under
`Users\\` or `/home/` (8.3 short names such as `ADMINI~1` included), in plain,
JSON-escaped (`\\\\`) and forward-slash spellings.
"""

from __future__ import annotations

import getpass
import json
import os
import platform
import re
import sys
import time
import zipfile
from pathlib import Path

from launcher import __version__
from launcher.errors import LauncherError
from launcher.paths import Layout

LOG_FILES = 8  # newest server logs included
LOG_TAIL_BYTES = 256 * 1024  # of each
MIN_USER_LEN = 2  # a one-letter user name would mask every such letter


class Masker:
    """Replaces the home folder and the user name in any text."""

    def __init__(self, home: str | None = None, users: list[str] | None = None):
        home = home if home is not None else str(Path.home())
        names = users if users is not None else _user_names()
        self.home_variants = _path_variants(home.rstrip("\\/")) if len(home.strip("\\/")) > 1 else []
        names = sorted({n for n in names if n and len(n) >= MIN_USER_LEN}, key=len, reverse=True)
        self.user_re = (
            re.compile(r"(?<![A-Za-z0-9])(" + "|".join(re.escape(n) for n in names) + r")(?![A-Za-z0-9])", re.IGNORECASE)
            if names
            else None
        )
        # Any user's folder: C:\Users\<x>, C:\\Users\\<x>, /home/<x>, /Users/<x>.
        self.any_user_dir = re.compile(r"(?i)((?:[\\/]|\\\\)(?:Users|home)(?:[\\/]|\\\\)+)([^\\/\s\"':;,|<>]+)")

    def __call__(self, text: str) -> str:
        for variant in self.home_variants:
            text = re.sub(re.escape(variant), "<HOME>", text, flags=re.IGNORECASE)
        text = self.any_user_dir.sub(lambda m: m.group(1) + "<USER>", text)
        if self.user_re is not None:
            text = self.user_re.sub("<USER>", text)
        return text


def _user_names() -> list[str]:
    names = [os.environ.get(v, "") for v in ("USERNAME", "USER", "LOGNAME")]
    try:
        names.append(getpass.getuser())
    except Exception:  # getpass raises KeyError/OSError without a passwd entry: nothing to mask then
        pass
    names.append(Path.home().name)
    return [n for n in names if n]


def _path_variants(path: str) -> list[str]:
    variants = {path, path.replace("\\", "/"), path.replace("/", "\\"), path.replace("\\", "\\\\")}
    variants.add(path.replace("/", "\\").replace("\\", "\\\\"))
    return sorted(variants, key=len, reverse=True)


# --- contents --------------------------------------------------------------------------


def system_info() -> dict:
    frozen = bool(getattr(sys, "frozen", False))
    return {
        "launcher": __version__,
        "created": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "os": platform.platform(),
        "os_release": platform.release(),
        "machine": platform.machine(),
        "python": sys.version.split()[0],
        "python_impl": platform.python_implementation(),
        "executable": sys.executable,
        "frozen": frozen,
        "encoding": {"filesystem": sys.getfilesystemencoding(), "preferred": _preferred_encoding()},
    }


def _preferred_encoding() -> str:
    import locale

    try:
        return locale.getpreferredencoding(False)
    except Exception:  # a broken locale must not stop the bundle
        return "?"


def _read_text(path: Path, limit: int | None = None) -> str:
    with open(path, "rb") as f:
        if limit is not None:
            size = f.seek(0, os.SEEK_END)
            f.seek(max(0, size - limit))
        data = f.read()
    text = data.decode("utf-8", errors="replace")
    if limit is not None and len(data) >= limit:
        text = "[… earlier lines left out …]\n" + text.split("\n", 1)[-1]
    return text


def recent_logs(layout: Layout, count: int = LOG_FILES) -> list[Path]:
    if not layout.logs.is_dir():
        return []
    logs = [p for p in layout.logs.iterdir() if p.is_file() and (p.suffix == ".log" or p.name.endswith(".log.1"))]
    return sorted(logs, key=lambda p: p.stat().st_mtime, reverse=True)[:count]


def write_bundle(
    target: Path,
    *,
    layout: Layout,
    report: dict | None = None,
    extra: dict[str, str] | None = None,
    masker: Masker | None = None,
) -> Path:
    """Write the zip at `target` (a `.zip` file name, else a folder that gets a
    timestamped zip inside it); returns its path.

    `report` is the doctor report (`Report.to_dict()`); `extra` maps more member
    names to texts (masked like the rest).
    """
    mask = masker or Masker()
    target = Path(target)
    if target.is_dir() or target.suffix.lower() != ".zip":
        # A folder (existing or not): the zip gets a timestamped name inside it.
        target = target / f"sovits-launch-diagnostics-{time.strftime('%Y%m%d-%H%M%S')}.zip"
    members: dict[str, str] = {"system.json": _json(system_info())}
    if report is not None:
        members["doctor.json"] = _json(report)
    for name, path in _files(layout):
        try:
            members[name] = _read_text(path, LOG_TAIL_BYTES if name.startswith("logs/") else None)
        except OSError as exc:
            members[name + ".error.txt"] = f"{type(exc).__name__}: {exc}"
    members.update(extra or {})
    members["README.txt"] = _readme(sorted(members))
    tmp = target.with_name(target.name + ".tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for name, text in members.items():
                z.writestr(mask(name), mask(text))
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            tmp.unlink()  # never leave a half-written zip behind
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise LauncherError("fs.write_failed", path=str(target), reason=exc.strerror or str(exc)) from exc
        raise
    return target


def _files(layout: Layout) -> list[tuple[str, Path]]:
    out: list[tuple[str, Path]] = []
    if layout.settings_file.is_file():
        out.append(("settings.yaml", layout.settings_file))
    if layout.profiles.is_dir():
        for p in sorted(layout.profiles.iterdir()):
            if p.is_file() and p.suffix.lower() in (".yaml", ".yml"):
                out.append((f"profiles/{p.name}", p))
    if layout.registry_file.is_file():
        out.append(("servers.json", layout.registry_file))
    probe_cache = layout.state / "runtime-probe.json"
    if probe_cache.is_file():
        out.append(("runtime-probe.json", probe_cache))
    for log in recent_logs(layout):
        out.append((f"logs/{log.name}", log))
    return out


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def _readme(names: list[str]) -> str:
    return (
        "sovits-launch 诊断包 / diagnostics bundle\n\n"
        "用户名和用户文件夹已替换为 <USER> 和 <HOME>。\n"
        "The user name and home folder are replaced by <USER> and <HOME>.\n\n"
        "Contents:\n" + "".join(f"  {n}\n" for n in names)
    )


__all__ = ["Masker", "write_bundle", "system_info", "recent_logs"]
