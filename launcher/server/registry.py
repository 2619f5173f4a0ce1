"""Running servers the launcher started, reconciled with the real processes.

One JSON file (versioned) in the state folder. A record is written *before*
the readiness wait, so a launcher killed mid-start leaves no forgotten server.
Every read checks each record against psutil: a PID whose process start time
no longer matches belongs to someone else now and is pruned (never killed);
a server whose process was replaced by upstream's `/control?command=restart`
is found again by the owner of its port.
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Iterator

from launcher.errors import LauncherError
from launcher.fsio import write_atomic

REGISTRY_VERSION = 1
START_TIME_TOLERANCE = 1.0  # seconds; psutil create_time is rounded on some systems


@dataclass
class ServerRecord:
    profile: str
    api: str
    host: str
    port: int
    pid: int
    create_time: float  # psutil's process start time: PID + this identify the process
    log: str
    root: str
    started_at: float = field(default_factory=time.time)
    display_name: str | None = None
    profile_path: str | None = None
    gpt: str | None = None
    sovits: str | None = None
    detached: bool = False
    launcher_pid: int | None = None
    state: str = "loading"  # loading -> (warming) -> ready; restarting: crashed, its supervisor restarts it
    # Restart on crash (launcher.server.supervise): the process that restarts this server, how
    # often it did, why the last one ended, and the marker `stop` sets so it never restarts.
    restart_on_crash: bool = False
    supervisor_pid: int | None = None
    supervisor_create_time: float | None = None
    restarts: int = 0
    last_crash: dict | None = None  # {at, code, key, params}
    stop_requested: bool = False

    @classmethod
    def from_dict(cls, data: dict) -> ServerRecord:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def _read(path: Path) -> list[ServerRecord]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        # A corrupt registry must not block the user: treat as empty; the
        # servers are still found by their ports when started again.
        return []
    if not isinstance(data, dict):
        return []
    records = data.get("servers", [])
    return [ServerRecord.from_dict(r) for r in records if isinstance(r, dict)]


def _write(path: Path, records: list[ServerRecord]) -> None:
    payload = {"version": REGISTRY_VERSION, "servers": [asdict(r) for r in records]}
    write_atomic(path, json.dumps(payload, ensure_ascii=False, indent=2))


@contextmanager
def locked(path: Path, timeout: float = 10.0) -> Iterator[None]:
    """An exclusive lock on `<path>.lock`: two launchers never interleave writes.

    The operating system's own file lock (filelock: flock on POSIX, LockFileEx on
    Windows), so it is released when its process ends, however it ends: a
    launcher killed mid-write leaves no stale lock behind to take over.
    """
    from filelock import FileLock, Timeout  # on first use: `--help` does not pay for the import

    lock_path = path.with_name(path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise LauncherError("registry.locked", path=str(lock_path)) from None
    try:
        yield
    finally:
        lock.release()


def process_matches(pid: int, create_time: float) -> bool:
    """The PID is alive and is still the process we started (not a reused PID)."""
    import psutil

    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return False
        return abs(proc.create_time() - create_time) <= START_TIME_TOLERANCE
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


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


UPSTREAM_SCRIPTS = {"api.py": "v1", "api_v2.py": "v2"}


def upstream_api(cmdline: list[str]) -> str | None:
    """"v1" or "v2" when the command line runs upstream's api.py or api_v2.py, else None."""
    for part in cmdline:
        api = UPSTREAM_SCRIPTS.get(Path(part).name)
        if api:
            return api
    return None


def _port_argument(cmdline: list[str]) -> int | None:
    """The value of `-p` / `--port` in an upstream command line."""
    for flag, value in zip(cmdline, cmdline[1:]):
        if flag in ("-p", "--port"):
            try:
                return int(value)
            except ValueError:
                return None
    return None


def replacement(rec: ServerRecord) -> tuple[dict, bool] | None:
    """The process that took over `rec`'s server after upstream's /control?command=restart
    (on Windows `os.execl` starts a new process with a new PID), and whether it listens yet.

    Only an api.py / api_v2.py started after the record counts: first the owner of the
    port, else (still loading: the port opens last) a process whose command line names
    the same port.
    """
    import psutil

    owner = port_owner(rec.port)
    if owner:
        if upstream_api(owner["cmdline"]) and owner["create_time"] >= rec.create_time - 1:
            return owner, True
        return None  # someone else holds the port now
    try:
        procs = list(psutil.process_iter(["pid", "cmdline", "create_time", "status"]))
    except psutil.Error:
        return None
    for proc in procs:
        info = proc.info
        cmdline = info.get("cmdline") or []
        if (
            info.get("status") != psutil.STATUS_ZOMBIE
            and upstream_api(cmdline)
            and _port_argument(cmdline) == rec.port
            and (info.get("create_time") or 0) >= rec.create_time - 1
        ):
            return {"pid": info["pid"], "cmdline": cmdline, "create_time": info["create_time"]}, False
    return None


def supervised(rec: ServerRecord) -> bool:
    """A live supervisor watches this record: between a crash and the restart it stays."""
    return bool(rec.supervisor_pid) and process_matches(rec.supervisor_pid, rec.supervisor_create_time or 0.0)


def _reconcile(records: list[ServerRecord]) -> tuple[list[ServerRecord], bool]:
    alive: list[ServerRecord] = []
    changed = False
    for rec in records:
        if process_matches(rec.pid, rec.create_time):
            alive.append(rec)
            continue
        found = replacement(rec)
        if found:
            # upstream's /control?command=restart re-executed the server as a new process.
            owner, listening = found
            rec.pid, rec.create_time = owner["pid"], owner["create_time"]
            if not listening:
                rec.state = "loading"
            alive.append(rec)
        elif supervised(rec):
            # Crashed; its supervisor is about to start it again: still ours, still stoppable.
            alive.append(rec)
            if rec.state == "restarting":
                continue
            rec.state = "restarting"
        changed = True
    return alive, changed


class Registry:
    def __init__(self, path: Path):
        self.path = Path(path)

    def servers(self) -> list[ServerRecord]:
        """Running servers, after pruning the dead (and saving the pruned list)."""
        if not self.path.exists():
            return []  # never started a server: nothing to prune, no lock to take (or import)
        with locked(self.path):
            records, changed = _reconcile(_read(self.path))
            if changed:
                _write(self.path, records)
        return records

    def add(self, record: ServerRecord) -> None:
        with locked(self.path):
            records = [r for r in _read(self.path) if not (r.port == record.port and r.host == record.host)]
            records.append(record)
            _write(self.path, records)

    def update(self, pid: int, **changes) -> None:
        with locked(self.path):
            records = _read(self.path)
            for rec in records:
                if rec.pid == pid:
                    for k, v in changes.items():
                        setattr(rec, k, v)
            _write(self.path, records)

    def remove(self, pid: int) -> None:
        with locked(self.path):
            records = _read(self.path)
            kept = [r for r in records if r.pid != pid]
            if len(kept) != len(records):
                _write(self.path, kept)

    def request_stop(self, host: str, port: int) -> ServerRecord | None:
        """Mark the server on host:port as asked to stop (its supervisor then never restarts
        it); returns the record as it is now (a supervisor may have restarted it meanwhile)."""
        with locked(self.path):
            records = _read(self.path)
            for rec in records:
                if rec.port == port and rec.host == host:
                    rec.stop_requested = True
                    _write(self.path, records)
                    return rec
        return None

    def replace(self, record: ServerRecord) -> bool:
        """A supervisor's restarted server takes the place of the crashed one, in one step under
        the lock: refused (False) when the old record is gone or marked stop-requested, or
        another supervisor holds it, so a `stop` is never undone."""
        with locked(self.path):
            records = _read(self.path)
            old = next((r for r in records if r.port == record.port and r.host == record.host), None)
            if old is None or old.stop_requested or old.supervisor_pid != record.supervisor_pid:
                return False
            records = [r for r in records if r is not old]
            records.append(record)
            _write(self.path, records)
            return True

    def find(self, *, profile: str | None = None, port: int | None = None) -> list[ServerRecord]:
        found = []
        for rec in self.servers():
            if profile is not None and profile not in (rec.profile, rec.display_name):
                continue
            if port is not None and rec.port != port:
                continue
            found.append(rec)
        return found
