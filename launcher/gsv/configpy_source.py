"""config.py's text: where its two default-weight assignments are, and whether an edit kept the rest.

Reading only, nothing here writes a file. `find_sites` accepts exactly one plain,
single-line, column-0 string assignment for each of `sovits_path` / `gpt_path`,
copied by `class Config`'s `__init__` into the attribute of the same name (what
upstream's api.py reads), and refuses every other shape as another upstream
version or a hand edit. `with_values` swaps the two literals in place; `verified`
checks that a new text differs from the old one in those two literals only.
"""

from __future__ import annotations

import ast
import difflib
import io
import re
import tokenize
import warnings
from dataclasses import dataclass
from pathlib import Path

from launcher.errors import BadInput, LauncherError, MissingFile

FILE_NAME = "config.py"
NAMES = ("sovits_path", "gpt_path")  # in file order of upstream; the profile fields are sovits / gpt
CONFIG_CLASS = "Config"
# Language-neutral: shown inside the zh and en messages alike.
SUPPORTED = (
    "GPT-SoVITS config.py 2024-01-20 (21b9c20) … 2025-06-17 (6fdc67c, = main 2026-08): "
    "beta 2024-01/02, 20240821v2, 20250228v3, 20250422v4, 20250606v2pro"
)
BOM = b"\xef\xbb\xbf"

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+\Z")


@dataclass(frozen=True)
class Site:
    """Where one default's string literal is."""

    name: str
    lineno: int  # 1-based
    start: int  # character offsets of the string literal within its line
    end: int
    quote: str
    value: str


# --- bytes and lines ------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise MissingFile("configpy.missing", path=str(path)) from exc
    except OSError as exc:
        raise LauncherError("fs.read_failed", path=str(path), reason=exc.strerror or str(exc)) from exc


def decode(raw: bytes, path: Path) -> tuple[bool, str]:
    """(has a UTF-8 BOM, text); anything Python would not read as UTF-8 is refused."""
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


def encode(text: str, bom: bool) -> bytes:
    return (BOM if bom else b"") + text.encode("utf-8")


def split_lines(text: str) -> list[str]:
    """Lines with their own endings, split where Python's tokenizer splits them."""
    return _LINE.findall(text)


def unified_diff(old_text: str, new_text: str) -> list[str]:
    old = [line.rstrip("\r\n") for line in split_lines(old_text)]
    new = [line.rstrip("\r\n") for line in split_lines(new_text)]
    return list(difflib.unified_diff(old, new, f"a/{FILE_NAME}", f"b/{FILE_NAME}", lineterm=""))


# --- editing the two literals -----------------------------------------------------


def with_values(text: str, sites: dict[str, Site], wanted: dict[str, str]) -> str:
    """`text` with the two literals replaced where their value differs; nothing else moves."""
    lines = split_lines(text)
    for name in NAMES:
        site = sites[name]
        if site.value == wanted[name]:
            continue  # already right, in whatever spelling the file has: leave it alone
        line = lines[site.lineno - 1]
        lines[site.lineno - 1] = line[: site.start] + python_literal(wanted[name], site.quote) + line[site.end :]
    return "".join(lines)


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


def verified(old_text: str, new_text: str, values: dict[str, str], path: Path) -> bool:
    """The new text has the wanted values, and differs from the old one nowhere else."""
    try:
        old_sites = find_sites(old_text, path)
        new_sites = find_sites(new_text, path)
    except LauncherError:
        return False
    if any(new_sites[name].value != values[name] for name in NAMES):
        return False
    old_lines, new_lines = split_lines(old_text), split_lines(new_text)
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


def same_but_defaults(text: str, sites: dict[str, Site], other: str, other_sites: dict[str, Site]) -> bool:
    """The two texts have the same lines, except perhaps the two assignments."""
    a, b = split_lines(text), split_lines(other)
    skip = {site.lineno for site in sites.values()}
    if len(a) != len(b) or skip != {site.lineno for site in other_sites.values()}:
        return False
    return all(x == y for i, (x, y) in enumerate(zip(a, b), 1) if i not in skip)


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


# --- finding the two assignments ----------------------------------------------------


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


def find_sites(text: str, path: Path) -> dict[str, Site]:
    """The two assignments, or `configpy.unsupported` naming the first shape that is not upstream's."""
    tree = _parse(text, path)
    lines = split_lines(text)
    bindings = _module_bindings(tree)
    sites: dict[str, Site] = {}
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
        sites[name] = Site(name, node.lineno, start, end, quote, node.value.value)
    problem = _config_problem(tree, bindings[CONFIG_CLASS])
    if problem:
        raise _unsupported(path, problem)
    return sites


def _quote_line(lines: list[str], lineno: int) -> str:
    text = lines[lineno - 1].rstrip("\r\n").strip() if 0 < lineno <= len(lines) else ""
    return text if len(text) <= 80 else text[:77] + "…"


def _char_offset(line: str, byte_offset: int) -> int:
    """ast column offsets count UTF-8 bytes; string slicing counts characters."""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
# `match` patterns bind plain names (`case sovits_path:`, `[*x]`, `{**x}`); Python 3.10+.
_CAPTURES = tuple(getattr(ast, kind) for kind in ("MatchAs", "MatchStar", "MatchMapping") if hasattr(ast, kind))


def _module_bindings(tree: ast.Module) -> dict[str, list[ast.AST]]:
    """Every statement that could (re)bind one of NAMES, or `Config`, at module level.

    Anything but the one plain assignment makes the file unsupported: a second
    assignment, `global sovits_path` in a function, an import under that name,
    a loop or `match` variable, a `del`, or `from … import *` (which could shadow it).
    """
    found: dict[str, list[ast.AST]] = {name: [] for name in NAMES + (CONFIG_CLASS,)}

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
                    for name in found:
                        add(name, owner)
                else:
                    add(child.asname or child.name.split(".")[0], owner)
            elif isinstance(child, ast.ExceptHandler) and child.name:
                add(child.name, child)
            elif isinstance(child, _CAPTURES):
                for name in (getattr(child, "name", None), getattr(child, "rest", None)):
                    if name:
                        add(name, owner)
            visit(child, owner)

    visit(tree, None)
    return found


def _config_problem(tree: ast.Module, bindings: list[ast.AST]) -> str | None:
    """Why `Config().sovits_path` / `.gpt_path` might not be the module's defaults; None when they are.

    api.py reads them from `Config()`: one module-level `class Config` whose one
    `__init__` copies each name into the attribute of the same name, and sets
    that attribute nowhere else, with no parameter or local variable of that name.
    """
    if len(bindings) != 1 or not isinstance(bindings[0], ast.ClassDef) or bindings[0] not in tree.body:
        return f"class {CONFIG_CLASS} ×{len(bindings)}"
    inits = [fn for fn in bindings[0].body if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) and fn.name == "__init__"]
    if len(inits) != 1 or not isinstance(inits[0], ast.FunctionDef):
        return f"class {CONFIG_CLASS}: __init__ ×{len(inits)}"
    init = inits[0]
    own = {arg.arg for arg in ast.walk(init.args) if isinstance(arg, ast.arg)}
    own |= {node.id for node in ast.walk(init) if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del))}
    for name in NAMES:
        copies = [stmt for stmt in ast.walk(init) if _is_copy(stmt, name)]
        sets = [node for node in ast.walk(init) if _is_self_attribute(node, name) and not isinstance(node.ctx, ast.Load)]
        if len(copies) != 1 or len(sets) != 1:
            return f"class {CONFIG_CLASS}: self.{name} = {name} ×{len(copies)}, self.{name} = … ×{len(sets)}"
        if name in own:
            return f"class {CONFIG_CLASS}: __init__ has its own {name}"
    return None


def _is_self_attribute(node: ast.AST, name: str) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
        and node.attr == name
    )


def _is_copy(stmt: ast.AST, name: str) -> bool:
    """`self.<name> = <name>`."""
    return (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and _is_self_attribute(stmt.targets[0], name)
        and isinstance(stmt.value, ast.Name)
        and stmt.value.id == name
    )
