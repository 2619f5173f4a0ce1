"""A xiaozhi-esp32-server tree for tests: the real shipped config.yaml, a data/.config.yaml, a TTS target."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from launcher.xiaozhi import config as xz
from launcher.xiaozhi.block import TtsTarget

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "xiaozhi" / "config.yaml"


REF = "/srv/GPT-SoVITS/参考音频/纳西妲/初次见面.wav"


WIN_REF = r"D:\GPT-SoVITS-v2pro-20250604\参考音频\纳西妲\初次见面.wav"


PROMPT = "初次见面，我已经关注你很久了。我叫纳西妲。"


def make_xiaozhi(root: Path, *, v1_provider: bool = False) -> Path:
    """A xiaozhi-esp32-server checkout: repo root with main/xiaozhi-server inside."""
    server = root / "main" / "xiaozhi-server"
    tts = server / "core" / "providers" / "tts"
    tts.mkdir(parents=True)
    for name in ("gpt_sovits_v2", "gpt_sovits_v3", "edge") + (("gpt_sovits_v1",) if v1_provider else ()):
        (tts / f"{name}.py").write_text("# stand-in\n", encoding="utf-8")
    shutil.copy(FIXTURE, server / "config.yaml")
    return server


@pytest.fixture
def xdir(tmp_path) -> Path:
    return make_xiaozhi(tmp_path / "xiaozhi-esp32-server")


def target(api="v2", **kw) -> TtsTarget:
    values = dict(
        api=api, url_host="127.0.0.1", port=9880, ref_audio=REF, prompt_text=PROMPT,
        prompt_lang="zh", text_lang="zh",
        params={"top_k": 15, "top_p": 1, "temperature": 1, "speed": 1.1, "text_split_method": "cut5"},
    )
    values.update(kw)
    return TtsTarget(**values)


def data_file(xdir: Path) -> Path:
    return xdir / "data" / ".config.yaml"


def write_data(xdir: Path, text, *, encoding="utf-8") -> Path:
    path = data_file(xdir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def backups(xdir: Path) -> list:
    return xz.list_backups(xdir)


def as_xiaozhi_reads(path: Path):
    """config_loader.read_config: open(..., encoding='utf-8') + yaml.safe_load."""
    with open(path, encoding="utf-8") as file:
        return yaml.safe_load(file)


COMMENTED = """\
# 我的 xiaozhi 个人配置
# 只写需要覆盖的项
server:
  ip: 0.0.0.0
  port: 8000
  timezone_offset: +8   # 东八区
  mqtt_gateway: null
selected_module:
  # 语音识别用本地 FunASR
  ASR: FunASR
  LLM: DoubaoLLM   # 豆包
  TTS: EdgeTTS   # 之前用的微软 TTS
  Intent: function_call
LLM:
  DoubaoLLM:
    type: openai
    api_key: 你的豆包key
    enable: True
# ---- TTS ----
TTS:
  EdgeTTS:
    type: edge
    voice: zh-CN-XiaoxiaoNeural   # 晓晓
    output_dir: tmp/
  GPT_SOVITS_V2:
    # 我自己加的备注键
    my_note: 保留我
    batch_size: 4
    url: "http://192.168.1.9:9880/tts"
# 以下是记忆模块
Memory:
  mem_local_short:
    type: mem_local_short
    llm: ChatGLMLLM
# 文件结尾
"""
