"""Test helpers: a minimal fake GPT-SoVITS package tree and a CLI runner."""

from __future__ import annotations

import json
import os
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from launcher.audio import write_wav


def write_pth(path: Path, head: bytes = b"01") -> Path:
    """A tiny SoVITS file: a whole torch-style zip whose first two bytes carry the version,
    as upstream's my_save2 writes it."""
    write_ckpt(path)
    path.write_bytes(head + path.read_bytes()[2:])
    return path


def write_ckpt(path: Path) -> Path:
    """A tiny torch-style checkpoint (a zip archive)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("archive/data.pkl", b"\x80\x02}q\x00.")
    return path


@dataclass
class FakePackage:
    root: Path
    gpt: Path
    sovits: Path
    ref: Path


def make_package(root: Path, *, character: str = "纳西妲", ref_seconds: float = 5.0, head: bytes = b"01") -> FakePackage:
    """api.py, api_v2.py, GPT_SoVITS/, runtime interpreter, one character's weights and a reference."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "api.py").write_text("# fake\n", encoding="utf-8")
    (root / "api_v2.py").write_text("# fake\n", encoding="utf-8")
    (root / "GPT_SoVITS" / "configs").mkdir(parents=True, exist_ok=True)
    runtime = root / "runtime"
    runtime.mkdir(exist_ok=True)
    if os.name == "nt":
        (runtime / "python.exe").write_bytes(b"MZ")
    else:
        (runtime / "bin").mkdir(exist_ok=True)
        link = runtime / "bin" / "python"
        if not link.exists():
            link.symlink_to(sys.executable)
    gpt = write_ckpt(root / "GPT_weights_v2" / f"{character}-e10.ckpt")
    sovits = write_pth(root / "SoVITS_weights_v2" / f"{character}_e10_s400.pth", head)
    ref = root / "参考音频" / character / "初次见面.wav"
    ref.parent.mkdir(parents=True, exist_ok=True)
    write_wav(ref, ref_seconds)
    return FakePackage(root, gpt, sovits, ref)


def write_profile(home: Path, name: str, text: str) -> Path:
    folder = home / "profiles"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def nahida_yaml(root: Path | None, **overrides) -> str:
    fields = {
        "name": "nahida",
        "display_name": "纳西妲",
        "api": "v2",
        "gpt": "GPT_weights_v2/纳西妲-e10.ckpt",
        "sovits": "SoVITS_weights_v2/纳西妲_e10_s400.pth",
        "ref_audio": "参考音频/纳西妲/初次见面.wav",
        "prompt_text": "初次见面，我已经关注你很久了。",
        "prompt_lang": "zh",
        "text_lang": "zh",
        "root": str(root) if root else None,
    }
    fields.update(overrides)
    import yaml

    return yaml.safe_dump({k: v for k, v in fields.items() if v is not None}, allow_unicode=True, sort_keys=False)


def run_cli(capsys, *args: str):
    """Run the CLI in-process; returns (exit_code, stdout, stderr)."""
    from launcher.cli import run

    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def wait_for(predicate, timeout=20.0, interval=0.05, what="condition"):
    """Poll until `predicate()` is truthy (and return it); fail the test at the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def snapshot(*folders: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder under the given folders."""
    out: dict[str, bytes | None] = {}
    for folder in folders:
        if folder.exists():
            for p in sorted(folder.rglob("*")):
                if p.is_symlink():  # recorded as a link: never followed out of the folder
                    out[str(p)] = b"-> " + str(p.readlink()).encode()
                else:
                    out[str(p)] = p.read_bytes() if p.is_file() else None
    return out


def read_events(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def standin_yaml(pkg, port: int, **overrides) -> str:
    """A profile for the stand-in package's character on `port`, on the CPU."""
    return nahida_yaml(pkg.root, gpt=str(pkg.gpt), sovits=str(pkg.sovits), ref_audio=str(pkg.ref_audio),
                       prompt_text=pkg.prompt_text, port=port, device="cpu", **overrides)


def python_args(pkg) -> list:
    """`--python` where the stand-in package has no runtime interpreter of its own (Windows)."""
    return [] if pkg.python else ["--python", sys.executable]
