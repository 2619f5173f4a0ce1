"""Every folder the launcher uses, and the remembered settings.

Home (settings + profiles), in order:
1. `SOVITS_LAUNCH_HOME` (tests and scripted setups);
2. portable: a folder holding `sovits-launch.yaml` - the current folder, or the
   folder of the executable (a `sovits-launch.exe` dropped into a 整合包);
3. the per-user config folder (platformdirs).
State (running servers, logs, generated tts_infer.yaml) lives under the home
in cases 1 and 2, else in the per-user state folder.
"""

from __future__ import annotations

import os
import sys
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from launcher.errors import BadInput

APP = "sovits-launch"
PORTABLE_MARKER = "sovits-launch.yaml"
ENV_HOME = "SOVITS_LAUNCH_HOME"


@dataclass(frozen=True)
class Layout:
    home: Path
    settings_file: Path
    state: Path
    portable: bool

    @property
    def profiles(self) -> Path:
        return self.home / "profiles"

    @property
    def logs(self) -> Path:
        return self.state / "logs"

    @property
    def registry_file(self) -> Path:
        return self.state / "servers.json"

    @property
    def infer_configs(self) -> Path:
        """Per-profile tts_infer.yaml files handed to api_v2.py with -c."""
        return self.state / "tts_infer"

    @property
    def backups(self) -> Path:
        return self.state / "backups"


def layout() -> Layout:
    env = os.environ.get(ENV_HOME)
    if env:
        home = Path(env).expanduser().resolve()
        return Layout(home, home / "settings.yaml", home / "state", portable=False)
    for folder in _portable_candidates():
        if (folder / PORTABLE_MARKER).is_file():
            return Layout(folder, folder / PORTABLE_MARKER, folder / "state", portable=True)
    import platformdirs  # only here: the env/portable cases never pay for it

    home = Path(platformdirs.user_config_dir(APP, appauthor=False))
    state = Path(platformdirs.user_state_dir(APP, appauthor=False))
    return Layout(home, home / "settings.yaml", state, portable=False)


def _portable_candidates() -> list[Path]:
    found = [Path.cwd()]
    if getattr(sys, "frozen", False):  # PyInstaller one-file exe
        found.append(Path(sys.executable).resolve().parent)
    return found


@dataclass
class Settings:
    """What `init` remembers. Paths are stored as the user gave them, resolved."""

    gsv_root: str | None = None
    xiaozhi_dir: str | None = None
    python: str | None = None  # interpreter override for the package
    lang: str | None = None  # zh / en; None = from the locale


def load_settings(where: Layout | None = None) -> Settings:
    from launcher.fsio import read_text, yaml_load

    where = where or layout()
    if not where.settings_file.is_file():
        return Settings()
    data = yaml_load(read_text(where.settings_file), where.settings_file, "settings.yaml_error") or {}
    if not isinstance(data, dict):
        raise BadInput("settings.not_mapping", path=str(where.settings_file))
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: (None if v is None else str(v)) for k, v in data.items() if k in known})


def save_settings(settings: Settings, where: Layout | None = None) -> Path:
    import yaml

    from launcher.fsio import backup, write_atomic

    where = where or layout()
    data = {k: v for k, v in asdict(settings).items() if v is not None}
    text = "# sovits-launch settings (written by `sovits-launch init`)\n" + yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False
    )
    if where.settings_file.is_file():
        if where.settings_file.read_text(encoding="utf-8-sig") == text:
            return where.settings_file
        backup(where.settings_file, folder=where.backups)
    write_atomic(where.settings_file, text)
    return where.settings_file
