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


# How the lines are anchored. A failure is a line of one of these shapes, from its start:
# - the last line of a Python traceback: `ExceptionClass: message`, at column 0, the class
#   maybe qualified (`torch.OutOfMemoryError`, `_pickle.UnpicklingError`);
# - a log record of uvicorn's logger (api.py's too): `ERROR:    message`, `INFO:     message`;
# - a line upstream prints itself (`Warning: CUDA is not available, set device to CPU.`).
# Never a phrase anywhere in a line: api.py logs the user's reference text while it loads
# (`INFO:     默认参考音频文本: ...`), paths can hold any words, and a traceback shows source
# lines (`    except FileNotFoundError:`); none of these is a failure.
EXC = r"^(?:[A-Za-z_]\w*\.)*"  # an exception line: its (qualified) class name follows
LOG = r"^(?:(?:INFO|WARNING|ERROR|CRITICAL):\s+|(?:INFO|WARNING|ERROR):\w+:)"  # a logger's record

# (name, regex, fatal). First match wins; order from most to least specific.
# Sources, each line as upstream or its dependency prints it:
# - uvicorn logs asyncio's bind error: "ERROR:    [Errno 98] error while attempting to bind on
#   address ('127.0.0.1', 9880): address already in use" (10048 on Windows, 48 on macOS;
#   10013/13: forbidden; 99/10049: the address is not this machine's);
# - torch: "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB ...",
#   "AssertionError: Torch not compiled with CUDA enabled", "RuntimeError: CUDA error: ...",
#   "RuntimeError: PytorchStreamReader failed reading zip archive: ...", the UserWarning line
#   "NVIDIA GeForce RTX 5070 with CUDA capability sm_120 is not compatible with the current
#   PyTorch installation.", "RuntimeError: [enforce fail at alloc_cpu.cpp:114] data.
#   DefaultCPUAllocator: not enough memory: ...";
# - GPT-SoVITS: TTS.py TTS_Config prints "Warning: CUDA is not available, set device to CPU."
#   (20250422v4 on); TTS.py raises OSError(i18n("参考音频在3~10秒范围外，请更换！")) and
#   FileExistsError(path + "SoVITS v3 底模缺失，无法加载相应 LoRA 权重") (FileNotFoundError later);
#   api.py logs "SoVITS V3 底模缺失，无法加载相应 LoRA 权重"; tools/i18n/locale/en_US.json
#   translates both texts;
# - transformers: "OSError: Incorrect path_or_model_id: '...'", "OSError: Can't load tokenizer for '...'";
# - Windows loading torch: "OSError: [WinError 1455] 页面文件太小，无法完成操作。 Error loading
#   "...\cudnn_cnn_infer64_8.dll" ...", "OSError: [WinError 126] ...", "ImportError: DLL load failed ...".
PATTERNS: list[tuple[str, re.Pattern, bool]] = [
    (
        "port_forbidden",
        re.compile(LOG + r"\[Errno (?:10013|13)\] error while attempting to bind"
                   + "|" + EXC + r"(?:PermissionError|OSError): \[(?:WinError|Errno) 10013\]"),
        True,
    ),
    (
        "port_in_use",
        re.compile(LOG + r"\[Errno (?:98|48|10048)\] error while attempting to bind on address"
                   + "|" + EXC + r"OSError: \[(?:WinError|Errno) (?:98|48|10048)\]"),
        True,
    ),
    (
        "bind_address",
        re.compile(LOG + r"\[Errno (?:99|49|10049)\] error while attempting to bind on address \('(?P<host>[^']*)'"),
        True,
    ),
    (
        "cuda_oom",
        re.compile(EXC + r"(?:OutOfMemoryError|RuntimeError): CUDA out of memory\."
                   r"(?:.*?Tried to allocate (?P<amount>[0-9.]+ [KMG]iB))?"),
        True,
    ),
    (
        "no_cuda",
        re.compile(
            EXC + r"(?:AssertionError|RuntimeError): (?:Torch not compiled with CUDA enabled|No CUDA GPUs are available"
            r"|CUDA driver version is insufficient|Found no NVIDIA driver|The NVIDIA driver on your system is too old)"
        ),
        True,
    ),
    # TTS.py TTS_Config: device cuda without CUDA -> falls back to the CPU and goes on (slowly).
    ("cuda_fallback", re.compile(r"^Warning: CUDA is not available, set device to CPU\."), False),
    # fp16 asked for on the CPU (api.py -hp with -d cpu): torch has no Half kernels there.
    ("half_on_cpu", re.compile(EXC + r"RuntimeError: \"\w+\" not implemented for '(?:Half|torch\.float16)'"), True),
    # A GPU newer than the package's torch (RTX 50 series, sm_120, needs CUDA 12.8 builds).
    (
        "cuda_arch",
        re.compile(
            r"^\S.* with CUDA capability (?P<arch>sm_\d+) is not compatible with the current PyTorch installation"
            + "|" + EXC + r"\w*Error: CUDA error: no kernel image is available for execution on the device"
        ),
        True,
    ),
    ("cuda_error", re.compile(EXC + r"\w*Error: (?:CUDA error|cuDNN error|CUDA error: CUBLAS_STATUS_\w+)"), True),
    (
        "lora_base_missing",
        re.compile(
            EXC + r"\w*Error: .*(?:SoVITS [vV]\d+ 底模缺失，无法加载相应 LoRA 权重|Missing Pretrained Model, Cannot Load LoRA Weights)"
            + "|" + LOG + r"SoVITS [vV]\d+ 底模缺失，无法加载相应 LoRA 权重"
            + r"|^Missing Pretrained Model, Cannot Load LoRA Weights"
        ),
        True,
    ),
    # GPT and SoVITS from different versions (v1 vs v2 symbols), or a file that is not a GPT-SoVITS model.
    (
        "weights_mismatch",
        re.compile(r"^\s*size mismatch for (?P<what>[\w.]+): copying a param with shape"
                   + "|" + EXC + r"RuntimeError: Error\(s\) in loading state_dict for "),
        True,
    ),
    (
        "weights_corrupt",
        re.compile(EXC + r"(?:RuntimeError: PytorchStreamReader failed|UnpicklingError: invalid load key|EOFError: Ran out of input)"),
        True,
    ),
    # A request with a reference outside 3-10 s: the server keeps running, every such request fails.
    (
        "ref_out_of_range",
        re.compile(EXC + r"OSError: (?:参考音频在3~10秒范围外，请更换！|Reference audio is outside the 3-10 second range)"),
        False,
    ),
    # Windows: "[WinError 1455] 页面文件太小，无法完成操作。" while torch loads its DLLs.
    ("paging_file", re.compile(EXC + r"\w*Error: \[WinError 1455\]"), True),
    (
        "dll_load",
        re.compile(
            EXC + r"(?:OSError|ImportError): (?:DLL load failed|\[WinError 12[67]\])(?:.*?Error loading \"(?P<what>[^\"]+\.dll)\")?"
        ),
        True,
    ),
    ("module_missing", re.compile(EXC + r"ModuleNotFoundError: No module named '(?P<module>[^']+)'"), True),
    # transformers on a missing BERT/HuBERT folder (GPT_SoVITS/pretrained_models).
    (
        "pretrained_missing",
        re.compile(EXC + r"OSError: (?:Incorrect path_or_model_id: '(?P<what>[^']+)'|Can't load (?:tokenizer|config|the model) for '(?P<what2>[^']+)')"),
        True,
    ),
    (
        "file_missing",
        re.compile(EXC + r"(?:FileNotFoundError|OSError): (?P<what>\[(?:Errno 2|WinError [23])\].*)"
                   + "|" + EXC + r"FileNotFoundError: (?P<what2>.*)"),
        True,
    ),
    ("ram_oom", re.compile(EXC + r"(?:MemoryError\b|RuntimeError: .*DefaultCPUAllocator: not enough memory)"), True),
]


def match_line(line: str) -> Failure | None:
    for name, pattern, fatal in PATTERNS:
        m = pattern.search(line)
        if m:
            params = {k.rstrip("0123456789"): v.strip() for k, v in m.groupdict().items() if v}
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


TRACEBACK_START = "Traceback (most recent call last)"
TRACEBACK_TAIL = 5  # non-blank lines allowed after the exception line for it to "end the output"


def _traceback_at(lines: list[str]) -> tuple[int, int, str, str] | None:
    """(start, exception index, last frame, exception line) of the last traceback in `lines`."""
    start = None
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].lstrip().startswith(TRACEBACK_START):
            start = i
            break
    if start is None:
        return None
    indent = len(lines[start]) - len(lines[start].lstrip())
    frame = ""
    for j in range(start + 1, len(lines)):
        body = lines[j][indent:] if lines[j][:indent].strip() == "" else lines[j]
        if body.startswith('  File "'):
            frame = body.strip()
        elif body.strip() and not body.startswith(" "):
            return start, j, frame, body.strip()
    return None


def last_traceback(lines: list[str]) -> tuple[str, str] | None:
    """(last frame, exception line) of the last Python traceback in `lines`, if any."""
    found = _traceback_at(lines)
    return (found[2], found[3]) if found else None


def traceback_at_end(lines: list[str]) -> tuple[str, str] | None:
    """Like `last_traceback`, but only when the traceback is what the output ends with
    (at most a few lines after its exception line, e.g. uvicorn's shutdown)."""
    found = _traceback_at(lines)
    if not found:
        return None
    after = [line for line in lines[found[1] + 1 :] if line.strip()]
    return (found[2], found[3]) if len(after) <= TRACEBACK_TAIL else None


def explain_exit(code: int | None, lines: list[str]) -> tuple[str, dict] | None:
    """Why a server ended, from its exit code and its last output lines.

    In order: a Windows crash code; a known fatal failure in the output; a
    Python traceback the output ends with (`failure.traceback`: its last frame
    and exception line); uvicorn's bind exit code 3 or a signal. None when
    nothing tells.
    """
    if code is not None and (code & 0xFFFFFFFF) in WINDOWS_CRASH_CODES:
        return explain_exit_code(code)
    for line in lines:
        failure = match_line(line)
        if failure and failure.fatal:
            params = dict(failure.params)
            params.setdefault("line", failure.line)
            return failure.key, params
    tb = traceback_at_end(lines)
    if tb:
        return "failure.traceback", {"code": code, "frame": tb[0] or "?", "exception": tb[1]}
    return explain_exit_code(code)
