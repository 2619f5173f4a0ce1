"""The request xiaozhi's GPT-SoVITS providers send, checked against a recording HTTP server (`say`)."""

from __future__ import annotations

import io
import json
import threading
import urllib.error
import urllib.request
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

from launcher.xiaozhi import config as xz
from launcher.xiaozhi import provider
from launcher.errors import BadInput, ServerFailed
from helpers.xiaozhi_tree import PROMPT, REF, WIN_REF, target, xdir  # noqa: F401  (xdir is a fixture)


# --- the provider's request -------------------------------------------------------------------


def test_v2_request_is_what_gpt_sovits_v2_posts():
    block = {
        "type": "gpt_sovits_v2", "url": "http://127.0.0.1:9880/tts", "ref_audio_path": REF,
        "prompt_text": PROMPT, "prompt_lang": "zh", "text_lang": "zh", "top_k": 15,
        "aux_ref_audio_paths": "/a/1.wav; /a/2.wav;", "speed_factor": 1.1, "seed": 0,
        "split_bucket": "false", "batch_size": "",
    }
    request = provider.provider_request(block, "你好")
    assert request.method == "POST" and request.url == "http://127.0.0.1:9880/tts" and request.params is None
    assert request.json == {
        "text": "你好", "text_lang": "zh", "ref_audio_path": REF,
        "aux_ref_audio_paths": ["/a/1.wav", "/a/2.wav"], "prompt_text": PROMPT, "prompt_lang": "zh",
        "top_k": 15, "top_p": 1.0, "temperature": 1.0, "text_split_method": "cut0",
        "batch_size": 1, "batch_threshold": 0.75, "split_bucket": False, "return_fragment": False,
        "speed_factor": 1.1, "streaming_mode": False, "seed": -1,  # `0` is falsy upstream: -1
        "parallel_infer": True, "repetition_penalty": 1.35,
    }
    assert list(request.json)[:3] == ["text", "text_lang", "ref_audio_path"]
    assert "media_type" not in request.json
    assert json.loads(request.body()) == request.json


def test_v2_ref_audio_and_ref_text_win():
    block = {"type": "gpt_sovits_v2", "url": "http://h:1/tts", "ref_audio_path": "/a.wav", "ref_audio": "/b.wav",
             "prompt_text": "甲", "ref_text": "乙"}
    body = provider.provider_request(block, "x").json
    assert body["ref_audio_path"] == "/b.wav" and body["prompt_text"] == "乙"
    assert body["text_lang"] == "zh" and body["prompt_lang"] == "zh"  # provider defaults


def test_v3_request_is_what_gpt_sovits_v3_gets():
    block = {
        "type": "gpt_sovits_v3", "url": "http://127.0.0.1:9880", "refer_wav_path": WIN_REF,
        "prompt_text": PROMPT, "top_k": 15, "speed": 1.1, "inp_refs": ["/a/1.wav", "/a/2.wav"],
        "if_sr": False,
    }
    request = provider.provider_request(block, "你好")
    assert request.method == "GET" and request.json is None
    assert request.params == [
        ("refer_wav_path", WIN_REF), ("prompt_text", PROMPT),  # prompt_language unset: left out
        ("text", "你好"), ("text_language", "audo"),  # upstream's default typo, hence always written
        ("top_k", "15"), ("top_p", "1.0"), ("temperature", "1.0"), ("cut_punc", ""), ("speed", "1.1"),
        ("inp_refs", "/a/1.wav"), ("inp_refs", "/a/2.wav"), ("sample_steps", "32"), ("if_sr", "False"),
    ]
    url = request.full_url()
    assert url.startswith("http://127.0.0.1:9880/?refer_wav_path=D%3A%5CGPT-SoVITS")
    assert "&cut_punc=&" in url and "&inp_refs=%2Fa%2F1.wav&inp_refs=%2Fa%2F2.wav&" in url


def test_unknown_block_type_and_bad_values():
    with pytest.raises(BadInput) as info:
        provider.provider_request({"type": "edge"}, "x", module="EdgeTTS")
    assert info.value.key == "xiaozhi.not_gsv_block"
    with pytest.raises(BadInput) as info:
        provider.provider_request({"type": "gpt_sovits_v3", "url": "http://h:1", "top_k": "abc"}, "x")
    assert info.value.key == "xiaozhi.block_invalid" and info.value.params["field"] == "top_k"
    with pytest.raises(BadInput) as info:
        provider.provider_request({"type": "gpt_sovits_v2", "url": "127.0.0.1:9880/tts"}, "x")
    assert info.value.params["field"] == "url"


def test_say_request_uses_the_shipped_defaults_of_the_block(xdir):
    request = xz.say_request(target("v2", params={}), "你好", xdir)
    assert request.json["text_split_method"] == "cut0" and request.json["top_k"] == 5
    assert request.json == xz.say_request(target("v2", params={}), "你好").json


# --- say against a recording HTTP server ------------------------------------------------------


def wav_bytes(frames: int = 3200, rate: int = 32000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x01\x00" * frames)
    return out.getvalue()


class Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list = []
        self.reply = (200, "audio/wav", wav_bytes())


class _Handler(BaseHTTPRequestHandler):
    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        parts = urlsplit(self.path)
        self.server.requests.append({
            "method": self.command,
            "path": parts.path,
            "query": parse_qsl(parts.query, keep_blank_values=True),
            "body": self.rfile.read(length) if length else b"",
            "content_type": self.headers.get("Content-Type"),
        })
        status, ctype, body = self.server.reply
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _handle

    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def recorder():
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def send(request: provider.Request):
    """A tiny stand-in for gsv_api.request: the request exactly as built."""
    req = urllib.request.Request(request.full_url(), data=request.body(), method=request.method,
                                 headers=request.headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_say_v2_posts_json_to_tts(recorder):
    port = recorder.server_address[1]
    request = xz.say_request(target("v2", port=port), "今天天气很好。")
    info = provider.check_answer(*send(request))
    assert info.sample_rate == 32000 and info.frames == 3200 and info.seconds == pytest.approx(0.1)
    (seen,) = recorder.requests
    assert seen["method"] == "POST" and seen["path"] == "/tts" and seen["query"] == []
    assert seen["content_type"] == "application/json"
    body = json.loads(seen["body"])
    assert body == {
        "text": "今天天气很好。", "text_lang": "zh", "ref_audio_path": REF, "aux_ref_audio_paths": [],
        "prompt_text": PROMPT, "prompt_lang": "zh", "top_k": 15, "top_p": 1.0, "temperature": 1.0,
        "text_split_method": "cut5", "batch_size": 1, "batch_threshold": 0.75, "split_bucket": True,
        "return_fragment": False, "speed_factor": 1.1, "streaming_mode": False, "seed": -1,
        "parallel_infer": True, "repetition_penalty": 1.35,
    }


def test_say_api_py_gets_with_xiaozhis_query_names(recorder):
    port = recorder.server_address[1]
    t = target("v1", port=port, ref_audio=WIN_REF, params={"top_k": 20, "inp_refs": ["/x/甲.wav", "/x/乙.wav"]})
    provider.check_answer(*send(xz.say_request(t, "你好，旅行者！")))
    (seen,) = recorder.requests
    assert seen["method"] == "GET" and seen["path"] == "/" and seen["body"] == b""
    assert seen["query"] == [
        ("refer_wav_path", WIN_REF), ("prompt_text", PROMPT), ("prompt_language", "zh"),
        ("text", "你好，旅行者！"), ("text_language", "zh"), ("top_k", "20"), ("top_p", "1.0"),
        ("temperature", "1.0"), ("cut_punc", ""), ("speed", "1.0"),
        ("inp_refs", "/x/甲.wav"), ("inp_refs", "/x/乙.wav"), ("sample_steps", "32"), ("if_sr", "False"),
    ]


def test_say_v2_reference_length_400(recorder):
    recorder.reply = (400, "application/json", json.dumps(
        {"message": "tts failed", "Exception": "参考音频在3~10秒范围外，请更换！"}, ensure_ascii=False).encode())
    status, body = send(xz.say_request(target("v2", port=recorder.server_address[1]), "你好"))
    with pytest.raises(BadInput) as info:
        provider.check_answer(status, body)
    assert info.value.key == "xiaozhi.say.rejected.ref_length"
    assert info.value.params == {"status": 400, "upstream": "tts failed: 参考音频在3~10秒范围外，请更换！"}


def test_say_api_py_without_reference_400(recorder):
    recorder.reply = (400, "application/json", json.dumps(
        {"code": 400, "message": "未指定参考音频且接口无预设"}, ensure_ascii=False).encode())
    status, body = send(xz.say_request(target("v1", port=recorder.server_address[1]), "你好"))
    with pytest.raises(BadInput) as info:
        provider.check_answer(status, body)
    assert info.value.key == "xiaozhi.say.rejected.no_reference"


def test_say_answer_that_is_not_wav(recorder):
    recorder.reply = (200, "application/json", b'{"detail": "Not Found"}')
    with pytest.raises(BadInput) as info:
        provider.check_answer(*send(xz.say_request(target("v2", port=recorder.server_address[1]), "你好")))
    assert info.value.key == "xiaozhi.say.not_wav"


def test_server_error_is_not_bad_input():
    with pytest.raises(ServerFailed) as info:
        provider.check_answer(500, b"Internal Server Error")
    assert info.value.key == "xiaozhi.say.rejected.unknown"


def test_wav_checks():
    streamed = bytearray(wav_bytes(100))
    data_at = bytes(streamed).index(b"data")
    streamed[data_at + 4 : data_at + 8] = b"\xff\xff\xff\xff"  # size unknown while streaming
    assert provider.check_wav(bytes(streamed)).frames == 100
    with pytest.raises(BadInput) as info:
        provider.check_wav(wav_bytes(0))
    assert info.value.key == "xiaozhi.say.empty_wav"
    with pytest.raises(BadInput):
        provider.check_wav(b"RIFF\x00\x00\x00\x00WAVE")
