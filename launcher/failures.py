"""Known upstream failures, recognised in the server's output or exit code.

Each pattern maps a line of GPT-SoVITS / uvicorn / torch output to a message
key in the catalog (`failure.<name>` with a `.hint`). The wording comes from
upstream's source and from what the servers print (research/upstream-observed.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Failure:
    key: str  # message key, e.g. "failure.port_in_use"
    line: str  # the output line that matched
    params: dict = field(default_factory=dict)
    fatal: bool = True  # the server cannot recover: stop waiting at once


# (name, regex, fatal). First match wins; order from most to least specific.
PATTERNS: list[tuple[str, re.Pattern, bool]] = [
    (
        "port_in_use",
        re.compile(
            r"error while attempting to bind on address|\[Errno (98|48|10048)\]|\[WinError 10048\]"
            r"|address already in use|Only one usage of each socket address"
        ),
        True,
    ),
    ("port_forbidden", re.compile(r"\[WinError 10013\]|\[Errno 13\] error while attempting to bind"), True),
    ("cuda_oom", re.compile(r"CUDA out of memory|torch\.(cuda\.)?OutOfMemoryError"), True),
    (
        "no_cuda",
        re.compile(
            r"Torch not compiled with CUDA enabled|No CUDA GPUs are available"
            r"|CUDA driver version is insufficient|Found no NVIDIA driver"
        ),
        True,
    ),
    ("cuda_error", re.compile(r"CUDA error|cuDNN error|CUBLAS_STATUS"), True),
    ("lora_base_missing", re.compile(r"底模缺失"), True),
    ("module_missing", re.compile(r"ModuleNotFoundError: No module named '(?P<module>[^']+)'"), True),
    (
        "file_missing",
        re.compile(r"(FileNotFoundError|No such file or directory|系统找不到指定的(文件|路径))[:：]?\s*(?P<what>.*)"),
        True,
    ),
    ("ram_oom", re.compile(r"\bMemoryError\b|DefaultCPUAllocator: not enough memory"), True),
]


def match_line(line: str) -> Failure | None:
    for name, pattern, fatal in PATTERNS:
        m = pattern.search(line)
        if m:
            params = {k: v.strip() for k, v in m.groupdict().items() if v}
            return Failure(key=f"failure.{name}", line=line.strip(), params=params, fatal=fatal)
    return None


# Windows NTSTATUS crash codes as seen in an exit code (unsigned), with their names.
WINDOWS_CRASH_CODES = {
    0xC0000005: "ACCESS_VIOLATION",
    0xC0000409: "STACK_BUFFER_OVERRUN",
    0xC00000FD: "STACK_OVERFLOW",
    0xC0000135: "DLL_NOT_FOUND",
    0xC0000139: "ENTRYPOINT_NOT_FOUND",
    0xC000001D: "ILLEGAL_INSTRUCTION",
    0xC0000374: "HEAP_CORRUPTION",
    0xC0000142: "DLL_INIT_FAILED",
}


def explain_exit_code(code: int | None) -> tuple[str, dict] | None:
    """A message key + params for a telling exit code, or None."""
    if code is None:
        return None
    unsigned = code & 0xFFFFFFFF
    if unsigned in WINDOWS_CRASH_CODES:
        return "failure.exit_windows_crash", {"code": code, "hex": f"0x{unsigned:08X}", "name": WINDOWS_CRASH_CODES[unsigned]}
    if code == 3:
        # uvicorn exits with 3 when it cannot bind (after all models were loaded).
        return "failure.exit_bind", {"code": code}
    if code < 0:
        return "failure.exit_signal", {"code": code, "signal": -code}
    return None


def last_traceback(lines: list[str]) -> tuple[str, str] | None:
    """(last frame, exception line) of the last Python traceback in `lines`, if any."""
    start = None
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].startswith("Traceback (most recent call last)"):
            start = i
            break
    if start is None:
        return None
    frame = ""
    exc_line = ""
    for line in lines[start + 1 :]:
        if line.startswith('  File "'):
            frame = line.strip()
        elif line and not line.startswith(" "):
            exc_line = line.strip()
            break
    return (frame, exc_line) if exc_line else None
