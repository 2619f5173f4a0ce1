"""What `list` and `status` show: profiles with their files' health, running servers.

Returns plain dataclasses; the CLI renders them as a table or --json.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from launcher.errors import LauncherError
from launcher.paths import Layout, Settings
from launcher.profiles.schema import Profile, load_profile, profile_files
from launcher.server.registry import Registry, ServerRecord


@dataclass
class FileState:
    path: str | None  # resolved path, None when the profile names none
    exists: bool


@dataclass
class ProfileRow:
    name: str
    file: str
    display_name: str | None = None
    api: str | None = None
    port: int | None = None
    gpt: FileState | None = None
    sovits: FileState | None = None
    ref_audio: FileState | None = None
    ref_seconds: float | None = None
    ref_ok: bool | None = None  # 3-10 s
    version: str | None = None
    running: list[dict] = field(default_factory=list)  # {port, pid, api, state}
    error: dict | None = None  # {key, params} when the profile file itself is broken

    def to_dict(self) -> dict:
        return asdict(self)


def profile_rows(layout: Layout, settings: Settings, registry: Registry | None = None) -> list[ProfileRow]:
    registry = registry or Registry(layout.registry_file)
    running = registry.servers()
    rows = []
    for path in profile_files(layout.profiles):
        try:
            profile = load_profile(path)
        except LauncherError as exc:
            rows.append(ProfileRow(name=path.stem, file=str(path), error={"key": exc.key, "params": exc.params}))
            continue
        rows.append(_row(profile, path, settings, running))
    return rows


def _row(profile: Profile, path: Path, settings: Settings, running: list[ServerRecord]) -> ProfileRow:
    from launcher import audio
    from launcher.gsv import package

    row = ProfileRow(
        name=profile.name,
        file=str(path),
        display_name=profile.display_name,
        api=profile.api,
        port=profile.port,
    )
    root_value = profile.root or settings.gsv_root
    root = Path(root_value) if root_value else None

    def state(value: str | None) -> FileState | None:
        if not value:
            return FileState(None, False)
        resolved = profile.resolve(value, root) if root else Path(value)
        return FileState(str(resolved), resolved.is_file())

    row.gpt, row.sovits, row.ref_audio = state(profile.gpt), state(profile.sovits), state(profile.ref_audio)
    if row.sovits and row.sovits.exists:
        try:
            row.version = package.sovits_version(Path(row.sovits.path)).version
        except LauncherError:
            row.version = "?"
    if row.ref_audio and row.ref_audio.exists:
        try:
            seconds = audio.measure(Path(row.ref_audio.path))
            row.ref_ok = audio.reference_in_range(seconds)  # on the exact length: 2.999 s rounds to 3.0
            row.ref_seconds = round(seconds, 6)
        except LauncherError:
            row.ref_ok = False
    row.running = [
        {"port": r.port, "pid": r.pid, "api": r.api, "state": r.state}
        for r in running
        if r.profile == profile.name
    ]
    return row


@dataclass
class ServerRow:
    profile: str
    display_name: str | None
    api: str
    host: str
    port: int
    pid: int
    state: str
    uptime_seconds: float
    memory_mb: float | None
    log: str
    detached: bool
    url: str
    gpt: str | None = None  # the weights loaded now (switches included)
    sovits: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def server_rows(layout: Layout, registry: Registry | None = None) -> list[ServerRow]:
    """The running servers, each in the state it is in now: a server a launcher killed
    mid-start left "loading" is ready once it answers; one that upstream's restart is
    reloading is "loading" until it answers again. Servers of this launcher whose record
    was lost are found by their marker and recorded again."""
    from launcher.gsv import client as gsv_api
    from launcher.server.watch import live_state

    registry = registry or Registry(layout.registry_file)
    rows = []
    for rec in registry.servers(scan=True):
        state = live_state(rec)
        if state != rec.state:
            rec.state = state
            rec.ready_at = rec.ready_at or (time.time() if state == "ready" else None)
            registry.update(rec.pid, state=state, ready_at=rec.ready_at)  # record what is true now
        rows.append(
            ServerRow(
                profile=rec.profile,
                display_name=rec.display_name,
                api=rec.api,
                host=rec.host,
                port=rec.port,
                pid=rec.pid,
                state=rec.state,
                uptime_seconds=round(time.time() - rec.started_at, 1),
                memory_mb=_tree_memory_mb(rec.pid),
                log=rec.log,
                detached=rec.detached,
                url=gsv_api.tts_url(rec.host, rec.port, rec.api),
                gpt=rec.gpt,
                sovits=rec.sovits,
            )
        )
    return rows


def _tree_memory_mb(pid: int) -> float | None:
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root] + root.children(recursive=True)
        total = 0
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return round(total / (1024 * 1024), 1)
    except psutil.Error:
        return None
