"""Loopback by default; binding elsewhere is said out loud, in the user's language.

(Pack import refusals: tests/packs/test_plan.py, test_zipsafe.py; bundle masking: test_bundle.py; argv and
.bat escaping: test_argv_safety.py, test_batfile.py.)
"""

from __future__ import annotations

import pytest

from helpers import make_package, nahida_yaml, run_cli, write_profile


@pytest.fixture
def pkg(tmp_path, isolated_home):
    pkg = make_package(tmp_path / "GPT-SoVITS 整合包")
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root))
    return pkg


def _argv_line(out: str) -> str:
    return next(line for line in out.splitlines() if "api" in line and ".py" in line)


@pytest.mark.parametrize("api", ["--v1", "--v2"])
def test_default_is_loopback_without_a_warning(pkg, capsys, api):
    code, out, err = run_cli(capsys, "nahida", api, "--dry-run")
    assert code == 0, err
    assert " -a 127.0.0.1 " in _argv_line(out)  # api.py's own default would be 0.0.0.0
    assert "安全警告" not in err


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_loopback_hosts_do_not_warn(pkg, capsys, host):
    code, _, err = run_cli(capsys, "nahida", "--host", host, "--dry-run")
    assert code == 0 and "安全警告" not in err


def test_host_option_warns_in_chinese(pkg, capsys):
    code, out, err = run_cli(capsys, "nahida", "--host", "0.0.0.0", "--dry-run")
    assert code == 0
    assert " -a 0.0.0.0 " in _argv_line(out)
    text = " ".join(err.split())
    for needle in ("安全警告", "0.0.0.0:9880", "没有任何密码", "让它退出", "任意路径的权重文件", "pickle", "可执行代码"):
        assert needle in text, needle
    assert "去掉 --host" in text  # the hint: how to go back


def test_host_option_warns_in_english(pkg, capsys):
    code, _, err = run_cli(capsys, "--lang", "en", "nahida", "--host", "192.168.1.5", "--dry-run")
    assert code == 0
    text = " ".join(err.split())
    for needle in ("Security warning", "192.168.1.5:9880", "no authentication", "make it exit",
                   "weight files (pickles, which can run code) from any path"):
        assert needle in text, needle


def test_a_profile_host_warns_too(pkg, isolated_home, capsys):
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root, host="0.0.0.0"))
    code, _, err = run_cli(capsys, "nahida", "--dry-run")
    assert code == 0 and "安全警告" in err and "0.0.0.0:9880" in err
