"""Zip safety: paths that escape, links, bombs, limits, duplicates, encryption, corruption."""

from __future__ import annotations

import os
import sys
import zipfile

import pytest

from helpers import packgen as G
from helpers import snapshot
from helpers.pack_import import expect_error, home
from launcher.packs import scan as packscan
from launcher.packs.zipsafe import ZipLimits


# --- zip safety ------------------------------------------------------------------------------------


def _symlink_member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16
    return info


@pytest.mark.parametrize(
    "name", ["../evil.wav", "..\\evil.wav", "a/../../evil.wav", "/etc/evil.wav", "C:/evil.wav", "C:evil.wav", "\\\\server\\x.wav", "a/b:stream"]
)
def test_zip_entries_escaping_the_folder(tmp_path, root, work, name):
    archive = G.zip_members(tmp_path / "bad.zip", G.weight_members() + [(zipfile.ZipInfo(name), b"x")])
    before = snapshot(root, home().home)
    err = expect_error("packs.zip_unsafe_path", packscan.scan, archive, work_dir=work)
    assert err.params["entry"] == name
    assert list(work.iterdir()) == [] and snapshot(root, home().home) == before
    assert not (tmp_path / "evil.wav").exists()


def test_zip_symlink_member(tmp_path, work):
    archive = G.zip_members(tmp_path / "l.zip", G.weight_members() + [(_symlink_member("ref.wav"), b"/etc/passwd")])
    expect_error("packs.zip_symlink", packscan.scan, archive, work_dir=work)
    assert list(work.iterdir()) == []


def test_zip_bomb_and_size_limits(tmp_path, work):
    bomb = G.zip_members(tmp_path / "bomb.zip", G.weight_members() + [("zeros.wav", bytes(20 << 20))])
    assert bomb.stat().st_size < 1 << 20
    err = expect_error("packs.zip_bomb", packscan.scan, bomb, work_dir=work)
    assert err.params["ratio"] > 200
    big = G.zip_members(tmp_path / "big.zip", G.weight_members() + [("noise.wav", os.urandom(4000))])
    err = expect_error("packs.zip_too_large", packscan.scan, big, work_dir=work, limits=ZipLimits(max_total=3000))
    expect_error("packs.zip_too_many", packscan.scan, big, work_dir=work, limits=ZipLimits(max_files=2))
    assert list(work.iterdir()) == []


def test_zip_duplicate_names(tmp_path, work):
    archive = G.zip_members(tmp_path / "d.zip", G.weight_members() + [("Ref.wav", b"1"), ("ref.WAV", b"2")])
    expect_error("packs.zip_duplicate", packscan.scan, archive, work_dir=work)


def test_zip_encrypted(tmp_path, work):
    archive = G.zip_members(tmp_path / "e.zip", G.weight_members())
    data = bytearray(archive.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x01  # general purpose flag bit 0: encrypted
    archive.write_bytes(bytes(data))
    expect_error("packs.zip_encrypted", packscan.scan, archive, work_dir=work)


def test_corrupt_zips(tmp_path, root, work):
    (tmp_path / "junk.zip").write_bytes(b"this is not a zip at all")
    expect_error("packs.zip_corrupt", packscan.scan, tmp_path / "junk.zip", work_dir=work)
    good = G.zip_folder(G.plain_pack(tmp_path / "p"), tmp_path / "good.zip")
    (tmp_path / "cut.zip").write_bytes(good.read_bytes()[:-40])
    expect_error("packs.zip_corrupt", packscan.scan, tmp_path / "cut.zip", work_dir=work)
    # a damaged byte inside a stored member: the CRC check fails while extracting
    crc = tmp_path / "crc.zip"
    with zipfile.ZipFile(crc, "w", zipfile.ZIP_STORED) as z:
        for name, data in G.weight_members():
            z.writestr(name, data)
        z.writestr("a.lab", b"A" * 1000)
    data = bytearray(crc.read_bytes())
    data[data.index(b"A" * 1000) + 500] = ord("B")
    crc.write_bytes(bytes(data))
    expect_error("packs.zip_corrupt", packscan.scan, crc, work_dir=work)
    assert list(work.iterdir()) == []


def test_nested_zips_are_reported_not_opened(tmp_path, work):
    pack = G.plain_pack(tmp_path / "p")
    G.zip_folder(G.plain_pack(tmp_path / "inner"), pack / "更多角色.zip")
    archive = G.zip_folder(pack, tmp_path / "outer.zip")
    with packscan.scan(archive, work_dir=work) as s:
        (n,) = [n for n in s.notices if n.key == "packs.nested_zips"]
        assert n.params == {"files": "更多角色.zip"}
        assert len(s.characters) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="creating symlinks needs privileges on Windows")
def test_folder_with_a_symlink_is_refused(tmp_path, root):
    pack = G.plain_pack(tmp_path / "p")
    (pack / "secret.wav").symlink_to(tmp_path / "p" / "keqing_001.wav")
    expect_error("packs.symlink", packscan.scan, pack)
    (pack / "secret.wav").unlink()
    (pack / "linked").symlink_to(tmp_path, target_is_directory=True)
    expect_error("packs.symlink", packscan.scan, pack)
