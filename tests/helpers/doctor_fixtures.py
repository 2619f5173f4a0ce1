"""Fixtures for the doctor tests: torch-like weight files, a fake package, fake interpreters.

The weight files are real zips with a `data.pkl` pickled the way torch does it
(protocol 2, `collections.OrderedDict`, tensors rebuilt by
`torch._utils._rebuild_tensor_v2` from persistent storage ids), so the
launcher's reader sees the same opcodes as in a real `.ckpt`/`.pth`; the
storages themselves are left out (nothing reads them).
"""

from __future__ import annotations

import io
import json
import os
import pickle
import stat
import subprocess
import sys
import zipfile
from collections import OrderedDict
from pathlib import Path

import pytest

from launcher.audio import write_wav
from launcher.doctor import report as doctor
from launcher.doctor.report import Options, run_doctor
from launcher.paths import layout, load_settings
from launcher.demo.fake_package import free_port

from helpers import FakePackage

HERE = __name__


def _rebuild_tensor_v2(*args):  # renamed to torch._utils._rebuild_tensor_v2 in the pickle
    raise AssertionError("never called")


class HalfStorage:  # renamed to torch.HalfStorage
    pass


class HParams:  # renamed to utils.HParams (SoVITS keeps its config in one)
    def __init__(self, **kw):
        self.__dict__.update(kw)


class _Tensor:
    def __init__(self, *shape: int):
        self.shape = shape

    def __reduce__(self):
        stride = tuple(int(x) for x in _strides(self.shape))
        return (_rebuild_tensor_v2, (_Storage(self.shape), 0, self.shape, stride, False, OrderedDict()))


class _Storage:
    def __init__(self, shape):
        self.numel = 1
        for s in shape:
            self.numel *= s


def _strides(shape):
    out, acc = [], 1
    for s in reversed(shape):
        out.append(acc)
        acc *= s
    return reversed(out)


class _TorchPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, _Storage):
            return ("storage", HalfStorage, "0", "cpu", obj.numel)
        return None


def torch_pickle(obj) -> bytes:
    buf = io.BytesIO()
    _TorchPickler(buf, protocol=2).dump(obj)
    data = buf.getvalue()
    for name, module in (("_rebuild_tensor_v2", "torch._utils"), ("HalfStorage", "torch"), ("HParams", "utils")):
        data = data.replace(f"c{HERE}\n{name}\n".encode(), f"c{module}\n{name}\n".encode())
    assert HERE.encode() not in data
    return data


def _torch_zip(path: Path, obj, archive: str = "archive") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr(f"{archive}/data.pkl", torch_pickle(obj))
        z.writestr(f"{archive}/version", "3\n")
        z.writestr(f"{archive}/data/0", b"\x00" * 64)
    return path


def write_gpt(path: Path, vocab: int = 732, epoch: int = 10) -> Path:
    """A GPT .ckpt as s1_train.py saves it: weight, config (phoneme_vocab_size), info."""
    obj = OrderedDict(
        weight=OrderedDict({"model.ar_text_embedding.word_embeddings.weight": _Tensor(vocab, 512)}),
        config={"model": {"phoneme_vocab_size": vocab, "embedding_dim": 512}, "data": {"max_sec": 54}},
        info=f"GPT-e{epoch}",
    )
    return _torch_zip(path, obj)


def write_sovits(path: Path, head: bytes = b"01", rows: int | None = 732, lora_rank: int | None = None) -> Path:
    """A SoVITS .pth as process_ckpt.savee saves it; `head` replaces the zip's "PK" (my_save2),
    b"PK" keeps a plain torch.save file. rows=None: no text embedding (v3/v4 models)."""
    weight = OrderedDict()
    if rows is not None:
        weight["enc_p.text_embedding.weight"] = _Tensor(rows, 192)
    weight["dec.conv_pre.weight"] = _Tensor(512, 192, 7)
    obj = {"weight": weight, "config": HParams(model={"version": "v2"}), "info": "10epoch_400iteration"}
    if lora_rank:
        obj["lora_rank"] = lora_rank
    _torch_zip(path, obj)
    if head != b"PK":
        data = path.read_bytes()
        path.write_bytes(head + data[2:])
    return path


# --- a fake package ----------------------------------------------------------------------

PROCESS_CKPT_2025_06 = 'head2version = {b"00": 1, b"01": 2, b"02": 3, b"03": 4, b"04": 5, b"05": 6, b"06": 7}\n'
PROCESS_CKPT_2024_08 = "def savee(ckpt, name, epoch, steps, hps):\n    pass\n"
JAPANESE_FIXED = 'if not (re.match(r"^[A-Za-z0-9_/\\\\:.\\-]*$", OPEN_JTALK_DICT_DIR)):\n    pass\n'
JAPANESE_OLD = "import pyopenjtalk\n"


def make_package(
    root: Path,
    *,
    character: str = "纳西妲",
    head: bytes = b"01",
    ref_seconds: float = 5.0,
    python: str | None = "real",
    process_ckpt: str = PROCESS_CKPT_2025_06,
    japanese: str = JAPANESE_FIXED,
    pretrained: bool = True,
    ffmpeg: bool = True,
) -> FakePackage:
    """A package tree: api scripts, GPT_SoVITS code markers, runtime, pretrained folders,
    one character's weights in the v2 folders and a 3-10 s reference."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "api.py").write_text("# fake\n", encoding="utf-8")
    (root / "api_v2.py").write_text("# fake\n", encoding="utf-8")
    text = root / "GPT_SoVITS" / "text"
    text.mkdir(parents=True, exist_ok=True)
    (text / "symbols2.py").write_text("symbols = []\n", encoding="utf-8")
    (text / "japanese.py").write_text(japanese, encoding="utf-8")
    (root / "GPT_SoVITS" / "process_ckpt.py").write_text(process_ckpt, encoding="utf-8")
    if pretrained:
        for rel in ("chinese-roberta-wwm-ext-large", "chinese-hubert-base"):
            d = root / "GPT_SoVITS" / "pretrained_models" / rel
            d.mkdir(parents=True, exist_ok=True)
            (d / "config.json").write_text("{}", encoding="utf-8")
    runtime = root / "runtime"
    runtime.mkdir(exist_ok=True)
    if ffmpeg:
        (runtime / "ffmpeg.exe").write_bytes(b"MZ")
    if python == "real":
        link_python(root, Path(sys.executable))
    elif python is not None:
        fake_python(root, python)
    gpt = write_gpt(root / "GPT_weights_v2" / f"{character}-e10.ckpt")
    sovits = write_sovits(root / "SoVITS_weights_v2" / f"{character}_e10_s400.pth", head)
    ref = write_wav(root / "参考音频" / character / "初次见面.wav", ref_seconds)
    return FakePackage(root, gpt, sovits, ref)


def link_python(root: Path, target: Path) -> Path:
    link = root / "runtime" / "bin" / "python"
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        link.symlink_to(target)
    return link


def fake_python(root: Path, answer: dict | str, sleep: float = 0.0) -> Path:
    """A POSIX `runtime/bin/python` that answers the torch probe with `answer` (a dict as
    the probe's JSON, or a raw shell body), and counts its runs in `calls.txt`."""
    script = root / "runtime" / "bin" / "python"
    script.parent.mkdir(parents=True, exist_ok=True)
    if script.is_symlink() or script.exists():
        script.unlink()  # never write through a symlink to a real interpreter
    calls = root / "runtime" / "calls.txt"
    if isinstance(answer, dict):
        body = "echo 'SOVITS_LAUNCH_PROBE " + json.dumps(answer) + "'"
    else:
        body = answer
    script.write_text(
        f"#!/bin/sh\necho run >> '{calls}'\n" + (f"sleep {sleep}\n" if sleep else "") + body + "\n", encoding="utf-8"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return script


def gpu_answer(name: str = "NVIDIA GeForce RTX 3060", capability=(8, 6), gb: float = 12.0) -> dict:
    return {
        "python": "3.9.13",
        "torch": "2.1.2+cu121",
        "cuda_build": "12.1",
        "cuda_available": True,
        "devices": [{"index": 0, "name": name, "capability": list(capability), "memory_bytes": int(gb * 1024**3)}],
        "error": None,
    }


CPU_ANSWER = {
    "python": "3.9.13",
    "torch": "2.1.2+cpu",
    "cuda_build": None,
    "cuda_available": False,
    "devices": [],
    "error": None,
}


def write_profile(home: Path, name: str, **fields) -> Path:
    """A profile file from plain fields (`helpers.write_profile` takes the text)."""
    import yaml

    import helpers

    return helpers.write_profile(home, name, yaml.safe_dump({"name": name, **fields}, allow_unicode=True, sort_keys=False))


def nahida(home: Path, pkg: FakePackage, **overrides) -> Path:
    """纳西妲's profile (the root comes from settings), on a free port."""
    import helpers

    fields = {"port": free_port(), **overrides}
    return helpers.write_profile(home, "nahida", helpers.nahida_yaml(fields.pop("root", None), **fields))


def remember(home: Path, root: Path, **extra) -> None:
    import yaml

    data = {"gsv_root": str(root), **extra}
    (home / "settings.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


class ForeignListener:
    """A port held by a process that is not ours: a plain socket listener in a subprocess."""

    CODE = (
        "import socket, sys, time\n"
        "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(5)\n"
        "print(s.getsockname()[1], flush=True)\n"
        "time.sleep(120)\n"
    )

    def __init__(self, script_name: str | None = None, tmp: Path | None = None):
        argv = [sys.executable, "-c", self.CODE]
        if script_name:
            assert tmp is not None
            script = tmp / script_name
            script.write_text(self.CODE, encoding="utf-8")
            argv = [sys.executable, str(script)]
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# --- running doctor in a test ----------------------------------------------------------------

posix_only = pytest.mark.skipif(os.name == "nt", reason="fake interpreters are shell scripts")
NO_PROBE = Options(probe=False, windows=False)
PROBE = Options(probe=True, windows=False, probe_timeout=20)


@pytest.fixture(autouse=True)
def plenty_of_disk(monkeypatch):
    """Every doctor test runs on a roomy disk unless it says otherwise."""
    monkeypatch.setattr(doctor, "free_bytes", lambda path: 50 * 1024**3)


@pytest.fixture
def pkg(tmp_path, isolated_home):
    p = make_package(tmp_path / "GPT-SoVITS-v2pro-20250604")
    remember(isolated_home, p.root)
    return p


def checks(report, kind=None, subject=None) -> dict[str, tuple[str, str]]:
    out = {}
    for s in report.sections:
        if (kind is None or s.kind == kind) and (subject is None or s.subject == subject):
            for c in s.checks:
                out[c.id] = (c.status, c.key)
    return out


def check(report, id_, subject=None):
    for s in report.sections:
        if subject is None or s.subject == subject:
            for c in s.checks:
                if c.id == id_:
                    return c
    raise AssertionError(f"no check {id_}")


def doctor_now(options=NO_PROBE, profile=None):
    return run_doctor(layout(), load_settings(), profile=profile, options=options)
