"""The README's five steps are a path a new user can follow verbatim.

The commands are taken from README.md itself (both languages), then typed as they are
on the stand-in package (launcher/demo/fake_package.py) laid out as a freshly trained
整合包: no reference folder, only the training outputs (`logs/<exp>/`, the ASR `.list`),
and a CPU-only PyTorch in its runtime. Only the README's example folders are replaced by
the test's, and `纳西妲` by the name `init` printed (the weights' name, Chinese or not).

Not yet followed: hearing the answer (`say --play`); the path ends with `say` saving its WAV.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import wave
from pathlib import Path

import pytest
import yaml

from launcher.demo.fake_package import build_standin_package, free_port
from launcher.gsv import client as gsv_api
from launcher.profiles.update import update_profile_file

from helpers import wait_for
from helpers.training_tree import Clip, make_training
from helpers.xiaozhi_tree import make_xiaozhi

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
SECTIONS = {"zh": "## 从整合包到小智开口：五步", "en": "## From a 整合包 to xiaozhi speaking, in five steps"}
README_ROOT = r"D:\GPT-SoVITS-v2pro-20250604"
README_XIAOZHI = r"D:\xiaozhi-esp32-server"
README_NAME = "纳西妲"
PATH = [
    f"sovits-launch init {README_ROOT} --xiaozhi {README_XIAOZHI}",
    "sovits-launch list",
    "sovits-launch doctor",
    f"sovits-launch {README_NAME}",
    f'sovits-launch say {README_NAME} "你好"',
]
# What a start must not say for a profile `init` wrote on a machine without a usable GPU.
NO_GPU_WARNINGS = ("CUDA is not available", "改用 CPU", "Half precision", "半精度")


def section(lang: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(SECTIONS[lang])
    end = text.index("\n## ", start + 1)
    return text[start:end]


def commands(text: str) -> list[str]:
    """Every `sovits-launch …` the section shows, in code spans and code blocks, in order."""
    return [c.strip() for c in re.findall(r"(sovits-launch(?:\.exe)? [^`\n]+)", text)]


@pytest.mark.parametrize("lang", sorted(SECTIONS))
def test_the_readme_shows_the_path_in_order_and_only_real_verbs(lang):
    from launcher.cli import app
    import typer

    shown = commands(section(lang))
    positions = [shown.index(c) for c in PATH]  # each step is there, verbatim
    assert positions == sorted(positions)
    verbs = set(typer.main.get_command(app).commands)
    for command in shown:
        first = command.split()[1]
        assert first in verbs or first == README_NAME, command


@pytest.fixture
def package(tmp_path, monkeypatch, request):
    """The stand-in package, trained: its reference comes from the training outputs only."""
    weights = request.param
    pkg = build_standin_package(tmp_path / "GPT-SoVITS-v2pro-20250604", character=weights)
    shutil.rmtree(pkg.root / "参考音频")
    make_training(
        pkg.root,
        weights,
        [Clip(2.0, "嗯。"), Clip(6.0, "初次见面，我已经关注你很久了。"), Clip(9.0, "我叫纳西妲别看我像个孩子"), Clip(11.0, "太长。")],
    )
    site = next((pkg.root / "runtime" / "lib").glob("python*/site-packages"))
    (site / "torch").mkdir()
    (site / "torch" / "__init__.py").write_text(  # a CPU-only PyTorch, as on a machine without an NVIDIA GPU
        '__version__ = "2.1.2+cpu"\n'
        "class version:\n    cuda = None\n"
        "class cuda:\n    @staticmethod\n    def is_available():\n        return False\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.3")
    return pkg


def _argv(line: str, values: dict[str, str]) -> list[str]:
    for readme, real in values.items():
        line = line.replace(readme, real)
    words = shlex.split(line)
    assert words[0] == "sovits-launch"
    return [sys.executable, "-m", "launcher", *words[1:]]


def _run(line, values, cwd):
    done = subprocess.run(_argv(line, values), cwd=cwd, capture_output=True, timeout=120)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="the stand-in package has a runtime interpreter on POSIX only")
@pytest.mark.parametrize("package", ["纳西妲", "nahida"], indirect=True)
def test_the_path_on_the_standin_package(package, tmp_path, isolated_home):
    pkg = package
    xiaozhi_repo = tmp_path / "xiaozhi-esp32-server"
    server_dir = make_xiaozhi(xiaozhi_repo)
    values = {README_ROOT: str(pkg.root), README_XIAOZHI: str(xiaozhi_repo)}
    work = tmp_path / "我的文件夹"
    work.mkdir()

    # 2. init: one profile named after the weights, its reference chosen from the training clips.
    code, out, err = _run(PATH[0], values, work)
    assert code == 0, out + err
    name = re.search(r"sovits-launch (\S+) 启动", out).group(1)
    assert name == pkg.character
    values[README_NAME] = name
    assert "从训练素材（4 段）里选了" in out and "device: cpu、half: false" in out
    profile_file = isolated_home / "profiles" / f"{name}.yaml"
    profile = yaml.safe_load(profile_file.read_text(encoding="utf-8"))
    assert profile["prompt_text"] == "初次见面，我已经关注你很久了。"
    assert (profile["device"], profile["half"]) == ("cpu", False)
    # The one change a user's machine does not need: 9880 may be taken on a test machine.
    port = free_port()
    update_profile_file(profile_file, {"port": port}, backup=False)

    code, out, err = _run(PATH[1], values, work)
    assert code == 0 and name in out, out + err

    # 3. doctor: no failure, the device suits the machine.
    code, out, err = _run(PATH[2], values, work)
    assert code == 0 and "✗" not in out, out + err
    assert "设备 CPU" in out and "参考音频 6.00 秒" in out

    # 4. the start, in the foreground as in a double-clicked window.
    start = subprocess.Popen(_argv(PATH[3], values), cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = []
    threading.Thread(target=lambda: output.extend(start.stdout), daemon=True).start()
    text = lambda: b"".join(output).decode("utf-8", "replace")  # noqa: E731
    try:
        wait_for(lambda: "已就绪" in text() or start.poll() is not None, timeout=60, what="ready")
        assert "已就绪" in text(), text()
        for warning in NO_GPU_WARNINGS:
            assert warning not in text(), text()
        data = server_dir / "data" / ".config.yaml"
        wait_for(lambda: data.is_file() and f":{port}/" in data.read_text(encoding="utf-8"), what=f"xiaozhi block\n{text()}")

        # 5. say, from another window: xiaozhi's request, the answer saved where the user is.
        code, out, err = _run(PATH[4], values, work)
        assert code == 0, out + err
        with wave.open(str(work / f"{name}-say.wav")) as w:
            assert w.getnframes() > 0
    finally:
        start.send_signal(signal.SIGINT)
        try:
            start.wait(timeout=30)
        except subprocess.TimeoutExpired:
            start.kill()
            raise
    assert start.returncode != 0  # Ctrl+C
    wait_for(lambda: not gsv_api.port_accepts("127.0.0.1", port), what="port free")
