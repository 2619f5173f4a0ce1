"""sovits-launch benchmarks: one command runs them all and prints one table.

    python benchmarks/run.py             # full run, about 3-4 minutes on 2 cores
    python benchmarks/run.py --quick     # fewer repeats and shorter loads, under a minute
    python benchmarks/run.py --markdown perf-table.md   # also write the table as Markdown
    python benchmarks/run.py --only readiness,cli            # a subset

Every goal is a ratio between two things measured in the same run, interleaved
run by run, so that the machine's speed and noise cancel out. Each figure is a
median over repeated runs. Benchmarks are run on demand, never in CI, and
nothing here asserts: a missed goal is reported, not raised.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # helpers.packgen: the 200-character library

from launcher.gsv import client as gsv_api  # noqa: E402
from launcher.demo.fake_package import build_standin_package, free_port  # noqa: E402


# --- results ---------------------------------------------------------------------------------


@dataclass
class Row:
    key: str
    metric: str
    measured: str
    goal: str
    ok: Optional[bool]  # None: reported only
    detail: str = ""


@dataclass
class Context:
    quick: bool
    work: Path
    env: dict = field(default_factory=dict)  # for every child: home, no colour, fixed width
    log: Callable[[str], None] = print


def median(values: list[float]) -> float:
    return statistics.median(values)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def verdict(ok: Optional[bool]) -> str:
    return "—" if ok is None else ("pass" if ok else "FAIL")


# --- helpers ---------------------------------------------------------------------------------


def child_env(ctx: Context, **extra: str) -> dict:
    env = dict(os.environ)
    # Byte-code cached, as in a real install (pip compiles it; the one-file exe ships it):
    # with PYTHONDONTWRITEBYTECODE every run would recompile the launcher's own modules
    # (~40 ms), while the site-packages the baseline uses come precompiled.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(ctx.work / "pycache")  # nothing written into the checkout
    env.update(ctx.env)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def launcher_argv(*args: str, timed: bool = False) -> list[str]:
    """The CLI as a user runs it (`python -m launcher`), or through _launch.py when the
    moment of "ready" must be recorded."""
    if timed:
        return [sys.executable, str(HERE / "_launch.py"), *args]
    return [sys.executable, "-m", "launcher", *args]


def python_args(pkg) -> list[str]:
    return [] if pkg.python else ["--python", sys.executable]


def write_profile(home: Path, name: str, pkg, *, display: str, gpt: Path, sovits: Path, port: int) -> Path:
    import yaml

    data = {
        "name": name,
        "display_name": display,
        "api": "v2",
        "root": str(pkg.root),
        "gpt": str(gpt),
        "sovits": str(sovits),
        "ref_audio": str(pkg.ref_audio),
        "prompt_text": pkg.prompt_text,
        "prompt_lang": "zh",
        "text_lang": "zh",
        "port": port,
        "device": "cpu",
    }
    path = home / "profiles" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def fresh_home(ctx: Context, name: str) -> Path:
    home = ctx.work / name / "home"
    home.mkdir(parents=True, exist_ok=True)
    os.environ["SOVITS_LAUNCH_HOME"] = str(home)  # our own in-process calls (plan_start, registry)
    ctx.env["SOVITS_LAUNCH_HOME"] = str(home)
    return home


def _event(path: Path, name: str) -> float:
    return next(e["t"] for e in read_events(path) if e["event"] == name)


def read_events(path: Path) -> list[dict]:
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except FileNotFoundError:
        return []


def stop_all() -> None:
    """End every server the launcher home knows about (untimed clean-up)."""
    from launcher.paths import layout
    from launcher.server.registry import Registry
    from launcher.server.stopping import stop_server

    registry = Registry(layout().registry_file)
    for rec in registry.servers():
        stop_server(rec, registry, graceful=False)


def wait_answer(port: int, deadline: float, interval: float = 0.002) -> bool:
    while time.monotonic() < deadline:
        if gsv_api.port_accepts("127.0.0.1", port, timeout=0.2) and gsv_api.probe_ready("127.0.0.1", port):
            return True
        time.sleep(interval)
    return False


def interleaved(n: int, runners: dict[str, Callable[[], float]]) -> dict[str, list[float]]:
    """Run each measurement n times, in a shuffled order each round, so slow drift hits all alike."""
    out: dict[str, list[float]] = {k: [] for k in runners}
    rng = random.Random(9)
    for _ in range(n):
        order = list(runners)
        rng.shuffle(order)
        for key in order:
            out[key].append(runners[key]())
    return out


# --- 1. readiness lag -------------------------------------------------------------------------


def bench_readiness(ctx: Context) -> list[Row]:
    """The stand-in alone (started by hand, polled every 2 ms) against `sovits-launch <profile>
    --detach` from the moment its process is created to the moment it declares ready."""
    from launcher.fsio import write_atomic
    from launcher.paths import Settings, layout
    from launcher.profiles.schema import find_profile
    from launcher.server.plan import plan_start

    home = fresh_home(ctx, "readiness")
    pkg = build_standin_package(ctx.work / "readiness" / "GPT-SoVITS 整合包")
    write_profile(home, "nahida", pkg, display="纳西妲", gpt=pkg.gpt, sovits=pkg.sovits, port=9880)
    rows: list[Row] = []
    delays = [(0.5, 3 if ctx.quick else 9), (5.0, 1 if ctx.quick else 4)]
    for load, n in delays:
        reqlog = ctx.work / "readiness" / f"requests-{load}.jsonl"
        lags: list[float] = []
        alone_start: list[float] = []  # Popen -> the stand-in's first line of its own code
        launched_start: list[float] = []  # `sovits-launch` Popen -> the same line of the server it starts

        def alone() -> float:
            port = free_port()
            plan = plan_start(find_profile("nahida", layout().profiles), layout=layout(), settings=Settings(),
                              port=port, python=pkg.python or sys.executable)
            write_atomic(plan.infer_yaml, plan.infer_yaml_text)
            reqlog.unlink(missing_ok=True)
            env = {**plan.env, **child_env(ctx, STANDIN_LOAD_SECONDS=load, STANDIN_REQUEST_LOG=reqlog)}
            plan.log_path.parent.mkdir(parents=True, exist_ok=True)
            with open(plan.log_path, "ab") as logf:
                wall, started = time.time(), time.monotonic()
                proc = subprocess.Popen(plan.argv, cwd=str(plan.root), env=env, stdin=subprocess.DEVNULL,
                                        stdout=logf, stderr=subprocess.STDOUT)
            try:
                if not wait_answer(port, started + load + 30):
                    raise RuntimeError("the stand-in never answered")
                elapsed = time.monotonic() - started
                alone_start.append(_event(reqlog, "start") - wall)
                return elapsed
            finally:
                proc.terminate()
                proc.wait()

        def launcher() -> float:
            port = free_port()
            marker = ctx.work / "readiness" / "ready.txt"
            marker.unlink(missing_ok=True)
            reqlog.unlink(missing_ok=True)
            env = child_env(ctx, STANDIN_LOAD_SECONDS=load, STANDIN_REQUEST_LOG=reqlog, BENCH_READY_FILE=marker)
            started = time.time()
            proc = subprocess.run(launcher_argv("nahida", "--detach", "--port", str(port), *python_args(pkg), timed=True),
                                  cwd=str(REPO), env=env, stdin=subprocess.DEVNULL, capture_output=True)
            try:
                if proc.returncode != 0:
                    raise RuntimeError(f"launcher failed ({proc.returncode}):\n{proc.stdout.decode()}{proc.stderr.decode()}")
                ready = float(marker.read_text(encoding="utf-8"))
                lags.append(ready - _event(reqlog, "listening"))
                launched_start.append(_event(reqlog, "start") - started)
                return ready - started
            finally:
                stop_all()

        def hello() -> float:
            """The floor of any typer+rich CLI on this machine: interpreter, typer (+ pydantic), rich."""
            started = time.perf_counter()
            subprocess.run([sys.executable, str(HERE / "hello.py")], env=child_env(ctx), stdin=subprocess.DEVNULL,
                           capture_output=True, check=True)
            return time.perf_counter() - started

        alone(), launcher(), hello()  # warm the file cache and write the byte-code cache
        del lags[:], alone_start[:], launched_start[:]
        times = interleaved(n, {"alone": alone, "launcher": launcher, "hello": hello})
        lag = median(lags)
        ratio = median(times["launcher"]) / median(times["alone"])
        rows.append(Row(f"ready_lag_{load}", f"Readiness lag, load {load:g} s", ms(lag), "≤ 50 ms", lag <= 0.050,
                        f"n={n}, max {ms(max(lags))}"))
        before = median(launched_start) - median(alone_start)
        rows.append(Row(f"ready_ratio_{load}", f"Launcher start ÷ stand-in alone, load {load:g} s", f"{ratio:.3f}×",
                        "≤ 1.03×", ratio <= 1.03,
                        f"launcher {ms(median(times['launcher']))}, stand-in alone {ms(median(times['alone']))}; "
                        f"the CLI's own time before the server starts {ms(before)}, "
                        f"a bare typer+rich hello world {ms(median(times['hello']))} "
                        f"(= {median(times['hello']) / median(times['alone']) * 100:.1f}% of the stand-in's time)"))
        ctx.log(f"  readiness {load:g} s: " + ", ".join(f"{k} {[round(v, 3) for v in vs]}" for k, vs in times.items())
                + f", lags {[round(v * 1000, 1) for v in lags]} ms, alone start {[round(v * 1000) for v in alone_start]}, launched start {[round(v * 1000) for v in launched_start]}")
    return rows


# --- 2. CLI start-up ---------------------------------------------------------------------------


def bench_cli(ctx: Context) -> list[Row]:
    """`list` with 50 profiles and `--help`, each against a bare typer + rich hello world."""
    home = fresh_home(ctx, "cli")
    pkg = build_standin_package(ctx.work / "cli" / "GPT-SoVITS 整合包")
    for i in range(50):
        write_profile(home, f"char{i:02d}", pkg, display=f"角色{i:02d}", gpt=pkg.gpt, sovits=pkg.sovits, port=9880 + i)
    env = child_env(ctx)

    def timed(argv: list[str]) -> Callable[[], float]:
        def once() -> float:
            started = time.perf_counter()
            proc = subprocess.run(argv, cwd=str(REPO), env=env, stdin=subprocess.DEVNULL, capture_output=True)
            elapsed = time.perf_counter() - started
            if proc.returncode != 0 or not proc.stdout:
                raise RuntimeError(f"{argv} failed ({proc.returncode}): {proc.stderr.decode()}")
            return elapsed
        return once

    runners = {
        "hello": timed([sys.executable, str(HERE / "hello.py")]),
        "list": timed(launcher_argv("list")),
        "help": timed(launcher_argv("--help")),
    }
    for run in runners.values():
        run()  # .pyc files written, file cache warm
    n = 7 if ctx.quick else 25
    times = interleaved(n, runners)
    hello = median(times["hello"])
    rows = []
    for key, label in (("list", "`list` (50 profiles)"), ("help", "`--help`")):
        ratio = median(times[key]) / hello
        rows.append(Row(f"cli_{key}", f"CLI start-up: {label} ÷ typer+rich hello", f"{ratio:.2f}×", "≤ 1.3×",
                        ratio <= 1.3, f"{ms(median(times[key]))} vs {ms(hello)}, n={n}"))
    ctx.log("  cli: " + ", ".join(f"{k} {ms(median(v))}" for k, v in times.items()))
    return rows


# --- 3. switch character ------------------------------------------------------------------------


def bench_switch(ctx: Context) -> list[Row]:
    """`sovits-launch keqing` on a running server (weight swap) against
    `sovits-launch nahida --restart` (stop + full start), both through the CLI.

    Load and swap delays are the ones observed on upstream (research/upstream-observed.md:
    ready after 7.5-9.7 s, both swaps 0.7-0.9 s); --quick shortens both."""
    home = fresh_home(ctx, "switch")
    pkg = build_standin_package(ctx.work / "switch" / "GPT-SoVITS 整合包")
    other = build_standin_package(ctx.work / "switch" / "second", character="刻晴")
    port = free_port()
    write_profile(home, "nahida", pkg, display="纳西妲", gpt=pkg.gpt, sovits=pkg.sovits, port=port)
    write_profile(home, "keqing", pkg, display="刻晴", gpt=other.gpt, sovits=other.sovits, port=port)
    load, swap = (2.0, 0.2) if ctx.quick else (8.0, 0.8)
    env = child_env(ctx, STANDIN_LOAD_SECONDS=load, STANDIN_SWAP_SECONDS=swap)

    def cli(*args: str) -> float:
        started = time.perf_counter()
        proc = subprocess.run(launcher_argv(*args, *python_args(pkg)), cwd=str(REPO), env=env,
                              stdin=subprocess.DEVNULL, capture_output=True)
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            raise RuntimeError(f"{args} failed ({proc.returncode}):\n{proc.stdout.decode()}{proc.stderr.decode()}")
        return elapsed

    n = 1 if ctx.quick else 3
    swaps, restarts = [], []
    try:
        cli("nahida", "--detach")
        for _ in range(n):
            swaps.append(cli("keqing"))  # nahida is running: swap to keqing
            restarts.append(cli("nahida", "--detach", "--restart"))  # keqing running: stop it, start nahida
    finally:
        stop_all()
    ratio = median(swaps) / median(restarts)
    ctx.log(f"  switch: swaps {[round(v, 3) for v in swaps]}, restarts {[round(v, 3) for v in restarts]}")
    return [Row("switch", f"Switch character: swap ÷ restart (load {load:g} s, swap {swap:g} s)", f"{ratio:.3f}×",
                "≤ 0.25×", ratio <= 0.25, f"swap {ms(median(swaps))}, restart {ms(median(restarts))}, n={n}")]


# --- 3b. warm-up ------------------------------------------------------------------------------------


def bench_warmup(ctx: Context) -> list[Row]:
    """The first request after `start` (the one xiaozhi sends, timed from here) ÷ the steady
    requests after it, with the warm-up and with --no-warmup. The stand-in's first synthesis in
    a language takes the extra time measured on the real api_v2.py (4.3 s first, 1.2 s after:
    STANDIN_FIRST_SYNTH_SECONDS=3.1, STANDIN_SYNTH_SECONDS=1.2); --quick scales both down."""
    from launcher.paths import Settings, layout
    from launcher.profiles.schema import find_profile
    from launcher.server.plan import plan_start
    from launcher.xiaozhi.config import say_request
    from launcher.xiaozhi.integrate import xiaozhi_target

    home = fresh_home(ctx, "warmup")
    pkg = build_standin_package(ctx.work / "warmup" / "GPT-SoVITS 整合包")
    port = free_port()
    write_profile(home, "nahida", pkg, display="纳西妲", gpt=pkg.gpt, sovits=pkg.sovits, port=port)
    first_extra, synth = (1.0, 0.3) if ctx.quick else (3.1, 1.2)
    env = child_env(ctx, STANDIN_LOAD_SECONDS=0.5, STANDIN_FIRST_SYNTH_SECONDS=first_extra, STANDIN_SYNTH_SECONDS=synth)
    plan = plan_start(find_profile("nahida", layout().profiles), layout=layout(), settings=Settings(), port=port,
                      python=pkg.python or sys.executable)
    request = say_request(xiaozhi_target(plan), "今天天气不错，我们出去走走吧。")
    steady_n = 2 if ctx.quick else 3

    def timed_request() -> float:
        started = time.perf_counter()
        answer = gsv_api.request(request.method, request.full_url(), json=request.json, timeout=120)
        if answer.status != 200:
            raise RuntimeError(f"the request failed: {answer.status} {answer.body[:200]!r}")
        return time.perf_counter() - started

    def once(*flags: str) -> tuple[float, list[float]]:
        proc = subprocess.run(launcher_argv("nahida", "--detach", *flags, *python_args(pkg)), cwd=str(REPO), env=env,
                              stdin=subprocess.DEVNULL, capture_output=True)
        try:
            if proc.returncode != 0:
                raise RuntimeError(f"start failed ({proc.returncode}):\n{proc.stdout.decode()}{proc.stderr.decode()}")
            first = timed_request()
            return first, [timed_request() for _ in range(steady_n)]
        finally:
            stop_all()

    n = 1 if ctx.quick else 3
    results: dict[str, list] = {"warm": [], "cold": []}
    for _ in range(n):
        for key, flags in (("warm", ()), ("cold", ("--no-warmup",))):
            results[key].append(once(*flags))
    rows = []
    for key, label in (("warm", "with the warm-up"), ("cold", "with --no-warmup")):
        firsts = [f for f, _ in results[key]]
        steadies = [s for _, runs in results[key] for s in runs]
        ratio = median(firsts) / median(steadies)
        goal, ok = ("≤ 1.3×", ratio <= 1.3) if key == "warm" else ("reported", None)
        rows.append(Row(f"first_request_{key}", f"First request after start ÷ steady request, {label}",
                        f"{ratio:.2f}×", goal, ok,
                        f"first {ms(median(firsts))}, steady {ms(median(steadies))}, n={n} starts × {steady_n} "
                        f"(stand-in: first synthesis +{first_extra:g} s, each {synth:g} s)"))
    ctx.log("  warmup: " + ", ".join(f"{k} {[(round(f, 3), [round(x, 3) for x in s]) for f, s in v]}"
                                     for k, v in results.items()))
    return rows


# --- 4. import scan -----------------------------------------------------------------------------


def bench_scan(ctx: Context) -> list[Row]:
    """`packs.scan` of a generated 200-character GSVI library against a bare os.walk of it."""
    from helpers.packgen import make_library

    from launcher.packs.scan import scan as scan_pack

    trained = make_library(ctx.work / "scan" / "library", 200)

    def walk() -> float:
        started = time.perf_counter()
        count = 0
        for _dirpath, _dirnames, filenames in os.walk(trained):
            count += len(filenames)
        return time.perf_counter() - started

    def walk_read() -> float:
        """os.walk plus the reads a scan cannot skip: each WAV's header (its duration decides
        3-10 s) and each infer_config.json. Not a goal: it shows what 2x leaves for the rest."""
        started = time.perf_counter()
        for dirpath, _dirnames, filenames in os.walk(trained):
            for name in filenames:
                if name.endswith((".wav", ".json")):
                    with open(os.path.join(dirpath, name), "rb") as fh:
                        fh.read(64 if name.endswith(".wav") else -1)
        return time.perf_counter() - started

    def scan() -> float:
        started = time.perf_counter()
        result = scan_pack(trained)
        elapsed = time.perf_counter() - started
        if len(result.characters) != 200:
            raise RuntimeError(f"scan found {len(result.characters)} characters, not 200")
        return elapsed

    walk(), walk_read(), scan()  # file cache warm
    n = 5 if ctx.quick else 15
    times = interleaved(n, {"walk": walk, "walk_read": walk_read, "scan": scan})
    walk_ms = median(times["walk"])
    ratio = median(times["scan"]) / walk_ms
    files = sum(len(f) for _d, _n, f in os.walk(trained))
    return [Row("scan", "Import scan: 200-character library ÷ bare os.walk", f"{ratio:.1f}×", "≤ 2×", ratio <= 2.0,
                f"scan {median(times['scan']) * 1000:.1f} ms, os.walk {walk_ms * 1000:.1f} ms, "
                f"os.walk + reading the WAV headers and configs {median(times['walk_read']) * 1000:.1f} ms "
                f"({median(times['walk_read']) / walk_ms:.1f}×), {files} files, n={n}")]


# --- 4b. reference from training outputs ------------------------------------------------------------


def bench_reference(ctx: Context) -> list[Row]:
    """`init`'s choice of a reference among 5,000 training clips against a bare listing of their folder
    (scandir + stat: the floor of any choice by length); the rest is reading the `.list` and
    2-name2text.txt. Also shown: reading every clip's WAV header, which the choice avoids."""
    from helpers.training_tree import make_training, many_clips

    from launcher.profiles.training import scan_training

    root = ctx.work / "reference" / "整合包"
    make_training(root, "纳西妲", many_clips(5000))
    folder = root / "logs" / "纳西妲" / "5-wav32k"

    def listing() -> float:
        started = time.perf_counter()
        with os.scandir(folder) as it:
            for entry in it:
                entry.stat()
        return time.perf_counter() - started

    def every_header() -> float:
        """What a choice that read every clip's WAV header would cost (not a goal)."""
        started = time.perf_counter()
        for entry in os.scandir(folder):
            with open(entry.path, "rb") as fh:
                fh.read(64)
        return time.perf_counter() - started

    def choose() -> float:
        started = time.perf_counter()
        scan = scan_training(root, ["纳西妲"])
        elapsed = time.perf_counter() - started
        if scan.pick is None or scan.pick.measured != 1:
            raise RuntimeError("the choice did not find the ideal clip from one header")
        return elapsed

    listing(), every_header(), choose()  # file cache warm
    n = 5 if ctx.quick else 15
    times = interleaved(n, {"listing": listing, "every_header": every_header, "choose": choose})
    base = median(times["listing"])
    ratio = median(times["choose"]) / base
    return [Row("reference", "Reference from 5,000 training clips ÷ listing their folder", f"{ratio:.1f}×", "≤ 4×",
                ratio <= 4.0, f"choice {ms(median(times['choose']))}, scandir+stat {ms(base)}, "
                f"reading every WAV header {ms(median(times['every_header']))}, n={n}")]


# --- 5. memory ------------------------------------------------------------------------------------


def bench_memory(ctx: Context) -> list[Row]:
    """Peak RSS of the launcher process (not the server) while it starts and then
    supervises a stand-in in the foreground, sampled every 20 ms."""
    import psutil

    home = fresh_home(ctx, "memory")
    pkg = build_standin_package(ctx.work / "memory" / "GPT-SoVITS 整合包")
    port = free_port()
    write_profile(home, "nahida", pkg, display="纳西妲", gpt=pkg.gpt, sovits=pkg.sovits, port=port)
    marker = ctx.work / "memory" / "ready.txt"
    env = child_env(ctx, STANDIN_LOAD_SECONDS=1.0, BENCH_READY_FILE=marker)
    supervise = 2.0 if ctx.quick else 5.0
    proc = subprocess.Popen(launcher_argv("nahida", *python_args(pkg), timed=True), cwd=str(REPO), env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    me = psutil.Process(proc.pid)
    peak = ready_rss = 0
    ready_at = None
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                rss = me.memory_info().rss
            except psutil.Error:
                raise RuntimeError("the launcher ended early")
            peak = max(peak, rss)
            if ready_at is None and marker.exists():
                ready_at, ready_rss = time.monotonic(), rss
            if ready_at is not None and time.monotonic() - ready_at > supervise:
                break
            time.sleep(0.02)
        else:
            raise RuntimeError("the server never became ready")
    finally:
        proc.send_signal(signal.SIGINT if os.name != "nt" else signal.CTRL_C_EVENT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        stop_all()
    mb = peak / 2**20
    return [Row("memory", "Peak RSS of the launcher while supervising a server", f"{mb:.1f} MB", "reported", None,
                f"at ready {ready_rss / 2**20:.1f} MB, followed {supervise:g} s")]


# --- the table ------------------------------------------------------------------------------------


BENCHES = {
    "readiness": bench_readiness,
    "cli": bench_cli,
    "switch": bench_switch,
    "warmup": bench_warmup,
    "scan": bench_scan,
    "reference": bench_reference,
    "memory": bench_memory,
}


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}")


def render_text(rows: list[Row]) -> str:
    headers = ["metric", "measured", "goal", "result", "detail"]
    table = [[r.metric, r.measured, r.goal, verdict(r.ok), r.detail] for r in rows]
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, table)])


def render_markdown(rows: list[Row]) -> str:
    out = ["| Metric | Measured | Goal | Result | Detail |", "| --- | --- | --- | --- | --- |"]
    out += [f"| {r.metric} | {r.measured} | {r.goal} | {verdict(r.ok)} | {r.detail} |" for r in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, shorter loads (under a minute)")
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown to this file")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
    parser.add_argument("--only", help="comma-separated subset: " + ",".join(BENCHES))
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, generated trees)")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(BENCHES)
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")

    work = Path(tempfile.mkdtemp(prefix="sovits-bench-"))
    ctx = Context(quick=args.quick, work=work, env={"NO_COLOR": "1", "COLUMNS": "120", "PYTHONPATH": str(REPO)},
                  log=lambda text: print(text, file=sys.stderr, flush=True))
    started = time.monotonic()
    rows: list[Row] = []
    try:
        for name in names:
            ctx.log(f"[{name}] ...")
            t0 = time.monotonic()
            rows += BENCHES[name](ctx)
            ctx.log(f"[{name}] done in {time.monotonic() - t0:.1f} s")
    finally:
        if args.keep:
            ctx.log(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"Machine: {machine()}")
    print(f"Mode: {'quick' if args.quick else 'full'}, {time.monotonic() - started:.0f} s")
    print()
    print(render_text(rows))
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(f"Machine: {machine()} ({'quick' if args.quick else 'full'} run)\n\n"
                                 + render_markdown(rows) + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "quick": args.quick, "rows": [r.__dict__ for r in rows]},
                                        ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
