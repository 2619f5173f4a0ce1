"""`start` and xiaozhi: one line when the block changes, silence when it does not, xiaozhi's own
check when it is quick, the one thing left (or the restart with --restart-xiaozhi), `status`."""

from __future__ import annotations

import os
import subprocess
import sys

import psutil
import pytest

from launcher.demo.fake_package import build_standin_package, free_port
from launcher.xiaozhi.processes import find_app_processes
from launcher.xiaozhi.restart import alive

from helpers import run_cli, standin_yaml, wait_for, write_profile
from helpers.xiaozhi_like import write_xiaozhi_like
from helpers.xiaozhi_tree import data_file, write_data

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name == "nt", reason="restarts open a console on Windows")]


@pytest.fixture
def setup(tmp_path, isolated_home, monkeypatch, capsys):
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.2")
    pkg = build_standin_package(tmp_path / "GPT-SoVITS 整合包")
    port = free_port()
    write_profile(isolated_home, "nahida", standin_yaml(pkg, port))
    folder = write_xiaozhi_like(tmp_path / "xiaozhi-server")
    app_port = free_port()
    write_data(folder, f"server:\n  port: {app_port}\n")
    assert run_cli(capsys, "xiaozhi", "set-dir", str(folder))[0] == 0
    app = subprocess.Popen([sys.executable, "app.py"], cwd=folder, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: alive("127.0.0.1", app_port), what="the xiaozhi-like app")
    python = [] if pkg.python else ["--python", sys.executable]
    yield folder, port, app, python
    from launcher.cli import run

    run(["stop", "--all"])
    app.kill()
    app.wait()
    for found in find_app_processes(folder):
        psutil.Process(found.pid).kill()


def test_start_points_xiaozhi_in_one_line_checks_it_and_says_what_is_left(setup, capsys):
    folder, port, app, python = setup
    code, out, err = run_cli(capsys, "nahida", "--detach", *python)
    assert code == 0, err
    assert f"xiaozhi 已指向 http://127.0.0.1:{port}/tts（GPT_SOVITS_V2，纳西妲）" in out
    assert "xiaozhi 自己的代码合成成功" in out
    assert "还差一步" in out and "Ctrl+C" in out
    assert "+++" not in out  # no diff on a start: one line
    assert app.poll() is None  # not restarted without the flag
    code, out, _ = run_cli(capsys, "status")
    row = next(line for line in out.splitlines() if "纳西妲" in line)
    assert row.rstrip().endswith("✓")
    code, out, err = run_cli(capsys, "nahida", *python)  # running already: the weights are swapped
    assert code == 0, err
    assert "已指向" not in out and "还差一步" not in out  # nothing changed: nothing said


def test_restart_xiaozhi_restarts_its_app_py(setup, capsys):
    folder, port, app, python = setup
    code, out, err = run_cli(capsys, "nahida", "--detach", "--restart-xiaozhi", *python)
    assert code == 0, err
    assert "已重启" in out and "还差一步" not in out
    app.wait(timeout=10)
    assert [p.pid for p in find_app_processes(folder)] != [app.pid]


def test_no_xiaozhi_leaves_it_alone(setup, capsys):
    folder, port, app, python = setup
    before = data_file(folder).read_bytes()
    code, out, err = run_cli(capsys, "nahida", "--detach", "--no-xiaozhi", "--restart-xiaozhi", *python)
    assert code == 0, err
    assert data_file(folder).read_bytes() == before
    assert "xiaozhi 已指向" not in out and "已重启" not in out and "还差一步" not in out
    assert app.poll() is None
