"""The last word on a `.bat`'s bytes before they are written (DESIGN.md §6).

`batfile` builds the text so that it passes; `check_bat_bytes` re-reads the
final bytes as cmd will, independently, so a slip in the generator is refused
instead of written.
"""

from __future__ import annotations

import re

from launcher.errors import BadInput

#: Environment variables the generated text may expand (besides %~dp0 / %~n0).
_ALLOWED_VARS = {"PATH"}
_MAX_LINE = 4000  # cmd's limit is 8191 after expansion; keep far below it
#: An absolute Windows path (drive or UNC): never written into the file.
ABSOLUTE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]:[\\/]|\\\\")


def printable_ascii(value: str) -> bool:
    return all(" " <= ch <= "~" for ch in value)


def check_bat_bytes(data: bytes) -> None:
    """Refuse bytes that break DESIGN.md §6. Raises BadInput `bat.check.*`.

    ASCII only; no BOM; CRLF everywhere, also at the end; no other control
    characters; every `%` doubled except `%~dp0`, `%~n0` and `%PATH%`; quotes
    balanced on every line; no backslash before a closing quote (except the
    `cd /d "%~dp0"` idiom: cd is built in and has no argv parser); no `^` at
    the end of a line; no absolute path; delayed expansion never enabled.
    """
    if data[:3] == b"\xef\xbb\xbf" or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise BadInput("bat.check.bom")
    for offset, byte in enumerate(data):
        if byte > 0x7F:
            raise BadInput("bat.check.non_ascii", line=data[:offset].count(b"\n") + 1)
    text = data.decode("ascii")
    if not text.endswith("\r\n"):
        raise BadInput("bat.check.line_ends", line=text.count("\n") + 1)
    lines = text[:-2].split("\r\n")
    for number, line in enumerate(lines, 1):
        if "\r" in line or "\n" in line:
            raise BadInput("bat.check.line_ends", line=number)
        if any(ch < " " or ch == "\x7f" for ch in line):
            raise BadInput("bat.check.control", line=number)
        if len(line) > _MAX_LINE:
            raise BadInput("bat.check.too_long", line=number, limit=_MAX_LINE)
        shape = _expanded_shape(line, number)
        if shape.count('"') % 2:
            raise BadInput("bat.check.quotes", line=number)
        # %~dp0 ends in a backslash: `"%~dp0"` is `"D:\x\"`. Only cd (built in, no argv parser) may have it.
        if '\\"' in shape or (_DP0 + '"' in shape and not shape.startswith('cd /d "' + _DP0 + '"')):
            raise BadInput("bat.check.backslash_quote", line=number)
        if line.endswith("^"):
            raise BadInput("bat.check.caret", line=number)
        if ABSOLUTE.search(shape):
            raise BadInput("bat.check.absolute", line=number)
        if re.search(r"(?i)enabledelayedexpansion|/v:on", line):
            raise BadInput("bat.check.delayed", line=number)


_DP0, _N0, _VAR = "\x01", "\x02", "\x03"  # stand-ins for expansions (control characters never pass)


def _expanded_shape(line: str, number: int) -> str:
    """The line as cmd's percent pass leaves it: `%%` -> `%`, allowed expansions -> stand-ins.

    Any other `%` is refused: it would be an undoubled percent.
    """
    out: list[str] = []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch != "%":
            out.append(ch)
            i += 1
        elif line.startswith("%%", i):
            out.append("%")
            i += 2
        elif line.startswith("%~dp0", i):
            out.append(_DP0)
            i += 5
        elif line.startswith("%~n0", i):
            out.append(_N0)
            i += 4
        else:
            m = re.match(r"%([A-Za-z_][A-Za-z0-9_]*)%", line[i:])
            if not (m and m.group(1).upper() in _ALLOWED_VARS):
                raise BadInput("bat.check.percent", line=number)
            out.append(_VAR)
            i += m.end()
    return "".join(out)
