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
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import io
import os
import posixpath
import re
import tokenize
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from launcher.errors import BadInput, LauncherError, MissingFile

FILE_NAME = "config.py"
NAMES = ("sovits_path", "gpt_path")  # in file order of upstream; the profile fields are sovits / gpt
# Language-neutral: shown inside the zh and en messages alike.
SUPPORTED = (
    "GPT-SoVITS config.py 2024-01-20 (21b9c20) … 2025-06-17 (6fdc67c, = main 2026-08): "
    "beta 2024-01/02, 20240821v2, 20250228v3, 20250422v4, 20250606v2pro"
)
BOM = b"\xef\xbb\xbf"
BACKUP_TAG = "bak"  # made before each patch; `restore` puts the newest back
USED_TAG = "used"  # a backup after `restore` put it back (kept, not deleted)
BEFORE_RESTORE_TAG = "before-restore"  # the file as it was just before a restore

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+\Z")


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
        return _encode(self.old_text, self.bom)

    @property
    def new_bytes(self) -> bytes:
        return _encode(self.new_text, self.bom)


@dataclass(frozen=True)
class Restored:
    path: Path  # the config.py that was put back
    backup: Path  # the backup it came from (renamed `.used-…`, kept)
    saved: Path | None  # the file as it was just before, or None when it was identical / absent
    changed: bool
    mode: str = "file"  # see RestorePlan.mode


@dataclass(frozen=True)
class _Site:
    name: str
    lineno: int  # 1-based
    start: int  # character offsets of the string literal within its line
    end: int
    quote: str
    value: str


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
    raw = _read_bytes(path)
    bom, text = _decode(raw, path)
    sites = _find_sites(text, path)
    wanted = {"sovits_path": config_value(sovits, root), "gpt_path": config_value(gpt, root)}
    new_text = _with_values(text, sites, wanted)
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
    if patch.changed and not _verified(text, new_text, wanted, path):
        raise LauncherError("configpy.verify_failed", path=str(path), backup="-")
    return patch


def _with_values(text: str, sites: dict[str, _Site], wanted: dict[str, str]) -> str:
    """`text` with the two literals replaced where their value differs; nothing else moves."""
    lines = _split_lines(text)
    for name in NAMES:
        site = sites[name]
        if site.value == wanted[name]:
            continue  # already right, in whatever spelling the file has: leave it alone
        line = lines[site.lineno - 1]
        lines[site.lineno - 1] = line[: site.start] + python_literal(wanted[name], site.quote) + line[site.end :]
    return "".join(lines)


def current_values(root: Path) -> dict[str, str]:
    """The two defaults as the file has them now (refuses unsupported files)."""
    path = config_path(root)
    _, text = _decode(_read_bytes(path), path)
    return {name: site.value for name, site in _find_sites(text, path).items()}


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


def python_literal(value: str, quote: str = '"') -> str:
    """`value` as a Python string literal in `quote`; a raw string when it has backslashes."""
    if quote not in ("'", '"'):
        quote = '"'
    printable = value.isprintable()
    if "\\" in value and printable and quote not in value and not value.endswith("\\"):
        literal = f"r{quote}{value}{quote}"
    elif printable:
        literal = quote + value.replace("\\", "\\\\").replace(quote, "\\" + quote) + quote
    else:
        literal = repr(value)
    if ast.literal_eval(literal) != value:  # pragma: no cover - a bug, never the user's input
        raise LauncherError("configpy.verify_failed", path=value, backup="-")
    return literal


def unified_diff(old_text: str, new_text: str) -> list[str]:
    old = [line.rstrip("\r\n") for line in _split_lines(old_text)]
    new = [line.rstrip("\r\n") for line in _split_lines(new_text)]
    return list(difflib.unified_diff(old, new, f"a/{FILE_NAME}", f"b/{FILE_NAME}", lineterm=""))


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
    if _read_bytes(patch.path) != patch.old_bytes:
        raise BadInput("configpy.changed_meanwhile", path=str(patch.path))
    saved = backup(patch.path, folder=backup_folder(backups_folder, patch.root), tag=BACKUP_TAG)
    assert saved is not None  # the file exists: we just read it
    write_atomic(patch.path, patch.new_bytes)
    ok = False
    try:
        bom, text = _decode(_read_bytes(patch.path), patch.path)
        ok = bom == patch.bom and text == patch.new_text and _verified(patch.old_text, text, patch.values, patch.path)
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
    data = _read_bytes(source)
    current = _read_bytes(path) if path.is_file() else None
    new, mode = data, "file"
    if current is not None and current != data:
        try:
            bom, text = _decode(current, path)
            sites = _find_sites(text, path)
            old_bom, old_text = _decode(data, source)
            old_sites = _find_sites(old_text, source)
        except LauncherError:
            pass  # the current file is broken or not patchable: the whole backup goes back (the current one is kept)
        else:
            if bom != old_bom or not _same_but_defaults(text, sites, old_text, old_sites):
                wanted = {name: old_sites[name].value for name in NAMES}
                new_text = _with_values(text, sites, wanted)
                if new_text != text and not _verified(text, new_text, wanted, path):
                    raise LauncherError("configpy.verify_failed", path=str(path), backup=str(source))
                new, mode = _encode(new_text, bom), "values"
    before = current.decode("utf-8", errors="replace").lstrip("\ufeff") if current is not None else ""
    after = new.decode("utf-8", errors="replace").lstrip("\ufeff")
    return RestorePlan(path, source, new, unified_diff(before, after), new != current, mode, current)


def _same_but_defaults(text: str, sites: dict[str, _Site], other: str, other_sites: dict[str, _Site]) -> bool:
    a, b = _split_lines(text), _split_lines(other)
    skip = {site.lineno for site in sites.values()}
    if len(a) != len(b) or skip != {site.lineno for site in other_sites.values()}:
        return False
    return all(x == y for i, (x, y) in enumerate(zip(a, b), 1) if i not in skip)


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
        if (_read_bytes(plan.path) if plan.path.is_file() else None) != plan.current:
            raise BadInput("configpy.changed_meanwhile", path=str(plan.path))
        if plan.current is not None:
            saved = backup(plan.path, folder=plan.backup.parent, tag=BEFORE_RESTORE_TAG)
        write_atomic(plan.path, plan.new_bytes)
        if _read_bytes(plan.path) != plan.new_bytes:
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


# --- reading and checking --------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise MissingFile("configpy.missing", path=str(path)) from exc
    except OSError as exc:
        raise LauncherError("fs.read_failed", path=str(path), reason=exc.strerror or str(exc)) from exc


def _decode(raw: bytes, path: Path) -> tuple[bool, str]:
    bom = raw.startswith(BOM)
    body = raw[len(BOM) :] if bom else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput("fs.not_utf8", path=str(path), line=body[: exc.start].count(b"\n") + 1) from exc
    try:  # a `# coding: gbk` line would make Python read our UTF-8 differently
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError as exc:
        raise _unsupported(path, f"1: {exc}") from exc
    if encoding not in ("utf-8", "utf-8-sig"):
        raise _unsupported(path, f"# coding: {encoding}")
    return bom, text


def _split_lines(text: str) -> list[str]:
    """Lines with their own endings, split where Python's tokenizer splits them."""
    return _LINE.findall(text)


def _unsupported(path: Path, problem: str) -> BadInput:
    return BadInput("configpy.unsupported", path=str(path), supported=SUPPORTED, problem=problem)


def _parse(text: str, path: Path) -> ast.Module:
    try:
        with warnings.catch_warnings():  # upstream has `re.split("(\d+)", s)`: a SyntaxWarning on 3.12+
            warnings.simplefilter("ignore")
            return ast.parse(text, filename=str(path))
    except (SyntaxError, ValueError) as exc:
        raise BadInput(
            "configpy.syntax_error", path=str(path), line=getattr(exc, "lineno", None) or "?", problem=getattr(exc, "msg", str(exc))
        ) from exc


def _find_sites(text: str, path: Path) -> dict[str, _Site]:
    tree = _parse(text, path)
    lines = _split_lines(text)
    bindings = _module_bindings(tree)
    sites: dict[str, _Site] = {}
    for name in NAMES:
        found = bindings[name]
        if not found:
            raise _unsupported(path, f'{name} = "…" ×0')
        if len(found) > 1:
            where = ", ".join(str(n.lineno) for n in found)
            raise _unsupported(path, f"{name} ×{len(found)} ({where})")
        node = found[0]
        source = _quote_line(lines, node.lineno)
        if not (
            isinstance(node, ast.Assign)
            and node in tree.body
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.col_offset == 0
            and node.lineno == node.end_lineno
            and isinstance(node.value, ast.Constant)
            and type(node.value.value) is str
        ):
            raise _unsupported(path, f"{node.lineno}: {source}")
        line = lines[node.lineno - 1]
        start, end = _char_offset(line, node.value.col_offset), _char_offset(line, node.value.end_col_offset)
        token = line[start:end]
        quote = token.lstrip("rRuU")[:1]
        sites[name] = _Site(name, node.lineno, start, end, quote, node.value.value)
    for name in NAMES:
        if not _config_reads(tree, name):
            raise _unsupported(path, f"class Config: self.{name} = {name} ×0")
    return sites


def _quote_line(lines: list[str], lineno: int) -> str:
    text = lines[lineno - 1].rstrip("\r\n").strip() if 0 < lineno <= len(lines) else ""
    return text if len(text) <= 80 else text[:77] + "…"


def _char_offset(line: str, byte_offset: int) -> int:
    """ast column offsets count UTF-8 bytes; string slicing counts characters."""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _module_bindings(tree: ast.Module) -> dict[str, list[ast.AST]]:
    """Every statement that could (re)bind one of NAMES at module level.

    Anything but the one plain assignment makes the file unsupported: a second
    assignment, `global sovits_path` in a function, an import under that name,
    a loop variable, a `del`, or `from … import *` (which could shadow it).
    """
    found: dict[str, list[ast.AST]] = {name: [] for name in NAMES}

    def add(name: str, stmt: ast.AST) -> None:
        if name in found and stmt not in found[name]:
            found[name].append(stmt)

    for node in ast.walk(tree):  # `global x` anywhere rebinds the module's x
        if isinstance(node, ast.Global):
            for name in node.names:
                add(name, node)

    def visit(node: ast.AST, stmt: ast.AST | None) -> None:
        for child in ast.iter_child_nodes(node):
            owner = child if isinstance(child, ast.stmt) else stmt
            if isinstance(child, _SCOPES):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    add(child.name, child)
                continue
            if isinstance(child, ast.Name) and isinstance(child.ctx, (ast.Store, ast.Del)):
                add(child.id, owner)
            elif isinstance(child, ast.alias):
                if child.name == "*":
                    for name in NAMES:
                        add(name, owner)
                else:
                    add(child.asname or child.name.split(".")[0], owner)
            elif isinstance(child, ast.ExceptHandler) and child.name:
                add(child.name, child)
            visit(child, owner)

    visit(tree, None)
    return found


def _config_reads(tree: ast.Module, name: str) -> bool:
    """`class Config` whose `__init__` has `self.<name> = <name>`: what api.py reads."""
    for cls in tree.body:
        if not (isinstance(cls, ast.ClassDef) and cls.name == "Config"):
            continue
        for fn in cls.body:
            if not (isinstance(fn, ast.FunctionDef) and fn.name == "__init__"):
                continue
            for stmt in ast.walk(fn):
                if (
                    isinstance(stmt, ast.Assign)
                    and len(stmt.targets) == 1
                    and isinstance(stmt.targets[0], ast.Attribute)
                    and isinstance(stmt.targets[0].value, ast.Name)
                    and stmt.targets[0].value.id == "self"
                    and stmt.targets[0].attr == name
                    and isinstance(stmt.value, ast.Name)
                    and stmt.value.id == name
                ):
                    return True
    return False


def _verified(old_text: str, new_text: str, values: dict[str, str], path: Path) -> bool:
    """The new text has the wanted values, and differs from the old one nowhere else."""
    try:
        old_sites = _find_sites(old_text, path)
        new_sites = _find_sites(new_text, path)
    except LauncherError:
        return False
    if any(new_sites[name].value != values[name] for name in NAMES):
        return False
    old_lines, new_lines = _split_lines(old_text), _split_lines(new_text)
    edited = {old_sites[name].lineno for name in NAMES}
    if len(old_lines) != len(new_lines) or any(
        a != b for i, (a, b) in enumerate(zip(old_lines, new_lines), 1) if i not in edited
    ):
        return False
    for n in edited:  # the edited lines keep their ending and everything around the literal
        a, b = old_lines[n - 1], new_lines[n - 1]
        site_old = next(s for s in old_sites.values() if s.lineno == n)
        site_new = next(s for s in new_sites.values() if s.lineno == n)
        if a[: site_old.start] != b[: site_new.start] or a[site_old.end :] != b[site_new.end :]:
            return False
    return _masked_dump(old_text) == _masked_dump(new_text)


def _masked_dump(text: str) -> str:
    """The module's AST with the two default values blanked out."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(text)
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in NAMES
        ):
            node.value = ast.Constant(value=None)
    return ast.dump(tree)


def _encode(text: str, bom: bool) -> bytes:
    return (BOM if bom else b"") + text.encode("utf-8")
