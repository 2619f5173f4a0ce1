"""Playing a WAV file to its end: `say --play`, `demo --play`, the menu's test sentence.

Windows plays through `winsound` (standard library, no window opens); elsewhere the
first of paplay (PulseAudio / PipeWire), aplay (ALSA) and afplay (macOS) found on PATH.
No player, or one that fails, is a notice: the WAV is saved either way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from launcher.errors import Notice

PLAYERS = ("paplay", "aplay", "afplay")


def player_name() -> str | None:
    """The player `play_wav` would use here, None when there is none."""
    if os.name == "nt":
        return "winsound"
    for name in PLAYERS:
        if shutil.which(name):
            return name
    return None


def play_wav(path: Path) -> Notice | None:
    """Play `path` and return when it has been heard; a notice when it could not be."""
    name = player_name()
    if name is None:
        return Notice("play.no_player", path=str(path), players=" / ".join(PLAYERS))
    if name == "winsound":
        return _winsound(path)
    try:
        done = subprocess.run(
            [shutil.which(name) or name, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        return Notice("play.failed", player=name, path=str(path), reason=exc.strerror or str(exc))
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return Notice("play.failed", player=name, path=str(path), reason=reason[-1] if reason else f"exit {done.returncode}")
    return None


def _winsound(path: Path) -> Notice | None:
    try:
        import winsound

        winsound.PlaySound(str(path), winsound.SND_FILENAME)  # returns when it has been played
    except (ImportError, RuntimeError) as exc:  # RuntimeError: no sound device, or not a WAV it knows
        return Notice("play.failed", player="winsound", path=str(path), reason=str(exc))
    return None
