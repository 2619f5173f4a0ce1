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


# What a YAML file may expand to through its aliases (`*name`): a profile has about
# 100 nodes, xiaozhi's shipped config.yaml about 1,200. A "billion laughs" file
# (aliases of aliases, 10 times over) would expand to 10^9 and hang every walk.
MAX_YAML_NODES = 100_000
MAX_YAML_DEPTH = 500  # nesting levels; real configs have fewer than ten


class YamlShapeError(Exception):
    """A YAML document that parses but must not be used: `kind` and `params` say why."""

    def __init__(self, kind: str, **params):
        super().__init__(kind)
        self.kind = kind  # yaml_duplicate_key, yaml_alias_loop, yaml_alias_bomb, yaml_too_deep
        self.params = params


def yaml_safe_load(text: str, *, unique_keys: bool = False):
    """`yaml.safe_load(text)`, parsed by libyaml when PyYAML was built with it.

    `list` parses every profile, and the pure-Python parser costs ~0.6 ms a file
    (most of `list`'s own time with 50 profiles). The constructor and resolver are
    the same SafeLoader ones, so the data is identical. On a syntax error the text
    is parsed again by the pure-Python parser, whose messages are the ones users
    see (they name the offending character, e.g. a tab); so errors are unchanged too.

    Before anything is built, the node graph is checked (`YamlShapeError`): no
    alias that contains itself, no more than MAX_YAML_NODES once aliases are
    expanded, and with `unique_keys` no key twice in one mapping (PyYAML keeps
    the last one silently).
    """
    import yaml

    fast, slow = _checked_loaders(unique_keys)
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)  # noqa: S506 - a SafeLoader
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=slow)  # noqa: S506 - a SafeLoader


_LOADERS: dict = {}


def _checked_loaders(unique_keys: bool) -> tuple:
    """(libyaml loader or None, pure-Python loader), both SafeLoaders that check the graph first."""
    if unique_keys not in _LOADERS:
        import yaml

        def checked(base):
            def get_single_node(self):
                node = base.get_single_node(self)
                if node is not None:
                    check_yaml_graph(node, unique_keys=unique_keys)
                return node

            def construct_object(self, node, deep=False):
                # PyYAML's own constructors crash on some values instead of raising a YAMLError:
                # `2024-13-45` (ValueError), `!!bool x` (KeyError), `!!timestamp x` (AttributeError).
                try:
                    return base.construct_object(self, node, deep)
                except (YamlShapeError, yaml.YAMLError):
                    raise
                except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
                    tag = node.tag.rsplit(":", 1)[-1]
                    raise yaml.constructor.ConstructorError(
                        None, None, f"cannot read {node.value!r} as {tag} ({exc})", node.start_mark
                    ) from exc

            return type("Checked" + base.__name__, (base,), {"get_single_node": get_single_node,
                                                              "construct_object": construct_object})

        fast = getattr(yaml, "CSafeLoader", None)
        made = (checked(fast) if fast is not None else None, checked(yaml.SafeLoader))
        _LOADERS[unique_keys] = tuple(made)
    return _LOADERS[unique_keys]


def check_yaml_graph(root, *, unique_keys: bool = False, limit: int = MAX_YAML_NODES) -> None:
    """Walk a composed YAML node graph once (shared nodes are sized once, so the
    work is linear in the file, never in its expansion); raise `YamlShapeError`."""
    size: dict = {}  # id(node) -> nodes it stands for, aliases expanded
    open_: set = set()  # ids of the nodes on the current path
    stack = [(root, False, 0)]
    while stack:
        node, leaving, depth = stack.pop()
        if depth > MAX_YAML_DEPTH:
            # Checked here, not only by catching RecursionError: whether composing `[[[[…`
            # exhausts the stack depends on the Python and libyaml at hand.
            raise YamlShapeError("yaml_too_deep")
        nid = id(node)
        children = _yaml_children(node)
        if leaving:
            open_.discard(nid)
            size[nid] = 1 + sum(size[id(c)] for c in children)
            if size[nid] > limit:
                raise YamlShapeError("yaml_alias_bomb", line=node.start_mark.line + 1, limit=f"{limit:,}")
            continue
        if nid in size:
            continue
        if nid in open_:  # reached again from inside itself: `&a [*a]`
            raise YamlShapeError("yaml_alias_loop", line=node.start_mark.line + 1)
        open_.add(nid)
        if unique_keys:
            _check_unique_keys(node)
        stack.append((node, True, depth))
        stack.extend((c, False, depth + 1) for c in reversed(children))


def _yaml_children(node) -> list:
    value = node.value
    if not isinstance(value, list):
        return []  # a scalar
    out = []
    for item in value:
        out.extend(item if isinstance(item, tuple) else (item,))
    return out


def _check_unique_keys(node) -> None:
    if not isinstance(node.value, list) or not all(isinstance(item, tuple) for item in node.value):
        return  # not a mapping
    first: dict = {}  # (tag, text) of a key -> its line
    for key_node, _ in node.value:
        # Only scalar keys; `<<` merge keys may repeat (`<<: *a` then `<<: *b`).
        if isinstance(key_node.value, list) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        line = key_node.start_mark.line + 1
        ident = (key_node.tag, key_node.value)
        if ident in first:
            raise YamlShapeError("yaml_duplicate_key", name=key_node.value, first=first[ident], second=line)
        first[ident] = line


def yaml_load(text: str, path: Path, key: str, *, unique_keys: bool = False):
    """`yaml_safe_load(text)`; a syntax error becomes `BadInput(key)` naming the file, line and problem.

    A document of unusable shape or values gets the key of the same domain: for
    `profile.yaml_error`, `profile.yaml_value` (a value YAML cannot build),
    `profile.yaml_duplicate_key`, `profile.yaml_alias_loop`, `profile.yaml_alias_bomb`
    or `profile.yaml_too_deep`.
    """
    import yaml

    domain = key.split(".", 1)[0]
    try:
        return yaml_safe_load(text, unique_keys=unique_keys)
    except yaml.constructor.ConstructorError as exc:
        # Well-formed YAML with a value it cannot build (`2024-13-45`, `!!python/object:...`).
        raise yaml_error(exc, path, f"{domain}.yaml_value") from exc
    except yaml.YAMLError as exc:
        raise yaml_error(exc, path, key) from exc
    except YamlShapeError as exc:
        raise BadInput(f"{domain}.{exc.kind}", path=str(path), **exc.params) from None
    except RecursionError:  # the parser is recursive: thousands of `[[[[` exhaust the stack
        raise BadInput(f"{domain}.yaml_too_deep", path=str(path)) from None


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
