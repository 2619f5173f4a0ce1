"""The byte checker every .bat passes before it is written, and the repository's own .bat bytes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from launcher.windows.batcheck import check_bat_bytes
from launcher.windows.batfile import render_bat
from launcher.errors import BadInput

REPO = Path(__file__).resolve().parents[2]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_the_checker_refuses_any_non_ascii_or_bare_lf(data):
    bad = any(b > 0x7F for b in data) or re.search(rb"\r(?!\n)|(?<!\r)\n", data) or not data.endswith(b"\r\n")
    assume(bad)
    with pytest.raises(BadInput):
        check_bat_bytes(data)


# --------------------------------------------------------------------------- the checker


GOOD = render_bat("nahida", via="exe").data


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"\xef\xbb\xbf" + GOOD, "bat.check.bom"),
        (GOOD.replace(b"nahida", "纳西妲".encode("gbk")), "bat.check.non_ascii"),
        (GOOD.replace(b"\r\n", b"\n"), "bat.check.line_ends"),
        (GOOD + b"pause", "bat.check.line_ends"),
        (GOOD.replace(b"pause", b"pa\rse"), "bat.check.line_ends"),
        (GOOD.replace(b"pause", b"pa\tuse"), "bat.check.control"),
        (GOOD.replace(b"start nahida", b"start 100%"), "bat.check.percent"),
        (GOOD.replace(b"start nahida", b"start %USERNAME%"), "bat.check.percent"),
        (GOOD.replace(b"start nahida", b'start "a'), "bat.check.quotes"),
        (GOOD.replace(b"start nahida", b'start "a\\" b'), "bat.check.backslash_quote"),
        (GOOD.replace(b'"%~dp0."', b'"%~dp0"'), "bat.check.backslash_quote"),
        (GOOD.replace(b'"%~dp0."', b'"%~dp0." ^'), "bat.check.caret"),
        (GOOD.replace(b"start nahida", b'start "D:\\AI"'), "bat.check.absolute"),
        (GOOD.replace(b"DisableDelayedExpansion", b"EnableDelayedExpansion"), "bat.check.delayed"),
        (GOOD.replace(b"start nahida", b"start " + b"x" * 5000), "bat.check.too_long"),
    ],
)
def test_checker_rules(data, key):
    with pytest.raises(BadInput) as err:
        check_bat_bytes(data)
    assert err.value.key == key


# --------------------------------------------------------------------------- build.bat and git


def test_build_bat_bytes():
    data = (REPO / "build.bat").read_bytes()
    assert data.isascii() and not data.startswith(b"\xef\xbb\xbf")
    assert re.search(rb"\r(?!\n)|(?<!\r)\n", data) is None and data.endswith(b"\r\n")
    text = data.decode("ascii")
    lines = text.split("\r\n")
    assert lines[0] == "@echo off"
    assert "setlocal EnableExtensions DisableDelayedExpansion" in lines
    assert not re.search(r"(?i)enabledelayedexpansion(?<!disabledelayedexpansion)", text.replace("DisableDelayed", ""))
    for number, line in enumerate(lines, 1):
        assert line.count('"') % 2 == 0, (number, line)
        assert not line.endswith("^"), number
    labels = {line[1:].split()[0].lower() for line in lines if line.startswith(":") and not line.startswith("::")}
    for target in re.findall(r"(?i)goto\s+:?(\w+)", text):
        assert target.lower() in labels | {"eof"}, target
    assert "launcher.spec" in text and "dist\\sovits-launch.exe" in text


def test_gitattributes_keeps_bat_bytes():
    result = subprocess.run(
        ["git", "check-attr", "text", "--", "build.bat", "x/纳西妲.bat"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip("not a git checkout")
    assert result.stdout.count("text: unset") == 2, result.stdout


def test_pyinstaller_spec_is_valid_python():
    source = (REPO / "launcher.spec").read_text(encoding="ascii")
    compile(source, "launcher.spec", "exec")
    assert re.search(r"""submodules\(\s*["']launcher["']""", source)  # the lazily imported verbs
    assert re.search(r"""["']launcher["'],\s*["']__main__\.py["']""", source)
    assert 'name="sovits-launch"' in source and "console=True" in source
