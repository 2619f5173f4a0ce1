"""Fixtures for the voice-pack tests: a package to import into, a work folder, Chinese messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import packgen as G


@pytest.fixture
def root(tmp_path) -> Path:
    return G.make_package(tmp_path / "GPT-SoVITS-v2pro-20250604")


@pytest.fixture
def work(tmp_path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture(autouse=True)
def chinese_messages():
    """`--lang en` sets the catalog's language for the process: start and end every test in Chinese."""
    from launcher import messages

    messages.set_language("zh")  # whatever the machine's locale says
    yield
    messages.set_language(None)
