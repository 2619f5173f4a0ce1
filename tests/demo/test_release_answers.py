"""The answers without usable audio that some releases give, as the stand-ins reproduce them,
and what the launcher's check makes of them (real subprocess servers)."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave

import pytest
import yaml

import helpers
from launcher import audio
from launcher.demo.fake_package import add_character, build_standin_package, free_port
from launcher.errors import LauncherError
from launcher.gsv import answers, capabilities
from launcher.gsv import client as gsv_api

pytestmark = pytest.mark.slow
TEXT = "你好，旅行者。今天天气很好。"
BIGVGAN = "GPT_SoVITS/pretrained_models/models--nvidia--bigvgan_v2_24khz_100band_256x"


class Running:
    """One stand-in api_v2.py / api.py, output in a log file the launcher's explanation reads."""

    def __init__(self, pkg, tmp_path, api: str, *, gpt=None, sovits=None, half=False, top_version=None):
        self.pkg, self.api, self.port = pkg, api, free_port()
        self.log = tmp_path / f"server-{self.port}.log"
        gpt, sovits = gpt or pkg.gpt, sovits or pkg.sovits
        if api == "v2":
            config = {"custom": {"device": "cpu", "is_half": half, "version": "v2", "t2s_weights_path": str(gpt),
                                 "vits_weights_path": str(sovits)}}
            if top_version:
                config["version"] = top_version
            path = tmp_path / f"infer-{self.port}.yaml"
            path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
            args = ["api_v2.py", "-a", "127.0.0.1", "-p", str(self.port), "-c", str(path)]
        else:
            args = ["api.py", "-s", str(sovits), "-g", str(gpt), "-d", "cpu", "-a", "127.0.0.1", "-p", str(self.port)]
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen([pkg.interpreter(), *args], cwd=str(pkg.root), env=pkg.env(load_seconds=0.05),
                                         stdout=out, stderr=subprocess.STDOUT)

    def ready(self):
        helpers.wait_for(lambda: self.proc.poll() is not None or gsv_api.probe_ready("127.0.0.1", self.port, 0.5), 20)
        assert self.proc.poll() is None, self.log.read_text(encoding="utf-8")
        return self

    def tts(self, ref=None, **extra) -> bytes:
        answer = gsv_api.synthesize(self.api, "127.0.0.1", self.port, text=TEXT, ref_audio=str(ref or self.pkg.ref_audio),
                                    prompt_text=self.pkg.prompt_text, prompt_lang="zh", text_lang="zh", extra=extra)
        assert answer.status == 200, answer.body
        return answer.body

    def get(self, path: str, **params):
        return gsv_api.request("GET", f"http://127.0.0.1:{self.port}{path}", params=params, timeout=30)

    def stop(self):
        self.proc.kill()
        self.proc.wait(10)


@pytest.fixture
def servers():
    started = []
    yield lambda *a, **kw: started.append(Running(*a, **kw)) or started[-1]
    for server in started:
        server.stop()


def explained(body, server, version, **kw) -> LauncherError:
    caps = capabilities.read(server.pkg.root)
    with pytest.raises(LauncherError) as failed:
        answers.check(body, answers.Expect.of(version, TEXT, super_sampling=kw.pop("super_sampling", False)))
    return answers.explain(failed.value, caps=caps, api=server.api, version=version,
                           log_lines=answers.read_log(server.log), **kw)


@pytest.mark.parametrize("release,rate", [("20240821v2", 32000), ("20250422v4", 16000), ("20250606v2pro", 16000)])
def test_api_v2_answers_an_inference_error_with_a_second_of_zeros(servers, tmp_path, release, rate):
    pkg = build_standin_package(tmp_path / "p", release=release)
    server = servers(pkg, tmp_path, "v2", half=True).ready()  # fp16 on the CPU: kept, and inference fails
    body = server.tts()
    info = audio.wav_info_bytes(body)
    assert (info.sample_rate, info.frames) == (rate, rate)
    err = explained(body, server, "v2")
    assert (err.key, err.params["release"]) == ("speech.cause.half_on_cpu", release)
    assert any("for 'Half'" in line for line in err.details)


def test_main_turns_fp16_off_on_the_cpu_and_speaks(servers, tmp_path):
    pkg = build_standin_package(tmp_path / "p")
    server = servers(pkg, tmp_path, "v2", half=True).ready()
    assert answers.check(server.tts(), answers.Expect.of("v2", TEXT)).sample_rate == 32000
    assert "Warning: Half precision is not supported on CPU, set is_half to False." in server.log.read_text("utf-8")


def test_a_streamed_wav_declares_no_data_and_still_carries_speech(servers, tmp_path):
    pkg = build_standin_package(tmp_path / "p")
    server = servers(pkg, tmp_path, "v2").ready()
    body = server.tts(streaming_mode=True)
    with wave.open(io.BytesIO(body)) as strict:
        assert strict.getnframes() == 0
    assert answers.check(body, answers.Expect.of("v2", TEXT)).frames > 0


@pytest.mark.parametrize("release,silent", [("20250606v2pro", True), ("main", False)])
def test_switching_v2_to_v2pro_with_the_same_reference(servers, tmp_path, release, silent):
    pkg = build_standin_package(tmp_path / "p", release=release)
    gpt, sovits = add_character(pkg.root, "胡桃", "v2Pro", release=release)
    server = servers(pkg, tmp_path, "v2").ready()
    answers.check(server.tts(), answers.Expect.of("v2", TEXT))  # the reference is cached now
    assert server.get("/set_gpt_weights", weights_path=str(gpt)).status == 200
    assert server.get("/set_sovits_weights", weights_path=str(sovits)).status == 200
    body = server.tts()
    if silent:
        assert explained(body, server, "v2Pro", switched=True).key == "speech.cause.v2pro_switch"
    else:
        assert answers.check(body, answers.Expect.of("v2Pro", TEXT)).sample_rate == 32000


def test_a_failed_v3_switch_leaves_api_v2_speaking_silence(servers, tmp_path):
    pkg = build_standin_package(tmp_path / "p", release="20250422v4")
    gpt, sovits = add_character(pkg.root, "胡桃", "v3", release="20250422v4")
    server = servers(pkg, tmp_path, "v2").ready()
    shutil.rmtree(pkg.root / BIGVGAN)  # the v3 vocoder is missing
    assert server.get("/set_sovits_weights", weights_path=str(sovits)).status == 400
    assert explained(server.tts(), server, "v3").key == "speech.cause.v2_error_silence"


@pytest.mark.parametrize("release,silent", [("20250422v4", True), ("main", False)])
def test_v3_super_sampling_without_its_model(servers, tmp_path, release, silent):
    pkg = build_standin_package(tmp_path / "p", release=release)
    gpt, sovits = add_character(pkg.root, "胡桃", "v3", release=release)
    server = servers(pkg, tmp_path, "v2", gpt=gpt, sovits=sovits).ready()
    body = server.tts(super_sampling=True)
    if silent:
        assert explained(body, server, "v3", super_sampling=True).key == "speech.cause.no_sr_model"
    else:  # fixed later: no super-sampling, the model's own 24 kHz
        assert answers.check(body, answers.Expect.of("v3", TEXT)).sample_rate == 24000


def test_v3_super_sampling_with_its_model_is_48k(servers, tmp_path):
    pkg = build_standin_package(tmp_path / "p", release="20250606v2pro", super_sampling_model=True)
    gpt, sovits = add_character(pkg.root, "胡桃", "v3", release="20250606v2pro")
    server = servers(pkg, tmp_path, "v2", gpt=gpt, sovits=sovits).ready()
    assert answers.check(server.tts(super_sampling=True), answers.Expect.of("v3", TEXT, super_sampling=True)).sample_rate == 48000


def test_api_py_if_sr_without_its_model_packs_24k_audio_as_48k(servers, tmp_path):
    pkg = build_standin_package(tmp_path / "p", release="20250422v4")
    gpt, sovits = add_character(pkg.root, "胡桃", "v3", release="20250422v4")
    server = servers(pkg, tmp_path, "v1", gpt=gpt, sovits=sovits).ready()
    plain = audio.wav_info_bytes(server.tts())
    fast = audio.wav_info_bytes(server.tts(if_sr=True))
    assert (plain.sample_rate, fast.sample_rate, fast.frames) == (24000, 48000, plain.frames)  # double speed


def test_a_top_level_v2pro_breaks_20250606v2pro_but_not_main(tmp_path):
    for release, code in (("20250606v2pro", 1), ("main", None)):
        pkg = build_standin_package(tmp_path / release, release=release)
        server = Running(pkg, tmp_path, "v2", top_version="v2Pro")
        try:
            helpers.wait_for(lambda: server.proc.poll() is not None or gsv_api.probe_ready("127.0.0.1", server.port, 0.5), 20)
            assert server.proc.poll() == code
            if code:
                assert server.log.read_text(encoding="utf-8").rstrip().endswith("AssertionError")
        finally:
            server.stop()


def test_standin_release_picks_another_release_for_one_run(tmp_path, monkeypatch):
    pkg = build_standin_package(tmp_path / "p")  # main: loads v2Pro
    gpt, sovits = add_character(pkg.root, "胡桃", "v2Pro")
    monkeypatch.setenv("STANDIN_RELEASE", "20250422v4")  # which does not know the head b"05"
    server = Running(pkg, tmp_path, "v2", gpt=gpt, sovits=sovits)
    try:
        assert server.proc.wait(20) == 1
        assert server.log.read_text(encoding="utf-8").rstrip().endswith("KeyError: b'05'")
    finally:
        server.stop()
