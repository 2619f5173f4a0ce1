"""Safe file writes: temp file in the same folder, fsync, os.replace; backups first.

Every file the launcher writes goes through `write_atomic`, so a crash, a full
disk or an exception half-way leaves the old file byte-identical.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from launcher.errors import BadInput, LauncherError, MissingFile


def write_atomic(path: Path, data: bytes | str, *, encoding: str = "utf-8") -> None:
    """Replace `path` with `data` in one step, or leave it untouched."""
    path = Path(path)
    if isinstance(data, str):
        data = data.encode(encoding)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise LauncherError("fs.write_failed", path=str(path), reason=_reason(exc)) from exc
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        if path.exists():
            # Keep the user's permission bits on the replacement.
            shutil.copymode(path, tmp_name)
        os.replace(tmp_name, path)
    except OSError as exc:
        discard(tmp_name)
        raise LauncherError("fs.write_failed", path=str(path), reason=_reason(exc)) from exc
    except BaseException:
        discard(tmp_name)
        raise


def backup(path: Path, *, folder: Path | None = None, tag: str = "bak") -> Path | None:
    """Copy `path` to `<name>.<tag>-<YYYYmmdd-HHMMSS>` (in `folder` or beside it).

    Returns the backup path, or None when there was nothing to back up.
    """
    path = Path(path)
    if not path.exists():
        return None
    folder = Path(folder) if folder else path.parent
    target = backup_path(path, folder=folder, tag=tag)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(target, path.read_bytes())
    except OSError as exc:
        raise LauncherError("fs.backup_failed", path=str(path), reason=_reason(exc)) from exc
    return target


def backup_path(path: Path, *, folder: Path | None = None, tag: str = "bak") -> Path:
    """A free name for a backup of `path`: `<name>.<tag>-<YYYYmmdd-HHMMSS>[-n]`, in `folder` or beside it."""
    path = Path(path)
    folder = Path(folder) if folder else path.parent
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.name}.{tag}-{stamp}"
    n = 1
    while target.exists():  # two backups in the same second
        n += 1
        target = folder / f"{path.name}.{tag}-{stamp}-{n}"
    return target


def list_backups(path: Path, *, folder: Path | None = None, tag: str = "bak") -> list[Path]:
    """Backups made by `backup`, oldest first."""
    path = Path(path)
    folder = Path(folder) if folder else path.parent
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob(f"{path.name}.{tag}-*") if p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def yaml_safe_load(text: str):
    """`yaml.safe_load(text)`, parsed by libyaml when PyYAML was built with it.

    `list` parses every profile, and the pure-Python parser costs ~0.6 ms a file
    (most of `list`'s own time with 50 profiles). The constructor and resolver are
    the same SafeLoader ones, so the data is identical. On a syntax error the text
    is parsed again by the pure-Python parser, whose messages are the ones users
    see (they name the offending character, e.g. a tab); so errors are unchanged too.
    """
    import yaml

    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)  # noqa: S506 - a SafeLoader
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def yaml_load(text: str, path: Path, key: str):
    """`yaml_safe_load(text)`; a syntax error becomes `BadInput(key)` naming the file, line and problem."""
    import yaml

    try:
        return yaml_safe_load(text)
    except yaml.YAMLError as exc:
        raise yaml_error(exc, path, key) from exc


def yaml_error(exc: Exception, path: Path, key: str) -> BadInput:
    """A PyYAML or ruamel.yaml error as `BadInput(key, path=, line=, problem=)`."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = " ".join(str(part) for part in (getattr(exc, "context", None), getattr(exc, "problem", None)) if part)
    return BadInput(
        key,
        path=str(path),
        line=(mark.line + 1) if mark is not None else "?",
        problem=problem or (str(exc).splitlines() or ["?"])[0],
    )


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (a BOM is tolerated: Notepad writes one)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise MissingFile("fs.not_found", path=str(path)) from exc
    except OSError as exc:
        raise LauncherError("fs.read_failed", path=str(path), reason=_reason(exc)) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput("fs.not_utf8", path=str(path), line=raw[: exc.start].count(b"\n") + 1) from exc


MAX_SMALL_TEXT = 4 * 1024 * 1024  # a .lab / .list / json larger than this is no transcript


def read_small_text(path: Path) -> str | None:
    """A small text file as UTF-8 (BOM tolerated), else GB18030 (Notepad's “ANSI” on Chinese
    Windows); None when it is missing, unreadable, too large or neither."""
    try:
        if Path(path).stat().st_size > MAX_SMALL_TEXT:
            return None
        raw = Path(path).read_bytes()
    except OSError:
        return None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def discard(path: Path) -> bool:
    """Remove a file if it is there; False only when it is there and could not be removed."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        return False
    return True
