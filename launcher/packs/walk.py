"""The files of a voice pack: one walk of its folder, the wrapping folders, the character folders.

The walk refuses links (a pack must not reach outside itself) and skips the
junk that archivers and file managers leave behind.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from launcher.errors import BadInput
from launcher.gsv import package

MAX_FILES = 50_000
_JUNK_DIRS = {"__macosx", ".git"}
_JUNK_FILES = {".ds_store", "thumbs.db", "desktop.ini"}


def _is_link(path: Path) -> bool:
    isjunction = getattr(os.path, "isjunction", None)  # Python 3.12+
    return path.is_symlink() or bool(isjunction and isjunction(path))


def _entry_is_link(entry: os.DirEntry) -> bool:
    """`_is_link` from the directory listing itself (no extra stat per file)."""
    is_junction = getattr(entry, "is_junction", None)  # Python 3.12+
    return entry.is_symlink() or bool(is_junction and is_junction())


def walk(base: Path, limit: int = MAX_FILES) -> list[PurePosixPath]:
    """Every file under `base` (relative), sorted; symlinks refused, junk skipped.

    os.walk's order and rules (top-down, subfolders sorted, unreadable folders
    skipped, a folder is what `is_dir()` says), on os.scandir entries: the type
    comes with the listing, so a file costs no stat of its own and no Path objects.
    """
    found: list[PurePosixPath] = []
    if _is_link(base):
        raise BadInput("packs.symlink", path=str(base))
    stack: list[tuple[str, str]] = [(os.fspath(base), "")]  # (folder, its path relative to base + "/")
    while stack:
        here, rel = stack.pop()
        try:
            with os.scandir(here) as listing:
                entries = list(listing)
        except OSError:
            continue  # os.walk skips what it cannot list
        dirs, files = [], []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (dirs if is_dir else files).append(entry)
        kept = []
        for entry in dirs:
            if _entry_is_link(entry):
                raise BadInput("packs.symlink", path=str(Path(here) / entry.name))
            if entry.name.casefold() not in _JUNK_DIRS:
                kept.append(entry.name)
        # pushed in reverse so the sorted first is walked first, as os.walk does
        stack.extend((os.path.join(here, name), f"{rel}{name}/") for name in sorted(kept, reverse=True))
        for entry in sorted(files, key=lambda e: e.name):
            name = entry.name
            if _entry_is_link(entry):
                raise BadInput("packs.symlink", path=str(Path(here) / name))
            if name.casefold() in _JUNK_FILES or name.startswith("._"):
                continue
            found.append(PurePosixPath(rel + name))
            if len(found) > limit:
                raise BadInput("packs.too_many_files", path=str(base), limit=limit)
    return sorted(found)


def under(path: PurePosixPath, folder: PurePosixPath) -> bool:
    return path.parts[: len(folder.parts)] == folder.parts


def unwrap(files: list[PurePosixPath]) -> PurePosixPath:
    """The deepest folder that holds every file (the wrapping folders of a zip)."""
    prefix: tuple[str, ...] = ()
    while files:
        nxt = set()
        for f in files:
            if len(f.parts) == len(prefix) + 1:
                return PurePosixPath(*prefix) if prefix else PurePosixPath(".")
            nxt.add(f.parts[len(prefix)])
        if len(nxt) != 1:
            break
        prefix += (nxt.pop(),)
    return PurePosixPath(*prefix) if prefix else PurePosixPath(".")


def character_roots(files: list[PurePosixPath]) -> list[PurePosixPath]:
    folders = set()
    for f in files:
        if f.suffix.lower() in (".ckpt", ".pth"):
            d = f.parent
            # A pack laid out like the package (GPT_weights_v2/ + SoVITS_weights_v2/): its parent is the character.
            if d.name.startswith((package.GPT_PREFIX, package.SOVITS_PREFIX)):
                d = d.parent
            folders.add(d)
    roots: list[PurePosixPath] = []
    taken: set[tuple[str, ...]] = set()
    for d in sorted(folders, key=lambda p: (len(p.parts), str(p))):
        # = not any(under(d, r) for r in roots), by looking d's ancestors (and d) up:
        # a library of n characters would otherwise cost n² comparisons.
        if not any(d.parts[:k] in taken for k in range(len(d.parts) + 1)):
            roots.append(d)
            taken.add(d.parts)
    return roots


def files_by_root(files: list[PurePosixPath], roots: list[PurePosixPath]) -> dict[tuple[str, ...], list[PurePosixPath]]:
    """{root.parts: [f for f in files if under(f, root)]} for roots that never nest (as
    `character_roots` returns them), in one pass over the files instead of one per root."""
    by_root: dict[tuple[str, ...], list[PurePosixPath]] = {r.parts: [] for r in roots}
    for f in files:
        parts = f.parts
        for k in range(len(parts) + 1):
            bucket = by_root.get(parts[:k])
            if bucket is not None:
                bucket.append(f)
                break  # roots never nest: no other root holds f
    return by_root
