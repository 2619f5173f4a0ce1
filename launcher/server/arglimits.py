"""How long a command line the system lets a child have, checked before the start.

api.py takes the reference text on its command line (`-dt`), and a prompt_text
pasted from a whole script can be longer than a command line may be:

- Windows: CreateProcessW takes at most 32,767 UTF-16 characters, the
  terminating NUL included, for the whole (quoted) command line;
- Linux: each argument is at most MAX_ARG_STRLEN = 131,072 bytes with its NUL,
  and arguments and environment together at most ARG_MAX (`sysconf`);
- other POSIX systems: ARG_MAX for arguments and environment together.

Past these the spawn fails with E2BIG ("Argument list too long") or
WinError 206, which says nothing about which text is too long.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from dataclasses import dataclass

from launcher.errors import BadInput

WINDOWS_COMMAND_LINE = 32767  # UTF-16 units, with the terminating NUL
LINUX_ARG_STRLEN = 131072  # bytes of one argument, with its NUL (32 pages of 4 KiB)
FALLBACK_ARG_MAX = 262144  # POSIX's smallest ARG_MAX is 4096; every real system allows more
WINDOWS_TOO_LONG = 206  # ERROR_FILENAME_EXCED_RANGE: "The filename or extension is too long"


@dataclass(frozen=True)
class TooLong:
    field: str  # the profile field whose text is longest on the command line
    length: int  # its length in the unit of the limit
    total: int  # the whole command line (Windows) or arguments + environment (POSIX)
    limit: int
    unit: str  # "chars" (Windows) or "bytes" (POSIX)


def check(argv: list[str], env: dict[str, str], fields: dict[str, str], platform: str | None = None) -> TooLong | None:
    """What is too long to start `argv` with `env` on `platform` (sys.platform's form), or None."""
    platform = platform or sys.platform
    longest = max(fields.items(), key=lambda kv: len(kv[1]), default=("?", ""))
    if platform == "win32":
        total = _utf16(subprocess.list2cmdline(argv)) + 1
        if total > WINDOWS_COMMAND_LINE:
            return TooLong(longest[0], _utf16(longest[1]), total, WINDOWS_COMMAND_LINE, "chars")
        return None
    sizes = [len(arg.encode("utf-8", "surrogateescape")) + 1 for arg in argv]
    if platform.startswith("linux") and max(sizes, default=0) > LINUX_ARG_STRLEN:
        return TooLong(longest[0], len(longest[1].encode("utf-8")), max(sizes), LINUX_ARG_STRLEN, "bytes")
    env_size = sum(len(k.encode("utf-8", "surrogateescape")) + len(v.encode("utf-8", "surrogateescape")) + 2
                   for k, v in env.items())
    pointers = (len(argv) + len(env) + 2) * 8
    total = sum(sizes) + env_size + pointers
    limit = _arg_max()
    if total > limit:
        return TooLong(longest[0], len(longest[1].encode("utf-8")), total, limit, "bytes")
    return None


def error(found: TooLong, script: str) -> BadInput:
    key = "start.text_too_long" if found.unit == "chars" else "start.text_too_long_posix"
    return BadInput(key, field=found.field, length=f"{found.length:,}", total=f"{found.total:,}",
                    limit=f"{found.limit:,}", script=script)


def is_too_long(exc: OSError) -> bool:
    """The spawn failed because the command line (or environment) was too long."""
    return exc.errno == errno.E2BIG or getattr(exc, "winerror", None) == WINDOWS_TOO_LONG


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _arg_max() -> int:
    try:
        value = os.sysconf("SC_ARG_MAX")
    except (AttributeError, ValueError, OSError):
        return FALLBACK_ARG_MAX
    return value if value and value > 0 else FALLBACK_ARG_MAX
