"""The stand-in GPT-SoVITS servers behave like upstream's api.py / api_v2.py.

Every server here is a real subprocess started from a package built by
`launcher.demo.fake_package.build_standin_package`, on a free port, with short load delays.
Waits are on conditions with deadlines (the request log, the process, the port).
"""

from __future__ import annotations

import errno
import http.client
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import wave
import zipfile
from pathlib import Path

import pytest

import helpers
import yaml

from launcher.demo.fake_package import (
    STANDIN_FILES, build_standin_package, fake_sovits, free_port, read_request_log, standin_dir, wav_duration, write_wav,
)
from launcher.demo.standin import standin_common as common

LOAD = 0.3  # seconds of simulated model loading for most servers
DEADLINE = 15.0
POSIX = os.name != "nt"
REF_RANGE_ZH = "参考音频在3~10秒范围外，请更换！"
REF_RANGE_EN = "Reference audio is outside the 3-10 second range, please choose another one!"


# ----------------------------------------------------------------------------- helpers


def wait_for(predicate, timeout: float = DEADLINE, what: str = "condition"):
    return helpers.wait_for(predicate, timeout, interval=0.02, what=what)


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def request(method: str, url: str, *, body: object = None, timeout: float = 10.0):
    """(status, headers, body bytes) - HTTP errors are answers, not exceptions."""
    data = None
    headers = {}
    if body is not None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


class Server:
    """One stand-in process: output collected line by line, request log in a temp file."""

    def __init__(self, pkg, flavor: str, args: list, workdir: Path, *, load: float = LOAD, env: dict | None = None,
                 command: list | None = None):
        self.pkg = pkg
        self.port = None
        for i, a in enumerate(args):
            if a == "-p":
                self.port = int(args[i + 1])
        self.log = workdir / f"requests-{flavor}-{self.port}-{time.monotonic_ns()}.jsonl"
        child_env = pkg.env(load_seconds=load, request_log=self.log)
        child_env.pop("language", None)
        child_env.setdefault("LC_ALL", "zh_CN.UTF-8")
        child_env.update(env or {})
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            command or pkg.command(flavor, *args),
            cwd=str(pkg.root),
            env=child_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.out: list = []
        self.err: list = []
        self._threads = [
            threading.Thread(target=self._pump, args=(self.proc.stdout, self.out), daemon=True),
            threading.Thread(target=self._pump, args=(self.proc.stderr, self.err), daemon=True),
        ]
        for th in self._threads:
            th.start()

    @staticmethod
    def _pump(stream, sink: list) -> None:
        for raw in iter(stream.readline, b""):
            sink.append(raw.decode("utf-8", "replace").rstrip("\r\n"))
        stream.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def events(self, name: str | None = None) -> list:
        found = read_request_log(self.log)
        return [e for e in found if name is None or e["event"] == name]

    def wait_ready(self, count: int = 1) -> None:
        def ready():
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited with {self.proc.returncode}:\n" + "\n".join(self.out + self.err))
            return len(self.events("listening")) >= count and port_open(self.port)

        wait_for(ready, what="the stand-in to listen")

    def wait_exit(self, timeout: float = DEADLINE) -> int:
        return self.proc.wait(timeout=timeout)

    def finish_output(self) -> None:
        for th in self._threads:
            th.join(timeout=5)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.finish_output()

    def get(self, path: str, **query) -> tuple:
        qs = urllib.parse.urlencode(query)
        return request("GET", self.url + path + ("?" + qs if qs else ""))

    def post(self, path: str, body: object) -> tuple:
        return request("POST", self.url + path, body=body)


def tts_body(pkg, **changes) -> dict:
    """The JSON xiaozhi's gpt_sovits_v2 provider POSTs to /tts."""
    body = {
        "text": "你好，旅行者。",
        "text_lang": "zh",
        "ref_audio_path": str(pkg.ref_audio),
        "aux_ref_audio_paths": [],
        "prompt_text": pkg.prompt_text,
        "prompt_lang": "zh",
        "top_k": 5,
        "top_p": 1,
        "temperature": 1,
        "text_split_method": "cut0",
        "batch_size": 1,
        "batch_threshold": 0.75,
        "split_bucket": True,
        "return_fragment": False,
        "speed_factor": 1.0,
        "streaming_mode": False,
        "seed": -1,
        "parallel_infer": True,
        "repetition_penalty": 1.35,
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


def wav_info(data: bytes) -> tuple:
    with wave.open(io.BytesIO(data), "rb") as w:
        return w.getframerate(), w.getnchannels(), w.getsampwidth(), w.getnframes() / w.getframerate()


def launcher_yaml(pkg, path: Path) -> Path:
    """A per-profile tts_infer.yaml as the launcher writes it (PyYAML, UTF-8, Chinese kept)."""
    data = {
        "custom": {
            "device": "cpu",
            "is_half": False,
            "version": "v2",
            "t2s_weights_path": pkg.rel(pkg.gpt),
            "vits_weights_path": pkg.rel(pkg.sovits),
            "bert_base_path": "GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large",
            "cnhuhbert_base_path": "GPT_SoVITS/pretrained_models/chinese-hubert-base",
        }
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def pkg(tmp_path_factory):
    package = build_standin_package(tmp_path_factory.mktemp("整合包") / "GPT-SoVITS-v2pro", load_seconds=LOAD)
    refs = package.ref_audio.parent
    for seconds in (2.9, 3.0, 10.0, 10.1):
        write_wav(refs / f"ref_{seconds}.wav", seconds)
    return package


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("standin-run")


@pytest.fixture(scope="module")
def v2(pkg, workdir):
    config = launcher_yaml(pkg, workdir / "state" / "nahida.yaml")
    server = Server(pkg, "v2", ["-a", "127.0.0.1", "-p", str(free_port()), "-c", str(config)], workdir)
    server.config = config
    server.wait_ready()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def v1(pkg, workdir):
    args = [
        "-s", str(pkg.sovits), "-g", str(pkg.gpt), "-dr", str(pkg.ref_audio), "-dt", pkg.prompt_text, "-dl", "zh",
        "-a", "127.0.0.1", "-p", str(free_port()),
    ]
    server = Server(pkg, "v1", args, workdir)
    server.wait_ready()
    yield server
    server.stop()


# ----------------------------------------------------------------------------- the built package


def test_package_layout_looks_like_a_zhenghebao(pkg):
    root = pkg.root
    assert (pkg.api_v1, pkg.api_v2) == (root / "api.py", root / "api_v2.py")
    assert sorted(p.name for p in standin_dir().glob("*.py")) == sorted(STANDIN_FILES)
    for name in STANDIN_FILES:  # copied verbatim, under the same names
        assert (root / name).read_bytes() == (standin_dir() / name).read_bytes()
    assert pkg.api_v1.read_bytes() != pkg.api_v2.read_bytes()
    assert 'sovits_path = ""' in pkg.config_py.read_text(encoding="utf-8")
    assert yaml.safe_load(pkg.tts_infer_yaml.read_text(encoding="utf-8"))["custom"]["version"] == "v2"
    assert pkg.gpt == root / "GPT_weights_v2" / "纳西妲-e10.ckpt"
    assert pkg.gpt.read_bytes()[:2] == b"PK" and zipfile.is_zipfile(pkg.gpt)
    assert pkg.sovits == root / "SoVITS_weights_v2" / "纳西妲_e10_s400.pth"
    assert common.sovits_version_fast(str(pkg.sovits)) == ("v2", "v2", False)
    assert pkg.ref_audio == root / "参考音频" / "纳西妲" / "初次见面.wav"
    assert wav_duration(pkg.ref_audio) == pytest.approx(5.0)
    assert (root / "GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large").is_dir()
    pretrained = root / "GPT_SoVITS/pretrained_models"
    assert common.sovits_version_fast(str(pretrained / "s2G488k.pth"))[1] == "v1"
    assert common.sovits_version_fast(str(pretrained / "v2Pro/s2Gv2ProPlus.pth"))[1] == "v2ProPlus"
    if POSIX:
        assert pkg.python == root / "runtime" / "bin" / "python" and pkg.python.is_symlink()
    else:
        assert pkg.python is None


def test_standins_import_only_the_stdlib_their_siblings_and_yaml():
    siblings = {Path(name).stem for name in STANDIN_FILES}
    allowed = set(sys.stdlib_module_names) | siblings | {"yaml"} if hasattr(sys, "stdlib_module_names") else None
    for name in STANDIN_FILES:
        text = (standin_dir() / name).read_text(encoding="utf-8")
        imported = {m.group(1).split(".")[0] for m in re.finditer(r"^\s*(?:from|import)\s+([\w.]+)", text, re.M)}
        assert "launcher" not in imported, name
        if allowed is not None:  # Python 3.10+
            assert imported <= allowed, (name, imported - allowed)


@pytest.mark.skipif(not POSIX, reason="no runtime interpreter on Windows")
def test_runtime_python_has_yaml_but_not_the_launcher(pkg, tmp_path):
    # The stand-ins run on the package's interpreter: PyYAML there, the launcher not.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    probe = "import importlib.util as u, yaml; print(yaml.safe_load('a: 1'), u.find_spec('launcher'))"
    done = subprocess.run([str(pkg.python), "-c", probe], cwd=str(tmp_path), env=env, capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "{'a': 1} None"), done.stderr


def test_write_wav_is_exact_and_readable(tmp_path):
    for seconds, rate in ((2.9, 32000), (10.0, 32000), (3.0, 44100)):
        path = write_wav(tmp_path / f"{seconds}-{rate}.wav", seconds, rate)
        frames, got_rate, channels = common.read_audio_info(str(path))
        assert (got_rate, channels) == (rate, 1)
        assert frames == round(seconds * rate)


def test_reference_bounds_are_upstreams_16k_sample_counts():
    # TTS._set_prompt_semantic: fails when len(wav16k) > 160000 or < 48000 (both ends allowed)
    assert common.samples_at_16k(96000, 32000) == 48000
    assert common.samples_at_16k(320000, 32000) == 160000
    assert common.samples_at_16k(92800, 32000) < 48000
    assert common.samples_at_16k(323200, 32000) > 160000


# ----------------------------------------------------------------------------- TTS_Config's yaml


@pytest.fixture
def tts_module(monkeypatch, pkg):
    """standin_tts imported as api_v2.py imports it: from the package root, which is the cwd."""
    monkeypatch.chdir(pkg.root)
    monkeypatch.syspath_prepend(str(pkg.root))
    for name in ("standin_tts", "standin_common"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    import standin_tts

    return standin_tts


@pytest.fixture
def tts_config(tts_module, pkg):
    return tts_module.TTS_Config(str(pkg.tts_infer_yaml))


def test_tts_config_rewrites_the_yaml_as_yaml_dump_does(tts_module, pkg, tmp_path):
    path = launcher_yaml(pkg, tmp_path / "nahida.yaml")
    config = tts_module.TTS_Config(str(path))
    assert (config.t2s_weights_path, config.version) == (pkg.rel(pkg.gpt), "v2")
    config.vits_weights_path = "D:/AI 工具/GPT-SoVITS-v2pro-20250604/SoVITS_weights_v2/纳西妲_e10_s400 (final) copy.pth"
    config.bert_base_path = "it's: odd"
    config.cnhuhbert_base_path = "true"
    config.save_configs()
    expected = dict(tts_module.TTS_Config.default_configs)
    expected["custom"] = {
        "device": "cpu",
        "is_half": False,
        "version": "v2",
        "t2s_weights_path": pkg.rel(pkg.gpt),
        "vits_weights_path": config.vits_weights_path,
        "bert_base_path": "it's: odd",
        "cnhuhbert_base_path": "true",
    }
    text = path.read_text(encoding="ascii")  # yaml.dump escapes everything else
    assert text == yaml.dump(expected)
    assert "\\u7EB3\\u897F\\u59B2" in text
    assert yaml.safe_load(text) == expected


@pytest.mark.parametrize(
    "dump",
    [
        lambda d: yaml.dump(d),
        lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False),
        lambda d: yaml.safe_dump(d, allow_unicode=True, width=30),
    ],
)
def test_tts_config_reads_what_pyyaml_writes(tts_config, tmp_path, dump):
    data = {
        "custom": {
            "device": "cuda:0",
            "is_half": True,
            "version": "v2ProPlus",
            "t2s_weights_path": "GPT_weights_v2/纳西妲-e10.ckpt",
            "vits_weights_path": "D:\\GPT SoVITS\\SoVITS_weights_v2\\纳西妲 e10 s400 with a long long long long name.pth",
            "empty": "",
            "number_like": "10",
            "n": 3,
            "f": 0.75,
            "nothing": None,
        },
        "v1": {"list": ["a", "b c", 1]},
    }
    path = tmp_path / "x.yaml"
    path.write_text(dump(data), encoding="utf-8")
    assert tts_config._load_configs(str(path)) == data


def test_tts_config_reads_comments_bom_and_quotes(tts_config, tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("\ufeff# 我的配置\ncustom:\n  device: cpu   # 没有显卡\n  is_half: 'false'\n  version: \"v2\"\n", encoding="utf-8")
    loaded = tts_config._load_configs(str(path))
    assert loaded == {"custom": {"device": "cpu", "is_half": "false", "version": "v2"}}


# ----------------------------------------------------------------------------- v2: start-up


@pytest.mark.slow
def test_v2_loads_before_listening_and_logs_like_uvicorn(pkg, workdir):
    port = free_port()
    server = Server(pkg, "v2", ["-p", str(port)], workdir, load=0.8)
    try:
        wait_for(lambda: any(line.startswith("Loading Text2Semantic weights from") for line in server.out),
                 what="the first loading line")
        checked_closed_at = time.time()
        assert not port_open(port), "the port must stay closed while the models load"
        server.wait_ready()
        listening = server.events("listening")[0]
        assert listening["t"] > checked_closed_at
        assert listening["t"] - server.events("start")[0]["t"] >= 0.8 * 0.95

        status, headers, body = server.get("/openapi.json")
        assert status == 200 and headers["content-type"] == "application/json"
        paths = json.loads(body)["paths"]
        assert {"/tts", "/control", "/set_gpt_weights", "/set_sovits_weights", "/set_refer_audio"} <= set(paths)
        assert set(paths["/tts"]) == {"get", "post"}

        pid = server.proc.pid
        assert server.err[:4] == [
            f"INFO:     Started server process [{pid}]",
            "INFO:     Waiting for application startup.",
            "INFO:     Application startup complete.",
            f"INFO:     Uvicorn running on http://127.0.0.1:{port} (Press CTRL+C to quit)",
        ]
        wait_for(lambda: any('"GET /openapi.json HTTP/1.1" 200 OK' in line for line in server.out), what="access log")
        access = [line for line in server.out if "/openapi.json" in line][0]
        assert access.startswith("INFO:     127.0.0.1:")
        # the config block printed by api_v2.py before loading
        assert "TTS Config".center(100, "-") in server.out
        assert any(line.startswith("version             : v2") for line in server.out)
        assert any(line.startswith("Loading VITS weights from GPT_SoVITS/pretrained_models/gsv-v2final-pretrained/s2G2333k.pth")
                   for line in server.out)

        if POSIX:  # Ctrl+C: graceful shutdown, exit 0 (uvicorn swallows the re-raised KeyboardInterrupt)
            server.proc.send_signal(signal.SIGINT)
            assert server.wait_exit() == 0
            server.finish_output()
            assert server.err[-1] == f"INFO:     Finished server process [{pid}]"
            assert "INFO:     Shutting down" in server.err
            assert not port_open(port)
    finally:
        server.stop()


@pytest.mark.slow
def test_v2_reads_the_yaml_it_is_given_and_rewrites_it(v2, pkg):
    assert f"Loading Text2Semantic weights from {pkg.rel(pkg.gpt)}" in v2.out
    assert any(line.startswith(f"Loading VITS weights from {pkg.rel(pkg.sovits)}") for line in v2.out)
    rewritten = v2.config.read_text(encoding="utf-8")
    assert "\\u7EB3\\u897F\\u59B2" in rewritten  # yaml.dump escapes 纳西妲
    data = yaml.safe_load(rewritten)
    assert data["custom"]["t2s_weights_path"] == pkg.rel(pkg.gpt)
    assert {"v1", "v2", "v3", "v4", "v2Pro", "v2ProPlus"} <= set(data)
    loads = v2.events("load_gpt") + v2.events("load_sovits")
    assert [e["ok"] for e in loads] == [True, True]


@pytest.mark.slow
def test_v2_creates_a_missing_config_and_answers_in_english(pkg, workdir):
    missing = workdir / "created.yaml"
    server = Server(pkg, "v2", ["-p", str(free_port()), "-c", str(missing)], workdir,
                    env={"LC_ALL": "en_US.UTF-8"})
    try:
        server.wait_ready()
        assert "Paths Not Found, Using Default Config" in server.out
        created = yaml.safe_load(Path(missing).read_text(encoding="utf-8"))
        assert created["custom"]["t2s_weights_path"].endswith("s1bert25hz-5kh-longer-epoch=12-step=369668.ckpt")
        assert created["v2"]["device"] == "cpu"
        ref = str(pkg.ref_audio.parent / "ref_2.9.wav")
        status, _, body = server.post("/tts", tts_body(pkg, ref_audio_path=ref))
        assert status == 400
        assert json.loads(body) == {"message": "tts failed", "Exception": REF_RANGE_EN}
    finally:
        server.stop()


@pytest.mark.slow
def test_v2_config_in_a_missing_folder_crashes(pkg, workdir):
    # _load_configs -> save_configs opens the file for writing: its folder must exist
    target = workdir / "no-such-folder" / "x.yaml"
    server = Server(pkg, "v2", ["-p", str(free_port()), "-c", str(target)], workdir)
    try:
        assert server.wait_exit() == 1
        server.finish_output()
        assert server.err[-1] == f"FileNotFoundError: [Errno 2] No such file or directory: '{target}'"
    finally:
        server.stop()


@pytest.mark.slow
def test_v2_missing_weights_fail_like_upstream(tmp_path, workdir):
    bare = build_standin_package(tmp_path / "bare", pretrained=False, load_seconds=0.1)
    config = tmp_path / "state" / "x.yaml"
    config.parent.mkdir()
    config.write_text("custom:\n  device: cpu\n  is_half: false\n  version: v2\n"
                      "  t2s_weights_path: GPT_weights_v2/没有这个.ckpt\n"
                      f"  vits_weights_path: {bare.rel(bare.sovits)}\n", encoding="utf-8")
    port = free_port()
    server = Server(bare, "v2", ["-p", str(port), "-c", str(config)], workdir, load=0.1)
    try:
        assert server.wait_exit() == 1
        server.finish_output()
        # TTS_Config falls back to the pretrained default, which is missing too: torch.load fails
        default = "GPT_SoVITS/pretrained_models/gsv-v2final-pretrained/s1bert25hz-5kh-longer-epoch=12-step=369668.ckpt"
        assert f"fall back to default t2s_weights_path: {default}" in server.out
        assert server.err[-1] == f"FileNotFoundError: [Errno 2] No such file or directory: '{default}'"
        assert any(line.startswith("Traceback (most recent call last):") for line in server.err)
        assert not server.events("listening")
        assert not port_open(port)
    finally:
        server.stop()


@pytest.mark.slow
@pytest.mark.parametrize("flavor", ["v2", "v1"])
def test_port_taken_fails_after_loading_with_uvicorns_line_and_exit_3(pkg, workdir, flavor):
    blocker = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen(1)
        port = blocker.getsockname()[1]
        server = Server(pkg, flavor, ["-a", "127.0.0.1", "-p", str(port)], workdir, load=0.4)
        assert server.wait_exit() == 3
        elapsed = time.monotonic() - server.started
        server.finish_output()
        assert elapsed >= 0.4
        reason = os.strerror(errno.EADDRINUSE).lower() if POSIX else None
        line = [x for x in server.err if x.startswith("ERROR:")]
        assert len(line) == 1
        if POSIX:
            assert line[0] == (
                f"ERROR:    [Errno {errno.EADDRINUSE}] error while attempting to bind on address "
                f"('127.0.0.1', {port}): {reason}"
            )
        else:
            assert f"error while attempting to bind on address ('127.0.0.1', {port})" in line[0]
        assert server.err[-2:] == ["INFO:     Waiting for application shutdown.", "INFO:     Application shutdown complete."]
        assert not any("Uvicorn running" in x for x in server.err)
        failed = server.events("bind_failed")
        assert failed and failed[0]["t"] - server.events("start")[0]["t"] >= 0.4 * 0.95
    finally:
        blocker.close()


# ----------------------------------------------------------------------------- v2: requests


@pytest.mark.slow
def test_v2_post_tts_returns_wav_and_is_recorded(v2, pkg):
    body = tts_body(pkg, text="今天天气真好")
    status, headers, data = v2.post("/tts", body)
    assert status == 200
    assert headers["content-type"] == "audio/wav"
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    rate, channels, width, seconds = wav_info(data)
    assert (rate, channels, width) == (32000, 1, 2)
    assert seconds == pytest.approx(0.6, abs=0.01)  # 6 characters x 0.1 s
    recorded = [e for e in v2.events("request") if e["path"] == "/tts" and e["method"] == "POST"]
    assert recorded[-1]["json"] == body
    assert recorded[-1]["content_type"] == "application/json"


@pytest.mark.slow
def test_v2_get_tts_and_streaming(v2, pkg):
    status, headers, data = v2.get("/tts", text="你好", text_lang="ZH", ref_audio_path=str(pkg.ref_audio),
                                   prompt_text=pkg.prompt_text, prompt_lang="zh", speed_factor="2")
    assert status == 200 and wav_info(data)[3] == pytest.approx(0.25, abs=0.01)  # max(0.5, 0.2) / 2
    last = [e for e in v2.events("request") if e["method"] == "GET" and e["path"] == "/tts"][-1]
    assert last["query"]["text"] == ["你好"] and last["query"]["text_lang"] == ["ZH"]

    status, headers, data = v2.post("/tts", tts_body(pkg, streaming_mode=2))
    assert status == 200 and headers.get("transfer-encoding") == "chunked"
    assert data[:4] == b"RIFF" and len(data) > 44  # a 0-frame WAV header, then raw PCM


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"ref_audio_path": ...}, "ref_audio_path is required"),
        ({"ref_audio_path": ..., "text": ...}, "ref_audio_path is required"),  # upstream checks the reference first
        ({"text": ...}, "text is required"),
        ({"text": ""}, "text is required"),
        ({"text_lang": ...}, "text_lang is required"),
        ({"text_lang": "xx"}, "text_lang: xx is not supported in version v2"),
        ({"prompt_lang": ...}, "prompt_lang is required"),
        ({"media_type": "mp3"}, "media_type: mp3 is not supported"),
        ({"text_split_method": "cut9"}, "text_split_method:cut9 is not supported"),
        ({"streaming_mode": 5}, "the value of streaming_mode must be 0, 1, 2, 3(int) or true/false(bool)"),
    ],
)
@pytest.mark.slow
def test_v2_bad_tts_requests_get_upstreams_400(v2, pkg, changes, message):
    status, headers, data = v2.post("/tts", tts_body(pkg, **changes))
    assert status == 400
    assert headers["content-type"] == "application/json"
    assert json.loads(data) == {"message": message}


@pytest.mark.slow
def test_v2_uppercase_language_in_post_fails_in_tts_run(v2, pkg):
    # check_params lowercases, TTS.run asserts the original value: AssertionError with no text
    status, _, data = v2.post("/tts", tts_body(pkg, text_lang="ZH"))
    assert (status, json.loads(data)) == (400, {"message": "tts failed", "Exception": ""})


@pytest.mark.slow
def test_v2_wrong_types_get_fastapi_422(v2, pkg):
    status, _, data = v2.post("/tts", tts_body(pkg, top_k="many"))
    assert status == 422
    detail = json.loads(data)["detail"]
    assert detail[0]["loc"] == ["body", "top_k"] and detail[0]["type"] == "int_parsing"


@pytest.mark.slow
@pytest.mark.parametrize("seconds, ok", [(2.9, False), (3.0, True), (10.0, True), (10.1, False)])
def test_v2_reference_must_be_3_to_10_seconds(v2, pkg, seconds, ok):
    ref = str(pkg.ref_audio.parent / f"ref_{seconds}.wav")
    status, _, data = v2.post("/tts", tts_body(pkg, ref_audio_path=ref))
    if ok:
        assert status == 200 and data[:4] == b"RIFF"
    else:
        assert status == 400
        assert json.loads(data) == {"message": "tts failed", "Exception": REF_RANGE_ZH}


@pytest.mark.slow
def test_v2_missing_reference_file(v2, pkg):
    missing = str(pkg.root / "参考音频" / "没有.wav")
    status, _, data = v2.post("/tts", tts_body(pkg, ref_audio_path=missing))
    assert (status, json.loads(data)) == (400, {"message": "tts failed", "Exception": f"{missing} not exists"})


@pytest.mark.slow
def test_v2_streaming_failure_comes_after_the_200(v2, pkg):
    """Upstream's synthesis is a generator that StreamingResponse starts after sending the
    200: in streaming mode a failure inside it cuts the answer instead of the 400."""
    from launcher.gsv import client as gsv_api

    missing = str(pkg.root / "参考音频" / "没有.wav")
    with pytest.raises(gsv_api.AnswerCut) as cut:
        gsv_api.request("POST", v2.url + "/tts", json=tts_body(pkg, ref_audio_path=missing, streaming_mode=True))
    assert cut.value.status == 200 and cut.value.partial == b""
    wait_for(lambda: any(f"ValueError: {missing} not exists" in x for x in v2.err), what="the traceback on stderr")
    assert "ERROR:    Exception in ASGI application" in v2.err
    # The server goes on serving, and the same request without streaming is the 400.
    status, _, data = v2.post("/tts", tts_body(pkg, ref_audio_path=missing))
    assert (status, json.loads(data)["message"]) == (400, "tts failed")


@pytest.mark.slow
def test_v2_bare_get_tts_crashes_with_500(v2):
    status, headers, data = v2.get("/tts")
    assert status == 500
    assert data == b"Internal Server Error"
    assert headers["content-type"].startswith("text/plain")
    wait_for(lambda: any("AttributeError: 'NoneType' object has no attribute 'lower'" in x for x in v2.err),
             what="the traceback on stderr")
    assert "ERROR:    Exception in ASGI application" in v2.err


@pytest.mark.slow
def test_v2_unknown_path_and_wrong_method(v2):
    assert v2.get("/")[0] == 404 and json.loads(v2.get("/")[2]) == {"detail": "Not Found"}
    status, headers, data = v2.post("/set_gpt_weights", {"weights_path": "x"})
    assert status == 405 and json.loads(data) == {"detail": "Method Not Allowed"}
    assert v2.get("/control")[0] == 400 and json.loads(v2.get("/control")[2]) == {"message": "command is required"}


@pytest.mark.slow
def test_v2_weight_swaps(v2, pkg):
    good_gpt, good_sovits = pkg.rel(pkg.gpt), pkg.rel(pkg.sovits)
    status, _, data = v2.get("/set_gpt_weights", weights_path=good_gpt)
    assert (status, json.loads(data)) == (200, {"message": "success"})
    status, _, data = v2.get("/set_sovits_weights", weights_path=good_sovits)
    assert (status, json.loads(data)) == (200, {"message": "success"})

    missing = "GPT_weights_v2/不存在-e10.ckpt"
    status, _, data = v2.get("/set_gpt_weights", weights_path=missing)
    assert status == 400
    assert json.loads(data) == {
        "message": "change gpt weight failed",
        "Exception": f"[Errno 2] No such file or directory: '{missing}'",
    }
    # upstream saves the yaml before it loads: the bad path is already in the file
    assert yaml.safe_load(v2.config.read_text(encoding="utf-8"))["custom"]["t2s_weights_path"] == missing

    missing_pth = "SoVITS_weights_v2/不存在.pth"
    status, _, data = v2.get("/set_sovits_weights", weights_path=missing_pth)
    assert (status, json.loads(data)) == (400, {
        "message": "change sovits weight failed",
        "Exception": f"[Errno 2] No such file or directory: '{missing_pth}'",
    })
    assert json.loads(v2.get("/set_gpt_weights")[2]) == {"message": "gpt weight path is required"}
    assert json.loads(v2.get("/set_sovits_weights", weights_path="")[2]) == {"message": "sovits weight path is required"}

    # the old model still answers; put the good paths back (the yaml follows)
    assert v2.post("/tts", tts_body(pkg))[0] == 200
    assert v2.get("/set_gpt_weights", weights_path=good_gpt)[0] == 200
    assert v2.get("/set_sovits_weights", weights_path=good_sovits)[0] == 200
    custom = yaml.safe_load(v2.config.read_text(encoding="utf-8"))["custom"]
    assert (custom["t2s_weights_path"], custom["vits_weights_path"]) == (good_gpt, good_sovits)
    loads = [(e["event"], e["path"], e["ok"]) for e in v2.events() if e["event"] in ("load_gpt", "load_sovits")]
    assert ("load_gpt", missing, False) in loads and ("load_sovits", missing_pth, False) in loads
    assert loads[-2:] == [("load_gpt", good_gpt, True), ("load_sovits", good_sovits, True)]


@pytest.mark.slow
def test_v2_reads_the_sovits_version_from_the_file_head(v2, pkg):
    folder = pkg.root / "SoVITS_weights_v4"
    (folder / "pro.pth").write_bytes(fake_sovits("pro", "v2Pro"))
    (folder / "lora.pth").write_bytes(fake_sovits("lora", "v4lora"))
    (folder / "junk.pth").write_bytes(b"zz" + fake_sovits("junk")[2:])
    try:
        assert v2.get("/set_sovits_weights", weights_path="SoVITS_weights_v4/pro.pth")[0] == 200
        assert wav_info(v2.post("/tts", tts_body(pkg))[2])[0] == 32000
        assert v2.get("/set_sovits_weights", weights_path="SoVITS_weights_v4/lora.pth")[0] == 200
        assert wav_info(v2.post("/tts", tts_body(pkg))[2])[0] == 48000  # v4 renders at 48 kHz
        status, _, data = v2.post("/tts", tts_body(pkg, prompt_text=""))
        assert json.loads(data) == {"message": "tts failed", "Exception": "prompt_text cannot be empty when using SoVITS_V3"}
        status, _, data = v2.get("/set_sovits_weights", weights_path="SoVITS_weights_v4/junk.pth")
        assert (status, json.loads(data)) == (400, {"message": "change sovits weight failed", "Exception": "b'zz'"})
        versions = [e.get("version") for e in v2.events("load_sovits") if e["ok"]][-2:]
        assert versions == ["v2Pro", "v4"]
    finally:
        assert v2.get("/set_sovits_weights", weights_path=pkg.rel(pkg.sovits))[0] == 200


@pytest.mark.slow
def test_v2_set_refer_audio(v2, pkg):
    status, _, data = v2.get("/set_refer_audio", refer_audio_path=str(pkg.ref_audio))
    assert (status, json.loads(data)) == (200, {"message": "success"})
    status, _, data = v2.get("/set_refer_audio", refer_audio_path=str(pkg.ref_audio.parent / "ref_10.1.wav"))
    assert (status, json.loads(data)) == (400, {"message": "set refer audio failed", "Exception": REF_RANGE_ZH})


@pytest.mark.slow
def test_v2_control_restart_then_exit(pkg, workdir):
    port = free_port()
    server = Server(pkg, "v2", ["-a", "127.0.0.1", "-p", str(port)], workdir, load=0.2)
    try:
        server.wait_ready()
        first_pid = server.events("listening")[0]["pid"]
        try:
            status = server.get("/control", command="restart")[0]
        except (urllib.error.URLError, ConnectionError, http.client.HTTPException):
            status = None  # os.execl drops the connection: no answer at all
        assert status is None
        server.wait_ready(count=2)  # the new image loads again, then listens again
        starts = server.events("start")
        assert len(starts) == 2 and starts[1]["argv"] == starts[0]["argv"]
        assert server.get("/openapi.json")[0] == 200

        try:
            status = server.get("/control", command="exit")[0]
        except (urllib.error.URLError, ConnectionError, http.client.HTTPException):
            status = None  # Windows: TerminateProcess, the connection just drops
        assert status in (500, None)
        rc = server.wait_exit()
        assert rc == (-signal.SIGTERM if POSIX else 15)
        assert not port_open(port)
        server.finish_output()
        if POSIX:
            assert status == 500
            assert any(line == "SystemExit: 0" for line in server.err)
            assert server.events("listening")[-1]["pid"] == first_pid  # exec keeps the pid on POSIX
    finally:
        server.stop()


@pytest.mark.slow
@pytest.mark.parametrize("flavor", ["v2", "v1"])
def test_standin_runs_through_the_one_file_exe_entry_point(pkg, workdir, flavor):
    # The one-file exe has no python.exe beside it: `sovits-launch.exe api_v2.py ...` runs the
    # script with runpy (launcher/cli/app.py main). Nothing puts the package root on sys.path
    # then but the script itself, as upstream's does (sys.path.append(os.getcwd())).
    repo = Path(__file__).resolve().parents[2]
    script = "api.py" if flavor == "v1" else "api_v2.py"
    port = free_port()
    args = ["-a", "127.0.0.1", "-p", str(port)]
    boot = "import sys; sys.path[0] = sys.argv.pop(1); sys.frozen = True; from launcher.cli.app import main; main()"
    command = [sys.executable, "-c", boot, str(repo), script, *args]
    server = Server(pkg, flavor, args, workdir, load=0.1, env={"PYTHONPATH": ""}, command=command)
    try:
        server.wait_ready()
        assert server.events("start")[0]["argv"] == [script, *args]
        assert server.get("/openapi.json")[0] == 200
        if flavor == "v2":
            status, _, data = server.post("/tts", tts_body(pkg))
            assert status == 200 and data[:4] == b"RIFF"
    finally:
        server.stop()


# ----------------------------------------------------------------------------- v1


@pytest.mark.slow
def test_v1_get_returns_wav_with_the_default_reference(v1):
    status, headers, data = v1.get("/", text="先帝创业未半而中道崩殂", text_language="zh")
    assert status == 200 and headers["content-type"] == "audio/wav"
    rate, channels, width, seconds = wav_info(data)
    assert (rate, channels, width) == (32000, 1, 2)
    assert seconds == pytest.approx(1.1, abs=0.01)
    assert any(line == "INFO:     模型版本: v2" for line in v1.err)
    assert any(line == "INFO:     半精: False" for line in v1.err)


@pytest.mark.slow
@pytest.mark.parametrize("seconds", [2.9, 10.1])
def test_v1_has_no_3_to_10_second_check(v1, pkg, seconds):
    ref = str(pkg.ref_audio.parent / f"ref_{seconds}.wav")
    body = {"refer_wav_path": ref, "prompt_text": pkg.prompt_text, "prompt_language": "zh",
            "text": "你好", "text_language": "zh"}
    status, _, data = v1.post("/", body)
    assert status == 200 and data[:4] == b"RIFF"
    assert [e for e in v1.events("request") if e["method"] == "POST"][-1]["json"] == body


@pytest.mark.slow
def test_v1_xiaozhi_v3_query_with_its_default_language_typo(v1, pkg):
    # xiaozhi's gpt_sovits_v3 sends text_language "audo" unless configured: api.py answers 200,
    # then dict_language["audo"] raises inside the stream and the body is cut
    query = urllib.parse.urlencode({"refer_wav_path": "", "prompt_text": "", "text": "你好", "text_language": "audo",
                                    "top_k": 15, "top_p": 1.0, "temperature": 1.0, "cut_punc": "",
                                    "speed": 1.0, "sample_steps": 32, "if_sr": False})
    conn = http.client.HTTPConnection("127.0.0.1", v1.port, timeout=10)
    try:
        conn.request("GET", "/?" + query)
        resp = conn.getresponse()
        assert resp.status == 200 and resp.getheader("transfer-encoding") == "chunked"
        with pytest.raises((http.client.IncompleteRead, ConnectionError)):
            resp.read()
    finally:
        conn.close()
    wait_for(lambda: "KeyError: 'audo'" in v1.err, what="the KeyError traceback")
    recorded = [e for e in v1.events("request") if e["query"].get("text_language") == ["audo"]]
    assert recorded[-1]["query"]["if_sr"] == ["False"] and recorded[-1]["query"]["prompt_text"] == [""]


@pytest.mark.slow
def test_v1_set_model(v1, pkg):
    status, _, data = v1.get("/set_model", gpt_model_path=str(pkg.gpt), sovits_model_path=str(pkg.sovits))
    assert (status, json.loads(data)) == (200, {"code": 0, "message": "Success"})
    status, _, data = v1.post("/set_model", {"gpt_model_path": "GPT_weights_v2/无.ckpt", "sovits_model_path": str(pkg.sovits)})
    assert (status, json.loads(data)) == (400, {"code": 400, "message": "[Errno 2] No such file or directory: 'GPT_weights_v2/无.ckpt'"})
    assert v1.get("/", text="还在", text_language="zh")[0] == 200  # the old voice stays


@pytest.mark.slow
def test_v1_without_reference_or_weights_still_starts(pkg, workdir):
    # api.py swallows weight-loading errors at start-up: it listens with no voice at all
    port = free_port()
    server = Server(pkg, "v1", ["-g", "GPT_weights_v2/缺失.ckpt", "-a", "127.0.0.1", "-p", str(port)], workdir, load=0.2)
    try:
        server.wait_ready()
        assert "INFO:     未指定默认参考音频" in server.err
        assert any(x.startswith("WARNING:  未指定SoVITS模型路径, fallback后当前值: ") for x in server.err)
        assert server.events("load_gpt")[0]["ok"] is False
        status, _, data = server.get("/", text="你好", text_language="zh")
        assert (status, json.loads(data)) == (400, {"code": 400, "message": "未指定参考音频且接口无预设"})
        # with a reference, the 200 header goes out and the stream is cut (KeyError: 'default')
        query = urllib.parse.urlencode({"refer_wav_path": str(pkg.ref_audio), "prompt_text": "你好。",
                                        "prompt_language": "zh", "text": "你好", "text_language": "zh"})
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("GET", "/?" + query)
            resp = conn.getresponse()
            assert resp.status == 200
            with pytest.raises((http.client.IncompleteRead, ConnectionError)):
                resp.read()
        finally:
            conn.close()
        wait_for(lambda: "KeyError: 'default'" in server.err, what="the KeyError traceback")
        status, _, data = server.get("/change_refer")
        assert json.loads(data) == {"code": 400, "message": '缺少任意一项以下参数: "path", "text", "language"'}
    finally:
        server.stop()
