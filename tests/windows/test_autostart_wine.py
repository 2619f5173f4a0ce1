"""The Startup-folder .vbs, run under Wine the way a login runs it: the exact argv and
working directory the launcher receives.

`wine start /wait /unix <file>.vbs` (ShellExecute, as Explorer's start-up processing
does) runs it in wscript; the .vbs reads its UTF-16 data file from the Wine user's
Local AppData (asked of the shell at run time) and starts the argv recorder hidden.
Matrix: zh_CN and en_US; package folders with spaces, Chinese and `& ( ) !`; an ASCII
profile id, a Chinese one and a hostile one (they reach the launcher through the data
file whose name is the .vbs's own). The .vbs is the same file for all of them.
"""

from __future__ import annotations

import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from launcher.windows.autostart import register, windows_entry
from helpers import wait_for
from helpers.wine_harness import OEMCP, winpath, wine  # noqa: F401  (wine is a fixture)

pytestmark = pytest.mark.wine

ROOTS = ["GPT-SoVITS-v2pro-20250604", "GPT-SoVITS 整合包 v2", "纳西妲 & 派蒙 (测试)! 整合包"]
PROFILES = ["nahida", "纳西妲", "派蒙 & 纳西妲 (v2)!"]


def _local_appdata(wine) -> Path:
    """The Wine user's Local AppData, where the .vbs looks (CSIDL_LOCAL_APPDATA)."""
    found = [p for p in (wine.prefix / "drive_c" / "users").glob("*/AppData/Local") if p.parent.parent.name != "Public"]
    assert found, "Wine prefix without a user profile"
    return found[0]


def _register(wine, base: Path, root_name: str) -> list:
    """The three profiles' entries for one package folder (the data files are per profile name,
    in the one folder the .vbs reads, so one folder's cases at a time)."""
    root = base / root_name
    exe = wine.install_stub(root / "sovits-launch.exe")
    data = _local_appdata(wine) / "sovits-launch" / "autostart"
    cases = []
    for profile in PROFILES:
        argv = [winpath(exe), "start", profile, "--detach", "--restart-on-crash"]
        entry = windows_entry(profile, argv=argv, cwd=winpath(root), env={}, meta={"root": winpath(root)},
                              startup=base / "Startup", data=data)
        cases.append((register(entry), root, exe, argv))
    return cases


def _login(wine, vbs: Path, locale: str) -> dict:
    out = wine.records / f"{uuid.uuid4().hex}.json"
    env = wine.env(locale, {"ARGREC_OUT": winpath(out), "ARGREC_EXIT": "0"})
    subprocess.run(["wine", "start", "/wait", "/unix", str(vbs)], env=env, cwd=wine.base, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    # The .vbs does not wait for what it starts (Run ..., 0, False): wait for the record,
    # whole (the recorder writes it while we may already look).
    return wait_for(lambda: _complete(out), timeout=30, what=f"the launcher started by {vbs.name}")


def _complete(out: Path) -> dict | None:
    import json

    try:
        return json.loads(out.read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return None


@pytest.mark.parametrize("locale", ["zh_CN", "en_US"])
def test_login_runs_the_profile_hidden(wine, tmp_path, locale):
    failures = []
    scripts = set()
    for number, root_name in enumerate(ROOTS):
        cases = _register(wine, tmp_path / str(number), root_name)
        with ThreadPoolExecutor(max_workers=3) as pool:
            records = list(pool.map(lambda case: _login(wine, case[0].path, locale), cases))
        for (entry, root, exe, argv), rec in zip(cases, records):
            scripts.add(entry.path.read_bytes())
            checks = {
                "argv": (rec["argv"], argv),
                "cwd": (rec["cwd"], winpath(root)),
                "exe": (rec["exe"], winpath(exe)),
                "oemcp": (rec["oemcp"], OEMCP[locale]),
            }
            for what, (got, want) in checks.items():
                if got != want:
                    failures.append(f"{locale} {entry.path.name} in {root_name}: {what} = {got!r}, expected {want!r}")
    assert not failures, "\n".join(failures)
    assert len(scripts) == 1  # one script for every profile and folder
