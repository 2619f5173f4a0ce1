"""`--help` in the user's language, laid out for a terminal with Chinese in it.

The verbs declare their help as catalog keys (`help="help.start.port"`); `localize`
turns the click command tree typer builds into the current language before it is
used, and gives every command a formatter that:
- writes click's own words (Usage, Options, Arguments, Commands, "Show this message
  and exit.", [required], [default: …]) from the catalog too;
- wraps by terminal cells, so a Chinese line (two cells a character) is not twice as
  wide as the terminal, and breaks between Chinese characters, never before a comma.

A verb that takes a word as its first argument (`xiaozhi set-dir <folder>`) lists
those words in a "Commands" section of its own help: `with_subcommands`.
"""

from __future__ import annotations

import inspect
import re
from contextlib import contextmanager
from typing import Iterable, Iterator

import typer
from typer.core import TyperCommand

try:  # typer >= 0.24 carries its own copy of click; older ones use click itself
    from typer import _click as click
except ImportError:  # pragma: no cover - depends on the installed typer
    import click  # type: ignore[no-redef]

from launcher import messages as msg

KEY_RE = re.compile(r"^help(\.[a-z0-9_]+)+$")
_HEADINGS = {"Usage": "help.usage", "Options": "help.options", "Arguments": "help.arguments", "Commands": "help.commands"}
_EXTRA_RE = re.compile(r"\s*\[(default: (?P<default>[^\]]*)|required)\]$")
# Never at the start of a line (Chinese typesetting): closing punctuation.
_NO_LINE_START = set("，。、；：！？）」』”’》〉】,.;:!?)]}…")


def _t(text):
    """A catalog key's text in the current language; anything else as it is."""
    if isinstance(text, str) and KEY_RE.match(text) and msg.has(text):
        return msg.t(text)
    return text


# --- the command tree ---------------------------------------------------------------


def localize(command: click.Command, app: typer.Typer) -> click.Command:
    """Translate the help of `command` (typer's click tree for `app`) in place."""
    _localize_one(command, app.registered_callback.callback if app.registered_callback else None)
    callbacks = {_command_name(info): info.callback for info in app.registered_commands}
    for name, sub in getattr(command, "commands", {}).items():
        _localize_one(sub, callbacks.get(name))
    return command


def _command_name(info) -> str:
    return info.name or info.callback.__name__.replace("_", "-")


def _localize_one(cmd: click.Command, callback) -> None:
    cmd.context_class = LocalizedContext
    cmd.help = _t(cmd.help)
    cmd.short_help = _t(cmd.short_help)
    cmd.epilog = _t(cmd.epilog)
    if cmd.options_metavar:
        cmd.options_metavar = msg.t("help.options_metavar")
    if isinstance(cmd, click.Group):
        cmd.subcommand_metavar = msg.t("help.command_metavar")
    declared = _declared_help(callback)
    for param in cmd.params:
        # Arguments lose their help on the way from typer to click (typer 0.23 with click 8.2+):
        # take it from the declaration.
        param.help = _t(getattr(param, "help", None) or declared.get(param.name or ""))
        if param.metavar:
            param.metavar = _t(param.metavar)
        elif isinstance(param, click.Argument) and msg.has(f"help.metavar.{param.name}"):
            param.metavar = msg.t(f"help.metavar.{param.name}")  # 角色 / PROFILE rather than NAME


def _declared_help(callback) -> dict:
    if callback is None:
        return {}
    found = {}
    for name, parameter in inspect.signature(callback).parameters.items():
        info = parameter.default
        if isinstance(info, typer.models.ParameterInfo) and info.help:
            found[name] = info.help
    return found


def with_subcommands(words: dict[str, str]) -> type:
    """A command class whose help lists the words its first argument takes
    (`{"set-dir {folder}": "help.xiaozhi.set_dir"}`, `{folder}` a help.metavar name) as
    a Commands section."""

    class VerbWithSubcommands(TyperCommand):
        subcommands = dict(words)

        def format_options(self, ctx, formatter) -> None:
            super().format_options(ctx, formatter)
            with formatter.section("Commands"):
                formatter.write_dl([(_words(word), _t(key)) for word, key in self.subcommands.items()])

    return VerbWithSubcommands


def _words(usage: str) -> str:
    """`set-dir {folder}` with the argument's name in the current language."""
    return re.sub(r"\{(\w+)\}", lambda m: msg.t(f"help.metavar.{m.group(1)}"), usage)


# --- the formatter ------------------------------------------------------------------


class LocalizedFormatter(click.HelpFormatter):
    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        if name == "Positional arguments":
            # click >= 8.3 lists the arguments itself; typer's "Arguments" section already does.
            saved, self.buffer = self.buffer, []
            try:
                yield
            finally:
                self.buffer = saved
            return
        with super().section(name):
            yield

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = msg.t("help.usage")
        prefix += "" if prefix.endswith("：") else " "  # a full-width colon carries its own space
        line = f"{' ' * self.current_indent}{prefix}{prog} {args}".rstrip()
        indent = " " * (self.current_indent + _cells(prefix) + _cells(prog) + 1)
        self.write("\n".join(wrap_cells(line, self.width, indent)) + "\n")

    def write_heading(self, heading: str) -> None:
        key = _HEADINGS.get(heading)
        self.write(f"{'':>{self.current_indent}}{msg.t(key) if key else heading}{msg.t('help.colon')}\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for i, paragraph in enumerate(_paragraphs(text)):
            if i:
                self.write("\n")
            for line in paragraph:
                self.write("\n".join(wrap_cells(indent + line, self.width, indent)) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(first, _localized_extra(second)) for first, second in rows]
        if not rows:
            return
        first_col = min(max(_cells(first) for first, _ in rows), col_max) + col_spacing
        indent = " " * self.current_indent
        hang = " " * (self.current_indent + first_col)
        for first, second in rows:
            if not second:
                self.write(f"{indent}{first}\n")
                continue
            if _cells(first) <= first_col - col_spacing:
                head = indent + first + " " * (first_col - _cells(first))
            else:
                self.write(f"{indent}{first}\n")
                head = hang
            self.write("\n".join(wrap_cells(head + " ".join(second.split()), self.width, hang)) + "\n")


class LocalizedContext(click.Context):
    formatter_class = LocalizedFormatter


def _localized_extra(text: str) -> str:
    """click's own words in a help line: the help option, [required], [default: x]."""
    if text == "Show this message and exit.":
        return msg.t("help.help_option")
    match = _EXTRA_RE.search(text or "")
    if not match:
        return text
    if match.group("default") is not None:
        extra = msg.t("help.default", value=match.group("default"))
    else:
        extra = msg.t("help.required")
    return text[: match.start()] + ("  " if match.start() else "") + extra


def _paragraphs(text: str) -> list[list[str]]:
    """Blank-line separated paragraphs, each a list of lines. The catalog writes a
    paragraph on one line (Chinese has no spaces to join wrapped lines with); a line
    break inside one (an example, a list) is meant and kept."""
    found = []
    for block in re.split(r"\n\s*\n", inspect.cleandoc(text)):
        lines = [line.rstrip() for line in block.splitlines() if line.strip() and line.strip() != "\b"]
        if lines:
            found.append(lines)
    return found


# --- wrapping by terminal cells -----------------------------------------------------


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def wrap_cells(line: str, width: int, indent: str = "") -> list[str]:
    """Break `line` into lines of at most `width` cells. Breaks at spaces, and between
    two wide (Chinese) characters; not before closing punctuation. Continuation lines
    start with `indent`. A word longer than a line is cut where it must be."""
    from rich.cells import cell_len

    width = max(width, _cells(indent) + 10)
    out: list[str] = []
    current = line
    while cell_len(current) > width:
        cut = _break_at(current, width, len(indent) if out else 0)
        out.append(current[:cut].rstrip())
        current = indent + current[cut:].lstrip(" ")
    out.append(current)
    return out


def _break_at(text: str, width: int, floor: int) -> int:
    """The index to break `text` at so that the first part fits `width` cells."""
    from rich.cells import cell_len

    used, fits = 0, 0
    for i, ch in enumerate(text):
        used += cell_len(ch)
        if used > width:
            break
        fits = i + 1
    best = None
    for i in range(fits, floor, -1):
        before, after = text[i - 1], text[i] if i < len(text) else ""
        if after in _NO_LINE_START:
            continue
        if after == " " or before == " " or cell_len(before) == 2 or cell_len(after) == 2:
            best = i
            break
    return best if best is not None and best > floor else max(fits, floor + 1)
