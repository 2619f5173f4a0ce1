"""Import a generated voice pack the way `sovits-launch import` does, and read back what it wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from launcher import paths
from launcher.errors import LauncherError
from launcher.packs import apply as packapply
from launcher.packs import plan as packplan
from launcher.packs import scan as packscan

HEADER = (
    "# sovits-launch 角色配置（UTF-8），由 sovits-launch import 生成。\n"
    "# 来源：{source}\n"
    "# 路径可以是绝对路径，或相对于 GPT-SoVITS 根目录。参考音频须为 3~10 秒。\n"
)
NEEDS_REF = "# 还缺参考音频：填上 ref_audio（3~10 秒的 wav）和 prompt_text（音频里说的话）。\n"


def home() -> paths.Layout:
    return paths.layout()


def do_import(source: Path, root: Path, work: Path | None = None, **kw):
    with packscan.scan(source, work_dir=work) as s:
        plan = packplan.plan_import(s, root=root, layout=home(), **kw)
        result = packapply.apply_import(plan)
    return plan, result


def profile_text(name: str) -> str:
    return (home().profiles / f"{name}.yaml").read_text(encoding="utf-8")


def expect_error(key: str, fn, *args, **kw) -> LauncherError:
    with pytest.raises(LauncherError) as info:
        fn(*args, **kw)
    assert info.value.key == key, (info.value.key, info.value.params)
    return info.value


# 纳西妲 as the AI-Hobbyist model pack (packgen.aihobbyist_model) imports her.
NAHIDA_DEFAULT = "这个身体似乎不会老去，但我想见的人，却都离去了。"


def nahida_profile(source) -> str:
    return HEADER.format(source=source) + (
        "name: 纳西妲\n"
        "display_name: 纳西妲\n"
        "api: v2\n"
        "gpt: GPT_weights_v4/纳西妲_ZH-e10.ckpt\n"
        "sovits: SoVITS_weights_v4/纳西妲_ZH_e10_s1400_l32.pth\n"
        f"ref_audio: 参考音频/纳西妲/【默认】{NAHIDA_DEFAULT}.wav\n"
        f"prompt_text: {NAHIDA_DEFAULT}\n"
        "prompt_lang: all_zh\n"
        "text_lang: zh\n"
        "host: 127.0.0.1\n"
        "port: 9880\n"
        "emotions:\n"
        "  开心:\n"
        "    ref_audio: 参考音频/纳西妲/【开心】你今天看起来很高兴呢.wav\n"
        "    prompt_text: 你今天看起来很高兴呢\n"
        "    prompt_lang: all_zh\n"
        "  生气:\n"
        "    ref_audio: 参考音频/纳西妲/【生气】不许这样对待花草.wav\n"
        "    prompt_text: 不许这样对待花草\n"
        "    prompt_lang: all_zh\n"
    )
