"""A reference's length as messages show it never reads as on the wrong side of the 3-10 s
rule: a refused 2.999 s is never "3.0 s", in the start's refusal, `list`, `doctor`, the menu
and the import plan."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings, strategies as st

from launcher import audio
from launcher.audio import frames_in_range, reference_in_range, seconds_text

from helpers import make_package, nahida_yaml, run_cli, write_profile


def _reads_in_range(text: str) -> bool:
    return 3.0 <= float(text) <= 10.0


@pytest.mark.parametrize(
    "seconds,shown",
    [(2.9, "2.90"), (2.999, "2.999"), (2.9999, "2.999"), (3.0, "3.00"), (9.999, "10.00"), (10.0, "10.00"),
     (10.0001, "10.001"), (10.004, "10.004"), (10.1, "10.10")],
)
def test_examples(seconds, shown):
    assert seconds_text(seconds) == shown


@settings(max_examples=2000, deadline=None)
@given(st.floats(min_value=0, max_value=60, allow_nan=False), st.sampled_from([1, 2]))
def test_any_length_reads_on_its_side_of_the_rule(seconds, digits):
    text = seconds_text(seconds, digits)
    assert _reads_in_range(text) == reference_in_range(seconds), (seconds, text)
    assert digits <= len(text.split(".")[1]) <= 3  # more places only as far as needed


@settings(max_examples=2000, deadline=None)
@given(st.integers(min_value=0, max_value=400_000), st.sampled_from([8000, 16000, 22050, 32000, 44100, 48000]))
def test_any_frame_count_reads_on_the_side_upstream_puts_it(frames, rate):
    ok = frames_in_range(frames, rate)
    text = seconds_text(frames / rate, 1, in_range=ok)
    assert _reads_in_range(text) == ok, (frames, rate, text)


# --- every place a reference's length is shown -----------------------------------------------

FRAMES_2_9997 = 95_990  # at 32 kHz: 2.9997 s = 47,995 samples at 16 kHz, refused by upstream


@pytest.fixture
def short_ref(tmp_path, isolated_home):
    from launcher.paths import Settings, save_settings

    pkg = make_package(tmp_path / "pkg")
    audio.write_wav(pkg.ref, frames=FRAMES_2_9997, rate=32000)
    assert not audio.reference_in_range(audio.measure(pkg.ref))
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root))
    save_settings(Settings(gsv_root=str(pkg.root)))
    return pkg


def _numbers_before_seconds(text: str) -> list[str]:
    return re.findall(r"(\d+\.\d+) ?(?:秒|s\b)", text)


def test_start_refusal_says_2_999(short_ref, capsys):
    code, _, err = run_cli(capsys, "nahida", "--dry-run")
    assert code == 2
    assert "2.999 秒" in err and "3.00" not in err


def test_list_and_its_json(short_ref, capsys):
    code, out, _ = run_cli(capsys, "list")
    assert code == 0
    assert "2.999s ✗" in out and "3.0s" not in out
    code, out, _ = run_cli(capsys, "list", "--json")
    row = json.loads(out)["data"][0]
    assert row["ref_ok"] is False and row["ref_seconds"] < 3


def test_doctor(short_ref, capsys):
    _, out, err = run_cli(capsys, "doctor", "nahida", "--no-probe")
    shown = _numbers_before_seconds(out + err)
    assert "2.999" in shown
    assert not any(3.0 <= float(n) <= 3.01 for n in shown)


def test_menu_state(short_ref):
    from launcher.cli.menu import _state
    from launcher.paths import layout, load_settings
    from launcher.windows.firstrun import profile_choices

    choice = profile_choices(layout(), load_settings())[0]
    assert choice.state == "bad_reference"
    assert "2.999" in _state(choice)


def test_import_plan_notice_of_a_default_reference_out_of_range():
    from launcher.packs.plan import _secs

    assert _secs(2.9997) == "2.999" and _secs(10.0004) == "10.001" and _secs(5.04) == "5.0"


def test_ref_verb_refusal_says_2_999(short_ref, tmp_path, capsys):
    wav = tmp_path / "短的.wav"
    audio.write_wav(wav, frames=FRAMES_2_9997, rate=32000)
    code, _, err = run_cli(capsys, "ref", "nahida", str(wav), "--text", "你好")
    assert code == 2
    assert "2.999" in err and "3.00" not in err
