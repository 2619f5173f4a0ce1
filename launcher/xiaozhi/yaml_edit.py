"""Round-trip edits of a user's YAML that keep every other byte where it can.

ruamel.yaml keeps comments and key order, but a full dump still normalizes
things the user wrote (`True` -> `true`, `null` -> empty, `+8` -> `8`, trailing
spaces, CRLF, a BOM). So an edit is made in two passes: ruamel dumps the whole
edited tree, then only the lines of the entries we changed are taken from that
dump, and every other line is taken verbatim from the original text
(`yaml_lines`). The result is checked to mean exactly what the full dump means (as PyYAML, which
xiaozhi uses, reads it); if the splice ever differs, the full dump is used.

Errors raised here carry `xiaozhi.*` keys: xiaozhi's data/.config.yaml is the
only user YAML the launcher edits in place.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional, Tuple

from launcher import fsio
from launcher.errors import BadInput
from launcher.xiaozhi.yaml_lines import restore_endings, splice, split_lines, strip_eol
from launcher.xiaozhi.yaml_rt import rt_yaml

KeyPath = Tuple[str, ...]

_BOM = "\ufeff"


@dataclass
class Loaded:
    """One YAML text, parsed twice: ruamel (to edit) and PyYAML (what xiaozhi reads)."""

    path: Path
    raw_lines: list  # the original lines, each with its own line ending
    text: str  # LF-only text without BOM: what ruamel parsed
    bom: bool
    newline: str  # "\n" or "\r\n": the file's dominant line ending
    tree: Any  # ruamel CommentedMap, or None when the file holds no document
    plain: Any  # PyYAML's value; None for an empty / comment-only file


def load(raw: str, path: Path) -> Loaded:
    """Parse `raw` (a decoded file). YAML errors name the file and line."""
    bom = raw.startswith(_BOM)
    if bom:
        raw = raw[1:]
    raw_lines = split_lines(raw)
    crlf = sum(1 for line in raw_lines if line.endswith("\r\n"))
    newline = "\r\n" if crlf and crlf * 2 >= len(raw_lines) else "\n"
    text = "".join(strip_eol(line) + ("\n" if line.endswith("\n") else "") for line in raw_lines)
    plain = pyyaml_load(text, path)
    tree = _rt_load(text, path)
    return Loaded(path, raw_lines, text, bom, newline, tree, plain)


def pyyaml_load(text: str, path: Path) -> Any:
    """What xiaozhi's `yaml.safe_load` makes of `text`. Two refusals get their own
    message, as neither is a typo: several documents, and a tag safe_load does not know."""
    import yaml

    try:
        return fsio.yaml_load(text, path, "xiaozhi.yaml_error")
    except BadInput as exc:
        cause = exc.__cause__
        problem = str(exc.params.get("problem", ""))
        line = exc.params.get("line", "?")
        if isinstance(cause, yaml.composer.ComposerError) and "single document" in problem:
            raise BadInput("xiaozhi.yaml_several_documents", path=str(path), line=line) from cause
        tag = re.search(r"could not determine a constructor for the tag '([^']*)'", problem)
        if exc.key == "xiaozhi.yaml_value" and tag:
            raise BadInput("xiaozhi.yaml_unknown_tag", path=str(path), line=line, tag=tag.group(1)) from cause
        raise


def _rt_load(text: str, path: Path) -> Any:
    from ruamel.yaml.error import YAMLError

    try:
        return rt_yaml().load(text)
    except YAMLError as exc:
        raise fsio.yaml_error(exc, path, "xiaozhi.yaml_error") from exc
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        # ruamel's constructors, like PyYAML's, can crash on a value instead of refusing it.
        raise BadInput("xiaozhi.yaml_error", path=str(path), line="?", problem=f"{type(exc).__name__}: {exc}") from exc


def detect_indent(text: str) -> tuple:
    """(mapping, sequence, offset) as ruamel wants them, from the file's own nesting.

    A file indented by 4 must get new keys indented by 4, or siblings end up at
    different depths, which is invalid YAML.
    """
    maps: Counter = Counter()
    offsets: Counter = Counter()
    parent_indent = None
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if parent_indent is not None:
            if stripped.startswith("- ") or stripped == "-":
                if indent >= parent_indent:
                    offsets[indent - parent_indent] += 1
            elif indent > parent_indent:
                maps[indent - parent_indent] += 1
        body = stripped[2:].lstrip(" ") if stripped.startswith("- ") else stripped
        # A key whose value is on the next lines: `key:` (maybe with a comment).
        if re.match(r"""^(?:"[^"]*"|'[^']*'|[^\s#'"{\[][^#]*?)\s*:\s*(?:#.*)?$""", body):
            parent_indent = indent + (len(stripped) - len(body))
        else:
            parent_indent = None
    mapping = maps.most_common(1)[0][0] if maps else 2
    offset = offsets.most_common(1)[0][0] if offsets else mapping
    return (mapping, offset + 2, offset)


# --- editing --------------------------------------------------------------------------------


def set_values(loaded: Loaded, changes: Iterable[Tuple[KeyPath, Any]], *, empty_header: str) -> str:
    """Set each key path to its value; return the new file text (BOM and line endings kept).

    Missing mappings on the way are created; a null one is replaced by a
    mapping; anything else that is not a mapping is refused. Values already
    equal are left alone, so the same edit twice returns the text unchanged.
    """
    from ruamel.yaml.comments import CommentedMap

    tree = loaded.tree
    fresh_doc = tree is None
    if fresh_doc:
        tree = CommentedMap()
    if not isinstance(tree, dict):
        raise BadInput("xiaozhi.config_not_mapping", path=str(loaded.path))
    was_empty = not tree
    if was_empty and getattr(tree, "fa", None) is not None:
        tree.fa.set_block_style()  # `{}` must grow into block style, not `{a: ..., b: ...}`

    changes = list(changes)
    refs = _references(tree)
    owned: list = []  # key paths whose entries the new text may change
    for path, value in changes:
        node, node_line = tree, 1
        shared = None  # (section, line) of the first mapping on the way that is not ours alone
        for depth, key in enumerate(path[:-1]):
            child = node.get(key)
            if child is None:  # missing or null: build the rest of the path in one piece
                for inner in reversed(path[depth + 1 :]):
                    value = CommentedMap([(inner, value)])
                path = path[: depth + 1]
                break
            if not isinstance(child, dict):
                raise BadInput(
                    "xiaozhi.section_not_mapping",
                    path=str(loaded.path),
                    section=".".join(path[: depth + 1]),
                    line=_line_of(node, key),
                    kind=type(child).__name__,
                )
            own = key in _own_keys(node)
            line = _line_of(node, key) if own else node_line  # a merged-in key: where the `<<:` is
            if shared is None and (refs[id(child)] > 1 or not own):
                shared = (".".join(path[: depth + 1]), line)
            node, node_line = child, line
        leaf = path[-1]
        if leaf in node and _same(node[leaf], value):
            continue
        if shared is not None:
            # Editing a mapping that an alias or a `<<:` merge shares would change the other places too.
            raise BadInput("xiaozhi.yaml_shared", path=str(loaded.path), section=shared[0], line=shared[1])
        if not len(node) and node is not tree:
            # `TTS: {}` grows into block style: its own line changes too.
            node.fa.set_block_style()
            owned.append(path[:-1])
        _set(node, leaf, value)
        owned.append(path)

    if not owned:
        return _rebuild(loaded, loaded.text, keep_all=True)

    indent = detect_indent(loaded.text)
    full = _dump(tree, indent)
    if fresh_doc:
        prefix = loaded.text if loaded.text.strip() else empty_header
        full = prefix.rstrip("\n") + "\n" + full
        return _rebuild(loaded, full, keep_all=False, fresh=True)
    if was_empty:  # `{}` (maybe under comments, as in our own minimal file): nothing else to keep
        return _rebuild(loaded, full, keep_all=False)
    # What the file must mean afterwards: the old meaning with the changes made.
    expected = _apply_plain(loaded.plain, changes)
    spliced = splice(loaded.text, full, _owned_lines(full, owned))
    for candidate in (spliced, full):
        if _means(candidate, expected, loaded.path):
            return _rebuild(loaded, candidate, keep_all=False)
    return _rebuild(loaded, full, keep_all=False)  # the caller's verification reports it


# --- comments that belong after an entry --------------------------------------------------
#
# ruamel stores full-line comments that follow an entry (often the heading of
# the next section) on the deepest last value before them. Adding a key after
# that value would push those comments above the new key; so they are moved
# to the new tail, and the end-of-line comment stays where it was.


def _set(node: Any, key: Any, value: Any) -> None:
    is_last = key not in node or list(node)[-1] == key
    start = None if is_last else key
    before = _tail_slot(node, start) if len(node) else None
    carry = _detach(before) if before else ""
    node[key] = value
    if carry:
        _attach(_tail_slot(node, start), carry)


def _tail_slot(node: Any, key: Any = None) -> Optional[tuple]:
    """(container, key or index, slot) holding the comments after `node[key]` (or after `node`)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if key is None:
        if not len(node):
            return None
        key = list(node)[-1] if isinstance(node, dict) else len(node) - 1
    while True:
        value = node[key]
        nested = isinstance(value, (CommentedMap, CommentedSeq)) and len(value) and not value.fa.flow_style()
        if not nested:
            return (node, key, 2 if isinstance(node, dict) else 0)
        node = value
        key = list(node)[-1] if isinstance(node, dict) else len(node) - 1


def _detach(slot: tuple) -> str:
    from ruamel.yaml.tokens import CommentToken

    container, key, index = slot
    entry = container.ca.items.get(key)
    token = entry[index] if entry and len(entry) > index else None
    if not isinstance(token, CommentToken) or "\n" not in token.value:
        return ""
    eol, rest = token.value.split("\n", 1)
    if not rest:
        return ""
    if eol:
        token.value = eol + "\n"
    else:
        entry[index] = None
    return rest


def _attach(slot: Optional[tuple], rest: str) -> None:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    if slot is None:
        return
    container, key, index = slot
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    token = entry[index]
    if isinstance(token, CommentToken):
        token.value = (token.value if token.value.endswith("\n") else token.value + "\n") + rest
    else:
        entry[index] = CommentToken("\n" + rest, CommentMark(0), None)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        # ruamel loads ScalarFloat / ScalarInt: compare the YAML kind, not the Python class.
        return isinstance(old, float) == isinstance(new, float) and old == new
    if isinstance(old, dict) and isinstance(new, dict):
        return list(old) == list(new) and all(_same(old[k], new[k]) for k in old)
    if isinstance(old, (list, tuple)) and isinstance(new, (list, tuple)):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new))
    if isinstance(old, str) and isinstance(new, str):
        return str(old) == str(new)
    return old is None and new is None


def _line_of(node: Any, key: str) -> Any:
    try:
        return node.lc.key(key)[0] + 1
    except Exception:  # noqa: BLE001 - position info is a nicety
        return "?"


def _dump(tree: Any, indent: tuple) -> str:
    out = io.StringIO()
    rt_yaml(indent).dump(tree, out)
    return out.getvalue()


def _owned_lines(new_text: str, owned: list) -> set:
    """Line numbers (0-based) of the entries at `owned` key paths in `new_text`."""
    tree = rt_yaml().load(new_text)
    total = len(split_lines(new_text))
    lines: set = set()
    for path in owned:
        start, end = _span(tree, path, total)
        lines.update(range(start, max(end, start + 1)))
    return lines


def _span(tree: Any, path: KeyPath, total: int) -> tuple:
    node, start, end = tree, 0, total
    for key in path:
        keys = _own_keys(node)  # keys merged in by `<<: *x` have no line of their own here
        i = keys.index(key)
        start = node.lc.key(key)[0]
        if i + 1 < len(keys):
            end = node.lc.key(keys[i + 1])[0]
        node = node[key]
    return start, end


def _references(tree: Any) -> Counter:
    """How many places refer to each mapping or list of the tree: its parents' own entries
    (an alias `*x` is a second one) and the `<<:` merges that pull it in."""
    counts: Counter = Counter()
    seen: set = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if id(node) in seen or not isinstance(node, (dict, list)):
            continue
        seen.add(id(node))
        children = [v for _, v in node.non_merged_items()] if hasattr(node, "non_merged_items") else (
            list(node.values()) if isinstance(node, dict) else list(node))
        for child in children:
            if isinstance(child, (dict, list)):
                counts[id(child)] += 1
                stack.append(child)
        for merged in getattr(node, "merge", None) or []:
            source = merged[1] if isinstance(merged, tuple) else merged
            counts[id(source)] += 1
            stack.append(source)
    return counts


def _own_keys(node: Any) -> list:
    if hasattr(node, "non_merged_items"):
        return [k for k, _ in node.non_merged_items()]
    return list(node.keys())


def _means(text: str, expected: Any, path: Path) -> bool:
    try:
        return deep_equal(pyyaml_load(text, path), expected)
    except BadInput:
        return False


def _apply_plain(data: Any, changes: list) -> dict:
    """The changes applied to PyYAML's view, as xiaozhi will read the edited file."""
    import copy

    result = copy.deepcopy(data) if isinstance(data, dict) else {}
    for path, value in changes:
        node = result
        for key in path[:-1]:
            if not isinstance(node.get(key), dict):
                node[key] = {}
            node = node[key]
        node[path[-1]] = _plain(value)
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def deep_equal(a: Any, b: Any) -> bool:
    """Equality that also tells 1 from True and 1 from 1.0 (a YAML edit must not change types)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(deep_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(deep_equal(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _rebuild(loaded: Loaded, text: str, *, keep_all: bool, fresh: bool = False) -> str:
    """Put the BOM and the line endings back; untouched lines keep their own ending."""
    bom = _BOM if loaded.bom else ""
    if keep_all:
        return bom + "".join(loaded.raw_lines)
    if fresh and not loaded.raw_lines:
        return text
    return bom + restore_endings(text, loaded.raw_lines, loaded.newline)
