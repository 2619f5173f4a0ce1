"""Ask the package's own Python what its torch can do: version, CUDA, GPUs, fp16.

Importing torch takes seconds (tens of seconds on a cold disk), so the answer
is cached in the state folder (`doctor` and `init` share it), one entry per
package runtime, keyed by the interpreter's path, size and modification time
and by its site-packages folder (a folder's time changes when a package such
as torch is installed, removed or upgraded there): another package, a
reinstalled runtime or a new torch is asked again. An entry is kept for a week
at most (a new NVIDIA driver changes the answer without touching the runtime);
`refresh=True` always asks. A timeout or a crash is reported, never cached.

fp16 follows upstream's rule (config.py `get_device_dtype_sm`): a GPU gets
float16 only with compute capability above 6.1, not a GTX 16xx (sm 7.5),
and at least 4 GB (total + 0.4 GB); below sm 5.3 or 4 GB upstream uses the CPU.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

CACHE_VERSION = 3
CACHE_MAX_AGE = 7 * 24 * 3600.0  # seconds
PROBE_TIMEOUT = 120.0
MARKER = "SOVITS_LAUNCH_PROBE "

# Runs inside the package's interpreter (Python 3.9+); prints one marked JSON line.
PROBE_CODE = r"""
import json, sys
out = {"python": sys.version.split()[0], "torch": None, "cuda_build": None,
       "cuda_available": False, "devices": [], "error": None}
try:
    import torch
except BaseException as e:
    out["error"] = "%s: %s" % (type(e).__name__, e)
else:
    out["torch"] = str(torch.__version__)
    out["cuda_build"] = getattr(torch.version, "cuda", None)
    try:
        out["cuda_available"] = bool(torch.cuda.is_available())
        if out["cuda_available"]:
            for i in range(torch.cuda.device_count()):
                p = torch.cuda.get_device_properties(i)
                out["devices"].append({"index": i, "name": torch.cuda.get_device_name(i),
                                       "capability": list(torch.cuda.get_device_capability(i)),
                                       "memory_bytes": int(p.total_memory)})
    except BaseException as e:
        out["error"] = "%s: %s" % (type(e).__name__, e)
sys.stdout.write("SOVITS_LAUNCH_PROBE " + json.dumps(out) + "\n")
"""


@dataclass
class Gpu:
    index: int
    name: str
    capability: tuple[int, int]
    memory_bytes: int

    @property
    def sm(self) -> float:
        return self.capability[0] + self.capability[1] / 10.0

    @property
    def memory_gb(self) -> float:
        return self.memory_bytes / (1024**3) + 0.4  # upstream adds 0.4 GB

    @property
    def gtx16(self) -> bool:
        return bool(re.search(r"16\d{2}", self.name)) and self.sm == 7.5

    @property
    def usable(self) -> bool:
        """Upstream runs inference on it (else it picks the CPU)."""
        return self.memory_gb >= 4 and self.sm >= 5.3 and (self.sm == 6.1 or self.gtx16 or self.sm > 6.1)

    @property
    def fp16(self) -> bool:
        """Upstream would run it in half precision; False means half gives broken (silent) audio."""
        return self.usable and self.sm > 6.1 and not self.gtx16


@dataclass
class ProbeResult:
    ok: bool  # the interpreter answered
    python: str | None = None
    torch: str | None = None
    cuda_build: str | None = None  # torch.version.cuda: None = a CPU-only build
    cuda_available: bool = False
    devices: list[Gpu] = field(default_factory=list)
    error: str | None = None  # the import/CUDA error, or why the probe failed
    timed_out: bool = False
    cached: bool = False
    seconds: float = 0.0

    def device(self, spec: str | None) -> Gpu | None:
        """The GPU a `device:` value names (cuda = cuda:0), None if absent."""
        index = 0
        if spec and ":" in spec:
            try:
                index = int(spec.split(":", 1)[1])
            except ValueError:
                return None
        return next((d for d in self.devices if d.index == index), None)

    def to_dict(self) -> dict:
        data = asdict(self)
        for d, gpu in zip(data["devices"], self.devices):
            d["capability"] = list(gpu.capability)
            d["fp16"] = gpu.fp16
            d["memory_gb"] = round(gpu.memory_gb - 0.4, 1)
        return data


def _from_json(data: dict) -> ProbeResult:
    devices = [
        Gpu(int(d["index"]), str(d["name"]), tuple(d["capability"][:2]), int(d["memory_bytes"]))  # type: ignore[arg-type]
        for d in data.get("devices") or []
    ]
    return ProbeResult(
        ok=True,
        python=data.get("python"),
        torch=data.get("torch"),
        cuda_build=data.get("cuda_build"),
        cuda_available=bool(data.get("cuda_available")),
        devices=devices,
        error=data.get("error"),
    )


def _cache_key(python: Path) -> str | None:
    try:
        st = Path(python).stat()
    except OSError:
        return None
    return f"{Path(python).absolute()}|{st.st_size}|{st.st_mtime_ns}|{_packages_stamp(Path(python))}"


def site_packages(python: Path) -> list[Path]:
    """Where the runtime keeps its packages: `runtime/Lib/site-packages` beside an embedded
    Windows `python.exe`, `lib/pythonX.Y/site-packages` of a venv or POSIX layout."""
    here = Path(python).absolute().parent
    found = [here / "Lib" / "site-packages"]
    for base in (here, here.parent):
        try:
            found += sorted(base.glob("lib/python3*/site-packages"))
        except OSError:
            continue
    return [p for p in found if p.is_dir()]


def _packages_stamp(python: Path) -> str:
    parts = []
    for folder in site_packages(python):
        for p in (folder, folder / "torch", folder / "torch" / "version.py"):
            try:
                parts.append(str(p.stat().st_mtime_ns))
            except OSError:
                parts.append("-")
    return ",".join(parts)


def _read_cache(cache: Path) -> dict:
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or not isinstance(data.get("entries"), dict):
        return {}
    return data["entries"]


def _fresh(probed_at) -> bool:
    return isinstance(probed_at, (int, float)) and 0 <= time.time() - probed_at < CACHE_MAX_AGE


def _write_cache(cache: Path, entries: dict) -> None:
    from launcher.errors import LauncherError
    from launcher.fsio import write_atomic

    try:
        write_atomic(cache, json.dumps({"version": CACHE_VERSION, "entries": entries}, ensure_ascii=False, indent=1))
    except LauncherError:
        pass  # a cache that cannot be written only costs time next run


def probe(
    python: Path,
    *,
    cache: Path | None = None,
    refresh: bool = False,
    timeout: float = PROBE_TIMEOUT,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> ProbeResult:
    """Run the probe in `python` (cwd/env as the server gets them), or answer from the cache."""
    key = _cache_key(python)
    if cache is not None and key and not refresh:
        hit = _read_cache(cache).get(key)
        if isinstance(hit, dict) and isinstance(hit.get("answer"), dict) and _fresh(hit.get("probed_at")):
            result = _from_json(hit["answer"])
            result.cached = True
            return result
    started = time.monotonic()
    try:
        done = subprocess.run(
            [str(python), "-c", PROBE_CODE],
            cwd=str(cwd) if cwd else None,
            env=env,
            capture_output=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
    except subprocess.TimeoutExpired:
        return ProbeResult(ok=False, timed_out=True, error=f"no answer within {timeout:g} s", seconds=timeout)
    except OSError as exc:
        return ProbeResult(ok=False, error=exc.strerror or str(exc))
    elapsed = time.monotonic() - started
    out = done.stdout.decode("utf-8", "replace")
    line = next((ln for ln in reversed(out.splitlines()) if ln.startswith(MARKER)), None)
    if line is None:
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = err[-1] if err else f"exit code {done.returncode}"
        return ProbeResult(ok=False, error=reason[:300], seconds=elapsed)
    try:
        data = json.loads(line[len(MARKER) :])
        result = _from_json(data)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        return ProbeResult(ok=False, error=f"unreadable answer ({exc})", seconds=elapsed)
    result.seconds = elapsed
    if cache is not None and key:
        entries = _read_cache(cache)
        entries = {k: v for k, v in entries.items() if isinstance(v, dict) and _fresh(v.get("probed_at"))}
        entries[key] = {"probed_at": time.time(), "answer": data}
        _write_cache(cache, entries)
    return result


def effective_half(profile_half: bool | None, device: str | None, api: str) -> bool | None:
    """Whether the server asks for fp16, as the launcher starts it (None: upstream decides).

    api_v2.py: the launcher's tts_infer.yaml sets `is_half` to `half` (True when
    unset), and always False on the CPU (server.render_tts_infer_yaml): releases up to
    20250606v2pro keep fp16 there and answer silence. api.py: -hp/-fp when `half` is set
    (it does not turn fp16 off on the CPU), else upstream's own fp16 rule.
    """
    on_cpu = device == "cpu"
    if api == "v2":
        half = profile_half if profile_half is not None else not on_cpu
        return bool(half) and not on_cpu
    return profile_half


__all__ = ["Gpu", "ProbeResult", "probe", "effective_half", "PROBE_CODE"]
