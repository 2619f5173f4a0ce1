"""Lines that end in an address keep the address whole in a narrow terminal."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console

from launcher import ui

URL = "http://127.0.0.1:9880/tts"
READY = "✓ 纳西妲 已就绪，可以用了（api_v2.py，加载 1.1 秒，预热 0.2 秒）：" + URL


def _console(width: int, terminal: bool = True) -> Console:
    return Console(file=io.StringIO(), width=width, force_terminal=terminal, soft_wrap=True)


def test_a_line_too_wide_for_the_terminal_puts_its_address_on_the_next_line():
    assert cell_len(READY) > 80
    head, tail = ui.whole_address(READY, _console(80)).split("\n")
    assert tail == "  " + URL and head.endswith("预热 0.2 秒）：")
    assert cell_len(head) <= 80


def test_a_line_that_fits_is_left_alone():
    assert ui.whole_address(READY, _console(120)) == READY
    assert ui.whole_address("已保存：" + URL, _console(80)) == "已保存：" + URL


def test_output_that_is_not_a_terminal_is_left_alone():
    """Piped or redirected output keeps one line per message, for scripts and logs."""
    assert ui.whole_address(READY, _console(80, terminal=False)) == READY


def test_an_address_wider_than_the_terminal_is_not_moved():
    long_url = "http://127.0.0.1:9880/" + "a" * 100
    text = "就绪：" + long_url
    assert ui.whole_address(text, _console(80)) == text


def test_an_address_inside_a_sentence_is_not_taken_for_the_tail():
    text = "连接 " + URL + " 失败，" + "请检查防火墙设置。" * 6
    assert ui.whole_address(text, _console(80)) == text
