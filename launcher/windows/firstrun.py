"""What the double-click menu offers, decided without talking to the user.

`cli/menu.py` asks and renders; this module answers its questions: is the menu
wanted at all (a terminal on both ends), is there a GPT-SoVITS package here that
is not set up yet, what state each profile is in, and what the user typed (a
menu choice, a yes/no, a path dragged onto the window).
"""

from __future__ import annotations

import os
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional, TextIO

from launcher.errors import LauncherError
from launcher.paths import Layout, Settings

ENV_MENU = "SOVITS_LAUNCH_MENU"  # 1: menu even without a terminal (tests); 0: never

# Menu actions: letter -> action, plus the verb and Chinese words users may type instead.
ACTIONS: dict[str, str] = {
    "z": "status",
    "k": "stop",
    "y": "say",
    "x": "xiaozhi",
    "b": "bat",
    "i": "import",
    "s": "setup",
    "d": "doctor",
    "q": "quit",
}
_ALIASES: dict[str, str] = {
    "0": "quit",
    "quit": "quit",
    "exit": "quit",
    "退出": "quit",
    "bat": "bat",
    "import": "import",
    "导入": "import",
    "init": "setup",
    "setup": "setup",
    "设置": "setup",
    "doctor": "doctor",
    "检查": "doctor",
    "status": "status",
    "状态": "status",
    "stop": "stop",
    "停止": "stop",
    "say": "say",
    "试听": "say",
    "xiaozhi": "xiaozhi",
    "小智": "xiaozhi",
}
_YES = {"y", "yes", "是", "好", "1", "对"}
_NO = {"n", "no", "否", "不", "不要", "2"}
# Quotes a console or file manager may put around a dragged path.
_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "「": "」"}


# --- is the menu wanted -------------------------------------------------------------------


def menu_wanted(
    environ: Optional[Mapping[str, str]] = None,
    stdin: Optional[TextIO] = None,
    stdout: Optional[TextIO] = None,
) -> bool:
    """A bare `sovits-launch` opens the menu only when a person sits at both ends
    (a double-clicked exe, a console); scripts and pipes keep getting the help."""
    environ = os.environ if environ is None else environ
    forced = environ.get(ENV_MENU, "").strip().lower()
    if forced in ("1", "true", "yes"):
        return True
    if forced in ("0", "false", "no"):
        return False
    return _isatty(sys.stdin if stdin is None else stdin) and _isatty(sys.stdout if stdout is None else stdout)


def _isatty(stream) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError, OSError):  # closed or replaced streams
        return False


def owns_console() -> bool:
    """True when this process has a Windows console to itself: the window opened
    because the exe was double-clicked (or had something dropped on it), and it
    closes the moment we exit. False in cmd/PowerShell and everywhere else."""
    if os.name != "nt":
        return False
    try:
        import ctypes

        ids = (ctypes.c_uint32 * 8)()
        count = ctypes.windll.kernel32.GetConsoleProcessList(ids, len(ids))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return False
    # A one-file exe is two processes (the bootloader and Python) on one console.
    ours = 2 if getattr(sys, "frozen", False) else 1
    return 0 < count <= ours


# --- the package here -----------------------------------------------------------------------


def candidate_folders() -> list[Path]:
    """Where a double-clicked exe looks for a package: the folder it sits in, and the current one."""
    found: list[Path] = []
    places = []
    if getattr(sys, "frozen", False):  # PyInstaller one-file exe
        places.append(Path(sys.executable).parent)
    places.append(Path.cwd())
    for place in places:
        try:
            folder = place.resolve()
        except OSError:
            continue
        if folder not in found:
            found.append(folder)
    return found


def is_package(folder: Path) -> bool:
    """A GPT-SoVITS root: api.py or api_v2.py, and GPT_SoVITS/. A package whose
    runtime is missing still counts (init then says what is missing)."""
    from launcher.gsv import package

    try:
        package.inspect_root(Path(folder))
    except LauncherError as exc:
        return exc.key not in ("package.not_gsv", "package.root_missing")
    return True


def _same_folder(a: Path, b: Optional[str]) -> bool:
    if not b:
        return False
    try:
        return Path(a).resolve() == Path(b).expanduser().resolve()
    except OSError:
        return False


def setup_offer(settings: Settings, candidates: Optional[list[Path]] = None) -> Optional[Path]:
    """The first candidate folder that is a GPT-SoVITS package and is not the one set up."""
    for folder in candidate_folders() if candidates is None else candidates:
        if _same_folder(folder, settings.gsv_root):
            return None  # the package here is the one remembered: nothing to offer
        if is_package(folder):
            return Path(folder).resolve()
    return None


# --- the profiles -------------------------------------------------------------------------------


@dataclass
class ProfileChoice:
    """One line of the menu: a profile and whether it can start."""

    number: int
    name: str
    title: str  # display name, else the name
    state: str  # ready | running | missing | no_reference | bad_reference | broken
    api: Optional[str] = None
    port: Optional[int] = None
    version: Optional[str] = None
    missing: list[str] = field(default_factory=list)  # gpt / sovits / ref_audio
    running_ports: list[int] = field(default_factory=list)
    ref_seconds: Optional[float] = None
    error: Optional[dict] = None  # {key, params} of a broken profile file


def profile_choices(layout: Layout, settings: Settings) -> list[ProfileChoice]:
    from launcher.server.inventory import profile_rows

    choices = []
    for number, row in enumerate(profile_rows(layout, settings), start=1):
        choice = ProfileChoice(
            number=number,
            name=row.name,
            title=row.display_name or row.name,
            state="ready",
            api=row.api,
            port=row.port,
            version=row.version,
            ref_seconds=row.ref_seconds,
            error=row.error,
        )
        choice.state = _state(row, choice)
        choices.append(choice)
    return choices


def _state(row, choice: ProfileChoice) -> str:
    if row.error:
        return "broken"
    choice.running_ports = [r["port"] for r in row.running]
    if row.running:
        return "running"
    for field_name in ("gpt", "sovits", "ref_audio"):
        state = getattr(row, field_name)
        if state is not None and state.path is not None and not state.exists:
            choice.missing.append(field_name)
        elif state is not None and state.path is None and field_name != "ref_audio":
            choice.missing.append(field_name)
    if choice.missing:
        return "missing"
    if row.ref_audio is None or row.ref_audio.path is None:
        return "no_reference"
    if row.ref_ok is False:
        return "bad_reference"
    return "ready"


# --- what the user typed ----------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    kind: str  # profile | action | path | not_found | empty | invalid
    value: object = None  # the ProfileChoice number, the action name, or the path


def unquote(text: str) -> str:
    """A path as typed or dragged onto the window: spaces around it, the quotes the
    console adds when it holds a space (`"D:\\下载\\胡桃 角色包.zip"`), PowerShell's
    leading `& '…'`. The path itself is left exactly as it is (no normalising)."""
    text = text.strip().lstrip("\ufeff")
    if text.startswith("& "):
        text = text[2:].lstrip()
    while len(text) >= 2 and text[0] in _QUOTES and text[-1] == _QUOTES[text[0]]:
        text = text[1:-1].strip()
    return text


def typed_word(text: str) -> str:
    # NFKC: full-width １２ and ｑ (IME in full-width mode) become 1 2 q.
    return unicodedata.normalize("NFKC", text).strip().lower()


def parse_choice(text: str, profile_count: int) -> Choice:
    """The main prompt: a profile number, an action letter or word, or a dragged path."""
    word = typed_word(text)
    if not word:
        return Choice("empty")
    if word.isdigit() and word != "0":
        number = int(word)
        if 1 <= number <= profile_count:
            return Choice("profile", number)
        return Choice("invalid", text.strip())
    action = ACTIONS.get(word) or _ALIASES.get(word)
    if action:
        return Choice("action", action)
    path = unquote(text)
    if path and path_exists(path):
        return Choice("path", path)
    if path != text.strip() or any(c in path for c in "/\\:"):
        return Choice("not_found", path)  # it was meant as a path
    return Choice("invalid", text.strip())


def parse_yes_no(text: str, default: bool) -> Optional[bool]:
    """y/n (是/否, full-width too); empty takes the default; anything else is None (ask again)."""
    word = typed_word(text)
    if not word:
        return default
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


def path_exists(path: str) -> bool:
    """Whether a typed path exists; a path the system cannot even look up does not."""
    try:
        return Path(path).expanduser().exists()
    except (OSError, ValueError):  # ValueError: an embedded NUL
        return False


def classify_path(path: str) -> Optional[str]:
    """A dragged path: "package" (a GPT-SoVITS root, to set up), "pack" (a folder
    or .zip to import), or None (nothing we can use)."""
    p = Path(path).expanduser()
    try:
        if p.is_dir():
            return "package" if is_package(p) else "pack"
        if p.is_file() and p.suffix.lower() == ".zip":
            return "pack"
    except OSError:
        return None
    return None
