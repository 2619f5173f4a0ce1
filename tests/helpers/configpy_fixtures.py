"""config.py fixtures: one file per historical shape of upstream's config.py, and a package holding one.

The files are written for these tests (see tests/fixtures/configpy/README.md): each
reproduces the lines the patcher reads, edits or must refuse, around invented filler.
They use the standard library only, so a test can also run one and read its `Config`.
"""

from __future__ import annotations

import runpy
import warnings
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "configpy"


# Before upstream had sovits_path / gpt_path: both must be refused.
UNSUPPORTED = ["config-20240116.py", "config-20240119.py"]


UNSUPPORTED_UPSTREAM = UNSUPPORTED[-1]  # the last shape without them


SUPPORTED = sorted(p.name for p in FIXTURES.glob("config-*.py") if p.name not in UNSUPPORTED)


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


def config_defaults(config_py: Path) -> dict[str, object]:
    """Run a config.py as api.py imports it and return what its `Config()` hands on."""
    with warnings.catch_warnings():  # the newest shape has upstream's `"(\d+)"`: a SyntaxWarning on 3.12+
        warnings.simplefilter("ignore")
        namespace = runpy.run_path(str(config_py))
    config = namespace["Config"]()
    return {"sovits_path": config.sovits_path, "gpt_path": config.gpt_path}
