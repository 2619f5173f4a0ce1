"""Restarting xiaozhi-server when asked: `docker restart` of xiaozhi's container only, or its
own `app.py` run again the way it was started; never anything else."""

from __future__ import annotations

import os
import subprocess
import sys

import psutil
import pytest

from launcher.demo.fake_package import free_port
from launcher.errors import EXIT_BAD_INPUT, EXIT_NOT_RUNNING
from launcher.xiaozhi.processes import find_app_processes
from launcher.xiaozhi.restart import alive

from helpers import run_cli, wait_for
from helpers.fake_docker import install
from helpers.xiaozhi_like import make_docker_deployment, write_xiaozhi_like
from helpers.xiaozhi_tree import write_data

posix_only = pytest.mark.skipif(os.name == "nt", reason="the fake docker is a POSIX script; detached restarts open a console on Windows")


@pytest.fixture
def docker_folder(tmp_path, isolated_home, monkeypatch, capsys):
    port = free_port()
    folder = make_docker_deployment(tmp_path / "xiaozhi-server", port=port)
    fake = install(tmp_path / "bin", monkeypatch, os="Docker Desktop", alive_port=port)
    assert run_cli(capsys, "xiaozhi", "set-dir", str(folder))[0] == 0
    yield folder, fake, port
    fake.stop_alive()


@posix_only
def test_docker_restart_then_wait_for_server_is_running(docker_folder, capsys):
    folder, fake, port = docker_folder
    fake.add_container("xiaozhi-esp32-server", data=folder / "data")
    code, out, err = run_cli(capsys, "xiaozhi", "--restart")
    assert code == 0, err
    assert ["restart", "xiaozhi-esp32-server"] in fake.calls()
    assert "已重启" in out and f"http://127.0.0.1:{port}/" in out
    assert alive("127.0.0.1", port)


@posix_only
def test_a_container_that_is_not_xiaozhi_is_never_restarted(docker_folder, capsys):
    folder, fake, _ = docker_folder
    fake.add_container("xiaozhi-esp32-server", data=None, image="nginx:latest")
    code, _, err = run_cli(capsys, "xiaozhi", "--restart")
    assert code != 0 and "不是 xiaozhi-server" in err
    assert not [c for c in fake.calls() if c[0] == "restart"]


@posix_only
def test_no_container_restarts_nothing(docker_folder, capsys):
    folder, fake, _ = docker_folder
    code, _, err = run_cli(capsys, "xiaozhi", "--restart")
    assert code == EXIT_NOT_RUNNING and "docker compose up -d" in err
    assert not [c for c in fake.calls() if c[0] == "restart"]


@posix_only
def test_a_stopped_container_is_started_again(docker_folder, capsys):
    folder, fake, port = docker_folder
    fake.add_container("xiaozhi-esp32-server", data=folder / "data", running=False)
    code, _, err = run_cli(capsys, "xiaozhi", "--restart")
    assert code == 0, err
    assert fake.state()["containers"][0]["State"]["Running"] is True


@posix_only
def test_daemon_down_says_start_docker(docker_folder, capsys):
    folder, fake, _ = docker_folder
    fake.update(daemon="down")
    code, _, err = run_cli(capsys, "xiaozhi", "--restart")
    assert code == EXIT_NOT_RUNNING and "Docker 没有在运行" in err


# --- source ---------------------------------------------------------------------------------------


def start_app(folder, port):
    write_data(folder, f"server:\n  port: {port}\n")
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=folder, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: alive("127.0.0.1", port), what="the xiaozhi-like app")
    return proc


@pytest.fixture
def source(tmp_path, isolated_home, capsys):
    folder = write_xiaozhi_like(tmp_path / "xiaozhi-server")
    assert run_cli(capsys, "xiaozhi", "set-dir", str(folder))[0] == 0
    started = []
    yield folder, started
    for proc in started:
        proc.kill()
        proc.wait()
    for found in find_app_processes(folder):
        psutil.Process(found.pid).kill()


@posix_only
def test_source_app_is_restarted_the_way_it_was_started(source, tmp_path, capsys):
    folder, started = source
    port = free_port()
    first = start_app(folder, port)
    started.append(first)
    decoy_folder = write_xiaozhi_like(tmp_path / "another-xiaozhi")
    decoy = start_app(decoy_folder, free_port())
    started.append(decoy)
    before = psutil.Process(first.pid).cmdline()
    code, out, err = run_cli(capsys, "xiaozhi", "--restart")
    assert code == 0, err
    assert "已重启" in out
    first.wait(timeout=10)  # the old one ended
    now = find_app_processes(folder)
    assert len(now) == 1 and now[0].pid != first.pid
    assert now[0].cmdline == before and os.path.samefile(now[0].cwd, folder)
    assert decoy.poll() is None  # the other folder's app.py was not touched
    assert alive("127.0.0.1", port)


@posix_only
def test_several_app_py_in_the_folder_are_left_alone_with_the_command(source, capsys):
    folder, started = source
    started.append(start_app(folder, free_port()))
    other = free_port()  # the same config's port would make the second copy exit at once
    started.append(subprocess.Popen([sys.executable, "app.py"], cwd=folder, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    env={**os.environ, "XIAOZHI_LIKE_PORT": str(other)}))
    wait_for(lambda: alive("127.0.0.1", other), what="the second xiaozhi-like app")
    wait_for(lambda: len(find_app_processes(folder)) == 2, what="two app.py")
    pids = {p.pid for p in started}
    code, out, err = run_cli(capsys, "xiaozhi", "--restart")
    assert code == 0
    assert "多个 app.py" in err and "app.py" in out
    assert all(p.poll() is None for p in started) and {p.pid for p in find_app_processes(folder)} == pids


def test_not_running_prints_the_command(source, capsys):
    folder, _ = source
    code, out, err = run_cli(capsys, "xiaozhi", "--restart")
    assert code == 0
    assert "没有正在运行" in err and str(folder) in out and "app.py" in out


def test_without_the_flag_only_says_how(source, tmp_path, isolated_home, capsys):
    from helpers import make_package, nahida_yaml, write_profile

    folder, _ = source
    pkg = make_package(tmp_path / "GPT-SoVITS")
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root))
    code, out, _ = run_cli(capsys, "xiaozhi", "nahida")
    assert code == 0
    assert "还差一步" in out and "Ctrl+C" in out and "app.py" in out
    assert not find_app_processes(folder)


def test_bad_flag_combination_without_profile_still_needs_one(source, capsys):
    code, _, err = run_cli(capsys, "xiaozhi")
    assert code == EXIT_BAD_INPUT
