"""The reliability pages say only what the tests prove.

Checked in docs/zh/reliability.md and docs/en/reliability.md:
every `test_x.py::test_name` they cite exists; the bad-input table has exactly one
row per case of test_bad_input.py, with that case's exit code; the figures they
give (number of bad inputs, of faults survived, of injected write failures) are the tests' own.
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

# language -> (the page, what its table says was written, its figures' wording, the header rows of its fault tables)
PAGES = {
    "zh": (REPO / "docs" / "zh" / "reliability.md", "无", ("{bad} 种错误输入", "共 {writes} 次注入", "挺过 {faults} 种故障"),
           ("| 故障 | 结果 | 测试 |", "| 试了什么 | 结果 | 测试 |")),
    "en": (REPO / "docs" / "en" / "reliability.md", "nothing",
           ("{bad} bad inputs", "{writes} injected failures", "{faults} faults survived"),
           ("| Fault | Outcome | Tests |", "| Tried | Outcome | Tests |")),
}
CITED = re.compile(r"(test_\w+\.py)::(test_\w+)")


@pytest.fixture(params=sorted(PAGES))
def page(request) -> tuple[str, str, tuple[str, ...], str]:
    path, written, figures, faults_heading = PAGES[request.param]
    return path.read_text(encoding="utf-8"), written, figures, faults_heading


def test_every_cited_test_exists(page):
    doc = page[0]
    cited = set(CITED.findall(doc))
    assert len(cited) > 40
    missing = []
    for file, name in sorted(cited):
        paths = list(TESTS.rglob(file))
        path = paths[0] if len(paths) == 1 else TESTS / file
        if not path.is_file() or not re.search(rf"^def {name}\(", path.read_text(encoding="utf-8"), re.M):
            missing.append(f"{file}::{name}")
    assert missing == []


def test_the_bad_input_table_is_the_test_cases(page):
    doc, written, _, _ = page
    rows = {m.group(1): [c.strip() for c in m.group(2).split("|")] for m in TABLE_ROW.finditer(doc)}
    cases = {c.id: c for c in test_bad_input.CASES}
    assert sorted(rows) == sorted(cases)
    for case_id, cells in rows.items():
        assert cells[-2] == str(cases[case_id].exit), case_id
        assert cells[-1] == written, case_id


def _fault_rows(doc: str, headers: tuple[str, ...]) -> list[str]:
    """The rows of every fault table (a fault or a race tried for real, with its outcome and tests)."""
    rows, inside = [], False
    for line in doc.splitlines():
        if line.strip() in headers:
            inside = True
        elif inside and line.startswith("|"):
            if not line.startswith("|---"):
                rows.append(line)
        else:
            inside = False
    return rows


def test_the_figures_are_the_tests(page):
    doc, _, figures, fault_headers = page
    n_bad = len(test_bad_input.CASES)
    n_writes = len(test_nothing_lost.CASES)
    faults = _fault_rows(doc, fault_headers)
    assert n_bad >= 80
    assert all(CITED.search(row) for row in faults)  # each fault is tests (test_every_cited_test_exists)
    for figure in figures:
        assert figure.format(bad=n_bad, writes=n_writes, faults=len(faults)) in doc
