"""`config.py` patch mode: make upstream's own `api.py` default to a profile's weights.

For users who start upstream's scripts themselves (`runtime\\python.exe api.py`
without `-s`/`-g`). In every upstream version since 2024-01-20 (commit 21b9c20)
`config.py` has two module-level lines

    sovits_path = ""
    gpt_path = ""

which `Config.__init__` copies (`self.sovits_path = sovits_path`) and `api.py`
uses as the defaults of `-s`/`-g` (empty = the pretrained base models).
Nothing else reads them: the WebUI remembers its choice in `weight.json`,
api_v2.py reads `tts_infer.yaml`, and `sovits-launch start` passes its own paths.

The patch rewrites exactly those two string literals, in place: same quote
character, same line endings, same encoding (a UTF-8 BOM stays), every other
byte identical. A file that does not have exactly one plain, single-line,
column-0 string assignment for each name, read by `Config.__init__`, is
another upstream version (or hand-edited) and is refused. Before writing:
a timestamped backup per package root; after writing: the file is re-read
and checked with `ast` (the two values are the profile's, the rest of the
tree is unchanged), else the old bytes are put back. `restore` undoes the
newest patch; each backup is used once, so repeated restores walk back to
upstream's original. If config.py was changed elsewhere since that patch
(an upstream update, a hand edit), restore sets back only the two defaults.

Reading the file, finding the two assignments and checking an edit live in
`configpy_source`; this module plans, writes, backs up and restores.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from launcher.errors import BadInput, LauncherError, MissingFile
from launcher.gsv.configpy_source import (  # BOM, SUPPORTED, python_literal: callers use them from here
    BOM,
    FILE_NAME,
    NAMES,
    SUPPORTED,
    decode,
    encode,
    find_sites,
    python_literal,
    read_bytes,
    same_but_defaults,
    unified_diff,
    verified,
    with_values,
)

BACKUP_TAG = "bak"  # made before each patch; `restore` puts the newest back
USED_TAG = "used"  # a backup after `restore` put it back (kept, not deleted)
BEFORE_RESTORE_TAG = "before-restore"  # the file as it was just before a restore


@dataclass(frozen=True)
class Patch:
    path: Path
    old_text: str
    new_text: str
    diff_lines: list[str]
    changed: bool
    root: Path = Path(".")
    values: dict[str, str] = field(default_factory=dict)  # sovits_path / gpt_path -> new value
    old_values: dict[str, str] = field(default_factory=dict)
    bom: bool = False

    @property
    def old_bytes(self) -> bytes:
        return encode(self.old_text, self.bom)

    @property
    def new_bytes(self) -> bytes:
        return encode(self.new_text, self.bom)


@dataclass(frozen=True)
class Restored:
    path: Path  # the config.py that was put back
    backup: Path  # the backup it came from (renamed `.used-…`, kept)
    saved: Path | None  # the file as it was just before, or None when it was identical / absent
    changed: bool
    mode: str = "file"  # see RestorePlan.mode


# --- planning ------------------------------------------------------------------


def config_path(root: Path) -> Path:
    return Path(root) / FILE_NAME


def plan_patch(root: Path, gpt: str, sovits: str) -> Patch:
    """What patching `<root>/config.py` for these weights would change; writes nothing.

    `gpt` / `sovits` are paths as a profile has them: absolute, or relative to
    the root. Inside the root they are written relative with forward slashes
    (upstream resolves them from its working folder, the root); elsewhere as
    given, as a raw string when that keeps backslashes readable.
    """
    root = Path(root)
    path = config_path(root)
    raw = read_bytes(path)
    bom, text = decode(raw, path)
    sites = find_sites(text, path)
    wanted = {"sovits_path": config_value(sovits, root), "gpt_path": config_value(gpt, root)}
    new_text = with_values(text, sites, wanted)
    patch = Patch(
        path=path,
        old_text=text,
        new_text=new_text,
        diff_lines=unified_diff(text, new_text),
        changed=new_text != text,
        root=root,
        values=wanted,
        old_values={name: sites[name].value for name in NAMES},
        bom=bom,
    )
    if patch.changed and not verified(text, new_text, wanted, path):
        raise LauncherError("configpy.verify_failed", path=str(path), backup="-")
    return patch


def current_values(root: Path) -> dict[str, str]:
    """The two defaults as the file has them now (refuses unsupported files)."""
    path = config_path(root)
    _, text = decode(read_bytes(path), path)
    return {name: site.value for name, site in find_sites(text, path).items()}


def config_value(value: str, root: Path) -> str:
    """A profile path as config.py should hold it (see `plan_patch`)."""
    from launcher.profiles.schema import _is_windows_abs

    value = value.strip()
    if _is_windows_abs(value) and os.name != "nt":
        return value  # a Windows path seen from elsewhere (tests, WSL): keep it as written
    p = Path(value) if _is_windows_abs(value) else Path(value.replace("\\", "/"))
    if not p.is_absolute():
        rel = posixpath.normpath(p.as_posix())
        if rel != ".." and not rel.startswith("../"):
            return rel
        p = Path(root) / p
    absolute = Path(os.path.normpath(str(p)))
    try:
        rel_path = absolute.relative_to(Path(os.path.normpath(str(root))))
    except ValueError:
        return value if _is_windows_abs(value) else str(absolute)
    return rel_path.as_posix()


def profile_weights(profile, root: Path) -> tuple[str, str]:
    """The profile's (gpt, sovits), checked to exist: a default that points nowhere
    would only make api.py fail later, far from this command."""
    for field_name, value in (("gpt", profile.gpt), ("sovits", profile.sovits)):
        target = profile.resolve(value, root)
        if not target.is_file():
            raise MissingFile(
                "profile.path_missing", field=field_name, path=str(target), profile=str(profile.path or profile.name)
            )
    return profile.gpt, profile.sovits


# --- writing -------------------------------------------------------------------


def backup_folder(backups: Path, root: Path) -> Path:
    """One folder per package root, so a restore never brings another package's file."""
    root = Path(root)
    key = os.path.normcase(os.path.normpath(str(root.resolve() if root.exists() else root)))
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", root.name or "root").strip("._") or "root"
    return Path(backups) / FILE_NAME / f"{name}-{digest}"


def apply_patch(patch: Patch, backups_folder: Path) -> Path | None:
    """Back up, write atomically, verify. Returns the backup, or None when nothing changed."""
    from launcher.fsio import backup, write_atomic

    if not patch.changed:
        return None
    if read_bytes(patch.path) != patch.old_bytes:
        raise BadInput("configpy.changed_meanwhile", path=str(patch.path))
    saved = backup(patch.path, folder=backup_folder(backups_folder, patch.root), tag=BACKUP_TAG)
    assert saved is not None  # the file exists: we just read it
    write_atomic(patch.path, patch.new_bytes)
    ok = False
    try:
        bom, text = decode(read_bytes(patch.path), patch.path)
        ok = bom == patch.bom and text == patch.new_text and verified(patch.old_text, text, patch.values, patch.path)
    except LauncherError:
        ok = False
    if not ok:
        write_atomic(patch.path, patch.old_bytes)
        raise LauncherError("configpy.verify_failed", path=str(patch.path), backup=str(saved))
    return saved


def backups(root: Path, backups_folder: Path) -> list[Path]:
    """Unused backups of this root's config.py, oldest first."""
    from launcher.fsio import list_backups

    return list_backups(config_path(root), folder=backup_folder(backups_folder, root), tag=BACKUP_TAG)


@dataclass(frozen=True)
class RestorePlan:
    path: Path
    backup: Path  # the newest unused backup
    new_bytes: bytes
    diff_lines: list[str]
    changed: bool
    # "file": the backup's bytes go back as they are;
    # "values": config.py was changed elsewhere since (an upstream update, an edit by hand):
    #           only the two defaults are set back to the backup's values, the rest stays as it is now.
    mode: str
    current: bytes | None


def plan_restore(root: Path, backups_folder: Path) -> RestorePlan:
    """What `restore` would write; writes nothing."""
    path = config_path(root)
    found = backups(root, backups_folder)
    if not found:
        raise MissingFile("configpy.no_backup", path=str(path), folder=str(backup_folder(backups_folder, root)))
    source = found[-1]
    data = read_bytes(source)
    current = read_bytes(path) if path.is_file() else None
    new, mode = data, "file"
    if current is not None and current != data:
        try:
            bom, text = decode(current, path)
            sites = find_sites(text, path)
            old_bom, old_text = decode(data, source)
            old_sites = find_sites(old_text, source)
        except LauncherError:
            pass  # the current file is broken or not patchable: the whole backup goes back (the current one is kept)
        else:
            if bom != old_bom or not same_but_defaults(text, sites, old_text, old_sites):
                wanted = {name: old_sites[name].value for name in NAMES}
                new_text = with_values(text, sites, wanted)
                if new_text != text and not verified(text, new_text, wanted, path):
                    raise LauncherError("configpy.verify_failed", path=str(path), backup=str(source))
                new, mode = encode(new_text, bom), "values"
    before = current.decode("utf-8", errors="replace").lstrip("\ufeff") if current is not None else ""
    after = new.decode("utf-8", errors="replace").lstrip("\ufeff")
    return RestorePlan(path, source, new, unified_diff(before, after), new != current, mode, current)


def restore(root: Path, backups_folder: Path) -> Restored:
    """Put the newest unused backup back (after backing up the current file).

    When config.py was changed elsewhere since that backup, only the two
    defaults are set back (see `RestorePlan.mode`): a restore never undoes
    an upstream update or the user's own edits.
    """
    from launcher.fsio import backup, write_atomic

    plan = plan_restore(root, backups_folder)
    saved = None
    if plan.changed:
        if (read_bytes(plan.path) if plan.path.is_file() else None) != plan.current:
            raise BadInput("configpy.changed_meanwhile", path=str(plan.path))
        if plan.current is not None:
            saved = backup(plan.path, folder=plan.backup.parent, tag=BEFORE_RESTORE_TAG)
        write_atomic(plan.path, plan.new_bytes)
        if read_bytes(plan.path) != plan.new_bytes:
            raise LauncherError("configpy.verify_failed", path=str(plan.path), backup=str(plan.backup))
    used = _mark_used(plan.backup)
    return Restored(path=plan.path, backup=used, saved=saved, changed=plan.changed, mode=plan.mode)


def _mark_used(source: Path) -> Path:
    prefix = f"{FILE_NAME}.{BACKUP_TAG}-"
    base = f"{FILE_NAME}.{USED_TAG}-" + source.name[len(prefix) :]
    target = source.with_name(base)
    n = 1
    while target.exists():
        n += 1
        target = source.with_name(f"{base}-{n}")
    try:
        source.rename(target)
    except OSError as exc:
        raise LauncherError("fs.write_failed", path=str(source), reason=exc.strerror or str(exc)) from exc
    return target
