"""Terminal output: rich consoles, tables, the live status line, the --json envelope.

Only `cli` uses this module.
"""

from __future__ import annotations

import json
import re
import sys
import time
from typing import Any, Iterable

from rich.console import Console
from rich.text import Text

from launcher import __version__

JSON_SCHEMA = 2  # bump when a --json shape changes incompatibly (2: `profile` is the id everywhere, errors)

_out: Console | None = None
_err: Console | None = None
_live: Progress | None = None  # the status line on screen now, if any


def _real(stream):
    """The stream itself, not rich's proxy that a live display puts in its place."""
    return getattr(stream, "rich_proxied_file", stream)


def out() -> Console:
    global _out
    if _live is not None:
        return _live.console
    stream = _real(sys.stdout)
    if _out is None or _out.file is not stream:
        _out = Console(file=stream, highlight=False, soft_wrap=True, emoji=False)
    return _out


def err() -> Console:
    global _err
    stream = _real(sys.stderr)
    if _live is not None and _isatty(stream):
        # Same screen: printed above the status line, or the two would overwrite each other.
        return _live.console
    if _err is None or _err.file is not stream:
        _err = Console(file=stream, highlight=False, soft_wrap=True, emoji=False)
    return _err


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def is_interactive() -> bool:
    return _isatty(_real(sys.stdout))


def line(text: str = "", style: str | None = None) -> None:
    console = out()
    console.print(whole_address(text, console), style=style, markup=False)


def fits(text: str) -> bool:
    """Whether `text` takes one line of the terminal (always, when output is not one)."""
    from rich.cells import cell_len

    console = out()
    return not console.is_terminal or cell_len(text) <= console.width


_TRAILING_URL = re.compile(r"(?<=[：:\s])https?://\S+$")


def whole_address(text: str, console: Console) -> str:
    """A line that ends in an address and is wider than the terminal gets the address
    on a line of its own: the terminal would otherwise cut it in two, and a cut
    address cannot be clicked or copied. Output that is not a terminal is unchanged."""
    from rich.cells import cell_len

    if not console.is_terminal or cell_len(text) <= console.width:
        return text
    found = _TRAILING_URL.search(text)
    if found is None or cell_len(found.group()) + 2 > console.width:
        return text
    return text[: found.start()].rstrip() + "\n  " + found.group()


def raw(text: str) -> None:
    """A server log line, shown as it is (no markup), a progress bar's last state only."""
    out().print(last_state(text), highlight=False, markup=False)


def last_state(text: str) -> str:
    """What a terminal would show of a line redrawn with carriage returns (tqdm's bars:
    `  0%|...\\r 50%|...\\r100%|...`): its last state, so it takes one line, not dozens."""
    if "\r" not in text:
        return text
    parts = [p for p in text.split("\r") if p.strip()]
    return parts[-1] if parts else ""


def after_interrupt(text: str, ok: bool = True) -> None:
    """The last line after Ctrl+C: over the `^C` the terminal echoed, not after it."""
    console = out()
    if is_interactive() and not console.legacy_windows:  # an old Windows console prints escapes as text
        console.file.write("\r\x1b[K")
    console.print(("✓ " if ok else "⚠ ") + text, style="green" if ok else "yellow", markup=False)


def warn(text: str) -> None:
    err().print("⚠ " + text, style="yellow", markup=False)


def success(text: str) -> None:
    console = out()
    console.print(whole_address("✓ " + text, console), style="green", markup=False)


def error_block(headline: str, hint: str | None, details: Iterable[str] = ()) -> None:
    console = err()
    console.print("✗ " + headline, style="bold red", markup=False)
    for d in details:
        console.print("    " + d, style="dim", markup=False)
    if hint:
        console.print("  → " + hint, style="yellow", markup=False)


# --- tables -------------------------------------------------------------------------


def shorten_middle(text: str, width: int) -> str:
    """`D:\\GPT-SoVITS\\…\\logs\\nahida-9880.log`: both ends of a long path stay readable."""
    from rich.cells import cell_len

    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    keep = width - 1
    head_cells, tail_cells = keep // 2, keep - keep // 2
    head = _take_cells(text, head_cells)
    tail = _take_cells(text[::-1], tail_cells)[::-1]
    return head + "…" + tail


def shorten_path(path: str, width: int) -> str:
    """A path cut to `width` cells in the middle of its folders, its file name kept whole
    when there is room for it: `/home/张三/…/logs/port-9880.log`."""
    from rich.cells import cell_len

    if cell_len(path) <= width:
        return path
    cut = max(path.rfind("/"), path.rfind("\\"))
    name = path[cut:] if cut > 0 else ""
    if name and cell_len(name) + 4 <= width:
        return shorten_middle(path[:cut], width - cell_len(name)) + name
    return shorten_middle(path, width)


def _take_cells(text: str, cells: int) -> str:
    from rich.cells import cell_len

    taken, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > cells:
            break
        taken.append(ch)
        used += w
    return "".join(taken)


def table(
    columns: list[str],
    rows: list[list[Any]],
    *,
    paths: Iterable[int] = (),
    nowrap: Iterable[int] = (),
    optional: Iterable[int] = (),
) -> None:
    """A borderless table, as wide as the terminal at most when it can be. Columns in
    `paths` hold paths, shortened in the middle when the table would not fit; columns
    in `optional` are left out, in that order, while it still does not; columns in
    `nowrap` (addresses, ports) are never broken over two lines."""
    cells = [["" if v is None else str(v) for v in r] for r in rows]
    if paths or optional:
        columns, cells, nowrap = _fit(list(columns), cells, set(paths), set(nowrap), list(optional), out().width)
    if _simple_table(columns, cells):
        return
    from rich.table import Table

    nowrap = set(nowrap)
    t = Table(show_edge=False, box=None, pad_edge=False, header_style="bold")
    for i, c in enumerate(columns):
        t.add_column(c, overflow="fold", no_wrap=i in nowrap)
    for r in cells:
        t.add_row(*[Text(v) for v in r])  # Text: no markup, no :emoji: codes in user data
    out().print(t)


_PATH_MIN = 16  # a shortened path keeps at least this many cells


def _fit(columns, rows, paths, nowrap, optional, width):
    """Shorten the paths, then leave out optional columns, until the table fits."""
    count = len(columns)
    rows = [(r + [""] * count)[:count] for r in rows]
    keep = list(range(count))
    while True:
        cols = [columns[i] for i in keep]
        body = [[r[i] for i in keep] for r in rows]
        shorten = {keep.index(i) for i in paths if i in keep}
        if shorten:
            body = _fit_paths(cols, body, shorten, width)
        if _table_width(cols, body) <= width or not optional:
            return cols, body, {keep.index(i) for i in nowrap if i in keep}
        dropped = optional.pop(0)
        if dropped in keep:
            keep.remove(dropped)


def _table_width(columns: list[str], rows: list[list[str]]) -> int:
    from rich.cells import cell_len

    grid = [columns] + rows
    return sum(max(cell_len(row[i]) for row in grid) for i in range(len(columns))) + 2 * (len(columns) - 1)


def _fit_paths(columns: list[str], rows: list[list[str]], paths: set[int], width: int) -> list[list[str]]:
    from rich.cells import cell_len

    grid = [columns] + rows
    total = _table_width(columns, rows)
    if total <= width:
        return rows
    others = total - sum(max(cell_len(row[i]) for row in grid) for i in paths)
    room = max((width - others) // len(paths), _PATH_MIN)
    return [[shorten_path(v, room) if i in paths else v for i, v in enumerate(r)] for r in rows]


def _simple_table(columns: list[str], rows: list[list[str]]) -> bool:
    """Print what the borderless rich Table above prints, when no cell needs its layout
    engine: every cell one plain line, and the whole table as wide as the terminal or
    less (else rich folds cells, and the caller falls back to it). Columns are padded
    to their widest cell (terminal cells, so CJK counts double) and joined by two
    spaces, the header bold. rich lays out each cell on its own: 20-30 ms for `list`
    with 50 profiles, against a budget of ~50 ms for the whole command."""
    from rich.cells import cell_len

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


# --- --json -------------------------------------------------------------------------


def emit_json(kind: str, data: Any, *, error: dict | None = None) -> None:
    """The versioned envelope every --json output uses; a failure carries `error`
    (key, message, hint, exit_code) and no data."""
    payload = {"sovits_launch": __version__, "schema": JSON_SCHEMA, "kind": kind, "data": data}
    if error is not None:
        payload["error"] = error
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")


# --- the live status line -----------------------------------------------------------


class _StatusLine:
    """Spinner, label, elapsed seconds and the server's last line: always one line,
    cut to the terminal's width (a line the terminal wraps cannot be redrawn in place)."""

    def __init__(self, label: str):
        from rich.spinner import Spinner

        self.label = label
        self.tail = ""
        self.started = time.monotonic()
        self._spinner = Spinner("dots")

    def __rich_console__(self, console, options):
        frame = self._spinner.render(console.get_time())
        text = Text.assemble(frame, " ", self.label, (f"  {time.monotonic() - self.started:.1f}s", "dim"))
        if self.tail:
            text.append("  " + self.tail, style="dim")
        text.no_wrap = True
        text.overflow = "ellipsis"
        # Room left for the `^C` a terminal echoes: wrapped, it would push the line out of reach.
        text.truncate(max(options.max_width - 3, 1), overflow="ellipsis")
        yield text


class Progress:
    """A live status line at the bottom of the terminal; everything printed meanwhile
    (server log lines, warnings) goes above it. Off a terminal (pipes, CI, a window
    redirected to a file) there is no status line, only the lines."""

    def __init__(self, label: str):
        self.label = label
        self._status = _StatusLine(label)
        self._live = None
        self.console: Console | None = None

    def __enter__(self) -> Progress:
        global _live
        if is_interactive() and _live is None:
            from rich.live import Live

            self.console = out()
            self._live = Live(self._status, console=self.console, transient=True, refresh_per_second=12.5)
            self._live.start()
            _live = self
        return self

    def tick(self, elapsed: float, last_line: str) -> None:
        self._status.tail = " ".join(last_state(last_line).split())

    def stop(self) -> None:
        self.__exit__(None, None, None)

    def __exit__(self, *exc) -> None:
        global _live
        if self._live is not None:
            self._live.stop()
            self._live = None
            if _live is self:
                _live = None
