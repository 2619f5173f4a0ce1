"""Finding GPT-SoVITS servers by their processes, without the registry.

The registry is the launcher's memory; this is the truth it is rebuilt from when the
file is damaged, and what `stop --all` and `status` add to it. A server counts when
`ownership.prove_ours` proves it upstream's (api.py / api_v2.py run from a package
root) *and* it belongs to this launcher: it carries the launcher's marker in its
environment (SOVITS_LAUNCH_OWNER, set at every spawn), or it runs from a root the
launcher knows (the one `init` remembered, those named in profiles or records).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from launcher.server.ownership import (
    LOG_ENV,
    MARKER_ENV,
    PROFILE_ENV,
    START_TIME_TOLERANCE,
    Proof,
    prove_ours,
    upstream_api,
)

DEFAULT_PORT = 9880
# argparse defaults of upstream's -a: api.py listens on all addresses, api_v2.py on loopback.
DEFAULT_HOSTS = {"v1": "0.0.0.0", "v2": "127.0.0.1"}


@dataclass
class Found:
    proof: Proof
    api: str
    host: str
    port: int
    marked: bool  # carries this launcher's marker: started by it
    profile: str | None = None  # from the marker's companions, when started by the launcher
    log: str | None = None
    gpt: str | None = None  # the weights and settings it was started with, when the command line tells
    sovits: str | None = None
    settings: dict | None = None


def option_value(cmdline: list[str], short: str, long: str) -> str | None:
    """An argparse option's value as upstream reads it: `-p 9880`, `--port 9880`,
    `--port=9880`, `-p=9880` or `-p9880`; the last one given wins."""
    value = None
    args = cmdline[1:]
    for i, arg in enumerate(args):
        if arg in (short, long):
            value = args[i + 1] if i + 1 < len(args) else value
        elif arg.startswith(long + "="):
            value = arg[len(long) + 1:]
        elif arg.startswith(short + "="):
            value = arg[len(short) + 1:]
        elif arg.startswith(short) and not arg.startswith("--") and arg[len(short):].isdigit():
            value = arg[len(short):]
    return value


def port_of(cmdline: list[str]) -> int | None:
    value = option_value(cmdline, "-p", "--port")
    if value is None:
        return DEFAULT_PORT
    try:
        return int(value)
    except ValueError:
        return None


def host_of(cmdline: list[str], api: str) -> str:
    return option_value(cmdline, "-a", "--bind_addr") or DEFAULT_HOSTS[api]


def _same_folder(a: str | Path, b: str | Path) -> bool:
    return os.path.normcase(os.path.realpath(str(a))) == os.path.normcase(os.path.realpath(str(b)))


def find_servers(marker: str, roots: Iterable[str | Path] = ()) -> list[Found]:
    """Every running GPT-SoVITS server of this launcher: marked, or from a known root."""
    import psutil

    known = [r for r in roots if r]
    found = []
    try:
        procs = list(psutil.process_iter(["pid", "cmdline"]))
    except psutil.Error:
        return []
    for proc in procs:
        cmdline = proc.info.get("cmdline") or []
        api = upstream_api(cmdline)
        if api is None:
            continue  # cheap filter first: only api.py / api_v2.py are looked at closer
        proof = prove_ours(proc)
        port = port_of(cmdline)
        if proof is None or port is None:
            continue
        try:
            env = proc.environ()
        except psutil.Error:
            env = {}
        marked = env.get(MARKER_ENV) == marker
        if not marked and not any(_same_folder(proof.root, r) for r in known):
            continue
        found.append(
            Found(
                proof=proof,
                api=api,
                host=host_of(cmdline, api),
                port=port,
                marked=marked,
                profile=env.get(PROFILE_ENV) if marked else None,
                log=env.get(LOG_ENV) if marked else None,
                **launch_facts(cmdline, api, proof.root),
            )
        )
    return _topmost(found)


def _topmost(found: list[Found]) -> list[Found]:
    """One entry per server: a Windows venv's python.exe is a redirector that runs the
    real interpreter, with the same command line, as its child; the parent stands for both."""
    import psutil

    pids = {f.proof.pid for f in found}

    def parent(f: Found) -> int | None:
        try:
            return psutil.Process(f.proof.pid).ppid()
        except psutil.Error:
            return None

    return [f for f in found if parent(f) not in pids]


def launch_facts(cmdline: list[str], api: str, root: str | None) -> dict:
    """Weights, device and precision from a server's command line: api.py's own options,
    or the tts_infer.yaml given to api_v2.py with -c (upstream rewrites it with what it
    loaded). Only what is written there; anything unreadable is left out."""
    if api == "v1":
        half = True if "-hp" in cmdline else (False if "-fp" in cmdline else None)
        device = option_value(cmdline, "-d", "--device")
        return {"gpt": option_value(cmdline, "-g", "--gpt_path"), "sovits": option_value(cmdline, "-s", "--sovits_path"),
                "settings": {"device": device, "half": half}}
    config = option_value(cmdline, "-c", "--tts_config")
    if not config:
        return {}
    path = Path(config) if Path(config).is_absolute() or not root else Path(root) / config
    try:
        import yaml

        custom = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("custom") or {}
    except (OSError, ValueError, AttributeError, yaml.YAMLError):
        return {}
    if not isinstance(custom, dict):
        return {}
    settings = None
    if isinstance(custom.get("device"), str) and isinstance(custom.get("is_half"), bool):
        settings = {"device": custom["device"], "half": custom["is_half"]}
    text = lambda key: custom.get(key) if isinstance(custom.get(key), str) else None  # noqa: E731
    return {"gpt": text("t2s_weights_path"), "sovits": text("vits_weights_path"), "settings": settings}


# --- the server that replaced a recorded process (upstream's restart) --------------------


def port_owner(port: int) -> dict | None:
    """The process listening on TCP `port`: {pid, name, cmdline, create_time}, or None."""
    import psutil

    try:
        conns = psutil.net_connections(kind="tcp")
    except (psutil.AccessDenied, OSError):
        return None
    for conn in conns:
        if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port and conn.pid:
            try:
                proc = psutil.Process(conn.pid)
                return {
                    "pid": proc.pid,
                    "name": proc.name(),
                    "cmdline": proc.cmdline(),
                    "create_time": proc.create_time(),
                }
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                return {"pid": conn.pid, "name": "?", "cmdline": [], "create_time": 0.0}
    return None


def _replaces(rec, pid: int) -> dict | None:
    """`pid` as the successor of `rec`'s process: upstream's server (ownership proof) from
    the record's own root, started after the record. Else None."""
    proof = prove_ours(pid)
    if proof is None or proof.create_time < rec.create_time - START_TIME_TOLERANCE:
        return None
    if rec.root and (proof.root is None or not _same_folder(proof.root, rec.root)):
        return None  # another package's server on this port: not this record's restart
    return {"pid": proof.pid, "cmdline": list(proof.cmdline), "create_time": proof.create_time}


def replacement(rec) -> tuple[dict, bool] | None:
    """The process that took over `rec`'s server after upstream's /control?command=restart
    (on Windows `os.execl` starts a new process with a new PID), and whether it listens yet.

    Only upstream's server from the record's root, started after the record, counts:
    first the owner of the port, else (still loading: the port opens last) a process
    whose command line names the same port.
    """
    import psutil

    owner = port_owner(rec.port)
    if owner:
        found = _replaces(rec, owner["pid"])
        return (found, True) if found else None  # else: someone else holds the port now
    try:
        procs = list(psutil.process_iter(["pid", "cmdline", "create_time"]))
    except psutil.Error:
        return None
    for proc in procs:
        cmdline = proc.info.get("cmdline") or []
        if not upstream_api(cmdline) or port_of(cmdline) != rec.port:
            continue
        if (proc.info.get("create_time") or 0) < rec.create_time - START_TIME_TOLERANCE:
            continue
        found = _replaces(rec, proc.info["pid"])
        if found:
            return found, False
    return None


def known_roots(layout) -> list[str]:
    """The GPT-SoVITS roots this launcher home knows: the remembered one and every
    profile's. A broken settings file or profile only takes its own root away."""
    from launcher.errors import LauncherError
    from launcher.paths import load_settings
    from launcher.profiles.schema import load_profile, profile_files

    roots: list[str] = []
    try:
        settings_root = load_settings(layout).gsv_root
    except LauncherError:
        settings_root = None
    if settings_root:
        roots.append(settings_root)
    try:
        files = profile_files(layout.profiles)
    except (LauncherError, OSError):
        files = []
    for path in files:
        try:
            root = load_profile(path).root
        except (LauncherError, OSError):
            continue
        if root:
            roots.append(root)
    return roots


__all__ = ["Found", "find_servers", "host_of", "known_roots", "option_value", "port_of", "port_owner", "replacement"]
