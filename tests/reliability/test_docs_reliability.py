"""The reliability section says only what the tests prove.

Checked in README.md:
every `test_x.py::test_name` it cites exists; the bad-input table has exactly one
row per case of test_bad_input.py, with that case's exit code; the figures it
gives (number of bad inputs, of injected write failures) are the tests' own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import test_bad_input
import test_nothing_lost

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"
TABLE_ROW = re.compile(r"^\| `([a-z0-9-]+)` \|(.*)\|\s*$", re.M)


def documents() -> list[Path]:
    return [REPO / "README.md"]


def reliability_sections(text: str) -> str:
    """The README's Reliability sections (中文 and English), not the rest of it."""
    parts = re.split(r"^(## .*)$", text, flags=re.M)
    keep = []
    for heading, body in zip(parts[1::2], parts[2::2]):
        if heading.strip() in ("## 可靠性", "## Reliability"):
            keep.append(heading + body)
    assert len(keep) == 2, "README.md needs a '## 可靠性' and a '## Reliability' section"
    return "\n".join(keep)


@pytest.fixture(params=documents(), ids=lambda p: p.name)
def doc(request) -> str:
    return reliability_sections(request.param.read_text(encoding="utf-8"))


def test_every_cited_test_exists(doc):
    cited = set(re.findall(r"(test_\w+\.py)::(test_\w+)", doc))
    assert len(cited) > 40
    missing = []
    for file, name in sorted(cited):
        paths = list(TESTS.rglob(file))
        path = paths[0] if len(paths) == 1 else TESTS / file
        if not path.is_file() or not re.search(rf"^def {name}\(", path.read_text(encoding="utf-8"), re.M):
            missing.append(f"{file}::{name}")
    assert missing == []


def test_the_bad_input_table_is_the_test_cases(doc):
    rows = {m.group(1): [c.strip() for c in m.group(2).split("|")] for m in TABLE_ROW.finditer(doc)}
    cases = {c.id: c for c in test_bad_input.CASES}
    assert sorted(rows) == sorted(cases)
    for case_id, cells in rows.items():
        assert cells[-2] == str(cases[case_id].exit), case_id
        assert cells[-1] == "无 / nothing", case_id


def test_the_figures_are_the_tests(doc):
    n_bad = len(test_bad_input.CASES)
    n_writes = len(test_nothing_lost.CASES)
    assert n_bad >= 30
    zh = "可靠性" in doc
    if zh:
        assert f"{n_bad} 种错误输入" in doc
        assert f"共 {n_writes} 次注入" in doc
    assert f"{n_bad} bad inputs" in doc
    assert f"{n_writes} injected failures" in doc
