"""Safe extraction of voice-pack zips into a private temporary folder.

Every member is checked before the first byte is written: no `..`, no absolute
path, no drive letter or `:` (drive-relative paths, NTFS streams), no symlink,
no encryption, no duplicate name (Windows folds case), a bounded count and
total size, and no member that inflates far beyond its compressed size (a zip
bomb). While writing, each member is cut off at the size its header declares.

Names: the UTF-8 flag (bit 11) decides. Without it, Python decodes the name as
cp437; packs zipped on Chinese Windows wrote GBK bytes there, so the cp437 text
is turned back into the original bytes and decoded as UTF-8 (7-Zip and macOS
write UTF-8 without the flag), else as GB18030 (a superset of GBK).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import sys
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from launcher.errors import BadInput, LauncherError

GIB = 1 << 30
MIB = 1 << 20
CHUNK = 1 * MIB
UTF8_FLAG = 0x800
ENCRYPTED_FLAG = 0x1
TEMP_PREFIX = ".sovits-launch-import-"
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_DRIVE = re.compile(r"^[A-Za-z]:")

Progress = Optional[Callable[[int, int], None]]


@dataclass(frozen=True)
class ZipLimits:
    max_total: int = 4 * GIB  # sum of the declared uncompressed sizes
    max_files: int = 50_000
    max_ratio: float = 200.0  # uncompressed / compressed, for members of at least ...
    ratio_floor: int = 16 * MIB  # ... this size (small silent WAVs compress well and are harmless)


@dataclass
class Extracted:
    folder: Path  # the temporary folder holding the members; the caller removes it
    files: int
    bytes: int
    gbk_names: int  # member names decoded from GBK
    nested_zips: list[str]


def member_name(info: zipfile.ZipInfo) -> tuple[str, bool]:
    """The member name as written by the author, and whether it was decoded from GBK."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename, False
    # orig_filename is the cp437 decoding of the raw bytes (before Python turns
    # `\` into `/`, which would corrupt a GBK trail byte 0x5C on Windows).
    raw = info.orig_filename.encode("cp437")
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), True
    except UnicodeDecodeError:
        return info.orig_filename, False


def safe_parts(name: str) -> list[str]:
    """The path components of a member name; `BadInput("packs.zip_unsafe_path")` when it
    could land outside the target folder."""
    if "\x00" in name:
        raise BadInput("packs.zip_unsafe_path", entry=name.replace("\x00", "\\0"))
    text = name.replace("\\", "/")
    if text.startswith("/") or _DRIVE.match(text):
        raise BadInput("packs.zip_unsafe_path", entry=name)
    parts = [p for p in text.split("/") if p not in ("", ".")]
    for p in parts:
        if p == ".." or ":" in p:
            raise BadInput("packs.zip_unsafe_path", entry=name)
    return parts


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    # Unix mode bits live in the high 16 bits of external_attr (set by Info-ZIP, Python, 7-Zip).
    return stat.S_ISLNK(info.external_attr >> 16)


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as exc:
        raise BadInput("packs.zip_corrupt", path=str(path), reason=_reason(exc)) from exc


def check_members(zf: zipfile.ZipFile, limits: ZipLimits) -> tuple[list[tuple[zipfile.ZipInfo, list[str]]], int, int]:
    """Validate every member; return (member, parts) for the files, the total size and the GBK count."""
    infos = zf.infolist()
    if len(infos) > limits.max_files:
        raise BadInput("packs.zip_too_many", count=len(infos), limit=limits.max_files)
    files: list[tuple[zipfile.ZipInfo, list[str]]] = []
    seen_files: set[str] = set()
    seen_dirs: set[str] = set()
    total = 0
    gbk = 0
    for info in infos:
        name, from_gbk = member_name(info)
        gbk += from_gbk
        parts = safe_parts(name)
        if _is_symlink(info):
            raise BadInput("packs.zip_symlink", entry=name)
        if info.flag_bits & ENCRYPTED_FLAG:
            raise BadInput("packs.zip_encrypted", entry=name)
        if not parts:
            continue
        keys = ["/".join(parts[: i + 1]).casefold() for i in range(len(parts))]
        if info.is_dir() or name.endswith(("/", "\\")):  # old Windows tools end folders with "\"
            if keys[-1] in seen_files:
                raise BadInput("packs.zip_duplicate", entry=name)
            seen_dirs.update(keys)
            continue
        if info.compress_type not in _METHODS:
            raise BadInput("packs.zip_method", entry=name, method=info.compress_type)
        if keys[-1] in seen_files or keys[-1] in seen_dirs or any(k in seen_files for k in keys[:-1]):
            raise BadInput("packs.zip_duplicate", entry=name)
        seen_files.add(keys[-1])
        seen_dirs.update(keys[:-1])
        total += info.file_size
        if total > limits.max_total:
            raise BadInput("packs.zip_too_large", size=size_text(total), limit=size_text(limits.max_total))
        if info.file_size >= limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise BadInput(
                "packs.zip_bomb", entry=name, ratio=int(info.file_size / max(info.compress_size, 1))
            )
        files.append((info, parts))
    return files, total, gbk


def extract(
    source: Path,
    parent: Path | None = None,
    *,
    limits: ZipLimits | None = None,
    on_progress: Progress = None,
) -> Extracted:
    """Check, then extract `source` into a new temporary folder under `parent` (else the system temp).

    All-or-nothing: on any error the temporary folder is removed and a keyed
    error raised (`packs.zip_*`, `packs.no_space`, `packs.extract_failed`).
    """
    source = Path(source)
    limits = limits or ZipLimits()
    parent = Path(parent) if parent else Path(tempfile.gettempdir())
    with _open(source) as zf:
        try:
            members, total, gbk = check_members(zf, limits)
        except (zipfile.BadZipFile, ValueError) as exc:
            raise BadInput("packs.zip_corrupt", path=str(source), reason=_reason(exc)) from exc
        free = free_space(parent)
        if free is not None and free < total:
            raise LauncherError("packs.no_space", path=str(parent), need=size_text(total), free=size_text(free))
        folder = _make_temp(parent)
        try:
            done = _write_members(zf, members, folder, total, on_progress)
        except BaseException as exc:
            remove_tree(folder)
            if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError)):
                raise BadInput("packs.zip_corrupt", path=str(source), reason=_reason(exc)) from exc
            if isinstance(exc, NotImplementedError):
                raise BadInput("packs.zip_method", entry=str(source), method=str(exc)) from exc
            if isinstance(exc, OSError):
                raise LauncherError("packs.extract_failed", path=str(source), reason=_reason(exc)) from exc
            raise
    nested = ["/".join(parts) for _info, parts in members if parts[-1].lower().endswith(".zip")]
    return Extracted(folder, len(members), done, gbk, nested)


def _make_temp(parent: Path) -> Path:
    """A new folder under `parent`, else under the system temp (a read-only package folder)."""
    try:
        return Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=str(parent)))
    except OSError:
        pass
    try:
        return Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
    except OSError as exc:
        raise LauncherError("packs.extract_failed", path=str(parent), reason=_reason(exc)) from exc


def _write_members(zf, members, folder: Path, total: int, on_progress: Progress) -> int:
    done = 0
    if on_progress:
        on_progress(0, total)
    for info, parts in members:
        target = folder.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with zf.open(info) as src, open(target, "wb") as dst:
            while True:
                chunk = src.read(CHUNK)
                if not chunk:
                    break
                written += len(chunk)
                if written > info.file_size:  # zipfile caps reads at the header size; never trust that alone
                    raise BadInput("packs.zip_bomb", entry="/".join(parts), ratio="?")
                dst.write(chunk)
                done += len(chunk)
                if on_progress:
                    on_progress(done, total)
    return done


def free_space(folder: Path) -> int | None:
    """Free bytes on the drive of `folder`; None when the system cannot tell."""
    try:
        return shutil.disk_usage(str(folder)).free
    except OSError:
        return None


def size_text(n: int) -> str:
    """`1.5 GiB`, `300.0 MiB` or `12 KiB`, for messages."""
    if n >= GIB:
        return f"{n / GIB:.1f} GiB"
    if n >= MIB:
        return f"{n / MIB:.1f} MiB"
    return f"{n / 1024:.0f} KiB"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def remove_tree(folder: Path) -> None:
    """Remove a temporary extraction folder (read-only files too, as Windows needs)."""

    def _retry(func, path, _exc):
        try:
            os.chmod(path, stat.S_IWRITE)
            func(path)
        except OSError:
            pass

    if not Path(folder).exists():
        return
    if sys.version_info >= (3, 12):
        shutil.rmtree(folder, onexc=_retry)
    else:
        shutil.rmtree(folder, onerror=_retry)
