"""Shared fixtures: every test gets its own launcher home and a fixed terminal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch) -> Path:
    """A fresh SOVITS_LAUNCH_HOME per test; no colour, fixed width, Chinese messages."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SOVITS_LAUNCH_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("SOVITS_LAUNCH_LANG", raising=False)
    # `pytest -s` at a terminal: a bare `run([])` must print help, not wait in the menu.
    monkeypatch.setenv("SOVITS_LAUNCH_MENU", "0")
    # `autostart` writes into the user's Startup / systemd / XDG folders: here, inside the home.
    for var, folder in (("SOVITS_LAUNCH_STARTUP_DIR", "startup"), ("SOVITS_LAUNCH_AUTOSTART_DATA", "autostart-data"),
                        ("SOVITS_LAUNCH_SYSTEMD_USER_DIR", "systemd-user"), ("SOVITS_LAUNCH_XDG_AUTOSTART_DIR", "xdg-autostart")):
        monkeypatch.setenv(var, str(home / folder))
    # Children we start find the launcher from this checkout, installed or not.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    return home
