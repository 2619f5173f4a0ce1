"""Carrying an import plan out, all or nothing.

Copies go to hidden `.part` files beside their targets, and only when all of
them are complete are they moved into place (`os.replace`); existing files are
backed up first (`<name>.bak-<time>`). On any error, and on Ctrl+C, everything
added is removed and every replaced file restored.
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from launcher import fsio
from launcher.errors import BadInput, LauncherError, MissingFile
from launcher.packs.plan import ImportPlan
from launcher.packs.zipsafe import CHUNK, Progress


@dataclass
class Placed:
    kind: str  # gpt | sovits | reference | profile
    path: Path
    action: str  # copy | replace | same | in_place | create
    backup: Optional[Path] = None


@dataclass
class ImportResult:
    placed: list[Placed]
    profiles: list[Placed]
    backups: list[Path]
    bytes_copied: int


class _Counter:
    """Bytes done of a known total, reported as (done, total): first (0, T), never backwards, last (T, T)."""

    def __init__(self, total: int, callback: Progress):
        self.total = total
        self.done = 0
        self.callback = callback
        if callback:
            callback(0, total)

    def add(self, n: int) -> None:
        if not n:
            return
        self.done += n
        self.total = max(self.total, self.done)
        if self.callback:
            self.callback(self.done, self.total)

    def finish(self) -> None:
        if self.callback and self.done != self.total:
            self.total = self.done
            self.callback(self.done, self.total)


def _part_name(dest: Path) -> Path:
    # Hidden, and not ending in .ckpt/.pth: the WebUI never lists a half-copied file.
    return dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.part")


def _copy_into(source: Path, target: Path, counter: _Counter) -> None:
    with source.open("rb") as src, target.open("xb") as dst:
        while True:
            chunk = src.read(CHUNK)
            if not chunk:
                break
            dst.write(chunk)
            counter.add(len(chunk))
        dst.flush()
        os.fsync(dst.fileno())


def copy_atomic(source: Path, dest: Path, on_progress: Progress = None) -> int:
    """Copy `source` to `dest` through a temporary file in dest's folder, then `os.replace`.

    `on_progress(copied_bytes, total_bytes)` is called as the copy goes. An
    interrupted or failed copy leaves no partial file. Returns the bytes copied.
    """
    source, dest = Path(source), Path(dest)
    try:
        total = source.stat().st_size
    except OSError as exc:
        raise MissingFile("fs.not_found", path=str(source)) from exc
    counter = _Counter(total, on_progress)
    tmp = _part_name(dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        _copy_into(source, tmp, counter)
        os.replace(tmp, dest)
    except OSError as exc:
        fsio.discard(tmp)
        raise LauncherError("packs.copy_failed", source=str(source), path=str(dest), reason=exc.strerror or str(exc)) from exc
    except BaseException:
        fsio.discard(tmp)
        raise
    counter.finish()
    return counter.done


class _Transaction:
    def __init__(self) -> None:
        self.staged: list[Path] = []
        self.dirs: list[Path] = []  # folders we created, outermost first
        self.placed: list[tuple[Path, Optional[Path]]] = []  # (target, backup of what was there)
        self.current: Optional[Path] = None

    def mkdirs(self, folder: Path) -> None:
        missing = []
        p = folder
        while not p.exists():
            missing.append(p)
            if p.parent == p:
                break
            p = p.parent
        for d in reversed(missing):
            try:
                d.mkdir()
            except FileExistsError:  # made by someone else meanwhile: not ours to remove
                continue
            self.dirs.append(d)

    def _stage(self, dest: Path) -> Path:
        """The hidden temporary file that will become `dest` (its folder made, the file recorded)."""
        self.current = dest
        self.mkdirs(dest.parent)
        tmp = _part_name(dest)
        self.staged.append(tmp)
        return tmp

    def stage_file(self, source: Path, dest: Path, counter: _Counter, move: bool) -> Path:
        tmp = self._stage(dest)
        if move:
            size = source.stat().st_size
            try:
                os.replace(source, tmp)
                counter.add(size)
                return tmp
            except OSError:
                pass  # another drive: copy instead
        _copy_into(source, tmp, counter)
        return tmp

    def stage_text(self, dest: Path, text: str) -> Path:
        tmp = self._stage(dest)
        with tmp.open("xb") as f:
            f.write(text.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        return tmp

    def commit(self, tmp: Path, dest: Path, replace: bool) -> Optional[Path]:
        self.current = dest
        backup = None
        if dest.exists():
            if not replace:
                raise BadInput("packs.file_exists", path=str(dest), count=1)
            backup = fsio.backup_path(dest)
            try:
                os.link(dest, backup)  # instant, and the target is never missing
            except OSError:
                shutil.copy2(dest, backup)
        try:
            os.replace(tmp, dest)
        except BaseException:
            if backup is not None:
                fsio.discard(backup)
            raise
        self.staged.remove(tmp)
        self.placed.append((dest, backup))
        return backup

    def rollback(self) -> list[str]:
        """Undo everything; return the paths that could not be restored."""
        left: list[str] = []
        for tmp in self.staged:
            if not fsio.discard(tmp):
                left.append(str(tmp))
        for dest, backup in reversed(self.placed):
            try:
                if backup is not None:
                    os.replace(backup, dest)
                else:
                    dest.unlink()
            except OSError:
                left.append(str(dest))
        for d in reversed(self.dirs):
            try:
                d.rmdir()
            except OSError:
                pass
        return left


def apply_import(plan: ImportPlan, on_progress: Progress = None) -> ImportResult:
    """Carry the plan out all-or-nothing; `on_progress(copied_bytes, total_bytes)` follows the copies.

    On any error (or Ctrl+C) every file added is removed and every replaced
    file restored before the error propagates (OSError becomes `packs.apply_failed`).
    """
    ops = [op for op in plan.files if op.action in ("copy", "replace")]
    total = 0
    for op in ops:
        try:
            total += op.source.stat().st_size
        except OSError as exc:
            raise MissingFile("fs.not_found", path=str(op.source)) from exc
    txn = _Transaction()
    counter = _Counter(total, on_progress)
    placed: list[Placed] = []
    profiles: list[Placed] = []
    try:
        staged = [(op, txn.stage_file(op.source, op.dest, counter, op.move)) for op in ops]
        staged_profiles = [(ch, txn.stage_text(ch.profile_path, ch.profile_text)) for ch in plan.characters]
        for op, tmp in staged:
            backup = txn.commit(tmp, op.dest, replace=op.action == "replace")
            placed.append(Placed(op.kind, op.dest, op.action, backup))
        for ch, tmp in staged_profiles:
            backup = txn.commit(tmp, ch.profile_path, replace=ch.profile_action == "replace")
            profiles.append(Placed("profile", ch.profile_path, ch.profile_action, backup))
    except OSError as exc:
        left = txn.rollback()
        raise LauncherError(
            "packs.apply_failed",
            path=str(exc.filename or txn.current or ""),
            reason=exc.strerror or str(exc),
            details=left,
        ) from exc
    except BaseException:
        txn.rollback()
        raise
    counter.finish()
    for op in plan.files:
        if op.action in ("same", "in_place"):
            placed.append(Placed(op.kind, op.dest, op.action))
    backups = [p.backup for p in placed + profiles if p.backup is not None]
    return ImportResult(placed, profiles, backups, counter.done)
