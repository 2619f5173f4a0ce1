"""`list` in a terminal narrower than its package line: one line per server script,
nothing cut by the terminal in the middle of a word."""

from __future__ import annotations

import io
import re

import pytest
from rich.cells import cell_len
from rich.console import Console

from helpers import run_cli, standin_yaml, write_profile
from helpers.doctor_fixtures import remember
from launcher import ui
from launcher.demo.fake_package import build_standin_package, free_port

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def terminal(monkeypatch):
    """The launcher's output as a terminal of a given width shows it."""
    def make(width: int) -> io.StringIO:
        screen = io.StringIO()
        console = Console(file=screen, force_terminal=True, no_color=True, width=width, highlight=False,
                          soft_wrap=True, emoji=False)
        monkeypatch.setattr(ui, "out", lambda: console)
        return screen
    return make


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_list_package_line_splits_rather_than_wraps(tmp_path, isolated_home, terminal, capsys, lang):
    pkg = build_standin_package(tmp_path / "GPT-SoVITS 整合包")
    remember(isolated_home, pkg.root)
    write_profile(isolated_home, "nahida", standin_yaml(pkg, free_port()))
    args = ["list"] if lang == "zh" else ["--lang", "en", "list"]

    wide = terminal(200)
    assert run_cli(capsys, *args)[0] == 0
    one = [line for line in wide.getvalue().splitlines() if "api_v2.py: " in line]
    assert len(one) == 1 and "api.py: " in one[0] and " · " in one[0]

    narrow = terminal(80)
    assert run_cli(capsys, *args)[0] == 0
    lines = [ANSI.sub("", line) for line in narrow.getvalue().splitlines()]
    assert all(cell_len(line) <= 80 for line in lines), lines
    # The folder (longer here than the terminal) is shortened in the middle, its name kept.
    at = next(i for i, line in enumerate(lines) if "GPT-SoVITS 整合包" in line and "…" in line)
    assert lines[at].endswith(("：", ":")) and lines[at + 1].startswith("  api.py: ")
    assert lines[at + 2].startswith("  api_v2.py: ")

