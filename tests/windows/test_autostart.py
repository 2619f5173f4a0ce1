"""`autostart`: the files it writes (bytes), register / list / remove, bad input, doctor,
and on Linux the registered command itself, run directly against a stand-in package.

The folders are moved into the test's home by conftest (SOVITS_LAUNCH_STARTUP_DIR,
SOVITS_LAUNCH_AUTOSTART_DATA, SOVITS_LAUNCH_SYSTEMD_USER_DIR, SOVITS_LAUNCH_XDG_AUTOSTART_DIR).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from launcher.demo.fake_package import build_standin_package
from launcher.demo.run import first_free_port
from launcher.paths import layout
from launcher.server.registry import Registry
from launcher.windows import autostart, autostart_linux
from launcher.windows.autostart import check_vbs_bytes, windows_entry

from helpers import make_package, nahida_yaml, run_cli, standin_yaml, wait_for, write_profile


@pytest.fixture
def pkg(tmp_path):
    return make_package(tmp_path / "GPT-SoVITS 整合包 & 测试")


def _profile(home, pkg, name="nahida", **extra):
    fields = dict(gpt=str(pkg.gpt), sovits=str(pkg.sovits), ref_audio=str(pkg.ref), name=name)
    fields.update(extra)
    root = fields.pop("root", pkg.root)
    return write_profile(home, name, nahida_yaml(root, **fields))


# --- Windows: the .vbs and its data file -------------------------------------------------------------


def test_vbs_is_ascii_crlf_and_the_same_for_every_profile(tmp_path):
    entries = [
        windows_entry(pid, argv=["C:\\Users\\张三\\sovits-launch.exe", "start", pid, "--detach", "--restart-on-crash"],
                      cwd="C:\\Users\\张三", env={}, meta={"root": "D:\\整合包"}, startup=tmp_path / "s", data=tmp_path / "d")
        for pid in ("nahida", "纳西妲", "派蒙 & 纳西妲 (v2)!")
    ]
    vbs = [e.files[e.path] for e in entries]
    assert vbs[0] == vbs[1] == vbs[2]  # names and paths live in the data file, never in the script
    data = vbs[0]
    data.decode("ascii")
    assert data[:3] != b"\xef\xbb\xbf" and data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"") and b"\r" not in data.replace(b"\r\n", b"")
    assert b"sh.Run cmd, 0, False" in data  # a hidden window: nothing flashes at login
    check_vbs_bytes(data)
    assert [e.path.name for e in entries] == ["sovits-launch-nahida.vbs", "sovits-launch-纳西妲.vbs",
                                               "sovits-launch-派蒙 & 纳西妲 (v2)!.vbs"]
    assert [e.data.name for e in entries] == [e.path.stem + ".txt" for e in entries]


def test_data_file_is_utf16_with_the_command(tmp_path):
    entry = windows_entry("纳西妲", argv=["D:\\AI\\整合包\\runtime\\python.exe", "-m", "launcher", "start", "纳西妲",
                                         "--detach", "--restart-on-crash"],
                          cwd="D:\\AI\\整合包", env={"SOVITS_LAUNCH_HOME": "D:\\家"}, meta={"root": "D:\\AI\\整合包"},
                          startup=tmp_path / "s", data=tmp_path / "d")
    raw = entry.files[entry.data]
    assert raw[:2] == b"\xff\xfe"
    lines = raw[2:].decode("utf-16-le").split("\r\n")
    assert lines[0] == "D:\\AI\\整合包"
    assert lines[1] == '"D:\\AI\\整合包\\runtime\\python.exe" -m launcher start 纳西妲 --detach --restart-on-crash'
    assert "#root=D:\\AI\\整合包" in lines and "SOVITS_LAUNCH_HOME=D:\\家" in lines
    assert lines[-1] == ""  # CRLF after the last line too
    # read back as --list and doctor do
    autostart.register(entry)
    back = autostart.read_windows_entry(entry.path, tmp_path / "d")
    assert back.profile == "纳西妲" and back.argv == entry.argv and back.cwd == entry.cwd
    assert back.env == {"SOVITS_LAUNCH_HOME": "D:\\家"} and back.meta["root"] == "D:\\AI\\整合包"


def test_vbs_check_refuses_non_ascii_and_lf():
    from launcher.errors import BadInput

    with pytest.raises(BadInput) as e:
        check_vbs_bytes("MsgBox \"纳西妲\"\r\n".encode("utf-8"))
    assert e.value.key == "autostart.not_ascii"
    with pytest.raises(BadInput) as e:
        check_vbs_bytes(b"MsgBox 1\nMsgBox 2\r\n")
    assert e.value.key == "autostart.not_crlf"


def test_cli_register_list_remove_windows(pkg, isolated_home, capsys, monkeypatch):
    monkeypatch.setenv("SOVITS_LAUNCH_AUTOSTART_KIND", "windows")
    _profile(isolated_home, pkg, display_name="纳西妲")
    code, out, err = run_cli(capsys, "autostart", "nahida")
    assert code == 0, err
    vbs = isolated_home / "startup" / "sovits-launch-nahida.vbs"
    data = isolated_home / "autostart-data" / "sovits-launch-nahida.txt"
    assert vbs.is_file() and data.is_file()
    assert str(vbs) in out and "--restart-on-crash" in out
    text = data.read_bytes()[2:].decode("utf-16-le")
    assert "start nahida --detach --restart-on-crash" in text
    assert f"SOVITS_LAUNCH_HOME={isolated_home}" in text  # the same launcher home at login
    code, out, err = run_cli(capsys, "autostart", "--list", "--json")
    rows = json.loads(out)["data"]
    assert [(r["profile"], r["kind"]) for r in rows] == [("nahida", "windows")]
    assert rows[0]["argv"][-4:] == ["start", "nahida", "--detach", "--restart-on-crash"]
    # again: replaced in place, still one entry
    assert run_cli(capsys, "autostart", "nahida")[0] == 0
    assert len(json.loads(run_cli(capsys, "autostart", "--list", "--json")[1])["data"]) == 1
    code, out, err = run_cli(capsys, "autostart", "--remove", "纳西妲")  # by display name too
    assert code == 0, err
    assert not vbs.exists() and not data.exists()
    code, out, err = run_cli(capsys, "autostart", "--remove", "nahida")
    assert code == 2 and "没有登记开机自启" in err
    code, out, err = run_cli(capsys, "autostart", "--list")
    assert code == 0 and "还没有登记" in out


# --- bad input ------------------------------------------------------------------------------------------


def test_missing_profile(isolated_home, capsys):
    code, out, err = run_cli(capsys, "autostart", "nobody")
    assert code == 2 and "找不到角色配置" in err
    assert not (isolated_home / "startup").exists() and not (isolated_home / "systemd-user").exists()


def test_no_profile_named(capsys):
    code, out, err = run_cli(capsys, "autostart")
    assert code == 2 and "--list" in err


def test_profile_without_reference(pkg, isolated_home, capsys, monkeypatch):
    monkeypatch.setenv("SOVITS_LAUNCH_AUTOSTART_KIND", "windows")
    _profile(isolated_home, pkg, ref_audio=None, prompt_text=None)
    code, out, err = run_cli(capsys, "autostart", "nahida")
    assert code == 2 and "没有参考音频" in err and "ref_audio" in err
    assert not (isolated_home / "startup").exists() and not (isolated_home / "autostart-data").exists()


def test_package_folder_gone(pkg, isolated_home, capsys):
    _profile(isolated_home, pkg, root=str(pkg.root / "moved-away"))
    code, out, err = run_cli(capsys, "autostart", "nahida")
    assert code == 2 and "GPT-SoVITS 文件夹不存在" in err


def test_read_only_startup_folder(pkg, isolated_home, capsys, monkeypatch):
    monkeypatch.setenv("SOVITS_LAUNCH_AUTOSTART_KIND", "windows")
    _profile(isolated_home, pkg)
    startup = isolated_home / "startup"
    startup.mkdir()
    if os.geteuid() != 0 if hasattr(os, "geteuid") else True:
        startup.chmod(0o555)
    else:
        # root writes through permission bits: make the folder refuse the way Windows does.
        real = os.replace

        def refuse(src, dst, *a, **k):
            if Path(dst).parent == startup:
                raise PermissionError(13, "Access is denied")
            return real(src, dst, *a, **k)

        monkeypatch.setattr(os, "replace", refuse)
    try:
        code, out, err = run_cli(capsys, "autostart", "nahida")
    finally:
        startup.chmod(0o755)
    assert code == 1 and "无法写入文件" in err and "startup" in err
    assert list(startup.iterdir()) == []
    # the data file written first was taken back: no half registration
    data = isolated_home / "autostart-data"
    assert not data.exists() or list(data.iterdir()) == []


def test_unit_name_with_chinese_characters():
    assert autostart_linux.unit_name("纳西妲") == "sovits-launch-\\xe7\\xba\\xb3\\xe8\\xa5\\xbf\\xe5\\xa6\\xb2.service"
    assert autostart_linux.unit_name("hu-tao.v2") == "sovits-launch-hu\\x2dtao.v2.service"
    assert autostart_linux.desktop_name("纳西妲") == "sovits-launch-_xe7_xba_xb3_xe8_xa5_xbf_xe5_xa6_xb2.desktop"
    from launcher.errors import BadInput

    with pytest.raises(BadInput) as e:
        autostart_linux.unit_name("纳" * 30)
    assert e.value.key == "autostart.name_too_long"


@pytest.mark.skipif(shutil.which("systemd-escape") is None, reason="needs systemd-escape")
@pytest.mark.parametrize("name", ["nahida", "纳西妲", "派蒙 & 纳西妲 (v2)!", "hu-tao", ".hidden", "a/b", "x:y_z.1"])
def test_escape_matches_systemd_escape(name):
    real = subprocess.run(["systemd-escape", "--", name], capture_output=True, text=True, check=True).stdout.strip()
    assert autostart_linux.systemd_escape(name) == real


# --- Linux: systemd unit and XDG entry, the command run directly -------------------------------------


@pytest.fixture
def standin(tmp_path, isolated_home, monkeypatch):
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.3")
    monkeypatch.setenv("STANDIN_FIRST_SYNTH_SECONDS", "0.05")
    real = build_standin_package(tmp_path / "GPT-SoVITS 整合包 (v2) & 测试")
    port = first_free_port(23000 + os.getpid() % 20000)
    write_profile(isolated_home, "纳西妲", standin_yaml(real, port, name="纳西妲", display_name="纳西妲"))
    return real, port


def _systemd_exec(unit_text: str) -> tuple[list[str], dict, str]:
    """ExecStart=, Environment= and WorkingDirectory= as systemd reads them (quotes, C escapes,
    %% and $$), parsed here independently of the launcher's own reader."""
    argv, env, cwd = [], {}, ""
    for line in unit_text.splitlines():
        key, _, value = line.partition("=")
        if key == "ExecStart":
            argv = [w.replace("%%", "%").replace("$$", "$") for w in shlex.split(value)]
        elif key == "Environment":
            for word in shlex.split(value):
                name, _, val = word.replace("%%", "%").partition("=")
                env[name] = val
        elif key == "WorkingDirectory":
            cwd = value.replace("%%", "%")
    return argv, env, cwd


@pytest.mark.slow
def test_systemd_unit_starts_the_profile(standin, isolated_home, capsys, monkeypatch):
    pkg, port = standin
    monkeypatch.setenv("SOVITS_LAUNCH_AUTOSTART_KIND", "systemd")
    code, out, err = run_cli(capsys, "autostart", "纳西妲")
    assert code == 0, err
    units = isolated_home / "systemd-user"
    unit = units / "sovits-launch-\\xe7\\xba\\xb3\\xe8\\xa5\\xbf\\xe5\\xa6\\xb2.service"
    assert unit.is_file()
    link = units / "default.target.wants" / unit.name
    assert link.is_symlink() and link.resolve() == unit.resolve()  # what `systemctl --user enable` makes
    text = unit.read_text(encoding="utf-8")
    assert "Restart=no" in text and "WantedBy=default.target" in text and "KillMode=mixed" in text
    assert "SuccessExitStatus=130" in text
    argv, env, cwd = _systemd_exec(text)
    assert argv[-3:] == ["start", "纳西妲", "--restart-on-crash"]
    assert "--detach" not in argv  # systemd watches the launcher, the launcher watches the server
    assert env == {"SOVITS_LAUNCH_HOME": str(isolated_home)}
    if not pkg.python:
        argv += ["--python", sys.executable]
    proc = subprocess.Popen(argv, cwd=cwd, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        rec = wait_for(lambda: (r := Registry(layout().registry_file).find(port=port)) and r[0].state == "ready"
                       and r[0].supervisor_pid and r[0],
                       timeout=30, what="the profile started by the unit's command")
        assert rec.profile == "纳西妲" and rec.restart_on_crash and rec.supervisor_pid == proc.pid
        code, out, err = run_cli(capsys, "stop", "纳西妲")
        assert code == 0, err
        assert proc.wait(timeout=20) == 0  # `sovits-launch stop`: the unit ends cleanly, not "failed"
    finally:
        if proc.poll() is None:
            proc.kill()
    # `systemctl --user stop` (KillMode=mixed): SIGTERM to the launcher, which stops its server;
    # its exit code is the unit's SuccessExitStatus.
    proc = subprocess.Popen(argv, cwd=cwd, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        rec = wait_for(lambda: (r := Registry(layout().registry_file).find(port=port)) and r[0].state == "ready" and r[0],
                       timeout=30, what="started again")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 130
        assert Registry(layout().registry_file).find(port=port) == []
        assert not psutil.pid_exists(rec.pid) or psutil.Process(rec.pid).status() == psutil.STATUS_ZOMBIE
    finally:
        if proc.poll() is None:
            proc.kill()
    code, out, err = run_cli(capsys, "autostart", "--remove", "纳西妲")
    assert code == 0, err
    assert not unit.exists() and not link.is_symlink()


def _desktop_exec(text: str) -> tuple[list[str], str]:
    """Exec= and Path= as the XDG spec reads them: value escapes, then quoting, then %%."""
    argv, cwd = [], ""
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key == "Exec":
            value = value.replace("\\\\", "\x00").replace("\\s", " ").replace("\x00", "\\")
            argv = [w.replace("%%", "%") for w in shlex.split(value)]
        elif key == "Path":
            cwd = value
    return argv, cwd


@pytest.mark.slow
def test_xdg_entry_starts_the_profile_detached(standin, isolated_home, capsys, monkeypatch):
    pkg, port = standin
    monkeypatch.setenv("SOVITS_LAUNCH_AUTOSTART_KIND", "xdg")
    assert run_cli(capsys, "autostart", "纳西妲")[0] == 0
    entry = isolated_home / "xdg-autostart" / "sovits-launch-_xe7_xba_xb3_xe8_xa5_xbf_xe5_xa6_xb2.desktop"
    text = entry.read_text(encoding="utf-8")
    assert "Terminal=false" in text and "Type=Application" in text
    argv, cwd = _desktop_exec(text)
    assert argv[:2] == ["env", f"SOVITS_LAUNCH_HOME={isolated_home}"]
    assert argv[-4:] == ["start", "纳西妲", "--detach", "--restart-on-crash"]
    if not pkg.python:
        argv += ["--python", sys.executable]
    try:
        done = subprocess.run(argv, cwd=cwd, env=dict(os.environ), capture_output=True, timeout=60)
        assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
        rec = Registry(layout().registry_file).find(port=port)[0]
        assert rec.profile == "纳西妲" and rec.detached and rec.restart_on_crash and rec.supervisor_pid
    finally:
        run_cli(capsys, "stop", "--all")
    listed = json.loads(run_cli(capsys, "autostart", "--list", "--json")[1])["data"]
    assert listed[0]["argv"] == argv[2:len(listed[0]["argv"]) + 2] and listed[0]["cwd"] == cwd


# --- doctor -----------------------------------------------------------------------------------------


def test_doctor_lists_entries_and_what_they_lost(pkg, isolated_home, capsys, monkeypatch):
    monkeypatch.setenv("SOVITS_LAUNCH_AUTOSTART_KIND", "xdg")
    profile = _profile(isolated_home, pkg)
    assert run_cli(capsys, "autostart", "nahida")[0] == 0
    code, out, err = run_cli(capsys, "doctor", "--json", "--no-probe")
    sections = [s for s in json.loads(out)["data"]["sections"] if s["kind"] == "autostart"]
    assert [c["key"] for c in sections[0]["checks"]] == ["doctor.autostart_ok"]
    profile.unlink()
    code, out, err = run_cli(capsys, "doctor", "--json", "--no-probe")
    sections = [s for s in json.loads(out)["data"]["sections"] if s["kind"] == "autostart"]
    check = sections[0]["checks"][0]
    assert check["status"] == "fail" and check["key"] == "doctor.autostart_profile_missing"
    code, out, err = run_cli(capsys, "doctor", "--no-probe")
    assert "开机自启" in out + err and "已经没有角色配置" in out + err
