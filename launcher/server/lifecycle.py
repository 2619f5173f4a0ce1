"""Start a GPT-SoVITS API server for a profile, watch it until it really answers, stop it.

- `plan_start` checks everything it can before anything runs (files, reference
  length, weights version, languages) and builds the exact upstream argv.
- `run` spawns it (port checked under a lock, registry record written before
  the wait), waits for readiness (child alive + port open + GET /openapi.json
  = 200) while following its log, ends the wait early on a known failure, and
  in the foreground keeps streaming until the server ends or Ctrl+C.
- `stop_server` asks upstream to exit, then ends the whole process tree, and
  confirms the port is free.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

from launcher.gsv import failures
from launcher.gsv import client as gsv_api
from launcher.errors import BadInput, Notice, PortBusy, ReadyTimeout, ServerFailed
from launcher.fsio import write_atomic
from launcher.paths import Layout, Settings
from launcher.profiles.schema import Profile
from launcher.server.registry import Registry, ServerRecord, locked, port_owner

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
DEFAULT_TIMEOUT = 300.0  # real packages load BERT, HuBERT and both weights: minutes on slow PCs
TICK = 0.02  # readiness poll interval: the lag between "port answers" and "ready" is about half of it
# The server is on this machine: a listening port accepts at once. Windows takes ~2 s to
# refuse a closed loopback port, so a longer connect timeout would stretch every tick of the wait.
PROBE_CONNECT_TIMEOUT = 0.05
LOG_TAIL_LINES = 15


@dataclass
class LaunchPlan:
    profile: Profile
    api: str
    root: Path
    python: Path
    script: Path
    host: str
    port: int
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    gpt_path: Path | None = None
    sovits_path: Path | None = None
    ref_path: Path | None = None
    prompt_lang_api: str | None = None  # prompt_lang in the form this API accepts
    infer_yaml: Path | None = None
    infer_yaml_text: str | None = None
    sovits_version: str | None = None
    ref_seconds: float | None = None
    notices: list[Notice] = field(default_factory=list)

    @property
    def url(self) -> str:
        return gsv_api.base_url(self.host, self.port) + ("/tts" if self.api == "v2" else "/")


# --- planning ------------------------------------------------------------------


def resolve_root(profile: Profile, settings: Settings, root: Path | str | None) -> Path:
    chosen = root or profile.root or settings.gsv_root
    if not chosen:
        raise BadInput("start.no_root", profile=profile.name)
    return Path(chosen).expanduser().resolve()


def plan_start(
    profile: Profile,
    *,
    layout: Layout,
    settings: Settings,
    api: str | None = None,
    host: str | None = None,
    port: int | None = None,
    python: Path | str | None = None,
    root: Path | str | None = None,
) -> LaunchPlan:
    """Everything checked, nothing started: the exact command, env and files."""
    from launcher.gsv import package
    from launcher.server import preflight

    api = api or profile.api
    host = host or profile.host
    port = port or profile.port
    if not 1 <= int(port) <= 65535:
        raise BadInput("start.bad_port", value=port)
    root_path = resolve_root(profile, settings, root)
    python_path = Path(python) if python else (Path(settings.python) if settings.python else None)
    info = package.inspect_root(root_path, python_path)
    script = package.require_api_script(info, api)
    notices: list[Notice] = []

    # The checks live in preflight, shared with `doctor`.
    gpt = preflight.require_file(profile, "gpt", profile.gpt, root_path)
    sovits = preflight.require_file(profile, "sovits", profile.sovits, root_path)
    version = preflight.sovits_weights(sovits, root_path)
    notices += preflight.pair(gpt, preflight.gpt_weights(gpt), sovits, version, preflight.sovits_meta(sovits))
    reference = preflight.reference(profile, root_path, api, info.ffprobe)
    ref, ref_seconds = reference.path, reference.seconds
    notices += reference.notices
    prompt_lang, _ = preflight.api_languages(profile, api, version.version)

    if host not in LOOPBACK_HOSTS:
        notices.append(Notice("start.network_bind", host=host, port=port))

    assert info.python is not None  # inspect_root raises when there is none
    argv = [str(info.python), script.name]
    infer_yaml = infer_text = None
    if api == "v1":
        argv += ["-s", str(sovits), "-g", str(gpt)]
        if ref is not None and profile.prompt_text:
            # api.py drops the default reference unless all three are given.
            argv += ["-dr", str(ref), *_option("-dt", profile.prompt_text), "-dl", prompt_lang]
        elif ref is not None:
            notices.append(Notice("start.v1_no_prompt_text", profile=profile.name))
        if profile.device:
            argv += _option("-d", profile.device)
        argv += [*_option("-a", host), "-p", str(port)]
        if profile.half is True:
            argv.append("-hp")
        elif profile.half is False:
            argv.append("-fp")
        if profile.params.get("cut_punc"):
            argv += _option("-cp", str(profile.params["cut_punc"]))
    else:
        infer_yaml = layout.infer_configs / f"{profile.name}.yaml"
        infer_text = render_tts_infer_yaml(profile, gpt, sovits, version.version)
        argv += [*_option("-a", host), "-p", str(port), "-c", str(infer_yaml)]

    return LaunchPlan(
        profile=profile,
        api=api,
        root=root_path,
        python=info.python,
        script=script,
        host=host,
        port=int(port),
        argv=argv,
        env=child_env(root_path),
        log_path=layout.logs / f"{profile.name}-{port}.log",
        gpt_path=gpt,
        sovits_path=sovits,
        ref_path=ref,
        prompt_lang_api=prompt_lang,
        infer_yaml=infer_yaml,
        infer_yaml_text=infer_text,
        sovits_version=version.version,
        ref_seconds=ref_seconds,
        notices=notices,
    )


def _option(flag: str, value: str) -> list[str]:
    """`-dt text` as two arguments; as one `-dt=-text` when the text starts with `-`,
    which upstream's argparse would otherwise take for an option (and exit)."""
    return [f"{flag}={value}"] if value.startswith("-") else [flag, value]


def render_tts_infer_yaml(profile: Profile, gpt: Path, sovits: Path, version: str) -> str:
    """Our own tts_infer.yaml for api_v2.py -c: upstream rewrites the file it is given,
    so the user's GPT_SoVITS/configs/tts_infer.yaml is never handed over."""
    import yaml

    device = profile.device or "cuda"
    custom = {
        "bert_base_path": "GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large",
        "cnhuhbert_base_path": "GPT_SoVITS/pretrained_models/chinese-hubert-base",
        "device": device,
        "is_half": bool(profile.half) if profile.half is not None else device != "cpu",
        "t2s_weights_path": str(gpt),
        "version": version,
        "vits_weights_path": str(sovits),
    }
    header = f"# Written by sovits-launch for profile '{profile.name}'; regenerated at every start.\n"
    return header + yaml.safe_dump({"custom": custom}, allow_unicode=True, sort_keys=True)


def child_env(root: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The server's environment: UTF-8, unbuffered, the package's runtime first on PATH.

    PYTHONHOME/PYTHONPATH from a system Python would make the embedded runtime
    load the wrong standard library, so they are dropped.
    """
    env = dict(os.environ if base is None else base)
    for var in ("PYTHONHOME", "PYTHONPATH"):
        env.pop(var, None)
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONUNBUFFERED"] = "1"
    runtime = root / "runtime"
    if runtime.is_dir():
        env["PATH"] = str(runtime) + os.pathsep + env.get("PATH", "")
    return env


# --- ports -----------------------------------------------------------------------


def check_port_free(host: str, port: int, registry: Registry) -> None:
    for rec in registry.servers():
        if rec.port == port:
            raise PortBusy("port.ours", port=port, profile=rec.profile, pid=rec.pid)
    problem = _bind_problem(host, port)
    if problem is None and not gsv_api.port_accepts(host, port, timeout=0.2):
        return
    if problem == "forbidden":
        raise PortBusy("port.forbidden", port=port)
    owner = port_owner(port)
    if owner:
        raise PortBusy(
            "port.busy",
            port=port,
            pid=owner["pid"],
            name=owner["name"],
            cmdline=" ".join(owner["cmdline"])[:200] or "?",
        )
    raise PortBusy("port.busy_unknown", port=port)


def _bind_problem(host: str, port: int) -> str | None:
    family = socket.AF_INET6 if ":" in gsv_api.connect_host(host) else socket.AF_INET
    bind_host = host if host not in ("None", "") else "0.0.0.0"
    with socket.socket(family, socket.SOCK_STREAM) as s:
        if os.name != "nt":
            # uvicorn sets SO_REUSEADDR on POSIX; without it a TIME_WAIT would look busy.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((bind_host, port))
        except PermissionError:
            return "forbidden"  # Windows WinError 10013: an excluded port range
        except OSError:
            return "busy"
    return None


# --- the running server ------------------------------------------------------------


class LogReader:
    """Follows a log file from an offset; yields whole lines, keeps a tail."""

    def __init__(self, path: Path, offset: int = 0):
        self.path = path
        self.offset = offset
        self._partial = b""
        self._ident: tuple[int, int] | None = None  # (device, inode) of the file being read
        self.tail: deque[str] = deque(maxlen=LOG_TAIL_LINES)
        self.lines: deque[str] = deque(maxlen=400)  # for traceback analysis

    def new_lines(self, final: bool = False) -> list[str]:
        try:
            with open(self.path, "rb") as f:
                st = os.fstat(f.fileno())
                ident = (st.st_dev, st.st_ino)
                if (self._ident is not None and ident != self._ident) or st.st_size < self.offset:
                    # A new start replaced the log (the old one became .1), or it was truncated.
                    self.offset, self._partial = 0, b""
                self._ident = ident
                f.seek(self.offset)
                chunk = f.read()
        except OSError:
            return []
        self.offset += len(chunk)
        data = self._partial + chunk
        parts = data.split(b"\n")
        self._partial = b"" if final else parts.pop()
        out = []
        for raw in parts:
            if not raw and final:
                continue
            line = raw.rstrip(b"\r").decode("utf-8", errors="replace")
            self.tail.append(line)
            self.lines.append(line)
            out.append(line)
        return out


@dataclass
class Server:
    plan: LaunchPlan
    record: ServerRecord
    process: subprocess.Popen | None
    log: LogReader
    detached: bool
    ready_seconds: float | None = None


LineHandler = Callable[[str], None]
TickHandler = Callable[[float, str], None]
FailureHandler = Callable[[Notice], None]


def _explainer(server: Server, on_failure: FailureHandler | None) -> Callable[[str], None]:
    """Match a log line against the known failures; hand each kind (once) to `on_failure`
    as a keyed notice. Used for what does not end the wait: non-fatal lines while
    loading, and everything after ready (a CUDA OOM during a request, a 3-10 s refusal)."""
    seen: set[str] = set()

    def check(line: str) -> None:
        failure = failures.match_line(line)
        if failure is None or on_failure is None or failure.key in seen:
            return
        seen.add(failure.key)
        params = {"line": failure.line, "log": str(server.plan.log_path), "code": None,
                  "profile": server.plan.profile.title, "port": server.plan.port, **failure.params}
        on_failure(Notice(failure.key, **params))

    return check


def spawn(plan: LaunchPlan, *, layout: Layout, detach: bool = False) -> Server:
    """Start the server process. The port is checked and the record written under a
    lock, so two launchers racing for one port cannot both start."""
    registry = Registry(layout.registry_file)
    with locked(layout.state / f"port-{plan.port}"):
        check_port_free(plan.host, plan.port, registry)
        if plan.infer_yaml is not None and plan.infer_yaml_text is not None:
            write_atomic(plan.infer_yaml, plan.infer_yaml_text)
        offset = _prepare_log(plan)
        log_file = open(plan.log_path, "ab")
        try:
            process = subprocess.Popen(
                plan.argv,
                cwd=str(plan.root),
                env=plan.env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                **_process_flags(detach),
            )
        except OSError as exc:
            raise ServerFailed("server.spawn_failed", python=plan.argv[0], reason=exc.strerror or str(exc)) from exc
        finally:
            log_file.close()  # the child holds its own handle
        record = ServerRecord(
            profile=plan.profile.name,
            display_name=plan.profile.display_name,
            profile_path=str(plan.profile.path) if plan.profile.path else None,
            api=plan.api,
            host=plan.host,
            port=plan.port,
            pid=process.pid,
            create_time=_create_time(process.pid),
            log=str(plan.log_path),
            root=str(plan.root),
            gpt=str(plan.gpt_path),
            sovits=str(plan.sovits_path),
            detached=detach,
            launcher_pid=os.getpid(),
        )
        try:
            registry.add(record)
        except BaseException:
            # Not recorded (disk full, Ctrl+C): nothing could find it again, so it must not live on.
            process.kill()
            process.wait()
            raise
    return Server(plan=plan, record=record, process=process, log=LogReader(plan.log_path, offset), detached=detach)


def _prepare_log(plan: LaunchPlan) -> int:
    """A fresh log per start (the previous one kept as .1); returns where this run's output starts."""
    plan.log_path.parent.mkdir(parents=True, exist_ok=True)
    if plan.log_path.exists():
        try:
            os.replace(plan.log_path, plan.log_path.with_name(plan.log_path.name + ".1"))
        except OSError:
            pass  # still open elsewhere (Windows): append instead
    header = f"# sovits-launch {time.strftime('%Y-%m-%d %H:%M:%S')} cwd={plan.root}\n# argv={plan.argv!r}\n"
    with open(plan.log_path, "ab") as f:
        f.write(header.encode("utf-8"))
        return f.tell()


def _process_flags(detach: bool) -> dict:
    """Where the child lives relative to our console.

    Foreground: same console / process group, so closing the window or Ctrl+C
    reaches the server too (we still end the whole tree ourselves).
    Detached: its own session (POSIX) or a detached process group (Windows), so
    it outlives this window.
    """
    if not detach:
        return {}
    if os.name == "nt":
        flags = subprocess.CREATE_NEW_PROCESS_GROUP | 0x00000008  # DETACHED_PROCESS
        return {"creationflags": flags}
    return {"start_new_session": True}


def _create_time(pid: int) -> float:
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return time.time()


def wait_ready(
    server: Server,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    on_line: LineHandler | None = None,
    on_tick: TickHandler | None = None,
    on_failure: FailureHandler | None = None,
) -> float:
    """Block until the server answers GET /openapi.json with 200; returns the seconds it took.

    Ends early with ServerFailed when the child exits or prints a known fatal
    failure, with ReadyTimeout at the deadline.
    """
    explain = _explainer(server, on_failure)
    started = time.monotonic()
    deadline = started + timeout
    last = ""
    while True:
        for line in server.log.new_lines():
            last = line or last
            if on_line:
                on_line(line)
            failure = failures.match_line(line)
            if failure and failure.fatal:
                raise _failed(server, failure.key, failure.params, failure.line)
            explain(line)
        code = _exit_code(server)
        if code is not None:
            for line in server.log.new_lines(final=True):
                if on_line:
                    on_line(line)
                failure = failures.match_line(line)
                if failure and failure.fatal:
                    raise _failed(server, failure.key, failure.params, failure.line)
            explained = failures.explain_exit(code, list(server.log.lines))
            if explained:
                raise _failed(server, explained[0], explained[1], "")
            raise _failed(server, "server.exited", {"code": code}, "")
        if gsv_api.port_accepts(server.plan.host, server.plan.port, timeout=PROBE_CONNECT_TIMEOUT) and gsv_api.probe_ready(
            server.plan.host, server.plan.port
        ):
            elapsed = time.monotonic() - started
            server.ready_seconds = elapsed
            return elapsed
        now = time.monotonic()
        if now > deadline:
            raise _failed(server, "server.timeout", {"seconds": int(timeout)}, "", timeout=True)
        if on_tick:
            on_tick(now - started, last)
        time.sleep(TICK)


def _exit_code(server: Server) -> int | None:
    if server.process is not None:
        return server.process.poll()
    from launcher.server.registry import process_matches

    return None if process_matches(server.record.pid, server.record.create_time) else -1


def _failed(server: Server, key: str, params: dict, line: str, timeout: bool = False):
    """Stop what is left of the server and build the error with the log tail."""
    code = _exit_code(server)
    tail = list(server.log.tail)
    details = tail[:]
    tb = failures.last_traceback(list(server.log.lines))
    params = dict(params)
    params.setdefault("line", line)
    params.setdefault("log", str(server.plan.log_path))
    params.setdefault("code", code)
    params["profile"] = server.plan.profile.title
    params["port"] = server.plan.port
    if tb:
        params.setdefault("frame", tb[0])
        params.setdefault("exception", tb[1])
    cls = ReadyTimeout if timeout else ServerFailed
    return cls(key, details=details, **params)


def follow(server: Server, on_line: LineHandler | None = None, on_failure: FailureHandler | None = None) -> int:
    """Foreground: stream the log until the server process ends; returns its exit code.
    Known failures in the output (the server keeps running) are explained as they come."""
    explain = _explainer(server, on_failure)
    while True:
        for line in server.log.new_lines():
            if on_line:
                on_line(line)
            explain(line)
        code = _exit_code(server)
        if code is not None and _follow_replacement(server):
            continue
        if code is not None:
            for line in server.log.new_lines(final=True):
                if on_line:
                    on_line(line)
            return code
        time.sleep(0.1)


def _follow_replacement(server: Server) -> bool:
    """Upstream's /control?command=restart on Windows: `os.execl` starts the same command
    line as a new process and ends this one. Follow the new process, not "the end"."""
    from launcher.server.registry import replacement

    found = replacement(server.record)
    if not found:
        return False
    server.record.pid, server.record.create_time = found[0]["pid"], found[0]["create_time"]
    server.process = None  # from now on: watched through psutil
    return True


# --- stopping -----------------------------------------------------------------------


@dataclass
class StopResult:
    profile: str
    port: int
    pid: int
    graceful: bool  # ended after upstream's /control?command=exit
    port_free: bool


def stop_server(record: ServerRecord, registry: Registry, *, process: subprocess.Popen | None = None,
                graceful: bool = True, timeout: float = 8.0) -> StopResult:
    """End the server and every child it started; confirm its port is free."""
    import psutil

    from launcher.server.registry import process_matches, replacement

    if not process_matches(record.pid, record.create_time):
        found = replacement(record)  # restarted by upstream as a new process (Windows)
        if found:
            registry.remove(record.pid)
            record = replace(record, pid=found[0]["pid"], create_time=found[0]["create_time"])
    tree: list[psutil.Process] = []
    if process_matches(record.pid, record.create_time):
        try:
            root = psutil.Process(record.pid)
            tree = [root] + root.children(recursive=True)
        except psutil.Error:
            tree = []
    ended_gracefully = False
    if graceful and tree and gsv_api.port_accepts(record.host, record.port, timeout=0.2):
        gsv_api.request_exit(record.host, record.port)
        _, alive = psutil.wait_procs(tree[:1], timeout=3.0)
        ended_gracefully = not alive
    _end_tree(tree, timeout)
    if process is not None:
        try:
            process.wait(timeout=timeout)  # reap our own child (no zombie left behind)
        except subprocess.TimeoutExpired:
            pass
    port_free = _wait_port_closed(record.host, record.port, 5.0)
    registry.remove(record.pid)
    return StopResult(record.profile, record.port, record.pid, ended_gracefully, port_free)


def _end_tree(tree: list, timeout: float) -> None:
    import psutil

    alive = [p for p in tree if p.is_running()]
    for p in alive:
        try:
            p.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(alive, timeout=timeout / 2)
    for p in alive:
        try:
            p.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(alive, timeout=timeout / 2)


def _wait_port_closed(host: str, port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not gsv_api.port_accepts(host, port, timeout=0.2):
            return True
        time.sleep(0.05)
    return False


# --- the whole start --------------------------------------------------------------


@dataclass
class RunResult:
    server: Server
    ready_seconds: float
    exit_code: int | None  # foreground: the server's exit code; detached: None


def run(
    plan: LaunchPlan,
    *,
    layout: Layout,
    detach: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    on_line: LineHandler | None = None,
    on_tick: TickHandler | None = None,
    on_ready: Callable[[Server], None] | None = None,
    on_spawn: Callable[[Server], None] | None = None,
    on_failure: FailureHandler | None = None,
) -> RunResult:
    """spawn + wait_ready (+ follow in the foreground). Whatever goes wrong, including
    Ctrl+C, a foreground server is not left behind, and neither is its record."""
    registry = Registry(layout.registry_file)
    server = spawn(plan, layout=layout, detach=detach)
    keep_running = False
    try:
        with _stop_signals_as_interrupt():
            if on_spawn:
                on_spawn(server)
            ready = wait_ready(server, timeout=timeout, on_line=on_line, on_tick=on_tick, on_failure=on_failure)
            registry.update(server.record.pid, state="ready")
            server.record.state = "ready"
            if on_ready:
                on_ready(server)
            if detach:
                keep_running = True
                return RunResult(server, ready, None)
            code = follow(server, on_line, on_failure)
            if code != 0:
                # It was ready and then ended on its own (killed, crashed): say so, not "done".
                explained = failures.explain_exit_code(code)
                key, params = explained if explained else ("server.died", {"code": code})
                raise _failed(server, key if key != "failure.exit_bind" else "server.died", params, "")
            return RunResult(server, ready, code)
    finally:
        if not keep_running:
            stop_server(server.record, registry, process=server.process, graceful=False)


@contextmanager
def _stop_signals_as_interrupt() -> Iterator[None]:
    """SIGTERM/SIGHUP/SIGBREAK (a closed terminal or console, `kill`) end the launcher
    like Ctrl+C, so the cleanup in `run` also ends the server instead of orphaning it."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt()

    previous = {}
    if threading.current_thread() is threading.main_thread():  # signal handlers: main thread only
        for name in ("SIGTERM", "SIGHUP", "SIGBREAK"):
            sig = getattr(signal, name, None)
            if sig is not None:
                previous[sig] = signal.signal(sig, interrupt)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def python_for_display(argv: list[str]) -> str:
    """The command line as a user would type it (for messages and dry runs)."""
    from launcher.server import cmdline

    return cmdline.for_cmd(argv) if os.name == "nt" else cmdline.for_posix(argv)


__all__ = [
    "LaunchPlan",
    "Server",
    "StopResult",
    "RunResult",
    "plan_start",
    "spawn",
    "wait_ready",
    "follow",
    "run",
    "stop_server",
    "check_port_free",
    "child_env",
    "render_tts_infer_yaml",
    "python_for_display",
]
