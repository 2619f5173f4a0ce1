"""Why an answer had no usable audio: the cause for the release, with the server's last log lines."""

from __future__ import annotations

import pytest

from launcher.demo.fake_package import build_standin_package
from launcher.errors import ServerFailed
from launcher.gsv import answers, capabilities

STARTED = ["INFO:     Started server process [1]", "INFO:     Uvicorn running on http://127.0.0.1:9880 (Press CTRL+C to quit)"]
V1_LOADED = ["INFO:     半精: False", "INFO:     模型版本: v2", *STARTED]


@pytest.fixture(scope="module")
def caps(tmp_path_factory):
    out = {}
    for release in ("20250228v3", "20250606v2pro", "main"):
        pkg = build_standin_package(tmp_path_factory.mktemp(release) / "p", release=release, runtime=False)
        out[release] = capabilities.read(pkg.root)
    return out


def explained(kind: str, caps, api: str, version: str, lines, **kw):
    return answers.explain(ServerFailed(f"speech.{kind}", size=0), caps=caps, api=api, version=version,
                           log_lines=lines, **kw)


def test_api_py_that_never_loaded_its_weights(caps):
    err = explained("cut", caps["20250228v3"], "v1", "v3", ["INFO:     半精: False", *STARTED, "Exception in ASGI application"])
    assert (err.key, err.params["release"], err.params["script"]) == ("speech.cause.v1_not_loaded", "20250228v3", "api.py")
    assert err.details[-1] == "Exception in ASGI application"


def test_api_py_that_loaded_then_failed_a_request(caps):
    assert explained("cut", caps["main"], "v1", "v2", [*V1_LOADED, "KeyError: 'xx'"]).key == "speech.cause.v1_failed"
    assert explained("empty", caps["main"], "v1", "v2", []).key == "speech.cause.v1_failed"  # no log: no claim


def test_api_v2_silence_with_a_traceback(caps):
    lines = [*STARTED, "Traceback (most recent call last):", "RuntimeError: boom"]
    err = explained("silent", caps["main"], "v2", "v2", lines)
    assert err.key == "speech.cause.v2_error_silence" and "RuntimeError: boom" in err.details


def test_the_v2pro_switch_of_20250606v2pro(caps):
    lines = [*STARTED, "Traceback (most recent call last):", "AttributeError: x"]
    assert explained("silent", caps["20250606v2pro"], "v2", "v2Pro", lines, switched=True).key == "speech.cause.v2pro_switch"
    assert explained("silent", caps["main"], "v2", "v2Pro", lines, switched=True).key == "speech.cause.v2_error_silence"


@pytest.mark.parametrize(
    "line,cause",
    [
        ("你没有下载超分模型的参数，因此不进行超分。如想超分请先参照教程把文件下载好", "no_sr_model"),
        ("RuntimeError: \"LayerNormKernelImpl\" not implemented for 'Half'", "half_on_cpu"),
        ("fall back to default vits_weights_path: GPT_SoVITS/pretrained_models/s2G488k.pth", "fallback_weights"),
    ],
)
def test_causes_read_from_the_log(caps, line, cause):
    assert explained("silent", caps["20250606v2pro"], "v2", "v3", [*STARTED, line]).key == f"speech.cause.{cause}"


def test_v3_v4_lost_sentence_on_the_releases_that_have_it(caps):
    assert explained("silent", caps["20250606v2pro"], "v2", "v4", STARTED).key == "speech.cause.v34_lost"
    assert explained("silent", caps["main"], "v2", "v4", STARTED).key == "speech.silent"


def test_unknown_causes_keep_the_measured_error_and_the_log_tail(caps):
    lines = [f"line {i}" for i in range(40)]
    err = answers.explain(ServerFailed("speech.wrong_rate", rate=16000, expected=32000), caps=None, api="v2",
                          version="v2", log_lines=lines)
    assert (err.key, err.params["rate"], err.params["release"]) == ("speech.wrong_rate", 16000, "?")
    assert err.details == lines[-answers.LOG_LINES:]


def test_read_log_reads_the_end_of_a_long_log(tmp_path):
    log = tmp_path / "x.log"
    log.write_bytes(("x" * 100 + "\n").encode() * 30000 + "最后一行\n".encode())
    lines = answers.read_log(log)
    assert lines[-1] == "最后一行" and len(lines) < 30000
    assert answers.read_log(tmp_path / "none.log") == [] and answers.read_log(None) == []
