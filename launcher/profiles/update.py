"""Change a few top-level fields of a user's profile file and keep everything else.

A profile is the user's file: comments, key order, quoting, line endings and a BOM
stay as they were. The edit replaces the lines of the changed keys only (a comment
after the value stays), inserts a missing key after the field that precedes it in
the documented order, and checks that the result means exactly the old profile plus
the changes. When a value spans several lines (or the file is written in flow style),
ruamel.yaml's round trip (comments kept) does it instead, under the same check.
The old file is backed up beside it, and the new one written atomically.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from launcher import fsio
from launcher.errors import BadInput, LauncherError
from launcher.profiles.schema import FIELDS, parse_profile

_BOM = "\ufeff"


@dataclass
class Updated:
    path: Path
    backup: Path | None
    before: dict[str, Any]  # the changed keys' old values (None: absent)
    after: dict[str, Any]


def update_profile_file(path: Path, changes: dict[str, Any], *, backup: bool = True) -> Updated:
    """Set `changes` (top-level keys) in the profile at `path`; raises keyed errors, writes nothing then."""
    path = Path(path)
    text = fsio.read_text(path)  # UTF-8 without its BOM, or fs.not_utf8
    bom = _has_bom(path)
    newline = "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"
    text = text.replace("\r\n", "\n")
    parse_profile(text, path)  # a broken profile is reported as such, never "fixed" blindly
    old = fsio.yaml_safe_load(text) or {}
    expected = {**old, **changes}
    before = {k: old.get(k) for k in changes}
    new_text = None
    for edit in (edit_lines, edit_roundtrip):
        candidate = edit(text, changes)
        if candidate is not None and _means(candidate, expected):
            new_text = candidate
            break
    if new_text is None:
        raise BadInput("profile.update_failed", path=str(path))
    parse_profile(new_text, path)
    out = (_BOM if bom else "") + new_text.replace("\n", newline)
    backup_path = None
    try:
        if backup:
            backup_path = fsio.backup(path)
        fsio.write_atomic(path, out)
    except LauncherError as exc:
        if backup_path is not None:
            fsio.discard(backup_path)
        raise LauncherError(
            "profile.write_failed", path=str(path), folder=str(path.parent), reason=exc.params.get("reason", "")
        ) from exc
    return Updated(path, backup_path, before, dict(changes))


def _has_bom(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(3) == _BOM.encode("utf-8")
    except OSError:
        return False


def _means(text: str, expected: dict) -> bool:
    try:
        return fsio.yaml_safe_load(text) == expected
    except Exception:  # noqa: BLE001 - any parse failure means "not this one"
        return False


def scalar(value: Any) -> str | None:
    """`value` as one line of block-style YAML (quoted when it must be), or None when it needs several."""
    import yaml

    dumped = yaml.safe_dump({"k": value}, allow_unicode=True, width=1_000_000, sort_keys=False)
    if not dumped.startswith("k: ") or dumped.count("\n") != 1:
        return None
    return dumped[3:-1]


# --- line edit -------------------------------------------------------------------------------


def edit_lines(text: str, changes: dict[str, Any]) -> str | None:
    lines = text.split("\n")
    for key in sorted(changes, key=_field_order):
        value = scalar(changes[key])
        if value is None:
            return None
        i = _key_line(lines, key)
        if i is not None:
            if not _single_line(lines, i):
                return None
            comment = _comment(lines[i].split(":", 1)[1])
            if comment is None:
                return None
            lines[i] = f"{key}: {value}{comment}"
        else:
            lines.insert(_insert_at(lines, key), f"{key}: {value}")
    return "\n".join(lines)


def _field_order(key: str) -> int:
    order = list(FIELDS)
    return order.index(key) if key in order else len(order)


def _key_line(lines: list[str], key: str) -> int | None:
    pattern = re.compile(rf"^{re.escape(key)}\s*:(\s|$)")
    found = [i for i, line in enumerate(lines) if pattern.match(line)]
    return found[0] if len(found) == 1 else None


def _single_line(lines: list[str], i: int) -> bool:
    rest = lines[i].split(":", 1)[1].strip()
    if not rest or rest[0] in "|>[{&*!" or rest.startswith("#"):
        return False  # block scalar, flow collection, anchor, tag or a value on the next lines
    for line in lines[i + 1 :]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        return not line[0].isspace()  # an indented line continues this value
    return True


def _comment(rest: str) -> str | None:
    """What follows a one-line value (`   # 3~10 秒`, or ""); None when the value's end is unclear."""
    s = rest.strip()
    if s.startswith('"'):
        end = _closing(s, '"')
    elif s.startswith("'"):
        end = _closing(s, "'")
    else:
        m = re.search(r"\s+#", s)
        end = m.start() if m else len(s)
    if end is None:
        return None
    tail = s[end:]
    if not tail.strip():
        return ""
    return tail if tail.lstrip().startswith("#") else None


def _closing(s: str, quote: str) -> int | None:
    i = 1
    while i < len(s):
        c = s[i]
        if quote == '"' and c == "\\":
            i += 2
            continue
        if c == quote:
            if quote == "'" and s[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i + 1
        i += 1
    return None


def _insert_at(lines: list[str], key: str) -> int:
    """After the nearest earlier field (documented order) written on one line; else at the end."""
    order = list(FIELDS)
    earlier = order[: order.index(key)] if key in order else order
    for previous in reversed(earlier):
        i = _key_line(lines, previous)
        if i is not None and _single_line(lines, i):
            return i + 1
    end = len(lines)
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    return end


# --- ruamel round trip ---------------------------------------------------------------------------


def edit_roundtrip(text: str, changes: dict[str, Any]) -> str | None:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    try:
        tree = yaml.load(text)
    except YAMLError:
        return None
    if not hasattr(tree, "insert"):
        return None
    for key in sorted(changes, key=_field_order):
        if key in tree:
            tree[key] = changes[key]
        else:
            keys = list(tree)
            earlier = [k for k in keys if _field_order(k) < _field_order(key)]
            tree.insert(keys.index(earlier[-1]) + 1 if earlier else len(keys), key, changes[key])
    buf = io.StringIO()
    try:
        yaml.dump(tree, buf)
    except YAMLError:
        return None
    return buf.getvalue()


__all__ = ["Updated", "update_profile_file", "edit_lines", "edit_roundtrip", "scalar"]
