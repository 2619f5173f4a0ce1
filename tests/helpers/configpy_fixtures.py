"""config.py fixtures: one file per historical shape of upstream's config.py, and a package holding one."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "configpy"


SUPPORTED = sorted(p.name for p in FIXTURES.glob("config-*.py") if "18c3907" not in p.name)


UNSUPPORTED_UPSTREAM = "config-20240119-18c3907.py"  # before upstream had sovits_path / gpt_path


GPT = "GPT_weights_v2/纳西妲-e10.ckpt"


SOVITS = "SoVITS_weights_v2/纳西妲_e10_s400.pth"


WIN_SOVITS = r"D:\AI 模型\纳西妲 (v2)\纳西妲_e10_s400.pth"  # outside the root, backslashes, spaces, Chinese


WIN_GPT = "E:\\模型\\"[:-1] + "\\gpt's 纳西妲.ckpt"  # an apostrophe too


def package_with(tmp_path: Path, fixture: str, *, transform=None) -> Path:
    root = tmp_path / "GPT-SoVITS 整合包"
    root.mkdir(parents=True, exist_ok=True)
    data = (FIXTURES / fixture).read_bytes()
    (root / "config.py").write_bytes(transform(data) if transform else data)
    return root
