"""Never touch what isn't ours: every path that ends a process, or sends a server a
request, first proves the process is a GPT-SoVITS server (launcher.server.ownership).

Real processes throughout: a plain `python -m http.server`, an `api.py` outside any
GPT-SoVITS root, a PID whose start time differs from the record, a port taken over by
another program. Each is refused (or left alone), still alive afterwards, and never
receives a request.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from launcher.demo.fake_package import build_standin_package, free_port
from launcher.errors import EXIT_NOT_OURS, EXIT_NOT_RUNNING
from launcher.gsv import client as gsv_api
from launcher.paths import layout
from launcher.server import ownership
from launcher.server.registry import Registry, ServerRecord

from helpers import run_cli, wait_for
from helpers.live import started  # noqa: F401  (a fixture)

REPO = Path(__file__).resolve().parents[2]

# An HTTP server that writes every request it gets to a file: proof that nothing was sent.
LOGGING_SERVER = r"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = open(sys.argv[2], "a", encoding="utf-8")


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        log.write(self.command + " " + self.path + "\n")
        log.flush()
        self.send_response(200)
        self.send_header("content-length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_POST = do_GET

    def log_message(self, *a):
        pass


server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
print("listening", flush=True)
server.serve_forever()
"""


def _listening(proc: subprocess.Popen, port: int) -> subprocess.Popen:
    wait_for(lambda: gsv_api.port_accepts("127.0.0.1", port) or proc.poll() is not None, what="listening")
    assert proc.poll() is None
    return proc


def _requests(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def _record(pid: int, created: float, port: int, **kw) -> ServerRecord:
    return ServerRecord(profile="nahida", display_name="纳西妲", api="v2", host="127.0.0.1", port=port, pid=pid,
                        create_time=created, log="", root=kw.pop("root", ""), state=kw.pop("state", "ready"), **kw)


# --- the script, exactly --------------------------------------------------------------------


@pytest.mark.parametrize(
    "cmdline, script, api",
    [
        (["python.exe", "api_v2.py", "-a", "127.0.0.1", "-p", "9880"], "api_v2.py", "v2"),
        (["runtime/python", "-u", "/gsv/api.py", "-p", "9880"], "/gsv/api.py", "v1"),
        (["python", "-W", "ignore", "-X", "utf8", "api.py"], "api.py", "v1"),
        (["sovits-launch.exe", "api_v2.py", "-p", "9880"], "api_v2.py", "v2"),  # the one-file exe runs the demo's stand-ins
        (["python", "myapi.py", "-p", "9880"], "myapi.py", None),
        (["python", "api.py.bak"], "api.py.bak", None),
        (["python", "serve.py", "api.py"], "serve.py", None),  # api.py as an argument is not the script
        (["python", "-m", "http.server", "api.py"], None, None),
        (["python", "-c", "import api", "api_v2.py"], None, None),
        ([], None, None),
    ],
)
def test_the_script_is_the_first_argument_after_the_interpreters_options(cmdline, script, api):
    assert ownership.script_argument(cmdline) == script
    assert ownership.upstream_api(cmdline) == api


# --- refused: not GPT-SoVITS -----------------------------------------------------------------


def test_stop_port_refuses_a_plain_http_server(tmp_path, capsys, started):
    port = free_port()
    err_log = tmp_path / "http.server.log"
    with open(err_log, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                                cwd=str(tmp_path), stdout=err, stderr=subprocess.STDOUT)
    started.append(_listening(proc, port))
    code, out, err_text = run_cli(capsys, "stop", "--port", str(port))
    assert code == EXIT_NOT_OURS, out + err_text
    assert str(proc.pid) in err_text and "http.server" in err_text
    assert "不能确认是 GPT-SoVITS 服务器" in err_text
    time.sleep(0.3)  # anything sent would have been logged by now
    assert proc.poll() is None
    assert "/control" not in err_log.read_text(encoding="utf-8", errors="replace")
    # in English too, naming the PID and the command line
    code, _, err_text = run_cli(capsys, "--lang", "en", "stop", "--port", str(port))
    assert code == EXIT_NOT_OURS and f"PID {proc.pid}" in err_text and "cannot be confirmed" in err_text


@pytest.mark.parametrize("script", ["api.py", "api_v2.py"])
def test_stop_port_refuses_an_api_py_outside_any_gpt_sovits_root(tmp_path, capsys, started, script):
    """The right file name is not enough: it must run from a package root."""
    folder = tmp_path / "not-gpt-sovits"
    folder.mkdir()
    (folder / script).write_text(LOGGING_SERVER, encoding="utf-8")
    port, log = free_port(), tmp_path / "requests.log"
    proc = subprocess.Popen([sys.executable, script, str(port), str(log)], cwd=str(folder), stdout=subprocess.DEVNULL)
    started.append(_listening(proc, port))
    assert ownership.upstream_api(psutil.Process(proc.pid).cmdline())  # it does look like upstream's
    code, _, err = run_cli(capsys, "stop", "--port", str(port))
    assert code == EXIT_NOT_OURS and str(proc.pid) in err and script in err
    code, _, _ = run_cli(capsys, "stop", "--all")
    assert code == 0
    assert proc.poll() is None and _requests(log) == []


def test_reused_pid_with_another_start_time_is_never_ended(tmp_path, capsys, started):
    """The record's PID now belongs to another program (its start time differs)."""
    port, log = free_port(), tmp_path / "requests.log"
    proc = subprocess.Popen([sys.executable, "-c", LOGGING_SERVER, str(port), str(log)], stdout=subprocess.DEVNULL)
    started.append(_listening(proc, port))
    created = psutil.Process(proc.pid).create_time()
    Registry(layout().registry_file).add(_record(proc.pid, created - 3600, port))
    assert run_cli(capsys, "stop", "nahida")[0] == EXIT_NOT_RUNNING
    Registry(layout().registry_file).add(_record(proc.pid, created - 3600, port))
    assert run_cli(capsys, "stop", "--all")[0] == 0
    Registry(layout().registry_file).add(_record(proc.pid, created - 3600, port))
    assert json.loads(run_cli(capsys, "status", "--json")[1])["data"] == []
    assert proc.poll() is None and _requests(log) == []
    assert ownership.prove_ours(proc.pid, [_record(proc.pid, created - 3600, port)]) is None


def test_our_server_whose_port_another_program_took_gets_no_request(tmp_path, capsys, started):
    """Our recorded process does not listen; a foreign program holds its port. `status`
    asks nothing, `stop` ends our process only, with no /control to the foreign one."""
    port, log = free_port(), tmp_path / "requests.log"
    foreign = subprocess.Popen([sys.executable, "-c", LOGGING_SERVER, str(port), str(log)], stdout=subprocess.DEVNULL)
    started.append(_listening(foreign, port))
    ours = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    started.append(ours)
    Registry(layout().registry_file).add(_record(ours.pid, psutil.Process(ours.pid).create_time(), port, state="loading"))
    rows = json.loads(run_cli(capsys, "status", "--json")[1])["data"]
    assert [(r["pid"], r["state"]) for r in rows] == [(ours.pid, "loading")]
    code, out, err = run_cli(capsys, "stop", "nahida")
    assert code == 0, err
    assert ours.wait(timeout=10) is not None
    assert foreign.poll() is None and _requests(log) == []


# --- proven: upstream's server from a package root --------------------------------------------


def test_stop_port_ends_upstreams_server_started_by_hand(tmp_path, capsys, started, monkeypatch):
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.2")
    pkg = build_standin_package(tmp_path / "GPT-SoVITS")
    port = free_port()
    proc = subprocess.Popen(pkg.command("v2", "-a", "127.0.0.1", "-p", str(port)), cwd=str(pkg.root),
                            env=pkg.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started.append(proc)
    wait_for(lambda: gsv_api.probe_ready("127.0.0.1", port), what="hand-started server ready")
    proof = ownership.prove_ours(proc.pid)
    assert proof is not None and not proof.recorded and proof.root == str(pkg.root)
    code, out, err = run_cli(capsys, "stop", "--port", str(port))
    assert code == 0, err
    assert proc.wait(timeout=10) is not None
    assert not gsv_api.port_accepts("127.0.0.1", port)


def test_a_replacement_from_another_package_is_not_this_records_restart(tmp_path, capsys, started, monkeypatch):
    """After a Windows-style restart the port's new owner is adopted only when it runs from
    the record's own root; another package's server on that port is left alone."""
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.2")
    other = build_standin_package(tmp_path / "another GPT-SoVITS")
    port = free_port()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    created = psutil.Process(gone.pid).create_time()
    gone.wait()
    Registry(layout().registry_file).add(_record(gone.pid, created, port, root=str(tmp_path / "our GPT-SoVITS")))
    proc = subprocess.Popen(other.command("v2", "-a", "127.0.0.1", "-p", str(port)), cwd=str(other.root),
                            env=other.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started.append(proc)
    wait_for(lambda: gsv_api.probe_ready("127.0.0.1", port), what="the other server ready")
    assert json.loads(run_cli(capsys, "status", "--json")[1])["data"] == []
    assert run_cli(capsys, "stop", "nahida")[0] == EXIT_NOT_RUNNING
    assert proc.poll() is None


# --- one decision, every path --------------------------------------------------------------------


def _calls(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in ("terminate", "kill", "send_signal", "request_exit", "killpg", "TerminateProcess"):
                found.add(name)
    return found


def test_only_the_stopping_module_ends_processes():
    """Ending a process or asking a server to exit happens in launcher/server/stopping.py
    (after `ownership.prove_ours`), and in process.py for the child it just spawned and
    could not record. The stand-in servers (launcher/demo/standin) are the server side, not the launcher."""
    package = REPO / "launcher"
    users = {
        p.relative_to(package).as_posix(): calls
        for p in package.rglob("*.py")
        if not p.relative_to(package).as_posix().startswith("demo/standin") and (calls := _calls(p))
    }
    assert users == {"server/stopping.py": {"terminate", "kill", "request_exit"}, "server/process.py": {"kill"}}
    source = (package / "server" / "stopping.py").read_text(encoding="utf-8")
    assert "prove_ours" in source and "listens_on" in source
