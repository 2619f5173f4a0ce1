"""Running servers the launcher started, reconciled with the real processes.

One JSON file (versioned) in the state folder. A record is written *before*
the readiness wait (and signals wait until it is: `process.run`), so a launcher
killed mid-start leaves no forgotten server. Every read checks each record against
psutil: a PID whose process start time no longer matches belongs to someone else
now and is pruned (never killed); a server whose process was replaced by upstream's
`/control?command=restart` is found again by the owner of its port.

A damaged file (not JSON, wrong types, missing fields) never hides a server: the
good records are kept, the running servers are found again by a process scan
(`scan.find_servers`), the damaged file is kept as `servers.json.damaged-<time>`,
and the repair is told once (`take_notices`).

Besides the servers the file keeps `stop_requests`: who asked `stop` to end which
process, so the window that watches the server can tell a requested stop from a crash.
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from launcher.errors import LauncherError, Notice
from launcher.fsio import backup, write_atomic
from launcher.server.ownership import UPSTREAM_SCRIPTS, launcher_marker, package_root, same_process, upstream_api
from launcher.server.scan import port_owner, replacement

REGISTRY_VERSION = 1
# loading -> ready; ready -> loading again while upstream's /control?command=restart
# reloads; any -> stopping (a `stop` is ending it)
STATES = ("loading", "ready", "stopping")
STOP_REQUEST_KEEP = 3600.0  # seconds a stop request is remembered for the window that watches

_REQUIRED = {"profile": str, "api": str, "host": str, "port": int, "pid": int, "create_time": float, "log": str, "root": str}
_OPTIONAL = {
    "started_at": float, "display_name": str, "profile_path": str, "gpt": str, "sovits": str,
    "detached": bool, "launcher_pid": int, "state": str, "settings": dict, "ready_at": float,
}


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
    state: str = "loading"  # see STATES
    # What the server was started with besides the weights (device, half, python):
    # a switch must not ignore a change in them. None: not known (an older record, a scan).
    settings: dict | None = None
    # When it first answered: "loading" after that is a reload (upstream's restart), not a start in progress.
    ready_at: float | None = None

    @classmethod
    def from_dict(cls, data: dict) -> ServerRecord:
        """A record from the file; ValueError naming the field when it is malformed."""
        if not isinstance(data, dict):
            raise ValueError("not an object")
        values = {}
        for name, kind in {**_REQUIRED, **_OPTIONAL}.items():
            if name not in data:
                if name in _REQUIRED:
                    raise ValueError(f"'{name}' missing")
                continue
            value = data[name]
            if value is None and name in _OPTIONAL and name not in ("started_at", "detached", "state"):
                values[name] = None
            elif _is(value, kind):
                values[name] = float(value) if kind is float else value
            else:
                raise ValueError(f"'{name}' is {type(value).__name__}")
        if not 1 <= values["port"] <= 65535 or values["pid"] <= 0:
            raise ValueError("'port' or 'pid' out of range")
        if values.get("state", "loading") not in STATES or values["api"] not in UPSTREAM_SCRIPTS.values():
            raise ValueError("'state' or 'api' unknown")
        return cls(**values)


def _is(value, kind) -> bool:
    if isinstance(value, bool):
        return kind is bool  # JSON true is not a port
    if kind is float:
        return isinstance(value, (int, float))
    return isinstance(value, kind)


@dataclass
class _State:
    records: list[ServerRecord]
    stop_requests: list[dict] = field(default_factory=list)
    repairs: list[dict] = field(default_factory=list)  # told once, then dropped
    damage: str | None = None  # what is wrong with the file, when it is
    copy_failed: LauncherError | None = None  # the damaged file could not be kept: do not overwrite it


def _read(path: Path) -> _State:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return _State([])
    except (OSError, UnicodeDecodeError) as exc:
        return _State([], damage=f"{type(exc).__name__}: {exc}")
    try:
        data = json.loads(text)
    except ValueError as exc:
        return _State([], damage=f"JSON: {exc}")
    if not isinstance(data, dict) or not isinstance(data.get("servers", []), list):
        return _State([], damage="not a registry object")
    state = _State([])
    problems = []
    for i, raw in enumerate(data.get("servers", [])):
        try:
            state.records.append(ServerRecord.from_dict(raw))
        except (ValueError, TypeError) as exc:
            problems.append(f"servers[{i}]: {exc}")
    if problems:
        state.damage = "; ".join(problems)
    state.stop_requests = [r for r in _list(data, "stop_requests") if _stop_request_ok(r)]
    state.repairs = [r for r in _list(data, "repairs") if _repair_ok(r)]
    return state


def _list(data: dict, key: str) -> list:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _repair_ok(repair) -> bool:
    return (isinstance(repair, dict) and isinstance(repair.get("path"), str)
            and isinstance(repair.get("copy"), (str, type(None))) and _is(repair.get("at"), float))


def _stop_request_ok(req) -> bool:
    return isinstance(req, dict) and all(_is(req.get(k), float) for k in ("pid", "create_time", "at"))


def _write(path: Path, state: _State) -> None:
    if state.copy_failed is not None:
        raise state.copy_failed  # the damaged file is all there is of it: never overwritten uncopied
    now = time.time()
    payload = {
        "version": REGISTRY_VERSION,
        "servers": [asdict(r) for r in state.records],
        "stop_requests": [r for r in state.stop_requests if now - r["at"] < STOP_REQUEST_KEEP],
    }
    if state.repairs:
        payload["repairs"] = state.repairs
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
        return same_process(proc.create_time(), create_time)
    except (psutil.NoSuchProcess, psutil.AccessDenied, ValueError):
        return False


def _reconcile(records: list[ServerRecord], stop_requests: list[dict] = ()) -> tuple[list[ServerRecord], bool]:
    alive: list[ServerRecord] = []
    changed = False
    for rec in records:
        if process_matches(rec.pid, rec.create_time):
            if rec.state == "stopping" and not _stopper_alive(rec, stop_requests):
                rec.state = "loading"  # its `stop` was killed half-way: running still (status asks it)
                changed = True
            alive.append(rec)
            continue
        found = replacement(rec)
        if found:
            # upstream's /control?command=restart re-executed the server as a new process.
            owner, listening = found
            rec.pid, rec.create_time = owner["pid"], owner["create_time"]
            if not listening and rec.state != "stopping":
                rec.state = "loading"
            alive.append(rec)
        changed = True
    return alive, changed


def _stopper_alive(rec: ServerRecord, stop_requests: list[dict]) -> bool:
    import psutil

    for req in reversed(stop_requests):
        if req["pid"] == rec.pid and same_process(req["create_time"], rec.create_time):
            by = req.get("by")
            return isinstance(by, int) and psutil.pid_exists(by)
    return False


def record_from_scan(found) -> ServerRecord:
    """A record for a server only the process scan knows (`scan.Found`)."""
    proof = found.proof
    return ServerRecord(
        profile=found.profile or f":{found.port}",
        api=found.api,
        host=found.host,
        port=found.port,
        pid=proof.pid,
        create_time=proof.create_time,
        log=found.log or "",
        root=proof.root or "",
        started_at=proof.create_time,
        detached=True,
        state="loading",  # `status` asks it whether it answers
        gpt=found.gpt,
        sovits=found.sovits,
        settings=found.settings,
    )


class Registry:
    """The registry file at `path`. `roots` gives the GPT-SoVITS roots this launcher
    knows (for finding servers again when the file is damaged); by default the ones of
    the launcher home whose registry this is."""

    def __init__(self, path: Path, *, roots: Callable[[], list[str]] | None = None):
        self.path = Path(path)
        self._roots = roots

    @property
    def marker(self) -> str:
        return launcher_marker(self.path)

    def known_roots(self, records: list[ServerRecord] = ()) -> list[str]:
        roots = self._roots() if self._roots else _home_roots(self.path)
        return roots + [r.root for r in records if r.root]

    def scan(self, records: list[ServerRecord] = (), *, marked_only: bool = False) -> list:
        """Servers of this launcher the process scan finds and `records` do not name:
        marked by it, and (unless `marked_only`) run from a root it knows."""
        from launcher.server.scan import find_servers

        named = {r.pid for r in records}
        roots = [] if marked_only else self.known_roots(records)
        return [f for f in find_servers(self.marker, roots) if f.proof.pid not in named and (f.marked or not marked_only)]

    # --- reading and writing, always under the lock ---

    def _load(self) -> tuple[_State, bool]:
        """The file's state, repaired when damaged; True when it must be written back."""
        state = _read(self.path)
        if state.damage is None:
            return state, False
        return self._repair(state), True

    def _repair(self, state: _State) -> _State:
        found = [record_from_scan(f) for f in self.scan(state.records)]
        kept = len(state.records)
        state.records += found
        try:
            copy = backup(self.path, tag="damaged")
        except LauncherError as exc:
            copy, state.copy_failed = None, exc
        state.repairs.append({
            "path": str(self.path), "copy": str(copy) if copy else None, "problem": state.damage[:300],
            "kept": kept, "found": len(found), "at": time.time(),
        })
        state.damage = None
        return state

    def _save(self, state: _State, *, reading: bool) -> None:
        """Write the state back. A read (`servers`) that cannot write still returns what
        is true; the repair is then done (and told) again on the next read."""
        try:
            _write(self.path, state)
        except LauncherError:
            if not reading:
                raise

    def servers(self, *, scan: bool = False) -> list[ServerRecord]:
        """Running servers, after pruning the dead (and saving the pruned list).

        `scan`: also adopt servers this launcher started whose record was lost (they carry
        its marker), e.g. a launcher killed between the spawn and the record.
        """
        if not self.path.exists():
            # Never started a server: nothing to prune, no lock to take (or import)...
            if not scan or not self.scan(marked_only=True):
                return []
            # ...unless one was started and its launcher killed before the first record.
        with locked(self.path):
            state, changed = self._load()
            state.records, pruned = _reconcile(state.records, state.stop_requests)
            if scan:
                lost = [record_from_scan(f) for f in self.scan(state.records, marked_only=True)]
                state.records += lost
                changed = changed or bool(lost)
            if changed or pruned:
                self._save(state, reading=True)
        return state.records

    def add(self, record: ServerRecord) -> None:
        with locked(self.path):
            state, _ = self._load()
            state.records = [r for r in state.records if not (r.port == record.port and r.host == record.host)]
            state.records.append(record)
            _write(self.path, state)

    def update(self, pid: int, **changes) -> None:
        with locked(self.path):
            state, _ = self._load()
            for rec in state.records:
                if rec.pid == pid:
                    for k, v in changes.items():
                        setattr(rec, k, v)
            _write(self.path, state)

    def remove(self, pid: int) -> None:
        with locked(self.path):
            state, repaired = self._load()
            kept = [r for r in state.records if r.pid != pid]
            if len(kept) != len(state.records) or repaired:
                state.records = kept
                _write(self.path, state)

    def find(self, *, profile: str | None = None, port: int | None = None) -> list[ServerRecord]:
        found = []
        for rec in self.servers():
            if profile is not None and profile not in (rec.profile, rec.display_name):
                continue
            if port is not None and rec.port != port:
                continue
            found.append(rec)
        return found

    # --- stop requests: a stop is not a crash ---

    def request_stop(self, record: ServerRecord, by: int) -> None:
        """Say, before the process is ended, that `by` (a PID) asked for it: the window
        following the server reads it when its server ends."""
        with locked(self.path):
            state, _ = self._load()
            for rec in state.records:
                if rec.pid == record.pid:
                    rec.state = "stopping"
            state.stop_requests.append({"pid": record.pid, "create_time": record.create_time, "by": by, "at": time.time()})
            _write(self.path, state)

    def stop_request(self, pid: int, create_time: float) -> dict | None:
        """The stop request for this process, if one was made: {pid, create_time, by, at}."""
        if not self.path.exists():
            return None
        with locked(self.path):
            state = _read(self.path)
        for req in reversed(state.stop_requests):
            if req["pid"] == pid and same_process(req["create_time"], create_time):
                return req
        return None

    # --- the repair, told once ---

    def take_notices(self) -> list[Notice]:
        """Repairs not told yet, as notices; told ones are forgotten (written back)."""
        if not self.path.exists():
            return []
        with locked(self.path):
            state, _ = self._load()
            if not state.repairs:
                return []
            repairs, state.repairs = state.repairs, []
            try:
                _write(self.path, state)
            except LauncherError:
                pass  # told now; the file still says so, and will again
        return [_repair_notice(r) for r in repairs]


def _repair_notice(repair: dict) -> Notice:
    params = {"path": repair.get("path", ""), "problem": repair.get("problem", ""),
              "found": repair.get("found", 0), "kept": repair.get("kept", 0)}
    if repair.get("copy"):
        return Notice("registry.repaired", copy=repair["copy"], **params)
    return Notice("registry.repaired_no_copy", **params)


def _home_roots(registry_file: Path) -> list[str]:
    """The roots of the launcher home whose registry file this is (none for another file)."""
    from launcher.paths import layout
    from launcher.server.scan import known_roots

    where = layout()
    if where.registry_file.resolve() != Path(registry_file).resolve():
        return []
    return known_roots(where)


__all__ = [
    "Registry",
    "STATES",
    "ServerRecord",
    "locked",
    "package_root",
    "port_owner",
    "process_matches",
    "record_from_scan",
    "replacement",
    "upstream_api",
]
