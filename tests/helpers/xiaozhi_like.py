"""A small tree laid out like xiaozhi-server's, written for these tests (none of xiaozhi's code).

It has what `sovits-launch xiaozhi check` relies on, with xiaozhi's names:
`config/config_loader.py` (get_project_dir, read_config, async load_config,
merge_configs; the config.yaml + data/.config.yaml merge), `core/utils/tts.py`
(create_instance: the provider file is looked up relative to the working
directory), and `core/providers/tts/gpt_sovits_v2.py` / `gpt_sovits_v3.py`
(`TTSProvider(config, delete_audio_file)` with `async text_to_speak(text,
output_file)`, sending the request shape xiaozhi's providers send, raising
"GPT_SoVITS_V2 TTS请求失败: <status> - <body>" otherwise). The providers use
urllib here (xiaozhi's use requests), so a bare interpreter with PyYAML runs
them. `app.py` answers a plain GET on server.port with "Server is running".
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from helpers.xiaozhi_tree import FIXTURE

CONFIG_LOADER = '''
import os
from collections.abc import Mapping

import yaml

_CACHE = {}


def get_project_dir():
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + "/"


def read_config(config_path):
    with open(config_path, "r", encoding="utf-8") as file:
        return yaml.safe_load(file)


def merge_configs(default_config, custom_config):
    if not isinstance(default_config, Mapping) or not isinstance(custom_config, Mapping):
        return custom_config
    merged = dict(default_config)
    for key, value in custom_config.items():
        if key in merged and isinstance(merged[key], Mapping) and isinstance(value, Mapping):
            merged[key] = merge_configs(merged[key], value)
        else:
            merged[key] = value
    return merged


async def load_config():
    if "main" in _CACHE:
        return _CACHE["main"]
    default_config = read_config(get_project_dir() + "config.yaml")
    custom_config = read_config(get_project_dir() + "data/.config.yaml")
    if custom_config.get("manager-api", {}).get("url"):
        raise RuntimeError("this test tree has no manager-api client")
    _CACHE["main"] = merge_configs(default_config, custom_config)
    return _CACHE["main"]
'''

TTS_UTILS = '''
import importlib
import os
import sys


def create_instance(class_name, *args, **kwargs):
    if os.path.exists(os.path.join("core", "providers", "tts", class_name + ".py")):
        name = "core.providers.tts." + class_name
        if name not in sys.modules:
            sys.modules[name] = importlib.import_module(name)
        return sys.modules[name].TTSProvider(*args, **kwargs)
    raise ValueError("不支持的TTS类型: %s" % class_name)
'''

HTTP = '''
import json
import urllib.error
import urllib.parse
import urllib.request


def send(method, url, *, body=None, params=None):
    """(status, bytes): any HTTP status comes back as an answer, like requests does."""
    data = None
    headers = {}
    if params:
        url = url + "?" + urllib.parse.urlencode(params, doseq=True)
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
'''

V2_PROVIDER = '''
from core.providers.tts.http import send


def _number(config, key, default, kind):
    value = config.get(key, default)
    return kind(value) if value else kind(default)


def _flag(value):
    return str(value).lower() in ("true", "1", "yes")


class TTSProvider:
    """Sends api_v2.py's JSON body with the block's values, as xiaozhi's gpt_sovits_v2 does."""

    def __init__(self, config, delete_audio_file):
        self.url = config.get("url")
        self.body = {
            "text_lang": config.get("text_lang", "zh"),
            "ref_audio_path": config.get("ref_audio") or config.get("ref_audio_path"),
            "aux_ref_audio_paths": config.get("aux_ref_audio_paths") or [],
            "prompt_text": config.get("ref_text") or config.get("prompt_text"),
            "prompt_lang": config.get("prompt_lang", "zh"),
            "top_k": _number(config, "top_k", 5, int),
            "top_p": _number(config, "top_p", 1, float),
            "temperature": _number(config, "temperature", 1, float),
            "text_split_method": config.get("text_split_method", "cut0"),
            "batch_size": _number(config, "batch_size", 1, int),
            "batch_threshold": _number(config, "batch_threshold", 0.75, float),
            "split_bucket": _flag(config.get("split_bucket", True)),
            "return_fragment": _flag(config.get("return_fragment", False)),
            "speed_factor": _number(config, "speed_factor", 1.0, float),
            "streaming_mode": _flag(config.get("streaming_mode", False)),
            "seed": _number(config, "seed", -1, int),
            "parallel_infer": _flag(config.get("parallel_infer", True)),
            "repetition_penalty": _number(config, "repetition_penalty", 1.35, float),
        }

    async def text_to_speak(self, text, output_file):
        status, content = send("POST", self.url, body=dict(self.body, text=text))
        if status != 200:
            raise Exception("GPT_SoVITS_V2 TTS请求失败: %s - %s" % (status, content.decode("utf-8", "replace")))
        if output_file:
            with open(output_file, "wb") as file:
                file.write(content)
            return None
        return content
'''

V3_PROVIDER = '''
from core.providers.tts.http import send


class TTSProvider:
    """Sends api.py's GET query with the block's values, as xiaozhi's gpt_sovits_v3 does."""

    def __init__(self, config, delete_audio_file):
        self.url = config.get("url")
        self.params = {
            "refer_wav_path": config.get("ref_audio") or config.get("refer_wav_path"),
            "prompt_text": config.get("ref_text") or config.get("prompt_text"),
            "prompt_language": config.get("prompt_language"),
            "text_language": config.get("text_language", "audo"),
            "top_k": int(config.get("top_k") or 15),
            "top_p": float(config.get("top_p") or 1.0),
            "temperature": float(config.get("temperature") or 1.0),
            "cut_punc": config.get("cut_punc", ""),
            "speed": float(config.get("speed") or 1.0),
            "sample_steps": int(config.get("sample_steps") or 32),
            "if_sr": str(config.get("if_sr", False)).lower() in ("true", "1", "yes"),
        }

    async def text_to_speak(self, text, output_file):
        params = {k: v for k, v in dict(self.params, text=text).items() if v is not None}
        status, content = send("GET", self.url, params=params)
        if status != 200:
            raise Exception("GPT_SoVITS_V3 TTS请求失败: %s - %s" % (status, content.decode("utf-8", "replace")))
        return content
'''

# xiaozhi's websocket port answers a plain GET with this (core/websocket_server.py).
ALIVE_HANDLER = r'''
class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"Server is running\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass
'''

APP = '''
import asyncio
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from config.config_loader import load_config

''' + ALIVE_HANDLER + '''

config = asyncio.run(load_config())
server = config["server"]
port = int(os.environ.get("XIAOZHI_LIKE_PORT") or server["port"])  # a second copy in one folder
print("xiaozhi-like app on port", port, flush=True)
HTTPServer(("127.0.0.1", port), Handler).serve_forever()
'''

FILES = {
    "config/__init__.py": "",
    "config/config_loader.py": CONFIG_LOADER,
    "core/__init__.py": "",
    "core/utils/__init__.py": "",
    "core/utils/tts.py": TTS_UTILS,
    "core/providers/__init__.py": "",
    "core/providers/tts/__init__.py": "",
    "core/providers/tts/http.py": HTTP,
    "core/providers/tts/gpt_sovits_v2.py": V2_PROVIDER,
    "core/providers/tts/gpt_sovits_v3.py": V3_PROVIDER,
    "core/providers/tts/edge.py": "class TTSProvider:\n    pass\n",
    "app.py": APP,
}


def write_xiaozhi_like(folder: Path, *, config_yaml: bool = True) -> Path:
    """The tree at `folder` (source layout: with the real shipped config.yaml; `config_yaml=False`
    for the code inside a fake Docker container, where the image has its own)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    if config_yaml:
        shutil.copy(FIXTURE, folder / "config.yaml")
    return folder


COMPOSE = """\
# Docker安装Server (the layout of xiaozhi's docker-compose.yml)
version: '3'
services:
  xiaozhi-esp32-server:
    image: ghcr.nju.edu.cn/xinnan-tech/xiaozhi-esp32-server:server_latest
{container}    restart: always
    environment:
      - TZ=UTC
    ports:
      - "{port}:8000"
      - "8003:8003"
{extra}    volumes:
      - ./data:/opt/xiaozhi-esp32-server/data
      - ./models/SenseVoiceSmall/model.pt:/opt/xiaozhi-esp32-server/models/SenseVoiceSmall/model.pt
"""


def make_docker_deployment(folder: Path, *, port: int = 8000, container: str | None = "xiaozhi-esp32-server",
                           extra_hosts: bool = False, data_text: str | None = None) -> Path:
    """xiaozhi's 方式一 folder: docker-compose.yml, data/ (with .config.yaml when given), models/."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    (folder / "models" / "SenseVoiceSmall").mkdir(parents=True, exist_ok=True)
    (folder / "docker-compose.yml").write_text(COMPOSE.format(
        container=f"    container_name: {container}\n" if container else "",
        port=port,
        extra='    extra_hosts:\n      - "host.docker.internal:host-gateway"\n' if extra_hosts else "",
    ), encoding="utf-8")
    if data_text is not None:
        (folder / "data" / ".config.yaml").write_text(data_text, encoding="utf-8")
    return folder


def container_root(folder: Path, data: Path) -> Path:
    """What the image holds at /opt/xiaozhi-esp32-server, with the host's data/ mounted in it."""
    write_xiaozhi_like(folder)
    (folder / "data").symlink_to(data, target_is_directory=True)
    return folder
