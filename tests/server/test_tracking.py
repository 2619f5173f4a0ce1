"""No window in which a server runs unrecorded.

A signal that ends the launcher (Ctrl+C, SIGTERM, a closed terminal) at any instant
between the spawn and the registry write either ends the child or leaves it recorded:
the launcher holds such signals until the record is written (process._SignalGuard).
SIGKILL cannot be held: the child carries the launcher's marker in its environment,
and a process scan finds it again.

Real processes: the stand-in package and `python -m launcher start ...`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from launcher.errors import Interrupted
from launcher.paths import Settings, layout
from launcher.profiles.schema import parse_profile
from launcher.server import process as process_module
from launcher.server.ownership import upstream_api
from launcher.server.plan import plan_start
from launcher.server.registry import Registry

from helpers import python_args, run_cli, standin_yaml, wait_for
from helpers.live import nahida, pkg, port  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name == "nt", reason="POSIX signals sent with os.kill")]
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def load_seconds(monkeypatch):
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "30")  # still loading whenever a signal lands
    return 30.0


def standins(root: Path) -> list[int]:
    """PIDs of the stand-in servers running from `root` (zombies are not running)."""
    pids = []
    for proc in psutil.process_iter(["pid", "cmdline", "status"]):
        if proc.info["status"] == psutil.STATUS_ZOMBIE or not upstream_api(proc.info["cmdline"] or []):
            continue
        try:
            if Path(proc.cwd()).resolve() == root.resolve():
                pids.append(proc.pid)
        except psutil.Error:
            continue
    return pids


def recorded_pids() -> set[int]:
    """The PIDs the registry file names, read as it is (no reconciling)."""
    path = layout().registry_file
    if not path.exists():
        return set()
    return {r["pid"] for r in json.loads(path.read_text(encoding="utf-8"))["servers"]}


def assert_every_server_recorded(root: Path) -> None:
    unrecorded = set(standins(root)) - recorded_pids()
    assert not unrecorded, f"running but not recorded: {unrecorded}"


def kill_standins(root: Path) -> None:
    for pid in standins(root):
        try:
            psutil.Process(pid).kill()
        except psutil.Error:
            pass
    wait_for(lambda: not standins(root), what="stand-ins gone")
    layout().registry_file.unlink(missing_ok=True)


@pytest.fixture
def cleanup(pkg):
    yield
    kill_standins(pkg.root)


def _launcher(args, **kw):
    return subprocess.Popen([sys.executable, "-m", "launcher", *args], cwd=str(REPO), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, **kw)


# --- in-process: the signal lands exactly in the window ------------------------------------------


def _plan(pkg, port):
    profile = parse_profile(standin_yaml(pkg, port), Path("/p/nahida.yaml"))
    return plan_start(profile, layout=layout(), settings=Settings(), python=pkg.python or sys.executable)


def _signal_at(monkeypatch, where: str) -> list[subprocess.Popen]:
    """Send this process SIGINT at `where` in the spawn: right after Popen returns, just
    before the record is written, or right after it is written. (Undone by `_restore`:
    monkeypatch.undo() would also undo the test's own launcher home.)"""
    spawned: list[subprocess.Popen] = []
    real_popen, real_add = subprocess.Popen, Registry.add

    def popen(*a, **kw):
        proc = real_popen(*a, **kw)
        spawned.append(proc)
        if where == "after_popen":
            os.kill(os.getpid(), signal.SIGINT)
        return proc

    def add(self, record):
        if where == "before_record":
            os.kill(os.getpid(), signal.SIGINT)
        real_add(self, record)
        if where == "after_record":
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.setattr(Registry, "add", add)
    def restore():
        monkeypatch.setattr(subprocess, "Popen", real_popen)
        monkeypatch.setattr(Registry, "add", real_add)

    _restore.append(restore)
    return spawned


_restore: list = []


def _undo_signals() -> None:
    while _restore:
        _restore.pop()()


WINDOW = ["after_popen", "before_record", "after_record"]


@pytest.mark.parametrize("where", WINDOW)
@pytest.mark.parametrize("detach", [False, True])
def test_ctrl_c_in_the_spawn_window_of_a_start_ends_the_child(nahida, port, monkeypatch, cleanup, where, detach):
    spawned = _signal_at(monkeypatch, where)
    with pytest.raises(Interrupted) as e:
        process_module.run(_plan(nahida, port), layout=layout(), detach=detach, timeout=20)
    _undo_signals()
    assert e.value.key == "start.interrupted" and e.value.params["port"] == port
    assert len(spawned) == 1 and spawned[0].poll() is not None  # ended and reaped
    assert standins(nahida.root) == [] and Registry(layout().registry_file).servers() == []


@pytest.mark.parametrize("where", WINDOW)
def test_ctrl_c_in_the_spawn_window_of_a_bare_spawn_leaves_it_recorded(nahida, port, monkeypatch, cleanup, where):
    """`spawn` alone (the demo uses it) does not stop what it started: the signal waits
    until the record is written, then interrupts."""
    spawned = _signal_at(monkeypatch, where)
    with pytest.raises(KeyboardInterrupt):
        process_module.spawn(_plan(nahida, port), layout=layout(), detach=True)
    _undo_signals()
    assert [p.pid for p in spawned] == standins(nahida.root)
    assert [r.pid for r in Registry(layout().registry_file).servers()] == [spawned[0].pid]


# --- a real launcher, held between the spawn and the record --------------------------------------

# Holds the registry lock (as another launcher writing would) until its stdin closes.
HOLD_REGISTRY = """
import sys
from pathlib import Path
from launcher.paths import layout
from launcher.server.registry import locked
with locked(layout().registry_file):
    Path(sys.argv[1]).write_text("held")
    sys.stdin.read()
"""


@pytest.fixture
def registry_held(tmp_path):
    """The registry lock taken by another process: a start spawns its server, then waits to record it."""
    marker = tmp_path / "held"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_REGISTRY, str(marker)], cwd=str(REPO), stdin=subprocess.PIPE)
    wait_for(lambda: marker.exists() or holder.poll() is not None, what="the registry lock taken")
    assert holder.poll() is None
    yield holder
    if holder.poll() is None:
        holder.kill()
    holder.wait()


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT", "SIGHUP"])
@pytest.mark.parametrize("detach", [False, True])
def test_a_signal_while_the_record_waits_ends_the_child(nahida, port, registry_held, cleanup, signame, detach):
    launcher = _launcher(["nahida", *(["--detach"] if detach else []), *python_args(nahida)])
    child = wait_for(lambda: standins(nahida.root), what="the server spawned")[0]
    launcher.send_signal(getattr(signal, signame))
    time.sleep(0.3)
    assert launcher.poll() is None, "the launcher ended with its server unrecorded"
    assert psutil.pid_exists(child)
    registry_held.stdin.close()  # the record can be written now; then the held signal is delivered
    assert launcher.wait(timeout=20) == 130, launcher.stdout.read().decode()
    out = launcher.stdout.read().decode()
    assert f"端口 {port} 已释放" in out
    wait_for(lambda: not standins(nahida.root), what="the server ended")
    assert recorded_pids() == set()


def test_sigkill_while_the_record_waits_the_scan_finds_the_child(nahida, port, registry_held, capsys, cleanup):
    """SIGKILL cannot be held: the server is unrecorded, but carries the launcher's marker."""
    launcher = _launcher(["nahida", "--detach", *python_args(nahida)])
    child = wait_for(lambda: standins(nahida.root), what="the server spawned")[0]
    launcher.kill()
    launcher.wait()
    registry_held.stdin.close()
    registry_held.wait(timeout=20)
    assert recorded_pids() == set() and standins(nahida.root) == [child]
    rows = json.loads(run_cli(capsys, "status", "--json")[1])["data"]
    assert [(r["profile"], r["pid"], r["port"]) for r in rows] == [("nahida", child, port)]
    assert recorded_pids() == {child}
    assert run_cli(capsys, "stop", "nahida")[0] == 0
    wait_for(lambda: not standins(nahida.root), what="the server ended")


# --- many instants -------------------------------------------------------------------------------


def _spawn_delay(args, root) -> float:
    """How long after its start a launcher spawns the server (measured once)."""
    began = time.monotonic()
    launcher = _launcher(args)
    wait_for(lambda: standins(root), what="the server spawned")
    delay = time.monotonic() - began
    launcher.send_signal(signal.SIGINT)
    launcher.wait(timeout=20)
    kill_standins(root)
    return delay


@pytest.mark.parametrize("detach", [False, True])
def test_signals_at_many_instants_never_leave_a_server_unrecorded(nahida, port, monkeypatch, cleanup, detach):
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.3")  # the later instants land after ready
    args = ["nahida", *(["--detach"] if detach else []), *python_args(nahida)]
    spawn_at = _spawn_delay(args, nahida.root)
    outcomes, shown = [], []
    left_running = "在后台运行" if detach else None  # what a finished detached start says
    # 0.0: at once, so one signal always lands before the start is done, however the
    # machine's load made the measured delay differ from the real ones.
    for i, factor in enumerate((0.0, 0.5, 0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.3, 2.5)):
        launcher = _launcher(args)
        time.sleep(spawn_at * factor)
        launcher.send_signal(signal.SIGTERM if i % 2 else signal.SIGINT)
        code = launcher.wait(timeout=30)
        assert_every_server_recorded(nahida.root)
        text = launcher.stdout.read().decode()
        running = bool(standins(nahida.root))
        outcomes.append((code, running, bool(left_running and left_running in text)))
        shown.append(f"{factor}×{spawn_at:.2f}s {'TERM' if i % 2 else 'INT'}: exit {code}, "
                     f"{'running' if running else 'gone'}; {text[-300:]!r}")
        kill_standins(nahida.root)
    report = "\n".join(shown)
    ended = {130, -signal.SIGINT, -signal.SIGTERM}
    # A server is left running exactly when the launcher said so: a detached start that
    # was done. (A signal that lands while that finished launcher exits may still end
    # the launcher itself by the signal's default action: its server stays, recorded.)
    assert all(running == said for _, running, said in outcomes), report
    # Before the spawn, and while loading or following: the start ends (130, or the
    # signal's default action before the launcher's handlers exist), its server gone.
    assert all(code in ended for code, running, _ in outcomes if not running), report
    assert all(running for code, running, _ in outcomes if code == 0), report
    assert any(not running for _, running, _ in outcomes), report
