"""Run generated .bat files under Wine the way a double-click does, and record argv.

What is measured and why (research/wine.md):
- a stand-in `sovits-launch.exe` / `runtime\\python.exe` built from
  `tests/wine/argrec.c` with mingw records the raw command line, the argv
  Windows splits it into, the working directory, which exe ran, PATH and the
  code pages;
- `double_click(bat)` = `wine start /wait /unix <path>`: ShellExecute, as
  Explorer does. (`wine cmd /c Z:\\a & b\\x.bat` would split the path at `&`
  exactly as real cmd does; that is a harness mistake, not a .bat bug.)
- `console(bat)` runs the file inside `wine cmd /c` through a one-line ASCII
  wrapper (`@"%BAT%"`) so its console output (the error message, pause's
  prompt) can be read; `start` gives the file a console of its own whose
  output is lost.
- One prefix and one persistent wineserver (`wineserver -p`) per session:
  ~6 s to create, then ~0.2 s per run. Outputs go to files, never pipes
  (Wine's services inherit pipes and keep them open for seconds).
- Locales: Wine takes the code pages from LANG/LC_ALL, but only if that
  locale is generated (`localedef`); otherwise it silently runs en-US. The
  stand-in records GetOEMCP() so the tests check the locale really applied.

When Wine, mingw or the locales are missing, the tests are skipped, except
with CI=true, where they fail: CI must not pass by skipping them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[1]  # tests/
ARGREC_SOURCE = HERE / "wine" / "argrec.c"
MINGW = "x86_64-w64-mingw32-gcc"
LOCALES = {"zh_CN": "zh_CN.UTF-8", "en_US": "en_US.UTF-8"}
OEMCP = {"zh_CN": 936, "en_US": 437}
#: What `pause` prints, per locale (decoded with the OEM code page).
PAUSE_PROMPT = {"zh_CN": "请按任意键继续", "en_US": "Press any key to continue"}
TIMEOUT = 60


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def missing_tools() -> list[str]:
    missing = [tool for tool in ("wine", "wineserver", MINGW) if shutil.which(tool) is None]
    try:
        have = subprocess.run(["locale", "-a"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        have = ""
    names = {line.strip().lower().replace("utf-8", "utf8") for line in have.splitlines()}
    for short, full in LOCALES.items():
        if full.lower().replace("utf-8", "utf8") not in names:
            missing.append(f"locale {full} (localedef -i {short} -f UTF-8 {full})")
    return missing


def require_wine() -> None:
    """Skip without Wine - but fail under CI=true, where skipping hides breakage.

    On Windows itself the real cmd.exe runs the generated files instead
    (tests/windows/test_real_windows.py), so Wine is not wanted there."""
    if sys.platform == "win32":
        pytest.skip("Wine stands in for Windows; on Windows the real cmd.exe tests run")
    missing = missing_tools()
    if not missing:
        return
    text = "needs " + ", ".join(missing) + " (install with .ci/bat.sh)"
    if in_ci():
        pytest.fail("CI=true but the Wine tests cannot run: " + text, pytrace=False)
    pytest.skip(text)


def winpath(path: Path) -> str:
    """The Windows path Wine gives a Unix path (drive Z: is /)."""
    return "Z:" + str(Path(path).resolve()).replace("/", "\\")


@dataclass
class Run:
    rc: int
    record: dict | None  # the stand-in's JSON, None if it never ran
    output: str = ""  # console output (console() only)
    retried_rc: int | None = None  # double_click(): the exit code of a first try that started nothing


class Wine:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.prefix = base / "prefix"
        self.bin = base / "bin"
        self.records = base / "records"
        self.stub = self.bin / "argrec.exe"
        self.wrapper = self.bin / "run-in-console.bat"

    # -- setup / teardown ---------------------------------------------------------

    def setup(self) -> None:
        self.bin.mkdir(parents=True, exist_ok=True)
        self.records.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [MINGW, "-O2", "-s", "-Wall", "-o", str(self.stub), str(ARGREC_SOURCE), "-lshell32"],
            check=True,
            timeout=120,
        )
        # The wrapper is ASCII; the target's path travels in %BAT% (UTF-16 inside cmd).
        self.wrapper.write_bytes(b'@"%BAT%"\r\n')
        # Create the prefix (~6 s), keep the server up, then one warm-up run.
        self._quiet(["wine", "cmd", "/c", "exit"], self.env("en_US"), timeout=300)
        # `-p` only takes on a fresh server (a running one answers exit code 2).
        subprocess.run(["wineserver", "-k"], env=self.env("en_US"), timeout=60)
        subprocess.run(["wineserver", "-w"], env=self.env("en_US"), timeout=60)
        subprocess.run(["wineserver", "-p"], env=self.env("en_US"), check=True, timeout=60)
        self._quiet(["wine", "cmd", "/c", "exit"], self.env("zh_CN"), timeout=120)

    def teardown(self) -> None:
        try:
            subprocess.run(["wineserver", "-k"], env=self.env("en_US"), timeout=60)
        except (OSError, subprocess.SubprocessError):
            pass
        shutil.rmtree(self.prefix, ignore_errors=True)  # ~700 MiB

    def env(self, locale: str, extra: dict | None = None) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("LC_", "WINE", "ARGREC_"))
            and key not in ("DISPLAY", "WAYLAND_DISPLAY", "LANG", "PYTHON", "BAT")
        }
        env.update(
            WINEPREFIX=str(self.prefix),
            WINEDEBUG="-all",
            WINEDLLOVERRIDES="mscoree=d;mshtml=d",  # no Mono/Gecko install prompts
            LANG=LOCALES[locale],
            LC_ALL=LOCALES[locale],
        )
        env.update(extra or {})
        return env

    def _quiet(self, argv: list[str], env: dict, *, timeout: float = TIMEOUT, cwd: Path | None = None) -> int:
        return subprocess.run(
            argv,
            env=env,
            cwd=cwd or self.base,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
        ).returncode

    # -- stand-ins ----------------------------------------------------------------

    def install_stub(self, target: Path) -> Path:
        """Copy the argv recorder to `target` (e.g. root/sovits-launch.exe)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.stub, target)
        return target

    # -- running ------------------------------------------------------------------

    def double_click(
        self,
        bat: Path,
        *,
        locale: str,
        exit_code: int = 0,
        path_dirs: list[Path] = (),
        env: dict | None = None,
    ) -> Run:
        """Start `bat` as Explorer does (ShellExecute), wait, collect the record.

        A first try that started nothing at all (no record, exit code not 0) is made
        once more: in a full suite run Wine's `start` has, rarely, returned 1 without
        running anything (not reproduced in 90 tries in a loop, idle or loaded). A .bat
        that cannot start the program fails both tries; the first try's exit code is
        kept in `retried_rc` and printed, so a retry is never silent.
        """
        first = None
        for _ in range(2):
            out = self.records / f"{uuid.uuid4().hex}.json"
            run_env = {**(env or {}), **self._run_env(out, exit_code, path_dirs)}
            rc = self._quiet(["wine", "start", "/wait", "/unix", str(bat)], self.env(locale, run_env))
            record = self._read(out)
            if record is not None or rc == 0:
                return Run(rc, record, retried_rc=first)
            if first is not None:
                break
            first = rc
            print(f"wine start {bat.name}: nothing ran (exit code {rc}); trying once more", file=sys.stderr)
        return Run(rc, record, retried_rc=first)

    def console(
        self,
        bat: Path,
        *,
        locale: str,
        exit_code: int = 0,
        path_dirs: list[Path] = (),
        env: dict | None = None,
    ) -> Run:
        """Run `bat` in `wine cmd /c` and keep its console output (decoded from the OEM code page)."""
        out = self.records / f"{uuid.uuid4().hex}.json"
        log = self.records / f"{out.stem}.txt"
        env = {**(env or {}), **self._run_env(out, exit_code, path_dirs)}
        env["BAT"] = winpath(bat)
        with open(log, "wb") as sink:
            rc = subprocess.run(
                ["wine", "cmd", "/c", winpath(self.wrapper)],
                env=self.env(locale, env),
                cwd=self.base,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                timeout=TIMEOUT,
            ).returncode
        text = log.read_bytes().decode(f"cp{OEMCP[locale]}", errors="replace")
        return Run(rc, self._read(out), text)

    def _run_env(self, out: Path, exit_code: int, path_dirs: list[Path]) -> dict:
        env = {"ARGREC_OUT": winpath(out), "ARGREC_EXIT": str(exit_code)}
        if path_dirs:
            env["WINEPATH"] = ";".join(winpath(p) for p in path_dirs)
        return env

    @staticmethod
    def _read(out: Path) -> dict | None:
        if not out.is_file():
            return None
        return json.loads(out.read_bytes().decode("utf-8"))


@pytest.fixture(scope="session")
def wine(tmp_path_factory):
    """A warm Wine prefix and the built argv recorder, for the whole session."""
    require_wine()
    box = Wine(tmp_path_factory.mktemp("wine"))
    try:
        box.setup()
    except (OSError, subprocess.SubprocessError) as exc:
        box.teardown()
        pytest.fail(f"setting up Wine failed: {exc}", pytrace=False)
    yield box
    box.teardown()
