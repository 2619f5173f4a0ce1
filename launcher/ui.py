"""Terminal output: rich consoles, tables, the readiness spinner, the --json envelope.

Only `cli` uses this module.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Iterable

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from launcher import __version__

JSON_SCHEMA = 1  # bump when a --json shape changes incompatibly

_out: Console | None = None
_err: Console | None = None


def out() -> Console:
    global _out
    if _out is None or _out.file is not sys.stdout:
        _out = Console(file=sys.stdout, highlight=False, soft_wrap=True, emoji=False)
    return _out


def err() -> Console:
    global _err
    if _err is None or _err.file is not sys.stderr:
        _err = Console(file=sys.stderr, highlight=False, soft_wrap=True, emoji=False)
    return _err


def is_interactive() -> bool:
    return sys.stdout.isatty()


def line(text: str = "", style: str | None = None) -> None:
    out().print(text, style=style, markup=False)


def raw(text: str) -> None:
    """A server log line, shown as it is (no markup, no wrapping games)."""
    out().print(text, highlight=False, markup=False)


def warn(text: str) -> None:
    err().print("⚠ " + text, style="yellow", markup=False)


def success(text: str) -> None:
    out().print("✓ " + text, style="green", markup=False)


def error_block(headline: str, hint: str | None, details: Iterable[str] = ()) -> None:
    console = err()
    console.print("✗ " + headline, style="bold red", markup=False)
    for d in details:
        console.print("    " + d, style="dim", markup=False)
    if hint:
        console.print("  → " + hint, style="yellow", markup=False)


def table(columns: list[str], rows: list[list[Any]]) -> None:
    cells = [["" if v is None else str(v) for v in r] for r in rows]
    if _simple_table(columns, cells):
        return
    from rich.table import Table

    t = Table(show_edge=False, box=None, pad_edge=False, header_style="bold")
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in cells:
        t.add_row(*[Text(v) for v in r])  # Text: no markup, no :emoji: codes in user data
    out().print(t)


def _simple_table(columns: list[str], rows: list[list[str]]) -> bool:
    """Print what the borderless rich Table above prints, when no cell needs its layout
    engine: every cell one plain line, and the whole table as wide as the terminal or
    less (else rich folds cells, and the caller falls back to it). Columns are padded
    to their widest cell (terminal cells, so CJK counts double) and joined by two
    spaces, the header bold. rich lays out each cell on its own: 20-30 ms for `list`
    with 50 profiles, against a budget of ~50 ms for the whole command."""
    from rich.cells import cell_len
    from rich.text import Text

    width = len(columns)
    grid = [list(columns)] + [r + [""] * (width - len(r)) for r in rows]
    for row in grid:
        if len(row) != width:
            return False
        for cell in row:
            if cell and (not cell.isprintable() or cell != cell.strip()):
                return False
    widths = [max(cell_len(row[i]) for row in grid) for i in range(width)]
    console = out()
    if sum(widths) + 2 * (width - 1) > console.width:
        return False
    lines = ["  ".join(cell + " " * (w - cell_len(cell)) for cell, w in zip(row, widths)) for row in grid]
    text = Text("\n".join(lines), no_wrap=True)
    text.stylize("bold", 0, len(lines[0]))
    console.print(text)
    return True


def emit_json(kind: str, data: Any) -> None:
    """The versioned envelope every --json output uses."""
    payload = {"sovits_launch": __version__, "schema": JSON_SCHEMA, "kind": kind, "data": data}
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")


class Progress:
    """Spinner with elapsed time and the server's last log line, on a terminal only.

    Log lines are printed above it as they come; off a terminal (pipes, CI,
    double-clicked windows redirected to a file) only the lines are printed.
    """

    def __init__(self, label: str):
        self.label = label
        self._status = None

    def __enter__(self) -> Progress:
        if is_interactive():
            self._status = out().status(escape(self.label), spinner="dots")
            self._status.__enter__()
        return self

    def tick(self, elapsed: float, last_line: str) -> None:
        if self._status is not None:
            tail = last_line.strip()
            if len(tail) > 70:
                tail = tail[:67] + "…"
            self._status.update(f"{escape(self.label)} [dim]{elapsed:5.1f}s[/dim]  {escape(tail)}")

    def stop(self) -> None:
        self.__exit__(None, None, None)

    def __exit__(self, *exc) -> None:
        if self._status is not None:
            self._status.__exit__(*exc)
            self._status = None
