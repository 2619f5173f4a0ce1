"""Nothing lost: every file the launcher writes survives a failure in the middle of the write.

Each writer is run once per injected fault, at the write of the file itself and
(where the writer backs the file up first) at the write of the backup:

- `disk_full`: `os.fsync` of the temporary file fails with ENOSPC;
- `read_only`: the temporary file cannot be created (EROFS, a read-only disk or folder);
- `locked`:    `os.replace` fails with EACCES (Windows: another program holds the file);
- `ctrl_c`:    KeyboardInterrupt between the write and the replace.

After each: the original is byte-identical (or still absent), every other file is
untouched, no temporary file is left, and the only new files are backups that
hold the original bytes. Running as root, permission bits do not stop writes, so a
read-only disk is simulated at the system call.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from launcher import fsio, paths
from launcher.gsv import configpy
from launcher.packs import apply as packapply
from launcher.packs import plan as packplan
from launcher.packs import scan as packscan
from launcher.xiaozhi import config as xz
from launcher.xiaozhi.files import data_config_path
from launcher.windows.batfile import write_bat
from launcher.windows.batplan import plan_bat
from launcher.errors import LauncherError
from launcher.profiles.schema import parse_profile, save_profile
from launcher.server.registry import Registry, ServerRecord

from helpers import packgen as G
from helpers import make_package, nahida_yaml, snapshot, write_profile
from helpers.configpy_fixtures import GPT, SOVITS, SUPPORTED, package_with
from helpers.xiaozhi_tree import COMMENTED, make_xiaozhi, target, write_data

MODES = ["disk_full", "read_only", "locked", "ctrl_c"]


class Fault:
    """Makes the atomic write of one destination fail in a chosen way."""

    def __init__(self, monkeypatch, mode: str, hits):
        self.mode, self.hits, self.fired = mode, hits, []
        self._fds: set[int] = set()
        real_mkstemp, real_fsync, real_replace = tempfile.mkstemp, os.fsync, os.replace

        def mkstemp(suffix=None, prefix=None, dir=None, text=False):
            dest = Path(dir or ".") / (prefix or "")[1:-1]  # fsio: prefix=".<name>."
            if mode == "read_only" and self.hits(dest):
                self.fired.append(dest)
                raise PermissionError(errno.EROFS, "Read-only file system", str(dir))
            fd, name = real_mkstemp(suffix=suffix, prefix=prefix, dir=dir, text=text)
            if mode == "disk_full" and self.hits(dest):
                self._fds.add(fd)
            return fd, name

        def fsync(fd):
            if fd in self._fds:
                self._fds.discard(fd)
                self.fired.append(fd)
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_fsync(fd)

        def replace(src, dst, **kw):
            if mode in ("locked", "ctrl_c") and self.hits(Path(dst)):
                self.fired.append(dst)
                if mode == "ctrl_c":
                    raise KeyboardInterrupt
                raise PermissionError(errno.EACCES, "Permission denied", str(dst))
            return real_replace(src, dst, **kw)

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", replace)


def assert_nothing_lost(before: dict, after: dict, target: Path, original: bytes | None) -> None:
    assert (target.read_bytes() if target.exists() else None) == original
    for name, data in before.items():
        assert after.get(name, "missing") == data, name
    for name in set(after) - set(before):
        assert not name.endswith((".tmp", ".part")), f"temporary file left: {name}"
        if name.endswith(".lock") and after[name] == b"":
            continue  # the empty file of an OS lock (registry.locked): kept for the next holder, holds no data
        # New folders are fine; a new file can only be a backup of the original.
        assert after[name] is None or after[name] == original, f"unexpected new file: {name}"


# --- the writers ---------------------------------------------------------------------------------
# Each returns (the file written, the write).


def settings_file(tmp_path):
    where = paths.layout()
    where.settings_file.parent.mkdir(parents=True, exist_ok=True)
    where.settings_file.write_text("# 我的设置\ngsv_root: D:/旧的整合包\n", encoding="utf-8")
    return where.settings_file, lambda: paths.save_settings(paths.Settings(gsv_root="D:/新的整合包"))


def profile_file(tmp_path):
    home = paths.layout().home
    path = write_profile(home, "nahida", nahida_yaml(None) + "# 我自己的注释\n")
    profile = dataclasses.replace(parse_profile(path.read_text(encoding="utf-8"), path), port=9881)
    return path, lambda: save_profile(profile, path.parent, overwrite=True)


def registry_file(tmp_path):
    reg = Registry(paths.layout().registry_file)

    def rec(port):
        return ServerRecord(profile="nahida", api="v2", host="127.0.0.1", port=port, pid=os.getpid(),
                            create_time=0.0, log="x.log", root="/r")

    reg.add(rec(9880))
    return reg.path, lambda: reg.add(rec(9881))


def xiaozhi_data_config(tmp_path):
    xdir = make_xiaozhi(tmp_path / "xiaozhi-esp32-server")
    path = write_data(xdir, COMMENTED)
    plan = xz.plan(xdir, target("v2"))
    return path, lambda: xz.apply(plan)


def xiaozhi_data_config_new(tmp_path):
    """data/.config.yaml does not exist yet: after a failure it still does not."""
    xdir = make_xiaozhi(tmp_path / "xiaozhi-esp32-server")
    plan = xz.plan(xdir, target("v2"))
    return data_config_path(xdir), lambda: xz.apply(plan)


def xiaozhi_undo(tmp_path):
    xdir = make_xiaozhi(tmp_path / "xiaozhi-esp32-server")
    write_data(xdir, COMMENTED)
    path = xz.apply(xz.plan(xdir, target("v2"))).path
    return path, lambda: xz.undo(xdir)


def config_py_patch(tmp_path):
    root = package_with(tmp_path, SUPPORTED[-1])
    patch = configpy.plan_patch(root, GPT, SOVITS)
    return root / "config.py", lambda: configpy.apply_patch(patch, paths.layout().backups)


def config_py_restore(tmp_path):
    root = package_with(tmp_path, SUPPORTED[-1])
    configpy.apply_patch(configpy.plan_patch(root, GPT, SOVITS), paths.layout().backups)
    return root / "config.py", lambda: configpy.restore(root, paths.layout().backups)


def tts_infer_yaml(tmp_path):
    from launcher.demo.fake_package import free_port
    from launcher.server.plan import plan_start
    from launcher.server.process import spawn

    pkg = make_package(tmp_path / "GPT-SoVITS")
    profile = parse_profile(nahida_yaml(pkg.root), Path("/p/nahida.yaml"))
    where = paths.layout()
    plan = plan_start(profile, layout=where, settings=paths.Settings(), port=free_port())
    plan.infer_yaml.parent.mkdir(parents=True, exist_ok=True)
    plan.infer_yaml.write_text("# the previous start's file\n", encoding="utf-8")

    def start():
        def never(*a, **k):
            raise AssertionError("the server must not start when its config could not be written")

        real, subprocess.Popen = subprocess.Popen, never
        try:
            spawn(plan, layout=where)
        finally:
            subprocess.Popen = real

    return plan.infer_yaml, start


def bat_file(tmp_path):
    plan = plan_bat("nahida", root=tmp_path, display_name="纳西妲", via="exe")
    plan.path.write_bytes(b"@echo off\r\nrem my own\r\n")
    return plan.path, lambda: write_bat(plan)


# name -> (setup, backs the file up first?). The registry and tts_infer.yaml are the
# launcher's own state, regenerated on every start: no backup.
WRITERS = {
    "settings.yaml": (settings_file, True),
    "profile": (profile_file, True),
    "registry": (registry_file, False),
    "data/.config.yaml": (xiaozhi_data_config, True),
    "data/.config.yaml (new)": (xiaozhi_data_config_new, True),
    "data/.config.yaml (undo)": (xiaozhi_undo, True),
    "config.py (patch)": (config_py_patch, True),
    "config.py (restore)": (config_py_restore, True),
    "tts_infer.yaml": (tts_infer_yaml, False),
    ".bat": (bat_file, True),
}
CASES = [(w, s, m) for w, (_, backs_up) in WRITERS.items() for s in ("file", "backup")[: 1 + backs_up] for m in MODES]


@pytest.mark.parametrize("writer,stage,mode", CASES, ids=[f"{w}-{s}-{m}" for w, s, m in CASES])
def test_a_failed_write_loses_nothing(tmp_path, isolated_home, monkeypatch, writer, stage, mode):
    target_file, write = WRITERS[writer][0](tmp_path)
    original = target_file.read_bytes() if target_file.exists() else None
    roots = (tmp_path, isolated_home)
    before = snapshot(*roots)

    def hits(dest: Path) -> bool:
        if stage == "file":
            return dest == target_file
        return dest != target_file and dest.name.startswith(target_file.name + ".")

    fault = Fault(monkeypatch, mode, hits)
    expected = KeyboardInterrupt if mode == "ctrl_c" else LauncherError
    with pytest.raises(expected) as info:
        write()
    assert fault.fired, "the fault was never reached"
    if expected is LauncherError:
        assert info.value.key in ("fs.write_failed", "fs.backup_failed"), info.value.key
    monkeypatch.undo()
    assert_nothing_lost(before, snapshot(*roots), target_file, original)


@pytest.mark.parametrize("mode", MODES)
def test_a_new_xiaozhi_file_failing_after_its_stub_is_not_left_behind(tmp_path, isolated_home, monkeypatch, mode):
    """A missing data/.config.yaml is first written as `{}` (so `undo` has a valid file to
    return to), backed up, then written for real: a failure at that last write removes both."""
    target_file, write = xiaozhi_data_config_new(tmp_path)
    before = snapshot(tmp_path, isolated_home)
    seen = []

    def second_write(dest: Path) -> bool:
        if dest != target_file:
            return False
        seen.append(dest)
        return len(seen) == 2

    Fault(monkeypatch, mode, second_write)
    with pytest.raises(KeyboardInterrupt if mode == "ctrl_c" else LauncherError):
        write()
    monkeypatch.undo()
    assert len(seen) == 2
    assert_nothing_lost(before, snapshot(tmp_path, isolated_home), target_file, None)


def test_each_writer_really_writes_without_a_fault(tmp_path, isolated_home):
    """The control: without the fault every writer above changes its file."""
    for name, (make, _) in WRITERS.items():
        case = tmp_path / name.replace("/", "_").replace(" ", "_")
        case.mkdir()
        target_file, write = make(case)
        original = target_file.read_bytes() if target_file.exists() else None
        if name == "tts_infer.yaml":
            continue  # writing it is followed by a real start: covered in test_start_live.py
        write()
        assert target_file.read_bytes() != original, name


# --- write_atomic and backup themselves ------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_a_new_file_that_fails_is_not_created(tmp_path, monkeypatch, mode):
    path = tmp_path / "新文件.yaml"
    Fault(monkeypatch, mode, lambda dest: dest == path)
    with pytest.raises(KeyboardInterrupt if mode == "ctrl_c" else LauncherError):
        fsio.write_atomic(path, "a: 1\n")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_replacing_keeps_the_permission_bits(tmp_path):
    path = tmp_path / "run.bat"
    path.write_bytes(b"old")
    path.chmod(0o640)
    fsio.write_atomic(path, b"new")
    assert (path.read_bytes(), stat.S_IMODE(path.stat().st_mode)) == (b"new", 0o640)


def test_backups_in_the_same_second_do_not_overwrite_each_other(tmp_path):
    path = tmp_path / "config.py"
    made = []
    for n in range(3):
        path.write_bytes(b"version %d" % n)
        made.append(fsio.backup(path))
    assert len(set(made)) == 3
    assert [p.read_bytes() for p in made] == [b"version 0", b"version 1", b"version 2"]
    assert fsio.list_backups(path) == sorted(made, key=lambda p: (p.stat().st_mtime, p.name))
    assert fsio.backup(tmp_path / "absent") is None


# --- imported files (packapply.apply_import: stage everything, then commit, roll back on failure) ------


@pytest.fixture
def gsv_root(tmp_path):
    return G.make_package(tmp_path / "GPT-SoVITS-v2pro-20250604")


def _import_over_existing(tmp_path, gsv_root):
    """A pack that replaces an existing weight file and an existing profile (force)."""
    pack = G.plain_pack(tmp_path / "p")
    G.fake_pth(gsv_root / "SoVITS_weights_v2Pro" / "刻晴_e8_s200.pth", "v2Pro", payload=10)
    folder = paths.layout().profiles
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "刻晴.yaml").write_text("name: 刻晴\ngpt: a.ckpt\nsovits: b.pth\n", encoding="utf-8")
    return pack


@pytest.mark.parametrize("when", ["staging", "committing"])
@pytest.mark.parametrize("mode", ["disk_full", "ctrl_c"])
def test_a_failed_import_loses_nothing(tmp_path, gsv_root, isolated_home, monkeypatch, when, mode):
    pack = _import_over_existing(tmp_path, gsv_root)
    before = snapshot(gsv_root, isolated_home)
    real_fsync, real_replace = os.fsync, os.replace
    calls = {"fsync": 0, "replace": 0}

    def fsync(fd):
        calls["fsync"] += 1
        if when == "staging" and calls["fsync"] == 3:  # two files are staged when it fails
            if mode == "ctrl_c":
                raise KeyboardInterrupt
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    def replace(src, dst, **kw):
        if ".part" in str(src) and when == "committing":
            calls["replace"] += 1
            if calls["replace"] == 2:  # one file is already in place, replacing the old one
                if mode == "ctrl_c":
                    raise KeyboardInterrupt
                raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real_replace(src, dst, **kw)

    with packscan.scan(pack) as s:
        plan = packplan.plan_import(s, root=gsv_root, layout=paths.layout(), force=True)
        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", replace)
        with pytest.raises(KeyboardInterrupt if mode == "ctrl_c" else LauncherError):
            packapply.apply_import(plan)
        monkeypatch.undo()
    assert calls["fsync" if when == "staging" else "replace"] >= 2
    assert snapshot(gsv_root, isolated_home) == before


# --- the diagnostics bundle -----------------------------------------------------------------------


def test_a_failed_bundle_leaves_no_partial_zip(tmp_path, isolated_home, monkeypatch):
    from launcher.doctor import bundle

    out = tmp_path / "diag.zip"
    real = bundle.zipfile.ZipFile.writestr

    def full(self, name, data, *a, **k):
        if name == "README.txt":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, name, data, *a, **k)

    monkeypatch.setattr(bundle.zipfile.ZipFile, "writestr", full)
    with pytest.raises(LauncherError) as info:
        bundle.write_bundle(out, layout=paths.layout())
    assert info.value.key == "fs.write_failed"
    assert list(tmp_path.iterdir()) == []
