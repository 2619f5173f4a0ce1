"""The README and docs/ hold together: links resolve, both languages have the same pages.

Every relative link or image in README.md and docs/**/*.md must name an existing
file, and a `#fragment` into a Markdown file must name one of its headings (as
GitHub turns headings into anchors). docs/zh/ and docs/en/ must have the same
page names, each page linking to its translation, and the README must link every
page. The README keeps the test command CI runs, and docs/capture.py, which
records the README's terminal capture, still works.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
LANGS = ("zh", "en")

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def documents() -> list[Path]:
    return [REPO / "README.md", *sorted(DOCS.rglob("*.md"))]


def without_code(text: str) -> str:
    """Links inside code blocks and code spans are text, not links."""
    text = FENCE.sub("", text)
    return CODE_SPAN.sub("code", text)


def links(path: Path) -> list[str]:
    return LINK.findall(without_code(path.read_text(encoding="utf-8")))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation and symbols dropped
    (hyphens and underscores kept), spaces turned into hyphens."""
    text = heading.replace("`", "").strip().lower()
    kept = "".join(c for c in text if c in "-_ " or not unicodedata.category(c).startswith(("P", "S")))
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    result = set()
    for heading in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        result.add(base if n == 0 else f"{base}-{n}")
    return result


def pages(lang: str) -> set[str]:
    return {p.name for p in (DOCS / lang).glob("*.md")}


@pytest.mark.parametrize("doc", documents(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_points_at_an_existing_file(doc):
    broken = []
    for target in links(doc):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto:
            continue
        file_part, _, fragment = target.partition("#")
        path = (doc.parent / unquote(file_part)).resolve() if file_part else doc
        if not path.exists():
            broken.append(target)
        elif fragment and path.suffix == ".md" and unquote(fragment) not in anchors(path):
            broken.append(target)
    assert broken == []


def test_the_slug_rule_matches_github():
    # Examples of GitHub's anchors for headings of the kind these pages use.
    assert slug("How a start works") == "how-a-start-works"
    assert slug("Try it: `say`") == "try-it-say"
    assert slug("build.bat：打包单文件 exe") == "buildbat打包单文件-exe"
    assert slug("启动前（每次 `start` 都会做）") == "启动前每次-start-都会做"


def test_both_languages_have_the_same_pages():
    assert pages("zh") == pages("en")
    assert len(pages("zh")) >= 10


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_links_to_its_translation(lang):
    other = next(x for x in LANGS if x != lang)
    for name in sorted(pages(lang)):
        assert f"../{other}/{name}" in links(DOCS / lang / name), name


def test_the_readme_links_every_page():
    linked = set(links(REPO / "README.md"))
    for lang in LANGS:
        for name in sorted(pages(lang)):
            assert f"docs/{lang}/{name}" in linked, name


def test_the_readme_has_the_test_command_ci_runs():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^python -m pytest$", ci, re.M)
    assert "python -m pytest" in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_package_readme_exists():
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    readme = re.search(r'^readme\s*=\s*"([^"]+)"', pyproject, re.M)
    assert readme and (REPO / readme.group(1)).is_file()


@pytest.mark.slow
def test_the_capture_script_records_a_real_demo(tmp_path):
    """docs/capture.py still runs the real `demo` through the launcher's consoles."""
    done = subprocess.run(
        [sys.executable, str(DOCS / "capture.py"), "--lang", "en", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=120, cwd=str(tmp_path),  # the demo keeps its demo.wav here
    )
    assert done.returncode == 0, done.stderr
    svg = (tmp_path / "demo-en.svg").read_text(encoding="utf-8")
    ElementTree.fromstring(svg)  # well-formed
    for seen in ("sovits-launch&#160;demo", "api_v2.py", "http://127.0.0.1:"):
        assert seen in svg, seen
