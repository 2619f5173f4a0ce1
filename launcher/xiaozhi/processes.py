"""xiaozhi-server from source: its running `app.py` and its Python.

xiaozhi's docs start it with `python app.py` in main/xiaozhi-server, inside the
conda env `xiaozhi-esp32-server` (docs/Deployment.md, 方式二). A process is
xiaozhi's only when its working directory is that folder and its script
argument is that folder's `app.py`: nothing else is ever stopped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

CONDA_ENV = "xiaozhi-esp32-server"  # the env name xiaozhi's docs create


@dataclass
class AppProcess:
    pid: int
    create_time: float
    exe: str  # the interpreter (psutil's exe(), absolute)
    cmdline: list  # as started
    cwd: str
    environ: Optional[dict] = None  # None when the OS does not let us read it
    parent_name: str = ""
    parent_pid: Optional[int] = None


@dataclass
class FoundPython:
    path: Path
    how: str  # "option" | "running" | "env"
    env: dict = field(default_factory=dict)  # extra environment (the running app's, a conda env's PATH)


def _same(a: str, b: Path) -> bool:
    try:
        return os.path.normcase(str(Path(a).resolve())) == os.path.normcase(str(Path(b).resolve()))
    except OSError:
        return False


def find_app_processes(folder: Path) -> list:
    """Running `app.py` processes of the xiaozhi-server in `folder`."""
    import psutil

    app = Path(folder) / "app.py"
    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "cwd", "exe", "create_time"]):
        info = proc.info
        cmdline, cwd = info.get("cmdline") or [], info.get("cwd")
        if not cwd or not _same(cwd, folder):
            continue
        script = _script(cmdline)
        if script is None or Path(script).name != "app.py":
            continue
        if not _same(os.path.join(cwd, script), app):
            continue
        found.append(_describe(proc, info))
    # A Windows venv's python.exe runs the base interpreter as its child, with the same
    # command line and folder: the outermost one is what the user started.
    pids = {p.pid for p in found}
    return [p for p in found if p.parent_pid not in pids]


def _script(cmdline: list) -> Optional[str]:
    """The script argument of a python command line (None for -m/-c)."""
    args = iter(cmdline[1:])
    for arg in args:
        if arg in ("-m", "-c"):
            return None
        if arg in ("-X", "-W"):
            next(args, None)  # the option's value
            continue
        if not arg.startswith("-"):
            return arg
    return None


def _describe(proc, info: dict) -> AppProcess:
    import psutil

    try:
        environ = proc.environ()
    except (psutil.Error, OSError):
        environ = None
    try:
        parent = proc.parent()
        parent_name, parent_pid = (parent.name(), parent.pid) if parent else ("", None)
    except psutil.Error:
        parent_name, parent_pid = "", None
    cmdline = list(info["cmdline"])
    return AppProcess(
        pid=info["pid"], create_time=info.get("create_time") or 0.0,
        exe=interpreter(cmdline, info.get("exe") or cmdline[0], info["cwd"], environ),
        cmdline=cmdline, cwd=info["cwd"], environ=environ, parent_name=parent_name, parent_pid=parent_pid,
    )


def interpreter(cmdline: list, exe: str, cwd: str, environ: Optional[dict]) -> str:
    """The interpreter as the user named it: a venv's `bin/python` is a link to the base
    Python, and only the link's path makes Python use the venv (psutil's exe() resolves it)."""
    import shutil

    first = cmdline[0] if cmdline else ""
    if first and os.path.isabs(first) and os.path.isfile(first):
        return first
    if first and (os.sep in first or (os.altsep and os.altsep in first)):
        candidate = os.path.join(cwd, first)
        if os.path.isfile(candidate):
            return candidate
    if first and environ and environ.get("PATH"):
        found = shutil.which(first, path=environ["PATH"])
        if found:
            return found
    return exe


def find_python(folder: Path, explicit: Optional[Path] = None) -> Optional[FoundPython]:
    """xiaozhi's interpreter: --python, else the running app.py's, else an env in or beside the folder."""
    if explicit is not None:
        return FoundPython(Path(explicit), "option", _env_path(Path(explicit)))
    for proc in find_app_processes(folder):
        env = {k: v for k, v in (proc.environ or {}).items() if k.upper() in ("PATH", "CONDA_PREFIX", "LD_LIBRARY_PATH")}
        return FoundPython(Path(proc.exe), "running", env)
    for python in env_pythons(folder):
        return FoundPython(python, "env", _env_path(python))
    return None


def env_pythons(folder: Path) -> list:
    """Interpreters of a venv or conda env in or beside the xiaozhi-server folder, and of the
    conda env named as xiaozhi's docs name it."""
    folder = Path(folder)
    roots = [folder, folder.parent]
    if folder.parent.name == "main":  # main/xiaozhi-server in the repository: its root too
        roots.append(folder.parent.parent)
    envs = [root / name for root in roots for name in ("venv", ".venv", "env", CONDA_ENV)]
    envs += [base / "envs" / CONDA_ENV for base in conda_bases()]
    found = []
    for env in envs:
        for python in (env / "python.exe", env / "Scripts" / "python.exe", env / "bin" / "python"):
            if python.is_file() and python not in found:
                found.append(python)
                break
    return found


def conda_bases() -> list:
    """Where conda installs live: the active one, then the usual install folders."""
    bases = []
    for variable in ("CONDA_PREFIX", "CONDA_ROOT", "MAMBA_ROOT_PREFIX"):
        value = os.environ.get(variable)
        if value:
            path = Path(value)
            bases.append(path.parent.parent if path.parent.name == "envs" else path)
    home = Path.home()
    for name in ("miniconda3", "anaconda3", "miniforge3", "mambaforge", "Miniconda3", "Anaconda3"):
        bases += [home / name, Path("C:/ProgramData") / name] if os.name == "nt" else [home / name, Path("/opt") / name]
    return bases


def _env_path(python: Path) -> dict:
    """PATH as `conda activate` sets it: the env's DLL/lib folders first (libopus, ffmpeg)."""
    env_dir = python.parent.parent if python.parent.name in ("bin", "Scripts") else python.parent
    extra = [env_dir / "Library" / "bin", env_dir / "Scripts", env_dir] if os.name == "nt" else [env_dir / "bin"]
    extra = [str(p) for p in extra if p.is_dir()]
    if not extra:
        return {}
    return {"PATH": os.pathsep.join(extra + [os.environ.get("PATH", "")])}


def display_command(proc: AppProcess) -> str:
    """The command that started it, to run again in its folder."""
    import shlex
    import subprocess

    argv = [proc.exe] + proc.cmdline[1:]
    return subprocess.list2cmdline(argv) if os.name == "nt" else shlex.join(argv)
