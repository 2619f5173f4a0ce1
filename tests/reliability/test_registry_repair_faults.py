"""Nothing lost while the registry is repaired.

A damaged registry is rebuilt in two writes: first a copy of the damaged file
(`servers.json.damaged-<time>`), then the rebuilt registry. Each write is failed in
each of test_nothing_lost.py's four ways (full disk, read-only disk, a locked file,
Ctrl+C), during a read (`status`: `Registry.servers`) and during a write (`start`:
`Registry.add`). After each: the damaged bytes still exist (in place, or as a complete
copy), no temporary file is left, the read still returned the running server, and
the next read without a fault does the repair.
"""

from __future__ import annotations

import json

import psutil
import pytest

from launcher.errors import LauncherError
from launcher.server.registry import Registry, ServerRecord

from helpers import snapshot
from helpers.live import sleeper  # noqa: F401  (a fixture)
from test_nothing_lost import MODES, Fault, assert_nothing_lost

STAGES = ["copy", "file"]
OPERATIONS = ["read", "write"]
CASES = [(o, s, m) for o in OPERATIONS for s in STAGES for m in MODES]


def _record(pid: int, created: float, port: int = 9880) -> ServerRecord:
    return ServerRecord(profile="nahida", api="v2", host="127.0.0.1", port=port, pid=pid, create_time=created,
                        log="x.log", root="")


def _damaged(path, sleeper) -> bytes:
    """A registry with one good record (a live process) and one of the wrong types."""
    good = Registry(path)
    good.add(_record(sleeper.pid, psutil.Process(sleeper.pid).create_time()))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["servers"].append({**data["servers"][0], "port": "九八八零"})
    damaged = json.dumps(data, ensure_ascii=False).encode("utf-8")
    path.write_bytes(damaged)
    return damaged


@pytest.mark.parametrize("operation,stage,mode", CASES, ids=[f"{o}-{s}-{m}" for o, s, m in CASES])
def test_a_failed_repair_loses_nothing(tmp_path, sleeper, operation, stage, mode):
    path = tmp_path / "state" / "servers.json"
    path.parent.mkdir()
    damaged = _damaged(path, sleeper)
    before = snapshot(tmp_path)
    registry = Registry(path, roots=lambda: [])

    def hits(dest) -> bool:
        return dest == path if stage == "file" else dest.name.startswith("servers.json.damaged-")

    patch = pytest.MonkeyPatch()
    fault = Fault(patch, mode, hits)
    try:
        if mode == "ctrl_c":
            with pytest.raises(KeyboardInterrupt):
                registry.servers() if operation == "read" else registry.add(_record(sleeper.pid, 0.0, 9881))
        elif operation == "read":
            # A read that cannot write still tells the truth: the live server, not a crash.
            assert [r.pid for r in registry.servers()] == [sleeper.pid]
        else:
            with pytest.raises(LauncherError) as info:
                registry.add(_record(sleeper.pid, 0.0, 9881))
            assert info.value.key in ("fs.write_failed", "fs.backup_failed"), info.value.key
    finally:
        patch.undo()
    assert fault.fired, "the fault was never reached"
    assert_nothing_lost(before, snapshot(tmp_path), path, damaged)
    # Without the fault, the repair happens (again) in full.
    assert [r.pid for r in registry.servers()] == [sleeper.pid]
    copies = sorted(path.parent.glob("servers.json.damaged-*"))
    assert copies and all(c.read_bytes() == damaged for c in copies)
    assert [r["pid"] for r in json.loads(path.read_text(encoding="utf-8"))["servers"]] == [sleeper.pid]
    notices = registry.take_notices()
    assert notices and notices[-1].key == "registry.repaired" and notices[-1].params["kept"] == 1


def test_the_repair_without_a_fault_keeps_the_copy_and_tells_once(tmp_path, sleeper):
    path = tmp_path / "servers.json"
    damaged = _damaged(path, sleeper)
    registry = Registry(path, roots=lambda: [])
    assert [r.pid for r in registry.servers()] == [sleeper.pid]
    [copy] = path.parent.glob("servers.json.damaged-*")
    assert copy.read_bytes() == damaged
    [notice] = registry.take_notices()
    assert (notice.key, notice.params["copy"], notice.params["kept"], notice.params["found"]) == (
        "registry.repaired", str(copy), 1, 0)
    assert "servers[1]" in notice.params["problem"]
    assert registry.take_notices() == []
    assert registry.servers()[0].pid == sleeper.pid and len(list(path.parent.glob("servers.json.damaged-*"))) == 1


def test_a_copy_that_cannot_be_made_leaves_the_damaged_file_and_says_so(tmp_path, sleeper):
    path = tmp_path / "servers.json"
    damaged = _damaged(path, sleeper)
    registry = Registry(path, roots=lambda: [])
    patch = pytest.MonkeyPatch()
    Fault(patch, "disk_full", lambda dest: dest.name.startswith("servers.json.damaged-"))
    try:
        assert [r.pid for r in registry.servers()] == [sleeper.pid]
        [notice] = registry.take_notices()
    finally:
        patch.undo()
    assert notice.key == "registry.repaired_no_copy"
    assert path.read_bytes() == damaged


def test_the_reliability_pages_give_this_count():
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs"
    assert f"{len(CASES)} more injected failures" in (docs / "en" / "reliability.md").read_text(encoding="utf-8")
    assert f"另有 {len(CASES)} 次注入" in (docs / "zh" / "reliability.md").read_text(encoding="utf-8")
