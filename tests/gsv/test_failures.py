"""The failure table: real upstream / uvicorn / torch output lines -> explanation keys;
exit codes and tracebacks; and the readiness wait ending early on them."""

from __future__ import annotations

import os
import string
import sys
import textwrap

import pytest

from helpers.doctor_fixtures import make_package, nahida, remember
from launcher.demo.fake_package import free_port
from launcher import messages
from launcher.gsv import failures

# (line as the server prints it, key, fatal, params that must be extracted)
EXCERPTS = [
    # uvicorn/asyncio bind errors: Linux, Chinese Windows, English Windows
    ("ERROR:    [Errno 98] error while attempting to bind on address ('127.0.0.1', 9880): address already in use",
     "port_in_use", True, {}),
    ("ERROR:    [Errno 10048] error while attempting to bind on address ('127.0.0.1', 9880): "
     "通常每个套接字地址(协议/网络地址/端口)只允许使用一次。", "port_in_use", True, {}),
    ("OSError: [WinError 10048] Only one usage of each socket address (protocol/network address/port) is normally permitted",
     "port_in_use", True, {}),
    ("ERROR:    [Errno 10013] error while attempting to bind on address ('127.0.0.1', 9880): "
     "以一种访问权限不允许的方式做了一个访问套接字的尝试。", "port_forbidden", True, {}),
    ("PermissionError: [WinError 10013] An attempt was made to access a socket in a way forbidden by its access permissions",
     "port_forbidden", True, {}),
    # --host naming an address this machine does not have: Linux, Chinese Windows
    ("ERROR:    [Errno 99] error while attempting to bind on address ('192.168.9.9', 9880): cannot assign requested address",
     "bind_address", True, {"host": "192.168.9.9"}),
    ("ERROR:    [Errno 10049] error while attempting to bind on address ('10.1.2.3', 9880): 在其上下文中，该请求的地址无效。",
     "bind_address", True, {"host": "10.1.2.3"}),
    # torch
    ("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB. GPU 0 has a total capacity of 4.00 GiB "
     "of which 0 bytes is free. Of the allocated memory 3.36 GiB is allocated by PyTorch", "cuda_oom", True,
     {"amount": "20.00 MiB"}),
    ("torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 256.00 MiB (GPU 0; 6.00 GiB total capacity)",
     "cuda_oom", True, {"amount": "256.00 MiB"}),
    ("AssertionError: Torch not compiled with CUDA enabled", "no_cuda", True, {}),
    ("RuntimeError: Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver",
     "no_cuda", True, {}),
    ("RuntimeError: The NVIDIA driver on your system is too old (found version 11040).", "no_cuda", True, {}),
    ("Warning: CUDA is not available, set device to CPU.", "cuda_fallback", False, {}),  # TTS.py TTS_Config
    ("RuntimeError: \"addmm_impl_cpu_\" not implemented for 'Half'", "half_on_cpu", True, {}),
    ("RuntimeError: \"LayerNormKernelImpl\" not implemented for 'Half'", "half_on_cpu", True, {}),
    ("NVIDIA GeForce RTX 5070 with CUDA capability sm_120 is not compatible with the current PyTorch installation.",
     "cuda_arch", True, {"arch": "sm_120"}),
    ("RuntimeError: CUDA error: no kernel image is available for execution on the device", "cuda_arch", True, {}),
    ("RuntimeError: CUDA error: device-side assert triggered", "cuda_error", True, {}),
    # GPT-SoVITS's own wording (api.py get_sovits_weights, TTS.py init_vits_weights, en_US.json)
    ("INFO:api:SoVITS v3 底模缺失，无法加载相应 LoRA 权重", "lora_base_missing", True, {}),
    ("FileNotFoundError: GPT_SoVITS/pretrained_models/gsv-v4-pretrained/s2Gv4.pthSoVITS v4 底模缺失，无法加载相应 LoRA 权重",
     "lora_base_missing", True, {}),
    ("Missing Pretrained Model, Cannot Load LoRA Weights", "lora_base_missing", True, {}),
    ("\tsize mismatch for enc_p.text_embedding.weight: copying a param with shape torch.Size([322, 192]) from checkpoint, "
     "the shape in current model is torch.Size([732, 192]).", "weights_mismatch", True,
     {"what": "enc_p.text_embedding.weight"}),
    ("RuntimeError: Error(s) in loading state_dict for Text2SemanticLightningModule:", "weights_mismatch", True, {}),
    ("RuntimeError: PytorchStreamReader failed reading zip archive: failed finding central directory",
     "weights_corrupt", True, {}),
    ("_pickle.UnpicklingError: invalid load key, 'v'.", "weights_corrupt", True, {}),
    ("OSError: 参考音频在3~10秒范围外，请更换！", "ref_out_of_range", False, {}),
    ("OSError: Reference audio is outside the 3-10 second range, please choose another one!", "ref_out_of_range", False, {}),
    # Windows loading torch
    ("OSError: [WinError 1455] 页面文件太小，无法完成操作。 Error loading \"D:\\GPT-SoVITS\\runtime\\lib\\site-packages\\"
     "torch\\lib\\cudnn_cnn_infer64_8.dll\" or one of its dependencies.", "paging_file", True, {}),
    ("OSError: [WinError 1455] The paging file is too small for this operation to complete.", "paging_file", True, {}),
    ("OSError: [WinError 126] 找不到指定的模块。 Error loading \"D:\\GPT-SoVITS\\runtime\\lib\\site-packages\\torch\\lib\\"
     "c10.dll\" or one of its dependencies.", "dll_load", True,
     {"what": "D:\\GPT-SoVITS\\runtime\\lib\\site-packages\\torch\\lib\\c10.dll"}),
    ("ImportError: DLL load failed while importing _C: 找不到指定的模块。", "dll_load", True, {}),
    ("ModuleNotFoundError: No module named 'fastapi'", "module_missing", True, {"module": "fastapi"}),
    ("OSError: Incorrect path_or_model_id: 'GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large'. Please provide "
     "either the path to a local folder or the repo_id of a model on the Hub.", "pretrained_missing", True,
     {"what": "GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large"}),
    ("OSError: Can't load tokenizer for 'GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large'.",
     "pretrained_missing", True, {"what": "GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large"}),
    ("FileNotFoundError: [Errno 2] No such file or directory: 'D:\\\\模型\\\\纳西妲.pth'", "file_missing", True, {}),
    ("FileNotFoundError: [WinError 3] 系统找不到指定的路径。: 'D:\\\\参考音频'", "file_missing", True, {}),
    ("RuntimeError: [enforce fail at alloc_cpu.cpp:114] data. DefaultCPUAllocator: not enough memory: "
     "you tried to allocate 1048576 bytes.", "ram_oom", True, {}),
]


@pytest.mark.parametrize("line,name,fatal,params", EXCERPTS, ids=[f"{i}-{e[1]}" for i, e in enumerate(EXCERPTS)])
def test_each_failure_is_recognised(line, name, fatal, params):
    found = failures.match_line(line)
    assert found is not None
    assert (found.key, found.fatal) == (f"failure.{name}", fatal)
    for k, v in params.items():
        assert found.params[k] == v
    assert found.line == line.strip()


def test_every_pattern_has_an_excerpt():
    covered = {e[1] for e in EXCERPTS}
    assert covered == {name for name, _, _ in failures.PATTERNS}


# Lines as the released packages print them (tag:file:line of the statement that prints them).
UPSTREAM = [
    # api.py configures uvicorn's LOGGING_CONFIG at import: its records read "INFO:     <message>".
    ("INFO:     SoVITS V3 底模缺失，无法加载相应 LoRA 权重", "lora_base_missing"),  # 20250422v4:api.py:301
    # TTS.py init_vits_weights raises the base's path joined to the text, no space between.
    ("FileExistsError: GPT_SoVITS/pretrained_models/s2Gv3.pthSoVITS v3 底模缺失，无法加载相应 LoRA 权重",
     "lora_base_missing"),  # 20250422v4:GPT_SoVITS/TTS_infer_pack/TTS.py:471
    ("OSError: 参考音频在3~10秒范围外，请更换！", "ref_out_of_range"),  # 20240821v2:GPT_SoVITS/TTS_infer_pack/TTS.py:449
    ("Warning: CUDA is not available, set device to CPU.", "cuda_fallback"),  # 20250422v4:GPT_SoVITS/TTS_infer_pack/TTS.py:297
    # sv.py's torch.load of the speaker model (v2Pro) when the package lacks it.
    ("FileNotFoundError: [Errno 2] No such file or directory: 'GPT_SoVITS/pretrained_models/sv/pretrained_eres2netv2w24s4ep4.ckpt'",
     "file_missing"),
    # process_ckpt.get_sovits_version_from_path_fast on an unknown head reaches the traceback analysis, not a pattern.
    ("KeyError: b'07'", None),
]


@pytest.mark.parametrize("line,name", UPSTREAM, ids=[f"{i}-{e[1]}" for i, e in enumerate(UPSTREAM)])
def test_upstreams_own_lines(line, name):
    found = failures.match_line(line)
    assert (found.key if found else None) == (f"failure.{name}" if name else None)


# Lines a healthy load prints that contain a failure's words without being one. api.py logs
# the reference text and path while loading (api.py: logger.info(f"默认参考音频文本: {text}")),
# and any path or text can hold any words.
LOOK_ALIKES = [
    "INFO:     默认参考音频文本: 报错写着 No such file or directory，别慌，再试一次。",
    "INFO:     默认参考音频路径: D:/参考音频/CUDA out of memory 那次.wav",
    "INFO:     默认参考音频文本: FileNotFoundError: 这只是一句台词",
    "INFO:     当前默认参考音频文本: 系统找不到指定的文件：真的吗？",
    "Loading VITS weights from D:/模型/FileNotFoundError/纳西妲_e10_s400.pth. <All keys matched successfully>",
    "Loading Text2Semantic weights from D:/备份/address already in use/纳西妲-e10.ckpt",
    "    except FileNotFoundError:",  # a source line shown in a traceback of a handled error
    "    raise OSError(i18n(\"参考音频在3~10秒范围外，请更换！\"))",
    '  File "D:\\GPT-SoVITS\\GPT_SoVITS\\TTS_infer_pack\\TTS.py", line 655, in init_sr_model',
    "你没有下载超分模型的参数，因此不进行超分。如想超分请先参照教程把文件下载好",  # printed after a caught FileNotFoundError
    "INFO:     127.0.0.1:53412 - \"GET /set_sovits_weights?weights_path=D%3A%2FNo%20such%20file%20or%20directory HTTP/1.1\" 400 Bad Request",
    "Actual Input Target Text: torch.OutOfMemoryError: CUDA out of memory. 我只是在念这句话",
    "[W socket.cpp:697] [c10d] The client socket has failed to connect to [localhost]:29500 (errno: 99 - Cannot assign requested address).",
    "fall back to default bert_base_path: GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large",
    "Building prefix dict from the default dictionary ...",
    "ERROR:    Exception in ASGI application",
]


@pytest.mark.parametrize("line", LOOK_ALIKES)
def test_look_alikes_are_not_failures(line):
    assert failures.match_line(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "INFO:     Uvicorn running on http://127.0.0.1:9880 (Press CTRL+C to quit)",
        "Loading BERT weights from GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large",
        "Loading VITS weights from SoVITS_weights_v2/纳西妲_e10_s400.pth",
        "INFO:     127.0.0.1:53412 - \"POST /tts HTTP/1.1\" 200 OK",
        "device: cuda",
        "is_half: true",
    ],
)
def test_ordinary_lines_are_not_failures(line):
    assert failures.match_line(line) is None


def test_every_failure_key_has_both_languages_and_a_hint():
    keys = {f"failure.{name}" for name, _, _ in failures.PATTERNS} | {
        "failure.traceback", "failure.exit_windows_crash", "failure.exit_bind", "failure.exit_signal",
    }
    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}  # noqa: E731
    for key in sorted(keys):
        for k in (key, key + ".hint"):
            entry = messages.CATALOG[k]
            assert entry["zh"] and entry["en"], k
            assert fields(entry["zh"]) == fields(entry["en"]), k


def test_messages_render_with_what_wait_ready_gives():
    """wait_ready's _failed passes profile, port, line, log, code (+ frame/exception)."""
    base = {"profile": "纳西妲", "port": 9880, "log": "/x.log", "code": 1, "frame": "f", "exception": "e"}
    for line, name, _fatal, _params in EXCERPTS:
        found = failures.match_line(line)
        params = {**base, "line": found.line, **found.params}
        for lang in ("zh", "en"):
            messages.set_language(lang)
            text = messages.t(found.key, **params)
            assert "{" not in text, (found.key, lang)
    messages.set_language(None)


# --- exit codes and tracebacks -------------------------------------------------------------

TRACEBACK = textwrap.dedent(
    """\
    Loading VITS weights from SoVITS_weights_v2/纳西妲_e10_s400.pth
    Traceback (most recent call last):
      File "D:\\GPT-SoVITS\\api_v2.py", line 149, in <module>
        tts_pipeline = TTS(tts_config)
      File "D:\\GPT-SoVITS\\GPT_SoVITS\\TTS_infer_pack\\TTS.py", line 495, in init_vits_weights
        version, model_version, if_lora_v3 = get_sovits_version_from_path_fast(weights_path)
      File "D:\\GPT-SoVITS\\GPT_SoVITS\\process_ckpt.py", line 102, in get_sovits_version_from_path_fast
        return head2version[version]
               ~~~~~~~~~~~~^^^^^^^^^
    KeyError: b'\\x07\\x07'
    """
).splitlines()


def test_traceback_ending_the_output():
    assert failures.explain_exit(1, TRACEBACK) == (
        "failure.traceback",
        {
            "code": 1,
            "frame": 'File "D:\\GPT-SoVITS\\GPT_SoVITS\\process_ckpt.py", line 102, in get_sovits_version_from_path_fast',
            "exception": "KeyError: b'\\x07\\x07'",
        },
    )
    assert failures.last_traceback(TRACEBACK)[1] == "KeyError: b'\\x07\\x07'"


def test_traceback_long_before_the_end_is_not_the_cause():
    lines = TRACEBACK + [f"INFO:     127.0.0.1 - \"POST /tts HTTP/1.1\" 200 OK {i}" for i in range(20)]
    assert failures.traceback_at_end(lines) is None
    assert failures.explain_exit(1, lines) is None


def test_chained_traceback_reports_the_last_one():
    lines = TRACEBACK + [
        "",
        "During handling of the above exception, another exception occurred:",
        "",
        "Traceback (most recent call last):",
        '  File "D:\\GPT-SoVITS\\api_v2.py", line 151, in <module>',
        "    raise SystemExit(1)",
        "ValueError: 模型加载失败",
    ]
    assert failures.explain_exit(1, lines)[1]["exception"] == "ValueError: 模型加载失败"


def test_known_failure_wins_over_the_generic_traceback():
    lines = ["Traceback (most recent call last):", '  File "api.py", line 1, in <module>',
             "ModuleNotFoundError: No module named 'fastapi'"]
    key, params = failures.explain_exit(1, lines)
    assert (key, params["module"]) == ("failure.module_missing", "fastapi")


@pytest.mark.parametrize(
    "code,key,params",
    [
        (-1073741819, "failure.exit_windows_crash", {"hex": "0xC0000005", "name": "ACCESS_VIOLATION"}),
        (3221225477, "failure.exit_windows_crash", {"hex": "0xC0000005", "name": "ACCESS_VIOLATION"}),
        (-1073740791, "failure.exit_windows_crash", {"hex": "0xC0000409", "name": "STACK_BUFFER_OVERRUN"}),
        (3221225781, "failure.exit_windows_crash", {"hex": "0xC0000135", "name": "DLL_NOT_FOUND"}),
        (3, "failure.exit_bind", {}),
        (-9, "failure.exit_signal", {"signal": 9}),
    ],
)
def test_exit_codes(code, key, params):
    got = failures.explain_exit(code, ["some", "output"])
    assert got[0] == key
    for k, v in params.items():
        assert got[1][k] == v


def test_crash_code_wins_over_output():
    got = failures.explain_exit(-1073741819, TRACEBACK)
    assert got[0] == "failure.exit_windows_crash"


def test_nothing_telling():
    assert failures.explain_exit(1, ["bye"]) is None
    assert failures.explain_exit(None, []) is None


# --- the readiness wait ends early on them (fake servers through the real start path) -----------

posix_only = pytest.mark.skipif(os.name == "nt", reason="runtime/bin/python symlink")

FAKE_TRACEBACK_SERVER = """\
import sys
print("Loading Text2Semantic weights from GPT_weights_v2/x.ckpt", flush=True)
def get_sovits_version_from_path_fast(path):
    head2version = {}
    return head2version[b"\\x07\\x07"]
get_sovits_version_from_path_fast("x.pth")
"""

FAKE_MISMATCH_SERVER = """\
import sys, time
print("Loading VITS weights from SoVITS_weights_v2/x.pth", flush=True)
print("Traceback (most recent call last):", flush=True)
print("RuntimeError: Error(s) in loading state_dict for SynthesizerTrn:", flush=True)
time.sleep(60)
"""


def _start(tmp_path, home, script_text):
    from launcher.paths import layout, load_settings
    from launcher.profiles.schema import find_profile
    from launcher.server.plan import plan_start
    from launcher.server.process import spawn

    pkg = make_package(tmp_path / "pkg")
    (pkg.root / "api_v2.py").write_text(script_text, encoding="utf-8")
    remember(home, pkg.root)
    nahida(home, pkg, device="cpu", port=free_port())
    plan = plan_start(find_profile("nahida", layout().profiles), layout=layout(), settings=load_settings())
    return spawn(plan, layout=layout())


def _cleanup(server):
    from launcher.paths import layout
    from launcher.server.registry import Registry
    from launcher.server.stopping import stop_server

    stop_server(server.record, Registry(layout().registry_file), process=server.process, graceful=False, timeout=4)


@posix_only
def test_wait_ready_explains_a_traceback_exit(tmp_path, isolated_home):
    from launcher.errors import ServerFailed
    from launcher.server.watch import wait_ready

    server = _start(tmp_path, isolated_home, FAKE_TRACEBACK_SERVER)
    try:
        with pytest.raises(ServerFailed) as e:
            wait_ready(server, timeout=30)
    finally:
        _cleanup(server)
    assert e.value.key == "failure.traceback"
    assert e.value.params["exception"] == "KeyError: b'\\x07\\x07'"
    assert "get_sovits_version_from_path_fast" in e.value.params["frame"]
    assert e.value.params["code"] == 1
    text = messages.t(e.value.key, **e.value.params)
    assert "KeyError" in text and "出错位置" in text


@posix_only
def test_wait_ready_stops_at_a_fatal_line(tmp_path, isolated_home):
    import time

    from launcher.errors import ServerFailed
    from launcher.server.watch import wait_ready

    server = _start(tmp_path, isolated_home, FAKE_MISMATCH_SERVER)
    started = time.monotonic()
    try:
        with pytest.raises(ServerFailed) as e:
            wait_ready(server, timeout=30)
    finally:
        _cleanup(server)
    assert e.value.key == "failure.weights_mismatch"
    assert time.monotonic() - started < 20  # not the 60 s the fake would keep loading


# A server answering GET /openapi.json; {before} runs first, {serve} starts the answers.
FAKE_OPENAPI_SERVER = """\
import json, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer
port = int(sys.argv[sys.argv.index("-p") + 1])
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({{"openapi": "3.1.0"}}).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
{before}
server = HTTPServer(("127.0.0.1", port), H)
{serve}
server.serve_forever()
"""


def fake_printing(lines) -> str:
    """Prints `lines`, then listens and answers."""
    return FAKE_OPENAPI_SERVER.format(before=f"for line in {lines!r}:\n    print(line, flush=True)", serve="")


FAKE_HEALTHY_WITH_LOOK_ALIKES = fake_printing(LOOK_ALIKES)
# A server that warns it falls back to the CPU, then answers: the same fake, one line.
FAKE_FALLBACK_SERVER = fake_printing(["Warning: CUDA is not available, set device to CPU."])
# Listens, and only after a client has connected prints the banner and starts answering:
# the order uvicorn keeps (bind, listen, "Uvicorn running on", serve), with the gap made wide.
FAKE_BANNER_AFTER_LISTEN = FAKE_OPENAPI_SERVER.format(before="", serve="""\
conn, _ = server.socket.accept()   # the launcher's connect check
conn.close()
time.sleep(0.5)
print("INFO:     Uvicorn running on http://127.0.0.1:%d (Press CTRL+C to quit)" % port, flush=True)""")


def _lines_until_ready(tmp_path, home, script) -> list[str]:
    """Start the fake as the package's api_v2.py; the lines `wait_ready` passed on until ready."""
    from launcher.server.watch import wait_ready

    server = _start(tmp_path, home, script)
    seen = []
    try:
        assert wait_ready(server, timeout=30, on_line=seen.append) > 0
    finally:
        _cleanup(server)
    return seen


@posix_only
def test_a_healthy_load_printing_look_alikes_becomes_ready(tmp_path, isolated_home):
    """Before the anchoring, the first of these lines ended the wait as "cannot find a file"."""
    seen = _lines_until_ready(tmp_path, isolated_home, FAKE_HEALTHY_WITH_LOOK_ALIKES)
    assert seen[: len(LOOK_ALIKES)] == LOOK_ALIKES


@posix_only
def test_non_fatal_line_does_not_end_the_wait(tmp_path, isolated_home):
    seen = _lines_until_ready(tmp_path, isolated_home, FAKE_FALLBACK_SERVER)
    assert failures.match_line(seen[0]).key == "failure.cuda_fallback"


@posix_only
def test_lines_printed_before_the_first_answer_reach_the_caller(tmp_path, isolated_home):
    """The banner comes after the socket listens; the wait must not return without it."""
    seen = _lines_until_ready(tmp_path, isolated_home, FAKE_BANNER_AFTER_LISTEN)
    assert any("Uvicorn running on" in line for line in seen), seen


def test_python_path_is_this_interpreter_for_the_fakes():
    assert sys.executable
