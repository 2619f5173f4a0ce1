"""A damaged registry never hides a running server, and never crashes a verb.

The registry file is overwritten while a real (stand-in) server runs: with text that
is not JSON, with the wrong shape, with records of the wrong types or missing fields.
`status`, `list`, `start` and `stop` go on working; the server is found again by a
process scan (its launcher's marker, or a GPT-SoVITS root the launcher knows); the
damaged file is kept as `servers.json.damaged-<time>`; and this is said once.
"""

from __future__ import annotations

import json
import subprocess
import sys

import psutil
import pytest

from launcher import messages
from launcher.demo.fake_package import free_port
from launcher.gsv import client as gsv_api
from launcher.paths import layout
from launcher.server.registry import Registry, ServerRecord

from helpers import python_args, run_cli, wait_for
from helpers.live import nahida, pkg, port  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow

NOTICE = "已损坏"


@pytest.fixture
def load_seconds(monkeypatch):
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.2")
    return 0.2


@pytest.fixture
def running(nahida, port, capsys):
    """nahida started --detach through the CLI; every server of the home stopped after."""
    code, _, err = run_cli(capsys, "nahida", "--detach", *python_args(nahida))
    assert code == 0, err
    pid = Registry(layout().registry_file).find(port=port)[0].pid
    yield pid
    run_cli(capsys, "stop", "--all")
    if psutil.pid_exists(pid):
        psutil.Process(pid).kill()


def _status(capsys):
    code, out, err = run_cli(capsys, "status", "--json")
    assert code == 0, err
    return json.loads(out)["data"], err


def _valid_record(pid: int) -> dict:
    return json.loads(layout().registry_file.read_text(encoding="utf-8"))["servers"][0]


def _damage(kind: str, record: dict) -> bytes:
    """The registry file's bytes for one kind of damage (`record`: the real one)."""
    wrong = dict(record)
    if kind == "not-json":
        return b'{"version": 1, "servers": [{"profile": "nahi'
    if kind == "not-utf8":
        return b"\xff\xfe\x00garbage\x81"
    if kind == "wrong-shape":
        return json.dumps(["servers", record]).encode()
    if kind == "servers-not-a-list":
        return json.dumps({"version": 1, "servers": {"0": record}}).encode()
    if kind == "port-as-text":
        wrong["port"] = "九八八零"
    elif kind == "pid-null":
        wrong["pid"] = None
    elif kind == "missing-fields":
        for name in ("pid", "create_time", "root"):
            wrong.pop(name)
    elif kind == "bool-port":
        wrong["port"] = True
    elif kind == "create-time-text":
        wrong["create_time"] = "yesterday"
    return json.dumps({"version": 1, "servers": [wrong, "not a record"]}).encode()


KINDS = ["not-json", "not-utf8", "wrong-shape", "servers-not-a-list", "port-as-text", "pid-null",
         "missing-fields", "bool-port", "create-time-text"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_damaged_registry_never_hides_the_running_server(running, port, capsys, kind):
    path = layout().registry_file
    damaged = _damage(kind, _valid_record(running))
    path.write_bytes(damaged)

    rows, err = _status(capsys)
    assert [(r["profile"], r["pid"], r["port"], r["state"]) for r in rows] == [("nahida", running, port, "ready")]
    assert NOTICE in err  # said once...
    copies = list(path.parent.glob("servers.json.damaged-*"))
    assert [c.read_bytes() for c in copies] == [damaged]  # ...with a copy of what was damaged
    assert str(copies[0]) in err.replace("\n", "")
    json.loads(path.read_text(encoding="utf-8"))  # the registry itself is whole again

    rows, err = _status(capsys)
    assert [r["pid"] for r in rows] == [running] and NOTICE not in err  # ...and only once
    code, out, err = run_cli(capsys, "list")
    assert code == 0 and f":{port}" in out, err
    code, out, err = run_cli(capsys, "stop", "nahida")
    assert code == 0 and "已释放" in out, err
    assert not gsv_api.port_accepts("127.0.0.1", port)


@pytest.mark.parametrize("verb", ["status", "list", "start", "stop"])
def test_no_verb_crashes_on_a_damaged_registry(nahida, port, capsys, verb):
    path = layout().registry_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x00\x00{[garbage")
    args = {"status": ["status"], "list": ["list"], "start": ["nahida", "--detach", *python_args(nahida)],
            "stop": ["stop", "nahida"]}[verb]
    try:
        code, out, err = run_cli(capsys, *args)
        assert code == (7 if verb == "stop" else 0), err
        assert NOTICE in err and "意外错误" not in err
        json.loads(path.read_text(encoding="utf-8"))
    finally:
        run_cli(capsys, "stop", "--all")


def test_one_malformed_record_does_not_cost_the_others(running, port, capsys):
    """A second server's record is damaged: the first keeps its record as it was."""
    path = layout().registry_file
    good = _valid_record(running)
    path.write_text(json.dumps({"version": 1, "servers": [good, {**good, "port": "x", "pid": 1}]}), encoding="utf-8")
    rows, err = _status(capsys)
    assert [(r["profile"], r["pid"], r["log"]) for r in rows] == [("nahida", running, good["log"])]
    assert "servers[1]" in err


def test_a_hand_started_server_of_the_remembered_root_is_found_on_rebuild(nahida, capsys, tmp_path):
    """No marker (started by hand, e.g. go-api.bat): found because it runs from the root `init` remembered."""
    other_port = free_port()
    layout().settings_file.write_text(f"gsv_root: {json.dumps(str(nahida.root))}\n", encoding="utf-8")
    proc = subprocess.Popen(nahida.command("v2", "-a", "127.0.0.1", "-p", str(other_port)), cwd=str(nahida.root),
                            env=nahida.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: gsv_api.probe_ready("127.0.0.1", other_port), what="hand-started server ready")
        path = layout().registry_file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("not json", encoding="utf-8")
        rows, err = _status(capsys)
        assert [(r["profile"], r["pid"], r["state"]) for r in rows] == [(f":{other_port}", proc.pid, "ready")]
        assert run_cli(capsys, "stop", "--port", str(other_port))[0] == 0
        assert proc.wait(timeout=10) is not None
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_stop_all_finds_servers_only_the_scan_shows(nahida, port, capsys, tmp_path):
    """The registry is gone; a server started by this launcher (its marker) and one started
    by hand from a known root are both stopped; a plain program is not."""
    code, _, err = run_cli(capsys, "nahida", "--detach", *python_args(nahida))
    assert code == 0, err
    ours = Registry(layout().registry_file).find(port=port)[0].pid
    layout().registry_file.unlink()
    hand_port = free_port()
    hand = subprocess.Popen(nahida.command("v2", "-a", "127.0.0.1", "-p", str(hand_port)), cwd=str(nahida.root),
                            env=nahida.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    other = subprocess.Popen([sys.executable, "-m", "http.server", str(free_port()), "--bind", "127.0.0.1"],
                             cwd=str(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: gsv_api.probe_ready("127.0.0.1", hand_port), what="hand-started server ready")
        code, out, err = run_cli(capsys, "stop", "--all")
        assert code == 0, err
        assert str(ours) in out and str(hand.pid) in out
        assert hand.wait(timeout=10) is not None
        wait_for(lambda: not psutil.pid_exists(ours) or psutil.Process(ours).status() == psutil.STATUS_ZOMBIE,
                 what="our server gone")
        assert other.poll() is None
    finally:
        for proc in (hand, other):
            if proc.poll() is None:
                proc.kill()
            proc.wait()


def test_a_record_of_a_dead_pid_is_pruned_and_nothing_else_changes(nahida, port, capsys):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    created = psutil.Process(gone.pid).create_time()
    gone.wait()
    Registry(layout().registry_file).add(ServerRecord(profile="nahida", api="v2", host="127.0.0.1", port=port,
                                                      pid=gone.pid, create_time=created, log="", root=str(nahida.root)))
    rows, err = _status(capsys)
    assert rows == [] and NOTICE not in err
    assert list(layout().registry_file.parent.glob("servers.json.damaged-*")) == []


# --- any file at all -------------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
FIELDS = ["profile", "api", "host", "port", "pid", "create_time", "log", "root", "state", "settings", "started_at",
          "detached", "launcher_pid", "display_name"]
RECORDS = st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=len(FIELDS))
FILES = st.fixed_dictionaries({}, optional={
    "version": JSON, "servers": st.lists(RECORDS | JSON, max_size=3) | JSON,
    "stop_requests": JSON, "repairs": JSON,
}) | JSON


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=FILES)
def test_any_registry_file_reads_as_records_or_a_repair_never_a_crash(tmp_path, data):
    path = tmp_path / "servers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    registry = Registry(path, roots=lambda: [])
    assert isinstance(registry.servers(), list)  # no process has PID/start time from random data: all pruned
    json.loads(path.read_text(encoding="utf-8"))  # whole again, whatever it was
    for notice in registry.take_notices():
        assert notice.key == "registry.repaired" and messages.t(notice.key, **notice.params)
    for copy in tmp_path.glob("servers.json.damaged-*"):
        copy.unlink()


REDIRECTOR = """
import subprocess, sys
sys.exit(subprocess.call([sys.executable, sys.argv[-1] + "/api_v2.py"] + sys.argv[1:-1], cwd=sys.argv[-1]))
"""


def test_a_server_behind_a_redirecting_interpreter_is_found_once(nahida, tmp_path):
    """A Windows venv's python.exe runs the real interpreter as its child with the same
    command line: both look like upstream's server. The scan shows one server, the
    parent, whose process tree holds both."""
    port = free_port()
    front = tmp_path / "front"
    (front / "GPT_SoVITS").mkdir(parents=True)
    (front / "api_v2.py").write_text(REDIRECTOR, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "api_v2.py", "-a", "127.0.0.1", "-p", str(port), str(nahida.root)],
                            cwd=str(front), env=nahida.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: gsv_api.probe_ready("127.0.0.1", port), what="ready behind the redirector")
        child = psutil.Process(proc.pid).children()[0].pid
        from launcher.server.ownership import prove_ours
        from launcher.server.scan import find_servers

        assert prove_ours(proc.pid) and prove_ours(child)  # both are upstream's script in a root
        found = [f.proof.pid for f in find_servers("no marker", [str(front), str(nahida.root)]) if f.port == port]
        assert found == [proc.pid]
    finally:
        for p in psutil.Process(proc.pid).children(recursive=True):
            p.kill()
        proc.kill()
        proc.wait()
