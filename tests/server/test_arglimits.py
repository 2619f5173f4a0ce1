"""A prompt_text too long for a command line (api.py takes it as `-dt`) is refused at plan
time as too-long text with the limit; and a spawn the system still refuses (E2BIG) says so."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import pytest

from launcher.errors import BadInput
from launcher.paths import Settings, layout
from launcher.profiles.schema import parse_profile
from launcher.server import arglimits
from launcher.server.plan import plan_start

from helpers import make_package, nahida_yaml, run_cli, snapshot, write_profile

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="MAX_ARG_STRLEN is Linux's")


def _argv(text: str) -> list[str]:
    return ["C:\\GPT-SoVITS\\runtime\\python.exe", "api.py", "-dt", text, "-dl", "zh"]


def test_windows_whole_command_line_limit_is_exact():
    base = len(subprocess.list2cmdline(_argv(""))) + 1  # quoted empty text: `""`
    fits = "字" * (arglimits.WINDOWS_COMMAND_LINE - base + 2)  # the quotes go away: no space inside
    assert len(subprocess.list2cmdline(_argv(fits))) + 1 == arglimits.WINDOWS_COMMAND_LINE
    assert arglimits.check(_argv(fits), {}, {"prompt_text": fits}, platform="win32") is None
    found = arglimits.check(_argv(fits + "字"), {}, {"prompt_text": fits + "字"}, platform="win32")
    assert found == arglimits.TooLong("prompt_text", len(fits) + 1, 32768, 32767, "chars")


def test_windows_counts_utf16_units():
    text = "😀" * 16380  # outside the BMP: two UTF-16 units each
    found = arglimits.check(_argv(text), {}, {"prompt_text": text}, platform="win32")
    assert found is not None and found.length == 32760


def test_linux_single_argument_limit_is_exact():
    ok = "a" * (arglimits.LINUX_ARG_STRLEN - 1)  # + its NUL = the limit
    assert arglimits.check(_argv(ok), {}, {"prompt_text": ok}, platform="linux") is None
    found = arglimits.check(_argv(ok + "a"), {}, {"prompt_text": ok + "a"}, platform="linux")
    assert (found.field, found.unit, found.limit) == ("prompt_text", "bytes", 131072)
    chinese = "字" * 43691  # 3 bytes each in UTF-8: 131,073 bytes
    assert arglimits.check(_argv(chinese), {}, {"prompt_text": chinese}, platform="linux").length == 131073


def test_posix_total_with_the_environment():
    env = {"BIG": "x" * 200_000}
    found = arglimits.check(["python"] * 10, env, {}, platform="darwin")
    assert found is None or found.total > found.limit  # only over ARG_MAX
    huge = {f"V{i}": "x" * 100_000 for i in range(100)}
    found = arglimits.check(["python"], huge, {}, platform="darwin")
    assert found is not None and found.total > 10_000_000 > found.limit


@linux_only
def test_the_linux_limit_is_the_kernels():
    """The constant is not a guess: one byte more and the real spawn fails with E2BIG."""
    ok = "a" * (arglimits.LINUX_ARG_STRLEN - 1)
    subprocess.run([sys.executable, "-c", "pass", ok], check=True)
    with pytest.raises(OSError) as e:
        subprocess.run([sys.executable, "-c", "pass", ok + "a"], check=True)
    assert e.value.errno == errno.E2BIG and arglimits.is_too_long(e.value)


def _plan(tmp_path, text: str, api: str):
    from launcher.demo.fake_package import free_port

    pkg = make_package(tmp_path / "pkg")
    yaml_text = nahida_yaml(pkg.root, prompt_text=text, api=api, port=free_port())
    profile = parse_profile(yaml_text, Path("/profiles/nahida.yaml"))
    return plan_start(profile, layout=layout(), settings=Settings())


@linux_only
def test_plan_refuses_a_prompt_text_api_py_cannot_receive(tmp_path):
    with pytest.raises(BadInput) as e:
        _plan(tmp_path, "很长的文字。" * 8000, "v1")  # 48,000 characters, 144,000 bytes
    assert e.value.key == "start.text_too_long_posix"
    assert e.value.params["field"] == "prompt_text"
    assert (e.value.params["length"], e.value.params["limit"]) == ("144,000", "131,072")


def test_api_v2_takes_the_text_with_each_request(tmp_path):
    plan = _plan(tmp_path, "很长的文字。" * 8000, "v2")
    assert all(len(arg) < 1000 for arg in plan.argv)


@linux_only
def test_cli_says_too_long_and_writes_nothing(tmp_path, isolated_home, capsys):
    from launcher.paths import save_settings

    pkg = make_package(tmp_path / "pkg")
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root, prompt_text="字" * 50_000, api="v1"))
    save_settings(Settings(gsv_root=str(pkg.root)))
    before = snapshot(tmp_path, isolated_home)
    code, _, err = run_cli(capsys, "nahida")
    assert code == 2
    assert "prompt_text" in err and "150,000 字节" in err and "131,072" in err
    assert snapshot(tmp_path, isolated_home) == before


@linux_only
def test_spawn_that_the_system_refuses_is_explained(tmp_path, isolated_home):
    """The plan's estimate passed but the kernel still says E2BIG (e.g. a huge environment)."""
    from launcher.server.process import spawn
    from launcher.server.registry import Registry

    plan = _plan(tmp_path, "你好", "v1")
    plan.env["SOVITS_LAUNCH_TEST_HUGE"] = "x" * (arglimits.LINUX_ARG_STRLEN + 10)
    with pytest.raises(BadInput) as e:
        spawn(plan, layout=layout())
    assert e.value.key == "start.command_too_long"
    assert Registry(layout().registry_file).servers() == []
