"""A command line to show the user (`start --dry-run`), safe to paste into a shell.

The server itself is always started with an argument list (CreateProcessW takes
Unicode, no shell is involved); these strings are only ever displayed. Texts in a
profile can come from a downloaded voice pack (a transcript in a file name), so
`& del ...` in one must stay text when a user copies the line into cmd.exe.
"""

from __future__ import annotations

import shlex

# Characters cmd.exe gives a meaning to on a command line.
CMD_SPECIAL = set('&|<>^()%!"')
# Characters after which the Microsoft C runtime needs the argument quoted.
_CRT_SPLIT = set(" \t\n\v")


def crt_quote(arg: str, force: bool = False) -> str:
    """One argument as the Microsoft C runtime (CommandLineToArgvW) reads it back."""
    if arg and not force and not (_CRT_SPLIT & set(arg)) and '"' not in arg:
        return arg
    out = ['"']
    backslashes = 0
    for ch in arg:
        if ch == "\\":
            backslashes += 1
            continue
        if ch == '"':
            out.append("\\" * (2 * backslashes + 1) + '"')
        else:
            out.append("\\" * backslashes + ch)
        backslashes = 0
    out.append("\\" * (2 * backslashes) + '"')
    return "".join(out)


def for_cmd(argv: list[str]) -> str:
    """argv as a cmd.exe line. An argument with `&|<>^()` gets quotes (cmd leaves quoted
    text alone); one with `"`, `%` or `!` has every cmd character escaped with `^`,
    quotes included, so cmd never sees a quoted section it could misread."""
    parts = []
    for arg in argv:
        chars = set(arg)
        quoted = crt_quote(arg, force=bool(chars & CMD_SPECIAL))
        if chars & set('"%!'):
            quoted = "".join("^" + ch if ch in CMD_SPECIAL else ch for ch in quoted)
        parts.append(quoted)
    return " ".join(parts)


def for_posix(argv: list[str]) -> str:
    return shlex.join(argv)


__all__ = ["CMD_SPECIAL", "crt_quote", "for_cmd", "for_posix"]
