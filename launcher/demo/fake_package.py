"""A fake GPT-SoVITS 整合包 served by the stand-in servers, for `sovits-launch demo` and the tests.

`build_standin_package(root)` lays out what the launcher looks for in a real package:
`api.py` and `api_v2.py` with the modules they share (`launcher/demo/standin/*.py`, copied
verbatim: they import each other from the package root, which upstream puts on sys.path),
`config.py`, `GPT_SoVITS/configs/tts_infer.yaml`, the pretrained models upstream falls
back to, one character's weights and reference audio, and a `runtime` interpreter.

Interpreter: the launcher looks for `runtime/python.exe` (Windows 整合包), then
`runtime/python`, then `runtime/bin/python`. On POSIX the fake package gets
`runtime/bin/python`, a symlink to the Python running this code, inside a minimal venv
(`runtime/pyvenv.cfg`) whose site-packages links this Python's PyYAML (the stand-ins need
nothing else but the standard library). From the one-file executable the symlink points
at the executable, which runs `exe api_v2.py ...` itself (`launcher/cli/app.py`) with
PyYAML built in. On Windows no interpreter is made (`StandinPackage.python is None`):
callers pass `--python sys.executable`.

Only the standard library and PyYAML are used here. The stand-in modules are copied as
files, never imported by the launcher (the PyInstaller build ships them as data: launcher.spec).
"""

from __future__ import annotations

import io
import json
import math
import os
import pickle
import socket
import struct
import sys
import wave
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

# Upstream names (RVC-Boss/GPT-SoVITS config.py / TTS_Config.default_configs, commit 48b1a01).
WEIGHT_FOLDERS = (
    "GPT_weights", "GPT_weights_v2", "GPT_weights_v3", "GPT_weights_v4", "GPT_weights_v2Pro", "GPT_weights_v2ProPlus",
    "SoVITS_weights", "SoVITS_weights_v2", "SoVITS_weights_v3", "SoVITS_weights_v4", "SoVITS_weights_v2Pro",
    "SoVITS_weights_v2ProPlus",
)
# process_ckpt.py head2version: the 2-byte head of a SoVITS .pth that is not a plain zip.
SOVITS_HEADS = {"v1": b"00", "v2": b"01", "v3": b"02", "v3lora": b"03", "v4lora": b"04", "v2Pro": b"05", "v2ProPlus": b"06"}

# Heads that give the pretrained SoVITS files the version upstream finds for the real ones
# (from the md5 of their first 8 KB, then the weights): s2Gv4 is a plain zip. Releases
# before 20250422v4 torch.load them as they are: there every SoVITS file is a plain zip.
PRETRAINED_SOVITS_HEADS = {
    "s2G488k.pth": "v1",
    "s2G2333k.pth": "v2",
    "s2Gv3.pth": "v3",
    "s2Gv4.pth": "zip",
    "s2Gv2Pro.pth": "v2Pro",
    "s2Gv2ProPlus.pth": "v2ProPlus",
}
SHARED_MODELS = ("chinese-roberta-wwm-ext-large/", "chinese-hubert-base/")  # every release, both servers
SUPER_SAMPLING_MODEL = "tools/AP_BWE_main/24kto48k/g_24kto48k.zip"

MODELS = "GPT_SoVITS/pretrained_models/"
# The pretrained weights each version falls back to (GPT, SoVITS), as the package ships them.
PRESETS = {
    "v1": ("s1bert25hz-2kh-longer-epoch=68e-step=50232.ckpt", "s2G488k.pth"),
    "v2": ("gsv-v2final-pretrained/s1bert25hz-5kh-longer-epoch=12-step=369668.ckpt", "gsv-v2final-pretrained/s2G2333k.pth"),
    "v3": ("s1v3.ckpt", "s2Gv3.pth"),
    "v4": ("s1v3.ckpt", "gsv-v4-pretrained/s2Gv4.pth"),
    "v2Pro": ("s1v3.ckpt", "v2Pro/s2Gv2Pro.pth"),
    "v2ProPlus": ("s1v3.ckpt", "v2Pro/s2Gv2ProPlus.pth"),
}


def tts_infer_yaml() -> str:
    """GPT_SoVITS/configs/tts_infer.yaml as a package ships it: a preset per version on the
    CPU, and `custom:` (what api_v2.py loads by default) with the v2 weights on CUDA, fp16."""
    import yaml

    def section(version: str, device: str, half: bool) -> dict:
        gpt, sovits = PRESETS[version]
        return {
            "bert_base_path": MODELS + "chinese-roberta-wwm-ext-large",
            "cnhuhbert_base_path": MODELS + "chinese-hubert-base",
            "device": device,
            "is_half": half,
            "t2s_weights_path": MODELS + gpt,
            "version": version,
            "vits_weights_path": MODELS + sovits,
        }

    data = {"custom": section("v2", "cuda", True)}
    data.update({version: section(version, "cpu", False) for version in PRESETS})
    return yaml.dump(data)


# A config.py of the same shape as a package's: the settings api.py reads from `Config()`
# (the default weights, which `sovits-launch patch-config` edits, the pretrained fallbacks,
# the base model of each version, the port), written for the demo. The GPU detection of a
# real one (torch) is left out: the stand-ins always run on the CPU.
CONFIG_PY = """\
# config.py of the sovits-launch demo package (a stand-in GPT-SoVITS 整合包).
import os
import sys

# Base model of each model version: the fallback, and what a v3/v4 LoRA is loaded onto.
pretrained_sovits_name = {
    "v1": "%(v1)s",
    "v2": "%(v2)s",
    "v3": "%(v3)s",
    "v4": "%(v4)s",
    "v2Pro": "%(v2Pro)s",
    "v2ProPlus": "%(v2ProPlus)s",
}

# Weights api.py loads when no -s / -g is given (empty: the pretrained ones below).
sovits_path = ""
gpt_path = ""

pretrained_sovits_path = "%(v1)s"
pretrained_gpt_path = "%(v1_gpt)s"
bert_path = "GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large"
cnhubert_path = "GPT_SoVITS/pretrained_models/chinese-hubert-base"

half_from_env = os.environ.get("is_half", "True").lower() == "true"
api_port = 9880

# A real package asks torch which GPU to use and whether it takes fp16; the demo has none.
infer_device = "cpu"
is_half = False


class Config:  # what api.py instantiates: the settings above, as attributes

    def __init__(self):
        self.sovits_path = sovits_path
        self.gpt_path = gpt_path
        for name in ("is_half", "infer_device", "api_port", "bert_path", "cnhubert_path",
                     "pretrained_sovits_path", "pretrained_gpt_path", "pretrained_sovits_name"):
            setattr(self, name, globals()[name])
        self.python_exec = sys.executable or "python"
""" % dict({v: MODELS + sovits for v, (_gpt, sovits) in PRESETS.items()}, v1_gpt=MODELS + PRESETS["v1"][0])


DEFAULT_PROMPTS = {
    "纳西妲": "初次见面，我已经关注你很久了。我叫纳西妲，别看我像个孩子，我比任何一位大人都了解这个世界。",
}


@dataclass
class StandinPackage:
    """What `build_standin_package` made. Paths are absolute; `rel` gives them relative to root."""

    root: Path
    python: Path | None  # runtime interpreter (None on Windows: pass sys.executable)
    character: str
    gpt: Path
    sovits: Path
    ref_audio: Path
    prompt_text: str
    prompt_lang: str = "zh"
    text_lang: str = "zh"
    api_v1: Path = field(init=False)
    api_v2: Path = field(init=False)
    config_py: Path = field(init=False)
    tts_infer_yaml: Path = field(init=False)
    load_seconds: float | None = None
    release: str = "main"

    def __post_init__(self) -> None:
        self.api_v1 = self.root / "api.py"
        self.api_v2 = self.root / "api_v2.py"
        self.config_py = self.root / "config.py"
        self.tts_infer_yaml = self.root / "GPT_SoVITS" / "configs" / "tts_infer.yaml"

    def rel(self, path: Path) -> str:
        """`path` relative to the package root, with forward slashes (as upstream writes them)."""
        return Path(path).relative_to(self.root).as_posix()

    def interpreter(self) -> str:
        return str(self.python) if self.python else sys.executable

    def command(self, flavor: str, *args: str) -> list:
        """argv for one stand-in server: `[python, "api_v2.py", *args]` (run it with cwd=root)."""
        script = "api.py" if flavor == "v1" else "api_v2.py"
        return [self.interpreter(), script, *args]

    def env(
        self,
        base: dict | None = None,
        *,
        load_seconds: float | None = None,
        request_log: Path | None = None,
        lang: str | None = None,
    ) -> dict:
        """Environment for a stand-in child: unbuffered UTF-8 output, stand-in knobs set."""
        env = dict(os.environ if base is None else base)
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONIOENCODING"] = "utf-8"
        seconds = self.load_seconds if load_seconds is None else load_seconds
        if seconds is not None:
            env["STANDIN_LOAD_SECONDS"] = str(seconds)
        if request_log is not None:
            env["STANDIN_REQUEST_LOG"] = str(request_log)
        if lang is not None:
            env.pop("language", None)
            env["LC_ALL"] = "zh_CN.UTF-8" if lang.startswith("zh") else "en_US.UTF-8"
        return env


# The stand-in servers' files, copied into the package root under the same names.
# The stand-in servers' modules, copied verbatim into the package root under the same names;
# api.py and api_v2.py are written per release (launcher/demo/releases.py).
STANDIN_FILES = (
    "standin_api.py", "standin_api_v2.py", "standin_common.py", "standin_fastapi.py", "standin_release.py",
    "standin_tts.py", "standin_uvicorn.py",
)


def standin_dir() -> Path:
    """The folder holding the stand-in servers' source (launcher/demo/standin)."""
    here = Path(__file__).with_name("standin")
    frozen_dir = getattr(sys, "_MEIPASS", None)  # PyInstaller: shipped as data
    if not here.is_dir() and frozen_dir:
        return Path(frozen_dir) / "launcher" / "demo" / "standin"
    return here


def write_standin_files(root: Path) -> None:
    source = standin_dir()
    for name in STANDIN_FILES:
        (root / name).write_bytes((source / name).read_bytes())


def make_runtime(root: Path) -> Path | None:
    """`runtime/bin/python` (POSIX), in a venv that sees this Python's PyYAML; None on Windows."""
    (root / "runtime").mkdir(exist_ok=True)
    if os.name == "nt":
        return None
    link = root / "runtime" / "bin" / "python"
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink()
    target = Path(sys.executable).resolve()
    link.symlink_to(target)
    if not getattr(sys, "frozen", False):  # the one-file executable has PyYAML inside
        _venv_with_yaml(root / "runtime", target)
    return link


def _venv_with_yaml(runtime: Path, base_python: Path) -> None:
    """pyvenv.cfg makes `runtime/bin/python` a venv of `base_python`; its site-packages gets
    a link to the PyYAML this code runs with (a base interpreter may have none)."""
    import yaml

    version = "%d.%d" % sys.version_info[:2]
    (runtime / "pyvenv.cfg").write_text(
        f"home = {base_python.parent}\ninclude-system-site-packages = false\nversion = {version}\n", encoding="utf-8"
    )
    site = runtime / "lib" / f"python{version}" / "site-packages"
    site.mkdir(parents=True, exist_ok=True)
    link = site / "yaml"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(Path(yaml.__file__).resolve().parent, target_is_directory=True)


def write_wav(path: Path, seconds: float, rate: int = 32000, *, channels: int = 1, freq: float = 220.0) -> Path:
    """A 16-bit PCM WAV of exactly round(seconds * rate) frames: a quiet sine tone."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = int(round(seconds * rate))
    amp = 0.2 * 32767
    step = 2 * math.pi * freq / rate
    one = [int(amp * math.sin(step * n)) for n in range(frames)]
    if channels == 1:
        data = struct.pack("<%dh" % frames, *one)
    else:
        data = struct.pack("<%dh" % (frames * channels), *[s for s in one for _ in range(channels)])
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data)
    return path


def wav_duration(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def fake_checkpoint(info: str) -> bytes:
    """A tiny zip laid out like a torch.save file (archive/data.pkl, version, byteorder)."""
    buf = io.BytesIO()
    payload = pickle.dumps({"info": info, "config": {"data": {"max_sec": 54}}, "weight": {}}, protocol=2)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("archive/data.pkl", payload)
        zf.writestr("archive/byteorder", "little")
        zf.writestr("archive/version", "3\n")
    return buf.getvalue()


def fake_sovits(info: str, version: str = "v2") -> bytes:
    """A SoVITS .pth whose 2-byte head makes upstream's fast detection say `version`.

    Upstream `get_sovits_version_from_path_fast` maps b"01" to v2 (and "05"/"06" to
    v2Pro/v2ProPlus, "03"/"04" to v3/v4 LoRA); `load_sovits_new` puts "PK" back before
    torch.load. A plain "PK" file would be judged by its size (< 81 MB = v1).
    """
    data = fake_checkpoint(info)
    if version == "zip":
        return data
    return SOVITS_HEADS[version] + data[2:]


def build_standin_package(
    root: Path,
    *,
    character: str = "纳西妲",
    load_seconds: float | None = None,
    prompt_text: str | None = None,
    ref_seconds: float = 5.0,
    pretrained: bool = True,
    runtime: bool = True,
    release: str | None = None,
    super_sampling_model: bool = False,
) -> StandinPackage:
    """Create a fake GPT-SoVITS 整合包 at `root` (created if needed; existing files are replaced).

    `release` (launcher/demo/releases.py, default main) decides what its servers load, the
    request fields they read, the answers without audio they give and the pretrained models
    it ships. `pretrained=False` leaves out the pretrained models (to see upstream's
    failures when they are missing); `runtime=False` leaves out `runtime/`;
    `super_sampling_model` adds the 24 -> 48 kHz model v3 super-sampling needs.
    """
    from launcher.demo import releases

    chosen = releases.get(release)
    root = Path(root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    write_release_files(root, chosen)
    (root / "config.py").write_bytes(CONFIG_PY.encode("utf-8"))
    configs = root / "GPT_SoVITS" / "configs"
    configs.mkdir(parents=True, exist_ok=True)
    (configs / "tts_infer.yaml").write_bytes(tts_infer_yaml().encode("utf-8"))
    (root / "GPT_SoVITS" / "text").mkdir(parents=True, exist_ok=True)
    (root / "GPT_SoVITS" / "text" / "symbols2.py").write_text(
        "# stand-in: v2 symbol table present (packages since 2024-08)\n", encoding="utf-8"
    )
    (root / "GPT_SoVITS" / "pretrained_models").mkdir(parents=True, exist_ok=True)
    if pretrained:
        write_pretrained(root, SHARED_MODELS + chosen.assets, plain_zips=chosen.heads is None)
    if super_sampling_model:
        (root / SUPER_SAMPLING_MODEL).parent.mkdir(parents=True, exist_ok=True)
        (root / SUPER_SAMPLING_MODEL).write_bytes(fake_checkpoint("g_24kto48k"))
    for rel in WEIGHT_FOLDERS:
        (root / rel).mkdir(exist_ok=True)

    gpt, sovits = add_character(root, character, "v2", release=chosen.name)
    ref_audio = write_wav(root / "参考音频" / character / "初次见面.wav", ref_seconds)

    python = make_runtime(root) if runtime else None
    text = prompt_text if prompt_text is not None else DEFAULT_PROMPTS.get(character, f"你好，我是{character}。")
    return StandinPackage(
        root=root,
        python=python,
        character=character,
        gpt=gpt,
        sovits=sovits,
        ref_audio=ref_audio,
        prompt_text=text,
        load_seconds=load_seconds,
        release=chosen.name,
    )


def write_release_files(root: Path, release) -> None:
    """The stand-in modules, then what makes the package one release: api.py, api_v2.py, the
    marker files a reader of upstream's code looks at, and standin_release.json."""
    from launcher.demo import releases

    write_standin_files(root)
    (root / "api.py").write_text(releases.api_py_source(release), encoding="utf-8")
    (root / "api_v2.py").write_text(releases.api_v2_source(release), encoding="utf-8")
    (root / "standin_release.json").write_text(releases.release_json(release), encoding="utf-8")
    tts = root / "GPT_SoVITS" / "TTS_infer_pack" / "TTS.py"
    tts.parent.mkdir(parents=True, exist_ok=True)
    tts.write_text(releases.tts_py_marker(release), encoding="utf-8")
    (root / "GPT_SoVITS" / "process_ckpt.py").write_text(releases.process_ckpt_marker(release), encoding="utf-8")


def write_pretrained(root: Path, assets: tuple, *, plain_zips: bool) -> None:
    """Fake pretrained models: a folder for a name ending in "/", else a checkpoint file."""
    models = root / "GPT_SoVITS" / "pretrained_models"
    for rel in assets:
        target = models / rel
        if rel.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
            (target / "config.json").write_text("{}\n", encoding="utf-8")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        head = PRETRAINED_SOVITS_HEADS.get(target.name)
        if head is None:
            target.write_bytes(fake_checkpoint(target.stem))
        else:
            target.write_bytes(fake_sovits(target.stem, "zip" if plain_zips else head))


# Where training puts each version's weights, and the head its SoVITS file gets here.
CHARACTER_FOLDERS = {
    "v1": ("GPT_weights", "SoVITS_weights", "v1"),
    "v2": ("GPT_weights_v2", "SoVITS_weights_v2", "v2"),
    "v3": ("GPT_weights_v3", "SoVITS_weights_v3", "v3lora"),
    "v4": ("GPT_weights_v4", "SoVITS_weights_v4", "v4lora"),
    "v2Pro": ("GPT_weights_v2Pro", "SoVITS_weights_v2Pro", "v2Pro"),
    "v2ProPlus": ("GPT_weights_v2ProPlus", "SoVITS_weights_v2ProPlus", "v2ProPlus"),
}


def add_character(root: Path, name: str, version: str, *, release: str | None = None) -> tuple[Path, Path]:
    """A trained character's GPT and SoVITS files in the folders of `version` (v3/v4: a LoRA).

    A release that torch.loads SoVITS files as they are (before 20250422v4) gets a plain
    zip for v1/v2, as its training wrote them; other versions keep their head, which such
    a release cannot read.
    """
    from launcher.demo import releases

    gpt_dir, sovits_dir, head = CHARACTER_FOLDERS[version]
    if version in ("v1", "v2") and releases.get(release).heads is None:
        head = "zip"
    gpt = Path(root) / gpt_dir / f"{name}-e10.ckpt"
    sovits = Path(root) / sovits_dir / (f"{name}_e10_s400" + ("_l32.pth" if head.endswith("lora") else ".pth"))
    gpt.parent.mkdir(parents=True, exist_ok=True)
    sovits.parent.mkdir(parents=True, exist_ok=True)
    gpt.write_bytes(fake_checkpoint(f"{name}-e10"))
    sovits.write_bytes(fake_sovits(sovits.stem, head))
    return gpt, sovits


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def read_request_log(path: Path) -> list:
    """The JSON lines a stand-in appended to STANDIN_REQUEST_LOG (missing file -> [])."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in text.splitlines() if line.strip()]
