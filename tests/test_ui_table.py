"""ui.table prints small plain tables itself (rich's layout is slow for `list`):
the text must be exactly what the rich Table it replaces prints."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text

from launcher import ui


def _rich(columns, rows, width):
    buf = io.StringIO()
    console = Console(file=buf, highlight=False, soft_wrap=True, width=width, no_color=True)
    t = Table(show_edge=False, box=None, pad_edge=False, header_style="bold")
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*[Text("" if v is None else str(v)) for v in r])
    console.print(t)
    return buf.getvalue()


def _ours(columns, rows, width, monkeypatch):
    buf = io.StringIO()
    console = Console(file=buf, highlight=False, soft_wrap=True, width=width, no_color=True)
    monkeypatch.setattr(ui, "out", lambda: console)
    ui.table(columns, rows)
    return buf.getvalue()


CELL = st.lists(
    st.sampled_from(list("abcXYZ019 -_.:/\\()[]✓✗—纳西妲刻晴端口") + ["\t", "\n", ":smile:", "[bold]", "[/]"]),
    max_size=12,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    columns=st.lists(st.text(alphabet="ABC名字 ", min_size=1, max_size=6), min_size=1, max_size=5),
    rows=st.lists(st.lists(st.one_of(CELL, st.none(), st.integers(0, 70000)), min_size=1, max_size=5), max_size=6),
    width=st.integers(20, 120),
)
def test_same_text_as_rich(columns, rows, width):
    rows = [(r + [""] * len(columns))[: len(columns)] for r in rows]
    mp = pytest.MonkeyPatch()
    try:
        assert _ours(columns, rows, width, mp) == _rich(columns, rows, width)
    finally:
        mp.undo()


def test_list_like_table_takes_the_fast_path(monkeypatch):
    columns = ["角色", "显示名", "API", "端口", "版本", "GPT", "SoVITS", "参考音频", "运行中"]
    rows = [[f"char{i:02d}", f"角色{i:02d}", "v2", 9880 + i, "v2", "✓", "✓", "5.0s ✓", "-"] for i in range(50)]
    import rich.table

    monkeypatch.setattr(rich.table, "Table", None)  # the rich path would fail
    text = _ours(columns, rows, 120, monkeypatch)
    assert text == _rich(columns, rows, 120)
    assert text.splitlines()[1].startswith("char00  角色00  v2   9880  v2 ")


def test_too_wide_falls_back_to_rich(monkeypatch):
    columns = ["name", "path"]
    rows = [["nahida", "D:/" + "很长的路径/" * 20]]
    assert _ours(columns, rows, 60, monkeypatch) == _rich(columns, rows, 60)


# --- fitting the terminal ------------------------------------------------------------------


def test_shorten_middle_keeps_both_ends_within_the_width():
    from rich.cells import cell_len

    text = "D:/GPT-SoVITS-v2pro-20250604/日志/很长的文件夹/port-9880.log"
    for width in range(1, len(text) + 5):
        short = ui.shorten_middle(text, width)
        assert cell_len(short) <= width
        if cell_len(text) > width >= 3:
            assert short.startswith("D") and short.endswith("g") and "…" in short


def test_shorten_path_keeps_the_file_name_whole():
    path = "/home/张三/.local/state/sovits-launch/logs/port-9880.log"
    assert ui.shorten_path(path, 30).endswith("/port-9880.log") and "…" in ui.shorten_path(path, 30)
    assert ui.shorten_path(path, 200) == path


@pytest.mark.parametrize("width", [80, 120])
def test_a_status_like_table_fits_with_paths_shortened_and_addresses_whole(width, monkeypatch):
    from rich.cells import cell_len

    columns = ["角色", "接口", "地址", "状态", "内存", "PID", "日志"]
    rows = [["纳西妲 (nahida)", "api_v2.py", f"127.0.0.1:{9880 + i}", "就绪 1h02m", "2345 MB", 123456,
             "C:/Users/张三/AppData/Local/sovits-launch/sovits-launch/state/logs/port-9880.log"] for i in range(3)]
    text = _ours_with(columns, rows, width, monkeypatch, paths=(6,), nowrap=(2,), optional=(5, 4))
    lines = text.splitlines()
    assert len(lines) == 4 and all(cell_len(line) <= width for line in lines)
    assert all(f"127.0.0.1:{9880 + i}" in lines[i + 1] for i in range(3))
    assert all(line.rstrip().endswith("port-9880.log") for line in lines[1:])
    assert ("PID" in lines[0]) == (width == 120)  # left out first when the table would not fit


def _ours_with(columns, rows, width, monkeypatch, **options):
    buf = io.StringIO()
    console = Console(file=buf, highlight=False, soft_wrap=True, width=width, no_color=True)
    monkeypatch.setattr(ui, "out", lambda: console)
    ui.table(columns, rows, **options)
    return buf.getvalue()


def test_carriage_returns_keep_the_last_state_of_a_progress_bar():
    assert ui.last_state("  0%|  | 0/9\r 50%|# | 4/9\r100%|##| 9/9") == "100%|##| 9/9"
    assert ui.last_state("plain line") == "plain line"
    assert ui.last_state("done\r") == "done"
