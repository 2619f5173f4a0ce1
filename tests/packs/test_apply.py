"""Carrying an import out all or nothing: failures, Ctrl+C, progress, atomic copies."""

from __future__ import annotations

import os
import zipfile

import pytest

from helpers import packgen as G
from helpers import snapshot
from helpers.pack_import import expect_error, home
from launcher.packs import apply as packapply
from launcher.packs import plan as packplan
from launcher.packs import scan as packscan


# --- all or nothing -----------------------------------------------------------------------------


def test_failure_mid_copy_leaves_everything_as_before(tmp_path, root, monkeypatch):
    pack = G.aihobbyist_model(tmp_path / "m")
    before = snapshot(root, home().home)
    real = packapply._copy_into
    calls = []

    def failing(source, target, counter):
        calls.append(source)
        if len(calls) == 3:
            real(source, target, counter)  # half the work is on disk when it fails
            raise OSError(28, "No space left on device", str(target))
        real(source, target, counter)

    monkeypatch.setattr(packapply, "_copy_into", failing)
    with packscan.scan(pack) as s:
        plan = packplan.plan_import(s, root=root, layout=home())
        err = expect_error("packs.apply_failed", packapply.apply_import, plan)
    assert err.params["reason"] == "No space left on device"
    assert len(calls) == 3
    assert snapshot(root, home().home) == before


def test_failure_while_committing_restores_replaced_files(tmp_path, root, monkeypatch):
    pack = G.plain_pack(tmp_path / "p")
    G.fake_pth(root / "SoVITS_weights_v2Pro" / "刻晴_e8_s200.pth", "v2Pro", payload=10)
    home().profiles.mkdir(parents=True)
    (home().profiles / "刻晴.yaml").write_text("name: 刻晴\ngpt: a.ckpt\nsovits: b.pth\n", encoding="utf-8")
    before = snapshot(root, home().home)
    real_replace = os.replace

    def replace(src, dst):
        if str(dst).endswith("刻晴.yaml"):
            raise PermissionError(13, "Permission denied", str(dst))
        return real_replace(src, dst)

    with packscan.scan(pack) as s:
        plan = packplan.plan_import(s, root=root, layout=home(), force=True)
        with monkeypatch.context() as m:
            m.setattr(os, "replace", replace)
            err = expect_error("packs.apply_failed", packapply.apply_import, plan)
    assert err.params["path"].endswith("刻晴.yaml")
    assert snapshot(root, home().home) == before  # weights restored, new files and backups gone


def test_ctrl_c_during_copy_leaves_no_partial_file(tmp_path, root):
    pack = G.plain_pack(tmp_path / "p")
    G.fake_pth(pack / "刻晴_e8_s200.pth", "v2Pro", payload=3 << 20)
    before = snapshot(root, home().home)

    def interrupt(done, total):
        if done > 1 << 20:
            raise KeyboardInterrupt

    with packscan.scan(pack) as s:
        plan = packplan.plan_import(s, root=root, layout=home())
        with pytest.raises(KeyboardInterrupt):
            packapply.apply_import(plan, on_progress=interrupt)
    assert snapshot(root, home().home) == before


def test_progress_reports_every_byte(tmp_path, root):
    pack = G.plain_pack(tmp_path / "p")
    G.fake_pth(pack / "刻晴_e8_s200.pth", "v2Pro", payload=3 << 20)
    calls = []
    with packscan.scan(pack) as s:
        plan = packplan.plan_import(s, root=root, layout=home())
        result = packapply.apply_import(plan, on_progress=lambda done, total: calls.append((done, total)))
    total = sum(op.size for op in plan.files)
    assert total == plan.copy_bytes == result.bytes_copied > 3 << 20
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert all(t == total for _, t in calls)
    assert all(a[0] <= b[0] for a, b in zip(calls, calls[1:]))
    assert len(calls) > 4  # the big file reports in chunks


def test_progress_when_moving_out_of_a_zip(tmp_path, root, work):
    archive = G.zip_folder(G.plain_pack(tmp_path / "p"), tmp_path / "p.zip")
    unpack, copy = [], []
    with packscan.scan(archive, work_dir=work, on_progress=lambda d, t: unpack.append((d, t))) as s:
        plan = packplan.plan_import(s, root=root, layout=home())
        assert all(op.move for op in plan.files)
        result = packapply.apply_import(plan, on_progress=lambda d, t: copy.append((d, t)))
    assert unpack[0][0] == 0 and unpack[-1][0] == unpack[-1][1] == sum(i.file_size for i in zipfile.ZipFile(archive).infolist())
    assert copy[0] == (0, result.bytes_copied) and copy[-1] == (result.bytes_copied, result.bytes_copied)


def test_copy_atomic(tmp_path):
    src = tmp_path / "big.pth"
    src.write_bytes(bytes(range(256)) * (3 << 12))  # 3 MiB: several chunks
    calls = []
    n = packapply.copy_atomic(src, tmp_path / "out" / "big.pth", on_progress=lambda d, t: calls.append((d, t)))
    assert n == src.stat().st_size and (tmp_path / "out" / "big.pth").read_bytes() == src.read_bytes()
    assert calls[0] == (0, n) and calls[-1] == (n, n)

    def stop(done, total):
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        packapply.copy_atomic(src, tmp_path / "out2" / "big.pth", on_progress=stop)
    assert list((tmp_path / "out2").iterdir()) == []
    old = tmp_path / "out" / "big.pth"
    old.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt):
        packapply.copy_atomic(src, old, on_progress=stop)
    assert old.read_bytes() == b"old" and sorted(p.name for p in old.parent.iterdir()) == ["big.pth"]
    expect_error("fs.not_found", packapply.copy_atomic, tmp_path / "none", tmp_path / "x")
