"""`logs <profile> [-f] [-n N]`: show or follow a server's log file."""

from __future__ import annotations

import _thread
import os
import threading
import time

import pytest

from launcher.cli import run
from launcher.paths import layout


def _log(name: str = "nahida", port: int = 9880, lines: int = 100) -> "os.PathLike":
    logs = layout().logs
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / f"{name}-{port}.log"
    path.write_text("".join(f"第 {i} 行 line {i}\n" for i in range(1, lines + 1)), encoding="utf-8")
    return path


def test_last_n_lines(capsys):
    _log()
    assert run(["logs", "nahida", "-n", "3"]) == 0
    assert capsys.readouterr().out.splitlines() == ["第 98 行 line 98", "第 99 行 line 99", "第 100 行 line 100"]


def test_default_is_the_last_40_lines(capsys):
    _log()
    assert run(["logs", "nahida"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 40 and out[0] == "第 61 行 line 61"


def test_newest_log_of_the_profile(capsys):
    old = _log(port=9880, lines=5)
    new = _log(port=9881, lines=2)
    os.utime(old, (time.time() - 100, time.time() - 100))
    assert run(["logs", "nahida", "-n", "1"]) == 0
    assert capsys.readouterr().out.strip() == "第 2 行 line 2"
    assert new.exists()


def test_crlf_and_bad_bytes_are_shown(capsys):
    path = _log(lines=0)
    path.write_bytes("windows 行\r\n".encode("utf-8") + b"\xff\xfe broken\n")
    assert run(["logs", "nahida"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "windows 行" and out[1].endswith("broken")


def test_no_log_yet(capsys):
    assert run(["logs", "nahida"]) == 3  # MissingFile
    err = capsys.readouterr().err
    assert "还没有 nahida 的日志" in err and "sovits-launch nahida" in err


def _follow(args, actions, capsys):
    """Run `logs ... -f` in this (main) thread; `actions` runs in another, then Ctrl+C's us
    once the follow loop has polled the file after the last action (not after a fixed
    sleep: on a loaded machine the loop may start late, and an early Ctrl+C would land
    before it)."""
    from launcher.server.watch import LogReader

    done = threading.Event()
    polled_after = threading.Event()
    returned = threading.Event()
    original = LogReader.new_lines

    def new_lines(self):
        was_done = done.is_set()
        lines = original(self)
        if was_done and not lines:  # a whole poll after the last action found nothing more
            polled_after.set()
        return lines

    def driver():
        try:
            actions()
        finally:
            done.set()
            polled_after.wait(20)
            while not returned.is_set():  # once, or again if it landed between two polls
                _thread.interrupt_main()
                returned.wait(10)

    LogReader.new_lines = new_lines
    t = threading.Thread(target=driver)
    t.start()
    try:
        code = run(args)
    finally:
        returned.set()
        LogReader.new_lines = original
        t.join(10)
    return code, capsys.readouterr().out.splitlines()


def test_follow_prints_new_lines_until_ctrl_c(capsys):
    path = _log(lines=3)

    def append():
        time.sleep(0.3)
        with open(path, "a", encoding="utf-8") as f:
            f.write("新的一行\n")
            f.flush()
            time.sleep(0.3)
            f.write("INFO:     Uvicorn running on http://127.0.0.1:9880 (Press CTRL+C to quit)\n")

    code, out = _follow(["logs", "nahida", "-f", "-n", "1"], append, capsys)
    assert code == 0
    assert out == ["第 3 行 line 3", "新的一行", "INFO:     Uvicorn running on http://127.0.0.1:9880 (Press CTRL+C to quit)"]


def test_follow_keeps_up_when_the_server_restarts(capsys):
    """A new start moves the log to .log.1 and writes a fresh one: follow the fresh one from its start."""
    path = _log(lines=50)

    def restart():
        time.sleep(0.3)
        os.replace(path, path.with_name(path.name + ".1"))
        path.write_text("# sovits-launch new start\n", encoding="utf-8")

    code, out = _follow(["logs", "nahida", "-f", "-n", "0"], restart, capsys)
    assert code == 0
    assert out == ["# sovits-launch new start"]


@pytest.mark.parametrize("n", ["0", "-1"])
def test_zero_or_negative_n_shows_nothing(capsys, n):
    _log()
    assert run(["logs", "nahida", "-n", n]) == 0
    assert capsys.readouterr().out == ""


def test_by_display_name_when_not_running(capsys, isolated_home):
    from helpers.doctor_fixtures import write_profile

    write_profile(isolated_home, "nahida", display_name="纳西妲", gpt="a.ckpt", sovits="b.pth")
    _log(lines=3)
    assert run(["logs", "纳西妲", "-n", "1"]) == 0
    assert capsys.readouterr().out.strip() == "第 3 行 line 3"


def test_profile_names_with_glob_characters(capsys):
    _log(name="hu[tao]", lines=2)
    assert run(["logs", "hu[tao]", "-n", "1"]) == 0
    assert capsys.readouterr().out.strip() == "第 2 行 line 2"


def test_another_profile_with_a_longer_name_is_not_picked(capsys):
    _log(name="nahida", lines=2)
    newer = _log(name="nahida-v1", lines=5)
    os.utime(newer, (time.time() + 100, time.time() + 100))
    assert run(["logs", "nahida", "-n", "1"]) == 0
    assert capsys.readouterr().out.strip() == "第 2 行 line 2"
